//! Paired A/B of two slz revisions (built by `tools/ab.sh`): the same files through both, one
//! after the other in alternating order, round after round. Prints the bytes of each (first
//! round), the change in bytes, and the time of the new build over the base one: the median of
//! the per-round ratios and the ratio of the totals. A ratio from one run is what to compare:
//! the machine drifts between runs far more than within one.
//!
//! Usage: slz-ab LEVEL CHUNK ROUNDS FILE|@LIST...  (CHUNK: bytes, `16K`, or `whole`; `@LIST`: a
//! file naming one file per line). Every call gets a sync flush, as a stream's pieces do.

use std::time::Instant;

macro_rules! compress_with {
    ($name:ident, $krate:ident) => {
        fn $name(data: &[u8], level: u32, chunk: usize, out: &mut [u8]) -> usize {
            use $krate::{Encoder, Flush, Format, Level};
            let mut e = Encoder::new(Format::Gzip, Level::new(level).expect("level 0-9"));
            let mut total = 0;
            for piece in data.chunks(chunk.max(1)) {
                total += e
                    .compress(piece, out, Flush::Sync)
                    .expect("output buffer too small");
            }
            total
                + e.compress(&[], out, Flush::Finish)
                    .expect("output buffer too small")
        }
    };
}
compress_with!(run_new, slz);
compress_with!(run_base, slz_base);

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 5 {
        eprintln!("usage: slz-ab LEVEL CHUNK ROUNDS FILE|@LIST...");
        std::process::exit(2);
    }
    let level: u32 = args[1].parse().expect("LEVEL");
    let chunk: usize = match args[2].as_str() {
        "whole" => 0,
        s if s.ends_with('K') => s[..s.len() - 1].parse::<usize>().expect("CHUNK") * 1024,
        s => s.parse().expect("CHUNK"),
    };
    let rounds: usize = args[3].parse().expect("ROUNDS");
    let mut files = Vec::new();
    for a in &args[4..] {
        if let Some(list) = a.strip_prefix('@') {
            for path in std::fs::read_to_string(list).expect("list").lines() {
                files.push(std::fs::read(path).expect(path));
            }
        } else {
            files.push(std::fs::read(a).expect(a));
        }
    }
    let biggest = files.iter().map(Vec::len).max().unwrap_or(0);
    // Room for any call's output: stored blocks at worst, plus headers.
    let mut out = vec![0u8; biggest + biggest / 8 + 4096];
    let (mut bytes_new, mut bytes_base) = (0, 0);
    let (mut all_new, mut all_base) = (0f64, 0f64);
    let mut ratios = Vec::new();
    for round in 0..rounds {
        let (mut t_new, mut t_base) = (0f64, 0f64);
        for (i, f) in files.iter().enumerate() {
            let chunk = if chunk == 0 { f.len() } else { chunk };
            let new_first = (round + i) % 2 == 0;
            for k in 0..2 {
                let t = Instant::now();
                if (k == 0) == new_first {
                    let n = run_new(f, level, chunk, &mut out);
                    t_new += t.elapsed().as_secs_f64();
                    if round == 0 {
                        bytes_new += n;
                    }
                } else {
                    let n = run_base(f, level, chunk, &mut out);
                    t_base += t.elapsed().as_secs_f64();
                    if round == 0 {
                        bytes_base += n;
                    }
                }
            }
        }
        ratios.push(t_new / t_base);
        all_new += t_new;
        all_base += t_base;
    }
    ratios.sort_by(f64::total_cmp);
    let input: usize = files.iter().map(Vec::len).sum();
    println!(
        "level {level}, calls of {}: new {bytes_new} base {bytes_base} bytes ({:+.3}%), time new/base: median {:.3}x, total {:.3}x; new {:.1} MB/s",
        if chunk == 0 { "whole files".to_string() } else { chunk.to_string() },
        (bytes_new as f64 / bytes_base as f64 - 1.0) * 100.0,
        ratios[ratios.len() / 2],
        all_new / all_base,
        (input * rounds) as f64 / all_new / 1e6
    );
}
