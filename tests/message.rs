//! Message behaviour (pyzmq's test_message), and the soundness property the
//! `zmq` 0.10 crate lacks: no `&mut [u8]` into a buffer libzmq shares.

mod common;

use common::{pair, timeouts};

/// One PUB delivering a large message to two inproc SUBs shares one buffer
/// between both received messages. Neither may be written through; a
/// copy-on-write leaves the other intact.
#[test]
fn messages_sharing_a_buffer_are_never_mutable() {
    let ctx = zmq::Context::new();
    let publisher = ctx.socket(zmq::PUB).unwrap();
    publisher.bind("inproc://shared-buffer").unwrap();
    let subs: Vec<zmq::Socket> = (0..2)
        .map(|_| {
            let s = ctx.socket(zmq::SUB).unwrap();
            timeouts(&s);
            s.subscribe("").unwrap();
            s.connect("inproc://shared-buffer").unwrap();
            s
        })
        .collect();
    // inproc subscriptions arrive asynchronously: publish until both hear.
    let payload = vec![b'A'; 1000];
    let mut first = Vec::new();
    for s in &subs {
        loop {
            publisher.send(&payload, 0).unwrap();
            if s.poll(10, zmq::POLLIN).unwrap().contains(zmq::POLLIN) {
                break;
            }
        }
    }
    // Drain, then one message that both receive.
    for s in &subs {
        while s.recv_msg(zmq::DONTWAIT).is_ok() {}
    }
    publisher.send(&payload, 0).unwrap();
    for s in &subs {
        first.push(s.recv_msg(0).unwrap());
    }
    let (mut a, b) = (first.remove(0), first.remove(0));
    assert_eq!(a.as_ptr(), b.as_ptr(), "libzmq shares one buffer here");
    assert_eq!(a.get(zmq::SHARED).unwrap(), 1);
    assert!(
        a.as_mut_bytes().is_none(),
        "a shared buffer must not be mutable"
    );
    a.to_mut()[0] = b'Z';
    assert_eq!(a[0], b'Z');
    assert_eq!(b[0], b'A', "writing one message changed the other");
    assert_ne!(a.as_ptr(), b.as_ptr());
}

/// `fast_copy` shares a large buffer (both read-only from then on, a
/// copy-on-write leaves the other intact), copies a small one, and the
/// source stays sendable after its copies were sent.
#[test]
fn fast_copy_shares_large_buffers_and_copies_small_ones() {
    let mut big = zmq::Message::from(vec![b'B'; 1000]);
    assert!(big.as_mut_bytes().is_some(), "fresh message is writable");
    let mut copy = big.fast_copy();
    assert_eq!(copy, big);
    assert_eq!(copy.as_ptr(), big.as_ptr(), "no copy of the bytes");
    assert_eq!(big.get(zmq::SHARED).unwrap(), 1);
    assert_eq!(copy.get(zmq::SHARED).unwrap(), 1);
    assert!(big.as_mut_bytes().is_none() && copy.as_mut_bytes().is_none());
    copy.to_mut()[0] = b'Z';
    assert_eq!((copy[0], big[0]), (b'Z', b'B'));

    let mut small = zmq::Message::from("tiny");
    let mut small_copy = small.fast_copy();
    assert_eq!(small_copy, small);
    assert_ne!(small_copy.as_ptr(), small.as_ptr(), "inline data is copied");
    small_copy.as_mut_bytes().unwrap()[0] = b'T';
    assert_eq!((&*small, &*small_copy), (&b"tiny"[..], &b"Tiny"[..]));

    // Sent three times, received three times, the source unchanged.
    let ctx = zmq::Context::new();
    let (a, b) = pair(&ctx, zmq::PAIR, zmq::PAIR, "inproc");
    for _ in 0..3 {
        a.send(big.fast_copy(), zmq::SNDMORE).unwrap();
    }
    a.send(big.fast_copy(), 0).unwrap();
    let parts = b.recv_multipart_msg(0).unwrap();
    assert_eq!(parts.len(), 4);
    assert!(parts.iter().all(|p| p == &big));
    assert_eq!(big.len(), 1000);
    drop(parts);
    assert!(big.as_mut_bytes().is_none(), "libzmq never unmarks SHARED");
}

/// A message sent with zmq_send_const arrives pointing at the sender's
/// buffer (inproc): it is reported shared and is never mutable.
#[test]
fn const_messages_are_never_mutable() {
    static DATA: [u8; 256] = [7; 256];
    let ctx = zmq::Context::new();
    let (a, b) = pair(&ctx, zmq::PAIR, zmq::PAIR, "inproc");
    // SAFETY: DATA is static and never written.
    let rc = unsafe { zmq::sys::zmq_send_const(a.as_raw(), DATA.as_ptr().cast(), DATA.len(), 0) };
    assert_eq!(rc, 256);
    let mut msg = b.recv_msg(0).unwrap();
    assert_eq!(msg.as_ptr(), DATA.as_ptr());
    assert!(msg.as_mut_bytes().is_none());
    msg.to_mut()[0] = 1;
    assert_eq!(DATA[0], 7);
}

#[test]
fn unshared_received_messages_are_mutable() {
    let ctx = zmq::Context::new();
    let (a, b) = pair(&ctx, zmq::PAIR, zmq::PAIR, "tcp");
    a.send(vec![1u8; 5000], 0).unwrap();
    let mut msg = b.recv_msg(0).unwrap();
    assert_eq!(msg.get(zmq::SHARED).unwrap(), 0);
    msg.as_mut_bytes().unwrap()[0] = 2;
    assert_eq!(msg[0], 2);
}

#[test]
fn zero_copy_send_hands_over_the_vec_buffer() {
    let ctx = zmq::Context::new();
    let (a, b) = pair(&ctx, zmq::PAIR, zmq::PAIR, "inproc");
    let data = vec![3u8; 4096];
    let ptr = data.as_ptr();
    let msg = zmq::Message::from(data);
    assert_eq!(msg.as_ptr(), ptr);
    a.send(msg, 0).unwrap();
    // inproc passes the message itself: the receiver sees the same buffer.
    let got = b.recv_msg(0).unwrap();
    assert_eq!(got.as_ptr(), ptr);
    drop(got); // the buffer is freed here, by Rust's allocator
}

#[test]
fn metadata_of_a_tcp_message() {
    let ctx = zmq::Context::new();
    let (server, client) = pair(&ctx, zmq::PULL, zmq::PUSH, "tcp");
    client.send("meta", 0).unwrap();
    let msg = server.recv_msg(0).unwrap();
    assert_eq!(msg.gets("Peer-Address").as_deref(), Some("127.0.0.1"));
    assert_eq!(msg.gets("Socket-Type").as_deref(), Some("PUSH"));
    assert_eq!(msg.gets("No-Such-Property"), None);
    assert!(msg.get(zmq::SRCFD).unwrap() >= 0);
    assert!(!msg.more());
}

#[test]
fn conversions_and_equality() {
    let m = zmq::Message::from(&b"abc"[..]);
    assert_eq!(m, zmq::Message::from("abc"));
    assert_eq!(m, zmq::Message::from(String::from("abc")));
    assert_eq!(m, zmq::Message::from(b"abc"));
    assert_eq!(
        m,
        zmq::Message::from(vec![b'a', b'b', b'c'].into_boxed_slice())
    );
    assert_eq!(&m[..], b"abc");
    assert_eq!(m.as_ref(), b"abc");
    assert_eq!(m.len(), 3);
    assert!(format!("{m:?}").contains("abc"));
    let empty = zmq::Message::default();
    assert!(empty.is_empty());
    assert_eq!(empty.as_bytes(), b"");
}

#[test]
fn messages_cross_threads() {
    let msg = zmq::Message::from(vec![9u8; 1000]);
    let back = std::thread::spawn(move || msg).join().unwrap();
    assert_eq!(back.len(), 1000);
    let shared = std::sync::Arc::new(zmq::Message::from("shared"));
    let reader = {
        let shared = shared.clone();
        std::thread::spawn(move || shared.to_vec())
    };
    assert_eq!(reader.join().unwrap(), b"shared");
}
