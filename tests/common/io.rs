//! Helpers for the `io_*` integration tests: test data, the corpus as `(name, bytes)`, and
//! flate2 decoders for whole streams and for sync-flushed prefixes.

use std::io::{self, Read};

use flate2::{Decompress, FlushDecompress, Status};
use slz::Format;

#[allow(unused_imports)] // each test binary uses a different subset
pub use super::{Rng, FORMATS};

/// `(group/name, contents)` of every corpus file (see [`super::corpus`], which also handles an
/// absent corpus).
pub fn corpus_files() -> Vec<(String, Vec<u8>)> {
    super::corpus()
        .into_iter()
        .map(|f| (format!("{}/{}", f.group, f.name), f.data))
        .collect()
}

/// `len` bytes mixing repetitive text, runs and random noise, so that both fixed-Huffman and
/// stored blocks occur.
pub fn sample_data(rng: &mut Rng, len: usize) -> Vec<u8> {
    const WORDS: [&[u8]; 8] = [
        b"the ",
        b"quick ",
        b"brown ",
        b"fox ",
        b"<div class=\"x\">",
        b"</div>\n",
        b"0123",
        b"; ",
    ];
    let mut out = Vec::with_capacity(len);
    while out.len() < len {
        let n = 1 + rng.below(2000);
        match rng.below(3) {
            0 => (0..n).for_each(|_| out.extend_from_slice(WORDS[rng.below(WORDS.len())])),
            1 => out.extend(std::iter::repeat(rng.next() as u8).take(n)),
            _ => out.extend((0..n).map(|_| rng.next() as u8)),
        }
    }
    out.truncate(len);
    out
}

/// Decodes a complete stream with flate2, requiring that it ends exactly at the end of `data`
/// (checksums and lengths are checked by the decoders).
pub fn decode(format: Format, data: &[u8]) -> io::Result<Vec<u8>> {
    let mut out = Vec::new();
    let rest = match format {
        Format::Gzip => {
            let mut d = flate2::bufread::GzDecoder::new(data);
            d.read_to_end(&mut out)?;
            d.into_inner()
        }
        Format::Zlib => {
            let mut d = flate2::bufread::ZlibDecoder::new(data);
            d.read_to_end(&mut out)?;
            d.into_inner()
        }
        Format::Deflate => {
            let mut d = flate2::bufread::DeflateDecoder::new(data);
            d.read_to_end(&mut out)?;
            d.into_inner()
        }
    };
    if !rest.is_empty() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("{} bytes after the end of the stream", rest.len()),
        ));
    }
    Ok(out)
}

/// After a `flush()` that had new input to flush, the stream must end with a sync marker (an
/// empty stored block, `00 00 ff ff`): decodable is not enough, since a stream cut anywhere
/// inside a fixed-Huffman block may decode to all its literals without being flushed.
pub fn assert_sync_marker(stream: &[u8]) {
    assert!(
        stream.ends_with(&[0, 0, 0xff, 0xff]),
        "no sync marker at the end of a flushed stream of {} bytes",
        stream.len()
    );
}

/// Decodes a stream incrementally: after each sync flush, feed it the stream so far and check
/// that the new bytes decode to exactly the new input.
pub struct PrefixChecker {
    format: Format,
    inflate: Decompress,
    fed: usize,
    decoded: Vec<u8>,
}

impl PrefixChecker {
    pub fn new(format: Format) -> PrefixChecker {
        PrefixChecker {
            format,
            inflate: Decompress::new(format == Format::Zlib),
            fed: 0,
            decoded: Vec::new(),
        }
    }

    /// `stream` is everything written so far (starting with the header); `input` everything
    /// written into the encoder so far. Panics with a description on a mismatch.
    pub fn check(&mut self, stream: &[u8], input: &[u8]) {
        let decoded = self.feed(stream);
        assert!(
            decoded == input,
            "prefix decodes to {} bytes, expected the {} bytes written so far",
            decoded.len(),
            input.len()
        );
    }

    /// Feeds the stream so far (a sync-flushed prefix) and returns everything it decodes to.
    /// Panics if the prefix does not decode completely.
    pub fn feed(&mut self, stream: &[u8]) -> &[u8] {
        if self.format == Format::Gzip && self.fed == 0 {
            if stream.is_empty() {
                return &[];
            }
            assert!(stream.len() >= 10, "gzip header cut short");
            assert_eq!(&stream[..4], &[0x1f, 0x8b, 8, 0], "gzip header");
            self.fed = 10;
        }
        assert!(stream.len() >= self.fed, "the stream shrank");
        loop {
            let (before_in, before_out) = (self.inflate.total_in(), self.inflate.total_out());
            self.decoded.reserve(64 * 1024);
            let status = self
                .inflate
                .decompress_vec(
                    &stream[self.fed..],
                    &mut self.decoded,
                    FlushDecompress::Sync,
                )
                .unwrap_or_else(|e| {
                    panic!("prefix of {} bytes does not decode: {e}", stream.len())
                });
            self.fed += (self.inflate.total_in() - before_in) as usize;
            assert_ne!(status, Status::StreamEnd, "stream ended at a flush");
            let progress =
                self.inflate.total_in() != before_in || self.inflate.total_out() != before_out;
            if !progress
                || (self.fed == stream.len() && self.decoded.len() < self.decoded.capacity())
            {
                break;
            }
        }
        assert_eq!(
            self.fed,
            stream.len(),
            "decoder did not consume the whole prefix"
        );
        &self.decoded
    }
}
