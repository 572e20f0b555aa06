//! The load of `benches/curve_auth.sh`: many CURVE clients, each with a
//! certificate of its own, each connecting, doing one request and closing;
//! the same load for the Rust server (`curve_auth_server`) and the pyzmq
//! one (`benches/pyzmq_curve_server.py`), so the difference is the server
//! side: its handshakes and its authenticator.
//!
//! ```text
//! curve_auth_clients make <certdir> <clients>
//! curve_auth_clients run <endpoint> <certdir> <handshakes> <concurrency>
//! ```
//!
//! `make` writes the layout both servers read: `server.key[_secret]`,
//! `private/clientN.key[_secret]` and `clients/clientN.key` (the allowed
//! public keys). `run` makes `<handshakes>` connections in all, from
//! `<concurrency>` threads at a time, and prints
//! `handshakes/s <rate>` (from the first connect to the last reply).
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn usage() -> ! {
    eprintln!(
        "usage: curve_auth_clients make <certdir> <clients>\n       \
         curve_auth_clients run <endpoint> <certdir> <handshakes> <concurrency>"
    );
    std::process::exit(1);
}

fn number(text: &str) -> usize {
    text.parse().unwrap_or_else(|_| usage())
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match &args[..] {
        [make, certdir, clients] if make == "make" => {
            make_layout(Path::new(certdir), number(clients))
        }
        [run, endpoint, certdir, handshakes, concurrency] if run == "run" => load(
            endpoint,
            Path::new(certdir),
            number(handshakes),
            number(concurrency).max(1),
        ),
        _ => usage(),
    };
    if let Err(e) = result {
        eprintln!("curve_auth_clients: {e}");
        std::process::exit(1);
    }
}

fn make_layout(certdir: &Path, clients: usize) -> zmq::Result<()> {
    let private = certdir.join("private");
    let allowed = certdir.join("clients");
    for dir in [certdir, &private, &allowed] {
        std::fs::create_dir_all(dir).map_err(|error| zmq::Error::Io {
            path: dir.to_path_buf(),
            error,
        })?;
    }
    zmq::auth::create_certificates(certdir, "server")?;
    for i in 0..clients {
        let (public, _) = zmq::auth::create_certificates(&private, &format!("client{i}"))?;
        let to = allowed.join(public.file_name().expect("a file name"));
        std::fs::copy(&public, &to).map_err(|error| zmq::Error::Io { path: to, error })?;
    }
    Ok(())
}

/// A client's key pair.
struct Keys {
    public: Vec<u8>,
    secret: Vec<u8>,
}

fn client_keys(private: &Path) -> zmq::Result<Vec<Keys>> {
    let entries = std::fs::read_dir(private).map_err(|error| zmq::Error::Io {
        path: private.to_path_buf(),
        error,
    })?;
    let mut files: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "key_secret"))
        .collect();
    files.sort();
    let mut keys = Vec::new();
    for file in files {
        let (public, secret) = zmq::auth::load_certificate(&file)?;
        let secret = secret.ok_or(zmq::Error::InvalidArgument(
            "a client file has no secret key",
        ))?;
        keys.push(Keys { public, secret });
    }
    if keys.is_empty() {
        return Err(zmq::Error::InvalidArgument("no client certificates"));
    }
    Ok(keys)
}

fn load(endpoint: &str, certdir: &Path, handshakes: usize, concurrency: usize) -> zmq::Result<()> {
    let (server_key, _) = zmq::auth::load_certificate(certdir.join("server.key"))?;
    let keys = client_keys(&certdir.join("private"))?;
    let ctx = zmq::Context::new();
    let started = Instant::now();
    let results: Vec<zmq::Result<()>> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..concurrency)
            .map(|t| {
                let (ctx, keys, server_key) = (&ctx, &keys, &server_key);
                scope.spawn(move || -> zmq::Result<()> {
                    // Thread t makes connections t, t + concurrency, ...
                    for n in (t..handshakes).step_by(concurrency) {
                        one(ctx, endpoint, server_key, &keys[n % keys.len()])?;
                    }
                    Ok(())
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| {
                w.join()
                    .unwrap_or(Err(zmq::Error::InvalidArgument("a client thread panicked")))
            })
            .collect()
    });
    let elapsed = started.elapsed();
    results.into_iter().collect::<zmq::Result<Vec<()>>>()?;
    println!(
        "handshakes {handshakes} concurrency {concurrency} seconds {:.3} handshakes/s {:.0}",
        elapsed.as_secs_f64(),
        handshakes as f64
            / elapsed
                .as_secs_f64()
                .max(Duration::from_micros(1).as_secs_f64())
    );
    Ok(())
}

/// One client: connect with its certificate, one request, one reply, close.
fn one(ctx: &zmq::Context, endpoint: &str, server_key: &[u8], keys: &Keys) -> zmq::Result<()> {
    let s = ctx.socket(zmq::REQ)?;
    s.set_curve_serverkey(server_key)?;
    s.set_curve_publickey(&keys.public)?;
    s.set_curve_secretkey(&keys.secret)?;
    s.set_rcvtimeo(10_000)?;
    s.set_linger(0)?;
    s.connect(endpoint)?;
    s.send("hello", 0)?;
    let reply = s.recv_msg(0)?;
    if &*reply != b"hello" {
        return Err(zmq::Error::InvalidArgument("the reply is not the request"));
    }
    Ok(())
}
