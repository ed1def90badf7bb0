//! The async encoders over real tokio pipes (`tokio::io::duplex` with tiny buffers, so the
//! inner writer returns `Pending` constantly) and futures-io sinks: round trips through
//! flate2, sync flushes decodable, misuse as errors.

mod common;

use std::time::Duration;

use common::{decode, decode_prefix, sample, Rng, FORMATS};
use slz::{Format, Level};
use slz_http::tokio::{bufread, write};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

fn writer<W: AsyncWrite + Unpin + Send + 'static>(
    format: Format,
    w: W,
    capacity: usize,
) -> Box<dyn AsyncWrite + Unpin + Send> {
    let level = Level::FAST;
    match format {
        Format::Gzip => Box::new(write::GzipEncoder::with_capacity(w, level, capacity)),
        Format::Zlib => Box::new(write::ZlibEncoder::with_capacity(w, level, capacity)),
        Format::Deflate => Box::new(write::DeflateEncoder::with_capacity(w, level, capacity)),
    }
}

fn reader<R: tokio::io::AsyncBufRead + Unpin + Send + 'static>(
    format: Format,
    r: R,
    capacity: usize,
) -> Box<dyn AsyncRead + Unpin + Send> {
    let level = Level::FAST;
    match format {
        Format::Gzip => Box::new(bufread::GzipEncoder::with_capacity(r, level, capacity)),
        Format::Zlib => Box::new(bufread::ZlibEncoder::with_capacity(r, level, capacity)),
        Format::Deflate => Box::new(bufread::DeflateEncoder::with_capacity(r, level, capacity)),
    }
}

/// Writes `data` in random pieces with random flushes through a pipe of `pipe` bytes, read on
/// the other side in random small reads; the stream must decode to `data`.
async fn through_pipe(format: Format, data: &[u8], capacity: usize, pipe: usize, seed: u64) {
    let (a, mut b) = tokio::io::duplex(pipe);
    let reader = tokio::spawn(async move {
        let mut got = Vec::new();
        let mut rng = Rng(seed ^ 0x9e37);
        let mut buf = vec![0u8; 4096];
        loop {
            let want = 1 + rng.below(buf.len());
            let n = b.read(&mut buf[..want]).await.unwrap();
            if n == 0 {
                return got;
            }
            got.extend_from_slice(&buf[..n]);
        }
    });
    let mut enc = writer(format, a, capacity);
    let mut rng = Rng(seed);
    let mut pos = 0;
    while pos < data.len() {
        let n = (1 + rng.below(5000)).min(data.len() - pos);
        // `write` (not `write_all`): a short count must be honoured by the caller.
        let w = enc.write(&data[pos..pos + n]).await.unwrap();
        assert!(w >= 1 && w <= n);
        pos += w;
        if rng.below(8) == 0 {
            enc.flush().await.unwrap();
        }
    }
    enc.shutdown().await.unwrap();
    drop(enc);
    let got = tokio::time::timeout(Duration::from_secs(60), reader)
        .await
        .expect("reader finished")
        .unwrap();
    assert_eq!(
        decode(format, &got),
        data,
        "{format:?} capacity {capacity} pipe {pipe}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn writers_round_trip_through_pending_pipes() {
    let data = sample(300_000, 7);
    for (i, format) in FORMATS.into_iter().enumerate() {
        for (capacity, pipe) in [(16 * 1024, 1), (1000, 7), (1, 64), (100_000, 4096)] {
            let len = if capacity == 1 { 3000 } else { data.len() };
            through_pipe(format, &data[..len], capacity, pipe, 11 + i as u64).await;
        }
    }
}

async fn flush_check<E: AsyncWrite + Unpin>(format: Format, mut enc: E, inner: fn(&E) -> &Vec<u8>) {
    let data = sample(100_000, 3);
    let mut rng = Rng(5);
    let mut pos = 0;
    let mut flushed_len = 0;
    while pos < data.len() {
        let n = (1 + rng.below(20_000)).min(data.len() - pos);
        enc.write_all(&data[pos..pos + n]).await.unwrap();
        pos += n;
        enc.flush().await.unwrap();
        assert_eq!(
            decode_prefix(format, inner(&enc)),
            &data[..pos],
            "{format:?} after flush"
        );
        // A second flush with nothing new writes nothing.
        flushed_len = inner(&enc).len();
        enc.flush().await.unwrap();
        assert_eq!(inner(&enc).len(), flushed_len);
    }
    enc.shutdown().await.unwrap();
    assert!(
        inner(&enc).len() > flushed_len,
        "shutdown writes the trailer"
    );
    assert_eq!(decode(format, inner(&enc)), data);
    // Misuse is an error, not a panic, and writes nothing.
    let err = enc.write_all(b"late").await.unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput);
    let len = inner(&enc).len();
    enc.shutdown().await.unwrap(); // finishing twice is harmless
    enc.flush().await.unwrap();
    assert_eq!(inner(&enc).len(), len);
}

#[tokio::test]
async fn flush_is_a_sync_flush_and_shutdown_finishes() {
    let l = Level::FAST;
    flush_check(Format::Gzip, write::GzipEncoder::new(Vec::new(), l), |e| {
        e.get_ref()
    })
    .await;
    flush_check(Format::Zlib, write::ZlibEncoder::new(Vec::new(), l), |e| {
        e.get_ref()
    })
    .await;
    flush_check(
        Format::Deflate,
        write::DeflateEncoder::new(Vec::new(), l),
        |e| e.get_ref(),
    )
    .await;
}

#[tokio::test]
async fn an_empty_stream_is_valid() {
    for format in FORMATS {
        let (a, mut b) = tokio::io::duplex(64);
        let mut enc = writer(format, a, 16);
        enc.shutdown().await.unwrap();
        drop(enc);
        let mut got = Vec::new();
        b.read_to_end(&mut got).await.unwrap();
        assert!(decode(format, &got).is_empty());
    }
}

/// Readers over a pipe whose writer is slow: the compressed stream decodes to the input, and
/// while the writer waits, what it sent so far comes out decodable (sync flush on `Pending`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readers_round_trip_and_flush_on_pending() {
    let data = sample(200_000, 9);
    for format in FORMATS {
        let (mut a, b) = tokio::io::duplex(1000);
        let (go_on_tx, mut go_on) = tokio::sync::mpsc::channel::<()>(1);
        let to_send = data.clone();
        let writer = tokio::spawn(async move {
            a.write_all(&to_send[..5000]).await.unwrap();
            // Wait until the reader saw the first part, compressed.
            go_on.recv().await.unwrap();
            a.write_all(&to_send[5000..]).await.unwrap();
        });
        let mut enc = reader(
            format,
            tokio::io::BufReader::with_capacity(333, b),
            16 * 1024,
        );
        let mut got = Vec::new();
        let mut buf = [0u8; 1024];
        while decode_prefix(format, &got).len() < 5000 {
            let n = tokio::time::timeout(Duration::from_secs(20), enc.read(&mut buf))
                .await
                .expect("the first part comes out while the writer waits")
                .unwrap();
            assert_ne!(n, 0);
            got.extend_from_slice(&buf[..n]);
        }
        assert_eq!(decode_prefix(format, &got), &data[..5000]);
        go_on_tx.send(()).await.unwrap();
        enc.read_to_end(&mut got).await.unwrap();
        writer.await.unwrap();
        assert_eq!(decode(format, &got), data, "{format:?}");
    }
}

#[cfg(feature = "futures-io")]
#[test]
fn futures_io_writers_and_readers() {
    use futures_util::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let data = sample(70_000, 4);
    futures_util::future::FutureExt::now_or_never(async {
        let l = Level::FAST;
        let mut w = slz_http::futures::write::GzipEncoder::with_capacity(Vec::new(), l, 4096);
        for piece in data.chunks(3000) {
            w.write_all(piece).await.unwrap();
            w.flush().await.unwrap();
            assert_eq!(
                decode_prefix(Format::Gzip, w.get_ref()).len(),
                w.total_in() as usize
            );
        }
        w.close().await.unwrap();
        assert_eq!(decode(Format::Gzip, w.get_ref()), data);
        assert!(w.write_all(b"x").await.is_err());

        let mut z = slz_http::futures::write::ZlibEncoder::new(Vec::new(), l);
        z.write_all(&data).await.unwrap();
        z.close().await.unwrap();
        assert_eq!(decode(Format::Zlib, z.get_ref()), data);

        let src = futures_util::io::Cursor::new(data.clone());
        let mut r = slz_http::futures::bufread::DeflateEncoder::new(src, l);
        let mut out = Vec::new();
        r.read_to_end(&mut out).await.unwrap();
        assert_eq!(decode(Format::Deflate, &out), data);
    })
    .expect("in-memory I/O never waits");
}
