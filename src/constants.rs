//! libzmq's constants under pyzmq's names (`zmq.REQ` → `zmq::REQ`), typed so
//! that a socket type cannot be passed where a flag is expected.

use libc::c_int;

use crate::sys;

/// A socket type (pyzmq's `zmq.SocketType`); the constants [`REQ`], [`REP`],
/// ... are its values.
#[allow(non_camel_case_types, clippy::upper_case_acronyms)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(i32)]
#[non_exhaustive]
pub enum SocketType {
    /// `ZMQ_PAIR`
    PAIR = sys::ZMQ_PAIR,
    /// `ZMQ_PUB`
    PUB = sys::ZMQ_PUB,
    /// `ZMQ_SUB`
    SUB = sys::ZMQ_SUB,
    /// `ZMQ_REQ`
    REQ = sys::ZMQ_REQ,
    /// `ZMQ_REP`
    REP = sys::ZMQ_REP,
    /// `ZMQ_DEALER` (alias `XREQ`)
    DEALER = sys::ZMQ_DEALER,
    /// `ZMQ_ROUTER` (alias `XREP`)
    ROUTER = sys::ZMQ_ROUTER,
    /// `ZMQ_PULL`
    PULL = sys::ZMQ_PULL,
    /// `ZMQ_PUSH`
    PUSH = sys::ZMQ_PUSH,
    /// `ZMQ_XPUB`
    XPUB = sys::ZMQ_XPUB,
    /// `ZMQ_XSUB`
    XSUB = sys::ZMQ_XSUB,
    /// `ZMQ_STREAM`
    STREAM = sys::ZMQ_STREAM,
    /// `ZMQ_SERVER` (draft)
    #[cfg(feature = "draft")]
    SERVER = sys::ZMQ_SERVER,
    /// `ZMQ_CLIENT` (draft)
    #[cfg(feature = "draft")]
    CLIENT = sys::ZMQ_CLIENT,
    /// `ZMQ_RADIO` (draft)
    #[cfg(feature = "draft")]
    RADIO = sys::ZMQ_RADIO,
    /// `ZMQ_DISH` (draft)
    #[cfg(feature = "draft")]
    DISH = sys::ZMQ_DISH,
    /// `ZMQ_GATHER` (draft)
    #[cfg(feature = "draft")]
    GATHER = sys::ZMQ_GATHER,
    /// `ZMQ_SCATTER` (draft)
    #[cfg(feature = "draft")]
    SCATTER = sys::ZMQ_SCATTER,
    /// `ZMQ_DGRAM` (draft)
    #[cfg(feature = "draft")]
    DGRAM = sys::ZMQ_DGRAM,
    /// `ZMQ_PEER` (draft)
    #[cfg(feature = "draft")]
    PEER = sys::ZMQ_PEER,
    /// `ZMQ_CHANNEL` (draft)
    #[cfg(feature = "draft")]
    CHANNEL = sys::ZMQ_CHANNEL,
}

impl SocketType {
    /// The C value (`ZMQ_REQ` is 3).
    pub fn to_raw(self) -> c_int {
        self as c_int
    }

    /// The type for a C value, if this build knows it.
    pub fn from_raw(raw: c_int) -> Option<SocketType> {
        ALL_SOCKET_TYPES.iter().copied().find(|t| t.to_raw() == raw)
    }

    /// Every socket type this build knows.
    pub fn all() -> &'static [SocketType] {
        ALL_SOCKET_TYPES
    }

    /// Whether libzmq makes this type thread-safe: SERVER, CLIENT, RADIO,
    /// DISH, GATHER, SCATTER, PEER, CHANNEL (draft). They reject multipart
    /// messages and have no `ZMQ_FD`. DGRAM is a draft type but a classic
    /// socket (its messages are two parts: address and body).
    pub fn is_thread_safe(self) -> bool {
        #[cfg(feature = "draft")]
        {
            matches!(
                self,
                SocketType::SERVER
                    | SocketType::CLIENT
                    | SocketType::RADIO
                    | SocketType::DISH
                    | SocketType::GATHER
                    | SocketType::SCATTER
                    | SocketType::PEER
                    | SocketType::CHANNEL
            )
        }
        #[cfg(not(feature = "draft"))]
        {
            false
        }
    }
}

const ALL_SOCKET_TYPES: &[SocketType] = &[
    SocketType::PAIR,
    SocketType::PUB,
    SocketType::SUB,
    SocketType::REQ,
    SocketType::REP,
    SocketType::DEALER,
    SocketType::ROUTER,
    SocketType::PULL,
    SocketType::PUSH,
    SocketType::XPUB,
    SocketType::XSUB,
    SocketType::STREAM,
    #[cfg(feature = "draft")]
    SocketType::SERVER,
    #[cfg(feature = "draft")]
    SocketType::CLIENT,
    #[cfg(feature = "draft")]
    SocketType::RADIO,
    #[cfg(feature = "draft")]
    SocketType::DISH,
    #[cfg(feature = "draft")]
    SocketType::GATHER,
    #[cfg(feature = "draft")]
    SocketType::SCATTER,
    #[cfg(feature = "draft")]
    SocketType::DGRAM,
    #[cfg(feature = "draft")]
    SocketType::PEER,
    #[cfg(feature = "draft")]
    SocketType::CHANNEL,
];

macro_rules! socket_type_consts {
    ($($(#[$cfg:meta])* $name:ident = $variant:ident;)*) => {
        $(
            $(#[$cfg])*
            #[doc = concat!("`ZMQ_", stringify!($variant), "` socket type.")]
            pub const $name: SocketType = SocketType::$variant;
        )*
    };
}

socket_type_consts! {
    PAIR = PAIR;
    PUB = PUB;
    SUB = SUB;
    REQ = REQ;
    REP = REP;
    DEALER = DEALER;
    ROUTER = ROUTER;
    PULL = PULL;
    PUSH = PUSH;
    XPUB = XPUB;
    XSUB = XSUB;
    STREAM = STREAM;
    XREQ = DEALER;
    XREP = ROUTER;
    #[cfg(feature = "draft")] SERVER = SERVER;
    #[cfg(feature = "draft")] CLIENT = CLIENT;
    #[cfg(feature = "draft")] RADIO = RADIO;
    #[cfg(feature = "draft")] DISH = DISH;
    #[cfg(feature = "draft")] GATHER = GATHER;
    #[cfg(feature = "draft")] SCATTER = SCATTER;
    #[cfg(feature = "draft")] DGRAM = DGRAM;
    #[cfg(feature = "draft")] PEER = PEER;
    #[cfg(feature = "draft")] CHANNEL = CHANNEL;
}

bitflags::bitflags! {
    /// Send/receive flags: `0`, [`DONTWAIT`], [`SNDMORE`], or `DONTWAIT | SNDMORE`.
    /// Every call that takes flags also takes a plain `0` (or any `i32`).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
    pub struct Flags: c_int {
        /// `ZMQ_DONTWAIT`: fail with [`Error::Again`](crate::Error::Again)
        /// instead of blocking.
        const DONTWAIT = sys::ZMQ_DONTWAIT;
        /// `ZMQ_SNDMORE`: more parts of this message follow.
        const SNDMORE = sys::ZMQ_SNDMORE;
    }
}

impl From<c_int> for Flags {
    fn from(bits: c_int) -> Flags {
        Flags::from_bits_retain(bits)
    }
}

/// `ZMQ_DONTWAIT`.
pub const DONTWAIT: Flags = Flags::DONTWAIT;
/// `ZMQ_NOBLOCK`, the old name of [`DONTWAIT`].
pub const NOBLOCK: Flags = Flags::DONTWAIT;
/// `ZMQ_SNDMORE`.
pub const SNDMORE: Flags = Flags::SNDMORE;

bitflags::bitflags! {
    /// Poll events (pyzmq's `zmq.POLLIN`, ...). An empty value means "no
    /// event" (a poll that timed out).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
    pub struct PollEvents: i16 {
        /// `ZMQ_POLLIN`: a message can be received (or an fd is readable).
        const POLLIN = sys::ZMQ_POLLIN as i16;
        /// `ZMQ_POLLOUT`: a message can be sent (or an fd is writable).
        const POLLOUT = sys::ZMQ_POLLOUT as i16;
        /// `ZMQ_POLLERR`: an error on a raw fd.
        const POLLERR = sys::ZMQ_POLLERR as i16;
        /// `ZMQ_POLLPRI`: urgent data on a raw fd.
        const POLLPRI = sys::ZMQ_POLLPRI as i16;
    }
}

impl From<i16> for PollEvents {
    fn from(bits: i16) -> PollEvents {
        PollEvents::from_bits_retain(bits)
    }
}

/// `ZMQ_POLLIN`.
pub const POLLIN: PollEvents = PollEvents::POLLIN;
/// `ZMQ_POLLOUT`.
pub const POLLOUT: PollEvents = PollEvents::POLLOUT;
/// `ZMQ_POLLERR`.
pub const POLLERR: PollEvents = PollEvents::POLLERR;
/// `ZMQ_POLLPRI`.
pub const POLLPRI: PollEvents = PollEvents::POLLPRI;

bitflags::bitflags! {
    /// Socket monitor events (`ZMQ_EVENT_*`), for
    /// [`Socket::monitor`](crate::Socket::monitor) and in
    /// [`MonitorEvent`](crate::MonitorEvent).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
    pub struct Event: u32 {
        /// `ZMQ_EVENT_CONNECTED`
        const CONNECTED = sys::ZMQ_EVENT_CONNECTED as u32;
        /// `ZMQ_EVENT_CONNECT_DELAYED`
        const CONNECT_DELAYED = sys::ZMQ_EVENT_CONNECT_DELAYED as u32;
        /// `ZMQ_EVENT_CONNECT_RETRIED`
        const CONNECT_RETRIED = sys::ZMQ_EVENT_CONNECT_RETRIED as u32;
        /// `ZMQ_EVENT_LISTENING`
        const LISTENING = sys::ZMQ_EVENT_LISTENING as u32;
        /// `ZMQ_EVENT_BIND_FAILED`
        const BIND_FAILED = sys::ZMQ_EVENT_BIND_FAILED as u32;
        /// `ZMQ_EVENT_ACCEPTED`
        const ACCEPTED = sys::ZMQ_EVENT_ACCEPTED as u32;
        /// `ZMQ_EVENT_ACCEPT_FAILED`
        const ACCEPT_FAILED = sys::ZMQ_EVENT_ACCEPT_FAILED as u32;
        /// `ZMQ_EVENT_CLOSED`
        const CLOSED = sys::ZMQ_EVENT_CLOSED as u32;
        /// `ZMQ_EVENT_CLOSE_FAILED`
        const CLOSE_FAILED = sys::ZMQ_EVENT_CLOSE_FAILED as u32;
        /// `ZMQ_EVENT_DISCONNECTED`
        const DISCONNECTED = sys::ZMQ_EVENT_DISCONNECTED as u32;
        /// `ZMQ_EVENT_MONITOR_STOPPED`
        const MONITOR_STOPPED = sys::ZMQ_EVENT_MONITOR_STOPPED as u32;
        /// `ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL`
        const HANDSHAKE_FAILED_NO_DETAIL = sys::ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL as u32;
        /// `ZMQ_EVENT_HANDSHAKE_SUCCEEDED`
        const HANDSHAKE_SUCCEEDED = sys::ZMQ_EVENT_HANDSHAKE_SUCCEEDED as u32;
        /// `ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL`
        const HANDSHAKE_FAILED_PROTOCOL = sys::ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL as u32;
        /// `ZMQ_EVENT_HANDSHAKE_FAILED_AUTH`
        const HANDSHAKE_FAILED_AUTH = sys::ZMQ_EVENT_HANDSHAKE_FAILED_AUTH as u32;
        /// `ZMQ_EVENT_ALL`: every event above.
        const ALL = sys::ZMQ_EVENT_ALL as u32;
    }
}

macro_rules! event_consts {
    ($($name:ident = $flag:ident;)*) => {
        $(
            #[doc = concat!("`ZMQ_", stringify!($name), "`.")]
            pub const $name: Event = Event::$flag;
        )*
    };
}

event_consts! {
    EVENT_CONNECTED = CONNECTED;
    EVENT_CONNECT_DELAYED = CONNECT_DELAYED;
    EVENT_CONNECT_RETRIED = CONNECT_RETRIED;
    EVENT_LISTENING = LISTENING;
    EVENT_BIND_FAILED = BIND_FAILED;
    EVENT_ACCEPTED = ACCEPTED;
    EVENT_ACCEPT_FAILED = ACCEPT_FAILED;
    EVENT_CLOSED = CLOSED;
    EVENT_CLOSE_FAILED = CLOSE_FAILED;
    EVENT_DISCONNECTED = DISCONNECTED;
    EVENT_MONITOR_STOPPED = MONITOR_STOPPED;
    EVENT_HANDSHAKE_FAILED_NO_DETAIL = HANDSHAKE_FAILED_NO_DETAIL;
    EVENT_HANDSHAKE_SUCCEEDED = HANDSHAKE_SUCCEEDED;
    EVENT_HANDSHAKE_FAILED_PROTOCOL = HANDSHAKE_FAILED_PROTOCOL;
    EVENT_HANDSHAKE_FAILED_AUTH = HANDSHAKE_FAILED_AUTH;
    EVENT_ALL = ALL;
}

macro_rules! int_consts {
    ($ty:ty: $($name:ident = $value:expr;)*) => {
        $(
            #[doc = concat!("`", stringify!($value), "`.")]
            pub const $name: $ty = $value;
        )*
    };
}

// errno values (pyzmq's `zmq.EAGAIN`, ...): compare with `Error::errno()`.
int_consts! { i32:
    EAGAIN = libc::EAGAIN;
    EINTR = libc::EINTR;
    EINVAL = libc::EINVAL;
    EFAULT = libc::EFAULT;
    ENOMEM = libc::ENOMEM;
    ENODEV = libc::ENODEV;
    ENOENT = libc::ENOENT;
    EMFILE = libc::EMFILE;
    ENOTSUP = sys::ENOTSUP;
    EPROTONOSUPPORT = sys::EPROTONOSUPPORT;
    ENOBUFS = sys::ENOBUFS;
    ENETDOWN = sys::ENETDOWN;
    EADDRINUSE = sys::EADDRINUSE;
    EADDRNOTAVAIL = sys::EADDRNOTAVAIL;
    ECONNREFUSED = sys::ECONNREFUSED;
    EINPROGRESS = sys::EINPROGRESS;
    ENOTSOCK = sys::ENOTSOCK;
    EMSGSIZE = sys::EMSGSIZE;
    EAFNOSUPPORT = sys::EAFNOSUPPORT;
    ENETUNREACH = sys::ENETUNREACH;
    ECONNABORTED = sys::ECONNABORTED;
    ECONNRESET = sys::ECONNRESET;
    ENOTCONN = sys::ENOTCONN;
    ETIMEDOUT = sys::ETIMEDOUT;
    EHOSTUNREACH = sys::EHOSTUNREACH;
    ENETRESET = sys::ENETRESET;
    EFSM = sys::EFSM;
    ENOCOMPATPROTO = sys::ENOCOMPATPROTO;
    ETERM = sys::ETERM;
    EMTHREAD = sys::EMTHREAD;
}

// Security mechanisms: the values of `socket.mechanism()`.
int_consts! { i32:
    NULL = sys::ZMQ_NULL;
    PLAIN = sys::ZMQ_PLAIN;
    CURVE = sys::ZMQ_CURVE;
    GSSAPI = sys::ZMQ_GSSAPI;
    GSSAPI_NT_HOSTBASED = sys::ZMQ_GSSAPI_NT_HOSTBASED;
    GSSAPI_NT_USER_NAME = sys::ZMQ_GSSAPI_NT_USER_NAME;
    GSSAPI_NT_KRB5_PRINCIPAL = sys::ZMQ_GSSAPI_NT_KRB5_PRINCIPAL;
}

// libzmq's version macros, and defaults.
int_consts! { i32:
    VERSION_MAJOR = sys::ZMQ_VERSION_MAJOR;
    VERSION_MINOR = sys::ZMQ_VERSION_MINOR;
    VERSION_PATCH = sys::ZMQ_VERSION_PATCH;
    IO_THREADS_DFLT = sys::ZMQ_IO_THREADS_DFLT;
    MAX_SOCKETS_DFLT = sys::ZMQ_MAX_SOCKETS_DFLT;
    THREAD_PRIORITY_DFLT = sys::ZMQ_THREAD_PRIORITY_DFLT;
    THREAD_SCHED_POLICY_DFLT = sys::ZMQ_THREAD_SCHED_POLICY_DFLT;
    POLLITEMS_DFLT = sys::ZMQ_POLLITEMS_DFLT;
}

// The `value` of handshake-failure monitor events.
int_consts! { u32:
    PROTOCOL_ERROR_ZMTP_UNSPECIFIED = sys::ZMQ_PROTOCOL_ERROR_ZMTP_UNSPECIFIED as u32;
    PROTOCOL_ERROR_ZMTP_UNEXPECTED_COMMAND = sys::ZMQ_PROTOCOL_ERROR_ZMTP_UNEXPECTED_COMMAND as u32;
    PROTOCOL_ERROR_ZMTP_INVALID_SEQUENCE = sys::ZMQ_PROTOCOL_ERROR_ZMTP_INVALID_SEQUENCE as u32;
    PROTOCOL_ERROR_ZMTP_KEY_EXCHANGE = sys::ZMQ_PROTOCOL_ERROR_ZMTP_KEY_EXCHANGE as u32;
    PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_UNSPECIFIED = sys::ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_UNSPECIFIED as u32;
    PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_MESSAGE = sys::ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_MESSAGE as u32;
    PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_HELLO = sys::ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_HELLO as u32;
    PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_INITIATE = sys::ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_INITIATE as u32;
    PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_ERROR = sys::ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_ERROR as u32;
    PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_READY = sys::ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_READY as u32;
    PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_WELCOME = sys::ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_WELCOME as u32;
    PROTOCOL_ERROR_ZMTP_INVALID_METADATA = sys::ZMQ_PROTOCOL_ERROR_ZMTP_INVALID_METADATA as u32;
    PROTOCOL_ERROR_ZMTP_CRYPTOGRAPHIC = sys::ZMQ_PROTOCOL_ERROR_ZMTP_CRYPTOGRAPHIC as u32;
    PROTOCOL_ERROR_ZMTP_MECHANISM_MISMATCH = sys::ZMQ_PROTOCOL_ERROR_ZMTP_MECHANISM_MISMATCH as u32;
    PROTOCOL_ERROR_ZAP_UNSPECIFIED = sys::ZMQ_PROTOCOL_ERROR_ZAP_UNSPECIFIED as u32;
    PROTOCOL_ERROR_ZAP_MALFORMED_REPLY = sys::ZMQ_PROTOCOL_ERROR_ZAP_MALFORMED_REPLY as u32;
    PROTOCOL_ERROR_ZAP_BAD_REQUEST_ID = sys::ZMQ_PROTOCOL_ERROR_ZAP_BAD_REQUEST_ID as u32;
    PROTOCOL_ERROR_ZAP_BAD_VERSION = sys::ZMQ_PROTOCOL_ERROR_ZAP_BAD_VERSION as u32;
    PROTOCOL_ERROR_ZAP_INVALID_STATUS_CODE = sys::ZMQ_PROTOCOL_ERROR_ZAP_INVALID_STATUS_CODE as u32;
    PROTOCOL_ERROR_ZAP_INVALID_METADATA = sys::ZMQ_PROTOCOL_ERROR_ZAP_INVALID_METADATA as u32;
    PROTOCOL_ERROR_WS_UNSPECIFIED = sys::ZMQ_PROTOCOL_ERROR_WS_UNSPECIFIED as u32;
}

/// A context option, for [`Context::set`](crate::Context::set) and
/// [`Context::get`](crate::Context::get).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ContextOption(pub c_int);

macro_rules! ctx_consts {
    ($($name:ident = $value:expr;)*) => {
        $(
            #[doc = concat!("Context option `ZMQ_", stringify!($name), "`.")]
            pub const $name: ContextOption = ContextOption($value);
        )*
    };
}

ctx_consts! {
    IO_THREADS = sys::ZMQ_IO_THREADS;
    MAX_SOCKETS = sys::ZMQ_MAX_SOCKETS;
    SOCKET_LIMIT = sys::ZMQ_SOCKET_LIMIT;
    THREAD_PRIORITY = sys::ZMQ_THREAD_PRIORITY;
    THREAD_SCHED_POLICY = sys::ZMQ_THREAD_SCHED_POLICY;
    MAX_MSGSZ = sys::ZMQ_MAX_MSGSZ;
    MSG_T_SIZE = sys::ZMQ_MSG_T_SIZE;
    THREAD_AFFINITY_CPU_ADD = sys::ZMQ_THREAD_AFFINITY_CPU_ADD;
    THREAD_AFFINITY_CPU_REMOVE = sys::ZMQ_THREAD_AFFINITY_CPU_REMOVE;
    THREAD_NAME_PREFIX = sys::ZMQ_THREAD_NAME_PREFIX;
    BLOCKY = sys::ZMQ_BLOCKY;
}

/// Context option `ZMQ_ZERO_COPY_RECV` (draft).
#[cfg(feature = "draft")]
pub const ZERO_COPY_RECV: ContextOption = ContextOption(sys::ZMQ_ZERO_COPY_RECV);

/// A message property, for [`Message::get`](crate::Message::get).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MessageProperty(pub c_int);

/// `ZMQ_MORE`: more parts follow this one.
pub const MORE: MessageProperty = MessageProperty(sys::ZMQ_MORE);
/// `ZMQ_SRCFD`: the file descriptor the message came from (deprecated in libzmq).
pub const SRCFD: MessageProperty = MessageProperty(sys::ZMQ_SRCFD);
/// `ZMQ_SHARED`: 1 when the message's buffer may be shared with other messages.
pub const SHARED: MessageProperty = MessageProperty(sys::ZMQ_SHARED);

/// A device type, for [`device`](crate::device) and the
/// [`devices`](crate::devices) threads.
#[allow(clippy::upper_case_acronyms)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(i32)]
pub enum DeviceType {
    /// `ZMQ_STREAMER`: PULL → PUSH.
    STREAMER = sys::ZMQ_STREAMER,
    /// `ZMQ_FORWARDER`: SUB → PUB.
    FORWARDER = sys::ZMQ_FORWARDER,
    /// `ZMQ_QUEUE`: ROUTER ↔ DEALER.
    QUEUE = sys::ZMQ_QUEUE,
}

/// `ZMQ_STREAMER`.
pub const STREAMER: DeviceType = DeviceType::STREAMER;
/// `ZMQ_FORWARDER`.
pub const FORWARDER: DeviceType = DeviceType::FORWARDER;
/// `ZMQ_QUEUE`.
pub const QUEUE: DeviceType = DeviceType::QUEUE;
