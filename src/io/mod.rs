//! `std::io` adapters (feature `std`): the buffers and framing shared by [`write`] and [`read`],
//! and [`GzBuilder`].
//!
//! Both sides wrap one [`Buffered`] value: an [`Encoder`], an input buffer of a fixed capacity
//! and an output buffer that holds the worst case of one `compress` call over a full input
//! buffer. Both buffers are allocated once, at construction; nothing allocates afterwards.

use std::boxed::Box;
use std::fmt;
use std::io;
use std::vec;

use crate::{Encoder, Error, Flush, Format, GzipHeader, Level};

pub mod read;
pub mod write;

/// Input buffer capacity of the adapters unless chosen otherwise: 16 KiB, a typical proxy
/// buffer, and half a level-1 block.
pub(crate) const DEFAULT_CAPACITY: usize = 16 * 1024;

/// Largest accepted input buffer capacity (1 GiB); larger requests are clamped to it.
pub(crate) const MAX_CAPACITY: usize = 1 << 30;

/// An encoder with its input and output buffers.
///
/// Invariants: `in_len <= input.len()`, `out_pos <= out_len <= output.len()`, and `compress` is
/// only called when all earlier output has been taken (`out_pos == out_len`), so `output` only
/// ever needs room for one call.
pub(crate) struct Buffered {
    pub(crate) enc: Encoder,
    input: Box<[u8]>,
    in_len: usize,
    output: Box<[u8]>,
    out_pos: usize,
    out_len: usize,
}

/// Heap bytes of the two buffers for an input capacity (already clamped): the capacity itself
/// plus the documented bound of [`Encoder::max_output_len`] for a full buffer, which holds in
/// every encoder state.
pub(crate) const fn output_capacity(capacity: usize) -> usize {
    capacity + 5 * capacity.div_ceil(32768) + 20
}

impl Buffered {
    pub(crate) fn new(enc: Encoder, capacity: usize) -> Buffered {
        let capacity = clamp_capacity(capacity);
        // The documented bound covers every state; taking the maximum with the encoder's own
        // answer keeps us safe even if the two ever disagreed.
        let out = {
            let own = enc.max_output_len(capacity);
            let bound = output_capacity(capacity);
            if own > bound {
                own
            } else {
                bound
            }
        };
        Buffered {
            enc,
            input: vec![0u8; capacity].into_boxed_slice(),
            in_len: 0,
            output: vec![0u8; out].into_boxed_slice(),
            out_pos: 0,
            out_len: 0,
        }
    }

    pub(crate) fn input_full(&self) -> bool {
        self.in_len == self.input.len()
    }

    /// The free part of the input buffer.
    pub(crate) fn space(&mut self) -> &mut [u8] {
        &mut self.input[self.in_len..]
    }

    /// Records `n` bytes written into [`Buffered::space`]. A count larger than the space (a
    /// broken `Read` implementation) is an error rather than a panic or silent corruption.
    pub(crate) fn fill(&mut self, n: usize) -> io::Result<()> {
        if n > self.input.len() - self.in_len {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "inner reader reported more bytes than the buffer it was given",
            ));
        }
        self.in_len += n;
        Ok(())
    }

    /// Copies as much of `buf` as fits into the input buffer; returns how much.
    pub(crate) fn push(&mut self, buf: &[u8]) -> usize {
        let space = self.space();
        let n = space.len().min(buf.len());
        space[..n].copy_from_slice(&buf[..n]);
        self.in_len += n;
        n
    }

    /// Compressed bytes produced and not handed on yet.
    pub(crate) fn pending(&self) -> &[u8] {
        &self.output[self.out_pos..self.out_len]
    }

    /// Marks `n` bytes of [`Buffered::pending`] as handed on.
    pub(crate) fn consume(&mut self, n: usize) -> io::Result<()> {
        if n > self.out_len - self.out_pos {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "inner writer reported more bytes than the buffer it was given",
            ));
        }
        self.out_pos += n;
        Ok(())
    }

    /// Compresses the whole input buffer with `flush` into the (empty) output buffer. On error
    /// nothing changes: the encoder leaves its state alone when a call fails.
    pub(crate) fn compress(&mut self, flush: Flush) -> io::Result<()> {
        debug_assert!(self.pending().is_empty());
        let n = self
            .enc
            .compress(&self.input[..self.in_len], &mut self.output, flush)
            .map_err(to_io)?;
        self.in_len = 0;
        self.out_pos = 0;
        self.out_len = n;
        Ok(())
    }

    /// Starts a new stream: resets the encoder and drops buffered input and output.
    pub(crate) fn reset(&mut self) {
        self.enc.reset();
        self.in_len = 0;
        self.out_pos = 0;
        self.out_len = 0;
    }

    /// Bytes the caller has given (written into a writer or read from the source): compressed
    /// plus buffered.
    pub(crate) fn total_in(&self) -> u64 {
        self.enc.total_in().wrapping_add(self.in_len as u64)
    }

    /// Compressed bytes produced so far, including those not handed on yet.
    pub(crate) fn total_out(&self) -> u64 {
        self.enc.total_out()
    }
}

impl fmt::Debug for Buffered {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Buffered")
            .field("enc", &self.enc)
            .field("capacity", &self.input.len())
            .field("buffered", &self.in_len)
            .field("pending", &(self.out_len - self.out_pos))
            .finish()
    }
}

fn clamp_capacity(capacity: usize) -> usize {
    capacity.clamp(1, MAX_CAPACITY)
}

/// Maps a core error to `io::Error`, keeping it as the source: using a finished stream is
/// `InvalidInput`; anything else would be a bug of this crate and is `Other`.
fn to_io(e: Error) -> io::Error {
    let kind = match e {
        Error::Finished | Error::BadLevel(_) => io::ErrorKind::InvalidInput,
        _ => io::ErrorKind::Other,
    };
    io::Error::new(kind, e)
}

/// Sets the fields of the gzip header before creating a gzip [`write::GzEncoder`] or
/// [`read::GzEncoder`], like flate2's `GzBuilder`.
///
/// Only MTIME and the OS byte can be chosen: slz writes no file name, comment or extra field.
/// Without a builder the header is deterministic: MTIME 0 and OS 255 ("unknown").
///
/// ```
/// use std::io::Write;
/// use slz::{GzBuilder, Level};
///
/// let mut enc = GzBuilder::new()
///     .mtime(1_700_000_000)
///     .operating_system(3) // Unix
///     .write(Vec::new(), Level::FAST);
/// enc.write_all(b"hello")?;
/// let gz = enc.finish()?;
/// assert_eq!(&gz[4..8], &1_700_000_000u32.to_le_bytes());
/// assert_eq!(gz[9], 3);
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GzBuilder {
    header: GzipHeader,
    capacity: usize,
}

impl Default for GzBuilder {
    /// Same as [`GzBuilder::new`].
    fn default() -> Self {
        GzBuilder::new()
    }
}

impl GzBuilder {
    /// A builder with the default header (MTIME 0, OS 255) and the default 16 KiB input buffer.
    ///
    /// ```
    /// let gz = slz::GzBuilder::new().write(Vec::new(), slz::Level::FAST).finish()?;
    /// assert_eq!(&gz[4..10], &[0, 0, 0, 0, 4, 255]);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub const fn new() -> GzBuilder {
        GzBuilder {
            header: GzipHeader { mtime: 0, os: 255 },
            capacity: DEFAULT_CAPACITY,
        }
    }

    /// Sets MTIME, the modification time in seconds since the Unix epoch (0 means none).
    ///
    /// ```
    /// let gz = slz::GzBuilder::new().mtime(42).write(Vec::new(), slz::Level::FAST).finish()?;
    /// assert_eq!(&gz[4..8], &42u32.to_le_bytes());
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub const fn mtime(mut self, mtime: u32) -> GzBuilder {
        self.header.mtime = mtime;
        self
    }

    /// Sets the OS byte (RFC 1952: 0 FAT, 3 Unix, 11 NTFS, 255 unknown).
    ///
    /// ```
    /// let gz = slz::GzBuilder::new().operating_system(11).write(Vec::new(), slz::Level::FAST).finish()?;
    /// assert_eq!(gz[9], 11);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub const fn operating_system(mut self, os: u8) -> GzBuilder {
        self.header.os = os;
        self
    }

    /// Sets the input buffer capacity of the encoder to build (default 16 KiB; clamped to
    /// `1..=1 GiB`). See [`write::GzEncoder::with_capacity`].
    ///
    /// ```
    /// let enc = slz::GzBuilder::new().capacity(64 * 1024).write(Vec::new(), slz::Level::FAST);
    /// assert_eq!(enc.total_in(), 0);
    /// ```
    pub const fn capacity(mut self, capacity: usize) -> GzBuilder {
        self.capacity = capacity;
        self
    }

    /// A gzip writer with this header, writing into `w`.
    ///
    /// ```
    /// use std::io::{Read, Write};
    /// let mut enc = slz::GzBuilder::new().mtime(1).write(Vec::new(), slz::Level::FAST);
    /// enc.write_all(b"some text")?;
    /// let gz = enc.finish()?;
    /// let mut text = String::new();
    /// flate2::read::GzDecoder::new(&gz[..]).read_to_string(&mut text)?;
    /// assert_eq!(text, "some text");
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn write<W: io::Write>(self, w: W, level: Level) -> write::GzEncoder<W> {
        write::GzEncoder::from_encoder(w, self.encoder(level), self.capacity)
    }

    /// A gzip reader with this header, compressing what it reads from `r`.
    ///
    /// ```
    /// use std::io::Read;
    /// let mut enc = slz::GzBuilder::new().operating_system(3).read(&b"some text"[..], slz::Level::FAST);
    /// let mut gz = Vec::new();
    /// enc.read_to_end(&mut gz)?;
    /// assert_eq!(gz[9], 3);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn read<R: io::Read>(self, r: R, level: Level) -> read::GzEncoder<R> {
        read::GzEncoder::from_encoder(r, self.encoder(level), self.capacity)
    }

    fn encoder(self, level: Level) -> Encoder {
        Encoder::new(Format::Gzip, level).with_gzip_header(self.header)
    }
}
