//! `Encoder::compress` never allocates: a counting global allocator (which applies to this whole
//! test binary, hence its own file) sees no allocation during any call.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use slz::{Encoder, Flush, Format, Level};

struct Counting;

thread_local! {
    static ALLOCS: Cell<usize> = const { Cell::new(0) };
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCS.with(|c| c.set(c.get() + 1));
        System.alloc(layout)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout)
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCS.with(|c| c.set(c.get() + 1));
        System.realloc(ptr, layout, new_size)
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocations() -> usize {
    ALLOCS.with(|c| c.get())
}

#[test]
fn compress_never_allocates() {
    let mut data: Vec<u8> = b"<li class=\"item\">hello, world</li>\n".repeat(5000);
    data.extend((0..100_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8));
    let mut out = vec![0u8; data.len() * 2 + 1024];
    // The counter must see allocations at all, or the test proves nothing.
    let before = allocations();
    drop(std::hint::black_box(vec![0u8; 10]));
    assert!(
        allocations() > before,
        "the counting allocator is not in use"
    );

    for format in [Format::Gzip, Format::Zlib, Format::Deflate] {
        for level in [Level::NONE, Level::FAST] {
            let mut enc = Encoder::new(format, level);
            let before = allocations();
            for size in [0, 1, 100, 1024, 16384, 70_000] {
                for piece in data.chunks(size.max(1)).take(20) {
                    let piece = if size == 0 { &[][..] } else { piece };
                    enc.compress(piece, &mut out, Flush::Sync).unwrap();
                    enc.compress(piece, &mut out, Flush::None).unwrap();
                }
            }
            enc.compress(&data, &mut out, Flush::Finish).unwrap();
            enc.reset();
            enc.compress(&data, &mut out, Flush::Finish).unwrap();
            assert_eq!(allocations(), before, "{format:?} level {}", level.get());
        }
    }
}
