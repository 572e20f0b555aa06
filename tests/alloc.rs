//! The binding adds no Rust allocation per message beyond what the API
//! implies: counted with a global allocator (not timed).

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);
static COUNTING: AtomicBool = AtomicBool::new(false);

// SAFETY: forwards to the system allocator; only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if COUNTING.load(Ordering::Relaxed) {
            ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        }
        // SAFETY: same contract as ours.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as ours.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Rust allocations made by `f` (libzmq's own, through malloc, are not
/// counted: they are libzmq's, the same for the C tools).
fn rust_allocations(f: impl FnOnce()) -> usize {
    ALLOCATIONS.store(0, Ordering::SeqCst);
    COUNTING.store(true, Ordering::SeqCst);
    f();
    COUNTING.store(false, Ordering::SeqCst);
    ALLOCATIONS.load(Ordering::SeqCst)
}

#[test]
fn the_hot_paths_allocate_nothing_in_rust() {
    let ctx = zmq::Context::new();
    let (a, b) = common::pair(&ctx, zmq::PAIR, zmq::PAIR, "inproc");
    let payload = [7u8; 1024];
    let mut buf = [0u8; 2048];
    let mut msg = zmq::Message::new();
    // Warm up (first use of the pipe may allocate in libzmq, not in Rust).
    a.send(&payload[..], 0).unwrap();
    b.recv_into(&mut buf, 0).unwrap();

    // send(&[u8]) + recv_into: nothing.
    let n = rust_allocations(|| {
        for _ in 0..1000 {
            a.send(&payload[..], 0).unwrap();
            b.recv_into(&mut buf, 0).unwrap();
        }
    });
    assert_eq!(n, 0, "send(&[u8]) / recv_into allocated");

    // recv_msg_into reuses one Message: nothing.
    let n = rust_allocations(|| {
        for _ in 0..1000 {
            a.send(&payload[..], 0).unwrap();
            b.recv_msg_into(&mut msg, 0).unwrap();
        }
    });
    assert_eq!(n, 0, "recv_msg_into allocated");

    // send(Message) built from a Vec: only the Vec itself is allocated.
    let n = rust_allocations(|| {
        for _ in 0..100 {
            let data = vec![1u8; 4096]; // 1 allocation, the API's own
            a.send(data, 0).unwrap();
            b.recv_msg_into(&mut msg, 0).unwrap();
        }
    });
    assert_eq!(n, 100, "zero-copy send allocated beyond the Vec");

    // One payload sent many times by reference (fast_copy): nothing.
    let mut payload = zmq::Message::from(vec![3u8; 4096]);
    let n = rust_allocations(|| {
        for _ in 0..1000 {
            a.send(payload.fast_copy(), 0).unwrap();
            b.recv_msg_into(&mut msg, 0).unwrap();
        }
    });
    assert_eq!(n, 0, "fast_copy / send allocated");

    // Polling a registered socket: nothing per poll beyond the result's Vec
    // (one allocation only when something is ready).
    let mut poller = zmq::Poller::new();
    poller.register(&b, zmq::POLLIN);
    let n = rust_allocations(|| {
        for _ in 0..100 {
            assert!(poller.poll(0).unwrap().is_empty());
        }
    });
    assert_eq!(n, 0, "an idle poll allocated");
}
