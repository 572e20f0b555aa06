//! Subscriber keeping one topic: subscribes to a prefix ("1-" unless given)
//! on tcp://localhost:5563 and prints what arrives; the filtering is done by
//! libzmq, so no "2-" message ever reaches this program.
//!
//! `cargo run --example prefix_sub -- [--connect=ENDPOINT] [--count=N] [PREFIX]`
mod support;

fn main() -> support::Result {
    let args = support::Args::parse(&["connect", "count"])?;
    let prefix = args.words().first().map_or("1-", String::as_str);

    let context = zmq::Context::new();
    let subscriber = context.socket(zmq::SUB)?;
    subscriber.connect(&args.get("connect", "tcp://localhost:5563"))?;
    subscriber.subscribe(prefix)?;

    let mut received = 0u64;
    for _ in args.rounds()? {
        let message = subscriber.recv_string(0)?;
        if !message.starts_with(prefix) {
            return Err(format!("{message:?} does not start with {prefix:?}").into());
        }
        println!("{message}");
        received += 1;
    }
    println!("Received {received} messages, all starting with '{prefix}'");
    Ok(())
}
