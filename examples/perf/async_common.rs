//! What the async perf tools share: the sync tools' protocol, command
//! lines and output (`common.rs`), with the loops on `zmq::asyncio` sockets
//! on a current-thread tokio runtime, written as a user writes them: one
//! `.await` per message. Each async send or recv first tries the operation
//! (`DONTWAIT`) and waits on the socket's fd only when libzmq says
//! `EAGAIN`, so a burst of queued messages costs one wake-up, not one per
//! message. `ZMQ_PERF_API` picks `msg` (default) or `bytes`, as for the
//! sync tools.
#![allow(dead_code)]

#[path = "common.rs"]
mod sync;

#[allow(unused_imports)] // each tool prints one of them
pub use sync::{api, args, check, expect_size, number, print_latency, print_throughput, zeros};
pub use sync::{Api, Stopwatch};

/// Runs the tool's future on a current-thread runtime (asyncio's loop).
pub fn block_on<F: std::future::Future>(f: F) -> F::Output {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    rt.block_on(f)
}

/// local_thr's loop; see `sync::receive_all`.
pub async fn receive_all(s: &zmq::asyncio::Socket, size: usize, count: usize) -> u64 {
    match api() {
        Api::Msg => {
            let mut msg = zmq::Message::new();
            check("zmq_recvmsg", s.recv_msg_into(&mut msg, 0).await);
            expect_size(msg.len(), size);
            let watch = Stopwatch::start();
            for _ in 1..count {
                check("zmq_recvmsg", s.recv_msg_into(&mut msg, 0).await);
                expect_size(msg.len(), size);
            }
            watch.stop()
        }
        Api::Bytes => {
            let mut buf = vec![0u8; size.max(1)];
            expect_size(check("zmq_recv", s.recv_into(&mut buf, 0).await), size);
            let watch = Stopwatch::start();
            for _ in 1..count {
                expect_size(check("zmq_recv", s.recv_into(&mut buf, 0).await), size);
            }
            watch.stop()
        }
    }
}

/// remote_thr's loop; see `sync::send_all`.
pub async fn send_all(s: &zmq::asyncio::Socket, size: usize, count: usize) {
    match api() {
        Api::Msg => {
            let payload = zeros(size);
            for _ in 0..count {
                let mut msg = zmq::Message::from_static(payload);
                check("zmq_sendmsg", s.send(&mut msg, 0).await);
            }
        }
        Api::Bytes => {
            let buf = vec![0u8; size];
            for _ in 0..count {
                check("zmq_send", s.send(&buf[..], 0).await);
            }
        }
    }
}

/// local_lat's loop; see `sync::echo`.
pub async fn echo(s: &zmq::asyncio::Socket, size: usize, count: usize) {
    match api() {
        Api::Msg => {
            let mut msg = zmq::Message::new();
            for _ in 0..count {
                check("zmq_recvmsg", s.recv_msg_into(&mut msg, 0).await);
                expect_size(msg.len(), size);
                check("zmq_sendmsg", s.send(&mut msg, 0).await);
            }
        }
        Api::Bytes => {
            let mut buf = vec![0u8; size.max(1)];
            for _ in 0..count {
                let got = check("zmq_recv", s.recv_into(&mut buf, 0).await);
                expect_size(got, size);
                check("zmq_send", s.send(&buf[..got.min(buf.len())], 0).await);
            }
        }
    }
}

/// remote_lat's loop; see `sync::ping`.
pub async fn ping(s: &zmq::asyncio::Socket, size: usize, count: usize) -> u64 {
    match api() {
        Api::Msg => {
            let mut msg = check("zmq_msg_init_size", zmq::Message::with_size(size));
            let watch = Stopwatch::start();
            for _ in 0..count {
                check("zmq_sendmsg", s.send(&mut msg, 0).await);
                check("zmq_recvmsg", s.recv_msg_into(&mut msg, 0).await);
                expect_size(msg.len(), size);
            }
            watch.stop()
        }
        Api::Bytes => {
            let mut buf = vec![0u8; size.max(1)];
            let watch = Stopwatch::start();
            for _ in 0..count {
                check("zmq_send", s.send(&buf[..size], 0).await);
                expect_size(check("zmq_recv", s.recv_into(&mut buf, 0).await), size);
            }
            watch.stop()
        }
    }
}
