//! Weather update client: connects a SUB socket to tcp://localhost:5556,
//! keeps the updates of one zipcode (a prefix filter, "10001" unless given)
//! and prints their average temperature.
//!
//! `cargo run --example wuclient -- [--connect=ENDPOINT] [--updates=N] [ZIPCODE]`
mod support;

fn main() -> support::Result {
    let args = support::Args::parse(&["connect", "updates"])?;
    let updates: u32 = args.number("updates", 5)?;

    //  Socket to talk to server
    let context = zmq::Context::new();
    let socket = context.socket(zmq::SUB)?;

    println!("Collecting updates from weather server…");
    socket.connect(&args.get("connect", "tcp://localhost:5556"))?;

    // Subscribe to zipcode, default is NYC, 10001
    let zip_filter = args.words().first().map_or("10001", String::as_str);
    socket.setsockopt_string(zmq::SUBSCRIBE, zip_filter)?;

    // Process the updates
    let mut total_temp = 0i64;
    for _ in 0..updates {
        let string = socket.recv_string(0)?;
        let fields: Vec<&str> = string.split_whitespace().collect();
        let [_zipcode, temperature, _relhumidity] = fields[..] else {
            return Err(format!("malformed update {string:?}").into());
        };
        total_temp += temperature.parse::<i64>()?;
    }

    println!(
        "Average temperature for zipcode '{zip_filter}' was {}F",
        total_temp / i64::from(updates.max(1))
    );
    Ok(())
}
