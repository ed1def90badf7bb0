//! The bit writer: deflate's LSB-first bit stream over a caller's byte slice.
//!
//! Invariant: between calls to [`BitWriter::put`] fewer than 32 bits are pending in `acc`, so one
//! `put` of up to 32 bits never overflows the 64-bit accumulator; as soon as 32 or more bits are
//! pending, 4 whole bytes go out. Bytes are only ever written where the output really ends up, so
//! the writer needs no slack past the end of the stream; the caller guarantees room (the encoder
//! checks `max_output_len` before it writes anything, see `encoder.rs`).

pub(crate) struct BitWriter<'a> {
    out: &'a mut [u8],
    /// Next byte of `out` to write.
    pos: usize,
    /// Pending bits, the oldest in the least significant position.
    acc: u64,
    /// Number of pending bits, `< 32` between calls.
    n: u32,
}

impl<'a> BitWriter<'a> {
    /// A writer continuing at byte `pos` of `out` with `n < 8` bits `acc` left from before.
    #[inline]
    pub(crate) fn new(out: &'a mut [u8], pos: usize, acc: u8, n: u32) -> Self {
        BitWriter {
            out,
            pos,
            acc: acc as u64,
            n,
        }
    }

    /// Appends the low `bits` bits of `code` (`bits <= 32`, `code < 2^bits`).
    #[inline(always)]
    pub(crate) fn put(&mut self, code: u32, bits: u32) {
        debug_assert!(bits <= 32 && (bits == 32 || code >> bits == 0));
        self.acc |= (code as u64) << self.n;
        self.n += bits;
        if self.n >= 32 {
            self.out[self.pos..self.pos + 4].copy_from_slice(&(self.acc as u32).to_le_bytes());
            self.pos += 4;
            self.acc >>= 32;
            self.n -= 32;
        }
    }

    /// The number of bits written so far, counting from the start of `out`.
    #[inline]
    pub(crate) fn bit_position(&self) -> usize {
        self.pos * 8 + self.n as usize
    }

    /// Writes out every whole pending byte; fewer than 8 bits stay pending.
    #[inline]
    pub(crate) fn flush_bytes(&mut self) {
        while self.n >= 8 {
            self.out[self.pos] = self.acc as u8;
            self.pos += 1;
            self.acc >>= 8;
            self.n -= 8;
        }
    }

    /// Pads with zero bits to the next byte boundary and writes every pending byte.
    #[inline]
    pub(crate) fn align(&mut self) {
        self.n = (self.n + 7) & !7;
        self.flush_bytes();
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
        (self.pos, self.acc as u8, self.n)
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
}
