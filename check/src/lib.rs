//! The strict checking inflater shared by `slz`'s integration tests (`tests/common`) and its fuzz
//! targets (`fuzz/`): one decoder for all three block types (stored, fixed Huffman and dynamic
//! Huffman), written for the checks, not for speed. Unlike the general decoders it reports *what*
//! a stream is made of and *where*: every block's kind, bit range and decoded range, every
//! dynamic block's header as sent (HLIT/HDIST/HCLEN, the code-length code, the run-length coded
//! code lengths and the lengths they declare), every match, and counts of each ([`Stats`]). So
//! the checks can prove that no match crosses a call boundary, that a Huffman block never ends
//! later than the same bytes stored, that padding bits are zero, and which corner cases of a
//! dynamic header a stream really used.
//!
//! It rejects anything RFC 1951 forbids instead of tolerating it. A dynamic block's header is
//! checked as zlib's inflate checks it (RFC 1951, 3.2.7): HLIT 257..=286 and HDIST 1..=30 (so
//! literal/length symbols 286/287 and distance codes 30/31 never get a code); the code-length
//! code must be complete; a repeat (16) needs a previous length and no repeat may run past
//! HLIT + HDIST lengths; end-of-block must have a code; no code may be over-subscribed; the
//! literal/length code must be complete, and the distance code too, except in the two cases the
//! RFC allows: no distance code at all (the block holds only literals) or a single distance code
//! of one bit. Reading bits that are no symbol's code (possible only in those two cases) is an
//! error. zlib also accepts a literal/length code made of one one-bit code, which can only be
//! end-of-block; this inflater rejects it (`slz` never writes it). Stricter than zlib also:
//! reserved symbols (286, 287, distance codes 30, 31) are rejected in fixed blocks too, a match
//! of 258 must use symbol 285 (not 284 with extra bits 31), padding bits (before a stored
//! block's LEN, after the final block) must be zero, and a stored block's NLEN must be ~LEN.
//!
//! The module [`write`] writes deflate data by hand (every header field chosen by the caller),
//! for tests of this inflater and of the checks built on it.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Stored,
    Fixed,
    Dynamic,
}

#[derive(Debug, Clone)]
pub struct Block {
    pub kind: Kind,
    pub last: bool,
    /// Bit position of the 3-bit block header, from the start of the deflate data.
    pub bit_start: usize,
    /// Bit position just after the block (after the end-of-block code or the stored bytes).
    pub bit_end: usize,
    /// The block's bytes in the decoded output.
    pub out_start: usize,
    pub out_end: usize,
    /// A dynamic block's header (`None` for stored and fixed blocks).
    pub header: Option<Header>,
}

/// A dynamic block's header, as sent.
#[derive(Debug, Clone)]
pub struct Header {
    /// Literal/length code lengths sent (257..=286).
    pub hlit: usize,
    /// Distance code lengths sent (1..=30).
    pub hdist: usize,
    /// Code-length code lengths sent (4..=19).
    pub hclen: usize,
    /// The code-length code's lengths, by symbol (0..=18).
    pub cl_lens: [u8; 19],
    /// The literal/length code's lengths (`hlit` of them).
    pub lit_lens: Vec<u8>,
    /// The distance code's lengths (`hdist` of them).
    pub dist_lens: Vec<u8>,
    /// The code-length symbols, in order.
    pub items: Vec<ClItem>,
}

/// One code-length symbol of a dynamic header: a length (0..=15) or a repeat (16, 17, 18).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClItem {
    /// The code-length symbol, 0..=18.
    pub sym: u8,
    /// Index of the first length it sets, counting literal/length lengths then distance ones
    /// (`start >= hlit`: a distance code's length).
    pub start: usize,
    /// How many lengths it sets (1 for 0..=15, 3..=6 for 16, 3..=10 for 17, 11..=138 for 18).
    pub count: usize,
}

impl Header {
    /// The longest literal/length, distance and code-length code.
    pub fn max_lens(&self) -> (u8, u8, u8) {
        let max = |l: &[u8]| l.iter().copied().max().unwrap_or(0);
        (
            max(&self.lit_lens),
            max(&self.dist_lens),
            max(&self.cl_lens),
        )
    }

    /// Number of literal/length and of distance symbols with a code.
    pub fn used(&self) -> (usize, usize) {
        let used = |l: &[u8]| l.iter().filter(|&&x| x != 0).count();
        (used(&self.lit_lens), used(&self.dist_lens))
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Match {
    pub pos: usize,
    pub len: usize,
    pub dist: usize,
}

#[derive(Debug, Default)]
pub struct Inflated {
    pub out: Vec<u8>,
    pub blocks: Vec<Block>,
    pub matches: Vec<Match>,
    /// Literal symbols decoded (bytes of stored blocks not counted).
    pub literals: usize,
    /// Bytes of deflate data used, up to the end of the final block's last byte.
    pub bytes_used: usize,
}

/// LSB-first bit reader with a 64-bit buffer.
struct Bits<'a> {
    data: &'a [u8],
    /// Next byte of `data` to load into `buf`.
    next: usize,
    buf: u64,
    /// Bits in `buf`.
    cnt: u32,
}

impl<'a> Bits<'a> {
    fn new(data: &'a [u8]) -> Self {
        Bits {
            data,
            next: 0,
            buf: 0,
            cnt: 0,
        }
    }

    /// Bit position of the next bit to read.
    fn pos(&self) -> usize {
        self.next * 8 - self.cnt as usize
    }

    /// `n <= 32` bits, first bit least significant (deflate's order for all but Huffman codes).
    fn bits(&mut self, n: u32) -> Result<u32, String> {
        if self.cnt < n {
            self.refill();
            if self.cnt < n {
                return Err(format!(
                    "deflate data ends inside a block (bit {})",
                    self.pos()
                ));
            }
        }
        let v = (self.buf & ((1u64 << n) - 1)) as u32;
        self.buf >>= n;
        self.cnt -= n;
        Ok(v)
    }

    fn bit(&mut self) -> Result<u32, String> {
        self.bits(1)
    }

    fn refill(&mut self) {
        while self.cnt <= 56 && self.next < self.data.len() {
            self.buf |= u64::from(self.data[self.next]) << self.cnt;
            self.next += 1;
            self.cnt += 8;
        }
    }

    /// The next `n <= 32` bits without consuming them; past the end of the data they read as
    /// zeros.
    fn peek(&mut self, n: u32) -> u32 {
        if self.cnt < n {
            self.refill();
        }
        (self.buf & ((1u64 << n) - 1)) as u32
    }

    fn consume(&mut self, n: u32) -> Result<(), String> {
        if self.cnt < n {
            return Err(format!(
                "deflate data ends inside a block (bit {})",
                self.pos()
            ));
        }
        self.buf >>= n;
        self.cnt -= n;
        Ok(())
    }

    /// Skips to the next byte boundary; the skipped bits must be zero.
    fn align_zero(&mut self) -> Result<(), String> {
        let at = self.pos();
        if self.bits(self.cnt % 8)? != 0 {
            return Err(format!("non-zero padding bits at {at}"));
        }
        Ok(())
    }

    /// The next `len` whole bytes (the reader must be byte-aligned).
    fn bytes(&mut self, len: usize) -> Result<&'a [u8], String> {
        debug_assert_eq!(self.cnt % 8, 0);
        let at = self.pos() / 8;
        let b = self
            .data
            .get(at..at + len)
            .ok_or("stored block runs past the data")?;
        self.next = at + len;
        self.buf = 0;
        self.cnt = 0;
        Ok(b)
    }
}

/// Longest code length deflate allows.
const MAX_BITS: usize = 15;

/// A canonical Huffman code (RFC 1951, 3.2.2) built from code lengths, decoded through a table
/// indexed by the next `max_len` bits as read. Bits arrive LSB-first while a code is sent first
/// bit first, so the code of a symbol sits bit-reversed in the low bits of the index, and every
/// index whose low bits hold it maps to that symbol.
struct Huffman {
    /// Length of the longest code (0 if no symbol has a code).
    max_len: u32,
    /// `(symbol, code length)` of the code starting each index; length 0: no symbol has a code
    /// starting with these bits (only in an incomplete code).
    table: Vec<(u16, u8)>,
    /// Number of symbols with a code.
    codes: usize,
    /// Whether the codes use up the whole code space (Kraft sum exactly 1).
    complete: bool,
}

impl Huffman {
    /// The code of `lens` (one length 0..=15 per symbol, 0: no code). Over-subscribed lengths
    /// (more codes than a prefix code can have) are an error; an incomplete code is built and
    /// flagged, and the caller decides whether it is allowed.
    fn new(lens: &[u8]) -> Result<Huffman, String> {
        let mut count = [0usize; MAX_BITS + 1];
        for &len in lens {
            assert!(len as usize <= MAX_BITS, "code length {len}");
            count[len as usize] += 1;
        }
        count[0] = 0;
        // Kraft check: after length `n`, `free` codes of length `n` are left unused by the
        // codes of lengths 1..=n.
        let mut free = 1usize;
        for &c in &count[1..] {
            free = (free * 2)
                .checked_sub(c)
                .ok_or("over-subscribed code lengths")?;
        }
        // First code of each length (RFC 1951, 3.2.2, step 2).
        let mut next = [0u32; MAX_BITS + 1];
        let mut code = 0u32;
        for len in 1..=MAX_BITS {
            code = (code + count[len - 1] as u32) << 1;
            next[len] = code;
        }
        let max_len = lens.iter().copied().max().unwrap_or(0) as u32;
        let mut table = vec![(0u16, 0u8); 1 << max_len];
        for (sym, &len) in lens.iter().enumerate() {
            if len == 0 {
                continue;
            }
            let n = u32::from(len);
            let code = next[len as usize];
            next[len as usize] += 1;
            let rev = code.reverse_bits() >> (32 - n);
            for high in 0..1u32 << (max_len - n) {
                let e = &mut table[(rev | high << n) as usize];
                debug_assert_eq!(e.1, 0, "codes overlap");
                *e = (sym as u16, len);
            }
        }
        Ok(Huffman {
            max_len,
            table,
            codes: count.iter().sum(),
            complete: free == 0,
        })
    }

    /// One symbol.
    fn decode(&self, b: &mut Bits<'_>) -> Result<u32, String> {
        let at = b.pos();
        let (sym, len) = self.table[b.peek(self.max_len) as usize];
        if len == 0 {
            return Err(format!("bit {at}: no symbol has this code"));
        }
        b.consume(u32::from(len))?;
        Ok(u32::from(sym))
    }
}

/// The fixed literal/length code (RFC 1951, 3.2.6): 288 symbols, of which 286/287 are invalid
/// in data.
static FIXED_LITLEN: std::sync::LazyLock<Huffman> =
    std::sync::LazyLock::new(|| Huffman::new(&fixed_litlen_lens()).unwrap());

/// Code lengths of the fixed literal/length code.
fn fixed_litlen_lens() -> [u8; 288] {
    let mut lens = [8u8; 288];
    lens[144..256].fill(9);
    lens[256..280].fill(7);
    lens
}

/// The fixed distance code: 5 bits for each of 32 codes, of which 30/31 are invalid in data.
static FIXED_DIST: std::sync::LazyLock<Huffman> =
    std::sync::LazyLock::new(|| Huffman::new(&[5; 32]).unwrap());

/// Order in which a dynamic header lists the code-length code's lengths (RFC 1951, 3.2.7).
const CL_ORDER: [usize; 19] = [
    16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15,
];

/// Reads a dynamic block's header after BFINAL/BTYPE: the literal/length and distance codes,
/// checked as the module docs say.
fn dynamic_header(b: &mut Bits<'_>) -> Result<(Huffman, Huffman, Header), String> {
    let hlit = b.bits(5)? as usize + 257;
    let hdist = b.bits(5)? as usize + 1;
    let hclen = b.bits(4)? as usize + 4;
    if hlit > 286 {
        return Err(format!("HLIT {hlit} > 286 literal/length codes"));
    }
    if hdist > 30 {
        return Err(format!("HDIST {hdist} > 30 distance codes"));
    }
    let mut cl_lens = [0u8; 19];
    for &sym in &CL_ORDER[..hclen] {
        cl_lens[sym] = b.bits(3)? as u8;
    }
    let cl = Huffman::new(&cl_lens).map_err(|e| format!("code-length code: {e}"))?;
    if !cl.complete {
        return Err("code-length code: incomplete".into());
    }

    // The literal/length and distance code lengths, one sequence (repeats may cross over).
    let total = hlit + hdist;
    let mut lens: Vec<u8> = Vec::with_capacity(total);
    let mut items = Vec::new();
    while lens.len() < total {
        let sym = cl.decode(b)?;
        let (len, repeat) = match sym {
            sym @ 0..=15 => (sym as u8, 1),
            16 => {
                let prev = *lens
                    .last()
                    .ok_or("code-length repeat (16) with no previous length")?;
                (prev, 3 + b.bits(2)? as usize)
            }
            17 => (0, 3 + b.bits(3)? as usize),
            _ => (0, 11 + b.bits(7)? as usize),
        };
        if lens.len() + repeat > total {
            return Err(format!(
                "code-length repeat runs past HLIT + HDIST = {total} lengths"
            ));
        }
        items.push(ClItem {
            sym: sym as u8,
            start: lens.len(),
            count: repeat,
        });
        lens.resize(lens.len() + repeat, len);
    }
    let (lit_lens, dist_lens) = lens.split_at(hlit);

    if lit_lens[256] == 0 {
        return Err("no code for end-of-block".into());
    }
    let lit = Huffman::new(lit_lens).map_err(|e| format!("literal/length code: {e}"))?;
    if !lit.complete {
        return Err("literal/length code: incomplete".into());
    }
    let dist = Huffman::new(dist_lens).map_err(|e| format!("distance code: {e}"))?;
    // Incomplete is allowed only for no distance code at all or a single one-bit code.
    let allowed = dist.complete || dist.codes == 0 || (dist.codes == 1 && dist.max_len == 1);
    if !allowed {
        return Err("distance code: incomplete".into());
    }
    let header = Header {
        hlit,
        hdist,
        hclen,
        cl_lens,
        lit_lens: lit_lens.to_vec(),
        dist_lens: dist_lens.to_vec(),
        items,
    };
    Ok((lit, dist, header))
}

/// Decodes the symbols of a Huffman block up to and including end-of-block, with literal/length
/// code `lit` and distance code `dist`, recording every match.
fn huffman_data(
    b: &mut Bits<'_>,
    res: &mut Inflated,
    lit: &Huffman,
    dist: &Huffman,
) -> Result<(), String> {
    loop {
        let sym = lit.decode(b)?;
        if sym < 256 {
            res.out.push(sym as u8);
            res.literals += 1;
            continue;
        }
        if sym == 256 {
            return Ok(());
        }
        if sym > 285 {
            return Err(format!("invalid length symbol {sym}"));
        }
        let (base, extra) = length_of(sym);
        let len = base + b.bits(extra)? as usize;
        if sym == 284 && len == 258 {
            return Err("length 258 coded with symbol 284".into());
        }
        let dcode = dist.decode(b)?;
        if dcode > 29 {
            return Err(format!("invalid distance code {dcode}"));
        }
        let (dbase, dextra) = dist_of(dcode);
        let d = dbase + b.bits(dextra)? as usize;
        let pos = res.out.len();
        if d > pos {
            return Err(format!("distance {d} before the start (at {pos})"));
        }
        for i in 0..len {
            let byte = res.out[pos - d + i];
            res.out.push(byte);
        }
        res.matches.push(Match { pos, len, dist: d });
    }
}

/// `(base, extra bits)` of length symbol `sym` (257..=285).
fn length_of(sym: u32) -> (usize, u32) {
    if sym == 285 {
        return (258, 0);
    }
    let mut base = 3;
    for s in 257..sym {
        base += 1 << extra_len(s);
    }
    (base, extra_len(sym))
}

fn extra_len(sym: u32) -> u32 {
    let i = sym - 257;
    if i < 8 {
        0
    } else {
        (i - 4) / 4
    }
}

/// `(base, extra bits)` of distance code `code` (0..=29).
fn dist_of(code: u32) -> (usize, u32) {
    let extra = |c: u32| if c < 4 { 0 } else { (c - 2) / 2 };
    let mut base = 1;
    for c in 0..code {
        base += 1 << extra(c);
    }
    (base, extra(code))
}

/// Decodes raw deflate `data`. With `partial`, the data may also stop right after a non-final
/// block at a byte boundary (a stream cut after a sync flush); otherwise it must contain a final
/// block. Bytes after the final block are left alone (`bytes_used` tells where it ended).
pub fn inflate(data: &[u8], partial: bool) -> Result<Inflated, String> {
    let mut b = Bits::new(data);
    let mut res = Inflated::default();
    loop {
        if partial && b.pos() == data.len() * 8 {
            res.bytes_used = data.len();
            return Ok(res);
        }
        let bit_start = b.pos();
        let out_start = res.out.len();
        let last = b.bit()? == 1;
        let mut header = None;
        let kind = match b.bits(2)? {
            0 => {
                b.align_zero()?;
                let len = b.bits(16)?;
                let nlen = b.bits(16)?;
                if len != !nlen & 0xffff {
                    return Err(format!("stored LEN {len:#x} / NLEN {nlen:#x} mismatch"));
                }
                res.out.extend_from_slice(b.bytes(len as usize)?);
                Kind::Stored
            }
            1 => {
                huffman_data(&mut b, &mut res, &FIXED_LITLEN, &FIXED_DIST)?;
                Kind::Fixed
            }
            2 => {
                let (lit, dist, h) = dynamic_header(&mut b)?;
                huffman_data(&mut b, &mut res, &lit, &dist)?;
                header = Some(h);
                Kind::Dynamic
            }
            _ => return Err("reserved block type 3".into()),
        };
        res.blocks.push(Block {
            kind,
            last,
            bit_start,
            bit_end: b.pos(),
            out_start,
            out_end: res.out.len(),
            header,
        });
        if last {
            b.align_zero()?;
            res.bytes_used = b.pos() / 8;
            return Ok(res);
        }
    }
}

/// What a stream was made of, counted over a whole decode.
#[derive(Debug, Default, Clone)]
pub struct Stats {
    pub stored_blocks: usize,
    pub fixed_blocks: usize,
    pub dynamic_blocks: usize,
    /// Literal symbols (bytes of stored blocks not counted).
    pub literals: usize,
    pub matches: usize,
    /// Longest distance of any match (0: none).
    pub max_dist: usize,
    /// `dist_seen[d]`: whether a match at distance `d` (1..=32768) was coded.
    pub dist_seen: Vec<bool>,
    /// `len_seen[l]`: whether a match of length `l` (3..=258) was coded.
    pub len_seen: Vec<bool>,
}

impl Inflated {
    /// The counts of the decode.
    pub fn stats(&self) -> Stats {
        let mut st = Stats {
            literals: self.literals,
            matches: self.matches.len(),
            dist_seen: vec![false; 32769],
            len_seen: vec![false; 259],
            ..Stats::default()
        };
        for b in &self.blocks {
            match b.kind {
                Kind::Stored => st.stored_blocks += 1,
                Kind::Fixed => st.fixed_blocks += 1,
                Kind::Dynamic => st.dynamic_blocks += 1,
            }
        }
        for m in &self.matches {
            st.max_dist = st.max_dist.max(m.dist);
            st.dist_seen[m.dist] = true;
            st.len_seen[m.len] = true;
        }
        st
    }
}

/// Plain Adler-32 (RFC 1950, 8.2): the reference for the zlib trailer and the encoder's fast one.
pub fn adler32(data: &[u8]) -> u32 {
    let (mut a, mut b) = (1u64, 0u64);
    for chunk in data.chunks(4096) {
        for &x in chunk {
            a += u64::from(x);
            b += a;
        }
        a %= 65521;
        b %= 65521;
    }
    (b << 16 | a) as u32
}

/// Hand-made deflate data for the tests: a bit writer and dynamic block headers with every field
/// chosen by the caller, so that malformed headers can be written on purpose. The codes are
/// assigned here by a separate walk over the lengths (RFC 1951, 3.2.2), not with [`Huffman`].
pub mod write {
    /// A complete code-length code: lengths 0..=15 get 5-bit codes, repeat 16 a 2-bit code,
    /// zero runs 17 and 18 3-bit codes (16/32 + 1/4 + 2/8 = 1).
    pub const CL: [u8; 19] = [5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 2, 3, 3];

    /// Bits in stream order.
    #[derive(Default)]
    pub struct BitWriter {
        bits: Vec<u8>,
    }

    impl BitWriter {
        /// `n <= 32` bits of `v`, least significant first (header fields, extra bits).
        pub fn bits(&mut self, v: u32, n: u32) {
            assert!(n <= 32);
            self.bits.extend((0..n).map(|i| (v >> i & 1) as u8));
        }

        /// A Huffman code `(code, n)`, most significant bit first.
        pub fn code(&mut self, (code, n): (u32, u32)) {
            self.bits
                .extend((0..n).rev().map(|i| (code >> i & 1) as u8));
        }

        /// The bytes, the last one padded with zero bits.
        pub fn bytes(&self) -> Vec<u8> {
            self.bits
                .chunks(8)
                .map(|c| c.iter().enumerate().map(|(i, &b)| b << i).sum())
                .collect()
        }
    }

    /// The canonical codes of `lens` as `(code, bits)` (`bits` 0: no code): shortest codes
    /// first, and within a length in symbol order.
    pub fn canonical(lens: &[u8]) -> Vec<(u32, u32)> {
        let mut codes = vec![(0, 0); lens.len()];
        let mut code = 0u32;
        for len in 1..=15u8 {
            for (sym, _) in lens.iter().enumerate().filter(|&(_, &l)| l == len) {
                codes[sym] = (code, u32::from(len));
                code += 1;
            }
            code <<= 1;
        }
        codes
    }

    /// `lens` as code-length symbols `(symbol, extra bits value)`: runs of zeros with 17/18,
    /// other runs as the length then repeats (16).
    pub fn run_lengths(lens: &[u8]) -> Vec<(u32, u32)> {
        let mut items = Vec::new();
        let mut i = 0;
        while i < lens.len() {
            let len = lens[i];
            let run = lens[i..].iter().take_while(|&&l| l == len).count();
            if len == 0 && run >= 11 {
                let n = run.min(138);
                items.push((18, n as u32 - 11));
                i += n;
            } else if len == 0 && run >= 3 {
                let n = run.min(10);
                items.push((17, n as u32 - 3));
                i += n;
            } else {
                items.push((u32::from(len), 0));
                i += 1;
                let mut left = run - 1;
                while left >= 3 {
                    let n = left.min(6);
                    items.push((16, n as u32 - 3));
                    left -= n;
                    i += n;
                }
            }
        }
        items
    }

    /// BFINAL, BTYPE = 10 and a header with the counts `hlit` (257..=288) and `hdist` (1..=32)
    /// as given (also out of range), the code-length code `cl` (HCLEN just covers its last
    /// non-zero length in the header's order, at least 4), then the code-length symbols `items`
    /// as `(symbol, extra bits value)`.
    pub fn dynamic_header(
        w: &mut BitWriter,
        last: bool,
        hlit: usize,
        hdist: usize,
        cl: &[u8; 19],
        items: &[(u32, u32)],
    ) {
        w.bits(u32::from(last), 1);
        w.bits(2, 2);
        w.bits(hlit as u32 - 257, 5);
        w.bits(hdist as u32 - 1, 5);
        let hclen = 1 + super::CL_ORDER
            .iter()
            .rposition(|&s| cl[s] != 0)
            .unwrap_or(0)
            .max(3);
        w.bits(hclen as u32 - 4, 4);
        for &s in &super::CL_ORDER[..hclen] {
            w.bits(u32::from(cl[s]), 3);
        }
        let codes = canonical(cl);
        for &(sym, extra) in items {
            w.code(codes[sym as usize]);
            let n = [2, 3, 7].get((sym as usize).wrapping_sub(16)).copied();
            w.bits(extra, n.unwrap_or(0));
        }
    }

    /// A well-formed header (code-length code [`CL`]) declaring the codes `lit` and `dist`.
    pub fn header(w: &mut BitWriter, last: bool, lit: &[u8], dist: &[u8]) {
        let all: Vec<u8> = lit.iter().chain(dist).copied().collect();
        dynamic_header(w, last, lit.len(), dist.len(), &CL, &run_lengths(&all));
    }

    /// A whole final dynamic block: the header for `lit`/`dist`, then `lits` as literals (or
    /// any symbols of `lit`, end-of-block included, if they are given), then end-of-block.
    pub fn block(lit: &[u8], dist: &[u8], lits: &[u8]) -> Vec<u8> {
        let mut w = BitWriter::default();
        header(&mut w, true, lit, dist);
        let codes = canonical(lit);
        for &c in lits {
            w.code(codes[c as usize]);
        }
        w.code(codes[256]);
        w.bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::write::{self, BitWriter};
    use super::*;

    /// The fixed literal/length code as RFC 1951 3.2.6 lists it: `(code, bits)` of `sym`.
    fn fixed_code(sym: u32) -> (u32, u32) {
        match sym {
            0..=143 => (0x30 + sym, 8),
            144..=255 => (0x190 + sym - 144, 9),
            256..=279 => (sym - 256, 7),
            _ => (0xc0 + sym - 280, 8),
        }
    }

    #[test]
    fn fixed_code_decodes_every_symbol() {
        let canonical = write::canonical(&fixed_litlen_lens());
        for sym in 0..288 {
            let (code, n) = fixed_code(sym);
            // The canonical construction from the lengths gives the codes the RFC lists.
            assert_eq!(canonical[sym as usize], (code, n));
            // The code's bits in stream order (MSB first), packed LSB-first, then junk.
            let mut bits = code.reverse_bits() >> (32 - n);
            bits |= 0b1011 << n;
            let bytes = bits.to_le_bytes();
            let mut b = Bits::new(&bytes);
            assert_eq!(FIXED_LITLEN.decode(&mut b).unwrap(), sym);
            assert_eq!(b.pos(), n as usize);
        }
    }

    #[test]
    fn code_tables_match_rfc1951() {
        assert_eq!(length_of(257), (3, 0));
        assert_eq!(length_of(265), (11, 1));
        assert_eq!(length_of(269), (19, 2));
        assert_eq!(length_of(284), (227, 5));
        assert_eq!(length_of(285), (258, 0));
        assert_eq!(dist_of(0), (1, 0));
        assert_eq!(dist_of(4), (5, 1));
        assert_eq!(dist_of(10), (33, 4));
        assert_eq!(dist_of(29), (24577, 13));
    }

    /// Literal/length lengths of the hand-made blocks: literals 9 bits, end-of-block and length
    /// symbol 257 (length 3) 2 bits each; complete.
    fn lit_lens() -> Vec<u8> {
        let mut l = vec![9u8; 258];
        l[256] = 2;
        l[257] = 2;
        l
    }

    /// "ab", then a match of length 3 at distance 1 with distance code `dsym` (0: distance 1),
    /// then end-of-block, with codes `lit` and `dist`.
    fn block_with_match(lit: &[u8], dist: &[u8], dsym: usize) -> Vec<u8> {
        let mut w = BitWriter::default();
        write::header(&mut w, true, lit, dist);
        let lc = write::canonical(lit);
        let dc = write::canonical(dist);
        w.code(lc[b'a' as usize]);
        w.code(lc[b'b' as usize]);
        w.code(lc[257]);
        w.code(dc[dsym]);
        w.code(lc[256]);
        w.bytes()
    }

    #[test]
    fn accepts_hand_made_dynamic_blocks() {
        // A single one-bit distance code (the RFC's exception to completeness).
        let z = block_with_match(&lit_lens(), &[1], 0);
        let got = inflate(&z, false).unwrap();
        assert_eq!(got.out, b"abbbb");
        assert_eq!(got.blocks[0].kind, Kind::Dynamic);
        assert_eq!((got.matches[0].pos, got.matches[0].len), (2, 3));
        // Two complete distance codes, HDIST 30, HLIT 286 (lengths 0 for 258..=285).
        let mut lit = lit_lens();
        lit.resize(286, 0);
        let mut dist = vec![0u8; 30];
        dist[0] = 1;
        dist[29] = 1;
        assert_eq!(
            inflate(&block_with_match(&lit, &dist, 0), false)
                .unwrap()
                .out,
            b"abbbb"
        );
        // No distance code at all: literals only are fine, a match is not.
        let z = write::block(&lit_lens(), &[0], b"hello");
        assert_eq!(inflate(&z, false).unwrap().out, b"hello");
        let err = inflate(&block_with_match(&lit_lens(), &[0], 0), false).unwrap_err();
        assert!(err.contains("no symbol has this code"), "{err}");
    }

    /// Decoding `z` must fail with a message containing `want`.
    fn rejects(what: &str, z: &[u8], want: &str) {
        match inflate(z, false) {
            Ok(_) => panic!("{what}: accepted"),
            Err(e) => assert!(e.contains(want), "{what}: wrong error {e:?}, want {want:?}"),
        }
    }

    #[test]
    fn rejects_malformed_dynamic_headers() {
        let base = |hlit, hdist, cl: &[u8; 19], items: &[(u32, u32)]| {
            let mut w = BitWriter::default();
            write::dynamic_header(&mut w, true, hlit, hdist, cl, items);
            // Enough further bits that running out of data is never the error.
            w.bits(0, 32);
            w.bits(0, 32);
            w.bytes()
        };
        let good = write::run_lengths(&[lit_lens(), vec![1]].concat());
        // The header is fine as it is (the zero bits after it are end-of-block, code 00).
        assert!(inflate(&base(258, 1, &write::CL, &good), false)
            .unwrap()
            .out
            .is_empty());

        for (hlit, hdist, want) in [
            (287, 1, "HLIT 287"),
            (288, 1, "HLIT 288"),
            (258, 31, "HDIST 31"),
            (258, 32, "HDIST 32"),
        ] {
            rejects(want, &base(hlit, hdist, &write::CL, &good), want);
        }

        // Code-length code: four one-bit codes; or one 3-bit code short of complete.
        let mut over = [0u8; 19];
        over[16..].fill(1);
        over[0] = 1;
        rejects(
            "cl over",
            &base(258, 1, &over, &good),
            "code-length code: over",
        );
        let mut short = write::CL;
        short[18] = 0;
        rejects(
            "cl incomplete",
            &base(258, 1, &short, &good),
            "code-length code: incomplete",
        );

        // Repeat of the previous length with none yet; repeats past HLIT + HDIST (258 + 1).
        let first16 = [&[(16, 0)][..], &good].concat();
        rejects(
            "16 first",
            &base(258, 1, &write::CL, &first16),
            "no previous length",
        );
        let zeros = [(18, 127), (18, 127)];
        rejects("run past", &base(258, 1, &write::CL, &zeros), "runs past");
        // The last two items are the lengths of 257 and of distance 0: 257 of 259 lengths
        // are left; 1 more, then a repeat of 3 is 2 too many.
        let mut past = good.clone();
        past.truncate(past.len() - 2);
        past.extend([(2, 0), (16, 0)]);
        rejects("16 past", &base(258, 1, &write::CL, &past), "runs past");
    }

    #[test]
    fn rejects_bad_literal_length_and_distance_codes() {
        let mut lit = lit_lens();
        lit[257] = 1; // 1/2 + 1/4 + 1/2
        rejects(
            "lit over",
            &write::block(&lit, &[1], b"a"),
            "literal/length code: over",
        );
        lit[257] = 3; // 1/2 + 1/4 + 1/8
        rejects(
            "lit incomplete",
            &write::block(&lit, &[1], b"a"),
            "literal/length code: inc",
        );
        // Complete without end-of-block.
        let mut no_eob = lit_lens();
        no_eob[256] = 0;
        no_eob[257] = 1;
        let mut w = BitWriter::default();
        write::header(&mut w, true, &no_eob, &[1]);
        w.bits(0, 32);
        w.bits(0, 32);
        rejects("no eob", &w.bytes(), "end-of-block");
        // A lone one-bit end-of-block code: zlib takes it, this inflater does not.
        let mut lone = vec![0u8; 257];
        lone[256] = 1;
        rejects(
            "lone eob",
            &write::block(&lone, &[1], b""),
            "literal/length code: inc",
        );
        // Distance codes: three one-bit codes; two two-bit codes (incomplete).
        let z = block_with_match(&lit_lens(), &[1, 1, 1], 0);
        rejects("dist over", &z, "distance code: over");
        let z = block_with_match(&lit_lens(), &[2, 2], 0);
        rejects("dist incomplete", &z, "distance code: inc");
        // The single one-bit distance code's unused code (bit 1).
        let mut w = BitWriter::default();
        write::header(&mut w, true, &lit_lens(), &[1]);
        let lc = write::canonical(&lit_lens());
        w.code(lc[b'a' as usize]);
        w.code(lc[257]);
        w.code((1, 1));
        w.code(lc[256]);
        rejects("unused dist code", &w.bytes(), "no symbol has this code");
    }

    #[test]
    fn rejects_fixed_symbols_286_287_and_distances_30_31() {
        let fixed = |sym: u32, dist: u32| {
            let mut w = BitWriter::default();
            w.bits(1, 1);
            w.bits(1, 2);
            w.code(fixed_code(u32::from(b'x')));
            w.code(fixed_code(sym));
            w.code((dist, 5));
            w.code(fixed_code(256));
            w.bytes()
        };
        assert_eq!(inflate(&fixed(257, 0), false).unwrap().out, b"xxxx");
        rejects("286", &fixed(286, 0), "invalid length symbol 286");
        rejects("287", &fixed(287, 0), "invalid length symbol 287");
        rejects("dist 30", &fixed(257, 30), "invalid distance code 30");
        rejects("dist 31", &fixed(257, 31), "invalid distance code 31");
    }

    #[test]
    fn rejects_length_258_as_symbol_284() {
        // 'a', then length 227 + 31 = 258 with symbol 284 (zlib takes it; RFC 1951 gives 258
        // symbol 285 only); length 227 + 30 is fine. Literals 9 bits (1/2), end-of-block and
        // 284 2 bits each (1/2): complete.
        let mut l = vec![0u8; 285];
        l[..256].fill(9);
        l[256] = 2;
        l[284] = 2;
        let block = |extra: u32| {
            let mut w = BitWriter::default();
            write::header(&mut w, true, &l, &[1]);
            let lc = write::canonical(&l);
            w.code(lc[b'a' as usize]);
            w.code(lc[284]);
            w.bits(extra, 5);
            w.code((0, 1)); // distance 1
            w.code(lc[256]);
            w.bytes()
        };
        let got = inflate(&block(30), false).unwrap();
        assert_eq!(got.out, vec![b'a'; 258]);
        assert!(got.stats().len_seen[257]);
        rejects("284 + 31", &block(31), "length 258 coded with symbol 284");
    }

    #[test]
    fn reports_dynamic_headers_and_stats() {
        // Literals 'a'..='d' 3 bits (1/2), end-of-block and 257 2 bits each (1/2); distance
        // codes 0 and 3 one bit each.
        let mut lit = vec![0u8; 258];
        lit[b'a' as usize..=b'd' as usize].fill(3);
        lit[256] = 2;
        lit[257] = 2;
        let dist = [1u8, 0, 0, 1];
        let mut w = BitWriter::default();
        write::header(&mut w, true, &lit, &dist);
        let lc = write::canonical(&lit);
        let dc = write::canonical(&dist);
        for &c in b"abcd" {
            w.code(lc[c as usize]);
        }
        w.code(lc[257]);
        w.code(dc[3]); // distance 4
        w.code(lc[257]);
        w.code(dc[0]); // distance 1
        w.code(lc[256]);
        let got = inflate(&w.bytes(), false).unwrap();
        assert_eq!(got.out, b"abcdabcccc");
        let h = got.blocks[0]
            .header
            .as_ref()
            .expect("a dynamic block's header");
        assert_eq!((h.hlit, h.hdist), (258, 4));
        assert_eq!(h.lit_lens, lit);
        assert_eq!(h.dist_lens, dist);
        assert_eq!(h.cl_lens, write::CL);
        assert_eq!(h.hclen, 19);
        assert_eq!(h.max_lens(), (3, 1, 5));
        assert_eq!(h.used(), (6, 2));
        // The items are `run_lengths` of the lengths, each at the right place.
        let all: Vec<u8> = lit.iter().chain(&dist).copied().collect();
        let want = write::run_lengths(&all);
        assert_eq!(h.items.len(), want.len());
        let mut at = 0;
        for (it, &(sym, extra)) in h.items.iter().zip(&want) {
            assert_eq!(u32::from(it.sym), sym);
            assert_eq!(it.start, at);
            let n = match sym {
                16 => 3 + extra as usize,
                17 => 3 + extra as usize,
                18 => 11 + extra as usize,
                _ => 1,
            };
            assert_eq!(it.count, n);
            at += n;
        }
        assert_eq!(at, 262);
        // The distance lengths 1, 0, 0, 1 come last: 1, then 0 0 as single lengths, then 1.
        assert_eq!(h.items.last().unwrap().start, 261);
        let st = got.stats();
        assert_eq!(
            (st.dynamic_blocks, st.fixed_blocks, st.stored_blocks),
            (1, 0, 0)
        );
        assert_eq!((st.literals, st.matches, st.max_dist), (4, 2, 4));
        assert!(st.dist_seen[4] && st.dist_seen[1] && !st.dist_seen[2]);
        assert!(st.len_seen[3] && !st.len_seen[4]);
        // Stored and fixed blocks carry no header.
        let fixed = {
            let mut w = BitWriter::default();
            w.bits(1, 1);
            w.bits(1, 2);
            w.code(fixed_code(256));
            w.bytes()
        };
        let got = inflate(&fixed, false).unwrap();
        assert!(got.blocks[0].header.is_none());
        assert_eq!(got.stats().fixed_blocks, 1);
    }

    #[test]
    fn adler32_reference() {
        assert_eq!(adler32(b""), 1);
        assert_eq!(adler32(b"Wikipedia"), 0x11e6_0398);
        let big = vec![0xffu8; 100_000];
        let (mut a, mut b) = (1u64, 0u64);
        for &x in &big {
            a = (a + u64::from(x)) % 65521;
            b = (b + a) % 65521;
        }
        assert_eq!(adler32(&big), (b << 16 | a) as u32);
    }
}
