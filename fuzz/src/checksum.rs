//! `checksum`: the gzip CRC-32 / ISIZE and the zlib Adler-32 of a stream compressed in pieces,
//! split at arbitrary points (including empty pieces and lengths around the SIMD strides and
//! Adler-32's 5552-byte reduction interval), equal the reference computed over the whole input
//! in one piece.

use slz::{Encoder, Flush, Format};

use crate::check::adler32;
use crate::gen::{self, Reader};

pub fn run(data: &[u8]) {
    let mut r = Reader::new(data);
    let b0 = r.u8();
    let mut input = Vec::new();
    let mut pieces = Vec::new();
    while !r.is_empty() && pieces.len() < 48 && input.len() < 300_000 {
        let c = r.u8();
        let n = match c & 3 {
            0 => gen::chunk_len(&mut r),
            // Around multiples of 5552 (Adler-32's NMAX) and of 16/32/64 (SIMD strides).
            1 => (5552 * (1 + (c >> 2) as usize % 4))
                .saturating_add_signed(r.u8() as i8 as isize % 4),
            2 => 16 * (c >> 2) as usize + r.u8() as usize % 3,
            _ => r.u8() as usize % 8,
        };
        let at = input.len();
        gen::fill(&mut r, n, &mut input);
        pieces.push((at, c >> 2));
    }
    let crc = crc32fast::hash(&input);
    let adler = adler32(&input);
    for format in [Format::Gzip, Format::Zlib] {
        let mut enc = Encoder::new(format, gen::level(b0));
        let mut stream = Vec::new();
        for (i, &(at, choice)) in pieces.iter().enumerate() {
            let end = pieces.get(i + 1).map_or(input.len(), |p| p.0);
            let piece = &input[at..end];
            if choice & 8 != 0 {
                enc.set_level(gen::level(choice));
            }
            let flush = [Flush::None, Flush::Sync][choice as usize & 1];
            let mut out = vec![0u8; enc.max_output_len(piece.len())];
            let n = enc.compress(piece, &mut out, flush).unwrap();
            stream.extend_from_slice(&out[..n]);
        }
        let mut out = vec![0u8; enc.max_output_len(0)];
        let n = enc.compress(&[], &mut out, Flush::Finish).unwrap();
        stream.extend_from_slice(&out[..n]);
        assert_eq!(enc.total_in(), input.len() as u64);
        let t = &stream[stream.len() - format.trailer_len()..];
        match format {
            Format::Gzip => {
                assert_eq!(
                    u32::from_le_bytes(t[..4].try_into().unwrap()),
                    crc,
                    "CRC-32"
                );
                assert_eq!(
                    u32::from_le_bytes(t[4..].try_into().unwrap()),
                    input.len() as u32,
                    "ISIZE"
                );
            }
            _ => assert_eq!(u32::from_be_bytes(t.try_into().unwrap()), adler, "Adler-32"),
        }
    }
    // The one-piece reference agrees with the encoder's own one-piece trailer too.
    let z = slz::compress_to_vec(&input, Format::Zlib, gen::level(b0));
    assert_eq!(
        u32::from_be_bytes(z[z.len() - 4..].try_into().unwrap()),
        adler
    );
}
