/*
 * store_budgets.h - budgets per entity (a school, or the central team) and academic
 * year: who owns one, the chart of accounts, reading a budget with its lines into the
 * core's struct budget and rendering it, and its writes, each in the caller's
 * transaction with its audit row (entity "budget", id "<urn>/<year>"):
 * creating one, replacing every line, the workflow's transitions (budget_flow.h
 * decides them) and, in store_budget_lines.h, one line at a time.
 *
 * One version covers a budget and its lines: every write, line writes included,
 * compares it and bumps it (store_versioned_write; a line write is a child's write).
 * Only a draft's lines change (409 otherwise). The trust's view reads every entity's
 * status and sums by account.
 */
#ifndef BURSAR_STORE_BUDGETS_H
#define BURSAR_STORE_BUDGETS_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "budget.h"
#include "budget_flow.h"
#include "store.h"

/* Which budget: the entity and the year, and what its messages and audit rows call it. */
struct store_budget_ref {
	const char *urn, *year_s;                /* "143201", "2026-27": borrowed */
	int year;                                /* 2026 = 2026-27 */
	uint32_t sid;                            /* schools.id */
	enum budget_entity entity;               /* set by store_budget_owner */
	char model[65];                          /* finance_model, "" for none: store_budget_owner */
	char eid[40];                            /* "<urn>/<year>": store_budget_owner */
};

/* The entity sid's kind and finance model into ref (404 naming ref->urn when it has gone). */
int store_budget_owner(struct db *db, struct store_budget_ref *ref, struct problem *p)
	__attribute__((warn_unused_result));

/* The chart of accounts, in id order; c->accounts is the caller's to free. */
int store_budget_chart(struct db *db, struct budget_chart *c, struct problem *p) __attribute__((warn_unused_result));

/* The names of c's accounts, names[i] for c->accounts[i] (NULL: an account added since
 * c was read), for spreadsheets; NULL with the problem set. Free with
 * store_budget_chart_names_free(names, c->n). */
char **store_budget_chart_names(struct db *db, const struct budget_chart *c, struct problem *p)
	__attribute__((warn_unused_result));
void store_budget_chart_names_free(char **names, size_t n);

/* Who the budget belongs to, for the finance-rule plugins: the year's census (pupils,
 * places) and the year before's (funded pupils); strings borrowed from ref. */
int store_budget_context(struct db *db, const struct store_budget_ref *ref, struct budget_context *ctx,
			 struct problem *p) __attribute__((warn_unused_result));

/* ---- reading ---- */

/* A budget as read: its header, then (store_budget_read_lines) its lines. */
struct store_budget {
	int64_t id, version;
	struct budget b;                         /* the lines, against the chart */
	struct db_rows *head, *lines;            /* what store_budget_json renders */
};

/* The header of ref's budget into x: 1, 0 when there is none, -1 with the problem. */
int store_budget_read(struct db *db, const struct store_budget_ref *ref, struct store_budget *x, struct problem *p)
	__attribute__((warn_unused_result));
/* Then its lines, into x->b against chart (borrowed: x->b points into it). */
int store_budget_read_lines(struct db *db, const struct store_budget_ref *ref, const struct budget_chart *chart,
			    struct store_budget *x, struct problem *p) __attribute__((warn_unused_result));
/* The representation: the header, totals, groups, findings and, with_lines, the lines. */
cJSON *store_budget_json(const struct store_budget *x, int with_lines, struct problem *p);
/* The same from a header row (head_sql's columns) and lines b, the line ids from ids
 * (NULL: each line's own id): what a write renders from what it wrote. */
cJSON *store_budget_render(const struct db_rows *head, const struct budget *b, const int64_t *ids, int with_lines,
			   struct problem *p);
/* One line of the representation, with the given id (0: null, a computed line derived
 * on read); NULL when out of memory. */
cJSON *store_budget_line_json(const struct budget_line *l, int64_t id);
void store_budget_free(struct store_budget *x);   /* x can be read into again */

/* Read ref's budget whole and render it (*version set); NULL with 404 when none. */
cJSON *store_budget_get(struct db *db, const struct store_budget_ref *ref, const struct budget_chart *chart,
			int with_lines, int64_t *version, struct problem *p);

/* ---- writes (inside the caller's transaction) ---- */

/* What every budget write says: "the budget for <urn> in <year>" into buf (returned). */
const char *store_budget_what(const struct store_budget_ref *ref, char *buf, size_t len);
/* 0 for a draft (status: the budgets.status text); otherwise 409 "the budget for <urn>
 * in <year> <why>" (budget_flow_locked says why). */
int store_budget_writable(const struct store_budget_ref *ref, const char *status, struct problem *p)
	__attribute__((warn_unused_result));

/* Lock ref's budget row if there is one: 0 with *exists 1 or 0. */
int store_budget_lock(struct db *db, const struct store_budget_ref *ref, int *exists, struct problem *p)
	__attribute__((warn_unused_result));

/* A new budget with lines (their ids must be 0: 422 naming any other); audited
 * "create" (after: every line under "added", store_budget_replace.c). *after is the whole
 * budget (the caller's), rendered from the lines as written. */
int store_budget_create(struct db *db, const struct audit_actor *who, const struct store_budget_ref *ref,
			const struct budget_chart *chart, const struct budget *lines, cJSON **after,
			struct problem *p) __attribute__((warn_unused_result));

/* The same, for a budget started from another year's budget or a forecast: audited
 * "create_from" with source (borrowed: {"created_from": "budget 2025-26"}) as the
 * before-image. */
int store_budget_create_from(struct db *db, const struct audit_actor *who, const struct store_budget_ref *ref,
			     const struct budget_chart *chart, const struct budget *lines, const cJSON *source,
			     cJSON **after, struct problem *p) __attribute__((warn_unused_result));

/* Replace every line of ref's draft budget at version want (404, 412, 409 when not a
 * draft, 422 for a line id that is not one of its lines), writing only the difference
 * (store_budget_replace.c: lines keep their ids by id, else by account and description),
 * audited as action ("update", "import") with the lines changed, added and removed.
 * Nothing changed: nothing written, no audit row, the version as it was. *after is the
 * whole budget (the caller's), rendered from the lines as written. lines is not changed. */
int store_budget_replace(struct db *db, const struct audit_actor *who, const struct store_budget_ref *ref,
			 const struct budget_chart *chart, int64_t want, const struct budget *lines,
			 const char *action, cJSON **after, struct problem *p) __attribute__((warn_unused_result));

/*
 * Submit's and approve's check, the caller's: given the budget as it stands (locked,
 * its frozen computed lines read back after its typed ones) and who it belongs to,
 * it leaves in b the computed lines to freeze: new ones (id 0) replace those stored,
 * rows read back (id > 0) stay as they are. 0 with *warnings (submit: JSON text
 * stored with the budget; cJSON_free'd here), or -1 with the problem set (nothing
 * changes).
 */
typedef int (*store_budget_submit_fn)(struct budget *b, const struct budget_context *ctx, enum budget_action action,
				      void *arg, char **warnings, struct problem *p);

/*
 * A transition of ref's budget at version want, made by role (budget_flow_next says
 * whether: 403, 409), carrying text (approve: the board minute reference; return,
 * reopen: the reason; submit: NULL). Submit and approve run submit(arg) first and
 * store the new computed lines it gives (rows with computed = 1 after the typed
 * lines); return and reopen delete the frozen ones (a draft derives them). Audited
 * as the action with the header (no lines) before and after, each with
 * "computed_lines": the frozen computed lines stored then. *version: the new version.
 */
int store_budget_transition(struct db *db, const struct audit_actor *who, const struct store_budget_ref *ref,
			    const struct budget_chart *chart, int64_t want, enum budget_action action, unsigned role,
			    const char *text, store_budget_submit_fn submit, void *arg, int64_t *version,
			    struct problem *p) __attribute__((warn_unused_result));

/*
 * Delete ref's budget at version want with its lines (404, 412), audited "delete" with
 * the whole budget as the before-image: only a draft (409 otherwise) that has no typed
 * lines or was never submitted (409 saying why: a budget with a history stays).
 * Budgets are not synced by updated_since, so no tombstone is kept.
 */
int store_budget_delete(struct db *db, const struct audit_actor *who, const struct store_budget_ref *ref,
			const struct budget_chart *chart, int64_t want, struct problem *p) __attribute__((warn_unused_result));

/* ---- the trust's view ---- */

/*
 * Every entity with its budget for year: *entities has urn, name, kind,
 * finance_model, status ("none" without a budget), version, submitted_at,
 * approved_at, and hidden _bid (the budget id, NULL without) and _phase, central
 * last; *sums has budget_id, account_id, pence (the sum of its lines), ordered by
 * budget and account. Both the caller's.
 */
int store_budgets_trust(struct db *db, int year, struct db_rows **entities, struct db_rows **sums,
			struct problem *p) __attribute__((warn_unused_result));

#endif
