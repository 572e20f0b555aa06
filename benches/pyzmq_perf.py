"""libzmq's perf tools written the way a pyzmq user would, for
benches/compare.sh: `python pyzmq_perf.py <tool> <the C tool's arguments>`,
with the C tools' output. Tools: local_thr, remote_thr, local_lat,
remote_lat, inproc_thr, inproc_lat.

Messages under pyzmq's copy threshold are sent and received as bytes
(copied, pyzmq's default); larger ones as Frames without copying
(`copy=False`), as pyzmq's documentation recommends. pyzmq's wheel carries
its own libzmq, so this column is not on the very same library as the
others.
"""

import sys
import threading
import time

import zmq


def usage():
    print("usage: pyzmq_perf.py local_thr|remote_thr|local_lat|remote_lat <endpoint> <size> <count>")
    print("       pyzmq_perf.py inproc_thr|inproc_lat <size> <count>")
    sys.exit(1)


def receive_all(s, size, count):
    copy = size < zmq.COPY_THRESHOLD
    start = None
    for _ in range(count):
        msg = s.recv(copy=copy)
        if start is None:
            start = time.perf_counter()
        if len(msg) != size:
            print("message of incorrect size received")
            sys.exit(1)
    return max(1, int((time.perf_counter() - start) * 1e6))


def send_all(s, size, count):
    copy = size < zmq.COPY_THRESHOLD
    data = b"\0" * size
    for _ in range(count):
        s.send(data, copy=copy)


def echo(s, size, count):
    copy = size < zmq.COPY_THRESHOLD
    for _ in range(count):
        msg = s.recv(copy=copy)
        if len(msg) != size:
            print("message of incorrect size received")
            sys.exit(1)
        s.send(msg, copy=copy)


def ping(s, size, count):
    copy = size < zmq.COPY_THRESHOLD
    msg = b"\0" * size
    start = time.perf_counter()
    for _ in range(count):
        s.send(msg, copy=copy)
        msg = s.recv(copy=copy)
        if len(msg) != size:
            print("message of incorrect size received")
            sys.exit(1)
    return max(1, int((time.perf_counter() - start) * 1e6))


def print_throughput(size, count, elapsed):
    throughput = count / elapsed * 1e6
    print(f"message size: {size} [B]")
    print(f"message count: {count}")
    print(f"mean throughput: {int(throughput)} [msg/s]")
    print(f"mean throughput: {throughput * size * 8 / 1e6:.3f} [Mb/s]")


def print_latency(elapsed, count):
    print(f"average latency: {elapsed / (count * 2):.3f} [us]")


def main():
    args = sys.argv[1:]
    if not args:
        usage()
    tool = args[0]
    wanted = 3 if tool.startswith("inproc") else 4
    if len(args) != wanted:
        usage()
    size, count = int(args[-2]), int(args[-1])
    ctx = zmq.Context()
    if tool == "local_thr":
        s = ctx.socket(zmq.PULL)
        s.bind(args[1])
        print_throughput(size, count, receive_all(s, size, count))
    elif tool == "remote_thr":
        s = ctx.socket(zmq.PUSH)
        s.connect(args[1])
        send_all(s, size, count)
    elif tool == "local_lat":
        s = ctx.socket(zmq.REP)
        s.bind(args[1])
        echo(s, size, count)
    elif tool == "remote_lat":
        s = ctx.socket(zmq.REQ)
        s.connect(args[1])
        print(f"message size: {size} [B]")
        print(f"roundtrip count: {count}")
        print_latency(ping(s, size, count), count)
    elif tool in ("inproc_thr", "inproc_lat"):
        kind, peer, work = (
            (zmq.PULL, zmq.PUSH, send_all) if tool == "inproc_thr" else (zmq.REQ, zmq.REP, echo)
        )
        s = ctx.socket(kind)
        s.bind("inproc://" + tool)

        def worker():
            w = ctx.socket(peer)
            w.connect("inproc://" + tool)
            work(w, size, count)
            w.close()

        thread = threading.Thread(target=worker)
        thread.start()
        if tool == "inproc_thr":
            elapsed = receive_all(s, size, count)
            thread.join()
            print_throughput(size, count, elapsed)
        else:
            print(f"message size: {size} [B]")
            print(f"roundtrip count: {count}")
            elapsed = ping(s, size, count)
            thread.join()
            print_latency(elapsed, count)
    else:
        usage()


if __name__ == "__main__":
    main()
