/*
 * store_schools.h - the schools (and the central team, URN "central") and their
 * per-year data: pupils, places, FTE, opening reserves. Writes are audited in the
 * caller's transaction (store.h).
 *
 * Thread: every function runs on the calling thread's connection (struct db).
 */
#ifndef BURSAR_STORE_SCHOOLS_H
#define BURSAR_STORE_SCHOOLS_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "problem.h"
#include "store.h"

/* ---- URN -> id (what the per-worker map in api/schoolmap.c is built from) ---- */

/* One entity's URN ("central" for the trust's central team), its id and kind. */
struct store_school_urn {
	char urn[8];
	int64_t id;
	int is_school;                           /* kind = 'school' (0: the central team) */
};

/*
 * Every entity's (URN, id, kind), sorted by URN (byte order), in one query. *out
 * is malloc'ed (free() it; NULL when there are none) and *n its length.
 * 0 ok; -1 with the problem set (*out NULL).
 */
int store_schools_urn_ids(struct db *db, struct store_school_urn **out, size_t *n, struct problem *p)
	__attribute__((warn_unused_result));

/*
 * The entity with this URN: 1 found (*out filled), 0 none, -1 with the problem
 * set. For a URN the map does not (yet) hold.
 */
int store_schools_urn_id(struct db *db, const char *urn, struct store_school_urn *out, struct problem *p)
	__attribute__((warn_unused_result));

/* ---- the schools ---- */

/* A validated school as written; strings borrowed. phase NULL for the central team. */
struct school_in {
	const char *name;
	const char *phase;
	const char *local_authority;             /* NULL: "" */
	const char *finance_model;               /* NULL: "" */
	int has_area;
	int64_t floor_area_m2;
	int staff_by_post;                       /* 0 or 1; -1: unchanged */
	int set_periods;                         /* 0: periods_per_cycle unchanged */
	int64_t periods_per_cycle;               /* 0: NULL */
};

/* A page of schools; token_id > 0 keeps to that token's schools (a school system). */
/* The URN and name of each school whose id is in ids (n of them), by URN: columns
 * urn, name. *rows is the caller's. */
int store_schools_named(struct db *db, const uint32_t *ids, size_t n, struct db_rows **rows, struct problem *p)
	__attribute__((warn_unused_result));

int store_schools_list(struct db *db, const struct page *pg, int64_t token_id, struct db_rows **rows,
		       struct problem *p) __attribute__((warn_unused_result));

/* One school as JSON (the caller's), its id and version; NULL with 404. */
cJSON *store_school_get(struct db *db, const char *urn, uint32_t *id, int64_t *version, struct problem *p);

int store_school_update(struct db *db, const struct audit_actor *who, const char *urn, int64_t want_version,
			const struct school_in *s, cJSON **after, struct problem *p)
	__attribute__((warn_unused_result));

/* ---- per-year data ---- */

/* As written: each absent value (has_* = 0) is NULL. */
struct school_year_in {
	int has_pupils, has_places, has_fte, has_reserves;
	int64_t pupils, places, fte_hundredths, opening_reserves_pence;
	const char *reserves_basis;              /* NULL: none */
	int actual;
};

/* Every year of an entity, oldest first, as rows for store_school_year_json. */
int store_school_years_list(struct db *db, uint32_t school_id, struct db_rows **rows, struct problem *p)
	__attribute__((warn_unused_result));

/* A row of a years result as JSON ("fte" a number of hundredths shown with two decimals). */
cJSON *store_school_year_json(const struct db_rows *rows, size_t i);

/* One year as JSON and its version; JSON null when there is none; NULL on error. */
cJSON *store_school_year_get(struct db *db, uint32_t school_id, int year, int64_t *version,
			     struct problem *p);

/*
 * Create or update one year (a PUT). Creating needs no If-Match (412 if one is
 * given); updating needs it (428 without, 412 when stale). eid names the year in
 * the audit log ("143201/2026-27"). *created tells which it was.
 */
int store_school_year_put(struct db *db, const struct audit_actor *who, uint32_t school_id, int year,
			  const char *eid, int has_if_match, int64_t want_version,
			  const struct school_year_in *y, cJSON **after, int *created, struct problem *p)
	__attribute__((warn_unused_result));

#endif
