#!/usr/bin/env bash
# Side by side: libzmq's own C perf tools and this crate's Rust ports
# (examples/perf/, sync and zmq::asyncio), both on the same static libzmq
# 4.3.5 that the crate's release build compiled from the zeromq-src crate;
# with the `zmq` 0.10 crate (benches/zmq010/), tmq 0.5 (benches/tmq/, async
# over zmq 0.10), both linked to that same libzmq.a, and pyzmq
# (benches/pyzmq_perf.py, on its wheel's own libzmq) when available.
# Runs every implementation in turn (C, Rust, Rust, zmq 0.10, pyzmq, then
# again), ROUNDS rounds, and takes medians, for message sizes 1 B .. 1 MiB
# over tcp, ipc and inproc. Prints markdown tables (also written to
# benches/results.md) and draws benches/throughput.svg.
#
#   benches/compare.sh                      # about 15 minutes on 2 cores, fresh clone
#   ROUNDS=5 benches/compare.sh             # more rounds
#   TRANSPORTS=tcp SIZES="64 65536" IMPLS="c rust" benches/compare.sh
#   PYTHON=/path/to/python benches/compare.sh   # the pyzmq to use
#   NO_ZMQ010=1 / NO_TMQ=1 / NO_PYZMQ=1     # leave a column out
#
# Throughput runs give remote_thr twice the count local_thr waits for and
# stop it once local_thr has its count: over ipc libzmq 4.3.5 drops what is
# still queued when a socket closes right after sending (libzmq #4660, also
# with the C tools), so an exact count would leave local_thr waiting. The
# measurement (local_thr's clock from the first to the count-th message) is
# libzmq's own.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
ROUNDS=${ROUNDS:-3}
read -r -a SIZES <<<"${SIZES:-1 64 1024 65536 1048576}"
read -r -a TRANSPORTS <<<"${TRANSPORTS:-tcp ipc inproc}"
OUT=$ROOT/target/perf-compare
mkdir -p "$OUT/c"
triple=$(rustc -vV | sed -n 's/^host: //p')

echo "== building the Rust perf tools (release)" >&2
out_dir=$(cargo build --release --features tokio --examples --message-format=json 2>/dev/null |
  python3 -c '
import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "build-script-executed" and "#zmq-safe@" in m.get("package_id", ""):
        print(m["out_dir"])' | tail -1)
lib="$out_dir/lib/libzmq.a"
[ -f "$lib" ] || { echo "no libzmq.a in $out_dir (is this the vendored build?)" >&2; exit 1; }
version=$(grep -A1 'name = "zeromq-src"' Cargo.lock | grep version | cut -d'"' -f2)
src=$(ls -d "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/"zeromq-src-$version"/vendor | head -1)
[ -d "$src/perf" ] || { echo "no perf sources in $src" >&2; exit 1; }

echo "== building libzmq's C perf tools from $src against $lib" >&2
for tool in local_thr remote_thr local_lat remote_lat inproc_thr inproc_lat; do
  g++ -O2 -std=c++11 -I"$out_dir" -I"$src/include" "$src/perf/$tool.cpp" "$lib" \
    -lpthread -o "$OUT/c/$tool"
done

impls=(c rust rust-bytes rust-async)
# build_linked DIR: builds a perf project that uses the zmq 0.10 crate.
# zmq-sys declares `links = "zmq"`: overriding that build script links it
# to our libzmq.a instead of the libzmq 4.3.4 it would compile.
build_linked() {
  (cd "benches/$1" && CARGO_TARGET_DIR=$OUT/$1 cargo build --release -q \
    --config "target.$triple.zmq.rustc-link-search=[\"native=$out_dir/lib\"]" \
    --config "target.$triple.zmq.rustc-link-lib=[\"static=zmq\",\"stdc++\"]" >&2)
}
ZMQ010=$OUT/zmq010/release/zmq010-perf
if [ -z "${NO_ZMQ010:-}" ]; then
  echo "== building the zmq 0.10 crate's perf tools against $lib" >&2
  if build_linked zmq010; then
    impls+=(zmq010)
  else
    echo "   (zmq 0.10 did not build: its column is left out)" >&2
  fi
fi
TMQ=$OUT/tmq/release/tmq-perf
if [ -z "${NO_TMQ:-}" ]; then
  echo "== building tmq 0.5's perf tools (async, over zmq 0.10) against $lib" >&2
  if build_linked tmq; then
    impls+=(tmq)
  else
    echo "   (tmq did not build: its column is left out)" >&2
  fi
fi
PYTHON=${PYTHON:-}
if [ -z "$PYTHON" ] && [ -x target/interop-venv/bin/python ]; then PYTHON=target/interop-venv/bin/python; fi
PYTHON=${PYTHON:-python3}
pyzmq_version=""
if [ -z "${NO_PYZMQ:-}" ] &&
  pyzmq_version=$("$PYTHON" -c 'import zmq; print(zmq.pyzmq_version(), zmq.zmq_version())' 2>/dev/null); then
  impls+=(pyzmq)
  echo "== pyzmq: $pyzmq_version (pyzmq, libzmq) from $PYTHON" >&2
else
  echo "   (no pyzmq for $PYTHON: its column is left out)" >&2
fi
[ -z "${IMPLS:-}" ] || read -r -a impls <<<"$IMPLS"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# Waits until the endpoint is listening (a bound tcp port, an ipc socket file).
wait_bound() {
  local i
  for ((i = 0; i < 1000; i++)); do
    case $1 in
    tcp://*) ss -Hltn "sport = :${1##*:}" | grep -q . && return 0 ;;
    ipc://*) [ -S "${1#ipc://}" ] && return 0 ;;
    esac
    sleep 0.01
  done
  echo "nothing listens on $1" >&2
  return 1
}

# Pinning (PIN=0 turns it off). On a VM, waking a thread on another vCPU
# costs tens of µs of hypervisor time, which swamps latency: latency runs
# keep both ends on one CPU (the C tools' figures are then 3x lower and
# steady). Throughput runs put local_thr and remote_thr on separate CPUs;
# inproc_thr (one process, two threads) is left to the scheduler.
cpus=$(nproc)
pin() { # pin CPU: the taskset prefix, or nothing
  if [ "${PIN:-1}" != 0 ] && [ "$cpus" -ge 2 ]; then echo "taskset -c $1"; fi
}

# tool CPU IMPL NAME ARGS... runs one perf tool of one implementation
# (CPU: the CPU to pin it to, or "any"). Always called in a subshell
# (`&`, `$(...)`): exec makes that subshell the tool's `timeout`, so that
# killing it stops the tool (a remote_thr no longer outlives its run).
tool() {
  local cpu=$1 impl=$2 name=$3 prefix=""
  shift 3
  [ "$cpu" = any ] || prefix=$(pin "$cpu")
  case $impl in
  c) exec $prefix timeout 120 "$OUT/c/$name" "$@" ;;
  rust) ZMQ_PERF_API=msg exec $prefix timeout 120 "target/release/examples/$name" "$@" ;;
  rust-bytes) ZMQ_PERF_API=bytes exec $prefix timeout 120 "target/release/examples/$name" "$@" ;;
  rust-async) ZMQ_PERF_API=msg exec $prefix timeout 120 "target/release/examples/async_$name" "$@" ;;
  tmq) exec $prefix timeout 120 "$TMQ" "$name" "$@" ;;
  zmq010) exec $prefix timeout 120 "$ZMQ010" "$name" "$@" ;;
  pyzmq) exec $prefix timeout 120 "$PYTHON" benches/pyzmq_perf.py "$name" "$@" ;;
  esac
}

# message count for throughput / round trips for latency, by message size
thr_count() { case $1 in 1 | 64) echo 2000000 ;; 1024) echo 300000 ;; 65536) echo 20000 ;; *) echo 1000 ;; esac }
lat_count() { case $1 in 1 | 64 | 1024) echo 10000 ;; 65536) echo 2000 ;; *) echo 300 ;; esac }

# run IMPL KIND TRANSPORT SIZE -> prints msg/s (thr) or us (lat)
run() {
  local impl=$1 kind=$2 transport=$3 size=$4 count endpoint out pid cpu
  if [ "$kind" = thr ]; then count=$(thr_count "$size"); else count=$(lat_count "$size"); fi
  if [ "$transport" = inproc ]; then
    if [ "$kind" = thr ]; then cpu=any; else cpu=0; fi
    out=$(tool $cpu "$impl" "inproc_$kind" "$size" "$count")
  else
    if [ "$transport" = tcp ]; then endpoint="tcp://127.0.0.1:$(free_port)"
    else endpoint="ipc://$OUT/perf-$$.sock" && rm -f "$OUT/perf-$$.sock"; fi
    if [ "$kind" = thr ]; then
      tool 0 "$impl" local_thr "$endpoint" "$size" "$count" >"$OUT/local.out" &
      pid=$!
      wait_bound "$endpoint"
      tool 1 "$impl" remote_thr "$endpoint" "$size" $((count * 2)) >/dev/null &
      local remote=$!
      wait $pid
      kill $remote 2>/dev/null || true
      wait $remote 2>/dev/null || true
      out=$(cat "$OUT/local.out")
    else
      tool 0 "$impl" local_lat "$endpoint" "$size" "$count" >/dev/null &
      pid=$!
      wait_bound "$endpoint"
      out=$(tool 0 "$impl" remote_lat "$endpoint" "$size" "$count")
      wait $pid
    fi
  fi
  if [ "$kind" = thr ]; then
    echo "$out" | awk '/mean throughput: .*msg\/s/ {print $3}'
  else
    echo "$out" | awk '/average latency/ {print $3}'
  fi
}

started=$SECONDS
results=$OUT/results.tsv
: >"$results"
for transport in "${TRANSPORTS[@]}"; do
  for size in "${SIZES[@]}"; do
    for kind in thr lat; do
      for ((round = 1; round <= ROUNDS; round++)); do
        for impl in "${impls[@]}"; do
          value=$(run "$impl" $kind "$transport" "$size")
          printf '%s\t%s\t%s\t%s\t%s\n' "$transport" "$size" $kind "$impl" "${value:-nan}" >>"$results"
        done
      done
      echo "   $transport $size $kind done ($((SECONDS - started)) s)" >&2
    done
  done
done

python3 benches/report.py "$results" "$ROUNDS" "$version" "$pyzmq_version"
