//! Reading `multipart/form-data` requests: one `data` part with the JSON the endpoint would
//! otherwise take as its body, and files in parts named `file` (any number, up to the limit)
//! or `attachment.<key>` (a file for the service's required attachment `<key>`).
//!
//! Every problem is a problem+json naming the part at fault (`data`, `files.N`,
//! `attachment.<key>`) and the file's name; nothing is stored by this module, so a refused
//! request changes nothing. Reading stops as soon as a limit is passed.
use std::collections::HashSet;
use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use actix_multipart::{Field, Multipart, MultipartError};
use actix_web::error::PayloadError;
use actix_web::http::header::{self, Charset, HeaderMap};
use actix_web::web::Bytes;
use actix_web::HttpRequest;
use futures_util::{Stream, StreamExt};
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};

use super::sniff::{extension, sniff, Rejection, Sniffed};
use crate::error::{AppError, FieldError};
use crate::http::parse_json;

/// Longest file name kept, in characters (the extension is kept when cutting).
pub const MAX_FILE_NAME_CHARS: usize = 200;
/// Allowance per part for its headers and boundary in the whole-request ceiling.
const PART_OVERHEAD: usize = 8 * 1024;
/// Allowance for the rest (preamble, epilogue) in the whole-request ceiling.
const REQUEST_OVERHEAD: usize = 64 * 1024;

/// Limits for one request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Largest file, in bytes.
    pub max_file_bytes: usize,
    /// Most files in one request (`file` and `attachment.<key>` parts together).
    pub max_files: usize,
    /// Largest `data` part, in bytes.
    pub max_json_bytes: usize,
}

impl Limits {
    /// Largest whole request [`multipart`] lets through: every file at its limit, the JSON,
    /// and room for part headers and boundaries.
    pub fn request_ceiling(&self) -> usize {
        self.max_files
            .saturating_mul(self.max_file_bytes)
            .saturating_add(self.max_json_bytes)
            .saturating_add(self.max_files.saturating_add(1).saturating_mul(PART_OVERHEAD))
            .saturating_add(REQUEST_OVERHEAD)
    }
}

impl Default for Limits {
    /// 10 MiB per file, 10 files, and the API's JSON limit.
    fn default() -> Self {
        Limits { max_file_bytes: 10 * 1024 * 1024, max_files: 10, max_json_bytes: crate::http::JSON_LIMIT }
    }
}

/// One accepted file.
pub struct UploadedFile {
    /// `file` or `attachment.<key>`.
    pub part_name: String,
    /// The client's name for it, made safe: no directories, control or bidi characters, at most
    /// [`MAX_FILE_NAME_CHARS`] characters, and ending in the detected type's extension if it
    /// had none (`attachment.<ext>` if it had no name at all).
    pub file_name: String,
    pub bytes: Vec<u8>,
    /// SHA-256 of `bytes`, lowercase hex.
    pub sha256: String,
    pub sniffed: Sniffed,
}

impl fmt::Debug for UploadedFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UploadedFile")
            .field("part_name", &self.part_name)
            .field("file_name", &self.file_name)
            .field("size", &self.bytes.len())
            .field("sha256", &self.sha256)
            .field("sniffed", &self.sniffed)
            .finish()
    }
}

/// A request's JSON and its files.
#[derive(Debug)]
pub struct Upload<T> {
    pub data: T,
    pub files: Vec<UploadedFile>,
}

/// Whether the request's Content-Type is `multipart/form-data` (any parameters, any case).
pub fn is_multipart(req: &HttpRequest) -> bool {
    content_type_essence(req.headers()).as_deref() == Some("multipart/form-data")
}

fn content_type_essence(headers: &HeaderMap) -> Option<String> {
    let ct = headers.get(header::CONTENT_TYPE)?.to_str().ok()?;
    Some(ct.split(';').next().unwrap_or("").trim().to_ascii_lowercase())
}

/// Like `Multipart::new(headers, payload)`, but the body is cut (413) once it passes
/// [`Limits::request_ceiling`], and refused at once when its Content-Length already does.
/// `read_multipart` alone bounds every part it reads; this also bounds what the multipart
/// parser skips on its own (preamble before the first boundary).
pub fn multipart<S>(headers: &HeaderMap, payload: S, limits: &Limits) -> Multipart
where
    S: Stream<Item = Result<Bytes, PayloadError>> + 'static,
{
    let ceiling = limits.request_ceiling();
    let declared = headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.trim().parse::<u64>().ok());
    let too_large = declared.is_some_and(|n| n > ceiling as u64);
    Multipart::new(headers, Capped { inner: Box::pin(payload), left: ceiling, state: if too_large { CapState::Refuse } else { CapState::Open } })
}

#[derive(PartialEq)]
enum CapState {
    Open,
    Refuse,
    Done,
}

/// Passes a body through until more than `left` bytes came, then fails with `Overflow`.
struct Capped {
    inner: Pin<Box<dyn Stream<Item = Result<Bytes, PayloadError>>>>,
    left: usize,
    state: CapState,
}

impl Stream for Capped {
    type Item = Result<Bytes, PayloadError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        match this.state {
            CapState::Done => return Poll::Ready(None),
            CapState::Refuse => {
                this.state = CapState::Done;
                return Poll::Ready(Some(Err(PayloadError::Overflow)));
            }
            CapState::Open => {}
        }
        match this.inner.as_mut().poll_next(cx) {
            Poll::Ready(Some(Ok(chunk))) if chunk.len() > this.left => {
                this.state = CapState::Done;
                Poll::Ready(Some(Err(PayloadError::Overflow)))
            }
            Poll::Ready(Some(Ok(chunk))) => {
                this.left -= chunk.len();
                Poll::Ready(Some(Ok(chunk)))
            }
            other => other,
        }
    }
}

/// Reads a multipart body with one `data` part (JSON, deserialized into `T` with field-named
/// errors exactly like [`crate::http::parse_json`]) and any number of file parts named `file`
/// or `attachment.<key>`. Files are limited in size and number, hashed, and sniffed.
///
/// Errors: no `data` part → 422 `data` `required`; bad JSON → as `parse_json` (400, or 422
/// naming the JSON field); another part name → 422 `<part>` `unknown_field`; a second `data`
/// or `attachment.<key>` → `duplicate`; a file over the limit → 422 `files.N` or
/// `attachment.<key>` `too_large` (reading stops there); more files than allowed → 422 `files`
/// `too_many`; an empty, unaccepted or disguised file → 422 `files.N`/`attachment.<key>`
/// `empty`/`unsupported_type`/`disguised_type`, every such file reported at once; a `data`
/// part over its limit or a body over the request ceiling → 413; a malformed body → 400.
/// `N` counts `file` parts only, from 0, in the order they were sent. An empty part with an
/// empty file name (an HTML file input left blank) is skipped, but counts toward `max_files`.
pub async fn read_multipart<T: DeserializeOwned>(mut multipart: Multipart, limits: &Limits) -> Result<Upload<T>, AppError> {
    let mut data: Option<T> = None;
    let mut data_seen = false;
    let mut files = Vec::new();
    let mut errors: Vec<FieldError> = Vec::new();
    let mut file_parts = 0;
    let mut file_count = 0;
    let mut keys = HashSet::new();
    let fail = |mut errors: Vec<FieldError>, e: FieldError| {
        errors.push(e);
        AppError::Validation(errors)
    };

    while let Some(field) = multipart.next().await {
        let mut field = field.map_err(|e| malformed(e, limits))?;
        let Some(name) = field.name().map(str::to_owned) else {
            return Err(AppError::BadRequest("every part needs a Content-Disposition: form-data header with a name".into()));
        };

        if name == "data" {
            if data_seen {
                return Err(fail(errors, FieldError::new("data", "duplicate", "send the JSON once, in a single data part")));
            }
            data_seen = true;
            let bytes = match read_limited(&mut field, limits.max_json_bytes, limits).await? {
                Read::Complete(bytes, _) => bytes,
                Read::TooLarge => {
                    return Err(AppError::PayloadTooLarge(format!("the data part is larger than {}", human(limits.max_json_bytes))));
                }
            };
            match parse_json::<T>(&bytes) {
                Ok(value) => data = Some(value),
                Err(AppError::Validation(found)) => errors.extend(found),
                Err(other) => return Err(other),
            }
            continue;
        }

        let path = if name == "file" {
            file_parts += 1;
            format!("files.{}", file_parts - 1)
        } else if let Some(key) = name.strip_prefix("attachment.").filter(|k| valid_key(k)) {
            if !keys.insert(key.to_owned()) {
                return Err(fail(errors, FieldError::new(&name, "duplicate", "only one file may be sent per attachment key")));
            }
            name.clone()
        } else {
            let shown: String = name.chars().take(100).collect();
            return Err(fail(
                errors,
                FieldError::new(
                    shown,
                    "unknown_field",
                    "is not a known part: send the JSON as data, files as file, and required attachments as attachment.<key> (key in snake_case)",
                ),
            ));
        };

        if file_count >= limits.max_files {
            return Err(fail(errors, FieldError::new("files", "too_many", format!("at most {} files may be sent at once", limits.max_files))));
        }

        let client_name = client_file_name(&field);
        let file_name = sanitize_file_name(client_name.as_deref().unwrap_or(""));
        let shown = if file_name.is_empty() { "the unnamed file".to_owned() } else { format!("'{file_name}'") };
        let (bytes, sha256) = match read_limited(&mut field, limits.max_file_bytes, limits).await? {
            Read::Complete(bytes, sha256) => (bytes, sha256),
            Read::TooLarge => {
                return Err(fail(errors, FieldError::new(path, "too_large", format!("{shown} is larger than {}, the limit per file", human(limits.max_file_bytes)))));
            }
        };
        // Counted even when skipped below, so a stream of empty parts cannot go on forever.
        file_count += 1;
        // A file input left empty in an HTML form sends an empty part with an empty file name.
        if bytes.is_empty() && client_name.as_deref() == Some("") {
            continue;
        }
        match sniff(&file_name, &bytes) {
            Ok(sniffed) => files.push(UploadedFile { part_name: name, file_name: with_extension(file_name, sniffed.extension), bytes, sha256, sniffed }),
            Err(rejection) => errors.push(rejection_error(path, &shown, &rejection)),
        }
    }

    if !data_seen {
        errors.insert(0, FieldError::new("data", "required", "send the request's JSON in a part named data"));
    }
    match data {
        Some(data) if errors.is_empty() => Ok(Upload { data, files }),
        _ => Err(AppError::Validation(errors)),
    }
}

/// A file that came another way than a request (a mail's attachment), under the same checks as
/// an uploaded one: the size limit, then what its bytes are. The error says why, after the name.
pub fn check_file(part_name: &str, client_name: &str, bytes: Vec<u8>, limits: &Limits) -> Result<UploadedFile, String> {
    let file_name = sanitize_file_name(client_name);
    if bytes.len() > limits.max_file_bytes {
        return Err(format!("is larger than {}, the limit per file", human(limits.max_file_bytes)));
    }
    match sniff(&file_name, &bytes) {
        Ok(sniffed) => {
            let sha256 = Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();
            Ok(UploadedFile { part_name: part_name.to_owned(), file_name: with_extension(file_name, sniffed.extension), bytes, sha256, sniffed })
        }
        Err(rejection) => Err(rejection.to_string()),
    }
}

enum Read {
    /// The bytes and their SHA-256 in lowercase hex.
    Complete(Vec<u8>, String),
    TooLarge,
}

/// Reads one part, giving up as soon as it passes `max` bytes (the rest is never read).
async fn read_limited(field: &mut Field, max: usize, limits: &Limits) -> Result<Read, AppError> {
    let mut bytes = Vec::new();
    let mut hasher = Sha256::new();
    while let Some(chunk) = field.next().await {
        let chunk = chunk.map_err(|e| malformed(e, limits))?;
        if bytes.len() + chunk.len() > max {
            return Ok(Read::TooLarge);
        }
        hasher.update(&chunk);
        bytes.extend_from_slice(&chunk);
    }
    Ok(Read::Complete(bytes, format!("{:x}", hasher.finalize())))
}

fn malformed(e: MultipartError, limits: &Limits) -> AppError {
    match e {
        MultipartError::Payload(PayloadError::Overflow) => AppError::PayloadTooLarge(format!(
            "the request is larger than {} (at most {} files of {} each)",
            human(limits.request_ceiling()),
            limits.max_files,
            human(limits.max_file_bytes)
        )),
        other => {
            let cause = std::error::Error::source(&other).map(|s| format!(": {s}")).unwrap_or_default();
            AppError::BadRequest(format!("malformed multipart/form-data body: {other}{cause}"))
        }
    }
}

fn rejection_error(path: String, shown: &str, rejection: &Rejection) -> FieldError {
    match rejection {
        Rejection::Empty => FieldError::new(path, "empty", format!("{shown} is empty")),
        Rejection::Unsupported { detected } => FieldError::new(
            path,
            "unsupported_type",
            format!(
                "{shown} is {detected}, which is not accepted; attach PDF, images (PNG, JPEG, GIF, WebP, TIFF, BMP), \
                 Word, Excel, PowerPoint or OpenDocument files, or text as .txt, .csv or .log"
            ),
        ),
        Rejection::Disguised { claimed, detected } => FieldError::new(path, "disguised_type", format!("{shown} is named as {claimed} but its content is {detected}")),
    }
}

/// The same rule as the catalog's keys for required attachments: snake_case, at most 60.
fn valid_key(key: &str) -> bool {
    let mut chars = key.chars();
    matches!(chars.next(), Some('a'..='z')) && key.len() <= 60 && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// The part's `filename*` (RFC 5987) or `filename`; `None` when it has neither.
fn client_file_name(field: &Field) -> Option<String> {
    let cd = field.content_disposition()?;
    if let Some(ext) = cd.get_filename_ext() {
        return Some(match ext.charset {
            Charset::Iso_8859_1 => ext.value.iter().map(|&b| b as char).collect(),
            _ => String::from_utf8_lossy(&ext.value).into_owned(),
        });
    }
    cd.get_filename().map(str::to_owned)
}

/// A client's file name made safe to store and to offer back as a download name: the last
/// path segment only; no control, bidi-override or zero-width characters; Windows-reserved
/// characters replaced by `_`; no leading or trailing dots and spaces; at most
/// [`MAX_FILE_NAME_CHARS`] characters, keeping the extension. May be empty.
pub fn sanitize_file_name(raw: &str) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String =
        base.chars().filter(|&c| !c.is_control() && !is_invisible_format(c)).map(|c| if matches!(c, '<' | '>' | ':' | '"' | '|' | '?' | '*') { '_' } else { c }).collect();
    let trimmed = cleaned.trim_matches(|c: char| c == '.' || c.is_whitespace());
    truncate_keeping_extension(trimmed, MAX_FILE_NAME_CHARS)
}

fn is_invisible_format(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
}

fn truncate_keeping_extension(name: &str, max: usize) -> String {
    if name.chars().count() <= max {
        return name.to_owned();
    }
    let (stem, ext) = match name.rsplit_once('.') {
        Some((stem, ext)) if extension(name).is_some() => (stem, ext),
        _ => (name, ""),
    };
    let room = if ext.is_empty() { max } else { max - ext.len() - 1 };
    let stem: String = stem.chars().take(room).collect();
    let stem = stem.trim_end_matches(|c: char| c == '.' || c.is_whitespace());
    if ext.is_empty() {
        stem.to_owned()
    } else {
        format!("{stem}.{ext}")
    }
}

/// Gives a name without an extension the detected type's, so the download opens as what it is.
fn with_extension(file_name: String, ext: &str) -> String {
    if file_name.is_empty() {
        return format!("attachment.{ext}");
    }
    if extension(&file_name).is_some() {
        return file_name;
    }
    let stem = truncate_keeping_extension(&file_name, MAX_FILE_NAME_CHARS - ext.len() - 1);
    format!("{stem}.{ext}")
}

/// 10485760 → "10 MiB".
fn human(bytes: usize) -> String {
    const KIB: usize = 1024;
    const MIB: usize = 1024 * 1024;
    if bytes >= MIB && bytes.is_multiple_of(MIB) {
        format!("{} MiB", bytes / MIB)
    } else if bytes >= MIB {
        format!("{:.1} MiB", bytes as f64 / MIB as f64)
    } else if bytes >= KIB && bytes.is_multiple_of(KIB) {
        format!("{} KiB", bytes / KIB)
    } else {
        format!("{bytes} bytes")
    }
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;
    use std::rc::Rc;
    use std::time::Duration;

    use actix_web::dev::Payload;
    use actix_web::http::StatusCode;
    use actix_web::{test as t, web, App, HttpResponse};
    use serde::Deserialize;
    use serde_json::{json, Value};

    use super::*;
    use crate::attachments::sniff::samples;

    const LIMITS: Limits = Limits { max_file_bytes: 1024, max_files: 3, max_json_bytes: 256 };
    const BOUNDARY: &str = "----mesa-test-boundary-7MA4YWxkTrZu0gW";

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Form {
        title: String,
        #[serde(default)]
        #[allow(dead_code)]
        urgent: bool,
    }

    fn describe(upload: Upload<Form>) -> HttpResponse {
        let files: Vec<Value> = upload
            .files
            .iter()
            .map(|f| {
                json!({"part": f.part_name, "name": f.file_name, "sha256": f.sha256, "mime": f.sniffed.mime,
                       "extension": f.sniffed.extension, "size": f.bytes.len()})
            })
            .collect();
        HttpResponse::Ok().json(json!({"title": upload.data.title, "files": files}))
    }

    /// The way the tickets handlers call it.
    async fn plain(req: HttpRequest, payload: web::Payload) -> Result<HttpResponse, AppError> {
        assert!(is_multipart(&req));
        let upload = read_multipart::<Form>(Multipart::new(req.headers(), payload), &LIMITS).await?;
        Ok(describe(upload))
    }

    /// With the whole-request ceiling.
    async fn capped(req: HttpRequest, payload: web::Payload) -> Result<HttpResponse, AppError> {
        let upload = read_multipart::<Form>(multipart(req.headers(), payload, &LIMITS), &LIMITS).await?;
        Ok(describe(upload))
    }

    fn app(
    ) -> App<impl actix_web::dev::ServiceFactory<actix_web::dev::ServiceRequest, Config = (), Response = actix_web::dev::ServiceResponse, Error = actix_web::Error, InitError = ()>>
    {
        App::new().route("/plain", web::post().to(plain)).route("/capped", web::post().to(capped))
    }

    enum Part<'a> {
        Text(&'a str, &'a str),
        /// Part name, file name (header parameter as written), bytes.
        File(&'a str, &'a str, &'a [u8]),
        /// A file part without any filename parameter.
        Anonymous(&'a str, &'a [u8]),
    }

    fn body(parts: &[Part]) -> Vec<u8> {
        let mut out = Vec::new();
        for part in parts {
            out.extend_from_slice(format!("--{BOUNDARY}\r\n").as_bytes());
            match part {
                Part::Text(name, value) => {
                    out.extend_from_slice(format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}").as_bytes());
                }
                Part::File(name, file_name, bytes) => {
                    // The client's Content-Type is a lie on purpose: it must not matter.
                    out.extend_from_slice(format!("Content-Disposition: form-data; name=\"{name}\"; {file_name}\r\nContent-Type: application/pdf\r\n\r\n").as_bytes());
                    out.extend_from_slice(bytes);
                }
                Part::Anonymous(name, bytes) => {
                    out.extend_from_slice(format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes());
                    out.extend_from_slice(bytes);
                }
            }
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
        out
    }

    fn filename(name: &str) -> String {
        format!("filename=\"{name}\"")
    }

    fn request(uri: &str, parts: &[Part]) -> t::TestRequest {
        t::TestRequest::post().uri(uri).insert_header((header::CONTENT_TYPE, format!("multipart/form-data; boundary={BOUNDARY}"))).set_payload(body(parts))
    }

    async fn send(parts: &[Part<'_>]) -> (StatusCode, Value) {
        send_to("/plain", parts).await
    }

    async fn send_to(uri: &str, parts: &[Part<'_>]) -> (StatusCode, Value) {
        let app = t::init_service(app()).await;
        let resp = t::call_service(&app, request(uri, parts).to_request()).await;
        let status = resp.status();
        if !status.is_success() {
            assert_eq!(resp.headers().get(header::CONTENT_TYPE).unwrap(), crate::error::PROBLEM_JSON);
        }
        (status, t::read_body_json(resp).await)
    }

    /// The only field error of a 422, as (field, code, message).
    fn only_error(problem: &Value) -> (String, String, String) {
        let errors = problem["errors"].as_array().expect("a validation problem");
        assert_eq!(errors.len(), 1, "{problem}");
        let e = &errors[0];
        (e["field"].as_str().unwrap().into(), e["code"].as_str().unwrap().into(), e["message"].as_str().unwrap().into())
    }

    fn sha256_hex(bytes: &[u8]) -> String {
        format!("{:x}", Sha256::digest(bytes))
    }

    const DATA: Part<'static> = Part::Text("data", r#"{"title":"Impresora sin tóner"}"#);

    #[actix_web::test]
    async fn json_and_two_files() {
        let png_name = filename("foto.png");
        let pdf_name = filename("cédula escaneada.pdf");
        let (status, body) = send(&[Part::File("file", &png_name, samples::PNG), Part::File("attachment.cedula", &pdf_name, samples::PDF), DATA]).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["title"], "Impresora sin tóner");
        assert_eq!(
            body["files"],
            json!([
                {"part": "file", "name": "foto.png", "sha256": sha256_hex(samples::PNG), "mime": "image/png",
                 "extension": "png", "size": samples::PNG.len()},
                {"part": "attachment.cedula", "name": "cédula escaneada.pdf", "sha256": sha256_hex(samples::PDF),
                 "mime": "application/pdf", "extension": "pdf", "size": samples::PDF.len()},
            ])
        );
        assert_eq!(sha256_hex(b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    #[actix_web::test]
    async fn json_alone_and_office_files() {
        let (status, response) = send(&[DATA]).await;
        assert_eq!(status, StatusCode::OK, "{response}");
        assert_eq!(response["files"], json!([]));

        // A compound file takes at least 1.5 KiB, over the test app's limit: read directly here.
        let docx = samples::docx();
        let xls = samples::cfb(samples::EXCEL_CLSID, &["Workbook"]);
        let limits = Limits { max_file_bytes: 64 * 1024, ..LIMITS };
        let (d, x) = (filename("oficio.docx"), filename("reporte.xls"));
        let mut headers = HeaderMap::new();
        headers.insert(header::CONTENT_TYPE, format!("multipart/form-data; boundary={BOUNDARY}").parse().unwrap());
        let bytes = Bytes::from(body(&[DATA, Part::File("file", &d, &docx), Part::File("file", &x, &xls)]));
        let stream = futures_util::stream::once(async move { Ok::<_, PayloadError>(bytes) });
        let upload = read_multipart::<Form>(Multipart::new(&headers, stream), &limits).await.expect("accepted");
        let mimes: Vec<_> = upload.files.iter().map(|f| f.sniffed.mime).collect();
        assert_eq!(mimes, ["application/vnd.openxmlformats-officedocument.wordprocessingml.document", "application/vnd.ms-excel"]);
    }

    #[actix_web::test]
    async fn file_names_are_cleaned_and_completed() {
        let star = "filename*=UTF-8''Resoluci%C3%B3n%20045.pdf".to_owned();
        let traversal = filename("../../etc/passwd");
        let bidi = filename("foto\u{202E}gnp.exe");
        let no_ext = filename("escaneo");
        let (status, body) =
            send(&[DATA, Part::File("file", &star, samples::PDF), Part::File("file", &traversal, b"root:x:0:0\n"), Part::File("file", &no_ext, samples::JPEG)]).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let names: Vec<_> = body["files"].as_array().unwrap().iter().map(|f| f["name"].as_str().unwrap().to_owned()).collect();
        assert_eq!(names, ["Resolución 045.pdf", "passwd.txt", "escaneo.jpg"]);

        // The right-to-left override is gone, so the name shows what it claims: an .exe.
        let (status, body) = send(&[DATA, Part::File("file", &bidi, samples::PNG)]).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(only_error(&body), ("files.0".into(), "disguised_type".into(), "'fotognp.exe' is named as .exe but its content is image/png".into()));

        let (status, body) = send(&[DATA, Part::Anonymous("file", samples::GIF)]).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["files"][0]["name"], "attachment.gif");
    }

    #[actix_web::test]
    async fn missing_data_part() {
        let n = filename("foto.png");
        let (status, body) = send(&[Part::File("file", &n, samples::PNG)]).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(body["code"], "validation_failed");
        let (field, code, _) = only_error(&body);
        assert_eq!((field.as_str(), code.as_str()), ("data", "required"));
    }

    #[actix_web::test]
    async fn bad_json_names_the_field() {
        let (status, body) = send(&[Part::Text("data", r#"{"title": 5}"#)]).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let (field, code, _) = only_error(&body);
        assert_eq!((field.as_str(), code.as_str()), ("title", "invalid_type"));

        let (_, body) = send(&[Part::Text("data", r#"{"title": "x", "priority": "high"}"#)]).await;
        let (field, code, _) = only_error(&body);
        assert_eq!((field.as_str(), code.as_str()), ("priority", "unknown_field"));

        let (_, body) = send(&[Part::Text("data", r#"{}"#)]).await;
        let (field, code, _) = only_error(&body);
        assert_eq!((field.as_str(), code.as_str()), ("title", "required"));

        let (status, body) = send(&[Part::Text("data", "{not json")]).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(body["code"], "bad_request");

        let (status, body) = send(&[DATA, Part::Text("data", r#"{"title":"again"}"#)]).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(only_error(&body).1, "duplicate");

        let big = format!(r#"{{"title":"{}"}}"#, "x".repeat(300));
        let (status, body) = send(&[Part::Text("data", &big)]).await;
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(body["code"], "payload_too_large");
    }

    #[actix_web::test]
    async fn unknown_parts_are_named() {
        let n = filename("foto.png");
        for part in ["foto", "files", "attachment.", "attachment.Cédula", "attachment.a.b", "file[]"] {
            let (status, body) = send(&[DATA, Part::File(part, &n, samples::PNG)]).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{part}");
            let (field, code, _) = only_error(&body);
            assert_eq!((field.as_str(), code.as_str()), (part, "unknown_field"));
        }
        let (_, body) = send(&[DATA, Part::File("attachment.cedula", &n, samples::PNG), Part::File("attachment.cedula", &n, samples::PNG)]).await;
        let (field, code, _) = only_error(&body);
        assert_eq!((field.as_str(), code.as_str()), ("attachment.cedula", "duplicate"));
    }

    #[actix_web::test]
    async fn oversized_file_is_named() {
        let big = [samples::PDF, &[b' '; 1024]].concat();
        let (small, large) = (filename("ok.png"), filename("manual completo.pdf"));
        let (status, body) = send(&[DATA, Part::File("file", &small, samples::PNG), Part::File("file", &large, &big), Part::File("file", &small, samples::PNG)]).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let (field, code, message) = only_error(&body);
        assert_eq!((field.as_str(), code.as_str()), ("files.1", "too_large"));
        assert_eq!(message, "'manual completo.pdf' is larger than 1 KiB, the limit per file");

        let (_, body) = send(&[DATA, Part::File("attachment.manual", &large, &big)]).await;
        assert_eq!(only_error(&body).0, "attachment.manual");

        // Exactly at the limit is fine.
        let exact = [samples::PDF, &vec![b' '; 1024 - samples::PDF.len()][..]].concat();
        let (status, body) = send(&[DATA, Part::File("file", &large, &exact)]).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }

    /// A multipart body whose file part never ends, counting the bytes the server pulls.
    fn endless(head: Vec<u8>, chunk: Bytes, pulled: Rc<Cell<usize>>) -> Payload {
        let first = futures_util::stream::once(async move { Ok::<_, PayloadError>(Bytes::from(head)) });
        let rest = futures_util::stream::repeat_with(move || Ok(chunk.clone()));
        let counted = first.chain(rest).inspect(move |c| {
            if let Ok(c) = c {
                pulled.set(pulled.get() + c.len());
            }
        });
        let boxed: Pin<Box<dyn Stream<Item = Result<Bytes, PayloadError>>>> = Box::pin(counted);
        Payload::from(boxed)
    }

    async fn call_endless(uri: &str, head: Vec<u8>, chunk: &[u8], content_length: Option<u64>) -> (StatusCode, Value, usize) {
        let app = t::init_service(app()).await;
        let mut req = t::TestRequest::post().uri(uri).insert_header((header::CONTENT_TYPE, format!("multipart/form-data; boundary={BOUNDARY}")));
        if let Some(n) = content_length {
            req = req.insert_header((header::CONTENT_LENGTH, n));
        }
        let pulled = Rc::new(Cell::new(0));
        let (req, _) = req.to_request().replace_payload(endless(head, Bytes::copy_from_slice(chunk), pulled.clone()));
        let resp = tokio::time::timeout(Duration::from_secs(10), t::call_service(&app, req)).await.expect("the server stops reading");
        let status = resp.status();
        (status, t::read_body_json(resp).await, pulled.get())
    }

    #[actix_web::test]
    async fn an_endless_file_is_cut_at_the_limit() {
        let mut head = body(&[DATA]);
        head.truncate(head.len() - format!("--{BOUNDARY}--\r\n").len());
        head.extend_from_slice(format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"infinito.pdf\"\r\n\r\n%PDF-1.7\n").as_bytes());
        let (status, body, pulled) = call_endless("/plain", head, &[b'A'; 512], None).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let (field, code, message) = only_error(&body);
        assert_eq!((field.as_str(), code.as_str()), ("files.0", "too_large"));
        assert!(message.contains("'infinito.pdf'"), "{message}");
        // The limit, plus at most what the multipart parser buffers ahead (64 KiB).
        assert!(pulled < LIMITS.max_file_bytes + 80 * 1024, "pulled {pulled} bytes");
    }

    #[actix_web::test]
    async fn the_whole_request_is_capped() {
        // An endless preamble of short lines never reaches a part: only the request ceiling stops it.
        let line = [&[b'A'; 510][..], b"\r\n"].concat();
        let (status, body, pulled) = call_endless("/capped", b"preamble\r\n".to_vec(), &line, None).await;
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{body}");
        assert_eq!(body["code"], "payload_too_large");
        assert!(pulled <= LIMITS.request_ceiling() + 1024, "pulled {pulled} bytes");

        // A declared length over the ceiling is refused before anything is read.
        let (status, _, pulled) = call_endless("/capped", b"x".to_vec(), b"x", Some(10 * 1024 * 1024)).await;
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(pulled, 0);

        assert_eq!(LIMITS.request_ceiling(), 3 * 1024 + 256 + 4 * 8 * 1024 + 64 * 1024);
        assert_eq!(Limits::default().request_ceiling(), 100 * 1024 * 1024 + 256 * 1024 + 11 * 8 * 1024 + 64 * 1024);

        // Within the ceiling the capped reader behaves like the plain one.
        let n = filename("foto.png");
        let (status, body) = send_to("/capped", &[DATA, Part::File("file", &n, samples::PNG)]).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }

    #[actix_web::test]
    async fn too_many_files() {
        let n = filename("foto.png");
        let png = Part::File("file", &n, samples::PNG);
        let (status, _) = send(&[DATA, Part::File("file", &n, samples::PNG), Part::File("file", &n, samples::PNG), Part::File("attachment.x", &n, samples::PNG)]).await;
        assert_eq!(status, StatusCode::OK);
        let (status, body) = send(&[DATA, Part::File("file", &n, samples::PNG), Part::File("file", &n, samples::PNG), Part::File("file", &n, samples::PNG), png]).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let (field, code, message) = only_error(&body);
        assert_eq!((field.as_str(), code.as_str(), message.as_str()), ("files", "too_many", "at most 3 files may be sent at once"));
    }

    #[actix_web::test]
    async fn disguised_and_unsupported_files() {
        let (foto, factura) = (filename("foto.png"), filename("factura.pdf"));
        let (status, body) = send(&[DATA, Part::File("file", &foto, samples::PDF)]).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(only_error(&body), ("files.0".into(), "disguised_type".into(), "'foto.png' is named as .png but its content is application/pdf".into()));

        let (status, body) = send(&[DATA, Part::File("attachment.factura", &factura, samples::EXE)]).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let (field, code, message) = only_error(&body);
        assert_eq!((field.as_str(), code.as_str()), ("attachment.factura", "unsupported_type"));
        assert!(message.starts_with("'factura.pdf' is application/vnd.microsoft.portable-executable, which is not accepted"), "{message}");
    }

    #[actix_web::test]
    async fn empty_files() {
        let n = filename("vacio.pdf");
        let (status, body) = send(&[DATA, Part::File("file", &n, b"")]).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(only_error(&body), ("files.0".into(), "empty".into(), "'vacio.pdf' is empty".into()));

        // An HTML form's file input left empty sends an unnamed empty part: ignored.
        let none = filename("");
        let (status, body) = send(&[DATA, Part::File("file", &none, b"")]).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["files"], json!([]));
    }

    #[actix_web::test]
    async fn every_bad_file_and_field_is_reported_at_once() {
        let (a, b, c) = (filename("ok.png"), filename("foto.png"), filename("vacio.txt"));
        let (status, body) =
            send(&[Part::Text("data", r#"{"title": 1}"#), Part::File("file", &a, samples::PNG), Part::File("file", &b, samples::JPEG), Part::File("attachment.acta", &c, b"")])
                .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let fields: Vec<_> = body["errors"].as_array().unwrap().iter().map(|e| (e["field"].as_str().unwrap(), e["code"].as_str().unwrap())).collect();
        assert_eq!(fields, [("title", "invalid_type"), ("files.1", "disguised_type"), ("attachment.acta", "empty")]);
    }

    #[actix_web::test]
    async fn malformed_bodies_are_bad_requests() {
        let app = t::init_service(app()).await;
        let req = t::TestRequest::post()
            .uri("/plain")
            .insert_header((header::CONTENT_TYPE, format!("multipart/form-data; boundary={BOUNDARY}")))
            .set_payload(format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"data\"\r\n\r\n{{\"title\":\"x\"}}"))
            .to_request();
        let resp = t::call_service(&app, req).await;
        assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
        let body: Value = t::read_body_json(resp).await;
        assert_eq!(body["code"], "bad_request");
    }

    #[test]
    fn multipart_content_types() {
        let is = |ct: Option<&str>| {
            let mut req = t::TestRequest::post();
            if let Some(ct) = ct {
                req = req.insert_header((header::CONTENT_TYPE, ct));
            }
            is_multipart(&req.to_http_request())
        };
        assert!(is(Some("multipart/form-data; boundary=x")));
        assert!(is(Some("Multipart/Form-Data;boundary=\"x y\"")));
        assert!(!is(Some("multipart/mixed; boundary=x")));
        assert!(!is(Some("application/json")));
        assert!(!is(None));
    }

    #[test]
    fn file_name_sanitizing() {
        let long = format!("{}.pdf", "x".repeat(300));
        let cases = [
            ("informe.pdf", "informe.pdf".to_owned()),
            ("C:\\fakepath\\informe.pdf", "informe.pdf".into()),
            ("../../etc/passwd", "passwd".into()),
            ("carpeta/", "".into()),
            ("  .oculto.pdf. ", "oculto.pdf".into()),
            ("a<b>:c|d?e*\"f\".pdf", "a_b__c_d_e__f_.pdf".into()),
            ("con\ntrol\u{0}.pdf", "control.pdf".into()),
            ("foto\u{202E}fdp.exe", "fotofdp.exe".into()),
            ("zero\u{200B}width\u{FEFF}.pdf", "zerowidth.pdf".into()),
            ("Resolución 045 — año 2024.pdf", "Resolución 045 — año 2024.pdf".into()),
            (&long, format!("{}.pdf", "x".repeat(196))),
            ("", "".into()),
        ];
        for (raw, expected) in cases {
            assert_eq!(sanitize_file_name(raw), expected, "{raw:?}");
        }
        assert_eq!(sanitize_file_name(&"ñ".repeat(500)).chars().count(), MAX_FILE_NAME_CHARS);
        assert_eq!(with_extension("escaneo".into(), "png"), "escaneo.png");
        assert_eq!(with_extension("".into(), "pdf"), "attachment.pdf");
        assert_eq!(with_extension("a.pdf".into(), "pdf"), "a.pdf");
        assert_eq!(with_extension("y".repeat(200), "jpg").chars().count(), MAX_FILE_NAME_CHARS);
    }

    #[test]
    fn sizes_read_well() {
        assert_eq!(human(10 * 1024 * 1024), "10 MiB");
        assert_eq!(human(1536 * 1024), "1.5 MiB");
        assert_eq!(human(256 * 1024), "256 KiB");
        assert_eq!(human(1000), "1000 bytes");
    }
}
