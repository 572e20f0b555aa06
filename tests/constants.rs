//! Constants, versions and errors (pyzmq's test_constants, test_version,
//! test_error, test_etc).

#[test]
fn socket_types_have_libzmqs_values() {
    let expected = [
        (zmq::PAIR, 0),
        (zmq::PUB, 1),
        (zmq::SUB, 2),
        (zmq::REQ, 3),
        (zmq::REP, 4),
        (zmq::DEALER, 5),
        (zmq::ROUTER, 6),
        (zmq::PULL, 7),
        (zmq::PUSH, 8),
        (zmq::XPUB, 9),
        (zmq::XSUB, 10),
        (zmq::STREAM, 11),
        (zmq::XREQ, 5),
        (zmq::XREP, 6),
    ];
    for (t, value) in expected {
        assert_eq!(t.to_raw(), value);
        assert_eq!(zmq::SocketType::from_raw(value), Some(t));
    }
    assert_eq!(zmq::SocketType::from_raw(999), None);
}

#[test]
fn flags_events_and_options() {
    assert_eq!(zmq::DONTWAIT.bits(), 1);
    assert_eq!(zmq::NOBLOCK, zmq::DONTWAIT);
    assert_eq!(zmq::SNDMORE.bits(), 2);
    assert_eq!((zmq::DONTWAIT | zmq::SNDMORE).bits(), 3);
    assert_eq!(zmq::Flags::from(3), zmq::DONTWAIT | zmq::SNDMORE);
    assert_eq!(zmq::POLLIN.bits(), 1);
    assert_eq!(zmq::POLLOUT.bits(), 2);
    assert_eq!(zmq::POLLERR.bits(), 4);
    assert_eq!(zmq::POLLPRI.bits(), 8);
    assert_eq!(zmq::EVENT_ALL.bits(), 0xFFFF);
    assert_eq!(zmq::LINGER.to_raw(), 17);
    assert_eq!(zmq::IDENTITY.to_raw(), zmq::ROUTING_ID.to_raw());
    assert_eq!(zmq::SUBSCRIBE.name(), "SUBSCRIBE");
    assert_eq!(format!("{:?}", zmq::RCVTIMEO), "zmq::RCVTIMEO");
    assert_eq!(zmq::IO_THREADS.0, 1);
    assert_eq!(zmq::MAX_SOCKETS.0, 2);
    assert_eq!(zmq::MORE.0, 1);
    assert_eq!(zmq::SHARED.0, 3);
    assert_eq!(
        (
            zmq::STREAMER as i32,
            zmq::FORWARDER as i32,
            zmq::QUEUE as i32
        ),
        (1, 2, 3)
    );
    assert_eq!(
        (zmq::NULL, zmq::PLAIN, zmq::CURVE, zmq::GSSAPI),
        (0, 1, 2, 3)
    );
}

#[test]
fn errno_constants() {
    assert_eq!(zmq::EAGAIN, libc::EAGAIN);
    assert_eq!(zmq::EINVAL, libc::EINVAL);
    assert_eq!(zmq::EFSM, 156384712 + 51);
    assert_eq!(zmq::ETERM, 156384712 + 53);
    assert_eq!(zmq::EMTHREAD, 156384712 + 54);
    assert_eq!(zmq::ENOTSUP, libc::ENOTSUP);
}

#[test]
fn versions() {
    let (major, minor, patch) = zmq::zmq_version_info();
    assert_eq!(zmq::zmq_version(), format!("{major}.{minor}.{patch}"));
    assert!((major, minor) >= (4, 3));
    assert_eq!(zmq::VERSION, env!("CARGO_PKG_VERSION"));
    assert_eq!((zmq::VERSION_MAJOR, zmq::VERSION_MINOR), (4, 3));
}

#[test]
fn errors_display_like_pyzmq_and_match_by_errno() {
    assert_eq!(zmq::strerror(zmq::ETERM), "Context was terminated");
    assert_eq!(
        zmq::strerror(zmq::EFSM),
        "Operation cannot be accomplished in current state"
    );
    assert_eq!(
        zmq::Error::ContextTerminated.to_string(),
        "Context was terminated"
    );
    assert_eq!(zmq::Error::ContextTerminated.errno(), zmq::ETERM);
    assert!(zmq::Error::ContextTerminated.is_context_terminated());
    let e = zmq::Error::from_errno(zmq::EFSM);
    assert!(matches!(e, zmq::Error::Zmq { errno } if errno == zmq::EFSM));
    assert_eq!(zmq::Error::from_errno(zmq::EAGAIN).errno(), zmq::EAGAIN);
    // Unknown errnos never panic.
    for errno in [-1, 0, 99999, i32::MAX] {
        let e = zmq::Error::from_errno(errno);
        let _ = (e.to_string(), e.errno(), std::io::Error::from(e));
    }
    let e: Box<dyn std::error::Error + Send + Sync> = Box::new(zmq::Error::Again);
    assert_eq!(e.to_string(), "Resource temporarily unavailable");
}
