//! Socket options: one table (below) gives every option of libzmq 4.3.5 its
//! typed constant (`zmq::LINGER`, `zmq::SUBSCRIBE`, ...) and its
//! `set_<name>`/`<name>` accessors on [`Socket`].
//!
//! A constant carries its value type and whether it can be read or written,
//! so `s.setsockopt(zmq::LINGER, b"x")` or `s.getsockopt(zmq::SUBSCRIBE)` do
//! not compile.

use std::marker::PhantomData;

use libc::{c_int, c_void, size_t};

use crate::error::{cvt, Error, Result};
use crate::{sys, PollEvents, Socket, SocketType};

/// A socket option: its C value, and (as types) its value kind `K` and
/// access `A`. The constants of the table are its only values.
pub struct SocketOption<K, A> {
    id: c_int,
    name: &'static str,
    _types: PhantomData<fn() -> (K, A)>,
}

impl<K, A> SocketOption<K, A> {
    const fn new(id: c_int, name: &'static str) -> Self {
        SocketOption {
            id,
            name,
            _types: PhantomData,
        }
    }

    /// The C value (`ZMQ_LINGER` is 17).
    pub fn to_raw(&self) -> c_int {
        self.id
    }

    /// pyzmq's name of the option (`"LINGER"`).
    pub fn name(&self) -> &'static str {
        self.name
    }
}

impl<K, A> Clone for SocketOption<K, A> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<K, A> Copy for SocketOption<K, A> {}

impl<K, A> std::fmt::Debug for SocketOption<K, A> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "zmq::{}", self.name)
    }
}

mod private {
    pub trait Sealed {}
}

/// Whether an option can be read and/or written (types, no values).
pub mod access {
    /// Get and set.
    #[derive(Debug)]
    pub enum ReadWrite {}
    /// Get only (e.g. `RCVMORE`, `LAST_ENDPOINT`).
    #[derive(Debug)]
    pub enum ReadOnly {}
    /// Set only (e.g. `SUBSCRIBE`, `ROUTER_MANDATORY`).
    #[derive(Debug)]
    pub enum WriteOnly {}
    /// Get through the safe API; set only through an `unsafe` setter,
    /// because the value hands libzmq something it will own (`USE_FD`).
    #[derive(Debug)]
    pub enum ReadUnsafeWrite {}
    impl super::private::Sealed for ReadWrite {}
    impl super::private::Sealed for ReadUnsafeWrite {}
    impl super::private::Sealed for ReadOnly {}
    impl super::private::Sealed for WriteOnly {}
}

/// Options that can be read.
pub trait Readable: private::Sealed {}
impl Readable for access::ReadWrite {}
impl Readable for access::ReadOnly {}
impl Readable for access::ReadUnsafeWrite {}
/// Options that can be written.
pub trait Writable: private::Sealed {}
impl Writable for access::ReadWrite {}
impl Writable for access::WriteOnly {}

/// Value kinds of options (types, no values).
pub mod kind {
    /// `int`, as `i32`.
    #[derive(Debug)]
    pub enum Int {}
    /// `int64_t`, as `i64` (`MAXMSGSIZE`).
    #[derive(Debug)]
    pub enum Int64 {}
    /// `uint64_t`, as `u64` (`AFFINITY`, `VMCI_BUFFER_*`).
    #[derive(Debug)]
    pub enum UInt64 {}
    /// An `int` that is 0 or 1, as `bool` (setting also takes an `i32`).
    #[derive(Debug)]
    pub enum Bool {}
    /// Binary data, as bytes (`ROUTING_ID`, `SUBSCRIBE`).
    #[derive(Debug)]
    pub enum Bytes {}
    /// Text, as `String` when read (`LAST_ENDPOINT`, `ZAP_DOMAIN`).
    #[derive(Debug)]
    pub enum Str {}
    /// A CURVE key: set as 32 raw bytes or 40 Z85 characters; read as Z85.
    #[derive(Debug)]
    pub enum CurveKey {}
    /// A file descriptor (`FD`).
    #[derive(Debug)]
    pub enum Fd {}
    /// Poll events (`EVENTS`).
    #[derive(Debug)]
    pub enum Events {}
    /// A socket type (`TYPE`).
    #[derive(Debug)]
    pub enum Type {}
}

/// A value kind: how to read an option of that kind.
pub trait OptionKind: private::Sealed {
    /// What reading the option gives.
    type Value;
    #[doc(hidden)]
    fn read(socket: &Socket, id: c_int) -> Result<Self::Value>;
}

/// An option value, encoded for `zmq_setsockopt`.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub enum Encoded<'a> {
    Int(c_int),
    Int64(i64),
    UInt64(u64),
    Bytes(&'a [u8]),
}

impl Encoded<'_> {
    /// The bytes libzmq reads.
    pub(crate) fn to_vec(self) -> Vec<u8> {
        match self {
            Encoded::Int(v) => v.to_ne_bytes().to_vec(),
            Encoded::Int64(v) => v.to_ne_bytes().to_vec(),
            Encoded::UInt64(v) => v.to_ne_bytes().to_vec(),
            Encoded::Bytes(b) => b.to_vec(),
        }
    }

    /// The value as libzmq reads it.
    pub(crate) fn with_bytes<R>(&self, f: impl FnOnce(&[u8]) -> R) -> R {
        match self {
            Encoded::Int(v) => f(&v.to_ne_bytes()),
            Encoded::Int64(v) => f(&v.to_ne_bytes()),
            Encoded::UInt64(v) => f(&v.to_ne_bytes()),
            Encoded::Bytes(b) => f(b),
        }
    }

    /// Calls `zmq_setsockopt` with this value (checked by the caller).
    pub(crate) fn set_on(self, raw: *mut c_void, id: c_int) -> Result<()> {
        let (ptr, len): (*const c_void, size_t) = match &self {
            Encoded::Int(v) => ((v as *const c_int).cast(), 4),
            Encoded::Int64(v) => ((v as *const i64).cast(), 8),
            Encoded::UInt64(v) => ((v as *const u64).cast(), 8),
            // libzmq clears these with (NULL, 0) only; an empty Rust slice
            // has a dangling, non-NULL pointer, which it refuses.
            Encoded::Bytes(b) if b.is_empty() && clears_with_null(id) => (std::ptr::null(), 0),
            Encoded::Bytes(b) => (b.as_ptr().cast(), b.len()),
        };
        // SAFETY: `ptr` is valid for `len` bytes for the duration of the
        // call (it borrows `self`), or NULL with 0; `raw` is a live socket
        // (caller's duty).
        cvt(unsafe { sys::zmq_setsockopt(raw, id, ptr, len) }).map(drop)
    }
}

/// The text options libzmq empties when given `(NULL, 0)`.
fn clears_with_null(id: c_int) -> bool {
    matches!(
        id,
        sys::ZMQ_SOCKS_PROXY
            | sys::ZMQ_TCP_ACCEPT_FILTER
            | sys::ZMQ_BINDTODEVICE
            | sys::ZMQ_PLAIN_USERNAME
            | sys::ZMQ_PLAIN_PASSWORD
    )
}

/// A Rust value that can be written to options of kind `K`:
/// `i32` for `Int`, `bool` (or `i32`) for `Bool`, `i64` for `Int64`, `u64`
/// for `UInt64`, anything `AsRef<[u8]>` (`&str`, `&[u8]`, `b"..."`,
/// `Vec<u8>`) for `Bytes`, `Str` and `CurveKey`.
pub trait OptionValue<K> {
    #[doc(hidden)]
    fn encode(&self) -> Encoded<'_>;
}

impl OptionValue<kind::Int> for i32 {
    fn encode(&self) -> Encoded<'_> {
        Encoded::Int(*self)
    }
}
impl OptionValue<kind::Bool> for bool {
    fn encode(&self) -> Encoded<'_> {
        Encoded::Int(c_int::from(*self))
    }
}
impl OptionValue<kind::Bool> for i32 {
    fn encode(&self) -> Encoded<'_> {
        Encoded::Int(c_int::from(*self != 0))
    }
}
impl OptionValue<kind::Int64> for i64 {
    fn encode(&self) -> Encoded<'_> {
        Encoded::Int64(*self)
    }
}
impl OptionValue<kind::UInt64> for u64 {
    fn encode(&self) -> Encoded<'_> {
        Encoded::UInt64(*self)
    }
}
impl<T: AsRef<[u8]> + ?Sized> OptionValue<kind::Bytes> for T {
    fn encode(&self) -> Encoded<'_> {
        Encoded::Bytes(self.as_ref())
    }
}
impl<T: AsRef<[u8]> + ?Sized> OptionValue<kind::Str> for T {
    fn encode(&self) -> Encoded<'_> {
        Encoded::Bytes(self.as_ref())
    }
}
impl<T: AsRef<[u8]> + ?Sized> OptionValue<kind::CurveKey> for T {
    fn encode(&self) -> Encoded<'_> {
        Encoded::Bytes(self.as_ref())
    }
}

/// Reads an option into `buf`, returning the length libzmq wrote.
fn read_raw(socket: &Socket, id: c_int, buf: &mut [u8]) -> Result<usize> {
    let mut len: size_t = buf.len();
    // SAFETY: `buf` is writable for `len` bytes and `len` is a valid in/out
    // pointer; the socket is live while `socket` is borrowed.
    cvt(unsafe { sys::zmq_getsockopt(socket.as_raw(), id, buf.as_mut_ptr().cast(), &mut len) })?;
    Ok(len.min(buf.len()))
}

fn read_int(socket: &Socket, id: c_int) -> Result<c_int> {
    let mut buf = [0u8; 4];
    read_raw(socket, id, &mut buf)?;
    Ok(c_int::from_ne_bytes(buf))
}

fn read_8(socket: &Socket, id: c_int) -> Result<[u8; 8]> {
    let mut buf = [0u8; 8];
    read_raw(socket, id, &mut buf)?;
    Ok(buf)
}

/// The largest text or bytes option value read (64 MiB).
const MAX_VALUE_LEN: usize = 64 << 20;

/// Reads a text or bytes option of any length. libzmq refuses (`EINVAL`)
/// a buffer too small for a value without saying how much it needs, so the
/// buffer grows until the value fits (or the option proves invalid).
fn read_var(socket: &Socket, id: c_int) -> Result<Vec<u8>> {
    let mut capacity = 256;
    loop {
        let mut buf: Vec<u8> = Vec::with_capacity(capacity);
        let mut len: size_t = capacity;
        // SAFETY: `buf` has room for `capacity` bytes and libzmq writes at
        // most `len` (= capacity) of them; the socket is live while
        // borrowed. Only the `len` bytes libzmq reports written are kept.
        let rc =
            unsafe { sys::zmq_getsockopt(socket.as_raw(), id, buf.as_mut_ptr().cast(), &mut len) };
        match cvt(rc) {
            Ok(_) => {
                // SAFETY: libzmq initialised the first `len` bytes.
                unsafe { buf.set_len(len.min(capacity)) };
                return Ok(buf);
            }
            Err(e) if e.errno() == libc::EINVAL && capacity < MAX_VALUE_LEN => capacity *= 4,
            Err(e) => return Err(e),
        }
    }
}

/// Reads a NUL-terminated text option.
fn read_text(socket: &Socket, id: c_int) -> Result<Vec<u8>> {
    let mut buf = read_var(socket, id)?;
    if buf.last() == Some(&0) {
        buf.pop();
    }
    Ok(buf)
}

/// Reads a CURVE key as its 40 Z85 characters (libzmq encodes it into a
/// buffer of exactly 41 bytes).
fn read_curve_key(socket: &Socket, id: c_int) -> Result<Vec<u8>> {
    let mut buf = [0u8; 41];
    let len = read_raw(socket, id, &mut buf)?;
    Ok(buf[..len.min(40)].to_vec())
}

macro_rules! kinds {
    ($($kind:ident => $value:ty, |$s:ident, $id:ident| $read:expr;)*) => {
        $(
            impl private::Sealed for kind::$kind {}
            impl OptionKind for kind::$kind {
                type Value = $value;
                fn read($s: &Socket, $id: c_int) -> Result<$value> {
                    $read
                }
            }
        )*
    };
}

kinds! {
    Int => i32, |s, id| read_int(s, id);
    Bool => bool, |s, id| Ok(read_int(s, id)? != 0);
    Int64 => i64, |s, id| Ok(i64::from_ne_bytes(read_8(s, id)?));
    UInt64 => u64, |s, id| Ok(u64::from_ne_bytes(read_8(s, id)?));
    Bytes => Vec<u8>, |s, id| read_var(s, id);
    Str => String, |s, id| Ok(String::from_utf8(read_text(s, id)?)?);
    CurveKey => Vec<u8>, |s, id| read_curve_key(s, id);
    Fd => sys::zmq_fd_t, |s, id| {
        let mut buf = [0u8; std::mem::size_of::<sys::zmq_fd_t>()];
        read_raw(s, id, &mut buf)?;
        Ok(sys::zmq_fd_t::from_ne_bytes(buf))
    };
    Events => PollEvents, |s, id| Ok(PollEvents::from_bits_retain(read_int(s, id)? as i16));
    Type => SocketType, |s, id| {
        let raw = read_int(s, id)?;
        SocketType::from_raw(raw).ok_or(Error::Zmq { errno: libc::EINVAL })
    };
}

/// Kinds whose values are text or bytes: `setsockopt_string` and
/// `getsockopt_string` take them.
pub trait TextKind: OptionKind {
    #[doc(hidden)]
    fn to_text(value: Self::Value) -> Result<String>;
}
impl TextKind for kind::Str {
    fn to_text(value: String) -> Result<String> {
        Ok(value)
    }
}
impl TextKind for kind::Bytes {
    fn to_text(value: Vec<u8>) -> Result<String> {
        Ok(String::from_utf8(value)?)
    }
}
impl TextKind for kind::CurveKey {
    fn to_text(value: Vec<u8>) -> Result<String> {
        Ok(String::from_utf8(value)?)
    }
}

/// The table. Each row: constant = C name: kind, access, description =>
/// accessor names (getter and/or setter, as the access allows).
macro_rules! socket_options {
    ($(
        $(#[cfg($cfg:meta)])?
        $name:ident = $id:ident: $kind:ident, $access:ident, $doc:literal => $($acc:ident),+;
    )*) => {
        $(
            $(#[cfg($cfg)])?
            #[doc = concat!("`", stringify!($id), "`: ", $doc)]
            pub const $name: SocketOption<kind::$kind, access::$access> =
                SocketOption::new(sys::$id, stringify!($name));
        )*

        /// The `set_<name>`/`<name>` accessors, one pair per option of the
        /// table (pyzmq's `s.linger = 0` / `s.linger`).
        impl Socket {
            $(
                socket_options!(@accessors $(#[cfg($cfg)])? $name, $id, $kind, $access, $doc, $($acc),+);
            )*
        }

        /// The same accessors on async sockets, each one libzmq call under
        /// the socket's lock.
        #[cfg(feature = "tokio")]
        impl crate::asyncio::Socket {
            $(
                socket_options!(@async_accessors $(#[cfg($cfg)])? $name, $id, $kind, $access, $doc, $($acc),+);
            )*
        }

        /// The same accessors on thread-safe sockets (feature `draft`).
        #[cfg(feature = "draft")]
        impl crate::ThreadSafeSocket {
            $(
                socket_options!(@async_accessors $(#[cfg($cfg)])? $name, $id, $kind, $access, $doc, $($acc),+);
            )*
        }

        /// Sets and reads back every readable+writable option of the table.
        #[cfg(test)]
        pub(crate) fn roundtrip_all(s: &Socket) -> Vec<(&'static str, Option<std::result::Result<(), String>>)> {
            vec![
                $(
                    $(#[cfg($cfg)])?
                    (stringify!($name), <access::$access as tests::RoundTrip>::run(s, $name)),
                )*
            ]
        }

        /// Every option of the table: (name, C value, kind, access).
        pub(crate) const ALL_OPTIONS: &[(&str, c_int, &str, &str)] = &[
            $(
                $(#[cfg($cfg)])?
                (stringify!($name), sys::$id, stringify!($kind), stringify!($access)),
            )*
        ];
    };
    (@accessors $(#[cfg($cfg:meta)])? $name:ident, $id:ident, $kind:ident, ReadWrite, $doc:literal, $get:ident, $set:ident) => {
        socket_options!(@get $(#[cfg($cfg)])? $name, $id, $kind, $doc, $get);
        socket_options!(@set $(#[cfg($cfg)])? $name, $id, $kind, $doc, $set);
    };
    (@accessors $(#[cfg($cfg:meta)])? $name:ident, $id:ident, $kind:ident, ReadOnly, $doc:literal, $get:ident) => {
        socket_options!(@get $(#[cfg($cfg)])? $name, $id, $kind, $doc, $get);
    };
    // The setter is written by hand, `unsafe`, with its safety contract.
    (@accessors $(#[cfg($cfg:meta)])? $name:ident, $id:ident, $kind:ident, ReadUnsafeWrite, $doc:literal, $get:ident) => {
        socket_options!(@get $(#[cfg($cfg)])? $name, $id, $kind, $doc, $get);
    };
    (@accessors $(#[cfg($cfg:meta)])? $name:ident, $id:ident, $kind:ident, WriteOnly, $doc:literal, $set:ident) => {
        socket_options!(@set $(#[cfg($cfg)])? $name, $id, $kind, $doc, $set);
    };
    (@async_accessors $(#[cfg($cfg:meta)])? $name:ident, $id:ident, $kind:ident, ReadWrite, $doc:literal, $get:ident, $set:ident) => {
        socket_options!(@async_get $(#[cfg($cfg)])? $name, $id, $kind, $doc, $get);
        socket_options!(@async_set $(#[cfg($cfg)])? $name, $id, $kind, $doc, $set);
    };
    (@async_accessors $(#[cfg($cfg:meta)])? $name:ident, $id:ident, $kind:ident, ReadOnly, $doc:literal, $get:ident) => {
        socket_options!(@async_get $(#[cfg($cfg)])? $name, $id, $kind, $doc, $get);
    };
    (@async_accessors $(#[cfg($cfg:meta)])? $name:ident, $id:ident, $kind:ident, ReadUnsafeWrite, $doc:literal, $get:ident) => {
        socket_options!(@async_get $(#[cfg($cfg)])? $name, $id, $kind, $doc, $get);
    };
    (@async_accessors $(#[cfg($cfg:meta)])? $name:ident, $id:ident, $kind:ident, WriteOnly, $doc:literal, $set:ident) => {
        socket_options!(@async_set $(#[cfg($cfg)])? $name, $id, $kind, $doc, $set);
    };
    (@async_get $(#[cfg($cfg:meta)])? $name:ident, $id:ident, $kind:ident, $doc:literal, $get:ident) => {
        $(#[cfg($cfg)])?
        #[doc = concat!("Reads `", stringify!($id), "`: ", $doc)]
        pub fn $get(&self) -> Result<<kind::$kind as OptionKind>::Value> {
            self.with(|s| s.$get())
        }
    };
    (@async_set $(#[cfg($cfg:meta)])? $name:ident, $id:ident, $kind:ident, $doc:literal, $set:ident) => {
        $(#[cfg($cfg)])?
        #[doc = concat!("Sets `", stringify!($id), "`: ", $doc)]
        pub fn $set<V: OptionValue<kind::$kind>>(&self, value: V) -> Result<()> {
            self.with(|s| s.$set(value))
        }
    };
    (@get $(#[cfg($cfg:meta)])? $name:ident, $id:ident, $kind:ident, $doc:literal, $get:ident) => {
        $(#[cfg($cfg)])?
        #[doc = concat!("Reads `", stringify!($id), "`: ", $doc)]
        #[doc(alias = "zmq_getsockopt")]
        pub fn $get(&self) -> Result<<kind::$kind as OptionKind>::Value> {
            self.get($name)
        }
    };
    (@set $(#[cfg($cfg:meta)])? $name:ident, $id:ident, $kind:ident, $doc:literal, $set:ident) => {
        $(#[cfg($cfg)])?
        #[doc = concat!("Sets `", stringify!($id), "`: ", $doc)]
        #[doc(alias = "zmq_setsockopt")]
        pub fn $set<V: OptionValue<kind::$kind>>(&self, value: V) -> Result<()> {
            self.set_encoded($name.to_raw(), value.encode())
        }
    };
}

socket_options! {
    AFFINITY = ZMQ_AFFINITY: UInt64, ReadWrite, "I/O thread affinity bitmask for new connections." => affinity, set_affinity;
    ROUTING_ID = ZMQ_ROUTING_ID: Bytes, ReadWrite, "the socket's routing id (1-255 bytes; ids starting with a zero byte are reserved by libzmq)." => routing_id, set_routing_id;
    IDENTITY = ZMQ_IDENTITY: Bytes, ReadWrite, "old name of `ROUTING_ID`." => identity, set_identity;
    SUBSCRIBE = ZMQ_SUBSCRIBE: Bytes, WriteOnly, "add a message filter (SUB)." => set_subscribe;
    UNSUBSCRIBE = ZMQ_UNSUBSCRIBE: Bytes, WriteOnly, "remove a message filter (SUB)." => set_unsubscribe;
    RATE = ZMQ_RATE: Int, ReadWrite, "multicast data rate, kbit/s." => rate, set_rate;
    RECOVERY_IVL = ZMQ_RECOVERY_IVL: Int, ReadWrite, "multicast recovery interval, ms." => recovery_ivl, set_recovery_ivl;
    SNDBUF = ZMQ_SNDBUF: Int, ReadWrite, "kernel send buffer size, bytes (-1: OS default)." => sndbuf, set_sndbuf;
    RCVBUF = ZMQ_RCVBUF: Int, ReadWrite, "kernel receive buffer size, bytes (-1: OS default)." => rcvbuf, set_rcvbuf;
    RCVMORE = ZMQ_RCVMORE: Bool, ReadOnly, "more parts of the last message follow." => rcvmore;
    FD = ZMQ_FD: Fd, ReadOnly, "a file descriptor that signals when `EVENTS` may have changed (edge-triggered)." => fd;
    EVENTS = ZMQ_EVENTS: Events, ReadOnly, "whether a message can be received (`POLLIN`) or sent (`POLLOUT`) now." => events;
    TYPE = ZMQ_TYPE: Type, ReadOnly, "the socket's type." => type_;
    LINGER = ZMQ_LINGER: Int, ReadWrite, "how long pending messages linger after close, ms (-1: forever)." => linger, set_linger;
    RECONNECT_IVL = ZMQ_RECONNECT_IVL: Int, ReadWrite, "reconnection interval, ms." => reconnect_ivl, set_reconnect_ivl;
    BACKLOG = ZMQ_BACKLOG: Int, ReadWrite, "listen backlog." => backlog, set_backlog;
    RECONNECT_IVL_MAX = ZMQ_RECONNECT_IVL_MAX: Int, ReadWrite, "maximum reconnection interval, ms." => reconnect_ivl_max, set_reconnect_ivl_max;
    MAXMSGSIZE = ZMQ_MAXMSGSIZE: Int64, ReadWrite, "largest message accepted, bytes (-1: no limit)." => maxmsgsize, set_maxmsgsize;
    SNDHWM = ZMQ_SNDHWM: Int, ReadWrite, "send high-water mark, messages (0: none)." => sndhwm, set_sndhwm;
    RCVHWM = ZMQ_RCVHWM: Int, ReadWrite, "receive high-water mark, messages (0: none)." => rcvhwm, set_rcvhwm;
    MULTICAST_HOPS = ZMQ_MULTICAST_HOPS: Int, ReadWrite, "multicast TTL." => multicast_hops, set_multicast_hops;
    RCVTIMEO = ZMQ_RCVTIMEO: Int, ReadWrite, "receive timeout, ms (-1: block)." => rcvtimeo, set_rcvtimeo;
    SNDTIMEO = ZMQ_SNDTIMEO: Int, ReadWrite, "send timeout, ms (-1: block)." => sndtimeo, set_sndtimeo;
    LAST_ENDPOINT = ZMQ_LAST_ENDPOINT: Str, ReadOnly, "the last endpoint bound or connected (with the port the OS chose for `*`)." => last_endpoint;
    ROUTER_MANDATORY = ZMQ_ROUTER_MANDATORY: Bool, WriteOnly, "unroutable messages fail with `EHOSTUNREACH` instead of being dropped (ROUTER)." => set_router_mandatory;
    FAIL_UNROUTABLE = ZMQ_FAIL_UNROUTABLE: Bool, WriteOnly, "old name of `ROUTER_MANDATORY`." => set_fail_unroutable;
    ROUTER_BEHAVIOR = ZMQ_ROUTER_BEHAVIOR: Bool, WriteOnly, "old name of `ROUTER_MANDATORY`." => set_router_behavior;
    TCP_KEEPALIVE = ZMQ_TCP_KEEPALIVE: Int, ReadWrite, "SO_KEEPALIVE (-1: OS default, 0, 1)." => tcp_keepalive, set_tcp_keepalive;
    TCP_KEEPALIVE_CNT = ZMQ_TCP_KEEPALIVE_CNT: Int, ReadWrite, "TCP_KEEPCNT (-1: OS default)." => tcp_keepalive_cnt, set_tcp_keepalive_cnt;
    TCP_KEEPALIVE_IDLE = ZMQ_TCP_KEEPALIVE_IDLE: Int, ReadWrite, "TCP_KEEPIDLE, s (-1: OS default)." => tcp_keepalive_idle, set_tcp_keepalive_idle;
    TCP_KEEPALIVE_INTVL = ZMQ_TCP_KEEPALIVE_INTVL: Int, ReadWrite, "TCP_KEEPINTVL, s (-1: OS default)." => tcp_keepalive_intvl, set_tcp_keepalive_intvl;
    TCP_ACCEPT_FILTER = ZMQ_TCP_ACCEPT_FILTER: Bytes, WriteOnly, "deprecated: accept only these peer addresses." => set_tcp_accept_filter;
    IMMEDIATE = ZMQ_IMMEDIATE: Bool, ReadWrite, "queue messages only to completed connections." => immediate, set_immediate;
    DELAY_ATTACH_ON_CONNECT = ZMQ_DELAY_ATTACH_ON_CONNECT: Bool, ReadWrite, "old name of `IMMEDIATE`." => delay_attach_on_connect, set_delay_attach_on_connect;
    XPUB_VERBOSE = ZMQ_XPUB_VERBOSE: Bool, WriteOnly, "pass every subscription message upstream (XPUB)." => set_xpub_verbose;
    ROUTER_RAW = ZMQ_ROUTER_RAW: Bool, WriteOnly, "deprecated raw mode (use STREAM)." => set_router_raw;
    IPV6 = ZMQ_IPV6: Bool, ReadWrite, "enable IPv6." => ipv6, set_ipv6;
    IPV4ONLY = ZMQ_IPV4ONLY: Bool, ReadWrite, "deprecated inverse of `IPV6`." => ipv4only, set_ipv4only;
    MECHANISM = ZMQ_MECHANISM: Int, ReadOnly, "the security mechanism (`zmq::NULL`, `PLAIN`, `CURVE`, `GSSAPI`)." => mechanism;
    PLAIN_SERVER = ZMQ_PLAIN_SERVER: Bool, ReadWrite, "act as a PLAIN server." => plain_server, set_plain_server;
    PLAIN_USERNAME = ZMQ_PLAIN_USERNAME: Str, ReadWrite, "PLAIN user name (client)." => plain_username, set_plain_username;
    PLAIN_PASSWORD = ZMQ_PLAIN_PASSWORD: Str, ReadWrite, "PLAIN password (client)." => plain_password, set_plain_password;
    CURVE_SERVER = ZMQ_CURVE_SERVER: Bool, ReadWrite, "act as a CURVE server." => curve_server, set_curve_server;
    CURVE_PUBLICKEY = ZMQ_CURVE_PUBLICKEY: CurveKey, ReadWrite, "this socket's CURVE public key." => curve_publickey, set_curve_publickey;
    CURVE_SECRETKEY = ZMQ_CURVE_SECRETKEY: CurveKey, ReadWrite, "this socket's CURVE secret key." => curve_secretkey, set_curve_secretkey;
    CURVE_SERVERKEY = ZMQ_CURVE_SERVERKEY: CurveKey, ReadWrite, "the server's CURVE public key (client)." => curve_serverkey, set_curve_serverkey;
    PROBE_ROUTER = ZMQ_PROBE_ROUTER: Bool, WriteOnly, "send an empty message on connect (ROUTER/DEALER/REQ)." => set_probe_router;
    REQ_CORRELATE = ZMQ_REQ_CORRELATE: Bool, WriteOnly, "match replies with requests (REQ)." => set_req_correlate;
    REQ_RELAXED = ZMQ_REQ_RELAXED: Bool, WriteOnly, "allow several requests without replies (REQ)." => set_req_relaxed;
    CONFLATE = ZMQ_CONFLATE: Bool, ReadWrite, "keep only the last message." => conflate, set_conflate;
    ZAP_DOMAIN = ZMQ_ZAP_DOMAIN: Str, ReadWrite, "the ZAP authentication domain." => zap_domain, set_zap_domain;
    ROUTER_HANDOVER = ZMQ_ROUTER_HANDOVER: Bool, WriteOnly, "a new peer with a known routing id takes over (ROUTER)." => set_router_handover;
    TOS = ZMQ_TOS: Int, ReadWrite, "IP type-of-service." => tos, set_tos;
    IPC_FILTER_PID = ZMQ_IPC_FILTER_PID: Int, WriteOnly, "deprecated: accept ipc peers of this pid." => set_ipc_filter_pid;
    IPC_FILTER_UID = ZMQ_IPC_FILTER_UID: Int, WriteOnly, "deprecated: accept ipc peers of this uid." => set_ipc_filter_uid;
    IPC_FILTER_GID = ZMQ_IPC_FILTER_GID: Int, WriteOnly, "deprecated: accept ipc peers of this gid." => set_ipc_filter_gid;
    CONNECT_ROUTING_ID = ZMQ_CONNECT_ROUTING_ID: Bytes, WriteOnly, "the routing id given to the peer of the next connect (ROUTER/STREAM)." => set_connect_routing_id;
    CONNECT_RID = ZMQ_CONNECT_RID: Bytes, WriteOnly, "old name of `CONNECT_ROUTING_ID`." => set_connect_rid;
    GSSAPI_SERVER = ZMQ_GSSAPI_SERVER: Bool, ReadWrite, "act as a GSSAPI server." => gssapi_server, set_gssapi_server;
    GSSAPI_PRINCIPAL = ZMQ_GSSAPI_PRINCIPAL: Str, ReadWrite, "GSSAPI principal." => gssapi_principal, set_gssapi_principal;
    GSSAPI_SERVICE_PRINCIPAL = ZMQ_GSSAPI_SERVICE_PRINCIPAL: Str, ReadWrite, "GSSAPI service principal." => gssapi_service_principal, set_gssapi_service_principal;
    GSSAPI_PLAINTEXT = ZMQ_GSSAPI_PLAINTEXT: Bool, ReadWrite, "GSSAPI without encryption." => gssapi_plaintext, set_gssapi_plaintext;
    GSSAPI_PRINCIPAL_NAMETYPE = ZMQ_GSSAPI_PRINCIPAL_NAMETYPE: Int, ReadWrite, "GSSAPI principal name type." => gssapi_principal_nametype, set_gssapi_principal_nametype;
    GSSAPI_SERVICE_PRINCIPAL_NAMETYPE = ZMQ_GSSAPI_SERVICE_PRINCIPAL_NAMETYPE: Int, ReadWrite, "GSSAPI service principal name type." => gssapi_service_principal_nametype, set_gssapi_service_principal_nametype;
    HANDSHAKE_IVL = ZMQ_HANDSHAKE_IVL: Int, ReadWrite, "handshake timeout, ms (0: none)." => handshake_ivl, set_handshake_ivl;
    SOCKS_PROXY = ZMQ_SOCKS_PROXY: Str, ReadWrite, "SOCKS5 proxy address for tcp connects." => socks_proxy, set_socks_proxy;
    XPUB_NODROP = ZMQ_XPUB_NODROP: Bool, WriteOnly, "fail with `EAGAIN` instead of dropping at the HWM (XPUB/PUB)." => set_xpub_nodrop;
    XPUB_MANUAL = ZMQ_XPUB_MANUAL: Bool, WriteOnly, "subscriptions are managed by the application (XPUB)." => set_xpub_manual;
    XPUB_WELCOME_MSG = ZMQ_XPUB_WELCOME_MSG: Bytes, WriteOnly, "a message sent to each new subscriber (XPUB)." => set_xpub_welcome_msg;
    STREAM_NOTIFY = ZMQ_STREAM_NOTIFY: Bool, WriteOnly, "connect/disconnect notifications (STREAM)." => set_stream_notify;
    INVERT_MATCHING = ZMQ_INVERT_MATCHING: Bool, ReadWrite, "filters exclude instead of include (PUB/SUB)." => invert_matching, set_invert_matching;
    HEARTBEAT_IVL = ZMQ_HEARTBEAT_IVL: Int, ReadWrite, "ZMTP heartbeat interval, ms." => heartbeat_ivl, set_heartbeat_ivl;
    HEARTBEAT_TTL = ZMQ_HEARTBEAT_TTL: Int, ReadWrite, "ZMTP heartbeat TTL given to the peer, ms." => heartbeat_ttl, set_heartbeat_ttl;
    HEARTBEAT_TIMEOUT = ZMQ_HEARTBEAT_TIMEOUT: Int, ReadWrite, "ZMTP heartbeat timeout, ms." => heartbeat_timeout, set_heartbeat_timeout;
    XPUB_VERBOSER = ZMQ_XPUB_VERBOSER: Bool, WriteOnly, "pass every (un)subscription upstream (XPUB)." => set_xpub_verboser;
    CONNECT_TIMEOUT = ZMQ_CONNECT_TIMEOUT: Int, ReadWrite, "tcp connect timeout, ms (0: OS default)." => connect_timeout, set_connect_timeout;
    TCP_MAXRT = ZMQ_TCP_MAXRT: Int, ReadWrite, "TCP_USER_TIMEOUT, ms." => tcp_maxrt, set_tcp_maxrt;
    THREAD_SAFE = ZMQ_THREAD_SAFE: Bool, ReadOnly, "whether the socket type is thread-safe (draft types)." => thread_safe;
    MULTICAST_MAXTPDU = ZMQ_MULTICAST_MAXTPDU: Int, ReadWrite, "largest multicast transport data unit, bytes." => multicast_maxtpdu, set_multicast_maxtpdu;
    VMCI_BUFFER_SIZE = ZMQ_VMCI_BUFFER_SIZE: UInt64, ReadWrite, "VMCI buffer size." => vmci_buffer_size, set_vmci_buffer_size;
    VMCI_BUFFER_MIN_SIZE = ZMQ_VMCI_BUFFER_MIN_SIZE: UInt64, ReadWrite, "VMCI minimum buffer size." => vmci_buffer_min_size, set_vmci_buffer_min_size;
    VMCI_BUFFER_MAX_SIZE = ZMQ_VMCI_BUFFER_MAX_SIZE: UInt64, ReadWrite, "VMCI maximum buffer size." => vmci_buffer_max_size, set_vmci_buffer_max_size;
    VMCI_CONNECT_TIMEOUT = ZMQ_VMCI_CONNECT_TIMEOUT: Int, ReadWrite, "VMCI connect timeout, ms." => vmci_connect_timeout, set_vmci_connect_timeout;
    USE_FD = ZMQ_USE_FD: Int, ReadUnsafeWrite, "bind to this pre-made listening fd (-1: none); set with the `unsafe` [`Socket::set_use_fd`]." => use_fd;
    BINDTODEVICE = ZMQ_BINDTODEVICE: Str, ReadWrite, "SO_BINDTODEVICE interface name." => bindtodevice, set_bindtodevice;
    #[cfg(feature = "draft")]
    ZAP_ENFORCE_DOMAIN = ZMQ_ZAP_ENFORCE_DOMAIN: Bool, ReadWrite, "require a ZAP domain (draft)." => zap_enforce_domain, set_zap_enforce_domain;
    #[cfg(feature = "draft")]
    LOOPBACK_FASTPATH = ZMQ_LOOPBACK_FASTPATH: Bool, ReadWrite, "Windows loopback fast path (draft)." => loopback_fastpath, set_loopback_fastpath;
    #[cfg(feature = "draft")]
    METADATA = ZMQ_METADATA: Str, WriteOnly, "add `X-name:value` metadata to the handshake (draft)." => set_metadata;
    #[cfg(feature = "draft")]
    MULTICAST_LOOP = ZMQ_MULTICAST_LOOP: Bool, ReadWrite, "receive own multicast (UDP) messages (draft)." => multicast_loop, set_multicast_loop;
    #[cfg(feature = "draft")]
    ROUTER_NOTIFY = ZMQ_ROUTER_NOTIFY: Int, ReadWrite, "peer connect/disconnect notifications, `NOTIFY_*` flags (draft)." => router_notify, set_router_notify;
    #[cfg(feature = "draft")]
    XPUB_MANUAL_LAST_VALUE = ZMQ_XPUB_MANUAL_LAST_VALUE: Bool, WriteOnly, "manual XPUB sending the last value to new subscribers (draft)." => set_xpub_manual_last_value;
    #[cfg(feature = "draft")]
    SOCKS_USERNAME = ZMQ_SOCKS_USERNAME: Str, ReadWrite, "SOCKS5 user name (draft)." => socks_username, set_socks_username;
    #[cfg(feature = "draft")]
    SOCKS_PASSWORD = ZMQ_SOCKS_PASSWORD: Str, ReadWrite, "SOCKS5 password (draft)." => socks_password, set_socks_password;
    #[cfg(feature = "draft")]
    IN_BATCH_SIZE = ZMQ_IN_BATCH_SIZE: Int, ReadWrite, "receive batch size, bytes (draft)." => in_batch_size, set_in_batch_size;
    #[cfg(feature = "draft")]
    OUT_BATCH_SIZE = ZMQ_OUT_BATCH_SIZE: Int, ReadWrite, "send batch size, bytes (draft)." => out_batch_size, set_out_batch_size;
    #[cfg(feature = "draft")]
    WSS_KEY_PEM = ZMQ_WSS_KEY_PEM: Str, WriteOnly, "wss private key, PEM (draft; needs a TLS build)." => set_wss_key_pem;
    #[cfg(feature = "draft")]
    WSS_CERT_PEM = ZMQ_WSS_CERT_PEM: Str, WriteOnly, "wss certificate, PEM (draft; needs a TLS build)." => set_wss_cert_pem;
    #[cfg(feature = "draft")]
    WSS_TRUST_PEM = ZMQ_WSS_TRUST_PEM: Str, WriteOnly, "wss trusted certificate, PEM (draft; needs a TLS build)." => set_wss_trust_pem;
    #[cfg(feature = "draft")]
    WSS_HOSTNAME = ZMQ_WSS_HOSTNAME: Str, WriteOnly, "wss host name to verify (draft; needs a TLS build)." => set_wss_hostname;
    #[cfg(feature = "draft")]
    WSS_TRUST_SYSTEM = ZMQ_WSS_TRUST_SYSTEM: Bool, WriteOnly, "trust the system's certificates for wss (draft; needs a TLS build)." => set_wss_trust_system;
    #[cfg(feature = "draft")]
    ONLY_FIRST_SUBSCRIBE = ZMQ_ONLY_FIRST_SUBSCRIBE: Bool, WriteOnly, "only the first part of a multipart (un)subscription counts (draft)." => set_only_first_subscribe;
    #[cfg(feature = "draft")]
    RECONNECT_STOP = ZMQ_RECONNECT_STOP: Int, ReadWrite, "stop reconnecting on these conditions, `RECONNECT_STOP_*` (draft)." => reconnect_stop, set_reconnect_stop;
    #[cfg(feature = "draft")]
    HELLO_MSG = ZMQ_HELLO_MSG: Bytes, WriteOnly, "a message sent to each new peer (draft)." => set_hello_msg;
    #[cfg(feature = "draft")]
    DISCONNECT_MSG = ZMQ_DISCONNECT_MSG: Bytes, WriteOnly, "a message received when a peer disconnects (draft)." => set_disconnect_msg;
    #[cfg(feature = "draft")]
    PRIORITY = ZMQ_PRIORITY: Int, ReadWrite, "SO_PRIORITY (draft)." => priority, set_priority;
    // libzmq 4.3.5's getsockopt(BUSY_POLL) writes the value but reports
    // EINVAL (a missing `return 0`), so it is not readable through the API.
    #[cfg(feature = "draft")]
    BUSY_POLL = ZMQ_BUSY_POLL: Bool, WriteOnly, "SO_BUSY_POLL (draft)." => set_busy_poll;
    #[cfg(feature = "draft")]
    HICCUP_MSG = ZMQ_HICCUP_MSG: Bytes, WriteOnly, "a message received when a connection is re-established (draft)." => set_hiccup_msg;
    #[cfg(feature = "draft")]
    XSUB_VERBOSE_UNSUBSCRIBE = ZMQ_XSUB_VERBOSE_UNSUBSCRIBE: Bool, WriteOnly, "pass every unsubscription upstream (XSUB, draft)." => set_xsub_verbose_unsubscribe;
    #[cfg(feature = "draft")]
    TOPICS_COUNT = ZMQ_TOPICS_COUNT: Int, ReadOnly, "number of subscriptions (XPUB/XSUB, draft)." => topics_count;
    #[cfg(feature = "draft")]
    NORM_MODE = ZMQ_NORM_MODE: Int, ReadWrite, "NORM congestion control mode (draft; needs NORM)." => norm_mode, set_norm_mode;
    #[cfg(feature = "draft")]
    NORM_UNICAST_NACK = ZMQ_NORM_UNICAST_NACK: Bool, ReadWrite, "NORM unicast NACKs (draft; needs NORM)." => norm_unicast_nack, set_norm_unicast_nack;
    #[cfg(feature = "draft")]
    NORM_BUFFER_SIZE = ZMQ_NORM_BUFFER_SIZE: Int, ReadWrite, "NORM buffer size, kB (draft; needs NORM)." => norm_buffer_size, set_norm_buffer_size;
    #[cfg(feature = "draft")]
    NORM_SEGMENT_SIZE = ZMQ_NORM_SEGMENT_SIZE: Int, ReadWrite, "NORM segment size, bytes (draft; needs NORM)." => norm_segment_size, set_norm_segment_size;
    #[cfg(feature = "draft")]
    NORM_BLOCK_SIZE = ZMQ_NORM_BLOCK_SIZE: Int, ReadWrite, "NORM block size (draft; needs NORM)." => norm_block_size, set_norm_block_size;
    #[cfg(feature = "draft")]
    NORM_NUM_PARITY = ZMQ_NORM_NUM_PARITY: Int, ReadWrite, "NORM parity segments (draft; needs NORM)." => norm_num_parity, set_norm_num_parity;
    #[cfg(feature = "draft")]
    NORM_NUM_AUTOPARITY = ZMQ_NORM_NUM_AUTOPARITY: Int, ReadWrite, "NORM auto parity segments (draft; needs NORM)." => norm_num_autoparity, set_norm_num_autoparity;
    #[cfg(feature = "draft")]
    NORM_PUSH = ZMQ_NORM_PUSH: Bool, ReadWrite, "NORM stream push mode (draft; needs NORM)." => norm_push, set_norm_push;
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fmt::Debug;

    /// Values to try, in order, for an option whose default is `current`.
    pub(crate) trait Sample: OptionKind {
        fn samples(name: &str, current: &Self::Value) -> Vec<Self::Value>;
        fn encode(value: &Self::Value) -> Encoded<'_>;
    }
    impl Sample for kind::Int {
        fn encode(value: &Self::Value) -> Encoded<'_> {
            Encoded::Int(*value)
        }
        fn samples(name: &str, current: &i32) -> Vec<i32> {
            if name == "HEARTBEAT_TTL" {
                return vec![2000]; // stored in deciseconds
            }
            [1, 0, 2, 100, 1400]
                .into_iter()
                .filter(|v| v != current)
                .collect()
        }
    }
    impl Sample for kind::Bool {
        fn encode(value: &Self::Value) -> Encoded<'_> {
            Encoded::Int(c_int::from(*value))
        }
        fn samples(_: &str, current: &bool) -> Vec<bool> {
            vec![!current]
        }
    }
    impl Sample for kind::Int64 {
        fn encode(value: &Self::Value) -> Encoded<'_> {
            Encoded::Int64(*value)
        }
        fn samples(_: &str, _: &i64) -> Vec<i64> {
            vec![4096]
        }
    }
    impl Sample for kind::UInt64 {
        fn encode(value: &Self::Value) -> Encoded<'_> {
            Encoded::UInt64(*value)
        }
        fn samples(_: &str, _: &u64) -> Vec<u64> {
            vec![3]
        }
    }
    impl Sample for kind::Bytes {
        fn encode(value: &Self::Value) -> Encoded<'_> {
            Encoded::Bytes(value)
        }
        fn samples(_: &str, _: &Vec<u8>) -> Vec<Vec<u8>> {
            vec![b"sample-id".to_vec()]
        }
    }
    impl Sample for kind::Str {
        fn encode(value: &Self::Value) -> Encoded<'_> {
            Encoded::Bytes(value.as_bytes())
        }
        fn samples(_: &str, _: &String) -> Vec<String> {
            vec!["lo".to_string()]
        }
    }
    impl Sample for kind::CurveKey {
        fn encode(value: &Self::Value) -> Encoded<'_> {
            Encoded::Bytes(value)
        }
        fn samples(_: &str, _: &Vec<u8>) -> Vec<Vec<u8>> {
            // RFC 32's example public key.
            vec![b"Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hID".to_vec()]
        }
    }
    macro_rules! no_samples {
        ($($kind:ident),*) => {$(
            impl Sample for kind::$kind {
                fn samples(_: &str, _: &Self::Value) -> Vec<Self::Value> {
                    Vec::new()
                }
                fn encode(_: &Self::Value) -> Encoded<'_> {
                    unreachable!("read-only kinds have no samples")
                }
            }
        )*};
    }
    no_samples!(Fd, Events, Type);

    pub(crate) trait RoundTrip: Sized {
        fn run<K>(
            s: &Socket,
            option: SocketOption<K, Self>,
        ) -> Option<std::result::Result<(), String>>
        where
            K: Sample,
            K::Value: PartialEq + Debug + Clone;
    }
    impl RoundTrip for access::ReadOnly {
        fn run<K>(
            s: &Socket,
            option: SocketOption<K, Self>,
        ) -> Option<std::result::Result<(), String>>
        where
            K: Sample,
            K::Value: PartialEq + Debug + Clone,
        {
            // Read-only options must at least be readable.
            Some(s.get(option).map(drop).map_err(|e| format!("get: {e}")))
        }
    }
    impl RoundTrip for access::ReadUnsafeWrite {
        fn run<K>(
            s: &Socket,
            option: SocketOption<K, Self>,
        ) -> Option<std::result::Result<(), String>>
        where
            K: Sample,
            K::Value: PartialEq + Debug + Clone,
        {
            Some(s.get(option).map(drop).map_err(|e| format!("get: {e}")))
        }
    }
    impl RoundTrip for access::WriteOnly {
        fn run<K>(_: &Socket, _: SocketOption<K, Self>) -> Option<std::result::Result<(), String>>
        where
            K: Sample,
            K::Value: PartialEq + Debug + Clone,
        {
            None
        }
    }
    impl RoundTrip for access::ReadWrite {
        fn run<K>(
            s: &Socket,
            option: SocketOption<K, Self>,
        ) -> Option<std::result::Result<(), String>>
        where
            K: Sample,
            K::Value: PartialEq + Debug + Clone,
        {
            let current = match s.get(option) {
                Ok(v) => v,
                Err(e) => return Some(Err(format!("get default: {e}"))),
            };
            let mut last = String::from("no sample");
            for sample in K::samples(option.name(), &current) {
                match s.set_encoded(option.to_raw(), K::encode(&sample)) {
                    Ok(()) => {}
                    Err(e) => {
                        last = format!("set {sample:?}: {e}");
                        continue;
                    }
                }
                return Some(match s.get(option) {
                    Ok(read) if read == sample => Ok(()),
                    Ok(read) => Err(format!("set {sample:?}, read back {read:?}")),
                    Err(e) => Err(format!("get after set: {e}")),
                });
            }
            Some(Err(last))
        }
    }

    #[test]
    fn every_readable_writable_option_round_trips() {
        let ctx = crate::Context::new();
        // Some options belong to one socket type (ROUTER_NOTIFY: ROUTER;
        // TOPICS_COUNT: XPUB/XSUB): an option passes on any of these.
        let sockets: Vec<Socket> = [crate::DEALER, crate::ROUTER, crate::XPUB]
            .into_iter()
            .map(|t| ctx.socket(t).unwrap())
            .collect();
        let outcomes: Vec<_> = sockets.iter().map(roundtrip_all).collect();
        // Options that need a capability this libzmq may lack, or that
        // libzmq only accepts on other builds or platforms.
        let needs = |name: &str| -> Option<&'static str> {
            if name.starts_with("GSSAPI") {
                Some("gssapi")
            } else if name.starts_with("CURVE") {
                Some("curve")
            } else if name.starts_with("NORM") {
                Some("norm")
            } else if name.starts_with("VMCI") {
                Some("vmci")
            } else {
                None
            }
        };
        let mut failures = Vec::new();
        let mut checked = 0;
        for (i, (name, first)) in outcomes[0].iter().enumerate() {
            let name = *name;
            let Some(first) = first.clone() else { continue };
            let outcome = outcomes
                .iter()
                .filter_map(|o| o[i].1.clone())
                .find(|o| o.is_ok())
                .unwrap_or(first);
            checked += 1;
            match (outcome, needs(name)) {
                (Ok(()), _) => {}
                (Err(_), Some(capability)) if !crate::has(capability) => {}
                (Err(e), _) => failures.push(format!("{name}: {e}")),
            }
        }
        assert!(
            failures.is_empty(),
            "options that do not round-trip:\n{}",
            failures.join("\n")
        );
        assert!(checked > 50, "only {checked} options checked");
    }

    /// Raw `zmq_getsockopt` with a buffer of the size the kind needs.
    fn raw_get(raw: *mut c_void, id: c_int, kind: &str) -> Option<Vec<u8>> {
        let size = match kind {
            "Int" | "Bool" | "Events" | "Type" => 4,
            "Fd" => std::mem::size_of::<sys::zmq_fd_t>(),
            "Int64" | "UInt64" => 8,
            "CurveKey" => 41,
            _ => 4096,
        };
        let mut buf = vec![0u8; size];
        let mut len = size;
        // SAFETY: a live socket, a buffer of `len` bytes.
        let rc = unsafe { sys::zmq_getsockopt(raw, id, buf.as_mut_ptr().cast(), &mut len) };
        (rc == 0).then(|| {
            buf.truncate(len);
            buf
        })
    }

    /// Raw `zmq_setsockopt` (no checks of ours).
    fn raw_set(raw: *mut c_void, id: c_int, value: &[u8]) -> bool {
        // SAFETY: a live socket, `value` valid for its length.
        unsafe { sys::zmq_setsockopt(raw, id, value.as_ptr().cast(), value.len()) == 0 }
    }

    /// Values of a kind that libzmq takes for most options of that kind.
    fn samples(kind: &str) -> Vec<Vec<u8>> {
        let int = |v: i32| v.to_ne_bytes().to_vec();
        match kind {
            "Int" | "Bool" => vec![int(1), int(0), int(100), int(2000)],
            "Int64" | "UInt64" => vec![4096u64.to_ne_bytes().to_vec()],
            "CurveKey" => vec![b"Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hID".to_vec()],
            "Str" => vec![
                b"lo".to_vec(),
                b"127.0.0.1:1080".to_vec(),
                b"X-sample:value".to_vec(), // METADATA
            ],
            _ => vec![b"sample".to_vec(), b"127.0.0.1".to_vec()], // TCP_ACCEPT_FILTER
        }
    }

    /// libzmq itself decides what can be read and written: for every option
    /// of the table, on every socket type, `zmq_getsockopt` must work exactly
    /// where the table says the option is readable, and `zmq_setsockopt`
    /// (of the value just read, or of a sample) exactly where it says it is
    /// writable, so the table cannot drift from libzmq again.
    #[test]
    fn the_table_says_what_libzmq_does() {
        let ctx = crate::Context::new();
        ctx.set(crate::IO_THREADS, 0).unwrap();
        let sockets: Vec<Socket> = crate::SocketType::all()
            .iter()
            .map(|t| ctx.socket(*t).unwrap())
            .collect();
        let needs = |name: &str| -> Option<&'static str> {
            [
                ("GSSAPI", "gssapi"),
                ("CURVE", "curve"),
                ("NORM", "norm"),
                ("VMCI", "vmci"),
                ("WSS", "wss"),
            ]
            .into_iter()
            .find(|(prefix, _)| name.starts_with(prefix))
            .map(|(_, capability)| capability)
        };
        let mut wrong = Vec::new();
        for (name, id, kind, access) in ALL_OPTIONS {
            if needs(name).is_some_and(|c| !crate::has(c)) {
                continue;
            }
            let mut readable = false;
            let mut writable = false;
            for s in &sockets {
                let read = raw_get(s.as_raw(), *id, kind);
                readable |= read.is_some();
                let mut candidates = Vec::new();
                if let Some(mut value) = read {
                    if *kind == "Str" && value.last() == Some(&0) {
                        value.pop();
                    }
                    if *kind == "CurveKey" {
                        value.truncate(40);
                    }
                    candidates.push(value);
                }
                candidates.extend(samples(kind));
                writable |= candidates.iter().any(|v| raw_set(s.as_raw(), *id, v));
            }
            let expected = match *access {
                "ReadWrite" | "ReadUnsafeWrite" => (true, true),
                "ReadOnly" => (true, false),
                "WriteOnly" => (false, true),
                other => unreachable!("{other}"),
            };
            if (readable, writable) != expected {
                wrong.push(format!(
                    "{name}: the table says {access}, libzmq reads: {readable}, writes: {writable}"
                ));
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    #[test]
    fn the_table_has_every_socket_option_of_sys() {
        let ids: std::collections::BTreeSet<c_int> =
            ALL_OPTIONS.iter().map(|(_, id, _, _)| *id).collect();
        for (name, value) in sys::SOCKET_OPTION_CONSTANTS {
            if *name == "ZMQ_BLOCKY" {
                continue; // a context option, despite where zmq.h lists it
            }
            assert!(
                ids.contains(&(*value as c_int)),
                "{name} is not in the table"
            );
        }
        let names: std::collections::BTreeSet<&str> =
            ALL_OPTIONS.iter().map(|(n, _, _, _)| *n).collect();
        assert_eq!(names.len(), ALL_OPTIONS.len(), "a name appears twice");
    }
}
