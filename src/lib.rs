//! A thin, safe binding over libzmq 4.3.5, shaped like pyzmq.
//!
//! libzmq comes from the vendored `zeromq-src` sources by default, or from the
//! system when `LIBZMQ_NO_VENDOR=1` (see README.md). [`sys`] is the complete
//! raw FFI.
//!
//! ```
//! println!("libzmq {}", zmq::zmq_version());
//! assert!(zmq::has("ipc") || cfg!(windows));
//! ```
#![deny(missing_docs)]

// The -sys crates must be named so that their link lines (libpgm.a,
// libsodium.a) reach the final binary, after libzmq.a. With a system libzmq
// they are not linked: the system library brings its own.
#[cfg(all(feature = "curve", zmq_vendored))]
extern crate libsodium_sys;
#[cfg(all(feature = "pgm", zmq_vendored))]
extern crate openpgm_sys;

pub mod sys;
mod version;

pub use version::{has, zmq_version, zmq_version_info, VERSION};
