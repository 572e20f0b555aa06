//! libzmq's `zmq_poller_*` (draft), wrapped: [`SocketPoller`].

use std::marker::PhantomData;

use libc::{c_int, c_void};

use crate::error::{Error, Result};
use crate::poll::{refuse_beyond_fd_limit, refuse_terminated, IntoTimeout, Key, PollEvents};
use crate::{sys, PollResult, Pollable, Socket};

/// What is registered.
#[derive(Debug, Clone, Copy)]
struct Entry {
    key: Key,
    events: PollEvents,
}

/// libzmq's own poller (`zmq_poller_new`, draft): a persistent set of
/// sockets, thread-safe and classic, and raw file descriptors to wait on,
/// registered once and waited on many times. It answers with the same
/// [`PollResult`] as [`Poller`](crate::Poller).
///
/// ```
/// let ctx = zmq::Context::new();
/// let server = ctx.thread_safe_socket(zmq::SERVER)?;
/// server.bind("tcp://127.0.0.1:*")?;
/// let client = ctx.thread_safe_socket(zmq::CLIENT)?;
/// client.connect(&server.last_endpoint()?)?;
/// let pull = ctx.socket(zmq::PULL)?; // a classic socket beside it
///
/// let mut poller = zmq::SocketPoller::new()?;
/// poller.add(&server, zmq::POLLIN)?;
/// poller.add(&pull, zmq::POLLIN)?;
/// assert!(poller.wait(0)?.is_empty());
///
/// client.send("hello", 0)?;
/// let ready = poller.wait(5000)?; // until the message arrives over tcp
/// assert_eq!(ready.get(&server), zmq::POLLIN);
/// assert!(!ready.contains(&pull));
/// assert_eq!(server.recv_string(0)?, "hello");
/// # Ok::<(), zmq::Error>(())
/// ```
///
/// What the binding does so that libzmq cannot abort under it:
///
/// - A classic socket that has seen its context end makes libzmq's wait
///   abort (socket_poller.cpp:288); `wait` checks them first and returns
///   [`Error::ContextTerminated`] instead. A thread-safe socket reports
///   it cleanly.
/// - libzmq tells every poller a thread-safe socket is in of each wake-up
///   of that socket, with a signal that only a wait of that poller takes,
///   one per pass. Left registered between waits, a socket that other
///   threads keep busy piles them up: an eventfd count that later waits
///   then work off one pass at a time (spinning), or, where libzmq is built
///   without eventfd, a socketpair that fills after 278 and makes libzmq
///   abort in the thread that signals next (signaler.cpp:197). So
///   thread-safe sockets are handed to libzmq only for each `wait`.
/// - More items than `RLIMIT_NOFILE` allows descriptors make libzmq's
///   `poll(2)` fail and abort (socket_poller.cpp:570): refused.
///
/// It borrows its sockets (they cannot be closed while registered) and
/// stays in the thread that made it (`!Send`), as its classic sockets do.
pub struct SocketPoller<'a> {
    raw: *mut c_void,
    entries: Vec<Entry>,
    /// The buffer `zmq_poller_wait_all` fills.
    events: Vec<sys::zmq_poller_event_t>,
    _sockets: PhantomData<&'a Socket>,
}

impl<'a> SocketPoller<'a> {
    /// An empty poller (`zmq_poller_new`).
    #[doc(alias = "zmq_poller_new")]
    pub fn new() -> Result<SocketPoller<'a>> {
        // SAFETY: no arguments; NULL (ENOMEM) is checked.
        let raw = unsafe { sys::zmq_poller_new() };
        if raw.is_null() {
            return Err(Error::last());
        }
        Ok(SocketPoller {
            raw,
            entries: Vec::new(),
            events: Vec::new(),
            _sockets: PhantomData,
        })
    }

    fn position(&self, key: Key) -> Option<usize> {
        self.entries.iter().position(|e| e.key == key)
    }

    fn insert(&mut self, key: Key, events: PollEvents) -> Result<()> {
        if self.position(key).is_some() {
            // libzmq's answer for a second add.
            return Err(Error::InvalidArgument("already added to this poller"));
        }
        self.entries.push(Entry { key, events });
        Ok(())
    }

    /// Watches a socket for `events` (`zmq_poller_add`): a [`Socket`], a
    /// [`ThreadSafeSocket`](crate::ThreadSafeSocket), a
    /// [`MonitorSocket`](crate::MonitorSocket), or a `Box`/`Arc` of one.
    /// Adding it twice is an error ([`Error::InvalidArgument`]): use
    /// [`modify`](Self::modify).
    #[doc(alias = "zmq_poller_add")]
    pub fn add<S: Pollable + ?Sized>(&mut self, socket: &'a S, events: PollEvents) -> Result<()> {
        let (raw, kind) = socket.poll_key();
        let key = Key::Socket(raw as usize, kind.is_thread_safe());
        if self.position(key).is_some() {
            return Err(Error::InvalidArgument("already added to this poller"));
        }
        if !kind.is_thread_safe() {
            // SAFETY: both live (the socket is borrowed for 'a); libzmq
            // checks the events' bits.
            crate::error::cvt(unsafe {
                sys::zmq_poller_add(self.raw, raw, std::ptr::null_mut(), events.bits())
            })?;
        } else {
            check_bits(events)?;
        }
        self.insert(key, events)
    }

    /// Changes the events of a registered socket (`zmq_poller_modify`).
    #[doc(alias = "zmq_poller_modify")]
    pub fn modify<S: Pollable + ?Sized>(&mut self, socket: &S, events: PollEvents) -> Result<()> {
        let (raw, kind) = socket.poll_key();
        let i = self
            .position(Key::Socket(raw as usize, kind.is_thread_safe()))
            .ok_or(Error::InvalidArgument("not added to this poller"))?;
        if kind.is_thread_safe() {
            check_bits(events)?;
        } else {
            // SAFETY: a live socket registered with this live poller.
            crate::error::cvt(unsafe { sys::zmq_poller_modify(self.raw, raw, events.bits()) })?;
        }
        self.entries[i].events = events;
        Ok(())
    }

    /// Stops watching a socket (`zmq_poller_remove`).
    #[doc(alias = "zmq_poller_remove")]
    pub fn remove<S: Pollable + ?Sized>(&mut self, socket: &S) -> Result<()> {
        let (raw, kind) = socket.poll_key();
        let i = self
            .position(Key::Socket(raw as usize, kind.is_thread_safe()))
            .ok_or(Error::InvalidArgument("not added to this poller"))?;
        if !kind.is_thread_safe() {
            // SAFETY: a live socket registered with this live poller.
            crate::error::cvt(unsafe { sys::zmq_poller_remove(self.raw, raw) })?;
        }
        self.entries.remove(i);
        Ok(())
    }

    /// Watches a raw file descriptor (`zmq_poller_add_fd`); the caller
    /// keeps it open while it is registered (a closed one reports
    /// `POLLERR`).
    #[doc(alias = "zmq_poller_add_fd")]
    pub fn add_fd(&mut self, fd: sys::zmq_fd_t, events: PollEvents) -> Result<()> {
        if self.position(Key::Fd(fd)).is_some() {
            return Err(Error::InvalidArgument("already added to this poller"));
        }
        // SAFETY: a live poller; libzmq only polls the fd.
        crate::error::cvt(unsafe {
            sys::zmq_poller_add_fd(self.raw, fd, std::ptr::null_mut(), events.bits())
        })?;
        self.insert(Key::Fd(fd), events)
    }

    /// Changes the events of a registered fd (`zmq_poller_modify_fd`).
    #[doc(alias = "zmq_poller_modify_fd")]
    pub fn modify_fd(&mut self, fd: sys::zmq_fd_t, events: PollEvents) -> Result<()> {
        let i = self
            .position(Key::Fd(fd))
            .ok_or(Error::InvalidArgument("not added to this poller"))?;
        // SAFETY: a live poller and a registered fd.
        crate::error::cvt(unsafe { sys::zmq_poller_modify_fd(self.raw, fd, events.bits()) })?;
        self.entries[i].events = events;
        Ok(())
    }

    /// Stops watching an fd (`zmq_poller_remove_fd`).
    #[doc(alias = "zmq_poller_remove_fd")]
    pub fn remove_fd(&mut self, fd: sys::zmq_fd_t) -> Result<()> {
        let i = self
            .position(Key::Fd(fd))
            .ok_or(Error::InvalidArgument("not added to this poller"))?;
        // SAFETY: a live poller and a registered fd.
        crate::error::cvt(unsafe { sys::zmq_poller_remove_fd(self.raw, fd) })?;
        self.entries.remove(i);
        Ok(())
    }

    /// How many sockets and fds are registered (`zmq_poller_size`).
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether nothing is registered.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Waits up to `timeout` (ms, a `Duration`, `-1`/`None`: no limit) for
    /// registered events (`zmq_poller_wait_all`) and returns every socket
    /// and fd that has some; empty on timeout. With nothing registered (or
    /// only empty events) it returns at once, as [`Poller::poll`](crate::Poller::poll)
    /// does. A signal gives [`Error::Interrupted`].
    #[doc(alias = "zmq_poller_wait_all", alias = "zmq_poller_wait")]
    pub fn wait(&mut self, timeout: impl IntoTimeout) -> Result<PollResult> {
        if self.entries.iter().all(|e| e.events.is_empty()) {
            // libzmq: EFAULT with no limit, a sleep otherwise.
            return Ok(PollResult::from_ready(Vec::new()));
        }
        let thread_safe = self
            .entries
            .iter()
            .filter(|e| matches!(e.key, Key::Socket(_, true)))
            .count();
        // All thread-safe sockets share one descriptor in libzmq's poll.
        let descriptors = self.entries.len() - thread_safe + usize::from(thread_safe > 0);
        if descriptors > 1024 {
            refuse_beyond_fd_limit(descriptors)?;
        }
        refuse_terminated(self.entries.iter().filter_map(|e| match e.key {
            Key::Socket(raw, false) => Some(raw as *mut c_void),
            _ => None,
        }))?;
        // (The caller's IntoTimeout runs before the sockets are handed over.)
        let timeout = timeout.into_timeout_ms();
        let added = self.add_thread_safe();
        let result = added.and_then(|()| self.wait_all(timeout));
        self.remove_thread_safe();
        result
    }

    /// Hands the thread-safe sockets to libzmq for one wait.
    fn add_thread_safe(&mut self) -> Result<()> {
        for entry in &self.entries {
            if let Key::Socket(raw, true) = entry.key {
                // SAFETY: a live socket (borrowed for 'a) not yet in this
                // live poller: every wait removes what it added.
                let rc = unsafe {
                    sys::zmq_poller_add(
                        self.raw,
                        raw as *mut c_void,
                        std::ptr::null_mut(),
                        entry.events.bits(),
                    )
                };
                if rc == -1 {
                    return Err(Error::last());
                }
            }
        }
        Ok(())
    }

    /// Takes them back (those that were added: a failed add stopped the
    /// loop, and removing one that is not there is a harmless EINVAL).
    fn remove_thread_safe(&mut self) {
        for entry in &self.entries {
            if let Key::Socket(raw, true) = entry.key {
                // SAFETY: a live socket and a live poller.
                unsafe { sys::zmq_poller_remove(self.raw, raw as *mut c_void) };
            }
        }
    }

    fn wait_all(&mut self, timeout: libc::c_long) -> Result<PollResult> {
        let n = self.entries.len();
        self.events.clear();
        self.events.reserve(n);
        let n_events = c_int::try_from(n).unwrap_or(c_int::MAX);
        // SAFETY: a live poller whose sockets are live; `events` has room
        // for `n_events` entries, which libzmq fills from the start.
        let rc = unsafe {
            sys::zmq_poller_wait_all(self.raw, self.events.as_mut_ptr(), n_events, timeout)
        };
        if rc == -1 {
            let e = Error::last();
            return if e.is_again() {
                Ok(PollResult::from_ready(Vec::new()))
            } else {
                Err(e)
            };
        }
        // SAFETY: libzmq initialised the first `rc` (<= n_events) entries.
        unsafe { self.events.set_len((rc as usize).min(n)) };
        let mut ready = Vec::with_capacity(self.events.len());
        for event in &self.events {
            let key = if event.socket.is_null() {
                Key::Fd(event.fd)
            } else {
                let raw = event.socket as usize;
                let thread_safe = self.entries.iter().any(|e| e.key == Key::Socket(raw, true));
                Key::Socket(raw, thread_safe)
            };
            ready.push((key, PollEvents::from_bits_retain(event.events)));
        }
        Ok(PollResult::from_ready(ready))
    }
}

/// libzmq refuses events outside these bits (EINVAL); checked here for the
/// thread-safe sockets, which reach libzmq only at the wait.
fn check_bits(events: PollEvents) -> Result<()> {
    let known =
        PollEvents::POLLIN | PollEvents::POLLOUT | PollEvents::POLLERR | PollEvents::POLLPRI;
    if !known.contains(events) {
        return Err(Error::from_errno(libc::EINVAL));
    }
    Ok(())
}

impl Drop for SocketPoller<'_> {
    fn drop(&mut self) {
        // SAFETY: our live poller, destroyed once; its classic sockets are
        // still alive (borrowed for 'a), and it holds no thread-safe one
        // outside a wait.
        unsafe { sys::zmq_poller_destroy(&mut self.raw) };
    }
}

impl std::fmt::Debug for SocketPoller<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SocketPoller")
            .field("raw", &self.raw)
            .field("len", &self.entries.len())
            .finish()
    }
}
