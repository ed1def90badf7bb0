//! Building a block's own Huffman code at run time: length-limited code lengths from symbol
//! counts, canonical codes, and the dynamic block header (RFC 1951 3.2.7) that declares them.
//!
//! Invariants every code built here keeps, so any inflater accepts it (zlib rejects incomplete
//! codes with more than one symbol):
//! * at least two symbols have a code, and the code is complete (Kraft sum exactly 1);
//! * no length exceeds the limit (15 for literal/length and distance codes, 7 for the
//!   code-length code);
//! * every symbol with a nonzero count has a code.

use crate::bits::BitWriter;
use crate::seq_writer::BlockCode;
use crate::tokens::{Histogram, DIST_SYMS, EOB, LITLEN_SYMS};

/// Room for a dynamic header's items (`DynamicCode::items`).
const ITEMS: usize = LITLEN_SYMS + DIST_SYMS + 2;

/// Longest literal/length or distance code deflate allows.
pub(crate) const MAX_BITS: u32 = 15;
/// Longest code of the code-length alphabet.
const MAX_PRECODE_BITS: u32 = 7;
/// Order in which the code-length code's lengths are sent.
const PRECODE_ORDER: [usize; 19] = [
    16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15,
];

/// Lengths (at most `limit` bits) of a prefix code for symbols counted in `freqs`, written to
/// `lens` (same length as `freqs`, at most 288 symbols): close to optimal (a Huffman code,
/// then lengths over the limit shortened and the Kraft excess paid back by the least frequent
/// symbols). Symbols counted 0 get length 0, except that when fewer than two symbols are used,
/// one or two unused ones get a 1-bit code so that the code stays complete.
///
/// Returns how many symbols have a code, and lists them in `used` in symbol order (`used` as
/// long as `freqs`): a block's own code leaves most of its 286 literal/length symbols unused,
/// and what is built from the lengths visits only these.
pub(crate) fn build_lengths(freqs: &[u32], limit: u32, lens: &mut [u8], used: &mut [u16]) -> usize {
    // Scratch arrays sized to the alphabet: small ones are built several times per block, and
    // clearing 288-entry arrays for them cost more than building.
    if freqs.len() <= 32 {
        build_lengths_with::<34>(freqs, limit, lens, used)
    } else {
        build_lengths_with::<290>(freqs, limit, lens, used)
    }
}

/// `build_lengths` with scratch arrays of `S` entries (`S >= freqs.len() + 2`).
fn build_lengths_with<const S: usize>(
    freqs: &[u32],
    limit: u32,
    lens: &mut [u8],
    used_syms: &mut [u16],
) -> usize {
    debug_assert!(freqs.len() == lens.len() && freqs.len() + 2 <= S && S <= 290);
    debug_assert!(used_syms.len() == freqs.len());
    debug_assert!((1usize << limit) >= freqs.len());
    debug_assert!(freqs.iter().map(|&f| f as u64).sum::<u64>() < u32::MAX as u64);
    lens.fill(0);
    // Used symbols sorted by count, ties by symbol (deterministic), packed `count << 16 | sym`,
    // and two sentinels after them (`huffman_depths` reads them).
    let mut sorted = [0u64; S];
    let n = sort_by_count(freqs, &mut sorted, used_syms);
    if n < 2 {
        // One code of one bit each for the used symbol (if any) and one or two others.
        let used = if n == 1 {
            (sorted[0] & 0xffff) as usize
        } else {
            1
        };
        let other = if used == 0 { 1 } else { 0 };
        lens[used] = 1;
        lens[other] = 1;
        used_syms[0] = used.min(other) as u16;
        used_syms[1] = used.max(other) as u16;
        return 2;
    }
    // Leaves per depth of a Huffman tree (at most 32: deeper leaves are counted at 32).
    let mut count = [0u32; 33];
    huffman_depths::<S>(&sorted[..n + 2], &mut count);
    // Shorten lengths over the limit, then pay back the Kraft excess (in units of 2^-limit):
    // take a leaf off the limit and move a shorter leaf one level down beside it (net -1).
    // (Counts past the limit are not read again.)
    let mut excess = 0u64;
    let over: u32 = count[limit as usize + 1..].iter().sum();
    count[limit as usize] += over;
    for (d, &c) in count.iter().enumerate().take(limit as usize + 1).skip(1) {
        excess += (c as u64) << (limit as usize - d);
    }
    while excess > 1u64 << limit {
        count[limit as usize] -= 1;
        let d = (1..limit as usize).rev().find(|&d| count[d] > 0);
        // A shorter leaf exists: with all n <= 2^limit leaves at the limit there is no excess.
        let Some(d) = d else { break };
        count[d] -= 1;
        count[d + 1] += 2;
        excess -= 1;
    }
    // The longest lengths go to the least frequent symbols.
    let mut i = 0;
    for d in (1..=limit as usize).rev() {
        for _ in 0..count[d] {
            lens[(sorted[i] & 0xffff) as usize] = d as u8;
            i += 1;
        }
    }
    n
}

/// Counts in `count[d]` the leaves at depth `d` (deeper ones at 32) of a Huffman tree over the
/// `n >= 2` leaves `sorted[..n]` (`count << 16 | symbol`, by count; two sentinels follow).
/// Moffat and Katajainen's in-place method: one array holds the weights of the internal nodes,
/// then their parents, then their depths. Of two equal weights the leaf is taken first.
fn huffman_depths<const S: usize>(sorted: &[u64], count: &mut [u32; 33]) {
    let n = sorted.len() - 2;
    let leaf_weight = |i: usize| (sorted[i] >> 16) as u32;
    // Internal node k (0..=n-2) is made k-th; `a[k]` is its weight until it becomes a child,
    // then its parent's index. Weights are `u32`: a block's counts sum to far less than 2^32
    // (`build_lengths` asserts it), so merging never wraps and the weights stay ordered.
    // Not-yet-made nodes weigh `u32::MAX`, as the sentinels after the leaves do, so neither is
    // ever taken before a real node (at every step at least two real ones are left).
    let mut a = [u32::MAX; S];
    let (mut leaf, mut inner) = (0, 0);
    for k in 0..n - 1 {
        // The two lightest of both queues (each sorted): two leaves, two internal nodes, or
        // one of each; on equal weights the leaf first.
        let (l0, l1) = (leaf_weight(leaf), leaf_weight(leaf + 1));
        let (i0, i1) = (a[inner], a[inner + 1]);
        let w = if l1 <= i0 {
            leaf += 2;
            l0 + l1
        } else if i1 < l0 {
            a[inner] = k as u32;
            a[inner + 1] = k as u32;
            inner += 2;
            i0 + i1
        } else {
            a[inner] = k as u32;
            leaf += 1;
            inner += 1;
            l0 + i0
        };
        a[k] = w;
    }
    // Depths of the internal nodes, from the root (node n - 2) down: parents come later.
    a[n - 2] = 0;
    for k in (0..n - 2).rev() {
        a[k] = a[a[k] as usize] + 1;
    }
    // Leaves per depth: each level has twice as many nodes as the internal nodes above it,
    // and the nodes of a level that are not internal are leaves.
    let (mut avail, mut depth, mut next_inner) = (1u32, 0usize, n as isize - 2);
    while avail > 0 {
        let mut internal = 0;
        while next_inner >= 0 && a[next_inner as usize] as usize == depth {
            internal += 1;
            next_inner -= 1;
        }
        count[depth.min(32)] += avail - internal;
        avail = 2 * internal;
        depth += 1;
    }
}

/// Writes the symbols of `freqs` with a nonzero count to `out` as `count << 16 | symbol`,
/// sorted (by count, then symbol), then two sentinels (`u64::MAX`), and returns how many there
/// are; lists them in `syms` in symbol order. The used symbols are gathered first, eight at a
/// time: a group with none used is skipped (a small block leaves long stretches of the alphabet
/// unused), the others are gathered without a branch (used and unused symbols alternate
/// unpredictably). Then they are sorted by counting: a block's counts are mostly small, so
/// they are bucketed by count up to 63, and only the few larger ones, gathered in the last
/// bucket, are compared.
fn sort_by_count<const S: usize>(freqs: &[u32], out: &mut [u64; S], syms: &mut [u16]) -> usize {
    const BUCKETS: usize = 64;
    let mut n = 0;
    for (g, group) in freqs.chunks(8).enumerate() {
        if group.iter().fold(0, |a, &f| a | f) == 0 {
            continue;
        }
        for (k, &f) in group.iter().enumerate() {
            syms[n] = (g * 8 + k) as u16;
            n += (f > 0) as usize;
        }
    }
    let syms = &syms[..n];
    let bucket = |f: u32| (f as usize).min(BUCKETS - 1);
    let mut start = [0u16; BUCKETS];
    for &s in syms {
        start[bucket(freqs[s as usize])] += 1;
    }
    let mut at = 0u16;
    for c in start.iter_mut() {
        let here = *c;
        *c = at;
        at += here;
    }
    for &s in syms {
        let f = freqs[s as usize];
        let b = bucket(f);
        out[start[b] as usize] = (f as u64) << 16 | s as u64;
        start[b] += 1;
    }
    // The last bucket now ends at n; its start is where bucket `BUCKETS - 2` ended.
    out[start[BUCKETS - 2] as usize..n].sort_unstable();
    out[n] = u64::MAX;
    out[n + 1] = u64::MAX;
    n
}

/// Counts within this much of a stretch's mean join it (`smoothed`). Absolute: the header is
/// worth reshaping for in small blocks, where counts are small; in large ones only nearly equal
/// counts merge.
const SMOOTH_TOLERANCE: u64 = 4;
/// Unused symbols a stretch may cross (`smoothed`), while its mean is at most
/// `SMOOTH_GAP_MAX_MEAN`: each takes code space worth about that many uses of the others.
const SMOOTH_GAP: usize = 2;
const SMOOTH_GAP_MAX_MEAN: u64 = 3;
/// Stretches shorter than this are left alone: four equal lengths are the first run the
/// header codes shorter (a length and one repeat item).
const SMOOTH_MIN_RUN: usize = 4;

/// The counts a block's code lengths are built from: `f`, with stretches of neighbouring
/// symbols of similar counts (each within `SMOOTH_TOLERANCE` of the stretch's mean so far) set
/// to their mean, so that they get equal lengths, which the header codes as runs. A stretch of
/// small counts may cross up to `SMOOTH_GAP` unused symbols, which then get a code too (a
/// complete code may have codes nothing uses): the zero lengths would break the run. Every
/// symbol counted in `f` keeps a nonzero count; stretches start and end at counted symbols, so
/// the last one stays the last. Blocks of 1 KiB spend 10-13% of their bytes on the header
/// (`docs/tuning.md`).
pub(crate) fn smoothed<const N: usize>(f: &[u32; N]) -> [u32; N] {
    let mut out = *f;
    let mut i = 0;
    while i < N {
        if f[i] == 0 {
            // Most of a small block's alphabet is unused: skip it eight symbols at a time.
            i += match f.get(i..i + 8) {
                Some(g) if g.iter().fold(0, |a, &c| a | c) == 0 => 8,
                _ => 1,
            };
            continue;
        }
        // The stretch `i..j`: `used` counted symbols summing to `sum`.
        let (mut sum, mut used, mut j) = (f[i] as u64, 1u64, i + 1);
        loop {
            let mut k = j;
            while k < N && f[k] == 0 && k - j < SMOOTH_GAP {
                k += 1;
            }
            // Against the mean `sum / used`, without dividing (a division per symbol cost
            // more than the rest of the smoothing).
            if k >= N
                || f[k] == 0
                || (f[k] as u64 * used).abs_diff(sum) > SMOOTH_TOLERANCE * used
                || (k > j && sum > SMOOTH_GAP_MAX_MEAN * used)
            {
                break;
            }
            sum += f[k] as u64;
            used += 1;
            j = k + 1;
        }
        if j - i >= SMOOTH_MIN_RUN {
            out[i..j].fill(((sum + used / 2) / used) as u32);
        }
        i = j;
    }
    out
}

/// Size of `DynamicCode::build`'s run-length buffer: a byte before the lengths, at most 316
/// lengths, and at least one byte after them, in whole 64-position words plus a word's 8
/// bytes read past the last.
const RLE_BUF: usize = 5 * 64 + 8 + 1;

/// Bit `j % 64` of word `j / 64` set where `all[j + 1] != all[j]`: where a run of equal bytes
/// of `all[1..]` starts. Eight positions per step, without a branch.
#[inline(always)]
fn run_starts(all: &[u8; RLE_BUF]) -> [u64; 5] {
    let mut starts = [0u64; 5];
    for (w, word) in starts.iter_mut().enumerate() {
        for k in 0..8 {
            let j = w * 64 + k * 8;
            let cur = u64::from_le_bytes(all[j + 1..j + 9].try_into().unwrap());
            let prev = u64::from_le_bytes(all[j..j + 8].try_into().unwrap());
            // Each byte's bits folded into its low bit: 1 where the bytes differ.
            let mut x = cur ^ prev;
            x |= x >> 4;
            x |= x >> 2;
            x |= x >> 1;
            x &= 0x0101_0101_0101_0101;
            // The low bits of the eight bytes gathered into the top byte.
            let bits = x.wrapping_mul(0x0102_0408_1020_4080) >> 56;
            *word |= bits << (8 * k);
        }
    }
    starts
}

/// Bytes with their bits reversed: x86 has no instruction for it.
const REVERSED_BYTE: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = (i as u8).reverse_bits();
        i += 1;
    }
    t
};

/// The low `len` (1..=15) bits of `code`, reversed.
#[inline(always)]
const fn reverse(code: u16, len: usize) -> u16 {
    let r = (REVERSED_BYTE[(code & 0xff) as usize] as u16) << 8
        | REVERSED_BYTE[(code >> 8) as usize] as u16;
    r >> (16 - len)
}

/// Canonical codes (RFC 1951 3.2.2) of `lens`, bit-reversed for the LSB-first writer.
/// Symbols of length 0 get no code (0).
#[cfg(test)]
pub(crate) const fn canonical_codes<const N: usize>(lens: &[u8; N]) -> [u16; N] {
    let (used, n) = used_symbols(lens);
    canonical_codes_of(lens, used.split_at(n).0)
}

/// The symbols of `lens` with a code (length > 0) in order, and how many: gathered without a
/// branch (used and unused symbols alternate unpredictably).
pub(crate) const fn used_symbols<const N: usize>(lens: &[u8; N]) -> ([u16; N], usize) {
    let mut used = [0u16; N];
    let mut n = 0;
    let mut s = 0;
    while s < N {
        used[n] = s as u16;
        n += (lens[s] > 0) as usize;
        s += 1;
    }
    (used, n)
}

/// `canonical_codes` of `lens`, whose symbols with a code are exactly `used` (in order).
// Not inlined: inlined into `DynamicCode::build` (its one caller outside the tests) it made
// the calls of 1 and 16 KiB slower.
#[inline(never)]
pub(crate) const fn canonical_codes_of<const N: usize>(lens: &[u8; N], used: &[u16]) -> [u16; N] {
    let mut next = first_codes(lens, used);
    let mut out = [0u16; N];
    let mut i = 0;
    while i < used.len() {
        let s = used[i] as usize;
        out[s] = next_code(&mut next, lens[s] as usize);
        i += 1;
    }
    out
}

/// The canonical code (RFC 1951 3.2.2) of the first symbol of each length 1..=15 of `lens`,
/// whose symbols with a code are exactly `used`: `next_code` then hands out the codes of the
/// symbols in order.
pub(crate) const fn first_codes<const N: usize>(lens: &[u8; N], used: &[u16]) -> [u16; 16] {
    let n = used.len();
    // Symbols per length, alternately in two tables so that a run of one length does not wait
    // on one counter's last increment each time.
    let mut count = [[0u16; 16]; 2];
    let mut i = 0;
    while i < n {
        count[i & 1][lens[used[i] as usize] as usize] += 1;
        i += 1;
    }
    let mut next = [0u16; 16];
    let mut code = 0u16;
    let mut b = 1;
    while b < 16 {
        let before = if b == 1 {
            0
        } else {
            count[0][b - 1] + count[1][b - 1]
        };
        code = (code + before) << 1;
        next[b] = code;
        b += 1;
    }
    next
}

/// The code of the next symbol of length `len` (1..=15), bit-reversed for the LSB-first
/// writer; `next` from `first_codes`.
#[inline(always)]
pub(crate) const fn next_code(next: &mut [u16; 16], len: usize) -> u16 {
    let code = reverse(next[len], len);
    next[len] += 1;
    code
}

/// A block's own code: lengths from its histogram, and the header declaring them, run-length
/// coded (code-length symbols 16, 17 and 18) with its own code-length code.
pub(crate) struct DynamicCode {
    pub(crate) litlen_lens: [u8; LITLEN_SYMS],
    pub(crate) dist_lens: [u8; DIST_SYMS],
    /// The symbols with a code, in order: `litlen_used[..n_litlen]`, `dist_used[..n_dist]`.
    litlen_used: [u16; LITLEN_SYMS],
    dist_used: [u16; DIST_SYMS],
    n_litlen: usize,
    n_dist: usize,
    /// Bits of the histogram's symbols with this code, extra bits excluded.
    pub(crate) symbol_bits: usize,
    hlit: usize,
    hdist: usize,
    hclen: usize,
    precode_lens: [u8; 19],
    /// Code-length symbol `s` as the writer takes it: its code, then from bit 16 its length,
    /// from bit 24 its length plus its extra bits (2, 3 and 7 for 16, 17 and 18).
    precode: [u32; 19],
    /// Code-length symbols of the header, each `symbol | extra value << 5`: at most one per
    /// length, and two spare entries, because a run's items are stored three at once.
    items: [u16; ITEMS],
    n_items: usize,
    /// Header bits after BFINAL and BTYPE.
    pub(crate) header_bits: usize,
}

impl DynamicCode {
    /// The code fitted to `hist` (whose end-of-block count must be nonzero): Huffman lengths of
    /// its counts, limited to 15 bits.
    pub(crate) fn build(hist: &Histogram) -> DynamicCode {
        Self::build_shaped(hist, &hist.litlen, &hist.dist)
    }

    /// The code for a small block (`SMALL_BLOCK`), whose header is a large share of it: lengths
    /// from the `smoothed` counts, which the header codes in fewer bits for a few more in the
    /// data.
    pub(crate) fn build_small(hist: &Histogram) -> DynamicCode {
        Self::build_shaped(hist, &smoothed(&hist.litlen), &smoothed(&hist.dist))
    }

    /// The code with literal/length lengths fitted to `shape` (nonzero exactly where
    /// `hist.litlen` is) and distance lengths to `hist`; bits counted with `hist`.
    pub(crate) fn build_shaped(
        hist: &Histogram,
        shape: &[u32; LITLEN_SYMS],
        dshape: &[u32; DIST_SYMS],
    ) -> DynamicCode {
        debug_assert!(hist.litlen[EOB] > 0);
        let mut c = DynamicCode {
            litlen_lens: [0; LITLEN_SYMS],
            dist_lens: [0; DIST_SYMS],
            litlen_used: [0; LITLEN_SYMS],
            dist_used: [0; DIST_SYMS],
            n_litlen: 0,
            n_dist: 0,
            symbol_bits: 0,
            hlit: 0,
            hdist: 0,
            hclen: 0,
            precode_lens: [0; 19],
            precode: [0; 19],
            items: [0; ITEMS],
            n_items: 0,
            header_bits: 0,
        };
        c.n_litlen = build_lengths(shape, MAX_BITS, &mut c.litlen_lens, &mut c.litlen_used);
        c.n_dist = build_lengths(dshape, MAX_BITS, &mut c.dist_lens, &mut c.dist_used);
        let (ll_used, d_used) = (&c.litlen_used[..c.n_litlen], &c.dist_used[..c.n_dist]);
        // Both codes have at least two symbols.
        c.hlit = 257.max(ll_used[c.n_litlen - 1] as usize + 1);
        c.hdist = d_used[c.n_dist - 1] as usize + 1;
        let mut bits = 0;
        for &s in ll_used {
            bits += hist.litlen[s as usize] as usize * c.litlen_lens[s as usize] as usize;
        }
        for &s in d_used {
            bits += hist.dist[s as usize] as usize * c.dist_lens[s as usize] as usize;
        }
        c.symbol_bits = bits;

        // Run-length code the lengths of both alphabets as one sequence (runs may cross).
        // `all[1..=n]` holds them, `all[0]` and everything after them 0xff (no length).
        let mut all = [0xffu8; RLE_BUF];
        all[1..=c.hlit].copy_from_slice(&c.litlen_lens[..c.hlit]);
        all[1 + c.hlit..1 + c.hlit + c.hdist].copy_from_slice(&c.dist_lens[..c.hdist]);
        let n = c.hlit + c.hdist;
        // Where runs start, found for all positions at once, so that stepping from one run to
        // the next waits on no load.
        let starts = run_starts(&all);
        let mut word = 0;
        let mut m = starts[0] & !1;
        let mut i = 0;
        while i < n {
            while m == 0 {
                word += 1;
                m = starts[word];
            }
            let next = word * 64 + m.trailing_zeros() as usize;
            m &= m - 1;
            let l = all[1 + i];
            let run = next - i;
            i = next;
            // Runs of up to 7 equal lengths, or 138 zeros, the most frequent: up to three
            // items, chosen without a branch, all three stored and the count kept.
            let short = if l == 0 { run <= 138 } else { run <= 7 };
            if short {
                // At most one item per length before this run (`n_items <= i - run`, `i` now
                // its end, `run >= 1`): the three entries end by `LITLEN_SYMS + DIST_SYMS + 2`.
                let l = l as u16;
                let (items, count) = if l == 0 {
                    let item = if run >= 11 {
                        18 | ((run - 11) as u16) << 5
                    } else if run >= 3 {
                        17 | ((run - 3) as u16) << 5
                    } else {
                        0
                    };
                    ([item, 0, 0], if run >= 3 { 1 } else { run })
                } else {
                    let second = if run >= 4 {
                        16 | ((run - 4) as u16) << 5
                    } else {
                        l
                    };
                    ([l, second, l], if run >= 4 { 2 } else { run })
                };
                c.items[c.n_items..c.n_items + 3].copy_from_slice(&items);
                c.n_items += count;
                continue;
            }
            let mut left = run;
            if l == 0 {
                while left >= 11 {
                    let r = left.min(138);
                    c.push(18 | ((r - 11) as u16) << 5);
                    left -= r;
                }
                if left >= 3 {
                    c.push(17 | ((left - 3) as u16) << 5);
                    left = 0;
                }
            } else {
                c.push(l as u16);
                left -= 1;
                while left >= 3 {
                    let r = left.min(6);
                    c.push(16 | ((r - 3) as u16) << 5);
                    left -= r;
                }
            }
            for _ in 0..left {
                c.push(l as u16);
            }
        }
        // Counts of the code-length symbols, alternately in two tables (runs of one symbol
        // would otherwise wait on its counter's last increment).
        let mut freqs = [[0u32; 19]; 2];
        for (k, &it) in c.items[..c.n_items].iter().enumerate() {
            freqs[k & 1][(it & 31) as usize] += 1;
        }
        let freq: [u32; 19] = core::array::from_fn(|s| freqs[0][s] + freqs[1][s]);
        let mut precode_used = [0u16; 19];
        let n = build_lengths(
            &freq,
            MAX_PRECODE_BITS,
            &mut c.precode_lens,
            &mut precode_used,
        );
        let codes = canonical_codes_of(&c.precode_lens, &precode_used[..n]);
        for (s, (e, &code)) in c.precode.iter_mut().zip(&codes).enumerate() {
            let len = c.precode_lens[s] as u32;
            let extra = [2, 3, 7].get(s.wrapping_sub(16)).copied().unwrap_or(0);
            *e = code as u32 | len << 16 | (len + extra) << 24;
        }
        c.hclen = 4.max(
            19 - PRECODE_ORDER
                .iter()
                .rev()
                .take_while(|&&s| c.precode_lens[s] == 0)
                .count(),
        );
        // The items' code bits, and the extra bits of the repeat symbols 16, 17 and 18.
        let mut bits = 5 + 5 + 4 + 3 * c.hclen;
        bits += (2 * freq[16] + 3 * freq[17] + 7 * freq[18]) as usize;
        for (&f, &l) in freq.iter().zip(&c.precode_lens) {
            bits += f as usize * l as usize;
        }
        c.header_bits = bits;
        c
    }

    /// The code as tables for writing the block.
    pub(crate) fn tables(&self) -> BlockCode {
        BlockCode::from_used(
            &self.litlen_lens,
            &self.dist_lens,
            &self.litlen_used[..self.n_litlen],
            &self.dist_used[..self.n_dist],
        )
    }

    fn push(&mut self, item: u16) {
        self.items[self.n_items] = item;
        self.n_items += 1;
    }

    /// Writes the header (after BFINAL and BTYPE): exactly `header_bits` bits.
    pub(crate) fn write_header(&self, w: &mut BitWriter<'_>) {
        w.put(
            (self.hlit - 257) as u64
                | ((self.hdist - 1) as u64) << 5
                | ((self.hclen - 4) as u64) << 10,
            14,
        );
        for &s in &PRECODE_ORDER[..self.hclen] {
            w.put(self.precode_lens[s] as u64, 3);
        }
        // Items of at most 7 + 7 bits: four per flush of the writer (kept in a local, in
        // registers).
        let mut lw = w.take();
        for group in self.items[..self.n_items].chunks(4) {
            for &it in group {
                let e = self.precode[(it & 31) as usize];
                lw.put_raw(
                    (e & 0xffff) as u64 | ((it >> 5) as u64) << ((e >> 16) & 0xff),
                    e >> 24,
                );
            }
            lw.flush();
        }
        *w = lw;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `build_lengths`, checking the used symbols it lists: those given a length, in order.
    fn lengths(freqs: &[u32], limit: u32, lens: &mut [u8]) {
        let mut used = std::vec![0u16; freqs.len()];
        let n = build_lengths(freqs, limit, lens, &mut used);
        let want: std::vec::Vec<u16> = (0..lens.len() as u16)
            .filter(|&s| lens[s as usize] > 0)
            .collect();
        assert_eq!(used[..n], want[..]);
    }

    fn kraft(lens: &[u8], limit: u32) -> u64 {
        lens.iter()
            .filter(|&&l| l > 0)
            .map(|&l| 1u64 << (limit - l as u32))
            .sum()
    }

    /// Exact optimum for small alphabets, to compare with.
    fn cost(freqs: &[u32], lens: &[u8]) -> u64 {
        freqs
            .iter()
            .zip(lens)
            .map(|(&f, &l)| f as u64 * l as u64)
            .sum()
    }

    #[test]
    fn lengths_are_huffman_when_under_the_limit() {
        // Classic example: counts 5, 9, 12, 13, 16, 45 give lengths 4, 4, 3, 3, 3, 1.
        let freqs = [5, 9, 12, 13, 16, 45];
        let mut lens = [0u8; 6];
        lengths(&freqs, 15, &mut lens);
        assert_eq!(lens, [4, 4, 3, 3, 3, 1]);
        assert_eq!(kraft(&lens, 15), 1 << 15);
    }

    #[test]
    fn lengths_respect_the_limit_and_stay_complete() {
        // Fibonacci counts make a maximally deep Huffman tree.
        let mut freqs = [0u32; 30];
        let (mut a, mut b) = (1u32, 1u32);
        for f in freqs.iter_mut() {
            *f = a;
            (a, b) = (b, a.saturating_add(b));
        }
        for limit in [7, 9, 15] {
            let mut lens = [0u8; 30];
            lengths(&freqs, limit, &mut lens);
            assert!(
                lens.iter().all(|&l| l >= 1 && l as u32 <= limit),
                "{lens:?}"
            );
            assert_eq!(kraft(&lens, limit), 1 << limit);
            // More frequent symbols never get longer codes.
            for s in 1..30 {
                assert!(lens[s] <= lens[s - 1]);
            }
        }
        // 19 symbols all used, limit 7: still fits.
        let freqs: [u32; 19] = core::array::from_fn(|i| 1 << i.min(20));
        let mut lens = [0u8; 19];
        lengths(&freqs, 7, &mut lens);
        assert_eq!(kraft(&lens, 7), 1 << 7);
        assert!(cost(&freqs, &lens) > 0);
    }

    /// The optimal cost of a prefix code without a length limit, by the textbook Huffman
    /// algorithm over a sorted list (a reference independent of `huffman_depths`).
    fn huffman_cost(freqs: &[u32]) -> u64 {
        let mut w: std::vec::Vec<u64> = freqs
            .iter()
            .filter(|&&f| f > 0)
            .map(|&f| f as u64)
            .collect();
        let mut cost = 0;
        while w.len() > 1 {
            w.sort_unstable_by(|a, b| b.cmp(a));
            let merged = w.pop().unwrap() + w.pop().unwrap();
            cost += merged;
            w.push(merged);
        }
        cost
    }

    /// Random counts (many unused, some over the counting sort's buckets): the lengths are a
    /// complete code as cheap as Huffman's whenever the limit does not bind, and within the
    /// limit always.
    #[test]
    fn lengths_are_optimal_on_random_counts() {
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for case in 0..2000 {
            let n = [19, 30, 286][case % 3];
            let freqs: std::vec::Vec<u32> = (0..n)
                .map(|_| match next() % 8 {
                    0..=3 => 0,
                    4..=6 => (next() % 300) as u32,
                    _ => (next() % 40_000) as u32,
                })
                .collect();
            let used = freqs.iter().filter(|&&f| f > 0).count();
            let limit = if n == 19 { 7 } else { 15 };
            let mut lens = std::vec![0u8; n];
            lengths(&freqs, limit, &mut lens);
            assert_eq!(kraft(&lens, limit), 1 << limit, "case {case}");
            assert!(lens.iter().all(|&l| l as u32 <= limit));
            for s in 0..n {
                assert!(
                    freqs[s] == 0 || lens[s] > 0,
                    "case {case}: symbol {s} has no code"
                );
            }
            if used >= 2 && lens.iter().all(|&l| (l as u32) < limit) {
                assert_eq!(cost(&freqs, &lens), huffman_cost(&freqs), "case {case}");
            }
        }
    }

    /// The header's items expanded as an inflater does (16: the previous length 3-6 times
    /// more, 17: 3-10 zeros, 18: 11-138 zeros), for random codes whose lengths come in runs
    /// of every size (equal counts over random spans, zero spans of up to 300 symbols): they
    /// give back exactly the lengths declared, every code-length symbol used has a code, and
    /// the header takes `header_bits` bits.
    #[test]
    fn header_items_expand_to_the_lengths() {
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = |m: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % m
        };
        let mut buf = [0u8; 1024];
        for case in 0..3000 {
            let mut hist = Histogram::new();
            let mut s = 0;
            let all = LITLEN_SYMS + DIST_SYMS;
            while s < all {
                let span = 1 + next([4, 12, 40, 300][case % 4]) as usize;
                let count = if next(3) == 0 {
                    0
                } else {
                    1 + next(1000) as u32
                };
                for k in s..(s + span).min(all) {
                    if k < LITLEN_SYMS {
                        hist.litlen[k] = count;
                    } else {
                        hist.dist[k - LITLEN_SYMS] = count;
                    }
                }
                s += span;
            }
            hist.litlen[EOB] = hist.litlen[EOB].max(1);
            let code = DynamicCode::build(&hist);
            let mut lens: std::vec::Vec<u8> = std::vec::Vec::new();
            let mut freq = [0u32; 19];
            for &it in &code.items[..code.n_items] {
                let (sym, extra) = ((it & 31) as usize, (it >> 5) as usize);
                freq[sym] += 1;
                match sym {
                    0..=15 => lens.push(sym as u8),
                    16 => {
                        assert!(extra <= 3, "case {case}");
                        let prev = *lens.last().expect("16 after a length");
                        lens.extend(core::iter::repeat(prev).take(3 + extra));
                    }
                    17 => {
                        assert!(extra <= 7, "case {case}");
                        lens.extend(core::iter::repeat(0).take(3 + extra));
                    }
                    18 => {
                        assert!(extra <= 127, "case {case}");
                        lens.extend(core::iter::repeat(0).take(11 + extra));
                    }
                    _ => panic!("case {case}: item {it}"),
                }
            }
            let mut want = code.litlen_lens[..code.hlit].to_vec();
            want.extend_from_slice(&code.dist_lens[..code.hdist]);
            assert_eq!(lens, want, "case {case}");
            for (sym, &f) in freq.iter().enumerate() {
                assert!(
                    f == 0 || code.precode_lens[sym] > 0,
                    "case {case}: symbol {sym}"
                );
            }
            let mut w = BitWriter::new(&mut buf, 0, 0, 0);
            code.write_header(&mut w);
            assert_eq!(w.bit_position(), code.header_bits, "case {case}");
        }
    }

    #[test]
    fn one_or_no_symbol_still_gives_a_complete_code() {
        for used in [None, Some(0), Some(1), Some(29)] {
            let mut freqs = [0u32; 30];
            if let Some(s) = used {
                freqs[s] = 5;
            }
            let mut lens = [0u8; 30];
            lengths(&freqs, 15, &mut lens);
            assert_eq!(lens.iter().filter(|&&l| l == 1).count(), 2);
            assert_eq!(kraft(&lens, 15), 1 << 15);
            if let Some(s) = used {
                assert_eq!(lens[s], 1);
            }
        }
    }

    #[test]
    fn canonical_codes_follow_rfc1951() {
        // RFC 1951 3.2.2's example: lengths (3, 3, 3, 3, 3, 2, 4, 4) give codes 010, 011, 100,
        // 101, 110, 00, 1110, 1111.
        let lens = [3u8, 3, 3, 3, 3, 2, 4, 4];
        let codes = canonical_codes(&lens);
        let want = [0b010u16, 0b011, 0b100, 0b101, 0b110, 0b00, 0b1110, 0b1111];
        for s in 0..8 {
            let rev = want[s].reverse_bits() >> (16 - lens[s]);
            assert_eq!(codes[s], rev, "symbol {s}");
        }
    }
}

/// Corner cases of the dynamic block header, each written as one whole final block (header from
/// `DynamicCode`, data from `BlockCode`) and decoded by miniz_oxide, zlib-rs (flate2) and the
/// strict checking inflater of `slz-check`, which also reports the header as it was sent, so each
/// test can check that its case really occurred.
#[cfg(test)]
mod header_corner_cases {
    use super::*;
    use crate::tokens::{Tokens, DIST_BASE, MAX_SEQS};
    use std::vec;
    use std::vec::Vec;

    /// A symbol of the block: a literal, or a match `(len, dist)`.
    #[derive(Clone, Copy)]
    enum Op {
        Lit(u8),
        Match(usize, usize),
    }

    /// The bytes `ops` decode to, and their tokens (closed with end-of-block).
    fn parse(ops: &[Op]) -> (Vec<u8>, std::boxed::Box<Tokens<MAX_SEQS>>) {
        let mut t = std::boxed::Box::new(Tokens::<MAX_SEQS>::new());
        let mut out = Vec::new();
        for &op in ops {
            match op {
                Op::Lit(b) => {
                    out.push(b);
                    t.literal(b);
                }
                Op::Match(len, dist) => {
                    for _ in 0..len {
                        out.push(out[out.len() - dist]);
                    }
                    t.matched(len, dist);
                }
            }
        }
        t.end();
        (out, t)
    }

    /// BFINAL, BTYPE 10, `code`'s header (checked to take `header_bits`), the tokens, padding.
    fn write_block(code: &DynamicCode, input: &[u8], tokens: &Tokens<MAX_SEQS>) -> Vec<u8> {
        let mut buf = vec![0u8; input.len() * 2 + 1024];
        let mut w = BitWriter::new(&mut buf, 0, 0, 0);
        w.put(1 | 2 << 1, 3);
        code.write_header(&mut w);
        assert_eq!(w.bit_position(), 3 + code.header_bits, "header_bits");
        code.tables().write(&mut w, input, 0, tokens.seqs());
        w.align();
        let (n, _, _) = w.finish();
        buf.truncate(n);
        buf
    }

    /// Decodes `z` with three decoders, which must all give `want`; returns the header the
    /// strict one read, after checking that it declares exactly `code`'s lengths.
    fn decode(z: &[u8], want: &[u8], code: &DynamicCode) -> slz_check::Header {
        let mz = miniz_oxide::inflate::decompress_to_vec(z)
            .unwrap_or_else(|e| panic!("miniz_oxide: {e:?}"));
        assert!(mz == want, "miniz_oxide decoded something else");
        let mut d = flate2::Decompress::new(false);
        let mut zl = Vec::with_capacity(want.len() + 1);
        let st = d.decompress_vec(z, &mut zl, flate2::FlushDecompress::Finish);
        assert!(
            matches!(st, Ok(flate2::Status::StreamEnd)),
            "zlib-rs: {st:?}"
        );
        assert!(zl == want, "zlib-rs decoded something else");
        assert_eq!(d.total_in(), z.len() as u64, "zlib-rs: end");
        let inf = slz_check::inflate(z, false).unwrap_or_else(|e| panic!("slz-check: {e}"));
        assert!(inf.out == want, "slz-check decoded something else");
        assert_eq!(inf.bytes_used, z.len());
        assert_eq!(inf.blocks.len(), 1);
        assert_eq!(inf.blocks[0].kind, slz_check::Kind::Dynamic);
        let h = inf.blocks[0].header.clone().unwrap();
        assert_eq!(h.lit_lens[..], code.litlen_lens[..h.hlit]);
        assert!(code.litlen_lens[h.hlit..].iter().all(|&l| l == 0));
        assert_eq!(h.dist_lens[..], code.dist_lens[..h.hdist]);
        assert!(code.dist_lens[h.hdist..].iter().all(|&l| l == 0));
        assert_eq!(h.cl_lens, code.precode_lens);
        h
    }

    /// Depth of an unlimited Huffman code for the nonzero counts of `freqs` (the longest code
    /// it would have): merges the two lightest trees until one is left.
    fn huffman_depth(freqs: &[u32]) -> u32 {
        let mut trees: Vec<(u64, u32)> = freqs
            .iter()
            .filter(|&&f| f > 0)
            .map(|&f| (f as u64, 0))
            .collect();
        while trees.len() > 1 {
            trees.sort_unstable_by(|a, b| b.cmp(a));
            let (a, b) = (trees.pop().unwrap(), trees.pop().unwrap());
            trees.push((a.0 + b.0, a.1.max(b.1) + 1));
        }
        trees.first().map_or(0, |t| t.1)
    }

    /// Counts of the code-length symbols of `code`'s header.
    fn precode_freqs(code: &DynamicCode) -> [u32; 19] {
        let mut f = [0u32; 19];
        for &it in &code.items[..code.n_items] {
            f[(it & 31) as usize] += 1;
        }
        f
    }

    /// Blocks like a 1 KiB call's (a few dozen literal values of small counts, some matches)
    /// with the code `build_small` gives them, lengths from `smoothed` counts: every decoder reads
    /// the header as the code's lengths and the block back; the reshaping happened (some runs
    /// of equal lengths, some unused literal with a code) and never cost more than 2% over
    /// the exact Huffman lengths' symbols plus header.
    #[test]
    fn smoothed_codes_decode_everywhere() {
        let mut r = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = |n: u64| {
            r ^= r << 13;
            r ^= r >> 7;
            r ^= r << 17;
            r % n
        };
        let (mut reshaped, mut unused_with_code) = (0, 0);
        for round in 0..300 {
            let values = 20 + next(60) as u8;
            let mut ops = Vec::new();
            for k in 0..400 + next(800) as usize {
                if k > 8 && next(5) == 0 {
                    ops.push(Op::Match(
                        3 + next(20) as usize,
                        1 + next(k.min(4000) as u64) as usize,
                    ));
                } else {
                    // Skewed towards low values, as text is.
                    let v = next(values as u64).min(next(values as u64));
                    ops.push(Op::Lit(b' ' + v as u8));
                }
            }
            let (input, t) = parse(&ops);
            let code = DynamicCode::build_small(&t.hist);
            let exact = DynamicCode::build(&t.hist);
            decode(&write_block(&code, &input, &t), &input, &code);
            for (s, &f) in t.hist.litlen.iter().enumerate() {
                assert!(f == 0 || code.litlen_lens[s] > 0, "round {round}: {s}");
                unused_with_code += (f == 0 && code.litlen_lens[s] > 0) as usize;
            }
            reshaped += (code.litlen_lens != exact.litlen_lens) as usize;
            let cost = |c: &DynamicCode| c.header_bits + c.symbol_bits;
            assert!(cost(&code) * 50 <= cost(&exact) * 51, "round {round}");
        }
        assert!(
            reshaped > 100 && unused_with_code > 0,
            "{reshaped} {unused_with_code}"
        );
    }

    /// `smoothed` keeps every counted symbol counted, and the last counted symbol last.
    #[test]
    fn smoothing_keeps_every_used_symbol() {
        let mut r = 0x2545_f491_4f6c_dd1d_u64;
        for round in 0..2000 {
            let mut f = [0u32; LITLEN_SYMS];
            for c in f.iter_mut() {
                r ^= r << 13;
                r ^= r >> 7;
                r ^= r << 17;
                *c = match r % 6 {
                    0..=2 => 0,
                    3 | 4 => (r >> 8) as u32 % 12,
                    _ => (r >> 8) as u32 % 3000,
                };
            }
            let g = smoothed(&f);
            for s in 0..LITLEN_SYMS {
                assert!(f[s] == 0 || g[s] > 0, "round {round}: {s}");
            }
            let last = |x: &[u32]| x.iter().rposition(|&c| c > 0);
            assert_eq!(last(&f), last(&g), "round {round}");
        }
    }

    #[test]
    fn only_end_of_block() {
        let (input, t) = parse(&[]);
        let code = DynamicCode::build(&t.hist);
        let h = decode(&write_block(&code, &input, &t), b"", &code);
        // End-of-block and one unused literal get one bit each; no distance is used, and two
        // unused distance codes get one bit each (a complete code for every decoder).
        assert_eq!(h.used(), (2, 2));
        assert_eq!((h.lit_lens[256], h.hlit, h.hdist), (1, 257, 2));
        assert_eq!(h.dist_lens, [1, 1]);
        // The 255 zero lengths between the two literal/length codes need two 18s (at most 138
        // zeros each).
        let zeros: Vec<_> = h.items.iter().filter(|it| it.sym == 18).collect();
        assert_eq!(zeros.len(), 2, "{:?}", h.items);
        assert_eq!(zeros.iter().map(|it| it.count).sum::<usize>(), 255);
        assert!(zeros.iter().any(|it| it.count == 138));
    }

    #[test]
    fn one_literal_value_and_end_of_block() {
        for b in [0u8, 7, 255] {
            let (input, t) = parse(&[Op::Lit(b); 40]);
            let code = DynamicCode::build(&t.hist);
            let h = decode(&write_block(&code, &input, &t), &input, &code);
            assert_eq!(h.used(), (2, 2));
            assert_eq!((h.lit_lens[b as usize], h.lit_lens[256]), (1, 1));
            assert_eq!(h.hdist, 2);
        }
    }

    /// Fibonacci counts (1, 1, 2, 3, 5, ...) over the used literals, length symbols and
    /// distance symbols: an unlimited Huffman code would be far deeper than 15 bits.
    #[test]
    fn fibonacci_counts_hit_the_15_bit_limit() {
        // 'a', 'b', ... then matches of every distance symbol (distance 1 first, to make room).
        let mut ops: Vec<Op> = (0..24).map(|i| Op::Lit(b'a' + i)).collect();
        ops.extend([Op::Match(258, 1); 100]);
        ops.extend(DIST_BASE.iter().map(|&d| Op::Match(3, d as usize)));
        let (input, t) = parse(&ops);
        // The code is fitted to Fibonacci counts of the same symbols instead.
        let mut hist = Histogram::new();
        let (mut a, mut b) = (1u32, 1u32);
        let mut next = || {
            let f = a;
            (a, b) = (b, a + b);
            f
        };
        for s in (0..24).map(|i| (b'a' + i) as usize).chain([257, 285, EOB]) {
            hist.litlen[s] = next();
        }
        let (mut a, mut b) = (1u32, 1u32);
        for s in 0..DIST_SYMS {
            hist.dist[s] = a;
            (a, b) = (b, a + b);
        }
        assert!(huffman_depth(&hist.litlen) > 20 && huffman_depth(&hist.dist) > 20);
        let code = DynamicCode::build(&hist);
        let h = decode(&write_block(&code, &input, &t), &input, &code);
        let (ll, d, _) = h.max_lens();
        assert_eq!((ll, d), (15, 15));
        assert_eq!(h.used(), (27, 30));
        // Literal codes of 15 bits: the data went out three literals per flush.
        assert!(input[..24].iter().any(|&c| h.lit_lens[c as usize] == 15));
    }

    /// Complete code lengths with `leaves` codes, none over 15 bits, from splitting random
    /// leaves of a one-leaf tree (deeper leaves split more often).
    fn random_lengths(r: &mut u64, leaves: usize) -> Vec<u8> {
        let mut next = || {
            *r ^= *r << 13;
            *r ^= *r >> 7;
            *r ^= *r << 17;
            *r
        };
        let mut lens = vec![0u8];
        while lens.len() < leaves {
            let i = (next() % lens.len() as u64) as usize;
            let j = (next() % lens.len() as u64) as usize;
            let i = if lens[j] > lens[i] { j } else { i };
            if lens[i] < 15 {
                lens[i] += 1;
                lens.push(lens[i]);
            }
        }
        // Shuffle.
        for i in (1..lens.len()).rev() {
            let j = (next() % (i as u64 + 1)) as usize;
            lens.swap(i, j);
        }
        lens
    }

    /// Headers whose code-length code an unlimited Huffman code would make longer than 7 bits
    /// (found among random complete literal/length codes, given as counts 2^(15 - length), which
    /// a Huffman code reproduces exactly).
    #[test]
    fn code_length_code_hits_its_7_bit_limit() {
        let mut r = 0x2545_f491_4f6c_dd1d_u64;
        let mut hits = 0;
        for round in 0..3000 {
            let n = 40 + round % 200;
            let lens = random_lengths(&mut r, n);
            // Symbols with a code: EOB and n - 1 literals spread over 0..=255 with gaps.
            let mut hist = Histogram::new();
            hist.litlen[EOB] = 1 << (15 - lens[0]);
            let step = 256 / n;
            for (k, &l) in lens[1..].iter().enumerate() {
                let s = k * step;
                hist.litlen[s] = 1 << (15 - l);
            }
            let code = DynamicCode::build(&hist);
            let freqs = precode_freqs(&code);
            if huffman_depth(&freqs) <= 7 {
                continue;
            }
            hits += 1;
            // The literals, each once.
            let ops: Vec<Op> = (0..256)
                .filter(|&s| hist.litlen[s] > 0)
                .map(|s| Op::Lit(s as u8))
                .collect();
            let (input, t) = parse(&ops);
            let h = decode(&write_block(&code, &input, &t), &input, &code);
            assert_eq!(h.max_lens().2, 7, "round {round}");
            for s in 0..256 {
                let want = match hist.litlen[s] {
                    0 => 0,
                    f => 15 - f.ilog2() as u8,
                };
                assert_eq!(code.litlen_lens[s], want, "round {round}: literal {s}");
            }
        }
        assert!(hits >= 5, "only {hits} headers needed the limit");
    }

    /// A code given by its lengths (counts 2^(15 - length), so the built code has exactly these
    /// lengths), its header, and a block using `ops`.
    fn dyadic(
        ll: &[(core::ops::Range<usize>, u8)],
        d: &[(core::ops::Range<usize>, u8)],
        ops: &[Op],
    ) -> slz_check::Header {
        let mut hist = Histogram::new();
        for (r, l) in ll {
            hist.litlen[r.clone()].fill(1 << (15 - l));
        }
        for (r, l) in d {
            hist.dist[r.clone()].fill(1 << (15 - l));
        }
        let code = DynamicCode::build(&hist);
        for s in 0..LITLEN_SYMS {
            let want = ll.iter().find(|(r, _)| r.contains(&s)).map_or(0, |x| x.1);
            assert_eq!(code.litlen_lens[s], want, "literal/length {s}");
        }
        let (input, t) = parse(ops);
        decode(&write_block(&code, &input, &t), &input, &code)
    }

    /// Repeat codes where the header's lengths end and cross over.
    #[test]
    fn repeats_at_the_ends_of_the_alphabets() {
        // A run of 5s crossing from the literal/length lengths (278..=285) into the distance
        // lengths (0..=27), then 4, 4. Literals 0..=127 8 bits, end-of-block 2: complete.
        let ops = [
            Op::Lit(1),
            Op::Lit(2),
            Op::Match(258, 1),
            Op::Match(240, 2),
            Op::Match(100, 1),
        ];
        let h = dyadic(
            &[(0..128, 8), (256..257, 2), (278..286, 5)],
            &[(0..28, 5), (28..30, 4)],
            &ops,
        );
        assert_eq!((h.hlit, h.hdist), (286, 30));
        let cross = h
            .items
            .iter()
            .find(|it| it.start < 286 && it.start + it.count > 286);
        assert_eq!(cross.map(|it| it.sym), Some(16), "{:?}", h.items);
        // The 21 zero lengths of 257..=277 (between end-of-block and the 5s): one 18.
        assert!(h
            .items
            .iter()
            .any(|it| it.sym == 18 && it.start == 257 && it.count == 21));

        // The header ends with a repeat (16): distance lengths 4, 4, then 28 5s.
        let h = dyadic(
            &[(0..128, 8), (256..257, 2), (278..286, 5)],
            &[(0..2, 4), (2..30, 5)],
            &ops,
        );
        let last = h.items.last().unwrap();
        assert_eq!(
            (last.sym, last.start + last.count),
            (16, 316),
            "{:?}",
            h.items
        );

        // Zero lengths up to symbol 285 (257..=284), and a lone distance code 29 after 28 zeros:
        // the code has two one-bit distance codes, 0 (unused) and 29.
        let mut hist = Histogram::new();
        hist.litlen[..128].fill(1 << 7);
        hist.litlen[EOB] = 1 << 13;
        hist.litlen[285] = 1 << 13;
        hist.dist[29] = 5;
        let code = DynamicCode::build(&hist);
        // Literals until a match at distance 24577 (symbol 29) can reach back.
        let mut ops: Vec<Op> = (0..25_000).map(|i| Op::Lit((i % 128) as u8)).collect();
        ops.push(Op::Match(258, 24577));
        let (input, t) = parse(&ops);
        let h = decode(&write_block(&code, &input, &t), &input, &code);
        assert_eq!((h.hlit, h.hdist), (286, 30));
        assert_eq!((h.dist_lens[0], h.dist_lens[29], h.used().1), (1, 1, 2));
        let zero_runs: Vec<_> = h
            .items
            .iter()
            .filter(|it| it.sym >= 17)
            .map(|it| (it.start, it.count))
            .collect();
        assert!(zero_runs.contains(&(257, 28)), "{zero_runs:?}");
        assert!(zero_runs.contains(&(287, 28)), "{zero_runs:?}");
    }
}
