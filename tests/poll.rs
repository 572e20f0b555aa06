//! Polling (pyzmq's test_poll).

mod common;

use std::time::{Duration, Instant};

use common::pair;

#[test]
fn poller_register_modify_unregister() {
    let ctx = zmq::Context::new();
    let (a, b) = pair(&ctx, zmq::PAIR, zmq::PAIR, "tcp");
    let mut poller = zmq::Poller::new();
    poller.register(&a, zmq::POLLIN | zmq::POLLOUT);
    poller.register(&b, zmq::POLLIN);
    assert_eq!(poller.len(), 2);

    let socks = poller.poll(1000).unwrap();
    assert_eq!(socks.get(&a), zmq::POLLOUT);
    assert!(!socks.contains(&b));

    poller.modify(&a, zmq::POLLIN);
    a.send("x", 0).unwrap();
    let socks = poller.poll(Duration::from_secs(5)).unwrap();
    // The result does not borrow the poller: change it while holding socks.
    poller.modify(&a, zmq::POLLIN | zmq::POLLOUT);
    poller.modify(&a, zmq::POLLIN);
    assert_eq!(socks.get(&b), zmq::POLLIN);
    assert_eq!(b.recv_string(0).unwrap(), "x"); // usable while registered
    assert!(socks.iter().count() >= 1);

    let socks = poller.poll(0).unwrap();
    assert!(socks.is_empty(), "a (POLLIN only) and b are both idle");
    assert!(poller.unregister(&a));
    assert!(!poller.unregister(&a));
    // Empty events unregister, as in pyzmq.
    poller.register(&b, zmq::PollEvents::empty());
    assert!(poller.is_empty());
}

#[test]
fn empty_poller_returns_at_once() {
    let mut poller = zmq::Poller::new();
    let start = Instant::now();
    assert!(poller.poll(10_000).unwrap().is_empty());
    assert!(poller.poll(None).unwrap().is_empty());
    assert!(start.elapsed() < Duration::from_secs(5));
}

#[test]
fn timeouts_in_every_form() {
    let ctx = zmq::Context::new();
    let (a, _b) = pair(&ctx, zmq::PAIR, zmq::PAIR, "inproc");
    let mut poller = zmq::Poller::new();
    poller.register(&a, zmq::POLLIN);
    assert!(poller.poll(0).unwrap().is_empty());
    assert!(poller.poll(10i64).unwrap().is_empty());
    assert!(poller.poll(Duration::from_millis(10)).unwrap().is_empty());
    assert!(poller.poll(Some(10)).unwrap().is_empty());
}

#[test]
fn raw_fds_are_polled_too() {
    let mut fds = [0; 2];
    // SAFETY: pipe writes two fds into the array.
    assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0);
    let mut poller = zmq::Poller::new();
    poller.register_fd(fds[0], zmq::POLLIN);
    assert!(poller.poll(0).unwrap().is_empty());
    // SAFETY: writing one byte from a valid buffer to our pipe.
    assert_eq!(unsafe { libc::write(fds[1], b"x".as_ptr().cast(), 1) }, 1);
    let socks = poller.poll(5000).unwrap();
    assert_eq!(socks.get_fd(fds[0]), zmq::POLLIN);
    assert!(socks.contains_fd(fds[0]));
    assert!(poller.unregister_fd(fds[0]));
    // SAFETY: closing the fds we made.
    unsafe {
        libc::close(fds[0]);
        libc::close(fds[1]);
    }
}

#[test]
fn a_sockets_fd_signals_events() {
    let ctx = zmq::Context::new();
    let (a, b) = pair(&ctx, zmq::PAIR, zmq::PAIR, "tcp");
    let fd = b.fd().unwrap();
    a.send("x", 0).unwrap();
    // ZMQ_FD is edge-triggered: poll it, then check EVENTS.
    let mut poller = zmq::Poller::new();
    poller.register_fd(fd, zmq::POLLIN);
    let deadline = Instant::now() + Duration::from_secs(5);
    while !b.events().unwrap().contains(zmq::POLLIN) {
        assert!(Instant::now() < deadline);
        poller.poll(100).unwrap();
    }
    assert_eq!(b.recv_string(0).unwrap(), "x");
}

#[test]
fn select_reports_ready_subsets() {
    let ctx = zmq::Context::new();
    let (a, b) = pair(&ctx, zmq::PAIR, zmq::PAIR, "inproc");
    let (r, w, x) = zmq::select(&[&a, &b], &[&a], &[], Some(1.0)).unwrap();
    assert!(r.is_empty());
    assert_eq!(w.len(), 1);
    assert!(x.is_empty());
    a.send("x", 0).unwrap();
    let (r, _, _) = zmq::select(&[&a, &b], &[], &[], None).unwrap();
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].as_raw(), b.as_raw());
    let (r, _, _) = zmq::select(&[&a], &[], &[], Some(0.01)).unwrap();
    assert!(r.is_empty());
}
