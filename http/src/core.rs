//! The buffers shared by the async writers and readers: an [`slz::Encoder`], a fixed input
//! buffer and an output buffer that holds the worst case of one `compress` call over a full
//! input buffer. Both are allocated once, at construction.
//!
//! The I/O itself is a closure, so the same code serves tokio's and futures' traits.

use std::io;
use std::task::{ready, Poll};

use slz::{Encoder, Flush};

/// Input buffer capacity unless chosen otherwise: 16 KiB, as `slz::write`.
pub(crate) const DEFAULT_CAPACITY: usize = 16 * 1024;
/// Largest accepted input capacity (1 GiB); larger requests are clamped.
const MAX_CAPACITY: usize = 1 << 30;

/// Invariants: `in_len <= input.len()`, `out_pos <= out_len <= output.len()`, and `compress`
/// runs only when all earlier output has been handed on, so `output` needs room for one call.
pub(crate) struct Core {
    pub(crate) enc: Encoder,
    input: Box<[u8]>,
    in_len: usize,
    output: Box<[u8]>,
    out_pos: usize,
    out_len: usize,
}

impl Core {
    pub(crate) fn new(enc: Encoder, capacity: usize) -> Core {
        let capacity = capacity.clamp(1, MAX_CAPACITY);
        // The documented bound, which holds in every state of the encoder, or the encoder's own
        // answer for its current state if that were ever larger.
        let bound = capacity + 5 * capacity.div_ceil(32768) + 20;
        let out = bound.max(enc.max_output_len(capacity));
        Core {
            enc,
            input: vec![0u8; capacity].into_boxed_slice(),
            in_len: 0,
            output: vec![0u8; out].into_boxed_slice(),
            out_pos: 0,
            out_len: 0,
        }
    }

    pub(crate) fn is_finished(&self) -> bool {
        self.enc.is_finished()
    }

    pub(crate) fn input_full(&self) -> bool {
        self.in_len == self.input.len()
    }

    pub(crate) fn has_input(&self) -> bool {
        self.in_len > 0
    }

    /// Copies as much of `data` as fits into the input buffer; returns how much.
    pub(crate) fn push(&mut self, data: &[u8]) -> usize {
        let space = &mut self.input[self.in_len..];
        let n = space.len().min(data.len());
        space[..n].copy_from_slice(&data[..n]);
        self.in_len += n;
        n
    }

    /// Compressed bytes not handed on yet.
    pub(crate) fn pending(&self) -> &[u8] {
        &self.output[self.out_pos..self.out_len]
    }

    /// Marks `n` bytes of [`Core::pending`] as handed on; a count larger than what was offered
    /// (a broken inner writer) is an error, not a panic.
    pub(crate) fn consume(&mut self, n: usize) -> io::Result<()> {
        if n > self.out_len - self.out_pos {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "inner writer reported more bytes than the buffer it was given",
            ));
        }
        self.out_pos += n;
        Ok(())
    }

    /// Compresses the whole input buffer with `flush` into the (empty) output buffer. On error
    /// nothing changes.
    pub(crate) fn compress(&mut self, flush: Flush) -> io::Result<()> {
        debug_assert!(self.pending().is_empty());
        let n = self
            .enc
            .compress(&self.input[..self.in_len], &mut self.output, flush)
            .map_err(to_io)?;
        self.in_len = 0;
        self.out_pos = 0;
        self.out_len = n;
        Ok(())
    }

    /// Hands pending output to `write` until none is left. `Pending` or an error from `write`
    /// leaves the rest pending: calling again continues where it stopped.
    pub(crate) fn poll_drain(
        &mut self,
        mut write: impl FnMut(&[u8]) -> Poll<io::Result<usize>>,
    ) -> Poll<io::Result<()>> {
        while !self.pending().is_empty() {
            match ready!(write(self.pending())) {
                Ok(0) => {
                    return Poll::Ready(Err(io::Error::new(
                        io::ErrorKind::WriteZero,
                        "inner writer accepted no compressed bytes",
                    )))
                }
                Ok(n) => self.consume(n)?,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Poll::Ready(Err(e)),
            }
        }
        Poll::Ready(Ok(()))
    }

    /// `poll_write`: every step before `data` is taken can return `Pending` or fail and be
    /// retried (pending output first; a full buffer is compressed and written), and only then
    /// is `data` copied in, so nothing is lost or taken twice.
    pub(crate) fn poll_write(
        &mut self,
        data: &[u8],
        mut write: impl FnMut(&[u8]) -> Poll<io::Result<usize>>,
    ) -> Poll<io::Result<usize>> {
        if self.is_finished() {
            return Poll::Ready(Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "write after the compressed stream was shut down",
            )));
        }
        if data.is_empty() {
            return Poll::Ready(Ok(0));
        }
        ready!(self.poll_drain(&mut write))?;
        if self.input_full() {
            self.compress(Flush::None)?;
            ready!(self.poll_drain(&mut write))?;
        }
        Poll::Ready(Ok(self.push(data)))
    }

    /// Compresses what is buffered with `flush` (a sync flush with nothing new writes nothing,
    /// and finishing a finished stream writes nothing, so retries repeat nothing) and writes
    /// it all.
    pub(crate) fn poll_flush_with(
        &mut self,
        flush: Flush,
        mut write: impl FnMut(&[u8]) -> Poll<io::Result<usize>>,
    ) -> Poll<io::Result<()>> {
        ready!(self.poll_drain(&mut write))?;
        if !self.is_finished() {
            self.compress(flush)?;
            ready!(self.poll_drain(&mut write))?;
        }
        Poll::Ready(Ok(()))
    }

    /// Copies pending output into `dst`; returns how much.
    pub(crate) fn take_into(&mut self, dst: &mut [u8]) -> usize {
        let src = self.pending();
        let n = src.len().min(dst.len());
        dst[..n].copy_from_slice(&src[..n]);
        self.out_pos += n;
        n
    }

    pub(crate) fn total_in(&self) -> u64 {
        self.enc.total_in().wrapping_add(self.in_len as u64)
    }

    pub(crate) fn total_out(&self) -> u64 {
        self.enc.total_out()
    }

    /// Heap bytes owned: both buffers.
    pub(crate) fn heap_bytes(&self) -> usize {
        self.input.len() + self.output.len()
    }
}

impl std::fmt::Debug for Core {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Core")
            .field("enc", &self.enc)
            .field("capacity", &self.input.len())
            .field("buffered", &self.in_len)
            .field("pending", &(self.out_len - self.out_pos))
            .finish()
    }
}

/// Maps an encoder error to `io::Error`, keeping it as the source.
pub(crate) fn to_io(e: slz::Error) -> io::Error {
    let kind = match e {
        slz::Error::Finished => io::ErrorKind::InvalidInput,
        _ => io::ErrorKind::Other,
    };
    io::Error::new(kind, e)
}
