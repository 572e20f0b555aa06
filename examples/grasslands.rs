//! No protection at all.
//!
//! All connections are accepted, there is no authentication, and no
//! privacy. This is how ZeroMQ always worked until we built security into
//! the wire protocol in early 2013. Internally, it uses a security
//! mechanism called "NULL". (pyzmq's examples/security/grasslands.py)
//!
//! `cargo run --example grasslands -- [--bind=ENDPOINT]` (default `tcp://*:9000`).
mod support;

fn main() -> support::Result {
    let args = support::Args::parse(&["bind"])?;
    let ctx = zmq::Context::instance();

    let server = ctx.socket(zmq::PUSH)?;
    server.bind(&args.get("bind", "tcp://*:9000"))?;

    let client = ctx.socket(zmq::PULL)?;
    client.set_rcvtimeo(5000)?;
    client.connect(&support::reach(&server)?)?;

    server.send(b"Hello", 0)?;
    let msg = client.recv(0)?;
    if msg == b"Hello" {
        println!("Grasslands test OK");
        Ok(())
    } else {
        Err("Grasslands test FAIL".into())
    }
}
