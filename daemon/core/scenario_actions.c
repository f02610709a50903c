/* scenario_actions.c - see scenario_actions.h */
#include "scenario_actions.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "jsonv.h"

static const char *sa_entity_check(const char *s)
{
	return scenario_urn6(s) || strcmp(s, "central") == 0 ? NULL : "must be a school's six-digit URN or \"central\"";
}

static const char *sa_code_check(const char *s)
{
	for (; *s != '\0'; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9')))
			return "must be an account code of the chart, like E02";
	return NULL;
}

static const char *sa_scale_check(const char *s)
{
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return "must be a pay scale's name (a-z, 0-9 and _), like teachers_main_inner_london";
	return NULL;
}

static const char *sa_point_check(const char *s)
{
	for (; *s != '\0'; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9')))
			return "must be a point of the scale, like M3, L12, UQ1 or 5";
	return NULL;
}

static const char *const sa_types[] = { "line", "post_end", "post_fte", "post_start", NULL };
static const char *const sa_roles[] = { "teacher", "leadership", "teaching_assistant", "admin", "premises", "catering",
					"other_support", NULL };
static const char *const sa_pensions[] = { "tps", "lgps", "none", NULL };
static const char *const sa_ni[] = { "A", "M", "H", NULL };

/* Members every action has, then each type's own. */
enum { SX_TYPE, SX_ENTITY, SX_FROM, SX_NOTE, SX_X1, SX_X2, SX_X3, SX__N };

#define SX_COMMON \
	[SX_TYPE] = { "type", JV_STRING, JV_REQUIRED, 1, 20, sa_types, NULL }, \
	[SX_ENTITY] = { "entity", JV_STRING, JV_REQUIRED, 1, 7, NULL, sa_entity_check }, \
	[SX_FROM] = { "from", JV_DATE, JV_REQUIRED, 0, 0, NULL, NULL }, \
	[SX_NOTE] = { "note", JV_STRING, JV_REQUIRED | JV_NOT_BLANK, 1, SCENARIO_NOTE_MAX, NULL, NULL }

static const struct jv_field sa_line_fields[SX__N] = {
	SX_COMMON,
	[SX_X1] = { "account_code", JV_STRING, JV_REQUIRED, 1, SCENARIO_CODE_MAX, NULL, sa_code_check },
	[SX_X2] = { "to", JV_DATE, JV_NULLABLE, 0, 0, NULL, NULL },
	[SX_X3] = { "annual_pence", JV_INT, JV_REQUIRED, -SCENARIO_ACTION_PENCE_MAX, SCENARIO_ACTION_PENCE_MAX, NULL,
		    NULL },
};

static const struct jv_field sa_end_fields[SX__N - 2] = {
	SX_COMMON,
	[SX_X1] = { "post", JV_STRING, JV_REQUIRED | JV_NOT_BLANK, 1, SCENARIO_REF_MAX, NULL, NULL },
};

static const struct jv_field sa_fte_fields[SX__N - 1] = {
	SX_COMMON,
	[SX_X1] = { "post", JV_STRING, JV_REQUIRED | JV_NOT_BLANK, 1, SCENARIO_REF_MAX, NULL, NULL },
	[SX_X2] = { "fte_h", JV_INT, JV_REQUIRED, 1, 100, NULL, NULL },
};

static const struct jv_field sa_start_fields[SX__N - 2] = {
	SX_COMMON,
	[SX_X1] = { "post", JV_OBJECT, JV_REQUIRED, 0, 0, NULL, NULL },
};

/* post_start's post: the fields of POST /schools/{urn}/posts but id, version, holder_name. */
enum { SP_REF, SP_TITLE, SP_ROLE, SP_CODE, SP_SCALE, SP_POINT, SP_TOP, SP_YEAR, SP_FTE, SP_WEEKS, SP_TLR, SP_SEN,
       SP_FRINGE, SP_OTHER, SP_PENSION, SP_NI, SP_STARTS, SP_ENDS, SP_VACANT, SP_PERIODS, SP__N };

static const struct jv_field sa_post_fields[SP__N] = {
	[SP_REF] = { "reference", JV_STRING, JV_REQUIRED | JV_NOT_BLANK, 1, SCENARIO_REF_MAX, NULL, NULL },
	[SP_TITLE] = { "title", JV_STRING, JV_REQUIRED | JV_NOT_BLANK, 1, SCENARIO_TITLE_MAX, NULL, NULL },
	[SP_ROLE] = { "role", JV_STRING, JV_REQUIRED, 1, 24, sa_roles, NULL },
	[SP_CODE] = { "account_code", JV_STRING, JV_REQUIRED, 1, SCENARIO_CODE_MAX, NULL, sa_code_check },
	[SP_SCALE] = { "scale", JV_STRING, JV_REQUIRED, 1, 40, NULL, sa_scale_check },
	[SP_POINT] = { "point", JV_STRING, JV_REQUIRED, 1, SCENARIO_POINT_MAX, NULL, sa_point_check },
	[SP_TOP] = { "top_point", JV_STRING, JV_NULLABLE, 1, SCENARIO_POINT_MAX, NULL, sa_point_check },
	[SP_YEAR] = { "point_year", JV_ACYEAR, JV_REQUIRED, 0, 0, NULL, NULL },
	[SP_FTE] = { "fte_h", JV_INT, JV_REQUIRED, 1, 100, NULL, NULL },
	[SP_WEEKS] = { "paid_weeks_h", JV_INT, JV_NULLABLE, 1, 5214, NULL, NULL },
	[SP_TLR] = { "tlr_pence", JV_INT, 0, 0, SCENARIO_ALLOWANCE_MAX, NULL, NULL },
	[SP_SEN] = { "sen_pence", JV_INT, 0, 0, SCENARIO_ALLOWANCE_MAX, NULL, NULL },
	[SP_FRINGE] = { "fringe_pence", JV_INT, 0, 0, SCENARIO_ALLOWANCE_MAX, NULL, NULL },
	[SP_OTHER] = { "other_allowance_pence", JV_INT, 0, 0, SCENARIO_ALLOWANCE_MAX, NULL, NULL },
	[SP_PENSION] = { "pension", JV_STRING, JV_REQUIRED, 1, 4, sa_pensions, NULL },
	[SP_NI] = { "ni_category", JV_STRING, 0, 1, 1, sa_ni, NULL },
	[SP_STARTS] = { "starts_on", JV_DATE, JV_NULLABLE, 0, 0, NULL, NULL },
	[SP_ENDS] = { "ends_on", JV_DATE, JV_NULLABLE, 0, 0, NULL, NULL },
	[SP_VACANT] = { "vacant", JV_BOOL, 0, 0, 0, NULL, NULL },
	[SP_PERIODS] = { "periods_taught", JV_INT, JV_NULLABLE, 0, 1000, NULL, NULL },
};

static int sa_given(const struct jv_value *v)
{
	return v->present && !v->is_null;
}

/* Teachers and leaders on E01 or E02; support roles on E03-E07 or E31 (as the posts API). */
static int sa_role_code_ok(const char *role, const char *code)
{
	int teaches = strcmp(role, "teacher") == 0 || strcmp(role, "leadership") == 0;

	if (teaches)
		return strcmp(code, "E01") == 0 || strcmp(code, "E02") == 0;
	return (strncmp(code, "E0", 2) == 0 && code[2] >= '3' && code[2] <= '7' && code[3] == '\0') ||
	       strcmp(code, "E31") == 0;
}

/* post_start's post at ptr into *out (allocated). The number of errors. */
static size_t sa_post(const cJSON *obj, const char *ptr, struct scenario_post **out, struct problem *p)
{
	struct jv_value v[SP__N];
	struct scenario_post *o;
	char fp[64];
	size_t e = jsonv_object(obj, ptr, sa_post_fields, SP__N, v, p);

	if (e == 0 && !sa_role_code_ok(v[SP_ROLE].s, v[SP_CODE].s)) {
		snprintf(fp, sizeof(fp), "%s/account_code", ptr);
		problem_field(p, fp, "a %s post is on %s", v[SP_ROLE].s,
			      strcmp(v[SP_ROLE].s, "teacher") == 0 || strcmp(v[SP_ROLE].s, "leadership") == 0
				      ? "E01 or E02" : "one of E03 to E07 or E31");
		e++;
	}
	if (e == 0 && sa_given(&v[SP_STARTS]) && sa_given(&v[SP_ENDS]) && v[SP_ENDS].i < v[SP_STARTS].i) {
		snprintf(fp, sizeof(fp), "%s/ends_on", ptr);
		problem_field(p, fp, "must not be before starts_on (%s)", v[SP_STARTS].s);
		e++;
	}
	if (e != 0)
		return e;
	if ((o = calloc(1, sizeof(*o))) == NULL)
		return problem_field(p, ptr, "is too large"), 1;
	snprintf(o->reference, sizeof(o->reference), "%s", v[SP_REF].s);
	snprintf(o->title, sizeof(o->title), "%s", v[SP_TITLE].s);
	snprintf(o->role, sizeof(o->role), "%s", v[SP_ROLE].s);
	snprintf(o->code, sizeof(o->code), "%s", v[SP_CODE].s);
	snprintf(o->scale, sizeof(o->scale), "%s", v[SP_SCALE].s);
	snprintf(o->point, sizeof(o->point), "%s", v[SP_POINT].s);
	if (sa_given(&v[SP_TOP]))
		snprintf(o->top_point, sizeof(o->top_point), "%s", v[SP_TOP].s);
	o->point_year = (int)v[SP_YEAR].i;
	o->fte_h = (int32_t)v[SP_FTE].i;
	o->paid_weeks_h = sa_given(&v[SP_WEEKS]) ? (int32_t)v[SP_WEEKS].i : 0;
	o->tlr_pence = v[SP_TLR].present ? v[SP_TLR].i : 0;
	o->sen_pence = v[SP_SEN].present ? v[SP_SEN].i : 0;
	o->fringe_pence = v[SP_FRINGE].present ? v[SP_FRINGE].i : 0;
	o->other_allowance_pence = v[SP_OTHER].present ? v[SP_OTHER].i : 0;
	snprintf(o->pension, sizeof(o->pension), "%s", v[SP_PENSION].s);
	o->ni_category = v[SP_NI].present ? v[SP_NI].s[0] : 'A';
	o->starts_on = sa_given(&v[SP_STARTS]) ? (int32_t)v[SP_STARTS].i : FORECAST_NO_DATE;
	o->ends_on = sa_given(&v[SP_ENDS]) ? (int32_t)v[SP_ENDS].i : FORECAST_NO_DATE;
	o->vacant = v[SP_VACANT].present ? (int)v[SP_VACANT].i : 0;
	o->periods_taught = sa_given(&v[SP_PERIODS]) ? (int32_t)v[SP_PERIODS].i : -1;
	*out = o;
	return 0;
}

/* The type named by the action's "type" (line when it is missing or not one: its
 * table then reports why). */
static enum scenario_action_type sa_type(const cJSON *it)
{
	const char *t = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(it, "type"));

	if (t == NULL)
		return SCENARIO_ACTION_LINE;
	return strcmp(t, "post_end") == 0     ? SCENARIO_ACTION_POST_END
	       : strcmp(t, "post_fte") == 0   ? SCENARIO_ACTION_POST_FTE
	       : strcmp(t, "post_start") == 0 ? SCENARIO_ACTION_POST_START
					      : SCENARIO_ACTION_LINE;
}

size_t scenario_actions_parse(const cJSON *arr, struct scenario *s, struct problem *p)
{
	const cJSON *it;
	size_t errors = 0, idx = 0;
	void *room;

	if (arr == NULL || cJSON_IsNull(arr))
		return 0;
	if (!cJSON_IsArray(arr))
		return problem_field(p, "/actions", "must be an array of management actions"), 1;
	if (scenario_room(arr, "/actions", SCENARIO_MAX_ACTIONS, "at most", "actions", sizeof(*s->actions), &room, p) != 0)
		return 1;
	s->actions = room;
	cJSON_ArrayForEach(it, arr) {
		static const struct {
			const struct jv_field *f;
			size_t n;
		} tables[] = {
			[SCENARIO_ACTION_LINE] = { sa_line_fields, SX__N },
			[SCENARIO_ACTION_POST_END] = { sa_end_fields, SX__N - 2 },
			[SCENARIO_ACTION_POST_FTE] = { sa_fte_fields, SX__N - 1 },
			[SCENARIO_ACTION_POST_START] = { sa_start_fields, SX__N - 2 },
		};
		struct jv_value v[SX__N];
		struct scenario_action *a = &s->actions[s->nactions];
		enum scenario_action_type type = cJSON_IsObject(it) ? sa_type(it) : SCENARIO_ACTION_LINE;
		char ptr[32], fp[48];
		size_t e;

		snprintf(ptr, sizeof(ptr), "/actions/%zu", idx++);
		e = jsonv_object(it, ptr, tables[type].f, tables[type].n, v, p);
		if (e == 0 && type == SCENARIO_ACTION_LINE && sa_given(&v[SX_X2]) && v[SX_X2].i < v[SX_FROM].i) {
			snprintf(fp, sizeof(fp), "%s/to", ptr);
			problem_field(p, fp, "must not be before from (%s)", v[SX_FROM].s);
			e++;
		}
		if (e == 0 && type == SCENARIO_ACTION_POST_START) {
			snprintf(fp, sizeof(fp), "%s/post", ptr);
			e += sa_post(v[SX_X1].item, fp, &a->post, p);
		}
		errors += e;
		if (e != 0)
			continue;
		a->type = type;
		a->to = FORECAST_NO_DATE;
		snprintf(a->urn, sizeof(a->urn), "%s", v[SX_ENTITY].s);
		a->from = (int32_t)v[SX_FROM].i;
		memcpy(a->note, v[SX_NOTE].s, strlen(v[SX_NOTE].s) + 1);
		switch (type) {
		case SCENARIO_ACTION_LINE:
			snprintf(a->code, sizeof(a->code), "%s", v[SX_X1].s);
			if (sa_given(&v[SX_X2]))
				a->to = (int32_t)v[SX_X2].i;
			a->annual_pence = v[SX_X3].i;
			break;
		case SCENARIO_ACTION_POST_FTE:
			a->fte_h = (int32_t)v[SX_X2].i;
			/* fall through */
		case SCENARIO_ACTION_POST_END:
			snprintf(a->post_ref, sizeof(a->post_ref), "%s", v[SX_X1].s);
			break;
		case SCENARIO_ACTION_POST_START:
			break;
		}
		s->nactions++;
	}
	return errors;
}

void scenario_actions_free(struct scenario *s)
{
	for (size_t i = 0; s->actions != NULL && i < s->nactions; i++)
		free(s->actions[i].post);
	free(s->actions);
	s->actions = NULL;
	s->nactions = 0;
}

/* ---- the stored form ---- */

static int sa_date(cJSON *o, const char *k, int32_t d)
{
	char buf[16];

	if (d == FORECAST_NO_DATE)
		return cJSON_AddNullToObject(o, k) != NULL;
	date_format(d, buf, sizeof(buf));
	return cJSON_AddStringToObject(o, k, buf) != NULL;
}

static cJSON *sa_post_json(const struct scenario_post *q)
{
	cJSON *o = cJSON_CreateObject();
	char y[8], ni[2] = { q->ni_category, '\0' };
	int ok;

	acyear_format(q->point_year, y, sizeof(y));
	ok = o != NULL && cJSON_AddStringToObject(o, "reference", q->reference) &&
	     cJSON_AddStringToObject(o, "title", q->title) && cJSON_AddStringToObject(o, "role", q->role) &&
	     cJSON_AddStringToObject(o, "account_code", q->code) && cJSON_AddStringToObject(o, "scale", q->scale) &&
	     cJSON_AddStringToObject(o, "point", q->point) &&
	     (q->top_point[0] ? cJSON_AddStringToObject(o, "top_point", q->top_point)
			      : cJSON_AddNullToObject(o, "top_point")) &&
	     cJSON_AddStringToObject(o, "point_year", y) && cJSON_AddNumberToObject(o, "fte_h", q->fte_h) &&
	     (q->paid_weeks_h > 0 ? cJSON_AddNumberToObject(o, "paid_weeks_h", q->paid_weeks_h)
				  : cJSON_AddNullToObject(o, "paid_weeks_h")) &&
	     cJSON_AddNumberToObject(o, "tlr_pence", (double)q->tlr_pence) &&
	     cJSON_AddNumberToObject(o, "sen_pence", (double)q->sen_pence) &&
	     cJSON_AddNumberToObject(o, "fringe_pence", (double)q->fringe_pence) &&
	     cJSON_AddNumberToObject(o, "other_allowance_pence", (double)q->other_allowance_pence) &&
	     cJSON_AddStringToObject(o, "pension", q->pension) && cJSON_AddStringToObject(o, "ni_category", ni) &&
	     sa_date(o, "starts_on", q->starts_on) && sa_date(o, "ends_on", q->ends_on) &&
	     cJSON_AddBoolToObject(o, "vacant", q->vacant) &&
	     (q->periods_taught >= 0 ? cJSON_AddNumberToObject(o, "periods_taught", q->periods_taught)
				     : cJSON_AddNullToObject(o, "periods_taught"));
	if (!ok) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

/* One action's members, in the order its type's table has them. 1, or 0: no memory. */
static int sa_action_json(cJSON *o, const struct scenario_action *a)
{
	cJSON *post;

	if (!cJSON_AddStringToObject(o, "type", sa_types[a->type]) || !cJSON_AddStringToObject(o, "entity", a->urn))
		return 0;
	switch (a->type) {
	case SCENARIO_ACTION_LINE:
		if (!cJSON_AddStringToObject(o, "account_code", a->code) || !sa_date(o, "from", a->from) ||
		    !sa_date(o, "to", a->to) || !cJSON_AddNumberToObject(o, "annual_pence", (double)a->annual_pence))
			return 0;
		break;
	case SCENARIO_ACTION_POST_END:
	case SCENARIO_ACTION_POST_FTE:
		if (!cJSON_AddStringToObject(o, "post", a->post_ref) || !sa_date(o, "from", a->from) ||
		    (a->type == SCENARIO_ACTION_POST_FTE && !cJSON_AddNumberToObject(o, "fte_h", a->fte_h)))
			return 0;
		break;
	case SCENARIO_ACTION_POST_START:
		if (!sa_date(o, "from", a->from) || (post = sa_post_json(a->post)) == NULL)
			return 0;
		if (!cJSON_AddItemToObject(o, "post", post)) {
			cJSON_Delete(post);
			return 0;
		}
		break;
	}
	return cJSON_AddStringToObject(o, "note", a->note) != NULL;
}

cJSON *scenario_actions_json(const struct scenario *s)
{
	cJSON *arr = cJSON_CreateArray();

	for (size_t i = 0; arr != NULL && i < s->nactions; i++) {
		cJSON *o = cJSON_CreateObject();

		if (o == NULL || !cJSON_AddItemToArray(arr, o)) {
			cJSON_Delete(o);
			cJSON_Delete(arr);
			return NULL;
		}
		if (!sa_action_json(o, &s->actions[i])) {
			cJSON_Delete(arr);
			return NULL;
		}
	}
	return arr;
}
