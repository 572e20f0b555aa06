/* The binding's per-message cost, measured deterministically: one thread
 * sends COUNT messages of SIZE bytes on an inproc PUSH, then receives them
 * on the PULL connected to it. Nothing waits, so no thread is woken and the
 * instruction count under callgrind is the same from run to run.
 *
 *   loop msg|value|bytes SIZE COUNT
 *
 * examples/perf/callgrind_loop.rs does exactly the same through the Rust
 * API, making the same libzmq calls:
 *   msg:   zmq_msg_copy of one payload into one reused message,
 *          zmq_msg_send of it (Rust: msg.copy_from(&mut payload),
 *          send(&mut msg));
 *   value: a new message per send, zmq_msg_init + zmq_msg_copy,
 *          zmq_msg_send, zmq_msg_close (Rust: send(payload.fast_copy()));
 *   bytes: zmq_send of one buffer (Rust: send(&[u8]));
 * and all receive the same way: zmq_msg_recv into one reused message and
 * zmq_msg_size (Rust: recv_msg_into, len), or, for bytes, zmq_recv into
 * one buffer (Rust: recv_into). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zmq.h>

static void check (int rc, const char *what)
{
    if (rc == -1) {
        printf ("error in %s: %s\n", what, zmq_strerror (zmq_errno ()));
        exit (1);
    }
}

int main (int argc, char *argv[])
{
    if (argc != 4) {
        printf ("usage: loop msg|value|bytes <message-size> <message-count>\n");
        return 1;
    }
    const int in_place = strcmp (argv[1], "msg") == 0;
    const int by_value = strcmp (argv[1], "value") == 0;
    const int msg_api = in_place || by_value;
    const size_t size = (size_t) atoi (argv[2]);
    const int count = atoi (argv[3]);
    const int unlimited = 0;

    void *ctx = zmq_ctx_new ();
    void *pull = zmq_socket (ctx, ZMQ_PULL);
    void *push = zmq_socket (ctx, ZMQ_PUSH);
    check (zmq_setsockopt (pull, ZMQ_RCVHWM, &unlimited, sizeof unlimited), "rcvhwm");
    check (zmq_setsockopt (push, ZMQ_SNDHWM, &unlimited, sizeof unlimited), "sndhwm");
    check (zmq_bind (pull, "inproc://loop"), "bind");
    check (zmq_connect (push, "inproc://loop"), "connect");

    char *buf = calloc (size ? size : 1, 1);
    zmq_msg_t payload, msg;
    check (zmq_msg_init_size (&payload, size), "zmq_msg_init_size");
    memset (zmq_msg_data (&payload), 0, size);
    zmq_msg_init (&msg);
    for (int i = 0; i != count; i++) {
        if (in_place) {
            check (zmq_msg_copy (&msg, &payload), "zmq_msg_copy");
            check (zmq_msg_send (&msg, push, 0), "zmq_msg_send");
        } else if (by_value) {
            zmq_msg_t fresh;
            zmq_msg_init (&fresh);
            check (zmq_msg_copy (&fresh, &payload), "zmq_msg_copy");
            check (zmq_msg_send (&fresh, push, 0), "zmq_msg_send");
            zmq_msg_close (&fresh);
        } else {
            check (zmq_send (push, buf, size, 0), "zmq_send");
        }
    }
    for (int i = 0; i != count; i++) {
        size_t got;
        if (msg_api) {
            check (zmq_msg_recv (&msg, pull, 0), "zmq_msg_recv");
            got = zmq_msg_size (&msg);
        } else {
            int rc = zmq_recv (pull, buf, size, 0);
            check (rc, "zmq_recv");
            got = (size_t) rc;
        }
        if (got != size) {
            printf ("message of incorrect size received\n");
            return 1;
        }
    }
    zmq_msg_close (&msg);
    zmq_msg_close (&payload);
    free (buf);
    zmq_close (push);
    zmq_close (pull);
    zmq_ctx_term (ctx);
    return 0;
}
