//! Block writers and the block-type choice.
//!
//! The output bound (`Encoder::max_output_len`) rests on one rule enforced here: a block is
//! written with a Huffman code (the fixed one, or a trained one with its precomputed header)
//! only if it ends no later than the same bytes written as a stored block would. Because a
//! stored block's end position only grows with its start position, by induction every block
//! ends no later than in an all-stored encoding of the call, whose size is easy to bound.
//!
//! Level 1 enforces it by writing each block with its code straight into the output (no
//! token list) and, if the block came out longer than its stored form, rewinding the writer to
//! the block's start and storing the bytes instead (`encoder.rs`). The literals after a block's
//! last match are costed exactly before they are written, so a block without matches goes
//! stored without being coded. While a losing attempt runs, it may reach past the end of a
//! caller's buffer sized to `max_output_len`; the bit writer drops those bytes (`bits.rs`), and
//! the rewind makes them irrelevant.

use crate::bits::BitWriter;
use crate::huffman::{Code, FIXED};

/// Largest payload of one stored block.
pub(crate) const MAX_STORED: usize = 65535;

/// Bits `len` bytes take stored ([`write_stored_all`]: blocks of at most [`MAX_STORED`] bytes,
/// at least one) from bit position `start`: the first block's 3 header bits, padding to a byte
/// boundary, LEN and NLEN; 5 bytes of header for each further block; then the bytes.
#[inline]
pub(crate) fn stored_bits(start: usize, len: usize) -> usize {
    let aligned = (start + 3).div_ceil(8) * 8;
    let more = len.saturating_sub(1) / MAX_STORED;
    aligned - start + 32 + 40 * more + len * 8
}

/// Writes `data` (at most [`MAX_STORED`] bytes) as one stored block.
pub(crate) fn write_stored(w: &mut BitWriter<'_>, data: &[u8], last: bool) {
    debug_assert!(data.len() <= MAX_STORED);
    w.put(last as u64, 3); // BFINAL, BTYPE = 00
    w.align();
    let len = data.len() as u16;
    w.put_bytes(&len.to_le_bytes());
    w.put_bytes(&(!len).to_le_bytes());
    w.put_bytes(data);
}

/// Writes `data` as stored blocks of at most [`MAX_STORED`] bytes; the last one is final if
/// `last`. Empty `data` writes nothing.
pub(crate) fn write_stored_all(w: &mut BitWriter<'_>, data: &[u8], last: bool) {
    let mut chunks = data.chunks(MAX_STORED).peekable();
    while let Some(chunk) = chunks.next() {
        write_stored(w, chunk, last && chunks.peek().is_none());
    }
}

/// The sync-flush marker: an empty stored block, leaving the stream byte-aligned and ending in
/// `00 00 ff ff`.
pub(crate) fn write_sync_marker(w: &mut BitWriter<'_>) {
    write_stored(w, &[], false);
}

/// An empty fixed-code block (10 bits), used to end a stream when the final call has no data.
pub(crate) fn write_empty_fixed(w: &mut BitWriter<'_>, last: bool) {
    put_block_header(w, &FIXED, last);
    put_eob(w, &FIXED);
}

/// The header of a Huffman block: BFINAL and BTYPE 01 for the fixed code, or BTYPE 10 and the
/// precomputed header of a trained code (`trained.rs`).
#[inline]
pub(crate) fn put_block_header(w: &mut BitWriter<'_>, code: &Code, last: bool) {
    if code.header_bits == 0 {
        w.put(last as u64 | 1 << 1, 3); // BFINAL, BTYPE = 01
        return;
    }
    w.put(last as u64 | 2 << 1, 3); // BFINAL, BTYPE = 10
    let mut left = code.header_bits;
    for chunk in code.header.chunks(7) {
        let mut b = [0u8; 8];
        b[..chunk.len()].copy_from_slice(chunk);
        let n = left.min(56);
        w.put(u64::from_le_bytes(b) & ((1 << n) - 1), n as u32);
        left -= n;
    }
}

/// The index of the code of `codes` expected to code `block` shortest: the literal bits of
/// about `samples` bytes evenly spaced through the block, scaled to half the block (about the
/// share of a block's bytes that stay literals), plus the code's header. Only literal costs are
/// compared: they are what differs most between the fixed code and codes fitted to text or to
/// binary data, and a sample costs a few hundred table loads at most (under 1% of a call). Any
/// choice gives a valid stream; this one only affects the ratio. Ties go to the earlier code.
pub(crate) fn choose_code<const N: usize>(
    codes: &[&Code; N],
    block: &[u8],
    samples: usize,
) -> usize {
    let step = (block.len() / samples).max(1);
    let mut bits = [0usize; N];
    let mut taken = 0;
    for &b in block.iter().step_by(step) {
        for (sum, code) in bits.iter_mut().zip(codes) {
            *sum += (code.lit[b as usize] >> 16) as usize;
        }
        taken += 1;
    }
    let mut best = 0;
    let mut best_cost = usize::MAX;
    for (k, (&sum, &code)) in bits.iter().zip(codes).enumerate() {
        let cost = sum * block.len() / 2 / taken.max(1) + code.header_bits;
        if cost < best_cost {
            (best, best_cost) = (k, cost);
        }
    }
    best
}

/// Writes `lits` with `code`: six literals (at most 54 bits) per flush.
#[inline(always)]
pub(crate) fn put_literals(w: &mut BitWriter<'_>, code: &Code, lits: &[u8]) {
    let mut p = 0;
    while p + 6 <= lits.len() {
        let c = &lits[p..p + 6];
        let mut packed = 0u64;
        let mut bits = 0;
        for &b in c {
            let e = code.lit[b as usize];
            packed |= ((e & 0xffff) as u64) << bits;
            bits += e >> 16;
        }
        w.put_raw(packed, bits);
        w.flush();
        p += 6;
    }
    if p < lits.len() {
        for &b in &lits[p..] {
            let e = code.lit[b as usize];
            w.put_raw((e & 0xffff) as u64, e >> 16);
        }
        w.flush();
    }
}

/// Adds the literals `lits` (at most 2) to the writer without flushing.
#[inline(always)]
pub(crate) fn put_literals_unflushed(w: &mut BitWriter<'_>, code: &Code, lits: &[u8]) {
    debug_assert!(lits.len() <= 2);
    for &b in lits {
        let e = code.lit[b as usize];
        w.put_raw((e & 0xffff) as u64, e >> 16);
    }
}

/// Writes one match (length 3..=258, distance 1..=32768) with `code`: at most 35 bits, one
/// write. Flushes.
#[inline(always)]
pub(crate) fn put_match(w: &mut BitWriter<'_>, code: &Code, len: usize, dist: usize) {
    let (lc, lb) = code.len_code(len);
    let (dc, db) = code.dist_code(dist);
    // In 64 bits: a match may take 35 (9 + 5 + 8 + 13).
    w.put_raw(lc as u64 | (dc as u64) << lb, lb + db);
    w.flush();
}

/// End-of-block with `code`. Flushes.
#[inline(always)]
pub(crate) fn put_eob(w: &mut BitWriter<'_>, code: &Code) {
    let (c, n) = code.eob();
    w.put(c, n);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::huffman::trained_tests::TRAINED_CODES;
    use crate::huffman::{
        PIECES_CODES, TRAINED_PIECES_BINARY, TRAINED_PIECES_NUMERIC, TRAINED_PIECES_TEXT,
    };
    use std::vec::Vec;

    /// `stored_bits` is exactly what `write_stored_all` writes, from any bit offset, for runs
    /// of one, two and three stored blocks (a 64 KiB segment of levels 3-7 needs two).
    #[test]
    fn stored_bits_counts_every_stored_block() {
        let data = std::vec![0x5a; 2 * MAX_STORED + 300];
        for len in [
            1,
            100,
            MAX_STORED,
            MAX_STORED + 1,
            65536 + 257,
            2 * MAX_STORED + 1,
        ] {
            for start in 0..8 {
                let mut out = std::vec![0u8; len + 64];
                let mut w = BitWriter::new(&mut out, 0, 0, start);
                write_stored_all(&mut w, &data[..len], false);
                assert_eq!(
                    w.bit_position() - start as usize,
                    stored_bits(start as usize, len),
                    "{len} bytes from bit {start}"
                );
            }
        }
    }

    /// A match written in one go equals its length code then its distance code written apart,
    /// for every length with 5 extra bits and every distance with 12 or 13, in every code (up
    /// to 9 + 5 + 8 + 13 = 35 bits: more than 32).
    #[test]
    fn long_matches_in_one_write() {
        let trained = TRAINED_CODES.map(|(code, ..)| code);
        for code in [&FIXED].into_iter().chain(trained) {
            for len in [227, 240, 257, 258] {
                for dist in [8193, 16385, 24577, 32768] {
                    let (mut a, mut b) = ([0u8; 16], [0u8; 16]);
                    let mut wa = BitWriter::new(&mut a, 0, 0b101, 3);
                    put_match(&mut wa, code, len, dist);
                    wa.align();
                    let mut wb = BitWriter::new(&mut b, 0, 0b101, 3);
                    let (lc, lb) = code.len_code(len);
                    let (dc, db) = code.dist_code(dist);
                    wb.put(lc as u64, lb);
                    wb.put(dc as u64, db);
                    wb.align();
                    assert_eq!(wa.finish(), wb.finish());
                    assert_eq!(a, b, "len {len} dist {dist}");
                }
            }
        }
    }

    /// Exact literal bits of `block` with `code`, plus its header.
    fn literal_cost(code: &Code, block: &[u8]) -> usize {
        code.literal_bits(block) + code.header_bits
    }

    /// English text picks the text code, machine code and tables the binary code, SVG path data
    /// the numeric code: the choice follows the content, and where it is clear-cut it agrees
    /// with the exact literal cost.
    #[test]
    fn code_choice_follows_the_content() {
        let text: Vec<u8> = b"It was the best of times, it was the worst of times; the age of \
            wisdom and of foolishness, of belief and incredulity, of Light and of Darkness. "
            .iter()
            .copied()
            .cycle()
            .take(16384)
            .collect();
        let mut binary = Vec::new();
        let mut x = 0x2545_f491_u32;
        while binary.len() < 16384 {
            // Little-endian records: small integers, zero padding, pointers.
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
            binary.extend_from_slice(&(x >> 24).to_le_bytes());
            binary.extend_from_slice(&[0, 0, 0, 0, 0x48, 0x8b, (x >> 8) as u8, 0xff]);
        }
        // SVG path data: coordinates, a few command letters.
        let mut svg = Vec::new();
        while svg.len() < 16384 {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
            let cmd = b"MLlcCsz"[(x >> 29) as usize % 7];
            svg.extend_from_slice(
                std::format!(
                    "{}{}.{} {}.{}",
                    cmd as char,
                    x % 97,
                    x % 1000,
                    x % 61,
                    x % 100
                )
                .as_bytes(),
            );
        }
        for (block, want) in [
            (&text, &TRAINED_PIECES_TEXT),
            (&binary, &TRAINED_PIECES_BINARY),
            (&svg, &TRAINED_PIECES_NUMERIC),
        ] {
            let got = PIECES_CODES[choose_code(&PIECES_CODES, block, 256)];
            assert!(core::ptr::eq(got, want));
            let exact_best = PIECES_CODES
                .iter()
                .min_by_key(|c| literal_cost(c, block))
                .unwrap();
            assert!(core::ptr::eq(got, *exact_best));
        }
    }

    /// Every length works, including blocks shorter than the sample and an empty one (no
    /// division by zero: the shortest header wins), and a one-code set always gives that code.
    #[test]
    fn code_choice_handles_any_length() {
        let data: Vec<u8> = (0..70_000u32).map(|i| (i * 7 % 251) as u8).collect();
        for len in [0, 1, 2, 255, 256, 257, 511, 4097, 16384, 32768, 65535] {
            assert!(choose_code(&PIECES_CODES, &data[..len], 256) < PIECES_CODES.len());
            assert_eq!(choose_code(&[&FIXED], &data[..len], 256), 0);
        }
        let shortest = PIECES_CODES.iter().min_by_key(|c| c.header_bits).unwrap();
        let got = PIECES_CODES[choose_code(&PIECES_CODES, &[], 256)];
        assert!(core::ptr::eq(got, *shortest));
    }
}
