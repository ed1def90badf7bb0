//! A strict, slow, test-only inflater that also reports what the stream is made of.
//!
//! It exists to check properties that ordinary decoders do not expose: which block types were
//! used, which distances and lengths were coded, that no reserved symbol (286, 287, distance
//! codes 30, 31) ever appears, and exactly where the deflate data ends. It rejects anything
//! RFC 1951 forbids instead of tolerating it.

use std::fmt;

/// What a stream was made of.
#[derive(Debug, Default, Clone)]
pub struct Stats {
    pub stored_blocks: usize,
    pub fixed_blocks: usize,
    pub dynamic_blocks: usize,
    pub literals: usize,
    pub matches: usize,
    pub max_dist: usize,
    /// `dist_seen[d]`: whether a match at distance `d` (1..=32768) was coded.
    pub dist_seen: Vec<bool>,
    /// `len_seen[l]`: whether a match of length `l` (3..=258) was coded.
    pub len_seen: Vec<bool>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InflateError(pub String);

impl fmt::Display for InflateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn err<T>(msg: impl Into<String>) -> Result<T, InflateError> {
    Err(InflateError(msg.into()))
}

struct Bits<'a> {
    data: &'a [u8],
    pos: usize,
    bit: u32,
}

impl Bits<'_> {
    fn get(&mut self, n: u32) -> Result<u32, InflateError> {
        let mut v = 0;
        for i in 0..n {
            let Some(&byte) = self.data.get(self.pos) else {
                return err("unexpected end of deflate data");
            };
            v |= ((byte >> self.bit) as u32 & 1) << i;
            self.bit += 1;
            if self.bit == 8 {
                self.bit = 0;
                self.pos += 1;
            }
        }
        Ok(v)
    }

    fn align(&mut self) {
        if self.bit != 0 {
            self.bit = 0;
            self.pos += 1;
        }
    }
}

/// A canonical Huffman code, decoded bit by bit (slow and simple on purpose).
struct Code {
    /// Symbol of the code `c` of length `l`, at index `1 << l | c` (`u16::MAX`: no such code).
    lookup: Vec<u16>,
}

impl Code {
    fn new(lengths: &[u8]) -> Result<Code, InflateError> {
        let mut count = [0u32; 16];
        for &l in lengths {
            count[l as usize] += 1;
        }
        count[0] = 0;
        let mut next = [0u32; 16];
        let mut code = 0;
        let mut left: i64 = 1;
        for bits in 1..16 {
            left = left * 2 - count[bits] as i64;
            if left < 0 {
                return err("over-subscribed Huffman code");
            }
            code = (code + count[bits - 1]) << 1;
            next[bits] = code;
        }
        let mut lookup = vec![u16::MAX; 1 << 16];
        for (sym, &l) in lengths.iter().enumerate() {
            if l != 0 {
                lookup[(1 << l) | next[l as usize] as usize] = sym as u16;
                next[l as usize] += 1;
            }
        }
        Ok(Code { lookup })
    }

    fn decode(&self, bits: &mut Bits<'_>) -> Result<u16, InflateError> {
        let mut code = 0;
        for len in 1..16 {
            code = (code << 1) | bits.get(1)?;
            let sym = self.lookup[(1 << len) | code as usize];
            if sym != u16::MAX {
                return Ok(sym);
            }
        }
        err("invalid Huffman code")
    }
}

const LEN_BASE: [usize; 29] = [
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131,
    163, 195, 227, 258,
];
const LEN_EXTRA: [u32; 29] = [
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
];
const DIST_BASE: [usize; 30] = [
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537,
    2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
];
const DIST_EXTRA: [u32; 30] = [
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13,
    13,
];

fn fixed_codes() -> (Code, Code) {
    let mut lit = [0u8; 288];
    lit[..144].fill(8);
    lit[144..256].fill(9);
    lit[256..280].fill(7);
    lit[280..].fill(8);
    (Code::new(&lit).unwrap(), Code::new(&[5u8; 30]).unwrap())
}

fn dynamic_codes(bits: &mut Bits<'_>) -> Result<(Code, Code), InflateError> {
    let hlit = bits.get(5)? as usize + 257;
    let hdist = bits.get(5)? as usize + 1;
    let hclen = bits.get(4)? as usize + 4;
    if hlit > 286 || hdist > 30 {
        return err("dynamic header declares reserved symbols");
    }
    const ORDER: [usize; 19] = [
        16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15,
    ];
    let mut cl = [0u8; 19];
    for &o in &ORDER[..hclen] {
        cl[o] = bits.get(3)? as u8;
    }
    let clcode = Code::new(&cl)?;
    let mut lengths = vec![0u8; hlit + hdist];
    let mut i = 0;
    while i < lengths.len() {
        let sym = clcode.decode(bits)?;
        let (value, repeat) = match sym {
            0..=15 => (sym as u8, 1),
            16 => {
                if i == 0 {
                    return err("repeat with no previous length");
                }
                (lengths[i - 1], 3 + bits.get(2)? as usize)
            }
            17 => (0, 3 + bits.get(3)? as usize),
            _ => (0, 11 + bits.get(7)? as usize),
        };
        if i + repeat > lengths.len() {
            return err("code lengths overflow");
        }
        lengths[i..i + repeat].fill(value);
        i += repeat;
    }
    if lengths[256] == 0 {
        return err("no end-of-block code");
    }
    Ok((Code::new(&lengths[..hlit])?, Code::new(&lengths[hlit..])?))
}

/// Inflates raw deflate data; returns the output, the statistics, and the number of input bytes
/// the deflate stream occupies (up to and including the byte holding its last bit).
pub fn inflate_raw(data: &[u8]) -> Result<(Vec<u8>, Stats, usize), InflateError> {
    let mut bits = Bits {
        data,
        pos: 0,
        bit: 0,
    };
    let mut out = Vec::new();
    let mut st = Stats {
        dist_seen: vec![false; 32769],
        len_seen: vec![false; 259],
        ..Stats::default()
    };
    let fixed = fixed_codes();
    loop {
        let last = bits.get(1)? == 1;
        match bits.get(2)? {
            0 => {
                bits.align();
                let Some(hdr) = data.get(bits.pos..bits.pos + 4) else {
                    return err("truncated stored header");
                };
                let len = u16::from_le_bytes([hdr[0], hdr[1]]);
                let nlen = u16::from_le_bytes([hdr[2], hdr[3]]);
                if len != !nlen {
                    return err("stored block LEN != ~NLEN");
                }
                bits.pos += 4;
                let Some(body) = data.get(bits.pos..bits.pos + len as usize) else {
                    return err("truncated stored block");
                };
                out.extend_from_slice(body);
                bits.pos += len as usize;
                st.stored_blocks += 1;
            }
            t @ (1 | 2) => {
                let dynamic;
                let (lit, dist) = if t == 1 {
                    st.fixed_blocks += 1;
                    (&fixed.0, &fixed.1)
                } else {
                    st.dynamic_blocks += 1;
                    dynamic = dynamic_codes(&mut bits)?;
                    (&dynamic.0, &dynamic.1)
                };
                loop {
                    let sym = lit.decode(&mut bits)? as usize;
                    if sym < 256 {
                        out.push(sym as u8);
                        st.literals += 1;
                    } else if sym == 256 {
                        break;
                    } else if sym >= 286 {
                        return err(format!("reserved length symbol {sym}"));
                    } else {
                        let i = sym - 257;
                        let len = LEN_BASE[i] + bits.get(LEN_EXTRA[i])? as usize;
                        if sym == 284 && len == 258 {
                            return err("length 258 coded with symbol 284");
                        }
                        let dc = dist.decode(&mut bits)? as usize;
                        if dc >= 30 {
                            return err(format!("reserved distance code {dc}"));
                        }
                        let d = DIST_BASE[dc] + bits.get(DIST_EXTRA[dc])? as usize;
                        if d > out.len() {
                            return err(format!("distance {d} before start of stream"));
                        }
                        for _ in 0..len {
                            out.push(out[out.len() - d]);
                        }
                        st.matches += 1;
                        st.max_dist = st.max_dist.max(d);
                        st.dist_seen[d] = true;
                        st.len_seen[len] = true;
                    }
                }
            }
            _ => return err("reserved block type 3"),
        }
        if last {
            break;
        }
    }
    bits.align();
    Ok((out, st, bits.pos))
}

/// RFC 1950 Adler-32, the slow and obvious way (a reference for the encoder's fast one).
pub fn adler32(data: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for &x in data {
        a = (a + x as u32) % 65521;
        b = (b + a) % 65521;
    }
    b << 16 | a
}

/// Decodes a complete stream of `format` strictly: header fields as this crate promises to write
/// them, exactly one member, checksum and length in the trailer, and nothing after the trailer.
pub fn inflate_strict(format: slz::Format, data: &[u8]) -> Result<(Vec<u8>, Stats), InflateError> {
    let (body, header) = match format {
        slz::Format::Gzip => {
            if data.len() < 18 {
                return err("gzip stream shorter than header + trailer");
            }
            if data[..3] != [0x1f, 0x8b, 8] {
                return err("bad gzip magic or method");
            }
            if data[3] != 0 {
                return err(format!(
                    "gzip FLG {:#x}: reserved or optional fields",
                    data[3]
                ));
            }
            (&data[10..], 10)
        }
        slz::Format::Zlib => {
            if data.len() < 6 {
                return err("zlib stream shorter than header + trailer");
            }
            let (cmf, flg) = (data[0], data[1]);
            if cmf & 15 != 8 || cmf >> 4 > 7 {
                return err("bad zlib CM or CINFO");
            }
            if (u16::from(cmf) << 8 | u16::from(flg)) % 31 != 0 {
                return err("bad zlib FCHECK");
            }
            if flg & 0x20 != 0 {
                return err("zlib FDICT set");
            }
            (&data[2..], 2)
        }
        slz::Format::Deflate => (data, 0),
    };
    let (out, st, used) = inflate_raw(body)?;
    let trailer = &data[header + used..];
    match format {
        slz::Format::Gzip => {
            if trailer.len() != 8 {
                return err(format!(
                    "{} bytes after the deflate data, want 8",
                    trailer.len()
                ));
            }
            let crc = u32::from_le_bytes(trailer[..4].try_into().unwrap());
            let isize = u32::from_le_bytes(trailer[4..].try_into().unwrap());
            if crc != crc32fast::hash(&out) {
                return err("gzip CRC-32 mismatch");
            }
            if isize != out.len() as u32 {
                return err("gzip ISIZE mismatch");
            }
        }
        slz::Format::Zlib => {
            if trailer.len() != 4 {
                return err(format!(
                    "{} bytes after the deflate data, want 4",
                    trailer.len()
                ));
            }
            if u32::from_be_bytes(trailer.try_into().unwrap()) != adler32(&out) {
                return err("zlib Adler-32 mismatch");
            }
        }
        slz::Format::Deflate => {
            if !trailer.is_empty() {
                return err(format!("{} bytes after the deflate data", trailer.len()));
            }
        }
    }
    Ok((out, st))
}
