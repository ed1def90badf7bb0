//! Side by side: one program, written once against flate2's `write::*Encoder` and once against
//! `slz::write::*Encoder` (only the `use` line differs), gives streams that decode
//! identically, at every flush and at the end.
#![cfg(feature = "std")]

mod common;

use common::io::{assert_sync_marker, corpus_files, decode, sample_data, PrefixChecker, Rng};
use slz::Format;

/// Writes `input` in random pieces with random flushes (the same for a given seed), then
/// finishes; returns the stream and, for each flush, the stream and input lengths at that point.
macro_rules! program {
    ($module:ident, $encoder:ident, $($import:tt)*) => {
        mod $module {
            use std::io::{self, Write};
            use crate::common::io::Rng;
            $($import)*

            pub fn run(input: &[u8], seed: u64) -> io::Result<(Vec<u8>, Vec<(usize, usize)>)> {
                let mut rng = Rng::new(seed);
                let mut enc = $encoder::new(Vec::new(), Compression::fast());
                let mut flushes = Vec::new();
                let mut pos = 0;
                while pos < input.len() {
                    let n = rng.size(input.len() - pos);
                    enc.write_all(&input[pos..pos + n])?;
                    pos += n;
                    if rng.one_in(6) {
                        enc.flush()?;
                        flushes.push((enc.get_ref().len(), pos));
                    }
                }
                enc.try_finish()?;
                Ok((enc.finish()?, flushes))
            }
        }
    };
}

program!(
    gz_flate2,
    GzEncoder,
    use flate2::{write::GzEncoder, Compression};
);
program!(
    gz_slz,
    GzEncoder,
    use slz::{write::GzEncoder, Level as Compression};
);
program!(
    zlib_flate2,
    ZlibEncoder,
    use flate2::{write::ZlibEncoder, Compression};
);
program!(
    zlib_slz,
    ZlibEncoder,
    use slz::{write::ZlibEncoder, Level as Compression};
);
program!(
    raw_flate2,
    DeflateEncoder,
    use flate2::{write::DeflateEncoder, Compression};
);
program!(
    raw_slz,
    DeflateEncoder,
    use slz::{write::DeflateEncoder, Level as Compression};
);

type Program = fn(&[u8], u64) -> std::io::Result<(Vec<u8>, Vec<(usize, usize)>)>;

/// What the receiver sees: the decoded bytes available at each flush, then the whole body.
fn received(format: Format, program: Program, input: &[u8], seed: u64) -> (Vec<Vec<u8>>, Vec<u8>) {
    let (stream, flushes) = program(input, seed).expect("write into a Vec");
    let mut checker = PrefixChecker::new(format);
    let mut at_flush = Vec::new();
    for (stream_len, input_len) in flushes {
        if input_len > 0 {
            assert_sync_marker(&stream[..stream_len]);
        }
        let decoded = checker.feed(&stream[..stream_len]).to_vec();
        assert!(
            decoded == input[..input_len],
            "a flushed prefix decodes to the input so far"
        );
        at_flush.push(decoded);
    }
    (at_flush, decode(format, &stream).expect("complete stream"))
}

#[test]
fn same_program_decodes_identically() {
    let mut inputs: Vec<Vec<u8>> = corpus_files()
        .into_iter()
        .filter(|(_, data)| data.len() <= 1 << 20)
        .map(|(_, data)| data)
        .collect();
    let mut rng = Rng::new(77);
    inputs.push(Vec::new());
    inputs.push(sample_data(&mut rng, 250_000));
    let pairs: [(Format, Program, Program); 3] = [
        (Format::Gzip, gz_flate2::run, gz_slz::run),
        (Format::Zlib, zlib_flate2::run, zlib_slz::run),
        (Format::Deflate, raw_flate2::run, raw_slz::run),
    ];
    for (i, input) in inputs.iter().enumerate() {
        let (format, theirs, ours) = pairs[i % 3];
        let seed = i as u64;
        let (their_flushes, their_body) = received(format, theirs, input, seed);
        let (our_flushes, our_body) = received(format, ours, input, seed);
        assert_eq!(their_flushes.len(), our_flushes.len());
        assert!(
            their_flushes == our_flushes,
            "input {i}: different bytes at a flush"
        );
        assert!(
            their_body == our_body && our_body == *input,
            "input {i}: different bodies"
        );
    }
}
