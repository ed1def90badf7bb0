//! Level 1: greedy LZ77 within the call (`lz77::scan_emit`), written straight out with a
//! precomputed code (fixed or trained: no histogram, no tree building), each block falling back
//! to stored when that is shorter.
//!
//! The parse and the code depend on the call's size and, from 257 bytes on, on its content: a
//! sample of the block's bytes picks the trained code that codes it cheapest
//! (`block::choose_code`), which names its class (mixed, text, binary or numeric), and each
//! class has the parse that trades best for it (`parses` below; numeric blocks take the mixed
//! one); blocks of 4 KiB and more whose sample is mostly digits take a shorter minimum match
//! whatever their class (`numeric`). Measurements
//! behind every value: `docs/tuning.md`.

use crate::bits::BitWriter;
use crate::block::{
    choose_code, put_block_header, put_eob, put_literals, stored_bits, write_stored,
};
use crate::huffman::{
    Code, BINARY, FIXED, MIXED, NUMERIC, PIECES_CODES, PIECES_CODES_ASCII, TEXT, TRAINED_LARGE,
    TRAINED_LARGE_ASCII, TRAINED_PIECES_BINARY, TRAINED_SMALL_NUMERIC, TRAINED_SMALL_NUMERIC_ASCII,
    TRAINED_SMALL_TEXT, TRAINED_SMALL_TEXT_ASCII,
};
use crate::lz77::{scan_emit, CodeWriter, MAX_DIST};

/// Block size of level 1: the unit of the Huffman-versus-stored choice, and of the output bound
/// (at most 5 bytes of overhead per block).
pub(crate) const FAST_BLOCK: usize = 32768;

/// Calls over this many bytes are coded 32 KiB block by block, each block on its own
/// (`deflate_blocks`).
const LARGE_CALL: usize = 16384;

/// Calls over `LARGE_CALL` bytes take their checksum this many bytes at a time, each piece just
/// before its blocks are coded, while it is in cache (same output, +1.5-2% speed).
const CHECKSUM_PIECE: usize = 4 * FAST_BLOCK;

/// Calls of at least this many bytes always take a trained code: its ~70-byte header pays for
/// itself from about 2 KiB of typical content on. Calls of 257 bytes up to this size take a
/// trained code only where a sample says it pays (`deflate_small`), smaller ones the fixed code.
pub(crate) const TRAINED_MIN_BLOCK: usize = 2048;

/// The parses, by call size and content class.
#[rustfmt::skip]
mod parses {
    use crate::lz77::ScanParams as Parse;
    /// Calls up to 256 bytes (fixed code).
    pub(super) const TINY:        Parse = Parse { table: 256,   min: 4, step: 4, skip_after: 128, skip: 7, len16: false, lazy: false, tail: 1 };
    /// Calls of 257 B-2 KiB by class (`table` is set by the call's size there).
    pub(super) const SMALL_TEXT:  Parse = Parse { table: 0,     min: 5, step: 4, skip_after: 8,   skip: 3, len16: false, lazy: false, tail: 1 };
    pub(super) const SMALL_BIN:   Parse = Parse { table: 0,     min: 4, step: 4, skip_after: 8,   skip: 4, len16: false, lazy: false, tail: 1 };
    pub(super) const SMALL_FIXED: Parse = Parse { table: 0,     min: 4, step: 4, skip_after: 12,  skip: 4, len16: false, lazy: false, tail: 1 };
    /// Calls of 2-4 KiB (`TRAINED_LARGE`).
    pub(super) const MID:         Parse = Parse { table: 4096,  min: 4, step: 4, skip_after: 64,  skip: 6, len16: false, lazy: false, tail: 1 };
    /// Calls of 4-16 KiB by class.
    pub(super) const PIECE_TEXT_BIN: Parse = Parse { table: 8192, min: 6, step: 5, skip_after: 16, skip: 4, len16: true,  lazy: false, tail: 1 };
    pub(super) const PIECE_MIXED: Parse = Parse { table: 8192,  min: 5, step: 5, skip_after: 8,   skip: 4, len16: true,  lazy: false, tail: 1 };
    /// Each 32 KiB block of a larger call, by class.
    pub(super) const BLOCK_TEXT:  Parse = Parse { table: 8192,  min: 6, step: 4, skip_after: 16,  skip: 5, len16: true,  lazy: false, tail: 1 };
    pub(super) const BLOCK_BIN:   Parse = Parse { table: 16384, min: 6, step: 5, skip_after: 8,   skip: 4, len16: true,  lazy: false, tail: 1 };
    pub(super) const BLOCK_MIXED: Parse = Parse { table: 8192,  min: 5, step: 6, skip_after: 16,  skip: 4, len16: true,  lazy: false, tail: 1 };
    /// Digit-heavy blocks of 4-32 KiB (`numeric`), whatever their code. In 32 KiB blocks a
    /// 4-byte hash keeps too few of the longer candidates: 5 bytes there.
    pub(super) const PIECE_NUMERIC: Parse = Parse { table: 8192, min: 4, step: 5, skip_after: 16, skip: 4, len16: true,  lazy: false, tail: 1 };
    pub(super) const BLOCK_NUMERIC: Parse = Parse { table: 8192, min: 5, step: 4, skip_after: 16, skip: 5, len16: true,  lazy: false, tail: 1 };
}
use parses::*;

/// `deflate_fast_with` with the parse `$p` (a `ScanParams` constant) and table size `$table`.
macro_rules! scan {
    ($p:expr, $table:expr, $w:expr, $input:expr, $last:expr, $code:expr) => {
        deflate_fast_with::<
            { $table },
            { $p.min },
            { $p.step },
            { $p.skip_after },
            { $p.skip },
            { $p.len16 },
            { $p.lazy },
            { $p.tail },
        >($w, $input, $last, $code)
    };
}

/// Level 1 over a whole call, handing every input byte once to `checksum`.
pub(crate) fn deflate_fast(
    w: &mut BitWriter<'_>,
    input: &[u8],
    last: bool,
    checksum: &mut impl FnMut(&[u8]),
) {
    if input.len() > LARGE_CALL {
        return deflate_blocks(w, input, last, checksum);
    }
    checksum(input);
    match input.len() {
        0..=256 => scan!(TINY, TINY.table, w, input, last, &FIXED),
        257..=1024 => deflate_small::<1024>(w, input, last),
        1025..TRAINED_MIN_BLOCK => deflate_small::<4096>(w, input, last),
        TRAINED_MIN_BLOCK..=4096 => {
            let code = ascii_or(input, &TRAINED_LARGE_ASCII, &TRAINED_LARGE);
            scan!(MID, MID.table, w, input, last, code)
        }
        _ => deflate_by_content::<false>(w, input, last),
    }
}

/// Calls over `LARGE_CALL` bytes: each 32 KiB block on its own, as a call of its own would be,
/// taking the checksum of `CHECKSUM_PIECE` bytes just before coding their blocks. Not inlined
/// (inlined, whole files ran 2% slower: code layout).
#[inline(never)]
fn deflate_blocks(
    w: &mut BitWriter<'_>,
    input: &[u8],
    last: bool,
    checksum: &mut impl FnMut(&[u8]),
) {
    let mut pieces = input.chunks(CHECKSUM_PIECE).peekable();
    while let Some(piece) = pieces.next() {
        checksum(piece);
        let mut blocks = piece.chunks(FAST_BLOCK).peekable();
        while let Some(block) = blocks.next() {
            let is_last = last && pieces.peek().is_none() && blocks.peek().is_none();
            deflate_by_content::<true>(w, block, is_last);
        }
    }
}

/// Percentage of ASCII digits in a block's sample from which it is parsed as numeric.
const NUMERIC_PERCENT: usize = 30;

/// Whether a 256-byte sample of `block` is at least `NUMERIC_PERCENT`% digits. Such data (SVG
/// path data, arrays of numbers) repeats in short runs that the text parses' 5-6 byte minimum
/// match misses.
fn numeric(block: &[u8]) -> bool {
    let step = (block.len() / 256).max(1);
    let (mut digits, mut n) = (0, 0);
    for &b in block.iter().step_by(step) {
        digits += usize::from(b.is_ascii_digit());
        n += 1;
    }
    digits * 100 >= n * NUMERIC_PERCENT
}

/// `ascii` (codes without bytes 128-255) if every byte of `block` is ASCII, else `full`. The
/// whole block is checked, not a sample: an ASCII code would write a byte over 127 as nothing.
#[inline(always)]
fn ascii_or<'a, T: ?Sized>(block: &[u8], ascii: &'a T, full: &'a T) -> &'a T {
    if block.is_ascii() {
        ascii
    } else {
        full
    }
}

/// The codes a call of 257 B to 2 KiB chooses from: the fixed code (no header) where
/// `huffman::PIECES_CODES` has its mixed code, or a trained one (fitted to these calls' parses)
/// whose ~50-byte header pays for itself on text, binary or digit-heavy data ([`TEXT`],
/// [`BINARY`], [`NUMERIC`]: the same indices as there). Numeric calls take the fixed code's
/// parse (4-byte matches).
static SMALL_CODES: [&Code; 4] = [
    &FIXED,
    &TRAINED_SMALL_TEXT,
    &TRAINED_PIECES_BINARY,
    &TRAINED_SMALL_NUMERIC,
];

/// [`SMALL_CODES`] for calls of ASCII bytes only (`huffman::PIECES_CODES_ASCII`).
static SMALL_CODES_ASCII: [&Code; 4] = [
    &FIXED,
    &TRAINED_SMALL_TEXT_ASCII,
    &TRAINED_PIECES_BINARY,
    &TRAINED_SMALL_NUMERIC_ASCII,
];

/// A call of 257 B to 2 KiB (`TABLE` entries): the code of `SMALL_CODES` (`SMALL_CODES_ASCII`
/// if all its bytes are ASCII) that a 32-byte sample finds cheapest, and its parse.
fn deflate_small<const TABLE: usize>(w: &mut BitWriter<'_>, input: &[u8], last: bool) {
    let codes = ascii_or(input, &SMALL_CODES_ASCII, &SMALL_CODES);
    let class = choose_code(codes, input, 32);
    let code = codes[class];
    match class {
        TEXT => scan!(SMALL_TEXT, TABLE, w, input, last, code),
        BINARY => scan!(SMALL_BIN, TABLE, w, input, last, code),
        _ => scan!(SMALL_FIXED, TABLE, w, input, last, code),
    }
}

/// One block of 4-32 KiB (`BLOCK32`: a 32 KiB block of a call over 16 KiB; otherwise a call of
/// 4-16 KiB): its content class picks the code (among `PIECES_CODES_ASCII` if all its bytes are
/// ASCII) and the parse.
fn deflate_by_content<const BLOCK32: bool>(w: &mut BitWriter<'_>, block: &[u8], last: bool) {
    debug_assert!(block.len() <= MAX_DIST);
    let codes = ascii_or(block, &PIECES_CODES_ASCII, &PIECES_CODES);
    let class = choose_code(codes, block, 256);
    let code = codes[class];
    debug_assert!(matches!(class, MIXED | TEXT | BINARY | NUMERIC));
    if numeric(block) {
        return match BLOCK32 {
            true => scan!(BLOCK_NUMERIC, BLOCK_NUMERIC.table, w, block, last, code),
            false => scan!(PIECE_NUMERIC, PIECE_NUMERIC.table, w, block, last, code),
        };
    }
    match (BLOCK32, class) {
        (true, TEXT) => scan!(BLOCK_TEXT, BLOCK_TEXT.table, w, block, last, code),
        (true, BINARY) => scan!(BLOCK_BIN, BLOCK_BIN.table, w, block, last, code),
        (true, _) => scan!(BLOCK_MIXED, BLOCK_MIXED.table, w, block, last, code),
        (false, TEXT | BINARY) => scan!(PIECE_TEXT_BIN, PIECE_TEXT_BIN.table, w, block, last, code),
        (false, _) => scan!(PIECE_MIXED, PIECE_MIXED.table, w, block, last, code),
    }
}

/// Scans `input` (at most 32 KiB per block, no history before the call: `scan_emit`'s `NEAR`)
/// with one parse and code, block by block, each block stored instead where that is shorter.
fn deflate_fast_with<
    const TABLE: usize,
    const MIN: usize,
    const STEP: usize,
    const SKIP_AFTER: usize,
    const SKIP: u32,
    const LEN16: bool,
    const LAZY: bool,
    const TAIL: usize,
>(
    w: &mut BitWriter<'_>,
    input: &[u8],
    last: bool,
    code: &Code,
) {
    let mut table = [0u16; TABLE];
    // A local writer stays in registers through the hot loop.
    let mut lw = w.take();
    let mut start = 0;
    while start < input.len() {
        let end = input.len().min(start + FAST_BLOCK);
        let is_last = last && end == input.len();
        // Huffman code only if it ends no later than a stored block would (see block.rs): the
        // block is written with its code, and rewound and stored if it came out longer.
        let mark = lw.mark();
        let stored_end = lw.bit_position() + stored_bits(lw.bit_position(), end - start);
        put_block_header(&mut lw, code, is_last);
        let sink = CodeWriter { w: lw, code };
        let (sink, lit) = scan_emit::<TABLE, MIN, STEP, SKIP_AFTER, SKIP, true, LEN16, LAZY, TAIL, _>(
            sink, input, start, end, &mut table,
        );
        lw = sink.w;
        let rest = &input[lit..end];
        if lw.bit_position() + code.literal_bits(rest) + code.eob().1 as usize <= stored_end {
            put_literals(&mut lw, code, rest);
            put_eob(&mut lw, code);
            debug_assert!(lw.bit_position() <= stored_end);
        } else {
            lw.rewind(mark);
            write_stored(&mut lw, &input[start..end], is_last);
        }
        start = end;
    }
    *w = lw;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Encoder, Flush, Format, Level};
    use std::io::Read;
    use std::vec::Vec;

    /// Pseudo-random bytes from a fixed seed (xorshift).
    fn rng(seed: u64) -> impl FnMut() -> u64 {
        let mut x = seed;
        move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        }
    }

    /// `len` bytes of the pieces `piece` appends.
    fn fill(len: usize, mut piece: impl FnMut(&mut Vec<u8>)) -> Vec<u8> {
        let mut v = Vec::new();
        while v.len() < len {
            piece(&mut v);
        }
        v.truncate(len);
        v
    }

    /// Words drawn at random from a small vocabulary: text with many 4-7 byte repeats.
    fn text(len: usize) -> Vec<u8> {
        let words: [&[u8]; 12] = [
            b"the ", b"of ", b"times, ", b"was ", b"wisdom ", b"it ", b"age ", b"and ", b"Light ",
            b"belief ", b"worst ", b"best ",
        ];
        let mut r = rng(7);
        fill(len, |v| v.extend_from_slice(words[(r() % 12) as usize]))
    }

    /// Little-endian records of small integers, padding and x86-like opcodes.
    fn binary(len: usize) -> Vec<u8> {
        let mut r = rng(11);
        fill(len, |v| {
            let x = r();
            v.extend_from_slice(&[(x % 5) as u8, 0, 0, 0, 0x48, 0x8b, (x >> 8) as u8, 0xff]);
        })
    }

    /// Database-like records: ASCII numbers and names next to binary fields.
    fn mixed(len: usize) -> Vec<u8> {
        let mut r = rng(13);
        fill(len, |v| {
            let x = r();
            v.extend_from_slice(std::format!("{:05}|", x % 100000).as_bytes());
            v.extend_from_slice(&(x >> 32).to_le_bytes()[..4]);
            v.extend_from_slice(&[(x >> 20) as u8 & 0x3f, 0x80, 0, 0]);
            v.extend_from_slice(
                [&b"Alpha bravo"[..], b"Delta echo", b"Golf hotel"][(x >> 40) as usize % 3],
            );
        })
    }

    /// SVG path data: coordinates and a few command letters.
    fn numeric(len: usize) -> Vec<u8> {
        let mut r = rng(17);
        fill(len, |v| {
            let x = r();
            let cmd = b"MLlcCsz"[(x >> 40) as usize % 7] as char;
            v.extend_from_slice(
                std::format!(
                    "{cmd}{}.{} {}.{}",
                    x % 12,
                    (x >> 8) % 2 * 5,
                    (x >> 20) % 12,
                    (x >> 30) % 2 * 5
                )
                .as_bytes(),
            );
        })
    }

    /// `data` compressed at level 1 in calls of `call` bytes (raw deflate, sync flushes), and
    /// what flate2 decodes of it.
    fn level1(data: &[u8], call: usize) -> (Vec<u8>, Vec<u8>) {
        let mut enc = Encoder::new(Format::Deflate, Level::FAST);
        let mut out = Vec::new();
        for piece in data.chunks(call) {
            let mut buf = std::vec![0u8; enc.max_output_len(piece.len())];
            let n = enc.compress(piece, &mut buf, Flush::Sync).unwrap();
            out.extend_from_slice(&buf[..n]);
        }
        let mut buf = std::vec![0u8; enc.max_output_len(0)];
        let n = enc.compress(&[], &mut buf, Flush::Finish).unwrap();
        out.extend_from_slice(&buf[..n]);
        let mut back = Vec::new();
        flate2::read::DeflateDecoder::new(&out[..])
            .read_to_end(&mut back)
            .unwrap();
        (out, back)
    }

    /// Whether `stream` starts with a dynamic block declared by `code`'s header.
    fn starts_with_header(stream: &[u8], code: &Code) -> bool {
        let bit = |k: usize| (stream[k / 8] >> (k % 8)) & 1;
        (stream[0] >> 1) & 3 == 2
            && (0..code.header_bits).all(|k| bit(3 + k) == (code.header[k / 8] >> (k % 8)) & 1)
    }

    /// Calls (or 32 KiB blocks) of ASCII bytes only take the ASCII codes, which have no code for
    /// bytes 128-255; one such byte anywhere, where no sample looks, keeps the full codes (with
    /// an ASCII code it would be written as nothing, and the stream would decode wrong).
    #[test]
    fn ascii_codes_only_for_ascii_blocks() {
        use crate::huffman::{TRAINED_PIECES_TEXT, TRAINED_PIECES_TEXT_ASCII};
        for (call, ascii, full) in [
            (1024, &TRAINED_SMALL_TEXT_ASCII, &TRAINED_SMALL_TEXT),
            (1500, &TRAINED_SMALL_TEXT_ASCII, &TRAINED_SMALL_TEXT),
            (3000, &TRAINED_LARGE_ASCII, &TRAINED_LARGE),
            (10_000, &TRAINED_PIECES_TEXT_ASCII, &TRAINED_PIECES_TEXT),
            (100_000, &TRAINED_PIECES_TEXT_ASCII, &TRAINED_PIECES_TEXT),
        ] {
            let data = text(call);
            let (out, back) = level1(&data, call);
            assert!(back == data, "{call}");
            assert!(starts_with_header(&out, ascii), "{call}");
            let mut one = data.clone();
            // In the first block, at a position no sample of 32 or 256 bytes reads.
            one[call.min(FAST_BLOCK) * 2 / 3 + 1] = 0xe9;
            let (out, back) = level1(&one, call);
            assert!(back == one, "{call} with one byte over 127");
            assert!(
                starts_with_header(&out, full),
                "{call} with one byte over 127"
            );
        }
    }

    /// Level 1 takes the checksum of a large call piece by piece and codes each piece's blocks
    /// as it goes (`deflate_blocks`): the blocks are still each 32 KiB block coded on its own,
    /// and the checksum is the whole call's.
    #[test]
    fn large_calls_in_checksum_pieces_give_the_same_blocks() {
        let mut data = text(CHECKSUM_PIECE + 5000);
        data.extend(mixed(CHECKSUM_PIECE));
        data.extend(binary(3 * FAST_BLOCK + 77));
        let mut enc = Encoder::new(Format::Deflate, Level::FAST);
        let mut out = std::vec![0u8; enc.max_output_len(data.len())];
        let n = enc.compress(&data, &mut out, Flush::Finish).unwrap();
        let mut once = std::vec![0u8; out.len()];
        let mut w = BitWriter::new(&mut once, 0, 0, 0);
        let mut blocks = data.chunks(FAST_BLOCK).peekable();
        while let Some(block) = blocks.next() {
            deflate_by_content::<true>(&mut w, block, blocks.peek().is_none());
        }
        w.align();
        let (m, _, _) = w.finish();
        assert!(out[..n] == once[..m]);
        let mut gz = Encoder::new(Format::Gzip, Level::FAST);
        let mut out = std::vec![0u8; gz.max_output_len(data.len())];
        let n = gz.compress(&data, &mut out, Flush::Finish).unwrap();
        assert_eq!(out[n - 8..n - 4], crc32fast::hash(&data).to_le_bytes());
    }

    /// Every content class has its own code and parse (`deflate_small`, `deflate_by_content`):
    /// data of each class, in calls of 1 KiB, 1500 bytes, 16 KiB and in one call of 32 KiB
    /// blocks, takes that class (the small calls' choice has no mixed code: the fixed code
    /// stands there) and decodes back (flate2), compressed (no block went stored).
    #[test]
    fn every_content_class_round_trips() {
        let len = 100_000;
        for (data, class) in [
            (text(len), TEXT),
            (binary(len), BINARY),
            (mixed(len), MIXED),
            (numeric(len), NUMERIC),
        ] {
            assert_eq!(choose_code(&PIECES_CODES, &data[..16384], 256), class);
            assert_eq!(choose_code(&PIECES_CODES, &data[..FAST_BLOCK], 256), class);
            let small = if class == MIXED { 0 } else { class };
            assert_eq!(choose_code(&SMALL_CODES, &data[..1024], 32), small);
            assert_eq!(choose_code(&SMALL_CODES, &data[..1500], 32), small);
            if data.is_ascii() {
                assert_eq!(choose_code(&PIECES_CODES_ASCII, &data[..16384], 256), class);
                assert_eq!(choose_code(&SMALL_CODES_ASCII, &data[..1024], 32), small);
            }
            for call in [1024, 1500, 16384, len] {
                let (out, back) = level1(&data, call);
                assert!(back == data, "class {class}, calls of {call}");
                assert!(
                    out.len() < data.len() * 3 / 4,
                    "class {class}: {}",
                    out.len()
                );
            }
        }
    }
}
