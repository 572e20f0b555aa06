//! The tokio [`Reactor`]: `AsyncFd` on libzmq's `ZMQ_FD`, tokio's timers.

use std::future::Future;
use std::io;
use std::os::fd::{AsRawFd, RawFd};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::pin::Pin;
use std::sync::{Arc, OnceLock};
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::unix::AsyncFd;
use tokio::io::Interest;
use tokio::time::Sleep;

use super::readiness::Reactor;
use crate::error::{Error, Result};
use crate::sys;

/// libzmq's fd, borrowed: libzmq closes it (after the registration is
/// dropped, see `Core`'s field order).
struct ZmqFd(RawFd);

impl AsRawFd for ZmqFd {
    fn as_raw_fd(&self) -> RawFd {
        self.0
    }
}

/// Registers the fd with the runtime of the first task that waits on it.
#[derive(Default)]
pub(crate) struct Tokio {
    fd: OnceLock<Arc<AsyncFd<ZmqFd>>>,
}

fn runtime_error(what: &str) -> Error {
    Error::AsyncRuntime(io::Error::other(what.to_string()))
}

/// Runs a tokio call that panics when the runtime lacks what it needs
/// (no runtime, no I/O or time driver), turning that panic into an error.
fn in_runtime<T>(what: &str, f: impl FnOnce() -> T) -> Result<T> {
    if tokio::runtime::Handle::try_current().is_err() {
        return Err(runtime_error(&format!(
            "{what}: not inside a tokio runtime"
        )));
    }
    catch_unwind(AssertUnwindSafe(f)).map_err(|panic| refused(what, &*panic))
}

/// The error for a tokio call that panicked: tokio's own words.
fn refused(what: &str, panic: &(dyn std::any::Any + Send)) -> Error {
    let reason = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("the runtime refused");
    runtime_error(&format!("{what}: {reason}"))
}

/// The runtime the caller runs in, for spawning a task of the crate's own.
pub(crate) fn current(what: &str) -> Result<tokio::runtime::Handle> {
    tokio::runtime::Handle::try_current()
        .map_err(|_| runtime_error(&format!("{what}: not inside a tokio runtime")))
}

impl Tokio {
    /// Registers the fd now (with the current runtime), so that a missing
    /// runtime or I/O driver is an error here rather than at the first wait.
    pub(crate) fn register(&self, fd: &mut dyn FnMut() -> Result<sys::zmq_fd_t>) -> Result<()> {
        self.registered(fd).map(drop)
    }

    fn registered(
        &self,
        fd: &mut dyn FnMut() -> Result<sys::zmq_fd_t>,
    ) -> Result<&Arc<AsyncFd<ZmqFd>>> {
        if let Some(registered) = self.fd.get() {
            return Ok(registered);
        }
        // Only ever called with the socket's lock held: no other thread
        // registers meanwhile.
        let raw = fd()?;
        let registered = in_runtime("zmq::asyncio", || {
            // SAFETY: the fd stays open, and is not replaced, while the
            // registration lives: libzmq closes it in zmq_close, and every
            // holder of the registration (this reactor, and the Stream's
            // and Sink's wake-ups) is dropped before the socket is closed
            // (field order of `Core` and `asyncio::Socket`).
            unsafe { AsyncFd::register_with_interest(ZmqFd(raw), Interest::READABLE) }
        })?
        .map_err(|e| Error::AsyncRuntime(e.into_parts().1))?;
        let _ = self.fd.set(Arc::new(registered));
        self.fd
            .get()
            .ok_or_else(|| runtime_error("zmq::asyncio: the fd registration was lost"))
    }
}

impl Reactor for Tokio {
    type Timer = Pin<Box<Sleep>>;
    type Budget = tokio::task::coop::RestoreOnPending;

    #[inline]
    fn poll_budget(cx: &mut Context<'_>) -> Poll<Self::Budget> {
        tokio::task::coop::poll_proceed(cx)
    }

    #[inline]
    fn made_progress(budget: Self::Budget) {
        budget.made_progress();
    }

    fn poll_edge(
        &self,
        cx: &mut Context<'_>,
        fd: &mut dyn FnMut() -> Result<sys::zmq_fd_t>,
    ) -> Poll<Result<()>> {
        let registered = match self.registered(fd) {
            Ok(registered) => registered,
            Err(e) => return Poll::Ready(Err(e)),
        };
        match registered.poll_read_ready(cx) {
            Poll::Ready(Ok(mut guard)) => {
                // Cleared for this edge only: tokio keeps a newer one (its
                // readiness has a tick), and the caller reads ZMQ_EVENTS
                // before it waits again.
                guard.clear_ready();
                Poll::Ready(Ok(()))
            }
            Poll::Ready(Err(e)) => Poll::Ready(Err(Error::AsyncRuntime(e))),
            Poll::Pending => Poll::Pending,
        }
    }

    fn edge(
        &self,
        fd: &mut dyn FnMut() -> Result<sys::zmq_fd_t>,
    ) -> Result<Pin<Box<dyn Future<Output = Result<()>> + Send>>> {
        let registered = Arc::clone(self.registered(fd)?);
        Ok(Box::pin(async move {
            // `readable()` has a wake-up of its own (tokio wakes every such
            // waiter and the slot's on each edge).
            let mut guard = registered.readable().await.map_err(Error::AsyncRuntime)?;
            guard.clear_ready();
            Ok(())
        }))
    }

    fn timer(&self, after: Duration) -> Result<Self::Timer> {
        timer(after)
    }

    fn poll_timer(timer: &mut Self::Timer, cx: &mut Context<'_>) -> Poll<Result<()>> {
        poll_timer(timer, cx)
    }
}

/// A tokio timer.
pub(crate) fn timer(after: Duration) -> Result<Pin<Box<Sleep>>> {
    in_runtime("zmq::asyncio timeout", || {
        Box::pin(tokio::time::sleep(after))
    })
}

/// A timer for a poll timeout in ms: `None` for no limit (negative) and
/// for 0 (the poll does not wait).
pub(crate) fn timer_ms(ms: libc::c_long) -> Result<Option<Pin<Box<Sleep>>>> {
    match u64::try_from(ms) {
        Ok(0) | Err(_) => Ok(None),
        Ok(ms) => timer(Duration::from_millis(ms)).map(Some),
    }
}

/// Ready once the timer has expired.
pub(crate) fn poll_timer(timer: &mut Pin<Box<Sleep>>, cx: &mut Context<'_>) -> Poll<Result<()>> {
    // tokio panics here when the runtime has no time driver, or has shut
    // down since the timer was made.
    match catch_unwind(AssertUnwindSafe(|| timer.as_mut().poll(cx))) {
        Ok(poll) => poll.map(Ok),
        Err(panic) => Poll::Ready(Err(refused("zmq::asyncio timeout", &*panic))),
    }
}
