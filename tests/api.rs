//! The API promises that are not about stream contents: state size, levels, errors, determinism,
//! statelessness across calls, and the stack budget of one call.

mod common;

use common::inflate::inflate_strict;
use common::{compress_plan, haproxy_bound, web_like, Rng, FORMATS, LEVELS};
use slz::{compress_to_vec, Encoder, Error, Flush, Format, GzipHeader, Level};

#[test]
fn encoder_state_fits_in_64_bytes() {
    let size = core::mem::size_of::<Encoder>();
    eprintln!("size_of::<Encoder>() = {size}");
    assert!(size <= 64, "Encoder is {size} bytes");
}

#[test]
fn levels_0_to_9_are_accepted_and_others_rejected() {
    for n in 0..=9 {
        assert_eq!(Level::new(n).unwrap().get(), n);
    }
    for n in [10, 11, 100, u32::MAX] {
        assert_eq!(Level::new(n), Err(Error::BadLevel(n)));
        assert!(Level::try_from(n).is_err());
    }
    assert_eq!(Level::new(0).unwrap(), Level::NONE);
    assert_eq!(Level::new(1).unwrap(), Level::FAST);
    assert_eq!(Level::default(), Level::FAST);
}

/// Every level does what it says and no level is less dense than the one below it, whole and
/// in 16 KiB and 1 KiB calls with sync flushes.
#[test]
fn levels_are_monotone() {
    let data = web_like(1, 300_000);
    for call in [data.len(), 16384, 1024] {
        let plan = common::even_plan(data.len(), call, Flush::Sync);
        let mut sizes = Vec::new();
        for n in 0..=9 {
            let level = Level::new(n).unwrap();
            assert_eq!(level.effective(), n);
            let stream = compress_plan(Format::Deflate, level, &data, &plan);
            sizes.push(stream.len());
        }
        eprintln!("calls of {call}: sizes by level {sizes:?}");
        for n in 1..=9 {
            assert!(
                sizes[n] <= sizes[n - 1],
                "calls of {call}: level {n} {sizes:?}"
            );
        }
        assert!(sizes[2] < sizes[1] && sizes[9] < sizes[2], "{sizes:?}");
    }
}

#[test]
fn errors_display_clearly() {
    let e = Error::OutputTooSmall { needed: 42 };
    assert!(e.to_string().contains("42"));
    assert!(Error::Finished.to_string().contains("finished"));
    assert!(Error::BadLevel(12).to_string().contains("12"));
    let boxed: Box<dyn std::error::Error> = Box::new(Error::Finished);
    assert!(!boxed.to_string().is_empty());
}

#[test]
fn output_is_deterministic() {
    let data = web_like(2, 200_000);
    for format in FORMATS {
        for level in LEVELS {
            let a = compress_to_vec(&data, format, level);
            let b = compress_to_vec(&data, format, level);
            assert_eq!(a, b);
        }
    }
}

#[test]
fn gzip_header_fields_can_be_set() {
    let mut enc = Encoder::new(Format::Gzip, Level::FAST).with_gzip_header(GzipHeader {
        mtime: 0x0102_0304,
        os: 3,
    });
    let mut out = vec![0; enc.max_output_len(5)];
    let n = enc.compress(b"hello", &mut out, Flush::Finish).unwrap();
    assert_eq!(out[4..8], [4, 3, 2, 1]);
    assert_eq!(out[9], 3);
    assert_eq!(inflate_strict(Format::Gzip, &out[..n]).unwrap().0, b"hello");
    enc.reset();
    assert_eq!(enc.gzip_header().os, 3, "reset keeps the header fields");
}

#[test]
fn the_header_is_written_by_the_first_call_that_writes() {
    for format in FORMATS {
        let mut enc = Encoder::new(format, Level::FAST);
        let mut out = vec![0; 64];
        assert_eq!(enc.compress(&[], &mut out, Flush::None), Ok(0));
        assert_eq!(enc.compress(&[], &mut out, Flush::Sync), Ok(0));
        let n = enc.compress(b"a", &mut out, Flush::None).unwrap();
        assert!(n >= format.header_len());
        assert_eq!(enc.total_out(), n as u64);
    }
}

/// No back-reference crosses a call: the same bytes compressed in a second call compress exactly
/// as if the first call's data had never been seen.
#[test]
fn no_back_reference_crosses_a_call() {
    let secret = web_like(3, 5000);
    let other = web_like(33, 5000);
    for format in FORMATS {
        // Two encoders in the same framing state (after a sync flush), one of which has just
        // seen the same bytes: their next call must be byte-identical.
        let second_call = |first: &[u8]| {
            let mut enc = Encoder::new(format, Level::FAST);
            let mut out = vec![0; enc.max_output_len(secret.len())];
            enc.compress(first, &mut out, Flush::Sync).unwrap();
            let n = enc.compress(&secret, &mut out, Flush::Sync).unwrap();
            out.truncate(n);
            out
        };
        assert_eq!(
            second_call(&secret),
            second_call(&other),
            "{format:?}: the second call used the first call's bytes"
        );
    }
    // And through a decoder's eyes: every match of every call stays inside that call.
    let data = b"attacker-controlled: token=abcdef0123456789 ".repeat(100);
    let plan: Vec<(usize, Flush)> = (0..10).map(|_| (data.len() / 10, Flush::Sync)).collect();
    let stream = compress_plan(Format::Deflate, Level::FAST, &data, &plan);
    let (out, st) = inflate_strict(Format::Deflate, &stream).unwrap();
    assert_eq!(out, data);
    assert!(
        st.max_dist < data.len() / 10,
        "a match reached {} bytes back",
        st.max_dist
    );
}

/// A call's working memory lives on the stack and stays within its level's documented figure
/// (`Level::working_memory`): plus 64 KiB, it is enough stack for any call at that level.
#[test]
fn one_call_fits_in_its_documented_stack() {
    let data = web_like(4, 1 << 20);
    let random = Rng::new(5).bytes(200_000);
    for n in 0..=9 {
        let level = Level::new(n).unwrap();
        let (data, random) = (data.clone(), random.clone());
        let stack = level.working_memory() + 64 * 1024;
        let handle = std::thread::Builder::new()
            .stack_size(stack)
            .spawn(move || {
                let mut total = 0;
                for input in [
                    &data[..],
                    &random[..],
                    &data[..16384],
                    &data[..1000],
                    &data[..100],
                ] {
                    for format in FORMATS {
                        let mut enc = Encoder::new(format, level);
                        let mut out = vec![0; enc.max_output_len(input.len())];
                        total += enc.compress(input, &mut out, Flush::Finish).unwrap();
                    }
                }
                total
            })
            .unwrap();
        let total = handle.join();
        assert!(
            total.is_ok_and(|t| t > 0),
            "level {n} overflowed a {stack}-byte stack"
        );
    }
}

/// Working memory is sized to the call: 1 KiB calls (a stream's small pieces) at every level
/// run on a 64 KiB stack, a fraction of the largest figure. (When every call size's tables
/// shared one stack frame, a 1 KiB call at levels 3-9 needed 200 KiB.) A stack overflow aborts
/// the test binary.
#[test]
fn small_calls_need_little_stack() {
    let data = web_like(6, 64 * 1024);
    for n in 0..=9 {
        let level = Level::new(n).unwrap();
        let data = data.clone();
        let handle = std::thread::Builder::new()
            .stack_size(64 * 1024)
            .spawn(move || {
                let mut enc = Encoder::new(Format::Gzip, level);
                let mut out = vec![0; enc.max_output_len_with(1024, Flush::Sync)];
                let mut total = 0;
                for piece in data.chunks(1024) {
                    total += enc.compress(piece, &mut out, Flush::Sync).unwrap();
                }
                total
            })
            .unwrap();
        assert!(handle.join().is_ok_and(|t| t > 0), "level {n}");
    }
}

#[test]
fn max_output_len_is_within_the_haproxy_allowance_in_every_state() {
    for format in FORMATS {
        for level in LEVELS {
            let mut enc = Encoder::new(format, level);
            let mut r = Rng::new(6);
            for _ in 0..50 {
                for len in [0, 1, 2, 100, 32767, 32768, 32769, 65535, 65536, 1 << 20] {
                    let bound = enc.max_output_len(len);
                    assert!(bound <= haproxy_bound(len), "{format:?} {len}: {bound}");
                }
                let n = r.below(40);
                let piece = r.bytes(n);
                let mut out = vec![0; enc.max_output_len(piece.len())];
                enc.compress(&piece, &mut out, Flush::None).unwrap();
            }
            assert_eq!(enc.max_output_len(usize::MAX), usize::MAX, "saturates");
        }
    }
}

#[test]
fn level_can_change_between_calls() {
    let data = web_like(7, 300_000);
    for format in FORMATS {
        let mut enc = Encoder::new(format, Level::FAST);
        let mut stream = Vec::new();
        for (i, piece) in data.chunks(16384).enumerate() {
            enc.set_level([Level::NONE, Level::FAST][i % 2]);
            let mut out = vec![0; enc.max_output_len(piece.len())];
            let n = enc.compress(piece, &mut out, Flush::Sync).unwrap();
            stream.extend_from_slice(&out[..n]);
        }
        let mut out = vec![0; enc.max_output_len(0)];
        let n = enc.compress(&[], &mut out, Flush::Finish).unwrap();
        stream.extend_from_slice(&out[..n]);
        let (decoded, st) = inflate_strict(format, &stream).unwrap();
        assert_eq!(decoded, data);
        assert!(st.stored_blocks > 0 && st.fixed_blocks + st.dynamic_blocks > 0);
    }
}

#[test]
fn saved_state_continues_the_same_stream() {
    let data = web_like(11, 200_000);
    for format in FORMATS {
        for level in LEVELS {
            let plan = [(1000, Flush::None), (30_000, Flush::Sync), (5, Flush::None)];
            let whole = compress_plan(format, level, &data, &plan);
            // The same calls, with the encoder saved to bytes and restored between every two.
            let mut enc = Encoder::new(format, level);
            let mut stream = Vec::new();
            let mut pos: usize = 0;
            for (i, &(len, flush)) in plan
                .iter()
                .chain(&[(usize::MAX, Flush::Finish)])
                .enumerate()
            {
                let piece: &[u8] = &data[pos..pos.saturating_add(len).min(data.len())];
                pos += piece.len();
                let mut out = vec![0; enc.max_output_len_with(piece.len(), flush)];
                let n = enc.compress(piece, &mut out, flush).unwrap();
                stream.extend_from_slice(&out[..n]);
                let saved = enc.to_bytes();
                enc = Encoder::from_bytes(&saved).unwrap();
                assert_eq!(enc.to_bytes(), saved, "call {i}");
            }
            assert_eq!(stream, whole, "{format:?} level {}", level.get());
            assert!(enc.is_finished());
        }
    }
}

#[test]
fn saved_state_bytes_that_no_encoder_wrote_are_refused() {
    let enc = Encoder::new(Format::Gzip, Level::FAST);
    let good = enc.to_bytes();
    assert!(Encoder::from_bytes(&good).is_ok());
    let bad: [(usize, u8); 8] = [
        (0, 0),  // layout tag
        (1, 3),  // format
        (2, 10), // level
        (3, 8),  // unknown flag
        (5, 8),  // 8 pending bits
        (4, 1),  // a pending bit but a count of 0
        (3, 2),  // finished without a header
        (7, 1),  // reserved byte
    ];
    for (at, value) in bad {
        let mut b = good;
        b[at] = value;
        assert_eq!(
            Encoder::from_bytes(&b).err(),
            Some(Error::BadState),
            "byte {at} = {value}"
        );
    }
    assert_eq!(
        Encoder::from_bytes(&[0; Encoder::STATE_LEN]).err(),
        Some(Error::BadState)
    );
    assert!(Error::BadState.to_string().contains("state"));
}

#[test]
fn write_header_sends_the_header_once() {
    for format in FORMATS {
        let mut enc = Encoder::new(format, Level::FAST);
        let mut small = vec![0; format.header_len().saturating_sub(1)];
        if format.header_len() > 0 {
            assert_eq!(
                enc.write_header(&mut small),
                Err(Error::OutputTooSmall {
                    needed: format.header_len()
                })
            );
        }
        let mut out = vec![0; 16];
        let n = enc.write_header(&mut out).unwrap();
        assert_eq!(n, format.header_len());
        let mut stream = out[..n].to_vec();
        assert_eq!(enc.write_header(&mut out), Ok(0), "a second header");
        let mut out = vec![0; enc.max_output_len(5)];
        let m = enc.compress(b"hello", &mut out, Flush::Finish).unwrap();
        stream.extend_from_slice(&out[..m]);
        assert_eq!(inflate_strict(format, &stream).unwrap().0, b"hello");
        assert_eq!(enc.total_out(), stream.len() as u64);
        assert_eq!(enc.write_header(&mut out), Err(Error::Finished));
    }
}

#[test]
fn each_flush_needs_exactly_its_own_bound() {
    let data = web_like(12, 70_000);
    let mut r = Rng::new(13);
    for format in FORMATS {
        for level in LEVELS {
            let mut enc = Encoder::new(format, level);
            let mut pos = 0;
            while !enc.is_finished() {
                let flush = [Flush::None, Flush::Sync, Flush::None, Flush::Finish][r.below(4)];
                let len = [0, 1, 7, 3000, 40_000][r.below(5)].min(data.len() - pos);
                let piece = &data[pos..pos + len];
                let bound = enc.max_output_len_with(len, flush);
                assert!(bound <= enc.max_output_len(len));
                if bound > 0 {
                    let mut short = vec![0; bound - 1];
                    assert_eq!(
                        enc.compress(piece, &mut short, flush),
                        Err(Error::OutputTooSmall { needed: bound })
                    );
                }
                let mut out = vec![0; bound];
                let n = enc.compress(piece, &mut out, flush).unwrap();
                assert!(n <= bound);
                pos += len;
            }
        }
    }
}
