//! Which responses to compress, and how: `Accept-Encoding` negotiation and the skip rules of
//! [`CompressionLayer`](crate::CompressionLayer), as plain functions over headers.
//!
//! ```
//! use http::{header, HeaderMap, Method, StatusCode};
//! use slz_http::negotiate::{Rules, Skip};
//! use slz_http::Encoding;
//!
//! let rules = Rules::default();
//! let mut req = HeaderMap::new();
//! req.insert(header::ACCEPT_ENCODING, "deflate;q=0.5, gzip;q=0.8".parse().unwrap());
//! let mut res = HeaderMap::new();
//! res.insert(header::CONTENT_TYPE, "text/html".parse().unwrap());
//! assert_eq!(rules.decide(&Method::GET, &req, StatusCode::OK, &res, None), Ok(Encoding::Gzip));
//! res.insert(header::CONTENT_TYPE, "image/png".parse().unwrap());
//! assert_eq!(rules.decide(&Method::GET, &req, StatusCode::OK, &res, None), Err(Skip::ContentType));
//! ```

use http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use slz::Format;

/// A content coding slz produces for HTTP.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Encoding {
    /// `Content-Encoding: gzip` (RFC 1952).
    Gzip,
    /// `Content-Encoding: deflate`, which HTTP defines as the **zlib** format (RFC 1950).
    Deflate,
}

impl Encoding {
    /// The slz stream format of this coding (`deflate` is [`Format::Zlib`]).
    pub const fn format(self) -> Format {
        match self {
            Encoding::Gzip => Format::Gzip,
            Encoding::Deflate => Format::Zlib,
        }
    }

    /// The `Content-Encoding` token.
    pub const fn as_str(self) -> &'static str {
        match self {
            Encoding::Gzip => "gzip",
            Encoding::Deflate => "deflate",
        }
    }
}

/// Why a response is sent uncompressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Skip {
    /// The request accepts neither enabled coding (or prefers `identity`), or has no
    /// `Accept-Encoding`.
    NotAccepted,
    /// A `HEAD` request: no body to compress.
    Head,
    /// A 1xx, 204 or 304 response: no body.
    NoBody,
    /// 206 Partial Content or a `Content-Range` header: compressing would break the ranges.
    Range,
    /// The response already has a `Content-Encoding` (other than `identity`).
    AlreadyEncoded,
    /// `Cache-Control: no-transform`.
    NoTransform,
    /// A known length (`Content-Length` or an exact body size) under the minimum size.
    TooSmall,
    /// A content type that does not compress: images (except SVG), audio, video, archives and
    /// compressed fonts, `application/octet-stream`, gRPC.
    ContentType,
}

impl Skip {
    /// Whether the response still varies with `Accept-Encoding` (another request could have
    /// got it compressed), so caches need `Vary: Accept-Encoding`.
    pub const fn varies(self) -> bool {
        matches!(self, Skip::NotAccepted | Skip::Head)
    }
}

/// The negotiation and skip rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rules {
    /// Offer gzip.
    pub gzip: bool,
    /// Offer deflate (zlib).
    pub deflate: bool,
    /// Responses of a known length under this many bytes are not compressed (default 32, as
    /// tower-http).
    pub min_size: u64,
}

impl Default for Rules {
    fn default() -> Self {
        Rules {
            gzip: true,
            deflate: true,
            min_size: 32,
        }
    }
}

/// A q-value in thousandths, or `None` when malformed (the item is then ignored).
fn parse_q(v: &str) -> Option<u16> {
    let v = v.trim();
    let (int, frac) = match v.split_once('.') {
        Some((i, f)) => (i, f),
        None => (v, ""),
    };
    if frac.len() > 3 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut thousandths: u16 = 0;
    for (i, b) in frac.bytes().enumerate() {
        thousandths += u16::from(b - b'0') * [100, 10, 1][i];
    }
    match int {
        "0" => Some(thousandths),
        "1" if thousandths == 0 => Some(1000),
        _ => None,
    }
}

/// The q-values an `Accept-Encoding` gives gzip, deflate and identity (in thousandths), with
/// `*` standing for codings not named. `None` for gzip/deflate: not acceptable.
fn q_values(headers: &HeaderMap) -> Option<(u16, u16, u16)> {
    let mut values = headers.get_all(header::ACCEPT_ENCODING).iter().peekable();
    values.peek()?;
    let (mut gzip, mut deflate, mut identity, mut star) = (None, None, None, None);
    for value in values {
        let Ok(value) = value.to_str() else { continue };
        for item in value.split(',') {
            let mut parts = item.split(';');
            let coding = parts.next().unwrap_or("").trim();
            if coding.is_empty() {
                continue;
            }
            let mut q = Some(1000);
            for param in parts {
                if let Some((name, v)) = param.split_once('=') {
                    if name.trim().eq_ignore_ascii_case("q") {
                        q = parse_q(v);
                    }
                }
            }
            let Some(q) = q else { continue };
            let slot =
                if coding.eq_ignore_ascii_case("gzip") || coding.eq_ignore_ascii_case("x-gzip") {
                    &mut gzip
                } else if coding.eq_ignore_ascii_case("deflate") {
                    &mut deflate
                } else if coding.eq_ignore_ascii_case("identity") {
                    &mut identity
                } else if coding == "*" {
                    &mut star
                } else {
                    continue;
                };
            // A coding named twice keeps its highest q.
            *slot = Some(slot.map_or(q, |old: u16| old.max(q)));
        }
    }
    let gzip = gzip.or(star).unwrap_or(0);
    let deflate = deflate.or(star).unwrap_or(0);
    // identity only competes when named (or through `*`); unnamed, it is the fallback.
    let identity = identity.or(star).unwrap_or(0);
    Some((gzip, deflate, identity))
}

fn has_token(headers: &HeaderMap, name: header::HeaderName, token: &str) -> bool {
    headers.get_all(name).iter().any(|v| {
        v.to_str().is_ok_and(|v| {
            v.split(',').any(|d| {
                let d = d.split('=').next().unwrap_or("").trim();
                d.eq_ignore_ascii_case(token)
            })
        })
    })
}

/// Media types that are already compressed (or gRPC framing): never compressed again.
fn incompressible(content_type: &HeaderValue) -> bool {
    let Ok(ct) = content_type.to_str() else {
        return false;
    };
    let ct = ct
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if let Some(sub) = ct.strip_prefix("image/") {
        return sub != "svg+xml";
    }
    ct.starts_with("audio/")
        || ct.starts_with("video/")
        || ct.starts_with("application/grpc")
        || matches!(
            ct.as_str(),
            "application/octet-stream"
                | "application/zip"
                | "application/gzip"
                | "application/x-gzip"
                | "application/x-bzip"
                | "application/x-bzip2"
                | "application/x-xz"
                | "application/x-7z-compressed"
                | "application/x-rar-compressed"
                | "application/vnd.rar"
                | "application/zstd"
                | "application/x-zstd"
                | "application/x-compress"
                | "application/x-lzip"
                | "application/x-lzma"
                | "application/x-brotli"
                | "application/wasm-gz"
                | "font/woff"
                | "font/woff2"
                | "application/font-woff"
        )
}

impl Rules {
    /// The coding to use for a request's `Accept-Encoding`: the acceptable enabled coding with
    /// the highest q (gzip on a tie), if its q is above 0 and not below the q of an `identity` (or `*`) the request names.
    pub fn accept(&self, request: &HeaderMap) -> Result<Encoding, Skip> {
        let (gzip, deflate, identity) = q_values(request).ok_or(Skip::NotAccepted)?;
        let gzip = if self.gzip { gzip } else { 0 };
        let deflate = if self.deflate { deflate } else { 0 };
        let (enc, q) = if gzip >= deflate {
            (Encoding::Gzip, gzip)
        } else {
            (Encoding::Deflate, deflate)
        };
        if q == 0 || q < identity {
            return Err(Skip::NotAccepted);
        }
        Ok(enc)
    }

    /// Whether a response may be compressed at all, whatever the request accepts. `body_len`
    /// is the body's exact size when known (`Body::size_hint().exact()`).
    pub fn response(
        &self,
        status: StatusCode,
        headers: &HeaderMap,
        body_len: Option<u64>,
    ) -> Result<(), Skip> {
        if status.is_informational()
            || status == StatusCode::NO_CONTENT
            || status == StatusCode::NOT_MODIFIED
        {
            return Err(Skip::NoBody);
        }
        if status == StatusCode::PARTIAL_CONTENT || headers.contains_key(header::CONTENT_RANGE) {
            return Err(Skip::Range);
        }
        if headers
            .get_all(header::CONTENT_ENCODING)
            .iter()
            .any(|v| !v.as_bytes().trim_ascii().eq_ignore_ascii_case(b"identity"))
        {
            return Err(Skip::AlreadyEncoded);
        }
        if has_token(headers, header::CACHE_CONTROL, "no-transform") {
            return Err(Skip::NoTransform);
        }
        if headers
            .get(header::CONTENT_TYPE)
            .is_some_and(incompressible)
        {
            return Err(Skip::ContentType);
        }
        let len = headers
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .or(body_len);
        if len.is_some_and(|n| n < self.min_size) {
            return Err(Skip::TooSmall);
        }
        Ok(())
    }

    /// The whole decision for one exchange: response rules first, then `HEAD`, then the
    /// negotiation.
    pub fn decide(
        &self,
        method: &Method,
        request: &HeaderMap,
        status: StatusCode,
        response: &HeaderMap,
        body_len: Option<u64>,
    ) -> Result<Encoding, Skip> {
        let accepted = self.accept(request);
        self.combine(method == Method::HEAD, accepted, status, response, body_len)
    }

    /// [`Rules::decide`] with the request side already evaluated (the layer keeps only that
    /// while the inner service runs).
    pub(crate) fn combine(
        &self,
        head: bool,
        accepted: Result<Encoding, Skip>,
        status: StatusCode,
        response: &HeaderMap,
        body_len: Option<u64>,
    ) -> Result<Encoding, Skip> {
        self.response(status, response, body_len)?;
        if head {
            return Err(Skip::Head);
        }
        accepted
    }
}
