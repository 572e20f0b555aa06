//! The Rust server of `benches/curve_auth.sh`: CURVE handshakes through
//! `zmq::auth::ThreadAuthenticator`, against `benches/pyzmq_curve_server.py`
//! doing the same with pyzmq's `ThreadAuthenticator`.
//!
//! ```text
//! curve_auth_server <bind-endpoint> <certdir> <requests>
//! ```
//!
//! Starts an authenticator that allows 127.0.0.1 and the client
//! certificates in `<certdir>/clients`, binds a CURVE ROUTER with
//! `<certdir>/server.key_secret`, prints `ENDPOINT <endpoint>`, echoes
//! `<requests>` requests and exits.
use std::io::Write;
use std::path::PathBuf;

use zmq::auth::{load_certificate, ThreadAuthenticator};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [endpoint, certdir, requests] = &args[..] else {
        eprintln!("usage: curve_auth_server <bind-endpoint> <certdir> <requests>");
        std::process::exit(1);
    };
    let Ok(requests) = requests.parse::<u64>() else {
        eprintln!("requests must be a number, not {requests}");
        std::process::exit(1);
    };
    if let Err(e) = serve(endpoint, &PathBuf::from(certdir), requests) {
        eprintln!("curve_auth_server: {e}");
        std::process::exit(1);
    }
}

fn serve(endpoint: &str, certdir: &std::path::Path, requests: u64) -> zmq::Result<()> {
    let ctx = zmq::Context::new();
    let auth = ThreadAuthenticator::new(&ctx);
    auth.start()?;
    auth.allow(["127.0.0.1"])?;
    auth.configure_curve("*", certdir.join("clients"))?;
    let (public, secret) = load_certificate(certdir.join("server.key_secret"))?;
    let secret = secret.ok_or(zmq::Error::InvalidArgument(
        "server.key_secret has no secret key",
    ))?;
    let server = ctx.socket(zmq::ROUTER)?;
    server.set_curve_server(true)?;
    server.set_curve_secretkey(&secret)?;
    server.set_curve_publickey(&public)?;
    server.bind(endpoint)?;
    println!("ENDPOINT {}", server.last_endpoint()?);
    let _ = std::io::stdout().flush();
    for _ in 0..requests {
        let request = server.recv_multipart(0)?;
        server.send_multipart(request, 0)?;
    }
    auth.stop()
}
