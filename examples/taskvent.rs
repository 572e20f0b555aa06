//! Task ventilator: binds a PUSH socket to tcp://*:5557 and sends a batch of
//! 100 tasks (each a workload in milliseconds) to the workers, after telling
//! the sink (tcp://localhost:5558) that the batch starts.
//!
//! `cargo run --example taskvent -- [--no-wait] [--bind=ENDPOINT]
//! [--sink=ENDPOINT] [--tasks=N] [--max-workload=MS]`
mod support;

fn main() -> support::Result {
    let args = support::Args::parse(&["no-wait", "bind", "sink", "tasks", "max-workload"])?;
    let tasks: u32 = args.number("tasks", 100)?;
    let max_workload: i64 = args.number("max-workload", 100)?;

    let context = zmq::Context::new();

    // Socket to send messages on
    let sender = context.socket(zmq::PUSH)?;
    sender.bind(&args.get("bind", "tcp://*:5557"))?;

    // Socket with direct access to the sink: used to synchronize start of batch
    let sink = context.socket(zmq::PUSH)?;
    sink.connect(&args.get("sink", "tcp://localhost:5558"))?;

    if !args.flag("no-wait") {
        support::progress("Press Enter when the workers are ready: ");
        std::io::stdin().read_line(&mut String::new())?;
    }
    println!("Sending tasks to workers…");

    // The first message is "0" and signals start of batch
    sink.send(b"0", 0)?;

    // Send the tasks
    let mut random = support::Random::new();
    let mut total_msec = 0;
    for _ in 0..tasks {
        // Random workload from 1 to max_workload msecs
        let workload = random.range(1, max_workload + 1);
        total_msec += workload;
        sender.send_string(&workload.to_string(), 0)?;
    }
    println!("Total expected cost: {total_msec} msec");

    // The tutorial sleeps a second "to give 0MQ time to deliver". Not
    // needed: sockets linger by default, so dropping them and the context
    // at the end of main waits until every task has been handed over.
    Ok(())
}
