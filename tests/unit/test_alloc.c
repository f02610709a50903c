/* test_alloc.c - unit tests for daemon/alloc.c: the largest-remainder split with
 * hand-worked figures written out (three schools, remainders, ties by URN, the
 * same tie and zero-weight rules as the central plugin's, zero weights, a school
 * with no pupils, fixed shares, usage, 1p and £10m, 1 and 1,000 schools, the sum
 * property over many random cases), the cost net of recoverable VAT, and the
 * explanations as text. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"

static void items_of(struct bursar_share *it, size_t n, const char *const *urns, const int64_t *weights)
{
	memset(it, 0, n * sizeof(*it));
	for (size_t i = 0; i < n; i++) {
		it[i].urn = urns[i];
		it[i].weight = weights[i];
	}
}

/* £48,000.00 by pupils 412 / 1,458 / 2,000 (W = 3,870):
 *   4,800,000 × 412 / 3,870   = 511,007 r 2,910
 *   4,800,000 × 1,458 / 3,870 = 1,808,372 r 360
 *   4,800,000 × 2,000 / 3,870 = 2,480,620 r 600
 * floors 4,799,999: 1p left, to the largest remainder (2,910). */
static void test_three_schools_remainder(void **state)
{
	const char *urns[] = { "100001", "100002", "100003" };
	const int64_t w[] = { 412, 1458, 2000 };
	struct bursar_share it[3];

	(void)state;
	items_of(it, 3, urns, w);
	assert_int_equal(alloc_split(4800000, it, 3), 0);
	assert_true(it[0].pence == 511008 && it[0].remainder == 2910 && it[0].extra_penny == 1);
	assert_true(it[1].pence == 1808372 && it[1].remainder == 360 && it[1].extra_penny == 0);
	assert_true(it[2].pence == 2480620 && it[2].remainder == 600 && it[2].extra_penny == 0);
	assert_true(it[0].pence + it[1].pence + it[2].pence == 4800000);
}

/* 100p equally over three: 33 r 1 each, 1p left: the lowest URN (159901), wherever it stands. */
static void test_ties_go_to_the_lower_urn(void **state)
{
	const char *urns[] = { "159903", "159901", "159902" };
	const int64_t w[] = { 1, 1, 1 };
	struct bursar_share it[3];

	(void)state;
	items_of(it, 3, urns, w);
	assert_int_equal(alloc_split(100, it, 3), 0);
	assert_true(it[0].pence == 33 && it[1].pence == 34 && it[2].pence == 33);
	/* 2p: 0 r 2 each, the two lowest URNs */
	assert_int_equal(alloc_split(2, it, 3), 0);
	assert_true(it[0].pence == 0 && it[1].pence == 1 && it[2].pence == 1);
	/* same URN: the lower tie number */
	it[0].urn = it[1].urn = it[2].urn = "159901";
	it[0].tie = 7;
	it[1].tie = 9;
	it[2].tie = 3;
	assert_int_equal(alloc_split(100, it, 3), 0);
	assert_true(it[0].pence == 33 && it[1].pence == 33 && it[2].pence == 34);
}

/*
 * The same tie and zero-weight rules as the central plugin's pooling (the split
 * is bursar_split in both; test_plugin_central.c runs these figures through the
 * plugin):
 * - R = 101p between two schools of 100 pupils × need 10000 (weights 1,000,000
 *   each, W = 2,000,000): 101 × 1,000,000 / 2,000,000 = 50 r 1,000,000 each; the
 *   1p left goes to the lower URN, 100004, though it is listed second: 51, 50.
 * - 10p over three schools of 7 pupils (weights 70,000, W = 210,000):
 *   10 × 70,000 / 210,000 = 3 r 70,000 each; 1p to the lowest URN, 100007: 4, 3, 3.
 * - 7,000p over schools with no pupils (W = 0): nothing to split by, no share is
 *   invented: every share 0 and ALLOC_NO_WEIGHT (the plugin refuses that pool);
 *   0p over them is no split at all: 0.
 */
static void test_same_rules_as_the_plugins(void **state)
{
	const char *two_urns[] = { "100005", "100004" }, *three_urns[] = { "100009", "100007", "100008" };
	const int64_t two_w[] = { 1000000, 1000000 }, three_w[] = { 70000, 70000, 70000 }, zero_w[] = { 0, 0 };
	struct bursar_share it[3];

	(void)state;
	items_of(it, 2, two_urns, two_w);
	assert_int_equal(alloc_split(101, it, 2), 0);
	assert_true(it[0].pence == 50 && it[1].pence == 51 && it[1].extra_penny == 1);
	assert_true(it[0].remainder == 1000000 && it[1].remainder == 1000000);
	items_of(it, 3, three_urns, three_w);
	assert_int_equal(alloc_split(10, it, 3), 0);
	assert_true(it[0].pence == 3 && it[1].pence == 4 && it[2].pence == 3);
	items_of(it, 2, two_urns, zero_w);
	assert_int_equal(alloc_split(7000, it, 2), ALLOC_NO_WEIGHT);
	assert_true(it[0].pence == 0 && it[1].pence == 0 && !it[0].extra_penny && !it[1].extra_penny);
	assert_int_equal(alloc_split(0, it, 2), 0);
	/* alloc_split is bursar_split: the plugins' split, item for item */
	items_of(it, 3, three_urns, three_w);
	assert_int_equal(bursar_split(10, it, 3), 0);
	assert_true(it[0].pence == 3 && it[1].pence == 4 && it[2].pence == 3);
	items_of(it, 2, two_urns, zero_w);
	assert_int_equal(bursar_split(7000, it, 2), BURSAR_SPLIT_NO_WEIGHT);
	assert_int_equal(ALLOC_NO_WEIGHT, BURSAR_SPLIT_NO_WEIGHT);
}

/* A total of 1p over three equal schools: the lowest URN gets it. */
static void test_one_penny(void **state)
{
	const char *urns[] = { "159903", "159901", "159902" };
	const int64_t w[] = { 1, 1, 1 };
	struct bursar_share it[3];

	(void)state;
	items_of(it, 3, urns, w);
	assert_int_equal(alloc_split(1, it, 3), 0);
	assert_true(it[0].pence == 0 && it[1].pence == 1 && it[2].pence == 0);
}

/* £10m by the Newham and Southend pupils 690/630/660/522/409/357/478 (W = 3,746):
 * remainders 904, 1,314, 2,982, 2,052, 2,512, 370, 1,104 (sum 11,238 = 3 × W),
 * so 3p go to 2,982 (159903), 2,512 (159905) and 2,052 (159904). */
static void test_ten_million(void **state)
{
	const char *urns[] = { "159901", "159902", "159903", "159904", "159905", "159907", "159908" };
	const int64_t w[] = { 690, 630, 660, 522, 409, 357, 478 };
	const int64_t want[] = { 184196476, 168179391, 176187934, 139348639, 109183129, 95301655, 127602776 };
	struct bursar_share it[7];
	int64_t sum = 0;

	(void)state;
	items_of(it, 7, urns, w);
	assert_int_equal(alloc_split(INT64_C(1000000000), it, 7), 0);
	for (size_t i = 0; i < 7; i++) {
		assert_true(it[i].pence == want[i]);
		sum += it[i].pence;
	}
	assert_true(sum == INT64_C(1000000000));
	assert_true(it[2].extra_penny && it[3].extra_penny && it[4].extra_penny && !it[0].extra_penny);
}

/* Every weight 0: nothing to split by (every share 0); with a total of 0 that is fine. */
static void test_zero_weights(void **state)
{
	const char *urns[] = { "159901", "159902" };
	const int64_t w[] = { 0, 0 };
	struct bursar_share it[2];

	(void)state;
	items_of(it, 2, urns, w);
	assert_int_equal(alloc_split(500, it, 2), ALLOC_NO_WEIGHT);
	assert_true(it[0].pence == 0 && it[1].pence == 0);
	assert_int_equal(alloc_split(0, it, 2), 0);
	assert_int_equal(alloc_split(500, NULL, 0), ALLOC_NO_WEIGHT);
	assert_int_equal(alloc_split(0, NULL, 0), 0);
}

/* A school with 0 pupils gets nothing: 1,001p by 0 / 300 / 700: 0, 300 r 300, 700 r 700;
 * the 1p left goes to 700. */
static void test_school_with_no_pupils(void **state)
{
	const char *urns[] = { "159901", "159902", "159903" };
	const int64_t w[] = { 0, 300, 700 };
	struct bursar_share it[3];

	(void)state;
	items_of(it, 3, urns, w);
	assert_int_equal(alloc_split(1001, it, 3), 0);
	assert_true(it[0].pence == 0 && it[1].pence == 300 && it[2].pence == 701);
	assert_int_equal(it[0].extra_penny, 0);
}

/* Fixed shares 2,500 / 2,500 / 5,000 bp of £1,000.01: 25,000 r 2,500, 25,000 r 2,500,
 * 50,000 r 5,000; the 1p left to 5,000. */
static void test_fixed_shares(void **state)
{
	const char *urns[] = { "159901", "159902", "159903" };
	const int64_t w[] = { 2500, 2500, 5000 };
	struct bursar_share it[3];

	(void)state;
	items_of(it, 3, urns, w);
	assert_int_equal(alloc_split(100001, it, 3), 0);
	assert_true(it[0].pence == 25000 && it[1].pence == 25000 && it[2].pence == 50001);
}

/* Usage: 41,000 / 55,000 / 24,000 meals of 120,000 × £30,000.00 divide exactly:
 * £10,250.00, £13,750.00, £6,000.00, no penny left. */
static void test_usage(void **state)
{
	const char *urns[] = { "159901", "159902", "159903" };
	const int64_t w[] = { 41000, 55000, 24000 };
	struct bursar_share it[3];

	(void)state;
	items_of(it, 3, urns, w);
	assert_int_equal(alloc_split(3000000, it, 3), 0);
	assert_true(it[0].pence == 1025000 && it[1].pence == 1375000 && it[2].pence == 600000);
	assert_true(!it[0].extra_penny && !it[1].extra_penny && !it[2].extra_penny);
}

static void test_one_school_takes_all(void **state)
{
	struct bursar_share it = { .urn = "159901", .weight = 17 };

	(void)state;
	assert_int_equal(alloc_split(123457, &it, 1), 0);
	assert_true(it.pence == 123457 && it.extra_penny == 0);
}

/* 1,000 schools weighted 1..1,000 (W = 500,500) share £1,000,000.00: every share is
 * floor(total × w / W) or one more, and they sum to the total. */
static void test_thousand_schools(void **state)
{
	static struct bursar_share it[1000];
	static char urns[1000][16];
	int64_t sum = 0, extra = 0, floors = 0;

	(void)state;
	for (int i = 0; i < 1000; i++) {
		snprintf(urns[i], sizeof(urns[i]), "%06d", 100000 + i);
		it[i] = (struct bursar_share){ .urn = urns[i], .weight = i + 1 };
	}
	assert_int_equal(alloc_split(100000000, it, 1000), 0);
	for (int i = 0; i < 1000; i++) {
		int64_t floor_ = (int64_t)100000000 * (i + 1) / 500500;

		assert_true(it[i].pence == floor_ + it[i].extra_penny);
		floors += floor_;
		sum += it[i].pence;
		extra += it[i].extra_penny;
	}
	assert_true(sum == 100000000);
	/* the floors leave fewer pence than there are schools, one to each */
	assert_true(extra == 100000000 - floors && extra < 1000);
}

/* A deterministic generator (xorshift64*), so a failure can be replayed. */
static uint64_t rnd_state = UINT64_C(0x9E3779B97F4A7C15);

static uint64_t rnd(void)
{
	rnd_state ^= rnd_state >> 12;
	rnd_state ^= rnd_state << 25;
	rnd_state ^= rnd_state >> 27;
	return rnd_state * UINT64_C(2685821657736338717);
}

/* The sum property and the largest-remainder rule over 2,000 random cases. */
static void test_random_sum_property(void **state)
{
	static struct bursar_share it[60], copy[60];
	static char urns[60][16];

	(void)state;
	for (int c = 0; c < 2000; c++) {
		size_t n = 1 + rnd() % 60;
		int64_t total = (int64_t)(rnd() % (c % 3 == 0 ? 1000 : UINT64_C(100000000000)));
		int64_t sum = 0, wsum = 0;
		int rc;

		for (size_t i = 0; i < n; i++) {
			snprintf(urns[i], sizeof(urns[i]), "%06u", (unsigned)(100000 + rnd() % 900000));
			it[i] = (struct bursar_share){ .urn = urns[i], .tie = (int64_t)i,
						     .weight = rnd() % 5 == 0 ? 0 : (int64_t)(rnd() % 1000000) };
			wsum += it[i].weight;
		}
		memcpy(copy, it, n * sizeof(*it));
		rc = alloc_split(total, it, n);
		if (wsum == 0) {
			assert_int_equal(rc, total > 0 ? ALLOC_NO_WEIGHT : 0);
			continue;
		}
		assert_int_equal(rc, 0);
		for (size_t i = 0; i < n; i++) {
			sum += it[i].pence;
			assert_true(it[i].pence - it[i].extra_penny >= 0);
			/* whoever got a penny has a remainder at least as large as anyone who did not */
			for (size_t j = 0; j < n && it[i].extra_penny; j++)
				if (!it[j].extra_penny)
					assert_true(it[i].remainder > it[j].remainder ||
						    (it[i].remainder == it[j].remainder &&
						     (strcmp(it[i].urn, it[j].urn) < 0 ||
						      (strcmp(it[i].urn, it[j].urn) == 0 && it[i].tie < it[j].tie))));
		}
		assert_true(sum == total);
		/* the order of the items does not matter: reversed, each gets the same */
		for (size_t i = 0; i < n; i++)
			it[i] = copy[n - 1 - i];
		assert_int_equal(alloc_split(total, it, n), 0);
		{
			struct bursar_share again[60];

			memcpy(again, copy, n * sizeof(*copy));
			assert_int_equal(alloc_split(total, again, n), 0);
			for (size_t i = 0; i < n; i++)
				assert_true(it[n - 1 - i].pence == again[i].pence);
		}
	}
}

static void test_bad_input(void **state)
{
	struct bursar_share it[2] = { { .urn = "159901", .weight = 1 }, { .urn = "159902", .weight = -1 } };

	(void)state;
	assert_int_equal(alloc_split(100, it, 2), -1);
	it[1].weight = 1;
	assert_int_equal(alloc_split(-1, it, 2), -1);
	it[0].weight = INT64_MAX;
	assert_int_equal(alloc_split(100, it, 2), -1);         /* W overflows */
}

/* VAT: academies recover VAT on their non-business costs (default 10000 bp). */
static void test_net_of_recoverable_vat(void **state)
{
	int64_t irr = -1, cost = -1;

	(void)state;
	assert_int_equal(alloc_net_cost(1000000, 200000, 10000, &irr, &cost), 0);
	assert_true(irr == 0 && cost == 1000000);
	assert_int_equal(alloc_net_cost(1000000, 200000, 0, &irr, &cost), 0);
	assert_true(irr == 200000 && cost == 1200000);
	/* 75% recoverable: 150,000 recovered, 50,000 a cost */
	assert_int_equal(alloc_net_cost(1000000, 200000, 7500, &irr, &cost), 0);
	assert_true(irr == 50000 && cost == 1050000);
	/* 33.33% of 100p: round(33.33) = 33 recovered, 67 a cost */
	assert_int_equal(alloc_net_cost(0, 100, 3333, &irr, &cost), 0);
	assert_true(irr == 67 && cost == 67);
	assert_int_equal(alloc_net_cost(0, 100, 10001, &irr, &cost), -1);
	assert_int_equal(alloc_net_cost(0, -1, 10000, &irr, &cost), -1);
}

static void test_explanations(void **state)
{
	char buf[256];
	struct alloc_explain e = { .basis = ALLOC_PER_PUPIL, .value = 412, .total = 3870, .months = 12,
				   .cost_pence = 4800000 };

	(void)state;
	alloc_explain(&e, buf, sizeof(buf));
	assert_string_equal(buf, "pupils 412 of 3,870 × £48,000.00");
	e.extra_penny = 1;
	alloc_explain(&e, buf, sizeof(buf));
	assert_string_equal(buf, "pupils 412 of 3,870 × £48,000.00 (+1p remainder)");
	e = (struct alloc_explain){ .basis = ALLOC_PER_FTE, .value = 8240, .total = 65010, .months = 12,
				    .cost_pence = 1234567 };
	alloc_explain(&e, buf, sizeof(buf));
	assert_string_equal(buf, "FTE 82.40 of 650.10 × £12,345.67");
	e = (struct alloc_explain){ .basis = ALLOC_FLOOR_AREA, .value = 4400, .total = 31000, .months = 12,
				    .cost_pence = 9000000 };
	alloc_explain(&e, buf, sizeof(buf));
	assert_string_equal(buf, "floor area 4,400 m² of 31,000 m² × £90,000.00");
	e = (struct alloc_explain){ .basis = ALLOC_EQUAL, .value = 1, .total = 9, .months = 12, .cost_pence = 3240000 };
	alloc_explain(&e, buf, sizeof(buf));
	assert_string_equal(buf, "1 of 9 schools × £32,400.00");
	e = (struct alloc_explain){ .basis = ALLOC_FIXED_SHARE, .value = 2500, .total = 10000, .months = 12,
				    .cost_pence = 100 };
	alloc_explain(&e, buf, sizeof(buf));
	assert_string_equal(buf, "fixed share 2,500 of 10,000 bp × £1.00");
	e = (struct alloc_explain){ .basis = ALLOC_USAGE, .value = 41000, .total = 120000, .months = 12,
				    .cost_pence = 3000000, .unit = "meals" };
	alloc_explain(&e, buf, sizeof(buf));
	assert_string_equal(buf, "meals 41,000 of 120,000 × £30,000.00");
	e.unit = NULL;
	alloc_explain(&e, buf, sizeof(buf));
	assert_string_equal(buf, "units 41,000 of 120,000 × £30,000.00");
	/* prorated: pupils 600 for 8 months of 412 × 12 + 600 × 8 = 9,744 pupil-months */
	e = (struct alloc_explain){ .basis = ALLOC_PER_PUPIL, .value = 600, .total = 9744, .months = 8, .prorated = 1,
				    .cost_pence = 974400 };
	alloc_explain(&e, buf, sizeof(buf));
	assert_string_equal(buf, "pupils 600 × 8 months of 9,744 (pupils × months) × £9,744.00");
	e.basis = ALLOC_EQUAL;
	e.value = 1;
	e.total = 20;
	e.months = 1;
	alloc_explain(&e, buf, sizeof(buf));
	assert_string_equal(buf, "1 school × 1 month of 20 (schools × months) × £9,744.00");
	/* truncation keeps the terminator and reports the length needed */
	e = (struct alloc_explain){ .basis = ALLOC_PER_PUPIL, .value = 412, .total = 3870, .months = 12,
				    .cost_pence = 4800000 };
	assert_int_equal(alloc_explain(&e, buf, 8), strlen("pupils 412 of 3,870 × £48,000.00"));
	assert_int_equal(strlen(buf), 7);
}

static void test_format_and_names(void **state)
{
	char buf[40];

	(void)state;
	alloc_format_int(1234567, 0, buf, sizeof(buf));
	assert_string_equal(buf, "1,234,567");
	alloc_format_int(5, 1, buf, sizeof(buf));
	assert_string_equal(buf, "0.05");
	alloc_format_int(-123456, 1, buf, sizeof(buf));
	assert_string_equal(buf, "-1,234.56");
	assert_int_equal(alloc_basis_parse("floor_area"), ALLOC_FLOOR_AREA);
	assert_int_equal(alloc_basis_parse("usage"), ALLOC_USAGE);
	assert_int_equal(alloc_basis_parse("Usage"), -1);
	assert_int_equal(alloc_basis_parse(NULL), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_three_schools_remainder),
		cmocka_unit_test(test_ties_go_to_the_lower_urn),
		cmocka_unit_test(test_same_rules_as_the_plugins),
		cmocka_unit_test(test_one_penny),
		cmocka_unit_test(test_ten_million),
		cmocka_unit_test(test_zero_weights),
		cmocka_unit_test(test_school_with_no_pupils),
		cmocka_unit_test(test_fixed_shares),
		cmocka_unit_test(test_usage),
		cmocka_unit_test(test_one_school_takes_all),
		cmocka_unit_test(test_thousand_schools),
		cmocka_unit_test(test_random_sum_property),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_net_of_recoverable_vat),
		cmocka_unit_test(test_explanations),
		cmocka_unit_test(test_format_and_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
