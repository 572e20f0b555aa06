//! The binding's per-message cost, measured deterministically (the CI
//! guard of benches/callgrind.sh): one thread sends `count` messages of
//! `size` bytes on an inproc PUSH, then receives them on the PULL connected
//! to it. Nothing waits, so no thread is woken and the instruction count
//! under callgrind is the same from run to run.
//!
//! `callgrind_loop msg|value|bytes|async|async-wait <message-size> <message-count>`
//! (`async` and `async-wait` with feature `tokio`)
//!
//! benches/callgrind/loop.c does the same in C, with the same libzmq calls:
//! `msg` is `msg.copy_from(&mut payload)` and `s.send(&mut msg, 0)` on one
//! reused message (`zmq_msg_copy`, `zmq_msg_send`); `value` is
//! `s.send(payload.fast_copy(), 0)`, a new message per send (`zmq_msg_init`,
//! `zmq_msg_copy`, `zmq_msg_send`, `zmq_msg_close`); both receive with
//! `recv_msg_into` of one reused message (`zmq_msg_recv`). `bytes` is
//! `send(&[u8])` and `recv_into` (`zmq_send`, `zmq_recv`).
#[path = "common.rs"]
mod common;

use common::check;

fn main() {
    let args = common::args(
        "callgrind_loop msg|value|bytes|async|async-wait <message-size> <message-count>",
        3,
    );
    let api = args[0].as_str();
    let (size, count) = (common::number(&args[1]), common::number(&args[2]));
    #[cfg(feature = "tokio")]
    if api == "async" {
        return async_loop(size, count);
    }
    #[cfg(feature = "tokio")]
    if api == "async-wait" {
        return async_wait(size, count);
    }
    let ctx = zmq::Context::new();
    let pull = check("zmq_socket", ctx.socket(zmq::PULL));
    let push = check("zmq_socket", ctx.socket(zmq::PUSH));
    check("rcvhwm", pull.set_rcvhwm(0));
    check("sndhwm", push.set_sndhwm(0));
    check("zmq_bind", pull.bind("inproc://loop"));
    check("zmq_connect", push.connect("inproc://loop"));
    let mut buf = vec![0u8; size.max(1)];
    if api == "msg" || api == "value" {
        let mut payload = check("zmq_msg_init_size", zmq::Message::with_size(size));
        let mut msg = zmq::Message::new();
        if api == "msg" {
            for _ in 0..count {
                msg.copy_from(&mut payload);
                check("zmq_msg_send", push.send(&mut msg, 0));
            }
        } else {
            for _ in 0..count {
                check("zmq_msg_send", push.send(payload.fast_copy(), 0));
            }
        }
        for _ in 0..count {
            check("zmq_msg_recv", pull.recv_msg_into(&mut msg, 0));
            expect(msg.len(), size);
        }
    } else {
        for _ in 0..count {
            check("zmq_send", push.send(&buf[..size], 0));
        }
        for _ in 0..count {
            let got = check("zmq_recv", pull.recv_into(&mut buf, 0));
            expect(got, size);
        }
    }
}

fn expect(got: usize, size: usize) {
    if got != size {
        println!("message of incorrect size received");
        std::process::exit(1);
    }
}

/// `async`: the `msg` loop on `zmq::asyncio` sockets (one `.await` per
/// message on a current-thread runtime; nothing waits, so this is the async
/// layer's own cost per message: the lock, the try, the bookkeeping).
#[cfg(feature = "tokio")]
fn async_loop(size: usize, count: usize) {
    block_on(async {
        let ctx = zmq::asyncio::Context::new();
        let pull = check("zmq_socket", ctx.socket(zmq::PULL));
        let push = check("zmq_socket", ctx.socket(zmq::PUSH));
        check("rcvhwm", pull.set_rcvhwm(0));
        check("sndhwm", push.set_sndhwm(0));
        check("zmq_bind", pull.bind("inproc://loop"));
        check("zmq_connect", push.connect("inproc://loop"));
        let mut payload = check("zmq_msg_init_size", zmq::Message::with_size(size));
        let mut msg = zmq::Message::new();
        for _ in 0..count {
            msg.copy_from(&mut payload);
            check("zmq_msg_send", push.send(&mut msg, 0).await);
        }
        for _ in 0..count {
            check("zmq_msg_recv", pull.recv_msg_into(&mut msg, 0).await);
            expect(msg.len(), size);
        }
    });
}

/// `async-wait`: what a wait costs. Two tasks on one current-thread runtime
/// bounce `count` requests over inproc REQ/REP, so every recv waits for
/// the other task (registration, the reactor's edge, a park of the
/// runtime, the wake-up), yet all of it happens on one thread: the count
/// is still exact. Per round trip: two waits, four operations.
#[cfg(feature = "tokio")]
fn async_wait(size: usize, count: usize) {
    block_on(async {
        let ctx = zmq::asyncio::Context::new();
        let rep = check("zmq_socket", ctx.socket(zmq::REP));
        let req = check("zmq_socket", ctx.socket(zmq::REQ));
        check("zmq_bind", rep.bind("inproc://wait"));
        check("zmq_connect", req.connect("inproc://wait"));
        let echo = tokio::spawn(async move {
            let mut msg = zmq::Message::new();
            for _ in 0..count {
                check("zmq_msg_recv", rep.recv_msg_into(&mut msg, 0).await);
                check("zmq_msg_send", rep.send(&mut msg, 0).await);
            }
        });
        let payload = common::zeros(size);
        let mut msg = zmq::Message::new();
        for _ in 0..count {
            check(
                "zmq_msg_send",
                req.send(zmq::Message::from_static(payload), 0).await,
            );
            check("zmq_msg_recv", req.recv_msg_into(&mut msg, 0).await);
            expect(msg.len(), size);
        }
        echo.await.expect("the echo task");
    });
}

/// Runs `f` on a current-thread tokio runtime, as the async tools do.
#[cfg(feature = "tokio")]
fn block_on(f: impl std::future::Future<Output = ()>) {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime")
        .block_on(f)
}
