/* test_procure.c - unit tests for daemon/procure.c: dates, estimated value and the
 * procurement check, with hand-worked figures written out. The scheme and the
 * thresholds are the demo ones (etc/bursard.conf): bands [0, £10k) single quote /
 * business manager, [£10k, £40k) three quotes / finance director, [£40k, £207,720)
 * tender or framework / board, [£207,720, ...) Find a Tender or framework / board;
 * the sub-central thresholds from 1 Jan 2020 (domain.md section 8): goods and
 * services £189,330 net of VAT, £213,477 incl. VAT from 1 Jan 2022, £214,904 from
 * 1 Jan 2024 (PCR 2015, the Act from 24 Feb 2025), £207,720 from 1 Jan 2026; works
 * and concessions £4,733,252 net / £5,336,937 / £5,372,609 / £5,193,000;
 * light-touch services £663,540 (net in 2020-21); light-touch concessions as
 * concessions until the Act, £5,372,609 under it. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "date.h"
#include "procure.h"

static struct procure_rules demo;

static int32_t D(const char *s)
{
	int32_t d = 0;

	if (date_parse(s, &d) != 0)
		fail_msg("bad date %s", s);
	return d;
}

static int setup(void **state)
{
	static const struct { int64_t from, to; char *route, *approver; } bands[] = {
		{ 0, 1000000, "single_quote", "business_manager" },
		{ 1000000, 4000000, "three_quotes", "finance_director" },
		{ 4000000, 20772000, "tender_or_framework", "board" },
		{ 20772000, INT64_MAX, "find_a_tender_or_framework", "board" },
	};
	static const struct { char *type; const char *from; int64_t pence; char *regime; int net; } th[] = {
		{ "goods_services", "2020-01-01", 18933000, "PCR2015", 1 },
		{ "goods_services", "2022-01-01", 21347700, "PCR2015", 0 },
		{ "goods_services", "2024-01-01", 21490400, "PCR2015", 0 },
		{ "goods_services", "2025-02-24", 21490400, "PA2023", 0 },
		{ "goods_services", "2026-01-01", 20772000, "PA2023", 0 },
		{ "light_touch", "2020-01-01", 66354000, "PCR2015", 1 },
		{ "light_touch", "2022-01-01", 66354000, "PCR2015", 0 },
		{ "light_touch", "2025-02-24", 66354000, "PA2023", 0 },
		{ "works", "2020-01-01", 473325200, "PCR2015", 1 },
		{ "works", "2022-01-01", 533693700, "PCR2015", 0 },
		{ "works", "2024-01-01", 537260900, "PCR2015", 0 },
		{ "works", "2025-02-24", 537260900, "PA2023", 0 },
		{ "works", "2026-01-01", 519300000, "PA2023", 0 },
		{ "concession", "2020-01-01", 473325200, "PCR2015", 1 },
		{ "concession", "2022-01-01", 533693700, "PCR2015", 0 },
		{ "concession", "2024-01-01", 537260900, "PCR2015", 0 },
		{ "concession", "2025-02-24", 537260900, "PA2023", 0 },
		{ "concession", "2026-01-01", 519300000, "PA2023", 0 },
		{ "light_touch_concession", "2020-01-01", 473325200, "PCR2015", 1 },
		{ "light_touch_concession", "2022-01-01", 533693700, "PCR2015", 0 },
		{ "light_touch_concession", "2024-01-01", 537260900, "PCR2015", 0 },
		{ "light_touch_concession", "2025-02-24", 537260900, "PA2023", 0 },
	};

	(void)state;
	memset(&demo, 0, sizeof(demo));
	demo.indexation_bp = 300;
	for (size_t i = 0; i < sizeof(bands) / sizeof(bands[0]); i++) {
		demo.bands[i] = (struct procure_band){ bands[i].from, bands[i].to, bands[i].route, bands[i].approver };
		demo.nbands++;
	}
	for (size_t i = 0; i < sizeof(th) / sizeof(th[0]); i++) {
		demo.thresholds[i] = (struct procure_threshold){ th[i].type, D(th[i].from), th[i].pence, th[i].regime,
								  th[i].net };
		demo.nthresholds++;
	}
	return 0;
}

static void check_date(int32_t got, const char *want)
{
	char buf[16];

	if (want == NULL) {
		assert_true(got == PROCURE_NO_DATE);
		return;
	}
	date_format(got, buf, sizeof(buf));
	assert_string_equal(buf, want);
}

/* A 12-month goods-and-services contract, no VAT, no indexation: its estimated value
 * is exactly its annual value, so a band edge can be hit to the penny. */
static struct procure_contract plain(int64_t annual, const char *started)
{
	struct procure_contract c = {
		.id = 1, .reference = "T-1", .category = "ict", .contract_type = "goods_services",
		.supplier_id = 7, .route = PROCURE_SINGLE_QUOTE, .started_on = D(started),
		.t = { .start = D("2026-04-01"), .end = D("2027-03-31"), .notice_period = 90,
		       .annual_pence = annual },
		.ev = { .standstill_ends_on = PROCURE_NO_DATE, .conflicts_checked_on = PROCURE_NO_DATE,
			.debarment_checked_on = PROCURE_NO_DATE },
	};

	return c;
}

static void add_quote(struct procure_contract *c, const char *supplier, int64_t amount, int chosen, int reason)
{
	c->ev.quotes[c->ev.nquotes++] = (struct procure_quote){ supplier, amount, chosen, reason };
}

static int has_item(const struct procure_item *items, size_t n, const char *code)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(items[i].code, code) == 0)
			return 1;
	return 0;
}

/* ---- dates ---- */

static void test_term_months(void **state)
{
	(void)state;
	assert_int_equal(procure_term_months(D("2026-09-01"), D("2029-08-31")), 36);
	assert_int_equal(procure_term_months(D("2026-09-01"), D("2026-09-01")), 1);
	assert_int_equal(procure_term_months(D("2026-09-15"), D("2027-09-14")), 12);
	/* one day into a 13th month counts it: "the most the trust could pay" */
	assert_int_equal(procure_term_months(D("2026-09-15"), D("2027-09-15")), 13);
	assert_int_equal(procure_term_months(D("2026-09-01"), D("2026-08-31")), 0);
}

static void test_extend(void **state)
{
	(void)state;
	check_date(procure_extend(D("2029-08-31"), 12), "2030-08-31");
	/* (28 Feb + 1 day) + 6 months - 1 day: the month end stays a month end */
	check_date(procure_extend(D("2027-02-28"), 6), "2027-08-31");
	check_date(procure_extend(D("2027-02-27"), 1), "2027-03-27");
	check_date(procure_extend(D("2029-08-31"), 0), "2029-08-31");
}

static void test_dates_three_plus_one_plus_one(void **state)
{
	struct procure_terms t = { .start = D("2026-09-01"), .end = D("2029-08-31"), .noptions = 2,
				   .option_months = { 12, 12 }, .notice_period = 90 };
	struct procure_dates d;

	(void)state;
	procure_dates(&t, &d);
	check_date(d.current_end, "2029-08-31");
	check_date(d.final_end, "2031-08-31");
	/* 31 Aug 2029 - 90 days: - 31 -> 31 Jul, - 31 -> 30 Jun, - 28 -> 2 Jun */
	check_date(d.notice_by, "2029-06-02");
	assert_int_equal(d.noptions, 2);
	assert_int_equal(d.options[0].index, 1);
	assert_int_equal(d.options[0].months, 12);
	check_date(d.options[0].exercise_by, "2029-06-02");
	check_date(d.options[0].extends_to, "2030-08-31");
	assert_int_equal(d.options[1].index, 2);
	check_date(d.options[1].exercise_by, "2030-06-02");
	check_date(d.options[1].extends_to, "2031-08-31");

	/* the first option used: the current end moves a year, one option left */
	t.options_used = 1;
	procure_dates(&t, &d);
	check_date(d.current_end, "2030-08-31");
	check_date(d.final_end, "2031-08-31");
	check_date(d.notice_by, "2030-06-02");
	assert_int_equal(d.noptions, 1);
	assert_int_equal(d.options[0].index, 2);
	check_date(d.options[0].exercise_by, "2030-06-02");

	t.options_used = 2;
	procure_dates(&t, &d);
	check_date(d.current_end, "2031-08-31");
	check_date(d.notice_by, "2031-06-02");
	assert_int_equal(d.noptions, 0);
}

static void test_dates_notice_in_months(void **state)
{
	struct procure_terms t = { .start = D("2026-06-01"), .end = D("2029-08-31"), .notice_period = 3,
				   .notice_unit = PROCURE_MONTHS };
	struct procure_dates d;

	(void)state;
	procure_dates(&t, &d);
	check_date(d.notice_by, "2029-05-31");
	/* 31 May - 3 months: 31 Feb does not exist, so the month's end */
	t.end = D("2029-05-31");
	procure_dates(&t, &d);
	check_date(d.notice_by, "2029-02-28");
}

static void test_dates_no_end(void **state)
{
	struct procure_terms t = { .start = D("2026-06-01"), .end = PROCURE_NO_DATE, .auto_renew = 1,
				   .notice_period = 90 };
	struct procure_dates d;

	(void)state;
	procure_dates(&t, &d);
	check_date(d.current_end, NULL);
	check_date(d.final_end, NULL);
	check_date(d.notice_by, NULL);
	assert_int_equal(d.noptions, 0);
}

/* ---- estimated value ---- */

static void test_estimate_options_fixed_indexation(void **state)
{
	/* 3+1+1 years, £100,000 a year + £20,000 VAT = £120,000 incl. VAT, fixed 3%:
	 *   year 1  12,000,000
	 *   year 2  12,000,000 x 1.03 = 12,360,000
	 *   year 3  12,360,000 x 1.03 = 12,730,800
	 *   year 4  12,730,800 x 1.03 = 13,112,724
	 *   year 5  13,112,724 x 1.03 = 13,506,105.72 -> 13,506,106
	 *   total 63,709,630 pence = £637,096.30 */
	struct procure_terms t = { .start = D("2026-09-01"), .end = D("2029-08-31"), .noptions = 2,
				   .option_months = { 12, 12 }, .annual_pence = 10000000, .vat_pence = 2000000,
				   .ix = PROCURE_IX_FIXED, .ix_bp = 300 };
	struct procure_value v;

	(void)state;
	assert_int_equal(procure_estimate(&t, 999, &v), 0);
	assert_int_equal(v.months, 60);
	assert_int_equal(v.rate_bp, 300);
	assert_false(v.auto_renew_48);
	assert_true(v.pence == 63709630);
}

static void test_estimate_index_plus_margin(void **state)
{
	/* CPI + 1%: the configured assumption (300) + 100 = 4% a year, same contract:
	 *   12,000,000 + 12,480,000 + 12,979,200 + 13,498,368 + 14,038,302.72 -> 14,038,303
	 *   = 64,995,871 */
	struct procure_terms t = { .start = D("2026-09-01"), .end = D("2029-08-31"), .noptions = 2,
				   .option_months = { 12, 12 }, .annual_pence = 10000000, .vat_pence = 2000000,
				   .ix = PROCURE_IX_INDEX, .ix_bp = 100 };
	struct procure_value v;

	(void)state;
	assert_int_equal(procure_estimate(&t, 300, &v), 0);
	assert_int_equal(v.rate_bp, 400);
	assert_true(v.pence == 64995871);
	/* no indexation: 5 x 12,000,000 */
	t.ix = PROCURE_IX_NONE;
	assert_int_equal(procure_estimate(&t, 300, &v), 0);
	assert_true(v.pence == 60000000);
}

static void test_estimate_part_year(void **state)
{
	/* 30 months at £12,000 incl. VAT, 3%: 1,200,000 + 1,236,000 + 1,273,080 x 6/12 (636,540)
	 * = 3,072,540 */
	struct procure_terms t = { .start = D("2026-09-01"), .end = D("2029-02-28"), .annual_pence = 1000000,
				   .vat_pence = 200000, .ix = PROCURE_IX_FIXED, .ix_bp = 300 };
	struct procure_value v;

	(void)state;
	assert_int_equal(procure_estimate(&t, 0, &v), 0);
	assert_int_equal(v.months, 30);
	assert_true(v.pence == 3072540);
}

static void test_estimate_auto_renew_48_months(void **state)
{
	/* no end, £10,000 + £2,000 VAT, CPI at the assumed 3%:
	 * 1,200,000 + 1,236,000 + 1,273,080 + 1,311,272.4 -> 1,311,272 = 5,020,352 */
	struct procure_terms t = { .start = D("2026-09-01"), .end = PROCURE_NO_DATE, .auto_renew = 1,
				   .annual_pence = 1000000, .vat_pence = 200000, .ix = PROCURE_IX_INDEX };
	struct procure_value v;

	(void)state;
	assert_int_equal(procure_estimate(&t, 300, &v), 0);
	assert_int_equal(v.months, 48);
	assert_true(v.auto_renew_48);
	assert_true(v.pence == 5020352);

	/* a 12-month term that rolls over: 48 months too (4 x 1,200,000 with no indexation) */
	t.end = D("2027-08-31");
	t.ix = PROCURE_IX_NONE;
	assert_int_equal(procure_estimate(&t, 300, &v), 0);
	assert_int_equal(v.months, 48);
	assert_true(v.auto_renew_48);
	assert_true(v.pence == 4800000);

	/* a 60-month term that rolls over is valued over its 60 months, not flagged */
	t.end = D("2031-08-31");
	assert_int_equal(procure_estimate(&t, 300, &v), 0);
	assert_int_equal(v.months, 60);
	assert_false(v.auto_renew_48);
	assert_true(v.pence == 6000000);

	/* not auto-renewing: just the 12 months */
	t.auto_renew = 0;
	t.end = D("2027-08-31");
	assert_int_equal(procure_estimate(&t, 300, &v), 0);
	assert_int_equal(v.months, 12);
	assert_true(v.pence == 1200000);
}

static void test_estimate_overflow(void **state)
{
	struct procure_terms t = { .start = D("2026-09-01"), .end = D("2036-08-31"), .annual_pence = INT64_MAX / 2,
				   .vat_pence = INT64_MAX / 2 };
	struct procure_value v = { .pence = -5 };

	(void)state;
	assert_int_equal(procure_estimate(&t, 300, &v), -1);
	assert_true(v.pence == -5);
}

/* ---- bands: a penny below, at and above each edge ---- */

struct edge {
	int64_t pence;
	int band;                                /* index into demo.bands */
	const char *approver;
};

static void test_band_edges(void **state)
{
	static const struct edge edges[] = {
		{ 0, 0, "business_manager" },
		{ 999999, 0, "business_manager" },          /* £9,999.99 */
		{ 1000000, 1, "finance_director" },         /* £10,000.00: [from, to) */
		{ 1000001, 1, "finance_director" },
		{ 3999999, 1, "finance_director" },         /* £39,999.99 */
		{ 4000000, 2, "board" },                    /* £40,000.00 */
		{ 4000001, 2, "board" },
		{ 20771999, 2, "board" },                   /* £207,719.99 */
		{ 20772000, 3, "board" },                   /* £207,720.00 */
		{ 20772001, 3, "board" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(edges) / sizeof(edges[0]); i++) {
		struct procure_contract c = plain(edges[i].pence, "2026-03-01");
		struct procure_result r;

		assert_int_equal(procure_check(&demo, &c, NULL, 0, &r), 0);
		assert_true(r.value.pence == edges[i].pence);
		assert_ptr_equal(r.band, &demo.bands[edges[i].band]);
		assert_string_equal(r.approver, edges[i].approver);
		/* the statutory threshold (2026: £207,720) is in the same place as the last band */
		assert_int_equal(r.above_threshold, edges[i].pence >= 20772000);
	}
}

/* One recorded route and its evidence at values around each edge: is the route enough? */
static void test_route_meets_band_at_edges(void **state)
{
	struct procure_contract c;
	struct procure_result r;

	(void)state;
	/* a single quote: enough at £9,999.99, not at £10,000.00 */
	c = plain(999999, "2026-03-01");
	add_quote(&c, "Acme", 999999, 1, 0);
	assert_int_equal(procure_check(&demo, &c, NULL, 0, &r), 0);
	assert_true(r.compliant);
	assert_int_equal(r.nmissing, 0);
	assert_int_equal(r.nallowed, 4);              /* single_quote, three_quotes, framework, open_tender */
	c.t.annual_pence = 1000000;
	assert_int_equal(procure_check(&demo, &c, NULL, 0, &r), 0);
	assert_false(r.route_ok);
	assert_true(r.evidence_ok);
	assert_false(r.compliant);
	assert_true(has_item(r.missing, r.nmissing, "route"));

	/* three quotes: enough at £10,000.00 and £39,999.99, not at £40,000.00 */
	c = plain(1000000, "2026-03-01");
	c.route = PROCURE_THREE_QUOTES;
	add_quote(&c, "Acme", 1000000, 1, 0);
	add_quote(&c, "Brightline", 1040000, 0, 0);
	add_quote(&c, "Cobalt", 1100000, 0, 0);
	assert_int_equal(procure_check(&demo, &c, NULL, 0, &r), 0);
	assert_true(r.compliant);
	c.t.annual_pence = 3999999;
	assert_int_equal(procure_check(&demo, &c, NULL, 0, &r), 0);
	assert_true(r.compliant);
	c.t.annual_pence = 4000000;
	assert_int_equal(procure_check(&demo, &c, NULL, 0, &r), 0);
	assert_false(r.compliant);
	assert_int_equal(r.nallowed, 2);              /* framework, open_tender */

	/* a framework call-off: enough from £40,000 up to £207,719.99 */
	c = plain(4000000, "2026-03-01");
	c.route = PROCURE_FRAMEWORK;
	c.ev.has_framework = 1;
	assert_int_equal(procure_check(&demo, &c, NULL, 0, &r), 0);
	assert_true(r.compliant);
	c.t.annual_pence = 20771999;
	assert_int_equal(procure_check(&demo, &c, NULL, 0, &r), 0);
	assert_true(r.compliant);
	assert_false(r.above_threshold);
	/* at £207,720.00 the Act applies: notices, standstill, conflicts and debarment */
	c.t.annual_pence = 20772000;
	assert_int_equal(procure_check(&demo, &c, NULL, 0, &r), 0);
	assert_true(r.route_ok);
	assert_false(r.evidence_ok);
	assert_int_equal(r.nmissing, 5);
	assert_true(has_item(r.missing, r.nmissing, "award_notice"));
	assert_true(has_item(r.missing, r.nmissing, "standstill"));
	assert_true(has_item(r.missing, r.nmissing, "contract_details_notice"));
	assert_true(has_item(r.missing, r.nmissing, "conflicts_assessment"));
	assert_true(has_item(r.missing, r.nmissing, "debarment_check"));
	c.ev.award_notice_id = "012345-2026";
	c.ev.contract_details_notice_id = "012399-2026";
	c.ev.standstill_ends_on = D("2026-03-20");
	c.ev.conflicts_checked_on = D("2026-03-02");
	c.ev.debarment_checked_on = D("2026-03-02");
	assert_int_equal(procure_check(&demo, &c, NULL, 0, &r), 0);
	assert_true(r.compliant);
	/* a standstill that ends on the start day is too late */
	c.ev.standstill_ends_on = c.t.start;
	assert_int_equal(procure_check(&demo, &c, NULL, 0, &r), 0);
	assert_false(r.compliant);
	assert_true(has_item(r.missing, r.nmissing, "standstill"));
}

/* ---- statutory thresholds by type and procurement start date ---- */

static void test_thresholds_by_date(void **state)
{
	const struct procure_threshold *t;

	(void)state;
	/* goods and services: £214,904 to 31 Dec 2025, £207,720 from 1 Jan 2026 */
	t = procure_threshold(&demo, "goods_services", D("2025-12-31"));
	assert_non_null(t);
	assert_true(t->pence == 21490400);
	assert_string_equal(t->regime, "PA2023");
	t = procure_threshold(&demo, "goods_services", D("2026-01-01"));
	assert_true(t->pence == 20772000);
	assert_string_equal(t->regime, "PA2023");
	/* the Act from 24 Feb 2025; the Public Contracts Regulations 2015 the day before */
	t = procure_threshold(&demo, "goods_services", D("2025-02-23"));
	assert_string_equal(t->regime, "PCR2015");
	assert_true(t->pence == 21490400);
	t = procure_threshold(&demo, "goods_services", D("2025-02-24"));
	assert_string_equal(t->regime, "PA2023");
	/* before any entry (1 Jan 2020): none */
	assert_null(procure_threshold(&demo, "goods_services", D("2019-12-31")));
	t = procure_threshold(&demo, "goods_services", D("2023-12-31"));
	assert_true(t->pence == 21347700 && !t->net_of_vat);
	/* other types */
	t = procure_threshold(&demo, "light_touch", D("2026-06-01"));
	assert_true(t->pence == 66354000);
	t = procure_threshold(&demo, "works", D("2026-01-01"));
	assert_true(t->pence == 519300000);
	t = procure_threshold(&demo, "works", D("2025-12-31"));
	assert_true(t->pence == 537260900);
	t = procure_threshold(&demo, "concession", D("2026-01-01"));
	assert_true(t->pence == 519300000);
	t = procure_threshold(&demo, "light_touch_concession", D("2026-01-01"));
	assert_true(t->pence == 537260900);           /* the Act's light-touch concession figure, kept */
}

static void test_threshold_edges_before_and_after_2026(void **state)
{
	struct procure_contract c;
	struct procure_result r;

	(void)state;
	/* procurement started 31 Dec 2025: £214,904 applies; £207,720 is in the last band but below it */
	c = plain(21490399, "2025-12-31");
	c.route = PROCURE_FRAMEWORK;
	c.ev.has_framework = 1;
	assert_int_equal(procure_check(&demo, &c, NULL, 0, &r), 0);
	assert_ptr_equal(r.band, &demo.bands[3]);
	assert_false(r.above_threshold);
	assert_true(r.compliant);                     /* no notices needed below the threshold */
	c.t.annual_pence = 21490400;
	assert_int_equal(procure_check(&demo, &c, NULL, 0, &r), 0);
	assert_true(r.above_threshold);               /* >=: not less than the threshold */
	assert_false(r.compliant);
	c.t.annual_pence = 21490401;
	assert_int_equal(procure_check(&demo, &c, NULL, 0, &r), 0);
	assert_true(r.above_threshold);

	/* started 1 Jan 2026: £207,720 */
	c = plain(20771999, "2026-01-01");
	assert_int_equal(procure_check(&demo, &c, NULL, 0, &r), 0);
	assert_false(r.above_threshold);
	c.t.annual_pence = 20772000;
	assert_int_equal(procure_check(&demo, &c, NULL, 0, &r), 0);
	assert_true(r.above_threshold);
	assert_true(r.threshold->pence == 20772000);

	/* started before 24 Feb 2025 (PCR 2015): the award notice and standstill only */
	c = plain(30000000, "2025-01-10");
	c.route = PROCURE_FRAMEWORK;
	c.ev.has_framework = 1;
	assert_int_equal(procure_check(&demo, &c, NULL, 0, &r), 0);
	assert_true(r.above_threshold);
	assert_string_equal(r.threshold->regime, "PCR2015");
	assert_int_equal(r.nmissing, 2);
	assert_true(has_item(r.missing, r.nmissing, "award_notice"));
	assert_true(has_item(r.missing, r.nmissing, "standstill"));
	/* an open tender also needs its notice */
	c.route = PROCURE_OPEN_TENDER;
	add_quote(&c, "Acme", 30000000, 1, 0);
	assert_int_equal(procure_check(&demo, &c, NULL, 0, &r), 0);
	assert_true(has_item(r.missing, r.nmissing, "tender_notice"));

	/* a light-touch service of £300,000 is below its £663,540 threshold */
	c = plain(30000000, "2026-03-01");
	c.contract_type = "light_touch";
	c.route = PROCURE_OPEN_TENDER;
	add_quote(&c, "Acme", 30000000, 1, 0);
	assert_int_equal(procure_check(&demo, &c, NULL, 0, &r), 0);
	assert_false(r.above_threshold);
	assert_true(r.compliant);

	/* no threshold configured for the date (before 2020): a warning, not a failure */
	c = plain(500000, "2019-06-01");
	add_quote(&c, "Acme", 500000, 1, 0);
	assert_int_equal(procure_check(&demo, &c, NULL, 0, &r), 0);
	assert_null(r.threshold);
	assert_true(r.compliant);
	assert_true(has_item(r.warnings, r.nwarnings, "no_threshold"));
}

/* ---- the threshold history: the day before and the day of each change ---- */

struct hist {
	const char *type, *started;
	int64_t net, vat;                        /* a 12-month contract's annual value and its VAT */
	int64_t threshold;                       /* the row in force */
	int net_of_vat;                          /* its VAT basis */
	const char *regime;
	int above;                               /* value compared >= threshold */
};

static void test_threshold_history_edges(void **state)
{
	static const struct hist h[] = {
		/* before 1 Jan 2020: no row */
		{ "goods_services", "2019-12-31", 20000000, 0, -1, 0, NULL, 0 },
		/* 2020: £189,330 net of VAT. £189,330.00 + £37,866.00 VAT is compared net: at it (>=) */
		{ "goods_services", "2020-01-01", 18933000, 3786600, 18933000, 1, "PCR2015", 1 },
		/* a penny less net is below, though £227,195.99 incl. VAT is far above £189,330 */
		{ "goods_services", "2021-12-31", 18932999, 3786600, 18933000, 1, "PCR2015", 0 },
		/* the day of the change the row is £213,477 incl. VAT: the same contract is above */
		{ "goods_services", "2022-01-01", 18932999, 3786600, 21347700, 0, "PCR2015", 1 },
		/* £200,000 with no VAT: above £189,330 net on 31 Dec 2021, below £213,477 the next day */
		{ "goods_services", "2021-12-31", 20000000, 0, 18933000, 1, "PCR2015", 1 },
		{ "goods_services", "2022-01-01", 20000000, 0, 21347700, 0, "PCR2015", 0 },
		/* 2024: £214,904. £213,477.00 is at the 2023 row, below the 2024 one */
		{ "goods_services", "2023-12-31", 21347700, 0, 21347700, 0, "PCR2015", 1 },
		{ "goods_services", "2023-12-31", 21347699, 0, 21347700, 0, "PCR2015", 0 },
		{ "goods_services", "2024-01-01", 21347700, 0, 21490400, 0, "PCR2015", 0 },
		/* the Act from 24 Feb 2025, the figure unchanged */
		{ "goods_services", "2025-02-23", 21490400, 0, 21490400, 0, "PCR2015", 1 },
		{ "goods_services", "2025-02-24", 21490400, 0, 21490400, 0, "PA2023", 1 },
		{ "goods_services", "2025-12-31", 21490399, 0, 21490400, 0, "PA2023", 0 },
		{ "goods_services", "2026-01-01", 21490399, 0, 20772000, 0, "PA2023", 1 },
		/* works: £4,733,252 net, £5,336,937, £5,372,609, £5,193,000 */
		{ "works", "2021-12-31", 473325200, 94665040, 473325200, 1, "PCR2015", 1 },
		{ "works", "2021-12-31", 473325199, 94665040, 473325200, 1, "PCR2015", 0 },
		{ "works", "2022-01-01", 473325199, 94665040, 533693700, 0, "PCR2015", 1 },
		{ "works", "2023-12-31", 533693700, 0, 533693700, 0, "PCR2015", 1 },
		{ "works", "2024-01-01", 533693700, 0, 537260900, 0, "PCR2015", 0 },
		{ "works", "2025-12-31", 519300000, 0, 537260900, 0, "PA2023", 0 },
		{ "works", "2026-01-01", 519300000, 0, 519300000, 0, "PA2023", 1 },
		{ "works", "2026-01-01", 519299999, 0, 519300000, 0, "PA2023", 0 },
		/* light-touch services: £663,540 throughout, net of VAT until 2022 */
		{ "light_touch", "2021-12-31", 55295000, 11059000, 66354000, 1, "PCR2015", 0 },
		{ "light_touch", "2022-01-01", 55295000, 11059000, 66354000, 0, "PCR2015", 1 },
		{ "light_touch", "2026-06-01", 66353999, 0, 66354000, 0, "PA2023", 0 },
		{ "light_touch", "2026-06-01", 66354000, 0, 66354000, 0, "PA2023", 1 },
		/* £5,200,000 in 2026: above a concession's £5,193,000, below a light-touch one's £5,372,609 */
		{ "concession", "2026-01-01", 520000000, 0, 519300000, 0, "PA2023", 1 },
		{ "light_touch_concession", "2026-01-01", 520000000, 0, 537260900, 0, "PA2023", 0 },
		{ "light_touch_concession", "2026-01-01", 537260900, 0, 537260900, 0, "PA2023", 1 },
		{ "concession", "2025-12-31", 520000000, 0, 537260900, 0, "PA2023", 0 },
		{ "light_touch_concession", "2021-12-31", 473325200, 94665040, 473325200, 1, "PCR2015", 1 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(h) / sizeof(h[0]); i++) {
		struct procure_contract c = plain(h[i].net, h[i].started);
		struct procure_result r;

		c.contract_type = h[i].type;
		c.t.vat_pence = h[i].vat;
		assert_int_equal(procure_check(&demo, &c, NULL, 0, &r), 0);
		assert_true(r.value.pence == h[i].net + h[i].vat);
		assert_true(r.value.net_pence == h[i].net);
		if (h[i].threshold < 0) {
			assert_null(r.threshold);
			assert_false(r.above_threshold);
			assert_string_equal(r.threshold_note, "");
			assert_true(has_item(r.warnings, r.nwarnings, "no_threshold"));
			continue;
		}
		assert_non_null(r.threshold);
		if (r.threshold->pence != h[i].threshold || r.threshold->net_of_vat != h[i].net_of_vat ||
		    strcmp(r.threshold->regime, h[i].regime) != 0 || r.above_threshold != h[i].above)
			fail_msg("case %zu (%s %s): threshold %lld net %d %s above %d", i, h[i].type, h[i].started,
				 (long long)r.threshold->pence, r.threshold->net_of_vat, r.threshold->regime,
				 r.above_threshold);
		assert_true(r.compared_pence == (h[i].net_of_vat ? h[i].net : h[i].net + h[i].vat));
		assert_false(has_item(r.warnings, r.nwarnings, "no_threshold"));
		assert_non_null(strstr(r.threshold_note, h[i].net_of_vat ? "net of VAT" : "incl. VAT"));
	}
}

/* The check says what it compared, in words. */
static void test_threshold_note(void **state)
{
	struct procure_contract c = plain(18933000, "2021-06-01");
	struct procure_result r;

	(void)state;
	c.t.vat_pence = 3786600;
	assert_int_equal(procure_check(&demo, &c, NULL, 0, &r), 0);
	assert_string_equal(r.threshold_note,
			    "estimated value net of VAT £189,330.00 against the goods_services threshold of "
			    "£189,330.00 net of VAT for procurements started from 2020-01-01 (the Public Contracts "
			    "Regulations 2015): not less than the threshold, so the statutory rules apply");
	/* procured in 2023: the statutory check is made (it used to be no_threshold) */
	c = plain(20000000, "2023-06-01");
	c.t.vat_pence = 4000000;
	assert_int_equal(procure_check(&demo, &c, NULL, 0, &r), 0);
	assert_string_equal(r.threshold_note,
			    "estimated value incl. VAT £240,000.00 against the goods_services threshold of "
			    "£213,477.00 incl. VAT for procurements started from 2022-01-01 (the Public Contracts "
			    "Regulations 2015): not less than the threshold, so the statutory rules apply");
	assert_true(has_item(r.missing, r.nmissing, "award_notice"));
	c = plain(20000000, "2026-06-01");
	assert_int_equal(procure_check(&demo, &c, NULL, 0, &r), 0);
	assert_string_equal(r.threshold_note,
			    "estimated value incl. VAT £200,000.00 against the goods_services threshold of "
			    "£207,720.00 incl. VAT for procurements started from 2026-01-01 (the Procurement Act "
			    "2023): below the threshold");
}

/* The value net of VAT is indexed and counted like the value incl. VAT. */
static void test_estimate_net_of_vat(void **state)
{
	struct procure_terms t = { .start = D("2026-09-01"), .end = D("2028-02-29"), .annual_pence = 1000000,
				   .vat_pence = 200000, .ix = PROCURE_IX_FIXED, .ix_bp = 250 };
	struct procure_value v;

	(void)state;
	assert_int_equal(procure_estimate(&t, 300, &v), 0);
	/* 18 months: 12 x £12,000 + 6/12 x £12,300 = £18,150 incl. VAT;
	 * net 12 x £10,000 + 6/12 x £10,250 = £15,125 */
	assert_int_equal(v.months, 18);
	assert_true(v.pence == 1815000);
	assert_true(v.net_pence == 1512500);
}

/* ---- evidence checklists ---- */

static void test_quote_checklist(void **state)
{
	struct procure_contract c = plain(2000000, "2026-03-01");
	struct procure_result r;

	(void)state;
	c.route = PROCURE_THREE_QUOTES;
	/* two quotes, one supplier twice: 2 distinct of the 3 needed, none chosen */
	add_quote(&c, "Acme", 2000000, 0, 0);
	add_quote(&c, "Brightline", 1900000, 0, 0);
	add_quote(&c, "Acme", 1950000, 0, 0);
	assert_int_equal(procure_check(&demo, &c, NULL, 0, &r), 0);
	assert_true(r.route_ok);
	assert_false(r.evidence_ok);
	assert_int_equal(r.nmissing, 2);
	assert_true(has_item(r.missing, r.nmissing, "quotes"));
	assert_true(has_item(r.missing, r.nmissing, "chosen_quote"));
	assert_non_null(strstr(r.missing[0].message, "(2 recorded)"));

	/* three suppliers, the dearest chosen without a reason */
	c.ev.quotes[2].supplier = "Cobalt";
	c.ev.quotes[0].chosen = 1;
	assert_int_equal(procure_check(&demo, &c, NULL, 0, &r), 0);
	assert_int_equal(r.nmissing, 1);
	assert_string_equal(r.missing[0].code, "quote_reason");
	assert_non_null(strstr(r.missing[0].message, "£20,000.00"));
	assert_non_null(strstr(r.missing[0].message, "£19,000.00"));
	c.ev.quotes[0].has_reason = 1;
	assert_int_equal(procure_check(&demo, &c, NULL, 0, &r), 0);
	assert_true(r.compliant);

	/* a direct award needs its justification, and does not meet the single-quote band */
	c = plain(500000, "2026-03-01");
	c.route = PROCURE_DIRECT_AWARD;
	add_quote(&c, "Acme", 500000, 1, 0);
	assert_int_equal(procure_check(&demo, &c, NULL, 0, &r), 0);
	assert_false(r.route_ok);
	assert_true(has_item(r.missing, r.nmissing, "direct_award_reason"));

	/* a framework without its record */
	c = plain(5000000, "2026-03-01");
	c.route = PROCURE_FRAMEWORK;
	assert_int_equal(procure_check(&demo, &c, NULL, 0, &r), 0);
	assert_true(r.route_ok);
	assert_false(r.evidence_ok);
	assert_string_equal(r.missing[0].code, "framework");
}

static void test_waiver_route_never_complies(void **state)
{
	struct procure_contract c = plain(100000, "2026-03-01");
	struct procure_result r;

	(void)state;
	c.route = PROCURE_WAIVER;
	assert_int_equal(procure_check(&demo, &c, NULL, 0, &r), 0);
	assert_false(r.route_ok);
	assert_true(r.evidence_ok);
	assert_false(r.compliant);
	assert_string_equal(r.missing[0].code, "route");
	assert_non_null(strstr(r.missing[0].message, "waiver"));
}

/* ---- warnings ---- */

static void test_aggregation_across_schools(void **state)
{
	/* catering: £150,000 here (started 1 Mar 2026) + £60,000 at another school started
	 * 15 Sep 2025 = £210,000 >= £207,720. The one started 1 Mar 2025, twelve months
	 * before, and the one in another category do not count. */
	struct procure_contract c = plain(15000000, "2026-03-01");
	struct procure_peer peers[] = {
		{ .id = 1, .reference = "T-1", .category = "catering", .started_on = D("2026-03-01"),
		  .estimated_pence = 15000000 },        /* itself: skipped */
		{ .id = 2, .reference = "CAT-2", .category = "catering", .started_on = D("2025-09-15"),
		  .estimated_pence = 6000000 },
		{ .id = 3, .reference = "CAT-3", .category = "catering", .started_on = D("2025-03-01"),
		  .estimated_pence = 9000000 },
		{ .id = 4, .reference = "CLN-4", .category = "cleaning", .started_on = D("2026-02-01"),
		  .estimated_pence = 9000000 },
	};
	struct procure_result r;

	(void)state;
	c.category = "catering";
	c.route = PROCURE_FRAMEWORK;
	c.ev.has_framework = 1;
	assert_int_equal(procure_check(&demo, &c, peers, 4, &r), 0);
	assert_false(r.above_threshold);
	assert_true(r.compliant);                     /* a warning, not a failure */
	assert_true(r.aggregate_pence == 21000000);
	assert_true(has_item(r.warnings, r.nwarnings, "aggregation"));
	assert_non_null(strstr(r.warnings[0].message, "CAT-2"));
	assert_null(strstr(r.warnings[0].message, "CAT-3"));
	assert_non_null(strstr(r.warnings[0].message, "£210,000.00"));
	/* £57,719.99 elsewhere: £207,719.99, a penny short */
	peers[1].estimated_pence = 5771999;
	assert_int_equal(procure_check(&demo, &c, peers, 4, &r), 0);
	assert_true(r.aggregate_pence == 20771999);
	assert_false(has_item(r.warnings, r.nwarnings, "aggregation"));
}

static void test_related_party(void **state)
{
	/* £30,000 + £6,000 VAT a year with a related party: declare; with another current
	 * £5,000 a year it is £41,000, over £40,000: DfE approval. An expired one does not count. */
	struct procure_contract c = plain(3000000, "2026-03-01");
	struct procure_peer peers[] = {
		{ .id = 2, .reference = "X-2", .category = "legal", .supplier_id = 7, .started_on = D("2024-01-01"),
		  .annual_gross_pence = 500000, .current = 0 },
		{ .id = 3, .reference = "X-3", .category = "legal", .supplier_id = 8, .started_on = D("2024-01-01"),
		  .annual_gross_pence = 900000, .current = 1 },
	};
	struct procure_result r;

	(void)state;
	c.t.vat_pence = 600000;
	assert_int_equal(procure_check(&demo, &c, peers, 2, &r), 0);
	assert_false(has_item(r.warnings, r.nwarnings, "related_party"));
	c.related_party = 1;
	assert_int_equal(procure_check(&demo, &c, peers, 2, &r), 0);
	assert_true(has_item(r.warnings, r.nwarnings, "related_party"));
	assert_true(r.related_year_pence == 3600000);
	assert_null(strstr(r.warnings[0].message, "needs the DfE's approval"));
	peers[0].current = 1;
	assert_int_equal(procure_check(&demo, &c, peers, 2, &r), 0);
	assert_true(r.related_year_pence == 4100000);
	assert_non_null(strstr(r.warnings[0].message, "needs the DfE's approval"));
}

static void test_auto_renew_flagged(void **state)
{
	struct procure_contract c = plain(100000, "2026-03-01");
	struct procure_result r;

	(void)state;
	c.t.auto_renew = 1;
	c.t.end = PROCURE_NO_DATE;
	add_quote(&c, "Acme", 100000, 1, 0);
	assert_int_equal(procure_check(&demo, &c, NULL, 0, &r), 0);
	assert_true(r.value.pence == 400000);         /* 48 x £1,000 / 12 */
	assert_true(has_item(r.warnings, r.nwarnings, "auto_renew_48_months"));
}

/*
 * An auto-renewing contract's next renewal and notice date (issue 15). From 15 Dec
 * 2025, no end, 30 days' notice: on 22 Nov 2026 the next renewal is 15 Dec 2026 and
 * notice is due 15 Nov 2026 (passed); on 15 Dec 2026 itself the next one is 15 Dec 2027.
 * With an end of 31 Dec 2026: it renews on 1 Jan 2027 (notice by 2 Dec 2026); once that
 * has passed, on 1 Jan 2028. A contract that does not auto-renew has neither.
 */
static void test_next_renewal(void **state)
{
	struct procure_terms t = { .start = D("2025-12-15"), .end = PROCURE_NO_DATE, .auto_renew = 1,
				   .notice_period = 30, .notice_unit = PROCURE_DAYS };
	struct procure_dates d;
	int32_t r, n;

	(void)state;
	procure_dates(&t, &d);
	procure_next_renewal(&t, &d, D("2026-11-22"), &r, &n);
	assert_true(r == D("2026-12-15") && n == D("2026-11-15"));
	procure_next_renewal(&t, &d, D("2026-12-15"), &r, &n);
	assert_int_equal(r, D("2027-12-15"));
	t.end = D("2026-12-31");
	procure_dates(&t, &d);
	procure_next_renewal(&t, &d, D("2026-11-22"), &r, &n);
	assert_true(r == D("2027-01-01") && n == D("2026-12-02"));
	procure_next_renewal(&t, &d, D("2027-03-01"), &r, &n);
	assert_int_equal(r, D("2028-01-01"));
	t.auto_renew = 0;
	procure_next_renewal(&t, &d, D("2026-11-22"), &r, &n);
	assert_true(r == PROCURE_NO_DATE && n == PROCURE_NO_DATE);
}

/*
 * The one notice date (issue 15): with an end, the current end less the notice
 * period, whatever today is (31 Dec 2026 - 30 days = 1 Dec 2026, even when it is
 * auto-renewing: its renewals come after that end); with no end, the next renewal
 * less the notice period. A start of 29 Feb 2024 with 1 month's notice: its
 * anniversaries are 28 Feb (the month's end); on 28 Feb 2025 the 2025 one is today,
 * so the next is 28 Feb 2026 and notice is due 28 Jan 2026 (store_contracts.h's SQL
 * says the same: tests/api/test_contracts_notice.py).
 */
static void test_notice_date(void **state)
{
	struct procure_terms t = { .start = D("2025-12-15"), .end = D("2026-12-31"), .auto_renew = 1,
				   .notice_period = 30, .notice_unit = PROCURE_DAYS };
	struct procure_dates d;
	int32_t r;

	(void)state;
	procure_dates(&t, &d);
	assert_int_equal(procure_notice_date(&t, &d, D("2027-03-01"), &r), D("2026-12-01"));
	assert_int_equal(r, D("2028-01-01"));
	t.auto_renew = 0;
	assert_int_equal(procure_notice_date(&t, &d, D("2027-03-01"), NULL), D("2026-12-01"));
	t = (struct procure_terms){ .start = D("2024-02-29"), .end = PROCURE_NO_DATE, .auto_renew = 1,
				    .notice_period = 1, .notice_unit = PROCURE_MONTHS };
	procure_dates(&t, &d);
	assert_int_equal(procure_notice_date(&t, &d, D("2025-02-27"), &r), D("2025-01-28"));
	assert_int_equal(r, D("2025-02-28"));
	assert_int_equal(procure_notice_date(&t, &d, D("2025-02-28"), &r), D("2026-01-28"));
	assert_int_equal(r, D("2026-02-28"));
	/* before its start: the first anniversary */
	assert_int_equal(procure_notice_date(&t, &d, D("2023-06-01"), &r), D("2025-01-28"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_notice_date),
		cmocka_unit_test(test_term_months),
		cmocka_unit_test(test_extend),
		cmocka_unit_test(test_dates_three_plus_one_plus_one),
		cmocka_unit_test(test_dates_notice_in_months),
		cmocka_unit_test(test_dates_no_end),
		cmocka_unit_test(test_estimate_options_fixed_indexation),
		cmocka_unit_test(test_estimate_index_plus_margin),
		cmocka_unit_test(test_estimate_part_year),
		cmocka_unit_test(test_estimate_auto_renew_48_months),
		cmocka_unit_test(test_estimate_overflow),
		cmocka_unit_test(test_band_edges),
		cmocka_unit_test(test_route_meets_band_at_edges),
		cmocka_unit_test(test_thresholds_by_date),
		cmocka_unit_test(test_threshold_edges_before_and_after_2026),
		cmocka_unit_test(test_threshold_history_edges),
		cmocka_unit_test(test_threshold_note),
		cmocka_unit_test(test_estimate_net_of_vat),
		cmocka_unit_test(test_quote_checklist),
		cmocka_unit_test(test_waiver_route_never_complies),
		cmocka_unit_test(test_aggregation_across_schools),
		cmocka_unit_test(test_related_party),
		cmocka_unit_test(test_auto_renew_flagged),
		cmocka_unit_test(test_next_renewal),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
