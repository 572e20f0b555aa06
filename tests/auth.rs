//! zmq::auth against real handshakes: the ThreadAuthenticator's policy for
//! NULL, PLAIN and CURVE, reconfiguration while it runs, restarts, garbage
//! sent straight to its endpoint, and certificate files; the same for the
//! AsyncioAuthenticator (feature tokio).
mod common;

use std::time::Duration;

use common::{timeouts, watchdog};
use zmq::auth::ThreadAuthenticator;

/// A server socket prepared by `setup`, bound, and its monitor.
fn server(ctx: &zmq::Context, setup: impl Fn(&zmq::Socket)) -> zmq::Socket {
    let s = ctx.socket(zmq::PULL).unwrap();
    timeouts(&s);
    setup(&s);
    s.bind("tcp://127.0.0.1:*").unwrap();
    s
}

/// Whether a client set up by `setup` gets through to `server`: a message
/// arrives (Some(user id)) or the handshake is refused (None).
fn through(
    ctx: &zmq::Context,
    server: &zmq::Socket,
    setup: impl Fn(&zmq::Socket),
) -> Option<String> {
    let monitor = server
        .get_monitor_socket(zmq::EVENT_HANDSHAKE_SUCCEEDED | zmq::EVENT_HANDSHAKE_FAILED_AUTH)
        .unwrap();
    monitor.set_rcvtimeo(common::timeout_ms()).unwrap();
    let client = ctx.socket(zmq::PUSH).unwrap();
    timeouts(&client);
    setup(&client);
    client.connect(&server.last_endpoint().unwrap()).unwrap();
    let event = zmq::recv_monitor_message(&monitor, 0).unwrap();
    if event.event == zmq::EVENT_HANDSHAKE_FAILED_AUTH {
        return None;
    }
    client.send("hello", 0).unwrap();
    let msg = server.recv_msg(0).unwrap();
    assert_eq!(&*msg, b"hello");
    Some(msg.gets("User-Id").unwrap_or_default())
}

#[test]
fn null_with_addresses_allowed_then_denied() {
    let _guard = watchdog("auth", Duration::from_secs(60));
    let ctx = zmq::Context::new();
    let auth = ThreadAuthenticator::new(&ctx);
    auth.start().unwrap();
    assert!(auth.is_alive());
    let s = server(&ctx, |s| s.set_zap_domain("global").unwrap());
    assert_eq!(through(&ctx, &s, |_| {}), Some("anonymous".into()));
    auth.allow(["127.0.0.1"]).unwrap();
    assert!(through(&ctx, &s, |_| {}).is_some());
    assert!(auth.deny(["127.0.0.1"]).is_err()); // allow or deny, not both
    auth.stop().unwrap();
    assert!(!auth.is_alive());
    // A new authenticator binds the endpoint at once.
    let auth = ThreadAuthenticator::new(&ctx);
    auth.start().unwrap();
    auth.deny(["127.0.0.1"]).unwrap();
    assert_eq!(through(&ctx, &s, |_| {}), None);
}

#[test]
fn plain_passwords_and_reconfiguration_while_running() {
    let _guard = watchdog("auth", Duration::from_secs(60));
    let ctx = zmq::Context::new();
    let auth = ThreadAuthenticator::new(&ctx);
    auth.start().unwrap();
    let s = server(&ctx, |s| s.set_plain_server(true).unwrap());
    let client = |user: &'static str, password: &'static str| {
        move |c: &zmq::Socket| {
            c.set_plain_username(user).unwrap();
            c.set_plain_password(password).unwrap();
        }
    };
    // No passwords yet: refused.
    assert_eq!(through(&ctx, &s, client("admin", "secret")), None);
    auth.configure_plain("*", [("admin", "secret")]).unwrap();
    assert_eq!(
        through(&ctx, &s, client("admin", "secret")),
        Some("admin".into())
    );
    assert_eq!(through(&ctx, &s, client("admin", "wrong")), None);
    assert_eq!(through(&ctx, &s, client("nobody", "secret")), None);
    // The next handshake sees a new configuration.
    auth.configure_plain("*", [("admin", "changed")]).unwrap();
    assert_eq!(through(&ctx, &s, client("admin", "secret")), None);
    assert_eq!(
        through(&ctx, &s, client("admin", "changed")),
        Some("admin".into())
    );
}

#[test]
fn stop_and_start_at_once_always_works() {
    let ctx = zmq::Context::new();
    let _guard = watchdog("auth restarts", Duration::from_secs(120));
    for _ in 0..200 {
        let auth = ThreadAuthenticator::new(&ctx);
        auth.start().unwrap();
        auth.stop().unwrap();
    }
    // Dropping one stops it too.
    for _ in 0..200 {
        let auth = ThreadAuthenticator::new(&ctx);
        auth.start().unwrap();
        drop(auth);
    }
    let auth = ThreadAuthenticator::new(&ctx);
    auth.start().unwrap();
    assert!(auth.start().is_err()); // already started
    let other = ThreadAuthenticator::new(&ctx);
    assert_eq!(other.start().unwrap_err().errno(), zmq::EADDRINUSE);
}

#[test]
fn garbage_sent_to_the_handler_gets_answers_and_it_keeps_serving() {
    let _guard = watchdog("auth garbage", Duration::from_secs(60));
    let ctx = zmq::Context::new();
    let auth = ThreadAuthenticator::new(&ctx);
    auth.start().unwrap();
    garbage_gets_answers(&ctx);
    assert!(auth.is_alive());
}

/// Garbage sent to the ZAP endpoint of `ctx`'s running authenticator gets
/// 400 replies or is dropped, and a good request is served after it.
fn garbage_gets_answers(ctx: &zmq::Context) {
    let probe = ctx.socket(zmq::DEALER).unwrap();
    timeouts(&probe);
    probe.connect("inproc://zeromq.zap.01").unwrap();
    let status = |reply: Vec<Vec<u8>>| String::from_utf8_lossy(&reply[3]).into_owned();
    let frames = |parts: &[&[u8]]| -> Vec<Vec<u8>> {
        let mut v = vec![Vec::new()];
        v.extend(parts.iter().map(|p| p.to_vec()));
        v
    };
    for request in [
        frames(&[b"1.0", b"id"]),
        frames(&[b"9.9", b"id", b"", b"1.2.3.4", b"", b"NULL"]),
        frames(&[b"1.0", b"id", b"", b"1.2.3.4", b"", b"NOPE"]),
        frames(&[b"1.0", b"id", b"", b"1.2.3.4", b"", b"PLAIN", b"just one"]),
        frames(&[
            b"1.0",
            b"id",
            b"",
            b"1.2.3.4",
            b"",
            b"CURVE",
            b"not 32 bytes",
        ]),
        frames(&[
            b"1.0",
            b"id",
            b"\xff\xfe",
            b"\x00\x01",
            b"\xff",
            b"CURVE",
            &[0u8; 32],
        ]),
    ] {
        probe.send_multipart(request, 0).unwrap();
        let reply = probe.recv_multipart(0).unwrap();
        assert_eq!(status(reply), "400");
    }
    // Too short to answer: dropped, and the next one is served.
    probe.send_multipart(frames(&[b"1.0"]), 0).unwrap();
    probe.send_multipart(frames(&[&[0xffu8; 3]]), 0).unwrap();
    probe
        .send_multipart(frames(&[b"1.0", b"id", b"", b"1.2.3.4", b"", b"NULL"]), 0)
        .unwrap();
    let reply = probe.recv_multipart(0).unwrap();
    assert_eq!(status(reply.clone()), "200");
    assert_eq!(reply[5], b"anonymous");
}

#[test]
#[cfg_attr(not(feature = "curve"), ignore = "needs feature curve (CI builds it)")]
fn curve_any_directory_callback_and_user_id() {
    assert!(zmq::has("curve"), "this libzmq has no CURVE");
    let _guard = watchdog("auth curve", Duration::from_secs(60));
    let dir = std::env::temp_dir().join(format!("zmq-rs-auth-{}", std::process::id()));
    let public_dir = dir.join("public");
    std::fs::create_dir_all(&public_dir).unwrap();
    let (_, server_secret_file) = zmq::auth::create_certificates(&dir, "server").unwrap();
    let (client_public_file, client_secret_file) =
        zmq::auth::create_certificates(&dir, "client").unwrap();
    std::fs::copy(&client_public_file, public_dir.join("client.key")).unwrap();
    // A malformed certificate beside it is skipped, not fatal.
    std::fs::write(
        public_dir.join("broken.key"),
        "curve\n    public-key = \"x\"\n",
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&client_secret_file)
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let (server_public, server_secret) = zmq::auth::load_certificate(&server_secret_file).unwrap();
    let (client_public, client_secret) = zmq::auth::load_certificate(&client_secret_file).unwrap();
    let (stranger_public, stranger_secret) = zmq::curve_keypair().unwrap();

    let ctx = zmq::Context::new();
    let auth = ThreadAuthenticator::new(&ctx);
    auth.start().unwrap();
    let s = server(&ctx, |s| {
        s.set_curve_server(true).unwrap();
        s.set_curve_secretkey(server_secret.clone().unwrap())
            .unwrap();
    });
    let with = |public: &[u8], secret: &[u8]| {
        let (public, secret, server_public) =
            (public.to_vec(), secret.to_vec(), server_public.clone());
        move |c: &zmq::Socket| {
            c.set_curve_publickey(&public).unwrap();
            c.set_curve_secretkey(&secret).unwrap();
            c.set_curve_serverkey(&server_public).unwrap();
        }
    };
    let client = with(&client_public, client_secret.as_ref().unwrap());
    let stranger = with(&stranger_public, &stranger_secret);
    // Nothing configured: CURVE is refused.
    assert_eq!(through(&ctx, &s, &client), None);
    auth.configure_curve("*", zmq::auth::CURVE_ALLOW_ANY)
        .unwrap();
    let user = String::from_utf8(client_public.clone()).unwrap();
    assert_eq!(through(&ctx, &s, &client), Some(user.clone()));
    assert!(through(&ctx, &s, &stranger).is_some());
    auth.configure_curve("*", &public_dir).unwrap();
    assert_eq!(through(&ctx, &s, &client), Some(user.clone()));
    assert_eq!(through(&ctx, &s, &stranger), None);
    let allowed = stranger_public.clone();
    auth.configure_curve_callback("*", move |_, key| key.as_bytes() == allowed.as_slice())
        .unwrap();
    assert_eq!(through(&ctx, &s, &client), None);
    assert!(through(&ctx, &s, &stranger).is_some());
    // A directory that cannot be read is an error.
    assert!(matches!(
        auth.configure_curve("*", dir.join("missing")),
        Err(zmq::Error::Io { .. })
    ));
    drop(s);
    auth.stop().unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn certificate_files_that_are_not_right_are_errors() {
    let dir = std::env::temp_dir().join(format!("zmq-rs-certs-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let nul = dir.join("nul.key");
    std::fs::write(
        &nul,
        "curve\n    public-key = \"rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]y\0a\"\n",
    )
    .unwrap();
    let e = zmq::auth::load_certificate(&nul).unwrap_err();
    assert!(
        matches!(e, zmq::Error::Certificate { line: 2, .. }),
        "{e:?}"
    );
    assert!(e.to_string().contains("nul.key:2"), "{e}");
    // Text that is not Z85 (a space, a backslash) in a key of the right length.
    let junk = dir.join("junk.key");
    std::fs::write(
        &junk,
        "curve\n    public-key = \"rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]y \\\"\n",
    )
    .unwrap();
    let e = zmq::auth::load_certificate(&junk).unwrap_err();
    assert!(e.to_string().contains("junk.key:2"), "{e}");
    assert!(zmq::auth::create_certificates(&dir, "../escape").is_err());
    assert!(zmq::auth::load_certificates(dir.join("missing")).is_err());
    // A directory of certificates with bad ones among them: the bad ones
    // (malformed, not UTF-8, not readable as a file) are skipped with a
    // warning each, the good one loads.
    std::fs::write(dir.join("binary.key"), [0xffu8, 0xfe, 0, 1]).unwrap();
    std::fs::create_dir_all(dir.join("a-directory.key")).unwrap();
    // (Written by hand: this test runs on builds without CURVE too. The key
    // is the server public key of libzmq's zmq_curve(7) example.)
    let good_public = dir.join("good.key");
    std::fs::write(
        &good_public,
        "metadata\ncurve\n    public-key = \"Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hID\"\n",
    )
    .unwrap();
    let good_key = b"Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hID".to_vec();
    assert_eq!(
        zmq::auth::load_certificate(&good_public).unwrap().0,
        good_key
    );
    let before = logged::warnings();
    assert_eq!(zmq::auth::load_certificates(&dir).unwrap(), [good_key]);
    let warnings: Vec<String> = logged::warnings().split_off(before.len());
    for name in ["nul.key", "junk.key", "binary.key", "a-directory.key"] {
        assert!(
            warnings.iter().any(|w| w.contains(name)),
            "no warning names {name}: {warnings:?}"
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The AsyncioAuthenticator: the same policy served by a task. The
/// handshakes are driven by the sync helpers above from the test thread
/// while the task runs on a multi-threaded runtime's workers, and by async
/// sockets on a current-thread runtime that it shares with them.
#[cfg(feature = "tokio")]
mod asyncio {
    use super::*;
    use zmq::auth::AsyncioAuthenticator;

    fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap()
    }

    fn authenticator(ctx: &zmq::Context) -> AsyncioAuthenticator {
        AsyncioAuthenticator::new(&zmq::asyncio::Context::from(ctx.clone()))
    }

    #[test]
    fn null_and_plain_policy_reconfigured_while_it_runs() {
        let _guard = watchdog("asyncio auth", Duration::from_secs(60));
        let rt = runtime();
        let _in_runtime = rt.enter();
        let ctx = zmq::Context::new();
        let auth = authenticator(&ctx);
        auth.start().unwrap();
        assert!(auth.is_alive());
        let null = server(&ctx, |s| s.set_zap_domain("global").unwrap());
        assert_eq!(through(&ctx, &null, |_| {}), Some("anonymous".into()));
        auth.deny(["127.0.0.1"]).unwrap();
        assert_eq!(through(&ctx, &null, |_| {}), None);
        assert!(auth.allow(["127.0.0.1"]).is_err()); // allow or deny, not both

        let plain = server(&ctx, |s| s.set_plain_server(true).unwrap());
        let client = |user: &'static str, password: &'static str| {
            move |c: &zmq::Socket| {
                c.set_plain_username(user).unwrap();
                c.set_plain_password(password).unwrap();
            }
        };
        // Denied by address before the password is looked at.
        auth.configure_plain("*", [("admin", "secret")]).unwrap();
        assert_eq!(through(&ctx, &plain, client("admin", "secret")), None);
        auth.stop().unwrap();
        assert!(!auth.is_alive());

        let auth = authenticator(&ctx);
        auth.start().unwrap();
        assert_eq!(through(&ctx, &plain, client("admin", "secret")), None);
        auth.configure_plain("*", [("admin", "secret")]).unwrap();
        assert_eq!(
            through(&ctx, &plain, client("admin", "secret")),
            Some("admin".into())
        );
        assert_eq!(through(&ctx, &plain, client("admin", "wrong")), None);
        assert_eq!(through(&ctx, &plain, client("nobody", "secret")), None);
        garbage_gets_answers(&ctx);
        assert!(auth.is_alive());
    }

    #[test]
    #[cfg_attr(not(feature = "curve"), ignore = "needs feature curve (CI builds it)")]
    fn curve_any_and_callback() {
        assert!(zmq::has("curve"), "this libzmq has no CURVE");
        let _guard = watchdog("asyncio auth curve", Duration::from_secs(60));
        let rt = runtime();
        let _in_runtime = rt.enter();
        let ctx = zmq::Context::new();
        let auth = authenticator(&ctx);
        auth.start().unwrap();
        let (server_public, server_secret) = zmq::curve_keypair().unwrap();
        let (client_public, client_secret) = zmq::curve_keypair().unwrap();
        let s = server(&ctx, |s| {
            s.set_curve_server(true).unwrap();
            s.set_curve_secretkey(&server_secret).unwrap();
        });
        let client = |c: &zmq::Socket| {
            c.set_curve_publickey(&client_public).unwrap();
            c.set_curve_secretkey(&client_secret).unwrap();
            c.set_curve_serverkey(&server_public).unwrap();
        };
        assert_eq!(through(&ctx, &s, client), None);
        auth.configure_curve("*", zmq::auth::CURVE_ALLOW_ANY)
            .unwrap();
        let user = String::from_utf8(client_public.clone()).unwrap();
        assert_eq!(through(&ctx, &s, client), Some(user.clone()));
        auth.configure_curve_callback("*", |_, _| false).unwrap();
        assert_eq!(through(&ctx, &s, client), None);
        let expected = user.clone();
        auth.configure_curve_callback("*", move |_, key| key == expected)
            .unwrap();
        assert_eq!(through(&ctx, &s, client), Some(user));
    }

    #[test]
    fn stop_and_start_at_once_and_beside_the_thread_one() {
        let _guard = watchdog("asyncio auth restarts", Duration::from_secs(120));
        let rt = runtime();
        let _in_runtime = rt.enter();
        let ctx = zmq::Context::new();
        for _ in 0..200 {
            let auth = authenticator(&ctx);
            auth.start().unwrap();
            auth.stop().unwrap();
        }
        for _ in 0..200 {
            let auth = authenticator(&ctx);
            auth.start().unwrap();
            drop(auth); // stops it
        }
        // Either kind takes over from the other at once.
        for _ in 0..50 {
            let auth = authenticator(&ctx);
            auth.start().unwrap();
            auth.stop().unwrap();
            let thread = ThreadAuthenticator::new(&ctx);
            thread.start().unwrap();
            thread.stop().unwrap();
        }
        let auth = authenticator(&ctx);
        auth.start().unwrap();
        assert!(auth.start().is_err()); // already started
        let other = authenticator(&ctx);
        assert_eq!(other.start().unwrap_err().errno(), zmq::EADDRINUSE);
        let thread = ThreadAuthenticator::new(&ctx);
        assert_eq!(thread.start().unwrap_err().errno(), zmq::EADDRINUSE);
        // Still serving.
        let s = server(&ctx, |s| s.set_zap_domain("global").unwrap());
        assert_eq!(through(&ctx, &s, |_| {}), Some("anonymous".into()));
    }

    #[test]
    fn outside_a_runtime_start_is_an_error() {
        let ctx = zmq::Context::new();
        let auth = authenticator(&ctx);
        let err = auth.start().unwrap_err();
        assert!(matches!(err, zmq::Error::AsyncRuntime(_)), "{err:?}");
        assert!(err.to_string().contains("runtime"), "{err}");
        assert!(!auth.is_alive());
        // Nothing was bound: another authenticator can start.
        let thread = ThreadAuthenticator::new(&ctx);
        thread.start().unwrap();
    }

    /// A runtime without its I/O driver could not run the handler: refused
    /// at `start`, never a handler that silently is not there (libzmq's
    /// CURVE servers admit any key when no handler is bound).
    #[test]
    fn a_runtime_without_io_is_refused_at_start() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let _in_runtime = rt.enter();
        let ctx = zmq::Context::new();
        let auth = authenticator(&ctx);
        let err = auth.start().unwrap_err();
        assert!(matches!(err, zmq::Error::AsyncRuntime(_)), "{err:?}");
        assert!(!auth.is_alive());
        let thread = ThreadAuthenticator::new(&ctx);
        thread.start().unwrap(); // nothing was left bound
    }

    #[test]
    fn the_task_ends_with_its_context_and_term_does_not_wait_for_it() {
        let _guard = watchdog("asyncio auth term", Duration::from_secs(60));
        let rt = runtime();
        let _in_runtime = rt.enter();
        let ctx = zmq::Context::new();
        let auth = authenticator(&ctx);
        auth.start().unwrap();
        ctx.term().unwrap(); // returns: the task closed its socket
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while auth.is_alive() {
            assert!(std::time::Instant::now() < deadline, "task still alive");
            std::thread::sleep(Duration::from_millis(5));
        }
        auth.stop().unwrap();
        assert!(auth.start().is_err()); // the context has ended
    }

    /// Everything on one thread: the authenticator's task, an async server
    /// and client (pyzmq's asyncio usage).
    #[test]
    fn one_thread_runs_the_task_and_the_sockets() {
        let _guard = watchdog("asyncio auth one thread", Duration::from_secs(60));
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            let ctx = zmq::asyncio::Context::new();
            let auth = AsyncioAuthenticator::new(&ctx);
            auth.start().unwrap();
            auth.configure_plain("*", [("admin", "secret")]).unwrap();
            let server = ctx.socket(zmq::PULL).unwrap();
            server.set_plain_server(true).unwrap();
            server.bind("tcp://127.0.0.1:*").unwrap();
            let endpoint = server.last_endpoint().unwrap();
            for (password, admitted) in [("wrong", false), ("secret", true)] {
                let client = ctx.socket(zmq::PUSH).unwrap();
                client.set_linger(0).unwrap();
                client.set_plain_username("admin").unwrap();
                client.set_plain_password(password).unwrap();
                client.connect(&endpoint).unwrap();
                client.send(password, 0).await.unwrap();
                let got = server.poll(if admitted { 5000 } else { 300 }, zmq::POLLIN);
                if admitted {
                    assert!(got.await.unwrap().contains(zmq::POLLIN));
                    let msg = server.recv_msg(0).await.unwrap();
                    assert_eq!(&*msg, b"secret");
                    assert_eq!(msg.gets("User-Id").as_deref(), Some("admin"));
                } else {
                    assert!(got.await.unwrap().is_empty());
                }
            }
            auth.stop().unwrap();
        });
    }
}

/// A logger that keeps what `zmq::auth` warns of (the test binary's only
/// logger).
mod logged {
    use std::sync::{Mutex, Once};

    static WARNINGS: Mutex<Vec<String>> = Mutex::new(Vec::new());

    struct Keep;

    impl log::Log for Keep {
        fn enabled(&self, metadata: &log::Metadata) -> bool {
            metadata.level() <= log::Level::Warn
        }
        fn log(&self, record: &log::Record) {
            if self.enabled(record.metadata()) && record.target() == "zmq::auth" {
                WARNINGS
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push(record.args().to_string());
            }
        }
        fn flush(&self) {}
    }

    /// Every warning so far (installs the logger on first use).
    pub fn warnings() -> Vec<String> {
        static INSTALL: Once = Once::new();
        INSTALL.call_once(|| {
            log::set_logger(&Keep).unwrap();
            log::set_max_level(log::LevelFilter::Warn);
        });
        WARNINGS.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}
