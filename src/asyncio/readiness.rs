//! When an async operation on a libzmq socket can go ahead: the one place
//! that knows how libzmq's `ZMQ_FD` behaves, independent of the runtime
//! (the runtime only supplies a [`Reactor`]: "tell me when this fd becomes
//! readable" and a timer).
//!
//! libzmq's `ZMQ_FD` is edge-triggered and says nothing by itself: it
//! becomes readable when commands reach the socket's mailbox, and every
//! `send`, `recv` and `ZMQ_EVENTS` read processes those commands, consuming
//! the edge whoever it was for. So:
//!
//! 1. An operation is always tried first (`DONTWAIT`); only `EAGAIN` makes
//!    it wait.
//! 2. Before waiting, pending commands are processed, so that the next
//!    command raises a new edge: a recv with `DONTWAIT` does it itself
//!    (libzmq processes the mailbox and tries again before `EAGAIN`), and
//!    so does a poll's `ZMQ_EVENTS` read; a send does not, so before a
//!    send waits `ZMQ_EVENTS` is read, and if it says the send can go
//!    ahead, it is tried again at once. Where POLLOUT says nothing (a
//!    SERVER's: one peer's pipe may be full while the others have room),
//!    a send retries once after the read, then waits for an edge or a
//!    backstop timer, and POLLOUT does not wake it.
//! 3. Waiting means: registered as a waiter, and watching the fd. A
//!    future watches through the runtime's single wake-up slot for the fd,
//!    which always belongs to the most recent waiting future (the
//!    *watcher*). The socket's `Stream` and `Sink`, which have no drop to
//!    tell when their consumer has gone, watch through a wake-up of their
//!    own instead ([`Watch::Own`]), so that an abandoned one never holds
//!    the slot.
//! 4. An edge wakes the watcher, which wakes every other waiter: the edge
//!    may have been for any of them.
//! 5. An operation that completes may have consumed an edge meant for
//!    another waiter: when others wait, it reads `ZMQ_EVENTS` and wakes
//!    those whose event is now there.
//! 6. A watcher that completes, times out or is dropped wakes every other
//!    waiter, so that one of them watches the fd from then on.
//! 7. A failure that ends the socket (`ETERM`) wakes every waiter: each sees
//!    it on its own next attempt.
//!
//! pyzmq's `_future.py` follows the same rules (its PRs #1075, #1107 and
//! #1208 each fixed one of them). The lock around the socket is held for
//! one non-blocking libzmq call at a time (never across an `.await`).

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use libc::c_int;

use super::lock::{Guard, Lock};
use crate::error::{Error, Result};
use crate::{sys, PollEvents, Socket};

/// What a runtime supplies.
pub(crate) trait Reactor: Send + Sync {
    /// A timer, for `RCVTIMEO`/`SNDTIMEO`.
    type Timer: Send + Unpin;

    /// One unit of the runtime's cooperative budget.
    type Budget;

    /// Ready once per new edge of `fd` (readable), clearing it; otherwise
    /// registers `cx`'s waker for the next one (only the most recent
    /// caller's waker is kept). `fd` gives the fd on first use.
    fn poll_edge(
        &self,
        cx: &mut Context<'_>,
        fd: &mut dyn FnMut() -> Result<sys::zmq_fd_t>,
    ) -> Poll<Result<()>>;

    /// A wake-up of its own for the next edge of `fd` (for [`Watch::Own`]):
    /// completes once per edge, clearing it.
    fn edge(
        &self,
        fd: &mut dyn FnMut() -> Result<sys::zmq_fd_t>,
    ) -> Result<Pin<Box<dyn Future<Output = Result<()>> + Send>>>;

    /// A timer that expires after `after`.
    fn timer(&self, after: Duration) -> Result<Self::Timer>;

    /// The runtime's cooperative budget: a task whose operations keep
    /// completing at once must still yield now and then (tokio's `coop`),
    /// or it would starve the other tasks of its thread. Pending when the
    /// budget is spent (the task is woken to go on after yielding).
    fn poll_budget(cx: &mut Context<'_>) -> Poll<Self::Budget>;

    /// Spends the unit of budget `poll_budget` handed out: the operation
    /// made progress (else the budget is given back when it is dropped).
    fn made_progress(budget: Self::Budget);

    /// Ready once `timer` has expired.
    fn poll_timer(timer: &mut Self::Timer, cx: &mut Context<'_>) -> Poll<Result<()>>;
}

/// Which timeout option applies to an operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Timeout {
    /// `RCVTIMEO`.
    Receive,
    /// `SNDTIMEO`.
    Send,
    /// None (polls, which have their own).
    Never,
}

/// What one operation waits for.
#[derive(Clone, Copy)]
pub(crate) struct Want {
    /// The `ZMQ_EVENTS` bits that make it possible.
    pub(crate) events: PollEvents,
    /// The caller asked for `DONTWAIT`: `EAGAIN` at once.
    pub(crate) nonblocking: bool,
    /// Which timeout option bounds the wait.
    pub(crate) timeout: Timeout,
    /// The flags each try is given (with `DONTWAIT`).
    pub(crate) flags: c_int,
}

/// A wake-up of one's own (see [`Watch::Own`]).
pub(crate) type OwnEdge = Option<Exclusive<Pin<Box<dyn Future<Output = Result<()>> + Send>>>>;

/// A value only ever reached through `&mut` (std's unstable `Exclusive`):
/// `Sync` whatever it holds, since a `&Exclusive` gives no access to it.
pub(crate) struct Exclusive<T>(T);

// SAFETY: no method takes `&self`, so sharing `&Exclusive<T>` between
// threads shares nothing of `T`; moving it (Send) needs `T: Send`.
unsafe impl<T: Send> Sync for Exclusive<T> {}

impl<T> Exclusive<T> {
    fn get_mut(&mut self) -> &mut T {
        &mut self.0
    }
}

/// How a waiting operation watches the fd (rule 3).
pub(crate) enum Watch<'a> {
    /// Through the reactor's single slot, as the watcher: for futures,
    /// which give up their place when dropped (rule 6).
    Shared,
    /// Through a wake-up of its own, kept here between polls: for the
    /// socket's `Stream` and `Sink`.
    Own(&'a mut OwnEdge),
}

/// A waiting operation's registration: kept in the operation's future (or
/// in the socket, for its `Stream` and `Sink`).
pub(crate) struct Wait<T> {
    id: Option<u64>,
    deadline: Deadline<T>,
    /// The retry timer of a send where POLLOUT says nothing (see
    /// `poll_locked`).
    backstop: Option<T>,
}

/// How often a send where POLLOUT says nothing (SERVER, PEER, ROUTER)
/// tries again while it waits.
const BACKSTOP: Duration = Duration::from_millis(10);

enum Deadline<T> {
    /// Not read yet (read once the operation first has to wait).
    Unknown,
    None,
    /// A timeout of 0: libzmq's "do not wait", as `DONTWAIT`.
    Now,
    At(T),
}

impl<T> Wait<T> {
    pub(crate) fn new() -> Wait<T> {
        Wait {
            id: None,
            deadline: Deadline::Unknown,
            backstop: None,
        }
    }

    /// Holds nothing: not among the waiters, no timer (a new one, or one
    /// whose operation is over). One compare: the deadline is read before
    /// a waiter is registered or a backstop made (`poll_locked`), and all
    /// three are cleared together (`finish`), so an unread deadline says
    /// for the other two.
    #[inline(always)]
    pub(crate) fn is_idle(&self) -> bool {
        let idle = matches!(self.deadline, Deadline::Unknown);
        debug_assert!(!idle || (self.id.is_none() && self.backstop.is_none()));
        idle
    }

    /// An operation with its own time limit (a poll's timeout): `None`
    /// waits forever.
    pub(crate) fn with_timer(timer: Option<T>) -> Wait<T> {
        Wait {
            id: None,
            deadline: timer.map_or(Deadline::None, Deadline::At),
            backstop: None,
        }
    }
}

struct Waiter {
    id: u64,
    want: PollEvents,
    /// A send where POLLOUT says nothing (see rule 2): woken by edges and
    /// its backstop, not by a POLLOUT that ZMQ_EVENTS reports.
    deaf_to_pollout: bool,
    waker: Waker,
}

#[derive(Default)]
struct Waiters {
    list: Vec<Waiter>,
    next_id: u64,
    /// The waiter whose waker the reactor holds.
    watcher: Option<u64>,
}

/// What the lock protects: the socket and who waits on it.
pub(crate) struct Inner {
    pub(crate) socket: Socket,
    waiters: Waiters,
}

/// See [`Core::poll_io`].
const BUDGET_STRIDE: u32 = 8;

/// A socket, its waiters, and the reactor that watches its fd.
///
/// Field order matters: the reactor (which holds the fd's registration)
/// is dropped before the fd's owner (the libzmq poller of a thread-safe
/// socket, then the socket) closes it.
pub(crate) struct Core<R> {
    pub(crate) reactor: R,
    source: FdSource,
    /// `ZMQ_EVENTS` may say POLLOUT while a send cannot go ahead: SERVER,
    /// PEER, ROUTER (with ROUTER_MANDATORY) and STREAM send to one peer's
    /// pipe, which may be full; PUB, XPUB and RADIO (with XPUB_NODROP) to
    /// every subscriber's (see rule 2). Their other sends never wait.
    pollout_lies: bool,
    inner: Lock<Inner>,
}

/// Where the fd to watch comes from. A classic socket has its own
/// (`ZMQ_FD`), which libzmq drains as it processes the socket's commands.
/// A thread-safe socket has none: a libzmq poller holding it (and only it)
/// has one (`zmq_poller_fd`), which is signalled on the same occasions (a
/// command reaching an idle mailbox) but which only a `zmq_poller_wait`
/// would drain. Nothing waits on that poller: its fd is drained here after
/// each edge, before the operation is tried again (so a command signalled
/// before the drain is seen by that try, and one signalled after raises a
/// new edge). Left undrained it would pile up signals (an eventfd count;
/// where libzmq has no eventfd, a socketpair that fills and aborts).
enum FdSource {
    Socket,
    #[cfg(feature = "draft")]
    Poller(PollerFd),
}

impl FdSource {
    fn for_socket(socket: &Socket) -> Result<FdSource> {
        #[cfg(feature = "draft")]
        if socket.socket_type().is_thread_safe() {
            return PollerFd::new(socket).map(FdSource::Poller);
        }
        let _ = socket;
        Ok(FdSource::Socket)
    }

    fn fd(&self, socket: &Socket) -> Result<sys::zmq_fd_t> {
        match self {
            FdSource::Socket => socket.fd(),
            #[cfg(feature = "draft")]
            FdSource::Poller(poller) => Ok(poller.fd),
        }
    }

    /// After an edge: takes the signals that raised it.
    #[inline]
    fn drain(&self) {
        #[cfg(feature = "draft")]
        if let FdSource::Poller(poller) = self {
            poller.drain();
        }
    }

    /// After an operation that did not wait: signals still come while
    /// nobody waits (about one per 100 messages of a busy socket: libzmq
    /// looks at its mailbox that often), so every 64 such operations the fd
    /// is drained too, one read(2) that usually finds nothing.
    #[inline]
    fn tick(&self) {
        #[cfg(feature = "draft")]
        if let FdSource::Poller(poller) = self {
            if poller
                .ops
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
                % 64
                == 63
            {
                poller.drain();
            }
        }
    }
}

/// A libzmq poller that holds one thread-safe socket, for its fd.
#[cfg(feature = "draft")]
struct PollerFd {
    raw: *mut libc::c_void,
    socket: *mut libc::c_void,
    fd: sys::zmq_fd_t,
    /// Operations done without waiting (see `FdSource::tick`).
    ops: std::sync::atomic::AtomicU32,
}

// SAFETY: the poller is used only here: made in `new`, its fd read there,
// destroyed in `drop` (with `&mut self`); nothing else calls it, so moving
// or sharing the handle between threads shares no libzmq state. `drain`
// reads the fd, an integer, from `&self`: a read(2) of a non-blocking fd,
// which any thread may make (and which `Core` makes under its lock).
#[cfg(feature = "draft")]
unsafe impl Send for PollerFd {}
#[cfg(feature = "draft")]
unsafe impl Sync for PollerFd {}

#[cfg(feature = "draft")]
impl PollerFd {
    fn new(socket: &Socket) -> Result<PollerFd> {
        // SAFETY: a new poller (NULL checked), the live socket (the `Core`
        // drops this before the socket: field order), valid out-pointers.
        unsafe {
            let raw = sys::zmq_poller_new();
            if raw.is_null() {
                return Err(Error::last());
            }
            let mut poller = PollerFd {
                raw,
                socket: std::ptr::null_mut(),
                fd: -1,
                ops: std::sync::atomic::AtomicU32::new(0),
            };
            let events = (PollEvents::POLLIN | PollEvents::POLLOUT).bits();
            if sys::zmq_poller_add(raw, socket.as_raw(), std::ptr::null_mut(), events) == -1 {
                return Err(Error::last());
            }
            poller.socket = socket.as_raw();
            if sys::zmq_poller_fd(raw, &mut poller.fd) == -1 {
                return Err(Error::last());
            }
            Ok(poller)
        }
    }

    /// Reads the fd until it is empty: an eventfd gives its whole count at
    /// once, a socketpair one byte per signal.
    fn drain(&self) {
        let mut buf = [0u8; 64];
        loop {
            // SAFETY: a non-blocking fd owned by our live poller, a buffer
            // of that length.
            let n = unsafe { libc::read(self.fd, buf.as_mut_ptr().cast(), buf.len()) };
            if n == buf.len() as isize {
                continue; // a socketpair with more
            }
            if n == -1 && std::io::Error::last_os_error().kind() == std::io::ErrorKind::Interrupted
            {
                continue;
            }
            return; // empty (EAGAIN), or all of it read
        }
    }
}

#[cfg(feature = "draft")]
impl Drop for PollerFd {
    fn drop(&mut self) {
        // SAFETY: our poller, and the socket it holds, still live (see
        // `new`); the socket is taken out first, then the poller destroyed.
        unsafe {
            if !self.socket.is_null() {
                sys::zmq_poller_remove(self.raw, self.socket);
            }
            sys::zmq_poller_destroy(&mut self.raw);
        }
    }
}

/// Wakers to wake once the lock is released.
#[derive(Default)]
struct Wakeups(Vec<Waker>);

impl Wakeups {
    #[inline]
    fn run(self) {
        if !self.0.is_empty() {
            self.wake_all();
        }
    }

    #[inline(never)]
    fn wake_all(self) {
        for waker in self.0 {
            waker.wake();
        }
    }
}

impl<R: Reactor> Core<R> {
    /// Fails only for a thread-safe socket, whose libzmq poller could not
    /// be made (ENOMEM, or no descriptor left: EMFILE).
    pub(crate) fn new(socket: Socket, reactor: R) -> Result<Core<R>> {
        use crate::SocketType as T;
        let kind = socket.socket_type();
        #[cfg(feature = "draft")]
        let draft = matches!(kind, T::SERVER | T::PEER | T::RADIO);
        #[cfg(not(feature = "draft"))]
        let draft = false;
        Ok(Core {
            reactor,
            source: FdSource::for_socket(&socket)?,
            pollout_lies: draft || matches!(kind, T::ROUTER | T::STREAM | T::PUB | T::XPUB),
            inner: Lock::new(Inner {
                socket,
                waiters: Waiters::default(),
            }),
        })
    }

    /// A call that did not wait is done (see [`FdSource::tick`]): counted
    /// only while nobody waits (with the lock held), since a drain could
    /// take the edge a waiter is waiting for.
    #[inline]
    pub(crate) fn tick_idle(&self, inner: &Inner) {
        if inner.waiters.list.is_empty() {
            self.source.tick();
        }
    }

    /// The fd the reactor watches (see [`FdSource`]).
    pub(crate) fn fd(&self, socket: &Socket) -> Result<sys::zmq_fd_t> {
        self.source.fd(socket)
    }

    /// The socket, for one non-blocking call. A panic while it was held
    /// (in a caller's closure) leaves the socket itself consistent: libzmq
    /// calls do not unwind (see [`Lock`]: it does not poison).
    #[inline]
    pub(crate) fn lock(&self) -> Guard<'_, Inner> {
        self.inner.lock()
    }

    pub(crate) fn into_socket(self) -> Socket {
        drop(self.reactor);
        // A thread-safe socket's poller goes before the socket (without
        // `draft` there is none, and nothing to drop).
        #[allow(clippy::drop_non_drop)]
        drop(self.source);
        self.inner.into_inner().socket
    }

    /// One unit of the runtime's cooperative budget (Pending: yield first).
    #[inline]
    pub(crate) fn budget(cx: &mut Context<'_>) -> Poll<R::Budget> {
        R::poll_budget(cx)
    }

    /// The unit of budget was spent on progress.
    #[inline]
    pub(crate) fn progress(budget: R::Budget) {
        R::made_progress(budget);
    }

    /// Drives one operation: `op` is called with the socket locked and
    /// must not block (it is given `DONTWAIT` in its flags by the caller);
    /// `EAGAIN` from it means "not yet".
    ///
    /// The common case costs one lock and one try: an operation that has
    /// not waited yet, on a socket nobody else waits on, that libzmq does
    /// at once (a burst of queued messages), has no waiter to register,
    /// remove or wake (rules 5-7 have nothing to do).
    ///
    /// The runtime's cooperative budget is taken once per
    /// [`BUDGET_STRIDE`] operations of the thread: a runtime counts one
    /// unit per operation of its own resources (tokio gives a task 128: a
    /// `TcpStream` read, a system call, is one), while a libzmq call that
    /// completes at once costs a few hundred instructions, and taking the
    /// unit (a thread-local, a guard) cost a tenth of that per operation.
    /// A task whose socket always has a message ready still yields, after
    /// 128 x 8 operations of its thread.
    #[inline(always)]
    pub(crate) fn poll_io<T>(
        &self,
        cx: &mut Context<'_>,
        wait: &mut Wait<R::Timer>,
        want: Want,
        watch: Watch<'_>,
        op: impl FnMut(&Socket, c_int) -> Result<T>,
    ) -> Poll<Result<T>> {
        thread_local! {
            static UNCHARGED: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
        }
        let uncharged = UNCHARGED.get();
        if uncharged + 1 >= BUDGET_STRIDE {
            return self.poll_charged(cx, wait, want, watch, op, &UNCHARGED);
        }
        UNCHARGED.set(uncharged + 1);
        self.poll_io_in_budget(cx, wait, want, watch, op)
    }

    /// The fast path's try failed: `EAGAIN` makes the operation wait
    /// (unless `DONTWAIT`); anything else is its result.
    #[cold]
    #[inline(never)]
    #[allow(clippy::too_many_arguments)]
    fn failed_try<T>(
        &self,
        inner: Guard<'_, Inner>,
        e: Error,
        cx: &mut Context<'_>,
        wait: &mut Wait<R::Timer>,
        want: Want,
        watch: Watch<'_>,
        op: &mut impl FnMut(&Socket, c_int) -> Result<T>,
    ) -> Poll<Result<T>> {
        if matches!(e, Error::Again) && !want.nonblocking {
            return self.poll_slow(inner, cx, wait, want, watch, op, false);
        }
        self.source.tick();
        Poll::Ready(Err(e))
    }

    /// [`poll_io`](Self::poll_io) for the one operation in
    /// [`BUDGET_STRIDE`] of a thread that pays a unit of the budget.
    #[inline(never)]
    fn poll_charged<T>(
        &self,
        cx: &mut Context<'_>,
        wait: &mut Wait<R::Timer>,
        want: Want,
        watch: Watch<'_>,
        op: impl FnMut(&Socket, c_int) -> Result<T>,
        uncharged: &'static std::thread::LocalKey<std::cell::Cell<u32>>,
    ) -> Poll<Result<T>> {
        let Poll::Ready(budget) = R::poll_budget(cx) else {
            return Poll::Pending; // yield; a waiter stays registered
        };
        let result = self.poll_io_in_budget(cx, wait, want, watch, op);
        if result.is_ready() {
            // Charged once it made progress: an operation that waits gets
            // its unit back, and the next one is charged instead.
            R::made_progress(budget);
            uncharged.set(0);
        }
        result
    }

    /// [`poll_io`](Self::poll_io) without the cooperative budget, for a
    /// caller that has taken it once for several sockets (the Poller).
    #[inline(always)]
    pub(crate) fn poll_io_in_budget<T>(
        &self,
        cx: &mut Context<'_>,
        wait: &mut Wait<R::Timer>,
        want: Want,
        watch: Watch<'_>,
        mut op: impl FnMut(&Socket, c_int) -> Result<T>,
    ) -> Poll<Result<T>> {
        let inner = self.lock();
        // An operation registered as a waiter is on the list (`register`
        // sets its id as it pushes it, `remove` takes the id as it drops
        // it), so an empty list says for this one too.
        debug_assert!(wait.id.is_none() || !inner.waiters.list.is_empty());
        if !inner.waiters.list.is_empty() {
            return self.poll_slow(inner, cx, wait, want, watch, &mut op, true);
        }
        // The fast path: only the value goes on. A failure is handed on
        // whole, out of line, so that the (large) `Result` is not copied
        // from frame to frame on the way out.
        match op(&inner.socket, want.flags) {
            Ok(value) => {
                self.source.tick();
                drop(inner);
                Poll::Ready(Ok(value))
            }
            Err(e) => self.failed_try(inner, e, cx, wait, want, watch, &mut op),
        }
    }

    /// The rest of [`poll_io`](Self::poll_io): `try_first` unless the fast
    /// path has just tried (and got `EAGAIN`).
    #[inline(never)]
    #[allow(clippy::too_many_arguments)]
    fn poll_slow<T>(
        &self,
        inner: Guard<'_, Inner>,
        cx: &mut Context<'_>,
        wait: &mut Wait<R::Timer>,
        want: Want,
        watch: Watch<'_>,
        op: &mut impl FnMut(&Socket, c_int) -> Result<T>,
        try_first: bool,
    ) -> Poll<Result<T>> {
        let mut wakeups = Wakeups::default();
        let result = self.poll_locked(inner, cx, wait, want, watch, op, try_first, &mut wakeups);
        wakeups.run();
        result
    }

    /// Drives a wait for any of `want` (a poll): ready with the events
    /// the socket can do now, `EAGAIN` when `nonblocking` and none can.
    /// The caller takes the cooperative budget ([`budget`](Self::budget)):
    /// once for a whole Poller, whose sockets must not be skipped one by
    /// one when it runs out.
    pub(crate) fn poll_events(
        &self,
        cx: &mut Context<'_>,
        wait: &mut Wait<R::Timer>,
        want: PollEvents,
        nonblocking: bool,
    ) -> Poll<Result<PollEvents>> {
        let want_events = Want {
            events: want,
            nonblocking,
            timeout: Timeout::Never,
            flags: sys::ZMQ_DONTWAIT,
        };
        self.poll_io_in_budget(cx, wait, want_events, Watch::Shared, |s, _| {
            let ready = s.events()? & want;
            if ready.is_empty() {
                Err(Error::Again)
            } else {
                Ok(ready)
            }
        })
    }

    #[allow(clippy::too_many_arguments)]
    fn poll_locked<T>(
        &self,
        mut inner: Guard<'_, Inner>,
        cx: &mut Context<'_>,
        wait: &mut Wait<R::Timer>,
        Want {
            events: want,
            nonblocking,
            timeout,
            flags,
        }: Want,
        mut watch: Watch<'_>,
        op: &mut impl FnMut(&Socket, c_int) -> Result<T>,
        mut try_first: bool,
        wakeups: &mut Wakeups,
    ) -> Poll<Result<T>> {
        // Where POLLOUT says nothing, a send retries once after reading
        // ZMQ_EVENTS, then waits for the next edge (rule 2).
        let mut rechecked = false;
        let pollout_lies = self.pollout_lies;
        // A waiter that watches the fd and is polled again (woken, most
        // likely by an edge) takes the edge before it tries: the try then
        // covers whatever raised it. Taken only after the try, the edge
        // would still be there at the next wait, which would try once more
        // for nothing (a libzmq recv with DONTWAIT: one poll(2) of the
        // mailbox, per message of a request-reply exchange).
        if let (true, Some(id)) = (try_first, wait.id) {
            let watching = match &watch {
                Watch::Shared => inner.waiters.watcher == Some(id),
                Watch::Own(slot) => slot.is_some(),
            };
            if watching {
                // A reactor error (a runtime shutting down) does not stop
                // the try: it is seen again if the operation must wait.
                if let Poll::Ready(Ok(())) = self.poll_edge(&mut inner, cx, &mut watch) {
                    self.source.drain();
                    inner.waiters.wake_others(id, PollEvents::all(), wakeups)
                }
            }
        }
        loop {
            let tried = if try_first {
                op(&inner.socket, flags)
            } else {
                Err(Error::Again)
            };
            try_first = true;
            let failure = match tried {
                Ok(value) => {
                    inner.finish(wait, None, wakeups);
                    return Poll::Ready(Ok(value));
                }
                Err(Error::Again) => None,
                Err(e) => Some(e),
            };
            if let Some(e) = failure {
                inner.finish(wait, Some(&e), wakeups);
                return Poll::Ready(Err(e));
            }
            if nonblocking {
                inner.finish(wait, None, wakeups);
                return Poll::Ready(Err(Error::Again));
            }
            // Rule 2: the commands waiting in the mailbox may have made it
            // possible (reading ZMQ_EVENTS processes them). A send needs
            // it: libzmq's recv with DONTWAIT processes the commands and
            // tries again before it says EAGAIN, and a poll's operation is
            // that read itself. Rule 5 as well: the failed try may have
            // processed commands meant for another waiter (an
            // activate_write taken by a recv), consuming the edge that
            // waiter waits for; so when others wait, they are woken by
            // what ZMQ_EVENTS now says.
            //
            // Some types say POLLOUT when a send to one particular peer
            // cannot go ahead (SERVER, PEER, ROUTER, STREAM: that peer's pipe
            // is full; PUB, XPUB, RADIO with NODROP: one subscriber's is):
            // retrying on it would never end. There a send retries once
            // after the read (which took the commands that were there: a
            // later one raises an edge), then waits for the next edge or a
            // backstop (below), and is deaf to POLLOUT while it waits
            // (senders would wake each other for ever). After its second
            // failed try (libzmq's send processes commands now and then)
            // the others are woken by what ZMQ_EVENTS says, and it does
            // not retry on that.
            let others = inner.waiters.others_than(wait.id);
            let me = wait.id.unwrap_or(u64::MAX);
            let lying_send = pollout_lies && matches!(timeout, Timeout::Send);
            if others || (matches!(timeout, Timeout::Send) && !(lying_send && rechecked)) {
                match inner.socket.events() {
                    Ok(events) => {
                        if others {
                            inner.waiters.wake_by_events(me, events, wakeups);
                        }
                        if lying_send {
                            if !rechecked {
                                rechecked = true;
                                continue;
                            }
                        } else if events.intersects(want) {
                            continue;
                        }
                    }
                    Err(e) => {
                        inner.finish(wait, Some(&e), wakeups);
                        return Poll::Ready(Err(e));
                    }
                }
            }
            if let Err(e) = self.arm_deadline(&inner.socket, wait, timeout) {
                inner.finish(wait, Some(&e), wakeups);
                return Poll::Ready(Err(e));
            }
            if let Deadline::Now = wait.deadline {
                inner.finish(wait, None, wakeups);
                return Poll::Ready(Err(Error::Again));
            }
            if let Deadline::At(timer) = &mut wait.deadline {
                match R::poll_timer(timer, cx) {
                    Poll::Ready(Ok(())) => {
                        inner.finish(wait, None, wakeups);
                        return Poll::Ready(Err(Error::Again));
                    }
                    Poll::Ready(Err(e)) => {
                        inner.finish(wait, Some(&e), wakeups);
                        return Poll::Ready(Err(e));
                    }
                    Poll::Pending => {}
                }
            }
            // The backstop of a send where POLLOUT says nothing: the command
            // that frees its peer's pipe can be taken by another
            // operation's libzmq call before the reactor sees its edge, and
            // no POLLOUT wakes this send then; so it also tries again
            // every few milliseconds while it waits.
            // (A runtime without timers has no backstop: the edge alone.)
            if lying_send {
                if wait.backstop.is_none() {
                    wait.backstop = self.reactor.timer(BACKSTOP).ok();
                }
                if let Some(timer) = &mut wait.backstop {
                    match R::poll_timer(timer, cx) {
                        Poll::Ready(Ok(())) => {
                            wait.backstop = None;
                            rechecked = false;
                            continue;
                        }
                        // No timer any more (the runtime is shutting down):
                        // a new one would fail the same way at once.
                        Poll::Ready(Err(e)) => {
                            inner.finish(wait, Some(&e), wakeups);
                            return Poll::Ready(Err(e));
                        }
                        Poll::Pending => {}
                    }
                }
            }
            // Rule 3: wait, and watch the fd.
            let id = inner.waiters.register(wait, want, lying_send, cx.waker());
            if let Watch::Shared = watch {
                inner.waiters.watcher = Some(id);
            }
            match self.poll_edge(&mut inner, cx, &mut watch) {
                Poll::Pending => return Poll::Pending,
                // Rule 4: the edge may be anyone's.
                Poll::Ready(Ok(())) => {
                    self.source.drain();
                    rechecked = false;
                    inner.waiters.wake_others(id, PollEvents::all(), wakeups)
                }
                Poll::Ready(Err(e)) => {
                    inner.finish(wait, Some(&e), wakeups);
                    return Poll::Ready(Err(e));
                }
            }
        }
    }

    /// Polls the fd's edge through `watch` (rule 3; the caller has made
    /// itself the watcher of a shared one): ready once per edge.
    fn poll_edge(
        &self,
        inner: &mut Inner,
        cx: &mut Context<'_>,
        watch: &mut Watch<'_>,
    ) -> Poll<Result<()>> {
        let socket = &inner.socket;
        let source = &self.source;
        match watch {
            Watch::Shared => self.reactor.poll_edge(cx, &mut || source.fd(socket)),
            Watch::Own(slot) => poll_own(&self.reactor, slot, cx, &mut || source.fd(socket)),
        }
    }

    /// Reads the timeout option the first time an operation must wait.
    fn arm_deadline(
        &self,
        socket: &Socket,
        wait: &mut Wait<R::Timer>,
        timeout: Timeout,
    ) -> Result<()> {
        if !matches!(wait.deadline, Deadline::Unknown) {
            return Ok(());
        }
        let ms = match timeout {
            Timeout::Receive => socket.rcvtimeo()?,
            Timeout::Send => socket.sndtimeo()?,
            Timeout::Never => -1,
        };
        wait.deadline = match u64::try_from(ms) {
            Err(_) => Deadline::None,
            Ok(0) => Deadline::Now,
            Ok(ms) => Deadline::At(self.reactor.timer(Duration::from_millis(ms))?),
        };
        Ok(())
    }

    /// A future or stream that will not be polled again gives up its place
    /// (rule 6).
    #[inline]
    pub(crate) fn cancel(&self, wait: &mut Wait<R::Timer>) {
        if wait.id.is_some() {
            self.cancel_waiter(wait);
        }
    }

    /// [`cancel`](Self::cancel), and the timers dropped: `wait` is left
    /// as new (for a `Wait` in a `ManuallyDrop`).
    #[cold]
    #[inline(never)]
    pub(crate) fn release(&self, wait: &mut Wait<R::Timer>) {
        // Taken out first: its timers are dropped even if a waker panics.
        let mut old = std::mem::replace(wait, Wait::new());
        self.cancel(&mut old);
    }

    #[inline(never)]
    fn cancel_waiter(&self, wait: &mut Wait<R::Timer>) {
        let mut wakeups = Wakeups::default();
        self.lock().waiters.remove(wait, &mut wakeups);
        wakeups.run();
    }
}

impl Inner {
    /// An operation is over (done, failed, or timed out): rules 5, 6, 7.
    fn finish<T>(&mut self, wait: &mut Wait<T>, error: Option<&Error>, wakeups: &mut Wakeups) {
        self.waiters.remove(wait, wakeups);
        // The next wait of a Stream or Sink (which keep their `Wait`)
        // reads the timeout option again and starts a timer of its own.
        wait.deadline = Deadline::Unknown;
        wait.backstop = None;
        if self.waiters.list.is_empty() {
            return;
        }
        match error {
            Some(Error::ContextTerminated) => self.waiters.wake_all(wakeups),
            _ => {
                // What this operation's libzmq calls may have consumed.
                match self.socket.events() {
                    Ok(events) => self.waiters.wake_by_events(u64::MAX, events, wakeups),
                    Err(_) => self.waiters.wake_all(wakeups),
                }
            }
        }
    }
}

impl Waiters {
    /// Whether anyone but `me` waits.
    fn others_than(&self, me: Option<u64>) -> bool {
        self.list.iter().any(|w| Some(w.id) != me)
    }

    /// Adds the waiter, or renews its waker; its id.
    fn register<T>(
        &mut self,
        wait: &mut Wait<T>,
        want: PollEvents,
        deaf_to_pollout: bool,
        waker: &Waker,
    ) -> u64 {
        if let Some(id) = wait.id {
            if let Some(waiter) = self.list.iter_mut().find(|w| w.id == id) {
                if !waiter.waker.will_wake(waker) {
                    waiter.waker = waker.clone();
                }
                waiter.want = want;
                waiter.deaf_to_pollout = deaf_to_pollout;
                return id;
            }
        }
        let id = self.next_id;
        self.next_id += 1;
        self.list.push(Waiter {
            id,
            want,
            deaf_to_pollout,
            waker: waker.clone(),
        });
        wait.id = Some(id);
        id
    }

    /// Takes the waiter out; if it was the watcher, every other waiter is
    /// woken so that one of them watches the fd (rule 6).
    fn remove<T>(&mut self, wait: &mut Wait<T>, wakeups: &mut Wakeups) {
        let Some(id) = wait.id.take() else {
            return;
        };
        self.list.retain(|w| w.id != id);
        if self.watcher == Some(id) {
            self.watcher = None;
            self.wake_all(wakeups);
        }
    }

    fn wake_all(&self, wakeups: &mut Wakeups) {
        if !self.list.is_empty() {
            wakeups.0.extend(self.list.iter().map(|w| w.waker.clone()));
        }
    }

    /// Wakes the waiters (but `except`) that want one of `events`.
    fn wake_others(&self, except: u64, events: PollEvents, wakeups: &mut Wakeups) {
        // Most often the list holds only `except`, or nobody.
        if self.list.len() <= 1 && self.list.first().map_or(true, |w| w.id == except) {
            return;
        }
        wakeups.0.extend(
            self.list
                .iter()
                .filter(|w| w.id != except && w.want.intersects(events))
                .map(|w| w.waker.clone()),
        );
    }

    /// Wakes the waiters (but `except`) that what `ZMQ_EVENTS` just said
    /// concerns: a send deaf to POLLOUT is not woken by it (rule 2).
    fn wake_by_events(&self, except: u64, events: PollEvents, wakeups: &mut Wakeups) {
        let heard = |w: &Waiter| {
            if w.deaf_to_pollout {
                events - PollEvents::POLLOUT
            } else {
                events
            }
        };
        wakeups.0.extend(
            self.list
                .iter()
                .filter(|w| w.id != except && w.want.intersects(heard(w)))
                .map(|w| w.waker.clone()),
        );
    }
}

/// Polls a wake-up of one's own, making it first if there is none.
fn poll_own<R: Reactor>(
    reactor: &R,
    slot: &mut OwnEdge,
    cx: &mut Context<'_>,
    fd: &mut dyn FnMut() -> Result<sys::zmq_fd_t>,
) -> Poll<Result<()>> {
    let edge = match slot {
        Some(edge) => edge,
        None => match reactor.edge(fd) {
            Ok(edge) => slot.insert(Exclusive(edge)),
            Err(e) => return Poll::Ready(Err(e)),
        },
    };
    let ready = edge.get_mut().as_mut().poll(cx);
    if ready.is_ready() {
        *slot = None;
    }
    ready
}

/// `flags` with `DONTWAIT`, and whether the caller gave it.
#[inline]
pub(crate) fn nonblocking(flags: c_int) -> (c_int, bool) {
    (flags | sys::ZMQ_DONTWAIT, flags & sys::ZMQ_DONTWAIT != 0)
}
