//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub mod netns;

use std::sync::mpsc;
use std::time::Duration;

/// Every blocking receive in these tests gives up after this long, so a bug
/// fails the test instead of hanging CI: 5 s, times `ZMQ_TEST_TIME_SCALE`
/// (CI sets 20 for the runs under valgrind, which is that much slower).
pub fn timeout_ms() -> i32 {
    5000 * time_scale() as i32
}

/// `ZMQ_TEST_TIME_SCALE`, 1 when unset.
pub fn time_scale() -> u32 {
    std::env::var("ZMQ_TEST_TIME_SCALE")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1)
        .max(1)
}

/// Ends the whole test process if it is not dropped within `limit`: for
/// calls that block outside any socket timeout (`Context::term`, `join`).
pub struct Watchdog(Option<mpsc::Sender<()>>);

pub fn watchdog(what: &'static str, limit: Duration) -> Watchdog {
    let limit = limit * time_scale();
    let (tx, rx) = mpsc::channel::<()>();
    std::thread::spawn(move || {
        if let Err(mpsc::RecvTimeoutError::Timeout) = rx.recv_timeout(limit) {
            eprintln!("watchdog: {what} still blocked after {limit:?}");
            std::process::exit(101);
        }
    });
    Watchdog(Some(tx))
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        if let Some(tx) = self.0.take() {
            let _ = tx.send(());
        }
    }
}

/// Sets the test timeouts and LINGER 0 on a socket.
pub fn timeouts(s: &zmq::Socket) {
    s.set_rcvtimeo(timeout_ms()).unwrap();
    s.set_sndtimeo(timeout_ms()).unwrap();
    s.set_linger(0).unwrap();
}

/// Where to bind a pair of sockets: "inproc", "ipc" or "tcp".
pub fn endpoint(transport: &str, name: &str) -> String {
    match transport {
        "inproc" => format!("inproc://{name}-{}", unique()),
        "ipc" => format!(
            "ipc://{}/zmq-rs-{name}-{}-{}.sock",
            std::env::temp_dir().display(),
            std::process::id(),
            unique()
        ),
        "tcp" => "tcp://127.0.0.1:*".to_string(),
        other => panic!("unknown transport {other}"),
    }
}

fn unique() -> usize {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    N.fetch_add(1, Ordering::Relaxed)
}

/// A bound socket of `a` and a socket of `b` connected to it, with test
/// timeouts; `transport` picks the endpoint (tcp uses an OS-chosen port).
pub fn pair(
    ctx: &zmq::Context,
    a: zmq::SocketType,
    b: zmq::SocketType,
    transport: &str,
) -> (zmq::Socket, zmq::Socket) {
    let server = ctx.socket(a).unwrap();
    timeouts(&server);
    server.bind(&endpoint(transport, "pair")).unwrap();
    let client = ctx.socket(b).unwrap();
    timeouts(&client);
    client.connect(&server.last_endpoint().unwrap()).unwrap();
    (server, client)
}

pub const TRANSPORTS: [&str; 3] = ["inproc", "ipc", "tcp"];

/// Runs `body` in a thread, handing it a flag that turns true when the
/// returned guard is dropped; the drop then waits for the thread to end.
pub struct Background {
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

pub fn background<F>(body: F) -> Background
where
    F: FnOnce(&std::sync::atomic::AtomicBool) + Send + 'static,
{
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let flag = stop.clone();
    let thread = std::thread::spawn(move || body(&flag));
    Background {
        stop,
        thread: Some(thread),
    }
}

impl Drop for Background {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Runs `body` in a child process: this test binary again, running only
/// the test `name`. A scenario that used to abort inside libzmq (or hang)
/// then fails its own test, with the child's output, instead of killing
/// the whole test run. The child must finish within `limit`.
pub fn in_child(name: &str, limit: Duration, body: impl FnOnce()) {
    const VAR: &str = "ZMQ_RS_TEST_CHILD";
    if std::env::var(VAR).as_deref() == Ok(name) {
        body();
        return;
    }
    let exe = std::env::current_exe().expect("the test binary");
    let mut child = std::process::Command::new(exe)
        .args([
            name,
            "--exact",
            "--nocapture",
            "--test-threads=1",
            "--include-ignored",
        ])
        .env(VAR, name)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn the test binary");
    // Read both pipes as the child writes, so it never blocks on them.
    let drain = |pipe: Option<Box<dyn std::io::Read + Send>>| {
        std::thread::spawn(move || {
            let mut text = String::new();
            if let Some(mut pipe) = pipe {
                let _ = pipe.read_to_string(&mut text);
            }
            text
        })
    };
    let out = drain(child.stdout.take().map(|p| Box::new(p) as _));
    let err = drain(child.stderr.take().map(|p| Box::new(p) as _));
    let start = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for the child") {
            break Some(status);
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let text = format!(
        "{}{}",
        out.join().unwrap_or_default(),
        err.join().unwrap_or_default()
    );
    match status {
        None => panic!("{name}: the child hung for {limit:?}\n{text}"),
        Some(status) => assert!(
            status.success() && text.contains("1 passed"),
            "{name}: the child failed ({status})\n{text}"
        ),
    }
}

/// The eventfds of this process and their counts (`/proc/self/fdinfo`).
pub fn eventfds() -> Vec<(String, u64)> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc/self/fdinfo").unwrap() {
        let path = entry.unwrap().path();
        let info = std::fs::read_to_string(&path).unwrap_or_default();
        for line in info.lines() {
            if let Some(n) = line.strip_prefix("eventfd-count:") {
                let count = u64::from_str_radix(n.trim(), 16).unwrap();
                found.push((path.display().to_string(), count));
            }
        }
    }
    found
}
