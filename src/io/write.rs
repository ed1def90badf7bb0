//! Writers that compress what is written to them and write the stream into an inner
//! [`Write`], shaped like flate2's `write::{GzEncoder, ZlibEncoder, DeflateEncoder}`.
//!
//! Because slz keeps no history between compression calls, each writer gathers input in a fixed
//! buffer (16 KiB unless chosen with `with_capacity`) and compresses a full buffer at once, or
//! what is buffered on [`Write::flush`] / `try_finish` / `finish`. Small writes therefore
//! compress as well as large ones, and `flush` costs what it costs in a proxy: one sync marker.
//!
//! **Memory**: the two buffers are allocated once, at construction, and nothing allocates
//! afterwards. For an input capacity `c` they take `2c + 5 * ceil(c / 32768) + 20` bytes of heap
//! (32 793 bytes for the default 16 KiB), next to a struct of about 100 bytes plus `W`.
//!
//! **Non-blocking writers**: compressed bytes the inner writer has not accepted yet stay in the
//! output buffer and are written first on the next call. An error of the inner writer
//! (including `WouldBlock`) is returned unchanged and nothing is lost or written twice: retrying
//! the call that failed continues where it stopped. `Interrupted` is retried internally, as
//! `std::io::BufWriter` does.
//!
//! **Drop**: dropping a writer that was not finished tries to finish the stream (like flate2)
//! and ignores any error. Call `finish` or `try_finish` to see errors.
//!
//! ```
//! use std::io::Write;
//! use slz::{write::GzEncoder, Level};
//!
//! let mut enc = GzEncoder::new(Vec::new(), Level::FAST);
//! enc.write_all(b"Hello, world!")?;
//! let gz: Vec<u8> = enc.finish()?;
//! assert_eq!(&gz[..2], &[0x1f, 0x8b]);
//! # Ok::<(), std::io::Error>(())
//! ```

use std::io::{self, Write};

use super::{Buffered, DEFAULT_CAPACITY};
use crate::{Encoder, Flush, Format, Level};

/// The writer behind the three named encoders: everything except the format lives here.
#[derive(Debug)]
struct Writer<W: Write> {
    buf: Buffered,
    /// Always `Some` except inside `finish`, which takes it just before the value is dropped.
    w: Option<W>,
}

impl<W: Write> Writer<W> {
    fn new(w: W, enc: Encoder, capacity: usize) -> Writer<W> {
        Writer {
            buf: Buffered::new(enc, capacity),
            w: Some(w),
        }
    }

    fn get_ref(&self) -> &W {
        self.w.as_ref().expect("inner writer present until finish")
    }

    fn get_mut(&mut self) -> &mut W {
        self.w.as_mut().expect("inner writer present until finish")
    }

    /// Writes all pending compressed bytes to the inner writer.
    fn drain(&mut self) -> io::Result<()> {
        while !self.buf.pending().is_empty() {
            let Some(w) = self.w.as_mut() else {
                return Ok(());
            };
            match w.write(self.buf.pending()) {
                Ok(0) => {
                    return Err(io::Error::new(
                        io::ErrorKind::WriteZero,
                        "inner writer accepted no compressed bytes",
                    ))
                }
                Ok(n) => self.buf.consume(n)?,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    /// Every step before the input is taken can fail and be retried: pending output is
    /// written first, a full buffer is compressed (into the then empty output buffer) and
    /// written, and only then is `data` copied in.
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        if self.buf.enc.is_finished() {
            // The same error the encoder gives, before anything else happens.
            return Err(super::to_io(crate::Error::Finished));
        }
        if data.is_empty() {
            return Ok(0);
        }
        self.drain()?;
        if self.buf.input_full() {
            self.buf.compress(Flush::None)?;
            self.drain()?;
        }
        Ok(self.buf.push(data))
    }

    fn flush(&mut self) -> io::Result<()> {
        self.drain()?;
        if !self.buf.enc.is_finished() {
            // With nothing new since the last sync flush this writes nothing, so retrying after
            // an error of the inner writer does not repeat the marker.
            self.buf.compress(Flush::Sync)?;
            self.drain()?;
        }
        self.get_mut().flush()
    }

    fn try_finish(&mut self) -> io::Result<()> {
        self.drain()?;
        if !self.buf.enc.is_finished() {
            self.buf.compress(Flush::Finish)?;
            self.drain()?;
        }
        Ok(())
    }

    fn finish(&mut self) -> io::Result<W> {
        self.try_finish()?;
        Ok(self.w.take().expect("inner writer present until finish"))
    }

    fn reset(&mut self, w: W) -> io::Result<W> {
        self.try_finish()?;
        self.buf.reset();
        Ok(core::mem::replace(self.get_mut(), w))
    }
}

impl<W: Write> Drop for Writer<W> {
    fn drop(&mut self) {
        if self.w.is_some() {
            let _ = self.try_finish();
        }
    }
}

macro_rules! writer {
    ($name:ident, $format:expr, $what:literal, $decoder:literal) => {
        #[doc = concat!("A writer that compresses into a ", $what, " stream written to `W`.")]
        ///
        /// See the [module documentation](self) for buffering, memory, non-blocking writers
        /// and what happens on drop.
        ///
        /// ```
        /// use std::io::{Read, Write};
        #[doc = concat!("use slz::{write::", stringify!($name), ", Level};")]
        ///
        #[doc = concat!("let mut enc = ", stringify!($name), "::new(Vec::new(), Level::FAST);")]
        /// enc.write_all(b"Hello, ")?;
        /// enc.flush()?; // everything so far is decodable now
        /// enc.write_all(b"world!")?;
        /// let compressed = enc.finish()?;
        ///
        /// let mut text = String::new();
        #[doc = concat!($decoder, "::new(&compressed[..]).read_to_string(&mut text)?;")]
        /// assert_eq!(text, "Hello, world!");
        /// # Ok::<(), std::io::Error>(())
        /// ```
        #[derive(Debug)]
        pub struct $name<W: Write> {
            inner: Writer<W>,
        }

        impl<W: Write> $name<W> {
            #[doc = concat!("A ", $what, " writer into `w` at `level`, with a 16 KiB input buffer.")]
            ///
            /// ```
            #[doc = concat!("let enc = slz::write::", stringify!($name), "::new(Vec::new(), slz::Level::FAST);")]
            /// assert!(enc.get_ref().is_empty());
            /// ```
            pub fn new(w: W, level: Level) -> Self {
                Self::with_capacity(w, level, DEFAULT_CAPACITY)
            }

            /// Like `new`, with an input buffer of `capacity` bytes (clamped to `1..=1 GiB`).
            ///
            /// Data is compressed one full buffer at a time, so a larger buffer finds more
            /// matches and a smaller one uses less memory: the writer allocates
            /// `2 * capacity + 5 * ceil(capacity / 32768) + 20` bytes, once.
            ///
            /// ```
            /// use std::io::Write;
            #[doc = concat!("let mut enc = slz::write::", stringify!($name), "::with_capacity(Vec::new(), slz::Level::FAST, 4096);")]
            /// enc.write_all(&[b'a'; 4096])?; // fills the buffer exactly: nothing compressed yet
            /// assert!(enc.get_ref().is_empty());
            /// enc.write_all(b"b")?; // the full buffer is compressed before taking more
            /// assert!(!enc.get_ref().is_empty());
            /// # Ok::<(), std::io::Error>(())
            /// ```
            pub fn with_capacity(w: W, level: Level, capacity: usize) -> Self {
                Self::from_encoder(w, Encoder::new($format, level), capacity)
            }

            #[allow(dead_code)]
            pub(crate) fn from_encoder(w: W, enc: Encoder, capacity: usize) -> Self {
                $name {
                    inner: Writer::new(w, enc, capacity),
                }
            }

            /// The inner writer.
            ///
            /// ```
            #[doc = concat!("let enc = slz::write::", stringify!($name), "::new(vec![1u8, 2], slz::Level::FAST);")]
            /// assert_eq!(enc.get_ref(), &[1, 2]);
            /// ```
            pub fn get_ref(&self) -> &W {
                self.inner.get_ref()
            }

            /// The inner writer, mutably. Writing to it directly corrupts the stream; taking
            /// the compressed bytes out of it (after a `flush`) is fine.
            ///
            /// ```
            /// use std::io::Write;
            #[doc = concat!("let mut enc = slz::write::", stringify!($name), "::new(Vec::new(), slz::Level::FAST);")]
            /// enc.write_all(b"chunk")?;
            /// enc.flush()?;
            /// let ready: Vec<u8> = std::mem::take(enc.get_mut()); // forward these bytes now
            /// assert!(!ready.is_empty());
            /// # Ok::<(), std::io::Error>(())
            /// ```
            pub fn get_mut(&mut self) -> &mut W {
                self.inner.get_mut()
            }

            /// Bytes written into this encoder so far in the current stream (including those
            /// still in its input buffer).
            ///
            /// ```
            /// use std::io::Write;
            #[doc = concat!("let mut enc = slz::write::", stringify!($name), "::new(Vec::new(), slz::Level::FAST);")]
            /// enc.write_all(b"12345")?;
            /// assert_eq!(enc.total_in(), 5);
            /// # Ok::<(), std::io::Error>(())
            /// ```
            pub fn total_in(&self) -> u64 {
                self.inner.buf.total_in()
            }

            /// Compressed bytes produced so far in the current stream (including those the
            /// inner writer has not accepted yet).
            ///
            /// ```
            /// use std::io::Write;
            #[doc = concat!("let mut enc = slz::write::", stringify!($name), "::new(Vec::new(), slz::Level::FAST);")]
            /// enc.write_all(b"12345")?;
            /// enc.try_finish()?;
            /// assert_eq!(enc.total_out(), enc.get_ref().len() as u64);
            /// # Ok::<(), std::io::Error>(())
            /// ```
            pub fn total_out(&self) -> u64 {
                self.inner.buf.total_out()
            }

            /// Finishes the stream (final block and trailer) and writes it all to the inner
            /// writer, without consuming the encoder or flushing the inner writer. Further
            /// writes fail with `InvalidInput`; calling this again does nothing. After an error
            /// of the inner writer it can be called again to continue.
            ///
            /// ```
            /// use std::io::Write;
            #[doc = concat!("let mut enc = slz::write::", stringify!($name), "::new(Vec::new(), slz::Level::FAST);")]
            /// enc.write_all(b"abc")?;
            /// enc.try_finish()?;
            /// assert_eq!(enc.write(b"more").unwrap_err().kind(), std::io::ErrorKind::InvalidInput);
            /// # Ok::<(), std::io::Error>(())
            /// ```
            pub fn try_finish(&mut self) -> io::Result<()> {
                self.inner.try_finish()
            }

            /// Finishes the stream like [`try_finish`](Self::try_finish) and returns the inner
            /// writer (not flushed).
            ///
            /// ```
            /// use std::io::Write;
            #[doc = concat!("let mut enc = slz::write::", stringify!($name), "::new(Vec::new(), slz::Level::FAST);")]
            /// enc.write_all(b"abc")?;
            /// let compressed: Vec<u8> = enc.finish()?;
            /// assert!(!compressed.is_empty());
            /// # Ok::<(), std::io::Error>(())
            /// ```
            pub fn finish(mut self) -> io::Result<W> {
                self.inner.finish()
            }

            /// Finishes the current stream into the current inner writer, then starts a new
            /// stream (same level and header) into `w`; returns the previous inner writer.
            /// On error the encoder is unchanged except for progress made, and the call can be
            /// repeated.
            ///
            /// ```
            /// use std::io::Write;
            #[doc = concat!("let mut enc = slz::write::", stringify!($name), "::new(Vec::new(), slz::Level::FAST);")]
            /// enc.write_all(b"first")?;
            /// let first = enc.reset(Vec::new())?;
            /// enc.write_all(b"first")?;
            /// assert_eq!(enc.finish()?, first); // a reset encoder is as good as new
            /// # Ok::<(), std::io::Error>(())
            /// ```
            pub fn reset(&mut self, w: W) -> io::Result<W> {
                self.inner.reset(w)
            }
        }

        impl<W: Write> Write for $name<W> {
            /// Takes bytes into the input buffer; when it is full, the buffer is compressed
            /// first (and its output written to the inner writer). Returns how many bytes were
            /// taken; an error means none were.
            fn write(&mut self, data: &[u8]) -> io::Result<usize> {
                self.inner.write(data)
            }

            /// Sync flush: compresses everything written so far, ends it with a sync marker so
            /// that the receiver can decode all of it, writes it all to the inner writer and
            /// flushes that. A flush with nothing new written since the last one adds no
            /// bytes.
            fn flush(&mut self) -> io::Result<()> {
                self.inner.flush()
            }
        }
    };
}

writer!(
    GzEncoder,
    Format::Gzip,
    "gzip (RFC 1952)",
    "flate2::read::GzDecoder"
);
writer!(
    ZlibEncoder,
    Format::Zlib,
    "zlib (RFC 1950; HTTP `Content-Encoding: deflate`)",
    "flate2::read::ZlibDecoder"
);
writer!(
    DeflateEncoder,
    Format::Deflate,
    "raw deflate (RFC 1951)",
    "flate2::read::DeflateDecoder"
);
