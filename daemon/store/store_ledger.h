/*
 * store_ledger.h - the trust's finance system as bursar maps it (schema/017): its cost centres
 * (each one entity: a school by URN, or the central team) and its nominal codes (each one account
 * of the chart). List, read, create, update and delete, each write versioned and audited in the
 * caller's transaction (store.h); and the whole mapping at once for an actuals import.
 *
 * Representations: a cost centre {"code","urn","description","version","created_at","updated_at"},
 * a nominal code {"code","account_code","description","version","created_at","updated_at"}.
 * Codes are [A-Za-z0-9._/-]{1,20}, case-sensitive (the handler checks the form). Audit entities
 * "ledger_cost_centre" and "ledger_nominal", keyed by code.
 *
 * Thread: as db.h.
 */
#ifndef BURSAR_STORE_LEDGER_H
#define BURSAR_STORE_LEDGER_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "store.h"

enum ledger_kind { LEDGER_COST_CENTRE, LEDGER_NOMINAL };

#define LEDGER_CODE_MAX 20

/* A write: code, the target (a cost centre's URN or "central"; a nominal code's account code)
 * and description (NULL: ""). Borrowed. */
struct ledger_in {
	const char *code;
	const char *target;
	const char *description;
};

/* A page of the kind's codes (rows for api_reply_page), keyset-paged on (updated_at, id). */
int store_ledger_list(struct db *db, enum ledger_kind kind, const struct page *pg, struct db_rows **rows,
		      struct problem *p) __attribute__((warn_unused_result));

/* Every code of the kind, by code (for an export); *rows is the caller's. */
int store_ledger_all(struct db *db, enum ledger_kind kind, struct db_rows **rows, struct problem *p)
	__attribute__((warn_unused_result));

/* One code as JSON (the caller's) and its version; NULL with 404. */
cJSON *store_ledger_get(struct db *db, enum ledger_kind kind, const char *code, int64_t *version,
			struct problem *p);

/*
 * In a transaction. A target that does not exist is 422 naming the field ("/urn",
 * "/account_code"); a code the kind already has is 409 naming "/code". Update: 412 when
 * want_version is stale, 404 when there is no such code.
 */
int store_ledger_create(struct db *db, const struct audit_actor *who, enum ledger_kind kind,
			const struct ledger_in *in, cJSON **after, struct problem *p) __attribute__((warn_unused_result));
int store_ledger_update(struct db *db, const struct audit_actor *who, enum ledger_kind kind,
			const struct ledger_in *in, int64_t want_version, cJSON **after, struct problem *p)
	__attribute__((warn_unused_result));
int store_ledger_delete(struct db *db, const struct audit_actor *who, enum ledger_kind kind, const char *code,
			int64_t want_version, struct problem *p) __attribute__((warn_unused_result));

/* The whole mapping, for an import: code -> the entity (school id, URN) or the account (id,
 * code), each array sorted by code (strcmp: the database's binary collation). */
struct ledger_cc {
	char code[LEDGER_CODE_MAX + 1];
	uint32_t school_id;
	char urn[8];
};
struct ledger_nominal {
	char code[LEDGER_CODE_MAX + 1];
	uint32_t account_id;
	char account[9];
	int income;                   /* the account is an income account */
};
struct ledger_map {
	struct ledger_cc *cc;
	size_t ncc;
	struct ledger_nominal *nom;
	size_t nnom;
};
int store_ledger_map_load(struct db *db, struct ledger_map *m, struct problem *p) __attribute__((warn_unused_result));
void store_ledger_map_free(struct ledger_map *m);        /* NULL ok */
const struct ledger_cc *store_ledger_map_cc(const struct ledger_map *m, const char *code);
const struct ledger_nominal *store_ledger_map_nominal(const struct ledger_map *m, const char *code);

#endif
