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

#include <event2/http.h>

/* The evhttp callback: dispatch a request through the route table. arg is the
 * struct worker (api/worker.h). */
void dispatch_request(struct evhttp_request *ev, void *arg);

#endif
