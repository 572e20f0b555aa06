//! Streams a file over an exclusive PAIR connection between two threads of
//! one process (`inproc://`, the shared `Context::instance()`), in 64 KiB
//! chunks, with no high-water mark (SNDHWM/RCVHWM 0) so that nothing is
//! dropped or blocked on the way. Both sides print the byte count and an
//! Adler-32 checksum; they must agree. An empty message ends the file.
//!
//! `cargo run --example pair_file -- [FILE]` (this program's own binary
//! unless a file is given)
mod support;

use std::io::Read;

const CHUNK_SIZE: usize = 64 * 1024;

/// Adler-32, enough to show both ends saw the same bytes.
#[derive(Clone, Copy)]
struct Adler32 {
    a: u32,
    b: u32,
}

impl Adler32 {
    fn new() -> Adler32 {
        Adler32 { a: 1, b: 0 }
    }
    fn update(&mut self, data: &[u8]) {
        for &byte in data {
            self.a = (self.a + u32::from(byte)) % 65521;
            self.b = (self.b + self.a) % 65521;
        }
    }
    fn value(self) -> u32 {
        (self.b << 16) | self.a
    }
}

fn send_file(path: std::path::PathBuf) -> support::Result<(u64, u32)> {
    // Another thread, the same context: inproc only connects sockets of
    // one context, and `instance()` hands every thread that one.
    let context = zmq::Context::instance();
    let sender = context.socket(zmq::PAIR)?;
    sender.set_sndhwm(0)?;
    sender.connect("inproc://pair_file")?;

    let mut file = std::fs::File::open(&path)?;
    let mut chunk = vec![0u8; CHUNK_SIZE];
    let (mut total, mut sum) = (0u64, Adler32::new());
    loop {
        let size = file.read(&mut chunk)?;
        if size == 0 {
            break;
        }
        sum.update(&chunk[..size]);
        total += size as u64;
        sender.send(&chunk[..size], 0)?;
    }
    sender.send(b"", 0)?; // end of file
    Ok((total, sum.value()))
}

fn main() -> support::Result {
    let args = support::Args::parse(&[])?;
    let path = match args.words().first() {
        Some(file) => file.into(),
        None => std::env::current_exe()?,
    };
    println!("Streaming {}", path.display());

    let context = zmq::Context::instance();
    let receiver = context.socket(zmq::PAIR)?;
    receiver.set_rcvhwm(0)?;
    receiver.bind("inproc://pair_file")?;

    let sender = std::thread::spawn(move || send_file(path));

    let (mut total, mut sum) = (0u64, Adler32::new());
    let mut chunk = zmq::Message::new();
    loop {
        receiver.recv_msg_into(&mut chunk, 0)?;
        if chunk.is_empty() {
            break;
        }
        sum.update(&chunk);
        total += chunk.len() as u64;
    }
    let (sent, sent_sum) = sender.join().map_err(|_| "the sender thread panicked")??;
    println!("sender:   {sent} bytes, adler32 {sent_sum:08x}");
    println!("receiver: {total} bytes, adler32 {:08x}", sum.value());
    if (sent, sent_sum) != (total, sum.value()) {
        return Err("the received file differs from the sent one".into());
    }
    println!("OK");
    Ok(())
}
