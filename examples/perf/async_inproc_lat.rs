//! `inproc_lat` on `zmq::asyncio`: `async_inproc_lat <message-size> <roundtrip-count>`
//! (the echo in a thread of its own with its own runtime, as the sync
//! tool's thread).
#[path = "async_common.rs"]
mod common;

fn main() {
    let args = common::args("async_inproc_lat <message-size> <roundtrip-count>", 2);
    let (size, count) = (common::number(&args[0]), common::number(&args[1]));
    let ctx = zmq::asyncio::Context::new();
    let s = common::check("zmq_socket", ctx.socket(zmq::REQ));
    common::check("zmq_bind", s.bind("inproc://lat_test"));
    let worker = {
        let ctx = ctx.clone();
        std::thread::spawn(move || {
            common::block_on(async {
                let s = common::check("zmq_socket", ctx.socket(zmq::REP));
                common::check("zmq_connect", s.connect("inproc://lat_test"));
                common::echo(&s, size, count).await;
            })
        })
    };
    println!("message size: {size} [B]");
    println!("roundtrip count: {count}");
    let elapsed = common::block_on(common::ping(&s, size, count));
    worker.join().expect("the echo thread");
    common::print_latency(elapsed, count);
}
