//! The stream encoder: per-stream state, the `compress` call and its output bound.

use crate::bits::BitWriter;
use crate::block::{write_empty_fixed, write_stored_all, write_sync_marker, MAX_STORED};
use crate::deflate::{deflate_chains, deflate_scan};
use crate::fast::{deflate_fast, FAST_BLOCK};
use crate::format::{write_header, write_trailer};
use crate::levels::LADDER;
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

/// A stateless gzip / zlib / raw deflate stream encoder with a few dozen bytes of state.
///
/// "Stateless" means that no back-reference ever reaches into the input of a previous call:
/// each call compresses only its own bytes. The stream state is just the framing (checksum,
/// counters, up to 7 pending bits), so thousands of concurrent streams cost nothing but their
/// `Encoder`s (`size_of::<Encoder>()` is at most 64 bytes), and a caller that puts secrets and
/// attacker-controlled bytes in separate calls is not exposed to CRIME/BREACH-style length leaks
/// through this encoder. Compression uses no heap: its working memory (hash tables and, from
/// level 2 on, one segment's parse, sized to the input, at most [`Level::working_memory`])
/// lives on the stack for one call.
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
                1 => deflate_fast(&mut w, input, last, &mut checksum),
                2 => {
                    checksum(input);
                    deflate_scan(&mut w, input, last);
                }
                level => {
                    checksum(input);
                    deflate_chains(&mut w, input, last, &LADDER[level as usize - 3]);
                }
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
