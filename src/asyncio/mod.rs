//! pyzmq's `zmq.asyncio` on tokio (feature `tokio`): the same libzmq
//! sockets, with the calls that would block made `async`.
//!
//! ```
//! use futures_util::StreamExt;
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> zmq::Result<()> {
//! let ctx = zmq::asyncio::Context::new();
//! let mut sub = ctx.socket(zmq::SUB)?;
//! sub.subscribe("weather")?;
//! sub.bind("tcp://127.0.0.1:*")?;
//! let publisher = ctx.socket(zmq::PUB)?;
//! publisher.connect(&sub.last_endpoint()?)?;
//!
//! let sender = async {
//!     // A PUB drops what it sends before the subscription arrives: send
//!     // until the subscriber has something.
//!     loop {
//!         publisher.send_multipart(["weather", "sunny"], 0).await?;
//!         tokio::time::sleep(std::time::Duration::from_millis(10)).await;
//!     }
//!     #[allow(unreachable_code)]
//!     Ok::<(), zmq::Error>(())
//! };
//! let receiver = async {
//!     // One Stream item per multipart message.
//!     let parts = sub.next().await.expect("the stream goes on")?;
//!     assert_eq!(&*parts[1], b"sunny");
//!     Ok::<(), zmq::Error>(())
//! };
//! tokio::select! {
//!     done = receiver => done?,
//!     failed = sender => failed?,
//! }
//! # Ok(())
//! # }
//! ```
//!
//! | pyzmq | Rust |
//! |---|---|
//! | `ctx = zmq.asyncio.Context()`, `zmq.asyncio.Context.instance()` | `zmq::asyncio::Context::new()`, `zmq::asyncio::Context::instance()` |
//! | `zmq.asyncio.Context(sync_ctx)` | `zmq::asyncio::Context::from(sync_ctx.clone())` |
//! | `zmq.asyncio.Socket.from_socket(s)` | `zmq::asyncio::Socket::from_socket(s)?` |
//! | `await s.send(b"x")`, `await s.recv()` | `s.send(b"x", 0).await?`, `s.recv(0).await?` |
//! | `await s.send_multipart(p)`, `await s.recv_multipart()` | `s.send_multipart(p, 0).await?`, `s.recv_multipart(0).await?` |
//! | `await s.poll(1000, zmq.POLLIN)` | `s.poll(1000, zmq::POLLIN).await?` |
//! | `zmq.asyncio.Poller()`, `await poller.poll(1000)` | `zmq::asyncio::Poller::new()`, `poller.poll(1000).await?` |
//! | `await asyncio.wait_for(s.recv(), 1.0)` | `tokio::time::timeout(Duration::from_secs(1), s.recv(0)).await` |
//!
//! The sockets need a tokio runtime with its I/O driver, and with its time
//! driver for timeouts (`RCVTIMEO`, `SNDTIMEO`, a poll's): `enable_all`;
//! `#[tokio::main]` has both. Otherwise an operation that has to wait
//! fails with [`Error::AsyncRuntime`](crate::Error::AsyncRuntime), as does
//! one polled after its runtime has shut down. Outside any runtime that is
//! checked first. A missing driver, and a timer whose runtime has shut
//! down, are found out by tokio panicking, which the crate catches and
//! turns into that error; in a program built with `panic = "abort"` there
//! is nothing to catch, and tokio's panic ends the process, as it would
//! for any tokio socket or timer used that way.
//!
//! How waiting works, and why no readiness is missed although libzmq's
//! `ZMQ_FD` is edge-triggered, is written down in one place: the
//! `readiness` module of the source (a runtime only supplies "wake me on
//! the next edge of this fd" and a timer).

mod lock;
mod poller;
mod readiness;
pub(crate) mod runtime;
mod socket;

use std::sync::{Mutex, OnceLock};

pub use poller::Poller;
pub use socket::{MonitorSocket, Socket};

use crate::error::Result;
use crate::{Flags, MonitorEvent, SocketType};

/// A context whose sockets are [`Socket`]s (pyzmq's `zmq.asyncio.Context`).
/// It is the sync [`zmq::Context`](crate::Context) underneath (through
/// `Deref`: `set`, `get`, `term`, `destroy`, ...), and the two convert
/// both ways; a sync and an async socket of one context talk over
/// `inproc://`.
///
/// `term` waits, as in pyzmq, for every socket to be closed: drop the
/// sockets first, or use `destroy`, which ends every pending call with
/// [`Error::ContextTerminated`](crate::Error::ContextTerminated) at once.
#[derive(Clone, Debug)]
pub struct Context {
    sync: crate::Context,
}

impl Context {
    /// A new context (`zmq.asyncio.Context()`).
    pub fn new() -> Context {
        Context {
            sync: crate::Context::new(),
        }
    }

    /// The process-wide async context (`zmq.asyncio.Context.instance()`),
    /// made on first use and again after it was terminated. As in pyzmq it
    /// is not the sync `zmq::Context::instance()`.
    pub fn instance() -> Context {
        static INSTANCE: OnceLock<Mutex<Option<Context>>> = OnceLock::new();
        let mut slot = INSTANCE
            .get_or_init(|| Mutex::new(None))
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        match &*slot {
            Some(ctx) if !ctx.closed() => ctx.clone(),
            _ => {
                // A closed old instance is only replaced here; whoever still
                // holds it ends it.
                let ctx = Context::new();
                let old = slot.replace(ctx.clone());
                drop(slot);
                // Not dropped here: if this is its last handle, the drop
                // terminates it, which waits for lingering messages.
                if let Some(old) = old {
                    let _ = std::thread::Builder::new()
                        .name("zmq-rs-term".into())
                        .spawn(move || drop(old));
                }
                ctx
            }
        }
    }

    /// A new async socket (`ctx.socket(zmq.DEALER)`).
    pub fn socket(&self, socket_type: SocketType) -> Result<Socket> {
        Socket::from_socket(self.sync.socket(socket_type)?)
    }
}

impl Default for Context {
    fn default() -> Context {
        Context::new()
    }
}

impl std::ops::Deref for Context {
    type Target = crate::Context;
    fn deref(&self) -> &crate::Context {
        &self.sync
    }
}

impl From<crate::Context> for Context {
    /// A shadow of a sync context (`zmq.asyncio.Context(sync_ctx)`).
    fn from(sync: crate::Context) -> Context {
        Context { sync }
    }
}

impl From<Context> for crate::Context {
    fn from(ctx: Context) -> crate::Context {
        ctx.sync
    }
}

/// Reads one event from an async monitor socket (pyzmq's
/// `await recv_monitor_message(m)`); see [`Socket::get_monitor_socket`].
pub async fn recv_monitor_message(
    monitor: &Socket,
    flags: impl Into<Flags>,
) -> Result<MonitorEvent> {
    let parts = monitor.recv_multipart_msg(flags).await?;
    crate::monitor::parse(&parts)
}
