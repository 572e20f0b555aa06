//! Publisher of two topics: every round it publishes "1-<n> ..." and
//! "2-<n> ..." on a PUB socket bound to tcp://*:5563; subscribers keep the
//! prefix they subscribe to.
//!
//! `cargo run --example prefix_pub -- [--bind=ENDPOINT] [--count=N] [--interval-ms=MS]`
mod support;

use std::time::Duration;

fn main() -> support::Result {
    let args = support::Args::parse(&["bind", "count", "interval-ms"])?;
    let interval = Duration::from_millis(args.number("interval-ms", 100)?);

    let context = zmq::Context::new();
    let publisher = context.socket(zmq::PUB)?;
    publisher.bind(&args.get("bind", "tcp://*:5563"))?;

    for n in args.rounds()? {
        publisher.send_string(&format!("1-{n} We would like to see this"), 0)?;
        publisher.send_string(&format!("2-{n} We don't want to see this"), 0)?;
        std::thread::sleep(interval);
    }
    Ok(())
}
