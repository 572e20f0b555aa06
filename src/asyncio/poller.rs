//! `zmq::asyncio::Poller`: pyzmq's `zmq.asyncio.Poller`.

use std::future::poll_fn;
use std::task::Poll;

use super::readiness::{Core, Reactor, Wait};
use super::runtime::{self, Tokio};
use super::socket::Waiting;
use super::Socket;
use crate::error::{Error, Result};
use crate::poll::Key;
use crate::{IntoTimeout, PollEvents, PollResult};

/// Waits on several async sockets at once (`zmq.asyncio.Poller`):
/// `socks = poller.poll(1000).await?` gives the same [`PollResult`] as the
/// sync [`zmq::Poller`](crate::Poller).
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> zmq::Result<()> {
/// let ctx = zmq::asyncio::Context::new();
/// let (a, b) = (ctx.socket(zmq::PAIR)?, ctx.socket(zmq::PAIR)?);
/// a.bind("inproc://asyncio-poller-doc")?;
/// b.connect("inproc://asyncio-poller-doc")?;
/// let mut poller = zmq::asyncio::Poller::new();
/// poller.register(&b, zmq::POLLIN);
/// assert!(poller.poll(0).await?.is_empty());
/// a.send("ping", 0).await?;
/// let socks = poller.poll(5000).await?;
/// assert_eq!(socks.get(&b), zmq::POLLIN);
/// # Ok(())
/// # }
/// ```
#[derive(Default)]
pub struct Poller<'a> {
    items: Vec<(&'a Socket, PollEvents)>,
}

impl<'a> Poller<'a> {
    /// An empty poller.
    pub fn new() -> Poller<'a> {
        Poller { items: Vec::new() }
    }

    /// Watches `socket` for `events` (`poller.register(s, zmq.POLLIN)`);
    /// registering it again changes its events, and empty events unregister
    /// it, as in pyzmq.
    pub fn register(&mut self, socket: &'a Socket, events: PollEvents) {
        let events = events & (PollEvents::POLLIN | PollEvents::POLLOUT);
        if events.is_empty() {
            self.unregister(socket);
            return;
        }
        match self
            .items
            .iter_mut()
            .find(|(s, _)| std::ptr::eq(*s, socket))
        {
            Some(item) => item.1 = events,
            None => self.items.push((socket, events)),
        }
    }

    /// Changes the events of a registered socket (`poller.modify(s, f)`).
    pub fn modify(&mut self, socket: &'a Socket, events: PollEvents) {
        self.register(socket, events);
    }

    /// Stops watching a socket (`poller.unregister(s)`); whether it was
    /// registered.
    pub fn unregister(&mut self, socket: &Socket) -> bool {
        let before = self.items.len();
        self.items.retain(|(s, _)| !std::ptr::eq(*s, socket));
        self.items.len() != before
    }

    /// How many sockets are registered.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether nothing is registered.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Waits up to `timeout` (ms, a `Duration`, `-1`/`None`: no limit)
    /// until some registered socket can do what it was registered for
    /// (`dict(await poller.poll(1000))`). An empty poller returns at once.
    /// Cancel-safe: nothing is received or sent.
    pub async fn poll(&mut self, timeout: impl IntoTimeout) -> Result<PollResult> {
        let ms = timeout.into_timeout_ms();
        if self.items.is_empty() {
            return Ok(PollResult::default());
        }
        let mut timer = runtime::timer_ms(ms)?;
        let mut waits: Vec<Waiting<'_>> = self
            .items
            .iter()
            .map(|(socket, _)| Waiting {
                core: socket.core(),
                wait: Wait::with_timer(None),
            })
            .collect();
        let items = &self.items;
        poll_fn(|cx| {
            // One unit of the budget for the whole poll: a socket must not
            // look idle because the budget ran out half way through.
            let Poll::Ready(budget) = Core::<Tokio>::budget(cx) else {
                return Poll::Pending;
            };
            let result = poll_all(cx, items, &mut waits, &mut timer, ms);
            if result.is_ready() {
                Core::<Tokio>::progress(budget);
            }
            result
        })
        .await
    }
}

/// One round of a Poller's poll over every socket.
fn poll_all(
    cx: &mut std::task::Context<'_>,
    items: &[(&Socket, PollEvents)],
    waits: &mut [Waiting<'_>],
    timer: &mut Option<<Tokio as Reactor>::Timer>,
    ms: libc::c_long,
) -> Poll<Result<PollResult>> {
    let mut ready = Vec::new();
    for ((socket, want), waiting) in items.iter().zip(waits.iter_mut()) {
        let polled = socket
            .core()
            .poll_events(cx, &mut waiting.wait, *want, ms == 0);
        match polled {
            Poll::Ready(Ok(events)) => {
                ready.push((Key::Socket(socket.as_raw() as usize, false), events))
            }
            Poll::Ready(Err(Error::Again)) | Poll::Pending => {}
            Poll::Ready(Err(e)) => return Poll::Ready(Err(e)),
        }
    }
    if !ready.is_empty() || ms == 0 {
        return Poll::Ready(Ok(PollResult::from_ready(ready)));
    }
    if let Some(timer) = timer {
        match runtime::poll_timer(timer, cx) {
            Poll::Ready(Ok(())) => return Poll::Ready(Ok(PollResult::default())),
            Poll::Ready(Err(e)) => return Poll::Ready(Err(e)),
            Poll::Pending => {}
        }
    }
    Poll::Pending
}

impl std::fmt::Debug for Poller<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("asyncio::Poller")
            .field("sockets", &self.items.len())
            .finish()
    }
}
