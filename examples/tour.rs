//! The tour: every pattern of the other examples, in one process, over
//! inproc, ipc and tcp (and epgm multicast when the build has PGM and the
//! loopback interface can carry multicast), with threads on both ends and
//! ephemeral endpoints. Prints one row per pattern and transport and exits
//! non-zero if any of them fails.
//!
//! `cargo run --example tour` (`--features pgm` adds the epgm rows,
//! `--features tokio` the `zmq::asyncio` rows, `--features draft` the
//! thread-safe socket rows; `--only=NAME` runs the
//! patterns whose name contains NAME)
mod support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

type Outcome = support::Result<u64>;

/// Every blocking call of the tour gives up after this long, so a broken
/// pattern fails instead of hanging.
const TIMEOUT_MS: i32 = 5000;

#[derive(Clone, Copy, PartialEq)]
enum Transport {
    Inproc,
    Ipc,
    Tcp,
    Epgm,
}

impl Transport {
    fn name(self) -> &'static str {
        match self {
            Transport::Inproc => "inproc",
            Transport::Ipc => "ipc",
            Transport::Tcp => "tcp",
            Transport::Epgm => "epgm",
        }
    }
}

/// One pattern's world: a context of its own and the transport to use.
struct Net {
    ctx: zmq::Context,
    transport: Transport,
}

static NEXT: AtomicUsize = AtomicUsize::new(0);

impl Net {
    fn new(transport: Transport) -> Net {
        let ctx = zmq::Context::new();
        ctx.set_default(zmq::RCVTIMEO, TIMEOUT_MS)
            .expect("RCVTIMEO");
        ctx.set_default(zmq::SNDTIMEO, TIMEOUT_MS)
            .expect("SNDTIMEO");
        Net { ctx, transport }
    }

    fn socket(&self, kind: zmq::SocketType) -> zmq::Result<zmq::Socket> {
        self.ctx.socket(kind)
    }

    /// Binds `socket` to a fresh endpoint (for epgm: joins a fresh group)
    /// and returns the endpoint its peers connect to.
    fn listen(&self, socket: &zmq::Socket) -> zmq::Result<String> {
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let endpoint = match self.transport {
            Transport::Epgm => {
                // PGM has no listener: publisher and subscribers all connect.
                let group = format!("epgm://127.0.0.1;239.192.1.1:{}", 5600 + n % 300);
                socket.set_rate(100_000)?; // kbit/s: loopback can take it
                socket.connect(&group)?;
                return Ok(group);
            }
            _ => self.fresh_endpoint(),
        };
        socket.bind(&endpoint)?;
        socket.last_endpoint()
    }

    /// A fresh endpoint to bind, over inproc, ipc or tcp.
    fn fresh_endpoint(&self) -> String {
        match self.transport {
            Transport::Inproc => format!("inproc://tour-{}", NEXT.fetch_add(1, Ordering::Relaxed)),
            Transport::Ipc => "ipc://*".to_string(),
            _ => "tcp://127.0.0.1:*".to_string(),
        }
    }

    /// An endpoint nobody listens on, for the teardown pattern.
    fn nowhere(&self) -> support::Result<String> {
        Ok(match self.transport {
            Transport::Inproc => format!("inproc://tour-nobody-{}", std::process::id()),
            Transport::Ipc => format!(
                "ipc://{}/zmq-tour-nobody-{}",
                std::env::temp_dir().display(),
                std::process::id()
            ),
            _ => {
                // A port the OS just handed out and nobody holds any more.
                let port = std::net::TcpListener::bind("127.0.0.1:0")?
                    .local_addr()?
                    .port();
                format!("tcp://127.0.0.1:{port}")
            }
        })
    }

    /// Ends this pattern's context when dropped: every thread still blocked
    /// on one of its sockets gets `ContextTerminated` and finishes.
    fn stop_on_exit(&self) -> StopOnExit<'_> {
        StopOnExit(&self.ctx)
    }
}

struct StopOnExit<'a>(&'a zmq::Context);

impl Drop for StopOnExit<'_> {
    fn drop(&mut self) {
        let _ = self.0.destroy(Some(0));
    }
}

/// Runs one background step until it fails; `ContextTerminated` (the
/// pattern is over) is the normal end, anything else is reported.
fn serve(name: &str, mut step: impl FnMut() -> support::Result) {
    loop {
        if let Err(e) = step() {
            if !matches!(e.downcast_ref(), Some(zmq::Error::ContextTerminated)) {
                eprintln!("  {name}: {e}");
            }
            return;
        }
    }
}

fn check(condition: bool, what: impl FnOnce() -> String) -> support::Result {
    if condition {
        Ok(())
    } else {
        Err(what().into())
    }
}

// Request-reply: hwserver + hwclient.
fn request_reply(net: &Net) -> Outcome {
    let server = net.socket(zmq::REP)?;
    let endpoint = net.listen(&server)?;
    thread::scope(|s| {
        let _stop = net.stop_on_exit();
        s.spawn(move || {
            serve("hwserver", || {
                let message = server.recv(0)?;
                check(message == b"Hello", || format!("request {message:?}"))?;
                Ok(server.send(b"World", 0)?)
            })
        });
        let client = net.socket(zmq::REQ)?;
        client.connect(&endpoint)?;
        for _ in 0..10 {
            client.send(b"Hello", 0)?;
            let reply = client.recv(0)?;
            check(reply == b"World", || format!("reply {reply:?}"))?;
        }
        Ok(20)
    })
}

// Echo: echo_server + echo_client.
fn echo(net: &Net) -> Outcome {
    let server = net.socket(zmq::REP)?;
    let endpoint = net.listen(&server)?;
    thread::scope(|s| {
        let _stop = net.stop_on_exit();
        s.spawn(move || {
            serve("echo_server", || {
                let request = server.recv_string(0)?;
                Ok(server.send_string(&format!("Echo: {request}"), 0)?)
            })
        });
        let client = net.socket(zmq::REQ)?;
        client.connect(&endpoint)?;
        for text in ["hello", "hello world", "ünïcödé", ""] {
            client.send_string(text, 0)?;
            let reply = client.recv_string(0)?;
            check(reply == format!("Echo: {text}"), || {
                format!("reply {reply:?}")
            })?;
        }
        Ok(8)
    })
}

// Publish-subscribe: wuserver + wuclient (zipcodes starting with "1").
fn weather(net: &Net) -> Outcome {
    let publisher = net.socket(zmq::PUB)?;
    let endpoint = net.listen(&publisher)?;
    thread::scope(|s| {
        let _stop = net.stop_on_exit();
        s.spawn(move || {
            let mut random = support::Random::new();
            serve("wuserver", || {
                let zipcode = random.range(1, 100_000);
                let temperature = random.range(-80, 135);
                let relhumidity = random.range(10, 60);
                let update = format!("{zipcode} {temperature} {relhumidity}");
                publisher.send_string(&update, 0)?;
                if net.transport == Transport::Epgm {
                    thread::sleep(Duration::from_micros(100));
                }
                Ok(())
            })
        });
        let subscriber = net.socket(zmq::SUB)?;
        subscriber.connect(&endpoint)?;
        subscriber.subscribe("1")?;
        let mut total_temp = 0;
        for _ in 0..50 {
            let update = subscriber.recv_string(0)?;
            let fields: Vec<&str> = update.split(' ').collect();
            check(fields.len() == 3 && fields[0].starts_with('1'), || {
                format!("update {update:?}")
            })?;
            total_temp += fields[1].parse::<i64>()?;
        }
        check((-80..135).contains(&(total_temp / 50)), || {
            format!("average {}", total_temp / 50)
        })?;
        Ok(50)
    })
}

// Publish-subscribe with two topics: prefix_pub + prefix_sub.
fn prefix(net: &Net) -> Outcome {
    let publisher = net.socket(zmq::PUB)?;
    let endpoint = net.listen(&publisher)?;
    thread::scope(|s| {
        let _stop = net.stop_on_exit();
        s.spawn(move || {
            let mut n = 0;
            serve("prefix_pub", || {
                n += 1;
                publisher.send_string(&format!("1-{n} We would like to see this"), 0)?;
                publisher.send_string(&format!("2-{n} We don't want to see this"), 0)?;
                thread::sleep(Duration::from_micros(200));
                Ok(())
            })
        });
        let subscriber = net.socket(zmq::SUB)?;
        subscriber.connect(&endpoint)?;
        subscriber.subscribe("1-")?;
        for _ in 0..20 {
            let message = subscriber.recv_string(0)?;
            check(message.starts_with("1-"), || format!("got {message:?}"))?;
        }
        Ok(20)
    })
}

// Synchronized publish-subscribe: syncpub + two syncsubs.
fn sync_pubsub(net: &Net) -> Outcome {
    const SUBSCRIBERS: usize = 2;
    const UPDATES: u64 = 1000;
    let publisher = net.socket(zmq::PUB)?;
    publisher.set_sndhwm(0)?;
    let pub_endpoint = net.listen(&publisher)?;
    let syncservice = net.socket(zmq::REP)?;
    let sync_endpoint = net.listen(&syncservice)?;
    thread::scope(|s| {
        let _stop = net.stop_on_exit();
        let mut subscribers = Vec::new();
        for _ in 0..SUBSCRIBERS {
            let subscriber = net.socket(zmq::SUB)?;
            subscriber.connect(&pub_endpoint)?;
            subscriber.subscribe(b"")?;
            let syncclient = net.socket(zmq::REQ)?;
            syncclient.connect(&sync_endpoint)?;
            subscribers.push(s.spawn(move || -> support::Result<u64> {
                while subscriber.recv(0)? != b"HELLO" {}
                syncclient.send(b"", 0)?;
                syncclient.recv(0)?;
                let mut updates = 0;
                loop {
                    match &subscriber.recv(0)?[..] {
                        b"END" => return Ok(updates),
                        b"HELLO" => {}
                        _ => updates += 1,
                    }
                }
            }));
        }
        let mut ready = 0;
        while ready < SUBSCRIBERS {
            publisher.send(b"HELLO", 0)?;
            if !syncservice.poll(10, zmq::POLLIN)?.is_empty() {
                syncservice.recv(0)?;
                syncservice.send(b"", 0)?;
                ready += 1;
            }
        }
        for _ in 0..UPDATES {
            publisher.send(b"Rhubarb", 0)?;
        }
        publisher.send(b"END", 0)?;
        let mut total = 0;
        for subscriber in subscribers {
            let updates = subscriber.join().map_err(|_| "a subscriber panicked")??;
            check(updates == UPDATES, || format!("a subscriber got {updates}"))?;
            total += updates;
        }
        Ok(total)
    })
}

// Pipeline: taskvent + two taskworks + tasksink.
fn pipeline(net: &Net) -> Outcome {
    const TASKS: u64 = 100;
    let sender = net.socket(zmq::PUSH)?;
    let tasks = net.listen(&sender)?;
    let sink = net.socket(zmq::PULL)?;
    let results = net.listen(&sink)?;
    thread::scope(|s| {
        let _stop = net.stop_on_exit();
        for _ in 0..2 {
            let receiver = net.socket(zmq::PULL)?;
            receiver.connect(&tasks)?;
            let reporter = net.socket(zmq::PUSH)?;
            reporter.connect(&results)?;
            s.spawn(move || {
                serve("taskwork", || {
                    let workload: u64 = receiver.recv_string(0)?.parse()?;
                    thread::sleep(Duration::from_micros(workload));
                    Ok(reporter.send(b"", 0)?)
                })
            });
        }
        let mut random = support::Random::new();
        for _ in 0..TASKS {
            sender.send_string(&random.range(1, 100).to_string(), 0)?;
        }
        for _ in 0..TASKS {
            sink.recv(0)?;
        }
        Ok(2 * TASKS)
    })
}

// PUSH/PULL task allocation: manager + two workers.
fn task_allocation(net: &Net) -> Outcome {
    const TASKS: u64 = 100;
    let sender = net.socket(zmq::PUSH)?;
    let tasks = net.listen(&sender)?;
    let results = net.socket(zmq::PULL)?;
    let results_at = net.listen(&results)?;
    thread::scope(|s| {
        let _stop = net.stop_on_exit();
        for name in ["worker-a", "worker-b"] {
            let receiver = net.socket(zmq::PULL)?;
            receiver.connect(&tasks)?;
            let reporter = net.socket(zmq::PUSH)?;
            reporter.connect(&results_at)?;
            s.spawn(move || {
                if reporter.send_string(&format!("READY {name}"), 0).is_ok() {
                    serve(name, || {
                        let task: u64 = receiver.recv_string(0)?.parse()?;
                        Ok(reporter.send_string(&format!("{name} {task} {}", task * task), 0)?)
                    })
                }
            });
        }
        for _ in 0..2 {
            results.recv(0)?; // READY
        }
        for task in 1..=TASKS {
            sender.send_string(&task.to_string(), 0)?;
        }
        for _ in 0..TASKS {
            let result = results.recv_string(0)?;
            let fields: Vec<u64> = result.split(' ').skip(1).flat_map(str::parse).collect();
            check(
                fields.len() == 2 && fields[1] == fields[0] * fields[0],
                || format!("result {result:?}"),
            )?;
        }
        Ok(2 * TASKS + 2)
    })
}

// Exclusive pair: pair_bind + pair_connect.
fn pair(net: &Net) -> Outcome {
    let bound = net.socket(zmq::PAIR)?;
    let endpoint = net.listen(&bound)?;
    thread::scope(|s| {
        let _stop = net.stop_on_exit();
        let connected = net.socket(zmq::PAIR)?;
        connected.connect(&endpoint)?;
        s.spawn(move || {
            serve("pair_connect", || {
                let message = connected.recv_string(0)?;
                let n = message.strip_prefix("ping ").ok_or("not a ping")?;
                Ok(connected.send_string(&format!("pong {n}"), 0)?)
            })
        });
        for n in 0..10 {
            bound.send_string(&format!("ping {n}"), 0)?;
            let reply = bound.recv_string(0)?;
            check(reply == format!("pong {n}"), || format!("reply {reply:?}"))?;
        }
        Ok(20)
    })
}

// A file streamed over PAIR in 64 KiB chunks, no high-water mark: pair_file.
fn pair_file(net: &Net) -> Outcome {
    const CHUNK: usize = 64 * 1024;
    let mut random = support::Random::new();
    let file: Vec<u8> = (0..16 * CHUNK + 1234)
        .map(|_| random.range(0, 256) as u8)
        .collect();
    let receiver = net.socket(zmq::PAIR)?;
    receiver.set_rcvhwm(0)?;
    let endpoint = net.listen(&receiver)?;
    thread::scope(|s| {
        let _stop = net.stop_on_exit();
        let sender = net.socket(zmq::PAIR)?;
        sender.set_sndhwm(0)?;
        sender.connect(&endpoint)?;
        let file = &file;
        s.spawn(move || -> zmq::Result<()> {
            for chunk in file.chunks(CHUNK) {
                sender.send(chunk, 0)?;
            }
            sender.send(b"", 0) // end of file
        });
        let mut received = Vec::with_capacity(file.len());
        let mut chunk = zmq::Message::new();
        let mut messages = 0;
        loop {
            receiver.recv_msg_into(&mut chunk, 0)?;
            messages += 1;
            if chunk.is_empty() {
                break;
            }
            received.extend_from_slice(&chunk);
        }
        check(received == *file, || "the received file differs".into())?;
        Ok(messages)
    })
}

/// The two sources `msreader` and `mspoller` read from: a PUSH sending
/// `TASKS` tasks and a PUB publishing weather until the pattern ends.
fn two_sources<'s>(
    net: &'s Net,
    s: &'s thread::Scope<'s, '_>,
) -> support::Result<(zmq::Socket, zmq::Socket)> {
    let ventilator = net.socket(zmq::PUSH)?;
    let tasks = net.listen(&ventilator)?;
    let weather = net.socket(zmq::PUB)?;
    let updates = net.listen(&weather)?;
    let receiver = net.socket(zmq::PULL)?;
    receiver.connect(&tasks)?;
    let subscriber = net.socket(zmq::SUB)?;
    subscriber.connect(&updates)?;
    subscriber.subscribe("1")?;
    s.spawn(move || -> zmq::Result<()> {
        for task in 0..TASKS {
            ventilator.send_string(&task.to_string(), 0)?;
        }
        Ok(()) // closing the socket still delivers what it queued (LINGER)
    });
    s.spawn(move || {
        let mut random = support::Random::new();
        serve("weather", || {
            let update = format!("{} 20 40", random.range(1, 100_000));
            weather.send_string(&update, 0)?;
            thread::sleep(Duration::from_micros(50));
            Ok(())
        })
    });
    Ok((receiver, subscriber))
}

const TASKS: u64 = 20;
const UPDATES: u64 = 20;

// Reading from two sockets with a DONTWAIT drain loop: msreader.
fn msreader(net: &Net) -> Outcome {
    thread::scope(|s| {
        let _stop = net.stop_on_exit();
        let (receiver, subscriber) = two_sources(net, s)?;
        let deadline = Instant::now() + Duration::from_millis(TIMEOUT_MS as u64);
        let (mut tasks, mut updates) = (0, 0);
        while tasks < TASKS || updates < UPDATES {
            check(Instant::now() < deadline, || {
                format!("{tasks} tasks, {updates} updates")
            })?;
            loop {
                match receiver.recv(zmq::DONTWAIT) {
                    Ok(_) => tasks += 1,
                    Err(zmq::Error::Again) => break,
                    Err(e) => return Err(e.into()),
                }
            }
            loop {
                match subscriber.recv(zmq::DONTWAIT) {
                    Ok(_) => updates += 1,
                    Err(zmq::Error::Again) => break,
                    Err(e) => return Err(e.into()),
                }
            }
            thread::sleep(Duration::from_millis(1));
        }
        check(tasks == TASKS, || format!("{tasks} tasks"))?;
        Ok(tasks + updates)
    })
}

// Reading from two sockets with a Poller: mspoller.
fn mspoller(net: &Net) -> Outcome {
    thread::scope(|s| {
        let _stop = net.stop_on_exit();
        let (receiver, subscriber) = two_sources(net, s)?;
        let mut poller = zmq::Poller::new();
        poller.register(&receiver, zmq::POLLIN);
        poller.register(&subscriber, zmq::POLLIN);
        let (mut tasks, mut updates) = (0, 0);
        while tasks < TASKS || updates < UPDATES {
            let socks = poller.poll(TIMEOUT_MS)?;
            check(!socks.is_empty(), || {
                format!("timeout at {tasks} tasks, {updates} updates")
            })?;
            if socks.get(&receiver) == zmq::POLLIN {
                receiver.recv(0)?;
                tasks += 1;
            }
            if socks.get(&subscriber) == zmq::POLLIN {
                subscriber.recv(0)?;
                updates += 1;
            }
        }
        check(tasks == TASKS, || format!("{tasks} tasks"))?;
        Ok(tasks + updates)
    })
}

/// How a broker joins its ROUTER frontend and DEALER backend.
#[derive(Clone, Copy)]
enum Broker {
    Poller,
    Proxy,
    Device,
}

/// Two REQ clients, a broker, two REP workers: rrclient + rrbroker (or
/// msgqueue, or the queue device) + rrworker.
fn brokered(net: &Net, broker: Broker) -> Outcome {
    const REQUESTS: u64 = 10;
    let frontend = net.socket(zmq::ROUTER)?;
    let clients_at = net.listen(&frontend)?;
    let backend = net.socket(zmq::DEALER)?;
    let workers_at = net.listen(&backend)?;
    thread::scope(|s| {
        let _stop = net.stop_on_exit();
        s.spawn(move || match broker {
            Broker::Poller => {
                let mut poller = zmq::Poller::new();
                poller.register(&frontend, zmq::POLLIN);
                poller.register(&backend, zmq::POLLIN);
                serve("rrbroker", || {
                    let socks = poller.poll(-1)?;
                    if socks.get(&frontend) == zmq::POLLIN {
                        backend.send_multipart(frontend.recv_multipart(0)?, 0)?;
                    }
                    if socks.get(&backend) == zmq::POLLIN {
                        frontend.send_multipart(backend.recv_multipart(0)?, 0)?;
                    }
                    Ok(())
                })
            }
            Broker::Proxy => serve("msgqueue", || Ok(zmq::proxy(&frontend, &backend)?)),
            Broker::Device => serve("queue", || {
                Ok(zmq::device(zmq::QUEUE, &frontend, &backend)?)
            }),
        });
        for name in ["A", "B"] {
            let worker = net.socket(zmq::REP)?;
            worker.connect(&workers_at)?;
            s.spawn(move || {
                serve("rrworker", || {
                    let request = worker.recv_string(0)?;
                    Ok(worker.send_string(&format!("World from {name} to {request}"), 0)?)
                })
            });
        }
        let clients: Vec<_> = ["1", "2"]
            .into_iter()
            .map(|name| -> support::Result<_> {
                let client = net.socket(zmq::REQ)?;
                client.connect(&clients_at)?;
                Ok(s.spawn(move || -> support::Result<u64> {
                    for request in 0..REQUESTS {
                        let hello = format!("Hello {name}.{request}");
                        client.send_string(&hello, 0)?;
                        let reply = client.recv_string(0)?;
                        check(reply.ends_with(&format!(" to {hello}")), || {
                            format!("reply {reply:?} to {hello:?}")
                        })?;
                    }
                    Ok(2 * REQUESTS)
                }))
            })
            .collect::<support::Result<_>>()?;
        let mut total = 0;
        for client in clients {
            total += client.join().map_err(|_| "a client panicked")??;
        }
        Ok(total)
    })
}

fn rrbroker(net: &Net) -> Outcome {
    brokered(net, Broker::Poller)
}

fn msgqueue(net: &Net) -> Outcome {
    brokered(net, Broker::Proxy)
}

fn queue_device(net: &Net) -> Outcome {
    brokered(net, Broker::Device)
}

// The STREAMER device: PUSH -> [PULL | PUSH] -> PULL.
fn streamer(net: &Net) -> Outcome {
    const MESSAGES: u64 = 50;
    let frontend = net.socket(zmq::PULL)?;
    let upstream = net.listen(&frontend)?;
    let backend = net.socket(zmq::PUSH)?;
    let downstream = net.listen(&backend)?;
    thread::scope(|s| {
        let _stop = net.stop_on_exit();
        s.spawn(move || {
            serve("streamer", || {
                Ok(zmq::device(zmq::STREAMER, &frontend, &backend)?)
            })
        });
        let producer = net.socket(zmq::PUSH)?;
        producer.connect(&upstream)?;
        let consumer = net.socket(zmq::PULL)?;
        consumer.connect(&downstream)?;
        for n in 0..MESSAGES {
            producer.send_string(&n.to_string(), 0)?;
        }
        for n in 0..MESSAGES {
            let message = consumer.recv_string(0)?;
            check(message == n.to_string(), || format!("{message} for {n}"))?;
        }
        Ok(MESSAGES)
    })
}

// The FORWARDER device: PUB -> [SUB | PUB] -> SUB.
fn forwarder(net: &Net) -> Outcome {
    let frontend = net.socket(zmq::SUB)?;
    frontend.subscribe(b"")?;
    let upstream = net.listen(&frontend)?;
    let backend = net.socket(zmq::PUB)?;
    let downstream = net.listen(&backend)?;
    thread::scope(|s| {
        let _stop = net.stop_on_exit();
        s.spawn(move || {
            serve("forwarder", || {
                Ok(zmq::device(zmq::FORWARDER, &frontend, &backend)?)
            })
        });
        let publisher = net.socket(zmq::PUB)?;
        publisher.connect(&upstream)?;
        s.spawn(move || {
            let mut n = 0u64;
            serve("publisher", || {
                n += 1;
                publisher.send_string(&format!("weather {n}"), 0)?;
                thread::sleep(Duration::from_micros(200));
                Ok(())
            })
        });
        let subscriber = net.socket(zmq::SUB)?;
        subscriber.connect(&downstream)?;
        subscriber.subscribe("weather")?;
        for _ in 0..20 {
            subscriber.recv(0)?;
        }
        Ok(20)
    })
}

// Teardown: LINGER bounds term(); term() wakes a blocked thread.
fn teardown(net: &Net) -> Outcome {
    let nowhere = net.nowhere()?;
    let ctx = zmq::Context::new();
    let sender = ctx.socket(zmq::PUSH)?;
    sender.connect(&nowhere)?;
    sender.send(b"never delivered", zmq::DONTWAIT)?;
    sender.set_linger(50)?;
    sender.close()?;
    ctx.term()?; // returns after about 50 ms: the message is dropped

    let receiver = net.socket(zmq::PULL)?;
    net.listen(&receiver)?;
    let blocked = thread::spawn(move || match receiver.recv(0) {
        Err(zmq::Error::ContextTerminated) => Ok(()),
        other => Err(format!("recv gave {other:?}")),
    });
    net.ctx.term()?; // wakes the thread, which then closes its socket
    blocked
        .join()
        .map_err(|_| "the blocked thread panicked")??;
    Ok(1)
}

type Pattern = fn(&Net) -> Outcome;

/// Name, example programs, pattern, whether it runs over epgm.
const PATTERNS: &[(&str, Pattern, bool)] = &[
    ("request-reply (hwserver)", request_reply, false),
    ("echo (echo_server)", echo, false),
    ("pub-sub (wuserver)", weather, true),
    ("pub-sub prefix (prefix_pub)", prefix, true),
    ("sync pub-sub (syncpub)", sync_pubsub, false),
    ("pipeline (taskvent)", pipeline, false),
    ("task allocation (manager)", task_allocation, false),
    ("pair (pair_bind)", pair, false),
    ("pair file stream (pair_file)", pair_file, false),
    ("DONTWAIT loop (msreader)", msreader, false),
    ("poller (mspoller)", mspoller, false),
    ("broker + Poller (rrbroker)", rrbroker, false),
    ("broker + proxy (msgqueue)", msgqueue, false),
    ("QUEUE device (queue)", queue_device, false),
    ("STREAMER device (streamer)", streamer, false),
    ("FORWARDER device (forwarder)", forwarder, false),
    ("linger + term (teardown)", teardown, false),
];

/// The same patterns on `zmq::asyncio` (pyzmq's `zmq.asyncio`), each on a
/// tokio runtime of its own, its sockets from an async shadow of the
/// pattern's context (so its timeouts and `destroy` apply to them too).
#[cfg(feature = "tokio")]
mod asynchronous {
    use std::sync::Arc;

    use futures_util::{SinkExt, StreamExt};
    use zmq::asyncio::{Context, Poller, Socket};

    use super::{check, Net, Outcome, Pattern};

    pub const PATTERNS: &[(&str, Pattern, bool)] = &[
        ("asyncio req-rep", request_reply, false),
        ("asyncio pub-sub Stream/Sink", stream_sink, false),
        ("asyncio ROUTER shared (Arc)", shared_router, false),
        ("asyncio Poller (coroutines)", poller, false),
    ];

    fn block_on<F: std::future::Future<Output = Outcome>>(
        threads: usize,
        f: impl FnOnce(Context) -> F,
        net: &Net,
    ) -> Outcome {
        let rt = if threads == 1 {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?
        } else {
            tokio::runtime::Builder::new_multi_thread()
                .worker_threads(threads)
                .enable_all()
                .build()?
        };
        let _stop = net.stop_on_exit();
        rt.block_on(f(Context::from(net.ctx.clone())))
    }

    fn listen(net: &Net, socket: &Socket) -> zmq::Result<String> {
        socket.bind(&net.fresh_endpoint())?;
        socket.last_endpoint()
    }

    // REQ/REP: a server future and a client on one thread (asyncio's loop).
    fn request_reply(net: &Net) -> Outcome {
        block_on(
            1,
            |ctx| async move {
                let server = ctx.socket(zmq::REP)?;
                let endpoint = listen(net, &server)?;
                let client = ctx.socket(zmq::REQ)?;
                client.connect(&endpoint)?;
                let serve = async {
                    for _ in 0..10 {
                        let request = server.recv_msg(0).await?;
                        server.send(request, 0).await?;
                    }
                    Ok::<_, zmq::Error>(())
                };
                let ask = async {
                    for i in 0..10 {
                        client.send_string(&format!("Hello {i}"), 0).await?;
                        let reply = client.recv_string(0).await?;
                        if reply != format!("Hello {i}") {
                            return Err(zmq::Error::InvalidArgument("wrong reply"));
                        }
                    }
                    Ok(())
                };
                tokio::try_join!(serve, ask)?;
                Ok(20)
            },
            net,
        )
    }

    // XPUB as a Sink once the subscription arrives (no slow joiner), SUB as
    // a Stream: `while let Some(parts) = sub.next().await`.
    fn stream_sink(net: &Net) -> Outcome {
        block_on(
            1,
            |ctx| async move {
                let mut publisher = ctx.socket(zmq::XPUB)?;
                let endpoint = listen(net, &publisher)?;
                let mut sub = ctx.socket(zmq::SUB)?;
                sub.set_subscribe(b"tour")?;
                sub.connect(&endpoint)?;
                let subscription = publisher.recv(0).await?;
                check(subscription == b"\x01tour", || {
                    format!("subscription {subscription:?}")
                })?;
                let updates =
                    (0..100).map(|i| Ok(vec![b"tour".to_vec(), format!("{i}").into_bytes()]));
                publisher
                    .send_all(&mut futures_util::stream::iter(updates))
                    .await?;
                let mut received = 0;
                while let Some(parts) = sub.next().await {
                    let parts = parts?;
                    check(
                        parts[1].as_bytes() == received.to_string().as_bytes(),
                        || format!("update {received}: {parts:?}"),
                    )?;
                    received += 1;
                    if received == 100 {
                        break;
                    }
                }
                Ok(received)
            },
            net,
        )
    }

    // One ROUTER in an Arc, answered by 4 worker tasks on a multi-threaded
    // runtime, 8 DEALER tasks with 50 requests each.
    fn shared_router(net: &Net) -> Outcome {
        block_on(
            2,
            |ctx| async move {
                let router = Arc::new(ctx.socket(zmq::ROUTER)?);
                let endpoint = listen(net, &router)?;
                let workers: Vec<_> = (0..4)
                    .map(|_| {
                        let router = Arc::clone(&router);
                        tokio::spawn(async move {
                            loop {
                                match router.recv_multipart_msg(0).await {
                                    Ok(request) => router.send_multipart(request, 0).await?,
                                    Err(zmq::Error::ContextTerminated) => return Ok(()),
                                    Err(e) => return Err(e),
                                }
                            }
                        })
                    })
                    .collect();
                let clients: Vec<_> = (0..8)
                    .map(|c| {
                        let dealer = ctx.socket(zmq::DEALER);
                        let endpoint = endpoint.clone();
                        tokio::spawn(async move {
                            let dealer = dealer?;
                            dealer.connect(&endpoint)?;
                            for i in 0..50 {
                                let request = format!("{c}.{i}");
                                dealer.send_string(&request, 0).await?;
                                if dealer.recv_string(0).await? != request {
                                    return Err(zmq::Error::InvalidArgument("wrong reply"));
                                }
                            }
                            Ok::<_, zmq::Error>(())
                        })
                    })
                    .collect();
                for client in clients {
                    client.await??;
                }
                for worker in &workers {
                    worker.abort(); // a dropped recv takes nothing
                }
                Ok(8 * 50 * 2)
            },
            net,
        )
    }

    // async_coroutines: a PULL fed by two PUSH senders, waited on in an
    // async Poller beside a third, idle socket.
    fn poller(net: &Net) -> Outcome {
        block_on(
            1,
            |ctx| async move {
                let pull = ctx.socket(zmq::PULL)?;
                let endpoint = listen(net, &pull)?;
                let idle = ctx.socket(zmq::PULL)?;
                listen(net, &idle)?;
                let mut senders = Vec::new();
                for _ in 0..2 {
                    let push = ctx.socket(zmq::PUSH)?;
                    push.connect(&endpoint)?;
                    senders.push(push);
                }
                let send = async {
                    for i in 0..20 {
                        senders[i % 2].send_multipart([format!("{i}")], 0).await?;
                    }
                    Ok::<_, zmq::Error>(())
                };
                let receive = async {
                    let mut poller = Poller::new();
                    poller.register(&pull, zmq::POLLIN);
                    poller.register(&idle, zmq::POLLIN);
                    let mut received = 0;
                    while received < 20 {
                        let events = poller.poll(-1).await?;
                        if events.contains(&idle) {
                            return Err(zmq::Error::InvalidArgument("the idle socket woke"));
                        }
                        if events.contains(&pull) {
                            while let Ok(parts) = pull.recv_multipart(zmq::DONTWAIT).await {
                                received += parts.len() as u64;
                            }
                        }
                    }
                    Ok(received)
                };
                let ((), received) = tokio::try_join!(send, receive)?;
                Ok(received)
            },
            net,
        )
    }
}

/// libzmq's thread-safe socket types (`--features draft`) as
/// `zmq::ThreadSafeSocket`: one socket shared by several threads through an
/// `Arc`. Over ipc and tcp only: the binding refuses inproc for them
/// (libzmq 4.3.5 deadlocks two of them over inproc, libzmq issue #3048).
#[cfg(feature = "draft")]
mod thread_safe {
    use std::collections::HashSet;
    use std::sync::Arc;
    use std::thread;

    use zmq::ThreadSafeSocket;

    use super::{check, Net, Outcome, Pattern};

    pub const PATTERNS: &[(&str, Pattern, bool)] = &[
        ("CLIENT/SERVER (client_server)", client_server, false),
        ("RADIO/DISH (radio_dish)", radio_dish, false),
        ("SCATTER/GATHER (shared)", scatter_gather, false),
        ("PEER (connect_peer)", peer, false),
        ("CHANNEL (two threads)", channel, false),
    ];

    fn socket(net: &Net, kind: zmq::SocketType) -> zmq::Result<ThreadSafeSocket> {
        net.ctx.thread_safe_socket(kind)
    }

    fn listen(net: &Net, socket: &ThreadSafeSocket) -> zmq::Result<String> {
        socket.bind(&net.fresh_endpoint())?;
        socket.last_endpoint()
    }

    /// Joins every thread and passes on the first error.
    fn join_all(threads: Vec<thread::JoinHandle<Outcome>>) -> Outcome {
        let mut total = 0;
        for t in threads {
            total += t.join().map_err(|_| "a thread panicked")??;
        }
        Ok(total)
    }

    // One SERVER, answered by two threads at once; three CLIENTs.
    fn client_server(net: &Net) -> Outcome {
        let _stop = net.stop_on_exit();
        let server = Arc::new(socket(net, zmq::SERVER)?);
        let endpoint = listen(net, &server)?;
        let workers: Vec<_> = (0..2)
            .map(|_| {
                let server = Arc::clone(&server);
                thread::spawn(move || -> Outcome {
                    let mut answered = 0;
                    loop {
                        let request = match server.recv_msg(0) {
                            Err(zmq::Error::ContextTerminated) => return Ok(answered),
                            other => other?,
                        };
                        let rid = request.routing_id().ok_or("no routing id")?;
                        let reply = format!("reply to {}", std::str::from_utf8(&request)?);
                        server.send_string_with_routing_id(&reply, rid, 0)?;
                        answered += 1;
                    }
                })
            })
            .collect();
        let mut messages = 0;
        for c in 0..3 {
            let client = socket(net, zmq::CLIENT)?;
            client.connect(&endpoint)?;
            for i in 0..10 {
                client.send_string(&format!("request {c}.{i}"), 0)?;
                let reply = client.recv_string(0)?;
                check(reply == format!("reply to request {c}.{i}"), || {
                    reply.clone()
                })?;
                messages += 2;
            }
        }
        drop(_stop);
        let answered = join_all(workers)?;
        check(answered == 30, || format!("{answered} requests answered"))?;
        Ok(messages)
    }

    // A DISH that joined one group, two threads broadcasting on one RADIO.
    fn radio_dish(net: &Net) -> Outcome {
        let dish = socket(net, zmq::DISH)?;
        dish.set_rcvhwm(0)?;
        dish.join("numbers")?;
        let endpoint = listen(net, &dish)?;
        let radio = Arc::new(socket(net, zmq::RADIO)?);
        radio.set_sndhwm(0)?;
        radio.connect(&endpoint)?;
        // The join reaches the RADIO a moment after the connect (until
        // then it drops what it sends): send until one arrives.
        let mut joined = false;
        for _ in 0..500 {
            radio.send_with_group("hello", "numbers", 0)?;
            if dish.poll(10, zmq::POLLIN)?.contains(zmq::POLLIN) {
                joined = true;
                break;
            }
        }
        check(joined, || "the DISH never heard the RADIO".into())?;
        let senders: Vec<_> = (0..2)
            .map(|t| {
                let radio = Arc::clone(&radio);
                thread::spawn(move || -> Outcome {
                    radio.send_with_group("other group", "letters", 0)?;
                    for i in 0..20 {
                        radio.send_string_with_group(&format!("{t}:{i:03}"), "numbers", 0)?;
                    }
                    Ok(20)
                })
            })
            .collect();
        let sent = join_all(senders)?;
        let mut seen = HashSet::new();
        while seen.len() < 40 {
            let msg = dish.recv_msg(0)?;
            check(msg.group().as_deref() == Some("numbers"), || {
                format!("{:?}", msg.group())
            })?;
            if &msg[..] != b"hello" {
                seen.insert(msg.to_vec());
            }
        }
        Ok(sent + seen.len() as u64)
    }

    // Two threads scatter into one SCATTER, two gather from one GATHER.
    fn scatter_gather(net: &Net) -> Outcome {
        let gather = Arc::new(socket(net, zmq::GATHER)?);
        let endpoint = listen(net, &gather)?;
        let scatter = Arc::new(socket(net, zmq::SCATTER)?);
        scatter.connect(&endpoint)?;
        let mut threads = Vec::new();
        for t in 0..2 {
            let scatter = Arc::clone(&scatter);
            threads.push(thread::spawn(move || -> Outcome {
                for i in 0..50 {
                    scatter.send(format!("{t}:{i}"), 0)?;
                }
                Ok(50)
            }));
        }
        for _ in 0..2 {
            let gather = Arc::clone(&gather);
            threads.push(thread::spawn(move || -> Outcome {
                for _ in 0..50 {
                    gather.recv_msg(0)?;
                }
                Ok(50)
            }));
        }
        join_all(threads)
    }

    // PEER: connect_peer gives the routing id to send to at once.
    fn peer(net: &Net) -> Outcome {
        let a = Arc::new(socket(net, zmq::PEER)?);
        let endpoint = listen(net, &a)?;
        let echo = {
            let a = Arc::clone(&a);
            thread::spawn(move || -> Outcome {
                for _ in 0..10 {
                    let msg = a.recv_msg(0)?;
                    let rid = msg.routing_id().ok_or("no routing id")?;
                    a.send_with_routing_id(msg, rid, 0)?;
                }
                Ok(10)
            })
        };
        let b = socket(net, zmq::PEER)?;
        let rid = b.connect_peer(&endpoint)?;
        for i in 0..10 {
            b.send_string_with_routing_id(&format!("peer {i}"), rid, 0)?;
            let back = b.recv_msg(0)?;
            check(back.routing_id() == Some(rid), || {
                "answered by another peer".into()
            })?;
            check(&back[..] == format!("peer {i}").as_bytes(), || {
                "wrong echo".into()
            })?;
        }
        Ok(10 + join_all(vec![echo])?)
    }

    // CHANNEL: one end sends from one thread while another receives.
    fn channel(net: &Net) -> Outcome {
        let a = Arc::new(socket(net, zmq::CHANNEL)?);
        let endpoint = listen(net, &a)?;
        let b = socket(net, zmq::CHANNEL)?;
        b.connect(&endpoint)?;
        let receiver = {
            let a = Arc::clone(&a);
            thread::spawn(move || -> Outcome {
                for i in 0..10 {
                    let text = a.recv_string(0)?;
                    check(text == format!("to a {i}"), || text.clone())?;
                }
                Ok(10)
            })
        };
        for i in 0..10 {
            a.send_string(&format!("from a {i}"), 0)?;
            b.send_string(&format!("to a {i}"), 0)?;
            let text = b.recv_string(0)?;
            check(text == format!("from a {i}"), || text.clone())?;
        }
        Ok(20 + join_all(vec![receiver])?)
    }
}

/// The thread-safe rows, with `--features draft`.
#[cfg(feature = "draft")]
const THREAD_SAFE_PATTERNS: &[(&str, Pattern, bool)] = thread_safe::PATTERNS;
#[cfg(not(feature = "draft"))]
const THREAD_SAFE_PATTERNS: &[(&str, Pattern, bool)] = &[];

/// The asyncio rows, with `--features tokio`.
#[cfg(feature = "tokio")]
const ASYNC_PATTERNS: &[(&str, Pattern, bool)] = asynchronous::PATTERNS;
#[cfg(not(feature = "tokio"))]
const ASYNC_PATTERNS: &[(&str, Pattern, bool)] = &[];

/// Runs one pattern in a thread of its own, so one that hangs is reported
/// as such and the tour goes on.
fn run(pattern: Pattern, transport: Transport) -> Result<u64, String> {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let result = pattern(&Net::new(transport)).map_err(|e| e.to_string());
        let _ = tx.send(result);
    });
    let limit = Duration::from_millis(2 * TIMEOUT_MS as u64);
    rx.recv_timeout(limit)
        .unwrap_or_else(|_| Err(format!("no result after {limit:?}")))
}

/// Whether epgm can run here, without sending anything beyond loopback:
/// the build has PGM, `lo` has multicast on and 239.192.1.1 routes to `lo`.
fn epgm_unavailable() -> Option<String> {
    if !zmq::has("pgm") {
        return Some("this build has no PGM (try `--features pgm`)".into());
    }
    if !loopback_multicast() {
        return Some("loopback has multicast off (the tour sends multicast only on lo)".into());
    }
    // /proc/net/route: Iface Destination Gateway Flags RefCnt Use Metric
    // Mask ..., addresses in hex, in network byte order read as little-endian.
    let group = u32::from_le_bytes([239, 192, 1, 1]);
    let routes = std::fs::read_to_string("/proc/net/route").unwrap_or_default();
    let routed = routes.lines().skip(1).any(|line| {
        let f: Vec<&str> = line.split_whitespace().collect();
        let hex = |i: usize| f.get(i).and_then(|v| u32::from_str_radix(v, 16).ok());
        matches!((f.first(), hex(1), hex(7)),
            (Some(&"lo"), Some(dest), Some(mask)) if mask != 0 && group & mask == dest)
    });
    if !routed {
        return Some("no route for 239.192.1.1 on lo".into());
    }
    None
}

/// Whether `lo` has the MULTICAST flag, asked of the kernel for this
/// process's network namespace (`/sys` may show another one's).
#[cfg(target_os = "linux")]
fn loopback_multicast() -> bool {
    // SAFETY: a plain socket call; the descriptor is closed below.
    let fd = unsafe { libc::socket(libc::AF_INET, libc::SOCK_DGRAM, 0) };
    if fd < 0 {
        return false;
    }
    // SAFETY: ifreq is plain old data, for which all zeroes is valid.
    let mut request: libc::ifreq = unsafe { std::mem::zeroed() };
    request.ifr_name[0] = b'l' as libc::c_char;
    request.ifr_name[1] = b'o' as libc::c_char; // NUL-terminated by the zeroes
                                                // SAFETY: SIOCGIFFLAGS reads the name and writes the flags of the ifreq
                                                // we own; fd is an open socket, closed once.
    let flags = unsafe {
        let rc = libc::ioctl(fd, libc::SIOCGIFFLAGS, &mut request);
        libc::close(fd);
        if rc != 0 {
            return false;
        }
        request.ifr_ifru.ifru_flags
    };
    i32::from(flags) & libc::IFF_MULTICAST != 0
}

#[cfg(not(target_os = "linux"))]
fn loopback_multicast() -> bool {
    false
}

fn main() {
    // OpenPGM logs a warning on stderr for every epgm socket on loopback;
    // keep its errors only, unless the user asked for more.
    if std::env::var_os("PGM_MIN_LOG_LEVEL").is_none() {
        // Sound: no other thread exists yet to read the environment.
        std::env::set_var("PGM_MIN_LOG_LEVEL", "ERROR");
    }
    let only = match support::Args::parse(&["only"]) {
        Ok(args) => args.get("only", ""),
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    println!(
        "zmq {} on libzmq {} ({})\n",
        zmq::VERSION,
        zmq::zmq_version(),
        if zmq::sys::VENDORED {
            "vendored"
        } else {
            "system"
        }
    );
    let mut transports = vec![Transport::Inproc, Transport::Ipc, Transport::Tcp];
    let epgm_skipped = epgm_unavailable();
    if epgm_skipped.is_none() {
        transports.push(Transport::Epgm);
    }

    println!(
        "{:<30} {:<9} {:>8}  result",
        "pattern", "transport", "messages"
    );
    let start = Instant::now();
    let (mut passed, mut failed) = (0, 0);
    let all = PATTERNS
        .iter()
        .chain(ASYNC_PATTERNS)
        .chain(THREAD_SAFE_PATTERNS);
    for &(name, pattern, over_epgm) in all {
        if !name.contains(&only) {
            continue;
        }
        let thread_safe = THREAD_SAFE_PATTERNS.iter().any(|p| p.0 == name);
        for &transport in &transports {
            if transport == Transport::Epgm && !over_epgm {
                continue;
            }
            if transport == Transport::Inproc && thread_safe {
                continue; // refused: libzmq issue #3048
            }
            let began = Instant::now();
            let (messages, result) = match run(pattern, transport) {
                Ok(messages) => {
                    passed += 1;
                    (messages.to_string(), "ok".to_string())
                }
                Err(e) => {
                    failed += 1;
                    ("-".to_string(), format!("FAILED: {e}"))
                }
            };
            println!(
                "{name:<30} {:<9} {messages:>8}  {result} ({} ms)",
                transport.name(),
                began.elapsed().as_millis()
            );
        }
    }
    if !THREAD_SAFE_PATTERNS.is_empty() && THREAD_SAFE_PATTERNS.iter().any(|p| p.0.contains(&only))
    {
        println!(
            "{:<30} {:<9} {:>8}  skipped: thread-safe types take no inproc (libzmq issue #3048)",
            "thread-safe rows", "inproc", "-"
        );
    }
    if let Some(why) = &epgm_skipped {
        println!("{:<30} {:<9} {:>8}  skipped: {why}", "pub-sub", "epgm", "-");
    }
    println!(
        "\n{passed} passed, {failed} failed in {} ms",
        start.elapsed().as_millis()
    );
    // Exit at once: a pattern that hung still has a thread blocked on its
    // context, which a normal return would wait for.
    std::process::exit(if failed == 0 { 0 } else { 1 });
}
