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

    /// "whole", "16K+sync", "1K": for progress lines.
    pub fn short(&self) -> String {
        match self.chunk {
            None => "whole".to_string(),
            Some(n) => {
                let size = crate::bench::human_size(n)
                    .replace(" KiB", "K")
                    .replace(" MiB", "M")
                    .replace(" B", "B");
                if self.sync {
                    format!("{size}+sync")
                } else {
                    size
                }
            }
        }
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
    /// The per-piece ceiling's output, piece by piece: zlib-rs raw inflate of each piece's
    /// deflate data, the sync markers and the gzip trailer (CRC-32 and length) checked.
    ZlibRsPieces,
}

impl Checker {
    pub fn name(self) -> &'static str {
        match self {
            Checker::ZlibRs => "zlib-rs inflate",
            Checker::Libdeflate => "libdeflate",
            Checker::ZlibRsPieces => "zlib-rs raw inflate per piece",
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
            Checker::ZlibRsPieces => inflate_pieces(gz, original.len())?,
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
    ZlibNg,
    Isal,
    /// libslz, the C original (HAProxy's copy), levels 0 and 1.
    Libslz,
    Libdeflate,
    /// libdeflate on each piece on its own: a reference, not a stream.
    LibdeflatePieces,
}

/// One row of the benchmark: a library at a level.
#[derive(Debug, Clone, Copy)]
pub struct Codec {
    pub lib: Lib,
    pub level: u32,
}

impl Codec {
    /// slz at `slz_levels`, then the others: miniz_oxide, zlib-rs, C zlib and zlib-ng at levels
    /// 1 and 6, ISA-L igzip at 0-3 (when built), libslz at 0 and 1 (when built), libdeflate at 1
    /// and 6 (whole files), and the
    /// per-piece ceiling, libdeflate at 1, 6 and 12 (piece modes). Rows whose library was not
    /// built are left out (see [`missing_libs`]).
    pub fn all(slz_levels: &[u32]) -> Vec<Codec> {
        let mut v: Vec<Codec> = slz_levels
            .iter()
            .map(|&level| Codec {
                lib: Lib::Slz,
                level,
            })
            .collect();
        let others: [(Lib, &[u32]); 8] = [
            (Lib::MinizOxide, &[1, 6]),
            (Lib::ZlibRs, &[1, 6]),
            // C zlib -9 too: the reference level 9 is measured against.
            (Lib::Zlib, &[1, 6, 9]),
            (Lib::ZlibNg, &[1, 6]),
            (Lib::Isal, &[0, 1, 2, 3]),
            (Lib::Libslz, &[0, 1]),
            (Lib::Libdeflate, &[1, 6]),
            (Lib::LibdeflatePieces, &[1, 6, 12]),
        ];
        for (lib, levels) in others {
            if lib_built(lib) {
                v.extend(levels.iter().map(|&level| Codec { lib, level }));
            }
        }
        v
    }

    /// Whether this row runs with this plan: libdeflate's whole-buffer rows only on whole files,
    /// the per-piece ceiling only on pieces.
    pub fn runs_with(&self, plan: &Plan) -> bool {
        match self.lib {
            Lib::Libdeflate => plan.chunk.is_none(),
            Lib::LibdeflatePieces => plan.chunk.is_some(),
            _ => true,
        }
    }

    /// Bytes of memory one open stream of this codec holds, where known: slz's `Encoder`, and
    /// for the others what their allocators were asked for while one stream was created and fed
    /// a 16 KiB piece (see [`crate::alloc_count`]). `None` for libdeflate, which is not a stream.
    pub fn stream_memory(&self) -> Option<usize> {
        if matches!(self.lib, Lib::Libdeflate | Lib::LibdeflatePieces) {
            return None;
        }
        if self.lib == Lib::Slz {
            return Some(std::mem::size_of::<Encoder>());
        }
        #[cfg(slz_isal)]
        if self.lib == Lib::Isal {
            return Some(isal::stream_bytes(self.level));
        }
        #[cfg(slz_libslz)]
        if self.lib == Lib::Libslz {
            return Some(libslz::stream_bytes());
        }
        let piece = crate::sample::generate(16 * 1024)
            .into_iter()
            .next()
            .map(|f| f.data)
            .unwrap_or_default();
        let plan = Plan {
            chunk: Some(piece.len().max(1)),
            sync: true,
        };
        let mut out = vec![0u8; plan.out_bound(piece.len())];
        let before = crate::alloc_count::allocated();
        self.compress(&piece, &plan, &mut out).ok()?;
        Some(crate::alloc_count::allocated() - before)
    }

    /// A short stable key for JSON and `--child`: `slz-1`, `zlib-rs-6`, ...
    pub fn key(&self) -> String {
        let lib = match self.lib {
            Lib::Slz => "slz",
            Lib::MinizOxide => "miniz_oxide",
            Lib::ZlibRs => "zlib-rs",
            Lib::Zlib => "zlib",
            Lib::ZlibNg => "zlib-ng",
            Lib::Isal => "igzip",
            Lib::Libslz => "libslz",
            Lib::Libdeflate => "libdeflate",
            Lib::LibdeflatePieces => "libdeflate-piece",
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
            Lib::ZlibRs => format!("zlib-rs -{l} (flate2, runtime CPU detection)"),
            Lib::Zlib => format!("zlib {} -{l} (C)", zlib_version()),
            Lib::ZlibNg => format!("zlib-ng {} -{l} (C, native API)", zlib_ng_version()),
            Lib::Isal => format!("igzip -{l} (ISA-L {})", isal_version()),
            Lib::Libslz => format!("libslz -{l} (C, HAProxy {}'s copy)", libslz_version()),
            Lib::Libdeflate => format!("libdeflate -{l} (C, whole buffer)"),
            Lib::LibdeflatePieces => {
                format!("libdeflate -{l} per piece (ceiling, not a stream)")
            }
        }
    }

    pub fn checker(&self) -> Checker {
        match self.lib {
            Lib::ZlibRs => Checker::Libdeflate,
            Lib::LibdeflatePieces => Checker::ZlibRsPieces,
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
            #[cfg(feature = "zlib-ng")]
            Lib::ZlibNg => drive(&mut zng::ZngStream::new(self.level)?, input, plan, out),
            #[cfg(slz_isal)]
            Lib::Isal => drive(&mut isal::IsalStream::new(self.level)?, input, plan, out),
            #[cfg(not(feature = "zlib-ng"))]
            Lib::ZlibNg => Err("zlib-ng was not built".to_string()),
            #[cfg(not(slz_isal))]
            Lib::Isal => Err("ISA-L was not built".to_string()),
            #[cfg(slz_libslz)]
            Lib::Libslz => drive(
                &mut libslz::LibslzStream::new(self.level)?,
                input,
                plan,
                out,
            ),
            #[cfg(not(slz_libslz))]
            Lib::Libslz => Err("libslz was not built".to_string()),
            Lib::LibdeflatePieces => per_piece(input, plan, self.level, out),
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
    crate::alloc_count::add(items as usize * size as usize);
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

// ---------------------------------------------------------------------------------------------
// Which libraries this binary was built with, and their versions.

/// Whether `lib` is in this build (zlib-ng is a cargo feature, ISA-L and libslz are found at
/// build time).
pub fn lib_built(lib: Lib) -> bool {
    let (zlib_ng, isal, libslz) = (cfg!(feature = "zlib-ng"), cfg!(slz_isal), cfg!(slz_libslz));
    match lib {
        Lib::ZlibNg => zlib_ng,
        Lib::Isal => isal,
        Lib::Libslz => libslz,
        _ => true,
    }
}

/// The libraries left out of this build, each with why and how to add it.
pub fn missing_libs() -> Vec<String> {
    let mut v = Vec::new();
    if !lib_built(Lib::ZlibNg) {
        v.push(
            "zlib-ng: built without the `zlib-ng` feature (it needs cmake: apt-get install cmake, \
             then build with default features)"
                .to_string(),
        );
    }
    if let Some(why) = option_env!("SLZ_ISAL_MISSING") {
        v.push(format!(
            "ISA-L igzip: {why}; to add it: apt-get install libisal-dev (or put ISA-L's libisal.pc \
             on PKG_CONFIG_PATH), then rebuild"
        ));
    }
    if let Some(why) = option_env!("SLZ_LIBSLZ_MISSING") {
        v.push(format!(
            "libslz: {why}; to add it: put HAProxy's source tarball haproxy-X.Y.Z.tar.gz in \
             ../shared/third_party next to the repository (or in $SLZ_THIRD_PARTY), then rebuild"
        ));
    }
    v
}

/// The zlib-ng version linked in, or "" when it is not built.
pub fn zlib_ng_version() -> String {
    #[cfg(feature = "zlib-ng")]
    {
        // SAFETY: zlibng_version returns a pointer to a static NUL-terminated string.
        unsafe { CStr::from_ptr(libz_ng_sys::zlibVersion()) }
            .to_string_lossy()
            .into_owned()
    }
    #[cfg(not(feature = "zlib-ng"))]
    String::new()
}

/// The ISA-L version found by pkg-config at build time, or "" when it is not built.
pub fn isal_version() -> &'static str {
    option_env!("SLZ_ISAL_VERSION").unwrap_or("")
}

/// The version of the HAProxy tarball libslz was built from, or "" when it is not built.
pub fn libslz_version() -> &'static str {
    option_env!("SLZ_LIBSLZ_VERSION").unwrap_or("")
}

// ---------------------------------------------------------------------------------------------
// The per-piece ceiling: libdeflate compresses each piece on its own into a raw deflate stream.
// Laid out as a gzip member would be (header, each piece's deflate data, a 5-byte empty stored
// block `00 00 00 ff ff` after every piece but the last, CRC-32 and length), so its size counts
// what a stream without history would send at best with that effort; it is not one stream (each
// piece's data ends with a final block), so it is checked piece by piece.

/// The bytes a sync flush costs at most: an empty stored block.
const SYNC_MARKER: [u8; 5] = [0, 0, 0, 0xff, 0xff];

fn per_piece(input: &[u8], plan: &Plan, level: u32, out: &mut [u8]) -> Result<usize, String> {
    let lvl = libdeflater::CompressionLvl::new(level as i32)
        .map_err(|e| format!("libdeflate level {level}: {e:?}"))?;
    let mut c = libdeflater::Compressor::new(lvl);
    let pieces = plan.pieces(input);
    let last = pieces.len() - 1;
    out.get_mut(..10)
        .ok_or("no room for the gzip header")?
        .copy_from_slice(&GZIP_HEADER);
    let mut pos = 10;
    for (i, piece) in pieces.into_iter().enumerate() {
        pos += c
            .deflate_compress(piece, &mut out[pos..])
            .map_err(|e| format!("libdeflate: {e:?}"))?;
        if i != last {
            out.get_mut(pos..pos + 5)
                .ok_or("no room for a sync marker")?
                .copy_from_slice(&SYNC_MARKER);
            pos += 5;
        }
    }
    let tail = out.get_mut(pos..pos + 8).ok_or("no room for the trailer")?;
    tail[..4].copy_from_slice(&crc32fast::hash(input).to_le_bytes());
    tail[4..].copy_from_slice(&(input.len() as u32).to_le_bytes());
    Ok(pos + 8)
}

/// Decodes the per-piece ceiling's layout with zlib-rs's raw inflate: each piece's deflate data
/// up to its final block, then a sync marker or the trailer, whose CRC-32 and length must match.
fn inflate_pieces(gz: &[u8], expect_len: usize) -> Result<Vec<u8>, String> {
    let bad = |what: &str| format!("per-piece layout: {what}");
    if gz.len() < 18 || gz[..10] != GZIP_HEADER {
        return Err(bad("no gzip header"));
    }
    let body_end = gz.len() - 8;
    let mut pos = 10;
    let mut v = Vec::with_capacity(expect_len);
    loop {
        let mut d = flate2::Decompress::new(false);
        let mut piece = Vec::new();
        loop {
            piece.reserve(64 * 1024);
            let in0 = d.total_in() as usize;
            let status = d
                .decompress_vec(
                    &gz[pos + in0..body_end],
                    &mut piece,
                    flate2::FlushDecompress::None,
                )
                .map_err(|e| bad(&format!("zlib-rs raw inflate: {e}")))?;
            if status == flate2::Status::StreamEnd {
                break;
            }
            if d.total_in() as usize == in0 && piece.len() < piece.capacity() {
                return Err(bad("a piece's deflate data is cut short"));
            }
        }
        pos += d.total_in() as usize;
        v.extend_from_slice(&piece);
        if pos == body_end {
            break;
        }
        if gz.get(pos..pos + 5) != Some(&SYNC_MARKER[..]) {
            return Err(bad("no sync marker after a piece"));
        }
        pos += 5;
    }
    let crc = u32::from_le_bytes(gz[body_end..body_end + 4].try_into().unwrap_or_default());
    let len = u32::from_le_bytes(gz[body_end + 4..].try_into().unwrap_or_default());
    if crc != crc32fast::hash(&v) || len != v.len() as u32 {
        return Err(bad("the trailer's CRC-32 or length does not match"));
    }
    Ok(v)
}

// ---------------------------------------------------------------------------------------------
// zlib-ng through its native API (zng_ functions), with its own gzip wrapper.

#[cfg(feature = "zlib-ng")]
mod zng {
    use super::{zalloc, zfree, Mode, Stream};
    use libz_ng_sys as z;
    use std::os::raw::{c_int, c_uint};

    /// Boxed: zlib-ng's state points back at the `zng_stream`, so it must not move.
    pub struct ZngStream(Box<z::z_stream>);

    impl ZngStream {
        pub fn new(level: u32) -> Result<Self, String> {
            let mut strm = Box::new(z::z_stream {
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
            // SAFETY: `strm` is a valid, boxed zng_stream with allocator functions; window bits
            // 15 + 16 ask for a gzip wrapper, memLevel 8 is zlib-ng's default.
            let rc = unsafe {
                z::zng_deflateInit2(
                    &mut *strm,
                    level as c_int,
                    z::Z_DEFLATED,
                    15 + 16,
                    8,
                    z::Z_DEFAULT_STRATEGY,
                )
            };
            if rc != z::Z_OK {
                return Err(format!("zng_deflateInit2 failed: {rc}"));
            }
            Ok(ZngStream(strm))
        }
    }

    impl Stream for ZngStream {
        fn call(
            &mut self,
            input: &[u8],
            out: &mut [u8],
            mode: Mode,
        ) -> Result<(usize, usize, bool), String> {
            let flush = match mode {
                Mode::None => z::Z_NO_FLUSH,
                Mode::Sync => z::Z_SYNC_FLUSH,
                Mode::Finish => z::Z_FINISH,
            };
            let in_len = input.len().min(c_uint::MAX as usize);
            let out_len = out.len().min(c_uint::MAX as usize);
            let s = &mut *self.0;
            s.next_in = input.as_ptr() as *mut u8;
            s.avail_in = in_len as c_uint;
            s.next_out = out.as_mut_ptr();
            s.avail_out = out_len as c_uint;
            // SAFETY: next_in/next_out point into live slices of the lengths given; zlib-ng
            // reads and writes only within them; the stream was initialised by zng_deflateInit2.
            let rc = unsafe { z::deflate(s, flush) };
            let used = in_len - s.avail_in as usize;
            let written = out_len - s.avail_out as usize;
            s.next_in = std::ptr::null_mut();
            s.next_out = std::ptr::null_mut();
            match rc {
                z::Z_STREAM_END => Ok((used, written, true)),
                z::Z_OK | z::Z_BUF_ERROR => Ok((used, written, false)),
                rc => Err(format!("zlib-ng deflate error {rc}")),
            }
        }
    }

    impl Drop for ZngStream {
        fn drop(&mut self) {
            // SAFETY: the stream was initialised by zng_deflateInit2 and is ended once.
            unsafe { z::deflateEnd(&mut *self.0) };
        }
    }
}

// ---------------------------------------------------------------------------------------------
// ISA-L igzip through the C shim in csrc/isal_shim.c (compiled by build.rs against the installed
// igzip_lib.h), with its own gzip wrapper.

#[cfg(slz_isal)]
mod isal {
    use super::{Mode, Stream};
    use std::os::raw::c_int;

    #[repr(C)]
    struct Opaque {
        _private: [u8; 0],
    }

    extern "C" {
        fn slz_isal_stream_bytes(level: c_int) -> usize;
        fn slz_isal_new(level: c_int) -> *mut Opaque;
        fn slz_isal_deflate(
            s: *mut Opaque,
            input: *const u8,
            in_len: u32,
            out: *mut u8,
            out_len: u32,
            mode: c_int,
            used: *mut u32,
            written: *mut u32,
            ended: *mut c_int,
        ) -> c_int;
        fn slz_isal_free(s: *mut Opaque);
    }

    /// The memory of one stream: ISA-L's stream structure and the level buffer it asks for.
    pub fn stream_bytes(level: u32) -> usize {
        // SAFETY: a pure function of its argument.
        unsafe { slz_isal_stream_bytes(level as c_int) }
    }

    /// One gzip stream (never null).
    pub struct IsalStream(*mut Opaque);

    impl IsalStream {
        pub fn new(level: u32) -> Result<Self, String> {
            // SAFETY: returns a new stream, or null for a bad level or no memory.
            let p = unsafe { slz_isal_new(level.min(99) as c_int) };
            if p.is_null() {
                return Err(format!("ISA-L: no stream for level {level}"));
            }
            Ok(IsalStream(p))
        }
    }

    impl Stream for IsalStream {
        fn call(
            &mut self,
            input: &[u8],
            out: &mut [u8],
            mode: Mode,
        ) -> Result<(usize, usize, bool), String> {
            let in_len = input.len().min(u32::MAX as usize) as u32;
            let out_len = out.len().min(u32::MAX as usize) as u32;
            let (mut used, mut written, mut ended) = (0u32, 0u32, 0 as c_int);
            let m = match mode {
                Mode::None => 0,
                Mode::Sync => 1,
                Mode::Finish => 2,
            };
            // SAFETY: self.0 is a live stream from slz_isal_new; input and out are live slices
            // of at least the lengths given, which ISA-L reads and writes only within; the
            // shim clears its pointers to them before returning.
            let rc = unsafe {
                slz_isal_deflate(
                    self.0,
                    input.as_ptr(),
                    in_len,
                    out.as_mut_ptr(),
                    out_len,
                    m,
                    &mut used,
                    &mut written,
                    &mut ended,
                )
            };
            if rc != 0 {
                return Err(format!("ISA-L isal_deflate error {rc}"));
            }
            Ok((used as usize, written as usize, ended != 0))
        }
    }

    impl Drop for IsalStream {
        fn drop(&mut self) {
            // SAFETY: self.0 came from slz_isal_new and is freed once.
            unsafe { slz_isal_free(self.0) }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// libslz, the C original, through the C shim in csrc/libslz_shim.c (compiled by build.rs with
// slz.c from HAProxy's source tarball, its functions renamed libslz_*), called as HAProxy calls
// it; it writes its own gzip header and trailer.

#[cfg(slz_libslz)]
mod libslz {
    use super::{Mode, Stream};
    use std::os::raw::{c_int, c_long};

    #[repr(C)]
    struct Opaque {
        _private: [u8; 0],
    }

    extern "C" {
        fn slz_libslz_bound(len: usize) -> usize;
        fn slz_libslz_stream_bytes() -> usize;
        fn slz_libslz_check_value() -> u32;
        fn slz_libslz_new(level: c_int) -> *mut Opaque;
        fn slz_libslz_encode(
            s: *mut Opaque,
            input: *const u8,
            in_len: usize,
            out: *mut u8,
            out_len: usize,
            mode: c_int,
        ) -> c_long;
        fn slz_libslz_free(s: *mut Opaque);
    }

    /// The memory one stream holds between calls: `sizeof(struct slz_stream)`.
    pub fn stream_bytes() -> usize {
        // SAFETY: returns a constant.
        unsafe { slz_libslz_stream_bytes() }
    }

    /// Whether libslz's tables were filled: its constructor (`__attribute__((constructor))`)
    /// must have run, or its CRCs and distance codes would be wrong.
    pub fn tables_ready() -> bool {
        // SAFETY: reads libslz's CRC table only.
        unsafe { slz_libslz_check_value() == 0xcbf4_3926 }
    }

    /// One gzip stream (never null).
    pub struct LibslzStream(*mut Opaque);

    impl LibslzStream {
        pub fn new(level: u32) -> Result<Self, String> {
            static READY: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
            if !*READY.get_or_init(tables_ready) {
                return Err("libslz: its tables were not initialised".to_string());
            }
            // SAFETY: returns a new stream, or null for a level other than 0 and 1.
            let p = unsafe { slz_libslz_new(level.min(99) as c_int) };
            if p.is_null() {
                return Err(format!("libslz: no stream for level {level}"));
            }
            Ok(LibslzStream(p))
        }
    }

    impl Stream for LibslzStream {
        fn call(
            &mut self,
            input: &[u8],
            out: &mut [u8],
            mode: Mode,
        ) -> Result<(usize, usize, bool), String> {
            // libslz takes no output length: refuse before calling when the room is short.
            // SAFETY: a pure function of its argument.
            let bound = unsafe { slz_libslz_bound(input.len()) };
            if out.len() < bound {
                return Err(format!(
                    "libslz: {} bytes of output room for a {}-byte piece, {bound} needed",
                    out.len(),
                    input.len()
                ));
            }
            let m = match mode {
                Mode::None => 0,
                Mode::Sync => 1,
                Mode::Finish => 2,
            };
            // SAFETY: self.0 is a live stream from slz_libslz_new; input is a live slice of
            // in_len bytes; out is a live slice of at least slz_libslz_bound(in_len) bytes
            // (checked above), which libslz's contract keeps its writes within.
            let n = unsafe {
                slz_libslz_encode(
                    self.0,
                    input.as_ptr(),
                    input.len(),
                    out.as_mut_ptr(),
                    out.len(),
                    m,
                )
            };
            match n {
                -2 => panic!("libslz wrote more than its bound of {bound} bytes"),
                n if n < 0 => Err(format!("libslz: error {n}")),
                n => Ok((input.len(), n as usize, mode == Mode::Finish)),
            }
        }
    }

    impl Drop for LibslzStream {
        fn drop(&mut self) {
            // SAFETY: self.0 came from slz_libslz_new and is freed once.
            unsafe { slz_libslz_free(self.0) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(n: usize) -> Vec<u8> {
        (0..n)
            .map(|i| b"the quick brown fox jumps over the lazy dog; "[i % 45] ^ (i / 997 % 3) as u8)
            .collect()
    }

    /// Every row of a piece mode decodes; the per-piece ceiling's checker rejects a damaged
    /// sync marker, a damaged piece and a wrong trailer.
    #[test]
    fn every_codec_round_trips_and_the_piece_checker_can_fail() {
        let data = text(50_000);
        let plan = Plan {
            chunk: Some(4096),
            sync: true,
        };
        let mut out = vec![0u8; plan.out_bound(data.len())];
        for c in Codec::all(&[0, 1, 2]) {
            if !c.runs_with(&plan) {
                continue;
            }
            let n = c.compress(&data, &plan, &mut out).unwrap();
            c.checker().check(&out[..n], &data).unwrap();
            if c.lib == Lib::LibdeflatePieces {
                let first = 10 + {
                    let mut d = flate2::Decompress::new(false);
                    let mut v = Vec::with_capacity(8192);
                    d.decompress_vec(&out[10..n], &mut v, flate2::FlushDecompress::None)
                        .unwrap();
                    d.total_in() as usize
                };
                assert_eq!(out[first..first + 5], SYNC_MARKER);
                for at in [first + 3, 12, n - 5] {
                    let mut bad = out[..n].to_vec();
                    bad[at] ^= 0x10;
                    assert!(c.checker().check(&bad, &data).is_err(), "{at}");
                }
            }
        }
    }

    /// libslz's constructor ran (its CRC table is filled) and its output decodes with both
    /// decoders in every plan, an empty input included, at both of its levels.
    #[cfg(slz_libslz)]
    #[test]
    fn libslz_tables_ready_and_round_trips() {
        assert!(libslz::tables_ready());
        assert_eq!(libslz::stream_bytes() % 8, 0);
        let data = text(300_000);
        for plan in [
            Plan {
                chunk: None,
                sync: false,
            },
            Plan {
                chunk: Some(1024),
                sync: true,
            },
            Plan {
                chunk: Some(100_000),
                sync: false,
            },
        ] {
            for level in [0, 1] {
                let c = Codec {
                    lib: Lib::Libslz,
                    level,
                };
                for input in [&data[..], &data[..1], &[][..]] {
                    let mut out = vec![0u8; plan.out_bound(input.len())];
                    let n = c.compress(input, &plan, &mut out).unwrap();
                    Checker::ZlibRs.check(&out[..n], input).unwrap();
                    Checker::Libdeflate.check(&out[..n], input).unwrap();
                }
            }
        }
        assert!(Codec {
            lib: Lib::Libslz,
            level: 2
        }
        .compress(
            b"x",
            &Plan {
                chunk: None,
                sync: false
            },
            &mut [0u8; 100]
        )
        .is_err());
    }

    #[test]
    fn rows_per_plan() {
        let whole = Plan {
            chunk: None,
            sync: false,
        };
        let pieces = Plan {
            chunk: Some(1024),
            sync: true,
        };
        let all = Codec::all(&[1]);
        let keys = |p: &Plan| -> Vec<String> {
            all.iter()
                .filter(|c| c.runs_with(p))
                .map(Codec::key)
                .collect()
        };
        assert!(keys(&whole).contains(&"libdeflate-6".to_string()));
        assert!(!keys(&whole).contains(&"libdeflate-piece-12".to_string()));
        assert!(keys(&pieces).contains(&"libdeflate-piece-12".to_string()));
        assert!(!keys(&pieces).contains(&"libdeflate-6".to_string()));
        assert_eq!(
            Codec::all(&[1]).iter().any(|c| c.lib == Lib::Isal),
            cfg!(slz_isal)
        );
        assert_eq!(
            Codec::all(&[1]).iter().any(|c| c.lib == Lib::Libslz),
            cfg!(slz_libslz)
        );
        // CI installs every peer: there, a missing one is a failure, not a note in the report.
        if std::env::var_os("SLZ_STRICT").is_some() {
            assert!(
                missing_libs().is_empty(),
                "SLZ_STRICT: {:?}",
                missing_libs()
            );
        }
    }
}
