//! The draft API (pyzmq's test_draft), under feature `draft`.
#![cfg(feature = "draft")]

mod common;

use common::timeouts;

#[test]
fn server_client_with_routing_ids() {
    let ctx = zmq::Context::new();
    let server = ctx.socket(zmq::SERVER).unwrap();
    timeouts(&server);
    assert!(server.thread_safe().unwrap());
    assert!(zmq::SERVER.is_thread_safe());
    let port = server.bind_to_random_port("tcp://127.0.0.1").unwrap();
    let client = ctx.socket(zmq::CLIENT).unwrap();
    timeouts(&client);
    client.connect(&format!("tcp://127.0.0.1:{port}")).unwrap();

    client.send("request", 0).unwrap();
    let request = server.recv_msg(0).unwrap();
    assert_eq!(&*request, b"request");
    let routing_id = request
        .routing_id()
        .expect("SERVER messages carry a routing id");

    let mut reply = zmq::Message::from("reply");
    assert!(reply.routing_id().is_none());
    reply.set_routing_id(routing_id).unwrap();
    assert_eq!(reply.routing_id(), Some(routing_id));
    server.send(reply, 0).unwrap();
    assert_eq!(client.recv_string(0).unwrap(), "reply");
    assert_eq!(
        zmq::Message::new().set_routing_id(0).unwrap_err().errno(),
        zmq::EINVAL
    );
}

#[test]
fn thread_safe_sockets_refuse_multipart_before_sending_anything() {
    let ctx = zmq::Context::new();
    let server = ctx.socket(zmq::SERVER).unwrap();
    server.bind("tcp://127.0.0.1:*").unwrap();
    let client = ctx.socket(zmq::CLIENT).unwrap();
    timeouts(&client);
    client.connect(&server.last_endpoint().unwrap()).unwrap();
    let e = client.send_multipart(["a", "b"], 0).unwrap_err();
    assert_eq!(e.errno(), zmq::EINVAL);
    server.set_rcvtimeo(100).unwrap();
    assert!(server.recv(0).unwrap_err().is_again(), "a part was sent");
    // A single part is fine.
    client.send_multipart(["only"], 0).unwrap();
    server.set_rcvtimeo(5000).unwrap();
    assert_eq!(server.recv_string(0).unwrap(), "only");
    // Thread-safe sockets have no ZMQ_FD.
    assert!(server.fd().is_err());
}

#[test]
fn radio_dish_groups() {
    let ctx = zmq::Context::new();
    let dish = ctx.socket(zmq::DISH).unwrap();
    timeouts(&dish);
    dish.join("weather").unwrap();
    dish.join("news").unwrap();
    dish.leave("news").unwrap();
    let port = dish.bind_to_random_port("tcp://127.0.0.1").unwrap();
    let radio = ctx.socket(zmq::RADIO).unwrap();
    timeouts(&radio);
    radio.connect(&format!("tcp://127.0.0.1:{port}")).unwrap();

    // Joins travel to the radio asynchronously: send until one arrives.
    let send = |group: &str, text: &str| {
        let mut msg = zmq::Message::from(text);
        msg.set_group(group).unwrap();
        assert_eq!(msg.group().as_deref(), Some(group));
        radio.send(msg, 0).unwrap();
    };
    let mut first = None;
    for _ in 0..500 {
        send("news", "ignored");
        send("weather", "sunny");
        if dish.poll(10, zmq::POLLIN).unwrap().contains(zmq::POLLIN) {
            first = Some(dish.recv_msg(0).unwrap());
            break;
        }
    }
    let msg = first.expect("no group message arrived");
    assert_eq!(&*msg, b"sunny");
    assert_eq!(msg.group().as_deref(), Some("weather"));
    assert!(zmq::Message::new().set_group(&"g".repeat(300)).is_err());
    assert!(dish.join("bad\0group").is_err());
}

#[test]
fn draft_options_and_types() {
    let ctx = zmq::Context::new();
    let router = ctx.socket(zmq::ROUTER).unwrap();
    router.set_router_notify(sys_notify()).unwrap();
    assert_eq!(router.router_notify().unwrap(), sys_notify());
    let xpub = ctx.socket(zmq::XPUB).unwrap();
    assert_eq!(xpub.topics_count().unwrap(), 0);
    for t in [
        zmq::SCATTER,
        zmq::GATHER,
        zmq::PEER,
        zmq::CHANNEL,
        zmq::DGRAM,
    ] {
        assert_eq!(zmq::SocketType::from_raw(t.to_raw()), Some(t));
    }
    assert!(zmq::has("draft"));
}

fn sys_notify() -> i32 {
    zmq::sys::ZMQ_NOTIFY_CONNECT | zmq::sys::ZMQ_NOTIFY_DISCONNECT
}
