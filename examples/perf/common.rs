//! What the perf tools share: libzmq's perf protocol (the same command
//! lines, the same measurements, the same output as libzmq's perf/*.cpp),
//! written with the crate's public API. `ZMQ_PERF_API` picks how messages
//! are handled:
//!
//! - `msg` (default): `zmq::Message`s without copying. A throughput sender
//!   makes a fresh message per send, as the C tool does, and hands it to
//!   libzmq (`send(&mut msg)`): the C tool's `zmq_msg_init_size` leaves the
//!   bytes uninitialised, which safe Rust cannot send, so each message is a
//!   constant one over a zeroed buffer made once (`Message::from_static`,
//!   `zmq_msg_init_data` without a free function: no allocation, no copy,
//!   no write per message). The latency tools do what C does: one message
//!   sent and received back into (`send(&mut msg)`, `recv_msg_into`).
//!   Receivers reuse one `Message`.
//! - `bytes`: `send(&[u8])` from one buffer and `recv_into` one buffer
//!   (`zmq_send`/`zmq_recv`: one copy in, one copy out).
#![allow(dead_code)]

use std::time::Instant;

#[path = "output.rs"]
mod output;

#[derive(Clone, Copy, PartialEq)]
pub enum Api {
    Msg,
    Bytes,
}

pub fn api() -> Api {
    match std::env::var("ZMQ_PERF_API").as_deref() {
        Ok("bytes") => Api::Bytes,
        Ok("msg") | Err(_) => Api::Msg,
        Ok(other) => {
            println!("ZMQ_PERF_API must be msg or bytes, not {other}");
            std::process::exit(1);
        }
    }
}

/// The arguments after the program name; prints `usage` and exits unless
/// there are `count` of them.
pub fn args(usage: &str, count: usize) -> Vec<String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() != count {
        println!("usage: {usage}");
        std::process::exit(1);
    }
    args
}

/// `atoi`, as the C tools read their numbers.
pub fn number(text: &str) -> usize {
    text.trim().parse().unwrap_or(0)
}

/// Reports a failed call the way the C tools do, and exits.
#[inline]
pub fn check<T>(what: &str, result: zmq::Result<T>) -> T {
    match result {
        Ok(value) => value,
        Err(e) => fail(what, e),
    }
}

#[cold]
#[inline(never)]
fn fail(what: &str, e: zmq::Error) -> ! {
    println!("error in {what}: {e}");
    std::process::exit(1);
}

/// `zmq_stopwatch`: microseconds, never 0.
pub struct Stopwatch(Instant);

impl Stopwatch {
    pub fn start() -> Stopwatch {
        Stopwatch(Instant::now())
    }
    pub fn stop(self) -> u64 {
        (self.0.elapsed().as_micros() as u64).max(1)
    }
}

/// Exits as the C tools do when a message of the wrong size arrives.
pub fn expect_size(got: usize, size: usize) {
    if got != size {
        println!("message of incorrect size received");
        std::process::exit(1);
    }
}

/// Receives `count` messages of `size` bytes (the clock starts at the
/// first); the elapsed microseconds. local_thr's loop. (Each API has a loop
/// of its own, so nothing is decided per message that the C tool does not
/// decide.)
pub fn receive_all(s: &zmq::Socket, size: usize, count: usize) -> u64 {
    match api() {
        Api::Msg => {
            let mut msg = zmq::Message::new();
            check("zmq_recvmsg", s.recv_msg_into(&mut msg, 0));
            expect_size(msg.len(), size);
            let watch = Stopwatch::start();
            for _ in 1..count {
                check("zmq_recvmsg", s.recv_msg_into(&mut msg, 0));
                expect_size(msg.len(), size);
            }
            watch.stop()
        }
        Api::Bytes => {
            let mut buf = vec![0u8; size.max(1)];
            expect_size(check("zmq_recv", s.recv_into(&mut buf, 0)), size);
            let watch = Stopwatch::start();
            for _ in 1..count {
                expect_size(check("zmq_recv", s.recv_into(&mut buf, 0)), size);
            }
            watch.stop()
        }
    }
}

/// `size` zeroed bytes that live as long as the program, for
/// `Message::from_static` (each tool sends one payload, made once).
pub fn zeros(size: usize) -> &'static [u8] {
    Box::leak(vec![0u8; size].into_boxed_slice())
}

/// Sends `count` messages of `size` bytes. remote_thr's loop.
///
/// With `Message`s: a fresh message per send, as the C tool makes one with
/// `zmq_msg_init_size` (whose bytes it never writes: uninitialised bytes
/// safe Rust cannot send). Here each is a constant message over one zeroed
/// buffer (`Message::from_static`: `zmq_msg_init_data`, costing what
/// `zmq_msg_init_size` costs for 1 B and no allocation above 33 B), handed
/// to libzmq by `send(&mut msg)` (sent by value, `send(msg)`, it costs a
/// few instructions more: the 72-byte move into `send`, which the
/// optimiser keeps once libzmq has seen the message's address).
pub fn send_all(s: &zmq::Socket, size: usize, count: usize) {
    match api() {
        Api::Msg => {
            let payload = zeros(size);
            for _ in 0..count {
                let mut msg = zmq::Message::from_static(payload);
                check("zmq_sendmsg", s.send(&mut msg, 0));
            }
        }
        Api::Bytes => {
            let buf = vec![0u8; size];
            for _ in 0..count {
                check("zmq_send", s.send(&buf[..], 0));
            }
        }
    }
}

/// Sends every message back, `count` times. local_lat's loop.
pub fn echo(s: &zmq::Socket, size: usize, count: usize) {
    match api() {
        Api::Msg => {
            let mut msg = zmq::Message::new();
            for _ in 0..count {
                check("zmq_recvmsg", s.recv_msg_into(&mut msg, 0));
                expect_size(msg.len(), size);
                // Hands the received message back without copying.
                check("zmq_sendmsg", s.send(&mut msg, 0));
            }
        }
        Api::Bytes => {
            let mut buf = vec![0u8; size.max(1)];
            for _ in 0..count {
                let got = check("zmq_recv", s.recv_into(&mut buf, 0));
                expect_size(got, size);
                check("zmq_send", s.send(&buf[..got.min(buf.len())], 0));
            }
        }
    }
}

/// `count` round trips; the elapsed microseconds. remote_lat's loop.
pub fn ping(s: &zmq::Socket, size: usize, count: usize) -> u64 {
    match api() {
        Api::Msg => {
            // As remote_lat.cpp: one message, sent and received back into.
            let mut msg = check("zmq_msg_init_size", zmq::Message::with_size(size));
            let watch = Stopwatch::start();
            for _ in 0..count {
                check("zmq_sendmsg", s.send(&mut msg, 0));
                check("zmq_recvmsg", s.recv_msg_into(&mut msg, 0));
                expect_size(msg.len(), size);
            }
            watch.stop()
        }
        Api::Bytes => {
            let mut buf = vec![0u8; size.max(1)];
            let watch = Stopwatch::start();
            for _ in 0..count {
                check("zmq_send", s.send(&buf[..size], 0));
                expect_size(check("zmq_recv", s.recv_into(&mut buf, 0)), size);
            }
            watch.stop()
        }
    }
}

#[allow(unused_imports)] // each tool prints one of them
pub use output::{print_latency, print_throughput};
