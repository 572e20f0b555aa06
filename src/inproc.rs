//! What a context's `inproc://` names are doing, as far as its sockets told
//! us: the binding keeps libzmq away from its inproc failures.
//!
//! Over tcp and ipc, libzmq checks in the ZMTP handshake that the two
//! socket types can talk (a PUSH with a PULL, a ROUTER with a DEALER...)
//! and drops the connection otherwise. Over inproc it does not check, and
//! connections between types that cannot talk make it assert, crash or
//! loop: a PAIR binding a name a ROUTER waits on writes the ROUTER's
//! routing id into a pipe it turned away (pipe.cpp:60); a RADIO binding a
//! name a closed GATHER waited on never returns. So the binding checks
//! inproc connections as ZMTP would (`compatible`, libzmq's own
//! `mechanism_t::check_socket_type`) and refuses the bind or connect that
//! would pair the wrong types.
//!
//! libzmq 4 also lets a socket connect to an inproc name before anything
//! binds it: the connection waits in the context until a bind. Two more
//! things then go wrong in libzmq 4.3.5:
//!
//! - A `disconnect` (or `unbind`) of a connection that still waits tears its
//!   pipe down halfway but leaves it waiting; a later bind of the name then
//!   asserts. So taking back a waiting connection is refused (closing the
//!   socket is the way).
//! - `zmq_ctx_term` binds every name still waited on with a PAIR of its own
//!   (ctx.cpp:137), which turns all but one connection away while their
//!   closed sockets are being torn down by the reaper: with two waiting
//!   connections or more on a name this is a use-after-free (a crash about
//!   once in a thousand terminations here). So before the context shuts
//!   down, the binding binds those names itself with a DEALER, which takes
//!   them all; once the context shuts down no socket could bind them any
//!   more, so the waiting connections lose nothing. The same settling clears
//!   a name of closed sockets that could not talk to the one binding it.

use std::collections::HashMap;

use libc::{c_int, c_void};

use crate::error::{Error, Result};
use crate::{sys, SocketType};

/// A socket whose connection waits for a bind.
#[derive(Debug, Clone, Copy)]
struct Waiting {
    socket: usize,
    socket_type: SocketType,
    /// Closed since (its connection still waits in the context).
    closed: bool,
}

/// The names of one context.
#[derive(Debug, Default)]
pub(crate) struct Names {
    /// Bound names, with the types of the sockets that bound each.
    bound: HashMap<Vec<u8>, Vec<SocketType>>,
    /// Names connected to while not bound.
    waiting: HashMap<Vec<u8>, Vec<Waiting>>,
}

/// Whether sockets of types `a` and `b` can talk (ZMTP's rule, libzmq's
/// `mechanism_t::check_socket_type`); STREAM talks to none over inproc.
pub(crate) fn compatible(a: SocketType, b: SocketType) -> bool {
    use SocketType::*;
    let pair = |x: SocketType, y: SocketType| (a == x && b == y) || (a == y && b == x);
    let classic = pair(REQ, REP)
        || pair(REQ, ROUTER)
        || pair(REP, DEALER)
        || pair(DEALER, DEALER)
        || pair(DEALER, ROUTER)
        || pair(ROUTER, ROUTER)
        || pair(PUSH, PULL)
        || pair(PUB, SUB)
        || pair(PUB, XSUB)
        || pair(XPUB, SUB)
        || pair(XPUB, XSUB)
        || pair(PAIR, PAIR);
    #[cfg(feature = "draft")]
    let classic = classic
        || pair(SERVER, CLIENT)
        || pair(RADIO, DISH)
        || pair(GATHER, SCATTER)
        || pair(DGRAM, DGRAM)
        || pair(PEER, PEER)
        || pair(CHANNEL, CHANNEL);
    classic
}

fn mismatch() -> Error {
    Error::InvalidArgument(
        "these socket types cannot talk (ZMTP's rule, e.g. PUSH with PULL): over inproc libzmq does not check it and fails",
    )
}

/// What a bind needs first.
#[must_use]
pub(crate) enum BindPlan {
    /// Nothing: bind.
    Bind,
    /// Closed sockets of types that cannot talk to the binder still wait on
    /// the name: settle it first (`settle_name`), then bind.
    SettleFirst,
}

impl Names {
    /// Before a socket of `socket_type` binds `name`.
    pub(crate) fn may_bind(&self, name: &[u8], socket_type: SocketType) -> Result<BindPlan> {
        let Some(waiting) = self.waiting.get(name) else {
            return Ok(BindPlan::Bind);
        };
        let wrong = |w: &&Waiting| !compatible(w.socket_type, socket_type);
        if waiting.iter().filter(|w| !w.closed).any(|w| wrong(&w)) {
            return Err(mismatch());
        }
        if waiting.iter().any(|w| wrong(&w)) {
            if waiting.iter().any(|w| !w.closed) {
                return Err(Error::InvalidArgument(
                    "closed sockets of types that cannot talk to this one still wait on this inproc name, beside open ones that can: libzmq cannot sort them out",
                ));
            }
            return Ok(BindPlan::SettleFirst);
        }
        Ok(BindPlan::Bind)
    }

    /// A socket of `socket_type` bound `name`: the connections waiting for
    /// it are made.
    pub(crate) fn bound(&mut self, name: &[u8], socket_type: SocketType) {
        self.bound
            .entry(name.to_vec())
            .or_default()
            .push(socket_type);
        self.waiting.remove(name);
    }

    /// Before a socket of `socket_type` connects to `name`.
    pub(crate) fn may_connect(&self, name: &[u8], socket_type: SocketType) -> Result<()> {
        match self.bound.get(name) {
            Some(binders) if binders.iter().any(|b| !compatible(*b, socket_type)) => {
                Err(mismatch())
            }
            _ => Ok(()),
        }
    }

    /// A socket of `socket_type` unbound `name`, or closed while bound to it.
    pub(crate) fn unbound(&mut self, name: &[u8], socket_type: SocketType) {
        if let Some(binders) = self.bound.get_mut(name) {
            if let Some(i) = binders.iter().position(|b| *b == socket_type) {
                binders.remove(i);
            }
            if binders.is_empty() {
                self.bound.remove(name);
            }
        }
    }

    /// A socket connected to `name`; it waits if nothing bound it.
    pub(crate) fn connected(&mut self, name: &[u8], socket: *mut c_void, socket_type: SocketType) {
        if !self.bound.contains_key(name) {
            self.waiting
                .entry(name.to_vec())
                .or_default()
                .push(Waiting {
                    socket: socket as usize,
                    socket_type,
                    closed: false,
                });
        }
    }

    /// Before `socket` disconnects from (or unbinds) `name`.
    pub(crate) fn may_disconnect(&self, name: &[u8], socket: *mut c_void) -> Result<()> {
        let waits = self
            .waiting
            .get(name)
            .is_some_and(|w| w.iter().any(|w| w.socket == socket as usize && !w.closed));
        if waits {
            return Err(Error::InvalidArgument(
                "this socket's inproc connection still waits for a bind; libzmq cannot take it back until then (it would abort later): close the socket instead",
            ));
        }
        Ok(())
    }

    /// `socket` closed: its waiting connections stay, harmlessly.
    pub(crate) fn closed(&mut self, socket: *mut c_void) {
        for waiting in self.waiting.values_mut() {
            for w in waiting.iter_mut().filter(|w| w.socket == socket as usize) {
                w.closed = true;
            }
        }
    }

    /// Binds every name still waited on with a DEALER of libzmq's own,
    /// before the context shuts down.
    ///
    /// # Safety
    /// `ctx` is a live libzmq context that has not been shut down.
    pub(crate) unsafe fn settle(&mut self, ctx: *mut c_void) {
        let names: Vec<Vec<u8>> = self.waiting.drain().map(|(name, _)| name).collect();
        // SAFETY: the caller's promise.
        unsafe { settle_names(ctx, &names, false) };
    }

    /// Settles one name before a bind: its waiting connections (of closed
    /// sockets) are made to a DEALER that takes them all, which then lets
    /// the name go again at once (`zmq_unbind`) and closes.
    ///
    /// # Safety
    /// `ctx` is a live libzmq context.
    pub(crate) unsafe fn settle_name(&mut self, ctx: *mut c_void, name: &[u8]) {
        self.waiting.remove(name);
        // SAFETY: the caller's promise.
        unsafe { settle_names(ctx, &[name.to_vec()], true) };
    }
}

/// Binds `names` with one DEALER, then (if `release`) unbinds them, and
/// closes it.
///
/// # Safety
/// `ctx` is a live libzmq context.
unsafe fn settle_names(ctx: *mut c_void, names: &[Vec<u8>], release: bool) {
    if names.is_empty() {
        return;
    }
    {
        // SAFETY: (the caller's promise) `ctx` is live. The settler is
        // libzmq's own socket, used and closed here, within the headroom
        // libzmq is given above MAX_SOCKETS; the names are NUL-free
        // endpoints that were connected to (CString checks again).
        unsafe {
            let settler = sys::zmq_socket(ctx, sys::ZMQ_DEALER);
            if settler.is_null() {
                return;
            }
            let zero: c_int = 0;
            sys::zmq_setsockopt(
                settler,
                sys::ZMQ_LINGER,
                (&zero as *const c_int).cast(),
                std::mem::size_of::<c_int>(),
            );
            for name in names {
                if let Ok(name) = std::ffi::CString::new(name.as_slice()) {
                    if sys::zmq_bind(settler, name.as_ptr()) == 0 && release {
                        sys::zmq_unbind(settler, name.as_ptr());
                    }
                }
            }
            sys::zmq_close(settler);
        }
    }
}
