//! Task manager (PUSH/PULL task allocation): waits for the expected number
//! of workers to say READY, deals numbered tasks to them over PUSH
//! (tcp://*:5570), collects the results over PULL (tcp://*:5571), checks
//! them and prints how many tasks each worker did.
//!
//! `cargo run --example manager -- [--tasks-bind=ENDPOINT]
//! [--results-bind=ENDPOINT] [--workers=N] [--tasks=N]`
mod support;

use std::collections::BTreeMap;

fn main() -> support::Result {
    let args = support::Args::parse(&["tasks-bind", "results-bind", "workers", "tasks"])?;
    let workers: u32 = args.number("workers", 2)?;
    let tasks: u64 = args.number("tasks", 100)?;

    let context = zmq::Context::new();
    let sender = context.socket(zmq::PUSH)?;
    sender.bind(&args.get("tasks-bind", "tcp://*:5570"))?;
    let results = context.socket(zmq::PULL)?;
    results.bind(&args.get("results-bind", "tcp://*:5571"))?;

    // Every worker announces itself, so no task goes to the first worker
    // only because the others were still connecting.
    println!("Waiting for {workers} workers");
    for _ in 0..workers {
        let ready = results.recv_string(0)?;
        println!("{ready}");
    }

    for task in 1..=tasks {
        sender.send_string(&task.to_string(), 0)?;
    }

    let mut done: BTreeMap<String, u64> = BTreeMap::new();
    for _ in 0..tasks {
        // "<worker> <task> <task squared>"
        let result = results.recv_string(0)?;
        let fields: Vec<&str> = result.split(' ').collect();
        let [worker, task, square] = fields[..] else {
            return Err(format!("malformed result {result:?}").into());
        };
        let task: u64 = task.parse()?;
        if square.parse::<u64>()? != task * task {
            return Err(format!("wrong result from {worker}: {result:?}").into());
        }
        *done.entry(worker.to_string()).or_default() += 1;
    }
    for (worker, count) in &done {
        println!("{worker} did {count} tasks");
    }
    println!("All {tasks} results correct");
    Ok(())
}
