//! Proxies and devices (pyzmq's test_device, test_proxy_steerable,
//! test_monqueue).

mod common;

use std::thread;
use std::time::Duration;

use common::{timeouts, watchdog};

fn connected(ctx: &zmq::Context, kind: zmq::SocketType, endpoint: &str) -> zmq::Socket {
    let s = ctx.socket(kind).unwrap();
    timeouts(&s);
    s.connect(endpoint).unwrap();
    s
}

#[test]
fn proxy_relays_until_the_context_ends() {
    let _guard = watchdog("proxy", Duration::from_secs(30));
    let ctx = zmq::Context::new();
    let frontend = ctx.socket(zmq::ROUTER).unwrap();
    frontend.bind("inproc://proxy-front").unwrap();
    let backend = ctx.socket(zmq::DEALER).unwrap();
    backend.bind("inproc://proxy-back").unwrap();
    let capture = ctx.socket(zmq::PUSH).unwrap();
    capture.bind("inproc://proxy-capture").unwrap();
    let relay = thread::spawn(move || zmq::proxy_capture(&frontend, &backend, &capture));

    let client = connected(&ctx, zmq::REQ, "inproc://proxy-front");
    let worker = connected(&ctx, zmq::REP, "inproc://proxy-back");
    let tap = connected(&ctx, zmq::PULL, "inproc://proxy-capture");
    client.send("request", 0).unwrap();
    assert_eq!(worker.recv_string(0).unwrap(), "request");
    worker.send("reply", 0).unwrap();
    assert_eq!(client.recv_string(0).unwrap(), "reply");
    // The capture saw the request's parts (identity, delimiter, body).
    let first = tap.recv_multipart(0).unwrap();
    assert_eq!(first.last().unwrap(), b"request");

    ctx.destroy(Some(0)).unwrap();
    assert!(matches!(
        relay.join().unwrap(),
        Err(zmq::Error::ContextTerminated)
    ));
}

#[test]
fn proxy_steerable_pause_resume_statistics_terminate() {
    let _guard = watchdog("proxy_steerable", Duration::from_secs(30));
    let ctx = zmq::Context::new();
    let frontend = ctx.socket(zmq::PULL).unwrap();
    frontend.bind("inproc://steer-front").unwrap();
    let backend = ctx.socket(zmq::PUSH).unwrap();
    backend.bind("inproc://steer-back").unwrap();
    let control = ctx.socket(zmq::PAIR).unwrap();
    control.bind("inproc://steer-control").unwrap();
    let relay = thread::spawn(move || zmq::proxy_steerable(&frontend, &backend, None, &control));

    let input = connected(&ctx, zmq::PUSH, "inproc://steer-front");
    let output = connected(&ctx, zmq::PULL, "inproc://steer-back");
    let steer = connected(&ctx, zmq::PAIR, "inproc://steer-control");
    // Sends a command, then STATISTICS: commands are handled in order, so
    // the 8-part statistics reply proves the command took effect. (4.3.5
    // also answers every other command with an empty part; skip those.)
    let command = |cmd: &str| -> Vec<u64> {
        steer.send(cmd, 0).unwrap();
        steer.send("STATISTICS", 0).unwrap();
        loop {
            let reply = steer.recv_multipart(0).unwrap();
            if reply.len() == 8 {
                return reply
                    .iter()
                    .map(|part| u64::from_ne_bytes(part.clone().try_into().unwrap()))
                    .collect();
            }
        }
    };

    input.send("one", 0).unwrap();
    assert_eq!(output.recv_string(0).unwrap(), "one");
    let stats = command("STATISTICS");
    // (frontend recv n, bytes, frontend sent n, bytes, backend recv ..., backend sent n, bytes)
    assert_eq!(stats, vec![1, 3, 0, 0, 0, 0, 1, 3]);

    // libzmq 4.3.5 inverts PAUSE and RESUME (proxy.cpp's handle_control
    // compares "PAUSE" with a wrong memcmp); pyzmq on 4.3.5 shows the same.
    // Other versions do what zmq_proxy_steerable(3) says.
    let inverted = zmq::zmq_version_info() == (4, 3, 5);
    let (stop, go) = if inverted {
        ("RESUME", "PAUSE")
    } else {
        ("PAUSE", "RESUME")
    };
    command(stop);
    input.send("two", 0).unwrap();
    output.set_rcvtimeo(200).unwrap();
    assert!(
        output.recv(0).unwrap_err().is_again(),
        "{stop} did not pause the proxy"
    );
    command(go);
    output.set_rcvtimeo(5000).unwrap();
    assert_eq!(
        output.recv_string(0).unwrap(),
        "two",
        "{go} did not resume the proxy"
    );

    steer.send("TERMINATE", 0).unwrap();
    assert!(relay.join().unwrap().is_ok());
}

#[test]
fn device_queue_between_router_and_dealer() {
    let _guard = watchdog("device", Duration::from_secs(30));
    let ctx = zmq::Context::new();
    let frontend = ctx.socket(zmq::ROUTER).unwrap();
    let port = frontend.bind_to_random_port("tcp://127.0.0.1").unwrap();
    let backend = ctx.socket(zmq::DEALER).unwrap();
    backend.bind("inproc://queue-back").unwrap();
    let relay = thread::spawn(move || zmq::device(zmq::QUEUE, &frontend, &backend));
    let client = connected(&ctx, zmq::REQ, &format!("tcp://127.0.0.1:{port}"));
    let worker = connected(&ctx, zmq::REP, "inproc://queue-back");
    for i in 0..5 {
        client.send(format!("job {i}").as_bytes(), 0).unwrap();
        let job = worker.recv_string(0).unwrap();
        worker.send(format!("done: {job}").as_bytes(), 0).unwrap();
        assert_eq!(client.recv_string(0).unwrap(), format!("done: job {i}"));
    }
    drop((client, worker));
    ctx.destroy(Some(0)).unwrap();
    assert!(relay.join().unwrap().is_err());
}

#[test]
fn thread_device_with_random_ports_and_options() {
    let _guard = watchdog("ThreadDevice", Duration::from_secs(30));
    let ctx = zmq::Context::new();
    let mut dev = zmq::devices::ThreadDevice::new(zmq::QUEUE, zmq::ROUTER, zmq::DEALER);
    dev.set_context(&ctx);
    let in_port = dev.bind_in_to_random_port("tcp://127.0.0.1").unwrap();
    let out_port = dev.bind_out_to_random_port("tcp://127.0.0.1").unwrap();
    assert_ne!(in_port, out_port);
    dev.setsockopt_in(zmq::LINGER, 0);
    dev.setsockopt_out(zmq::LINGER, 0);
    // join before start, and a second start, are errors, not panics.
    assert!(dev.join_timeout(Duration::from_millis(1)).is_err());
    dev.start().unwrap();
    assert!(dev.start().is_err());
    assert!(matches!(
        dev.join_timeout(Duration::from_millis(10)),
        Err(zmq::Error::NotDone)
    ));

    let client = connected(&ctx, zmq::REQ, &format!("tcp://127.0.0.1:{in_port}"));
    let worker = connected(&ctx, zmq::REP, &format!("tcp://127.0.0.1:{out_port}"));
    client.send("ping", 0).unwrap();
    assert_eq!(worker.recv_string(0).unwrap(), "ping");
    worker.send("pong", 0).unwrap();
    assert_eq!(client.recv_string(0).unwrap(), "pong");

    drop((client, worker));
    ctx.destroy(Some(0)).unwrap();
    dev.join_timeout(Duration::from_secs(10)).unwrap();
}

#[test]
fn thread_device_reports_setup_errors_from_start() {
    let ctx = zmq::Context::new();
    let mut dev = zmq::devices::ThreadDevice::new(zmq::STREAMER, zmq::PULL, zmq::PUSH);
    dev.set_context(&ctx);
    dev.bind_in("nonsense://nowhere");
    let e = dev.start().unwrap_err();
    assert_eq!(e.errno(), zmq::EPROTONOSUPPORT);
}

#[test]
fn thread_proxy_copies_to_its_monitor() {
    let _guard = watchdog("ThreadProxy", Duration::from_secs(30));
    let ctx = zmq::Context::new();
    let mut dev = zmq::devices::ThreadProxy::new(zmq::PULL, zmq::PUSH, zmq::PUB);
    dev.set_context(&ctx);
    dev.bind_in("inproc://tp-in");
    dev.bind_out("inproc://tp-out");
    dev.bind_mon("inproc://tp-mon");
    dev.start().unwrap();
    let mon = connected(&ctx, zmq::SUB, "inproc://tp-mon");
    mon.subscribe("").unwrap();
    let input = connected(&ctx, zmq::PUSH, "inproc://tp-in");
    let output = connected(&ctx, zmq::PULL, "inproc://tp-out");
    // Until the monitor's subscription is in, copies may be dropped: repeat.
    let mut seen = false;
    for i in 0..200 {
        input.send(format!("m{i}").as_bytes(), 0).unwrap();
        assert_eq!(output.recv_string(0).unwrap(), format!("m{i}"));
        if mon.poll(10, zmq::POLLIN).unwrap().contains(zmq::POLLIN) {
            assert!(mon.recv_string(0).unwrap().starts_with('m'));
            seen = true;
            break;
        }
    }
    assert!(seen, "the monitor never saw a copy");
    drop((mon, input, output));
    ctx.destroy(Some(0)).unwrap();
    dev.join_timeout(Duration::from_secs(10)).unwrap();
}

#[test]
fn thread_proxy_steerable_terminates_on_command() {
    let _guard = watchdog("ThreadProxySteerable", Duration::from_secs(30));
    let ctx = zmq::Context::new();
    let mut dev = zmq::devices::ThreadProxySteerable::new(zmq::PULL, zmq::PUSH, zmq::PUB, zmq::REP);
    dev.set_context(&ctx);
    dev.bind_in("inproc://tps-in");
    dev.bind_out("inproc://tps-out");
    dev.bind_mon("inproc://tps-mon");
    dev.bind_ctrl("inproc://tps-ctrl");
    dev.start().unwrap();
    let ctrl = connected(&ctx, zmq::REQ, "inproc://tps-ctrl");
    ctrl.send("TERMINATE", 0).unwrap();
    dev.join_timeout(Duration::from_secs(10)).unwrap();
}

#[test]
fn monitored_queue_prefixes_and_swaps_router_ids() {
    let _guard = watchdog("monitored_queue", Duration::from_secs(30));
    let ctx = zmq::Context::new();
    let mut dev =
        zmq::devices::ThreadMonitoredQueue::new(zmq::ROUTER, zmq::ROUTER, zmq::PUB, b"in", b"out");
    dev.set_context(&ctx);
    dev.bind_in("inproc://mq-in");
    dev.bind_out("inproc://mq-out");
    dev.bind_mon("inproc://mq-mon");
    dev.start().unwrap();

    let mon = connected(&ctx, zmq::SUB, "inproc://mq-mon");
    mon.subscribe("").unwrap();
    // ROUTER-ROUTER: a client names the worker it wants; the device swaps
    // the two routing ids so the worker sees the client's id first.
    let worker = ctx.socket(zmq::DEALER).unwrap();
    timeouts(&worker);
    worker.set_identity("worker").unwrap();
    worker.connect("inproc://mq-out").unwrap();
    let client = ctx.socket(zmq::DEALER).unwrap();
    timeouts(&client);
    client.set_identity("client").unwrap();
    client.connect("inproc://mq-in").unwrap();

    let mut copies = Vec::new();
    for _ in 0..200 {
        client
            .send_multipart([b"worker".as_slice(), b"hello"], 0)
            .unwrap();
        let at_worker = worker.recv_multipart(0).unwrap();
        assert_eq!(at_worker, vec![b"client".to_vec(), b"hello".to_vec()]);
        if mon.poll(10, zmq::POLLIN).unwrap().contains(zmq::POLLIN) {
            copies = mon.recv_multipart(0).unwrap();
            break;
        }
    }
    // The monitor sees the parts as relayed (ids swapped), as pyzmq's does.
    assert_eq!(
        copies,
        vec![
            b"in".to_vec(),
            b"worker".to_vec(),
            b"client".to_vec(),
            b"hello".to_vec()
        ]
    );
    // The reply goes back the other way, with the `out` prefix.
    worker
        .send_multipart([b"client".as_slice(), b"hi back"], 0)
        .unwrap();
    assert_eq!(
        client.recv_multipart(0).unwrap(),
        vec![b"worker".to_vec(), b"hi back".to_vec()]
    );
    let copy = mon.recv_multipart(0).unwrap();
    assert_eq!(copy[0], b"out");

    drop((mon, worker, client));
    ctx.destroy(Some(0)).unwrap();
    dev.join_timeout(Duration::from_secs(10)).unwrap();
}
