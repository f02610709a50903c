/* problem.c - see problem.h */
#include "problem.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/*
 * The catalogue: every slug the daemon sends, with its status and title. One
 * list expanded twice, so problem_slugs[] cannot drift from the titles. The
 * first entry for a status is that status's generic slug.
 */
#define PROBLEM_CATALOGUE(X)                                             \
	X(400, "bad-request", "Bad request")                             \
	X(400, "malformed-json", "Malformed JSON")                       \
	X(400, "duplicate-key", "Duplicate key")                         \
	X(401, "unauthorized", "Unauthorized")                           \
	X(401, "signin-failed", "Sign-in failed")                        \
	X(403, "forbidden", "Forbidden")                                 \
	X(403, "csrf", "Forbidden")                                      \
	X(404, "not-found", "Not found")                                 \
	X(405, "method-not-allowed", "Method not allowed")               \
	X(408, "request-timeout", "Request timeout")                     \
	X(409, "conflict", "Conflict")                                   \
	X(409, "period-closed", "Period closed")                         \
	X(409, "profile-in-use", "Profile in use")                       \
	X(409, "profile-builtin", "Profile cannot change")               \
	X(412, "precondition-failed", "Precondition failed")             \
	X(413, "payload-too-large", "Payload too large")                 \
	X(414, "uri-too-long", "URI too long")                           \
	X(415, "unsupported-media-type", "Unsupported media type")       \
	X(417, "expectation-failed", "Expectation failed")               \
	X(422, "validation", "Validation failed")                        \
	X(422, "idempotency-key-reused", "Idempotency key reused")       \
	X(428, "precondition-required", "Precondition required")         \
	X(429, "too-many-attempts", "Too many failed sign-ins")          \
	X(431, "header-too-large", "Request header fields too large")    \
	X(500, "internal", "Internal error")                             \
	X(501, "not-implemented", "Not implemented")                     \
	X(503, "unavailable", "Service unavailable")                     \
	X(505, "http-version-not-supported", "HTTP version not supported")

#define PROBLEM_ENTRY(status, slug, title) { status, slug, title },
#define PROBLEM_SLUG(status, slug, title) slug,

static const struct {
	int status;
	const char *slug;
	const char *title;
} problem_catalogue[] = {
	PROBLEM_CATALOGUE(PROBLEM_ENTRY)
};

#define PROBLEM_NCATALOGUE (sizeof(problem_catalogue) / sizeof(problem_catalogue[0]))

const char *const problem_slugs[] = {
	PROBLEM_CATALOGUE(PROBLEM_SLUG)
	NULL
};

/* The first catalogue entry for a status (its generic slug), or NULL. */
static const char *problem_std_slug(int status)
{
	for (size_t i = 0; i < PROBLEM_NCATALOGUE; i++)
		if (problem_catalogue[i].status == status)
			return problem_catalogue[i].slug;
	return NULL;
}

static const char *problem_std_title(const char *slug)
{
	for (size_t i = 0; i < PROBLEM_NCATALOGUE; i++)
		if (strcmp(problem_catalogue[i].slug, slug) == 0)
			return problem_catalogue[i].title;
	return NULL;
}

static size_t problem_utf8_len(unsigned char lead)
{
	if (lead >= 0xF0)
		return 4;
	if (lead >= 0xE0)
		return 3;
	if (lead >= 0xC0)
		return 2;
	return 1;
}

/*
 * The longest prefix of buf[0..len) that does not end inside a UTF-8 sequence:
 * back up over continuation bytes to the last lead byte and drop it if its
 * sequence runs past len.
 */
static size_t problem_utf8_cut(const char *buf, size_t len)
{
	size_t i = len;

	while (i > 0 && ((unsigned char)buf[i - 1] & 0xC0) == 0x80)
		i--;
	if (i > 0 && i - 1 + problem_utf8_len((unsigned char)buf[i - 1]) > len)
		return i - 1;
	return len;
}

/*
 * vsnprintf cuts at a byte, which can split a UTF-8 sequence and make the JSON
 * invalid. When the text did not fit, cut at a character boundary and end with
 * "..." so a reader can tell it was cut. size >= 1.
 */
static void problem_vformat(char *buf, size_t size, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

static void problem_vformat(char *buf, size_t size, const char *fmt, va_list ap)
{
	size_t len;
	int n;

	if (fmt == NULL) {
		buf[0] = '\0';
		return;
	}
	n = vsnprintf(buf, size, fmt, ap);
	if (n < 0) {
		buf[0] = '\0';
		return;
	}
	if ((size_t)n < size)
		return;
	if (size < 4) {
		buf[problem_utf8_cut(buf, size - 1)] = '\0';
		return;
	}
	len = problem_utf8_cut(buf, size - 4);
	memcpy(buf + len, "...", 4);
}

static void problem_format(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void problem_format(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	problem_vformat(buf, size, fmt, ap);
	va_end(ap);
}

static void problem_vset(struct problem *p, int status, const char *slug, const char *title,
			 const char *fmt, va_list ap) __attribute__((format(printf, 5, 0)));

static void problem_vset(struct problem *p, int status, const char *slug, const char *title,
			 const char *fmt, va_list ap)
{
	/* A NULL slug or title means the catalogue's for that status or slug. */
	if (slug == NULL)
		slug = problem_std_slug(status);
	if (title == NULL && slug != NULL)
		title = problem_std_title(slug);
	p->status = status;
	p->slug = slug;
	p->title = title;
	problem_vformat(p->detail, sizeof(p->detail), fmt, ap);
}

void problem_reset(struct problem *p)
{
	p->status = 0;
	p->slug = NULL;
	p->title = NULL;
	p->detail[0] = '\0';
	p->retry_after = 0;
	p->allow = NULL;
	p->nerrors = 0;
	p->nerrors_dropped = 0;
}

int problem_set(struct problem *p, int status, const char *slug, const char *title,
		const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	problem_vset(p, status, slug, title, fmt, ap);
	va_end(ap);
	return -1;
}

int problem_stale(struct problem *p, int64_t version, int64_t want, const char *fmt, ...)
{
	char what[200];
	va_list ap;

	va_start(ap, fmt);
	problem_vformat(what, sizeof(what), fmt, ap);
	va_end(ap);
	return problem_set(p, 412, "precondition-failed", "Precondition failed",
			   "%s is at version %lld, not %lld: GET it again", what, (long long)version, (long long)want);
}

int problem_changed(struct problem *p, const char *doing, const char *fmt, ...)
{
	char what[200];
	va_list ap;

	va_start(ap, fmt);
	problem_vformat(what, sizeof(what), fmt, ap);
	va_end(ap);
	return problem_set(p, 412, "precondition-failed", "Precondition failed",
			   "%s changed while it was being %s", what, doing);
}

int problem_bad_request(struct problem *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	problem_vset(p, 400, "bad-request", "Bad request", fmt, ap);
	va_end(ap);
	return -1;
}

int problem_not_found(struct problem *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	problem_vset(p, 404, "not-found", "Not found", fmt, ap);
	va_end(ap);
	return -1;
}

int problem_forbidden(struct problem *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	problem_vset(p, 403, "forbidden", "Forbidden", fmt, ap);
	va_end(ap);
	return -1;
}

int problem_conflict(struct problem *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	problem_vset(p, 409, "conflict", "Conflict", fmt, ap);
	va_end(ap);
	return -1;
}

int problem_internal(struct problem *p)
{
	/* The cause is logged where it happened; the client learns nothing more. */
	return problem_set(p, 500, "internal", "Internal error",
			   "The server could not complete the request.");
}

int problem_unavailable(struct problem *p, int retry_after)
{
	problem_set(p, 503, "unavailable", "Service unavailable",
		    "The service is temporarily unavailable; try again later.");
	p->retry_after = retry_after > 0 ? retry_after : 0;
	return -1;
}

int problem_field(struct problem *p, const char *field, const char *fmt, ...)
{
	struct problem_error *e;
	va_list ap;

	if (p->nerrors >= PROBLEM_MAX_ERRORS) {
		p->nerrors_dropped++;
		return -1;
	}
	e = &p->errors[p->nerrors++];
	problem_format(e->field, sizeof(e->field), "%s", field != NULL ? field : "");
	va_start(ap, fmt);
	problem_vformat(e->message, sizeof(e->message), fmt, ap);
	va_end(ap);
	return -1;
}

int problem_validation_done(struct problem *p)
{
	size_t n = p->nerrors + p->nerrors_dropped;

	if (n == 0)
		return 0;
	if (p->status == 0)
		problem_set(p, 422, "validation", "Validation failed", "%zu %s invalid",
			    n, n == 1 ? "field is" : "fields are");
	return -1;
}

cJSON *problem_to_json(const struct problem *p, const char *instance)
{
	char type[160], detail[sizeof(p->detail) + 64];
	const char *slug, *title;
	int status = p->status;
	cJSON *o, *errs, *e, *res = NULL;

	/* A problem nobody set is a bug in the handler: report it as one. */
	if (status == 0)
		status = 500;
	slug = p->slug;
	if (slug == NULL)
		slug = problem_std_slug(status);
	if (slug == NULL)
		slug = status >= 500 ? "internal" : "bad-request";
	title = p->title;
	if (title == NULL)
		title = problem_std_title(slug);
	if (title == NULL)
		title = slug;
	snprintf(type, sizeof(type), "/problems/%s", slug);
	if (p->nerrors_dropped > 0)
		problem_format(detail, sizeof(detail), "%s%sshowing %zu, and %zu more",
			       p->detail, p->detail[0] != '\0' ? "; " : "",
			       p->nerrors, p->nerrors_dropped);
	else
		problem_format(detail, sizeof(detail), "%s", p->detail[0] != '\0' ? p->detail : title);

	if ((o = cJSON_CreateObject()) == NULL)
		return NULL;
	if (cJSON_AddStringToObject(o, "type", type) == NULL ||
	    cJSON_AddStringToObject(o, "title", title) == NULL ||
	    cJSON_AddNumberToObject(o, "status", status) == NULL ||
	    cJSON_AddStringToObject(o, "detail", detail) == NULL)
		goto out;
	if (instance != NULL && cJSON_AddStringToObject(o, "instance", instance) == NULL)
		goto out;
	if (p->nerrors > 0) {
		if ((errs = cJSON_AddArrayToObject(o, "errors")) == NULL)
			goto out;
		for (size_t i = 0; i < p->nerrors && i < PROBLEM_MAX_ERRORS; i++) {
			if ((e = cJSON_CreateObject()) == NULL)
				goto out;
			if (!cJSON_AddItemToArray(errs, e)) {
				cJSON_Delete(e);
				goto out;
			}
			if (cJSON_AddStringToObject(e, "field", p->errors[i].field) == NULL ||
			    cJSON_AddStringToObject(e, "message", p->errors[i].message) == NULL)
				goto out;
		}
	}
	res = o;
	o = NULL;
out:
	cJSON_Delete(o);
	return res;
}
