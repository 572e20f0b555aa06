//! The FORWARDER device: a SUB socket (subscribed to everything) that
//! connects to the weather server (tcp://localhost:5556) and a PUB socket
//! bound to tcp://*:8100 for more subscribers, joined by
//! `zmq::device(zmq::FORWARDER, ..)`.
//!
//! `cargo run --example forwarder -- [--frontend=ENDPOINT] [--backend=ENDPOINT]`
mod support;

fn main() -> support::Result {
    let args = support::Args::parse(&["frontend", "backend"])?;

    let context = zmq::Context::new();
    let frontend = context.socket(zmq::SUB)?;
    frontend.connect(&args.get("frontend", "tcp://localhost:5556"))?;
    frontend.subscribe(b"")?;
    let backend = context.socket(zmq::PUB)?;
    backend.bind(&args.get("backend", "tcp://*:8100"))?;

    zmq::device(zmq::FORWARDER, &frontend, &backend)?;
    Ok(())
}
