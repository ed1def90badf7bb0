//! The client of the load comparison (`load/run.sh`), bounded in count and time.
//!
//! `load_client ADDR SERVER_PID HOLD_N RATE_CONCURRENCY RATE_SECONDS`
//!
//! 1. Opens `HOLD_N` connections, each with one `GET /slow` (Accept-Encoding: gzip), and once
//!    every response has delivered its first bytes, samples the server's resident memory
//!    (`/proc/PID/status`, VmRSS) for 2 s: `rss_per_open_response` = (peak - before) / N.
//!    Then reads every response to its end (60 s at most).
//! 2. Runs `RATE_CONCURRENCY` connections sending `GET /page` back to back for
//!    `RATE_SECONDS`: requests per second.
//!
//! Prints one line of `key=value` pairs. Exits non-zero if anything failed or timed out.
#![forbid(unsafe_code)]

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http::Request;
use http_body_util::{BodyExt, Empty};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

type Sender = hyper::client::conn::http1::SendRequest<Empty<Bytes>>;

async fn connect(addr: &str) -> Result<Sender, String> {
    let tcp = TcpStream::connect(addr).await.map_err(|e| e.to_string())?;
    let (send, conn) = hyper::client::conn::http1::handshake(TokioIo::new(tcp))
        .await
        .map_err(|e| e.to_string())?;
    tokio::spawn(conn);
    Ok(send)
}

fn get(addr: &str, path: &str) -> Request<Empty<Bytes>> {
    Request::get(path)
        .header("host", addr)
        .header("accept-encoding", "gzip")
        .body(Empty::new())
        .unwrap()
}

fn main() {
    let a: Vec<String> = std::env::args().skip(1).collect();
    if a.len() != 5 {
        eprintln!("usage: load_client ADDR SERVER_PID HOLD_N RATE_CONCURRENCY RATE_SECONDS");
        std::process::exit(2);
    }
    let addr = a[0].clone();
    let pid: u32 = a[1].parse().expect("SERVER_PID");
    let n: u64 = a[2].parse().expect("HOLD_N");
    let conc: u64 = a[3].parse().expect("RATE_CONCURRENCY");
    let secs: u64 = a[4].parse().expect("RATE_SECONDS");
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let ok = rt.block_on(async move {
        // Phase 1: N slow responses open at once.
        let before = rss_kib(pid);
        let opened = Arc::new(AtomicU64::new(0));
        let done = Arc::new(AtomicU64::new(0));
        let failed = Arc::new(AtomicU64::new(0));
        let start = Instant::now();
        for i in 0..n {
            let (addr, opened, done, failed) =
                (addr.clone(), opened.clone(), done.clone(), failed.clone());
            tokio::spawn(async move {
                let r: Result<(), String> = async {
                    let mut send = connect(&addr).await?;
                    let res = send
                        .send_request(get(&addr, "/slow"))
                        .await
                        .map_err(|e| e.to_string())?;
                    if i == 0 {
                        let ce = res
                            .headers()
                            .get("content-encoding")
                            .map(|v| v.to_str().unwrap_or("?").to_string());
                        eprintln!("content-encoding: {ce:?}");
                    }
                    let mut body = res.into_body();
                    let mut first = true;
                    while let Some(f) = body.frame().await {
                        let f = f.map_err(|e| e.to_string())?;
                        if first && f.data_ref().is_some_and(|d| !d.is_empty()) {
                            first = false;
                            opened.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                    Ok(())
                }
                .await;
                match r {
                    Ok(()) => done.fetch_add(1, Ordering::Relaxed),
                    Err(e) => {
                        if failed.fetch_add(1, Ordering::Relaxed) == 0 {
                            eprintln!("first failure: {e}");
                        }
                        0
                    }
                };
            });
        }
        let deadline = Instant::now() + Duration::from_secs(60);
        while opened.load(Ordering::Relaxed) + failed.load(Ordering::Relaxed) < n
            && Instant::now() < deadline
        {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let open_secs = start.elapsed().as_secs_f64();
        let mut peak = 0;
        for _ in 0..10 {
            peak = peak.max(rss_kib(pid));
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        let open = opened.load(Ordering::Relaxed);
        while done.load(Ordering::Relaxed) + failed.load(Ordering::Relaxed) < n
            && Instant::now() < deadline
        {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let hold_ok = done.load(Ordering::Relaxed) == n;
        // Phase 2: requests per second of a 64 KiB streamed page.
        let count = Arc::new(AtomicU64::new(0));
        let bytes = Arc::new(AtomicU64::new(0));
        let end = Instant::now() + Duration::from_secs(secs);
        let mut tasks = Vec::new();
        for _ in 0..conc {
            let (addr, count, bytes) = (addr.clone(), count.clone(), bytes.clone());
            tasks.push(tokio::spawn(async move {
                let mut send = connect(&addr).await?;
                while Instant::now() < end {
                    send.ready().await.map_err(|e| e.to_string())?;
                    let res = send
                        .send_request(get(&addr, "/page"))
                        .await
                        .map_err(|e| e.to_string())?;
                    let body = res
                        .into_body()
                        .collect()
                        .await
                        .map_err(|e| e.to_string())?
                        .to_bytes();
                    bytes.fetch_add(body.len() as u64, Ordering::Relaxed);
                    count.fetch_add(1, Ordering::Relaxed);
                }
                Ok::<(), String>(())
            }));
        }
        let mut rate_ok = true;
        for t in tasks {
            if let Ok(Err(e)) | Err(e) = t.await.map_err(|e| e.to_string()) {
                eprintln!("rate phase: {e}");
                rate_ok = false;
            }
        }
        let reqs = count.load(Ordering::Relaxed);
        println!(
            "open={open}/{n} open_secs={open_secs:.1} rss_before_kib={before} rss_peak_kib={peak} \
             rss_per_open_response_bytes={} failed={} req_per_s={:.0} bytes_per_page={}",
            (peak.saturating_sub(before) * 1024) / n.max(1),
            failed.load(Ordering::Relaxed),
            reqs as f64 / secs as f64,
            bytes.load(Ordering::Relaxed) / reqs.max(1),
        );
        hold_ok && rate_ok && open == n
    });
    std::process::exit(if ok { 0 } else { 1 });
}
