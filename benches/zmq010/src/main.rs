//! libzmq's perf tools (`local_thr`, `remote_thr`, `local_lat`, `remote_lat`,
//! `inproc_thr`, `inproc_lat`) written the way a user of the `zmq` 0.10
//! crate would: `zmq010-perf <tool> <the C tool's arguments>`, with the C
//! tools' output. Messages are `zmq::Message`s, as in the C tools: a
//! throughput sender makes one per message (`Message::with_size`, which
//! zero-fills), latency tools send the received message back, receivers
//! reuse one.

use std::time::Instant;

#[path = "../../../examples/perf/output.rs"]
mod output;
use output::{print_latency, print_throughput};

fn fail(what: &str, e: zmq::Error) -> ! {
    println!("error in {what}: {e}");
    std::process::exit(1)
}

fn number(text: &str) -> usize {
    text.trim().parse().unwrap_or(0)
}

fn socket(ctx: &zmq::Context, kind: zmq::SocketType) -> zmq::Socket {
    ctx.socket(kind).unwrap_or_else(|e| fail("zmq_socket", e))
}

fn elapsed_us(start: Instant) -> u64 {
    (start.elapsed().as_micros() as u64).max(1)
}

fn receive_all(s: &zmq::Socket, size: usize, count: usize) -> u64 {
    let mut msg = zmq::Message::new();
    let mut start = Instant::now();
    for i in 0..count {
        s.recv(&mut msg, 0)
            .unwrap_or_else(|e| fail("zmq_recvmsg", e));
        if msg.len() != size {
            println!("message of incorrect size received");
            std::process::exit(1);
        }
        if i == 0 {
            start = Instant::now();
        }
    }
    elapsed_us(start)
}

fn send_all(s: &zmq::Socket, size: usize, count: usize) {
    for _ in 0..count {
        s.send(zmq::Message::with_size(size), 0)
            .unwrap_or_else(|e| fail("zmq_sendmsg", e));
    }
}

fn echo(s: &zmq::Socket, size: usize, count: usize) {
    for _ in 0..count {
        let msg = s.recv_msg(0).unwrap_or_else(|e| fail("zmq_recvmsg", e));
        if msg.len() != size {
            println!("message of incorrect size received");
            std::process::exit(1);
        }
        s.send(msg, 0).unwrap_or_else(|e| fail("zmq_sendmsg", e));
    }
}

fn ping(s: &zmq::Socket, size: usize, count: usize) -> u64 {
    let mut msg = zmq::Message::with_size(size);
    let start = Instant::now();
    for _ in 0..count {
        s.send(msg, 0).unwrap_or_else(|e| fail("zmq_sendmsg", e));
        msg = s.recv_msg(0).unwrap_or_else(|e| fail("zmq_recvmsg", e));
        if msg.len() != size {
            println!("message of incorrect size received");
            std::process::exit(1);
        }
    }
    elapsed_us(start)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let tool = args.first().map(String::as_str).unwrap_or("");
    let wanted = if tool.starts_with("inproc") { 3 } else { 4 };
    if args.len() != wanted {
        println!("usage: zmq010-perf local_thr|remote_thr|local_lat|remote_lat <endpoint> <size> <count>");
        println!("       zmq010-perf inproc_thr|inproc_lat <size> <count>");
        std::process::exit(1);
    }
    let (size, count) = (number(&args[wanted - 2]), number(&args[wanted - 1]));
    let ctx = zmq::Context::new();
    match tool {
        "local_thr" => {
            let s = socket(&ctx, zmq::PULL);
            s.bind(&args[1]).unwrap_or_else(|e| fail("zmq_bind", e));
            let elapsed = receive_all(&s, size, count);
            print_throughput(size, count, elapsed);
        }
        "remote_thr" => {
            let s = socket(&ctx, zmq::PUSH);
            s.connect(&args[1])
                .unwrap_or_else(|e| fail("zmq_connect", e));
            send_all(&s, size, count);
        }
        "local_lat" => {
            let s = socket(&ctx, zmq::REP);
            s.bind(&args[1]).unwrap_or_else(|e| fail("zmq_bind", e));
            echo(&s, size, count);
        }
        "remote_lat" => {
            let s = socket(&ctx, zmq::REQ);
            s.connect(&args[1])
                .unwrap_or_else(|e| fail("zmq_connect", e));
            println!("message size: {size} [B]");
            println!("roundtrip count: {count}");
            let elapsed = ping(&s, size, count);
            print_latency(elapsed, count);
        }
        "inproc_thr" => {
            let s = socket(&ctx, zmq::PULL);
            s.bind("inproc://thr_test")
                .unwrap_or_else(|e| fail("zmq_bind", e));
            let worker_ctx = ctx.clone();
            let worker = std::thread::spawn(move || {
                let s = socket(&worker_ctx, zmq::PUSH);
                s.connect("inproc://thr_test")
                    .unwrap_or_else(|e| fail("zmq_connect", e));
                send_all(&s, size, count);
            });
            let elapsed = receive_all(&s, size, count);
            let _ = worker.join();
            print_throughput(size, count, elapsed);
        }
        "inproc_lat" => {
            let s = socket(&ctx, zmq::REQ);
            s.bind("inproc://lat_test")
                .unwrap_or_else(|e| fail("zmq_bind", e));
            let worker_ctx = ctx.clone();
            let worker = std::thread::spawn(move || {
                let s = socket(&worker_ctx, zmq::REP);
                s.connect("inproc://lat_test")
                    .unwrap_or_else(|e| fail("zmq_connect", e));
                echo(&s, size, count);
            });
            println!("message size: {size} [B]");
            println!("roundtrip count: {count}");
            let elapsed = ping(&s, size, count);
            let _ = worker.join();
            print_latency(elapsed, count);
        }
        other => {
            println!("unknown tool {other}");
            std::process::exit(1);
        }
    }
}
