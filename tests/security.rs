//! PLAIN and CURVE through a ZAP handler (pyzmq's test_security).

mod common;

use std::sync::atomic::Ordering;

use common::timeouts;

/// A ZAP handler (RFC 27) in its own thread: accepts PLAIN "admin"/"secret"
/// and CURVE client keys in `allowed`, and names the user "admin".
struct Zap {
    _handler: common::Background,
}

impl Zap {
    fn start(ctx: &zmq::Context, allowed_curve_keys: Vec<Vec<u8>>) -> Zap {
        let handler = ctx.socket(zmq::REP).unwrap();
        handler.set_linger(0).unwrap();
        handler.set_rcvtimeo(50).unwrap();
        handler.bind("inproc://zeromq.zap.01").unwrap();
        let thread = common::background(move |stop| {
            while !stop.load(Ordering::SeqCst) {
                let request = match handler.recv_multipart(0) {
                    Ok(r) => r,
                    Err(e) if e.is_again() => continue,
                    Err(_) => return,
                };
                let (version, id, mechanism) = (&request[0], &request[1], &request[5]);
                assert_eq!(version, b"1.0");
                let ok = match mechanism.as_slice() {
                    b"PLAIN" => request[6] == b"admin" && request[7] == b"secret",
                    b"CURVE" => allowed_curve_keys.iter().any(|k| *k == request[6]),
                    _ => false,
                };
                let (code, text) = if ok { ("200", "OK") } else { ("400", "denied") };
                let reply: [&[u8]; 6] =
                    [b"1.0", id, code.as_bytes(), text.as_bytes(), b"admin", b""];
                handler.send_multipart(reply, 0).unwrap();
            }
        });
        Zap { _handler: thread }
    }
}

/// Waits for a handshake outcome on `server`'s monitor.
fn handshake_outcome(monitor: &zmq::Socket) -> zmq::MonitorEvent {
    loop {
        let event = zmq::recv_monitor_message(monitor, 0).unwrap();
        if event.event.intersects(
            zmq::EVENT_HANDSHAKE_SUCCEEDED
                | zmq::EVENT_HANDSHAKE_FAILED_AUTH
                | zmq::EVENT_HANDSHAKE_FAILED_PROTOCOL
                | zmq::EVENT_HANDSHAKE_FAILED_NO_DETAIL,
        ) {
            return event;
        }
    }
}

fn server(ctx: &zmq::Context) -> zmq::Socket {
    let s = ctx.socket(zmq::PULL).unwrap();
    timeouts(&s);
    s.set_zap_domain("test").unwrap();
    s
}

fn monitor(s: &zmq::Socket) -> zmq::MonitorSocket<'_> {
    let monitor = s.get_monitor_socket(zmq::EVENT_ALL).unwrap();
    monitor.set_rcvtimeo(5000).unwrap();
    monitor
}

#[test]
fn plain_with_good_and_bad_passwords() {
    let ctx = zmq::Context::new();
    let _zap = Zap::start(&ctx, Vec::new());
    for (password, should_pass) in [("secret", true), ("wrong", false)] {
        let s = server(&ctx);
        let monitor = monitor(&s);
        s.set_plain_server(true).unwrap();
        let port = s.bind_to_random_port("tcp://127.0.0.1").unwrap();
        let client = ctx.socket(zmq::PUSH).unwrap();
        timeouts(&client);
        client.set_plain_username("admin").unwrap();
        client.set_plain_password(password).unwrap();
        assert_eq!(client.plain_password().unwrap(), password);
        client.connect(&format!("tcp://127.0.0.1:{port}")).unwrap();
        let outcome = handshake_outcome(&monitor);
        if should_pass {
            assert_eq!(outcome.event, zmq::EVENT_HANDSHAKE_SUCCEEDED);
            client.send("authenticated", 0).unwrap();
            let msg = s.recv_msg(0).unwrap();
            assert_eq!(&*msg, b"authenticated");
            assert_eq!(msg.gets("User-Id").as_deref(), Some("admin"));
        } else {
            assert_eq!(outcome.event, zmq::EVENT_HANDSHAKE_FAILED_AUTH);
            assert_eq!(outcome.value, 400);
            client.send("rejected", zmq::DONTWAIT).ok();
            s.set_rcvtimeo(200).unwrap();
            assert!(s.recv(0).unwrap_err().is_again());
        }
    }
}

#[test]
#[cfg_attr(not(feature = "curve"), ignore = "needs feature curve (CI builds it)")]
fn curve_with_keys_from_curve_keypair() {
    assert!(zmq::has("curve"), "this libzmq has no CURVE");
    let (server_public, server_secret) = zmq::curve_keypair().unwrap();
    let (client_public, client_secret) = zmq::curve_keypair().unwrap();
    assert_eq!(zmq::curve_public(&server_secret).unwrap(), server_public);
    let ctx = zmq::Context::new();
    let allowed = vec![zmq::z85::decode(&client_public).unwrap()];
    let _zap = Zap::start(&ctx, allowed);

    for (server_key, should_pass) in [
        (server_public.clone(), true),
        (client_public.clone(), false),
    ] {
        let s = server(&ctx);
        let monitor = monitor(&s);
        s.set_curve_server(true).unwrap();
        s.set_curve_secretkey(&server_secret).unwrap();
        assert_eq!(s.curve_secretkey().unwrap(), server_secret);
        let port = s.bind_to_random_port("tcp://127.0.0.1").unwrap();
        let client = ctx.socket(zmq::PUSH).unwrap();
        timeouts(&client);
        client.set_curve_serverkey(&server_key).unwrap();
        client.set_curve_publickey(&client_public).unwrap();
        client.set_curve_secretkey(&client_secret).unwrap();
        assert_eq!(client.mechanism().unwrap(), zmq::CURVE);
        client.connect(&format!("tcp://127.0.0.1:{port}")).unwrap();
        let outcome = handshake_outcome(&monitor);
        if should_pass {
            assert_eq!(outcome.event, zmq::EVENT_HANDSHAKE_SUCCEEDED);
            client.send("encrypted", 0).unwrap();
            let msg = s.recv_msg(0).unwrap();
            assert_eq!(&*msg, b"encrypted");
            assert_eq!(msg.gets("User-Id").as_deref(), Some("admin"));
        } else {
            // A client with the wrong server key cannot complete the handshake.
            assert_ne!(outcome.event, zmq::EVENT_HANDSHAKE_SUCCEEDED);
            s.set_rcvtimeo(200).unwrap();
            assert!(s.recv(0).unwrap_err().is_again());
        }
    }
}

/// The vendored build without `curve` has no CURVE: libzmq says so.
#[test]
#[cfg(all(zmq_vendored, not(feature = "curve")))]
fn without_curve_keypair_is_not_supported() {
    assert!(!zmq::has("curve"));
    assert_eq!(zmq::curve_keypair().unwrap_err().errno(), zmq::ENOTSUP);
}

#[test]
fn curve_keys_of_the_wrong_size_are_refused() {
    let ctx = zmq::Context::new();
    let s = ctx.socket(zmq::PUSH).unwrap();
    let e = s.set_curve_serverkey(b"too short").unwrap_err();
    assert!(e.errno() == zmq::EINVAL || e.errno() == zmq::ENOTSUP, "{e}");
    assert!(matches!(
        zmq::curve_public(b"short"),
        Err(zmq::Error::InvalidArgument(_))
    ));
}
