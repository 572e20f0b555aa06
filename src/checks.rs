//! Values that libzmq accepts and then cannot use: checked here, before
//! libzmq sees them, for every way in (the typed option setters,
//! `setsockopt`/`set`, raw bytes, context defaults, devices; `bind` and
//! `connect`; sends on the few socket types that need it).
//!
//! libzmq validates an option's type and a coarse range when it is set, but
//! applies many values later, often in its I/O thread, to each new
//! connection. There, a value the OS refuses is an abort (`errno_assert` on
//! `SO_PRIORITY`), signed overflow (HWMs summed near `INT_MAX`), a failed
//! connection that is retried for ever while it leaks a descriptor
//! (`TCP_KEEPCNT` 0), or a heap overflow (a RADIO message over 8 KiB on
//! `udp://`). Each check names what it prevents; the references are to
//! libzmq 4.3.5's sources.

use std::ffi::CString;

use libc::c_int;

use crate::error::{Error, Result};
use crate::{sys, Socket, SocketType};

/// The largest HWM: libzmq adds the two sides' HWMs of an inproc pipe and
/// computes `(hwm + 1) / 2` in an `int` (pipe.cpp `compute_lwm`).
const MAX_HWM: c_int = (1 << 30) - 1;
/// `IN_BATCH_SIZE`/`OUT_BATCH_SIZE`: allocated (about twice for the
/// decoder) for every connection, with an abort when that fails.
#[cfg(feature = "draft")]
const MAX_BATCH: c_int = 16 << 20;
/// libzmq's UDP engine copies a message into a fixed 8 KiB buffer without
/// checking its size (udp_engine.cpp `out_event`).
#[cfg(feature = "draft")]
const UDP_BUFFER: usize = 8192;

/// What a check needs to know of the socket an option is set on.
pub(crate) struct Target {
    /// The socket has bound or connected (it may have pipes).
    pub(crate) attached: bool,
}

/// Checks `value` (the bytes `zmq_setsockopt` would get) for option `id`.
pub(crate) fn option(target: &Target, id: c_int, value: &[u8]) -> Result<()> {
    if int_sized(id) && value.len() != std::mem::size_of::<c_int>() {
        // libzmq refuses it, except XSUB_VERBOSE_UNSUBSCRIBE, which reads an
        // int from any buffer (xsub.cpp:88, a read past a short one).
        return Err(Error::InvalidArgument("this option takes an i32"));
    }
    let int = || c_int::from_ne_bytes(value.try_into().unwrap_or([0; 4]));
    match id {
        sys::ZMQ_CURVE_PUBLICKEY | sys::ZMQ_CURVE_SECRETKEY | sys::ZMQ_CURVE_SERVERKEY => {
            curve_key(value)
        }
        sys::ZMQ_SNDHWM | sys::ZMQ_RCVHWM => {
            if target.attached {
                // Changing an HWM updates every pipe of the socket, also those
                // being torn down, whose peer may be freed already (libzmq
                // #4524, a use-after-free fixed after 4.3.5).
                return Err(Error::InvalidArgument(
                    "SNDHWM/RCVHWM must be set before the socket's first bind or connect (libzmq 4.3 can use freed memory when it updates existing connections)",
                ));
            }
            in_range(int(), 0, MAX_HWM, "SNDHWM/RCVHWM is 0 (no limit) ..= 2^30 - 1")
        }
        // Linux refuses 0 and values above MAX_TCP_KEEPCNT/KEEPIDLE/KEEPINTVL;
        // libzmq (tcp.cpp tune_tcp_keepalives) then fails every connection,
        // retries for ever and leaks the descriptor each time.
        sys::ZMQ_TCP_KEEPALIVE_CNT => keepalive(int(), 127, "TCP_KEEPALIVE_CNT is -1 (the OS default) or 1..=127"),
        sys::ZMQ_TCP_KEEPALIVE_IDLE => keepalive(int(), 32767, "TCP_KEEPALIVE_IDLE is -1 (the OS default) or 1..=32767 seconds"),
        sys::ZMQ_TCP_KEEPALIVE_INTVL => keepalive(int(), 32767, "TCP_KEEPALIVE_INTVL is -1 (the OS default) or 1..=32767 seconds"),
        // The peer multiplies the TTL in deciseconds by 100 in a u16
        // (zmtp_engine.cpp:497): above 65.5 s it wraps and drops us early.
        sys::ZMQ_HEARTBEAT_TTL => in_range(int(), 0, 65_500, "HEARTBEAT_TTL is 0..=65500 ms (the peer keeps it in 16 bits)"),
        sys::ZMQ_TOS => in_range(int(), 0, 255, "TOS is 0..=255"),
        // PGM: libzmq computes `rate * 1000 / 8` in an int and aborts in its
        // I/O thread when OpenPGM refuses a value (session_base.cpp:700).
        sys::ZMQ_RATE => in_range(int(), 1, 2_147_483, "RATE is 1..=2147483 kbit/s"),
        sys::ZMQ_MULTICAST_HOPS => in_range(int(), 1, 255, "MULTICAST_HOPS is 1..=255"),
        sys::ZMQ_MULTICAST_MAXTPDU => in_range(int(), 576, 65_535, "MULTICAST_MAXTPDU is 576..=65535 bytes"),
        sys::ZMQ_ROUTING_ID => routing_id(value, "ROUTING_ID is 1..=255 bytes, not starting with a zero byte (libzmq's own ids do)"),
        sys::ZMQ_CONNECT_ROUTING_ID => routing_id(value, "CONNECT_ROUTING_ID is 1..=255 bytes, not starting with a zero byte (libzmq's own ids do)"),
        sys::ZMQ_BINDTODEVICE => interface(value),
        #[cfg(unix)]
        sys::ZMQ_USE_FD => listening_fd(int()),
        #[cfg(feature = "draft")]
        sys::ZMQ_IN_BATCH_SIZE | sys::ZMQ_OUT_BATCH_SIZE => {
            in_range(int(), 1, MAX_BATCH, "IN_BATCH_SIZE/OUT_BATCH_SIZE is 1..=16 MiB")
        }
        #[cfg(all(feature = "draft", target_os = "linux"))]
        sys::ZMQ_PRIORITY => socket_priority(int()),
        _ => Ok(()),
    }
}

/// Whether the table gives option `id` an `int` value.
fn int_sized(id: c_int) -> bool {
    crate::sockopt::ALL_OPTIONS
        .iter()
        .find(|(_, option, _, _)| *option == id)
        .is_some_and(|(_, _, kind, _)| matches!(*kind, "Int" | "Bool"))
}

fn in_range(value: c_int, min: c_int, max: c_int, what: &'static str) -> Result<()> {
    if (min..=max).contains(&value) {
        Ok(())
    } else {
        Err(Error::InvalidArgument(what))
    }
}

/// 32 raw bytes, or 40 characters of Z85 (41 with a closing NUL): libzmq
/// decodes the text up to the first NUL and keeps whatever the rest of the
/// key was (options.cpp:254), so text with a NUL or a non-Z85 character
/// inside is refused.
fn curve_key(value: &[u8]) -> Result<()> {
    let what = "a CURVE key is 32 bytes or 40 characters of Z85";
    let text = match value.len() {
        32 => return Ok(()),
        40 => value,
        41 if value[40] == 0 => &value[..40],
        _ => return Err(Error::InvalidArgument(what)),
    };
    crate::z85::check(text).map_err(|_| Error::InvalidArgument(what))
}

fn keepalive(value: c_int, max: c_int, what: &'static str) -> Result<()> {
    if value == -1 || (1..=max).contains(&value) {
        Ok(())
    } else {
        Err(Error::InvalidArgument(what))
    }
}

/// A routing id starting with a zero byte can collide with the ids libzmq
/// makes itself (`\0` + a counter), and a ROUTER then asserts when it adds
/// the pipe (socket_base.cpp:2113).
fn routing_id(value: &[u8], what: &'static str) -> Result<()> {
    if value.is_empty() || value.len() > 255 || value[0] == 0 {
        return Err(Error::InvalidArgument(what));
    }
    Ok(())
}

/// `BINDTODEVICE`: empty (none), or the name of an interface this host
/// has; libzmq would otherwise retry a connect for ever in silence.
fn interface(value: &[u8]) -> Result<()> {
    if value.is_empty() {
        return Ok(());
    }
    let what = "BINDTODEVICE names an existing network interface (at most 15 bytes)";
    if value.len() > 15 {
        return Err(Error::InvalidArgument(what));
    }
    let Ok(name) = CString::new(value) else {
        return Err(Error::InvalidArgument(what));
    };
    #[cfg(unix)]
    // SAFETY: a NUL-terminated name; if_nametoindex only reads it.
    if unsafe { libc::if_nametoindex(name.as_ptr()) } == 0 {
        return Err(Error::InvalidArgument(what));
    }
    let _ = name;
    Ok(())
}

/// `USE_FD` (set through the `unsafe` setter): `-1`, or a socket that is
/// listening; libzmq's I/O thread aborts on an fd it cannot accept on or
/// poll (tcp_listener.cpp:196, epoll.cpp:73).
#[cfg(unix)]
fn listening_fd(fd: c_int) -> Result<()> {
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

/// `SO_PRIORITY` above 6 needs `CAP_NET_ADMIN`, and libzmq sets it on each
/// new connection with `errno_assert` (ip.cpp:212): so the value is tried
/// on a socket of our own first.
#[cfg(all(feature = "draft", target_os = "linux"))]
fn socket_priority(priority: c_int) -> Result<()> {
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

/// Checks an endpoint before `zmq_bind` (`bind`) or `zmq_connect`.
pub(crate) fn endpoint(socket: &Socket, endpoint: &str, bind: bool) -> Result<()> {
    let Some((transport, address)) = endpoint.split_once("://") else {
        return Ok(()); // libzmq refuses it (EINVAL)
    };
    match transport {
        "tcp" | "ws" | "wss" | "udp" | "pgm" | "epgm" => {
            if !address.is_ascii() {
                // libzmq's connect-time syntax check passes `char`s to
                // isalnum, undefined for bytes above 0x7f; hosts are ASCII
                // (punycode) anyway.
                return Err(Error::InvalidArgument(
                    "a network endpoint is ASCII (IDN host names in punycode)",
                ));
            }
            port(address)?;
        }
        "inproc" if bind && address == "zeromq.zap.01" => {
            // libzmq's sessions assert that the ZAP handler is a REP, ROUTER
            // or SERVER at the next handshake that asks it (session_base.cpp:343).
            let ok = matches!(socket.socket_type(), SocketType::REP | SocketType::ROUTER);
            #[cfg(feature = "draft")]
            let ok = ok || socket.socket_type() == SocketType::SERVER;
            if !ok {
                return Err(Error::InvalidArgument(
                    "the ZAP handler (inproc://zeromq.zap.01) is a REP, ROUTER or SERVER socket",
                ));
            }
        }
        _ => {}
    }
    // STREAM is raw TCP: an inproc peer's multipart message makes it
    // assert (stream.cpp:213). DGRAM is UDP only, and over inproc turns
    // away pipes the way PAIR does (see `Inproc` in context.rs).
    if socket.socket_type() == SocketType::STREAM && transport == "inproc" {
        return Err(Error::InvalidArgument(
            "STREAM sockets speak raw TCP: tcp:// (or ipc://), not inproc://",
        ));
    }
    // Two thread-safe sockets joined over inproc deadlock in libzmq 4.3.5
    // when both are in a call at once: each holds its own lock while it
    // sends a command (activate_read/activate_write) into the other's
    // mailbox, which takes the other's lock (mailbox_safe shares the
    // socket's mutex; libzmq issue #3048). Over tcp/ipc the commands go
    // through an I/O thread, which holds no socket's lock. Every inproc
    // peer of a thread-safe type is thread-safe, so inproc is refused; the
    // ZAP endpoint's peers are libzmq's sessions, which are not.
    #[cfg(feature = "draft")]
    if socket.socket_type().is_thread_safe()
        && transport == "inproc"
        && !(bind && address == "zeromq.zap.01")
    {
        return Err(Error::InvalidArgument(
            "thread-safe socket types cannot use inproc:// (libzmq 4.3.5 deadlocks two of them \
             used at once over inproc, libzmq issue #3048): use ipc:// or tcp://",
        ));
    }
    #[cfg(feature = "draft")]
    if socket.socket_type() == SocketType::DGRAM && transport != "udp" {
        return Err(Error::InvalidArgument("DGRAM sockets take udp:// only"));
    }
    match transport {
        // The WebSocket handshake is formatted into an 8 KiB buffer and
        // asserted to fit (ws_engine.cpp:140).
        "ws" | "wss" if endpoint.len() > 4096 => Err(Error::InvalidArgument(
            "a ws:// endpoint is at most 4096 bytes",
        )),
        "tcp" if !bind => socks_host(socket, address),
        "pgm" | "epgm" => pgm(socket, transport),
        #[cfg(feature = "draft")]
        "udp" if socket.socket_type() == SocketType::DGRAM && address.contains('[') => {
            // The DGRAM engine asserts that datagrams are IPv4 (udp_engine.cpp:535).
            Err(Error::InvalidArgument("DGRAM sockets are IPv4 only"))
        }
        _ => Ok(()),
    }
}

/// The port of a network endpoint: `*`/`0` (any, for a bind), or
/// 1..=65535 in decimal. libzmq reads it with `atoi` into a `uint16_t`
/// (ip_resolver.cpp:219): `:99999` would quietly be port 34463.
fn port(address: &str) -> Result<()> {
    // `tcp://source;destination`, `epgm://interface;group:port`: the port
    // is the destination's, after the last ':' (IPv6 hosts are bracketed).
    let destination = address.rsplit(';').next().unwrap_or(address);
    let Some((_, port)) = destination.rsplit_once(':') else {
        return Ok(()); // libzmq refuses a missing port
    };
    if port.contains(']') {
        return Ok(()); // a bare IPv6 address: libzmq refuses it
    }
    let valid = port == "*"
        || (!port.is_empty()
            && port.len() <= 5
            && port.bytes().all(|b| b.is_ascii_digit())
            && port.parse::<u32>().is_ok_and(|p| p <= 65_535));
    if !valid {
        return Err(Error::InvalidArgument(
            "the port is `*` or a number 0..=65535",
        ));
    }
    Ok(())
}

/// Through a SOCKS proxy the host is sent in a one-byte length field, which
/// libzmq asserts in its I/O thread (socks.cpp:198).
fn socks_host(socket: &Socket, address: &str) -> Result<()> {
    let host = address.rsplit(';').next().unwrap_or(address);
    let host = host.rsplit_once(':').map_or(host, |(host, _)| host);
    if host.len() > 255 && !socket.socks_proxy()?.is_empty() {
        return Err(Error::InvalidArgument(
            "through a SOCKS proxy a host name is at most 255 bytes",
        ));
    }
    Ok(())
}

/// PGM's set-up runs in libzmq's I/O thread and aborts on any failure
/// (session_base.cpp:700, :711): the parts that can be known are checked
/// here, at bind/connect.
fn pgm(socket: &Socket, transport: &str) -> Result<()> {
    if transport == "pgm" && !can_open_raw_pgm_socket() {
        return Err(Error::InvalidArgument(
            "pgm:// needs raw sockets (CAP_NET_RAW); epgm:// (PGM over UDP) does not",
        ));
    }
    // OpenPGM refuses windows of 2^31 - 2 packets or more
    // (pgm_socket.cpp compute_sqns: recovery_ivl * rate / 8 / maxtpdu).
    let rate = i64::from(socket.rate()?);
    let ivl = i64::from(socket.recovery_ivl()?);
    let tpdu = i64::from(socket.multicast_maxtpdu()?).max(1);
    if ivl * (rate / 8) / tpdu >= 2_147_483_646 {
        return Err(Error::InvalidArgument(
            "RATE * RECOVERY_IVL makes a PGM window larger than OpenPGM takes",
        ));
    }
    Ok(())
}

#[cfg(target_os = "linux")]
fn can_open_raw_pgm_socket() -> bool {
    const IPPROTO_PGM: c_int = 113;
    // SAFETY: a socket of our own, closed at once.
    unsafe {
        let fd = libc::socket(
            libc::AF_INET,
            libc::SOCK_RAW | libc::SOCK_CLOEXEC,
            IPPROTO_PGM,
        );
        if fd == -1 {
            return false;
        }
        libc::close(fd);
        true
    }
}

#[cfg(not(target_os = "linux"))]
fn can_open_raw_pgm_socket() -> bool {
    true
}

/// A message of `len` bytes (and `group`, for RADIO) fits libzmq's UDP
/// buffer: a larger one would overflow it (udp_engine.cpp:443, a heap
/// buffer overflow fixed after 4.3.5).
#[cfg(feature = "draft")]
pub(crate) fn udp_message(len: usize, group_len: usize) -> Result<()> {
    if 1 + group_len + len > UDP_BUFFER {
        return Err(Error::InvalidArgument(
            "over udp://, a message (with its group) is at most 8191 bytes",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn int_options_take_exactly_four_bytes() {
        let target = Target { attached: false };
        assert!(option(&target, sys::ZMQ_LINGER, &[1]).is_err());
        assert!(option(&target, sys::ZMQ_LINGER, &0i32.to_ne_bytes()).is_ok());
        #[cfg(feature = "draft")]
        assert!(option(&target, sys::ZMQ_XSUB_VERBOSE_UNSUBSCRIBE, &[1, 0]).is_err());
        // Bytes options take any length.
        assert!(option(&target, sys::ZMQ_SUBSCRIBE, &[1]).is_ok());
    }

    #[test]
    fn ports() {
        for good in [
            "127.0.0.1:*",
            "127.0.0.1:0",
            "h:65535",
            "[::1]:1",
            "eth0;239.1.1.1:5555",
        ] {
            assert!(port(good).is_ok(), "{good}");
        }
        for bad in [
            "h:65536",
            "h:99999",
            "h:1a",
            "h:",
            "h:+1",
            "eth0;239.1.1.1:x",
        ] {
            assert!(port(bad).is_err(), "{bad}");
        }
    }
}
