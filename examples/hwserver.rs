//! Hello World server: a REP socket bound to tcp://*:5555 that expects
//! "Hello" from clients and replies with "World".
//!
//! `cargo run --example hwserver -- [--bind=ENDPOINT] [--count=N] [--work-ms=MS]`
//! (runs forever unless `--count` is given; "works" 1000 ms per request).
mod support;

use std::time::Duration;

fn main() -> support::Result {
    let args = support::Args::parse(&["bind", "count", "work-ms"])?;
    let work = Duration::from_millis(args.number("work-ms", 1000)?);

    let context = zmq::Context::new();
    let socket = context.socket(zmq::REP)?;
    socket.bind(&args.get("bind", "tcp://*:5555"))?;

    for _ in args.rounds()? {
        //  Wait for next request from client
        let message = socket.recv(0)?;
        println!("Received request: {}", String::from_utf8_lossy(&message));

        //  Do some 'work'
        std::thread::sleep(work);

        //  Send reply back to client
        socket.send(b"World", 0)?;
    }
    Ok(())
}
