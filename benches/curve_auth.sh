#!/usr/bin/env bash
# CURVE handshakes per second through an authenticator: this crate's
# zmq::auth::ThreadAuthenticator (examples/perf/curve_auth_server.rs) beside
# pyzmq's ThreadAuthenticator (benches/pyzmq_curve_server.py), each a ROUTER
# that allows 127.0.0.1 and a directory of client certificates. The load is
# the same for both (examples/perf/curve_auth_clients.rs): CLIENTS
# certificates, HANDSHAKES connections in all, CONCURRENCY at a time, each
# connecting, doing one request and closing. Servers alternate, ROUNDS
# rounds; medians are printed as a markdown table.
#
#   benches/curve_auth.sh                       # about a minute on 2 cores
#   ROUNDS=7 HANDSHAKES=4000 CONCURRENCY=16 benches/curve_auth.sh
#   PYTHON=/path/to/python benches/curve_auth.sh   # the pyzmq to use
#   BIN=target/debug/examples ROUNDS=1 HANDSHAKES=100 \
#     benches/curve_auth.sh                     # CI: does it still run?
#
# Wall-clock figures on a shared 2-core VM move between runs: compare the
# two columns of one run, not runs of different days.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-5}
HANDSHAKES=${HANDSHAKES:-2000}
CONCURRENCY=${CONCURRENCY:-8}
CLIENTS=${CLIENTS:-200}
PYTHON=${PYTHON:-target/interop-venv/bin/python}
TRANSPORT=${TRANSPORT:-tcp}
OUT=target/curve-auth
rm -rf "$OUT" && mkdir -p "$OUT"

"$PYTHON" -c 'import zmq.auth.thread' 2>/dev/null ||
  { echo "no pyzmq in $PYTHON (set PYTHON, or pip install pyzmq)" >&2; exit 1; }
# BIN=dir takes the tools from there instead of building them: CI's smoke
# run uses the debug examples its `cargo test` built (it checks that the
# benchmark works; its figures mean nothing).
if [ -n "${BIN:-}" ]; then
  bin=$BIN
else
  echo "== building the tools (release, feature curve)" >&2
  cargo build -q --release --features curve --example curve_auth_server --example curve_auth_clients
  bin=target/release/examples
fi
for tool in curve_auth_server curve_auth_clients; do
  [ -x "$bin/$tool" ] || { echo "no $bin/$tool" >&2; exit 1; }
done
"$bin/curve_auth_clients" make "$OUT/certs" "$CLIENTS"

endpoint() {
  case $TRANSPORT in
    tcp) echo "tcp://127.0.0.1:*" ;;
    ipc) echo "ipc://$PWD/$OUT/server-$1.sock" ;;
    *) echo "TRANSPORT is tcp or ipc" >&2; exit 1 ;;
  esac
}

# run IMPL ROUND: starts that server, runs the load, prints its rate.
run() {
  local impl=$1 round=$2 log=$OUT/$1-$2.out
  case $impl in
    rust) "$bin/curve_auth_server" "$(endpoint "$round")" "$OUT/certs" "$HANDSHAKES" >"$log" 2>&1 & ;;
    pyzmq) "$PYTHON" benches/pyzmq_curve_server.py "$(endpoint "$round")" "$OUT/certs" "$HANDSHAKES" >"$log" 2>&1 & ;;
  esac
  local pid=$! bound=""
  for _ in $(seq 200); do
    bound=$(sed -n 's/^ENDPOINT //p' "$log")
    [ -n "$bound" ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
  done
  [ -n "$bound" ] || { echo "$impl server did not start:" >&2; cat "$log" >&2; kill "$pid" 2>/dev/null; exit 1; }
  local line
  line=$("$bin/curve_auth_clients" run "$bound" "$OUT/certs" "$HANDSHAKES" "$CONCURRENCY") ||
    { kill "$pid" 2>/dev/null; exit 1; }
  wait "$pid" || { echo "$impl server failed:" >&2; cat "$log" >&2; exit 1; }
  echo "$line" | sed -n 's/.*handshakes\/s //p'
}

declare -A rates
for round in $(seq "$ROUNDS"); do
  for impl in rust pyzmq; do
    rate=$(run "$impl" "$round")
    echo "round $round $impl: $rate handshakes/s" >&2
    rates[$impl]+="$rate "
  done
done

median() { tr ' ' '\n' | grep . | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
rust=$(echo "${rates[rust]}" | median)
pyzmq=$(echo "${rates[pyzmq]}" | median)
pyver=$("$PYTHON" -c 'import zmq; print(zmq.pyzmq_version(), "on libzmq", zmq.zmq_version())')
echo
echo "CURVE handshakes/s over $TRANSPORT, $HANDSHAKES connections, $CONCURRENCY at a time, $CLIENTS certificates, median of $ROUNDS"
echo
echo "| server | handshakes/s | per round |"
echo "|---|---:|---|"
echo "| zmq-safe ThreadAuthenticator | $rust | ${rates[rust]}|"
echo "| pyzmq $pyver ThreadAuthenticator | $pyzmq | ${rates[pyzmq]}|"
echo
awk -v r="$rust" -v p="$pyzmq" 'BEGIN { printf "ratio (zmq-safe / pyzmq): %.2f\n", r / p }'
