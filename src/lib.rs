//! # slz — stateless, fixed-memory gzip / zlib / raw deflate compression
//!
//! `slz` compresses streams — typically HTTP responses fed in chunks with a sync flush after each
//! — with a few dozen bytes of state per stream, no heap allocation, and a checked worst-case
//! output size. It follows the design of libslz: no history is kept between calls. Level 1
//! writes its blocks with a precomputed Huffman code — RFC 1951's fixed code or codes trained
//! offline on typical content — and levels 2 to 9 search harder within the call and give each
//! ~32 KiB segment the cheapest of those codes and its own dynamic code (see [`Level`]); any
//! block is stored instead when that is shorter.
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
//! * **State**: `size_of::<Encoder>() <= 64`; no heap; per-call working memory on the stack,
//!   sized to the input, at most [`Level::working_memory`] (32 KiB at level 1, 216-232 KiB at 3-9).
//! * **Bound**: one call never writes more than [`Encoder::max_output_len`], which is at most
//!   `len + 5 * ceil(len / 32768) + 20`; a shorter buffer gives [`Error::OutputTooSmall`] and
//!   leaves the encoder untouched.
//! * **Statelessness**: no back-reference crosses a call boundary.
//! * **Determinism**: the same calls give the same bytes. The gzip header has no file name,
//!   MTIME 0 and OS 255 unless set with [`Encoder::with_gzip_header`].
//! * **Safety**: `#![forbid(unsafe_code)]`, `no_std`, and no public function panics.
//!
//! ## `std::io` adapters (feature `std`, on by default)
//!
//! [`write::GzEncoder`], [`write::ZlibEncoder`] and [`write::DeflateEncoder`] (and the same
//! three in [`read`]) have the shapes of flate2's, so switching is an import change. Each
//! gathers input in a 16 KiB buffer and compresses a full buffer at once; `flush()` is a sync
//! flush. They allocate their two buffers (32 793 bytes by default) once, at construction.
//! [`GzBuilder`] sets the gzip header's MTIME and OS byte.
//!
//! Compressing a file:
//!
//! ```
//! use std::fs::File;
//! use std::io::{self, BufReader, Read};
//! use slz::{write::GzEncoder, Level};
//!
//! let dir = std::env::temp_dir();
//! let name = format!("slz-doc-example-{}.txt", std::process::id());
//! let (src, dst) = (dir.join(&name), dir.join(name + ".gz"));
//! std::fs::write(&src, "a line of text\n".repeat(1000))?;
//!
//! let mut enc = GzEncoder::new(File::create(&dst)?, Level::FAST);
//! io::copy(&mut BufReader::new(File::open(&src)?), &mut enc)?;
//! enc.finish()?.sync_all()?;
//!
//! let mut back = String::new();
//! flate2::read::GzDecoder::new(File::open(&dst)?).read_to_string(&mut back)?;
//! assert_eq!(back, std::fs::read_to_string(&src)?);
//! # std::fs::remove_file(&src)?; std::fs::remove_file(&dst)?;
//! # Ok::<(), io::Error>(())
//! ```
//!
//! A proxy-style loop: compress each chunk as it arrives, flush, and forward what is ready, so
//! the client can decode everything sent so far:
//!
//! ```
//! use std::io::Write;
//! use slz::{write::GzEncoder, Level};
//!
//! let upstream = [&b"<html><body>"[..], b"<p>first part</p>", b"<p>second part</p></body></html>"];
//! let mut client: Vec<Vec<u8>> = Vec::new(); // what goes out on the wire, packet by packet
//!
//! let mut enc = GzEncoder::new(Vec::new(), Level::FAST);
//! for chunk in upstream {
//!     enc.write_all(chunk)?;
//!     enc.flush()?; // sync flush: decodable up to here
//!     client.push(std::mem::take(enc.get_mut()));
//! }
//! client.push(enc.finish()?); // final block and trailer
//!
//! let wire = client.concat();
//! let mut body = Vec::new();
//! std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&wire[..]), &mut body)?;
//! assert_eq!(body, upstream.concat());
//! # Ok::<(), std::io::Error>(())
//! ```
//!
//! Choosing the format from the negotiated `Content-Encoding`: `gzip` is [`Format::Gzip`], and
//! HTTP's `deflate` is the **zlib** format ([`write::ZlibEncoder`]), not raw deflate:
//!
//! ```
//! use std::io::{self, Write};
//! use slz::{write, Level};
//!
//! fn encode_body(content_encoding: &str, body: &[u8]) -> io::Result<Vec<u8>> {
//!     match content_encoding {
//!         "gzip" => {
//!             let mut enc = write::GzEncoder::new(Vec::new(), Level::FAST);
//!             enc.write_all(body)?;
//!             enc.finish()
//!         }
//!         "deflate" => {
//!             let mut enc = write::ZlibEncoder::new(Vec::new(), Level::FAST);
//!             enc.write_all(body)?;
//!             enc.finish()
//!         }
//!         _ => Ok(body.to_vec()), // identity
//!     }
//! }
//!
//! assert_eq!(&encode_body("gzip", b"hi")?[..2], &[0x1f, 0x8b]);
//! assert_eq!(encode_body("deflate", b"hi")?[0], 0x78); // zlib header
//! # Ok::<(), io::Error>(())
//! ```
#![no_std]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

#[cfg(feature = "alloc")]
extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

mod bits;
mod block;
mod block_choice;
mod block_split;
mod checksum;
mod deflate;
mod encoder;
mod error;
mod fast;
mod format;
mod huffman;
mod huffman_build;
#[cfg(feature = "std")]
mod io;
mod level;
mod levels;
mod lz77;
mod match_finder;
mod parse;
mod seq_writer;
mod tokens;
mod trained;
#[cfg(feature = "alloc")]
mod vec;

pub use encoder::{Encoder, Flush};
pub use error::Error;
pub use format::{Format, GzipHeader};
#[cfg(feature = "std")]
pub use io::{read, write, GzBuilder};
pub use level::Level;
#[cfg(feature = "alloc")]
pub use vec::compress_to_vec;

/// The README's examples run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
