//! Criterion benchmarks: slz against flate2 over zlib-rs and miniz_oxide, per corpus group,
//! for whole buffers and for 16 KiB, 1 KiB and 100-byte pieces with a sync flush after each.
//! zlib-rs runs as flate2's users get it: the dev-dependency enables flate2's
//! `runtime_detection` feature (zlib-rs's `std`), so it uses its AVX2 and PCLMULQDQ code where
//! the CPU has them.
//!
//! Data: `$SLZ_CORPUS`, else `../shared/corpus` beside the crate (groups silesia, snappy,
//! canterbury), else a generated sample of web-like data (html, json, logs). To keep a full
//! `cargo bench` run to a few minutes, each file is cut to its first 1 MiB; set
//! `SLZ_BENCH_MAX_FILE=0` for whole files (or another byte count). `slz bench` (the CLI) measures
//! whole files and more codecs; these benches are for tracking slz's own speed over time.
//!
//! Run one group: `cargo bench --bench compare -- 'canterbury/16KiB'`.

use std::hint::black_box;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use slz::{Encoder, Flush, Format, Level};

#[path = "../cli/src/sample.rs"]
#[allow(dead_code)]
mod sample;

const GROUPS: &[&str] = &["silesia", "snappy", "canterbury"];
const DEFAULT_MAX_FILE: usize = 1 << 20;

/// How the input is fed: pieces of `chunk` bytes (`None`: one call), a sync flush after each
/// piece but the last, which finishes the stream.
#[derive(Clone, Copy)]
struct Plan {
    name: &'static str,
    chunk: Option<usize>,
}

const PLANS: &[Plan] = &[
    Plan {
        name: "whole",
        chunk: None,
    },
    Plan {
        name: "16KiB+sync",
        chunk: Some(16 * 1024),
    },
    Plan {
        name: "1KiB+sync",
        chunk: Some(1024),
    },
    Plan {
        name: "100B+sync",
        chunk: Some(100),
    },
];

impl Plan {
    fn pieces<'a>(&self, data: &'a [u8]) -> Vec<&'a [u8]> {
        match self.chunk {
            Some(n) if !data.is_empty() => data.chunks(n).collect(),
            _ => vec![data],
        }
    }

    fn out_bound(&self, len: usize) -> usize {
        let pieces = self.chunk.map_or(1, |n| len.div_ceil(n).max(1));
        len + len / 8 + pieces * 64 + 1024
    }
}

#[derive(Clone, Copy)]
enum Codec {
    Slz(u32),
    ZlibRs(u32),
    MinizOxide(u32),
}

const CODECS: &[Codec] = &[
    Codec::Slz(0),
    Codec::Slz(1),
    Codec::ZlibRs(1),
    Codec::MinizOxide(1),
];

impl Codec {
    fn name(&self) -> String {
        match self {
            Codec::Slz(l) => format!("slz-{l}"),
            Codec::ZlibRs(l) => format!("flate2-zlib-rs-{l}"),
            Codec::MinizOxide(l) => format!("miniz_oxide-{l}"),
        }
    }

    /// One gzip stream of `data` fed by `plan` into `out`; returns its length.
    fn compress(&self, data: &[u8], plan: &Plan, out: &mut [u8]) -> usize {
        let pieces = plan.pieces(data);
        let last = pieces.len() - 1;
        match *self {
            Codec::Slz(level) => {
                let mut enc = Encoder::new(Format::Gzip, Level::new(level).unwrap());
                let mut pos = 0;
                for (i, p) in pieces.into_iter().enumerate() {
                    let flush = if i == last {
                        Flush::Finish
                    } else {
                        Flush::Sync
                    };
                    pos += enc.compress(p, &mut out[pos..], flush).unwrap();
                }
                pos
            }
            Codec::ZlibRs(level) => {
                use flate2::{Compress, Compression, FlushCompress, Status};
                let mut c = Compress::new(Compression::new(level), false);
                gzip_frame(data, out, |out| {
                    for (i, p) in pieces.iter().enumerate() {
                        let flush = if i == last {
                            FlushCompress::Finish
                        } else {
                            FlushCompress::Sync
                        };
                        let in0 = c.total_in();
                        // The output is large enough for each call to complete in one go.
                        let st = c
                            .compress(p, &mut out[c.total_out() as usize..], flush)
                            .unwrap();
                        assert_eq!(c.total_in() - in0, p.len() as u64);
                        assert!(i != last || st == Status::StreamEnd);
                    }
                    c.total_out() as usize
                })
            }
            Codec::MinizOxide(level) => {
                use miniz_oxide::deflate::core::{
                    create_comp_flags_from_zip_params, CompressorOxide,
                };
                use miniz_oxide::deflate::stream::deflate;
                use miniz_oxide::{MZFlush, MZStatus};
                let mut c = Box::new(CompressorOxide::new(create_comp_flags_from_zip_params(
                    level as i32,
                    -15,
                    0,
                )));
                gzip_frame(data, out, |out| {
                    let mut pos = 0;
                    for (i, p) in pieces.iter().enumerate() {
                        let flush = if i == last {
                            MZFlush::Finish
                        } else {
                            MZFlush::Sync
                        };
                        let r = deflate(&mut c, p, &mut out[pos..], flush);
                        assert_eq!(r.bytes_consumed, p.len());
                        assert!(i != last || r.status == Ok(MZStatus::StreamEnd));
                        pos += r.bytes_written;
                    }
                    pos
                })
            }
        }
    }
}

/// A raw deflate stream written by `body` inside a gzip header and trailer, as flate2's
/// `GzEncoder` frames it.
fn gzip_frame(data: &[u8], out: &mut [u8], body: impl FnOnce(&mut [u8]) -> usize) -> usize {
    out[..10].copy_from_slice(&[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255]);
    let n = 10 + body(&mut out[10..]);
    out[n..n + 4].copy_from_slice(&crc32fast::hash(data).to_le_bytes());
    out[n + 4..n + 8].copy_from_slice(&(data.len() as u32).to_le_bytes());
    n + 8
}

struct Group {
    name: String,
    files: Vec<Vec<u8>>,
}

fn max_file() -> usize {
    match std::env::var("SLZ_BENCH_MAX_FILE")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
    {
        Some(0) => usize::MAX,
        Some(n) => n,
        None => DEFAULT_MAX_FILE,
    }
}

fn load_groups() -> Vec<Group> {
    let dir = std::env::var_os("SLZ_CORPUS")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"));
    let cap = max_file();
    let mut groups = Vec::new();
    for g in GROUPS {
        let Ok(rd) = std::fs::read_dir(dir.join(g)) else {
            continue;
        };
        let mut paths: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        let files: Vec<Vec<u8>> = paths
            .iter()
            .filter(|p| p.is_file() && p.file_name().is_some_and(|n| n != "README.md"))
            .filter_map(|p| std::fs::read(p).ok())
            .map(|mut d| {
                d.truncate(cap);
                d
            })
            .collect();
        if !files.is_empty() {
            groups.push(Group {
                name: g.to_string(),
                files,
            });
        }
    }
    if groups.is_empty() {
        eprintln!(
            "no corpus at {} (set SLZ_CORPUS): benchmarking the generated web-like sample",
            dir.display()
        );
        for f in sample::generate(512 * 1024) {
            match groups.iter_mut().find(|g: &&mut Group| g.name == f.group) {
                Some(g) => g.files.push(f.data),
                None => groups.push(Group {
                    name: f.group.to_string(),
                    files: vec![f.data],
                }),
            }
        }
    }
    groups
}

fn check(codec: &Codec, plan: &Plan, data: &[u8], out: &mut [u8]) {
    let n = codec.compress(data, plan, out);
    let mut back = Vec::with_capacity(data.len());
    flate2::read::GzDecoder::new(&out[..n])
        .read_to_end(&mut back)
        .unwrap();
    assert!(
        back == data,
        "{} {} does not round-trip",
        codec.name(),
        plan.name
    );
}

fn compare(c: &mut Criterion) {
    let groups = load_groups();
    for g in &groups {
        let total: usize = g.files.iter().map(Vec::len).sum();
        let largest = g.files.iter().map(Vec::len).max().unwrap_or(0);
        for plan in PLANS {
            let mut out = vec![0u8; plan.out_bound(largest)];
            let mut bench = c.benchmark_group(format!("{}/{}", g.name, plan.name));
            bench.throughput(Throughput::Bytes(total as u64));
            for codec in CODECS {
                for f in &g.files {
                    check(codec, plan, f, &mut out);
                }
                bench.bench_function(BenchmarkId::from_parameter(codec.name()), |b| {
                    b.iter(|| {
                        for f in &g.files {
                            black_box(codec.compress(black_box(f), plan, &mut out));
                        }
                    })
                });
            }
            bench.finish();
        }
    }
}

criterion_group! {
    name = benches;
    // Small samples: the suite covers 3 groups x 4 plans x 4 codecs and should finish in a few
    // minutes on a 2-core machine. Compare codecs within one run; use criterion's baselines
    // (`--save-baseline`, `--baseline`) to track slz over time.
    config = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(1))
        .without_plots();
    targets = compare
}
criterion_main!(benches);
