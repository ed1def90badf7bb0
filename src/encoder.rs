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

/// First byte of [`Encoder::to_bytes`]: the layout's version, so that bytes of another layout
/// (or never initialised) are refused.
const STATE_TAG: u8 = 0x53;

impl Encoder {
    /// Length of the state [`Encoder::to_bytes`] returns.
    pub const STATE_LEN: usize = 32;

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

    /// The running checksum of the input so far: CRC-32 for gzip, Adler-32 for zlib (the value
    /// the trailer will carry), 0 for raw deflate.
    pub const fn checksum(&self) -> u32 {
        self.checksum
    }

    /// Writes the stream's header now (10 bytes for gzip, 2 for zlib, none for raw deflate)
    /// instead of with the first output, and returns its length; 0 if it was already written.
    /// For callers that must send the header before any data is ready.
    ///
    /// ```
    /// use slz::{Encoder, Format, Level};
    /// let mut enc = Encoder::new(Format::Zlib, Level::FAST);
    /// let mut out = [0u8; 16];
    /// assert_eq!(enc.write_header(&mut out), Ok(2));
    /// assert_eq!(enc.write_header(&mut out), Ok(0));
    /// ```
    pub fn write_header(&mut self, output: &mut [u8]) -> Result<usize, Error> {
        if self.finished {
            return Err(Error::Finished);
        }
        if self.header_written {
            return Ok(0);
        }
        let needed = self.format.header_len();
        if output.len() < needed {
            return Err(Error::OutputTooSmall { needed });
        }
        let n = write_header(self.format, self.gzip, self.level.get(), output);
        self.header_written = true;
        self.total_out = self.total_out.wrapping_add(n as u64);
        Ok(n)
    }

    /// The encoder's whole state as [`Encoder::STATE_LEN`] plain bytes, for callers that keep
    /// streams in memory they lay out themselves (slz's C API stores them in libslz's
    /// `struct slz_stream`). [`Encoder::from_bytes`] gives the encoder back.
    ///
    /// ```
    /// use slz::{Encoder, Format, Level};
    /// let enc = Encoder::new(Format::Gzip, Level::new(6).unwrap());
    /// let back = Encoder::from_bytes(&enc.to_bytes()).unwrap();
    /// assert_eq!(back.to_bytes(), enc.to_bytes());
    /// assert_eq!(back.level(), enc.level());
    /// ```
    pub const fn to_bytes(&self) -> [u8; Encoder::STATE_LEN] {
        let mut b = [0u8; Encoder::STATE_LEN];
        b[0] = STATE_TAG;
        b[1] = match self.format {
            Format::Gzip => 0,
            Format::Zlib => 1,
            Format::Deflate => 2,
        };
        b[2] = self.level.get() as u8;
        b[3] = (self.header_written as u8) | (self.finished as u8) << 1 | (self.dirty as u8) << 2;
        b[4] = self.bit_acc;
        b[5] = self.bit_count;
        b[6] = self.gzip.os;
        let mut i = 0;
        while i < 4 {
            b[8 + i] = self.checksum.to_le_bytes()[i];
            b[12 + i] = self.gzip.mtime.to_le_bytes()[i];
            i += 1;
        }
        let mut i = 0;
        while i < 8 {
            b[16 + i] = self.total_in.to_le_bytes()[i];
            b[24 + i] = self.total_out.to_le_bytes()[i];
            i += 1;
        }
        b
    }

    /// The encoder saved by [`Encoder::to_bytes`]. Bytes that no encoder could have written
    /// (another layout version, a format or level out of range, pending bits inconsistent with
    /// the flags) give [`Error::BadState`], so garbage never becomes a stream.
    ///
    /// ```
    /// assert_eq!(slz::Encoder::from_bytes(&[0; slz::Encoder::STATE_LEN]).err(), Some(slz::Error::BadState));
    /// ```
    pub fn from_bytes(bytes: &[u8; Encoder::STATE_LEN]) -> Result<Encoder, Error> {
        let b = bytes;
        let format = match b[1] {
            0 => Format::Gzip,
            1 => Format::Zlib,
            2 => Format::Deflate,
            _ => return Err(Error::BadState),
        };
        let level = Level::new(b[2] as u32).map_err(|_| Error::BadState)?;
        let (flags, bit_acc, bit_count) = (b[3], b[4], b[5]);
        let header_written = flags & 1 != 0;
        let (finished, dirty) = (flags & 2 != 0, flags & 4 != 0);
        let consistent = b[0] == STATE_TAG
            && flags < 8
            && b[7] == 0
            && bit_count < 8
            && u32::from(bit_acc) >> bit_count == 0
            // Blocks (so pending bits or an unflushed block) only follow the header, and a
            // finished stream has nothing pending.
            && (header_written || (bit_count == 0 && !dirty && !finished))
            && !(finished && bit_count != 0);
        if !consistent {
            return Err(Error::BadState);
        }
        let word = |at: usize| u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]]);
        let long = |at: usize| u64::from(word(at)) | u64::from(word(at + 4)) << 32;
        Ok(Encoder {
            total_in: long(16),
            total_out: long(24),
            checksum: word(8),
            gzip: GzipHeader {
                mtime: word(12),
                os: b[6],
            },
            format,
            level,
            bit_acc,
            bit_count,
            header_written,
            finished,
            dirty,
        })
    }

    /// The most one [`Encoder::compress`] call with `input_len` bytes of input can write in the
    /// encoder's current state, whatever the flush: header, pending bits, blocks, sync marker
    /// and trailer included. It is the largest of [`Encoder::max_output_len_with`] over the
    /// three flushes.
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
        let none = self.max_output_len_with(input_len, Flush::None);
        let sync = self.max_output_len_with(input_len, Flush::Sync);
        let finish = self.max_output_len_with(input_len, Flush::Finish);
        let most = if sync > none { sync } else { none };
        if finish > most {
            finish
        } else {
            most
        }
    }

    /// The most one [`Encoder::compress`] call with `input_len` bytes and this `flush` can write
    /// in the encoder's current state; `compress` accepts any output at least this long. A
    /// sync flush with no input needs at most 6 bytes, finishing with no input at most the
    /// header, 3 bytes and the trailer. Saturates at `usize::MAX`.
    ///
    /// ```
    /// use slz::{Encoder, Flush, Format, Level};
    /// let enc = Encoder::new(Format::Deflate, Level::FAST);
    /// assert_eq!(enc.max_output_len_with(0, Flush::None), 0);
    /// assert!(enc.max_output_len_with(100, Flush::Sync) <= enc.max_output_len(100));
    /// ```
    pub const fn max_output_len_with(&self, input_len: usize, flush: Flush) -> usize {
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
        if input_len == 0 {
            // `compress` writes nothing for an empty call without a flush to do, and a sync
            // marker only after blocks (so the header is already out).
            return match flush {
                Flush::None => 0,
                Flush::Sync if self.dirty => (pending + 3).div_ceil(8) + 4,
                Flush::Sync => 0,
                Flush::Finish => header + (pending + 10).div_ceil(8) + trailer,
            };
        }
        let block = if self.level.effective() == 0 {
            MAX_STORED
        } else {
            FAST_BLOCK
        };
        let blocks = input_len.div_ceil(block);
        // Every block ends no later than it would as a stored block (block.rs): the first one
        // after the pending bits, the others byte-aligned at 5 bytes each. (Levels 2-9 compare
        // each segment with its bytes stored in blocks of up to 65535 bytes; a segment other
        // than the call's last covers at least 32 KiB per such block: `block_choice.rs`.) That
        // end is byte-aligned; a sync marker from there takes 5 bytes, the trailer its length.
        let first = (pending + 3).div_ceil(8) + 4;
        let close = match flush {
            Flush::None => 0,
            Flush::Sync => 5,
            Flush::Finish => trailer,
        };
        let overhead = header + first + 5 * (blocks - 1) + close;
        input_len.saturating_add(overhead)
    }

    /// Compresses all of `input` into the front of `output` and returns the number of bytes
    /// written. `output` must be at least
    /// [`Encoder::max_output_len_with`]`(input.len(), flush)` long (which
    /// [`Encoder::max_output_len`]`(input.len())` always is), otherwise nothing happens and the
    /// call returns [`Error::OutputTooSmall`]. Only
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
        let needed = self.max_output_len_with(input.len(), flush);
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
