//! libzmq's `local_thr`: `local_thr <bind-to> <message-size> <message-count>`.
#[path = "common.rs"]
mod common;

fn main() {
    let args = common::args("local_thr <bind-to> <message-size> <message-count>", 3);
    let (size, count) = (common::number(&args[1]), common::number(&args[2]));
    let ctx = zmq::Context::new();
    let s = common::check("zmq_socket", ctx.socket(zmq::PULL));
    common::check("zmq_bind", s.bind(&args[0]));
    let elapsed = common::receive_all(&s, size, count);
    common::print_throughput(size, count, elapsed);
}
