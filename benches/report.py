"""Turns benches/compare.sh's samples into benches/results.md (markdown
tables with each implementation's ratio to C) and benches/throughput.svg
(throughput against message size, one panel per transport).

    python3 benches/report.py results.tsv ROUNDS ZEROMQ_SRC_VERSION "PYZMQ LIBZMQ"
"""

import datetime
import html
import math
import os
import platform
import statistics
import subprocess
import sys

samples_file, rounds, version, pyzmq = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]

samples = {}  # (transport, size, kind) -> impl -> [values]
for line in open(samples_file):
    transport, size, kind, impl, value = line.split()
    if value != "nan":
        samples.setdefault((transport, int(size), kind), {}).setdefault(impl, []).append(float(value))

NAMES = {
    "c": "C",
    "rust": "Rust Message",
    "rust-bytes": "Rust &[u8]",
    "rust-async": "Rust asyncio",
    "zmq010": "zmq 0.10",
    "tmq": "tmq 0.5",
    "pyzmq": "pyzmq",
}
impls = [i for i in NAMES if any(i in per for per in samples.values())]
transports = [t for t in ("tcp", "ipc", "inproc") if any(k[0] == t for k in samples)]
sizes = sorted({k[1] for k in samples})


def size_name(s):
    return f"{s // 1048576} MiB" if s >= 1048576 else f"{s // 1024} KiB" if s >= 1024 else f"{s} B"


def median(transport, size, kind, impl):
    values = samples.get((transport, size, kind), {}).get(impl)
    return statistics.median(values) if values else None


def spread(transport, size, kind):
    """C's own round-to-round spread: (max - min) / median, in percent."""
    values = samples.get((transport, size, kind), {}).get("c")
    if not values or len(values) < 2:
        return ""
    return f"±{(max(values) - min(values)) / 2 / statistics.median(values) * 100:.0f} %"


def table(kind, unit, fmt):
    head = ["transport", "size"]
    for impl in impls:
        head.append(f"{NAMES[impl]} {unit}")
        if impl != "c":
            head.append("×C")
    head.append("C spread")
    rows = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for t in transports:
        for s in sizes:
            c = median(t, s, kind, "c")
            cells = [t, size_name(s)]
            for impl in impls:
                v = median(t, s, kind, impl)
                cells.append(fmt(v) if v is not None else "–")
                if impl != "c":
                    cells.append(f"{v / c:.2f}" if v is not None and c else "–")
            cells.append(spread(t, s, kind))
            rows.append("| " + " | ".join(cells) + " |")
    return rows


cpu = next(
    (l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")),
    platform.machine(),
)
rustc = subprocess.run(["rustc", "--version"], capture_output=True, text=True).stdout.strip()
gxx = subprocess.run(["g++", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
kernel = platform.release()
out = [
    f"Run {datetime.date.today()} on {cpu}, {os.cpu_count()} cores, Linux {kernel}; "
    f"libzmq 4.3.5 from zeromq-src {version}, one static library for C, Rust and zmq 0.10; "
    f"{rustc}; {gxx}"
    + (f"; pyzmq {pyzmq.split()[0]} on its wheel's libzmq {pyzmq.split()[1]}" if pyzmq else "")
    + f". Median of {rounds} rounds, the implementations taking turns. "
    "\"C spread\" is half the C tool's own max − min across rounds, relative to its median: "
    "ratios closer to 1 than that are noise.",
    "",
    "Throughput (messages/s, higher is better):",
    "",
    *table("thr", "msg/s", lambda v: f"{v:,.0f}"),
    "",
    "Latency (µs one way, lower is better):",
    "",
    *table("lat", "µs", lambda v: f"{v:.1f}"),
]


def per_round(transport, size, kind, impl):
    """impl ÷ this crate's sync tool round by round (the two ran one after
    the other in each round, so a slow patch of the machine touches both):
    the median and the range, or "" without a pair for every round."""
    per = samples.get((transport, size, kind), {})
    a, b = per.get("rust"), per.get(impl)
    if not a or not b or len(a) != len(b) or len(a) < 2:
        return ""
    ratios = [y / x for x, y in zip(a, b)]
    return f"{statistics.median(ratios):.2f} ({min(ratios):.2f}–{max(ratios):.2f})"


def async_table(kind, unit, fmt):
    """The async implementations against this crate's sync tools."""
    head = ["transport", "size", f"Rust sync {unit}", f"Rust asyncio {unit}", "asyncio ÷ sync",
            "per round (range)"]
    if "tmq" in impls:
        head += [f"tmq 0.5 {unit}", "tmq ÷ sync"]
    rows = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for t in transports:
        for s in sizes:
            sync = median(t, s, kind, "rust")
            cells = [t, size_name(s), fmt(sync) if sync else "–"]
            for impl in ["rust-async"] + (["tmq"] if "tmq" in impls else []):
                v = median(t, s, kind, impl)
                cells.append(fmt(v) if v is not None else "–")
                cells.append(f"{v / sync:.2f}" if v is not None and sync else "–")
                if impl == "rust-async":
                    cells.append(per_round(t, s, kind, impl) or "–")
            rows.append("| " + " | ".join(cells) + " |")
    return rows


if "rust-async" in impls and "rust" in impls:
    out += [
        "",
        "Async against sync (the same rounds): throughput, higher is better. \"asyncio ÷ sync\" is "
        "the ratio of the medians; \"per round\" the median of the ratios in each round, where the "
        "two ran one after the other, and their range:",
        "",
        *async_table("thr", "msg/s", lambda v: f"{v:,.0f}"),
        "",
        "Async against sync: latency (µs one way), lower is better:",
        "",
        *async_table("lat", "µs", lambda v: f"{v:.1f}"),
    ]
text = "\n".join(out) + "\n"
open("benches/results.md", "w").write(text)
print(text)

# The chart: throughput in MB/s against message size, log-log, one panel
# per transport, one colour per implementation.
COLOURS = {"c": "#222222", "rust": "#d62728", "rust-bytes": "#ff9896", "rust-async": "#9467bd", "zmq010": "#1f77b4", "tmq": "#17becf", "pyzmq": "#2ca02c"}
DASH = {"c": "", "rust": "", "rust-bytes": ' stroke-dasharray="6 3"', "rust-async": ' stroke-dasharray="4 2"', "zmq010": ' stroke-dasharray="2 3"', "tmq": ' stroke-dasharray="1 2"', "pyzmq": ' stroke-dasharray="8 3 2 3"'}
PW, PH, L, T, B = 300, 300, 60, 40, 70
W, H = L + PW * len(transports) + 20 * len(transports), T + PH + B
points = {}
for t in transports:
    for impl in impls:
        line = []
        for s in sizes:
            v = median(t, s, "thr", impl)
            if v:
                line.append((s, v * s / 1e6))
        points[(t, impl)] = line
ys = [y for line in points.values() for _, y in line if y > 0]
ylo, yhi = math.floor(math.log10(min(ys))), math.ceil(math.log10(max(ys)))
span = math.log2(sizes[-1]) - math.log2(sizes[0]) or 1
svg = [
    f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" font-family="sans-serif" font-size="12">',
    f'<rect width="{W}" height="{H}" fill="white"/>',
    f'<text x="{W / 2}" y="18" text-anchor="middle" font-size="14">Throughput (MB/s) against message size, libzmq 4.3.5</text>',
]
for p, t in enumerate(transports):
    x0 = L + p * (PW + 20)
    X = lambda s: x0 + (math.log2(s) - math.log2(sizes[0])) / span * (PW - 20) + 10
    Y = lambda v: T + PH - (math.log10(v) - ylo) / (yhi - ylo) * PH
    svg.append(f'<rect x="{x0}" y="{T}" width="{PW}" height="{PH}" fill="none" stroke="#999"/>')
    svg.append(f'<text x="{x0 + PW / 2}" y="{T - 6}" text-anchor="middle">{t}</text>')
    for e in range(ylo, yhi + 1):
        svg.append(f'<line x1="{x0}" x2="{x0 + PW}" y1="{Y(10 ** e)}" y2="{Y(10 ** e)}" stroke="#e5e5e5"/>')
        if p == 0:
            svg.append(f'<text x="{x0 - 6}" y="{Y(10 ** e) + 4}" text-anchor="end">{10 ** e:g}</text>')
    for s in sizes:
        svg.append(f'<text x="{X(s)}" y="{T + PH + 16}" text-anchor="middle" font-size="10">{size_name(s)}</text>')
    for impl in reversed(impls):  # C last, on top
        line = points[(t, impl)]
        if line:
            path = " ".join(f"{X(s):.1f},{Y(v):.1f}" for s, v in line)
            svg.append(f'<polyline fill="none" stroke="{COLOURS[impl]}" stroke-width="2"{DASH[impl]} points="{path}"/>')
for i, impl in enumerate(impls):
    x = L + i * 140
    svg.append(f'<line x1="{x}" x2="{x + 30}" y1="{H - 22}" y2="{H - 22}" stroke="{COLOURS[impl]}" stroke-width="2"{DASH[impl]}/>')
    svg.append(f'<text x="{x + 36}" y="{H - 18}">{html.escape(NAMES[impl])}</text>')
svg.append("</svg>")
open("benches/throughput.svg", "w").write("\n".join(svg) + "\n")
