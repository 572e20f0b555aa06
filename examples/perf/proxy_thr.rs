//! libzmq's `proxy_thr`: `proxy_thr <message-size> <message-count>`. Two
//! XPUB publishers (XPUB_NODROP) → an XSUB/XPUB `proxy_steerable` → one SUB,
//! all over inproc, four I/O threads, HWM 10000; stopped with TERMINATE.
#[path = "common.rs"]
mod common;

const HWM: i32 = 10_000;

fn socket(ctx: &zmq::Context, kind: zmq::SocketType) -> zmq::Socket {
    let s = common::check("zmq_socket", ctx.socket(kind));
    common::check("zmq_setsockopt", s.set_sndhwm(HWM));
    common::check("zmq_setsockopt", s.set_rcvhwm(HWM));
    s
}

fn main() {
    let args = common::args("proxy_thr <message-size> <message-count>", 2);
    let (size, count) = (common::number(&args[0]), common::number(&args[1]));
    println!("message size: {size} [B]");
    println!("message count: {count}");
    let ctx = common::check("zmq_ctx_new", zmq::Context::with_io_threads(4));

    let frontend = socket(&ctx, zmq::XSUB);
    for endpoint in ["inproc://perf_pub1", "inproc://perf_pub2"] {
        common::check("zmq_bind", frontend.bind(endpoint));
    }
    let backend = socket(&ctx, zmq::XPUB);
    common::check("zmq_setsockopt", backend.set_xpub_nodrop(true));
    common::check("zmq_bind", backend.bind("inproc://perf_backend"));
    let control = common::check("zmq_socket", ctx.socket(zmq::REP));
    common::check("zmq_bind", control.bind("inproc://ctrl"));
    let proxy = std::thread::spawn(move || {
        let _ = zmq::proxy_steerable(&frontend, &backend, None, &control);
    });

    let subscriber = {
        let sub = socket(&ctx, zmq::SUB);
        common::check("zmq_connect", sub.connect("inproc://perf_backend"));
        common::check("zmq_setsockopt", sub.subscribe(b""));
        std::thread::spawn(move || {
            let mut msg = zmq::Message::new();
            for _ in 0..count {
                common::check("zmq_msg_recv", sub.recv_msg_into(&mut msg, 0));
            }
        })
    };

    let watch = common::Stopwatch::start();
    let publishers: Vec<_> = ["inproc://perf_pub1", "inproc://perf_pub2"]
        .into_iter()
        .map(|endpoint| {
            let publisher = socket(&ctx, zmq::XPUB);
            common::check("zmq_setsockopt", publisher.set_xpub_nodrop(true));
            common::check("zmq_setsockopt", publisher.set_sndtimeo(1));
            common::check("zmq_connect", publisher.connect(endpoint));
            std::thread::spawn(move || {
                let mut buf = [0u8; 32];
                let n = common::check("zmq_recv", publisher.recv_into(&mut buf, 0));
                if n != 1 || buf[0] != 1 {
                    println!("invalid response: expected the subscription \\x01");
                    std::process::exit(1);
                }
                let data = vec![b'A'; size];
                let mut sent = 0;
                while sent < count {
                    if publisher.send(&data[..], 0).is_ok() {
                        sent += 1;
                    }
                }
            })
        })
        .collect();

    subscriber.join().expect("the subscriber");
    let elapsed = watch.stop();
    let throughput = (count as f64 / elapsed as f64 * 1_000_000.0) as u64;
    let megabits = (throughput * size as u64 * 8) as f64 / 1_000_000.0;
    println!("mean throughput: {throughput} [msg/s]");
    println!("mean throughput: {megabits:.3} [Mb/s]");

    for publisher in publishers {
        publisher.join().expect("a publisher");
    }
    let control = common::check("zmq_socket", ctx.socket(zmq::REQ));
    common::check("zmq_connect", control.connect("inproc://ctrl"));
    common::check("zmq_send", control.send("TERMINATE", 0));
    drop(control);
    proxy.join().expect("the proxy");
}
