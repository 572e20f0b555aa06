//! Example using zmq with asyncio with pub/sub and dealer/router for
//! asynchronous messages (pyzmq's
//! examples/asyncio/helloworld_pubsub_dealerrouter.py).
//!
//! Publisher sends either 'Hello World' or 'Hello Sekai' based on class
//! language setting, which is received by the Subscriber
//!
//! When the Router receives a message from the Dealer, it changes the
//! language setting
//!
//! `cargo run --features tokio --example async_helloworld_pubsub_dealerrouter -- [--url=HOST] [--port=N] [--router-port=N] [--count=N] [--commands=N] [--interval-ms=MS]`
//! (pyzmq's runs forever on ports 5555 and 5556: `--count`/`--commands`
//! end it once the subscriber has N messages and the router N commands;
//! `--interval-ms` is the publisher's pause, 500, and a quarter of the
//! dealer's).
mod support;

use std::sync::Mutex;
use std::time::Duration;

use zmq::asyncio::Context;

// set message based on language
struct HelloWorld {
    lang: &'static str,
    msg: &'static str,
}

impl HelloWorld {
    fn new() -> HelloWorld {
        HelloWorld {
            lang: "eng",
            msg: "Hello World",
        }
    }

    fn change_language(&mut self) {
        if self.lang == "eng" {
            self.lang = "jap";
            self.msg = "Hello Sekai";
        } else {
            self.lang = "eng";
            self.msg = "Hello World";
        }
    }

    fn msg_pub(&self) -> &'static str {
        self.msg
    }
}

// receives "Hello World" from topic 'world'
// changes "World" to "Sekai" and returns message 'sekai'
struct HelloWorldPrinter;

impl HelloWorldPrinter {
    // process received message
    fn msg_sub(&self, msg: &str) {
        println!("message received world: {msg}");
    }
}

// manages message flow between publishers and subscribers
struct HelloWorldMessage {
    url: String,
    router_url: String,
    ctx: Context,
    hello_world: Mutex<HelloWorld>,
    count: u64,
    commands: u64,
    interval: Duration,
}

impl HelloWorldMessage {
    fn new(args: &support::Args) -> support::Result<HelloWorldMessage> {
        // get ZeroMQ version
        println!("Current libzmq version is {}", zmq::zmq_version());
        println!("Current  zmq-rs version is {}", zmq::VERSION);

        let host = args.get("url", "127.0.0.1");
        let port: u16 = args.number("port", 5555)?;
        let router_port: u16 = args.number("router-port", port + 1)?;
        Ok(HelloWorldMessage {
            url: format!("tcp://{host}:{port}"),
            router_url: format!("tcp://{host}:{router_port}"),
            // pub/sub and dealer/router
            ctx: Context::instance(),
            // init hello world publisher obj
            hello_world: Mutex::new(HelloWorld::new()),
            count: args.number("count", u64::MAX)?,
            commands: args.number("commands", u64::MAX)?,
            interval: Duration::from_millis(args.number("interval-ms", 500)?),
        })
    }

    async fn main(&self) -> zmq::Result<()> {
        // activate publishers / subscribers; the publisher and dealer run
        // until the subscriber and the router have had their counts
        tokio::select! {
            result = self.hello_world_pub() => result,
            result = self.lang_changer_dealer() => result, // less restrictions than REQ
            (sub, router) = async {
                tokio::join!(
                    self.hello_world_sub(),
                    self.lang_changer_router(), // less restrictions than REP
                )
            } => sub.and(router),
        }
    }

    // generates message "Hello World" and publish to topic 'world'
    async fn hello_world_pub(&self) -> zmq::Result<()> {
        let publisher = self.ctx.socket(zmq::PUB)?;
        publisher.connect(&self.url)?;

        // give time to subscribers to initialize; wait time >.2 sec
        tokio::time::sleep(Duration::from_millis(300)).await;

        // keep sending messages
        loop {
            // ask for message
            let msg = self.hello_world.lock().unwrap().msg_pub();
            println!("world pub: {msg}");

            // slow down message publication
            tokio::time::sleep(self.interval).await;

            // publish message to topic 'world'
            // multipart: topic, message
            publisher
                .send_multipart([&b"world"[..], msg.as_bytes()], 0)
                .await
                .inspect_err(|_| println!("Error with pub world"))?;
        }
    }

    // processes message topic 'world'; "Hello World" or "Hello Sekai"
    async fn hello_world_sub(&self) -> zmq::Result<()> {
        println!("Setting up world sub");
        let obj = HelloWorldPrinter;
        // setup subscriber
        let sub = self.ctx.socket(zmq::SUB)?;
        sub.bind(&self.url)?;
        sub.set_subscribe(b"world")?;
        println!("World sub initialized");

        // keep listening to all published message on topic 'world'
        for _ in 0..self.count {
            let parts = sub
                .recv_multipart(0)
                .await
                .inspect_err(|_| println!("Error with sub world"))?;
            let [topic, msg] = &parts[..] else {
                println!("Error with sub world");
                return Err(zmq::Error::InvalidArgument("expected [topic, message]"));
            };
            let (topic, msg) = (String::from_utf8_lossy(topic), String::from_utf8_lossy(msg));
            println!("world sub; topic: {topic}\tmessage: {msg}");
            // process message
            obj.msg_sub(&msg);
        }
        Ok(())
    }

    // Deal a message to topic 'lang' that language should be changed
    async fn lang_changer_dealer(&self) -> zmq::Result<()> {
        // setup dealer
        let deal = self.ctx.socket(zmq::DEALER)?;
        deal.set_identity(b"lang_dealer")?;
        deal.connect(&self.router_url)?;
        println!("Command dealer initialized");

        // give time to router to initialize; wait time >.2 sec
        tokio::time::sleep(Duration::from_millis(300)).await;
        let msg = "Change that language!";

        // keep sending messages
        loop {
            println!("Command deal: {msg}");

            // slow down message publication
            tokio::time::sleep(self.interval * 4).await;

            // publish message to topic 'world'
            deal.send_multipart([msg], 0)
                .await
                .inspect_err(|_| println!("Error with pub world"))?;
        }
    }

    // changes Hello xxx message when a command is received from topic
    // 'lang'; keeps listening for commands
    async fn lang_changer_router(&self) -> zmq::Result<()> {
        // setup router
        let rout = self.ctx.socket(zmq::ROUTER)?;
        rout.bind(&self.router_url)?;
        println!("Command router initialized");

        // keep listening to all published message on topic 'world'
        for _ in 0..self.commands {
            let parts = rout
                .recv_multipart(0)
                .await
                .inspect_err(|_| println!("Error with sub world"))?;
            let [id_dealer, msg] = &parts[..] else {
                println!("Error with sub world");
                return Err(zmq::Error::InvalidArgument("expected [id, message]"));
            };
            println!(
                "Command rout; Sender ID: {};\tmessage: {}",
                support::py_bytes(&[id_dealer]).trim_matches(['[', ']']),
                String::from_utf8_lossy(msg)
            );

            let mut hello_world = self.hello_world.lock().unwrap();
            hello_world.change_language();
            println!("Changed language! New language is: {}\n", hello_world.lang);
        }
        Ok(())
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> support::Result {
    let args = support::Args::parse(&[
        "url",
        "port",
        "router-port",
        "count",
        "commands",
        "interval-ms",
    ])?;
    let hello_world = HelloWorldMessage::new(&args)?;
    hello_world.main().await?;
    Ok(())
}
