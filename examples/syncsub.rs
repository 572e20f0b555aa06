//! Synchronized subscriber: subscribes, waits to hear the publisher's
//! "HELLO" (its subscription is then in place), tells the publisher it is
//! ready over REQ/REP, and counts updates until "END".
//!
//! `cargo run --example syncsub -- [--connect=PUB-ENDPOINT] [--sync=REP-ENDPOINT]`
mod support;

fn main() -> support::Result {
    let args = support::Args::parse(&["connect", "sync"])?;

    let context = zmq::Context::new();

    // First, connect our subscriber socket
    let subscriber = context.socket(zmq::SUB)?;
    subscriber.connect(&args.get("connect", "tcp://localhost:5561"))?;
    subscriber.subscribe(b"")?;

    // The first HELLO proves the publisher has our subscription
    while subscriber.recv(0)? != b"HELLO" {}

    // Second, synchronize with publisher
    let syncclient = context.socket(zmq::REQ)?;
    syncclient.connect(&args.get("sync", "tcp://localhost:5562"))?;

    // send a synchronization request, wait for synchronization reply
    syncclient.send(b"", 0)?;
    syncclient.recv(0)?;

    // Third, get our updates and report how many we got
    let mut updates = 0u64;
    loop {
        let message = subscriber.recv(0)?;
        match &message[..] {
            b"END" => break,
            b"HELLO" => continue, // sent while others were still joining
            _ => updates += 1,
        }
    }
    println!("Received {updates} updates");
    Ok(())
}
