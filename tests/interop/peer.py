"""The Python side of the interop suite (tests/interop/main.rs).

    python peer.py SCENARIO ROLE ENDPOINT [ARG...]

ROLE is "server" (binds ENDPOINT; a tcp wildcard port is resolved and the
bound endpoint printed as "ENDPOINT <endpoint>") or "client" (connects to
ENDPOINT). Each scenario mirrors the Rust role of the same name; results are
printed as lines the Rust test checks, and any failure raises (non-zero exit).
Works with pyzmq from PyPI and with Debian's python3-zmq.
"""

import os
import socket as pysocket
import struct
import sys
import threading
import time

import zmq
from zmq.utils.monitor import recv_monitor_message

TIMEOUT_MS = 10000


def out(*words):
    print(*words, flush=True)


def make(ctx, kind):
    s = ctx.socket(kind)
    s.setsockopt(zmq.RCVTIMEO, TIMEOUT_MS)
    s.setsockopt(zmq.SNDTIMEO, TIMEOUT_MS)
    s.setsockopt(zmq.LINGER, 2000)
    return s


def listen(s, endpoint):
    s.bind(endpoint)
    out("ENDPOINT", s.getsockopt(zmq.LAST_ENDPOINT).decode())


def expect(cond, what):
    if not cond:
        raise AssertionError(what)


def peer_address(frame):
    try:
        return frame.get("Peer-Address")
    except zmq.ZMQError:
        return ""


# --- scenarios: each takes (ctx, role, endpoint, args) ----------------------


def reqrep(ctx, role, endpoint, args):
    if role == "server":
        s = make(ctx, zmq.REP)
        listen(s, endpoint)
        for i in range(3):
            frame = s.recv(copy=False)
            expect(frame.bytes == b"Hello %d" % i, frame.bytes)
            out("PEER", peer_address(frame) or "-")
            s.send(b"World %d" % i)
    else:
        s = make(ctx, zmq.REQ)
        s.connect(endpoint)
        for i in range(3):
            s.send(b"Hello %d" % i)
            reply = s.recv()
            expect(reply == b"World %d" % i, reply)
        out("DONE")
    s.close()


def pubsub(ctx, role, endpoint, args):
    if role == "server":
        s = make(ctx, zmq.PUB)
        listen(s, endpoint)
        deadline = time.time() + 20
        i = 0
        while time.time() < deadline:  # until the test stops us
            s.send(b"A-%d" % i)
            s.send(b"B-%d" % i)
            i += 1
            time.sleep(0.001)
    else:
        s = make(ctx, zmq.SUB)
        s.connect(endpoint)
        s.setsockopt(zmq.SUBSCRIBE, b"A-")
        got = [s.recv() for _ in range(50)]
        expect(all(m.startswith(b"A-") for m in got), got)
        numbers = [int(m[2:]) for m in got]
        expect(numbers == list(range(numbers[0], numbers[0] + 50)), numbers)
        out("DONE")
    s.close()


def xpub(ctx, role, endpoint, args):
    if role == "server":
        s = make(ctx, zmq.XPUB)
        listen(s, endpoint)
        sub = s.recv()
        expect(sub == b"\x01A-", sub)
        out("SUBSCRIBED", sub.hex())
        for i in range(100):
            s.send(b"A-%d" % i)
            s.send(b"B-%d" % i)
        s.send(b"A-END")
        unsub = s.recv()
        expect(unsub == b"\x00A-", unsub)
        out("UNSUBSCRIBED", unsub.hex())
    else:
        kind = args[0]
        s = make(ctx, zmq.SUB if kind == "sub" else zmq.XSUB)
        s.connect(endpoint)
        if kind == "sub":
            s.setsockopt(zmq.SUBSCRIBE, b"A-")
        else:
            s.send(b"\x01A-")
        got = []
        while True:
            m = s.recv()
            if m == b"A-END":
                break
            got.append(m)
        expect(got == [b"A-%d" % i for i in range(100)], got)
        if kind == "sub":
            s.setsockopt(zmq.UNSUBSCRIBE, b"A-")
        else:
            s.send(b"\x00A-")
        out("DONE")
    s.close()


def pushpull(ctx, role, endpoint, args):
    if role == "server":
        s = make(ctx, zmq.PUSH)
        monitor = s.get_monitor_socket(zmq.EVENT_HANDSHAKE_SUCCEEDED)
        monitor.setsockopt(zmq.RCVTIMEO, TIMEOUT_MS)
        listen(s, endpoint)
        for _ in range(2):
            recv_monitor_message(monitor)
        for i in range(100):
            s.send(b"%d" % i)
        s.send(b"END")
        s.send(b"END")
        s.disable_monitor()
        monitor.close()
        out("SENT")
    else:
        workers = [make(ctx, zmq.PULL) for _ in range(2)]
        for w in workers:
            w.connect(endpoint)
        counts = []
        seen = []
        for w in workers:
            numbers = []
            while True:
                m = w.recv()
                if m == b"END":
                    break
                numbers.append(int(m))
            expect(numbers == sorted(numbers), numbers)
            counts.append(len(numbers))
            seen += numbers
            w.close()
        expect(sorted(seen) == list(range(100)), seen)
        out("COUNTS", *counts)
        return
    s.close()


def routerdealer(ctx, role, endpoint, args):
    if role == "server":
        s = make(ctx, zmq.ROUTER)
        listen(s, endpoint)
        ids = set()
        for _ in range(6):
            ident, empty, hello, n = s.recv_multipart()
            expect(empty == b"" and hello == b"hello", (empty, hello))
            ids.add(ident)
            s.send_multipart([ident, b"", b"reply", ident, n])
        out("IDS", *sorted(i.decode() for i in ids))
    else:
        dealers = []
        for name in (b"dealer-1", b"dealer-2"):
            d = make(ctx, zmq.DEALER)
            d.setsockopt(zmq.ROUTING_ID, name)
            d.connect(endpoint)
            dealers.append((name, d))
        for n in range(3):
            for name, d in dealers:
                d.send_multipart([b"", b"hello", b"%d" % n])
            for name, d in dealers:
                reply = d.recv_multipart()
                expect(reply == [b"", b"reply", name, b"%d" % n], reply)
        for _, d in dealers:
            d.close()
        out("DONE")
        return
    s.close()


def pair(ctx, role, endpoint, args):
    s = make(ctx, zmq.PAIR)
    if role == "server":
        listen(s, endpoint)
        for i in range(10):
            m = s.recv()
            expect(m == b"ping %d" % i, m)
            s.send(b"pong %d" % i)
        out("DONE")
    else:
        s.connect(endpoint)
        for i in range(10):
            s.send(b"ping %d" % i)
            m = s.recv()
            expect(m == b"pong %d" % i, m)
        out("DONE")
    s.close()


SIZES = [0, 1, 64 * 1024, 16 * 1024 * 1024]


def payload(size):
    pattern = bytes(range(251))
    return (pattern * (size // 251 + 1))[:size]


def sizes(ctx, role, endpoint, args):
    if role == "server":
        s = make(ctx, zmq.REP)
        listen(s, endpoint)
        for size in SIZES:
            m = s.recv()
            expect(m == payload(size), len(m))
            s.send(m)
            out("ECHOED", size)
    else:
        s = make(ctx, zmq.REQ)
        s.connect(endpoint)
        for size in SIZES:
            s.send(payload(size))
            m = s.recv()
            expect(m == payload(size), len(m))
        out("DONE")
    s.close()


def burst(ctx, role, endpoint, args):
    """10,000 messages one way over PAIR, then an acknowledgement back: the
    sender closes only once all arrived (libzmq may drop the tail of a
    queue on close over ipc despite LINGER: libzmq issue #4660)."""
    count = 10000
    s = make(ctx, zmq.PAIR)
    if role == "server":
        listen(s, endpoint)
        for i in range(count):
            m = s.recv()
            expect(m == b"%d" % i, (i, m))
        s.send(b"ACK")
        out("RECEIVED", count)
    else:
        s.connect(endpoint)
        for i in range(count):
            s.send(b"%d" % i)
        expect(s.recv() == b"ACK", "no ACK")
        out("SENT", count)
    s.close()


def zap_handler(ctx, ready):
    """Accepts PLAIN user "admin" with password "secret" (User-Id "admin")."""
    handler = ctx.socket(zmq.REP)
    handler.setsockopt(zmq.LINGER, 0)
    handler.bind("inproc://zeromq.zap.01")
    ready.set()
    while True:
        try:
            request = handler.recv_multipart()
        except zmq.ContextTerminated:
            break
        version, request_id, domain, address, identity, mechanism = request[:6]
        credentials = request[6:]
        ok = mechanism == b"PLAIN" and credentials == [b"admin", b"secret"]
        status = [b"200", b"OK", b"admin"] if ok else [b"400", b"Denied", b""]
        out("ZAP", mechanism.decode(), credentials[-1].decode(), status[0].decode())
        handler.send_multipart([version, request_id] + status + [b""])
    handler.close()


def plain(ctx, role, endpoint, args):
    if role == "server":
        ready = threading.Event()
        threading.Thread(target=zap_handler, args=(ctx, ready), daemon=True).start()
        ready.wait()
        s = make(ctx, zmq.REP)
        s.setsockopt(zmq.PLAIN_SERVER, 1)
        listen(s, endpoint)
        frame = s.recv(copy=False)
        out("REQUEST", frame.bytes.decode())
        out("USER-ID", frame.get("User-Id"))
        out("PEER", peer_address(frame) or "-")
        s.send(b"ok")
        s.close()
    else:
        password = args[0]
        s = make(ctx, zmq.REQ)
        s.setsockopt(zmq.PLAIN_USERNAME, b"admin")
        s.setsockopt(zmq.PLAIN_PASSWORD, password.encode())
        secure_client(ctx, s, endpoint, b"hello")


def curve(ctx, role, endpoint, args):
    if role == "server":
        public, secret = zmq.curve_keypair()
        s = make(ctx, zmq.REP)
        s.setsockopt(zmq.CURVE_SERVER, 1)
        s.setsockopt(zmq.CURVE_SECRETKEY, secret)
        listen(s, endpoint)
        out("KEY", public.decode())
        m = s.recv()
        out("REQUEST", m.decode())
        s.send(b"welcome")
    else:
        server_key, mode = args[0].encode(), args[1]
        public, secret = zmq.curve_keypair()
        if mode == "wrongkey":
            server_key = zmq.curve_keypair()[0]
        s = make(ctx, zmq.REQ)
        s.setsockopt(zmq.CURVE_SERVERKEY, server_key)
        s.setsockopt(zmq.CURVE_PUBLICKEY, public)
        s.setsockopt(zmq.CURVE_SECRETKEY, secret)
        s.setsockopt(zmq.RCVTIMEO, 1500)
        s.setsockopt(zmq.LINGER, 0)
        s.connect(endpoint)
        s.send(b"hello from " + mode.encode())
        try:
            out("REPLY", s.recv().decode())
        except zmq.Again:
            out("NO-REPLY")
    s.close()


# --- zmq.auth: certificates and pyzmq's ThreadAuthenticator ---------------


def certs(ctx, role, path, args):
    """make DIR NAME: zmq.auth.create_certificates (with metadata);
    load FILE: zmq.auth.load_certificate; loaddir DIR: load_certificates."""
    import zmq.auth

    if role == "make":
        public_file, secret_file = zmq.auth.create_certificates(
            path, args[0], metadata={"origin": "pyzmq", "name": args[0]}
        )
        out("FILES", os.path.basename(public_file), os.path.basename(secret_file))
    elif role == "load":
        public, secret = zmq.auth.load_certificate(path)
        out("PUBLIC", public.decode())
        out("SECRET", secret.decode() if secret else "-")
    elif role == "loaddir":
        out("KEYS", *sorted(k.decode() for k in zmq.auth.load_certificates(path)))
    else:
        raise AssertionError("certs role " + role)


def secure_client(ctx, s, endpoint, body):
    """Connects s; prints AUTH-FAILED <status> or the reply to body."""
    monitor = s.get_monitor_socket(zmq.EVENT_HANDSHAKE_SUCCEEDED | zmq.EVENT_HANDSHAKE_FAILED_AUTH)
    monitor.setsockopt(zmq.RCVTIMEO, TIMEOUT_MS)
    s.connect(endpoint)
    event = recv_monitor_message(monitor)
    if event["event"] == zmq.EVENT_HANDSHAKE_FAILED_AUTH:
        out("AUTH-FAILED", event["value"])
    else:
        s.send(body)
        out("REPLY", s.recv().decode())
    s.disable_monitor()
    monitor.close()
    s.setsockopt(zmq.LINGER, 0)
    s.close()


def guarded_server(ctx, endpoint, auth, setup):
    """A REP socket set up by setup, behind auth: serves one request."""
    s = make(ctx, zmq.REP)
    setup(s)
    listen(s, endpoint)
    frame = s.recv(copy=False)
    out("REQUEST", frame.bytes.decode())
    out("USER-ID", frame.get("User-Id"))
    s.send(b"welcome")
    s.close()
    auth.stop()


def authcurve(ctx, role, endpoint, args):
    """CURVE with certificate files: the server's authenticator allows the
    public keys in DIR/clients; clients use DIR/private/NAME.key_secret."""
    import zmq.auth
    from zmq.auth.thread import ThreadAuthenticator

    certdir = args[0]
    server_public, server_secret = zmq.auth.load_certificate(
        os.path.join(certdir, "server.key_secret")
    )
    if role == "server":
        auth = ThreadAuthenticator(ctx)
        auth.start()
        if endpoint.startswith("tcp://"):
            auth.allow("127.0.0.1")
        auth.configure_curve(domain="*", location=os.path.join(certdir, "clients"))

        def setup(s):
            s.curve_secretkey = server_secret
            s.curve_publickey = server_public
            s.curve_server = True

        guarded_server(ctx, endpoint, auth, setup)
    else:
        name = args[1]
        public, secret = zmq.auth.load_certificate(
            os.path.join(certdir, "private", name + ".key_secret")
        )
        s = make(ctx, zmq.REQ)
        s.curve_secretkey = secret
        s.curve_publickey = public
        s.curve_serverkey, _ = zmq.auth.load_certificate(os.path.join(certdir, "server.key"))
        secure_client(ctx, s, endpoint, b"hello from " + name.encode())


def authplain(ctx, role, endpoint, args):
    """PLAIN behind the authenticator: user admin, password secret."""
    from zmq.auth.thread import ThreadAuthenticator

    if role == "server":
        auth = ThreadAuthenticator(ctx)
        auth.start()
        if endpoint.startswith("tcp://"):
            auth.allow("127.0.0.1")
        auth.configure_plain(domain="*", passwords={"admin": "secret"})

        def setup(s):
            s.plain_server = True

        guarded_server(ctx, endpoint, auth, setup)
    else:
        s = make(ctx, zmq.REQ)
        s.plain_username = args[0].encode()
        s.plain_password = args[1].encode()
        secure_client(ctx, s, endpoint, b"hello from " + args[0].encode())


# --- faults: raw TCP peers against a Rust server ----------------------------


def zmtp_greeting(mechanism=b"NULL"):
    return b"\xff" + b"\x00" * 8 + b"\x7f" + b"\x03\x00" + mechanism.ljust(20, b"\x00") + b"\x00" * 32


def read_exactly(conn, n):
    data = b""
    while len(data) < n:
        chunk = conn.recv(n - len(data))
        if not chunk:
            raise EOFError("peer closed after %d bytes" % len(data))
        data += chunk
    return data


def raw_connect(endpoint):
    host, port = endpoint[len("tcp://"):].rsplit(":", 1)
    conn = pysocket.create_connection((host, int(port)), timeout=10)
    return conn


def mid_multipart(ctx, role, endpoint, args):
    """A DEALER speaking ZMTP 3.0 by hand: handshake, then one frame of a
    three-frame message (MORE set), then it hangs up."""
    conn = raw_connect(endpoint)
    conn.sendall(zmtp_greeting())
    read_exactly(conn, 64)
    body = b"\x05READY" + b"\x0bSocket-Type" + struct.pack(">I", 6) + b"DEALER"
    conn.sendall(bytes([0x04, len(body)]) + body)
    flags, size = read_exactly(conn, 2)
    read_exactly(conn, size)  # the server's READY
    conn.sendall(bytes([0x01, 0]))  # empty delimiter, MORE
    conn.sendall(bytes([0x01, 7]) + b"partial")  # MORE: a third frame was due
    conn.close()
    out("HUNG-UP")


def garbage(ctx, role, endpoint, args):
    """Bytes that are not ZMTP: an HTTP request, then a ZMTP greeting with a
    mechanism nobody speaks, each on its own connection."""
    kinds = {
        "http": b"GET / HTTP/1.1\r\nHost: zmq\r\n\r\n" + bytes(range(256)),
        "mechanism": zmtp_greeting(b"BOGUS"),
        "version": b"\xff" + b"\x00" * 8 + b"\x7f" + b"\x09\x09" + b"\x00" * 52,
    }
    for data in [kinds[k] for k in args]:
        conn = raw_connect(endpoint)
        conn.sendall(data)
        conn.settimeout(3)
        try:
            while conn.recv(4096):
                pass  # until libzmq hangs up
        except (ConnectionResetError, pysocket.timeout):
            pass
        conn.close()
    out("SENT-GARBAGE")


def oversized(ctx, role, endpoint, args):
    size = int(args[0])
    s = make(ctx, zmq.PUSH)
    s.connect(endpoint)
    s.send(b"x" * size)
    s.close()
    out("SENT", size)


def pgm(ctx, role, endpoint, args):
    """epgm: "server" publishes numbered messages until stopped; "client"
    subscribes and prints the first N it gets."""
    if role == "server":
        s = make(ctx, zmq.PUB)
        s.connect(endpoint)
        out("ENDPOINT", endpoint)
        i = 0
        deadline = time.time() + 30
        while time.time() < deadline:
            s.send(b"pgm %d" % i)
            i += 1
            time.sleep(0.005)
    else:
        count = int(args[0])
        s = make(ctx, zmq.SUB)
        s.setsockopt(zmq.SUBSCRIBE, b"")
        s.connect(endpoint)
        out("JOINED")
        got = [s.recv() for _ in range(count)]
        numbers = [int(m.split()[1]) for m in got]
        expect(numbers == list(range(numbers[0], numbers[0] + count)), numbers)
        out("RECEIVED", count)
    s.close()


def sniff_ttl(ctx, role, endpoint, args):
    """Prints the IP TTL of the first UDP datagram to GROUP seen on lo."""
    group = pysocket.inet_aton(args[0])
    sniffer = pysocket.socket(pysocket.AF_PACKET, pysocket.SOCK_RAW, pysocket.htons(0x0800))
    sniffer.bind(("lo", 0))
    sniffer.settimeout(10)
    out("SNIFFING")
    while True:
        frame = sniffer.recv(65536)
        ip = frame[14:]
        if ip[9] == 17 and ip[16:20] == group:
            out("TTL", ip[8])
            return


ASYNC_DEALERS, ASYNC_REQUESTS = 4, 50


def asyncio_scenario(ctx, role, endpoint, args):
    """zmq.asyncio on both ends: a ROUTER served by a coroutine; four DEALER
    coroutines on one event loop, each sending its requests before it reads
    the replies."""
    import asyncio

    import zmq.asyncio

    actx = zmq.asyncio.Context.shadow(ctx.underlying)  # a shadow of the sync context

    async def server():
        s = actx.socket(zmq.ROUTER)
        s.setsockopt(zmq.LINGER, 2000)
        listen(s, endpoint)
        ids, count = set(), 0
        while count < ASYNC_DEALERS * ASYNC_REQUESTS:
            ident, empty, req, n = await asyncio.wait_for(s.recv_multipart(), TIMEOUT_MS / 1000)
            expect(empty == b"" and req == b"req", (empty, req))
            ids.add(ident)
            count += 1
            await s.send_multipart([ident, b"", b"rep", n])
        out("IDS", *sorted(i.decode() for i in ids))
        out("COUNT", count)
        s.close()

    async def dealer(i):
        d = actx.socket(zmq.DEALER)
        d.setsockopt(zmq.LINGER, 2000)
        d.setsockopt(zmq.ROUTING_ID, b"dealer-%d" % i)
        d.connect(endpoint)
        for n in range(ASYNC_REQUESTS):
            await d.send_multipart([b"", b"req", b"%d" % n])
        for n in range(ASYNC_REQUESTS):
            reply = await asyncio.wait_for(d.recv_multipart(), TIMEOUT_MS / 1000)
            expect(reply == [b"", b"rep", b"%d" % n], reply)
        d.close()

    async def client():
        await asyncio.gather(*(dealer(i) for i in range(ASYNC_DEALERS)))
        out("DONE")

    asyncio.run(server() if role == "server" else client())


SCENARIOS = {
    "asyncio": asyncio_scenario,
    "reqrep": reqrep,
    "pubsub": pubsub,
    "xpub": xpub,
    "pushpull": pushpull,
    "routerdealer": routerdealer,
    "pair": pair,
    "sizes": sizes,
    "burst": burst,
    "plain": plain,
    "curve": curve,
    "mid_multipart": mid_multipart,
    "garbage": garbage,
    "oversized": oversized,
    "pgm": pgm,
    "certs": certs,
    "authcurve": authcurve,
    "authplain": authplain,
    "sniff_ttl": sniff_ttl,
}


def main():
    scenario, role, endpoint = sys.argv[1:4]
    if scenario == "info":
        out("PYZMQ", zmq.pyzmq_version(), "LIBZMQ", zmq.zmq_version(), "FILE", zmq.__file__)
        out("HAS", *[c for c in ("pgm", "curve", "ipc") if zmq.has(c)])
        return
    ctx = zmq.Context()
    SCENARIOS[scenario](ctx, role, endpoint, sys.argv[4:])
    ctx.term()


if __name__ == "__main__":
    main()
