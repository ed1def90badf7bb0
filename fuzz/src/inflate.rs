//! A small inflater for the two block types `slz` writes (stored and fixed Huffman), written
//! for the checks, not for speed. Unlike the general decoders it reports *where* things are:
//! every block's bit range and decoded range, and every match, so the checks can prove that no
//! match crosses a call boundary, that a fixed block never ends later than the same bytes
//! stored, and that padding bits are zero. A dynamic-Huffman block is an error: `slz` never
//! writes one.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Stored,
    Fixed,
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

    /// The next 9 bits without consuming them; past the end of the data they read as zeros.
    fn peek9(&mut self) -> u32 {
        if self.cnt < 9 {
            self.refill();
        }
        (self.buf & 0x1ff) as u32
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

    /// `1 <= n <= 32` bits, first bit most significant (Huffman codes).
    fn code(&mut self, n: u32) -> Result<u32, String> {
        Ok(self.bits(n)?.reverse_bits() >> (32 - n))
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

/// The fixed literal/length code (RFC 1951, 3.2.6) of `sym` as `(code, bits)`, code MSB-first.
fn fixed_code(sym: u32) -> (u32, u32) {
    match sym {
        0..=143 => (0x30 + sym, 8),
        144..=255 => (0x190 + sym - 144, 9),
        256..=279 => (sym - 256, 7),
        _ => (0xc0 + sym - 280, 8),
    }
}

/// Decoding table of the fixed literal/length code, indexed by the next 9 bits as read
/// (LSB-first): `sym | bits << 9`.
static FIXED: std::sync::LazyLock<[u16; 512]> = std::sync::LazyLock::new(|| {
    let mut t = [0u16; 512];
    for sym in 0..288 {
        let (code, n) = fixed_code(sym);
        let rev = code.reverse_bits() >> (32 - n);
        for high in 0..1u32 << (9 - n) {
            t[(rev | high << n) as usize] = (sym | n << 9) as u16;
        }
    }
    t
});

/// One fixed-code literal/length symbol.
fn fixed_litlen(b: &mut Bits<'_>) -> Result<u32, String> {
    let e = u32::from(FIXED[b.peek9() as usize]);
    b.consume(e >> 9)?;
    Ok(e & 0x1ff)
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
                loop {
                    let sym = fixed_litlen(&mut b)?;
                    if sym < 256 {
                        res.out.push(sym as u8);
                        continue;
                    }
                    if sym == 256 {
                        break;
                    }
                    if sym > 285 {
                        return Err(format!("invalid length symbol {sym}"));
                    }
                    let (base, extra) = length_of(sym);
                    let len = base + b.bits(extra)? as usize;
                    let dcode = b.code(5)?;
                    if dcode > 29 {
                        return Err(format!("invalid distance code {dcode}"));
                    }
                    let (dbase, dextra) = dist_of(dcode);
                    let dist = dbase + b.bits(dextra)? as usize;
                    let pos = res.out.len();
                    if dist > pos {
                        return Err(format!("distance {dist} before the start (at {pos})"));
                    }
                    for i in 0..len {
                        let byte = res.out[pos - dist + i];
                        res.out.push(byte);
                    }
                    res.matches.push(Match { pos, len, dist });
                }
                Kind::Fixed
            }
            2 => return Err("dynamic Huffman block: slz never writes one".into()),
            _ => return Err("reserved block type 3".into()),
        };
        res.blocks.push(Block {
            kind,
            last,
            bit_start,
            bit_end: b.pos(),
            out_start,
            out_end: res.out.len(),
        });
        if last {
            b.align_zero()?;
            res.bytes_used = b.pos() / 8;
            return Ok(res);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_table_decodes_every_symbol() {
        for sym in 0..288 {
            let (code, n) = fixed_code(sym);
            // The code's bits in stream order (MSB first), packed LSB-first, then junk.
            let mut bits = code.reverse_bits() >> (32 - n);
            bits |= 0b1011 << n;
            let bytes = bits.to_le_bytes();
            let mut b = Bits::new(&bytes);
            assert_eq!(fixed_litlen(&mut b).unwrap(), sym);
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
}
