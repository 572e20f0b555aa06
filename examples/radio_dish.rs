//! RADIO/DISH over UDP (pyzmq's examples/draft/radio-dish.py): a DISH
//! joins the group "numbers", a RADIO sends ten numbers to it. Exits 0 when
//! every one arrived (pyzmq's prints "missed a message" and goes on; so
//! does this, then fails at the end).
//!
//! `cargo run --features draft --example radio_dish -- [--port=N] [--count=N] [--interval-ms=MS]`
//! (pyzmq's uses UDP port 5556; this takes a free one by default.)
mod support;

use std::time::Duration;

fn main() -> support::Result {
    let args = support::Args::parse(&["port", "count", "interval-ms"])?;
    let free = std::net::UdpSocket::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let port: u16 = args.number("port", free)?;
    let count: u64 = args.number("count", 10)?;
    let interval = Duration::from_millis(args.number("interval-ms", 100)?);

    let ctx = zmq::Context::instance();
    let radio = ctx.thread_safe_socket(zmq::RADIO)?;
    let dish = ctx.thread_safe_socket(zmq::DISH)?;
    dish.set_rcvtimeo(1000)?;

    dish.bind(&format!("udp://*:{port}"))?;
    dish.join("numbers")?;
    radio.connect(&format!("udp://127.0.0.1:{port}"))?;

    let mut missed = 0;
    for i in 0..count {
        std::thread::sleep(interval);
        radio.send_with_group(format!("{i:03}"), "numbers", 0)?;
        let msg = match dish.recv_msg(0) {
            Err(zmq::Error::Again) => {
                println!("missed a message");
                missed += 1;
                continue;
            }
            other => other?,
        };
        println!(
            "Received {}:{}",
            msg.group().unwrap_or_default(),
            String::from_utf8_lossy(&msg)
        );
    }

    dish.close()?;
    radio.close()?;
    ctx.term()?;
    if missed > 0 {
        return Err(format!("missed {missed} of {count} messages").into());
    }
    Ok(())
}
