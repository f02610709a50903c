/* test_page.c - unit tests for daemon/page.c (hand-worked timestamps) */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "page.h"
#include "problem.h"

/*
 * 2026-11-22T09:00:00Z: 1970-01-01 .. 2026-01-01 is 56 * 365 + 14 leap days =
 * 20454 days; Jan..Oct 2026 is 304 days, plus 21 = 20779 days = 1795305600 s,
 * plus 9 h = 1795338000 s.
 */
#define T0 INT64_C(1795338000000000)
#define SENTINEL INT64_C(-777)

static void rfc_ok(const char *s, int64_t want)
{
	int64_t us = SENTINEL;

	if (ts_parse_rfc3339(s, &us) != 0)
		fail_msg("\"%s\" rejected\n", s);
	if (us != want)
		fail_msg("\"%s\" = %lld, want %lld\n", s, (long long)us, (long long)want);
}

static void rfc_bad(const char *s)
{
	int64_t us = SENTINEL;

	if (ts_parse_rfc3339(s, &us) != -1)
		fail_msg("\"%s\" accepted as %lld\n", s, (long long)us);
}

static void db_round_trip(const char *s, int64_t want)
{
	int64_t us = SENTINEL;
	char buf[PAGE_TS_LEN];

	if (ts_parse_db(s, &us) != 0)
		fail_msg("\"%s\" rejected\n", s);
	if (us != want)
		fail_msg("\"%s\" = %lld, want %lld\n", s, (long long)us, (long long)want);
	ts_format_db(us, buf, sizeof(buf));
	assert_string_equal(buf, s);
}

static void test_defaults(void **state)
{
	struct problem p;
	struct page pg;

	(void)state;
	memset(&p, 0, sizeof(p));
	memset(&pg, 0x55, sizeof(pg));
	assert_int_equal(page_parse(NULL, NULL, NULL, &pg, &p), 0);
	assert_int_equal(pg.limit, 100);
	assert_int_equal(pg.limit, PAGE_DEFAULT_LIMIT);
	assert_int_equal(pg.has_after, 0);
	assert_int_equal(pg.has_since, 0);
	assert_int_equal(p.nerrors, 0);
}

static void limit_ok(const char *s, int want)
{
	struct problem p;
	struct page pg;

	memset(&p, 0, sizeof(p));
	if (page_parse(s, NULL, NULL, &pg, &p) != 0)
		fail_msg("limit \"%s\" rejected\n", s);
	assert_int_equal(pg.limit, want);
	assert_int_equal(p.nerrors, 0);
}

static void limit_bad(const char *s)
{
	struct problem p;
	struct page pg;

	memset(&p, 0, sizeof(p));
	if (page_parse(s, NULL, NULL, &pg, &p) != -1)
		fail_msg("limit \"%s\" accepted as %d\n", s, pg.limit);
	assert_int_equal(p.nerrors, 1);
	assert_string_equal(p.errors[0].field, "query:limit");
	assert_string_equal(p.errors[0].message, "must be an integer from 1 to 1000");
	assert_int_equal(p.status, 0);
}

static void test_limit(void **state)
{
	(void)state;
	limit_ok("1", 1);
	limit_ok("25", 25);
	limit_ok("1000", 1000);
	limit_bad("0");
	limit_bad("1001");
	limit_bad("abc");
	limit_bad("10x");
	limit_bad("");
	limit_bad("-5");
	limit_bad("+5");
	limit_bad(" 5");
	limit_bad("5 ");
	limit_bad("1.5");
	limit_bad("99999999999999999999");
	limit_bad("4294967297");
}

static void test_cursor_round_trip(void **state)
{
	char cur[48];
	struct problem p;
	struct page pg;

	(void)state;
	assert_int_equal(page_cursor(cur, sizeof(cur), "2026-11-22 09:00:00.123456", 42), 0);
	assert_string_equal(cur, "c1795338000123456.42");
	memset(&p, 0, sizeof(p));
	assert_int_equal(page_parse(NULL, cur, NULL, &pg, &p), 0);
	assert_int_equal(pg.has_after, 1);
	assert_string_equal(pg.after_ts, "2026-11-22 09:00:00.123456");
	assert_true(pg.after_id == 42);
	assert_int_equal(pg.limit, 100);
	assert_int_equal(pg.has_since, 0);

	/* without a fraction: the cursor's timestamp comes back in full form */
	assert_int_equal(page_cursor(cur, sizeof(cur), "2026-11-22 09:00:00", 0), 0);
	assert_string_equal(cur, "c1795338000000000.0");
	assert_int_equal(page_parse("10", cur, NULL, &pg, &p), 0);
	assert_string_equal(pg.after_ts, "2026-11-22 09:00:00.000000");
	assert_true(pg.after_id == 0);
	assert_int_equal(pg.limit, 10);

	/* one microsecond after the epoch, and a large id */
	assert_int_equal(page_cursor(cur, sizeof(cur), "1970-01-01 00:00:00.000001",
				     INT64_C(9007199254740993)), 0);
	assert_string_equal(cur, "c1.9007199254740993");
	assert_int_equal(page_parse(NULL, cur, NULL, &pg, &p), 0);
	assert_string_equal(pg.after_ts, "1970-01-01 00:00:00.000001");
	assert_true(pg.after_id == INT64_C(9007199254740993));

	/* the last microsecond date.c allows */
	assert_int_equal(page_cursor(cur, sizeof(cur), "2999-12-31 23:59:59.999999", 5), 0);
	assert_string_equal(cur, "c32503679999999999.5");
	assert_int_equal(page_parse(NULL, cur, NULL, &pg, &p), 0);
	assert_string_equal(pg.after_ts, "2999-12-31 23:59:59.999999");
	assert_int_equal(p.nerrors, 0);

	/* page_cursor refuses what is not a database timestamp */
	assert_int_equal(page_cursor(cur, sizeof(cur), "2026-11-22T09:00:00Z", 1), -1);
	assert_int_equal(page_cursor(cur, sizeof(cur), "", 1), -1);
}

static void after_bad(const char *s)
{
	struct problem p;
	struct page pg;

	memset(&p, 0, sizeof(p));
	if (page_parse(NULL, s, NULL, &pg, &p) != -1)
		fail_msg("cursor \"%s\" accepted as %s / %lld\n", s, pg.after_ts, (long long)pg.after_id);
	assert_int_equal(pg.has_after, 0);
	assert_int_equal(p.nerrors, 1);
	assert_string_equal(p.errors[0].field, "query:after");
	assert_string_equal(p.errors[0].message, "is not a cursor this server gave out");
}

static void test_bad_cursors(void **state)
{
	(void)state;
	after_bad("");
	after_bad("c");
	after_bad("C1795338000000000.1");
	after_bad("x1795338000000000.1");
	after_bad("1795338000000000.1");
	after_bad("c1795338000000000");
	after_bad("c1795338000000000.");
	after_bad("c.1");
	after_bad("c1795338000000000.1x");
	after_bad("c1795338000000000.1 ");
	after_bad("c 1795338000000000.1");
	after_bad("c1795338000000000 .1");
	after_bad("c+1795338000000000.1");
	after_bad("c1795338000000000.+1");
	after_bad("c1795338000000000.-1");
	after_bad("c1795338000000000..1");
	after_bad("c1795338000000000.1.2");
	after_bad("c-1.1");
	after_bad("c0.1");                               /* times must be after the epoch */
	after_bad("c32503680000000001.1");               /* 3000-01-01 plus 1 us */
	after_bad("c99999999999999999999.1");            /* beyond int64 */
}

/*
 * Regression test, fixed (daemon/page.c page_cursor_parse, the id strtoll): an id beyond int64 is
 * not detected (no errno/ERANGE check), so "c1795338000000000.99999999999999999999"
 * is accepted with after_id = INT64_MAX. Expected: rejected as "query:after"
 * like the timestamp overflow "c99999999999999999999.1" is.
 */
static void test_cursor_id_overflow(void **state)
{
	(void)state;
	after_bad("c1795338000000000.99999999999999999999");
}

static void test_rfc3339(void **state)
{
	(void)state;
	rfc_ok("2026-11-22T09:00:00Z", T0);
	rfc_ok("2026-11-22t09:00:00z", T0);
	rfc_ok("2026-11-22T09:00:00z", T0);
	rfc_ok("2026-11-22t09:00:00Z", T0);
	rfc_ok("2026-11-22T09:00:00.5Z", T0 + 500000);
	rfc_ok("2026-11-22T09:00:00.000001Z", T0 + 1);
	rfc_ok("2026-11-22T09:00:00.123456Z", T0 + 123456);
	/* more than six digits: truncated to microseconds */
	rfc_ok("2026-11-22T09:00:00.123456789Z", T0 + 123456);
	/* offsets: local time minus offset is UTC */
	rfc_ok("2026-11-22T10:00:00+01:00", T0);
	rfc_ok("2026-11-22T10:00:00 01:00", T0);     /* '+' decoded as a space */
	rfc_ok("2026-11-22T04:00:00-05:00", T0);
	rfc_ok("2026-11-22T14:30:00+05:30", T0);
	rfc_ok("2026-11-22T09:00:00+00:00", T0);
	rfc_ok("2026-11-22T09:00:00-00:00", T0);
	rfc_ok("2026-11-22T10:00:00.25+01:00", T0 + 250000);
	/* across midnight: 21 Nov 23:00 at -10:00 is 22 Nov 09:00 UTC */
	rfc_ok("2026-11-21T23:00:00-10:00", T0);
	rfc_ok("2026-11-23T00:30:00+15:30", T0);
	rfc_ok("1970-01-01T00:00:00Z", 0);
	rfc_ok("1970-01-01T01:00:00+01:00", 0);
	rfc_ok("1969-12-31T23:59:59Z", -1000000);
	rfc_ok("2026-11-22T23:59:59Z", T0 + INT64_C(53999000000));
}

static void test_rfc3339_bad(void **state)
{
	(void)state;
	rfc_bad("");
	rfc_bad("2026-11-22");
	rfc_bad("2026-11-22T");
	rfc_bad("2026-11-22T09:00:00");                   /* no zone */
	rfc_bad("2026-11-22T09:00");
	rfc_bad("2026-11-22T25:00:00Z");
	rfc_bad("2026-11-22T24:00:00Z");
	rfc_bad("2026-11-22T09:60:00Z");
	rfc_bad("2026-11-22T09:00:60Z");
	rfc_bad("2026-11-22T9:00:00Z");
	rfc_bad("2026-11-22 09:00:00Z");
	rfc_bad("2026-11-22X09:00:00Z");
	rfc_bad("2026-02-29T09:00:00Z");
	rfc_bad("2026-13-01T09:00:00Z");
	rfc_bad("26-11-22T09:00:00Z");
	rfc_bad("2026-11-22T09:00:00.Z");
	rfc_bad("2026-11-22T09:00:00,5Z");
	rfc_bad("2026-11-22T09:00:00ZZ");
	rfc_bad("2026-11-22T09:00:00Z ");
	rfc_bad("2026-11-22T09:00:00 ");
	rfc_bad("2026-11-22T09:00:00+01");
	rfc_bad("2026-11-22T09:00:00+0100");
	rfc_bad("2026-11-22T09:00:00+01:00x");
	rfc_bad("2026-11-22T09:00:00+1:00");
	rfc_bad("2026-11-22T09:00:00+24:00");
	rfc_bad("2026-11-22T09:00:00+01:60");
	rfc_bad("2026-11-22T09:00:00*01:00");
	rfc_bad("2026-11-22T09:0a:00Z");
}

static void test_since(void **state)
{
	struct problem p;
	struct page pg;

	(void)state;
	memset(&p, 0, sizeof(p));
	assert_int_equal(page_parse(NULL, NULL, "2026-11-22T10:00:00+01:00", &pg, &p), 0);
	assert_int_equal(pg.has_since, 1);
	assert_string_equal(pg.since_ts, "2026-11-22 09:00:00.000000");
	assert_int_equal(page_parse(NULL, NULL, "2026-11-22T09:00:00", &pg, &p), -1);
	assert_int_equal(p.nerrors, 1);
	assert_string_equal(p.errors[0].field, "query:updated_since");
	assert_string_equal(p.errors[0].message, "must be an RFC 3339 time such as 2026-11-22T09:00:00Z");
	assert_int_equal(pg.has_since, 0);
	memset(&p, 0, sizeof(p));
	assert_int_equal(page_parse(NULL, NULL, "2026-11-22T04:00:00.5-05:00", &pg, &p), 0);
	assert_string_equal(pg.since_ts, "2026-11-22 09:00:00.500000");
	assert_int_equal(page_parse(NULL, NULL, "2026-11-22T09:00:00Z", &pg, &p), 0);
	assert_string_equal(pg.since_ts, "2026-11-22 09:00:00.000000");
	assert_int_equal(p.nerrors, 0);
}

static void test_all_errors(void **state)
{
	struct problem p;
	struct page pg;

	(void)state;
	memset(&p, 0, sizeof(p));
	assert_int_equal(page_parse("0", "nope", "2026-11-22", &pg, &p), -1);
	assert_int_equal(p.nerrors, 3);
	assert_string_equal(p.errors[0].field, "query:limit");
	assert_string_equal(p.errors[1].field, "query:after");
	assert_string_equal(p.errors[2].field, "query:updated_since");
	/* page_parse leaves the status to problem_validation_done */
	assert_int_equal(p.status, 0);
	assert_int_equal(pg.limit, 100);
	assert_int_equal(pg.has_after, 0);
	assert_int_equal(pg.has_since, 0);
}

static void test_db_timestamps(void **state)
{
	int64_t us = SENTINEL;
	char buf[PAGE_TS_LEN];

	(void)state;
	db_round_trip("2026-11-22 09:00:00.000000", T0);
	db_round_trip("2026-11-22 09:00:00.000001", T0 + 1);
	db_round_trip("2026-11-22 09:00:00.999999", T0 + 999999);
	db_round_trip("2026-11-22 23:59:59.123456", T0 + INT64_C(53999123456));
	db_round_trip("1970-01-01 00:00:00.000000", 0);
	db_round_trip("2999-12-31 23:59:59.999999", INT64_C(32503679999999999));
	/* before 1970 (date.c allows 1900..2999): negative microseconds */
	db_round_trip("1969-12-31 23:59:59.999999", -1);
	db_round_trip("1969-12-31 23:59:59.000000", -1000000);
	db_round_trip("1969-12-31 00:00:00.000000", INT64_C(-86400000000));
	/* 1900-01-01: 70 * 365 + 17 leap days (1904..1968) = 25567 days before */
	db_round_trip("1900-01-01 00:00:00.000000", INT64_C(-25567) * 86400000000);

	/* short forms parse; formatting always writes six digits */
	assert_int_equal(ts_parse_db("2026-11-22 09:00:00", &us), 0);
	assert_true(us == T0);
	assert_int_equal(ts_parse_db("2026-11-22 09:00:00.5", &us), 0);
	assert_true(us == T0 + 500000);
	ts_format_db(T0 + 500000, buf, sizeof(buf));
	assert_string_equal(buf, "2026-11-22 09:00:00.500000");
	assert_int_equal(strlen(buf), PAGE_TS_LEN - 1);

	us = SENTINEL;
	assert_int_equal(ts_parse_db("2026-11-22T09:00:00", &us), -1);
	assert_int_equal(ts_parse_db("2026-11-22 09:00:00Z", &us), -1);
	assert_int_equal(ts_parse_db("2026-11-22 09:00:00 ", &us), -1);
	assert_int_equal(ts_parse_db("2026-11-22 09:00:00.", &us), -1);
	assert_int_equal(ts_parse_db("2026-11-22 09:00", &us), -1);
	assert_int_equal(ts_parse_db("2026-11-22", &us), -1);
	assert_int_equal(ts_parse_db("1899-12-31 23:59:59", &us), -1);
	assert_int_equal(ts_parse_db("", &us), -1);
}

static void test_rfc3339_from_db(void **state)
{
	char buf[PAGE_RFC3339_LEN];

	(void)state;
	ts_rfc3339_from_db("2026-11-22 09:53:54.123456", buf, sizeof(buf));
	assert_string_equal(buf, "2026-11-22T09:53:54.123456Z");
	ts_rfc3339_from_db("2026-11-22 09:53:54", buf, sizeof(buf));   /* the fraction as given */
	assert_string_equal(buf, "2026-11-22T09:53:54Z");
	ts_rfc3339_from_db("2026-11-22 09:53:54.5", buf, sizeof(buf));
	assert_string_equal(buf, "2026-11-22T09:53:54.5Z");
	ts_rfc3339_from_db("2026-11-22", buf, sizeof(buf));            /* a bare date: midnight */
	assert_string_equal(buf, "2026-11-22T00:00:00Z");
	ts_rfc3339_from_db("1970-01-01 00:00:00.000001", buf, sizeof(buf));
	assert_string_equal(buf, "1970-01-01T00:00:00.000001Z");
	/* and back: what it writes is what ts_parse_rfc3339 reads */
	{
		int64_t us = SENTINEL;

		ts_rfc3339_from_db("2026-11-22 09:00:00.123456", buf, sizeof(buf));
		assert_int_equal(ts_parse_rfc3339(buf, &us), 0);
		assert_true(us == T0 + 123456);
	}
	/* a short buffer truncates, NUL-terminated */
	ts_rfc3339_from_db("2026-11-22 09:53:54.123456", buf, 11);
	assert_string_equal(buf, "2026-11-22");
}

static void key_bad(const char *s, const char *sort)
{
	char key[16] = "untouched";
	int64_t id = SENTINEL;

	if (page_key_cursor_parse(s, sort, key, sizeof(key), &id) != -1)
		fail_msg("cursor \"%s\" for %s accepted as \"%s\" / %lld\n", s, sort, key, (long long)id);
}

static void test_key_cursor(void **state)
{
	char cur[64], key[16];
	int64_t id = SENTINEL;

	(void)state;
	/* "Ab" is 0x41 0x62 */
	page_key_cursor(cur, sizeof(cur), "-title", "Ab", 42);
	assert_string_equal(cur, "-title.4162.42");
	assert_int_equal(page_key_cursor_parse(cur, "-title", key, sizeof(key), &id), 0);
	assert_string_equal(key, "Ab");
	assert_true(id == 42);
	/* a NULL key is the empty one */
	page_key_cursor(cur, sizeof(cur), "end", NULL, 7);
	assert_string_equal(cur, "end..7");
	assert_int_equal(page_key_cursor_parse(cur, "end", key, sizeof(key), &id), 0);
	assert_string_equal(key, "");
	assert_true(id == 7);
	/* UTF-8 bytes: "é" is 0xc3 0xa9 */
	page_key_cursor(cur, sizeof(cur), "title", "\xc3\xa9", 0);
	assert_string_equal(cur, "title.c3a9.0");
	assert_int_equal(page_key_cursor_parse(cur, "title", key, sizeof(key), &id), 0);
	assert_string_equal(key, "\xc3\xa9");
	assert_true(id == 0);
	/* a short buffer drops hex pairs, never half of one, and keeps the id */
	page_key_cursor(cur, 12, "value", "123456", 9);
	assert_string_equal(cur, "value.3132.");
	/* the key fills keylen - 1 bytes at most */
	assert_int_equal(page_key_cursor_parse("v.616263.1", "v", key, 4, &id), 0);
	assert_string_equal(key, "abc");
	assert_int_equal(page_key_cursor_parse("v.61626364.1", "v", key, 4, &id), -1);

	key_bad("title.4162.42", "-title");              /* another sort's */
	key_bad("-title.4162.42", "title");
	key_bad("titlex.4162.42", "title");
	key_bad("title", "title");
	key_bad("title.4162", "title");                  /* no id */
	key_bad("title.4162.", "title");
	key_bad("title.4162.-1", "title");
	key_bad("title.4162.+1", "title");
	key_bad("title.4162.1x", "title");
	key_bad("title.416.1", "title");                 /* half a byte */
	key_bad("title.41G2.1", "title");
	key_bad("title.41A2.1", "title");                /* upper-case hex is not ours */
	key_bad("title.0041.1", "title");                /* a NUL byte */
	key_bad("title.41.99999999999999999999", "title"); /* beyond int64 */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_limit),
		cmocka_unit_test(test_cursor_round_trip),
		cmocka_unit_test(test_bad_cursors),
		cmocka_unit_test(test_cursor_id_overflow),
		cmocka_unit_test(test_rfc3339),
		cmocka_unit_test(test_rfc3339_bad),
		cmocka_unit_test(test_since),
		cmocka_unit_test(test_all_errors),
		cmocka_unit_test(test_db_timestamps),
		cmocka_unit_test(test_rfc3339_from_db),
		cmocka_unit_test(test_key_cursor),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
