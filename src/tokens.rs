//! The parse of one segment of levels 2..=9, kept until its block code is chosen: a list of
//! sequences (a literal run, then at most one match), and the histogram of the deflate symbols
//! they will be written as.
//!
//! Literal bytes are not copied: a sequence stores only how many literals precede its match, and
//! the writer reads them from the input again.

use crate::lz77::MAX_MATCH;

/// Symbols of the literal/length alphabet that data can use (0..=285).
pub(crate) const LITLEN_SYMS: usize = 286;
/// Symbols of the distance alphabet that data can use (0..=29).
pub(crate) const DIST_SYMS: usize = 30;
/// End-of-block.
pub(crate) const EOB: usize = 256;

/// Longest literal run one sequence carries; longer runs take several sequences.
const MAX_RUN: usize = 255;

/// Input bytes one segment covers at least (unless the call ends first): a segment ends at the
/// first sequence boundary at or after this many bytes, so at most `SEGMENT - 1 + MAX_MATCH`.
pub(crate) const SEGMENT: usize = 32768;
/// The same for parses whose matches are at least 4 bytes long (levels 3..=7 in large calls):
/// their sequences take less room per byte, so their blocks can be longer for a little more
/// memory, which saves dynamic headers (`docs/tuning.md`).
pub(crate) const LONG_SEGMENT: usize = 65536;
/// Sequences a segment of `bytes` input bytes can need if its matches are at least `min_match`
/// bytes long: a sequence without a match carries `MAX_RUN` literals, plus the trailing run.
pub(crate) const fn max_seqs(bytes: usize, min_match: usize) -> usize {
    bytes / min_match + bytes / MAX_RUN + 2
}

/// Sequences a segment of [`SEGMENT`] with 3-byte matches can need.
pub(crate) const MAX_SEQS: usize = max_seqs(SEGMENT - 1 + MAX_MATCH, 3);
/// Sequences a segment of [`LONG_SEGMENT`] with matches of 4 bytes and more can need.
pub(crate) const LONG_MAX_SEQS: usize = max_seqs(LONG_SEGMENT - 1 + MAX_MATCH, 4);

/// Length symbol (minus 257) of match lengths 3..=258, indexed by `len - 3`.
pub(crate) static LEN_SYM: [u8; 256] = len_syms();
/// Extra bits of length symbols 257..=285, indexed by `symbol - 257`.
pub(crate) const LEN_EXTRA: [u8; 29] = [
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
];
/// First match length of each length symbol.
pub(crate) const LEN_BASE: [u16; 29] = [
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131,
    163, 195, 227, 258,
];
/// Extra bits of distance symbols 0..=29.
pub(crate) const DIST_EXTRA: [u8; 30] = [
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13,
    13,
];
/// First distance of each distance symbol.
pub(crate) const DIST_BASE: [u16; 30] = [
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537,
    2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
];
/// Distance symbol by `huffman::dist_index(dist)` (below 256: `dist - 1`; above: 256 plus the
/// top 8 bits of `dist - 1`).
static DIST_SYM: [u8; 512] = dist_syms();

/// One past the longest match length of length symbol `257 + s`: 258 has its own symbol (285),
/// not 284 with extra value 31.
pub(crate) const fn len_end(s: usize) -> usize {
    if s == 28 {
        259
    } else {
        LEN_BASE[s + 1] as usize
    }
}

const fn len_syms() -> [u8; 256] {
    let mut t = [0u8; 256];
    let mut s = 0;
    while s < 29 {
        let mut l = LEN_BASE[s] as usize;
        while l < len_end(s) {
            t[l - 3] = s as u8;
            l += 1;
        }
        s += 1;
    }
    t
}

const fn dist_syms() -> [u8; 512] {
    let mut t = [0u8; 512];
    let mut i = 0;
    while i < 512 {
        let x = if i < 256 { i } else { (i - 256) << 7 };
        let mut s = 0;
        while s + 1 < 30 && DIST_BASE[s + 1] as usize - 1 <= x {
            s += 1;
        }
        t[i] = s as u8;
        i += 1;
    }
    t
}

/// The distance symbol of `dist` (1..=32768).
#[inline(always)]
pub(crate) fn dist_sym(dist: usize) -> usize {
    DIST_SYM[crate::huffman::dist_index(dist)] as usize
}

/// Symbol counts of one block.
#[derive(Clone)]
pub(crate) struct Histogram {
    pub(crate) litlen: [u32; LITLEN_SYMS],
    pub(crate) dist: [u32; DIST_SYMS],
}

impl Histogram {
    pub(crate) const fn new() -> Histogram {
        Histogram {
            litlen: [0; LITLEN_SYMS],
            dist: [0; DIST_SYMS],
        }
    }

    /// Bits of the extra bits of every length and distance counted: the same with any code.
    pub(crate) fn extra_bits(&self) -> usize {
        let len: usize = (0..29)
            .map(|s| self.litlen[257 + s] as usize * LEN_EXTRA[s] as usize)
            .sum();
        let dist: usize = (0..DIST_SYMS)
            .map(|s| self.dist[s] as usize * DIST_EXTRA[s] as usize)
            .sum();
        len + dist
    }
}

/// A sequence: `run` literals, then the match `len` (3..=258) at `dist` (1..=32768), or no
/// match (`dist == 0`). Packed as `run << 24 | (len - 3) << 16 | dist`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) struct Seq(u32);

impl Seq {
    #[inline(always)]
    pub(crate) fn run(self) -> usize {
        (self.0 >> 24) as usize
    }
    #[inline(always)]
    pub(crate) fn len(self) -> usize {
        ((self.0 >> 16) & 0xff) as usize + 3
    }
    /// 0 when the sequence has no match.
    #[inline(always)]
    pub(crate) fn dist(self) -> usize {
        (self.0 & 0xffff) as usize
    }
}

/// Input bytes between two [`Mark`]s: where a segment may be cut into blocks
/// (`block_split.rs`).
pub(crate) const MARK_BYTES: usize = 4096;

/// The counts of a segment's first `seq` sequences, which cover its first `bytes` bytes.
#[derive(Clone)]
pub(crate) struct Mark {
    pub(crate) seq: usize,
    pub(crate) bytes: usize,
    pub(crate) hist: Histogram,
}

const NO_MARK: Mark = Mark {
    seq: 0,
    bytes: 0,
    hist: Histogram::new(),
};

/// The sequences of one segment and their histogram (every literal, length and distance; the
/// end-of-block is counted by [`Tokens::end`]), and up to `M` [`Mark`]s, one per
/// [`MARK_BYTES`] of input, recorded by [`Tokens::mark`].
///
/// `N` is at least `max_seqs` of the longest segment parsed into it.
pub(crate) struct Tokens<const N: usize, const M: usize = 0> {
    seqs: [Seq; N],
    n: usize,
    /// Literals not yet closed by a sequence.
    run: usize,
    pub(crate) hist: Histogram,
    marks: [Mark; M],
    n_marks: usize,
}

impl<const N: usize, const M: usize> Tokens<N, M> {
    pub(crate) const fn new() -> Self {
        Tokens {
            seqs: [Seq(0); N],
            n: 0,
            run: 0,
            hist: Histogram::new(),
            marks: [NO_MARK; M],
            n_marks: 0,
        }
    }

    /// Empties the list for the next segment.
    pub(crate) fn clear(&mut self) {
        self.n = 0;
        self.run = 0;
        self.hist = Histogram::new();
        self.n_marks = 0;
    }

    /// Called after [`Tokens::matched`] with the input bytes the sequences so far cover:
    /// records a mark when they reach the next multiple of [`MARK_BYTES`].
    #[inline(always)]
    pub(crate) fn mark(&mut self, bytes: usize) {
        if M > 0 && self.n_marks < M && bytes >= (self.n_marks + 1) * MARK_BYTES {
            debug_assert_eq!(self.run, 0);
            self.marks[self.n_marks] = Mark {
                seq: self.n,
                bytes,
                hist: self.hist.clone(),
            };
            self.n_marks += 1;
        }
    }

    /// The marks recorded in this segment.
    pub(crate) fn marks(&self) -> &[Mark] {
        &self.marks[..self.n_marks]
    }

    #[inline(always)]
    fn push(&mut self, s: u32) {
        // `N >= max_seqs(segment)`: indexing cannot fail for a parse that keeps to its segment.
        self.seqs[self.n] = Seq(s);
        self.n += 1;
    }

    /// The literal `b` comes next.
    #[inline(always)]
    pub(crate) fn literal(&mut self, b: u8) {
        self.hist.litlen[b as usize] += 1;
        self.run += 1;
        if self.run == MAX_RUN {
            self.push((MAX_RUN as u32) << 24);
            self.run = 0;
        }
    }

    /// The literals `lits` come next.
    #[inline(always)]
    pub(crate) fn literals(&mut self, lits: &[u8]) {
        for &b in lits {
            self.hist.litlen[b as usize] += 1;
        }
        let mut run = self.run + lits.len();
        while run >= MAX_RUN {
            self.push((MAX_RUN as u32) << 24);
            run -= MAX_RUN;
        }
        self.run = run;
    }

    /// The literals `input[lit..i]` (at most 2 if `FEW`), followed by at least 3 more bytes
    /// (a match's): they are counted in groups (2 if `FEW`, else 4) whose bytes past the run
    /// add 0, with no branch on the run's length within a group.
    #[inline(always)]
    pub(crate) fn literals_before_match<const FEW: bool>(
        &mut self,
        input: &[u8],
        lit: usize,
        i: usize,
    ) {
        let run = i - lit;
        debug_assert!(i + 3 <= input.len() && (!FEW || run <= 2));
        let group = if FEW { 2 } else { 4 };
        let mut p = 0;
        // `FEW`: one group, whatever the run (0..=2). Written so, this loop measured 2-3%
        // faster at level 2 than a loop that tests at its end.
        while p < run || (FEW && p == 0) {
            let bytes = &input[lit + p..lit + p + group];
            for (j, &b) in bytes.iter().enumerate() {
                self.hist.litlen[b as usize] += (p + j < run) as u32;
            }
            p += group;
            if FEW {
                break;
            }
        }
        let mut run = self.run + run;
        while run >= MAX_RUN {
            self.push((MAX_RUN as u32) << 24);
            run -= MAX_RUN;
        }
        self.run = run;
    }

    /// A match of `len` (3..=258) bytes at distance `dist` (1..=32768) comes next.
    #[inline(always)]
    pub(crate) fn matched(&mut self, len: usize, dist: usize) {
        debug_assert!((3..=MAX_MATCH).contains(&len) && (1..=32768).contains(&dist));
        let ls = LEN_SYM[len - 3] as usize;
        self.hist.litlen[257 + ls] += 1;
        self.hist.dist[dist_sym(dist)] += 1;
        self.push((self.run as u32) << 24 | ((len - 3) as u32) << 16 | dist as u32);
        self.run = 0;
    }

    /// Closes the list: the trailing literals become a last sequence, and the end-of-block is
    /// counted.
    pub(crate) fn end(&mut self) {
        if self.run > 0 {
            self.push((self.run as u32) << 24);
            self.run = 0;
        }
        self.hist.litlen[EOB] = 1;
    }

    pub(crate) fn seqs(&self) -> &[Seq] {
        &self.seqs[..self.n]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn symbol_tables_follow_rfc1951() {
        for len in 3..=258usize {
            let s = LEN_SYM[len - 3] as usize;
            let base = LEN_BASE[s] as usize;
            assert!(len >= base && len - base < 1 << LEN_EXTRA[s], "len {len}");
            if len == 258 {
                assert_eq!(s, 28);
            }
        }
        for dist in 1..=32768usize {
            let s = dist_sym(dist);
            let base = DIST_BASE[s] as usize;
            assert!(
                dist >= base && dist - base < 1 << DIST_EXTRA[s],
                "dist {dist}"
            );
        }
    }

    /// Counting literals in groups before a match gives the same histogram and sequences as
    /// counting them one by one, for every run length either way is called with.
    #[test]
    fn literals_before_a_match_count_each_byte_once() {
        let input: std::vec::Vec<u8> = (0..2000u32).map(|k| (k * 7 + k / 13) as u8).collect();
        let (mut grouped, mut plain) = (Tokens::<MAX_SEQS>::new(), Tokens::<MAX_SEQS>::new());
        let mut lit = 0;
        for run in (0..3).chain(0..600) {
            let i = lit + run;
            if run <= 2 {
                grouped.literals_before_match::<true>(&input, lit, i);
            } else {
                grouped.literals_before_match::<false>(&input, lit, i);
            }
            plain.literals(&input[lit..i]);
            grouped.matched(4, 1);
            plain.matched(4, 1);
            lit = i + 4;
            if lit + 700 > input.len() {
                lit = 0;
            }
        }
        assert_eq!(grouped.hist.litlen, plain.hist.litlen);
        assert_eq!(grouped.seqs(), plain.seqs());
    }

    #[test]
    fn sequences_pack_runs_and_matches() {
        let mut t = Tokens::<MAX_SEQS>::new();
        for _ in 0..600 {
            t.literal(7);
        }
        t.matched(258, 32768);
        t.literal(1);
        t.matched(3, 1);
        t.literal(b'a');
        t.literal(b'b');
        t.end();
        let s: std::vec::Vec<_> = t
            .seqs()
            .iter()
            .map(|s| (s.run(), s.len(), s.dist()))
            .collect();
        assert_eq!(
            s,
            [
                (255, 3, 0),
                (255, 3, 0),
                (90, 258, 32768),
                (1, 3, 1),
                (2, 3, 0)
            ]
        );
        assert_eq!(t.hist.litlen[7], 600);
        assert_eq!(t.hist.litlen[285], 1);
        assert_eq!(t.hist.dist[29], 1);
        assert_eq!(t.hist.dist[0], 1);
        assert_eq!(t.hist.litlen[EOB], 1);
        assert_eq!(t.hist.extra_bits(), 13);
    }
}
