//! `blocks`: the block-type choice and the bit writer. Data is made to sit near the point where
//! a Huffman block and a stored block of the same bytes have the same size — for the fixed code
//! (calls under 2 KiB, unless a sample finds a trained code cheaper): 9-bit literals (bytes >= 144), short matches between them, a handful of
//! 9-bit literals among 8-bit ones; for level 1's trained dynamic code (calls of 2 KiB or more,
//! each block carrying its header): letters with about a third 9-bit literals, or the short
//! matches — at lengths around the block (32768) and stored-block (65535) limits, and after
//! a first call that leaves 0..=7 bits pending, which moves the stored block's padding. The
//! checks in `check.rs` then prove each Huffman block (fixed or dynamic) ends no later than it
//! would stored, besides the round trip through three decoders.

use slz::{Encoder, Flush, GzipHeader};

use crate::check::{check_stream, documented_bound, Expect};
use crate::gen::{self, Reader, Rng};

fn length(r: &mut Reader<'_>) -> usize {
    let c = r.u8();
    let near = |base: usize, r: &mut Reader<'_>| base.saturating_add_signed(r.u8() as i8 as isize);
    match c % 6 {
        0 => near(32768, r),
        1 => near(65535, r),
        2 => near(32768 * (2 + (c >> 3) as usize % 2), r),
        3 => r.u16() as usize % 2048,
        _ => gen::chunk_len(r),
    }
    .min(gen::MAX_CALL)
}

/// Data near the Huffman/stored tie.
fn tie_data(r: &mut Reader<'_>, n: usize, out: &mut Vec<u8>) {
    let mode = r.u8();
    let mut rng = Rng::new(u64::from(r.u32()));
    let end = out.len() + n;
    match mode % 3 {
        // Cheap literals with about `per_k` 9-bit ones (144..256) per 1000 bytes. Cheap: 0..144
        // (8 bits in the fixed code), or with bit 4 of `mode` the letters a..=z (6 to 9 bits,
        // 7.5 on average, in the trained code of calls >= 2 KiB, where 0..144 average 8.4 bits
        // and always lose to stored): the trained code's tie is near `per_k` = 330.
        0 => {
            let per_k = r.u16() as usize % 1000;
            let (base, n) = if mode & 0x10 != 0 { (97, 26) } else { (0, 144) };
            while out.len() < end {
                let b = if rng.below(1000) < per_k {
                    144 + rng.below(112)
                } else {
                    base + rng.below(n)
                };
                out.push(b as u8);
            }
        }
        // 9-bit literals from a small alphabet with short (4..=6) matches at chosen distances:
        // a 4-byte match costs 12..=26 bits against 36 as literals.
        1 => {
            let k = 1 + r.u8() as usize % 112;
            let match_pct = r.u8() as usize % 100;
            let far = r.u8() & 1 == 1;
            while out.len() < end {
                let have = out.len();
                if have >= 8 && rng.below(100) < match_pct {
                    let dist = if far {
                        (32768 - rng.below(64)).min(have)
                    } else {
                        1 + rng.below(have.min(64))
                    };
                    let len = (4 + rng.below(3)).min(end - have);
                    for i in 0..len {
                        let b = out[have - dist + i];
                        out.push(b);
                    }
                } else {
                    out.push((144 + rng.below(k)) as u8);
                }
            }
        }
        // Anything the general generators make.
        _ => gen::fill(r, n, out),
    }
}

pub fn run(data: &[u8]) {
    let mut r = Reader::new(data);
    let b0 = r.u8();
    let format = gen::format(b0);
    // Mostly levels 0 and 1; now and then 2..=9.
    let level = gen::level(if b0 & 0x80 != 0 {
        b0 >> 2
    } else {
        (b0 >> 2) & 1
    });
    let mut enc = Encoder::new(format, level);
    let mut input = Vec::new();
    let mut out = Vec::new();
    let mut calls = Vec::new();
    let mut header_level = None;
    for _ in 0..1 + r.u8() % 4 {
        if r.is_empty() {
            break;
        }
        let c = r.u8();
        // A short first call (1..=8 bytes, no flush) leaves some bits pending.
        let n = if calls.is_empty() && c & 1 == 1 {
            1 + (c >> 1) as usize % 8
        } else {
            length(&mut r)
        };
        let flush = [Flush::None, Flush::Sync, Flush::None, Flush::Finish][(c >> 4) as usize % 4];
        if c & 0x40 != 0 {
            enc.set_level(gen::level(c >> 1));
        }
        let at = input.len();
        tie_data(&mut r, n, &mut input);
        let bound = enc.max_output_len(n);
        assert!(bound as u128 <= documented_bound(n));
        let mut buf = vec![0u8; bound];
        let w = enc.compress(&input[at..], &mut buf, flush).unwrap();
        assert!(w <= bound);
        if w > 0 && header_level.is_none() {
            header_level = Some(enc.level().get());
        }
        out.extend_from_slice(&buf[..w]);
        calls.push(at);
        if flush == Flush::Finish {
            break;
        }
    }
    if !enc.is_finished() {
        let mut buf = vec![0u8; enc.max_output_len(0)];
        let w = enc.compress(&[], &mut buf, Flush::Finish).unwrap();
        header_level.get_or_insert(enc.level().get());
        out.extend_from_slice(&buf[..w]);
    }
    let expect = Expect {
        format,
        gzip: GzipHeader::default(),
        header_level: header_level.unwrap_or(level.get()),
    };
    if calls.is_empty() {
        calls.push(0);
    }
    check_stream(&out, &input, &calls, &expect);
}
