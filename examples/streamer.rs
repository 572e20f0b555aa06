//! The STREAMER device: a PULL socket that connects to the ventilator
//! (tcp://localhost:5557) and a PUSH socket bound to tcp://*:5559 for the
//! workers, joined by `zmq::device(zmq::STREAMER, ..)`.
//!
//! `cargo run --example streamer -- [--frontend=ENDPOINT] [--backend=ENDPOINT]`
mod support;

fn main() -> support::Result {
    let args = support::Args::parse(&["frontend", "backend"])?;

    let context = zmq::Context::new();
    let frontend = context.socket(zmq::PULL)?;
    frontend.connect(&args.get("frontend", "tcp://localhost:5557"))?;
    let backend = context.socket(zmq::PUSH)?;
    backend.bind(&args.get("backend", "tcp://*:5559"))?;

    zmq::device(zmq::STREAMER, &frontend, &backend)?;
    Ok(())
}
