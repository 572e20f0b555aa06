//! Socket option values that libzmq accepts and then cannot use: checked
//! here, before `zmq_setsockopt`, for every way an option is set (the typed
//! setters, `setsockopt`/`set`, raw bytes, context defaults, devices).
//!
//! libzmq validates an option's type and a coarse range when it is set, but
//! applies many values later, in its I/O thread, to each new connection:
//! there a value the OS refuses is an abort (`errno_assert` on
//! `SO_PRIORITY`, `zmq_assert` on a PLAIN user name over 255 bytes), or
//! makes every connection fail without a word (a `TCP_KEEPCNT` the kernel
//! refuses). And it decodes Z85 keys up to a NUL, storing a truncated key.
//! Each check below names the libzmq code that would go wrong.

use libc::c_int;

use crate::error::{Error, Result};
use crate::sys;

/// Checks `value` (the bytes `zmq_setsockopt` would get) for option `id`.
pub(crate) fn check(id: c_int, value: &[u8]) -> Result<()> {
    match id {
        sys::ZMQ_CURVE_PUBLICKEY | sys::ZMQ_CURVE_SECRETKEY | sys::ZMQ_CURVE_SERVERKEY => {
            curve_key(value)
        }
        // Linux refuses 0 and values above MAX_TCP_KEEPCNT/KEEPIDLE/KEEPINTVL;
        // libzmq (tcp.cpp tune_tcp_keepalives) then fails every connection
        // quietly ("recoverable" EINVAL), so refuse them here.
        sys::ZMQ_TCP_KEEPALIVE_CNT => keepalive(
            value,
            127,
            "TCP_KEEPALIVE_CNT is -1 (the OS default) or 1..=127",
        ),
        sys::ZMQ_TCP_KEEPALIVE_IDLE => keepalive(
            value,
            32767,
            "TCP_KEEPALIVE_IDLE is -1 (the OS default) or 1..=32767 seconds",
        ),
        sys::ZMQ_TCP_KEEPALIVE_INTVL => keepalive(
            value,
            32767,
            "TCP_KEEPALIVE_INTVL is -1 (the OS default) or 1..=32767 seconds",
        ),
        // plain_client.cpp asserts (aborts) in the I/O thread when the name
        // or password it sends is longer than 255 bytes; socks.cpp the same
        // for the SOCKS credentials.
        sys::ZMQ_PLAIN_USERNAME => at_most_255(value, "PLAIN_USERNAME is at most 255 bytes"),
        sys::ZMQ_PLAIN_PASSWORD => at_most_255(value, "PLAIN_PASSWORD is at most 255 bytes"),
        #[cfg(feature = "draft")]
        sys::ZMQ_SOCKS_USERNAME => at_most_255(value, "SOCKS_USERNAME is at most 255 bytes"),
        #[cfg(feature = "draft")]
        sys::ZMQ_SOCKS_PASSWORD => at_most_255(value, "SOCKS_PASSWORD is at most 255 bytes"),
        #[cfg(unix)]
        sys::ZMQ_USE_FD => listening_fd(value),
        #[cfg(all(feature = "draft", target_os = "linux"))]
        sys::ZMQ_PRIORITY => socket_priority(value),
        _ => Ok(()),
    }
}

fn int(value: &[u8]) -> Option<c_int> {
    Some(c_int::from_ne_bytes(value.try_into().ok()?))
}

/// 32 raw bytes, or 40 characters of Z85 (41 with a closing NUL): libzmq
/// decodes the text up to the first NUL and keeps whatever the rest of the
/// key was, so text with a NUL or a non-Z85 character inside is refused.
fn curve_key(value: &[u8]) -> Result<()> {
    let text = match value.len() {
        32 => return Ok(()),
        40 => value,
        41 if value[40] == 0 => &value[..40],
        _ => {
            return Err(Error::InvalidArgument(
                "a CURVE key is 32 bytes or 40 characters of Z85",
            ))
        }
    };
    crate::z85::check(text)
        .map_err(|_| Error::InvalidArgument("a CURVE key is 32 bytes or 40 characters of Z85"))
}

fn keepalive(value: &[u8], max: c_int, what: &'static str) -> Result<()> {
    match int(value) {
        Some(-1) => Ok(()),
        Some(v) if (1..=max).contains(&v) => Ok(()),
        // Not an int: libzmq refuses it (EINVAL) itself.
        None => Ok(()),
        Some(_) => Err(Error::InvalidArgument(what)),
    }
}

fn at_most_255(value: &[u8], what: &'static str) -> Result<()> {
    if value.len() > 255 {
        return Err(Error::InvalidArgument(what));
    }
    Ok(())
}

/// `USE_FD` (set through the `unsafe` setter): `-1`, or a socket that is
/// listening; libzmq's I/O thread aborts on an fd it cannot poll.
#[cfg(unix)]
fn listening_fd(value: &[u8]) -> Result<()> {
    let Some(fd) = int(value) else {
        return Ok(()); // libzmq refuses it
    };
    if fd == -1 {
        return Ok(());
    }
    let mut listening: c_int = 0;
    let mut len = std::mem::size_of::<c_int>() as libc::socklen_t;
    // SAFETY: getsockopt writes one int through a valid pointer; a bad fd
    // is an error (EBADF, ENOTSOCK), not undefined behaviour.
    let rc = unsafe {
        libc::getsockopt(
            fd,
            libc::SOL_SOCKET,
            libc::SO_ACCEPTCONN,
            (&mut listening as *mut c_int).cast(),
            &mut len,
        )
    };
    if rc != 0 || listening != 1 {
        return Err(Error::InvalidArgument("USE_FD is -1 or a listening socket"));
    }
    Ok(())
}

/// `SO_PRIORITY` above 6 needs `CAP_NET_ADMIN`, and libzmq sets it on every
/// accepted connection with `errno_assert` (ip.cpp set_socket_priority): so
/// the value is tried on a socket of our own first.
#[cfg(all(feature = "draft", target_os = "linux"))]
fn socket_priority(value: &[u8]) -> Result<()> {
    let Some(priority) = int(value) else {
        return Ok(());
    };
    // SAFETY: a fresh socket of our own, given one int option, then closed.
    let refused = unsafe {
        let fd = libc::socket(libc::AF_INET, libc::SOCK_STREAM | libc::SOCK_CLOEXEC, 0);
        if fd == -1 {
            return Ok(()); // cannot tell; libzmq will try
        }
        let rc = libc::setsockopt(
            fd,
            libc::SOL_SOCKET,
            libc::SO_PRIORITY,
            (&priority as *const c_int).cast(),
            std::mem::size_of::<c_int>() as libc::socklen_t,
        );
        libc::close(fd);
        rc != 0
    };
    if refused {
        return Err(Error::InvalidArgument(
            "PRIORITY: the OS refuses this SO_PRIORITY (above 6 needs CAP_NET_ADMIN); libzmq would abort",
        ));
    }
    Ok(())
}
