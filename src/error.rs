//! One error type for the crate: pyzmq's `ZMQError` family.

use std::ffi::CStr;
use std::io;

use libc::c_int;

use crate::sys;

/// A `Result` whose error is [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong, as pyzmq's exceptions:
///
/// | pyzmq | Rust |
/// |---|---|
/// | `zmq.Again` | [`Error::Again`] (or [`Error::is_again`]) |
/// | `zmq.ContextTerminated` | [`Error::ContextTerminated`] |
/// | `zmq.ZMQError` with `e.errno` | [`Error::Zmq`] / [`Error::Endpoint`], [`Error::errno`] |
/// | `zmq.ZMQBindError` | [`Error::BindRandomPort`] |
/// | `zmq.NotDone` | [`Error::NotDone`] |
///
/// Errors from libzmq keep their errno, and `Display` shows libzmq's own
/// text (`zmq_strerror`), as pyzmq prints it. Failures on the Rust side (a
/// NUL byte in a string argument, invalid UTF-8, JSON) are their own
/// variants; [`Error::errno`] gives `EINVAL` for bad arguments and 0 for the
/// others.
///
/// ```
/// let ctx = zmq::Context::new();
/// let s = ctx.socket(zmq::PULL)?;
/// match s.recv(zmq::DONTWAIT) {
///     Err(zmq::Error::Again) => {}
///     other => panic!("{other:?}"),
/// }
/// let e = s.recv(zmq::DONTWAIT).unwrap_err();
/// assert!(e.is_again());
/// assert_eq!(e.errno(), zmq::EAGAIN);
/// assert_eq!(e.to_string(), "Resource temporarily unavailable");
/// # Ok::<(), zmq::Error>(())
/// ```
#[derive(thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// `EAGAIN`: a non-blocking call would block, or a timeout
    /// (`RCVTIMEO`/`SNDTIMEO`) expired. pyzmq's `zmq.Again`.
    #[error("{}", strerror(libc::EAGAIN))]
    Again,
    /// `ETERM`: the socket's context was terminated (or destroyed).
    /// pyzmq's `zmq.ContextTerminated`.
    #[error("{}", strerror(sys::ETERM))]
    ContextTerminated,
    /// `EINTR`: a signal interrupted a blocking call; retry it if you want.
    /// pyzmq retries internally; a Rust caller decides.
    #[error("{}", strerror(libc::EINTR))]
    Interrupted,
    /// Any other libzmq error.
    #[error("{}", strerror(*errno))]
    Zmq {
        /// The errno libzmq reported (`zmq::EFSM`, `zmq::EINVAL`, ...).
        errno: i32,
    },
    /// A libzmq error from `bind`/`connect`/`unbind`/`disconnect`, naming the
    /// endpoint (pyzmq: `Address already in use (addr='tcp://...')`).
    #[error("{} (addr='{endpoint}')", strerror(*errno))]
    Endpoint {
        /// The errno libzmq reported.
        errno: i32,
        /// The endpoint the call was given.
        endpoint: String,
    },
    /// `bind_to_random_port_range` tried every attempt it was allowed
    /// (pyzmq's `zmq.ZMQBindError`).
    #[error("could not bind socket to random port (addr='{addr}', {tries} tries)")]
    BindRandomPort {
        /// The address without port, as given.
        addr: String,
        /// How many ports were tried.
        tries: u32,
    },
    /// A wait ended before the thing it waited for was done (pyzmq's
    /// `zmq.NotDone`), e.g. a device thread's `join` with a timeout.
    #[error("operation not done before the timeout")]
    NotDone,
    /// A string argument contains a NUL byte, which libzmq cannot take.
    #[error("{what} contains a NUL byte at position {position}")]
    Nul {
        /// Which argument.
        what: &'static str,
        /// Where the NUL byte is.
        position: usize,
    },
    /// A received message (or option value) is not valid UTF-8. The bytes are
    /// not lost: `FromUtf8Error::into_bytes` gives them back.
    #[error("invalid UTF-8: {0}")]
    Utf8(#[from] std::string::FromUtf8Error),
    /// A value libzmq cannot take, detected before calling it (e.g. a Z85
    /// input of the wrong length, or a CURVE key of the wrong size).
    #[error("invalid argument: {0}")]
    InvalidArgument(&'static str),
    /// A file could not be read or written (certificates, `zmq::auth`).
    #[error("{}: {error}", path.display())]
    Io {
        /// The file or directory.
        path: std::path::PathBuf,
        /// What the OS said.
        error: io::Error,
    },
    /// A certificate file is malformed (`zmq::auth::load_certificate`).
    #[error("{}:{line}: {message}", path.display())]
    Certificate {
        /// The file.
        path: std::path::PathBuf,
        /// The line (1 is the first; 0 for the file as a whole).
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// The async runtime cannot drive a `zmq::asyncio` socket (feature
    /// `tokio`): the socket was awaited outside a tokio runtime, or in one
    /// built without its I/O or time driver (`enable_all`; `#[tokio::main]`
    /// has both; the time driver is needed for timeouts), or in one that is
    /// shutting down. (A missing driver, or a timer whose runtime has shut
    /// down, is found out by catching tokio's panic: under
    /// `panic = "abort"` that panic ends the process instead.)
    #[error("async runtime: {0}")]
    AsyncRuntime(io::Error),
    /// `send_json`/`recv_json` (feature `json`) could not (de)serialize.
    #[cfg(feature = "json")]
    #[error("JSON: {0}")]
    Json(#[from] serde_json::Error),
}

impl Error {
    /// The error for an errno reported by libzmq.
    pub fn from_errno(errno: i32) -> Error {
        match errno {
            libc::EAGAIN => Error::Again,
            sys::ETERM => Error::ContextTerminated,
            libc::EINTR => Error::Interrupted,
            errno => Error::Zmq { errno },
        }
    }

    /// The error libzmq reported for the call that just failed in this
    /// thread (`zmq_errno()`, read at once: it is thread-local). Out of
    /// line and cold: it is only ever on the failure path.
    #[cold]
    #[inline(never)]
    pub(crate) fn last() -> Error {
        // SAFETY: zmq_errno only reads this thread's errno.
        Error::from_errno(unsafe { sys::zmq_errno() })
    }

    /// The last error, naming the endpoint unless it is one of the variants
    /// callers match on (`Again`, `ContextTerminated`, `Interrupted`).
    pub(crate) fn last_for_endpoint(endpoint: &str) -> Error {
        match Error::last() {
            Error::Zmq { errno } => Error::Endpoint {
                errno,
                endpoint: endpoint.to_string(),
            },
            other => other,
        }
    }

    /// The errno, as pyzmq's `e.errno`: `EAGAIN` for [`Error::Again`], `ETERM`
    /// for [`Error::ContextTerminated`], `EINTR` for [`Error::Interrupted`],
    /// `EINVAL` for bad arguments caught on the Rust side, 0 for failures
    /// that did not come from libzmq.
    pub fn errno(&self) -> i32 {
        match self {
            Error::Again => libc::EAGAIN,
            Error::ContextTerminated => sys::ETERM,
            Error::Interrupted => libc::EINTR,
            Error::Zmq { errno } | Error::Endpoint { errno, .. } => *errno,
            Error::BindRandomPort { .. } => libc::EADDRINUSE,
            Error::Nul { .. } | Error::InvalidArgument(_) | Error::Certificate { .. } => {
                libc::EINVAL
            }
            Error::Io { error, .. } | Error::AsyncRuntime(error) => {
                error.raw_os_error().unwrap_or(0)
            }
            Error::NotDone | Error::Utf8(_) => 0,
            #[cfg(feature = "json")]
            Error::Json(_) => 0,
        }
    }

    /// `EAGAIN`: would block, or timed out.
    pub fn is_again(&self) -> bool {
        matches!(self, Error::Again)
    }

    /// `ETERM`: the context was terminated.
    pub fn is_context_terminated(&self) -> bool {
        matches!(self, Error::ContextTerminated)
    }

    /// `EINTR`: interrupted by a signal.
    pub fn is_interrupted(&self) -> bool {
        matches!(self, Error::Interrupted)
    }

    /// `EFSM`: the operation is not allowed in the socket's current state
    /// (e.g. REQ `recv` before `send`).
    pub fn is_fsm(&self) -> bool {
        self.errno() == sys::EFSM
    }
}

/// libzmq's text for an errno (pyzmq's `zmq.strerror`).
///
/// ```
/// assert_eq!(zmq::strerror(zmq::EAGAIN), "Resource temporarily unavailable");
/// assert_eq!(zmq::strerror(zmq::ETERM), "Context was terminated");
/// ```
#[doc(alias = "zmq_strerror")]
pub fn strerror(errno: i32) -> String {
    // SAFETY: zmq_strerror returns a pointer to a static (or thread-local
    // libc) NUL-terminated string for any errno; it is copied at once.
    unsafe {
        let text = sys::zmq_strerror(errno);
        if text.is_null() {
            return format!("errno {errno}");
        }
        CStr::from_ptr(text).to_string_lossy().into_owned()
    }
}

/// `Debug` shows the variant, its fields and libzmq's text, so that a `main`
/// returning `zmq::Result` (which prints `Debug`) says what went wrong:
/// `Zmq { errno: 156384763, message: "Operation cannot be accomplished in current state" }`.
impl std::fmt::Debug for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let message = self.to_string();
        let mut d = match self {
            Error::Again => f.debug_struct("Again"),
            Error::ContextTerminated => f.debug_struct("ContextTerminated"),
            Error::Interrupted => f.debug_struct("Interrupted"),
            Error::Zmq { errno } => {
                let mut d = f.debug_struct("Zmq");
                d.field("errno", errno);
                d
            }
            Error::Endpoint { errno, endpoint } => {
                let mut d = f.debug_struct("Endpoint");
                d.field("errno", errno).field("endpoint", endpoint);
                d
            }
            Error::BindRandomPort { addr, tries } => {
                let mut d = f.debug_struct("BindRandomPort");
                d.field("addr", addr).field("tries", tries);
                d
            }
            Error::NotDone => f.debug_struct("NotDone"),
            Error::Nul { what, position } => {
                let mut d = f.debug_struct("Nul");
                d.field("what", what).field("position", position);
                d
            }
            Error::Utf8(e) => {
                let mut d = f.debug_struct("Utf8");
                d.field("error", e);
                d
            }
            Error::InvalidArgument(_) => f.debug_struct("InvalidArgument"),
            Error::Io { path, error } => {
                let mut d = f.debug_struct("Io");
                d.field("path", path).field("error", error);
                d
            }
            Error::Certificate { path, line, .. } => {
                let mut d = f.debug_struct("Certificate");
                d.field("path", path).field("line", line);
                d
            }
            Error::AsyncRuntime(error) => {
                let mut d = f.debug_struct("AsyncRuntime");
                d.field("error", error);
                d
            }
            #[cfg(feature = "json")]
            Error::Json(e) => {
                let mut d = f.debug_struct("Json");
                d.field("error", e);
                d
            }
        };
        d.field("message", &message).finish()
    }
}

/// The one conversion helper: a libzmq return code to a `Result`, reading
/// errno right after the failing call.
#[inline]
pub(crate) fn cvt(rc: c_int) -> Result<c_int> {
    if rc == -1 {
        Err(Error::last())
    } else {
        Ok(rc)
    }
}

/// Converts a string argument for libzmq, refusing NUL bytes.
pub(crate) fn c_string(what: &'static str, text: &str) -> Result<std::ffi::CString> {
    std::ffi::CString::new(text).map_err(|e| Error::Nul {
        what,
        position: e.nul_position(),
    })
}

impl From<Error> for io::Error {
    /// `EAGAIN` becomes `WouldBlock`, `EINTR` `Interrupted`; libzmq errors that
    /// are OS errnos keep their `ErrorKind` (e.g. `AddrInUse`).
    fn from(e: Error) -> io::Error {
        let kind = match &e {
            Error::Again => io::ErrorKind::WouldBlock,
            Error::Interrupted => io::ErrorKind::Interrupted,
            Error::Nul { .. } | Error::InvalidArgument(_) => io::ErrorKind::InvalidInput,
            Error::Utf8(_) | Error::Certificate { .. } => io::ErrorKind::InvalidData,
            Error::Io { error, .. } => error.kind(),
            Error::Zmq { errno } | Error::Endpoint { errno, .. }
                if *errno < sys::ZMQ_HAUSNUMERO =>
            {
                io::Error::from_raw_os_error(*errno).kind()
            }
            Error::BindRandomPort { .. } => io::ErrorKind::AddrInUse,
            Error::NotDone => io::ErrorKind::TimedOut,
            _ => io::ErrorKind::Other,
        };
        io::Error::new(kind, e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_errno_converts_without_panicking() {
        for errno in (-5..200).chain(sys::ZMQ_HAUSNUMERO..sys::ZMQ_HAUSNUMERO + 60) {
            let e = Error::from_errno(errno);
            assert_eq!(e.errno(), errno);
            let _ = e.to_string();
            let _ = io::Error::from(e);
        }
    }

    #[test]
    fn debug_shows_libzmqs_message() {
        assert_eq!(
            format!("{:?}", Error::from_errno(sys::EFSM)),
            format!(
                "Zmq {{ errno: {}, message: \"Operation cannot be accomplished in current state\" }}",
                sys::EFSM
            )
        );
        assert_eq!(
            format!("{:?}", Error::Again),
            "Again { message: \"Resource temporarily unavailable\" }"
        );
        assert_eq!(
            format!("{:?}", Error::InvalidArgument("bad")),
            "InvalidArgument { message: \"invalid argument: bad\" }"
        );
    }

    #[test]
    fn io_kinds() {
        assert_eq!(
            io::Error::from(Error::Again).kind(),
            io::ErrorKind::WouldBlock
        );
        let e = Error::Endpoint {
            errno: libc::EADDRINUSE,
            endpoint: "tcp://127.0.0.1:1".into(),
        };
        assert_eq!(
            e.to_string(),
            "Address already in use (addr='tcp://127.0.0.1:1')"
        );
        assert_eq!(io::Error::from(e).kind(), io::ErrorKind::AddrInUse);
        assert_eq!(
            io::Error::from(Error::ContextTerminated).kind(),
            io::ErrorKind::Other
        );
    }
}
