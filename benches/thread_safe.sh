#!/usr/bin/env bash
# One server socket's request/reply throughput (examples/perf/server_thr.rs):
# a SERVER answered by one thread, the same SERVER shared by two threads
# (zmq::ThreadSafeSocket in an Arc), and a classic ROUTER in one thread.
# CLIENTS client sockets in threads of their own, 100 requests in flight
# each, over tcp loopback; modes interleaved, ROUNDS rounds, medians printed
# as a markdown table (and written to benches/thread-safe-results.md).
#
#   benches/thread_safe.sh                 # about a minute on 2 cores
#   ROUNDS=7 COUNT=500000 CLIENTS=8 benches/thread_safe.sh
#
# Wall-clock figures on a shared 2-core VM move between runs: compare the
# columns of one run, not runs of different days.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-5}
COUNT=${COUNT:-200000}
CLIENTS=${CLIENTS:-4}
SIZES=${SIZES:-"1 64 1024"}
OUT=target/thread-safe-bench
rm -rf "$OUT" && mkdir -p "$OUT"
echo "== building server_thr (release, feature draft)" >&2
cargo build -q --release --features draft --example server_thr
bin=target/release/examples/server_thr
for round in $(seq 1 "$ROUNDS"); do
  for size in $SIZES; do
    for mode in server1 server2 router; do
      rate=$(timeout 120 "$bin" "$mode" "$size" "$COUNT" "$CLIENTS" |
        sed -n 's/^mean throughput: \([0-9]*\).*/\1/p')
      echo "$mode $size ${rate:-0}" >>"$OUT/runs.txt"
      echo "round $round: $mode $size B: ${rate:-FAILED} round trips/s" >&2
    done
  done
done
python3 - "$OUT/runs.txt" "$ROUNDS" "$COUNT" "$CLIENTS" <<'PY' | tee benches/thread-safe-results.md
import statistics, sys
runs, rounds, count, clients = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
rates = {}
for line in open(runs):
    mode, size, rate = line.split()
    rates.setdefault((mode, int(size)), []).append(int(rate))
sizes = sorted({size for _, size in rates})
def med(mode, size):
    return statistics.median(rates[(mode, size)])
print(f"Round trips per second, median of {rounds} rounds ({count} round trips, "
      f"{clients} clients, 100 in flight each, tcp loopback, 2 vCPUs):\n")
print("| message size | SERVER, 1 thread | SERVER shared by 2 threads | 2 threads ÷ 1 | ROUTER, 1 thread | SERVER 1 thread ÷ ROUTER |")
print("|---:|---:|---:|---:|---:|---:|")
for size in sizes:
    s1, s2, r = med("server1", size), med("server2", size), med("router", size)
    print(f"| {size} B | {s1:,.0f} | {s2:,.0f} | {s2 / s1:.2f} | {r:,.0f} | {s1 / r:.2f} |")
PY
