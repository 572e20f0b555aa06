#!/usr/bin/env bash
# The binding's own cost per message, in instructions (valgrind's callgrind),
# against libzmq's C perf tools on the very same static libzmq 4.3.5. Unlike
# wall-clock figures on a 2-vCPU VM (±15-70 % between identical runs), an
# instruction count is the same for the same binary and input, except where
# two threads hand work to each other: then the number of sleeps and
# wake-ups (about 1,055 instructions each in libzmq's mailbox) follows the
# scheduler. So:
#
# - the loop rows (examples/perf/callgrind_loop.rs against
#   benches/callgrind/loop.c) send N messages and then receive them in one
#   thread: nothing waits, the counts are exact. They are the CI guard.
# - the inproc_thr / inproc_lat rows run libzmq's two-thread tools; read
#   them on a quiet machine, one run at a time.
# - the tcp rows count one end of a throughput run at a time (sync and
#   zmq::asyncio), the other end at full speed so that the one counted
#   never waits: exact too.
#
# Each figure is a slope, (Ir(N2) - Ir(N1)) / (N2 - N1), so start-up and
# shutdown cancel out.
#
#   benches/callgrind.sh            # the full table (about 8 minutes)
#   benches/callgrind.sh --guard    # CI: the loop rows; fails if the Message
#                                   # path costs more than 5 % above C's, or
#                                   # zmq::asyncio more than its ceilings
#   SIZES="1 64" benches/callgrind.sh
set -euo pipefail
cd "$(dirname "$0")/.."
MODE=${1:-full}
case $MODE in full | --guard) ;; *) echo "usage: $0 [--guard]" >&2; exit 2 ;; esac
read -r -a SIZES <<<"${SIZES:-1 64 1024}"
LIMIT=${LIMIT:-1.05}
OUT=$PWD/target/callgrind
mkdir -p "$OUT/c"
command -v valgrind >/dev/null || { echo "valgrind is needed (apt-get install valgrind)" >&2; exit 1; }

echo "== building the Rust tools (release, default features)" >&2
examples=(--example callgrind_loop)
[ "$MODE" = full ] && examples+=(--example inproc_thr --example inproc_lat)
out_dir=$(cargo build --release "${examples[@]}" --message-format=json 2>/dev/null |
  python3 -c '
import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "build-script-executed" and "zmq-safe@" in m.get("package_id", ""):
        print(m["out_dir"])' | tail -1)
lib="$out_dir/lib/libzmq.a"
[ -f "$lib" ] || { echo "no libzmq.a in $out_dir (is this the vendored build?)" >&2; exit 1; }
version=$(grep -A1 'name = "zeromq-src"' Cargo.lock | grep version | cut -d'"' -f2)
src=$(ls -d "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/"zeromq-src-$version"/vendor | head -1)

echo "== building the C programs against $lib" >&2
gcc -O2 -I"$src/include" -c benches/callgrind/loop.c -o "$OUT/c/loop.o"
g++ "$OUT/c/loop.o" "$lib" -lpthread -o "$OUT/c/loop"
impls=(c rust rust-bytes)
if [ "$MODE" = full ]; then
  gcc -O2 -I"$src/include" benches/callgrind/tools_bytes.c "$lib" -lstdc++ -lpthread -o "$OUT/c/tools_bytes"
  for tool in inproc_thr inproc_lat; do
    g++ -O2 -std=c++11 -I"$out_dir" -I"$src/include" "$src/perf/$tool.cpp" "$lib" \
      -lpthread -o "$OUT/c/$tool"
  done
  triple=$(rustc -vV | sed -n 's/^host: //p')
  ZMQ010=$OUT/zmq010/release/zmq010-perf
  if [ -z "${NO_ZMQ010:-}" ] && (cd benches/zmq010 && CARGO_TARGET_DIR=$OUT/zmq010 cargo build --release -q \
    --config "target.$triple.zmq.rustc-link-search=[\"native=$out_dir/lib\"]" \
    --config "target.$triple.zmq.rustc-link-lib=[\"static=zmq\",\"stdc++\"]" >&2); then
    impls+=(zmq010)
  else
    echo "   (no zmq 0.10 tools: their column is left out)" >&2
  fi
fi

# ir PROGRAM ARGS...: the instructions callgrind counts for one run (every
# thread of the process).
ir() {
  local file
  file=$(mktemp "$OUT/cg.XXXXXX")
  valgrind --tool=callgrind --callgrind-out-file="$file" "$@" >/dev/null 2>&1 ||
    { echo "failed under callgrind: $*" >&2; rm -f "$file"; return 1; }
  sed -n 's/^summary: //p' "$file"
  rm -f "$file"
}

# per_message N1 N2 PROGRAM ARGS-BEFORE-THE-COUNT...: the slope.
per_message() {
  local n1=$1 n2=$2 a b
  shift 2
  a=$(ir "$@" "$n1")
  b=$(ir "$@" "$n2")
  echo $(((b - a) / (n2 - n1)))
}

# loop API SIZE, cloop API SIZE: instructions per message of the loop.
loop_rust() { per_message 2000 12000 target/release/examples/callgrind_loop "$1" "$2"; }
loop_c() { per_message 2000 12000 "$OUT/c/loop" "$1" "$2"; }

# tool TOOL IMPL SIZE: instructions per message (per round trip for lat).
tool() {
  local tool=$1 impl=$2 size=$3 n1 n2
  case $tool in
  inproc_thr) n1=5000 n2=25000 ;;
  inproc_lat) n1=2000 n2=10000 ;;
  esac
  case $impl in
  c) per_message $n1 $n2 "$OUT/c/$tool" "$size" ;;
  c-bytes) per_message $n1 $n2 "$OUT/c/tools_bytes" "${tool#inproc_}" "$size" ;;
  rust) ZMQ_PERF_API=msg per_message $n1 $n2 "target/release/examples/$tool" "$size" ;;
  rust-bytes) ZMQ_PERF_API=bytes per_message $n1 $n2 "target/release/examples/$tool" "$size" ;;
  zmq010) per_message $n1 $n2 "$ZMQ010" "$tool" "$size" ;;
  esac
}

ratio() { python3 -c "print(f'{$1 / $2:.3f}')"; }
within() { python3 -c "import sys; sys.exit(0 if $1 <= $LIMIT * $2 else 1)"; }

echo
echo "Instructions per message (callgrind; the slope between two message counts)."
echo "libzmq 4.3.5 (zeromq-src $version); $(rustc --version); $(gcc --version | head -1)."
echo
echo "The loop: one thread sends N messages on an inproc PUSH, then receives them on a PULL: exact."
echo "msg: one reused message (msg.copy_from(&mut payload); send(&mut msg)); value: a new one per send"
echo "(send(payload.fast_copy())); bytes: send(&[u8]) / recv_into. C makes the same libzmq calls."
echo
echo "| size | C msg | Rust msg | ×C | C value | Rust value | ×C | C bytes | Rust bytes | ×C |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
fail=0
for size in "${SIZES[@]}"; do
  row="| $size B |"
  for api in msg value bytes; do
    c=$(loop_c "$api" "$size")
    r=$(loop_rust "$api" "$size")
    row+=" $c | $r | $(ratio "$r" "$c") |"
    if [ "$api" != bytes ] && ! within "$r" "$c"; then
      echo "   the Message path ($api) costs $(ratio "$r" "$c")x C at $size B (limit ${LIMIT}x)" >&2
      fail=1
    fi
  done
  echo "$row"
done
# zmq::asyncio on one current-thread runtime (feature tokio): the msg loop
# with one .await per operation (nothing waits), and a REQ/REP ping-pong
# between two tasks, where every recv waits for the other task (a
# registration, the reactor's edge, a park, a wake-up) yet all of it runs
# on one thread, so the count is still the same from run to run (±0.2 %:
# the runtime's timer wheel reads the clock).
echo "== building the async loop (feature tokio)" >&2
async_tools=(--example callgrind_loop)
[ "$MODE" = full ] && async_tools+=(--example local_thr --example remote_thr
  --example async_local_thr --example async_remote_thr)
cargo build --release -q --features tokio "${async_tools[@]}" >&2
cp target/release/examples/callgrind_loop "$OUT/callgrind_loop_async"
async_rt() { per_message 2000 12000 "$OUT/callgrind_loop_async" "$1" "$2"; }

# tcp_side SIDE PREFIX SIZE: instructions per message of one end of a tcp
# throughput run (local_thr receives, remote_thr sends; PREFIX "" or
# "async_"), the whole process: its own thread and libzmq's I/O thread. The
# end measured runs under callgrind, the other at full speed: slowed 50
# times, a receiver always finds messages queued and a sender always finds
# room, so neither waits and the count is exact. Each end's cost per
# message is what bounds throughput where a 2-CPU machine runs both ends'
# two threads (benches/compare.sh pins each end to a CPU of its own).
# Prints "TOTAL APP": the whole process, and its application thread alone
# (the rest is libzmq's I/O thread; its reaper does nothing per message).
tcp_side() {
  local side=$1 prefix=$2 size=$3 n port endpoint file other f total
  local -a counts=() apps=()
  for n in 100000 300000; do
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    endpoint="tcp://127.0.0.1:$port"
    file=$(mktemp "$OUT/cg.XXXXXX")
    if [ "$side" = recv ]; then
      valgrind --tool=callgrind --separate-threads=yes --callgrind-out-file="$file" \
        "target/release/examples/${prefix}local_thr" "$endpoint" "$size" "$n" >/dev/null 2>&1 &
      local measured=$!
      for _ in $(seq 1000); do ss -Hltn "sport = :$port" | grep -q . && break; sleep 0.01; done
      # twice the count: the receiver stops at its count (see compare.sh)
      "target/release/examples/${prefix}remote_thr" "$endpoint" "$size" $((n * 2)) >/dev/null 2>&1 &
      other=$!
      wait $measured
      kill $other 2>/dev/null || true
      wait $other 2>/dev/null || true
    else
      "target/release/examples/${prefix}local_thr" "$endpoint" "$size" "$n" >/dev/null 2>&1 &
      other=$!
      for _ in $(seq 1000); do ss -Hltn "sport = :$port" | grep -q . && break; sleep 0.01; done
      valgrind --tool=callgrind --separate-threads=yes --callgrind-out-file="$file" \
        "target/release/examples/${prefix}remote_thr" "$endpoint" "$size" "$n" >/dev/null 2>&1
      wait $other
    fi
    # one file per thread: FILE-01 is the application's
    if [ ! -f "$file-01" ]; then
      echo "tcp_side $side $prefix$size: callgrind wrote no per-thread counts" >&2
      return 1
    fi
    total=0
    for f in "$file"-*; do total=$((total + $(sed -n 's/^summary: //p' "$f"))); done
    counts+=("$total")
    apps+=("$(sed -n 's/^summary: //p' "$file-01")")
    rm -f "$file" "$file"-*
  done
  echo "$(((counts[1] - counts[0]) / 200000)) $(((apps[1] - apps[0]) / 200000))"
}

# The guard's async ceilings: about 5 % above the counts of 2026-12-02
# (968 and 11,781 at 1 B, with the tokio of Cargo.lock). A regression
# such as a wait that tries once more for nothing (13,720 per round trip
# before it was fixed) fails; a deliberate change (a new tokio) moves them.
ASYNC_LOOP_MAX=${ASYNC_LOOP_MAX:-1016}
ASYNC_WAIT_MAX=${ASYNC_WAIT_MAX:-12370}
if [ "$MODE" = --guard ]; then
  a=$(async_rt async 1)
  w=$(async_rt async-wait 1)
  echo "async at 1 B: $a per message (ceiling $ASYNC_LOOP_MAX), $w per round trip between two tasks (ceiling $ASYNC_WAIT_MAX)"
  if [ "$a" -gt "$ASYNC_LOOP_MAX" ] || [ "$w" -gt "$ASYNC_WAIT_MAX" ]; then
    echo "   zmq::asyncio costs more than its ceiling" >&2
    fail=1
  fi
  [ $fail = 0 ] && echo "guard: the Message paths cost at most ${LIMIT}x C's instructions per message; asyncio within its ceilings"
  exit $fail
fi
echo
echo "zmq::asyncio, one thread (current-thread tokio runtime): the loop above with one .await per"
echo "operation, and a round trip between two tasks (REQ/REP over inproc: two waits, four operations)."
echo
echo "| size | sync msg loop | async msg loop | ×sync | async round trip |"
echo "|---|---:|---:|---:|---:|"
for size in "${SIZES[@]}"; do
  r=$(loop_rust msg "$size")
  a=$(async_rt async "$size")
  w=$(async_rt async-wait "$size")
  echo "| $size B | $r | $a | $(ratio "$a" "$r") | $w |"
done

echo
echo "tcp throughput, each end on its own (local_thr / remote_thr, one end under callgrind and the"
echo "other at full speed, so that the end measured never waits): instructions per message of the"
echo "whole process, its thread and libzmq's I/O thread. sync ÷ async is the throughput ratio these"
echo "counts predict where the busier end bounds it at the same instructions per cycle. Up to 64 B"
echo "(at 1 KiB the receiver counted runs dry between its I/O thread's reads, and waits). In"
echo "brackets: the application's thread + libzmq's I/O thread, which share the end's CPU."
echo
echo "| size | sync receiver | async receiver | sync ÷ async | sync sender | async sender | sync ÷ async |"
echo "|---|---:|---:|---:|---:|---:|---:|"
# threads TOTAL APP: "TOTAL (APP + I/O)"
threads() { echo "$1 ($2 + $(($1 - $2)))"; }
for size in "${SIZES[@]}"; do
  # Up to 64 B only: libzmq's I/O thread reads 8 KiB at a time, thousands
  # of small messages per read, but only 8 of 1 KiB, and the receiver,
  # its I/O thread slowed as much, runs dry between reads and waits: the
  # count then includes waits, as many as the scheduling makes.
  [ "$size" -le 64 ] || continue
  # (tcp_side says why it failed)
  counted=$(tcp_side recv "" "$size") || exit 1
  read -r sr sr_app <<<"$counted"
  counted=$(tcp_side recv async_ "$size") || exit 1
  read -r ar ar_app <<<"$counted"
  counted=$(tcp_side send "" "$size") || exit 1
  read -r ss_ ss_app <<<"$counted"
  counted=$(tcp_side send async_ "$size") || exit 1
  read -r as as_app <<<"$counted"
  echo "| $size B | $(threads "$sr" "$sr_app") | $(threads "$ar" "$ar_app") | $(ratio "$sr" "$ar") |" \
    "$(threads "$ss_" "$ss_app") | $(threads "$as" "$as_app") | $(ratio "$ss_" "$as") |"
done

echo
echo "libzmq's perf tools (two threads: the counts move with the number of wake-ups; read them on a"
echo "quiet machine). inproc_lat: per round trip. A fresh message per send in inproc_thr: C's"
echo "zmq_msg_init_size (its bytes never written); Rust's Message::from_static over one zeroed buffer"
echo "(zmq_msg_init_data), as safe Rust cannot send uninitialised bytes. &[u8]: zmq_send/zmq_recv,"
echo "which copy in and out; benches/callgrind/tools_bytes.c is the C tool doing the same."
echo
header="| tool | size | C |"
sep="|---|---|---:|"
for impl in "${impls[@]:1}"; do
  case $impl in
  rust) header+=" Rust Message | ×C |" ;;
  rust-bytes) header+=" Rust &[u8] | ×C | C zmq_send/zmq_recv | &[u8] × it |" sep+="---:|---:|" ;;
  zmq010) header+=" zmq 0.10 | ×C |" ;;
  esac
  sep+="---:|---:|"
done
echo "$header"
echo "$sep"
for t in inproc_thr inproc_lat; do
  for size in "${SIZES[@]}"; do
    c=$(tool "$t" c "$size")
    row="| $t | $size B | $c |"
    for impl in "${impls[@]:1}"; do
      v=$(tool "$t" "$impl" "$size")
      row+=" $v | $(ratio "$v" "$c") |"
      if [ "$impl" = rust-bytes ]; then
        cb=$(tool "$t" c-bytes "$size")
        row+=" $cb | $(ratio "$v" "$cb") |"
      fi
    done
    echo "$row"
  done
done
