/*
 * store_payscales.h - the pay scales and their points, the on-cost rates by tax
 * year and each entity's LGPS employer rates (schema/014_staffing.sql; DESIGN.md
 * "Staffing", issue 16). Each write audited in the caller's transaction (store.h).
 *
 * Representations:
 *   a scale  {"name", "title", "kind", "area", "version", "created_at", "updated_at",
 *             "points": [{"year": "2026-27", "point": "M1", "ord": 1, "annual_pence"}]}
 *             (points by year, then ord); in the list {"name", "title", "kind",
 *             "area", "years": ["2025-26", ...], "version", "updated_at"}
 *   rates    {"tax_year": "2026-27", "ni_bp", "ni_threshold_pence", "ni_upper_pence",
 *             "tps_bp", "levy_bp", "levy_allowance_pence", "employment_allowance_pence",
 *             "version", "created_at", "updated_at"}
 *   LGPS     {"urn", "items": [{"tax_year": "2026-27", "rate_bp"}], "version",
 *             "updated_at"} (version 0 and updated_at null before the first PUT)
 * Audit entities: "pay_scale" (id: the name), "staff_rates" (id: "2026-27"),
 * "lgps_rates" (id: the URN).
 *
 * The loaders into core's structs (struct staff_scale ...) are in store_staff_load.h.
 * Thread: as db.h.
 */
#ifndef BURSAR_STORE_PAYSCALES_H
#define BURSAR_STORE_PAYSCALES_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "staff_input.h"
#include "store.h"

/* ---- pay scales ---- */

/* A validated scale as written (strings borrowed). For an update, kind and area
 * are not written (the caller has checked they match) and only the years that
 * points[] has are replaced. */
struct payscale_in {
	const char *name, *title, *kind, *area;  /* area NULL: none */
	const struct staff_point_in *points;
	size_t npoints;
};

/* Every scale, by name, as a JSON array (the caller's). NULL with the problem set. */
cJSON *store_payscales_list(struct db *db, struct problem *p);

/* One scale and its version; year > 0 keeps only that year's points. NULL with 404. */
cJSON *store_payscale_get(struct db *db, const char *name, int year, int64_t *version, struct problem *p);

/* In a transaction: 409 (/name) when the name is taken. */
int store_payscale_create(struct db *db, const struct audit_actor *who, const struct payscale_in *in,
			  cJSON **after, struct problem *p) __attribute__((warn_unused_result));

/* In a transaction: the title (NULL: as it is), and the points of each year in in->points replaced. */
int store_payscale_update(struct db *db, const struct audit_actor *who, const char *name, int64_t want_version,
			  const struct payscale_in *in, cJSON **after, struct problem *p)
	__attribute__((warn_unused_result));

/* The kind and version of scale name: 1 found, 0 none, -1 with the problem set.
 * kind: at least 8 bytes. lock: FOR UPDATE (an import, in its transaction). */
int store_payscale_kind(struct db *db, const char *name, int lock, char *kind, int64_t *version,
			struct problem *p) __attribute__((warn_unused_result));

/* Every point of every scale as rows (columns scale, kind, area, year, point, ord,
 * annual_pence) by scale, year, ord: the export. */
int store_payscales_points(struct db *db, struct db_rows **rows, struct problem *p)
	__attribute__((warn_unused_result));

/* ---- on-cost rates by tax year ---- */

struct staff_rates_in {
	int tax_year;
	int32_t ni_bp, tps_bp, levy_bp;
	int64_t ni_threshold_pence, ni_upper_pence, levy_allowance_pence, employment_allowance_pence;
};

/* Every tax year's rates, oldest first, as a JSON array; NULL with the problem set. */
cJSON *store_staff_rates_list(struct db *db, struct problem *p);

/* One tax year's and its version; NULL with 404. */
cJSON *store_staff_rates_get(struct db *db, int tax_year, int64_t *version, struct problem *p);

/* Create or replace (a PUT): without If-Match it creates (428 when the year has
 * rates); with it, it replaces (412 when stale or when there are none). *created
 * says which. In a transaction. */
int store_staff_rates_put(struct db *db, const struct audit_actor *who, const struct staff_rates_in *in,
			  int has_if_match, int64_t want_version, cJSON **after, int *created, struct problem *p)
	__attribute__((warn_unused_result));

/* Every tax year's rates as rows (columns as the representation's, tax_year the
 * year's number), oldest first: the export. */
int store_staff_rates_rows(struct db *db, struct db_rows **rows, struct problem *p)
	__attribute__((warn_unused_result));

/* Create or replace a tax year's rates whatever their version (an import, in its
 * transaction; audited as store_staff_rates_put). */
int store_staff_rates_replace(struct db *db, const struct audit_actor *who, const struct staff_rates_in *in,
			      cJSON **after, int *created, struct problem *p) __attribute__((warn_unused_result));

/* ---- LGPS employer rates of an entity ---- */

struct lgps_rate_in {
	int tax_year;
	int32_t rate_bp;
};

/* The entity's list (JSON, the caller's) and its version (0: never written). */
cJSON *store_lgps_get(struct db *db, uint32_t school_id, const char *urn, int64_t *version, struct problem *p);

/* Replace the list (a PUT): once written, If-Match is needed (428 without, 412
 * stale); the first write takes none (412 with one other than 0). In a transaction. */
int store_lgps_put(struct db *db, const struct audit_actor *who, uint32_t school_id, const char *urn,
		   int has_if_match, int64_t want_version, const struct lgps_rate_in *items, size_t n,
		   cJSON **after, struct problem *p) __attribute__((warn_unused_result));

#endif
