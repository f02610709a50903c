/* monitor_view.c - see monitor_view.h */
#include "monitor_view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "acmonth.h"
#include "date.h"
#include "money.h"
#include "store_actuals.h"
#include "store_budgets.h"

/* ---- assembling ---- */

/* The chart position of code (the chart holds every account: small). */
static long view_account_ix(const struct budget_chart *c, const char *code)
{
	const struct budget_account *a = budget_chart_find(c, code);

	return a != NULL ? (long)(a - c->accounts) : -1;
}

static long view_entity_ix(const struct monitor_view *v, const char *urn)
{
	for (size_t i = 0; i < v->n; i++)
		if (strcmp(v->e[i].urn, urn) == 0)
			return (long)i;
	return -1;
}

/* Per entity a slot per account while assembling: grid[e * nacc + a]; used[] marks the codes. */
struct view_grid {
	size_t nacc;
	struct monitor_code *cell;
	unsigned char *used;
};

static struct monitor_code *view_cell(struct view_grid *g, size_t e, size_t a)
{
	g->used[e * g->nacc + a] = 1;
	return &g->cell[e * g->nacc + a];
}

static int view_add(int64_t *to, int64_t v, struct problem *p)
{
	if (money_add(*to, v, to) != 0) {
		problem_internal(p);
		return -1;
	}
	return 0;
}

/* The budgets' lines into the grid. */
static int view_budgets(struct monitor_view *v, struct view_grid *g, struct problem *p)
{
	for (size_t i = 0; i < v->n; i++) {
		const struct entity_months *em = &v->ym.e[i];

		for (size_t l = 0; l < em->b.nlines; l++) {
			const struct budget_line *bl = &em->b.lines[l];
			struct monitor_code *c;

			if (bl->account == NULL)
				continue;
			c = view_cell(g, i, (size_t)(bl->account - v->ym.chart.accounts));
			if (view_add(&c->budget, bl->amount_pence, p) != 0)
				return -1;
			for (int m = 0; m < MONITORING_MONTHS; m++)
				if (view_add(&c->profile[m], em->months[l][m], p) != 0)
					return -1;
		}
	}
	return 0;
}

static int view_actuals(struct db *db, struct monitor_view *v, struct view_grid *g, struct problem *p)
{
	struct actual_cell *cells = NULL;
	size_t n = 0;
	long e = -1, a = -1;
	const char *last_urn = "", *last_code = "";
	int rc = 0;

	if (store_actuals_year(db, v->year, &cells, &n, p) != 0)
		return -1;
	for (size_t i = 0; i < n && rc == 0; i++) {
		struct actual_cell *x = &cells[i];
		struct monitor_code *c;

		if (strcmp(x->urn, last_urn) != 0) {
			e = view_entity_ix(v, x->urn);
			last_urn = x->urn;
		}
		if (strcmp(x->code, last_code) != 0) {
			a = view_account_ix(&v->ym.chart, x->code);
			last_code = x->code;
		}
		if (e < 0 || a < 0 || x->month < 1 || x->month > MONITORING_MONTHS)
			continue;
		c = view_cell(g, (size_t)e, (size_t)a);
		rc = view_add(x->commitment ? &c->commitment[x->month - 1] : &c->actual[x->month - 1], x->amount, p);
	}
	free(cells);
	return rc;
}

/* The outturns and the month's comments: on their cells (an outturn makes its code a line). */
static void view_notes(struct monitor_view *v, struct view_grid *g)
{
	for (size_t i = 0; i < v->noutturns; i++) {
		const struct store_monitoring_note *o = &v->outturns[i];
		long e = view_entity_ix(v, o->urn), a = view_account_ix(&v->ym.chart, o->code);
		struct monitor_code *c;

		if (e < 0 || a < 0)
			continue;
		c = view_cell(g, (size_t)e, (size_t)a);
		c->has_outturn = 1;
		c->outturn_entered = o->amount;
		c->outturn = o->image;
	}
	for (size_t i = 0; i < v->ncomments; i++) {
		const struct store_monitoring_note *o = &v->comments[i];
		long e = view_entity_ix(v, o->urn), a = view_account_ix(&v->ym.chart, o->code);

		/* a comment alone does not make a line: it shows on one that is there */
		if (e >= 0 && a >= 0)
			g->cell[(size_t)e * g->nacc + (size_t)a].comment = o->image;
	}
}

static int view_compute(struct monitor_code *c, int to, struct problem *p)
{
	struct monitoring_in in;

	memset(&in, 0, sizeof(in));
	in.kind = c->account->kind;
	in.budget = c->budget;
	memcpy(in.profile, c->profile, sizeof(in.profile));
	memcpy(in.actual, c->actual, sizeof(in.actual));
	memcpy(in.commitment, c->commitment, sizeof(in.commitment));
	in.has_outturn = c->has_outturn;
	in.outturn = c->outturn_entered;
	if (monitoring_compute(&in, to, &c->m) != 0) {
		problem_internal(p);
		return -1;
	}
	return 0;
}

/* e's totals of each column, its reserves (opening known or not) and KPIs. */
static int view_totals(const struct budget_chart *chart, struct monitor_entity *e, struct problem *p)
{
	char (*codes)[BUDGET_CODE_MAX + 1] = calloc(e->n ? e->n : 1, sizeof(*codes));
	int64_t *vals = calloc(e->n ? e->n : 1, 4 * sizeof(*vals));
	struct budget_totals *cols[4] = { &e->t.budget, &e->t.profile_to_date, &e->t.actual_to_date, &e->t.outturn };
	int rc = -1;

	if (codes == NULL || vals == NULL)
		goto out;
	for (size_t i = 0; i < e->n; i++) {
		memcpy(codes[i], e->codes[i].account->code, sizeof(codes[i]));
		vals[0 * e->n + i] = e->codes[i].budget;
		vals[1 * e->n + i] = e->codes[i].m.profile_to_date;
		vals[2 * e->n + i] = e->codes[i].m.actual_to_date;
		vals[3 * e->n + i] = e->codes[i].m.outturn;
	}
	for (int k = 0; k < 4; k++)
		if (monitoring_totals(chart, e->kind, (const char (*)[BUDGET_CODE_MAX + 1])codes, vals + (size_t)k * e->n,
				      e->n, cols[k]) != 0)
			goto out;
	if (e->r.known && (money_add(e->r.opening, e->t.budget.balance, &e->r.closing_budget) != 0 ||
			   money_add(e->r.opening, e->t.outturn.balance, &e->r.closing_outturn) != 0))
		goto out;
	e->k.has_staff = e->t.outturn.has_staff_bp;
	e->k.staff_bp = e->t.outturn.staff_bp;
	e->k.has_reserves = e->r.known && monitoring_pct_bp(e->r.closing_outturn, e->t.outturn.income, &e->k.reserves_bp);
	e->k.has_balance = monitoring_pct_bp(e->t.outturn.balance, e->t.outturn.income, &e->k.balance_bp);
	rc = 0;
out:
	free(codes);
	free(vals);
	if (rc != 0)
		problem_internal(p);
	return rc;
}

/* The grid's used cells of entity i into its codes (chart order), computed. */
static int view_collect(struct monitor_view *v, struct view_grid *g, size_t i, struct problem *p)
{
	struct monitor_entity *e = &v->e[i];
	size_t k = 0;

	for (size_t a = 0; a < g->nacc; a++)
		k += g->used[i * g->nacc + a];
	if ((e->codes = calloc(k ? k : 1, sizeof(*e->codes))) == NULL) {
		problem_internal(p);
		return -1;
	}
	for (size_t a = 0; a < g->nacc; a++) {
		struct monitor_code *c;

		if (!g->used[i * g->nacc + a])
			continue;
		c = &e->codes[e->n++];
		*c = g->cell[i * g->nacc + a];
		c->account = &v->ym.chart.accounts[a];
		c->name = v->names != NULL && v->names[a] != NULL ? v->names[a] : "";
		if (view_compute(c, v->to, p) != 0)
			return -1;
	}
	return view_totals(&v->ym.chart, e, p);
}

/* The trust: every entity's non-internal codes summed (their computed figures too). */
static int view_trust(struct monitor_view *v, struct problem *p)
{
	size_t nacc = v->ym.chart.n, k = 0;
	struct monitor_code *sum = calloc(nacc ? nacc : 1, sizeof(*sum));
	unsigned char *used = calloc(nacc ? nacc : 1, 1);
	struct monitor_entity *t = &v->trust;
	int rc = -1;

	snprintf(t->urn, sizeof(t->urn), "trust");
	t->name = "The trust";
	t->kind = BUDGET_MAINSTREAM;
	t->status = "";
	if (sum == NULL || used == NULL)
		goto oom;
	for (size_t i = 0; i < v->n; i++) {
		const struct monitor_entity *e = &v->e[i];

		if (e->r.known) {
			if (money_add(t->r.opening, e->r.opening, &t->r.opening) != 0)
				goto oom;
			t->r.known = 1;
		}
		for (size_t j = 0; j < e->n; j++) {
			const struct monitor_code *c = &e->codes[j];
			size_t a = (size_t)(c->account - v->ym.chart.accounts);
			struct monitor_code *s = &sum[a];
			const int64_t *from[] = { &c->budget, &c->m.profile_to_date, &c->m.actual_to_date,
						  &c->m.commitment_to_date, &c->m.variance_to_date, &c->m.outturn,
						  &c->m.full_year_variance };
			int64_t *into[] = { &s->budget, &s->m.profile_to_date, &s->m.actual_to_date,
					    &s->m.commitment_to_date, &s->m.variance_to_date, &s->m.outturn,
					    &s->m.full_year_variance };

			if (c->account->is_internal)
				continue;
			used[a] = 1;
			s->account = c->account;
			s->name = c->name;
			for (size_t f = 0; f < sizeof(from) / sizeof(from[0]); f++)
				if (money_add(*into[f], *from[f], into[f]) != 0)
					goto oom;
			for (int m = 0; m < MONITORING_MONTHS; m++)
				if (money_add(s->profile[m], c->profile[m], &s->profile[m]) != 0 ||
				    money_add(s->actual[m], c->actual[m], &s->actual[m]) != 0 ||
				    money_add(s->commitment[m], c->commitment[m], &s->commitment[m]) != 0 ||
				    money_add(s->m.outturn_months[m], c->m.outturn_months[m], &s->m.outturn_months[m]) != 0)
					goto oom;
		}
	}
	for (size_t a = 0; a < nacc; a++)
		k += used[a];
	if ((t->codes = calloc(k ? k : 1, sizeof(*t->codes))) == NULL)
		goto oom;
	for (size_t a = 0; a < nacc; a++) {
		struct monitor_code *c;

		if (!used[a])
			continue;
		c = &t->codes[t->n++];
		*c = sum[a];
		c->m.favourable = monitoring_favourable(c->account->kind, c->m.variance_to_date);
		c->m.full_year_favourable = monitoring_favourable(c->account->kind, c->m.full_year_variance);
	}
	rc = view_totals(&v->ym.chart, t, p);
	goto out;
oom:
	problem_internal(p);
out:
	free(sum);
	free(used);
	return rc;
}

static int view_reserves(struct db *db, struct monitor_view *v, struct problem *p)
{
	char (*urns)[8] = NULL;
	int64_t *pence = NULL;
	size_t n = 0;

	if (store_opening_reserves(db, v->year, &urns, &pence, &n, p) != 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		long e = view_entity_ix(v, urns[i]);

		if (e >= 0) {
			v->e[e].r.known = 1;
			v->e[e].r.opening = pence[i];
		}
	}
	free(urns);
	free(pence);
	return 0;
}

int monitor_view_default_month(const int closed[MONITORING_MONTHS])
{
	for (int m = MONITORING_MONTHS; m >= 1; m--)
		if (closed[m - 1])
			return m;
	return 1;
}

int monitor_view_month(struct db *db, int32_t today, const char *month, int *year, int *to, struct problem *p)
{
	int closed[MONITORING_MONTHS];

	if (month != NULL) {
		if (acmonth_parse(month, year, to) != 0) {
			problem_field(p, "query:month", "must be a month written like 2026-11");
			return problem_validation_done(p);
		}
		return 0;
	}
	*year = acyear_of(today);
	if (store_periods_closed(db, *year, closed, p) != 0)
		return -1;
	*to = monitor_view_default_month(closed);
	return 0;
}

int monitor_view_head(cJSON *o, const struct monitor_view *v)
{
	char buf[16];

	acyear_format(v->year, buf, sizeof(buf));
	if (cJSON_AddStringToObject(o, "year", buf) == NULL)
		return -1;
	acmonth_format(v->year, v->to, buf, sizeof(buf));
	if (cJSON_AddStringToObject(o, "month", buf) == NULL ||
	    cJSON_AddBoolToObject(o, "closed", v->closed[v->to - 1]) == NULL)
		return -1;
	return 0;
}

int monitor_view_load(struct db *db, const struct plugins *ps, int year, int to, struct monitor_view *v,
		      struct problem *p)
{
	struct view_grid g = { 0 };
	int rc = -1;

	memset(v, 0, sizeof(*v));
	v->year = year;
	v->to = to;
	if (budget_months_load(db, ps, year, &v->ym, p) != 0 ||
	    store_periods_closed(db, year, v->closed, p) != 0 ||
	    store_monitoring_notes(db, year, 0, &v->outturns, &v->noutturns, p) != 0 ||
	    store_monitoring_notes(db, year, to, &v->comments, &v->ncomments, p) != 0 ||
	    (v->names = store_budget_chart_names(db, &v->ym.chart, p)) == NULL)
		return -1;
	v->n = v->ym.n;
	if ((v->e = calloc(v->n ? v->n : 1, sizeof(*v->e))) == NULL)
		goto oom;
	for (size_t i = 0; i < v->n; i++) {
		const struct entity_months *em = &v->ym.e[i];

		memcpy(v->e[i].urn, em->urn, sizeof(v->e[i].urn));
		v->e[i].name = em->name;
		v->e[i].kind = em->b.entity;
		v->e[i].has_budget = em->has_budget;
		v->e[i].status = em->status;
		v->e[i].version = em->version;
	}
	g.nacc = v->ym.chart.n;
	g.cell = calloc(v->n * g.nacc + 1, sizeof(*g.cell));
	g.used = calloc(v->n * g.nacc + 1, 1);
	if (g.cell == NULL || g.used == NULL)
		goto oom;
	if (view_reserves(db, v, p) != 0 || view_budgets(v, &g, p) != 0 || view_actuals(db, v, &g, p) != 0)
		goto out;
	view_notes(v, &g);
	for (size_t i = 0; i < v->n; i++)
		if (view_collect(v, &g, i, p) != 0)
			goto out;
	rc = view_trust(v, p);
	goto out;
oom:
	problem_internal(p);
out:
	free(g.cell);
	free(g.used);
	return rc;
}

void monitor_view_free(struct monitor_view *v)
{
	if (v == NULL)
		return;
	for (size_t i = 0; v->e != NULL && i < v->n; i++)
		free(v->e[i].codes);
	free(v->e);
	free(v->trust.codes);
	if (v->names != NULL)
		store_budget_chart_names_free(v->names, v->ym.chart.n);
	store_monitoring_notes_free(v->outturns, v->noutturns);
	store_monitoring_notes_free(v->comments, v->ncomments);
	budget_months_free(&v->ym);
	memset(v, 0, sizeof(*v));
}

const struct monitor_entity *monitor_view_entity(const struct monitor_view *v, const char *urn)
{
	long i = view_entity_ix(v, urn);

	return i >= 0 ? &v->e[i] : NULL;
}

/* ---- JSON ---- */

static cJSON *view_months_json(const int64_t m[MONITORING_MONTHS])
{
	cJSON *a = cJSON_CreateArray();

	for (int i = 0; a != NULL && i < MONITORING_MONTHS; i++)
		if (!cJSON_AddItemToArray(a, cJSON_CreateNumber((double)m[i]))) {
			cJSON_Delete(a);
			return NULL;
		}
	return a;
}

static int view_add_copy(cJSON *o, const char *name, const cJSON *image)
{
	cJSON *x = image != NULL ? cJSON_Duplicate(image, 1) : cJSON_CreateNull();

	if (x == NULL || !cJSON_AddItemToObject(o, name, x)) {
		cJSON_Delete(x);
		return -1;
	}
	return 0;
}

static int view_add_array(cJSON *o, const char *name, cJSON *a)
{
	if (a == NULL || !cJSON_AddItemToObject(o, name, a)) {
		cJSON_Delete(a);
		return -1;
	}
	return 0;
}

cJSON *monitor_view_line_json(const struct monitor_code *c, int with_notes)
{
	cJSON *o = cJSON_CreateObject();

	if (o == NULL ||
	    cJSON_AddStringToObject(o, "account_code", c->account->code) == NULL ||
	    cJSON_AddStringToObject(o, "account_name", c->name) == NULL ||
	    cJSON_AddStringToObject(o, "kind", budget_kind_name(c->account->kind)) == NULL ||
	    cJSON_AddStringToObject(o, "group", c->account->group) == NULL ||
	    cJSON_AddNumberToObject(o, "budget_pence", (double)c->budget) == NULL ||
	    view_add_array(o, "profile_months_pence", view_months_json(c->profile)) != 0 ||
	    view_add_array(o, "actual_months_pence", view_months_json(c->actual)) != 0 ||
	    view_add_array(o, "commitment_months_pence", view_months_json(c->commitment)) != 0 ||
	    cJSON_AddNumberToObject(o, "profile_to_date_pence", (double)c->m.profile_to_date) == NULL ||
	    cJSON_AddNumberToObject(o, "actual_to_date_pence", (double)c->m.actual_to_date) == NULL ||
	    cJSON_AddNumberToObject(o, "commitment_to_date_pence", (double)c->m.commitment_to_date) == NULL ||
	    cJSON_AddNumberToObject(o, "variance_to_date_pence", (double)c->m.variance_to_date) == NULL ||
	    cJSON_AddBoolToObject(o, "favourable", c->m.favourable) == NULL ||
	    cJSON_AddNumberToObject(o, "outturn_pence", (double)c->m.outturn) == NULL ||
	    (with_notes && view_add_copy(o, "outturn", c->outturn) != 0) ||
	    cJSON_AddNumberToObject(o, "full_year_variance_pence", (double)c->m.full_year_variance) == NULL ||
	    cJSON_AddBoolToObject(o, "full_year_favourable", c->m.full_year_favourable) == NULL ||
	    (with_notes && view_add_copy(o, "comment", c->comment) != 0)) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

cJSON *monitor_view_lines_json(const struct monitor_entity *e, int with_notes)
{
	cJSON *a = cJSON_CreateArray();

	for (size_t i = 0; a != NULL && i < e->n; i++)
		if (!cJSON_AddItemToArray(a, monitor_view_line_json(&e->codes[i], with_notes))) {
			cJSON_Delete(a);
			return NULL;
		}
	return a;
}

static cJSON *view_t_json(const struct budget_totals *t)
{
	cJSON *o = cJSON_CreateObject();

	if (o == NULL || cJSON_AddNumberToObject(o, "income_pence", (double)t->income) == NULL ||
	    cJSON_AddNumberToObject(o, "expenditure_pence", (double)t->expenditure) == NULL ||
	    cJSON_AddNumberToObject(o, "balance_pence", (double)t->balance) == NULL ||
	    cJSON_AddNumberToObject(o, "staff_pence", (double)t->staff) == NULL) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

/* The totals' full-year variance (outturn - budget) as a total, and whether each is favourable. */
static int view_add_variance(cJSON *o, const struct monitor_totals *t)
{
	struct monitoring_totals_variance d;
	cJSON *v, *f;

	if (monitoring_totals_variance(&t->outturn, &t->budget, &d) != 0 ||
	    (v = cJSON_AddObjectToObject(o, "full_year_variance")) == NULL ||
	    cJSON_AddNumberToObject(v, "income_pence", (double)d.income) == NULL ||
	    cJSON_AddNumberToObject(v, "expenditure_pence", (double)d.expenditure) == NULL ||
	    cJSON_AddNumberToObject(v, "balance_pence", (double)d.balance) == NULL ||
	    cJSON_AddNumberToObject(v, "staff_pence", (double)d.staff) == NULL ||
	    (f = cJSON_AddObjectToObject(o, "full_year_favourable")) == NULL ||
	    cJSON_AddBoolToObject(f, "income", d.income_favourable) == NULL ||
	    cJSON_AddBoolToObject(f, "expenditure", d.expenditure_favourable) == NULL ||
	    cJSON_AddBoolToObject(f, "balance", d.balance_favourable) == NULL ||
	    cJSON_AddBoolToObject(f, "staff", d.staff_favourable) == NULL)
		return -1;
	return 0;
}

cJSON *monitor_view_totals_json(const struct monitor_totals *t)
{
	cJSON *o = cJSON_CreateObject();

	if (o == NULL || view_add_array(o, "budget", view_t_json(&t->budget)) != 0 ||
	    view_add_array(o, "profile_to_date", view_t_json(&t->profile_to_date)) != 0 ||
	    view_add_array(o, "actual_to_date", view_t_json(&t->actual_to_date)) != 0 ||
	    view_add_array(o, "outturn", view_t_json(&t->outturn)) != 0 || view_add_variance(o, t) != 0) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

int monitor_view_months(const struct monitor_view *v, const struct monitor_entity *e,
			struct monitor_month out[MONITORING_MONTHS])
{
	char (*codes)[BUDGET_CODE_MAX + 1] = calloc(e->n ? e->n : 1, sizeof(*codes));
	int64_t *prof = calloc(e->n ? e->n : 1, sizeof(*prof)), *act = calloc(e->n ? e->n : 1, sizeof(*act));
	int rc = -1;

	if (codes == NULL || prof == NULL || act == NULL)
		goto out;
	for (size_t i = 0; i < e->n; i++)
		memcpy(codes[i], e->codes[i].account->code, sizeof(codes[i]));
	for (int m = 0; m < MONITORING_MONTHS; m++) {
		/* each code's figures to the end of month m + 1, then their totals */
		for (size_t i = 0; i < e->n; i++)
			if (money_add(prof[i], e->codes[i].profile[m], &prof[i]) != 0 ||
			    money_add(act[i], e->codes[i].actual[m], &act[i]) != 0)
				goto out;
		if (monitoring_totals(&v->ym.chart, e->kind, (const char (*)[BUDGET_CODE_MAX + 1])codes, prof, e->n,
				      &out[m].profile_to_date) != 0 ||
		    monitoring_totals(&v->ym.chart, e->kind, (const char (*)[BUDGET_CODE_MAX + 1])codes, act, e->n,
				      &out[m].actual_to_date) != 0)
			goto out;
		out[m].has_actual = m < v->to;
	}
	rc = 0;
out:
	free(codes);
	free(prof);
	free(act);
	return rc;
}

cJSON *monitor_view_months_json(const struct monitor_view *v, const struct monitor_entity *e)
{
	struct monitor_month *mm = calloc(MONITORING_MONTHS, sizeof(*mm));
	cJSON *a = NULL;

	if (mm == NULL || monitor_view_months(v, e, mm) != 0 || (a = cJSON_CreateArray()) == NULL)
		goto fail;
	for (int m = 0; m < MONITORING_MONTHS; m++) {
		cJSON *o = cJSON_CreateObject();
		char buf[8];

		acmonth_format(v->year, m + 1, buf, sizeof(buf));
		if (o == NULL || !cJSON_AddItemToArray(a, o) || cJSON_AddStringToObject(o, "month", buf) == NULL ||
		    view_add_array(o, "profile_to_date", view_t_json(&mm[m].profile_to_date)) != 0 ||
		    (mm[m].has_actual ? view_add_array(o, "actual_to_date", view_t_json(&mm[m].actual_to_date))
				      : (cJSON_AddNullToObject(o, "actual_to_date") == NULL ? -1 : 0)) != 0)
			goto fail;
	}
	free(mm);
	return a;
fail:
	free(mm);
	cJSON_Delete(a);
	return NULL;
}

static int view_add_opt(cJSON *o, const char *name, int has, int64_t v)
{
	return (has ? cJSON_AddNumberToObject(o, name, (double)v) : cJSON_AddNullToObject(o, name)) == NULL ? -1 : 0;
}

cJSON *monitor_view_reserves_json(const struct monitor_reserves *r)
{
	cJSON *o = cJSON_CreateObject();

	if (o == NULL || view_add_opt(o, "opening_pence", r->known, r->opening) != 0 ||
	    view_add_opt(o, "closing_budget_pence", r->known, r->closing_budget) != 0 ||
	    view_add_opt(o, "closing_outturn_pence", r->known, r->closing_outturn) != 0) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

cJSON *monitor_view_kpis_json(const struct monitor_kpis *k)
{
	cJSON *o = cJSON_CreateObject();

	if (o == NULL || view_add_opt(o, "staff_pct_bp", k->has_staff, k->staff_bp) != 0 ||
	    view_add_opt(o, "reserves_pct_bp", k->has_reserves, k->reserves_bp) != 0 ||
	    view_add_opt(o, "in_year_balance_pct_bp", k->has_balance, k->balance_bp) != 0) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}
