/* http.c - see http.h */
#include "http.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <event2/buffer.h>
#include <event2/http.h>
#include <sys/queue.h>

#include <event2/keyvalq_struct.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "config.h"
#include "jsonout.h"
#include "jsonv.h"
#include "log.h"
#include "sha256.h"
#include "utf8.h"

static int64_t http_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static unsigned http_method_of(enum evhttp_cmd_type cmd)
{
	switch (cmd) {
	case EVHTTP_REQ_GET: return HM_GET;
	case EVHTTP_REQ_HEAD: return HM_HEAD;
	case EVHTTP_REQ_POST: return HM_POST;
	case EVHTTP_REQ_PUT: return HM_PUT;
	case EVHTTP_REQ_PATCH: return HM_PATCH;
	case EVHTTP_REQ_DELETE: return HM_DELETE;
	case EVHTTP_REQ_OPTIONS: return HM_OPTIONS;
	default: return 0;
	}
}

const char *http_param(const struct req *r, const char *name)
{
	return router_param(&r->match, name);
}

const char *http_header(const struct req *r, const char *name)
{
	return evhttp_find_header(evhttp_request_get_input_headers(r->ev), name);
}

const char *http_query(const struct req *r, const char *name)
{
	return evhttp_find_header(&r->query, name);
}

int http_query_allow(const struct req *r, const char *const *allowed, struct problem *p)
{
	const struct evkeyval *kv;

	TAILQ_FOREACH(kv, &r->query, next) {
		size_t i = 0;

		while (allowed[i] != NULL && strcmp(allowed[i], kv->key) != 0)
			i++;
		if (allowed[i] == NULL) {
			char field[128];

			snprintf(field, sizeof(field), "query:%.100s", kv->key);
			problem_field(p, field, "unknown query parameter");
		}
	}
	return problem_validation_done(p);
}

static void http_common_headers(struct req *r, const char *ctype, const char *etag)
{
	struct evkeyvalq *h = evhttp_request_get_output_headers(r->ev);

	evhttp_add_header(h, "X-Request-Id", r->request_id);
	if (ctype != NULL)
		evhttp_add_header(h, "Content-Type", ctype);
	if (etag != NULL)
		evhttp_add_header(h, "ETag", etag);
	if (r->method == HM_GET || r->method == HM_HEAD)
		evhttp_add_header(h, "Cache-Control", "private, no-cache");
}

static const char *http_reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 204: return "No Content";
	case 304: return "Not Modified";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 412: return "Precondition Failed";
	case 413: return "Content Too Large";
	case 415: return "Unsupported Media Type";
	case 422: return "Unprocessable Content";
	case 428: return "Precondition Required";
	case 503: return "Service Unavailable";
	default: return status >= 500 ? "Internal Server Error" : "Error";
	}
}

static void http_send(struct req *r, int status, struct evbuffer *body)
{
	int (*hook)(struct req *, int, struct evbuffer *, struct problem *) = r->on_reply;

	r->on_reply = NULL;
	if (hook != NULL) {
		struct problem p;

		problem_reset(&p);
		if (hook(r, status, body, &p) != 0) {
			struct evkeyvalq *h = evhttp_request_get_output_headers(r->ev);

			/* the reply described what did not happen: the problem replaces it */
			evhttp_remove_header(h, "Content-Type");
			evhttp_remove_header(h, "ETag");
			evhttp_remove_header(h, "Location");
			evhttp_remove_header(h, "X-Request-Id");
			http_reply_problem(r, &p);
			return;
		}
	}
	r->status = status;
	r->sent_bytes = body != NULL ? evbuffer_get_length(body) : 0;
	if (r->method == HM_HEAD && body != NULL) {
		/* evhttp 2.1 would send the body after a HEAD reply's headers: send
		 * the length the GET would have, and no body */
		char len[24];

		snprintf(len, sizeof(len), "%zu", r->sent_bytes);
		evhttp_add_header(evhttp_request_get_output_headers(r->ev), "Content-Length", len);
		r->sent_bytes = 0;
		body = NULL;
	}
	evhttp_send_reply(r->ev, status, http_reason(status), body);
}

/*
 * Every CSV bursar sends starts with a UTF-8 byte-order mark, added here once:
 * Excel reads a CSV without one as Windows-1252 (and turns £ into Â£); every
 * import reads it with or without. 0, or -1 when out of memory.
 */
static int http_csv_bom(const char *ctype, struct evbuffer *b)
{
	static const char bom[] = "\xEF\xBB\xBF";

	if (ctype == NULL || strncasecmp(ctype, "text/csv", 8) != 0)
		return 0;
	return evbuffer_prepend(b, bom, sizeof(bom) - 1);
}

int http_reply_raw(struct req *r, int status, const char *ctype, const char *body, size_t len,
		   const char *etag)
{
	struct evbuffer *b = evbuffer_new();

	http_common_headers(r, ctype, etag);
	if (b == NULL || evbuffer_add(b, body, len) != 0 || http_csv_bom(ctype, b) != 0) {
		evbuffer_free(b);
		log_err("http: out of memory for a reply");
		http_send(r, 500, NULL);
		return 0;
	}
	http_send(r, status, b);
	evbuffer_free(b);
	return 0;
}

int http_reply_evbuffer(struct req *r, int status, const char *ctype, struct evbuffer *body, const char *etag)
{
	http_common_headers(r, ctype, etag);
	if (http_csv_bom(ctype, body) != 0) {
		log_err("http: out of memory for a reply");
		http_send(r, 500, NULL);
		return 0;
	}
	http_send(r, status, body);
	return 0;
}

int http_reply_json(struct req *r, int status, cJSON *body, const char *etag)
{
	char *s = jsonout_print(body);

	if (s == NULL) {
		struct problem p = { 0 };

		log_err("http: cannot render a JSON reply");
		problem_internal(&p);
		http_reply_problem(r, &p);
		return 0;
	}
	http_reply_raw(r, status, "application/json; charset=utf-8", s, strlen(s), etag);
	cJSON_free(s);
	return 0;
}

int http_reply_json_hashed(struct req *r, cJSON *body, struct problem *p)
{
	char *text = jsonout_print(body);
	struct evbuffer *b = text != NULL ? evbuffer_new() : NULL;
	int rc;

	if (b == NULL || evbuffer_add(b, text, strlen(text)) != 0) {
		log_err("http: cannot render a JSON reply");
		rc = problem_internal(p);
	} else {
		rc = http_reply_buffer(r, 200, "application/json; charset=utf-8", b, p);
	}
	if (b != NULL)
		evbuffer_free(b);
	cJSON_free(text);
	return rc;
}

int http_reply_empty(struct req *r, int status, const char *etag)
{
	http_common_headers(r, NULL, etag);
	http_send(r, status, NULL);
	return 0;
}

void http_reply_problem(struct req *r, const struct problem *p)
{
	struct evkeyvalq *h = evhttp_request_get_output_headers(r->ev);
	cJSON *j = problem_to_json(p, r->path);
	char *s = j != NULL ? cJSON_PrintUnformatted(j) : NULL;
	int status = p->status != 0 ? p->status : 500;
	char num[16];

	if (status == 401)
		evhttp_add_header(h, "WWW-Authenticate", "Bearer realm=\"bursar\"");
	if (status == 405 && p->allow != NULL)
		evhttp_add_header(h, "Allow", p->allow);
	if (status == 503 || p->retry_after > 0) {
		snprintf(num, sizeof(num), "%d", p->retry_after > 0 ? p->retry_after : 1);
		evhttp_add_header(h, "Retry-After", num);
	}
	if (s == NULL) {
		static const char fallback[] = "{\"type\":\"/problems/internal\",\"title\":\"Internal error\",\"status\":500}";

		/* out of memory: a constant body is all that is left */
		http_reply_raw(r, 500, "application/problem+json", fallback, sizeof(fallback) - 1, NULL);
	} else {
		http_reply_raw(r, status, "application/problem+json", s, strlen(s), NULL);
	}
	cJSON_free(s);
	cJSON_Delete(j);
}

const char *http_etag_version(char *buf, size_t len, int64_t version)
{
	snprintf(buf, len, "\"%lld\"", (long long)version);
	return buf;
}

/* "h" and the first 16 bytes of a SHA-256 in hex, quoted: a strong ETag (buf >= 36). */
static const char *http_etag_format(char *buf, size_t len, const unsigned char *md)
{
	size_t o = 0;

	if (len < 36) {
		snprintf(buf, len, "\"0\"");
		return buf;
	}
	buf[o++] = '"';
	buf[o++] = 'h';
	for (size_t i = 0; i < 16 && o + 3 < len; i++)
		o += (size_t)snprintf(buf + o, len - o, "%02x", md[i]);
	buf[o++] = '"';
	buf[o] = '\0';
	return buf;
}

const char *http_etag_hash(char *buf, size_t len, const void *data, size_t n)
{
	unsigned char md[SHA256_LEN];

	if (sha256(data, n, md) != 0) {
		snprintf(buf, len, "\"0\"");
		return buf;
	}
	return http_etag_format(buf, len, md);
}

int http_not_modified(struct req *r, const char *etag)
{
	const char *inm = http_header(r, "If-None-Match");
	size_t el = strlen(etag);

	if (inm == NULL)
		return 0;
	for (const char *s = inm; *s != '\0';) {
		size_t n;

		while (*s == ' ' || *s == ',' || *s == '\t')
			s++;
		if (strncmp(s, "W/", 2) == 0)        /* If-None-Match compares weakly */
			s += 2;
		n = strcspn(s, ",");
		while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
			n--;
		if ((n == 1 && *s == '*') || (n == el && memcmp(s, etag, n) == 0)) {
			http_reply_empty(r, 304, etag);
			return 1;
		}
		s += n;
		while (*s != '\0' && *s != ',')
			s++;
	}
	return 0;
}

int http_reply_buffer(struct req *r, int status, const char *ctype, struct evbuffer *body, struct problem *p)
{
	return http_reply_buffer_versioned(r, status, ctype, body, 0, p);
}

int http_reply_buffer_versioned(struct req *r, int status, const char *ctype, struct evbuffer *body,
				int64_t version, struct problem *p)
{
	struct evbuffer_iovec v[64];
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	unsigned char h[32];
	unsigned int hl = 0;
	char hash[48], etag[72];
	size_t o = 0;
	struct evbuffer_ptr at;
	int ok = md != NULL && EVP_DigestInit_ex(md, sha256_md(), NULL) == 1;

	if (http_csv_bom(ctype, body) != 0)
		ok = 0;
	/* the body's chains hashed in place (a large body is not copied to be hashed) */
	evbuffer_ptr_set(body, &at, 0, EVBUFFER_PTR_SET);
	while (ok) {
		int n = evbuffer_peek(body, -1, &at, v, 64);

		if (n <= 0)
			break;
		for (int i = 0; ok && i < n && i < 64; i++) {
			ok = EVP_DigestUpdate(md, v[i].iov_base, v[i].iov_len) == 1;
			o += v[i].iov_len;
		}
		if (n <= 64 || evbuffer_ptr_set(body, &at, o, EVBUFFER_PTR_SET) != 0)
			break;
	}
	ok = ok && EVP_DigestFinal_ex(md, h, &hl) == 1 && hl == sizeof(h);
	EVP_MD_CTX_free(md);
	if (!ok) {
		log_err("http: cannot hash a reply");
		return problem_internal(p);
	}
	http_etag_format(hash, sizeof(hash), h);
	if (version > 0)
		snprintf(etag, sizeof(etag), "\"%lld-%s", (long long)version, hash + 1);
	else
		snprintf(etag, sizeof(etag), "%s", hash);
	if (status == 200 && http_not_modified(r, etag))
		return 0;
	http_common_headers(r, ctype, status == 200 ? etag : NULL);
	http_send(r, status, body);
	return 0;
}

int http_if_match_parse(const char *value, unsigned forms, int64_t *version)
{
	const char *s = value;
	int64_t v = 0;

	while (*s == ' ')
		s++;
	if (*s++ != '"' || !isdigit((unsigned char)*s))
		return -1;
	while (isdigit((unsigned char)*s)) {
		if (v > 100000000)
			return -1;
		v = v * 10 + (*s++ - '0');
	}
	if ((forms & HTTP_IF_MATCH_HASHED) && s[0] == '-' && s[1] == 'h') {
		if (v <= 0 || strchr(s + 2, '"') == NULL)
			return -1;
		*version = v;
		return 0;
	}
	if (*s++ != '"')
		return -1;
	while (*s == ' ')
		s++;
	if (*s != '\0')
		return -1;
	*version = v;
	return 0;
}

int http_if_match_as(const struct req *r, unsigned forms, const char *missing, int64_t *version,
		     struct problem *p)
{
	const char *im = http_header(r, "If-Match");

	if (im == NULL)
		return problem_set(p, 428, "precondition-required", "Precondition required", "%s",
				   missing != NULL ? missing :
				   "this update needs If-Match with the ETag from your last GET");
	if (http_if_match_parse(im, forms, version) != 0)
		return problem_set(p, 412, "precondition-failed", "Precondition failed",
				   "If-Match %s does not match the current version", im);
	return 0;
}

int http_if_match(const struct req *r, int64_t *version, struct problem *p)
{
	return http_if_match_as(r, 0, NULL, version, p);
}

/* A \u0000 escape (not itself escaped): cJSON would cut the string there. */
static int http_has_nul_escape(const char *s, size_t n)
{
	for (size_t i = 0; i + 6 <= n; i++) {
		size_t k = 0;

		if (s[i] != '\\' || s[i + 1] != 'u' || memcmp(s + i + 2, "0000", 4) != 0)
			continue;
		while (k < i && s[i - 1 - k] == '\\')
			k++;
		if (k % 2 == 0)
			return 1;
	}
	return 0;
}


static int http_key_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * A key of obj that appears twice, or NULL. Pairwise for a few keys; sorted
 * otherwise: pairwise, one body of 100,000 distinct keys is 5e9 comparisons for
 * a worker. "" (no memory) counts as a duplicate (refused).
 */
static const char *http_duplicate_key(const cJSON *obj)
{
	const cJSON *a, *b;
	const char **keys, *dup = NULL;
	size_t n = 0;

	for (a = obj->child; a != NULL && n <= 16; a = a->next)
		n++;
	if (n <= 16) {
		for (a = obj->child; a != NULL; a = a->next)
			for (b = a->next; b != NULL; b = b->next)
				if (strcmp(a->string, b->string) == 0)
					return a->string;
		return NULL;
	}
	for (a = obj->child, n = 0; a != NULL; a = a->next)
		n++;
	if ((keys = malloc(n * sizeof(*keys))) == NULL)
		return "";
	n = 0;
	for (a = obj->child; a != NULL; a = a->next)
		keys[n++] = a->string;
	qsort(keys, n, sizeof(*keys), http_key_cmp);
	for (size_t i = 1; i < n && dup == NULL; i++)
		if (strcmp(keys[i - 1], keys[i]) == 0)
			dup = keys[i];
	free(keys);
	return dup;
}

/* Find a duplicate key anywhere in the tree; writes its pointer. 1 if found. */
static int http_find_duplicate(const cJSON *node, char *ptr, size_t len, size_t off)
{
	const cJSON *a;
	size_t idx = 0;

	if (cJSON_IsObject(node)) {
		const char *dup = http_duplicate_key(node);

		if (dup != NULL) {
			jsonv_ptr_append(ptr, len, off, dup);
			return 1;
		}
	}
	for (a = node->child; a != NULL; a = a->next, idx++) {
		size_t o;

		if (!cJSON_IsObject(a) && !cJSON_IsArray(a))
			continue;
		if (cJSON_IsObject(node)) {
			o = jsonv_ptr_append(ptr, len, off, a->string);
		} else {
			char num[24];

			snprintf(num, sizeof(num), "%zu", idx);
			o = jsonv_ptr_append(ptr, len, off, num);
		}
		if (http_find_duplicate(a, ptr, len, o))
			return 1;
	}
	ptr[off < len ? off : len - 1] = '\0';
	return 0;
}

static int http_json_ctype(const char *ct)
{
	const char *semi;

	if (ct == NULL)
		return 0;
	while (*ct == ' ')
		ct++;
	if (strncasecmp(ct, "application/json", 16) != 0)
		return 0;
	semi = ct + 16;
	while (*semi == ' ')
		semi++;
	if (*semi == '\0')
		return 1;
	if (*semi != ';')
		return 0;
	semi++;
	while (*semi == ' ')
		semi++;
	/* the only parameter we know is charset, and JSON is UTF-8 */
	return *semi == '\0' || strncasecmp(semi, "charset=utf-8", 13) == 0 ||
	       strncasecmp(semi, "charset=\"utf-8\"", 15) == 0;
}

cJSON *http_read_json(struct req *r, struct problem *p)
{
	return http_read_json_max(r, r->cfg->http_max_body, p);
}

cJSON *http_read_json_max(struct req *r, size_t limit, struct problem *p)
{
	struct evbuffer *in = evhttp_request_get_input_buffer(r->ev);
	size_t n = evbuffer_get_length(in);
	const char *ct = http_header(r, "Content-Type");
	const char *end = NULL, *buf, *why;
	cJSON *j;
	char ptr[256] = "";
	int status;

	if (!http_json_ctype(ct)) {
		problem_set(p, 415, "unsupported-media-type", "Unsupported media type",
			    "send the body as Content-Type: application/json (got %s)",
			    ct != NULL ? ct : "none");
		return NULL;
	}
	if (n > limit) {
		problem_set(p, 413, "payload-too-large", "Payload too large",
			    "the body is %zu bytes; the limit for JSON is %zu", n, limit);
		return NULL;
	}
	if (n == 0) {
		problem_set(p, 400, "malformed-json", "Malformed JSON", "the body is empty");
		return NULL;
	}
	buf = (const char *)evbuffer_pullup(in, -1);
	if (buf == NULL) {
		problem_internal(p);
		return NULL;
	}
	if (!utf8_valid((const unsigned char *)buf, n)) {
		problem_set(p, 400, "malformed-json", "Malformed JSON", "the body is not valid UTF-8");
		return NULL;
	}
	if (http_has_nul_escape(buf, n)) {
		problem_set(p, 400, "malformed-json", "Malformed JSON",
			    "strings may not contain U+0000 (\\u0000)");
		return NULL;
	}
	/*
	 * The error position is taken from end, never from cJSON_GetErrorPtr(). This
	 * does not keep cJSON's global error pointer out of it: like every cJSON_Parse*,
	 * cJSON_ParseWithLengthOpts (1.7.15) clears that global on every call and sets
	 * it on failure, unsynchronised, from every worker. Harmless, as nothing in
	 * bursard reads it (and libcjson is not instrumented, so `make tsan` cannot
	 * see it); never call cJSON_GetErrorPtr().
	 */
	j = cJSON_ParseWithLengthOpts(buf, n, &end, 0);
	if (j != NULL) {
		while (end < buf + n && (*end == ' ' || *end == '\n' || *end == '\r' || *end == '\t'))
			end++;
		if (end < buf + n) {
			cJSON_Delete(j);
			j = NULL;
		}
	}
	if (j == NULL) {
		size_t off = end != NULL && end >= buf && end <= buf + n ? (size_t)(end - buf) : 0;
		size_t line = 1, col = 1;

		for (size_t i = 0; i < off; i++) {
			if (buf[i] == '\n') {
				line++;
				col = 1;
			} else {
				col++;
			}
		}
		problem_set(p, 400, "malformed-json", "Malformed JSON",
			    "the body is not valid JSON: error at line %zu, column %zu (byte %zu)",
			    line, col, off);
		return NULL;
	}
	if (http_find_duplicate(j, ptr, sizeof(ptr), 0)) {
		problem_set(p, 400, "duplicate-key", "Duplicate key",
			    "the key %s appears more than once in one object", ptr);
		problem_field(p, ptr, "duplicate key");
		cJSON_Delete(j);
		return NULL;
	}
	if ((why = jsonv_numbers(j, buf, n, ptr, sizeof(ptr), &status)) != NULL) {
		if (status == 400)
			problem_set(p, 400, "malformed-json", "Malformed JSON", "the number at %s %s",
				    ptr[0] != '\0' ? ptr : "the top", why);
		problem_field(p, ptr, "%s", why);
		problem_validation_done(p);              /* 422 unless set above */
		cJSON_Delete(j);
		return NULL;
	}
	return j;
}

int http_wants_csv(const struct req *r)
{
	const char *a = http_header(r, "Accept");

	return a != NULL && strcasestr(a, "text/csv") != NULL;
}

void http_req_start(struct req *r, struct evhttp_request *ev)
{
	const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(ev);
	struct evhttp_connection *c = evhttp_request_get_connection(ev);
	char *addr = NULL;
	ev_uint16_t port = 0;

	TAILQ_INIT(&r->query);
	r->ev = ev;
	r->start_ns = http_now_ns();
	r->method = http_method_of(evhttp_request_get_command(ev));
	r->path = uri != NULL ? evhttp_uri_get_path(uri) : NULL;
	if (r->path == NULL || r->path[0] == '\0')
		r->path = "/";
	if (c != NULL)
		evhttp_connection_get_peer(c, &addr, &port);
	snprintf(r->client, sizeof(r->client), "%s", addr != NULL ? addr : "-");
}

int http_req_query(struct req *r, struct problem *p)
{
	const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(r->ev);
	const char *q = uri != NULL ? evhttp_uri_get_query(uri) : NULL;

	if (q != NULL && evhttp_parse_query_str(q, &r->query) != 0)
		return problem_bad_request(p, "the query string is malformed");
	return 0;
}

void http_req_end(struct req *r)
{
	evhttp_clear_headers(&r->query);
}

void http_request_id(struct req *r, const char *prefix, uint64_t *seq)
{
	const char *given = http_header(r, "X-Request-Id");
	size_t n = given != NULL ? strlen(given) : 0;
	int ok = n > 0 && n <= 64;

	for (size_t i = 0; ok && i < n; i++)
		ok = isalnum((unsigned char)given[i]) || strchr("-_.:", given[i]) != NULL;
	if (ok)
		memcpy(r->request_id, given, n + 1);
	else
		snprintf(r->request_id, sizeof(r->request_id), "%s-%llu", prefix,
			 (unsigned long long)++*seq);
}

int64_t http_elapsed_ns(const struct req *r)
{
	return http_now_ns() - r->start_ns;
}
