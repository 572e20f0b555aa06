//! Simple request-reply broker: a ROUTER for clients (tcp://*:5559) and a
//! DEALER for workers (tcp://*:5560), switched by a Poller. Every message
//! is forwarded whole (all its frames, identity envelope included).
//!
//! `cargo run --example rrbroker -- [--frontend=ENDPOINT] [--backend=ENDPOINT]`
mod support;

fn main() -> support::Result {
    let args = support::Args::parse(&["frontend", "backend"])?;

    // Prepare our context and sockets
    let context = zmq::Context::new();
    let frontend = context.socket(zmq::ROUTER)?;
    let backend = context.socket(zmq::DEALER)?;
    frontend.bind(&args.get("frontend", "tcp://*:5559"))?;
    backend.bind(&args.get("backend", "tcp://*:5560"))?;

    // Initialize poll set
    let mut poller = zmq::Poller::new();
    poller.register(&frontend, zmq::POLLIN);
    poller.register(&backend, zmq::POLLIN);

    // Switch messages between sockets
    loop {
        let socks = poller.poll(-1)?;

        if socks.get(&frontend) == zmq::POLLIN {
            let message = frontend.recv_multipart(0)?;
            backend.send_multipart(message, 0)?;
        }

        if socks.get(&backend) == zmq::POLLIN {
            let message = backend.recv_multipart(0)?;
            frontend.send_multipart(message, 0)?;
        }
    }
}
