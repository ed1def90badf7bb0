#!/usr/bin/env python3
"""Writes the hand-made seed inputs of each fuzz target (fuzz/seeds/<target>/<name>).

The byte layouts are the ones the targets decode (see fuzz/src/*.rs); every input is valid, so a
seed that drifts from the layout still runs, it just reaches less. Re-run after changing them:
    python3 fuzz/seeds/make_seeds.py
"""
import os

HERE = os.path.dirname(os.path.abspath(__file__))

# Op byte of the `stream` target: kind (low 4 bits), flush (bits 4-5: 0 none, 1 sync, 2 finish),
# buffer (bits 6-7: 0 exact bound, 1 too small first, 2 a little larger, 3 much larger).
def op(kind, flush=0, buf=0):
    return bytes([kind | flush << 4 | buf << 6])

NONE, SYNC, FINISH = 0, 1, 2
# chunk_len: class 3 = next byte is the length; class 5 = near a boundary (index in bits 3..);
# class 0 = empty, 1 = one byte.
def ln_byte(n):
    return bytes([3, n])
def ln_boundary(i, delta=0):
    return bytes([5 | i << 3, delta & 0xff])
LN0, LN1 = bytes([0]), bytes([1])
# fill modes: 0 raw bytes, 2 repeated pattern, 3 random(seed), 4 alphabet, 5 lz-like, 7 one byte.
def raw(data):
    return b"\x00" + data
def random(seed):
    return b"\x03" + seed.to_bytes(4, "little")
def lz(base, alphabet, copy_pct, seed):
    return bytes([5, base, alphabet, copy_pct]) + seed.to_bytes(4, "little")

SEEDS = {
    "stream": {
        # gzip level 1: a sync-flushed chunk, then finish.
        "gzip_sync_finish": b"\x03" + op(0, SYNC) + ln_byte(17) + raw(b"hello hello hello")
        + op(0, FINISH) + LN0 + raw(b""),
        # zlib level 0: a 32768-byte call offered a too-small buffer first, a switch to level 1,
        # a larger buffer, an empty sync.
        "zlib_small_buffer_level_switch": b"\x01" + op(0, NONE, 1) + ln_boundary(3, 1)
        + lz(0x61, 20, 60, 7) + b"\x10\x00" + op(11) + b"\x01" + op(1, SYNC, 2)
        + ln_byte(200) + random(99) + b"\x05" + op(15, SYNC) + op(15, SYNC),
        # raw deflate: 0- and 1-byte calls without flush (pending bits), a reset, the bound probe.
        "deflate_tiny_calls_reset": b"\x05" + (op(0) + LN1 + raw(b"\xff")) * 5
        + op(0) + LN0 + raw(b"") + op(2, SYNC) + LN1 + raw(b"a") + op(0, FINISH) + LN1
        + raw(b"b") + op(13) + op(14, 0) + b"\x07" + op(14, 1) + b"\xff\xff\xff\xff"
        + op(3, SYNC, 3) + ln_byte(9) + raw(b"abcdabcda") + b"\x00\x01",
        # gzip with a custom header, a 65535-byte call near the stored-block limit.
        "gzip_header_65535": b"\xf3" + b"\x01\x02\x03\x04\x03" + op(0, NONE) + ln_boundary(5, 0)
        + random(5) + op(4, FINISH, 2) + ln_boundary(6, 2) + lz(0x90, 40, 30, 1) + b"\x00",
    },
    "oneshot": {
        "text": b"\x01" + b"to be or not to be, that is the question; to be or not to be",
        "empty": b"",
        "one_byte": b"\x01\x90",
        # Generated: one lz-like chunk near 32768 and one random chunk of 300 bytes.
        "generated_window": b"\x02" + ln_boundary(3, 3) + lz(0, 8, 70, 3)
        + bytes([4]) + (300).to_bytes(2, "little") + random(11),
    },
    "checksum": {
        # Pieces around 5552 (Adler-32's NMAX) and small SIMD-stride lengths.
        "nmax_pieces": b"\x01" + bytes([1 | 1 << 2, 1]) + random(1) + bytes([2 | 3 << 2, 1])
        + raw(b"")  + bytes([3, 5]) + raw(b"") + bytes([1 | 2 << 2, 0xfe]) + lz(0, 255, 10, 2),
        "gzip_small": b"\x00" + bytes([0, 3, 10]) + raw(b"0123456789") + bytes([3, 0]) + raw(b""),
        "level_switches": b"\x01" + bytes([0 | 0x21 << 2, 3, 100]) + random(3)
        + bytes([0 | 0x28 << 2, 3, 50]) + raw(b"x" * 50),
    },
    "blocks": {
        # Level 1: 1 pending byte, then 32768 bytes of 8-bit literals with a few 9-bit ones.
        "tie_literals": b"\x04\x02" + b"\x03" + raw(b"\xff")
        + b"\x00\x00\x01" + b"\x00" + (7).to_bytes(4, "little") + (22).to_bytes(2, "little"),
        # Level 1: 65535 bytes in one call (two blocks in the trained code) of letters a..=z with
        # 328 per 1000 9-bit literals: each block a few bits short of its stored size.
        "tie_trained_literals": b"\x04\x00" + b"\x30\x01\x00" + b"\x12"
        + (7).to_bytes(4, "little") + (328).to_bytes(2, "little"),
        # Level 1: 9-bit literals with short far matches, around 65535.
        "tie_short_matches": b"\x04\x01" + b"\x00\x01\xff" + b"\x01" + (3).to_bytes(4, "little")
        + bytes([16, 40, 1]),
        # Level 0 then 1 around two blocks.
        "levels_two_blocks": b"\x00\x02" + b"\x42\x02" + b"\x00" + b"\x01" + (9).to_bytes(4, "little")
        + bytes([30, 50, 0]) + b"\x30\x01\x05" + b"\x00" + (1).to_bytes(4, "little") + b"\x10\x00",
    },
}

for target, seeds in SEEDS.items():
    d = os.path.join(HERE, target)
    os.makedirs(d, exist_ok=True)
    for name, data in seeds.items():
        with open(os.path.join(d, name), "wb") as f:
            f.write(data)
