//! Request-reply worker behind a broker: connects a REP socket to the
//! broker's backend (tcp://localhost:5560) and answers "World".
//!
//! `cargo run --example rrworker -- [--connect=ENDPOINT] [--count=N] [--work-ms=MS]`
mod support;

use std::time::Duration;

fn main() -> support::Result {
    let args = support::Args::parse(&["connect", "count", "work-ms"])?;
    let work = Duration::from_millis(args.number("work-ms", 1000)?);

    let context = zmq::Context::new();
    let socket = context.socket(zmq::REP)?;
    socket.connect(&args.get("connect", "tcp://localhost:5560"))?;

    for _ in args.rounds()? {
        let message = socket.recv_string(0)?;
        println!("Received request: {message}");
        std::thread::sleep(work);
        socket.send(b"World", 0)?;
    }
    Ok(())
}
