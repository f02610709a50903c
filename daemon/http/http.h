/*
 * http.h - requests and replies: the request context, and everything a handler
 * needs to answer: JSON, CSV and problem+json replies, ETags and conditional
 * requests (304), JSON bodies with their limits, path and query parameters,
 * headers, the request id.
 *
 * This is the transport only: what happens to a request (route, auth,
 * idempotency, metrics, access log) is api/dispatch.c, which fills the fields
 * below marked "dispatch" and may watch the replies (on_reply).
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

#include "identity.h"
#include "problem.h"
#include "router.h"

struct cfg;
struct db;
struct evbuffer;
struct idem;
struct worker;

struct req {
	struct evhttp_request *ev;
	struct worker *w;                        /* dispatch: the request's worker (api/worker.h) */
	const struct cfg *cfg;                   /* dispatch: the snapshot for this request */
	struct db *db;                           /* dispatch: the worker's connection */
	unsigned method;                         /* HM_* */
	const char *path;                        /* without the query string */
	struct evkeyvalq query;
	struct route_match match;                /* dispatch */
	struct identity id;                      /* dispatch: the bearer's */
	char request_id[72];
	char client[64];
	int status;                              /* sent status, for the access log */
	size_t sent_bytes;
	int64_t start_ns;
	struct idem *idem;                       /* dispatch: a POST's Idempotency-Key (api/idem.h) */
	/* dispatch: told of the reply before it is sent (body NULL: none; the body is
	 * the caller's; NULL: nobody listens), once. 0 sends it; -1 sends the problem
	 * in p instead (the reply's Content-Type, ETag and Location are dropped). */
	int (*on_reply)(struct req *r, int status, struct evbuffer *body, struct problem *p);
};

/*
 * Start a request from ev (r zeroed by the caller): method (0 if not one of
 * HM_*), path, client address, start time, an empty query. Pair with
 * http_req_end.
 */
void http_req_start(struct req *r, struct evhttp_request *ev);
/* Parse the query string into r->query: 0, or -1 with 400. */
int http_req_query(struct req *r, struct problem *p) __attribute__((warn_unused_result));
/* Release what http_req_start and http_req_query hold. */
void http_req_end(struct req *r);
/*
 * The request id: the client's X-Request-Id when it is 1 to 64 characters of
 * [A-Za-z0-9-_.:], else "<prefix>-<++*seq>".
 */
void http_request_id(struct req *r, const char *prefix, uint64_t *seq);
/* Nanoseconds since http_req_start (a monotonic clock). */
int64_t http_elapsed_ns(const struct req *r);

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
int http_reply_buffer(struct req *r, int status, const char *ctype, struct evbuffer *body, struct problem *p)
	__attribute__((warn_unused_result));
/* The same with the ETag "<version>-h<hash>" (a resource whose If-Match takes its
 * version: HTTP_IF_MATCH_HASHED), for version > 0. */
int http_reply_buffer_versioned(struct req *r, int status, const char *ctype, struct evbuffer *body,
				int64_t version, struct problem *p) __attribute__((warn_unused_result));
/* Reply with body (borrowed; its bytes are sent and it is left empty) of a given
 * content type and etag (NULL: none). Returns 0. */
int http_reply_evbuffer(struct req *r, int status, const char *ctype, struct evbuffer *body, const char *etag);
/* Reply with bytes of a given content type. Returns 0.
 * Every text/csv reply (here, http_reply_buffer, http_reply_evbuffer) starts with a
 * UTF-8 byte-order mark, added by the HTTP layer: Excel reads £ right only then. */
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

/* The If-Match forms beyond "<version>" (a quoted decimal version, up to about 10^9). */
enum {
	/* "<version>-h<hash>": an ETag over a version and the body's hash (a contract's,
	 * a service's); the version is what If-Match protects, the hash is not compared */
	HTTP_IF_MATCH_HASHED = 1 << 0,
};
/*
 * The one If-Match parser: the version in value (spaces around allowed) when it
 * is a strong ETag of ours in one of the forms (HTTP_IF_MATCH_* bits, 0: the
 * plain one). 0 with *version set (> 0 for the hashed form), or -1. Pure.
 */
int http_if_match_parse(const char *value, unsigned forms, int64_t *version)
	__attribute__((warn_unused_result));
/*
 * The version an update expects, from If-Match: 0 with *version set; -1 with
 * 428 when the header is missing (detail: missing, or a general one when NULL),
 * 412 when it is not a strong ETag of ours in one of the forms.
 */
int http_if_match_as(const struct req *r, unsigned forms, const char *missing, int64_t *version,
		     struct problem *p) __attribute__((warn_unused_result));
/* http_if_match_as(r, 0, NULL, version, p): the plain "<version>" ETag. */
int http_if_match(const struct req *r, int64_t *version, struct problem *p)
	__attribute__((warn_unused_result));

/*
 * The JSON body: checks Content-Type (415), size (413), syntax (400
 * "malformed-json" with line and column), numbers as JSON writes them (400
 * "malformed-json" for 012 or 1., 422 "validation" for one that is not 0 but would
 * be read as 0 or infinity, 1e-400; both naming the field: jsonv_numbers),
 * duplicate keys (400 "duplicate-key" with the pointer). Returns a tree the caller
 * frees, or NULL with the problem set.
 */
cJSON *http_read_json(struct req *r, struct problem *p) __attribute__((warn_unused_result));
/* The same with a limit of its own instead of http.max_body_bytes (the budget PUT's). */
cJSON *http_read_json_max(struct req *r, size_t limit, struct problem *p) __attribute__((warn_unused_result));

/* Whether the client asked for text/csv (Accept). */
int http_wants_csv(const struct req *r);

#endif
