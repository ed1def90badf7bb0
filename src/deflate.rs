//! Levels 2..=9 over one call: tables sized to the call, then segment by segment: parse, then
//! write the cheapest block (`block_choice.rs`). Level 2 parses with level 1's match finder
//! (`lz77::scan_emit`) over the whole call; levels 3..=9 with `parse.rs`.
//!
//! Working memory, all on the stack of the call: the match finder's tables (level 2: 32 KiB;
//! hash chains: `2 * (HASH + WIN)` bytes, and `2 * HASH3` for a 3-byte table) and the sequences
//! of one segment (4 bytes each), sized to the call: under 10 KiB for calls of at most 1 KiB,
//! about 30 KiB up to 4 KiB, 94 KiB up to 16 KiB; above, 214 KiB with 64 KiB segments (with
//! their block-split marks, 20 KiB) or 198 KiB with 32 KiB ones, plus about 10 KiB while a
//! block's code is built. Each call size's instance of `run` and `scan` has its own stack frame
//! (`small_calls_need_little_stack` in `tests/api.rs`).

use crate::bits::BitWriter;
use crate::block_choice::write_segment;
use crate::levels::{LEVEL2_PIECE_SCAN as L2P, LEVEL2_SCAN as L2};
use crate::lz77::scan_emit;
use crate::match_finder::Chains;
use crate::parse::{parse_segment, ParseParams};
use crate::tokens::{max_seqs, Tokens, LONG_MAX_SEQS, LONG_SEGMENT, MARK_BYTES, MAX_SEQS, SEGMENT};

/// Compresses `input` at the level with parse parameters `p`; final block if `last`.
pub(crate) fn deflate_chains(w: &mut BitWriter<'_>, input: &[u8], last: bool, p: &ParseParams) {
    // Calls of at most 16 KiB are one segment and do not split their blocks: they gain too
    // little for the cost (docs/tuning.md). The third parameter: the 3-byte table's size
    // (`small` leaves it out where unused).
    match input.len() {
        0..=1024 => small::<1024, 1024, 1024, { max_seqs(1024, 3) }>(w, input, last, p),
        1025..=4096 => small::<4096, 4096, 4096, { max_seqs(4096, 3) }>(w, input, last, p),
        4097..=16384 => small::<16384, 16384, 4096, { max_seqs(16384, 3) }>(w, input, last, p),
        // Larger calls: segments split into blocks at their marks (`block_split.rs`); without
        // 3-byte matches they are twice as long.
        _ if input.len() <= p.len3_up_to => {
            const M: usize = SEGMENT / MARK_BYTES;
            run::<32768, 32768, 8192, MAX_SEQS, M, SEGMENT>(w, input, last, p)
        }
        _ => {
            const M: usize = LONG_SEGMENT / MARK_BYTES;
            run::<32768, 32768, 0, LONG_MAX_SEQS, M, LONG_SEGMENT>(w, input, last, p)
        }
    }
}

/// `run` for a call of at most `HASH` bytes (one segment), with a 3-byte table of `H3` entries
/// where the level takes 3-byte matches in a call of this size, else with none (no table to
/// clear, no insertions into it).
#[inline(always)]
fn small<const HASH: usize, const WIN: usize, const H3: usize, const N: usize>(
    w: &mut BitWriter<'_>,
    input: &[u8],
    last: bool,
    p: &ParseParams,
) {
    if input.len() <= p.len3_up_to {
        run::<HASH, WIN, H3, N, 0, HASH>(w, input, last, p)
    } else {
        run::<HASH, WIN, 0, N, 0, HASH>(w, input, last, p)
    }
}

// Not inlined: inlined into `deflate_chains`, the tables of all its instances could share one
// stack frame, which then holds several of them at once.
#[inline(never)]
fn run<
    const HASH: usize,
    const WIN: usize,
    const H3: usize,
    const N: usize,
    const M: usize,
    const SEG: usize,
>(
    w: &mut BitWriter<'_>,
    input: &[u8],
    last: bool,
    p: &ParseParams,
) {
    // Room for every sequence of a segment: matches of 3 bytes and more in segments of up to
    // `SEG - 1 + MAX_MATCH` bytes (or the whole call, when it is at most `SEG`); long segments
    // only without 3-byte matches.
    const {
        assert!(
            (SEG == HASH && N >= max_seqs(SEG, 3))
                || (SEG == SEGMENT && N >= MAX_SEQS)
                || (SEG == LONG_SEGMENT && H3 == 0 && N >= LONG_MAX_SEQS)
        )
    };
    let mut chains = Chains::<HASH, WIN, H3>::new();
    let mut tokens = Tokens::<N, M>::new();
    let mut start = 0;
    while start < input.len() {
        tokens.clear();
        let end =
            parse_segment::<HASH, WIN, H3, N, M, SEG>(input, start, &mut chains, &mut tokens, p);
        tokens.end();
        let last = last && end == input.len();
        write_segment(w, input, start, end, &tokens, last, p.split);
        start = end;
    }
}

/// `scan` with the parse `$p` (a `ScanParams` constant), a table of `$table` entries, room for
/// the sequences of `$bytes` input bytes, and `$near` (`lz77::scan_emit`'s `NEAR`: calls of at
/// most 32 KiB, where no candidate can be too far, skip the distance checks).
macro_rules! level2_scan {
    ($p:expr, $table:expr, $bytes:expr, $near:expr, $w:expr, $input:expr, $last:expr) => {
        scan::<
            { $table },
            { max_seqs($bytes, $p.min) },
            { $near },
            { $p.min },
            { $p.step },
            { $p.skip_after },
            { $p.skip },
            { $p.len16 },
            { $p.lazy },
            { $p.tail },
        >($w, $input, $last)
    };
}

/// Level 2: level 1's scan (`LEVEL2_SCAN`; `LEVEL2_PIECE_SCAN` in calls of 4-16 KiB) with one
/// table across the whole call, segments of exactly `SEGMENT` bytes (matches end within their
/// segment), each written with the cheapest code.
pub(crate) fn deflate_scan(w: &mut BitWriter<'_>, input: &[u8], last: bool) {
    match input.len() {
        0..=1024 => level2_scan!(L2, 1024, 1024, true, w, input, last),
        1025..=4096 => level2_scan!(L2, 4096, 4096, true, w, input, last),
        4097..=16384 => level2_scan!(L2P, L2P.table, 16384, true, w, input, last),
        _ => level2_scan!(L2, L2.table, SEGMENT, false, w, input, last),
    }
}

// Not inlined, as `run`.
#[inline(never)]
fn scan<
    const TABLE: usize,
    const N: usize,
    const NEAR: bool,
    const MIN: usize,
    const STEP: usize,
    const SKIP_AFTER: usize,
    const SKIP: u32,
    const LEN16: bool,
    const LAZY: bool,
    const TAIL: usize,
>(
    w: &mut BitWriter<'_>,
    input: &[u8],
    last: bool,
) {
    let mut table = [0u16; TABLE];
    let mut tokens = Tokens::<N>::new();
    let mut start = 0;
    while start < input.len() {
        let end = input.len().min(start + SEGMENT);
        tokens.clear();
        let (_, lit) = scan_emit::<TABLE, MIN, STEP, SKIP_AFTER, SKIP, NEAR, LEN16, LAZY, TAIL, _>(
            &mut tokens,
            input,
            start,
            end,
            &mut table,
        );
        tokens.literals(&input[lit..end]);
        tokens.end();
        write_segment(
            w,
            input,
            start,
            end,
            &tokens,
            last && end == input.len(),
            false,
        );
        start = end;
    }
}
