//! Levels 2..=9 over one call: tables sized to the call, then segment by segment: parse
//! (`parse.rs`), then write the cheapest block (`block_choice.rs`).
//!
//! Working memory, all on the stack of the call: hash chains of `2 * (HASH + WIN)` bytes and
//! the sequences of one segment (4 bytes each), sized to the call: under 8 KiB for calls of at
//! most 1 KiB, about 21 KiB up to 4 KiB, 77 KiB up to 16 KiB and 174 KiB above.

use crate::bits::BitWriter;
use crate::block_choice::write_segment;
use crate::match_finder::Chains;
use crate::parse::{parse_segment, ParseParams};
use crate::tokens::{max_seqs, Tokens, MAX_SEQS};

/// Compresses `input` at the level with parse parameters `p`; final block if `last`.
pub(crate) fn deflate_chains(w: &mut BitWriter<'_>, input: &[u8], last: bool, p: &ParseParams) {
    match input.len() {
        0..=1024 => run::<1024, 1024, { max_seqs(1024) }>(w, input, last, p),
        1025..=4096 => run::<4096, 4096, { max_seqs(4096) }>(w, input, last, p),
        4097..=16384 => run::<16384, 16384, { max_seqs(16384) }>(w, input, last, p),
        _ => run::<32768, 32768, MAX_SEQS>(w, input, last, p),
    }
}

fn run<const HASH: usize, const WIN: usize, const N: usize>(
    w: &mut BitWriter<'_>,
    input: &[u8],
    last: bool,
    p: &ParseParams,
) {
    let mut chains = Chains::<HASH, WIN>::new();
    let mut tokens = Tokens::<N>::new();
    let mut start = 0;
    while start < input.len() {
        tokens.clear();
        let end = parse_segment(input, start, &mut chains, &mut tokens, p);
        tokens.end();
        write_segment(w, input, start, end, &tokens, last && end == input.len());
        start = end;
    }
}
