//! Wire fidelity against peers we did not write: pyzmq from PyPI (its own
//! libzmq 4.3.5) and Debian's python3-zmq (the system libzmq 4.3.4, with
//! PGM). Every scenario runs both ways (the Rust side binds and Python
//! connects, then the reverse, each side playing the other role) over tcp
//! and ipc. The Python side is tests/interop/peer.py; each Rust role below
//! mirrors the Python one of the same name and prints the same lines, so the
//! checks do not care which side played what.
//!
//! Every test here is `#[ignore]`d, with the reason, since it needs both
//! peers: `cargo test` lists them as ignored; `cargo test --test interop --
//! --include-ignored` runs them and fails if a peer is missing. `.ci/run`
//! installs both and runs them.
mod auth;
#[path = "../common/mod.rs"]
mod common;
mod faults;
mod pgm;
mod roles;

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, OnceLock};
use std::thread;
use std::time::Duration;

/// How long a peer may take for anything.
const LIMIT: Duration = Duration::from_secs(60);

const PEER_SCRIPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/interop/peer.py");

/// A Python interpreter with a pyzmq we did not build.
#[derive(Clone, Debug)]
pub struct Peer {
    /// "PyPI pyzmq 27.3.0 (libzmq 4.3.5)" and the like.
    pub label: String,
    python: String,
    env: Vec<(String, String)>,
    pub has: Vec<String>,
}

impl Peer {
    /// Asks an interpreter which pyzmq it imports.
    fn probe(python: &str, env: &[(&str, &str)], debian: bool) -> Result<Peer, String> {
        let output = Command::new(python)
            .args([PEER_SCRIPT, "info", "-", "-"])
            .envs(env.iter().copied())
            .output()
            .map_err(|e| format!("{python}: {e}"))?;
        let stdout = String::from_utf8_lossy(&output.stdout);
        if !output.status.success() {
            return Err(format!(
                "{python}: {}",
                String::from_utf8_lossy(&output.stderr).trim()
            ));
        }
        let words: Vec<&str> = stdout.split_whitespace().collect();
        let field = |name: &str| {
            let i = words.iter().position(|w| *w == name)?;
            words.get(i + 1).copied()
        };
        let file = field("FILE").unwrap_or("");
        let from_debian = file.starts_with("/usr/lib/python3/dist-packages/");
        if from_debian != debian {
            return Err(format!("{python} imports pyzmq from {file}"));
        }
        let has_at = words
            .iter()
            .position(|w| *w == "HAS")
            .unwrap_or(words.len());
        Ok(Peer {
            label: format!(
                "{} pyzmq {} (libzmq {})",
                if debian { "Debian" } else { "PyPI" },
                field("PYZMQ").unwrap_or("?"),
                field("LIBZMQ").unwrap_or("?"),
            ),
            python: python.to_string(),
            env: env
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            has: words[has_at..]
                .iter()
                .skip(1)
                .map(|s| s.to_string())
                .collect(),
        })
    }

    pub fn has(&self, capability: &str) -> bool {
        self.has.iter().any(|c| c == capability)
    }

    /// Starts `peer.py` with these arguments.
    pub fn start(&self, args: &[&str]) -> Py {
        let mut child = Command::new(&self.python)
            .arg(PEER_SCRIPT)
            .args(args)
            .envs(self.env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", self.python));
        let (tx, lines) = mpsc::channel();
        let stdout = child.stdout.take().unwrap();
        thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let mut stderr = child.stderr.take().unwrap();
        let (etx, stderr_text) = mpsc::channel();
        thread::spawn(move || {
            let mut text = String::new();
            let _ = stderr.read_to_string(&mut text);
            let _ = etx.send(text);
        });
        Py {
            what: format!("{} peer.py {}", self.label, args.join(" ")),
            child,
            lines,
            seen: Vec::new(),
            stderr: stderr_text,
        }
    }
}

/// The two peers; both must be present (the tests run only when asked for).
pub fn peers() -> &'static [Peer] {
    static PEERS: OnceLock<Vec<Peer>> = OnceLock::new();
    PEERS.get_or_init(|| {
        let pypi_python = std::env::var("ZMQ_INTEROP_PYZMQ").unwrap_or("python3".into());
        let candidates = [
            Peer::probe(&pypi_python, &[], false),
            // Debian's python3 with Debian's python3-zmq first on the path,
            // whatever pip may have put in /usr/local.
            Peer::probe(
                "/usr/bin/python3",
                &[
                    ("PYTHONPATH", "/usr/lib/python3/dist-packages"),
                    ("PYTHONNOUSERSITE", "1"),
                ],
                true,
            ),
        ];
        let mut found = Vec::new();
        for (name, candidate) in ["pyzmq from PyPI", "Debian python3-zmq"]
            .iter()
            .zip(candidates)
        {
            match candidate {
                Ok(peer) => found.push(peer),
                // These tests are ignored unless asked for: a missing peer
                // is a failure, never a quiet pass.
                Err(why) => panic!(
                    "interop peer {name} is missing: {why}\n\
                     (install pyzmq in a venv and set ZMQ_INTEROP_PYZMQ to its python; \
                     apt-get install python3-zmq)"
                ),
            }
        }
        found
    })
}

/// A running `peer.py`; killed when dropped.
pub struct Py {
    what: String,
    child: Child,
    lines: mpsc::Receiver<String>,
    seen: Vec<String>,
    stderr: mpsc::Receiver<String>,
}

impl Py {
    /// The next line starting with `prefix` (earlier lines are kept).
    pub fn line(&mut self, prefix: &str) -> String {
        loop {
            match self.lines.recv_timeout(LIMIT) {
                Ok(line) => {
                    self.seen.push(line.clone());
                    if let Some(rest) = line.strip_prefix(prefix) {
                        return rest.trim().to_string();
                    }
                }
                Err(_) => {
                    let _ = self.child.kill();
                    let stderr = self.stderr.recv_timeout(LIMIT).unwrap_or_default();
                    panic!(
                        "{}: no line {prefix:?}; saw {:?}\n{stderr}",
                        self.what, self.seen
                    );
                }
            }
        }
    }

    /// Waits for a successful exit; every line it printed.
    pub fn finish(mut self) -> Vec<String> {
        let mut lines = std::mem::take(&mut self.seen);
        loop {
            match self.lines.recv_timeout(LIMIT) {
                Ok(line) => lines.push(line),
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    let _ = self.child.kill();
                    panic!("{} did not finish: {lines:?}", self.what);
                }
            }
        }
        let status = self.child.wait().expect("wait");
        let stderr = self.stderr.recv_timeout(LIMIT).unwrap_or_default();
        assert!(
            status.success(),
            "{} failed: {lines:?}\n{stderr}",
            self.what
        );
        lines
    }

    /// Stops a peer that runs until told (a publisher); its lines so far.
    pub fn stop(mut self) -> Vec<String> {
        let _ = self.child.kill();
        let _ = self.child.wait();
        while let Ok(line) = self.lines.try_recv() {
            self.seen.push(line);
        }
        std::mem::take(&mut self.seen)
    }
}

impl Drop for Py {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Where a server binds: a tcp wildcard port or a fresh ipc path.
pub fn bind_endpoint(transport: &str) -> String {
    static N: AtomicUsize = AtomicUsize::new(0);
    match transport {
        "tcp" => "tcp://127.0.0.1:*".into(),
        "ipc" => format!(
            "ipc://{}/zmq-interop-{}-{}.sock",
            std::env::temp_dir().display(),
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ),
        other => panic!("transport {other}"),
    }
}

/// Who binds: the Rust side or the Python side.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Direction {
    RustBinds,
    PythonBinds,
}

/// The server role of one scenario, running on either side.
pub struct Server {
    what: String,
    side: ServerSide,
}

enum ServerSide {
    Rust {
        announced: mpsc::Receiver<String>,
        stop: Arc<AtomicBool>,
        handle: thread::JoinHandle<Result<Vec<String>, String>>,
    },
    Python(Py),
}

impl Server {
    /// Starts the server role (`RustBinds`: in a Rust thread, otherwise in
    /// `peer`) bound to a fresh endpoint of `transport`.
    pub fn start(
        peer: &Peer,
        scenario: &str,
        direction: Direction,
        transport: &str,
        args: &[&str],
    ) -> Server {
        let what = format!("{scenario} over {transport}, {direction:?}, {}", peer.label);
        let endpoint = bind_endpoint(transport);
        let side = match direction {
            Direction::RustBinds => {
                let stop = Arc::new(AtomicBool::new(false));
                let (tx, announced) = mpsc::channel();
                let (scenario, flag) = (scenario.to_string(), stop.clone());
                let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
                let handle = thread::spawn(move || {
                    roles::run(&scenario, roles::Role::Server(tx), &endpoint, &args, &flag)
                });
                ServerSide::Rust {
                    announced,
                    stop,
                    handle,
                }
            }
            Direction::PythonBinds => {
                let mut all = vec![scenario, "server", &endpoint];
                all.extend(args);
                ServerSide::Python(peer.start(&all))
            }
        };
        Server { what, side }
    }

    /// The value of the next announced line starting with `prefix`
    /// ("ENDPOINT", "KEY").
    pub fn line(&mut self, prefix: &str) -> String {
        match &mut self.side {
            ServerSide::Python(py) => py.line(prefix),
            ServerSide::Rust { announced, .. } => loop {
                let line = announced
                    .recv_timeout(LIMIT)
                    .unwrap_or_else(|_| panic!("{}: no {prefix} from Rust", self.what));
                if let Some(rest) = line.strip_prefix(prefix) {
                    return rest.trim().to_string();
                }
            },
        }
    }

    /// Waits for the server to finish; what it printed.
    pub fn finish(self) -> Vec<String> {
        match self.side {
            ServerSide::Python(py) => py.finish(),
            ServerSide::Rust { handle, .. } => join(handle, &self.what),
        }
    }

    /// Stops a server that runs until told (a publisher).
    pub fn stop(self) -> Vec<String> {
        match self.side {
            ServerSide::Python(py) => py.stop(),
            ServerSide::Rust { handle, stop, .. } => {
                stop.store(true, Ordering::SeqCst);
                join(handle, &self.what)
            }
        }
    }
}

/// Runs the client role to its end on the side that did not bind.
pub fn client(
    peer: &Peer,
    scenario: &str,
    direction: Direction,
    endpoint: &str,
    args: &[&str],
) -> Vec<String> {
    match direction {
        Direction::PythonBinds => {
            let what = format!("{scenario} client (Rust) of {}", peer.label);
            let (scenario, endpoint) = (scenario.to_string(), endpoint.to_string());
            let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
            let handle = thread::spawn(move || {
                let stop = AtomicBool::new(false);
                roles::run(&scenario, roles::Role::Client, &endpoint, &args, &stop)
            });
            join(handle, &what)
        }
        Direction::RustBinds => {
            let mut all = vec![scenario, "client", endpoint];
            all.extend(args);
            peer.start(&all).finish()
        }
    }
}

/// What both sides printed in one exchange.
#[derive(Debug)]
pub struct Exchange {
    pub server: Vec<String>,
    pub client: Vec<String>,
}

impl Exchange {
    pub fn server_has(&self, line: &str) -> bool {
        self.server.iter().any(|l| l == line)
    }
    pub fn client_has(&self, line: &str) -> bool {
        self.client.iter().any(|l| l == line)
    }
}

/// Runs `scenario` once: the server role on one side, the client role on
/// the other. `endless` servers (publishers) are stopped once the client is
/// done.
pub fn exchange(
    peer: &Peer,
    scenario: &str,
    direction: Direction,
    transport: &str,
    client_args: &[&str],
    endless: bool,
) -> Exchange {
    let mut server = Server::start(peer, scenario, direction, transport, &[]);
    let endpoint = server.line("ENDPOINT");
    let client = client(peer, scenario, direction, &endpoint, client_args);
    let server = if endless {
        server.stop()
    } else {
        server.finish()
    };
    Exchange { server, client }
}

/// Joins a Rust role's thread (at most `LIMIT`), failing on its error.
pub fn join(handle: thread::JoinHandle<Result<Vec<String>, String>>, what: &str) -> Vec<String> {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let _ = tx.send(handle.join());
    });
    match rx.recv_timeout(LIMIT) {
        Ok(Ok(Ok(lines))) => lines,
        Ok(Ok(Err(e))) => panic!("{what}: the Rust side failed: {e}"),
        Ok(Err(_)) => panic!("{what}: the Rust side panicked"),
        Err(_) => panic!("{what}: the Rust side still running after {LIMIT:?}"),
    }
}

/// Every peer × both directions × tcp and ipc.
pub fn each_way(mut body: impl FnMut(&Peer, Direction, &str)) {
    for peer in peers() {
        for direction in [Direction::RustBinds, Direction::PythonBinds] {
            for transport in ["tcp", "ipc"] {
                body(peer, direction, transport);
            }
        }
    }
}

/// `each_way` for CURVE: this libzmq and every peer's must have it (a peer
/// without it fails the test rather than being skipped).
pub fn each_way_curve(body: impl FnMut(&Peer, Direction, &str)) {
    assert!(
        zmq::has("curve"),
        "this libzmq has no CURVE (build with --features curve)"
    );
    for peer in peers() {
        assert!(peer.has("curve"), "{} has no CURVE", peer.label);
    }
    each_way(body);
}

/// zmq::asyncio against pyzmq's zmq.asyncio: a ROUTER coroutine/task on
/// one side, four concurrent DEALERs on one event loop on the other.
#[test]
#[cfg(feature = "tokio")]
#[ignore = "needs pyzmq from PyPI and Debian's python3-zmq (CI installs both and runs --include-ignored)"]
fn asyncio_router_dealer() {
    each_way(|peer, direction, transport| {
        let x = exchange(peer, "asyncio", direction, transport, &[], false);
        assert!(x.client_has("DONE"), "{x:?}");
        assert!(
            x.server_has("IDS dealer-0 dealer-1 dealer-2 dealer-3"),
            "{x:?}"
        );
        assert!(x.server_has("COUNT 200"), "{x:?}");
    });
}

#[test]
#[ignore = "needs pyzmq from PyPI and Debian's python3-zmq (CI installs both and runs --include-ignored)"]
fn req_rep() {
    each_way(|peer, direction, transport| {
        let x = exchange(peer, "reqrep", direction, transport, &[], false);
        assert!(x.client_has("DONE"), "{x:?}");
        let peers: Vec<&String> = x.server.iter().filter(|l| l.starts_with("PEER")).collect();
        assert_eq!(peers.len(), 3, "{x:?}");
        if transport == "tcp" {
            // Peer-Address metadata, as the receiving side sees it.
            assert!(peers.iter().all(|l| *l == "PEER 127.0.0.1"), "{x:?}");
        }
    });
}

#[test]
#[ignore = "needs pyzmq from PyPI and Debian's python3-zmq (CI installs both and runs --include-ignored)"]
fn pub_sub_prefix_filter() {
    each_way(|peer, direction, transport| {
        let x = exchange(peer, "pubsub", direction, transport, &[], true);
        assert!(x.client_has("DONE"), "{x:?}");
    });
}

#[test]
#[ignore = "needs pyzmq from PyPI and Debian's python3-zmq (CI installs both and runs --include-ignored)"]
fn xpub_sees_subscriptions_from_sub_and_xsub() {
    each_way(|peer, direction, transport| {
        for kind in ["sub", "xsub"] {
            let x = exchange(peer, "xpub", direction, transport, &[kind], false);
            assert!(x.client_has("DONE"), "{x:?}");
            assert!(x.server_has("SUBSCRIBED 01412d"), "{x:?}");
            assert!(x.server_has("UNSUBSCRIBED 00412d"), "{x:?}");
        }
    });
}

#[test]
#[ignore = "needs pyzmq from PyPI and Debian's python3-zmq (CI installs both and runs --include-ignored)"]
fn push_pull_round_robin_over_two_workers() {
    each_way(|peer, direction, transport| {
        let x = exchange(peer, "pushpull", direction, transport, &[], false);
        assert!(x.server_has("SENT"), "{x:?}");
        assert!(x.client_has("COUNTS 50 50"), "{x:?}");
    });
}

#[test]
#[ignore = "needs pyzmq from PyPI and Debian's python3-zmq (CI installs both and runs --include-ignored)"]
fn router_dealer_identities_and_envelopes() {
    each_way(|peer, direction, transport| {
        let x = exchange(peer, "routerdealer", direction, transport, &[], false);
        assert!(x.client_has("DONE"), "{x:?}");
        assert!(x.server_has("IDS dealer-1 dealer-2"), "{x:?}");
    });
}

#[test]
#[ignore = "needs pyzmq from PyPI and Debian's python3-zmq (CI installs both and runs --include-ignored)"]
fn pair() {
    each_way(|peer, direction, transport| {
        let x = exchange(peer, "pair", direction, transport, &[], false);
        assert!(x.client_has("DONE") && x.server_has("DONE"), "{x:?}");
    });
}

#[test]
#[ignore = "needs pyzmq from PyPI and Debian's python3-zmq (CI installs both and runs --include-ignored)"]
fn message_sizes_0_1_64k_16m() {
    each_way(|peer, direction, transport| {
        let x = exchange(peer, "sizes", direction, transport, &[], false);
        assert!(x.client_has("DONE"), "{x:?}");
        for size in ["0", "1", "65536", "16777216"] {
            assert!(x.server_has(&format!("ECHOED {size}")), "{x:?}");
        }
    });
}

#[test]
#[ignore = "needs pyzmq from PyPI and Debian's python3-zmq (CI installs both and runs --include-ignored)"]
fn burst_of_10000_nothing_lost() {
    each_way(|peer, direction, transport| {
        let x = exchange(peer, "burst", direction, transport, &[], false);
        assert!(x.client_has("SENT 10000"), "{x:?}");
        assert!(x.server_has("RECEIVED 10000"), "{x:?}");
    });
}

/// PLAIN through a ZAP handler on the server's side: a wrong password is
/// refused (the client sees HANDSHAKE_FAILED_AUTH, status 400), the right
/// one gets through and the server sees the ZAP handler's User-Id and the
/// Peer-Address.
#[test]
#[ignore = "needs pyzmq from PyPI and Debian's python3-zmq (CI installs both and runs --include-ignored)"]
fn plain_with_zap() {
    each_way(|peer, direction, transport| {
        let mut server = Server::start(peer, "plain", direction, transport, &[]);
        let endpoint = server.line("ENDPOINT");
        let refused = client(peer, "plain", direction, &endpoint, &["wrong"]);
        assert_eq!(refused, ["AUTH-FAILED 400"]);
        let admitted = client(peer, "plain", direction, &endpoint, &["secret"]);
        assert_eq!(admitted, ["REPLY ok"]);
        let x = server.finish();
        let peer_line = if transport == "tcp" {
            "PEER 127.0.0.1"
        } else {
            ""
        };
        for line in [
            "ZAP PLAIN wrong 400",
            "ZAP PLAIN secret 200",
            "REQUEST hello",
        ] {
            assert!(x.iter().any(|l| l == line), "{line}: {x:?}");
        }
        assert!(x.iter().any(|l| l == "USER-ID admin"), "{x:?}");
        assert!(
            peer_line.is_empty() || x.iter().any(|l| l == peer_line),
            "{x:?}"
        );
    });
}

/// CURVE with keys made by each side: the server's key pair by the side
/// that binds, the client's by the other. A client with a wrong server key
/// gets no reply and its request never reaches the server.
#[test]
#[ignore = "needs pyzmq from PyPI and Debian's python3-zmq (CI installs both and runs --include-ignored)"]
fn curve_keys_made_by_each_side() {
    each_way_curve(|peer, direction, transport| {
        let mut server = Server::start(peer, "curve", direction, transport, &[]);
        let endpoint = server.line("ENDPOINT");
        let key = server.line("KEY");
        let refused = client(peer, "curve", direction, &endpoint, &[&key, "wrongkey"]);
        assert_eq!(refused, ["NO-REPLY"], "{}", peer.label);
        let admitted = client(peer, "curve", direction, &endpoint, &[&key, "good"]);
        assert_eq!(admitted, ["REPLY welcome"], "{}", peer.label);
        // Only the good client's request ever reached the server.
        let requests: Vec<String> = server
            .finish()
            .into_iter()
            .filter(|l| l.starts_with("REQUEST"))
            .collect();
        assert_eq!(requests, ["REQUEST hello from good"], "{}", peer.label);
    });
}
