//! Encoders for futures-io's traits (feature `futures-io`): [`write`] (`AsyncWrite`) and
//! [`bufread`] (`AsyncBufRead` in, `AsyncRead` + `AsyncBufRead` out). Same behaviour as
//! [`crate::tokio`]; `poll_close` finishes the stream.

/// Writers: `futures_io::AsyncWrite` in and out.
pub mod write {
    crate::encoders::writers!(::futures_io::AsyncWrite, poll_close, poll_close, "futures-io",
        GzipEncoder, slz::Format::Gzip, "gzip";
        ZlibEncoder, slz::Format::Zlib, "zlib (HTTP `deflate`)";
        DeflateEncoder, slz::Format::Deflate, "raw deflate";
    );
}

/// Readers: compress what a `futures_io::AsyncBufRead` yields.
pub mod bufread {
    crate::encoders::readers!(::futures_io::AsyncBufRead, "futures-io",
        GzipEncoder, slz::Format::Gzip, "gzip";
        ZlibEncoder, slz::Format::Zlib, "zlib (HTTP `deflate`)";
        DeflateEncoder, slz::Format::Deflate, "raw deflate";
    );

    macro_rules! read_impl {
        ($($name:ident)*) => {$(
            impl<R: ::futures_io::AsyncBufRead> ::futures_io::AsyncRead for $name<R> {
                fn poll_read(
                    mut self: std::pin::Pin<&mut Self>,
                    cx: &mut std::task::Context<'_>,
                    buf: &mut [u8],
                ) -> std::task::Poll<std::io::Result<usize>> {
                    if buf.is_empty() {
                        return std::task::Poll::Ready(Ok(0));
                    }
                    std::task::ready!(self.as_mut().poll_fill(cx))?;
                    std::task::Poll::Ready(Ok(self.project().core.take_into(buf)))
                }
            }
        )*};
    }
    read_impl!(GzipEncoder ZlibEncoder DeflateEncoder);
}
