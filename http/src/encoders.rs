//! The async writer and reader types, generated once for tokio's traits and once for
//! futures-io's (feature `futures-io`): the two differ only in trait paths and in the name of
//! the method that ends a writer (`poll_shutdown` / `poll_close`).

/// Writers: `$name<W>` compresses what is written to it into `W`.
macro_rules! writers {
    ($AsyncWrite:path, $shutdown:ident, $inner_shutdown:ident, $rt:literal, $($name:ident, $format:expr, $what:literal;)*) => {$(
        pin_project_lite::pin_project! {
            #[doc = concat!("An async writer that compresses into a ", $what, " stream written to `W` (", $rt, ").")]
            ///
            /// Memory: an input buffer of `capacity` bytes (16 KiB unless chosen with
            /// `with_capacity`) and an output buffer for the worst case of one full input buffer,
            /// both allocated at construction; writes and flushes never allocate. Data is
            /// compressed one full buffer at a time.
            ///
            #[doc = concat!("`poll_flush` is a sync flush (everything written so far becomes decodable, then the inner writer is flushed); `", stringify!($shutdown), "` finishes the stream (final block and trailer), then shuts the inner writer down.")]
            /// `Pending` or an error from the inner writer loses and duplicates nothing:
            /// compressed bytes not yet accepted stay in the output buffer and go first on the
            /// next call, and the data of a `poll_write` is only taken when it returns
            /// `Ready(Ok(n))`. Writing after shutdown is an `InvalidInput` error. Dropping an
            /// unfinished writer does not finish the stream (that needs the inner writer's I/O).
            #[derive(Debug)]
            pub struct $name<W> {
                #[pin]
                inner: W,
                core: crate::core::Core,
            }
        }

        impl<W> $name<W> {
            #[doc = concat!("A ", $what, " writer into `w` at `level`, with a 16 KiB input buffer.")]
            pub fn new(w: W, level: slz::Level) -> Self {
                Self::with_capacity(w, level, crate::core::DEFAULT_CAPACITY)
            }

            /// Like `new`, with an input buffer of `capacity` bytes (clamped to `1..=1 GiB`).
            pub fn with_capacity(w: W, level: slz::Level, capacity: usize) -> Self {
                Self::with_encoder(w, slz::Encoder::new($format, level), capacity)
            }

            /// Like `with_capacity`, with an encoder set up by the caller (e.g. a gzip header
            /// from `Encoder::with_gzip_header`). Its format is the caller's choice.
            pub fn with_encoder(w: W, encoder: slz::Encoder, capacity: usize) -> Self {
                $name { inner: w, core: crate::core::Core::new(encoder, capacity) }
            }

            /// The inner writer.
            pub fn get_ref(&self) -> &W {
                &self.inner
            }

            /// The inner writer, mutably: writing to it directly corrupts the stream.
            pub fn get_mut(&mut self) -> &mut W {
                &mut self.inner
            }

            /// The inner writer, pinned.
            pub fn get_pin_mut(self: std::pin::Pin<&mut Self>) -> std::pin::Pin<&mut W> {
                self.project().inner
            }

            /// The inner writer; buffered data that was not flushed is dropped.
            pub fn into_inner(self) -> W {
                self.inner
            }

            /// Bytes written into this encoder (including those still buffered).
            pub fn total_in(&self) -> u64 {
                self.core.total_in()
            }

            /// Compressed bytes produced (including those the inner writer has not taken yet).
            pub fn total_out(&self) -> u64 {
                self.core.total_out()
            }

            /// Heap bytes this writer owns (its two buffers), fixed at construction.
            pub fn heap_bytes(&self) -> usize {
                self.core.heap_bytes()
            }
        }

        impl<W: $AsyncWrite> $AsyncWrite for $name<W> {
            fn poll_write(
                self: std::pin::Pin<&mut Self>,
                cx: &mut std::task::Context<'_>,
                buf: &[u8],
            ) -> std::task::Poll<std::io::Result<usize>> {
                let this = self.project();
                let mut inner = this.inner;
                this.core.poll_write(buf, |b| inner.as_mut().poll_write(cx, b))
            }

            fn poll_flush(
                self: std::pin::Pin<&mut Self>,
                cx: &mut std::task::Context<'_>,
            ) -> std::task::Poll<std::io::Result<()>> {
                let this = self.project();
                let mut inner = this.inner;
                std::task::ready!(this
                    .core
                    .poll_flush_with(slz::Flush::Sync, |b| inner.as_mut().poll_write(cx, b)))?;
                inner.poll_flush(cx)
            }

            fn $shutdown(
                self: std::pin::Pin<&mut Self>,
                cx: &mut std::task::Context<'_>,
            ) -> std::task::Poll<std::io::Result<()>> {
                let this = self.project();
                let mut inner = this.inner;
                std::task::ready!(this
                    .core
                    .poll_flush_with(slz::Flush::Finish, |b| inner.as_mut().poll_write(cx, b)))?;
                inner.$inner_shutdown(cx)
            }
        }
    )*};
}

/// Readers: `$name<R>` reads from an `AsyncBufRead` and yields the compressed stream, as
/// `AsyncRead` and `AsyncBufRead`.
macro_rules! readers {
    ($AsyncBufRead:path, $rt:literal, $($name:ident, $format:expr, $what:literal;)*) => {$(
        pin_project_lite::pin_project! {
            #[doc = concat!("An async reader that compresses what it reads from `R` into a ", $what, " stream (", $rt, ").")]
            ///
            /// Memory: an input buffer (16 KiB unless chosen with `with_capacity`) and an
            /// output buffer for the worst case of one full input buffer, allocated at
            /// construction. A full input buffer is compressed at once. When the inner reader
            /// returns `Pending` with input buffered, that input is compressed with a sync
            /// flush and handed out, so a slow stream is passed on promptly. The end of the
            /// inner reader finishes the stream.
            #[derive(Debug)]
            pub struct $name<R> {
                #[pin]
                inner: R,
                core: crate::core::Core,
                eof: bool,
            }
        }

        impl<R> $name<R> {
            #[doc = concat!("A ", $what, " reader over `r` at `level`, with a 16 KiB input buffer.")]
            pub fn new(r: R, level: slz::Level) -> Self {
                Self::with_capacity(r, level, crate::core::DEFAULT_CAPACITY)
            }

            /// Like `new`, with an input buffer of `capacity` bytes (clamped to `1..=1 GiB`).
            pub fn with_capacity(r: R, level: slz::Level, capacity: usize) -> Self {
                Self::with_encoder(r, slz::Encoder::new($format, level), capacity)
            }

            /// Like `with_capacity`, with an encoder set up by the caller.
            pub fn with_encoder(r: R, encoder: slz::Encoder, capacity: usize) -> Self {
                $name { inner: r, core: crate::core::Core::new(encoder, capacity), eof: false }
            }

            /// The inner reader.
            pub fn get_ref(&self) -> &R {
                &self.inner
            }

            /// The inner reader, mutably: reading from it directly loses that data.
            pub fn get_mut(&mut self) -> &mut R {
                &mut self.inner
            }

            /// The inner reader.
            pub fn into_inner(self) -> R {
                self.inner
            }

            /// Bytes read from the inner reader so far.
            pub fn total_in(&self) -> u64 {
                self.core.total_in()
            }

            /// Compressed bytes produced so far.
            pub fn total_out(&self) -> u64 {
                self.core.total_out()
            }
        }

        impl<R: $AsyncBufRead> $name<R> {
            /// Makes compressed output pending, or reaches the end (finished, nothing pending).
            fn poll_fill(
                self: std::pin::Pin<&mut Self>,
                cx: &mut std::task::Context<'_>,
            ) -> std::task::Poll<std::io::Result<()>> {
                let mut this = self.project();
                loop {
                    let core = &mut *this.core;
                    if !core.pending().is_empty() || core.is_finished() {
                        return std::task::Poll::Ready(Ok(()));
                    }
                    if core.input_full() {
                        core.compress(slz::Flush::None)?;
                        continue;
                    }
                    if *this.eof {
                        core.compress(slz::Flush::Finish)?;
                        continue;
                    }
                    match this.inner.as_mut().poll_fill_buf(cx) {
                        std::task::Poll::Ready(Ok(data)) => {
                            if data.is_empty() {
                                *this.eof = true;
                            } else {
                                let n = core.push(data);
                                this.inner.as_mut().consume(n);
                            }
                        }
                        std::task::Poll::Ready(Err(e)) => return std::task::Poll::Ready(Err(e)),
                        std::task::Poll::Pending => {
                            if !core.has_input() {
                                return std::task::Poll::Pending;
                            }
                            core.compress(slz::Flush::Sync)?;
                        }
                    }
                }
            }
        }

        impl<R: $AsyncBufRead> $AsyncBufRead for $name<R> {
            fn poll_fill_buf(
                mut self: std::pin::Pin<&mut Self>,
                cx: &mut std::task::Context<'_>,
            ) -> std::task::Poll<std::io::Result<&[u8]>> {
                std::task::ready!(self.as_mut().poll_fill(cx))?;
                std::task::Poll::Ready(Ok(self.project().core.pending()))
            }

            fn consume(self: std::pin::Pin<&mut Self>, amt: usize) {
                let core = self.project().core;
                let amt = amt.min(core.pending().len());
                // Cannot fail: `amt` is at most what is pending.
                let _ = core.consume(amt);
            }
        }
    )*};
}

pub(crate) use readers;
pub(crate) use writers;
