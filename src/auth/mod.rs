//! ZAP authentication and CURVE certificates (pyzmq's `zmq.auth`).
//!
//! libzmq asks a ZAP handler (RFC 27), on `inproc://zeromq.zap.01` of the
//! socket's context, whether a peer may complete its handshake: for every
//! PLAIN or CURVE server socket, and for NULL sockets with a `ZAP_DOMAIN`.
//! [`ThreadAuthenticator`] is such a handler with pyzmq's policy
//! ([`Authenticator`]): addresses allowed or denied, PLAIN passwords per
//! domain, CURVE keys from a directory of certificates, any key, or a
//! callback. Certificates are files in the ZPL format czmq and pyzmq write
//! ([`create_certificates`], [`load_certificate`], [`load_certificates`]).
//!
//! ```
//! # if !zmq::has("curve") { return Ok(()); }
//! let dir = std::env::temp_dir().join(format!("zmq-auth-doc-{}", std::process::id()));
//! std::fs::create_dir_all(&dir).unwrap();
//! let (_, server_secret_file) = zmq::auth::create_certificates(&dir, "server")?;
//! let (client_public_file, client_secret_file) = zmq::auth::create_certificates(&dir, "client")?;
//!
//! let ctx = zmq::Context::new();
//! let auth = zmq::auth::ThreadAuthenticator::new(&ctx);
//! auth.start()?;
//! auth.configure_curve("*", &dir)?; // the *.key files: both public keys
//!
//! let (server_public, server_secret) = zmq::auth::load_certificate(&server_secret_file)?;
//! let server = ctx.socket(zmq::PULL)?;
//! server.set_curve_secretkey(server_secret.unwrap())?;
//! server.set_curve_server(true)?;
//! server.bind("tcp://127.0.0.1:*")?;
//!
//! let (client_public, client_secret) = zmq::auth::load_certificate(&client_secret_file)?;
//! let client = ctx.socket(zmq::PUSH)?;
//! client.set_curve_publickey(&client_public)?;
//! client.set_curve_secretkey(client_secret.unwrap())?;
//! client.set_curve_serverkey(&server_public)?;
//! client.connect(&server.last_endpoint()?)?;
//! client.send("encrypted", 0)?;
//! server.set_rcvtimeo(5000)?;
//! let msg = server.recv_msg(0)?;
//! assert_eq!(msg.gets("User-Id").unwrap().as_bytes(), client_public);
//! # let _ = client_public_file;
//! # std::fs::remove_dir_all(&dir).unwrap();
//! # Ok::<(), zmq::Error>(())
//! ```
//!
//! Decisions are logged through the `log` crate, target `zmq::auth`, as
//! pyzmq logs through `logging` ("zmq.auth"): `debug` for what passes,
//! `info` for what is refused and why, `warn` for malformed requests and
//! certificate files skipped, `error` for a CURVE callback that panicked.

#[cfg(feature = "tokio")]
mod asyncio;
mod authenticator;
mod certs;
mod thread;
mod zap;

#[cfg(feature = "tokio")]
pub use asyncio::AsyncioAuthenticator;
pub use authenticator::{Authenticator, CURVE_ALLOW_ANY};
pub use certs::{
    create_certificates, create_certificates_with_metadata, load_certificate, load_certificates,
};
pub use thread::ThreadAuthenticator;
