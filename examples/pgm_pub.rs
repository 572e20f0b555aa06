//! Multicast publisher over PGM encapsulated in UDP (`epgm://`): publishes
//! "update <n>" every interval to the group given on the command line.
//! Needs the `pgm` feature and an interface with multicast enabled.
//!
//! `cargo run --features pgm --example pgm_pub -- [--count=N] [--interval-ms=MS]
//! [--rate=KBITS] [ENDPOINT]` (default `epgm://127.0.0.1;239.192.1.1:5555`:
//! loopback, which must have multicast on and a route for the group)
mod support;

use std::time::Duration;

fn main() -> support::Result {
    let args = support::Args::parse(&["count", "interval-ms", "rate"])?;
    let endpoint = args
        .words()
        .first()
        .map_or("epgm://127.0.0.1;239.192.1.1:5555", String::as_str);
    let interval = Duration::from_millis(args.number("interval-ms", 100)?);
    if !zmq::has("pgm") {
        return Err("this libzmq was built without PGM".into());
    }

    let context = zmq::Context::new();
    let publisher = context.socket(zmq::PUB)?;
    // The multicast rate limit, kilobits per second (libzmq's default: 100).
    publisher.set_rate(args.number("rate", 100)?)?;
    // PGM has no connection: both ends "connect" to the group.
    publisher.connect(endpoint)?;
    println!("Publishing to {endpoint}");

    for n in args.rounds()? {
        publisher.send_string(&format!("update {n}"), 0)?;
        std::thread::sleep(interval);
    }
    Ok(())
}
