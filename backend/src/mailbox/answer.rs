//! What to mail back when a message is refused: which answer, to whom, in which language, with
//! what to fill it with. Pure. The answers are stored in `mailbox_answers`; outgoing mail
//! (issue 16, item 1) delivers them.
use serde::Serialize;
use serde_json::{json, Value};

/// The answers intake may give.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A reply to a case the sender may not write on (not its requester nor staff of its desk),
    /// or to no case at all: numbers reveal nothing, so both get the same answer.
    ReplyNotAllowed,
    /// A reply to a closed (or cancelled, rejected) case: open a new one instead.
    ReplyClosed,
    /// Mail from an unknown address to a desk whose policy is `instruct`: how to reach the desk.
    UnknownSenderInstructions,
    /// A new case the desk refused to register for this sender (the desk is closed to their
    /// organization, it needs their identity number, …).
    RegistrationRefused,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::ReplyNotAllowed => "reply_not_allowed",
            Kind::ReplyClosed => "reply_closed",
            Kind::UnknownSenderInstructions => "unknown_sender_instructions",
            Kind::RegistrationRefused => "registration_refused",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Answer {
    pub kind: Kind,
    pub to: String,
    /// The recipient's language (their profile's), `es-CO` for people Mesa does not know.
    pub locale: String,
    /// What the template is filled with: `desk`, `subject`, `number` (when the mail named a
    /// case), `portal_url`, `reason` (a refusal's code), `in_reply_to` (the message's id, to thread the answer).
    pub vars: Value,
}

pub struct Context<'a> {
    pub desk_name: &'a str,
    pub portal_url: &'a str,
    pub subject: &'a str,
    pub message_id: Option<&'a str>,
}

pub fn answer(kind: Kind, to: &str, locale: Option<&str>, number: Option<i64>, reason: Option<&str>, cx: &Context) -> Answer {
    let locale = match locale {
        Some(l) if l.starts_with("en") => "en",
        _ => "es-CO",
    };
    Answer {
        kind,
        to: to.to_owned(),
        locale: locale.to_owned(),
        vars: json!({
            "desk": cx.desk_name,
            "subject": cx.subject,
            "number": number,
            "portal_url": cx.portal_url,
            "reason": reason,
            "in_reply_to": cx.message_id,
        }),
    }
}

/// The sentence the answer mail gives as its reason, in the recipient's language (`en`, or
/// Spanish). Numbers are named only to someone who wrote about them, and "not allowed" never says
/// whether the case exists.
pub fn reason_text(a: &Answer, english: bool) -> String {
    let number = a.vars.get("number").and_then(Value::as_i64);
    match (a.kind, english) {
        (Kind::ReplyNotAllowed, false) => "su correo no corresponde a un caso en el que usted pueda escribir.".into(),
        (Kind::ReplyNotAllowed, true) => "your mail does not answer a case you may write on.".into(),
        (Kind::ReplyClosed, false) => match number {
            Some(n) => format!("el caso #{n} ya está cerrado; si necesita algo más, registre una nueva solicitud."),
            None => "el caso ya está cerrado; si necesita algo más, registre una nueva solicitud.".into(),
        },
        (Kind::ReplyClosed, true) => match number {
            Some(n) => format!("case #{n} is already closed; if you need anything else, please open a new request."),
            None => "the case is already closed; if you need anything else, please open a new request.".into(),
        },
        (Kind::RegistrationRefused, false) => "la mesa no pudo registrar su solicitud con los datos del correo.".into(),
        (Kind::RegistrationRefused, true) => "the desk could not register your request from the mail.".into(),
        // The instructions say it all; no reason is added.
        (Kind::UnknownSenderInstructions, _) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_are_worded_in_the_recipients_language_and_name_only_the_case_written_about() {
        let cx = Context { desk_name: "Mesa TIC", portal_url: "https://mesa.cali.gov.co", subject: "x", message_id: None };
        let closed = answer(Kind::ReplyClosed, "ana@cali.gov.co", None, Some(12), Some("case_closed"), &cx);
        assert!(reason_text(&closed, false).starts_with("el caso #12 ya está cerrado"));
        assert!(reason_text(&closed, true).starts_with("case #12 is already closed"));
        let stranger = answer(Kind::ReplyNotAllowed, "x@y.co", None, Some(12), Some("not_allowed"), &cx);
        assert!(!reason_text(&stranger, false).contains("12"), "a stranger learns nothing of case 12");
        assert!(!reason_text(&stranger, true).contains("12"));
        let refused = answer(Kind::RegistrationRefused, "x@y.co", None, None, Some("invalid"), &cx);
        assert!(reason_text(&refused, false).contains("no pudo registrar"));
        let unknown = answer(Kind::UnknownSenderInstructions, "x@y.co", None, None, Some("unknown_sender"), &cx);
        assert_eq!(reason_text(&unknown, true), "");
    }

    #[test]
    fn answers_carry_what_their_template_needs() {
        let cx = Context { desk_name: "Mesa TIC", portal_url: "https://mesa.cali.gov.co", subject: "RE: [Mesa #12] x", message_id: Some("<a@b>") };
        let a = answer(Kind::ReplyClosed, "ana@cali.gov.co", Some("en-US"), Some(12), None, &cx);
        assert_eq!((a.kind.as_str(), a.to.as_str(), a.locale.as_str()), ("reply_closed", "ana@cali.gov.co", "en"));
        assert_eq!(a.vars["number"], 12);
        assert_eq!(a.vars["desk"], "Mesa TIC");
        assert_eq!(a.vars["in_reply_to"], "<a@b>");
        let b = answer(Kind::UnknownSenderInstructions, "x@y.co", None, None, None, &cx);
        assert_eq!(b.locale, "es-CO");
        assert!(b.vars["number"].is_null());
        assert_eq!(answer(Kind::RegistrationRefused, "x@y.co", Some("es-CO"), None, Some("forbidden"), &cx).vars["reason"], "forbidden");
        for k in [Kind::ReplyNotAllowed, Kind::ReplyClosed, Kind::UnknownSenderInstructions, Kind::RegistrationRefused] {
            assert_eq!(serde_json::to_value(k).unwrap(), json!(k.as_str()));
        }
    }
}
