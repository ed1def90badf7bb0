//! Readers that read from an inner [`Read`] and yield the compressed stream, shaped like
//! flate2's `read::{GzEncoder, ZlibEncoder, DeflateEncoder}`.
//!
//! Each reader fills a fixed input buffer (16 KiB unless chosen with `with_capacity`) from the
//! inner reader, compresses it as a whole, and hands out the result; at the end of the inner
//! reader it finishes the stream. Memory is the same as for the [writers](crate::write):
//! `2c + 5 * ceil(c / 32768) + 20` bytes of heap for capacity `c`, allocated once.
//!
//! Errors of the inner reader (including `WouldBlock`) are returned unchanged and lose nothing:
//! bytes read before the error stay buffered and the next `read` continues. `Interrupted` is
//! retried internally.
//!
//! ```
//! use std::io::Read;
//! use slz::{read::GzEncoder, Level};
//!
//! let mut gz = Vec::new();
//! GzEncoder::new(&b"Hello, world!"[..], Level::FAST).read_to_end(&mut gz)?;
//! assert_eq!(&gz[..2], &[0x1f, 0x8b]);
//! # Ok::<(), std::io::Error>(())
//! ```

use std::io::{self, Read};

use super::{Buffered, DEFAULT_CAPACITY};
use crate::{Encoder, Flush, Format, Level};

/// The reader behind the three named encoders.
#[derive(Debug)]
struct Reader<R: Read> {
    buf: Buffered,
    r: R,
}

impl<R: Read> Reader<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if out.is_empty() {
            return Ok(0);
        }
        loop {
            let pending = self.buf.pending();
            if !pending.is_empty() {
                let n = pending.len().min(out.len());
                out[..n].copy_from_slice(&pending[..n]);
                self.buf.consume(n)?;
                return Ok(n);
            }
            if self.buf.enc.is_finished() {
                return Ok(0);
            }
            // Fill the whole input buffer (compressing less would compress worse), or up to
            // the end of the input, which finishes the stream.
            let mut end = false;
            while !self.buf.input_full() {
                match self.r.read(self.buf.space()) {
                    Ok(0) => {
                        end = true;
                        break;
                    }
                    Ok(n) => self.buf.fill(n)?,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(e) => return Err(e),
                }
            }
            self.buf
                .compress(if end { Flush::Finish } else { Flush::None })?;
        }
    }
}

macro_rules! reader {
    ($name:ident, $format:expr, $what:literal, $decoder:literal) => {
        #[doc = concat!("A reader that yields the ", $what, " stream of what it reads from `R`.")]
        ///
        /// See the [module documentation](self) for buffering, memory and errors.
        ///
        /// ```
        /// use std::io::Read;
        #[doc = concat!("use slz::{read::", stringify!($name), ", Level};")]
        ///
        /// let text = "to be or not to be, that is the question";
        #[doc = concat!("let mut enc = ", stringify!($name), "::new(text.as_bytes(), Level::FAST);")]
        /// let mut compressed = Vec::new();
        /// enc.read_to_end(&mut compressed)?;
        ///
        /// let mut back = String::new();
        #[doc = concat!($decoder, "::new(&compressed[..]).read_to_string(&mut back)?;")]
        /// assert_eq!(back, text);
        /// # Ok::<(), std::io::Error>(())
        /// ```
        #[derive(Debug)]
        pub struct $name<R: Read> {
            inner: Reader<R>,
        }

        impl<R: Read> $name<R> {
            #[doc = concat!("A ", $what, " encoder reading from `r` at `level`, with a 16 KiB input buffer.")]
            ///
            /// ```
            #[doc = concat!("let enc = slz::read::", stringify!($name), "::new(&b\"data\"[..], slz::Level::FAST);")]
            /// assert_eq!(enc.total_in(), 0);
            /// ```
            pub fn new(r: R, level: Level) -> Self {
                Self::with_capacity(r, level, DEFAULT_CAPACITY)
            }

            /// Like `new`, with an input buffer of `capacity` bytes (clamped to `1..=1 GiB`).
            ///
            /// ```
            /// use std::io::Read;
            #[doc = concat!("let mut enc = slz::read::", stringify!($name), "::with_capacity(&[7u8; 10_000][..], slz::Level::FAST, 4096);")]
            /// let mut first = [0u8; 1];
            /// enc.read_exact(&mut first)?;
            /// assert_eq!(enc.total_in(), 4096); // one buffer read and compressed
            /// # Ok::<(), std::io::Error>(())
            /// ```
            pub fn with_capacity(r: R, level: Level, capacity: usize) -> Self {
                Self::from_encoder(r, Encoder::new($format, level), capacity)
            }

            #[allow(dead_code)]
            pub(crate) fn from_encoder(r: R, enc: Encoder, capacity: usize) -> Self {
                $name {
                    inner: Reader {
                        buf: Buffered::new(enc, capacity),
                        r,
                    },
                }
            }

            /// The inner reader.
            ///
            /// ```
            #[doc = concat!("let enc = slz::read::", stringify!($name), "::new(&b\"data\"[..], slz::Level::FAST);")]
            /// assert_eq!(*enc.get_ref(), b"data");
            /// ```
            pub fn get_ref(&self) -> &R {
                &self.inner.r
            }

            /// The inner reader, mutably. Reading from it directly skips those bytes.
            ///
            /// ```
            #[doc = concat!("let mut enc = slz::read::", stringify!($name), "::new(std::io::Cursor::new(b\"data\"), slz::Level::FAST);")]
            /// enc.get_mut().set_position(2); // compress only "ta"
            /// ```
            pub fn get_mut(&mut self) -> &mut R {
                &mut self.inner.r
            }

            /// The inner reader; data read from it but not yet compressed is lost.
            ///
            /// ```
            /// use std::io::Read;
            #[doc = concat!("let mut enc = slz::read::", stringify!($name), "::new(&b\"data\"[..], slz::Level::FAST);")]
            /// enc.read_to_end(&mut Vec::new())?;
            /// assert!(enc.into_inner().is_empty());
            /// # Ok::<(), std::io::Error>(())
            /// ```
            pub fn into_inner(self) -> R {
                self.inner.r
            }

            /// Starts a new stream (same level and header) reading from `r`, dropping
            /// buffered data, and returns the previous reader.
            ///
            /// ```
            /// use std::io::Read;
            #[doc = concat!("let mut enc = slz::read::", stringify!($name), "::new(&b\"one\"[..], slz::Level::FAST);")]
            /// let (mut a, mut b) = (Vec::new(), Vec::new());
            /// enc.read_to_end(&mut a)?;
            /// enc.reset(&b"one"[..]);
            /// enc.read_to_end(&mut b)?;
            /// assert_eq!(a, b);
            /// # Ok::<(), std::io::Error>(())
            /// ```
            pub fn reset(&mut self, r: R) -> R {
                self.inner.buf.reset();
                core::mem::replace(&mut self.inner.r, r)
            }

            /// Bytes read from the inner reader so far in the current stream (including those
            /// still in the input buffer).
            ///
            /// ```
            /// use std::io::Read;
            #[doc = concat!("let mut enc = slz::read::", stringify!($name), "::new(&b\"12345\"[..], slz::Level::FAST);")]
            /// enc.read_to_end(&mut Vec::new())?;
            /// assert_eq!(enc.total_in(), 5);
            /// # Ok::<(), std::io::Error>(())
            /// ```
            pub fn total_in(&self) -> u64 {
                self.inner.buf.total_in()
            }

            /// Compressed bytes produced so far in the current stream (including those not
            /// returned by `read` yet).
            ///
            /// ```
            /// use std::io::Read;
            #[doc = concat!("let mut enc = slz::read::", stringify!($name), "::new(&b\"12345\"[..], slz::Level::FAST);")]
            /// let mut out = Vec::new();
            /// enc.read_to_end(&mut out)?;
            /// assert_eq!(enc.total_out(), out.len() as u64);
            /// # Ok::<(), std::io::Error>(())
            /// ```
            pub fn total_out(&self) -> u64 {
                self.inner.buf.total_out()
            }
        }

        impl<R: Read> Read for $name<R> {
            /// Copies compressed bytes into `out`, first reading and compressing a full input
            /// buffer (or the rest of the input) when none are left. `Ok(0)` after the end of
            /// the stream.
            fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
                self.inner.read(out)
            }
        }
    };
}

reader!(
    GzEncoder,
    Format::Gzip,
    "gzip (RFC 1952)",
    "flate2::read::GzDecoder"
);
reader!(
    ZlibEncoder,
    Format::Zlib,
    "zlib (RFC 1950; HTTP `Content-Encoding: deflate`)",
    "flate2::read::ZlibDecoder"
);
reader!(
    DeflateEncoder,
    Format::Deflate,
    "raw deflate (RFC 1951)",
    "flate2::read::DeflateDecoder"
);
