/*
 * fuzz_parse.c - libFuzzer target for the parsers that read untrusted input:
 * amounts in pounds (CSV), dates and academic years, RFC 3339 times and paging
 * cursors, and JSON bodies through the table-driven validator; and the
 * rounding every figure goes through, money_muldiv_round, against a plain
 * 128-bit reference (its 64-bit fast path must never differ); and the
 * largest-remainder split (bursar_split, the daemon's and the plugins'): the
 * shares sum to the total, each is its floor or one more, and the order the
 * items are given in does not matter.
 *
 * Build and run: make fuzz (clang, -fsanitize=fuzzer,address,undefined); it stops
 * by itself after FUZZ_SECONDS (default 60).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "bursar_arith.h"
#include "date.h"
#include "jsonv.h"
#include "money.h"
#include "page.h"
#include "problem.h"

/* A total, then up to 8 items of (URN, weight) from the input's bytes; the same
 * items reversed must get the same shares (the tie numbers keep ties apart). */
static void fuzz_split(const uint8_t *data, size_t size)
{
	__extension__ typedef unsigned __int128 uwide;
	static const char *const urns[] = { "100000", "100001", "100002", "100003" };
	struct bursar_share a[8], b[8];
	int64_t total = 0, w = 0, sum = 0;
	size_t n = 0;
	int ra, rb;

	if (size < 4)
		return;
	memcpy(&total, data, 4);                   /* a total up to 2^32 pence */
	total &= INT64_C(0xffffffff);
	for (size_t at = 4; n < 8 && at + 3 <= size; at += 3, n++) {
		a[n] = (struct bursar_share){ .urn = urns[data[at] % 4], .tie = (int64_t)n,
					      .weight = data[at + 1] | (int64_t)data[at + 2] << 8 };
		b[7 - n] = a[n];
		w += a[n].weight;
	}
	ra = bursar_split(total, a, n);
	rb = bursar_split(total, b + 8 - n, n);
	if (ra != rb || ra != (w == 0 && total > 0 ? BURSAR_SPLIT_NO_WEIGHT : 0))
		abort();
	for (size_t i = 0; i < n; i++) {
		int64_t floor_ = w > 0 ? (int64_t)((uwide)total * (uint64_t)a[i].weight / (uint64_t)w) : 0;

		if (a[i].pence != floor_ + a[i].extra_penny || a[i].pence != b[7 - i].pence)
			abort();
		sum += a[i].pence;
	}
	if (sum != (w > 0 ? total : 0))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const fuzz_choices[] = { "primary", "special", NULL };

static const struct jv_field fuzz_fields[] = {
	{ "name", JV_STRING, JV_REQUIRED, 1, 200, NULL, NULL },
	{ "phase", JV_STRING, JV_NULLABLE, 1, 20, fuzz_choices, NULL },
	{ "amount_pence", JV_INT, 0, -100000000000, 100000000000, NULL, NULL },
	{ "fte", JV_HUNDREDTHS, JV_NULLABLE, 0, 10000000, NULL, NULL },
	{ "on", JV_DATE, 0, 0, 0, NULL, NULL },
	{ "year", JV_ACYEAR, 0, 0, 0, NULL, NULL },
	{ "ok", JV_BOOL, 0, 0, 0, NULL, NULL },
	{ "lines", JV_ARRAY, 0, 0, 0, NULL, NULL },
	{ "version", JV_INT, JV_READONLY, 0, 0, NULL, NULL },
};

/* round(a x num / den), half away from zero, or -1 when it does not fit (the definition). */
static int fuzz_ref_round(int64_t a, int64_t num, int64_t den, int64_t *out)
{
	__extension__ typedef __int128 wide;
	wide p = (wide)a * num, q, r, d = den;

	if (den == 0)
		return -1;
	q = p / d;
	r = p % d;
	if (2 * (r < 0 ? -r : r) >= (d < 0 ? -d : d))
		q += (p < 0) == (d < 0) ? 1 : -1;
	if (q > INT64_MAX || q < INT64_MIN)
		return -1;
	*out = (int64_t)q;
	return 0;
}

static void fuzz_muldiv(const uint8_t *data, size_t size)
{
	int64_t v[3] = { 0, 0, 0 }, got = 0, want = 0;
	int rg, rw;

	if (size < sizeof(v))
		return;
	memcpy(v, data, sizeof(v));
	/* small values too: most real products fit in 64 bits */
	if (data[0] & 1)
		v[1] %= 100000000, v[2] = v[2] % 100000000;
	rg = money_muldiv_round(v[0], v[1], v[2], &got);
	rw = fuzz_ref_round(v[0], v[1], v[2], &want);
	if (rg != rw || (rg == 0 && got != want))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	struct jv_value v[sizeof(fuzz_fields) / sizeof(fuzz_fields[0])];
	struct problem *p = calloc(1, sizeof(*p));
	struct page pg;
	char buf[64], why[128];
	int64_t pence, us;
	int32_t days;
	int year;
	cJSON *j, *out;

	fuzz_muldiv(data, size);
	fuzz_split(data, size);
	if (s == NULL || p == NULL)
		goto out;
	memcpy(s, data, size);
	s[size] = '\0';

	if (money_parse_pounds(s, &pence, why, sizeof(why)) == 0) {
		int64_t back;

		money_format_plain(pence, buf, sizeof(buf));
		/* what we print we must read back to the same pence */
		if (money_parse_pounds(buf, &back, why, sizeof(why)) != 0 || back != pence)
			abort();
		money_format_human(pence, buf, sizeof(buf));
	}
	if (date_parse(s, &days) == 0) {
		date_format(days, buf, sizeof(buf));
		if (strcmp(buf, s) != 0)
			abort();
	}
	if (acyear_parse(s, &year) == 0) {
		acyear_format(year, buf, sizeof(buf));
		if (strcmp(buf, s) != 0)
			abort();
	}
	if (ts_parse_rfc3339(s, &us) == 0)
		ts_format_db(us, buf, sizeof(buf));
	(void)page_parse(s, s, s, &pg, p);

	memset(p, 0, sizeof(*p));
	j = cJSON_ParseWithLength(s, size);
	jsonv_object(j, "", fuzz_fields, sizeof(fuzz_fields) / sizeof(fuzz_fields[0]), v, p);
	problem_validation_done(p);
	out = problem_to_json(p, "/fuzz");
	cJSON_Delete(out);
	cJSON_Delete(j);
out:
	free(p);
	free(s);
	return 0;
}
