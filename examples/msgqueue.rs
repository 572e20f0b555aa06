//! Simple message queuing broker: the same as `rrbroker`, but the switching
//! is libzmq's own `zmq::proxy` (ROUTER tcp://*:5559, DEALER tcp://*:5560).
//!
//! `cargo run --example msgqueue -- [--frontend=ENDPOINT] [--backend=ENDPOINT]`
mod support;

fn main() -> support::Result {
    let args = support::Args::parse(&["frontend", "backend"])?;

    let context = zmq::Context::new();

    // Socket facing clients
    let frontend = context.socket(zmq::ROUTER)?;
    frontend.bind(&args.get("frontend", "tcp://*:5559"))?;

    // Socket facing services
    let backend = context.socket(zmq::DEALER)?;
    backend.bind(&args.get("backend", "tcp://*:5560"))?;

    // Start the proxy: it runs until the context is terminated
    zmq::proxy(&frontend, &backend)?;
    Ok(())
}
