/*
 * store_staff.h - an entity's posts (schema/014_staffing.sql; DESIGN.md "Staffing",
 * issue 16): list, read, create, update and delete, each write audited in the
 * caller's transaction (store.h). A deleted post stays as a tombstone (deleted_at)
 * so that a sync with updated_since sees it go; its reference is free again.
 *
 * Representation (a post): {"id", "urn", "reference", "title", "role",
 * "account_code", "scale", "point", "top_point", "point_year" ("2026-27"), "fte_h",
 * "paid_weeks_h", "tlr_pence", "sen_pence", "fringe_pence",
 * "other_allowance_pence", "pension", "ni_category", "starts_on", "ends_on",
 * "vacant", "holder_name", "periods_taught", "version", "created_at",
 * "updated_at"}. A list's items add "deleted": false; a tombstone is {"id",
 * "deleted": true, "updated_at"}. holder_name is personal data: the handlers
 * decide who reads posts at all.
 *
 * The loaders for the costing (struct staff_post etc., core/staffing.h) are in
 * store_staff_load.h.
 *
 * Thread: as db.h.
 */
#ifndef BURSAR_STORE_STAFF_H
#define BURSAR_STORE_STAFF_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "store.h"

/* A post as written (validated by the handler: role vs code, ranges, dates).
 * Strings borrowed. The store resolves account_code and scale (422 naming the
 * field when the chart or the scales do not have them), checks that the scale has
 * point and top_point in some year and that top_point is not below point (422). */
struct post_in {
	const char *reference, *title, *role;
	const char *account_code;
	const char *scale, *point, *top_point;   /* top_point NULL: the scale's top */
	int point_year;                          /* 2026 = 2026-27 */
	int32_t fte_h;                           /* 1..100 */
	int32_t paid_weeks_h;                    /* 0: NULL (all year) */
	int64_t tlr_pence, sen_pence, fringe_pence, other_allowance_pence;
	const char *pension;                     /* "tps", "lgps", "none" */
	const char *ni_category;                 /* "A", "M", "H" */
	const char *starts_on, *ends_on;         /* "YYYY-MM-DD" or NULL */
	int vacant;
	const char *holder_name;                 /* NULL when vacant */
	int32_t periods_taught;                  /* -1: NULL */
};

/* A page of an entity's posts, keyset-paged on (updated_at, id); tombstones only
 * when pg has updated_since. Rows for store_post_row_json. */
int store_posts_list(struct db *db, uint32_t school_id, const struct page *pg, struct db_rows **rows,
		     struct problem *p) __attribute__((warn_unused_result));

/* A list row as JSON (with "deleted"; a tombstone's three members); NULL when out of memory. */
cJSON *store_post_row_json(const struct db_rows *rows, size_t i);

/* Every live post of the entity, by reference (the spreadsheet's export and import);
 * rows for db_row_to_json, as store_post_get's image. */
int store_posts_live(struct db *db, uint32_t school_id, struct db_rows **rows, struct problem *p)
	__attribute__((warn_unused_result));

/* One live post of the entity as JSON (the caller's) and its version; NULL with 404. */
cJSON *store_post_get(struct db *db, uint32_t school_id, int64_t id, int64_t *version, struct problem *p);

/*
 * What a post's account and scale resolve against, read once for many posts (an
 * import of a sheet: three queries, not three or four a row): the chart's account
 * ids, the pay scales' ids and each scale's points with their lowest ord over the
 * years. Matching is as the database's (ASCII case-insensitive), so the answers and
 * messages are those of a post checked alone. Free with store_post_refs_free (a
 * zeroed struct is fine).
 */
struct store_post_point;
struct store_post_refs {
	struct db_rows *accounts, *scales, *point_rows;
	struct store_post_point *points;         /* sorted by scale id, point */
	size_t npoints;
};
int store_post_refs_load(struct db *db, struct store_post_refs *refs, struct problem *p)
	__attribute__((warn_unused_result));
void store_post_refs_free(struct store_post_refs *refs);

/* What create and update check against the database (the account, the scale, its
 * points), without writing: 0, or -1 (422 with the same field errors, 500). refs:
 * resolve against it (NULL: ask the database). */
int store_post_check(struct db *db, const struct store_post_refs *refs, const struct post_in *in, struct problem *p)
	__attribute__((warn_unused_result));

/* In a transaction. A reference another live post of the entity has is 409 (/reference).
 * refs as store_post_check's (read in the same transaction, or NULL). */
int store_post_create(struct db *db, const struct store_post_refs *refs, const struct audit_actor *who,
		      uint32_t school_id, const struct post_in *in, int64_t *id, cJSON **after, struct problem *p)
	__attribute__((warn_unused_result));
int store_post_update(struct db *db, const struct store_post_refs *refs, const struct audit_actor *who,
		      uint32_t school_id, int64_t id, int64_t want_version, const struct post_in *in, cJSON **after,
		      struct problem *p) __attribute__((warn_unused_result));
/* Leaves a tombstone. In a transaction. */
int store_post_delete(struct db *db, const struct audit_actor *who, uint32_t school_id, int64_t id,
		      int64_t want_version, struct problem *p) __attribute__((warn_unused_result));

#endif
