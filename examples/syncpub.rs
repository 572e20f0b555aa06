//! Synchronized publisher: waits until the expected number of subscribers
//! are ready before broadcasting, so none of them misses the start.
//!
//! The tutorial's subscribers sleep a second and hope their subscription has
//! arrived; here they use the robust handshake the ZeroMQ guide recommends:
//! the publisher sends "HELLO" on PUB while it waits, and a subscriber asks
//! for the start (over REQ/REP) only once it has heard one, which proves its
//! subscription is in place.
//!
//! `cargo run --example syncpub -- [--bind=PUB-ENDPOINT] [--sync=REP-ENDPOINT]
//! [--subscribers=N] [--updates=N]`
mod support;

fn main() -> support::Result {
    let args = support::Args::parse(&["bind", "sync", "subscribers", "updates"])?;
    let subscribers_expected: u32 = args.number("subscribers", 10)?;
    let updates: u32 = args.number("updates", 1_000_000)?;

    let context = zmq::Context::new();

    // Socket to talk to clients
    let publisher = context.socket(zmq::PUB)?;
    // Keep every update for slow subscribers rather than dropping them.
    publisher.set_sndhwm(0)?;
    publisher.bind(&args.get("bind", "tcp://*:5561"))?;

    // Socket to receive signals
    let syncservice = context.socket(zmq::REP)?;
    syncservice.bind(&args.get("sync", "tcp://*:5562"))?;

    // Get synchronization from subscribers
    println!("Waiting for subscribers");
    let mut subscribers = 0;
    while subscribers < subscribers_expected {
        publisher.send(b"HELLO", 0)?;
        if syncservice.poll(100, zmq::POLLIN)?.is_empty() {
            continue;
        }
        // wait for synchronization request, send synchronization reply
        syncservice.recv(0)?;
        syncservice.send(b"", 0)?;
        subscribers += 1;
        println!("+1 subscriber ({subscribers}/{subscribers_expected})");
    }

    // Now broadcast exactly `updates` updates followed by END
    println!("Broadcasting messages");
    for _ in 0..updates {
        publisher.send(b"Rhubarb", 0)?;
    }
    publisher.send(b"END", 0)?;
    Ok(())
}
