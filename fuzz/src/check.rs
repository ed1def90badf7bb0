//! Checks of a finished stream: its framing, and decoding by three independent inflaters
//! (flate2 over zlib-rs, miniz_oxide used directly, and the structural one of `slz-check`, the
//! checking inflater shared with the crate's integration tests).
//! Every failure panics with a message saying what broke, which is what libFuzzer records.

use std::io::Read;

use slz::{Format, GzipHeader};

pub use slz_check::adler32;
use slz_check::{inflate, Inflated, Kind};

/// The worst case the crate documents for one call: `len + 5 * ceil(len / 32768) + 20`.
pub fn documented_bound(len: usize) -> u128 {
    len as u128 + 5 * (len as u128).div_ceil(32768) + 20
}

/// What the stream's header must say.
#[derive(Debug, Clone, Copy)]
pub struct Expect {
    pub format: Format,
    pub gzip: GzipHeader,
    /// Level in force when the header was written (it sets gzip XFL and zlib FLEVEL).
    pub header_level: u32,
}

/// The header length of the stream, after checking the header bytes.
pub fn check_header(stream: &[u8], e: &Expect) -> usize {
    match e.format {
        Format::Gzip => {
            assert!(stream.len() >= 18, "gzip stream of {} bytes", stream.len());
            let m = e.gzip.mtime.to_le_bytes();
            let xfl = match e.header_level {
                0 | 1 => 4,
                9 => 2,
                _ => 0,
            };
            let want = [0x1f, 0x8b, 8, 0, m[0], m[1], m[2], m[3], xfl, e.gzip.os];
            assert_eq!(stream[..10], want, "gzip header");
            10
        }
        Format::Zlib => {
            assert!(stream.len() >= 6, "zlib stream of {} bytes", stream.len());
            let (cmf, flg) = (stream[0], stream[1]);
            assert_eq!(cmf, 0x78, "zlib CMF");
            assert_eq!(
                (u16::from(cmf) << 8 | u16::from(flg)) % 31,
                0,
                "zlib FCHECK"
            );
            assert_eq!(flg & 0x20, 0, "zlib FDICT set");
            let flevel = match e.header_level {
                0 | 1 => 0,
                2..=5 => 1,
                6 => 2,
                _ => 3,
            };
            assert_eq!(flg >> 6, flevel, "zlib FLEVEL");
            2
        }
        Format::Deflate => 0,
    }
}

/// Checks the structure the crate promises, from the structural decode of deflate data that
/// was written by calls whose inputs start at `calls` (offsets into the decoded data, the first
/// being 0) and end at `total`.
fn check_structure(inf: &Inflated, calls: &[usize], total: usize) {
    // The call that decoded position `p` belongs to, as its input range.
    let call_of = |p: usize| {
        let i = calls.partition_point(|&s| s <= p) - 1;
        (calls[i], calls.get(i + 1).copied().unwrap_or(total))
    };
    for m in &inf.matches {
        let (s, e) = call_of(m.pos);
        assert!(
            m.pos - m.dist >= s,
            "match at {} reaches back {} into an earlier call (this call starts at {s})",
            m.pos,
            m.dist
        );
        assert!(m.pos + m.len <= e, "match at {} runs past its call", m.pos);
        assert!(m.dist <= 32768 && (3..=258).contains(&m.len));
    }
    for (i, blk) in inf.blocks.iter().enumerate() {
        assert_eq!(blk.last, i + 1 == inf.blocks.len(), "BFINAL on block {i}");
        if blk.out_end > blk.out_start {
            let (s, e) = call_of(blk.out_start);
            assert!(
                blk.out_end <= e && blk.out_start >= s,
                "block {i} spans calls"
            );
        }
        // Every Huffman block, fixed code (level 1, calls under 2 KiB that no trained code
        // suits) or dynamic (level 1's trained codes: calls of 2 KiB or more, and text or
        // binary calls of 257 B-2 KiB). These checks were written for fixed blocks
        // only, when level 1 wrote no others; they hold for both kinds alike.
        if blk.kind != Kind::Stored {
            let kind = blk.kind;
            let len = blk.out_end - blk.out_start;
            // Level 1 cuts a call into blocks of at most 32 KiB, whichever code it uses;
            // levels 2..=9 end a segment at the first sequence boundary at or after 32 KiB
            // (64 KiB at levels 3-7 in calls over 16 KiB), so one match (at most 258 bytes)
            // may run past it.
            assert!(len < 65536 + 258, "{kind:?} block {i} of {len} bytes");
            // The bound rests on this: a Huffman block ends no later than the same bytes
            // stored would, starting at the same bit, in stored blocks of up to 65535 bytes
            // (5 more header bytes each after the first).
            let aligned = (blk.bit_start + 3).div_ceil(8) * 8;
            let more = len.saturating_sub(1) / 65535;
            let stored_end = aligned + 32 + 40 * more + 8 * len;
            assert!(
                blk.bit_end <= stored_end,
                "{kind:?} block {i} ends at bit {} but stored would end at {stored_end}",
                blk.bit_end
            );
        }
    }
}

/// Decodes `stream` with both general decoders and the structural one; all must give `input`
/// exactly and find the stream ending exactly at the end of `stream`. `calls` are the input
/// offsets where each compress call began (see [`check_structure`]).
pub fn check_stream(stream: &[u8], input: &[u8], calls: &[usize], e: &Expect) {
    let h = check_header(stream, e);
    let t = e.format.trailer_len();
    assert!(stream.len() > h + t, "stream too short");
    let deflate = &stream[h..stream.len() - t];

    // 1. The structural decoder.
    let inf = inflate(deflate, false).unwrap_or_else(|err| panic!("structural inflate: {err}"));
    assert!(inf.out == input, "structural inflate: data differs");
    assert_eq!(inf.bytes_used, deflate.len(), "structural inflate: end");
    check_structure(&inf, calls, input.len());

    // 2. miniz_oxide on the raw deflate part, with its own count of bytes consumed.
    {
        use miniz_oxide::inflate::stream::{inflate as mz_inflate, InflateState};
        use miniz_oxide::{DataFormat, MZFlush, MZStatus};
        let mut st = InflateState::new_boxed(DataFormat::Raw);
        let mut out = vec![0u8; input.len() + 1];
        let r = mz_inflate(&mut st, deflate, &mut out, MZFlush::Finish);
        assert_eq!(r.status, Ok(MZStatus::StreamEnd), "miniz_oxide status");
        assert_eq!(r.bytes_consumed, deflate.len(), "miniz_oxide: end");
        assert!(
            out[..r.bytes_written] == *input,
            "miniz_oxide: data differs"
        );
        assert_eq!(r.bytes_written, input.len(), "miniz_oxide: length");
    }
    if e.format == Format::Zlib {
        let got = miniz_oxide::inflate::decompress_to_vec_zlib(stream)
            .unwrap_or_else(|err| panic!("miniz_oxide zlib: {err:?}"));
        assert!(got == input, "miniz_oxide zlib: data differs");
    }

    // 3. flate2 over zlib-rs, checking the trailer itself, on the whole stream.
    let mut got = Vec::with_capacity(input.len());
    let rest = match e.format {
        Format::Gzip => {
            let mut d = flate2::bufread::GzDecoder::new(stream);
            d.read_to_end(&mut got).expect("flate2 gzip");
            d.into_inner()
        }
        Format::Zlib => {
            let mut d = flate2::bufread::ZlibDecoder::new(stream);
            d.read_to_end(&mut got).expect("flate2 zlib");
            d.into_inner()
        }
        Format::Deflate => {
            let mut d = flate2::bufread::DeflateDecoder::new(stream);
            d.read_to_end(&mut got).expect("flate2 deflate");
            d.into_inner()
        }
    };
    assert!(got == input, "flate2: data differs");
    assert!(
        rest.is_empty(),
        "flate2: {} bytes after the stream",
        rest.len()
    );

    // 4. The trailer against the references.
    let trailer = &stream[stream.len() - t..];
    match e.format {
        Format::Gzip => {
            let crc = u32::from_le_bytes(trailer[..4].try_into().unwrap());
            let isize = u32::from_le_bytes(trailer[4..].try_into().unwrap());
            assert_eq!(crc, crc32fast::hash(input), "gzip CRC-32");
            assert_eq!(isize, input.len() as u32, "gzip ISIZE");
        }
        Format::Zlib => {
            let adler = u32::from_be_bytes(trailer.try_into().unwrap());
            assert_eq!(adler, adler32(input), "zlib Adler-32");
        }
        Format::Deflate => {}
    }
}

/// Checks that the deflate data between two sync points (`deflate`, starting byte-aligned)
/// decodes on its own to the input given in between, ending on a byte boundary with no final
/// block: with no history kept, each synced piece stands alone.
pub fn check_synced_prefix(deflate: &[u8], input: &[u8]) {
    assert!(deflate.ends_with(&[0, 0, 0xff, 0xff]), "sync flush marker");
    let inf = inflate(deflate, true).unwrap_or_else(|err| panic!("synced piece: {err}"));
    assert!(inf.out == input, "synced piece: data differs");
    assert!(
        inf.blocks.iter().all(|b| !b.last),
        "final block before Finish"
    );
}

#[cfg(test)]
mod negative {
    //! The checks must be able to fail: corrupted or non-conforming streams are rejected.
    use super::*;
    use std::panic::catch_unwind;

    fn expect(format: Format) -> Expect {
        Expect {
            format,
            gzip: GzipHeader::default(),
            header_level: 1,
        }
    }

    #[test]
    fn accepts_a_good_stream() {
        let input = b"abcdabcdabcdabcd, abcdabcd!".repeat(3);
        for f in [Format::Gzip, Format::Zlib, Format::Deflate] {
            let z = slz::compress_to_vec(&input, f, slz::Level::FAST);
            check_stream(&z, &input, &[0], &expect(f));
        }
    }

    #[test]
    fn rejects_corruption_and_trailing_bytes() {
        let input = b"abcdabcdabcdabcd, abcdabcd!".repeat(3);
        for f in [Format::Gzip, Format::Zlib, Format::Deflate] {
            let z = slz::compress_to_vec(&input, f, slz::Level::FAST);
            for i in 0..z.len() {
                let mut bad = z.clone();
                bad[i] ^= 0x10;
                let caught = catch_unwind(|| check_stream(&bad, &input, &[0], &expect(f)));
                assert!(caught.is_err(), "{f:?}: flip in byte {i} went unnoticed");
            }
            let mut long = z.clone();
            long.push(0);
            assert!(catch_unwind(|| check_stream(&long, &input, &[0], &expect(f))).is_err());
        }
    }

    #[test]
    fn rejects_a_match_across_calls() {
        // One call's stream, claimed to be two calls: its match at 4 reaches into the first.
        let input = b"abcdabcd";
        let z = slz::compress_to_vec(input, Format::Deflate, slz::Level::FAST);
        check_stream(&z, input, &[0], &expect(Format::Deflate));
        let caught = catch_unwind(|| check_stream(&z, input, &[0, 4], &expect(Format::Deflate)));
        assert!(caught.is_err());
    }

    /// A final fixed-code block of `n` literals 0xff (9 bits each), packed by hand.
    fn fixed_ff_block(n: usize) -> Vec<u8> {
        let mut bits = vec![1u8, 1, 0]; // BFINAL, BTYPE = 01 (LSB first)
        bits.extend(std::iter::repeat_n(1u8, 9 * n)); // 0xff: code 0x1ff
        bits.extend([0u8; 7]); // end of block
        bits.chunks(8)
            .map(|c| c.iter().enumerate().map(|(i, &b)| b << i).sum())
            .collect()
    }

    #[test]
    fn rejects_a_fixed_block_longer_than_stored() {
        // 20 literals: 190 bits fixed < 200 stored. 50 literals: 460 bits fixed > 440 stored.
        let ok = vec![0xffu8; 20];
        check_stream(&fixed_ff_block(20), &ok, &[0], &expect(Format::Deflate));
        let long = vec![0xffu8; 50];
        let z = fixed_ff_block(50);
        let caught = catch_unwind(|| check_stream(&z, &long, &[0], &expect(Format::Deflate)));
        assert!(caught.is_err());
    }

    #[test]
    fn accepts_slz_dynamic_blocks() {
        // From 2048 bytes on, level 1 writes dynamic blocks (its trained code).
        let input = b"abcdabcdabcdabcd, abcdabcd! hello, hello. ".repeat(200);
        for f in [Format::Gzip, Format::Zlib, Format::Deflate] {
            let z = slz::compress_to_vec(&input, f, slz::Level::FAST);
            let h = f.header_len();
            let inf = inflate(&z[h..z.len() - f.trailer_len()], false).unwrap();
            assert!(inf.blocks.iter().all(|b| b.kind == Kind::Dynamic), "{f:?}");
            check_stream(&z, &input, &[0], &expect(f));
        }
    }

    #[test]
    fn rejects_a_dynamic_block_longer_than_stored() {
        // A code where 'a' and end-of-block have one bit each, no distance code: 2000 'a' take
        // the header + 2001 bits, far less than stored (8 * 2000 + 40). One 'a' still carries
        // the whole header (more than 48 bits, the stored block of one byte).
        use slz_check::write;
        let mut lit = vec![0u8; 257];
        lit[b'a' as usize] = 1;
        lit[256] = 1;
        let ok = vec![b'a'; 2000];
        let z = write::block(&lit, &[0], &ok);
        check_stream(&z, &ok, &[0], &expect(Format::Deflate));
        let one = write::block(&lit, &[0], b"a");
        assert!(inflate(&one, false).unwrap().out == b"a");
        let caught = catch_unwind(|| check_stream(&one, b"a", &[0], &expect(Format::Deflate)));
        let msg = caught.unwrap_err();
        let msg = msg
            .downcast_ref::<String>()
            .expect("a formatted panic message");
        assert!(msg.starts_with("Dynamic block 0 ends at bit"), "{msg}");
    }
}
