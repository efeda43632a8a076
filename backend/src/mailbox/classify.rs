//! What a message is: mail to ignore (auto-replies, bounces, loops), a reply to a case, or a new
//! case. Pure: looks only at the facts [`super::parse`] read from the message.

/// The headers and addresses classification looks at, already decoded.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Facts {
    /// The sender's address (`From`), lowercased; `None` when the message has none that parses.
    pub from: Option<String>,
    /// `Return-Path`, as written (`<>` for a bounce); `None` when absent.
    pub return_path: Option<String>,
    pub message_id: Option<String>,
    pub in_reply_to: Vec<String>,
    pub references: Vec<String>,
    pub subject: String,
    /// `Auto-Submitted`, lowercased.
    pub auto_submitted: Option<String>,
    /// `Precedence`, lowercased.
    pub precedence: Option<String>,
    /// `X-Autoreply`, `X-Autorespond` or `X-Auto-Response-Suppress: All`-style markers present.
    pub autoreply_header: bool,
    /// The top-level content type, lowercased, e.g. `multipart/report`.
    pub content_type: String,
    /// Its `report-type` parameter, lowercased.
    pub report_type: Option<String>,
}

/// Why a message is ignored (stored as the message's `reason`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ignored {
    /// `Auto-Submitted` other than `no` (RFC 3834): auto-replies, and Mesa's own notifications.
    AutoSubmitted,
    /// `Precedence: bulk`, `junk` or `list`.
    Bulk,
    /// `X-Autoreply` / `X-Autorespond`.
    AutoReply,
    /// A delivery status notification: empty `Return-Path`, a `MAILER-DAEMON`/`postmaster`
    /// sender, or a `multipart/report` of delivery status.
    Bounce,
    /// Mail from the desk's own address or Mesa's sender, or carrying a Message-ID Mesa made.
    Loop,
}

impl Ignored {
    pub fn as_str(self) -> &'static str {
        match self {
            Ignored::AutoSubmitted => "auto_submitted",
            Ignored::Bulk => "bulk",
            Ignored::AutoReply => "auto_reply",
            Ignored::Bounce => "bounce",
            Ignored::Loop => "loop",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Class {
    Ignore(Ignored),
    /// No sender to answer or to register the case for.
    NoSender,
    /// A reply to case `number` (its number in the subject, or Mesa's ids in the thread headers).
    Reply {
        number: i64,
    },
    New,
}

/// Decides what a message is. `own_addresses`: the desk's mailbox and Mesa's sender addresses,
/// lowercased.
pub fn classify(f: &Facts, own_addresses: &[String]) -> Class {
    if f.auto_submitted.as_deref().is_some_and(|v| !v.is_empty() && v.split(';').next().unwrap_or("").trim() != "no") {
        return Class::Ignore(Ignored::AutoSubmitted);
    }
    if f.precedence.as_deref().is_some_and(|p| matches!(p.trim(), "bulk" | "junk" | "list")) {
        return Class::Ignore(Ignored::Bulk);
    }
    if f.autoreply_header {
        return Class::Ignore(Ignored::AutoReply);
    }
    let empty_return_path = f.return_path.as_deref().is_some_and(|r| r.trim().trim_start_matches('<').trim_end_matches('>').trim().is_empty());
    let daemon = f.from.as_deref().is_some_and(|a| {
        let local = a.split('@').next().unwrap_or("");
        local.eq_ignore_ascii_case("mailer-daemon") || local.eq_ignore_ascii_case("postmaster")
    });
    let dsn = f.content_type == "multipart/report" && f.report_type.as_deref().is_none_or(|r| r == "delivery-status" || r == "disposition-notification");
    if empty_return_path || daemon || dsn {
        return Class::Ignore(Ignored::Bounce);
    }
    let ours = f.message_id.as_deref().is_some_and(|id| mesa_number(id).is_some());
    if ours || f.from.as_ref().is_some_and(|a| own_addresses.iter().any(|o| o.eq_ignore_ascii_case(a))) {
        return Class::Ignore(Ignored::Loop);
    }
    let Some(_) = &f.from else { return Class::NoSender };
    let threaded = f.in_reply_to.iter().chain(&f.references).find_map(|id| mesa_number(id));
    match threaded.or_else(|| subject_number(&f.subject)) {
        Some(number) => Class::Reply { number },
        None => Class::New,
    }
}

/// The case number of a Message-ID Mesa wrote: `<mesa.{number}.{uuid}@{host}>` for each mail
/// and `<mesa.{number}@{host}>` for the thread's root.
pub fn mesa_number(id: &str) -> Option<i64> {
    let rest = id.trim().trim_start_matches('<').trim_end_matches('>').strip_prefix("mesa.")?;
    let end = rest.find(['.', '@'])?;
    let digits = &rest[..end];
    if digits.is_empty() || digits.len() > 18 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // The root form must go on to the host; the per-mail form to its uuid.
    let after = &rest[end..];
    let well_formed = match after.split_at(1) {
        ("@", host) => !host.is_empty(),
        (".", tail) => tail.split_once('@').is_some_and(|(uuid, host)| !uuid.is_empty() && !host.is_empty()),
        _ => false,
    };
    if well_formed {
        digits.parse().ok().filter(|n| *n > 0)
    } else {
        None
    }
}

/// The number of `[Mesa #N]` in a subject (any case, spaces around `#` allowed).
pub fn subject_number(subject: &str) -> Option<i64> {
    let lower = subject.to_lowercase();
    let mut from = 0;
    while let Some(i) = lower[from..].find("[mesa") {
        let start = from + i + "[mesa".len();
        let rest = lower[start..].trim_start();
        if let Some(rest) = rest.strip_prefix('#') {
            let rest = rest.trim_start();
            let digits: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
            if !digits.is_empty() && digits.len() <= 18 && rest[digits.len()..].trim_start().starts_with(']') {
                if let Some(n) = digits.parse::<i64>().ok().filter(|n| *n > 0) {
                    return Some(n);
                }
            }
        }
        from = start;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mail() -> Facts {
        Facts {
            from: Some("ana.perez@cali.gov.co".into()),
            return_path: Some("<ana.perez@cali.gov.co>".into()),
            message_id: Some("<CAF1234@mail.cali.gov.co>".into()),
            subject: "No enciende el equipo".into(),
            content_type: "text/plain".into(),
            ..Facts::default()
        }
    }

    const OWN: &[&str] = &["mesadeservicios@cali.gov.co", "mesa@cali.gov.co"];

    fn own() -> Vec<String> {
        OWN.iter().map(|s| s.to_string()).collect()
    }

    fn with(change: impl FnOnce(&mut Facts)) -> Class {
        let mut f = mail();
        change(&mut f);
        classify(&f, &own())
    }

    #[test]
    fn plain_mail_is_a_new_case() {
        assert_eq!(classify(&mail(), &own()), Class::New);
        assert_eq!(with(|f| f.auto_submitted = Some("no".into())), Class::New);
        assert_eq!(with(|f| f.precedence = Some("first-class".into())), Class::New);
        assert_eq!(with(|f| f.content_type = "multipart/mixed".into()), Class::New);
        assert_eq!(with(|f| f.return_path = None), Class::New);
    }

    #[test]
    fn auto_replies_bulk_and_bounces_are_ignored() {
        for v in ["auto-replied", "auto-generated", "auto-notified; owner-email=\"x@y\"", "Auto-Replied".to_lowercase().as_str()] {
            assert_eq!(with(|f| f.auto_submitted = Some(v.into())), Class::Ignore(Ignored::AutoSubmitted), "{v}");
        }
        for p in ["bulk", "junk", "list", " bulk "] {
            assert_eq!(with(|f| f.precedence = Some(p.into())), Class::Ignore(Ignored::Bulk), "{p}");
        }
        assert_eq!(with(|f| f.autoreply_header = true), Class::Ignore(Ignored::AutoReply));
        for rp in ["<>", " < > ", ""] {
            assert_eq!(with(|f| f.return_path = Some(rp.into())), Class::Ignore(Ignored::Bounce), "{rp:?}");
        }
        for from in ["MAILER-DAEMON@mx.cali.gov.co", "postmaster@cali.gov.co", "mailer-daemon@x.org"] {
            assert_eq!(with(|f| f.from = Some(from.into())), Class::Ignore(Ignored::Bounce), "{from}");
        }
        assert_eq!(
            with(|f| {
                f.content_type = "multipart/report".into();
                f.report_type = Some("delivery-status".into());
            }),
            Class::Ignore(Ignored::Bounce)
        );
        assert_eq!(with(|f| f.content_type = "multipart/report".into()), Class::Ignore(Ignored::Bounce));
        // An auto-reply to a case is still ignored, not a follow-up.
        assert_eq!(
            with(|f| {
                f.subject = "Fuera de la oficina: [Mesa #12] Solución".into();
                f.auto_submitted = Some("auto-replied".into());
            }),
            Class::Ignore(Ignored::AutoSubmitted)
        );
    }

    #[test]
    fn loops_are_ignored() {
        assert_eq!(with(|f| f.from = Some("mesadeservicios@cali.gov.co".into())), Class::Ignore(Ignored::Loop));
        assert_eq!(with(|f| f.from = Some("MESA@cali.gov.co".to_lowercase())), Class::Ignore(Ignored::Loop));
        assert_eq!(with(|f| f.message_id = Some("<mesa.12.0190a1b2-c3d4@mesa.cali.gov.co>".into())), Class::Ignore(Ignored::Loop));
        assert_eq!(with(|f| f.message_id = Some("<mesa.12@mesa.cali.gov.co>".into())), Class::Ignore(Ignored::Loop));
    }

    #[test]
    fn no_sender() {
        assert_eq!(with(|f| f.from = None), Class::NoSender);
    }

    #[test]
    fn replies_by_thread_headers_or_subject() {
        assert_eq!(with(|f| f.in_reply_to = vec!["<mesa.42.0190a1b2-c3d4-7e5f@mesa.cali.gov.co>".into()]), Class::Reply { number: 42 });
        assert_eq!(with(|f| f.references = vec!["<other@x>".into(), "<mesa.7@mesa.cali.gov.co>".into()]), Class::Reply { number: 7 });
        assert_eq!(with(|f| f.subject = "RE: [Mesa #1234] Caso registrado".into()), Class::Reply { number: 1234 });
        assert_eq!(with(|f| f.subject = "rv: [MESA # 99 ] algo".into()), Class::Reply { number: 99 });
        // The headers win over the subject.
        assert_eq!(
            with(|f| {
                f.subject = "[Mesa #5]".into();
                f.in_reply_to = vec!["<mesa.6.x@h>".into()];
            }),
            Class::Reply { number: 6 }
        );
        // Look-alikes are new cases.
        for s in ["[Mesa #]", "[Mesa #12", "[Mesa #-3]", "[Mesa #0]", "Mesa #12", "[Mesa #99999999999999999999]", "[Mesas #4]"] {
            assert_eq!(with(|f| f.subject = s.into()), Class::New, "{s}");
        }
        for id in ["<mesa.@h>", "<mesa.12>", "<mesa.x1.u@h>", "<notmesa.12.u@h>", "<mesa.12.u>", "<mesa.12@>"] {
            assert_eq!(with(|f| f.in_reply_to = vec![id.into()]), Class::New, "{id}");
        }
    }

    #[test]
    fn mesa_numbers() {
        assert_eq!(mesa_number("<mesa.1234.0190a1b2@mesa.example>"), Some(1234));
        assert_eq!(mesa_number("<mesa.1234@mesa.example>"), Some(1234));
        assert_eq!(mesa_number("mesa.3@h"), Some(3));
        assert_eq!(mesa_number("<mesa.0@h>"), None);
        assert_eq!(mesa_number("<mesa.3.u>"), None);
    }
}
