/*
 * api_budgets.c - budgets per entity (a school or "central") and academic year:
 * the budget with its lines (JSON, or CSV both ways) and line writes, and what the
 * workflow and the trust's view (api_budgets_flow.c) share with them (api_budgets.h).
 *
 * One ETag ("<version>") covers a budget and its lines: every write, line writes
 * included, needs If-Match with it and bumps it. Only a draft can change: a
 * submitted or approved budget answers 409 to writes (the finance director returns
 * or reopens it). Every write is one transaction with its audit row (entity
 * "budget", id "<urn>/<year>").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <event2/buffer.h>

#include "api.h"
#include "api_budgets.h"
#include "auth.h"
#include "budget.h"
#include "budget_flow.h"
#include "budget_plugin.h"
#include "worker.h"
#include "budget_csv.h"
#include "config.h"
#include "date.h"
#include "jsonv.h"
#include "log.h"
#include "money.h"

static const char entity_sql[] = "SELECT kind, phase, finance_model FROM schools WHERE id = ?";

int api_budgets_entity(struct req *r, struct api_budgets_ent *e, struct problem *p)
{
	struct db_rows *rows = NULL;
	struct db_param prm;
	const char *kind, *phase;

	memset(e, 0, sizeof(*e));
	e->urn = http_param(r, "urn");
	e->year_s = http_param(r, "year");
	if (acyear_parse(e->year_s, &e->year) != 0) {
		problem_field(p, "path:year", "must be an academic year written like 2026-27");
		return problem_bad_request(p, "%s is not an academic year", e->year_s);
	}
	if (api_school_lookup(r, e->urn, &e->sid, p) != 0)
		return -1;
	prm = DBP_I64(e->sid);
	if (db_query(r->db, entity_sql, &prm, 1, &rows, p) != 0)
		return -1;
	if (rows->nrows != 1) {
		db_rows_free(rows);
		return problem_not_found(p, "no school with URN %s", e->urn);
	}
	kind = db_cell(rows, 0, 0);
	phase = db_cell(rows, 0, 1);
	e->entity = kind != NULL && strcmp(kind, "central") == 0 ? BUDGET_CENTRAL :
		    phase != NULL && strcmp(phase, "special") == 0 ? BUDGET_SPECIAL : BUDGET_MAINSTREAM;
	snprintf(e->model, sizeof(e->model), "%s", db_cell(rows, 0, 2) ? db_cell(rows, 0, 2) : "");
	snprintf(e->eid, sizeof(e->eid), "%s/%s", e->urn, e->year_s);
	db_rows_free(rows);
	return 0;
}

/* The finance-rule plugins' budget validation, run on submit after the core checks:
 * the entity's plugin from the worker's registry (budget_plugin.c). Returns 1. */
int api_budgets_rules(const struct req *r, struct budget_rules *rules)
{
	rules->validate = budget_plugin_validate;
	rules->arg = (void *)r->w->plugins;
	return 1;
}

/* ---- the chart ---- */

static const char chart_sql[] =
	"SELECT id, code, kind, grp, is_gag, is_internal, active FROM accounts ORDER BY id";

int api_budgets_chart(struct req *r, struct budget_chart *c, struct problem *p)
{
	struct db_rows *rows = NULL;

	c->n = 0;
	c->accounts = NULL;
	if (db_query(r->db, chart_sql, NULL, 0, &rows, p) != 0)
		return -1;
	if (rows->nrows > 0 && (c->accounts = calloc(rows->nrows, sizeof(*c->accounts))) == NULL) {
		db_rows_free(rows);
		return problem_internal(p);
	}
	for (size_t i = 0; i < rows->nrows; i++) {
		struct budget_account *a = &c->accounts[i];

		a->id = db_cell_i64(rows, i, 0);
		snprintf(a->code, sizeof(a->code), "%s", db_cell(rows, i, 1));
		a->kind = strcmp(db_cell(rows, i, 2), "income") == 0 ? BUDGET_INCOME : BUDGET_EXPENDITURE;
		snprintf(a->group, sizeof(a->group), "%s", db_cell(rows, i, 3));
		a->is_gag = db_cell_i64(rows, i, 4) != 0;
		a->is_internal = db_cell_i64(rows, i, 5) != 0;
		a->active = db_cell_i64(rows, i, 6) != 0;
	}
	c->n = rows->nrows;
	db_rows_free(rows);
	return 0;
}

/* ---- reading a budget ---- */

#define ACYEAR_SQL(c) "CONCAT(" c ", '-', LPAD((" c " + 1) % 100, 2, '0'))"
#define HEAD_COLS \
	"b.id AS _id, s.urn, " ACYEAR_SQL("b.year") " AS year, b.status, b.version, " \
	"b.board_minute_ref, b.return_reason, b.reopen_reason, b.submitted_at, b.approved_at, " \
	"b.created_at, b.updated_at, b.findings_json AS _findings_json"

static const char head_sql[] =
	"SELECT " HEAD_COLS " FROM budgets b JOIN schools s ON s.id = b.school_id WHERE b.id = ?";
static const char head_find_sql[] =
	"SELECT " HEAD_COLS " FROM budgets b JOIN schools s ON s.id = b.school_id "
	"WHERE b.school_id = ? AND b.year = ?";
static const char head_lock_sql[] =
	"SELECT id, version, status FROM budgets WHERE school_id = ? AND year = ? FOR UPDATE";

/* Line columns: the representation, then the account id (hidden). */
#define LINE_COLS \
	"l.id, a.code AS account_code, a.kind, l.description, l.amount_pence, l.driver, " \
	"l.excluded_from_central"
static const char lines_sql[] =
	"SELECT " LINE_COLS " FROM budget_lines l JOIN accounts a ON a.id = l.account_id "
	"WHERE l.budget_id = ? ORDER BY l.line_no, l.id";
static const char line_one_sql[] =
	"SELECT " LINE_COLS " FROM budget_lines l JOIN accounts a ON a.id = l.account_id "
	"WHERE l.id = ? AND l.budget_id = ?";
enum { LC_ID, LC_CODE, LC_KIND, LC_DESC, LC_AMOUNT, LC_DRIVER, LC_EXCL };

/* The lines of a query (lines_sql's columns) as a struct budget. */
static int rows_to_budget(const struct db_rows *rows, struct budget *b, struct problem *p)
{
	for (size_t i = 0; i < rows->nrows; i++) {
		struct budget_line *l = budget_add_line(b, db_cell(rows, i, LC_CODE), db_cell(rows, i, LC_DESC),
							db_cell_i64(rows, i, LC_AMOUNT));

		if (l == NULL)
			return problem_internal(p);
		l->id = db_cell_i64(rows, i, LC_ID);
		if (db_cell(rows, i, LC_DRIVER) != NULL)
			snprintf(l->driver, sizeof(l->driver), "%s", db_cell(rows, i, LC_DRIVER));
		l->excluded_from_central = db_cell_i64(rows, i, LC_EXCL) != 0;
	}
	return 0;
}

void api_budgets_read_free(struct api_budgets_read *x)
{
	db_rows_free(x->head);
	db_rows_free(x->lines);
	budget_clear(&x->b);
	memset(x, 0, sizeof(*x));
}

/* Read the header (by budget id, or by the entity and year when id is 0): 0 with
 * x->head->nrows 0 or 1. */
int api_budgets_read_head(struct req *r, const struct api_budgets_ent *e, int64_t id, struct api_budgets_read *x,
		      struct problem *p)
{
	struct db_param prm[2] = { DBP_I64(e->sid), DBP_I64(e->year) };

	if (id != 0) {
		prm[0] = DBP_I64(id);
		return db_query(r->db, head_sql, prm, 1, &x->head, p);
	}
	return db_query(r->db, head_find_sql, prm, 2, &x->head, p);
}

int api_budgets_read_lines(struct req *r, const struct api_budgets_ent *e, const struct budget_chart *chart,
		       struct api_budgets_read *x, struct problem *p)
{
	struct db_param prm = DBP_I64(db_cell_i64(x->head, 0, 0));

	budget_init(&x->b, e->entity, chart);
	if (db_query(r->db, lines_sql, &prm, 1, &x->lines, p) != 0)
		return -1;
	return rows_to_budget(x->lines, &x->b, p);
}

int64_t api_budgets_read_version(const struct api_budgets_read *x)
{
	return db_cell_i64(x->head, 0, (size_t)db_col_index(x->head, "version"));
}

/* The representation: the header, totals, groups, findings and (with_lines) the lines. */
cJSON *api_budgets_read_json(const struct api_budgets_read *x, int with_lines, struct problem *p)
{
	struct budget_totals t;
	cJSON *o = db_row_to_json(x->head, 0), *v = NULL, *lines;
	int fc = db_col_index(x->head, "_findings_json");
	const char *f = fc >= 0 ? db_cell(x->head, 0, (size_t)fc) : NULL;

	if (o == NULL)
		goto oom;
	if (budget_totals(&x->b, &t) != 0) {
		log_err("budgets: totals overflow for budget %s", db_cell(x->head, 0, 0));
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
		for (size_t i = 0; i < x->lines->nrows; i++) {
			cJSON *l = db_row_to_json(x->lines, i);

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

/* Read a whole budget by id and render it. */
cJSON *api_budgets_render(struct req *r, const struct api_budgets_ent *e, const struct budget_chart *chart,
			    int64_t id, int with_lines, int64_t *version, struct problem *p)
{
	struct api_budgets_read x = { 0 };
	cJSON *o = NULL;

	if (api_budgets_read_head(r, e, id, &x, p) == 0 && x.head->nrows == 1 &&
	    api_budgets_read_lines(r, e, chart, &x, p) == 0) {
		*version = api_budgets_read_version(&x);
		o = api_budgets_read_json(&x, with_lines, p);
	} else if (x.head != NULL && x.head->nrows == 0) {
		problem_not_found(p, "budget %lld has gone", (long long)id);
	}
	api_budgets_read_free(&x);
	return o;
}

static void reply_vary(struct req *r)
{
	evhttp_add_header(evhttp_request_get_output_headers(r->ev), "Vary", "Accept");
}

int api_budget_get(struct req *r, struct problem *p)
{
	struct api_budgets_ent e;
	struct budget_chart chart = { 0 };
	struct api_budgets_read x = { 0 };
	char etag[32], disp[96];
	char *csv = NULL;
	size_t len;
	cJSON *o = NULL;
	int rc = -1;

	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0 || api_budgets_entity(r, &e, p) != 0 ||
	    api_budgets_read_head(r, &e, 0, &x, p) != 0)
		goto out;
	if (x.head->nrows == 0) {
		problem_not_found(p, "no budget for %s in %s", e.urn, e.year_s);
		goto out;
	}
	http_etag_version(etag, sizeof(etag), api_budgets_read_version(&x));
	reply_vary(r);
	if (http_not_modified(r, etag)) {
		rc = 0;
		goto out;
	}
	if (api_budgets_chart(r, &chart, p) != 0 || api_budgets_read_lines(r, &e, &chart, &x, p) != 0)
		goto out;
	if (http_wants_csv(r)) {
		if (budget_csv_write(&x.b, &csv, &len) != 0) {
			problem_internal(p);
			goto out;
		}
		snprintf(disp, sizeof(disp), "attachment; filename=\"budget-%s-%s.csv\"", e.urn, e.year_s);
		evhttp_add_header(evhttp_request_get_output_headers(r->ev), "Content-Disposition", disp);
		rc = http_reply_raw(r, 200, "text/csv; charset=utf-8", csv, len, etag);
		goto out;
	}
	if ((o = api_budgets_read_json(&x, 1, p)) == NULL)
		goto out;
	rc = http_reply_json(r, 200, o, etag);
out:
	free(csv);
	cJSON_Delete(o);
	api_budgets_read_free(&x);
	free(chart.accounts);
	return rc;
}

/* ---- writes: the shared checks ---- */

int api_budgets_lock(struct req *r, const struct api_budgets_ent *e, struct api_budgets_head *h, struct problem *p)
{
	struct db_param prm[2] = { DBP_I64(e->sid), DBP_I64(e->year) };
	struct db_rows *rows = NULL;

	memset(h, 0, sizeof(*h));
	if (db_query(r->db, head_lock_sql, prm, 2, &rows, p) != 0)
		return -1;
	if (rows->nrows == 1) {
		h->exists = 1;
		h->id = db_cell_i64(rows, 0, 0);
		h->version = db_cell_i64(rows, 0, 1);
		snprintf(h->status, sizeof(h->status), "%s", db_cell(rows, 0, 2));
	}
	db_rows_free(rows);
	return 0;
}

int api_budgets_stale(const struct api_budgets_ent *e, const struct api_budgets_head *h, int64_t want, struct problem *p)
{
	return problem_stale(p, h->version, want, "the budget for %s in %s", e->urn, e->year_s);
}

/* A draft may change; a submitted or approved budget is locked (409). */
static int head_writable(const struct api_budgets_ent *e, const struct api_budgets_head *h, struct problem *p)
{
	enum budget_status s;
	const char *why;

	if (budget_status_parse(h->status, &s) != 0) {
		log_err("budgets: %s has the status \"%s\"", e->eid, h->status);
		return problem_internal(p);
	}
	if ((why = budget_flow_locked(s)) != NULL)
		return problem_conflict(p, "the budget for %s in %s %s", e->urn, e->year_s, why);
	return 0;
}

/* The checks every write to an existing budget makes, in this order: 404, 412, 409. */
static int head_check(const struct api_budgets_ent *e, const struct api_budgets_head *h, int64_t want, struct problem *p)
{
	if (!h->exists)
		return problem_not_found(p, "no budget for %s in %s: PUT one first", e->urn, e->year_s);
	if (h->version != want)
		return api_budgets_stale(e, h, want, p);
	return head_writable(e, h, p);
}

static const char bump_sql[] =
	"UPDATE budgets SET version = version + 1, updated_at = UTC_TIMESTAMP(6) "
	"WHERE id = ? AND version = ?";

int api_budgets_bump(struct req *r, const struct api_budgets_head *h, struct problem *p)
{
	struct db_param prm[2] = { DBP_I64(h->id), DBP_I64(h->version) };
	uint64_t affected = 0;

	if (db_exec(r->db, bump_sql, prm, 2, &affected, NULL, p) != 0)
		return -1;
	if (affected != 1)
		return problem_changed(p, "updated", "the budget");
	return 0;
}

/* The If-Match a line write or transition needs (428 without it). */
int api_budgets_if_match(struct req *r, int64_t *want, struct problem *p)
{
	return http_if_match_as(r, 0, "send If-Match with the budget's ETag from your last GET: one ETag "
				"covers the budget and its lines", want, p);
}

/* ---- lines in JSON ---- */

enum { LF_ID, LF_CODE, LF_DESC, LF_AMOUNT, LF_DRIVER, LF_EXCL, LF_KIND, LF__N };

#define LINE_FIELDS(id_flags) { \
	[LF_ID] = { "id", JV_INT, id_flags, 1, MONEY_JSON_MAX, NULL, NULL }, \
	[LF_CODE] = { "account_code", JV_STRING, JV_REQUIRED, 1, BUDGET_CODE_MAX, NULL, NULL }, \
	[LF_DESC] = { "description", JV_STRING, 0, 0, BUDGET_DESC_MAX, NULL, budget_check_description }, \
	[LF_AMOUNT] = { "amount_pence", JV_INT, JV_REQUIRED, -MONEY_LINE_MAX, MONEY_LINE_MAX, NULL, NULL }, \
	[LF_DRIVER] = { "driver", JV_STRING, JV_NULLABLE, 1, BUDGET_DRIVER_MAX, NULL, budget_check_driver }, \
	[LF_EXCL] = { "excluded_from_central", JV_BOOL, 0, 0, 0, NULL, NULL }, \
	[LF_KIND] = { "kind", JV_STRING, JV_READONLY, 0, 0, NULL, NULL }, \
}

/* In a whole budget a line may name its id (kept); alone, the path names it. */
static const struct jv_field line_fields[LF__N] = LINE_FIELDS(0);
static const struct jv_field line_fields_one[LF__N] = LINE_FIELDS(JV_READONLY);

/* Validate one line object at prefix and append it to b. 0 valid, 1 not. */
static int line_from_json(const cJSON *item, const char *prefix, const struct jv_field *fields,
			  struct budget *b, struct problem *p)
{
	struct jv_value v[LF__N];
	const struct budget_account *a;
	struct budget_line *l;
	const char *why;
	char ptr[96];
	size_t errs = jsonv_object(item, prefix, fields, LF__N, v, p);

	if (v[LF_CODE].present && v[LF_CODE].s != NULL) {
		a = budget_chart_find(b->chart, v[LF_CODE].s);
		if ((why = budget_check_account(a)) != NULL) {
			snprintf(ptr, sizeof(ptr), "%s/account_code", prefix);
			problem_field(p, ptr, "\"%s\" %s", v[LF_CODE].s, why);
			errs++;
		}
	}
	if (errs > 0)
		return 1;
	if ((l = budget_add_line(b, v[LF_CODE].s, v[LF_DESC].present ? v[LF_DESC].s : "",
				 v[LF_AMOUNT].i)) == NULL) {
		problem_internal(p);
		return 1;
	}
	l->id = v[LF_ID].present ? v[LF_ID].i : 0;
	if (v[LF_DRIVER].present && !v[LF_DRIVER].is_null)
		snprintf(l->driver, sizeof(l->driver), "%s", v[LF_DRIVER].s);
	l->excluded_from_central = v[LF_EXCL].present && v[LF_EXCL].i;
	return 0;
}

struct id_at {
	int64_t id;
	size_t at;
};

static int id_at_cmp(const void *a, const void *b)
{
	const struct id_at *x = a, *y = b;

	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return x->at < y->at ? -1 : x->at > y->at;
}

/* Each line id at most once in a body. */
static void lines_unique_ids(const struct budget *b, struct problem *p)
{
	struct id_at *ids = malloc((b->nlines ? b->nlines : 1) * sizeof(*ids));
	size_t n = 0;
	char ptr[64];

	if (ids == NULL) {
		problem_internal(p);
		return;
	}
	for (size_t i = 0; i < b->nlines; i++)
		if (b->lines[i].id != 0)
			ids[n++] = (struct id_at){ b->lines[i].id, i };
	if (n > 1)
		qsort(ids, n, sizeof(*ids), id_at_cmp);
	for (size_t i = 1; i < n; i++) {
		if (ids[i].id != ids[i - 1].id)
			continue;
		snprintf(ptr, sizeof(ptr), "/lines/%zu/id", ids[i].at);
		problem_field(p, ptr, "line %lld is also /lines/%zu: each line once", (long long)ids[i].id,
			      ids[i - 1].at);
	}
	free(ids);
}

/* ---- PUT: replace every line (JSON or CSV) ---- */

enum { BF_LINES, BF_URN, BF_YEAR, BF_STATUS, BF_VERSION, BF_MINUTE, BF_RETURN, BF_REOPEN,
       BF_SUBMITTED, BF_APPROVED, BF_CREATED, BF_UPDATED, BF_TOTALS, BF_GROUPS, BF_FINDINGS, BF__N };

#define RO(n) { n, JV_STRING, JV_READONLY, 0, 0, NULL, NULL }
static const struct jv_field budget_fields[BF__N] = {
	[BF_LINES] = { "lines", JV_ARRAY, JV_REQUIRED, 0, 0, NULL, NULL },
	[BF_URN] = RO("urn"), [BF_YEAR] = RO("year"), [BF_STATUS] = RO("status"),
	[BF_VERSION] = RO("version"), [BF_MINUTE] = RO("board_minute_ref"),
	[BF_RETURN] = RO("return_reason"), [BF_REOPEN] = RO("reopen_reason"),
	[BF_SUBMITTED] = RO("submitted_at"), [BF_APPROVED] = RO("approved_at"),
	[BF_CREATED] = RO("created_at"), [BF_UPDATED] = RO("updated_at"), [BF_TOTALS] = RO("totals"),
	[BF_GROUPS] = RO("groups"), [BF_FINDINGS] = RO("findings"),
};

struct budget_put {
	struct req *r;
	struct api_budgets_ent *e;
	const struct budget_chart *chart;
	struct budget *nb;                       /* the new lines */
	int has_if_match, csv, created;
	int64_t want_version, id;
	cJSON *after;
};

static const char budget_insert_sql[] = "INSERT INTO budgets (school_id, year) VALUES (?, ?)";
static const char lines_delete_sql[] = "DELETE FROM budget_lines WHERE budget_id = ?";
static const char line_ids_sql[] = "SELECT id FROM budget_lines WHERE budget_id = ? ORDER BY id";

#define LINE_INS "INSERT INTO budget_lines (id, budget_id, line_no, account_id, description, " \
	"amount_pence, driver, excluded_from_central) "
#define LINE_NP 8
static const char line_insert1_sql[] = LINE_INS "VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
/*
 * Every line in one statement: the lines go as one JSON parameter,
 * [[id|null, account_id, description, amount_pence, driver|null, excluded], ...],
 * and JSON_TABLE turns it into rows (line_no is the position). 10,000 lines are one
 * round trip instead of 10,000.
 */
static const char lines_insert_sql[] = LINE_INS
	"SELECT j.id, ?, j.n, j.a, j.d, j.p, j.v, j.x FROM JSON_TABLE(?, '$[*]' COLUMNS ("
	"n FOR ORDINALITY, id BIGINT UNSIGNED PATH '$[0]', a INT UNSIGNED PATH '$[1]', "
	"d VARCHAR(200) CHARACTER SET utf8mb4 PATH '$[2]', p BIGINT PATH '$[3]', "
	"v VARCHAR(32) CHARACTER SET utf8mb4 PATH '$[4]', x TINYINT PATH '$[5]')) AS j";

static void line_params(struct db_param *prm, int64_t bid, size_t line_no, const struct budget_line *l)
{
	prm[0] = l->id != 0 ? DBP_I64(l->id) : DBP_NULL;
	prm[1] = DBP_I64(bid);
	prm[2] = DBP_I64(line_no);
	prm[3] = DBP_I64(l->account->id);
	prm[4] = DBP_STR(l->description);
	prm[5] = DBP_I64(l->amount_pence);
	prm[6] = l->driver[0] != '\0' ? DBP_STR(l->driver) : DBP_NULL;
	prm[7] = DBP_I64(l->excluded_from_central ? 1 : 0);
}

/* One line as [id|null, account_id, description, amount_pence, driver|null, excluded]. */
static cJSON *line_row_json(const struct budget_line *l)
{
	cJSON *a = cJSON_CreateArray();

	if (a == NULL ||
	    !cJSON_AddItemToArray(a, l->id != 0 ? cJSON_CreateNumber(l->id) : cJSON_CreateNull()) ||
	    !cJSON_AddItemToArray(a, cJSON_CreateNumber(l->account->id)) ||
	    !cJSON_AddItemToArray(a, cJSON_CreateString(l->description)) ||
	    !cJSON_AddItemToArray(a, cJSON_CreateNumber(l->amount_pence)) ||
	    !cJSON_AddItemToArray(a, l->driver[0] != '\0' ? cJSON_CreateString(l->driver) : cJSON_CreateNull()) ||
	    !cJSON_AddItemToArray(a, cJSON_CreateNumber(l->excluded_from_central ? 1 : 0))) {
		cJSON_Delete(a);
		return NULL;
	}
	return a;
}

/* Insert every line of b, numbered from 1, in one statement. */
static int lines_insert(struct req *r, int64_t bid, const struct budget *b, struct problem *p)
{
	struct db_param prm[2];
	cJSON *rows = NULL, *row;
	char *text = NULL;
	int rc = -1;

	if (b->nlines == 0)
		return 0;
	if ((rows = cJSON_CreateArray()) == NULL)
		goto oom;
	for (size_t i = 0; i < b->nlines; i++)
		if ((row = line_row_json(&b->lines[i])) == NULL || !cJSON_AddItemToArray(rows, row)) {
			cJSON_Delete(row);
			goto oom;
		}
	if ((text = cJSON_PrintUnformatted(rows)) == NULL)
		goto oom;
	prm[0] = DBP_I64(bid);
	prm[1] = DBP_STR(text);
	rc = db_exec(r->db, lines_insert_sql, prm, 2, NULL, NULL, p);
	goto out;
oom:
	log_err("budgets: out of memory inserting %zu lines", b->nlines);
	problem_internal(p);
out:
	cJSON_free(text);
	cJSON_Delete(rows);
	return rc;
}

static int id_cmp(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* Every id a body names must be a line of this budget (kept), not someone else's. */
static int lines_known_ids(struct req *r, int64_t bid, const struct budget *b, struct problem *p)
{
	struct db_param prm = DBP_I64(bid);
	struct db_rows *rows = NULL;
	int64_t *have = NULL;
	char ptr[64];
	size_t n = 0;
	int any = 0;

	for (size_t i = 0; i < b->nlines && !any; i++)
		any = b->lines[i].id != 0;
	if (!any)
		return 0;
	if (bid != 0) {
		if (db_query(r->db, line_ids_sql, &prm, 1, &rows, p) != 0)
			return -1;
		n = rows->nrows;
		if ((have = malloc((n ? n : 1) * sizeof(*have))) == NULL) {
			db_rows_free(rows);
			return problem_internal(p);
		}
		for (size_t i = 0; i < n; i++)
			have[i] = db_cell_i64(rows, i, 0);
		db_rows_free(rows);
	}
	for (size_t i = 0; i < b->nlines; i++) {
		int64_t id = b->lines[i].id;

		if (id != 0 && (n == 0 || bsearch(&id, have, n, sizeof(*have), id_cmp) == NULL)) {
			snprintf(ptr, sizeof(ptr), "/lines/%zu/id", i);
			problem_field(p, ptr, "no line %lld in this budget: leave id out for a new line",
				      (long long)id);
		}
	}
	free(have);
	return problem_validation_done(p);
}

static int budget_put_txn(struct db *db, void *arg, struct problem *p)
{
	struct budget_put *bp = arg;
	struct req *r = bp->r;
	struct audit_actor who = api_actor(r);
	struct api_budgets_head h;
	struct db_param prm[2];
	uint64_t newid = 0;
	int64_t version;
	cJSON *before = NULL;
	int rc = -1;

	(void)db;
	cJSON_Delete(bp->after);                 /* db_txn may run this again after a deadlock */
	bp->after = NULL;
	if (api_budgets_lock(r, bp->e, &h, p) != 0)
		return -1;
	bp->created = !h.exists;
	if (!h.exists && bp->has_if_match)
		return problem_set(p, 412, "precondition-failed", "Precondition failed",
				   "If-Match was given but there is no budget for %s in %s yet", bp->e->urn,
				   bp->e->year_s);
	if (h.exists && !bp->has_if_match)
		return problem_set(p, 428, "precondition-required", "Precondition required",
				   "this budget exists: send If-Match with the ETag from your last GET");
	if (h.exists && (h.version != bp->want_version ? api_budgets_stale(bp->e, &h, bp->want_version, p) :
			 head_writable(bp->e, &h, p)) != 0)
		return -1;
	if (lines_known_ids(r, h.id, bp->nb, p) != 0)
		return -1;
	if (h.exists) {
		if ((before = api_budgets_render(r, bp->e, bp->chart, h.id, 1, &version, p)) == NULL)
			return -1;
		prm[0] = DBP_I64(h.id);
		if (db_exec(r->db, lines_delete_sql, prm, 1, NULL, NULL, p) != 0 || api_budgets_bump(r, &h, p) != 0)
			goto out;
		bp->id = h.id;
	} else {
		prm[0] = DBP_I64(bp->e->sid);
		prm[1] = DBP_I64(bp->e->year);
		if (db_exec(r->db, budget_insert_sql, prm, 2, NULL, &newid, p) != 0)
			goto out;
		bp->id = (int64_t)newid;
	}
	if (lines_insert(r, bp->id, bp->nb, p) != 0 ||
	    (bp->after = api_budgets_render(r, bp->e, bp->chart, bp->id, 1, &version, p)) == NULL ||
	    audit_write(r->db, &who, bp->created ? "create" : bp->csv ? "import" : "update", "budget",
			bp->e->eid, before, bp->after, p) != 0)
		goto out;
	rc = 0;
out:
	cJSON_Delete(before);
	return rc;
}

/* "text/csv" (with an optional charset of UTF-8): 1; JSON: 0; anything else: -1. */
static int body_kind(const char *ct)
{
	const char *semi;

	if (ct == NULL)
		return -1;
	while (*ct == ' ')
		ct++;
	if (strncasecmp(ct, "application/json", 16) == 0)
		return 0;
	if (strncasecmp(ct, "text/csv", 8) != 0)
		return -1;
	for (semi = ct + 8; *semi == ' '; semi++)
		;
	if (*semi == '\0')
		return 1;
	if (*semi != ';')
		return -1;
	while (*++semi == ' ')
		;
	if (strncasecmp(semi, "charset=", 8) != 0)
		return strncasecmp(semi, "header=present", 14) == 0 ? 1 : -1;
	semi += 8;
	return strncasecmp(semi, "utf-8", 5) == 0 || strncasecmp(semi, "\"utf-8\"", 7) == 0 ? 1 : -1;
}

/* The CSV body: its size against the CSV limit (413), then budget_csv_parse. */
static int put_read_csv(struct req *r, struct budget *nb, struct problem *p)
{
	struct evbuffer *in = evhttp_request_get_input_buffer(r->ev);
	size_t n = evbuffer_get_length(in);
	const char *buf;

	if (n > r->cfg->http_max_csv_body)
		return problem_set(p, 413, "payload-too-large", "Payload too large",
				   "the file is %zu bytes; the limit for CSV imports is %zu", n,
				   r->cfg->http_max_csv_body);
	if ((buf = (const char *)evbuffer_pullup(in, -1)) == NULL && n > 0)
		return problem_internal(p);
	return budget_csv_parse(n > 0 ? buf : "", n, nb, p);
}

/* The JSON body: the budget object with its lines, validated whole. */
static int put_read_json(struct req *r, const struct api_budgets_ent *e, struct budget *nb, struct problem *p)
{
	struct jv_value v[BF__N];
	cJSON *in = http_read_json(r, p), *item;
	const char *s;
	char ptr[32];
	size_t i = 0;

	if (in == NULL)
		return -1;
	jsonv_object(in, "", budget_fields, BF__N, v, p);
	if (v[BF_URN].item != NULL && ((s = cJSON_GetStringValue(v[BF_URN].item)) == NULL || strcmp(s, e->urn) != 0))
		problem_field(p, "/urn", "does not match the URN in the path");
	if (v[BF_YEAR].item != NULL && ((s = cJSON_GetStringValue(v[BF_YEAR].item)) == NULL ||
					strcmp(s, e->year_s) != 0))
		problem_field(p, "/year", "does not match the year in the path");
	if (v[BF_LINES].present && cJSON_IsArray(v[BF_LINES].item)) {
		if (cJSON_GetArraySize(v[BF_LINES].item) > BUDGET_MAX_LINES)
			problem_field(p, "/lines", "at most %d lines", BUDGET_MAX_LINES);
		else
			cJSON_ArrayForEach(item, v[BF_LINES].item) {
				snprintf(ptr, sizeof(ptr), "/lines/%zu", i++);
				line_from_json(item, ptr, line_fields, nb, p);
			}
		lines_unique_ids(nb, p);
	}
	cJSON_Delete(in);
	return problem_validation_done(p);
}

int api_budget_put(struct req *r, struct problem *p)
{
	struct api_budgets_ent e;
	struct budget_chart chart = { 0 };
	struct budget nb;
	struct budget_put bp = { .r = r, .e = &e, .chart = &chart, .nb = &nb };
	const char *ct = http_header(r, "Content-Type");
	char etag[32];
	int rc = -1;

	budget_init(&nb, BUDGET_MAINSTREAM, &chart);
	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0 || api_budgets_entity(r, &e, p) != 0)
		goto out;
	nb.entity = e.entity;
	bp.has_if_match = http_header(r, "If-Match") != NULL;
	if (bp.has_if_match && http_if_match(r, &bp.want_version, p) != 0)
		goto out;
	if ((bp.csv = body_kind(ct)) < 0) {
		problem_set(p, 415, "unsupported-media-type", "Unsupported media type",
			    "send the budget as application/json or the spreadsheet as text/csv (got %s)",
			    ct != NULL ? ct : "none");
		goto out;
	}
	if (api_budgets_chart(r, &chart, p) != 0 ||
	    (bp.csv ? put_read_csv(r, &nb, p) : put_read_json(r, &e, &nb, p)) != 0 ||
	    api_txn(r, budget_put_txn, &bp, p) != 0)
		goto out;
	http_etag_version(etag, sizeof(etag),
			  (int64_t)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(bp.after, "version")));
	rc = http_reply_json(r, bp.created ? 201 : 200, bp.after, etag);
out:
	cJSON_Delete(bp.after);
	budget_clear(&nb);
	free(chart.accounts);
	return rc;
}

/* ---- one line at a time ---- */

struct line_write {
	struct req *r;
	struct api_budgets_ent *e;
	struct budget *nb;                       /* POST/PUT: the one new line */
	int64_t want_version, line_id, version;
	cJSON *after;
};

static const char line_next_sql[] =
	"SELECT COUNT(*), COALESCE(MAX(line_no), 0) + 1 FROM budget_lines WHERE budget_id = ?";
static const char line_update_sql[] =
	"UPDATE budget_lines SET account_id = ?, description = ?, amount_pence = ?, driver = ?, "
	"excluded_from_central = ?, version = version + 1, updated_at = UTC_TIMESTAMP(6) "
	"WHERE id = ? AND budget_id = ?";
static const char line_delete_sql[] = "DELETE FROM budget_lines WHERE id = ? AND budget_id = ?";
static const char line_lock_sql[] =
	"SELECT id FROM budget_lines WHERE id = ? AND budget_id = ? FOR UPDATE";

/* The line as JSON, with the budget's version after the write. */
static cJSON *line_json(struct req *r, int64_t bid, int64_t id, int64_t version, struct problem *p)
{
	struct db_param prm[2] = { DBP_I64(id), DBP_I64(bid) };
	struct db_rows *rows = NULL;
	cJSON *o = NULL;

	if (db_query(r->db, line_one_sql, prm, 2, &rows, p) != 0)
		return NULL;
	if (rows->nrows != 1) {
		problem_not_found(p, "no line %lld in this budget", (long long)id);
	} else if ((o = db_row_to_json(rows, 0)) == NULL ||
		   cJSON_AddNumberToObject(o, "budget_version", version) == NULL) {
		cJSON_Delete(o);
		o = NULL;
		problem_internal(p);
	}
	db_rows_free(rows);
	return o;
}

/* POST, PUT or DELETE of one line, by r->method. */
static int line_write_txn(struct db *db, void *arg, struct problem *p)
{
	struct line_write *lw = arg;
	struct req *r = lw->r;
	struct audit_actor who = api_actor(r);
	struct db_param prm[LINE_NP];
	struct db_rows *rows = NULL;
	struct api_budgets_head h;
	cJSON *before = NULL;
	const char *action;
	uint64_t newid = 0;
	int rc = -1;

	(void)db;
	cJSON_Delete(lw->after);                 /* db_txn may run this again after a deadlock */
	lw->after = NULL;
	if (api_budgets_lock(r, lw->e, &h, p) != 0 || head_check(lw->e, &h, lw->want_version, p) != 0)
		return -1;
	if (r->method != HM_POST) {
		prm[0] = DBP_I64(lw->line_id);
		prm[1] = DBP_I64(h.id);
		if (db_query(r->db, line_lock_sql, prm, 2, &rows, p) != 0)
			return -1;
		if (rows->nrows == 0) {
			db_rows_free(rows);
			return problem_not_found(p, "no line %lld in the budget for %s in %s",
						 (long long)lw->line_id, lw->e->urn, lw->e->year_s);
		}
		db_rows_free(rows);
		rows = NULL;
		if ((before = line_json(r, h.id, lw->line_id, h.version, p)) == NULL)
			return -1;
	}
	if (r->method == HM_POST) {
		action = "line_create";
		prm[0] = DBP_I64(h.id);
		if (db_query(r->db, line_next_sql, prm, 1, &rows, p) != 0)
			goto out;
		if (db_cell_i64(rows, 0, 0) >= BUDGET_MAX_LINES) {
			problem_conflict(p, "the budget has %d lines, the most it can have", BUDGET_MAX_LINES);
			goto out;
		}
		line_params(prm, h.id, (size_t)db_cell_i64(rows, 0, 1), &lw->nb->lines[0]);
		if (db_exec(r->db, line_insert1_sql, prm, LINE_NP, NULL, &newid, p) != 0)
			goto out;
		lw->line_id = (int64_t)newid;
	} else if (r->method == HM_PUT) {
		const struct budget_line *l = &lw->nb->lines[0];

		action = "line_update";
		line_params(prm, h.id, 0, l);
		prm[0] = prm[3];                     /* account, description, amount, driver, excluded */
		prm[1] = prm[4];
		prm[2] = prm[5];
		prm[3] = prm[6];
		prm[4] = prm[7];
		prm[5] = DBP_I64(lw->line_id);
		prm[6] = DBP_I64(h.id);
		if (db_exec(r->db, line_update_sql, prm, 7, NULL, NULL, p) != 0)
			goto out;
	} else {
		action = "line_delete";
		prm[0] = DBP_I64(lw->line_id);
		prm[1] = DBP_I64(h.id);
		if (db_exec(r->db, line_delete_sql, prm, 2, NULL, NULL, p) != 0)
			goto out;
	}
	if (api_budgets_bump(r, &h, p) != 0)
		goto out;
	lw->version = h.version + 1;
	if (r->method != HM_DELETE && (lw->after = line_json(r, h.id, lw->line_id, lw->version, p)) == NULL)
		goto out;
	if (audit_write(r->db, &who, action, "budget", lw->e->eid, before, lw->after, p) != 0)
		goto out;
	rc = 0;
out:
	db_rows_free(rows);
	cJSON_Delete(before);
	return rc;
}

/* POST .../lines, PUT and DELETE .../lines/{id}. */
static int line_write(struct req *r, struct problem *p)
{
	struct api_budgets_ent e;
	struct budget_chart chart = { 0 };
	struct budget nb;
	struct line_write lw = { .r = r, .e = &e, .nb = &nb };
	const char *id_s = http_param(r, "id");
	cJSON *in = NULL;
	char etag[32], *end = NULL;
	int rc = -1;

	budget_init(&nb, BUDGET_MAINSTREAM, &chart);
	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0 || api_budgets_entity(r, &e, p) != 0)
		goto out;
	if (id_s != NULL) {
		long long v = strtoll(id_s, &end, 10);

		if (id_s[0] < '1' || id_s[0] > '9' || *end != '\0' || v < 1 || v > MONEY_JSON_MAX) {
			problem_field(p, "path:id", "must be a line id (a positive integer)");
			problem_bad_request(p, "%s is not a line id", id_s);
			goto out;
		}
		lw.line_id = v;
	}
	if (api_budgets_if_match(r, &lw.want_version, p) != 0)
		goto out;
	if (r->method != HM_DELETE) {
		const cJSON *bid;

		if ((in = http_read_json(r, p)) == NULL || api_budgets_chart(r, &chart, p) != 0)
			goto out;
		line_from_json(in, "", line_fields_one, &nb, p);
		bid = cJSON_GetObjectItemCaseSensitive(in, "id");
		if (r->method == HM_PUT && bid != NULL && (!cJSON_IsNumber(bid) || cJSON_GetNumberValue(bid) != lw.line_id))
			problem_field(p, "/id", "does not match the line id in the path");
		if (problem_validation_done(p) != 0)
			goto out;
	}
	if (api_txn(r, line_write_txn, &lw, p) != 0)
		goto out;
	http_etag_version(etag, sizeof(etag), lw.version);
	rc = r->method == HM_DELETE ? http_reply_empty(r, 204, etag) :
	     http_reply_json(r, r->method == HM_POST ? 201 : 200, lw.after, etag);
out:
	cJSON_Delete(lw.after);
	cJSON_Delete(in);
	budget_clear(&nb);
	free(chart.accounts);
	return rc;
}

int api_budget_line_create(struct req *r, struct problem *p)
{
	return line_write(r, p);
}

int api_budget_line_put(struct req *r, struct problem *p)
{
	return line_write(r, p);
}

int api_budget_line_delete(struct req *r, struct problem *p)
{
	return line_write(r, p);
}
