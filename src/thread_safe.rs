//! Thread-safe sockets (draft): SERVER, CLIENT, RADIO, DISH, SCATTER,
//! GATHER, PEER and CHANNEL as a `Send + Sync` type.

use libc::c_int;

use crate::error::{Error, Result};
use crate::poll::{IntoTimeout, PollEvents};
use crate::sockopt::{OptionKind, OptionValue, Readable, SocketOption, TextKind, Writable};
use crate::{sys, Context, Event, Flags, Message, MonitorSocket, Sendable, Socket, SocketType};

/// A socket of one of libzmq's thread-safe types (SERVER, CLIENT, RADIO,
/// DISH, SCATTER, GATHER, PEER, CHANNEL; feature `draft`), made by
/// [`Context::thread_safe_socket`]. It is `Send + Sync`: threads share one
/// through an `Arc` and call it at the same time, with no lock of ours
/// around the calls (libzmq serializes them inside the socket; a blocking
/// `recv` in one thread does not stop another thread's `send`).
///
/// ```
/// use std::sync::Arc;
///
/// let ctx = zmq::Context::new();
/// let server = Arc::new(ctx.thread_safe_socket(zmq::SERVER)?);
/// server.bind("tcp://127.0.0.1:*")?;
/// let endpoint = server.last_endpoint()?;
///
/// // Two threads answer on the one SERVER.
/// let workers: Vec<_> = (0..2)
///     .map(|_| {
///         let server = Arc::clone(&server);
///         std::thread::spawn(move || -> zmq::Result<()> {
///             let request = server.recv_msg(0)?;
///             let rid = request.routing_id().unwrap();
///             server.send_with_routing_id(&request[..], rid, 0)
///         })
///     })
///     .collect();
///
/// let clients = [ctx.thread_safe_socket(zmq::CLIENT)?, ctx.thread_safe_socket(zmq::CLIENT)?];
/// for (i, client) in clients.iter().enumerate() {
///     client.connect(&endpoint)?;
///     client.send(format!("echo {i}"), 0)?;
/// }
/// for (i, client) in clients.iter().enumerate() {
///     assert_eq!(client.recv_string(0)?, format!("echo {i}"));
/// }
/// for worker in workers {
///     worker.join().unwrap()?;
/// }
/// # Ok::<(), zmq::Error>(())
/// ```
///
/// The plain [`Socket`] stays `!Sync`, whatever its type, so sharing one
/// does not compile:
///
/// ```compile_fail
/// use std::sync::Arc;
/// let server = Arc::new(zmq::Context::new().socket(zmq::SERVER).unwrap());
/// std::thread::spawn(move || server.recv_msg(0)); // Socket is not Sync
/// ```
///
/// Messages are single-part: there is no `SNDMORE` and no
/// `send_multipart` ([`Error::InvalidArgument`]). Peers are addressed per
/// message: [`send_with_routing_id`](Self::send_with_routing_id) (SERVER,
/// PEER) and [`send_with_group`](Self::send_with_group) (RADIO), and a
/// received [`Message`] says where it came from
/// ([`Message::routing_id`], [`Message::group`]).
///
/// They cannot use `inproc://` ([`Error::InvalidArgument`]): libzmq 4.3.5
/// deadlocks two thread-safe sockets joined over inproc when both are in a
/// call at once (libzmq issue #3048). Use `ipc://` or `tcp://`.
///
/// `ctx.socket(zmq::SERVER)` still gives a plain [`Socket`] (`Send`, not
/// `Sync`) for line-for-line ports from pyzmq. [`Poller`](crate::Poller)
/// and [`SocketPoller`](crate::SocketPoller) take both kinds.
pub struct ThreadSafeSocket {
    inner: Socket,
}

// SAFETY: `Socket` is `Send`. Sharing `&ThreadSafeSocket` between threads
// gives them concurrent `&Socket` calls on a socket whose type libzmq makes
// thread-safe (checked at construction and never changed): libzmq takes the
// socket's own mutex in every API call this type reaches (setsockopt,
// getsockopt, bind, connect, unbind, disconnect, send, recv, join, leave,
// the monitor, and the poll's add_signaler; zmq_socket(3): "thread safe"),
// and waits in `recv`/`send` with that mutex released. The binding's own
// per-socket state (inproc names, the monitor, the connect routing ids, the
// send guard) is behind mutexes and atomics in `Socket`. Closing needs the
// socket by value, so no call can be in flight then.
unsafe impl Sync for ThreadSafeSocket {}

const _: fn() = || {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<ThreadSafeSocket>();
};

fn refuse_more(flags: c_int) -> Result<c_int> {
    if flags & sys::ZMQ_SNDMORE != 0 {
        return Err(Error::InvalidArgument(
            "thread-safe socket types send single-part messages (no SNDMORE)",
        ));
    }
    Ok(flags)
}

impl ThreadSafeSocket {
    /// Takes a socket of a thread-safe type (one made by `ctx.socket(zmq::SERVER)`);
    /// classic types are refused ([`Error::InvalidArgument`]).
    pub fn from_socket(socket: Socket) -> Result<ThreadSafeSocket> {
        if !socket.socket_type().is_thread_safe() {
            return Err(Error::InvalidArgument(
                "not a thread-safe socket type (SERVER, CLIENT, RADIO, DISH, SCATTER, GATHER, PEER, CHANNEL)",
            ));
        }
        Ok(ThreadSafeSocket { inner: socket })
    }

    /// The plain [`Socket`] back (`!Sync` again).
    pub fn into_socket(self) -> Socket {
        self.inner
    }

    /// The socket, for the generated accessors and the pollers.
    #[inline]
    pub(crate) fn with<T>(&self, f: impl FnOnce(&Socket) -> T) -> T {
        f(&self.inner)
    }

    /// The libzmq socket, for `zmq::sys` calls. Valid while `self` lives.
    #[inline]
    pub fn as_raw(&self) -> *mut libc::c_void {
        self.inner.as_raw()
    }

    /// The socket's context (`s.context`).
    pub fn context(&self) -> Context {
        self.inner.context()
    }

    /// The socket's type (`s.type`).
    pub fn socket_type(&self) -> SocketType {
        self.inner.socket_type()
    }

    /// Accepts connections on an endpoint; see [`Socket::bind`].
    pub fn bind(&self, endpoint: &str) -> Result<()> {
        self.inner.bind(endpoint)
    }

    /// Binds to a port the OS chooses; see [`Socket::bind_to_random_port`].
    pub fn bind_to_random_port(&self, addr: &str) -> Result<u16> {
        self.inner.bind_to_random_port(addr)
    }

    /// Binds to a random port in a range; see
    /// [`Socket::bind_to_random_port_range`].
    pub fn bind_to_random_port_range(
        &self,
        addr: &str,
        min_port: u16,
        max_port: u32,
        max_tries: u32,
    ) -> Result<u16> {
        self.inner
            .bind_to_random_port_range(addr, min_port, max_port, max_tries)
    }

    /// Connects to an endpoint; see [`Socket::connect`].
    pub fn connect(&self, endpoint: &str) -> Result<()> {
        self.inner.connect(endpoint)
    }

    /// Connects a PEER and returns that peer's routing id; see
    /// [`Socket::connect_peer`].
    pub fn connect_peer(&self, endpoint: &str) -> Result<u32> {
        self.inner.connect_peer(endpoint)
    }

    /// Stops accepting on an endpoint; see [`Socket::unbind`].
    pub fn unbind(&self, endpoint: &str) -> Result<()> {
        self.inner.unbind(endpoint)
    }

    /// Disconnects from an endpoint; see [`Socket::disconnect`].
    pub fn disconnect(&self, endpoint: &str) -> Result<()> {
        self.inner.disconnect(endpoint)
    }

    /// Sends one message (`s.send(data)`): whatever [`Socket::send`]
    /// takes. `flags` is `0` or `DONTWAIT`; `SNDMORE` is refused
    /// ([`Error::InvalidArgument`]). A SERVER or PEER needs a routing id
    /// ([`send_with_routing_id`](Self::send_with_routing_id)), a RADIO a
    /// group ([`send_with_group`](Self::send_with_group)).
    #[inline]
    pub fn send<T: Sendable>(&self, data: T, flags: impl Into<Flags>) -> Result<()> {
        data.send_to(&self.inner, refuse_more(flags.into().bits())?)
    }

    /// Sends text (`s.send_string(u)`).
    pub fn send_string(&self, text: &str, flags: impl Into<Flags>) -> Result<()> {
        self.send(text, flags)
    }

    /// Sends to the peer with this routing id (`s.send(data,
    /// routing_id=rid)`); see [`Socket::send_with_routing_id`].
    #[inline]
    pub fn send_with_routing_id<T: Sendable>(
        &self,
        data: T,
        routing_id: u32,
        flags: impl Into<Flags>,
    ) -> Result<()> {
        let flags = refuse_more(flags.into().bits())?;
        self.inner
            .send_with_routing_id(data, routing_id, Flags::from_bits_retain(flags))
    }

    /// Sends text to the peer with this routing id
    /// (`s.send_string(u, routing_id=rid)`).
    pub fn send_string_with_routing_id(
        &self,
        text: &str,
        routing_id: u32,
        flags: impl Into<Flags>,
    ) -> Result<()> {
        self.send_with_routing_id(text, routing_id, flags)
    }

    /// Sends to a group (RADIO; `s.send(data, group="g")`); see
    /// [`Socket::send_with_group`].
    #[inline]
    pub fn send_with_group<T: Sendable>(
        &self,
        data: T,
        group: &str,
        flags: impl Into<Flags>,
    ) -> Result<()> {
        let flags = refuse_more(flags.into().bits())?;
        self.inner
            .send_with_group(data, group, Flags::from_bits_retain(flags))
    }

    /// Sends text to a group (RADIO; `s.send_string(u, group="g")`).
    pub fn send_string_with_group(
        &self,
        text: &str,
        group: &str,
        flags: impl Into<Flags>,
    ) -> Result<()> {
        self.send_with_group(text, group, flags)
    }

    /// Receives one message as bytes (`s.recv()`); use
    /// [`recv_msg`](Self::recv_msg) for its routing id or group.
    #[inline]
    pub fn recv(&self, flags: impl Into<Flags>) -> Result<Vec<u8>> {
        self.inner.recv(flags)
    }

    /// Receives one message without copying (`s.recv(copy=False)`), with
    /// its routing id (SERVER, PEER) or group (DISH).
    #[inline]
    pub fn recv_msg(&self, flags: impl Into<Flags>) -> Result<Message> {
        self.inner.recv_msg(flags)
    }

    /// Receives into an existing message, replacing its content.
    #[inline]
    pub fn recv_msg_into(&self, msg: &mut Message, flags: impl Into<Flags>) -> Result<()> {
        self.inner.recv_msg_into(msg, flags)
    }

    /// Receives into a buffer; see [`Socket::recv_into`].
    #[inline]
    pub fn recv_into(&self, buf: &mut [u8], flags: impl Into<Flags>) -> Result<usize> {
        self.inner.recv_into(buf, flags)
    }

    /// Receives one message as text (`s.recv_string()`).
    pub fn recv_string(&self, flags: impl Into<Flags>) -> Result<String> {
        self.inner.recv_string(flags)
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
        self.inner.recv_json(flags)
    }

    /// Waits for `events` (`s.poll(1000, zmq.POLLIN)`); see [`Socket::poll`].
    pub fn poll(&self, timeout: impl IntoTimeout, events: PollEvents) -> Result<PollEvents> {
        self.inner.poll(timeout, events)
    }

    /// Joins a group (DISH; `s.join(g)`).
    pub fn join(&self, group: &str) -> Result<()> {
        self.inner.join(group)
    }

    /// Leaves a group (DISH; `s.leave(g)`).
    pub fn leave(&self, group: &str) -> Result<()> {
        self.inner.leave(group)
    }

    /// Sets an option (`s.setsockopt(o, v)`); see [`Socket::setsockopt`].
    pub fn setsockopt<K, A: Writable, V: OptionValue<K>>(
        &self,
        option: SocketOption<K, A>,
        value: V,
    ) -> Result<()> {
        self.inner.setsockopt(option, value)
    }

    /// Same as [`setsockopt`](Self::setsockopt) (`s.set`).
    pub fn set<K, A: Writable, V: OptionValue<K>>(
        &self,
        option: SocketOption<K, A>,
        value: V,
    ) -> Result<()> {
        self.inner.set(option, value)
    }

    /// Reads an option (`s.getsockopt(o)`); see [`Socket::getsockopt`].
    pub fn getsockopt<K: OptionKind, A: Readable>(
        &self,
        option: SocketOption<K, A>,
    ) -> Result<K::Value> {
        self.inner.getsockopt(option)
    }

    /// Same as [`getsockopt`](Self::getsockopt) (`s.get`).
    pub fn get<K: OptionKind, A: Readable>(&self, option: SocketOption<K, A>) -> Result<K::Value> {
        self.inner.get(option)
    }

    /// Sets a text or bytes option from a `&str`.
    pub fn setsockopt_string<K: TextKind, A: Writable>(
        &self,
        option: SocketOption<K, A>,
        value: &str,
    ) -> Result<()> {
        self.inner.setsockopt_string(option, value)
    }

    /// Reads a text or bytes option as a `String`.
    pub fn getsockopt_string<K: TextKind, A: Readable>(
        &self,
        option: SocketOption<K, A>,
    ) -> Result<String> {
        self.inner.getsockopt_string(option)
    }

    /// Sets both `SNDHWM` and `RCVHWM` (`s.hwm = n`).
    pub fn set_hwm(&self, hwm: i32) -> Result<()> {
        self.inner.set_hwm(hwm)
    }

    /// The high-water mark (`s.hwm`).
    pub fn hwm(&self) -> Result<i32> {
        self.inner.hwm()
    }

    /// Starts a monitor on an inproc endpoint; see [`Socket::monitor`] and
    /// prefer [`get_monitor_socket`](Self::get_monitor_socket).
    pub fn monitor(&self, endpoint: &str, events: Event) -> Result<()> {
        self.inner.monitor(endpoint, events)
    }

    /// Stops the monitor (`s.disable_monitor()`).
    pub fn disable_monitor(&self) -> Result<()> {
        self.inner.disable_monitor()
    }

    /// Starts a monitor and returns its reader; see
    /// [`Socket::get_monitor_socket`]. One monitor per socket: a second
    /// (from any thread) replaces the first.
    pub fn get_monitor_socket(&self, events: Event) -> Result<MonitorSocket<'_>> {
        self.inner.get_monitor_socket(events)
    }

    /// Closes the socket (`s.close()`); see [`Socket::close`].
    pub fn close(self) -> Result<()> {
        self.inner.close()
    }

    /// Sets `LINGER` and closes (`s.close(linger=0)`).
    pub fn close_linger(self, linger: i32) -> Result<()> {
        self.inner.close_linger(linger)
    }
}

impl TryFrom<Socket> for ThreadSafeSocket {
    type Error = Error;
    fn try_from(socket: Socket) -> Result<ThreadSafeSocket> {
        ThreadSafeSocket::from_socket(socket)
    }
}

impl std::fmt::Debug for ThreadSafeSocket {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ThreadSafeSocket")
            .field("type", &self.inner.socket_type())
            .field("raw", &self.inner.as_raw())
            .finish()
    }
}
