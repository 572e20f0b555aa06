//! Running a test inside a network namespace that the test makes itself, for
//! multicast (PGM/epgm): `unshare -n`, `lo` up with multicast on, and a route
//! for 239.0.0.0/8 on `lo`. Only loopback traffic, never a real interface.
//!
//! The test re-executes its own binary, filtered to itself, inside the new
//! namespace; [`in_multicast_netns`] returns `true` in that child, where the
//! test body runs, and `false` in the parent, after checking the child passed.
//!
//! Inside it, [`NextDoor`] makes a second namespace joined to the first by a
//! veth pair: a "host next door" for tests that need two machines (a unicast
//! PGM NAK sent on one host reaches whichever process bound the port last;
//! on two hosts it reaches the sender). The pair lives only inside these
//! private namespaces: still no traffic leaves the machine.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::os::fd::AsRawFd;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

const MARKER: &str = "ZMQ_TEST_IN_NETNS";

const SETUP: &str = "ip link set lo up && ip link set lo multicast on && \
                     ip route add 239.0.0.0/8 dev lo && exec \"$@\"";

/// `true`: we are inside the namespace, run the body. `false`: the body ran in
/// a child process inside a namespace and passed (a failure panics here).
///
/// Without the privilege to make a namespace (`unshare` fails both as root and
/// through a user namespace), the test fails: the tests that call this are
/// `#[ignore]`d with the reason, and run only when asked for
/// (`--include-ignored`, as CI does).
pub fn in_multicast_netns(test_name: &str) -> bool {
    if std::env::var_os(MARKER).is_some() {
        return true;
    }
    let exe = std::env::current_exe().expect("test binary path");
    let attempts: [&[&str]; 2] = [&["-n"], &["-r", "-n"]];
    let mut errors = Vec::new();
    for flags in attempts {
        let mut command = Command::new("unshare");
        command
            .args(flags)
            .args(["sh", "-c", SETUP, "sh"])
            .arg(&exe)
            .args([
                "--exact",
                test_name,
                "--nocapture",
                "--test-threads=1",
                "--include-ignored",
            ])
            .env(MARKER, "1");
        match run_to_end(command, test_name) {
            Ok((status, stdout, stderr)) => {
                if status.success() && stdout.contains("1 passed") {
                    print!("{stdout}");
                    return false;
                }
                if stdout.contains("running 1 test") {
                    // The namespace was made and the body ran: its failure is ours.
                    panic!(
                        "{test_name} failed inside its network namespace ({}):\n{stdout}\n{stderr}",
                        describe(status)
                    );
                }
                errors.push(format!(
                    "unshare {flags:?}: {}{}",
                    stderr.trim(),
                    stdout.trim()
                ));
            }
            Err(e) => errors.push(format!("unshare {flags:?}: {e}")),
        }
    }
    // The tests that need a namespace are ignored unless asked for: not
    // being able to make one is a failure, never a quiet pass.
    panic!(
        "cannot make a network namespace for {test_name}:\n{}",
        errors.join("\n")
    );
}

/// How long a test may run inside its namespace before it is killed.
const LIMIT: Duration = Duration::from_secs(300);

/// Runs `command` to its end (killed after [`LIMIT`]) and returns its status
/// and output. The output goes to files, not pipes, and the *process* is
/// waited for: a pipe is only closed when every process holding it has
/// ended, and anything the test started that outlives it (a crash skips
/// its clean-up) would keep a pipe open and this wait going for ever.
fn run_to_end(
    mut command: Command,
    test_name: &str,
) -> std::io::Result<(ExitStatus, String, String)> {
    let base = std::env::temp_dir().join(format!(
        "zmq-netns-{}-{}",
        std::process::id(),
        test_name.replace("::", "-")
    ));
    let (out_path, err_path) = (base.with_extension("out"), base.with_extension("err"));
    let mut child = command
        .stdin(Stdio::null())
        .stdout(File::create(&out_path)?)
        .stderr(File::create(&err_path)?)
        .spawn()?;
    let deadline = Instant::now() + LIMIT;
    let mut killed = false;
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        if Instant::now() > deadline {
            killed = child.kill().is_ok();
            break child.wait()?;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let read = |path: &std::path::Path| {
        let text = String::from_utf8_lossy(&std::fs::read(path).unwrap_or_default()).into_owned();
        let _ = std::fs::remove_file(path);
        text
    };
    let (stdout, mut stderr) = (read(&out_path), read(&err_path));
    if killed {
        stderr.push_str(&format!("\nkilled: still running after {LIMIT:?}"));
    }
    Ok((status, stdout, stderr))
}

/// "exit status 1", or the signal that ended the process (a crash in C
/// prints nothing of its own).
fn describe(status: ExitStatus) -> String {
    match status.signal() {
        Some(signal) => format!(
            "killed by signal {signal}{}",
            match signal {
                libc::SIGSEGV => " (SIGSEGV)",
                libc::SIGABRT => " (SIGABRT)",
                libc::SIGBUS => " (SIGBUS)",
                libc::SIGKILL => " (SIGKILL)",
                _ => "",
            }
        ),
        None => status.to_string(),
    }
}

/// Runs `cmd args` and panics with its stderr if it fails.
pub fn run(cmd: &str, args: &[&str]) {
    let out = Command::new(cmd)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{cmd}: {e}"));
    assert!(
        out.status.success(),
        "{cmd} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr).trim()
    );
}

/// A second network namespace, "next door": a veth pair joins `HERE`
/// (10.9.0.1, in the test's namespace) and `THERE` (10.9.0.2, next door),
/// multicast on, with a route for 239.192.9.0/24 on each side. Only usable
/// inside [`in_multicast_netns`]. Dropping it ends the namespace.
pub struct NextDoor {
    holder: Child,
}

impl NextDoor {
    /// This namespace's end of the pair.
    pub const HERE: &'static str = "10.9.0.1";
    /// The other namespace's end.
    pub const THERE: &'static str = "10.9.0.2";

    pub fn new() -> NextDoor {
        assert!(
            std::env::var_os(MARKER).is_some(),
            "NextDoor is made inside the test's own namespace"
        );
        // The holder says "ready" from inside its new namespace, then
        // sleeps; its pid names that namespace.
        // It holds none of the test's output, and it dies with the thread
        // that made it: a test that crashes (skipping `Drop`) leaves no
        // namespace behind.
        let mut holder = Command::new("unshare");
        holder
            .args(["-n", "sh", "-c", "echo ready && exec sleep 3600"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        // SAFETY: the closure runs in the forked child before exec and only
        // calls prctl, which is async-signal-safe, allocates nothing and
        // takes no lock. PR_SET_PDEATHSIG survives the execs that follow
        // (unshare, sh and sleep are not set-uid).
        unsafe {
            holder.pre_exec(|| {
                if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) == 0 {
                    Ok(())
                } else {
                    Err(std::io::Error::last_os_error())
                }
            });
        }
        let mut holder = holder.spawn().expect("unshare for a second namespace");
        let mut line = String::new();
        BufReader::new(holder.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        assert_eq!(line.trim(), "ready", "the second namespace was not made");
        let door = NextDoor { holder };
        let pid = door.pid();
        run(
            "ip",
            &[
                "link", "add", "zmqa", "type", "veth", "peer", "name", "zmqb", "netns", &pid,
            ],
        );
        run("ip", &["addr", "add", "10.9.0.1/24", "dev", "zmqa"]);
        run("ip", &["link", "set", "zmqa", "up", "multicast", "on"]);
        run("ip", &["route", "add", "239.192.9.0/24", "dev", "zmqa"]);
        door.run("ip", &["link", "set", "lo", "up"]);
        door.run("ip", &["addr", "add", "10.9.0.2/24", "dev", "zmqb"]);
        door.run("ip", &["link", "set", "zmqb", "up", "multicast", "on"]);
        door.run("ip", &["route", "add", "239.192.9.0/24", "dev", "zmqb"]);
        door
    }

    fn pid(&self) -> String {
        self.holder.id().to_string()
    }

    /// A command that runs `cmd` next door (`nsenter -n`).
    pub fn command(&self, cmd: &str) -> Command {
        let mut c = Command::new("nsenter");
        c.args(["-t", &self.pid(), "-n", cmd]);
        c
    }

    /// Runs `cmd args` next door (`nsenter -n`); panics if it fails.
    pub fn run(&self, cmd: &str, args: &[&str]) {
        let pid = self.pid();
        let mut all = vec!["-t", pid.as_str(), "-n", cmd];
        all.extend_from_slice(args);
        run("nsenter", &all);
    }

    /// Moves the calling thread (only it) next door. A `zmq::Context` made
    /// afterwards on this thread starts its I/O threads here too, so every
    /// socket it opens lives next door.
    pub fn enter(&self) {
        let ns = std::fs::File::open(format!("/proc/{}/ns/net", self.pid()))
            .expect("the second namespace");
        // SAFETY: setns only reads the descriptor, which `ns` keeps open for
        // the duration of the call; with CLONE_NEWNET it changes the network
        // namespace of this thread alone and touches no memory of ours.
        let rc = unsafe { libc::setns(ns.as_raw_fd(), libc::CLONE_NEWNET) };
        assert_eq!(rc, 0, "setns: {}", std::io::Error::last_os_error());
    }
}

impl Drop for NextDoor {
    fn drop(&mut self) {
        let _ = self.holder.kill();
        let _ = self.holder.wait();
    }
}
