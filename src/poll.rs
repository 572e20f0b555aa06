//! `zmq.Poller` and `zmq.select`.

use std::marker::PhantomData;
use std::time::Duration;

use libc::c_long;

use crate::error::{cvt, Result};
use crate::{sys, Socket, SocketType};

pub use crate::constants::PollEvents;

/// A poll timeout: milliseconds as `i32`/`i64` (negative: forever), a
/// [`Duration`], or `None` (forever) / `Some(ms)`, as pyzmq's `poll(timeout)`.
pub trait IntoTimeout {
    #[doc(hidden)]
    fn into_timeout_ms(self) -> c_long;
}

fn clamp_ms(ms: i64) -> c_long {
    if ms < 0 {
        -1
    } else {
        c_long::try_from(ms).unwrap_or(c_long::MAX)
    }
}

impl IntoTimeout for i32 {
    fn into_timeout_ms(self) -> c_long {
        clamp_ms(i64::from(self))
    }
}
impl IntoTimeout for i64 {
    fn into_timeout_ms(self) -> c_long {
        clamp_ms(self)
    }
}
impl IntoTimeout for Duration {
    fn into_timeout_ms(self) -> c_long {
        clamp_ms(i64::try_from(self.as_millis()).unwrap_or(i64::MAX))
    }
}
impl IntoTimeout for Option<i32> {
    fn into_timeout_ms(self) -> c_long {
        self.map_or(-1, IntoTimeout::into_timeout_ms)
    }
}

/// What a poll item refers to: a socket (by its libzmq pointer) or an fd.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Key {
    /// The libzmq pointer, and whether the type is thread-safe.
    Socket(usize, bool),
    Fd(sys::zmq_fd_t),
}

#[cfg(unix)]
pub(crate) fn refuse_beyond_fd_limit(items: usize) -> Result<()> {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit writes one rlimit through a valid pointer.
    let known = unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } == 0;
    if known && limit.rlim_cur != libc::RLIM_INFINITY && items as u64 > limit.rlim_cur {
        return Err(crate::Error::InvalidArgument(
            "a poll of more items than RLIMIT_NOFILE allows descriptors",
        ));
    }
    Ok(())
}

#[cfg(not(unix))]
pub(crate) fn refuse_beyond_fd_limit(_: usize) -> Result<()> {
    Ok(())
}

/// Returns `ContextTerminated` if one of these classic sockets has seen its
/// context end, as libzmq's socket_poller would find (and assert on) when
/// it reads their `ZMQ_FD`.
///
/// libzmq sets a socket's "terminated" flag only while processing commands
/// inside a call on that socket, in the thread that owns it: here, the
/// calling thread, for every classic socket passed (they are `!Sync`). So
/// what this reads stays true until libzmq reads it again, in the same
/// call: there is no window for a race.
pub(crate) fn refuse_terminated(classic: impl Iterator<Item = *mut libc::c_void>) -> Result<()> {
    for raw in classic {
        let mut fd: sys::zmq_fd_t = 0;
        let mut len = std::mem::size_of::<sys::zmq_fd_t>();
        // SAFETY: a live classic socket (borrowed by the caller), a buffer
        // of the exact size of ZMQ_FD's value. Reading ZMQ_FD processes no
        // commands: it only checks the flag.
        let rc = unsafe {
            sys::zmq_getsockopt(
                raw,
                sys::ZMQ_FD,
                (&mut fd as *mut sys::zmq_fd_t).cast(),
                &mut len,
            )
        };
        if rc == -1 && crate::Error::last().is_context_terminated() {
            return Err(crate::Error::ContextTerminated);
        }
    }
    Ok(())
}

/// A set of sockets (and raw file descriptors) to wait on (pyzmq's
/// `zmq.Poller`). It borrows its sockets, which stay usable: `recv`/`send`
/// take `&self`.
///
/// ```
/// let ctx = zmq::Context::new();
/// let (a, b) = (ctx.socket(zmq::PAIR)?, ctx.socket(zmq::PAIR)?);
/// a.bind("inproc://poller-doc")?;
/// b.connect("inproc://poller-doc")?;
///
/// let mut poller = zmq::Poller::new();
/// poller.register(&b, zmq::POLLIN);
/// let socks = poller.poll(0)?;
/// assert!(socks.is_empty());
///
/// a.send("ping", 0)?;
/// let socks = poller.poll(1000)?;
/// if socks.get(&b) == zmq::POLLIN {
///     assert_eq!(b.recv_string(0)?, "ping");
/// }
/// assert!(socks.contains(&b));
/// # Ok::<(), zmq::Error>(())
/// ```
#[derive(Debug, Default)]
pub struct Poller<'a> {
    items: Vec<sys::zmq_pollitem_t>,
    keys: Vec<Key>,
    /// How many registered sockets are thread-safe (draft) types.
    thread_safe: usize,
    _sockets: PhantomData<&'a Socket>,
}

// Poller is neither Send nor Sync (it holds raw socket pointers), as the
// `&Socket`s it stands for are not Send either (Socket is !Sync).

impl<'a> Poller<'a> {
    /// An empty poller (`zmq.Poller()`).
    pub fn new() -> Poller<'a> {
        Poller {
            items: Vec::new(),
            keys: Vec::new(),
            thread_safe: 0,
            _sockets: PhantomData,
        }
    }

    /// Watches `socket` for `events` (`poller.register(s, zmq.POLLIN)`);
    /// registering it again changes its events, and empty events unregister
    /// it, as in pyzmq.
    ///
    /// It takes any [`Pollable`]: a [`Socket`], the reader of
    /// [`get_monitor_socket`](Socket::get_monitor_socket), a
    /// `ThreadSafeSocket` (draft), or a `Box`/`Arc` of one.
    pub fn register<S: Pollable + ?Sized>(&mut self, socket: &'a S, events: PollEvents) {
        let (raw, kind) = socket.poll_key();
        self.upsert(
            Key::Socket(raw as usize, kind.is_thread_safe()),
            raw,
            0,
            events,
        );
    }

    /// Watches a raw file descriptor (pyzmq's `register(fd, ...)`).
    pub fn register_fd(&mut self, fd: sys::zmq_fd_t, events: PollEvents) {
        self.upsert(Key::Fd(fd), std::ptr::null_mut(), fd, events);
    }

    /// Changes the events of a registered socket (`poller.modify(s, f)`).
    pub fn modify<S: Pollable + ?Sized>(&mut self, socket: &'a S, events: PollEvents) {
        self.register(socket, events);
    }

    /// Changes the events of a registered fd.
    pub fn modify_fd(&mut self, fd: sys::zmq_fd_t, events: PollEvents) {
        self.register_fd(fd, events);
    }

    /// Stops watching a socket (`poller.unregister(s)`); returns whether it
    /// was registered.
    pub fn unregister<S: Pollable + ?Sized>(&mut self, socket: &S) -> bool {
        let (raw, kind) = socket.poll_key();
        self.remove(Key::Socket(raw as usize, kind.is_thread_safe()))
    }

    /// Stops watching an fd.
    pub fn unregister_fd(&mut self, fd: sys::zmq_fd_t) -> bool {
        self.remove(Key::Fd(fd))
    }

    /// How many sockets and fds are registered.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether nothing is registered.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    fn upsert(
        &mut self,
        key: Key,
        socket: *mut libc::c_void,
        fd: sys::zmq_fd_t,
        events: PollEvents,
    ) {
        if events.is_empty() {
            self.remove(key);
            return;
        }
        match self.keys.iter().position(|k| *k == key) {
            Some(i) => self.items[i].events = events.bits(),
            None => {
                if let Key::Socket(_, true) = key {
                    self.thread_safe += 1;
                }
                self.keys.push(key);
                self.items.push(sys::zmq_pollitem_t {
                    socket,
                    fd,
                    events: events.bits(),
                    revents: 0,
                });
            }
        }
    }

    fn remove(&mut self, key: Key) -> bool {
        match self.keys.iter().position(|k| *k == key) {
            Some(i) => {
                if let Key::Socket(_, true) = self.keys.remove(i) {
                    self.thread_safe -= 1;
                }
                self.items.remove(i);
                true
            }
            None => false,
        }
    }

    /// Waits up to `timeout` for registered events (`dict(poller.poll(1000))`):
    /// milliseconds, a `Duration`, or `-1`/`None` for no limit. The result
    /// does not borrow the poller. An empty poller returns at once, as pyzmq's
    /// does. A signal gives [`Error::Interrupted`](crate::Error::Interrupted).
    #[doc(alias = "zmq_poll")]
    pub fn poll(&mut self, timeout: impl IntoTimeout) -> Result<PollResult> {
        if self.items.is_empty() {
            return Ok(PollResult { ready: Vec::new() });
        }
        if self.items.len() > 1024 {
            // libzmq asserts when poll() refuses more items than the
            // process may have descriptors (EINVAL, zmq.cpp:966).
            refuse_beyond_fd_limit(self.items.len())?;
        }
        if self.thread_safe > 0 {
            // With a thread-safe socket in the set, libzmq polls through its
            // socket_poller, which asserts (aborts) when a classic socket has
            // already seen its context end.
            let classic = self.keys.iter().filter_map(|key| match key {
                Key::Socket(raw, false) => Some(*raw as *mut libc::c_void),
                _ => None,
            });
            refuse_terminated(classic)?;
        }
        let n = libc::c_int::try_from(self.items.len()).unwrap_or(libc::c_int::MAX);
        // SAFETY: `items` holds `n` valid entries whose sockets are borrowed
        // for 'a (alive) and whose fds are the caller's.
        let count =
            cvt(unsafe { sys::zmq_poll(self.items.as_mut_ptr(), n, timeout.into_timeout_ms()) })?;
        let mut ready = Vec::with_capacity(count as usize);
        for (item, key) in self.items.iter().zip(&self.keys) {
            if item.revents != 0 {
                ready.push((*key, PollEvents::from_bits_retain(item.revents)));
            }
        }
        Ok(PollResult { ready })
    }
}

/// What [`Poller::poll`] found: like pyzmq's `dict(poller.poll())`, keyed by
/// socket (or fd), with the events that happened.
#[derive(Debug, Clone, Default)]
pub struct PollResult {
    ready: Vec<(Key, PollEvents)>,
}

/// A socket a [`PollResult`] can be asked about: a [`Socket`] or, with
/// feature `tokio`, a `zmq::asyncio::Socket`.
pub trait PollSocket {
    /// The libzmq socket.
    #[doc(hidden)]
    fn poll_key(&self) -> (*mut libc::c_void, SocketType);
}

impl<T: PollSocket + ?Sized> PollSocket for &T {
    fn poll_key(&self) -> (*mut libc::c_void, SocketType) {
        (**self).poll_key()
    }
}

impl<T: PollSocket + ?Sized> PollSocket for Box<T> {
    fn poll_key(&self) -> (*mut libc::c_void, SocketType) {
        (**self).poll_key()
    }
}

impl<T: PollSocket + ?Sized> PollSocket for std::sync::Arc<T> {
    fn poll_key(&self) -> (*mut libc::c_void, SocketType) {
        (**self).poll_key()
    }
}

impl PollSocket for Socket {
    fn poll_key(&self) -> (*mut libc::c_void, SocketType) {
        (self.as_raw(), self.socket_type())
    }
}

impl PollSocket for crate::MonitorSocket<'_> {
    fn poll_key(&self) -> (*mut libc::c_void, SocketType) {
        (**self).poll_key()
    }
}

#[cfg(feature = "draft")]
impl PollSocket for crate::ThreadSafeSocket {
    fn poll_key(&self) -> (*mut libc::c_void, SocketType) {
        (self.as_raw(), self.socket_type())
    }
}

mod sealed {
    pub trait Sealed {}
}

/// A socket that [`Poller`] (and, with `draft`, `SocketPoller`) can wait
/// on from the thread that owns the poller: a [`Socket`], a
/// [`MonitorSocket`](crate::MonitorSocket), a `ThreadSafeSocket` (draft),
/// or a reference, `Box` or `Arc` of one. Sealed: an async socket is not
/// one (its own `zmq::asyncio::Poller` waits on it).
pub trait Pollable: PollSocket + sealed::Sealed {}

impl sealed::Sealed for Socket {}
impl Pollable for Socket {}
impl sealed::Sealed for crate::MonitorSocket<'_> {}
impl Pollable for crate::MonitorSocket<'_> {}
#[cfg(feature = "draft")]
impl sealed::Sealed for crate::ThreadSafeSocket {}
#[cfg(feature = "draft")]
impl Pollable for crate::ThreadSafeSocket {}
impl<T: Pollable + ?Sized> sealed::Sealed for &T {}
impl<T: Pollable + ?Sized> Pollable for &T {}
impl<T: Pollable + ?Sized> sealed::Sealed for Box<T> {}
impl<T: Pollable + ?Sized> Pollable for Box<T> {}
impl<T: Pollable + ?Sized> sealed::Sealed for std::sync::Arc<T> {}
impl<T: Pollable + ?Sized> Pollable for std::sync::Arc<T> {}

impl PollResult {
    #[cfg(any(feature = "tokio", feature = "draft"))]
    pub(crate) fn from_ready(ready: Vec<(Key, PollEvents)>) -> PollResult {
        PollResult { ready }
    }

    /// The events of `socket` (`socks.get(s)`); empty if none happened.
    pub fn get<S: PollSocket + ?Sized>(&self, socket: &S) -> PollEvents {
        let (raw, kind) = socket.poll_key();
        self.lookup(Key::Socket(raw as usize, kind.is_thread_safe()))
    }

    /// The events of a raw fd.
    pub fn get_fd(&self, fd: sys::zmq_fd_t) -> PollEvents {
        self.lookup(Key::Fd(fd))
    }

    fn lookup(&self, key: Key) -> PollEvents {
        self.ready
            .iter()
            .find(|(k, _)| *k == key)
            .map_or(PollEvents::empty(), |(_, events)| *events)
    }

    /// Whether `socket` had any event (`s in socks`).
    pub fn contains<S: PollSocket + ?Sized>(&self, socket: &S) -> bool {
        !self.get(socket).is_empty()
    }

    /// Whether an fd had any event.
    pub fn contains_fd(&self, fd: sys::zmq_fd_t) -> bool {
        !self.get_fd(fd).is_empty()
    }

    /// Whether nothing happened (`not socks`): the poll timed out.
    pub fn is_empty(&self) -> bool {
        self.ready.is_empty()
    }

    /// How many sockets and fds had events.
    pub fn len(&self) -> usize {
        self.ready.len()
    }

    /// The events, in registration order: `(Some(socket pointer), events)`
    /// for sockets (compare with [`Socket::as_raw`]), `(None, events)` with
    /// the fd for fds.
    pub fn iter(&self) -> impl Iterator<Item = (PollTarget, PollEvents)> + '_ {
        self.ready.iter().map(|(key, events)| {
            let target = match key {
                Key::Socket(ptr, _) => PollTarget::Socket(*ptr as *mut libc::c_void),
                Key::Fd(fd) => PollTarget::Fd(*fd),
            };
            (target, *events)
        })
    }
}

/// Which registered thing an event of [`PollResult::iter`] is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PollTarget {
    /// A socket, by its [`Socket::as_raw`] pointer.
    Socket(*mut libc::c_void),
    /// A raw file descriptor.
    Fd(sys::zmq_fd_t),
}

/// Waits until some of `read` can receive, `write` can send, or `error` has
/// an error (pyzmq's `zmq.select(r, w, x, timeout)`), for `timeout` seconds
/// (`None` or a negative number: no limit; NaN or an infinity is an error,
/// as in pyzmq). Returns the three ready subsets.
///
/// ```
/// let ctx = zmq::Context::new();
/// let s = ctx.socket(zmq::PUSH)?;
/// s.bind("inproc://select-doc")?;
/// let peer = ctx.socket(zmq::PULL)?;
/// peer.connect("inproc://select-doc")?;
/// let (r, w, _) = zmq::select(&[&peer], &[&s], &[], Some(1.0))?;
/// assert!(r.is_empty());
/// assert_eq!(w.len(), 1);
/// # Ok::<(), zmq::Error>(())
/// ```
#[allow(clippy::type_complexity)]
pub fn select<'a>(
    read: &[&'a Socket],
    write: &[&'a Socket],
    error: &[&'a Socket],
    timeout: Option<f64>,
) -> Result<(Vec<&'a Socket>, Vec<&'a Socket>, Vec<&'a Socket>)> {
    let mut poller = Poller::new();
    for (list, events) in [
        (read, PollEvents::POLLIN),
        (write, PollEvents::POLLOUT),
        (error, PollEvents::POLLERR),
    ] {
        for s in list {
            let key = Key::Socket(s.as_raw() as usize, s.socket_type().is_thread_safe());
            let old = poller
                .keys
                .iter()
                .position(|k| *k == key)
                .map_or(PollEvents::empty(), |i| {
                    PollEvents::from_bits_retain(poller.items[i].events)
                });
            poller.register(s, old | events);
        }
    }
    let ms = match timeout {
        None => -1,
        // pyzmq: ValueError for NaN, OverflowError for infinities.
        Some(seconds) if !seconds.is_finite() => {
            return Err(crate::Error::InvalidArgument(
                "select timeout is NaN or infinite (None waits forever)",
            ))
        }
        Some(seconds) if seconds < 0.0 => -1,
        Some(seconds) => (seconds * 1000.0).round().min(i64::MAX as f64) as i64,
    };
    let result = poller.poll(ms)?;
    let pick = |list: &[&'a Socket], event: PollEvents| -> Vec<&'a Socket> {
        list.iter()
            .copied()
            .filter(|s| result.get(s).contains(event))
            .collect()
    };
    Ok((
        pick(read, PollEvents::POLLIN),
        pick(write, PollEvents::POLLOUT),
        pick(error, PollEvents::POLLERR),
    ))
}
