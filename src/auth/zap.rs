//! What both authenticators share: the ZAP endpoint, one request answered
//! from its frames, and the policy methods they expose.

use std::sync::{Mutex, MutexGuard};

use super::Authenticator;
use crate::Message;

/// libzmq's ZAP endpoint (RFC 27).
pub(super) const ZAP_ENDPOINT: &str = "inproc://zeromq.zap.01";

/// The reply to one request read from the ZAP ROUTER (`frames`: the peer's
/// routing id, the empty delimiter libzmq's requests carry, then the ZAP
/// frames), routed back to the peer; `None` to drop it (too malformed to
/// answer). The ZAP socket is a ROUTER, so a request can be dropped (a REP
/// would have to answer before it could read the next).
pub(super) fn reply(frames: &[Message], policy: &Mutex<Authenticator>) -> Option<Vec<Message>> {
    let envelope = if frames.get(1).is_some_and(|f| f.is_empty()) {
        2
    } else {
        1
    };
    if frames.len() < envelope {
        return None;
    }
    let request: Vec<Vec<u8>> = frames[envelope..].iter().map(|f| f.to_vec()).collect();
    let reply = Authenticator::respond(policy, &request)?;
    Some(
        frames[..envelope]
            .iter()
            .map(|f| Message::from(f.as_bytes()))
            .chain(reply.into_iter().map(Message::from))
            .collect(),
    )
}

/// The lock, ignoring poison: the policy's state stays consistent (a
/// panicking CURVE callback runs without it).
pub(super) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The policy methods of an authenticator whose `policy` field is an
/// `Arc<Mutex<Authenticator>>`: each takes effect for the next handshake.
macro_rules! policy_methods {
    () => {
        /// See [`Authenticator::allow`].
        pub fn allow<I, S>(&self, addresses: I) -> Result<()>
        where
            I: IntoIterator<Item = S>,
            S: Into<String>,
        {
            super::zap::lock(&self.policy).allow(addresses)
        }

        /// See [`Authenticator::deny`].
        pub fn deny<I, S>(&self, addresses: I) -> Result<()>
        where
            I: IntoIterator<Item = S>,
            S: Into<String>,
        {
            super::zap::lock(&self.policy).deny(addresses)
        }

        /// See [`Authenticator::configure_plain`].
        pub fn configure_plain<I, U, P>(&self, domain: &str, passwords: I) -> Result<()>
        where
            I: IntoIterator<Item = (U, P)>,
            U: Into<String>,
            P: Into<String>,
        {
            super::zap::lock(&self.policy).configure_plain(domain, passwords)
        }

        /// See [`Authenticator::configure_curve`].
        pub fn configure_curve(
            &self,
            domain: &str,
            location: impl AsRef<std::path::Path>,
        ) -> Result<()> {
            // The directory is read before the policy is locked: handshakes
            // go on meanwhile.
            let location = location.as_ref();
            if location == std::path::Path::new(super::CURVE_ALLOW_ANY) {
                return super::zap::lock(&self.policy).configure_curve(domain, location);
            }
            let mut staged = Authenticator::new();
            staged.configure_curve(domain, location)?;
            super::zap::lock(&self.policy).adopt_curve(domain, staged);
            Ok(())
        }

        /// See [`Authenticator::configure_curve_callback`].
        pub fn configure_curve_callback<F>(&self, domain: &str, callback: F) -> Result<()>
        where
            F: Fn(&str, &str) -> bool + Send + Sync + 'static,
        {
            super::zap::lock(&self.policy).configure_curve_callback(domain, callback)
        }
    };
}
pub(super) use policy_methods;
