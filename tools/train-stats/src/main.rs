//! `slz-train-stats`: the symbol statistics that `tools/train_code.py` fits the trained codes to,
//! read back from slz's own output.
//!
//! ```text
//! slz-train-stats --level L --chunk whole|BYTES < list-of-files > stats.jsonl
//! ```
//!
//! Each file named on standard input (one path a line) is compressed as raw deflate at level `L`,
//! in one call (`whole`) or in calls of `BYTES` (no flush between them: a call boundary is what
//! shapes slz's parse, a flush would only add markers), then decoded with the checking inflater
//! (`slz-check`), which reports every match. One JSON line per file goes to standard output:
//!
//! ```text
//! {"file": PATH, "lit": [256 counts], "mlen": [259 counts by length], "dist": [32769 counts by distance]}
//! ```
//!
//! Literals are the bytes of Huffman blocks that no match covers. A block that slz stored (its
//! Huffman coding came out longer) carries no parse: its bytes are counted as literals, which is
//! what such a block nearly is (the count of stored bytes goes to standard error).

use std::io::{self, BufRead, Write};
use std::process::ExitCode;

use slz::{Encoder, Flush, Format, Level};
use slz_check::{inflate, Kind};

struct Counts {
    lit: Vec<u64>,
    mlen: Vec<u64>,
    dist: Vec<u64>,
    stored: u64,
}

/// Compresses `data` in calls of `chunk` bytes (`None`: one call) at `level`.
fn compress(data: &[u8], level: Level, chunk: Option<usize>) -> Vec<u8> {
    let mut enc = Encoder::new(Format::Deflate, level);
    let mut out = Vec::new();
    let pieces: Vec<&[u8]> = match chunk {
        Some(n) => data.chunks(n).collect(),
        None => vec![data],
    };
    let mut buf = Vec::new();
    for (k, piece) in pieces.iter().enumerate() {
        let flush = if k + 1 == pieces.len() {
            Flush::Finish
        } else {
            Flush::None
        };
        buf.resize(enc.max_output_len(piece.len()), 0);
        let n = enc.compress(piece, &mut buf, flush).expect("output sized");
        out.extend_from_slice(&buf[..n]);
    }
    if pieces.is_empty() {
        buf.resize(enc.max_output_len(0), 0);
        let n = enc
            .compress(&[], &mut buf, Flush::Finish)
            .expect("output sized");
        out.extend_from_slice(&buf[..n]);
    }
    out
}

fn count(data: &[u8], deflated: &[u8]) -> Result<Counts, String> {
    let inf = inflate(deflated, false)?;
    if inf.out != data {
        return Err("decoded bytes differ from the input".into());
    }
    let mut c = Counts {
        lit: vec![0; 256],
        mlen: vec![0; 259],
        dist: vec![0; 32769],
        stored: 0,
    };
    let mut matches = inf.matches.iter().peekable();
    for b in &inf.blocks {
        if b.kind == Kind::Stored {
            c.stored += (b.out_end - b.out_start) as u64;
            for &x in &inf.out[b.out_start..b.out_end] {
                c.lit[x as usize] += 1;
            }
            continue;
        }
        let mut pos = b.out_start;
        while pos < b.out_end {
            match matches.peek() {
                Some(m) if m.pos == pos => {
                    c.mlen[m.len] += 1;
                    c.dist[m.dist] += 1;
                    pos += m.len;
                    matches.next();
                }
                _ => {
                    c.lit[inf.out[pos] as usize] += 1;
                    pos += 1;
                }
            }
        }
        if pos != b.out_end {
            return Err(format!(
                "a match crosses the end of the block at {}",
                b.out_end
            ));
        }
    }
    if matches.next().is_some() {
        return Err("a match outside every Huffman block".into());
    }
    Ok(c)
}

fn list(v: &[u64]) -> String {
    let mut s = String::with_capacity(v.len() * 2 + 2);
    s.push('[');
    for (k, x) in v.iter().enumerate() {
        if k > 0 {
            s.push_str(", ");
        }
        s.push_str(&x.to_string());
    }
    s.push(']');
    s
}

/// The path as a JSON string (quotes, backslashes and control characters escaped).
fn json_str(s: &str) -> String {
    let mut o = String::from("\"");
    for ch in s.chars() {
        match ch {
            '"' => o.push_str("\\\""),
            '\\' => o.push_str("\\\\"),
            c if (c as u32) < 0x20 => o.push_str(&format!("\\u{:04x}", c as u32)),
            c => o.push(c),
        }
    }
    o.push('"');
    o
}

fn run() -> Result<(), String> {
    let usage = "usage: slz-train-stats --level L --chunk whole|BYTES < files > stats.jsonl";
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (mut level, mut chunk) = (None, None);
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let v = it.next().ok_or(usage)?;
        match a.as_str() {
            "--level" => {
                let n: u32 = v.parse().map_err(|_| usage)?;
                level = Some(Level::new(n).map_err(|e| e.to_string())?);
            }
            "--chunk" => {
                chunk = Some(match v.as_str() {
                    "whole" => None,
                    n => Some(n.parse::<usize>().ok().filter(|&n| n > 0).ok_or(usage)?),
                })
            }
            _ => return Err(usage.into()),
        }
    }
    let (level, chunk) = (level.ok_or(usage)?, chunk.ok_or(usage)?);
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let (mut files, mut bytes, mut stored) = (0u64, 0u64, 0u64);
    for line in io::stdin().lock().lines() {
        let path = line.map_err(|e| e.to_string())?;
        if path.is_empty() {
            continue;
        }
        let data = std::fs::read(&path).map_err(|e| format!("{path}: {e}"))?;
        let c = count(&data, &compress(&data, level, chunk)).map_err(|e| format!("{path}: {e}"))?;
        writeln!(
            out,
            "{{\"file\": {}, \"lit\": {}, \"mlen\": {}, \"dist\": {}}}",
            json_str(&path),
            list(&c.lit),
            list(&c.mlen),
            list(&c.dist)
        )
        .map_err(|e| e.to_string())?;
        files += 1;
        bytes += data.len() as u64;
        stored += c.stored;
    }
    out.flush().map_err(|e| e.to_string())?;
    eprintln!("slz-train-stats: {files} files, {bytes} bytes, {stored} of them in stored blocks");
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("slz-train-stats: {e}");
            ExitCode::FAILURE
        }
    }
}
