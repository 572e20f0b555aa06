//! Devices in background threads and the monitored queue
//! (`zmq.devices`): [`ThreadDevice`], [`ThreadProxy`],
//! [`ThreadProxySteerable`], [`ThreadMonitoredQueue`], [`monitored_queue`].
//!
//! ```
//! use std::time::Duration;
//!
//! let ctx = zmq::Context::new();
//! let mut dev = zmq::devices::ThreadDevice::new(zmq::STREAMER, zmq::PULL, zmq::PUSH);
//! dev.set_context(&ctx);
//! dev.bind_in("inproc://dev-in");
//! dev.bind_out("inproc://dev-out");
//! dev.start()?;
//!
//! let push = ctx.socket(zmq::PUSH)?;
//! push.connect("inproc://dev-in")?;
//! let pull = ctx.socket(zmq::PULL)?;
//! pull.connect("inproc://dev-out")?;
//! pull.set_rcvtimeo(5000)?;
//! push.send("through the device", 0)?;
//! assert_eq!(pull.recv_string(0)?, "through the device");
//!
//! drop((push, pull));
//! ctx.destroy(Some(0))?; // the device sees the context end and stops
//! dev.join_timeout(Duration::from_secs(5))?;
//! # Ok::<(), zmq::Error>(())
//! ```

use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use libc::c_int;

use crate::error::{Error, Result};
use crate::sockopt::{OptionValue, SocketOption, Writable};
use crate::{Context, DeviceType, Message, PollEvents, Poller, Socket, SocketType, SNDMORE};

/// Relays messages between `in_socket` and `out_socket` in both directions,
/// sending a copy of each to `mon_socket` prefixed by `in_prefix` (for
/// messages from `in_socket`) or `out_prefix` (pyzmq's
/// `zmq.devices.monitored_queue(i, o, m, b"in", b"out")`). When both relay
/// sockets are ROUTERs, the first two parts (the routing ids) are swapped so
/// replies find their way back. Runs until the context is terminated:
/// [`Error::ContextTerminated`] is its normal end.
pub fn monitored_queue(
    in_socket: &Socket,
    out_socket: &Socket,
    mon_socket: &Socket,
    in_prefix: &[u8],
    out_prefix: &[u8],
) -> Result<()> {
    let swap_ids = in_socket.socket_type() == SocketType::ROUTER
        && out_socket.socket_type() == SocketType::ROUTER;
    let mut poller = Poller::new();
    poller.register(in_socket, PollEvents::POLLIN);
    poller.register(out_socket, PollEvents::POLLIN);
    loop {
        let ready = poller.poll(-1)?;
        if ready.contains(in_socket) {
            relay(in_socket, out_socket, mon_socket, in_prefix, swap_ids)?;
        }
        if ready.contains(out_socket) {
            relay(out_socket, in_socket, mon_socket, out_prefix, swap_ids)?;
        }
    }
}

fn relay(from: &Socket, to: &Socket, mon: &Socket, prefix: &[u8], swap_ids: bool) -> Result<()> {
    let mut parts: Vec<Message> = from.recv_multipart_msg(0)?;
    if swap_ids && parts.len() >= 2 {
        parts.swap(0, 1);
    }
    mon.send(prefix, SNDMORE)?;
    let last = parts.len().saturating_sub(1);
    for (i, part) in parts.iter().enumerate() {
        mon.send(part.as_bytes(), if i == last { 0 } else { SNDMORE.bits() })?;
    }
    to.send_multipart(parts, 0)
}

/// How one side's socket is set up before the device runs.
#[derive(Debug, Clone)]
struct Side {
    socket_type: SocketType,
    binds: Vec<String>,
    connects: Vec<String>,
    options: Vec<(c_int, Vec<u8>)>,
}

impl Side {
    fn new(socket_type: SocketType) -> Side {
        Side {
            socket_type,
            binds: Vec::new(),
            connects: Vec::new(),
            options: Vec::new(),
        }
    }

    fn make(&self, ctx: &Context) -> Result<Socket> {
        let socket = ctx.socket(self.socket_type)?;
        for (id, value) in &self.options {
            socket.set_raw_bytes(*id, value)?;
        }
        for endpoint in &self.binds {
            socket.bind(endpoint)?;
        }
        for endpoint in &self.connects {
            socket.connect(endpoint)?;
        }
        Ok(socket)
    }
}

#[derive(Debug, Clone)]
enum Kind {
    Device(DeviceType),
    Proxy,
    Steerable,
    MonitoredQueue {
        in_prefix: Vec<u8>,
        out_prefix: Vec<u8>,
    },
}

/// What the four thread types share.
#[derive(Debug)]
struct Core {
    kind: Kind,
    input: Side,
    output: Side,
    mon: Option<Side>,
    ctrl: Option<Side>,
    context: Option<Context>,
    done: Option<mpsc::Receiver<Result<()>>>,
    finished: Option<Result<()>>,
}

impl Core {
    fn new(kind: Kind, in_type: SocketType, out_type: SocketType) -> Core {
        Core {
            kind,
            input: Side::new(in_type),
            output: Side::new(out_type),
            mon: None,
            ctrl: None,
            context: None,
            done: None,
            finished: None,
        }
    }

    fn start(&mut self) -> Result<()> {
        if self.done.is_some() || self.finished.is_some() {
            return Err(Error::InvalidArgument("the device was already started"));
        }
        let ctx = self.context.clone().unwrap_or_else(Context::instance);
        // Made here, so setup errors reach the caller; then moved (Socket is
        // Send) into the device's thread, which alone uses them.
        let ins = self.input.make(&ctx)?;
        let outs = self.output.make(&ctx)?;
        let mons = self.mon.as_ref().map(|side| side.make(&ctx)).transpose()?;
        let ctrls = self.ctrl.as_ref().map(|side| side.make(&ctx)).transpose()?;
        let kind = self.kind.clone();
        let (tx, rx) = mpsc::channel();
        thread::Builder::new()
            .name("zmq-device".into())
            .spawn(move || {
                let result = match (&kind, &mons, &ctrls) {
                    (Kind::Device(t), _, _) => crate::device(*t, &ins, &outs),
                    (Kind::Proxy, Some(m), _) => crate::proxy_capture(&ins, &outs, m),
                    (Kind::Proxy, None, _) => crate::proxy(&ins, &outs),
                    (Kind::Steerable, m, Some(c)) => {
                        crate::proxy_steerable(&ins, &outs, m.as_ref(), c)
                    }
                    (
                        Kind::MonitoredQueue {
                            in_prefix,
                            out_prefix,
                        },
                        Some(m),
                        _,
                    ) => monitored_queue(&ins, &outs, m, in_prefix, out_prefix),
                    _ => Err(Error::InvalidArgument("device is missing a socket")),
                };
                // A terminated context is how devices are meant to stop.
                let result = match result {
                    Err(Error::ContextTerminated) => Ok(()),
                    other => other,
                };
                drop((ins, outs, mons, ctrls));
                let _ = tx.send(result);
            })
            .map_err(|_| Error::Zmq {
                errno: libc::EAGAIN,
            })?;
        self.done = Some(rx);
        Ok(())
    }

    fn join(&mut self, timeout: Option<Duration>) -> Result<()> {
        if self.finished.is_none() {
            let Some(rx) = &self.done else {
                return Err(Error::InvalidArgument("the device was not started"));
            };
            let outcome = match timeout {
                Some(timeout) => rx.recv_timeout(timeout).map_err(|_| Error::NotDone)?,
                None => rx.recv().unwrap_or(Ok(())),
            };
            self.finished = Some(outcome);
            self.done = None;
        }
        match &self.finished {
            Some(Err(e)) => Err(Error::from_errno(e.errno())),
            _ => Ok(()),
        }
    }
}

fn reserve_random_port(addr: &str, taken: &[String]) -> Result<u16> {
    // As pyzmq: bind a throwaway socket to learn a free port, then release it
    // for the device to bind when it starts.
    let ctx = Context::new();
    for _ in 0..5 {
        let probe = ctx.socket(crate::PUSH)?;
        let port = probe.bind_to_random_port(addr)?;
        drop(probe);
        if !taken.iter().any(|a| *a == format!("{addr}:{port}")) {
            return Ok(port);
        }
    }
    Err(Error::BindRandomPort {
        addr: addr.to_string(),
        tries: 5,
    })
}

macro_rules! side_methods {
    ($side:ident, $bind:ident, $connect:ident, $setsockopt:ident, $random:ident, $what:literal) => {
        #[doc = concat!("Binds the ", $what, " socket to `endpoint` when the device starts.")]
        pub fn $bind(&mut self, endpoint: &str) {
            side_mut!(self, $side).binds.push(endpoint.to_string());
        }

        #[doc = concat!("Connects the ", $what, " socket to `endpoint` when the device starts.")]
        pub fn $connect(&mut self, endpoint: &str) {
            side_mut!(self, $side).connects.push(endpoint.to_string());
        }

        #[doc = concat!("Sets an option of the ", $what, " socket when the device starts.")]
        pub fn $setsockopt<K, A: Writable, V: OptionValue<K>>(&mut self, option: SocketOption<K, A>, value: V) {
            let bytes = value.encode().to_vec();
            side_mut!(self, $side).options.push((option.to_raw(), bytes));
        }

        #[doc = concat!("Picks a free port on `addr` for the ", $what, " socket to bind when the device starts, and returns it.")]
        pub fn $random(&mut self, addr: &str) -> Result<u16> {
            let taken: Vec<String> = [&self.core.input, &self.core.output]
                .into_iter()
                .chain(self.core.mon.as_ref())
                .chain(self.core.ctrl.as_ref())
                .flat_map(|side| side.binds.iter().cloned())
                .collect();
            let port = reserve_random_port(addr, &taken)?;
            self.$bind(&format!("{addr}:{port}"));
            Ok(port)
        }
    };
}

macro_rules! side_mut {
    ($self:ident, input) => {
        $self.core.input
    };
    ($self:ident, output) => {
        $self.core.output
    };
    ($self:ident, mon) => {
        $self
            .core
            .mon
            .get_or_insert_with(|| Side::new(SocketType::PUB))
    };
    ($self:ident, ctrl) => {
        $self
            .core
            .ctrl
            .get_or_insert_with(|| Side::new(SocketType::PAIR))
    };
}

macro_rules! common_methods {
    () => {
        side_methods!(
            input,
            bind_in,
            connect_in,
            setsockopt_in,
            bind_in_to_random_port,
            "in"
        );
        side_methods!(
            output,
            bind_out,
            connect_out,
            setsockopt_out,
            bind_out_to_random_port,
            "out"
        );

        /// The context to make the sockets in (pyzmq's `context_factory`);
        /// by default [`Context::instance`].
        pub fn set_context(&mut self, context: &Context) {
            self.core.context = Some(context.clone());
        }

        /// Makes, configures and binds/connects the sockets, then runs the
        /// device in a new thread until its context is terminated. Setup
        /// errors (a bind that fails, say) are returned here.
        pub fn start(&mut self) -> Result<()> {
            self.core.start()
        }

        /// Waits for the device's thread to end (`dev.join()`). A device
        /// ended by its context's termination gives `Ok`.
        pub fn join(&mut self) -> Result<()> {
            self.core.join(None)
        }

        /// Waits up to `timeout` for the device's thread to end
        /// (`dev.join(timeout)`); [`Error::NotDone`] if it is still running.
        pub fn join_timeout(&mut self, timeout: Duration) -> Result<()> {
            self.core.join(Some(timeout))
        }
    };
}

/// A device (`zmq.device`) in a background thread (pyzmq's
/// `zmq.devices.ThreadDevice(zmq.QUEUE, zmq.ROUTER, zmq.DEALER)`).
#[derive(Debug)]
pub struct ThreadDevice {
    core: Core,
}

impl ThreadDevice {
    /// A device of `device_type` between an `in_type` and an `out_type` socket.
    pub fn new(device_type: DeviceType, in_type: SocketType, out_type: SocketType) -> ThreadDevice {
        ThreadDevice {
            core: Core::new(Kind::Device(device_type), in_type, out_type),
        }
    }

    common_methods!();
}

/// [`proxy`](crate::proxy) in a background thread, with an optional capture
/// socket (pyzmq's `ThreadProxy(in_type, out_type, mon_type)`).
#[derive(Debug)]
pub struct ThreadProxy {
    core: Core,
}

impl ThreadProxy {
    /// A proxy between `in_type` and `out_type` sockets, copying every
    /// message to a `mon_type` socket.
    pub fn new(in_type: SocketType, out_type: SocketType, mon_type: SocketType) -> ThreadProxy {
        let mut core = Core::new(Kind::Proxy, in_type, out_type);
        core.mon = Some(Side::new(mon_type));
        ThreadProxy { core }
    }

    common_methods!();
    side_methods!(
        mon,
        bind_mon,
        connect_mon,
        setsockopt_mon,
        bind_mon_to_random_port,
        "monitor"
    );
}

/// [`proxy_steerable`](crate::proxy_steerable) in a background thread
/// (pyzmq's `ThreadProxySteerable(in_type, out_type, mon_type, ctrl_type)`).
#[derive(Debug)]
pub struct ThreadProxySteerable {
    core: Core,
}

impl ThreadProxySteerable {
    /// A steerable proxy; its control socket of `ctrl_type` takes `PAUSE`,
    /// `RESUME`, `TERMINATE` and `STATISTICS`.
    pub fn new(
        in_type: SocketType,
        out_type: SocketType,
        mon_type: SocketType,
        ctrl_type: SocketType,
    ) -> ThreadProxySteerable {
        let mut core = Core::new(Kind::Steerable, in_type, out_type);
        core.mon = Some(Side::new(mon_type));
        core.ctrl = Some(Side::new(ctrl_type));
        ThreadProxySteerable { core }
    }

    common_methods!();
    side_methods!(
        mon,
        bind_mon,
        connect_mon,
        setsockopt_mon,
        bind_mon_to_random_port,
        "monitor"
    );
    side_methods!(
        ctrl,
        bind_ctrl,
        connect_ctrl,
        setsockopt_ctrl,
        bind_ctrl_to_random_port,
        "control"
    );
}

/// [`monitored_queue`] in a background thread (pyzmq's
/// `ThreadMonitoredQueue(in_type, out_type, mon_type, in_prefix, out_prefix)`).
#[derive(Debug)]
pub struct ThreadMonitoredQueue {
    core: Core,
}

impl ThreadMonitoredQueue {
    /// A monitored queue; messages copied to the `mon_type` socket are
    /// prefixed with `in_prefix` or `out_prefix` by direction.
    pub fn new(
        in_type: SocketType,
        out_type: SocketType,
        mon_type: SocketType,
        in_prefix: &[u8],
        out_prefix: &[u8],
    ) -> ThreadMonitoredQueue {
        let kind = Kind::MonitoredQueue {
            in_prefix: in_prefix.to_vec(),
            out_prefix: out_prefix.to_vec(),
        };
        let mut core = Core::new(kind, in_type, out_type);
        core.mon = Some(Side::new(mon_type));
        ThreadMonitoredQueue { core }
    }

    common_methods!();
    side_methods!(
        mon,
        bind_mon,
        connect_mon,
        setsockopt_mon,
        bind_mon_to_random_port,
        "monitor"
    );
}
