"""pyzmq's side of benches/curve_auth.sh: the same server as
examples/perf/curve_auth_server.rs, with pyzmq's ThreadAuthenticator.

    python pyzmq_curve_server.py <bind-endpoint> <certdir> <requests>
"""

import os
import sys

import zmq
import zmq.auth
from zmq.auth.thread import ThreadAuthenticator


def main():
    endpoint, certdir, requests = sys.argv[1], sys.argv[2], int(sys.argv[3])
    ctx = zmq.Context()
    auth = ThreadAuthenticator(ctx)
    auth.start()
    auth.allow("127.0.0.1")
    auth.configure_curve(domain="*", location=os.path.join(certdir, "clients"))
    public, secret = zmq.auth.load_certificate(os.path.join(certdir, "server.key_secret"))
    server = ctx.socket(zmq.ROUTER)
    server.curve_secretkey = secret
    server.curve_publickey = public
    server.curve_server = True
    server.bind(endpoint)
    print("ENDPOINT", server.getsockopt(zmq.LAST_ENDPOINT).decode(), flush=True)
    for _ in range(requests):
        server.send_multipart(server.recv_multipart())
    auth.stop()
    server.close()
    ctx.term()


if __name__ == "__main__":
    main()
