//! Every example scenario as real processes: servers in the background,
//! clients in the foreground, bounded counts, tcp ports chosen free at run
//! time, a time limit on each process; the output is checked. The PGM pair
//! (and the tour's epgm rows) run inside a network namespace the test makes.
mod common;

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

/// How long any one example process may take.
const LIMIT: Duration = Duration::from_secs(30);

/// The example binary `name`, built by `cargo test` next to this test's
/// own binary (target/<profile>/examples/).
fn binary(name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("test binary path");
    let dir = exe
        .parent()
        .and_then(|deps| deps.parent())
        .expect("target dir");
    let path = dir.join("examples").join(name);
    assert!(
        path.exists(),
        "{} is missing: cargo test builds the examples",
        path.display()
    );
    path
}

/// A free loopback port, as `tcp://127.0.0.1:PORT`, and never one this
/// process handed out before: the listener that found it is closed before
/// the example binds it, and the OS may give the same port again at once
/// (CI once saw a test's tasks and sink endpoints on one port: the
/// ventilator connected its sink socket to itself, and nothing ended).
fn free_endpoint() -> String {
    static GIVEN: std::sync::Mutex<std::collections::BTreeSet<u16>> =
        std::sync::Mutex::new(std::collections::BTreeSet::new());
    loop {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
        let port = listener.local_addr().unwrap().port();
        if GIVEN.lock().unwrap_or_else(|e| e.into_inner()).insert(port) {
            return format!("tcp://127.0.0.1:{port}");
        }
    }
}

/// One running example; killed when dropped if it has not finished.
struct Program {
    name: String,
    child: Child,
    stdout: mpsc::Receiver<String>,
    stderr: mpsc::Receiver<String>,
}

fn reader(mut pipe: impl Read + Send + 'static) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let mut text = String::new();
        let _ = pipe.read_to_string(&mut text);
        let _ = tx.send(text);
    });
    rx
}

fn start(name: &str, args: &[&str]) -> Program {
    start_with_env(name, args, &[])
}

fn start_with_env(name: &str, args: &[&str], env: &[(&str, &str)]) -> Program {
    let mut child = Command::new(binary(name))
        .args(args)
        .envs(env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {name}: {e}"));
    let stdout = reader(child.stdout.take().unwrap());
    let stderr = reader(child.stderr.take().unwrap());
    Program {
        name: format!("{name} {}", args.join(" ")),
        child,
        stdout,
        stderr,
    }
}

impl Program {
    fn input(&mut self, text: &str) {
        let stdin = self.child.stdin.as_mut().expect("stdin is piped");
        stdin.write_all(text.as_bytes()).unwrap();
    }

    /// Waits (at most `LIMIT`) for the program to end; returns its exit
    /// status and output. A program still running is killed and reported.
    fn outcome(mut self) -> (bool, String, String) {
        let stdout = self.stdout.recv_timeout(LIMIT);
        if stdout.is_err() {
            let _ = self.child.kill();
        }
        let status = self.child.wait().expect("wait");
        let stderr = self.stderr.recv_timeout(LIMIT).unwrap_or_default();
        match stdout {
            Ok(stdout) => (status.success(), stdout, stderr),
            Err(_) => {
                let partial = self.stdout.recv_timeout(LIMIT).unwrap_or_default();
                panic!(
                    "{} still running after {LIMIT:?}, killed\n{partial}\n{stderr}",
                    self.name
                )
            }
        }
    }

    /// Waits for a successful end and returns the standard output.
    fn finish(self) -> String {
        let name = self.name.clone();
        let (ok, stdout, stderr) = self.outcome();
        assert!(ok, "{name} failed\nstdout:\n{stdout}\nstderr:\n{stderr}");
        stdout
    }
}

impl Drop for Program {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn run(name: &str, args: &[&str]) -> String {
    start(name, args).finish()
}

fn lines_with(text: &str, needle: &str) -> usize {
    text.lines().filter(|l| l.contains(needle)).count()
}

/// "Average temperature for zipcode '1' was 27F" → 27.
fn average_temperature(output: &str) -> i64 {
    let line = output
        .lines()
        .find(|l| l.starts_with("Average temperature"))
        .unwrap_or_else(|| panic!("no average in {output:?}"));
    line.rsplit(' ')
        .next()
        .unwrap()
        .trim_end_matches('F')
        .parse()
        .unwrap()
}

#[test]
fn hwserver_and_hwclient() {
    let at = free_endpoint();
    let server = start(
        "hwserver",
        &[&format!("--bind={at}"), "--count=3", "--work-ms=0"],
    );
    let client = run("hwclient", &[&format!("--connect={at}"), "--requests=3"]);
    assert!(client.starts_with("Connecting to hello world server"));
    assert_eq!(lines_with(&client, "Sending request"), 3);
    assert!(client.contains("Received reply 2 [ World ]"), "{client}");
    let server = server.finish(); // exits by itself after 3 requests
    assert_eq!(lines_with(&server, "Received request: Hello"), 3);
}

#[test]
fn echo_server_and_client() {
    let at = free_endpoint();
    let server = start("echo_server", &[&format!("--bind={at}"), "--count=2"]);
    let connect = format!("--connect={at}");
    assert_eq!(
        run("echo_client", &[&connect, "hello", "world"]),
        "Echo: hello world\n"
    );
    assert_eq!(run("echo_client", &[&connect]), "Echo: Hello\n");
    let server = server.finish();
    assert!(server.contains("Received: hello world"), "{server}");
}

#[test]
fn wuserver_and_wuclient() {
    let at = free_endpoint();
    let _server = start("wuserver", &[&format!("--bind={at}")]);
    let client = run(
        "wuclient",
        &[&format!("--connect={at}"), "--updates=20", "1"],
    );
    assert!(client.contains("Collecting updates from weather server"));
    assert!(
        (-80..135).contains(&average_temperature(&client)),
        "{client}"
    );
}

#[test]
fn wuserver_stops_after_its_count() {
    let at = free_endpoint();
    run("wuserver", &[&format!("--bind={at}"), "--count=1000"]);
}

#[test]
fn prefix_pub_and_sub_keep_one_topic() {
    let at = free_endpoint();
    let _publisher = start("prefix_pub", &[&format!("--bind={at}"), "--interval-ms=1"]);
    for prefix in ["1-", "2-"] {
        let out = run(
            "prefix_sub",
            &[&format!("--connect={at}"), "--count=5", prefix],
        );
        let messages: Vec<&str> = out.lines().take(5).collect();
        assert!(messages.iter().all(|m| m.starts_with(prefix)), "{out}");
        assert!(out.contains(&format!(
            "Received 5 messages, all starting with '{prefix}'"
        )));
    }
}

#[test]
fn syncpub_waits_for_both_syncsubs() {
    let (at, sync) = (free_endpoint(), free_endpoint());
    let publisher = start(
        "syncpub",
        &[
            &format!("--bind={at}"),
            &format!("--sync={sync}"),
            "--subscribers=2",
            "--updates=10000",
        ],
    );
    let args = [format!("--connect={at}"), format!("--sync={sync}")];
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let subscribers = [start("syncsub", &args), start("syncsub", &args)];
    for subscriber in subscribers {
        assert_eq!(subscriber.finish(), "Received 10000 updates\n");
    }
    let out = publisher.finish();
    assert!(out.contains("+1 subscriber (2/2)") && out.contains("Broadcasting"));
}

#[test]
fn taskvent_taskwork_tasksink() {
    let (tasks, results) = (free_endpoint(), free_endpoint());
    let sink = start("tasksink", &[&format!("--bind={results}"), "--tasks=20"]);
    let work_args = [format!("--tasks={tasks}"), format!("--sink={results}")];
    let work_args: Vec<&str> = work_args.iter().map(String::as_str).collect();
    let _workers = [start("taskwork", &work_args), start("taskwork", &work_args)];
    // Without --no-wait the ventilator waits for Enter, as in the tutorial.
    let mut ventilator = start(
        "taskvent",
        &[
            &format!("--bind={tasks}"),
            &format!("--sink={results}"),
            "--tasks=20",
            "--max-workload=5",
        ],
    );
    ventilator.input("\n");
    let out = ventilator.finish();
    assert!(out.starts_with("Press Enter when the workers are ready: Sending tasks"));
    assert!(out.contains("Total expected cost:"), "{out}");
    let out = sink.finish();
    let progress = out.lines().next().unwrap_or_default();
    assert_eq!(progress, ":.........:.........", "{out}");
    assert!(out.contains("Total elapsed time:"), "{out}");
}

#[test]
fn manager_and_two_workers() {
    let (tasks, results) = (free_endpoint(), free_endpoint());
    let manager = start(
        "manager",
        &[
            &format!("--tasks-bind={tasks}"),
            &format!("--results-bind={results}"),
            "--workers=2",
            "--tasks=50",
        ],
    );
    let worker = |name: &str| {
        start(
            "worker",
            &[
                &format!("--tasks={tasks}"),
                &format!("--results={results}"),
                &format!("--name={name}"),
            ],
        )
    };
    let _workers = [worker("alpha"), worker("beta")];
    let out = manager.finish();
    assert!(
        out.contains("READY alpha") && out.contains("READY beta"),
        "{out}"
    );
    assert!(out.contains("All 50 results correct"), "{out}");
}

#[test]
fn pair_file_streams_a_file_intact() {
    let out = run("pair_file", &[]);
    assert!(out.ends_with("OK\n"), "{out}");
    let file = concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml");
    let size = std::fs::metadata(file).unwrap().len();
    let out = run("pair_file", &[file]);
    assert!(out.contains(&format!("receiver: {size} bytes")), "{out}");
    assert!(out.ends_with("OK\n"), "{out}");
}

#[test]
fn pair_bind_and_pair_connect() {
    let at = free_endpoint();
    let bound = start("pair_bind", &[&format!("--bind={at}"), "--count=5"]);
    let connected = run("pair_connect", &[&format!("--connect={at}")]);
    assert_eq!(lines_with(&connected, "ping"), 5);
    assert!(connected.ends_with("Bye\n"));
    assert!(bound.finish().contains("Exchanged 5 pings"));
}

/// msreader and mspoller read the 10 tasks of taskvent, then weather
/// updates from wuserver until they have 30 messages.
fn several_sockets(reader: &str) {
    let (tasks, sink, weather) = (free_endpoint(), free_endpoint(), free_endpoint());
    let reading = start(
        reader,
        &[
            &format!("--tasks={tasks}"),
            &format!("--weather={weather}"),
            "--filter=1",
            "--count=30",
        ],
    );
    // The ventilator tells a sink that the batch starts; give it one.
    let _sink = start("tasksink", &[&format!("--bind={sink}")]);
    // It ends once its 10 tasks are delivered: the reader is its only peer.
    run(
        "taskvent",
        &[
            "--no-wait",
            &format!("--bind={tasks}"),
            &format!("--sink={sink}"),
            "--tasks=10",
        ],
    );
    let _weather = start("wuserver", &[&format!("--bind={weather}")]);
    let out = reading.finish();
    let numbers: Vec<u64> = out.split(' ').filter_map(|w| w.parse().ok()).collect();
    assert!(numbers == [10, 20], "{out}");
}

#[test]
fn msreader_reads_both_sockets() {
    several_sockets("msreader");
}

#[test]
fn mspoller_reads_both_sockets() {
    several_sockets("mspoller");
}

/// rrclient → broker → rrworker, for the three brokers.
fn brokered(broker: &str) {
    let (frontend, backend) = (free_endpoint(), free_endpoint());
    let _broker = start(
        broker,
        &[
            &format!("--frontend={frontend}"),
            &format!("--backend={backend}"),
        ],
    );
    let _worker = start(
        "rrworker",
        &[&format!("--connect={backend}"), "--work-ms=0"],
    );
    let out = run(
        "rrclient",
        &[&format!("--connect={frontend}"), "--requests=3"],
    );
    assert_eq!(
        out,
        "Received reply 1 [World]\nReceived reply 2 [World]\nReceived reply 3 [World]\n"
    );
}

#[test]
fn rrbroker_switches_with_a_poller() {
    brokered("rrbroker");
}

#[test]
fn msgqueue_switches_with_proxy() {
    brokered("msgqueue");
}

#[test]
fn queue_device() {
    brokered("queue");
}

#[test]
fn streamer_device_between_taskvent_and_taskwork() {
    let (tasks, streamed, results) = (free_endpoint(), free_endpoint(), free_endpoint());
    let sink = start("tasksink", &[&format!("--bind={results}"), "--tasks=10"]);
    let _streamer = start(
        "streamer",
        &[
            &format!("--frontend={tasks}"),
            &format!("--backend={streamed}"),
        ],
    );
    let _worker = start(
        "taskwork",
        &[&format!("--tasks={streamed}"), &format!("--sink={results}")],
    );
    run(
        "taskvent",
        &[
            "--no-wait",
            &format!("--bind={tasks}"),
            &format!("--sink={results}"),
            "--tasks=10",
            "--max-workload=2",
        ],
    );
    assert!(sink.finish().contains("Total elapsed time:"));
}

#[test]
fn forwarder_device_between_wuserver_and_wuclient() {
    let (weather, forwarded) = (free_endpoint(), free_endpoint());
    let _server = start("wuserver", &[&format!("--bind={weather}")]);
    let _forwarder = start(
        "forwarder",
        &[
            &format!("--frontend={weather}"),
            &format!("--backend={forwarded}"),
        ],
    );
    let out = run(
        "wuclient",
        &[&format!("--connect={forwarded}"), "--updates=10", "2"],
    );
    assert!((-80..135).contains(&average_temperature(&out)), "{out}");
}

#[test]
fn teardown_shows_linger_and_term_order() {
    let out = run(
        "teardown",
        &[&format!("--peer={}", free_endpoint()), "--linger-ms=100"],
    );
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert!(lines[0].starts_with("term() returned after"), "{out}");
    assert!(lines[0].ends_with("LINGER 100 ms dropped the undelivered message"));
    assert_eq!(
        lines[1],
        "worker: recv returned ContextTerminated, closing my socket"
    );
    assert_eq!(
        lines[2],
        "main: term() returned once every socket was closed"
    );
}

#[test]
fn examples_refuse_unknown_options() {
    let (ok, _, stderr) = start("hwserver", &["--bogus=1"]).outcome();
    assert!(!ok);
    assert!(stderr.contains("unknown option --bogus"), "{stderr}");
    let (ok, _, stderr) = start("hwclient", &["--requests=many"]).outcome();
    assert!(!ok);
    assert!(stderr.contains("--requests=many"), "{stderr}");
}

#[test]
fn version_example() {
    let out = run("version", &[]);
    assert!(
        out.contains(&format!("on libzmq {}", zmq::zmq_version())),
        "{out}"
    );
}

/// The perf tools (examples/perf/) with both message APIs, small counts:
/// the protocol completes and the output is the C tools' (not timed).
#[test]
fn perf_tools_complete_with_the_c_tools_output() {
    let number = r"[0-9]+";
    let shape = |out: &str, lines: &[String]| {
        let got: Vec<&str> = out.lines().collect();
        assert_eq!(got.len(), lines.len(), "{out}");
        for (line, want) in got.iter().zip(lines) {
            let Some((head, tail)) = want.split_once(number) else {
                assert_eq!(line, want);
                continue;
            };
            let rest = line
                .strip_prefix(head)
                .unwrap_or_else(|| panic!("{line:?} is not {want:?}"));
            let digits = rest.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.');
            assert!(
                digits.len() < rest.len() && digits == tail,
                "{line:?} is not {want:?}"
            );
        }
    };
    let throughput = |size: &str, count: &str| {
        vec![
            format!("message size: {size} [B]"),
            format!("message count: {count}"),
            format!("mean throughput: {number} [msg/s]"),
            format!("mean throughput: {number} [Mb/s]"),
        ]
    };
    let latency = |size: &str, count: &str| {
        vec![
            format!("message size: {size} [B]"),
            format!("roundtrip count: {count}"),
            format!("average latency: {number} [us]"),
        ]
    };
    // The sync tools, and with tokio the async ones (async_local_thr, ...).
    let mut prefixes = vec![""];
    if cfg!(feature = "tokio") {
        prefixes.push("async_");
    }
    for prefix in prefixes {
        let tool = |name: &str| format!("{prefix}{name}");
        for api in ["msg", "bytes"] {
            let env = [("ZMQ_PERF_API", api)];
            for size in ["1", "1000", "70000"] {
                let at = free_endpoint();
                let local = start_with_env(&tool("local_thr"), &[&at, size, "500"], &env);
                start_with_env(&tool("remote_thr"), &[&at, size, "500"], &env).finish();
                shape(&local.finish(), &throughput(size, "500"));

                let at = free_endpoint();
                let local = start_with_env(&tool("local_lat"), &[&at, size, "50"], &env);
                let remote = start_with_env(&tool("remote_lat"), &[&at, size, "50"], &env).finish();
                assert_eq!(local.finish(), "");
                shape(&remote, &latency(size, "50"));

                let out = start_with_env(&tool("inproc_thr"), &[size, "500"], &env).finish();
                shape(&out, &throughput(size, "500"));
                let out = start_with_env(&tool("inproc_lat"), &[size, "50"], &env).finish();
                shape(&out, &latency(size, "50"));
            }
        }
    }
    shape(
        &run("proxy_thr", &["64", "2000"]),
        &throughput("64", "2000"),
    );
    // One server socket's request/reply throughput (benches/thread_safe.sh).
    #[cfg(feature = "draft")]
    for mode in ["server1", "server2", "router"] {
        let out = run("server_thr", &[mode, "64", "2000", "3"]);
        assert!(out.contains(&format!("mode: {mode}\n")), "{out}");
        assert!(out.contains("round trips: 1998\n"), "{out}");
        assert!(out.contains(" [round trips/s]"), "{out}");
    }
    // Like the C tools: usage on stdout, exit status 1.
    let (ok, out, _) = start("local_thr", &["tcp://127.0.0.1:1"]).outcome();
    assert!(!ok);
    assert_eq!(
        out,
        "usage: local_thr <bind-to> <message-size> <message-count>\n"
    );
    if cfg!(feature = "tokio") {
        let (ok, out, _) = start("async_local_thr", &["tcp://127.0.0.1:1"]).outcome();
        assert!(!ok);
        assert_eq!(
            out,
            "usage: async_local_thr <bind-to> <message-size> <message-count>\n"
        );
    }
}

#[test]
fn tour_passes_every_pattern() {
    let out = run("tour", &[]);
    assert!(out.contains(" 0 failed"), "{out}");
    // 17 patterns × inproc, ipc, tcp; with tokio, 4 asyncio ones too; with
    // draft, 5 thread-safe ones over ipc and tcp (inproc is refused them).
    let patterns = if cfg!(feature = "tokio") { 21 } else { 17 };
    let thread_safe = if cfg!(feature = "draft") { 5 } else { 0 };
    assert_eq!(
        lines_with(&out, "  ok ("),
        patterns * 3 + thread_safe * 2,
        "{out}"
    );
    assert_eq!(
        lines_with(&out, "skipped: thread-safe types take no inproc"),
        usize::from(cfg!(feature = "draft")),
        "{out}"
    );
    assert_eq!(
        lines_with(&out, "asyncio "),
        if cfg!(feature = "tokio") { 12 } else { 0 },
        "{out}"
    );
    assert!(out.contains("epgm"), "{out}");
}

/// The epgm rows of the tour, and pgm_pub → pgm_sub, inside a network
/// namespace with multicast on loopback.
#[test]
#[ignore = "needs a network namespace of its own (root or user namespaces) and a libzmq with PGM (CI runs --include-ignored)"]
fn epgm_examples_in_a_namespace() {
    assert!(zmq::has("pgm"), "the pgm examples need --features pgm");
    if !common::netns::in_multicast_netns("epgm_examples_in_a_namespace") {
        return;
    }
    let out = run("tour", &["--only=pub-sub"]);
    let epgm_ok = out
        .lines()
        .filter(|l| l.contains(" epgm ") && l.contains("  ok ("))
        .count();
    assert_eq!(epgm_ok, 2, "{out}");
    assert!(out.contains(" 0 failed"), "{out}");

    let endpoint = "epgm://127.0.0.1;239.192.1.1:5555";
    let subscriber = start("pgm_sub", &["--count=5", endpoint]);
    let _publisher = start("pgm_pub", &["--interval-ms=20", endpoint]);
    let out = subscriber.finish();
    assert!(out.contains("Received 5 messages"), "{out}");
    assert_eq!(lines_with(&out, "update "), 5, "{out}");
}

/// pyzmq's examples/security, each checking itself: a client that should
/// pass gets the message, one that should be refused gets nothing.
#[test]
fn security_examples() {
    let bind = "--bind=tcp://127.0.0.1:*";
    assert!(run("grasslands", &[bind]).contains("Grasslands test OK"));
    for name in ["strawhouse", "woodhouse"] {
        let (ok, _, stderr) = start(name, &[bind, "-v"]).outcome();
        assert!(ok, "{name}: {stderr}");
        let title = format!("{}{} test OK", name[..1].to_uppercase(), &name[1..]);
        assert!(stderr.contains(&title), "{name}: {stderr}");
        // The authenticator's log says what it refused, and why.
        assert!(stderr.contains("DENIED"), "{name}: {stderr}");
    }
}

#[test]
#[cfg(feature = "curve")]
fn security_examples_with_certificates() {
    let dir = std::env::temp_dir().join(format!("zmq-rs-security-{}", std::process::id()));
    let dir_arg = format!("--dir={}", dir.display());
    run("generate_certificates", &[&dir_arg]);
    for sub in ["public_keys", "private_keys"] {
        let names: Vec<String> = std::fs::read_dir(dir.join(sub))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names.len(), 2, "{sub}: {names:?}");
    }
    for name in ["stonehouse", "ironhouse"] {
        let (ok, _, stderr) = start(name, &[&dir_arg, "--bind=tcp://127.0.0.1:*", "-v"]).outcome();
        assert!(ok, "{name}: {stderr}");
        assert!(stderr.contains(" test OK"), "{name}: {stderr}");
    }
    #[cfg(feature = "tokio")]
    {
        let (ok, _, stderr) = start(
            "asyncio_ironhouse",
            &[&dir_arg, "--bind=tcp://127.0.0.1:*", "-v"],
        )
        .outcome();
        assert!(ok, "asyncio_ironhouse: {stderr}");
        assert!(stderr.contains("Ironhouse test OK"), "{stderr}");
        assert!(stderr.contains("Received \"Hello\" from"), "{stderr}");
    }
    // Without certificates they say so and fail.
    let empty = dir.join("empty");
    let mut ironhouses = vec!["ironhouse"];
    if cfg!(feature = "tokio") {
        ironhouses.push("asyncio_ironhouse");
    }
    for name in ironhouses {
        let (ok, _, stderr) = start(name, &[&format!("--dir={}", empty.display())]).outcome();
        assert!(
            !ok && stderr.contains("generate_certificates"),
            "{name}: {stderr}"
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The port of a free loopback endpoint.
#[cfg(feature = "tokio")]
fn free_port() -> String {
    free_endpoint().rsplit(':').next().unwrap().to_string()
}

/// pyzmq's examples/asyncio, ported: each bounded by a count or a time.
#[test]
#[cfg(feature = "tokio")]
fn async_examples() {
    // coroutines: a PUSH every interval, the PULL polled; dots when idle.
    let out = run(
        "async_coroutines",
        &[
            &format!("--url={}", free_endpoint()),
            "--count=3",
            "--interval-ms=100",
        ],
    );
    assert_eq!(lines_with(&out, "recving PollEvents(POLLIN)"), 3, "{out}");
    assert_eq!(lines_with(&out, "recvd [b'"), 3, "{out}");
    assert!(lines_with(&out, "sending") >= 3, "{out}");
    assert!(out.lines().any(|l| l == "."), "no idle dots: {out}");

    // pub/sub and dealer/router on one thread; the router's commands switch
    // the publisher's language.
    let out = run(
        "async_helloworld_pubsub_dealerrouter",
        &[
            &format!("--port={}", free_port()),
            &format!("--router-port={}", free_port()),
            "--count=10",
            "--commands=2",
            "--interval-ms=30",
        ],
    );
    assert!(out.contains("Current libzmq version is 4."), "{out}");
    assert_eq!(
        lines_with(&out, "world sub; topic: world\tmessage: Hello "),
        10,
        "{out}"
    );
    assert_eq!(
        lines_with(
            &out,
            "Command rout; Sender ID: b'lang_dealer';\tmessage: Change that language!"
        ),
        2,
        "{out}"
    );
    assert!(
        out.contains("Changed language! New language is: jap"),
        "{out}"
    );
    assert!(
        out.contains("Changed language! New language is: eng"),
        "{out}"
    );
    assert!(out.contains("world pub: Hello Sekai"), "{out}");

    // ROUTER to ROUTER for a second, then every loop is cancelled.
    let out = run("async_router_router", &["--seconds=1"]);
    for name in ["romeo", "sierra"] {
        let replies = lines_with(
            &out,
            &format!("{name} received [b'server', b'', b'whatup']"),
        );
        let requests = lines_with(
            &out,
            &format!("Server received [b'{name}', b'', b'cheers']"),
        );
        assert!(replies >= 1, "{out}");
        // A request may be answered after the reply's reader was cancelled.
        assert!(requests == replies || requests == replies + 1, "{out}");
    }
}

/// pyzmq's examples/draft, ported: CLIENT/SERVER answered by routing id,
/// RADIO/DISH over UDP; each checks itself.
#[test]
#[cfg(feature = "draft")]
fn draft_examples() {
    let out = run("client_server", &["--count=10", "--interval-ms=10"]);
    assert_eq!(lines_with(&out, "server recvd b'request "), 10, "{out}");
    for i in 0..10 {
        assert!(out.contains(&format!("client recvd 'reply {i}'")), "{out}");
    }
    let out = run("radio_dish", &["--count=10", "--interval-ms=20"]);
    for i in 0..10 {
        assert!(out.contains(&format!("Received numbers:{i:03}")), "{out}");
    }
    assert!(!out.contains("missed"), "{out}");
}
