//! The public API driven with arbitrary values (proptest): option values,
//! message sizes, endpoints, Z85 text and call orders. Whatever comes in,
//! the outcome is a value or a `zmq::Error`: never a panic, an abort inside
//! libzmq (which would end this test binary), or a hang (nothing here
//! blocks: DONTWAIT, `poll(0)`, LINGER 0). Only loopback addresses.
mod common;

use proptest::prelude::*;

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 256,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Integers around the edges libzmq and the OS care about.
fn edgy_int() -> impl Strategy<Value = i32> {
    prop_oneof![
        -3..300i32,
        Just(i32::MIN),
        Just(i32::MAX),
        Just(i32::MAX - 1),
        Just(1 << 30),
        Just((1 << 30) - 1),
        Just(65_535),
        Just(65_536),
        Just(2_147_483),
        Just(6_553_600),
        any::<i32>(),
    ]
}

/// Bytes of the shapes option values take: empty, short, text, long.
fn edgy_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        Just(Vec::new()),
        proptest::collection::vec(any::<u8>(), 1..50),
        proptest::collection::vec(b'0'..=b'z', 30..45),
        proptest::collection::vec(any::<u8>(), 250..260),
        Just(b"Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hID".to_vec()),
        Just(b"lo".to_vec()),
        Just(b"127.0.0.1:1080".to_vec()),
    ]
}

/// Sets one option, chosen by `which`, to a value derived from the inputs.
fn set_some_option(s: &zmq::Socket, which: u8, int: i32, bytes: &[u8]) -> zmq::Result<()> {
    match which % 40 {
        0 => s.set_linger(int),
        1 => s.set_sndhwm(int),
        2 => s.set_rcvhwm(int),
        3 => s.set_rcvtimeo(int),
        4 => s.set_sndtimeo(int),
        5 => s.set_tcp_keepalive(int),
        6 => s.set_tcp_keepalive_cnt(int),
        7 => s.set_tcp_keepalive_idle(int),
        8 => s.set_tcp_keepalive_intvl(int),
        9 => s.set_heartbeat_ivl(int),
        10 => s.set_heartbeat_ttl(int),
        11 => s.set_heartbeat_timeout(int),
        12 => s.set_tos(int),
        13 => s.set_rate(int),
        14 => s.set_recovery_ivl(int),
        15 => s.set_multicast_hops(int),
        16 => s.set_multicast_maxtpdu(int),
        17 => s.set_sndbuf(int),
        18 => s.set_rcvbuf(int),
        19 => s.set_reconnect_ivl(int),
        20 => s.set_backlog(int),
        21 => s.set_maxmsgsize(i64::from(int)),
        22 => s.set_routing_id(bytes),
        23 => s.set_subscribe(bytes),
        24 => s.set_zap_domain(bytes),
        25 => s.set_plain_username(bytes),
        26 => s.set_plain_password(bytes),
        27 => s.set_curve_serverkey(bytes),
        28 => s.set_curve_secretkey(bytes),
        29 => s.set_socks_proxy(bytes),
        30 => s.set_bindtodevice(bytes),
        31 => s.set_connect_routing_id(bytes),
        32 => s.set_affinity(int as u64),
        33 => s.set_immediate(int),
        34 => s.set_ipv6(int),
        35 => s.set_handshake_ivl(int),
        36 => s.set_connect_timeout(int),
        37 => s.set_tcp_maxrt(int),
        38 => s.set_xpub_welcome_msg(bytes),
        _ => s.set_conflate(int),
    }
}

/// An endpoint of some transport, well formed or not, on loopback only.
fn endpoint() -> impl Strategy<Value = String> {
    let host = prop_oneof![
        Just("127.0.0.1".to_string()),
        Just("localhost".to_string()),
        Just("[::1]".to_string()),
        Just("".to_string()),
        proptest::collection::vec(b'a'..=b'z', 0..12).prop_map(|c| String::from_utf8(c).unwrap()),
        proptest::collection::vec(any::<char>(), 0..8).prop_map(|c| c.into_iter().collect()),
    ];
    let port = prop_oneof![
        Just("*".to_string()),
        (0u32..70_000).prop_map(|p| p.to_string()),
        Just("-1".to_string()),
        Just("80abc".to_string()),
        Just("".to_string()),
    ];
    let name = proptest::collection::vec(any::<char>(), 0..20)
        .prop_map(|c| c.into_iter().collect::<String>());
    prop_oneof![
        (host.clone(), port.clone()).prop_map(|(h, p)| format!("tcp://{h}:{p}")),
        (host.clone(), port.clone()).prop_map(|(h, p)| format!("udp://{h}:{p}")),
        (host, port.clone()).prop_map(|(h, p)| format!("ws://{h}:{p}/x")),
        port.prop_map(|p| format!("epgm://127.0.0.1;239.192.77.1:{p}")),
        name.clone().prop_map(|n| format!("inproc://{n}")),
        name.clone().prop_map(|n| format!(
            "ipc://{}/zmq-rs-random-{}-{n}",
            std::env::temp_dir().display(),
            std::process::id()
        )),
        name.prop_map(|n| format!("{n}://x")),
    ]
}

fn socket_type(i: u8) -> zmq::SocketType {
    let all = zmq::SocketType::all();
    all[usize::from(i) % all.len()]
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn option_values(which in proptest::collection::vec(any::<u8>(), 1..8),
                     ints in proptest::collection::vec(edgy_int(), 8),
                     bytes in proptest::collection::vec(edgy_bytes(), 8),
                     kind in any::<u8>(),
                     defaults in any::<bool>()) {
        let ctx = zmq::Context::new();
        let s = ctx.socket(socket_type(kind)).unwrap();
        s.set_linger(0).unwrap();
        for (i, w) in which.iter().enumerate() {
            let outcome = set_some_option(&s, *w, ints[i % 8], &bytes[i % 8]);
            // Errors are values: their texts and errnos are there to read.
            if let Err(e) = outcome {
                let _ = (e.to_string(), e.errno(), format!("{e:?}"));
            }
        }
        if defaults {
            let _ = ctx.set_default(zmq::LINGER, ints[0]);
            let _ = ctx.set_default(zmq::SUBSCRIBE, &bytes[1]);
            let _ = ctx.set_default(zmq::CURVE_SERVERKEY, &bytes[2]);
            let _ = ctx.set_default(zmq::TCP_KEEPALIVE_CNT, ints[3]);
            // Every socket type can still be made.
            for t in zmq::SocketType::all() {
                ctx.socket(*t).unwrap();
            }
        }
        // The socket still works for what it is.
        let _ = s.bind("tcp://127.0.0.1:*");
        let _ = s.last_endpoint().unwrap();
        let _ = s.poll(0, zmq::POLLIN);
    }

    #[test]
    fn context_options(option in 0..12i32, value in edgy_int(), make_socket in any::<bool>()) {
        let ctx = zmq::Context::new();
        let _ = ctx.set(zmq::ContextOption(option), value);
        let _ = ctx.get(zmq::ContextOption(option));
        if make_socket {
            // Thread options the OS refuses are an error here, not an abort
            // in libzmq's threads.
            if let Ok(s) = ctx.socket(zmq::PAIR) {
                s.bind("inproc://context-options").unwrap();
            }
        }
        let _ = ctx.destroy(Some(value));
    }

    #[test]
    fn message_sizes(sizes in proptest::collection::vec(prop_oneof![0usize..100, 30usize..40, 8000usize..9000, 60_000usize..70_000], 1..6)) {
        let ctx = zmq::Context::new();
        let (a, b) = common::pair(&ctx, zmq::PAIR, zmq::PAIR, "inproc");
        let parts: Vec<Vec<u8>> = sizes.iter().map(|n| (0..*n).map(|i| i as u8).collect()).collect();
        a.send_multipart(parts.clone(), 0).unwrap();
        let mut got = b.recv_multipart_msg(zmq::DONTWAIT).unwrap();
        prop_assert_eq!(got.len(), parts.len());
        for (msg, want) in got.iter_mut().zip(&parts) {
            prop_assert_eq!(&msg[..], &want[..]);
            let mut copy = msg.fast_copy();
            copy.to_mut();
            prop_assert_eq!(copy.more(), msg.more());
        }
        let mut buf = vec![0u8; sizes[0] / 2];
        a.send(parts[0].clone(), 0).unwrap();
        prop_assert_eq!(b.recv_into(&mut buf, zmq::DONTWAIT).unwrap(), sizes[0]);
        prop_assert!(zmq::Message::with_size(sizes[0]).is_ok());
    }

    #[test]
    fn endpoints(endpoints in proptest::collection::vec((endpoint(), any::<bool>(), any::<u8>()), 1..6)) {
        let ctx = zmq::Context::new();
        ctx.set_default(zmq::LINGER, 0).unwrap();
        for (endpoint, bind, kind) in endpoints {
            let s = ctx.socket(socket_type(kind)).unwrap();
            let outcome = if bind { s.bind(&endpoint) } else { s.connect(&endpoint) };
            if outcome.is_ok() {
                let _ = s.last_endpoint().unwrap();
                let _ = s.unbind(&endpoint);
                let _ = s.disconnect(&endpoint);
            }
        }
    }

    #[test]
    fn z85_text(text in prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..60),
        proptest::collection::vec(b'!'..=b'}', 0..60),
        proptest::collection::vec(b'!'..=b'}', 40..41),
    ]) {
        match zmq::z85::decode(&text) {
            Ok(raw) => {
                let again = zmq::z85::encode(&raw).unwrap();
                prop_assert_eq!(again.as_bytes(), &text[..]);
            }
            Err(e) => prop_assert!(matches!(e, zmq::Error::InvalidArgument(_))),
        }
        let _ = zmq::curve_public(&text);
        let ctx = zmq::Context::new();
        let s = ctx.socket(zmq::DEALER).unwrap();
        if s.set_curve_publickey(&text).is_ok() {
            // What was stored is the whole key it was given.
            let stored = s.curve_publickey().unwrap();
            if text.len() == 40 {
                prop_assert_eq!(&stored[..], &text[..]);
            }
        }
    }

    #[test]
    fn call_orders(kinds in proptest::collection::vec(any::<u8>(), 4),
                   ops in proptest::collection::vec((0u8..15, 0usize..4, any::<u8>()), 1..40)) {
        let ctx = zmq::Context::new();
        ctx.set_default(zmq::LINGER, 0).unwrap();
        let mut sockets: Vec<Option<zmq::Socket>> = kinds
            .into_iter()
            .map(|t| ctx.socket(socket_type(t)).ok())
            .collect();
        let name = |n: u8| format!("inproc://order-{}", n % 3);
        for (op, target, n) in ops {
            let Some(s) = sockets[target].as_ref() else { continue };
            let _ = match op {
                0 => s.bind(&name(n)),
                1 => s.connect(&name(n)),
                2 => s.send(vec![n; usize::from(n)], zmq::DONTWAIT),
                3 => s.send_multipart([b"a".as_slice(), b""], zmq::DONTWAIT | zmq::SNDMORE),
                4 => s.recv(zmq::DONTWAIT).map(drop),
                5 => s.recv_multipart(zmq::DONTWAIT).map(drop),
                6 => s.poll(0, zmq::POLLIN | zmq::POLLOUT).map(drop),
                7 => s.unbind(&name(n)),
                8 => s.disconnect(&name(n)),
                9 => s.get_monitor_socket(zmq::EVENT_ALL).map(drop),
                10 => s.monitor(&format!("inproc://order-monitor-{n}"), zmq::EVENT_ALL),
                11 => s.disable_monitor(),
                12 => {
                    sockets[target].take().map(zmq::Socket::close).unwrap_or(Ok(()))
                }
                13 => s.subscribe(vec![n % 4]),
                _ => ctx.destroy(Some(0)),
            };
        }
        let mut poller = zmq::Poller::new();
        for s in sockets.iter().flatten() {
            poller.register(s, zmq::POLLIN);
        }
        let _ = poller.poll(0);
    }
}
