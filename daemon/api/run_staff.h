/*
 * run_staff.h - a forecast run's staff from posts (issue 16, ISSUE16_CONTRACT
 * section 5; README "Staff from posts"): every entity's live posts (read once,
 * by computed_year_load: the base year's costing, borrowed), the scenario's
 * staffing actions applied to a copy of them (scenario_apply_posts: never the
 * live posts), and each year Y0..Y0+H costed with the scenario's awards
 * (teacher_pay_bp each September; base_support_pay_bp in April of the base
 * year, then support_pay_bp each April) and staff_rate_changes. What comes out:
 * - for every entity planning by post (its staff_by_post, or the scenario's
 *   overrides.staff_by_post) the engine's struct forecast_staff by code;
 * - when the central team plans by post, its item on E08: the trust's
 *   apprenticeship levy + employment allowance of each year from every entity's
 *   posts (as the budget's generated E08 lines are);
 * - every entity's ICFP measures per year, whether or not it plans by post;
 * - the text of what they were costed from, for the digest.
 * An entity whose posts cannot be costed (a point not on its scale, a scale with
 * no value) is left out of the costing (its measures null, the levy over the
 * others', as a budget's costing does); when it plans by post the run is a 422.
 *
 * Not a handler: api_forecasts.c calls it. Thread: the request's worker.
 */
#ifndef BURSAR_API_RUN_STAFF_H
#define BURSAR_API_RUN_STAFF_H

#include <stddef.h>

#include "forecast.h"
#include "scenario.h"
#include "scenario_apply.h"
#include "staff_cost.h"
#include "staffing.h"

/* An entity with posts in the run (the run's posts[first .. first + n)). */
struct run_staff_entity {
	const char *urn;
	size_t first, n;
	int planning;                            /* its staff lines come from its posts in this run */
	int failed;                              /* its posts cannot be costed: left out (no measures) */
	const struct staff_cost_entity *live;    /* its row in the costing read (periods per cycle) */
};

struct run_staff {
	const struct staff_costing *sc;          /* the live posts and what costs them (borrowed) */
	struct scenario_posts sp;                /* the run's copy, actions applied */
	struct staff_post *posts;                /* the posts costed: every entity's, by urn */
	size_t nposts;
	struct run_staff_entity *ents;           /* the entities with posts, by urn */
	size_t nents;
	struct staff_awards aw;
	struct staff_rate_change *changes;
	struct staff_env env;
	struct forecast_staff *items;            /* for forecast_input.staff */
	size_t n;
	char (*keys)[2][8];                      /* the items' urn and code */
	char *basis;                             /* for forecast_input.staff_basis; NULL: none */
	int horizon;
	int central_planning;                    /* the central team plans by post: the levy's item */
	struct run_staff_year *yc;               /* [k * nposts + i]: posts[i] in year Y0+k (the measures) */
};

/* What the measures take of a post's costing in a year. */
struct run_staff_year {
	int64_t total;
	int32_t fte_h;
	int32_t active_months;
};

/*
 * The run's staff for s over a (base year, horizon, awards), from sc (every
 * entity's live posts: computed_year_load's costing of the base year, kept alive
 * while out is used). 0 (out->n 0 when no entity plans by post), or -1 with the
 * problem set: a staffing action that names a post the entity does not have (422
 * at /actions/N/post), the posts of an entity planning by post that cannot be
 * costed (422 saying why), no memory. Free with run_staff_free either way.
 */
int run_staff_load(const struct staff_costing *sc, const struct scenario *s, const struct forecast_assumptions *a,
		   struct run_staff *out, struct problem *p) __attribute__((warn_unused_result));
void run_staff_free(struct run_staff *st);

/*
 * urn's ICFP measures (staff_metrics_compute, as a budget's staffing_metrics) for
 * year Y0+k from the run's costed posts (the scenario's actions applied), with
 * pupils (the run's census: < 0 unknown) and expenditure (the entity's forecast
 * total for the year). 1 with m set when the run costed posts of urn (whether or
 * not it plans by post), 0 when it has none or they cannot be costed, -1 when out
 * of memory.
 */
int run_staff_metrics(const struct run_staff *st, const char *urn, int k, int32_t pupils, int64_t expenditure,
		      struct staff_metrics *m);

/*
 * Every entity's measures of res (run with st's staff) as JSON texts for
 * store_forecast_run.staffing: *out [i * (horizon + 1) + k] for res->entities[i]
 * and year Y0+k, NULL where it has no posts costed; *out NULL when none has.
 * 0, or -1 when out of memory. Free with run_staff_measures_free(*out, n)
 * (n = res->nentities * (horizon + 1)).
 */
int run_staff_measures(const struct run_staff *st, const struct forecast_result *res, char ***out)
	__attribute__((warn_unused_result));
void run_staff_measures_free(char **texts, size_t n);

#endif
