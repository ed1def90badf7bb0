//! A reverse proxy that compresses an upstream's responses with slz, streaming: each chunk
//! the upstream sends is compressed and flushed to the client as it comes.
//!
//! `cargo run -p slz-http --example proxy -- UPSTREAM_HOST:PORT [127.0.0.1:8081]`
#![forbid(unsafe_code)]

use bytes::Bytes;
use http::{Request, Response, StatusCode, Uri};
use http_body_util::{combinators::BoxBody, BodyExt, Full};
use hyper::body::Incoming;
use hyper_util::client::legacy::{connect::HttpConnector, Client};
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::service::TowerToHyperService;
use slz_http::{BoxError, CompressionLayer};
use tokio::net::TcpListener;
use tower::ServiceBuilder;

type Body = BoxBody<Bytes, BoxError>;

/// Forwards `req` to `upstream` (host:port) without its `Accept-Encoding`; 502 when the upstream cannot be reached.
pub async fn forward(
    client: &Client<HttpConnector, Incoming>,
    upstream: &str,
    mut req: Request<Incoming>,
) -> Response<Body> {
    let path = req.uri().path_and_query().map_or("/", |p| p.as_str());
    let Ok(uri) = format!("http://{upstream}{path}").parse::<Uri>() else {
        return Response::builder()
            .status(StatusCode::BAD_REQUEST)
            .body(Full::default().map_err(Into::into).boxed())
            .unwrap();
    };
    *req.uri_mut() = uri;
    // Compression is this proxy's job (the layer has read the client's Accept-Encoding
    // already): ask the upstream for identity, as HAProxy's `compression offload` does.
    req.headers_mut().remove(http::header::ACCEPT_ENCODING);
    match client.request(req).await {
        Ok(res) => res.map(|b| b.map_err(Into::into).boxed()),
        Err(e) => Response::builder()
            .status(StatusCode::BAD_GATEWAY)
            .body(
                Full::new(Bytes::from(format!("upstream: {e}\n")))
                    .map_err(Into::into)
                    .boxed(),
            )
            .unwrap(),
    }
}

/// Proxies every connection on `listener` to `upstream` until the task is dropped.
pub async fn serve(listener: TcpListener, upstream: String, layer: CompressionLayer) {
    let client = Client::builder(TokioExecutor::new()).build_http();
    let svc = ServiceBuilder::new().layer(layer).service_fn(move |req| {
        let (client, upstream) = (client.clone(), upstream.clone());
        async move { Ok::<_, std::convert::Infallible>(forward(&client, &upstream, req).await) }
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
    let upstream = args.next().unwrap_or_else(|| "127.0.0.1:8080".into());
    let addr = args.next().unwrap_or_else(|| "127.0.0.1:8081".into());
    let listener = TcpListener::bind(&addr).await?;
    println!(
        "proxying http://{} -> http://{upstream}",
        listener.local_addr()?
    );
    serve(listener, upstream, CompressionLayer::new()).await;
    Ok(())
}
