/* store_monitoring.c - see store_monitoring.h */
#include "store_monitoring.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"

/* The rows' names by scalar subqueries: a FOR UPDATE locks the outturn's row alone, not its
 * school's or account's. */
#define OUTTURN_COLS \
	"(SELECT s.urn FROM schools s WHERE s.id = o.school_id) AS urn, " \
	"CONCAT(o.year, '-', LPAD((o.year + 1) % 100, 2, '0')) AS year, " \
	"(SELECT a.code FROM accounts a WHERE a.id = o.account_id) AS account_code, " \
	"o.amount_pence, o.note, o.updated_by, o.version, o.created_at, o.updated_at"
#define OUTTURN_KEY " FROM outturns o WHERE o.school_id = ? AND o.year = ? AND o.account_id = ?"

static const char outturn_get_sql[] = "SELECT " OUTTURN_COLS OUTTURN_KEY;
static const char outturn_lock_sql[] = "SELECT " OUTTURN_COLS OUTTURN_KEY " FOR UPDATE";
static const char outturn_insert_sql[] =
	"INSERT INTO outturns (amount_pence, note, updated_by, school_id, year, account_id) VALUES (?, ?, ?, ?, ?, ?)";
static const char outturn_update_sql[] =
	"UPDATE outturns SET amount_pence = ?, note = ?, updated_by = ?, version = version + 1, "
	"updated_at = UTC_TIMESTAMP(6) WHERE school_id = ? AND year = ? AND account_id = ? AND version = ?";
static const char outturn_delete_sql[] =
	"DELETE FROM outturns WHERE school_id = ? AND year = ? AND account_id = ? AND version = ?";

#define COMMENT_COLS \
	"(SELECT s.urn FROM schools s WHERE s.id = c.school_id) AS urn, " \
	"CONCAT(c.year + (c.month >= 5), '-', LPAD((c.month + 7) % 12 + 1, 2, '0')) AS month, " \
	"(SELECT a.code FROM accounts a WHERE a.id = c.account_id) AS account_code, " \
	"c.comment AS text, c.updated_by, c.version, c.created_at, c.updated_at"
#define COMMENT_KEY " FROM variance_comments c WHERE c.school_id = ? AND c.year = ? AND c.month = ? AND c.account_id = ?"

static const char comment_get_sql[] = "SELECT " COMMENT_COLS COMMENT_KEY;
static const char comment_lock_sql[] = "SELECT " COMMENT_COLS COMMENT_KEY " FOR UPDATE";
static const char comment_insert_sql[] =
	"INSERT INTO variance_comments (comment, updated_by, school_id, year, month, account_id) "
	"VALUES (?, ?, ?, ?, ?, ?)";
static const char comment_update_sql[] =
	"UPDATE variance_comments SET comment = ?, updated_by = ?, version = version + 1, "
	"updated_at = UTC_TIMESTAMP(6) WHERE school_id = ? AND year = ? AND month = ? AND account_id = ? "
	"AND version = ?";
static const char comment_delete_sql[] =
	"DELETE FROM variance_comments WHERE school_id = ? AND year = ? AND month = ? AND account_id = ? "
	"AND version = ?";

static const struct store_entity outturn_entity = {
	.name = "outturn", .key_name = "key", .get_sql = outturn_get_sql, .lock_sql = outturn_lock_sql,
};
static const struct store_entity comment_entity = {
	.name = "variance_comment", .key_name = "key", .get_sql = comment_get_sql, .lock_sql = comment_lock_sql,
};

/* A creation that found the row there: 428, the update needs If-Match. */
static int monitoring_exists(struct db *db, struct problem *p)
{
	if (db_errno(db) != DB_ER_DUP_ENTRY)
		return -1;
	problem_reset(p);
	return problem_set(p, 428, "precondition-required", "Precondition required",
			   "it exists: send If-Match with the ETag from your last read (its version)");
}

/*
 * The upsert both share: prm holds the row's values (nvals of them), then the key (nkey),
 * then the version an update compares.
 */
static int monitoring_put(struct db *db, const struct audit_actor *who, const struct store_entity *e,
			  const char *insert_sql, const char *update_sql, const char *what, const char *eid,
			  struct db_param *prm, size_t nvals, size_t nkey, int has_if_match, int64_t want_version,
			  cJSON **after, int *created, struct problem *p)
{
	struct store_key key = { &prm[nvals], nkey, eid };

	*after = NULL;
	*created = 0;
	if (has_if_match) {
		if (store_versioned_write(db, &(struct store_write){ .e = e, .key = key,
				.want_version = want_version, .action = "update", .what = what,
				.sql = update_sql, .params = prm, .nparams = nvals + nkey + 1, .who = who }, after, p) == 0)
			return 0;
		if (p->status != 404)
			return -1;
		problem_reset(p);
		return problem_set(p, 412, "precondition-failed", "Precondition failed",
				   "If-Match was given but there is none yet (create it without If-Match)");
	}
	*created = 1;
	return store_versioned_create(db, &(struct store_create){ .e = e, .sql = insert_sql, .params = prm,
			.nparams = nvals + nkey, .key = &key, .failed = monitoring_exists, .who = who },
			&(int64_t){ 0 }, after, p);
}

static int monitoring_delete(struct db *db, const struct audit_actor *who, const struct store_entity *e,
			     const char *sql, const char *what, const char *eid, struct db_param *prm, size_t nkey,
			     int64_t want_version, struct problem *p)
{
	cJSON *after = NULL;
	int rc;

	rc = store_versioned_write(db, &(struct store_write){ .e = e, .key = { prm, nkey, eid },
			.want_version = want_version, .action = "delete", .what = what, .is_delete = 1,
			.sql = sql, .params = prm, .nparams = nkey + 1, .who = who,
			.missing = "there is none" }, &after, p);
	cJSON_Delete(after);
	return rc;
}

static const char *monitoring_who(const struct audit_actor *who)
{
	return who->name != NULL ? who->name : "command line";
}

int store_outturn_put(struct db *db, const struct audit_actor *who, const struct store_monitoring_key *k,
		      int has_if_match, int64_t want_version, int64_t amount_pence, const char *note,
		      cJSON **after, int *created, struct problem *p)
{
	struct db_param prm[7] = {
		DBP_I64(amount_pence), DBP_STR(note), DBP_STR(monitoring_who(who)),
		DBP_I64(k->school_id), DBP_I64(k->year), DBP_I64(k->account_id), DBP_I64(want_version),
	};

	return monitoring_put(db, who, &outturn_entity, outturn_insert_sql, outturn_update_sql, "the outturn",
			      k->eid, prm, 3, 3, has_if_match, want_version, after, created, p);
}

int store_outturn_delete(struct db *db, const struct audit_actor *who, const struct store_monitoring_key *k,
			 int64_t want_version, struct problem *p)
{
	struct db_param prm[4] = {
		DBP_I64(k->school_id), DBP_I64(k->year), DBP_I64(k->account_id), DBP_I64(want_version),
	};

	return monitoring_delete(db, who, &outturn_entity, outturn_delete_sql, "the outturn", k->eid, prm, 3,
				 want_version, p);
}

int store_comment_put(struct db *db, const struct audit_actor *who, const struct store_monitoring_key *k,
		      int has_if_match, int64_t want_version, const char *text, cJSON **after, int *created,
		      struct problem *p)
{
	struct db_param prm[7] = {
		DBP_STR(text), DBP_STR(monitoring_who(who)),
		DBP_I64(k->school_id), DBP_I64(k->year), DBP_I64(k->month), DBP_I64(k->account_id),
		DBP_I64(want_version),
	};

	return monitoring_put(db, who, &comment_entity, comment_insert_sql, comment_update_sql, "the comment",
			      k->eid, prm, 2, 4, has_if_match, want_version, after, created, p);
}

int store_comment_delete(struct db *db, const struct audit_actor *who, const struct store_monitoring_key *k,
			 int64_t want_version, struct problem *p)
{
	struct db_param prm[5] = {
		DBP_I64(k->school_id), DBP_I64(k->year), DBP_I64(k->month), DBP_I64(k->account_id),
		DBP_I64(want_version),
	};

	return monitoring_delete(db, who, &comment_entity, comment_delete_sql, "the comment", k->eid, prm, 4,
				 want_version, p);
}

/* ---- reads ---- */

static const char outturns_year_sql[] =
	"SELECT s.urn AS _urn, a.code AS _code, o.amount_pence, o.note, o.version, o.updated_by, o.updated_at "
	"FROM outturns o JOIN schools s ON s.id = o.school_id JOIN accounts a ON a.id = o.account_id "
	"WHERE o.year = ? ORDER BY s.urn, a.code";
static const char comments_month_sql[] =
	"SELECT s.urn AS _urn, a.code AS _code, 0 AS _amount, c.comment AS text, c.version, c.updated_by, "
	"c.updated_at FROM variance_comments c JOIN schools s ON s.id = c.school_id "
	"JOIN accounts a ON a.id = c.account_id WHERE c.year = ? AND c.month = ? ORDER BY s.urn, a.code";

void store_monitoring_notes_free(struct store_monitoring_note *a, size_t n)
{
	for (size_t i = 0; a != NULL && i < n; i++)
		cJSON_Delete(a[i].image);
	free(a);
}

int store_monitoring_notes(struct db *db, int year, int month, struct store_monitoring_note **out, size_t *n,
			   struct problem *p)
{
	static const char *const names[] = { "_urn", "_code" };
	struct db_param prm[2] = { DBP_I64(year), DBP_I64(month) };
	struct db_rows *rows = NULL;
	struct store_monitoring_note *a = NULL;
	size_t ix[2];

	*out = NULL;
	*n = 0;
	if (db_query(db, month == 0 ? outturns_year_sql : comments_month_sql, prm, month == 0 ? 1 : 2, &rows, p) != 0)
		return -1;
	if (db_columns(rows, names, 2, ix, p) != 0)
		goto fail;
	if (rows->nrows > 0 && (a = calloc(rows->nrows, sizeof(*a))) == NULL)
		goto oom;
	for (size_t i = 0; i < rows->nrows; i++) {
		snprintf(a[i].urn, sizeof(a[i].urn), "%s", db_cell(rows, i, ix[0]));
		snprintf(a[i].code, sizeof(a[i].code), "%s", db_cell(rows, i, ix[1]));
		if (month == 0)
			a[i].amount = db_get_i64(rows, i, "amount_pence");
		if ((a[i].image = db_row_to_json(rows, i)) == NULL) {
			store_monitoring_notes_free(a, rows->nrows);
			goto oom;
		}
	}
	*out = a;
	*n = rows->nrows;
	db_rows_free(rows);
	return 0;
oom:
	problem_internal(p);
fail:
	db_rows_free(rows);
	return -1;
}

static const char reserves_sql[] =
	"SELECT s.urn, y.opening_reserves_pence FROM school_years y JOIN schools s ON s.id = y.school_id "
	"WHERE y.year = ? AND y.opening_reserves_pence IS NOT NULL ORDER BY s.urn";

int store_opening_reserves(struct db *db, int year, char (**urns)[8], int64_t **pence, size_t *n,
			   struct problem *p)
{
	static const char *const names[] = { "urn", "opening_reserves_pence" };
	struct db_param prm = DBP_I64(year);
	struct db_rows *rows = NULL;
	size_t ix[2], k;

	*urns = NULL;
	*pence = NULL;
	*n = 0;
	if (db_query(db, reserves_sql, &prm, 1, &rows, p) != 0)
		return -1;
	if (db_columns(rows, names, 2, ix, p) != 0) {
		db_rows_free(rows);
		return -1;
	}
	k = rows->nrows > 0 ? rows->nrows : 1;
	*urns = calloc(k, sizeof(**urns));
	*pence = calloc(k, sizeof(**pence));
	if (*urns == NULL || *pence == NULL) {
		free(*urns);
		free(*pence);
		*urns = NULL;
		*pence = NULL;
		db_rows_free(rows);
		problem_internal(p);
		return -1;
	}
	for (size_t i = 0; i < rows->nrows; i++) {
		snprintf((*urns)[i], sizeof((*urns)[i]), "%s", db_cell(rows, i, ix[0]));
		(*pence)[i] = db_cell_i64(rows, i, ix[1]);
	}
	*n = rows->nrows;
	db_rows_free(rows);
	return 0;
}
