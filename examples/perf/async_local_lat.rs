//! `local_lat` on `zmq::asyncio`: `async_local_lat <bind-to> <message-size> <roundtrip-count>`.
#[path = "async_common.rs"]
mod common;

fn main() {
    let args = common::args(
        "async_local_lat <bind-to> <message-size> <roundtrip-count>",
        3,
    );
    let (size, count) = (common::number(&args[1]), common::number(&args[2]));
    common::block_on(async {
        let ctx = zmq::asyncio::Context::new();
        let s = common::check("zmq_socket", ctx.socket(zmq::REP));
        common::check("zmq_bind", s.bind(&args[0]));
        common::echo(&s, size, count).await;
    });
}
