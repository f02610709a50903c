/*
 * ops.h - the operations listener: /healthz, /readyz and /metrics on their own
 * address (ops.address, ops.port), served by a thread of their own.
 *
 * Why a thread of its own: the workers block in Connector/C while the database
 * is slow, and every connection the kernel gives a blocked worker waits with it.
 * This thread never touches the workers' connections: /healthz answers from
 * memory, /readyz pings through a connection of its own (with the configured
 * connect and read timeouts), /metrics sums the workers' counters (atomics). It
 * also keeps /metrics off the API port: put ops.address on loopback or a
 * management network, out of the proxy's reach. Every error is problem+json.
 *
 * Thread: ops_open, ops_run and ops_stop run on the main thread.
 */
#ifndef BURSAR_OPS_H
#define BURSAR_OPS_H

struct cfg;
struct server;
struct ops;

/*
 * Bind the listener when cfg->ops_address is set (NULL and no error otherwise:
 * *err stays 0), before the workers start answering, so a probe that sees the API
 * up finds the ops port listening too (connections wait in the backlog until
 * ops_run). Takes a reference to cfg. On error NULL with *err = 1 (logged).
 */
struct ops *ops_open(struct cfg *cfg, int *err);
/* Serve, on a thread of its own, with the server's workers (srv, borrowed: it must
 * outlive o). 0, or -1 (logged; ops_stop frees o). */
int ops_run(struct ops *o, const struct server *srv);
/* The port actually bound. */
int ops_port(const struct ops *o);
/* Stop the thread and free everything; NULL ok. */
void ops_stop(struct ops *o);

#endif
