//! Corner cases of the dynamic block header through the public API (levels 2..=9 build a code
//! per segment): each stream is decoded by flate2 (zlib-rs), miniz_oxide and the strict checking
//! inflater, which reports each block's type and header, so each test checks that its case
//! really occurred. Cases no input reaches are unit tests at the end of `src/huffman_build.rs`.

mod common;

use common::inflate::{inflate_blocks, Inflated};
use slz::{compress_to_vec, Format, Level};
use slz_check::{Block, Header, Kind};

const DIST_BASE: [usize; 30] = [
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537,
    2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
];
const LEN_BASE: [usize; 29] = [
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131,
    163, 195, 227, 258,
];

fn dist_sym(d: usize) -> usize {
    DIST_BASE.iter().rposition(|&b| b <= d).unwrap()
}
fn len_sym(l: usize) -> usize {
    257 + LEN_BASE.iter().rposition(|&b| b <= l).unwrap()
}

/// Compresses `data` at every level 2..=9 and decodes it three ways.
fn each_level(data: &[u8]) -> Vec<(u32, Inflated)> {
    (2..=9)
        .map(|n| {
            let z = compress_to_vec(data, Format::Deflate, Level::new(n).unwrap());
            common::assert_round_trip(Format::Deflate, &z, data, &format!("level {n}"));
            let inf = inflate_blocks(Format::Deflate, &z).unwrap();
            assert!(inf.out == data);
            (n, inf)
        })
        .collect()
}

/// The literal/length and distance symbols block `b` really used (end-of-block included).
fn used_symbols(inf: &Inflated, b: &Block) -> (Vec<usize>, Vec<usize>) {
    let mut ll = vec![false; 286];
    let mut d = [false; 30];
    let mut covered = vec![false; b.out_end - b.out_start];
    for m in inf
        .matches
        .iter()
        .filter(|m| (b.out_start..b.out_end).contains(&m.pos))
    {
        ll[len_sym(m.len)] = true;
        d[dist_sym(m.dist)] = true;
        covered[m.pos - b.out_start..m.pos - b.out_start + m.len].fill(true);
    }
    for (i, _) in covered.iter().enumerate().filter(|(_, &c)| !c) {
        ll[inf.out[b.out_start + i] as usize] = true;
    }
    ll[256] = true;
    let set = |v: &[bool]| (0..v.len()).filter(|&i| v[i]).collect();
    (set(&ll), set(&d))
}

fn dynamic(inf: &Inflated) -> impl Iterator<Item = (&Block, &Header)> {
    inf.blocks
        .iter()
        .filter(|b| b.kind == Kind::Dynamic)
        .map(|b| (b, b.header.as_ref().unwrap()))
}

/// A run of one byte: after the first segment, only matches of 258 at one distance. That
/// segment's code has one length symbol besides end-of-block and one distance symbol, each
/// with a one-bit code, and a second one-bit distance code that is never used. Levels 3..=9
/// (hash chains); level 2's scan probes four positions at once and also takes distance-2
/// matches and shorter ones at segment ends, so its blocks use two of each (it round-trips).
#[test]
fn one_length_symbol_and_one_distance_symbol() {
    let data = vec![b'a'; 200_000];
    for (level, inf) in each_level(&data)
        .into_iter()
        .filter(|(level, _)| *level >= 3)
    {
        let mut seen = 0;
        for (b, h) in dynamic(&inf) {
            let (ll, d) = used_symbols(&inf, b);
            if ll.len() == 2 && d.len() == 1 {
                seen += 1;
                assert_eq!(h.used(), (2, 2), "level {level}");
                assert_eq!((h.lit_lens[ll[0]], h.lit_lens[256]), (1, 1));
                assert_eq!(h.dist_lens[d[0]], 1);
            }
        }
        assert!(
            seen >= 1,
            "level {level}: no such block in {:?}",
            inf.stats()
        );
    }
}

/// A random 30 000-byte piece twice: the second copy is matches at distance 30 000 (symbol
/// 29) only. Its segment's header has 28 zero distance lengths before 29's, and (when the
/// matches are all 258 long) zero lengths from 257 up to 285.
#[test]
fn one_far_distance_symbol() {
    let mut r = common::Rng::new(29);
    let piece = r.bytes(30_000);
    let data = [&piece[..], &piece[..]].concat();
    for (level, inf) in each_level(&data) {
        let mut seen = 0;
        for (b, h) in dynamic(&inf) {
            let (ll, d) = used_symbols(&inf, b);
            if d != [29] {
                continue;
            }
            seen += 1;
            assert_eq!((h.hdist, h.used().1, h.dist_lens[29]), (30, 2, 1));
            let runs: Vec<_> = h
                .items
                .iter()
                .filter(|it| it.sym >= 17)
                .map(|it| (it.start, it.count))
                .collect();
            assert!(
                runs.iter()
                    .any(|&(s, n)| s > h.hlit && s + n == h.hlit + 29),
                "level {level}: {runs:?}"
            );
            if ll == [256, 285] {
                assert!(runs.contains(&(257, 28)), "level {level}: {runs:?}");
            }
        }
        assert!(
            seen >= 1,
            "level {level}: no block with only distance code 29"
        );
    }
}

/// A sequence over 16 byte values in which no 4 bytes repeat (so no match: levels 2..=9 need
/// 4 bytes): the block is dynamic (short literal codes) with no distance used, written as two
/// unused one-bit distance codes.
#[test]
fn no_distance_used() {
    // Greedy de Bruijn walk: append the largest value whose 4-byte string is new.
    let mut seq = vec![0u8; 3];
    let mut seen = vec![false; 1 << 16];
    loop {
        let n = seq.len();
        let ctx = (seq[n - 3] as usize) << 8 | (seq[n - 2] as usize) << 4 | seq[n - 1] as usize;
        let Some(v) = (0..16).rev().find(|&v| !seen[ctx << 4 | v]) else {
            break;
        };
        seen[ctx << 4 | v] = true;
        seq.push(v as u8);
        if seq.len() == 30_000 {
            break;
        }
    }
    assert_eq!(seq.len(), 30_000);
    let data: Vec<u8> = seq.iter().map(|&v| b'A' + v * 3).collect();
    let mut grams: Vec<&[u8]> = data.windows(4).collect();
    grams.sort_unstable();
    grams.dedup();
    assert_eq!(grams.len(), data.len() - 3, "a 4-byte string repeats");
    for (level, inf) in each_level(&data) {
        let st = inf.stats();
        assert_eq!((st.matches, st.dynamic_blocks), (0, 1), "level {level}");
        let h = dynamic(&inf).next().unwrap().1;
        assert_eq!(
            (h.hdist, &h.dist_lens[..]),
            (2, &[1, 1][..]),
            "level {level}"
        );
        assert_eq!(h.used().0, 17);
    }
}
