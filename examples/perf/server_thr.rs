//! Request/reply throughput of one server socket: a SERVER answered by one
//! thread, the same SERVER shared by two threads (`zmq::ThreadSafeSocket`
//! through an `Arc`), and a classic ROUTER in one thread (it cannot be
//! shared). `server_thr <mode> <message-size> <message-count> <clients>`,
//! mode `server1`, `server2` or `router`: `clients` CLIENT (DEALER for the
//! ROUTER) sockets, each in a thread of its own, send their share of
//! `message-count` requests over tcp with at most 100 in flight, and the
//! server echoes each back to its sender; the clock runs from the first
//! request to the last reply. Prints round trips per second.
#[path = "common.rs"]
mod common;

use std::sync::Arc;

const WINDOW: usize = 100;

fn main() {
    let args = common::args(
        "server_thr <server1|server2|router> <message-size> <message-count> <clients>",
        4,
    );
    let mode = args[0].as_str();
    let (size, count, clients) = (
        common::number(&args[1]),
        common::number(&args[2]),
        common::number(&args[3]).max(1),
    );
    let per_client = count / clients;
    let ctx = zmq::Context::new();
    let (endpoint, servers) = match mode {
        "server1" | "server2" => {
            let server = Arc::new(common::check(
                "zmq_socket",
                ctx.thread_safe_socket(zmq::SERVER),
            ));
            common::check("zmq_bind", server.bind("tcp://127.0.0.1:*"));
            let endpoint = common::check("zmq_getsockopt", server.last_endpoint());
            let threads = if mode == "server1" { 1 } else { 2 };
            let total = per_client * clients;
            let servers: Vec<_> = (0..threads)
                .map(|t| {
                    let server = Arc::clone(&server);
                    // The threads split the work: together they answer all.
                    let share = total / threads + usize::from(t < total % threads);
                    std::thread::spawn(move || {
                        let mut msg = zmq::Message::new();
                        for _ in 0..share {
                            common::check("zmq_msg_recv", server.recv_msg_into(&mut msg, 0));
                            let rid = msg.routing_id().unwrap_or(1);
                            common::check(
                                "zmq_msg_send",
                                server.send_with_routing_id(&mut msg, rid, 0),
                            );
                        }
                    })
                })
                .collect();
            (endpoint, servers)
        }
        "router" => {
            let router = common::check("zmq_socket", ctx.socket(zmq::ROUTER));
            common::check("zmq_bind", router.bind("tcp://127.0.0.1:*"));
            let endpoint = common::check("zmq_getsockopt", router.last_endpoint());
            let total = per_client * clients;
            let server = std::thread::spawn(move || {
                let (mut id, mut body) = (zmq::Message::new(), zmq::Message::new());
                for _ in 0..total {
                    common::check("zmq_msg_recv", router.recv_msg_into(&mut id, 0));
                    common::check("zmq_msg_recv", router.recv_msg_into(&mut body, 0));
                    common::check("zmq_msg_send", router.send(&mut id, zmq::SNDMORE));
                    common::check("zmq_msg_send", router.send(&mut body, 0));
                }
            });
            (endpoint, vec![server])
        }
        other => {
            println!("mode is server1, server2 or router, not {other}");
            std::process::exit(1);
        }
    };
    let router = mode == "router";
    // Connected before the clock starts.
    let sockets: Vec<zmq::Socket> = (0..clients)
        .map(|_| {
            let kind = if router { zmq::DEALER } else { zmq::CLIENT };
            let s = common::check("zmq_socket", ctx.socket(kind));
            common::check("zmq_connect", s.connect(&endpoint));
            s
        })
        .collect();
    let watch = common::Stopwatch::start();
    let client_threads: Vec<_> = sockets
        .into_iter()
        .map(|s| {
            std::thread::spawn(move || {
                let payload = vec![0u8; size];
                let mut reply = zmq::Message::new();
                let (mut sent, mut received) = (0, 0);
                while received < per_client {
                    while sent < per_client && sent - received < WINDOW {
                        common::check("zmq_send", s.send(&payload[..], 0));
                        sent += 1;
                    }
                    common::check("zmq_msg_recv", s.recv_msg_into(&mut reply, 0));
                    common::expect_size(reply.len(), size);
                    received += 1;
                }
            })
        })
        .collect();
    for t in client_threads {
        t.join().expect("a client thread");
    }
    let elapsed = watch.stop();
    for t in servers {
        t.join().expect("a server thread");
    }
    let total = (per_client * clients) as u64;
    println!("mode: {mode}");
    println!("message size: {size} [B]");
    println!("round trips: {total}");
    println!("clients: {clients}");
    println!(
        "mean throughput: {} [round trips/s]",
        total * 1_000_000 / elapsed
    );
}
