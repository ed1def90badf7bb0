//! The match finder of levels 3..=9: hash chains over the positions of one `compress` call.
//!
//! * Statelessness: both tables live on the caller's stack for one call and only ever hold
//!   positions of that call's input, so no match reaches into an earlier call.
//! * Entries are `u16`: a position plus an offset (`Chains::entry`), which starts at 32 KiB so
//!   that the tables' initial zeros lie as far back as the window reaches. In calls over
//!   32 KiB the tables slide every 32 KiB: the offset and every entry drop by 32 KiB, and
//!   entries too old to stay positive become 0. So an entry is either a real earlier position
//!   of the call or 0, at least as far back as the window reaches (libdeflate slides the same
//!   way). `prev` is indexed by entry modulo `WIN` (the offset is a multiple of `WIN`, so that
//!   is the position modulo `WIN`): it remembers the last `WIN` positions, the window (at most
//!   32 KiB). A chain falls back in time and ends at the first entry outside the window. Every
//!   candidate's bytes are compared before use: a bad entry could cost a miss, never a wrong
//!   match.
//! * Tables are sized to the call (`WIN` and `HASH` are const parameters), so a 1 KiB call
//!   clears 4 KiB of tables, not 128 KiB.

use crate::lz77::{common_len, load32, MAX_DIST, MAX_MATCH};

/// Farthest 3-byte match taken: beyond it, its distance's extra bits make it cost about as
/// much as its three literals (libdeflate's limit).
const MAX_DIST3: usize = 8192;

#[inline(always)]
fn hash<const HASH: usize>(v: u32) -> usize {
    let shift = 32 - HASH.trailing_zeros();
    (v.wrapping_mul(0x1e35_a7bd) >> shift) as usize & (HASH - 1)
}

/// Hash chains: `head` maps a hash of the next 4 bytes to the last position with that hash,
/// `prev` each position to the one before it with the same hash; with `HASH3 > 0`, `head3`
/// maps a hash of the next 3 bytes to the last position with that hash.
pub(crate) struct Chains<const HASH: usize, const WIN: usize, const HASH3: usize> {
    head: [u16; HASH],
    prev: [u16; WIN],
    /// The last position of each hash of 3 bytes: the one candidate for 3-byte matches, which
    /// the 4-byte chains cannot find.
    head3: [u16; HASH3],
    /// Added (wrapping) to a position, the entry the tables hold for it (`entry`).
    offset: usize,
}

/// The first entries are `position + FAR`, and slides keep every position's entry at least
/// `FAR` (`Chains::entry`): the tables' zeros then lie at least `MAX_DIST` back. Being a
/// multiple of every `WIN`, it keeps an entry's slot in `prev` that of its position.
const FAR: usize = MAX_DIST;

/// How hard one search looks.
#[derive(Clone, Copy)]
pub(crate) struct Effort {
    /// Candidates compared at most.
    pub(crate) depth: u32,
    /// A match this long ends the search.
    pub(crate) nice: usize,
}

impl<const HASH: usize, const WIN: usize, const HASH3: usize> Chains<HASH, WIN, HASH3> {
    const _POW2: () = assert!(
        HASH.is_power_of_two()
            && WIN.is_power_of_two()
            && WIN <= MAX_DIST
            && (HASH3 == 0 || HASH3.is_power_of_two())
    );

    pub(crate) const fn new() -> Self {
        Chains {
            head: [0; HASH],
            prev: [0; WIN],
            head3: [0; HASH3],
            offset: FAR,
        }
    }

    /// The entry of position `pos` (positions come in increasing order): `pos + offset`, kept
    /// under 2^16 by sliding the tables first when it would not be, so always in
    /// `FAR..1 << 16`.
    #[inline(always)]
    fn entry(&mut self, pos: usize) -> usize {
        let mut e = pos.wrapping_add(self.offset);
        while e >= 1 << 16 {
            self.slide();
            e -= FAR;
        }
        e
    }

    /// Moves the offset and every entry `FAR` down: entries of the last `FAR` positions stay
    /// positive, older ones become 0, which is as far back as the window reaches. Calls over
    /// 32 KiB only, once per 32 KiB.
    #[inline(never)]
    fn slide(&mut self) {
        self.offset = self.offset.wrapping_sub(FAR);
        // One loop per table: each vectorises (a chained iterator does not).
        for t in [&mut self.head[..], &mut self.prev[..], &mut self.head3[..]] {
            for e in t {
                *e = e.saturating_sub(FAR as u16);
            }
        }
    }

    /// Inserts position `pos` (`pos + 4 <= input.len()`).
    #[inline(always)]
    pub(crate) fn insert(&mut self, input: &[u8], pos: usize) {
        let e = self.entry(pos);
        let v = load32(input, pos);
        let h = hash::<HASH>(v);
        self.prev[e & (WIN - 1)] = self.head[h];
        self.head[h] = e as u16;
        if HASH3 > 0 {
            self.head3[hash::<HASH3>(v << 8)] = e as u16;
        }
    }

    /// Inserts `pos` and returns the longest match found there longer than `best` bytes
    /// (`best >= 3`, or 2 with `HASH3 > 0`), as `(len, dist)`, or `(best, 0)` if none:
    /// candidates along the chain, at most `effort.depth` of them, stopping at a match of
    /// `effort.nice` bytes, then (for `best` 2, if the chain had none) the 3-byte candidate.
    /// Matches end at `end` at the latest (`pos + 4 <= end <= input.len()`).
    #[inline(always)]
    pub(crate) fn find(
        &mut self,
        input: &[u8],
        pos: usize,
        end: usize,
        best: usize,
        effort: Effort,
    ) -> (usize, usize) {
        let input = &input[..end];
        let e = self.entry(pos);
        let cur = load32(input, pos);
        let h = hash::<HASH>(cur);
        let mut node = self.head[h] as usize;
        self.prev[e & (WIN - 1)] = node as u16;
        self.head[h] = e as u16;
        let mut entry3 = 0;
        if HASH3 > 0 {
            let h3 = hash::<HASH3>(cur << 8);
            entry3 = self.head3[h3] as usize;
            self.head3[h3] = e as u16;
        }

        let max = (end - pos).min(MAX_MATCH);
        // The next position's bucket, loaded early to have it cached for the next search or
        // insertion (libdeflate prefetches it); only where the table is larger than the L1
        // cache (in small calls it costs more than it saves).
        if HASH > 16384 && max >= 5 {
            let next = hash::<HASH>(load32(input, pos + 1));
            core::hint::black_box(self.head[next]);
        }
        let nice = effort.nice.min(max);
        let (mut best_len, mut best_dist) = (best, 0);
        // Position 0 has nothing before it; its entry, `FAR`, is also the one position whose
        // distance to the tables' zeros is within the window.
        if best_len >= max || pos == 0 {
            return (best_len, 0);
        }
        let mut depth = effort.depth;
        loop {
            // Entries fall along a chain until one leaves the window (1..=WIN back). A zero
            // is at least `FAR` back: exactly that only right after a slide, where the
            // candidate it names is still a real position (its bytes are compared anyway).
            let dist = e.wrapping_sub(node);
            if dist.wrapping_sub(1) >= WIN {
                break;
            }
            let cand = pos - dist;
            // The 4 bytes ending with the one that would make this candidate longer than the
            // best (`best_len >= 3`), then the first 4.
            let tail = best_len.saturating_sub(3);
            if load32(input, cand + tail) == load32(input, pos + tail) && load32(input, cand) == cur
            {
                let len = 4 + common_len(input, cand + 4, pos + 4, max - 4);
                if len > best_len {
                    (best_len, best_dist) = (len, dist);
                    if len >= nice {
                        break;
                    }
                }
            }
            depth -= 1;
            if depth == 0 {
                break;
            }
            node = self.prev[node & (WIN - 1)] as usize;
        }
        // No match of 4 bytes or more, and 3 would do (`best` 2): the last position with the
        // same 3-byte hash, if its bytes match and it is near enough to pay.
        if HASH3 > 0 && best_len < 3 {
            let dist = e.wrapping_sub(entry3);
            if dist.wrapping_sub(1) < MAX_DIST3.min(WIN)
                && (load32(input, pos - dist) ^ cur) & 0xff_ffff == 0
            {
                return (3, dist);
            }
        }
        (best_len, best_dist)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every match found is real and within reach, whatever the table sizes and the input's
    /// length (the tables slide in calls over 32 KiB), and 3-byte matches (asked
    /// for with `best` 2, found only with a 3-byte table) come no farther than `MAX_DIST3`.
    #[test]
    fn matches_are_real_and_in_reach() {
        let mut x = 1u32;
        let input: std::vec::Vec<u8> = (0..200_000)
            .map(|i| {
                x = x.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                if i % 3000 < 1500 {
                    b"abcdefgh"[(x >> 29) as usize]
                } else {
                    (x >> 24) as u8
                }
            })
            .collect();
        let mut small = Chains::<256, 1024, 0>::new();
        let mut big = Chains::<32768, 32768, 0>::new();
        let mut small3 = Chains::<256, 1024, 256>::new();
        let mut big3 = Chains::<32768, 32768, 8192>::new();
        let effort = Effort {
            depth: 64,
            nice: 258,
        };
        let (mut found, mut found3) = (0, 0);
        for pos in 0..input.len() - 4 {
            let n = input.len();
            for ((len, dist), best) in [
                (small.find(&input, pos, n, 3, effort), 3),
                (big.find(&input, pos, n, 3, effort), 3),
                (small3.find(&input, pos, n, 2, effort), 2),
                (big3.find(&input, pos, n, 2, effort), 2),
            ] {
                if dist != 0 {
                    found += 1;
                    assert!(len > best);
                    assert!(dist <= pos && dist <= MAX_DIST && len <= MAX_MATCH);
                    assert_eq!(input[pos - dist..pos - dist + len], input[pos..pos + len]);
                    if len == 3 {
                        found3 += 1;
                        assert!(dist <= MAX_DIST3);
                    }
                } else {
                    assert_eq!(len, best);
                }
            }
        }
        assert!(found > 100_000, "{found}");
        assert!(found3 > 1_000, "{found3}");
    }

    /// Sliding keeps every entry within the window: in a block of random bytes repeated
    /// (period under the window) over several slides, every position after the first period
    /// finds the copy one period back, and nothing nearer (random data has no other 4-byte
    /// repeats to speak of). Sliding one step too far would lose those candidates; wrapped
    /// entries would add others.
    #[test]
    fn slides_keep_the_window() {
        let mut x = 99u32;
        let block: std::vec::Vec<u8> = (0..20_000)
            .map(|_| {
                x = x.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                (x >> 24) as u8
            })
            .collect();
        let input = block.repeat(12);
        let effort = Effort {
            depth: 256,
            nice: 16,
        };
        let mut chains = Chains::<32768, 32768, 0>::new();
        let mut far = 0;
        for pos in 0..input.len() - 16 {
            let (len, dist) = chains.find(&input, pos, input.len(), 3, effort);
            if pos >= 20_000 {
                assert_eq!(dist, 20_000, "position {pos}");
                assert!(len >= 16);
            } else if dist != 0 {
                far += 1;
            }
        }
        assert!(far < 100, "{far} chance matches in the first period");
        assert!(chains.offset != FAR, "the tables never slid");
    }
}
