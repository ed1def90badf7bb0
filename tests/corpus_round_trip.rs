//! Round trips of every corpus file, in every format, at levels 0 and 1, under several chunk
//! plans, decoded by flate2 (zlib-rs) and by miniz_oxide; every call within `max_output_len`
//! and within the HAProxy allowance (checked in `common::compress_plan`).
//!
//! The corpus is `../shared/corpus` or `$SLZ_CORPUS`; without it these tests say so and use
//! generated data (and fail under `SLZ_STRICT=1`, which CI sets).

mod common;

use common::{
    assert_round_trip, compress_plan, corpus, even_plan, random_plan, Rng, FORMATS, LEVELS,
};
use slz::Flush;

/// Runs `plan_of(file_len)` for every file × format × level and checks the round trip.
fn matrix(
    plan_name: &str,
    prefix: Option<usize>,
    plan_of: impl Fn(usize, u64) -> Vec<(usize, Flush)>,
) {
    let files = corpus();
    let mut checked = 0;
    for (i, f) in files.iter().enumerate() {
        let data = &f.data[..prefix.map_or(f.data.len(), |p| p.min(f.data.len()))];
        // Every level on every file, each in one format (rotating, so every format meets every
        // level and file across the corpus): all ten levels stay within CI's time.
        for (l, level) in LEVELS.into_iter().enumerate() {
            {
                let format = FORMATS[(i + l) % FORMATS.len()];
                let plan = plan_of(data.len(), i as u64);
                let stream = compress_plan(format, level, data, &plan);
                let what = format!(
                    "{}/{} {format:?} level {} {plan_name}",
                    f.group,
                    f.name,
                    level.get()
                );
                assert_round_trip(format, &stream, data, &what);
                checked += 1;
            }
        }
    }
    eprintln!("{plan_name}: {checked} streams (every file at every level) round-tripped through 2 decoders");
}

#[test]
fn corpus_whole_files() {
    matrix("whole", None, |len, _| vec![(len, Flush::Finish)]);
}

#[test]
fn corpus_16k_calls_with_sync() {
    matrix("16 KiB + sync", None, |len, _| {
        even_plan(len, 16384, Flush::Sync)
    });
}

#[test]
fn corpus_1k_calls_with_sync() {
    matrix("1 KiB + sync", None, |len, _| {
        even_plan(len, 1024, Flush::Sync)
    });
}

#[test]
fn corpus_1_byte_calls_on_64k_prefix() {
    matrix("1-byte calls, 64 KiB prefix", Some(65536), |len, _| {
        even_plan(len, 1, Flush::None)
    });
}

#[test]
fn corpus_random_chunk_plan() {
    matrix("random chunk plan", None, |len, seed| {
        random_plan(&mut Rng::new(0x5eed ^ seed), len)
    });
}
