//! Woodhouse extends Strawhouse with a name and password check.
//!
//! This uses the PLAIN mechanism which does plain-text username and
//! password authentication). It's not really secure, and anyone sniffing
//! the network (trivial with WiFi) can capture passwords and then login.
//! (pyzmq's examples/security/woodhouse.py)
//!
//! `cargo run --example woodhouse -- [--bind=ENDPOINT] [-v]`
mod support;

use zmq::auth::ThreadAuthenticator;

fn run(bind: &str) -> zmq::Result<bool> {
    let mut valid_client_test_pass = false;
    let mut invalid_client_test_pass = false;

    let ctx = zmq::Context::new();

    // Start an authenticator for this context.
    let auth = ThreadAuthenticator::new(&ctx);
    auth.start()?;
    auth.allow(["127.0.0.1"])?;
    // Instruct authenticator to handle PLAIN requests
    auth.configure_plain("*", [("admin", "secret")])?;

    let server = ctx.socket(zmq::PUSH)?;
    server.set_plain_server(true)?; // must come before bind
    server.bind(bind)?;
    let endpoint = support::reach(&server)?;

    let client = ctx.socket(zmq::PULL)?;
    client.set_plain_username(b"admin")?;
    client.set_plain_password(b"secret")?;
    client.connect(&endpoint)?;

    server.send(b"Hello", 0)?;

    if client.poll(5000, zmq::POLLIN)?.contains(zmq::POLLIN) {
        let msg = client.recv(0)?;
        if msg == b"Hello" {
            valid_client_test_pass = true;
        }
    }
    client.close()?;

    // now use invalid credentials - expect no msg received
    let client2 = ctx.socket(zmq::PULL)?;
    client2.set_plain_username(b"admin")?;
    client2.set_plain_password(b"bogus")?;
    client2.connect(&endpoint)?;

    server.send(b"World", zmq::DONTWAIT).ok();

    if client2.poll(200, zmq::POLLIN)?.contains(zmq::POLLIN) {
        let _msg = client2.recv(0)?;
    } else {
        // no message is expected
        invalid_client_test_pass = true;
    }

    // stop auth thread
    auth.stop()?;

    Ok(valid_client_test_pass && invalid_client_test_pass)
}

fn main() -> support::Result {
    let args = support::Args::parse(&["bind", "verbose"])?;
    support::init_logging(args.verbose());
    if run(&args.get("bind", "tcp://*:9000"))? {
        log::info!("Woodhouse test OK");
        Ok(())
    } else {
        log::error!("Woodhouse test FAIL");
        Err("Woodhouse test FAIL".into())
    }
}
