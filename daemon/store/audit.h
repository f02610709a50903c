/*
 * audit.h - the audit trail: one row per write, in the same transaction as the
 * change, with who (token and role), what (action, entity, id), the request id,
 * and the before and after images as JSON.
 */
#ifndef BURSAR_AUDIT_H
#define BURSAR_AUDIT_H

#include <stdint.h>

#include <cjson/cJSON.h>

#include "problem.h"

struct db;
struct db_rows;

struct audit_actor {
	int64_t token_id;                        /* 0: a person or the command line */
	int64_t user_id;                         /* 0: not a person */
	const char *role;                        /* "finance_director", "cli", ... */
	const char *name;                        /* "Name (e-mail)", "token: label"; NULL: "command line" */
	const char *request_id;                  /* "" for the command line */
};

/* Write one audit row; before/after may be NULL (borrowed). Call inside db_txn. */
int audit_write(struct db *db, const struct audit_actor *who, const char *action,
		const char *entity, const char *entity_id, const cJSON *before, const cJSON *after,
		struct problem *p) __attribute__((warn_unused_result));

/* The same with the images already printed (JSON text, or NULL). */
int audit_write_text(struct db *db, const struct audit_actor *who, const char *action, const char *entity,
		     const char *entity_id, const char *before, const char *after, struct problem *p)
	__attribute__((warn_unused_result));

/* The highest audit_log id (0 when empty): every write moves it, so caches
 * revalidate against it. 0, or -1 with the problem set (503). */
int audit_last_id(struct db *db, uint64_t *id, struct problem *p) __attribute__((warn_unused_result));

/* What the audit trail may be filtered by; NULL / 0 / "" for no filter. Times
 * are in the database's form (ts_format_db). */
struct audit_filter {
	int64_t before_id;                       /* the cursor: ids below this one */
	const char *entity, *entity_id, *action;
	int64_t token_id, user_id;
	const char *since, *until;
	int limit;
};

/* Newest first: at most limit + 1 rows (one more tells there is a next page),
 * before_json/after_json parsed as JSON by db_row_to_json. */
int audit_list(struct db *db, const struct audit_filter *f, struct db_rows **rows, struct problem *p)
	__attribute__((warn_unused_result));

#endif
