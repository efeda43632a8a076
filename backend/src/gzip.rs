//! Gzip of answers already in memory (JSON, problem+json), on the worker's own thread.
//!
//! actix-web's `Compress` hands every body over 1 KB to a blocking thread and waits to be woken
//! when it is done: two cross-thread wake-ups per answer, which cost more CPU than compressing a
//! 20 KB queue page (tests/bench/README.md). `Compress` still encodes streamed bodies (files),
//! and leaves alone what this middleware has already encoded.

use std::io::Write;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, AcceptEncoding, Encoding, Header, HeaderValue};
use actix_web::middleware::Next;
use flate2::write::GzEncoder;

/// Bodies under this size `Compress` already encodes in place (actix-http's own threshold).
const MIN_BYTES: usize = 1024;

pub async fn gzip_in_place(req: ServiceRequest, next: Next<impl MessageBody + 'static>) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let wants_gzip =
        AcceptEncoding::parse(req.request()).ok().and_then(|accept| accept.negotiate([Encoding::gzip(), Encoding::identity()].iter())).is_some_and(|e| e == Encoding::gzip());
    let res = next.call(req).await?;
    if !wants_gzip || res.headers().contains_key(header::CONTENT_ENCODING) {
        return Ok(res.map_into_boxed_body());
    }
    let (req, res) = res.into_parts();
    let (mut res, body) = res.into_parts();
    let body = match body.try_into_bytes() {
        Ok(bytes) if bytes.len() >= MIN_BYTES => {
            let mut gz = GzEncoder::new(Vec::with_capacity(bytes.len() / 4), flate2::Compression::fast());
            gz.write_all(&bytes)?;
            let headers = res.headers_mut();
            headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
            headers.append(header::VARY, HeaderValue::from_static("accept-encoding"));
            BoxBody::new(gz.finish()?)
        }
        Ok(bytes) => BoxBody::new(bytes),
        Err(stream) => BoxBody::new(stream),
    };
    Ok(ServiceResponse::new(req, res.set_body(body)))
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use actix_web::middleware::from_fn;
    use actix_web::{test, web, App, HttpResponse};

    use super::*;

    async fn big() -> HttpResponse {
        HttpResponse::Ok().content_type("application/json").body(format!("[{}0]", "1234567890,".repeat(200)))
    }

    async fn small() -> HttpResponse {
        HttpResponse::Ok().content_type("application/json").body("[1,2,3]")
    }

    async fn call(accept: Option<&str>, path: &str) -> (Option<String>, Vec<u8>) {
        let app = test::init_service(App::new().wrap(from_fn(gzip_in_place)).route("/big", web::get().to(big)).route("/small", web::get().to(small))).await;
        let mut req = test::TestRequest::get().uri(path);
        if let Some(a) = accept {
            req = req.insert_header((header::ACCEPT_ENCODING, a));
        }
        let res = test::call_service(&app, req.to_request()).await;
        let encoding = res.headers().get(header::CONTENT_ENCODING).map(|v| v.to_str().unwrap().to_owned());
        (encoding, test::read_body(res).await.to_vec())
    }

    #[actix_web::test]
    async fn compresses_large_bodies_for_clients_that_accept_gzip() {
        let (encoding, body) = call(Some("gzip, deflate, br"), "/big").await;
        assert_eq!(encoding.as_deref(), Some("gzip"));
        let mut plain = String::new();
        flate2::read::GzDecoder::new(body.as_slice()).read_to_string(&mut plain).unwrap();
        assert_eq!(plain, format!("[{}0]", "1234567890,".repeat(200)));
        assert!(body.len() < plain.len() / 4);
    }

    #[actix_web::test]
    async fn leaves_small_bodies_and_clients_without_gzip_alone() {
        assert_eq!(call(Some("gzip"), "/small").await, (None, b"[1,2,3]".to_vec()));
        assert_eq!(call(None, "/big").await.0, None);
        assert_eq!(call(Some("br"), "/big").await.0, None);
        assert_eq!(call(Some("gzip;q=0, identity"), "/big").await.0, None);
    }
}
