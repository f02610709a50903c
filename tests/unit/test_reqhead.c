/* test_reqhead.c - unit tests for daemon/http/reqhead.c */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reqhead.h"

static const struct reqhead_limits LIM = { .max_uri = 256, .max_header_bytes = 512, .max_headers = 8 };

/* Scan s whole (one byte at a time when bytewise): the scan's result. */
static int scan_all(const char *s, int bytewise, struct reqhead_scan *sc, struct reqhead_error *e)
{
	size_t n = strlen(s);
	int rc = 0;

	memset(sc, 0, sizeof(*sc));
	if (!bytewise)
		return reqhead_scan(sc, s, n, &LIM, e);
	for (size_t i = 1; i <= n && rc == 0; i++)
		rc = reqhead_scan(sc, s, i, &LIM, e);
	return rc;
}

/* Scan and parse a whole head: 0, or the error status. */
static int head_status(const char *s, struct reqhead *h)
{
	struct reqhead_scan sc;
	struct reqhead_error e;
	int rc = scan_all(s, 0, &sc, &e);

	if (rc < 0)
		return e.status;
	assert_int_equal(rc, 1);
	if (reqhead_parse(s, sc.head_len, h, &e) != 0)
		return e.status;
	return 0;
}

static void test_scan_complete(void **state)
{
	const char *s = "GET /a HTTP/1.1\r\nHost: x\r\n\r\nNEXT";
	struct reqhead_scan sc;
	struct reqhead_error e;

	(void)state;
	assert_int_equal(scan_all(s, 0, &sc, &e), 1);
	assert_int_equal(sc.head_len, strlen(s) - 4);
	assert_int_equal(scan_all(s, 1, &sc, &e), 1);
	assert_int_equal(sc.head_len, strlen(s) - 4);
	/* bare LF line ends */
	assert_int_equal(scan_all("GET / HTTP/1.1\nA: b\n\n", 1, &sc, &e), 1);
	/* incomplete */
	assert_int_equal(scan_all("GET / HTTP/1.1\r\nA: b\r\n", 1, &sc, &e), 0);
}

static void test_scan_limits(void **state)
{
	char buf[4096];
	struct reqhead_scan sc;
	struct reqhead_error e;

	(void)state;
	/* a long target: 414 before the line ends */
	snprintf(buf, sizeof(buf), "GET /%0400d", 0);
	assert_int_equal(scan_all(buf, 1, &sc, &e), -1);
	assert_int_equal(e.status, 414);
	/* too many header bytes: 431 */
	snprintf(buf, sizeof(buf), "GET / HTTP/1.1\r\nX-Big: %0600d", 0);
	assert_int_equal(scan_all(buf, 0, &sc, &e), -1);
	assert_int_equal(e.status, 431);
	/* an oversized Authorization: 401 */
	snprintf(buf, sizeof(buf), "GET / HTTP/1.1\r\nHost: a\r\nauthorization: Bearer %0600d", 0);
	assert_int_equal(scan_all(buf, 1, &sc, &e), -1);
	assert_int_equal(e.status, 401);
	/* too many fields: 431 */
	strcpy(buf, "GET / HTTP/1.1\r\n");
	for (int i = 0; i < 12; i++)
		strcat(buf, "A: b\r\n");
	strcat(buf, "\r\n");
	assert_int_equal(scan_all(buf, 0, &sc, &e), -1);
	assert_int_equal(e.status, 431);
	/* a NUL: 400 */
	memcpy(buf, "GET / HTTP/1.1\r\nA: \0b\r\n\r\n", 25);
	memset(&sc, 0, sizeof(sc));
	assert_int_equal(reqhead_scan(&sc, buf, 25, &LIM, &e), -1);
	assert_int_equal(e.status, 400);
}

static void test_parse_framing(void **state)
{
	struct reqhead h;

	(void)state;
	assert_int_equal(head_status("GET /x?y=1 HTTP/1.1\r\nHost: a\r\n\r\n", &h), 0);
	assert_int_equal(h.body, REQHEAD_BODY_NONE);
	assert_int_equal(h.minor, 1);
	assert_int_equal(h.target_len, 6);
	assert_int_equal(head_status("POST /x HTTP/1.1\r\nContent-Length: 12\r\n\r\n", &h), 0);
	assert_int_equal(h.body, REQHEAD_BODY_LENGTH);
	assert_int_equal(h.length, 12);
	/* the same length twice is one length */
	assert_int_equal(head_status("POST /x HTTP/1.1\r\nContent-Length: 5\r\ncontent-length:5\r\n\r\n", &h), 0);
	assert_int_equal(h.length, 5);
	assert_int_equal(head_status("POST /x HTTP/1.1\r\nTransfer-Encoding: Chunked\r\n\r\n", &h), 0);
	assert_int_equal(h.body, REQHEAD_BODY_CHUNKED);
	assert_int_equal(head_status("POST /x HTTP/1.1\r\nContent-Length: 0\r\n\r\n", &h), 0);
	assert_int_equal(h.body, REQHEAD_BODY_NONE);
	assert_int_equal(head_status("POST /x HTTP/1.1\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n", &h), 0);
	assert_int_equal(h.expect_continue, 1);
}

static void test_parse_refusals(void **state)
{
	struct reqhead h;

	(void)state;
	/* RFC 9112 6.3: lengths that disagree, or Transfer-Encoding beside one */
	assert_int_equal(head_status("POST /x HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n", &h), 400);
	assert_int_equal(head_status("POST /x HTTP/1.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n", &h), 400);
	assert_int_equal(head_status("POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n", &h), 400);
	assert_int_equal(head_status("POST /x HTTP/1.1\r\nContent-Length: 5, 5\r\n\r\n", &h), 400);
	assert_int_equal(head_status("POST /x HTTP/1.1\r\nContent-Length: +5\r\n\r\n", &h), 400);
	assert_int_equal(head_status("POST /x HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n", &h), 400);
	assert_int_equal(head_status("POST /x HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", &h), 501);
	assert_int_equal(head_status("POST /x HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", &h), 400);
	assert_int_equal(head_status("POST /x HTTP/1.1\r\nContent-Length: 3\r\nExpect: magic\r\n\r\n", &h), 417);
	assert_int_equal(head_status("HEAD /x HTTP/1.1\r\nContent-Length: 3\r\n\r\n", &h), 400);
	/* request lines */
	assert_int_equal(head_status("GET /x HTTP/2.0\r\n\r\n", &h), 505);
	assert_int_equal(head_status("GET /x HTTX/1.1\r\n\r\n", &h), 400);
	assert_int_equal(head_status("GET  /x HTTP/1.1\r\n\r\n", &h), 400);
	assert_int_equal(head_status("GET /x\r\n\r\n", &h), 400);
	assert_int_equal(head_status("BREW /pot HTTP/1.1\r\n\r\n", &h), 501);
	assert_int_equal(head_status("CONNECT a:443 HTTP/1.1\r\n\r\n", &h), 501);
	/* fields */
	assert_int_equal(head_status("GET /x HTTP/1.1\r\nHost : a\r\n\r\n", &h), 400);
	assert_int_equal(head_status("GET /x HTTP/1.1\r\nHost: a\r\n folded\r\n\r\n", &h), 400);
	assert_int_equal(head_status("GET /x HTTP/1.1\r\nNoColon\r\n\r\n", &h), 400);
	assert_int_equal(head_status("GET /x HTTP/1.1\r\nA: b\x01\r\n\r\n", &h), 400);
}

static void test_field(void **state)
{
	const char *s = "GET / HTTP/1.1\r\nAuthorization:  Bearer abc \r\nX: y\r\n\r\n";
	size_t n = 0;
	const char *v;

	(void)state;
	v = reqhead_field(s, strlen(s), "authorization", &n);
	assert_non_null(v);
	assert_int_equal(n, 10);
	assert_memory_equal(v, "Bearer abc", 10);
	assert_null(reqhead_field(s, strlen(s), "Cookie", &n));
}

static void test_next_field(void **state)
{
	const char *s = "POST / HTTP/1.1\r\nA:1\r\nCookie:  x=y \r\n\r\nbody";
	const char *name, *value;
	size_t at = 0, nl, vl;

	(void)state;
	assert_int_equal(reqhead_next_field(s, strlen(s), &at, &name, &nl, &value, &vl), 1);
	assert_memory_equal(name, "A", nl);
	assert_memory_equal(value, "1", vl);
	assert_int_equal(reqhead_next_field(s, strlen(s), &at, &name, &nl, &value, &vl), 1);
	assert_int_equal(nl, 6);
	assert_int_equal(vl, 3);
	assert_memory_equal(value, "x=y", 3);
	assert_int_equal(reqhead_next_field(s, strlen(s), &at, &name, &nl, &value, &vl), 0);
}

/* Feed a chunked body in pieces of step bytes: the last result, total used in *used. */
static int chunked(const char *body, size_t step, uint64_t limit, size_t *used, struct reqhead_error *e)
{
	struct reqhead_chunked c;
	size_t n = strlen(body), at = 0;
	int rc = 0;

	memset(&c, 0, sizeof(c));
	while (at < n && rc == 0) {
		size_t k = n - at < step ? n - at : step, u = 0;

		rc = reqhead_chunked_feed(&c, body + at, k, limit, &u, e);
		at += u;
	}
	*used = at;
	return rc;
}

static void test_chunked(void **state)
{
	const char *ok = "5\r\nhello\r\n1A\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\nX-T: 1\r\n\r\nGET /";
	struct reqhead_error e;
	size_t used;

	(void)state;
	for (size_t step = 1; step < 8; step++) {
		assert_int_equal(chunked(ok, step, 1000, &used, &e), 1);
		assert_int_equal(used, strlen(ok) - 5);
	}
	assert_int_equal(chunked("0\r\n\r\n", 3, 10, &used, &e), 1);
	assert_int_equal(chunked("3\nabc\n0\n\n", 1, 10, &used, &e), 1);
	assert_int_equal(chunked("5\r\nhel", 2, 10, &used, &e), 0);
	/* refusals */
	assert_int_equal(chunked("zz\r\nhello\r\n0\r\n\r\n", 1, 100, &used, &e), -1);
	assert_int_equal(e.status, 400);
	assert_int_equal(chunked("\r\n", 1, 100, &used, &e), -1);
	assert_int_equal(e.status, 400);
	assert_int_equal(chunked("5;ext=1\r\nhello\r\n0\r\n\r\n", 4, 100, &used, &e), -1);
	assert_int_equal(e.status, 400);
	assert_int_equal(chunked("2\r\nhello\r\n0\r\n\r\n", 4, 100, &used, &e), -1);
	assert_int_equal(e.status, 400);
	assert_int_equal(chunked("fffffffffffffffff\r\n", 4, 100, &used, &e), -1);
	assert_int_equal(e.status, 400);
	assert_int_equal(chunked("8\r\n12345678\r\n8\r\n12345678\r\n0\r\n\r\n", 3, 10, &used, &e), -1);
	assert_int_equal(e.status, 413);
	assert_int_equal(chunked("0\r\nbad trailer\r\n\r\n", 3, 10, &used, &e), -1);
	assert_int_equal(e.status, 400);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scan_complete),
		cmocka_unit_test(test_scan_limits),
		cmocka_unit_test(test_parse_framing),
		cmocka_unit_test(test_parse_refusals),
		cmocka_unit_test(test_field),
		cmocka_unit_test(test_next_field),
		cmocka_unit_test(test_chunked),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
