/* store_budgets.c - see store_budgets.h */
#include "store_budgets.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

/* ---- who, the chart, the census ---- */

static const char owner_sql[] = "SELECT kind, phase, finance_model FROM schools WHERE id = ?";

int store_budget_owner(struct db *db, struct store_budget_ref *ref, struct problem *p)
{
	struct db_param prm = DBP_I64(ref->sid);
	struct db_rows *rows = NULL;
	const char *model;
	int rc = -1;

	if (db_query(db, owner_sql, &prm, 1, &rows, p) != 0)
		return -1;
	if (rows->nrows != 1) {
		problem_not_found(p, "no school with URN %s", ref->urn);
		goto out;
	}
	ref->entity = budget_entity_of(db_get(rows, 0, "kind"), db_get(rows, 0, "phase"));
	model = db_get(rows, 0, "finance_model");
	snprintf(ref->model, sizeof(ref->model), "%s", model != NULL ? model : "");
	snprintf(ref->eid, sizeof(ref->eid), "%s/%s", ref->urn, ref->year_s);
	rc = 0;
out:
	db_rows_free(rows);
	return rc;
}

static const char chart_sql[] =
	"SELECT id, code, kind, grp, is_gag, is_internal, active FROM accounts ORDER BY id";

int store_budget_chart(struct db *db, struct budget_chart *c, struct problem *p)
{
	enum { C_ID, C_CODE, C_KIND, C_GRP, C_GAG, C_INTERNAL, C_ACTIVE, C__N };
	static const char *const names[C__N] = { "id", "code", "kind", "grp", "is_gag", "is_internal", "active" };
	struct db_rows *rows = NULL;
	size_t ix[C__N];

	c->n = 0;
	c->accounts = NULL;
	if (db_query(db, chart_sql, NULL, 0, &rows, p) != 0)
		return -1;
	if (db_columns(rows, names, C__N, ix, p) != 0 ||
	    (rows->nrows > 0 && (c->accounts = calloc(rows->nrows, sizeof(*c->accounts))) == NULL)) {
		db_rows_free(rows);
		return p->status != 0 ? -1 : problem_internal(p);
	}
	for (size_t i = 0; i < rows->nrows; i++) {
		struct budget_account *a = &c->accounts[i];
		const char *kind = db_cell(rows, i, ix[C_KIND]);

		a->id = db_cell_i64(rows, i, ix[C_ID]);
		snprintf(a->code, sizeof(a->code), "%s", db_cell(rows, i, ix[C_CODE]));
		a->kind = kind != NULL && strcmp(kind, "income") == 0 ? BUDGET_INCOME : BUDGET_EXPENDITURE;
		snprintf(a->group, sizeof(a->group), "%s", db_cell(rows, i, ix[C_GRP]));
		a->is_gag = db_cell_i64(rows, i, ix[C_GAG]) != 0;
		a->is_internal = db_cell_i64(rows, i, ix[C_INTERNAL]) != 0;
		a->active = db_cell_i64(rows, i, ix[C_ACTIVE]) != 0;
	}
	c->n = rows->nrows;
	db_rows_free(rows);
	return 0;
}

static const char names_sql[] = "SELECT id, name FROM accounts ORDER BY id";

char **store_budget_chart_names(struct db *db, const struct budget_chart *c, struct problem *p)
{
	static const char *const cols[2] = { "id", "name" };
	struct db_rows *rows = NULL;
	size_t ix[2];
	char **names = calloc(c->n + 1, sizeof(*names));

	if (names == NULL) {
		problem_internal(p);
		return NULL;
	}
	if (db_query(db, names_sql, NULL, 0, &rows, p) != 0 || db_columns(rows, cols, 2, ix, p) != 0)
		goto fail;
	for (size_t i = 0; i < rows->nrows; i++) {
		const struct budget_account *a = budget_chart_by_id(c, db_cell_i64(rows, i, ix[0]));
		const char *name = db_cell(rows, i, ix[1]);
		size_t k = a != NULL ? (size_t)(a - c->accounts) : c->n;

		if (k < c->n && names[k] == NULL && (names[k] = strdup(name != NULL ? name : "")) == NULL) {
			problem_internal(p);
			goto fail;
		}
	}
	db_rows_free(rows);
	return names;
fail:
	db_rows_free(rows);
	store_budget_chart_names_free(names, c->n);
	return NULL;
}

void store_budget_chart_names_free(char **names, size_t n)
{
	if (names == NULL)
		return;
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

static const char census_sql[] =
	"SELECT year, pupils, places FROM school_years WHERE school_id = ? AND year IN (?, ?)";

int store_budget_context(struct db *db, const struct store_budget_ref *ref, struct budget_context *ctx,
			 struct problem *p)
{
	static const char *const names[3] = { "year", "pupils", "places" };
	struct db_param prm[3] = { DBP_I64(ref->sid), DBP_I64(ref->year), DBP_I64(ref->year - 1) };
	struct db_rows *rows = NULL;
	size_t ix[3];

	*ctx = (struct budget_context){ .urn = ref->urn, .year = ref->year, .finance_model = ref->model };
	if (db_query(db, census_sql, prm, 3, &rows, p) != 0)
		return -1;
	if (db_columns(rows, names, 3, ix, p) != 0) {
		db_rows_free(rows);
		return -1;
	}
	for (size_t i = 0; i < rows->nrows; i++) {
		if (db_cell_i64(rows, i, ix[0]) == ref->year) {
			ctx->pupils = (int32_t)db_cell_i64(rows, i, ix[1]);
			ctx->places = (int32_t)db_cell_i64(rows, i, ix[2]);
		} else {
			ctx->funded_pupils = (int32_t)db_cell_i64(rows, i, ix[1]);
		}
	}
	db_rows_free(rows);
	return 0;
}

/* ---- reading ---- */

#define ACYEAR_SQL(c) "CONCAT(" c ", '-', LPAD((" c " + 1) % 100, 2, '0'))"
#define HEAD_COLS \
	"b.id AS _id, s.urn, " ACYEAR_SQL("b.year") " AS year, b.status, b.version, " \
	"b.board_minute_ref, b.return_reason, b.reopen_reason, b.submitted_at, b.approved_at, " \
	"b.created_at, b.updated_at, b.findings_json AS _findings_json, s.name AS _entity_name"

static const char head_sql[] =
	"SELECT " HEAD_COLS " FROM budgets b JOIN schools s ON s.id = b.school_id WHERE b.id = ?";
static const char head_find_sql[] =
	"SELECT " HEAD_COLS " FROM budgets b JOIN schools s ON s.id = b.school_id "
	"WHERE b.school_id = ? AND b.year = ?";

/* The representation's columns of a line. */
static const char lines_sql[] =
	"SELECT l.id, a.code AS account_code, a.kind, l.description, l.amount_pence, l.driver, "
	"l.excluded_from_central, l.computed, l.explanation, l.staff_pay_pence, l.staff_ni_pence, "
	"l.staff_pension_pence, l.staff_posts, l.staff_fte_h, l.profile, l.profile_weights, l.months_pence "
	"FROM budget_lines l "
	"JOIN accounts a ON a.id = l.account_id WHERE l.budget_id = ? ORDER BY l.computed, l.line_no, l.id";

/* The lines of a query (lines_sql's columns) as a struct budget. */
static int rows_to_budget(const struct db_rows *rows, struct budget *b, struct problem *p)
{
	enum { L_ID, L_CODE, L_DESC, L_AMOUNT, L_DRIVER, L_EXCL, L_COMPUTED, L_EXPL, L_SPAY, L_SNI, L_SPEN, L_SPOSTS,
	       L_SFTE, L_PROFILE, L_WEIGHTS, L_MONTHS, L__N };
	static const char *const names[L__N] = { "id", "account_code", "description", "amount_pence", "driver",
						 "excluded_from_central", "computed", "explanation", "staff_pay_pence",
						 "staff_ni_pence", "staff_pension_pence", "staff_posts", "staff_fte_h",
						 "profile", "profile_weights", "months_pence" };
	size_t ix[L__N];

	if (db_columns(rows, names, L__N, ix, p) != 0)
		return -1;
	for (size_t i = 0; i < rows->nrows; i++) {
		struct budget_line *l = (db_cell_i64(rows, i, ix[L_COMPUTED]) != 0 ? budget_add_computed_line :
					 budget_add_line)(b, db_cell(rows, i, ix[L_CODE]), db_cell(rows, i, ix[L_DESC]),
							  db_cell_i64(rows, i, ix[L_AMOUNT]));
		const char *driver = db_cell(rows, i, ix[L_DRIVER]);

		if (l == NULL)
			return problem_internal(p);
		l->id = db_cell_i64(rows, i, ix[L_ID]);
		if (driver != NULL)
			snprintf(l->driver, sizeof(l->driver), "%s", driver);
		l->excluded_from_central = db_cell_i64(rows, i, ix[L_EXCL]) != 0;
		l->computed = db_cell_i64(rows, i, ix[L_COMPUTED]) != 0;
		if (db_cell(rows, i, ix[L_EXPL]) != NULL && (l->explanation = strdup(db_cell(rows, i, ix[L_EXPL]))) == NULL)
			return problem_internal(p);
		if ((l->has_staff = db_cell(rows, i, ix[L_SPAY]) != NULL))      /* a frozen staff line */
			l->staff = (struct budget_line_staff){ db_cell_i64(rows, i, ix[L_SPAY]),
				db_cell_i64(rows, i, ix[L_SNI]), db_cell_i64(rows, i, ix[L_SPEN]),
				(int32_t)db_cell_i64(rows, i, ix[L_SPOSTS]), (int32_t)db_cell_i64(rows, i, ix[L_SFTE]) };
		if (db_cell(rows, i, ix[L_PROFILE]) != NULL)
			snprintf(l->profile, sizeof(l->profile), "%s", db_cell(rows, i, ix[L_PROFILE]));
		/* the API wrote them valid; text that is not is read as none (the account's default) */
		l->has_weights = profile_weights_parse(db_cell(rows, i, ix[L_WEIGHTS]), l->weights) == 0 &&
				 profile_weights_valid(l->weights);
		l->has_months = profile_months_parse(db_cell(rows, i, ix[L_MONTHS]), l->months) == 0;
	}
	return 0;
}

void store_budget_free(struct store_budget *x)
{
	db_rows_free(x->head);
	db_rows_free(x->lines);
	budget_clear(&x->b);
	memset(x, 0, sizeof(*x));
}

/* The header of budget id, or of ref's when id is 0: 1, 0 when none, -1. */
static int budget_read_head(struct db *db, const struct store_budget_ref *ref, int64_t id, struct store_budget *x,
			    struct problem *p)
{
	struct db_param prm[2] = { DBP_I64(ref->sid), DBP_I64(ref->year) };

	if (id != 0) {
		prm[0] = DBP_I64(id);
		if (db_query(db, head_sql, prm, 1, &x->head, p) != 0)
			return -1;
	} else if (db_query(db, head_find_sql, prm, 2, &x->head, p) != 0) {
		return -1;
	}
	if (x->head->nrows == 0)
		return 0;
	x->id = db_get_i64(x->head, 0, "_id");
	x->version = db_get_i64(x->head, 0, "version");
	return 1;
}

int store_budget_read(struct db *db, const struct store_budget_ref *ref, struct store_budget *x, struct problem *p)
{
	return budget_read_head(db, ref, 0, x, p);
}

int store_budget_read_lines(struct db *db, const struct store_budget_ref *ref, const struct budget_chart *chart,
			    struct store_budget *x, struct problem *p)
{
	struct db_param prm = DBP_I64(x->id);
	int rc;

	budget_init(&x->b, ref->entity, chart);
	if (db_query(db, lines_sql, &prm, 1, &x->lines, p) != 0)
		return -1;
	rc = rows_to_budget(x->lines, &x->b, p);
	db_rows_free(x->lines);                  /* the lines are in x->b now */
	x->lines = NULL;
	return rc;
}

/* Add v under the constant key k (not copied: a 20,000-line budget is 140,000 keys). */
static int line_add(cJSON *o, const char *k, cJSON *v)
{
	if (v == NULL || !cJSON_AddItemToObjectCS(o, k, v)) {
		cJSON_Delete(v);
		return -1;
	}
	return 0;
}

/* A line's own weights as an array, or null. */
static cJSON *line_weights_json(const struct budget_line *l)
{
	int w[PROFILE_MONTHS];

	if (!l->has_weights)
		return cJSON_CreateNull();
	for (int i = 0; i < PROFILE_MONTHS; i++)
		w[i] = (int)l->weights[i];
	return cJSON_CreateIntArray(w, PROFILE_MONTHS);
}

cJSON *store_budget_line_json(const struct budget_line *l, int64_t id)
{
	cJSON *o = cJSON_CreateObject();

	if (o == NULL || l->account == NULL ||
	    line_add(o, "id", id > 0 ? cJSON_CreateNumber((double)id) : cJSON_CreateNull()) != 0 ||
	    line_add(o, "account_code", cJSON_CreateString(l->account->code)) != 0 ||
	    line_add(o, "kind", cJSON_CreateStringReference(l->account->kind == BUDGET_INCOME ? "income" :
							     "expenditure")) != 0 ||
	    line_add(o, "description", cJSON_CreateString(l->description)) != 0 ||
	    line_add(o, "amount_pence", cJSON_CreateNumber((double)l->amount_pence)) != 0 ||
	    line_add(o, "driver", l->driver[0] != '\0' ? cJSON_CreateString(l->driver) : cJSON_CreateNull()) != 0 ||
	    line_add(o, "excluded_from_central", cJSON_CreateBool(l->excluded_from_central != 0)) != 0 ||
	    line_add(o, "computed", cJSON_CreateBool(l->computed != 0)) != 0 ||
	    line_add(o, "explanation", l->explanation != NULL ? cJSON_CreateString(l->explanation) :
							       cJSON_CreateNull()) != 0 ||
	    line_add(o, "profile", l->profile[0] != '\0' ? cJSON_CreateString(l->profile) : cJSON_CreateNull()) != 0 ||
	    line_add(o, "profile_bp", line_weights_json(l)) != 0) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

cJSON *store_budget_render(const struct db_rows *head, const struct budget *b, const int64_t *ids, int with_lines,
			   struct problem *p)
{
	struct budget_totals t;
	cJSON *o = db_row_to_json(head, 0), *v = NULL, *lines;
	const char *f = db_get(head, 0, "_findings_json");

	if (o == NULL)
		goto oom;
	if (budget_totals(b, &t) != 0) {
		log_err("budgets: totals overflow for budget %lld", (long long)db_get_i64(head, 0, "_id"));
		goto oom;
	}
	if ((v = budget_totals_json(&t)) == NULL || !cJSON_AddItemToObject(o, "totals", v))
		goto oom;
	if ((v = budget_groups_json(&t)) == NULL || !cJSON_AddItemToObject(o, "groups", v))
		goto oom;
	v = f != NULL ? cJSON_ParseWithLength(f, strlen(f)) : NULL;
	if (!cJSON_IsArray(v)) {
		cJSON_Delete(v);
		v = cJSON_CreateArray();
	}
	if (v == NULL || !cJSON_AddItemToObject(o, "findings", v))
		goto oom;
	v = NULL;
	if (with_lines) {
		if ((lines = cJSON_AddArrayToObject(o, "lines")) == NULL)
			goto oom;
		for (size_t i = 0; i < b->nlines; i++) {
			cJSON *l = store_budget_line_json(&b->lines[i], ids != NULL ? ids[i] : b->lines[i].id);

			if (l == NULL || !cJSON_AddItemToArray(lines, l)) {
				cJSON_Delete(l);
				goto oom;
			}
		}
	}
	return o;
oom:
	cJSON_Delete(v);
	cJSON_Delete(o);
	problem_internal(p);
	return NULL;
}

cJSON *store_budget_json(const struct store_budget *x, int with_lines, struct problem *p)
{
	return store_budget_render(x->head, &x->b, NULL, with_lines, p);
}

/* Budget id (ref's when 0) read whole and rendered; 404 naming what when none. */
static cJSON *budget_image(struct db *db, const struct store_budget_ref *ref, const struct budget_chart *chart,
			   int64_t id, int with_lines, int64_t *version, struct problem *p)
{
	struct store_budget x = { 0 };
	cJSON *o = NULL;
	int found = budget_read_head(db, ref, id, &x, p);

	if (found > 0 && store_budget_read_lines(db, ref, chart, &x, p) == 0) {
		*version = x.version;
		o = store_budget_json(&x, with_lines, p);
	} else if (found == 0) {
		problem_not_found(p, "budget %lld has gone", (long long)id);
	}
	store_budget_free(&x);
	return o;
}

cJSON *store_budget_get(struct db *db, const struct store_budget_ref *ref, const struct budget_chart *chart,
			int with_lines, int64_t *version, struct problem *p)
{
	return budget_image(db, ref, chart, 0, with_lines, version, p);
}

/* ---- the versioned budget ---- */

/*
 * The budget as store.c sees it: keyed by (school_id, year), locked on the budgets
 * row alone; its image is the representation (with or without the lines, as the
 * write says), rendered by budget_render from the row's id.
 */
static const char budget_get_sql[] =
	"SELECT id AS _id, version, status FROM budgets WHERE school_id = ? AND year = ?";
static const char budget_lock_sql[] =
	"SELECT id AS _id, version, status FROM budgets WHERE school_id = ? AND year = ? FOR UPDATE";
static const char lines_delete_sql[] = "DELETE FROM budget_lines WHERE budget_id = ?";

/* A write's state: what render, check and then share. */
struct budget_op {
	struct db *db;
	const struct store_budget_ref *ref;
	const struct budget_chart *chart;
	int with_lines;                          /* the images carry the lines */
	int64_t id;                              /* the budget's, once loaded */
	char status[12];
	/* transitions */
	enum budget_action action;
	unsigned role;
	store_budget_submit_fn submit;
	void *submit_arg;
	char *warnings;
	struct db_param *prm;                    /* the statement's; submit fills [0] */
	struct budget frozen;                    /* transitions: the lines with the computed ones to keep */
	cJSON *computed_before;                  /* transitions: the computed lines stored before */
};

static cJSON *budget_render(const struct db_rows *rows, void *arg, struct problem *p)
{
	struct budget_op *op = arg;
	const char *status = db_get(rows, 0, "status");
	int64_t version;

	op->id = db_get_i64(rows, 0, "_id");
	snprintf(op->status, sizeof(op->status), "%s", status != NULL ? status : "");
	return budget_image(op->db, op->ref, op->chart, op->id, op->with_lines, &version, p);
}

static const struct store_entity budget_entity = {
	.name = "budget", .key_name = "URN and year", .get_sql = budget_get_sql, .lock_sql = budget_lock_sql,
	.render = budget_render,
};

const char *store_budget_what(const struct store_budget_ref *ref, char *buf, size_t len)
{
	snprintf(buf, len, "the budget for %s in %s", ref->urn, ref->year_s);
	return buf;
}

int store_budget_writable(const struct store_budget_ref *ref, const char *status, struct problem *p)
{
	enum budget_status s;
	const char *why;

	if (budget_status_parse(status, &s) != 0) {
		log_err("budgets: %s has the status \"%s\"", ref->eid, status != NULL ? status : "(null)");
		return problem_internal(p);
	}
	if ((why = budget_flow_locked(s)) != NULL)
		return problem_conflict(p, "the budget for %s in %s %s", ref->urn, ref->year_s, why);
	return 0;
}

int store_budget_lock(struct db *db, const struct store_budget_ref *ref, int *exists, struct problem *p)
{
	struct db_param prm[2] = { DBP_I64(ref->sid), DBP_I64(ref->year) };
	struct db_rows *rows = NULL;

	if (db_query(db, budget_lock_sql, prm, 2, &rows, p) != 0)
		return -1;
	*exists = rows->nrows == 1;
	db_rows_free(rows);
	return 0;
}

/* ---- transitions ---- */

/* What each transition writes beside the status (the first parameter): submit the
 * warnings it found, approve the board minute, return and reopen the reason. */
static const char *const transition_sql[] = {
	[BUDGET_SUBMIT] =
	"UPDATE budgets SET status = 'submitted', findings_json = ?, submitted_at = UTC_TIMESTAMP(6), "
	"return_reason = NULL, version = version + 1, updated_at = UTC_TIMESTAMP(6) "
	"WHERE school_id = ? AND year = ? AND version = ?",
	[BUDGET_APPROVE] =
	"UPDATE budgets SET status = 'approved', approved_at = UTC_TIMESTAMP(6), board_minute_ref = ?, "
	"version = version + 1, updated_at = UTC_TIMESTAMP(6) WHERE school_id = ? AND year = ? AND version = ?",
	[BUDGET_RETURN] =
	"UPDATE budgets SET status = 'draft', return_reason = ?, submitted_at = NULL, "
	"version = version + 1, updated_at = UTC_TIMESTAMP(6) WHERE school_id = ? AND year = ? AND version = ?",
	[BUDGET_REOPEN] =
	"UPDATE budgets SET status = 'draft', reopen_reason = ?, submitted_at = NULL, approved_at = NULL, "
	"board_minute_ref = NULL, version = version + 1, updated_at = UTC_TIMESTAMP(6) "
	"WHERE school_id = ? AND year = ? AND version = ?",
};

/* b's computed lines as the audit row shows them: [{account_code, description,
 * amount_pence, explanation}]. NULL when out of memory. */
static cJSON *computed_lines_json(const struct budget *b)
{
	cJSON *a = cJSON_CreateArray(), *o;

	for (size_t i = 0; a != NULL && i < b->nlines; i++) {
		const struct budget_line *l = &b->lines[i];

		if (!l->computed)
			continue;
		if ((o = cJSON_CreateObject()) == NULL || !cJSON_AddItemToArray(a, o)) {
			cJSON_Delete(o);
			cJSON_Delete(a);
			return NULL;
		}
		if (cJSON_AddStringToObject(o, "account_code", l->code) == NULL ||
		    cJSON_AddStringToObject(o, "description", l->description) == NULL ||
		    cJSON_AddNumberToObject(o, "amount_pence", (double)l->amount_pence) == NULL ||
		    cJSON_AddStringToObject(o, "explanation", l->explanation != NULL ? l->explanation : "") == NULL) {
			cJSON_Delete(a);
			return NULL;
		}
	}
	return a;
}

/* The workflow's verdict on the locked budget, then (submit, approve) the caller's
 * check of the budget as it stands (submit: its warnings the statement stores), which
 * puts in the computed lines to freeze. */
static int transition_check(struct db *db, const cJSON *before, void *arg, struct problem *p)
{
	struct budget_op *op = arg;
	struct store_budget x = { 0 };
	struct budget_context ctx;
	enum budget_status from, to;
	char why[160];
	int rc = -1;

	(void)before;
	if (budget_status_parse(op->status, &from) != 0) {
		log_err("budgets: %s has the status \"%s\"", op->ref->eid, op->status);
		return problem_internal(p);
	}
	switch (budget_flow_next(from, op->action, op->role, &to, why, sizeof(why))) {
	case BUDGET_FLOW_OK:
		break;
	case BUDGET_FLOW_FORBIDDEN:
		return problem_forbidden(p, "%s", why);
	case BUDGET_FLOW_WRONG_STATUS:
		return problem_conflict(p, "the budget for %s in %s %s", op->ref->urn, op->ref->year_s, why);
	}
	budget_clear(&op->frozen);               /* db_txn may run this again after a deadlock */
	cJSON_Delete(op->computed_before);
	op->computed_before = NULL;
	if (budget_read_head(db, op->ref, op->id, &x, p) <= 0 ||
	    store_budget_read_lines(db, op->ref, op->chart, &x, p) != 0) {
		if (p->status == 0)
			problem_not_found(p, "budget %lld has gone", (long long)op->id);
		goto out;
	}
	if ((op->computed_before = computed_lines_json(&x.b)) == NULL) {
		problem_internal(p);
		goto out;
	}
	if ((op->action == BUDGET_SUBMIT || op->action == BUDGET_APPROVE) &&
	    (store_budget_context(db, op->ref, &ctx, p) != 0 ||
	     op->submit(&x.b, &ctx, op->action, op->submit_arg, &op->warnings, p) != 0))
		goto out;
	if (op->action == BUDGET_SUBMIT)
		op->prm[0] = DBP_STR(op->warnings);
	op->frozen = x.b;                        /* its computed lines: transition_then */
	memset(&x.b, 0, sizeof(x.b));
	rc = 0;
out:
	store_budget_free(&x);
	return rc;
}

static const char computed_delete_sql[] = "DELETE FROM budget_lines WHERE budget_id = ? AND computed = 1";
static const char computed_insert_sql[] =
	"INSERT INTO budget_lines (budget_id, line_no, account_id, description, amount_pence, driver, "
	"excluded_from_central, computed, explanation, staff_pay_pence, staff_ni_pence, staff_pension_pence, "
	"staff_posts, staff_fte_h, months_pence) VALUES (?, ?, ?, ?, ?, NULL, 0, 1, ?, ?, ?, ?, ?, ?, ?)";

/* Return and reopen delete the frozen computed lines (a draft derives them); submit
 * and approve store the ones the check put in (id 0: not rows yet), numbered after
 * the typed lines, in place of any frozen before. */
static int transition_then(struct db *db, void *arg, struct problem *p)
{
	struct budget_op *op = arg;
	struct db_param prm[12] = { DBP_I64(op->id) };
	char months[PROFILE_MONTHS_TEXT_MAX];
	size_t typed = 0;
	int fresh = 0;

	for (size_t i = 0; i < op->frozen.nlines; i++) {
		typed += !op->frozen.lines[i].computed;
		fresh |= op->frozen.lines[i].computed && op->frozen.lines[i].id == 0;
	}
	if (op->action != BUDGET_RETURN && op->action != BUDGET_REOPEN && !fresh)
		return 0;                        /* approve keeps what was submitted */
	if (db_exec(db, computed_delete_sql, prm, 1, NULL, NULL, p) != 0)
		return -1;
	if (op->action == BUDGET_RETURN || op->action == BUDGET_REOPEN) {
		budget_strip_computed(&op->frozen);
		return 0;
	}
	for (size_t i = 0, k = 0; i < op->frozen.nlines; i++) {
		const struct budget_line *l = &op->frozen.lines[i];

		if (!l->computed)
			continue;
		if (l->account == NULL)
			return problem_internal(p);
		prm[1] = DBP_I64(typed + ++k);
		prm[2] = DBP_I64(l->account->id);
		prm[3] = DBP_STR(l->description);
		prm[4] = DBP_I64(l->amount_pence);
		prm[5] = DBP_STR(l->explanation);
		prm[6] = l->has_staff ? DBP_I64(l->staff.pay) : DBP_NULL;        /* a staff line's breakdown */
		prm[7] = l->has_staff ? DBP_I64(l->staff.ni) : DBP_NULL;
		prm[8] = l->has_staff ? DBP_I64(l->staff.pension) : DBP_NULL;
		prm[9] = l->has_staff ? DBP_I64(l->staff.posts) : DBP_NULL;
		prm[10] = l->has_staff ? DBP_I64(l->staff.fte_h) : DBP_NULL;
		if (l->has_months)                                               /* its months, frozen */
			profile_months_format(l->months, months, sizeof(months));
		prm[11] = l->has_months ? DBP_STR(months) : DBP_NULL;
		if (db_exec(db, computed_insert_sql, prm, 12, NULL, NULL, p) != 0)
			return -1;
	}
	return 0;
}

/* The audit row's images carry the computed lines stored before and after. */
static int transition_amend(struct db *db, cJSON *before, cJSON *after, void *arg, struct problem *p)
{
	struct budget_op *op = arg;
	cJSON *now = computed_lines_json(&op->frozen);

	(void)db;
	if (now == NULL || !cJSON_AddItemToObject(after, "computed_lines", now)) {
		cJSON_Delete(now);
		return problem_internal(p);
	}
	if (!cJSON_AddItemToObject(before, "computed_lines", op->computed_before))
		return problem_internal(p);
	op->computed_before = NULL;
	return 0;
}

int store_budget_transition(struct db *db, const struct audit_actor *who, const struct store_budget_ref *ref,
			    const struct budget_chart *chart, int64_t want, enum budget_action action, unsigned role,
			    const char *text, store_budget_submit_fn submit, void *arg, int64_t *version,
			    struct problem *p)
{
	struct db_param prm[4] = { DBP_STR(text), DBP_I64(ref->sid), DBP_I64(ref->year), DBP_I64(want) };
	struct budget_op op = { .db = db, .ref = ref, .chart = chart, .action = action, .role = role,
				.submit = submit, .submit_arg = arg, .prm = prm };
	char what[64], missing[80];
	cJSON *after = NULL;
	int rc;

	if ((unsigned)action >= sizeof(transition_sql) / sizeof(transition_sql[0]))
		return problem_internal(p);
	snprintf(missing, sizeof(missing), "no budget for %s in %s", ref->urn, ref->year_s);
	rc = store_versioned_write(db, &(struct store_write){ .e = &budget_entity,
			.key = { &prm[1], 2, ref->eid }, .want_version = want, .action = budget_action_name(action),
			.sql = transition_sql[action], .params = prm, .nparams = 4, .check = transition_check,
			.then = transition_then, .amend = transition_amend, .arg = &op, .who = who, .what = store_budget_what(ref, what, sizeof(what)),
			.missing = missing }, &after, p);
	if (rc == 0)
		*version = store_image_version(after);
	cJSON_Delete(after);
	cJSON_free(op.warnings);
	cJSON_Delete(op.computed_before);
	budget_clear(&op.frozen);
	return rc;
}

/* ---- deleting a budget created by mistake ---- */

static const char budget_delete_sql[] = "DELETE FROM budgets WHERE school_id = ? AND year = ? AND version = ?";

/* Only a draft, and only one with no typed lines or that was never submitted: a
 * submitted draft is returned (return_reason) or reopened (reopen_reason), and
 * submitted_at is cleared then, so the reasons tell it apart. Then its lines go. */
static int delete_check(struct db *db, const cJSON *before, void *arg, struct problem *p)
{
	struct budget_op *op = arg;
	struct db_param prm = DBP_I64(op->id);
	const cJSON *l;
	size_t typed = 0;
	int submitted = !cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(before, "return_reason")) ||
			!cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(before, "reopen_reason")) ||
			!cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(before, "submitted_at"));

	if (strcmp(op->status, "draft") != 0)
		return problem_conflict(p, "the budget for %s in %s is %s: only a draft can be deleted%s", op->ref->urn,
					op->ref->year_s, op->status,
					strcmp(op->status, "submitted") == 0 ? " (the finance director returns it first)" :
					" (the finance director reopens it first)");
	cJSON_ArrayForEach(l, cJSON_GetObjectItemCaseSensitive(before, "lines"))
		typed += !cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(l, "computed"));
	if (submitted && typed > 0)
		return problem_conflict(p, "the budget for %s in %s has been submitted before and has %zu line%s: a budget "
					"with a history is not deleted (remove its lines first, or change them)",
					op->ref->urn, op->ref->year_s, typed, typed == 1 ? "" : "s");
	return db_exec(db, lines_delete_sql, &prm, 1, NULL, NULL, p);
}

int store_budget_delete(struct db *db, const struct audit_actor *who, const struct store_budget_ref *ref,
			const struct budget_chart *chart, int64_t want, struct problem *p)
{
	struct db_param prm[3] = { DBP_I64(ref->sid), DBP_I64(ref->year), DBP_I64(want) };
	struct budget_op op = { .db = db, .ref = ref, .chart = chart, .with_lines = 1 };
	char what[64], missing[80];
	cJSON *after = NULL;
	int rc;

	snprintf(missing, sizeof(missing), "no budget for %s in %s", ref->urn, ref->year_s);
	rc = store_versioned_write(db, &(struct store_write){ .e = &budget_entity,
			.key = { prm, 2, ref->eid }, .want_version = want, .action = "delete", .is_delete = 1,
			.sql = budget_delete_sql, .params = prm, .nparams = 3, .check = delete_check, .arg = &op,
			.who = who, .what = store_budget_what(ref, what, sizeof(what)), .missing = missing }, &after, p);
	cJSON_Delete(after);
	return rc;
}

/* ---- the trust's view ---- */

static const char trust_entities_sql[] =
	"SELECT s.urn, s.name, s.kind, s.finance_model, COALESCE(b.status, 'none') AS status, "
	"b.version, b.submitted_at, b.approved_at, b.id AS _bid, s.phase AS _phase "
	"FROM schools s LEFT JOIN budgets b ON b.school_id = s.id AND b.year = ? "
	"ORDER BY s.kind = 'central', s.urn";
static const char trust_sums_sql[] =
	"SELECT l.budget_id, l.account_id, SUM(l.amount_pence) AS pence FROM budget_lines l "
	"JOIN budgets b ON b.id = l.budget_id WHERE b.year = ? "
	"GROUP BY l.budget_id, l.account_id ORDER BY l.budget_id, l.account_id";

int store_budgets_trust(struct db *db, int year, struct db_rows **entities, struct db_rows **sums,
			struct problem *p)
{
	struct db_param prm = DBP_I64(year);

	*sums = NULL;
	if (db_query(db, trust_entities_sql, &prm, 1, entities, p) != 0)
		return -1;
	if (db_query(db, trust_sums_sql, &prm, 1, sums, p) != 0) {
		db_rows_free(*entities);
		*entities = NULL;
		return -1;
	}
	return 0;
}
