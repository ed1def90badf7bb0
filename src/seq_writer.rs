//! Writing a segment's sequences (`tokens.rs`) with a block code of up to 15 bits per symbol:
//! the fixed code or the block's own dynamic code, both as the same tables.
//!
//! Bit budget per flush of the 64-bit writer (fewer than 8 bits pending after a flush): a match
//! is at most 15 + 5 + 15 + 13 = 48 bits, three literals 45, four literals of at most 14 bits 56.

use crate::bits::BitWriter;
use crate::huffman_build::{first_codes, next_code, used_symbols};
use crate::tokens::{
    len_end, Histogram, Seq, DIST_EXTRA, DIST_SYMS, EOB, LEN_BASE, LEN_EXTRA, LITLEN_SYMS,
};

/// A literal/length and a distance code as tables for the bit writer.
pub(crate) struct BlockCode {
    /// Literal or end-of-block symbol: `code | bits << 16`.
    lit: [u32; 257],
    /// Match length `len` by `len - 3`: its symbol's code with the extra bits above it, and
    /// their total count from bit 24 (at most 15 + 5 bits, so the two never overlap).
    len: [u32; 256],
    /// Distance symbol: `code | bits << 16`.
    dist: [u32; DIST_SYMS],
    /// Longest literal code: how many literals go out per flush (`write`).
    max_lit_bits: u32,
}

impl BlockCode {
    /// The tables of the code with lengths `ll` (literal/length symbols 0..=285, or 0..=287 for
    /// the fixed code, whose two unused 8-bit symbols move every 9-bit code) and `d` (distance
    /// symbols 0..=29), at most 15 bits each; symbols of length 0 must not be used.
    pub(crate) const fn from_lengths<const NLL: usize>(
        ll: &[u8; NLL],
        d: &[u8; DIST_SYMS],
    ) -> BlockCode {
        let (ll_used, n) = used_symbols(ll);
        let (d_used, m) = used_symbols(d);
        BlockCode::from_used(ll, d, ll_used.split_at(n).0, d_used.split_at(m).0)
    }

    /// `from_lengths`, given the symbols of each code with a nonzero length, in order.
    pub(crate) const fn from_used<const NLL: usize>(
        ll: &[u8; NLL],
        d: &[u8; DIST_SYMS],
        ll_used: &[u16],
        d_used: &[u16],
    ) -> BlockCode {
        assert!(NLL >= LITLEN_SYMS);
        // Canonical codes handed out in symbol order as the tables are filled.
        let mut ll_next = first_codes(ll, ll_used);
        let mut d_next = first_codes(d, d_used);
        // Entries of unused symbols stay 0: they are never written.
        let mut c = BlockCode {
            lit: [0; 257],
            len: [0; 256],
            dist: [0; DIST_SYMS],
            max_lit_bits: 0,
        };
        let mut i = 0;
        while i < ll_used.len() {
            let s = ll_used[i] as usize;
            let bits = ll[s] as u32;
            let code = next_code(&mut ll_next, bits as usize) as u32;
            if s < 257 {
                c.lit[s] = code | bits << 16;
                if s < 256 && bits > c.max_lit_bits {
                    c.max_lit_bits = bits;
                }
            } else if s < LITLEN_SYMS {
                // Every length of the symbol: its code with the extra bits above it.
                let s = s - 257;
                let extra = LEN_EXTRA[s] as u32;
                let first = LEN_BASE[s] as usize;
                let mut len = first;
                while len < len_end(s) {
                    c.len[len - 3] = code | ((len - first) as u32) << bits | (bits + extra) << 24;
                    len += 1;
                }
            }
            i += 1;
        }
        i = 0;
        while i < d_used.len() {
            let s = d_used[i] as usize;
            c.dist[s] = next_code(&mut d_next, d[s] as usize) as u32 | (d[s] as u32) << 16;
            i += 1;
        }
        c
    }

    /// Writes `seqs`, whose literals are read from `input` from `pos` on, then end-of-block.
    pub(crate) fn write(&self, w: &mut BitWriter<'_>, input: &[u8], pos: usize, seqs: &[Seq]) {
        // A local writer stays in registers through the loop.
        let mut lw = w.take();
        // As many literals per flush as 56 bits hold.
        match self.max_lit_bits {
            0..=9 => self.write_with::<6>(&mut lw, input, pos, seqs),
            10..=11 => self.write_with::<5>(&mut lw, input, pos, seqs),
            12..=14 => self.write_with::<4>(&mut lw, input, pos, seqs),
            _ => self.write_with::<3>(&mut lw, input, pos, seqs),
        }
        *w = lw;
    }

    #[inline(always)]
    fn write_with<const PER_FLUSH: usize>(
        &self,
        w: &mut BitWriter<'_>,
        input: &[u8],
        mut pos: usize,
        seqs: &[Seq],
    ) {
        for &s in seqs {
            self.put_literals::<PER_FLUSH>(w, input, pos, s.run());
            pos += s.run();
            let dist = s.dist();
            if dist != 0 {
                let len = s.len();
                let e = self.len[len - 3];
                w.put_raw((e & 0xff_ffff) as u64, e >> 24);
                let sym = crate::tokens::dist_sym(dist);
                let d = self.dist[sym];
                let extra = (dist - crate::tokens::DIST_BASE[sym] as usize) as u64;
                let bits = d >> 16;
                w.put_raw(
                    (d & 0xffff) as u64 | extra << bits,
                    bits + DIST_EXTRA[sym] as u32,
                );
                w.flush();
                pos += len;
            }
        }
        let e = self.lit[EOB];
        w.put((e & 0xffff) as u64, e >> 16);
    }

    /// Writes the `run` literals `input[pos..pos + run]`, `PER_FLUSH` per flush. Where
    /// `PER_FLUSH` bytes can be read, each group writes all of them, those past the run with
    /// no bits: the same instructions whatever the run's length, so no branch to mispredict.
    #[inline(always)]
    fn put_literals<const PER_FLUSH: usize>(
        &self,
        w: &mut BitWriter<'_>,
        input: &[u8],
        pos: usize,
        run: usize,
    ) {
        let mut i = 0;
        while i < run {
            let left = run - i;
            let at = pos + i;
            if let Some(group) = input.get(at..at + PER_FLUSH) {
                let group: &[u8; PER_FLUSH] = group.try_into().unwrap();
                for (j, &b) in group.iter().enumerate() {
                    let e = self.lit[b as usize];
                    let keep = ((j < left) as u32).wrapping_neg();
                    w.put_raw((e & 0xffff & keep) as u64, (e >> 16) & keep);
                }
            } else {
                for &b in &input[at..at + left.min(PER_FLUSH)] {
                    let e = self.lit[b as usize];
                    w.put_raw((e & 0xffff) as u64, e >> 16);
                }
            }
            w.flush();
            i += PER_FLUSH;
        }
    }
}

/// Bits of the symbols counted in `hist` with the fixed code (RFC 1951 3.2.6), extra bits
/// excluded: literals 0..=143 take 8 bits, 144..=255 9, symbols 256..=279 7, 280..=285 8, and
/// distances 5. Sums of counts, not a product per symbol: it runs for every block.
pub(crate) fn fixed_symbol_bits(hist: &Histogram) -> usize {
    // A block's counts sum to far less than 2^32 (`huffman_build::build_lengths`).
    let sum = |f: &[u32]| f.iter().fold(0u32, |a, &c| a.wrapping_add(c)) as usize;
    let ll = &hist.litlen;
    8 * sum(&ll[..256])
        + sum(&ll[144..256])
        + 7 * sum(&ll[256..280])
        + 8 * sum(&ll[280..])
        + 5 * sum(&hist.dist)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `fixed_symbol_bits` is the histogram's dot product with the fixed code's lengths.
    #[test]
    fn fixed_symbol_bits_is_the_dot_product() {
        let ll = crate::huffman::fixed_litlen_bits();
        let mut r = 0x9e37_79b9_7f4a_7c15u64;
        for round in 0..200 {
            let mut hist = Histogram::new();
            for f in hist.litlen.iter_mut().chain(hist.dist.iter_mut()) {
                r ^= r << 13;
                r ^= r >> 7;
                r ^= r << 17;
                // Mostly zeros and small counts, as in a block; some large ones.
                *f = match r % 8 {
                    0..=3 => 0,
                    4..=6 => (r >> 8) as u32 % 40,
                    _ => (r >> 8) as u32 % 70_000,
                };
            }
            let want: usize = hist
                .litlen
                .iter()
                .zip(&ll)
                .map(|(&f, &l)| f as usize * l as usize)
                .sum::<usize>()
                + hist.dist.iter().map(|&f| 5 * f as usize).sum::<usize>();
            assert_eq!(fixed_symbol_bits(&hist), want, "round {round}");
        }
    }

    /// The fixed and trained codes as tables here equal the level-1 emitters' tables (the fixed
    /// code needs its symbols 286 and 287 for the 9-bit codes to come out right).
    #[test]
    fn static_codes_match_the_level1_tables() {
        use crate::huffman::{fixed_litlen_bits, trained_tests::TRAINED_CODES, Code, FIXED};
        let fixed = BlockCode::from_lengths(&fixed_litlen_bits(), &[5; 30]);
        let trained =
            TRAINED_CODES.map(|(code, _, _, ll, d)| (code, BlockCode::from_lengths(ll, d)));
        for (code, tables) in [(&FIXED, fixed)].into_iter().chain(trained) {
            let code: &Code = code;
            for b in 0..256 {
                assert_eq!(tables.lit[b], code.lit[b], "literal {b}");
            }
            assert_eq!(tables.lit[EOB], code.eob);
            for len in 3..=258 {
                let e = tables.len[len - 3];
                assert_eq!((e & 0xff_ffff, e >> 24), code.len_code(len), "length {len}");
            }
        }
    }
}
