//! `zmq.Socket`.

use std::ffi::CString;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use libc::{c_int, c_void};

use crate::context::{lock, ContextInner};
use crate::error::{c_string, cvt, Error, Result};
use crate::poll::{IntoTimeout, PollEvents};
use crate::sockopt::{
    Encoded, OptionKind, OptionValue, Readable, SocketOption, TextKind, Writable,
};
use crate::{sys, Context, Event, Flags, Message, SocketType};

/// A libzmq socket (pyzmq's `zmq.Socket`), made by [`Context::socket`].
///
/// A `Socket` is `Send` but not `Sync`: it can move to another thread, but
/// only one thread uses it at a time, as libzmq requires of its classic
/// socket types. Every method takes `&self`, so a socket registered in a
/// [`Poller`](crate::Poller) stays usable. Dropping it closes it (its
/// `LINGER` applies); [`close`](Self::close) does the same and reports errors.
///
/// ```compile_fail
/// fn shared<T: Sync>(_: T) {}
/// shared(zmq::Context::new().socket(zmq::PAIR).unwrap()); // Socket is !Sync
/// ```
///
/// ```
/// fn movable<T: Send>(_: T) {}
/// movable(zmq::Context::new().socket(zmq::PAIR).unwrap());
/// ```
pub struct Socket {
    raw: *mut c_void,
    socket_type: SocketType,
    ctx: Arc<ContextInner>,
    /// The `inproc://` endpoints this socket is bound to, unbound before it
    /// closes: libzmq releases them only when its reaper destroys the socket,
    /// later, so binding the name again at once could fail (EADDRINUSE).
    inproc_binds: Mutex<Vec<CString>>,
    /// The endpoint of the monitor this socket runs, if any.
    /// Held for the whole of a monitor's start or stop, so that two
    /// threads of a thread-safe socket cannot interleave them.
    monitor_endpoint: Mutex<Option<CString>>,
    /// The socket has bound or connected: it may have pipes.
    attached: AtomicBool,
    /// The CONNECT_ROUTING_IDs given so far: libzmq asserts when one is
    /// used while a connection with that id exists (router.cpp:438).
    connect_ids: Mutex<Vec<Vec<u8>>>,
    /// Sends need a check first (see `guard_send`): DGRAM and RADIO.
    #[cfg(feature = "draft")]
    send_guard: AtomicBool,
    /// Held across each bind/connect with its `attached` update and across
    /// an HWM's check and set: on a thread-safe socket used by several
    /// threads, no HWM is set while a connection is made (libzmq #4524).
    attach: Mutex<()>,
    /// A RADIO's: true once it has a `udp://` endpoint. Written (held
    /// exclusively) across a udp bind/connect, read (shared) across a send
    /// too big for udp, so that no udp endpoint appears under such a send.
    #[cfg(feature = "draft")]
    udp: std::sync::RwLock<bool>,
}

// SAFETY: libzmq's classic sockets may be used from any thread as long as
// only one thread uses them at a time with a full memory barrier in between
// (zmq_socket(3)); moving a Socket to another thread provides exactly that.
// It is deliberately not Sync: `&Socket` from two threads would race.
unsafe impl Send for Socket {}

/// Something `send` takes: bytes to copy (`&[u8]`, `&str`, `b"..."`,
/// `&Vec<u8>`), or a buffer to hand over (`Vec<u8>`, `String`, `Box<[u8]>`,
/// [`Message`]).
///
/// Borrowed bytes cost one copy, made by libzmq into its message; owned
/// buffers are given to libzmq without copying (buffers up to 33 bytes, which
/// libzmq stores inside the message itself, are copied there instead of
/// paying for zero-copy's bookkeeping).
///
/// The crate implements it for these types only (the trait is sealed).
pub trait Sendable: sealed::Sealed {
    #[doc(hidden)]
    fn send_to(self, socket: &Socket, flags: c_int) -> Result<()>;
    /// What `zmq::asyncio`'s `send` keeps of the data between attempts:
    /// borrowed bytes, or a message, each a type of its own, so that an
    /// attempt sends without first asking which kind it holds.
    #[doc(hidden)]
    type Retry<'p>: Retry<'p>
    where
        Self: 'p;
    #[doc(hidden)]
    fn into_retry<'p>(self) -> Self::Retry<'p>
    where
        Self: 'p;
    /// The data as a part that can be offered again after `EAGAIN`
    /// (`zmq::asyncio` retries a send until the socket takes it).
    #[doc(hidden)]
    #[inline]
    fn into_part<'p>(self) -> Part<'p>
    where
        Self: Sized + 'p,
    {
        self.into_retry().into_part()
    }
}

/// Only this crate implements [`Sendable`]: its methods are the crate's
/// own business (hidden, and free to change).
mod sealed {
    pub trait Sealed {}
}

/// Data that a failed send leaves intact, so that it can be sent again
/// ([`Sendable::Retry`]).
#[doc(hidden)]
pub trait Retry<'p>: Send + Unpin {
    /// Sends the data; on failure it is unchanged and can be sent again.
    fn send_again(&mut self, socket: &Socket, flags: c_int) -> Result<()>;
    /// The data as a [`Part`].
    fn into_part(self) -> Part<'p>;
}

impl<'p> Retry<'p> for &'p [u8] {
    #[inline(always)]
    fn send_again(&mut self, socket: &Socket, flags: c_int) -> Result<()> {
        send_bytes(socket, self, flags)
    }
    #[inline]
    fn into_part(self) -> Part<'p> {
        Part::Bytes(self)
    }
}

impl<'p> Retry<'p> for Message {
    #[inline(always)]
    fn send_again(&mut self, socket: &Socket, flags: c_int) -> Result<()> {
        self.send_to(socket, flags)
    }
    #[inline]
    fn into_part(self) -> Part<'p> {
        Part::Msg(self)
    }
}

impl<'p> Retry<'p> for &'p mut Message {
    #[inline(always)]
    fn send_again(&mut self, socket: &Socket, flags: c_int) -> Result<()> {
        (&mut **self).send_to(socket, flags)
    }
    #[inline]
    fn into_part(self) -> Part<'p> {
        Part::MsgRef(self)
    }
}

/// What [`Sendable::into_part`] gives: data that a failed send leaves
/// intact, so that it can be sent again.
#[doc(hidden)]
#[derive(Debug)]
pub enum Part<'p> {
    /// Bytes libzmq copies on each attempt (only the one that succeeds
    /// copies for good).
    Bytes(&'p [u8]),
    /// A message of our own, sent without copying.
    Msg(Message),
    /// The caller's message: emptied once sent, as `send(&mut msg)` does.
    MsgRef(&'p mut Message),
}

/// A part of any kind, for the sends that hold several (multipart) or
/// change the message first (addressed): each attempt asks which it is.
impl<'p> Retry<'p> for Part<'p> {
    #[inline(always)]
    fn send_again(&mut self, socket: &Socket, flags: c_int) -> Result<()> {
        match self {
            Part::Bytes(bytes) => bytes.send_again(socket, flags),
            Part::Msg(msg) => msg.send_again(socket, flags),
            Part::MsgRef(msg) => msg.send_again(socket, flags),
        }
    }
    #[inline]
    fn into_part(self) -> Part<'p> {
        self
    }
}

impl Part<'_> {
    /// The part as a message of its own (the bytes copied, the caller's
    /// message moved out and left empty).
    #[cfg(any(feature = "tokio", feature = "draft"))]
    pub(crate) fn into_message(self) -> Message {
        match self {
            Part::Bytes(bytes) => Message::from(bytes),
            Part::Msg(msg) => msg,
            Part::MsgRef(msg) => std::mem::take(msg),
        }
    }
}

#[inline]
fn send_bytes(socket: &Socket, data: &[u8], flags: c_int) -> Result<()> {
    #[cfg(feature = "draft")]
    let _held = if socket.send_guard.load(Ordering::Relaxed) {
        socket.guard_send(data.len(), 0, flags)?
    } else {
        None
    };
    // SAFETY: `data` is valid for its length during the call; libzmq copies
    // it before returning. The socket is live while borrowed.
    let rc = unsafe { sys::zmq_send(socket.raw, data.as_ptr().cast(), data.len(), flags) };
    cvt(rc).map(drop)
}

/// The `Sendable` impls for plain data: what the data becomes for an
/// async send's attempts (`Retry`: borrowed bytes, or a message made once),
/// and how a sync send sends it.
macro_rules! sendable {
    ($($(const $n:ident,)? $ty:ty => $retry:ty:
        |$r:ident| $into:expr, |$d:ident, $s:ident, $f:ident| $send:expr;)*) => {$(
        impl$(<const $n: usize>)? sealed::Sealed for $ty {}
        impl$(<const $n: usize>)? Sendable for $ty {
            type Retry<'p>
                = $retry
            where
                Self: 'p;
            #[inline(always)]
            fn into_retry<'p>(self) -> Self::Retry<'p>
            where
                Self: 'p,
            {
                let $r = self;
                $into
            }
            #[inline]
            fn send_to(self, $s: &Socket, $f: c_int) -> Result<()> {
                let $d = self;
                $send
            }
        }
    )*};
}

sendable! {
    &[u8] => &'p [u8]:
        |data| data,
        |data, s, f| send_bytes(s, data, f);
    const N, &[u8; N] => &'p [u8]:
        |data| data,
        |data, s, f| send_bytes(s, data, f);
    const N, [u8; N] => Message:
        |data| Message::from(&data),
        |data, s, f| send_bytes(s, &data, f);
    &Vec<u8> => &'p [u8]:
        |data| data,
        |data, s, f| send_bytes(s, data, f);
    &str => &'p [u8]:
        |data| data.as_bytes(),
        |data, s, f| send_bytes(s, data.as_bytes(), f);
    &String => &'p [u8]:
        |data| data.as_bytes(),
        |data, s, f| send_bytes(s, data.as_bytes(), f);
    Vec<u8> => Message:
        |data| Message::from(data),
        |data, s, f| Message::from(data).send_to(s, f);
    String => Message:
        |data| Message::from(data.into_bytes()),
        |data, s, f| Message::from(data.into_bytes()).send_to(s, f);
    Box<[u8]> => Message:
        |data| Message::from(data),
        |data, s, f| Message::from(data).send_to(s, f);
    Message => Message:
        |data| data,
        |data, s, f| {
            let mut data = data;
            send_message::<false>(s, &mut data, f)
        };
    &mut Message => &'p mut Message:
        |data| data,
        |data, s, f| send_message::<true>(s, data, f);
}

/// Sends the message's content: on success libzmq takes it and leaves the
/// message empty (an owned message is then closed, a no-op; a borrowed one,
/// `send(&mut msg)`, `BORROWED`, is made ready for reuse: its origin, if
/// any, dropped too); on failure it is unchanged.
#[inline]
fn send_message<const BORROWED: bool>(
    socket: &Socket,
    msg: &mut Message,
    flags: c_int,
) -> Result<()> {
    #[cfg(feature = "draft")]
    let _held = if socket.send_guard.load(Ordering::Relaxed) {
        socket.guard_send(msg.len(), msg.group_len(), flags)?
    } else {
        None
    };
    // SAFETY: both are live; libzmq takes the content only on success.
    let rc = unsafe { sys::zmq_msg_send(msg.as_raw_mut(), socket.raw, flags) };
    cvt(rc)?;
    if BORROWED {
        msg.forget_origin();
    }
    Ok(())
}

/// The reader of [`Socket::get_monitor_socket`]: a PAIR socket (use it
/// through `Deref` as any [`Socket`]: `recv_monitor_message(&monitor, 0)`,
/// `poller.register(&monitor, zmq::POLLIN)`) that borrows the monitored
/// socket and stops its monitor when dropped.
///
/// Because it borrows the monitored socket, both stay in one thread and the
/// monitored socket cannot be closed first; `ctx.destroy` still ends both.
///
/// ```compile_fail
/// fn sendable<T: Send>(_: T) {}
/// let ctx = zmq::Context::new();
/// let s = ctx.socket(zmq::REP).unwrap();
/// sendable(s.get_monitor_socket(zmq::EVENT_ALL).unwrap()); // not Send
/// ```
///
/// ```compile_fail
/// let ctx = zmq::Context::new();
/// let s = ctx.socket(zmq::REP).unwrap();
/// let monitor = s.get_monitor_socket(zmq::EVENT_ALL).unwrap();
/// s.close().unwrap(); // the reader still borrows it
/// drop(monitor);
/// ```
pub struct MonitorSocket<'a> {
    reader: Socket,
    monitored: &'a Socket,
    /// The monitor's endpoint: dropping the reader stops this monitor, not
    /// one started since (from another thread of a thread-safe socket).
    endpoint: CString,
}

impl std::ops::Deref for MonitorSocket<'_> {
    type Target = Socket;
    fn deref(&self) -> &Socket {
        &self.reader
    }
}

impl Drop for MonitorSocket<'_> {
    fn drop(&mut self) {
        // Before the reader goes: libzmq would otherwise block on its next
        // event. This does not block either: MONITOR_STOPPED (if asked for)
        // goes into the reader's unbounded queue. A terminated context
        // refuses (ETERM), and then its sockets no longer block anyway.
        self.monitored.stop_monitor_if(&self.endpoint);
    }
}

impl std::fmt::Debug for MonitorSocket<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MonitorSocket")
            .field("reader", &self.reader)
            .field("monitored", &self.monitored)
            .finish()
    }
}

/// Distinct names for `get_monitor_socket` endpoints.
static MONITOR_COUNTER: AtomicUsize = AtomicUsize::new(0);

impl Socket {
    pub(crate) fn from_parts(
        raw: *mut c_void,
        socket_type: SocketType,
        ctx: Arc<ContextInner>,
    ) -> Socket {
        Socket {
            raw,
            socket_type,
            ctx,
            inproc_binds: Mutex::new(Vec::new()),
            monitor_endpoint: Mutex::new(None),
            attached: AtomicBool::new(false),
            connect_ids: Mutex::new(Vec::new()),
            #[cfg(feature = "draft")]
            send_guard: AtomicBool::new(matches!(
                socket_type,
                SocketType::DGRAM | SocketType::RADIO
            )),
            attach: Mutex::new(()),
            #[cfg(feature = "draft")]
            udp: std::sync::RwLock::new(false),
        }
    }

    /// The libzmq socket, for `zmq::sys` calls. Valid while `self` lives.
    #[inline]
    pub fn as_raw(&self) -> *mut c_void {
        self.raw
    }

    /// The socket's context (pyzmq's `s.context`).
    pub fn context(&self) -> Context {
        Context::from_inner(Arc::clone(&self.ctx))
    }

    /// The socket's type (pyzmq's `s.type`).
    pub fn socket_type(&self) -> SocketType {
        self.socket_type
    }

    /// Accepts connections on an endpoint (`s.bind("tcp://*:5555")`).
    /// Errors name the endpoint.
    ///
    /// An `inproc://` name is free again as soon as this socket is closed
    /// (the binding unbinds it first; libzmq alone releases it later, from
    /// its reaper thread). A `tcp://` or `ipc://` address is released by
    /// libzmq's I/O thread shortly after `close`/`unbind` returns: binding
    /// the same address again at once can fail with `EADDRINUSE` for a
    /// moment (as in C and pyzmq); bind `tcp://127.0.0.1:*` where you can.
    #[doc(alias = "zmq_bind")]
    pub fn bind(&self, endpoint: &str) -> Result<()> {
        crate::checks::endpoint(self, endpoint, true)?;
        let inproc = endpoint.starts_with("inproc://");
        if inproc {
            let mut names = self.ctx.inproc();
            if let crate::inproc::BindPlan::SettleFirst =
                names.may_bind(endpoint.as_bytes(), self.socket_type)?
            {
                // SAFETY: the context is live while this socket is.
                unsafe { names.settle_name(self.ctx.raw(), endpoint.as_bytes()) };
            }
        }
        let c_endpoint =
            self.attach_call(endpoint, |s| s.endpoint_call(endpoint, sys::zmq_bind))?;
        if inproc {
            self.ctx
                .inproc()
                .bound(endpoint.as_bytes(), self.socket_type);
            lock(&self.inproc_binds).push(c_endpoint);
        }
        Ok(())
    }

    /// What libzmq 4.3.5 gets wrong on some sends, checked first:
    ///
    /// - its UDP engine copies a message into a fixed 8 KiB buffer without
    ///   checking the size (udp_engine.cpp:443, a heap overflow): RADIO over
    ///   `udp://` and DGRAM messages must fit;
    /// - a DGRAM socket without its pipe (no endpoint yet, or the engine not
    ///   attached yet) closes the message and reports a stale errno
    ///   (dgram.cpp:64): a blocking send then asserts on the closed message,
    ///   and the caller's message is left invalid. So a DGRAM send waits for
    ///   `POLLOUT` first, as long as SNDTIMEO (or DONTWAIT) allows, and
    ///   reports `Again` when it does not come.
    ///
    /// A RADIO message too big for udp holds the `udp` lock (shared)
    /// through its send (the guard returned): another thread of a
    /// thread-safe RADIO cannot add a udp endpoint between the check and
    /// the send (its connect waits for such a send to end).
    #[cfg(feature = "draft")]
    fn guard_send(
        &self,
        len: usize,
        group_len: usize,
        flags: c_int,
    ) -> Result<Option<std::sync::RwLockReadGuard<'_, bool>>> {
        if self.socket_type == SocketType::RADIO {
            if crate::checks::udp_message(len, group_len).is_ok() {
                return Ok(None);
            }
            let udp = self.udp.read().unwrap_or_else(|p| p.into_inner());
            if *udp {
                crate::checks::udp_message(len, group_len)?;
            }
            return Ok(Some(udp));
        }
        crate::checks::udp_message(len, group_len)?;
        if self.socket_type == SocketType::DGRAM {
            if self.events()?.contains(PollEvents::POLLOUT) {
                return Ok(None);
            }
            if flags & sys::ZMQ_DONTWAIT != 0 {
                return Err(Error::Again);
            }
            let timeout = self.sndtimeo()?;
            if self
                .poll(timeout, PollEvents::POLLOUT)?
                .contains(PollEvents::POLLOUT)
            {
                return Ok(None);
            }
            return Err(Error::Again);
        }
        Ok(None)
    }

    /// Makes a bind or connect (`call`) and notes it, the `attach` lock
    /// held (and, for a RADIO's udp endpoint, the `udp` one exclusively).
    fn attach_call<T>(&self, endpoint: &str, call: impl FnOnce(&Socket) -> Result<T>) -> Result<T> {
        let _attach = lock(&self.attach);
        #[cfg(feature = "draft")]
        let mut udp = (self.socket_type == SocketType::RADIO && endpoint.starts_with("udp://"))
            .then(|| self.udp.write().unwrap_or_else(|p| p.into_inner()));
        let _ = endpoint;
        let result = call(self)?;
        self.attached.store(true, Ordering::Relaxed);
        #[cfg(feature = "draft")]
        if let Some(udp) = udp.as_mut() {
            **udp = true;
        }
        Ok(result)
    }

    /// Connects to an endpoint (`s.connect("tcp://localhost:5555")`).
    #[doc(alias = "zmq_connect")]
    pub fn connect(&self, endpoint: &str) -> Result<()> {
        crate::checks::endpoint(self, endpoint, false)?;
        if endpoint.starts_with("inproc://") {
            self.ctx
                .inproc()
                .may_connect(endpoint.as_bytes(), self.socket_type)?;
        }
        self.attach_call(endpoint, |s| s.endpoint_call(endpoint, sys::zmq_connect))?;
        if endpoint.starts_with("inproc://") {
            self.ctx
                .inproc()
                .connected(endpoint.as_bytes(), self.raw, self.socket_type);
        }
        Ok(())
    }

    /// Stops accepting on an endpoint bound before (`s.unbind(a)`); for a
    /// wildcard bind, pass [`last_endpoint`](Self::last_endpoint).
    #[doc(alias = "zmq_unbind")]
    pub fn unbind(&self, endpoint: &str) -> Result<()> {
        self.may_take_back(endpoint)?;
        let c_endpoint = self.endpoint_call(endpoint, sys::zmq_unbind)?;
        self.released(&c_endpoint);
        Ok(())
    }

    /// After `unbind` or `disconnect` worked: for inproc, libzmq treats both
    /// alike (a name this socket bound is unbound, else its connections to
    /// it end), so a `disconnect` of a bound name unbinds it too.
    fn released(&self, c_endpoint: &CString) {
        let mut binds = lock(&self.inproc_binds);
        if let Some(i) = binds.iter().position(|e| e == c_endpoint) {
            binds.remove(i);
            self.ctx
                .inproc()
                .unbound(c_endpoint.as_bytes(), self.socket_type);
        }
    }

    /// Disconnects from an endpoint connected before (`s.disconnect(a)`).
    #[doc(alias = "zmq_disconnect")]
    ///
    /// An `inproc://` connection that still waits for its name to be bound
    /// cannot be taken back (libzmq would tear it down halfway and abort at
    /// the bind): that is an error; close the socket instead.
    pub fn disconnect(&self, endpoint: &str) -> Result<()> {
        self.may_take_back(endpoint)?;
        let c_endpoint = self.endpoint_call(endpoint, sys::zmq_disconnect)?;
        self.released(&c_endpoint);
        Ok(())
    }

    /// Refuses to disconnect (or unbind) an inproc connection that waits for
    /// a bind (see `inproc`).
    fn may_take_back(&self, endpoint: &str) -> Result<()> {
        let bound_here = lock(&self.inproc_binds)
            .iter()
            .any(|e| e.as_bytes() == endpoint.as_bytes());
        // (libzmq unbinds a name this socket bound, and leaves its
        // connections alone.)
        if endpoint.starts_with("inproc://") && !bound_here {
            self.ctx
                .inproc()
                .may_disconnect(endpoint.as_bytes(), self.raw)?;
        }
        Ok(())
    }

    /// Calls `bind`/`connect`/`unbind`/`disconnect`; gives back the C
    /// endpoint on success.
    fn endpoint_call(
        &self,
        endpoint: &str,
        call: unsafe extern "C-unwind" fn(*mut c_void, *const libc::c_char) -> c_int,
    ) -> Result<CString> {
        let c_endpoint = c_string("endpoint", endpoint)?;
        // SAFETY: the socket is live and `c_endpoint` is NUL-terminated and
        // outlives the call.
        let rc = unsafe { call(self.raw, c_endpoint.as_ptr()) };
        if rc == -1 {
            return Err(Error::last_for_endpoint(endpoint));
        }
        Ok(c_endpoint)
    }

    /// Binds to a port the OS chooses and returns it
    /// (`port = s.bind_to_random_port("tcp://127.0.0.1")`).
    ///
    /// ```
    /// let s = zmq::Context::new().socket(zmq::PULL)?;
    /// let port: u16 = s.bind_to_random_port("tcp://127.0.0.1")?;
    /// assert_eq!(s.last_endpoint()?, format!("tcp://127.0.0.1:{port}"));
    /// # Ok::<(), zmq::Error>(())
    /// ```
    pub fn bind_to_random_port(&self, addr: &str) -> Result<u16> {
        self.bind(&format!("{addr}:*"))?;
        let endpoint = self.last_endpoint()?;
        endpoint
            .rsplit(':')
            .next()
            .and_then(|port| port.parse().ok())
            .ok_or(Error::InvalidArgument("last endpoint has no port"))
    }

    /// Binds to a random port in `min_port..max_port`, trying at most
    /// `max_tries` ports (pyzmq's `bind_to_random_port(a, min_port=m,
    /// max_port=M, max_tries=n)`); [`Error::BindRandomPort`] when every try
    /// found its port taken.
    pub fn bind_to_random_port_range(
        &self,
        addr: &str,
        min_port: u16,
        max_port: u32,
        max_tries: u32,
    ) -> Result<u16> {
        let span = max_port.saturating_sub(u32::from(min_port));
        if span == 0 {
            return Err(Error::InvalidArgument("empty port range"));
        }
        let random = std::collections::hash_map::RandomState::new();
        for attempt in 0..max_tries {
            let mut hasher = random.build_hasher();
            hasher.write_u32(attempt);
            let port = u32::from(min_port) + (hasher.finish() % u64::from(span)) as u32;
            let Ok(port) = u16::try_from(port) else {
                continue;
            };
            match self.bind(&format!("{addr}:{port}")) {
                Ok(()) => return Ok(port),
                Err(e) if e.errno() == libc::EADDRINUSE || e.errno() == libc::EACCES => continue,
                Err(e) => return Err(e),
            }
        }
        Err(Error::BindRandomPort {
            addr: addr.to_string(),
            tries: max_tries,
        })
    }

    /// Sends one message part (`s.send(b"x")`, `s.send(b"x", zmq.SNDMORE)`).
    /// `flags` is `0`, [`DONTWAIT`](crate::DONTWAIT),
    /// [`SNDMORE`](crate::SNDMORE), or both (`DONTWAIT | SNDMORE`).
    ///
    /// `&[u8]`/`&str` are copied once by libzmq; `Vec<u8>`, `String`,
    /// `Box<[u8]>` and [`Message`] are handed over without copying.
    ///
    /// ```
    /// let ctx = zmq::Context::new();
    /// let (a, b) = (ctx.socket(zmq::PAIR)?, ctx.socket(zmq::PAIR)?);
    /// a.bind("inproc://send-doc")?;
    /// b.connect("inproc://send-doc")?;
    /// a.send(b"head", zmq::SNDMORE)?;
    /// a.send(vec![1, 2, 3], 0)?;
    /// assert_eq!(b.recv_multipart(0)?, vec![b"head".to_vec(), vec![1, 2, 3]]);
    /// # Ok::<(), zmq::Error>(())
    /// ```
    #[doc(alias = "zmq_send", alias = "zmq_msg_send")]
    #[inline]
    pub fn send<T: Sendable>(&self, data: T, flags: impl Into<Flags>) -> Result<()> {
        data.send_to(self, flags.into().bits())
    }

    /// Sends text (`s.send_string(u)`): its UTF-8 bytes, copied once.
    pub fn send_string(&self, text: &str, flags: impl Into<Flags>) -> Result<()> {
        send_bytes(self, text.as_bytes(), flags.into().bits())
    }

    /// Sends a multipart message (`s.send_multipart([a, b"", c])`): every
    /// part but the last with `SNDMORE`. Parts are any one `Sendable` type
    /// (`[b"A".as_slice(), b"", b"msg"]`, `Vec<Vec<u8>>`, `Vec<Message>`).
    ///
    /// `flags` apply to every part, as in pyzmq: with `SNDMORE` the last
    /// part is sent with it too, so the message stays open for a following
    /// `send`. An empty list is an error ([`Error::InvalidArgument`]; pyzmq
    /// raises `IndexError`): there is no message to send.
    ///
    /// Everything that can be checked is checked before the first part is
    /// sent: the draft thread-safe socket types refuse multipart messages
    /// with `EINVAL` and nothing is sent.
    ///
    /// ```
    /// let ctx = zmq::Context::new();
    /// let (a, b) = (ctx.socket(zmq::PAIR)?, ctx.socket(zmq::PAIR)?);
    /// a.bind("inproc://send-multipart-doc")?;
    /// b.connect("inproc://send-multipart-doc")?;
    /// a.send_multipart(["envelope", ""], zmq::SNDMORE)?; // still open
    /// a.send("body", 0)?;
    /// assert_eq!(b.recv_multipart(0)?, [b"envelope".to_vec(), vec![], b"body".to_vec()]);
    /// assert!(a.send_multipart(Vec::<Vec<u8>>::new(), 0).is_err());
    /// # Ok::<(), zmq::Error>(())
    /// ```
    pub fn send_multipart<I>(&self, parts: I, flags: impl Into<Flags>) -> Result<()>
    where
        I: IntoIterator,
        I::Item: Sendable,
    {
        let flags = flags.into().bits();
        let mut parts = parts.into_iter().peekable();
        let Some(mut part) = parts.next() else {
            return Err(Error::InvalidArgument(
                "send_multipart needs at least one part",
            ));
        };
        if parts.peek().is_some() && self.socket_type.is_thread_safe() {
            return Err(Error::Zmq {
                errno: libc::EINVAL,
            });
        }
        loop {
            match parts.next() {
                Some(next) => {
                    part.send_to(self, flags | sys::ZMQ_SNDMORE)?;
                    part = next;
                }
                None => return part.send_to(self, flags),
            }
        }
    }

    /// Sends `serialize(msg)`'s parts as one multipart message
    /// (`s.send_serialized(m, f)`).
    pub fn send_serialized<M, F, I>(
        &self,
        msg: &M,
        serialize: F,
        flags: impl Into<Flags>,
    ) -> Result<()>
    where
        M: ?Sized,
        F: FnOnce(&M) -> I,
        I: IntoIterator,
        I::Item: Sendable,
    {
        self.send_multipart(serialize(msg), flags)
    }

    /// Receives one message part as bytes (`s.recv()`): one copy out of
    /// libzmq's message. Use [`recv_msg`](Self::recv_msg) to avoid it.
    #[doc(alias = "zmq_msg_recv")]
    #[inline]
    pub fn recv(&self, flags: impl Into<Flags>) -> Result<Vec<u8>> {
        Ok(self.recv_msg(flags)?.to_vec())
    }

    /// Receives one message part without copying (`s.recv(copy=False)`).
    #[inline]
    pub fn recv_msg(&self, flags: impl Into<Flags>) -> Result<Message> {
        let mut msg = Message::new();
        self.recv_msg_into(&mut msg, flags)?;
        Ok(msg)
    }

    /// Receives into an existing message, replacing its content: a loop can
    /// reuse one `Message` for every part.
    #[inline]
    pub fn recv_msg_into(&self, msg: &mut Message, flags: impl Into<Flags>) -> Result<()> {
        msg.forget_origin();
        // SAFETY: both are live; zmq_msg_recv releases the old content first.
        let rc = unsafe { sys::zmq_msg_recv(msg.as_raw_mut(), self.raw, flags.into().bits()) };
        cvt(rc).map(drop)
    }

    /// Receives into a buffer (`n = s.recv_into(buf)`), allocating nothing.
    /// Returns the part's full size (libzmq caps it at `i32::MAX`): when it
    /// exceeds `buf.len()` the part was truncated to fit.
    #[doc(alias = "zmq_recv")]
    #[inline]
    pub fn recv_into(&self, buf: &mut [u8], flags: impl Into<Flags>) -> Result<usize> {
        // SAFETY: `buf` is writable for its length; libzmq writes at most that.
        let rc = unsafe {
            sys::zmq_recv(
                self.raw,
                buf.as_mut_ptr().cast(),
                buf.len(),
                flags.into().bits(),
            )
        };
        Ok(cvt(rc)? as usize)
    }

    /// Receives one part as text (`s.recv_string()`). Invalid UTF-8 gives
    /// [`Error::Utf8`], which holds the bytes (`into_bytes()`).
    pub fn recv_string(&self, flags: impl Into<Flags>) -> Result<String> {
        Ok(String::from_utf8(self.recv(flags)?)?)
    }

    /// Receives every part of one message (`s.recv_multipart()`).
    pub fn recv_multipart(&self, flags: impl Into<Flags>) -> Result<Vec<Vec<u8>>> {
        let flags = flags.into();
        let mut msg = Message::new();
        let mut parts = Vec::new();
        loop {
            self.recv_msg_into(&mut msg, flags)?;
            parts.push(msg.to_vec());
            if !msg.more() {
                return Ok(parts);
            }
        }
    }

    /// Receives every part of one message without copying.
    pub fn recv_multipart_msg(&self, flags: impl Into<Flags>) -> Result<Vec<Message>> {
        let flags = flags.into();
        let mut parts = Vec::new();
        loop {
            let msg = self.recv_msg(flags)?;
            let more = msg.more();
            parts.push(msg);
            if !more {
                return Ok(parts);
            }
        }
    }

    /// Receives a multipart message and returns `deserialize(parts)`
    /// (`s.recv_serialized(f)`).
    pub fn recv_serialized<T, F>(&self, deserialize: F, flags: impl Into<Flags>) -> Result<T>
    where
        F: FnOnce(Vec<Vec<u8>>) -> T,
    {
        Ok(deserialize(self.recv_multipart(flags)?))
    }

    /// Sends a value as JSON (`s.send_json(obj)`, feature `json`).
    #[cfg(feature = "json")]
    pub fn send_json<T: serde::Serialize + ?Sized>(
        &self,
        value: &T,
        flags: impl Into<Flags>,
    ) -> Result<()> {
        self.send(serde_json::to_vec(value)?, flags)
    }

    /// Receives a JSON value (`s.recv_json()`, feature `json`).
    #[cfg(feature = "json")]
    pub fn recv_json<T: serde::de::DeserializeOwned>(&self, flags: impl Into<Flags>) -> Result<T> {
        let msg = self.recv_msg(flags)?;
        Ok(serde_json::from_slice(&msg)?)
    }

    /// Sets an option (`s.setsockopt(zmq.LINGER, 0)`); the option constant
    /// fixes the value's type.
    ///
    /// ```
    /// let s = zmq::Context::new().socket(zmq::SUB)?;
    /// s.setsockopt(zmq::SUBSCRIBE, b"10001")?;
    /// s.setsockopt(zmq::LINGER, 0)?;
    /// s.set(zmq::RCVHWM, 100)?;
    /// assert_eq!(s.getsockopt(zmq::LINGER)?, 0);
    /// assert_eq!(s.get(zmq::RCVMORE)?, false);
    /// # Ok::<(), zmq::Error>(())
    /// ```
    ///
    /// ```compile_fail
    /// let s = zmq::Context::new().socket(zmq::SUB).unwrap();
    /// s.setsockopt(zmq::LINGER, b"zero").unwrap(); // LINGER takes an i32
    /// ```
    #[doc(alias = "zmq_setsockopt")]
    pub fn setsockopt<K, A: Writable, V: OptionValue<K>>(
        &self,
        option: SocketOption<K, A>,
        value: V,
    ) -> Result<()> {
        self.set_encoded(option.to_raw(), value.encode())
    }

    /// Same as [`setsockopt`](Self::setsockopt) (pyzmq's `s.set`).
    pub fn set<K, A: Writable, V: OptionValue<K>>(
        &self,
        option: SocketOption<K, A>,
        value: V,
    ) -> Result<()> {
        self.set_encoded(option.to_raw(), value.encode())
    }

    /// Reads an option (`s.getsockopt(zmq.LINGER)`): `i32`, `bool`, `i64`,
    /// `u64`, bytes or `String` as the option's kind says.
    #[doc(alias = "zmq_getsockopt")]
    pub fn getsockopt<K: OptionKind, A: Readable>(
        &self,
        option: SocketOption<K, A>,
    ) -> Result<K::Value> {
        K::read(self, option.to_raw())
    }

    /// Same as [`getsockopt`](Self::getsockopt) (pyzmq's `s.get`).
    pub fn get<K: OptionKind, A: Readable>(&self, option: SocketOption<K, A>) -> Result<K::Value> {
        K::read(self, option.to_raw())
    }

    /// Sets a text or bytes option from a `&str`
    /// (`s.setsockopt_string(zmq.SUBSCRIBE, "x")`).
    pub fn setsockopt_string<K: TextKind, A: Writable>(
        &self,
        option: SocketOption<K, A>,
        value: &str,
    ) -> Result<()> {
        self.set_encoded(option.to_raw(), Encoded::Bytes(value.as_bytes()))
    }

    /// Reads a text or bytes option as a `String` (`s.getsockopt_string(o)`).
    pub fn getsockopt_string<K: TextKind, A: Readable>(
        &self,
        option: SocketOption<K, A>,
    ) -> Result<String> {
        K::to_text(K::read(self, option.to_raw())?)
    }

    /// Every option set goes through here: checked (see `checks`), then
    /// given to libzmq.
    pub(crate) fn set_encoded(&self, id: c_int, value: Encoded<'_>) -> Result<()> {
        // An HWM is checked (not attached yet) and set with no bind or
        // connect in between, from any thread.
        // (Once attached, never again not: refused without waiting.)
        let hwm = matches!(id, sys::ZMQ_SNDHWM | sys::ZMQ_RCVHWM);
        let _attach = (hwm && !self.attached.load(Ordering::Relaxed)).then(|| lock(&self.attach));
        let target = crate::checks::Target {
            attached: self.attached.load(Ordering::Relaxed),
        };
        value.with_bytes(|bytes| crate::checks::option(&target, id, bytes))?;
        if id == sys::ZMQ_CONNECT_ROUTING_ID {
            value.with_bytes(|bytes| self.new_connect_id(bytes))?;
        }
        value.set_on(self.raw, id)
    }

    /// Refuses a CONNECT_ROUTING_ID given before on this socket: libzmq
    /// aborts if a connection with that routing id exists when the next
    /// connect attaches (router.cpp:438, stream.cpp:254).
    fn new_connect_id(&self, id: &[u8]) -> Result<()> {
        let mut ids = lock(&self.connect_ids);
        if ids.iter().any(|known| known == id) {
            return Err(Error::InvalidArgument(
                "this CONNECT_ROUTING_ID was given before on this socket (libzmq aborts on a routing id in use)",
            ));
        }
        ids.push(id.to_vec());
        Ok(())
    }

    pub(crate) fn set_raw_bytes(&self, id: c_int, value: &[u8]) -> Result<()> {
        self.set_encoded(id, Encoded::Bytes(value))
    }

    /// Subscribes to messages starting with `prefix` (SUB; `s.subscribe(t)`).
    /// `""` subscribes to everything.
    pub fn subscribe(&self, prefix: impl AsRef<[u8]>) -> Result<()> {
        self.set_raw_bytes(sys::ZMQ_SUBSCRIBE, prefix.as_ref())
    }

    /// Removes a subscription (`s.unsubscribe(t)`).
    pub fn unsubscribe(&self, prefix: impl AsRef<[u8]>) -> Result<()> {
        self.set_raw_bytes(sys::ZMQ_UNSUBSCRIBE, prefix.as_ref())
    }

    /// Sets both `SNDHWM` and `RCVHWM` (`s.hwm = 10`).
    pub fn set_hwm(&self, hwm: i32) -> Result<()> {
        self.set_sndhwm(hwm)?;
        self.set_rcvhwm(hwm)
    }

    /// Sets `ZMQ_USE_FD` (`s.use_fd = fd`): the next `bind` listens on this
    /// ready-made listening socket instead of making one (systemd socket
    /// activation). `-1` (the default) turns it off again.
    ///
    /// # Safety
    /// libzmq takes `fd` over: the listener closes it when it is unbound or
    /// this socket closes, and libzmq's I/O thread aborts the process if it
    /// is not a socket it can poll. So `fd` must be `-1` or an open, bound,
    /// listening socket of the endpoint's kind (TCP for `tcp://`, a Unix
    /// stream socket for `ipc://`) that the caller owns and gives away:
    /// nothing else may use or close it afterwards (pass
    /// `OwnedFd::into_raw_fd()`). Every `bind` while it is set uses the same
    /// fd, so exactly one may follow; set it back to `-1` after it.
    ///
    /// ```
    /// use std::os::fd::IntoRawFd;
    /// let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    /// let port = listener.local_addr().unwrap().port();
    /// let s = zmq::Context::new().socket(zmq::PULL)?;
    /// // SAFETY: a listening TCP socket, given away; one bind follows.
    /// unsafe { s.set_use_fd(listener.into_raw_fd())? };
    /// s.bind(&format!("tcp://127.0.0.1:{port}"))?;
    /// unsafe { s.set_use_fd(-1)? };
    /// # Ok::<(), zmq::Error>(())
    /// ```
    #[cfg(unix)]
    pub unsafe fn set_use_fd(&self, fd: std::os::fd::RawFd) -> Result<()> {
        self.set_encoded(sys::ZMQ_USE_FD, Encoded::Int(fd))
    }

    /// The high-water mark (`s.hwm`): `SNDHWM` (pyzmq reads the same).
    pub fn hwm(&self) -> Result<i32> {
        self.sndhwm()
    }

    /// Waits up to `timeout` (ms, or a `Duration`; `-1`/`None`: forever) for
    /// `events` (`s.poll(1000, zmq.POLLOUT)`); returns the events that
    /// happened, empty on timeout.
    pub fn poll(&self, timeout: impl IntoTimeout, events: PollEvents) -> Result<PollEvents> {
        let mut item = sys::zmq_pollitem_t {
            socket: self.raw,
            fd: 0,
            events: events.bits(),
            revents: 0,
        };
        // SAFETY: one valid item whose socket is live while borrowed.
        cvt(unsafe { sys::zmq_poll(&mut item, 1, timeout.into_timeout_ms()) })?;
        Ok(PollEvents::from_bits_retain(item.revents))
    }

    /// Starts publishing this socket's events on an inproc PAIR endpoint
    /// (`s.monitor(addr, zmq.EVENT_ALL)`); read them with
    /// [`recv_monitor_message`](crate::recv_monitor_message) from a PAIR
    /// socket connected to `endpoint`.
    ///
    /// Prefer [`get_monitor_socket`](Self::get_monitor_socket), which cannot
    /// go wrong in the way this can: libzmq sends each event with a
    /// *blocking* send, from whichever thread the event happens in (often
    /// the context's I/O thread). If no reader is connected (it was never
    /// made, or was closed while this socket still monitors), or the reader
    /// falls 2,000 events behind (the default HWMs), that thread blocks until
    /// a reader drains it: an I/O thread blocked this way stops every socket
    /// it serves. pyzmq has the same hazard. Keep reading, give the reader
    /// `RCVHWM` 0 (no limit), and call
    /// [`disable_monitor`](Self::disable_monitor) before closing the reader.
    ///
    /// Stopping a monitor (`disable_monitor`, a second `monitor` call, which
    /// replaces the first, or closing this socket) makes libzmq send a last
    /// event, `MONITOR_STOPPED`, with the same blocking send. If no reader
    /// ever connected, the binding connects one of its own for it, so that
    /// does not block. But a reader that connected and was then closed
    /// leaves libzmq's side of the monitor stuck for good (it never reads,
    /// so it never learns that its peer left): every later event, and the
    /// stop itself, then blocks forever, so closing this socket would too.
    /// With `get_monitor_socket` that cannot happen.
    ///
    /// libzmq releases the endpoint of a stopped monitor asynchronously (as
    /// it does the inproc names of any closed socket): monitoring on the same
    /// endpoint again at once may fail with `EADDRINUSE`; use a new name.
    #[doc(alias = "zmq_socket_monitor")]
    pub fn monitor(&self, endpoint: &str, events: Event) -> Result<()> {
        self.monitor_locked(&mut lock(&self.monitor_endpoint), endpoint, events)
    }

    /// `monitor`, with the monitor's slot held by the caller.
    fn monitor_locked(
        &self,
        slot: &mut Option<CString>,
        endpoint: &str,
        events: Event,
    ) -> Result<()> {
        let c_endpoint = c_string("endpoint", endpoint)?;
        self.stop_monitor(slot);
        // SAFETY: live socket; NUL-terminated endpoint outliving the call.
        let rc = unsafe {
            sys::zmq_socket_monitor(self.raw, c_endpoint.as_ptr(), events.bits() as c_int)
        };
        if rc == -1 {
            return Err(Error::last_for_endpoint(endpoint));
        }
        // libzmq's own PAIR bound the endpoint.
        self.ctx
            .inproc()
            .bound(c_endpoint.as_bytes(), SocketType::PAIR);
        *slot = Some(c_endpoint);
        Ok(())
    }

    /// Stops the monitor (`s.disable_monitor()`); see [`monitor`](Self::monitor).
    pub fn disable_monitor(&self) -> Result<()> {
        let mut slot = lock(&self.monitor_endpoint);
        self.stop_monitor(&mut slot);
        // SAFETY: live socket; a NULL endpoint stops monitoring.
        cvt(unsafe { sys::zmq_socket_monitor(self.raw, std::ptr::null(), 0) }).map(drop)
    }

    /// Stops a running monitor: libzmq sends `MONITOR_STOPPED` with a
    /// blocking send, which would wait forever if no reader ever connected,
    /// so a reader of our own is connected first (if the application's
    /// reader is there, libzmq's PAIR keeps it and drops ours).
    fn stop_monitor(&self, slot: &mut Option<CString>) {
        let Some(endpoint) = slot.take() else {
            return;
        };
        self.ctx
            .inproc()
            .unbound(endpoint.as_bytes(), SocketType::PAIR);
        // SAFETY: the context is live while this socket is (it holds an
        // Arc). The stand-in is a plain libzmq socket, used and closed here
        // in this thread; libzmq's headroom above MAX_SOCKETS leaves room
        // for it. Every call gets valid pointers and sizes.
        unsafe {
            let standin = sys::zmq_socket(self.ctx.raw(), sys::ZMQ_PAIR);
            if !standin.is_null() {
                let zero: c_int = 0;
                for option in [sys::ZMQ_RCVHWM, sys::ZMQ_LINGER] {
                    sys::zmq_setsockopt(
                        standin,
                        option,
                        (&zero as *const c_int).cast(),
                        std::mem::size_of::<c_int>(),
                    );
                }
                sys::zmq_connect(standin, endpoint.as_ptr());
            }
            // With no stand-in (the context has ended) libzmq's sends no
            // longer block either.
            sys::zmq_socket_monitor(self.raw, std::ptr::null(), 0);
            if !standin.is_null() {
                sys::zmq_close(standin);
            }
        }
    }

    /// Starts a monitor and returns the socket to read its events from
    /// (`s.get_monitor_socket()`): a PAIR [`Socket`] (through `Deref`) that
    /// borrows this one.
    ///
    /// It cannot wedge the context, unlike a reader made by hand for
    /// [`monitor`](Self::monitor): it has no receive high-water mark, so
    /// libzmq's blocking event sends never wait for it to read, and dropping
    /// it first stops the monitor ([`disable_monitor`](Self::disable_monitor)),
    /// so no event is ever sent to a reader that is gone. Events pile up in
    /// memory while nobody reads them: read them, or drop the reader.
    ///
    /// ```
    /// let ctx = zmq::Context::new();
    /// let s = ctx.socket(zmq::REP)?;
    /// let monitor = s.get_monitor_socket(zmq::EVENT_LISTENING)?;
    /// s.bind("tcp://127.0.0.1:*")?;
    /// monitor.set_rcvtimeo(5000)?;
    /// let event = zmq::recv_monitor_message(&monitor, 0)?;
    /// assert_eq!(event.event, zmq::EVENT_LISTENING);
    /// assert_eq!(event.endpoint, s.last_endpoint()?);
    /// drop(monitor); // stops the monitor; `s` goes on
    /// # Ok::<(), zmq::Error>(())
    /// ```
    pub fn get_monitor_socket(&self, events: Event) -> Result<MonitorSocket<'_>> {
        let (reader, endpoint) = self.start_monitor_reader(events)?;
        Ok(MonitorSocket {
            reader,
            monitored: self,
            endpoint,
        })
    }

    /// Stops the monitor if it is still the one on `endpoint` (a reader's
    /// drop: a monitor started since, which replaced it, goes on).
    pub(crate) fn stop_monitor_if(&self, endpoint: &std::ffi::CStr) {
        let mut slot = lock(&self.monitor_endpoint);
        if slot.as_deref() == Some(endpoint) {
            self.stop_monitor(&mut slot);
        }
    }

    /// Starts a monitor and returns a connected reader for it (see
    /// `get_monitor_socket`); whoever holds the reader stops the monitor
    /// (`disable_monitor`) before dropping it.
    pub(crate) fn start_monitor_reader(&self, events: Event) -> Result<(Socket, CString)> {
        let n = MONITOR_COUNTER.fetch_add(1, Ordering::Relaxed);
        let endpoint = format!("inproc://zmq-rs.monitor.{}.{n}", std::process::id());
        // The reader is made first, so that nothing has started if that
        // fails (the monitor would block on its first event with nobody to
        // read it), and connects after the monitor has bound: a connection
        // made before the bind would stay pending in the context if the
        // monitor failed, and libzmq's `zmq_ctx_term` makes a socket for
        // each pending connection (aborting when it cannot). Events between
        // the two steps wait, in libzmq's blocking send, for the connect
        // that follows at once. That connect to a bound inproc name fails
        // only once the context has ended, when no send blocks any more.
        let reader = self.context().socket(crate::PAIR)?;
        reader.set_rcvhwm(0)?;
        // One lock for both steps: another thread of a thread-safe socket
        // replacing the monitor in between would stop it before its reader
        // connected.
        let mut slot = lock(&self.monitor_endpoint);
        self.monitor_locked(&mut slot, &endpoint, events)?;
        reader.connect(&endpoint)?;
        let c_endpoint = slot.clone().unwrap_or_default();
        Ok((reader, c_endpoint))
    }

    /// Joins a group (RADIO/DISH, draft; `s.join(g)`).
    #[cfg(feature = "draft")]
    #[doc(alias = "zmq_join")]
    pub fn join(&self, group: &str) -> Result<()> {
        let c_group = c_string("group", group)?;
        // SAFETY: live socket; NUL-terminated group outliving the call.
        cvt(unsafe { sys::zmq_join(self.raw, c_group.as_ptr()) }).map(drop)
    }

    /// Leaves a group (RADIO/DISH, draft; `s.leave(g)`).
    #[cfg(feature = "draft")]
    #[doc(alias = "zmq_leave")]
    pub fn leave(&self, group: &str) -> Result<()> {
        let c_group = c_string("group", group)?;
        // SAFETY: live socket; NUL-terminated group outliving the call.
        cvt(unsafe { sys::zmq_leave(self.raw, c_group.as_ptr()) }).map(drop)
    }

    /// Connects a PEER socket and returns the routing id of that peer
    /// (`rid = s.connect_peer(addr)`, draft): send to it with
    /// [`send_with_routing_id`](Self::send_with_routing_id).
    #[cfg(feature = "draft")]
    #[doc(alias = "zmq_connect_peer")]
    pub fn connect_peer(&self, endpoint: &str) -> Result<u32> {
        if self.socket_type != SocketType::PEER {
            return Err(Error::InvalidArgument("connect_peer is for PEER sockets"));
        }
        crate::checks::endpoint(self, endpoint, false)?;
        if endpoint.starts_with("inproc://") {
            self.ctx
                .inproc()
                .may_connect(endpoint.as_bytes(), self.socket_type)?;
        }
        let c_endpoint = c_string("endpoint", endpoint)?;
        let routing_id = self.attach_call(endpoint, |s| {
            // SAFETY: live socket; NUL-terminated endpoint outliving the call.
            match unsafe { sys::zmq_connect_peer(s.raw, c_endpoint.as_ptr()) } {
                0 => Err(Error::last_for_endpoint(endpoint)),
                routing_id => Ok(routing_id),
            }
        })?;
        if endpoint.starts_with("inproc://") {
            self.ctx
                .inproc()
                .connected(endpoint.as_bytes(), self.raw, self.socket_type);
        }
        Ok(routing_id)
    }

    /// Sends one message to the peer with this routing id (SERVER, PEER;
    /// pyzmq's `s.send(data, routing_id=rid)`): the routing id of a message
    /// received from it ([`Message::routing_id`]) or given by
    /// [`connect_peer`](Self::connect_peer). Takes whatever
    /// [`send`](Self::send) takes, at the same cost. A peer that is gone
    /// gives `EHOSTUNREACH`.
    ///
    /// ```
    /// let ctx = zmq::Context::new();
    /// let server = ctx.thread_safe_socket(zmq::SERVER)?;
    /// server.bind("tcp://127.0.0.1:*")?;
    /// let client = ctx.thread_safe_socket(zmq::CLIENT)?;
    /// client.connect(&server.last_endpoint()?)?;
    /// client.send("ping", 0)?;
    /// let request = server.recv_msg(0)?;
    /// let rid = request.routing_id().expect("SERVER messages carry one");
    /// server.send_with_routing_id("pong", rid, 0)?;
    /// assert_eq!(client.recv_string(0)?, "pong");
    /// # Ok::<(), zmq::Error>(())
    /// ```
    #[cfg(feature = "draft")]
    pub fn send_with_routing_id<T: Sendable>(
        &self,
        data: T,
        routing_id: u32,
        flags: impl Into<Flags>,
    ) -> Result<()> {
        if routing_id == 0 {
            return Err(Error::InvalidArgument(
                "routing id 0 names no peer (libzmq's routing ids start at 1)",
            ));
        }
        self.send_addressed(data, flags.into().bits(), |msg| {
            msg.set_routing_id(routing_id)
        })
    }

    /// Sends text to the peer with this routing id (pyzmq's
    /// `s.send_string(u, routing_id=rid)`).
    #[cfg(feature = "draft")]
    pub fn send_string_with_routing_id(
        &self,
        text: &str,
        routing_id: u32,
        flags: impl Into<Flags>,
    ) -> Result<()> {
        self.send_with_routing_id(text, routing_id, flags)
    }

    /// Sends one message to a group (RADIO; pyzmq's
    /// `s.send(data, group="g")`): DISH sockets that joined `group` get it.
    /// A group is 1 to 255 bytes ([`Error::InvalidArgument`] otherwise).
    ///
    /// ```
    /// let ctx = zmq::Context::new();
    /// let radio = ctx.thread_safe_socket(zmq::RADIO)?;
    /// radio.bind("tcp://127.0.0.1:*")?;
    /// let dish = ctx.thread_safe_socket(zmq::DISH)?;
    /// dish.join("weather")?;
    /// dish.connect(&radio.last_endpoint()?)?;
    /// // The join reaches the RADIO shortly after the connect (RADIO drops
    /// // what no one has joined yet): send until one arrives.
    /// let msg = loop {
    ///     radio.send_string_with_group("sunny", "weather", 0)?;
    ///     if dish.poll(10, zmq::POLLIN)?.contains(zmq::POLLIN) {
    ///         break dish.recv_msg(0)?;
    ///     }
    /// };
    /// assert_eq!(msg.group().as_deref(), Some("weather"));
    /// assert_eq!(&msg[..], b"sunny");
    /// # Ok::<(), zmq::Error>(())
    /// ```
    #[cfg(feature = "draft")]
    pub fn send_with_group<T: Sendable>(
        &self,
        data: T,
        group: &str,
        flags: impl Into<Flags>,
    ) -> Result<()> {
        self.send_addressed(data, flags.into().bits(), |msg| msg.set_group(group))
    }

    /// Sends text to a group (RADIO; pyzmq's `s.send_string(u, group="g")`).
    #[cfg(feature = "draft")]
    pub fn send_string_with_group(
        &self,
        text: &str,
        group: &str,
        flags: impl Into<Flags>,
    ) -> Result<()> {
        self.send_with_group(text, group, flags)
    }

    /// Sends `data` as a message addressed by `address` (a routing id or a
    /// group): the caller's `&mut Message` is addressed in place (and keeps
    /// its content if the send fails), anything else becomes a message.
    #[cfg(feature = "draft")]
    fn send_addressed<T: Sendable>(
        &self,
        data: T,
        flags: c_int,
        address: impl FnOnce(&mut Message) -> Result<()>,
    ) -> Result<()> {
        match data.into_part() {
            Part::MsgRef(msg) => {
                address(msg)?;
                msg.send_to(self, flags)
            }
            part => {
                let mut msg = part.into_message();
                address(&mut msg)?;
                msg.send_to(self, flags)
            }
        }
    }

    /// Closes the socket (`s.close()`), reporting an error libzmq gives.
    /// Pending messages linger as `LINGER` says. Its `inproc://` names are
    /// unbound first, so they can be bound again at once (see
    /// [`bind`](Self::bind) for tcp and ipc). The socket is consumed, so
    /// using it afterwards does not compile:
    ///
    /// ```compile_fail
    /// let s = zmq::Context::new().socket(zmq::PUB).unwrap();
    /// s.close().unwrap();
    /// s.bind("inproc://closed").unwrap(); // use after close
    /// ```
    #[doc(alias = "zmq_close")]
    pub fn close(mut self) -> Result<()> {
        self.close_raw()
    }

    /// Sets `LINGER` and closes (`s.close(linger=0)`).
    pub fn close_linger(self, linger: i32) -> Result<()> {
        self.set_linger(linger)?;
        self.close()
    }

    fn close_raw(&mut self) -> Result<()> {
        if self.raw.is_null() {
            return Ok(());
        }
        let mut slot = std::mem::take(
            self.monitor_endpoint
                .get_mut()
                .unwrap_or_else(|p| p.into_inner()),
        );
        self.stop_monitor(&mut slot);
        let raw = std::mem::replace(&mut self.raw, std::ptr::null_mut());
        let binds = std::mem::take(
            self.inproc_binds
                .get_mut()
                .unwrap_or_else(|p| p.into_inner()),
        );
        for endpoint in binds {
            // SAFETY: the socket is still live (closed just below) and the
            // endpoint is NUL-terminated. A failure (ETERM after the context
            // ended) leaves the release to libzmq's reaper, as before.
            unsafe { sys::zmq_unbind(raw, endpoint.as_ptr()) };
            self.ctx
                .inproc()
                .unbound(endpoint.as_bytes(), self.socket_type);
        }
        self.ctx.inproc().closed(raw);
        self.ctx.close_socket(raw)
    }
}

impl Drop for Socket {
    fn drop(&mut self) {
        let _ = self.close_raw();
    }
}

impl std::fmt::Debug for Socket {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Socket")
            .field("type", &self.socket_type)
            .field("raw", &self.raw)
            .finish()
    }
}
