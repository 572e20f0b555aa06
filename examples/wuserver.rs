//! Weather update server: binds a PUB socket to tcp://*:5556 and publishes
//! random "zipcode temperature relhumidity" updates.
//!
//! `cargo run --example wuserver -- [--bind=ENDPOINT] [--count=N]`
//! (publishes forever unless `--count` is given).
mod support;

fn main() -> support::Result {
    let args = support::Args::parse(&["bind", "count"])?;

    let context = zmq::Context::new();
    let publisher = context.socket(zmq::PUB)?;
    publisher.bind(&args.get("bind", "tcp://*:5556"))?;

    let mut random = support::Random::new();
    for _ in args.rounds()? {
        let zipcode = random.range(1, 100_000);
        let temperature = random.range(-80, 135);
        let relhumidity = random.range(10, 60);
        publisher.send_string(&format!("{zipcode} {temperature} {relhumidity}"), 0)?;
    }
    Ok(())
}
