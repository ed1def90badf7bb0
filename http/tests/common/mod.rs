//! Helpers shared by the test binaries: sample data and decoders (flate2 over zlib-rs).
#![allow(dead_code)]

use std::io::Read;

/// A small xorshift generator: deterministic chunk plans without a dependency.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Web-like text of `len` bytes: words, numbers and markup, compressible but not trivially.
pub fn sample(len: usize, seed: u64) -> Vec<u8> {
    const WORDS: &[&str] = &[
        "<div class=\"item\">",
        "</div>",
        "hello",
        "world",
        "\"id\": ",
        "slz",
        "stream",
        "gzip",
        "{\"name\": \"",
        "\"}",
        ", ",
        "\n",
        "<p>",
        "</p>",
        "deflate",
        "event: tick\n",
    ];
    let mut rng = Rng(seed | 1);
    let mut out = Vec::with_capacity(len + 32);
    while out.len() < len {
        if rng.below(4) == 0 {
            out.extend_from_slice(rng.next().to_string().as_bytes());
        } else {
            out.extend_from_slice(WORDS[rng.below(WORDS.len())].as_bytes());
        }
    }
    out.truncate(len);
    out
}

/// Decodes a whole stream of `format`, failing on any error or trailing garbage.
pub fn decode(format: slz::Format, data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    match format {
        slz::Format::Gzip => {
            let mut d = flate2::read::GzDecoder::new(data);
            d.read_to_end(&mut out).expect("gzip decodes");
            assert!(d.into_inner().is_empty(), "bytes after the gzip trailer");
        }
        slz::Format::Zlib => {
            let mut d = flate2::read::ZlibDecoder::new(data);
            d.read_to_end(&mut out).expect("zlib decodes");
            assert!(d.into_inner().is_empty(), "bytes after the zlib trailer");
        }
        slz::Format::Deflate => {
            let mut d = flate2::read::DeflateDecoder::new(data);
            d.read_to_end(&mut out).expect("deflate decodes");
            assert!(d.into_inner().is_empty(), "bytes after the final block");
        }
    }
    out
}

/// Decodes what a possibly unfinished stream makes available so far (after a sync flush:
/// everything written so far). Headers are skipped by hand so any prefix can be fed.
pub fn decode_prefix(format: slz::Format, data: &[u8]) -> Vec<u8> {
    let body = match format {
        slz::Format::Gzip => &data[10.min(data.len())..],
        slz::Format::Zlib => &data[2.min(data.len())..],
        _ => data,
    };
    let mut d = flate2::Decompress::new(false);
    let mut out = Vec::with_capacity(body.len() * 8 + 1024);
    loop {
        let (in0, out0) = (d.total_in(), d.total_out());
        let status = d
            .decompress_vec(
                &body[in0 as usize..],
                &mut out,
                flate2::FlushDecompress::Sync,
            )
            .expect("prefix decodes");
        let done = d.total_in() as usize == body.len() && out.len() < out.capacity();
        if done || status == flate2::Status::StreamEnd {
            return out;
        }
        if out.len() == out.capacity() {
            out.reserve(out.capacity());
        } else if (d.total_in(), d.total_out()) == (in0, out0) {
            return out;
        }
    }
}

pub const FORMATS: [slz::Format; 3] = [slz::Format::Gzip, slz::Format::Zlib, slz::Format::Deflate];
