//! [`CompressBody`]: a compressing `http_body::Body`.

use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::{Buf, Bytes, BytesMut};
use http::HeaderMap;
use http_body::{Body, Frame, SizeHint};
use slz::{Encoder, Flush, Level};

use crate::{BoxError, Encoding};

/// Data frames smaller than this that arrive back to back (the inner body has more ready) are
/// gathered and compressed in one call: slz keeps no history between calls, so a call per tiny
/// frame would compress poorly. Frames of at least this size are compressed as they are.
const GATHER: usize = 16 * 1024;

pin_project_lite::pin_project! {
    /// An `http_body::Body` that compresses the data frames of an inner body with slz, or
    /// passes them through unchanged ([`CompressBody::identity`]).
    ///
    /// Each data frame is compressed as it arrives (frames under 16 KiB that arrive while the
    /// inner body has more ready are gathered first). Whenever the inner body returns
    /// `Pending`, everything compressed so far is sync-flushed and sent, so streamed responses
    /// (Server-Sent Events, long polls, chunked JSON) reach the client promptly. The end of the
    /// inner body finishes the stream; its trailers follow the last data frame unchanged; its
    /// errors are passed on.
    ///
    /// Memory between frames: the [`Encoder`] (at most 64 bytes) and nothing on the heap. The
    /// output buffer of a frame is allocated for it (sized by `Encoder::max_output_len`) and
    /// handed on as the frame's `Bytes`.
    ///
    /// ```
    /// use http_body_util::{BodyExt, Full};
    /// use slz_http::{CompressBody, Encoding};
    ///
    /// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
    /// let body = CompressBody::new(Full::new(bytes::Bytes::from("hello hello hello")), Encoding::Gzip, slz::Level::FAST);
    /// let gz = body.collect().await?.to_bytes();
    /// assert_eq!(&gz[..2], &[0x1f, 0x8b]);
    /// # Ok::<(), slz_http::BoxError>(()) }).unwrap();
    /// ```
    #[derive(Debug)]
    pub struct CompressBody<B> {
        #[pin]
        inner: B,
        // `None`: pass-through.
        enc: Option<Encoder>,
        // Small frames gathered while the inner body had more ready; no heap when empty.
        gathered: BytesMut,
        // Something was compressed since the last sync flush.
        dirty: bool,
        // Trailers of the inner body, sent after the final data frame.
        trailers: Option<HeaderMap>,
        // The inner body ended (or sent trailers): it is not polled again.
        inner_done: bool,
    }
}

impl<B> CompressBody<B> {
    /// Compresses `inner` with `encoding` at `level`.
    pub fn new(inner: B, encoding: Encoding, level: Level) -> Self {
        Self::with_encoder(inner, Encoder::new(encoding.format(), level))
    }

    /// Compresses `inner` with an encoder set up by the caller (any format, gzip header).
    pub fn with_encoder(inner: B, encoder: Encoder) -> Self {
        CompressBody {
            inner,
            enc: Some(encoder),
            gathered: BytesMut::new(),
            dirty: false,
            trailers: None,
            inner_done: false,
        }
    }

    /// Passes `inner` through unchanged (its data as `Bytes`).
    pub fn identity(inner: B) -> Self {
        CompressBody {
            inner,
            enc: None,
            gathered: BytesMut::new(),
            dirty: false,
            trailers: None,
            inner_done: false,
        }
    }

    /// Whether this body compresses (false for [`CompressBody::identity`]).
    pub fn is_compressing(&self) -> bool {
        self.enc.is_some()
    }

    /// The inner body.
    pub fn get_ref(&self) -> &B {
        &self.inner
    }

    /// The inner body.
    pub fn into_inner(self) -> B {
        self.inner
    }
}

/// One compression call into a buffer of exactly the bound, handed on as `Bytes`.
fn compress(enc: &mut Encoder, input: &[u8], flush: Flush) -> Result<Bytes, BoxError> {
    let mut out = vec![0u8; enc.max_output_len(input.len())];
    let n = enc.compress(input, &mut out, flush)?;
    out.truncate(n);
    Ok(Bytes::from(out))
}

impl<B> Body for CompressBody<B>
where
    B: Body,
    B::Error: Into<BoxError>,
{
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        let mut this = self.project();
        let Some(enc) = this.enc.as_mut() else {
            // Pass-through.
            return match this.inner.poll_frame(cx) {
                Poll::Ready(Some(Ok(frame))) => Poll::Ready(Some(Ok(
                    frame.map_data(|mut d| d.copy_to_bytes(d.remaining()))
                ))),
                Poll::Ready(Some(Err(e))) => Poll::Ready(Some(Err(e.into()))),
                Poll::Ready(None) => Poll::Ready(None),
                Poll::Pending => Poll::Pending,
            };
        };
        loop {
            if *this.inner_done {
                // The final data frame went out; then the trailers, if any, then the end.
                return Poll::Ready(this.trailers.take().map(|t| Ok(Frame::trailers(t))));
            }
            let frame = match this.inner.as_mut().poll_frame(cx) {
                Poll::Pending => {
                    if this.gathered.is_empty() && !*this.dirty {
                        return Poll::Pending;
                    }
                    let out = compress(enc, this.gathered, Flush::Sync)?;
                    *this.gathered = BytesMut::new();
                    *this.dirty = false;
                    if out.is_empty() {
                        return Poll::Pending;
                    }
                    return Poll::Ready(Some(Ok(Frame::data(out))));
                }
                Poll::Ready(Some(Err(e))) => return Poll::Ready(Some(Err(e.into()))),
                Poll::Ready(None) => None,
                Poll::Ready(Some(Ok(frame))) => Some(frame),
            };
            let frame = match frame {
                None => None,
                Some(frame) => match frame.into_data() {
                    Ok(mut data) => {
                        if !data.has_remaining() {
                            continue;
                        }
                        if this.gathered.is_empty() && data.remaining() >= GATHER {
                            let data = data.copy_to_bytes(data.remaining());
                            let out = compress(enc, &data, Flush::None)?;
                            *this.dirty = true;
                            if out.is_empty() {
                                continue;
                            }
                            return Poll::Ready(Some(Ok(Frame::data(out))));
                        }
                        while data.has_remaining() {
                            let chunk = data.chunk();
                            let n = chunk.len();
                            this.gathered.extend_from_slice(chunk);
                            data.advance(n);
                        }
                        if this.gathered.len() < GATHER {
                            continue;
                        }
                        let out = compress(enc, this.gathered, Flush::None)?;
                        *this.gathered = BytesMut::new();
                        *this.dirty = true;
                        if out.is_empty() {
                            continue;
                        }
                        return Poll::Ready(Some(Ok(Frame::data(out))));
                    }
                    Err(frame) => match frame.into_trailers() {
                        Ok(trailers) => Some(trailers),
                        // A frame kind this crate does not know: nothing to compress.
                        Err(_) => continue,
                    },
                },
            };
            // End of the inner body, or its trailers: finish the stream.
            *this.trailers = frame;
            *this.inner_done = true;
            let out = compress(enc, this.gathered, Flush::Finish)?;
            *this.gathered = BytesMut::new();
            return Poll::Ready(Some(Ok(Frame::data(out))));
        }
    }

    fn is_end_stream(&self) -> bool {
        match self.enc {
            None => self.inner.is_end_stream(),
            Some(_) => self.inner_done && self.trailers.is_none(),
        }
    }

    fn size_hint(&self) -> SizeHint {
        match self.enc {
            None => self.inner.size_hint(),
            Some(_) => SizeHint::default(),
        }
    }
}
