/*
 * staff_cost.h - what an entity's posts (or every entity's) cost in an academic
 * year (issue 16; DESIGN.md "Staffing"): the one costing every user calls, so the
 * budget's generated staff lines (staff_lines.c), GET .../staffing
 * (api_staffing.c), a post's `cost` (GET .../posts?year=) and a forecast's posts
 * agree to the penny.
 *
 * staff_cost_load reads, through the store, the pay scales, the on-cost rates by
 * tax year, the LGPS rates, the live posts (not deleted) of one entity or of every
 * entity, and each entity's staff_by_post, periods_per_cycle and pupils for the
 * year; builds the core structs (core/staffing.h) and costs every post for the
 * year with staff_cost_trust (and each post alone with staff_cost_year, for its
 * months and the measures). Awards and rate changes: none (a budget's costing:
 * the scales and rates as stored).
 *
 * The levy and the employment allowance are the central team's, worked out over
 * the posts loaded: load every entity's (urn NULL, or BURSAR_CENTRAL) when they
 * matter.
 *
 * A costing that cannot be done (a post's scale has no value for its point and a
 * year, no staff rates at all) is not a request error: the entity whose post it
 * is gets failed set with the message in its err, and the others are costed
 * without it (the levy and allowance over their posts); sc->failed with sc->err
 * when nothing can be costed. staff_cost_failure says which applies to an entity
 * (the budget shows it as a finding and refuses submit; GET .../staffing answers
 * 422 with it).
 *
 * Request-free: the caller's database connection (in its transaction or not).
 * Thread: as db.h.
 */
#ifndef BURSAR_STAFF_COST_H
#define BURSAR_STAFF_COST_H

#include <stddef.h>
#include <stdint.h>

#include "db.h"
#include "problem.h"
#include "staffing.h"

/* An entity as the costing sees it (every entity of the trust, in urn order). */
struct staff_cost_entity {
	char urn[8];
	int staff_by_post;
	int32_t pupils;                          /* the year's October census (else the latest before);
						  * FORECAST_NO_DATA when none */
	int32_t periods_per_cycle;               /* -1: not given */
	size_t first, n;                         /* its posts: sc->posts[first .. first + n) */
	int failed;                              /* its posts cannot be costed: err says why */
	int unreadable;                          /* a post's point is not on its scale (failed in every run) */
	char err[300];
};

struct staff_costing {
	int year;
	struct staff_cost_entity *ents;
	size_t nents;
	struct staff_post *posts;                /* by urn, then reference */
	int64_t *post_ids;                       /* [nposts]: posts.id */
	struct staff_cost *costs;                /* [nposts]: each post's year */
	size_t nposts;
	struct staff_trust_year ty;              /* lines by urn and code, the levy and allowance */
	int failed;                              /* the costing could not be done: err says why */
	char err[400];
	void *keep;                              /* what the structs point into (owned) */
};

/*
 * Cost the live posts of urn (every entity's when urn is NULL or BURSAR_CENTRAL:
 * the central team's levy needs the trust's pay) for academic year `year`. 0 (the
 * costing may still have failed: sc->failed, sc->err), or -1 with the problem set
 * (the database, no memory). Free with staff_cost_free either way.
 */
int staff_cost_load(struct db *db, const char *urn, int year, struct staff_costing *sc, struct problem *p)
	__attribute__((warn_unused_result));
void staff_cost_free(struct staff_costing *sc);   /* NULL ok */

/*
 * The two halves of staff_cost_load, for a caller that costs the posts its own way
 * (a forecast: each year with a scenario's awards and rate changes, its actions on
 * copies of the posts): staff_cost_read loads (sc->posts, sc->ents, the env as
 * stored: staff_cost_env; no costing, sc->ty empty); staff_cost_run costs sc's
 * posts for `year` with env (NULL: as stored), replacing sc->costs and sc->ty. 0,
 * or -1 with sc->failed and sc->err set (the read's problem as for staff_cost_load).
 */
int staff_cost_read(struct db *db, const char *urn, int year, struct staff_costing *sc, struct problem *p)
	__attribute__((warn_unused_result));
const struct staff_env *staff_cost_env(const struct staff_costing *sc);
int staff_cost_run(struct staff_costing *sc, const struct staff_env *env, int year);

/* Why urn's posts are not costed in sc (its own failure or the whole costing's), or NULL. */
const char *staff_cost_failure(const struct staff_costing *sc, const char *urn);

/* The pay scale of this name that sc read (every scale, not only its posts'), or NULL
 * (a forecast's new posts: cast, issue 16). */
const struct staff_scale *staff_cost_scale(const struct staff_costing *sc, const char *name);

/* urn's entity in sc, or NULL. */
const struct staff_cost_entity *staff_cost_entity(const struct staff_costing *sc, const char *urn);

/* The index in sc->posts of the post with this id, or -1. */
long staff_cost_post_index(const struct staff_costing *sc, int64_t id);

/*
 * urn's ICFP measures for the year (staff_metrics_compute over its posts, with
 * expenditure the entity's total expenditure for the year). 1 when urn has posts
 * (m set), 0 when it has none.
 */
int staff_cost_metrics(const struct staff_costing *sc, const char *urn, int64_t expenditure,
		       struct staff_metrics *m);

#endif
