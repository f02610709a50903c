/*
 * dispatch.h - the request pipeline: route -> auth -> idempotency -> handler ->
 * exactly one reply -> metrics and access log.
 *
 * Every request gets exactly one reply: the handler's, or the problem it
 * returned, or a 500 when it returned 0 without replying. Requests and replies
 * themselves are http/http.c.
 *
 * Thread: runs on the worker's thread; touches only that worker.
 */
#ifndef BURSAR_DISPATCH_H
#define BURSAR_DISPATCH_H

#include <stddef.h>

#include <event2/http.h>

/* The evhttp callback: dispatch a request through the route table. arg is the
 * struct worker (api/worker.h). */
void dispatch_request(struct evhttp_request *ev, void *arg);

struct guard_head;
struct problem;
/*
 * The guard's check of a head that announces a body (http/guard.h,
 * guard_check_fn), before the body is read: the route (404, 405), the bearer
 * token and its role on routes that need one (401, 403, 503), and the body
 * limit: http.max_csv_body_bytes on a ROUTE_LARGE_BODY route for a caller it
 * allows, http.max_body_bytes everywhere else. arg is the struct worker.
 */
int dispatch_head_check(void *arg, struct guard_head *h, size_t *limit, struct problem *p);
/* The guard's question at a new connection (guard_trusted_fn): is the peer one of
 * http.trusted_proxies? arg is the struct worker. */
int dispatch_peer_trusted(void *arg, const char *client);

#endif
