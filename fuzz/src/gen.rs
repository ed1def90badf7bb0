//! Turning fuzz bytes into choices and into data.
//!
//! The fuzz input is read front to back by a [`Reader`] that yields zeros once it runs dry, so
//! every input is valid and short inputs still mean something. Data for a compress call comes
//! from the fuzz input itself or from cheap deterministic expansion (repetition, a seeded
//! generator, an LZ-like "copy from earlier" grammar), so that inputs of tens of kilobytes — block
//! and window boundaries — are reachable from a fuzz input of a few bytes.

use slz::{Flush, Format, Level};

/// Sequential reader over the fuzz input; reads past the end give zeros.
pub struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Reader { data, pos: 0 }
    }

    pub fn is_empty(&self) -> bool {
        self.pos >= self.data.len()
    }

    pub fn u8(&mut self) -> u8 {
        let b = self.data.get(self.pos).copied().unwrap_or(0);
        self.pos += 1;
        b
    }

    pub fn u16(&mut self) -> u16 {
        u16::from_le_bytes([self.u8(), self.u8()])
    }

    pub fn u32(&mut self) -> u32 {
        u32::from_le_bytes([self.u8(), self.u8(), self.u8(), self.u8()])
    }

    /// Up to `n` bytes straight from the input (fewer near its end).
    pub fn take(&mut self, n: usize) -> &'a [u8] {
        let start = self.pos.min(self.data.len());
        let end = start.saturating_add(n).min(self.data.len());
        self.pos = end.max(self.pos);
        &self.data[start..end]
    }
}

pub fn format(b: u8) -> Format {
    [Format::Gzip, Format::Zlib, Format::Deflate][b as usize % 3]
}

pub fn level(b: u8) -> Level {
    Level::new(u32::from(b % 10)).expect("0..=9 is a valid level")
}

pub fn flush(b: u8) -> Flush {
    [Flush::None, Flush::Sync, Flush::Finish, Flush::None][b as usize % 4]
}

/// Sizes where the encoder changes behaviour: hash-table classes (512 / 4096 / 16384), the level-1
/// block (32768, also the window), the stored-block limit (65535), twice the window (and the
/// long segments of levels 3-7).
pub const BOUNDARIES: [usize; 9] = [
    512,
    4096,
    16384,
    32768,
    32768 + 258,
    65535,
    65536,
    65536 + 4,
    65536 + 258,
];

/// Largest single call the generators produce.
pub const MAX_CALL: usize = 70_000;

/// A call length: many 0s and 1s, tiny lengths around the 4- and 8-byte loads, anything up to
/// [`MAX_CALL`], and lengths within a few bytes of [`BOUNDARIES`].
pub fn chunk_len(r: &mut Reader<'_>) -> usize {
    let c = r.u8();
    let n = match c & 7 {
        0 => 0,
        1 => 1,
        2 => 2 + (c >> 3) as usize % 15,
        3 => r.u8() as usize,
        4 => r.u16() as usize % 4097,
        5 => {
            let base = BOUNDARIES[(c >> 3) as usize % BOUNDARIES.len()];
            let delta = (r.u8() as i8 as isize) % 9;
            base.saturating_add_signed(delta)
        }
        6 => r.u16() as usize + (c >> 3) as usize * 157,
        _ => r.u16() as usize % 1024,
    };
    n.min(MAX_CALL)
}

/// xorshift64*: deterministic bytes from a seed.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed ^ 0x9e37_79b9_7f4a_7c15 | 1)
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A value in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        ((self.next_u64() >> 32) as usize * n) >> 32
    }
}

/// Appends `n` bytes to `out`, made as the next fuzz bytes choose. Earlier bytes of `out` (the
/// stream's input so far) may be copied, which tempts the encoder to reach across calls.
pub fn fill(r: &mut Reader<'_>, n: usize, out: &mut Vec<u8>) {
    let mode = r.u8();
    let start = out.len();
    match mode % 8 {
        // Straight from the fuzz input, cycled if it runs out.
        0 | 1 => {
            let src = r.take(n);
            cycle(out, src, n);
        }
        // A short pattern repeated (long matches, distances 1..=16).
        2 => {
            let k = 1 + (mode >> 3) as usize % 16;
            let src = r.take(k);
            cycle(out, src, n);
        }
        // Incompressible bytes.
        3 => {
            let mut rng = Rng::new(u64::from(r.u32()));
            out.extend((0..n).map(|_| rng.next_u64() as u8));
        }
        // A small alphabet, biased to the 9-bit literals (>= 144) by default.
        4 => {
            let base = r.u8();
            let k = 1 + r.u8() as usize % 24;
            let mut rng = Rng::new(u64::from(r.u32()));
            out.extend((0..n).map(|_| base.wrapping_add(rng.below(k) as u8)));
        }
        // LZ-like grammar: literals from an alphabet and copies from earlier data.
        5 | 6 => lz_like(r, n, out),
        // One byte repeated.
        _ => out.resize(start + n, r.u8()),
    }
    debug_assert_eq!(out.len(), start + n);
}

fn cycle(out: &mut Vec<u8>, src: &[u8], n: usize) {
    if src.is_empty() {
        out.resize(out.len() + n, 0);
    } else {
        out.extend(src.iter().copied().cycle().take(n));
    }
}

/// Literals and copies, with copy distances near the window (32768) and the 16-bit position wrap
/// of the match finder, and lengths near the 4-byte minimum and the 258-byte maximum.
fn lz_like(r: &mut Reader<'_>, n: usize, out: &mut Vec<u8>) {
    let base = r.u8();
    let alphabet = 1 + r.u8() as usize % 64;
    let copy_pct = r.u8() as usize % 101;
    let mut rng = Rng::new(u64::from(r.u32()));
    let end = out.len() + n;
    while out.len() < end {
        let have = out.len();
        if have > 0 && rng.below(100) < copy_pct {
            let dist = match rng.below(6) {
                0 => 1 + rng.below(8),
                1 => 1 + rng.below(300),
                2 => 32768 - 4 + rng.below(9),
                3 => 65536 - 4 + rng.below(9),
                _ => 1 + rng.below(have),
            }
            .min(have);
            let len = match rng.below(4) {
                0 => 3 + rng.below(4),
                1 => 255 + rng.below(8),
                _ => 1 + rng.below(40),
            }
            .min(end - have);
            for i in 0..len {
                let b = out[have - dist + i];
                out.push(b);
            }
        } else {
            out.push(base.wrapping_add(rng.below(alphabet) as u8));
        }
    }
}
