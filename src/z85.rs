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

/// Decodes Z85 text (a multiple of 5 characters) into bytes. Text that is
/// not Z85 (a character outside its alphabet, a NUL, a group of five whose
/// value exceeds 32 bits) is an error; libzmq never sees it.
#[doc(alias = "zmq_z85_decode")]
pub fn decode(text: impl AsRef<[u8]>) -> Result<Vec<u8>> {
    let text = text.as_ref();
    check(text)?;
    if text.is_empty() {
        return Ok(Vec::new()); // libzmq refuses it; pyzmq gives b""
    }
    let mut c_text = Vec::with_capacity(text.len() + 1);
    c_text.extend_from_slice(text);
    c_text.push(0);
    let mut out = vec![0u8; text.len() / 5 * 4];
    // SAFETY: `c_text` is valid Z85 (checked), NUL-terminated; `out` holds
    // len * 4 / 5 bytes, as zmq_z85_decode needs.
    let rc = unsafe { sys::zmq_z85_decode(out.as_mut_ptr(), c_text.as_ptr() as *const c_char) };
    if rc.is_null() {
        return Err(Error::InvalidArgument("not Z85 text"));
    }
    Ok(out)
}

/// RFC 32's alphabet, in value order.
const ALPHABET: &[u8; 85] =
    b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";

/// Checks that `text` is Z85 that libzmq's decoder reads in full: a multiple
/// of 5 characters, each in the alphabet (so no NUL, at which libzmq would
/// stop and leave the rest of its output unwritten), and no group of five
/// above `u32::MAX`.
pub(crate) fn check(text: &[u8]) -> Result<()> {
    if text.len() % 5 != 0 {
        return Err(Error::InvalidArgument(
            "Z85 decodes a multiple of 5 characters",
        ));
    }
    for group in text.chunks_exact(5) {
        let mut value: u64 = 0;
        for c in group {
            let Some(digit) = ALPHABET.iter().position(|a| a == c) else {
                return Err(Error::InvalidArgument(
                    "not Z85 text (a character outside the Z85 alphabet)",
                ));
            };
            value = value * 85 + digit as u64;
        }
        if value > u64::from(u32::MAX) {
            return Err(Error::InvalidArgument(
                "not Z85 text (a group of five is larger than 32 bits)",
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_refuses_what_libzmq_would_misread() {
        assert!(check(b"HelloWorld").is_ok());
        assert!(check(b"Hello\0orld").is_err());
        assert!(check(b"Hello orld").is_err());
        assert!(check(b"%nSc0").is_ok()); // u32::MAX
        assert!(check(b"%nSc1").is_err()); // one more
        assert!(check(b"#####").is_err());
        assert!(check(&[0xc3, 0xa9, b'a', b'b', b'c']).is_err());
        assert!(check(b"abcd").is_err());
    }

    #[test]
    fn the_alphabet_is_rfc_32s() {
        assert_eq!(encode([0, 0, 0, 84]).unwrap(), "0000#");
        assert_eq!(decode("0000#").unwrap(), [0, 0, 0, 84]);
    }
}
