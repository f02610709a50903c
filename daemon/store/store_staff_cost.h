/*
 * store_staff_cost.h - what a costing of posts reads (api/staff_cost.c; issue 16,
 * DESIGN.md "Staffing"), loaded into core's structs (core/staffing.h): the pay
 * scales with their points, the on-cost rates by tax year, the LGPS rates, the live
 * posts (not deleted) of one entity or of every entity, and each entity's
 * staff_by_post, periods_per_cycle and pupils for a year.
 *
 * A scale's points (struct staff_scale) are the union of its points over the years
 * it has data for, ordered by their greatest ord in any year, then their least,
 * then by name (a point deleted from a later year keeps its place); a point with no
 * value in a year is -1 there.
 *
 * Thread: the calling thread's connection (struct db).
 */
#ifndef BURSAR_STORE_STAFF_COST_H
#define BURSAR_STORE_STAFF_COST_H

#include <stddef.h>
#include <stdint.h>

#include "db.h"
#include "problem.h"
#include "staffing.h"

struct store_staff_set {
	struct staff_scale *scales;              /* by id */
	int64_t *scale_ids;
	size_t nscales;
	struct staff_rates *rates;               /* by tax year */
	size_t nrates;
	struct staff_lgps *lgps;                 /* by urn, tax year */
	size_t nlgps;
	struct staff_post *posts;                /* by urn, then reference */
	int64_t *post_ids;
	size_t nposts;
	unsigned char *bad;                      /* [nposts]: 1 when its point or top point is not on its scale */
	char err[200];                           /* "" or the first such post, said */
	void *own;                               /* what they point into */
};

/*
 * Everything above, with urn's live posts (every entity's when urn is NULL). 0, or
 * -1 with the problem set; free with store_staff_set_free either way.
 */
int store_staff_cost_load(struct db *db, const char *urn, struct store_staff_set *s, struct problem *p)
	__attribute__((warn_unused_result));
void store_staff_set_free(struct store_staff_set *s);   /* NULL ok */

/*
 * Every entity by URN (byte order): columns urn, staff_by_post (0/1),
 * periods_per_cycle (NULL: not given), pupils (the October census of year, else
 * the latest before it; NULL when none). *rows is the caller's to db_rows_free.
 * 0, or -1 with the problem set.
 */
int store_staff_cost_entities(struct db *db, int year, struct db_rows **rows, struct problem *p)
	__attribute__((warn_unused_result));

#endif
