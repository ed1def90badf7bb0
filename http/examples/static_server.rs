//! A static file server that compresses with slz.
//!
//! `cargo run -p slz-http --example static_server -- DIR [127.0.0.1:8080]`
#![forbid(unsafe_code)]

use std::convert::Infallible;
use std::path::{Component, Path, PathBuf};

use bytes::Bytes;
use http::{header, Method, Request, Response, StatusCode};
use http_body_util::Full;
use hyper_util::rt::TokioIo;
use hyper_util::service::TowerToHyperService;
use slz_http::CompressionLayer;
use tokio::net::TcpListener;
use tower::ServiceBuilder;

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" | "htm" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// Answers one request from the files under `root` (GET and HEAD; no `..`).
pub async fn file(root: &Path, req: Request<hyper::body::Incoming>) -> Response<Full<Bytes>> {
    let status = |s: StatusCode| Response::builder().status(s).body(Full::default()).unwrap();
    if req.method() != Method::GET && req.method() != Method::HEAD {
        return status(StatusCode::METHOD_NOT_ALLOWED);
    }
    let rel = Path::new(req.uri().path().trim_start_matches('/'));
    if rel.components().any(|c| !matches!(c, Component::Normal(_))) {
        return status(StatusCode::NOT_FOUND);
    }
    let path = if rel.as_os_str().is_empty() {
        root.join("index.html")
    } else {
        root.join(rel)
    };
    let Ok(bytes) = tokio::fs::read(&path).await else {
        return status(StatusCode::NOT_FOUND);
    };
    let len = bytes.len();
    let body = if req.method() == Method::HEAD {
        Bytes::new()
    } else {
        Bytes::from(bytes)
    };
    Response::builder()
        .header(header::CONTENT_TYPE, content_type(&path))
        .header(header::CONTENT_LENGTH, len)
        .body(Full::new(body))
        .unwrap()
}

/// Serves `root` on `listener` until the task is dropped, compressing with `layer`.
pub async fn serve(listener: TcpListener, root: PathBuf, layer: CompressionLayer) {
    let svc = ServiceBuilder::new().layer(layer).service_fn(move |req| {
        let root = root.clone();
        async move { Ok::<_, Infallible>(file(&root, req).await) }
    });
    loop {
        let Ok((tcp, _)) = listener.accept().await else {
            continue;
        };
        let svc = TowerToHyperService::new(svc.clone());
        tokio::spawn(
            hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(tcp), svc),
        );
    }
}

#[allow(dead_code)]
#[tokio::main]
async fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let root = PathBuf::from(args.next().unwrap_or_else(|| ".".into()));
    let addr = args.next().unwrap_or_else(|| "127.0.0.1:8080".into());
    let listener = TcpListener::bind(&addr).await?;
    println!(
        "serving {} on http://{}",
        root.display(),
        listener.local_addr()?
    );
    serve(listener, root, CompressionLayer::new()).await;
    Ok(())
}
