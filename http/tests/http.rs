//! End to end over 127.0.0.1: the slz CompressionLayer in hyper, checked with real HTTP
//! clients (reqwest, decoding gzip and deflate itself or not; Debian's curl --compressed).

mod common;
mod web;

use std::io::Write;
use std::time::Duration;

use common::decode;
use futures_util::StreamExt;
use slz::Format;
use slz_http::CompressionLayer;

/// A client that decodes nothing: we see the headers and the bytes on the wire.
fn raw_client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_gzip()
        .no_deflate()
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap()
}

/// A client that negotiates and decodes gzip and deflate itself.
fn decoding_client() -> reqwest::Client {
    reqwest::Client::builder()
        .gzip(true)
        .deflate(true)
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap()
}

fn format_of(ce: &str) -> Format {
    match ce {
        "gzip" => Format::Gzip,
        "deflate" => Format::Zlib,
        other => panic!("unexpected Content-Encoding {other}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_rule_end_to_end() {
    let srv = web::start(None, Some(CompressionLayer::new())).await;
    let base = format!("http://{}", srv.addr);
    let raw = raw_client();
    // (method, path, Accept-Encoding, expected Content-Encoding, expected Vary: accept-encoding)
    type Row<'a> = (&'a str, &'a str, Option<&'a str>, Option<&'a str>, bool);
    let table: &[Row] = &[
        ("GET", "/text", Some("gzip"), Some("gzip"), true),
        ("GET", "/text", Some("deflate"), Some("deflate"), true),
        (
            "GET",
            "/text",
            Some("gzip, deflate, br, zstd"),
            Some("gzip"),
            true,
        ),
        (
            "GET",
            "/text",
            Some("gzip;q=0.5, deflate;q=0.9"),
            Some("deflate"),
            true,
        ),
        ("GET", "/text", Some(" GZip ; Q=0.3 "), Some("gzip"), true),
        ("GET", "/text", Some("gzip;q=0"), None, true),
        ("GET", "/text", Some("*"), Some("gzip"), true),
        ("GET", "/text", Some("*;q=0"), None, true),
        ("GET", "/text", Some("identity"), None, true),
        ("GET", "/text", Some("br"), None, true),
        ("GET", "/text", None, None, true),
        ("HEAD", "/text", Some("gzip"), None, true),
        ("GET", "/tiny", Some("gzip"), None, false),
        ("GET", "/png", Some("gzip"), None, false),
        ("GET", "/svg", Some("gzip"), Some("gzip"), true),
        ("GET", "/octet", Some("gzip"), None, false),
        ("GET", "/zip", Some("gzip"), None, false),
        ("GET", "/video", Some("gzip"), None, false),
        ("GET", "/grpc", Some("gzip"), None, false),
        ("GET", "/encoded", Some("gzip"), Some("br"), false),
        ("GET", "/no-transform", Some("gzip"), None, false),
        ("GET", "/partial", Some("gzip"), None, false),
        ("GET", "/content-range", Some("gzip"), None, false),
        ("GET", "/no-content", Some("gzip"), None, false),
        ("GET", "/not-modified", Some("gzip"), None, false),
        ("GET", "/headers", Some("deflate"), Some("deflate"), true),
        ("GET", "/stream", Some("gzip"), Some("gzip"), true),
        ("GET", "/stream", Some("deflate"), Some("deflate"), true),
    ];
    for &(method, path, accept, want_ce, want_vary) in table {
        let what = format!("{method} {path} Accept-Encoding: {accept:?}");
        let mut req = raw.request(method.parse().unwrap(), format!("{base}{path}"));
        if let Some(a) = accept {
            req = req.header("accept-encoding", a);
        }
        let res = req.send().await.unwrap();
        let h = res.headers().clone();
        let ce = h
            .get("content-encoding")
            .map(|v| v.to_str().unwrap().to_string());
        assert_eq!(ce.as_deref(), want_ce, "{what}: Content-Encoding");
        let vary = h.get_all("vary").iter().any(|v| {
            v.to_str()
                .unwrap()
                .to_ascii_lowercase()
                .contains("accept-encoding")
        });
        assert_eq!(vary, want_vary, "{what}: Vary {:?}", h.get_all("vary"));
        let body = res.bytes().await.unwrap();
        // The same resource, uncompressed, from a request that accepts nothing.
        let plain = raw
            .request(method.parse().unwrap(), format!("{base}{path}"))
            .send()
            .await
            .unwrap();
        assert!(plain.headers().get("content-encoding").is_none() || path == "/encoded");
        let plain = plain.bytes().await.unwrap();
        match want_ce {
            Some(ce @ ("gzip" | "deflate")) => {
                assert!(
                    h.get("content-length").is_none(),
                    "{what}: Content-Length removed"
                );
                assert!(
                    h.get("accept-ranges").is_none(),
                    "{what}: Accept-Ranges removed"
                );
                assert_eq!(decode(format_of(ce), &body), plain, "{what}: decoded body");
                assert!(
                    body.len() < plain.len(),
                    "{what}: {} bytes compressed from {}",
                    body.len(),
                    plain.len()
                );
            }
            _ => assert_eq!(body, plain, "{what}: body untouched"),
        }
        if path == "/headers" {
            assert_eq!(h.get("etag").unwrap(), "W/\"v1\"", "strong ETag made weak");
            let vary: Vec<_> = h
                .get_all("vary")
                .iter()
                .map(|v| v.to_str().unwrap())
                .collect();
            assert_eq!(vary, ["origin", "accept-encoding"]);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_decoding_client_gets_the_same_bytes_in_gzip_and_deflate() {
    let gzip = web::start(None, Some(CompressionLayer::new())).await;
    let deflate = web::start(None, Some(CompressionLayer::new().gzip(false))).await;
    let slow = web::start(
        None,
        Some(CompressionLayer::new().level(slz::Level::new(2).unwrap())),
    )
    .await;
    let plain = web::start(None, None).await;
    let client = decoding_client();
    for path in ["/text", "/stream", "/svg", "/headers"] {
        let want = client
            .get(format!("http://{}{path}", plain.addr))
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap();
        for (srv, ce) in [(&gzip, "gzip"), (&deflate, "deflate"), (&slow, "gzip")] {
            let got = client
                .get(format!("http://{}{path}", srv.addr))
                .send()
                .await
                .unwrap()
                .bytes()
                .await
                .unwrap();
            assert_eq!(got, want, "{path} via {ce}");
            let log = srv.log.lock().unwrap();
            assert_eq!(
                log.last().unwrap().1.as_deref(),
                Some(ce),
                "{path} was sent with {ce}"
            );
        }
    }
}

/// Reads Server-Sent Events through `url`, decoding as the bytes come, and acks each event
/// at `ack`; the server sends an event only after the previous one was acked (or gives up).
async fn events_arrive_one_by_one(url: &str, ack: &str, accept: &str, n: u32) {
    let raw = raw_client();
    let res = raw
        .get(url)
        .header("accept-encoding", accept)
        .send()
        .await
        .unwrap();
    let ce = res
        .headers()
        .get("content-encoding")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    let mut stream = res.bytes_stream();
    let text = SharedVec::default();
    let mut decoded: Box<dyn Write> = match ce.as_str() {
        "gzip" => Box::new(flate2::write::GzDecoder::new(text.clone())),
        "deflate" => Box::new(flate2::write::ZlibDecoder::new(text.clone())),
        other => panic!("{other}"),
    };
    let mut seen = 0;
    while seen < n {
        let chunk = tokio::time::timeout(Duration::from_secs(20), stream.next())
            .await
            .unwrap_or_else(|_| panic!("event {} did not arrive", seen + 1))
            .expect("stream ended early")
            .unwrap();
        decoded.write_all(&chunk).unwrap();
        decoded.flush().unwrap();
        let now = String::from_utf8(text.0.lock().unwrap().clone()).unwrap();
        assert!(
            !now.contains("event: timeout"),
            "the server timed out waiting for an ack: {now}"
        );
        let events = now.matches("\n\n").count() as u32;
        assert!(
            events <= seen + 1,
            "event {} came before event {} was acked",
            events,
            seen + 1
        );
        if events == seen + 1 {
            seen += 1;
            assert!(now.contains(&format!("\"n\": {seen},")), "{now}");
            raw.get(format!("{ack}?n={seen}")).send().await.unwrap();
        }
    }
    // After the last ack the server ends the stream; the compressed stream must end cleanly.
    while let Some(chunk) = stream.next().await {
        decoded.write_all(&chunk.unwrap()).unwrap();
    }
    drop(decoded);
}

#[derive(Clone, Default)]
struct SharedVec(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl Write for SharedVec {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_sent_events_reach_the_client_one_at_a_time() {
    let srv = web::start(None, Some(CompressionLayer::new())).await;
    let base = format!("http://{}", srv.addr);
    for accept in ["gzip", "deflate"] {
        events_arrive_one_by_one(
            &format!("{base}/events?n=8"),
            &format!("{base}/ack"),
            accept,
            8,
        )
        .await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_proxy_compresses_an_upstream_as_it_streams() {
    let upstream = web::start(None, None).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let proxy = listener.local_addr().unwrap();
    tokio::spawn(web::proxy::serve(
        listener,
        upstream.addr.to_string(),
        CompressionLayer::new(),
    ));
    // Events through the proxy are acked at the upstream, which paces them.
    let url = format!("http://{proxy}/events?n=5");
    events_arrive_one_by_one(&url, &format!("http://{}/ack", upstream.addr), "gzip", 5).await;
    let client = decoding_client();
    for path in ["/text", "/stream"] {
        let direct = client
            .get(format!("http://{}{path}", upstream.addr))
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap();
        let res = raw_client()
            .get(format!("http://{proxy}{path}"))
            .header("accept-encoding", "deflate")
            .send()
            .await
            .unwrap();
        assert_eq!(res.headers().get("content-encoding").unwrap(), "deflate");
        assert_eq!(decode(Format::Zlib, &res.bytes().await.unwrap()), direct);
    }
    // The upstream saw no compression request and compressed nothing.
    assert!(upstream
        .log
        .lock()
        .unwrap()
        .iter()
        .all(|(_, ce)| ce.is_none()));
    // An unreachable upstream is a 502, not a hang or a panic.
    let dead = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let dead_addr = dead.local_addr().unwrap();
    drop(dead);
    let l2 = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let p2 = l2.local_addr().unwrap();
    tokio::spawn(web::proxy::serve(
        l2,
        dead_addr.to_string(),
        CompressionLayer::new(),
    ));
    let res = raw_client()
        .get(format!("http://{p2}/text"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 502);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_body_reaches_the_client_as_an_error() {
    let srv = web::start(None, Some(CompressionLayer::new())).await;
    let res = raw_client()
        .get(format!("http://{}/error", srv.addr))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers().get("content-encoding").unwrap(), "gzip");
    assert!(
        res.bytes().await.is_err(),
        "a body error must not look like a complete response"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn curl_compressed_fetches_the_same_resources() {
    let Some(curl) = web::tool("curl") else {
        return;
    };
    let root = web::temp_dir("curl-root");
    let json: String = (0..300)
        .map(|i| format!("{{\"id\": {i}, \"name\": \"item {i}\"}},"))
        .collect();
    std::fs::write(root.join("data.json"), format!("[{}0]", json)).unwrap();
    std::fs::write(
        root.join("index.html"),
        format!("<html><body>{}</body></html>", "<p>hello</p>".repeat(200)),
    )
    .unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let files = listener.local_addr().unwrap();
    tokio::spawn(web::static_server::serve(
        listener,
        root.clone(),
        CompressionLayer::new(),
    ));
    let app = web::start(None, Some(CompressionLayer::new())).await;
    let cases = [
        (
            format!("http://{files}/data.json"),
            std::fs::read(root.join("data.json")).unwrap(),
        ),
        (
            format!("http://{files}/"),
            std::fs::read(root.join("index.html")).unwrap(),
        ),
        (format!("http://{}/stream", app.addr), Vec::new()),
        (format!("http://{}/text", app.addr), web::text()),
    ];
    for (url, want) in cases {
        for accept in [None, Some("deflate"), Some("gzip")] {
            let mut cmd = tokio::process::Command::new(&curl);
            cmd.args([
                "-sS",
                "--fail",
                "--compressed",
                "--max-time",
                "20",
                "-D",
                "-",
                "-o",
                "-",
            ]);
            if let Some(a) = accept {
                cmd.args(["-H", &format!("Accept-Encoding: {a}")]);
            }
            let out = cmd.arg(&url).output().await.unwrap();
            assert!(
                out.status.success(),
                "curl {url}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            let text = out.stdout;
            let split = text.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
            let head = String::from_utf8_lossy(&text[..split]).to_ascii_lowercase();
            let body = &text[split..];
            let ce = accept.unwrap_or("gzip"); // curl --compressed offers gzip first
            assert!(
                head.contains(&format!("content-encoding: {ce}")),
                "{url} {accept:?}: {head}"
            );
            if want.is_empty() {
                assert!(
                    body.starts_with(b"chunk 0: ") && body.ends_with(b"stream data \n"),
                    "{url}"
                );
                assert_eq!(body.split(|&b| b == b'\n').count(), 11);
            } else {
                assert_eq!(
                    body,
                    &want[..],
                    "{url} {accept:?}: curl decoded the same bytes"
                );
            }
        }
    }
    std::fs::remove_dir_all(root).ok();
}
