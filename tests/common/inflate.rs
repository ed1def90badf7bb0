//! The strict checking inflater (`slz-check`, shared with `fuzz/`) with the framing this crate
//! writes around it.
//!
//! `slz_check` decodes the deflate data strictly and reports what the stream is made of: block
//! types and their headers, every distance and length coded ([`Stats`]), that no reserved symbol
//! (286, 287, distance codes 30, 31) ever appears, zero padding bits, and exactly where the
//! deflate data ends. Here the gzip and zlib framing is checked as strictly around it.

use std::fmt;

pub use slz_check::{adler32, Inflated, Stats};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InflateError(pub String);

impl fmt::Display for InflateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn err<T>(msg: impl Into<String>) -> Result<T, InflateError> {
    Err(InflateError(msg.into()))
}

/// Decodes a complete stream of `format` strictly, as [`inflate_strict`], keeping every block
/// (with its header) and match.
pub fn inflate_blocks(format: slz::Format, data: &[u8]) -> Result<Inflated, InflateError> {
    let (body, header) = match format {
        slz::Format::Gzip => {
            if data.len() < 18 {
                return err("gzip stream shorter than header + trailer");
            }
            if data[..3] != [0x1f, 0x8b, 8] {
                return err("bad gzip magic or method");
            }
            if data[3] != 0 {
                return err(format!(
                    "gzip FLG {:#x}: reserved or optional fields",
                    data[3]
                ));
            }
            (&data[10..], 10)
        }
        slz::Format::Zlib => {
            if data.len() < 6 {
                return err("zlib stream shorter than header + trailer");
            }
            let (cmf, flg) = (data[0], data[1]);
            if cmf & 15 != 8 || cmf >> 4 > 7 {
                return err("bad zlib CM or CINFO");
            }
            if (u16::from(cmf) << 8 | u16::from(flg)) % 31 != 0 {
                return err("bad zlib FCHECK");
            }
            if flg & 0x20 != 0 {
                return err("zlib FDICT set");
            }
            (&data[2..], 2)
        }
        slz::Format::Deflate => (data, 0),
    };
    let inf = slz_check::inflate(body, false).map_err(InflateError)?;
    let out = &inf.out;
    let trailer = &data[header + inf.bytes_used..];
    match format {
        slz::Format::Gzip => {
            if trailer.len() != 8 {
                return err(format!(
                    "{} bytes after the deflate data, want 8",
                    trailer.len()
                ));
            }
            let crc = u32::from_le_bytes(trailer[..4].try_into().unwrap());
            let isize = u32::from_le_bytes(trailer[4..].try_into().unwrap());
            if crc != crc32fast::hash(out) {
                return err("gzip CRC-32 mismatch");
            }
            if isize != out.len() as u32 {
                return err("gzip ISIZE mismatch");
            }
        }
        slz::Format::Zlib => {
            if trailer.len() != 4 {
                return err(format!(
                    "{} bytes after the deflate data, want 4",
                    trailer.len()
                ));
            }
            if u32::from_be_bytes(trailer.try_into().unwrap()) != adler32(out) {
                return err("zlib Adler-32 mismatch");
            }
        }
        slz::Format::Deflate => {
            if !trailer.is_empty() {
                return err(format!("{} bytes after the deflate data", trailer.len()));
            }
        }
    }
    Ok(inf)
}

/// Decodes a complete stream of `format` strictly: header fields as this crate promises to write
/// them, exactly one member, checksum and length in the trailer, and nothing after the trailer.
pub fn inflate_strict(format: slz::Format, data: &[u8]) -> Result<(Vec<u8>, Stats), InflateError> {
    let inf = inflate_blocks(format, data)?;
    let st = inf.stats();
    Ok((inf.out, st))
}
