//! The binding end of an exclusive PAIR connection (tcp://*:5580): sends
//! "ping <n>", expects "pong <n>" back, then says "bye".
//!
//! `cargo run --example pair_bind -- [--bind=ENDPOINT] [--count=N]`
mod support;

fn main() -> support::Result {
    let args = support::Args::parse(&["bind", "count"])?;
    let count: u32 = args.number("count", 10)?;

    let context = zmq::Context::new();
    let socket = context.socket(zmq::PAIR)?;
    socket.bind(&args.get("bind", "tcp://*:5580"))?;

    for n in 0..count {
        socket.send_string(&format!("ping {n}"), 0)?;
        let reply = socket.recv_string(0)?;
        if reply != format!("pong {n}") {
            return Err(format!("expected pong {n}, got {reply:?}").into());
        }
        println!("{reply}");
    }
    socket.send(b"bye", 0)?;
    println!("Exchanged {count} pings");
    Ok(())
}
