//! `slz bench --streams N`: N streams open at once, each fed pieces round-robin with a sync
//! flush after each, as a proxy holds many responses open. Reports throughput and the growth of
//! peak resident memory per stream. Each codec runs in a child process of this binary
//! (`--child KEY`), so one codec's peak cannot hide in another's.

use std::fmt::Write as _;
use std::io::{self, IsTerminal, Write};
use std::process::{Command, Stdio};
use std::time::Instant;

use crate::bench::{human_size, json_str, machine, utc_now, AllOrSome, BenchOpts};
use crate::codecs::{feed, Checker, GzipFrame, Mode, SlzStream, Stream, ZlibRsStream, ZlibStream};
use crate::corpus;
use crate::Failure;

/// Piece size of the streams test unless `--chunk` says otherwise: a typical proxy buffer.
const DEFAULT_PIECE: usize = 16 * 1024;

/// The codecs of the streams test, in this order.
const CODECS: &[(&str, &str)] = &[
    ("slz-1", "slz -1"),
    ("zlib-rs-1", "zlib-rs -1 (flate2, runtime CPU detection)"),
    ("zlib-1", "zlib -1 (C)"),
];

/// Streams whose whole output is kept and decoded at the end (first, middle, last).
fn checked_streams(n: usize) -> Vec<usize> {
    let mut v = vec![0, n / 2, n - 1];
    v.dedup();
    v
}

/// What a child reports.
#[derive(Default, Clone)]
struct Outcome {
    in_bytes: u64,
    out_bytes: u64,
    secs: f64,
    base_kib: u64,
    open_kib: u64,
    peak_kib: u64,
}

pub fn main(o: &BenchOpts) -> Result<(), Failure> {
    let n = o.streams.unwrap_or(1);
    let piece = o.chunk.unwrap_or(DEFAULT_PIECE);
    // Enough rounds that every stream has filled a 32 KiB window twice, and 256 MiB in all.
    let rounds = o
        .rounds
        .unwrap_or_else(|| (256usize << 20).div_ceil(n.saturating_mul(piece)).max(4));
    if let Some(key) = &o.child {
        return child(o, key, n, piece, rounds);
    }

    let inputs = corpus::load(&o.paths)?;
    let source = inputs.source.clone();
    drop(inputs);
    let exe = std::env::current_exe()
        .map_err(|e| Failure::Message(format!("cannot find my own executable: {e}")))?;
    let codecs: Vec<(&str, &str)> = CODECS
        .iter()
        .copied()
        .filter(|(k, _)| o.only.as_ref().is_none_or_contains(k))
        .collect();
    if codecs.is_empty() {
        let keys: Vec<&str> = CODECS.iter().map(|(k, _)| *k).collect();
        return Err(Failure::Usage(
            format!("--streams runs only {}", keys.join(",")),
            crate::bench_usage(),
        ));
    }
    let mut outcomes = Vec::new();
    let progress = io::stderr().is_terminal();
    for &(key, label) in &codecs {
        if progress {
            eprint!("\r{:<70}\r{label}: {n} streams ...", "");
        }
        let mut cmd = Command::new(&exe);
        cmd.arg("bench")
            .arg("--streams")
            .arg(n.to_string())
            .arg("--chunk")
            .arg(piece.to_string())
            .arg("--rounds")
            .arg(rounds.to_string())
            .arg("--child")
            .arg(key)
            .arg("--")
            .args(&o.paths)
            .stdin(Stdio::null())
            .stderr(Stdio::inherit());
        let out = cmd
            .output()
            .map_err(|e| Failure::Message(format!("cannot run {}: {e}", exe.display())))?;
        if !out.status.success() {
            return Err(Failure::Message(format!(
                "the {label} child process failed ({})",
                out.status
            )));
        }
        let text = String::from_utf8_lossy(&out.stdout);
        let outcome = parse_outcome(&text)
            .ok_or_else(|| Failure::Message(format!("the {label} child process said: {text}")))?;
        outcomes.push(outcome);
    }
    if progress {
        eprint!("\r{:<70}\r", "");
    }

    let total_in = outcomes.first().map_or(0, |x| x.in_bytes);
    let text = if o.json {
        let rows: Vec<String> = codecs
            .iter()
            .zip(&outcomes)
            .map(|((key, label), x)| {
                format!(
                    "{{\"codec\":{},\"label\":{},\"in_bytes\":{},\"out_bytes\":{},\"seconds\":{:.4},\"mb_per_s\":{:.2},\"ratio\":{:.4},\"baseline_rss_kib\":{},\"rss_open_kib\":{},\"peak_rss_kib\":{},\"peak_growth_bytes_per_stream\":{:.1}}}",
                    json_str(key),
                    json_str(label),
                    x.in_bytes,
                    x.out_bytes,
                    x.secs,
                    mbps(x),
                    ratio(x),
                    x.base_kib,
                    x.open_kib,
                    x.peak_kib,
                    per_stream(x, n)
                )
            })
            .collect();
        format!(
            "{{\"source\":{},\"streams\":{n},\"piece\":{piece},\"rounds\":{rounds},\"flush\":\"sync\",\"format\":\"gzip\",\"machine\":{},\"date\":{},\"slz_encoder_bytes\":{},\"results\":[{}]}}\n",
            json_str(&source),
            json_str(&machine()),
            json_str(&utc_now()),
            std::mem::size_of::<slz::Encoder>(),
            rows.join(",")
        )
    } else {
        let mut s = String::new();
        let _ = writeln!(s, "slz bench --streams: {source}");
        let _ = writeln!(
            s,
            "plan: {n} streams open at once, each fed {} pieces round-robin with a sync flush after each, {rounds} pieces per stream ({:.0} MB in all; the last piece finishes the stream); gzip",
            human_size(piece),
            total_in as f64 / 1e6
        );
        let _ = writeln!(
            s,
            "memory: growth of peak RSS (VmHWM) over the RSS after one warm-up stream, before the N streams were made; each codec in its own process; one output buffer shared by all streams; size_of::<slz::Encoder>() = {} bytes",
            std::mem::size_of::<slz::Encoder>()
        );
        let _ = writeln!(s, "machine: {}; {}", machine(), utc_now());
        let _ = writeln!(
            s,
            "streams {:?} of each codec decoded and compared",
            checked_streams(n)
        );
        let _ = writeln!(s);
        let _ = writeln!(
            s,
            "{:<38} {:>9} {:>7} {:>9} {:>16} {:>16}",
            "codec", "MB/s", "ratio", "vs slz -1", "peak RSS growth", "per stream"
        );
        let base = codecs
            .iter()
            .position(|(k, _)| *k == "slz-1")
            .map(|i| mbps(&outcomes[i]));
        for ((_, label), x) in codecs.iter().zip(&outcomes) {
            let _ = writeln!(
                s,
                "{:<38} {:>9.1} {:>7.3} {:>9} {:>16} {:>16}",
                label,
                mbps(x),
                ratio(x),
                base.map_or(String::new(), |b| format!("{:.2}x", mbps(x) / b)),
                mem(x.peak_kib.saturating_sub(x.base_kib) as f64 * 1024.0),
                mem(per_stream(x, n)),
            );
        }
        s
    };
    let mut stdout = io::stdout().lock();
    stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
        .map_err(|e| Failure::write("standard output", e))
}

fn mbps(x: &Outcome) -> f64 {
    x.in_bytes as f64 / x.secs.max(1e-12) / 1e6
}

fn ratio(x: &Outcome) -> f64 {
    x.in_bytes as f64 / x.out_bytes.max(1) as f64
}

fn per_stream(x: &Outcome, n: usize) -> f64 {
    x.peak_kib.saturating_sub(x.base_kib) as f64 * 1024.0 / n as f64
}

fn mem(bytes: f64) -> String {
    if bytes >= 1e9 {
        format!("{:.2} GB", bytes / 1e9)
    } else if bytes >= 1e6 {
        format!("{:.1} MB", bytes / 1e6)
    } else if bytes >= 1e4 {
        format!("{:.1} kB", bytes / 1e3)
    } else {
        format!("{bytes:.0} B")
    }
}

fn parse_outcome(text: &str) -> Option<Outcome> {
    let line = text.lines().find(|l| l.starts_with("RESULT "))?;
    let mut x = Outcome::default();
    for kv in line.split_whitespace().skip(1) {
        let (k, v) = kv.split_once('=')?;
        match k {
            "in" => x.in_bytes = v.parse().ok()?,
            "out" => x.out_bytes = v.parse().ok()?,
            "secs" => x.secs = v.parse().ok()?,
            "base_kib" => x.base_kib = v.parse().ok()?,
            "open_kib" => x.open_kib = v.parse().ok()?,
            "peak_kib" => x.peak_kib = v.parse().ok()?,
            _ => {}
        }
    }
    Some(x)
}

/// A field of /proc/self/status in KiB (`VmRSS`, `VmHWM`); 0 where there is none.
fn status_kib(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field) && l[field.len()..].starts_with(':'))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

/// The data the streams read: all input files end to end, at least a few pieces long.
struct Source {
    data: Vec<u8>,
    piece: usize,
    n: usize,
}

impl Source {
    /// The piece stream `i` gets in round `r`: each stream starts at its own place in the data
    /// and reads on from there, wrapping around.
    fn piece(&self, i: usize, r: usize) -> &[u8] {
        let len = self.data.len();
        let start = (i as u128 * len as u128 / self.n as u128) as usize;
        let pos = (start + r * self.piece) % (len - self.piece + 1);
        &self.data[pos..pos + self.piece]
    }
}

fn child(o: &BenchOpts, key: &str, n: usize, piece: usize, rounds: usize) -> Result<(), Failure> {
    let inputs = corpus::load(&o.paths)?;
    let mut data = Vec::with_capacity(inputs.files.iter().map(|f| f.data.len()).sum());
    for f in &inputs.files {
        data.extend_from_slice(&f.data);
    }
    drop(inputs);
    if data.is_empty() {
        return Err(Failure::Message("the input files are empty".into()));
    }
    while data.len() < 4 * piece {
        data.extend_from_within(..);
    }
    data.shrink_to_fit();
    let src = Source { data, piece, n };
    let x = match key {
        "slz-1" => run(&src, rounds, Checker::ZlibRs, || SlzStream::new(1)),
        "zlib-rs-1" => run(&src, rounds, Checker::Libdeflate, || {
            Ok(GzipFrame::new(ZlibRsStream::new(1)))
        }),
        "zlib-1" => run(&src, rounds, Checker::ZlibRs, || ZlibStream::new(1)),
        _ => {
            return Err(Failure::Message(format!(
                "unknown codec '{key}' for --child"
            )))
        }
    }
    .map_err(|e| Failure::Message(format!("{key}: {e}")))?;
    println!(
        "RESULT in={} out={} secs={:.6} base_kib={} open_kib={} peak_kib={}",
        x.in_bytes, x.out_bytes, x.secs, x.base_kib, x.open_kib, x.peak_kib
    );
    Ok(())
}

fn run<S: Stream>(
    src: &Source,
    rounds: usize,
    checker: Checker,
    make: impl Fn() -> Result<S, String>,
) -> Result<Outcome, String> {
    let n = src.n;
    // One output buffer for all streams: each piece's output is "sent" before the next call.
    let mut out = vec![0u8; src.piece + src.piece / 8 + 1024];
    let watched = checked_streams(n);
    let mut kept: Vec<Vec<u8>> = watched
        .iter()
        .map(|_| Vec::with_capacity(src.piece * rounds * 2))
        .collect();
    for k in &mut kept {
        k.resize(k.capacity(), 1);
        k.clear();
    }
    out.fill(1);

    // One warm-up stream first, so one-off costs (slz's per-call stack working memory, the
    // allocator's first arenas) are in the baseline and the growth is what the N streams cost.
    {
        let mut s = make()?;
        feed(&mut s, src.piece(0, 0), &mut out, Mode::Sync)?;
        feed(&mut s, &[], &mut out, Mode::Finish)?;
    }

    // Give freed heap pages (the input files' buffers) back to the system, so the streams'
    // allocations show up as growth instead of landing in pages that are already resident.
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases free memory of the allocator.
    unsafe {
        libc::malloc_trim(0);
    }

    // Reset the peak to the current RSS (Linux: "5" to clear_refs), then take the baseline.
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    let base_kib = status_kib("VmRSS");
    let mut x = Outcome {
        base_kib,
        ..Outcome::default()
    };

    let t = Instant::now();
    let mut streams: Vec<S> = Vec::with_capacity(n);
    for _ in 0..n {
        streams.push(make()?);
    }
    for r in 0..rounds {
        if r + 1 == rounds {
            x.open_kib = status_kib("VmRSS");
        }
        let mode = if r + 1 == rounds {
            Mode::Finish
        } else {
            Mode::Sync
        };
        for (i, s) in streams.iter_mut().enumerate() {
            let p = src.piece(i, r);
            let w = feed(s, p, &mut out, mode)?;
            x.in_bytes += p.len() as u64;
            x.out_bytes += w as u64;
            if let Some(k) = watched.iter().position(|&j| j == i) {
                kept[k].extend_from_slice(&out[..w]);
            }
        }
    }
    x.secs = t.elapsed().as_secs_f64();
    x.peak_kib = status_kib("VmHWM").max(x.open_kib);
    drop(streams);

    for (k, &i) in watched.iter().enumerate() {
        let expected: Vec<u8> = (0..rounds)
            .flat_map(|r| src.piece(i, r).iter().copied())
            .collect();
        checker
            .check(&kept[k], &expected)
            .map_err(|e| format!("stream {i} does not decode: {e}"))?;
    }
    Ok(x)
}
