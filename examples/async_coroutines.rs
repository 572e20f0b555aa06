//! Example using zmq with asyncio coroutines (pyzmq's
//! examples/asyncio/coroutines.py): a PUSH sender, a PULL receiver that
//! waits in an async `Poller`, and a task printing dots while idle, all on
//! one thread.
//!
//! `cargo run --features tokio --example async_coroutines -- [--url=ENDPOINT] [--count=N] [--interval-ms=MS]`
//! (pyzmq's runs forever: `--count` ends it after N messages received;
//! `--interval-ms` is the sender's pause, 1000, and half of it the dots').
mod support;

use std::time::{Duration, Instant};

use zmq::asyncio::{Context, Poller};

/// print dots to indicate idleness
async fn ping(interval: Duration) {
    loop {
        tokio::time::sleep(interval / 2).await;
        println!(".");
    }
}

/// receive messages with polling
async fn receiver(url: &str, count: u64) -> zmq::Result<()> {
    let ctx = Context::instance();
    let pull = ctx.socket(zmq::PULL)?;
    pull.connect(url)?;
    let mut poller = Poller::new();
    poller.register(&pull, zmq::POLLIN);
    for _ in 0..count {
        let events = poller.poll(-1).await?;
        if events.contains(&pull) {
            println!("recving {:?}", events.get(&pull));
            let msg = pull.recv_multipart(0).await?;
            println!("recvd {}", support::py_bytes(&msg));
        }
    }
    Ok(())
}

/// send a message every second
async fn sender(url: &str, interval: Duration) -> zmq::Result<()> {
    let tic = Instant::now();
    let ctx = Context::instance();
    let push = ctx.socket(zmq::PUSH)?;
    push.bind(url)?;
    loop {
        println!("sending");
        push.send_multipart([tic.elapsed().as_secs_f64().to_string()], 0)
            .await?;
        tokio::time::sleep(interval).await;
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> support::Result {
    let args = support::Args::parse(&["url", "count", "interval-ms"])?;
    let url = args.get("url", "tcp://127.0.0.1:5555");
    let count = args.number("count", u64::MAX)?;
    let interval = Duration::from_millis(args.number("interval-ms", 1000)?);
    // The three run together; the program ends when the receiver has its
    // count (or one of them fails).
    tokio::select! {
        () = ping(interval) => {}
        result = receiver(&url, count) => result?,
        result = sender(&url, interval) => result?,
    }
    Ok(())
}
