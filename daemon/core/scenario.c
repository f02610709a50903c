/* scenario.c - see scenario.h */
#include "scenario.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "jsonv.h"
#include "scenario_actions.h"
#include "utf8.h"

/* The per-year maps of "assumptions", in the order they are stored. */
enum { SA_FUNDING, SA_PLACE_RATE, SA_TEACHER_PAY, SA_SUPPORT_PAY, SA_TEACHER_ONCOST, SA_SUPPORT_ONCOST,
       SA_INFLATION, SA_RETENDER, SA_BASE_SUPPORT_PAY, SA_BASE_TEACHER_ONCOST, SA_BASE_SUPPORT_ONCOST,
       SA_BASE_TEACHER_ONCOST_UNB, SA_BASE_SUPPORT_ONCOST_UNB, SA_RATE_CHANGES, SA__N };

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
	[SA_BASE_TEACHER_ONCOST_UNB] = { "base_teacher_oncost_unbudgeted_bp", JV_INT, 0, FORECAST_BP_MIN, SCENARIO_BP_MAX,
					 NULL, NULL },
	[SA_BASE_SUPPORT_ONCOST_UNB] = { "base_support_oncost_unbudgeted_bp", JV_INT, 0, FORECAST_BP_MIN, SCENARIO_BP_MAX,
					 NULL, NULL },
	[SA_RATE_CHANGES] = { "staff_rate_changes", JV_ARRAY, JV_NULLABLE, 0, 0, NULL, NULL },
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

int scenario_urn6(const char *u)
{
	if (strlen(u) != 6)
		return 0;
	for (int i = 0; i < 6; i++)
		if (u[i] < '0' || u[i] > '9')
			return 0;
	return 1;
}

/* Room for each member of obj (an object or an array) at ptr, size bytes each, in
 * *room (NULL: it has none): 0, or 1 with the problem reported (more than max:
 * "<lead> <max> <noun>"; no memory: "is too large"). */
int scenario_room(const cJSON *obj, const char *ptr, int max, const char *lead, const char *noun, size_t size,
		  void **room, struct problem *p)
{
	int count = cJSON_GetArraySize(obj);

	*room = NULL;
	if (count > max)
		return problem_field(p, ptr, "%s %d %s", lead, max, noun), 1;
	if (count > 0 && (*room = calloc((size_t)count, size)) == NULL)
		return problem_field(p, ptr, "is too large"), 1;
	return 0;
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
	void *room;

	if (obj == NULL || cJSON_IsNull(obj))
		return 0;
	if (!cJSON_IsObject(obj))
		return problem_field(p, ptr, "must be an object of schools (by URN), each with values by academic year"), 1;
	if (scenario_room(obj, ptr, SCENARIO_MAX_SCHOOLS, "may name at most", "schools", sizeof(**out), &room, p) != 0)
		return 1;
	*out = room;
	cJSON_ArrayForEach(it, obj) {
		const char *u = it->string;

		sc_ptr(fp, sizeof(fp), ptr, u);
		if (!scenario_urn6(u)) {
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

/* ---- staff_rate_changes ---- */

enum { SR_SCHEME, SR_ENTITY, SR_FROM, SR_RATE, SR__N };

static const char *sc_month_check(const char *s)
{
	int ok = strlen(s) == 7 && s[4] == '-';

	for (int i = 0; ok && i < 7; i++)
		ok = i == 4 || (s[i] >= '0' && s[i] <= '9');
	return ok && (s[5] - '0') * 10 + (s[6] - '0') >= 1 && (s[5] - '0') * 10 + (s[6] - '0') <= 12
		       ? NULL : "must be a month written like 2027-04";
}

static const char *sc_rate_entity_check(const char *s)
{
	return scenario_urn6(s) || strcmp(s, "central") == 0 ? NULL : "must be a school's six-digit URN or \"central\"";
}

static const struct jv_field sc_rate_fields[SR__N] = {
	[SR_SCHEME] = { "scheme", JV_STRING, JV_REQUIRED, 1, 4, (const char *const[]){ "tps", "lgps", NULL }, NULL },
	[SR_ENTITY] = { "entity", JV_STRING, JV_NULLABLE, 1, 7, NULL, sc_rate_entity_check },
	[SR_FROM] = { "from", JV_STRING, JV_REQUIRED, 7, 7, NULL, sc_month_check },
	[SR_RATE] = { "rate_bp", JV_INT, JV_REQUIRED, 0, 10000, NULL, NULL },
};

/* assumptions.staff_rate_changes: [{"scheme", "entity" (lgps; absent: every entity), "from": "2027-04",
 * "rate_bp"}], each month from the base year's September to the last forecast year's August. */
static size_t sc_rate_changes(const cJSON *arr, int base_year, struct scenario *s, struct problem *p)
{
	const char *ptr = "/assumptions/staff_rate_changes";
	const cJSON *it;
	size_t errors = 0, idx = 0;
	void *room;

	if (arr == NULL || cJSON_IsNull(arr))
		return 0;
	if (scenario_room(arr, ptr, SCENARIO_MAX_RATE_CHANGES, "at most", "rate changes", sizeof(*s->rate_changes), &room,
			  p) != 0)
		return 1;
	s->rate_changes = room;
	cJSON_ArrayForEach(it, arr) {
		struct jv_value v[SR__N];
		struct scenario_rate_change *c = &s->rate_changes[s->nrate_changes];
		char ip[64], fp[80];
		size_t e;
		int y = 0, m = 0;

		snprintf(ip, sizeof(ip), "%s/%zu", ptr, idx++);
		e = jsonv_object(it, ip, sc_rate_fields, SR__N, v, p);
		if (e == 0) {
			y = atoi(v[SR_FROM].s);
			m = atoi(v[SR_FROM].s + 5);
			if (y * 12 + m < base_year * 12 + 9 || y * 12 + m > (base_year + SCENARIO_MAX_POINTS + 1) * 12 + 8) {
				snprintf(fp, sizeof(fp), "%s/from", ip);
				problem_field(p, fp, "must be a month from %d-09 to %d-08", base_year,
					      base_year + SCENARIO_MAX_POINTS + 1);
				e++;
			}
			if (strcmp(v[SR_SCHEME].s, "tps") == 0 && v[SR_ENTITY].present && !v[SR_ENTITY].is_null) {
				snprintf(fp, sizeof(fp), "%s/entity", ip);
				problem_field(p, fp, "the teachers' pension rate is the same for every entity: give entity "
					      "for lgps only");
				e++;
			}
		}
		errors += e;
		if (e != 0)
			continue;
		c->lgps = strcmp(v[SR_SCHEME].s, "lgps") == 0;
		if (v[SR_ENTITY].present && !v[SR_ENTITY].is_null)
			snprintf(c->urn, sizeof(c->urn), "%s", v[SR_ENTITY].s);
		c->from = date_from_ymd(y, m, 1);
		c->rate_bp = (int32_t)v[SR_RATE].i;
		s->nrate_changes++;
	}
	return errors;
}

static cJSON *sc_rate_changes_json(const struct scenario *s)
{
	cJSON *arr = cJSON_CreateArray();

	for (size_t i = 0; arr != NULL && i < s->nrate_changes; i++) {
		const struct scenario_rate_change *c = &s->rate_changes[i];
		cJSON *o = cJSON_CreateObject();
		char month[16];
		int y, m, d;

		date_to_ymd(c->from, &y, &m, &d);
		snprintf(month, sizeof(month), "%04d-%02d", y, m);
		if (o == NULL || !cJSON_AddItemToArray(arr, o)) {
			cJSON_Delete(o);
			goto fail;
		}
		if (!cJSON_AddStringToObject(o, "scheme", c->lgps ? "lgps" : "tps") ||
		    (c->urn[0] != '\0' && !cJSON_AddStringToObject(o, "entity", c->urn)) ||
		    !cJSON_AddStringToObject(o, "from", month) || !cJSON_AddNumberToObject(o, "rate_bp", c->rate_bp))
			goto fail;
	}
	return arr;
fail:
	cJSON_Delete(arr);
	return NULL;
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
		if (v[SA_BASE_TEACHER_ONCOST_UNB].present && !v[SA_BASE_TEACHER_ONCOST_UNB].is_null)
			s->base_teacher_oncost_unbudgeted = (int32_t)v[SA_BASE_TEACHER_ONCOST_UNB].i;
		if (v[SA_BASE_SUPPORT_ONCOST_UNB].present && !v[SA_BASE_SUPPORT_ONCOST_UNB].is_null)
			s->base_support_oncost_unbudgeted = (int32_t)v[SA_BASE_SUPPORT_ONCOST_UNB].i;
		if (v[SA_RATE_CHANGES].present)
			errors += sc_rate_changes(v[SA_RATE_CHANGES].item, base_year, s, p);
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
	for (size_t i = 0; i < s->nplugins; i++)
		free(s->plugins[i].items);
	free(s->models);
	free(s->plugins);
	scenario_actions_free(s);
	free(s->rate_changes);
	free(s->staff_by_post);
	s->rate_changes = NULL;
	s->staff_by_post = NULL;
	s->nrate_changes = s->nstaff_by_post = 0;
	s->pupils = s->places = NULL;
	s->models = NULL;
	s->plugins = NULL;
	s->npupils = s->nplaces = s->nmodels = s->nplugins = 0;
}

/* ---- what-ifs: overrides and actions ---- */

/* A plugin's name or a setting's key: a letter, then letters, digits, _ or -, at most 64. */
static int sc_name_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > SCENARIO_NAME_MAX || !((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')))
		return 0;
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '_' ||
		      *s == '-'))
			return 0;
	return 1;
}

static int sc_model_cmp(const void *a, const void *b)
{
	return strcmp(((const struct scenario_model *)a)->urn, ((const struct scenario_model *)b)->urn);
}

static int sc_plugin_cmp(const void *a, const void *b)
{
	return strcmp(((const struct scenario_plugin *)a)->name, ((const struct scenario_plugin *)b)->name);
}

static int sc_setting_cmp(const void *a, const void *b)
{
	return strcmp(((const struct scenario_setting *)a)->key, ((const struct scenario_setting *)b)->key);
}

static const char sc_plugin_name_msg[] = "must be the name of a loaded finance-rules plugin (\"local\", \"central\")";

/* overrides.finance_model: {"159907": "central"} */
static size_t sc_models(const cJSON *obj, struct scenario *s, struct problem *p)
{
	const char *ptr = "/overrides/finance_model";
	const cJSON *it;
	char fp[200];
	size_t errors = 0;
	void *room;

	if (obj == NULL || cJSON_IsNull(obj))
		return 0;
	if (!cJSON_IsObject(obj))
		return problem_field(p, ptr, "must be an object of finance models by school URN, like {\"159907\": "
				     "\"central\"}"), 1;
	if (scenario_room(obj, ptr, SCENARIO_MAX_SCHOOLS, "may name at most", "schools", sizeof(*s->models), &room, p) != 0)
		return 1;
	s->models = room;
	cJSON_ArrayForEach(it, obj) {
		sc_ptr(fp, sizeof(fp), ptr, it->string);
		if (!scenario_urn6(it->string)) {
			problem_field(p, fp, strcmp(it->string, "central") == 0 ? "the central team has no finance model"
										: "must be a school's six-digit URN");
			errors++;
			continue;
		}
		if (!cJSON_IsString(it) || !sc_name_ok(it->valuestring)) {
			problem_field(p, fp, "%s", sc_plugin_name_msg);
			errors++;
			continue;
		}
		memcpy(s->models[s->nmodels].urn, it->string, 7);
		snprintf(s->models[s->nmodels].model, sizeof(s->models[0].model), "%s", it->valuestring);
		s->nmodels++;
	}
	if (s->nmodels > 1)
		qsort(s->models, s->nmodels, sizeof(*s->models), sc_model_cmp);
	return errors;
}

/* One plugin's {"retention_bp": "500", "lump_sum_pence": 5000000} at ptr into pl. */
static size_t sc_settings(const cJSON *obj, const char *ptr, struct scenario_plugin *pl, struct problem *p)
{
	const cJSON *it;
	char fp[300];
	size_t errors = 0;
	void *room;

	if (!cJSON_IsObject(obj))
		return problem_field(p, ptr, "must be an object of settings, like {\"retention_bp\": \"500\"}"), 1;
	if (scenario_room(obj, ptr, SCENARIO_MAX_SETTINGS, "at most", "settings", sizeof(*pl->items), &room, p) != 0)
		return 1;
	pl->items = room;
	cJSON_ArrayForEach(it, obj) {
		struct scenario_setting *kv = &pl->items[pl->n];
		const char *why;
		int64_t v;

		sc_ptr(fp, sizeof(fp), ptr, it->string);
		if (!sc_name_ok(it->string)) {
			problem_field(p, fp, "a setting's name is a letter, then letters, digits, _ or -, at most %d",
				      SCENARIO_NAME_MAX);
			errors++;
			continue;
		}
		if (cJSON_IsNumber(it)) {
			if (jsonv_int(it, &v) != 0) {
				problem_field(p, fp, "must be a string or an integer (at most 2^53 in size)");
				errors++;
				continue;
			}
			snprintf(kv->value, sizeof(kv->value), "%lld", (long long)v);
		} else if (cJSON_IsString(it)) {
			if (utf8_chars(it->valuestring) > SCENARIO_VALUE_MAX || strlen(it->valuestring) >= sizeof(kv->value)) {
				problem_field(p, fp, "must be at most %d characters", SCENARIO_VALUE_MAX);
				errors++;
				continue;
			}
			if ((why = jsonv_text(it->valuestring, JV_LINE)) != NULL) {
				problem_field(p, fp, "%s", why);
				errors++;
				continue;
			}
			memcpy(kv->value, it->valuestring, strlen(it->valuestring) + 1);
		} else {
			problem_field(p, fp, "must be a string or an integer (the plugin reads its settings as text)");
			errors++;
			continue;
		}
		memcpy(kv->key, it->string, strlen(it->string) + 1);
		pl->n++;
	}
	if (pl->n > 1)
		qsort(pl->items, pl->n, sizeof(*pl->items), sc_setting_cmp);
	return errors;
}

/* overrides.plugin_settings: {"central": {...}} */
static size_t sc_plugins(const cJSON *obj, struct scenario *s, struct problem *p)
{
	const char *ptr = "/overrides/plugin_settings";
	const cJSON *it;
	char fp[200];
	size_t errors = 0;
	void *room;

	if (obj == NULL || cJSON_IsNull(obj))
		return 0;
	if (!cJSON_IsObject(obj))
		return problem_field(p, ptr, "must be an object of settings by plugin, like {\"central\": "
				     "{\"retention_bp\": \"500\"}}"), 1;
	if (scenario_room(obj, ptr, SCENARIO_MAX_PLUGINS, "at most", "plugins", sizeof(*s->plugins), &room, p) != 0)
		return 1;
	s->plugins = room;
	cJSON_ArrayForEach(it, obj) {
		struct scenario_plugin *pl = &s->plugins[s->nplugins];

		sc_ptr(fp, sizeof(fp), ptr, it->string);
		if (!sc_name_ok(it->string)) {
			problem_field(p, fp, "%s", sc_plugin_name_msg);
			errors++;
			continue;
		}
		memcpy(pl->name, it->string, strlen(it->string) + 1);
		s->nplugins++;                   /* counted now, so scenario_free frees its items */
		errors += sc_settings(it, fp, pl, p);
	}
	if (s->nplugins > 1)
		qsort(s->plugins, s->nplugins, sizeof(*s->plugins), sc_plugin_cmp);
	return errors;
}

static int sc_flag_cmp(const void *a, const void *b)
{
	return strcmp(((const struct scenario_flag *)a)->urn, ((const struct scenario_flag *)b)->urn);
}

/* overrides.staff_by_post: {"159901": true, "central": false} */
static size_t sc_staff_by_post(const cJSON *obj, struct scenario *s, struct problem *p)
{
	const char *ptr = "/overrides/staff_by_post";
	const cJSON *it;
	char fp[200];
	size_t errors = 0;
	void *room;

	if (obj == NULL || cJSON_IsNull(obj))
		return 0;
	if (scenario_room(obj, ptr, SCENARIO_MAX_SCHOOLS, "may name at most", "entities", sizeof(*s->staff_by_post),
			  &room, p) != 0)
		return 1;
	s->staff_by_post = room;
	cJSON_ArrayForEach(it, obj) {
		sc_ptr(fp, sizeof(fp), ptr, it->string);
		if (!scenario_urn6(it->string) && strcmp(it->string, "central") != 0) {
			problem_field(p, fp, "must be a school's six-digit URN or \"central\"");
			errors++;
			continue;
		}
		if (!cJSON_IsBool(it)) {
			problem_field(p, fp, "must be true (the entity plans its staff by post in this scenario's runs) or "
				      "false (by its budget lines)");
			errors++;
			continue;
		}
		snprintf(s->staff_by_post[s->nstaff_by_post].urn, sizeof(s->staff_by_post[0].urn), "%s", it->string);
		s->staff_by_post[s->nstaff_by_post++].on = cJSON_IsTrue(it);
	}
	if (s->nstaff_by_post > 1)
		qsort(s->staff_by_post, s->nstaff_by_post, sizeof(*s->staff_by_post), sc_flag_cmp);
	return errors;
}

int scenario_staff_by_post_of(const struct scenario *s, const char *urn)
{
	struct scenario_flag key = { 0 };
	const struct scenario_flag *f;

	if (s->nstaff_by_post == 0 || strlen(urn) >= sizeof(key.urn))
		return -1;
	memcpy(key.urn, urn, strlen(urn) + 1);
	f = bsearch(&key, s->staff_by_post, s->nstaff_by_post, sizeof(*s->staff_by_post), sc_flag_cmp);
	return f != NULL ? f->on : -1;
}

enum { SO_MODEL, SO_PLUGINS, SO_STAFF, SO__N };

static const struct jv_field sc_override_fields[SO__N] = {
	[SO_MODEL] = { "finance_model", JV_OBJECT, JV_NULLABLE, 0, 0, NULL, NULL },
	[SO_PLUGINS] = { "plugin_settings", JV_OBJECT, JV_NULLABLE, 0, 0, NULL, NULL },
	[SO_STAFF] = { "staff_by_post", JV_OBJECT, JV_NULLABLE, 0, 0, NULL, NULL },
};

size_t scenario_parse_whatif(const cJSON *overrides, const cJSON *actions, struct scenario *s, struct problem *p)
{
	struct jv_value v[SO__N];
	size_t errors = 0;

	if (overrides != NULL && !cJSON_IsNull(overrides)) {
		errors += jsonv_object(overrides, "/overrides", sc_override_fields, SO__N, v, p);
		if (v[SO_MODEL].present)
			errors += sc_models(v[SO_MODEL].item, s, p);
		if (v[SO_PLUGINS].present)
			errors += sc_plugins(v[SO_PLUGINS].item, s, p);
		if (v[SO_STAFF].present)
			errors += sc_staff_by_post(v[SO_STAFF].item, s, p);
	}
	return errors + scenario_actions_parse(actions, s, p);
}

const char *scenario_model_of(const struct scenario *s, const char *urn)
{
	struct scenario_model key;
	const struct scenario_model *m;

	if (s->nmodels == 0 || strlen(urn) != 6)
		return NULL;
	memcpy(key.urn, urn, 7);
	m = bsearch(&key, s->models, s->nmodels, sizeof(*s->models), sc_model_cmp);
	return m != NULL ? m->model : NULL;
}

const struct scenario_plugin *scenario_plugin_of(const struct scenario *s, const char *name)
{
	for (size_t i = 0; i < s->nplugins; i++)
		if (strcmp(s->plugins[i].name, name) == 0)
			return &s->plugins[i];
	return NULL;
}

/* ---- copy_from ---- */

/* into[key] = a copy of v, replacing have (into's member of that name) or added. 0, or -1: no memory. */
static int sc_put(cJSON *into, const char *key, cJSON *have, const cJSON *v)
{
	cJSON *dup;

	if ((dup = cJSON_Duplicate(v, 1)) == NULL)
		return -1;
	if (have != NULL ? !cJSON_ReplaceItemInObjectCaseSensitive(into, key, dup) : !cJSON_AddItemToObject(into, key, dup)) {
		cJSON_Delete(dup);
		return -1;
	}
	return 0;
}

/* into[k] = from[k] for each k of from (null: removed), a level deeper where both are objects and depth > 1. */
static int sc_merge_keys(cJSON *into, const cJSON *from, int depth)
{
	const cJSON *it;

	cJSON_ArrayForEach(it, from) {
		cJSON *have = cJSON_GetObjectItemCaseSensitive(into, it->string);

		if (cJSON_IsNull(it)) {
			cJSON_DeleteItemFromObjectCaseSensitive(into, it->string);
			continue;
		}
		if (depth > 1 && cJSON_IsObject(it) && cJSON_IsObject(have)) {
			if (sc_merge_keys(have, it, depth - 1) != 0)
				return -1;
			continue;
		}
		if (sc_put(into, it->string, have, it) != 0)
			return -1;
	}
	return 0;
}

/* Body's member given into out's: key by key `depth` levels deep (0: replaced whole). */
static int sc_merge_member(cJSON *out, const cJSON *given, int depth)
{
	cJSON *have = cJSON_GetObjectItemCaseSensitive(out, given->string);

	if (depth > 0 && cJSON_IsObject(given) && cJSON_IsObject(have))
		return sc_merge_keys(have, given, depth);
	return sc_put(out, given->string, have, given);
}

cJSON *scenario_merge(const cJSON *source, const cJSON *body)
{
	static const char *const kept[] = { "description", "base_year", "horizon", "assumptions", "pupils", "places",
					    "overrides", "actions", NULL };
	cJSON *out = cJSON_CreateObject();
	const cJSON *it;

	if (out == NULL)
		return NULL;
	for (const char *const *k = kept; *k != NULL; k++) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(source, *k);
		cJSON *dup;

		if (v == NULL)
			continue;
		if ((dup = cJSON_Duplicate(v, 1)) == NULL || !cJSON_AddItemToObject(out, *k, dup)) {
			cJSON_Delete(dup);
			goto fail;
		}
	}
	cJSON_ArrayForEach(it, body) {
		int rc;

		if (strcmp(it->string, "copy_from") == 0)
			continue;
		if (strcmp(it->string, "assumptions") == 0) {
			/* an assumption replaces the source's; inflation_bp index by index */
			rc = sc_merge_member(out, it, 1);
			if (rc == 0 && cJSON_IsObject(it)) {
				const cJSON *ix = cJSON_GetObjectItemCaseSensitive(it, "inflation_bp");
				const cJSON *sa = cJSON_GetObjectItemCaseSensitive(source, "assumptions");
				const cJSON *six = cJSON_GetObjectItemCaseSensitive(sa, "inflation_bp");
				cJSON *oa = cJSON_GetObjectItemCaseSensitive(out, "assumptions");

				if (cJSON_IsObject(ix) && cJSON_IsObject(six) && cJSON_IsObject(oa)) {
					cJSON *merged = cJSON_Duplicate(six, 1);

					if (merged == NULL || sc_merge_keys(merged, ix, 1) != 0 ||
					    !cJSON_ReplaceItemInObjectCaseSensitive(oa, "inflation_bp", merged)) {
						cJSON_Delete(merged);
						goto fail;
					}
				}
			}
		} else if (strcmp(it->string, "overrides") == 0) {
			/* finance_model school by school, plugin_settings plugin by plugin and key by key */
			cJSON *have = cJSON_GetObjectItemCaseSensitive(out, "overrides");

			if (cJSON_IsObject(it) && cJSON_IsObject(have)) {
				const cJSON *m;

				rc = 0;
				cJSON_ArrayForEach(m, it) {
					if (rc == 0)
						rc = strcmp(m->string, "finance_model") == 0 ||
						     strcmp(m->string, "staff_by_post") == 0 ? sc_merge_member(have, m, 1)
						   : strcmp(m->string, "plugin_settings") == 0 ? sc_merge_member(have, m, 2)
						   : sc_merge_member(have, m, 0);
				}
			} else {
				rc = sc_merge_member(out, it, 0);
			}
		} else {
			rc = sc_merge_member(out, it, 0);
		}
		if (rc != 0)
			goto fail;
	}
	return out;
fail:
	cJSON_Delete(out);
	return NULL;
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

static cJSON *sc_overrides_json(const struct scenario *s)
{
	cJSON *o = cJSON_CreateObject(), *fm = cJSON_CreateObject(), *ps = cJSON_CreateObject(), *sp = NULL;

	if (o == NULL || sc_add(o, "finance_model", fm) != 0) {
		cJSON_Delete(ps);
		goto fail;
	}
	if (sc_add(o, "plugin_settings", ps) != 0)
		goto fail;
	for (size_t i = 0; i < s->nmodels; i++)
		if (cJSON_AddStringToObject(fm, s->models[i].urn, s->models[i].model) == NULL)
			goto fail;
	if (s->nstaff_by_post > 0 && (sp = cJSON_AddObjectToObject(o, "staff_by_post")) == NULL)
		goto fail;
	for (size_t i = 0; i < s->nstaff_by_post; i++)
		if (cJSON_AddBoolToObject(sp, s->staff_by_post[i].urn, s->staff_by_post[i].on) == NULL)
			goto fail;
	for (size_t i = 0; i < s->nplugins; i++) {
		cJSON *set = cJSON_CreateObject();

		if (sc_add(ps, s->plugins[i].name, set) != 0)
			goto fail;
		for (size_t j = 0; j < s->plugins[i].n; j++)
			if (cJSON_AddStringToObject(set, s->plugins[i].items[j].key, s->plugins[i].items[j].value) == NULL)
				goto fail;
	}
	return o;
fail:
	cJSON_Delete(o);
	return NULL;
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
	    cJSON_AddNumberToObject(a, "base_teacher_oncost_unbudgeted_bp", s->base_teacher_oncost_unbudgeted) == NULL ||
	    cJSON_AddNumberToObject(a, "base_support_oncost_unbudgeted_bp", s->base_support_oncost_unbudgeted) == NULL ||
	    (s->nrate_changes > 0 && sc_add(a, "staff_rate_changes", sc_rate_changes_json(s)) != 0) ||
	    sc_add(o, "pupils", sc_schools_json(s->pupils, s->npupils)) != 0 ||
	    sc_add(o, "places", sc_schools_json(s->places, s->nplaces)) != 0 ||
	    sc_add(o, "overrides", sc_overrides_json(s)) != 0 || sc_add(o, "actions", scenario_actions_json(s)) != 0)
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
	a->base_teacher_oncost_unbudgeted_bp = s->base_teacher_oncost_unbudgeted;
	a->base_support_oncost_unbudgeted_bp = s->base_support_oncost_unbudgeted;
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
