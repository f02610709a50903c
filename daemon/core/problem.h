/*
 * problem.h - RFC 9457 problem details (application/problem+json).
 *
 * Handlers fill a struct problem and return -1; the router renders and sends it,
 * so every request gets an answer. Pure: no HTTP, no I/O.
 */
#ifndef BURSAR_PROBLEM_H
#define BURSAR_PROBLEM_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#define PROBLEM_MAX_ERRORS 50

struct problem_error {
	char field[128];                         /* JSON Pointer, "query:name", or "row 14, amount" */
	char message[256];
};

struct problem {
	int status;                              /* 0: not set */
	const char *slug;                        /* static string: "validation", "not-found", ... */
	const char *title;                       /* static string */
	char detail[512];
	int retry_after;                         /* seconds, 503 only; 0: none */
	const char *allow;                       /* 405 only: static "GET, PUT" */
	size_t nerrors;
	size_t nerrors_dropped;                  /* errors past PROBLEM_MAX_ERRORS */
	struct problem_error errors[PROBLEM_MAX_ERRORS];
};

/*
 * Make p behave exactly as a fresh `struct problem p = { 0 }`, cheaply: the status,
 * pointers and counts are cleared and detail emptied, but errors[] (~20 KB) is not
 * touched, as only errors[0..nerrors) is ever read and each is written whole.
 * Per-request code resets with this rather than memset (works on any contents).
 */
void problem_reset(struct problem *p);

/*
 * Set status, slug, title and detail (printf). Returns -1 so a handler can write
 * `return problem_set(p, 404, ...);`. A later call overwrites; errors are kept.
 */
int problem_set(struct problem *p, int status, const char *slug, const char *title,
		const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* 412 for a stale If-Match: "<what> is at version V, not W: GET it again" (what
 * from fmt: "scenario 12"). Returns -1. */
int problem_stale(struct problem *p, int64_t version, int64_t want, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* 412 for a row that moved under a versioned write: "<what> changed while it was
 * being <doing>" ("updated", "deleted"). Returns -1. */
int problem_changed(struct problem *p, const char *doing, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Shorthands with the standard slug and title; all return -1. */
int problem_bad_request(struct problem *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int problem_not_found(struct problem *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int problem_forbidden(struct problem *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int problem_conflict(struct problem *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int problem_internal(struct problem *p);
int problem_unavailable(struct problem *p, int retry_after);

/* Add a field error (does not change status). Returns -1. */
int problem_field(struct problem *p, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* When errors were added and no status was set: 422 "validation". Returns -1 if any. */
int problem_validation_done(struct problem *p);

/* Render as a cJSON object (caller frees). instance may be NULL. */
cJSON *problem_to_json(const struct problem *p, const char *instance);

/* The catalogue of slugs, for README and openapi.json checks: NULL-terminated. */
extern const char *const problem_slugs[];

#endif
