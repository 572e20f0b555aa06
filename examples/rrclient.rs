//! Request-reply client through a broker: connects a REQ socket to the
//! broker's frontend (tcp://localhost:5559), sends "Hello" ten times and
//! prints each reply.
//!
//! `cargo run --example rrclient -- [--connect=ENDPOINT] [--requests=N]`
mod support;

fn main() -> support::Result {
    let args = support::Args::parse(&["connect", "requests"])?;

    let context = zmq::Context::new();

    //  Socket to talk to server
    let socket = context.socket(zmq::REQ)?;
    socket.connect(&args.get("connect", "tcp://localhost:5559"))?;

    //  Do 10 requests, waiting each time for a response
    for request in 1..=args.number("requests", 10)? {
        socket.send(b"Hello", 0)?;
        let message = socket.recv_string(0)?;
        println!("Received reply {request} [{message}]");
    }
    Ok(())
}
