//! Task worker: pulls workloads from the ventilator (tcp://localhost:5557),
//! "works" that many milliseconds, and pushes a result to the sink
//! (tcp://localhost:5558).
//!
//! `cargo run --example taskwork -- [--tasks=ENDPOINT] [--sink=ENDPOINT] [--count=N]`
mod support;

use std::time::Duration;

fn main() -> support::Result {
    let args = support::Args::parse(&["tasks", "sink", "count"])?;

    let context = zmq::Context::new();

    // Socket to receive messages on
    let receiver = context.socket(zmq::PULL)?;
    receiver.connect(&args.get("tasks", "tcp://localhost:5557"))?;

    // Socket to send messages to
    let sender = context.socket(zmq::PUSH)?;
    sender.connect(&args.get("sink", "tcp://localhost:5558"))?;

    // Process tasks forever
    for _ in args.rounds()? {
        let workload = receiver.recv_string(0)?;

        // Simple progress indicator for the viewer
        support::progress(".");

        // Do the work
        std::thread::sleep(Duration::from_millis(workload.parse()?));

        // Send results to sink
        sender.send(b"", 0)?;
    }
    Ok(())
}
