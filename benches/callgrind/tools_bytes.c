/* libzmq's inproc_thr and inproc_lat (perf/inproc_thr.cpp, inproc_lat.cpp:
 * the same sockets, endpoints, threads and loops) with the copying API,
 * zmq_send and zmq_recv on one buffer, instead of zmq_msg_t. It is the C
 * counterpart of the Rust tools' `ZMQ_PERF_API=bytes` (send(&[u8]),
 * recv_into), so that benches/callgrind.sh compares like with like: the
 * copies in and out are libzmq's, whoever calls them.
 *
 *   tools_bytes thr|lat <message-size> <message-count>
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zmq.h>

static int count;
static size_t size;

static void check (int rc, const char *what)
{
    if (rc == -1) {
        printf ("error in %s: %s\n", what, zmq_strerror (zmq_errno ()));
        exit (1);
    }
}

static void expect_size (int got)
{
    if ((size_t) got != size) {
        printf ("message of incorrect size received\n");
        exit (1);
    }
}

static void *thr_worker (void *ctx)
{
    void *s = zmq_socket (ctx, ZMQ_PUSH);
    check (zmq_connect (s, "inproc://thr_test"), "zmq_connect");
    char *buf = calloc (size ? size : 1, 1);
    for (int i = 0; i != count; i++)
        check (zmq_send (s, buf, size, 0), "zmq_send");
    free (buf);
    check (zmq_close (s), "zmq_close");
    return NULL;
}

static void *lat_worker (void *ctx)
{
    void *s = zmq_socket (ctx, ZMQ_REP);
    check (zmq_connect (s, "inproc://lat_test"), "zmq_connect");
    char *buf = calloc (size ? size : 1, 1);
    for (int i = 0; i != count; i++) {
        int got = zmq_recv (s, buf, size ? size : 1, 0);
        check (got, "zmq_recv");
        expect_size (got);
        check (zmq_send (s, buf, (size_t) got, 0), "zmq_send");
    }
    free (buf);
    check (zmq_close (s), "zmq_close");
    return NULL;
}

int main (int argc, char *argv[])
{
    if (argc != 4 || (strcmp (argv[1], "thr") != 0 && strcmp (argv[1], "lat") != 0)) {
        printf ("usage: tools_bytes thr|lat <message-size> <message-count>\n");
        return 1;
    }
    const int thr = strcmp (argv[1], "thr") == 0;
    size = (size_t) atoi (argv[2]);
    count = atoi (argv[3]);

    void *ctx = zmq_ctx_new ();
    void *s = zmq_socket (ctx, thr ? ZMQ_PULL : ZMQ_REQ);
    check (zmq_bind (s, thr ? "inproc://thr_test" : "inproc://lat_test"), "zmq_bind");
    pthread_t worker;
    if (pthread_create (&worker, NULL, thr ? thr_worker : lat_worker, ctx) != 0) {
        printf ("error in pthread_create\n");
        return 1;
    }
    char *buf = calloc (size ? size : 1, 1);
    void *watch;
    if (thr) {
        int got = zmq_recv (s, buf, size ? size : 1, 0);
        check (got, "zmq_recv");
        expect_size (got);
        watch = zmq_stopwatch_start ();
        for (int i = 1; i != count; i++) {
            got = zmq_recv (s, buf, size ? size : 1, 0);
            check (got, "zmq_recv");
            expect_size (got);
        }
    } else {
        watch = zmq_stopwatch_start ();
        for (int i = 0; i != count; i++) {
            check (zmq_send (s, buf, size, 0), "zmq_send");
            int got = zmq_recv (s, buf, size ? size : 1, 0);
            check (got, "zmq_recv");
            expect_size (got);
        }
    }
    unsigned long elapsed = zmq_stopwatch_stop (watch);
    pthread_join (worker, NULL);
    printf ("message size: %d [B]\nmessage count: %d\nelapsed: %lu [us]\n", (int) size, count,
            elapsed);
    free (buf);
    check (zmq_close (s), "zmq_close");
    check (zmq_ctx_term (ctx), "zmq_ctx_term");
    return 0;
}
