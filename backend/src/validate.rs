//! Small helpers that collect every field problem of a request before answering.
use crate::error::{AppError, FieldError};

#[derive(Default)]
pub struct Errors(Vec<FieldError>);

impl Errors {
    pub fn add(&mut self, field: &str, code: &str, message: impl Into<String>) {
        self.0.push(FieldError::new(field, code, message));
    }

    /// A trimmed, non-empty text of at most `max` characters.
    pub fn text(&mut self, field: &str, value: &str, max: usize) -> String {
        let v = value.trim();
        if v.is_empty() {
            self.add(field, "required", "must not be empty");
        } else if v.chars().count() > max {
            self.add(field, "too_long", format!("must be at most {max} characters"));
        }
        v.to_owned()
    }

    /// Optional text: blank becomes `None`.
    pub fn optional_text(&mut self, field: &str, value: Option<&str>, max: usize) -> Option<String> {
        let v = value.map(str::trim).filter(|v| !v.is_empty())?;
        if v.chars().count() > max {
            self.add(field, "too_long", format!("must be at most {max} characters"));
        }
        Some(v.to_owned())
    }

    pub fn email(&mut self, field: &str, value: Option<&str>) -> Option<String> {
        let v = self.optional_text(field, value, 254)?;
        let valid = match v.split_once('@') {
            Some((local, domain)) => !local.is_empty() && domain.contains('.') && !domain.starts_with('.') && !v.contains(char::is_whitespace),
            None => false,
        };
        if !valid {
            self.add(field, "invalid", "is not an email address");
        }
        Some(v)
    }

    pub fn finish(self) -> Result<(), AppError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(AppError::Validation(self.0))
        }
    }
}

/// Lets a PATCH tell "leave as is" (field absent) from "clear" (`null`).
pub fn double_option<'de, T, D>(de: D) -> Result<Option<Option<T>>, D::Error>
where
    T: serde::Deserialize<'de>,
    D: serde::Deserializer<'de>,
{
    serde::Deserialize::deserialize(de).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collects_every_problem() {
        let mut e = Errors::default();
        assert_eq!(e.text("name", "  Hacienda ", 50), "Hacienda");
        e.text("short", "   ", 10);
        e.text("long", "abcdef", 3);
        e.email("email", Some("no-at-sign"));
        assert_eq!(e.email("ok", Some("maria@cali.gov.co")).as_deref(), Some("maria@cali.gov.co"));
        assert_eq!(e.optional_text("blank", Some("  "), 5), None);
        match e.finish() {
            Err(AppError::Validation(v)) => {
                let fields: Vec<_> = v.iter().map(|f| f.field.as_str()).collect();
                assert_eq!(fields, ["short", "long", "email"]);
            }
            other => panic!("{other:?}"),
        }
    }
}
