//! One-shot compression into a `Vec` (feature `alloc`).

use alloc::vec::Vec;

use crate::{Encoder, Error, Flush, Format, Level};

/// Compresses `input` into a complete stream in `format` at `level`.
///
/// ```
/// let gz = slz::compress_to_vec(b"hello hello hello hello", slz::Format::Gzip, slz::Level::FAST);
/// assert_eq!(&gz[..2], &[0x1f, 0x8b]);
/// ```
pub fn compress_to_vec(input: &[u8], format: Format, level: Level) -> Vec<u8> {
    let mut enc = Encoder::new(format, level);
    let mut out = Vec::new();
    let mut needed = enc.max_output_len(input.len());
    loop {
        out.resize(needed, 0);
        match enc.compress(input, &mut out, Flush::Finish) {
            Ok(n) => {
                out.truncate(n);
                return out;
            }
            // A fresh encoder accepts a buffer of `max_output_len`; this only re-sizes if that
            // contract were ever broken, rather than panicking.
            Err(Error::OutputTooSmall { needed: n }) if n > needed => needed = n,
            Err(_) => {
                out.clear();
                return out;
            }
        }
    }
}
