//! Levels 2..=9: how a parsed segment is written. Every candidate's size is known exactly
//! before anything is written (the segment's histogram gives each code's bits), so the cheapest
//! of these is written directly:
//!
//! * stored (the bound's reference: `block.rs`);
//! * RFC 1951's fixed code (no header);
//! * each trained code (`trained.rs`, a precomputed header of ~60-70 bytes);
//! * the segment's own dynamic code (`huffman_build.rs`).
//!
//! A Huffman choice is taken only if it ends no later than the stored block would, so the
//! output bound of `block.rs` holds unchanged.

use crate::bits::BitWriter;
use crate::block::{put_block_header, stored_bits, write_stored};
use crate::block_split::{self, Blocks};
use crate::huffman::{
    Code, FIXED, TRAINED_LARGE, TRAINED_PIECES, TRAINED_PIECES_BINARY, TRAINED_PIECES_TEXT,
};
use crate::huffman_build::DynamicCode;
use crate::seq_writer::{symbol_bits, BlockCode};
use crate::tokens::{Histogram, Seq, Tokens, DIST_SYMS, LITLEN_SYMS};

/// A code whose tables are fixed at compile time: the fixed code or a trained one.
struct StaticCode {
    /// Its tables for the level-1 emitters, used here for the block header only.
    header: &'static Code,
    ll: &'static [u8; LITLEN_SYMS],
    d: &'static [u8; DIST_SYMS],
    tables: BlockCode,
}

const fn first_286(l: [u8; 288]) -> [u8; LITLEN_SYMS] {
    let mut t = [0u8; LITLEN_SYMS];
    let mut i = 0;
    while i < LITLEN_SYMS {
        t[i] = l[i];
        i += 1;
    }
    t
}

static FIXED_LL: [u8; LITLEN_SYMS] = first_286(crate::huffman::fixed_litlen_bits());
static FIXED_D: [u8; DIST_SYMS] = [5; DIST_SYMS];

macro_rules! static_code {
    ($code:expr, $ll:expr, $d:expr) => {
        static_code!($code, $ll, $d, $ll)
    };
    ($code:expr, $ll:expr, $d:expr, $table_ll:expr) => {
        StaticCode {
            header: &$code,
            ll: &$ll,
            d: &$d,
            tables: BlockCode::from_lengths(&$table_ll, &$d),
        }
    };
}

/// The codes that need no building: fixed first, then the trained ones.
static STATIC_CODES: [StaticCode; 5] = [
    static_code!(
        FIXED,
        FIXED_LL,
        FIXED_D,
        crate::huffman::fixed_litlen_bits()
    ),
    static_code!(
        TRAINED_LARGE,
        crate::trained::large::LITLEN_BITS,
        crate::trained::large::DIST_BITS
    ),
    static_code!(
        TRAINED_PIECES,
        crate::trained::pieces::LITLEN_BITS,
        crate::trained::pieces::DIST_BITS
    ),
    static_code!(
        TRAINED_PIECES_TEXT,
        crate::trained::pieces_text::LITLEN_BITS,
        crate::trained::pieces_text::DIST_BITS
    ),
    static_code!(
        TRAINED_PIECES_BINARY,
        crate::trained::pieces_binary::LITLEN_BITS,
        crate::trained::pieces_binary::DIST_BITS
    ),
];

/// Bits of a block coded with its own dynamic code, header included (BFINAL/BTYPE excluded).
fn dynamic_bits(code: &DynamicCode, hist: &Histogram) -> usize {
    code.header_bits + symbol_bits(hist, &code.litlen_lens, &code.dist_lens)
}

/// The cheapest Huffman way to write the sequences `seqs` with histogram `hist`: the index of a
/// static code, or `None` for the dynamic code `dynamic`; and its bits including the 3-bit block
/// header and the extra bits.
fn cheapest(hist: &Histogram, dynamic: &DynamicCode) -> (Option<usize>, usize) {
    let extra = hist.extra_bits() + 3;
    let mut best = (None, dynamic_bits(dynamic, hist) + extra);
    // The symbols used, once: a small block uses few of the 316, and each static code is
    // costed over them only.
    let mut used = [(0u16, 0u32); LITLEN_SYMS + DIST_SYMS];
    let mut n = 0;
    let counts = hist.litlen.iter().chain(&hist.dist);
    for (s, &f) in counts.enumerate() {
        if f > 0 {
            used[n] = (s as u16, f);
            n += 1;
        }
    }
    for (k, c) in STATIC_CODES.iter().enumerate() {
        let len = |s: usize| {
            if s < LITLEN_SYMS {
                c.ll[s]
            } else {
                c.d[s - LITLEN_SYMS]
            }
        };
        let sym: usize = used[..n]
            .iter()
            .map(|&(s, f)| f as usize * len(s as usize) as usize)
            .sum();
        let bits = c.header.header_bits + sym + extra;
        if bits < best.1 {
            best = (Some(k), bits);
        }
    }
    best
}

/// Writes one Huffman block of `seqs` (literals from `input[pos..]`) with the chosen code.
fn write_block(
    w: &mut BitWriter<'_>,
    input: &[u8],
    pos: usize,
    seqs: &[Seq],
    choice: Option<usize>,
    dynamic: &DynamicCode,
    last: bool,
) {
    match choice {
        Some(k) => {
            let c = &STATIC_CODES[k];
            put_block_header(w, c.header, last);
            c.tables.write(w, input, pos, seqs);
        }
        None => {
            w.put(last as u64 | 2 << 1, 3); // BFINAL, BTYPE = 10
            dynamic.write_header(w);
            let tables = BlockCode::from_lengths(&dynamic.litlen_lens, &dynamic.dist_lens);
            tables.write(w, input, pos, seqs);
        }
    }
}

/// Writes the segment `input[start..end]`, parsed into `tokens` (closed with `Tokens::end`),
/// as the cheapest of stored, one Huffman block, and (if `split`) the blocks
/// `block_split::plan` proposes, each with its cheapest code; final if `last`.
pub(crate) fn write_segment<const N: usize, const M: usize>(
    w: &mut BitWriter<'_>,
    input: &[u8],
    start: usize,
    end: usize,
    tokens: &Tokens<N, M>,
    last: bool,
    split: bool,
) {
    let stored_end = w.bit_position() + stored_bits(w.bit_position(), end - start);
    let dynamic = DynamicCode::build(&tokens.hist);
    let (choice, bits) = cheapest(&tokens.hist, &dynamic);
    if split {
        let blocks = block_split::plan(tokens, start, end);
        // Kept only if shorter than one block, and (for the bound) no later than stored.
        if blocks.n > 1 {
            let split_end = w.bit_position() + split_bits(tokens, &blocks);
            if split_end < w.bit_position() + bits && split_end <= stored_end {
                write_split(w, input, tokens, &blocks, last);
                debug_assert_eq!(w.bit_position(), split_end);
                return;
            }
        }
    }
    if w.bit_position() + bits <= stored_end {
        write_block(w, input, start, tokens.seqs(), choice, &dynamic, last);
        debug_assert!(w.bit_position() <= stored_end);
    } else {
        write_stored(w, &input[start..end], last);
    }
}

/// Exact bits of `blocks` of `tokens`, each with its cheapest code.
fn split_bits<const N: usize, const M: usize>(tokens: &Tokens<N, M>, blocks: &Blocks) -> usize {
    (0..blocks.n)
        .map(|i| {
            let hist = blocks.hist(tokens, i);
            cheapest(&hist, &DynamicCode::build(&hist)).1
        })
        .sum()
}

/// Writes `blocks` of `tokens`, each with its cheapest code; the last one final if `last`.
fn write_split<const N: usize, const M: usize>(
    w: &mut BitWriter<'_>,
    input: &[u8],
    tokens: &Tokens<N, M>,
    blocks: &Blocks,
    last: bool,
) {
    for i in 0..blocks.n {
        let hist = blocks.hist(tokens, i);
        let dynamic = DynamicCode::build(&hist);
        let (choice, _) = cheapest(&hist, &dynamic);
        let (seqs, pos) = blocks.block(i);
        let last = last && i + 1 == blocks.n;
        write_block(w, input, pos, &tokens.seqs()[seqs], choice, &dynamic, last);
    }
}
