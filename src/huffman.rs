//! The fixed Huffman code of RFC 1951 (3.2.6), as tables ready for an LSB-first bit writer.
//!
//! Every code is stored bit-reversed (deflate sends Huffman codes most significant bit first,
//! while the bit writer fills bytes from the least significant bit). Length and distance entries
//! are *pre-packed*: the code and its extra bits are one value, so a whole match (at most
//! 8 + 5 + 5 + 13 = 31 bits) goes out in a single write.

/// End-of-block: symbol 256, 7 bits, all zero.
pub(crate) const EOB_BITS: u32 = 7;

/// Literal `b`: `(code, bits)` packed as `code | bits << 16` (8 bits below 144, 9 from 144 on).
pub(crate) static LIT: [u32; 256] = build_lit();

/// Match length `len` (3..=258), indexed by `len - 3`: the length symbol's code followed by its
/// extra bits in the low 24 bits, the total bit count in the top 8 bits.
pub(crate) static LEN: [u32; 256] = build_len();

/// Distance codes 0..=29, bit-reversed 5-bit values.
#[cfg(test)]
static DIST_REV: [u8; 30] = build_dist_rev();

const fn reverse(mut code: u32, bits: u32) -> u32 {
    let mut r = 0;
    let mut i = 0;
    while i < bits {
        r = (r << 1) | (code & 1);
        code >>= 1;
        i += 1;
    }
    r
}

/// The fixed code of literal/length symbol `sym` (0..=287) as `(reversed code, bits)`.
const fn litlen_code(sym: u32) -> (u32, u32) {
    if sym < 144 {
        (reverse(0x30 + sym, 8), 8)
    } else if sym < 256 {
        (reverse(0x190 + sym - 144, 9), 9)
    } else if sym < 280 {
        (reverse(sym - 256, 7), 7)
    } else {
        (reverse(0xc0 + sym - 280, 8), 8)
    }
}

const fn build_lit() -> [u32; 256] {
    let mut t = [0u32; 256];
    let mut b = 0;
    while b < 256 {
        let (code, bits) = litlen_code(b as u32);
        t[b] = code | bits << 16;
        b += 1;
    }
    t
}

const LEN_BASE: [u32; 29] = [
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131,
    163, 195, 227, 258,
];
const LEN_EXTRA: [u32; 29] = [
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
];

const fn build_len() -> [u32; 256] {
    let mut t = [0u32; 256];
    let mut idx = 0;
    while idx < 29 {
        let (code, bits) = litlen_code(257 + idx as u32);
        let extra = LEN_EXTRA[idx];
        let mut v = 0;
        while v < (1 << extra) {
            let len = LEN_BASE[idx] + v;
            // Symbol 284 could name 258 with extra value 31; RFC 1951 reserves 258 for symbol 285.
            if len <= 258 && !(idx == 27 && len == 258) {
                t[(len - 3) as usize] = (code | v << bits) | (bits + extra) << 24;
            }
            v += 1;
        }
        idx += 1;
    }
    t
}

#[cfg(test)]
const fn build_dist_rev() -> [u8; 30] {
    let mut t = [0u8; 30];
    let mut c = 0;
    while c < 30 {
        t[c] = reverse(c as u32, 5) as u8;
        c += 1;
    }
    t
}

/// The packed code of a match length: `(code with extra bits, total bits)`.
#[inline(always)]
pub(crate) fn len_code(len: usize) -> (u32, u32) {
    let e = LEN[(len - 3) & 0xff];
    (e & 0x00ff_ffff, e >> 24)
}

/// The packed code of distance `dist` (1..=32768): `(5-bit code then extra bits, total bits)`.
#[inline(always)]
#[cfg(test)]
pub(crate) fn dist_code(dist: usize) -> (u32, u32) {
    let x = (dist - 1) as u32 & 0x7fff;
    if x < 4 {
        return (DIST_REV[x as usize] as u32, 5);
    }
    // x >= 4: the code is 2 * floor(log2 x) plus the bit below the top one; the remaining
    // floor(log2 x) - 1 low bits are the extra bits.
    let nb = 31 - x.leading_zeros();
    let extra_bits = nb - 1;
    let code = 2 * nb + ((x >> extra_bits) & 1);
    let extra = x & ((1 << extra_bits) - 1);
    (
        DIST_REV[code as usize % 30] as u32 | extra << 5,
        5 + extra_bits,
    )
}

/// Distance `dist` (1..=32768) by [`dist_index`]: the bit-reversed 5-bit code in bits 0..5, the
/// mask of its extra bits shifted left by 5 (bits 5..18), and the total bit count in bits 24..32.
/// The extra bits of `x = dist - 1` are `x & mask`, because every code's first `x` is a multiple
/// of `mask + 1`.
pub(crate) static DIST: [u32; 512] = build_dist();

const fn build_dist() -> [u32; 512] {
    let mut t = [0u32; 512];
    let mut i = 0;
    while i < 512 {
        // The smallest `dist - 1` that maps to entry `i`: every entry covers distances of one code.
        let x = if i < 256 {
            i as u32
        } else {
            ((i - 256) as u32) << 7
        };
        let (code, extra_bits) = if x < 4 {
            (x, 0)
        } else {
            let nb = 31 - x.leading_zeros();
            (2 * nb + ((x >> (nb - 1)) & 1), nb - 1)
        };
        let mask = (1 << extra_bits) - 1;
        t[i] = reverse(code % 30, 5) | mask << 5 | (5 + extra_bits) << 24;
        i += 1;
    }
    t
}

/// Index into [`DIST`] of distance `dist` (1..=32768): `dist - 1` below 256, else 256 plus its
/// top 8 bits (every code from 16 on covers whole 128-distance ranges).
#[inline(always)]
pub(crate) fn dist_index(dist: usize) -> usize {
    let x = (dist - 1) & 0x7fff;
    if x < 256 {
        x
    } else {
        256 + (x >> 7)
    }
}

/// The packed code of a distance from the tables: `(code then extra bits, total bits)`.
#[inline(always)]
pub(crate) fn dist_code_fast(dist: usize) -> (u32, u32) {
    let e = DIST[dist_index(dist)];
    let x = (dist - 1) as u32 & 0x7fff;
    ((e & 31) | ((x << 5) & e), e >> 24)
}

/// Bits the fixed code spends on the literals `bytes`: 8 each, plus 1 for each byte >= 144.
#[inline]
pub(crate) fn literal_bits(bytes: &[u8]) -> usize {
    let nine = bytes.iter().filter(|&&b| b >= 144).count();
    bytes.len() * 8 + nine
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_cover_3_to_258() {
        assert_eq!(len_code(3), (0b1000000, 7)); // symbol 257 = 0000001, reversed
        assert_eq!(len_code(258).1, 8); // symbol 285, no extra bits
        assert_eq!(len_code(257).1, 8 + 5); // symbol 284 with extra value 30
        for len in 3..=258 {
            assert!(len_code(len).1 >= 7 && len_code(len).1 <= 13, "{len}");
        }
    }

    #[test]
    fn distance_table_matches_formula() {
        for d in 1..=32768 {
            assert_eq!(dist_code_fast(d), dist_code(d), "{d}");
        }
    }

    #[test]
    fn distances() {
        assert_eq!(dist_code(1), (0, 5));
        assert_eq!(dist_code(5).1, 6);
        assert_eq!(dist_code(32768).1, 5 + 13);
        assert_eq!(dist_code(32768).0 & 31, reverse(29, 5));
        assert_eq!(dist_code(24577).0 & 31, reverse(29, 5));
        assert_eq!(dist_code(24576).0 & 31, reverse(28, 5));
    }
}
