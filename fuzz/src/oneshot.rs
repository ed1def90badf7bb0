//! `oneshot`: [`slz::compress_to_vec`] over every format and level: round trip through the three
//! decoders, the documented bound, and agreement with a single `Encoder::compress` call.

use slz::{Encoder, Flush, Format, GzipHeader, Level};

use crate::check::{check_header, check_stream, documented_bound, Expect};
use crate::gen::{self, Reader};

pub fn run(data: &[u8]) {
    // First byte odd: the rest of the input is the data. Even: it drives the generators, so
    // that long and structured inputs are reachable.
    let input = match data.split_first() {
        Some((&b, rest)) if b & 1 == 1 => rest.to_vec(),
        Some((&b, rest)) => {
            let mut r = Reader::new(rest);
            let mut v = Vec::new();
            for _ in 0..1 + (b >> 1) % 2 {
                let n = gen::chunk_len(&mut r);
                gen::fill(&mut r, n, &mut v);
            }
            v
        }
        None => Vec::new(),
    };
    for format in [Format::Gzip, Format::Zlib, Format::Deflate] {
        let mut verified: Vec<Vec<u8>> = Vec::new();
        for l in 0..=9 {
            let level = Level::new(l).unwrap();
            let z = slz::compress_to_vec(&input, format, level);
            let enc = Encoder::new(format, level);
            let bound = enc.max_output_len(input.len());
            assert!(
                z.len() <= bound,
                "{format:?} level {l}: {} > bound {bound}",
                z.len()
            );
            assert!(bound as u128 <= documented_bound(input.len()));
            let expect = Expect {
                format,
                gzip: GzipHeader::default(),
                header_level: l,
            };
            // A stream whose bytes after the header equal those of one already decoded by
            // all three decoders decodes the same: only the first of each kind is decoded
            // (levels whose output is the same on this input are decoded once).
            let body = &z[check_header(&z, &expect)..];
            if !verified.iter().any(|v| v == body) {
                check_stream(&z, &input, &[0], &expect);
                verified.push(body.to_vec());
            }
            // Same bytes as one compress call with exactly the bound.
            let mut enc = enc;
            let mut out = vec![0u8; bound];
            let n = enc.compress(&input, &mut out, Flush::Finish).unwrap();
            assert!(out[..n] == z, "compress_to_vec differs from compress");
        }
    }
}

#[cfg(test)]
mod tests {
    /// Found by the fuzzer in CI (2026-12-02): a fixed-code block that ended later than the
    /// same bytes stored.
    #[test]
    fn fixed_block_never_ends_after_stored() {
        super::run(&[
            0x02, 0x15, 0x03, 0x05, 0x13, 0x08, 0x46, 0x03, 0x00, 0x00, 0x00, 0x04, 0x3c, 0x01,
            0x03, 0x0b, 0x01, 0x90, 0x00,
        ]);
    }
}
