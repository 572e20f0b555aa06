//! Shutting down cleanly: what LINGER does, and why sockets are closed
//! before the context is terminated.
//!
//! 1. A message queued for a peer that never comes keeps `Context::term`
//!    waiting for as long as the socket's LINGER says (forever by default);
//!    a LINGER of 200 ms bounds it.
//! 2. `term` makes a thread blocked in `recv` return `ContextTerminated`;
//!    that thread then closes its socket, and only then does `term` return.
//!
//! `cargo run --example teardown -- [--peer=ENDPOINT] [--linger-ms=MS]`
mod support;

use std::time::Instant;

fn main() -> support::Result {
    let args = support::Args::parse(&["peer", "linger-ms"])?;
    let linger: i32 = args.number("linger-ms", 200)?;

    // 1. LINGER bounds how long term() waits for undelivered messages.
    let context = zmq::Context::new();
    let sender = context.socket(zmq::PUSH)?;
    // Nobody listens there: the message can only wait in the queue.
    sender.connect(&args.get("peer", "tcp://127.0.0.1:5599"))?;
    sender.send(b"never delivered", 0)?;
    sender.set_linger(linger)?;
    let start = Instant::now();
    sender.close()?; // close first: term() waits for every socket
    context.term()?; // ... and then for the socket's pending message, up to LINGER
    println!(
        "term() returned after {} ms: LINGER {linger} ms dropped the undelivered message",
        start.elapsed().as_millis()
    );

    // 2. term() wakes a thread blocked in recv; that thread closes its socket.
    let context = zmq::Context::new();
    let receiver = context.socket(zmq::PULL)?;
    receiver.bind("inproc://teardown")?;
    let worker = std::thread::spawn(move || {
        match receiver.recv(0) {
            Err(zmq::Error::ContextTerminated) => {
                println!("worker: recv returned ContextTerminated, closing my socket");
            }
            other => println!("worker: unexpected {other:?}"),
        }
        drop(receiver); // the socket is closed here, letting term() finish
    });
    context.term()?;
    println!("main: term() returned once every socket was closed");
    worker.join().map_err(|_| "the worker panicked")?;
    Ok(())
}
