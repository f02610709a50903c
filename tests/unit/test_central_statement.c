/* test_central_statement.c - the central services statement's comparisons
 * (daemon/core/central_statement.c), with the demo trust's 2026-27 figures worked by
 * hand: the schools' charges and retentions £1,598,710.90 (charged £403,358.50,
 * retained £1,195,352.40); the core services in the catalogue £88,312.00; the central
 * team's draft budget: £1,631,712.50 of external spending (£1,601,712.50 of lines plus
 * the £30,000 contingency) and £45,000 of other income (training sold outside the
 * trust), so 1,598,710.90 - 1,631,712.50 = -33,001.60 and -33,001.60 + 45,000 =
 * 11,998.40, the central budget's in-year balance. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "central_statement.h"

static const struct forecast_account chart[] = {
	{ .code = "I08", .group = "self_generated", .is_income = 1 },
	{ .code = "E05", .group = "support_staff" },
	{ .code = "E18", .group = "premises" },
	{ .code = "CON01", .group = "contingency" },
	{ .code = "INT02", .group = "internal", .is_income = 1, .is_internal = 1 },
	{ .code = "INT04", .group = "internal", .is_income = 1, .is_internal = 1 },
	{ .code = "INT06", .group = "internal", .is_internal = 1 },
};

static void test_budget_of_leaves_internal_lines_out(void **state)
{
	static const struct forecast_line_in lines[] = {
		{ .code = "I08", .amount_pence = 4500000 },
		{ .code = "E05", .amount_pence = 83071250 },
		{ .code = "E18", .amount_pence = 4800000 },
		{ .code = "E18", .amount_pence = -300000 },       /* a rebate nets */
		{ .code = "CON01", .amount_pence = 3000000 },
		{ .code = "INT04", .amount_pence = 454880000 },   /* pooled GAG: internal */
		{ .code = "INT06", .amount_pence = 422186718 },   /* allocation: internal */
		{ .code = "INT02", .amount_pence = 5907000 },     /* a top-slice received */
		{ .code = "X99", .amount_pence = 1 },             /* not in the chart */
	};
	struct forecast_entity_in e = { .urn = "central", .is_central = 1, .budget_status = "approved",
					.lines = lines, .nlines = sizeof(lines) / sizeof(lines[0]) };
	struct central_statement_budget b;

	(void)state;
	assert_int_equal(central_statement_budget_of(&e, chart, sizeof(chart) / sizeof(chart[0]), &b), 0);
	assert_true(b.present);
	assert_string_equal(b.status, "approved");
	assert_true(b.expenditure_pence == 83071250 + 4800000 - 300000 + 3000000);
	assert_true(b.other_income_pence == 4500000);
	e.budget_status = NULL;                            /* no budget */
	assert_int_equal(central_statement_budget_of(&e, chart, sizeof(chart) / sizeof(chart[0]), &b), 0);
	assert_false(b.present);
	assert_true(b.expenditure_pence == 0);
	assert_int_equal(central_statement_budget_of(NULL, chart, 0, &b), 0);
	assert_false(b.present);
}

static void test_demo_trust(void **state)
{
	struct central_statement_budget b = { 1, "draft", 163171250, 4500000 };
	struct central_statement_cmp core, bud;

	(void)state;
	assert_int_equal(central_statement_compare("2026-27", 0, 159871090, 8831200, &b, &core, &bud), 0);
	assert_true(core.has_cost && core.charges_pence == 159871090 && core.cost_pence == 8831200);
	assert_true(core.difference_pence == 151039890);
	assert_string_equal(core.explanation,
			    "The schools' charges and retentions of £1,598,710.90 are £1,510,398.90 more than the "
			    "£88,312.00 that the core services in the service catalogue cost in 2026-27. The catalogue "
			    "holds only the services the trust buys in for its schools; the rest pays for the central "
			    "team's own staff and running costs, which the comparison with the central team's budgeted "
			    "spending covers.");
	assert_true(bud.has_cost && bud.charges_pence == 159871090 && bud.cost_pence == 163171250);
	assert_true(bud.difference_pence == -3300160);
	assert_string_equal(bud.explanation,
			    "The central team's draft budget (the latest version, not yet approved) for 2026-27 plans "
			    "£1,631,712.50 of spending (staff, premises, supplies, services and the contingency; internal "
			    "charges, pooled GAG and allocations left out). The schools' charges and retentions of "
			    "£1,598,710.90 fall £33,001.60 short of it; the central team's other income of £45,000.00 "
			    "covers the shortfall and leaves a budgeted surplus of £11,998.40.");
}

static void test_shortfall_beyond_other_income_and_surplus(void **state)
{
	struct central_statement_budget b = { 1, "approved", 100000000, 1000000 };
	struct central_statement_cmp core, bud;

	(void)state;
	/* £950,000 against £1,000,000: £50,000 short, £10,000 other income: a £40,000 deficit */
	assert_int_equal(central_statement_compare("2027-28", 0, 95000000, 0, &b, &core, &bud), 0);
	assert_true(bud.difference_pence == -5000000);
	assert_non_null(strstr(bud.explanation, "The central team's approved budget for 2027-28 plans £1,000,000.00"));
	assert_non_null(strstr(bud.explanation, "fall £50,000.00 short of it; the central team's other income of "
				"£10,000.00 covers part of that, leaving a budgeted deficit of £40,000.00 to be met "
				"from the trust's reserves."));
	/* no core services: the whole charge pays for the central team */
	assert_true(core.difference_pence == 95000000);
	assert_string_equal(core.explanation, "No core service in the service catalogue is active in 2027-28: the "
			    "schools' charges and retentions of £950,000.00 pay for the central team's own staff and "
			    "running costs.");
	/* no other income at all */
	b.other_income_pence = 0;
	assert_int_equal(central_statement_compare("2027-28", 0, 95000000, 0, &b, &core, &bud), 0);
	assert_non_null(strstr(bud.explanation, "fall £50,000.00 short of it, and the central team has no other "
				"income to cover it: a budgeted deficit of £50,000.00 to be met from the trust's reserves."));
	/* £1,020,000 against £1,000,000 with £10,000 other income: a £30,000 surplus */
	b.other_income_pence = 1000000;
	assert_int_equal(central_statement_compare("2027-28", 0, 102000000, 8000000, &b, &core, &bud), 0);
	assert_true(bud.difference_pence == 2000000);
	assert_non_null(strstr(bud.explanation, "exceed it by £20,000.00; with its other income of £10,000.00 the "
				"central team budgets a surplus of £30,000.00, which adds to the trust's reserves."));
	b.other_income_pence = 0;
	assert_int_equal(central_statement_compare("2027-28", 0, 102000000, 8000000, &b, &core, &bud), 0);
	assert_non_null(strstr(bud.explanation, "exceed it by £20,000.00, the central team's budgeted surplus, "
				"which adds to the trust's reserves."));
	/* equal */
	assert_int_equal(central_statement_compare("2027-28", 0, 100000000, 100000000, &b, &core, &bud), 0);
	assert_true(bud.difference_pence == 0 && core.difference_pence == 0);
	assert_non_null(strstr(bud.explanation, "meet it exactly"));
	assert_string_equal(core.explanation, "The schools' charges and retentions of £1,000,000.00 equal the cost "
			    "of the core services in the service catalogue in 2027-28.");
	/* core services costing more than the charges */
	assert_int_equal(central_statement_compare("2027-28", 0, 5000000, 8000000, &b, &core, &bud), 0);
	assert_true(core.difference_pence == -3000000);
	assert_non_null(strstr(core.explanation, "are £30,000.00 less than the £80,000.00 that the core services"));
}

static void test_no_central_budget(void **state)
{
	struct central_statement_budget b = { 0 };
	struct central_statement_cmp core, bud;

	(void)state;
	assert_int_equal(central_statement_compare("2026-27", 0, 159871090, 8831200, &b, &core, &bud), 0);
	assert_false(bud.has_cost);
	assert_true(bud.cost_pence == 0 && bud.difference_pence == 0);
	assert_string_equal(bud.explanation, "The central team has no budget for 2026-27: the schools' charges and "
			    "retentions (£1,598,710.90) cannot be set against its spending.");
}

/* A business manager's schools: her charges, the trust's costs, the share she meets. */
static void test_scoped(void **state)
{
	struct central_statement_budget b = { 1, "submitted", 163171250, 4500000 };
	struct central_statement_cmp core, bud;

	(void)state;
	/* Cormorant Dock and Wagtail Fields retain £324,873.71 + £303,903.50 (made-up split): 628,777.21 /
	 * 1,631,712.50 = 0.3853480... -> 38.53% */
	assert_int_equal(central_statement_compare("2026-27", 1, 62877721, 8831200, &b, &core, &bud), 0);
	assert_true(bud.difference_pence == 62877721 - 163171250);
	assert_string_equal(bud.explanation,
			    "The central team's submitted budget (the latest version, not yet approved) for 2026-27 "
			    "plans £1,631,712.50 of spending (staff, premises, supplies, services and the contingency; "
			    "internal charges, pooled GAG and allocations left out). Your schools' charges and retentions "
			    "of £628,777.21 meet 38.53% of it; the other schools' charges and retentions and the central "
			    "team's other income meet the rest.");
	assert_string_equal(core.explanation,
			    "Your schools' charges and retentions of £628,777.21 are £540,465.21 more than the £88,312.00 "
			    "that the trust's core services in the service catalogue cost in 2026-27; every school's "
			    "charge or retention together pays for them and for the central team's own staff and running "
			    "costs.");
	b.present = 0;
	assert_int_equal(central_statement_compare("2026-27", 1, 62877721, 8831200, &b, &core, &bud), 0);
	assert_non_null(strstr(bud.explanation, "your schools' charges and retentions (£628,777.21)"));
}

static void test_overflow(void **state)
{
	struct central_statement_budget b = { 1, "approved", INT64_MIN + 1, 0 };
	struct central_statement_cmp core, bud;

	(void)state;
	assert_int_equal(central_statement_compare("2026-27", 0, INT64_MAX, -1, &b, &core, &bud), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_budget_of_leaves_internal_lines_out),
		cmocka_unit_test(test_demo_trust),
		cmocka_unit_test(test_shortfall_beyond_other_income_and_surplus),
		cmocka_unit_test(test_no_central_budget),
		cmocka_unit_test(test_scoped),
		cmocka_unit_test(test_overflow),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
