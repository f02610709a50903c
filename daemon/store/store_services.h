/*
 * store_services.h - the shared services and their subscriptions as stored: the
 * service list and row (SVCYEAR_COLS, priced by api/svcyear.c: the caller gives
 * the render), the checks a write needs (account, contract, a school's basis
 * data), the subscription rows, and every write: a service's, one
 * subscription's, the whole set's, each through store.c's versioned write in the
 * caller's transaction with its audit row. Every write to a service or its
 * subscriptions locks the services row first (then a subscription's), and bumps
 * the service's version: one ETag covers a service and its subscriptions.
 *
 * Thread: as db.h.
 */
#ifndef BURSAR_STORE_SERVICES_H
#define BURSAR_STORE_SERVICES_H

#include <stdint.h>

#include <cjson/cJSON.h>

#include "alloc.h"
#include "audit.h"
#include "db.h"
#include "page.h"
#include "problem.h"
#include "store.h"

/* ---- services ---- */

/* A page of services (SVCYEAR_COLS, rows for store_list_next); tombstones only
 * for a sync (pg->has_since); funding, basis, category: a filter or NULL. */
int store_services_list(struct db *db, const struct page *pg, const char *funding, const char *basis,
			const char *category, struct db_rows **rows, struct problem *p) __attribute__((warn_unused_result));

/* 1 when service id exists and is not deleted, 0 when not, -1 with the problem set. */
int store_service_live(struct db *db, int64_t id, struct problem *p) __attribute__((warn_unused_result));

/* Service id's version, deleted or not; 404 when there is none. */
int store_service_version(struct db *db, int64_t id, int64_t *version, struct problem *p)
	__attribute__((warn_unused_result));

/* A live service, locked for a write (what the callers' checks are given). */
struct store_service_locked {
	int64_t id;
	int64_t version;
	enum alloc_basis basis;
	char name[208];
};

/*
 * Whether school_id (URN urn) has the data basis needs for a subscription from
 * start: an October census (pupils) or staff FTE for that academic year or one
 * before it, or a floor area. When it lacks it, adds an error at field naming
 * the school and returns 0; -1 only when the database fails.
 */
int store_service_school_data(struct db *db, enum alloc_basis basis, int64_t school_id, const char *urn,
			      int32_t start, const char *field, struct problem *p) __attribute__((warn_unused_result));

/* The account (an expenditure account in use) and the contract (contract_id > 0)
 * a service names exist: field errors at /account_code and /contract_id. -1 only
 * when the database fails (the caller ends validation). */
int store_service_refs(struct db *db, const char *account_code, int64_t contract_id, struct problem *p)
	__attribute__((warn_unused_result));

/* A validated service as written: contract_id 0 for none (then cost_pence and
 * vat_pence are its entered cost); strings borrowed. */
struct store_service_in {
	const char *name, *category, *description, *account_code, *funding, *basis, *usage_unit;
	int64_t contract_id;
	int64_t cost_pence, vat_pence;
};

/* How a caller renders a service's row 0 (api/svcyear.c prices it for a year with
 * the configuration's rates, which the store does not know); NULL with the problem set. */
typedef cJSON *(*store_service_render_fn)(const struct db_rows *rows, void *arg, struct problem *p);

/* Live service id as render makes it (*version set); 404 when none or deleted. */
cJSON *store_service_get(struct db *db, int64_t id, store_service_render_fn render, void *arg, int64_t *version,
			 struct problem *p);

/*
 * A write of a service through store_versioned_write / _create, audited "create",
 * "update" or "delete" with images made by render:
 *   create (id 0; set to the new id): the account and contract exist (422), a
 *     name another service has is 409;
 *   update (in set): the services row locked (404 when none or deleted), its
 *     version compared (412), the account and contract checked, then check
 *     (optional) with the locked row, e.g. a new basis against the subscriptions;
 *   delete (in NULL): the service becomes a tombstone that gives up its contract,
 *     its live subscriptions tombstones too; the audited before-image says how
 *     many ("subscriptions_deleted").
 * 0 with *after (the caller's; NULL for a delete), or -1 with the problem set.
 */
struct store_service_write {
	const struct audit_actor *who;
	int64_t id;
	int64_t want_version;                    /* If-Match (update, delete) */
	const struct store_service_in *in;       /* NULL: delete */
	store_service_render_fn render;
	int (*check)(struct db *db, const struct store_service_locked *l, void *arg, struct problem *p);
	void *arg;                               /* for render and check */
};

int store_service_write(struct db *db, struct store_service_write *w, cJSON **after, struct problem *p)
	__attribute__((warn_unused_result));

/* ---- subscriptions ---- */

/* A page of service_id's subscriptions (tombstones only for a sync); scope (store.h):
 * only those of its schools when scoped; school_id > 0: that school's only. */
int store_subscriptions_list(struct db *db, const struct page *pg, int64_t service_id, const struct store_scope *scope,
			     int64_t school_id, struct db_rows **rows, struct problem *p)
	__attribute__((warn_unused_result));

/* A subscription's row i as the API shows it (a tombstone: what identifies it and
 * "deleted": true); NULL when out of memory. */
cJSON *store_subscription_json(const struct db_rows *rows, size_t i);

/* Live subscription sid of service id as JSON, and its school; 404 ("service 3 has
 * no subscription 9") when none. */
cJSON *store_subscription_get(struct db *db, int64_t id, int64_t sid, int64_t *school_id, struct problem *p);

/* Service id's live subscriptions, locked: id, school_id, urn, start_date,
 * end_date, level, usage_units, fixed_share_bp, by id. */
int store_subscriptions_live(struct db *db, int64_t id, struct db_rows **rows, struct problem *p)
	__attribute__((warn_unused_result));

/* A subscription as written: end and units/bp as the database has them (end
 * NULL: open; units, bp < 0: none). */
struct store_sub_in {
	int64_t school_id;                       /* check sets it */
	const char *start, *end;                 /* "2026-09-01" */
	const char *level;
	int64_t units, bp;
};

/*
 * A write of one subscription of service service_id: the service locked first (404;
 * the lock order of every service write), then for an update or delete the
 * subscription locked (404 "service 3 has no subscription 9") and its version
 * compared (412); check (required) with the locked service validates the write
 * (resolving in->school_id); the row written; the service's version bumped (one
 * ETag covers a service and its subscriptions); audited "create" (sid 0: set to
 * the new id), "update" (in set) or "delete" (in NULL: a tombstone).
 * 0 with *after (the caller's; NULL for a delete), or -1 with the problem set.
 */
struct store_sub_write {
	const struct audit_actor *who;
	int64_t service_id, sid;
	int64_t want_version;
	struct store_sub_in *in;
	int (*check)(struct db *db, const struct store_service_locked *l, void *arg, struct problem *p);
	void *arg;
};

int store_subscription_write(struct db *db, struct store_sub_write *w, cJSON **after, struct problem *p)
	__attribute__((warn_unused_result));

/* One subscription of a set PUT: id 0 a new one, else a live one it keeps (changed:
 * with other values). */
struct store_sub_item {
	int64_t id;
	int changed;
	struct store_sub_in in;
};

/*
 * The set PUT: a write to service service_id (its If-Match; 404, 412) whose
 * child is its set of subscriptions. With the services row locked, check
 * (required) validates items against the service (l) and the live set (it reads
 * store_subscriptions_live), resolving each school and telling which kept ones
 * changed; then every live one the set does not name becomes a tombstone, the
 * changed ones are updated and the new ones inserted, the service's version is
 * bumped, and the audit row "replace_subscriptions" of the service has the set
 * before and after. *after: the set after (rows as store_subscription_json reads
 * them, by id; the caller's).
 */
struct store_subs_replace {
	const struct audit_actor *who;
	int64_t service_id, want_version;
	int (*check)(struct db *db, const struct store_service_locked *l, void *arg, struct problem *p);
	void *arg;
	struct store_sub_item *items;
	size_t nitems;
};

int store_subscriptions_replace(struct db *db, struct store_subs_replace *w, struct db_rows **after,
				struct problem *p) __attribute__((warn_unused_result));

/* School school_id's subscriptions changed at or after since: id, service_id,
 * updated_at, by id (the feed's tombstone candidates). */
int store_subscriptions_changed(struct db *db, int64_t school_id, const char *since, struct db_rows **rows,
				struct problem *p) __attribute__((warn_unused_result));

#endif
