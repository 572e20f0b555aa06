//! A thin, safe binding over libzmq 4.3.5, shaped like pyzmq.
//!
//! ```
//! use std::thread;
//!
//! let ctx = zmq::Context::new();
//! let server = ctx.socket(zmq::REP)?;
//! server.bind("inproc://hello")?;
//!
//! let client_ctx = ctx.clone();
//! let client = thread::spawn(move || -> zmq::Result<String> {
//!     let client = client_ctx.socket(zmq::REQ)?;
//!     client.connect("inproc://hello")?;
//!     client.send("Hello", 0)?;
//!     client.recv_string(0)
//! });
//!
//! let request = server.recv_string(0)?;
//! assert_eq!(request, "Hello");
//! server.send("World", 0)?;
//! assert_eq!(client.join().unwrap()?, "World");
//! # Ok::<(), zmq::Error>(())
//! ```
//!
//! # Where does libzmq come from?
//!
//! By default the build compiles libzmq 4.3.5 from the `zeromq-src` crate
//! and links it statically: no system package is needed. Features add
//! OpenPGM (`pgm`), libsodium for CURVE (`curve`) and the draft API
//! (`draft`). With `LIBZMQ_NO_VENDOR=1` the build links the system libzmq
//! found by pkg-config instead. [`sys::VENDORED`] says which happened;
//! [`zmq_version`] and [`has`] say what the linked library is and can do.
//!
//! # Which types may cross threads?
//!
//! | type | `Send` | `Sync` | why |
//! |---|---|---|---|
//! | [`Context`] | yes | yes | libzmq contexts are thread-safe; clone it into each thread |
//! | [`Socket`] | yes | **no** | a classic socket may move between threads, but only one uses it at a time |
//! | `ThreadSafeSocket` (`draft`) | yes | yes | SERVER, CLIENT, RADIO, DISH, SCATTER, GATHER, PEER, CHANNEL: libzmq locks each call |
//! | [`Message`] | yes | yes | moved freely; shared buffers are refcounted; `&Message` only reads |
//! | [`Poller`] | no | no | it borrows sockets of one thread |
//! | [`MonitorSocket`] | no | no | the reader of `get_monitor_socket` borrows the socket it monitors |
//!
//! Give each thread its own sockets (made from a shared `Context`), and
//! connect them with `inproc://` endpoints, as libzmq's guide does.
//!
//! # Porting from pyzmq
//!
//! Names follow pyzmq; fallible calls return [`Result`] where pyzmq raises,
//! and keyword defaults become a second method:
//!
//! | pyzmq | Rust |
//! |---|---|
//! | `ctx = zmq.Context()` | `let ctx = zmq::Context::new();` |
//! | `s = ctx.socket(zmq.REQ)` | `let s = ctx.socket(zmq::REQ)?;` |
//! | `s.bind("tcp://*:5555")` | `s.bind("tcp://*:5555")?` |
//! | `port = s.bind_to_random_port("tcp://127.0.0.1")` | `let port = s.bind_to_random_port("tcp://127.0.0.1")?;` |
//! | `s.send(b"x")`, `s.send(b"x", zmq.SNDMORE)` | `s.send(b"x", 0)?`, `s.send(b"x", zmq::SNDMORE)?` |
//! | `s.recv()`, `s.recv(copy=False)` | `s.recv(0)?`, `s.recv_msg(0)?` |
//! | `s.send_string(u)`, `s.recv_string()` | `s.send_string(u, 0)?`, `s.recv_string(0)?` |
//! | `s.send_multipart([a, b"", c])`, `s.recv_multipart()` | `s.send_multipart([a, b"", c], 0)?`, `s.recv_multipart(0)?` |
//! | `s.setsockopt(zmq.LINGER, 0)`, `s.linger = 0` | `s.setsockopt(zmq::LINGER, 0)?`, `s.set_linger(0)?` |
//! | `s.subscribe(b"topic")` | `s.subscribe("topic")?` |
//! | `socks = dict(poller.poll(1000))` | `let socks = poller.poll(1000)?;` |
//! | `if socks.get(s) == zmq.POLLIN:` | `if socks.get(&s) == zmq::POLLIN {` |
//! | `except zmq.Again:` | `Err(zmq::Error::Again) =>` |
//! | `zmq.proxy(f, b)` | `zmq::proxy(&f, &b)?` |
//! | `public, secret = zmq.curve_keypair()` | `let (public, secret) = zmq::curve_keypair()?;` |
//!
//! README.md has the complete table.
//!
//! # Multicast (`epgm://`, `pgm://`)
//!
//! With the `pgm` feature, PUB and SUB connect to
//! `epgm://<interface address>;<group>:<port>`. Our tests, with real packet
//! loss between two network namespaces, found these facts about libzmq 4.3
//! and OpenPGM 5.3 (they are not the binding's):
//!
//! - The publisher keeps `RATE` (kbit/s) × `RECOVERY_IVL` (ms) worth of
//!   packets for repair; a loss older than that cannot be repaired.
//! - A subscriber can only ask for a repair once an SPM has told it where
//!   the publisher is (SPMs follow data after 100 ms, else come every 30 s):
//!   a loss in its first moments is final.
//! - After a loss that cannot be repaired, the subscriber delivered nothing
//!   more from that publisher, not even messages sent later.
//! - Two processes on one host that share an epgm port may not repair at
//!   all: a NAK (unicast) reaches only one of them.
//! - `MULTICAST_LOOP` has no effect on PGM (libzmq turns loopback off); it
//!   applies to UDP multicast (RADIO/DISH, `draft`).
//!
//! One fact is the binding's: OpenPGM's set-up (`pgm_init`, called by every
//! `zmq_ctx_new`) is not safe when two threads make the first contexts at
//! once (a crash). [`Context::new`] therefore does OpenPGM's set-up once,
//! in one thread, and keeps one idle libzmq context for the life of the
//! process, when libzmq has PGM. Contexts made through `zmq::sys` directly
//! do not get this.
#![deny(missing_docs)]
#![warn(unsafe_op_in_unsafe_fn)]

// The -sys crates must be named so that their link lines (libpgm.a,
// libsodium.a) reach the final binary, after libzmq.a. With a system libzmq
// they are not linked: the system library brings its own.
#[cfg(all(feature = "curve", zmq_vendored))]
extern crate libsodium_sys;
#[cfg(all(feature = "pgm", zmq_vendored))]
extern crate openpgm_sys;

pub mod sys;

/// README.md's Rust examples, run as doctests so the README stays true.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

#[cfg(feature = "tokio")]
pub mod asyncio;
pub mod auth;
mod checks;
mod constants;
mod context;
mod curve;
pub mod devices;
mod error;
mod inproc;
mod message;
mod monitor;
mod poll;
mod proxy;
mod socket;
#[cfg(feature = "draft")]
mod socket_poller;
pub mod sockopt;
mod thread_options;
#[cfg(feature = "draft")]
mod thread_safe;
mod version;
pub mod z85;

pub use constants::*;
pub use context::Context;
pub use curve::{curve_keypair, curve_public};
pub use error::{strerror, Error, Result};
pub use message::Message;
pub use monitor::{recv_monitor_message, MonitorEvent};
pub use poll::{select, IntoTimeout, PollResult, PollSocket, PollTarget, Pollable, Poller};
pub use proxy::{device, proxy, proxy_capture, proxy_steerable};
pub use socket::{MonitorSocket, Sendable, Socket};
#[cfg(feature = "draft")]
pub use socket_poller::SocketPoller;
pub use sockopt::*;
#[cfg(feature = "draft")]
pub use thread_safe::ThreadSafeSocket;
pub use version::{has, zmq_version, zmq_version_info, VERSION};
