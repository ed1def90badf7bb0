//! `stream`: adversarial call sequences on one [`Encoder`].
//!
//! The fuzz input picks the format, starting level and gzip header, then up to 64 operations:
//! compress the next N bytes with any flush and an output buffer of exactly the bound, a smaller
//! one (first; then the call is retried with the bound), or a larger one; switch level; reset;
//! probe the finished state; query the bound. A shadow encoder gets the same calls, always with
//! exactly the bound and never a failing one, and must write the same bytes: so a failed call
//! leaves no trace and the buffer size never changes the output. Every finished stream is decoded
//! by three decoders (`check.rs`).

use slz::{Encoder, Error, Flush, GzipHeader, Level};

use crate::check::{check_stream, check_synced_prefix, documented_bound, Expect};
use crate::gen::{self, Reader};

/// Most input one run compresses, to keep runs fast (a single call can still be 70 000 bytes).
const MAX_TOTAL: usize = 200_000;
const MAX_OPS: usize = 64;
/// What unused output bytes are set to, to see whether anything wrote there.
const SENTINEL: u8 = 0xa5;

struct Stream {
    enc: Encoder,
    shadow: Encoder,
    out: Vec<u8>,
    input: Vec<u8>,
    calls: Vec<usize>,
    /// Something was compressed since the last sync flush (a sync flush then writes a marker).
    dirty: bool,
    header_level: Option<u32>,
    gzip: GzipHeader,
    /// `(output, input)` lengths at the last sync point: what follows decodes on its own.
    synced: Option<(usize, usize)>,
}

impl Stream {
    fn new(enc: Encoder) -> Self {
        Stream {
            gzip: enc.gzip_header(),
            shadow: enc.clone(),
            enc,
            out: Vec::new(),
            input: Vec::new(),
            calls: Vec::new(),
            dirty: false,
            header_level: None,
            synced: None,
        }
    }

    fn expect(&self) -> Expect {
        Expect {
            format: self.enc.format(),
            gzip: self.gzip,
            header_level: self.header_level.unwrap_or(self.enc.level().get()),
        }
    }

    /// One compress call with `chunk`, offering the buffer `mode` says (`r` sizes it).
    fn call(&mut self, r: &mut Reader<'_>, chunk: &[u8], flush: Flush, mode: u8) {
        let enc = &mut self.enc;
        let n = chunk.len();
        if enc.is_finished() {
            assert_eq!(enc.max_output_len(n), 0, "bound after Finish");
            let want = if n == 0 && flush == Flush::Finish {
                Ok(0)
            } else {
                Err(Error::Finished)
            };
            let mut buf = vec![SENTINEL; 64];
            assert_eq!(
                enc.compress(chunk, &mut buf, flush),
                want,
                "call after Finish"
            );
            assert_eq!(self.shadow.compress(chunk, &mut buf, flush), want);
            assert!(buf.iter().all(|&b| b == SENTINEL), "wrote after Finish");
            return;
        }
        // The buffer offered is exactly this call's bound, which is within the bound over all
        // flushes, itself within the documented (HAProxy) allowance.
        let bound = enc.max_output_len_with(n, flush);
        let most = enc.max_output_len(n);
        assert!(
            bound <= most && most as u128 <= documented_bound(n),
            "bound {bound} / {most} for {n}"
        );
        assert_eq!(bound, self.shadow.max_output_len_with(n, flush));
        let (total_in, total_out) = (enc.total_in(), enc.total_out());

        if mode == 1 && bound > 0 {
            let size = r.u16() as usize % bound;
            let mut buf = vec![SENTINEL; size];
            let res = enc.compress(chunk, &mut buf, flush);
            assert_eq!(
                res,
                Err(Error::OutputTooSmall { needed: bound }),
                "buffer of {size} < bound {bound}"
            );
            let msg = res.unwrap_err().to_string();
            assert!(msg.contains(&bound.to_string()), "message {msg:?}");
            assert!(buf.iter().all(|&b| b == SENTINEL), "failed call wrote");
            assert_eq!((enc.total_in(), enc.total_out()), (total_in, total_out));
            assert!(!enc.is_finished());
            assert_eq!(
                enc.max_output_len_with(n, flush),
                bound,
                "bound changed by a failed call"
            );
        }
        let size = match mode {
            2 => bound + 1 + r.u8() as usize,
            3 => 2 * bound + 4096 + r.u16() as usize,
            _ => bound,
        };
        let mut buf = vec![SENTINEL; size];
        let written = enc
            .compress(chunk, &mut buf, flush)
            .unwrap_or_else(|e| panic!("compress {n} bytes, {flush:?}, buffer {size}: {e:?}"));
        assert!(written <= bound, "wrote {written} > bound {bound}");
        // Bytes after `written` are scratch space by contract (`Encoder::compress` docs: the
        // bit writer stores 8 bytes at a time and may rewind a losing Huffman-code attempt); what
        // matters is checked below: `buf[..written]` does not depend on the buffer offered.
        let mut sbuf = vec![0u8; bound];
        let swritten = self.shadow.compress(chunk, &mut sbuf, flush).unwrap();
        assert!(
            buf[..written] == sbuf[..swritten],
            "output depends on the buffer offered or on a failed call"
        );

        if n == 0 && (flush == Flush::None || (flush == Flush::Sync && !self.dirty)) {
            assert_eq!(written, 0, "{flush:?} with nothing new wrote bytes");
        }
        if written > 0 && self.header_level.is_none() {
            self.header_level = Some(enc.level().get());
        }
        if n > 0 {
            self.dirty = true;
        }
        self.calls.push(self.input.len());
        self.input.extend_from_slice(chunk);
        self.out.extend_from_slice(&buf[..written]);
        assert_eq!(enc.total_in(), self.input.len() as u64, "total_in");
        assert_eq!(enc.total_out(), self.out.len() as u64, "total_out");
        match flush {
            Flush::Sync => {
                if self.dirty {
                    let (o, i) = self.synced.unwrap_or((self.enc.format().header_len(), 0));
                    check_synced_prefix(&self.out[o..], &self.input[i..]);
                    self.synced = Some((self.out.len(), self.input.len()));
                }
                self.dirty = false;
            }
            Flush::Finish => {
                assert!(enc.is_finished());
                self.verify();
            }
            Flush::None => {}
        }
    }

    fn verify(&self) {
        check_stream(&self.out, &self.input, &self.calls, &self.expect());
    }
}

pub fn run(data: &[u8]) {
    let mut r = Reader::new(data);
    let b0 = r.u8();
    let format = gen::format(b0);
    let mut enc = Encoder::new(format, gen::level(b0 / 3));
    if b0 >= 240 {
        enc = enc.with_gzip_header(GzipHeader {
            mtime: r.u32(),
            os: r.u8(),
        });
    }
    let mut s = Stream::new(enc);
    let mut total = 0usize;
    let mut ops = 0;
    while !r.is_empty() && ops < MAX_OPS {
        ops += 1;
        let op = r.u8();
        let flush = gen::flush(op >> 4);
        let mode = op >> 6;
        match op & 15 {
            0..=10 => {
                let n = gen::chunk_len(&mut r).min(MAX_TOTAL - total);
                total += n;
                // The chunk is made as a continuation of the stream's input, so that it can
                // copy earlier bytes; then it is split off again.
                let mut buf = std::mem::take(&mut s.input);
                let at = buf.len();
                gen::fill(&mut r, n, &mut buf);
                let chunk = buf.split_off(at);
                s.input = buf;
                s.call(&mut r, &chunk, flush, mode);
            }
            11 | 12 => {
                let n = u32::from(r.u8());
                if n >= 10 {
                    // Out of range: refused, with a message naming the number.
                    assert_eq!(Level::new(n), Err(Error::BadLevel(n)));
                    assert_eq!(Level::try_from(n), Err(Error::BadLevel(n)));
                    assert!(Error::BadLevel(n).to_string().contains(&n.to_string()));
                }
                let level = gen::level(n as u8);
                assert_eq!(Level::new(n % 10), Ok(level));
                s.enc.set_level(level);
                s.shadow.set_level(level);
                assert_eq!(s.enc.level(), level);
                // The C API keeps the encoder as bytes between calls: the same stream must go on.
                let saved = s.enc.to_bytes();
                s.enc = Encoder::from_bytes(&saved).expect("an encoder's own state");
                assert_eq!(s.enc.to_bytes(), saved);
            }
            13 => {
                // Reset must give exactly a new encoder: the shadow is one.
                s.enc.reset();
                assert!(!s.enc.is_finished());
                assert_eq!((s.enc.total_in(), s.enc.total_out()), (0, 0));
                let fresh = Encoder::new(format, s.enc.level()).with_gzip_header(s.gzip);
                s = Stream::new(s.enc.clone());
                s.shadow = fresh;
            }
            14 => {
                // Probe the bound over the whole range of lengths.
                let n = match op >> 4 {
                    0 => usize::MAX - r.u8() as usize,
                    1 => r.u32() as usize,
                    _ => r.u32() as usize * 4096 + r.u8() as usize,
                };
                let bound = s.enc.max_output_len(n);
                if !s.enc.is_finished() {
                    assert!(bound >= n, "bound {bound} below input {n}");
                    assert!(bound as u128 <= documented_bound(n) || bound == usize::MAX);
                }
                // Arbitrary saved-state bytes: refused, or an encoder that keeps its bound.
                let mut state = [0u8; Encoder::STATE_LEN];
                state.iter_mut().for_each(|b| *b = r.u8());
                if op & 0x80 != 0 {
                    state[0] = s.enc.to_bytes()[0]; // the layout tag: get past the first check
                }
                if let Ok(mut other) = Encoder::from_bytes(&state) {
                    let chunk = &s.input[s.input.len().saturating_sub(300)..];
                    let mut buf = vec![0u8; other.max_output_len_with(chunk.len(), flush)];
                    match other.compress(chunk, &mut buf, flush) {
                        Ok(w) => assert!(w <= buf.len()),
                        Err(e) => assert_eq!(e, Error::Finished),
                    }
                }
            }
            _ => s.call(&mut r, &[], flush, mode),
        }
    }
    if !s.enc.is_finished() {
        s.call(&mut r, &[], Flush::Finish, 0);
    }
    // After Finish: an empty Finish writes nothing, anything else is refused.
    for f in [Flush::Finish, Flush::None, Flush::Sync] {
        s.call(&mut r, &[], f, 0);
    }
    s.call(&mut r, b"x", Flush::Finish, 0);
}
