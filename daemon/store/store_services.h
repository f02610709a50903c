/*
 * store_services.h - the shared services and their subscriptions as stored: the
 * service list and row (SVCYEAR_COLS, priced by api/svcyear.c), the lock every
 * write to a service or its subscriptions takes first, the version bump that
 * keeps one ETag over a service and its subscriptions, the checks a write needs
 * (account, contract, a school's basis data), and the subscription rows and
 * writes. Writes run in the caller's transaction, which audits them.
 *
 * Thread: as db.h.
 */
#ifndef BURSAR_STORE_SERVICES_H
#define BURSAR_STORE_SERVICES_H

#include <stdint.h>

#include "alloc.h"
#include "db.h"
#include "page.h"
#include "problem.h"

/* ---- services ---- */

/* A page of services (SVCYEAR_COLS, rows for store_list_next); tombstones only
 * for a sync (pg->has_since); funding, basis, category: a filter or NULL. */
int store_services_list(struct db *db, const struct page *pg, const char *funding, const char *basis,
			const char *category, struct db_rows **rows, struct problem *p) __attribute__((warn_unused_result));

/* Service id's row (SVCYEAR_COLS; none when there is no such service, deleted ones too). */
int store_service_row(struct db *db, int64_t id, struct db_rows **rows, struct problem *p)
	__attribute__((warn_unused_result));

/* 1 when service id exists and is not deleted, 0 when not, -1 with the problem set. */
int store_service_live(struct db *db, int64_t id, struct problem *p) __attribute__((warn_unused_result));

/* Service id's version, deleted or not; 404 when there is none. */
int store_service_version(struct db *db, int64_t id, int64_t *version, struct problem *p)
	__attribute__((warn_unused_result));

/* A live service, locked for a write. */
struct store_service_locked {
	int64_t id;
	int64_t version;
	enum alloc_basis basis;
	char name[208];
};

/* Lock service id (FOR UPDATE): 404 when there is none or it was deleted. */
int store_service_lock(struct db *db, int64_t id, struct store_service_locked *out, struct problem *p)
	__attribute__((warn_unused_result));

/* Bump the service's version and updated_at (every write to its subscriptions). */
int store_service_bump(struct db *db, int64_t id, struct problem *p) __attribute__((warn_unused_result));

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

/* Insert (*id 0: set to the new id) or update service *id at want_version (412
 * when it moved or went). A name another service has is 409. */
int store_service_save(struct db *db, const struct store_service_in *s, int64_t *id, int64_t want_version,
		       struct problem *p) __attribute__((warn_unused_result));

/* Make service id (at version) a tombstone that gives up its contract, and its
 * live subscriptions tombstones (*subs: how many). */
int store_service_delete(struct db *db, int64_t id, int64_t version, uint64_t *subs, struct problem *p)
	__attribute__((warn_unused_result));

/* ---- subscriptions ---- */

/* The columns of a subscription's rows (store_subscriptions_list, _get, _set). */
#define STORE_SUB_COLUMNS \
	"id, service_id, school, school_name, start_date, end_date, level, usage_units, fixed_share_bp, " \
	"deleted_at, version, created_at, updated_at, school_id"

/* A page of service_id's subscriptions (tombstones only for a sync); scoped:
 * only those of the token's schools; school_id > 0: that school's only. */
int store_subscriptions_list(struct db *db, const struct page *pg, int64_t service_id, int scoped, int64_t token_id,
			     int64_t school_id, struct db_rows **rows, struct problem *p)
	__attribute__((warn_unused_result));

/* Subscription sid of service id (no row when none; lock: FOR UPDATE). */
int store_subscription_get(struct db *db, int64_t id, int64_t sid, int lock, struct db_rows **rows,
			   struct problem *p) __attribute__((warn_unused_result));

/* Service id's live subscriptions, locked: id, school_id, urn, start_date,
 * end_date, level, usage_units, fixed_share_bp, by id. */
int store_subscriptions_live(struct db *db, int64_t id, struct db_rows **rows, struct problem *p)
	__attribute__((warn_unused_result));

/* Service id's live subscriptions (the columns above), by id. */
int store_subscriptions_set(struct db *db, int64_t id, struct db_rows **rows, struct problem *p)
	__attribute__((warn_unused_result));

/* A subscription as written: end and units/bp as the database has them (end
 * NULL: open; units, bp < 0: none). */
struct store_sub_in {
	int64_t school_id;
	const char *start, *end;                 /* "2026-09-01" */
	const char *level;
	int64_t units, bp;
};

/* Insert one for service_id (*sid 0: set to the new id) or update *sid at version
 * (412 when it moved or went). */
int store_subscription_save(struct db *db, int64_t service_id, const struct store_sub_in *s, int64_t *sid,
			    int64_t version, struct problem *p) __attribute__((warn_unused_result));

/* Make subscription sid a tombstone: at version (version < 0: whatever it is). */
int store_subscription_delete(struct db *db, int64_t sid, int64_t version, struct problem *p)
	__attribute__((warn_unused_result));

/* Subscription sid's version. */
int store_subscription_version(struct db *db, int64_t sid, int64_t *version, struct problem *p)
	__attribute__((warn_unused_result));

/* School school_id's subscriptions changed at or after since: id, service_id,
 * updated_at, by id (the feed's tombstone candidates). */
int store_subscriptions_changed(struct db *db, int64_t school_id, const char *since, struct db_rows **rows,
				struct problem *p) __attribute__((warn_unused_result));

#endif
