//! The async writers allocate their two buffers at construction and nothing afterwards:
//! counted with a global allocator (its own test binary; counts are per thread).

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use common::{decode, sample};
use slz::{Format, Level};
use tokio::io::AsyncWriteExt;

struct Counting;

thread_local! {
    static ALLOCS: Cell<usize> = const { Cell::new(0) };
}

// SAFETY: every call goes unchanged to the system allocator; the counter is a const-initialised
// thread-local, which does not allocate.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let _ = ALLOCS.try_with(|c| c.set(c.get() + 1));
        System.alloc(layout)
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let _ = ALLOCS.try_with(|c| c.set(c.get() + 1));
        System.alloc_zeroed(layout)
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let _ = ALLOCS.try_with(|c| c.set(c.get() + 1));
        System.realloc(ptr, layout, new_size)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout)
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Runs a future that never waits (in-memory I/O) on this thread.
fn run<T>(f: impl Future<Output = T>) -> T {
    let mut f = pin!(f);
    match f.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(v) => v,
        Poll::Pending => panic!("in-memory I/O returned Pending"),
    }
}

#[test]
fn writes_flushes_and_shutdown_allocate_nothing() {
    let data = sample(200_000, 1);
    let mut sink = Vec::with_capacity(400_000); // room for the whole stream: the sink never grows
    let ptr = sink.as_ptr();
    sink.clear();
    let mut enc = slz_http::tokio::write::ZlibEncoder::new(sink, Level::FAST);
    assert_eq!(enc.heap_bytes(), 2 * 16384 + 5 + 20);
    let before = ALLOCS.with(Cell::get);
    run(async {
        for (i, piece) in data.chunks(1234).enumerate() {
            enc.write_all(piece).await.unwrap();
            if i % 7 == 0 {
                enc.flush().await.unwrap();
            }
        }
        enc.shutdown().await.unwrap();
    });
    assert_eq!(
        ALLOCS.with(Cell::get) - before,
        0,
        "allocations after construction"
    );
    let out = enc.into_inner();
    assert_eq!(out.as_ptr(), ptr);
    assert_eq!(decode(Format::Zlib, &out), data);
}
