/*
 * store_accounts.h - the chart of accounts (CFR codes and the trust's internal
 * codes): read-only through the API.
 */
#ifndef BURSAR_STORE_ACCOUNTS_H
#define BURSAR_STORE_ACCOUNTS_H

#include "store.h"

/* A page of accounts; kind "income", "expenditure" or NULL for both. */
int store_accounts_list(struct db *db, const struct page *pg, const char *kind, struct db_rows **rows,
			struct problem *p) __attribute__((warn_unused_result));

#endif
