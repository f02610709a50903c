/*
 * staff_lines.h - a budget's generated staff lines (issue 16; README "Staff from
 * posts"). An entity with staff_by_post set plans its staff by post: each account
 * code its posts are paid from carries one generated line, the posts' cost for
 * the budget's year (staff_cost.h: pay, employer NI and pension, month by month),
 * appended to the budget like the finance rules' computed lines (computed.h: a
 * draft derives them on every read, submit freezes them, the ETag covers them)
 * and before them. The central team, when it plans by post, also carries the
 * trust's apprenticeship levy and employment allowance as two generated lines on
 * E08. A code an entity's live posts are paid from is "covered": typed lines on it
 * are refused.
 *
 * A generated line's description: "Teaching staff: 28 posts, 27.40 FTE (from
 * posts)"; its explanation names the pay, NI and pension; in JSON it has
 * "source": "posts" and "staff": {pay_pence, ni_pence, pension_pence, posts, fte_h}
 * (staff_lines_line_json). Other lines have "source" "typed" or "rules" and
 * "staff" null.
 *
 * Pure over a loaded costing (no SQL, no request). Thread: as its caller's.
 */
#ifndef BURSAR_STAFF_LINES_H
#define BURSAR_STAFF_LINES_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "budget.h"
#include "problem.h"
#include "staff_cost.h"

#define STAFF_LINES_LEVY_CODE "E08"          /* the levy and the employment allowance */

/* Append urn's generated staff lines to b (nothing when urn does not plan by post or
 * the costing failed). 0, or -1 (out of memory). */
int staff_lines_append(const struct staff_costing *sc, const char *urn, struct budget *b)
	__attribute__((warn_unused_result));

/*
 * A generated staff line's months (l computed, urn's) from the costing sc: its posts' pay + NI +
 * pension month by month (September first), or the central team's levy or employment allowance
 * by month. 1 with out set when sc has them and they sum to l's amount exactly, else 0 (a frozen
 * line the posts no longer cost so, a costing that failed).
 */
int staff_lines_months(const struct staff_costing *sc, const char *urn, const struct budget_line *l,
		       int64_t out[STAFF_MONTHS]);

/* 1 when urn plans by post and one of its live posts is paid from code, else 0. */
int staff_lines_covers(const struct staff_costing *sc, const char *urn, const char *code);
/* 1 when urn plans by post and has live posts, else 0. */
int staff_lines_covers_any(const struct staff_costing *sc, const char *urn);

/*
 * Each typed line of b on a code urn's posts cover, refused: a field error at
 * /lines/N/account_code ("row N, code" for a line read from a spreadsheet: its row),
 * or at `at` when not NULL (one line alone: "/account_code"),
 * "E01 is planned by post at this school: change its posts". The number refused.
 */
size_t staff_lines_refuse(const struct staff_costing *sc, const char *urn, const struct budget *b, const char *at,
			  struct problem *p);

/* The line's "source" ("typed", "rules", "posts") and "staff" (a generated staff
 * line's breakdown: derived with it, or frozen with it at submit; else null), added
 * to its JSON o. 0, or -1 (out of memory). */
int staff_lines_line_json(const struct budget_line *l, cJSON *o);

/* urn's ICFP measures as JSON (staff_metrics fields; -1 as null), expenditure its
 * budget's total expenditure; JSON null when urn has no posts. NULL when out of memory. */
cJSON *staff_lines_metrics_json(const struct staff_costing *sc, const char *urn, int64_t expenditure);

/* The measures' object alone (m), for GET .../staffing. NULL when out of memory. */
cJSON *staff_lines_metrics_object(const struct staff_metrics *m);

/* What the budget's representation derives from urn's posts beyond its lines (the
 * measures' inputs: each post's role, FTE, cost and periods, the pupils and periods
 * per cycle), for the ETag's hash. NULL when out of memory. */
cJSON *staff_lines_derived_json(const struct staff_costing *sc, const char *urn);

#endif
