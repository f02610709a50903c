/*
 * store_accounts.h - the chart of accounts (CFR codes and the trust's internal
 * codes): read through the API; of an account only its default profile and its BFR
 * line are written (issue 17), audited in the caller's transaction (entity
 * "account", id its code).
 */
#ifndef BURSAR_STORE_ACCOUNTS_H
#define BURSAR_STORE_ACCOUNTS_H

#include <stdint.h>

#include <cjson/cJSON.h>

#include "store.h"

/* A page of accounts; kind "income", "expenditure" or NULL for both. */
int store_accounts_list(struct db *db, const struct page *pg, const char *kind, struct db_rows **rows,
			struct problem *p) __attribute__((warn_unused_result));

/* One account's image (the list's fields; the caller's) and version; NULL with 404. */
cJSON *store_account_get(struct db *db, const char *code, int64_t *version, struct problem *p);

/* What a PUT changes: each field when set_* (NULL profile / bfr_line < 0: none). */
struct account_in {
	int set_profile, set_bfr;
	const char *default_profile;
	int64_t bfr_line;
};

/* code's default profile and BFR line at want_version (404, 412): an unknown profile or BFR line
 * is 422 at /default_profile or /bfr_line. */
int store_account_update(struct db *db, const struct audit_actor *who, const char *code, int64_t want_version,
			 const struct account_in *in, cJSON **after, struct problem *p)
	__attribute__((warn_unused_result));

#endif
