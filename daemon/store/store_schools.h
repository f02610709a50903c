/*
 * store_schools.h - the schools store (the schools table and its per-year data).
 *
 * Thread: every function runs on the calling thread's connection (struct db).
 */
#ifndef BURSAR_STORE_SCHOOLS_H
#define BURSAR_STORE_SCHOOLS_H

#include <stddef.h>
#include <stdint.h>

#include "problem.h"

struct db;

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

#endif
