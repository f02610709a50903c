/*
 * store.h - what every store_<aggregate>.c shares: reading one versioned row as
 * JSON, and the versioned write, written once.
 *
 * An aggregate is described by a struct store_entity: its name (the audit log's
 * entity, and the word in messages), how its key reads in messages ("id", "URN"),
 * and two constant queries that return its representation's columns for one key
 * (one row or none), one of them with FOR UPDATE. The row must have a column
 * `version`; the image is db_row_to_json of the row unless render says otherwise.
 *
 * Thread: as db.h (a struct db belongs to one thread). Functions run inside the
 * caller's db_txn where they write.
 */
#ifndef BURSAR_STORE_H
#define BURSAR_STORE_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "audit.h"
#include "db.h"
#include "page.h"
#include "problem.h"

struct store_entity {
	const char *name;                        /* "supplier": audit entity and messages */
	const char *key_name;                    /* "id", "URN": "no supplier with id 12" */
	const char *get_sql;                     /* one row by key: the representation */
	const char *lock_sql;                    /* the same, ... FOR UPDATE */
	/* optional: the image from row 0 of rows (default: row's, a 500 when it returns NULL) */
	cJSON *(*render)(const struct db_rows *rows, void *arg, struct problem *p);
	/* optional, without render: the image from row i (default db_row_to_json) */
	cJSON *(*row)(const struct db_rows *rows, size_t i);
	/* optional: the entity's unique key, for a write that would duplicate it (409):
	 * the field it names, that field's message, and the detail (NULL: db.c's) */
	const char *unique_field, *unique_message, *unique_detail;
};

/* The key bound to get_sql / lock_sql, and how it reads in the audit log and messages. */
struct store_key {
	const struct db_param *params;
	size_t nparams;
	const char *text;                        /* "12", "143201" */
};

/*
 * Load one row by key: its image (the caller's: cJSON_Delete) and version.
 * NULL with 404 when there is none, or with the database's problem.
 * lock: use lock_sql (inside a transaction).
 */
cJSON *store_load(struct db *db, const struct store_entity *e, const struct store_key *k, int lock,
		  void *render_arg, int64_t *version, struct problem *p);

/*
 * A versioned change. sql is the UPDATE or DELETE; its parameters end with the
 * key and the expected version (`... WHERE id = ? AND version = ?`), and an UPDATE
 * sets `version = version + 1`. Inside the caller's transaction, in this order:
 *   1. lock the before-image (404 when none) and compare its version with
 *      want_version (412 naming both; not with any_version);
 *   2. check (optional): refuse the change on the before-image (409, 422 ...);
 *   3. run sql (failed, when given, says what its failure means): a change of
 *      no row is 412 (someone changed it in between);
 *   4. then (optional): the aggregate's other statements (children, touches);
 *   5. reload the after-image (not for a delete), amend (optional) the images,
 *      and write the audit row with both, naming who (for a child's write, the
 *      child's images).
 * 0 with *after set (NULL for a delete; the caller's), or -1 with the problem set.
 */
struct store_write {
	const struct store_entity *e;
	struct store_key key;
	int64_t want_version;                    /* If-Match */
	/* optional: no If-Match, so any version will do: the one locked is expected,
	 * and it replaces the last of params (the version the sql compares) */
	int any_version;
	const char *action;                      /* "update", "delete", "submit" ... */
	const char *what;                        /* how 412s name it; NULL: "<name> <key>" */
	const char *doing;                       /* optional: "moved" in the 412 (default updated/deleted) */
	int is_delete;
	const char *sql;
	const struct db_param *params;
	size_t nparams;
	/*
	 * optional: runs first of all, before the before-image is locked: takes locks
	 * in a fixed order (a parent's row before its child's, the order every write
	 * to the parent takes too, so no new deadlock), or locks the entity's own row
	 * when lock_sql joins rows it must not lock (lock_sql may then be get_sql).
	 */
	int (*first)(struct db *db, void *arg, struct problem *p);
	int (*check)(struct db *db, const cJSON *before, void *arg, struct problem *p);
	int (*then)(struct db *db, void *arg, struct problem *p);
	/*
	 * optional: adds to the images the audit row takes (after is NULL for a
	 * delete; in child mode they are the child's), just before it is written:
	 * what the write did besides (e.g. how many children went with a delete).
	 * The after-image the caller gets is the amended one.
	 */
	int (*amend)(struct db *db, cJSON *before, cJSON *after, void *arg, struct problem *p);
	/* optional: what a failure of sql means (db_errno: a duplicate key is 409) */
	int (*failed)(struct db *db, struct problem *p);
	void *arg;                               /* for first, check, then, amend and the entity's render */
	const struct audit_actor *who;
	/* optional: the 404's detail (default "no <name> with <key_name> <key text>") */
	const char *missing;
	/*
	 * optional: a write to a child of the entity (a line of a budget: the entity's
	 * version covers its children). sql then bumps the entity's version; check and
	 * then write the child and leave its images here (either may stay NULL; they are
	 * the caller's to free). The audit row takes these instead of the entity's
	 * images, and the entity's after-image is not reloaded (*after stays NULL).
	 */
	cJSON **child_before, **child_after;
};

int store_versioned_write(struct db *db, const struct store_write *w, cJSON **after, struct problem *p)
	__attribute__((warn_unused_result));

/*
 * A creation: run sql (an INSERT), reload the new row by the key then_key gives
 * (for AUTO_INCREMENT ids: the insert id as text and parameter), audit "create".
 * then (optional) runs after the INSERT and before the reload (children).
 * 0 with *id (the insert id, 0 when none) and *after set, or -1.
 */
struct store_create {
	const struct store_entity *e;
	const char *sql;
	const struct db_param *params;
	size_t nparams;
	/* NULL: the key is the insert id; a composite key's params and text may be
	 * filled in by then, which is given the insert id */
	const struct store_key *key;
	int (*then)(struct db *db, int64_t id, void *arg, struct problem *p);
	int (*failed)(struct db *db, struct problem *p);   /* optional, as in store_write */
	void *arg;
	const struct audit_actor *who;
	/* optional: the audit row's action (default "create") and before-image (default
	 * none): a creation from something else says what ("create_from", the source) */
	const char *action;
	const cJSON *before;
};

int store_versioned_create(struct db *db, const struct store_create *c, int64_t *id, cJSON **after,
			   struct problem *p) __attribute__((warn_unused_result));

/*
 * A page of a list, keyset-paged on (updated_at, id). sql takes the six keyset
 * parameters first (STORE_KEYSET_WHERE, filled here), then extra, then LIMIT ?
 * (limit + 1, filled here: one row more than shown tells there is a next page),
 * and selects `updated_at` and `id` (or `_id`). *rows is the caller's.
 */
int store_list(struct db *db, const char *sql, const struct page *pg, const struct db_param *extra,
	       size_t nextra, struct db_rows **rows, struct problem *p) __attribute__((warn_unused_result));

/* Whose request: a token's (user_id 0), or a person's signed in without one (token_id 0). */
struct store_owner {
	int64_t token_id;
	int64_t user_id;
};

/*
 * The schools a list is limited to: every school (scoped 0), or those of who's
 * token (api_token_schools) or person (user_schools). STORE_SCOPE_SCHOOLS is the
 * subquery, its two parameters who's ids (STORE_SCOPE_PARAMS).
 */
struct store_scope {
	int scoped;
	struct store_owner who;
};
#define STORE_SCOPE_SCHOOLS \
	"(SELECT school_id FROM api_token_schools WHERE token_id = ?" \
	" UNION ALL SELECT school_id FROM user_schools WHERE user_id = ?)"
#define STORE_SCOPE_PARAMS(s) DBP_I64((s)->who.token_id), DBP_I64((s)->who.user_id)

/* The keyset condition store_list fills, on table alias t. */
#define STORE_KEYSET_WHERE(t) \
	"(? IS NULL OR " t ".updated_at >= ?) AND (? IS NULL OR " t ".updated_at > ? OR (" \
	t ".updated_at = ? AND " t ".id > ?))"

/*
 * Of rows from store_list: how many to show (*shown) and the cursor of the next
 * page in cursor (len >= 48), or "" when this is the last page.
 */
void store_list_next(const struct db_rows *rows, const struct page *pg, size_t *shown, char *cursor, size_t len);

/* Every row of rows as row(rows, i) makes it, in a JSON array; NULL when row returned NULL or out
 * of memory (the caller's problem to set). */
cJSON *store_rows_json(const struct db_rows *rows, cJSON *(*row)(const struct db_rows *rows, size_t i));

/* The version of an image (its "version" member), 0 when it has none. */
int64_t store_image_version(const cJSON *image);

#endif
