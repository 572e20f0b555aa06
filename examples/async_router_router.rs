//! ROUTER-ROUTER communication example (pyzmq's
//! examples/asyncio/router_router.py, without aiowire)
//!
//! ideal for P2P applications that need a socket that is able to connect
//! to several other peers simultaneously, while also being able
//! to receive messages
//!
//! In this example, `tokio::time::timeout` plays aiowire's
//! `EventLoop(1.0)`: it awaits all tasks launched within it, while timing
//! out after (here) 1 second. This guarantees completion of tasks - even
//! if they are infinite loops - as long as they regularly call await (and
//! the sockets' futures are cancel-safe: a dropped recv took nothing).
//!
//! `cargo run --features tokio --example async_router_router -- [--seconds=S]`
mod support;

use std::time::Duration;

use zmq::asyncio::{Context, Socket};

struct Server {
    socket: Socket,
}

impl Server {
    fn new(url: &str) -> zmq::Result<Server> {
        let context = Context::instance();
        let socket = context.socket(zmq::ROUTER)?;
        socket.set_identity(b"server")?;
        socket.bind(url)?;
        Ok(Server { socket })
    }

    async fn run(&self) -> zmq::Result<()> {
        loop {
            let req = self.socket.recv_multipart(0).await?;
            println!("Server received {}", support::py_bytes(&req));
            // identity of receptionist, empty frame, message content
            self.socket
                .send_multipart([&req[0][..], b"", b"whatup"], 0)
                .await?;
        }
    }
}

struct Client {
    name: String,
    socket: Socket,
}

impl Client {
    fn new(url: &str, name: &str) -> zmq::Result<Client> {
        let context = Context::instance();
        let socket = context.socket(zmq::ROUTER)?;
        socket.set_identity(name.as_bytes())?;
        socket.connect(url)?;
        Ok(Client {
            name: name.to_string(),
            socket,
        })
    }

    async fn run(&self) -> zmq::Result<()> {
        loop {
            tokio::time::sleep(Duration::from_millis(100)).await;
            // identity of receptionist, empty frame, message content
            self.socket
                .send_multipart([&b"server"[..], b"", b"cheers"], 0)
                .await?;
            let rep = self.socket.recv_multipart(0).await?;
            println!("{} received {}", self.name, support::py_bytes(&rep));
        }
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> support::Result {
    let args = support::Args::parse(&["seconds"])?;
    let seconds: f64 = args.number("seconds", 1.0)?;
    let url = "inproc://test_zmq";
    let srv = Server::new(url)?;
    let romeo = Client::new(url, "romeo")?;
    let sierra = Client::new(url, "sierra")?;

    let all = async { tokio::try_join!(romeo.run(), sierra.run(), srv.run()) };
    match tokio::time::timeout(Duration::from_secs_f64(seconds), all).await {
        // the loops were stopped (Err(Elapsed)), as aiowire's
        Err(_) | Ok(Ok(_)) => Ok(()),
        Ok(Err(e)) => Err(e.into()),
    }
}
