//! libzmq's `remote_thr`: `remote_thr <connect-to> <message-size> <message-count>`.
#[path = "common.rs"]
mod common;

fn main() {
    let args = common::args("remote_thr <connect-to> <message-size> <message-count>", 3);
    let (size, count) = (common::number(&args[1]), common::number(&args[2]));
    let ctx = zmq::Context::new();
    let s = common::check("zmq_socket", ctx.socket(zmq::PUSH));
    common::check("zmq_connect", s.connect(&args[0]));
    common::send_all(&s, size, count);
    // Closing waits (LINGER) until every message has left, as in C.
}
