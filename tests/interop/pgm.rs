//! PGM/epgm multicast, each test inside a network namespace it makes itself
//! (only loopback traffic): Rust to Rust, Rust to and from Debian's
//! python3-zmq (OpenPGM on both sides), the multicast options, and NAK
//! repair under 5 % packet loss.

use std::time::{Duration, Instant};

use crate::common::netns::NextDoor;
use crate::{peers, Peer};

fn in_netns(test: &str) -> bool {
    assert!(
        zmq::has("pgm"),
        "this libzmq has no PGM (build with --features pgm)"
    );
    crate::common::netns::in_multicast_netns(test)
}

/// The PGM-capable Debian peer (these tests only run when asked for: its
/// absence is a failure).
fn debian_pgm_peer() -> &'static Peer {
    peers()
        .iter()
        .find(|p| p.label.starts_with("Debian") && p.has("pgm"))
        .expect("no Debian python3-zmq with PGM (apt-get install python3-zmq)")
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
#[ignore = "needs a network namespace of its own (root or user namespaces), a libzmq with PGM and Debian's python3-zmq (CI runs --include-ignored)"]
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

/// Contexts made at the same moment in two threads, each connecting an epgm
/// socket at once. libzmq calls OpenPGM's `pgm_init` in every
/// `zmq_ctx_new`, and `pgm_init` counts callers before it initialises: a
/// second caller returns at once, while the first is still working, and
/// its first `pgm_connect` jumps through a function pointer not yet set
/// (SIGSEGV; CI saw it in about 1 run of the loss test in 50).
///
/// Here the first caller is held inside `pgm_init` for half a second, so the
/// crash is certain without the fix: OpenPGM logs to standard output
/// (`PGM_MIN_LOG_LEVEL=MINOR`) from inside `pgm_init`, before it sets its
/// clock, and standard output is a pipe filled to the brim that is drained
/// only after 500 ms. `Context::new` initialises OpenPGM once, before any
/// context is handed out, so the second thread waits instead.
#[test]
#[ignore = "needs a network namespace of its own (root or user namespaces), a libzmq with PGM and Debian's python3-zmq (CI runs --include-ignored)"]
fn contexts_made_at_once_in_two_threads() {
    if !in_netns("pgm::contexts_made_at_once_in_two_threads") {
        return;
    }
    // On a veth, not `lo`: OpenPGM warns about loopback interfaces while
    // resolving the endpoint, which would stall the second thread too.
    let _door = NextDoor::new();
    let stalled = StalledStdout::new(Duration::from_millis(500));
    // SAFETY (edition 2021: safe, but the reason it is sound): one thread
    // runs here (--test-threads=1 in a fresh process) and nothing reads the
    // environment concurrently; OpenPGM reads it once, in its first init.
    std::env::set_var("PGM_MIN_LOG_LEVEL", "MINOR");
    let start = std::sync::Barrier::new(2);
    std::thread::scope(|scope| {
        for (kind, port) in [(zmq::PUB, 6001), (zmq::SUB, 6002)] {
            let start = &start;
            scope.spawn(move || {
                start.wait();
                let ctx = zmq::Context::new();
                let s = socket(&ctx, kind);
                s.connect(&format!("epgm://{};239.192.9.3:{port}", NextDoor::HERE))
                    .unwrap();
                // Terminating the context waits for its I/O thread, which
                // connects the PGM socket first.
                drop(s);
                ctx.term().unwrap();
            });
        }
    });
    drop(stalled);
}

/// Standard output (fd 1) replaced by a full pipe, so that any write to it
/// blocks until a thread starts draining it after `delay`. Dropping it puts
/// the real standard output back.
struct StalledStdout {
    saved: libc::c_int,
    drainer: Option<std::thread::JoinHandle<()>>,
}

impl StalledStdout {
    fn new(delay: Duration) -> StalledStdout {
        let mut fds = [0; 2];
        // SAFETY: plain descriptor calls on descriptors made here; `fds` is a
        // two-element array as pipe(2) requires, and the buffer written is
        // a live local array of the length given.
        unsafe {
            assert_eq!(libc::pipe(fds.as_mut_ptr()), 0);
            let [read_end, write_end] = fds;
            libc::fcntl(write_end, libc::F_SETFL, libc::O_NONBLOCK);
            let block = [b'.'; 4096];
            while libc::write(write_end, block.as_ptr().cast(), block.len()) > 0 {}
            while libc::write(write_end, block.as_ptr().cast(), 1) > 0 {}
            libc::fcntl(write_end, libc::F_SETFL, 0);
            let saved = libc::dup(1);
            assert!(saved >= 0);
            assert_eq!(libc::dup2(write_end, 1), 1);
            libc::close(write_end);
            let drainer = std::thread::spawn(move || {
                std::thread::sleep(delay);
                let mut buf = [0u8; 4096];
                // SAFETY: `read_end` is ours alone; `buf` is a live buffer of
                // the length given. Ends at EOF, when fd 1 is put back.
                while libc::read(read_end, buf.as_mut_ptr().cast(), buf.len()) > 0 {}
                libc::close(read_end);
            });
            StalledStdout {
                saved,
                drainer: Some(drainer),
            }
        }
    }
}

impl Drop for StalledStdout {
    fn drop(&mut self) {
        // SAFETY: `saved` is the descriptor dup'ed in `new`; dup2 closes the
        // pipe's last write end, so the drainer sees EOF.
        unsafe {
            libc::dup2(self.saved, 1);
            libc::close(self.saved);
        }
        if let Some(drainer) = self.drainer.take() {
            let _ = drainer.join();
        }
    }
}

#[test]
#[ignore = "needs a network namespace of its own (root or user namespaces), a libzmq with PGM and Debian's python3-zmq (CI runs --include-ignored)"]
fn rust_and_debian_both_ways() {
    if !in_netns("pgm::rust_and_debian_both_ways") {
        return;
    }
    let peer = debian_pgm_peer();
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
#[ignore = "needs a network namespace of its own (root or user namespaces), a libzmq with PGM and Debian's python3-zmq (CI runs --include-ignored)"]
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
        // PGM_MULTICAST_LOOP to 0); its effect on UDP is tested below.
        let publisher = socket(&ctx, zmq::PUB);
        publisher.set_multicast_loop(false).unwrap();
        assert!(!publisher.multicast_loop().unwrap());
    }
}

/// `nft`, here or next door.
fn nft_command(next_door: Option<&NextDoor>) -> std::process::Command {
    match next_door {
        Some(door) => door.command("nft"),
        None => std::process::Command::new("nft"),
    }
}

/// Runs `script` through `nft -f -`, here or next door.
fn nft(next_door: Option<&NextDoor>, script: &str) {
    use std::io::Write;
    let mut nft = nft_command(next_door)
        .args(["-f", "-"])
        .stdin(std::process::Stdio::piped())
        .spawn()
        .expect("nft (Debian's nftables) to make packet loss");
    nft.stdin
        .take()
        .unwrap()
        .write_all(script.as_bytes())
        .unwrap();
    assert!(nft.wait().unwrap().success(), "nft failed on:\n{script}");
}

/// `nft list table inet loss`, here or next door.
fn nft_list(next_door: Option<&NextDoor>) -> String {
    let out = nft_command(next_door)
        .args(["list", "table", "inet", "loss"])
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The `packets` of the nftables counter whose comment is `name`.
fn counter(listing: &str, name: &str) -> u64 {
    let line = listing
        .lines()
        .find(|l| l.contains(&format!("comment \"{name}\"")))
        .unwrap_or_else(|| panic!("no counter {name:?} in:\n{listing}"));
    let packets = line.split("packets ").nth(1).expect("a packet count");
    packets.split(' ').next().unwrap().parse().unwrap()
}

/// A PUB here and a SUB next door over epgm on group 239.192.9.6:`port`,
/// the PUB at `rate` kbit/s keeping `recovery_ivl` ms for repair. Once they
/// have joined, every 20th packet to `port` is dropped as it arrives on
/// either side (data and repairs on the SUB's side, NAKs on the PUB's), and
/// `count` messages "data N" of 100 bytes go out; once the SUB has heard
/// nothing for `silence` ms, `late` more follow, one every 20 ms. The SUB has the PUB's
/// RATE (it sizes its receive window from RATE and its own RECOVERY_IVL).
/// Returns the N received, in the order received. Returns the N received
/// before `silence` ms passed with nothing.
fn lossy_run(
    door: &NextDoor,
    port: u16,
    rate: i32,
    recovery_ivl: i32,
    count: usize,
    late: usize,
    silence: i32,
) -> Vec<usize> {
    use std::sync::mpsc;
    let group = format!("239.192.9.6:{port}");
    let count_spm_and_rdata = format!(
        "add rule inet loss input udp dport {port} @th,96,8 0 counter comment \"spm {port}\"\n\
         add rule inet loss input udp dport {port} @th,96,8 5 counter comment \"rdata {port}\"\n"
    );
    nft(Some(door), &count_spm_and_rdata);
    let (joined_tx, joined_rx) = mpsc::channel();
    let (ready_tx, ready_rx) = mpsc::channel();
    let (quiet_tx, quiet_rx) = mpsc::channel();
    std::thread::scope(|scope| {
        let receiver = scope.spawn(|| {
            door.enter();
            let ctx = zmq::Context::new();
            let sub = socket(&ctx, zmq::SUB);
            sub.subscribe("").unwrap();
            sub.set_rcvhwm(0).unwrap();
            sub.set_rate(rate).unwrap();
            sub.set_rcvtimeo(20_000).unwrap();
            sub.connect(&format!("epgm://{};{group}", NextDoor::THERE))
                .unwrap();
            sub.recv(0)
                .expect("no epgm probe arrived next door in 20 s");
            joined_tx.send(()).unwrap();
            // Probes still on their way end with the "joined" marker.
            while sub.recv(0).expect("the end of the probes") != b"joined" {}
            ready_tx.send(()).unwrap();
            sub.set_rcvtimeo(silence).unwrap();
            let mut got = Vec::new();
            let read = |got: &mut Vec<usize>, until: usize| {
                while got.len() < until {
                    let Ok(m) = sub.recv(0) else { break };
                    let text = String::from_utf8_lossy(&m);
                    let n = text
                        .trim_end()
                        .strip_prefix("data ")
                        .and_then(|n| n.parse().ok())
                        .unwrap_or_else(|| panic!("not a data message: {text:?}"));
                    got.push(n);
                }
            };
            read(&mut got, count);
            if late > 0 {
                quiet_tx.send(()).unwrap();
                let until = got.len() + late;
                read(&mut got, until);
            }
            got
        });

        let ctx = zmq::Context::new();
        let publisher = socket(&ctx, zmq::PUB);
        publisher.set_rate(rate).unwrap();
        publisher.set_recovery_ivl(recovery_ivl).unwrap();
        assert_eq!(publisher.recovery_ivl().unwrap(), recovery_ivl);
        publisher.set_sndhwm(0).unwrap();
        publisher
            .connect(&format!("epgm://{};{group}", NextDoor::HERE))
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            publisher.send("probe", 0).unwrap();
            if joined_rx.recv_timeout(Duration::from_millis(50)).is_ok() {
                break;
            }
            assert!(Instant::now() < deadline, "the SUB next door never joined");
        }
        publisher.send("joined", 0).unwrap();
        ready_rx
            .recv_timeout(Duration::from_secs(20))
            .expect("the SUB next door saw the end of the probes");

        // A receiver can only NAK once an SPM has told it where the sender
        // is (its NLA); a loss before that is final. SPMs follow data
        // after 100 ms: wait until one has arrived next door.
        let deadline = Instant::now() + Duration::from_secs(20);
        while counter(&nft_list(Some(door)), &format!("spm {port}")) == 0 {
            assert!(
                Instant::now() < deadline,
                "no SPM arrived next door in 20 s"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
        let drop_every_20th = format!(
            "add rule inet loss input udp dport {port} numgen inc mod 20 == 19 counter drop \
             comment \"drop {port}\"\n"
        );
        nft(None, &drop_every_20th);
        nft(Some(door), &drop_every_20th);

        for i in 0..count {
            let padded = format!("{:<100}", format!("data {i}"));
            publisher.send(padded.as_str(), 0).unwrap();
        }
        if late > 0 {
            quiet_rx
                .recv_timeout(Duration::from_secs(60))
                .expect("the SUB next door went quiet");
            for i in count..count + late {
                let padded = format!("{:<100}", format!("data {i}"));
                publisher.send(padded.as_str(), 0).unwrap();
                std::thread::sleep(Duration::from_millis(20)); // a trickle, not a burst
            }
        }
        receiver.join().unwrap()
    })
}

/// Loss between two hosts: a PUB here, a SUB next door (a second namespace,
/// see `NextDoor`), every 20th packet dropped on arrival on either side:
/// 5 %, with nftables counting what it drops and the repairs (RDATA) that
/// arrive. `tc qdisc ... netem loss 5%` is the usual tool, but this kernel
/// has no netem (the test says whether it has); nftables drops on arrival
/// as netem would on the way, unseen by the sender. (A drop on the *output*
/// hook is no loss at all: `sendto` fails and OpenPGM sends again.)
///
/// RECOVERY_IVL takes effect: with a 10 s window 1000 messages all arrive,
/// in order, repaired; with a 1 ms window (one packet) losses stay lost.
#[test]
#[ignore = "needs a network namespace of its own (root or user namespaces), a libzmq with PGM and Debian's python3-zmq (CI runs --include-ignored)"]
fn loss_of_5_percent_is_repaired() {
    if !in_netns("pgm::loss_of_5_percent_is_repaired") {
        return;
    }
    let door = NextDoor::new();
    match std::process::Command::new("tc")
        .args(["qdisc", "add", "dev", "zmqa", "root", "netem", "loss", "5%"])
        .output()
    {
        Ok(out) if out.status.success() => {
            crate::common::netns::run("tc", &["qdisc", "del", "dev", "zmqa", "root"]);
            println!("netem is available; nftables makes the loss all the same (counted)");
        }
        Ok(out) => println!(
            "netem is not available on this machine ({}); loss made with nftables",
            String::from_utf8_lossy(&out.stderr).trim()
        ),
        Err(e) => {
            println!("netem is not available on this machine (tc: {e}); loss made with nftables")
        }
    }
    let table = "add table inet loss\n\
                 add chain inet loss input { type filter hook input priority 0; }\n";
    nft(None, table);
    nft(Some(&door), table);
    let counters = |port: u16| {
        let (here, there) = (nft_list(None), nft_list(Some(&door)));
        let dropped =
            counter(&here, &format!("drop {port}")) + counter(&there, &format!("drop {port}"));
        (dropped, counter(&there, &format!("rdata {port}")))
    };

    // A 10 s window at 1000 kbit/s: 1000 messages (about 75 packets) all
    // arrive, intact and in order, the lost ones repaired.
    let got = lossy_run(&door, 5606, 1000, 10_000, 1000, 0, 20_000);
    let (dropped, repairs) = counters(5606);
    println!(
        "RECOVERY_IVL 10 s: {} of 1000 delivered; {dropped} packets dropped, {repairs} repairs arrived",
        got.len()
    );
    let first_wrong = got.iter().enumerate().find(|(i, n)| i != *n);
    assert!(
        got.len() == 1000 && first_wrong.is_none(),
        "{} of 1000 delivered, first out of place: {first_wrong:?}",
        got.len()
    );
    assert!(dropped > 0 && repairs > 0, "no loss was made or repaired");

    // A 1 ms window at 2000 kbit/s is one packet (libzmq asks OpenPGM for
    // max(1, rate × interval / TPDU) packets): a packet lost is gone before
    // its NAK arrives. Messages are missing; what arrives is in order.
    let count = 4000;
    // Once the SUB has been quiet for 3 s, 20 more messages, one every
    // 20 ms: reported, not asserted. In our runs none arrived: after an
    // unrepaired loss OpenPGM reports the loss to libzmq, then returns no
    // more data from that sender (150 s watched).
    let late = 20;
    let got = lossy_run(&door, 5607, 2000, 1, count, late, 3000);
    let (dropped, repairs) = counters(5607);
    let (on_time, later): (Vec<usize>, Vec<usize>) = got.iter().partition(|&&n| n < count);
    println!(
        "RECOVERY_IVL 1 ms: {} of {count} delivered; {dropped} packets dropped, {repairs} \
         repairs arrived; afterwards {} of {late} later messages delivered",
        on_time.len(),
        later.len()
    );
    assert!(
        on_time.len() < count,
        "every message arrived with a one-packet window"
    );
    assert!(
        got.windows(2).all(|w| w[0] < w[1]),
        "out of order or repeated"
    );
}

/// MULTICAST_LOOP takes effect where libzmq applies it, UDP multicast
/// (RADIO/DISH, draft): a DISH on the sender's host hears a RADIO with
/// loop on and not one with loop off, while a DISH next door hears both.
/// (libzmq's PGM transport always turns loopback off.)
#[cfg(feature = "draft")]
#[test]
#[ignore = "needs a network namespace of its own (root or user namespaces) (CI runs --include-ignored)"]
fn multicast_loop_takes_effect_on_udp() {
    if !crate::common::netns::in_multicast_netns("pgm::multicast_loop_takes_effect_on_udp") {
        return;
    }
    use std::sync::mpsc;
    let door = NextDoor::new();
    let endpoint = "udp://239.192.9.10:5710";
    let send = |radio: &zmq::Socket, text: &str| {
        let mut msg = zmq::Message::from(text);
        msg.set_group("g").unwrap();
        radio.send(msg, 0).unwrap();
    };
    let dish = |ctx: &zmq::Context| {
        let dish = socket(ctx, zmq::DISH);
        dish.bind(endpoint).unwrap();
        dish.join("g").unwrap();
        dish
    };
    let (heard_tx, heard_rx) = mpsc::channel::<String>();
    std::thread::scope(|scope| {
        scope.spawn(|| {
            door.enter();
            let ctx = zmq::Context::new();
            let there = dish(&ctx);
            loop {
                let text = there.recv_string(0).expect("next door heard nothing");
                let end = text == "end";
                heard_tx.send(text).unwrap();
                if end {
                    break;
                }
            }
        });
        let ctx = zmq::Context::new();
        let here = dish(&ctx);
        let looped = socket(&ctx, zmq::RADIO);
        assert!(looped.multicast_loop().unwrap(), "libzmq's default is on");
        looped.connect(endpoint).unwrap();
        let unlooped = socket(&ctx, zmq::RADIO);
        unlooped.set_multicast_loop(false).unwrap();
        assert!(!unlooped.multicast_loop().unwrap());
        unlooped.connect(endpoint).unwrap();

        // Datagrams until both DISHes hear the looped RADIO, then a marker
        // that ends the probes on both sides.
        here.set_rcvtimeo(50).unwrap();
        let deadline = Instant::now() + Duration::from_secs(20);
        let mut heard_here = false;
        let mut heard_there = false;
        while !(heard_here && heard_there) {
            send(&looped, "probe");
            heard_here |= here.recv(0).is_ok();
            heard_there |= heard_rx.try_recv().is_ok();
            assert!(
                Instant::now() < deadline,
                "the DISHes never heard the RADIO"
            );
        }
        here.set_rcvtimeo(10_000).unwrap();
        send(&looped, "marker");
        while here.recv_string(0).unwrap() != "marker" {}
        while heard_rx.recv_timeout(Duration::from_secs(10)).unwrap() != "marker" {}

        // Loop off: next door hears it, this host does not.
        send(&unlooped, "unlooped");
        assert_eq!(
            heard_rx.recv_timeout(Duration::from_secs(10)).unwrap(),
            "unlooped"
        );
        // Sent and delivered by now; the next thing here is the looped one.
        send(&looped, "looped");
        assert_eq!(here.recv_string(0).unwrap(), "looped");
        send(&looped, "end");
    });
}
