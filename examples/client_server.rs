//! CLIENT/SERVER (pyzmq's examples/draft/client-server.py): ten clients,
//! one after another, each sends a request that the SERVER answers by the
//! request's routing id. Checks every reply; exits 0 when all arrived.
//!
//! `cargo run --features draft --example client_server -- [--url=ENDPOINT] [--count=N] [--interval-ms=MS]`
//! (pyzmq's binds tcp://127.0.0.1:5555; this binds a free port by default.)
mod support;

use std::time::Duration;

fn main() -> support::Result {
    let args = support::Args::parse(&["url", "count", "interval-ms"])?;
    let count: u64 = args.number("count", 10)?;
    let interval = Duration::from_millis(args.number("interval-ms", 100)?);

    let ctx = zmq::Context::instance();

    let server = ctx.thread_safe_socket(zmq::SERVER)?;
    server.bind(&args.get("url", "tcp://127.0.0.1:*"))?;
    let url = support::reachable(&server.last_endpoint()?);

    for i in 0..count {
        let client = ctx.thread_safe_socket(zmq::CLIENT)?;
        client.connect(&url)?;
        client.send(format!("request {i}"), 0)?;
        let msg = server.recv_msg(0)?;
        let routing_id = msg
            .routing_id()
            .ok_or("a SERVER message has a routing id")?;
        println!(
            "server recvd {} from {routing_id}",
            support::py_bytes(&[&msg[..]])
                .trim_start_matches('[')
                .trim_end_matches(']')
        );
        server.send_string_with_routing_id(&format!("reply {i}"), routing_id, 0)?;
        let reply = client.recv_string(0)?;
        println!("client recvd '{reply}'");
        if reply != format!("reply {i}") {
            return Err(format!("client {i} got {reply:?}").into());
        }
        std::thread::sleep(interval);
        client.close()?;
    }

    server.close()?;
    ctx.term()?;
    Ok(())
}
