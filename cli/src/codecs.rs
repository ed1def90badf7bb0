//! The codecs `slz bench` compares, all writing gzip, each driven through its own API with the
//! same plan of pieces and flushes, and the decoders that check their output.

use std::ffi::CStr;
use std::io::Read;
use std::os::raw::{c_int, c_uint, c_void};

use slz::{Encoder, Flush, Format, Level};

/// How the input is fed: one call for the whole buffer, or pieces of `size` bytes. Every piece
/// but the last is one call with `flush` (`None` or `Sync`); the last piece finishes the stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Plan {
    /// `None`: the whole input in one call.
    pub chunk: Option<usize>,
    pub sync: bool,
}

impl Plan {
    /// The pieces of `input`; an empty input is one empty piece.
    pub fn pieces<'a>(&self, input: &'a [u8]) -> Vec<&'a [u8]> {
        match self.chunk {
            None => vec![input],
            Some(_) if input.is_empty() => vec![input],
            Some(n) => input.chunks(n.max(1)).collect(),
        }
    }

    /// An output size no codec here can exceed for `len` bytes fed by this plan: the input plus
    /// an eighth and 64 bytes per piece (stored-block headers, sync markers, pending bits), plus
    /// the gzip framing. Generous for every codec (slz's own bound is `len + 5 per 32 KiB + 20`
    /// per call; zlib's stored fallback is 5 bytes per 16 KiB).
    pub fn out_bound(&self, len: usize) -> usize {
        let pieces = match self.chunk {
            None => 1,
            Some(n) => len.div_ceil(n.max(1)).max(1),
        };
        len + len / 8 + pieces * 64 + 1024
    }

    pub fn describe(&self) -> String {
        match self.chunk {
            None => "whole files, one call each".to_string(),
            Some(n) => format!(
                "{} pieces, {} after each",
                crate::bench::human_size(n),
                if self.sync { "sync flush" } else { "no flush" }
            ),
        }
    }
}

/// The flush of one call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    None,
    Sync,
    Finish,
}

/// One encoder call of a streaming API: returns (input consumed, output written, stream ended).
pub trait Stream {
    fn call(
        &mut self,
        input: &[u8],
        out: &mut [u8],
        mode: Mode,
    ) -> Result<(usize, usize, bool), String>;
}

/// Feeds `input` to `s` by `plan` and returns the bytes written to `out`.
fn drive(s: &mut impl Stream, input: &[u8], plan: &Plan, out: &mut [u8]) -> Result<usize, String> {
    let pieces = plan.pieces(input);
    let last = pieces.len() - 1;
    let mut pos = 0;
    for (i, piece) in pieces.into_iter().enumerate() {
        let mode = match (i == last, plan.sync) {
            (true, _) => Mode::Finish,
            (false, true) => Mode::Sync,
            (false, false) => Mode::None,
        };
        pos += feed(s, piece, &mut out[pos..], mode)?;
    }
    Ok(pos)
}

/// Gives one piece to `s` with flush `mode`, calling again until the piece is consumed and the
/// flush is complete; returns the bytes written to `out`.
pub fn feed(
    s: &mut impl Stream,
    piece: &[u8],
    out: &mut [u8],
    mode: Mode,
) -> Result<usize, String> {
    let mut rest = piece;
    let mut pos = 0;
    loop {
        let space = out.len() - pos;
        let (used, written, ended) = s.call(rest, &mut out[pos..], mode)?;
        rest = &rest[used..];
        pos += written;
        let done = match mode {
            Mode::None => rest.is_empty(),
            // zlib's rule: a flush is complete when it left room in the output.
            Mode::Sync => rest.is_empty() && written < space,
            Mode::Finish => ended,
        };
        if done {
            return Ok(pos);
        }
        if used == 0 && written == 0 {
            return Err(format!(
                "encoder made no progress ({mode:?}, {space} bytes of room)"
            ));
        }
    }
}

/// Which decoder checks a codec's output: never the codec's own library.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Checker {
    /// flate2's `GzDecoder` over zlib-rs.
    ZlibRs,
    /// libdeflate's gzip decompressor.
    Libdeflate,
}

impl Checker {
    pub fn name(self) -> &'static str {
        match self {
            Checker::ZlibRs => "zlib-rs inflate",
            Checker::Libdeflate => "libdeflate",
        }
    }

    /// Decodes `gz` and compares it with `original`.
    pub fn check(self, gz: &[u8], original: &[u8]) -> Result<(), String> {
        let decoded = match self {
            Checker::ZlibRs => {
                let mut v = Vec::with_capacity(original.len());
                flate2::read::GzDecoder::new(gz)
                    .read_to_end(&mut v)
                    .map_err(|e| format!("{}: {e}", self.name()))?;
                v
            }
            Checker::Libdeflate => {
                let mut v = vec![0u8; original.len()];
                let n = libdeflater::Decompressor::new()
                    .gzip_decompress(gz, &mut v)
                    .map_err(|e| format!("{}: {e:?}", self.name()))?;
                v.truncate(n);
                v
            }
        };
        if decoded != original {
            return Err(format!(
                "{} decoded {} bytes that differ from the {} bytes of input",
                self.name(),
                decoded.len(),
                original.len()
            ));
        }
        Ok(())
    }
}

/// The libraries compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lib {
    Slz,
    MinizOxide,
    ZlibRs,
    Zlib,
    Libdeflate,
}

/// One row of the benchmark: a library at a level.
#[derive(Debug, Clone, Copy)]
pub struct Codec {
    pub lib: Lib,
    pub level: u32,
}

impl Codec {
    /// slz at each implemented level, then the others at levels 1 and 6.
    pub fn all() -> Vec<Codec> {
        let mut v: Vec<Codec> = (0..=9)
            .filter(|&n| Level::new(n).map(|l| l.effective() == n).unwrap_or(false))
            .map(|level| Codec {
                lib: Lib::Slz,
                level,
            })
            .collect();
        for lib in [Lib::MinizOxide, Lib::ZlibRs, Lib::Zlib, Lib::Libdeflate] {
            for level in [1, 6] {
                v.push(Codec { lib, level });
            }
        }
        v
    }

    /// A short stable key for JSON and `--child`: `slz-1`, `zlib-rs-6`, ...
    pub fn key(&self) -> String {
        let lib = match self.lib {
            Lib::Slz => "slz",
            Lib::MinizOxide => "miniz_oxide",
            Lib::ZlibRs => "zlib-rs",
            Lib::Zlib => "zlib",
            Lib::Libdeflate => "libdeflate",
        };
        format!("{lib}-{}", self.level)
    }

    /// What the row really is.
    pub fn label(&self) -> String {
        let l = self.level;
        match self.lib {
            Lib::Slz if l == 0 => "slz -0 (stored blocks)".to_string(),
            Lib::Slz => format!("slz -{l}"),
            Lib::MinizOxide => format!("miniz_oxide -{l} (flate2 default backend)"),
            Lib::ZlibRs => format!("zlib-rs -{l} (flate2 zlib-rs feature)"),
            Lib::Zlib => format!("zlib {} -{l} (C)", zlib_version()),
            Lib::Libdeflate => format!("libdeflate -{l} (C, whole buffer)"),
        }
    }

    /// libdeflate compresses whole buffers only.
    pub fn streaming(&self) -> bool {
        self.lib != Lib::Libdeflate
    }

    pub fn checker(&self) -> Checker {
        match self.lib {
            Lib::ZlibRs => Checker::Libdeflate,
            _ => Checker::ZlibRs,
        }
    }

    /// Compresses `input` as one gzip stream fed by `plan`, into `out` (at least
    /// `plan.out_bound(input.len())` bytes). A new stream each time, as for each new response.
    pub fn compress(&self, input: &[u8], plan: &Plan, out: &mut [u8]) -> Result<usize, String> {
        match self.lib {
            Lib::Slz => drive(&mut SlzStream::new(self.level)?, input, plan, out),
            Lib::MinizOxide => drive(
                &mut GzipFrame::new(MinizStream::new(self.level)),
                input,
                plan,
                out,
            ),
            Lib::ZlibRs => drive(
                &mut GzipFrame::new(ZlibRsStream::new(self.level)),
                input,
                plan,
                out,
            ),
            Lib::Zlib => drive(&mut ZlibStream::new(self.level)?, input, plan, out),
            Lib::Libdeflate => {
                if plan.chunk.is_some() {
                    return Err("libdeflate has no streaming API".to_string());
                }
                let lvl = libdeflater::CompressionLvl::new(self.level as i32)
                    .map_err(|e| format!("libdeflate level {}: {e:?}", self.level))?;
                libdeflater::Compressor::new(lvl)
                    .gzip_compress(input, out)
                    .map_err(|e| format!("libdeflate: {e:?}"))
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// slz

pub struct SlzStream(Encoder);

impl SlzStream {
    pub fn new(level: u32) -> Result<Self, String> {
        let level = Level::new(level).map_err(|e| e.to_string())?;
        Ok(SlzStream(Encoder::new(Format::Gzip, level)))
    }
}

impl Stream for SlzStream {
    fn call(
        &mut self,
        input: &[u8],
        out: &mut [u8],
        mode: Mode,
    ) -> Result<(usize, usize, bool), String> {
        let flush = match mode {
            Mode::None => Flush::None,
            Mode::Sync => Flush::Sync,
            Mode::Finish => Flush::Finish,
        };
        let n = self
            .0
            .compress(input, out, flush)
            .map_err(|e| format!("slz: {e}"))?;
        Ok((input.len(), n, mode == Mode::Finish))
    }
}

// ---------------------------------------------------------------------------------------------
// Raw deflate codecs in a gzip frame, as flate2's GzEncoder does it: a 10-byte header, the raw
// deflate stream, then the CRC-32 (crc32fast) and length.

pub struct GzipFrame<S> {
    inner: S,
    header_done: bool,
    crc: crc32fast::Hasher,
    len: u64,
}

impl<S: Stream> GzipFrame<S> {
    pub fn new(inner: S) -> Self {
        GzipFrame {
            inner,
            header_done: false,
            crc: crc32fast::Hasher::new(),
            len: 0,
        }
    }
}

/// The gzip header flate2's `GzBuilder` writes by default: no name, MTIME 0, OS 255.
const GZIP_HEADER: [u8; 10] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255];

impl<S: Stream> Stream for GzipFrame<S> {
    fn call(
        &mut self,
        input: &[u8],
        out: &mut [u8],
        mode: Mode,
    ) -> Result<(usize, usize, bool), String> {
        let mut pos = 0;
        if !self.header_done {
            if out.len() < GZIP_HEADER.len() {
                return Ok((0, 0, false));
            }
            out[..10].copy_from_slice(&GZIP_HEADER);
            self.header_done = true;
            pos = 10;
        }
        let (used, written, ended) = self.inner.call(input, &mut out[pos..], mode)?;
        self.crc.update(&input[..used]);
        self.len += used as u64;
        pos += written;
        if ended {
            let tail = out
                .get_mut(pos..pos + 8)
                .ok_or("no room for the gzip trailer")?;
            tail[..4].copy_from_slice(&self.crc.clone().finalize().to_le_bytes());
            tail[4..].copy_from_slice(&(self.len as u32).to_le_bytes());
            pos += 8;
        }
        Ok((used, pos, ended))
    }
}

struct MinizStream(Box<miniz_oxide::deflate::core::CompressorOxide>);

impl MinizStream {
    fn new(level: u32) -> Self {
        use miniz_oxide::deflate::core::{create_comp_flags_from_zip_params, CompressorOxide};
        // Negative window bits: raw deflate, as flate2 asks for inside GzEncoder.
        let flags = create_comp_flags_from_zip_params(level as i32, -15, 0);
        MinizStream(Box::new(CompressorOxide::new(flags)))
    }
}

impl Stream for MinizStream {
    fn call(
        &mut self,
        input: &[u8],
        out: &mut [u8],
        mode: Mode,
    ) -> Result<(usize, usize, bool), String> {
        use miniz_oxide::{MZError, MZFlush, MZStatus};
        let flush = match mode {
            Mode::None => MZFlush::None,
            Mode::Sync => MZFlush::Sync,
            Mode::Finish => MZFlush::Finish,
        };
        let r = miniz_oxide::deflate::stream::deflate(&mut self.0, input, out, flush);
        match r.status {
            Ok(MZStatus::StreamEnd) => Ok((r.bytes_consumed, r.bytes_written, true)),
            Ok(_) | Err(MZError::Buf) => Ok((r.bytes_consumed, r.bytes_written, false)),
            Err(e) => Err(format!("miniz_oxide: {e:?}")),
        }
    }
}

pub struct ZlibRsStream(flate2::Compress);

impl ZlibRsStream {
    pub fn new(level: u32) -> Self {
        ZlibRsStream(flate2::Compress::new(
            flate2::Compression::new(level),
            false,
        ))
    }
}

impl Stream for ZlibRsStream {
    fn call(
        &mut self,
        input: &[u8],
        out: &mut [u8],
        mode: Mode,
    ) -> Result<(usize, usize, bool), String> {
        use flate2::{FlushCompress, Status};
        let flush = match mode {
            Mode::None => FlushCompress::None,
            Mode::Sync => FlushCompress::Sync,
            Mode::Finish => FlushCompress::Finish,
        };
        let (in0, out0) = (self.0.total_in(), self.0.total_out());
        let status = self
            .0
            .compress(input, out, flush)
            .map_err(|e| format!("zlib-rs: {e}"))?;
        let used = (self.0.total_in() - in0) as usize;
        let written = (self.0.total_out() - out0) as usize;
        Ok((used, written, status == Status::StreamEnd))
    }
}

// ---------------------------------------------------------------------------------------------
// C zlib through libz-sys, with its own gzip wrapper (window bits 15 + 16).

/// The version string of the C zlib linked in (`1.3.2`, ...).
pub fn zlib_version() -> String {
    // SAFETY: zlibVersion returns a pointer to a static NUL-terminated string.
    unsafe { CStr::from_ptr(libz_sys::zlibVersion()) }
        .to_string_lossy()
        .into_owned()
}

unsafe extern "C" fn zalloc(_opaque: *mut c_void, items: c_uint, size: c_uint) -> *mut c_void {
    // SAFETY: plain malloc; zlib checks for NULL.
    unsafe { libc::malloc(items as usize * size as usize) }
}

unsafe extern "C" fn zfree(_opaque: *mut c_void, ptr: *mut c_void) {
    // SAFETY: `ptr` came from `zalloc` (malloc).
    unsafe { libc::free(ptr) }
}

/// A zlib deflate stream. Boxed: zlib's state points back at the `z_stream`, so it must not move.
pub struct ZlibStream(Box<libz_sys::z_stream>);

impl ZlibStream {
    pub fn new(level: u32) -> Result<Self, String> {
        let mut strm = Box::new(libz_sys::z_stream {
            next_in: std::ptr::null_mut(),
            avail_in: 0,
            total_in: 0,
            next_out: std::ptr::null_mut(),
            avail_out: 0,
            total_out: 0,
            msg: std::ptr::null_mut(),
            state: std::ptr::null_mut(),
            zalloc,
            zfree,
            opaque: std::ptr::null_mut(),
            data_type: 0,
            adler: 0,
            reserved: 0,
        });
        // SAFETY: `strm` is a valid, boxed z_stream with allocator functions; the version and
        // size are the ones this binding was written for.
        let rc = unsafe {
            libz_sys::deflateInit2_(
                &mut *strm,
                level as c_int,
                libz_sys::Z_DEFLATED,
                15 + 16,
                8,
                libz_sys::Z_DEFAULT_STRATEGY,
                libz_sys::zlibVersion(),
                std::mem::size_of::<libz_sys::z_stream>() as c_int,
            )
        };
        if rc != libz_sys::Z_OK {
            return Err(format!("zlib deflateInit2 failed: {rc}"));
        }
        Ok(ZlibStream(strm))
    }
}

impl Stream for ZlibStream {
    fn call(
        &mut self,
        input: &[u8],
        out: &mut [u8],
        mode: Mode,
    ) -> Result<(usize, usize, bool), String> {
        let flush = match mode {
            Mode::None => libz_sys::Z_NO_FLUSH,
            Mode::Sync => libz_sys::Z_SYNC_FLUSH,
            Mode::Finish => libz_sys::Z_FINISH,
        };
        let in_len = input.len().min(c_uint::MAX as usize);
        let out_len = out.len().min(c_uint::MAX as usize);
        let s = &mut *self.0;
        s.next_in = input.as_ptr() as *mut u8;
        s.avail_in = in_len as c_uint;
        s.next_out = out.as_mut_ptr();
        s.avail_out = out_len as c_uint;
        // SAFETY: next_in/next_out point into live slices of the lengths given; zlib reads and
        // writes only within them, and the stream was initialised by deflateInit2_.
        let rc = unsafe { libz_sys::deflate(s, flush) };
        let used = in_len - s.avail_in as usize;
        let written = out_len - s.avail_out as usize;
        s.next_in = std::ptr::null_mut();
        s.next_out = std::ptr::null_mut();
        match rc {
            libz_sys::Z_STREAM_END => Ok((used, written, true)),
            libz_sys::Z_OK | libz_sys::Z_BUF_ERROR => Ok((used, written, false)),
            rc => Err(format!("zlib deflate error {rc}")),
        }
    }
}

impl Drop for ZlibStream {
    fn drop(&mut self) {
        // SAFETY: the stream was initialised by deflateInit2_ and is ended once.
        unsafe { libz_sys::deflateEnd(&mut *self.0) };
    }
}
