/*
 * server.h - the worker threads: one event_base, evhttp, SO_REUSEPORT listener
 * and MariaDB connection each, and the hand-over of configuration snapshots.
 *
 * Thread: server_* functions run on the main thread. A struct worker is touched
 * only by its own thread once started, except for the fields documented below.
 */
#ifndef BURSAR_SERVER_H
#define BURSAR_SERVER_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "router.h"

struct cfg;
struct db;
struct auth_cache;
struct metrics;
struct rcache;
struct route;
struct problem;
struct server;
struct plugins;

struct worker {
	struct server *srv;
	int index;
	pthread_t thread;
	struct event_base *base;
	struct evhttp *http;
	struct evhttp_bound_socket *bound;
	struct event *drain_timer;
	struct cfg *cfg;                         /* the snapshot in use (a reference) */
	const struct plugins *plugins;           /* the plugin registry: read-only, shared, the server's */
	struct db *db;
	struct auth_cache *auth;
	struct rcache *rcache;                   /* rendered hot reads */
	struct metrics *metrics;                 /* read by any thread (relaxed atomics) */
	uint64_t audit_gen;                      /* highest audit_log id seen */
	uint64_t write_gen;                      /* server_write_gen() when last checked */
	int64_t gen_checked_ms;
	unsigned inflight;                       /* replies not yet fully written */
	int draining;
	int64_t drain_deadline_ms;
	uint64_t request_seq;
	char rid_prefix[12];
};

/* Route table (routes.c). */
extern const struct route api_routes[];
extern const size_t api_nroutes;

/* Start the workers on the configured address and port. Refuses a port another
 * process already listens on. NULL on error (logged). Takes a reference to cfg.
 * plugins (borrowed; NULL = none) must outlive the server: free it after server_stop. */
struct server *server_start(struct cfg *cfg, const struct plugins *plugins);
/* The port actually bound (the configured one, or the ephemeral one for 0). */
int server_port(const struct server *s);
/* Hand a new validated snapshot to every worker; they switch at a request boundary. */
void server_reload(struct server *s, struct cfg *cfg);
/* Stop accepting, let in-flight requests finish up to http.drain_timeout_s, join. */
void server_stop(struct server *s);

/* For handlers: every worker's metrics. */
struct metrics *const *server_metrics(const struct server *s, size_t *n);

/* Any worker, after a successful write: every worker of this process drops its
 * caches before its next request (read-your-writes within one instance). */
void server_note_write(struct server *s);
uint64_t server_write_gen(const struct server *s);

/*
 * Revalidate the worker's caches: at once after a write in this process, and
 * against the audit log's highest id (other instances, the command line) at most
 * every cache.refresh_ms. 0 ok; -1 with the problem set (503).
 */
int worker_refresh(struct worker *w, struct problem *p) __attribute__((warn_unused_result));

int64_t server_now_ms(void);

#endif
