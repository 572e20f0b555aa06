//! Reading from several sockets with a Poller: tasks from the ventilator
//! (PULL, tcp://localhost:5557) and weather updates (SUB,
//! tcp://localhost:5556, zipcode 10001), each received as soon as it arrives.
//!
//! `cargo run --example mspoller -- [--tasks=ENDPOINT] [--weather=ENDPOINT]
//! [--filter=ZIPCODE] [--count=N]` (stops after N messages of either kind)
mod support;

fn main() -> support::Result {
    let args = support::Args::parse(&["tasks", "weather", "filter", "count"])?;

    let context = zmq::Context::new();

    // Socket to receive messages on
    let receiver = context.socket(zmq::PULL)?;
    receiver.connect(&args.get("tasks", "tcp://localhost:5557"))?;

    // Socket for weather updates
    let subscriber = context.socket(zmq::SUB)?;
    subscriber.connect(&args.get("weather", "tcp://localhost:5556"))?;
    subscriber.subscribe(args.get("filter", "10001"))?;

    // Initialize poll set
    let mut poller = zmq::Poller::new();
    poller.register(&receiver, zmq::POLLIN);
    poller.register(&subscriber, zmq::POLLIN);

    // Process messages from both sockets
    let (mut tasks, mut updates) = (0u64, 0u64);
    for _ in args.rounds()? {
        let socks = poller.poll(-1)?;

        if socks.get(&receiver) == zmq::POLLIN {
            let _task = receiver.recv(0)?; // process task
            tasks += 1;
        }
        if socks.get(&subscriber) == zmq::POLLIN {
            let _update = subscriber.recv(0)?; // process weather update
            updates += 1;
        }
    }
    println!("Received {tasks} tasks and {updates} weather updates");
    Ok(())
}
