//! From a message's bytes to what intake needs: the facts classification reads, a stable key,
//! the sender, the text (HTML-only mail converted to text by `mail-parser`, never stored as
//! HTML) and the attachments. Pure.
use mail_parser::{HeaderValue, MessageParser, MimeHeaders};
use sha2::{Digest, Sha256};

use super::classify::Facts;

/// Longest Message-ID kept as the message's key; longer ones are hashed.
const MAX_KEY_CHARS: usize = 500;
/// Case descriptions and follow-ups hold at most this many characters (as through the API).
pub const MAX_TEXT_CHARS: usize = 20_000;
pub const MAX_SUBJECT_CHARS: usize = 200;

#[derive(Debug)]
pub struct Mail {
    pub facts: Facts,
    /// `id:<Message-ID>`, or `sha256:<hex of the bytes>` when it has none usable.
    pub key: String,
    /// The sender's display name, if the `From` header gives one.
    pub sender_name: Option<String>,
    /// Plain text, without NUL characters.
    pub text: String,
    pub attachments: Vec<Attachment>,
}

#[derive(Debug)]
pub struct Attachment {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// Why a message cannot be read at all.
#[derive(Debug, PartialEq, Eq)]
pub enum Malformed {
    /// Not a message (no header block mail-parser recognises).
    Garbage,
    /// Text that does not decode in its declared charset and transfer encoding.
    BadEncoding,
}

impl Malformed {
    pub fn as_str(&self) -> &'static str {
        match self {
            Malformed::Garbage => "garbage",
            Malformed::BadEncoding => "bad_encoding",
        }
    }
}

/// The key of a message when nothing else can be read from it (a hash of its bytes).
pub fn hash_key(raw: &[u8]) -> String {
    let digest = Sha256::digest(raw);
    format!("sha256:{}", digest.iter().map(|b| format!("{b:02x}")).collect::<String>())
}

fn clean(s: &str) -> String {
    s.replace('\0', "")
}

fn ids(v: &HeaderValue) -> Vec<String> {
    match v {
        HeaderValue::Text(t) => vec![format!("<{}>", t.trim())],
        HeaderValue::TextList(l) => l.iter().map(|t| format!("<{}>", t.trim())).collect(),
        _ => vec![],
    }
}

pub fn parse(raw: &[u8]) -> Result<Mail, Malformed> {
    let message = MessageParser::default().parse(raw).ok_or(Malformed::Garbage)?;
    if message.headers().is_empty() {
        return Err(Malformed::Garbage);
    }
    let raw_header = |name: &str| message.header_raw(name).map(|v| v.trim().to_owned());
    let lower_header = |name: &str| message.header(name).and_then(|v| v.as_text()).map(|v| v.trim().to_lowercase());
    let from = message.from().and_then(|a| a.first());
    let from_address = from.and_then(|a| a.address()).map(|a| a.trim().to_lowercase()).filter(|a| a.contains('@') && !a.contains('\0') && a.len() <= 254);
    let sender_name = from.and_then(|a| a.name()).map(|n| clean(n.trim())).filter(|n| !n.is_empty());
    let message_id = message.message_id().map(|m| clean(m.trim())).filter(|m| !m.is_empty());
    let subject = message.subject().map(|s| s.trim().to_owned()).unwrap_or_default();
    let text = message.body_text(0).map(|t| t.into_owned()).unwrap_or_default();
    // mail-parser decodes leniently, putting U+FFFD where bytes did not decode; a NUL is no text.
    if [&subject, &text].iter().any(|t| t.contains('\u{FFFD}') || t.contains('\0')) {
        return Err(Malformed::BadEncoding);
    }
    let root_type = message.root_part().content_type();
    let content_type = root_type.map(|c| format!("{}/{}", c.ctype(), c.subtype().unwrap_or("")).to_lowercase()).unwrap_or_else(|| "text/plain".into());
    let report_type = root_type.and_then(|c| c.attribute("report-type")).map(|r| r.to_lowercase());
    let facts = Facts {
        from: from_address,
        return_path: raw_header("Return-Path"),
        in_reply_to: ids(message.in_reply_to()),
        references: ids(message.references()),
        message_id: message_id.as_ref().map(|m| format!("<{m}>")),
        subject: clean(&subject),
        auto_submitted: lower_header("Auto-Submitted").or_else(|| raw_header("Auto-Submitted").map(|v| v.to_lowercase())),
        precedence: lower_header("Precedence").or_else(|| raw_header("Precedence").map(|v| v.to_lowercase())),
        autoreply_header: raw_header("X-Autoreply").is_some() || raw_header("X-Autorespond").is_some(),
        content_type,
        report_type,
    };
    let key = match &message_id {
        Some(id) if id.chars().count() <= MAX_KEY_CHARS => format!("id:{id}"),
        _ => hash_key(raw),
    };
    let attachments = message.attachments().map(|part| Attachment { name: clean(part.attachment_name().unwrap_or("")), bytes: part.contents().to_vec() }).collect();
    Ok(Mail { facts, key, sender_name, text: clean(&text).replace("\r\n", "\n"), attachments })
}

/// At most `max` characters, cut with an ellipsis.
pub fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(max - 1).collect();
    cut.push('…');
    cut
}

/// A reply without the earlier mail it quotes: everything from an attribution line ("El … escribió:",
/// "On … wrote:", an "Original Message" or Outlook separator) on, and `>`-quoted lines.
pub fn strip_quoted(text: &str) -> String {
    let mut kept: Vec<&str> = Vec::new();
    for line in text.lines() {
        let t = line.trim();
        let lower = t.to_lowercase();
        let attribution = lower.ends_with("escribió:") || lower.ends_with("wrote:");
        let separator = lower.contains("-----original message-----") || lower.contains("-----mensaje original-----") || (t.len() >= 20 && t.chars().all(|c| c == '_'));
        if attribution || separator {
            // An attribution wrapped over two lines ("El jue, 3 dic 2026, Mesa <…>" / "escribió:").
            if attribution && !(lower.starts_with("el ") || lower.starts_with("on ")) {
                if let Some(prev) = kept.last() {
                    let p = prev.trim().to_lowercase();
                    if p.starts_with("el ") || p.starts_with("on ") {
                        kept.pop();
                    }
                }
            }
            break;
        }
        if t.starts_with('>') {
            continue;
        }
        kept.push(line.trim_end());
    }
    while kept.last().is_some_and(|l| l.trim().is_empty()) {
        kept.pop();
    }
    while kept.first().is_some_and(|l| l.trim().is_empty()) {
        kept.remove(0);
    }
    kept.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn crlf(s: &str) -> Vec<u8> {
        s.replace('\n', "\r\n").into_bytes()
    }

    #[test]
    fn a_plain_message() {
        let m = parse(&crlf(
            "From: \"Ana Pérez\" <Ana.Perez@Cali.gov.co>\nTo: mesa@cali.gov.co\nSubject: =?UTF-8?Q?No_enciende_el_equipo_de_facturaci=C3=B3n?=\nMessage-ID: <abc123@mail.cali.gov.co>\nReturn-Path: <ana.perez@cali.gov.co>\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\nBuenos días,\nel equipo no enciende.\n",
        ))
        .unwrap();
        assert_eq!(m.facts.from.as_deref(), Some("ana.perez@cali.gov.co"));
        assert_eq!(m.sender_name.as_deref(), Some("Ana Pérez"));
        assert_eq!(m.facts.subject, "No enciende el equipo de facturación");
        assert_eq!(m.key, "id:abc123@mail.cali.gov.co");
        assert_eq!(m.facts.message_id.as_deref(), Some("<abc123@mail.cali.gov.co>"));
        assert_eq!(m.facts.return_path.as_deref(), Some("<ana.perez@cali.gov.co>"));
        assert_eq!(m.text.trim_end(), "Buenos días,\nel equipo no enciende.", "line ends are \\n");
        assert!(m.attachments.is_empty());
    }

    #[test]
    fn latin1_html_only_and_attachments() {
        let mut raw = crlf(
            "From: jose@educacion.gov.co\nSubject: Impresora\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"b1\"\n\n--b1\nContent-Type: text/html; charset=iso-8859-1\nContent-Transfer-Encoding: quoted-printable\n\n<html><body><p>La impresora no imprime, =E1rea de cobertura.</p><script>alert(1)</script></body></html>\n--b1\nContent-Type: application/pdf; name=\"oficio.pdf\"\nContent-Disposition: attachment; filename=\"oficio.pdf\"\nContent-Transfer-Encoding: base64\n\nJVBERi0xLjQKJcOkw7zDtsOfCjIgMCBvYmoKPDwvTGVuZ3RoIDMgMCBSPj4Kc3RyZWFtCmVuZHN0cmVhbQplbmRvYmoKdHJhaWxlcgo8PC9Sb290IDEgMCBSPj4KJSVFT0YK\n--b1--\n",
        );
        raw.extend_from_slice(b"");
        let m = parse(&raw).unwrap();
        assert!(m.text.contains("La impresora no imprime, área de cobertura."), "{}", m.text);
        assert!(!m.text.contains("<p>") && !m.text.contains("<html"), "no HTML kept: {}", m.text);
        assert!(m.key.starts_with("sha256:"), "no Message-ID: a hash key");
        assert_eq!(m.attachments.len(), 1);
        assert_eq!(m.attachments[0].name, "oficio.pdf");
        assert!(m.attachments[0].bytes.starts_with(b"%PDF-1.4"));
        assert_eq!(m.facts.content_type, "multipart/mixed");
    }

    #[test]
    fn headers_classification_reads() {
        let m = parse(&crlf(
            "From: MAILER-DAEMON@mx.example.org\nReturn-Path: <>\nAuto-Submitted: auto-replied\nPrecedence: Bulk\nX-Autoreply: yes\nIn-Reply-To: <mesa.12.abc@mesa.example>\nReferences: <a@b> <mesa.12@mesa.example>\nSubject: x\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"z\"\n\n--z\nContent-Type: text/plain\n\nUndeliverable\n--z--\n",
        ))
        .unwrap();
        assert_eq!(m.facts.return_path.as_deref(), Some("<>"));
        assert_eq!(m.facts.auto_submitted.as_deref(), Some("auto-replied"));
        assert_eq!(m.facts.precedence.as_deref(), Some("bulk"));
        assert!(m.facts.autoreply_header);
        assert_eq!(m.facts.in_reply_to, vec!["<mesa.12.abc@mesa.example>"]);
        assert_eq!(m.facts.references, vec!["<a@b>", "<mesa.12@mesa.example>"]);
        assert_eq!((m.facts.content_type.as_str(), m.facts.report_type.as_deref()), ("multipart/report", Some("delivery-status")));
    }

    #[test]
    fn malformed_mail() {
        // Bytes that are not UTF-8 in a part that says it is.
        let mut raw = crlf("From: a@b.co\nSubject: roto\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n");
        raw.extend_from_slice(b"\xff\xfe\xfa texto\r\n");
        assert_eq!(parse(&raw).unwrap_err(), Malformed::BadEncoding);
        let mut nul = crlf("From: a@b.co\nSubject: nul\n\n");
        nul.extend_from_slice(b"a\0b\r\n");
        assert_eq!(parse(&nul).unwrap_err(), Malformed::BadEncoding);
        assert_eq!(parse(b"").unwrap_err(), Malformed::Garbage);
        // No From: parsed, classification says no sender.
        let m = parse(&crlf("Subject: sin remitente\n\nhola\n")).unwrap();
        assert_eq!(m.facts.from, None);
        let m = parse(&crlf("From: not an address\nSubject: x\n\nhola\n")).unwrap();
        assert_eq!(m.facts.from, None);
    }

    #[test]
    fn long_message_ids_are_hashed() {
        let id = "x".repeat(600);
        let m = parse(&crlf(&format!("From: a@b.co\nMessage-ID: <{id}@h>\nSubject: s\n\nt\n"))).unwrap();
        assert!(m.key.starts_with("sha256:"));
    }

    #[test]
    fn quoted_text_is_stripped() {
        let es = "Ya reinicié y sigue igual.\n\nGracias\n\nEl jue, 3 dic 2026 a las 10:00, Mesa de servicios <mesa@cali.gov.co> escribió:\n> Su caso fue registrado\n> con el número 12\n";
        assert_eq!(strip_quoted(es), "Ya reinicié y sigue igual.\n\nGracias");
        let en = "Works now.\nOn Thu, Dec 3, 2026 at 10:00 AM Mesa <mesa@x.org> wrote:\n> old\n";
        assert_eq!(strip_quoted(en), "Works now.");
        let wrapped = "Listo.\nEl jue, 3 dic 2026 a las 10:00, Mesa de servicios <mesa@cali.gov.co>\nescribió:\n> viejo";
        assert_eq!(strip_quoted(wrapped), "Listo.");
        let interleaved = "> pregunta 1\nrespuesta 1\n> pregunta 2\nrespuesta 2";
        assert_eq!(strip_quoted(interleaved), "respuesta 1\nrespuesta 2");
        let outlook = "Adjunto el soporte.\n\n________________________________\nDe: Mesa <mesa@cali.gov.co>\nEnviado: jueves\n";
        assert_eq!(strip_quoted(outlook), "Adjunto el soporte.");
        let original = "ok\n-----Mensaje original-----\nDe: x";
        assert_eq!(strip_quoted(original), "ok");
        assert_eq!(strip_quoted("> todo citado"), "");
        assert_eq!(strip_quoted("sin citas\n"), "sin citas");
    }

    #[test]
    fn truncation() {
        assert_eq!(truncate("abc", 3), "abc");
        assert_eq!(truncate("abcd", 3), "ab…");
        assert_eq!(truncate(&"ñ".repeat(30_000), MAX_TEXT_CHARS).chars().count(), MAX_TEXT_CHARS);
    }
}
