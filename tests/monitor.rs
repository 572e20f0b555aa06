//! Socket monitor events (pyzmq's test_monitor).

mod common;

use common::timeouts;

fn next_event(monitor: &zmq::Socket, wanted: zmq::Event) -> zmq::MonitorEvent {
    loop {
        let event = zmq::recv_monitor_message(monitor, 0).unwrap();
        if event.event == wanted {
            return event;
        }
    }
}

#[test]
fn listening_accepted_connected_disconnected_stopped() {
    let ctx = zmq::Context::new();
    let server = ctx.socket(zmq::REP).unwrap();
    timeouts(&server);
    let server_monitor = server.get_monitor_socket(zmq::EVENT_ALL).unwrap();
    server_monitor.set_rcvtimeo(5000).unwrap();
    let port = server.bind_to_random_port("tcp://127.0.0.1").unwrap();
    let endpoint = format!("tcp://127.0.0.1:{port}");
    let listening = next_event(&server_monitor, zmq::EVENT_LISTENING);
    assert_eq!(listening.endpoint, endpoint);

    let client = ctx.socket(zmq::REQ).unwrap();
    timeouts(&client);
    let client_monitor_endpoint = "inproc://client-monitor";
    client
        .monitor(
            client_monitor_endpoint,
            zmq::EVENT_CONNECTED | zmq::EVENT_DISCONNECTED,
        )
        .unwrap();
    let client_monitor = ctx.socket(zmq::PAIR).unwrap();
    client_monitor.set_rcvtimeo(5000).unwrap();
    client_monitor.connect(client_monitor_endpoint).unwrap();
    client.connect(&endpoint).unwrap();

    let accepted = next_event(&server_monitor, zmq::EVENT_ACCEPTED);
    assert_eq!(accepted.endpoint, endpoint);
    assert!(accepted.value > 0, "ACCEPTED carries the new fd");
    next_event(&server_monitor, zmq::EVENT_HANDSHAKE_SUCCEEDED);
    let connected = next_event(&client_monitor, zmq::EVENT_CONNECTED);
    assert_eq!(connected.endpoint, endpoint);

    client.send("x", 0).unwrap();
    server.recv(0).unwrap();
    drop(client);
    next_event(&server_monitor, zmq::EVENT_DISCONNECTED);

    server.disable_monitor().unwrap();
    next_event(&server_monitor, zmq::EVENT_MONITOR_STOPPED);
}

#[test]
fn a_non_monitor_message_is_an_error_not_a_panic() {
    let ctx = zmq::Context::new();
    let (a, b) = common::pair(&ctx, zmq::PAIR, zmq::PAIR, "inproc");
    a.send("not an event", 0).unwrap();
    assert!(zmq::recv_monitor_message(&b, 0).is_err());
    a.send_multipart([b"123456".as_slice(), b"endpoint"], 0)
        .unwrap();
    let event = zmq::recv_monitor_message(&b, 0).unwrap();
    assert_eq!(event.endpoint, "endpoint");
}

#[test]
fn monitor_of_unknown_transport_is_an_error() {
    let ctx = zmq::Context::new();
    let s = ctx.socket(zmq::PUB).unwrap();
    // Monitors publish on inproc only.
    let e = s.monitor("tcp://127.0.0.1:1", zmq::EVENT_ALL).unwrap_err();
    assert_eq!(e.errno(), zmq::EPROTONOSUPPORT);
}
