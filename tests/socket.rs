//! Socket behaviour over real sockets (pyzmq's test_socket, test_pair,
//! test_multipart, test_reqrep, test_error).

mod common;

use common::{pair, timeouts, TRANSPORTS};
use zmq::Error;

#[test]
fn pair_round_trip_on_every_transport() {
    let ctx = zmq::Context::new();
    for transport in TRANSPORTS {
        let (a, b) = pair(&ctx, zmq::PAIR, zmq::PAIR, transport);
        a.send(b"ping", 0).unwrap();
        assert_eq!(b.recv(0).unwrap(), b"ping", "{transport}");
        b.send("pong", 0).unwrap();
        assert_eq!(a.recv_string(0).unwrap(), "pong", "{transport}");
    }
}

#[test]
fn every_sendable_type_arrives_intact() {
    let ctx = zmq::Context::new();
    let (a, b) = pair(&ctx, zmq::PAIR, zmq::PAIR, "inproc");
    let big = vec![7u8; 100_000];
    a.send(&big[..], 0).unwrap();
    a.send(&big, 0).unwrap();
    a.send(big.clone(), 0).unwrap();
    a.send(big.clone().into_boxed_slice(), 0).unwrap();
    a.send(zmq::Message::from(big.clone()), 0).unwrap();
    a.send(String::from("text"), 0).unwrap();
    let text = String::from("text");
    a.send(&text, 0).unwrap();
    a.send(b"array", 0).unwrap();
    a.send(Vec::new(), 0).unwrap();
    for _ in 0..5 {
        assert_eq!(b.recv(0).unwrap(), big);
    }
    assert_eq!(b.recv_string(0).unwrap(), "text");
    assert_eq!(b.recv_string(0).unwrap(), "text");
    assert_eq!(b.recv(0).unwrap(), b"array");
    assert_eq!(b.recv(0).unwrap(), b"");
}

#[test]
fn sizes_0_1_64k_16m() {
    let ctx = zmq::Context::new();
    for transport in ["inproc", "tcp"] {
        let (a, b) = pair(&ctx, zmq::PAIR, zmq::PAIR, transport);
        for size in [0usize, 1, 64 * 1024, 16 * 1024 * 1024] {
            let data: Vec<u8> = (0..size).map(|i| (i % 251) as u8).collect();
            a.send(&data, 0).unwrap();
            let got = b.recv_msg(0).unwrap();
            assert_eq!(got.len(), size);
            assert!(*got == *data, "{transport} {size}");
        }
    }
}

#[test]
fn message_reuse_and_recv_into() {
    let ctx = zmq::Context::new();
    let (a, b) = pair(&ctx, zmq::PAIR, zmq::PAIR, "inproc");
    let mut msg = zmq::Message::new();
    for i in 0..10u8 {
        a.send(&[i; 3][..], 0).unwrap();
        b.recv_msg_into(&mut msg, 0).unwrap();
        assert_eq!(&*msg, &[i; 3]);
    }
    // recv_into returns the full size; a larger part is truncated to fit.
    a.send(b"0123456789", 0).unwrap();
    let mut buf = [0u8; 4];
    assert_eq!(b.recv_into(&mut buf, 0).unwrap(), 10);
    assert_eq!(&buf, b"0123");
    a.send(b"ab", 0).unwrap();
    assert_eq!(b.recv_into(&mut buf, 0).unwrap(), 2);
    assert_eq!(&buf[..2], b"ab");
    // Sending through `&mut Message` empties it for reuse.
    let mut out = zmq::Message::from("reused");
    a.send(&mut out, 0).unwrap();
    assert!(out.is_empty());
    assert_eq!(b.recv(0).unwrap(), b"reused");
}

#[test]
fn invalid_utf8_is_an_error_that_keeps_the_bytes() {
    let ctx = zmq::Context::new();
    let (a, b) = pair(&ctx, zmq::PAIR, zmq::PAIR, "inproc");
    a.send(&[0xff, 0xfe, b'x'][..], 0).unwrap();
    match b.recv_string(0) {
        Err(Error::Utf8(e)) => assert_eq!(e.into_bytes(), vec![0xff, 0xfe, b'x']),
        other => panic!("{other:?}"),
    }
}

#[test]
fn multipart_round_trip_and_more_flags() {
    let ctx = zmq::Context::new();
    for transport in TRANSPORTS {
        let (a, b) = pair(&ctx, zmq::PAIR, zmq::PAIR, transport);
        a.send_multipart([b"A".as_slice(), b"", b"msg"], 0).unwrap();
        assert_eq!(
            b.recv_multipart(0).unwrap(),
            vec![b"A".to_vec(), vec![], b"msg".to_vec()]
        );
        a.send_multipart(vec![vec![1u8; 100], vec![2u8; 5]], 0)
            .unwrap();
        let parts = b.recv_multipart_msg(0).unwrap();
        assert!(parts[0].more() && !parts[1].more());
        assert_eq!(parts[1].get(zmq::MORE).unwrap(), 0);
        a.send("x", zmq::SNDMORE).unwrap();
        a.send("y", 0).unwrap();
        b.recv(0).unwrap();
        assert!(b.getsockopt(zmq::RCVMORE).unwrap());
        b.recv(0).unwrap();
        assert!(!b.rcvmore().unwrap());
        // An empty list is an error (pyzmq: IndexError) and sends nothing.
        assert!(a.send_multipart(Vec::<Vec<u8>>::new(), 0).is_err());
        assert!(b.recv(zmq::DONTWAIT).unwrap_err().is_again());
    }
}

#[test]
fn serialized_round_trip() {
    let ctx = zmq::Context::new();
    let (a, b) = pair(&ctx, zmq::PAIR, zmq::PAIR, "inproc");
    let point = (3i32, -4i32);
    a.send_serialized(&point, |p| [p.0.to_le_bytes(), p.1.to_le_bytes()], 0)
        .unwrap();
    let back = b
        .recv_serialized(
            |parts| {
                let x = i32::from_le_bytes(parts[0].clone().try_into().unwrap());
                let y = i32::from_le_bytes(parts[1].clone().try_into().unwrap());
                (x, y)
            },
            0,
        )
        .unwrap();
    assert_eq!(back, point);
}

#[cfg(feature = "json")]
#[test]
fn json_round_trip() {
    #[derive(serde::Serialize, serde::Deserialize, Debug, PartialEq)]
    struct Reading {
        sensor: String,
        value: f64,
    }
    let ctx = zmq::Context::new();
    let (a, b) = pair(&ctx, zmq::PAIR, zmq::PAIR, "inproc");
    let r = Reading {
        sensor: "t1".into(),
        value: 21.5,
    };
    a.send_json(&r, 0).unwrap();
    assert_eq!(b.recv_json::<Reading>(0).unwrap(), r);
    a.send("not json", 0).unwrap();
    assert!(matches!(b.recv_json::<Reading>(0), Err(Error::Json(_))));
}

#[test]
fn dontwait_on_empty_is_again_and_rcvtimeo_is_again() {
    let ctx = zmq::Context::new();
    let s = ctx.socket(zmq::PULL).unwrap();
    s.bind("inproc://empty").unwrap();
    let e = s.recv(zmq::DONTWAIT).unwrap_err();
    assert!(matches!(e, Error::Again));
    assert_eq!(e.errno(), zmq::EAGAIN);
    assert_eq!(e.to_string(), "Resource temporarily unavailable");
    assert_eq!(
        std::io::Error::from(e).kind(),
        std::io::ErrorKind::WouldBlock
    );
    s.set_rcvtimeo(50).unwrap();
    assert!(s.recv(0).unwrap_err().is_again());
    assert!(s.recv_msg(zmq::NOBLOCK).unwrap_err().is_again());
    let mut buf = [0u8; 4];
    assert!(s.recv_into(&mut buf, zmq::DONTWAIT).unwrap_err().is_again());
}

#[test]
fn req_recv_before_send_is_efsm() {
    let ctx = zmq::Context::new();
    let s = ctx.socket(zmq::REQ).unwrap();
    let e = s.recv(0).unwrap_err();
    assert_eq!(e.errno(), zmq::EFSM);
    assert!(e.is_fsm());
    assert_eq!(e.to_string(), zmq::strerror(zmq::EFSM));
}

#[test]
fn req_rep_over_every_transport() {
    let ctx = zmq::Context::new();
    for transport in TRANSPORTS {
        let (rep, req) = pair(&ctx, zmq::REP, zmq::REQ, transport);
        for i in 0..10 {
            req.send(format!("Hello {i}").as_bytes(), 0).unwrap();
            assert_eq!(rep.recv_string(0).unwrap(), format!("Hello {i}"));
            rep.send("World", 0).unwrap();
            assert_eq!(req.recv_string(0).unwrap(), "World");
        }
    }
}

#[test]
fn router_identities_and_envelopes() {
    let ctx = zmq::Context::new();
    let router = ctx.socket(zmq::ROUTER).unwrap();
    timeouts(&router);
    router.set_router_mandatory(true).unwrap();
    let port = router.bind_to_random_port("tcp://127.0.0.1").unwrap();
    let mut dealers = Vec::new();
    for name in ["alpha", "beta"] {
        let d = ctx.socket(zmq::DEALER).unwrap();
        timeouts(&d);
        d.set_identity(name).unwrap();
        assert_eq!(d.identity().unwrap(), name.as_bytes());
        d.connect(&format!("tcp://127.0.0.1:{port}")).unwrap();
        d.send_multipart([b"".as_slice(), b"hi"], 0).unwrap();
        dealers.push(d);
    }
    let mut seen = Vec::new();
    for _ in 0..2 {
        let parts = router.recv_multipart(0).unwrap();
        assert_eq!(&parts[1..], &[b"".to_vec(), b"hi".to_vec()]);
        seen.push(String::from_utf8(parts[0].clone()).unwrap());
    }
    seen.sort();
    assert_eq!(seen, ["alpha", "beta"]);
    router
        .send_multipart([b"beta".as_slice(), b"", b"for beta"], 0)
        .unwrap();
    assert_eq!(dealers[1].recv_multipart(0).unwrap()[1], b"for beta");
    // ROUTER_MANDATORY: an unknown identity is EHOSTUNREACH, not a silent drop.
    let e = router
        .send_multipart([b"nobody".as_slice(), b"", b"x"], 0)
        .unwrap_err();
    assert_eq!(e.errno(), zmq::EHOSTUNREACH);
}

#[test]
fn bind_errors_name_the_endpoint() {
    let ctx = zmq::Context::new();
    let a = ctx.socket(zmq::PUB).unwrap();
    let port = a.bind_to_random_port("tcp://127.0.0.1").unwrap();
    let b = ctx.socket(zmq::PUB).unwrap();
    let endpoint = format!("tcp://127.0.0.1:{port}");
    let e = b.bind(&endpoint).unwrap_err();
    assert_eq!(e.errno(), zmq::EADDRINUSE);
    assert_eq!(
        e.to_string(),
        format!("Address already in use (addr='{endpoint}')")
    );
    let e = b.connect("nonsense://x").unwrap_err();
    assert_eq!(e.errno(), zmq::EPROTONOSUPPORT);
    assert!(e.to_string().contains("nonsense://x"));
    let e = b.bind("tcp://127.0.0.1:notaport").unwrap_err();
    assert_eq!(e.errno(), zmq::EINVAL);
}

#[test]
fn nul_bytes_in_strings_are_errors() {
    let ctx = zmq::Context::new();
    let s = ctx.socket(zmq::PUB).unwrap();
    for result in [
        s.bind("inproc://a\0b"),
        s.connect("inproc://a\0b"),
        s.unbind("\0"),
        s.disconnect("x\0"),
        s.monitor("inproc://m\0", zmq::EVENT_ALL),
    ] {
        assert!(
            matches!(
                result,
                Err(Error::Nul {
                    what: "endpoint",
                    ..
                })
            ),
            "{result:?}"
        );
    }
    assert_eq!(
        s.bind("inproc://a\0b").unwrap_err().errno(),
        zmq::EINVAL,
        "NUL errors report EINVAL"
    );
}

#[test]
fn bind_to_random_port_and_range() {
    let ctx = zmq::Context::new();
    let s = ctx.socket(zmq::PUB).unwrap();
    let port = s.bind_to_random_port("tcp://127.0.0.1").unwrap();
    assert_eq!(
        s.last_endpoint().unwrap(),
        format!("tcp://127.0.0.1:{port}")
    );
    let t = ctx.socket(zmq::PUB).unwrap();
    let port2 = t
        .bind_to_random_port_range("tcp://127.0.0.1", 40000, 60000, 100)
        .unwrap();
    assert!((40000..60000).contains(&port2));
    // Exhausted: the only port in the range is taken.
    let u = ctx.socket(zmq::PUB).unwrap();
    let e = u
        .bind_to_random_port_range("tcp://127.0.0.1", port2, u32::from(port2) + 1, 3)
        .unwrap_err();
    assert!(matches!(e, Error::BindRandomPort { tries: 3, .. }), "{e:?}");
}

#[test]
fn unbind_and_disconnect() {
    let ctx = zmq::Context::new();
    let (a, b) = pair(&ctx, zmq::PAIR, zmq::PAIR, "tcp");
    let endpoint = a.last_endpoint().unwrap();
    b.disconnect(&endpoint).unwrap();
    a.unbind(&endpoint).unwrap();
    // Unbinding twice: libzmq says ENOENT, naming the endpoint.
    let e = a.unbind(&endpoint).unwrap_err();
    assert_eq!(e.errno(), zmq::ENOENT);
}

#[test]
fn socket_poll_fd_events_and_type() {
    let ctx = zmq::Context::new();
    let (a, b) = pair(&ctx, zmq::PAIR, zmq::PAIR, "inproc");
    assert_eq!(a.socket_type(), zmq::PAIR);
    assert_eq!(a.type_().unwrap(), zmq::SocketType::PAIR);
    assert!(b.poll(0, zmq::POLLIN).unwrap().is_empty());
    assert_eq!(a.poll(1000, zmq::POLLOUT).unwrap(), zmq::POLLOUT);
    a.send("x", 0).unwrap();
    assert_eq!(
        b.poll(std::time::Duration::from_secs(5), zmq::POLLIN)
            .unwrap(),
        zmq::POLLIN
    );
    assert!(b.events().unwrap().contains(zmq::POLLIN));
    assert!(b.fd().unwrap() >= 0);
}

#[test]
fn close_and_close_linger_report_success() {
    let ctx = zmq::Context::new();
    let s = ctx.socket(zmq::PUSH).unwrap();
    s.connect("tcp://127.0.0.1:9").unwrap();
    s.send("pending", zmq::DONTWAIT).unwrap();
    s.close_linger(0).unwrap();
    ctx.socket(zmq::PULL).unwrap().close().unwrap();
    // With every socket closed (linger 0), term returns at once.
    let _guard = common::watchdog("term after close", std::time::Duration::from_secs(10));
    ctx.term().unwrap();
}

#[test]
fn hwm_sets_both_and_subscribe_takes_text_or_bytes() {
    let ctx = zmq::Context::new();
    let s = ctx.socket(zmq::SUB).unwrap();
    s.set_hwm(10).unwrap();
    assert_eq!(
        (s.sndhwm().unwrap(), s.rcvhwm().unwrap(), s.hwm().unwrap()),
        (10, 10, 10)
    );
    s.subscribe("text").unwrap();
    s.subscribe(b"bytes").unwrap();
    s.unsubscribe("text").unwrap();
    s.setsockopt_string(zmq::SUBSCRIBE, "x").unwrap();
    s.set_plain_username("user").unwrap();
    assert_eq!(s.getsockopt_string(zmq::PLAIN_USERNAME).unwrap(), "user");
    assert_eq!(s.mechanism().unwrap(), zmq::PLAIN);
}

#[test]
fn option_values_libzmq_refuses_are_errors() {
    let ctx = zmq::Context::new();
    let s = ctx.socket(zmq::DEALER).unwrap();
    // A routing id may not exceed 255 bytes (pyzmq: ZMQError EINVAL too).
    assert_eq!(
        s.set_routing_id(vec![1u8; 256]).unwrap_err().errno(),
        zmq::EINVAL
    );
    assert_eq!(s.set_tcp_keepalive(7).unwrap_err().errno(), zmq::EINVAL);
    // An option a socket type does not have (XPUB_VERBOSE on a DEALER).
    assert_eq!(s.set_xpub_verbose(true).unwrap_err().errno(), zmq::EINVAL);
}

#[test]
fn last_endpoint_of_an_unbound_socket_is_empty() {
    let ctx = zmq::Context::new();
    let s = ctx.socket(zmq::PUB).unwrap();
    assert_eq!(s.last_endpoint().unwrap(), "");
}
