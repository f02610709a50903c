/*
 * guard.h - the connection guard: a filter bufferevent between each client
 * socket and evhttp (evhttp_set_bevcb), one struct guard per worker.
 *
 * evhttp 2.1 cannot refuse a request from its headers before buffering its
 * body, restarts its timeout on every byte, caps nothing and answers what it
 * cannot parse with HTML. The guard reads each request head itself first and
 * hands evhttp only what evhttp then parses without error:
 *
 *   - connections are capped in all and per client address (connlimit.h;
 *     a trusted proxy has no per-address cap); one over a cap gets 503
 *     problem+json and is closed;
 *   - the whole head must arrive within http.header_timeout_s (from the
 *     connection's start, or from a later request's first byte) and the whole
 *     body within http.body_timeout_s of its head: 408 and close, however
 *     slowly the bytes trickle;
 *   - the head is checked (reqhead.h): 400, 401 (an oversized Authorization),
 *     414, 417, 431, 501, 505, all problem+json;
 *   - a head that announces a body is shown to the application (the check
 *     callback: route, credentials) before one byte of the body is read, and
 *     the body is held to the limit the callback gives (413), chunked or not.
 *
 * A refusal is written after the replies to earlier requests on the connection
 * and closes it (lingering briefly so the client reads it). The guard also
 * counts the requests dispatched and not yet fully answered, exactly: a
 * request whose client vanished is no longer counted once its connection is gone.
 *
 * Thread: a guard and its connections belong to one worker thread.
 */
#ifndef BURSAR_GUARD_H
#define BURSAR_GUARD_H

#include <stddef.h>
#include <stdint.h>

struct bufferevent;
struct cfg;
struct connlimit;
struct event_base;
struct evhttp_request;
struct problem;

/* What the check callback sees of a head that announces a body. */
struct guard_head {
	struct evhttp_request *req;              /* a stand-in holding the head's fields as its input
						  * headers (no connection, no URI); the guard's */
	unsigned method;                         /* HM_* (router.h) */
	const char *path;                        /* as evhttp will give it (not decoded) */
	const char *client;                      /* the peer's address */
	uint64_t length;                         /* Content-Length; 0 when chunked */
	int chunked;
	char allow[96];                          /* for a 405: the check writes Allow here */
};

/*
 * The application's verdict on a head with a body: 0 with *limit (the most body
 * bytes this route takes from this caller), or -1 with the problem set (its
 * allow may point at h->allow). Runs on the worker's thread, before the body.
 */
typedef int (*guard_check_fn)(void *arg, struct guard_head *h, size_t *limit, struct problem *p);
/* Whether a peer (its address as text) is a trusted proxy: no per-address cap for it. */
typedef int (*guard_trusted_fn)(void *arg, const char *client);

struct guard;

/*
 * A worker's guard on base. cl (borrowed, shared by the workers) counts the
 * connections; rid_prefix (copied) starts the request ids of the guard's own
 * replies. NULL: out of memory.
 */
struct guard *guard_new(struct event_base *base, struct connlimit *cl, const char *rid_prefix,
			guard_check_fn check, guard_trusted_fn trusted, void *check_arg);
/* Free it after evhttp_free and event_base_free of its base (connections call back into it). NULL ok. */
void guard_free(struct guard *g);
/*
 * Between evhttp_free and event_base_free of a stopped loop's base: runs the callbacks the
 * guarded connections still have queued, so that event_base_free frees every connection
 * (a cancelled queued callback keeps its bufferevent alive for ever).
 */
void guard_settle(struct event_base *base);
/* The configuration snapshot for connections and requests from now on (borrowed: keep it alive). */
void guard_configure(struct guard *g, const struct cfg *cfg);

/* For evhttp_set_bevcb(http, guard_bevcb, g): a guarded bufferevent for a new connection. */
struct bufferevent *guard_bevcb(struct event_base *base, void *arg);

/* A request reached the application: count it until its reply is written or its connection goes. */
void guard_request_begin(struct guard *g, struct evhttp_request *ev);
/* Requests dispatched and not yet answered in full. */
unsigned guard_inflight(const struct guard *g);
/* Connections this guard holds now. */
size_t guard_connections(const struct guard *g);

#endif
