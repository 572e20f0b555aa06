//! `zmq.proxy`, `zmq.proxy_steerable`, `zmq.device`.

use std::ptr;

use crate::error::{cvt, Result};
use crate::poll::refuse_terminated;
use crate::{sys, DeviceType, Socket};

/// libzmq built with the draft API runs its proxies on its socket_poller,
/// which asserts (aborts the process) when a socket has already seen its
/// context end: a proxy started on such sockets (e.g. called again after it
/// returned `ContextTerminated`) returns `ContextTerminated` instead.
fn check(sockets: &[&Socket]) -> Result<()> {
    refuse_terminated(
        sockets
            .iter()
            .filter(|s| !s.socket_type().is_thread_safe())
            .map(|s| s.as_raw()),
    )
}

/// Relays messages between `frontend` and `backend` until the context is
/// terminated (`zmq.proxy(f, b)`); then it returns
/// [`Error::ContextTerminated`](crate::Error::ContextTerminated), which is
/// its normal end (also when called on sockets whose context has ended).
#[doc(alias = "zmq_proxy")]
pub fn proxy(frontend: &Socket, backend: &Socket) -> Result<()> {
    check(&[frontend, backend])?;
    // SAFETY: both sockets are live for the call (borrowed).
    cvt(unsafe { sys::zmq_proxy(frontend.as_raw(), backend.as_raw(), ptr::null_mut()) }).map(drop)
}

/// [`proxy`], also sending a copy of every message to `capture`
/// (`zmq.proxy(f, b, capture)`).
pub fn proxy_capture(frontend: &Socket, backend: &Socket, capture: &Socket) -> Result<()> {
    check(&[frontend, backend, capture])?;
    // SAFETY: all three sockets are live for the call.
    cvt(unsafe { sys::zmq_proxy(frontend.as_raw(), backend.as_raw(), capture.as_raw()) }).map(drop)
}

/// [`proxy`], steered by commands received on `control`: `"PAUSE"`,
/// `"RESUME"`, `"TERMINATE"` (then it returns `Ok`), and `"STATISTICS"`
/// (it replies with eight native-endian `u64` counters as an 8-part
/// message: frontend received count and bytes, frontend sent count and
/// bytes, then the same for the backend)
/// (`zmq.proxy_steerable(f, b, capture, control)`).
///
/// **libzmq 4.3.5 inverts PAUSE and RESUME**: its `handle_control` makes
/// `"PAUSE"` resume and `"RESUME"` pause (pyzmq on 4.3.5 behaves the same;
/// this binding passes libzmq's behaviour through). It also answers every
/// command with an empty part, so a REP control socket works with it.
/// Other libzmq versions do what `zmq_proxy_steerable(3)` says; check
/// [`zmq_version_info`](crate::zmq_version_info) if you depend on it.
#[doc(alias = "zmq_proxy_steerable")]
pub fn proxy_steerable(
    frontend: &Socket,
    backend: &Socket,
    capture: Option<&Socket>,
    control: &Socket,
) -> Result<()> {
    if frontend.as_raw() == backend.as_raw() && crate::has("draft") {
        // libzmq 4.3.5's draft proxy makes fewer pollers for one socket and
        // then adds the control socket to the missing ones (proxy.cpp:346).
        return Err(crate::Error::InvalidArgument(
            "a steerable proxy needs two distinct sockets",
        ));
    }
    match capture {
        Some(capture) => check(&[frontend, backend, capture, control])?,
        None => check(&[frontend, backend, control])?,
    }
    let capture = capture.map_or(ptr::null_mut(), Socket::as_raw);
    // SAFETY: all sockets are live for the call; capture may be NULL.
    cvt(unsafe {
        sys::zmq_proxy_steerable(
            frontend.as_raw(),
            backend.as_raw(),
            capture,
            control.as_raw(),
        )
    })
    .map(drop)
}

/// The old device API (`zmq.device(zmq.QUEUE, f, b)`): the same relay as
/// [`proxy`]; the type is informative.
#[doc(alias = "zmq_device")]
pub fn device(device_type: DeviceType, frontend: &Socket, backend: &Socket) -> Result<()> {
    check(&[frontend, backend])?;
    // SAFETY: both sockets are live for the call.
    cvt(unsafe { sys::zmq_device(device_type as i32, frontend.as_raw(), backend.as_raw()) })
        .map(drop)
}
