//! The policy: pyzmq's `zmq.auth.Authenticator` (zmq/auth/base.py), with
//! no socket and no thread of its own. `ThreadAuthenticator` runs it.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::Path;
use std::sync::{Arc, Mutex};

use crate::error::{Error, Result};

/// `configure_curve(domain, CURVE_ALLOW_ANY)`: any client key passes
/// (pyzmq's `zmq.auth.CURVE_ALLOW_ANY`).
pub const CURVE_ALLOW_ANY: &str = "*";

/// The ZAP protocol version (RFC 27).
const VERSION: &[u8] = b"1.0";

/// A CURVE key check (`configure_curve_callback`): `(domain, client key in
/// Z85) -> allowed`.
pub(crate) type CurveCallback = Arc<dyn Fn(&str, &str) -> bool + Send + Sync>;

/// ZAP policy (RFC 27), as pyzmq's `Authenticator`: which peers pass the
/// NULL, PLAIN and CURVE handshakes, and with which user id.
///
/// - Addresses first: with an allow list, only those addresses; else with
///   a deny list, all but those (both lists: refused when configured).
/// - NULL passes unless the address was refused.
/// - PLAIN checks the domain's passwords (`configure_plain`).
/// - CURVE passes any key (`CURVE_ALLOW_ANY`), the keys of a certificate
///   directory, or what a callback says.
/// - The reply carries status 200 and the user id (PLAIN: the user name;
///   CURVE: the client's Z85 public key; NULL: "anonymous"), or 400 and the
///   reason; a malformed request gets 400, a callback that panicked 500.
///
/// [`ThreadAuthenticator`](super::ThreadAuthenticator) runs it; this type
/// is for a ZAP handler of one's own (`handle_zap_message`).
#[derive(Default)]
pub struct Authenticator {
    allowed: BTreeSet<String>,
    denied: BTreeSet<String>,
    passwords: HashMap<String, HashMap<String, String>>,
    certs: HashMap<String, HashSet<Vec<u8>>>,
    allow_any: bool,
    callbacks: HashMap<String, CurveCallback>,
}

impl std::fmt::Debug for Authenticator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Authenticator")
            .field("allowed", &self.allowed)
            .field("denied", &self.denied)
            .field("plain_domains", &self.passwords.keys().collect::<Vec<_>>())
            .field("curve_domains", &self.certs.keys().collect::<Vec<_>>())
            .field("curve_allow_any", &self.allow_any)
            .field(
                "curve_callbacks",
                &self.callbacks.keys().collect::<Vec<_>>(),
            )
            .finish()
    }
}

/// What answering a request takes.
pub(crate) enum Step {
    /// The reply (ZAP frames), or nothing when the request has no id to
    /// answer to.
    Done(Option<Vec<Vec<u8>>>),
    /// A CURVE key to check with a callback (outside any lock), then
    /// `finish_curve`.
    Callback {
        callback: CurveCallback,
        domain: String,
        key: Vec<u8>,
        request_id: Vec<u8>,
    },
}

impl Authenticator {
    /// No policy yet: NULL passes, PLAIN and CURVE are refused.
    pub fn new() -> Authenticator {
        Authenticator::default()
    }

    /// Allows these addresses, and only them (`auth.allow(...)`). Mixing
    /// with [`deny`](Self::deny) is an error (pyzmq's `ValueError`).
    pub fn allow<I, S>(&mut self, addresses: I) -> Result<()>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        if !self.denied.is_empty() {
            return Err(Error::InvalidArgument("use allow or deny, not both"));
        }
        let addresses: Vec<String> = addresses.into_iter().map(Into::into).collect();
        log::debug!(target: "zmq::auth", "allowing {}", addresses.join(","));
        self.allowed.extend(addresses);
        Ok(())
    }

    /// Denies these addresses, all others pass on to authentication
    /// (`auth.deny(...)`). Mixing with [`allow`](Self::allow) is an error.
    pub fn deny<I, S>(&mut self, addresses: I) -> Result<()>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        if !self.allowed.is_empty() {
            return Err(Error::InvalidArgument("use allow or deny, not both"));
        }
        let addresses: Vec<String> = addresses.into_iter().map(Into::into).collect();
        log::debug!(target: "zmq::auth", "denying {}", addresses.join(","));
        self.denied.extend(addresses);
        Ok(())
    }

    /// The PLAIN user names and passwords of a domain (`"*"`: every domain
    /// without its own, including requests without a domain), replacing the domain's earlier ones
    /// (`auth.configure_plain(domain, passwords)`; an empty list changes
    /// nothing, as in pyzmq).
    pub fn configure_plain<I, U, P>(&mut self, domain: &str, passwords: I) -> Result<()>
    where
        I: IntoIterator<Item = (U, P)>,
        U: Into<String>,
        P: Into<String>,
    {
        let passwords: HashMap<String, String> = passwords
            .into_iter()
            .map(|(u, p)| (u.into(), p.into()))
            .collect();
        if !passwords.is_empty() {
            self.passwords.insert(domain.to_string(), passwords);
        }
        log::debug!(target: "zmq::auth", "configure plain: {domain}");
        Ok(())
    }

    /// CURVE for a domain (`auth.configure_curve(domain, location)`): the
    /// public keys of every certificate in the directory `location`, or any
    /// key at all for [`CURVE_ALLOW_ANY`]. Call it again after adding or
    /// removing certificates. A directory that cannot be read is an error
    /// (and the domain keeps its keys); unreadable or malformed files in it
    /// are skipped with a log warning.
    pub fn configure_curve(&mut self, domain: &str, location: impl AsRef<Path>) -> Result<()> {
        let location = location.as_ref();
        log::debug!(target: "zmq::auth", "configure curve: {domain}[{}]", location.display());
        if location == Path::new(CURVE_ALLOW_ANY) {
            self.allow_any = true;
            return Ok(());
        }
        let keys = super::load_certificates(location)?;
        self.allow_any = false;
        self.certs
            .insert(domain.to_string(), keys.into_iter().collect());
        Ok(())
    }

    /// Takes the CURVE keys `staged` loaded for `domain`
    /// (`ThreadAuthenticator::configure_curve` reads the directory before
    /// it locks the policy).
    pub(crate) fn adopt_curve(&mut self, domain: &str, mut staged: Authenticator) {
        self.allow_any = false;
        if let Some(keys) = staged.certs.remove(domain) {
            self.certs.insert(domain.to_string(), keys);
        }
    }

    /// CURVE for a domain, decided by `callback(domain, client_key_z85)`
    /// (`auth.configure_curve_callback(domain, credentials_provider)`). It
    /// runs in the authenticator's thread, without any of the
    /// authenticator's locks held; a panic in it refuses the client (500).
    pub fn configure_curve_callback<F>(&mut self, domain: &str, callback: F) -> Result<()>
    where
        F: Fn(&str, &str) -> bool + Send + Sync + 'static,
    {
        self.allow_any = false;
        self.callbacks
            .insert(domain.to_string(), Arc::new(callback));
        Ok(())
    }

    /// Answers one ZAP request (its frames, from the version on, without a
    /// ROUTER's envelope): the reply's frames, or `None` when the request
    /// is too short to carry a request id (nothing can be answered).
    pub fn handle_zap_message(&self, request: &[Vec<u8>]) -> Option<Vec<Vec<u8>>> {
        match self.step(request) {
            Step::Done(reply) => reply,
            Step::Callback {
                callback,
                domain,
                key,
                request_id,
            } => finish_curve(&callback, &domain, &key, &request_id),
        }
    }

    /// Answers `request` with the policy in `policy`, running a CURVE
    /// callback after the lock is released.
    pub(crate) fn respond(
        policy: &Mutex<Authenticator>,
        request: &[Vec<u8>],
    ) -> Option<Vec<Vec<u8>>> {
        let step = policy
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .step(request);
        match step {
            Step::Done(reply) => reply,
            Step::Callback {
                callback,
                domain,
                key,
                request_id,
            } => finish_curve(&callback, &domain, &key, &request_id),
        }
    }

    /// pyzmq's `handle_zap_message`, up to a callback.
    pub(crate) fn step(&self, request: &[Vec<u8>]) -> Step {
        if request.len() < 6 {
            log::warn!(target: "zmq::auth", "invalid ZAP request, {} frames (6 or more)", request.len());
            if request.len() < 2 {
                return Step::Done(None);
            }
            return Step::Done(Some(reply(&request[1], b"400", b"Not enough frames", b"")));
        }
        let (version, request_id) = (&request[0], &request[1]);
        let domain = String::from_utf8_lossy(&request[2]).into_owned();
        let address = String::from_utf8_lossy(&request[3]).into_owned();
        let mechanism = request[5].as_slice();
        let credentials = &request[6..];
        if version.as_slice() != VERSION {
            log::warn!(target: "zmq::auth", "invalid ZAP version {:?}", String::from_utf8_lossy(version));
            return Step::Done(Some(reply(request_id, b"400", b"Invalid version", b"")));
        }
        log::debug!(
            target: "zmq::auth",
            "request: domain {domain:?}, address {address}, mechanism {}",
            String::from_utf8_lossy(mechanism)
        );

        // Addresses first.
        let mut allowed = false;
        if !self.allowed.is_empty() {
            if self.allowed.contains(&address) {
                allowed = true;
                log::debug!(target: "zmq::auth", "PASSED (allowed) address={address}");
            } else {
                log::info!(target: "zmq::auth", "DENIED (not allowed) address={address}");
                return Step::Done(Some(reply(request_id, b"400", b"Address not allowed", b"")));
            }
        } else if !self.denied.is_empty() {
            if self.denied.contains(&address) {
                log::info!(target: "zmq::auth", "DENIED (denied) address={address}");
                return Step::Done(Some(reply(request_id, b"400", b"Address denied", b"")));
            }
            allowed = true;
            log::debug!(target: "zmq::auth", "PASSED (not denied) address={address}");
        }

        let domain = if domain.is_empty() {
            "*".to_string()
        } else {
            domain
        };
        let outcome: (bool, &[u8], Vec<u8>) = match mechanism {
            b"NULL" => {
                log::debug!(target: "zmq::auth", "ALLOWED (NULL)");
                (true, b"OK", b"anonymous".to_vec())
            }
            b"PLAIN" => {
                let [user, password] = credentials else {
                    log::warn!(target: "zmq::auth", "invalid PLAIN credentials: {} frames", credentials.len());
                    return Step::Done(Some(reply(
                        request_id,
                        b"400",
                        b"Invalid credentials",
                        b"",
                    )));
                };
                let user = String::from_utf8_lossy(user).into_owned();
                let password = String::from_utf8_lossy(password);
                let (ok, reason) = self.authenticate_plain(&domain, &user, &password);
                (ok, reason, user.into_bytes())
            }
            b"CURVE" => {
                let [key] = credentials else {
                    log::warn!(target: "zmq::auth", "invalid CURVE credentials: {} frames", credentials.len());
                    return Step::Done(Some(reply(
                        request_id,
                        b"400",
                        b"Invalid credentials",
                        b"",
                    )));
                };
                if key.len() != 32 {
                    log::warn!(target: "zmq::auth", "invalid CURVE key: {} bytes", key.len());
                    return Step::Done(Some(reply(
                        request_id,
                        b"400",
                        b"Invalid credentials",
                        b"",
                    )));
                }
                if !self.allow_any {
                    if let Some(callback) = for_domain(&self.callbacks, &domain) {
                        return Step::Callback {
                            callback: Arc::clone(callback),
                            domain,
                            key: key.clone(),
                            request_id: request_id.clone(),
                        };
                    }
                }
                let (ok, reason) = self.authenticate_curve(&domain, key);
                (ok, reason, z85_key(key).into_bytes())
            }
            b"GSSAPI" => {
                let [principal] = credentials else {
                    log::warn!(target: "zmq::auth", "invalid GSSAPI credentials: {} frames", credentials.len());
                    return Step::Done(Some(reply(
                        request_id,
                        b"400",
                        b"Invalid credentials",
                        b"",
                    )));
                };
                // GSSAPI was checked by its own service already.
                log::debug!(target: "zmq::auth", "ALLOWED (GSSAPI) domain={domain}");
                (true, b"OK", principal.clone())
            }
            other => {
                // pyzmq lets an unknown mechanism through from an allowed
                // address; libzmq never sends one, so it is refused here.
                log::warn!(target: "zmq::auth", "unknown mechanism {:?}", String::from_utf8_lossy(other));
                return Step::Done(Some(reply(request_id, b"400", b"Unknown mechanism", b"")));
            }
        };
        let _ = allowed;
        let (ok, reason, user_id) = outcome;
        Step::Done(Some(if ok {
            reply(request_id, b"200", b"OK", &user_id)
        } else {
            reply(request_id, b"400", reason, b"")
        }))
    }

    fn authenticate_plain(
        &self,
        domain: &str,
        user: &str,
        password: &str,
    ) -> (bool, &'static [u8]) {
        if self.passwords.is_empty() {
            log::info!(target: "zmq::auth", "DENIED (PLAIN) no passwords defined");
            return (false, b"No passwords defined");
        }
        let Some(users) = for_domain(&self.passwords, domain) else {
            log::info!(target: "zmq::auth", "DENIED (PLAIN) domain={domain}: invalid domain");
            return (false, b"Invalid domain");
        };
        match users.get(user) {
            Some(expected) if expected == password => {
                log::debug!(target: "zmq::auth", "ALLOWED (PLAIN) domain={domain} username={user}");
                (true, b"OK")
            }
            Some(_) => {
                log::info!(target: "zmq::auth", "DENIED (PLAIN) domain={domain} username={user}: invalid password");
                (false, b"Invalid password")
            }
            None => {
                log::info!(target: "zmq::auth", "DENIED (PLAIN) domain={domain} username={user}: invalid username");
                (false, b"Invalid username")
            }
        }
    }

    fn authenticate_curve(&self, domain: &str, key: &[u8]) -> (bool, &'static [u8]) {
        if self.allow_any {
            log::debug!(target: "zmq::auth", "ALLOWED (CURVE allow any client)");
            return (true, b"OK");
        }
        let z85 = z85_key(key);
        let Some(keys) = for_domain(&self.certs, domain) else {
            log::info!(target: "zmq::auth", "DENIED (CURVE) domain={domain}: unknown domain");
            return (false, b"Unknown domain");
        };
        if keys.contains(z85.as_bytes()) {
            log::debug!(target: "zmq::auth", "ALLOWED (CURVE) domain={domain} client_key={z85}");
            (true, b"OK")
        } else {
            log::info!(target: "zmq::auth", "DENIED (CURVE) domain={domain} client_key={z85}: unknown key");
            (false, b"Unknown key")
        }
    }
}

/// A domain's configuration, else the one for `"*"`: as pyzmq documents
/// it, "to cover all domains, use `*`" (pyzmq's code applies `*` only to
/// requests without a domain).
fn for_domain<'a, T>(map: &'a HashMap<String, T>, domain: &str) -> Option<&'a T> {
    map.get(domain).or_else(|| map.get("*"))
}

/// Runs a CURVE callback (catching a panic: the client is refused, 500)
/// and makes the reply.
fn finish_curve(
    callback: &CurveCallback,
    domain: &str,
    key: &[u8],
    request_id: &[u8],
) -> Option<Vec<Vec<u8>>> {
    let z85 = z85_key(key);
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| callback(domain, &z85))) {
        Ok(true) => {
            log::debug!(target: "zmq::auth", "ALLOWED (CURVE auth_callback) domain={domain} client_key={z85}");
            Some(reply(request_id, b"200", b"OK", z85.as_bytes()))
        }
        Ok(false) => {
            log::info!(target: "zmq::auth", "DENIED (CURVE auth_callback) domain={domain} client_key={z85}");
            Some(reply(request_id, b"400", b"Unknown key", b""))
        }
        Err(_) => {
            log::error!(target: "zmq::auth", "the CURVE callback panicked: domain={domain} client_key={z85}");
            Some(reply(request_id, b"500", b"Internal error", b""))
        }
    }
}

/// The Z85 text of a 32-byte key (the CURVE user id).
fn z85_key(key: &[u8]) -> String {
    crate::z85::encode(key).unwrap_or_default()
}

fn reply(request_id: &[u8], status: &[u8], text: &[u8], user_id: &[u8]) -> Vec<Vec<u8>> {
    log::debug!(
        target: "zmq::auth",
        "ZAP reply code={} text={}",
        String::from_utf8_lossy(status),
        String::from_utf8_lossy(text)
    );
    vec![
        VERSION.to_vec(),
        request_id.to_vec(),
        status.to_vec(),
        text.to_vec(),
        user_id.to_vec(),
        Vec::new(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(mechanism: &str, address: &str, credentials: &[&[u8]]) -> Vec<Vec<u8>> {
        let mut frames = vec![
            b"1.0".to_vec(),
            b"id-1".to_vec(),
            b"global".to_vec(),
            address.as_bytes().to_vec(),
            Vec::new(),
            mechanism.as_bytes().to_vec(),
        ];
        frames.extend(credentials.iter().map(|c| c.to_vec()));
        frames
    }

    fn status(reply: &Option<Vec<Vec<u8>>>) -> (String, String) {
        let reply = reply.as_ref().expect("a reply");
        (
            String::from_utf8_lossy(&reply[2]).into_owned(),
            String::from_utf8_lossy(&reply[4]).into_owned(),
        )
    }

    #[test]
    fn addresses_then_mechanisms_as_pyzmq() {
        let mut auth = Authenticator::new();
        let null = auth.handle_zap_message(&request("NULL", "10.0.0.1", &[]));
        assert_eq!(status(&null), ("200".into(), "anonymous".into()));
        let plain = auth.handle_zap_message(&request("PLAIN", "10.0.0.1", &[b"admin", b"x"]));
        assert_eq!(status(&plain).0, "400");
        auth.configure_plain("*", [("admin", "secret")]).unwrap();
        let plain = auth.handle_zap_message(&request("PLAIN", "10.0.0.1", &[b"admin", b"secret"]));
        assert_eq!(status(&plain), ("200".into(), "admin".into()));
        auth.allow(["127.0.0.1"]).unwrap();
        assert!(auth.deny(["10.0.0.2"]).is_err());
        let refused = auth.handle_zap_message(&request("NULL", "10.0.0.1", &[]));
        assert_eq!(status(&refused).0, "400");
        let fine = auth.handle_zap_message(&request("NULL", "127.0.0.1", &[]));
        assert_eq!(status(&fine).0, "200");
    }

    #[test]
    fn garbage_is_answered_or_dropped_never_a_panic() {
        let auth = Authenticator::new();
        assert!(auth.handle_zap_message(&[]).is_none());
        assert!(auth.handle_zap_message(&[b"1.0".to_vec()]).is_none());
        let short = auth.handle_zap_message(&[b"1.0".to_vec(), b"id".to_vec()]);
        assert_eq!(status(&short).0, "400");
        let mut bad_version = request("NULL", "1.2.3.4", &[]);
        bad_version[0] = b"2.0".to_vec();
        assert_eq!(status(&auth.handle_zap_message(&bad_version)).0, "400");
        for (mechanism, credentials) in [
            ("PLAIN", vec![b"x".as_slice()]),
            ("CURVE", vec![b"short".as_slice()]),
            ("CURVE", vec![]),
            ("GSSAPI", vec![]),
            ("\u{ff}\x00junk", vec![]),
        ] {
            let reply = auth.handle_zap_message(&request(mechanism, "\u{fffd}", &credentials));
            assert_eq!(status(&reply).0, "400", "{mechanism}");
        }
    }

    #[test]
    fn curve_callbacks_and_their_panics() {
        let mut auth = Authenticator::new();
        let key = [7u8; 32];
        let z85 = crate::z85::encode(key).unwrap();
        let expected = z85.clone();
        auth.configure_curve_callback("*", move |domain, k| domain == "global" && k == expected)
            .unwrap();
        let ok = auth.handle_zap_message(&request("CURVE", "1.1.1.1", &[&key]));
        assert_eq!(status(&ok), ("200".into(), z85));
        let other = auth.handle_zap_message(&request("CURVE", "1.1.1.1", &[&[8u8; 32]]));
        assert_eq!(status(&other).0, "400");
        auth.configure_curve_callback("*", |_, _| panic!("a bug in the callback"))
            .unwrap();
        let failed = auth.handle_zap_message(&request("CURVE", "1.1.1.1", &[&key]));
        assert_eq!(status(&failed).0, "500");
        auth.configure_curve("*", CURVE_ALLOW_ANY).unwrap();
        let any = auth.handle_zap_message(&request("CURVE", "1.1.1.1", &[&[9u8; 32]]));
        assert_eq!(status(&any).0, "200");
    }
}
