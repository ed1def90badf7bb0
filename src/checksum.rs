//! Running checksums of the uncompressed data: CRC-32 for gzip, Adler-32 for zlib.
//!
//! Both come from well-kept crates with SIMD paths (`crc32fast`, `simd-adler32`); with the `std`
//! feature they pick the fastest instructions at run time. Only the 4-byte running value lives in
//! the encoder's state.

use crate::Format;

/// Starting value of the running checksum for `format` (0 for raw deflate, which has none).
pub(crate) const fn initial(format: Format) -> u32 {
    match format {
        Format::Zlib => 1,
        Format::Gzip | Format::Deflate => 0,
    }
}

/// `value` extended by `data`, for the checksum `format` uses.
#[inline]
pub(crate) fn update(format: Format, value: u32, data: &[u8]) -> u32 {
    if data.is_empty() {
        return value;
    }
    match format {
        Format::Gzip => {
            let mut h = crc32fast::Hasher::new_with_initial(value);
            h.update(data);
            h.finalize()
        }
        Format::Zlib => {
            let mut h = simd_adler32::Adler32::from_checksum(value);
            h.write(data);
            h.finish()
        }
        Format::Deflate => 0,
    }
}
