/* test_service.c - unit tests for daemon/service.c: the months a contract or a
 * subscription is active in an academic year, a year's cost from a contract
 * (monthly price, indexation at each anniversary, rounded once a year, VAT), the
 * fixed-share and overlap rules, and the allocation of a year's cost with
 * prorated subscriptions, with hand-worked figures written out. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "date.h"
#include "service.h"

static int32_t D(const char *s)
{
	int32_t d = 0;

	if (date_parse(s, &d) != 0)
		fail_msg("bad date %s", s);
	return d;
}

static struct procure_terms terms(const char *start, const char *end, int64_t annual, int64_t vat)
{
	return (struct procure_terms){ .start = D(start), .end = end != NULL ? D(end) : PROCURE_NO_DATE,
				       .annual_pence = annual, .vat_pence = vat, .notice_period = 90 };
}

static void test_months(void **state)
{
	(void)state;
	assert_int_equal(service_months(D("2026-09-01"), PROCURE_NO_DATE, 2026), 12);
	assert_int_equal(service_months(D("2020-01-01"), D("2030-01-01"), 2026), 12);
	/* from 1 Jan: January to August */
	assert_int_equal(service_months(D("2027-01-01"), PROCURE_NO_DATE, 2026), 8);
	/* from 15 Jan: active on 1 February first */
	assert_int_equal(service_months(D("2027-01-15"), PROCURE_NO_DATE, 2026), 7);
	/* to 31 Dec: September to December */
	assert_int_equal(service_months(D("2026-09-01"), D("2026-12-31"), 2026), 4);
	/* to 1 Dec: active on 1 December */
	assert_int_equal(service_months(D("2026-09-01"), D("2026-12-01"), 2026), 4);
	/* no first of a month inside */
	assert_int_equal(service_months(D("2026-09-15"), D("2026-09-20"), 2026), 0);
	assert_int_equal(service_months(D("2027-09-01"), PROCURE_NO_DATE, 2026), 0);
	assert_int_equal(service_year_first(2026), D("2026-09-01"));
	assert_int_equal(service_year_last(2026), D("2027-08-31"));
}

/* A basis without history: every index year at default_bp. */
static const struct price_basis *basis(int32_t default_bp)
{
	static struct price_basis b;

	b = (struct price_basis){ .history_to = PRICE_ALL_YEARS, .default_bp = default_bp };
	return &b;
}

/* An index-linked contract here follows cpi. */
static const char *ix_name(const struct procure_terms *t)
{
	return t->ix == PROCURE_IX_INDEX ? "cpi" : NULL;
}

/* £120,000 + £24,000 VAT a year from 1 Jan 2025 to 31 Dec 2029, 300 bp fixed.
 * 2026-27: September-December after one anniversary (1 Jan 2026): £123,600;
 * January-August after two (1 Jan 2027): round(12,360,000 × 1.03) = £127,308.
 * (4 × 12,360,000 + 8 × 12,730,800) / 12 = 151,286,400 / 12 = £126,072.00;
 * VAT (4 × 2,472,000 + 8 × 2,546,160) / 12 = £25,214.40, all recoverable. */
static void test_contract_cost_indexed_fixed(void **state)
{
	struct procure_terms t = terms("2025-01-01", "2029-12-31", 12000000, 2400000);
	struct service_cost c;
	char buf[400];

	(void)state;
	t.ix = PROCURE_IX_FIXED;
	t.ix_bp = 300;
	assert_int_equal(service_contract_cost(&(struct price_contract){ .t = &t, .index = ix_name(&t) }, basis(999), 2026, 10000, &c), 0);
	assert_int_equal(c.months, 12);
	assert_int_equal(c.price.nsteps, 2);
	assert_true(c.price.steps[0].months == 4 && c.price.steps[0].annual_pence == 12360000 && c.price.steps[0].indexations == 1);
	assert_true(c.price.steps[1].months == 8 && c.price.steps[1].annual_pence == 12730800 && c.price.steps[1].indexations == 2);
	assert_int_equal(c.price.steps[1].from, D("2027-01-01"));
	assert_true(c.net_pence == 12607200 && c.vat_pence == 2521440);
	assert_true(c.irrecoverable_vat_pence == 0 && c.cost_pence == 12607200);
	service_cost_explain(&c, "ICT-1", buf, sizeof(buf));
	assert_string_equal(buf, "contract ICT-1: 4 months at £123,600.00 a year (indexed 1 time at 300 bp) + "
			    "8 months at £127,308.00 a year (indexed 2 times at 300 bp) / 12 = £126,072.00 net; "
			    "VAT £25,214.40, all recoverable");
	/* half of the VAT recoverable: 1,260,720 of it is a cost */
	assert_int_equal(service_contract_cost(&(struct price_contract){ .t = &t, .index = ix_name(&t) }, basis(999), 2026, 5000, &c), 0);
	assert_true(c.irrecoverable_vat_pence == 1260720 && c.cost_pence == 13867920);
}

/* An indexed contract: the index's value (here 300 bp) plus its margin (100 bp). From
 * 1 Sep 2025: the anniversary on 1 Sep 2026 applies to the whole of 2026-27:
 * round(£10,000 × 1.04) = £10,400. */
static void test_contract_cost_index_plus_margin(void **state)
{
	struct procure_terms t = terms("2025-09-01", "2028-08-31", 1000000, 0);
	struct service_cost c;

	(void)state;
	t.ix = PROCURE_IX_INDEX;
	t.ix_bp = 100;
	assert_int_equal(service_contract_cost(&(struct price_contract){ .t = &t, .index = ix_name(&t) }, basis(300), 2026, 10000, &c), 0);
	assert_true(c.price.steps[0].rate_bp == 400 && c.price.nsteps == 1 && c.net_pence == 1040000);
	assert_int_equal(c.price.nassumptions, 1);
	assert_string_equal(c.price.assumptions[0], "cpi 2026-27 at the default 3.00%");
	/* 2025-27's first year is unindexed */
	assert_int_equal(service_contract_cost(&(struct price_contract){ .t = &t, .index = ix_name(&t) }, basis(300), 2025, 10000, &c), 0);
	assert_true(c.net_pence == 1000000);
	/* no indexation: the same price every year */
	t.ix = PROCURE_IX_NONE;
	assert_int_equal(service_contract_cost(&(struct price_contract){ .t = &t, .index = ix_name(&t) }, basis(300), 2027, 10000, &c), 0);
	assert_true(c.price.steps[0].indexations == 0 && c.net_pence == 1000000 && c.price.nassumptions == 0);
}

/* Rounded once a year, not per month: £1.00 a year for 5 months is round(500 / 12) =
 * 42p, where 5 monthly prices of round(8.33) would make 40p. A part year: £1,000 a year
 * from 1 Feb 2027 is 7 months: round(700,000 / 12) = £583.33. */
static void test_contract_cost_part_year_rounded_once(void **state)
{
	struct procure_terms t = terms("2027-04-01", "2028-03-31", 100, 0);
	struct service_cost c;
	char buf[200];

	(void)state;
	assert_int_equal(service_contract_cost(&(struct price_contract){ .t = &t, .index = ix_name(&t) }, basis(300), 2026, 10000, &c), 0);
	assert_true(c.months == 5 && c.net_pence == 42);
	t = terms("2027-02-01", "2028-01-31", 100000, 0);
	assert_int_equal(service_contract_cost(&(struct price_contract){ .t = &t, .index = ix_name(&t) }, basis(300), 2026, 10000, &c), 0);
	assert_true(c.months == 7 && c.net_pence == 58333);
	service_cost_explain(&c, "X", buf, sizeof(buf));
	assert_string_equal(buf, "contract X: 7 months at £1,000.00 a year / 12 = £583.33");
	/* not active at all in 2025-26 */
	assert_int_equal(service_contract_cost(&(struct price_contract){ .t = &t, .index = ix_name(&t) }, basis(300), 2025, 10000, &c), 0);
	assert_true(c.months == 0 && c.net_pence == 0 && c.price.nsteps == 0);
	service_cost_explain(&c, "X", buf, sizeof(buf));
	assert_string_equal(buf, "contract X is not active in this year: £0.00");
}

/* After the current end a contract runs on through its remaining options (an
 * assumption), and after its last possible end it is re-procured at its last price
 * (+0% outside a forecast); an auto-renewing contract runs on. £12,000 a year from
 * 1 Jan 2023 to 31 Dec 2026, no indexation: every month of 2026-27 at £12,000.00. */
static void test_contract_cost_ends(void **state)
{
	struct procure_terms t = terms("2023-01-01", "2026-12-31", 1200000, 0);
	struct service_cost c;

	(void)state;
	assert_int_equal(service_contract_cost(&(struct price_contract){ .t = &t, .index = ix_name(&t) }, basis(300), 2026, 10000, &c), 0);
	assert_true(c.months == 12 && c.net_pence == 1200000 && c.price.reprocured);
	assert_int_equal(c.price.reprocured_from, D("2027-01-01"));
	assert_int_equal(c.price.nassumptions, 1);
	assert_string_equal(c.price.assumptions[0], "re-procured from 2027-01-01 at +0.00%");
	/* a 12-month option exercised: to 31 Dec 2027, nothing assumed */
	t.noptions = 1;
	t.option_months[0] = 12;
	t.options_used = 1;
	assert_int_equal(service_contract_cost(&(struct price_contract){ .t = &t, .index = ix_name(&t) }, basis(300), 2026, 10000, &c), 0);
	assert_true(c.months == 12 && c.net_pence == 1200000 && c.price.nassumptions == 0);
	/* the option not exercised yet: assumed taken for January to August */
	t.options_used = 0;
	assert_int_equal(service_contract_cost(&(struct price_contract){ .t = &t, .index = ix_name(&t) }, basis(300), 2026, 10000, &c), 0);
	assert_true(c.months == 12 && c.price.nassumptions == 1 && !c.price.reprocured);
	assert_string_equal(c.price.assumptions[0], "option 1 (12 months) taken");
	t.auto_renew = 1;
	assert_int_equal(service_contract_cost(&(struct price_contract){ .t = &t, .index = ix_name(&t) }, basis(300), 2026, 10000, &c), 0);
	assert_true(c.months == 12 && c.price.nassumptions == 0);
	t.end = PROCURE_NO_DATE;
	assert_int_equal(service_contract_cost(&(struct price_contract){ .t = &t, .index = ix_name(&t) }, basis(300), 2026, 10000, &c), 0);
	assert_true(c.months == 12);
}

static void test_contract_cost_overflow(void **state)
{
	struct procure_terms t = terms("1990-01-01", NULL, INT64_MAX / 2, 0);
	struct service_cost c;

	(void)state;
	t.auto_renew = 1;
	t.ix = PROCURE_IX_FIXED;
	t.ix_bp = 10000;
	assert_int_equal(service_contract_cost(&(struct price_contract){ .t = &t, .index = ix_name(&t) }, basis(300), 2026, 10000, &c), -1);
}

static void test_entered_cost(void **state)
{
	struct service_cost c;
	char buf[200];

	(void)state;
	assert_int_equal(service_entered_cost(1200000, 240000, 2026, basis(300), 2026, 5000, &c), 0);
	assert_true(c.source == SERVICE_ENTERED && c.months == 12 && c.price.nassumptions == 0);
	assert_true(c.net_pence == 1200000 && c.irrecoverable_vat_pence == 120000 && c.cost_pence == 1320000);
	service_cost_explain(&c, NULL, buf, sizeof(buf));
	assert_string_equal(buf, "entered annual cost £12,000.00 net + £1,200.00 of VAT not recoverable (of "
			    "£2,400.00) = £13,200.00");
	/* a year before the one it is entered for: as entered */
	assert_int_equal(service_entered_cost(1200000, 240000, 2026, basis(300), 2024, 5000, &c), 0);
	assert_true(c.net_pence == 1200000 && c.price.nassumptions == 0);
	assert_int_equal(service_entered_cost(-1, 0, 2026, basis(300), 2026, 10000, &c), -1);
}

/* An entered cost in a later year (issue 15): raised by cpi at the start of each year after
 * the one it is entered for, exactly, rounded once. cpi 2027-28 is 3.80% in the history,
 * 2028-29 is not there: the default 3%. 2028-29: 1,200,000 x 1.038 x 1.03 = 1,282,968 net;
 * VAT 240,000 x 1.069140 = 256,593.6 -> 256,594, half of it not recoverable: 128,297;
 * cost 1,411,265. */
static void test_entered_cost_raised_by_cpi(void **state)
{
	static struct price_series cpi = { .name = "cpi" };
	struct price_basis b = { .history = &cpi, .nhistory = 1, .history_to = PRICE_ALL_YEARS, .default_bp = 300 };
	struct service_cost c;
	char buf[240];

	(void)state;
	for (int i = 0; i < PRICE_YEARS; i++)
		cpi.bp[i] = PRICE_NO_VALUE;
	cpi.bp[2027 - PRICE_FIRST_YEAR] = 380;
	assert_int_equal(service_entered_cost(1200000, 240000, 2026, &b, 2028, 5000, &c), 0);
	assert_true(c.net_pence == 1282968 && c.vat_pence == 256594);
	assert_true(c.irrecoverable_vat_pence == 128297 && c.cost_pence == 1411265);
	assert_int_equal(c.price.nassumptions, 2);
	assert_string_equal(c.price.assumptions[0], "entered for 2026-27, raised by cpi each year");
	assert_string_equal(c.price.assumptions[1], "cpi 2028-29 at the default 3.00%");
	service_cost_explain(&c, NULL, buf, sizeof(buf));
	assert_string_equal(buf, "entered annual cost £12,000.00 for 2026-27, raised by cpi 2 times, the last at 300 bp "
			    "= £12,829.68 net + £1,282.97 of VAT not recoverable (of £2,565.94) = £14,112.65");
	/* 2027-28: the history's 3.80% only, no default */
	assert_int_equal(service_entered_cost(1200000, 0, 2026, &b, 2027, 10000, &c), 0);
	assert_true(c.net_pence == 1245600 && c.price.nassumptions == 1);
	/* rounded once: 50p x 1.038 x 1.03 = 53.457p -> 53p (each year: 51.9 -> 52, x 1.03 = 53.56 -> 54) */
	assert_int_equal(service_entered_cost(50, 0, 2026, &b, 2028, 10000, &c), 0);
	assert_int_equal(c.net_pence, 53);
}

static void test_overlap(void **state)
{
	struct service_span a = { D("2026-09-01"), D("2027-08-31"), -1 };
	struct service_span b = { D("2027-08-31"), PROCURE_NO_DATE, -1 };
	struct service_span c = { D("2027-09-01"), PROCURE_NO_DATE, -1 };

	(void)state;
	assert_true(service_overlap(&a, &b));
	assert_true(service_overlap(&b, &a));
	assert_false(service_overlap(&a, &c));
	assert_true(service_overlap(&b, &c));
	a.end = PROCURE_NO_DATE;
	assert_true(service_overlap(&a, &c));
}

static void test_shares(void **state)
{
	struct service_span s[3] = {
		{ D("2026-09-01"), PROCURE_NO_DATE, 5000 },
		{ D("2026-09-01"), D("2027-08-31"), 5000 },
		{ D("2027-09-01"), PROCURE_NO_DATE, 5000 },
	};
	int32_t day = 0;
	int64_t total = 0;

	(void)state;
	assert_int_equal(service_shares_check(s, 3, &day, &total), 0);
	/* without the third, the first is alone (5,000) from 1 Sep 2027 */
	assert_int_equal(service_shares_check(s, 2, &day, &total), -1);
	assert_true(day == D("2027-09-01") && total == 5000);
	/* 6,000 + 5,000 from the start */
	s[0].bp = 6000;
	assert_int_equal(service_shares_check(s, 3, &day, &total), -1);
	assert_true(day == D("2026-09-01") && total == 11000);
	/* a gap with nothing active is fine */
	s[0] = (struct service_span){ D("2026-09-01"), D("2026-12-31"), 10000 };
	s[1] = (struct service_span){ D("2027-03-01"), PROCURE_NO_DATE, 10000 };
	assert_int_equal(service_shares_check(s, 2, &day, &total), 0);
	/* no share at all counts 0 */
	s[1].bp = -1;
	assert_int_equal(service_shares_check(s, 2, &day, &total), -1);
	assert_true(day == D("2027-03-01") && total == 0);
	assert_int_equal(service_shares_check(s, 0, &day, &total), 0);
}

/* Per pupil, a school joining on 1 Jan: 412 × 12 = 4,944 and 600 × 8 = 4,800 of 9,744
 * pupil-months share £9,744.00: £4,944.00 and £4,800.00. A school with no census gets
 * nothing and is counted as lacking; one with no month in the year gets nothing. */
static void test_allocate_prorated(void **state)
{
	struct service_school sa = { .id = 1, .urn = "159901", .pupils = 412, .fte_hundredths = -1, .floor_area = -1 };
	struct service_school sb = { .id = 2, .urn = "159902", .pupils = 600, .fte_hundredths = -1, .floor_area = -1 };
	struct service_school sc = { .id = 3, .urn = "159903", .pupils = -1, .fte_hundredths = -1, .floor_area = -1 };
	struct service_sub subs[4] = {
		{ .id = 1, .school = &sa, .start = D("2026-09-01"), .end = PROCURE_NO_DATE, .usage_units = -1, .fixed_share_bp = -1 },
		{ .id = 2, .school = &sb, .start = D("2027-01-01"), .end = PROCURE_NO_DATE, .usage_units = -1, .fixed_share_bp = -1 },
		{ .id = 3, .school = &sc, .start = D("2026-09-01"), .end = PROCURE_NO_DATE, .usage_units = -1, .fixed_share_bp = -1 },
		{ .id = 4, .school = &sc, .start = D("2025-09-01"), .end = D("2026-08-31"), .usage_units = -1, .fixed_share_bp = -1 },
	};
	struct service_alloc a;
	struct alloc_explain e;
	char buf[200];

	(void)state;
	assert_int_equal(service_allocate(ALLOC_PER_PUPIL, 974400, subs, 4, 2026, &a), 0);
	assert_true(a.prorated && a.total == 9744 && a.weight_total == 9744);
	assert_true(subs[0].months == 12 && subs[0].weight == 4944 && subs[0].pence == 494400);
	assert_true(subs[1].months == 8 && subs[1].weight == 4800 && subs[1].pence == 480000);
	assert_true(subs[2].value == -1 && subs[2].pence == 0 && a.nlacking == 1);
	assert_true(subs[3].months == 0 && subs[3].pence == 0);
	assert_true(a.allocated_pence == 974400 && a.unallocated_pence == 0 && !a.no_weight);
	service_explain(&a, &subs[1], NULL, &e);
	alloc_explain(&e, buf, sizeof(buf));
	assert_string_equal(buf, "pupils 600 × 8 months of 9,744 (pupils × months) × £9,744.00");
}

/* Whole-year subscriptions: the plain form ("1 of 3"). Equal shares of £100.00 over
 * three schools (weights 1 × 12 months each): 10,000 × 12 / 36 = 3,333 r 12 each, and
 * the 1p left goes to the lowest URN. */
static void test_allocate_equal_whole_year(void **state)
{
	struct service_school s[3] = {
		{ .id = 1, .urn = "159903", .pupils = -1, .fte_hundredths = -1, .floor_area = -1 },
		{ .id = 2, .urn = "159901", .pupils = -1, .fte_hundredths = -1, .floor_area = -1 },
		{ .id = 3, .urn = "159902", .pupils = -1, .fte_hundredths = -1, .floor_area = -1 },
	};
	struct service_sub subs[3];
	struct service_alloc a;
	struct alloc_explain e;
	char buf[200];

	(void)state;
	for (int i = 0; i < 3; i++)
		subs[i] = (struct service_sub){ .id = 10 + i, .school = &s[i], .start = D("2026-09-01"),
						.end = PROCURE_NO_DATE, .usage_units = -1, .fixed_share_bp = -1 };
	assert_int_equal(service_allocate(ALLOC_EQUAL, 10000, subs, 3, 2026, &a), 0);
	assert_true(!a.prorated && a.total == 3);
	assert_true(subs[0].pence == 3333 && subs[1].pence == 3334 && subs[2].pence == 3333);
	service_explain(&a, &subs[1], NULL, &e);
	alloc_explain(&e, buf, sizeof(buf));
	assert_string_equal(buf, "1 of 3 schools × £100.00 (+1p remainder)");
	/* usage with no units recorded anywhere: nothing to split by */
	for (int i = 0; i < 3; i++)
		subs[i].usage_units = 0;
	assert_int_equal(service_allocate(ALLOC_USAGE, 10000, subs, 3, 2026, &a), 0);
	assert_true(a.no_weight && a.allocated_pence == 0 && a.unallocated_pence == 10000);
	/* nobody subscribes: all of it unallocated */
	assert_int_equal(service_allocate(ALLOC_EQUAL, 10000, NULL, 0, 2026, &a), 0);
	assert_true(a.no_weight && a.unallocated_pence == 10000);
}

static void test_values(void **state)
{
	struct service_school s = { .pupils = 412, .fte_hundredths = 8240, .floor_area = 4400 };

	(void)state;
	assert_true(service_value(ALLOC_PER_PUPIL, &s, 7, 9) == 412);
	assert_true(service_value(ALLOC_PER_FTE, &s, 7, 9) == 8240);
	assert_true(service_value(ALLOC_FLOOR_AREA, &s, 7, 9) == 4400);
	assert_true(service_value(ALLOC_EQUAL, &s, 7, 9) == 1);
	assert_true(service_value(ALLOC_USAGE, &s, 7, 9) == 7);
	assert_true(service_value(ALLOC_FIXED_SHARE, &s, 7, 9) == 9);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_months),
		cmocka_unit_test(test_contract_cost_indexed_fixed),
		cmocka_unit_test(test_contract_cost_index_plus_margin),
		cmocka_unit_test(test_contract_cost_part_year_rounded_once),
		cmocka_unit_test(test_contract_cost_ends),
		cmocka_unit_test(test_contract_cost_overflow),
		cmocka_unit_test(test_entered_cost),
		cmocka_unit_test(test_entered_cost_raised_by_cpi),
		cmocka_unit_test(test_overlap),
		cmocka_unit_test(test_shares),
		cmocka_unit_test(test_allocate_prorated),
		cmocka_unit_test(test_allocate_equal_whole_year),
		cmocka_unit_test(test_values),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
