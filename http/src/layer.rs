//! [`CompressionLayer`] and its service.

use std::future::Future;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

use http::{header, HeaderMap, HeaderValue, Method, Request, Response};
use http_body::Body;
use slz::Level;
use tower_layer::Layer;
use tower_service::Service;

use crate::negotiate::{Rules, Skip};
use crate::{CompressBody, Encoding};

/// A `tower::Layer` that compresses responses with slz, gzip or deflate (zlib) as the request's
/// `Accept-Encoding` prefers, like tower-http's `CompressionLayer`.
///
/// No compression for `HEAD`, 1xx/204/304, 206 or `Content-Range`, a `Content-Encoding`
/// already set, `Cache-Control: no-transform`, a known length under [`min_size`] (32 bytes by
/// default), and content types that do not compress (see [`Skip::ContentType`]).
/// Compressed responses lose `Content-Length` and `Accept-Ranges`, a strong `ETag` becomes
/// weak, and `Vary: Accept-Encoding` is added to every response that depends on it. Streamed
/// bodies are sync-flushed whenever they have nothing ready (see [`CompressBody`]); Server-Sent
/// Events are compressed too.
///
/// Memory per open response: one `slz::Encoder` (at most 64 bytes) between frames.
///
/// [`min_size`]: CompressionLayer::min_size
///
/// ```
/// use slz_http::CompressionLayer;
/// let layer = CompressionLayer::new().level(slz::Level::FAST).min_size(256).deflate(false);
/// # let _ = layer;
/// ```
#[derive(Debug, Clone, Copy)]
pub struct CompressionLayer {
    rules: Rules,
    level: Level,
}

impl Default for CompressionLayer {
    fn default() -> Self {
        CompressionLayer::new()
    }
}

impl CompressionLayer {
    /// gzip and deflate at level 1, minimum size 32 bytes.
    pub fn new() -> Self {
        CompressionLayer {
            rules: Rules::default(),
            level: Level::FAST,
        }
    }

    /// The compression level (`Level::FAST` by default; 0 = stored blocks).
    pub fn level(mut self, level: Level) -> Self {
        self.level = level;
        self
    }

    /// Offer gzip (default true).
    pub fn gzip(mut self, on: bool) -> Self {
        self.rules.gzip = on;
        self
    }

    /// Offer deflate, i.e. zlib (default true).
    pub fn deflate(mut self, on: bool) -> Self {
        self.rules.deflate = on;
        self
    }

    /// Responses of a known length under `bytes` stay uncompressed (default 32).
    pub fn min_size(mut self, bytes: u64) -> Self {
        self.rules.min_size = bytes;
        self
    }

    /// The negotiation and skip rules in use.
    pub fn rules(&self) -> Rules {
        self.rules
    }
}

impl<S> Layer<S> for CompressionLayer {
    type Service = Compression<S>;

    fn layer(&self, inner: S) -> Compression<S> {
        Compression {
            inner,
            layer: *self,
        }
    }
}

/// The service made by [`CompressionLayer`].
#[derive(Debug, Clone)]
pub struct Compression<S> {
    inner: S,
    layer: CompressionLayer,
}

impl<S> Compression<S> {
    /// Wraps `inner` with the default [`CompressionLayer`].
    pub fn new(inner: S) -> Self {
        CompressionLayer::new().layer(inner)
    }
}

impl<S, ReqBody, ResBody> Service<Request<ReqBody>> for Compression<S>
where
    S: Service<Request<ReqBody>, Response = Response<ResBody>>,
    ResBody: Body,
{
    type Response = Response<CompressBody<ResBody>>;
    type Error = S::Error;
    type Future = ResponseFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Request<ReqBody>) -> Self::Future {
        let accepted = self.layer.rules.accept(req.headers());
        let head = req.method() == Method::HEAD;
        ResponseFuture {
            inner: self.inner.call(req),
            accepted,
            head,
            layer: self.layer,
        }
    }
}

pin_project_lite::pin_project! {
    /// The response future of [`Compression`].
    #[derive(Debug)]
    pub struct ResponseFuture<F> {
        #[pin]
        inner: F,
        accepted: Result<Encoding, Skip>,
        head: bool,
        layer: CompressionLayer,
    }
}

impl<F, B, E> Future for ResponseFuture<F>
where
    F: Future<Output = Result<Response<B>, E>>,
    B: Body,
{
    type Output = Result<Response<CompressBody<B>>, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let res = ready!(this.inner.poll(cx))?;
        let (mut parts, body) = res.into_parts();
        let decision = this.layer.rules.combine(
            *this.head,
            *this.accepted,
            parts.status,
            &parts.headers,
            body.size_hint().exact(),
        );
        let body = match decision {
            Ok(enc) => {
                let h = &mut parts.headers;
                h.insert(
                    header::CONTENT_ENCODING,
                    HeaderValue::from_static(enc.as_str()),
                );
                h.remove(header::CONTENT_LENGTH);
                h.remove(header::ACCEPT_RANGES);
                weaken_etag(h);
                add_vary(h);
                CompressBody::new(body, enc, this.layer.level)
            }
            Err(skip) => {
                if skip.varies() {
                    add_vary(&mut parts.headers);
                }
                CompressBody::identity(body)
            }
        };
        Poll::Ready(Ok(Response::from_parts(parts, body)))
    }
}

/// Adds `Vary: accept-encoding` unless `Vary` already names it or is `*`.
fn add_vary(h: &mut HeaderMap) {
    let present = h.get_all(header::VARY).iter().any(|v| {
        v.to_str().is_ok_and(|v| {
            v.split(',').any(|t| {
                let t = t.trim();
                t == "*" || t.eq_ignore_ascii_case("accept-encoding")
            })
        })
    });
    if !present {
        h.append(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
}

/// A strong `ETag` names the uncompressed bytes; the compressed ones get a weak one.
fn weaken_etag(h: &mut HeaderMap) {
    if let Some(tag) = h.get(header::ETAG) {
        if tag.as_bytes().starts_with(b"\"") {
            let mut weak = b"W/".to_vec();
            weak.extend_from_slice(tag.as_bytes());
            if let Ok(v) = HeaderValue::from_bytes(&weak) {
                h.insert(header::ETAG, v);
            }
        }
    }
}
