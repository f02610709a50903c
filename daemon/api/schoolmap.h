/*
 * schoolmap.h - a worker's map from URN to school id, so a per-school request
 * spends no database round trip on turning its URN into an id.
 *
 * The map is loaded whole (store_schools_urn_ids: one query) on its first use
 * after a clear. The worker clears it with its other caches (worker_refresh:
 * after a write in this process, and when the audit log's highest id moves,
 * checked at most every cache.refresh_ms). A URN the map does not hold is looked
 * up in the database (one query) and added when it exists, so an entity created
 * behind the audit log's back (a seed, another instance within the refresh
 * interval) is found at once; an unknown URN costs that query, as it did before
 * the map. URNs never change and entities are never deleted, so a held entry
 * cannot be wrong.
 *
 * Thread: one map per worker, used only by its thread.
 */
#ifndef BURSAR_SCHOOLMAP_H
#define BURSAR_SCHOOLMAP_H

#include <stdint.h>

#include "problem.h"

struct db;
struct schoolmap;

/* NULL on allocation failure. */
struct schoolmap *schoolmap_new(void);
void schoolmap_free(struct schoolmap *m);    /* NULL ok */
/* Forget everything: the next lookup reloads the map. */
void schoolmap_clear(struct schoolmap *m);

/*
 * The entity with this URN ("central" for the central team): 1 found (*id, and
 * *is_school when not NULL: kind 'school' rather than the central team), 0 no
 * such URN, -1 with the problem set (503 when the database is unreachable).
 */
int schoolmap_find(struct schoolmap *m, struct db *db, const char *urn, int64_t *id, int *is_school,
		   struct problem *p) __attribute__((warn_unused_result));

#endif
