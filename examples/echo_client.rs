//! Echo client: sends its command-line words, joined by spaces, to the echo
//! server and prints the answer.
//!
//! `cargo run --example echo_client -- [--connect=ENDPOINT] WORDS...`
mod support;

fn main() -> support::Result {
    let args = support::Args::parse(&["connect"])?;
    let text = match args.words() {
        [] => "Hello".to_string(),
        words => words.join(" "),
    };

    let context = zmq::Context::new();
    let socket = context.socket(zmq::REQ)?;
    socket.connect(&args.get("connect", "tcp://localhost:5555"))?;

    socket.send_string(&text, 0)?;
    let reply = socket.recv_string(0)?;
    println!("{reply}");
    Ok(())
}
