/*
 * budget_plugin.h - the bridge from a budget to its school's finance-rule
 * plugin: turns a struct budget into the ABI's struct bursar_budget, runs the
 * plugin's validate_budget and hands its findings to the budget's list.
 */
#ifndef BURSAR_BUDGET_PLUGIN_H
#define BURSAR_BUDGET_PLUGIN_H

#include "budget.h"
#include "forecast.h"

struct plugins;

/*
 * A budget_rules_fn: arg is the registry (const struct plugins *). An entity
 * whose model is "" or not loaded is not checked here (PUT /schools refuses an
 * unknown model). Plugin errors and warnings become findings with the same
 * field; informational findings are left out. 0, or -1 when the plugin failed.
 */
int budget_plugin_validate(void *arg, const struct budget_context *ctx, const struct budget *b,
			   const struct budget_totals *t, struct budget_findings *f);

/*
 * The same with the other schools' figures as the plugin's context (b->context):
 * arg is a struct budget_plugin_year, whose in is the year's budgets as
 * rules_base_run sees them (its selected schools, the school's model among them).
 */
struct budget_plugin_year {
	const struct plugins *ps;
	const struct forecast_input *in;
};
int budget_plugin_validate_year(void *arg, const struct budget_context *ctx, const struct budget *b,
				const struct budget_totals *t, struct budget_findings *f);

#endif
