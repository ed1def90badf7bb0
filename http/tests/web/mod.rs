//! The test server: the static file server of `examples/static_server.rs` plus routes for every
//! compression rule, a streamed body, a failing body and Server-Sent Events paced by acks,
//! behind the slz `CompressionLayer`, served by hyper on 127.0.0.1 (ephemeral port).
#![allow(dead_code)]

#[path = "../../examples/proxy.rs"]
pub mod proxy;
#[path = "../../examples/static_server.rs"]
pub mod static_server;

use std::convert::Infallible;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use http::{header, Request, Response, StatusCode};
use http_body::Frame;
use http_body_util::{combinators::BoxBody, BodyExt, Full, StreamBody};
use hyper_util::rt::TokioIo;
use hyper_util::service::TowerToHyperService;
use slz_http::{BoxError, CompressionLayer};
use tokio::net::TcpListener;
use tokio::sync::{mpsc, watch};
use tower::ServiceBuilder;

pub type Body = BoxBody<Bytes, BoxError>;

/// How long the server waits for the ack of an event before it gives up (and the test fails).
pub const ACK_TIMEOUT: Duration = Duration::from_secs(15);

/// (path, Content-Encoding) of every response sent.
pub type Log = Arc<Mutex<Vec<(String, Option<String>)>>>;

pub struct Server {
    pub addr: SocketAddr,
    /// Messages the pages sent to `/report?...`.
    pub reports: mpsc::UnboundedReceiver<String>,
    /// (path, Content-Encoding) of every response sent, in order.
    pub log: Log,
}

#[derive(Clone)]
struct State {
    root: Option<PathBuf>,
    acked: Arc<watch::Sender<u32>>,
    reports: mpsc::UnboundedSender<String>,
}

/// Text the rule routes serve: 4000 bytes of compressible text.
pub fn text() -> Vec<u8> {
    let mut t = Vec::new();
    let mut i = 0u32;
    while t.len() < 4000 {
        t.extend_from_slice(
            format!("line {i}: the quick brown fox jumps over the lazy dog\n").as_bytes(),
        );
        i += 1;
    }
    t.truncate(4000);
    t
}

fn full(b: impl Into<Bytes>) -> Body {
    Full::new(b.into()).map_err(|e| match e {}).boxed()
}

fn query(req: &Request<hyper::body::Incoming>, key: &str) -> Option<String> {
    req.uri().query()?.split('&').find_map(|kv| {
        let (k, v) = kv.split_once('=')?;
        (k == key).then(|| v.to_string())
    })
}

/// Server-Sent Events: `n` events; after each, wait for `/ack?n=<i+1>` before the next.
fn events(n: u32, acked: Arc<watch::Sender<u32>>) -> Body {
    acked.send_replace(0);
    let stream = futures_util::stream::unfold(0u32, move |i| {
        let acked = acked.clone();
        async move {
            if i > n {
                return None;
            }
            if i > 0 {
                let mut rx = acked.subscribe();
                let waited = tokio::time::timeout(ACK_TIMEOUT, rx.wait_for(|v| *v >= i)).await;
                if !matches!(waited, Ok(Ok(_))) {
                    let ev = format!("event: timeout\ndata: {i}\n\n");
                    return Some((Ok(Frame::data(Bytes::from(ev))), n + 1));
                }
                if i == n {
                    return None;
                }
            }
            let pad = "x".repeat(100);
            let ev = format!(
                "id: {i}\ndata: {{\"n\": {}, \"pad\": \"{pad}\"}}\n\n",
                i + 1
            );
            Some((Ok::<_, BoxError>(Frame::data(Bytes::from(ev))), i + 1))
        }
    });
    StreamBody::new(stream).boxed()
}

async fn route(req: Request<hyper::body::Incoming>, st: State) -> Response<Body> {
    let mut res = Response::builder();
    let t = text();
    let body = match req.uri().path() {
        "/text" => full(t),
        "/tiny" => full("tiny"),
        "/png" => {
            res = res.header(header::CONTENT_TYPE, "image/png");
            full(t)
        }
        "/svg" => {
            res = res.header(header::CONTENT_TYPE, "image/svg+xml");
            full(t)
        }
        "/octet" => {
            res = res.header(header::CONTENT_TYPE, "application/octet-stream");
            full(t)
        }
        "/zip" => {
            res = res.header(header::CONTENT_TYPE, "application/zip");
            full(t)
        }
        "/video" => {
            res = res.header(header::CONTENT_TYPE, "video/mp4");
            full(t)
        }
        "/grpc" => {
            res = res.header(header::CONTENT_TYPE, "application/grpc");
            full(t)
        }
        "/encoded" => {
            res = res.header(header::CONTENT_ENCODING, "br");
            full(t)
        }
        "/no-transform" => {
            res = res.header(header::CACHE_CONTROL, "public, no-transform");
            full(t)
        }
        "/partial" => {
            res = res
                .status(StatusCode::PARTIAL_CONTENT)
                .header(header::CONTENT_RANGE, "bytes 0-3999/8000");
            full(t)
        }
        "/content-range" => {
            res = res.header(header::CONTENT_RANGE, "bytes 0-3999/4000");
            full(t)
        }
        "/no-content" => {
            res = res.status(StatusCode::NO_CONTENT);
            full("")
        }
        "/not-modified" => {
            res = res.status(StatusCode::NOT_MODIFIED);
            full("")
        }
        "/headers" => {
            res = res
                .header(header::CONTENT_LENGTH, t.len())
                .header(header::ACCEPT_RANGES, "bytes")
                .header(header::ETAG, "\"v1\"")
                .header(header::VARY, "origin");
            full(t)
        }
        "/stream" => {
            // Ten chunks, 20 ms apart: a streamed body with no length.
            let stream = futures_util::stream::unfold(0u32, |i| async move {
                if i == 10 {
                    return None;
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
                let chunk = format!("chunk {i}: {}\n", "stream data ".repeat(20));
                Some((Ok::<_, BoxError>(Frame::data(Bytes::from(chunk))), i + 1))
            });
            StreamBody::new(stream).boxed()
        }
        "/error" => {
            // Some data, a pause (the client gets it, sync-flushed), then a failure.
            let stream = futures_util::stream::unfold(0u32, move |i| {
                let t = t.clone();
                async move {
                    match i {
                        0 => Some((Ok(Frame::data(Bytes::from(t))), 1)),
                        1 => {
                            tokio::time::sleep(Duration::from_millis(50)).await;
                            Some((Err::<Frame<Bytes>, BoxError>("the body failed".into()), 2))
                        }
                        _ => None,
                    }
                }
            });
            StreamBody::new(stream).boxed()
        }
        "/events" => {
            res = res
                .header(header::CONTENT_TYPE, "text/event-stream")
                .header(header::CACHE_CONTROL, "no-cache");
            let n = query(&req, "n").and_then(|n| n.parse().ok()).unwrap_or(5);
            events(n, st.acked.clone())
        }
        "/ack" => {
            let n = query(&req, "n").and_then(|n| n.parse().ok()).unwrap_or(0);
            st.acked.send_modify(|v| *v = (*v).max(n));
            res = res.status(StatusCode::NO_CONTENT);
            full("")
        }
        "/report" => {
            let _ = st.reports.send(req.uri().query().unwrap_or("").to_string());
            res = res.status(StatusCode::NO_CONTENT);
            full("")
        }
        _ => match &st.root {
            Some(root) => {
                return static_server::file(root, req)
                    .await
                    .map(|b| b.map_err(|e| match e {}).boxed())
            }
            None => {
                res = res.status(StatusCode::NOT_FOUND);
                full("")
            }
        },
    };
    res.body(body).unwrap()
}

/// Starts the test server; `layer: None` never compresses (an upstream): the same layer with
/// both codings off.
pub async fn start(root: Option<PathBuf>, layer: Option<CompressionLayer>) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (tx, reports) = mpsc::unbounded_channel();
    let st = State {
        root,
        acked: Arc::new(watch::channel(0).0),
        reports: tx,
    };
    let log = Arc::new(Mutex::new(Vec::new()));
    let svc = ServiceBuilder::new()
        .layer(layer.unwrap_or(CompressionLayer::new().gzip(false).deflate(false)))
        .service_fn(move |req| {
            let st = st.clone();
            async move { Ok::<_, Infallible>(route(req, st).await) }
        });
    let log2 = log.clone();
    tokio::spawn(async move {
        loop {
            let Ok((tcp, _)) = listener.accept().await else {
                continue;
            };
            let log = log2.clone();
            let svc = svc.clone();
            let svc = tower::service_fn(move |req: Request<hyper::body::Incoming>| {
                let path = req.uri().path().to_string();
                let log = log.clone();
                let fut = tower::ServiceExt::oneshot(svc.clone(), req);
                async move {
                    let res = fut.await?;
                    let ce = res
                        .headers()
                        .get(header::CONTENT_ENCODING)
                        .map(|v| v.to_str().unwrap_or("?").to_string());
                    log.lock().unwrap().push((path, ce));
                    Ok::<_, Infallible>(res)
                }
            });
            let svc = TowerToHyperService::new(svc);
            tokio::spawn(
                hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(tcp), svc),
            );
        }
    });
    Server { addr, reports, log }
}

/// A fresh directory under the system temp dir, for files or a browser profile.
pub fn temp_dir(what: &str) -> PathBuf {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    let d = std::env::temp_dir().join(format!(
        "slz-http-{what}-{}-{}-{nanos}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Whether an external tool must be present (SLZ_STRICT=1, as in CI) or may be skipped.
pub fn strict() -> bool {
    std::env::var("SLZ_STRICT").is_ok_and(|v| v == "1")
}

/// Finds `tool` on PATH; without it, panics under SLZ_STRICT=1, else prints why and returns None.
pub fn tool(tool: &str) -> Option<PathBuf> {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|p| p.join(tool))
            .find(|p| p.is_file())
    });
    if found.is_none() {
        if strict() {
            panic!("{tool} is not installed and SLZ_STRICT=1: install it (.ci/run does)");
        }
        eprintln!("SKIPPED: {tool} is not installed (set SLZ_STRICT=1 to make this a failure)");
    }
    found
}
