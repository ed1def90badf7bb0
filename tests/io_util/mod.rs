//! Helpers shared by the `io_*` integration tests: a seeded RNG, test data, the corpus, and
//! decoders (flate2) for whole streams and for sync-flushed prefixes.
#![allow(dead_code)]

use std::io::{self, Read};
use std::path::PathBuf;

use flate2::{Decompress, FlushDecompress, Status};
use slz::Format;

pub const FORMATS: [Format; 3] = [Format::Gzip, Format::Zlib, Format::Deflate];

/// SplitMix64: small, seeded, good enough to pick sizes and bytes.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9e37_79b9_7f4a_7c15)
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
        let limit = match self.below(4) {
            0 => 16,
            1 => 512,
            2 => 8192,
            _ => max,
        };
        self.below(limit.min(max) + 1)
    }
}

/// `len` bytes mixing repetitive text, runs and random noise, so that both fixed-Huffman and
/// stored blocks occur.
pub fn sample_data(rng: &mut Rng, len: usize) -> Vec<u8> {
    const WORDS: [&[u8]; 8] = [
        b"the ",
        b"quick ",
        b"brown ",
        b"fox ",
        b"<div class=\"x\">",
        b"</div>\n",
        b"0123",
        b"; ",
    ];
    let mut out = Vec::with_capacity(len);
    while out.len() < len {
        let n = 1 + rng.below(2000);
        match rng.below(3) {
            0 => (0..n).for_each(|_| out.extend_from_slice(WORDS[rng.below(WORDS.len())])),
            1 => out.extend(std::iter::repeat(rng.next() as u8).take(n)),
            _ => out.extend((0..n).map(|_| rng.next() as u8)),
        }
    }
    out.truncate(len);
    out
}

/// The corpus directory: `$SLZ_CORPUS`, else `../shared/corpus` next to the crate.
pub fn corpus_dir() -> PathBuf {
    match std::env::var_os("SLZ_CORPUS") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"),
    }
}

/// `(name, contents)` of every file in the corpus subdirectories, sorted; generated data (with
/// a note on stderr) when the corpus is absent, or a failure under `SLZ_STRICT=1` (CI).
pub fn corpus_files() -> Vec<(String, Vec<u8>)> {
    let dir = corpus_dir();
    let mut files = Vec::new();
    for sub in ["artificial", "canterbury", "snappy", "silesia"] {
        let Ok(entries) = std::fs::read_dir(dir.join(sub)) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_file() {
                let data = std::fs::read(&path).expect("read corpus file");
                files.push((
                    format!("{sub}/{}", entry.file_name().to_string_lossy()),
                    data,
                ));
            }
        }
    }
    if files.is_empty() {
        let strict = std::env::var_os("SLZ_STRICT").is_some_and(|v| v != "0");
        assert!(
            !strict,
            "SLZ_STRICT is set but the corpus is not at {}",
            dir.display()
        );
        eprintln!(
            "corpus not found at {} (set SLZ_CORPUS): using generated data",
            dir.display()
        );
        let mut rng = Rng::new(42);
        for (i, len) in [0usize, 1, 100, 70_000, 1_000_000].into_iter().enumerate() {
            files.push((format!("generated-{i}"), sample_data(&mut rng, len)));
        }
    }
    files.sort();
    files
}

/// Decodes a complete stream with flate2, requiring that it ends exactly at the end of `data`
/// (checksums and lengths are checked by the decoders).
pub fn decode(format: Format, data: &[u8]) -> io::Result<Vec<u8>> {
    let mut out = Vec::new();
    let rest = match format {
        Format::Gzip => {
            let mut d = flate2::bufread::GzDecoder::new(data);
            d.read_to_end(&mut out)?;
            d.into_inner()
        }
        Format::Zlib => {
            let mut d = flate2::bufread::ZlibDecoder::new(data);
            d.read_to_end(&mut out)?;
            d.into_inner()
        }
        Format::Deflate => {
            let mut d = flate2::bufread::DeflateDecoder::new(data);
            d.read_to_end(&mut out)?;
            d.into_inner()
        }
    };
    if !rest.is_empty() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("{} bytes after the end of the stream", rest.len()),
        ));
    }
    Ok(out)
}

/// After a `flush()` that had new input to flush, the stream must end with a sync marker (an
/// empty stored block, `00 00 ff ff`): decodable is not enough, since a stream cut anywhere
/// inside a fixed-Huffman block may decode to all its literals without being flushed.
pub fn assert_sync_marker(stream: &[u8]) {
    assert!(
        stream.ends_with(&[0, 0, 0xff, 0xff]),
        "no sync marker at the end of a flushed stream of {} bytes",
        stream.len()
    );
}

/// Decodes a stream incrementally: after each sync flush, feed it the stream so far and check
/// that the new bytes decode to exactly the new input.
pub struct PrefixChecker {
    format: Format,
    inflate: Decompress,
    fed: usize,
    decoded: Vec<u8>,
}

impl PrefixChecker {
    pub fn new(format: Format) -> PrefixChecker {
        PrefixChecker {
            format,
            inflate: Decompress::new(format == Format::Zlib),
            fed: 0,
            decoded: Vec::new(),
        }
    }

    /// `stream` is everything written so far (starting with the header); `input` everything
    /// written into the encoder so far. Panics with a description on a mismatch.
    pub fn check(&mut self, stream: &[u8], input: &[u8]) {
        let decoded = self.feed(stream);
        assert!(
            decoded == input,
            "prefix decodes to {} bytes, expected the {} bytes written so far",
            decoded.len(),
            input.len()
        );
    }

    /// Feeds the stream so far (a sync-flushed prefix) and returns everything it decodes to.
    /// Panics if the prefix does not decode completely.
    pub fn feed(&mut self, stream: &[u8]) -> &[u8] {
        if self.format == Format::Gzip && self.fed == 0 {
            if stream.is_empty() {
                return &[];
            }
            assert!(stream.len() >= 10, "gzip header cut short");
            assert_eq!(&stream[..4], &[0x1f, 0x8b, 8, 0], "gzip header");
            self.fed = 10;
        }
        assert!(stream.len() >= self.fed, "the stream shrank");
        loop {
            let (before_in, before_out) = (self.inflate.total_in(), self.inflate.total_out());
            self.decoded.reserve(64 * 1024);
            let status = self
                .inflate
                .decompress_vec(
                    &stream[self.fed..],
                    &mut self.decoded,
                    FlushDecompress::Sync,
                )
                .unwrap_or_else(|e| {
                    panic!("prefix of {} bytes does not decode: {e}", stream.len())
                });
            self.fed += (self.inflate.total_in() - before_in) as usize;
            assert_ne!(status, Status::StreamEnd, "stream ended at a flush");
            let progress =
                self.inflate.total_in() != before_in || self.inflate.total_out() != before_out;
            if !progress
                || (self.fed == stream.len() && self.decoded.len() < self.decoded.capacity())
            {
                break;
            }
        }
        assert_eq!(
            self.fed,
            stream.len(),
            "decoder did not consume the whole prefix"
        );
        &self.decoded
    }
}
