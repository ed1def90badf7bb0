//! The server of the load comparison (`load/run.sh`): the same hyper service behind the slz
//! layer, tower-http's CompressionLayer (gzip, default level or level 1), or no compression.
//!
//! `load_server MODE ADDR` with MODE = slz | tower | tower-1 | none. Routes: `/slow` streams
//! 10 events of ~200 bytes, one per `SLOW_MS` ms (default 1000); `/page` streams 64 KiB of
//! web-like text in 8 ready chunks. It prints `listening ADDR` and serves until killed.
#![forbid(unsafe_code)]

use std::convert::Infallible;
use std::time::Duration;

use bytes::Bytes;
use http::{header, Request, Response};
use http_body::Frame;
use http_body_util::{combinators::BoxBody, BodyExt, StreamBody};
use hyper_util::rt::TokioIo;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tower::{Service, ServiceBuilder};

type Body = BoxBody<Bytes, std::io::Error>;

fn page_chunk(i: usize) -> Bytes {
    let mut s = String::with_capacity(8192);
    let mut n = i * 1000;
    while s.len() < 8192 - 80 {
        s.push_str(&format!(
            "<li class=\"row\"><a href=\"/item/{n}\">item {n}</a> <span>{}</span></li>\n",
            n * 7 % 1000
        ));
        n += 1;
    }
    Bytes::from(s)
}

fn app(req: Request<hyper::body::Incoming>, slow: Duration) -> Response<Body> {
    let body = if req.uri().path() == "/slow" {
        let s = futures_util::stream::unfold(0u32, move |i| async move {
            if i == 10 {
                return None;
            }
            if i > 0 {
                tokio::time::sleep(slow).await;
            }
            let ev = format!(
                "{{\"event\": {i}, \"status\": \"running\", \"detail\": \"{}\"}}\n",
                "progress ".repeat(16)
            );
            Some((Ok(Frame::data(Bytes::from(ev))), i + 1))
        });
        // Fused: tower-http's body polls its inner stream again after the end.
        StreamBody::new(futures_util::StreamExt::fuse(s)).boxed()
    } else {
        let chunks = (0..8).map(|i| Ok(Frame::data(page_chunk(i))));
        StreamBody::new(futures_util::StreamExt::fuse(futures_util::stream::iter(
            chunks,
        )))
        .boxed()
    };
    Response::builder()
        .header(header::CONTENT_TYPE, "text/plain; charset=utf-8")
        .body(body)
        .unwrap()
}

async fn serve<S, B>(listener: TcpListener, svc: S)
where
    S: Service<Request<hyper::body::Incoming>, Response = Response<B>, Error = Infallible>
        + Clone
        + Send
        + 'static,
    S::Future: Send + 'static,
    B: http_body::Body + Send + 'static,
    B::Data: Send,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
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

fn main() {
    let mut args = std::env::args().skip(1);
    let mode = args.next().unwrap_or_else(|| "slz".into());
    let addr = args.next().unwrap_or_else(|| "127.0.0.1:8090".into());
    let slow = Duration::from_millis(
        std::env::var("SLOW_MS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(1000),
    );
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async move {
        let listener = TcpListener::bind(&addr).await.unwrap();
        println!("listening {}", listener.local_addr().unwrap());
        let base = tower::service_fn(move |req| async move { Ok::<_, Infallible>(app(req, slow)) });
        use tower_http::compression::{CompressionLayer as Tower, CompressionLevel};
        match mode.as_str() {
            "slz" => {
                serve(
                    listener,
                    ServiceBuilder::new()
                        .layer(slz_http::CompressionLayer::new())
                        .service(base),
                )
                .await
            }
            "tower" => {
                serve(
                    listener,
                    ServiceBuilder::new()
                        .layer(Tower::new().no_br().no_zstd())
                        .service(base),
                )
                .await
            }
            "tower-1" => {
                let layer = Tower::new()
                    .no_br()
                    .no_zstd()
                    .quality(CompressionLevel::Precise(1));
                serve(listener, ServiceBuilder::new().layer(layer).service(base)).await
            }
            "none" => serve(listener, base).await,
            other => eprintln!("unknown mode {other}: slz | tower | tower-1 | none"),
        }
    });
}
