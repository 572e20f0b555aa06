//! `zmq::asyncio::Socket`: a libzmq socket whose blocking calls are
//! `async` (pyzmq's `zmq.asyncio.Socket`).

use std::future::{poll_fn, Future};
use std::pin::Pin;
use std::task::{Context as TaskContext, Poll};

use futures_core::Stream;
use futures_sink::Sink;
use libc::c_int;

use super::readiness::{nonblocking, Core, Timeout, Wait, Want, Watch};
use super::runtime::Tokio;
use super::Context;
use crate::error::{Error, Result};
use crate::socket::{Part, Retry};
use crate::sockopt::{OptionKind, OptionValue, Readable, SocketOption, TextKind, Writable};
use crate::{sys, Event, Flags, IntoTimeout, Message, PollEvents, Sendable, SocketType};

type Timer = <Tokio as super::readiness::Reactor>::Timer;
type OwnEdge = super::readiness::OwnEdge;

/// A libzmq socket driven by the tokio runtime (pyzmq's
/// `zmq.asyncio.Socket`): the calls that would block are `async`, the
/// others are the sync [`zmq::Socket`](crate::Socket)'s, under the same
/// names.
///
/// It is `Send + Sync` and its futures are `Send`: tasks share one socket
/// through an `Arc` (a ROUTER answered from several tasks, one task
/// receiving while another sends), as pyzmq's coroutines share sockets. A
/// short internal lock is taken around each libzmq call; it is never held
/// across an `.await`.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> zmq::Result<()> {
/// let ctx = zmq::asyncio::Context::new();
/// let server = ctx.socket(zmq::REP)?;
/// server.bind("tcp://127.0.0.1:*")?;
/// let client = ctx.socket(zmq::REQ)?;
/// client.connect(&server.last_endpoint()?)?;
///
/// client.send("Hello", 0).await?;
/// assert_eq!(server.recv_string(0).await?, "Hello");
/// server.send("World", 0).await?;
/// assert_eq!(client.recv_string(0).await?, "World");
/// # Ok(())
/// # }
/// ```
///
/// Rules, as in pyzmq:
///
/// - A future dropped before it completes has received nothing, and has
///   sent nothing or a whole message (never part of a multipart one):
///   `tokio::time::timeout` and `select!` are safe on every call.
/// - `RCVTIMEO`/`SNDTIMEO` apply: [`Error::Again`] when they expire.
///   `DONTWAIT` gives `Again` at once when the call would wait.
/// - `term`/`destroy` of the context wake every pending call with
///   [`Error::ContextTerminated`].
/// - An idle socket costs nothing: waiting is on libzmq's `ZMQ_FD` through
///   the runtime's reactor, with no polling loop.
///
/// It is also a [`Stream`] of multipart messages (`Item =
/// zmq::Result<Vec<Message>>`; the stream ends after reporting
/// `ContextTerminated`) and a [`Sink`] of multipart messages (`Vec<T>` for
/// any `T` that [`send`](Self::send) takes).
///
/// It must be awaited inside a tokio runtime with its I/O and time drivers
/// (`#[tokio::main]`, `Builder::enable_all`); elsewhere the calls that wait
/// fail with [`Error::AsyncRuntime`].
///
/// Thread-safe socket types (SERVER, CLIENT, RADIO, DISH, ..., feature
/// `draft`) work too, as in pyzmq 27: `ctx.socket(zmq::SERVER)`, then
/// [`send_with_routing_id`](Self::send_with_routing_id) and
/// [`send_with_group`](Self::send_with_group) address their messages.
pub struct Socket {
    // Field order: these hold registrations of the fd, dropped before the
    // socket (in `core`) closes it.
    stream: StreamState,
    sink: SinkState,
    core: Core<Tokio>,
    raw: usize,
    socket_type: SocketType,
    ctx: crate::Context,
}

struct StreamState {
    wait: Wait<Timer>,
    edge: OwnEdge,
    done: bool,
}

struct SinkState {
    wait: Wait<Timer>,
    edge: OwnEdge,
    pending: Vec<Message>,
}

// `Socket` is Send + Sync without an `unsafe impl` of its own: the libzmq
// socket is only reached through `core`'s lock (`Lock<T>` is Sync for a
// `T: Send`, as std's Mutex, and `zmq::Socket` is Send; see lock.rs), and
// everything else is Send + Sync.
const _: fn() = || {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<Socket>();
};

impl Socket {
    /// Wraps a sync socket (`zmq.asyncio.Socket.from_socket(s)`).
    ///
    /// Thread-safe types (SERVER, CLIENT, RADIO, DISH, ..., feature
    /// `draft`) have no `ZMQ_FD`: they are watched through the fd of a
    /// libzmq poller that holds them (`zmq_poller_fd`, as pyzmq 27 does),
    /// drained after each wake-up. The error is libzmq's when that poller
    /// cannot be made (no descriptor left).
    pub fn from_socket(socket: crate::Socket) -> Result<Socket> {
        let socket_type = socket.socket_type();
        Ok(Socket {
            stream: StreamState {
                wait: Wait::new(),
                edge: None,
                done: false,
            },
            sink: SinkState {
                wait: Wait::new(),
                edge: None,
                pending: Vec::new(),
            },
            raw: socket.as_raw() as usize,
            socket_type,
            ctx: socket.context(),
            core: Core::new(socket, Tokio::default())?,
        })
    }

    /// Wraps a thread-safe socket (feature `draft`); see
    /// [`from_socket`](Self::from_socket).
    #[cfg(feature = "draft")]
    pub fn from_thread_safe(socket: crate::ThreadSafeSocket) -> Result<Socket> {
        Socket::from_socket(socket.into_socket())
    }

    /// The sync socket back (pending calls are impossible: they borrow
    /// `self`).
    pub fn into_socket(self) -> crate::Socket {
        let Socket {
            stream, sink, core, ..
        } = self;
        drop((stream, sink));
        core.into_socket()
    }

    /// Runs `f` on the sync socket, locked.
    #[inline]
    pub(crate) fn with<T>(&self, f: impl FnOnce(&crate::Socket) -> T) -> T {
        let inner = self.core.lock();
        let result = f(&inner.socket);
        // The call may have processed the socket's commands (an option
        // read does): counted as the operations are (see `readiness`).
        self.core.tick_idle(&inner);
        result
    }

    /// Drives one operation to its end (see `readiness`).
    async fn io<T>(
        &self,
        want: PollEvents,
        flags: c_int,
        timeout: Timeout,
        mut op: impl FnMut(&crate::Socket, c_int) -> Result<T>,
    ) -> Result<T> {
        let (flags, nonblocking) = nonblocking(flags);
        let mut wait = Waiting {
            core: &self.core,
            wait: Wait::new(),
        };
        poll_fn(|cx| {
            self.core.poll_io(
                cx,
                &mut wait.wait,
                Want {
                    events: want,
                    nonblocking,
                    timeout,
                    flags,
                },
                Watch::Shared,
                &mut op,
            )
        })
        .await
    }

    /// The libzmq socket, for `zmq::sys` calls (valid while `self` lives;
    /// libzmq sockets are not thread-safe: use it only where no other call
    /// on this socket can run).
    pub fn as_raw(&self) -> *mut libc::c_void {
        self.raw as *mut libc::c_void
    }

    /// The socket's context (`s.context`).
    pub fn context(&self) -> Context {
        Context::from(self.ctx.clone())
    }

    /// The socket's type (`s.type`).
    pub fn socket_type(&self) -> SocketType {
        self.socket_type
    }

    /// See [`zmq::Socket::bind`](crate::Socket::bind).
    pub fn bind(&self, endpoint: &str) -> Result<()> {
        self.with(|s| s.bind(endpoint))
    }

    /// See [`zmq::Socket::connect`](crate::Socket::connect).
    pub fn connect(&self, endpoint: &str) -> Result<()> {
        self.with(|s| s.connect(endpoint))
    }

    /// See [`zmq::Socket::unbind`](crate::Socket::unbind).
    pub fn unbind(&self, endpoint: &str) -> Result<()> {
        self.with(|s| s.unbind(endpoint))
    }

    /// See [`zmq::Socket::disconnect`](crate::Socket::disconnect).
    pub fn disconnect(&self, endpoint: &str) -> Result<()> {
        self.with(|s| s.disconnect(endpoint))
    }

    /// See [`zmq::Socket::bind_to_random_port`](crate::Socket::bind_to_random_port).
    pub fn bind_to_random_port(&self, addr: &str) -> Result<u16> {
        self.with(|s| s.bind_to_random_port(addr))
    }

    /// See [`zmq::Socket::bind_to_random_port_range`](crate::Socket::bind_to_random_port_range).
    pub fn bind_to_random_port_range(
        &self,
        addr: &str,
        min_port: u16,
        max_port: u32,
        max_tries: u32,
    ) -> Result<u16> {
        self.with(|s| s.bind_to_random_port_range(addr, min_port, max_port, max_tries))
    }

    /// See [`zmq::Socket::setsockopt`](crate::Socket::setsockopt).
    pub fn setsockopt<K, A: Writable, V: OptionValue<K>>(
        &self,
        option: SocketOption<K, A>,
        value: V,
    ) -> Result<()> {
        self.with(|s| s.setsockopt(option, value))
    }

    /// Same as [`setsockopt`](Self::setsockopt) (`s.set`).
    pub fn set<K, A: Writable, V: OptionValue<K>>(
        &self,
        option: SocketOption<K, A>,
        value: V,
    ) -> Result<()> {
        self.with(|s| s.set(option, value))
    }

    /// See [`zmq::Socket::getsockopt`](crate::Socket::getsockopt).
    pub fn getsockopt<K: OptionKind, A: Readable>(
        &self,
        option: SocketOption<K, A>,
    ) -> Result<K::Value> {
        self.with(|s| s.getsockopt(option))
    }

    /// Same as [`getsockopt`](Self::getsockopt) (`s.get`).
    pub fn get<K: OptionKind, A: Readable>(&self, option: SocketOption<K, A>) -> Result<K::Value> {
        self.with(|s| s.get(option))
    }

    /// See [`zmq::Socket::setsockopt_string`](crate::Socket::setsockopt_string).
    pub fn setsockopt_string<K: TextKind, A: Writable>(
        &self,
        option: SocketOption<K, A>,
        value: &str,
    ) -> Result<()> {
        self.with(|s| s.setsockopt_string(option, value))
    }

    /// See [`zmq::Socket::getsockopt_string`](crate::Socket::getsockopt_string).
    pub fn getsockopt_string<K: TextKind, A: Readable>(
        &self,
        option: SocketOption<K, A>,
    ) -> Result<String> {
        self.with(|s| s.getsockopt_string(option))
    }

    /// See [`zmq::Socket::subscribe`](crate::Socket::subscribe).
    pub fn subscribe(&self, prefix: impl AsRef<[u8]>) -> Result<()> {
        self.with(|s| s.subscribe(prefix))
    }

    /// See [`zmq::Socket::unsubscribe`](crate::Socket::unsubscribe).
    pub fn unsubscribe(&self, prefix: impl AsRef<[u8]>) -> Result<()> {
        self.with(|s| s.unsubscribe(prefix))
    }

    /// See [`zmq::Socket::set_hwm`](crate::Socket::set_hwm).
    pub fn set_hwm(&self, hwm: i32) -> Result<()> {
        self.with(|s| s.set_hwm(hwm))
    }

    /// See [`zmq::Socket::hwm`](crate::Socket::hwm).
    pub fn hwm(&self) -> Result<i32> {
        self.with(|s| s.hwm())
    }

    /// See [`zmq::Socket::monitor`](crate::Socket::monitor). Read the
    /// events with a socket of your own, or use
    /// [`get_monitor_socket`](Self::get_monitor_socket).
    pub fn monitor(&self, endpoint: &str, events: Event) -> Result<()> {
        self.with(|s| s.monitor(endpoint, events))
    }

    /// See [`zmq::Socket::disable_monitor`](crate::Socket::disable_monitor).
    pub fn disable_monitor(&self) -> Result<()> {
        self.with(|s| s.disable_monitor())
    }

    /// Starts a monitor and returns an async socket to read its events from
    /// (`s.get_monitor_socket()`; read them with
    /// [`recv_monitor_message`](super::recv_monitor_message)). As the sync
    /// one, it borrows this socket and dropping it stops the monitor.
    pub fn get_monitor_socket(&self, events: Event) -> Result<MonitorSocket<'_>> {
        let (reader, endpoint) = self.with(|s| s.start_monitor_reader(events))?;
        match Socket::from_socket(reader) {
            Ok(reader) => Ok(MonitorSocket {
                reader,
                monitored: self,
                endpoint,
            }),
            Err(e) => {
                // Never a reader-less monitor: its sends would block.
                self.with(|s| s.stop_monitor_if(&endpoint));
                Err(e)
            }
        }
    }

    /// Joins a group (RADIO/DISH, draft).
    #[cfg(feature = "draft")]
    pub fn join(&self, group: &str) -> Result<()> {
        self.with(|s| s.join(group))
    }

    /// Leaves a group (RADIO/DISH, draft).
    #[cfg(feature = "draft")]
    pub fn leave(&self, group: &str) -> Result<()> {
        self.with(|s| s.leave(group))
    }

    /// Closes the socket (`s.close()`); dropping it does the same.
    pub fn close(self) -> Result<()> {
        self.into_socket().close()
    }

    /// Closes the socket after setting `LINGER` (`s.close(linger=ms)`).
    pub fn close_linger(self, linger: i32) -> Result<()> {
        self.into_socket().close_linger(linger)
    }

    /// Sends one part (`await s.send(data)`): whatever the sync
    /// [`send`](crate::Socket::send) takes. Waits while the socket cannot
    /// send (high-water mark, no peer yet for types that wait for one).
    ///
    /// (An `async fn`, written out as a function returning its future.)
    pub fn send<'a, T: Sendable + 'a>(
        &'a self,
        data: T,
        flags: impl Into<Flags>,
    ) -> impl Future<Output = Result<()>> + Send + 'a {
        let mut data = data.into_retry();
        Io::new(
            &self.core,
            PollEvents::POLLOUT,
            flags.into().bits(),
            Timeout::Send,
            move |s, f| data.send_again(s, f),
        )
    }

    /// Sends one message to the peer with this routing id (SERVER, PEER;
    /// pyzmq's `await s.send(data, routing_id=rid)`, feature `draft`); see
    /// the sync [`send_with_routing_id`](crate::Socket::send_with_routing_id).
    #[cfg(feature = "draft")]
    pub fn send_with_routing_id<'a, T: Sendable + 'a>(
        &'a self,
        data: T,
        routing_id: u32,
        flags: impl Into<Flags>,
    ) -> impl Future<Output = Result<()>> + Send + 'a {
        let part = addressed(data.into_part(), |msg| {
            if routing_id == 0 {
                return Err(Error::InvalidArgument(
                    "routing id 0 names no peer (libzmq's routing ids start at 1)",
                ));
            }
            msg.set_routing_id(routing_id)
        });
        self.send_prepared(part, flags.into().bits())
    }

    /// Sends text to the peer with this routing id
    /// (`await s.send_string(u, routing_id=rid)`).
    #[cfg(feature = "draft")]
    pub fn send_string_with_routing_id<'a>(
        &'a self,
        text: &'a str,
        routing_id: u32,
        flags: impl Into<Flags>,
    ) -> impl Future<Output = Result<()>> + Send + 'a {
        self.send_with_routing_id(text.as_bytes(), routing_id, flags)
    }

    /// Sends one message to a group (RADIO; `await s.send(data,
    /// group="g")`, feature `draft`).
    #[cfg(feature = "draft")]
    pub fn send_with_group<'a, T: Sendable + 'a>(
        &'a self,
        data: T,
        group: &str,
        flags: impl Into<Flags>,
    ) -> impl Future<Output = Result<()>> + Send + 'a {
        let part = addressed(data.into_part(), |msg| msg.set_group(group));
        self.send_prepared(part, flags.into().bits())
    }

    /// Sends text to a group (RADIO; `await s.send_string(u, group="g")`).
    #[cfg(feature = "draft")]
    pub fn send_string_with_group<'a>(
        &'a self,
        text: &'a str,
        group: &str,
        flags: impl Into<Flags>,
    ) -> impl Future<Output = Result<()>> + Send + 'a {
        self.send_with_group(text.as_bytes(), group, flags)
    }

    /// Sends an addressed part (or reports why it could not be addressed,
    /// at the first poll).
    #[cfg(feature = "draft")]
    fn send_prepared<'a>(
        &'a self,
        part: Result<Part<'a>>,
        flags: c_int,
    ) -> impl Future<Output = Result<()>> + Send + 'a {
        let mut part = part.map_err(Some);
        Io::new(
            &self.core,
            PollEvents::POLLOUT,
            flags,
            Timeout::Send,
            move |s, f| match &mut part {
                Ok(part) => part.send_again(s, f),
                Err(e) => Err(e
                    .take()
                    .unwrap_or(Error::InvalidArgument("address refused"))),
            },
        )
    }

    /// Connects a PEER and returns that peer's routing id (draft).
    #[cfg(feature = "draft")]
    pub fn connect_peer(&self, endpoint: &str) -> Result<u32> {
        self.with(|s| s.connect_peer(endpoint))
    }

    /// Sends text (`await s.send_string(u)`).
    pub fn send_string<'a>(
        &'a self,
        text: &'a str,
        flags: impl Into<Flags>,
    ) -> impl Future<Output = Result<()>> + Send + 'a {
        self.send(text.as_bytes(), flags)
    }

    /// Sends a multipart message (`await s.send_multipart(parts)`), as
    /// the sync [`send_multipart`](crate::Socket::send_multipart): once the
    /// first part is taken the others follow in the same step, so a
    /// dropped future has sent all of it or none.
    pub async fn send_multipart<I>(&self, parts: I, flags: impl Into<Flags>) -> Result<()>
    where
        I: IntoIterator,
        I::Item: Sendable,
    {
        let flags = flags.into().bits();
        let mut parts = parts.into_iter().peekable();
        let Some(first) = parts.next() else {
            return Err(Error::InvalidArgument(
                "send_multipart needs at least one part",
            ));
        };
        let mut first = first.into_part();
        let more = parts.peek().is_some();
        let mut rest = Some(parts);
        self.io(PollEvents::POLLOUT, flags, Timeout::Send, |s, f| {
            let first_flags = if more { f | sys::ZMQ_SNDMORE } else { f };
            first.send_again(s, first_flags)?;
            let mut rest = rest.take().into_iter().flatten().peekable();
            send_rest(s, flags, || {
                let part = rest.next()?;
                Some((part.into_part(), rest.peek().is_some()))
            })
        })
        .await
    }

    /// Sends `serialize(msg)`'s parts as one multipart message.
    pub async fn send_serialized<M, F, I>(
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
        self.send_multipart(serialize(msg), flags).await
    }

    /// Sends a value as JSON (`await s.send_json(obj)`, feature `json`).
    #[cfg(feature = "json")]
    pub async fn send_json<T: serde::Serialize + ?Sized>(
        &self,
        value: &T,
        flags: impl Into<Flags>,
    ) -> Result<()> {
        let bytes = serde_json::to_vec(value)?;
        self.send(bytes, flags).await
    }

    /// Receives one part as bytes (`await s.recv()`).
    pub async fn recv(&self, flags: impl Into<Flags>) -> Result<Vec<u8>> {
        Ok(self.recv_msg(flags).await?.to_vec())
    }

    /// Receives one part without copying (`await s.recv(copy=False)`).
    pub fn recv_msg(
        &self,
        flags: impl Into<Flags>,
    ) -> impl Future<Output = Result<Message>> + Send + '_ {
        let mut msg = Message::new();
        Io::new(
            &self.core,
            PollEvents::POLLIN,
            flags.into().bits(),
            Timeout::Receive,
            move |s, f| {
                s.recv_msg_into(&mut msg, f)?;
                Ok(std::mem::take(&mut msg))
            },
        )
    }

    /// Receives into an existing message, replacing its content.
    pub fn recv_msg_into<'a>(
        &'a self,
        msg: &'a mut Message,
        flags: impl Into<Flags>,
    ) -> impl Future<Output = Result<()>> + Send + 'a {
        Io::new(
            &self.core,
            PollEvents::POLLIN,
            flags.into().bits(),
            Timeout::Receive,
            move |s, f| s.recv_msg_into(msg, f),
        )
    }

    /// Receives into a buffer (`await s.recv_into(buf)`); the part's full
    /// size, as the sync [`recv_into`](crate::Socket::recv_into).
    pub fn recv_into<'a>(
        &'a self,
        buf: &'a mut [u8],
        flags: impl Into<Flags>,
    ) -> impl Future<Output = Result<usize>> + Send + 'a {
        Io::new(
            &self.core,
            PollEvents::POLLIN,
            flags.into().bits(),
            Timeout::Receive,
            move |s, f| s.recv_into(buf, f),
        )
    }

    /// Receives one part as text (`await s.recv_string()`).
    pub async fn recv_string(&self, flags: impl Into<Flags>) -> Result<String> {
        Ok(String::from_utf8(self.recv(flags).await?)?)
    }

    /// Receives every part of one message (`await s.recv_multipart()`):
    /// all parts in one step, so a dropped future has taken none.
    pub async fn recv_multipart(&self, flags: impl Into<Flags>) -> Result<Vec<Vec<u8>>> {
        let parts = self.recv_multipart_msg(flags).await?;
        Ok(parts.iter().map(|m| m.to_vec()).collect())
    }

    /// Receives every part of one message without copying
    /// (`await s.recv_multipart(copy=False)`).
    pub fn recv_multipart_msg(
        &self,
        flags: impl Into<Flags>,
    ) -> impl Future<Output = Result<Vec<Message>>> + Send + '_ {
        let flags = flags.into().bits();
        Io::new(
            &self.core,
            PollEvents::POLLIN,
            flags,
            Timeout::Receive,
            move |s, f| recv_parts(s, f, flags),
        )
    }

    /// Receives a multipart message and returns `deserialize(parts)`.
    pub async fn recv_serialized<T, F>(&self, deserialize: F, flags: impl Into<Flags>) -> Result<T>
    where
        F: FnOnce(Vec<Vec<u8>>) -> T,
    {
        Ok(deserialize(self.recv_multipart(flags).await?))
    }

    /// Receives a JSON value (`await s.recv_json()`, feature `json`).
    #[cfg(feature = "json")]
    pub async fn recv_json<T: serde::de::DeserializeOwned>(
        &self,
        flags: impl Into<Flags>,
    ) -> Result<T> {
        let msg = self.recv_msg(flags).await?;
        Ok(serde_json::from_slice(&msg)?)
    }

    /// Waits until the socket can do one of `events` (`await s.poll(1000,
    /// zmq.POLLIN)`), for at most `timeout` ms (`-1`/`None`: no limit);
    /// the events it can do (empty: the time ran out).
    pub async fn poll(&self, timeout: impl IntoTimeout, events: PollEvents) -> Result<PollEvents> {
        let ms = timeout.into_timeout_ms();
        let want = events & (PollEvents::POLLIN | PollEvents::POLLOUT);
        let mut wait = Waiting {
            core: &self.core,
            wait: Wait::with_timer(super::runtime::timer_ms(ms)?),
        };
        let result = poll_fn(|cx| {
            let Poll::Ready(budget) = Core::<Tokio>::budget(cx) else {
                return Poll::Pending;
            };
            let polled = self.core.poll_events(cx, &mut wait.wait, want, ms == 0);
            if polled.is_ready() {
                Core::<Tokio>::progress(budget);
            }
            polled
        })
        .await;
        match result {
            Err(Error::Again) => Ok(PollEvents::empty()),
            other => other,
        }
    }

    pub(crate) fn core(&self) -> &Core<Tokio> {
        &self.core
    }

    /// Registers the socket's fd with the current runtime now (see
    /// `Tokio::register`).
    pub(crate) fn register_with_runtime(&self) -> Result<()> {
        let inner = self.core.lock();
        self.core
            .reactor
            .register(&mut || self.core.fd(&inner.socket))
    }
}

/// A part as a message carrying its address (a routing id or a group):
/// bytes become a message of our own; the caller's message is addressed in
/// place, so a dropped future leaves it whole.
#[cfg(feature = "draft")]
fn addressed<'p>(
    part: Part<'p>,
    address: impl FnOnce(&mut Message) -> Result<()>,
) -> Result<Part<'p>> {
    match part {
        Part::MsgRef(msg) => {
            address(msg)?;
            Ok(Part::MsgRef(msg))
        }
        part => {
            let mut msg = part.into_message();
            address(&mut msg)?;
            Ok(Part::Msg(msg))
        }
    }
}

/// One operation's future: tried at once, waiting only on `EAGAIN` (see
/// `readiness`); dropped, it gives up its place among the waiters.
struct Io<'a, F> {
    core: &'a Core<Tokio>,
    /// Released by hand in `drop` (see there).
    wait: std::mem::ManuallyDrop<Wait<Timer>>,
    want: Want,
    /// Dropped by hand in `drop` (see there).
    op: std::mem::ManuallyDrop<F>,
}

impl<'a, T, F> Io<'a, F>
where
    F: FnMut(&crate::Socket, c_int) -> Result<T> + Unpin,
{
    /// `op` must own nothing whose drop can panic (it holds what the
    /// operation sends or fills: bytes, `Part`s, `Message`s, borrowed
    /// buffers; see `drop`).
    #[inline]
    fn new(
        core: &'a Core<Tokio>,
        events: PollEvents,
        flags: c_int,
        timeout: Timeout,
        op: F,
    ) -> Self {
        let (flags, nonblocking) = nonblocking(flags);
        Io {
            core,
            wait: std::mem::ManuallyDrop::new(Wait::new()),
            want: Want {
                events,
                nonblocking,
                timeout,
                flags,
            },
            op: std::mem::ManuallyDrop::new(op),
        }
    }
}

impl<T, F> Future for Io<'_, F>
where
    F: FnMut(&crate::Socket, c_int) -> Result<T> + Unpin,
{
    type Output = Result<T>;

    #[inline(always)]
    fn poll(self: Pin<&mut Self>, cx: &mut TaskContext<'_>) -> Poll<Result<T>> {
        let Io {
            core,
            wait,
            want,
            op,
        } = self.get_mut();
        let op: &mut F = op;
        core.poll_io(cx, wait, *want, Watch::Shared, op)
    }
}

impl<F> Drop for Io<'_, F> {
    /// Inlined where the future is dropped: the operation's data (a
    /// message it owns is closed), then, for an operation that never
    /// waited (the common case), one compare. One that did gives up its
    /// place and drops its timers out of line (`release` leaves a `Wait`
    /// with nothing to drop, so that the `ManuallyDrop` forgets nothing).
    #[inline(always)]
    fn drop(&mut self) {
        // The operation's data goes first, so that nothing is left to
        // clean up on the unwind if a waker woken by `release` panics: the
        // drop glue then has no landing pad, and is inlined. This relies
        // on `op`'s drop not panicking (see `Io::new`): a panic there would
        // skip `release` and leave the waiter registered.
        // SAFETY: dropped once, here; `op` is not used after.
        unsafe { std::mem::ManuallyDrop::drop(&mut self.op) }
        if !self.wait.is_idle() {
            self.core.release(&mut self.wait);
        }
    }
}

/// A future's registration, given up when the future is dropped.
pub(crate) struct Waiting<'a> {
    pub(crate) core: &'a Core<Tokio>,
    pub(crate) wait: Wait<Timer>,
}

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.core.cancel(&mut self.wait);
    }
}

/// Sends the parts after the first, which libzmq takes at once: its
/// high-water mark counts whole messages, so a message whose first part was
/// accepted is never refused half way (the calls block, not `DONTWAIT`, so
/// that a part would wait rather than be lost; they do not wait).
fn send_rest<'p>(
    s: &crate::Socket,
    flags: c_int,
    mut next: impl FnMut() -> Option<(Part<'p>, bool)>,
) -> Result<()> {
    let flags = flags & !sys::ZMQ_DONTWAIT;
    while let Some((mut part, more)) = next() {
        let part_flags = if more {
            flags | sys::ZMQ_SNDMORE
        } else {
            flags
        };
        part.send_again(s, part_flags)?;
    }
    Ok(())
}

/// Receives every part of one message: the first without waiting, the
/// others (delivered with it: libzmq delivers messages whole) likewise, or
/// waiting if libzmq ever had them late, rather than leaving half.
fn recv_parts(s: &crate::Socket, first_flags: c_int, flags: c_int) -> Result<Vec<Message>> {
    let first = s.recv_msg(first_flags)?;
    let mut more = first.more();
    let mut parts = vec![first];
    while more {
        let msg = match s.recv_msg(flags | sys::ZMQ_DONTWAIT) {
            Err(Error::Again) => s.recv_msg(flags & !sys::ZMQ_DONTWAIT)?,
            other => other?,
        };
        more = msg.more();
        parts.push(msg);
    }
    Ok(parts)
}

impl crate::PollSocket for Socket {
    fn poll_key(&self) -> (*mut libc::c_void, SocketType) {
        (self.as_raw(), self.socket_type)
    }
}

impl Stream for Socket {
    type Item = Result<Vec<Message>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut TaskContext<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if this.stream.done {
            return Poll::Ready(None);
        }
        let StreamState { wait, edge, done } = &mut this.stream;
        let result = this.core.poll_io(
            cx,
            wait,
            Want {
                events: PollEvents::POLLIN,
                nonblocking: false,
                timeout: Timeout::Receive,
                flags: sys::ZMQ_DONTWAIT,
            },
            Watch::Own(edge),
            |s, _| recv_parts(s, sys::ZMQ_DONTWAIT, 0),
        );
        result.map(|item| {
            if matches!(item, Err(Error::ContextTerminated)) {
                *done = true;
            }
            Some(item)
        })
    }
}

impl Socket {
    fn poll_flush_sink(&mut self, cx: &mut TaskContext<'_>) -> Poll<Result<()>> {
        let SinkState {
            wait,
            edge,
            pending,
        } = &mut self.sink;
        if pending.is_empty() {
            return Poll::Ready(Ok(()));
        }
        let result = self.core.poll_io(
            cx,
            wait,
            Want {
                events: PollEvents::POLLOUT,
                nonblocking: false,
                timeout: Timeout::Send,
                flags: sys::ZMQ_DONTWAIT,
            },
            Watch::Own(edge),
            |s, _| {
                let count = pending.len();
                let Some((first, rest)) = pending.split_first_mut() else {
                    return Ok(());
                };
                let first_flags = if count > 1 {
                    sys::ZMQ_DONTWAIT | sys::ZMQ_SNDMORE
                } else {
                    sys::ZMQ_DONTWAIT
                };
                Part::MsgRef(first).send_again(s, first_flags)?;
                let mut rest = rest.iter_mut().enumerate();
                send_rest(s, 0, || {
                    let (i, msg) = rest.next()?;
                    Some((Part::MsgRef(msg), i + 2 < count))
                })
            },
        );
        if result.is_ready() {
            pending.clear();
        }
        result
    }
}

impl<T: Sendable> Sink<Vec<T>> for Socket {
    type Error = Error;

    fn poll_ready(self: Pin<&mut Self>, cx: &mut TaskContext<'_>) -> Poll<Result<()>> {
        self.get_mut().poll_flush_sink(cx)
    }

    fn start_send(self: Pin<&mut Self>, item: Vec<T>) -> Result<()> {
        if item.is_empty() {
            return Err(Error::InvalidArgument(
                "a message for the sink needs at least one part",
            ));
        }
        let this = self.get_mut();
        this.sink.pending.clear();
        this.sink
            .pending
            .extend(item.into_iter().map(|part| part.into_part().into_message()));
        Ok(())
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut TaskContext<'_>) -> Poll<Result<()>> {
        self.get_mut().poll_flush_sink(cx)
    }

    fn poll_close(self: Pin<&mut Self>, cx: &mut TaskContext<'_>) -> Poll<Result<()>> {
        self.get_mut().poll_flush_sink(cx)
    }
}

impl std::fmt::Debug for Socket {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("asyncio::Socket")
            .field("type", &self.socket_type)
            .field("raw", &self.as_raw())
            .finish()
    }
}

/// The reader of [`Socket::get_monitor_socket`]: an async PAIR socket
/// (through `Deref`) that borrows the monitored socket and stops its
/// monitor when dropped.
pub struct MonitorSocket<'a> {
    reader: Socket,
    monitored: &'a Socket,
    /// The monitor's endpoint (dropping stops this monitor only).
    endpoint: std::ffi::CString,
}

impl std::ops::Deref for MonitorSocket<'_> {
    type Target = Socket;
    fn deref(&self) -> &Socket {
        &self.reader
    }
}

impl Drop for MonitorSocket<'_> {
    fn drop(&mut self) {
        // As the sync reader's: before the reader goes, never blocking, and
        // only this reader's monitor.
        let endpoint = &self.endpoint;
        self.monitored.with(|s| s.stop_monitor_if(endpoint));
    }
}

impl std::fmt::Debug for MonitorSocket<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("asyncio::MonitorSocket")
            .field("reader", &self.reader)
            .field("monitored", &self.monitored)
            .finish()
    }
}
