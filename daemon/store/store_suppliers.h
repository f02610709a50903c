/*
 * store_suppliers.h - the suppliers of the contract register: list, read, create,
 * update and delete, each write audited in the caller's transaction (store.h).
 */
#ifndef BURSAR_STORE_SUPPLIERS_H
#define BURSAR_STORE_SUPPLIERS_H

#include <stdint.h>

#include <cjson/cJSON.h>

#include "store.h"

/* A validated supplier as written. Strings are borrowed; NULL writes SQL NULL
 * (the two numbers) or "" (the contact fields). */
struct supplier_in {
	const char *name;
	const char *companies_house_number;
	const char *vat_number;
	const char *contact_name;
	const char *contact_email;
	const char *contact_phone;
	int related_party;
};

/* A page of suppliers (rows for api_reply_page); q: part of the name, or NULL;
 * related: 0, 1, or -1 for either. */
int store_suppliers_list(struct db *db, const struct page *pg, const char *q, int related,
			 struct db_rows **rows, struct problem *p) __attribute__((warn_unused_result));

/* One supplier as JSON (the caller's) and its version; NULL with 404. */
cJSON *store_supplier_get(struct db *db, int64_t id, int64_t *version, struct problem *p);

/* In a transaction. A Companies House number another supplier has is 409. */
int store_supplier_create(struct db *db, const struct audit_actor *who, const struct supplier_in *s,
			  int64_t *id, cJSON **after, struct problem *p) __attribute__((warn_unused_result));
int store_supplier_update(struct db *db, const struct audit_actor *who, int64_t id, int64_t want_version,
			  const struct supplier_in *s, cJSON **after, struct problem *p)
	__attribute__((warn_unused_result));
/* 409 while contracts name the supplier (the first ten are listed). */
int store_supplier_delete(struct db *db, const struct audit_actor *who, int64_t id, int64_t want_version,
			  struct problem *p) __attribute__((warn_unused_result));

#endif
