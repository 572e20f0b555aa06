//! Versions and capabilities: `zmq.zmq_version()`, `zmq.has()`.

use std::ffi::CString;

use crate::sys;

/// This crate's version (pyzmq's `zmq.pyzmq_version()`).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The version of the linked libzmq as `(major, minor, patch)`
/// (pyzmq's `zmq.zmq_version_info()`).
///
/// ```
/// let (major, minor, _) = zmq::zmq_version_info();
/// assert!((major, minor) >= (4, 3));
/// ```
#[doc(alias = "zmq_version")]
pub fn zmq_version_info() -> (i32, i32, i32) {
    let (mut major, mut minor, mut patch) = (0, 0, 0);
    // SAFETY: zmq_version only writes one int through each valid pointer.
    unsafe { sys::zmq_version(&mut major, &mut minor, &mut patch) };
    (major, minor, patch)
}

/// The version of the linked libzmq as text, e.g. `"4.3.5"`
/// (pyzmq's `zmq.zmq_version()`).
///
/// ```
/// assert!(zmq::zmq_version().starts_with("4."));
/// ```
pub fn zmq_version() -> String {
    let (major, minor, patch) = zmq_version_info();
    format!("{major}.{minor}.{patch}")
}

/// Whether the linked libzmq supports a capability (pyzmq's `zmq.has()`):
/// `"ipc"`, `"pgm"`, `"tipc"`, `"norm"`, `"curve"`, `"gssapi"`, `"draft"`.
/// Unknown names (and names containing NUL) give `false`.
///
/// ```
/// assert!(!zmq::has("no-such-capability"));
/// ```
#[doc(alias = "zmq_has")]
pub fn has(capability: &str) -> bool {
    let Ok(name) = CString::new(capability) else {
        return false;
    };
    // SAFETY: `name` is a valid NUL-terminated string that outlives the call.
    unsafe { sys::zmq_has(name.as_ptr()) == 1 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_text_matches_info() {
        let (a, b, c) = zmq_version_info();
        assert_eq!(zmq_version(), format!("{a}.{b}.{c}"));
    }

    #[test]
    fn nul_in_capability_is_false() {
        assert!(!has("ipc\0"));
        assert!(!has(""));
    }
}
