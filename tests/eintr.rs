//! A signal interrupting a blocking call gives `Error::Interrupted`, never a
//! panic (pyzmq's test_retry_eintr, where pyzmq retries for the user).

mod common;

use std::sync::atomic::Ordering;
use std::time::Duration;

extern "C" fn on_signal(_: libc::c_int) {}

/// Sends SIGUSR1 to `target` every 20 ms until the returned guard is
/// dropped: no need to guess when the target is inside its blocking call.
fn keep_signalling(target: libc::pthread_t) -> common::Background {
    common::background(move |stop| {
        while !stop.load(Ordering::SeqCst) {
            // SAFETY: the target thread outlives this guard (it drops it).
            unsafe { libc::pthread_kill(target, libc::SIGUSR1) };
            std::thread::sleep(Duration::from_millis(20));
        }
    })
}

#[test]
fn a_signal_interrupts_a_blocking_recv() {
    let _guard = common::watchdog("eintr", Duration::from_secs(30));
    // SAFETY: installs a handler that does nothing, without SA_RESTART, so
    // blocking calls in this process return EINTR when SIGUSR1 arrives.
    unsafe {
        let mut action: libc::sigaction = std::mem::zeroed();
        action.sa_sigaction = on_signal as *const () as usize;
        libc::sigemptyset(&mut action.sa_mask);
        assert_eq!(
            libc::sigaction(libc::SIGUSR1, &action, std::ptr::null_mut()),
            0
        );
    }
    let ctx = zmq::Context::new();
    let s = ctx.socket(zmq::PULL).unwrap();
    s.set_linger(0).unwrap();
    s.bind("inproc://eintr").unwrap();
    s.set_rcvtimeo(20_000).unwrap();

    // SAFETY: pthread_self has no preconditions.
    let target = unsafe { libc::pthread_self() };
    let signaller = keep_signalling(target);
    let result = s.recv(0);
    drop(signaller);
    let e = result.unwrap_err();
    assert!(matches!(e, zmq::Error::Interrupted), "{e:?}");
    assert!(e.is_interrupted());
    assert_eq!(e.errno(), zmq::EINTR);
    assert_eq!(
        std::io::Error::from(e).kind(),
        std::io::ErrorKind::Interrupted
    );

    // Polling is interrupted the same way.
    let mut poller = zmq::Poller::new();
    poller.register(&s, zmq::POLLIN);
    let signaller = keep_signalling(target);
    let result = poller.poll(20_000);
    drop(signaller);
    assert!(matches!(result, Err(zmq::Error::Interrupted)), "{result:?}");
}
