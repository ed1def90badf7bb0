//! The shared checking inflater (`slz-check`) against real encoders and a real decoder: it decodes
//! what `slz` and other encoders write, and on every one-bit corruption of a dynamic stream it
//! accepts exactly what zlib-rs accepts (but for its documented extra strictness). Its own
//! hand-made-stream tests are in `check/src/lib.rs`.

use slz_check::{inflate, Kind};

#[test]
fn decodes_what_slz_writes() {
    let input = b"abcabcabcabc hello hello hello \xff\xfe\xff\xfe\xff\xfe\xff\xfe";
    for level in [slz::Level::NONE, slz::Level::FAST] {
        let z = slz::compress_to_vec(input, slz::Format::Deflate, level);
        let got = inflate(&z, false).unwrap();
        assert_eq!(got.out, input);
        assert_eq!(got.bytes_used, z.len());
    }
}

/// Text-like data with repeats near and far: `n` bytes.
fn text(n: usize) -> Vec<u8> {
    let words = [
        "deflate",
        "block",
        "the ",
        "Huffman",
        "code",
        "length",
        "distance",
        "of ",
        "and ",
        "stored",
        "literal",
        ", ",
        ".\n",
        "slz",
        "{\"k\": 1}",
        "<p>",
        "0123",
        "tree",
    ];
    let mut v = Vec::with_capacity(n + 16);
    let mut x = 0x9e37_79b9_u32;
    while v.len() < n {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        v.extend_from_slice(words[x as usize % words.len()].as_bytes());
        if x % 97 == 0 {
            v.push((x >> 8) as u8);
        }
    }
    v.truncate(n);
    v
}

#[test]
fn decodes_dynamic_blocks_of_other_encoders() {
    use std::io::Write;
    let input = text(200_000);
    let miniz = miniz_oxide::deflate::compress_to_vec(&input, 6);
    let mut zlib_rs = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
    zlib_rs.write_all(&input).unwrap();
    let zlib_rs = zlib_rs.finish().unwrap();
    for (name, z) in [("miniz_oxide 6", miniz), ("zlib-rs 9", zlib_rs)] {
        let got = inflate(&z, false).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(got.out == input, "{name}: data differs");
        assert_eq!(got.bytes_used, z.len(), "{name}: end");
        let dynamic = got.blocks.iter().filter(|b| b.kind == Kind::Dynamic);
        assert!(dynamic.count() >= 1, "{name}: no dynamic block");
        assert!(got.matches.len() > 1000, "{name}: few matches");
    }
}

#[test]
fn decodes_slz_dynamic_blocks() {
    // 2048 bytes: one dynamic block; 100 000: several (32 KiB each), all dynamic.
    for n in [2048, 100_000] {
        let input = text(n);
        let z = slz::compress_to_vec(&input, slz::Format::Deflate, slz::Level::FAST);
        let got = inflate(&z, false).unwrap();
        assert!(got.out == input);
        assert_eq!(got.bytes_used, z.len());
        assert_eq!(got.blocks.len(), n.div_ceil(32768));
        assert!(got.blocks.iter().all(|b| b.kind == Kind::Dynamic));
        assert!(!got.matches.is_empty());
    }
    // From 257 bytes to 2047, text takes its trained code where a sample says its header
    // pays (here at 1 KiB and more); up to 256 bytes the fixed code is used.
    for (n, kind) in [
        (2047, Kind::Dynamic),
        (1024, Kind::Dynamic),
        (256, Kind::Fixed),
    ] {
        let input = text(n);
        let z = slz::compress_to_vec(&input, slz::Format::Deflate, slz::Level::FAST);
        let got = inflate(&z, false).unwrap();
        assert!(got.out == input);
        assert_eq!(got.blocks[0].kind, kind, "{n} bytes");
    }
}

/// Every one-bit change of a dynamic slz stream (its trained header, then data): this
/// inflater accepts it exactly when zlib-rs does, with the same output and end, except
/// that it also requires padding bits to be zero and length 258 to be coded as symbol 285.
#[test]
fn agrees_with_zlib_rs_on_corrupted_dynamic_streams() {
    let input = text(2500);
    let z = slz::compress_to_vec(&input, slz::Format::Deflate, slz::Level::FAST);
    assert_eq!(inflate(&z, false).unwrap().blocks[0].kind, Kind::Dynamic);
    let mut zout = Vec::with_capacity(1 << 22);
    let (mut both_ok, mut both_err) = (0, 0);
    for bit in 0..z.len() * 8 {
        let mut bad = z.clone();
        bad[bit / 8] ^= 1 << (bit % 8);
        let mut d = flate2::Decompress::new(false);
        zout.clear();
        let st = d.decompress_vec(&bad, &mut zout, flate2::FlushDecompress::Finish);
        let zlib_ok = matches!(st, Ok(flate2::Status::StreamEnd));
        match inflate(&bad, false) {
            Ok(got) => {
                assert!(
                    zlib_ok,
                    "bit {bit}: zlib-rs rejects ({st:?}), inflate accepts"
                );
                assert!(got.out == zout, "bit {bit}: outputs differ");
                assert_eq!(got.bytes_used as u64, d.total_in(), "bit {bit}: end");
                both_ok += 1;
            }
            // zlib ignores padding bits (before a stored block's LEN, after the final
            // block), which may or may not make it fail later.
            Err(e) if e.starts_with("non-zero padding") => {}
            // zlib takes symbol 284 with extra bits 31 as length 258; RFC 1951 does not.
            Err(e) if e == "length 258 coded with symbol 284" => {}
            Err(e) => {
                assert!(!zlib_ok, "bit {bit}: zlib-rs accepts, inflate: {e}");
                both_err += 1;
            }
        }
    }
    // Both outcomes are common: the comparison says something.
    assert!(
        both_ok > 100 && both_err > 100,
        "{both_ok} ok, {both_err} rejected"
    );
}
