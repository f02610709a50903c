/*
 * http.h - the request context and everything a handler needs to answer:
 * JSON and problem+json replies, ETags and conditional requests, JSON bodies
 * with their limits, query parameters, the audit/request identity.
 *
 * Thread: a struct req lives on its worker's stack for one callback. Replies
 * are sent synchronously; a handler sends exactly one reply or returns -1 with a
 * problem, which the dispatcher sends.
 */
#ifndef BURSAR_HTTP_H
#define BURSAR_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "auth.h"
#include "problem.h"
#include "router.h"

struct worker;
struct cfg;
struct db;

struct req {
	struct evhttp_request *ev;
	struct worker *w;
	const struct cfg *cfg;                   /* the snapshot for this request */
	struct db *db;
	unsigned method;                         /* HM_* */
	const char *path;                        /* without the query string */
	struct evkeyvalq query;
	struct route_match match;
	struct identity id;
	char request_id[72];
	char client[64];
	int status;                              /* sent status, for the access log */
	size_t sent_bytes;
	int64_t start_ns;
	/* POST Idempotency-Key (see api_txn): the key, the request's hash, whether
	 * this request claimed it, and a copy of the reply to store for replays (a
	 * handler may put another one there: http_idem_replay_problem). */
	const char *idem_key;
	unsigned char idem_hash[32];
	int idem_claimed;
	char *reply_copy;
	size_t reply_len;
	int reply_status;                        /* the status stored with reply_copy; 0: status */
};

/* The evhttp callback: dispatch a request through the route table. arg is the worker. */
void http_dispatch(struct evhttp_request *ev, void *arg);

/* A path parameter (from the route pattern) or NULL. */
const char *http_param(const struct req *r, const char *name);
/* A request header or NULL. */
const char *http_header(const struct req *r, const char *name);
/* A query parameter or NULL. */
const char *http_query(const struct req *r, const char *name);
/* 422 naming the first query parameter not in the NULL-terminated list. */
int http_query_allow(const struct req *r, const char *const *allowed, struct problem *p)
	__attribute__((warn_unused_result));

/*
 * Reply with a JSON body (borrowed; not freed). etag may be NULL (a strong,
 * already quoted ETag). Returns 0.
 */
int http_reply_json(struct req *r, int status, cJSON *body, const char *etag);
/* Reply 200 with the JSON body (borrowed) and a strong ETag over its bytes, or
 * 304 when If-None-Match matches. 0, or -1 with the problem set (out of memory). */
int http_reply_json_hashed(struct req *r, cJSON *body, struct problem *p)
	__attribute__((warn_unused_result));
/* Reply with body (borrowed; its bytes are sent and it is left empty) of a given
 * content type: http_reply_json_hashed for a reply built a piece at a time. 200
 * carries a strong ETag over the bytes (304 when If-None-Match matches); another
 * status (201 to a POST) none. 0, or -1 with the problem set (the hash failed). */
struct evbuffer;
int http_reply_buffer(struct req *r, int status, const char *ctype, struct evbuffer *body, struct problem *p)
	__attribute__((warn_unused_result));
/*
 * For a POST that claimed its Idempotency-Key and must not store its reply (it
 * holds a secret): a replay gets this problem instead (status, detail) of the
 * reply just sent. Call after replying. Out of memory: the reply is stored.
 */
void http_idem_replay_problem(struct req *r, int status, const char *detail);
/* Reply with bytes of a given content type. Returns 0. */
int http_reply_raw(struct req *r, int status, const char *ctype, const char *body, size_t len,
		   const char *etag);
/* 204 or 304 and such: no body. */
int http_reply_empty(struct req *r, int status, const char *etag);
/* The problem as application/problem+json; fills in defaults (500) if unset. */
void http_reply_problem(struct req *r, const struct problem *p);

/* A strong ETag for a version: "\"<version>\"" into buf (>= 24). */
const char *http_etag_version(char *buf, size_t len, int64_t version);
/* A strong ETag for bytes (SHA-256, truncated). buf >= 48. */
const char *http_etag_hash(char *buf, size_t len, const void *data, size_t n);
/* If If-None-Match matches etag, reply 304 and return 1; else 0. */
int http_not_modified(struct req *r, const char *etag);
/*
 * The version an update expects, from If-Match: 0 with *version set; -1 with
 * 428 when the header is missing, 412 when it is not a strong ETag of ours.
 */
int http_if_match(const struct req *r, int64_t *version, struct problem *p)
	__attribute__((warn_unused_result));

/*
 * The JSON body: checks Content-Type (415), size (413), syntax (400
 * "malformed-json" with line and column), duplicate keys (400 "duplicate-key"
 * with the pointer). Returns a tree the caller frees, or NULL with the problem set.
 */
cJSON *http_read_json(struct req *r, struct problem *p) __attribute__((warn_unused_result));

/* Whether the client asked for text/csv (Accept). */
int http_wants_csv(const struct req *r);

#endif
