//! Property tests: arbitrary data × chunk plan × flush plan × format × level (with level
//! switches) round-trips through two decoders, and the bound holds on every call.

mod common;

use common::inflate::inflate_strict;
use common::{assert_round_trip, haproxy_bound};
use proptest::prelude::*;
use slz::{Encoder, Error, Flush, Format, Level};

/// Data that exercises both the match finder and the stored path: random bytes, runs, repeats of
/// earlier data, bytes >= 144 (9-bit literals), and ASCII bytes only (level 1's ASCII codes,
/// which have no code for bytes over 127).
fn data() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        prop::collection::vec(any::<u8>(), 0..2000),
        (any::<u8>(), 0..5000usize).prop_map(|(b, n)| vec![b; n]),
        prop::collection::vec(144u8..=255, 0..3000),
        (prop::collection::vec(any::<u8>(), 1..40), 1..300usize).prop_map(|(p, n)| p.repeat(n)),
        prop::collection::vec(0u8..128, 0..3000),
        (prop::collection::vec(0u8..128, 1..40), 1..300usize).prop_map(|(p, n)| p.repeat(n)),
    ];
    prop::collection::vec(piece, 0..8).prop_map(|v| v.concat())
}

#[derive(Debug, Clone)]
struct Call {
    len: usize,
    flush: Flush,
    level: Option<u32>,
    short_by: Option<usize>,
}

fn calls() -> impl Strategy<Value = Vec<Call>> {
    let flush = prop_oneof![Just(Flush::None), Just(Flush::Sync), Just(Flush::Finish)];
    let call = (
        prop_oneof![0..3usize, 0..2000usize, 0..70_000usize],
        flush,
        prop::option::weighted(0.2, 0..=9u32),
        prop::option::weighted(0.2, 1..100usize),
    )
        .prop_map(|(len, flush, level, short_by)| Call {
            len,
            flush,
            level,
            short_by,
        });
    prop::collection::vec(call, 0..12)
}

fn format() -> impl Strategy<Value = Format> {
    prop_oneof![
        Just(Format::Gzip),
        Just(Format::Zlib),
        Just(Format::Deflate)
    ]
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 1000,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn any_calls_round_trip_within_the_bound(
        data in data(),
        plan in calls(),
        format in format(),
        level in 0..=9u32,
    ) {
        let mut enc = Encoder::new(format, Level::new(level).unwrap());
        let mut stream = Vec::new();
        let mut pos = 0;
        for c in &plan {
            if let Some(l) = c.level {
                enc.set_level(Level::new(l).unwrap());
            }
            let len = c.len.min(data.len() - pos);
            let input = &data[pos..pos + len];
            let bound = enc.max_output_len_with(input.len(), c.flush);
            prop_assert!(bound <= enc.max_output_len(input.len()));
            prop_assert!(enc.max_output_len(input.len()) <= haproxy_bound(input.len()));
            if enc.is_finished() {
                let mut out = vec![0; 64];
                let r = enc.compress(input, &mut out, c.flush);
                if input.is_empty() && c.flush == Flush::Finish {
                    prop_assert_eq!(r, Ok(0));
                } else {
                    prop_assert_eq!(r, Err(Error::Finished));
                }
                continue;
            }
            if let (Some(short), true) = (c.short_by, bound > 0) {
                let mut out = vec![0; bound.saturating_sub(short)];
                prop_assert_eq!(
                    enc.compress(input, &mut out, c.flush),
                    Err(Error::OutputTooSmall { needed: bound })
                );
            }
            let mut out = vec![0; bound];
            let n = enc.compress(input, &mut out, c.flush).unwrap();
            prop_assert!(n <= bound);
            stream.extend_from_slice(&out[..n]);
            pos += len;
            if c.flush == Flush::Sync && format == Format::Deflate {
                // Everything so far decodes: the stream ends with a sync marker.
                prop_assert!(n == 0 || stream.ends_with(&[0, 0, 0xff, 0xff]));
            }
        }
        if !enc.is_finished() {
            let rest = &data[pos..];
            let mut out = vec![0; enc.max_output_len(rest.len())];
            let n = enc.compress(rest, &mut out, Flush::Finish).unwrap();
            stream.extend_from_slice(&out[..n]);
            pos = data.len();
        }
        let given = &data[..pos];
        assert_round_trip(format, &stream, given, "proptest");
        let (out, _) = inflate_strict(format, &stream).map_err(|e| TestCaseError::fail(e.0))?;
        prop_assert!(out == given);
    }
}
