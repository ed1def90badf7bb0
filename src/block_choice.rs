//! Levels 2..=9: how a parsed segment is written. Every candidate's size is known exactly
//! before anything is written (the segment's histogram gives each code's bits), so the cheapest
//! of these is written directly:
//!
//! * stored (the bound's reference: `block.rs`);
//! * RFC 1951's fixed code (no header);
//! * the segment's own dynamic code (`huffman_build.rs`).
//!
//! Level 1's trained codes are not candidates: sent as a dynamic header of ~60-70 bytes like the
//! block's own code, they never came out cheaper than it (`docs/tuning.md`).
//!
//! A Huffman block is written only if it ends no later than its bytes stored would (for blocks
//! of a split segment too, each on its own), so the output bound of `block.rs` holds unchanged.
//! Stored means blocks of up to 65535 bytes (`block::stored_bits`): a segment longer than that
//! (up to 64 KiB + 257 bytes) counts two stored headers, and it covers at least 64 KiB unless
//! it is the call's last, so the bound's 5 bytes per 32 KiB still hold.

use crate::bits::BitWriter;
use crate::block::{put_block_header, stored_bits, write_stored_all};
use crate::block_split::{self, Blocks};
use crate::huffman::FIXED;
use crate::huffman_build::DynamicCode;
use crate::seq_writer::{fixed_symbol_bits, BlockCode};
use crate::tokens::{Histogram, Seq, Tokens, DIST_SYMS};

static FIXED_D: [u8; DIST_SYMS] = [5; DIST_SYMS];
/// The fixed code as tables (with its symbols 286 and 287, which move every 9-bit code).
static FIXED_TABLES: BlockCode =
    BlockCode::from_lengths(&crate::huffman::fixed_litlen_bits(), &FIXED_D);

/// Segments of at most this many bytes (calls of up to 4 KiB: they are one segment) take
/// `DynamicCode::build_small`: in 1 KiB blocks the header is 10-13% of the output, and the
/// smoothed counts save 0.6-0.9% of the output for ~13% more time; in 16 KiB blocks, 0.08% for
/// 1.01-1.03x (`docs/tuning.md`).
const SMALL_BLOCK: usize = 4096;

/// The code a block is written with.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Choice {
    Fixed,
    Dynamic,
}

/// The cheaper Huffman way to write a block with histogram `hist`, fixed or its own `dynamic`
/// code, and its bits including the 3-bit block header and the extra bits.
fn cheapest(hist: &Histogram, dynamic: &DynamicCode) -> (Choice, usize) {
    let extra = hist.extra_bits() + 3;
    let dynamic = dynamic.header_bits + dynamic.symbol_bits;
    let fixed = fixed_symbol_bits(hist);
    if fixed <= dynamic {
        (Choice::Fixed, fixed + extra)
    } else {
        (Choice::Dynamic, dynamic + extra)
    }
}

/// Writes one Huffman block of `seqs` (literals from `input[pos..]`) with the chosen code.
fn write_block(
    w: &mut BitWriter<'_>,
    input: &[u8],
    pos: usize,
    seqs: &[Seq],
    choice: Choice,
    dynamic: &DynamicCode,
    last: bool,
) {
    match choice {
        Choice::Fixed => {
            put_block_header(w, &FIXED, last);
            FIXED_TABLES.write(w, input, pos, seqs);
        }
        Choice::Dynamic => {
            w.put(last as u64 | 2 << 1, 3); // BFINAL, BTYPE = 10
            dynamic.write_header(w);
            dynamic.tables().write(w, input, pos, seqs);
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
    let dynamic = if end - start <= SMALL_BLOCK {
        DynamicCode::build_small(&tokens.hist)
    } else {
        DynamicCode::build(&tokens.hist)
    };
    let (choice, bits) = cheapest(&tokens.hist, &dynamic);
    if split {
        let blocks = block_split::plan(tokens, start, end);
        // Kept only if shorter than one block, and (for the bound) no later than stored.
        if blocks.n > 1 {
            let split_end = end_of_split(tokens, &blocks, w.bit_position());
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
        write_stored_all(w, &input[start..end], last);
    }
}

/// Where `blocks` of `tokens` written from bit `at` end, each block as the cheapest of its
/// Huffman codes and stored (as `write_split` writes them).
fn end_of_split<const N: usize, const M: usize>(
    tokens: &Tokens<N, M>,
    blocks: &Blocks,
    mut at: usize,
) -> usize {
    for i in 0..blocks.n {
        let hist = blocks.hist(tokens, i);
        let huffman = cheapest(&hist, &DynamicCode::build(&hist)).1;
        at += huffman.min(stored_bits(at, blocks.block(i).1.len()));
    }
    at
}

/// Writes `blocks` of `tokens`, each with its cheapest code, or stored where that is shorter
/// (so that, as for one block, no block ends later than its bytes stored would); the last one
/// final if `last`.
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
        let (choice, bits) = cheapest(&hist, &dynamic);
        let (seqs, bytes) = blocks.block(i);
        let last = last && i + 1 == blocks.n;
        if bits <= stored_bits(w.bit_position(), bytes.len()) {
            let pos = bytes.start;
            write_block(w, input, pos, &tokens.seqs()[seqs], choice, &dynamic, last);
        } else {
            write_stored_all(w, &input[bytes], last);
        }
    }
}
