//! Worker for `manager`: says READY, then squares every number it pulls from
//! tcp://localhost:5570 and pushes "<name> <n> <n²>" to tcp://localhost:5571.
//!
//! `cargo run --example worker -- [--tasks=ENDPOINT] [--results=ENDPOINT]
//! [--name=NAME] [--count=N]`
mod support;

fn main() -> support::Result {
    let args = support::Args::parse(&["tasks", "results", "name", "count"])?;
    let name = args.get("name", &format!("worker-{}", std::process::id()));

    let context = zmq::Context::new();
    let receiver = context.socket(zmq::PULL)?;
    receiver.connect(&args.get("tasks", "tcp://localhost:5570"))?;
    let sender = context.socket(zmq::PUSH)?;
    sender.connect(&args.get("results", "tcp://localhost:5571"))?;

    sender.send_string(&format!("READY {name}"), 0)?;
    for _ in args.rounds()? {
        let task: u64 = receiver.recv_string(0)?.parse()?;
        sender.send_string(&format!("{name} {task} {}", task * task), 0)?;
    }
    Ok(())
}
