//! Request/response plumbing shared by every feature: JSON bodies with field-level errors,
//! `If-Match` row versions, keyset cursors.
use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{web, FromRequest, HttpRequest};
use base64::Engine;
use futures_util::future::LocalBoxFuture;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::error::{AppError, FieldError};

/// Largest JSON body accepted anywhere in the API.
pub const JSON_LIMIT: usize = 256 * 1024;

/// A JSON request body whose deserialisation errors name the field at fault.
pub struct JsonBody<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for JsonBody<T> {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|ct| {
                let essence = ct.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
                essence == "application/json" || essence.ends_with("+json")
            })
            .unwrap_or(false);
        let body = web::Bytes::from_request(req, payload);
        Box::pin(async move {
            if !is_json {
                return Err(AppError::BadRequest("Content-Type must be application/json".into()));
            }
            let bytes = body.await.map_err(|e| {
                if e.as_response_error().status_code() == actix_web::http::StatusCode::PAYLOAD_TOO_LARGE {
                    AppError::PayloadTooLarge(format!("the body exceeds {JSON_LIMIT} bytes"))
                } else {
                    AppError::BadRequest(format!("could not read the body: {e}"))
                }
            })?;
            parse_json(&bytes).map(JsonBody)
        })
    }
}

/// Parses a whole JSON body: one value and nothing after it but whitespace, no NUL character in
/// any string (Postgres text cannot hold one), errors naming the field at fault.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    if has_escaped_nul(bytes) {
        reject_nul_strings(bytes)?;
    }
    // serde would also fill a struct from an array of its fields in order (`[null, null]`);
    // every body of this API is an object.
    let first = bytes.iter().copied().find(|b| !b.is_ascii_whitespace());
    if first.is_some_and(|b| b != b'{') && serde_json::from_slice::<serde::de::IgnoredAny>(bytes).is_ok() {
        return Err(AppError::field("body", "invalid_type", "must be a JSON object"));
    }
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    let syntax = |inner: &serde_json::Error| AppError::BadRequest(format!("invalid JSON: {inner}"));
    let value = serde_path_to_error::deserialize(&mut *de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        if inner.is_syntax() || inner.is_eof() {
            return syntax(&inner);
        }
        AppError::Validation(vec![field_error_from_serde(&path, &inner.to_string())])
    })?;
    de.end().map_err(|e| syntax(&e))?;
    Ok(value)
}

/// JSON text cannot hold a raw NUL byte, only the escape `\u0000`: whether one is there (not
/// preceded by an odd run of backslashes, which would make it the text `\u0000`).
fn has_escaped_nul(bytes: &[u8]) -> bool {
    bytes.windows(6).enumerate().any(|(i, w)| w == b"\\u0000" && bytes[..i].iter().rev().take_while(|&&b| b == b'\\').count() % 2 == 0)
}

/// 422 naming every string (or key) holding a NUL character; `Ok` when the body is not valid
/// JSON at all, so the syntax error is reported as usual.
fn reject_nul_strings(bytes: &[u8]) -> Result<(), AppError> {
    fn walk(value: &serde_json::Value, path: &str, out: &mut Vec<FieldError>) {
        let join = |key: &str| {
            if path.is_empty() {
                key.to_owned()
            } else {
                format!("{path}.{key}")
            }
        };
        let nul = |field: String| FieldError::new(field, "invalid_character", "must not contain the NUL character (U+0000)");
        match value {
            serde_json::Value::String(s) if s.contains('\0') => out.push(nul(if path.is_empty() { "body".into() } else { path.into() })),
            serde_json::Value::Array(items) => items.iter().enumerate().for_each(|(i, v)| walk(v, &join(&i.to_string()), out)),
            serde_json::Value::Object(map) => map.iter().for_each(|(k, v)| {
                if k.contains('\0') {
                    out.push(nul(join(&k.replace('\0', "\\u0000"))));
                } else {
                    walk(v, &join(k), out)
                }
            }),
            _ => {}
        }
    }
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(bytes) else {
        return Ok(());
    };
    let mut errors = Vec::new();
    walk(&value, "", &mut errors);
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::Validation(errors))
    }
}

/// serde reports a missing or unknown field on its parent, with the name only in the message.
fn field_error_from_serde(path: &str, message: &str) -> FieldError {
    let parent = if path == "." { "" } else { path };
    let join = |name: &str| if parent.is_empty() { name.to_owned() } else { format!("{parent}.{name}") };
    let quoted = |m: &str| m.split('`').nth(1).map(str::to_owned);
    let message = message.split(" at line ").next().unwrap_or(message);
    if message.starts_with("missing field") {
        let name = quoted(message).unwrap_or_default();
        return FieldError::new(join(&name), "required", "is required");
    }
    if message.starts_with("unknown field") {
        // Unlike a missing field, an unknown one is already on the path.
        let name = quoted(message).unwrap_or_default();
        let field = if parent == name || parent.ends_with(&format!(".{name}")) { parent.to_owned() } else { join(&name) };
        return FieldError::new(field, "unknown_field", "is not a known field");
    }
    let code = if message.starts_with("invalid type") {
        "invalid_type"
    } else if message.starts_with("unknown variant") {
        "invalid_choice"
    } else {
        "invalid"
    };
    FieldError::new(if parent.is_empty() { "body".to_owned() } else { parent.to_owned() }, code, message.to_owned())
}

/// The row version a client read, from `If-Match: "7"` (strong or weak, quotes optional).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct IfMatch(pub Option<i32>);

impl FromRequest for IfMatch {
    type Error = AppError;
    type Future = std::future::Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(parse_if_match(req.headers().get(header::IF_MATCH).map(|v| v.to_str().unwrap_or("?"))))
    }
}

fn parse_if_match(value: Option<&str>) -> Result<IfMatch, AppError> {
    let Some(raw) = value else { return Ok(IfMatch(None)) };
    let raw = raw.trim();
    if raw == "*" {
        return Ok(IfMatch(None));
    }
    raw.trim_start_matches("W/")
        .trim_matches('"')
        .parse::<i32>()
        .map(|v| IfMatch(Some(v)))
        .map_err(|_| AppError::field("If-Match", "invalid", "must be the row version from the ETag, e.g. \"3\""))
}

impl IfMatch {
    /// 412 when the client's version is not the stored one.
    pub fn check(self, current: i32) -> Result<(), AppError> {
        match self.0 {
            Some(v) if v != current => Err(AppError::PreconditionFailed),
            _ => Ok(()),
        }
    }
}

pub fn etag(version: i32) -> (header::HeaderName, String) {
    (header::ETAG, format!("\"{version}\""))
}

/// Opaque keyset cursor: the sort key and id of the last row of the previous page.
#[derive(Debug, PartialEq, Serialize, Deserialize)]
pub struct Cursor {
    pub key: String,
    pub id: uuid::Uuid,
}

impl Cursor {
    pub fn encode(&self) -> String {
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(serde_json::to_vec(self).expect("cursor serializes"))
    }

    /// The cursor as sent, key unchecked: lists decode through [`Cursor::decode_text`],
    /// [`Cursor::decode_number`], [`Cursor::decode_time`] or
    /// [`Cursor::decode_optional_time`], which check the key's domain, so
    /// no crafted value reaches SQL out of range.
    fn decode(raw: &str) -> Result<Self, AppError> {
        base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(raw).ok().and_then(|b| serde_json::from_slice(&b).ok()).ok_or_else(invalid_cursor)
    }

    /// A cursor keyed by a name of at most `max_chars` characters (Postgres text holds no NUL).
    pub fn decode_text(raw: &str, max_chars: usize) -> Result<Self, AppError> {
        let c = Self::decode(raw)?;
        if c.key.contains('\0') || c.key.chars().count() > max_chars {
            return Err(invalid_cursor());
        }
        Ok(c)
    }

    /// A cursor keyed by a positive number (case numbers start at 1); also returns its id.
    pub fn decode_number(raw: &str) -> Result<(i64, uuid::Uuid), AppError> {
        let c = Self::decode(raw)?;
        // Digits only: `parse` would also take a sign.
        match c.key.parse::<i64>() {
            Ok(n) if n >= 1 && c.key.bytes().all(|b| b.is_ascii_digit()) => Ok((n, c.id)),
            _ => Err(invalid_cursor()),
        }
    }

    /// A cursor keyed by a timestamp (years 1–9999, which Postgres holds); also returns its id.
    pub fn decode_time(raw: &str) -> Result<(chrono::DateTime<chrono::Utc>, uuid::Uuid), AppError> {
        match Self::decode_optional_time(raw)? {
            (Some(at), id) => Ok((at, id)),
            (None, _) => Err(invalid_cursor()),
        }
    }

    /// Like [`Cursor::decode_time`], with an empty key for a row without the timestamp (e.g. a
    /// case without a due date).
    pub fn decode_optional_time(raw: &str) -> Result<(Option<chrono::DateTime<chrono::Utc>>, uuid::Uuid), AppError> {
        use chrono::Datelike;
        let c = Self::decode(raw)?;
        if c.key.is_empty() {
            return Ok((None, c.id));
        }
        match chrono::DateTime::parse_from_rfc3339(&c.key).map(|at| at.with_timezone(&chrono::Utc)) {
            Ok(at) if (1..=9999).contains(&at.year()) => Ok((Some(at), c.id)),
            _ => Err(invalid_cursor()),
        }
    }
}

fn invalid_cursor() -> AppError {
    AppError::field("cursor", "invalid", "is not a cursor returned by this list")
}

pub const DEFAULT_PAGE: i64 = 50;
pub const MAX_PAGE: i64 = 200;

pub fn page_limit(limit: Option<i64>) -> Result<i64, AppError> {
    match limit {
        None => Ok(DEFAULT_PAGE),
        Some(n) if (1..=MAX_PAGE).contains(&n) => Ok(n),
        Some(_) => Err(AppError::field("limit", "out_of_range", format!("must be between 1 and {MAX_PAGE}"))),
    }
}

/// Splits the `limit + 1` rows a keyset query fetched into one page and the cursor of the next.
pub fn paginate<T>(mut rows: Vec<T>, limit: i64, cursor_of: impl Fn(&T) -> Cursor) -> (Vec<T>, Option<String>) {
    if rows.len() as i64 > limit {
        rows.truncate(limit as usize);
        let next = rows.last().map(|last| cursor_of(last).encode());
        (rows, next)
    } else {
        (rows, None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Inner {
        name: String,
        level: u8,
    }
    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Outer {
        title: String,
        inner: Inner,
    }

    fn fail(json: &str) -> FieldError {
        match parse_json::<Outer>(json.as_bytes()) {
            Err(AppError::Validation(mut v)) => v.remove(0),
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn json_errors_name_the_field() {
        assert_eq!(fail(r#"{"inner":{"name":"x","level":1}}"#).field, "title");
        assert_eq!(fail(r#"{"title":"t","inner":{"level":1}}"#).field, "inner.name");
        let e = fail(r#"{"title":"t","inner":{"name":"x","level":"high"}}"#);
        assert_eq!((e.field.as_str(), e.code.as_str()), ("inner.level", "invalid_type"));
        let e = fail(r#"{"title":"t","extra":1,"inner":{"name":"x","level":1}}"#);
        assert_eq!((e.field.as_str(), e.code.as_str()), ("extra", "unknown_field"));
        assert!(matches!(parse_json::<Outer>(b"{not json"), Err(AppError::BadRequest(_))));
    }

    #[test]
    fn only_an_object_is_a_body() {
        for body in [r#"["t", {"name": "x", "level": 1}]"#, "5", "null", r#""t""#] {
            let e = fail(body);
            assert_eq!((e.field.as_str(), e.code.as_str()), ("body", "invalid_type"), "{body}");
        }
    }

    #[test]
    fn trailing_bytes_are_refused() {
        let ok = r#"{"title":"t","inner":{"name":"x","level":1}}"#;
        assert!(parse_json::<Outer>(format!("{ok} \n\t").as_bytes()).is_ok());
        for tail in ["xx", "{}", ",", "\u{0}"] {
            assert!(matches!(parse_json::<Outer>(format!("{ok}{tail}").as_bytes()), Err(AppError::BadRequest(_))), "{tail:?}");
        }
    }

    #[test]
    fn nul_characters_name_their_field() {
        let e = fail(r#"{"title":"a\u0000b","inner":{"name":"x","level":1}}"#);
        assert_eq!((e.field.as_str(), e.code.as_str()), ("title", "invalid_character"));
        let e = fail(r#"{"title":"t","inner":{"name":"\u0000","level":1}}"#);
        assert_eq!(e.field, "inner.name");
        match parse_json::<serde_json::Value>(br#"{"list":["ok","\u0000"],"k\u0000":1}"#) {
            Err(AppError::Validation(v)) => {
                let fields: Vec<_> = v.iter().map(|e| e.field.as_str()).collect();
                assert_eq!(fields, ["k\\u0000", "list.1"]);
            }
            other => panic!("{other:?}"),
        }
        // An escaped backslash followed by `u0000` is text, not a NUL.
        let v: serde_json::Value = parse_json(br#"{"path":"C:\\u0000"}"#).unwrap();
        assert_eq!(v["path"], "C:\\u0000");
        // Broken JSON is still reported as such.
        assert!(matches!(parse_json::<Outer>(br#"{"title":"\u0000"#), Err(AppError::BadRequest(_))));
    }

    #[test]
    fn if_match_forms() {
        assert_eq!(parse_if_match(None).unwrap(), IfMatch(None));
        assert_eq!(parse_if_match(Some("\"3\"")).unwrap(), IfMatch(Some(3)));
        assert_eq!(parse_if_match(Some("W/\"4\"")).unwrap(), IfMatch(Some(4)));
        assert_eq!(parse_if_match(Some("5")).unwrap(), IfMatch(Some(5)));
        assert!(parse_if_match(Some("abc")).is_err());
        assert!(IfMatch(Some(2)).check(3).is_err());
        assert!(IfMatch(None).check(3).is_ok());
    }

    #[test]
    fn cursor_round_trip_and_garbage() {
        let c = Cursor { key: "maría".into(), id: uuid::Uuid::now_v7() };
        assert_eq!(Cursor::decode(&c.encode()).unwrap(), c);
        assert!(Cursor::decode("%%%").is_err());
        assert!(Cursor::decode("bm90IGpzb24").is_err());
    }

    #[test]
    fn cursor_keys_are_checked_for_their_domain() {
        let id = uuid::Uuid::now_v7();
        let raw = |key: &str| Cursor { key: key.into(), id }.encode();
        assert_eq!(Cursor::decode_number(&raw("42")).unwrap(), (42, id));
        for bad in ["0", "-1", "+5", "abc", "", "99999999999999999999", "-9223372036854775808", " 7"] {
            assert!(Cursor::decode_number(&raw(bad)).is_err(), "{bad}");
        }
        assert_eq!(Cursor::decode_text(&raw("maría"), 5).unwrap().key, "maría");
        assert!(Cursor::decode_text(&raw("a\0b"), 10).is_err());
        assert!(Cursor::decode_text(&raw("abcdef"), 5).is_err());
        let at = Cursor::decode_time(&raw("2026-11-23T10:00:00.123456789Z")).unwrap().0;
        assert_eq!(at.to_rfc3339_opts(chrono::SecondsFormat::Nanos, true), "2026-11-23T10:00:00.123456789Z");
        assert_eq!(Cursor::decode_optional_time(&raw("")).unwrap(), (None, id));
        for bad in ["", "abc", "42", "+262143-01-01T00:00:00Z", "-0001-01-01T00:00:00Z", "0001-01-01T00:30:00+01:00"] {
            assert!(Cursor::decode_time(&raw(bad)).is_err(), "{bad}");
            assert_eq!(Cursor::decode_optional_time(&raw(bad)).is_err(), !bad.is_empty(), "{bad}");
        }
    }
}
