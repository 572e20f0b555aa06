//! CURVE key pairs (`zmq.curve_keypair`, `zmq.curve_public`).

use libc::c_char;

use crate::error::{cvt, Error, Result};
use crate::sys;

/// A new CURVE key pair as 40-character Z85 texts: `(public, secret)`
/// (`zmq.curve_keypair()`). Needs a libzmq with CURVE (feature `curve`, or a
/// system libzmq built with libsodium); otherwise `ENOTSUP`.
///
/// ```
/// if zmq::has("curve") {
///     let (public, secret) = zmq::curve_keypair()?;
///     assert_eq!(public.len(), 40);
///     assert_eq!(zmq::curve_public(&secret)?, public);
/// }
/// # Ok::<(), zmq::Error>(())
/// ```
#[doc(alias = "zmq_curve_keypair")]
pub fn curve_keypair() -> Result<(Vec<u8>, Vec<u8>)> {
    let mut public = [0 as c_char; 41];
    let mut secret = [0 as c_char; 41];
    // SAFETY: both buffers hold the 41 bytes (40 + NUL) libzmq writes.
    cvt(unsafe { sys::zmq_curve_keypair(public.as_mut_ptr(), secret.as_mut_ptr()) })?;
    Ok((z85_text(&public), z85_text(&secret)))
}

/// The public key of a secret key, both as 40-character Z85 texts
/// (`zmq.curve_public(secret)`). A secret that is not 40 characters of Z85
/// is an error.
#[doc(alias = "zmq_curve_public")]
pub fn curve_public(secret: impl AsRef<[u8]>) -> Result<Vec<u8>> {
    let secret = secret.as_ref();
    if secret.len() != 40 {
        return Err(Error::InvalidArgument(
            "a Z85 CURVE secret key is 40 characters",
        ));
    }
    // libzmq decodes up to a NUL and would derive the public key from
    // whatever its buffer held past it: only complete Z85 text goes in.
    crate::z85::check(secret)?;
    let mut c_secret = [0 as c_char; 41];
    for (dst, src) in c_secret.iter_mut().zip(secret) {
        *dst = *src as c_char;
    }
    let mut public = [0 as c_char; 41];
    // SAFETY: `c_secret` is a NUL-terminated 40-char text, `public` holds 41.
    cvt(unsafe { sys::zmq_curve_public(public.as_mut_ptr(), c_secret.as_ptr()) })?;
    Ok(z85_text(&public))
}

fn z85_text(buf: &[c_char; 41]) -> Vec<u8> {
    buf[..40].iter().map(|c| *c as u8).collect()
}
