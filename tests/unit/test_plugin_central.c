/*
 * test_plugin_central.c - the `central` plugin (GAG pooling) through the ABI:
 * loads the built plugins/central.so as the daemon does and checks the pool,
 * the retention and the exact largest-remainder allocation against figures
 * worked out by hand below, and that the pool splits exactly as the daemon's
 * allocation (alloc_split) does: the same tie and zero-weight rules.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "alloc.h"
#include "money.h"
#include "plugin_harness.h"

static struct harness H;

static void load(const char *const *kv)
{
	if (h_load(&H, "central", kv) != 0)
		fail_msg("central.so: %s", H.err);
}

static int teardown(void **state)
{
	(void)state;
	h_unload(&H);
	return 0;
}

/* The allocation posted to urn (INT06 central -> INT05 school), or -1. */
static int64_t alloc_of(const char *urn)
{
	for (size_t i = 0; i < H.nposts; i++)
		if (strcmp(H.posts[i].basis, "allocation") == 0 && strcmp(H.posts[i].payee, urn) == 0) {
			assert_string_equal(H.posts[i].payer, "central");
			assert_string_equal(H.posts[i].payer_account, "INT06");
			assert_string_equal(H.posts[i].payee_account, "INT05");
			return H.posts[i].amount_pence;
		}
	return -1;
}

/* The GAG pooled from urn (INT03 school -> INT04 central), or -1. */
static int64_t pooled_of(const char *urn)
{
	for (size_t i = 0; i < H.nposts; i++)
		if (strcmp(H.posts[i].basis, "pool") == 0 && strcmp(H.posts[i].payer, urn) == 0) {
			assert_string_equal(H.posts[i].payer_account, "INT03");
			assert_string_equal(H.posts[i].payee, "central");
			assert_string_equal(H.posts[i].payee_account, "INT04");
			return H.posts[i].amount_pence;
		}
	return -1;
}

static void test_identity(void **state)
{
	(void)state;
	load(NULL);
	assert_int_equal(H.rules->abi, BURSAR_RULES_ABI);
	assert_string_equal(H.rules->name, "central");
	assert_non_null(H.rules->validate_budget);
}

/*
 * retention_bp 600, lump_sum_pence 1,000,000 (£10,000), 100002's need factor 115%.
 * 100001's excluded lines: a GAG income line for PFI, 5,000,000 (an excluded
 * income line in the GAG stream: off the pool), rates E17 1,000,000 (an excluded
 * expenditure line: off the pool too, whatever its stream) and an LA top-up
 * 4,444 (income outside the GAG stream: no effect).
 *
 *   school  pupils  GAG            excluded                       pooled
 *   100001  400     280,000,000    PFI 5,000,000 + rates 1,000,000  274,000,000
 *   100002  300     210,000,001    -                              210,000,001
 *   100003    0      15,000,000    -                               15,000,000
 *   pot = 499,000,001
 *   retained = round(499,000,001 × 600 / 10000) = round(29,940,000.06) = 29,940,000
 *   R = pot - retained - 3 × 1,000,000 = 466,060,001
 *   weights: 400 × 10000 = 4,000,000; 300 × 11500 = 3,450,000; 0 × 10000 = 0; W = 7,450,000
 *   100001: 466,060,001 × 4,000,000 / 7,450,000 = 250,233,557 rem 4,350,000
 *   100002: 466,060,001 × 3,450,000 / 7,450,000 = 215,826,443 rem 3,100,000
 *   100003: 0 rem 0
 *   floors sum to 466,060,000: 1 penny left, to the largest remainder (100001)
 *   allocations: 1,000,000 + 250,233,558 = 251,233,558
 *                1,000,000 + 215,826,443 = 216,826,443
 *                1,000,000 + 0           =   1,000,000   (no pupils: the lump sum only)
 *   251,233,558 + 216,826,443 + 1,000,000 + 29,940,000 = 499,000,001 = pot
 */
static void test_pool_three_schools(void **state)
{
	static const char *const kv[] = { "retention_bp", "600", "lump_sum_pence", "1000000",
					  "need_factor_bp_100002", "11500", NULL };
	const struct bursar_line xa[] = {
		H_LINE("I01", BURSAR_STREAM_GAG, 1, 1, -1, 5000000),      /* PFI: never pooled */
		H_LINE("E17", BURSAR_STREAM_EXPENDITURE, 0, 1, -1, 1000000), /* rates: off the pool */
		H_LINE("I03", BURSAR_STREAM_LA, 1, 1, -1, 4444),          /* not GAG: no effect */
	};
	const struct bursar_entity e[] = {
		{ .urn = "100001", .pupils = 400, .gag_pence = 280000000, .la_pence = 4444,
		  .excluded = xa, .nexcluded = 3, .excluded_size = sizeof(xa[0]) },
		{ .urn = "100002", .pupils = 300, .gag_pence = 210000001, .excluded_size = sizeof(xa[0]) },
		{ .urn = "100003", .pupils = 0, .gag_pence = 15000000, .excluded_size = sizeof(xa[0]) },
	};

	(void)state;
	load(kv);
	assert_int_equal(h_apply(&H, e, 3), 0);
	assert_int_equal(H.nfindings, 0);
	assert_int_equal(H.nposts, 6);
	assert_true(pooled_of("100001") == 274000000);
	assert_true(pooled_of("100002") == 210000001);
	assert_true(pooled_of("100003") == 15000000);
	assert_true(alloc_of("100001") == 251233558);
	assert_true(alloc_of("100002") == 216826443);
	assert_true(alloc_of("100003") == 1000000);
	assert_true(alloc_of("100001") + alloc_of("100002") + alloc_of("100003") + 29940000 == 499000001);
	assert_non_null(strstr(H.posts[0].explanation, "GAG \xc2\xa3" "2,800,000.00 less \xc2\xa3" "60,000.00 excluded"));
	assert_non_null(strstr(H.posts[4].explanation, "for 300 pupils \xc3\x97 need factor 115.00%"));
	assert_non_null(strstr(H.posts[4].explanation, "\xc2\xa3" "299,400.00 retained (6.00%)"));
}

/*
 * Remainders that do not follow the weights: R = 100p, weights 1, 2, 3 (pupils
 * 1, 2, 3; no lump sum, no retention): 100 × 1/6 = 16 rem 4, 100 × 2/6 = 33
 * rem 2, 100 × 3/6 = 50 rem 0; one penny left goes to the largest remainder,
 * the smallest school: 17, 33, 50.
 */
static void test_largest_remainder(void **state)
{
	const struct bursar_entity e[] = {
		{ .urn = "100001", .pupils = 1, .gag_pence = 30 },
		{ .urn = "100002", .pupils = 2, .gag_pence = 30 },
		{ .urn = "100003", .pupils = 3, .gag_pence = 40 },
	};

	(void)state;
	load(NULL);
	assert_int_equal(h_apply(&H, e, 3), 0);
	assert_true(alloc_of("100001") == 17);
	assert_true(alloc_of("100002") == 33);
	assert_true(alloc_of("100003") == 50);
}

/*
 * Ties go to the lower URN, whatever the order given: R = 101p between two
 * schools of 100 pupils: 50 rem 1,000,000 each (× 10000 bp); the one penny
 * left goes to 100004, listed second. Three equal schools and 10p: 3 each, one
 * penny to the lowest URN: 4, 3, 3.
 */
static void test_ties_lower_urn(void **state)
{
	const struct bursar_entity two[] = {
		{ .urn = "100005", .pupils = 100, .gag_pence = 50 },
		{ .urn = "100004", .pupils = 100, .gag_pence = 51 },
	};
	const struct bursar_entity three[] = {
		{ .urn = "100009", .pupils = 7, .gag_pence = 4 },
		{ .urn = "100007", .pupils = 7, .gag_pence = 3 },
		{ .urn = "100008", .pupils = 7, .gag_pence = 3 },
	};

	(void)state;
	load(NULL);
	assert_int_equal(h_apply(&H, two, 2), 0);
	assert_true(alloc_of("100004") == 51);
	assert_true(alloc_of("100005") == 50);
	assert_int_equal(h_apply(&H, three, 3), 0);
	assert_true(alloc_of("100007") == 4);
	assert_true(alloc_of("100008") == 3);
	assert_true(alloc_of("100009") == 3);
}

/* A general need factor and retention rounding half away from zero: pot 250p at
 * 200 bp = 5p retained exactly; pot 25p at 200 bp = 0.5 -> 1p. */
static void test_retention_rounding(void **state)
{
	static const char *const kv[] = { "retention_bp", "200", "need_factor_bp", "5000", NULL };
	const struct bursar_entity a[] = { { .urn = "100001", .pupils = 10, .gag_pence = 250 } };
	const struct bursar_entity b[] = { { .urn = "100001", .pupils = 10, .gag_pence = 25 } };

	(void)state;
	load(kv);
	assert_int_equal(h_apply(&H, a, 1), 0);
	assert_true(alloc_of("100001") == 245);
	assert_int_equal(h_apply(&H, b, 1), 0);
	assert_true(alloc_of("100001") == 24);
}

/* allocations + retained = pot to the penny, over many generated pools. */
static void test_invariant(void **state)
{
	static const char *const kv[] = { "retention_bp", "637", "lump_sum_pence", "12345",
					  "need_factor_bp_100002", "13333", "need_factor_bp_100005", "0", NULL };
	static const char *const urns[] = { "100001", "100002", "100003", "100004", "100005", "100006" };
	struct bursar_entity e[6];
	uint64_t seed = 88172645463325252ULL;

	(void)state;
	load(kv);
	for (int round = 0; round < 300; round++) {
		size_t n = 1 + (size_t)(round % 6);
		int64_t pot = 0, sum = 0, retained;

		for (size_t i = 0; i < n; i++) {
			seed ^= seed << 13;
			seed ^= seed >> 7;
			seed ^= seed << 17;
			e[i] = (struct bursar_entity){ .urn = urns[i], .pupils = (int32_t)(seed % 700) + 1,
						       .gag_pence = 100000 + (int64_t)(seed % 900000000) };
			pot += e[i].gag_pence;
		}
		retained = (pot * 637 + 5000) / 10000;          /* pot >= 0: half rounds up */
		assert_int_equal(h_apply(&H, e, n), 0);
		assert_int_equal(H.nposts, 2 * n);
		for (size_t i = 0; i < n; i++) {
			assert_true(alloc_of(urns[i]) >= 12345);
			sum += alloc_of(urns[i]);
		}
		assert_true(sum + retained == pot);
		if (n >= 5)
			assert_true(alloc_of("100005") == 12345);   /* need factor 0: the lump sum only */
	}
}

/*
 * The pool splits exactly as the daemon's allocation does (DESIGN.md "Central"):
 * the same tie rule and the same zero-weight rule as alloc_split.
 *
 * retention_bp 1000, lump_sum_pence 100, need_factor_bp_100005 15000; schools
 * given as 100006, 100004, 100005:
 *   school  pupils  need   weight  GAG
 *   100006  3       10000  30,000  1,000
 *   100004  3       10000  30,000  1,000
 *   100005  2       15000  30,000  1,001
 *   pot 3,001; retained round(300.1) = 300; lumps 300; R = 2,401; W = 90,000
 *   each: 2,401 × 30,000 / 90,000 = 800 r 30,000: a three-way tie; the 1p left
 *   goes to the lowest URN, 100004 (listed second): 801
 *   allocations 100 + 800 = 900, 100 + 801 = 901, 900; 900 + 901 + 900 + 300 = 3,001
 * alloc_split over the same weights and URNs gives the same shares.
 *
 * No funded pupils anywhere (W = 0), lump sum 1,000, no retention:
 *   GAG 1,000 each: pot 2,000, R = 0: nothing to split: the lump sums, 1,000 each;
 *   GAG 1,500 each: pot 3,000, R = 1,000 and nothing to share it by: refused;
 *   alloc_split says the same of both (0; ALLOC_NO_WEIGHT, every share 0).
 */
static void test_same_split_as_allocation(void **state)
{
	static const char *const kv[] = { "retention_bp", "1000", "lump_sum_pence", "100",
					  "need_factor_bp_100005", "15000", NULL };
	static const char *const kv_lump[] = { "lump_sum_pence", "1000", NULL };
	const struct bursar_entity e[] = {
		{ .urn = "100006", .pupils = 3, .gag_pence = 1000 },
		{ .urn = "100004", .pupils = 3, .gag_pence = 1000 },
		{ .urn = "100005", .pupils = 2, .gag_pence = 1001 },
	};
	struct bursar_entity none[] = {
		{ .urn = "100002", .gag_pence = 1000 },
		{ .urn = "100001", .gag_pence = 1000 },
	};
	struct bursar_share sh[3] = {
		{ .urn = "100006", .weight = 30000 }, { .urn = "100004", .weight = 30000 },
		{ .urn = "100005", .weight = 30000 },
	};
	struct bursar_share zero[2] = { { .urn = "100002" }, { .urn = "100001" } };

	(void)state;
	load(kv);
	assert_int_equal(h_apply(&H, e, 3), 0);
	assert_true(alloc_of("100006") == 900 && alloc_of("100004") == 901 && alloc_of("100005") == 900);
	assert_non_null(strstr(H.posts[3].explanation, "\xc2\xa3" "3.00 retained (10.00%)"));
	assert_int_equal(alloc_split(2401, sh, 3), 0);
	for (size_t i = 0; i < 3; i++)
		assert_true(alloc_of(sh[i].urn) == 100 + sh[i].pence);
	h_unload(&H);

	load(kv_lump);
	assert_int_equal(h_apply(&H, none, 2), 0);
	assert_int_equal(H.nfindings, 0);
	assert_true(alloc_of("100001") == 1000 && alloc_of("100002") == 1000);
	assert_int_equal(alloc_split(0, zero, 2), 0);
	none[0].gag_pence = none[1].gag_pence = 1500;
	assert_int_equal(h_apply(&H, none, 2), -1);
	assert_int_equal(H.nposts, 0);
	assert_int_equal(H.findings[0].severity, BURSAR_ERROR);
	assert_non_null(strstr(H.findings[0].message, "no pooled school has funded pupils"));
	assert_int_equal(alloc_split(1000, zero, 2), ALLOC_NO_WEIGHT);
	assert_true(zero[0].pence == 0 && zero[1].pence == 0);
}

/* The same over generated pools, ties included (pupils 1..3 in every third
 * round): each allocation is the lump sum plus alloc_split's share of R, with
 * the retention rounded by money_muldiv_round. */
static void test_pools_match_allocation(void **state)
{
	static const char *const kv[] = { "retention_bp", "637", "lump_sum_pence", "12345",
					  "need_factor_bp_100002", "13333", "need_factor_bp_100005", "0", NULL };
	static const char *const urns[] = { "100006", "100002", "100004", "100001", "100005", "100003" };
	static const int64_t need[] = { 10000, 13333, 10000, 10000, 0, 10000 };
	struct bursar_entity e[6];
	struct bursar_share sh[6];
	uint64_t seed = 0x2545F4914F6CDD1DULL;

	(void)state;
	load(kv);
	for (int round = 0; round < 300; round++) {
		size_t n = 1 + (size_t)(round % 6);
		int64_t pot = 0, retained, rest;

		for (size_t i = 0; i < n; i++) {
			seed ^= seed << 13;
			seed ^= seed >> 7;
			seed ^= seed << 17;
			e[i] = (struct bursar_entity){ .urn = urns[i],
						       .pupils = (int32_t)(seed % (round % 3 == 0 ? 3 : 700)) + 1,
						       .gag_pence = 100000 + (int64_t)(seed % 900000000) };
			sh[i] = (struct bursar_share){ .urn = urns[i], .weight = e[i].pupils * need[i] };
			pot += e[i].gag_pence;
		}
		assert_int_equal(money_muldiv_round(pot, 637, 10000, &retained), 0);
		rest = pot - retained - (int64_t)n * 12345;
		assert_int_equal(h_apply(&H, e, n), 0);
		assert_int_equal(alloc_split(rest, sh, n), 0);
		for (size_t i = 0; i < n; i++)
			assert_true(alloc_of(urns[i]) == 12345 + sh[i].pence);
	}
}

static void test_pool_errors(void **state)
{
	static const char *const kv[] = { "lump_sum_pence", "1000", "retention_bp", "1000", NULL };
	/* pot 2,000; retained 200; lumps 2 × 1,000 = 2,000 > 1,800 */
	const struct bursar_entity over[] = {
		{ .urn = "100001", .pupils = 5, .gag_pence = 1000 },
		{ .urn = "100002", .pupils = 5, .gag_pence = 1000 },
	};
	/* pot 10,000; retained 1,000; lumps 2,000; 7,000 to share but nobody has pupils */
	const struct bursar_entity nopupils[] = {
		{ .urn = "100001", .gag_pence = 5000 },
		{ .urn = "100002", .gag_pence = 5000 },
	};
	/* exactly enough for the lump sums: pot 2,223, retained 222 (222.3), lumps 2,000, R 1 */
	const struct bursar_entity exact[] = {
		{ .urn = "100001", .gag_pence = 1111 },
		{ .urn = "100002", .pupils = 1, .gag_pence = 1112 },
	};

	(void)state;
	load(kv);
	assert_int_equal(h_apply(&H, over, 2), -1);
	assert_int_equal(H.nposts, 0);
	assert_int_equal(H.findings[0].severity, BURSAR_ERROR);
	assert_non_null(strstr(H.findings[0].message, "exceed the pot after retention"));
	assert_int_equal(h_apply(&H, nopupils, 2), -1);
	assert_int_equal(H.nposts, 0);
	assert_non_null(strstr(H.findings[0].message, "no pooled school has funded pupils"));
	assert_int_equal(h_apply(&H, exact, 2), 0);
	assert_true(alloc_of("100001") == 1000);
	assert_true(alloc_of("100002") == 1001);
	/* no schools under the model: nothing to post */
	assert_int_equal(h_apply(&H, NULL, 0), 0);
	assert_int_equal(H.nposts, 0);
}

/* GAG smaller than its excluded lines: nothing pooled, a warning. */
static void test_negative_pool_warns(void **state)
{
	const struct bursar_line x[] = { H_LINE("I01", BURSAR_STREAM_GAG, 1, 1, -1, 900) };
	const struct bursar_entity e[] = {
		{ .urn = "100001", .pupils = 5, .gag_pence = 500, .excluded = x, .nexcluded = 1,
		  .excluded_size = sizeof(x[0]) },
		{ .urn = "100002", .pupils = 5, .gag_pence = 1000 },
	};

	(void)state;
	load(NULL);
	assert_int_equal(h_apply(&H, e, 2), 0);
	assert_int_equal(H.nfindings, 1);
	assert_int_equal(H.findings[0].severity, BURSAR_WARNING);
	assert_true(pooled_of("100001") == 0);
	assert_true(alloc_of("100001") == 500);
	assert_true(alloc_of("100002") == 500);
}

/*
 * Which excluded lines come off the pool, one kind per school (no retention, no
 * lump sum, so each allocation is the pot split by pupils):
 *   100001: GAG 1,000,000; excluded expenditure only: rates E17 30,000 and PFI
 *           E28b 20,000 -> pooled 950,000
 *   100002: GAG 500,000; an excluded GAG income line 100,000 -> pooled 400,000
 *   100003: GAG 650,000; an excluded LA income line 7,000 and an excluded
 *           internal line 1,000: neither counts -> pooled 650,000
 *   pot = 2,000,000; weights 1, 1, 2 pupils: 500,000, 500,000, 1,000,000.
 * And excluded expenditure larger than the GAG: nothing pooled, a warning.
 */
static void test_excluded_lines(void **state)
{
	const struct bursar_line x1[] = {
		H_LINE("E17", BURSAR_STREAM_EXPENDITURE, 0, 1, -1, 30000),
		H_LINE("E28b", BURSAR_STREAM_EXPENDITURE, 0, 1, -1, 20000),
	};
	const struct bursar_line x2[] = { H_LINE("I01", BURSAR_STREAM_GAG, 1, 1, -1, 100000) };
	const struct bursar_line x3[] = {
		H_LINE("I03", BURSAR_STREAM_LA, 1, 1, -1, 7000),
		H_LINE("INT01", BURSAR_STREAM_INTERNAL, 0, 1, -1, 1000),
	};
	const struct bursar_entity e[] = {
		{ .urn = "100001", .pupils = 1, .gag_pence = 1000000, .excluded = x1, .nexcluded = 2,
		  .excluded_size = sizeof(x1[0]) },
		{ .urn = "100002", .pupils = 1, .gag_pence = 500000, .excluded = x2, .nexcluded = 1,
		  .excluded_size = sizeof(x2[0]) },
		{ .urn = "100003", .pupils = 2, .gag_pence = 650000, .la_pence = 7000, .excluded = x3, .nexcluded = 2,
		  .excluded_size = sizeof(x3[0]) },
	};
	const struct bursar_entity over[] = {
		{ .urn = "100001", .pupils = 1, .gag_pence = 40000, .excluded = x1, .nexcluded = 2,
		  .excluded_size = sizeof(x1[0]) },
		{ .urn = "100002", .pupils = 1, .gag_pence = 1000 },
	};

	(void)state;
	load(NULL);
	assert_int_equal(h_apply(&H, e, 3), 0);
	assert_int_equal(H.nfindings, 0);
	assert_true(pooled_of("100001") == 950000);
	assert_true(pooled_of("100002") == 400000);
	assert_true(pooled_of("100003") == 650000);
	assert_true(alloc_of("100001") == 500000);
	assert_true(alloc_of("100002") == 500000);
	assert_true(alloc_of("100003") == 1000000);
	assert_non_null(strstr(H.posts[0].explanation, "GAG \xc2\xa3" "10,000.00 less \xc2\xa3" "500.00 excluded"));
	/* 40,000 of GAG less 50,000 of excluded expenditure: nothing pooled, a warning */
	assert_int_equal(h_apply(&H, over, 2), 0);
	assert_int_equal(H.nfindings, 1);
	assert_int_equal(H.findings[0].severity, BURSAR_WARNING);
	assert_non_null(strstr(H.findings[0].message, "100001: the lines excluded from pooling (\xc2\xa3" "500.00)"));
	assert_true(pooled_of("100001") == 0);
	assert_true(alloc_of("100001") + alloc_of("100002") == 1000);
}

/*
 * 100001's budget in the pool of test_pool_three_schools: its allocation is
 * INT05 = 251,233,558. A pooled school budgets that allocation instead of its
 * own GAG (the central team budgets the pooled GAG), and no INT03: the pooling
 * posting comes from apply_year in forecasts, not from budgets.
 */
static void test_validate_budget(void **state)
{
	static const char *const kv[] = { "retention_bp", "600", "lump_sum_pence", "1000000",
					  "need_factor_bp_100002", "11500", NULL };
	const struct bursar_line xa[] = {
		H_LINE("I01", BURSAR_STREAM_GAG, 1, 1, -1, 5000000),
		H_LINE("E17", BURSAR_STREAM_EXPENDITURE, 0, 1, -1, 1000000),
	};
	const struct bursar_entity e[] = {
		{ .urn = "100001", .pupils = 400, .gag_pence = 280000000, .excluded = xa, .nexcluded = 2,
		  .excluded_size = sizeof(xa[0]) },
		{ .urn = "100002", .pupils = 300, .gag_pence = 210000001 },
		{ .urn = "100003", .pupils = 0, .gag_pence = 15000000 },
	};
	const struct bursar_year y = { .size = sizeof(y), .year = 2026, .entities = e, .nentities = 3,
				       .entity_size = sizeof(e[0]) };
	/*
	 * By hand, for 100001: excluded = 5,000,000 (its excluded GAG line) + 1,000,000
	 * (rates) = 6,000,000, so pooled = 280,000,000 - 6,000,000 = 274,000,000 (INT03).
	 * pot = 274,000,000 + 210,000,001 + 15,000,000 = 499,000,001; retained =
	 * round(499,000,001 x 600 / 10000) = 29,940,000; R = 499,000,001 - 29,940,000 -
	 * 3 x 1,000,000 = 466,060,001; weights 400 x 10000 = 4,000,000 and 300 x 11500 =
	 * 3,450,000 (W = 7,450,000): 466,060,001 x 4,000,000 / 7,450,000 = 250,233,557.58
	 * and 215,826,443.42, floors summing to 466,060,000, the penny left to the larger
	 * remainder: 250,233,558; alloc = 1,000,000 + 250,233,558 = 251,233,558 (INT05).
	 */
	struct bursar_line l[] = {
		H_LINE("I01", BURSAR_STREAM_GAG, 1, 0, 0, 275000000),
		H_LINE("I05", BURSAR_STREAM_DFE_OTHER, 1, 0, 1, 30000000),
		H_LINE("E01", BURSAR_STREAM_EXPENDITURE, 0, 0, 2, 200000000),
		H_LINE("E17", BURSAR_STREAM_EXPENDITURE, 0, 1, 3, 1000000),
		H_LINE("INT03", BURSAR_STREAM_INTERNAL, 0, 0, 4, 274000000),
		H_LINE("INT05", BURSAR_STREAM_INTERNAL, 1, 0, 5, 251233558),
	};

	(void)state;
	load(kv);
	/* its own GAG (no longer refused), the GAG pooled and the allocation, to the penny */
	assert_int_equal(h_validate(&H, "100001", l, 6, &y), 0);
	assert_int_equal(H.nfindings, 0);
	/* a penny over or under is an error on the line */
	l[5].amount_pence = 251233558 + 1;
	assert_int_equal(h_validate(&H, "100001", l, 6, &y), 0);
	assert_int_equal(H.nfindings, 1);
	assert_int_equal(H.findings[0].severity, BURSAR_ERROR);
	assert_string_equal(H.findings[0].field, "/lines/5/amount_pence");
	assert_string_equal(H.findings[0].message,
			    "the allocation from the GAG pool (INT05) is computed by the central plugin: it should be "
			    "\xc2\xa3" "2,512,335.58, to the penny; the budget has \xc2\xa3" "2,512,335.59");
	l[5].amount_pence = 251233558 - 1;
	assert_int_equal(h_validate(&H, "100001", l, 6, &y), 0);
	assert_int_equal(H.nfindings, 1);
	assert_non_null(strstr(H.findings[0].message, "has \xc2\xa3" "2,512,335.57"));
	/* the GAG pooled is checked too, and both are reported */
	l[4].amount_pence = 274000000 - 1;
	assert_int_equal(h_validate(&H, "100001", l, 6, &y), 0);
	assert_int_equal(H.nfindings, 2);
	assert_string_equal(H.findings[0].field, "/lines/4/amount_pence");
	assert_string_equal(H.findings[0].message,
			    "the GAG pooled to the trust (INT03) is computed by the central plugin: it should be "
			    "\xc2\xa3" "2,740,000.00, to the penny; the budget has \xc2\xa3" "2,739,999.99");
	assert_string_equal(H.findings[1].field, "/lines/5/amount_pence");
	l[4].amount_pence = 274000000;
	l[5].amount_pence = 251233558;
	/* place funding is GAG too, and not refused either */
	assert_int_equal(h_validate(&H, "100001", (const struct bursar_line[]){
		H_LINE("I01P", BURSAR_STREAM_GAG, 1, 0, 0, 12000000), l[1], l[2], l[3], l[4], l[5] }, 6, &y), 0);
	assert_int_equal(H.nfindings, 0);
	/* neither line at all: one error each on /lines, naming what they should be */
	assert_int_equal(h_validate(&H, "100001", l, 4, &y), 0);
	assert_int_equal(H.nfindings, 2);
	assert_string_equal(H.findings[0].field, "/lines");
	assert_non_null(strstr(H.findings[0].message, "(INT03) is computed by the central plugin: it should be "
				"\xc2\xa3" "2,740,000.00, to the penny; the budget has \xc2\xa3" "0.00"));
	assert_string_equal(H.findings[1].field, "/lines");
	assert_non_null(strstr(H.findings[1].message, "(INT05)"));
	/* two INT05 lines: judged by their sum, on /lines */
	assert_int_equal(h_validate(&H, "100001", (const struct bursar_line[]){ l[0], l[4],
		H_LINE("INT05", BURSAR_STREAM_INTERNAL, 1, 0, 2, 251233550),
		H_LINE("INT05", BURSAR_STREAM_INTERNAL, 1, 0, 3, 8) }, 4, &y), 0);
	assert_int_equal(H.nfindings, 0);
	/* without the other schools' figures nothing is checked (said so) */
	assert_int_equal(h_validate(&H, "100001", l, 6, NULL), 0);
	assert_int_equal(H.nfindings, 1);
	assert_int_equal(H.findings[0].severity, BURSAR_INFO);
	assert_non_null(strstr(H.findings[0].message, "(INT03) and the allocation from the pool (INT05) were not checked"));
	/* a school outside the pool: not checked either (said so) */
	assert_int_equal(h_validate(&H, "100009", l, 6, &y), 0);
	assert_int_equal(H.nfindings, 1);
	assert_int_equal(H.findings[0].severity, BURSAR_INFO);
}

static void expect_init_fails(const char *const *kv, const char *needle)
{
	struct harness h;

	assert_int_not_equal(h_load(&h, "central", kv), 0);
	if (strstr(h.err, needle) == NULL)
		fail_msg("init error \"%s\" does not mention \"%s\"", h.err, needle);
	dlclose(h.handle);
}

static void test_settings_refused(void **state)
{
	(void)state;
	expect_init_fails((const char *const[]){ "retention_bp", "10001", NULL }, "retention_bp: must be");
	expect_init_fails((const char *const[]){ "retention_bp", "6%", NULL }, "retention_bp");
	expect_init_fails((const char *const[]){ "lump_sum_pence", "-5", NULL }, "lump_sum_pence");
	expect_init_fails((const char *const[]){ "need_factor_bp_159905", "100001", NULL }, "need_factor_bp_159905");
	expect_init_fails((const char *const[]){ "need_factor_bp", "x", NULL }, "need_factor_bp");
	expect_init_fails((const char *const[]){ "topslice_bp", "500", NULL }, "unknown setting \"topslice_bp\"");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_identity, teardown),
		cmocka_unit_test_teardown(test_pool_three_schools, teardown),
		cmocka_unit_test_teardown(test_largest_remainder, teardown),
		cmocka_unit_test_teardown(test_ties_lower_urn, teardown),
		cmocka_unit_test_teardown(test_retention_rounding, teardown),
		cmocka_unit_test_teardown(test_invariant, teardown),
		cmocka_unit_test_teardown(test_same_split_as_allocation, teardown),
		cmocka_unit_test_teardown(test_pools_match_allocation, teardown),
		cmocka_unit_test_teardown(test_pool_errors, teardown),
		cmocka_unit_test_teardown(test_negative_pool_warns, teardown),
		cmocka_unit_test_teardown(test_excluded_lines, teardown),
		cmocka_unit_test_teardown(test_validate_budget, teardown),
		cmocka_unit_test(test_settings_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
