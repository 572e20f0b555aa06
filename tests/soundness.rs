//! Regression tests for the soundness review (issue 12): each scenario
//! below used to abort inside libzmq, hang, read uninitialised memory or
//! lose data from safe code. Scenarios that aborted or hung run in a child
//! process (`common::in_child`), so a regression fails its own test.
mod common;

use std::thread;
use std::time::Duration;

use common::{in_child, timeouts, watchdog};

const CHILD_LIMIT: Duration = Duration::from_secs(60);

// 1. USE_FD cannot be set from safe code (compile-fail doctests on
//    `Socket::set_use_fd`); the unsafe setter refuses what is not a
//    listening socket instead of letting libzmq's I/O thread abort.
#[test]
#[cfg(unix)]
fn use_fd_refuses_what_is_not_a_listening_socket() {
    use std::os::fd::{AsRawFd, IntoRawFd};
    in_child(
        "use_fd_refuses_what_is_not_a_listening_socket",
        CHILD_LIMIT,
        || {
            let ctx = zmq::Context::new();
            let s = ctx.socket(zmq::PULL).unwrap();
            // SAFETY (of the test): each fd below is refused before libzmq
            // takes it, so nothing is given away.
            for fd in [9999, -5] {
                assert!(unsafe { s.set_use_fd(fd) }.is_err(), "fd {fd}");
            }
            let file = std::fs::File::open("/dev/null").unwrap();
            assert!(unsafe { s.set_use_fd(file.as_raw_fd()) }.is_err());
            let connected = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
            assert!(unsafe { s.set_use_fd(connected.as_raw_fd()) }.is_err());
            assert_eq!(s.use_fd().unwrap(), -1);
            // A real listener works, and is libzmq's from then on.
            let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            let port = listener.local_addr().unwrap().port();
            unsafe { s.set_use_fd(listener.into_raw_fd()) }.unwrap();
            s.bind(&format!("tcp://127.0.0.1:{port}")).unwrap();
            unsafe { s.set_use_fd(-1) }.unwrap();
            let push = ctx.socket(zmq::PUSH).unwrap();
            timeouts(&push);
            timeouts(&s);
            push.connect(&format!("tcp://127.0.0.1:{port}")).unwrap();
            push.send("through the fd", 0).unwrap();
            assert_eq!(s.recv_string(0).unwrap(), "through the fd");
            drop((s, push));
            // The fd libzmq closed is not closed twice by anyone: a file
            // opened now may get its number and stays usable.
            let again = std::fs::File::open("/dev/null").unwrap();
            drop(ctx);
            drop(again);
        },
    );
}

// 2. MAX_SOCKETS + IO_THREADS overflowing an int made `zmq_socket` throw
//    std::length_error through Rust frames.
#[test]
fn context_sizes_that_make_libzmq_throw_are_refused() {
    in_child(
        "context_sizes_that_make_libzmq_throw_are_refused",
        CHILD_LIMIT,
        || {
            let ctx = zmq::Context::new();
            let limit = ctx.get(zmq::SOCKET_LIMIT).unwrap();
            for value in [i32::MAX, i32::MAX - 2, limit + 1] {
                let e = ctx.set(zmq::MAX_SOCKETS, value).unwrap_err();
                assert_eq!(e.errno(), zmq::EINVAL, "{value}: {e}");
            }
            assert!(ctx.set(zmq::IO_THREADS, i32::MAX).is_err());
            assert!(ctx.set(zmq::IO_THREADS, 100_000).is_err());
            assert_eq!(ctx.get(zmq::MAX_SOCKETS).unwrap(), zmq::MAX_SOCKETS_DFLT);
            ctx.set(zmq::MAX_SOCKETS, limit).unwrap();
            let s = ctx.socket(zmq::PAIR).unwrap();
            s.bind("inproc://after-refusals").unwrap();
        },
    );
}

// 3. A Z85 secret with a NUL inside made `zmq_curve_public` derive a key
//    from uninitialised stack memory (valgrind saw it).
#[test]
fn curve_public_refuses_text_that_is_not_z85() {
    let mut nul = b"x".repeat(10);
    nul.push(0);
    nul.extend(b"y".repeat(29));
    assert_eq!(nul.len(), 40);
    for bad in [nul, b"x".repeat(39).into_iter().chain([b' ']).collect()] {
        assert!(matches!(
            zmq::curve_public(&bad),
            Err(zmq::Error::InvalidArgument(_))
        ));
    }
    // `#####` is above 32 bits: libzmq's decoder would wrap it.
    let overflow = [b"#####".as_slice(); 8].concat();
    assert!(zmq::curve_public(&overflow).is_err());
    assert!(zmq::z85::decode(&overflow).is_err());
}

// 13. CURVE key setters stored a truncated, mostly-zero key when the text
//     had a NUL inside.
#[test]
fn curve_key_options_take_only_whole_keys() {
    let ctx = zmq::Context::new();
    let s = ctx.socket(zmq::DEALER).unwrap();
    let mut nul = b"x".repeat(10);
    nul.push(0);
    nul.extend(b"y".repeat(29));
    let mut spaced = b"x".repeat(39);
    spaced.push(b' ');
    let mut nul_41 = nul.clone();
    nul_41.push(0);
    for bad in [
        nul.clone(),
        spaced,
        nul_41,
        b"x".repeat(31),
        b"x".repeat(33),
        Vec::new(),
    ] {
        for result in [
            s.set_curve_secretkey(&bad),
            s.set_curve_publickey(&bad),
            s.set_curve_serverkey(&bad),
            s.setsockopt(zmq::CURVE_SERVERKEY, &bad),
            ctx.set_default(zmq::CURVE_SERVERKEY, &bad),
        ] {
            let e = result.unwrap_err();
            assert!(
                matches!(e, zmq::Error::InvalidArgument(_)),
                "{bad:?}: {e:?}"
            );
        }
    }
    if zmq::has("curve") {
        let (public, secret) = zmq::curve_keypair().unwrap();
        s.set_curve_secretkey(&secret).unwrap();
        assert_eq!(s.curve_secretkey().unwrap(), secret);
        let raw = zmq::z85::decode(&public).unwrap();
        s.set_curve_serverkey(&raw).unwrap();
        assert_eq!(s.curve_serverkey().unwrap(), public);
        let mut with_nul = public.clone();
        with_nul.push(0);
        s.set_curve_publickey(&with_nul).unwrap();
        assert_eq!(s.curve_publickey().unwrap(), public);
    }
}

/// A context whose sockets have all seen `ContextTerminated`.
#[cfg(feature = "draft")]
fn terminated_pair() -> (zmq::Context, zmq::Socket, zmq::Socket) {
    let ctx = zmq::Context::new();
    let a = ctx.socket(zmq::ROUTER).unwrap();
    let b = ctx.socket(zmq::DEALER).unwrap();
    a.bind("inproc://terminated-a").unwrap();
    b.bind("inproc://terminated-b").unwrap();
    ctx.destroy(Some(0)).unwrap();
    for s in [&a, &b] {
        assert!(matches!(s.recv(0), Err(zmq::Error::ContextTerminated)));
    }
    (ctx, a, b)
}

// 4. With the draft API, libzmq's proxies run on its socket_poller, which
//    asserted (socket_poller.cpp:288) on sockets that had seen ETERM.
#[test]
#[cfg(feature = "draft")]
fn proxies_on_terminated_sockets_return_context_terminated() {
    in_child(
        "proxies_on_terminated_sockets_return_context_terminated",
        CHILD_LIMIT,
        || {
            let (ctx, a, b) = terminated_pair();
            let c = ctx.socket(zmq::PUB);
            // The context refuses new sockets now; reuse the two.
            assert!(c.is_err());
            for _ in 0..2 {
                let outcomes = [
                    zmq::proxy(&a, &b),
                    zmq::proxy_capture(&a, &b, &b),
                    zmq::proxy_steerable(&a, &b, None, &b),
                    zmq::proxy_steerable(&a, &b, Some(&a), &b),
                    zmq::device(zmq::QUEUE, &a, &b),
                ];
                for outcome in outcomes {
                    assert!(
                        matches!(outcome, Err(zmq::Error::ContextTerminated)),
                        "{outcome:?}"
                    );
                }
            }
        },
    );
}

// 4'. A proxy running when the context ends returns, and a second call on
//     the same sockets returns at once (it used to abort).
#[test]
#[cfg(feature = "draft")]
fn a_proxy_called_again_after_termination_returns() {
    in_child(
        "a_proxy_called_again_after_termination_returns",
        CHILD_LIMIT,
        || {
            use std::sync::mpsc;
            let ctx = zmq::Context::new();
            let (tx, rx) = mpsc::channel();
            let c = ctx.clone();
            let relay = thread::spawn(move || {
                let front = c.socket(zmq::PULL).unwrap();
                let back = c.socket(zmq::PUSH).unwrap();
                front.bind("inproc://again-front").unwrap();
                back.bind("inproc://again-back").unwrap();
                tx.send(()).unwrap();
                let first = zmq::proxy(&front, &back);
                let second = zmq::proxy(&front, &back);
                (first, second)
            });
            rx.recv_timeout(Duration::from_secs(10)).unwrap();
            ctx.destroy(Some(0)).unwrap();
            let (first, second) = relay.join().unwrap();
            assert!(matches!(first, Err(zmq::Error::ContextTerminated)));
            assert!(matches!(second, Err(zmq::Error::ContextTerminated)));
        },
    );
}

// 5. The same assertion in zmq_poll when a thread-safe socket and a classic
//    socket that has seen ETERM are polled together.
#[test]
#[cfg(feature = "draft")]
fn polling_a_server_with_a_terminated_socket_returns_context_terminated() {
    in_child(
        "polling_a_server_with_a_terminated_socket_returns_context_terminated",
        CHILD_LIMIT,
        || {
            let ctx = zmq::Context::new();
            let server = ctx.socket(zmq::SERVER).unwrap();
            let classic = ctx.socket(zmq::PULL).unwrap();
            server.bind("tcp://127.0.0.1:*").unwrap();
            classic.bind("inproc://poll-classic").unwrap();
            ctx.destroy(Some(0)).unwrap();
            assert!(matches!(
                classic.recv(0),
                Err(zmq::Error::ContextTerminated)
            ));
            for _ in 0..2 {
                let mut poller = zmq::Poller::new();
                poller.register(&server, zmq::POLLIN);
                poller.register(&classic, zmq::POLLIN);
                assert!(matches!(
                    poller.poll(100),
                    Err(zmq::Error::ContextTerminated)
                ));
                let selected = zmq::select(&[&server, &classic], &[], &[], Some(0.1));
                assert!(matches!(selected, Err(zmq::Error::ContextTerminated)));
            }
        },
    );
}

// 6. Thread options libzmq accepted and then asserted on in thread.cpp.
#[test]
fn thread_options_the_os_refuses_are_errors() {
    in_child(
        "thread_options_the_os_refuses_are_errors",
        CHILD_LIMIT,
        || {
            let ctx = zmq::Context::new();
            assert!(ctx.set(zmq::THREAD_SCHED_POLICY, 12345).is_err());
            assert!(ctx.set(zmq::THREAD_AFFINITY_CPU_ADD, 1000).is_err());
            assert!(ctx.set(zmq::THREAD_AFFINITY_CPU_ADD, 5000).is_err());
            // None of them was stored: the first socket starts libzmq's threads.
            let s = ctx.socket(zmq::PAIR).unwrap();
            s.bind("tcp://127.0.0.1:*").unwrap();

            // SCHED_FIFO with libzmq's default priority: every thread would ask
            // for priority 0, which SCHED_FIFO refuses even for root.
            let ctx = zmq::Context::new();
            ctx.set(zmq::THREAD_SCHED_POLICY, libc::SCHED_FIFO).unwrap();
            let e = ctx.socket(zmq::PAIR).unwrap_err();
            assert!(matches!(e, zmq::Error::InvalidArgument(_)), "{e:?}");
            // Fixed before the first socket, it works (as root) or is refused
            // (without the privilege), never an abort.
            ctx.set(zmq::THREAD_PRIORITY, 10).unwrap();
            match ctx.socket(zmq::PAIR) {
                Ok(s) => s.bind("tcp://127.0.0.1:*").unwrap(),
                Err(e) => assert!(matches!(e, zmq::Error::InvalidArgument(_)), "{e:?}"),
            }

            // An allowed CPU is accepted and applied.
            let ctx = zmq::Context::new();
            ctx.set(zmq::THREAD_AFFINITY_CPU_ADD, 0).unwrap();
            ctx.set(zmq::THREAD_AFFINITY_CPU_REMOVE, 0).unwrap();
            ctx.set(zmq::THREAD_AFFINITY_CPU_ADD, 0).unwrap();
            ctx.socket(zmq::PAIR).unwrap();
        },
    );
}

/// Runs `body` without root's privileges (as `nobody`, with no
/// capabilities), in a child process of its own, when this test runs as
/// root; as is when it does not.
#[cfg(target_os = "linux")]
fn unprivileged(name: &str, body: impl FnOnce()) {
    in_child(name, CHILD_LIMIT, || {
        // SAFETY: getuid/setresgid/setresuid only change this (child)
        // process's credentials; no other thread of it uses libzmq yet.
        unsafe {
            if libc::getuid() == 0 {
                assert_eq!(libc::setresgid(65534, 65534, 65534), 0);
                assert_eq!(libc::setresuid(65534, 65534, 65534), 0);
            }
        }
        body();
    });
}

// 6'. THREAD_PRIORITY (nice -20) and realtime policies without the
//     privilege: libzmq aborted in its threads.
#[test]
#[cfg(target_os = "linux")]
fn thread_priority_without_privilege_is_an_error() {
    unprivileged("thread_priority_without_privilege_is_an_error", || {
        let ctx = zmq::Context::new();
        ctx.set(zmq::THREAD_PRIORITY, 50).unwrap();
        let e = ctx.socket(zmq::PAIR).unwrap_err();
        assert!(e.to_string().contains("nice"), "{e}");

        let ctx = zmq::Context::new();
        ctx.set(zmq::THREAD_SCHED_POLICY, libc::SCHED_RR).unwrap();
        ctx.set(zmq::THREAD_PRIORITY, 10).unwrap();
        let e = ctx.socket(zmq::PAIR).unwrap_err();
        assert!(e.to_string().contains("not permitted"), "{e}");

        // The defaults still work.
        let ctx = zmq::Context::new();
        ctx.socket(zmq::PAIR)
            .unwrap()
            .bind("tcp://127.0.0.1:*")
            .unwrap();
    });
}

// 6''. SO_PRIORITY above 6 needs CAP_NET_ADMIN; libzmq applies it in its
//      I/O thread and aborted there.
#[test]
#[cfg(all(target_os = "linux", feature = "draft"))]
fn socket_priority_without_privilege_is_an_error() {
    unprivileged("socket_priority_without_privilege_is_an_error", || {
        let ctx = zmq::Context::new();
        let s = ctx.socket(zmq::PUSH).unwrap();
        s.set_priority(3).unwrap();
        let e = s.set_priority(7).unwrap_err();
        assert!(matches!(e, zmq::Error::InvalidArgument(_)), "{e:?}");
        assert_eq!(s.priority().unwrap(), 3);
        s.bind("tcp://127.0.0.1:*").unwrap();
        let peer = ctx.socket(zmq::PULL).unwrap();
        timeouts(&peer);
        timeouts(&s);
        peer.connect(&s.last_endpoint().unwrap()).unwrap();
        s.send("prioritised", 0).unwrap();
        assert_eq!(peer.recv_string(0).unwrap(), "prioritised");
    });
}

// 7. select with a NaN timeout waited forever (pyzmq: ValueError).
#[test]
fn select_refuses_nan_and_infinite_timeouts() {
    let ctx = zmq::Context::new();
    let s = ctx.socket(zmq::PULL).unwrap();
    let _guard = watchdog("select with NaN", Duration::from_secs(10));
    for timeout in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        assert!(matches!(
            zmq::select(&[&s], &[], &[], Some(timeout)),
            Err(zmq::Error::InvalidArgument(_))
        ));
    }
    let (r, _, _) = zmq::select(&[&s], &[], &[], Some(0.01)).unwrap();
    assert!(r.is_empty());
}

// 8. get_monitor_socket failing after zmq_socket_monitor succeeded left a
//    monitor without a reader, and the next bind blocked forever.
#[test]
fn a_failed_get_monitor_socket_leaves_no_monitor_behind() {
    in_child(
        "a_failed_get_monitor_socket_leaves_no_monitor_behind",
        CHILD_LIMIT,
        || {
            // No room for the reader: nothing may be left monitoring.
            let ctx = zmq::Context::new();
            ctx.set(zmq::MAX_SOCKETS, 1).unwrap();
            let s = ctx.socket(zmq::REP).unwrap();
            assert_eq!(
                s.get_monitor_socket(zmq::EVENT_ALL).unwrap_err().errno(),
                zmq::EMFILE
            );
            let _guard = watchdog("bind after a failed monitor", Duration::from_secs(10));
            s.bind("tcp://127.0.0.1:*").unwrap();
            // A monitor that cannot bind its endpoint leaves its reader unused.
            s.monitor("inproc://taken", zmq::EVENT_ALL).unwrap();
            s.disable_monitor().unwrap();
            drop(s);
            // Room for the reader (libzmq's own side is not counted).
            let ctx = zmq::Context::new();
            ctx.set(zmq::MAX_SOCKETS, 2).unwrap();
            let s = ctx.socket(zmq::REP).unwrap();
            let monitor = s.get_monitor_socket(zmq::EVENT_LISTENING).unwrap();
            monitor.set_rcvtimeo(5000).unwrap();
            s.bind("tcp://127.0.0.1:*").unwrap();
            assert_eq!(
                zmq::recv_monitor_message(&monitor, 0).unwrap().event,
                zmq::EVENT_LISTENING
            );
        },
    );
}

// 8'. zmq_ctx_term makes a PAIR for every inproc connection still waiting
//     for a bind, and asserted (ctx.cpp:142) when the context was full.
#[test]
fn term_with_pending_inproc_connections_at_the_socket_limit() {
    in_child(
        "term_with_pending_inproc_connections_at_the_socket_limit",
        CHILD_LIMIT,
        || {
            let ctx = zmq::Context::new();
            ctx.set(zmq::MAX_SOCKETS, 3).unwrap();
            assert_eq!(ctx.get(zmq::MAX_SOCKETS).unwrap(), 3);
            let sockets: Vec<zmq::Socket> =
                (0..3).map(|_| ctx.socket(zmq::PAIR).unwrap()).collect();
            // The application's limit holds.
            assert_eq!(ctx.socket(zmq::PAIR).unwrap_err().errno(), zmq::EMFILE);
            for (i, s) in sockets.iter().enumerate() {
                s.connect(&format!("inproc://nobody-binds-{i}")).unwrap();
            }
            // The reader of a monitor counts; libzmq's own side does not.
            assert!(sockets[0].get_monitor_socket(zmq::EVENT_ALL).is_err());
            drop(sockets);
            let _guard = watchdog(
                "term with pending inproc connections",
                Duration::from_secs(20),
            );
            ctx.term().unwrap();
        },
    );
}

// 9. Context::instance() dropped the old instance under its global lock:
//    a lingering socket made every caller block.
#[test]
fn instance_never_waits_for_the_old_instance_to_linger() {
    in_child(
        "instance_never_waits_for_the_old_instance_to_linger",
        CHILD_LIMIT,
        || {
            let old = zmq::Context::instance();
            let push = old.socket(zmq::PUSH).unwrap();
            push.set_linger(-1).unwrap();
            push.connect("tcp://127.0.0.1:9").unwrap(); // nobody: it lingers
            push.send("never delivered", zmq::DONTWAIT).unwrap();
            old.destroy(None).unwrap(); // keep LINGER -1
            drop(push);
            drop(old); // the instance slot holds the last handle now
            let _guard = watchdog("instance() after a lingering one", Duration::from_secs(10));
            let callers: Vec<_> = (0..4)
                .map(|_| thread::spawn(zmq::Context::instance))
                .collect();
            let fresh: Vec<zmq::Context> = callers.into_iter().map(|t| t.join().unwrap()).collect();
            assert!(fresh.iter().all(|c| !c.closed()));
            assert!(fresh.iter().all(|c| c.as_raw() == fresh[0].as_raw()));
            // The lingering context stays behind in its own thread; the
            // process exits without waiting for it.
        },
    );
}

// 10. Dropping the reader of get_monitor_socket while the monitored socket
//     lived wedged the context: libzmq's I/O thread blocked on the monitor
//     send, so unrelated tcp traffic stopped and `term` never returned.
#[test]
fn dropping_the_monitor_reader_leaves_the_context_working() {
    in_child(
        "dropping_the_monitor_reader_leaves_the_context_working",
        CHILD_LIMIT,
        || {
            let ctx = zmq::Context::new();
            let server = ctx.socket(zmq::ROUTER).unwrap();
            timeouts(&server);
            let monitor = server.get_monitor_socket(zmq::EVENT_ALL).unwrap();
            server.bind("tcp://127.0.0.1:*").unwrap();
            drop(monitor);
            // Connections come and go: each is an event libzmq's I/O thread
            // would have sent to the gone reader.
            churn(&ctx, &server, 20);
            unrelated_traffic(&ctx);
            drop(server);
            let _guard = watchdog(
                "term after the monitor reader went",
                Duration::from_secs(20),
            );
            ctx.term().unwrap();
        },
    );
}

// 10'. A reader that never reads does not wedge the context either: its
//      queue has no high-water mark.
#[test]
fn an_unread_monitor_never_blocks_libzmq() {
    in_child("an_unread_monitor_never_blocks_libzmq", CHILD_LIMIT, || {
        let ctx = zmq::Context::new();
        let server = ctx.socket(zmq::ROUTER).unwrap();
        timeouts(&server);
        let monitor = server.get_monitor_socket(zmq::EVENT_ALL).unwrap();
        server.bind("tcp://127.0.0.1:*").unwrap();
        // More than the 2,000 events the default HWMs would hold (each
        // connection is at least ACCEPTED and HANDSHAKE_SUCCEEDED).
        churn(&ctx, &server, 1100);
        unrelated_traffic(&ctx);
        monitor.set_rcvtimeo(5000).unwrap();
        let mut seen = 0;
        while zmq::recv_monitor_message(&monitor, zmq::DONTWAIT).is_ok() {
            seen += 1;
        }
        assert!(seen > 2000, "only {seen} events");
        drop(monitor);
        drop(server);
        let _guard = watchdog("term after an unread monitor", Duration::from_secs(20));
        ctx.term().unwrap();
    });
}

// 10''. With `monitor()` and no reader connected (yet, or ever), stopping
//      the monitor (disable_monitor, a second monitor(), closing the
//      socket) waited forever: libzmq sends MONITOR_STOPPED with a blocking
//      send.
#[test]
fn stopping_a_monitor_nobody_reads_never_blocks() {
    in_child(
        "stopping_a_monitor_nobody_reads_never_blocks",
        CHILD_LIMIT,
        || {
            let _guard = watchdog("stopping a monitor", Duration::from_secs(20));
            let ctx = zmq::Context::new();
            for how in ["disable", "again", "close"] {
                let s = ctx.socket(zmq::REP).unwrap();
                // (libzmq releases a monitor's endpoint asynchronously, as
                // any inproc name of a closed socket: a name per round.)
                s.monitor(&format!("inproc://no-reader-{how}"), zmq::EVENT_ALL)
                    .unwrap();
                match how {
                    "disable" => s.disable_monitor().unwrap(),
                    "again" => {
                        s.monitor("inproc://no-reader-again-2", zmq::EVENT_ALL)
                            .unwrap();
                        s.disable_monitor().unwrap();
                    }
                    _ => {}
                }
                drop(s);
            }
            // A reader that is there gets MONITOR_STOPPED (not the
            // binding's stand-in).
            let s = ctx.socket(zmq::REP).unwrap();
            s.monitor("inproc://kept-reader", zmq::EVENT_MONITOR_STOPPED)
                .unwrap();
            let reader = ctx.socket(zmq::PAIR).unwrap();
            timeouts(&reader);
            reader.connect("inproc://kept-reader").unwrap();
            s.disable_monitor().unwrap();
            let event = zmq::recv_monitor_message(&reader, 0).unwrap();
            assert_eq!(event.event, zmq::EVENT_MONITOR_STOPPED);
            drop((s, reader));
            ctx.term().unwrap();
        },
    );
}

/// `n` DEALERs connect to `server`, each sends one message that `server`
/// receives (so the connection was accepted and handshaken: events on the
/// server's monitor), and goes (another event).
fn churn(ctx: &zmq::Context, server: &zmq::Socket, n: usize) {
    let endpoint = server.last_endpoint().unwrap();
    for i in 0..n {
        let d = ctx.socket(zmq::DEALER).unwrap();
        timeouts(&d);
        d.connect(&endpoint).unwrap();
        d.send(format!("hello {i}").as_str(), 0).unwrap();
        let parts = server.recv_multipart(0).unwrap();
        assert_eq!(parts[1], format!("hello {i}").as_bytes());
    }
}

/// A fresh tcp pair of the same context still exchanges messages.
fn unrelated_traffic(ctx: &zmq::Context) {
    let (a, b) = common::pair(ctx, zmq::PAIR, zmq::PAIR, "tcp");
    for i in 0..10 {
        a.send(format!("unrelated {i}").as_str(), 0).unwrap();
        assert_eq!(b.recv_string(0).unwrap(), format!("unrelated {i}"));
    }
}

// 11. Message::with_size(usize::MAX) aborted ("memory allocation of 1 bytes
//     failed").
#[test]
fn impossible_message_sizes_are_errors() {
    for size in [usize::MAX, usize::MAX - 64, isize::MAX as usize + 1] {
        let e = zmq::Message::with_size(size).unwrap_err();
        assert_eq!(e.errno(), zmq::ENOMEM);
    }
    assert_eq!(zmq::Message::with_size(3).unwrap().len(), 3);
}

// 12. to_mut lost the MORE flag (and the routing id and the group) of a
//     shared message.
#[test]
fn to_mut_keeps_more_and_metadata() {
    let ctx = zmq::Context::new();
    let (a, b) = common::pair(&ctx, zmq::PAIR, zmq::PAIR, "tcp");
    static BODY: [u8; 100] = [b'x'; 100];
    a.send(zmq::Message::from_static(&BODY), zmq::SNDMORE)
        .unwrap();
    a.send(vec![b'y'; 10_000], zmq::SNDMORE).unwrap();
    a.send("last", 0).unwrap();
    let mut parts = b.recv_multipart_msg(0).unwrap();
    assert_eq!(parts.len(), 3);
    for part in parts.iter_mut() {
        let more = part.more();
        let peer = part.gets("Peer-Address");
        assert!(peer.is_some());
        let copy = part.fast_copy(); // now certainly shared
        part.to_mut()[0] = b'!';
        assert_eq!(part.more(), more);
        assert_eq!(part.gets("Peer-Address"), peer);
        assert_eq!(part[0], b'!');
        assert_ne!(copy[0], b'!');
        assert_eq!(copy.more(), more);
        // A second copy-on-write keeps them too.
        let _again = part.fast_copy();
        part.to_mut()[1] = b'?';
        assert_eq!(part.more(), more);
        assert_eq!(part.gets("Peer-Address"), peer);
    }
    // A forwarder copying more() into SNDMORE sends the message as it came.
    let (c, d) = common::pair(&ctx, zmq::PAIR, zmq::PAIR, "inproc");
    for part in parts {
        let flags = if part.more() {
            zmq::SNDMORE
        } else {
            zmq::Flags::empty()
        };
        c.send(part, flags).unwrap();
    }
    assert_eq!(d.recv_multipart(0).unwrap().len(), 3);
    // Receiving into a message replaces what to_mut kept.
    let mut msg = zmq::Message::new();
    a.send(zmq::Message::from_static(&BODY), zmq::SNDMORE)
        .unwrap();
    a.send("end", 0).unwrap();
    b.recv_msg_into(&mut msg, 0).unwrap();
    msg.to_mut()[0] = b'#';
    assert!(msg.more());
    b.recv_msg_into(&mut msg, 0).unwrap();
    assert!(!msg.more());
    assert_eq!(&*msg, b"end");
}

// 12'. SERVER replies through a copied message keep the routing id.
#[test]
#[cfg(feature = "draft")]
fn to_mut_keeps_routing_id_and_group() {
    let ctx = zmq::Context::new();
    let server = ctx.socket(zmq::SERVER).unwrap();
    let client = ctx.socket(zmq::CLIENT).unwrap();
    timeouts(&server);
    timeouts(&client);
    server.bind("tcp://127.0.0.1:*").unwrap();
    client.connect(&server.last_endpoint().unwrap()).unwrap();
    client.send(vec![b'q'; 100], 0).unwrap();
    let mut request = server.recv_msg(0).unwrap();
    let id = request.routing_id().unwrap();
    let _shared = request.fast_copy();
    request.to_mut()[0] = b'r';
    assert_eq!(request.routing_id(), Some(id));
    server.send(request, 0).unwrap();
    assert_eq!(client.recv(0).unwrap()[0], b'r');

    let mut msg = zmq::Message::from(vec![b'g'; 100]);
    msg.set_group("weather").unwrap();
    let _shared = msg.fast_copy();
    msg.to_mut()[0] = b'G';
    assert_eq!(msg.group().as_deref(), Some("weather"));
}

// 14. Text options longer than 1023 bytes could be set but not read.
#[test]
fn long_text_options_read_back_whole() {
    let ctx = zmq::Context::new();
    let s = ctx.socket(zmq::PAIR).unwrap();
    let name = format!("inproc://{}", "n".repeat(5000));
    s.bind(&name).unwrap();
    assert_eq!(s.last_endpoint().unwrap(), name);
    let proxy = format!("{}:1080", "p".repeat(3000));
    s.set_socks_proxy(proxy.as_str()).unwrap();
    assert_eq!(s.socks_proxy().unwrap(), proxy);
    assert_eq!(s.getsockopt_string(zmq::SOCKS_PROXY).unwrap(), proxy);
    // libzmq keeps ZAP domains to 255 bytes, and says so.
    let domain = "d".repeat(255);
    s.set_zap_domain(domain.as_str()).unwrap();
    assert_eq!(s.zap_domain().unwrap(), domain);
    assert!(s.set_zap_domain("d".repeat(256).as_str()).is_err());
}

// 15. set_default made every later socket() fail when a default did not
//     fit a socket type; destroy(Some(-5)) did nothing and said Ok.
#[test]
fn defaults_a_type_refuses_are_skipped_and_impossible_ones_refused() {
    let ctx = zmq::Context::new();
    ctx.set_default(zmq::SUBSCRIBE, b"topic").unwrap();
    ctx.set_default(zmq::LINGER, 0).unwrap();
    for t in [zmq::PUSH, zmq::REQ, zmq::ROUTER, zmq::SUB, zmq::PAIR] {
        let s = ctx.socket(t).unwrap();
        assert_eq!(s.linger().unwrap(), 0, "{t:?}");
    }
    for bad in [-7, -2] {
        assert_eq!(
            ctx.set_default(zmq::LINGER, bad).unwrap_err().errno(),
            zmq::EINVAL
        );
    }
    assert!(ctx.set_default(zmq::SNDHWM, -1).is_err());
    assert!(ctx.set_default(zmq::ROUTING_ID, b"").is_err());
    assert!(ctx.set_default(zmq::TCP_KEEPALIVE_CNT, 0).is_err());
    assert_eq!(ctx.socket(zmq::PUSH).unwrap().linger().unwrap(), 0);

    assert!(matches!(
        ctx.destroy(Some(-5)),
        Err(zmq::Error::InvalidArgument(_))
    ));
    assert!(!ctx.closed());
    ctx.destroy(Some(0)).unwrap();
    assert!(ctx.closed());
}

// 17. send_multipart(parts, SNDMORE) closed the message; [] sent nothing.
#[test]
fn send_multipart_flags_apply_to_every_part() {
    let ctx = zmq::Context::new();
    let (a, b) = common::pair(&ctx, zmq::DEALER, zmq::DEALER, "inproc");
    a.send_multipart(["one", "two"], zmq::SNDMORE).unwrap();
    a.send_multipart(["three"], zmq::SNDMORE).unwrap();
    a.send("four", 0).unwrap();
    assert_eq!(
        b.recv_multipart(0).unwrap(),
        [
            b"one".to_vec(),
            b"two".to_vec(),
            b"three".to_vec(),
            b"four".to_vec()
        ]
    );
    let e = a.send_multipart(Vec::<&[u8]>::new(), 0).unwrap_err();
    assert!(matches!(e, zmq::Error::InvalidArgument(_)));
    // DONTWAIT applies to every part too: with nobody to take it, the
    // first part fails and nothing is queued.
    let lonely = ctx.socket(zmq::DEALER).unwrap();
    assert!(matches!(
        lonely.send_multipart(["x", "y"], zmq::DONTWAIT),
        Err(zmq::Error::Again)
    ));
}

// 17'. Error's Debug shows libzmq's message (a `main` returning
//      zmq::Result prints it).
#[test]
fn error_debug_says_what_went_wrong() {
    let ctx = zmq::Context::new();
    let req = ctx.socket(zmq::REQ).unwrap();
    let e = req.recv(zmq::DONTWAIT).unwrap_err();
    let debug = format!("{e:?}");
    assert!(
        debug.contains("Operation cannot be accomplished in current state"),
        "{debug}"
    );
    let e = req.bind("tcp://no-such-host-name.invalid:1").unwrap_err();
    let debug = format!("{e:?}");
    assert!(
        debug.contains("no-such-host-name") && debug.contains("message"),
        "{debug}"
    );
}

// 18. Closing a socket bound to inproc://X and binding X again at once
//     failed with EADDRINUSE about 5 % of the time.
#[test]
fn an_inproc_name_is_free_as_soon_as_its_socket_closes() {
    let ctx = zmq::Context::new();
    // (Fewer rounds than MAX_SOCKETS: libzmq frees a closed socket's slot
    // asynchronously too, so a tighter loop could run out of them.)
    for i in 0..500 {
        let s = ctx.socket(zmq::PAIR).unwrap();
        s.bind("inproc://rebound")
            .unwrap_or_else(|e| panic!("round {i}: {e}"));
        if i % 2 == 0 {
            drop(s);
        } else {
            s.close().unwrap();
        }
    }
    // An explicit unbind is remembered: closing does not unbind twice.
    let s = ctx.socket(zmq::PAIR).unwrap();
    s.bind("inproc://unbound-first").unwrap();
    s.unbind("inproc://unbound-first").unwrap();
    let t = ctx.socket(zmq::PAIR).unwrap();
    t.bind("inproc://unbound-first").unwrap();
    drop(s);
    let u = ctx.socket(zmq::PAIR).unwrap();
    assert_eq!(
        u.bind("inproc://unbound-first").unwrap_err().errno(),
        zmq::EADDRINUSE
    );
}

// ThreadDevice::join() without a timeout, and join_timeout.
#[test]
fn thread_device_join_and_join_timeout() {
    let ctx = zmq::Context::new();
    let mut dev = zmq::devices::ThreadDevice::new(zmq::STREAMER, zmq::PULL, zmq::PUSH);
    dev.set_context(&ctx);
    dev.bind_in("inproc://join-in");
    dev.bind_out("inproc://join-out");
    dev.start().unwrap();
    assert!(matches!(
        dev.join_timeout(Duration::from_millis(20)),
        Err(zmq::Error::NotDone)
    ));
    ctx.destroy(Some(0)).unwrap();
    let _guard = watchdog("ThreadDevice::join", Duration::from_secs(20));
    dev.join().unwrap();
}

// The same class as 6 and 13, found by reading libzmq 4.3.5 for every
// option it accepts and then cannot use (see src/checks.rs).
#[test]
fn option_values_libzmq_cannot_use_are_refused() {
    let ctx = zmq::Context::new();
    let s = ctx.socket(zmq::DEALER).unwrap();
    let invalid = |r: zmq::Result<()>| matches!(r, Err(zmq::Error::InvalidArgument(_)));
    // Summed HWMs overflow an int in libzmq.
    assert!(invalid(s.set_sndhwm(i32::MAX)));
    assert!(invalid(s.set_rcvhwm(1 << 30)));
    s.set_hwm((1 << 30) - 1).unwrap();
    // Keepalive values Linux refuses: every connection would fail.
    for bad in [0, 128, 100_000] {
        assert!(invalid(s.set_tcp_keepalive_cnt(bad)), "{bad}");
    }
    for bad in [0, 32768] {
        assert!(invalid(s.set_tcp_keepalive_idle(bad)));
        assert!(invalid(s.set_tcp_keepalive_intvl(bad)));
    }
    s.set_tcp_keepalive_cnt(-1).unwrap();
    s.set_tcp_keepalive_cnt(5).unwrap();
    // The peer keeps the TTL in 16 bits of deciseconds.
    assert!(invalid(s.set_heartbeat_ttl(70_000)));
    s.set_heartbeat_ttl(65_500).unwrap();
    assert!(invalid(s.set_tos(256)));
    // PGM values OpenPGM refuses in libzmq's I/O thread (an abort there).
    assert!(invalid(s.set_rate(3_000_000)));
    assert!(invalid(s.set_multicast_hops(256)));
    assert!(invalid(s.set_multicast_maxtpdu(100)));
    // Routing ids starting with a zero byte are libzmq's own.
    assert!(invalid(s.set_routing_id(b"\0abc")));
    assert!(invalid(s.set_routing_id(b"")));
    s.set_routing_id(b"abc").unwrap();
    // An interface that does not exist: connects would retry in silence.
    assert!(invalid(s.set_bindtodevice("no-such-if0")));
    assert!(invalid(s.set_bindtodevice("a-very-long-interface-name")));
    s.set_bindtodevice("lo").unwrap();
    // Empty clears these (libzmq wants NULL for that).
    s.set_bindtodevice("").unwrap();
    s.set_socks_proxy("").unwrap();
    s.set_plain_username("").unwrap();
    assert_eq!(s.mechanism().unwrap(), zmq::NULL);
    #[cfg(feature = "draft")]
    {
        assert!(invalid(s.set_in_batch_size(i32::MAX)));
        assert!(invalid(s.set_out_batch_size(0)));
        s.set_in_batch_size(1 << 16).unwrap();
    }
    assert!(zmq::Context::new().set(zmq::IO_THREADS, 65).is_err());
}

// Changing an HWM once there are connections makes libzmq 4.3 update
// pipes that may be freed (libzmq #4524): refused after bind/connect.
#[test]
fn hwms_are_set_before_the_first_bind_or_connect() {
    let ctx = zmq::Context::new();
    let (a, b) = common::pair(&ctx, zmq::PAIR, zmq::PAIR, "tcp");
    for s in [&a, &b] {
        let e = s.set_sndhwm(10).unwrap_err();
        assert!(e.to_string().contains("before"), "{e}");
        assert!(s.set_hwm(10).is_err());
    }
    let fresh = ctx.socket(zmq::PUSH).unwrap();
    fresh.set_hwm(10).unwrap();
    fresh.connect("inproc://later").unwrap();
    assert!(fresh.set_rcvhwm(5).is_err());
    assert_eq!(fresh.sndhwm().unwrap(), 10);
}

#[test]
fn a_connect_routing_id_is_used_once() {
    let ctx = zmq::Context::new();
    let r = ctx.socket(zmq::ROUTER).unwrap();
    r.set_connect_routing_id(b"peer-a").unwrap();
    r.connect("inproc://connect-id").unwrap();
    assert!(matches!(
        r.set_connect_routing_id(b"peer-a"),
        Err(zmq::Error::InvalidArgument(_))
    ));
    r.set_connect_routing_id(b"peer-b").unwrap();
}

// Endpoints libzmq misreads or aborts on later.
#[test]
fn endpoints_libzmq_would_misread_are_refused() {
    let ctx = zmq::Context::new();
    let s = ctx.socket(zmq::PUSH).unwrap();
    let invalid = |r: zmq::Result<()>| matches!(r, Err(zmq::Error::InvalidArgument(_)));
    // atoi into a uint16_t: 99999 would be port 34463.
    for bad in [
        "tcp://127.0.0.1:99999",
        "tcp://127.0.0.1:65536",
        "tcp://127.0.0.1:80abc",
        "tcp://127.0.0.1:-1",
        "udp://127.0.0.1:123456",
    ] {
        assert!(invalid(s.connect(bad)), "{bad}");
        assert!(invalid(s.bind(bad)), "{bad}");
    }
    assert!(invalid(s.connect("tcp://hôte.example:5555")));
    assert!(invalid(
        s.connect(&format!("ws://127.0.0.1:5555/{}", "p".repeat(5000)))
    ));
    s.connect("tcp://127.0.0.1:5555").unwrap();
    s.connect("tcp://[::1]:5555").unwrap_or(());
    s.bind("tcp://127.0.0.1:*").unwrap();
    // Through a SOCKS proxy the host travels in one length byte.
    let long_host = format!("tcp://{}.example:5555", "h".repeat(300));
    s.connect(&long_host).unwrap();
    s.set_socks_proxy("127.0.0.1:1080").unwrap();
    assert!(invalid(s.connect(&long_host)));
    // libzmq's sessions assert that the ZAP handler is REP/ROUTER/SERVER.
    let publisher = ctx.socket(zmq::PUB).unwrap();
    assert!(invalid(publisher.bind("inproc://zeromq.zap.01")));
    let handler = ctx.socket(zmq::ROUTER).unwrap();
    handler.bind("inproc://zeromq.zap.01").unwrap();
}

// pgm:// needs raw sockets; without CAP_NET_RAW libzmq's I/O thread
// aborted at the connect.
#[test]
#[cfg(all(feature = "pgm", target_os = "linux"))]
fn pgm_without_raw_sockets_is_an_error() {
    unprivileged("pgm_without_raw_sockets_is_an_error", || {
        let ctx = zmq::Context::new();
        let s = ctx.socket(zmq::PUB).unwrap();
        let e = s.connect("pgm://127.0.0.1;239.192.1.1:5555").unwrap_err();
        assert!(e.to_string().contains("CAP_NET_RAW"), "{e}");
        // A window OpenPGM refuses.
        s.set_rate(2_000_000).unwrap();
        s.set_recovery_ivl(i32::MAX).unwrap();
        assert!(s.connect("epgm://127.0.0.1;239.192.1.1:5555").is_err());
    });
}

// A RADIO message over udp:// larger than libzmq's 8 KiB buffer overflowed
// it (heap); DGRAM asserted on IPv6.
#[test]
#[cfg(feature = "draft")]
fn udp_messages_fit_libzmqs_buffer() {
    in_child("udp_messages_fit_libzmqs_buffer", CHILD_LIMIT, || {
        let ctx = zmq::Context::new();
        let radio = ctx.socket(zmq::RADIO).unwrap();
        radio.connect("udp://127.0.0.1:5999").unwrap();
        let mut big = zmq::Message::from(vec![b'x'; 9000]);
        big.set_group("g").unwrap();
        assert!(matches!(
            radio.send(big, 0),
            Err(zmq::Error::InvalidArgument(_))
        ));
        let mut fits = zmq::Message::from(vec![b'x'; 8190]);
        fits.set_group("g").unwrap();
        radio.send(fits, 0).unwrap();
        let dgram = ctx.socket(zmq::DGRAM).unwrap();
        assert!(dgram.bind("udp://[::1]:5998").is_err());
        // Over tcp, RADIO has no such limit.
        let tcp_radio = ctx.socket(zmq::RADIO).unwrap();
        tcp_radio.bind("tcp://127.0.0.1:*").unwrap();
        let mut big = zmq::Message::from(vec![b'x'; 100_000]);
        big.set_group("g").unwrap();
        tcp_radio.send(big, 0).unwrap();
    });
}

// zmq_msg_set_group over a long group wrote a short one's bytes over the
// long one's pointer: a crash at close.
#[test]
#[cfg(feature = "draft")]
fn a_group_is_set_once() {
    in_child("a_group_is_set_once", CHILD_LIMIT, || {
        let mut msg = zmq::Message::from("x");
        msg.set_group("a-group-longer-than-fourteen-bytes").unwrap();
        assert!(matches!(
            msg.set_group("short-8"),
            Err(zmq::Error::InvalidArgument(_))
        ));
        assert_eq!(
            msg.group().as_deref(),
            Some("a-group-longer-than-fourteen-bytes")
        );
        assert!(zmq::Message::from("y").set_group("").is_err());
        drop(msg);
    });
}

// A steerable proxy over one socket dereferenced NULL in libzmq's draft
// proxy.
#[test]
#[cfg(feature = "draft")]
fn a_steerable_proxy_needs_two_sockets() {
    in_child("a_steerable_proxy_needs_two_sockets", CHILD_LIMIT, || {
        let ctx = zmq::Context::new();
        let s = ctx.socket(zmq::DEALER).unwrap();
        let control = ctx.socket(zmq::PAIR).unwrap();
        assert!(matches!(
            zmq::proxy_steerable(&s, &s, None, &control),
            Err(zmq::Error::InvalidArgument(_))
        ));
    });
}

// poll() with more items than RLIMIT_NOFILE fails with EINVAL, on which
// libzmq asserts.
#[test]
#[cfg(unix)]
fn polling_more_items_than_descriptors_is_an_error() {
    in_child(
        "polling_more_items_than_descriptors_is_an_error",
        CHILD_LIMIT,
        || {
            // SAFETY: lowers this (child) process's own soft limit.
            unsafe {
                let mut limit = libc::rlimit {
                    rlim_cur: 0,
                    rlim_max: 0,
                };
                assert_eq!(libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit), 0);
                limit.rlim_cur = 1024;
                assert_eq!(libc::setrlimit(libc::RLIMIT_NOFILE, &limit), 0);
            }
            let mut poller = zmq::Poller::new();
            for fd in 0..1100 {
                poller.register_fd(fd, zmq::POLLIN);
            }
            assert!(matches!(
                poller.poll(0),
                Err(zmq::Error::InvalidArgument(_))
            ));
            let mut few = zmq::Poller::new();
            few.register_fd(0, zmq::POLLIN);
            few.poll(0).unwrap();
        },
    );
}

// Found by tests/randomized.rs: over inproc libzmq does not check that two
// socket types can talk (tcp checks it in the handshake), and pairs that
// cannot made it abort: a PAIR binding a name a ROUTER (and another
// socket) waited on wrote the ROUTER's routing id into the pipe it had just
// turned away (pipe.cpp:60); a RADIO binding a name a closed GATHER waited
// on never returned; a PUB binding a name a ROUTER had disconnected from
// while it waited asserted the same way (libzmq tears such a pipe down
// halfway).
#[test]
fn inproc_connections_are_checked_as_zmtp_would() {
    in_child(
        "inproc_connections_are_checked_as_zmtp_would",
        CHILD_LIMIT,
        || {
            let ctx = zmq::Context::new();
            let mismatch = |r: zmq::Result<()>| matches!(r, Err(zmq::Error::InvalidArgument(_)));
            for kind in [zmq::ROUTER, zmq::REP] {
                let name = format!("inproc://waits-{kind:?}");
                let router = ctx.socket(kind).unwrap();
                router.connect(&name).unwrap();
                // A waiting connection cannot be taken back...
                assert!(mismatch(router.disconnect(&name)));
                assert!(mismatch(router.unbind(&name)));
                // ...and the wrong type cannot take it.
                let pair = ctx.socket(zmq::PAIR).unwrap();
                assert!(mismatch(pair.bind(&name)));
                let publisher = ctx.socket(zmq::PUB).unwrap();
                assert!(mismatch(publisher.bind(&name)));
                // The right one can; then the connection can be taken back.
                let dealer = ctx.socket(zmq::DEALER).unwrap();
                dealer.bind(&name).unwrap();
                router.disconnect(&name).unwrap();
                // Connections to a bound name are checked at once.
                let pull = ctx.socket(zmq::PULL).unwrap();
                assert!(mismatch(pull.connect(&name)));
                let rep = ctx.socket(zmq::REP).unwrap();
                rep.connect(&name).unwrap();
            }
            // A closed socket of the wrong type is settled out of the way.
            // (Thread-safe types, GATHER and RADIO before, take no inproc.)
            for (waiter, binder) in [(zmq::PUSH, zmq::PUB), (zmq::ROUTER, zmq::PAIR)] {
                let name = format!("inproc://closed-{waiter:?}");
                let s = ctx.socket(waiter).unwrap();
                s.connect(&name).unwrap();
                drop(s);
                let _guard = watchdog("bind after a closed mismatch", Duration::from_secs(20));
                ctx.socket(binder).unwrap().bind(&name).unwrap();
            }
            // The pairs that can talk still do.
            let (a, b) = (
                ctx.socket(zmq::PUSH).unwrap(),
                ctx.socket(zmq::PULL).unwrap(),
            );
            common::timeouts(&b);
            a.connect("inproc://push-pull").unwrap();
            b.bind("inproc://push-pull").unwrap();
            a.send("through", 0).unwrap();
            assert_eq!(b.recv_string(0).unwrap(), "through");
        },
    );
}

// Found by tests/randomized.rs: a DGRAM socket without its pipe closes the
// message it is given and reports a stale errno (dgram.cpp:64); zmq_send
// then asserted on closing it again (zmq.cpp:391), a blocking send looped
// on the closed message, and a caller's Message was left invalid.
#[test]
#[cfg(feature = "draft")]
fn a_dgram_without_a_peer_refuses_sends_cleanly() {
    in_child(
        "a_dgram_without_a_peer_refuses_sends_cleanly",
        CHILD_LIMIT,
        || {
            let ctx = zmq::Context::new();
            let dgram = ctx.socket(zmq::DGRAM).unwrap();
            assert!(matches!(
                dgram.send_multipart(["127.0.0.1:5997", "x"], zmq::DONTWAIT),
                Err(zmq::Error::Again)
            ));
            dgram.set_sndtimeo(50).unwrap();
            assert!(matches!(
                dgram.send("127.0.0.1:5997", zmq::SNDMORE),
                Err(zmq::Error::Again)
            ));
            let mut msg = zmq::Message::from(vec![b'a'; 100]);
            assert!(dgram.send(&mut msg, zmq::DONTWAIT).is_err());
            assert_eq!(msg.len(), 100); // still a valid message
                                        // Once bound, it sends.
            dgram.bind("udp://127.0.0.1:*").unwrap_or(());
        },
    );
}

// Found by tests/randomized.rs: two inproc connections or more waiting for
// a bind that never came made zmq_ctx_term crash about once in a thousand
// (it binds the name with a PAIR, which turns the others away while the
// reaper tears their sockets down: a use-after-free). The binding settles
// them before the context shuts down.
#[test]
fn terminating_with_waiting_inproc_connections_never_crashes() {
    in_child(
        "terminating_with_waiting_inproc_connections_never_crashes",
        Duration::from_secs(240),
        || {
            for how in ["drop", "term", "destroy"] {
                for _ in 0..1500 {
                    let ctx = zmq::Context::new();
                    let a = ctx.socket(zmq::DEALER).unwrap();
                    a.connect("inproc://never-bound").unwrap();
                    let b = ctx.socket(zmq::SUB).unwrap();
                    b.connect("inproc://never-bound").unwrap();
                    b.connect("inproc://never-bound").unwrap();
                    if how == "destroy" {
                        ctx.destroy(Some(0)).unwrap();
                    }
                    drop((a, b));
                    if how == "term" {
                        ctx.term().unwrap();
                    }
                }
            }
        },
    );
}
