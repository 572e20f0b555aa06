//! Allow or deny clients based on IP address.
//!
//! Strawhouse, which is plain text with filtering on IP addresses. It
//! still uses the NULL mechanism, but we install an authentication hook
//! that checks the IP address against a list and allows or denies it
//! accordingly. (pyzmq's examples/security/strawhouse.py)
//!
//! `cargo run --example strawhouse -- [--bind=ENDPOINT] [-v]`
mod support;

use zmq::auth::ThreadAuthenticator;

fn run(bind: &str) -> zmq::Result<bool> {
    let mut allow_test_pass = false;
    let mut deny_test_pass = false;

    let ctx = zmq::Context::instance();

    // Start an authenticator for this context.
    let auth = ThreadAuthenticator::new(&ctx);
    auth.start()?;

    // Part 1 - demonstrate allowing clients based on IP address
    auth.allow(["127.0.0.1"])?;

    let server = ctx.socket(zmq::PUSH)?;
    server.set_zap_domain("global")?; // must come before bind
    server.bind(bind)?;
    let endpoint = support::reach(&server)?;

    let client_allow = ctx.socket(zmq::PULL)?;
    client_allow.connect(&endpoint)?;

    server.send(b"Hello", 0)?;

    client_allow.set_rcvtimeo(5000)?;
    let msg = client_allow.recv(0)?;
    if msg == b"Hello" {
        allow_test_pass = true;
    }

    client_allow.close()?;

    // Part 2 - demonstrate denying clients based on IP address
    auth.stop()?;

    let auth = ThreadAuthenticator::new(&ctx);
    auth.start()?;

    auth.deny(["127.0.0.1"])?;

    let client_deny = ctx.socket(zmq::PULL)?;
    client_deny.connect(&endpoint)?;

    if server.poll(200, zmq::POLLOUT)?.contains(zmq::POLLOUT) {
        server.send(b"Hello", 0)?;
        if client_deny.poll(200, zmq::POLLIN)?.contains(zmq::POLLIN) {
            let _msg = client_deny.recv(0)?;
        } else {
            deny_test_pass = true;
        }
    } else {
        deny_test_pass = true;
    }

    client_deny.close()?;

    auth.stop()?; // stop auth thread

    Ok(allow_test_pass && deny_test_pass)
}

fn main() -> support::Result {
    let args = support::Args::parse(&["bind", "verbose"])?;
    support::init_logging(args.verbose());
    if run(&args.get("bind", "tcp://*:9000"))? {
        log::info!("Strawhouse test OK");
        Ok(())
    } else {
        log::error!("Strawhouse test FAIL");
        Err("Strawhouse test FAIL".into())
    }
}
