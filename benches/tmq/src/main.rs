//! libzmq's perf tools (`local_thr`, `remote_thr`, `local_lat`, `remote_lat`,
//! `inproc_thr`, `inproc_lat`) written the way a user of tmq 0.5 would:
//! `tmq-perf <tool> <the C tool's arguments>`, with the C tools' output, on
//! a current-thread tokio runtime. PUSH is tmq's `Sink<Multipart>` and PULL
//! its `Stream`; REQ/REP are its typestate sender/receiver pairs. Messages
//! are `zmq::Message`s, one `Multipart` per message (tmq's unit).

use std::time::Instant;

use futures::{SinkExt, StreamExt};
use tmq::{Context, Multipart};

#[path = "../../../examples/perf/output.rs"]
mod output;
use output::{print_latency, print_throughput};

fn fail(what: &str, e: impl std::fmt::Display) -> ! {
    println!("error in {what}: {e}");
    std::process::exit(1)
}

fn number(text: &str) -> usize {
    text.trim().parse().unwrap_or(0)
}

fn elapsed_us(start: Instant) -> u64 {
    (start.elapsed().as_micros() as u64).max(1)
}

fn expect_size(parts: &Multipart, size: usize) {
    if parts.len() != 1 || parts[0].len() != size {
        println!("message of incorrect size received");
        std::process::exit(1);
    }
}

async fn receive_all(mut s: tmq::pull::Pull, size: usize, count: usize) -> u64 {
    let mut start = Instant::now();
    for i in 0..count {
        let parts = match s.next().await {
            Some(Ok(parts)) => parts,
            Some(Err(e)) => fail("zmq_recvmsg", e),
            None => fail("zmq_recvmsg", "the stream ended"),
        };
        expect_size(&parts, size);
        if i == 0 {
            start = Instant::now();
        }
    }
    elapsed_us(start)
}

async fn send_all(mut s: tmq::push::Push, size: usize, count: usize) {
    for _ in 0..count {
        s.send(Multipart::from(zmq::Message::with_size(size)))
            .await
            .unwrap_or_else(|e| fail("zmq_sendmsg", e));
    }
}

async fn echo(mut s: tmq::request_reply::RequestReceiver, size: usize, count: usize) {
    for _ in 0..count {
        let (parts, sender) = s.recv().await.unwrap_or_else(|e| fail("zmq_recvmsg", e));
        expect_size(&parts, size);
        s = sender
            .send(parts)
            .await
            .unwrap_or_else(|e| fail("zmq_sendmsg", e));
    }
}

async fn ping(mut s: tmq::request_reply::RequestSender, size: usize, count: usize) -> u64 {
    let mut parts = Multipart::from(zmq::Message::with_size(size));
    let start = Instant::now();
    for _ in 0..count {
        let receiver = s.send(parts).await.unwrap_or_else(|e| fail("zmq_sendmsg", e));
        let (reply, sender) = receiver
            .recv()
            .await
            .unwrap_or_else(|e| fail("zmq_recvmsg", e));
        expect_size(&reply, size);
        parts = reply;
        s = sender;
    }
    elapsed_us(start)
}

fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime")
        .block_on(f)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let tool = args.first().map(String::as_str).unwrap_or("");
    let ctx = Context::new();
    match (tool, &args[1..]) {
        ("local_thr", [at, size, count]) => {
            let (size, count) = (number(size), number(count));
            let elapsed = block_on(async {
                let s = tmq::pull(&ctx).bind(at).unwrap_or_else(|e| fail("zmq_bind", e));
                receive_all(s, size, count).await
            });
            print_throughput(size, count, elapsed);
        }
        ("remote_thr", [at, size, count]) => {
            let (size, count) = (number(size), number(count));
            block_on(async {
                let s = tmq::push(&ctx).connect(at).unwrap_or_else(|e| fail("zmq_connect", e));
                send_all(s, size, count).await
            });
        }
        ("local_lat", [at, size, count]) => {
            let (size, count) = (number(size), number(count));
            block_on(async {
                let s = tmq::reply(&ctx).bind(at).unwrap_or_else(|e| fail("zmq_bind", e));
                echo(s, size, count).await
            });
        }
        ("remote_lat", [at, size, count]) => {
            let (size, count) = (number(size), number(count));
            let elapsed = block_on(async {
                let s = tmq::request(&ctx).connect(at).unwrap_or_else(|e| fail("zmq_connect", e));
                ping(s, size, count).await
            });
            println!("message size: {size} [B]");
            println!("roundtrip count: {count}");
            print_latency(elapsed, count);
        }
        ("inproc_thr", [size, count]) => {
            let (size, count) = (number(size), number(count));
            let elapsed = block_on(async {
                let s = tmq::pull(&ctx)
                    .bind("inproc://thr_test")
                    .unwrap_or_else(|e| fail("zmq_bind", e));
                let worker = {
                    let ctx = ctx.clone();
                    std::thread::spawn(move || {
                        block_on(async {
                            let s = tmq::push(&ctx)
                                .connect("inproc://thr_test")
                                .unwrap_or_else(|e| fail("zmq_connect", e));
                            send_all(s, size, count).await
                        })
                    })
                };
                let elapsed = receive_all(s, size, count).await;
                worker.join().expect("the sender thread");
                elapsed
            });
            print_throughput(size, count, elapsed);
        }
        ("inproc_lat", [size, count]) => {
            let (size, count) = (number(size), number(count));
            println!("message size: {size} [B]");
            println!("roundtrip count: {count}");
            let elapsed = block_on(async {
                let s = tmq::request(&ctx)
                    .bind("inproc://lat_test")
                    .unwrap_or_else(|e| fail("zmq_bind", e));
                let worker = {
                    let ctx = ctx.clone();
                    std::thread::spawn(move || {
                        block_on(async {
                            let s = tmq::reply(&ctx)
                                .connect("inproc://lat_test")
                                .unwrap_or_else(|e| fail("zmq_connect", e));
                            echo(s, size, count).await
                        })
                    })
                };
                let elapsed = ping(s, size, count).await;
                worker.join().expect("the echo thread");
                elapsed
            });
            print_latency(elapsed, count);
        }
        _ => {
            println!("usage: tmq-perf local_thr|remote_thr|local_lat|remote_lat|inproc_thr|inproc_lat ARGS...");
            std::process::exit(1);
        }
    }
}
