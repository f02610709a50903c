/*
 * central_statement.h - the comparisons of the central services statement (DESIGN.md
 * "Plugins"; issue 15, item 9): what the schools shown were charged or had
 * retained, against (a) the cost of the core services in the service catalogue
 * and (b) the central team's budgeted spending for the year, each difference
 * stated and explained in words a finance director would put in the accounts.
 *
 * The central team's budgeted spending is its budget's external expenditure: the
 * lines on expenditure accounts that are not internal (staff, premises, supplies,
 * services and the contingency; the internal charges, pooled GAG and allocations
 * left out). Its other income is its external income (the lines on income
 * accounts that are not internal). The budget is the year's one budget as it
 * stands: approved, or the latest draft or submitted version, which the status
 * says and the explanation names.
 *
 * Scoped (a business manager's own schools): the charges are her schools', the
 * costs stay the trust's, and the explanations say what share her schools meet.
 *
 * Pure: no I/O; thread-safe. Money in int64 pence.
 */
#ifndef BURSAR_CENTRAL_STATEMENT_H
#define BURSAR_CENTRAL_STATEMENT_H

#include <stddef.h>
#include <stdint.h>

#include "forecast.h"

#define CENTRAL_STATEMENT_EXPL_MAX 900

/* The central team's budget of the year, as the statement reads it. */
struct central_statement_budget {
	int present;                             /* 0: the central team has no budget for the year */
	const char *status;                      /* "approved", "submitted", "draft" */
	int64_t expenditure_pence;               /* external expenditure */
	int64_t other_income_pence;              /* external income */
};

/* One comparison: the charges against a cost. */
struct central_statement_cmp {
	int has_cost;                            /* 0: nothing to compare with (no central budget) */
	int64_t charges_pence;
	int64_t cost_pence;
	int64_t difference_pence;                /* charges - cost */
	char explanation[CENTRAL_STATEMENT_EXPL_MAX];
};

/*
 * The central team's budget from its entity (e: its budget lines, against the
 * chart acc[0..nacc)); e->budget_status NULL: no budget. Lines on codes not in
 * the chart are left out. 0, or -1 on overflow.
 */
int central_statement_budget_of(const struct forecast_entity_in *e, const struct forecast_account *acc, size_t nacc,
				struct central_statement_budget *out) __attribute__((warn_unused_result));

/*
 * Both comparisons for year ("2026-27"): charges (the schools shown), the core
 * services' cost, the central team's budget; scoped: a business manager's own
 * schools. 0, or -1 on overflow.
 */
int central_statement_compare(const char *year, int scoped, int64_t charges, int64_t core_cost,
			      const struct central_statement_budget *b, struct central_statement_cmp *core,
			      struct central_statement_cmp *budget) __attribute__((warn_unused_result));

#endif
