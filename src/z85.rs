//! Z85 encoding (ZeroMQ RFC 32), through libzmq's own codec
//! (`zmq.utils.z85`).
//!
//! ```
//! let raw = [0x86, 0x4F, 0xD2, 0x6F, 0xB5, 0x59, 0xF7, 0x5B];
//! assert_eq!(zmq::z85::encode(&raw)?, "HelloWorld");
//! assert_eq!(zmq::z85::decode("HelloWorld")?, raw);
//! assert!(zmq::z85::encode(&[1, 2, 3]).is_err()); // not a multiple of 4
//! # Ok::<(), zmq::Error>(())
//! ```

use libc::c_char;

use crate::error::{Error, Result};
use crate::sys;

/// Encodes bytes (a multiple of 4 long) as Z85 text.
#[doc(alias = "zmq_z85_encode")]
pub fn encode(data: impl AsRef<[u8]>) -> Result<String> {
    let data = data.as_ref();
    if data.len() % 4 != 0 {
        return Err(Error::InvalidArgument("Z85 encodes a multiple of 4 bytes"));
    }
    if data.is_empty() {
        return Ok(String::new()); // libzmq refuses it; pyzmq gives b""
    }
    let mut out = vec![0u8; data.len() / 4 * 5 + 1];
    // SAFETY: `out` holds size * 5 / 4 + 1 bytes, as zmq_z85_encode needs;
    // `data` is readable for its length.
    let rc =
        unsafe { sys::zmq_z85_encode(out.as_mut_ptr() as *mut c_char, data.as_ptr(), data.len()) };
    if rc.is_null() {
        return Err(Error::last());
    }
    out.pop(); // the NUL
               // Z85's alphabet is ASCII.
    String::from_utf8(out).map_err(Error::from)
}

/// Decodes Z85 text (a multiple of 5 characters) into bytes.
#[doc(alias = "zmq_z85_decode")]
pub fn decode(text: impl AsRef<[u8]>) -> Result<Vec<u8>> {
    let text = text.as_ref();
    if text.len() % 5 != 0 {
        return Err(Error::InvalidArgument(
            "Z85 decodes a multiple of 5 characters",
        ));
    }
    if text.is_empty() {
        return Ok(Vec::new()); // libzmq refuses it; pyzmq gives b""
    }
    if text.contains(&0) {
        return Err(Error::InvalidArgument("Z85 text contains a NUL byte"));
    }
    let mut c_text = Vec::with_capacity(text.len() + 1);
    c_text.extend_from_slice(text);
    c_text.push(0);
    let mut out = vec![0u8; text.len() / 5 * 4];
    // SAFETY: `c_text` is NUL-terminated; `out` holds len * 4 / 5 bytes, as
    // zmq_z85_decode needs. It returns NULL for characters outside Z85.
    let rc = unsafe { sys::zmq_z85_decode(out.as_mut_ptr(), c_text.as_ptr() as *const c_char) };
    if rc.is_null() {
        return Err(Error::InvalidArgument("not Z85 text"));
    }
    Ok(out)
}
