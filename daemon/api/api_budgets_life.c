/*
 * api_budgets_life.c - a budget's start and end outside the line edits (issue 14):
 *
 * POST /api/v1/schools/{urn}/budgets/{year} starts the year's draft from another
 * year's budget of the same entity ({"copy_from": {"budget_year": "2025-26"}}: its
 * typed lines, never the lines on internal codes, which the finance-rule plugins
 * post) or from a forecast run's projection of the entity for the year
 * ({"copy_from": {"forecast_id": 12}}: its lines on external codes, as the run
 * stored them, rounded to the penny; internal codes are left to the plugins). 409
 * when the year has a budget; 404 when the source does not exist, 422 when it has
 * nothing for this entity and year. Audited "create_from" with the source as the
 * before-image; Idempotency-Key as every POST.
 *
 * DELETE of the same path removes a draft created by mistake with its lines
 * (store_budget_delete says which may go), audited "delete"; If-Match required.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "budget.h"
#include "budget_view.h"
#include "date.h"
#include "jsonv.h"
#include "log.h"
#include "money.h"
#include "store_budgets.h"
#include "store_forecasts.h"

/* ---- DELETE ---- */

struct budget_del {
	struct req *r;
	const struct store_budget_ref *e;
	const struct budget_chart *chart;
	int64_t want;
};

static int budget_del_txn(struct db *db, void *arg, struct problem *p)
{
	struct budget_del *d = arg;
	struct audit_actor who = api_actor(d->r);

	return store_budget_delete(db, &who, d->e, d->chart, d->want, p);
}

int api_budget_delete(struct req *r, struct problem *p)
{
	struct store_budget_ref e;
	struct budget_chart chart = { 0 };
	struct budget_del d = { .r = r, .e = &e, .chart = &chart };
	int rc = -1;

	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0 || api_budget_ref(r, &e, p) != 0 ||
	    api_budget_if_match(r, &d.want, p) != 0 || store_budget_chart(r->db, &chart, p) != 0 ||
	    api_txn(r, budget_del_txn, &d, p) != 0)
		goto out;
	rc = http_reply_empty(r, 204, NULL);
out:
	free(chart.accounts);
	return rc;
}

/* ---- POST: start from another year or a forecast ---- */

enum { CF_COPY, CF__N };
enum { CS_YEAR, CS_RUN, CS__N };

static const struct jv_field create_fields[CF__N] = {
	[CF_COPY] = { "copy_from", JV_OBJECT, JV_REQUIRED, 0, 0, NULL, NULL },
};
static const struct jv_field source_fields[CS__N] = {
	[CS_YEAR] = { "budget_year", JV_ACYEAR, 0, 0, 0, NULL, NULL },
	[CS_RUN] = { "forecast_id", JV_INT, 0, 1, API_ID_MAX, NULL, NULL },
};

/* A source line onto nb unless its code is internal (or unknown: a code since
 * retired is kept, and named at submit as any other). */
static int copy_line(struct budget *nb, const char *code, const char *desc, int64_t pence, const char *driver,
		     int excluded, struct problem *p)
{
	const struct budget_account *a = budget_chart_find(nb->chart, code);
	struct budget_line *l;

	if (a != NULL && a->is_internal)
		return 0;
	if ((l = budget_add_line(nb, code, desc != NULL ? desc : "", pence)) == NULL)
		return problem_internal(p);
	if (driver != NULL && budget_check_driver(driver) == NULL)
		snprintf(l->driver, sizeof(l->driver), "%s", driver);
	l->excluded_from_central = excluded;
	return 0;
}

/* The typed lines of the entity's budget for year. */
static int copy_from_budget(struct req *r, const struct store_budget_ref *e, int year, struct budget *nb,
			    struct problem *p)
{
	struct store_budget_ref src = *e;
	struct store_budget x = { 0 };
	char ys[8];
	int found, rc = -1;

	acyear_format(year, ys, sizeof(ys));
	src.year = year;
	src.year_s = ys;
	if (year == e->year) {
		problem_field(p, "/copy_from/budget_year", "is the year being started: name another year");
		return problem_validation_done(p);
	}
	if ((found = store_budget_read(r->db, &src, &x, p)) < 0)
		goto out;
	if (found == 0) {
		problem_not_found(p, "there is no budget for %s in %s to start %s from", e->urn, ys, e->year_s);
		goto out;
	}
	if (store_budget_read_lines(r->db, &src, nb->chart, &x, p) != 0)
		goto out;
	for (size_t i = 0; i < x.b.nlines; i++) {
		const struct budget_line *l = &x.b.lines[i];

		if (!l->computed && copy_line(nb, l->code, l->description, l->amount_pence, l->driver[0] ? l->driver : NULL,
					      l->excluded_from_central, p) != 0)
			goto out;
	}
	rc = 0;
out:
	store_budget_free(&x);
	return rc;
}

/* The run's projected lines of the entity for the budget's year. */
static int copy_from_run(struct req *r, const struct store_budget_ref *e, int64_t run, struct budget *nb,
			 struct problem *p)
{
	struct store_forecast_rows x = { 0 };
	struct db_rows *rows = NULL;
	cJSON *lines = NULL, *l;
	const char *text = NULL;
	int rc = -1;

	/* 404 when the run does not exist; the entity's part of it is the caller's to read, as
	 * GET /forecasts/{id} shows it: api_budget_ref has checked the URN against the scope */
	if (store_forecast_load(r->db, run, &x, p) != 0)
		goto out;
	/* a draft run is the finance director's and auditors' only (issue 15) */
	if (r->id.role == ROLE_BUSINESS_MANAGER && strcmp(db_get(x.run, 0, "status"), "published") != 0) {
		problem_forbidden(p, "forecast run %lld is a draft: only the finance director and auditors see it "
				  "until it is published", (long long)run);
		goto out;
	}
	if (store_forecast_lines(r->db, run, e->urn, &rows, p) != 0)
		goto out;
	for (size_t i = 0; i < rows->nrows && text == NULL; i++)
		if (db_cell_i64(rows, i, 0) == e->year)
			text = db_cell(rows, i, 1);
	if (text == NULL) {
		problem_field(p, "/copy_from/forecast_id", "forecast run %lld projects nothing for %s in %s (a run projects "
			      "the years after its base year, for the entities it was run for)", (long long)run, e->urn,
			      e->year_s);
		rc = problem_validation_done(p);
		goto out;
	}
	if ((lines = cJSON_ParseWithLength(text, strlen(text))) == NULL || !cJSON_IsArray(lines)) {
		log_err("budgets: forecast run %lld: the lines of %s in %d do not parse", (long long)run, e->urn, e->year);
		problem_internal(p);
		goto out;
	}
	/* [line_no, code, description, driver, amount_pence, explain] (schema/006) */
	cJSON_ArrayForEach(l, lines) {
		const char *code = cJSON_GetStringValue(cJSON_GetArrayItem(l, 1));
		const cJSON *amount = cJSON_GetArrayItem(l, 4);

		if (code == NULL || !cJSON_IsNumber(amount)) {
			log_err("budgets: forecast run %lld: a line of %s does not parse", (long long)run, e->urn);
			problem_internal(p);
			goto out;
		}
		if (nb->nlines == BUDGET_MAX_LINES) {
			problem_field(p, "/copy_from/forecast_id", "the projection has more than %d lines", BUDGET_MAX_LINES);
			rc = problem_validation_done(p);
			goto out;
		}
		if (copy_line(nb, code, cJSON_GetStringValue(cJSON_GetArrayItem(l, 2)),
			      (int64_t)cJSON_GetNumberValue(amount), NULL, 0, p) != 0)
			goto out;
	}
	rc = 0;
out:
	cJSON_Delete(lines);
	db_rows_free(rows);
	store_forecast_rows_free(&x);
	return rc;
}

struct budget_start {
	struct req *r;
	const struct store_budget_ref *e;
	const struct budget_chart *chart;
	const struct budget *nb;
	const cJSON *source;
	cJSON *after;
};

static int budget_start_txn(struct db *db, void *arg, struct problem *p)
{
	struct budget_start *bs = arg;
	struct audit_actor who = api_actor(bs->r);
	int exists;

	cJSON_Delete(bs->after);                 /* db_txn may run this again after a deadlock */
	bs->after = NULL;
	if (store_budget_lock(db, bs->e, &exists, p) != 0)
		return -1;
	if (exists)
		return problem_conflict(p, "there is already a budget for %s in %s: change it, or delete it first "
					"if it is a draft created by mistake", bs->e->urn, bs->e->year_s);
	return store_budget_create_from(db, &who, bs->e, bs->chart, bs->nb, bs->source, &bs->after, p);
}

int api_budget_create(struct req *r, struct problem *p)
{
	struct store_budget_ref e;
	struct budget_chart chart = { 0 };
	struct budget nb;
	struct budget_start bs = { .r = r, .e = &e, .chart = &chart, .nb = &nb };
	struct jv_value v[CF__N] = { 0 }, s[CS__N] = { 0 };
	cJSON *in = NULL, *source = NULL;
	char what[64], ys[8];
	int rc = -1;

	budget_init(&nb, BUDGET_MAINSTREAM, &chart);
	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0 || api_budget_ref(r, &e, p) != 0 ||
	    (in = http_read_json(r, p)) == NULL)
		goto out;
	nb.entity = e.entity;
	if (jsonv_object(in, "", create_fields, CF__N, v, p) == 0 && cJSON_IsObject(v[CF_COPY].item) &&
	    jsonv_object(v[CF_COPY].item, "/copy_from", source_fields, CS__N, s, p) == 0 &&
	    s[CS_YEAR].present == s[CS_RUN].present)
		problem_field(p, "/copy_from", "name one source: {\"budget_year\": \"2025-26\"} or {\"forecast_id\": 12}");
	else if (v[CF_COPY].present && !cJSON_IsObject(v[CF_COPY].item))
		problem_field(p, "/copy_from", "must be an object: {\"budget_year\": \"2025-26\"} or {\"forecast_id\": 12}");
	if (problem_validation_done(p) != 0 || store_budget_chart(r->db, &chart, p) != 0)
		goto out;
	if (s[CS_YEAR].present) {
		acyear_format((int)s[CS_YEAR].i, ys, sizeof(ys));
		snprintf(what, sizeof(what), "budget %s", ys);
		if (copy_from_budget(r, &e, (int)s[CS_YEAR].i, &nb, p) != 0)
			goto out;
	} else {
		snprintf(what, sizeof(what), "forecast run %lld", (long long)s[CS_RUN].i);
		if (copy_from_run(r, &e, s[CS_RUN].i, &nb, p) != 0)
			goto out;
	}
	if ((source = cJSON_CreateObject()) == NULL || cJSON_AddStringToObject(source, "created_from", what) == NULL) {
		problem_internal(p);
		goto out;
	}
	bs.source = source;
	if (api_txn(r, budget_start_txn, &bs, p) != 0)
		goto out;
	evhttp_add_header(evhttp_request_get_output_headers(r->ev), "Location", r->path);
	rc = budget_view_reply(r, &e, &chart, 201, p);
out:
	cJSON_Delete(bs.after);
	cJSON_Delete(source);
	cJSON_Delete(in);
	budget_clear(&nb);
	free(chart.accounts);
	return rc;
}
