//! `CompressBody` over a real channel-fed body: prompt sync flushes while the source waits,
//! gathering of frames that arrive together, trailers and errors passed on.

mod common;

use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use common::{decode, decode_prefix, sample};
use http::HeaderMap;
use http_body::{Body, Frame};
use http_body_util::BodyExt;
use slz::Level;
use slz_http::{CompressBody, Encoding};
use tokio::sync::mpsc;

type Item = Result<Frame<Bytes>, std::io::Error>;

/// A body fed through a tokio channel: `Pending` whenever the sender has not sent yet.
struct ChannelBody(mpsc::Receiver<Item>);

impl Body for ChannelBody {
    type Data = Bytes;
    type Error = std::io::Error;
    fn poll_frame(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Item>> {
        self.0.poll_recv(cx)
    }
}

fn channel() -> (mpsc::Sender<Item>, ChannelBody) {
    let (tx, rx) = mpsc::channel(64);
    (tx, ChannelBody(rx))
}

async fn next(
    body: &mut CompressBody<ChannelBody>,
) -> Option<Result<Frame<Bytes>, slz_http::BoxError>> {
    tokio::time::timeout(Duration::from_secs(10), body.frame())
        .await
        .expect("a frame within 10 s")
}

#[tokio::test]
async fn each_event_is_decodable_before_the_next_is_sent() {
    for enc in [Encoding::Gzip, Encoding::Deflate] {
        let (tx, inner) = channel();
        let mut body = CompressBody::new(inner, enc, Level::FAST);
        let mut wire = Vec::new();
        let mut sent = Vec::new();
        for i in 0..20 {
            let event = format!("id: {i}\ndata: {{\"tick\": {i}, \"text\": \"hello hello\"}}\n\n");
            sent.extend_from_slice(event.as_bytes());
            tx.send(Ok(Frame::data(Bytes::from(event)))).await.unwrap();
            // The source now waits: the body must hand out everything so far.
            let frame = next(&mut body).await.unwrap().unwrap();
            wire.extend_from_slice(frame.data_ref().unwrap());
            assert_eq!(
                decode_prefix(enc.format(), &wire),
                sent,
                "{enc:?} event {i}"
            );
        }
        drop(tx);
        while let Some(frame) = next(&mut body).await {
            wire.extend_from_slice(frame.unwrap().data_ref().unwrap());
        }
        assert!(body.is_end_stream());
        assert_eq!(decode(enc.format(), &wire), sent);
    }
}

#[tokio::test]
async fn trailers_follow_the_final_data_frame() {
    let (tx, inner) = channel();
    let data = sample(50_000, 2);
    for piece in data.chunks(7000) {
        tx.send(Ok(Frame::data(Bytes::copy_from_slice(piece))))
            .await
            .unwrap();
    }
    let mut trailers = HeaderMap::new();
    trailers.insert("grpc-status", "0".parse().unwrap());
    tx.send(Ok(Frame::trailers(trailers.clone())))
        .await
        .unwrap();
    // The sender stays open: the trailers alone must end the compressed stream.
    let collected = tokio::time::timeout(
        Duration::from_secs(10),
        CompressBody::new(inner, Encoding::Gzip, Level::FAST).collect(),
    )
    .await
    .expect("the body ends after the trailers")
    .unwrap();
    assert_eq!(collected.trailers(), Some(&trailers));
    assert_eq!(decode(slz::Format::Gzip, &collected.to_bytes()), data);
    drop(tx);
}

#[tokio::test]
async fn errors_of_the_inner_body_are_passed_on() {
    let (tx, inner) = channel();
    let mut body = CompressBody::new(inner, Encoding::Deflate, Level::FAST);
    tx.send(Ok(Frame::data(Bytes::from_static(b"some data"))))
        .await
        .unwrap();
    tx.send(Err(std::io::Error::other("upstream went away")))
        .await
        .unwrap();
    let err = loop {
        match next(&mut body).await.expect("an error before the end") {
            Ok(_) => continue,
            Err(e) => break e,
        }
    };
    assert!(err.to_string().contains("upstream went away"), "{err}");
}

#[tokio::test]
async fn frames_that_arrive_together_are_compressed_together() {
    // 2000 frames of 50 bytes, all ready at once: gathered into 16 KiB calls, not 2000 calls.
    let data = sample(100_000, 5);
    let frames: Vec<Result<Frame<Bytes>, std::io::Error>> = data
        .chunks(50)
        .map(|c| Ok(Frame::data(Bytes::copy_from_slice(c))))
        .collect();
    let inner = http_body_util::StreamBody::new(futures_util::stream::iter(frames));
    let mut body = CompressBody::new(inner, Encoding::Gzip, Level::FAST);
    let mut wire = Vec::new();
    let mut count = 0;
    while let Some(frame) = body.frame().await {
        wire.extend_from_slice(frame.unwrap().data_ref().unwrap());
        count += 1;
    }
    assert!(
        count <= 8,
        "{count} output frames for 100 kB of ready input"
    );
    assert_eq!(decode(slz::Format::Gzip, &wire), data);
    let one_call = slz::compress_to_vec(&data, slz::Format::Gzip, Level::FAST);
    assert!(
        wire.len() < one_call.len() * 11 / 10,
        "{} vs {}",
        wire.len(),
        one_call.len()
    );
}

#[tokio::test]
async fn identity_passes_frames_and_trailers_through() {
    let (tx, inner) = channel();
    tx.send(Ok(Frame::data(Bytes::from_static(b"plain "))))
        .await
        .unwrap();
    tx.send(Ok(Frame::data(Bytes::from_static(b"text"))))
        .await
        .unwrap();
    let mut trailers = HeaderMap::new();
    trailers.insert("x-done", "yes".parse().unwrap());
    tx.send(Ok(Frame::trailers(trailers.clone())))
        .await
        .unwrap();
    drop(tx);
    let body = CompressBody::identity(inner);
    assert!(!body.is_compressing());
    let collected = body.collect().await.unwrap();
    assert_eq!(collected.trailers(), Some(&trailers));
    assert_eq!(&collected.to_bytes()[..], b"plain text");
}
