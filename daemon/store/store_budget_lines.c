/* store_budget_lines.c - see store_budget_lines.h */
#include "store_budget_lines.h"

#include <stdio.h>
#include <stdlib.h>

#include "log.h"

#define LINE_INS "INSERT INTO budget_lines (id, budget_id, line_no, account_id, description, " \
	"amount_pence, driver, excluded_from_central, profile, profile_weights) "

/* ---- one line at a time: a child's write (store.h) ---- */

/* The budget as a line write sees it: its id, version and status, locked. */
static const char budget_get_sql[] = "SELECT id, version, status FROM budgets WHERE school_id = ? AND year = ?";
static const char budget_lock_sql[] =
	"SELECT id, version, status FROM budgets WHERE school_id = ? AND year = ? FOR UPDATE";
static const struct store_entity budget_entity = {
	.name = "budget", .key_name = "URN and year", .get_sql = budget_get_sql, .lock_sql = budget_lock_sql,
};
static const char budget_bump_sql[] =
	"UPDATE budgets SET version = version + 1, updated_at = UTC_TIMESTAMP(6) "
	"WHERE school_id = ? AND year = ? AND version = ?";

static const char line_one_sql[] =
	"SELECT l.id, a.code AS account_code, a.kind, l.description, l.amount_pence, l.driver, "
	"l.excluded_from_central, l.computed, l.explanation, l.profile, l.profile_weights AS _weights "
	"FROM budget_lines l "
	"JOIN accounts a ON a.id = l.account_id WHERE l.id = ? AND l.budget_id = ?";
static const char line_lock_sql[] = "SELECT id FROM budget_lines WHERE id = ? AND budget_id = ? FOR UPDATE";
static const char line_next_sql[] =
	"SELECT COUNT(*) AS n, COALESCE(MAX(line_no), 0) + 1 AS next FROM budget_lines WHERE budget_id = ?";
static const char line_insert_sql[] = LINE_INS "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
static const char line_update_sql[] =
	"UPDATE budget_lines SET account_id = ?, description = ?, amount_pence = ?, driver = ?, "
	"excluded_from_central = ?, profile = ?, profile_weights = ?, version = version + 1, "
	"updated_at = UTC_TIMESTAMP(6) "
	"WHERE id = ? AND budget_id = ?";
static const char line_delete_sql[] = "DELETE FROM budget_lines WHERE id = ? AND budget_id = ?";

enum line_verb { LINE_CREATE, LINE_UPDATE, LINE_DELETE };

struct line_op {
	enum line_verb verb;
	const struct store_budget_ref *ref;
	const struct budget_line *l;             /* create, update */
	int64_t want, bid, line_id;
	int64_t line_no;                         /* create */
	cJSON *before, *after;                   /* the line's images */
	char wtext[PROFILE_WEIGHTS_TEXT_MAX];    /* create, update: its own weights as text ("": none) */
};

/* Weights text as the array of twelve, or null. */
static cJSON *line_weights(const char *text)
{
	int32_t w[PROFILE_MONTHS];
	int v[PROFILE_MONTHS];

	if (profile_weights_parse(text, w) != 0)
		return cJSON_CreateNull();
	for (int i = 0; i < PROFILE_MONTHS; i++)
		v[i] = (int)w[i];
	return cJSON_CreateIntArray(v, PROFILE_MONTHS);
}

/* The line as JSON, with the budget's version and its profile_bp. */
static cJSON *line_json(struct db *db, int64_t bid, int64_t id, int64_t version, struct problem *p)
{
	struct db_param prm[2] = { DBP_I64(id), DBP_I64(bid) };
	struct db_rows *rows = NULL;
	cJSON *o = NULL;

	if (db_query(db, line_one_sql, prm, 2, &rows, p) != 0)
		return NULL;
	if (rows->nrows != 1) {
		problem_not_found(p, "no line %lld in this budget", (long long)id);
	} else if ((o = db_row_to_json(rows, 0)) == NULL ||
		   cJSON_AddNumberToObject(o, "budget_version", version) == NULL ||
		   !cJSON_AddItemToObject(o, "profile_bp", line_weights(db_get(rows, 0, "_weights")))) {
		cJSON_Delete(o);
		o = NULL;
		problem_internal(p);
	}
	db_rows_free(rows);
	return o;
}

/* A draft; the line there (update, delete: its before-image) or room for one (create). */
static int line_check(struct db *db, const cJSON *before, void *arg, struct problem *p)
{
	struct line_op *op = arg;
	struct db_param prm[2];
	struct db_rows *rows = NULL;
	const cJSON *status = cJSON_GetObjectItemCaseSensitive(before, "status");
	int rc = -1;

	op->bid = (int64_t)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(before, "id"));
	if (store_budget_writable(op->ref, cJSON_GetStringValue(status), p) != 0)
		return -1;
	prm[1] = DBP_I64(op->bid);
	if (op->verb == LINE_CREATE) {
		prm[0] = DBP_I64(op->bid);
		if (db_query(db, line_next_sql, prm, 1, &rows, p) != 0)
			return -1;
		if (db_get_i64(rows, 0, "n") >= BUDGET_MAX_LINES)
			problem_conflict(p, "the budget has %d lines, the most it can have", BUDGET_MAX_LINES);
		else if ((op->line_no = db_get_i64(rows, 0, "next")) > 0)
			rc = 0;
		else
			problem_internal(p);
		db_rows_free(rows);
		return rc;
	}
	prm[0] = DBP_I64(op->line_id);
	if (db_query(db, line_lock_sql, prm, 2, &rows, p) != 0)
		return -1;
	if (rows->nrows == 0)
		problem_not_found(p, "no line %lld in the budget for %s in %s", (long long)op->line_id,
				  op->ref->urn, op->ref->year_s);
	else if ((op->before = line_json(db, op->bid, op->line_id, op->want, p)) != NULL)
		rc = 0;
	db_rows_free(rows);
	return rc;
}

/* The line's columns as written: account, description, amount, driver, excluded, profile,
 * profile_weights (wtext). */
static void line_values(struct db_param *prm, const struct budget_line *l, const char *wtext)
{
	prm[0] = DBP_I64(l->account->id);
	prm[1] = DBP_STR(l->description);
	prm[2] = DBP_I64(l->amount_pence);
	prm[3] = l->driver[0] != '\0' ? DBP_STR(l->driver) : DBP_NULL;
	prm[4] = DBP_I64(l->excluded_from_central ? 1 : 0);
	prm[5] = l->profile[0] != '\0' ? DBP_STR(l->profile) : DBP_NULL;
	prm[6] = wtext[0] != '\0' ? DBP_STR(wtext) : DBP_NULL;
}

/* The line's statement, then its after-image at the budget's new version. */
static int line_then(struct db *db, void *arg, struct problem *p)
{
	struct line_op *op = arg;
	struct db_param prm[10];
	uint64_t newid = 0;

	if (op->verb == LINE_CREATE) {
		prm[0] = op->l->id != 0 ? DBP_I64(op->l->id) : DBP_NULL;
		prm[1] = DBP_I64(op->bid);
		prm[2] = DBP_I64(op->line_no);
		line_values(&prm[3], op->l, op->wtext);
		if (db_exec(db, line_insert_sql, prm, 10, NULL, &newid, p) != 0)
			return -1;
		op->line_id = (int64_t)newid;
	} else if (op->verb == LINE_UPDATE) {
		line_values(prm, op->l, op->wtext);
		prm[7] = DBP_I64(op->line_id);
		prm[8] = DBP_I64(op->bid);
		if (db_exec(db, line_update_sql, prm, 9, NULL, NULL, p) != 0)
			return -1;
	} else {
		prm[0] = DBP_I64(op->line_id);
		prm[1] = DBP_I64(op->bid);
		return db_exec(db, line_delete_sql, prm, 2, NULL, NULL, p);
	}
	return (op->after = line_json(db, op->bid, op->line_id, op->want + 1, p)) != NULL ? 0 : -1;
}

static int line_write(struct db *db, const struct audit_actor *who, struct line_op *op, cJSON **after,
		      struct problem *p)
{
	static const char *const actions[] = { "line_create", "line_update", "line_delete" };
	struct db_param prm[3] = { DBP_I64(op->ref->sid), DBP_I64(op->ref->year), DBP_I64(op->want) };
	char what[64], missing[96];
	cJSON *none = NULL;
	int rc;

	if (op->l != NULL && op->l->has_weights)
		profile_weights_format(op->l->weights, op->wtext, sizeof(op->wtext));

	snprintf(missing, sizeof(missing), "no budget for %s in %s: PUT one first", op->ref->urn, op->ref->year_s);
	rc = store_versioned_write(db, &(struct store_write){ .e = &budget_entity,
			.key = { prm, 2, op->ref->eid }, .want_version = op->want, .action = actions[op->verb],
			.sql = budget_bump_sql, .params = prm, .nparams = 3, .check = line_check, .then = line_then,
			.arg = op, .who = who, .what = store_budget_what(op->ref, what, sizeof(what)), .missing = missing,
			.child_before = &op->before, .child_after = &op->after }, &none, p);
	cJSON_Delete(none);
	cJSON_Delete(op->before);
	if (rc == 0 && after != NULL)
		*after = op->after;
	else
		cJSON_Delete(op->after);
	return rc;
}

int store_budget_line_create(struct db *db, const struct audit_actor *who, const struct store_budget_ref *ref,
			     int64_t want, const struct budget_line *l, cJSON **after, struct problem *p)
{
	struct line_op op = { .verb = LINE_CREATE, .ref = ref, .l = l, .want = want };

	*after = NULL;
	return line_write(db, who, &op, after, p);
}

int store_budget_line_update(struct db *db, const struct audit_actor *who, const struct store_budget_ref *ref,
			     int64_t want, int64_t line_id, const struct budget_line *l, cJSON **after,
			     struct problem *p)
{
	struct line_op op = { .verb = LINE_UPDATE, .ref = ref, .l = l, .want = want, .line_id = line_id };

	*after = NULL;
	return line_write(db, who, &op, after, p);
}

int store_budget_line_delete(struct db *db, const struct audit_actor *who, const struct store_budget_ref *ref,
			     int64_t want, int64_t line_id, struct problem *p)
{
	struct line_op op = { .verb = LINE_DELETE, .ref = ref, .want = want, .line_id = line_id };

	return line_write(db, who, &op, NULL, p);
}
