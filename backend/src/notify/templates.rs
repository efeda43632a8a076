//! The words of each kind of mail: a subject, a plain-text body and an HTML body per language,
//! rendered with MiniJinja (HTML auto-escaped). The built-in ones are compiled in
//! (`templates/{kind}.{lang}`: three sections, `=== subject ===`, `=== text ===`, `=== html ===`);
//! a desk may override any kind and language ([`super::routes`]). An HTML part may
//! `{% extends "layout.html" %}` and fill its `body` block.
use minijinja::{Environment, UndefinedBehavior};
use serde::Serialize;
use serde_json::{json, Map, Value};
use utoipa::ToSchema;

use super::domain::{Kind, Lang};
use crate::error::FieldError;

/// One template (sources) or one rendered mail (results).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct Parts {
    #[schema(example = "[Mesa #1042] Caso registrado: La impresora del piso 4 no imprime")]
    pub subject: String,
    #[schema(example = "Hola Lucía Martínez, su solicitud quedó registrada con el número 1042. Ver el caso: https://mesa.cali.gov.co/tickets/1042")]
    pub text: String,
    #[schema(example = "<p>Hola Lucía Martínez, su solicitud quedó registrada con el número <strong>1042</strong>.</p>")]
    pub html: String,
}

const LAYOUT: &str = include_str!("templates/layout.html");

/// Every variable a template may use: the context always carries all of them (`null` when a
/// kind has no value for one), so a misspelt name is refused when a template is saved.
pub const VARIABLES: &[&str] = &[
    "lang",
    "kind",
    "number",
    "subject",
    "url",
    "public_url",
    "desk",
    "service",
    "group",
    "agent",
    "requester",
    "recipient",
    "actor",
    "role",
    "status",
    "priority",
    "type",
    "level",
    "previous_level",
    "followup",
    "solution",
    "solution_type",
    "survey_url",
    "close_reason",
    "reopen_reason",
    "hold_reason",
    "note",
    "desist_at",
    "reason",
    "redirected_to",
    "clock",
    "at_share",
    "webhook_url",
    "webhook_id",
];

/// Longest source of one part a desk may store.
pub const MAX_SOURCE: usize = 100_000;
/// Bounds a template's work (loops over huge ranges): MiniJinja's instruction budget.
const FUEL: u64 = 200_000;

macro_rules! builtin_sources {
    ($($kind:ident => $name:literal),+ $(,)?) => {
        fn builtin_source(kind: Kind, lang: Lang) -> &'static str {
            match (kind, lang) {
                $(
                    (Kind::$kind, Lang::Es) => include_str!(concat!("templates/", $name, ".es")),
                    (Kind::$kind, Lang::En) => include_str!(concat!("templates/", $name, ".en")),
                )+
            }
        }
    };
}

builtin_sources! {
    Registered => "registered",
    Classified => "classified",
    Assigned => "assigned",
    Escalated => "escalated",
    Followup => "followup",
    OnHold => "on_hold",
    Resumed => "resumed",
    Resolved => "resolved",
    Closed => "closed",
    Reopened => "reopened",
    Desisted => "desisted",
    SurveyReminder => "survey_reminder",
    Rejected => "rejected",
    Cancelled => "cancelled",
    Transferred => "transferred",
    SlaAtRisk => "sla_at_risk",
    SlaBreached => "sla_breached",
    IntakeRefused => "intake_refused",
    IntakeInstructions => "intake_instructions",
    WebhookDisabled => "webhook_disabled",
}

/// The built-in template of a kind in a language.
pub fn builtin(kind: Kind, lang: Lang) -> Parts {
    split(builtin_source(kind, lang)).unwrap_or_else(|| panic!("templates/{}.{}: needs the three sections", kind.as_str(), lang.as_str()))
}

fn split(source: &str) -> Option<Parts> {
    let rest = source.strip_prefix("=== subject ===\n")?;
    let (subject, rest) = rest.split_once("\n=== text ===\n")?;
    let (text, html) = rest.split_once("\n=== html ===\n")?;
    Some(Parts { subject: subject.to_owned(), text: text.to_owned(), html: html.to_owned() })
}

fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_fuel(Some(FUEL));
    // Names decide escaping: `.html` escapes, `.subject` and `.txt` do not.
    env.add_template("layout.html", LAYOUT).expect("the built-in layout parses");
    env
}

/// Renders templates; keeps each source it has parsed, so a batch of mails parses each once.
pub struct Renderer {
    env: Environment<'static>,
}

impl Default for Renderer {
    fn default() -> Self {
        Renderer { env: environment() }
    }
}

impl Renderer {
    /// Renders `parts` (registered under `key`, e.g. the desk and kind) with `ctx`. A failure
    /// names the part at fault: `subject`, `text` or `html`.
    pub fn render(&mut self, key: &str, parts: &Parts, ctx: &Value) -> Result<Parts, FieldError> {
        let mut out = Vec::with_capacity(3);
        for (field, suffix, source) in [("subject", "subject", &parts.subject), ("text", "txt", &parts.text), ("html", "html", &parts.html)] {
            let name = format!("{key}.{suffix}");
            if self.env.get_template(&name).is_err() {
                self.env.add_template_owned(name.clone(), source.clone()).map_err(|e| problem(field, &e))?;
            }
            let rendered = self.env.get_template(&name).and_then(|t| t.render(ctx)).map_err(|e| problem(field, &e))?;
            out.push(rendered);
        }
        let html = out.pop().unwrap_or_default();
        let text = out.pop().unwrap_or_default();
        let subject = out.pop().unwrap_or_default();
        Ok(Parts { subject, text, html })
    }
}

fn problem(field: &str, e: &minijinja::Error) -> FieldError {
    let mut message = e.to_string();
    if let Some(line) = e.line() {
        message = format!("line {line}: {message}");
    }
    FieldError::new(field, "invalid_template", message)
}

/// Checks a desk's template: each part at most [`MAX_SOURCE`] bytes, parses, and renders
/// against the sample case in both roles a mail may be written for.
pub fn check(kind: Kind, lang: Lang, parts: &Parts, public_url: &str) -> Result<Parts, Vec<FieldError>> {
    let mut errors = Vec::new();
    for (field, source) in [("subject", &parts.subject), ("text", &parts.text), ("html", &parts.html)] {
        if source.len() > MAX_SOURCE {
            errors.push(FieldError::new(field, "too_long", format!("at most {MAX_SOURCE} bytes")));
        } else if source.contains('\0') {
            errors.push(FieldError::new(field, "invalid", "must not contain NUL characters"));
        } else if field == "subject" && source.trim().is_empty() {
            errors.push(FieldError::new(field, "required", "a mail needs a subject"));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut renderer = Renderer::default();
    let mut first = None;
    for role in ["requester", "agent"] {
        let ctx = sample_context(kind, lang, public_url, role);
        match renderer.render("check", parts, &ctx) {
            Ok(p) => {
                first.get_or_insert(p);
            }
            Err(e) => return Err(vec![e]),
        }
    }
    Ok(first.expect("rendered"))
}

/// Completes a context: every [`VARIABLES`] name present, `null` when not given.
pub fn complete(mut ctx: Map<String, Value>) -> Value {
    for v in VARIABLES {
        ctx.entry(v.to_string()).or_insert(Value::Null);
    }
    Value::Object(ctx)
}

/// The sample case previews and checks render against.
pub fn sample_context(kind: Kind, lang: Lang, public_url: &str, role: &str) -> Value {
    let es = lang == Lang::Es;
    let base = public_url.trim_end_matches('/');
    let v = json!({
        "lang": lang.as_str(),
        "kind": kind.as_str(),
        "number": if kind.of_case() { json!(1234) } else { Value::Null },
        "subject": if es { "El equipo no enciende" } else { "The computer does not start" },
        "url": format!("{base}/tickets/1234"),
        "public_url": base,
        "desk": if es { "Tecnologías de la Información" } else { "Information Technology" },
        "service": if es { "Soporte virtual o en sitio" } else { "Remote or on-site support" },
        "group": if es { "Soporte técnico nivel 1" } else { "Technical support level 1" },
        "agent": "Andrés Agente",
        "requester": "Lucía Martínez",
        "recipient": if role == "requester" { "Lucía Martínez" } else { "Andrés Agente" },
        "actor": "Andrés Agente",
        "role": role,
        "status": super::domain::label(lang, "in_progress"),
        "priority": super::domain::label(lang, "high"),
        "type": super::domain::label(lang, "incident"),
        "level": 2,
        "previous_level": 1,
        "followup": if es { "Revisamos el equipo: la fuente está dañada." } else { "We checked the computer: the power supply is broken." },
        "solution": if es { "Se cambió la fuente de poder." } else { "The power supply was replaced." },
        "solution_type": "on_site",
        "survey_url": "https://mesa.example.gov.co/survey/EjEmPlO",
        "close_reason": "silence",
        "reopen_reason": "survey",
        "hold_reason": super::domain::label(lang, "waiting_requester"),
        "note": if es { "Indique la placa del equipo." } else { "Please tell us the computer's asset tag." },
        "desist_at": "2026-12-01",
        "reason": if es { "Requiere un especialista" } else { "Needs a specialist" },
        "redirected_to": if es { "Secretaría de Infraestructura" } else { "Infrastructure department" },
        "clock": super::domain::label(lang, "ttr"),
        "at_share": 0.75,
        "webhook_url": "https://integraciones.example.gov.co/mesa",
        "webhook_id": "0193a5c0-0000-7000-8000-000000000000",
    });
    let Value::Object(map) = v else { unreachable!() };
    complete(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_renders_in_both_languages_and_roles() {
        for kind in Kind::ALL {
            for lang in [Lang::Es, Lang::En] {
                let parts = builtin(*kind, lang);
                let r = check(*kind, lang, &parts, "https://mesa.example.gov.co").unwrap_or_else(|e| panic!("{kind:?} {lang:?}: {e:?}"));
                assert!(!r.subject.trim().is_empty() && !r.text.trim().is_empty() && r.html.contains("</html>"), "{kind:?} {lang:?}");
                if kind.of_case() {
                    // MiniJinja escapes `/` in HTML as `&#x2f;`, which browsers read back.
                    assert!(r.text.contains("1234") && r.html.replace("&#x2f;", "/").contains("https://mesa.example.gov.co/tickets/1234"), "{kind:?} {lang:?}: {}", r.html);
                }
            }
        }
    }

    #[test]
    fn html_is_escaped_and_text_is_not() {
        let mut ctx = sample_context(Kind::Followup, Lang::Es, "http://x", "requester");
        ctx["followup"] = json!("<script>alert(1)</script> & <b>");
        let r = Renderer::default().render("t", &builtin(Kind::Followup, Lang::Es), &ctx).unwrap();
        assert!(r.html.contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt; &amp; &lt;b&gt;"), "{}", r.html);
        assert!(!r.html.contains("<script>"));
        assert!(r.text.contains("<script>alert(1)</script> & <b>"));
    }

    #[test]
    fn broken_templates_are_refused_naming_the_part() {
        let good = builtin(Kind::Resolved, Lang::Es);
        let syntax = Parts { text: "{% if %}".into(), ..good.clone() };
        assert_eq!(check(Kind::Resolved, Lang::Es, &syntax, "http://x").unwrap_err()[0].field, "text");
        let unknown = Parts { html: "{{ no_such_variable }}".into(), ..good.clone() };
        let e = check(Kind::Resolved, Lang::Es, &unknown, "http://x").unwrap_err();
        assert_eq!((e[0].field.as_str(), e[0].code.as_str()), ("html", "invalid_template"));
        let runaway = Parts { subject: "{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}".into(), ..good.clone() };
        assert_eq!(check(Kind::Resolved, Lang::Es, &runaway, "http://x").unwrap_err()[0].field, "subject");
        let huge = Parts { text: "x".repeat(MAX_SOURCE + 1), ..good.clone() };
        assert_eq!(check(Kind::Resolved, Lang::Es, &huge, "http://x").unwrap_err()[0].code, "too_long");
        let nul = Parts { subject: "a\0b".into(), ..good.clone() };
        assert_eq!(check(Kind::Resolved, Lang::Es, &nul, "http://x").unwrap_err()[0].field, "subject");
        assert!(check(Kind::Resolved, Lang::Es, &Parts { subject: "Listo: {{ subject }}".into(), ..good }, "http://x").is_ok());
    }
}
