/*
 * budget_months.h - a year's budgets month by month (issue 17; README "Profiles"): every
 * entity's budget of a year, completed as the budget GET shows it (its typed lines, then the
 * computed ones: a draft's derived now, a submitted or approved budget's frozen), each line
 * split into its twelve months (September first) exactly. Not a handler: monitoring, the BFR
 * and the budget's own representation (budget_view.c) call it, so they agree to the penny.
 *
 * A line's months, the one rule (budget_months_line):
 * - a computed line with frozen months (budget_lines.months_pence, stored at submit) summing to
 *   its amount: those ("posts");
 * - a generated staff line (staff_lines.h): its posts' monthly costing, pay + NI + pension per
 *   month summed over its posts; the central team's levy and employment allowance lines their
 *   own monthly figures ("posts"), when they sum to the line's amount;
 * - else its own weights ("own"), else its named profile ("line"), else its account's default
 *   profile, `even` when the account has none or names one that is not there ("account"),
 *   split by profile_split (core/profile.h).
 *
 * Request-free: the caller's database connection and plugin registry. Thread: as db.h.
 */
#ifndef BURSAR_BUDGET_MONTHS_H
#define BURSAR_BUDGET_MONTHS_H

#include <stddef.h>
#include <stdint.h>

#include "budget.h"
#include "db.h"
#include "plugin.h"
#include "problem.h"
#include "profile.h"
#include "staff_cost.h"
#include "store_profiles.h"

/* Where a line's months came from (the line's JSON "profile_source"). */
enum budget_months_source { BUDGET_MONTHS_LINE, BUDGET_MONTHS_OWN, BUDGET_MONTHS_ACCOUNT, BUDGET_MONTHS_POSTS };

/* "line", "own", "account", "posts". */
const char *budget_months_source_name(enum budget_months_source s);

/*
 * l's months into out by the rule above: book the profiles and defaults (store_profiles_book), sc the
 * costing of urn's posts (NULL: none; a generated line then falls back to its profile), name
 * (may be NULL) the profile used (a name, "own" or "posts"), src (may be NULL) where they came
 * from. 0, or -1 when the amount cannot be split (INT64_MIN; out untouched).
 */
int budget_months_line(const struct store_profile_book *book, const struct staff_costing *sc, const char *urn,
		       const struct budget_line *l, int64_t out[PROFILE_MONTHS], char name[PROFILE_NAME_MAX + 1],
		       enum budget_months_source *src) __attribute__((warn_unused_result));

struct entity_months {
	char urn[8];                  /* "159901" or "central" */
	char name[201];
	int has_budget;               /* 0: no budget for the year (no lines) */
	char status[12];              /* draft, submitted, approved; "" without */
	int64_t version;
	struct budget b;              /* completed as the budget GET shows it: typed lines, then the
	                                 computed ones (generated staff lines, the rules' lines) */
	int64_t (*months)[PROFILE_MONTHS];   /* months[i]: b.lines[i] split, exact */
	char (*profile)[PROFILE_NAME_MAX + 1];  /* per line: the profile used (a name, "own", "posts") */
};
struct year_months {
	int year;
	struct budget_chart chart;    /* owned; each e[i].b points into it (do not copy ym) */
	size_t n;                     /* every entity (schools by URN, then central), budget or not */
	struct entity_months *e;
};
/* Every entity's budget of year with each line's months: one computed_year_load for all. 0, or
 * -1 with the problem set; free with budget_months_free either way. */
int budget_months_load(struct db *db, const struct plugins *ps, int year, struct year_months *ym,
		       struct problem *p) __attribute__((warn_unused_result));
void budget_months_free(struct year_months *ym);   /* NULL ok */
/* urn's entry ("central" for the central team), or NULL. */
const struct entity_months *budget_months_entity(const struct year_months *ym, const char *urn);

#endif
