//! The parsers of levels 3..=9: which matches of the hash chains (`match_finder.rs`) become
//! sequences (`tokens.rs`), one segment at a time.
//!
//! * Greedy: the longest match found at a position is taken.
//! * Lazy: before taking a match, the next position is searched too; if it has a longer match,
//!   the current byte becomes a literal and the search moves on (zlib's levels 4-9).
//!
//! A segment ends at the first sequence boundary at or after `tokens::SEGMENT` bytes (or at the
//! end of the input), so it holds at most `SEGMENT - 1 + MAX_MATCH` bytes. Matches may reach
//! back into earlier segments of the same call, never before it.

use crate::lz77::MAX_MATCH;
use crate::match_finder::{Chains, Effort};
use crate::tokens::{Tokens, SEGMENT};

/// How a level parses (see `levels.rs` for each level's values).
#[derive(Clone, Copy, Debug)]
pub(crate) struct ParseParams {
    /// Candidates compared per search.
    pub(crate) depth: u32,
    /// A match at least this long is taken at once: no further candidates, no lazy step.
    pub(crate) nice: usize,
    /// Lazy matching (else greedy).
    pub(crate) lazy: bool,
    /// Lazy: when the next position has no better match, also look at the one after it.
    pub(crate) lazy2: bool,
    /// Lazy: candidates compared at the next position (the look ahead needs fewer than the
    /// search it may replace) ...
    pub(crate) lazy_depth: u32,
    /// ... or a quarter of `depth` when the current match is at least this long.
    pub(crate) good: usize,
    /// Positions inside a match are inserted into the chains only for matches of at most this
    /// length (longer ones insert their last two positions): skipping them saves time on
    /// long matches, at a small cost in later matches.
    pub(crate) insert_max: usize,
    /// Blocks may end inside a segment where the statistics change (`block_split.rs`).
    pub(crate) split: bool,
}

/// Shortest match the chains find (they hash and compare 4 bytes).
const MIN_MATCH: usize = 4;

/// Whether the match `(next_len, next_dist)` a position or two on beats `(len, dist)` by more
/// than `margin` (it costs the bytes before it as literals): each byte of length is worth about
/// four bits of distance (a distance's extra bits grow by one per doubling), as libdeflate's
/// lazy parsers weigh them.
#[inline(always)]
fn better_next(len: usize, dist: usize, next_len: usize, next_dist: usize, margin: isize) -> bool {
    let bits = |d: usize| (usize::BITS - 1 - d.leading_zeros()) as isize;
    next_len >= len && 4 * (next_len - len) as isize + bits(dist) - bits(next_dist) > margin
}

/// Parses `input[start..]` into `tokens` until the segment ends; returns its end. `tokens`
/// must be cleared; it is not closed (`Tokens::end`).
pub(crate) fn parse_segment<const HASH: usize, const WIN: usize, const N: usize, const M: usize>(
    input: &[u8],
    start: usize,
    chains: &mut Chains<HASH, WIN>,
    tokens: &mut Tokens<N, M>,
    p: &ParseParams,
) -> usize {
    let n = input.len();
    let target = n.min(start + SEGMENT);
    // Positions from which 4 bytes can be hashed.
    let last_hashable = n.saturating_sub(MIN_MATCH - 1);
    let effort = Effort {
        depth: p.depth,
        nice: p.nice,
    };
    let lazy_effort = Effort {
        depth: p.lazy_depth.max(1),
        nice: p.nice,
    };
    let good_effort = Effort {
        depth: (p.depth / 4).max(1),
        nice: p.nice,
    };
    let mut pos = start;
    while pos < target {
        if pos >= last_hashable {
            tokens.literal(input[pos]);
            pos += 1;
            continue;
        }
        let (mut len, mut dist) = chains.find(input, pos, n, MIN_MATCH - 1, effort);
        if dist == 0 {
            tokens.literal(input[pos]);
            pos += 1;
            continue;
        }
        // Positions up to `searched` are in the chains.
        let mut searched = pos;
        if p.lazy {
            // The lazy step stays inside the segment: the only sequence to cross `target` is
            // a match that starts before it, so a segment holds at most
            // `SEGMENT - 1 + MAX_MATCH` bytes (what `tokens::MAX_SEQS` is sized for).
            while len < p.nice && pos + 1 < last_hashable && pos + 1 < target {
                let e = if len >= p.good {
                    good_effort
                } else {
                    lazy_effort
                };
                let (l2, d2) = chains.find(input, pos + 1, n, len - 1, e);
                searched = pos + 1;
                if d2 != 0 && better_next(len, dist, l2, d2, 2) {
                    tokens.literal(input[pos]);
                    pos += 1;
                    (len, dist) = (l2, d2);
                    continue;
                }
                // Lazy2: two positions on, a much better match is worth two literals.
                if !p.lazy2 || pos + 2 >= last_hashable || pos + 2 >= target {
                    break;
                }
                let e2 = Effort {
                    depth: (e.depth / 2).max(1),
                    nice: p.nice,
                };
                let (l3, d3) = chains.find(input, pos + 2, n, len - 1, e2);
                searched = pos + 2;
                if d3 == 0 || !better_next(len, dist, l3, d3, 6) {
                    break;
                }
                tokens.literal(input[pos]);
                tokens.literal(input[pos + 1]);
                pos += 2;
                (len, dist) = (l3, d3);
            }
        }
        tokens.matched(len, dist);
        let end = pos + len;
        tokens.mark(end - start);
        let ins_end = end.min(last_hashable);
        if len <= p.insert_max {
            for q in searched + 1..ins_end {
                chains.insert(input, q);
            }
        } else {
            for q in (searched + 1).max(end.saturating_sub(2))..ins_end {
                chains.insert(input, q);
            }
        }
        pos = end;
    }
    debug_assert!(pos - start <= SEGMENT - 1 + MAX_MATCH);
    pos
}
