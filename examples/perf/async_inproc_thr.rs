//! `inproc_thr` on `zmq::asyncio`: `async_inproc_thr <message-size> <message-count>`
//! (the sender in a thread of its own with its own runtime, as the sync
//! tool's thread).
#[path = "async_common.rs"]
mod common;

fn main() {
    let args = common::args("async_inproc_thr <message-size> <message-count>", 2);
    let (size, count) = (common::number(&args[0]), common::number(&args[1]));
    let ctx = zmq::asyncio::Context::new();
    let s = common::check("zmq_socket", ctx.socket(zmq::PULL));
    common::check("zmq_bind", s.bind("inproc://thr_test"));
    let worker = {
        let ctx = ctx.clone();
        std::thread::spawn(move || {
            common::block_on(async {
                let s = common::check("zmq_socket", ctx.socket(zmq::PUSH));
                common::check("zmq_connect", s.connect("inproc://thr_test"));
                common::send_all(&s, size, count).await;
            })
        })
    };
    let elapsed = common::block_on(common::receive_all(&s, size, count));
    worker.join().expect("the sender thread");
    common::print_throughput(size, count, elapsed);
}
