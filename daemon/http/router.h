/*
 * router.h - the route table and path matching: method, path pattern with
 * {parameters}, allowed roles. Pure: no HTTP, no I/O; unit-tested directly.
 */
#ifndef BURSAR_ROUTER_H
#define BURSAR_ROUTER_H

#include <stddef.h>

enum http_method {
	HM_GET = 1 << 0, HM_HEAD = 1 << 1, HM_POST = 1 << 2, HM_PUT = 1 << 3,
	HM_PATCH = 1 << 4, HM_DELETE = 1 << 5, HM_OPTIONS = 1 << 6,
};

#define ROUTER_MAX_PARAMS 6
#define ROUTER_MAX_PARAM_LEN 64

struct req;
struct problem;
/* A handler replies and returns 0, or fills the problem and returns -1. */
typedef int (*route_handler)(struct req *r, struct problem *p);

struct route {
	unsigned method;                         /* one HM_* */
	const char *pattern;                     /* "/api/v1/schools/{urn}/years/{year}" */
	route_handler handler;
	unsigned roles;                          /* ROLE_* mask allowed; 0 = no token needed
						  * (and ROUTE_* flags, in bits no role uses) */
};

/* A flag in roles, not a role: the route takes bodies up to
 * http.max_csv_body_bytes (imports) from a caller its roles allow; every
 * other route's limit is http.max_body_bytes. */
#define ROUTE_LARGE_BODY (1u << 31)

struct route_match {
	const struct route *route;               /* NULL: no route for this method */
	unsigned allow;                          /* methods the path accepts (for 405) */
	size_t nparams;
	char names[ROUTER_MAX_PARAMS][32];
	char values[ROUTER_MAX_PARAMS][ROUTER_MAX_PARAM_LEN];
};

/*
 * Match path (no query string) against the table. Returns 0 with m->route set;
 * 1 when the path exists but not for this method (m->allow says which do);
 * -1 when no pattern matches (or a parameter is empty or longer than
 * ROUTER_MAX_PARAM_LEN - 1). HEAD matches GET routes.
 */
int router_match(const struct route *table, size_t n, unsigned method, const char *path,
		 struct route_match *m);

/*
 * A route table indexed for matching: each pattern split once into its
 * segments, so a path is split once and compared segment by segment with the
 * patterns of as many segments (router_match walks every pattern character by
 * character). NULL when out of memory or when a pattern is not whole segments
 * ("{name}" alone between slashes, at most ROUTER_MAX_SEGS of them), where
 * router_match is the fallback. The table must outlive the index.
 */
#define ROUTER_MAX_SEGS 12
struct router;
struct router *router_new(const struct route *table, size_t n);
void router_free(struct router *rt);

/* As router_match, on the indexed table (the same answers). */
int router_find(const struct router *rt, unsigned method, const char *path, struct route_match *m);

/* The value of a named parameter of a match, or NULL. */
const char *router_param(const struct route_match *m, const char *name);

/* "GET, HEAD, PUT" for an allow mask; returns the length. */
size_t router_allow_str(unsigned allow, char *buf, size_t len);

/* "GET" -> HM_GET; 0 if unknown. */
unsigned router_method_parse(const char *name);
const char *router_method_name(unsigned method);

#endif
