//! What the perf tools share: libzmq's perf protocol (the same command
//! lines, the same measurements, the same output as libzmq's perf/*.cpp),
//! written with the crate's public API. `ZMQ_PERF_API` picks how messages
//! are handled:
//!
//! - `msg` (default): one `zmq::Message` per message sent
//!   (`Message::with_size`, as the C tools do with `zmq_msg_init_size`) and
//!   one reused `Message` to receive into (`recv_msg_into`).
//! - `bytes`: `send(&[u8])` from one buffer and `recv_into` one buffer.
#![allow(dead_code)]

use std::time::Instant;

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
pub fn check<T>(what: &str, result: zmq::Result<T>) -> T {
    result.unwrap_or_else(|e| {
        println!("error in {what}: {e}");
        std::process::exit(1);
    })
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

/// Receives `count` messages of `size` bytes (the clock starts at the
/// first); the elapsed microseconds. local_thr's loop.
pub fn receive_all(s: &zmq::Socket, size: usize, count: usize) -> u64 {
    let api = api();
    let mut msg = zmq::Message::new();
    let mut buf = vec![0u8; size.max(1)];
    let mut receive = || {
        let got = match api {
            Api::Msg => {
                check("zmq_recvmsg", s.recv_msg_into(&mut msg, 0));
                msg.len()
            }
            Api::Bytes => check("zmq_recv", s.recv_into(&mut buf, 0)),
        };
        if got != size {
            println!("message of incorrect size received");
            std::process::exit(1);
        }
    };
    receive();
    let watch = Stopwatch::start();
    for _ in 1..count {
        receive();
    }
    watch.stop()
}

/// Sends `count` messages of `size` bytes. remote_thr's loop.
pub fn send_all(s: &zmq::Socket, size: usize, count: usize) {
    let api = api();
    let buf = vec![0u8; size];
    for _ in 0..count {
        match api {
            Api::Msg => check("zmq_sendmsg", s.send(zmq::Message::with_size(size), 0)),
            Api::Bytes => check("zmq_send", s.send(&buf[..], 0)),
        }
    }
}

/// Sends every message back, `count` times. local_lat's loop.
pub fn echo(s: &zmq::Socket, size: usize, count: usize) {
    let api = api();
    let mut msg = zmq::Message::new();
    let mut buf = vec![0u8; size.max(1)];
    for _ in 0..count {
        let got = match api {
            Api::Msg => {
                check("zmq_recvmsg", s.recv_msg_into(&mut msg, 0));
                let got = msg.len();
                // Hands the received message back without copying.
                check("zmq_sendmsg", s.send(&mut msg, 0));
                got
            }
            Api::Bytes => {
                let got = check("zmq_recv", s.recv_into(&mut buf, 0));
                check("zmq_send", s.send(&buf[..got.min(buf.len())], 0));
                got
            }
        };
        if got != size {
            println!("message of incorrect size received");
            std::process::exit(1);
        }
    }
}

/// `count` round trips; the elapsed microseconds. remote_lat's loop.
pub fn ping(s: &zmq::Socket, size: usize, count: usize) -> u64 {
    let api = api();
    let mut msg = zmq::Message::new();
    let mut buf = vec![0u8; size.max(1)];
    let watch = Stopwatch::start();
    for _ in 0..count {
        let got = match api {
            Api::Msg => {
                check("zmq_sendmsg", s.send(zmq::Message::with_size(size), 0));
                check("zmq_recvmsg", s.recv_msg_into(&mut msg, 0));
                msg.len()
            }
            Api::Bytes => {
                check("zmq_send", s.send(&buf[..size], 0));
                check("zmq_recv", s.recv_into(&mut buf, 0))
            }
        };
        if got != size {
            println!("message of incorrect size received");
            std::process::exit(1);
        }
    }
    watch.stop()
}

pub fn print_throughput(size: usize, count: usize, elapsed: u64) {
    let throughput = count as f64 / elapsed as f64 * 1_000_000.0;
    let megabits = throughput * size as f64 * 8.0 / 1_000_000.0;
    println!("message size: {size} [B]");
    println!("message count: {count}");
    println!("mean throughput: {} [msg/s]", throughput as u64);
    println!("mean throughput: {megabits:.3} [Mb/s]");
}

pub fn print_latency(elapsed: u64, count: usize) {
    let latency = elapsed as f64 / (count * 2) as f64;
    println!("average latency: {latency:.3} [us]");
}
