//! Running a test inside a network namespace that the test makes itself, for
//! multicast (PGM/epgm): `unshare -n`, `lo` up with multicast on, and a route
//! for 239.0.0.0/8 on `lo`. Only loopback traffic, never a real interface.
//!
//! The test re-executes its own binary, filtered to itself, inside the new
//! namespace; [`in_multicast_netns`] returns `true` in that child, where the
//! test body runs, and `false` in the parent, after checking the child passed.

use std::process::Command;

const MARKER: &str = "ZMQ_TEST_IN_NETNS";

const SETUP: &str = "ip link set lo up && ip link set lo multicast on && \
                     ip route add 239.0.0.0/8 dev lo && exec \"$@\"";

/// `true`: we are inside the namespace, run the body. `false`: the body ran in
/// a child process inside a namespace and passed (a failure panics here).
///
/// Without the privilege to make a namespace (`unshare` fails both as root and
/// through a user namespace), the test fails under CI (`CI` set) and prints
/// why it skipped elsewhere.
pub fn in_multicast_netns(test_name: &str) -> bool {
    if std::env::var_os(MARKER).is_some() {
        return true;
    }
    let exe = std::env::current_exe().expect("test binary path");
    let attempts: [&[&str]; 2] = [&["-n"], &["-r", "-n"]];
    let mut errors = Vec::new();
    for flags in attempts {
        let output = Command::new("unshare")
            .args(flags)
            .args(["sh", "-c", SETUP, "sh"])
            .arg(&exe)
            .args(["--exact", test_name, "--nocapture", "--test-threads=1"])
            .env(MARKER, "1")
            .output();
        match output {
            Ok(out) => {
                let stdout = String::from_utf8_lossy(&out.stdout);
                let stderr = String::from_utf8_lossy(&out.stderr);
                if out.status.success() && stdout.contains("1 passed") {
                    print!("{stdout}");
                    return false;
                }
                if stdout.contains("running 1 test") {
                    // The namespace was made and the body ran: its failure is ours.
                    panic!("{test_name} failed inside its network namespace:\n{stdout}\n{stderr}");
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
    let why = format!(
        "cannot make a network namespace for {test_name}:\n{}",
        errors.join("\n")
    );
    if std::env::var_os("CI").is_some() {
        panic!("{why}");
    }
    eprintln!("SKIPPED (not under CI): {why}");
    false
}
