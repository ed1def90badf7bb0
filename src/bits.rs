//! The bit writer: deflate's LSB-first bit stream over a caller's byte slice.
//!
//! Bits gather in a 64-bit accumulator; [`BitWriter::flush`] stores all 8 bytes of it at once
//! (one unaligned store, no loop) and advances by the whole bytes only, so fewer than 8 bits stay
//! pending. Between two flushes at most 56 bits may be added ([`BitWriter::put_raw`]), which the
//! hot loops of level 1 use to batch several codes per flush; [`BitWriter::put`] flushes itself.
//!
//! Room: the 8-byte store is used only when all 8 bytes fit in `out`; within the last 8 bytes
//! the whole pending bytes are written one by one, and bytes that would fall past the end of
//! `out` are dropped (the position still advances). Dropping never loses real output: the
//! encoder checks `max_output_len` before it writes anything, so data that must be kept always
//! fits, and the only writer that may run past the end is a fixed-code block attempt that ends
//! later than its stored form would; such an attempt is rewound and rewritten as a stored block
//! (see `block.rs`), which fits. Bytes past the final position may hold junk from the 8-byte
//! stores; callers only ever use `output[..n]`.

pub(crate) struct BitWriter<'a> {
    out: &'a mut [u8],
    /// Next byte of `out` to write.
    pos: usize,
    /// Pending bits, the oldest in the least significant position.
    acc: u64,
    /// Number of pending bits: `< 8` after a flush, `<= 63` at any time.
    n: u32,
}

/// A saved writer position, to rewind to (see [`BitWriter::mark`]).
#[derive(Clone, Copy)]
pub(crate) struct Mark {
    pos: usize,
    acc: u64,
    n: u32,
}

impl<'a> BitWriter<'a> {
    /// A writer continuing at byte `pos` of `out` with `n < 8` bits `acc` left from before.
    #[inline]
    pub(crate) fn new(out: &'a mut [u8], pos: usize, acc: u8, n: u32) -> Self {
        debug_assert!(n < 8);
        BitWriter {
            out,
            pos,
            acc: acc as u64 & ((1 << n) - 1),
            n,
        }
    }

    /// Moves the writer out of `self`, leaving an empty one behind (so that a hot loop can keep
    /// the writer in a local variable, where the compiler holds it in registers).
    #[inline]
    pub(crate) fn take(&mut self) -> BitWriter<'a> {
        BitWriter {
            out: core::mem::take(&mut self.out),
            pos: self.pos,
            acc: self.acc,
            n: self.n,
        }
    }

    /// Appends the low `bits` bits of `code` without flushing. The caller keeps the total since
    /// the last flush within 56 bits (`code < 2^bits`).
    #[inline(always)]
    pub(crate) fn put_raw(&mut self, code: u64, bits: u32) {
        debug_assert!(self.n + bits <= 63, "{} + {}", self.n, bits);
        debug_assert!(bits == 64 || code >> bits == 0);
        self.acc |= code << self.n;
        self.n += bits;
    }

    /// Writes out every whole pending byte; fewer than 8 bits stay pending.
    #[inline(always)]
    pub(crate) fn flush(&mut self) {
        let pos = self.pos;
        if let Some(dst) = self
            .out
            .get_mut(pos..)
            .and_then(|s| s.first_chunk_mut::<8>())
        {
            *dst = self.acc.to_le_bytes();
        } else {
            flush_tail(self.out, pos, self.acc, self.n);
        }
        let whole = self.n & !7;
        self.pos = pos + (whole >> 3) as usize;
        // `whole <= 56`, so the shift is defined.
        self.acc >>= whole;
        self.n -= whole;
    }

    /// Appends the low `bits` bits of `code` (`bits <= 56`, `code < 2^bits`) and flushes.
    #[inline(always)]
    pub(crate) fn put(&mut self, code: u64, bits: u32) {
        self.put_raw(code, bits);
        self.flush();
    }

    /// The number of bits written so far, counting from the start of `out`.
    #[inline(always)]
    pub(crate) fn bit_position(&self) -> usize {
        self.pos * 8 + self.n as usize
    }

    /// The current position, to come back to with [`Self::rewind`].
    #[inline(always)]
    pub(crate) fn mark(&self) -> Mark {
        Mark {
            pos: self.pos,
            acc: self.acc,
            n: self.n,
        }
    }

    /// Goes back to `m`: everything written since is discarded (and will be overwritten).
    #[inline(always)]
    pub(crate) fn rewind(&mut self, m: Mark) {
        self.pos = m.pos;
        self.acc = m.acc;
        self.n = m.n;
    }

    /// Writes out every whole pending byte; fewer than 8 bits stay pending.
    #[inline]
    pub(crate) fn flush_bytes(&mut self) {
        self.flush();
    }

    /// Pads with zero bits to the next byte boundary and writes every pending byte.
    #[inline]
    pub(crate) fn align(&mut self) {
        self.n = (self.n + 7) & !7;
        self.flush();
    }

    /// Copies `bytes` to the output; the writer must be byte-aligned (after [`Self::align`]).
    #[inline]
    pub(crate) fn put_bytes(&mut self, bytes: &[u8]) {
        debug_assert_eq!(self.n, 0);
        self.out[self.pos..self.pos + bytes.len()].copy_from_slice(bytes);
        self.pos += bytes.len();
    }

    /// `(byte position, pending bits, number of pending bits)`, after [`Self::flush_bytes`].
    #[inline]
    pub(crate) fn finish(self) -> (usize, u8, u32) {
        debug_assert!(self.n < 8);
        debug_assert!(self.pos <= self.out.len());
        (self.pos, self.acc as u8, self.n)
    }
}

/// The whole bytes of `acc` (`n` bits) at `out[pos..]`, one by one, dropping those past the end.
/// Takes the writer's fields by value so that the writer itself never has its address taken (it
/// stays in registers in the hot loops).
#[cold]
#[inline(never)]
fn flush_tail(out: &mut [u8], pos: usize, acc: u64, n: u32) {
    for k in 0..(n / 8) as usize {
        if let Some(b) = out.get_mut(pos + k) {
            *b = (acc >> (8 * k)) as u8;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::BitWriter;

    #[test]
    fn lsb_first_packing() {
        let mut buf = [0u8; 16];
        let mut w = BitWriter::new(&mut buf, 0, 0b1, 1);
        w.put(0b10, 2);
        w.put(0xffff_ffff, 32);
        w.put(0, 5);
        w.align();
        let (pos, _, n) = w.finish();
        assert_eq!((pos, n), (5, 0));
        assert_eq!(buf[..5], [0b1111_1101, 0xff, 0xff, 0xff, 0b0000_0111]);
    }

    #[test]
    fn tail_writes_stay_inside() {
        // Near the end the writer stores byte by byte and drops what does not fit.
        let mut buf = [0u8; 3];
        let mut w = BitWriter::new(&mut buf, 0, 0, 0);
        w.put(0xab_cdef, 24);
        assert_eq!(w.bit_position(), 24);
        w.put(0x1234, 16);
        assert_eq!(w.bit_position(), 40);
        assert_eq!(buf, [0xef, 0xcd, 0xab]);
    }
}
