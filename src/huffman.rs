//! Huffman codes as tables ready for an LSB-first bit writer: the fixed code of RFC 1951
//! (3.2.6) and the trained dynamic codes of `trained.rs`, all built at compile time from code
//! lengths.
//!
//! Every code is stored bit-reversed (deflate sends Huffman codes most significant bit first,
//! while the bit writer fills bytes from the least significant bit). Length and distance entries
//! are *pre-packed*: the code and its extra bits are one value, so a whole match (at most
//! 9 + 5 + 8 + 13 = 35 bits) goes out in a single write.

/// A literal/length code and a distance code, as tables for the bit writer. Built at compile
/// time from code lengths by [`Code::from_lengths`]: the RFC's fixed code ([`FIXED`]) and the
/// trained dynamic codes ([`TRAINED_LARGE`], [`PIECES_CODES`], `trained.rs`) share every
/// emitter.
///
/// Budget the emitters rely on: literal and length codes are at most 9 bits and distance codes
/// at most 8, so six literals take at most 54 bits and a match at most 9 + 5 + 8 + 13 = 35.
pub(crate) struct Code {
    /// Literal `b`: `code | bits << 16`.
    pub(crate) lit: [u32; 256],
    /// Match length `len` (3..=258), indexed by `len - 3`: the length symbol's code followed by
    /// its extra bits in the low 24 bits, the total bit count in the top 8 bits.
    pub(crate) len: [u32; 256],
    /// Distance `dist` (1..=32768) by [`dist_index`]: the code in bits 0..8, its length in bits
    /// 8..12, the mask of its extra bits in bits 12..25 and the total bit count in bits 26..32.
    /// The extra bits of `x = dist - 1` are `x & mask`, because every code's first `x` is a
    /// multiple of `mask + 1`.
    pub(crate) dist: [u32; 512],
    /// End-of-block (symbol 256): `code | bits << 16`.
    pub(crate) eob: u32,
    /// The dynamic block header declaring this code (after BFINAL/BTYPE, LSB-first) and its
    /// length in bits; empty for the fixed code, whose blocks are BTYPE 01 without header.
    pub(crate) header: &'static [u8],
    pub(crate) header_bits: usize,
}

/// Longest literal/length code any [`Code`] may have (see the budget on [`Code`]).
pub(crate) const MAX_LITLEN_BITS: u8 = 9;
/// Longest distance code any [`Code`] may have.
pub(crate) const MAX_DIST_BITS: u8 = 8;

/// The fixed code of RFC 1951 (3.2.6): literals 8 or 9 bits, lengths 7 or 8, distances 5.
pub(crate) static FIXED: Code = Code::from_lengths(&fixed_litlen_bits(), &[5; 30]);

/// The [`Code`] of the trained code in module `trained::$m`, with its block header.
macro_rules! trained_code {
    ($m:ident) => {
        Code::from_lengths(
            &crate::trained::$m::LITLEN_BITS,
            &crate::trained::$m::DIST_BITS,
        )
        .with_header(&crate::trained::$m::HEADER, crate::trained::$m::HEADER_BITS)
    };
}

/// The trained dynamic code of level 1's calls of 2-4 KiB (`trained.rs`; trained on files
/// in 4 KiB calls), declared by its precomputed block header.
pub(crate) static TRAINED_LARGE: Code = trained_code!(large);

/// The trained dynamic codes of calls of 4-16 KiB and of each 32 KiB block of level 1's larger
/// calls (`trained.rs`), fitted to those parses (which skip ahead sooner), each declared by its
/// precomputed block header: one trained on the text, numeric and executable training files,
/// one on text and web files only, one on binary files only, one on digit-heavy web files
/// only. Each block takes the one that codes a sample of its bytes cheapest
/// (`block::choose_code`); its index is the block's content class ([`MIXED`], [`TEXT`],
/// [`BINARY`], [`NUMERIC`]), which also picks the parse (`fast::deflate_by_content`).
pub(crate) static PIECES_CODES: [&Code; 4] = [
    &TRAINED_PIECES,
    &TRAINED_PIECES_TEXT,
    &TRAINED_PIECES_BINARY,
    &TRAINED_PIECES_NUMERIC,
];
/// The content class a block falls in: the index of the code [`PIECES_CODES`] chose for it.
/// Mixed content (databases, anything no other class fits better).
pub(crate) const MIXED: usize = 0;
/// Text and web content.
pub(crate) const TEXT: usize = 1;
/// Binary content (executables, images, tables of numbers).
pub(crate) const BINARY: usize = 2;
/// Digit-heavy text (SVG path data, numeric JSON, PDF): from 4 KiB on parsed as mixed content
/// unless digit-heavy enough for the numeric parse (`fast::numeric`); smaller calls take the
/// fixed code's parse (`fast::deflate_small`).
pub(crate) const NUMERIC: usize = 3;

/// [`PIECES_CODES`] for blocks of ASCII bytes only (bytes 0-127): the same classes, each code
/// but the binary one without codes for bytes 128-255 (`trained.rs`), whose quarter of the code
/// space goes to the other symbols. Such a code must never see a byte over 127 (it would write
/// no bits): `fast::ascii_or` checks the whole block.
pub(crate) static PIECES_CODES_ASCII: [&Code; 4] = [
    &TRAINED_PIECES_ASCII,
    &TRAINED_PIECES_TEXT_ASCII,
    &TRAINED_PIECES_BINARY,
    &TRAINED_PIECES_NUMERIC_ASCII,
];

/// [`TRAINED_LARGE`] without codes for bytes 128-255, for calls of ASCII bytes only.
pub(crate) static TRAINED_LARGE_ASCII: Code = trained_code!(large_ascii);
/// [`TRAINED_PIECES`] without codes for bytes 128-255.
pub(crate) static TRAINED_PIECES_ASCII: Code = trained_code!(pieces_ascii);
/// [`TRAINED_PIECES_TEXT`] without codes for bytes 128-255.
pub(crate) static TRAINED_PIECES_TEXT_ASCII: Code = trained_code!(pieces_text_ascii);
/// [`TRAINED_PIECES_NUMERIC`] without codes for bytes 128-255.
pub(crate) static TRAINED_PIECES_NUMERIC_ASCII: Code = trained_code!(pieces_numeric_ascii);

/// The codes of calls of 257 B-2 KiB (`trained.rs`), fitted to their parses (each file in 1 KiB
/// calls), each declared by its precomputed block header: on text and on digit-heavy web files;
/// and both without codes for bytes 128-255, for calls of ASCII bytes only
/// (`fast::deflate_small`). Binary calls keep `TRAINED_PIECES_BINARY` (`docs/tuning.md`).
pub(crate) static TRAINED_SMALL_TEXT: Code = trained_code!(small_text);
pub(crate) static TRAINED_SMALL_NUMERIC: Code = trained_code!(small_numeric);
pub(crate) static TRAINED_SMALL_TEXT_ASCII: Code = trained_code!(small_text_ascii);
pub(crate) static TRAINED_SMALL_NUMERIC_ASCII: Code = trained_code!(small_numeric_ascii);

/// The 4-16 KiB code trained on all the training files.
pub(crate) static TRAINED_PIECES: Code = trained_code!(pieces);
/// The 4-16 KiB code trained on text and web files.
pub(crate) static TRAINED_PIECES_TEXT: Code = trained_code!(pieces_text);
/// The 4-16 KiB code trained on binary files (executables, libraries, bytecode, fonts, ...).
pub(crate) static TRAINED_PIECES_BINARY: Code = trained_code!(pieces_binary);
/// The 4-16 KiB code trained on digit-heavy web files (SVG icons, TopoJSON maps).
pub(crate) static TRAINED_PIECES_NUMERIC: Code = trained_code!(pieces_numeric);

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

/// Code lengths of the fixed literal/length code, symbols 0..=287 (286 and 287 never occur in
/// data, but they hold two 8-bit codes, which moves every 9-bit code).
pub(crate) const fn fixed_litlen_bits() -> [u8; 288] {
    let mut t = [0u8; 288];
    let mut s = 0;
    while s < 288 {
        t[s] = if s < 144 {
            8
        } else if s < 256 {
            9
        } else if s < 280 {
            7
        } else {
            8
        };
        s += 1;
    }
    t
}

/// The canonical codes (RFC 1951 3.2.2) of `lens`, bit-reversed for the LSB-first writer; a
/// symbol of length 0 has none (its entry is 0, and it must never be written). Panics (at
/// compile time) if a length is over 15 or the code is over-subscribed.
const fn canonical<const N: usize>(lens: &[u8; N]) -> [u32; N] {
    let mut count = [0u32; 16];
    let mut s = 0;
    while s < N {
        assert!(lens[s] <= 15);
        if lens[s] > 0 {
            count[lens[s] as usize] += 1;
        }
        s += 1;
    }
    let mut next = [0u32; 16];
    let mut code = 0;
    let mut n = 1;
    while n < 16 {
        code = (code + count[n - 1]) << 1;
        next[n] = code;
        n += 1;
    }
    let mut out = [0u32; N];
    s = 0;
    while s < N {
        let n = lens[s] as usize;
        if n > 0 {
            assert!(next[n] < 1 << n, "over-subscribed code");
            out[s] = reverse(next[n], n as u32);
            next[n] += 1;
        }
        s += 1;
    }
    out
}

const LEN_BASE: [u32; 29] = [
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131,
    163, 195, 227, 258,
];
const LEN_EXTRA: [u32; 29] = [
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
];

impl Code {
    /// The tables of the code with literal/length code lengths `ll` (symbols 0..=285, or
    /// 0..=287 for the fixed code) and distance code lengths `d` (symbols 0..=29). Checked at
    /// compile time: every symbol has a code, none longer than the emitters' budget.
    pub(crate) const fn from_lengths<const NLL: usize>(ll: &[u8; NLL], d: &[u8; 30]) -> Code {
        let llc = canonical(ll);
        let dc = canonical(d);
        let mut lit = [0u32; 256];
        let mut b = 0;
        while b < 256 {
            assert!(ll[b] <= MAX_LITLEN_BITS);
            lit[b] = llc[b] | (ll[b] as u32) << 16;
            b += 1;
        }
        let mut len = [0u32; 256];
        let mut idx = 0;
        while idx < 29 {
            let (code, bits) = (llc[257 + idx], ll[257 + idx] as u32);
            assert!(bits <= MAX_LITLEN_BITS as u32);
            let extra = LEN_EXTRA[idx];
            let mut v = 0;
            while v < (1 << extra) {
                let l = LEN_BASE[idx] + v;
                // Symbol 284 could name 258 with extra value 31; RFC 1951 reserves 258 for 285.
                if l <= 258 && !(idx == 27 && l == 258) {
                    len[(l - 3) as usize] = (code | v << bits) | (bits + extra) << 24;
                }
                v += 1;
            }
            idx += 1;
        }
        let mut dist = [0u32; 512];
        let mut i = 0;
        while i < 512 {
            // The smallest `dist - 1` that maps to entry `i`: every entry covers distances of one
            // code.
            let x = if i < 256 {
                i as u32
            } else {
                ((i - 256) as u32) << 7
            };
            let (sym, extra_bits) = if x < 4 {
                (x, 0)
            } else {
                let nb = 31 - x.leading_zeros();
                (2 * nb + ((x >> (nb - 1)) & 1), nb - 1)
            };
            let sym = (sym % 30) as usize;
            let bits = d[sym] as u32;
            assert!(bits <= MAX_DIST_BITS as u32);
            let mask = (1 << extra_bits) - 1;
            dist[i] = dc[sym] | bits << 8 | mask << 12 | (bits + extra_bits) << 26;
            i += 1;
        }
        Code {
            lit,
            len,
            dist,
            eob: llc[256] | (ll[256] as u32) << 16,
            header: &[],
            header_bits: 0,
        }
    }

    /// This code as a dynamic code declared by `header` (`bits` bits, LSB-first).
    pub(crate) const fn with_header(mut self, header: &'static [u8], bits: usize) -> Code {
        assert!(header.len() == bits.div_ceil(8));
        self.header = header;
        self.header_bits = bits;
        self
    }

    /// The packed code of a match length: `(code with extra bits, total bits)`.
    #[inline(always)]
    pub(crate) fn len_code(&self, len: usize) -> (u32, u32) {
        let e = self.len[(len - 3) & 0xff];
        (e & 0x00ff_ffff, e >> 24)
    }

    /// The packed code of distance `dist` (1..=32768): `(code then extra bits, total bits)`.
    #[inline(always)]
    pub(crate) fn dist_code(&self, dist: usize) -> (u32, u32) {
        let e = self.dist[dist_index(dist)];
        let x = (dist - 1) as u32 & 0x7fff;
        let extra = x & (e >> 12) & 0x1fff;
        ((e & 0xff) | extra << ((e >> 8) & 15), e >> 26)
    }

    /// Bits this code spends on the literals `bytes`.
    #[inline]
    pub(crate) fn literal_bits(&self, bytes: &[u8]) -> usize {
        bytes
            .iter()
            .map(|&b| (self.lit[b as usize] >> 16) as usize)
            .sum()
    }

    /// End-of-block as `(code, bits)`.
    #[inline(always)]
    pub(crate) fn eob(&self) -> (u64, u32) {
        ((self.eob & 0xffff) as u64, self.eob >> 16)
    }
}

/// Index into [`Code::dist`] of distance `dist` (1..=32768): `dist - 1` below 256, else 256
/// plus its top 8 bits (every code from 16 on covers whole 128-distance ranges).
#[inline(always)]
pub(crate) fn dist_index(dist: usize) -> usize {
    let x = (dist - 1) & 0x7fff;
    if x < 256 {
        x
    } else {
        256 + (x >> 7)
    }
}

#[cfg(test)]
mod tests {
    use super::trained_tests::TRAINED_CODES;
    use super::*;

    /// Distance `d`'s symbol, extra value and extra bit count, by RFC 1951's table.
    fn dist_code(d: usize) -> (u32, u32, u32) {
        let x = (d - 1) as u32;
        if x < 4 {
            return (x, 0, 0);
        }
        let nb = 31 - x.leading_zeros();
        let extra_bits = nb - 1;
        (
            2 * nb + ((x >> extra_bits) & 1),
            x & ((1 << extra_bits) - 1),
            extra_bits,
        )
    }

    #[test]
    fn fixed_code_is_the_rfc_one() {
        // RFC 1951 3.2.6: literals 0..=143 are 00110000.., 144..=255 are 110010000..
        assert_eq!(FIXED.lit[0], reverse(0x30, 8) | 8 << 16);
        assert_eq!(FIXED.lit[144], reverse(0x190, 9) | 9 << 16);
        assert_eq!(FIXED.eob(), (0, 7)); // symbol 256 = 0000000
        assert_eq!(FIXED.len_code(3), (0b1000000, 7)); // symbol 257 = 0000001, reversed
        assert_eq!(FIXED.len_code(258).1, 8); // symbol 285, no extra bits
        assert_eq!(FIXED.len_code(257).1, 8 + 5); // symbol 284 with extra value 30
        for len in 3..=258 {
            assert!(
                FIXED.len_code(len).1 >= 7 && FIXED.len_code(len).1 <= 13,
                "{len}"
            );
        }
    }

    #[test]
    fn distance_tables_match_formula() {
        let fixed_lengths = [5u8; 30];
        let trained = TRAINED_CODES.map(|(code, _, _, _, d)| (code, d));
        for (code, lengths) in [(&FIXED, &fixed_lengths)].into_iter().chain(trained) {
            let codes = canonical(lengths);
            for d in 1..=32768 {
                let (want_sym, want_extra, extra_bits) = dist_code(d);
                let sym_bits = u32::from(lengths[want_sym as usize]);
                let want = codes[want_sym as usize] | want_extra << sym_bits;
                assert_eq!(code.dist_code(d), (want, sym_bits + extra_bits), "{d}");
            }
        }
        assert_eq!(FIXED.dist_code(1), (0, 5));
        assert_eq!(FIXED.dist_code(5).1, 6);
        assert_eq!(FIXED.dist_code(32768).1, 5 + 13);
        assert_eq!(FIXED.dist_code(32768).0 & 31, reverse(29, 5));
        assert_eq!(FIXED.dist_code(24577).0 & 31, reverse(29, 5));
        assert_eq!(FIXED.dist_code(24576).0 & 31, reverse(28, 5));
    }

    #[test]
    fn length_tables_match_rfc() {
        let fixed = fixed_litlen_bits();
        check_lengths(&FIXED, &canonical(&fixed), &fixed);
        for (code, _, _, lengths, _) in TRAINED_CODES {
            check_lengths(code, &canonical(lengths), lengths);
        }
    }

    /// Every length 3..=258 and every literal of `code` against the canonical `codes` of
    /// `lengths` and RFC 1951's extra bits.
    fn check_lengths(code: &Code, codes: &[u32], lengths: &[u8]) {
        for len in 3..=258u32 {
            // RFC 1951 3.2.5: symbol and extra bits of a length.
            let idx = if len == 258 {
                28
            } else {
                LEN_BASE.iter().rposition(|&b| b <= len).unwrap()
            };
            let sym = 257 + idx;
            let bits = u32::from(lengths[sym]);
            let want = codes[sym] | (len - LEN_BASE[idx]) << bits;
            assert_eq!(
                code.len_code(len as usize),
                (want, bits + LEN_EXTRA[idx]),
                "{len}"
            );
        }
        for b in 0..256 {
            assert_eq!(code.lit[b], codes[b] | u32::from(lengths[b]) << 16, "{b}");
        }
    }

    #[test]
    fn literal_bits_sum_the_table() {
        assert_eq!(FIXED.literal_bits(&[0, 143, 144, 255]), 8 + 8 + 9 + 9);
    }
}

#[cfg(test)]
pub(crate) mod trained_tests {
    use super::{Code, BINARY, MAX_DIST_BITS, MAX_LITLEN_BITS, MIXED, PIECES_CODES, TEXT};
    use crate::trained::*;

    /// Reads the header back as an inflater would and returns the declared code lengths.
    fn parse_header(bytes: &[u8], nbits: usize) -> (usize, [u8; 320]) {
        let mut pos = 0;
        let mut bit = || {
            assert!(pos < nbits, "header read past its end");
            let b = (bytes[pos / 8] >> (pos % 8)) & 1;
            pos += 1;
            b as u32
        };
        let get = |n: u32, bit: &mut dyn FnMut() -> u32| (0..n).fold(0, |v, k| v | bit() << k);
        let hlit = get(5, &mut bit) as usize + 257;
        let hdist = get(5, &mut bit) as usize + 1;
        let hclen = get(4, &mut bit) as usize + 4;
        const ORDER: [usize; 19] = [
            16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15,
        ];
        let mut cl = [0u8; 19];
        for &s in &ORDER[..hclen] {
            cl[s] = get(3, &mut bit) as u8;
        }
        // Canonical decoding of the code-length code, one bit at a time (MSB-first codes).
        let decode = |bit: &mut dyn FnMut() -> u32| -> usize {
            let (mut code, mut first) = (0i32, 0i32);
            for len in 1..=7u8 {
                code |= bit() as i32;
                let count = cl.iter().filter(|&&l| l == len).count() as i32;
                if code - first < count {
                    let k = (code - first) as usize;
                    return (0..19).filter(|&s| cl[s] == len).nth(k).unwrap();
                }
                first = (first + count) << 1;
                code <<= 1;
            }
            panic!("invalid code-length code");
        };
        let mut lens = [0u8; 320];
        let mut n = 0;
        while n < hlit + hdist {
            match decode(&mut bit) {
                s @ 0..=15 => {
                    lens[n] = s as u8;
                    n += 1;
                }
                16 => {
                    let r = 3 + get(2, &mut bit) as usize;
                    let prev = lens[n - 1];
                    lens[n..n + r].fill(prev);
                    n += r;
                }
                17 => n += 3 + get(3, &mut bit) as usize,
                _ => n += 11 + get(7, &mut bit) as usize,
            }
        }
        assert_eq!(n, hlit + hdist, "a repeat ran past the declared lengths");
        assert_eq!(pos, nbits, "header bits left over");
        assert_eq!((hlit, hdist), (286, 30));
        (n, lens)
    }

    /// A trained code: its `Code`, header, header bits, literal/length and distance lengths.
    pub(crate) type Trained = (
        &'static Code,
        &'static [u8],
        usize,
        &'static [u8; 286],
        &'static [u8; 30],
    );

    macro_rules! trained {
        ($code:expr, $m:ident) => {
            (
                &$code,
                &$m::HEADER,
                $m::HEADER_BITS,
                &$m::LITLEN_BITS,
                &$m::DIST_BITS,
            )
        };
    }

    /// Every trained code, for the tests of every module; the last [`ASCII_CODES`] have no code
    /// for bytes 128-255.
    pub(crate) static TRAINED_CODES: [Trained; 13] = [
        trained!(super::TRAINED_LARGE, large),
        trained!(super::TRAINED_PIECES, pieces),
        trained!(super::TRAINED_PIECES_TEXT, pieces_text),
        trained!(super::TRAINED_PIECES_BINARY, pieces_binary),
        trained!(super::TRAINED_PIECES_NUMERIC, pieces_numeric),
        trained!(super::TRAINED_SMALL_TEXT, small_text),
        trained!(super::TRAINED_SMALL_NUMERIC, small_numeric),
        trained!(super::TRAINED_LARGE_ASCII, large_ascii),
        trained!(super::TRAINED_PIECES_ASCII, pieces_ascii),
        trained!(super::TRAINED_PIECES_TEXT_ASCII, pieces_text_ascii),
        trained!(super::TRAINED_PIECES_NUMERIC_ASCII, pieces_numeric_ascii),
        trained!(super::TRAINED_SMALL_TEXT_ASCII, small_text_ascii),
        trained!(super::TRAINED_SMALL_NUMERIC_ASCII, small_numeric_ascii),
    ];
    /// How many of [`TRAINED_CODES`] (the last ones) are ASCII codes.
    pub(crate) const ASCII_CODES: usize = 6;

    #[test]
    fn headers_declare_the_trained_lengths() {
        for (code, header, bits, ll, d) in TRAINED_CODES {
            let (n, lens) = parse_header(header, bits);
            assert_eq!(n, 316);
            assert_eq!(lens[..286], ll[..]);
            assert_eq!(lens[286..316], d[..]);
            assert_eq!(header.len(), bits.div_ceil(8));
            assert_eq!((code.header, code.header_bits), (header, bits));
        }
        assert_eq!(super::FIXED.header_bits, 0);
        // The 4-16 KiB set holds each of its codes once.
        assert!(core::ptr::eq(PIECES_CODES[MIXED], &super::TRAINED_PIECES));
        assert!(core::ptr::eq(
            PIECES_CODES[TEXT],
            &super::TRAINED_PIECES_TEXT
        ));
        assert!(core::ptr::eq(
            PIECES_CODES[BINARY],
            &super::TRAINED_PIECES_BINARY
        ));
    }

    #[test]
    fn codes_are_complete_and_within_budget() {
        // Kraft sums exactly 1 (zlib rejects incomplete codes), and the emitters' budgets hold.
        // Every symbol has a code, but bytes 128-255 in the ASCII codes.
        let kraft = |l: &[u8]| {
            l.iter()
                .filter(|&&b| b > 0)
                .map(|&b| 1u64 << (15 - b))
                .sum::<u64>()
        };
        for (k, (_, _, _, ll, d)) in TRAINED_CODES.iter().enumerate() {
            let ascii = k >= TRAINED_CODES.len() - ASCII_CODES;
            assert_eq!(kraft(*ll), 1 << 15);
            assert_eq!(kraft(*d), 1 << 15);
            for (s, &b) in ll.iter().enumerate() {
                if ascii && (128..256).contains(&s) {
                    assert_eq!(b, 0, "code {k} symbol {s}");
                } else {
                    assert!((1..=MAX_LITLEN_BITS).contains(&b), "code {k} symbol {s}");
                }
            }
            assert!(d.iter().all(|&b| (1..=MAX_DIST_BITS).contains(&b)));
        }
    }
}
