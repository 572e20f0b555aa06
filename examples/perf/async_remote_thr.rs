//! `remote_thr` on `zmq::asyncio`: `async_remote_thr <connect-to> <message-size> <message-count>`.
#[path = "async_common.rs"]
mod common;

fn main() {
    let args = common::args(
        "async_remote_thr <connect-to> <message-size> <message-count>",
        3,
    );
    let (size, count) = (common::number(&args[1]), common::number(&args[2]));
    common::block_on(async {
        let ctx = zmq::asyncio::Context::new();
        let s = common::check("zmq_socket", ctx.socket(zmq::PUSH));
        common::check("zmq_connect", s.connect(&args[0]));
        common::send_all(&s, size, count).await;
        // Closing waits (LINGER) until every message has left, as in C.
    });
}
