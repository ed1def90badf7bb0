//! Block boundaries that follow the data, inside one segment (levels with
//! `ParseParams::split`).
//!
//! While a segment is parsed, `Tokens` records the symbol counts so far every
//! [`MARK_BYTES`] of input (a [`Mark`]), so the counts of any run of pieces between marks is a
//! subtraction, with no second pass over the data. Going left to right, a piece joins the block
//! before it when coding them together is estimated to cost no more than apart (entropy of the
//! counts plus a header estimate: cheap, no code is built); otherwise a new block starts there.
//! The caller then costs the blocks exactly and keeps them only if they beat one block for the
//! segment (`block_choice.rs`), so a wrong estimate costs time, never ratio.

use crate::tokens::{
    Histogram, Mark, Tokens, DIST_SYMS, EOB, LITLEN_SYMS, LONG_SEGMENT, MARK_BYTES,
};

/// Most pieces a segment has: one per mark, plus the rest after the last mark.
const MAX_PIECES: usize = LONG_SEGMENT / MARK_BYTES + 1;

/// The blocks of a segment: block `i` runs from piece boundary `at[i]` to `at[i + 1]`, where
/// boundary 0 is the segment's start, `k` its `k`-th mark, and the last one its end.
pub(crate) struct Blocks {
    at: [usize; MAX_PIECES + 1],
    pub(crate) n: usize,
    /// Each boundary's sequence index and input position.
    seq: [usize; MAX_PIECES + 1],
    pos: [usize; MAX_PIECES + 1],
}

impl Blocks {
    /// Block `i`'s sequences and input bytes.
    pub(crate) fn block(&self, i: usize) -> (core::ops::Range<usize>, core::ops::Range<usize>) {
        let (a, b) = (self.at[i], self.at[i + 1]);
        (self.seq[a]..self.seq[b], self.pos[a]..self.pos[b])
    }

    /// Block `i`'s symbol counts, end-of-block included.
    pub(crate) fn hist<const N: usize, const M: usize>(
        &self,
        t: &Tokens<N, M>,
        i: usize,
    ) -> Histogram {
        let mut h = Histogram::new();
        let (lo, hi) = (counts(t, self.at[i]), counts(t, self.at[i + 1]));
        for ((d, &a), &b) in h.litlen.iter_mut().zip(&lo.litlen).zip(&hi.litlen) {
            *d = b - a;
        }
        for ((d, &a), &b) in h.dist.iter_mut().zip(&lo.dist).zip(&hi.dist) {
            *d = b - a;
        }
        h.litlen[EOB] = 1;
        h
    }
}

const ZERO: Histogram = Histogram::new();

/// The counts up to piece boundary `k` (see [`Blocks`]).
fn counts<const N: usize, const M: usize>(t: &Tokens<N, M>, k: usize) -> &Histogram {
    match k {
        0 => &ZERO,
        k if k <= t.marks().len() => &t.marks()[k - 1].hist,
        _ => &t.hist,
    }
}

/// The blocks for the segment `[start, end)` parsed into `tokens` (closed with `Tokens::end`).
pub(crate) fn plan<const N: usize, const M: usize>(
    tokens: &Tokens<N, M>,
    start: usize,
    end: usize,
) -> Blocks {
    let marks: &[Mark] = tokens.marks();
    // Boundaries: start, the marks short of the end, end.
    let mut blocks = Blocks {
        at: [0; MAX_PIECES + 1],
        n: 1,
        seq: [0; MAX_PIECES + 1],
        pos: [start; MAX_PIECES + 1],
    };
    let inner = marks.iter().take_while(|m| start + m.bytes < end).count();
    for (k, m) in marks[..inner].iter().enumerate() {
        blocks.seq[k + 1] = m.seq;
        blocks.pos[k + 1] = start + m.bytes;
    }
    let last = inner + 1;
    blocks.seq[last] = tokens.seqs().len();
    blocks.pos[last] = end;
    // Greedy, left to right: extend the block by the next piece, or start a new one.
    let mut block_start = 0;
    let mut block_cost = estimate(counts(tokens, 0), counts(tokens, 1));
    for k in 1..last {
        let piece = estimate(counts(tokens, k), counts(tokens, k + 1));
        let joined = estimate(counts(tokens, block_start), counts(tokens, k + 1));
        if joined <= block_cost + piece {
            block_cost = joined;
        } else {
            blocks.at[blocks.n] = k;
            blocks.n += 1;
            (block_start, block_cost) = (k, piece);
        }
    }
    blocks.at[blocks.n] = last;
    // `hist` and `block` read boundary indices through `at`, positions through `seq`/`pos`.
    blocks
}

/// Estimated bits of a block holding the counts `hi - lo` (plus an end-of-block) coded with its
/// own code, in 1/4096 bits: the entropy of each alphabet, plus 4 bits of header per symbol used
/// and 60 for the rest of the header.
fn estimate(lo: &Histogram, hi: &Histogram) -> u64 {
    fn alphabet(lo: &[u32], hi: &[u32], extra: u32) -> u64 {
        let (mut total, mut sum, mut used) = (0u64, 0u64, 0u64);
        for (&a, &b) in lo.iter().zip(hi) {
            let f = b - a;
            if f > 0 {
                total += u64::from(f);
                sum += u64::from(f) * log2(f);
                used += 1;
            }
        }
        // The end-of-block: one more literal/length symbol, used once.
        if extra > 0 {
            total += 1;
            used += 1;
        }
        let bits = if total == 0 {
            0
        } else {
            total * log2(total as u32) - sum
        };
        bits + used * 4 * 4096
    }
    alphabet(&lo.litlen[..EOB], &hi.litlen[..EOB], 0)
        + alphabet(
            &lo.litlen[EOB + 1..LITLEN_SYMS],
            &hi.litlen[EOB + 1..LITLEN_SYMS],
            1,
        )
        + alphabet(&lo.dist[..DIST_SYMS], &hi.dist[..DIST_SYMS], 0)
        + 60 * 4096
}

/// log2(x) in 1/4096 units for x >= 1, within 0.006: the exponent, plus the fraction read from
/// a table by the 6 bits after the leading one.
fn log2(x: u32) -> u64 {
    // log2(1 + i/64) * 4096, i = 0..64.
    const FRAC: [u16; 64] = frac_table();
    let e = 31 - x.leading_zeros();
    let m = if e >= 6 { x >> (e - 6) } else { x << (6 - e) } & 63;
    u64::from(e) * 4096 + u64::from(FRAC[m as usize])
}

/// `log2(1 + i/64) * 4096` rounded, computed at compile time by bisection on squares (no float
/// functions in `core`).
const fn frac_table() -> [u16; 64] {
    let mut t = [0u16; 64];
    let mut i = 0;
    while i < 64 {
        // Find y in [0, 4096) with 2^(y/4096) = 1 + i/64, bit by bit: keep v = (1 + i/64)
        // normalised in [1, 2) as a 2^-40 fixed-point number and square it.
        let mut v: u128 = ((64 + i) as u128) << 34; // (1 + i/64) * 2^40
        let mut y = 0u32;
        let mut bit = 2048;
        while bit > 0 {
            v = (v * v) >> 40;
            if v >= 2 << 40 {
                v >>= 1;
                y += bit;
            }
            bit >>= 1;
        }
        t[i] = y as u16;
        i += 1;
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log2_is_close() {
        for x in [
            1u32,
            2,
            3,
            5,
            7,
            10,
            100,
            1000,
            4095,
            65535,
            1 << 20,
            u32::MAX,
        ] {
            let exact = (x as f64).log2() * 4096.0;
            let got = log2(x) as f64;
            assert!(
                (got - exact).abs() < 0.025 * 4096.0,
                "log2({x}) = {got}, exact {exact}"
            );
        }
    }

    /// A parse of `len` bytes: 3 literals then a match, repeated; the literals and matches
    /// change kind at `change`. Marks are recorded as `parse.rs` does.
    fn parse(len: usize, change: usize) -> Tokens<{ crate::tokens::MAX_SEQS }, 8> {
        let mut t = Tokens::new();
        let (mut pos, mut x) = (0, 1u32);
        while pos < len {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
            let r = (x >> 16) as usize;
            if pos < change {
                for k in 0..3 {
                    t.literal(b"etaoin shrdlu"[(r >> k) % 13]);
                }
                t.matched(4 + r % 4, 1 + r % 64);
                pos += 3 + 4 + r % 4;
            } else {
                for k in 0..3 {
                    t.literal(0x80 | ((r >> (3 * k)) & 0x3f) as u8);
                }
                t.matched(20 + r % 40, 2000 + r % 10000);
                pos += 3 + 20 + r % 40;
            }
            t.mark(pos);
        }
        t.end();
        t
    }

    #[test]
    fn a_change_of_statistics_splits_and_uniform_data_does_not() {
        let t = parse(32768, 16384);
        let b = plan(&t, 0, 32768);
        assert_eq!(b.n, 2, "{:?}", &b.at[..=b.n]);
        let (seqs, bytes) = b.block(1);
        assert!(
            (16384..16384 + 64).contains(&bytes.start),
            "cut at {}",
            bytes.start
        );
        assert_eq!(bytes.end, 32768);
        assert_eq!(b.block(0).1, 0..bytes.start);
        assert_eq!(seqs.end, t.seqs().len());
        // The blocks' counts add up to the segment's.
        let (h0, h1) = (b.hist(&t, 0), b.hist(&t, 1));
        for s in 0..LITLEN_SYMS {
            let eob = usize::from(s == EOB) as u32;
            assert_eq!(
                h0.litlen[s] + h1.litlen[s] - eob,
                t.hist.litlen[s],
                "symbol {s}"
            );
        }
        assert!(h0.dist[..]
            .iter()
            .zip(&h1.dist)
            .zip(&t.hist.dist)
            .all(|((a, b), c)| a + b == *c));

        let t = parse(32768, usize::MAX);
        assert_eq!(plan(&t, 0, 32768).n, 1);
    }
}
