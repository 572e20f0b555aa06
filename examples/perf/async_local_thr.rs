//! `local_thr` on `zmq::asyncio`: `async_local_thr <bind-to> <message-size> <message-count>`.
#[path = "async_common.rs"]
mod common;

fn main() {
    let args = common::args(
        "async_local_thr <bind-to> <message-size> <message-count>",
        3,
    );
    let (size, count) = (common::number(&args[1]), common::number(&args[2]));
    common::block_on(async {
        let ctx = zmq::asyncio::Context::new();
        let s = common::check("zmq_socket", ctx.socket(zmq::PULL));
        common::check("zmq_bind", s.bind(&args[0]));
        let elapsed = common::receive_all(&s, size, count).await;
        common::print_throughput(size, count, elapsed);
    });
}
