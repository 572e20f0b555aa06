//! The connecting end of an exclusive PAIR connection
//! (tcp://localhost:5580): answers every "ping <n>" with "pong <n>" until
//! the other end says "bye".
//!
//! `cargo run --example pair_connect -- [--connect=ENDPOINT]`
mod support;

fn main() -> support::Result {
    let args = support::Args::parse(&["connect"])?;

    let context = zmq::Context::new();
    let socket = context.socket(zmq::PAIR)?;
    socket.connect(&args.get("connect", "tcp://localhost:5580"))?;

    loop {
        let message = socket.recv_string(0)?;
        if message == "bye" {
            break;
        }
        println!("{message}");
        let n = message.strip_prefix("ping ").ok_or("not a ping")?;
        socket.send_string(&format!("pong {n}"), 0)?;
    }
    println!("Bye");
    Ok(())
}
