//! The stream encoder: per-stream state, the `compress` call and its output bound.

use crate::bits::BitWriter;
use crate::block::{
    choose_code, put_block_header, put_eob, put_literals, stored_bits, write_empty_fixed,
    write_stored, write_stored_all, write_sync_marker, MAX_STORED,
};
use crate::format::{write_header, write_trailer};
use crate::huffman::{
    Code, BINARY, FIXED, MIXED, PIECES_CODES, TEXT, TRAINED_LARGE, TRAINED_PIECES_BINARY,
    TRAINED_PIECES_TEXT,
};
use crate::lz77::{scan_emit, MAX_DIST};
use crate::{checksum, Error, Format, GzipHeader, Level};

/// How much of the stream a [`Encoder::compress`] call must make decodable.
///
/// Because the encoder keeps no history between calls, zlib's `Z_SYNC_FLUSH` and `Z_FULL_FLUSH`
/// mean the same thing here: [`Flush::Sync`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Flush {
    /// No flush: up to 7 bits of the last block may stay pending inside the encoder until the
    /// next call.
    None,
    /// Sync flush: everything given so far becomes decodable, and the output ends byte-aligned
    /// with an empty stored block (`00 00 ff ff`). A sync flush with nothing new since the last
    /// one writes nothing, so any number of flushes in a row costs at most one marker.
    Sync,
    /// Finish the stream: final block, then the zlib/gzip trailer. Afterwards only
    /// `compress(&[], _, Flush::Finish)` is accepted (it writes nothing) until [`Encoder::reset`].
    Finish,
}

/// Block size of level 1: the unit of the Huffman-versus-stored choice, and of the output bound
/// (at most 5 bytes of overhead per block).
const FAST_BLOCK: usize = 32768;

/// Calls over this many bytes are coded 32 KiB block by block at level 1, each block on its own
/// (`deflate_blocks`), and with one history across their blocks at level 2.
const LARGE_CALL: usize = 16384;

/// Level 1 takes the checksum of a call over `LARGE_CALL` bytes this many bytes at a time, each
/// piece just before its blocks are coded (`deflate_blocks`), while it is in cache: whole files
/// +1.5-2% (`slz bench`, alternating runs: 2.29-2.30x -> 2.34-2.35x zlib-rs -1), same output.
/// The harness saw the same gain with 32 KiB and 1 MiB pieces.
const CHECKSUM_PIECE: usize = 4 * FAST_BLOCK;

/// Calls of at least this many bytes always code their blocks with a trained code
/// (`trained.rs`): a trained header costs ~70 bytes per block, which a block of 2 KiB or more
/// earns back on typical content (estimated on the shared corpus: ratio -2% at 1 KiB pieces,
/// +3% at 2 KiB, +5% at 4 KiB, +7% at 16 KiB and whole files). Calls of 257 bytes up to this
/// size take a trained code only where a sample says it pays (`deflate_small`), smaller ones
/// the fixed code.
pub(crate) const TRAINED_MIN_BLOCK: usize = 2048;

/// A stateless gzip / zlib / raw deflate stream encoder with a few dozen bytes of state.
///
/// "Stateless" means that no back-reference ever reaches into the input of a previous call:
/// each call compresses only its own bytes. The stream state is just the framing (checksum,
/// counters, up to 7 pending bits), so thousands of concurrent streams cost nothing but their
/// `Encoder`s (`size_of::<Encoder>()` is at most 64 bytes), and a caller that puts secrets and
/// attacker-controlled bytes in separate calls is not exposed to CRIME/BREACH-style length leaks
/// through this encoder. Compression uses no heap: its working memory (a hash table sized to the
/// input, at most 32 KiB) lives on the stack for one call.
///
/// ```
/// use slz::{Encoder, Flush, Format, Level};
///
/// let mut enc = Encoder::new(Format::Gzip, Level::FAST);
/// let mut stream = Vec::new();
/// for chunk in [&b"Hello, "[..], b"world! ", b"Hello, world!"] {
///     let mut out = vec![0; enc.max_output_len(chunk.len())];
///     let n = enc.compress(chunk, &mut out, Flush::Sync).unwrap();
///     stream.extend_from_slice(&out[..n]); // forward to the client now
/// }
/// let mut out = vec![0; enc.max_output_len(0)];
/// let n = enc.compress(&[], &mut out, Flush::Finish).unwrap();
/// stream.extend_from_slice(&out[..n]);
/// assert!(enc.is_finished());
/// assert_eq!(enc.total_out(), stream.len() as u64);
/// ```
#[derive(Debug, Clone)]
pub struct Encoder {
    total_in: u64,
    total_out: u64,
    /// Running CRC-32 (gzip) or Adler-32 (zlib) of the input so far.
    checksum: u32,
    gzip: GzipHeader,
    format: Format,
    level: Level,
    /// Bits of the last byte not written yet (`bit_count < 8` of them).
    bit_acc: u8,
    bit_count: u8,
    header_written: bool,
    finished: bool,
    /// Blocks were written since the last sync marker (so a sync flush has something to do).
    dirty: bool,
}

impl Encoder {
    /// A new stream in `format` at `level`.
    ///
    /// ```
    /// let enc = slz::Encoder::new(slz::Format::Zlib, slz::Level::FAST);
    /// assert_eq!(enc.total_in(), 0);
    /// ```
    pub const fn new(format: Format, level: Level) -> Encoder {
        Encoder {
            total_in: 0,
            total_out: 0,
            checksum: checksum::initial(format),
            gzip: GzipHeader { mtime: 0, os: 255 },
            format,
            level,
            bit_acc: 0,
            bit_count: 0,
            header_written: false,
            finished: false,
            dirty: false,
        }
    }

    /// Sets the gzip header fields (ignored by the other formats). Takes effect if the header
    /// has not been written yet, and again after every [`Encoder::reset`].
    ///
    /// ```
    /// use slz::{Encoder, Format, GzipHeader, Level};
    /// let enc = Encoder::new(Format::Gzip, Level::FAST).with_gzip_header(GzipHeader { mtime: 7, os: 3 });
    /// assert_eq!(enc.gzip_header().os, 3);
    /// ```
    pub const fn with_gzip_header(mut self, header: GzipHeader) -> Encoder {
        self.gzip = header;
        self
    }

    /// The gzip header fields this encoder writes.
    pub const fn gzip_header(&self) -> GzipHeader {
        self.gzip
    }

    /// The stream's format.
    pub const fn format(&self) -> Format {
        self.format
    }

    /// The current level.
    pub const fn level(&self) -> Level {
        self.level
    }

    /// Changes the level for the following calls. Allowed at any point between calls: every call
    /// stands alone, so nothing already written is affected (proxies drop to level 0 under load).
    ///
    /// ```
    /// let mut enc = slz::Encoder::new(slz::Format::Gzip, slz::Level::FAST);
    /// enc.set_level(slz::Level::NONE);
    /// assert_eq!(enc.level(), slz::Level::NONE);
    /// ```
    pub fn set_level(&mut self, level: Level) {
        self.level = level;
    }

    /// Starts a new stream with the same format, level and gzip header: afterwards the encoder
    /// produces the same bytes as a new one.
    ///
    /// ```
    /// use slz::{Encoder, Flush, Format, Level};
    /// let mut enc = Encoder::new(Format::Gzip, Level::FAST);
    /// let mut out = [0u8; 64];
    /// enc.compress(b"abc", &mut out, Flush::Finish).unwrap();
    /// enc.reset();
    /// assert!(!enc.is_finished());
    /// assert_eq!(enc.total_out(), 0);
    /// ```
    pub fn reset(&mut self) {
        *self = Encoder::new(self.format, self.level).with_gzip_header(self.gzip);
    }

    /// Input bytes consumed so far in this stream.
    pub const fn total_in(&self) -> u64 {
        self.total_in
    }

    /// Output bytes written so far in this stream.
    pub const fn total_out(&self) -> u64 {
        self.total_out
    }

    /// Whether [`Flush::Finish`] has ended the stream.
    pub const fn is_finished(&self) -> bool {
        self.finished
    }

    /// The most one [`Encoder::compress`] call with `input_len` bytes of input can write in the
    /// encoder's current state, whatever the flush: header, pending bits, blocks, sync marker
    /// and trailer included.
    ///
    /// It never exceeds `input_len + 5 * ceil(input_len / 32768) + 20`, the allowance HAProxy
    /// reserves for libslz (10-byte gzip header, 8-byte trailer, 2 bytes to close a block,
    /// 5 bytes per 32 KiB), for any input data. Saturates at `usize::MAX`.
    ///
    /// ```
    /// let enc = slz::Encoder::new(slz::Format::Gzip, slz::Level::FAST);
    /// let n = 16384;
    /// assert!(enc.max_output_len(n) <= n + 5 * n.div_ceil(32768) + 20);
    /// ```
    pub const fn max_output_len(&self, input_len: usize) -> usize {
        if self.finished {
            return 0;
        }
        let header = if self.header_written {
            0
        } else {
            self.format.header_len()
        };
        let trailer = self.format.trailer_len();
        let pending = self.bit_count as usize;
        let block = if self.level.effective() == 0 {
            MAX_STORED
        } else {
            FAST_BLOCK
        };
        let blocks = input_len.div_ceil(block);
        if blocks == 0 {
            let sync = if self.dirty {
                (pending + 3).div_ceil(8) + 4
            } else {
                0
            };
            let finish = header + (pending + 10).div_ceil(8) + trailer;
            return if sync > finish { sync } else { finish };
        }
        // Every block ends no later than it would as a stored block (block.rs): the first one
        // after the pending bits, the others byte-aligned at 5 bytes each; then either a sync
        // marker (5 bytes, aligned) or the trailer.
        let first = (pending + 3).div_ceil(8) + 4;
        let close = if trailer > 5 { trailer } else { 5 };
        let overhead = header + first + 5 * (blocks - 1) + close;
        input_len.saturating_add(overhead)
    }

    /// Compresses all of `input` into the front of `output` and returns the number of bytes
    /// written. `output` must be at least [`Encoder::max_output_len`]`(input.len())` long,
    /// otherwise nothing happens and the call returns [`Error::OutputTooSmall`]. Only
    /// `output[..n]` is meaningful: bytes after the returned length may be used as scratch space.
    ///
    /// The stream's header is written by the first call that writes anything. With
    /// [`Flush::None`] the output may stop short of the last few bits, which the next call
    /// writes; with [`Flush::Sync`] everything given so far is decodable; [`Flush::Finish`] ends
    /// the stream.
    ///
    /// ```
    /// use slz::{Encoder, Flush, Format, Level};
    /// let mut enc = Encoder::new(Format::Deflate, Level::FAST);
    /// let input = b"to be or not to be, that is the question";
    /// let mut out = vec![0; enc.max_output_len(input.len())];
    /// let n = enc.compress(input, &mut out, Flush::Finish).unwrap();
    /// assert!(n < input.len());
    /// ```
    pub fn compress(
        &mut self,
        input: &[u8],
        output: &mut [u8],
        flush: Flush,
    ) -> Result<usize, Error> {
        if self.finished {
            return if input.is_empty() && flush == Flush::Finish {
                Ok(0)
            } else {
                Err(Error::Finished)
            };
        }
        let needed = self.max_output_len(input.len());
        if output.len() < needed {
            return Err(Error::OutputTooSmall { needed });
        }
        let writes =
            !input.is_empty() || flush == Flush::Finish || (flush == Flush::Sync && self.dirty);
        if !writes {
            return Ok(0);
        }

        let mut start = 0;
        if !self.header_written {
            start = write_header(self.format, self.gzip, self.level.get(), output);
            self.header_written = true;
        }
        let mut w = BitWriter::new(output, start, self.bit_acc, self.bit_count as u32);
        let last = flush == Flush::Finish;
        if !input.is_empty() {
            let (format, sum) = (self.format, &mut self.checksum);
            let mut checksum = |bytes: &[u8]| *sum = checksum::update(format, *sum, bytes);
            match self.level.effective() {
                0 => {
                    checksum(input);
                    write_stored_all(&mut w, input, last);
                }
                level => deflate_fast(&mut w, input, last, level == 2, &mut checksum),
            }
            self.dirty = true;
        }
        match flush {
            Flush::None => w.flush_bytes(),
            Flush::Sync => {
                if self.dirty {
                    write_sync_marker(&mut w);
                    self.dirty = false;
                }
            }
            Flush::Finish => {
                if input.is_empty() {
                    write_empty_fixed(&mut w, true);
                }
                w.align();
            }
        }
        let (mut pos, acc, count) = w.finish();
        self.bit_acc = acc;
        self.bit_count = count as u8;
        self.total_in = self.total_in.wrapping_add(input.len() as u64);
        if flush == Flush::Finish {
            pos += write_trailer(
                self.format,
                self.checksum,
                self.total_in,
                &mut output[pos..],
            );
            self.finished = true;
        }
        self.total_out = self.total_out.wrapping_add(pos as u64);
        Ok(pos)
    }
}

/// Levels 1 and 2 (`dense`) over a whole call's input, handing every input byte once to
/// `checksum` (all at once, or piece by piece in `deflate_blocks`), with parameters per call
/// size: the hash table is sized to the input, so that a small call only clears as much memory
/// as it can use (up to 16 KiB of input at most 8192 entries, 16 KiB, so table and input stay
/// in L1); then the minimum match, the skip-ahead, the code (see `TRAINED_MIN_BLOCK`) and
/// whether match lengths up to 16 are measured without a branch (`LEN16`, see
/// `lz77::scan_emit`). Levels 1 and 2 differ only in calls over 16 KiB, see below.
///
/// Calls of 4-16 KiB (the proxy's usual 16 KiB + sync) and each 32 KiB block of level 1's
/// larger calls take their code and their parse from their content (`deflate_by_content`): the
/// trained code of `huffman::PIECES_CODES` that codes a sample of the block cheapest
/// (`block::choose_code`) names its class (mixed, text or binary), and each class
/// has the parse that trades best for it. Text and binary blocks look for matches of at least 6
/// bytes: their many 4-5 byte matches save a few bits each for the full work of a match. Mixed
/// blocks (databases, PDF, records) keep 5 bytes and skip ahead later: their short matches pay
/// more. Same-run CPU time vs flate2/zlib-rs level 1 and ratio (all classes had the 16 KiB
/// parse below before): 16 KiB pieces 2.39x/1.710 -> 2.59x/1.701, whole files 2.06x/1.977 ->
/// 2.42x/1.865, then with the codes refitted to these parses 2.58x/1.710 and 2.40x/1.875
/// (`slz bench`, alternating runs: 16 KiB 2.28-2.29x -> 2.42-2.43x, whole 1.98-1.99x ->
/// 2.29-2.34x). On the code-training files instead of the corpus (584 files, 53.8 MB, whole):
/// 2.56x/2.181 -> 2.98x/2.026. Then, whole files, text blocks skipping after 16 literals (one
/// more position per 32), not 32, and binary blocks after 8, not 16: 2.34x/1.875 ->
/// 2.45x/1.868 (each alone +1.3%/-0.16% and +1.2%/-0.2%); binary blocks growing the step per
/// 32 literals instead would buy 1.2% of ratio for 3% of speed (2.35x/1.895). The classes'
/// trades, whole files (time saved per MB of output added, over 7 parses each): text and
/// binary 6-8 ms/MB, mixed 1-2 ms/MB (osdb loses 18% of ratio for 18% of speed at the 6-byte
/// minimum), so mixed blocks keep the richer parse. One history across the call for mixed
/// blocks (osdb 1.76 -> 2.25) trades at the same rate as text and binary do (2.12x/1.975):
/// left out. A 6-byte minimum everywhere: 2.53x/1.744 whole, 3.65x/1.446 in 16 KiB pieces; 7
/// bytes: 3.58x/1.428 whole.
///
/// Before the classes, calls of 4-16 KiB looked for matches of at least 5 bytes, probed 4
/// positions of every 5 and skipped further after 4 literals in a row (then one more position
/// per 8), with the best of three codes fitted to that parse.
/// Same-run CPU time vs flate2/zlib-rs level 1 and ratio, in 16 KiB pieces with sync flushes:
/// 5-byte minimum, with the fixed code: 1.85x/1.755 -> 1.98x/1.730; then with the trained code
/// 1.98x/1.815, and skipping after 16: 2.06x/1.777; `LEN16`: 2.11x/1.777; skipping after 8:
/// 2.33x/1.653 (below the 1.69 floor with the whole-file code), and with a code fitted to that
/// parse 2.28x/1.704; choosing per block among that code and two fitted to text or binary
/// training files only: 2.30x/1.753 (+2.9% ratio: silesia mr +7.5%, ooffice +5.7%, dickens
/// +1.9%); then probing 4 positions of 5 (`STEP` 5) with the codes refitted: 2.39x/1.728;
/// the step growing after 4 literals, not 8 (`SKIP_AFTER`), codes refitted: 2.43x/1.710
/// (`slz bench`, three runs each: 2.27x -> 2.30x).
/// Other uses of that ratio measured (before refitting): one more step per 7.1 literals
/// 2.33x/1.723, per 6.4 literals 2.40x/1.691; 4 of 5 positions from 4 literals on 2.34x/1.746;
/// 4 of 5 and a step per 7.1 literals 2.43x/1.692; later, 4 of every 6 positions 2.50x/1.685
/// (below the floor). `TRAINED_PIECES` for 2-4 KiB calls: ratio 1.611 -> 1.600 at 4 KiB, 1.482
/// -> 1.488 at 2 KiB, so those keep `TRAINED_LARGE`.
///
/// Calls of 257 B to 2 KiB (`deflate_small`) choose between the fixed code and the text and
/// binary trained codes, each with its parse. Same-run CPU time vs flate2/zlib-rs level 1 and
/// ratio, 1 KiB pieces with sync flushes (before: fixed code, every position probed, skip after
/// 128 literals: 2.23-2.27x/1.379): the code choice alone 2.13x/1.431 (256 samples, 4 codes),
/// 2.25x/1.430 (64 samples); with the parses: text 5-byte minimum and skip after 16, the others
/// after 16: 2.55-2.60x/1.395; text and binary skip after 8, fixed-code calls after 12:
/// 2.84-2.88x/1.375 (`slz bench`: 1.97x -> 2.39-2.41x); 32 samples instead of 64 change
/// neither. 1500-byte pieces: 2.10-2.17x/1.429 -> 2.53-2.59x/1.429. The sampled literal cost
/// counts half the block (about the share that stays literal): the whole block chose trained
/// codes where matches leave few literals (reymont 1.677 -> 1.575). Before the choice, at
/// 1 KiB: the 5-byte minimum with the fixed code 2.04x/1.375 -> 2.27x/1.323.
///
/// Calls over 16 KiB, level 1: each 32 KiB block is coded as a call of its own would be (table
/// cleared, no match into the block before, so no distance checks: `NEAR`), with its class's
/// parse (see above). Before the classes (one parse: 8192 entries, 5-byte minimum, 4 of every 5
/// positions probed, one more position per 16 literals after 16), same-run CPU time vs
/// flate2/zlib-rs level 1 and ratio, whole files: one history across the call (level 2, below)
/// 1.66x/2.190; blocks on their own with level 2's parameters 1.92x/2.017; with that parse
/// 2.08x/1.977. Also measured then: skipping after 8 literals 2.28x/1.855, 16384 entries
/// 2.22x/1.869, all positions probed 2.17x/1.902; skipping after 32 2.08x/2.001; the whole-file
/// code instead of the pieces codes 2.00x/1.889.
///
/// Calls over 16 KiB, level 2: one history across all blocks of the call (16384 entries, 4-byte
/// minimum, skip after 64 literals, `TRAINED_LARGE`). Trades measured for it and left out
/// (whole files, trained code, base 1.69x/2.190): 16384 entries with 5-byte minimum
/// 1.58x/2.167; 8192 entries with 5-byte
/// minimum 1.73x/2.114; 4096 entries with 5-byte minimum 1.85x/2.009; 8192 or 4096 entries
/// with the 4-byte minimum 1.72x/2.159, 1.73x/2.082 (binary data faster, text slower: fewer
/// matches, more positions probed); 6-byte minimum 1.50x/2.000 (more positions probed); 64 ->
/// 16 literals before skipping 1.71x/2.187; `LEN16` 1.66x. Small tables also lose the far
/// matches `tests/reliability.rs` expects (distance > 16 KiB in random data).
fn deflate_fast(
    w: &mut BitWriter<'_>,
    input: &[u8],
    last: bool,
    dense: bool,
    checksum: &mut impl FnMut(&[u8]),
) {
    if !dense && input.len() > LARGE_CALL {
        // Level 1 codes each 32 KiB block on its own and takes the checksum piece by piece.
        return deflate_blocks(w, input, last, checksum);
    }
    checksum(input);
    // Parameters: table entries, minimum match, STEP, SKIP_AFTER, SKIP (see `lz77::scan_emit`),
    // code, NEAR (the call is at most MAX_DIST bytes: no distance checks), LEN16.
    match input.len() {
        0..=256 => deflate_fast_with::<256, 4, 4, 128, 7, true, false>(w, input, last, &FIXED),
        257..=1024 => deflate_small::<1024>(w, input, last),
        1025..TRAINED_MIN_BLOCK => deflate_small::<4096>(w, input, last),
        TRAINED_MIN_BLOCK..=4096 => {
            deflate_fast_with::<4096, 4, 4, 64, 6, true, false>(w, input, last, &TRAINED_LARGE)
        }
        4097..=LARGE_CALL => deflate_by_content::<false>(w, input, last),
        // Level 2 (level 1 returned above).
        _ => deflate_fast_with::<16384, 4, 4, 64, 6, false, false>(w, input, last, &TRAINED_LARGE),
    }
}

/// Level 1, calls over `LARGE_CALL` bytes: each 32 KiB block on its own, as a call of its own
/// would be, taking the checksum of `CHECKSUM_PIECE` bytes just before coding their blocks.
/// Not inlined into `deflate_fast`: inlined, whole files ran 2% slower (harness, same
/// instruction count; code layout).
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

/// The codes a call of 257 B to 2 KiB chooses from: the fixed code (no header) where
/// `huffman::PIECES_CODES` has its mixed code, or a trained one whose ~70-byte header pays for
/// itself on text or binary data ([`TEXT`], [`BINARY`]: the same indices as there).
static SMALL_CODES: [&Code; 3] = [&FIXED, &TRAINED_PIECES_TEXT, &TRAINED_PIECES_BINARY];

/// A call of 257 B to 2 KiB (`TABLE` entries): the code of `SMALL_CODES` that a 32-byte
/// sample finds cheapest, and the parse that goes with it: text looks for matches of 5 bytes
/// (its literals cost less with the trained code, so 4-byte matches save less), binary and
/// fixed-code calls for 4 bytes; all skip ahead after 8-12 literals (`lz77::scan_emit`).
fn deflate_small<const TABLE: usize>(w: &mut BitWriter<'_>, input: &[u8], last: bool) {
    let class = choose_code(&SMALL_CODES, input, 32);
    let code = SMALL_CODES[class];
    // Entries, minimum match, STEP, SKIP_AFTER, SKIP (see `lz77::scan_emit`).
    match class {
        TEXT => deflate_fast_with::<TABLE, 5, 4, 8, 3, true, false>(w, input, last, code),
        BINARY => deflate_fast_with::<TABLE, 4, 4, 8, 4, true, false>(w, input, last, code),
        _ => deflate_fast_with::<TABLE, 4, 4, 12, 4, true, false>(w, input, last, code),
    }
}

/// One block of 4-32 KiB (`BLOCK32`: a 32 KiB block of level 1's calls over 16 KiB; otherwise
/// a call of 4-16 KiB): its content class picks the code (`choose_code`) and the parse (see
/// `deflate_fast`). Parameters as in `deflate_fast`; every class gets `NEAR` (a block is at most
/// 32 KiB and has no history) and `LEN16`.
fn deflate_by_content<const BLOCK32: bool>(w: &mut BitWriter<'_>, block: &[u8], last: bool) {
    debug_assert!(block.len() <= MAX_DIST);
    let class = choose_code(&PIECES_CODES, block, 256);
    let code = PIECES_CODES[class];
    debug_assert!(matches!(class, MIXED | TEXT | BINARY));
    // Entries, minimum match, STEP, SKIP_AFTER, SKIP (see `lz77::scan_emit`).
    if BLOCK32 {
        match class {
            // All positions probed; one more per 32 literals after 16.
            TEXT => deflate_fast_with::<8192, 6, 4, 16, 5, true, true>(w, block, last, code),
            // 4 of every 5 positions; one more per 16 literals after 8.
            BINARY => deflate_fast_with::<16384, 6, 5, 8, 4, true, true>(w, block, last, code),
            // 4 of every 6 positions; one more per 16 literals after 16.
            _ => deflate_fast_with::<8192, 5, 6, 16, 4, true, true>(w, block, last, code),
        }
    } else {
        match class {
            // 4 of every 5 positions; one more per 16 literals after 16.
            TEXT | BINARY => {
                deflate_fast_with::<8192, 6, 5, 16, 4, true, true>(w, block, last, code)
            }
            // 4 of every 5 positions; one more per 16 literals after 8.
            _ => deflate_fast_with::<8192, 5, 5, 8, 4, true, true>(w, block, last, code),
        }
    }
}

fn deflate_fast_with<
    const TABLE: usize,
    const MIN: usize,
    const STEP: usize,
    const SKIP_AFTER: usize,
    const SKIP: u32,
    const NEAR: bool,
    const LEN16: bool,
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
        let lit = scan_emit::<TABLE, MIN, STEP, SKIP_AFTER, SKIP, NEAR, LEN16>(
            &mut lw, code, input, start, end, &mut table,
        );
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
    use crate::Flush;
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

    /// Database-like records: ASCII digits and names next to binary fields.
    fn mixed(len: usize) -> Vec<u8> {
        let mut r = rng(13);
        fill(len, |v| {
            let x = r();
            v.extend_from_slice(std::format!("{:07}|", x % 10_000_000).as_bytes());
            v.extend_from_slice(&(x >> 32).to_le_bytes()[..4]);
            v.extend_from_slice(&[(x >> 20) as u8 & 0x3f, 0x80, 0, 0]);
            v.extend_from_slice([b"ALPHA", b"BRAVO", b"DELTA"][(x >> 40) as usize % 3]);
        })
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

    /// Every content class has its own parse (`deflate_small`, `deflate_by_content`): data of
    /// each class, in calls of 1 KiB, 1500 bytes, 16 KiB and in one call of 32 KiB blocks,
    /// takes that class (the small calls' choice has no mixed code: the fixed code stands
    /// there) and decodes back (flate2), compressed (no block went stored).
    #[test]
    fn every_content_class_round_trips() {
        let len = 100_000;
        for (data, class) in [
            (text(len), TEXT),
            (binary(len), BINARY),
            (mixed(len), MIXED),
        ] {
            assert_eq!(choose_code(&PIECES_CODES, &data[..16384], 256), class);
            assert_eq!(choose_code(&PIECES_CODES, &data[..FAST_BLOCK], 256), class);
            let small = if class == MIXED { 0 } else { class };
            assert_eq!(choose_code(&SMALL_CODES, &data[..1024], 32), small);
            assert_eq!(choose_code(&SMALL_CODES, &data[..1500], 32), small);
            for call in [1024, 1500, 16384, len] {
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
