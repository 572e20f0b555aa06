//! `zmq::auth` against pyzmq's `zmq.auth`: certificates written by either
//! side load in the other with the same keys, and CURVE and PLAIN servers
//! guarded by either side's `ThreadAuthenticator` admit and refuse the
//! other side's clients as they should, with the right `User-Id`.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::{client, each_way, each_way_curve, peers, Direction, Peer, Server};

/// A fresh directory, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(what: &str) -> TempDir {
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "zmq-interop-{what}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    fn path(&self) -> &Path {
        &self.0
    }

    fn text(&self) -> String {
        self.0.display().to_string()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// pyzmq's `create_certificates(dir, name)`.
fn python_make(peer: &Peer, dir: &Path, name: &str) {
    let lines = peer
        .start(&["certs", "make", &dir.display().to_string(), name])
        .finish();
    assert_eq!(
        lines,
        [format!("FILES {name}.key {name}.key_secret")],
        "{}",
        peer.label
    );
}

/// pyzmq's `load_certificate(path)`: (public, secret or "-").
fn python_load(peer: &Peer, path: &Path) -> (String, String) {
    let lines = peer
        .start(&["certs", "load", &path.display().to_string()])
        .finish();
    match &lines[..] {
        [public, secret] => (
            public.strip_prefix("PUBLIC ").unwrap().to_string(),
            secret.strip_prefix("SECRET ").unwrap().to_string(),
        ),
        other => panic!("{}: {other:?}", peer.label),
    }
}

fn text(key: &[u8]) -> String {
    String::from_utf8(key.to_vec()).unwrap()
}

/// What this crate's `load_certificate` reads, in `python_load`'s terms.
fn rust_load(path: &Path) -> (String, String) {
    let (public, secret) =
        zmq::auth::load_certificate(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    (text(&public), secret.map_or("-".into(), |s| text(&s)))
}

#[test]
#[ignore = "needs pyzmq from PyPI and Debian's python3-zmq (CI installs both and runs --include-ignored)"]
fn certificates_load_both_ways() {
    for peer in peers() {
        let dir = TempDir::new("certs");
        // Written by pyzmq, read here: the same keys, and a key pair.
        python_make(peer, dir.path(), "alice");
        for file in ["alice.key", "alice.key_secret"] {
            let path = dir.path().join(file);
            assert_eq!(rust_load(&path), python_load(peer, &path), "{}", peer.label);
        }
        let (public, secret) = rust_load(&dir.path().join("alice.key_secret"));
        assert_eq!(
            text(&zmq::curve_public(secret.as_bytes()).unwrap()),
            public,
            "{}",
            peer.label
        );
        // Written here (with metadata), read by pyzmq.
        let (public_file, secret_file) = zmq::auth::create_certificates_with_metadata(
            dir.path(),
            "bob",
            [("origin", "zmq-safe"), ("name", "bob")],
        )
        .unwrap();
        for path in [&public_file, &secret_file] {
            assert_eq!(python_load(peer, path), rust_load(path), "{}", peer.label);
        }
        assert_eq!(python_load(peer, &public_file).1, "-");
        // A directory of both: the same public keys either way.
        let listed = peer.start(&["certs", "loaddir", &dir.text()]).finish();
        let ours: Vec<String> = zmq::auth::load_certificates(dir.path())
            .unwrap()
            .iter()
            .map(|k| text(k))
            .collect();
        assert_eq!(ours.len(), 2, "{ours:?}");
        assert_eq!(
            listed,
            [format!("KEYS {}", ours.join(" "))],
            "{}",
            peer.label
        );
    }
}

/// The certificate layout of the authcurve scenario, written by pyzmq
/// (`python`) or by this crate: `server.key[_secret]`,
/// `private/{good,stranger}.key[_secret]`, and `clients/good.key`, the only
/// client the server's authenticator allows. Returns good's public key.
fn curve_layout(dir: &Path, python: Option<&Peer>) -> String {
    let private = dir.join("private");
    let clients = dir.join("clients");
    std::fs::create_dir_all(&private).unwrap();
    std::fs::create_dir_all(&clients).unwrap();
    for (where_, name) in [
        (dir, "server"),
        (&*private, "good"),
        (&*private, "stranger"),
    ] {
        match python {
            Some(peer) => python_make(peer, where_, name),
            None => {
                zmq::auth::create_certificates(where_, name).unwrap();
            }
        }
    }
    std::fs::copy(private.join("good.key"), clients.join("good.key")).unwrap();
    rust_load(&private.join("good.key")).0
}

/// CURVE servers guarded by each side's ThreadAuthenticator with a
/// directory of certificates: the Rust server and authenticator read
/// pyzmq's files, pyzmq's read this crate's. A client whose key is not in
/// the directory is refused (status 400, its request never arrives); the
/// allowed one gets through and the server sees its key as User-Id.
#[test]
#[ignore = "needs pyzmq from PyPI and Debian's python3-zmq (CI installs both and runs --include-ignored)"]
fn curve_authenticator_with_certificate_files() {
    each_way_curve(|peer, direction, transport| {
        let dir = TempDir::new("authcurve");
        let maker = (direction == Direction::RustBinds).then_some(peer);
        let good = curve_layout(dir.path(), maker);
        let certdir = dir.text();
        let mut server = Server::start(peer, "authcurve", direction, transport, &[&certdir]);
        let endpoint = server.line("ENDPOINT");
        let what = format!("{} {direction:?} {transport}", peer.label);
        let refused = client(
            peer,
            "authcurve",
            direction,
            &endpoint,
            &[&certdir, "stranger"],
        );
        assert_eq!(refused, ["AUTH-FAILED 400"], "{what}");
        let admitted = client(peer, "authcurve", direction, &endpoint, &[&certdir, "good"]);
        assert_eq!(admitted, ["REPLY welcome"], "{what}");
        let lines = server.finish();
        let requests: Vec<&String> = lines.iter().filter(|l| l.starts_with("REQUEST")).collect();
        assert_eq!(requests, ["REQUEST hello from good"], "{what}: {lines:?}");
        assert!(
            lines.contains(&format!("USER-ID {good}")),
            "{what}: {lines:?}"
        );
    });
}

/// PLAIN servers guarded by each side's ThreadAuthenticator: a wrong
/// password and an unknown user are refused with 400, the right pair gets
/// through as User-Id "admin".
#[test]
#[ignore = "needs pyzmq from PyPI and Debian's python3-zmq (CI installs both and runs --include-ignored)"]
fn plain_authenticator_passwords() {
    each_way(|peer, direction, transport| {
        let what = format!("{} {direction:?} {transport}", peer.label);
        let mut server = Server::start(peer, "authplain", direction, transport, &[]);
        let endpoint = server.line("ENDPOINT");
        for (user, password) in [("admin", "wrong"), ("mallory", "secret")] {
            let refused = client(peer, "authplain", direction, &endpoint, &[user, password]);
            assert_eq!(refused, ["AUTH-FAILED 400"], "{what}: {user}/{password}");
        }
        let admitted = client(
            peer,
            "authplain",
            direction,
            &endpoint,
            &["admin", "secret"],
        );
        assert_eq!(admitted, ["REPLY welcome"], "{what}");
        let lines = server.finish();
        let requests: Vec<&String> = lines.iter().filter(|l| l.starts_with("REQUEST")).collect();
        assert_eq!(requests, ["REQUEST hello from admin"], "{what}: {lines:?}");
        assert!(
            lines.iter().any(|l| l == "USER-ID admin"),
            "{what}: {lines:?}"
        );
    });
}
