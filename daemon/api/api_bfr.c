/*
 * api_bfr.c - the budget forecast return (ISSUE17_CONTRACT section 4; README "The
 * BFR"): GET /api/v1/bfr/{year}?run=&month=&urn= (trust roles) as JSON, or CSV / XLSX
 * (Accept), and PUT /api/v1/bfr/{year}/notes/{scope} (the finance director): why
 * reserves over 20% of income are held. bfr_build.c assembles the figures.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "acmonth.h"
#include "api.h"
#include "bfr_build.h"
#include "date.h"
#include "export.h"
#include "jsonv.h"
#include "store_bfr.h"

/* ---- the query ---- */

struct bfr_query {
	int year;                                /* B */
	int64_t run;
	int month;                               /* of B-1; 0: monitoring's default (latest closed, else September) */
	const char *urn;                         /* NULL: every entity */
};

static int bfr_path_year(struct req *r, int *year, struct problem *p)
{
	const char *ys = http_param(r, "year");

	if (ys == NULL || acyear_parse(ys, year) != 0) {
		problem_field(p, "path:year", "must be an academic year written like 2027-28");
		return problem_bad_request(p, "%s is not an academic year", ys != NULL ? ys : "");
	}
	return 0;
}

static int bfr_query(struct req *r, struct bfr_query *q, struct problem *p)
{
	const char *m, *urn;
	int my, mm;

	memset(q, 0, sizeof(*q));
	if (http_query_allow(r, (const char *const[]){ "run", "month", "urn", NULL }, p) != 0 ||
	    bfr_path_year(r, &q->year, p) != 0)
		return -1;
	api_query_id(r, "run", "forecast run", &q->run, p);
	if ((m = http_query(r, "month")) != NULL) {
		if (acmonth_parse(m, &my, &mm) != 0)
			problem_field(p, "query:month", "must be a month written like 2026-11");
		else if (my != q->year - 1)
			problem_field(p, "query:month", "must be a month of the year before the BFR's (its forecast outturn)");
		else
			q->month = mm;
	}
	if ((urn = http_query(r, "urn")) != NULL) {
		if (!api_urn_valid(urn))
			problem_field(p, "query:urn", "must be a school's URN (six digits) or central");
		q->urn = urn;
	}
	if (problem_validation_done(p) != 0)
		return -1;
	return 0;
}

/* ---- JSON ---- */

static const char *bfr_basis(const struct bfr_view *v, enum bfr_period k)
{
	switch (k) {
	case BFR_P_B2_SEP_MAR:
	case BFR_P_B2_APR_AUG:
		return "actual";
	case BFR_P_B1_SEP_MAR:
		return v->month >= 7 ? "actual" : "forecast";
	case BFR_P_B1_APR_AUG:
		return v->month >= 12 ? "actual" : "forecast";
	case BFR_P_B_SEP_MAR:
	case BFR_P_B_APR_AUG:
		return "budget";
	default:
		return "forecast";
	}
}

static cJSON *bfr_periods_json(const struct bfr_view *v)
{
	cJSON *a = cJSON_CreateArray(), *o;
	char ys[8];

	for (int k = 0; a != NULL && k < BFR_NPERIODS; k++) {
		acyear_format(v->year + bfr_period_offset((enum bfr_period)k), ys, sizeof(ys));
		if ((o = cJSON_CreateObject()) == NULL || !cJSON_AddItemToArray(a, o) ||
		    cJSON_AddStringToObject(o, "key", bfr_period_key((enum bfr_period)k)) == NULL ||
		    cJSON_AddStringToObject(o, "year", ys) == NULL ||
		    cJSON_AddStringToObject(o, "part", bfr_period_part((enum bfr_period)k)) == NULL ||
		    cJSON_AddStringToObject(o, "basis", bfr_basis(v, (enum bfr_period)k)) == NULL) {
			cJSON_Delete(a);
			return NULL;
		}
	}
	return a;
}

static cJSON *bfr_lines_json(const struct bfr_view *v, const struct bfr_scope *s)
{
	cJSON *a = cJSON_CreateArray(), *o, *vals;

	for (size_t l = 0; a != NULL && l < v->nlines; l++) {
		const struct bfr_line_def *d = &v->lines[l];

		if ((o = cJSON_CreateObject()) == NULL || !cJSON_AddItemToArray(a, o) ||
		    cJSON_AddNumberToObject(o, "line_no", d->line_no) == NULL ||
		    cJSON_AddStringToObject(o, "label", d->label) == NULL ||
		    cJSON_AddStringToObject(o, "section", bfr_section_name(d->section)) == NULL ||
		    cJSON_AddStringToObject(o, "kind", bfr_kind_name(d->kind)) == NULL ||
		    cJSON_AddBoolToObject(o, "published", d->published) == NULL ||
		    (vals = cJSON_AddObjectToObject(o, d->kind == BFR_KIND_PUPILS ? "values" : "values_pence")) == NULL)
			goto fail;
		for (int k = 0; k < BFR_NPERIODS; k++)
			if (cJSON_AddNumberToObject(vals, bfr_period_key((enum bfr_period)k),
						    (double)bfr_view_value(v, s, l, (enum bfr_period)k)) == NULL)
				goto fail;
	}
	return a;
fail:
	cJSON_Delete(a);
	return NULL;
}

/* {"<period key>": closing reserves (430), "income_pence": B's income, "over_20pct",
 * "explanation": the note's, or null} */
static cJSON *bfr_reserves_json(const struct bfr_view *v, const struct bfr_scope *s)
{
	cJSON *o = cJSON_CreateObject();
	int bl = bfr_line_index(&v->map, BFR_LINE_BALANCE);
	int64_t closing, income;

	bfr_view_reserves(v, s, &closing, &income);
	for (int k = 0; o != NULL && k < BFR_NPERIODS; k++)
		if (cJSON_AddNumberToObject(o, bfr_period_key((enum bfr_period)k),
					    (double)bfr_view_value(v, s, (size_t)bl, (enum bfr_period)k)) == NULL)
			goto fail;
	if (o == NULL || cJSON_AddNumberToObject(o, "income_pence", (double)income) == NULL ||
	    cJSON_AddBoolToObject(o, "over_20pct", bfr_reserves_over(closing, income)) == NULL ||
	    (s->explanation != NULL && s->explanation[0] != '\0'
		     ? cJSON_AddStringToObject(o, "explanation", s->explanation)
		     : cJSON_AddNullToObject(o, "explanation")) == NULL ||
	    cJSON_AddNumberToObject(o, "note_version", (double)s->note_version) == NULL)
		goto fail;
	return o;
fail:
	cJSON_Delete(o);
	return NULL;
}

static int bfr_scope_json(const struct bfr_view *v, const struct bfr_scope *s, cJSON *o, int entity)
{
	cJSON *x;

	if (entity && (cJSON_AddStringToObject(o, "urn", s->urn) == NULL ||
		       cJSON_AddStringToObject(o, "name", s->name != NULL ? s->name : "") == NULL ||
		       cJSON_AddStringToObject(o, "year_b_basis", s->b_from_budget ? "budget" : "run") == NULL))
		return -1;
	if ((x = bfr_lines_json(v, s)) == NULL || !cJSON_AddItemToObject(o, "lines", x)) {
		cJSON_Delete(x);
		return -1;
	}
	if ((x = bfr_reserves_json(v, s)) == NULL || !cJSON_AddItemToObject(o, "reserves", x)) {
		cJSON_Delete(x);
		return -1;
	}
	return 0;
}

static cJSON *bfr_json(const struct bfr_view *v, const struct bfr_query *q)
{
	const struct db_rows *rr = v->run.run;
	cJSON *o = cJSON_CreateObject(), *run, *sc, *x, *ents, *eo;
	char ys[8], ms[8];

	acyear_format(v->year, ys, sizeof(ys));
	if (v->month > 0)
		acmonth_format(v->year - 1, v->month, ms, sizeof(ms));
	if (o == NULL || cJSON_AddStringToObject(o, "year", ys) == NULL ||
	    (run = cJSON_AddObjectToObject(o, "run")) == NULL ||
	    cJSON_AddNumberToObject(run, "id", (double)v->run_id) == NULL ||
	    cJSON_AddStringToObject(run, "label", db_get(rr, 0, "label")) == NULL ||
	    (sc = cJSON_AddObjectToObject(run, "scenario")) == NULL ||
	    cJSON_AddNumberToObject(sc, "id", (double)db_get_i64(rr, 0, "_scenario_id")) == NULL ||
	    cJSON_AddStringToObject(sc, "name", db_get(rr, 0, "_scenario_name")) == NULL ||
	    cJSON_AddNumberToObject(sc, "version", (double)db_get_i64(rr, 0, "_scenario_version")) == NULL ||
	    (v->month > 0 ? cJSON_AddStringToObject(o, "month", ms) : cJSON_AddNullToObject(o, "month")) == NULL ||
	    (x = bfr_periods_json(v)) == NULL || !cJSON_AddItemToObject(o, "periods", x))
		goto fail;
	if ((x = cJSON_AddObjectToObject(o, "trust")) == NULL || bfr_scope_json(v, &v->trust, x, 0) != 0 ||
	    (ents = cJSON_AddArrayToObject(o, "entities")) == NULL)
		goto fail;
	for (size_t i = 0; i < v->ne; i++) {
		if (q->urn != NULL && strcmp(q->urn, v->e[i].urn) != 0)
			continue;
		if ((eo = cJSON_CreateObject()) == NULL || !cJSON_AddItemToArray(ents, eo) ||
		    bfr_scope_json(v, &v->e[i], eo, 1) != 0)
			goto fail;
	}
	if ((x = cJSON_Duplicate(v->pay_awards, 1)) == NULL || !cJSON_AddItemToObject(o, "pay_awards", x) ||
	    (x = bfr_reserves_json(v, &v->trust)) == NULL || !cJSON_AddItemToObject(o, "reserves", x) ||
	    (x = cJSON_Duplicate(v->warnings, 1)) == NULL || !cJSON_AddItemToObject(o, "warnings", x))
		goto fail;
	return o;
fail:
	cJSON_Delete(o);
	return NULL;
}

/* ---- CSV and XLSX: a row per scope and line, a column per period ---- */

enum { BC_SCOPE, BC_NAME, BC_LINE, BC_LABEL, BC_KIND, BC_PUB, BC__FIXED };

static int bfr_sheet(struct req *r, const struct bfr_view *v, const struct bfr_query *q, enum export_format fmt,
		     struct problem *p)
{
	struct table_col cols[BC__FIXED + BFR_NPERIODS];
	struct export e = { 0 };
	char stem[48], title[64], ys[8];
	int rc = -1;

	acyear_format(v->year, ys, sizeof(ys));
	snprintf(stem, sizeof(stem), "bfr-%s-run-%lld", ys, (long long)v->run_id);
	snprintf(title, sizeof(title), "BFR %s (run %lld)", ys, (long long)v->run_id);
	cols[BC_SCOPE] = (struct table_col){ "entity", TABLE_TEXT, 0, 9 };
	cols[BC_NAME] = (struct table_col){ "name", TABLE_TEXT, 0, 36 };
	cols[BC_LINE] = (struct table_col){ "line_no", TABLE_INT, 0, 0 };
	cols[BC_LABEL] = (struct table_col){ "label", TABLE_TEXT, 0, 48 };
	cols[BC_KIND] = (struct table_col){ "kind", TABLE_TEXT, 0, 9 };
	cols[BC_PUB] = (struct table_col){ "published", TABLE_TEXT, 0, 9 };
	for (int k = 0; k < BFR_NPERIODS; k++)
		cols[BC__FIXED + k] = (struct table_col){ bfr_period_key((enum bfr_period)k), TABLE_PENCE, 0, 0 };
	if (export_begin(&e, fmt, 0, title, p) != 0)
		goto out;
	table_sheet(&e.t, "BFR", cols, BC__FIXED + BFR_NPERIODS, 0);
	for (size_t i = 0; i <= v->ne; i++) {
		const struct bfr_scope *s = i == 0 ? &v->trust : &v->e[i - 1];

		if (i > 0 && q->urn != NULL && strcmp(q->urn, s->urn) != 0)
			continue;
		for (size_t l = 0; l < v->nlines; l++) {
			const struct bfr_line_def *d = &v->lines[l];

			table_row(&e.t, d->kind == BFR_KIND_LINE ? 0 : TABLE_ROW_BOLD);
			table_text(&e.t, s->urn);
			table_text(&e.t, s->name != NULL ? s->name : "");
			table_num(&e.t, d->line_no);
			table_text(&e.t, d->label);
			table_text(&e.t, bfr_kind_name(d->kind));
			table_text(&e.t, d->published ? "yes" : "no");
			for (int k = 0; k < BFR_NPERIODS; k++) {
				int64_t x = bfr_view_value(v, s, l, (enum bfr_period)k);

				/* pupils are a count: as pence x 100 they read whole in the pounds column */
				table_num(&e.t, d->kind == BFR_KIND_PUPILS ? x * 100 : x);
			}
		}
	}
	rc = export_reply(r, &e, stem, NULL, p);
out:
	export_end(&e);
	return rc;
}

int api_bfr_get(struct req *r, struct problem *p)
{
	struct bfr_query q;
	struct bfr_view v = { 0 };
	enum export_format fmt = export_format(r);
	cJSON *o = NULL;
	int rc = -1;

	if (bfr_query(r, &q, p) != 0)
		return -1;
	if (q.urn != NULL) {
		int64_t id;
		int found = api_school_find(r, q.urn, &id, NULL, p);

		if (found < 0)
			return -1;
		if (found == 0) {
			problem_field(p, "query:urn", "no school or central team has this URN");
			return problem_validation_done(p);
		}
	}
	if (bfr_view_build(r, q.year, q.run, q.month, q.urn, &v, p) != 0)
		goto out;
	if (fmt != EXPORT_JSON) {
		rc = bfr_sheet(r, &v, &q, fmt, p);
		goto out;
	}
	if ((o = bfr_json(&v, &q)) == NULL) {
		problem_internal(p);
		goto out;
	}
	rc = api_reply_derived(r, 200, o, 0, p);
out:
	cJSON_Delete(o);
	bfr_view_free(&v);
	return rc;
}

/* ---- notes ---- */

enum { NF_TEXT, NF_YEAR, NF_SCOPE, NF_VERSION, NF_BY, NF_CREATED, NF_UPDATED, NF__N };
static const struct jv_field note_fields[NF__N] = {
	[NF_TEXT] = { "reserves_explanation", JV_STRING, JV_REQUIRED | JV_LINES, 0, 4000, NULL, NULL },
	[NF_YEAR] = { "year", JV_INT, JV_READONLY, 0, 0, NULL, NULL },
	[NF_SCOPE] = { "scope", JV_STRING, JV_READONLY, 0, 0, NULL, NULL },
	[NF_VERSION] = { "version", JV_INT, JV_READONLY, 0, 0, NULL, NULL },
	[NF_BY] = { "updated_by", JV_STRING, JV_READONLY, 0, 0, NULL, NULL },
	[NF_CREATED] = { "created_at", JV_STRING, JV_READONLY, 0, 0, NULL, NULL },
	[NF_UPDATED] = { "updated_at", JV_STRING, JV_READONLY, 0, 0, NULL, NULL },
};

struct note_put {
	struct req *r;
	int year;
	const char *scope, *text;
	int has_if_match, created;
	int64_t want_version;
	cJSON *after;
};

static int note_put_txn(struct db *db, void *arg, struct problem *p)
{
	struct note_put *n = arg;
	struct audit_actor who = api_actor(n->r);

	return store_bfr_note_put(db, &who, n->year, n->scope, n->has_if_match, n->want_version, n->text, &n->after,
				  &n->created, p);
}

int api_bfr_note_put(struct req *r, struct problem *p)
{
	struct note_put n = { .r = r };
	struct jv_value v[NF__N];
	cJSON *in = NULL;
	char loc[80], ys[8];
	int rc = -1;

	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0 || bfr_path_year(r, &n.year, p) != 0)
		return -1;
	n.scope = http_param(r, "scope");
	if (n.scope == NULL || (strcmp(n.scope, "trust") != 0 && !api_urn_valid(n.scope)))
		return problem_not_found(p, "no BFR note scope %s (trust, a URN or central)", n.scope ? n.scope : "");
	if (strcmp(n.scope, "trust") != 0) {
		int64_t id;
		int found = api_school_find(r, n.scope, &id, NULL, p);

		if (found < 0)
			return -1;
		if (found == 0)
			return problem_not_found(p, "no school or central team has URN %s", n.scope);
	}
	n.has_if_match = http_header(r, "If-Match") != NULL;
	if (n.has_if_match && http_if_match(r, &n.want_version, p) != 0)
		return -1;
	if ((in = http_read_json(r, p)) == NULL)
		return -1;
	jsonv_object(in, "", note_fields, NF__N, v, p);
	if (problem_validation_done(p) != 0)
		goto out;
	n.text = v[NF_TEXT].s;
	if (api_txn(r, note_put_txn, &n, p) != 0)
		goto out;
	acyear_format(n.year, ys, sizeof(ys));
	snprintf(loc, sizeof(loc), "/api/v1/bfr/%s/notes/%s", ys, n.scope);
	rc = api_reply_versioned(r, n.created ? 201 : 200, n.after, n.created ? loc : NULL);
out:
	cJSON_Delete(n.after);
	cJSON_Delete(in);
	return rc;
}
