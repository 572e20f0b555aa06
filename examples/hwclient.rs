//! Hello World client: connects a REQ socket to tcp://localhost:5555, sends
//! "Hello" and waits for "World", ten times.
//!
//! `cargo run --example hwclient -- [--connect=ENDPOINT] [--requests=N]`
mod support;

fn main() -> support::Result {
    let args = support::Args::parse(&["connect", "requests"])?;

    let context = zmq::Context::new();

    //  Socket to talk to server
    println!("Connecting to hello world server…");
    let socket = context.socket(zmq::REQ)?;
    socket.connect(&args.get("connect", "tcp://localhost:5555"))?;

    //  Do 10 requests, waiting each time for a response
    for request in 0..args.number("requests", 10)? {
        println!("Sending request {request} …");
        socket.send(b"Hello", 0)?;

        //  Get the reply.
        let message = socket.recv(0)?;
        println!(
            "Received reply {request} [ {} ]",
            String::from_utf8_lossy(&message)
        );
    }
    Ok(())
}
