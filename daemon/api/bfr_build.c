/* bfr_build.c - a year's BFR from the actuals, the monitoring outturn, the budgets
 * and a published run; see bfr_build.h. */
#include "bfr_build.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "acmonth.h"
#include "api.h"
#include "budget_months.h"
#include "date.h"
#include "jsonv.h"
#include "log.h"
#include "money.h"
#include "profile.h"
#include "store_bfr.h"
#include "store_actuals.h"
#include "store_budgets.h"
#include "worker.h"
#include "monitor_view.h"

static const char *const bv_keys[BFR_NPERIODS] = {
	"B-2_sep_mar", "B-2_apr_aug", "B-1_sep_mar", "B-1_apr_aug", "B_sep_mar", "B_apr_aug", "B+1", "B+2",
};
static const int bv_offsets[BFR_NPERIODS] = { -2, -2, -1, -1, 0, 0, 1, 2 };

const char *bfr_period_key(enum bfr_period k)
{
	return bv_keys[k];
}

int bfr_period_offset(enum bfr_period k)
{
	return bv_offsets[k];
}

const char *bfr_period_part(enum bfr_period k)
{
	return k >= BFR_P_B_PLUS1 ? "full" : k % 2 == 0 ? "sep_mar" : "apr_aug";
}

/* ---- helpers ---- */

static int bv_warn(struct bfr_view *v, const char *entity, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int bv_warn(struct bfr_view *v, const char *entity, const char *code, const char *fmt, ...)
{
	char msg[400];
	va_list ap;
	cJSON *o;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return (o = cJSON_CreateObject()) != NULL && cJSON_AddItemToArray(v->warnings, o) &&
	       cJSON_AddStringToObject(o, "entity", entity) != NULL && cJSON_AddStringToObject(o, "code", code) != NULL &&
	       cJSON_AddStringToObject(o, "message", msg) != NULL ? 0 : -1;
}

static int bv_cmp_scope(const void *k, const void *e)
{
	return strcmp(k, ((const struct bfr_scope *)e)->urn);
}

/* The entity with this URN (the array is in strcmp order: digits before "central"), or NULL. */
static struct bfr_scope *bv_scope(struct bfr_view *v, const char *urn)
{
	return bsearch(urn, v->e, v->ne, sizeof(*v->e), bv_cmp_scope);
}

/* Add amount to account a of period k of scope s. 0, or -1 on overflow. */
static int bv_add(struct bfr_view *v, struct bfr_scope *s, enum bfr_period k, size_t a, int64_t amount)
{
	int64_t *x = &s->amounts[(size_t)k * v->chart.n + a];

	return money_add(*x, amount, x);
}

/* Add a year's twelve months of account a to the Sep-Mar and Apr-Aug periods from k. */
static int bv_add_months(struct bfr_view *v, struct bfr_scope *s, enum bfr_period k, size_t a,
			 const int64_t months[12])
{
	int64_t sm, aa;

	return bfr_split_year(months, &sm, &aa) != 0 || bv_add(v, s, k, a, sm) != 0 ||
	       bv_add(v, s, (enum bfr_period)(k + 1), a, aa) != 0 ? -1 : 0;
}

int64_t bfr_view_value(const struct bfr_view *v, const struct bfr_scope *s, size_t l, enum bfr_period k)
{
	(void)v;
	return s->out[l * BFR_NPERIODS + (size_t)k];
}

void bfr_view_reserves(const struct bfr_view *v, const struct bfr_scope *s, int64_t *closing, int64_t *income)
{
	int b = bfr_line_index(&v->map, BFR_LINE_BALANCE), i = bfr_line_index(&v->map, BFR_LINE_INCOME_TOTAL);

	*closing = bfr_view_value(v, s, (size_t)b, BFR_P_B_APR_AUG);
	if (money_add(bfr_view_value(v, s, (size_t)i, BFR_P_B_SEP_MAR), bfr_view_value(v, s, (size_t)i, BFR_P_B_APR_AUG),
		      income) != 0)
		*income = INT64_MAX;
}

/* ---- the run ---- */

static int bv_run_bad(struct problem *p, const char *why)
{
	problem_field(p, "query:run", "%s", why);
	return problem_validation_done(p);
}

/* The run: published, of every entity, base year B-1, horizon >= 3. */
static int bv_run(struct req *r, struct bfr_view *v, struct problem *p)
{
	const struct db_rows *rr;
	int base;

	if (store_forecast_load(r->db, v->run_id, &v->run, p) != 0) {
		if (p->status != 404)
			return -1;
		problem_reset(p);
		return bv_run_bad(p, "no forecast run has this id");
	}
	rr = v->run.run;
	if (strcmp(db_get(rr, 0, "status"), "published") != 0)
		return bv_run_bad(p, "must be a published forecast run (this one is a draft)");
	if (db_get(rr, 0, "_entities") != NULL)
		return bv_run_bad(p, "must be a run of the whole trust (this one was run for some entities only)");
	if (acyear_parse(db_get(rr, 0, "base_year"), &base) != 0 || base != v->year - 1)
		return bv_run_bad(p, "must be a run whose base year is the year before the BFR's");
	if (db_get_i64(rr, 0, "horizon") < 3)
		return bv_run_bad(p, "must be a run of at least 3 years beyond its base year");
	return 0;
}

/* The pay awards the run's scenario assumed: its teacher_pay_bp and support_pay_bp by year. */
static int bv_pay_awards(struct bfr_view *v)
{
	const char *inputs = db_get(v->run.run, 0, "_inputs");
	cJSON *in = inputs != NULL ? cJSON_Parse(inputs) : NULL, *as, *x;
	static const char *const keys[] = { "teacher_pay_bp", "support_pay_bp" };
	int rc = 0;

	if ((v->pay_awards = cJSON_CreateObject()) == NULL) {
		cJSON_Delete(in);
		return -1;
	}
	as = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(in, "scenario"), "spec"), "assumptions");
	for (size_t i = 0; rc == 0 && i < 2; i++) {
		x = cJSON_DetachItemFromObjectCaseSensitive(as, keys[i]);
		if (!cJSON_IsObject(x)) {
			cJSON_Delete(x);
			x = cJSON_CreateObject();
		}
		if (x == NULL || !cJSON_AddItemToObject(v->pay_awards, keys[i], x)) {
			cJSON_Delete(x);
			rc = -1;
		}
	}
	cJSON_Delete(in);
	return rc;
}

/* A line of lines_json: [line_no, code, description, driver, amount_pence, ...]. */
static int bv_run_line(const cJSON *l, const char **code, int64_t *amount)
{
	const cJSON *c = cJSON_GetArrayItem(l, 1), *a = cJSON_GetArrayItem(l, 4);

	if (!cJSON_IsString(c) || jsonv_int(a, amount) != 0)
		return -1;
	*code = c->valuestring;
	return 0;
}

/* Entity s's run lines of B (unless its budget gives B: split by the accounts' default
 * profiles), B+1 and B+2. */
static int bv_run_lines(struct req *r, struct bfr_view *v, struct bfr_scope *s, int32_t (*weights)[12],
			struct problem *p)
{
	struct db_rows *rows = NULL;
	int rc = 0;

	if (store_forecast_lines(r->db, v->run_id, s->urn, &rows, p) != 0)
		return -1;
	for (size_t i = 0; rc == 0 && i < rows->nrows; i++) {
		int year = (int)db_cell_i64(rows, i, 0);
		const char *text = db_cell(rows, i, 1);
		cJSON *all = text != NULL ? cJSON_Parse(text) : NULL;
		const cJSON *l;
		enum bfr_period k = year == v->year ? BFR_P_B_SEP_MAR : year == v->year + 1 ? BFR_P_B_PLUS1
						      : year == v->year + 2 ? BFR_P_B_PLUS2 : BFR_NPERIODS;

		if (!cJSON_IsArray(all))
			rc = -1;
		cJSON_ArrayForEach(l, all) {
			const struct budget_account *acc;
			const char *code;
			int64_t amount, m[12];
			size_t a;

			if (rc != 0 || k == BFR_NPERIODS || (k == BFR_P_B_SEP_MAR && s->b_from_budget))
				break;
			if (bv_run_line(l, &code, &amount) != 0) {
				rc = -1;
				break;
			}
			if ((acc = budget_chart_find(&v->chart, code)) == NULL)
				continue;
			a = (size_t)(acc - v->chart.accounts);
			if (k == BFR_P_B_SEP_MAR)
				rc = profile_split(amount, weights[a], m) != 0 || bv_add_months(v, s, k, a, m) != 0 ? -1 : 0;
			else
				rc = bv_add(v, s, k, a, amount);
		}
		cJSON_Delete(all);
	}
	db_rows_free(rows);
	if (rc != 0) {
		log_err("bfr: run %lld: the lines of %s do not parse or overflow", (long long)v->run_id, s->urn);
		return problem_internal(p);
	}
	return 0;
}

/* ---- a year's budgets, each line with its months ---- */

/* What to do with a budget line of entity s on account a: its amount and twelve months. */
typedef int (*bv_line_fn)(struct bfr_view *v, struct bfr_scope *s, size_t a, int64_t amount, const int64_t m[12],
			  void *arg);

/*
 * Every entity's budget of year as its GET shows it, each line with its months as the
 * budget and monitoring split it (api/budget_months.h: one rule), given to fn. 0, or -1
 * with the problem set.
 */
static int bv_budget_lines(struct req *r, struct bfr_view *v, int year, bv_line_fn fn, void *arg, struct problem *p)
{
	struct year_months ym = { 0 };
	int rc = -1;

	if (budget_months_load(r->db, r->w->plugins, year, &ym, p) != 0)
		goto out;
	for (size_t i = 0; i < ym.n; i++) {
		const struct entity_months *e = &ym.e[i];
		struct bfr_scope *s = bv_scope(v, e->urn);

		if (s == NULL || !e->has_budget)
			continue;
		for (size_t k = 0; k < e->b.nlines; k++) {
			const struct budget_line *l = &e->b.lines[k];
			const struct budget_account *acc = l->account != NULL ? budget_chart_find(&v->chart, l->account->code)
									     : NULL;

			if (acc != NULL && fn(v, s, (size_t)(acc - v->chart.accounts), l->amount_pence, e->months[k], arg) != 0) {
				problem_internal(p);
				goto out;
			}
		}
	}
	rc = 0;
out:
	budget_months_free(&ym);
	return rc;
}

/* Year B from an entity's budget: its months into B's two parts. */
static int bv_b_line(struct bfr_view *v, struct bfr_scope *s, size_t a, int64_t amount, const int64_t m[12], void *arg)
{
	(void)amount;
	(void)arg;
	s->b_from_budget = 1;
	return bv_add_months(v, s, BFR_P_B_SEP_MAR, a, m);
}

/* ---- B-2: the ledger's actuals ---- */

static int bv_actuals_b2(struct req *r, struct bfr_view *v, struct problem *p)
{
	struct actual_cell *c = NULL;
	size_t n = 0;
	int rc = 0;

	if (store_actuals_year(r->db, v->year - 2, &c, &n, p) != 0)
		return -1;
	for (size_t i = 0; rc == 0 && i < n; i++) {
		struct bfr_scope *s = bv_scope(v, c[i].urn);
		const struct budget_account *a = budget_chart_find(&v->chart, c[i].code);

		if (c[i].commitment || s == NULL || a == NULL)
			continue;
		rc = bv_add(v, s, c[i].month <= 7 ? BFR_P_B2_SEP_MAR : BFR_P_B2_APR_AUG, (size_t)(a - v->chart.accounts),
			    c[i].amount);
	}
	free(c);
	return rc != 0 ? problem_internal(p) : 0;
}

/* ---- B-1: the monitoring outturn at month ---- */

/* The month: the one asked for, else the latest closed month of B-1 (September when none is),
 * as monitoring takes it (monitor_view_default_month). */
static int bv_month(struct req *r, struct bfr_view *v, struct problem *p)
{
	int closed[12];
	char ms[8];

	if (store_periods_closed(r->db, v->year - 1, closed, p) != 0)
		return -1;
	if (v->month == 0)
		v->month = monitor_view_default_month(closed);
	v->month_closed = closed[v->month - 1];
	if (!v->month_closed) {
		acmonth_format(v->year - 1, v->month, ms, sizeof(ms));
		return bv_warn(v, "", "month_open", "%s is not closed: its actuals may still change", ms);
	}
	return 0;
}

/* B-1: each entity's codes' outturn months as monitoring has them (monitor_view.h, at the
 * month), split Sep-Mar / Apr-Aug. */
static int bv_outturn_b1(struct req *r, struct bfr_view *v, struct problem *p)
{
	struct monitor_view mv = { 0 };
	int rc = -1;

	if (bv_month(r, v, p) != 0 || monitor_view_load(r->db, r->w->plugins, v->year - 1, v->month, &mv, p) != 0)
		goto out;
	for (size_t i = 0; i < mv.n; i++) {
		const struct monitor_entity *e = &mv.e[i];
		struct bfr_scope *s = bv_scope(v, e->urn);

		for (size_t k = 0; s != NULL && k < e->n; k++) {
			const struct budget_account *acc = e->codes[k].account != NULL
				? budget_chart_find(&v->chart, e->codes[k].account->code) : NULL;

			if (acc != NULL && bv_add_months(v, s, BFR_P_B1_SEP_MAR, (size_t)(acc - v->chart.accounts),
							 e->codes[k].m.outturn_months) != 0) {
				problem_internal(p);
				goto out;
			}
		}
	}
	rc = 0;
out:
	monitor_view_free(&mv);
	return rc;
}

/* ---- pupils and opening reserves ---- */

/* Pupils: B-2's October census (school_years), B-1..B+2 the run's; openings of B-2. */
static void bv_census(struct bfr_view *v, int has_opening[])
{
	const struct db_rows *y = v->years, *fy = v->run.years;
	const size_t *yc = v->run.ycol;

	for (size_t i = 0; i < y->nrows; i++) {
		struct bfr_scope *s = bv_scope(v, db_cell(y, i, 0));
		int year = (int)db_cell_i64(y, i, 1);

		if (s == NULL || year != v->year - 2)
			continue;
		if (db_cell(y, i, 2) != NULL)
			s->pupils[BFR_P_B2_SEP_MAR] = s->pupils[BFR_P_B2_APR_AUG] = (int32_t)db_cell_i64(y, i, 2);
		if (db_cell(y, i, 3) != NULL) {
			s->opening = db_cell_i64(y, i, 3);
			has_opening[s - v->e] = 1;
		}
	}
	for (size_t i = 0; i < fy->nrows; i++) {
		struct bfr_scope *s = bv_scope(v, db_cell(fy, i, yc[STORE_FY_ENTITY]));
		int off = (int)db_cell_i64(fy, i, yc[STORE_FY_YEAR]) - v->year;

		if (s == NULL || db_cell(fy, i, yc[STORE_FY_PUPILS]) == NULL || off < -1 || off > 2)
			continue;
		for (int k = 0; k < BFR_NPERIODS; k++)
			if (bv_offsets[k] == off)
				s->pupils[k] = (int32_t)db_cell_i64(fy, i, yc[STORE_FY_PUPILS]);
	}
}

/* The run's opening reserves of B-1 for entity urn: 1 found (*out), else 0. */
static int bv_run_opening(const struct bfr_view *v, const char *urn, int64_t *out)
{
	const struct db_rows *fy = v->run.years;
	const size_t *yc = v->run.ycol;

	for (size_t i = 0; i < fy->nrows; i++)
		if (strcmp(db_cell(fy, i, yc[STORE_FY_ENTITY]), urn) == 0 &&
		    db_cell_i64(fy, i, yc[STORE_FY_YEAR]) == v->year - 1) {
			*out = db_cell_i64(fy, i, yc[STORE_FY_OPEN]);
			return 1;
		}
	return 0;
}

/* Compute scope s (an entity's, or the trust's with drop). */
static int bv_compute(struct bfr_view *v, struct bfr_scope *s, int drop, struct problem *p)
{
	if (bfr_compute(&v->map, BFR_NPERIODS, s->amounts, s->pupils, s->opening, drop, s->out, &s->unmapped) != 0) {
		log_err("bfr: %s's figures overflow", s->urn);
		return problem_internal(p);
	}
	return 0;
}

/* Entity s without a recorded opening of B-2: its B-1 opening (the run's) less B-2's
 * in-year balance, else 0; a warning either way. */
static int bv_derive_opening(struct bfr_view *v, struct bfr_scope *s, struct problem *p)
{
	int bl = bfr_line_index(&v->map, BFR_LINE_BALANCE);
	int64_t open1, bal2;
	char ys[8];

	acyear_format(v->year - 2, ys, sizeof(ys));
	s->opening = 0;
	if (bv_compute(v, s, 0, p) != 0)
		return -1;
	bal2 = bfr_view_value(v, s, (size_t)bl, BFR_P_B2_APR_AUG);
	if (bv_run_opening(v, s->urn, &open1) && money_sub(open1, bal2, &s->opening) == 0)
		return bv_warn(v, s->urn, "opening_derived", "no opening reserves recorded for %s: taken as the run's "
			       "opening of the year after less %s's in-year balance", ys, ys);
	s->opening = 0;
	return bv_warn(v, s->urn, "opening_unknown", "no opening reserves recorded for %s: taken as 0", ys);
}

/* ---- the whole ---- */

static int bv_entities(struct req *r, struct bfr_view *v, struct problem *p)
{
	const struct db_rows *e;
	const size_t na = v->chart.n, nl = v->nlines;

	if (store_bfr_entities(r->db, v->year - 2, v->year + 2, &v->ents, &v->years, p) != 0)
		return -1;
	e = v->ents;
	if ((v->e = calloc(e->nrows + 1, sizeof(*v->e))) == NULL)
		return problem_internal(p);
	for (size_t i = 0; i < e->nrows; i++) {
		struct bfr_scope *s = &v->e[v->ne++];

		snprintf(s->urn, sizeof(s->urn), "%s", db_cell(e, i, 0));
		s->name = db_cell(e, i, 1);
		for (size_t k = 0; k < BFR_NPERIODS; k++)
			s->pupils[k] = -1;
		if ((s->amounts = calloc(BFR_NPERIODS * na + 1, sizeof(int64_t))) == NULL ||
		    (s->out = calloc(BFR_NPERIODS * nl + 1, sizeof(int64_t))) == NULL)
			return problem_internal(p);
	}
	snprintf(v->trust.urn, sizeof(v->trust.urn), "trust");
	v->trust.name = "the trust, consolidated";
	if ((v->trust.amounts = calloc(BFR_NPERIODS * na + 1, sizeof(int64_t))) == NULL ||
	    (v->trust.out = calloc(BFR_NPERIODS * nl + 1, sizeof(int64_t))) == NULL)
		return problem_internal(p);
	return 0;
}

/* The notes into their scopes. */
static int bv_notes(struct req *r, struct bfr_view *v, struct problem *p)
{
	if (store_bfr_notes(r->db, v->year, &v->notes, p) != 0)
		return -1;
	for (size_t i = 0; i < v->notes->nrows; i++) {
		const char *scope = db_get(v->notes, i, "scope");
		struct bfr_scope *s = strcmp(scope, "trust") == 0 ? &v->trust : bv_scope(v, scope);

		if (s != NULL) {
			s->explanation = db_get(v->notes, i, "reserves_explanation");
			s->note_version = db_get_i64(v->notes, i, "version");
		}
	}
	return 0;
}

/* The warnings about accounts with no BFR line of the right section. */
static int bv_unmapped_warnings(struct bfr_view *v, const struct bfr_scope *s)
{
	for (size_t i = 0; i < s->unmapped.n; i++)
		if (bv_warn(v, s->urn, "bfr_line_missing", "account %s has no BFR line of its kind (%s): shown on line %d",
			    v->chart.accounts[s->unmapped.account[i]].code,
			    budget_kind_name(v->chart.accounts[s->unmapped.account[i]].kind),
			    v->chart.accounts[s->unmapped.account[i]].kind == BUDGET_INCOME ? BFR_LINE_OTHER_INCOME
											   : BFR_LINE_OTHER_COSTS) != 0)
			return -1;
	return 0;
}

/* Reserves over 20% of income at the end of B without a note that explains them. */
static int bv_reserves_warning(struct bfr_view *v, const struct bfr_scope *s)
{
	int64_t closing, income;
	char ys[8];

	bfr_view_reserves(v, s, &closing, &income);
	if (!bfr_reserves_over(closing, income) || (s->explanation != NULL && s->explanation[0] != '\0'))
		return 0;
	acyear_format(v->year, ys, sizeof(ys));
	return bv_warn(v, s->urn, "reserves_unexplained", "revenue reserves at the end of %s are over 20%% of its "
		       "income: say why they are held and how they will be used (PUT /api/v1/bfr/%s/notes/%s)", ys, ys,
		       s->urn);
}

int bfr_view_build(struct req *r, int year, int64_t run_id, int month, const char *only, struct bfr_view *v,
		   struct problem *p)
{
	int32_t (*weights)[12] = NULL;
	int *has_opening = NULL;
	const char *why;
	int rc = -1;

	(void)only;
	v->year = year;
	v->run_id = run_id;
	v->month = month;
	if ((v->warnings = cJSON_CreateArray()) == NULL)
		return problem_internal(p);
	if (bv_run(r, v, p) != 0 || store_budget_chart(r->db, &v->chart, p) != 0 ||
	    store_bfr_account_lines(r->db, &v->chart, &v->account_line, p) != 0 ||
	    store_bfr_lines(r->db, &v->lines, &v->nlines, p) != 0 ||
	    store_bfr_account_profiles(r->db, &v->chart, &weights, p) != 0)
		goto out;
	v->map = (struct bfr_map){ v->lines, v->nlines, &v->chart, v->account_line };
	if ((why = bfr_map_check(&v->map)) != NULL) {
		log_err("bfr: the BFR lines are not usable: %s", why);
		problem_internal(p);
		goto out;
	}
	if (bv_pay_awards(v) != 0 || bv_entities(r, v, p) != 0 || bv_notes(r, v, p) != 0)
		goto out_oom;
	if ((has_opening = calloc(v->ne + 1, sizeof(*has_opening))) == NULL)
		goto out_oom;
	if (bv_actuals_b2(r, v, p) != 0 || bv_outturn_b1(r, v, p) != 0 ||
	    bv_budget_lines(r, v, v->year, bv_b_line, NULL, p) != 0)
		goto out;
	for (size_t i = 0; i < v->ne; i++)
		if (bv_run_lines(r, v, &v->e[i], weights, p) != 0)
			goto out;
	bv_census(v, has_opening);
	for (size_t i = 0; i < v->ne; i++) {
		struct bfr_scope *s = &v->e[i];

		if ((!has_opening[i] && bv_derive_opening(v, s, p) != 0) || bv_compute(v, s, 0, p) != 0 ||
		    bv_unmapped_warnings(v, s) != 0 ||
		    bfr_amounts_add(&v->map, BFR_NPERIODS, v->trust.amounts, s->amounts, 1) != 0 ||
		    money_add(v->trust.opening, s->opening, &v->trust.opening) != 0)
			goto out_oom;
		for (size_t k = 0; k < BFR_NPERIODS; k++)
			if (s->pupils[k] >= 0)
				v->trust.pupils[k] += s->pupils[k];
	}
	if (bv_compute(v, &v->trust, 1, p) != 0)
		goto out;
	for (size_t i = 0; i <= v->ne; i++)
		if (bv_reserves_warning(v, i == 0 ? &v->trust : &v->e[i - 1]) != 0)
			goto out_oom;
	rc = 0;
	goto out;
out_oom:
	if (p->status == 0)
		problem_internal(p);
out:
	free(weights);
	free(has_opening);
	return rc;
}

void bfr_view_free(struct bfr_view *v)
{
	for (size_t i = 0; i < v->ne; i++) {
		free(v->e[i].amounts);
		free(v->e[i].out);
	}
	free(v->e);
	free(v->trust.amounts);
	free(v->trust.out);
	free(v->account_line);
	free(v->lines);
	free(v->chart.accounts);
	cJSON_Delete(v->warnings);
	cJSON_Delete(v->pay_awards);
	db_rows_free(v->ents);
	db_rows_free(v->years);
	db_rows_free(v->notes);
	store_forecast_rows_free(&v->run);
	memset(v, 0, sizeof(*v));
}
