//! Prints which libzmq this build links and what it can do.
//!
//! `cargo run --example version` (add `--features pgm,curve,draft` for every
//! capability, or `LIBZMQ_NO_VENDOR=1` for the system libzmq).

fn main() {
    let origin = if zmq::sys::VENDORED {
        "vendored (compiled from the zeromq-src crate)"
    } else {
        "system (found by pkg-config)"
    };
    println!(
        "zmq crate {} on libzmq {} — {origin}",
        zmq::VERSION,
        zmq::zmq_version()
    );
    for capability in ["ipc", "pgm", "tipc", "norm", "curve", "gssapi", "draft"] {
        let mark = if zmq::has(capability) { "yes" } else { "no" };
        println!("  {capability:<7} {mark}");
    }
}
