//! Task sink: binds a PULL socket to tcp://*:5558, waits for the start of a
//! batch, collects 100 results and reports how long the batch took.
//!
//! `cargo run --example tasksink -- [--bind=ENDPOINT] [--tasks=N]`
mod support;

use std::time::Instant;

fn main() -> support::Result {
    let args = support::Args::parse(&["bind", "tasks"])?;
    let tasks: u32 = args.number("tasks", 100)?;

    let context = zmq::Context::new();

    // Socket to receive messages on
    let receiver = context.socket(zmq::PULL)?;
    receiver.bind(&args.get("bind", "tcp://*:5558"))?;

    // Wait for start of batch
    receiver.recv(0)?;

    // Start our clock now
    let tstart = Instant::now();

    // Process the confirmations
    for task_nbr in 0..tasks {
        receiver.recv(0)?;
        support::progress(if task_nbr % 10 == 0 { ":" } else { "." });
    }

    // Calculate and report duration of batch
    println!(
        "\nTotal elapsed time: {} msec",
        tstart.elapsed().as_millis()
    );
    Ok(())
}
