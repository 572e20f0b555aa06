//! The C perf tools' result lines, shared by examples/perf/ and the
//! `zmq` 0.10 tools in benches/zmq010/ (which include this file).

/// local_thr's and inproc_thr's result lines.
pub fn print_throughput(size: usize, count: usize, elapsed: u64) {
    let throughput = count as f64 / elapsed as f64 * 1_000_000.0;
    let megabits = throughput * size as f64 * 8.0 / 1_000_000.0;
    println!("message size: {size} [B]");
    println!("message count: {count}");
    println!("mean throughput: {} [msg/s]", throughput as u64);
    println!("mean throughput: {megabits:.3} [Mb/s]");
}

/// remote_lat's and inproc_lat's result line.
pub fn print_latency(elapsed: u64, count: usize) {
    let latency = elapsed as f64 / (count * 2) as f64;
    println!("average latency: {latency:.3} [us]");
}
