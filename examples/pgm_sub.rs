//! Multicast subscriber over PGM encapsulated in UDP (`epgm://`): joins the
//! group given on the command line and prints what the publisher sends.
//! Needs the `pgm` feature and an interface with multicast enabled.
//!
//! `cargo run --features pgm --example pgm_sub -- [--count=N] [ENDPOINT]`
//! (default `epgm://127.0.0.1;239.192.1.1:5555`)
mod support;

fn main() -> support::Result {
    let args = support::Args::parse(&["count"])?;
    let endpoint = args
        .words()
        .first()
        .map_or("epgm://127.0.0.1;239.192.1.1:5555", String::as_str);
    if !zmq::has("pgm") {
        return Err("this libzmq was built without PGM".into());
    }

    let context = zmq::Context::new();
    let subscriber = context.socket(zmq::SUB)?;
    subscriber.subscribe(b"")?;
    subscriber.connect(endpoint)?;
    println!("Listening on {endpoint}");

    let mut received = 0u64;
    for _ in args.rounds()? {
        let message = subscriber.recv_string(0)?;
        println!("{message}");
        received += 1;
    }
    println!("Received {received} messages");
    Ok(())
}
