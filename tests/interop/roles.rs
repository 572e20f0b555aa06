//! The Rust side of each scenario: the same roles as peer.py, printing the
//! same lines (returned, not printed). A server announces "ENDPOINT ..."
//! (and "KEY ..." for CURVE) as soon as it is bound.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;
use std::time::Duration;

type Lines = Result<Vec<String>, String>;

pub enum Role {
    /// Binds; sends announcements to the test.
    Server(Sender<String>),
    /// Connects.
    Client,
}

/// A failed expectation, as the role's error.
macro_rules! expect {
    ($cond:expr, $($what:tt)+) => {
        if !$cond {
            return Err(format!($($what)+));
        }
    };
}

struct Side {
    ctx: zmq::Context,
    role: Role,
    endpoint: String,
    lines: Vec<String>,
}

impl Side {
    fn socket(&self, kind: zmq::SocketType) -> Result<zmq::Socket, String> {
        let s = self.ctx.socket(kind).map_err(err)?;
        s.set_rcvtimeo(10_000).map_err(err)?;
        s.set_sndtimeo(10_000).map_err(err)?;
        s.set_linger(2000).map_err(err)?;
        Ok(s)
    }

    /// Binds (server) or connects (client) `s` to the endpoint.
    fn attach(&mut self, s: &zmq::Socket) -> Result<(), String> {
        match &self.role {
            Role::Server(announce) => {
                s.bind(&self.endpoint).map_err(err)?;
                let bound = s.last_endpoint().map_err(err)?;
                let _ = announce.send(format!("ENDPOINT {bound}"));
                self.out(format!("ENDPOINT {bound}"));
            }
            Role::Client => s.connect(&self.endpoint).map_err(err)?,
        }
        Ok(())
    }

    fn announce(&mut self, line: String) {
        if let Role::Server(announce) = &self.role {
            let _ = announce.send(line.clone());
        }
        self.out(line);
    }

    fn out(&mut self, line: impl Into<String>) {
        self.lines.push(line.into());
    }

    fn is_server(&self) -> bool {
        matches!(self.role, Role::Server(_))
    }
}

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

/// Runs one role of `scenario`; `stop` ends servers that run until told.
pub fn run(
    scenario: &str,
    role: Role,
    endpoint: &str,
    args: &[String],
    stop: &AtomicBool,
) -> Lines {
    let mut side = Side {
        ctx: zmq::Context::new(),
        role,
        endpoint: endpoint.to_string(),
        lines: Vec::new(),
    };
    match scenario {
        "reqrep" => reqrep(&mut side)?,
        "pubsub" => pubsub(&mut side, stop)?,
        "xpub" => xpub(&mut side, args)?,
        "pushpull" => pushpull(&mut side)?,
        "routerdealer" => routerdealer(&mut side)?,
        "pair" => pair(&mut side)?,
        "sizes" => sizes(&mut side)?,
        "burst" => burst(&mut side)?,
        "plain" => plain(&mut side, args)?,
        "curve" => curve(&mut side, args)?,
        "authcurve" => authcurve(&mut side, args)?,
        "authplain" => authplain(&mut side, args)?,
        #[cfg(feature = "tokio")]
        "asyncio" => asyncio(&mut side)?,
        other => return Err(format!("no Rust role for {other}")),
    }
    let Side { ctx, lines, .. } = side;
    ctx.term().map_err(err)?;
    Ok(lines)
}

/// "Peer-Address" of a received message, "-" where the transport has none.
fn peer_address(msg: &zmq::Message) -> String {
    match msg.gets("Peer-Address") {
        Some(address) if !address.is_empty() => address,
        _ => "-".into(),
    }
}

fn reqrep(side: &mut Side) -> Result<(), String> {
    if side.is_server() {
        let s = side.socket(zmq::REP)?;
        side.attach(&s)?;
        for i in 0..3 {
            let msg = s.recv_msg(0).map_err(err)?;
            expect!(*msg == *format!("Hello {i}").as_bytes(), "request {msg:?}");
            side.out(format!("PEER {}", peer_address(&msg)));
            s.send(format!("World {i}").as_str(), 0).map_err(err)?;
        }
    } else {
        let s = side.socket(zmq::REQ)?;
        side.attach(&s)?;
        for i in 0..3 {
            s.send(format!("Hello {i}").as_str(), 0).map_err(err)?;
            let reply = s.recv_string(0).map_err(err)?;
            expect!(reply == format!("World {i}"), "reply {reply}");
        }
        side.out("DONE");
    }
    Ok(())
}

fn pubsub(side: &mut Side, stop: &AtomicBool) -> Result<(), String> {
    if side.is_server() {
        let s = side.socket(zmq::PUB)?;
        side.attach(&s)?;
        let mut i = 0u64;
        while !stop.load(Ordering::SeqCst) {
            s.send(format!("A-{i}").as_str(), 0).map_err(err)?;
            s.send(format!("B-{i}").as_str(), 0).map_err(err)?;
            i += 1;
            std::thread::sleep(Duration::from_millis(1));
        }
    } else {
        let s = side.socket(zmq::SUB)?;
        side.attach(&s)?;
        s.subscribe("A-").map_err(err)?;
        let mut numbers = Vec::new();
        for _ in 0..50 {
            let m = s.recv_string(0).map_err(err)?;
            let n = m.strip_prefix("A-").ok_or(format!("got {m}"))?;
            numbers.push(n.parse::<u64>().map_err(err)?);
        }
        let first = numbers[0];
        expect!(
            numbers == (first..first + 50).collect::<Vec<_>>(),
            "{numbers:?}"
        );
        side.out("DONE");
    }
    Ok(())
}

fn xpub(side: &mut Side, args: &[String]) -> Result<(), String> {
    if side.is_server() {
        let s = side.socket(zmq::XPUB)?;
        side.attach(&s)?;
        let sub = s.recv(0).map_err(err)?;
        expect!(sub == b"\x01A-", "subscription {sub:?}");
        side.out("SUBSCRIBED 01412d");
        for i in 0..100 {
            s.send(format!("A-{i}").as_str(), 0).map_err(err)?;
            s.send(format!("B-{i}").as_str(), 0).map_err(err)?;
        }
        s.send("A-END", 0).map_err(err)?;
        let unsub = s.recv(0).map_err(err)?;
        expect!(unsub == b"\x00A-", "unsubscription {unsub:?}");
        side.out("UNSUBSCRIBED 00412d");
    } else {
        let plain_sub = args.first().map(String::as_str) == Some("sub");
        let s = side.socket(if plain_sub { zmq::SUB } else { zmq::XSUB })?;
        side.attach(&s)?;
        if plain_sub {
            s.subscribe("A-").map_err(err)?;
        } else {
            s.send(b"\x01A-", 0).map_err(err)?;
        }
        let mut got = Vec::new();
        loop {
            let m = s.recv_string(0).map_err(err)?;
            if m == "A-END" {
                break;
            }
            got.push(m);
        }
        let expected: Vec<String> = (0..100).map(|i| format!("A-{i}")).collect();
        expect!(got == expected, "{got:?}");
        if plain_sub {
            s.unsubscribe("A-").map_err(err)?;
        } else {
            s.send(b"\x00A-", 0).map_err(err)?;
        }
        side.out("DONE");
    }
    Ok(())
}

fn pushpull(side: &mut Side) -> Result<(), String> {
    if side.is_server() {
        let s = side.socket(zmq::PUSH)?;
        let monitor = s
            .get_monitor_socket(zmq::Event::HANDSHAKE_SUCCEEDED)
            .map_err(err)?;
        monitor.set_rcvtimeo(10_000).map_err(err)?;
        side.attach(&s)?;
        for _ in 0..2 {
            zmq::recv_monitor_message(&monitor, 0).map_err(err)?;
        }
        for i in 0..100 {
            s.send(i.to_string().as_str(), 0).map_err(err)?;
        }
        s.send("END", 0).map_err(err)?;
        s.send("END", 0).map_err(err)?;
        s.disable_monitor().map_err(err)?;
        side.out("SENT");
    } else {
        let workers = [side.socket(zmq::PULL)?, side.socket(zmq::PULL)?];
        for w in &workers {
            side.attach(w)?;
        }
        let (mut counts, mut seen) = (Vec::new(), Vec::new());
        for w in &workers {
            let mut numbers = Vec::new();
            loop {
                let m = w.recv_string(0).map_err(err)?;
                if m == "END" {
                    break;
                }
                numbers.push(m.parse::<u32>().map_err(err)?);
            }
            expect!(numbers.windows(2).all(|p| p[0] < p[1]), "{numbers:?}");
            counts.push(numbers.len());
            seen.extend(numbers);
        }
        seen.sort();
        expect!(seen == (0..100).collect::<Vec<_>>(), "{seen:?}");
        side.out(format!("COUNTS {} {}", counts[0], counts[1]));
    }
    Ok(())
}

#[cfg(feature = "tokio")]
const ASYNC_DEALERS: usize = 4;
#[cfg(feature = "tokio")]
const ASYNC_REQUESTS: usize = 50;

/// `asyncio`: zmq::asyncio on a current-thread runtime, as peer.py's
/// zmq.asyncio: the ROUTER answers from one task; the four DEALERs run at
/// once on one thread, each sending its requests before it reads the
/// replies (through its `Stream`). The sockets get the same timeouts as
/// the sync roles (RCVTIMEO: a lost reply fails instead of hanging).
#[cfg(feature = "tokio")]
fn asyncio(side: &mut Side) -> Result<(), String> {
    use futures_util::StreamExt;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(err)?;
    if side.is_server() {
        let s = side.socket(zmq::ROUTER)?;
        side.attach(&s)?;
        let s = zmq::asyncio::Socket::from_socket(s).map_err(err)?;
        let (ids, count) = runtime.block_on(async {
            let mut ids = std::collections::BTreeSet::new();
            let mut count = 0;
            while count < ASYNC_DEALERS * ASYNC_REQUESTS {
                let parts = s.recv_multipart_msg(0).await.map_err(err)?;
                let [id, empty, req, n] = &parts[..] else {
                    return Err(format!("{} parts: {parts:?}", parts.len()));
                };
                expect!(empty.is_empty() && &**req == b"req", "{parts:?}");
                ids.insert(String::from_utf8_lossy(id).into_owned());
                count += 1;
                let reply: [&[u8]; 4] = [id, b"", b"rep", n];
                s.send_multipart(reply, 0).await.map_err(err)?;
            }
            Ok::<_, String>((ids, count))
        })?;
        side.out(format!(
            "IDS {}",
            ids.into_iter().collect::<Vec<_>>().join(" ")
        ));
        side.out(format!("COUNT {count}"));
    } else {
        let mut dealers = Vec::new();
        for i in 0..ASYNC_DEALERS {
            let d = side.socket(zmq::DEALER)?;
            d.set_routing_id(format!("dealer-{i}").as_str())
                .map_err(err)?;
            side.attach(&d)?;
            dealers.push(zmq::asyncio::Socket::from_socket(d).map_err(err)?);
        }
        runtime.block_on(futures_util::future::try_join_all(dealers.into_iter().map(
            |mut d| async move {
                for n in 0..ASYNC_REQUESTS {
                    let n = n.to_string();
                    let parts: [&[u8]; 3] = [b"", b"req", n.as_bytes()];
                    d.send_multipart(parts, 0).await.map_err(err)?;
                }
                for n in 0..ASYNC_REQUESTS {
                    let reply = d.next().await.ok_or("the stream ended")?.map_err(err)?;
                    let reply: Vec<&[u8]> = reply.iter().map(|m| &**m).collect();
                    let n = n.to_string();
                    expect!(reply == [&b""[..], b"rep", n.as_bytes()], "reply {reply:?}");
                }
                Ok::<_, String>(())
            },
        )))?;
        side.out("DONE");
    }
    Ok(())
}

fn routerdealer(side: &mut Side) -> Result<(), String> {
    if side.is_server() {
        let s = side.socket(zmq::ROUTER)?;
        side.attach(&s)?;
        serve_router(side, &s)?;
    } else {
        let mut dealers = Vec::new();
        for name in ["dealer-1", "dealer-2"] {
            let d = side.socket(zmq::DEALER)?;
            d.set_routing_id(name).map_err(err)?;
            side.attach(&d)?;
            dealers.push((name, d));
        }
        for n in 0..3 {
            for (_, d) in &dealers {
                let n = n.to_string();
                let parts: [&[u8]; 3] = [b"", b"hello", n.as_bytes()];
                d.send_multipart(parts, 0).map_err(err)?;
            }
            for (name, d) in &dealers {
                let reply = d.recv_multipart(0).map_err(err)?;
                let expected: Vec<Vec<u8>> = vec![
                    vec![],
                    b"reply".to_vec(),
                    name.as_bytes().to_vec(),
                    n.to_string().into_bytes(),
                ];
                expect!(reply == expected, "{reply:?}");
            }
        }
        side.out("DONE");
    }
    Ok(())
}

/// The ROUTER's side of `routerdealer`: six requests from two dealers, each
/// answered through its identity envelope.
pub fn serve_router_on(s: &zmq::Socket) -> Result<String, String> {
    let mut ids = std::collections::BTreeSet::new();
    for _ in 0..6 {
        let parts = s.recv_multipart(0).map_err(err)?;
        let [id, empty, hello, n] = &parts[..] else {
            return Err(format!("{} parts: {parts:?}", parts.len()));
        };
        expect!(empty.is_empty() && hello == b"hello", "{parts:?}");
        ids.insert(String::from_utf8_lossy(id).into_owned());
        let reply: [&[u8]; 5] = [id, b"", b"reply", id, n];
        s.send_multipart(reply, 0).map_err(err)?;
    }
    Ok(format!(
        "IDS {}",
        ids.into_iter().collect::<Vec<_>>().join(" ")
    ))
}

fn serve_router(side: &mut Side, s: &zmq::Socket) -> Result<(), String> {
    let ids = serve_router_on(s)?;
    side.out(ids);
    Ok(())
}

fn pair(side: &mut Side) -> Result<(), String> {
    let s = side.socket(zmq::PAIR)?;
    side.attach(&s)?;
    for i in 0..10 {
        if side.is_server() {
            let m = s.recv_string(0).map_err(err)?;
            expect!(m == format!("ping {i}"), "{m}");
            s.send(format!("pong {i}").as_str(), 0).map_err(err)?;
        } else {
            s.send(format!("ping {i}").as_str(), 0).map_err(err)?;
            let m = s.recv_string(0).map_err(err)?;
            expect!(m == format!("pong {i}"), "{m}");
        }
    }
    side.out("DONE");
    Ok(())
}

const SIZES: [usize; 4] = [0, 1, 64 * 1024, 16 * 1024 * 1024];

/// The bytes peer.py's `payload` makes: 0, 1, ..., 250, 0, 1, ...
fn payload(size: usize) -> Vec<u8> {
    (0..size).map(|i| (i % 251) as u8).collect()
}

fn sizes(side: &mut Side) -> Result<(), String> {
    let server = side.is_server();
    let s = side.socket(if server { zmq::REP } else { zmq::REQ })?;
    side.attach(&s)?;
    for size in SIZES {
        if server {
            let m = s.recv_msg(0).map_err(err)?;
            expect!(*m == *payload(size), "{} bytes for {size}", m.len());
            s.send(m, 0).map_err(err)?; // the received message, not copied
            side.out(format!("ECHOED {size}"));
        } else {
            s.send(payload(size), 0).map_err(err)?;
            let m = s.recv(0).map_err(err)?;
            expect!(m == payload(size), "{} bytes back for {size}", m.len());
        }
    }
    if !server {
        side.out("DONE");
    }
    Ok(())
}

/// 10,000 messages one way over PAIR, then an acknowledgement back (see
/// peer.py's `burst` for why the sender waits for it).
fn burst(side: &mut Side) -> Result<(), String> {
    const COUNT: usize = 10_000;
    let s = side.socket(zmq::PAIR)?;
    side.attach(&s)?;
    if side.is_server() {
        let mut buf = [0u8; 16];
        for i in 0..COUNT {
            let n = s.recv_into(&mut buf, 0).map_err(err)?;
            expect!(buf[..n] == *i.to_string().as_bytes(), "message {i}");
        }
        s.send("ACK", 0).map_err(err)?;
        side.out(format!("RECEIVED {COUNT}"));
    } else {
        for i in 0..COUNT {
            s.send(i.to_string().as_str(), 0).map_err(err)?;
        }
        expect!(s.recv(0).map_err(err)? == b"ACK", "no ACK");
        side.out(format!("SENT {COUNT}"));
    }
    Ok(())
}

/// A ZAP handler (RFC 27) thread: PLAIN "admin"/"secret" is user "admin".
/// It ends when the context is terminated; its decisions are returned.
fn zap_handler(ctx: &zmq::Context) -> Result<std::thread::JoinHandle<Vec<String>>, String> {
    let handler = ctx.socket(zmq::REP).map_err(err)?;
    handler.set_linger(0).map_err(err)?;
    handler.bind("inproc://zeromq.zap.01").map_err(err)?;
    Ok(std::thread::spawn(move || {
        let mut decisions = Vec::new();
        while let Ok(request) = handler.recv_multipart(0) {
            if request.len() < 6 {
                break;
            }
            let credentials = &request[6..];
            let ok =
                request[5] == b"PLAIN" && credentials == [b"admin".to_vec(), b"secret".to_vec()];
            let status: [&[u8]; 3] = if ok {
                [b"200", b"OK", b"admin"]
            } else {
                [b"400", b"Denied", b""]
            };
            decisions.push(format!(
                "ZAP {} {} {}",
                String::from_utf8_lossy(&request[5]),
                String::from_utf8_lossy(credentials.last().map_or(&[][..], |c| c)),
                String::from_utf8_lossy(status[0])
            ));
            let reply = [
                &request[0][..],
                &request[1],
                status[0],
                status[1],
                status[2],
                b"",
            ];
            if handler.send_multipart(reply, 0).is_err() {
                break;
            }
        }
        decisions
    }))
}

fn plain(side: &mut Side, args: &[String]) -> Result<(), String> {
    if side.is_server() {
        let handler = zap_handler(&side.ctx)?;
        let s = side.socket(zmq::REP)?;
        s.set_plain_server(true).map_err(err)?;
        side.attach(&s)?;
        let msg = received(side, &s)?;
        side.out(format!("PEER {}", peer_address(&msg)));
        s.send("ok", 0).map_err(err)?;
        drop(s);
        // Ending the context ends the handler, which reports its decisions.
        side.ctx.term().map_err(err)?;
        let decisions = handler.join().map_err(|_| "the ZAP handler panicked")?;
        side.lines.extend(decisions);
    } else {
        let password = args.first().ok_or("no password")?;
        let s = side.socket(zmq::REQ)?;
        s.set_plain_username("admin").map_err(err)?;
        s.set_plain_password(password.as_str()).map_err(err)?;
        secure_client(side, s, "hello")?;
    }
    Ok(())
}

fn curve(side: &mut Side, args: &[String]) -> Result<(), String> {
    if side.is_server() {
        let (public, secret) = zmq::curve_keypair().map_err(err)?;
        let s = side.socket(zmq::REP)?;
        s.set_curve_server(true).map_err(err)?;
        s.set_curve_secretkey(&secret).map_err(err)?;
        side.attach(&s)?;
        side.announce(format!("KEY {}", String::from_utf8_lossy(&public)));
        let m = s.recv_string(0).map_err(err)?;
        side.out(format!("REQUEST {m}"));
        s.send("welcome", 0).map_err(err)?;
    } else {
        let (server_key, mode) = match args {
            [key, mode] => (key.as_bytes().to_vec(), mode.as_str()),
            _ => return Err("curve client: KEY MODE".into()),
        };
        let server_key = if mode == "wrongkey" {
            zmq::curve_keypair().map_err(err)?.0
        } else {
            server_key
        };
        let (public, secret) = zmq::curve_keypair().map_err(err)?;
        let s = side.socket(zmq::REQ)?;
        s.set_curve_serverkey(&server_key).map_err(err)?;
        s.set_curve_publickey(&public).map_err(err)?;
        s.set_curve_secretkey(&secret).map_err(err)?;
        s.set_rcvtimeo(1500).map_err(err)?;
        s.set_linger(0).map_err(err)?;
        side.attach(&s)?;
        s.send(format!("hello from {mode}").as_str(), 0)
            .map_err(err)?;
        match s.recv_string(0) {
            Ok(reply) => side.out(format!("REPLY {reply}")),
            Err(zmq::Error::Again) => side.out("NO-REPLY"),
            Err(e) => return Err(e.to_string()),
        }
    }
    Ok(())
}

/// Connects `s` with a monitor: "AUTH-FAILED <status>" if the server's
/// authenticator refused the handshake, else the reply to `body`.
fn secure_client(side: &mut Side, s: zmq::Socket, body: &str) -> Result<(), String> {
    let monitor = s
        .get_monitor_socket(zmq::Event::HANDSHAKE_SUCCEEDED | zmq::Event::HANDSHAKE_FAILED_AUTH)
        .map_err(err)?;
    monitor.set_rcvtimeo(10_000).map_err(err)?;
    side.attach(&s)?;
    let event = zmq::recv_monitor_message(&monitor, 0).map_err(err)?;
    if event.event == zmq::Event::HANDSHAKE_FAILED_AUTH {
        side.out(format!("AUTH-FAILED {}", event.value));
    } else {
        s.send(body, 0).map_err(err)?;
        let reply = s.recv_string(0).map_err(err)?;
        side.out(format!("REPLY {reply}"));
    }
    drop(monitor);
    s.set_linger(0).map_err(err)?;
    Ok(())
}

/// Receives one request, printing it and the User-Id its ZAP handler gave.
fn received(side: &mut Side, s: &zmq::Socket) -> Result<zmq::Message, String> {
    let msg = s.recv_msg(0).map_err(err)?;
    side.out(format!("REQUEST {}", String::from_utf8_lossy(&msg)));
    side.out(format!(
        "USER-ID {}",
        msg.gets("User-Id").unwrap_or_default()
    ));
    Ok(msg)
}

/// A REP socket prepared by `setup`, behind `auth`: serves one request,
/// printing it and the User-Id the authenticator gave it.
fn guarded_server(
    side: &mut Side,
    auth: zmq::auth::ThreadAuthenticator,
    setup: impl Fn(&zmq::Socket) -> zmq::Result<()>,
) -> Result<(), String> {
    let s = side.socket(zmq::REP)?;
    setup(&s).map_err(err)?;
    side.attach(&s)?;
    received(side, &s)?;
    s.send("welcome", 0).map_err(err)?;
    drop(s);
    auth.stop().map_err(err)
}

/// The authenticator every guarded server starts: 127.0.0.1 allowed on tcp
/// (ipc peers have no address), as peer.py's.
fn authenticator(side: &Side) -> Result<zmq::auth::ThreadAuthenticator, String> {
    let auth = zmq::auth::ThreadAuthenticator::new(&side.ctx);
    auth.start().map_err(err)?;
    if side.endpoint.starts_with("tcp://") {
        auth.allow(["127.0.0.1"]).map_err(err)?;
    }
    Ok(auth)
}

/// CURVE with certificate files (peer.py's authcurve): the server's
/// authenticator allows the public keys in DIR/clients; a client uses
/// DIR/private/NAME.key_secret.
fn authcurve(side: &mut Side, args: &[String]) -> Result<(), String> {
    let certdir = std::path::Path::new(args.first().ok_or("authcurve: DIR")?);
    if side.is_server() {
        let (public, secret) =
            zmq::auth::load_certificate(certdir.join("server.key_secret")).map_err(err)?;
        let secret = secret.ok_or("server.key_secret has no secret key")?;
        let auth = authenticator(side)?;
        auth.configure_curve("*", certdir.join("clients"))
            .map_err(err)?;
        guarded_server(side, auth, |s| {
            s.set_curve_secretkey(&secret)?;
            s.set_curve_publickey(&public)?;
            s.set_curve_server(true)
        })
    } else {
        let name = args.get(1).ok_or("authcurve client: DIR NAME")?;
        let (public, secret) =
            zmq::auth::load_certificate(certdir.join("private").join(format!("{name}.key_secret")))
                .map_err(err)?;
        let secret = secret.ok_or("no secret key")?;
        let (server_public, _) =
            zmq::auth::load_certificate(certdir.join("server.key")).map_err(err)?;
        let s = side.socket(zmq::REQ)?;
        s.set_curve_secretkey(&secret).map_err(err)?;
        s.set_curve_publickey(&public).map_err(err)?;
        s.set_curve_serverkey(&server_public).map_err(err)?;
        secure_client(side, s, &format!("hello from {name}"))
    }
}

/// PLAIN behind the authenticator (peer.py's authplain): user "admin",
/// password "secret".
fn authplain(side: &mut Side, args: &[String]) -> Result<(), String> {
    if side.is_server() {
        let auth = authenticator(side)?;
        auth.configure_plain("*", [("admin", "secret")])
            .map_err(err)?;
        guarded_server(side, auth, |s| s.set_plain_server(true))
    } else {
        let [user, password] = args else {
            return Err("authplain client: USER PASSWORD".into());
        };
        let s = side.socket(zmq::REQ)?;
        s.set_plain_username(user.as_str()).map_err(err)?;
        s.set_plain_password(password.as_str()).map_err(err)?;
        secure_client(side, s, &format!("hello from {user}"))
    }
}
