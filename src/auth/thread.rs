//! pyzmq's `zmq.auth.thread.ThreadAuthenticator`: the policy served on
//! `inproc://zeromq.zap.01` by a thread of its own.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use super::zap::{lock, reply, ZAP_ENDPOINT};
use super::Authenticator;
use crate::error::{Error, Result};
use crate::{Context, PollEvents, Poller, Socket, DONTWAIT, PAIR, ROUTER};

/// Distinct names for the control pipes.
static PIPES: AtomicUsize = AtomicUsize::new(0);

/// A ZAP handler in a background thread (pyzmq's
/// `zmq.auth.thread.ThreadAuthenticator`): every socket of its context that
/// asks for authentication (a PLAIN or CURVE server, or any socket with a
/// `ZAP_DOMAIN`) is answered by the policy of [`Authenticator`], which can
/// change while it runs: the next handshake sees it.
///
/// ```
/// let ctx = zmq::Context::new();
/// let auth = zmq::auth::ThreadAuthenticator::new(&ctx);
/// auth.start()?;
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
/// client.send("let me in", 0)?;
/// server.set_rcvtimeo(5000)?;
/// let msg = server.recv_msg(0)?;
/// assert_eq!(msg.gets("User-Id").as_deref(), Some("admin"));
/// auth.stop()?;
/// # Ok::<(), zmq::Error>(())
/// ```
///
/// Start it before the sockets it guards make connections, and keep it
/// running while they live: libzmq refuses a handshake that finds no ZAP
/// handler. Dropping it stops it. Only one runs per context (the endpoint
/// is libzmq's); `stop` frees it at once for the next.
pub struct ThreadAuthenticator {
    ctx: Context,
    policy: Arc<Mutex<Authenticator>>,
    running: Mutex<Option<Running>>,
}

struct Running {
    /// This end of the control pipe (`TERMINATE`).
    pipe: Socket,
    thread: JoinHandle<()>,
}

// ThreadAuthenticator is Send + Sync by its fields: a Context, the policy
// behind a Mutex (its callbacks are Send + Sync), and the control Socket
// (Send) behind a Mutex, so only one thread uses it at a time.

impl ThreadAuthenticator {
    /// An authenticator for `ctx`'s sockets (pyzmq's
    /// `ThreadAuthenticator(ctx)`), not started yet.
    pub fn new(ctx: &Context) -> ThreadAuthenticator {
        ThreadAuthenticator {
            ctx: ctx.clone(),
            policy: Arc::new(Mutex::new(Authenticator::new())),
            running: Mutex::new(None),
        }
    }

    /// Binds the ZAP endpoint and starts the thread (`auth.start()`). Errors:
    /// already started, another ZAP handler bound in this context
    /// (`EADDRINUSE`), the context ended.
    pub fn start(&self) -> Result<()> {
        let mut running = lock(&self.running);
        if running.as_ref().is_some_and(|r| !r.thread.is_finished()) {
            return Err(Error::InvalidArgument(
                "the authenticator is already started",
            ));
        }
        if let Some(old) = running.take() {
            let _ = old.thread.join(); // ended by its context: reap it
        }
        let zap = self.ctx.socket(ROUTER)?;
        zap.set_linger(0)?;
        zap.bind(ZAP_ENDPOINT)?;
        let name = format!(
            "inproc://zmq-rs.auth.{}.{}",
            std::process::id(),
            PIPES.fetch_add(1, Ordering::Relaxed)
        );
        let pipe = self.ctx.socket(PAIR)?;
        pipe.set_linger(0)?;
        pipe.bind(&name)?;
        let thread_pipe = self.ctx.socket(PAIR)?;
        thread_pipe.set_linger(0)?;
        thread_pipe.connect(&name)?;
        let policy = Arc::clone(&self.policy);
        let thread = std::thread::Builder::new()
            .name("zmq-auth".into())
            .spawn(move || serve(zap, thread_pipe, &policy))
            .map_err(|_| Error::from_errno(libc::EAGAIN))?;
        log::debug!(target: "zmq::auth", "starting");
        *running = Some(Running { pipe, thread });
        Ok(())
    }

    /// Stops the thread and frees the ZAP endpoint (`auth.stop()`); a new
    /// authenticator can start at once. Stopping one that is not running
    /// does nothing.
    pub fn stop(&self) -> Result<()> {
        let Some(running) = lock(&self.running).take() else {
            return Ok(());
        };
        // Outside the lock. If the context has ended the thread has ended
        // too (its poll saw ETERM), and the send fails: nothing to stop.
        let _ = running.pipe.send("TERMINATE", DONTWAIT);
        let _ = running.thread.join();
        log::debug!(target: "zmq::auth", "stopped");
        Ok(())
    }

    /// Whether the thread runs (`auth.is_alive()`).
    pub fn is_alive(&self) -> bool {
        lock(&self.running)
            .as_ref()
            .is_some_and(|r| !r.thread.is_finished())
    }

    super::zap::policy_methods!();
}

impl Drop for ThreadAuthenticator {
    fn drop(&mut self) {
        let _ = self.stop();
    }
}

impl std::fmt::Debug for ThreadAuthenticator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ThreadAuthenticator")
            .field("alive", &self.is_alive())
            .field("policy", &*lock(&self.policy))
            .finish()
    }
}

/// The thread: answers ZAP requests until `TERMINATE` or the context ends.
fn serve(zap: Socket, pipe: Socket, policy: &Mutex<Authenticator>) {
    let mut poller = Poller::new();
    poller.register(&zap, PollEvents::POLLIN);
    poller.register(&pipe, PollEvents::POLLIN);
    loop {
        let ready = match poller.poll(-1) {
            Ok(ready) => ready,
            Err(Error::Interrupted) => continue,
            Err(_) => break, // the context ended
        };
        if ready.contains(&pipe) {
            match pipe.recv(DONTWAIT) {
                Ok(command) if command == b"TERMINATE" => break,
                Ok(command) => {
                    log::error!(target: "zmq::auth", "invalid command {:?}", String::from_utf8_lossy(&command));
                }
                Err(Error::Again) | Err(Error::Interrupted) => {}
                Err(_) => break,
            }
        }
        if ready.contains(&zap) && answer(&zap, policy).is_err() {
            break; // the context ended
        }
    }
    // `zap` closes here, unbinding its endpoint first (Socket::close): a
    // new authenticator can bind it at once.
}

/// Reads one request from the ROUTER and answers it.
fn answer(zap: &Socket, policy: &Mutex<Authenticator>) -> Result<()> {
    let frames = match zap.recv_multipart_msg(DONTWAIT) {
        Ok(frames) => frames,
        Err(Error::Again) | Err(Error::Interrupted) => return Ok(()),
        Err(e) => return Err(e),
    };
    if let Some(reply) = reply(&frames, policy) {
        // A peer that left is not an error: ROUTER drops what it cannot route.
        if let Err(Error::ContextTerminated) = zap.send_multipart(reply, DONTWAIT) {
            return Err(Error::ContextTerminated);
        }
    }
    Ok(())
}
