//! Each build path (vendored with or without pgm/curve/draft, or the system
//! libzmq) gives the library it promises. CI runs this file on all three.

mod common;

use std::ffi::{c_void, CStr};
use std::time::{Duration, Instant};

use zmq::sys;

#[test]
#[cfg(zmq_vendored)]
fn vendored_build_is_libzmq_4_3_5_with_ipc() {
    const { assert!(sys::VENDORED) };
    assert_eq!(zmq::zmq_version(), "4.3.5");
    assert_eq!(zmq::zmq_version_info(), (4, 3, 5));
    assert!(zmq::has("ipc"));
}

#[test]
#[cfg(zmq_vendored)]
fn vendored_capabilities_follow_the_features() {
    const { assert!(sys::VENDORED) };
    assert_eq!(zmq::has("pgm"), cfg!(feature = "pgm"), "pgm");
    assert_eq!(zmq::has("curve"), cfg!(feature = "curve"), "curve");
    assert_eq!(zmq::has("draft"), cfg!(feature = "draft"), "draft");
    // Never built by the vendored recipe.
    assert!(!zmq::has("norm"));
    assert!(!zmq::has("gssapi"));
}

#[test]
#[cfg(not(zmq_vendored))]
fn system_build_is_pkg_configs_libzmq() {
    const { assert!(!sys::VENDORED) };
    let out = std::process::Command::new("pkg-config")
        .args(["--modversion", "libzmq"])
        .output()
        .expect("pkg-config runs");
    let expected = String::from_utf8_lossy(&out.stdout).trim().to_string();
    assert_eq!(zmq::zmq_version(), expected);
    // build.rs refuses a system libzmq lacking what the features ask for.
    if cfg!(feature = "pgm") {
        assert!(zmq::has("pgm"));
    }
    if cfg!(feature = "curve") {
        assert!(zmq::has("curve"));
    }
    assert_eq!(zmq::has("draft"), cfg!(feature = "draft"));
}

#[test]
fn unknown_capabilities_are_false() {
    assert!(!zmq::has("carrier-pigeon"));
    assert!(!zmq::has(""));
    assert!(!zmq::has("pgm\0"));
}

/// A raw-FFI socket for the epgm test; closed on drop.
struct RawSocket(*mut c_void);

impl RawSocket {
    fn new(ctx: *mut c_void, kind: i32) -> RawSocket {
        // SAFETY: ctx is a live context from zmq_ctx_new.
        let s = unsafe { sys::zmq_socket(ctx, kind) };
        assert!(!s.is_null(), "zmq_socket: {}", last_error());
        RawSocket(s)
    }
    fn set_int(&self, option: i32, value: i32) {
        // SAFETY: optval points to an int of the length given.
        let rc = unsafe { sys::zmq_setsockopt(self.0, option, (&value as *const i32).cast(), 4) };
        assert_eq!(rc, 0, "setsockopt {option}: {}", last_error());
    }
    fn connect(&self, endpoint: &CStr) {
        // SAFETY: endpoint is NUL-terminated and outlives the call.
        let rc = unsafe { sys::zmq_connect(self.0, endpoint.as_ptr()) };
        assert_eq!(rc, 0, "connect {endpoint:?}: {}", last_error());
    }
    fn send(&self, data: &[u8]) {
        // SAFETY: data is valid for its length; libzmq copies it.
        let rc = unsafe { sys::zmq_send(self.0, data.as_ptr().cast(), data.len(), 0) };
        assert_eq!(rc as usize, data.len(), "send: {}", last_error());
    }
    /// One message, or `None` when nothing arrived within the receive timeout.
    fn recv(&self) -> Option<Vec<u8>> {
        let mut buf = vec![0u8; 256];
        // SAFETY: buf is writable for its length; libzmq truncates to it.
        let rc = unsafe { sys::zmq_recv(self.0, buf.as_mut_ptr().cast(), buf.len(), 0) };
        if rc < 0 {
            // SAFETY: zmq_errno reads this thread's errno.
            assert_eq!(
                unsafe { sys::zmq_errno() },
                libc::EAGAIN,
                "recv: {}",
                last_error()
            );
            return None;
        }
        buf.truncate(rc as usize);
        Some(buf)
    }
}

impl Drop for RawSocket {
    fn drop(&mut self) {
        // SAFETY: the socket is live and closed exactly once.
        unsafe { sys::zmq_close(self.0) };
    }
}

fn last_error() -> String {
    // SAFETY: zmq_strerror returns a static NUL-terminated string.
    unsafe {
        CStr::from_ptr(sys::zmq_strerror(sys::zmq_errno()))
            .to_string_lossy()
            .into_owned()
    }
}

/// PUB and SUB both connect to one epgm group on `lo` inside a private network
/// namespace; after the subscriber is seen to receive, every one of 20 numbered
/// messages must arrive, in order.
#[test]
#[ignore = "needs a network namespace of its own (root or user namespaces) and a libzmq with PGM (CI runs --include-ignored)"]
fn epgm_pub_sub_over_the_raw_ffi() {
    assert!(
        zmq::has("pgm"),
        "this libzmq has no PGM (build with --features pgm)"
    );
    if !common::netns::in_multicast_netns("epgm_pub_sub_over_the_raw_ffi") {
        return;
    }
    // A fresh namespace of our own: no other process uses this group or port.
    let endpoint = c"epgm://127.0.0.1;239.192.1.1:5555";
    // SAFETY: a plain context constructor.
    let ctx = unsafe { sys::zmq_ctx_new() };
    assert!(!ctx.is_null());
    {
        let publisher = RawSocket::new(ctx, sys::ZMQ_PUB);
        let subscriber = RawSocket::new(ctx, sys::ZMQ_SUB);
        for s in [&publisher, &subscriber] {
            s.set_int(sys::ZMQ_LINGER, 0);
        }
        subscriber.set_int(sys::ZMQ_RCVTIMEO, 100);
        // SAFETY: an empty subscription: a zero-length option value.
        assert_eq!(
            unsafe { sys::zmq_setsockopt(subscriber.0, sys::ZMQ_SUBSCRIBE, std::ptr::null(), 0) },
            0
        );
        subscriber.connect(endpoint);
        publisher.connect(endpoint);

        // Handshake: probes until the subscriber hears one (PGM has no
        // connection to wait for), bounded in time.
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            publisher.send(b"probe");
            if subscriber.recv().is_some() {
                break;
            }
            assert!(Instant::now() < deadline, "no epgm probe arrived in 20 s");
        }
        for i in 0..20 {
            publisher.send(format!("data-{i}").as_bytes());
        }
        subscriber.set_int(sys::ZMQ_RCVTIMEO, 5000);
        let mut got = Vec::new();
        while got.len() < 20 {
            match subscriber.recv() {
                Some(m) if m == b"probe" => continue,
                Some(m) => got.push(String::from_utf8(m).unwrap()),
                None => panic!("only {} of 20 epgm messages arrived: {got:?}", got.len()),
            }
        }
        let expected: Vec<String> = (0..20).map(|i| format!("data-{i}")).collect();
        assert_eq!(got, expected);
    }
    // SAFETY: every socket of ctx is closed (dropped above).
    assert_eq!(unsafe { sys::zmq_ctx_term(ctx) }, 0);
}
