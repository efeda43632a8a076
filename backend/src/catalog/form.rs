//! The extra fields a service asks for: their definition (checked when a service is saved) and
//! the values a request brings (checked when a case is registered). Pure: no I/O.
use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use crate::error::FieldError;

/// A text in Spanish (required) and English (optional: the UI falls back to Spanish).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LocalizedText {
    pub es: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub en: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FieldType {
    Text,
    LongText,
    Number,
    Date,
    Select,
    Checkbox,
    File,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"value": "portatil", "label": {"es": "Portátil", "en": "Laptop"}}))]
pub struct FieldOption {
    pub value: String,
    pub label: LocalizedText,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FormField {
    /// snake_case identifier, unique within the service: the key of the value in a request.
    #[schema(example = "placa_equipo")]
    pub key: String,
    #[serde(rename = "type")]
    pub field_type: FieldType,
    pub label: LocalizedText,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<LocalizedText>,
    #[serde(default)]
    pub required: bool,
    /// Choices of a `select` field (and only of those).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<FieldOption>,
}

/// A document the requester must attach (e.g. the signed VPN request form).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "key": "oficio_solicitud",
    "label": {"es": "Oficio de solicitud firmado", "en": "Signed request letter"},
    "description": {"es": "PDF del oficio firmado por el jefe del área"}
}))]
pub struct AttachmentRequirement {
    pub key: String,
    pub label: LocalizedText,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<LocalizedText>,
}

pub const MAX_FIELDS: usize = 40;
const MAX_LABEL: usize = 200;

fn valid_key(key: &str) -> bool {
    let mut chars = key.chars();
    matches!(chars.next(), Some('a'..='z')) && key.len() <= 60 && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

fn check_text(errors: &mut Vec<FieldError>, path: &str, t: &LocalizedText) {
    if t.es.trim().is_empty() {
        errors.push(FieldError::new(format!("{path}.es"), "required", "the Spanish text is required"));
    } else if t.es.chars().count() > MAX_LABEL {
        errors.push(FieldError::new(format!("{path}.es"), "too_long", format!("must be at most {MAX_LABEL} characters")));
    }
    if let Some(en) = &t.en {
        if en.chars().count() > MAX_LABEL {
            errors.push(FieldError::new(format!("{path}.en"), "too_long", format!("must be at most {MAX_LABEL} characters")));
        }
    }
}

/// Every problem of a form definition, with paths under `prefix` (e.g. `service.form_fields`).
pub fn validate_definition(prefix: &str, fields: &[FormField]) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if fields.len() > MAX_FIELDS {
        errors.push(FieldError::new(prefix, "too_many", format!("at most {MAX_FIELDS} fields")));
    }
    let mut keys = HashSet::new();
    for (i, f) in fields.iter().enumerate() {
        let path = format!("{prefix}.{i}");
        if !valid_key(&f.key) {
            errors.push(FieldError::new(format!("{path}.key"), "invalid", "must be snake_case: a-z, digits and _ starting with a letter"));
        } else if !keys.insert(f.key.as_str()) {
            errors.push(FieldError::new(format!("{path}.key"), "duplicate", format!("'{}' is used by another field", f.key)));
        }
        check_text(&mut errors, &format!("{path}.label"), &f.label);
        if let Some(help) = &f.help {
            check_text(&mut errors, &format!("{path}.help"), help);
        }
        match f.field_type {
            FieldType::Select => {
                if f.options.is_empty() {
                    errors.push(FieldError::new(format!("{path}.options"), "required", "a select field needs at least one option"));
                }
                let mut values = HashSet::new();
                for (j, o) in f.options.iter().enumerate() {
                    if o.value.trim().is_empty() {
                        errors.push(FieldError::new(format!("{path}.options.{j}.value"), "required", "must not be empty"));
                    } else if !values.insert(o.value.as_str()) {
                        errors.push(FieldError::new(format!("{path}.options.{j}.value"), "duplicate", format!("'{}' appears twice", o.value)));
                    }
                    check_text(&mut errors, &format!("{path}.options.{j}.label"), &o.label);
                }
            }
            _ if !f.options.is_empty() => {
                errors.push(FieldError::new(format!("{path}.options"), "not_allowed", "only select fields have options"));
            }
            _ => {}
        }
    }
    errors
}

pub fn validate_attachments(prefix: &str, items: &[AttachmentRequirement]) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let mut keys = HashSet::new();
    for (i, a) in items.iter().enumerate() {
        let path = format!("{prefix}.{i}");
        if !valid_key(&a.key) {
            errors.push(FieldError::new(format!("{path}.key"), "invalid", "must be snake_case: a-z, digits and _ starting with a letter"));
        } else if !keys.insert(a.key.as_str()) {
            errors.push(FieldError::new(format!("{path}.key"), "duplicate", format!("'{}' is used twice", a.key)));
        }
        check_text(&mut errors, &format!("{path}.label"), &a.label);
    }
    errors
}

/// Checks the values a request brings for a service's fields (`file` fields are checked
/// against the uploaded attachments, not here). Unknown keys are refused.
pub fn validate_values(prefix: &str, fields: &[FormField], values: &serde_json::Map<String, Value>) -> Vec<FieldError> {
    let mut errors = Vec::new();
    for key in values.keys() {
        if !fields.iter().any(|f| &f.key == key) {
            errors.push(FieldError::new(format!("{prefix}.{key}"), "unknown_field", "this service has no such field"));
        }
    }
    for f in fields.iter().filter(|f| f.field_type != FieldType::File) {
        let path = format!("{prefix}.{}", f.key);
        let value = values.get(&f.key).filter(|v| !v.is_null() && *v != &Value::String(String::new()));
        let Some(v) = value else {
            if f.required {
                errors.push(FieldError::new(path, "required", format!("'{}' is required", f.label.es)));
            }
            continue;
        };
        let problem = match f.field_type {
            FieldType::Text => v.as_str().filter(|s| s.chars().count() <= 500).is_none().then_some("must be a text of at most 500 characters"),
            FieldType::LongText => v.as_str().filter(|s| s.chars().count() <= 10_000).is_none().then_some("must be a text of at most 10000 characters"),
            FieldType::Number => (!v.is_number()).then_some("must be a number"),
            FieldType::Date => v.as_str().and_then(|s| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()).is_none().then_some("must be a date as YYYY-MM-DD"),
            FieldType::Checkbox => {
                if !v.is_boolean() {
                    Some("must be true or false")
                } else if f.required && v == &Value::Bool(false) {
                    Some("must be checked")
                } else {
                    None
                }
            }
            FieldType::Select => v.as_str().filter(|s| f.options.iter().any(|o| o.value == *s)).is_none().then_some("must be one of the field's options"),
            FieldType::File => None,
        };
        if let Some(message) = problem {
            errors.push(FieldError::new(path, "invalid", message));
        }
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn text(es: &str) -> LocalizedText {
        LocalizedText { es: es.into(), en: Some(es.into()) }
    }

    fn field(key: &str, t: FieldType, required: bool) -> FormField {
        FormField { key: key.into(), field_type: t, label: text(key), help: None, required, options: vec![] }
    }

    fn select(key: &str, values: &[&str]) -> FormField {
        FormField { options: values.iter().map(|v| FieldOption { value: (*v).into(), label: text(v) }).collect(), ..field(key, FieldType::Select, true) }
    }

    fn codes(errors: &[FieldError]) -> Vec<(String, String)> {
        errors.iter().map(|e| (e.field.clone(), e.code.clone())).collect()
    }

    #[test]
    fn a_good_definition_passes() {
        let fields = vec![field("placa", FieldType::Text, true), select("tipo_equipo", &["portatil", "escritorio"]), field("fecha", FieldType::Date, false)];
        assert!(validate_definition("f", &fields).is_empty());
    }

    #[test]
    fn bad_definitions_name_each_problem() {
        let mut no_label = field("sin_etiqueta", FieldType::Text, false);
        no_label.label.es = " ".into();
        let mut text_with_options = field("texto", FieldType::Text, false);
        text_with_options.options = select("x", &["a"]).options;
        let fields = vec![
            field("Placa Equipo", FieldType::Text, true),
            field("dup", FieldType::Text, true),
            field("dup", FieldType::Number, true),
            select("vacio", &[]),
            select("repetido", &["a", "a"]),
            no_label,
            text_with_options,
        ];
        assert_eq!(
            codes(&validate_definition("service.form_fields", &fields)),
            vec![
                ("service.form_fields.0.key".into(), "invalid".into()),
                ("service.form_fields.2.key".into(), "duplicate".into()),
                ("service.form_fields.3.options".into(), "required".into()),
                ("service.form_fields.4.options.1.value".into(), "duplicate".into()),
                ("service.form_fields.5.label.es".into(), "required".into()),
                ("service.form_fields.6.options".into(), "not_allowed".into()),
            ]
        );
    }

    #[test]
    fn too_many_fields() {
        let fields: Vec<_> = (0..=MAX_FIELDS).map(|i| field(&format!("f{i}"), FieldType::Text, false)).collect();
        assert_eq!(codes(&validate_definition("f", &fields))[0], ("f".into(), "too_many".into()));
    }

    #[test]
    fn unknown_types_are_refused_by_serde() {
        let r: Result<FormField, _> = serde_json::from_value(json!({"key": "a", "type": "color", "label": {"es": "A"}}));
        assert!(r.is_err());
    }

    #[test]
    fn values_are_checked_against_the_definition() {
        let fields = vec![
            field("placa", FieldType::Text, true),
            field("cantidad", FieldType::Number, false),
            field("fecha", FieldType::Date, false),
            select("tipo", &["portatil", "escritorio"]),
            field("acepta", FieldType::Checkbox, true),
            field("formato", FieldType::File, true),
        ];
        let ok = json!({"placa": "ABC-123", "cantidad": 2, "fecha": "2026-11-23", "tipo": "portatil", "acepta": true});
        assert!(validate_values("fields", &fields, ok.as_object().unwrap()).is_empty());
        let bad = json!({"placa": "", "cantidad": "dos", "fecha": "23/11/2026", "tipo": "tablet", "acepta": false, "otro": 1});
        assert_eq!(
            codes(&validate_values("fields", &fields, bad.as_object().unwrap())),
            vec![
                ("fields.otro".into(), "unknown_field".into()),
                ("fields.placa".into(), "required".into()),
                ("fields.cantidad".into(), "invalid".into()),
                ("fields.fecha".into(), "invalid".into()),
                ("fields.tipo".into(), "invalid".into()),
                ("fields.acepta".into(), "invalid".into()),
            ]
        );
    }
}
