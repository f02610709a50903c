/* run_reply.c - a saved forecast run read back: as JSON (every entity, year and
 * line, with each line's explanation rendered from its stored data) or as CSV or
 * XLSX (entity x year x line, with the line's base-year amount), for the
 * caller's scope; see run_reply.h. */
#include "run_reply.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/http.h>

#include "api.h"
#include "export.h"
#include "date.h"
#include "forecast_explain.h"
#include "jsonout.h"
#include "jsonv.h"
#include "log.h"
#include "money.h"
#include "run_view.h"
#include "store_forecasts.h"

/* ---- one run ---- */

/* An element of lines_json (schema/006): [line_no, code, description, driver, amount_pence, explain,
 * base_pence] (base_pence: the line's amount in the base year, null or absent when it has none). */
enum { RL_NO, RL_CODE, RL_DESC, RL_DRIVER, RL_AMOUNT, RL_X, RL_BASE, RL__N };

static int add_i64(cJSON *o, const char *k, const struct db_rows *rows, size_t i, size_t c)
{
	return (db_cell(rows, i, c) != NULL ? cJSON_AddNumberToObject(o, k, db_cell_i64(rows, i, c))
					    : cJSON_AddNullToObject(o, k)) != NULL;
}

/* Column c of row i of a run's years. */
#define RY(c) x->ycol[STORE_FY_##c]

static cJSON *run_year_json(const struct store_forecast_rows *x, size_t i, int base_year)
{
	const struct db_rows *y = x->years;
	cJSON *o = cJSON_CreateObject(), *k;
	char ys[8];
	int year = (int)db_cell_i64(y, i, RY(YEAR));

	acyear_format(year, ys, sizeof(ys));
	if (o == NULL || cJSON_AddStringToObject(o, "year", ys) == NULL ||
	    cJSON_AddStringToObject(o, "basis", year == base_year ? "budget" : "forecast") == NULL ||
	    !add_i64(o, "pupils", y, i, RY(PUPILS)) || !add_i64(o, "income_pence", y, i, RY(INCOME)) ||
	    !add_i64(o, "expenditure_pence", y, i, RY(EXP)) || !add_i64(o, "in_year_balance_pence", y, i, RY(BAL)) ||
	    !add_i64(o, "internal_income_pence", y, i, RY(IINC)) ||
	    !add_i64(o, "internal_expenditure_pence", y, i, RY(IEXP)) || !add_i64(o, "staff_pence", y, i, RY(STAFF)) ||
	    !add_i64(o, "non_staff_pence", y, i, RY(NONSTAFF)) || !add_i64(o, "contingency_pence", y, i, RY(CONT)) ||
	    !add_i64(o, "central_charges_pence", y, i, RY(CC)) || !add_i64(o, "opening_reserves_pence", y, i, RY(OPEN)) ||
	    !add_i64(o, "closing_reserves_pence", y, i, RY(CLOSE)) || (k = cJSON_AddObjectToObject(o, "kpis")) == NULL ||
	    !add_i64(k, "income_pence", y, i, RY(KPI)) || !add_i64(k, "staff_costs_bp", y, i, RY(STAFF_BP)) ||
	    !add_i64(k, "reserves_bp", y, i, RY(RES_BP)) || !add_i64(k, "in_year_balance_bp", y, i, RY(BAL_BP))) {
		cJSON_Delete(o);
		return NULL;
	}
	if (strcmp(db_cell(y, i, RY(ENTITY)), "trust") != 0) {
		const char *sm = db_cell(y, i, RY(STAFFING));
		cJSON *m = sm != NULL ? cJSON_Parse(sm) : cJSON_CreateNull();

		if (m == NULL || !cJSON_AddItemToObject(o, "staffing_metrics", m)) {
			cJSON_Delete(m);
			cJSON_Delete(o);
			return NULL;
		}
	}
	return o;
}

/* One saved line (an element of lines_json) as the API renders it; NULL when it is
 * not one (the stored data does not parse) or out of memory. */
static cJSON *run_line_json(const cJSON *l, int with_data)
{
	const cJSON *f[RL__N];
	cJSON *o = NULL, *x;
	char *text = NULL;
	int64_t no, amount;
	int ok;

	for (int i = 0; i < RL__N; i++)
		f[i] = cJSON_GetArrayItem(l, i);
	if (jsonv_int(f[RL_NO], &no) != 0 || jsonv_int(f[RL_AMOUNT], &amount) != 0 || !cJSON_IsString(f[RL_CODE]) ||
	    !cJSON_IsString(f[RL_DESC]) || !cJSON_IsString(f[RL_DRIVER]) || f[RL_X] == NULL)
		return NULL;
	x = (cJSON *)f[RL_X];
	if (cJSON_IsObject(x))
		text = forecast_explain_text(f[RL_CODE]->valuestring, amount, x);
	ok = (o = cJSON_CreateObject()) != NULL && cJSON_AddNumberToObject(o, "line_no", no) != NULL &&
	     cJSON_AddStringToObject(o, "account_code", f[RL_CODE]->valuestring) != NULL &&
	     cJSON_AddStringToObject(o, "description", f[RL_DESC]->valuestring) != NULL &&
	     cJSON_AddStringToObject(o, "driver", f[RL_DRIVER]->valuestring) != NULL &&
	     cJSON_AddNumberToObject(o, "amount_pence", amount) != NULL &&
	     (text != NULL ? cJSON_AddStringToObject(o, "explanation", text)
			   : cJSON_AddNullToObject(o, "explanation")) != NULL;
	free(text);
	if (ok && with_data) {
		cJSON *copy = cJSON_IsObject(x) ? cJSON_Duplicate(x, 1) : cJSON_CreateNull();

		if (!(ok = copy != NULL && cJSON_AddItemToObject(o, "explain", copy)))
			cJSON_Delete(copy);
	}
	if (!ok) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

/* A year's lines from its lines_json into lines. 0, or -1 (logged): the stored
 * lines do not parse, or out of memory. */
static int run_year_lines(const char *stored, int with_data, cJSON *lines, int64_t run, const char *entity, int year)
{
	cJSON *all = stored != NULL ? cJSON_ParseWithLengthOpts(stored, strlen(stored), NULL, 0) : NULL;
	const cJSON *l;
	int rc = 0;

	if (stored != NULL && !cJSON_IsArray(all))
		rc = -1;
	cJSON_ArrayForEach(l, all) {
		cJSON *lo = rc == 0 ? run_line_json(l, with_data) : NULL;

		if (lo == NULL || !cJSON_AddItemToArray(lines, lo)) {
			cJSON_Delete(lo);
			rc = -1;
			break;
		}
	}
	if (rc != 0)
		log_err("forecasts: run %lld: the stored lines of %s in %d do not parse", (long long)run, entity, year);
	cJSON_Delete(all);
	return rc;
}

/* ---- one run, written a piece at a time ---- */

/*
 * The reply is built an entity at a time: each entity's JSON (or CSV rows) is
 * rendered from its own lines, appended to the body and freed before the next
 * entity's lines are read, so memory follows the body, not a tree of the whole
 * run (a 1,000-school run over ten years is ~160 MB of JSON, and its cJSON tree
 * was over 1 GB). Between the pieces cJSON prints, the body's punctuation and
 * its constant keys are written here.
 */
struct run_out {
	struct req *r;
	int64_t id;
	const struct store_forecast_rows *x;
	const struct run_scope *s;
	const char *only;                        /* ?entity=: that entity alone (a URN, central, trust) */
	int base_year, with_lines, with_data;
	struct evbuffer *b;
	int failed;                              /* out of memory */
};

static void out_raw(struct run_out *o, const char *s, size_t n)
{
	if (!o->failed && evbuffer_add(o->b, s, n) != 0)
		o->failed = 1;
}

static void out_str(struct run_out *o, const char *s)
{
	out_raw(o, s, strlen(s));
}

/* item printed (and deleted); NULL fails. */
static void out_json(struct run_out *o, cJSON *item)
{
	char *t = item != NULL && !o->failed ? jsonout_print(item) : NULL;

	if (t == NULL)
		o->failed = 1;
	else
		out_str(o, t);
	cJSON_free(t);
	cJSON_Delete(item);
}

/* Whether the reply shows the entity: the caller sees it (the trust: trust-wide
 * roles only) and ?entity= does not leave it out. */
static int run_visible(const struct run_out *o, const char *entity)
{
	if (o->only != NULL && strcmp(o->only, entity) != 0)
		return 0;
	return run_scope_shows(o->s, entity);
}

/* The end of entity rows i's group in x->years (its rows are consecutive). */
static size_t run_group_end(const struct store_forecast_rows *x, size_t i)
{
	const char *e = db_cell(x->years, i, RY(ENTITY));
	size_t j = i + 1;

	while (j < x->years->nrows && strcmp(db_cell(x->years, j, RY(ENTITY)), e) == 0)
		j++;
	return j;
}

/* An entity's saved lines (rows: year, lines_json, in columns c[LC_YEAR], c[LC_LINES]). NULL with the problem set. */
enum { LC_YEAR, LC_LINES, LC__N };

static struct db_rows *run_lines(const struct run_out *o, const char *entity, size_t *c, struct problem *p)
{
	static const char *const names[LC__N] = { "year", "lines_json" };
	struct db_rows *rows = NULL;

	if (store_forecast_lines(o->r->db, o->id, entity, &rows, p) != 0)
		return NULL;
	if (db_columns(rows, names, LC__N, c, p) != 0) {
		db_rows_free(rows);
		return NULL;
	}
	return rows;
}

/* x->years rows [i0, i1), one entity's, as its JSON object (the trust's has only its years). */
static int run_entity_json(struct run_out *o, size_t i0, size_t i1, struct problem *p)
{
	const struct store_forecast_rows *x = o->x;
	const struct db_rows *y = x->years;
	const char *e = db_cell(y, i0, RY(ENTITY));
	struct db_rows *lines = NULL;
	cJSON *ent = NULL, *years, *yo, *la;
	size_t li = 0, c[LC__N];

	if (o->with_lines && (lines = run_lines(o, e, c, p)) == NULL)
		return -1;
	if ((ent = cJSON_CreateObject()) == NULL ||
	    (strcmp(e, "trust") != 0 && (cJSON_AddStringToObject(ent, "urn", e) == NULL ||
					 cJSON_AddStringToObject(ent, "name", run_view_name(o->x, e)) == NULL)) ||
	    (years = cJSON_AddArrayToObject(ent, "years")) == NULL)
		goto oom;
	for (size_t i = i0; i < i1; i++) {
		int year = (int)db_cell_i64(y, i, RY(YEAR));

		if ((yo = run_year_json(x, i, o->base_year)) == NULL || !cJSON_AddItemToArray(years, yo)) {
			cJSON_Delete(yo);
			goto oom;
		}
		if (year == o->base_year || !o->with_lines)
			continue;
		if ((la = cJSON_AddArrayToObject(yo, "lines")) == NULL)
			goto oom;
		while (li < lines->nrows && db_cell_i64(lines, li, c[LC_YEAR]) < year)
			li++;
		if (li < lines->nrows && db_cell_i64(lines, li, c[LC_YEAR]) == year &&
		    run_year_lines(db_cell(lines, li, c[LC_LINES]), o->with_data, la, o->id, e, year) != 0) {
			problem_internal(p);
			goto fail;
		}
	}
	db_rows_free(lines);
	out_json(o, ent);
	return 0;
oom:
	o->failed = 1;
	problem_internal(p);
fail:
	db_rows_free(lines);
	cJSON_Delete(ent);
	return -1;
}

static cJSON *run_warnings_json(const struct run_out *o)
{
	const struct db_rows *w = o->x->warnings;
	const size_t *c = o->x->wcol;
	cJSON *a = cJSON_CreateArray(), *wo;

	for (size_t i = 0; a != NULL && i < w->nrows; i++) {
		const char *e = db_cell(w, i, c[STORE_FW_ENTITY]);
		int year = (int)db_cell_i64(w, i, c[STORE_FW_YEAR]);
		char ys[8];

		if ((!o->s->all && !run_scope_in(o->s, e)) || (o->only != NULL && strcmp(o->only, e) != 0))
			continue;
		acyear_format(year, ys, sizeof(ys));
		if ((wo = cJSON_CreateObject()) == NULL || !cJSON_AddItemToArray(a, wo) ||
		    cJSON_AddStringToObject(wo, "entity", e) == NULL ||
		    (year > 0 ? cJSON_AddStringToObject(wo, "year", ys) : cJSON_AddNullToObject(wo, "year")) == NULL ||
		    cJSON_AddStringToObject(wo, "code", db_cell(w, i, c[STORE_FW_CODE])) == NULL ||
		    cJSON_AddStringToObject(wo, "message", db_cell(w, i, c[STORE_FW_MESSAGE])) == NULL) {
			cJSON_Delete(a);
			return NULL;
		}
	}
	return a;
}

/* {head..., "entities": [...], "trust": {...} (trust-wide roles), "warnings": [...]}. */
static int run_json_body(struct run_out *o, struct problem *p)
{
	const struct store_forecast_rows *x = o->x;
	const struct db_rows *y = x->years;
	cJSON *head = run_view_head(o->r, o->x, p);
	char *t = head != NULL ? jsonout_print(head) : NULL;
	size_t n = t != NULL ? strlen(t) : 0, i = 0;
	int first = 1;

	if (head == NULL)
		return -1;
	cJSON_Delete(head);
	if (n < 2 || t[n - 1] != '}') {
		cJSON_free(t);
		return problem_internal(p);
	}
	out_raw(o, t, n - 1);                    /* the head's members, the object still open */
	cJSON_free(t);
	out_str(o, n > 2 ? ",\"entities\":[" : "\"entities\":[");
	for (size_t j; i < y->nrows; i = j) {
		const char *e = db_cell(y, i, RY(ENTITY));

		j = run_group_end(o->x, i);
		if (strcmp(e, "trust") == 0 || !run_visible(o, e))
			continue;
		if (!first)
			out_str(o, ",");
		first = 0;
		if (run_entity_json(o, i, j, p) != 0)
			return -1;
	}
	out_str(o, "]");
	if (o->s->all) {
		out_str(o, ",\"trust\":");
		for (i = 0; i < y->nrows && strcmp(db_cell(y, i, RY(ENTITY)), "trust") != 0; i = run_group_end(o->x, i))
			;
		if (i == y->nrows || !run_visible(o, "trust"))
			out_str(o, "null");
		else if (run_entity_json(o, i, run_group_end(o->x, i), p) != 0)
			return -1;
	}
	out_str(o, ",\"warnings\":");
	out_json(o, run_warnings_json(o));
	out_str(o, "}");
	return o->failed ? problem_internal(p) : 0;
}

enum { RC_ENTITY, RC_NAME, RC_YEAR, RC_NO, RC_CODE, RC_DESC, RC_DRIVER, RC_BASE, RC_AMOUNT, RC_EXPL, RC__N };

/* entity, name, year, line_no, account_code, description, driver, base_year_amount
 * (the line's amount in the base year, pounds; empty for a line that has none: a
 * finance rule's posting), amount (pounds), explanation; text in quotes in the CSV. */
static const struct table_col run_cols[RC__N] = {
	[RC_ENTITY] = { "entity", TABLE_TEXT, TABLE_COL_QUOTE, 9 },
	[RC_NAME] = { "name", TABLE_TEXT, TABLE_COL_QUOTE, 36 },
	[RC_YEAR] = { "year", TABLE_TEXT, 0, 9 },
	[RC_NO] = { "line_no", TABLE_INT, 0, 9 },
	[RC_CODE] = { "account_code", TABLE_TEXT, TABLE_COL_QUOTE, 0 },
	[RC_DESC] = { "description", TABLE_TEXT, TABLE_COL_QUOTE, 44 },
	[RC_DRIVER] = { "driver", TABLE_TEXT, TABLE_COL_QUOTE, 16 },
	[RC_BASE] = { "base_year_amount", TABLE_PENCE, 0, 16 },
	[RC_AMOUNT] = { "amount", TABLE_PENCE, 0, 16 },
	[RC_EXPL] = { "explanation", TABLE_TEXT, TABLE_COL_QUOTE, 80 },
};

/* One entity's lines as rows of run_cols. */
static int sheet_entity(struct run_out *o, struct table *t, const char *e, struct problem *p)
{
	size_t c[LC__N];
	struct db_rows *lines = run_lines(o, e, c, p);
	const char *name = run_view_name(o->x, e);

	if (lines == NULL)
		return -1;
	for (size_t i = 0; i < lines->nrows && !t->failed; i++) {
		const char *stored = db_cell(lines, i, c[LC_LINES]);
		int year = (int)db_cell_i64(lines, i, c[LC_YEAR]);
		cJSON *all = cJSON_ParseWithLengthOpts(stored, strlen(stored), NULL, 0);
		const cJSON *l;
		char ys[8];

		if (!cJSON_IsArray(all)) {
			log_err("forecasts: run %lld: the stored lines of %s in %d do not parse", (long long)o->id, e, year);
			cJSON_Delete(all);
			db_rows_free(lines);
			return problem_internal(p);
		}
		acyear_format(year, ys, sizeof(ys));
		cJSON_ArrayForEach(l, all) {
			const cJSON *f[RL__N];
			int64_t no, pence, base;
			char *text = NULL;

			for (int k = 0; k < RL__N; k++)
				f[k] = cJSON_GetArrayItem(l, k);
			if (jsonv_int(f[RL_NO], &no) != 0 || jsonv_int(f[RL_AMOUNT], &pence) != 0)
				continue;
			if (cJSON_IsObject(f[RL_X]))
				text = forecast_explain_text(cJSON_GetStringValue(f[RL_CODE]), pence, f[RL_X]);
			table_row(t, 0);
			table_text(t, e);
			table_text(t, name);
			table_text(t, ys);
			table_num(t, no);
			table_text(t, cJSON_GetStringValue(f[RL_CODE]));
			table_text(t, cJSON_GetStringValue(f[RL_DESC]));
			table_text(t, cJSON_GetStringValue(f[RL_DRIVER]));
			if (jsonv_int(f[RL_BASE], &base) == 0)
				table_num(t, base);
			else
				table_blank(t);
			table_num(t, pence);
			table_text(t, text);
			free(text);
		}
		cJSON_Delete(all);
	}
	db_rows_free(lines);
	return t->failed ? problem_internal(p) : 0;
}

/* XLSX's second sheet, the years as ?lines=false gives them: entity, name, year,
 * basis, then the columns of the run's years in run_summary_fy. */
static const struct table_col run_summary_cols[] = {
	{ "entity", TABLE_TEXT, 0, 9 }, { "name", TABLE_TEXT, 0, 36 }, { "year", TABLE_TEXT, 0, 9 },
	{ "basis", TABLE_TEXT, 0, 10 }, { "pupils", TABLE_INT, 0, 0 }, { "income", TABLE_PENCE, 0, 0 },
	{ "expenditure", TABLE_PENCE, 0, 0 }, { "in_year_balance", TABLE_PENCE, 0, 0 },
	{ "staff", TABLE_PENCE, 0, 0 }, { "non_staff", TABLE_PENCE, 0, 0 }, { "contingency", TABLE_PENCE, 0, 0 },
	{ "central_charges", TABLE_PENCE, 0, 0 }, { "opening_reserves", TABLE_PENCE, 0, 0 },
	{ "closing_reserves", TABLE_PENCE, 0, 0 }, { "staff_costs_bp", TABLE_BP, 0, 0 },
	{ "reserves_bp", TABLE_BP, 0, 0 }, { "in_year_balance_bp", TABLE_BP, 0, 0 },
};
static const int run_summary_fy[] = {
	STORE_FY_PUPILS, STORE_FY_INCOME, STORE_FY_EXP, STORE_FY_BAL, STORE_FY_STAFF, STORE_FY_NONSTAFF,
	STORE_FY_CONT, STORE_FY_CC, STORE_FY_OPEN, STORE_FY_CLOSE, STORE_FY_STAFF_BP, STORE_FY_RES_BP,
	STORE_FY_BAL_BP,
};
#define RUN_SUMMARY_N (sizeof(run_summary_fy) / sizeof(run_summary_fy[0]))
_Static_assert(sizeof(run_summary_cols) / sizeof(run_summary_cols[0]) == 4 + RUN_SUMMARY_N, "summary columns");

static void run_summary_sheet(struct run_out *o, struct table *t)
{
	const struct store_forecast_rows *x = o->x;
	const struct db_rows *y = x->years;

	table_sheet(t, "Summary", run_summary_cols, 4 + RUN_SUMMARY_N, 0);
	for (size_t i = 0; i < y->nrows; i++) {
		const char *e = db_cell(y, i, RY(ENTITY));
		int year = (int)db_cell_i64(y, i, RY(YEAR));
		char ys[8];

		if (!run_visible(o, e))
			continue;
		acyear_format(year, ys, sizeof(ys));
		table_row(t, strcmp(e, "trust") == 0 ? TABLE_ROW_BOLD : 0);
		table_text(t, e);
		table_text(t, run_view_name(x, e));
		table_text(t, ys);
		table_text(t, year == o->base_year ? "budget" : "forecast");
		for (size_t k = 0; k < RUN_SUMMARY_N; k++) {
			size_t c = x->ycol[run_summary_fy[k]];

			if (db_cell(y, i, c) != NULL)
				table_num(t, db_cell_i64(y, i, c));
			else
				table_blank(t);
		}
	}
}

/* The run as a flat entity x year x line table (CSV or XLSX), the trust last; the
 * XLSX also has the years' figures (sheet Summary). */
static int run_sheet_body(struct run_out *o, struct table *t, struct problem *p)
{
	const struct store_forecast_rows *x = o->x;
	const struct db_rows *y = x->years;

	table_sheet(t, "Lines", run_cols, RC__N, 0);
	for (size_t i = 0, j; i < y->nrows; i = j) {
		const char *e = db_cell(y, i, RY(ENTITY));

		j = run_group_end(o->x, i);
		if (run_visible(o, e) && sheet_entity(o, t, e, p) != 0)
			return -1;
	}
	run_summary_sheet(o, t);
	return t->failed ? problem_internal(p) : 0;
}

int run_reply(struct req *r, int status, int64_t id, const struct run_scope *s, const char *only,
	      enum export_format fmt, int with_lines, int with_data, struct problem *p)
{
	struct store_forecast_rows x;
	struct export e = { 0 };
	struct run_out o = { .r = r, .id = id, .x = &x, .s = s, .only = only, .with_lines = with_lines,
			     .with_data = with_data };
	size_t has_only = 0;
	char stem[48], title[64];
	int rc = -1;

	if (store_forecast_load(r->db, id, &x, p) != 0)
		goto out;
	if (acyear_parse(db_get(x.run, 0, "base_year"), &o.base_year) != 0) {
		problem_internal(p);
		goto out;
	}
	for (size_t i = 0; i < x.years->nrows; i++)
		has_only += only != NULL && strcmp(db_cell(x.years, i, x.ycol[STORE_FY_ENTITY]), only) == 0;
	if (run_scope_allowed(&x, s, id, p) != 0)
		goto out;
	if (only != NULL && !s->all && (strcmp(only, "trust") == 0 || !run_scope_in(s, only))) {
		problem_forbidden(p, "%s is not one of your schools", only);
		goto out;
	}
	if (only != NULL && has_only == 0) {
		problem_not_found(p, "forecast run %lld has no entity %s", (long long)id, only);
		goto out;
	}
	if (fmt != EXPORT_JSON) {
		/* a spreadsheet streams its rows (a large run's XLSX included: export.h) */
		snprintf(stem, sizeof(stem), "forecast-%lld", (long long)id);
		snprintf(title, sizeof(title), "Forecast run %lld", (long long)id);
		if (export_begin(&e, fmt, EXPORT_STREAM, title, p) == 0 && run_sheet_body(&o, &e.t, p) == 0)
			rc = export_reply(r, &e, stem, NULL, p);
		goto out;
	}
	if ((o.b = evbuffer_new()) == NULL) {
		problem_internal(p);
		goto out;
	}
	if (run_json_body(&o, p) != 0)
		goto out;
	rc = http_reply_buffer_versioned(r, status, "application/json; charset=utf-8", o.b, db_get_i64(x.run, 0, "version"), p);
out:
	if (rc != 0 && o.failed)
		log_err("forecasts: out of memory rendering run %lld", (long long)id);
	if (o.b != NULL)
		evbuffer_free(o.b);
	export_end(&e);
	store_forecast_rows_free(&x);
	return rc;
}

int run_reply_all(struct req *r, int status, int64_t id, struct problem *p)
{
	const struct run_scope all = { .all = 1 };

	return run_reply(r, status, id, &all, NULL, EXPORT_JSON, 1, 0, p);
}
