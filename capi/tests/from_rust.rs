//! The C API called from Rust: the struct matches the header, and HAProxy's reservation holds
//! for random call sequences of the shape HAProxy makes, decoded by flate2.

use std::io::Read;

use slz_capi::*;

#[test]
fn struct_size_matches_the_header() {
    assert_eq!(std::mem::size_of::<SlzStream>(), STREAM_SIZE);
    let header = include_str!("../include/slz.h");
    assert!(header.contains(&format!(
        "#define SLZ_STATE_BYTES {}",
        slz::Encoder::STATE_LEN
    )));
    assert!(header.contains(&format!("sizeof(struct slz_stream) == {STREAM_SIZE}")));
}

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Text-like bytes with repeats, or random bytes.
fn data(r: &mut Rng, len: usize) -> Vec<u8> {
    let words: [&[u8]; 8] = [
        b"<div>",
        b"</div>\n",
        b"class=",
        b"\"item\" ",
        b"hello ",
        b"world ",
        b"{\"id\":",
        b"42,",
    ];
    let mut v = Vec::with_capacity(len);
    let random = r.below(4) == 0;
    while v.len() < len {
        if random {
            v.push(r.next() as u8);
        } else {
            v.extend_from_slice(words[r.below(8)]);
        }
    }
    v.truncate(len);
    v
}

fn decode(format: u8, stream: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let res = match format {
        0 => flate2::read::GzDecoder::new(stream).read_to_end(&mut out),
        1 => flate2::read::ZlibDecoder::new(stream).read_to_end(&mut out),
        _ => flate2::read::DeflateDecoder::new(stream).read_to_end(&mut out),
    };
    res.expect("decodes");
    out
}

/// HAProxy's reservation over the input for one encode + flush/finish cycle.
fn room(len: usize) -> usize {
    len + 20 + 5 * len.div_ceil(32768)
}

const GUARD: usize = 32;

#[test]
fn haproxy_reservation_holds_for_random_call_sequences() {
    let mut r = Rng(0x9e37_79b9_7f4a_7c15);
    for case in 0..300 {
        let format = (case % 3) as u8;
        let mut strm = std::mem::MaybeUninit::<SlzStream>::uninit();
        let level = r.below(12) as i32 - 1;
        // SAFETY: `strm` is valid for writes of a stream; init accepts uninitialised memory.
        let init = unsafe {
            match format {
                0 => slz_rfc1952_init(strm.as_mut_ptr(), level),
                1 => slz_rfc1950_init(strm.as_mut_ptr(), level),
                _ => slz_rfc1951_init(strm.as_mut_ptr(), level),
            }
        };
        assert_eq!(init, 0);
        // SAFETY: initialised just above.
        let mut strm = unsafe { strm.assume_init() };
        let (mut input, mut stream) = (Vec::new(), Vec::new());
        let cycles = 1 + r.below(6);
        for cycle in 0..cycles {
            let last = cycle + 1 == cycles;
            // HAProxy: at most one encode per cycle (none when no data came), then flush or finish.
            let len = [0, 1, 10, 1000, 16384, 16389, 40000, 70000][r.below(8)];
            let piece = data(&mut r, len);
            let mut buf = vec![0x5au8; room(len) + GUARD];
            let mut n = 0;
            if len > 0 || r.below(2) == 0 {
                // SAFETY: `piece` holds `len` bytes; `buf` has HAProxy's room for them.
                n = unsafe {
                    slz_rfc1951_encode(
                        &mut strm,
                        buf.as_mut_ptr(),
                        piece.as_ptr(),
                        len as _,
                        !last as _,
                    )
                };
                assert!(n >= 0, "encode returned {n}");
            }
            let n = n as usize;
            // SAFETY: `buf[n..]` is within the room (checked below, with the guard).
            let m = unsafe {
                if last {
                    slz_rfc1951_finish(&mut strm, buf.as_mut_ptr().add(n))
                } else {
                    slz_rfc1951_flush(&mut strm, buf.as_mut_ptr().add(n))
                }
            };
            assert!(m >= 0);
            let total = n + m as usize;
            assert!(total <= room(len), "case {case}: {total} bytes for {len}");
            assert!(
                buf[room(len)..].iter().all(|&b| b == 0x5a),
                "case {case}: wrote past the room"
            );
            stream.extend_from_slice(&buf[..total]);
            input.extend_from_slice(&piece);
            // HAProxy pokes the level between cycles; slz takes 0..=9 (above 9 as 9).
            strm.level = [0, 1, strm.level, 9, 200][r.below(5)];
            assert_eq!(strm.ilen, input.len() as u32);
        }
        assert_eq!(decode(format, &stream), input, "case {case}");
    }
}

#[test]
fn misuse_is_refused_and_leaves_the_stream_intact() {
    let mut strm = std::mem::MaybeUninit::<SlzStream>::uninit();
    // SAFETY: valid for writes.
    assert_eq!(unsafe { slz_rfc1950_init(strm.as_mut_ptr(), 1) }, 0);
    // SAFETY: initialised.
    let mut strm = unsafe { strm.assume_init() };
    let before = strm;
    let input = b"hello hello hello";
    let mut out = [0u8; 64];
    // SAFETY (all calls): valid pointers or NULL; the lengths are what they claim or negative.
    unsafe {
        assert_eq!(
            slz_rfc1950_encode(std::ptr::null_mut(), out.as_mut_ptr(), input.as_ptr(), 5, 1),
            -1
        );
        assert_eq!(
            slz_rfc1950_encode(&mut strm, out.as_mut_ptr(), std::ptr::null(), 5, 1),
            -1
        );
        assert_eq!(
            slz_rfc1950_encode(&mut strm, std::ptr::null_mut(), input.as_ptr(), 5, 1),
            -1
        );
        assert_eq!(
            slz_rfc1950_encode(&mut strm, out.as_mut_ptr(), input.as_ptr(), -3, 1),
            -1
        );
        assert_eq!(
            slz_rfc1950_flush(&mut strm, std::ptr::null_mut()),
            0,
            "nothing to flush"
        );
        assert_eq!(slz_rfc1950_finish(&mut strm, std::ptr::null_mut()), -1);
        assert_eq!(slz_rfc1950_send_header(&mut strm, std::ptr::null_mut()), -1);
    }
    assert_eq!(
        format!("{before:?}"),
        format!("{strm:?}"),
        "a refused call changed the stream"
    );
    // SAFETY: as above.
    let n = unsafe { slz_rfc1950_encode(&mut strm, out.as_mut_ptr(), input.as_ptr(), 17, 0) };
    assert_eq!(decode(1, &out[..n as usize]), input);
}
