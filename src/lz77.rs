//! The level-1 match finder: greedy LZ77 over the bytes of one `compress` call.
//!
//! * Statelessness: the hash table lives on the caller's stack and only ever holds positions of
//!   the current call's input, so no back-reference reaches into a previous call.
//! * The table is cleared per call and sized to the input (see `encoder.rs`), so a 100-byte call
//!   clears a 1 KiB table, not a 32 KiB one.
//! * One candidate per hash slot; a candidate is accepted only after its 4 bytes are compared with
//!   the current ones, so stale or colliding slots can never produce a wrong match. The minimum
//!   match is 4 bytes; matches never extend past the end of the block they start in.
//!
//! The output is a list of [`Token`]s plus the exact number of bits the block would take with
//! the fixed Huffman code, which `block.rs` compares with a stored block.

use crate::huffman::{dist_code, len_code, literal_bits};

/// Largest distance deflate can express.
pub(crate) const MAX_DIST: usize = 32768;
/// Longest match deflate can express.
pub(crate) const MAX_MATCH: usize = 258;
/// Shortest match we look for (the hash covers 4 bytes).
pub(crate) const MIN_MATCH: usize = 4;

/// One packed sequence: a run of literals followed by at most one match.
///
/// Layout: bits 0..15 `dist - 1`, bits 15..23 `len - 4` (255 = no match, literals only),
/// bits 23..32 the number of literals before the match (0..=511).
pub(crate) type Token = u32;

const NO_MATCH: u32 = 0xff;
/// After `1 << SKIP_SHIFT` literals in a row, the scan steps 2 bytes at a time, then 3, ...
const SKIP_SHIFT: u32 = 6;
/// Longest literal run one token can carry.
pub(crate) const MAX_RUN: usize = 511;

/// Tokens one block of `block_len` bytes can need: one per match of at least 4 bytes, one per 511
/// literals that a match does not end, and one for rounding.
pub(crate) const fn max_tokens(block_len: usize) -> usize {
    block_len / MIN_MATCH + block_len / MAX_RUN + 2
}

#[inline(always)]
pub(crate) fn token_parts(t: Token) -> (usize, Option<(usize, usize)>) {
    let run = (t >> 23) as usize;
    let len = (t >> 15) & 0xff;
    if len == NO_MATCH {
        (run, None)
    } else {
        (
            run,
            Some((len as usize + MIN_MATCH, (t & 0x7fff) as usize + 1)),
        )
    }
}

#[inline(always)]
fn read_u32(input: &[u8], i: usize) -> u32 {
    let mut b = [0u8; 4];
    b.copy_from_slice(&input[i..i + 4]);
    u32::from_le_bytes(b)
}

#[inline(always)]
fn read_u64(input: &[u8], i: usize) -> Option<u64> {
    let b = input.get(i..i + 8)?;
    let mut w = [0u8; 8];
    w.copy_from_slice(b);
    Some(u64::from_le_bytes(w))
}

#[inline(always)]
fn hash(v: u32, shift: u32) -> usize {
    (v.wrapping_mul(0x1e35_a7bd) >> shift) as usize
}

/// Length of the common prefix of `input[a..]` and `input[b..]`, at most `max` bytes
/// (`a < b`, `b + max <= input.len()`).
#[inline(always)]
fn common_len(input: &[u8], a: usize, b: usize, max: usize) -> usize {
    let mut n = 0;
    while n + 8 <= max {
        let (Some(x), Some(y)) = (read_u64(input, a + n), read_u64(input, b + n)) else {
            break;
        };
        let d = x ^ y;
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

/// Result of scanning one block.
pub(crate) struct Scan {
    /// Number of tokens written.
    pub tokens: usize,
    /// Bits of the block's matches in the fixed code.
    pub match_bits: usize,
    /// Number of literals in the block (8 or 9 bits each in the fixed code).
    pub literals: usize,
}

/// Exact bits the fixed code spends on the literals of a scanned block `input[start..end]`.
pub(crate) fn literal_bits_of(input: &[u8], start: usize, end: usize, tokens: &[Token]) -> usize {
    let mut pos = start;
    let mut bits = 0;
    for &t in tokens {
        let (run, m) = token_parts(t);
        bits += literal_bits(&input[pos..pos + run]);
        pos += run + m.map_or(0, |(len, _)| len);
    }
    bits + literal_bits(&input[pos..end])
}

/// Scans `input[start..end]` for matches, writing tokens to `tokens` (which must hold
/// `max_tokens(end - start)`). `table` (a power of two in size) holds positions (mod 2^16) of
/// earlier bytes of `input`; literals after the last token are implied.
#[inline(always)]
pub(crate) fn scan_block<const TABLE: usize>(
    input: &[u8],
    start: usize,
    end: usize,
    table: &mut [u16; TABLE],
    tokens: &mut [Token],
) -> Scan {
    let shift = 32 - TABLE.trailing_zeros();
    let mut nt = 0;
    let mut bits = 0usize;
    let mut matched = 0usize;
    let mut i = start;
    let mut lit_start = start;
    while i + MIN_MATCH <= end {
        // Fast path: one 8-byte load gives the hashed bytes, and XOR with the candidate's 8 bytes
        // checks the 4-byte minimum and measures short matches at once. Near the end of the
        // input the same is done with 4-byte loads.
        let (v, word) = match read_u64(input, i) {
            Some(w) => (w as u32, Some(w)),
            None => (read_u32(input, i), None),
        };
        let h = hash(v, shift) & (TABLE - 1);
        // Entries are positions modulo 2^16. The distance they give always names a real earlier
        // byte (`dist <= i`), and the bytes there are compared before use, so a stale or wrapped
        // entry can cost a miss but never a wrong match.
        // Entries are positions modulo 2^16. The distance they give always names a real earlier
        // byte (`dist <= i`), and the bytes there are compared before use, so a stale or wrapped
        // entry can cost a miss but never a wrong match.
        let dist = (i as u16).wrapping_sub(table[h]) as usize;
        table[h] = i as u16;
        let cand = i.wrapping_sub(dist);
        let mut len = 0;
        if dist.wrapping_sub(1) < MAX_DIST {
            let max = (end - i).min(MAX_MATCH);
            match (word, read_u64(input, cand)) {
                (Some(w), Some(c)) => {
                    let x = w ^ c;
                    if x as u32 == 0 {
                        len = if x != 0 {
                            (x.trailing_zeros() / 8) as usize
                        } else {
                            8 + common_len(input, cand + 8, i + 8, max.saturating_sub(8))
                        }
                        .min(max);
                    }
                }
                _ => {
                    if read_u32(input, cand) == v {
                        len = MIN_MATCH + common_len(input, cand + 4, i + 4, max - MIN_MATCH);
                    }
                }
            }
        }
        if len >= MIN_MATCH {
            let mut run = i - lit_start;
            while run > MAX_RUN {
                tokens[nt] = (MAX_RUN as u32) << 23 | NO_MATCH << 15;
                nt += 1;
                run -= MAX_RUN;
            }
            tokens[nt] = (run as u32) << 23 | ((len - MIN_MATCH) as u32) << 15 | (dist - 1) as u32;
            nt += 1;
            bits += (len_code(len).1 + dist_code(dist).1) as usize;
            matched += len;
            i += len;
            lit_start = i;
        } else {
            // Skip ahead on misses: the longer the current literal run, the bigger the step
            // (as LZ4 and fdeflate do), so incompressible data is crossed quickly.
            i += 1 + ((i - lit_start) >> SKIP_SHIFT);
        }
    }
    Scan {
        tokens: nt,
        match_bits: bits,
        literals: end - start - matched,
    }
}
