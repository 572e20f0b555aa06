//! Context behaviour (pyzmq's test_context).

mod common;

use std::thread;
use std::time::Duration;

use common::watchdog;
use zmq::Error;

#[test]
fn term_from_another_thread_wakes_a_blocked_recv() {
    let _guard = watchdog("term wake-up", Duration::from_secs(20));
    let ctx = zmq::Context::new();
    let s = ctx.socket(zmq::PULL).unwrap();
    s.bind("inproc://blocked").unwrap();
    let (ready_tx, ready_rx) = std::sync::mpsc::channel();
    let receiver = thread::spawn(move || {
        ready_tx.send(()).unwrap();
        // No timeout on purpose: only termination can end this call.
        let result = s.recv(0);
        drop(s); // closing lets term() finish
        result
    });
    ready_rx.recv().unwrap();
    let terminator = {
        let ctx = ctx.clone();
        thread::spawn(move || ctx.term())
    };
    assert!(matches!(
        receiver.join().unwrap(),
        Err(Error::ContextTerminated)
    ));
    terminator.join().unwrap().unwrap();
    assert!(ctx.closed());
    // Everything after term fails cleanly.
    assert!(matches!(
        ctx.socket(zmq::PAIR),
        Err(Error::ContextTerminated)
    ));
    assert!(matches!(
        ctx.get(zmq::IO_THREADS),
        Err(Error::ContextTerminated)
    ));
    assert!(matches!(
        ctx.set(zmq::IO_THREADS, 2),
        Err(Error::ContextTerminated)
    ));
    ctx.term().unwrap(); // a second term is a no-op
}

#[test]
fn destroy_with_sockets_alive_in_this_thread_does_not_deadlock() {
    let _guard = watchdog("destroy", Duration::from_secs(20));
    let ctx = zmq::Context::new();
    let push = ctx.socket(zmq::PUSH).unwrap();
    push.connect("tcp://127.0.0.1:9").unwrap(); // never delivered: would linger forever
    push.send("pending", zmq::DONTWAIT).unwrap();
    let pull = ctx.socket(zmq::PULL).unwrap();
    pull.bind("inproc://destroy").unwrap();

    // A blocked call in another thread is woken too.
    let other = ctx.socket(zmq::PULL).unwrap();
    other.connect("inproc://destroy-other").unwrap();
    let blocked = thread::spawn(move || other.recv(0));

    ctx.destroy(Some(0)).unwrap();
    assert!(ctx.closed());
    assert!(matches!(
        blocked.join().unwrap(),
        Err(Error::ContextTerminated)
    ));
    assert!(matches!(pull.recv(0), Err(Error::ContextTerminated)));
    // Later calls keep failing the same way (blocking ones at once).
    assert!(matches!(pull.recv(0), Err(Error::ContextTerminated)));
    // A send that does not block may slip in before the socket processes
    // the termination (libzmq throttles command processing); it fails as
    // soon as it does, at the latest when it would block at the HWM.
    let outcome = (0..100_000)
        .map(|_| push.send("more", 0))
        .find(Result::is_err);
    assert!(
        matches!(outcome, Some(Err(Error::ContextTerminated))),
        "{outcome:?}"
    );
    assert!(matches!(
        ctx.socket(zmq::PAIR),
        Err(Error::ContextTerminated)
    ));
    // Dropping the sockets applies linger 0: nothing hangs.
    drop(push);
    drop(pull);
    drop(ctx);
}

#[test]
fn dropping_the_context_handle_while_sockets_live_does_not_block() {
    let _guard = watchdog("drop context", Duration::from_secs(20));
    let ctx = zmq::Context::new();
    let (a, b) = common::pair(&ctx, zmq::PAIR, zmq::PAIR, "inproc");
    drop(ctx);
    // The sockets keep the context alive and working.
    a.send("still here", 0).unwrap();
    assert_eq!(b.recv_string(0).unwrap(), "still here");
    assert!(!a.context().closed());
}

#[test]
fn instance_is_shared_and_remade_after_termination() {
    let a = zmq::Context::instance();
    let b = zmq::Context::instance();
    assert_eq!(a.as_raw(), b.as_raw());
    let from_thread = thread::spawn(|| zmq::Context::instance().as_raw() as usize)
        .join()
        .unwrap();
    assert_eq!(from_thread, a.as_raw() as usize);
    a.term().unwrap();
    let c = zmq::Context::instance();
    assert!(!c.closed());
    assert!(c.socket(zmq::PAIR).is_ok());
}

#[test]
fn options_get_set_and_io_threads() {
    let ctx = zmq::Context::with_io_threads(2).unwrap();
    assert_eq!(ctx.get(zmq::IO_THREADS).unwrap(), 2);
    ctx.set(zmq::MAX_SOCKETS, 100).unwrap();
    assert_eq!(ctx.get(zmq::MAX_SOCKETS).unwrap(), 100);
    assert!(ctx.get(zmq::SOCKET_LIMIT).unwrap() > 0);
    assert_eq!(ctx.get(zmq::MSG_T_SIZE).unwrap(), 64);
    assert_eq!(
        ctx.set(zmq::ContextOption(9999), 1).unwrap_err().errno(),
        zmq::EINVAL
    );
    assert!(zmq::Context::with_io_threads(-1).is_err());
}

#[test]
fn default_socket_options_apply_to_new_sockets() {
    let ctx = zmq::Context::new();
    ctx.set_default(zmq::LINGER, 0).unwrap();
    ctx.set_default(zmq::SNDHWM, 7).unwrap();
    ctx.set_default(zmq::IDENTITY, b"abc").unwrap();
    let s = ctx.socket(zmq::DEALER).unwrap();
    assert_eq!(s.linger().unwrap(), 0);
    assert_eq!(s.sndhwm().unwrap(), 7);
    assert_eq!(s.identity().unwrap(), b"abc");
    ctx.unset_default(zmq::SNDHWM);
    assert_eq!(ctx.socket(zmq::DEALER).unwrap().sndhwm().unwrap(), 1000);
    // A default that a socket type refuses is skipped for it, as in pyzmq.
    ctx.set_default(zmq::SUBSCRIBE, b"x").unwrap();
    let push = ctx.socket(zmq::PUSH).unwrap();
    assert_eq!(push.linger().unwrap(), 0);
    let sub = ctx.socket(zmq::SUB).unwrap();
    assert_eq!(sub.linger().unwrap(), 0);
    // A value no socket type takes is refused at once, and not stored.
    let e = ctx.set_default(zmq::LINGER, -7).unwrap_err();
    assert_eq!(e.errno(), zmq::EINVAL);
    assert_eq!(ctx.socket(zmq::PUSH).unwrap().linger().unwrap(), 0);
    assert!(ctx.set_default(zmq::ROUTING_ID, [0u8; 256]).is_err());
}

#[test]
fn sockets_and_contexts_cross_threads() {
    let ctx = zmq::Context::new();
    let (a, b) = common::pair(&ctx, zmq::PAIR, zmq::PAIR, "inproc");
    // A socket moves to another thread (Send); the context is shared (Sync).
    let handle = thread::spawn(move || {
        a.send("from a thread", 0).unwrap();
        a
    });
    let a = handle.join().unwrap();
    assert_eq!(b.recv_string(0).unwrap(), "from a thread");
    drop(a);
}
