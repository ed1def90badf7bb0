//! # slz — stateless, fixed-memory gzip / zlib / raw deflate compression
//!
//! `slz` compresses streams — typically HTTP responses fed in chunks with a sync flush after each
//! — with a few dozen bytes of state per stream, no heap allocation, and a checked worst-case
//! output size. It follows the design of libslz: no history is kept between calls, and blocks
//! use the fixed Huffman code (or are stored when that would expand the data).
//!
//! ```
//! use slz::{Encoder, Flush, Format, Level};
//!
//! let body = b"<html><body>hello hello hello</body></html>";
//! let mut enc = Encoder::new(Format::Gzip, Level::FAST);
//! let mut out = vec![0u8; enc.max_output_len(body.len())];
//! let n = enc.compress(body, &mut out, Flush::Finish)?;
//! out.truncate(n);
//! assert_eq!(&out[..2], &[0x1f, 0x8b]);
//! # Ok::<(), slz::Error>(())
//! ```
//!
//! ## Guarantees
//! * **State**: `size_of::<Encoder>() <= 64`; no heap; per-call working memory on the stack
//!   (at most ~65 KiB, sized to the input).
//! * **Bound**: one call never writes more than [`Encoder::max_output_len`], which is at most
//!   `len + 5 * ceil(len / 32768) + 20`; a shorter buffer gives [`Error::OutputTooSmall`] and
//!   leaves the encoder untouched.
//! * **Statelessness**: no back-reference crosses a call boundary.
//! * **Determinism**: the same calls give the same bytes. The gzip header has no file name,
//!   MTIME 0 and OS 255 unless set with [`Encoder::with_gzip_header`].
//! * **Safety**: `#![forbid(unsafe_code)]`, `no_std`, and no public function panics.
#![no_std]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

#[cfg(feature = "alloc")]
extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

mod bits;
mod block;
mod checksum;
mod encoder;
mod error;
mod format;
mod huffman;
mod level;
mod lz77;
#[cfg(feature = "alloc")]
mod vec;

pub use encoder::{Encoder, Flush};
pub use error::Error;
pub use format::{Format, GzipHeader};
pub use level::Level;
#[cfg(feature = "alloc")]
pub use vec::compress_to_vec;

/// The README's examples run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
