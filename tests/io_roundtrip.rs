//! Round trips of the `std::io` adapters through flate2's decoders: random write sizes, flushes
//! in random places (every flushed prefix must decode to exactly the input so far), all
//! formats and levels, and the shared corpus.
#![cfg(feature = "std")]

mod common;

use std::io::{Read, Write};

use common::io::{
    assert_sync_marker, corpus_files, decode, sample_data, PrefixChecker, Rng, FORMATS,
};
use proptest::prelude::*;
use slz::{read, write, Format, Level};

/// A writer of any format behind one interface, so each test runs over all three.
enum AnyWriter {
    Gz(write::GzEncoder<Vec<u8>>),
    Zlib(write::ZlibEncoder<Vec<u8>>),
    Deflate(write::DeflateEncoder<Vec<u8>>),
}

impl AnyWriter {
    fn new(format: Format, level: Level, capacity: usize) -> AnyWriter {
        match format {
            Format::Gzip => {
                AnyWriter::Gz(write::GzEncoder::with_capacity(Vec::new(), level, capacity))
            }
            Format::Zlib => AnyWriter::Zlib(write::ZlibEncoder::with_capacity(
                Vec::new(),
                level,
                capacity,
            )),
            Format::Deflate => AnyWriter::Deflate(write::DeflateEncoder::with_capacity(
                Vec::new(),
                level,
                capacity,
            )),
        }
    }
    fn w(&mut self) -> &mut dyn Write {
        match self {
            AnyWriter::Gz(e) => e,
            AnyWriter::Zlib(e) => e,
            AnyWriter::Deflate(e) => e,
        }
    }
    fn out(&self) -> &[u8] {
        match self {
            AnyWriter::Gz(e) => e.get_ref(),
            AnyWriter::Zlib(e) => e.get_ref(),
            AnyWriter::Deflate(e) => e.get_ref(),
        }
    }
    fn totals(&self) -> (u64, u64) {
        match self {
            AnyWriter::Gz(e) => (e.total_in(), e.total_out()),
            AnyWriter::Zlib(e) => (e.total_in(), e.total_out()),
            AnyWriter::Deflate(e) => (e.total_in(), e.total_out()),
        }
    }
    fn finish(self) -> Vec<u8> {
        match self {
            AnyWriter::Gz(e) => e.finish(),
            AnyWriter::Zlib(e) => e.finish(),
            AnyWriter::Deflate(e) => e.finish(),
        }
        .expect("finish into a Vec")
    }
}

fn read_all(format: Format, level: Level, capacity: usize, input: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut r: Box<dyn Read + '_> = match format {
        Format::Gzip => Box::new(read::GzEncoder::with_capacity(input, level, capacity)),
        Format::Zlib => Box::new(read::ZlibEncoder::with_capacity(input, level, capacity)),
        Format::Deflate => Box::new(read::DeflateEncoder::with_capacity(input, level, capacity)),
    };
    // Reads of random sizes, into a buffer of random size.
    let mut out = Vec::new();
    let mut buf = vec![0u8; 1 + rng.size(70_000)];
    loop {
        let want = 1 + rng.below(buf.len());
        let n = r.read(&mut buf[..want]).expect("read from a slice");
        if n == 0 {
            break;
        }
        out.extend_from_slice(&buf[..n]);
    }
    out
}

/// Writes `input` in random pieces with random flushes; checks every flushed prefix, the
/// counters and the whole stream.
fn write_and_check(format: Format, level: Level, capacity: usize, input: &[u8], rng: &mut Rng) {
    let mut enc = AnyWriter::new(format, level, capacity);
    let mut checker = PrefixChecker::new(format);
    let (mut pos, mut flushed) = (0, 0);
    while pos < input.len() {
        let n = rng.size(input.len() - pos);
        enc.w().write_all(&input[pos..pos + n]).unwrap();
        pos += n;
        assert_eq!(enc.totals().0, pos as u64, "total_in counts bytes written");
        if rng.one_in(4) {
            enc.w().flush().unwrap();
            checker.check(enc.out(), &input[..pos]);
            if pos > flushed {
                assert_sync_marker(enc.out());
            }
            flushed = pos;
            assert_eq!(
                enc.totals().1,
                enc.out().len() as u64,
                "all output written after flush"
            );
            if rng.one_in(3) {
                let len = enc.out().len();
                enc.w().flush().unwrap();
                assert_eq!(enc.out().len(), len, "a second flush adds nothing");
            }
        }
    }
    let (total_in, _) = enc.totals();
    let out = enc.finish();
    assert_eq!(total_in, input.len() as u64);
    assert_eq!(decode(format, &out).expect("stream decodes"), input);
}

fn level_of(i: u8) -> Level {
    Level::new(u32::from(i)).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn writer_random_writes_and_flushes(
        format in 0usize..3,
        level in prop_oneof![Just(0u8), Just(1u8), 2u8..=9],
        capacity in prop_oneof![1usize..64, 64usize..5000, Just(16384usize), 30000usize..70000],
        len in prop_oneof![0usize..100, 100usize..200_000],
        seed in any::<u64>(),
    ) {
        let mut rng = Rng::new(seed);
        let input = sample_data(&mut rng, len);
        write_and_check(FORMATS[format], level_of(level), capacity, &input, &mut rng);
    }

    #[test]
    fn reader_random_reads(
        format in 0usize..3,
        level in prop_oneof![Just(0u8), Just(1u8), 2u8..=9],
        capacity in prop_oneof![1usize..64, 64usize..5000, Just(16384usize), 30000usize..70000],
        len in prop_oneof![0usize..100, 100usize..200_000],
        seed in any::<u64>(),
    ) {
        let mut rng = Rng::new(seed);
        let input = sample_data(&mut rng, len);
        let format = FORMATS[format];
        let out = read_all(format, level_of(level), capacity, &input, &mut rng);
        prop_assert_eq!(decode(format, &out).expect("stream decodes"), input);
    }
}

/// The reader and writer produce the same stream when the writer is never flushed: both
/// compress one full buffer at a time. (Not when the input is an exact multiple of the
/// capacity: the reader only learns of the end after compressing the last full buffer, so it
/// ends with an empty final block.)
#[test]
fn reader_and_writer_agree() {
    let mut rng = Rng::new(7);
    let input = sample_data(&mut rng, 300_001);
    for format in FORMATS {
        for capacity in [1000, 16384, 100_000] {
            let mut w = AnyWriter::new(format, Level::FAST, capacity);
            w.w().write_all(&input).unwrap();
            let written = w.finish();
            let read = read_all(format, Level::FAST, capacity, &input, &mut rng);
            assert!(written == read, "{format:?} capacity {capacity}");
        }
    }
}

#[test]
fn corpus_round_trips() {
    let mut rng = Rng::new(2024);
    for (i, (name, data)) in corpus_files().iter().enumerate() {
        // One format per file for the writer, another for the reader, to keep the run short.
        let format = FORMATS[i % 3];
        let mut enc = AnyWriter::new(format, Level::FAST, 16384);
        let mut checker = PrefixChecker::new(format);
        let mut pos = 0;
        while pos < data.len() {
            // Proxy-sized pieces, a flush every few of them.
            let n = (1 + rng.below(40_000)).min(data.len() - pos);
            enc.w().write_all(&data[pos..pos + n]).unwrap();
            pos += n;
            if rng.one_in(3) {
                enc.w().flush().unwrap();
                checker.check(enc.out(), &data[..pos]);
                assert_sync_marker(enc.out());
            }
        }
        let out = enc.finish();
        assert!(
            decode(format, &out).unwrap() == *data,
            "writer, {name}, {format:?}"
        );

        let format = FORMATS[(i + 1) % 3];
        let out = read_all(format, Level::FAST, 16384, data, &mut rng);
        assert!(
            decode(format, &out).unwrap() == *data,
            "reader, {name}, {format:?}"
        );
    }
}
