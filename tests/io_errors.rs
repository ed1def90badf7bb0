//! The adapters against misbehaving inner readers and writers: non-blocking ones that take a
//! few bytes at a time and fail intermittently with `WouldBlock` and `Interrupted` (nothing may
//! be lost or duplicated), failing ones (errors surface unchanged), and misuse.
#![cfg(feature = "std")]

mod common;

use std::io::{self, ErrorKind, Read, Write};

use common::io::{assert_sync_marker, decode, sample_data, PrefixChecker, Rng, FORMATS};
use slz::{read, write, Format, GzBuilder, Level};

/// A non-blocking sink: each call accepts 1..=7 bytes, or fails with `WouldBlock` (1 in 3) or
/// `Interrupted` (1 in 5); `flush` fails the same way.
struct FlakyWriter {
    out: Vec<u8>,
    rng: Rng,
    failures: usize,
}

impl FlakyWriter {
    fn new(seed: u64) -> FlakyWriter {
        FlakyWriter {
            out: Vec::new(),
            rng: Rng::new(seed),
            failures: 0,
        }
    }
    fn roll(&mut self) -> io::Result<()> {
        if self.rng.one_in(3) {
            self.failures += 1;
            Err(io::Error::new(ErrorKind::WouldBlock, "try again later"))
        } else if self.rng.one_in(5) {
            self.failures += 1;
            Err(io::Error::new(ErrorKind::Interrupted, "signal"))
        } else {
            Ok(())
        }
    }
}

impl Write for FlakyWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.roll()?;
        let n = buf.len().min(1 + self.rng.below(7));
        self.out.extend_from_slice(&buf[..n]);
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.roll()
    }
}

fn retryable(e: &io::Error) -> bool {
    matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::Interrupted)
}

/// Retries `op` while it fails with `WouldBlock`/`Interrupted`, as an event loop would.
fn retry<T>(mut op: impl FnMut() -> io::Result<T>) -> T {
    for _ in 0..1_000_000 {
        match op() {
            Ok(v) => return v,
            Err(e) if retryable(&e) => continue,
            Err(e) => panic!("unexpected error {e}"),
        }
    }
    panic!("no progress after a million retries")
}

macro_rules! nonblocking_writer_test {
    ($enc:ty, $format:expr, $seed:expr) => {{
        let format: Format = $format;
        let mut rng = Rng::new($seed);
        let input = sample_data(&mut rng, 150_000);
        let mut enc =
            <$enc>::with_capacity(FlakyWriter::new($seed), Level::FAST, 1 + rng.below(20_000));
        let mut checker = PrefixChecker::new(format);
        let mut pos = 0;
        while pos < input.len() {
            let end = (pos + rng.size(10_000)).min(input.len());
            while pos < end {
                pos += retry(|| enc.write(&input[pos..end]));
            }
            if rng.one_in(5) {
                retry(|| enc.flush());
                checker.check(&enc.get_ref().out, &input[..pos]);
                if pos > 0 {
                    assert_sync_marker(&enc.get_ref().out);
                }
            }
        }
        retry(|| enc.try_finish());
        let total_out = enc.total_out();
        let sink = enc.finish().unwrap();
        assert!(
            sink.failures > 100,
            "the writer failed only {} times",
            sink.failures
        );
        assert_eq!(total_out, sink.out.len() as u64);
        assert!(
            decode(format, &sink.out).unwrap() == input,
            "{format:?} seed {}",
            $seed
        );
    }};
}

#[test]
fn nonblocking_writer_loses_and_duplicates_nothing() {
    for seed in 0..4 {
        nonblocking_writer_test!(write::GzEncoder<FlakyWriter>, Format::Gzip, seed);
        nonblocking_writer_test!(write::ZlibEncoder<FlakyWriter>, Format::Zlib, seed + 100);
        nonblocking_writer_test!(
            write::DeflateEncoder<FlakyWriter>,
            Format::Deflate,
            seed + 200
        );
    }
}

/// A non-blocking source: each call gives 1..=5000 bytes, or fails with `WouldBlock` (1 in 3)
/// or `Interrupted` (1 in 5).
struct FlakyReader<'a> {
    data: &'a [u8],
    rng: Rng,
    failures: usize,
}

impl Read for FlakyReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.rng.one_in(3) {
            self.failures += 1;
            return Err(io::Error::new(ErrorKind::WouldBlock, "try again later"));
        }
        if self.rng.one_in(5) {
            self.failures += 1;
            return Err(io::Error::new(ErrorKind::Interrupted, "signal"));
        }
        let n = buf.len().min(self.data.len()).min(1 + self.rng.below(5000));
        buf[..n].copy_from_slice(&self.data[..n]);
        self.data = &self.data[n..];
        Ok(n)
    }
}

#[test]
fn nonblocking_reader_loses_and_duplicates_nothing() {
    for (i, format) in FORMATS.into_iter().enumerate() {
        let mut rng = Rng::new(i as u64);
        let input = sample_data(&mut rng, 150_000);
        let src = FlakyReader {
            data: &input,
            rng: Rng::new(99 + i as u64),
            failures: 0,
        };
        let capacity = 1 + rng.below(20_000);
        let mut enc: Box<dyn Read> = match format {
            Format::Gzip => Box::new(read::GzEncoder::with_capacity(src, Level::FAST, capacity)),
            Format::Zlib => Box::new(read::ZlibEncoder::with_capacity(src, Level::FAST, capacity)),
            Format::Deflate => Box::new(read::DeflateEncoder::with_capacity(
                src,
                Level::FAST,
                capacity,
            )),
        };
        let mut out = Vec::new();
        let mut buf = [0u8; 3000];
        let mut saw_block = 0;
        loop {
            let want = 1 + rng.below(buf.len());
            match enc.read(&mut buf[..want]) {
                Ok(0) => break,
                Ok(n) => out.extend_from_slice(&buf[..n]),
                Err(e) if e.kind() == ErrorKind::WouldBlock => saw_block += 1,
                Err(e) => panic!("unexpected error {e}"),
            }
        }
        assert!(
            saw_block > 10,
            "WouldBlock reached the caller {saw_block} times"
        );
        assert!(decode(format, &out).unwrap() == input, "{format:?}");
    }
}

/// A sink that accepts `budget` bytes, then fails with a custom error until `heal` is set.
struct BrokenPipe {
    out: Vec<u8>,
    budget: usize,
    healed: bool,
}

impl Write for BrokenPipe {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if !self.healed && self.budget == 0 {
            return Err(io::Error::new(ErrorKind::BrokenPipe, "peer went away"));
        }
        let n = if self.healed {
            buf.len()
        } else {
            buf.len().min(self.budget)
        };
        self.budget -= n.min(self.budget);
        self.out.extend_from_slice(&buf[..n]);
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        if self.healed {
            Ok(())
        } else {
            Err(io::Error::other("flush failed"))
        }
    }
}

fn assert_same_error(e: io::Error, kind: ErrorKind, msg: &str) {
    assert_eq!(e.kind(), kind);
    assert_eq!(e.to_string(), msg);
}

#[test]
fn writer_errors_surface_unchanged_and_lose_nothing() {
    let mut rng = Rng::new(5);
    let input = sample_data(&mut rng, 100_000);
    let sink = BrokenPipe {
        out: Vec::new(),
        budget: 1000,
        healed: false,
    };
    let mut enc = write::ZlibEncoder::with_capacity(sink, Level::FAST, 4096);
    let mut pos = 0;
    let err = loop {
        match enc.write(&input[pos..]) {
            Ok(n) => pos += n,
            Err(e) => break e,
        }
    };
    assert_same_error(err, ErrorKind::BrokenPipe, "peer went away");
    assert_eq!(enc.get_ref().out.len(), 1000);
    // flush: the writer's error first, then (once all is written) the inner flush's error.
    assert_same_error(
        enc.flush().unwrap_err(),
        ErrorKind::BrokenPipe,
        "peer went away",
    );
    assert_same_error(
        enc.try_finish().unwrap_err(),
        ErrorKind::BrokenPipe,
        "peer went away",
    );
    enc.get_mut().budget = usize::MAX;
    assert_same_error(enc.flush().unwrap_err(), ErrorKind::Other, "flush failed");
    // The peer comes back: the stream continues where it stopped.
    enc.get_mut().healed = true;
    enc.write_all(&input[pos..]).unwrap();
    let sink = enc.finish().unwrap();
    assert!(decode(Format::Zlib, &sink.out).unwrap() == input);
}

#[test]
fn reader_errors_surface_unchanged_and_lose_nothing() {
    struct Failing<'a> {
        data: &'a [u8],
        fail_next: bool,
    }
    impl Read for Failing<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            if std::mem::replace(&mut self.fail_next, false) {
                return Err(io::Error::new(ErrorKind::ConnectionReset, "upstream reset"));
            }
            self.fail_next = true;
            let n = buf.len().min(self.data.len()).min(777);
            buf[..n].copy_from_slice(&self.data[..n]);
            self.data = &self.data[n..];
            Ok(n)
        }
    }
    let mut rng = Rng::new(6);
    let input = sample_data(&mut rng, 50_000);
    let mut enc = read::GzEncoder::new(
        Failing {
            data: &input,
            fail_next: false,
        },
        Level::FAST,
    );
    let mut out = Vec::new();
    let mut errors = 0;
    let mut buf = [0u8; 1000];
    loop {
        match enc.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => out.extend_from_slice(&buf[..n]),
            Err(e) => {
                assert_same_error(e, ErrorKind::ConnectionReset, "upstream reset");
                errors += 1;
            }
        }
    }
    assert!(errors > 10);
    assert_eq!(enc.total_in(), input.len() as u64);
    assert!(decode(Format::Gzip, &out).unwrap() == input);
}

#[test]
fn writer_accepting_nothing_is_write_zero() {
    struct Full;
    impl Write for Full {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Ok(0)
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }
    let mut enc = write::GzEncoder::new(Full, Level::FAST);
    enc.write_all(b"abc").unwrap(); // buffered only
    assert_eq!(enc.flush().unwrap_err().kind(), ErrorKind::WriteZero);
    assert_eq!(enc.try_finish().unwrap_err().kind(), ErrorKind::WriteZero);
}

#[test]
fn lying_writer_is_an_error_not_a_panic() {
    struct Liar;
    impl Write for Liar {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            Ok(buf.len() + 1)
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }
    let mut enc = write::DeflateEncoder::new(Liar, Level::FAST);
    enc.write_all(b"abc").unwrap();
    assert_eq!(enc.flush().unwrap_err().kind(), ErrorKind::InvalidData);

    struct LiarReader;
    impl Read for LiarReader {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            Ok(buf.len() + 1)
        }
    }
    let mut enc = read::DeflateEncoder::new(LiarReader, Level::FAST);
    assert_eq!(
        enc.read(&mut [0u8; 10]).unwrap_err().kind(),
        ErrorKind::InvalidData
    );
}

#[test]
fn use_after_finish_is_invalid_input() {
    let mut enc = write::GzEncoder::new(Vec::new(), Level::FAST);
    enc.write_all(b"abc").unwrap();
    enc.try_finish().unwrap();
    let len = enc.get_ref().len();
    let e = enc.write(b"x").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
    assert_eq!(
        e.get_ref().and_then(|e| e.downcast_ref::<slz::Error>()),
        Some(&slz::Error::Finished)
    );
    enc.try_finish().unwrap(); // again: nothing to do
    enc.flush().unwrap(); // flushes the inner writer only
    assert_eq!(enc.get_ref().len(), len);
    assert_eq!(
        decode(Format::Gzip, &enc.finish().unwrap()).unwrap(),
        b"abc"
    );
}

#[test]
fn drop_finishes_the_stream() {
    let mut rng = Rng::new(8);
    let input = sample_data(&mut rng, 40_000);
    let mut out = Vec::new();
    {
        let mut enc = write::ZlibEncoder::new(&mut out, Level::FAST);
        enc.write_all(&input).unwrap();
    }
    assert!(decode(Format::Zlib, &out).unwrap() == input);

    // Errors while finishing on drop are ignored, without a panic.
    let mut enc = write::GzEncoder::new(
        BrokenPipe {
            out: Vec::new(),
            budget: 3,
            healed: false,
        },
        Level::FAST,
    );
    enc.write_all(&input[..1000]).unwrap(); // buffered; the sink fails when drop finishes
    drop(enc);
}

#[test]
fn reset_starts_an_identical_new_stream() {
    let mut rng = Rng::new(9);
    let a = sample_data(&mut rng, 30_000);
    let b = sample_data(&mut rng, 50_000);
    let mut enc = write::GzEncoder::with_capacity(Vec::new(), Level::FAST, 8192);
    enc.write_all(&a).unwrap();
    enc.flush().unwrap();
    enc.write_all(&b[..100]).unwrap(); // buffered: finished into the first stream by reset
    let first = enc.reset(Vec::new()).unwrap();
    assert_eq!(enc.total_in(), 0);
    assert_eq!(enc.total_out(), 0);
    enc.write_all(&b).unwrap();
    let second = enc.finish().unwrap();
    let mut expected = a.clone();
    expected.extend_from_slice(&b[..100]);
    assert!(decode(Format::Gzip, &first).unwrap() == expected);
    let mut fresh = write::GzEncoder::with_capacity(Vec::new(), Level::FAST, 8192);
    fresh.write_all(&b).unwrap();
    assert!(
        second == fresh.finish().unwrap(),
        "a reset encoder writes what a new one writes"
    );

    let mut r = read::ZlibEncoder::new(&a[..], Level::FAST);
    r.read_exact(&mut [0u8; 10]).unwrap();
    let old = r.reset(&b[..]);
    assert!(old.len() < a.len(), "the old reader was partly consumed");
    let mut out = Vec::new();
    r.read_to_end(&mut out).unwrap();
    assert!(decode(Format::Zlib, &out).unwrap() == b);
}

#[test]
fn gz_builder_sets_header_fields() {
    let mut enc = GzBuilder::new()
        .mtime(0x1234_5678)
        .operating_system(3)
        .write(Vec::new(), Level::FAST);
    enc.write_all(b"header test").unwrap();
    let gz = enc.finish().unwrap();
    let d = flate2::read::GzDecoder::new(&gz[..]);
    let h = d.header().expect("gzip header");
    assert_eq!((h.mtime(), h.operating_system()), (0x1234_5678, 3));
    assert_eq!(decode(Format::Gzip, &gz).unwrap(), b"header test");

    // Defaults are deterministic: MTIME 0, OS 255, the same with and without a builder.
    let plain = {
        let mut e = write::GzEncoder::new(Vec::new(), Level::FAST);
        e.write_all(b"x").unwrap();
        e.finish().unwrap()
    };
    let built = {
        let mut e = GzBuilder::new().write(Vec::new(), Level::FAST);
        e.write_all(b"x").unwrap();
        e.finish().unwrap()
    };
    assert_eq!(plain, built);
    let d = flate2::read::GzDecoder::new(&plain[..]);
    let h = d.header().expect("gzip header");
    assert_eq!((h.mtime(), h.operating_system()), (0, 255));

    let mut r = GzBuilder::new()
        .mtime(9)
        .operating_system(11)
        .read(&b"abc"[..], Level::FAST);
    let mut gz = Vec::new();
    r.read_to_end(&mut gz).unwrap();
    let d = flate2::read::GzDecoder::new(&gz[..]);
    let h = d.header().expect("gzip header");
    assert_eq!((h.mtime(), h.operating_system()), (9, 11));
}

#[test]
fn tiny_and_zero_capacity_still_work() {
    let mut rng = Rng::new(10);
    let input = sample_data(&mut rng, 3000);
    for capacity in [0, 1, 2] {
        let mut enc = write::DeflateEncoder::with_capacity(Vec::new(), Level::FAST, capacity);
        enc.write_all(&input).unwrap();
        let out = enc.finish().unwrap();
        assert!(
            decode(Format::Deflate, &out).unwrap() == input,
            "capacity {capacity}"
        );
        let mut out = Vec::new();
        read::DeflateEncoder::with_capacity(&input[..], Level::FAST, capacity)
            .read_to_end(&mut out)
            .unwrap();
        assert!(
            decode(Format::Deflate, &out).unwrap() == input,
            "capacity {capacity}"
        );
    }
}
