//! The QUEUE device: a ROUTER for clients (tcp://*:5559) and a DEALER for
//! workers (tcp://*:5560), joined by `zmq::device(zmq::QUEUE, ..)`; use it
//! with `rrclient` and `rrworker`.
//!
//! `cargo run --example queue -- [--frontend=ENDPOINT] [--backend=ENDPOINT]`
mod support;

fn main() -> support::Result {
    let args = support::Args::parse(&["frontend", "backend"])?;

    let context = zmq::Context::new();
    let frontend = context.socket(zmq::ROUTER)?;
    frontend.bind(&args.get("frontend", "tcp://*:5559"))?;
    let backend = context.socket(zmq::DEALER)?;
    backend.bind(&args.get("backend", "tcp://*:5560"))?;

    zmq::device(zmq::QUEUE, &frontend, &backend)?;
    Ok(())
}
