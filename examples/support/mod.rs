//! What every example shares: `--name=value` options with the tutorial's
//! defaults, `--flag` switches and bare words, plus a tiny random number
//! generator (the tutorials use Python's `random`; examples add no crate).
#![allow(dead_code)]

use std::error::Error;
use std::str::FromStr;

/// The parsed command line of one example.
pub struct Args {
    options: Vec<(String, String)>,
    flags: Vec<String>,
    words: Vec<String>,
}

/// What `main` returns in every example.
pub type Result<T = ()> = std::result::Result<T, Box<dyn Error + Send + Sync>>;

impl Args {
    /// Reads `std::env::args`, accepting only the options and flags named in
    /// `known` (a typo is an error, not a silent default).
    pub fn parse(known: &[&str]) -> Result<Args> {
        let mut args = Args {
            options: Vec::new(),
            flags: Vec::new(),
            words: Vec::new(),
        };
        for arg in std::env::args().skip(1) {
            let Some(option) = arg.strip_prefix("--") else {
                args.words.push(arg);
                continue;
            };
            let (name, value) = match option.split_once('=') {
                Some((name, value)) => (name, Some(value)),
                None => (option, None),
            };
            if !known.contains(&name) {
                let known: Vec<String> = known.iter().map(|k| format!("--{k}")).collect();
                return Err(format!("unknown option --{name} (known: {})", known.join(" ")).into());
            }
            match value {
                Some(value) => args.options.push((name.to_string(), value.to_string())),
                None => args.flags.push(name.to_string()),
            }
        }
        Ok(args)
    }

    /// The value of `--name=value`, or `default`.
    pub fn get(&self, name: &str, default: &str) -> String {
        self.options
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map_or_else(|| default.to_string(), |(_, v)| v.clone())
    }

    /// `--name=value` parsed as a number, or `default`.
    pub fn number<T>(&self, name: &str, default: T) -> Result<T>
    where
        T: FromStr,
        T::Err: Error + Send + Sync + 'static,
    {
        match self.options.iter().rev().find(|(n, _)| n == name) {
            Some((_, value)) => value
                .parse()
                .map_err(|e| format!("--{name}={value}: {e}").into()),
            None => Ok(default),
        }
    }

    /// Whether `--name` was given.
    pub fn flag(&self, name: &str) -> bool {
        self.flags.iter().any(|f| f == name)
    }

    /// `-v` (pyzmq's examples' switch) or `--verbose`.
    pub fn verbose(&self) -> bool {
        self.flag("verbose") || self.words.iter().any(|w| w == "-v")
    }

    /// The arguments that are not options.
    pub fn words(&self) -> &[String] {
        &self.words
    }

    /// The loop of a program that runs forever in the tutorial: `--count=N`
    /// bounds it to N rounds (so a test can), otherwise it never ends.
    pub fn rounds(&self) -> Result<std::ops::Range<u64>> {
        Ok(0..self.number("count", u64::MAX)?)
    }
}

/// xorshift64*: enough randomness for weather and workloads.
pub struct Random(u64);

impl Random {
    /// Seeded from the clock and the process id.
    pub fn new() -> Random {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64);
        Random((nanos ^ (u64::from(std::process::id()) << 32)) | 1)
    }

    /// A number in `low..high` (Python's `random.randrange(low, high)`).
    pub fn range(&mut self, low: i64, high: i64) -> i64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        let x = self.0.wrapping_mul(0x2545_f491_4f6c_dd1d);
        low + (x % (high - low) as u64) as i64
    }
}

/// Prints without a newline and flushes, like `sys.stdout.write(...)`
/// followed by `sys.stdout.flush()`.
pub fn progress(text: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}

/// pyzmq's `logging.basicConfig(level=..., format="[%(levelname)s] %(message)s")`
/// for the `log` crate: what `zmq::auth` decides shows on stderr, at debug
/// level with `-v`.
pub fn init_logging(verbose: bool) {
    struct Stderr;
    impl log::Log for Stderr {
        fn enabled(&self, metadata: &log::Metadata) -> bool {
            metadata.level() <= log::max_level()
        }
        fn log(&self, record: &log::Record) {
            if self.enabled(record.metadata()) {
                eprintln!("[{}] {}", record.level(), record.args());
            }
        }
        fn flush(&self) {}
    }
    static LOGGER: Stderr = Stderr;
    let _ = log::set_logger(&LOGGER);
    log::set_max_level(if verbose {
        log::LevelFilter::Debug
    } else {
        log::LevelFilter::Info
    });
}

/// Where a client connects to reach what `socket` bound (`tcp://*:9000`
/// binds 0.0.0.0, reached at 127.0.0.1).
pub fn reach(socket: &zmq::Socket) -> zmq::Result<String> {
    Ok(reachable(&socket.last_endpoint()?))
}

/// Where a client connects to reach the bound `endpoint`.
pub fn reachable(endpoint: &str) -> String {
    endpoint.replace("tcp://0.0.0.0:", "tcp://127.0.0.1:")
}

/// A list of byte strings as Python prints it: `[b'romeo', b'', b'cheers']`
/// (so that a ported example prints what the pyzmq one does).
pub fn py_bytes<B: AsRef<[u8]>>(parts: &[B]) -> String {
    let items: Vec<String> = parts
        .iter()
        .map(|part| {
            let mut text = String::from("b'");
            for &byte in part.as_ref() {
                match byte {
                    b'\\' | b'\'' => {
                        text.push('\\');
                        text.push(byte as char);
                    }
                    b'\n' => text.push_str("\\n"),
                    b'\r' => text.push_str("\\r"),
                    b'\t' => text.push_str("\\t"),
                    0x20..=0x7e => text.push(byte as char),
                    _ => text.push_str(&format!("\\x{byte:02x}")),
                }
            }
            text.push('\'');
            text
        })
        .collect();
    format!("[{}]", items.join(", "))
}
