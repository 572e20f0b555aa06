//! The raw FFI: every function, type and constant of libzmq 4.3.5's `zmq.h`,
//! written by hand. The draft API (`ZMQ_BUILD_DRAFT_API`) is behind the
//! `draft` feature.
//!
//! Names, types and meanings are zmq.h's own; see the libzmq man pages
//! (`zmq_socket(3)`, `zmq_msg_init_data(3)`, ...). A unit test compiles a C
//! program against the very zmq.h the build used (vendored or system) and
//! checks every constant's value and every type's size and alignment, and that
//! every function and constant zmq.h declares is here.
//!
//! Everything here is `unsafe` to call; the safe API in the crate root is the
//! supported way in. Use this module for what the safe API does not cover.
//!
//! # C++ exceptions
//!
//! libzmq is C++ compiled with exceptions, and its C functions are not
//! `noexcept`: an exception thrown inside (`std::bad_alloc` when memory runs
//! out inside a standard container, `std::length_error` for sizes libzmq did
//! not check) propagates out of them. Unwinding into Rust through an
//! `extern "C"` import is undefined behaviour, so every function is declared
//! `extern "C-unwind"`: such an exception then unwinds through the Rust
//! frames (running their destructors) until the Rust runtime stops it and
//! aborts the process ("Rust cannot catch foreign exceptions"), a defined
//! end instead of an undefined one. The safe API validates the arguments
//! that are known to make libzmq throw (context sizes) so that it does not.
//! The callbacks Rust gives libzmq (`zmq_free_fn` and the like) stay
//! `extern "C"`: they must not unwind, and the crate's own catch panics.
#![allow(non_camel_case_types, missing_docs)]

use libc::{c_char, c_int, c_long, c_short, c_ulong, c_void, size_t};

/// Declares `pub const`s of one type, and (for the layout test) a table of
/// their names and values.
macro_rules! constants {
    ($table:ident : $ty:ty { $( $name:ident = $value:expr, )* }) => {
        $( pub const $name: $ty = $value; )*
        #[cfg(test)]
        pub(crate) const $table: &[(&str, i64)] = &[ $( (stringify!($name), $name as i64), )* ];
    };
}

/// Declares the `extern "C-unwind"` functions (see the module's docs on
/// C++ exceptions), and (for the layout test) a table
/// that takes the address of each, so linking the test proves that the
/// library exports every one of them.
macro_rules! functions {
    ($table:ident { $( pub fn $name:ident ( $($arg:ident : $ty:ty),* $(,)? ) $(-> $ret:ty)? ; )* }) => {
        extern "C-unwind" {
            $( pub fn $name($($arg: $ty),*) $(-> $ret)?; )*
        }
        #[cfg(test)]
        pub(crate) fn $table() -> Vec<(&'static str, usize)> {
            vec![ $( (stringify!($name), $name as *const () as usize), )* ]
        }
    };
}

/// `true` when this build compiled the vendored libzmq 4.3.5 (the default);
/// `false` when it links the system libzmq (`LIBZMQ_NO_VENDOR=1`).
pub const VENDORED: bool = cfg!(zmq_vendored);

/// `zmq_fd_t`: the type of a raw socket descriptor.
#[cfg(not(windows))]
pub type zmq_fd_t = c_int;
/// `zmq_fd_t`: a `SOCKET` (pointer-sized unsigned integer) on Windows.
#[cfg(windows)]
pub type zmq_fd_t = usize;

/// `zmq_msg_t`: 64 opaque bytes, pointer-aligned. It may be moved bitwise
/// (libzmq itself does) but never duplicated, so it is neither `Copy` nor
/// `Clone`; it must be initialised by a `zmq_msg_init*` call and released by
/// `zmq_msg_close`.
///
/// The bytes are `MaybeUninit`: libzmq initialises only the fields a
/// message's kind uses, so a valid message may hold bytes nobody wrote, and
/// storage for one need not be zeroed first ([`zmq_msg_t::uninit`] costs
/// nothing).
#[repr(C)]
#[cfg_attr(target_pointer_width = "64", repr(align(8)))]
#[cfg_attr(target_pointer_width = "32", repr(align(4)))]
pub struct zmq_msg_t {
    pub _x: [std::mem::MaybeUninit<u8>; 64],
}

impl zmq_msg_t {
    /// Storage for a message, to be initialised by a `zmq_msg_init*` call.
    #[inline(always)]
    pub const fn uninit() -> Self {
        zmq_msg_t {
            _x: [std::mem::MaybeUninit::uninit(); 64],
        }
    }
}

/// `zmq_pollitem_t`.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct zmq_pollitem_t {
    pub socket: *mut c_void,
    pub fd: zmq_fd_t,
    pub events: c_short,
    pub revents: c_short,
}

/// `zmq_poller_event_t` (draft).
#[cfg(feature = "draft")]
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct zmq_poller_event_t {
    pub socket: *mut c_void,
    pub fd: zmq_fd_t,
    pub user_data: *mut c_void,
    pub events: c_short,
}

/// `zmq_free_fn`: called by libzmq (on any of its threads) when the last
/// reference to a `zmq_msg_init_data` buffer goes. Must not unwind.
pub type zmq_free_fn = unsafe extern "C" fn(data: *mut c_void, hint: *mut c_void);
/// `zmq_timer_fn`.
pub type zmq_timer_fn = unsafe extern "C" fn(timer_id: c_int, arg: *mut c_void);
/// `zmq_thread_fn`.
pub type zmq_thread_fn = unsafe extern "C" fn(arg: *mut c_void);

constants! { VERSION_CONSTANTS: c_int {
    ZMQ_VERSION_MAJOR = 4,
    ZMQ_VERSION_MINOR = 3,
    ZMQ_VERSION_PATCH = 5,
    ZMQ_VERSION = ZMQ_VERSION_MAJOR * 10000 + ZMQ_VERSION_MINOR * 100 + ZMQ_VERSION_PATCH,
}}

/// `ZMQ_MAKE_VERSION(major, minor, patch)`.
pub const fn zmq_make_version(major: c_int, minor: c_int, patch: c_int) -> c_int {
    major * 10000 + minor * 100 + patch
}

// Error codes. The POSIX ones are the platform's (zmq.h only defines its own
// value where errno.h lacks one); the rest are libzmq's.
pub const ZMQ_HAUSNUMERO: c_int = 156384712;
#[cfg(unix)]
constants! { ERRNO_CONSTANTS: c_int {
    ENOTSUP = libc::ENOTSUP,
    EPROTONOSUPPORT = libc::EPROTONOSUPPORT,
    ENOBUFS = libc::ENOBUFS,
    ENETDOWN = libc::ENETDOWN,
    EADDRINUSE = libc::EADDRINUSE,
    EADDRNOTAVAIL = libc::EADDRNOTAVAIL,
    ECONNREFUSED = libc::ECONNREFUSED,
    EINPROGRESS = libc::EINPROGRESS,
    ENOTSOCK = libc::ENOTSOCK,
    EMSGSIZE = libc::EMSGSIZE,
    EAFNOSUPPORT = libc::EAFNOSUPPORT,
    ENETUNREACH = libc::ENETUNREACH,
    ECONNABORTED = libc::ECONNABORTED,
    ECONNRESET = libc::ECONNRESET,
    ENOTCONN = libc::ENOTCONN,
    ETIMEDOUT = libc::ETIMEDOUT,
    EHOSTUNREACH = libc::EHOSTUNREACH,
    ENETRESET = libc::ENETRESET,
}}
#[cfg(not(unix))]
constants! { ERRNO_CONSTANTS: c_int {
    ENOTSUP = ZMQ_HAUSNUMERO + 1,
    EPROTONOSUPPORT = ZMQ_HAUSNUMERO + 2,
    ENOBUFS = ZMQ_HAUSNUMERO + 3,
    ENETDOWN = ZMQ_HAUSNUMERO + 4,
    EADDRINUSE = ZMQ_HAUSNUMERO + 5,
    EADDRNOTAVAIL = ZMQ_HAUSNUMERO + 6,
    ECONNREFUSED = ZMQ_HAUSNUMERO + 7,
    EINPROGRESS = ZMQ_HAUSNUMERO + 8,
    ENOTSOCK = ZMQ_HAUSNUMERO + 9,
    EMSGSIZE = ZMQ_HAUSNUMERO + 10,
    EAFNOSUPPORT = ZMQ_HAUSNUMERO + 11,
    ENETUNREACH = ZMQ_HAUSNUMERO + 12,
    ECONNABORTED = ZMQ_HAUSNUMERO + 13,
    ECONNRESET = ZMQ_HAUSNUMERO + 14,
    ENOTCONN = ZMQ_HAUSNUMERO + 15,
    ETIMEDOUT = ZMQ_HAUSNUMERO + 16,
    EHOSTUNREACH = ZMQ_HAUSNUMERO + 17,
    ENETRESET = ZMQ_HAUSNUMERO + 18,
}}
constants! { ZMQ_ERRNO_CONSTANTS: c_int {
    EFSM = ZMQ_HAUSNUMERO + 51,
    ENOCOMPATPROTO = ZMQ_HAUSNUMERO + 52,
    ETERM = ZMQ_HAUSNUMERO + 53,
    EMTHREAD = ZMQ_HAUSNUMERO + 54,
}}

constants! { CONTEXT_CONSTANTS: c_int {
    ZMQ_IO_THREADS = 1,
    ZMQ_MAX_SOCKETS = 2,
    ZMQ_SOCKET_LIMIT = 3,
    ZMQ_THREAD_PRIORITY = 3,
    ZMQ_THREAD_SCHED_POLICY = 4,
    ZMQ_MAX_MSGSZ = 5,
    ZMQ_MSG_T_SIZE = 6,
    ZMQ_THREAD_AFFINITY_CPU_ADD = 7,
    ZMQ_THREAD_AFFINITY_CPU_REMOVE = 8,
    ZMQ_THREAD_NAME_PREFIX = 9,
    ZMQ_IO_THREADS_DFLT = 1,
    ZMQ_MAX_SOCKETS_DFLT = 1023,
    ZMQ_THREAD_PRIORITY_DFLT = -1,
    ZMQ_THREAD_SCHED_POLICY_DFLT = -1,
}}

constants! { SOCKET_TYPE_CONSTANTS: c_int {
    ZMQ_PAIR = 0,
    ZMQ_PUB = 1,
    ZMQ_SUB = 2,
    ZMQ_REQ = 3,
    ZMQ_REP = 4,
    ZMQ_DEALER = 5,
    ZMQ_ROUTER = 6,
    ZMQ_PULL = 7,
    ZMQ_PUSH = 8,
    ZMQ_XPUB = 9,
    ZMQ_XSUB = 10,
    ZMQ_STREAM = 11,
    ZMQ_XREQ = ZMQ_DEALER,
    ZMQ_XREP = ZMQ_ROUTER,
}}

constants! { SOCKET_OPTION_CONSTANTS: c_int {
    ZMQ_AFFINITY = 4,
    ZMQ_ROUTING_ID = 5,
    ZMQ_SUBSCRIBE = 6,
    ZMQ_UNSUBSCRIBE = 7,
    ZMQ_RATE = 8,
    ZMQ_RECOVERY_IVL = 9,
    ZMQ_SNDBUF = 11,
    ZMQ_RCVBUF = 12,
    ZMQ_RCVMORE = 13,
    ZMQ_FD = 14,
    ZMQ_EVENTS = 15,
    ZMQ_TYPE = 16,
    ZMQ_LINGER = 17,
    ZMQ_RECONNECT_IVL = 18,
    ZMQ_BACKLOG = 19,
    ZMQ_RECONNECT_IVL_MAX = 21,
    ZMQ_MAXMSGSIZE = 22,
    ZMQ_SNDHWM = 23,
    ZMQ_RCVHWM = 24,
    ZMQ_MULTICAST_HOPS = 25,
    ZMQ_RCVTIMEO = 27,
    ZMQ_SNDTIMEO = 28,
    ZMQ_LAST_ENDPOINT = 32,
    ZMQ_ROUTER_MANDATORY = 33,
    ZMQ_TCP_KEEPALIVE = 34,
    ZMQ_TCP_KEEPALIVE_CNT = 35,
    ZMQ_TCP_KEEPALIVE_IDLE = 36,
    ZMQ_TCP_KEEPALIVE_INTVL = 37,
    ZMQ_IMMEDIATE = 39,
    ZMQ_XPUB_VERBOSE = 40,
    ZMQ_ROUTER_RAW = 41,
    ZMQ_IPV6 = 42,
    ZMQ_MECHANISM = 43,
    ZMQ_PLAIN_SERVER = 44,
    ZMQ_PLAIN_USERNAME = 45,
    ZMQ_PLAIN_PASSWORD = 46,
    ZMQ_CURVE_SERVER = 47,
    ZMQ_CURVE_PUBLICKEY = 48,
    ZMQ_CURVE_SECRETKEY = 49,
    ZMQ_CURVE_SERVERKEY = 50,
    ZMQ_PROBE_ROUTER = 51,
    ZMQ_REQ_CORRELATE = 52,
    ZMQ_REQ_RELAXED = 53,
    ZMQ_CONFLATE = 54,
    ZMQ_ZAP_DOMAIN = 55,
    ZMQ_ROUTER_HANDOVER = 56,
    ZMQ_TOS = 57,
    ZMQ_CONNECT_ROUTING_ID = 61,
    ZMQ_GSSAPI_SERVER = 62,
    ZMQ_GSSAPI_PRINCIPAL = 63,
    ZMQ_GSSAPI_SERVICE_PRINCIPAL = 64,
    ZMQ_GSSAPI_PLAINTEXT = 65,
    ZMQ_HANDSHAKE_IVL = 66,
    ZMQ_SOCKS_PROXY = 68,
    ZMQ_XPUB_NODROP = 69,
    ZMQ_BLOCKY = 70,
    ZMQ_XPUB_MANUAL = 71,
    ZMQ_XPUB_WELCOME_MSG = 72,
    ZMQ_STREAM_NOTIFY = 73,
    ZMQ_INVERT_MATCHING = 74,
    ZMQ_HEARTBEAT_IVL = 75,
    ZMQ_HEARTBEAT_TTL = 76,
    ZMQ_HEARTBEAT_TIMEOUT = 77,
    ZMQ_XPUB_VERBOSER = 78,
    ZMQ_CONNECT_TIMEOUT = 79,
    ZMQ_TCP_MAXRT = 80,
    ZMQ_THREAD_SAFE = 81,
    ZMQ_MULTICAST_MAXTPDU = 84,
    ZMQ_VMCI_BUFFER_SIZE = 85,
    ZMQ_VMCI_BUFFER_MIN_SIZE = 86,
    ZMQ_VMCI_BUFFER_MAX_SIZE = 87,
    ZMQ_VMCI_CONNECT_TIMEOUT = 88,
    ZMQ_USE_FD = 89,
    ZMQ_GSSAPI_PRINCIPAL_NAMETYPE = 90,
    ZMQ_GSSAPI_SERVICE_PRINCIPAL_NAMETYPE = 91,
    ZMQ_BINDTODEVICE = 92,
    // Deprecated aliases and options.
    ZMQ_IDENTITY = ZMQ_ROUTING_ID,
    ZMQ_CONNECT_RID = ZMQ_CONNECT_ROUTING_ID,
    ZMQ_TCP_ACCEPT_FILTER = 38,
    ZMQ_IPC_FILTER_PID = 58,
    ZMQ_IPC_FILTER_UID = 59,
    ZMQ_IPC_FILTER_GID = 60,
    ZMQ_IPV4ONLY = 31,
    ZMQ_DELAY_ATTACH_ON_CONNECT = ZMQ_IMMEDIATE,
    ZMQ_FAIL_UNROUTABLE = ZMQ_ROUTER_MANDATORY,
    ZMQ_ROUTER_BEHAVIOR = ZMQ_ROUTER_MANDATORY,
}}

constants! { MISC_CONSTANTS: c_int {
    // Message options.
    ZMQ_MORE = 1,
    ZMQ_SRCFD = 2,
    ZMQ_SHARED = 3,
    // Send/recv options.
    ZMQ_DONTWAIT = 1,
    ZMQ_SNDMORE = 2,
    ZMQ_NOBLOCK = ZMQ_DONTWAIT,
    // Security mechanisms.
    ZMQ_NULL = 0,
    ZMQ_PLAIN = 1,
    ZMQ_CURVE = 2,
    ZMQ_GSSAPI = 3,
    ZMQ_GROUP_MAX_LENGTH = 255,
    // GSSAPI principal name types.
    ZMQ_GSSAPI_NT_HOSTBASED = 0,
    ZMQ_GSSAPI_NT_USER_NAME = 1,
    ZMQ_GSSAPI_NT_KRB5_PRINCIPAL = 2,
    // Polling.
    ZMQ_POLLIN = 1,
    ZMQ_POLLOUT = 2,
    ZMQ_POLLERR = 4,
    ZMQ_POLLPRI = 8,
    ZMQ_POLLITEMS_DFLT = 16,
    ZMQ_HAS_CAPABILITIES = 1,
    // Devices.
    ZMQ_STREAMER = 1,
    ZMQ_FORWARDER = 2,
    ZMQ_QUEUE = 3,
}}

constants! { EVENT_CONSTANTS: c_int {
    ZMQ_EVENT_CONNECTED = 0x0001,
    ZMQ_EVENT_CONNECT_DELAYED = 0x0002,
    ZMQ_EVENT_CONNECT_RETRIED = 0x0004,
    ZMQ_EVENT_LISTENING = 0x0008,
    ZMQ_EVENT_BIND_FAILED = 0x0010,
    ZMQ_EVENT_ACCEPTED = 0x0020,
    ZMQ_EVENT_ACCEPT_FAILED = 0x0040,
    ZMQ_EVENT_CLOSED = 0x0080,
    ZMQ_EVENT_CLOSE_FAILED = 0x0100,
    ZMQ_EVENT_DISCONNECTED = 0x0200,
    ZMQ_EVENT_MONITOR_STOPPED = 0x0400,
    ZMQ_EVENT_ALL = 0xFFFF,
    ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL = 0x0800,
    ZMQ_EVENT_HANDSHAKE_SUCCEEDED = 0x1000,
    ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL = 0x2000,
    ZMQ_EVENT_HANDSHAKE_FAILED_AUTH = 0x4000,
    ZMQ_PROTOCOL_ERROR_ZMTP_UNSPECIFIED = 0x10000000,
    ZMQ_PROTOCOL_ERROR_ZMTP_UNEXPECTED_COMMAND = 0x10000001,
    ZMQ_PROTOCOL_ERROR_ZMTP_INVALID_SEQUENCE = 0x10000002,
    ZMQ_PROTOCOL_ERROR_ZMTP_KEY_EXCHANGE = 0x10000003,
    ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_UNSPECIFIED = 0x10000011,
    ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_MESSAGE = 0x10000012,
    ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_HELLO = 0x10000013,
    ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_INITIATE = 0x10000014,
    ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_ERROR = 0x10000015,
    ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_READY = 0x10000016,
    ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_WELCOME = 0x10000017,
    ZMQ_PROTOCOL_ERROR_ZMTP_INVALID_METADATA = 0x10000018,
    ZMQ_PROTOCOL_ERROR_ZMTP_CRYPTOGRAPHIC = 0x11000001,
    ZMQ_PROTOCOL_ERROR_ZMTP_MECHANISM_MISMATCH = 0x11000002,
    ZMQ_PROTOCOL_ERROR_ZAP_UNSPECIFIED = 0x20000000,
    ZMQ_PROTOCOL_ERROR_ZAP_MALFORMED_REPLY = 0x20000001,
    ZMQ_PROTOCOL_ERROR_ZAP_BAD_REQUEST_ID = 0x20000002,
    ZMQ_PROTOCOL_ERROR_ZAP_BAD_VERSION = 0x20000003,
    ZMQ_PROTOCOL_ERROR_ZAP_INVALID_STATUS_CODE = 0x20000004,
    ZMQ_PROTOCOL_ERROR_ZAP_INVALID_METADATA = 0x20000005,
    ZMQ_PROTOCOL_ERROR_WS_UNSPECIFIED = 0x30000000,
}}

functions! { stable_functions {
    // Errors and version.
    pub fn zmq_errno() -> c_int;
    pub fn zmq_strerror(errnum: c_int) -> *const c_char;
    pub fn zmq_version(major: *mut c_int, minor: *mut c_int, patch: *mut c_int);
    // Contexts.
    pub fn zmq_ctx_new() -> *mut c_void;
    pub fn zmq_ctx_term(context: *mut c_void) -> c_int;
    pub fn zmq_ctx_shutdown(context: *mut c_void) -> c_int;
    pub fn zmq_ctx_set(context: *mut c_void, option: c_int, optval: c_int) -> c_int;
    pub fn zmq_ctx_get(context: *mut c_void, option: c_int) -> c_int;
    pub fn zmq_init(io_threads: c_int) -> *mut c_void;
    pub fn zmq_term(context: *mut c_void) -> c_int;
    pub fn zmq_ctx_destroy(context: *mut c_void) -> c_int;
    // Messages.
    pub fn zmq_msg_init(msg: *mut zmq_msg_t) -> c_int;
    pub fn zmq_msg_init_size(msg: *mut zmq_msg_t, size: size_t) -> c_int;
    pub fn zmq_msg_init_data(
        msg: *mut zmq_msg_t,
        data: *mut c_void,
        size: size_t,
        ffn: Option<zmq_free_fn>,
        hint: *mut c_void,
    ) -> c_int;
    pub fn zmq_msg_send(msg: *mut zmq_msg_t, s: *mut c_void, flags: c_int) -> c_int;
    pub fn zmq_msg_recv(msg: *mut zmq_msg_t, s: *mut c_void, flags: c_int) -> c_int;
    pub fn zmq_msg_close(msg: *mut zmq_msg_t) -> c_int;
    pub fn zmq_msg_move(dest: *mut zmq_msg_t, src: *mut zmq_msg_t) -> c_int;
    pub fn zmq_msg_copy(dest: *mut zmq_msg_t, src: *mut zmq_msg_t) -> c_int;
    pub fn zmq_msg_data(msg: *mut zmq_msg_t) -> *mut c_void;
    pub fn zmq_msg_size(msg: *const zmq_msg_t) -> size_t;
    pub fn zmq_msg_more(msg: *const zmq_msg_t) -> c_int;
    pub fn zmq_msg_get(msg: *const zmq_msg_t, property: c_int) -> c_int;
    pub fn zmq_msg_set(msg: *mut zmq_msg_t, property: c_int, optval: c_int) -> c_int;
    pub fn zmq_msg_gets(msg: *const zmq_msg_t, property: *const c_char) -> *const c_char;
    // Sockets.
    pub fn zmq_socket(context: *mut c_void, type_: c_int) -> *mut c_void;
    pub fn zmq_close(s: *mut c_void) -> c_int;
    pub fn zmq_setsockopt(s: *mut c_void, option: c_int, optval: *const c_void, optvallen: size_t) -> c_int;
    pub fn zmq_getsockopt(s: *mut c_void, option: c_int, optval: *mut c_void, optvallen: *mut size_t) -> c_int;
    pub fn zmq_bind(s: *mut c_void, addr: *const c_char) -> c_int;
    pub fn zmq_connect(s: *mut c_void, addr: *const c_char) -> c_int;
    pub fn zmq_unbind(s: *mut c_void, addr: *const c_char) -> c_int;
    pub fn zmq_disconnect(s: *mut c_void, addr: *const c_char) -> c_int;
    pub fn zmq_send(s: *mut c_void, buf: *const c_void, len: size_t, flags: c_int) -> c_int;
    pub fn zmq_send_const(s: *mut c_void, buf: *const c_void, len: size_t, flags: c_int) -> c_int;
    pub fn zmq_recv(s: *mut c_void, buf: *mut c_void, len: size_t, flags: c_int) -> c_int;
    pub fn zmq_socket_monitor(s: *mut c_void, addr: *const c_char, events: c_int) -> c_int;
    // Polling, proxies, devices.
    pub fn zmq_poll(items: *mut zmq_pollitem_t, nitems: c_int, timeout: c_long) -> c_int;
    pub fn zmq_proxy(frontend: *mut c_void, backend: *mut c_void, capture: *mut c_void) -> c_int;
    pub fn zmq_proxy_steerable(
        frontend: *mut c_void,
        backend: *mut c_void,
        capture: *mut c_void,
        control: *mut c_void,
    ) -> c_int;
    pub fn zmq_has(capability: *const c_char) -> c_int;
    pub fn zmq_device(type_: c_int, frontend: *mut c_void, backend: *mut c_void) -> c_int;
    pub fn zmq_sendmsg(s: *mut c_void, msg: *mut zmq_msg_t, flags: c_int) -> c_int;
    pub fn zmq_recvmsg(s: *mut c_void, msg: *mut zmq_msg_t, flags: c_int) -> c_int;
    pub fn zmq_sendiov(s: *mut c_void, iov: *mut libc::iovec, count: size_t, flags: c_int) -> c_int;
    pub fn zmq_recviov(s: *mut c_void, iov: *mut libc::iovec, count: *mut size_t, flags: c_int) -> c_int;
    // Encryption and Z85.
    pub fn zmq_z85_encode(dest: *mut c_char, data: *const u8, size: size_t) -> *mut c_char;
    pub fn zmq_z85_decode(dest: *mut u8, string: *const c_char) -> *mut u8;
    pub fn zmq_curve_keypair(z85_public_key: *mut c_char, z85_secret_key: *mut c_char) -> c_int;
    pub fn zmq_curve_public(z85_public_key: *mut c_char, z85_secret_key: *const c_char) -> c_int;
    // Atomic counters.
    pub fn zmq_atomic_counter_new() -> *mut c_void;
    pub fn zmq_atomic_counter_set(counter: *mut c_void, value: c_int);
    pub fn zmq_atomic_counter_inc(counter: *mut c_void) -> c_int;
    pub fn zmq_atomic_counter_dec(counter: *mut c_void) -> c_int;
    pub fn zmq_atomic_counter_value(counter: *mut c_void) -> c_int;
    pub fn zmq_atomic_counter_destroy(counter_p: *mut *mut c_void);
    // Timers.
    pub fn zmq_timers_new() -> *mut c_void;
    pub fn zmq_timers_destroy(timers_p: *mut *mut c_void) -> c_int;
    pub fn zmq_timers_add(timers: *mut c_void, interval: size_t, handler: zmq_timer_fn, arg: *mut c_void) -> c_int;
    pub fn zmq_timers_cancel(timers: *mut c_void, timer_id: c_int) -> c_int;
    pub fn zmq_timers_set_interval(timers: *mut c_void, timer_id: c_int, interval: size_t) -> c_int;
    pub fn zmq_timers_reset(timers: *mut c_void, timer_id: c_int) -> c_int;
    pub fn zmq_timers_timeout(timers: *mut c_void) -> c_long;
    pub fn zmq_timers_execute(timers: *mut c_void) -> c_int;
    // Utilities (zmq_utils.h, now part of zmq.h).
    pub fn zmq_stopwatch_start() -> *mut c_void;
    pub fn zmq_stopwatch_intermediate(watch: *mut c_void) -> c_ulong;
    pub fn zmq_stopwatch_stop(watch: *mut c_void) -> c_ulong;
    pub fn zmq_sleep(seconds: c_int);
    pub fn zmq_threadstart(func: zmq_thread_fn, arg: *mut c_void) -> *mut c_void;
    pub fn zmq_threadclose(thread: *mut c_void);
}}

/// The draft API: present only when libzmq was built with
/// `ZMQ_BUILD_DRAFT_API` (feature `draft`).
#[cfg(feature = "draft")]
mod draft {
    use super::*;

    constants! { DRAFT_CONSTANTS: c_int {
        ZMQ_SERVER = 12,
        ZMQ_CLIENT = 13,
        ZMQ_RADIO = 14,
        ZMQ_DISH = 15,
        ZMQ_GATHER = 16,
        ZMQ_SCATTER = 17,
        ZMQ_DGRAM = 18,
        ZMQ_PEER = 19,
        ZMQ_CHANNEL = 20,
        ZMQ_ZAP_ENFORCE_DOMAIN = 93,
        ZMQ_LOOPBACK_FASTPATH = 94,
        ZMQ_METADATA = 95,
        ZMQ_MULTICAST_LOOP = 96,
        ZMQ_ROUTER_NOTIFY = 97,
        ZMQ_XPUB_MANUAL_LAST_VALUE = 98,
        ZMQ_SOCKS_USERNAME = 99,
        ZMQ_SOCKS_PASSWORD = 100,
        ZMQ_IN_BATCH_SIZE = 101,
        ZMQ_OUT_BATCH_SIZE = 102,
        ZMQ_WSS_KEY_PEM = 103,
        ZMQ_WSS_CERT_PEM = 104,
        ZMQ_WSS_TRUST_PEM = 105,
        ZMQ_WSS_HOSTNAME = 106,
        ZMQ_WSS_TRUST_SYSTEM = 107,
        ZMQ_ONLY_FIRST_SUBSCRIBE = 108,
        ZMQ_RECONNECT_STOP = 109,
        ZMQ_HELLO_MSG = 110,
        ZMQ_DISCONNECT_MSG = 111,
        ZMQ_PRIORITY = 112,
        ZMQ_BUSY_POLL = 113,
        ZMQ_HICCUP_MSG = 114,
        ZMQ_XSUB_VERBOSE_UNSUBSCRIBE = 115,
        ZMQ_TOPICS_COUNT = 116,
        ZMQ_NORM_MODE = 117,
        ZMQ_NORM_UNICAST_NACK = 118,
        ZMQ_NORM_BUFFER_SIZE = 119,
        ZMQ_NORM_SEGMENT_SIZE = 120,
        ZMQ_NORM_BLOCK_SIZE = 121,
        ZMQ_NORM_NUM_PARITY = 122,
        ZMQ_NORM_NUM_AUTOPARITY = 123,
        ZMQ_NORM_PUSH = 124,
        ZMQ_NORM_FIXED = 0,
        ZMQ_NORM_CC = 1,
        ZMQ_NORM_CCL = 2,
        ZMQ_NORM_CCE = 3,
        ZMQ_NORM_CCE_ECNONLY = 4,
        ZMQ_RECONNECT_STOP_CONN_REFUSED = 0x1,
        ZMQ_RECONNECT_STOP_HANDSHAKE_FAILED = 0x2,
        ZMQ_RECONNECT_STOP_AFTER_DISCONNECT = 0x4,
        ZMQ_ZERO_COPY_RECV = 10,
        ZMQ_NOTIFY_CONNECT = 1,
        ZMQ_NOTIFY_DISCONNECT = 2,
        ZMQ_EVENT_PIPES_STATS = 0x10000,
        ZMQ_CURRENT_EVENT_VERSION = 1,
        ZMQ_CURRENT_EVENT_VERSION_DRAFT = 2,
        ZMQ_EVENT_ALL_V1 = ZMQ_EVENT_ALL,
        ZMQ_EVENT_ALL_V2 = ZMQ_EVENT_ALL_V1 | ZMQ_EVENT_PIPES_STATS,
    }}

    /// Message property names (`zmq_msg_gets`), NUL-terminated.
    pub const ZMQ_MSG_PROPERTY_ROUTING_ID: &[u8] = b"Routing-Id\0";
    pub const ZMQ_MSG_PROPERTY_SOCKET_TYPE: &[u8] = b"Socket-Type\0";
    pub const ZMQ_MSG_PROPERTY_USER_ID: &[u8] = b"User-Id\0";
    pub const ZMQ_MSG_PROPERTY_PEER_ADDRESS: &[u8] = b"Peer-Address\0";

    functions! { draft_functions {
        pub fn zmq_ctx_set_ext(context: *mut c_void, option: c_int, optval: *const c_void, optvallen: size_t) -> c_int;
        pub fn zmq_ctx_get_ext(context: *mut c_void, option: c_int, optval: *mut c_void, optvallen: *mut size_t) -> c_int;
        pub fn zmq_join(s: *mut c_void, group: *const c_char) -> c_int;
        pub fn zmq_leave(s: *mut c_void, group: *const c_char) -> c_int;
        pub fn zmq_connect_peer(s: *mut c_void, addr: *const c_char) -> u32;
        pub fn zmq_msg_set_routing_id(msg: *mut zmq_msg_t, routing_id: u32) -> c_int;
        pub fn zmq_msg_routing_id(msg: *mut zmq_msg_t) -> u32;
        pub fn zmq_msg_set_group(msg: *mut zmq_msg_t, group: *const c_char) -> c_int;
        pub fn zmq_msg_group(msg: *mut zmq_msg_t) -> *const c_char;
        pub fn zmq_msg_init_buffer(msg: *mut zmq_msg_t, buf: *const c_void, size: size_t) -> c_int;
        pub fn zmq_poller_new() -> *mut c_void;
        pub fn zmq_poller_destroy(poller_p: *mut *mut c_void) -> c_int;
        pub fn zmq_poller_size(poller: *mut c_void) -> c_int;
        pub fn zmq_poller_add(poller: *mut c_void, socket: *mut c_void, user_data: *mut c_void, events: c_short) -> c_int;
        pub fn zmq_poller_modify(poller: *mut c_void, socket: *mut c_void, events: c_short) -> c_int;
        pub fn zmq_poller_remove(poller: *mut c_void, socket: *mut c_void) -> c_int;
        pub fn zmq_poller_wait(poller: *mut c_void, event: *mut zmq_poller_event_t, timeout: c_long) -> c_int;
        pub fn zmq_poller_wait_all(poller: *mut c_void, events: *mut zmq_poller_event_t, n_events: c_int, timeout: c_long) -> c_int;
        pub fn zmq_poller_fd(poller: *mut c_void, fd: *mut zmq_fd_t) -> c_int;
        pub fn zmq_poller_add_fd(poller: *mut c_void, fd: zmq_fd_t, user_data: *mut c_void, events: c_short) -> c_int;
        pub fn zmq_poller_modify_fd(poller: *mut c_void, fd: zmq_fd_t, events: c_short) -> c_int;
        pub fn zmq_poller_remove_fd(poller: *mut c_void, fd: zmq_fd_t) -> c_int;
        pub fn zmq_socket_get_peer_state(socket: *mut c_void, routing_id: *const c_void, routing_id_size: size_t) -> c_int;
        pub fn zmq_socket_monitor_versioned(s: *mut c_void, addr: *const c_char, events: u64, event_version: c_int, type_: c_int) -> c_int;
        pub fn zmq_socket_monitor_pipes_stats(s: *mut c_void) -> c_int;
    }}

    #[cfg(not(windows))]
    extern "C-unwind" {
        pub fn zmq_ppoll(
            items: *mut zmq_pollitem_t,
            nitems: c_int,
            timeout: c_long,
            sigmask: *const libc::sigset_t,
        ) -> c_int;
    }
    #[cfg(windows)]
    extern "C-unwind" {
        pub fn zmq_ppoll(
            items: *mut zmq_pollitem_t,
            nitems: c_int,
            timeout: c_long,
            sigmask: *const c_void,
        ) -> c_int;
    }
}
#[cfg(feature = "draft")]
pub use draft::*;

#[cfg(test)]
mod tests;
