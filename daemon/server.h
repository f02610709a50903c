/*
 * server.h - the worker threads: one event_base, evhttp, SO_REUSEPORT listener
 * and MariaDB connection each, and the hand-over of configuration snapshots.
 *
 * Thread: server_* functions run on the main thread. struct worker is in
 * api/worker.h (the handlers' context).
 */
#ifndef BURSAR_SERVER_H
#define BURSAR_SERVER_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "worker.h"

struct cfg;
struct db;
struct auth_cache;
struct metrics;
struct rcache;
struct route;
struct problem;
struct server;
struct plugins;

/* Start the workers on the configured address and port. Refuses a port another
 * process already listens on. NULL on error (logged). Takes a reference to cfg.
 * plugins (borrowed; NULL = none) must outlive the server: free it after server_stop. */
struct server *server_start(struct cfg *cfg, const struct plugins *plugins);
/* The port actually bound (the configured one, or the ephemeral one for 0). */
int server_port(const struct server *s);
/* Every worker's metrics (atomics: any thread may read them while the server runs). */
struct metrics *const *server_metrics(const struct server *s, size_t *n);
/* Hand a new validated snapshot to every worker; they switch at a request boundary. */
void server_reload(struct server *s, struct cfg *cfg);
/* Stop accepting, let in-flight requests finish up to http.drain_timeout_s, join. */
void server_stop(struct server *s);

#endif
