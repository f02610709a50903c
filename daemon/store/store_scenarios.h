/*
 * store_scenarios.h - forecast scenarios: named, versioned assumption sets
 * (scenario.c) with pupil and place projections. List, read, create, update and
 * delete (a deleted scenario stays as a tombstone, so the runs made with it keep
 * their link), each write audited in the caller's transaction (store.h); and a
 * live scenario loaded and parsed for a forecast run.
 *
 * A scenario's representation is its columns (base_year written "2026-27") with
 * the stored spec's parts, "assumptions", "pupils", "places", "overrides" and
 * "actions" (a spec stored before issue 15 reads as no overrides and no
 * actions). A stored
 * spec that no longer parses is a logged 500.
 */
#ifndef BURSAR_STORE_SCENARIOS_H
#define BURSAR_STORE_SCENARIOS_H

#include <stdint.h>

#include <cjson/cJSON.h>

#include "scenario.h"
#include "store.h"

/* A live scenario as stored, parsed. */
struct store_scenario {
	int64_t id, version;
	char name[101];
	int base_year, horizon;
	struct scenario s;                       /* store_scenario_free */
	cJSON *json;                             /* its representation */
};

/*
 * Load live scenario id: 0 with *out filled; 1 when there is none (or it was
 * deleted); -1 with the problem set (the database, or a stored spec that no
 * longer parses: 500, logged). Free with store_scenario_free (also after 1 or -1).
 */
int store_scenario_load(struct db *db, int64_t id, struct store_scenario *out, struct problem *p)
	__attribute__((warn_unused_result));
void store_scenario_free(struct store_scenario *sc);   /* NULL ok */

/*
 * A page of scenarios (rows for api_reply_page, through store_scenario_summary):
 * tombstones only for a sync (pg->has_since); has_year: of base year `year` only.
 */
int store_scenarios_list(struct db *db, const struct page *pg, int has_year, int year, struct db_rows **rows,
			 struct problem *p) __attribute__((warn_unused_result));
/* Row i of store_scenarios_list as a summary; a deleted one as a tombstone {id,
 * name, deleted: true, version, updated_at}. NULL when out of memory. */
cJSON *store_scenario_summary(const struct db_rows *rows, size_t i);

/* One live scenario as JSON (the caller's) and its version; NULL with 404. */
cJSON *store_scenario_get(struct db *db, int64_t id, int64_t *version, struct problem *p);

/* The URN of every school of the trust (one column, urn): what projections may name. */
int store_scenarios_school_urns(struct db *db, struct db_rows **rows, struct problem *p)
	__attribute__((warn_unused_result));

/* Every account of the chart (columns code, is_internal, active): what actions may name. */
int store_scenarios_accounts(struct db *db, struct db_rows **rows, struct problem *p)
	__attribute__((warn_unused_result));

/* A validated scenario as written. Strings are borrowed. */
struct scenario_in {
	const char *name;
	const char *description;                 /* NULL writes "" */
	int base_year, horizon;
	const char *spec;                        /* the normalised spec (scenario_spec_json), as stored */
};

/* In a transaction. A name another live scenario has is 409. */
int store_scenario_create(struct db *db, const struct audit_actor *who, const struct scenario_in *s, int64_t *id,
			  cJSON **after, struct problem *p) __attribute__((warn_unused_result));
int store_scenario_update(struct db *db, const struct audit_actor *who, int64_t id, int64_t want_version,
			  const struct scenario_in *s, cJSON **after, struct problem *p)
	__attribute__((warn_unused_result));
/* Leaves a tombstone (deleted_at set). */
int store_scenario_delete(struct db *db, const struct audit_actor *who, int64_t id, int64_t want_version,
			  struct problem *p) __attribute__((warn_unused_result));

#endif
