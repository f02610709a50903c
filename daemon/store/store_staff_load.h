/*
 * store_staff_load.h - what a costing reads, loaded into core's structs
 * (core/staffing.h; issue 16): every pay scale as a struct staff_scale, the
 * on-cost rates as struct staff_rates[], the LGPS rates as struct staff_lgps[],
 * and an entity's (or every entity's) live posts as struct staff_post[]. Each set
 * owns its memory in a few blocks (free it with its _free, also after a failure);
 * a post's scale points into the scales it was loaded with, which must outlive it.
 * api/staff_cost.c (budgets, /staffing, the posts' cost) and the forecast call these.
 *
 * Thread: as db.h. Read-only (no transaction needed; inside one, they read it).
 */
#ifndef BURSAR_STORE_STAFF_LOAD_H
#define BURSAR_STORE_STAFF_LOAD_H

#include <stddef.h>
#include <stdint.h>

#include "db.h"
#include "staffing.h"

struct store_staff_scales {
	struct staff_scale *scales;              /* [n], by name (byte order) */
	size_t n;
	/* owned blocks the scales point into */
	char *strings;
	const char **points;
	int64_t *values;
};

/*
 * Every pay scale: its points in ord order (a point's lowest ord over the years
 * that have it), its years from the first to the last with data, and each
 * (year, point) value, -1 where that year lacks the point. A scale without points
 * has npoints 0 and nyears 0. 0, or -1 with the problem set (*out empty).
 */
int store_payscales_load(struct db *db, struct store_staff_scales *out, struct problem *p)
	__attribute__((warn_unused_result));
void store_payscales_free(struct store_staff_scales *s);                    /* NULL ok; leaves it empty */
/* The scale named name, or NULL. */
const struct staff_scale *store_payscales_find(const struct store_staff_scales *s, const char *name);

/* Every tax year's on-cost rates, sorted by tax_year: *out (free()) and *n. 0, or -1. */
int store_staff_rates_load(struct db *db, struct staff_rates **out, size_t *n, struct problem *p)
	__attribute__((warn_unused_result));

/* Every entity's LGPS rates, sorted by URN (byte order), then tax_year: *out (free()) and *n. 0, or -1. */
int store_lgps_load(struct db *db, struct staff_lgps **out, size_t *n, struct problem *p)
	__attribute__((warn_unused_result));

struct store_staff_posts {
	struct staff_post *posts;                /* [n], by URN (byte order), then reference */
	int64_t *ids;                            /* [n]: each post's id */
	size_t n;
	char *strings;                           /* owned: the posts' urn, reference and code */
};

/*
 * The live posts of the entity with this URN (NULL: of every entity), with their
 * scales resolved in scales (loaded first with store_payscales_load): point and
 * top as indexes into the scale's points (a NULL top_point is the scale's last),
 * dates as days (FORECAST_NO_DATE when NULL), periods_taught -1 when NULL,
 * allowances summed, no FTE changes. A post whose scale or point the scales lack
 * (a PUT of the scale took its point away) is 409 naming it. 0, or -1 with the
 * problem set (*out empty).
 */
int store_staff_load_posts(struct db *db, const char *urn, const struct store_staff_scales *scales,
			   struct store_staff_posts *out, struct problem *p) __attribute__((warn_unused_result));
void store_staff_posts_free(struct store_staff_posts *ps);                  /* NULL ok; leaves it empty */

/*
 * An entity's staffing settings: 1 found (*staff_by_post, *periods_per_cycle: 0
 * when NULL), 0 no such URN, -1 with the problem set.
 */
int store_staff_settings(struct db *db, const char *urn, int *staff_by_post, int32_t *periods_per_cycle,
			 struct problem *p) __attribute__((warn_unused_result));

#endif
