/*
 * computed.h - a budget's computed lines (issue 14; README "Computed lines"):
 * every internal code (INT01..INT06) is posted by the entity's finance-rules
 * plugin, never typed, from the year's budgets of every entity under its model.
 * One computation (rules_base.c over store_forecasts_inputs, as the central
 * services statement and a forecast's base year see the budgets) serves the
 * budget read path (budget_view.c: a draft derives its computed lines every
 * time it is read, so they are never stale), submit and approve (which freeze
 * them into the budget's rows), the trust's totals, the statement and a
 * forecast's base year, so all agree to the penny.
 *
 * A computed line: the account of one side of a posting (the payer's
 * expenditure code, the payee's income code), the posting's amount and
 * explanation, `computed` set, and a description naming the account, the other
 * side (for the central team's lines) and the plugin: "Central services charge
 * (local)", "Pooled GAG received from 159901 Kingfisher Wharf (central)".
 * Computed lines come after the typed lines, in the order posted.
 *
 * The generated staff lines of an entity planning by post (staff_lines.h) are
 * computed lines too (on its staff codes, not internal ones): computed_year_load
 * costs the posts for the year (cy->staff; a costing that failed is
 * cy->staff.failed, not cy->failed) and computed_append puts them before the
 * rules' lines.
 *
 * Request-free: the caller's database connection (in its transaction or not)
 * and plugin registry. Thread: as db.h.
 */
#ifndef BURSAR_COMPUTED_H
#define BURSAR_COMPUTED_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "budget.h"
#include "db.h"
#include "forecast.h"
#include "plugin.h"
#include "rules_base.h"
#include "staff_cost.h"
#include "store_budgets.h"
#include "store_forecasts.h"

struct computed_year {
	int year;
	const struct plugins *ps;
	struct store_forecast_inputs base;       /* every entity's budget of the year */
	struct forecast_assumptions a;
	struct forecast_input in;                /* over base: the entities with a budget selected */
	struct rules_base rb;                    /* what the plugins posted */
	int failed;                              /* the rules could not run: err says why */
	char err[600];
	struct staff_costing staff;              /* every entity's posts costed (staff_lines.h) */
};

/*
 * The year's budgets loaded and the finance rules run over them, and the posts
 * costed (cy->staff): urn's alone when urn is a school's (its generated lines, measures and
 * failures do not depend on the others' posts: a school's budget read costs its
 * own posts, not the trust's), every entity's when urn is NULL or the central
 * team (its levy and employment allowance are over every entity's pay). 0 (the
 * rules may still have failed: cy->failed, cy->err), or -1 with the problem set
 * (the database, no memory). Free with computed_year_free either way.
 */
int computed_year_load_for(struct db *db, const struct plugins *ps, int year, const char *urn,
			   struct computed_year *cy, struct problem *p) __attribute__((warn_unused_result));
/* computed_year_load_for every entity (urn NULL). */
int computed_year_load(struct db *db, const struct plugins *ps, int year, struct computed_year *cy, struct problem *p)
	__attribute__((warn_unused_result));
void computed_year_free(struct computed_year *cy);

/* Append urn's computed lines to b (against b's chart): its generated staff lines,
 * then the rules' (none when they failed). 0, or -1 (out of memory). */
int computed_append(const struct computed_year *cy, const char *urn, struct budget *b)
	__attribute__((warn_unused_result));

/* The number of b's lines before the first computed one (they come last). */
size_t computed_typed(const struct budget *b);

/*
 * 1 when the computed lines of a and b differ (account, amount or description,
 * in order), else 0.
 */
int computed_differ(const struct budget *a, const struct budget *b);

/* A line of b as the representation has it (computed lines' id is null when
 * they are derived, not stored). NULL when out of memory. */
cJSON *computed_line_json(const struct budget_line *l);

/*
 * A forecast's base year as the budgets read (DESIGN.md "Forecasting"): each
 * draft budget's derived computed lines appended to its entity's lines in e[0..n)
 * (a submitted or approved budget's stored lines already hold its frozen ones),
 * so the base year's totals carry the internal charges and allocations; the
 * generated staff lines (and the central team's levy and allowance) marked in
 * e[i].from_posts, as the store marks a frozen budget's (forecast.h). The new
 * line arrays and what they point into are kept in keep (free with
 * computed_forecast_free, after the run). 0, or -1 (out of memory).
 */
struct computed_forecast {
	struct budget *b;                        /* per entity: the derived lines */
	struct forecast_line_in **li;            /* per entity: the lines given to e[i] (or NULL) */
	unsigned char **fp;                      /* per entity: their from_posts (or NULL) */
	size_t n;
};
int computed_forecast_base(const struct computed_year *cy, struct forecast_entity_in *e, size_t n,
			   struct computed_forecast *keep) __attribute__((warn_unused_result));
void computed_forecast_free(struct computed_forecast *keep);

#endif
