/*
 * budget_view.h - a budget's representation beyond what is stored with it: the
 * recharges of the traded services its entity takes (recharges.h), its computed
 * lines (computed.h: a draft's derived from the year's budgets now, a submitted or
 * approved budget's frozen, with a `computed_lines` warning when the finance rules
 * now work them out differently), and its ETag.
 *
 * The ETag is "<version>-h<hash>": the version covers the budget and its stored
 * lines (every write bumps it; If-Match compares it alone), the hash one object of
 * what the representation derives from elsewhere: the recharges as priced now (the
 * services, their contracts and subscriptions, every subscriber's census, FTE or
 * floor area, the configured rates) and the entity's computed lines as the finance
 * rules work them out now (every budget of the year under the entity's model, the
 * census, the plugins' settings), or why they could not be. If-None-Match answers
 * 304 only while none of it changed: another pooled school's GAG changes this
 * school's allocation, hence its ETag. The hash also covers the entity's posts as
 * costed now (its generated staff lines are among its computed lines; the inputs
 * of its staffing measures beside them): a post's change changes the ETag, and so
 * do the profiles and the accounts' default profiles (each line's months).
 *
 * Thread: as db.h (the request's connection).
 */
#ifndef BURSAR_BUDGET_VIEW_H
#define BURSAR_BUDGET_VIEW_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "budget.h"
#include "http.h"
#include "recharges.h"
#include "staff_cost.h"
#include "store_budgets.h"
#include "store_profiles.h"

struct budget_view {
	struct recharges rc;
	struct budget live;                      /* the entity's computed lines as worked out now */
	char failed[600];                        /* "" or why they could not be worked out */
	char hash[40];                           /* "\"h<32 hex>\"" of the derived parts */
	char urn[8];
	struct staff_costing staff;              /* every entity's posts costed now (staff_lines.h) */
	struct store_profile_book profiles;      /* the profiles and defaults, for the lines' months (budget_months.h) */
	/* set by budget_view_complete */
	char warning[800];                       /* "" or the computed_lines warning */
};

/* What ref's budget derives from elsewhere (chart: borrowed, outlives v), loaded and
 * hashed. 0, or -1 with the problem set; free with budget_view_free either way. */
int budget_view_load(struct req *r, const struct store_budget_ref *ref, const struct budget_chart *chart,
		     struct budget_view *v, struct problem *p) __attribute__((warn_unused_result));
void budget_view_free(struct budget_view *v);   /* NULL ok */

/* "\"<version>-h<hash>\"" into buf (>= 64 bytes); returns buf. */
const char *budget_view_etag(const struct budget_view *v, int64_t version, char *buf, size_t len);

/*
 * x (read with its lines) completed: a draft's derived computed lines appended to
 * x->b after its typed lines (id 0: null in JSON; its generated staff lines even
 * when the rules failed), and for any budget the computed_lines warning when its
 * frozen lines differ from v's or v's could not be worked out. 0, or -1 with the problem set (no memory).
 */
int budget_view_complete(struct budget_view *v, struct store_budget *x, struct problem *p)
	__attribute__((warn_unused_result));

/*
 * The representation of x (completed): store_budget_json's with the derived lines
 * after the stored ones (totals over all of them), "recharges" with what the lines
 * budget on each code, the warning as a finding "computed_lines", and every finding
 * with "row" and "line_id" (null when not about a line); each line with its
 * "source" and "staff" (staff_lines_line_json) and the budget with its
 * "staffing_metrics" (over the budget's total expenditure; null without posts); each line
 * also with its "profile_source" and "months_pence" (budget_months_line). NULL with the problem set.
 */
cJSON *budget_view_json(const struct budget_view *v, const struct store_budget *x, struct problem *p);

/* ref's budget read, completed and sent as status (200, 201) with its ETag: after a
 * write. 0, or -1 with the problem set (404 when it has gone). */
int budget_view_reply(struct req *r, const struct store_budget_ref *ref, const struct budget_chart *chart,
		      int status, struct problem *p) __attribute__((warn_unused_result));

#endif
