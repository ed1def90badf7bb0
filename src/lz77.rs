//! The match finder of levels 1 and 2: greedy LZ77 over the bytes of one `compress` call, handed
//! to a [`Sink`]: level 1 writes it straight out with the block's Huffman code (no token list),
//! level 2 collects sequences and also looks one or two positions ahead (lazy matching).
//!
//! * Statelessness: the hash table lives on the caller's stack and only ever holds positions of
//!   the current call's input, so no back-reference reaches into a previous call.
//! * The table is cleared per call and sized to the input (see `encoder.rs`), so a 100-byte call
//!   clears a 512-byte table, not a 32 KiB one.
//! * One candidate per hash slot; a candidate is accepted only after its bytes are compared with
//!   the current ones, so stale or colliding slots can never produce a wrong match. The minimum
//!   match is 4 bytes; matches never extend past the end of the block they start in.
//!
//! [`scan_emit`] writes the literal runs that end in a match and the matches; the literals after
//! the last match are left to the caller, which first checks that the block still beats a
//! stored one (`encoder.rs`).

use crate::bits::BitWriter;
use crate::block::{put_literals, put_literals_unflushed, put_match};
use crate::huffman::Code;
use crate::tokens::Tokens;

/// Where [`scan_emit`] puts each literal run and the match that ends it: level 1 writes them
/// out at once with the block's code ([`CodeWriter`]), level 2 collects them as sequences
/// ([`Tokens`]) to choose a code afterwards.
pub(crate) trait Sink {
    /// The literals `lits` (at most 2 if `FEW`), then a match of `len` bytes at `dist`.
    fn seq<const FEW: bool>(&mut self, lits: &[u8], len: usize, dist: usize);

    /// Called just before `seq` with the same literals as `input[lit..i]`, followed by the
    /// match (at least 4 bytes): a sink may read them in groups that reach up to 3 bytes past.
    #[inline(always)]
    fn before_seq<const FEW: bool>(&mut self, _input: &[u8], _lit: usize, _i: usize) {}
}

/// Level 1's sink: a bit writer and the block's code.
pub(crate) struct CodeWriter<'a, 'c> {
    pub(crate) w: BitWriter<'a>,
    pub(crate) code: &'c Code,
}

impl Sink for CodeWriter<'_, '_> {
    #[inline(always)]
    fn seq<const FEW: bool>(&mut self, lits: &[u8], len: usize, dist: usize) {
        if FEW {
            // Up to 2 literals (18 bits) and the match (35) fit one flush.
            put_literals_unflushed(&mut self.w, self.code, lits);
        } else {
            put_literals(&mut self.w, self.code, lits);
        }
        put_match(&mut self.w, self.code, len, dist);
    }
}

impl<const N: usize> Sink for &mut Tokens<N> {
    #[inline(always)]
    fn seq<const FEW: bool>(&mut self, _lits: &[u8], len: usize, dist: usize) {
        self.matched(len, dist);
    }

    /// The literals are counted here, in groups.
    #[inline(always)]
    fn before_seq<const FEW: bool>(&mut self, input: &[u8], lit: usize, i: usize) {
        self.literals_before_match::<FEW>(input, lit, i);
    }
}

/// Largest distance deflate can express.
pub(crate) const MAX_DIST: usize = 32768;
/// Longest match deflate can express.
pub(crate) const MAX_MATCH: usize = 258;
/// Matches this long are taken without the lazy look one position ahead.
const LAZY_NICE: usize = 32;
/// Matches shorter than this also look two positions ahead (`LAZY`): longer ones rarely lose
/// to a match there, and the look costs a comparison each time.
const LAZY2_BELOW: usize = 8;
/// Shortest match deflate can express that we look for (the hash covers at least 4 bytes;
/// `scan_emit`'s `MIN` may ask for more, see `encoder.rs`).
pub(crate) const MIN_MATCH: usize = 4;

#[inline(always)]
pub(crate) fn load32(input: &[u8], i: usize) -> u32 {
    let mut b = [0u8; 4];
    b.copy_from_slice(&input[i..i + 4]);
    u32::from_le_bytes(b)
}

#[inline(always)]
pub(crate) fn load64(input: &[u8], i: usize) -> u64 {
    let mut b = [0u8; 8];
    b.copy_from_slice(&input[i..i + 8]);
    u64::from_le_bytes(b)
}

#[inline(always)]
fn hash(v: u32, shift: u32) -> usize {
    (v.wrapping_mul(0x1e35_a7bd) >> shift) as usize
}

/// Hash of the low `n` (5..=7) bytes of `v` (a 64-bit multiply of the bytes shifted to the top).
#[inline(always)]
fn hash_n(v: u64, n: usize, shift: u32) -> usize {
    ((v << (64 - 8 * n)).wrapping_mul(0x9e37_79b9_7f4a_7c15) >> (shift + 32)) as usize
}

/// The table slot of the 8 bytes `v`: a hash of their first `MIN` bytes.
#[inline(always)]
fn slot<const TABLE: usize, const MIN: usize>(v: u64, shift: u32) -> usize {
    if MIN == 4 {
        hash(v as u32, shift) & (TABLE - 1)
    } else {
        hash_n(v, MIN, shift) & (TABLE - 1)
    }
}

/// Length of the common prefix of `input[a..]` and `input[b..]`, at most `max` bytes
/// (`a < b`, `b + max <= input.len()`).
#[inline(always)]
pub(crate) fn common_len(input: &[u8], a: usize, b: usize, max: usize) -> usize {
    let mut n = 0;
    while n + 8 <= max {
        let d = load64(input, a + n) ^ load64(input, b + n);
        if d != 0 {
            return n + (d.trailing_zeros() / 8) as usize;
        }
        n += 8;
    }
    while n < max && input[a + n] == input[b + n] {
        n += 1;
    }
    n
}

/// The distance to the candidate a table entry gives for position `i`. Entries are positions
/// modulo 2^16, and the table starts zeroed, so the distance is always at most `i`: it names a
/// real earlier byte (or is 0, never accepted). The bytes there are compared before use, so a
/// stale or wrapped entry costs a miss but never a wrong match.
#[inline(always)]
fn entry_dist(entry: u16, i: usize) -> usize {
    let dist = (i as u16).wrapping_sub(entry) as usize;
    debug_assert!(dist <= i);
    dist
}

/// The parameters of one parse of [`scan_emit`] (levels 1 and 2), by name.
#[derive(Clone, Copy)]
pub(crate) struct ScanParams {
    /// Hash table entries (`u16` each), a power of two.
    pub(crate) table: usize,
    /// Shortest match looked for (4..=7 bytes: the hash covers that many).
    pub(crate) min: usize,
    /// Positions the scan advances per 4 probed: 4 probes every position, 5 four of every 5,
    /// 6 four of every 6.
    pub(crate) step: usize,
    /// Literals in a row after which the step starts to grow ...
    pub(crate) skip_after: usize,
    /// ... by one position per `2^skip` further literals (`skip_after <= 2^skip`).
    pub(crate) skip: u32,
    /// Measure match lengths up to 16 bytes without a data-dependent branch.
    pub(crate) len16: bool,
    /// Look one position ahead for a longer match, the current byte then going out as a
    /// literal (after a group's fourth position with one more probe: its hash from the same
    /// load when `min` is 4, else from one more); failing that, for a match shorter than 8
    /// bytes found at a group's first or second position, two positions ahead, already probed.
    pub(crate) lazy: bool,
    /// Positions just before each match's end inserted into the table, where later matches
    /// often start: 1 (the second-last; the cheapest) or 3 (the last three, from one load;
    /// `min` at most 6).
    pub(crate) tail: usize,
}

/// Scans the block `input[start..end]` for matches (they may reach back into earlier blocks of
/// the same `input`) and hands each literal run that ends in a match, then the match, to
/// `sink`. Returns the sink (taken by value so that it stays in registers through the loop) and
/// where the literals after the last match start: the caller writes them.
/// `table` (a power of two in size) holds positions (mod 2^16) of earlier bytes of `input`.
///
/// `MIN` (4..=7) is the shortest match the fast loop looks for (it hashes that many bytes).
/// `STEP`, `SKIP_AFTER` and `SKIP`: the loop probes 4 positions, then moves on by `STEP` (4:
/// every position is probed; 5: 4 of every 5), plus one more position once `SKIP_AFTER`
/// literals have gone by since the last match and one more per `1 << SKIP` literals after that
/// (the step grows with the literal run, as in LZ4 and fdeflate), so incompressible data is
/// crossed quickly. `SKIP_AFTER` is at most `1 << SKIP`. Skipped positions are neither probed
/// nor inserted; a match found after them still extends backwards over them.
/// `NEAR`: the caller promises `end <= MAX_DIST` (calls of at most 32 KiB), so every candidate
/// but position 0's first probe (an empty slot read as distance 0) is within reach: the scan
/// starts at position 1, which has nothing to match anyway, and checks no distance.
/// `LEN16`: measure matches up to 16 bytes with one more 8-byte comparison and no branch on the
/// first one's result (2-3% faster on 16 KiB calls, where most matches are short; slightly
/// slower on whole files).
#[inline(always)]
pub(crate) fn scan_emit<
    const TABLE: usize,
    const MIN: usize,
    const STEP: usize,
    const SKIP_AFTER: usize,
    const SKIP: u32,
    const NEAR: bool,
    const LEN16: bool,
    const LAZY: bool,
    const TAIL: usize,
    S: Sink,
>(
    mut sink: S,
    input: &[u8],
    start: usize,
    end: usize,
    table: &mut [u16; TABLE],
) -> (S, usize) {
    let shift = 32 - TABLE.trailing_zeros();
    // Everything this block reads lies before `end`: bounding the slice lets the compiler
    // check `i + 8 <= end` once per position instead of per load.
    let input = &input[..end];
    const { assert!(SKIP_AFTER <= 1 << SKIP) };
    const { assert!((TAIL == 1) | (TAIL == 3 && MIN <= 6)) };
    debug_assert!(!NEAR || end <= MAX_DIST);
    let mut i = if NEAR { start.max(1) } else { start };
    let mut lit = start;
    // Fast loop: one 8-byte load gives the hashed bytes of four positions, and XOR with a
    // candidate's 8 bytes checks the minimum match and measures matches up to 7 bytes at once.
    'blocks: loop {
        // Inner loop: look for the next match. Only the scan state is live here (the writer
        // is not), which leaves the registers to it.
        let min_bytes: u64 = (1 << (8 * MIN)) - 1;
        // `next`, `next2`: the candidate distances of the two positions after the match's
        // start, for `LAZY` (0 if none): probed by the same iteration, or `next`, after its
        // last position, probed then.
        let (mut cand, mut dist, x, next, next2) = loop {
            // Four positions per iteration, `i..i + 4`, from one 8-byte load (position
            // `i + k` hashes `cur >> 8k`): their table loads are independent. All four are
            // inserted even when an earlier one matches; that stays behind the scan (as
            // `entry_dist` needs) because a match at `i + k` ends at `i + k + 4` or later.
            if i + 11 > end {
                break 'blocks;
            }
            let cur = load64(input, i);
            let mut d = [0usize; 4];
            for (k, dk) in d.iter_mut().enumerate() {
                let h = slot::<TABLE, MIN>(cur >> (8 * k), shift);
                *dk = entry_dist(table[h], i + k);
                table[h] = (i + k) as u16;
            }
            let x0 = cur ^ load64(input, i - d[0]);
            if (x0 & min_bytes == 0) & (NEAR || d[0].wrapping_sub(1) < MAX_DIST) {
                break (i - d[0], d[0], x0, d[1], d[2]);
            }
            let mut found = None;
            for (k, &dk) in d.iter().enumerate().skip(1) {
                let c = load64(input, i + k - dk);
                if ((cur >> (8 * k)) ^ c) & min_bytes == 0
                    && (NEAR || dk.wrapping_sub(1) < MAX_DIST)
                {
                    found = Some((k, c));
                    break;
                }
            }
            if let Some((k, c)) = found {
                let next = if k < 3 {
                    d[k + 1]
                } else if LAZY && (MIN == 4 || i + 12 <= end) {
                    // Probe position `i + 4` too: its 4-byte hash is the top of `cur`; a
                    // longer one needs a load of its own.
                    let v = if MIN == 4 {
                        cur >> 32
                    } else {
                        load64(input, i + 4)
                    };
                    let h = slot::<TABLE, MIN>(v, shift);
                    let d4 = entry_dist(table[h], i + 4);
                    table[h] = (i + 4) as u16;
                    d4
                } else {
                    0
                };
                i += k;
                break (
                    i - d[k],
                    d[k],
                    load64(input, i) ^ c,
                    next,
                    if k < 2 { d[k + 2] } else { 0 },
                );
            }
            // Skip ahead on misses (see `STEP`, `SKIP_AFTER`, `SKIP`).
            i += STEP + ((i - lit + (1 << SKIP) - SKIP_AFTER) >> SKIP);
        };
        let mut len = if LEN16 && i + 16 <= end {
            // Lengths up to 16 without a data-dependent branch: the second 8 bytes are
            // compared whatever the first gave, and count only if the first all matched.
            let x2 = load64(input, i + 8) ^ load64(input, cand + 8);
            let l1 = (x.trailing_zeros() / 8) as usize;
            let l2 = (x2.trailing_zeros() / 8) as usize;
            let len = l1 + if l1 == 8 { l2 } else { 0 };
            if len == 16 {
                let max = (end - i).min(MAX_MATCH);
                16 + common_len(input, cand + 16, i + 16, max - 16)
            } else {
                len
            }
        } else if x != 0 {
            (x.trailing_zeros() / 8) as usize
        } else {
            let max = (end - i).min(MAX_MATCH);
            8 + common_len(input, cand + 8, i + 8, max - 8)
        };
        let mut moved = false;
        // One step of lazy matching, free of hashing: if the next position's candidate
        // (already probed) gives a longer match, the current byte goes out as a literal.
        if LAZY && next != 0 && len < LAZY_NICE && (NEAR || next <= MAX_DIST) && i + 1 + len < end {
            let c1 = i + 1 - next;
            if input[c1 + len] == input[i + 1 + len] {
                let max = (end - i - 1).min(MAX_MATCH);
                let len1 = common_len(input, c1, i + 1, max);
                if len1 > len {
                    i += 1;
                    cand = c1;
                    dist = next;
                    len = len1;
                    moved = true;
                }
            }
        }
        // Else, for a short match, two positions on (probed too when the match is at most
        // the group's second): a match longer by 2 or more is worth two literals.
        if LAZY
            && !moved
            && next2 != 0
            && len < LAZY2_BELOW
            && (NEAR || next2 <= MAX_DIST)
            && i + 2 + len < end
        {
            let c2 = i + 2 - next2;
            if input[c2 + len] == input[i + 2 + len] {
                let max = (end - i - 2).min(MAX_MATCH);
                let len2 = common_len(input, c2, i + 2, max);
                if len2 > len + 1 {
                    i += 2;
                    cand = c2;
                    dist = next2;
                    len = len2;
                }
            }
        }
        // Extend backwards over literals the skip-ahead may have passed.
        if i > lit && cand > 0 && len < MAX_MATCH && input[i - 1] == input[cand - 1] {
            let back = (i - lit).min(cand).min(MAX_MATCH - len);
            let mut k = 1;
            while k < back && input[i - 1 - k] == input[cand - 1 - k] {
                k += 1;
            }
            i -= k;
            len += k;
        }
        if i - lit <= 2 {
            sink.before_seq::<true>(input, lit, i);
            sink.seq::<true>(&input[lit..i], len, dist);
        } else {
            sink.before_seq::<false>(input, lit, i);
            sink.seq::<false>(&input[lit..i], len, dist);
        }
        i += len;
        lit = i;
        // Insert positions before the match's end (`TAIL`): later matches often start there.
        // A match is at least 4 bytes, so they are all inside it.
        if TAIL == 3 {
            if i + 5 <= end {
                let v = load64(input, i - 3);
                table[slot::<TABLE, MIN>(v, shift)] = (i - 3) as u16;
                table[slot::<TABLE, MIN>(v >> 8, shift)] = (i - 2) as u16;
                table[slot::<TABLE, MIN>(v >> 16, shift)] = (i - 1) as u16;
            }
        } else if i + 6 <= end {
            let p = i - 2;
            table[slot::<TABLE, MIN>(load64(input, p), shift)] = p as u16;
        }
    }
    // The last few positions of the block: 4-byte loads, one position at a time.
    while i + MIN_MATCH <= end {
        let cur = load32(input, i);
        let h = hash(cur, shift) & (TABLE - 1);
        let dist = entry_dist(table[h], i);
        table[h] = i as u16;
        if dist.wrapping_sub(1) < MAX_DIST && load32(input, i - dist) == cur {
            let len = MIN_MATCH + common_len(input, i - dist + 4, i + 4, end - i - 4);
            sink.before_seq::<false>(input, lit, i);
            sink.seq::<false>(&input[lit..i], len, dist);
            i += len;
            lit = i;
        } else {
            i += 1;
        }
    }
    (sink, lit)
}
