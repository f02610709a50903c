/* svcyear.c - see svcyear.h */
#include "svcyear.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "store_contracts.h"
#include "store_svcyear.h"
#include "date.h"
#include "identity.h"
#include "log.h"

static int svcyear_date(const char *s, int32_t *d);

static const char *svcyear_cell(const struct db_rows *rows, size_t i, const char *name)
{
	int c = db_col_index(rows, name);

	return c >= 0 ? db_cell(rows, i, (size_t)c) : NULL;
}

static int64_t svcyear_i64(const struct db_rows *rows, size_t i, const char *name, int64_t absent)
{
	const char *s = svcyear_cell(rows, i, name);

	return s != NULL ? strtoll(s, NULL, 10) : absent;
}

const char *svcyear_sub_cell(const struct svcyear *sy, size_t k, const char *name)
{
	return svcyear_cell(sy->brows, sy->subrow[k], name);
}

static void svcyear_newer(char *changed, const char *ts)
{
	if (ts != NULL && strcmp(ts, changed) > 0)
		snprintf(changed, PAGE_TS_LEN, "%s", ts);
}

struct svcyear_rates svcyear_rates_of(const struct cfg *cfg)
{
	return (struct svcyear_rates){ cfg->procurement.indexation_bp, cfg->vat_recoverable_bp, NULL,
				       cfg->clock_today >= 0 ? cfg->clock_today : date_today_real() };
}

int svcyear_rates_load(struct db *db, const struct cfg *cfg, struct svcyear_rates *rates, struct store_index_history *h,
		       struct problem *p)
{
	*rates = svcyear_rates_of(cfg);
	if (store_index_history_load(db, h, p) != 0)
		return -1;
	rates->history = h;
	return 0;
}

struct price_basis svcyear_basis(struct svcyear_rates rates)
{
	return (struct price_basis){
		.history = rates.history != NULL ? rates.history->series : NULL,
		.nhistory = rates.history != NULL ? rates.history->n : 0,
		.history_to = PRICE_ALL_YEARS, .default_bp = rates.indexation_bp,
	};
}

void svcyear_free(struct svcyear *sy)
{
	if (sy == NULL)
		return;
	if (!sy->shared) {
		db_rows_free(sy->srows);
		db_rows_free(sy->brows);
		db_rows_free(sy->schrows);
		db_rows_free(sy->yrows);
		store_index_history_free(&sy->hist);
	}
	free(sy->svc);
	free(sy->subs);
	free(sy->subrow);
	free(sy->schools);
	memset(sy, 0, sizeof(*sy));
}

void svcyear_price_contract(const struct db_rows *rows, size_t i, const struct procure_terms *t,
			    struct price_contract *pc)
{
	int32_t changed;

	*pc = (struct price_contract){ .t = t, .index = t->ix == PROCURE_IX_INDEX ?
				       svcyear_cell(rows, i, "indexation_index") : NULL };
	/* a termination's own date (schema 013), else the day the status changed */
	if (svcyear_date(svcyear_cell(rows, i, "contract_terminated_on"), &changed) != 0 || changed == PROCURE_NO_DATE)
		if (svcyear_date(svcyear_cell(rows, i, "contract_status_changed_on"), &changed) != 0)
			changed = PROCURE_NO_DATE;
	price_contract_status(pc, svcyear_cell(rows, i, "contract_status"), changed);
}

int svcyear_cost(struct svcyear_rates rates, const struct db_rows *rows, size_t i, int year, struct service_cost *c,
		 struct procure_terms *t, int *has_contract)
{
	const char *id = svcyear_cell(rows, i, "id");
	struct price_basis b = svcyear_basis(rates);
	int rc;

	*has_contract = svcyear_cell(rows, i, "contract_id") != NULL && svcyear_cell(rows, i, "reference") != NULL;
	if (*has_contract) {
		struct price_contract pc;

		if (store_contract_terms(rows, i, t) != 0) {
			log_err("services: service %s: its contract's terms do not parse", id);
			return -1;
		}
		svcyear_price_contract(rows, i, t, &pc);
		rc = service_contract_cost(&pc, &b, year, rates.vat_recoverable_bp, c);
	} else {
		memset(t, 0, sizeof(*t));
		rc = service_entered_cost(svcyear_i64(rows, i, "annual_cost_pence", 0),
					  svcyear_i64(rows, i, "annual_vat_pence", 0), acyear_of(rates.today), &b, year,
					  rates.vat_recoverable_bp, c);
	}
	if (rc != 0)
		log_err("services: service %s: its cost for %d overflows", id, year);
	return rc;
}

/* The basis data of every entity for the year: the census and FTE of the year or
 * the latest before it (carried forward). */
static int svcyear_schools(struct svcyear *sy)
{
	const struct db_rows *s = sy->schrows, *y = sy->yrows;
	size_t k = 0;

	if (s->nrows > 0 && (sy->schools = calloc(s->nrows, sizeof(*sy->schools))) == NULL)
		return -1;
	sy->nschools = s->nrows;
	for (size_t i = 0; i < s->nrows; i++) {
		struct svcyear_school *e = &sy->schools[i];

		e->s.id = db_cell_i64(s, i, 0);
		e->s.urn = db_cell(s, i, 1);
		e->s.name = db_cell(s, i, 2);
		e->s.floor_area = db_cell(s, i, 3) != NULL ? db_cell_i64(s, i, 3) : -1;
		e->school_ts = db_cell(s, i, 4);
		e->s.pupils = e->s.fte_hundredths = -1;
		/* both ordered by school id; years ascending, so the last one seen wins
		 * (rows of later years come from a span's query: not yet) */
		while (k < y->nrows && db_cell_i64(y, k, 0) < e->s.id)
			k++;
		for (; k < y->nrows && db_cell_i64(y, k, 0) == e->s.id; k++) {
			if (db_cell_i64(y, k, 1) > sy->year)
				continue;
			if (db_cell(y, k, 2) != NULL) {
				e->s.pupils = db_cell_i64(y, k, 2);
				e->s.pupils_year = (int)db_cell_i64(y, k, 1);
				e->pupils_ts = db_cell(y, k, 4);
			}
			if (db_cell(y, k, 3) != NULL) {
				e->s.fte_hundredths = db_cell_i64(y, k, 3);
				e->s.fte_year = (int)db_cell_i64(y, k, 1);
				e->fte_ts = db_cell(y, k, 4);
			}
		}
	}
	return 0;
}

static struct svcyear_school *svcyear_school_by_id(struct svcyear *sy, int64_t id)
{
	size_t lo = 0, hi = sy->nschools;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (sy->schools[mid].s.id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < sy->nschools && sy->schools[lo].s.id == id ? &sy->schools[lo] : NULL;
}

static int svcyear_date(const char *s, int32_t *d)
{
	*d = PROCURE_NO_DATE;
	return s == NULL ? 0 : date_parse(s, d);
}

/* The subscriptions active in some month of the year, grouped by service (both
 * queries are ordered by service id; a span's query has other years' too). */
static int svcyear_subs(struct svcyear *sy)
{
	const struct db_rows *b = sy->brows;
	int32_t first = service_year_first(sy->year), last = service_year_last(sy->year);
	size_t v = 0;

	if (b->nrows > 0 && ((sy->subs = calloc(b->nrows, sizeof(*sy->subs))) == NULL ||
			     (sy->subrow = calloc(b->nrows, sizeof(*sy->subrow))) == NULL))
		return -1;
	for (size_t i = 0; i < b->nrows; i++) {
		struct service_sub *s = &sy->subs[sy->nsubs];
		int64_t svc = db_cell_i64(b, i, 1);
		struct svcyear_school *sc = svcyear_school_by_id(sy, db_cell_i64(b, i, 2));

		while (v < sy->nsvc && sy->svc[v].id < svc)
			v++;
		if (v == sy->nsvc || sy->svc[v].id != svc || sc == NULL)
			continue;                        /* a race with a write: left out */
		s->id = db_cell_i64(b, i, 0);
		s->school = &sc->s;
		if (svcyear_date(db_cell(b, i, 3), &s->start) != 0 || svcyear_date(db_cell(b, i, 4), &s->end) != 0) {
			log_err("services: subscription %s has a date that does not parse", db_cell(b, i, 0));
			return -1;
		}
		if (s->start > last || (s->end != PROCURE_NO_DATE && s->end < first))
			continue;
		s->usage_units = db_cell(b, i, 6) != NULL ? db_cell_i64(b, i, 6) : -1;
		s->fixed_share_bp = db_cell(b, i, 7) != NULL ? db_cell_i64(b, i, 7) : -1;
		if (sy->svc[v].nsubs == 0)
			sy->svc[v].first = sy->nsubs;
		sy->svc[v].nsubs++;
		sy->subrow[sy->nsubs++] = i;
	}
	return 0;
}

/* What a service's allocation depends on, newest first: see svcyear.h. */
static void svcyear_changed(struct svcyear *sy, struct svcyear_service *sv)
{
	svcyear_newer(sv->changed, svcyear_cell(sy->srows, sv->row, "updated_at"));
	svcyear_newer(sv->changed, svcyear_cell(sy->srows, sv->row, "contract_updated_at"));
	/* an index-linked contract's price moves with its index's history */
	if (sv->has_contract && sv->terms.ix == PROCURE_IX_INDEX && sy->rates.history != NULL)
		svcyear_newer(sv->changed, store_index_history_updated(sy->rates.history,
								       svcyear_cell(sy->srows, sv->row, "indexation_index")));
	/* an entered cost in a later year moves with cpi's */
	if (!sv->has_contract && sv->cost.price.nassumptions > 0 && sy->rates.history != NULL)
		svcyear_newer(sv->changed, store_index_history_updated(sy->rates.history, "cpi"));
	for (size_t k = sv->first; k < sv->first + sv->nsubs; k++) {
		const struct svcyear_school *sc = (const struct svcyear_school *)sy->subs[k].school;

		if (sy->subs[k].months == 0)
			continue;
		svcyear_newer(sv->changed, svcyear_sub_cell(sy, k, "updated_at"));
		switch (sv->basis) {
		case ALLOC_PER_PUPIL: svcyear_newer(sv->changed, sc->pupils_ts); break;
		case ALLOC_PER_FTE: svcyear_newer(sv->changed, sc->fte_ts); break;
		case ALLOC_FLOOR_AREA: svcyear_newer(sv->changed, sc->school_ts); break;
		default: break;
		}
	}
}

/* The services, subscriptions and basis data of sy->year from rows already
 * queried (sy->srows .. yrows): costs, allocations, `changed`. 0, or -1 with
 * the problem set. */
static int svcyear_build(struct svcyear_rates rates, struct svcyear *sy, struct problem *p)
{
	int year = sy->year;

	sy->rates = rates;

	if (sy->srows->nrows > 0 && (sy->svc = calloc(sy->srows->nrows, sizeof(*sy->svc))) == NULL)
		goto oom;
	for (size_t i = 0; i < sy->srows->nrows; i++) {
		struct svcyear_service *sv = &sy->svc[sy->nsvc++];
		int basis = alloc_basis_parse(svcyear_cell(sy->srows, i, "basis"));
		const char *funding = svcyear_cell(sy->srows, i, "funding");

		sv->row = i;
		sv->id = svcyear_i64(sy->srows, i, "id", 0);
		sv->name = svcyear_cell(sy->srows, i, "name");
		sv->basis = basis >= 0 ? (enum alloc_basis)basis : ALLOC_EQUAL;
		sv->core = funding != NULL && strcmp(funding, "core") == 0;
		sv->usage_unit = svcyear_cell(sy->srows, i, "usage_unit");
		if (basis < 0 || svcyear_cost(rates, sy->srows, i, year, &sv->cost, &sv->terms, &sv->has_contract) != 0)
			goto bad;
		if (sv->has_contract) {
			procure_dates(&sv->terms, &sv->dates);
			svcyear_price_contract(sy->srows, i, &sv->terms, &sv->pc);
		}
	}
	if (svcyear_schools(sy) != 0 || svcyear_subs(sy) != 0)
		goto oom;
	for (size_t v = 0; v < sy->nsvc; v++) {
		struct svcyear_service *sv = &sy->svc[v];

		if (service_allocate(sv->basis, sv->cost.cost_pence, sy->subs + sv->first, sv->nsubs, year,
				     &sv->alloc) != 0) {
			log_err("services: service %lld: its allocation for %d overflows", (long long)sv->id, year);
			goto bad;
		}
		svcyear_changed(sy, sv);
	}
	return 0;
oom:
	log_err("services: out of memory loading a year");
bad:
	return problem_internal(p);
}

/* The four queries for the years first..last (store_svcyear.h), into sy's rows. */
static int svcyear_query(struct db *db, int first_year, int last_year, int64_t service_id, int64_t school_id,
			 struct svcyear *sy, struct problem *p)
{
	struct store_svcyear_rows rows;
	int rc = store_svcyear_load(db, first_year, last_year, service_id, school_id, &rows, p);

	sy->srows = rows.services;
	sy->brows = rows.subs;
	sy->schrows = rows.schools;
	sy->yrows = rows.years;
	return rc;
}

/* The rates with a history: the caller's, or one loaded into sy. */
static int svcyear_history(struct db *db, struct svcyear_rates *rates, struct svcyear *sy, struct problem *p)
{
	if (rates->history != NULL)
		return 0;
	if (store_index_history_load(db, &sy->hist, p) != 0)
		return -1;
	rates->history = &sy->hist;
	return 0;
}

int svcyear_load(struct db *db, struct svcyear_rates rates, int year, int64_t service_id, int64_t school_id, struct svcyear *sy,
		 struct problem *p)
{
	memset(sy, 0, sizeof(*sy));
	sy->year = year;
	if (svcyear_query(db, year, year, service_id, school_id, sy, p) != 0 || svcyear_history(db, &rates, sy, p) != 0 ||
	    svcyear_build(rates, sy, p) != 0) {
		svcyear_free(sy);
		return -1;
	}
	return 0;
}

int svcyear_load_span(struct db *db, struct svcyear_rates rates, int first, int n, struct svcyear *years, struct problem *p)
{
	memset(years, 0, (size_t)n * sizeof(*years));
	years[0].year = first;
	if (svcyear_query(db, first, first + n - 1, 0, 0, &years[0], p) != 0 ||
	    svcyear_history(db, &rates, &years[0], p) != 0)
		goto fail;
	for (int i = 0; i < n; i++) {
		struct svcyear *sy = &years[i];

		if (i > 0) {
			sy->year = first + i;
			sy->srows = years[0].srows;
			sy->brows = years[0].brows;
			sy->schrows = years[0].schrows;
			sy->yrows = years[0].yrows;
			sy->shared = 1;
		}
		if (svcyear_build(rates, sy, p) != 0)
			goto fail;
	}
	return 0;
fail:
	svcyear_span_free(years, n);
	return -1;
}

void svcyear_span_free(struct svcyear *years, int n)
{
	for (int i = n - 1; i >= 0; i--)
		svcyear_free(&years[i]);
}

/* ---- JSON ---- */

/* cJSON's adders return NULL when out of memory: each piece is checked once at the end. */
static cJSON *svcyear_str(const char *s)
{
	return s != NULL ? cJSON_CreateString(s) : cJSON_CreateNull();
}

static cJSON *svcyear_num_or_null(const char *s)
{
	return s != NULL ? cJSON_CreateNumber(strtoll(s, NULL, 10)) : cJSON_CreateNull();
}

static cJSON *svcyear_ts_json(const char *s)
{
	char buf[40];

	if (s == NULL)
		return cJSON_CreateNull();
	ts_rfc3339_from_db(s, buf, sizeof(buf));
	return cJSON_CreateString(buf);
}

cJSON *svcyear_cost_json(const struct service_cost *c, const char *reference)
{
	cJSON *o = cJSON_CreateObject(), *a;
	char text[600];

	if (o == NULL)
		return NULL;
	service_cost_explain(c, reference, text, sizeof(text));
	cJSON_AddStringToObject(o, "source", c->source == SERVICE_CONTRACT ? "contract" : "entered");
	cJSON_AddNumberToObject(o, "months", c->months);
	cJSON_AddNumberToObject(o, "net_pence", c->net_pence);
	cJSON_AddNumberToObject(o, "vat_pence", c->vat_pence);
	cJSON_AddNumberToObject(o, "irrecoverable_vat_pence", c->irrecoverable_vat_pence);
	cJSON_AddNumberToObject(o, "cost_pence", c->cost_pence);
	cJSON_AddStringToObject(o, "explanation", text);
	if ((a = svcyear_assumptions_json(c)) == NULL || !cJSON_AddItemToObject(o, "assumptions", a)) {
		cJSON_Delete(a);
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

cJSON *svcyear_assumptions_json(const struct service_cost *c)
{
	cJSON *a = cJSON_CreateArray();

	for (size_t i = 0; a != NULL && i < c->price.nassumptions; i++)
		if (!cJSON_AddItemToArray(a, cJSON_CreateString(c->price.assumptions[i]))) {
			cJSON_Delete(a);
			return NULL;
		}
	return a;
}

/* The contract a service is bought through, in brief. */
static cJSON *svcyear_contract_json(const struct db_rows *rows, size_t i, const struct procure_terms *t,
				    int32_t today)
{
	struct procure_dates d;
	cJSON *o = cJSON_CreateObject();

	if (o == NULL)
		return NULL;
	procure_dates(t, &d);
	d.notice_by = procure_notice_date(t, &d, today, NULL);   /* as the contract's own JSON */
	cJSON_AddItemToObject(o, "id", svcyear_num_or_null(svcyear_cell(rows, i, "contract_id")));
	cJSON_AddItemToObject(o, "reference", svcyear_str(svcyear_cell(rows, i, "reference")));
	cJSON_AddItemToObject(o, "title", svcyear_str(svcyear_cell(rows, i, "contract_title")));
	cJSON_AddItemToObject(o, "status", svcyear_str(svcyear_cell(rows, i, "contract_status")));
	cJSON_AddItemToObject(o, "supplier_id", svcyear_num_or_null(svcyear_cell(rows, i, "supplier_id")));
	cJSON_AddItemToObject(o, "supplier_name", svcyear_str(svcyear_cell(rows, i, "supplier_name")));
	cJSON_AddItemToObject(o, "start_date", contract_date_json(t->start));
	cJSON_AddItemToObject(o, "current_end", contract_date_json(d.current_end));
	cJSON_AddItemToObject(o, "notice_by", contract_date_json(d.notice_by));
	cJSON_AddBoolToObject(o, "auto_renew", t->auto_renew);
	if (cJSON_GetObjectItemCaseSensitive(o, "auto_renew") == NULL) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

/* A contract the caller may not see: what they may know of it (its id). */
static cJSON *svcyear_contract_restricted(const struct db_rows *rows, size_t i)
{
	cJSON *o = cJSON_CreateObject();

	if (o == NULL)
		return NULL;
	cJSON_AddItemToObject(o, "id", svcyear_num_or_null(svcyear_cell(rows, i, "contract_id")));
	if (cJSON_AddBoolToObject(o, "restricted", 1) == NULL) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

/* Whether scope may see the contract of row i (trust-wide, or one of its schools'). */
static int svcyear_contract_visible(const struct db_rows *rows, size_t i, const struct identity *scope)
{
	const char *school = svcyear_cell(rows, i, "contract_school_id");

	return scope == NULL || school == NULL || identity_school_allowed(scope, (uint32_t)strtoul(school, NULL, 10));
}

const char *svcyear_contract_ref(const struct db_rows *rows, size_t i, const struct identity *scope, char *buf,
				 size_t len)
{
	if (svcyear_contract_visible(rows, i, scope))
		return svcyear_cell(rows, i, "reference");
	snprintf(buf, len, "#%s", svcyear_cell(rows, i, "contract_id") != NULL ? svcyear_cell(rows, i, "contract_id") : "");
	return buf;
}

cJSON *svcyear_service_json(struct svcyear_rates rates, const struct db_rows *rows, size_t i, int year,
			    const struct identity *scope)
{
	struct service_cost c;
	struct procure_terms t;
	int has_contract, visible = svcyear_contract_visible(rows, i, scope);
	char y[8], ref[32];
	cJSON *o = cJSON_CreateObject();

	if (o == NULL)
		return NULL;
	cJSON_AddItemToObject(o, "id", svcyear_num_or_null(svcyear_cell(rows, i, "id")));
	cJSON_AddItemToObject(o, "name", svcyear_str(svcyear_cell(rows, i, "name")));
	if (svcyear_cell(rows, i, "deleted_at") != NULL) {
		cJSON_AddBoolToObject(o, "deleted", 1);
		cJSON_AddItemToObject(o, "version", svcyear_num_or_null(svcyear_cell(rows, i, "version")));
		cJSON_AddItemToObject(o, "updated_at", svcyear_ts_json(svcyear_cell(rows, i, "updated_at")));
		goto check;
	}
	if (svcyear_cost(rates, rows, i, year, &c, &t, &has_contract) != 0)
		goto fail;
	cJSON_AddItemToObject(o, "category", svcyear_str(svcyear_cell(rows, i, "category")));
	cJSON_AddItemToObject(o, "description", svcyear_str(svcyear_cell(rows, i, "description")));
	cJSON_AddItemToObject(o, "contract_id", svcyear_num_or_null(svcyear_cell(rows, i, "contract_id")));
	cJSON_AddItemToObject(o, "contract", !has_contract ? cJSON_CreateNull() : visible ?
			      svcyear_contract_json(rows, i, &t, rates.today) : svcyear_contract_restricted(rows, i));
	cJSON_AddItemToObject(o, "account_code", svcyear_str(svcyear_cell(rows, i, "account_code")));
	cJSON_AddItemToObject(o, "funding", svcyear_str(svcyear_cell(rows, i, "funding")));
	cJSON_AddItemToObject(o, "basis", svcyear_str(svcyear_cell(rows, i, "basis")));
	cJSON_AddItemToObject(o, "usage_unit", svcyear_str(svcyear_cell(rows, i, "usage_unit")));
	cJSON_AddItemToObject(o, "annual_cost_pence", svcyear_num_or_null(svcyear_cell(rows, i, "annual_cost_pence")));
	cJSON_AddItemToObject(o, "annual_vat_pence", svcyear_num_or_null(svcyear_cell(rows, i, "annual_vat_pence")));
	acyear_format(year, y, sizeof(y));
	cJSON_AddStringToObject(o, "year", y);
	cJSON_AddItemToObject(o, "cost", svcyear_cost_json(&c, has_contract ? svcyear_contract_ref(rows, i, scope, ref,
											       sizeof(ref)) : svcyear_cell(rows, i, "reference")));
	cJSON_AddBoolToObject(o, "deleted", 0);
	cJSON_AddItemToObject(o, "version", svcyear_num_or_null(svcyear_cell(rows, i, "version")));
	cJSON_AddItemToObject(o, "created_at", svcyear_ts_json(svcyear_cell(rows, i, "created_at")));
	cJSON_AddItemToObject(o, "updated_at", svcyear_ts_json(svcyear_cell(rows, i, "updated_at")));
	if (cJSON_GetObjectItemCaseSensitive(o, "contract") == NULL || cJSON_GetObjectItemCaseSensitive(o, "cost") == NULL)
		goto fail;
check:
	if (cJSON_GetObjectItemCaseSensitive(o, "updated_at") == NULL)
		goto fail;
	return o;
fail:
	cJSON_Delete(o);
	return NULL;
}

cJSON *svcyear_share_json(const struct svcyear *sy, const struct svcyear_service *sv, size_t k)
{
	const struct service_sub *s = &sy->subs[k];
	struct alloc_explain e;
	char text[400];
	cJSON *o = cJSON_CreateObject();

	if (o == NULL)
		return NULL;
	service_explain(&sv->alloc, s, sv->usage_unit, &e);
	alloc_explain(&e, text, sizeof(text));
	if (s->value < 0)
		snprintf(text, sizeof(text), "%s has no %s recorded for %d-%02d or before: counted as 0",
			 s->school->urn, sv->basis == ALLOC_PER_PUPIL ? "October census" :
			 sv->basis == ALLOC_PER_FTE ? "staff FTE" : sv->basis == ALLOC_FLOOR_AREA ? "floor area" :
			 sv->basis == ALLOC_USAGE ? "usage units" : "fixed share", sy->year, (sy->year + 1) % 100);
	cJSON_AddNumberToObject(o, "subscription_id", s->id);
	cJSON_AddStringToObject(o, "urn", s->school->urn);
	cJSON_AddItemToObject(o, "school", svcyear_str(s->school->name));
	cJSON_AddItemToObject(o, "start_date", svcyear_str(svcyear_sub_cell(sy, k, "start_date")));
	cJSON_AddItemToObject(o, "end_date", svcyear_str(svcyear_sub_cell(sy, k, "end_date")));
	cJSON_AddItemToObject(o, "level", svcyear_str(svcyear_sub_cell(sy, k, "level")));
	cJSON_AddNumberToObject(o, "months", s->months);
	if (s->value >= 0)
		cJSON_AddNumberToObject(o, "value", s->value);
	else
		cJSON_AddNullToObject(o, "value");
	cJSON_AddNumberToObject(o, "weight", s->weight);
	cJSON_AddNumberToObject(o, "share_pence", s->pence);
	cJSON_AddBoolToObject(o, "remainder_penny", s->extra_penny);
	if (cJSON_AddStringToObject(o, "explanation", text) == NULL) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}
