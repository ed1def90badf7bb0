//! Building a block's own Huffman code at run time: length-limited code lengths from symbol
//! counts, canonical codes, and the dynamic block header (RFC 1951 3.2.7) that declares them.
//!
//! Invariants every code built here keeps, so any inflater accepts it (zlib rejects incomplete
//! codes with more than one symbol):
//! * at least two symbols have a code, and the code is complete (Kraft sum exactly 1);
//! * no length exceeds the limit (15 for literal/length and distance codes, 7 for the
//!   code-length code);
//! * every symbol with a nonzero count has a code.

use crate::bits::BitWriter;
use crate::tokens::{Histogram, DIST_SYMS, EOB, LITLEN_SYMS};

/// Longest literal/length or distance code deflate allows.
pub(crate) const MAX_BITS: u32 = 15;
/// Longest code of the code-length alphabet.
const MAX_PRECODE_BITS: u32 = 7;
/// Order in which the code-length code's lengths are sent.
const PRECODE_ORDER: [usize; 19] = [
    16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15,
];

/// Lengths (at most `limit` bits) of a prefix code for symbols counted in `freqs`, written to
/// `lens` (same length as `freqs`, at most 288 symbols): close to optimal (a Huffman code,
/// then lengths over the limit shortened and the Kraft excess paid back by the least frequent
/// symbols). Symbols counted 0 get length 0, except that when fewer than two symbols are used,
/// one or two unused ones get a 1-bit code so that the code stays complete.
pub(crate) fn build_lengths(freqs: &[u32], limit: u32, lens: &mut [u8]) {
    debug_assert!(freqs.len() == lens.len() && freqs.len() <= 288);
    debug_assert!((1usize << limit) >= freqs.len());
    lens.fill(0);
    // Used symbols sorted by count (ties by symbol: deterministic), packed `count << 16 | sym`.
    let mut sorted = [0u64; 288];
    let mut n = 0;
    for (s, &f) in freqs.iter().enumerate() {
        if f > 0 {
            sorted[n] = (f as u64) << 16 | s as u64;
            n += 1;
        }
    }
    if n < 2 {
        // One code of one bit each for the used symbol (if any) and one or two others.
        let used = if n == 1 {
            (sorted[0] & 0xffff) as usize
        } else {
            1
        };
        lens[used] = 1;
        lens[if used == 0 { 1 } else { 0 }] = 1;
        return;
    }
    let sorted = &mut sorted[..n];
    sorted.sort_unstable();

    // Huffman's algorithm over the sorted leaves with a second queue of internal nodes, whose
    // weights come out in non-decreasing order. `parent[k]`: the internal node `k`'s parent;
    // `leaf_parent[i]`: leaf `i`'s.
    let mut weight = [0u64; 288];
    let mut parent = [0u16; 288];
    let mut leaf_parent = [0u16; 288];
    let (mut leaf, mut inner) = (0, 0);
    for k in 0..n - 1 {
        let mut pick = || {
            if leaf < n && (inner >= k || (sorted[leaf] >> 16) <= weight[inner]) {
                leaf_parent[leaf] = k as u16;
                leaf += 1;
                sorted[leaf - 1] >> 16
            } else {
                parent[inner] = k as u16;
                inner += 1;
                weight[inner - 1]
            }
        };
        let w = pick() + pick();
        weight[k] = w;
    }
    // Depths: the root is internal node n - 2.
    let mut depth = [0u8; 288];
    for k in (0..n - 2).rev() {
        depth[k] = depth[parent[k] as usize] + 1;
    }
    let mut count = [0u32; 33];
    for i in 0..n {
        let d = (depth[leaf_parent[i] as usize] + 1) as usize;
        count[d.min(32)] += 1;
    }
    // Shorten lengths over the limit, then pay back the Kraft excess (in units of 2^-limit):
    // take a leaf off the limit and move a shorter leaf one level down beside it (net -1).
    let mut excess = 0u64;
    for d in (limit as usize + 1)..33 {
        count[limit as usize] += count[d];
        count[d] = 0;
    }
    for (d, &c) in count.iter().enumerate().take(limit as usize + 1).skip(1) {
        excess += (c as u64) << (limit as usize - d);
    }
    while excess > 1u64 << limit {
        count[limit as usize] -= 1;
        let d = (1..limit as usize).rev().find(|&d| count[d] > 0);
        // A shorter leaf exists: with all n <= 2^limit leaves at the limit there is no excess.
        let Some(d) = d else { break };
        count[d] -= 1;
        count[d + 1] += 2;
        excess -= 1;
    }
    // The longest lengths go to the least frequent symbols.
    let mut i = 0;
    for d in (1..=limit as usize).rev() {
        for _ in 0..count[d] {
            lens[(sorted[i] & 0xffff) as usize] = d as u8;
            i += 1;
        }
    }
}

/// Canonical codes (RFC 1951 3.2.2) of `lens`, bit-reversed for the LSB-first writer.
/// Symbols of length 0 get no code (0).
pub(crate) const fn canonical_codes<const N: usize>(lens: &[u8; N]) -> [u16; N] {
    let mut count = [0u16; 16];
    let mut s = 0;
    while s < N {
        count[lens[s] as usize] += 1;
        s += 1;
    }
    count[0] = 0;
    let mut next = [0u16; 16];
    let mut code = 0u16;
    let mut b = 1;
    while b < 16 {
        code = (code + count[b - 1]) << 1;
        next[b] = code;
        b += 1;
    }
    let mut out = [0u16; N];
    s = 0;
    while s < N {
        let l = lens[s] as usize;
        if l > 0 {
            out[s] = next[l].reverse_bits() >> (16 - l);
            next[l] += 1;
        }
        s += 1;
    }
    out
}

/// A block's own code: lengths from its histogram, and the header declaring them, run-length
/// coded (code-length symbols 16, 17 and 18) with its own code-length code.
pub(crate) struct DynamicCode {
    pub(crate) litlen_lens: [u8; LITLEN_SYMS],
    pub(crate) dist_lens: [u8; DIST_SYMS],
    hlit: usize,
    hdist: usize,
    hclen: usize,
    precode_lens: [u8; 19],
    precode_codes: [u16; 19],
    /// Code-length symbols of the header, each `symbol | extra value << 5`.
    items: [u16; LITLEN_SYMS + DIST_SYMS],
    n_items: usize,
    /// Header bits after BFINAL and BTYPE.
    pub(crate) header_bits: usize,
}

impl DynamicCode {
    /// The code fitted to `hist` (whose end-of-block count must be nonzero).
    pub(crate) fn build(hist: &Histogram) -> DynamicCode {
        debug_assert!(hist.litlen[EOB] > 0);
        let mut c = DynamicCode {
            litlen_lens: [0; LITLEN_SYMS],
            dist_lens: [0; DIST_SYMS],
            hlit: 0,
            hdist: 0,
            hclen: 0,
            precode_lens: [0; 19],
            precode_codes: [0; 19],
            items: [0; LITLEN_SYMS + DIST_SYMS],
            n_items: 0,
            header_bits: 0,
        };
        build_lengths(&hist.litlen, MAX_BITS, &mut c.litlen_lens);
        build_lengths(&hist.dist, MAX_BITS, &mut c.dist_lens);
        c.hlit = 257.max(LITLEN_SYMS - c.litlen_lens.iter().rev().take_while(|&&l| l == 0).count());
        c.hdist = 1.max(DIST_SYMS - c.dist_lens.iter().rev().take_while(|&&l| l == 0).count());

        // Run-length code the lengths of both alphabets as one sequence (runs may cross).
        let mut all = [0u8; LITLEN_SYMS + DIST_SYMS];
        all[..c.hlit].copy_from_slice(&c.litlen_lens[..c.hlit]);
        all[c.hlit..c.hlit + c.hdist].copy_from_slice(&c.dist_lens[..c.hdist]);
        let all = &all[..c.hlit + c.hdist];
        let mut freq = [0u32; 19];
        let mut i = 0;
        while i < all.len() {
            let l = all[i];
            let run = all[i..].iter().take_while(|&&x| x == l).count();
            let mut left = run;
            if l == 0 {
                while left >= 11 {
                    let r = left.min(138);
                    c.push(18 | ((r - 11) as u16) << 5, &mut freq);
                    left -= r;
                }
                if left >= 3 {
                    c.push(17 | ((left - 3) as u16) << 5, &mut freq);
                    left = 0;
                }
            } else {
                c.push(l as u16, &mut freq);
                left -= 1;
                while left >= 3 {
                    let r = left.min(6);
                    c.push(16 | ((r - 3) as u16) << 5, &mut freq);
                    left -= r;
                }
            }
            for _ in 0..left {
                c.push(l as u16, &mut freq);
            }
            i += run;
        }
        build_lengths(&freq, MAX_PRECODE_BITS, &mut c.precode_lens);
        c.precode_codes = canonical_codes(&c.precode_lens);
        c.hclen = 4.max(
            19 - PRECODE_ORDER
                .iter()
                .rev()
                .take_while(|&&s| c.precode_lens[s] == 0)
                .count(),
        );
        let mut bits = 5 + 5 + 4 + 3 * c.hclen;
        for &it in &c.items[..c.n_items] {
            let s = (it & 31) as usize;
            bits += c.precode_lens[s] as usize + [2, 3, 7].get(s.wrapping_sub(16)).unwrap_or(&0);
        }
        c.header_bits = bits;
        c
    }

    fn push(&mut self, item: u16, freq: &mut [u32; 19]) {
        freq[(item & 31) as usize] += 1;
        self.items[self.n_items] = item;
        self.n_items += 1;
    }

    /// Writes the header (after BFINAL and BTYPE): exactly `header_bits` bits.
    pub(crate) fn write_header(&self, w: &mut BitWriter<'_>) {
        w.put(
            (self.hlit - 257) as u64
                | ((self.hdist - 1) as u64) << 5
                | ((self.hclen - 4) as u64) << 10,
            14,
        );
        for &s in &PRECODE_ORDER[..self.hclen] {
            w.put(self.precode_lens[s] as u64, 3);
        }
        for &it in &self.items[..self.n_items] {
            let s = (it & 31) as usize;
            let extra = [2u32, 3, 7].get(s.wrapping_sub(16)).copied().unwrap_or(0);
            let n = self.precode_lens[s] as u32;
            w.put(
                self.precode_codes[s] as u64 | ((it >> 5) as u64) << n,
                n + extra,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kraft(lens: &[u8], limit: u32) -> u64 {
        lens.iter()
            .filter(|&&l| l > 0)
            .map(|&l| 1u64 << (limit - l as u32))
            .sum()
    }

    /// Exact optimum for small alphabets, to compare with.
    fn cost(freqs: &[u32], lens: &[u8]) -> u64 {
        freqs
            .iter()
            .zip(lens)
            .map(|(&f, &l)| f as u64 * l as u64)
            .sum()
    }

    #[test]
    fn lengths_are_huffman_when_under_the_limit() {
        // Classic example: counts 5, 9, 12, 13, 16, 45 give lengths 4, 4, 3, 3, 3, 1.
        let freqs = [5, 9, 12, 13, 16, 45];
        let mut lens = [0u8; 6];
        build_lengths(&freqs, 15, &mut lens);
        assert_eq!(lens, [4, 4, 3, 3, 3, 1]);
        assert_eq!(kraft(&lens, 15), 1 << 15);
    }

    #[test]
    fn lengths_respect_the_limit_and_stay_complete() {
        // Fibonacci counts make a maximally deep Huffman tree.
        let mut freqs = [0u32; 30];
        let (mut a, mut b) = (1u32, 1u32);
        for f in freqs.iter_mut() {
            *f = a;
            (a, b) = (b, a.saturating_add(b));
        }
        for limit in [7, 9, 15] {
            let mut lens = [0u8; 30];
            build_lengths(&freqs, limit, &mut lens);
            assert!(
                lens.iter().all(|&l| l >= 1 && l as u32 <= limit),
                "{lens:?}"
            );
            assert_eq!(kraft(&lens, limit), 1 << limit);
            // More frequent symbols never get longer codes.
            for s in 1..30 {
                assert!(lens[s] <= lens[s - 1]);
            }
        }
        // 19 symbols all used, limit 7: still fits.
        let freqs: [u32; 19] = core::array::from_fn(|i| 1 << i.min(20));
        let mut lens = [0u8; 19];
        build_lengths(&freqs, 7, &mut lens);
        assert_eq!(kraft(&lens, 7), 1 << 7);
        assert!(cost(&freqs, &lens) > 0);
    }

    #[test]
    fn one_or_no_symbol_still_gives_a_complete_code() {
        for used in [None, Some(0), Some(1), Some(29)] {
            let mut freqs = [0u32; 30];
            if let Some(s) = used {
                freqs[s] = 5;
            }
            let mut lens = [0u8; 30];
            build_lengths(&freqs, 15, &mut lens);
            assert_eq!(lens.iter().filter(|&&l| l == 1).count(), 2);
            assert_eq!(kraft(&lens, 15), 1 << 15);
            if let Some(s) = used {
                assert_eq!(lens[s], 1);
            }
        }
    }

    #[test]
    fn canonical_codes_follow_rfc1951() {
        // RFC 1951 3.2.2's example: lengths (3, 3, 3, 3, 3, 2, 4, 4) give codes 010, 011, 100,
        // 101, 110, 00, 1110, 1111.
        let lens = [3u8, 3, 3, 3, 3, 2, 4, 4];
        let codes = canonical_codes(&lens);
        let want = [0b010u16, 0b011, 0b100, 0b101, 0b110, 0b00, 0b1110, 0b1111];
        for s in 0..8 {
            let rev = want[s].reverse_bits() >> (16 - lens[s]);
            assert_eq!(codes[s], rev, "symbol {s}");
        }
    }
}
