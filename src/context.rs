//! `zmq.Context`: the owner of libzmq's I/O threads and of every socket.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, OnceLock};

use libc::{c_int, c_void};

use crate::error::{cvt, Error, Result};
use crate::sockopt::{OptionValue, SocketOption, Writable};
use crate::thread_options::{ThreadOptions, MAX_SOCKETS_HEADROOM};
use crate::{sys, ContextOption, Socket, SocketType};

/// A libzmq context (pyzmq's `zmq.Context`).
///
/// Cloning is cheap and gives another handle to the same context; it is
/// `Send + Sync`, so threads can share it. Every [`Socket`] keeps its context
/// alive: dropping the last `Context` handle while sockets live does not
/// block, and libzmq's context is terminated when the last handle and the
/// last socket are gone.
///
/// ```
/// let ctx = zmq::Context::new();
/// let server = ctx.socket(zmq::REP)?;
/// server.bind("inproc://context-doc")?;
/// let client = ctx.socket(zmq::REQ)?;
/// client.connect("inproc://context-doc")?;
/// client.send("ping", 0)?;
/// assert_eq!(server.recv_string(0)?, "ping");
/// # Ok::<(), zmq::Error>(())
/// ```
#[derive(Clone)]
pub struct Context {
    inner: Arc<ContextInner>,
}

/// The shared part: sockets hold an `Arc` of it.
pub(crate) struct ContextInner {
    raw: *mut c_void,
    /// Socket count and termination, guarded together: `socket()` and
    /// `term()` cannot interleave, so no socket is ever created on a freed
    /// context.
    state: Mutex<State>,
    all_closed: Condvar,
    /// Set by `term`/`destroy`: `closed()`.
    closed: AtomicBool,
    /// Options applied to every new socket (`set_default`).
    defaults: Mutex<Vec<(c_int, Vec<u8>)>>,
    /// What this context's `inproc://` names are doing (see `inproc`).
    pub(crate) inproc: Mutex<crate::inproc::Names>,
}

struct State {
    /// The live sockets (their libzmq handles). A socket is removed and
    /// closed under the lock, so whoever holds it may touch the handles.
    sockets: Vec<usize>,
    /// A socket was made: libzmq has started its threads (thread options
    /// no longer apply).
    started: bool,
    /// The thread and size options set so far (libzmq cannot report all).
    threads: ThreadOptions,
    /// libzmq's MAX_SOCKETS is the application's plus the headroom.
    headroom: bool,
    /// `zmq_ctx_shutdown` was called: sockets may have seen the stop.
    shut_down: bool,
    /// `zmq_ctx_term` has returned: `raw` is freed.
    terminated: bool,
}

// SAFETY: a libzmq context is thread-safe (zmq_ctx_new(3): "A ØMQ context is
// thread safe and may be shared among as many application threads as
// necessary"); the Rust-side state is behind a Mutex and atomics.
unsafe impl Send for ContextInner {}
// SAFETY: as above; every `&self` method is safe to call concurrently.
unsafe impl Sync for ContextInner {}

/// Makes OpenPGM's one-time set-up happen once, in one thread, before any
/// context is handed out, when libzmq was built with PGM.
///
/// libzmq calls OpenPGM's `pgm_init` in every `zmq_ctx_new` and
/// `pgm_shutdown` in every `zmq_ctx_term`. `pgm_init` counts its callers
/// before it initialises: a second thread arriving while the first is still
/// inside returns at once, and its first PGM connect then calls through a
/// clock function pointer not yet set (SIGSEGV, seen in our tests with two
/// contexts made at once; `tests/interop/pgm.rs` makes it certain). A count
/// falling back to zero races with the next `pgm_init` the same way.
///
/// So the first `Context::new` makes one libzmq context that is never
/// terminated: `pgm_init` completes before any other context exists, and
/// its count never returns to zero. It costs one idle context (no threads;
/// an eventfd) for the life of the process. pyzmq is spared this by the GIL,
/// held across `zmq_ctx_new`.
fn keep_pgm_initialized() {
    static KEEPER: std::sync::Once = std::sync::Once::new();
    static RAW: std::sync::atomic::AtomicPtr<c_void> =
        std::sync::atomic::AtomicPtr::new(std::ptr::null_mut());
    KEEPER.call_once(|| {
        if crate::has("pgm") {
            // SAFETY: as in `Context::new`. The context is kept in `RAW`
            // (reachable, never used) and never terminated, by design.
            RAW.store(unsafe { sys::zmq_ctx_new() }, Ordering::Relaxed);
        }
    });
}

impl Context {
    /// A new context with one I/O thread (`zmq.Context()`).
    ///
    /// # Panics
    /// If libzmq cannot make a context at all (the OS refused it a file
    /// descriptor), as Rust does on allocation failure.
    #[doc(alias = "zmq_ctx_new")]
    #[allow(clippy::new_without_default)]
    pub fn new() -> Context {
        keep_pgm_initialized();
        // SAFETY: zmq_ctx_new takes no arguments; it fails only when the OS
        // refuses resources (e.g. the signaler's fd), which we cannot serve.
        let raw = unsafe { sys::zmq_ctx_new() };
        if raw.is_null() {
            // Like an allocation failure: there is nothing a caller could do.
            panic!("zmq_ctx_new failed: {}", Error::last());
        }
        Context::from_raw_unchecked(raw, true)
    }

    /// A new context with `io_threads` I/O threads
    /// (`zmq.Context(io_threads=4)`).
    pub fn with_io_threads(io_threads: i32) -> Result<Context> {
        let ctx = Context::new();
        ctx.set(crate::IO_THREADS, io_threads)?;
        Ok(ctx)
    }

    pub(crate) fn from_inner(inner: Arc<ContextInner>) -> Context {
        Context { inner }
    }

    /// Wraps a context made by `zmq_ctx_new`. One of ours (`headroom`) gets
    /// libzmq's `MAX_SOCKETS` raised by the headroom, its application limit
    /// being enforced by `socket()`.
    fn from_raw_unchecked(raw: *mut c_void, headroom: bool) -> Context {
        let mut threads = ThreadOptions::default();
        if headroom {
            // SAFETY: a live, unstarted context that only we hold.
            unsafe {
                sys::zmq_ctx_set(
                    raw,
                    sys::ZMQ_MAX_SOCKETS,
                    sys::ZMQ_MAX_SOCKETS_DFLT + MAX_SOCKETS_HEADROOM,
                )
            };
        } else {
            // SAFETY: `raw` is live (the caller's promise).
            threads.max_sockets = unsafe { sys::zmq_ctx_get(raw, sys::ZMQ_MAX_SOCKETS) };
        }
        Context {
            inner: Arc::new(ContextInner {
                raw,
                state: Mutex::new(State {
                    sockets: Vec::new(),
                    started: false,
                    threads,
                    headroom,
                    shut_down: false,
                    terminated: false,
                }),
                all_closed: Condvar::new(),
                closed: AtomicBool::new(false),
                defaults: Mutex::new(Vec::new()),
                inproc: Mutex::new(crate::inproc::Names::default()),
            }),
        }
    }

    /// Takes ownership of a context made by `zmq_ctx_new`.
    ///
    /// # Safety
    /// `raw` must be a live libzmq context that nothing else terminates.
    pub unsafe fn from_raw(raw: *mut c_void) -> Context {
        Context::from_raw_unchecked(raw, false)
    }

    /// The libzmq context, for `zmq::sys` calls. It stays valid while this
    /// handle (or a socket of it) lives and `term` has not returned.
    pub fn as_raw(&self) -> *mut c_void {
        self.inner.raw
    }

    /// The process-wide context (`zmq.Context.instance()`): the same one
    /// for every caller, made anew after it was terminated or destroyed.
    ///
    /// ```
    /// let a = zmq::Context::instance();
    /// let b = zmq::Context::instance();
    /// assert_eq!(a.as_raw(), b.as_raw());
    /// ```
    pub fn instance() -> Context {
        static INSTANCE: OnceLock<Mutex<Option<Context>>> = OnceLock::new();
        let replaced = {
            let mut slot = lock(INSTANCE.get_or_init(|| Mutex::new(None)));
            match &*slot {
                Some(ctx) if !ctx.closed() => return ctx.clone(),
                _ => {
                    let ctx = Context::new();
                    (slot.replace(ctx.clone()), ctx)
                }
            }
        };
        // The old, closed instance is dropped outside the lock, and not in
        // this thread if this is its last handle: that drop terminates the
        // libzmq context, which waits for lingering messages (forever with
        // LINGER -1), and no caller of `instance()` should wait with it.
        let (old, ctx) = replaced;
        if let Some(old) = old {
            if Arc::strong_count(&old.inner) == 1 {
                // If no thread can be made, the drop happens here after all.
                let _ = std::thread::Builder::new()
                    .name("zmq-rs-term".into())
                    .spawn(move || drop(old));
            }
        }
        ctx
    }

    /// A new socket of this context (`ctx.socket(zmq.REQ)`), with the
    /// context's default options applied.
    #[doc(alias = "zmq_socket")]
    pub fn socket(&self, socket_type: SocketType) -> Result<Socket> {
        let raw = {
            let mut state = lock(&self.inner.state);
            if state.terminated {
                return Err(Error::ContextTerminated);
            }
            if !state.started {
                // This socket starts libzmq's threads, which apply the
                // thread options and abort if the OS refuses them.
                state.threads.check_start()?;
            }
            if state.sockets.len() >= state.threads.max_sockets as usize {
                return Err(Error::from_errno(libc::EMFILE)); // as libzmq
            }
            // SAFETY: `raw` is live: `terminated` is false under the lock.
            let raw = unsafe { sys::zmq_socket(self.inner.raw, socket_type.to_raw()) };
            if raw.is_null() {
                return Err(Error::last());
            }
            state.started = true;
            state.sockets.push(raw as usize);
            raw
        };
        // From here the Socket owns `raw` (and closes it on any error).
        let socket = Socket::from_parts(raw, socket_type, Arc::clone(&self.inner));
        for (option, value) in lock(&self.inner.defaults).iter() {
            // As pyzmq: a default this socket type refuses (SUBSCRIBE on a
            // PUSH) is skipped. `set_default` refused values no type takes.
            let _ = socket.set_raw_bytes(*option, value);
        }
        Ok(socket)
    }

    /// A socket of a thread-safe type (SERVER, CLIENT, RADIO, DISH,
    /// SCATTER, GATHER, PEER, CHANNEL; feature `draft`) as a `Send + Sync`
    /// [`ThreadSafeSocket`](crate::ThreadSafeSocket), to share between
    /// threads through an `Arc`. Classic types are refused
    /// ([`Error::InvalidArgument`]); `ctx.socket(zmq::SERVER)` still gives a
    /// plain [`Socket`].
    ///
    /// ```
    /// let ctx = zmq::Context::new();
    /// let server = ctx.thread_safe_socket(zmq::SERVER)?;
    /// assert!(ctx.thread_safe_socket(zmq::ROUTER).is_err());
    /// # drop(server);
    /// # Ok::<(), zmq::Error>(())
    /// ```
    #[cfg(feature = "draft")]
    pub fn thread_safe_socket(&self, socket_type: SocketType) -> Result<crate::ThreadSafeSocket> {
        if !socket_type.is_thread_safe() {
            return Err(Error::InvalidArgument(
                "not a thread-safe socket type (SERVER, CLIENT, RADIO, DISH, SCATTER, GATHER, PEER, CHANNEL)",
            ));
        }
        crate::ThreadSafeSocket::from_socket(self.socket(socket_type)?)
    }

    /// Terminates the context (`ctx.term()`): every blocking call on its
    /// sockets, in every thread, returns [`Error::ContextTerminated`]; then
    /// this blocks until every socket is closed (dropped) and their pending
    /// messages are sent or their linger expired.
    ///
    /// As in pyzmq, a socket still open in the calling thread makes this
    /// wait forever: close sockets first, or use [`destroy`](Self::destroy).
    #[doc(alias = "zmq_ctx_term")]
    pub fn term(&self) -> Result<()> {
        self.inner.closed.store(true, Ordering::SeqCst);
        let mut state = lock(&self.inner.state);
        if state.terminated {
            return Ok(());
        }
        if !state.shut_down {
            self.inner.settle_pending_inproc();
        }
        // SAFETY: not terminated (checked under the lock): `raw` is live.
        cvt(unsafe { sys::zmq_ctx_shutdown(self.inner.raw) })?;
        state.shut_down = true;
        while !state.sockets.is_empty() {
            state = self
                .inner
                .all_closed
                .wait(state)
                .unwrap_or_else(|poisoned| poisoned.into_inner());
        }
        // No socket is left and none can be made while we hold the lock.
        terminate(self.inner.raw, &mut state);
        Ok(())
    }

    /// Ends the context without waiting (`ctx.destroy(linger)`): every
    /// blocking call on its sockets, in every thread, returns
    /// [`Error::ContextTerminated`], and so does every later call once the
    /// socket has seen the termination (a blocking call sees it at once;
    /// libzmq checks within about a millisecond otherwise). Each socket drops
    /// its pending messages after `linger` ms (`None`: keep each socket's own
    /// `LINGER`) when it is closed, in its own thread; libzmq's context is
    /// terminated when the last socket is gone. Sockets still alive in the
    /// calling thread do not make this block. Nothing is added to the
    /// send/receive path for this.
    ///
    /// ```
    /// let ctx = zmq::Context::new();
    /// let push = ctx.socket(zmq::PUSH)?;
    /// push.connect("tcp://127.0.0.1:9")?; // nobody there: the message would linger
    /// push.send("never delivered", zmq::DONTWAIT)?;
    /// let pull = ctx.socket(zmq::PULL)?;
    /// ctx.destroy(Some(0))?; // returns at once, both sockets still open
    /// assert!(matches!(pull.recv(0), Err(zmq::Error::ContextTerminated)));
    /// drop(push); // its message is dropped at once (linger 0), not kept forever
    /// # Ok::<(), zmq::Error>(())
    /// ```
    pub fn destroy(&self, linger: Option<i32>) -> Result<()> {
        if linger.is_some_and(|ms| ms < -1) {
            return Err(Error::InvalidArgument(
                "linger is -1 (forever) or a number of milliseconds >= 0",
            ));
        }
        self.inner.closed.store(true, Ordering::SeqCst);
        let mut state = lock(&self.inner.state);
        if state.terminated {
            return Ok(());
        }
        // libzmq refuses zmq_setsockopt (ETERM) once a socket has seen the
        // shutdown, so the linger must be set before it, as pyzmq's destroy
        // does. Only before the first shutdown: after it, sockets write
        // their termination state while we would read it.
        if let (Some(linger), false) = (linger, state.shut_down) {
            for raw in &state.sockets {
                // SAFETY: the socket is live: sockets are removed from this
                // list and closed only under the lock we hold. Setting
                // ZMQ_LINGER from this thread is sound while the owner may be
                // using the socket: libzmq stores it in an atomic (it is read
                // by the reaper thread), and before the shutdown below the
                // only other state this call reads is never written (the
                // termination flag) or constant (the thread-safety flag).
                unsafe {
                    sys::zmq_setsockopt(
                        *raw as *mut c_void,
                        sys::ZMQ_LINGER,
                        (&linger as *const i32).cast(),
                        std::mem::size_of::<i32>(),
                    )
                };
            }
        }
        if !state.shut_down {
            self.inner.settle_pending_inproc();
        }
        // SAFETY: not terminated (checked under the lock): `raw` is live.
        cvt(unsafe { sys::zmq_ctx_shutdown(self.inner.raw) })?;
        state.shut_down = true;
        Ok(())
    }

    /// Whether `term` or `destroy` was called (`ctx.closed`).
    pub fn closed(&self) -> bool {
        self.inner.closed.load(Ordering::SeqCst)
    }

    /// Sets a context option (`ctx.set(zmq.IO_THREADS, 2)`).
    ///
    /// Values that libzmq would accept and then fail on are refused here
    /// with [`Error::InvalidArgument`]: `MAX_SOCKETS` above `SOCKET_LIMIT`
    /// (or large enough to overflow libzmq's slot count, which throws a C++
    /// exception), `IO_THREADS` above 64 or beyond the file-descriptor
    /// limit, a `THREAD_SCHED_POLICY` the OS does not have, a
    /// `THREAD_AFFINITY_CPU_ADD` CPU this process may not use.
    ///
    /// `THREAD_SCHED_POLICY`, `THREAD_PRIORITY` and the affinity apply to
    /// libzmq's threads, which start with the context's first socket; set
    /// them before it. Whether the OS permits them depends on all three and
    /// on the process's privileges (`CAP_SYS_NICE`, `RLIMIT_RTPRIO`,
    /// `RLIMIT_NICE`): libzmq aborts if it does not, so the first
    /// [`socket`](Self::socket) tries them on a short-lived thread first and
    /// returns an error instead. A non-realtime policy with a
    /// `THREAD_PRIORITY` above 0 makes libzmq lower its threads' nice value
    /// to -20, which needs privileges too.
    ///
    /// ```
    /// let ctx = zmq::Context::new();
    /// ctx.set(zmq::IO_THREADS, 2)?;
    /// assert!(ctx.set(zmq::MAX_SOCKETS, i32::MAX).is_err());
    /// assert!(ctx.set(zmq::THREAD_SCHED_POLICY, 12345).is_err());
    /// # Ok::<(), zmq::Error>(())
    /// ```
    #[doc(alias = "zmq_ctx_set")]
    pub fn set(&self, option: ContextOption, value: i32) -> Result<()> {
        let mut state = lock(&self.inner.state);
        if state.terminated {
            return Err(Error::ContextTerminated);
        }
        // SAFETY: `raw` is live (not terminated, under the lock).
        let limit = unsafe { sys::zmq_ctx_get(self.inner.raw, sys::ZMQ_SOCKET_LIMIT) };
        let next = state.threads.check_set(option.0, value, limit)?;
        let libzmq_value = match option.0 {
            sys::ZMQ_MAX_SOCKETS if state.headroom => value + MAX_SOCKETS_HEADROOM,
            _ => value,
        };
        // SAFETY: `raw` is live (not terminated, under the lock).
        cvt(unsafe { sys::zmq_ctx_set(self.inner.raw, option.0, libzmq_value) })?;
        state.threads = next;
        Ok(())
    }

    /// Reads a context option (`ctx.get(zmq.MAX_SOCKETS)`).
    ///
    /// ```
    /// let ctx = zmq::Context::new();
    /// assert_eq!(ctx.get(zmq::IO_THREADS)?, 1);
    /// assert_eq!(ctx.get(zmq::MAX_SOCKETS)?, zmq::MAX_SOCKETS_DFLT);
    /// # Ok::<(), zmq::Error>(())
    /// ```
    #[doc(alias = "zmq_ctx_get")]
    pub fn get(&self, option: ContextOption) -> Result<i32> {
        let state = lock(&self.inner.state);
        if state.terminated {
            return Err(Error::ContextTerminated);
        }
        if option.0 == sys::ZMQ_MAX_SOCKETS {
            return Ok(state.threads.max_sockets);
        }
        // SAFETY: `raw` is live (not terminated, under the lock).
        cvt(unsafe { sys::zmq_ctx_get(self.inner.raw, option.0) })
    }

    /// A socket option applied to every socket this context makes from now
    /// on (pyzmq's `ctx.linger = 0`, `ctx.setsockopt(...)`).
    ///
    /// As in pyzmq, a socket type that refuses the option (`SUBSCRIBE` on a
    /// PUSH) simply does not get it. A value that no socket type takes
    /// (`LINGER` -7) is refused here.
    ///
    /// ```
    /// let ctx = zmq::Context::new();
    /// ctx.set_default(zmq::LINGER, 0)?;
    /// ctx.set_default(zmq::SUBSCRIBE, "")?;
    /// assert_eq!(ctx.socket(zmq::PUSH)?.linger()?, 0); // no SUBSCRIBE for PUSH
    /// assert!(ctx.set_default(zmq::LINGER, -7).is_err());
    /// # Ok::<(), zmq::Error>(())
    /// ```
    pub fn set_default<K, A, V>(&self, option: SocketOption<K, A>, value: V) -> Result<()>
    where
        A: Writable,
        V: OptionValue<K>,
    {
        let bytes = value.encode().to_vec();
        accepted_by_some_socket_type(option.to_raw(), &bytes)?;
        let mut defaults = lock(&self.inner.defaults);
        defaults.retain(|(id, _)| *id != option.to_raw());
        defaults.push((option.to_raw(), bytes));
        Ok(())
    }

    /// Clears a default set by [`set_default`](Self::set_default).
    pub fn unset_default<K, A: Writable>(&self, option: SocketOption<K, A>) {
        lock(&self.inner.defaults).retain(|(id, _)| *id != option.to_raw());
    }
}

/// Whether some socket type takes `value` for option `id`: tried on a
/// private context without I/O threads, so the caller's context is not
/// started (its thread options still apply) and none of its sockets count.
fn accepted_by_some_socket_type(id: c_int, value: &[u8]) -> Result<()> {
    let probe = Context::new();
    probe.set(crate::IO_THREADS, 0)?;
    let mut refusal = None;
    for socket_type in SocketType::all() {
        let outcome = probe
            .socket(*socket_type)
            .and_then(|s| s.set_raw_bytes(id, value));
        match outcome {
            Ok(()) => return Ok(()),
            Err(e) => {
                refusal.get_or_insert(e);
            }
        }
    }
    Err(refusal.unwrap_or(Error::Zmq {
        errno: libc::EINVAL,
    }))
}

impl std::fmt::Debug for Context {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Context")
            .field("raw", &self.inner.raw)
            .field("closed", &self.closed())
            .finish()
    }
}

impl ContextInner {
    /// The registry of inproc names (see `inproc`).
    pub(crate) fn inproc(&self) -> MutexGuard<'_, crate::inproc::Names> {
        lock(&self.inproc)
    }

    /// Binds the inproc names connections still wait on, before shutdown.
    fn settle_pending_inproc(&self) {
        // SAFETY: every caller runs this before `zmq_ctx_shutdown` (the
        // state lock held and `shut_down` false, or as the last owner), so
        // the context is live and not shut down.
        unsafe { lock(&self.inproc).settle(self.raw) }
    }

    /// The libzmq context: live while a socket of it is.
    #[inline]
    pub(crate) fn raw(&self) -> *mut c_void {
        self.raw
    }

    /// Closes a socket of this context: removed from the registry and
    /// closed under the lock, so `destroy` never touches a closed socket.
    pub(crate) fn close_socket(&self, raw: *mut c_void) -> Result<()> {
        let mut state = lock(&self.state);
        state.sockets.retain(|s| *s != raw as usize);
        // SAFETY: the caller owns the live socket and closes it once.
        let result = cvt(unsafe { sys::zmq_close(raw) }).map(drop);
        if state.sockets.is_empty() {
            self.all_closed.notify_all();
        }
        result
    }
}

/// `zmq_ctx_term`, retried on EINTR (a signal while lingering messages are
/// waited for); any other failure (EFAULT) means there is nothing left to
/// free. Runs once: guarded by `state.terminated`.
fn terminate(raw: *mut c_void, state: &mut State) {
    if state.terminated {
        return;
    }
    loop {
        // SAFETY: `raw` is live: not yet terminated (checked above), and the
        // caller holds the state exclusively (the lock, or `&mut self`).
        let rc = unsafe { sys::zmq_ctx_term(raw) };
        if rc == 0 || Error::last().errno() != libc::EINTR {
            break;
        }
    }
    state.terminated = true;
}

impl Drop for ContextInner {
    /// The last owner: no socket is left (each holds an `Arc`), so this
    /// only waits for lingering messages.
    fn drop(&mut self) {
        let shut_down = self.state.get_mut().map_or(true, |state| state.shut_down);
        if !shut_down {
            self.settle_pending_inproc();
        }
        let state = self.state.get_mut().unwrap_or_else(|p| p.into_inner());
        terminate(self.raw, state);
    }
}

/// Locks, ignoring poisoning (no invariant of ours can be broken by a panic
/// while these are held: they guard plain counters and option lists).
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}
