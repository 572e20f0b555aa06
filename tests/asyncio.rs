//! zmq::asyncio's rules (API.md "Async"), each with a test: cancel-safety,
//! RCVTIMEO/SNDTIMEO, DONTWAIT, term/destroy waking every pending future,
//! no missed readiness under load (many tasks, both runtimes, inproc and
//! tcp), no busy loop, sockets shared between tasks, the Stream and Sink,
//! the Poller, and faults (slow subscriber, restarting peer, sockets
//! dropped with futures pending: no fd left behind).
#![cfg(feature = "tokio")]
mod common;

use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::task::{Context as TaskContext, Poll};
use std::time::{Duration, Instant};

use common::watchdog;
use futures_util::{SinkExt, StreamExt};
use zmq::asyncio::{Context, Poller, Socket};

/// Every await in these tests is bounded by this.
fn limit() -> Duration {
    Duration::from_millis(common::timeout_ms() as u64)
}

/// Awaits `f` for at most `limit()`.
async fn bounded<T>(what: &str, f: impl Future<Output = T>) -> T {
    match tokio::time::timeout(limit(), f).await {
        Ok(value) => value,
        Err(_) => panic!("{what}: still waiting after {:?}", limit()),
    }
}

fn current_thread() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

fn multi_thread() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(4)
        .enable_all()
        .build()
        .unwrap()
}

fn endpoint(transport: &str, name: &str) -> String {
    common::endpoint(transport, name)
}

/// A bound and a connected socket of `ctx` (LINGER 0): (bound, connected).
fn pair(
    ctx: &Context,
    a: zmq::SocketType,
    b: zmq::SocketType,
    transport: &str,
) -> (Socket, Socket) {
    pair_with(ctx, a, b, transport, 1000)
}

/// `pair` with both high-water marks set to `hwm` first.
fn pair_with(
    ctx: &Context,
    a: zmq::SocketType,
    b: zmq::SocketType,
    transport: &str,
    hwm: i32,
) -> (Socket, Socket) {
    let bound = ctx.socket(a).unwrap();
    bound.set_linger(0).unwrap();
    bound.set_hwm(hwm).unwrap();
    bound.bind(&endpoint(transport, "asyncio")).unwrap();
    let connected = ctx.socket(b).unwrap();
    connected.set_linger(0).unwrap();
    connected.set_hwm(hwm).unwrap();
    connected.connect(&bound.last_endpoint().unwrap()).unwrap();
    (bound, connected)
}

/// Polls a future once, with a waker that does nothing.
fn poll_once<F: Future>(f: std::pin::Pin<&mut F>) -> Poll<F::Output> {
    f.poll(&mut TaskContext::from_waker(
        futures_util::task::noop_waker_ref(),
    ))
}

#[test]
fn request_reply_and_every_async_call() {
    let _guard = watchdog("asyncio basics", Duration::from_secs(60));
    current_thread().block_on(async {
        let ctx = Context::new();
        for transport in ["inproc", "ipc", "tcp"] {
            let (rep, req) = pair(&ctx, zmq::REP, zmq::REQ, transport);
            bounded("send", req.send("hello", 0)).await.unwrap();
            assert_eq!(bounded("recv", rep.recv(0)).await.unwrap(), b"hello");
            bounded("send", rep.send_multipart(["a", "b"], 0))
                .await
                .unwrap();
            assert_eq!(
                bounded("recv", req.recv_multipart(0)).await.unwrap(),
                [b"a".to_vec(), b"b".to_vec()]
            );
            bounded("send", req.send_string("text", 0)).await.unwrap();
            assert_eq!(bounded("recv", rep.recv_string(0)).await.unwrap(), "text");
            bounded("send", rep.send(vec![1u8, 2, 3], 0)).await.unwrap();
            let mut buf = [0u8; 2];
            assert_eq!(
                bounded("recv", req.recv_into(&mut buf, 0)).await.unwrap(),
                3
            );
            assert_eq!(buf, [1, 2]);
            bounded("send", req.send(zmq::Message::from("msg"), 0))
                .await
                .unwrap();
            let msg = bounded("recv", rep.recv_msg(0)).await.unwrap();
            assert_eq!(&*msg, b"msg");
            bounded("send", rep.send_serialized(&7u8, |n| [vec![*n]], 0))
                .await
                .unwrap();
            let n = bounded("recv", req.recv_serialized(|parts| parts[0][0], 0))
                .await
                .unwrap();
            assert_eq!(n, 7);
        }
    });
}

#[test]
fn dontwait_and_timeouts_give_again() {
    let _guard = watchdog("asyncio timeouts", Duration::from_secs(60));
    current_thread().block_on(async {
        let ctx = Context::new();
        let (pull, push) = pair(&ctx, zmq::PULL, zmq::PUSH, "inproc");
        // DONTWAIT: at once.
        let started = Instant::now();
        assert!(matches!(
            pull.recv(zmq::DONTWAIT).await,
            Err(zmq::Error::Again)
        ));
        assert!(started.elapsed() < Duration::from_secs(1));
        // RCVTIMEO 0: as DONTWAIT.
        pull.set_rcvtimeo(0).unwrap();
        assert!(matches!(pull.recv(0).await, Err(zmq::Error::Again)));
        // RCVTIMEO 100: Again after about that long.
        pull.set_rcvtimeo(100).unwrap();
        let started = Instant::now();
        assert!(matches!(
            bounded("recv", pull.recv(0)).await,
            Err(zmq::Error::Again)
        ));
        assert!(started.elapsed() >= Duration::from_millis(100));
        // SNDTIMEO: a PUSH with no peer cannot send.
        let lonely = ctx.socket(zmq::PUSH).unwrap();
        lonely.set_sndtimeo(100).unwrap();
        lonely.set_linger(0).unwrap();
        let started = Instant::now();
        assert!(matches!(
            bounded("send", lonely.send("x", 0)).await,
            Err(zmq::Error::Again)
        ));
        assert!(started.elapsed() >= Duration::from_millis(100));
        assert!(matches!(
            lonely.send("x", zmq::DONTWAIT).await,
            Err(zmq::Error::Again)
        ));
        // The sockets still work after all that.
        pull.set_rcvtimeo(-1).unwrap();
        bounded("send", push.send("after", 0)).await.unwrap();
        assert_eq!(bounded("recv", pull.recv(0)).await.unwrap(), b"after");
    });
}

/// A recv future dropped before it completes has taken nothing; one
/// dropped after polling a message it did take is complete (completion and
/// taking are the same step).
#[test]
fn a_dropped_recv_takes_nothing() {
    let _guard = watchdog("asyncio cancel recv", Duration::from_secs(60));
    current_thread().block_on(async {
        let ctx = Context::new();
        let (pull, push) = pair(&ctx, zmq::PULL, zmq::PUSH, "tcp");
        for i in 0..200u32 {
            {
                let mut pending = pin!(pull.recv_multipart(0));
                assert!(poll_once(pending.as_mut()).is_pending());
            } // dropped while waiting
            push.send_multipart([i.to_string(), "tail".into()], 0)
                .await
                .unwrap();
            // A timeout racing the arrival: either the message or nothing.
            match tokio::time::timeout(Duration::from_micros(50), pull.recv_multipart(0)).await {
                Ok(parts) => assert_eq!(
                    parts.unwrap(),
                    [i.to_string().into_bytes(), b"tail".to_vec()]
                ),
                Err(_) => {
                    let parts = bounded("recv", pull.recv_multipart(0)).await.unwrap();
                    assert_eq!(parts, [i.to_string().into_bytes(), b"tail".to_vec()]);
                }
            }
        }
        assert!(matches!(
            pull.recv(zmq::DONTWAIT).await,
            Err(zmq::Error::Again)
        ));
    });
}

/// A send future dropped while waiting for room has sent nothing; the
/// receiver only ever sees whole multipart messages, and exactly those
/// whose futures completed.
#[test]
fn a_dropped_send_sent_nothing_or_everything() {
    let _guard = watchdog("asyncio cancel send", Duration::from_secs(60));
    current_thread().block_on(async {
        let ctx = Context::new();
        // inproc: no kernel buffers, so the pipe holds exactly the two
        // high-water marks' worth.
        let (pull, push) = pair_with(&ctx, zmq::PULL, zmq::PUSH, "inproc", 1);
        let mut completed = 0u32;
        let mut next = 0u32;
        // Fill every buffer until a send has to wait; then drop waiting sends.
        for _ in 0..2000 {
            let parts = [next.to_string(), "middle".into(), "end".into()];
            match tokio::time::timeout(Duration::from_millis(2), push.send_multipart(parts, 0))
                .await
            {
                Ok(done) => {
                    done.unwrap();
                    completed += 1;
                    next += 1;
                }
                Err(_) => break, // dropped while waiting: sent nothing
            }
        }
        assert!(completed < 2000, "never had to wait");
        {
            let mut waiting = pin!(push.send_multipart(["dropped", "x", "y"], 0));
            assert!(poll_once(waiting.as_mut()).is_pending());
        }
        let mut received = 0u32;
        pull.set_rcvtimeo(300).unwrap();
        loop {
            match pull.recv_multipart(0).await {
                Ok(parts) => {
                    assert_eq!(parts.len(), 3, "{parts:?}");
                    assert_eq!(parts[0], received.to_string().into_bytes());
                    assert_eq!(parts[2], b"end");
                    received += 1;
                }
                Err(zmq::Error::Again) => break,
                Err(e) => panic!("{e}"),
            }
        }
        assert_eq!(received, completed);
    });
}

/// A send that has to wait keeps its data whatever `send` was given
/// (borrowed bytes, a buffer, text, an array, an owned or a borrowed
/// message): each is tried on a PUSH with no peer (EAGAIN), kept while it
/// waits, and sent whole once a peer connects; the borrowed message is
/// left empty, as the sync `send(&mut msg)` leaves it.
#[test]
fn a_waiting_send_keeps_its_data_for_every_kind() {
    let _guard = watchdog("asyncio send retry", Duration::from_secs(60));
    current_thread().block_on(async {
        let ctx = Context::new();
        let lonely = || {
            let push = ctx.socket(zmq::PUSH).unwrap();
            push.set_linger(0).unwrap();
            push.bind(&endpoint("tcp", "retry")).unwrap();
            push
        };
        let peer = |push: &Socket| {
            let pull = ctx.socket(zmq::PULL).unwrap();
            pull.set_linger(0).unwrap();
            pull.connect(&push.last_endpoint().unwrap()).unwrap();
            pull
        };
        macro_rules! waits_then_sends {
            ($push:ident, $send:expr, $expected:expr) => {{
                let $push = lonely();
                let mut send = pin!($send);
                assert!(poll_once(send.as_mut()).is_pending(), "sent with no peer");
                let pull = peer(&$push);
                bounded("send", send).await.unwrap();
                let got = bounded("recv", pull.recv(0)).await.unwrap();
                assert_eq!(got, $expected);
            }};
        }
        let bytes = *b"borrowed";
        waits_then_sends!(push, push.send(&bytes[..], 0), b"borrowed");
        waits_then_sends!(push, push.send(&bytes, 0), b"borrowed");
        waits_then_sends!(push, push.send(bytes, 0), b"borrowed");
        waits_then_sends!(push, push.send(b"buffer".to_vec(), 0), b"buffer");
        waits_then_sends!(push, push.send(String::from("text"), 0), b"text");
        waits_then_sends!(push, push.send("str", 0), b"str");
        let boxed: Box<[u8]> = Box::new(*b"boxed");
        waits_then_sends!(push, push.send(boxed, 0), b"boxed");
        waits_then_sends!(push, push.send(zmq::Message::from("owned"), 0), b"owned");
        let mut borrowed = zmq::Message::from("by reference");
        waits_then_sends!(push, push.send(&mut borrowed, 0), b"by reference");
        assert!(borrowed.is_empty(), "a sent message is left empty");
        // A copy that `to_mut` made of a shared message keeps its origin
        // (for the MORE flag and metadata): kept while the send waits,
        // and dropped with the content once it is sent.
        let mut shared = zmq::Message::from(vec![b'S'; 1000]);
        let mut copy = shared.fast_copy();
        copy.to_mut()[0] = b'C';
        let mut expected = vec![b'S'; 1000];
        expected[0] = b'C';
        waits_then_sends!(push, push.send(&mut copy, 0), expected);
        assert!(copy.is_empty() && !copy.more());
        assert_eq!(shared[0], b'S', "the original is untouched");
    });
}

#[test]
fn destroy_wakes_every_pending_future() {
    let _guard = watchdog("asyncio destroy", Duration::from_secs(60));
    multi_thread().block_on(async {
        let ctx = Context::new();
        let mut tasks = Vec::new();
        let mut keep = Vec::new();
        for i in 0..20 {
            let (pull, push) = pair(&ctx, zmq::PULL, zmq::PUSH, "inproc");
            let pull = Arc::new(pull);
            let reader = Arc::clone(&pull);
            tasks.push(tokio::spawn(async move {
                if i % 2 == 0 {
                    reader.recv(0).await.map(drop)
                } else {
                    reader.recv_multipart(0).await.map(drop)
                }
            }));
            // And a sender waiting for a peer that never comes.
            let lonely = Arc::new(ctx.socket(zmq::DEALER).unwrap());
            let sender = Arc::clone(&lonely);
            tasks.push(tokio::spawn(async move { sender.send("x", 0).await }));
            keep.push((pull, push, lonely));
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
        ctx.destroy(Some(0)).unwrap();
        for task in tasks {
            let result = bounded("a pending future after destroy", task)
                .await
                .unwrap();
            assert!(
                matches!(result, Err(zmq::Error::ContextTerminated)),
                "{result:?}"
            );
        }
        // A future first polled after the destroy: ContextTerminated too.
        let (pull, push, _) = &keep[0];
        assert!(matches!(
            bounded("late", pull.recv(0)).await,
            Err(zmq::Error::ContextTerminated)
        ));
        assert!(matches!(
            bounded("late", push.send("x", 0)).await,
            Err(zmq::Error::ContextTerminated)
        ));
    });
}

/// The readiness logic under load: 50 DEALER tasks, 2,000 round trips
/// each, against one ROUTER task; both runtimes, inproc and tcp. A missed
/// wake-up would hang (the watchdog ends the process).
#[test]
fn fifty_dealers_two_thousand_round_trips_each() {
    let _guard = watchdog("asyncio stress", Duration::from_secs(300));
    for multi in [false, true] {
        for transport in ["inproc", "tcp"] {
            let runtime = if multi {
                multi_thread()
            } else {
                current_thread()
            };
            runtime.block_on(stress(transport, 50, 2000));
        }
    }
}

async fn stress(transport: &str, dealers: usize, round_trips: usize) {
    let ctx = Context::new();
    let router = Arc::new(ctx.socket(zmq::ROUTER).unwrap());
    router.set_linger(0).unwrap();
    router.bind(&endpoint(transport, "asyncio-stress")).unwrap();
    let address = router.last_endpoint().unwrap();
    let total = dealers * round_trips;
    let server = {
        let router = Arc::clone(&router);
        tokio::spawn(async move {
            for _ in 0..total {
                let parts = router.recv_multipart_msg(0).await?;
                router.send_multipart(parts, 0).await?;
            }
            Ok::<(), zmq::Error>(())
        })
    };
    let mut clients = Vec::new();
    for d in 0..dealers {
        let dealer = ctx.socket(zmq::DEALER).unwrap();
        dealer.set_linger(0).unwrap();
        dealer.connect(&address).unwrap();
        clients.push(tokio::spawn(async move {
            for i in 0..round_trips {
                let body = format!("{d}:{i}");
                dealer.send(body.as_str(), 0).await?;
                let reply = dealer.recv_string(0).await?;
                assert_eq!(reply, body);
            }
            Ok::<(), zmq::Error>(())
        }));
    }
    for client in clients {
        tokio::time::timeout(Duration::from_secs(120), client)
            .await
            .unwrap_or_else(|_| panic!("{transport}: a dealer hung (missed wake-up?)"))
            .unwrap()
            .unwrap();
    }
    bounded("server", server).await.unwrap().unwrap();
}

/// One ROUTER shared by eight worker tasks (an Arc) on the multi-threaded
/// runtime, answering 40 clients, while another task sends on it too.
#[test]
fn one_socket_shared_by_many_tasks() {
    let _guard = watchdog("asyncio sharing", Duration::from_secs(120));
    multi_thread().block_on(async {
        let ctx = Context::new();
        let router = Arc::new(ctx.socket(zmq::ROUTER).unwrap());
        router.set_linger(0).unwrap();
        router.bind("tcp://127.0.0.1:*").unwrap();
        let address = router.last_endpoint().unwrap();
        let (clients, requests) = (40, 250);
        let mut workers = Vec::new();
        for _ in 0..8 {
            let router = Arc::clone(&router);
            workers.push(tokio::spawn(async move {
                let mut served = 0u32;
                loop {
                    match router.recv_multipart_msg(0).await {
                        Ok(parts) if &*parts[1] == b"stop" => return Ok::<u32, zmq::Error>(served),
                        Ok(parts) => {
                            router.send_multipart(parts, 0).await?;
                            served += 1;
                        }
                        Err(e) => return Err(e),
                    }
                }
            }));
        }
        let mut tasks = Vec::new();
        for c in 0..clients {
            let dealer = ctx.socket(zmq::DEALER).unwrap();
            dealer.set_linger(0).unwrap();
            dealer.connect(&address).unwrap();
            tasks.push(tokio::spawn(async move {
                for i in 0..requests {
                    let body = format!("{c}/{i}");
                    dealer.send(body.as_str(), 0).await?;
                    assert_eq!(dealer.recv_string(0).await?, body);
                }
                Ok::<(), zmq::Error>(())
            }));
        }
        for task in tasks {
            tokio::time::timeout(Duration::from_secs(60), task)
                .await
                .expect("a client hung")
                .unwrap()
                .unwrap();
        }
        // Stop each worker: one "stop" per worker from one dealer.
        let stopper = ctx.socket(zmq::DEALER).unwrap();
        stopper.connect(&address).unwrap();
        for _ in 0..8 {
            stopper.send("stop", 0).await.unwrap();
        }
        let mut served = 0;
        for worker in workers {
            served += bounded("worker", worker).await.unwrap().unwrap();
        }
        assert_eq!(served, clients * requests);
    });
}

/// A socket whose futures wait costs no CPU: one second of waiting on two
/// sockets uses a small fraction of a second of the process's CPU time.
#[test]
fn an_idle_socket_costs_no_cpu() {
    common::in_child(
        "an_idle_socket_costs_no_cpu",
        Duration::from_secs(60),
        idle_costs_no_cpu,
    );
}

/// The CPU time this process has used.
fn cpu() -> Duration {
    // SAFETY: rusage is plain old data (all zeroes is valid), and
    // getrusage writes the struct it is given.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) };
    let t = |tv: libc::timeval| Duration::new(tv.tv_sec as u64, tv.tv_usec as u32 * 1000);
    t(usage.ru_utime) + t(usage.ru_stime)
}

fn idle_costs_no_cpu() {
    current_thread().block_on(async {
        let ctx = Context::new();
        let (pull, _push) = pair(&ctx, zmq::PULL, zmq::PUSH, "tcp");
        let lonely = ctx.socket(zmq::DEALER).unwrap();
        lonely.set_linger(0).unwrap();
        let before = cpu();
        let idle = async {
            let _ = tokio::join!(pull.recv(0), lonely.send("x", 0));
        };
        assert!(tokio::time::timeout(Duration::from_secs(1), idle)
            .await
            .is_err());
        let used = cpu() - before;
        assert!(
            used < Duration::from_millis(100),
            "used {used:?} of CPU while idle"
        );
        println!("CPU used in one idle second: {used:?}");
    });
}

#[test]
fn stream_and_sink() {
    let _guard = watchdog("asyncio stream", Duration::from_secs(60));
    current_thread().block_on(async {
        let ctx = Context::new();
        let (mut pull, mut push) = pair(&ctx, zmq::PULL, zmq::PUSH, "tcp");
        for i in 0..100u32 {
            bounded(
                "sink",
                SinkExt::send(&mut push, vec![i.to_string(), "x".into()]),
            )
            .await
            .unwrap();
        }
        bounded(
            "sink",
            SinkExt::send(&mut push, vec![zmq::Message::from("last")]),
        )
        .await
        .unwrap();
        for i in 0..100u32 {
            let parts = bounded("stream", pull.next()).await.unwrap().unwrap();
            assert_eq!(&*parts[0], i.to_string().as_bytes());
            assert_eq!(&*parts[1], b"x");
        }
        let parts = bounded("stream", pull.next()).await.unwrap().unwrap();
        assert_eq!(&*parts[0], b"last");
        assert!(SinkExt::<Vec<&str>>::send(&mut push, vec![]).await.is_err());
        // Split: one task reads the stream, another writes the sink.
        let (pair_a, pair_b) = pair(&ctx, zmq::PAIR, zmq::PAIR, "inproc");
        let (mut sink, mut stream) = pair_a.split::<Vec<Vec<u8>>>();
        let echo = async {
            let mut b = pair_b;
            while let Some(parts) = b.next().await {
                let parts = parts?;
                if &*parts[0] == b"end" {
                    break;
                }
                SinkExt::send(&mut b, parts).await?;
            }
            Ok::<(), zmq::Error>(())
        };
        let talk = async {
            for i in 0..500u32 {
                sink.send(vec![i.to_le_bytes().to_vec()]).await?;
                let back = stream.next().await.expect("open")?;
                assert_eq!(&*back[0], i.to_le_bytes());
            }
            sink.send(vec![b"end".to_vec()]).await?;
            Ok::<(), zmq::Error>(())
        };
        let (a, b) = bounded("split", async { tokio::join!(echo, talk) }).await;
        a.unwrap();
        b.unwrap();
        // The stream ends after ContextTerminated.
        ctx.destroy(Some(0)).unwrap();
        assert!(matches!(
            bounded("stream", pull.next()).await,
            Some(Err(zmq::Error::ContextTerminated))
        ));
        assert!(bounded("stream", pull.next()).await.is_none());
    });
}

#[test]
fn poller_and_socket_poll() {
    let _guard = watchdog("asyncio poller", Duration::from_secs(60));
    current_thread().block_on(async {
        let ctx = Context::new();
        let (a, b) = pair(&ctx, zmq::PAIR, zmq::PAIR, "inproc");
        let (c, d) = pair(&ctx, zmq::PAIR, zmq::PAIR, "tcp");
        let mut poller = Poller::new();
        poller.register(&b, zmq::POLLIN);
        poller.register(&d, zmq::POLLIN);
        assert!(poller.poll(0).await.unwrap().is_empty());
        let started = Instant::now();
        assert!(poller.poll(100).await.unwrap().is_empty());
        assert!(started.elapsed() >= Duration::from_millis(100));
        c.send("to d", 0).await.unwrap();
        let socks = bounded("poll", poller.poll(-1)).await.unwrap();
        assert_eq!(socks.get(&d), zmq::POLLIN);
        assert!(!socks.contains(&b));
        assert_eq!(d.recv(0).await.unwrap(), b"to d");
        // Waiting, then woken by a send from another task.
        let (socks, ()) = tokio::join!(
            async { bounded("poll", poller.poll(None)).await.unwrap() },
            async {
                tokio::time::sleep(Duration::from_millis(20)).await;
                a.send("to b", 0).await.unwrap();
            }
        );
        assert_eq!(socks.get(&b), zmq::POLLIN);
        assert_eq!(
            b.poll(0, zmq::POLLIN | zmq::POLLOUT).await.unwrap(),
            zmq::POLLIN | zmq::POLLOUT
        );
        assert_eq!(b.recv(0).await.unwrap(), b"to b");
        assert_eq!(
            b.poll(50, zmq::POLLIN).await.unwrap(),
            zmq::PollEvents::empty()
        );
        poller.unregister(&b);
        assert_eq!(poller.len(), 1);
        // The sync PollResult, through the sync poller's API.
        assert!(Poller::new().poll(1000).await.unwrap().is_empty());
    });
}

/// Faults: a SUB that reads slowly behind a fast PUB at the HWM, a PUSH
/// whose peer goes away and comes back, and a thousand sockets dropped
/// with futures pending: nothing hangs, and no fd is left behind.
#[test]
fn faults_and_no_fd_left_behind() {
    // In a process of its own: the fd count is the process's.
    common::in_child(
        "faults_and_no_fd_left_behind",
        Duration::from_secs(120),
        faults,
    );
}

fn faults() {
    fn fds() -> usize {
        std::fs::read_dir("/proc/self/fd")
            .map(|d| d.count())
            .unwrap_or(0)
    }
    multi_thread().block_on(async {
        let before = fds();
        {
            let ctx = Context::new();
            // Slow subscriber: the PUB drops what does not fit, never blocks.
            let (sub, publisher) = pair_with(&ctx, zmq::SUB, zmq::PUB, "tcp", 10);
            sub.subscribe("").unwrap();
            let sender = async {
                for i in 0..5_000u32 {
                    publisher.send(i.to_le_bytes(), 0).await?;
                }
                publisher.send("end", 0).await
            };
            bounded("pub at HWM", sender).await.unwrap();
            let mut got = 0;
            sub.set_rcvtimeo(200).unwrap();
            while let Ok(_msg) = sub.recv(0).await {
                got += 1;
                tokio::time::sleep(Duration::from_micros(100)).await;
            }
            assert!(got < 5_001, "a slow SUB got everything: {got}");

            // A PUSH whose peer restarts: sends wait while it is away.
            let push = ctx.socket(zmq::PUSH).unwrap();
            push.set_linger(0).unwrap();
            let address = format!("tcp://127.0.0.1:{}", {
                let probe = ctx.socket(zmq::PULL).unwrap();
                let port = probe.bind_to_random_port("tcp://127.0.0.1").unwrap();
                probe.close().unwrap();
                port
            });
            push.connect(&address).unwrap();
            for round in 0..3 {
                let pull = ctx.socket(zmq::PULL).unwrap();
                pull.set_linger(0).unwrap();
                // The port was just freed: retry the bind briefly.
                let mut bound = pull.bind(&address);
                for _ in 0..100 {
                    if bound.is_ok() {
                        break;
                    }
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    bound = pull.bind(&address);
                }
                bound.unwrap();
                // A message sent just as the old peer went can go down its
                // dead connection (ZeroMQ drops it): send until one
                // arrives. Each send must complete: none may hang.
                let mut arrived = None;
                for _ in 0..50 {
                    bounded(
                        "push to a restarted peer",
                        push.send(format!("round {round}").as_str(), 0),
                    )
                    .await
                    .unwrap();
                    match tokio::time::timeout(Duration::from_millis(100), pull.recv_string(0))
                        .await
                    {
                        Ok(got) => {
                            arrived = Some(got.unwrap());
                            break;
                        }
                        Err(_) => continue,
                    }
                }
                assert_eq!(arrived.as_deref(), Some(format!("round {round}").as_str()));
                pull.close().unwrap();
            }

            // A thousand sockets dropped while futures on them are pending.
            for _ in 0..1000 {
                // No peer: its sends wait, and so do its receives.
                let s = ctx.socket(zmq::DEALER).unwrap();
                s.set_linger(0).unwrap();
                let mut recv = pin!(s.recv(0));
                let _ = poll_once(recv.as_mut());
                let mut waiting = pin!(tokio::time::timeout(
                    Duration::from_millis(1),
                    s.send("x", 0)
                ));
                let _ = waiting.as_mut().await;
            }
            drop((sub, publisher, push));
            ctx.term().unwrap();
        }
        let after = fds();
        assert!(after <= before + 2, "fds: {before} before, {after} after");
    });
}

/// Outside a runtime, or in one without its drivers, the calls that wait
/// fail with a clear error instead of panicking; the ones that do not wait
/// work anywhere.
#[test]
fn without_a_runtime_the_error_is_clear() {
    let ctx = Context::new();
    let (pull, push) = pair(&ctx, zmq::PULL, zmq::PUSH, "inproc");
    let mut recv = pin!(pull.recv(0));
    match poll_once(recv.as_mut()) {
        Poll::Ready(Err(zmq::Error::AsyncRuntime(e))) => {
            assert!(e.to_string().contains("not inside a tokio runtime"), "{e}")
        }
        other => panic!("{other:?}"),
    }
    // Sends that need no waiting complete without a runtime.
    let mut send = pin!(push.send("x", 0));
    assert!(matches!(poll_once(send.as_mut()), Poll::Ready(Ok(()))));
    let mut recv = pin!(pull.recv(0));
    assert!(matches!(poll_once(recv.as_mut()), Poll::Ready(Ok(_))));
    // A runtime without its I/O driver.
    let no_io = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let result = no_io.block_on(async { pull.recv(0).await });
    assert!(
        matches!(result, Err(zmq::Error::AsyncRuntime(_))),
        "{result:?}"
    );
}

#[test]
fn monitor_socket_and_shadow_context() {
    let _guard = watchdog("asyncio monitor", Duration::from_secs(60));
    current_thread().block_on(async {
        let sync_ctx = zmq::Context::new();
        let ctx = Context::from(sync_ctx.clone());
        let rep = ctx.socket(zmq::REP).unwrap();
        let monitor = rep.get_monitor_socket(zmq::EVENT_LISTENING).unwrap();
        rep.bind("tcp://127.0.0.1:*").unwrap();
        let event = bounded("monitor", zmq::asyncio::recv_monitor_message(&monitor, 0))
            .await
            .unwrap();
        assert_eq!(event.event, zmq::EVENT_LISTENING);
        assert_eq!(event.endpoint, rep.last_endpoint().unwrap());
        drop(monitor);
        // A sync socket of the same context talks to the async one.
        let req = sync_ctx.socket(zmq::REQ).unwrap();
        req.connect(&rep.last_endpoint().unwrap()).unwrap();
        req.send("sync", 0).unwrap();
        assert_eq!(bounded("recv", rep.recv(0)).await.unwrap(), b"sync");
        let sync_rep = rep.into_socket();
        sync_rep.send("back", 0).unwrap();
        assert_eq!(req.recv(0).unwrap(), b"back");
        let again = Socket::from_socket(sync_rep).unwrap();
        assert_eq!(again.socket_type(), zmq::REP);
        assert!(Socket::from_socket(sync_ctx.socket(zmq::PAIR).unwrap()).is_ok());
        let same = Context::instance();
        assert_eq!(same.as_raw(), Context::instance().as_raw());
    });
}

/// A task whose every recv completes at once (a long backlog) still yields
/// to the other tasks of its thread now and then (tokio's cooperative
/// budget), as tokio's own sockets do; a send loop too.
#[test]
fn a_busy_socket_does_not_starve_other_tasks() {
    let _guard = watchdog("asyncio coop budget", Duration::from_secs(60));
    current_thread().block_on(async {
        let ctx = Context::new();
        let (pull, push) = pair_with(&ctx, zmq::PULL, zmq::PUSH, "inproc", 0);
        const BACKLOG: usize = 10_000;
        let other_ran = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let flag = Arc::clone(&other_ran);
        tokio::spawn(async move { flag.store(true, std::sync::atomic::Ordering::SeqCst) });
        let mut seen_at = None;
        for i in 0..BACKLOG {
            push.send("x", 0).await.unwrap();
            if seen_at.is_none() && other_ran.load(std::sync::atomic::Ordering::SeqCst) {
                seen_at = Some(i);
            }
        }
        assert!(
            seen_at.is_some(),
            "the other task never ran during {BACKLOG} sends"
        );

        other_ran.store(false, std::sync::atomic::Ordering::SeqCst);
        let flag = Arc::clone(&other_ran);
        tokio::spawn(async move { flag.store(true, std::sync::atomic::Ordering::SeqCst) });
        let mut seen_at = None;
        for i in 0..BACKLOG {
            pull.recv_msg(0).await.unwrap();
            if seen_at.is_none() && other_ran.load(std::sync::atomic::Ordering::SeqCst) {
                seen_at = Some(i);
            }
        }
        // tokio's budget is 128 units per poll of a task; a socket takes
        // one unit per 8 operations (readiness.rs, `Core::poll_io`).
        let seen_at = seen_at.expect("the other task never ran while the backlog was drained");
        assert!(
            seen_at <= 2 * 128 * 8,
            "the other task ran only after {seen_at} receives"
        );
    });
}

/// The operation that pays for its stride of eight (see above) may be one
/// that waits; it gives its unit of budget back, and the next operation
/// pays instead. Were the stride started afresh after it, a loop of seven
/// operations that complete and one that waits (polled once, in a
/// `select` say) would never pay at all once the eighth fell on the one
/// that waits, and never yield. Each of the eight phases of that loop is
/// tried, each on a thread of its own: the stride is counted per thread,
/// from 0 there, so that exactly `phase` operations come before the loop
/// (the backlog is sent by a sync socket, which the stride does not count).
#[test]
fn an_operation_that_waits_does_not_skip_the_budget() {
    use std::sync::atomic::{AtomicBool, Ordering::SeqCst};
    let _guard = watchdog("asyncio coop budget, waiting ops", Duration::from_secs(60));
    const ROUNDS: usize = 600;
    for phase in 0..8 {
        let ctx = Context::new();
        let (pull, push) = pair_with(&ctx, zmq::PULL, zmq::PUSH, "inproc", 0);
        let push = push.into_socket();
        for _ in 0..phase + 7 * ROUNDS {
            push.send("x", 0).unwrap();
        }
        let (empty, _peer) = pair(&ctx, zmq::PULL, zmq::PUSH, "inproc");
        let (seen_at, ops) = std::thread::spawn(move || {
            current_thread().block_on(async move {
                let other_ran = Arc::new(AtomicBool::new(false));
                let flag = Arc::clone(&other_ran);
                tokio::spawn(async move { flag.store(true, SeqCst) });
                let mut ops = 0;
                for _ in 0..phase {
                    pull.recv_msg(0).await.unwrap();
                    ops += 1;
                }
                for _ in 0..ROUNDS {
                    for _ in 0..7 {
                        pull.recv_msg(0).await.unwrap();
                        ops += 1;
                    }
                    // One try that waits: polled once, then dropped.
                    let mut waiting = pin!(empty.recv(0));
                    std::future::poll_fn(|cx| {
                        assert!(waiting.as_mut().poll(cx).is_pending());
                        Poll::Ready(())
                    })
                    .await;
                    ops += 1;
                    if other_ran.load(SeqCst) {
                        return (Some(ops), ops);
                    }
                }
                (None, ops)
            })
        })
        .join()
        .unwrap();
        // 128 units a poll of a task, and at most nine operations a unit.
        let seen_at = seen_at.unwrap_or_else(|| {
            panic!("phase {phase}: the other task never ran in {ops} operations")
        });
        assert!(
            seen_at <= 2 * 128 * 9,
            "phase {phase}: the other task ran only after {seen_at} operations"
        );
    }
}

/// A waker that records being woken.
struct Flag(std::sync::atomic::AtomicBool);

impl std::task::Wake for Flag {
    fn wake(self: Arc<Self>) {
        self.0.store(true, std::sync::atomic::Ordering::SeqCst);
    }
}

/// A failed try can consume another waiter's edge: a recv that finds
/// nothing processes libzmq's mailbox, and with it the activate_write a
/// waiting send needs, before the runtime's reactor has seen the fd
/// become readable. The send must be woken all the same (rule 5).
#[test]
fn a_failed_recv_passes_on_the_edge_it_consumed() {
    let _guard = watchdog("asyncio consumed edge", Duration::from_secs(60));
    current_thread().block_on(async {
        let ctx = Context::new();
        let s = ctx.socket(zmq::DEALER).unwrap();
        s.set_linger(0).unwrap();
        s.set_sndhwm(2).unwrap();
        let r = zmq::Context::from(ctx.clone()).socket(zmq::ROUTER).unwrap();
        r.set_linger(0).unwrap();
        r.set_rcvhwm(2).unwrap();
        r.set_rcvtimeo(5000).unwrap();
        r.bind("inproc://consumed-edge").unwrap();
        s.connect("inproc://consumed-edge").unwrap();
        // Fill the pipe.
        let mut queued = 0;
        while s.send("x", zmq::DONTWAIT).await.is_ok() {
            queued += 1;
        }
        assert!(queued > 0);
        // A send that waits, woken through `send_flag`.
        let send_flag = Arc::new(Flag(Default::default()));
        let send_waker = std::task::Waker::from(Arc::clone(&send_flag));
        let mut send = pin!(s.send("after", 0));
        assert!(send
            .as_mut()
            .poll(&mut TaskContext::from_waker(&send_waker))
            .is_pending());
        // The peer reads everything: libzmq posts activate_write to `s`.
        for _ in 0..queued {
            r.recv_multipart(0).unwrap();
        }
        // A recv finds nothing, processing that command on the way, while
        // the reactor has not run (no await in between).
        let mut recv = pin!(s.recv(0));
        assert!(poll_once(recv.as_mut()).is_pending());
        assert!(
            send_flag.0.load(std::sync::atomic::Ordering::SeqCst),
            "the waiting send was not woken"
        );
        assert!(send
            .as_mut()
            .poll(&mut TaskContext::from_waker(&send_waker))
            .is_ready());
    });
}

/// The Stream and the Sink keep their state from one item to the next:
/// each wait reads RCVTIMEO/SNDTIMEO again and times itself.
#[test]
fn stream_and_sink_time_each_wait_afresh() {
    let _guard = watchdog("asyncio stream timeouts", Duration::from_secs(60));
    current_thread().block_on(async {
        let ctx = Context::new();
        let (mut pull, push) = pair(&ctx, zmq::PULL, zmq::PUSH, "inproc");
        pull.set_rcvtimeo(20).unwrap();
        assert!(matches!(pull.next().await, Some(Err(zmq::Error::Again))));
        // No limit now: the next item waits for the message, however late.
        pull.set_rcvtimeo(-1).unwrap();
        let sender = async {
            tokio::time::sleep(Duration::from_millis(100)).await;
            push.send("late", 0).await.unwrap();
        };
        let (item, ()) = tokio::join!(pull.next(), sender);
        assert_eq!(&*item.unwrap().unwrap()[0], b"late");

        // A PUSH with no peer: the Sink's first flush times out, the next
        // one waits (no limit) until a peer connects.
        let mut lonely = ctx.socket(zmq::PUSH).unwrap();
        lonely.set_linger(0).unwrap();
        lonely.bind("inproc://sink-timeouts").unwrap();
        lonely.set_sndtimeo(20).unwrap();
        assert!(matches!(
            SinkExt::send(&mut lonely, vec!["lost"]).await,
            Err(zmq::Error::Again)
        ));
        lonely.set_sndtimeo(-1).unwrap();
        let receiver = ctx.socket(zmq::PULL).unwrap();
        let connect_later = async {
            tokio::time::sleep(Duration::from_millis(100)).await;
            receiver.connect("inproc://sink-timeouts").unwrap();
            receiver.recv(0).await.unwrap()
        };
        let (sent, got) = tokio::join!(SinkExt::send(&mut lonely, vec!["kept"]), connect_later);
        sent.unwrap();
        assert_eq!(got, b"kept");
    });
}

/// A Poller with many ready sockets reports them all even when the task's
/// cooperative budget runs out on the way (it takes the budget once).
#[test]
fn a_poller_sees_every_ready_socket_whatever_the_budget() {
    let _guard = watchdog("asyncio poller budget", Duration::from_secs(60));
    current_thread().block_on(async {
        let ctx = Context::new();
        let pairs: Vec<(Socket, Socket)> = (0..300)
            .map(|_| pair(&ctx, zmq::PULL, zmq::PUSH, "inproc"))
            .collect();
        for (_, push) in &pairs {
            push.send("x", 0).await.unwrap();
        }
        let mut poller = Poller::new();
        for (pull, _) in &pairs {
            poller.register(pull, zmq::POLLIN);
        }
        // Several polls in a row within one task poll (no yield between):
        // each sees all 300 sockets ready.
        for _ in 0..3 {
            let ready = poller.poll(0).await.unwrap();
            for (pull, _) in &pairs {
                assert!(ready.contains(pull), "a ready socket was left out");
            }
        }
    });
}

/// A mandatory ROUTER (SNDHWM 1) with two DEALER peers that have said
/// hello: `d`, which reads nothing (RCVHWM 1), and `r`, whose pipe has room,
/// so that the ROUTER says POLLOUT while a send to `d` cannot go ahead.
/// (router, d, r), over `transport`.
async fn mandatory_router(ctx: &Context, transport: &str) -> (Socket, Socket, Socket) {
    let router = ctx.socket(zmq::ROUTER).unwrap();
    router.set_linger(0).unwrap();
    router.set_router_mandatory(true).unwrap();
    router.set_sndhwm(1).unwrap();
    router.bind(&endpoint(transport, "mandatory")).unwrap();
    let peer = |id: &[u8], rcvhwm: i32| {
        let dealer = ctx.socket(zmq::DEALER).unwrap();
        dealer.set_linger(0).unwrap();
        dealer.set_rcvhwm(rcvhwm).unwrap();
        dealer.set_routing_id(id).unwrap();
        dealer.connect(&router.last_endpoint().unwrap()).unwrap();
        dealer
    };
    let dealer = peer(b"d", 1);
    dealer.send("hello", 0).await.unwrap();
    bounded("hello", router.recv_multipart(0)).await.unwrap();
    let roomy = peer(b"r", 1000);
    roomy.send("hello", 0).await.unwrap();
    bounded("hello", router.recv_multipart(0)).await.unwrap();
    (router, dealer, roomy)
}

/// A ROUTER with ROUTER_MANDATORY says POLLOUT while the peer's pipe is
/// full: a send there must wait and time out with SNDTIMEO, not retry for
/// ever holding its thread (found by review; the SERVER test below is the
/// same for the thread-safe types).
#[test]
fn a_mandatory_router_send_to_a_full_peer_times_out() {
    let _dog = watchdog("asyncio ROUTER_MANDATORY send", Duration::from_secs(60));
    current_thread().block_on(async {
        let ctx = Context::new();
        let (router, _dealer, _roomy) = mandatory_router(&ctx, "tcp").await;
        router.set_sndtimeo(100).unwrap();
        let big = vec![7u8; 1 << 20];
        let mut timed_out = false;
        for _ in 0..500 {
            match bounded("send", router.send_multipart([&b"d"[..], &big[..]], 0)).await {
                Ok(()) => {}
                Err(e) if e.is_again() => {
                    timed_out = true;
                    break;
                }
                Err(e) => panic!("{e}"),
            }
        }
        assert!(timed_out, "500 MiB went into a peer that reads nothing");
    });
}

/// A send waiting on a full peer where POLLOUT says nothing (a mandatory
/// ROUTER: another peer has room) holds a backstop timer of its runtime.
/// Polled again after that runtime has shut down (from its handle, still
/// entered), the timer fails, and so does the send: an `AsyncRuntime`
/// error, not a retry for ever with the socket locked (a new timer would
/// fail the same way at once), not a panic.
#[test]
fn a_waiting_send_polled_after_its_runtime_shut_down_fails() {
    let _dog = watchdog("asyncio send after shutdown", Duration::from_secs(60));
    let rt = current_thread();
    let handle = rt.handle().clone();
    let (_ctx, router, _dealer, _roomy) = rt.block_on(async {
        let ctx = Context::new();
        let (router, dealer, roomy) = mandatory_router(&ctx, "inproc").await;
        (ctx, router, dealer, roomy)
    });
    // Over inproc the pipe to `d` holds SNDHWM + RCVHWM = 2 messages, and
    // nothing drains it: the third send waits, and for good.
    let mut waiting = None;
    {
        let _in_runtime = rt.enter();
        for _ in 0..10 {
            let mut send = Box::pin(router.send_multipart([&b"d"[..], &b"x"[..]], 0));
            match poll_once(send.as_mut()) {
                Poll::Ready(Ok(())) => {}
                Poll::Pending => {
                    waiting = Some(send);
                    break;
                }
                Poll::Ready(Err(e)) => panic!("{e}"),
            }
        }
    }
    let mut send = waiting.expect("ten messages went into a pipe that holds two");
    drop(rt);
    let _in_runtime = handle.enter();
    match poll_once(send.as_mut()) {
        Poll::Ready(Err(zmq::Error::AsyncRuntime(e))) => {
            assert!(e.to_string().contains("shut"), "{e}")
        }
        other => panic!("{other:?}"),
    }
    drop(send);
    // The socket is still usable: a send to the peer with room goes.
    assert!(matches!(
        poll_once(pin!(router.send_multipart([&b"r"[..], &b"x"[..]], 0)).as_mut()),
        Poll::Ready(Ok(()))
    ));
}

/// Thread-safe socket types on `zmq::asyncio` (feature `draft`): watched
/// through a libzmq poller's fd (`zmq_poller_fd`, as pyzmq 27), drained
/// after each wake-up.
#[cfg(feature = "draft")]
mod thread_safe {
    use super::*;

    /// 20 CLIENT tasks × 500 round trips against one SERVER task, on both
    /// runtimes, over ipc and tcp (inproc is refused the thread-safe types).
    #[test]
    fn many_clients_against_one_server() {
        let _dog = watchdog("asyncio SERVER/CLIENT", Duration::from_secs(120));
        for transport in ["ipc", "tcp"] {
            for rt in [current_thread(), multi_thread()] {
                rt.block_on(async {
                    let ctx = Context::new();
                    let (server, _) = pair(&ctx, zmq::SERVER, zmq::CLIENT, transport);
                    let endpoint = server.last_endpoint().unwrap();
                    let server = tokio::spawn(async move {
                        for _ in 0..20 * 500 {
                            let msg = bounded("server recv", server.recv_msg(0)).await.unwrap();
                            let rid = msg.routing_id().unwrap();
                            bounded("server send", server.send_with_routing_id(msg, rid, 0))
                                .await
                                .unwrap();
                        }
                    });
                    let clients: Vec<_> = (0..20)
                        .map(|c| {
                            let client = ctx.socket(zmq::CLIENT).unwrap();
                            client.set_linger(0).unwrap();
                            client.connect(&endpoint).unwrap();
                            tokio::spawn(async move {
                                for i in 0..500u32 {
                                    let text = format!("{c}:{i}");
                                    bounded("client send", client.send_string(&text, 0))
                                        .await
                                        .unwrap();
                                    let back = bounded("client recv", client.recv_string(0))
                                        .await
                                        .unwrap();
                                    assert_eq!(back, text);
                                }
                            })
                        })
                        .collect();
                    for c in clients {
                        c.await.unwrap();
                    }
                    server.await.unwrap();
                });
            }
        }
    }

    /// One SERVER shared by four tasks of the multi-threaded runtime, each
    /// receiving and answering, with sync CLIENTs in threads.
    #[test]
    fn one_server_shared_by_tasks() {
        let _dog = watchdog("asyncio shared SERVER", Duration::from_secs(60));
        multi_thread().block_on(async {
            let ctx = Context::new();
            let server = Arc::new(ctx.socket(zmq::SERVER).unwrap());
            server.set_linger(0).unwrap();
            server.bind("tcp://127.0.0.1:*").unwrap();
            let endpoint = server.last_endpoint().unwrap();
            let answerers: Vec<_> = (0..4)
                .map(|_| {
                    let server = Arc::clone(&server);
                    tokio::spawn(async move {
                        let mut answered = 0;
                        loop {
                            match server.recv_msg(0).await {
                                Ok(msg) => {
                                    let rid = msg.routing_id().unwrap();
                                    server.send_with_routing_id(msg, rid, 0).await.unwrap();
                                    answered += 1;
                                }
                                Err(e) if e.is_context_terminated() => return answered,
                                Err(e) => panic!("{e}"),
                            }
                        }
                    })
                })
                .collect();
            let sync_ctx: zmq::Context = (*ctx).clone();
            let clients: Vec<_> = (0..4)
                .map(|c| {
                    let ctx = sync_ctx.clone();
                    let endpoint = endpoint.clone();
                    std::thread::spawn(move || {
                        let client = ctx.thread_safe_socket(zmq::CLIENT).unwrap();
                        client.set_rcvtimeo(common::timeout_ms()).unwrap();
                        client.set_linger(0).unwrap();
                        client.connect(&endpoint).unwrap();
                        for i in 0..1000 {
                            let text = format!("{c}:{i}");
                            client.send_string(&text, 0).unwrap();
                            assert_eq!(client.recv_string(0).unwrap(), text);
                        }
                    })
                })
                .collect();
            for c in clients {
                tokio::task::spawn_blocking(move || c.join().unwrap())
                    .await
                    .unwrap();
            }
            ctx.destroy(Some(0)).unwrap();
            let mut total = 0;
            for a in answerers {
                total += bounded("answerer", a).await.unwrap();
            }
            assert_eq!(total, 4000);
        });
    }

    /// RADIO/DISH, timeouts, DONTWAIT, destroy, and the errors of the
    /// addressed sends.
    #[test]
    fn radio_dish_timeouts_and_errors() {
        let _dog = watchdog("asyncio RADIO/DISH", Duration::from_secs(60));
        current_thread().block_on(async {
            let ctx = Context::new();
            let dish = ctx.socket(zmq::DISH).unwrap();
            dish.set_linger(0).unwrap();
            dish.join("g").unwrap();
            dish.bind("tcp://127.0.0.1:*").unwrap();
            let radio = ctx.socket(zmq::RADIO).unwrap();
            radio.set_linger(0).unwrap();
            radio.connect(&dish.last_endpoint().unwrap()).unwrap();
            // The join reaches the RADIO a moment after the connect.
            let msg = loop {
                radio.send_string_with_group("hello", "g", 0).await.unwrap();
                if let Ok(msg) =
                    tokio::time::timeout(Duration::from_millis(10), dish.recv_msg(0)).await
                {
                    break msg.unwrap();
                }
            };
            assert_eq!(msg.group().as_deref(), Some("g"));
            assert!(radio.send_with_group("x", "", 0).await.is_err());
            let server = ctx.socket(zmq::SERVER).unwrap();
            assert!(matches!(
                server.send_with_routing_id("x", 0, 0).await,
                Err(zmq::Error::InvalidArgument(_))
            ));
            // A dropped addressed send leaves the caller's message whole.
            let mut kept = zmq::Message::from("kept");
            server.set_sndtimeo(0).unwrap();
            assert!(server.send_with_routing_id(&mut kept, 77, 0).await.is_err());
            assert_eq!(&kept[..], b"kept");
            // DONTWAIT and RCVTIMEO.
            let idle = ctx.socket(zmq::SERVER).unwrap();
            assert!(idle.recv(zmq::DONTWAIT).await.unwrap_err().is_again());
            idle.set_rcvtimeo(50).unwrap();
            assert!(idle.recv(0).await.unwrap_err().is_again());
            // destroy wakes a pending recv.
            idle.set_rcvtimeo(-1).unwrap();
            let pending = idle.recv(0);
            let destroy = async {
                tokio::task::yield_now().await;
                ctx.destroy(Some(0)).unwrap();
            };
            let (result, ()) = tokio::join!(bounded("pending recv", pending), destroy);
            assert!(result.unwrap_err().is_context_terminated());
        });
    }

    /// A SERVER says POLLOUT whether or not the peer's pipe has room: a
    /// send to a peer that reads nothing must still wait (and time out with
    /// SNDTIMEO), not retry for ever holding its thread; and it goes ahead
    /// once the peer reads.
    #[test]
    fn a_send_to_a_full_peer_waits_and_times_out() {
        let _dog = watchdog(
            "asyncio SERVER send to a full pipe",
            Duration::from_secs(60),
        );
        multi_thread().block_on(async {
            let ctx = Context::new();
            let (server, client) = pair_with(&ctx, zmq::SERVER, zmq::CLIENT, "tcp", 1);
            client.send("hello", 0).await.unwrap();
            let rid = bounded("hello", server.recv_msg(0))
                .await
                .unwrap()
                .routing_id()
                .unwrap();
            server.set_sndtimeo(100).unwrap();
            let big = vec![7u8; 1 << 20];
            let mut sent = 0;
            let timed_out = loop {
                match bounded("send", server.send_with_routing_id(&big[..], rid, 0)).await {
                    Ok(()) => sent += 1,
                    Err(e) if e.is_again() => break true,
                    Err(e) => panic!("{e}"),
                }
                if sent > 500 {
                    break false;
                }
            };
            assert!(timed_out, "500 MiB went into a peer that reads nothing");
            // Waiting with no limit, it goes ahead once the peer reads.
            server.set_sndtimeo(-1).unwrap();
            let reader = tokio::spawn(async move {
                for _ in 0..sent + 1 {
                    bounded("reader", client.recv_msg(0)).await.unwrap();
                }
            });
            bounded(
                "send once the peer reads",
                server.send_with_routing_id(&big[..], rid, 0),
            )
            .await
            .unwrap();
            bounded("reader done", reader).await.unwrap();
        });
    }

    /// The Stream and Sink work on thread-safe types: a DISH read as a
    /// Stream (one single-part item per message), a CLIENT fed through its
    /// Sink; a multipart item is refused, not half sent.
    #[test]
    fn stream_and_sink_on_thread_safe_types() {
        let _dog = watchdog("asyncio thread-safe Stream/Sink", Duration::from_secs(60));
        current_thread().block_on(async {
            let ctx = Context::new();
            let (server, mut client) = pair(&ctx, zmq::SERVER, zmq::CLIENT, "tcp");
            for i in 0..3 {
                bounded(
                    "sink",
                    SinkExt::send(&mut client, vec![format!("item {i}")]),
                )
                .await
                .unwrap();
            }
            assert!(bounded("sink", SinkExt::send(&mut client, vec!["a", "b"]))
                .await
                .is_err());
            for i in 0..3 {
                let msg = bounded("recv", server.recv_msg(0)).await.unwrap();
                assert_eq!(&msg[..], format!("item {i}").as_bytes());
            }
            // Nothing of the refused multipart item arrived.
            let stray = tokio::time::timeout(Duration::from_millis(100), server.recv(0)).await;
            assert!(stray.is_err(), "{stray:?}");
            let dish = ctx.socket(zmq::DISH).unwrap();
            dish.set_linger(0).unwrap();
            dish.join("g").unwrap();
            dish.bind("tcp://127.0.0.1:*").unwrap();
            let radio = ctx.socket(zmq::RADIO).unwrap();
            radio.set_linger(0).unwrap();
            radio.connect(&dish.last_endpoint().unwrap()).unwrap();
            let mut dish = dish;
            // The join reaches the RADIO a moment after the connect.
            let first = loop {
                radio.send_string_with_group("first", "g", 0).await.unwrap();
                if let Ok(item) = tokio::time::timeout(Duration::from_millis(10), dish.next()).await
                {
                    break item.unwrap().unwrap();
                }
            };
            assert_eq!(first.len(), 1);
            assert_eq!(first[0].group().as_deref(), Some("g"));
            radio
                .send_string_with_group("second", "g", 0)
                .await
                .unwrap();
            loop {
                let parts = bounded("stream", dish.next()).await.unwrap().unwrap();
                assert_eq!(parts.len(), 1);
                if &parts[0][..] == b"second" {
                    break;
                }
            }
        });
    }

    /// A send waiting on a full peer and a recv waiting for anything, in
    /// one task (`join!`): neither wakes the other in a loop (the send is
    /// deaf to the SERVER's POLLOUT, and wakes the recv only when ZMQ_EVENTS
    /// says POLLIN): a second of it costs next to no CPU.
    #[test]
    fn a_waiting_send_and_recv_in_one_task_do_not_spin() {
        common::in_child(
            "thread_safe::a_waiting_send_and_recv_in_one_task_do_not_spin",
            Duration::from_secs(60),
            || {
                current_thread().block_on(async {
                    let ctx = Context::new();
                    let (server, client) = pair_with(&ctx, zmq::SERVER, zmq::CLIENT, "tcp", 1);
                    client.send("hello", 0).await.unwrap();
                    let hello = bounded("hello", server.recv_msg(0)).await.unwrap();
                    let rid = hello.routing_id().unwrap();
                    server.set_sndtimeo(100).unwrap();
                    let big = vec![7u8; 1 << 20];
                    for _ in 0..500 {
                        match server.send_with_routing_id(&big[..], rid, 0).await {
                            Ok(()) => {}
                            Err(e) if e.is_again() => break,
                            Err(e) => panic!("{e}"),
                        }
                    }
                    server.set_sndtimeo(-1).unwrap();
                    let before = cpu();
                    let both = async {
                        let _ = tokio::join!(
                            server.recv(0),
                            server.send_with_routing_id(&big[..], rid, 0)
                        );
                    };
                    assert!(tokio::time::timeout(Duration::from_secs(1), both)
                        .await
                        .is_err());
                    let used = cpu() - before;
                    assert!(
                        used < Duration::from_millis(200),
                        "used {used:?} of CPU waiting"
                    );
                    drop(client);
                });
            },
        );
    }

    /// 5,000 wake-ups (a message to an empty socket each) through async
    /// recvs: the poller's fd is drained after each, so nothing piles up
    /// (where libzmq has no eventfd the signals would fill a socketpair and
    /// abort), and the sockets' pollers leave no fd behind.
    #[test]
    fn many_wake_ups_and_no_fd_left_behind() {
        common::in_child(
            "thread_safe::many_wake_ups_and_no_fd_left_behind",
            Duration::from_secs(120),
            || {
                fn fds() -> usize {
                    std::fs::read_dir("/proc/self/fd")
                        .map(|d| d.count())
                        .unwrap_or(0)
                }
                current_thread().block_on(async {
                    let ctx = Context::new();
                    // The first socket starts libzmq's threads (their fds).
                    drop(ctx.socket(zmq::PAIR).unwrap());
                    let before = fds();
                    for _ in 0..100 {
                        let s = ctx.socket(zmq::SERVER).unwrap();
                        s.set_linger(0).unwrap();
                        // Registered with the runtime, then dropped.
                        assert!(s.recv(zmq::DONTWAIT).await.unwrap_err().is_again());
                        let _ = tokio::time::timeout(Duration::from_millis(1), s.recv(0)).await;
                    }
                    assert!(fds() <= before + 2, "{before} fds before, {} after", fds());
                    // The eventfds that exist already (tokio's own, libzmq's
                    // threads'): not this socket's poller.
                    let others: Vec<_> = common::eventfds()
                        .into_iter()
                        .map(|(path, _)| path)
                        .collect();
                    let (server, client) = pair(&ctx, zmq::SERVER, zmq::CLIENT, "tcp");
                    let sync_client = client.into_socket();
                    sync_client.set_rcvtimeo(common::timeout_ms()).unwrap();
                    // Ping-pong: each request reaches an empty server, whose
                    // recv waits: one wake-up (one signal) per round trip.
                    let pinger = std::thread::spawn(move || {
                        for i in 0..5_000u32 {
                            sync_client.send(i.to_be_bytes(), 0).unwrap();
                            let back = sync_client.recv_msg(0).unwrap();
                            assert_eq!(&back[..], i.to_be_bytes());
                        }
                    });
                    for _ in 0..5_000u32 {
                        let msg = bounded("recv", server.recv_msg(0)).await.unwrap();
                        let rid = msg.routing_id().unwrap();
                        bounded("send", server.send_with_routing_id(msg, rid, 0))
                            .await
                            .unwrap();
                    }
                    pinger.join().unwrap();
                    // Linux shows each eventfd's count: the server's poller
                    // holds none of the 5,000 signals (undrained, it would).
                    let mine: Vec<_> = common::eventfds()
                        .into_iter()
                        .filter(|(path, _)| !others.contains(path))
                        .collect();
                    assert!(!mine.is_empty(), "the poller's eventfd was not found");
                    assert!(
                        mine.iter().all(|(_, n)| *n < 10),
                        "pending signals: {mine:?}"
                    );
                    drop(server);
                });
            },
        );
    }
}
