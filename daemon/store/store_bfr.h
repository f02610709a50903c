/*
 * store_bfr.h - the BFR's stored parts (ISSUE17_CONTRACT section 4): its lines
 * (bfr_lines), each account's line (accounts.bfr_line), the entities with their
 * census and opening reserves by year, and the notes beside a year's BFR (bfr_notes:
 * why reserves over 20% of income are held). The figures come from the actuals,
 * the budgets and the forecast runs (their own stores).
 *
 * Thread: as db.h (per request, the worker's connection).
 */
#ifndef BURSAR_STORE_BFR_H
#define BURSAR_STORE_BFR_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "bfr.h"
#include "budget.h"
#include "store.h"

/* The lines in their order (sort): *lines is the caller's to free. 0, or -1 (500
 * when a stored section or kind is not one bfr.h knows). */
int store_bfr_lines(struct db *db, struct bfr_line_def **lines, size_t *n, struct problem *p)
	__attribute__((warn_unused_result));

/* Each account of chart c (store_budget_chart) its BFR line (0: none) into
 * (*line)[i] for c->accounts[i]; *line is the caller's to free. 0, or -1. */
int store_bfr_account_lines(struct db *db, const struct budget_chart *c, int **line, struct problem *p)
	__attribute__((warn_unused_result));

/*
 * Every entity: rows (urn, name, kind), the schools by URN then the central team;
 * and years (urn, year, pupils, opening_reserves_pence) of years y0..y1 (NULL
 * where unknown). Both the caller's to db_rows_free. 0, or -1.
 */
int store_bfr_entities(struct db *db, int y0, int y1, struct db_rows **ents, struct db_rows **years,
		       struct problem *p) __attribute__((warn_unused_result));

/* Each account of chart c its default profile's weights (accounts.default_profile;
 * NULL or a profile that is gone: `even`) into (*w)[i]; the caller's to free. 0, or -1. */
int store_bfr_account_profiles(struct db *db, const struct budget_chart *c, int32_t (**w)[12], struct problem *p)
	__attribute__((warn_unused_result));

/* The notes of a budget year: rows (scope, reserves_explanation, version, updated_by,
 * created_at, updated_at), by scope. The caller's. 0, or -1. */
int store_bfr_notes(struct db *db, int year, struct db_rows **rows, struct problem *p)
	__attribute__((warn_unused_result));

/*
 * Write the note of year and scope ("trust", a URN or "central"; the caller has
 * checked it) in the caller's transaction with its audit row (entity bfr_note, key
 * "<year>/<scope>"): without If-Match it creates (428 when there is one already);
 * with it, it replaces (412 when stale or when there is none). *after is the note
 * ({"year","scope","reserves_explanation","version","updated_by","created_at",
 * "updated_at"}; the caller's), *created which it was. 0, or -1.
 */
int store_bfr_note_put(struct db *db, const struct audit_actor *who, int year, const char *scope,
		       int has_if_match, int64_t want_version, const char *text, cJSON **after, int *created,
		       struct problem *p) __attribute__((warn_unused_result));

#endif
