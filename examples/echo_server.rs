//! Echo server: a REP socket on tcp://*:5555 that answers every request
//! with "Echo: " followed by the request.
//!
//! `cargo run --example echo_server -- [--bind=ENDPOINT] [--count=N]`
mod support;

fn main() -> support::Result {
    let args = support::Args::parse(&["bind", "count"])?;

    let context = zmq::Context::new();
    let socket = context.socket(zmq::REP)?;
    socket.bind(&args.get("bind", "tcp://*:5555"))?;

    for _ in args.rounds()? {
        let request = socket.recv_string(0)?;
        println!("Received: {request}");
        socket.send_string(&format!("Echo: {request}"), 0)?;
    }
    Ok(())
}
