//! What libzmq's own configure step switches on for Linux, seen from the
//! outside: the vendored build must behave like a libzmq built by CMake
//! (Debian's, pyzmq's wheel), and the system build passes these too.
//!
//! Each test looks at the operating system's view (socket options read back
//! with getsockopt, thread names in /proc, descriptors in /proc), not at
//! libzmq's answer about itself.
#![cfg(target_os = "linux")]

mod common;

use std::os::fd::RawFd;
use std::time::Duration;

use common::timeouts;

/// A REQ connected to a REP over tcp, one round trip done (so the
/// connection exists), and the port the REP listens on.
fn connected(ctx: &zmq::Context, setup: impl Fn(&zmq::Socket)) -> (zmq::Socket, zmq::Socket, u16) {
    let server = ctx.socket(zmq::REP).unwrap();
    timeouts(&server);
    let port = server.bind_to_random_port("tcp://127.0.0.1").unwrap();
    let client = ctx.socket(zmq::REQ).unwrap();
    timeouts(&client);
    setup(&client);
    client.connect(&format!("tcp://127.0.0.1:{port}")).unwrap();
    client.send("ping", 0).unwrap();
    assert_eq!(server.recv(0).unwrap(), b"ping");
    server.send("pong", 0).unwrap();
    assert_eq!(client.recv(0).unwrap(), b"pong");
    (server, client, port)
}

/// This process's open descriptors.
fn fds() -> Vec<RawFd> {
    std::fs::read_dir("/proc/self/fd")
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok())
        .collect()
}

/// The TCP socket of this process whose peer is 127.0.0.1:`port`.
fn tcp_socket_to(port: u16) -> RawFd {
    fds()
        .into_iter()
        .find(|&fd| {
            // SAFETY: getpeername writes at most `len` bytes into `addr`, a
            // live local of that size; a descriptor that is not a socket (or
            // has gone since it was listed) only makes it fail.
            unsafe {
                let mut addr: libc::sockaddr_in = std::mem::zeroed();
                let mut len = std::mem::size_of::<libc::sockaddr_in>() as libc::socklen_t;
                libc::getpeername(fd, (&mut addr as *mut libc::sockaddr_in).cast(), &mut len) == 0
                    && addr.sin_family == libc::AF_INET as libc::sa_family_t
                    && u16::from_be(addr.sin_port) == port
            }
        })
        .unwrap_or_else(|| panic!("no socket connected to port {port}"))
}

fn int_option(fd: RawFd, level: libc::c_int, name: libc::c_int) -> i32 {
    let mut value: libc::c_int = 0;
    let mut len = std::mem::size_of::<libc::c_int>() as libc::socklen_t;
    // SAFETY: getsockopt writes at most `len` bytes into `value`, a live
    // local c_int.
    let rc = unsafe {
        libc::getsockopt(
            fd,
            level,
            name,
            (&mut value as *mut libc::c_int).cast(),
            &mut len,
        )
    };
    assert_eq!(rc, 0, "getsockopt: {}", std::io::Error::last_os_error());
    value
}

/// TCP_KEEPALIVE and its three parameters reach the connection's socket.
/// Without libzmq's configure checks (ZMQ_HAVE_SO_KEEPALIVE and friends)
/// libzmq accepts the options and silently applies none of them.
#[test]
fn tcp_keepalive_options_reach_the_socket() {
    let ctx = zmq::Context::new();
    let (_server, _client, port) = connected(&ctx, |s| {
        s.set_tcp_keepalive(1).unwrap();
        s.set_tcp_keepalive_idle(71).unwrap();
        s.set_tcp_keepalive_cnt(7).unwrap();
        s.set_tcp_keepalive_intvl(13).unwrap();
    });
    let fd = tcp_socket_to(port);
    assert_eq!(int_option(fd, libc::SOL_SOCKET, libc::SO_KEEPALIVE), 1);
    assert_eq!(int_option(fd, libc::IPPROTO_TCP, libc::TCP_KEEPIDLE), 71);
    assert_eq!(int_option(fd, libc::IPPROTO_TCP, libc::TCP_KEEPCNT), 7);
    assert_eq!(int_option(fd, libc::IPPROTO_TCP, libc::TCP_KEEPINTVL), 13);
}

/// An interface name where an address goes (`tcp://lo:*`), as in pyzmq.
/// libzmq resolves names with getifaddrs (ZMQ_HAVE_IFADDRS); without it,
/// every name is "No such device".
#[test]
fn tcp_binds_to_an_interface_name() {
    let ctx = zmq::Context::new();
    let server = ctx.socket(zmq::PULL).unwrap();
    timeouts(&server);
    server.bind("tcp://lo:*").unwrap();
    let endpoint = server.last_endpoint().unwrap();
    assert!(endpoint.starts_with("tcp://127.0.0.1:"), "{endpoint}");
    let client = ctx.socket(zmq::PUSH).unwrap();
    timeouts(&client);
    client.connect(&endpoint).unwrap();
    client.send("via lo", 0).unwrap();
    assert_eq!(server.recv(0).unwrap(), b"via lo");
    let e = ctx
        .socket(zmq::PULL)
        .unwrap()
        .bind("tcp://no-such-if0:*")
        .unwrap_err();
    assert_eq!(e.errno(), libc::ENODEV, "{e}");
}

/// BINDTODEVICE binds the connection to the named interface
/// (SO_BINDTODEVICE, ZMQ_HAVE_SO_BINDTODEVICE).
#[test]
fn bindtodevice_reaches_the_socket() {
    let ctx = zmq::Context::new();
    let (_server, _client, port) = connected(&ctx, |s| s.set_bindtodevice("lo").unwrap());
    let fd = tcp_socket_to(port);
    let mut name = [0u8; libc::IFNAMSIZ];
    let mut len = name.len() as libc::socklen_t;
    // SAFETY: getsockopt writes at most `len` bytes into `name`, a live
    // local buffer of that size.
    let rc = unsafe {
        libc::getsockopt(
            fd,
            libc::SOL_SOCKET,
            libc::SO_BINDTODEVICE,
            name.as_mut_ptr().cast(),
            &mut len,
        )
    };
    assert_eq!(rc, 0, "getsockopt: {}", std::io::Error::last_os_error());
    let name = std::ffi::CStr::from_bytes_until_nul(&name).unwrap();
    assert_eq!(name.to_str().unwrap(), "lo");
}

/// libzmq names its threads ("ZMQbg/IO/0", "ZMQbg/Reaper") so they can be
/// told apart in top, perf and gdb (pthread_setname_np,
/// ZMQ_HAVE_PTHREAD_SETNAME_2).
#[test]
fn background_threads_are_named() {
    let ctx = zmq::Context::new();
    let _s = ctx.socket(zmq::PUB).unwrap(); // starts the context's threads
                                            // Each thread names itself as it starts: wait for them.
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        let names: Vec<String> = std::fs::read_dir("/proc/self/task")
            .unwrap()
            .filter_map(|t| std::fs::read_to_string(t.ok()?.path().join("comm")).ok())
            .map(|n| n.trim().to_string())
            .collect();
        if ["ZMQbg/IO/0", "ZMQbg/Reaper"]
            .iter()
            .all(|wanted| names.iter().any(|n| n == wanted))
        {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no ZMQbg/IO/0 and ZMQbg/Reaper in {names:?}"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// `ipc://*` makes a private directory (mkdtemp, mode 0700) holding the
/// socket, and removes both when the socket closes (HAVE_MKDTEMP; without
/// it libzmq leaves a bare socket file named tmpXXXXXX).
#[test]
fn ipc_wildcard_makes_a_private_directory() {
    use std::os::unix::fs::PermissionsExt;
    let ctx = zmq::Context::new();
    let s = ctx.socket(zmq::PULL).unwrap();
    s.set_linger(0).unwrap();
    s.bind("ipc://*").unwrap();
    let endpoint = s.last_endpoint().unwrap();
    let path = std::path::PathBuf::from(endpoint.strip_prefix("ipc://").unwrap());
    assert_eq!(path.file_name().unwrap(), "socket", "{endpoint}");
    let dir = path.parent().unwrap().to_path_buf();
    let mode = std::fs::metadata(&dir).unwrap().permissions().mode();
    assert!(mode & 0o777 == 0o700, "{}: mode {mode:o}", dir.display());
    s.close().unwrap();
    // The listener is closed by the I/O thread: wait for it.
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while dir.exists() {
        assert!(
            std::time::Instant::now() < deadline,
            "{} was left behind",
            dir.display()
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Mailboxes signal through an eventfd (ZMQ_HAVE_EVENTFD): one descriptor
/// per mailbox instead of a socket pair.
#[test]
fn mailboxes_use_eventfds() {
    let ctx = zmq::Context::new();
    let _s = ctx.socket(zmq::PUB).unwrap();
    let eventfds = fds()
        .into_iter()
        .filter(|fd| {
            std::fs::read_link(format!("/proc/self/fd/{fd}"))
                .is_ok_and(|l| l.to_string_lossy() == "anon_inode:[eventfd]")
        })
        .count();
    assert!(eventfds > 0, "no eventfd open");
}

/// No libzmq descriptor leaks into a child process: every socket is
/// close-on-exec.
#[test]
fn sockets_are_close_on_exec() {
    let ctx = zmq::Context::new();
    let (_server, _client, _port) = connected(&ctx, |_| {});
    for fd in fds() {
        // SAFETY: fstat writes into `st`, a live local; fcntl(F_GETFD)
        // only reads the descriptor's flags. A descriptor closed since it
        // was listed only makes them fail.
        unsafe {
            let mut st: libc::stat = std::mem::zeroed();
            if libc::fstat(fd, &mut st) != 0 || st.st_mode & libc::S_IFMT != libc::S_IFSOCK {
                continue;
            }
            let flags = libc::fcntl(fd, libc::F_GETFD);
            assert!(
                flags >= 0 && flags & libc::FD_CLOEXEC != 0,
                "socket {fd} is inherited by children"
            );
        }
    }
}
