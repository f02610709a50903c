/*
 * store_indices.h - the trust's index history (schema/009_indices.sql): each
 * index (cpi, nlw, energy ...) with its value for each academic year, the rate
 * applied at a contract's anniversary falling in that year (DESIGN.md
 * "Forecasting", Drivers, services). List, read, create-or-replace and delete,
 * each write audited in the caller's transaction (store.h); and the history as
 * core's price_series for the pricing function (price.h).
 *
 * Representation: {"name", "description", "values": {"2020-21": 50, ...},
 * "notes": {"2020-21": "ONS ...", ...}, "default_bp", "version", "created_at",
 * "updated_at"}; default_bp is procurement.indexation_bp (what a year without a
 * value takes), given by the caller. A deleted index stays as a tombstone (no
 * values); a PUT without If-Match brings it back with its version moved on.
 *
 * Thread: as db.h.
 */
#ifndef BURSAR_STORE_INDICES_H
#define BURSAR_STORE_INDICES_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "page.h"
#include "price.h"
#include "store.h"

/* One value of a write. */
struct index_value_in {
	int year;                                /* 2026 = 2026-27 */
	int32_t bp;
	const char *note;                        /* NULL: "" */
};

struct index_in {
	const char *description;                 /* NULL: "" */
	const struct index_value_in *values;
	size_t nvalues;
};

/* Every live index, by name, as a JSON array (the caller's). NULL with the problem set. */
cJSON *store_indices_list(struct db *db, int32_t default_bp, struct problem *p);

/* One live index and its version; NULL with 404. */
cJSON *store_index_get(struct db *db, const char *name, int32_t default_bp, int64_t *version, struct problem *p);

/*
 * Create or replace index `name` (a PUT). Without If-Match it creates (a live one
 * asks for If-Match: 428); with it, it replaces (412 when stale, or when there is
 * none). *created says which. In a transaction.
 */
int store_index_put(struct db *db, const struct audit_actor *who, const char *name, int has_if_match,
		    int64_t want_version, const struct index_in *in, int32_t default_bp, cJSON **after, int *created,
		    struct problem *p) __attribute__((warn_unused_result));

/* Leaves a tombstone without values. In a transaction. */
int store_index_delete(struct db *db, const struct audit_actor *who, const char *name, int64_t want_version,
		       int32_t default_bp, struct problem *p) __attribute__((warn_unused_result));

/* The history as the pricing function reads it: every index (tombstones with no
 * values), with when each last changed (database form). */
struct store_index_history {
	struct price_series *series;
	char (*updated)[PAGE_TS_LEN];
	size_t n;
};

int store_index_history_load(struct db *db, struct store_index_history *h, struct problem *p)
	__attribute__((warn_unused_result));
void store_index_history_free(struct store_index_history *h);   /* NULL ok */

/* When index `name` last changed (database form), or NULL when it is not in h. */
const char *store_index_history_updated(const struct store_index_history *h, const char *name);

#endif
