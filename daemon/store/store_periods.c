/* store_periods.c - see store_periods.h */
#include "store_periods.h"

#include <stdio.h>
#include <string.h>

#include "acmonth.h"

#define PERIOD_COLS "year, CAST(month AS UNSIGNED) AS month, closed, closed_at, closed_by, reopen_reason, version"

static const char period_get_sql[] = "SELECT " PERIOD_COLS " FROM periods WHERE year = ? AND month = ?";
static const char period_lock_sql[] = "SELECT " PERIOD_COLS " FROM periods WHERE year = ? AND month = ? FOR UPDATE";
static const char periods_year_sql[] = "SELECT " PERIOD_COLS " FROM periods WHERE year = ? ORDER BY month";

/* Row i as the period's JSON: month as "YYYY-MM" (selected as an integer: a TINYINT reads as a
 * boolean), closed a boolean. */
static cJSON *period_json(const struct db_rows *rows, size_t i)
{
	cJSON *o = db_row_to_json(rows, i), *y, *m;
	char ms[8];

	if (o == NULL)
		return NULL;
	y = cJSON_DetachItemFromObjectCaseSensitive(o, "year");
	m = cJSON_GetObjectItemCaseSensitive(o, "month");
	if (!cJSON_IsNumber(y) || !cJSON_IsNumber(m)) {
		cJSON_Delete(y);
		cJSON_Delete(o);
		return NULL;
	}
	acmonth_format((int)cJSON_GetNumberValue(y), (int)cJSON_GetNumberValue(m), ms, sizeof(ms));
	cJSON_Delete(y);
	if (!cJSON_ReplaceItemInObjectCaseSensitive(o, "month", cJSON_CreateString(ms))) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

static const struct store_entity period_entity = {
	.name = "period", .key_name = "month", .get_sql = period_get_sql, .lock_sql = period_lock_sql,
	.row = period_json,
};

/* An unrecorded month: open, version 0. */
static cJSON *period_open_json(int year, int month)
{
	cJSON *o = cJSON_CreateObject();
	char ms[8];

	acmonth_format(year, month, ms, sizeof(ms));
	if (o == NULL || cJSON_AddStringToObject(o, "month", ms) == NULL || cJSON_AddFalseToObject(o, "closed") == NULL ||
	    cJSON_AddNullToObject(o, "closed_at") == NULL || cJSON_AddNullToObject(o, "closed_by") == NULL ||
	    cJSON_AddNullToObject(o, "reopen_reason") == NULL || cJSON_AddNumberToObject(o, "version", 0) == NULL) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

cJSON *store_periods_year(struct db *db, int year, struct problem *p)
{
	struct db_param prm = DBP_I64(year);
	struct db_rows *rows = NULL;
	cJSON *items;
	size_t k = 0;

	if (db_query(db, periods_year_sql, &prm, 1, &rows, p) != 0)
		return NULL;
	if ((items = cJSON_CreateArray()) == NULL)
		goto oom;
	for (int m = 1; m <= 12; m++) {
		cJSON *o;

		while (k < rows->nrows && db_get_i64(rows, k, "month") < m)
			k++;
		o = k < rows->nrows && db_get_i64(rows, k, "month") == m ? period_json(rows, k) : period_open_json(year, m);
		if (o == NULL || !cJSON_AddItemToArray(items, o)) {
			cJSON_Delete(o);
			goto oom;
		}
	}
	db_rows_free(rows);
	return items;
oom:
	cJSON_Delete(items);
	db_rows_free(rows);
	problem_internal(p);
	return NULL;
}

static const char period_insert_sql[] =
	"INSERT INTO periods (year, month, closed, closed_at, closed_by) VALUES (?, ?, 1, UTC_TIMESTAMP(6), ?)";
static const char period_close_sql[] =
	"UPDATE periods SET closed = 1, closed_at = UTC_TIMESTAMP(6), closed_by = ?, version = version + 1,"
	" updated_at = UTC_TIMESTAMP(6) WHERE year = ? AND month = ? AND version = ?";
static const char period_reopen_sql[] =
	"UPDATE periods SET closed = 0, closed_at = NULL, closed_by = NULL, reopen_reason = ?, version = version + 1,"
	" updated_at = UTC_TIMESTAMP(6) WHERE year = ? AND month = ? AND version = ?";

struct period_state {
	int want_closed;                         /* the state the change needs */
	const char *month;                       /* "2026-11" */
};

/* 409 unless the period is in the state the change needs. */
static int period_check(struct db *db, const cJSON *before, void *arg, struct problem *p)
{
	const struct period_state *st = arg;
	int closed = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(before, "closed"));

	(void)db;
	if (closed != st->want_closed)
		return problem_conflict(p, "%s is already %s", st->month, closed ? "closed" : "open");
	return 0;
}

/* Two closes of an unrecorded month at once: the second's INSERT meets the first's row. */
static int period_insert_failed(struct db *db, struct problem *p)
{
	if (db_errno(db) == DB_ER_DUP_ENTRY)
		problem_conflict(p, "the month was closed at the same time by someone else");
	return -1;
}

/* The period's row exists (1), or not (0); -1 on failure. Locks it (or the gap) when it does. */
static int period_exists(struct db *db, const struct db_param *key, struct problem *p)
{
	struct db_rows *rows = NULL;
	int n;

	if (db_query(db, period_lock_sql, key, 2, &rows, p) != 0)
		return -1;
	n = rows->nrows > 0;
	db_rows_free(rows);
	return n;
}

int store_period_close(struct db *db, const struct audit_actor *who, int year, int month, cJSON **after,
		       struct problem *p)
{
	const char *by = who->name != NULL ? who->name : "command line";
	struct db_param key[2] = { DBP_I64(year), DBP_I64(month) };
	struct db_param prm[4] = { DBP_STR(by), DBP_I64(year), DBP_I64(month), DBP_I64(0) };
	struct period_state st = { 0, NULL };
	char ms[8];
	int64_t id;
	int e;

	*after = NULL;
	acmonth_format(year, month, ms, sizeof(ms));
	st.month = ms;
	if ((e = period_exists(db, key, p)) < 0)
		return -1;
	if (e == 0) {
		struct db_param ins[3] = { DBP_I64(year), DBP_I64(month), DBP_STR(by) };

		return store_versioned_create(db, &(struct store_create){ .e = &period_entity, .sql = period_insert_sql,
				.params = ins, .nparams = 3, .key = &(struct store_key){ key, 2, ms }, .who = who,
				.action = "close", .failed = period_insert_failed }, &id, after, p);
	}
	return store_versioned_write(db, &(struct store_write){ .e = &period_entity, .key = { key, 2, ms },
			.any_version = 1, .action = "close", .what = ms, .sql = period_close_sql, .params = prm,
			.nparams = 4, .check = period_check, .arg = &st, .who = who }, after, p);
}

int store_period_reopen(struct db *db, const struct audit_actor *who, int year, int month, const char *reason,
			cJSON **after, struct problem *p)
{
	struct db_param key[2] = { DBP_I64(year), DBP_I64(month) };
	struct db_param prm[4] = { DBP_STR(reason), DBP_I64(year), DBP_I64(month), DBP_I64(0) };
	struct period_state st = { 1, NULL };
	char ms[8];
	int e;

	*after = NULL;
	acmonth_format(year, month, ms, sizeof(ms));
	st.month = ms;
	if ((e = period_exists(db, key, p)) < 0)
		return -1;
	if (e == 0)
		return problem_conflict(p, "%s is already open", ms);
	return store_versioned_write(db, &(struct store_write){ .e = &period_entity, .key = { key, 2, ms },
			.any_version = 1, .action = "reopen", .what = ms, .sql = period_reopen_sql, .params = prm,
			.nparams = 4, .check = period_check, .arg = &st, .who = who }, after, p);
}
