//! Helpers shared by the integration tests: the corpus, a seeded generator, compression driven by
//! a plan of calls (checking the output bound on every call), and independent decoders.
#![allow(dead_code)] // each test binary uses a different subset

pub mod inflate;
pub mod io;

use std::io::Read;
use std::path::PathBuf;

use slz::{Encoder, Flush, Format, Level};

pub const FORMATS: [Format; 3] = [Format::Gzip, Format::Zlib, Format::Deflate];
pub const LEVELS: [Level; 10] = {
    let mut l = [Level::NONE; 10];
    let mut n = 0;
    while n < 10 {
        l[n] = match Level::new(n as u32) {
            Ok(level) => level,
            Err(_) => panic!(),
        };
        n += 1;
    }
    l
};

/// `SLZ_STRICT=1` (set by `.ci/run`) turns every "skipped, because X is missing" into a failure.
pub fn strict() -> bool {
    std::env::var_os("SLZ_STRICT").is_some_and(|v| v != "0")
}

/// Reports that part of a test cannot run here; fails under `SLZ_STRICT`.
pub fn skip(what: &str) {
    assert!(!strict(), "SLZ_STRICT is set but {what}");
    eprintln!("note: {what}; skipped");
}

/// The HAProxy allowance for libslz: what one call may write at most for `len` input bytes.
pub fn haproxy_bound(len: usize) -> usize {
    len + 5 * len.div_ceil(32768) + 20
}

/// A small deterministic generator (SplitMix64), so failures reproduce from the seed.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    /// True with probability `1 / n`.
    pub fn one_in(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }
    /// A size with many small values and some large ones, in `0..=max`.
    pub fn size(&mut self, max: usize) -> usize {
        let limit = [16, 512, 8192, max][self.below(4)];
        self.below(limit.min(max) + 1)
    }
    pub fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next() as u8).collect()
    }
    /// `n` bytes drawn uniformly from `lo..=hi`.
    pub fn bytes_in(&mut self, n: usize, lo: u8, hi: u8) -> Vec<u8> {
        let span = hi as usize - lo as usize + 1;
        (0..n).map(|_| lo + self.below(span) as u8).collect()
    }
}

/// Web-like text (HTML, JSON, log lines) with realistic repetition, `len` bytes.
pub fn web_like(seed: u64, len: usize) -> Vec<u8> {
    let mut r = Rng::new(seed);
    let words = [
        "user",
        "id",
        "status",
        "GET",
        "/api/v1/items",
        "200",
        "404",
        "<div class=\"row\">",
        "</div>",
        "{\"name\":",
        "\"value\":",
        "timestamp",
        "2026-11-24T07:09:00Z",
        "Mozilla/5.0",
        "<a href=\"/page\">",
        "error",
        "ok",
        "true",
        "false",
        "null",
    ];
    let mut out = Vec::with_capacity(len + 64);
    while out.len() < len {
        match r.below(4) {
            0 => out.extend_from_slice(words[r.below(words.len())].as_bytes()),
            1 => out.extend_from_slice(format!("{}", r.next() % 100_000).as_bytes()),
            2 => out.push(b" \n,:"[r.below(4)]),
            _ => out.extend_from_slice(words[r.below(5)].as_bytes()),
        }
    }
    out.truncate(len);
    out
}

/// A file of the test corpus: its group (folder), name and bytes.
pub struct CorpusFile {
    pub group: String,
    pub name: String,
    pub data: Vec<u8>,
}

/// Where the corpus is: `$SLZ_CORPUS`, else `../shared/corpus` next to the crate.
pub fn corpus_dir() -> Option<PathBuf> {
    let dir = match std::env::var_os("SLZ_CORPUS") {
        Some(d) => PathBuf::from(d),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"),
    };
    dir.is_dir().then_some(dir)
}

/// Every file of the corpus groups `silesia`, `snappy`, `canterbury` and `artificial`; when the
/// corpus is absent, says so and returns generated data instead (a failure under `SLZ_STRICT`).
pub fn corpus() -> Vec<CorpusFile> {
    let Some(dir) = corpus_dir() else {
        skip("the corpus (../shared/corpus or $SLZ_CORPUS) is absent: using generated data");
        let mut r = Rng::new(7);
        return vec![
            CorpusFile {
                group: "generated".into(),
                name: "web".into(),
                data: web_like(1, 3 << 20),
            },
            CorpusFile {
                group: "generated".into(),
                name: "random".into(),
                data: r.bytes(1 << 20),
            },
        ];
    };
    let mut files = Vec::new();
    for group in ["silesia", "snappy", "canterbury", "artificial"] {
        let Ok(entries) = std::fs::read_dir(dir.join(group)) else {
            continue;
        };
        let mut paths: Vec<PathBuf> = entries.map(|e| e.unwrap().path()).collect();
        paths.sort();
        for p in paths {
            if p.is_file() {
                files.push(CorpusFile {
                    group: group.into(),
                    name: p.file_name().unwrap().to_string_lossy().into_owned(),
                    data: std::fs::read(&p).unwrap(),
                });
            }
        }
    }
    assert!(!files.is_empty(), "corpus at {} is empty", dir.display());
    files
}

/// Compresses `data` in calls of the given sizes and flushes (the sizes must sum to at most
/// `data.len()`; the rest goes in a last call), then finishes. Every call gets a buffer of exactly
/// `max_output_len_with(len, flush)` bytes (at most `max_output_len`, itself within the HAProxy
/// allowance).
pub fn compress_plan(
    format: Format,
    level: Level,
    data: &[u8],
    plan: &[(usize, Flush)],
) -> Vec<u8> {
    let mut enc = Encoder::new(format, level);
    let mut stream = Vec::new();
    let mut pos = 0;
    let mut out = Vec::new();
    let mut call = |enc: &mut Encoder, input: &[u8], flush: Flush, stream: &mut Vec<u8>| {
        let bound = enc.max_output_len_with(input.len(), flush);
        let most = enc.max_output_len(input.len());
        assert!(
            bound <= most && most <= haproxy_bound(input.len()),
            "bound {bound} / {most} above allowance for {} bytes",
            input.len()
        );
        out.clear();
        out.resize(bound, 0);
        let n = enc.compress(input, &mut out, flush).unwrap();
        assert!(n <= bound);
        stream.extend_from_slice(&out[..n]);
    };
    for &(len, flush) in plan {
        let len = len.min(data.len() - pos);
        if enc.is_finished() {
            break;
        }
        call(&mut enc, &data[pos..pos + len], flush, &mut stream);
        pos += len;
    }
    if !enc.is_finished() {
        call(&mut enc, &data[pos..], Flush::Finish, &mut stream);
    }
    assert_eq!(enc.total_in(), data.len() as u64, "not all input was given");
    assert_eq!(enc.total_out(), stream.len() as u64);
    stream
}

/// A plan of `size`-byte calls with `flush` after each.
pub fn even_plan(total: usize, size: usize, flush: Flush) -> Vec<(usize, Flush)> {
    (0..total.div_ceil(size)).map(|_| (size, flush)).collect()
}

/// A random plan: sizes from 0 to 70 000 (often tiny), random flushes, ending with `Finish`.
pub fn random_plan(rng: &mut Rng, total: usize) -> Vec<(usize, Flush)> {
    let mut plan = Vec::new();
    let mut left = total;
    while left > 0 {
        let size = match rng.below(4) {
            0 => rng.below(3),
            1 => rng.below(1024),
            2 => rng.below(20_000),
            _ => rng.below(70_001),
        }
        .min(left);
        let flush = [Flush::None, Flush::Sync][rng.below(2)];
        plan.push((size, flush));
        left -= size;
    }
    plan.push((0, Flush::Finish));
    plan
}

/// Decodes a complete stream with flate2 (zlib-rs backend); checks that nothing follows it.
pub fn decode_flate2(format: Format, stream: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut rest = stream;
    match format {
        Format::Gzip => {
            let mut d = flate2::bufread::GzDecoder::new(&mut rest);
            d.read_to_end(&mut out).expect("flate2 gzip decode");
        }
        Format::Zlib => {
            let mut d = flate2::bufread::ZlibDecoder::new(&mut rest);
            d.read_to_end(&mut out).expect("flate2 zlib decode");
        }
        Format::Deflate => {
            let mut d = flate2::bufread::DeflateDecoder::new(&mut rest);
            d.read_to_end(&mut out).expect("flate2 deflate decode");
        }
    }
    assert!(
        rest.is_empty(),
        "{} bytes after the end of the stream",
        rest.len()
    );
    out
}

/// Decodes a complete stream with miniz_oxide (its own inflater, not flate2's), checking the
/// gzip header and trailer by hand since miniz_oxide has no gzip support.
pub fn decode_miniz(format: Format, stream: &[u8]) -> Vec<u8> {
    use miniz_oxide::inflate::stream::{inflate, InflateState};
    use miniz_oxide::{DataFormat, MZFlush, MZStatus};
    let (body, data_format) = match format {
        Format::Gzip => (&stream[10..], DataFormat::Raw),
        Format::Zlib => (stream, DataFormat::Zlib),
        Format::Deflate => (stream, DataFormat::Raw),
    };
    let mut state = InflateState::new_boxed(data_format);
    let mut out = Vec::new();
    let mut buf = vec![0u8; 1 << 16];
    let mut input = body;
    loop {
        let r = inflate(&mut state, input, &mut buf, MZFlush::None);
        out.extend_from_slice(&buf[..r.bytes_written]);
        input = &input[r.bytes_consumed..];
        match r.status {
            Ok(MZStatus::StreamEnd) => break,
            Ok(_) if r.bytes_consumed + r.bytes_written > 0 => {}
            other => panic!("miniz_oxide: {other:?} with {} bytes left", input.len()),
        }
    }
    if format == Format::Gzip {
        assert_eq!(input.len(), 8, "gzip trailer");
        assert_eq!(input[..4], crc32fast::hash(&out).to_le_bytes(), "CRC-32");
        assert_eq!(input[4..], (out.len() as u32).to_le_bytes(), "ISIZE");
    } else {
        assert!(input.is_empty(), "{} bytes after the stream", input.len());
    }
    out
}

/// Round trip through two independent decoders; panics with `what` on any difference.
pub fn assert_round_trip(format: Format, stream: &[u8], data: &[u8], what: &str) {
    let a = decode_flate2(format, stream);
    assert!(a == data, "flate2 decoded something else: {what}");
    let b = decode_miniz(format, stream);
    assert!(b == data, "miniz_oxide decoded something else: {what}");
}
