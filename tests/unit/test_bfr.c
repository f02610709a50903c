/* test_bfr.c - unit tests for daemon/core/bfr.c: an entity's and the trust's BFR
 * lines per period (figures worked by hand in the comments), the tie of 298/380 to
 * budget_totals, the unmapped accounts, the split of a year and the 20% test. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "bfr.h"

/* The chart: X1 is an income account with no line, EW an expenditure account mapped
 * to an income line (both go to the fallback lines 220 / 370 and are reported). */
enum { A_I01, A_I05, A_I08, A_X1, A_E01, A_E20, A_E16, A_EW, A_INT01, A_INT02, A_INT03, A_INT04, A_INT05,
       A_INT06, A__N };
static struct budget_account accounts[A__N] = {
	[A_I01] = { 1, "I01", "gag", BUDGET_INCOME, 1, 0, 1 },
	[A_I05] = { 2, "I05", "dfe_grants", BUDGET_INCOME, 0, 0, 1 },
	[A_I08] = { 3, "I08", "self_generated", BUDGET_INCOME, 0, 0, 1 },
	[A_X1] = { 4, "X1", "self_generated", BUDGET_INCOME, 0, 0, 1 },
	[A_E01] = { 5, "E01", "teaching_staff", BUDGET_EXPENDITURE, 0, 0, 1 },
	[A_E20] = { 6, "E20", "ict", BUDGET_EXPENDITURE, 0, 0, 1 },
	[A_E16] = { 7, "E16", "premises", BUDGET_EXPENDITURE, 0, 0, 1 },
	[A_EW] = { 8, "EW", "other", BUDGET_EXPENDITURE, 0, 0, 1 },
	[A_INT01] = { 9, "INT01", "internal", BUDGET_EXPENDITURE, 0, 1, 1 },
	[A_INT02] = { 10, "INT02", "internal", BUDGET_INCOME, 0, 1, 1 },
	[A_INT03] = { 11, "INT03", "internal", BUDGET_EXPENDITURE, 0, 1, 1 },
	[A_INT04] = { 12, "INT04", "internal", BUDGET_INCOME, 0, 1, 1 },
	[A_INT05] = { 13, "INT05", "internal", BUDGET_INCOME, 0, 1, 1 },
	[A_INT06] = { 14, "INT06", "internal", BUDGET_EXPENDITURE, 0, 1, 1 },
};
static const struct budget_chart chart = { A__N, accounts };
static const int account_line[A__N] = {
	[A_I01] = 199, [A_I05] = 199, [A_I08] = 211, [A_X1] = 0, [A_E01] = 335, [A_E20] = 336, [A_E16] = 350,
	[A_EW] = 199,
};

#define L(n, s, k, pub) { n, #n, BFR_SECTION_##s, BFR_KIND_##k, pub }
static const struct bfr_line_def lines[] = {
	L(199, INCOME, LINE, 1), L(211, INCOME, LINE, 1), L(220, INCOME, LINE, 1), L(297, INCOME, LINE, 0),
	L(298, INCOME, TOTAL, 1), L(335, EXPENDITURE, LINE, 1), L(336, EXPENDITURE, LINE, 1),
	L(350, EXPENDITURE, LINE, 0), L(370, EXPENDITURE, LINE, 0), L(379, EXPENDITURE, LINE, 0),
	L(380, EXPENDITURE, TOTAL, 1), L(430, BALANCE, BALANCE, 1), L(999, PUPILS, PUPILS, 1),
};
#define NL (sizeof(lines) / sizeof(lines[0]))
static const struct bfr_map map = { lines, NL, &chart, account_line };

/* line_no's value in period k of out (P periods) */
static int64_t val(const int64_t *out, size_t P, int line_no, size_t k)
{
	int i = bfr_line_index(&map, line_no);

	assert_true(i >= 0);
	return out[(size_t)i * P + k];
}

/* A pooled school over two periods (opening reserves 500):
 * P0: I01 1000, I05 50, I08 30, X1 7 (no line); E01 600, E20 20, E16 40, EW 5 (an income
 *     line); INT03 1000 pooled out, INT05 900 back, INT01 80 central charge.
 * P1: I01 400; E01 300; INT03 400, INT05 360, INT01 30. */
static void school_amounts(int64_t a[2][A__N])
{
	memset(a, 0, sizeof(int64_t) * 2 * A__N);
	a[0][A_I01] = 1000, a[0][A_I05] = 50, a[0][A_I08] = 30, a[0][A_X1] = 7;
	a[0][A_E01] = 600, a[0][A_E20] = 20, a[0][A_E16] = 40, a[0][A_EW] = 5;
	a[0][A_INT03] = 1000, a[0][A_INT05] = 900, a[0][A_INT01] = 80;
	a[1][A_I01] = 400, a[1][A_E01] = 300, a[1][A_INT03] = 400, a[1][A_INT05] = 360, a[1][A_INT01] = 30;
}

static void test_map_check(void **state)
{
	struct bfr_line_def bad[NL];
	struct bfr_map m = { bad, NL, &chart, account_line };

	(void)state;
	assert_null(bfr_map_check(&map));
	memcpy(bad, lines, sizeof(bad));
	bad[4].kind = BFR_KIND_LINE;             /* 298 not a total */
	assert_non_null(bfr_map_check(&m));
	memcpy(bad, lines, sizeof(bad));
	bad[3].section = BFR_SECTION_EXPENDITURE;   /* 297 not income */
	assert_non_null(bfr_map_check(&m));
	memcpy(bad, lines, sizeof(bad));
	bad[1].line_no = 199;                    /* twice */
	assert_non_null(bfr_map_check(&m));
	m.nlines = 0;
	assert_non_null(bfr_map_check(&m));
}

static void test_entity(void **state)
{
	int64_t a[2][A__N], out[NL * 2];
	int32_t pupils[2] = { 688, -1 };
	struct bfr_unmapped u;

	(void)state;
	school_amounts(a);
	assert_int_equal(bfr_compute(&map, 2, &a[0][0], pupils, 500, 0, out, &u), 0);
	/* P0: 199 = I01 1000 + I05 50 (EW, an expenditure account, goes to 370) */
	assert_int_equal(val(out, 2, 199, 0), 1050);
	assert_int_equal(val(out, 2, 211, 0), 30);
	assert_int_equal(val(out, 2, 220, 0), 7);      /* X1, unmapped */
	assert_int_equal(val(out, 2, 297, 0), -100);   /* INT05 900 - pass-through 1000 */
	assert_int_equal(val(out, 2, 298, 0), 987);    /* 1050 + 30 + 7 - 100 */
	assert_int_equal(val(out, 2, 335, 0), 600);
	assert_int_equal(val(out, 2, 336, 0), 20);
	assert_int_equal(val(out, 2, 350, 0), 40);
	assert_int_equal(val(out, 2, 370, 0), 5);      /* EW, on a line of the other section */
	assert_int_equal(val(out, 2, 379, 0), 80);     /* INT03 1000 + INT01 80 - 1000 */
	assert_int_equal(val(out, 2, 380, 0), 745);    /* 600 + 20 + 40 + 5 + 80 */
	assert_int_equal(val(out, 2, 430, 0), 742);    /* 500 + 987 - 745 */
	assert_int_equal(val(out, 2, 999, 0), 688);
	/* P1: 199 400; 297 360 - 400 = -40; 298 360; 335 300; 379 400 + 30 - 400 = 30; 380 330 */
	assert_int_equal(val(out, 2, 199, 1), 400);
	assert_int_equal(val(out, 2, 297, 1), -40);
	assert_int_equal(val(out, 2, 298, 1), 360);
	assert_int_equal(val(out, 2, 379, 1), 30);
	assert_int_equal(val(out, 2, 380, 1), 330);
	assert_int_equal(val(out, 2, 430, 1), 772);    /* 742 + 360 - 330 */
	assert_int_equal(val(out, 2, 999, 1), 0);      /* unknown */
	assert_int_equal(u.n, 2);
	assert_int_equal(u.account[0], A_X1);
	assert_int_equal(u.account[1], A_EW);
}

/* 298 and 380 are budget_totals' income and expenditure for the same amounts. */
static void test_ties_budget_totals(void **state)
{
	int64_t a[2][A__N], out[NL * 2];
	struct budget b;
	struct budget_totals t;

	(void)state;
	school_amounts(a);
	assert_int_equal(bfr_compute(&map, 2, &a[0][0], NULL, 0, 0, out, NULL), 0);
	for (size_t k = 0; k < 2; k++) {
		budget_init(&b, BUDGET_MAINSTREAM, &chart);
		for (size_t i = 0; i < A__N; i++)
			if (a[k][i] != 0)
				assert_non_null(budget_add_line(&b, accounts[i].code, "", a[k][i]));
		assert_int_equal(budget_totals(&b, &t), 0);
		assert_int_equal(val(out, 2, 298, k), t.income);
		assert_int_equal(val(out, 2, 380, k), t.expenditure);
		budget_clear(&b);
	}
}

/* The trust: the school above and the central team (P0: INT04 1000 received, INT06 900
 * allocated on, INT02 80 charge received, E01 50; P1: INT04 400, INT06 360, INT02 30),
 * internal codes dropped: 298 P0 = 1050 + 30 + 7 = 1087, 380 = 650 + 20 + 40 + 5 = 715;
 * opening 500 + 100; 430 = 600 + 1087 - 715 = 972, then + 400 - 300 = 1072. */
static void test_trust(void **state)
{
	int64_t s[2][A__N], c[2][A__N], t[2][A__N], out[NL * 2];
	int32_t pupils[2] = { 688, 688 };

	(void)state;
	school_amounts(s);
	memset(c, 0, sizeof(c));
	c[0][A_INT04] = 1000, c[0][A_INT06] = 900, c[0][A_INT02] = 80, c[0][A_E01] = 50;
	c[1][A_INT04] = 400, c[1][A_INT06] = 360, c[1][A_INT02] = 30;
	memset(t, 0, sizeof(t));
	assert_int_equal(bfr_amounts_add(&map, 2, &t[0][0], &s[0][0], 1), 0);
	assert_int_equal(bfr_amounts_add(&map, 2, &t[0][0], &c[0][0], 1), 0);
	assert_int_equal(t[0][A_INT03], 0);
	assert_int_equal(t[0][A_E01], 650);
	assert_int_equal(bfr_compute(&map, 2, &t[0][0], pupils, 600, 1, out, NULL), 0);
	assert_int_equal(val(out, 2, 297, 0), 0);
	assert_int_equal(val(out, 2, 379, 0), 0);
	assert_int_equal(val(out, 2, 298, 0), 1087);
	assert_int_equal(val(out, 2, 380, 0), 715);
	assert_int_equal(val(out, 2, 430, 0), 972);
	assert_int_equal(val(out, 2, 298, 1), 400);
	assert_int_equal(val(out, 2, 380, 1), 300);
	assert_int_equal(val(out, 2, 430, 1), 1072);
	/* the central team alone: 297 = 1000 + 80 - 900 = 180, 379 = 900 - 900 = 0, 298 180, 380 50 */
	assert_int_equal(bfr_compute(&map, 2, &c[0][0], NULL, 0, 0, out, NULL), 0);
	assert_int_equal(val(out, 2, 297, 0), 180);
	assert_int_equal(val(out, 2, 379, 0), 0);
	assert_int_equal(val(out, 2, 298, 0), 180);
	assert_int_equal(val(out, 2, 380, 0), 50);
	/* and with drop_internal the central team has no income at all */
	assert_int_equal(bfr_compute(&map, 2, &c[0][0], NULL, 0, 1, out, NULL), 0);
	assert_int_equal(val(out, 2, 298, 0), 0);
}

static void test_bad(void **state)
{
	int64_t a[2][A__N], out[NL * 2];

	(void)state;
	school_amounts(a);
	assert_int_equal(bfr_compute(&map, 0, &a[0][0], NULL, 0, 0, out, NULL), -1);
	assert_int_equal(bfr_compute(&map, BFR_MAX_PERIODS + 1, &a[0][0], NULL, 0, 0, out, NULL), -1);
	a[0][A_I05] = INT64_MAX;                 /* 1000 + INT64_MAX overflows */
	assert_int_equal(bfr_compute(&map, 2, &a[0][0], NULL, 0, 0, out, NULL), -1);
}

/* Sep-Mar is months 1..7, Apr-Aug 8..12. */
static void test_split_year(void **state)
{
	const int64_t m[12] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 };
	int64_t a, b;

	(void)state;
	assert_int_equal(bfr_split_year(m, &a, &b), 0);
	assert_int_equal(a, 28);                 /* 1 + ... + 7 */
	assert_int_equal(b, 50);                 /* 8 + ... + 12 */
}

/* Over 20% of income: income 1000 allows 200; 1001 allows 200.2, so 200 is not over, 201 is. */
static void test_reserves_over(void **state)
{
	(void)state;
	assert_false(bfr_reserves_over(200, 1000));
	assert_true(bfr_reserves_over(201, 1000));
	assert_false(bfr_reserves_over(200, 1001));
	assert_true(bfr_reserves_over(201, 1001));
	assert_false(bfr_reserves_over(-5, 1000));
	assert_true(bfr_reserves_over(1, 0));
	assert_false(bfr_reserves_over(0, 0));
}

static void test_names(void **state)
{
	enum bfr_section s;
	enum bfr_kind k;

	(void)state;
	assert_string_equal(bfr_section_name(BFR_SECTION_PUPILS), "pupils");
	assert_string_equal(bfr_kind_name(BFR_KIND_TOTAL), "total");
	assert_int_equal(bfr_section_parse("expenditure", &s), 0);
	assert_int_equal(s, BFR_SECTION_EXPENDITURE);
	assert_int_equal(bfr_kind_parse("balance", &k), 0);
	assert_int_equal(k, BFR_KIND_BALANCE);
	assert_int_equal(bfr_kind_parse("sum", &k), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_map_check), cmocka_unit_test(test_entity), cmocka_unit_test(test_ties_budget_totals),
		cmocka_unit_test(test_trust), cmocka_unit_test(test_bad), cmocka_unit_test(test_split_year),
		cmocka_unit_test(test_reserves_over), cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
