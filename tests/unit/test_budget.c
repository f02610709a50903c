/* test_budget.c - unit tests for daemon/budget.c: lines, entry checks, totals by kind
 * and group, and the submit findings (figures worked by hand in the comments). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "budget.h"

/* A small chart: ids are 1-based positions. E18 is inactive. */
static struct budget_account accounts[] = {
	{ 1, "I01", "gag", BUDGET_INCOME, 1, 0, 1 },
	{ 2, "I01P", "gag", BUDGET_INCOME, 1, 0, 1 },
	{ 3, "I03", "la_income", BUDGET_INCOME, 0, 0, 1 },
	{ 4, "I05", "dfe_grants", BUDGET_INCOME, 0, 0, 1 },
	{ 5, "I08", "self_generated", BUDGET_INCOME, 0, 0, 1 },
	{ 6, "E01", "teaching_staff", BUDGET_EXPENDITURE, 0, 0, 1 },
	{ 7, "E03", "support_staff", BUDGET_EXPENDITURE, 0, 0, 1 },
	{ 8, "E08", "other_staff", BUDGET_EXPENDITURE, 0, 0, 1 },
	{ 9, "E16", "premises", BUDGET_EXPENDITURE, 0, 0, 1 },
	{ 10, "E17", "premises", BUDGET_EXPENDITURE, 0, 0, 1 },
	{ 11, "E18", "premises", BUDGET_EXPENDITURE, 0, 0, 0 },
	{ 12, "E28a", "services", BUDGET_EXPENDITURE, 0, 0, 1 },
	{ 13, "CON01", "contingency", BUDGET_EXPENDITURE, 0, 0, 1 },
	{ 14, "INT01", "internal", BUDGET_EXPENDITURE, 0, 1, 1 },
	{ 15, "INT02", "internal", BUDGET_INCOME, 0, 1, 1 },
	{ 16, "INT05", "internal", BUDGET_INCOME, 0, 1, 1 },
	{ 17, "INT06", "internal", BUDGET_EXPENDITURE, 0, 1, 1 },
	{ 18, "INT03", "internal", BUDGET_EXPENDITURE, 0, 1, 1 },
	{ 19, "INT04", "internal", BUDGET_INCOME, 0, 1, 1 },
};
static const struct budget_chart chart = { sizeof(accounts) / sizeof(accounts[0]), accounts };

static void add(struct budget *b, const char *code, int64_t pence)
{
	assert_non_null(budget_add_line(b, code, "", pence));
}

/* A computed line, as the finance rules post it (internal codes are never typed). */
static void computed(struct budget *b, const char *code, int64_t pence)
{
	struct budget_line *l = budget_add_line(b, code, "", pence);

	assert_non_null(l);
	l->computed = 1;
}

/* The index of the first finding with this code, or -1. */
static int find(const struct budget_findings *f, const char *code)
{
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->items[i].code, code) == 0)
			return (int)i;
	return -1;
}

static void test_chart(void **state)
{
	(void)state;
	assert_ptr_equal(budget_chart_find(&chart, "I01"), &accounts[0]);
	assert_ptr_equal(budget_chart_find(&chart, "e28A"), &accounts[11]);   /* any case */
	assert_null(budget_chart_find(&chart, "E99"));
	assert_null(budget_chart_find(&chart, ""));
	assert_null(budget_chart_find(&chart, NULL));
	assert_ptr_equal(budget_chart_by_id(&chart, 13), &accounts[12]);
	assert_null(budget_chart_by_id(&chart, 99));
}

static void test_entity_of(void **state)
{
	(void)state;
	assert_int_equal(budget_entity_of("central", NULL), BUDGET_CENTRAL);
	assert_int_equal(budget_entity_of("central", "special"), BUDGET_CENTRAL);   /* the kind first */
	assert_int_equal(budget_entity_of("school", "special"), BUDGET_SPECIAL);
	assert_int_equal(budget_entity_of("school", "primary"), BUDGET_MAINSTREAM);
	assert_int_equal(budget_entity_of("school", NULL), BUDGET_MAINSTREAM);
	assert_int_equal(budget_entity_of(NULL, NULL), BUDGET_MAINSTREAM);
}

static void test_add_line(void **state)
{
	struct budget b;
	struct budget_line *l;

	(void)state;
	budget_init(&b, BUDGET_MAINSTREAM, &chart);
	l = budget_add_line(&b, "e28a", "Payroll SLA", 1200000);
	assert_non_null(l);
	assert_string_equal(l->code, "E28a");             /* the chart's spelling */
	assert_ptr_equal(l->account, &accounts[11]);
	assert_string_equal(l->description, "Payroll SLA");
	assert_true(l->amount_pence == 1200000);
	assert_int_equal(l->id, 0);
	assert_string_equal(l->driver, "");
	l = budget_add_line(&b, "X1", NULL, -5);
	assert_non_null(l);
	assert_null(l->account);
	assert_string_equal(l->code, "X1");
	assert_string_equal(l->description, "");
	assert_int_equal(b.nlines, 2);
	for (int i = 0; i < 200; i++)                     /* grows past its first 64 */
		add(&b, "E01", i);
	assert_int_equal(b.nlines, 202);
	assert_true(b.lines[201].amount_pence == 199);
	budget_clear(&b);
	assert_int_equal(b.nlines, 0);
	budget_clear(&b);
	budget_clear(NULL);
}

static void test_line_limit(void **state)
{
	struct budget b;

	(void)state;
	budget_init(&b, BUDGET_MAINSTREAM, &chart);
	for (int i = 0; i < BUDGET_MAX_LINES; i++)
		assert_non_null(budget_add_line(&b, "E01", "", 1));
	assert_null(budget_add_line(&b, "E01", "", 1));
	assert_int_equal(b.nlines, BUDGET_MAX_LINES);
	budget_clear(&b);
}

static void test_check_description(void **state)
{
	char s[512];

	(void)state;
	assert_null(budget_check_description(""));
	assert_null(budget_check_description("Teachers, main scale (28 FTE)"));
	assert_null(budget_check_description("Café – £1 \"quoted\""));
	memset(s, 'a', 200);
	s[200] = '\0';
	assert_null(budget_check_description(s));
	s[200] = 'a';
	s[201] = '\0';
	assert_non_null(budget_check_description(s));
	/* 200 characters of two bytes each are still 200 characters */
	for (int i = 0; i < 200; i++)
		memcpy(s + 2 * i, "\xc3\xa9", 2);
	s[400] = '\0';
	assert_null(budget_check_description(s));
	assert_non_null(budget_check_description("line\nbreak"));
	assert_non_null(budget_check_description("tab\there"));
	assert_non_null(budget_check_description("=SUM(A1:A9)"));
	assert_non_null(budget_check_description("+44 lettings"));
	assert_non_null(budget_check_description("-credit"));
	assert_non_null(budget_check_description("@home"));
	assert_null(budget_check_description("Rebate - energy"));
}

static void test_check_driver(void **state)
{
	static const char *const good[] = { "fixed", "funding", "pupils", "pupils_current", "places",
					    "teacher_pay", "support_pay", "services", "inflation:cpi",
					    "inflation:energy", "inflation:nlw", "inflation:a_1", NULL };
	static const char *const bad[] = { "", "Fixed", "inflation", "inflation:", "inflation:CPI",
					   "inflation:c-p", "inflation:abcdefghijklmnopqrstu", "cpi",
					   "pupils ", NULL };

	(void)state;
	for (int i = 0; good[i] != NULL; i++)
		assert_null(budget_check_driver(good[i]));
	for (int i = 0; bad[i] != NULL; i++)
		assert_non_null(budget_check_driver(bad[i]));
}

static void test_check_account_amount(void **state)
{
	(void)state;
	assert_null(budget_check_account(&accounts[0]));
	assert_non_null(budget_check_account(NULL));
	assert_non_null(strstr(budget_check_account(&accounts[10]), "no longer in use"));
	assert_true(budget_amount_ok(INT64_C(100000000000)));
	assert_true(budget_amount_ok(INT64_C(-100000000000)));
	assert_false(budget_amount_ok(INT64_C(100000000001)));
	assert_false(budget_amount_ok(INT64_C(-100000000001)));
}

/*
 * A top-sliced primary (pence):
 *   income  I01 100,000,000; I05 5,000,000; I08 1,000,000 and a -250,000 credit
 *           = 105,750,000
 *   costs   E01 60,000,000; E03 20,000,000; E08 1,000,000 (staff 81,000,000);
 *           E16 2,500,000; E17 rates 2,000,000; CON01 2,000,000;
 *           INT01 5% x (I01 100,000,000 - rates 2,000,000) = 4,900,000
 *           = 92,400,000
 *   balance 105,750,000 - 92,400,000 = 13,350,000
 *   staff % 81,000,000 / 105,750,000 = 0.765957... -> 7660 bp
 */
static void school_budget(struct budget *b)
{
	budget_init(b, BUDGET_MAINSTREAM, &chart);
	add(b, "I01", 100000000);
	add(b, "I05", 5000000);
	add(b, "I08", 1000000);
	add(b, "I08", -250000);
	add(b, "E01", 60000000);
	add(b, "E03", 20000000);
	add(b, "E08", 1000000);
	add(b, "E16", 2500000);
	add(b, "E17", 2000000);
	add(b, "CON01", 2000000);
	computed(b, "INT01", 4900000);
}

static void test_totals(void **state)
{
	struct budget b;
	struct budget_totals t;

	(void)state;
	school_budget(&b);
	assert_int_equal(budget_totals(&b, &t), 0);
	assert_true(t.income == 105750000);
	assert_true(t.expenditure == 92400000);
	assert_true(t.balance == 13350000);
	assert_true(t.staff == 81000000);
	assert_true(t.staff_base == 105750000);
	assert_int_equal(t.has_staff_bp, 1);
	assert_true(t.staff_bp == 7660);
	assert_true(t.gag == 100000000);
	assert_true(t.contingency == 2000000);
	assert_true(t.internal_income == 0);
	assert_true(t.internal_expenditure == 4900000);

	/* income groups first, then expenditure, each in the fixed order */
	assert_int_equal(t.ngroups, 9);
	assert_int_equal(t.groups[0].kind, BUDGET_INCOME);
	assert_string_equal(t.groups[0].group, "gag");
	assert_true(t.groups[0].pence == 100000000);
	assert_string_equal(t.groups[1].group, "dfe_grants");
	assert_string_equal(t.groups[2].group, "self_generated");
	assert_true(t.groups[2].pence == 750000);
	assert_int_equal(t.groups[3].kind, BUDGET_EXPENDITURE);
	assert_string_equal(t.groups[3].group, "teaching_staff");
	assert_string_equal(t.groups[4].group, "support_staff");
	assert_string_equal(t.groups[5].group, "other_staff");
	assert_string_equal(t.groups[6].group, "premises");
	assert_true(t.groups[6].pence == 4500000);
	assert_string_equal(t.groups[7].group, "contingency");
	assert_string_equal(t.groups[8].group, "internal");
	assert_true(t.groups[8].pence == 4900000);
	budget_clear(&b);
}

static void test_totals_internal_both_ways(void **state)
{
	struct budget b;
	struct budget_totals t;

	(void)state;
	budget_init(&b, BUDGET_CENTRAL, &chart);
	add(&b, "INT02", 300);
	add(&b, "INT01", 100);
	assert_int_equal(budget_totals(&b, &t), 0);
	/* "internal" is both an income and an expenditure group */
	assert_int_equal(t.ngroups, 2);
	assert_int_equal(t.groups[0].kind, BUDGET_INCOME);
	assert_string_equal(t.groups[0].group, "internal");
	assert_true(t.groups[0].pence == 300);
	assert_int_equal(t.groups[1].kind, BUDGET_EXPENDITURE);
	assert_true(t.groups[1].pence == 100);
	assert_true(t.internal_income == 300 && t.internal_expenditure == 100);
	budget_clear(&b);
}

/*
 * GAG pooling, each pass-through pair netted (DESIGN.md "How an entity's totals read").
 * The central team:
 *   income  INT04 pooled GAG received 2,000,000,000; INT02 top-slice received 40,000,000
 *   costs   INT06 allocations back 1,880,000,000; E03 staff 100,000,000
 *   income netted: 2,040,000,000 - 1,880,000,000 = 160,000,000 (what it keeps);
 *   expenditure 1,980,000,000 - 1,880,000,000 = 100,000,000; balance 60,000,000 either way;
 *   staff 100,000,000 / 160,000,000 = 6250 bp.
 * A pooled school:
 *   income  I01 its GAG 1,000,000,000; INT05 its allocation 950,000,000
 *   costs   INT03 GAG pooled 990,000,000 (rates kept back); E01 800,000,000; E17 rates 10,000,000
 *   income netted: 1,950,000,000 - 990,000,000 = 960,000,000 (the allocation and the
 *   rates); expenditure 1,800,000,000 - 990,000,000 = 810,000,000; balance 150,000,000;
 *   GAG 1,000,000,000 + 950,000,000 - 990,000,000 = 960,000,000; staff 800 / 960 = 8333 bp.
 * The groups stay gross.
 */
static void test_totals_pass_through(void **state)
{
	struct budget b;
	struct budget_totals t;

	(void)state;
	budget_init(&b, BUDGET_CENTRAL, &chart);
	computed(&b, "INT04", 2000000000);
	computed(&b, "INT02", 40000000);
	computed(&b, "INT06", 1880000000);
	add(&b, "E03", 100000000);
	assert_int_equal(budget_totals(&b, &t), 0);
	assert_true(t.income == 160000000);
	assert_true(t.expenditure == 100000000);
	assert_true(t.balance == 60000000);
	assert_true(t.internal_income == 160000000);
	assert_true(t.internal_expenditure == 0);
	assert_true(t.staff_base == 160000000);
	assert_true(t.staff_bp == 6250);
	assert_string_equal(t.groups[0].group, "internal");
	assert_true(t.groups[0].pence == 2040000000);     /* gross */
	budget_clear(&b);

	budget_init(&b, BUDGET_MAINSTREAM, &chart);
	add(&b, "I01", 1000000000);
	add(&b, "E01", 800000000);
	add(&b, "E17", 10000000);
	computed(&b, "INT03", 990000000);
	computed(&b, "INT05", 950000000);
	assert_int_equal(budget_totals(&b, &t), 0);
	assert_true(t.income == 960000000);
	assert_true(t.expenditure == 810000000);
	assert_true(t.balance == 150000000);
	assert_true(t.gag == 960000000);
	assert_true(t.internal_income == -40000000);      /* INT05 less the GAG pooled out */
	assert_true(t.internal_expenditure == 0);
	assert_true(t.staff_bp == 8333);
	budget_clear(&b);
}

static void test_totals_edge(void **state)
{
	struct budget b;
	struct budget_totals t;

	(void)state;
	budget_init(&b, BUDGET_MAINSTREAM, &chart);
	assert_int_equal(budget_totals(&b, &t), 0);
	assert_true(t.income == 0 && t.expenditure == 0 && t.balance == 0);
	assert_int_equal(t.has_staff_bp, 0);
	assert_int_equal(t.ngroups, 0);
	add(&b, "X1", 500);                               /* unknown codes count for nothing */
	add(&b, "E01", 300);
	add(&b, "I01", 3);
	assert_int_equal(budget_totals(&b, &t), 0);
	assert_true(t.expenditure == 300);
	assert_true(t.staff_bp == 1000000);               /* 300 / 3 = 100 times */
	/* the rounding: 2 / 3 = 0.6666... -> 6667 bp; 1 / 8 = 1250 bp exactly */
	budget_clear(&b);
	add(&b, "I01", 3);
	add(&b, "E01", 2);
	assert_int_equal(budget_totals(&b, &t), 0);
	assert_true(t.staff_bp == 6667);
	budget_clear(&b);
	add(&b, "I01", INT64_MAX);
	add(&b, "I05", 1);
	assert_int_equal(budget_totals(&b, &t), -1);      /* overflow */
	budget_clear(&b);
}

static void test_validate_clean(void **state)
{
	struct budget b;
	struct budget_findings f = { 0 };

	(void)state;
	school_budget(&b);
	assert_int_equal(budget_validate(&b, &f), 0);
	assert_int_equal(f.n, 0);
	assert_int_equal(f.nerrors, 0);
	budget_clear(&b);
}

static void test_validate_empty(void **state)
{
	struct budget b;
	struct budget_findings f = { 0 };
	int i;

	(void)state;
	budget_init(&b, BUDGET_MAINSTREAM, &chart);
	assert_int_equal(budget_validate(&b, &f), 0);
	assert_int_equal(f.nerrors, 2);
	assert_true((i = find(&f, "no_lines")) >= 0);
	assert_string_equal(f.items[i].field, "/lines");
	assert_true((i = find(&f, "no_gag")) >= 0);
	assert_int_equal(f.items[i].severity, BUDGET_ERROR);
	assert_non_null(strstr(f.items[i].message, "GAG lines total £0.00"));
	budget_clear(&b);
}

static void test_validate_codes(void **state)
{
	struct budget b;
	struct budget_findings f = { 0 };
	int i;

	(void)state;
	school_budget(&b);
	add(&b, "E99", 100);                              /* line 11 */
	add(&b, "E18", 100);                              /* line 12, inactive */
	add(&b, "INT02", 100);                            /* line 13, internal: computed, never typed */
	assert_int_equal(budget_validate(&b, &f), 0);
	assert_int_equal(f.nerrors, 3);
	assert_true((i = find(&f, "internal_account")) >= 0);
	assert_string_equal(f.items[i].field, "/lines/13/account_code");
	assert_non_null(strstr(f.items[i].message, "INT02 is computed by the finance rules"));
	assert_true((i = find(&f, "unknown_account")) >= 0);
	assert_string_equal(f.items[i].field, "/lines/11/account_code");
	assert_non_null(strstr(f.items[i].message, "E99 is not an account code"));
	assert_true((i = find(&f, "inactive_account")) >= 0);
	assert_string_equal(f.items[i].field, "/lines/12/account_code");
	assert_non_null(strstr(f.items[i].message, "E18 is no longer in use"));
	budget_clear(&b);
}

/* A credit is fine while its account stays >= 0; below zero it is the wrong kind. */
static void test_validate_signs(void **state)
{
	struct budget b;
	struct budget_findings f = { 0 };
	int i;

	(void)state;
	school_budget(&b);                                /* I08 1,000,000 - 250,000 credit: fine */
	add(&b, "E28a", 100000);                          /* line 11 */
	add(&b, "E28a", -150000);                         /* nets to -50,000 */
	add(&b, "I03", -100);                             /* line 13: income that is a cost */
	assert_int_equal(budget_validate(&b, &f), 0);
	assert_int_equal(f.nerrors, 2);
	assert_true((i = find(&f, "expenditure_is_income")) >= 0);
	assert_string_equal(f.items[i].field, "/lines/11/amount_pence");
	assert_non_null(strstr(f.items[i].message, "E28a (2 lines) nets to -£500.00"));
	assert_true((i = find(&f, "income_is_expenditure")) >= 0);
	assert_string_equal(f.items[i].field, "/lines/13/amount_pence");
	assert_non_null(strstr(f.items[i].message, "I03 (1 line) nets to -£1.00"));
	budget_clear(&b);
}

static void test_validate_gag(void **state)
{
	struct budget b;
	struct budget_findings f = { 0 };
	int i;

	(void)state;
	/* a pooled school budgets its GAG; what it pools and gets back are computed */
	budget_init(&b, BUDGET_MAINSTREAM, &chart);
	add(&b, "I01", 1000);
	add(&b, "E01", 800);
	computed(&b, "INT03", 1000);
	computed(&b, "INT05", 950);
	assert_int_equal(budget_validate(&b, &f), 0);
	assert_int_equal(f.n, 0);
	budget_clear(&b);

	/* GAG lines that total zero */
	memset(&f, 0, sizeof(f));
	add(&b, "I01", 0);
	add(&b, "I05", 1000);
	add(&b, "E01", 800);
	assert_int_equal(budget_validate(&b, &f), 0);
	assert_int_equal(f.nerrors, 1);
	assert_true(find(&f, "no_gag") >= 0);
	budget_clear(&b);

	/* a special school without place funding: a warning; with it, nothing */
	memset(&f, 0, sizeof(f));
	b.entity = BUDGET_SPECIAL;
	add(&b, "I03", 1000);
	add(&b, "E01", 800);
	assert_int_equal(budget_validate(&b, &f), 0);
	assert_int_equal(f.nerrors, 0);
	assert_true((i = find(&f, "no_gag")) >= 0);
	assert_int_equal(f.items[i].severity, BUDGET_WARNING);
	memset(&f, 0, sizeof(f));
	add(&b, "I01P", 1000);
	add(&b, "E01", 800);                              /* staff 1,600 of 2,000: 80% */
	assert_int_equal(budget_validate(&b, &f), 0);
	assert_int_equal(f.n, 0);
	budget_clear(&b);

	/* the central team has no GAG rule */
	memset(&f, 0, sizeof(f));
	b.entity = BUDGET_CENTRAL;
	computed(&b, "INT02", 1000);
	add(&b, "E03", 800);
	assert_int_equal(budget_validate(&b, &f), 0);
	assert_int_equal(f.n, 0);
	budget_clear(&b);
}

/* Staff at 60% and 90% of income is fine; 59.99% and 90.01% are warnings. */
static void test_validate_staff(void **state)
{
	static const struct {
		int64_t staff;
		int warn;
		const char *pct;
	} cases[] = {
		{ 600000, 0, NULL }, { 900000, 0, NULL }, { 599900, 1, "59.99%" }, { 900100, 1, "90.01%" },
		{ 950000, 1, "95.00%" },
	};
	struct budget b;
	struct budget_findings f;
	int i;

	(void)state;
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		memset(&f, 0, sizeof(f));
		budget_init(&b, BUDGET_MAINSTREAM, &chart);
		add(&b, "I01", 1000000);
		add(&b, "E01", cases[c].staff);
		add(&b, "CON01", 40000);                  /* contingency: not a staff cost */
		assert_int_equal(budget_validate(&b, &f), 0);
		i = find(&f, "staff_costs");
		if (!cases[c].warn) {
			assert_int_equal(i, -1);
		} else {
			assert_true(i >= 0);
			assert_int_equal(f.items[i].severity, BUDGET_WARNING);
			assert_string_equal(f.items[i].field, "/totals/staff_costs_bp");
			assert_non_null(strstr(f.items[i].message, cases[c].pct));
		}
		assert_int_equal(f.nerrors, 0);
		budget_clear(&b);
	}
	/* staff and no income to measure them against */
	memset(&f, 0, sizeof(f));
	budget_init(&b, BUDGET_CENTRAL, &chart);
	add(&b, "E03", 100);
	assert_int_equal(budget_validate(&b, &f), 0);
	assert_true(find(&f, "staff_costs") >= 0);
	budget_clear(&b);
}

static void test_validate_deficit(void **state)
{
	struct budget b;
	struct budget_findings f = { 0 };
	int i;

	(void)state;
	budget_init(&b, BUDGET_MAINSTREAM, &chart);
	add(&b, "I01", 10000000);                         /* £100,000.00 */
	add(&b, "E01", 8000000);
	add(&b, "E16", 2000100);                          /* costs £100,001.00 */
	assert_int_equal(budget_validate(&b, &f), 0);
	assert_int_equal(f.nerrors, 0);
	assert_true((i = find(&f, "in_year_deficit")) >= 0);
	assert_int_equal(f.items[i].severity, BUDGET_WARNING);
	assert_string_equal(f.items[i].field, "/totals/in_year_balance_pence");
	assert_string_equal(f.items[i].message, "an in-year deficit of £1.00 (income £100,000.00, "
			    "expenditure £100,001.00)");
	budget_clear(&b);
	/* a balanced budget is not a deficit */
	memset(&f, 0, sizeof(f));
	add(&b, "I01", 100);
	add(&b, "E01", 80);
	add(&b, "E16", 20);
	assert_int_equal(budget_validate(&b, &f), 0);
	assert_int_equal(find(&f, "in_year_deficit"), -1);
	budget_clear(&b);
}

static int seen_arg;
static char seen_model[16];

static int fake_rules(void *arg, const struct budget_context *ctx, const struct budget *b,
		      const struct budget_totals *t, struct budget_findings *f)
{
	seen_arg = *(int *)arg;
	snprintf(seen_model, sizeof(seen_model), "%s", ctx->finance_model);
	if (strcmp(ctx->urn, "159907") != 0 || ctx->year != 2026 || ctx->funded_pupils != 356)
		return -1;
	if (t->gag != 100000000 || b->nlines != 11)
		return -1;
	budget_finding_add(f, BUDGET_ERROR, "topslice", "/lines", "budget the central services charge: %s",
			   "INT01");
	return 0;
}

static void test_validate_rules_hook(void **state)
{
	struct budget b;
	struct budget_findings f = { 0 };
	int arg = 42;
	struct budget_rules rules = { fake_rules, &arg }, empty = { NULL, NULL };
	struct budget_context ctx = { .urn = "159907", .year = 2026, .finance_model = "local",
				      .pupils = 357, .funded_pupils = 356 };

	(void)state;
	school_budget(&b);
	assert_int_equal(budget_validate_rules(NULL, &ctx, &b, &f), 0);
	assert_int_equal(budget_validate_rules(&empty, &ctx, &b, &f), 0);
	assert_int_equal(f.n, 0);
	assert_int_equal(budget_validate_rules(&rules, &ctx, &b, &f), 0);
	assert_int_equal(seen_arg, 42);
	assert_string_equal(seen_model, "local");
	assert_int_equal(f.nerrors, 1);
	assert_string_equal(f.items[0].message, "budget the central services charge: INT01");
	ctx.year = 2027;                                  /* the validator's -1 comes back */
	assert_int_equal(budget_validate_rules(&rules, &ctx, &b, &f), -1);
	budget_clear(&b);
}

static void test_findings_cap_and_json(void **state)
{
	struct budget_findings f = { 0 };
	char big[300];
	cJSON *j;

	(void)state;
	for (int i = 0; i < BUDGET_MAX_FINDINGS + 5; i++)
		budget_finding_add(&f, i % 2 ? BUDGET_WARNING : BUDGET_ERROR, "c", "/x", "finding %d", i);
	assert_int_equal(f.n, BUDGET_MAX_FINDINGS);
	assert_int_equal(f.dropped, 5);
	assert_int_equal(f.nerrors + f.nwarnings, BUDGET_MAX_FINDINGS + 5);
	j = budget_findings_json(&f, 1, BUDGET_ERROR);
	assert_int_equal(cJSON_GetArraySize(j), BUDGET_MAX_FINDINGS);
	cJSON_Delete(j);
	j = budget_findings_json(&f, 0, BUDGET_WARNING);
	assert_int_equal(cJSON_GetArraySize(j), BUDGET_MAX_FINDINGS / 2);
	assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetArrayItem(j, 0), "severity")),
			    "warning");
	assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetArrayItem(j, 0), "message")),
			    "finding 1");
	cJSON_Delete(j);

	/* a message cut at 255 bytes never ends inside a UTF-8 sequence */
	memset(&f, 0, sizeof(f));
	memset(big, 'a', 254);
	big[254] = '\0';
	budget_finding_add(&f, BUDGET_WARNING, "c", "/x", "%s£", big);
	assert_int_equal(strlen(f.items[0].message), 254);
}

/* A finding about a line names its spreadsheet row (line i is row i + 2) and its id. */
static void test_findings_locate(void **state)
{
	static const char *const fields[] = { "/lines/1/amount_pence", "/lines/0", "/lines", "/totals/x",
					      "/lines/9/amount_pence", "/lines/01/x", "/lines/1x", "" };
	struct budget_findings f = { 0 };
	struct budget b;
	cJSON *j, *o;

	(void)state;
	budget_init(&b, BUDGET_MAINSTREAM, &chart);
	assert_non_null(budget_add_line(&b, "I01", "GAG", 100));
	assert_non_null(budget_add_line(&b, "E01", "Teachers", 50));
	b.lines[0].id = 41;
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		budget_finding_add(&f, BUDGET_ERROR, "c", fields[i], "m");
	budget_findings_locate(&f, &b);
	assert_int_equal(f.items[0].row, 3);
	assert_int_equal(f.items[0].line_id, 0);         /* not stored yet: null */
	assert_int_equal(f.items[1].row, 2);
	assert_int_equal(f.items[1].line_id, 41);
	for (size_t i = 2; i < sizeof(fields) / sizeof(fields[0]); i++)
		assert_int_equal(f.items[i].row, 0);
	j = budget_findings_json(&f, 1, BUDGET_ERROR);
	o = cJSON_GetArrayItem(j, 1);
	assert_int_equal(cJSON_GetNumberValue(cJSON_GetObjectItem(o, "row")), 2);
	assert_int_equal(cJSON_GetNumberValue(cJSON_GetObjectItem(o, "line_id")), 41);
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(cJSON_GetArrayItem(j, 0), "line_id")));
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(cJSON_GetArrayItem(j, 2), "row")));
	cJSON_Delete(j);
	budget_clear(&b);
}

static void test_totals_json(void **state)
{
	struct budget b;
	struct budget_totals t;
	cJSON *j, *g;

	(void)state;
	school_budget(&b);
	assert_int_equal(budget_totals(&b, &t), 0);
	j = budget_totals_json(&t);
	assert_true(cJSON_GetNumberValue(cJSON_GetObjectItem(j, "income_pence")) == 105750000);
	assert_true(cJSON_GetNumberValue(cJSON_GetObjectItem(j, "in_year_balance_pence")) == 13350000);
	assert_true(cJSON_GetNumberValue(cJSON_GetObjectItem(j, "staff_costs_bp")) == 7660);
	cJSON_Delete(j);
	g = budget_groups_json(&t);
	assert_int_equal(cJSON_GetArraySize(g), 9);
	assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetArrayItem(g, 7), "group")),
			    "contingency");
	assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetArrayItem(g, 7), "kind")),
			    "expenditure");
	cJSON_Delete(g);
	budget_clear(&b);
	budget_init(&b, BUDGET_MAINSTREAM, &chart);
	assert_int_equal(budget_totals(&b, &t), 0);
	j = budget_totals_json(&t);
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(j, "staff_costs_bp")));
	cJSON_Delete(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_chart),
		cmocka_unit_test(test_entity_of),
		cmocka_unit_test(test_add_line),
		cmocka_unit_test(test_line_limit),
		cmocka_unit_test(test_check_description),
		cmocka_unit_test(test_check_driver),
		cmocka_unit_test(test_check_account_amount),
		cmocka_unit_test(test_totals),
		cmocka_unit_test(test_totals_internal_both_ways),
		cmocka_unit_test(test_totals_pass_through),
		cmocka_unit_test(test_totals_edge),
		cmocka_unit_test(test_validate_clean),
		cmocka_unit_test(test_validate_empty),
		cmocka_unit_test(test_validate_codes),
		cmocka_unit_test(test_validate_signs),
		cmocka_unit_test(test_validate_gag),
		cmocka_unit_test(test_validate_staff),
		cmocka_unit_test(test_validate_deficit),
		cmocka_unit_test(test_validate_rules_hook),
		cmocka_unit_test(test_findings_cap_and_json),
		cmocka_unit_test(test_findings_locate),
		cmocka_unit_test(test_totals_json),
	};

	return cmocka_run_group_tests_name("budget", tests, NULL, NULL);
}
