//! The adapters allocate their buffers once, at construction, and never again: counted with a
//! global allocator (so this file is its own test binary). Counts are per thread, so other
//! tests running in parallel do not disturb them.
#![cfg(feature = "std")]

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::io::{Read, Write};

use common::io::{decode, sample_data, Rng};
use slz::{read, write, Format, GzBuilder, Level};

struct Counting;

thread_local! {
    static ALLOCS: Cell<usize> = const { Cell::new(0) };
    static BYTES: Cell<usize> = const { Cell::new(0) };
}

fn count(bytes: usize) {
    // `try_with`: the thread-local may be gone while a thread shuts down.
    let _ = ALLOCS.try_with(|c| c.set(c.get() + 1));
    let _ = BYTES.try_with(|c| c.set(c.get() + bytes));
}

// SAFETY: every call is forwarded unchanged to the system allocator; counting touches only
// const-initialised thread-locals, which do not allocate.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count(layout.size());
        System.alloc(layout)
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count(layout.size());
        System.alloc_zeroed(layout)
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count(new_size);
        System.realloc(ptr, layout, new_size)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout)
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// (allocations, bytes) made by `f` on this thread.
fn counted<T>(f: impl FnOnce() -> T) -> (T, usize, usize) {
    let (a, b) = (ALLOCS.with(Cell::get), BYTES.with(Cell::get));
    let v = f();
    (v, ALLOCS.with(Cell::get) - a, BYTES.with(Cell::get) - b)
}

/// The heap bytes the docs promise for an input capacity `c`.
fn documented_bytes(c: usize) -> usize {
    2 * c + 5 * c.div_ceil(32768) + 20
}

#[test]
fn buffers_are_allocated_once() {
    let mut rng = Rng::new(1);
    let input = sample_data(&mut rng, 300_000);

    for capacity in [16384, 1000, 100_000] {
        // The sink is sized up front so that it does not allocate either.
        let sink = Vec::with_capacity(2 * input.len());
        let (mut enc, allocs, bytes) =
            counted(|| write::GzEncoder::with_capacity(sink, Level::FAST, capacity));
        assert_eq!(
            (allocs, bytes),
            (2, documented_bytes(capacity)),
            "capacity {capacity}"
        );

        let ((), allocs, _) = counted(|| {
            let mut pos = 0;
            while pos < input.len() {
                let n = rng.size(input.len() - pos);
                enc.write_all(&input[pos..pos + n]).unwrap();
                pos += n;
                if rng.one_in(5) {
                    enc.flush().unwrap();
                }
            }
            enc.try_finish().unwrap();
        });
        assert_eq!(allocs, 0, "writes, flushes and finish allocate nothing");
        let out = enc.finish().unwrap();
        assert!(decode(Format::Gzip, &out).unwrap() == input);
    }

    // The default capacity, and the same through GzBuilder and for the other formats.
    let (_, allocs, bytes) = counted(|| write::ZlibEncoder::new(Vec::new(), Level::FAST));
    assert_eq!((allocs, bytes), (2, documented_bytes(16384)));
    assert_eq!(
        documented_bytes(16384),
        32_793,
        "the figure quoted in the docs"
    );
    let (_, allocs, bytes) = counted(|| GzBuilder::new().write(Vec::new(), Level::NONE));
    assert_eq!((allocs, bytes), (2, documented_bytes(16384)));

    // Readers: construction allocates the two buffers, reading nothing.
    let (mut r, allocs, bytes) = counted(|| read::DeflateEncoder::new(&input[..], Level::FAST));
    assert_eq!((allocs, bytes), (2, documented_bytes(16384)));
    let mut out = Vec::with_capacity(2 * input.len());
    let mut buf = [0u8; 5000];
    let ((), allocs, _) = counted(|| loop {
        let n = r.read(&mut buf[..1 + rng.below(5000)]).unwrap();
        if n == 0 {
            break;
        }
        out.extend_from_slice(&buf[..n]);
    });
    assert_eq!(allocs, 0, "reads allocate nothing");
    assert!(decode(Format::Deflate, &out).unwrap() == input);

    // reset reuses the buffers.
    let mut enc = write::DeflateEncoder::new(Vec::with_capacity(1 << 20), Level::FAST);
    let spare = Vec::with_capacity(1 << 20);
    let ((), allocs, _) = counted(|| {
        enc.write_all(&input[..50_000]).unwrap();
        let first = enc.reset(spare).unwrap();
        enc.write_all(&input[..50_000]).unwrap();
        enc.try_finish().unwrap();
        assert!(first == *enc.get_ref());
        drop(first); // deallocation is not counted
    });
    assert_eq!(allocs, 0, "reset allocates nothing");
}
