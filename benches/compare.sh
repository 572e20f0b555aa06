#!/usr/bin/env bash
# Side by side: libzmq's own C perf tools and this crate's Rust ports
# (examples/perf/), both on the same static libzmq 4.3.5 that the crate's
# release build compiled from the zeromq-src crate. Runs C, Rust (Message
# API) and Rust (&[u8] API) in turn, ROUNDS rounds, and takes medians, for
# message sizes 1 B .. 1 MiB over tcp, ipc and inproc. Prints a markdown
# table (also written to benches/results.md) and draws benches/throughput.svg.
#
#   benches/compare.sh            # about 5 minutes on 2 cores
#   ROUNDS=5 benches/compare.sh   # more rounds
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-3}
SIZES=(1 64 1024 65536 1048576)
OUT=target/perf-compare
mkdir -p "$OUT/c"

echo "== building the Rust perf tools (release)" >&2
out_dir=$(cargo build --release --examples --message-format=json 2>/dev/null |
  python3 -c '
import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "build-script-executed" and "#zmq@" in m.get("package_id", ""):
        print(m["out_dir"])' | tail -1)
lib="$out_dir/lib/libzmq.a"
[ -f "$lib" ] || { echo "no libzmq.a in $out_dir (is this the vendored build?)" >&2; exit 1; }
src=$(ls -d ~/.cargo/registry/src/*/zeromq-src-*/vendor | head -1)
version=$(grep -A1 'name = "zeromq-src"' Cargo.lock | grep version | cut -d'"' -f2)

echo "== building libzmq's C perf tools from $src against $lib" >&2
for tool in local_thr remote_thr local_lat remote_lat inproc_thr inproc_lat; do
  g++ -O2 -std=c++11 -I"$out_dir" -I"$src/include" "$src/perf/$tool.cpp" "$lib" \
    -lpthread -o "$OUT/c/$tool"
done
RUST=target/release/examples

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# count for throughput / round trips for latency, by message size
thr_count() { case $1 in 1|64) echo 1000000;; 1024) echo 500000;; 65536) echo 20000;; *) echo 1000;; esac; }
lat_count() { case $1 in 1|64|1024) echo 10000;; 65536) echo 2000;; *) echo 200;; esac; }

# run IMPL KIND TRANSPORT SIZE -> prints msg/s (thr) or us (lat)
run() {
  local impl=$1 kind=$2 transport=$3 size=$4 dir api=msg
  case $impl in c) dir=$OUT/c;; rust) dir=$RUST;; rust-bytes) dir=$RUST; api=bytes;; esac
  local count endpoint out
  if [ "$kind" = thr ]; then count=$(thr_count "$size"); else count=$(lat_count "$size"); fi
  if [ "$transport" = inproc ]; then
    out=$(ZMQ_PERF_API=$api timeout 120 "$dir/inproc_$kind" "$size" "$count")
  else
    if [ "$transport" = tcp ]; then endpoint="tcp://127.0.0.1:$(free_port)"
    else endpoint="ipc://$OUT/perf-$$-$RANDOM.sock"; fi
    local log=$OUT/local.out
    if [ "$kind" = thr ]; then
      ZMQ_PERF_API=$api timeout 120 "$dir/local_thr" "$endpoint" "$size" "$count" >"$log" &
      local pid=$!
      sleep 0.2
      ZMQ_PERF_API=$api timeout 120 "$dir/remote_thr" "$endpoint" "$size" "$count" >/dev/null
      wait $pid
      out=$(cat "$log")
    else
      ZMQ_PERF_API=$api timeout 120 "$dir/local_lat" "$endpoint" "$size" "$count" >/dev/null &
      local pid=$!
      sleep 0.2
      out=$(ZMQ_PERF_API=$api timeout 120 "$dir/remote_lat" "$endpoint" "$size" "$count")
      wait $pid
    fi
  fi
  if [ "$kind" = thr ]; then
    echo "$out" | awk '/mean throughput: .*msg\/s/ {print $3}'
  else
    echo "$out" | awk '/average latency/ {print $3}'
  fi
}

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

results=$OUT/results.tsv
: >"$results"
for transport in tcp ipc inproc; do
  for size in "${SIZES[@]}"; do
    for kind in thr lat; do
      declare -A samples=([c]="" [rust]="" [rust-bytes]="")
      for ((round = 1; round <= ROUNDS; round++)); do
        for impl in c rust rust-bytes; do
          samples[$impl]+=" $(run $impl $kind $transport "$size")"
        done
      done
      line="$transport $size $kind"
      for impl in c rust rust-bytes; do
        line+=" $(echo "${samples[$impl]}" | median)"
      done
      echo "$line" | tee -a "$results" >&2
      unset samples
    done
  done
done

python3 - "$results" "$ROUNDS" "$version" <<'PY'
import sys, platform, subprocess, datetime
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
rounds, version = sys.argv[2], sys.argv[3]
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.machine())
rustc = subprocess.run(["rustc", "--version"], capture_output=True, text=True).stdout.strip()
gxx = subprocess.run(["g++", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
def size_name(s):
    s = int(s)
    return f"{s // 1048576} MiB" if s >= 1048576 else f"{s // 1024} KiB" if s >= 1024 else f"{s} B"
out = []
out.append(f"Run {datetime.date.today()}, {cpu}, {__import__('os').cpu_count()} cores; libzmq 4.3.5 "
           f"(zeromq-src {version}, static, the same library for C and Rust); {rustc}; {gxx}; "
           f"median of {rounds} rounds, C and Rust alternating.\n")
out.append("| transport | size | C msg/s | Rust msg/s (Message) | ratio | Rust msg/s (&[u8]) | ratio | C latency µs | Rust latency µs (Message) | ratio | Rust latency µs (&[u8]) | ratio |")
out.append("|---|---|---|---|---|---|---|---|---|---|---|---|")
by = {(r[0], r[1], r[2]): [float(x) for x in r[3:]] for r in rows}
for (t, s, k) in by:
    if k != "thr":
        continue
    thr, lat = by[(t, s, "thr")], by[(t, s, "lat")]
    out.append(f"| {t} | {size_name(s)} | {thr[0]:,.0f} | {thr[1]:,.0f} | {thr[1]/thr[0]:.2f} | {thr[2]:,.0f} | {thr[2]/thr[0]:.2f} "
               f"| {lat[0]:.2f} | {lat[1]:.2f} | {lat[1]/lat[0]:.2f} | {lat[2]:.2f} | {lat[2]/lat[0]:.2f} |")
text = "\n".join(out) + "\n"
open("benches/results.md", "w").write(text)
print(text)

# The chart: throughput (MB/s) against message size, log-log, one colour
# per transport, solid C, dashed Rust (Message API).
import math
W, H, L, B = 720, 420, 70, 50
sizes = sorted({int(r[1]) for r in rows})
pts = {}
for (t, s, k), v in by.items():
    if k == "thr":
        pts.setdefault(t, []).append((int(s), v[0] * int(s) / 1e6, v[1] * int(s) / 1e6))
ys = [y for p in pts.values() for (_, a, b) in p for y in (a, b) if y > 0]
ylo, yhi = math.floor(math.log10(min(ys))), math.ceil(math.log10(max(ys)))
X = lambda s: L + (math.log2(s) - math.log2(sizes[0])) / (math.log2(sizes[-1]) - math.log2(sizes[0])) * (W - L - 20)
Y = lambda v: H - B - (math.log10(v) - ylo) / (yhi - ylo) * (H - B - 20)
svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" font-family="sans-serif" font-size="12">',
       f'<rect width="{W}" height="{H}" fill="white"/>',
       f'<text x="{W/2}" y="14" text-anchor="middle">Throughput vs message size: libzmq C perf tools (solid) and the Rust ports (dashed)</text>']
for e in range(ylo, yhi + 1):
    svg.append(f'<line x1="{L}" x2="{W-20}" y1="{Y(10**e)}" y2="{Y(10**e)}" stroke="#ddd"/><text x="{L-6}" y="{Y(10**e)+4}" text-anchor="end">{10**e:g}</text>')
for s in sizes:
    svg.append(f'<text x="{X(s)}" y="{H-B+16}" text-anchor="middle">{size_name(s)}</text>')
svg.append(f'<text x="14" y="{H/2}" transform="rotate(-90 14 {H/2})" text-anchor="middle">MB/s</text>')
colours = {"tcp": "#1f77b4", "ipc": "#2ca02c", "inproc": "#d62728"}
for i, (t, p) in enumerate(sorted(pts.items())):
    p.sort()
    for j, dash in ((1, ""), (2, ' stroke-dasharray="6 4"')):
        path = " ".join(f"{X(s)},{Y(v[j-1])}" for s, *v in [(q[0], q[1], q[2]) for q in p])
        svg.append(f'<polyline fill="none" stroke="{colours[t]}" stroke-width="2"{dash} points="{path}"/>')
    svg.append(f'<text x="{L+10+90*i}" y="{H-10}" fill="{colours[t]}">{t}</text>')
svg.append("</svg>")
open("benches/throughput.svg", "w").write("\n".join(svg) + "\n")
PY
