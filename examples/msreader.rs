//! Reading from several sockets with a simple loop: tasks from the
//! ventilator (PULL, tcp://localhost:5557) and weather updates (SUB,
//! tcp://localhost:5556, zipcode 10001), each drained without blocking
//! (DONTWAIT until `Again`), then a 1 ms nap. `mspoller` does it properly.
//!
//! `cargo run --example msreader -- [--tasks=ENDPOINT] [--weather=ENDPOINT]
//! [--filter=ZIPCODE] [--count=N]` (stops after N messages of either kind)
mod support;

use std::time::Duration;

fn main() -> support::Result {
    let args = support::Args::parse(&["tasks", "weather", "filter", "count"])?;
    let limit: u64 = args.number("count", u64::MAX)?;

    let context = zmq::Context::new();

    // Connect to task ventilator
    let receiver = context.socket(zmq::PULL)?;
    receiver.connect(&args.get("tasks", "tcp://localhost:5557"))?;

    // Connect to weather server
    let subscriber = context.socket(zmq::SUB)?;
    subscriber.connect(&args.get("weather", "tcp://localhost:5556"))?;
    subscriber.subscribe(args.get("filter", "10001"))?;

    // Process messages from both sockets
    // We prioritize traffic from the task ventilator
    let (mut tasks, mut updates) = (0u64, 0u64);
    while tasks + updates < limit {
        // Process any waiting tasks
        while tasks + updates < limit {
            match receiver.recv(zmq::DONTWAIT) {
                Ok(_task) => tasks += 1, // process task
                Err(zmq::Error::Again) => break,
                Err(e) => return Err(e.into()),
            }
        }
        // Process any waiting weather updates
        while tasks + updates < limit {
            match subscriber.recv(zmq::DONTWAIT) {
                Ok(_update) => updates += 1, // process weather update
                Err(zmq::Error::Again) => break,
                Err(e) => return Err(e.into()),
            }
        }
        // No activity, so sleep for 1 msec
        std::thread::sleep(Duration::from_millis(1));
    }
    println!("Received {tasks} tasks and {updates} weather updates");
    Ok(())
}
