//! The parsers of levels 3..=9: which matches of the hash chains (`match_finder.rs`) become
//! sequences (`tokens.rs`), one segment at a time.
//!
//! * Greedy: the longest match found at a position is taken.
//! * Lazy: before taking a match, the next position is searched too; if it has a better match
//!   (`better_next`), the current byte becomes a literal and the search moves on (zlib's and
//!   libdeflate's levels 4-9).
//! * Lazy2: if not, the position after it too, where a much better match is worth two literals.
//! * 3-byte matches, near ones only, in data of varied bytes (`varied`), else 4 bytes at least.
//!
//! A segment ends at the first sequence boundary at or after `SEG` bytes (`tokens::SEGMENT` or
//! `LONG_SEGMENT`), or at the end of the input, so it holds at most `SEG - 1 + MAX_MATCH` bytes.
//! Matches may reach back into earlier segments of the same call, never before it.

use crate::lz77::MAX_MATCH;
use crate::match_finder::{Chains, Effort};
use crate::tokens::Tokens;

/// How a level parses (see `levels.rs` for each level's values).
#[derive(Clone, Copy, Debug)]
pub(crate) struct ParseParams {
    /// Candidates compared per search.
    pub(crate) depth: u32,
    /// A match at least this long is taken at once: no further candidates, no lazy step.
    pub(crate) nice: usize,
    /// Lazy matching (else greedy).
    pub(crate) lazy: bool,
    /// Lazy, in calls of at most this many bytes (0: none, [`ALL`]: every call): when the next
    /// position has no better match, also look at the one after it ("lazy2").
    pub(crate) lazy2_up_to: usize,
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
    /// In calls of at most this many bytes (0: none, [`ALL`]: every call), matches of 3 bytes
    /// (at most `match_finder::MAX_DIST3` back) in segments of varied data (`varied`); the
    /// shortest match is 4 bytes otherwise.
    pub(crate) len3_up_to: usize,
}

/// For `ParseParams::lazy2_up_to` and `len3_up_to`: calls of any size.
pub(crate) const ALL: usize = usize::MAX;

/// Shortest match the chains find (they hash and compare 4 bytes).
const MIN_MATCH: usize = 4;

/// Whether data that starts with `sample` is varied enough for 3-byte matches to pay: it uses
/// at least 80 different byte values (libdeflate's threshold), so its literals are dear.
/// libdeflate's longer minimum for data of few values is left out (`docs/tuning.md`).
fn varied(sample: &[u8]) -> bool {
    let mut used = [false; 256];
    for &b in sample {
        used[b as usize] = true;
    }
    used.iter().filter(|&&u| u).count() >= 80
}

/// Whether the match `(next_len, next_dist)` a position or two on beats `(len, dist)` by more
/// than `margin` (it costs the bytes before it as literals): each byte of length is worth about
/// four bits of distance (a distance's extra bits grow by one per doubling), as libdeflate's
/// lazy parsers weigh them.
#[inline(always)]
fn better_next(len: usize, dist: usize, next_len: usize, next_dist: usize, margin: isize) -> bool {
    let bits = |d: usize| (usize::BITS - 1 - d.leading_zeros()) as isize;
    next_len >= len && 4 * (next_len - len) as isize + bits(dist) - bits(next_dist) > margin
}

/// Parses `input[start..]` into `tokens` until the segment ends, at the first sequence boundary
/// at or after `SEG` bytes; returns its end. `tokens` must be cleared; it is not closed
/// (`Tokens::end`).
pub(crate) fn parse_segment<
    const HASH: usize,
    const WIN: usize,
    const HASH3: usize,
    const N: usize,
    const M: usize,
    const SEG: usize,
>(
    input: &[u8],
    start: usize,
    chains: &mut Chains<HASH, WIN, HASH3>,
    tokens: &mut Tokens<N, M>,
    p: &ParseParams,
) -> usize {
    let n = input.len();
    let target = n.min(start + SEG);
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
    let lazy2 = n <= p.lazy2_up_to;
    // 3-byte matches: the segment's first 4 KiB decide, as in libdeflate (only with the table
    // that finds them).
    let min_len = if HASH3 > 0 && n <= p.len3_up_to && varied(&input[start..n.min(start + 4096)]) {
        3
    } else {
        MIN_MATCH
    };
    let mut pos = start;
    while pos < target {
        if pos >= last_hashable {
            tokens.literal(input[pos]);
            pos += 1;
            continue;
        }
        let (mut len, mut dist) = chains.find(input, pos, n, min_len - 1, effort);
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
            // `SEG - 1 + MAX_MATCH` bytes (what the caller sized `tokens` for).
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
                if !lazy2 || pos + 2 >= last_hashable || pos + 2 >= target {
                    break;
                }
                // A quarter of the depth, as libdeflate's lazy2.
                let e2 = Effort {
                    depth: (e.depth / 4).max(1),
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
    debug_assert!(pos - start <= SEG - 1 + MAX_MATCH);
    pos
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::levels::LADDER;
    use crate::tokens::max_seqs;

    /// The sequences' matches `(len, dist)` of `input` parsed whole at `level`.
    fn matches(input: &[u8], level: usize) -> std::vec::Vec<(usize, usize)> {
        let mut chains = Chains::<16384, 16384, 4096>::new();
        let mut tokens = std::boxed::Box::new(Tokens::<{ max_seqs(16384, 3) }>::new());
        let end = parse_segment::<_, _, _, _, _, 16384>(
            input,
            0,
            &mut chains,
            &mut tokens,
            &LADDER[level - 3],
        );
        assert_eq!(end, input.len());
        let seqs = tokens.seqs().iter().filter(|s| s.dist() != 0);
        seqs.map(|s| (s.len(), s.dist())).collect()
    }

    /// Varied data (random bytes) with the 3 bytes "Q#z" repeated 53 bytes on: levels that take
    /// 3-byte matches in small calls (6) find it, the others (5) do not, and data of few byte
    /// values (the same with every byte reduced to 16 values) gets none.
    #[test]
    fn three_byte_matches_only_in_varied_data() {
        let mut x = 7u32;
        let mut random = |n: usize| -> std::vec::Vec<u8> {
            (0..n)
                .map(|_| {
                    x = x.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                    (x >> 24) as u8
                })
                .collect()
        };
        let mut input = random(4096);
        input.extend(b"Q#z");
        input.extend(random(50));
        input.extend(b"Q#z");
        input.extend(random(100));
        assert!(varied(&input[..4096]));
        assert!(matches(&input, 6).contains(&(3, 53)));
        assert!(matches(&input, 5).iter().all(|&(len, _)| len >= 4));
        let few: std::vec::Vec<u8> = input.iter().map(|&b| b'a' + (b & 15)).collect();
        assert!(!varied(&few[..4096]));
        assert!(matches(&few, 6).iter().all(|&(len, _)| len >= 4));
    }
}
