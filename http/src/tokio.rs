//! Encoders for tokio's I/O traits: [`write`] (`AsyncWrite`) and [`bufread`] (`AsyncBufRead`
//! in, `AsyncRead` + `AsyncBufRead` out).

/// Writers: `tokio::io::AsyncWrite` in, `tokio::io::AsyncWrite` out.
///
/// ```
/// use tokio::io::AsyncWriteExt;
/// use slz_http::tokio::write::GzipEncoder;
///
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// let mut enc = GzipEncoder::new(Vec::new(), slz::Level::FAST);
/// enc.write_all(b"data: hello\n\n").await?;
/// enc.flush().await?; // sync flush: a client can decode everything so far
/// enc.shutdown().await?; // final block and gzip trailer
/// let gz = enc.into_inner();
/// assert_eq!(&gz[..2], &[0x1f, 0x8b]);
/// # Ok::<(), std::io::Error>(()) }).unwrap();
/// ```
pub mod write {
    crate::encoders::writers!(::tokio::io::AsyncWrite, poll_shutdown, poll_shutdown, "tokio",
        GzipEncoder, slz::Format::Gzip, "gzip";
        ZlibEncoder, slz::Format::Zlib, "zlib (HTTP `deflate`)";
        DeflateEncoder, slz::Format::Deflate, "raw deflate";
    );
}

/// Readers: compress what an `AsyncBufRead` yields.
///
/// ```
/// use tokio::io::AsyncReadExt;
/// use slz_http::tokio::bufread::ZlibEncoder;
///
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// let mut enc = ZlibEncoder::new(&b"hello hello hello"[..], slz::Level::FAST);
/// let mut z = Vec::new();
/// enc.read_to_end(&mut z).await?;
/// assert_eq!(z[0], 0x78);
/// # Ok::<(), std::io::Error>(()) }).unwrap();
/// ```
pub mod bufread {
    crate::encoders::readers!(::tokio::io::AsyncBufRead, "tokio",
        GzipEncoder, slz::Format::Gzip, "gzip";
        ZlibEncoder, slz::Format::Zlib, "zlib (HTTP `deflate`)";
        DeflateEncoder, slz::Format::Deflate, "raw deflate";
    );

    macro_rules! read_impl {
        ($($name:ident)*) => {$(
            impl<R: ::tokio::io::AsyncBufRead> ::tokio::io::AsyncRead for $name<R> {
                fn poll_read(
                    mut self: std::pin::Pin<&mut Self>,
                    cx: &mut std::task::Context<'_>,
                    buf: &mut ::tokio::io::ReadBuf<'_>,
                ) -> std::task::Poll<std::io::Result<()>> {
                    if buf.remaining() == 0 {
                        return std::task::Poll::Ready(Ok(()));
                    }
                    std::task::ready!(self.as_mut().poll_fill(cx))?;
                    let n = self.project().core.take_into(buf.initialize_unfilled());
                    buf.advance(n);
                    std::task::Poll::Ready(Ok(()))
                }
            }
        )*};
    }
    read_impl!(GzipEncoder ZlibEncoder DeflateEncoder);
}
