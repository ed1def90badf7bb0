//! libslz's C API (`include/slz.h`) over slz's safe encoder, so that HAProxy or any program
//! written for libslz switches by relinking.
//!
//! `struct slz_stream` holds the whole stream: slz's [`Encoder`] saved as
//! [`Encoder::STATE_LEN`] bytes, plus the fields C code reads or writes (`level`, `format`, and
//! read-only mirrors of the checksum and input length). Every call loads the encoder from those
//! bytes (refusing bytes no encoder wrote, e.g. a stream never initialised), applies `level`,
//! compresses, and saves it back; nothing is allocated and nothing outlives the call.
//!
//! libslz's functions take no output length: the caller reserves room (see the header). A call
//! makes its output slice exactly as long as slz's bound for that call
//! ([`Encoder::max_output_len_with`]), which fits in that room, and zeroes it first so that
//! the slice only ever covers initialised bytes.
//!
//! This crate is the only place in slz with `unsafe`: turning C pointers into references and
//! slices, each block with its reason. Misuse (NULL pointers, negative lengths, overlapping
//! buffers, a state that is not a stream's) returns [`ERROR`] instead of being undefined.

#![deny(unsafe_op_in_unsafe_fn)]
#![warn(clippy::undocumented_unsafe_blocks)]

use core::ffi::{c_int, c_long, c_uchar};
use core::ptr;

use slz::{Encoder, Flush, Format, GzipHeader, Level};

/// libslz's `struct slz_stream` as `include/slz.h` declares it.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct SlzStream {
    /// The encoder ([`Encoder::to_bytes`]); C code never touches it.
    opaque: [u8; Encoder::STATE_LEN],
    /// Running CRC-32 (gzip) or Adler-32 (zlib) of the input, updated by every call.
    pub crc32: u32,
    /// Input length so far, modulo 2^32, updated by every call.
    pub ilen: u32,
    /// 0 = stored .. 9; read at every call (values above 9 act as 9).
    pub level: u8,
    /// `SLZ_FMT_*` of the stream, for the header's dispatching functions.
    pub format: u8,
    unused1: [u8; 2],
}

/// `sizeof(struct slz_stream)` in `include/slz.h` (which checks the same number).
pub const STREAM_SIZE: usize = 44;
const _: () = assert!(core::mem::size_of::<SlzStream>() == STREAM_SIZE);
const _: () = assert!(Encoder::STATE_LEN == 32, "SLZ_STATE_BYTES in include/slz.h");

/// What every function returns on misuse.
pub const ERROR: c_int = -1;

/// `SLZ_FMT_GZIP`, `SLZ_FMT_ZLIB`, `SLZ_FMT_DEFLATE`.
const fn format_code(format: Format) -> u8 {
    match format {
        Format::Gzip => 0,
        Format::Zlib => 1,
        Format::Deflate => 2,
    }
}

/// libslz's levels are 0 and 1; slz accepts 0 to 9 and takes anything above 9 as 9.
fn level_of(n: i64) -> Level {
    match Level::new(n.clamp(0, 9) as u32) {
        Ok(level) => level,
        Err(_) => Level::BEST,
    }
}

/// The stream's encoder with the level C code has set, or `None` for bytes no encoder wrote.
fn load(strm: &SlzStream) -> Option<Encoder> {
    let mut enc = Encoder::from_bytes(&strm.opaque).ok()?;
    enc.set_level(level_of(i64::from(strm.level)));
    Some(enc)
}

fn save(strm: &mut SlzStream, enc: &Encoder) {
    strm.opaque = enc.to_bytes();
    strm.crc32 = enc.checksum();
    strm.ilen = enc.total_in() as u32;
}

/// Initialises `*strm` (which may be uninitialised memory) for `format`.
///
/// # Safety
/// `strm` is NULL or valid for writes of a `struct slz_stream`.
unsafe fn init(strm: *mut SlzStream, level: c_int, format: Format) -> c_int {
    if strm.is_null() {
        return ERROR;
    }
    let level = level_of(i64::from(level));
    // The gzip header libslz writes: no MTIME, OS 3 (Unix).
    let enc = Encoder::new(format, level).with_gzip_header(GzipHeader { mtime: 0, os: 3 });
    let fresh = SlzStream {
        opaque: enc.to_bytes(),
        crc32: enc.checksum(),
        ilen: 0,
        level: level.get() as u8,
        format: format_code(format),
        unused1: [0; 2],
    };
    // SAFETY: `strm` is non-null and valid for writes (caller's contract); `write` does not read
    // the old, possibly uninitialised, contents.
    unsafe { ptr::write(strm, fresh) };
    0
}

/// The output slice for a call that may write `room` bytes at `out`, zeroed; `None` if `out` is
/// NULL while bytes may be written, if `room` cannot be a slice, or if it would overlap `input`.
///
/// # Safety
/// `out` is NULL or valid for writes of `room` bytes, and nothing else uses them during the call.
unsafe fn output<'a>(out: *mut c_uchar, room: usize, input: &[u8]) -> Option<&'a mut [u8]> {
    if room == 0 {
        return Some(&mut []);
    }
    if out.is_null() || room > isize::MAX as usize {
        return None;
    }
    let (o, i) = (out as usize, input.as_ptr() as usize);
    let out_end = o.checked_add(room)?;
    if !input.is_empty() && i < out_end && o < i + input.len() {
        return None;
    }
    // SAFETY: `out` is non-null and valid for `room` bytes of writes (caller's contract, the
    // room libslz documents, which is at least slz's bound for the call); zeroing them first
    // makes every byte of the slice initialised. No other reference to them exists: they do not
    // overlap `input` (checked above) and the caller does not use them during the call.
    unsafe {
        ptr::write_bytes(out, 0, room);
        Some(core::slice::from_raw_parts_mut(out, room))
    }
}

/// `len` bytes at `buf` as a slice; `None` for a negative length, or NULL with a positive one.
///
/// # Safety
/// `buf` is NULL or valid for reads of `len` bytes, which nothing writes during the call.
unsafe fn input<'a>(buf: *const c_uchar, len: c_long) -> Option<&'a [u8]> {
    let len = usize::try_from(len).ok()?;
    if len == 0 {
        return Some(&[]);
    }
    if buf.is_null() {
        return None;
    }
    // SAFETY: non-null, valid for `len` bytes of reads and not written meanwhile (caller's
    // contract); `len` came from a non-negative `long`, so it is at most `isize::MAX`.
    Some(unsafe { core::slice::from_raw_parts(buf, len) })
}

/// One `compress` call on `*strm`: `None` on misuse (the stream is left as it was).
///
/// # Safety
/// `strm` is NULL or points to a `struct slz_stream` that nothing else uses during the call; `in_`
/// and `out` as in [`input`] and [`output`], `out` with libslz's room for this call.
unsafe fn compress(
    strm: *mut SlzStream,
    out: *mut c_uchar,
    in_: *const c_uchar,
    ilen: c_long,
    flush: Flush,
) -> Option<usize> {
    // SAFETY: NULL or a valid, initialised `struct slz_stream` used by no one else (contract).
    let strm = unsafe { strm.as_mut() }?;
    let mut enc = load(strm)?;
    if enc.is_finished() && ilen == 0 {
        return Some(0); // a flush or finish after the end writes nothing
    }
    // SAFETY: forwarded contract.
    let data = unsafe { input(in_, ilen) }?;
    let room = enc.max_output_len_with(data.len(), flush);
    // SAFETY: forwarded contract; `room` is slz's bound for this call.
    let buf = unsafe { output(out, room, data) }?;
    let n = enc.compress(data, buf, flush).ok()?;
    save(strm, &enc);
    Some(n)
}

/// Writes the stream's header now, if it has not been written.
///
/// # Safety
/// As [`compress`], `buf` with room for the header.
unsafe fn send_header(strm: *mut SlzStream, buf: *mut c_uchar) -> c_int {
    // SAFETY: NULL or a valid, initialised `struct slz_stream` used by no one else (contract).
    let Some(strm) = (unsafe { strm.as_mut() }) else {
        return ERROR;
    };
    let Some(mut enc) = load(strm) else {
        return ERROR;
    };
    let mut header = [0u8; 16];
    let Ok(n) = enc.write_header(&mut header) else {
        return ERROR;
    };
    // SAFETY: forwarded contract: room for the header.
    let Some(out) = (unsafe { output(buf, n, &[]) }) else {
        return ERROR;
    };
    out.copy_from_slice(&header[..n]);
    save(strm, &enc);
    n as c_int
}

fn to_long(n: Option<usize>) -> c_long {
    n.map_or(c_long::from(ERROR), |n| n as c_long)
}

fn to_int(n: Option<usize>) -> c_int {
    n.map_or(ERROR, |n| n as c_int)
}

fn more_flush(more: c_int) -> Flush {
    if more != 0 {
        Flush::None
    } else {
        Flush::Finish
    }
}

macro_rules! format_functions {
    ($format:expr, $init:ident, $encode:ident, $flush:ident, $finish:ident) => {
        /// Initialises `strm` for this function's format at `level` (0 to 9). Returns 0, or -1
        /// if `strm` is NULL.
        ///
        /// # Safety
        /// `strm` is NULL or valid for writes of a `struct slz_stream`.
        #[no_mangle]
        pub unsafe extern "C" fn $init(strm: *mut SlzStream, level: c_int) -> c_int {
            // SAFETY: forwarded contract.
            unsafe { init(strm, level, $format) }
        }

        /// Compresses `ilen` bytes at `in_` into `out` in the stream's format; `more == 0` ends
        /// the stream. Returns the bytes written, or -1 on misuse.
        ///
        /// # Safety
        /// `strm` points to an initialised stream; `in_` is valid for `ilen` bytes of reads;
        /// `out` is valid for writes of `ilen + 5 * ceil(ilen / 32768) + 20` bytes, not
        /// overlapping `in_` or `strm`.
        #[no_mangle]
        pub unsafe extern "C" fn $encode(
            strm: *mut SlzStream,
            out: *mut c_uchar,
            in_: *const c_uchar,
            ilen: c_long,
            more: c_int,
        ) -> c_long {
            // SAFETY: forwarded contract.
            to_long(unsafe { compress(strm, out, in_, ilen, more_flush(more)) })
        }

        /// Sync flush into `buf` (at most 6 bytes). Returns the bytes written, or -1 on misuse.
        ///
        /// # Safety
        /// `strm` points to an initialised stream; `buf` is valid for writes of 6 bytes.
        #[no_mangle]
        pub unsafe extern "C" fn $flush(strm: *mut SlzStream, buf: *mut c_uchar) -> c_int {
            // SAFETY: forwarded contract.
            to_int(unsafe { compress(strm, buf, ptr::null(), 0, Flush::Sync) })
        }

        /// Ends the stream into `buf` (at most 21 bytes). Returns the bytes written (0 if it had
        /// ended already), or -1 on misuse.
        ///
        /// # Safety
        /// `strm` points to an initialised stream; `buf` is valid for writes of 21 bytes.
        #[no_mangle]
        pub unsafe extern "C" fn $finish(strm: *mut SlzStream, buf: *mut c_uchar) -> c_int {
            // SAFETY: forwarded contract.
            to_int(unsafe { compress(strm, buf, ptr::null(), 0, Flush::Finish) })
        }
    };
}

format_functions!(
    Format::Gzip,
    slz_rfc1952_init,
    slz_rfc1952_encode,
    slz_rfc1952_flush,
    slz_rfc1952_finish
);
format_functions!(
    Format::Zlib,
    slz_rfc1950_init,
    slz_rfc1950_encode,
    slz_rfc1950_flush,
    slz_rfc1950_finish
);
format_functions!(
    Format::Deflate,
    slz_rfc1951_init,
    slz_rfc1951_encode,
    slz_rfc1951_flush,
    slz_rfc1951_finish
);

/// Writes the gzip header (10 bytes) if the stream has not written it yet. Returns its length,
/// 0 if it was already written, or -1 on misuse.
///
/// # Safety
/// `strm` points to an initialised stream; `buf` is valid for writes of 10 bytes.
#[no_mangle]
pub unsafe extern "C" fn slz_rfc1952_send_header(strm: *mut SlzStream, buf: *mut c_uchar) -> c_int {
    // SAFETY: forwarded contract.
    unsafe { send_header(strm, buf) }
}

/// Writes the zlib header (2 bytes) if the stream has not written it yet. Returns its length,
/// 0 if it was already written, or -1 on misuse.
///
/// # Safety
/// `strm` points to an initialised stream; `buf` is valid for writes of 2 bytes.
#[no_mangle]
pub unsafe extern "C" fn slz_rfc1950_send_header(strm: *mut SlzStream, buf: *mut c_uchar) -> c_int {
    // SAFETY: forwarded contract.
    unsafe { send_header(strm, buf) }
}

/// CRC-32 of `len` bytes at `buf` continuing from `crc` (zlib's `crc32()` convention: start
/// from 0). A negative length or NULL leaves `crc` unchanged.
///
/// # Safety
/// `buf` is NULL or valid for reads of `len` bytes.
#[no_mangle]
pub unsafe extern "C" fn slz_crc32_by1(crc: u32, buf: *const c_uchar, len: c_int) -> u32 {
    // SAFETY: forwarded contract.
    match unsafe { input(buf, c_long::from(len)) } {
        Some(data) => {
            let mut h = crc32fast::Hasher::new_with_initial(crc);
            h.update(data);
            h.finalize()
        }
        None => crc,
    }
}

/// The same as [`slz_crc32_by1`] (libslz's faster variant; slz's CRC is one function).
///
/// # Safety
/// `buf` is NULL or valid for reads of `len` bytes.
#[no_mangle]
pub unsafe extern "C" fn slz_crc32_by4(crc: u32, buf: *const c_uchar, len: c_int) -> u32 {
    // SAFETY: forwarded contract.
    unsafe { slz_crc32_by1(crc, buf, len) }
}

/// Adler-32 of `len` bytes at `buf` continuing from `adler` (zlib's `adler32()` convention:
/// start from 1). A negative length or NULL leaves `adler` unchanged.
///
/// # Safety
/// `buf` is NULL or valid for reads of `len` bytes.
#[no_mangle]
pub unsafe extern "C" fn slz_adler32_block(adler: u32, buf: *const c_uchar, len: c_long) -> u32 {
    // SAFETY: forwarded contract.
    match unsafe { input(buf, len) } {
        Some(data) => {
            let mut a = simd_adler32::Adler32::from_checksum(adler);
            a.write(data);
            a.finish()
        }
        None => adler,
    }
}

/// The same as [`slz_adler32_block`] with an `int` length.
///
/// # Safety
/// `buf` is NULL or valid for reads of `len` bytes.
#[no_mangle]
pub unsafe extern "C" fn slz_adler32_by1(adler: u32, buf: *const c_uchar, len: c_int) -> u32 {
    // SAFETY: forwarded contract.
    unsafe { slz_adler32_block(adler, buf, c_long::from(len)) }
}

/// libslz builds its CRC table at start-up; slz has nothing to build.
#[no_mangle]
pub extern "C" fn slz_make_crc_table() {}

/// libslz builds its distance table at start-up; slz has nothing to build.
#[no_mangle]
pub extern "C" fn slz_prepare_dist_table() {}
