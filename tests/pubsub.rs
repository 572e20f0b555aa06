//! Publish-subscribe (pyzmq's test_pubsub, XPUB/XSUB subscriptions).

mod common;

use common::{pair, timeouts, TRANSPORTS};

/// Publishes `probe` until `sub` receives something: subscriptions travel
/// asynchronously, so this is the handshake before the real traffic. Then
/// one marker (`probe` and "-done", so the same subscription takes it),
/// read up to: probes still on their way arrive before it (one connection
/// keeps its order), so none is left behind. (Draining with `DONTWAIT`
/// instead left a late probe for the test's first read under valgrind.)
fn await_subscription(publisher: &zmq::Socket, sub: &zmq::Socket, probe: &[u8]) {
    for _ in 0..500 {
        publisher.send(probe, 0).unwrap();
        if sub.poll(10, zmq::POLLIN).unwrap().contains(zmq::POLLIN) {
            let marker = [probe, b"-done"].concat();
            publisher.send(&marker[..], 0).unwrap();
            loop {
                let got = sub.recv(0).expect("the end of the probes");
                if got == marker {
                    return;
                }
                assert_eq!(got, probe, "only probes come before the marker");
            }
        }
    }
    panic!("subscription never arrived");
}

#[test]
fn prefix_filters_on_every_transport() {
    let ctx = zmq::Context::new();
    for transport in TRANSPORTS {
        let (publisher, sub) = pair(&ctx, zmq::PUB, zmq::SUB, transport);
        sub.subscribe("1-").unwrap();
        sub.subscribe(b"sync").unwrap();
        await_subscription(&publisher, &sub, b"sync");
        for i in 0..10 {
            publisher.send(format!("1-{i}").as_bytes(), 0).unwrap();
            publisher.send(format!("2-{i}").as_bytes(), 0).unwrap();
        }
        publisher.send("sync-end", 0).unwrap();
        let mut got = Vec::new();
        loop {
            let m = sub.recv_string(0).unwrap();
            if m == "sync-end" {
                break;
            }
            got.push(m);
        }
        let expected: Vec<String> = (0..10).map(|i| format!("1-{i}")).collect();
        assert_eq!(got, expected, "{transport}");
        sub.unsubscribe("1-").unwrap();
    }
}

#[test]
fn xpub_sees_subscription_messages() {
    let ctx = zmq::Context::new();
    let (xpub, sub) = pair(&ctx, zmq::XPUB, zmq::SUB, "tcp");
    xpub.set_xpub_verbose(true).unwrap();
    sub.subscribe("topic").unwrap();
    assert_eq!(xpub.recv(0).unwrap(), b"\x01topic");
    sub.unsubscribe("topic").unwrap();
    assert_eq!(xpub.recv(0).unwrap(), b"\x00topic");
}

#[test]
fn xsub_sends_subscriptions_upstream() {
    let ctx = zmq::Context::new();
    let (publisher, xsub) = pair(&ctx, zmq::PUB, zmq::XSUB, "inproc");
    xsub.send(b"\x01news", 0).unwrap();
    await_subscription(&publisher, &xsub, b"news-probe");
    publisher.send("news: hello", 0).unwrap();
    publisher.send("other", 0).unwrap();
    assert_eq!(xsub.recv_string(0).unwrap(), "news: hello");
    assert!(xsub.recv(zmq::DONTWAIT).unwrap_err().is_again());
}

#[test]
fn pub_sub_burst_of_10000_loses_nothing() {
    let ctx = zmq::Context::new();
    // HWMs apply to connections made after they are set (as in pyzmq).
    ctx.set_default(zmq::SNDHWM, 0).unwrap();
    ctx.set_default(zmq::RCVHWM, 0).unwrap();
    let (publisher, sub) = pair(&ctx, zmq::PUB, zmq::SUB, "tcp");
    sub.subscribe("").unwrap();
    await_subscription(&publisher, &sub, b"probe");
    for i in 0..10_000u32 {
        publisher.send(i.to_le_bytes(), 0).unwrap();
    }
    for i in 0..10_000u32 {
        assert_eq!(sub.recv(0).unwrap(), i.to_le_bytes());
    }
}

#[test]
fn push_pull_fair_queueing_across_two_workers() {
    let ctx = zmq::Context::new();
    let push = ctx.socket(zmq::PUSH).unwrap();
    timeouts(&push);
    let port = push.bind_to_random_port("tcp://127.0.0.1").unwrap();
    // The monitor is the handshake: it must exist before the workers
    // connect, or their handshakes can finish before anyone is listening
    // and the events are lost.
    let monitor = push
        .get_monitor_socket(zmq::EVENT_HANDSHAKE_SUCCEEDED)
        .unwrap();
    monitor.set_rcvtimeo(5000).unwrap();
    let workers: Vec<zmq::Socket> = (0..2)
        .map(|_| {
            let w = ctx.socket(zmq::PULL).unwrap();
            timeouts(&w);
            w.connect(&format!("tcp://127.0.0.1:{port}")).unwrap();
            w
        })
        .collect();
    // Wait until both connections are up.
    for _ in 0..2 {
        zmq::recv_monitor_message(&monitor, 0).unwrap();
    }
    for i in 0..100u32 {
        push.send(i.to_le_bytes(), 0).unwrap();
    }
    // Round-robin: each worker gets exactly half, and nothing more.
    for w in &workers {
        for _ in 0..50 {
            w.recv(0).unwrap();
        }
        assert!(w.recv(zmq::DONTWAIT).unwrap_err().is_again());
    }
}
