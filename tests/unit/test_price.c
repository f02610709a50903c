/* test_price.c - unit tests for daemon/core/price.c, the one pricing function:
 * exact prices kept as rationals and a year's cost rounded once (half away from
 * zero), the index history against the scenario and the default, options
 * assumed taken, re-procurement, and every assumption named. Every figure is
 * worked by hand in the comments. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "date.h"
#include "price.h"

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

static void series(struct price_series *s, const char *name)
{
	memset(s, 0, sizeof(*s));
	strcpy(s->name, name);
	for (int y = 0; y < PRICE_YEARS; y++)
		s->bp[y] = PRICE_NO_VALUE;
}

static int64_t net(const struct procure_terms *t, const char *index, const struct price_basis *b, int year)
{
	struct price_year y;

	assert_int_equal(price_year(&(struct price_contract){ .t = t, .index = index }, b, year, &y), 0);
	return y.net_pence;
}

/*
 * Rounded once, not at each anniversary: £1.50 a year (150p) from 1 Sep 2024, 3%
 * fixed. 2026-27 has had two anniversaries (1 Sep 2025, 1 Sep 2026): the exact price
 * is 150 x 1.03 x 1.03 = 159.135, so the year is 12 x 159.135 / 12 = 159.135 -> 159p.
 * Rounding at each anniversary would give round(154.5) = 155, round(159.65) = 160p.
 */
static void test_rounded_once_a_year(void **state)
{
	struct procure_terms t = terms("2024-09-01", NULL, 150, 0);
	struct price_basis b = { .history_to = PRICE_ALL_YEARS, .default_bp = 300 };

	(void)state;
	t.auto_renew = 1;
	t.ix = PROCURE_IX_FIXED;
	t.ix_bp = 300;
	assert_int_equal(net(&t, NULL, &b, 2026), 159);
	/* a tie goes away from zero: 6p a year for one month (from 1 Aug 2027) is 0.5p -> 1p */
	t = terms("2027-08-01", NULL, 6, 0);
	t.auto_renew = 1;
	assert_int_equal(net(&t, NULL, &b, 2026), 1);
}

/*
 * Thirty anniversaries: £1,000,000.00 a year from 1 Sep 2000 at 5% fixed; in 2030-31
 * every month is after the 30th (1 Sep 2030): 100,000,000 x 1.05^30, and 1.05^30 =
 * 4.321942375150662... (105^30 / 100^30, whose numerator alone is 61 digits: more
 * than 128 bits) -> 432,194,237.515... -> 432,194,238p. Rounding at each
 * anniversary drifts to 432,194,241p.
 */
static void test_thirty_anniversaries_exact(void **state)
{
	struct procure_terms t = terms("2000-09-01", NULL, 100000000, 20000000);
	struct price_basis b = { .history_to = PRICE_ALL_YEARS, .default_bp = 300 };
	struct price_year y;

	(void)state;
	t.auto_renew = 1;
	t.ix = PROCURE_IX_FIXED;
	t.ix_bp = 500;
	assert_int_equal(price_year(&(struct price_contract){ .t = &t, .index = NULL }, &b, 2030, &y), 0);
	assert_true(y.net_pence == 432194238);
	/* the VAT the same way: 20,000,000 x 1.05^30 = 86,438,847.503... -> 86,438,848 */
	assert_true(y.vat_pence == 86438848);
	assert_int_equal(y.steps[0].indexations, 30);
	assert_int_equal(y.nassumptions, 0);
}

/*
 * A contract priced by month (moved from test_forecast.c): started 15 Nov 2025 at
 * £12,000.00 a year net, 3% fixed on each anniversary, last possible end 14 Nov 2029,
 * re-procured at +5% (the retender change for 2029-30).
 *   exact prices: 15 Nov 2026 -> 1,236,000; 15 Nov 2027 -> 1,273,080; 15 Nov 2028 ->
 *   1,311,272.4 (kept exact).
 *   2027-28: Sep, Oct, Nov at 1,236,000 (1 Nov is before the anniversary), Dec-Aug at
 *   1,273,080: (3 x 1,236,000 + 9 x 1,273,080) / 12 = 15,165,720 / 12 = 1,263,810.
 *   2028-29: (3 x 1,273,080 + 9 x 1,311,272.4) / 12 = 15,620,691.6 / 12 =
 *   1,301,724.3 -> 1,301,724.
 *   2029-30: Sep-Nov at 1,311,272.4 (active on 1 Nov, it ends on the 14th); from 15 Nov
 *   re-procured at 1,311,272.4 x 1.05 = 1,376,836.02: (3 x 1,311,272.4 + 9 x
 *   1,376,836.02) / 12 = 16,325,341.38 / 12 = 1,360,445.115 -> 1,360,445.
 *   2030-31: the new contract's anniversary 15 Nov 2030 at 3%: 1,418,141.1006;
 *   (3 x 1,376,836.02 + 9 x 1,418,141.1006) / 12 = 16,893,777.9654 / 12 =
 *   1,407,814.83 -> 1,407,815.
 */
static void test_anniversary_and_reprocurement(void **state)
{
	struct procure_terms t = terms("2025-11-15", "2029-11-14", 1200000, 0);
	int32_t retender[PRICE_YEARS] = { 0 };
	struct price_basis b = { .history_to = 2026, .default_bp = 300, .retender_bp = retender };
	struct price_year y;

	(void)state;
	t.ix = PROCURE_IX_FIXED;
	t.ix_bp = 300;
	retender[2029 - PRICE_FIRST_YEAR] = 500;
	assert_true(net(&t, NULL, &b, 2027) == 1263810);
	assert_true(net(&t, NULL, &b, 2028) == 1301724);
	assert_int_equal(price_year(&(struct price_contract){ .t = &t, .index = NULL }, &b, 2029, &y), 0);
	assert_true(y.net_pence == 1360445);
	assert_int_equal(y.reprocured, 1);
	assert_int_equal(y.reprocured_from, D("2029-11-15"));
	assert_true(y.nsteps == 2 && y.steps[0].annual_pence == 1311272 && y.steps[1].annual_pence == 1376836);
	assert_int_equal(y.nassumptions, 1);
	assert_string_equal(y.assumptions[0], "re-procured from 2029-11-15 at +5.00%");
	assert_true(net(&t, NULL, &b, 2030) == 1407815);
}

/*
 * The index history: £12,000.00 a year from 1 Sep 2024 linked to CPI + 0. Its
 * anniversaries fall on 1 Sep 2025 (2025-26: CPI 3.80% in the history), 1 Sep 2026
 * (2026-27: 3.00%) and 1 Sep 2027 (2027-28: not in the history).
 *   2026-27: 1,200,000 x 1.038 x 1.03 = 1,282,968 (all history, nothing assumed).
 *   The register (history for every year it holds) prices 2027-28 at the default
 *   3.00%: 1,282,968 x 1.03 = 1,321,457.04 -> 1,321,457, saying so.
 *   A forecast based on 2026-27 takes 2027-28 from its scenario (2.50%): 1,282,968 x
 *   1.025 = 1,315,042.2 -> 1,315,042, assuming nothing.
 *   Before the history existed (every year at the default 3%): 2026-27 would be
 *   1,200,000 x 1.03^2 = 1,273,080.
 */
static void test_index_history(void **state)
{
	struct procure_terms t = terms("2024-09-01", NULL, 1200000, 0);
	struct price_series hist[1], scen[1];
	struct price_basis reg = { .history = hist, .nhistory = 1, .history_to = PRICE_ALL_YEARS, .default_bp = 300 };
	struct price_basis fc = { .history = hist, .nhistory = 1, .history_to = 2026, .scenario = scen, .nscenario = 1,
				  .default_bp = 300 };
	struct price_basis none = { .history_to = PRICE_ALL_YEARS, .default_bp = 300 };
	struct price_year y;
	int32_t bp;

	(void)state;
	t.auto_renew = 1;
	t.ix = PROCURE_IX_INDEX;
	series(&hist[0], "cpi");
	hist[0].bp[2025 - PRICE_FIRST_YEAR] = 380;
	hist[0].bp[2026 - PRICE_FIRST_YEAR] = 300;
	/* a history value after the forecast's base year does not count in the forecast */
	hist[0].bp[2027 - PRICE_FIRST_YEAR] = 999;
	series(&scen[0], "cpi");
	scen[0].bp[2027 - PRICE_FIRST_YEAR] = 250;
	assert_int_equal(price_year(&(struct price_contract){ .t = &t, .index = "cpi" }, &reg, 2026, &y), 0);
	assert_true(y.net_pence == 1282968 && y.nassumptions == 0);
	assert_true(net(&t, "cpi", &fc, 2026) == 1282968);
	assert_true(net(&t, "cpi", &fc, 2027) == 1315042);
	hist[0].bp[2027 - PRICE_FIRST_YEAR] = PRICE_NO_VALUE;
	assert_int_equal(price_year(&(struct price_contract){ .t = &t, .index = "cpi" }, &reg, 2027, &y), 0);
	assert_true(y.net_pence == 1321457);
	assert_int_equal(y.nassumptions, 1);
	assert_string_equal(y.assumptions[0], "cpi 2027-28 at the default 3.00%");
	assert_true(net(&t, "cpi", &none, 2026) == 1273080);
	/* the lookup itself */
	assert_int_equal(price_index_bp(&fc, "cpi", 2025, &bp), 0);
	assert_int_equal(bp, 380);
	assert_int_equal(price_index_bp(&fc, "nlw", 2025, &bp), 1);
	assert_int_equal(bp, 300);
	assert_int_equal(price_index_bp(&fc, "cpi", 2028, &bp), 1);
}

/*
 * Options assumed taken: £6,000.00 a year from 1 Sep 2025 to 31 Aug 2027 with two
 * 12-month options, none used, no indexation. 2027-28 runs on option 1, 2028-29 on
 * option 2 (both said), 2029-30 is re-procured from 1 Sep 2029 at +0.00%. Each year
 * is £6,000.00.
 */
static void test_options_taken(void **state)
{
	struct procure_terms t = terms("2025-09-01", "2027-08-31", 600000, 0);
	struct price_basis b = { .history_to = PRICE_ALL_YEARS, .default_bp = 300 };
	struct price_year y;

	(void)state;
	t.noptions = 2;
	t.option_months[0] = t.option_months[1] = 12;
	assert_int_equal(price_year(&(struct price_contract){ .t = &t, .index = NULL }, &b, 2026, &y), 0);
	assert_true(y.net_pence == 600000 && y.nassumptions == 0);
	assert_int_equal(price_year(&(struct price_contract){ .t = &t, .index = NULL }, &b, 2027, &y), 0);
	assert_true(y.net_pence == 600000 && y.nassumptions == 1);
	assert_string_equal(y.assumptions[0], "option 1 (12 months) taken");
	assert_int_equal(price_year(&(struct price_contract){ .t = &t, .index = NULL }, &b, 2028, &y), 0);
	assert_string_equal(y.assumptions[0], "option 2 (12 months) taken");
	assert_int_equal(price_year(&(struct price_contract){ .t = &t, .index = NULL }, &b, 2029, &y), 0);
	assert_true(y.net_pence == 600000 && y.months == 12 && y.nassumptions == 1);
	assert_string_equal(y.assumptions[0], "re-procured from 2029-09-01 at +0.00%");
	/* one option used: 2027-28 is its current term, nothing assumed */
	t.options_used = 1;
	assert_int_equal(price_year(&(struct price_contract){ .t = &t, .index = NULL }, &b, 2027, &y), 0);
	assert_int_equal(y.nassumptions, 0);
}

/*
 * A terminated contract stops on the day it was terminated (issue 15): £12,000.00 a
 * year from 1 Sep 2025 to 31 Aug 2028, 3% fixed, terminated on 15 Jan 2027 (the day
 * its status changed, before its end). 2026-27: the price after the 1 Sep 2026
 * anniversary is 1,236,000 a year; Sep-Jan are active (1 Jan is on or before 15 Jan),
 * Feb-Aug are not: 5 x 1,236,000 / 12 = 515,000. 2027-28: nothing, no option, no
 * re-procurement; both say why. Terminated after its end (1 Mar 2029): it stopped at
 * its end, 31 Aug 2028.
 */
static void test_terminated(void **state)
{
	struct procure_terms t = terms("2025-09-01", "2028-08-31", 1200000, 0);
	struct price_basis b = { .history_to = PRICE_ALL_YEARS, .default_bp = 300 };
	struct price_contract c = { .t = &t };
	struct price_year y;

	(void)state;
	t.ix = PROCURE_IX_FIXED;
	t.ix_bp = 300;
	t.noptions = 1;
	t.option_months[0] = 12;
	price_contract_status(&c, "terminated", D("2027-01-15"));
	assert_true(c.end == PRICE_TERMINATED && c.ended_on == D("2027-01-15"));
	assert_int_equal(price_year(&c, &b, 2025, &y), 0);
	assert_true(y.net_pence == 1200000 && y.months == 12 && y.nassumptions == 0);
	assert_int_equal(price_year(&c, &b, 2026, &y), 0);
	assert_true(y.net_pence == 515000 && y.months == 5 && y.nassumptions == 1);
	assert_string_equal(y.assumptions[0], "contract terminated on 2027-01-15; no replacement recorded");
	assert_int_equal(price_year(&c, &b, 2027, &y), 0);
	assert_true(y.net_pence == 0 && y.months == 0 && y.nassumptions == 1 && !y.reprocured);
	assert_string_equal(y.assumptions[0], "contract terminated on 2027-01-15; no replacement recorded");
	price_contract_status(&c, "terminated", D("2029-03-01"));
	assert_int_equal(c.ended_on, D("2028-08-31"));
	/* an active contract runs on, through its option */
	price_contract_status(&c, "active", D("2027-01-15"));
	assert_true(c.end == PRICE_RUNNING && c.ended_on == PROCURE_NO_DATE);
	assert_int_equal(price_year(&c, &b, 2028, &y), 0);
	assert_string_equal(y.assumptions[0], "option 1 (12 months) taken");
}

/*
 * An expired contract ended at its current end: no option after it, re-procured from
 * the next day. £6,000.00 a year from 1 Sep 2025 to 31 Aug 2027 with two 12-month
 * options unused, expired on 10 Sep 2027: it ended on 31 Aug 2027 (its end came
 * first), 2027-28 is re-procured from 1 Sep 2027 at the retender change of 2027-28
 * (+5%): 630,000. An auto-renewing one with no end expired on the day its status
 * changed (20 Oct 2026): Sep and Oct 2026 at its price, then re-procured from 21 Oct
 * at +0%: 600,000 with no retender change.
 */
static void test_expired(void **state)
{
	struct procure_terms t = terms("2025-09-01", "2027-08-31", 600000, 0);
	int32_t rt[PRICE_YEARS] = { 0 };
	struct price_basis b = { .history_to = PRICE_ALL_YEARS, .default_bp = 300, .retender_bp = rt };
	struct price_contract c = { .t = &t };
	struct price_year y;

	(void)state;
	t.noptions = 2;
	t.option_months[0] = t.option_months[1] = 12;
	rt[2027 - PRICE_FIRST_YEAR] = 500;
	price_contract_status(&c, "expired", D("2027-09-10"));
	assert_true(c.end == PRICE_EXPIRED && c.ended_on == D("2027-08-31"));
	assert_int_equal(price_year(&c, &b, 2027, &y), 0);
	assert_true(y.net_pence == 630000 && y.months == 12 && y.reprocured && y.nassumptions == 2);
	assert_string_equal(y.assumptions[0], "contract expired on 2027-08-31");
	assert_string_equal(y.assumptions[1], "re-procured from 2027-09-01 at +5.00%");
	t = terms("2024-09-01", NULL, 600000, 0);
	t.auto_renew = 1;
	price_contract_status(&c, "expired", D("2026-10-20"));
	assert_int_equal(c.ended_on, D("2026-10-20"));
	b.retender_bp = NULL;
	assert_int_equal(price_year(&c, &b, 2026, &y), 0);
	assert_true(y.net_pence == 600000 && y.reprocured && y.reprocured_from == D("2026-10-21"));
	assert_int_equal(y.nsteps, 2);
	assert_true(y.steps[0].months == 2 && y.steps[1].months == 10);
	/* no date recorded and no end: taken as running */
	price_contract_status(&c, "expired", PROCURE_NO_DATE);
	assert_int_equal(c.end, PRICE_RUNNING);
}

/* A result that does not fit int64 pence is an error, not a wrap. */
static void test_overflow(void **state)
{
	struct procure_terms t = terms("1990-01-01", NULL, INT64_MAX / 2, 0);
	struct price_basis b = { .history_to = PRICE_ALL_YEARS, .default_bp = 300 };
	struct price_year y;

	(void)state;
	t.auto_renew = 1;
	t.ix = PROCURE_IX_FIXED;
	t.ix_bp = 10000;
	assert_int_equal(price_year(&(struct price_contract){ .t = &t, .index = NULL }, &b, 2026, &y), -1);
}

static void test_format_bp(void **state)
{
	char buf[16];

	(void)state;
	price_format_bp(300, 1, buf, sizeof(buf));
	assert_string_equal(buf, "+3.00%");
	price_format_bp(-250, 1, buf, sizeof(buf));
	assert_string_equal(buf, "-2.50%");
	price_format_bp(5, 0, buf, sizeof(buf));
	assert_string_equal(buf, "0.05%");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rounded_once_a_year),
		cmocka_unit_test(test_thirty_anniversaries_exact),
		cmocka_unit_test(test_anniversary_and_reprocurement),
		cmocka_unit_test(test_index_history),
		cmocka_unit_test(test_options_taken),
		cmocka_unit_test(test_terminated),
		cmocka_unit_test(test_expired),
		cmocka_unit_test(test_overflow),
		cmocka_unit_test(test_format_bp),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
