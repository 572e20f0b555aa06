//! `remote_lat` on `zmq::asyncio`: `async_remote_lat <connect-to> <message-size> <roundtrip-count>`.
#[path = "async_common.rs"]
mod common;

fn main() {
    let args = common::args(
        "async_remote_lat <connect-to> <message-size> <roundtrip-count>",
        3,
    );
    let (size, count) = (common::number(&args[1]), common::number(&args[2]));
    common::block_on(async {
        let ctx = zmq::asyncio::Context::new();
        let s = common::check("zmq_socket", ctx.socket(zmq::REQ));
        common::check("zmq_connect", s.connect(&args[0]));
        let elapsed = common::ping(&s, size, count).await;
        println!("message size: {size} [B]");
        println!("roundtrip count: {count}");
        common::print_latency(elapsed, count);
    });
}
