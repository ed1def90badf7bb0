//! Stream framing: which container wraps the deflate blocks (RFC 1950 / 1951 / 1952), and the
//! exact bytes of its header and trailer.

/// The container around the deflate data.
///
/// For HTTP, `Content-Encoding: gzip` is [`Format::Gzip`] and `Content-Encoding: deflate` is
/// [`Format::Zlib`] (RFC 1950), *not* raw deflate.
///
/// ```
/// let fmt = slz::Format::Zlib; // for `Content-Encoding: deflate`
/// assert_eq!(fmt.header_len(), 2);
/// assert_eq!(fmt.trailer_len(), 4);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// RFC 1952 gzip: 10-byte header, deflate data, CRC-32 and length mod 2^32.
    Gzip,
    /// RFC 1950 zlib: 2-byte header, deflate data, Adler-32.
    Zlib,
    /// RFC 1951 raw deflate: no header, no trailer, no checksum.
    Deflate,
}

impl Format {
    /// Bytes of header this format writes at the start of a stream.
    pub const fn header_len(self) -> usize {
        match self {
            Format::Gzip => GZIP_HEADER_LEN,
            Format::Zlib => 2,
            Format::Deflate => 0,
        }
    }

    /// Bytes of trailer this format writes after the final block.
    pub const fn trailer_len(self) -> usize {
        match self {
            Format::Gzip => 8,
            Format::Zlib => 4,
            Format::Deflate => 0,
        }
    }
}

/// The fields of the gzip header that a caller may choose. The defaults give deterministic
/// output: no file name, modification time 0, and OS byte 255 ("unknown", as flate2 writes).
///
/// ```
/// use slz::{Encoder, Format, GzipHeader, Level};
///
/// let enc = Encoder::new(Format::Gzip, Level::FAST)
///     .with_gzip_header(GzipHeader { mtime: 1_700_000_000, os: 3 });
/// assert_eq!(enc.gzip_header(), GzipHeader { mtime: 1_700_000_000, os: 3 });
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct GzipHeader {
    /// MTIME: seconds since the Unix epoch, 0 for "none" (the default).
    pub mtime: u32,
    /// OS: 255 "unknown" by default; 3 is Unix, 0 FAT, 11 NTFS (RFC 1952, 2.3.1).
    pub os: u8,
}

impl Default for GzipHeader {
    fn default() -> Self {
        GzipHeader { mtime: 0, os: 255 }
    }
}

const GZIP_HEADER_LEN: usize = 10;

/// Writes the header of `format` to the front of `out` and returns its length.
/// `out` must hold at least `format.header_len()` bytes.
pub(crate) fn write_header(format: Format, gz: GzipHeader, level: u32, out: &mut [u8]) -> usize {
    match format {
        Format::Gzip => {
            let m = gz.mtime.to_le_bytes();
            // XFL: 4 = "fastest algorithm" (levels 0-1, as gzip -1 writes), 2 = "maximum
            // compression" (level 9, as gzip -9), 0 otherwise.
            let xfl = match level {
                0 | 1 => 4,
                9 => 2,
                _ => 0,
            };
            // ID1 ID2 CM=deflate FLG=0 MTIME XFL OS
            let h = [0x1f, 0x8b, 8, 0, m[0], m[1], m[2], m[3], xfl, gz.os];
            out[..GZIP_HEADER_LEN].copy_from_slice(&h);
            GZIP_HEADER_LEN
        }
        Format::Zlib => {
            // CMF 0x78: deflate, 32 KiB window. FLG: FLEVEL as zlib sets it (0 "fastest" for
            // levels 0-1, 1 "fast" for 2-5, 2 "default" for 6, 3 "maximum" for 7-9), no preset
            // dictionary, FCHECK making the pair a multiple of 31.
            let cmf: u16 = 0x78;
            let flevel: u16 = match level {
                0 | 1 => 0,
                2..=5 => 1,
                6 => 2,
                _ => 3,
            };
            let flg = flevel << 6;
            let fcheck = 31 - ((cmf << 8 | flg) % 31);
            let flg = flg | (fcheck % 31);
            out[0] = cmf as u8;
            out[1] = flg as u8;
            2
        }
        Format::Deflate => 0,
    }
}

/// Writes the trailer of `format` to the front of `out` and returns its length.
pub(crate) fn write_trailer(format: Format, checksum: u32, total_in: u64, out: &mut [u8]) -> usize {
    match format {
        Format::Gzip => {
            out[..4].copy_from_slice(&checksum.to_le_bytes());
            // ISIZE: the input length modulo 2^32 (RFC 1952).
            out[4..8].copy_from_slice(&(total_in as u32).to_le_bytes());
            8
        }
        Format::Zlib => {
            out[..4].copy_from_slice(&checksum.to_be_bytes());
            4
        }
        Format::Deflate => 0,
    }
}
