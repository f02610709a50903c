/*
 * test_plugin_local.c - the `local` plugin (top-slice) through the ABI: loads the
 * built plugins/local.so as the daemon does and checks its postings, findings and
 * settings against figures worked out by hand below, and that it rounds exactly
 * as the daemon does (money_muldiv_round: both are bursar_arith.h's).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "money.h"
#include "plugin_harness.h"

static struct harness H;

static void load(const char *const *kv)
{
	int rc = h_load(&H, "local", kv);

	if (rc != 0)
		fail_msg("local.so: %s", H.err);
}

static int teardown(void **state)
{
	(void)state;
	h_unload(&H);
	return 0;
}

static void test_identity(void **state)
{
	(void)state;
	load(NULL);
	assert_int_equal(H.rules->abi, BURSAR_RULES_ABI);
	assert_int_equal(H.rules->size, sizeof(struct bursar_rules));
	assert_string_equal(H.rules->name, "local");
	assert_non_null(H.rules->version);
	assert_non_null(H.rules->validate_budget);
	assert_non_null(H.rules->fini);
}

/*
 * Default 5% of GAG less the excluded lines (excluded GAG income lines and every
 * excluded expenditure line); 100003 has its own 4%.
 *
 * 100001: GAG £1,000,000.00 (100,000,000p), excluded: a GAG income line
 *         £30,000.00 (off the base), PFI costs E28b £20,000.00 (an expenditure
 *         line: off the base too), LA top-up £9,999.99 (income outside GAG: not
 *         off a GAG base).
 *         base = 100,000,000 - 3,000,000 - 2,000,000 = 95,000,000;
 *         × 500/10000 = 4,750,000p.
 * 100002: GAG 52,345,690p, nothing excluded: × 0.05 = 2,617,284.5 -> half away
 *         from zero: 2,617,285p.
 * 100003: GAG 30,000,001p less PFI 500,000p = 29,500,001; × 400/10000 =
 *         1,180,000.04 -> 1,180,000p.
 * 100004: no pupils, no GAG: a charge of 0, still posted (the statement shows it).
 */
static void test_topslice_gag(void **state)
{
	static const char *const kv[] = { "topslice_bp_100003", "400", NULL };
	const struct bursar_line x1[] = {
		H_LINE("I01", BURSAR_STREAM_GAG, 1, 1, -1, 3000000),
		H_LINE("E28b", BURSAR_STREAM_EXPENDITURE, 0, 1, -1, 2000000),
		H_LINE("I03", BURSAR_STREAM_LA, 1, 1, -1, 999999),
	};
	const struct bursar_line x3[] = { H_LINE("I01", BURSAR_STREAM_GAG, 1, 1, -1, 500000) };
	const struct bursar_entity e[] = {
		{ .urn = "100001", .name = "A", .pupils = 400, .gag_pence = 100000000, .la_pence = 999999,
		  .dfe_other_pence = 7000000, .self_generated_pence = 123, .expenditure_pence = 99000000,
		  .excluded = x1, .nexcluded = 3, .excluded_size = sizeof(x1[0]) },
		{ .urn = "100002", .name = "B", .pupils = 300, .gag_pence = 52345690, .excluded_size = sizeof(x1[0]) },
		{ .urn = "100003", .name = "C", .pupils = 200, .gag_pence = 30000001,
		  .excluded = x3, .nexcluded = 1, .excluded_size = sizeof(x3[0]) },
		{ .urn = "100004", .name = "D", .excluded_size = sizeof(x1[0]) },
	};
	static const int64_t want[] = { 4750000, 2617285, 1180000, 0 };
	static const int64_t base[] = { 95000000, 52345690, 29500001, 0 };
	static const int32_t bp[] = { 500, 500, 400, 500 };

	(void)state;
	load(kv);
	assert_int_equal(h_apply(&H, e, 4), 0);
	assert_int_equal(H.nfindings, 0);
	assert_int_equal(H.nposts, 4);
	for (int i = 0; i < 4; i++) {
		const struct h_posting *p = &H.posts[i];

		assert_string_equal(p->payer, e[i].urn);
		assert_string_equal(p->payer_account, "INT01");
		assert_string_equal(p->payee, "central");
		assert_string_equal(p->payee_account, "INT02");
		assert_string_equal(p->basis, "topslice");
		assert_true(p->amount_pence == want[i]);
		assert_true(p->base_pence == base[i]);
		assert_int_equal(p->rate_bp, bp[i]);
	}
	assert_string_equal(H.posts[0].explanation,
			    "5.00% top-slice of \xc2\xa3" "950,000.00: GAG \xc2\xa3" "1,000,000.00 less \xc2\xa3"
			    "50,000.00 excluded from central charges");
	assert_non_null(strstr(H.posts[2].explanation, "4.00% top-slice (this school's rate) of \xc2\xa3" "295,000.01"));
}

/*
 * base = "all_income", 3%: 100001 has GAG 40,000,000 + other DfE 5,000,000 + LA
 * 3,000,000 + self-generated 2,000,003 = 50,000,003p; excluded: a GAG income line
 * 1,000,000 and an LA income line 500,000 (both income in the base) and rates E17
 * 7,777 (expenditure: off the base as well). base = 50,000,003 - 1,507,777 =
 * 48,492,226; × 300/10000 = 1,454,766.78 -> 1,454,767p.
 */
static void test_topslice_all_income(void **state)
{
	static const char *const kv[] = { "base", "all_income", "topslice_bp", "300", NULL };
	const struct bursar_line x[] = {
		H_LINE("I01", BURSAR_STREAM_GAG, 1, 1, -1, 1000000),
		H_LINE("I03", BURSAR_STREAM_LA, 1, 1, -1, 500000),
		H_LINE("E17", BURSAR_STREAM_EXPENDITURE, 0, 1, -1, 7777),
	};
	const struct bursar_entity e[] = {
		{ .urn = "100001", .pupils = 400, .gag_pence = 40000000, .dfe_other_pence = 5000000,
		  .la_pence = 3000000, .self_generated_pence = 2000003, .excluded = x, .nexcluded = 3,
		  .excluded_size = sizeof(x[0]) },
	};

	(void)state;
	load(kv);
	assert_int_equal(h_apply(&H, e, 1), 0);
	assert_int_equal(H.nposts, 1);
	assert_true(H.posts[0].amount_pence == 1454767);
	assert_true(H.posts[0].base_pence == 48492226);
	assert_int_equal(H.posts[0].rate_bp, 300);
	assert_non_null(strstr(H.posts[0].explanation, "all income \xc2\xa3" "500,000.03 less \xc2\xa3" "15,077.77"));
}

/*
 * One kind of excluded line per school, 5% of GAG:
 * 100001: a special school, place funding (I01P, GAG) 120,000,000; excluded:
 *         rates E17 1,860,000 only (an expenditure line). base = 118,140,000;
 *         × 5% = 5,907,000p (£59,070.00).
 * 100002: GAG 80,000,000; excluded: a GAG income line 2,000,000 only.
 *         base = 78,000,000; × 5% = 3,900,000p.
 * 100003: GAG 10,000,000; excluded: an LA income line 400,000 (outside a GAG
 *         base) and an internal line 50,000 (never counts). base = 10,000,000;
 *         × 5% = 500,000p.
 */
static void test_excluded_lines(void **state)
{
	const struct bursar_line x1[] = { H_LINE("E17", BURSAR_STREAM_EXPENDITURE, 0, 1, -1, 1860000) };
	const struct bursar_line x2[] = { H_LINE("I01", BURSAR_STREAM_GAG, 1, 1, -1, 2000000) };
	const struct bursar_line x3[] = {
		H_LINE("I03", BURSAR_STREAM_LA, 1, 1, -1, 400000),
		H_LINE("INT05", BURSAR_STREAM_INTERNAL, 1, 1, -1, 50000),
	};
	const struct bursar_entity e[] = {
		{ .urn = "100001", .pupils = 118, .places = 120, .gag_pence = 120000000, .la_pence = 240000000,
		  .excluded = x1, .nexcluded = 1, .excluded_size = sizeof(x1[0]) },
		{ .urn = "100002", .pupils = 300, .gag_pence = 80000000, .excluded = x2, .nexcluded = 1,
		  .excluded_size = sizeof(x2[0]) },
		{ .urn = "100003", .pupils = 40, .gag_pence = 10000000, .la_pence = 400000, .excluded = x3,
		  .nexcluded = 2, .excluded_size = sizeof(x3[0]) },
	};

	(void)state;
	load(NULL);
	assert_int_equal(h_apply(&H, e, 3), 0);
	assert_int_equal(H.nfindings, 0);
	assert_int_equal(H.nposts, 3);
	assert_true(H.posts[0].amount_pence == 5907000);
	assert_true(H.posts[0].base_pence == 118140000);
	assert_string_equal(H.posts[0].explanation,
			    "5.00% top-slice of \xc2\xa3" "1,181,400.00: GAG \xc2\xa3" "1,200,000.00 less \xc2\xa3"
			    "18,600.00 excluded from central charges");
	assert_true(H.posts[1].amount_pence == 3900000);
	assert_true(H.posts[1].base_pence == 78000000);
	assert_true(H.posts[2].amount_pence == 500000);
	assert_true(H.posts[2].base_pence == 10000000);
}

/* Excluded lines larger than the GAG: no negative charge, a warning instead. */
static void test_negative_base_warns(void **state)
{
	const struct bursar_line x[] = { H_LINE("I01", BURSAR_STREAM_GAG, 1, 1, -1, 150000) };
	const struct bursar_entity e[] = {
		{ .urn = "100009", .gag_pence = 100000, .excluded = x, .nexcluded = 1, .excluded_size = sizeof(x[0]) },
	};

	(void)state;
	load(NULL);
	assert_int_equal(h_apply(&H, e, 1), 0);
	assert_int_equal(H.nposts, 1);
	assert_true(H.posts[0].amount_pence == 0);
	assert_int_equal(H.nfindings, 1);
	assert_int_equal(H.findings[0].severity, BURSAR_WARNING);
	assert_non_null(strstr(H.findings[0].message, "100009"));
}

/* A daemon passing bigger elements (a newer header) works: the plugin steps by entity_size. */
static void test_larger_elements(void **state)
{
	struct big {
		struct bursar_entity e;
		int64_t later_field;
	} b[2] = {
		{ .e = { .urn = "100001", .gag_pence = 1000 }, .later_field = -1 },
		{ .e = { .urn = "100002", .gag_pence = 3000 }, .later_field = -1 },
	};
	struct bursar_year y = { .size = sizeof(y), .year = 2026, .entities = &b[0].e, .nentities = 2,
				 .entity_size = sizeof(b[0]) };

	(void)state;
	load(NULL);
	h_clear(&H);
	assert_int_equal(H.rules->apply_year(H.state, &y, &H.ctx), 0);
	assert_int_equal(H.nposts, 2);
	assert_string_equal(H.posts[1].payer, "100002");
	assert_true(H.posts[0].amount_pence == 50);        /* 1000 × 5% */
	assert_true(H.posts[1].amount_pence == 150);       /* 3000 × 5% */
	/* a smaller element than ABI 1 defines is refused with an error */
	y.entity_size = sizeof(struct bursar_entity) - 8;
	h_clear(&H);
	assert_int_equal(H.rules->apply_year(H.state, &y, &H.ctx), -1);
	assert_int_equal(H.nposts, 0);
	assert_int_equal(H.findings[0].severity, BURSAR_ERROR);
}

/*
 * The budget must carry its charge (INT01) within £1: GAG 100,000,000 less
 * excluded rates 3,000,000 at 5% = 4,850,000p.
 */
/*
 * The top-slice rounds as the daemon does, half away from zero (the plugin's
 * bursar_muldiv_round is the daemon's money_muldiv_round). At 500 bp:
 *   base  9p -> 0.45 -> 0     base 10p -> 0.5  -> 1     base 29p -> 1.45 -> 1
 *   base 30p -> 1.5  -> 2     base 50p -> 2.5  -> 3     base 51p -> 2.55 -> 3
 * and then every base 0..59p at 500, 333 and 1 bp against money_muldiv_round.
 */
static void test_rounds_as_the_daemon(void **state)
{
	static const char *const rates[] = { "500", "333", "1" };
	static const int64_t bps[] = { 500, 333, 1 };
	static const int64_t hand_base[] = { 9, 10, 29, 30, 50, 51 }, hand_want[] = { 0, 1, 1, 2, 3, 3 };
	static char urns[60][12];            /* 12, not 8: gcc -O1 cannot see i < 60 */
	struct bursar_entity e[60];

	(void)state;
	for (int i = 0; i < 60; i++)
		snprintf(urns[i], sizeof(urns[i]), "%06d", 100000 + i);
	for (int r = 0; r < 3; r++) {
		const char *kv[] = { "topslice_bp", rates[r], NULL };
		int64_t want;

		load(kv);
		for (int i = 0; i < 60; i++)
			e[i] = (struct bursar_entity){ .urn = urns[i], .gag_pence = i };
		assert_int_equal(h_apply(&H, e, 60), 0);
		assert_int_equal(H.nposts, 60);
		for (int i = 0; i < 60; i++) {
			assert_int_equal(money_muldiv_round(i, bps[r], 10000, &want), 0);
			assert_true(H.posts[i].amount_pence == want);
		}
		if (r == 0)
			for (int k = 0; k < 6; k++)
				assert_true(H.posts[hand_base[k]].amount_pence == hand_want[k]);
		h_unload(&H);
	}
}

static void test_validate_budget(void **state)
{
	struct bursar_line l[] = {
		H_LINE("I01", BURSAR_STREAM_GAG, 1, 0, 0, 97000000),
		H_LINE("I01", BURSAR_STREAM_GAG, 1, 1, 1, 3000000),
		H_LINE("E01", BURSAR_STREAM_EXPENDITURE, 0, 0, 2, 60000000),
		H_LINE("INT01", BURSAR_STREAM_INTERNAL, 0, 0, 3, 4850100),
	};

	(void)state;
	load(NULL);
	/* base 100,000,000 less the excluded 3,000,000 = 97,000,000: 5% is 4,850,000 */
	l[3].amount_pence = 4850000;
	assert_int_equal(h_validate(&H, "100001", l, 4, NULL), 0);
	assert_int_equal(H.nfindings, 0);
	l[3].amount_pence = 4850001;                        /* a penny over: found (to the penny) */
	assert_int_equal(h_validate(&H, "100001", l, 4, NULL), 0);
	assert_int_equal(H.nfindings, 1);
	assert_int_equal(H.findings[0].severity, BURSAR_ERROR);
	assert_string_equal(H.findings[0].field, "/lines/3/amount_pence");
	assert_string_equal(H.findings[0].message,
			    "the central services charge (INT01) is computed by the local plugin: it should be \xc2\xa3"
			    "48,500.00 (5.00% top-slice of \xc2\xa3" "970,000.00: GAG \xc2\xa3" "1,000,000.00 less \xc2\xa3"
			    "30,000.00 excluded from central charges), to the penny; the budget has \xc2\xa3" "48,500.01");
	l[3].amount_pence = 4849999;                        /* a penny under: found */
	assert_int_equal(h_validate(&H, "100001", l, 4, NULL), 0);
	assert_int_equal(H.nfindings, 1);
	assert_non_null(strstr(H.findings[0].message, "has \xc2\xa3" "48,499.99"));
	/* half a penny rounds away from zero: 5% of 97,000,010 is 4,850,000.5, so 4,850,001 */
	l[0].amount_pence = 97000010;
	l[3].amount_pence = 4850001;
	assert_int_equal(h_validate(&H, "100001", l, 4, NULL), 0);
	assert_int_equal(H.nfindings, 0);
	l[3].amount_pence = 4850000;
	assert_int_equal(h_validate(&H, "100001", l, 4, NULL), 0);
	assert_int_equal(H.nfindings, 1);
	assert_non_null(strstr(H.findings[0].message, "should be \xc2\xa3" "48,500.01"));
	l[0].amount_pence = 97000000;
	/* no charge line at all */
	assert_int_equal(h_validate(&H, "100001", l, 3, NULL), 0);
	assert_int_equal(H.nfindings, 1);
	assert_string_equal(H.findings[0].field, "/lines");
	/* a school with its own rate: 4% of 97,000,000 = 3,880,000 */
	h_unload(&H);
	load((const char *const[]){ "topslice_bp_100001", "400", NULL });
	l[3].amount_pence = 3880000;
	assert_int_equal(h_validate(&H, "100001", l, 4, NULL), 0);
	assert_int_equal(H.nfindings, 0);
	assert_int_equal(h_validate(&H, "100002", l, 4, NULL), 0);   /* 100002 pays 5% */
	assert_int_equal(H.nfindings, 1);
}

/*
 * A budget's base counts its excluded lines as apply_year does. The special
 * school: place funding (I01P) 120,000,000, top-ups (I03, LA) 240,000,000,
 * rates E17 1,860,000 flagged excluded: base = 118,140,000, INT01 = 5,907,000
 * (£59,070.00). Another GAG income line of 500,000: in the base when it is
 * not excluded (base 118,640,000, INT01 5,932,000); flagged excluded it comes
 * back off (base 118,140,000 again). An excluded LA income line is not in a
 * GAG base and changes nothing.
 */
static void test_validate_budget_excluded_lines(void **state)
{
	struct bursar_line l[] = {
		H_LINE("I01P", BURSAR_STREAM_GAG, 1, 0, 0, 120000000),
		H_LINE("I03", BURSAR_STREAM_LA, 1, 0, 1, 240000000),
		H_LINE("E01", BURSAR_STREAM_EXPENDITURE, 0, 0, 2, 150000000),
		H_LINE("E17", BURSAR_STREAM_EXPENDITURE, 0, 1, 3, 1860000),
		H_LINE("INT01", BURSAR_STREAM_INTERNAL, 0, 0, 4, 5907000),
		H_LINE("I01", BURSAR_STREAM_GAG, 1, 0, 5, 500000),
	};

	(void)state;
	load(NULL);
	/* an excluded expenditure line comes off the base */
	assert_int_equal(h_validate(&H, "100001", l, 5, NULL), 0);
	assert_int_equal(H.nfindings, 0);
	l[4].amount_pence = 6000000;                        /* 5% of the whole GAG: wrong */
	assert_int_equal(h_validate(&H, "100001", l, 5, NULL), 0);
	assert_int_equal(H.nfindings, 1);
	assert_int_equal(H.findings[0].severity, BURSAR_ERROR);
	assert_string_equal(H.findings[0].field, "/lines/4/amount_pence");
	assert_string_equal(H.findings[0].message,
			    "the central services charge (INT01) is computed by the local plugin: it should be \xc2\xa3"
			    "59,070.00 (5.00% top-slice of \xc2\xa3" "1,181,400.00: GAG \xc2\xa3" "1,200,000.00 less \xc2\xa3"
			    "18,600.00 excluded from central charges), to the penny; the budget has \xc2\xa3" "60,000.00");
	/* another GAG line is in the base: 5% of 118,640,000 */
	l[4].amount_pence = 5932000;
	assert_int_equal(h_validate(&H, "100001", l, 6, NULL), 0);
	assert_int_equal(H.nfindings, 0);
	/* flagged excluded, the GAG income line comes back off the base */
	l[5].excluded = 1;
	assert_int_equal(h_validate(&H, "100001", l, 6, NULL), 0);
	assert_int_equal(H.nfindings, 1);
	assert_non_null(strstr(H.findings[0].message, "should be \xc2\xa3" "59,070.00"));
	assert_non_null(strstr(H.findings[0].message, "GAG \xc2\xa3" "1,205,000.00 less \xc2\xa3" "23,600.00"));
	l[4].amount_pence = 5907000;
	assert_int_equal(h_validate(&H, "100001", l, 6, NULL), 0);
	assert_int_equal(H.nfindings, 0);
	/* an excluded LA line is outside a GAG base: nothing changes */
	l[1].excluded = 1;
	assert_int_equal(h_validate(&H, "100001", l, 5, NULL), 0);
	assert_int_equal(H.nfindings, 0);
}

static void expect_init_fails(const char *const *kv, const char *needle)
{
	struct harness h;

	assert_int_not_equal(h_load(&h, "local", kv), 0);
	if (strstr(h.err, needle) == NULL)
		fail_msg("init error \"%s\" does not mention \"%s\"", h.err, needle);
	dlclose(h.handle);
}

static void test_settings_refused(void **state)
{
	(void)state;
	expect_init_fails((const char *const[]){ "topslice_bp", "abc", NULL }, "topslice_bp: must be an integer 0..10000");
	expect_init_fails((const char *const[]){ "topslice_bp", "10001", NULL }, "topslice_bp");
	expect_init_fails((const char *const[]){ "topslice_bp", "-1", NULL }, "topslice_bp");
	expect_init_fails((const char *const[]){ "topslice_bp_159901", "5.5", NULL }, "topslice_bp_159901");
	expect_init_fails((const char *const[]){ "base", "net", NULL }, "base: must be \"gag\" or \"all_income\"");
	expect_init_fails((const char *const[]){ "topslice", "500", NULL }, "unknown setting \"topslice\"");
	expect_init_fails((const char *const[]){ "topslice_bp_15990", "500", NULL }, "unknown setting");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_identity, teardown),
		cmocka_unit_test_teardown(test_topslice_gag, teardown),
		cmocka_unit_test_teardown(test_topslice_all_income, teardown),
		cmocka_unit_test_teardown(test_negative_base_warns, teardown),
		cmocka_unit_test_teardown(test_larger_elements, teardown),
		cmocka_unit_test_teardown(test_excluded_lines, teardown),
		cmocka_unit_test_teardown(test_rounds_as_the_daemon, teardown),
		cmocka_unit_test_teardown(test_validate_budget, teardown),
		cmocka_unit_test_teardown(test_validate_budget_excluded_lines, teardown),
		cmocka_unit_test(test_settings_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
