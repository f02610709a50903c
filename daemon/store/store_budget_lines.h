/*
 * store_budget_lines.h - a budget's lines one at a time (all at once:
 * store_budget_replace, store_budget_replace.c). A line write is a write to a child of the
 * budget (store.h): it locks the budget, compares and bumps the budget's version
 * (one ETag covers a budget and its lines), and is audited on the budget
 * (entity "budget", id "<urn>/<year>") with the line's images.
 */
#ifndef BURSAR_STORE_BUDGET_LINES_H
#define BURSAR_STORE_BUDGET_LINES_H

#include <stdint.h>

#include <cjson/cJSON.h>

#include "store_budgets.h"

/*
 * One line of ref's draft budget at version want, in the caller's transaction: 404
 * without a budget (or without the line), 412 stale, 409 when the budget is not a
 * draft (or, to create, already has BUDGET_MAX_LINES lines). Create and update give
 * *after, the line as JSON with "budget_version" (the caller's); every one leaves
 * the budget at version want + 1. l->account must be set.
 */
int store_budget_line_create(struct db *db, const struct audit_actor *who, const struct store_budget_ref *ref,
			     int64_t want, const struct budget_line *l, cJSON **after, struct problem *p)
	__attribute__((warn_unused_result));
int store_budget_line_update(struct db *db, const struct audit_actor *who, const struct store_budget_ref *ref,
			     int64_t want, int64_t line_id, const struct budget_line *l, cJSON **after,
			     struct problem *p) __attribute__((warn_unused_result));
int store_budget_line_delete(struct db *db, const struct audit_actor *who, const struct store_budget_ref *ref,
			     int64_t want, int64_t line_id, struct problem *p) __attribute__((warn_unused_result));

#endif
