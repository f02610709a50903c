/* scenario.c - see scenario.h */
#include "scenario.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "jsonv.h"

/* The per-year maps of "assumptions", in the order they are stored. */
enum { SA_FUNDING, SA_PLACE_RATE, SA_TEACHER_PAY, SA_SUPPORT_PAY, SA_TEACHER_ONCOST, SA_SUPPORT_ONCOST,
       SA_INFLATION, SA_RETENDER, SA_BASE_SUPPORT_PAY, SA_BASE_TEACHER_ONCOST, SA_BASE_SUPPORT_ONCOST, SA__N };

static const struct jv_field scenario_fields[SA__N] = {
	[SA_FUNDING] = { "funding_per_pupil_bp", JV_OBJECT, 0, 0, 0, NULL, NULL },
	[SA_PLACE_RATE] = { "place_rate_pence", JV_OBJECT, 0, 0, 0, NULL, NULL },
	[SA_TEACHER_PAY] = { "teacher_pay_bp", JV_OBJECT, 0, 0, 0, NULL, NULL },
	[SA_SUPPORT_PAY] = { "support_pay_bp", JV_OBJECT, 0, 0, 0, NULL, NULL },
	[SA_TEACHER_ONCOST] = { "teacher_oncost_bp", JV_OBJECT, 0, 0, 0, NULL, NULL },
	[SA_SUPPORT_ONCOST] = { "support_oncost_bp", JV_OBJECT, 0, 0, 0, NULL, NULL },
	[SA_INFLATION] = { "inflation_bp", JV_OBJECT, 0, 0, 0, NULL, NULL },
	[SA_RETENDER] = { "retender_change_bp", JV_OBJECT, 0, 0, 0, NULL, NULL },
	[SA_BASE_SUPPORT_PAY] = { "base_support_pay_bp", JV_INT, 0, FORECAST_BP_MIN, SCENARIO_BP_MAX, NULL, NULL },
	[SA_BASE_TEACHER_ONCOST] = { "base_teacher_oncost_bp", JV_INT, 0, FORECAST_BP_MIN, SCENARIO_BP_MAX, NULL, NULL },
	[SA_BASE_SUPPORT_ONCOST] = { "base_support_oncost_bp", JV_INT, 0, FORECAST_BP_MIN, SCENARIO_BP_MAX, NULL, NULL },
};

/* What a map's values may be. */
struct sc_range {
	int64_t min, max;
	const char *below;                       /* the message under min */
};

static const struct sc_range sc_bp = { FORECAST_BP_MIN, SCENARIO_BP_MAX,
				       "must be at least -10000 (-100%): an assumption cannot take away more than all of it" };
static const struct sc_range sc_rate = { 0, SCENARIO_RATE_MAX, "must not be negative" };
static const struct sc_range sc_pupils = { 0, SCENARIO_PUPILS_MAX, "must not be negative" };
static const struct sc_range sc_places = { 0, SCENARIO_PLACES_MAX, "must not be negative" };

static void sc_ptr(char *buf, size_t len, const char *prefix, const char *key)
{
	size_t o = (size_t)snprintf(buf, len, "%s", prefix);

	jsonv_ptr_append(buf, len, o < len ? o : len - 1, key);
}

/* A map {"2027-28": value, ...} at ptr into s, each year a forecast year of base_year. */
static size_t sc_series(const cJSON *obj, const char *ptr, int base_year, const struct sc_range *r,
			struct scenario_series *s, struct problem *p)
{
	const cJSON *it;
	char fp[200], first[8], last[8];
	size_t errors = 0;

	memset(s, 0, sizeof(*s));
	if (!cJSON_IsObject(obj)) {
		problem_field(p, ptr, "must be an object of values by academic year, like {\"%d-%02d\": 300}",
			      base_year + 1, (base_year + 2) % 100);
		return 1;
	}
	cJSON_ArrayForEach(it, obj) {
		int y;
		int64_t v;
		size_t i;

		sc_ptr(fp, sizeof(fp), ptr, it->string);
		if (acyear_parse(it->string, &y) != 0 || y <= base_year || y > base_year + SCENARIO_MAX_POINTS) {
			acyear_format(base_year + 1, first, sizeof(first));
			acyear_format(base_year + SCENARIO_MAX_POINTS, last, sizeof(last));
			problem_field(p, fp, "must be a forecast year from %s to %s, written like %s", first, last, first);
			errors++;
			continue;
		}
		if (jsonv_int(it, &v) != 0) {
			problem_field(p, fp, "must be an integer (at most 2^53 in size)");
			errors++;
			continue;
		}
		if (v < r->min || v > r->max) {
			if (v < r->min)
				problem_field(p, fp, "%s", r->below);
			else
				problem_field(p, fp, "must be at most %lld", (long long)r->max);
			errors++;
			continue;
		}
		for (i = 0; i < s->n && s->year[i] != y; i++)
			;
		if (i < s->n || s->n == SCENARIO_MAX_POINTS) {
			problem_field(p, fp, "is given twice");     /* stored text only: bodies refuse duplicate keys */
			errors++;
			continue;
		}
		/* ascending by year */
		for (i = s->n; i > 0 && s->year[i - 1] > y; i--) {
			s->year[i] = s->year[i - 1];
			s->v[i] = s->v[i - 1];
		}
		s->year[i] = y;
		s->v[i] = v;
		s->n++;
	}
	return errors;
}

static int sc_index_name_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > FORECAST_INDEX_MAX)
		return 0;
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return 0;
	return 1;
}

static int sc_school_cmp(const void *a, const void *b)
{
	return strcmp(((const struct scenario_school *)a)->urn, ((const struct scenario_school *)b)->urn);
}

/* {"159904": {"2027-28": 480, ...}, ...} at ptr. */
static size_t sc_schools(const cJSON *obj, const char *ptr, int base_year, const struct sc_range *r,
			 struct scenario_school **out, size_t *nout, struct problem *p)
{
	const cJSON *it;
	char fp[200];
	size_t errors = 0, n = 0;
	int count;

	if (obj == NULL || cJSON_IsNull(obj))
		return 0;
	if (!cJSON_IsObject(obj))
		return problem_field(p, ptr, "must be an object of schools (by URN), each with values by academic year"), 1;
	count = cJSON_GetArraySize(obj);
	if (count > SCENARIO_MAX_SCHOOLS)
		return problem_field(p, ptr, "may name at most %d schools", SCENARIO_MAX_SCHOOLS), 1;
	if (count > 0 && (*out = calloc((size_t)count, sizeof(**out))) == NULL)
		return problem_field(p, ptr, "is too large"), 1;
	cJSON_ArrayForEach(it, obj) {
		const char *u = it->string;
		int digits = strlen(u) == 6;

		for (int i = 0; digits && i < 6; i++)
			digits = u[i] >= '0' && u[i] <= '9';
		sc_ptr(fp, sizeof(fp), ptr, u);
		if (!digits) {
			problem_field(p, fp, strcmp(u, "central") == 0 ? "the central team has no pupils or places"
								     : "must be a school's six-digit URN");
			errors++;
			continue;
		}
		memcpy((*out)[n].urn, u, 7);
		errors += sc_series(it, fp, base_year, r, &(*out)[n].s, p);
		n++;
	}
	if (n > 1)                               /* qsort needs an array, even for none */
		qsort(*out, n, sizeof(**out), sc_school_cmp);
	*nout = n;
	return errors;
}

size_t scenario_parse(const cJSON *assumptions, const cJSON *pupils, const cJSON *places, int base_year,
		      struct scenario *s, struct problem *p)
{
	struct jv_value v[SA__N];
	struct scenario_series *maps[] = { [SA_FUNDING] = &s->funding, [SA_PLACE_RATE] = &s->place_rate,
					   [SA_TEACHER_PAY] = &s->teacher_pay, [SA_SUPPORT_PAY] = &s->support_pay,
					   [SA_TEACHER_ONCOST] = &s->teacher_oncost,
					   [SA_SUPPORT_ONCOST] = &s->support_oncost, [SA_RETENDER] = &s->retender };
	char fp[200];
	size_t errors = 0;

	memset(s, 0, sizeof(*s));
	s->base_year = base_year;
	if (assumptions != NULL && !cJSON_IsNull(assumptions)) {
		errors += jsonv_object(assumptions, "/assumptions", scenario_fields, SA__N, v, p);
		for (int i = 0; i < SA__N; i++) {
			if (!v[i].present || v[i].is_null || scenario_fields[i].type != JV_OBJECT || !cJSON_IsObject(v[i].item))
				continue;
			sc_ptr(fp, sizeof(fp), "/assumptions", scenario_fields[i].name);
			if (i == SA_INFLATION) {
				const cJSON *ix;

				cJSON_ArrayForEach(ix, v[i].item) {
					char ip[200];

					sc_ptr(ip, sizeof(ip), fp, ix->string);
					if (!sc_index_name_ok(ix->string)) {
						problem_field(p, ip, "must be an index name of 1 to 20 characters a-z, 0-9 and _ "
							      "(cpi, energy, nlw)");
						errors++;
						continue;
					}
					if (s->nindices == FORECAST_MAX_INDICES) {
						problem_field(p, ip, "at most %d indices", FORECAST_MAX_INDICES);
						errors++;
						break;
					}
					memcpy(s->indices[s->nindices].name, ix->string, strlen(ix->string) + 1);
					errors += sc_series(ix, ip, base_year, &sc_bp, &s->indices[s->nindices++].s, p);
				}
				continue;
			}
			errors += sc_series(v[i].item, fp, base_year, i == SA_PLACE_RATE ? &sc_rate : &sc_bp, maps[i], p);
		}
		if (v[SA_BASE_SUPPORT_PAY].present && !v[SA_BASE_SUPPORT_PAY].is_null)
			s->base_support_pay = (int32_t)v[SA_BASE_SUPPORT_PAY].i;
		if (v[SA_BASE_TEACHER_ONCOST].present && !v[SA_BASE_TEACHER_ONCOST].is_null)
			s->base_teacher_oncost = (int32_t)v[SA_BASE_TEACHER_ONCOST].i;
		if (v[SA_BASE_SUPPORT_ONCOST].present && !v[SA_BASE_SUPPORT_ONCOST].is_null)
			s->base_support_oncost = (int32_t)v[SA_BASE_SUPPORT_ONCOST].i;
	}
	errors += sc_schools(pupils, "/pupils", base_year, &sc_pupils, &s->pupils, &s->npupils, p);
	errors += sc_schools(places, "/places", base_year, &sc_places, &s->places, &s->nplaces, p);
	return errors;
}

void scenario_free(struct scenario *s)
{
	if (s == NULL)
		return;
	free(s->pupils);
	free(s->places);
	s->pupils = s->places = NULL;
	s->npupils = s->nplaces = 0;
}

/* ---- the stored form ---- */

static cJSON *sc_series_json(const struct scenario_series *s)
{
	cJSON *o = cJSON_CreateObject();
	char y[8];

	for (size_t i = 0; o != NULL && i < s->n; i++) {
		acyear_format(s->year[i], y, sizeof(y));
		if (cJSON_AddNumberToObject(o, y, s->v[i]) == NULL) {
			cJSON_Delete(o);
			return NULL;
		}
	}
	return o;
}

static int sc_add(cJSON *o, const char *k, cJSON *v)
{
	if (v == NULL || !cJSON_AddItemToObject(o, k, v)) {
		cJSON_Delete(v);
		return -1;
	}
	return 0;
}

static cJSON *sc_schools_json(const struct scenario_school *list, size_t n)
{
	cJSON *o = cJSON_CreateObject();

	for (size_t i = 0; o != NULL && i < n; i++)
		if (sc_add(o, list[i].urn, sc_series_json(&list[i].s)) != 0) {
			cJSON_Delete(o);
			return NULL;
		}
	return o;
}

cJSON *scenario_spec_json(const struct scenario *s)
{
	const struct scenario_series *maps[] = { &s->funding, &s->place_rate, &s->teacher_pay, &s->support_pay,
						 &s->teacher_oncost, &s->support_oncost };
	const int names[] = { SA_FUNDING, SA_PLACE_RATE, SA_TEACHER_PAY, SA_SUPPORT_PAY, SA_TEACHER_ONCOST,
			      SA_SUPPORT_ONCOST };
	cJSON *o = cJSON_CreateObject(), *a = cJSON_CreateObject(), *ix = cJSON_CreateObject();

	if (o == NULL || sc_add(o, "assumptions", a) != 0) {
		cJSON_Delete(ix);
		goto fail;
	}
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (sc_add(a, scenario_fields[names[i]].name, sc_series_json(maps[i])) != 0) {
			cJSON_Delete(ix);
			goto fail;
		}
	if (sc_add(a, "inflation_bp", ix) != 0)
		goto fail;
	for (size_t i = 0; i < s->nindices; i++)
		if (sc_add(ix, s->indices[i].name, sc_series_json(&s->indices[i].s)) != 0)
			goto fail;
	if (sc_add(a, "retender_change_bp", sc_series_json(&s->retender)) != 0 ||
	    cJSON_AddNumberToObject(a, "base_support_pay_bp", s->base_support_pay) == NULL ||
	    cJSON_AddNumberToObject(a, "base_teacher_oncost_bp", s->base_teacher_oncost) == NULL ||
	    cJSON_AddNumberToObject(a, "base_support_oncost_bp", s->base_support_oncost) == NULL ||
	    sc_add(o, "pupils", sc_schools_json(s->pupils, s->npupils)) != 0 ||
	    sc_add(o, "places", sc_schools_json(s->places, s->nplaces)) != 0)
		goto fail;
	return o;
fail:
	cJSON_Delete(o);
	return NULL;
}

/* ---- resolving ---- */

/* The value of year y: the last given at or before it, else dflt. */
static int64_t sc_at(const struct scenario_series *s, int y, int64_t dflt)
{
	int64_t v = dflt;

	for (size_t i = 0; i < s->n && s->year[i] <= y; i++)
		v = s->v[i];
	return v;
}

void scenario_resolve(const struct scenario *s, int base_year, int horizon, struct forecast_assumptions *a)
{
	memset(a, 0, sizeof(*a));
	a->base_year = base_year;
	a->horizon = horizon;
	for (int k = 0; k <= horizon && k < FORECAST_NY; k++) {
		int y = base_year + k;

		a->funding_bp[k] = (int32_t)sc_at(&s->funding, y, 0);
		a->place_rate_pence[k] = sc_at(&s->place_rate, y, FORECAST_PLACE_RATE_DEFAULT);
		a->teacher_pay_bp[k] = (int32_t)sc_at(&s->teacher_pay, y, 0);
		a->support_pay_bp[k] = (int32_t)sc_at(&s->support_pay, y, 0);
		a->teacher_oncost_bp[k] = (int32_t)sc_at(&s->teacher_oncost, y, 0);
		a->support_oncost_bp[k] = (int32_t)sc_at(&s->support_oncost, y, 0);
		a->retender_bp[k] = (int32_t)sc_at(&s->retender, y, 0);
		for (size_t i = 0; i < s->nindices; i++)
			a->indices[i].bp[k] = (int32_t)sc_at(&s->indices[i].s, y, 0);
	}
	a->nindices = s->nindices;
	for (size_t i = 0; i < s->nindices; i++)
		memcpy(a->indices[i].name, s->indices[i].name, sizeof(a->indices[i].name));
	a->base_support_pay_bp = s->base_support_pay;
	a->base_teacher_oncost_bp = s->base_teacher_oncost;
	a->base_support_oncost_bp = s->base_support_oncost;
}

int32_t scenario_projection(const struct scenario_school *list, size_t n, const char *urn, int year)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int d = strcmp(list[mid].urn, urn);

		if (d == 0) {
			for (size_t i = 0; i < list[mid].s.n; i++)
				if (list[mid].s.year[i] == year)
					return (int32_t)list[mid].s.v[i];
			return FORECAST_NO_DATA;
		}
		if (d < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return FORECAST_NO_DATA;
}

void scenario_project(const struct scenario *s, int base_year, struct forecast_entity_in *e, size_t n)
{
	for (size_t i = 0; i < n; i++)
		for (int k = 0; k < FORECAST_NC; k++) {
			int32_t v = scenario_projection(s->pupils, s->npupils, e[i].urn, base_year - 2 + k);
			int32_t w = scenario_projection(s->places, s->nplaces, e[i].urn, base_year - 2 + k);

			if (v != FORECAST_NO_DATA)
				e[i].pupils[k] = v;
			if (w != FORECAST_NO_DATA)
				e[i].places[k] = w;
		}
}
