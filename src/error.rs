//! The one error type of the crate.

use core::fmt;

/// Everything that can go wrong when calling the encoder.
///
/// No public function of this crate panics; misuse and bad arguments come back as one of these.
///
/// ```
/// use slz::{Encoder, Error, Flush, Format, Level};
///
/// let mut enc = Encoder::new(Format::Gzip, Level::FAST);
/// let mut small = [0u8; 4];
/// match enc.compress(b"hello", &mut small, Flush::Finish) {
///     Err(Error::OutputTooSmall { needed }) => assert!(needed > 4),
///     other => panic!("unexpected {other:?}"),
/// }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Error {
    /// The output buffer is shorter than [`Encoder::max_output_len`](crate::Encoder::max_output_len)
    /// for this input. Nothing was written and the encoder is exactly as before the call.
    OutputTooSmall {
        /// The output length this call needs (`max_output_len_with(input.len(), flush)`).
        needed: usize,
    },
    /// The stream was already finished with [`Flush::Finish`](crate::Flush::Finish); only
    /// `compress(&[], _, Flush::Finish)` (which writes nothing) is still accepted. Call
    /// [`Encoder::reset`](crate::Encoder::reset) to start a new stream.
    Finished,
    /// A compression level outside `0..=9`.
    BadLevel(u32),
    /// Bytes given to [`Encoder::from_bytes`](crate::Encoder::from_bytes) that no encoder wrote.
    BadState,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::OutputTooSmall { needed } => {
                write!(f, "output buffer too small: this call needs {needed} bytes")
            }
            Error::Finished => f.write_str("the stream is already finished"),
            Error::BadLevel(n) => write!(f, "compression level {n} is out of range 0..=9"),
            Error::BadState => f.write_str("these bytes are not a saved encoder state"),
        }
    }
}

impl core::error::Error for Error {}
