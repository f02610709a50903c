/*
 * fuzz_http.c - libFuzzer target for what bursard reads from a request before any
 * handler logic: the router over the real route table (daemon/api/routes.c) and
 * the daemon's index of it (which must give the same answers), the
 * Authorization, If-Match, Idempotency-Key and X-Request-Id header parsers, the
 * query string (evhttp's parse, then our allow-list and paging checks), and a JSON
 * body as http_read_json_max reads it (UTF-8, \u0000, syntax, numbers as JSON
 * writes them, duplicate keys). The first byte picks which; the rest is the input.
 *
 * The request is a real evhttp_request made in memory (no socket); libevent and
 * cJSON are not instrumented, our code is. The route handlers are stubs the
 * Makefile generates from the table (the fuzzer never calls them).
 *
 * Build and run: make fuzz (clang); make test runs it briefly (tests/fuzz/run.sh).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/http.h>
#include <sys/queue.h>

#include <event2/keyvalq_struct.h>

#include "bearer.h"
#include "config.h"
#include "http.h"
#include "idemkey.h"
#include "page.h"
#include "problem.h"
#include "router.h"
#include "routes.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_router(const char *s, unsigned sel)
{
	static const unsigned methods[] = { HM_GET, HM_HEAD, HM_POST, HM_PUT, HM_PATCH, HM_DELETE, HM_OPTIONS };
	unsigned method = methods[sel % 7];
	struct route_match m;
	char allow[128];
	int rc = router_match(api_routes, api_nroutes, method, s, &m);
	struct route_match f;

	static int indexed;

	/* the daemon's index of the table (api_route) gives router_match's answer */
	if (!indexed) {
		struct router *idx = router_new(api_routes, api_nroutes);

		if (idx == NULL)
			abort();         /* api_route would fall back to router_match */
		router_free(idx);
		indexed = 1;
	}
	if (api_route(method, s, &f) != rc || f.route != m.route || f.allow != m.allow || f.nparams != m.nparams)
		abort();
	for (size_t i = 0; i < m.nparams; i++)
		if (strcmp(f.names[i], m.names[i]) != 0 || strcmp(f.values[i], m.values[i]) != 0)
			abort();
	if (rc == 0) {
		if (m.route == NULL || (m.route->method != method && !(method == HM_HEAD && m.route->method == HM_GET)))
			abort();
		if (m.nparams > ROUTER_MAX_PARAMS)
			abort();
		for (size_t i = 0; i < m.nparams; i++) {
			size_t n = strnlen(m.values[i], ROUTER_MAX_PARAM_LEN);

			/* a parameter is one non-empty segment of the path */
			if (n == 0 || n >= ROUTER_MAX_PARAM_LEN || strchr(m.values[i], '/') != NULL ||
			    strstr(s, m.values[i]) == NULL || router_param(&m, m.names[i]) == NULL)
				abort();
		}
	} else if (rc == 1) {
		if (m.allow == 0)
			abort();
		router_allow_str(m.allow, allow, sizeof(allow));
	} else if (rc != -1) {
		abort();
	}
	(void)router_method_name(router_method_parse(s));
}

static void fuzz_authorization(const char *s)
{
	size_t len = 0;
	const char *t = bearer_from_header(s, &len);

	if (t != NULL && (t < s || t + len > s + strlen(s) || len == 0 || memchr(t, ' ', len) != NULL))
		abort();
}

static void fuzz_idem_key(const char *s)
{
	size_t n = strlen(s);
	int ok = idemkey_valid(s), want = n > 0 && n <= IDEMKEY_MAX;

	for (size_t i = 0; i < n; i++)
		want = want && s[i] >= '!' && s[i] <= '~';
	if (ok != want)
		abort();
}

/* Headers and query against a request made in memory. */
static void fuzz_request(const char *s, size_t size, unsigned what, unsigned sel)
{
	static struct cfg cfg = { .http_max_body = 4096, .http_max_csv_body = 8192, .http_max_budget_body = 8192 };
	static const char *const allowed[] = { "limit", "after", "updated_since", "year", NULL };
	struct evhttp_request *ev = evhttp_request_new(NULL, NULL);
	struct problem *p = calloc(1, sizeof(*p));
	struct req r = { 0 };
	struct page pg;
	int64_t v = 0;
	uint64_t seq = 0;
	cJSON *j;

	if (ev == NULL || p == NULL)
		goto out;
	r.ev = ev;
	r.cfg = &cfg;
	TAILQ_INIT(&r.query);
	switch (what) {
	case 0:                                  /* If-Match: any value, every form */
		if (evhttp_add_header(evhttp_request_get_input_headers(ev), "If-Match", s) == 0 &&
		    http_if_match_as(&r, sel & 3, NULL, &v, p) == 0 && v < 0)
			abort();                 /* a version is not negative ("0" matches nothing) */
		break;
	case 1: {                                /* X-Request-Id: echoed only when it is safe to log */
		size_t n;

		if (evhttp_add_header(evhttp_request_get_input_headers(ev), "X-Request-Id", s) != 0)
			break;
		http_request_id(&r, "fz", &seq);
		n = strnlen(r.request_id, sizeof(r.request_id));
		if (n == 0 || n >= sizeof(r.request_id) || strspn(r.request_id, "abcdefghijklmnopqrstuvwxyz"
			"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:") != n)
			abort();
		break;
	}
	case 2:                                  /* the query string */
		if (evhttp_parse_query_str(s, &r.query) != 0)
			break;
		(void)http_query_allow(&r, allowed, p);
		problem_reset(p);
		(void)page_parse(http_query(&r, "limit"), http_query(&r, "after"), http_query(&r, "updated_since"),
				 &pg, p);
		break;
	default:                                 /* a JSON body */
		evhttp_add_header(evhttp_request_get_input_headers(ev), "Content-Type", "application/json");
		evbuffer_add(evhttp_request_get_input_buffer(ev), s, size);
		j = (sel & 1) ? http_read_json(&r, p) : http_read_json_max(&r, cfg.http_max_budget_body, p);
		if (j == NULL && (p->status < 400 || p->status > 499))
			abort();                 /* refused: always a 4xx */
		cJSON_Delete(j);
		break;
	}
	evhttp_clear_headers(&r.query);
out:
	if (ev != NULL)
		evhttp_request_free(ev);
	free(p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s;
	unsigned sel;

	if (size < 1)
		return 0;
	sel = data[0];
	data++;
	size--;
	if ((s = malloc(size + 1)) == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	switch (sel % 8) {
	case 0:
		fuzz_router(s, sel >> 3);
		break;
	case 1:
		fuzz_authorization(s);
		break;
	case 2:
		fuzz_idem_key(s);
		break;
	case 3:
		fuzz_request(s, size, 0, sel >> 3);
		break;
	case 4:
		fuzz_request(s, size, 1, sel >> 3);
		break;
	case 5:
		fuzz_request(s, size, 2, sel >> 3);
		break;
	default:
		fuzz_request(s, size, 3, sel >> 3);
		break;
	}
	free(s);
	return 0;
}
