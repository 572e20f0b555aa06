//! libzmq's `inproc_lat`: `inproc_lat <message-size> <roundtrip-count>`.
#[path = "common.rs"]
mod common;

fn main() {
    let args = common::args("inproc_lat <message-size> <roundtrip-count>", 2);
    let (size, count) = (common::number(&args[0]), common::number(&args[1]));
    let ctx = zmq::Context::new();
    let s = common::check("zmq_socket", ctx.socket(zmq::REQ));
    common::check("zmq_bind", s.bind("inproc://lat_test"));
    let worker = {
        let ctx = ctx.clone();
        std::thread::spawn(move || {
            let s = common::check("zmq_socket", ctx.socket(zmq::REP));
            common::check("zmq_connect", s.connect("inproc://lat_test"));
            common::echo(&s, size, count);
        })
    };
    println!("message size: {size} [B]");
    println!("roundtrip count: {count}");
    let elapsed = common::ping(&s, size, count);
    worker.join().expect("the echo thread");
    common::print_latency(elapsed, count);
}
