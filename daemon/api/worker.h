/*
 * worker.h - a worker thread's context, as the request pipeline and the handlers
 * see it: its configuration snapshot, database connection, caches and metrics.
 *
 * Thread: a struct worker is touched only by its own thread once started, except
 * where a field says otherwise. struct worker_shared belongs to the server
 * (daemon/server.c) and is shared by all its workers through atomics.
 */
#ifndef BURSAR_WORKER_H
#define BURSAR_WORKER_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

struct cfg;
struct db;
struct auth_cache;
struct metrics;
struct rcache;
struct schoolmap;
struct static_site;
struct problem;
struct guard;
struct plugins;

struct connlimit;

struct worker_shared {
	uint64_t write_gen;                      /* atomic: bumped after every write */
	struct connlimit *conns;                 /* open connections, capped (http/connlimit.h; locked) */
	size_t nworkers;
	struct metrics **metrics;                /* every worker's, read by any thread (relaxed atomics) */
};

struct worker {
	struct worker_shared *shared;           /* the server's: shared by its workers */
	int index;
	pthread_t thread;
	struct event_base *base;
	struct evhttp *http;
	struct evhttp_bound_socket *bound;
	struct event *drain_timer;
	struct event *accept_timer;              /* resumes accepting after accept() failed */
	struct guard *guard;                     /* the connections (http/guard.h); counts in-flight requests */
	struct cfg *cfg;                         /* the snapshot in use (a reference) */
	const struct plugins *plugins;           /* the plugin registry: read-only, shared, the server's */
	struct db *db;
	struct auth_cache *auth;
	struct rcache *rcache;                   /* rendered hot reads */
	struct schoolmap *schools;               /* URN -> school id */
	struct static_site *web;                 /* the web app's files (a reference; swapped on reload) */
	struct metrics *metrics;                 /* read by any thread (relaxed atomics) */
	uint64_t audit_gen;                      /* highest audit_log id seen */
	uint64_t write_gen;                      /* shared->write_gen when last checked */
	int64_t gen_checked_ms;
	int draining;
	int64_t drain_deadline_ms;
	uint64_t request_seq;
	char rid_prefix[12];
};

/* After a successful write: every worker of this process drops its caches before
 * its next request (read-your-writes within one instance). */
void worker_note_write(struct worker *w);

/* Every worker's metrics (for /metrics). */
struct metrics *const *worker_metrics(const struct worker *w, size_t *n);

/*
 * Revalidate the worker's caches: at once after a write in this process, and
 * against the audit log's highest id (other instances, the command line) at most
 * every cache.refresh_ms. 0 ok; -1 with the problem set (503).
 */
int worker_refresh(struct worker *w, struct problem *p) __attribute__((warn_unused_result));

/* A monotonic clock in milliseconds. */
int64_t worker_now_ms(void);

#endif
