//! pyzmq's `zmq.auth.asyncio.AsyncioAuthenticator`: the policy served on
//! `inproc://zeromq.zap.01` by a task on the tokio runtime.

use std::sync::{Arc, Mutex, Weak};

use tokio::task::JoinHandle;

use super::zap::{lock, reply, ZAP_ENDPOINT};
use super::Authenticator;
use crate::asyncio::{Context, Socket};
use crate::error::{Error, Result};
use crate::{DONTWAIT, ROUTER};

/// A ZAP handler run as a task on the tokio runtime (pyzmq's
/// `zmq.auth.asyncio.AsyncioAuthenticator`): the same policy and methods as
/// [`ThreadAuthenticator`](super::ThreadAuthenticator), without a thread
/// of its own. Feature `tokio`.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> zmq::Result<()> {
/// let ctx = zmq::asyncio::Context::new();
/// let auth = zmq::auth::AsyncioAuthenticator::new(&ctx);
/// auth.start()?; // inside the runtime: spawns the task
/// auth.allow(["127.0.0.1"])?;
/// auth.configure_plain("*", [("admin", "secret")])?;
///
/// let server = ctx.socket(zmq::PULL)?;
/// server.set_plain_server(true)?;
/// server.bind("tcp://127.0.0.1:*")?;
/// let client = ctx.socket(zmq::PUSH)?;
/// client.set_plain_username("admin")?;
/// client.set_plain_password("secret")?;
/// client.connect(&server.last_endpoint()?)?;
/// client.send("let me in", 0).await?;
/// let msg = server.recv_msg(0).await?;
/// assert_eq!(msg.gets("User-Id").as_deref(), Some("admin"));
/// auth.stop()?;
/// # Ok(())
/// # }
/// ```
///
/// `start` (not async, as in pyzmq) must be called inside a tokio runtime
/// (else [`Error::AsyncRuntime`]); the task runs on that runtime. A CURVE
/// callback runs in the task: keep it quick, it holds up the runtime's
/// thread as any blocking code in a task would. Start it before the
/// sockets it guards make connections, and stop it (or drop it) before
/// terminating the context. Dropping it stops it; `stop` frees the ZAP
/// endpoint at once for the next authenticator.
pub struct AsyncioAuthenticator {
    ctx: Context,
    policy: Arc<Mutex<Authenticator>>,
    running: Mutex<Option<Running>>,
}

struct Running {
    /// The task's ZAP socket, for `stop` to unbind it at once (the task,
    /// aborted, is dropped later by the runtime). Weak: a task that ended
    /// with its context closes it, and `term` does not wait for us.
    zap: Weak<Socket>,
    task: JoinHandle<()>,
}

// AsyncioAuthenticator is Send + Sync by its fields: a Context, the policy
// behind a Mutex (its callbacks are Send + Sync), and an asyncio Socket
// (Send + Sync, held weakly) and a JoinHandle (Send + Sync) behind a Mutex.

impl AsyncioAuthenticator {
    /// An authenticator for `ctx`'s sockets (pyzmq's
    /// `AsyncioAuthenticator(ctx)`), not started yet.
    pub fn new(ctx: &Context) -> AsyncioAuthenticator {
        AsyncioAuthenticator {
            ctx: ctx.clone(),
            policy: Arc::new(Mutex::new(Authenticator::new())),
            running: Mutex::new(None),
        }
    }

    /// Binds the ZAP endpoint and spawns the task on the current runtime
    /// (`auth.start()`). Errors: no runtime, or one without its I/O
    /// driver ([`Error::AsyncRuntime`]: the handler could not run),
    /// already started, another ZAP handler bound in this context
    /// (`EADDRINUSE`), the context ended. Should the task end for any
    /// other reason than its context (its runtime shutting down), it logs
    /// an error.
    pub fn start(&self) -> Result<()> {
        let runtime = crate::asyncio::runtime::current("AsyncioAuthenticator::start")?;
        let mut running = lock(&self.running);
        if running.as_ref().is_some_and(|r| !r.task.is_finished()) {
            return Err(Error::InvalidArgument(
                "the authenticator is already started",
            ));
        }
        if let Some(old) = running.take() {
            old.stop(); // ended with its context
        }
        let zap = Arc::new(self.ctx.socket(ROUTER)?);
        zap.set_linger(0)?;
        // A runtime without its I/O driver would end the task at its first
        // wait, leaving no handler: refused here instead (without a ZAP
        // handler, libzmq's CURVE servers admit any key).
        zap.register_with_runtime()?;
        zap.bind(ZAP_ENDPOINT)?;
        let weak = Arc::downgrade(&zap);
        let task = runtime.spawn(serve(zap, Arc::clone(&self.policy)));
        log::debug!(target: "zmq::auth", "starting");
        *running = Some(Running { zap: weak, task });
        Ok(())
    }

    /// Stops the task and frees the ZAP endpoint (`auth.stop()`); a new
    /// authenticator can start at once. Not async and never blocks: the
    /// task is aborted (a request it was answering goes unanswered, and
    /// that peer's handshake is retried). Stopping one that is not running
    /// does nothing.
    pub fn stop(&self) -> Result<()> {
        let Some(running) = lock(&self.running).take() else {
            return Ok(());
        };
        running.stop();
        log::debug!(target: "zmq::auth", "stopped");
        Ok(())
    }

    /// Whether the task runs (`auth.is_alive()`).
    pub fn is_alive(&self) -> bool {
        lock(&self.running)
            .as_ref()
            .is_some_and(|r| !r.task.is_finished())
    }

    super::zap::policy_methods!();
}

impl Running {
    /// Aborts the task and frees the endpoint now: the socket itself
    /// closes when the runtime drops the task's future (or here, if it
    /// already has: a ROUTER with linger 0 closes without blocking). A
    /// context that ended refuses (ETERM), and has released its endpoints
    /// anyway.
    fn stop(self) {
        self.task.abort();
        if let Some(zap) = self.zap.upgrade() {
            let _ = zap.unbind(ZAP_ENDPOINT);
        }
    }
}

impl Drop for AsyncioAuthenticator {
    fn drop(&mut self) {
        let _ = self.stop();
    }
}

impl std::fmt::Debug for AsyncioAuthenticator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AsyncioAuthenticator")
            .field("alive", &self.is_alive())
            .field("policy", &*lock(&self.policy))
            .finish()
    }
}

/// The task: answers ZAP requests until aborted or the context ends.
async fn serve(zap: Arc<Socket>, policy: Arc<Mutex<Authenticator>>) {
    loop {
        let frames = match zap.recv_multipart_msg(0).await {
            Ok(frames) => frames,
            Err(Error::Interrupted) => continue,
            Err(Error::ContextTerminated) => break,
            Err(e) => {
                // The runtime is going away (or its driver failed): say
                // so, as the handshakes this socket guarded now lack one.
                log::error!(target: "zmq::auth", "authenticator stopped: {e}");
                break;
            }
        };
        if let Some(reply) = reply(&frames, &policy) {
            // A peer that left is not an error: ROUTER drops what it
            // cannot route, and never blocks on a send.
            if let Err(Error::ContextTerminated) = zap.send_multipart(reply, DONTWAIT).await {
                break;
            }
        }
    }
}
