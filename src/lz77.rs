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
    u32::from_le_bytes([input[i], input[i + 1], input[i + 2], input[i + 3]])
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
        let x = u64::from_le_bytes(input[a + n..a + n + 8].try_into().unwrap_or([0; 8]));
        let y = u64::from_le_bytes(input[b + n..b + n + 8].try_into().unwrap_or([0; 8]));
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
    /// Exact bits of the block's symbols in the fixed code (without block header and EOB).
    pub fixed_bits: usize,
}

/// Scans `input[start..end]` for matches, writing tokens to `tokens` (which must hold
/// `max_tokens(end - start)`). `table` has `1 << (32 - shift)` entries and holds positions of
/// earlier bytes of `input`; literals after the last token are implied (`start + covered..end`).
pub(crate) fn scan_block(
    input: &[u8],
    start: usize,
    end: usize,
    table: &mut [u32],
    shift: u32,
    tokens: &mut [Token],
) -> Scan {
    let mut nt = 0;
    let mut bits = 0usize;
    let mut i = start;
    let mut lit_start = start;
    while i + MIN_MATCH <= end {
        let v = read_u32(input, i);
        let h = hash(v, shift);
        let cand = table[h] as usize;
        table[h] = i as u32;
        let dist = i.wrapping_sub(cand);
        if dist.wrapping_sub(1) < MAX_DIST && read_u32(input, cand) == v {
            let max = (end - i).min(MAX_MATCH);
            let len = MIN_MATCH + common_len(input, cand + 4, i + 4, max - MIN_MATCH);
            let mut run = i - lit_start;
            bits += literal_bits(&input[lit_start..i]);
            while run > MAX_RUN {
                tokens[nt] = (MAX_RUN as u32) << 23 | NO_MATCH << 15;
                nt += 1;
                run -= MAX_RUN;
            }
            tokens[nt] = (run as u32) << 23 | ((len - MIN_MATCH) as u32) << 15 | (dist - 1) as u32;
            nt += 1;
            bits += (len_code(len).1 + dist_code(dist).1) as usize;
            i += len;
            lit_start = i;
        } else {
            i += 1;
        }
    }
    bits += literal_bits(&input[lit_start..end]);
    Scan {
        tokens: nt,
        fixed_bits: bits,
    }
}
