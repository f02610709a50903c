/*
 * scenario.h - a forecast scenario's assumptions (DESIGN.md "Forecasting",
 * "Scenario assumptions"): each a value per forecast year keyed by academic year
 * ({"2027-28": 300}), inflation per index, the base year's own April changes,
 * and pupil and place projections per school and year. Parsing and validation
 * (every problem with its JSON Pointer), the stored (normalised) form, and the
 * values resolved per year for a run.
 *
 * A missing year repeats the last one given before it; with none before it the
 * value is 0, except place_rate_pence, which defaults to 1,000,000 (£10,000).
 * Pupils and places with no projection are the last census carried forward
 * (forecast.c does that, with the census).
 *
 * A scenario also carries what-ifs for its runs only (DESIGN.md "What-ifs never
 * touch live data"): overrides of schools' finance models and of plugin
 * settings, and management actions (dated line changes). They are parsed and
 * stored here; whether a URN is a school, a model is loaded, a setting is one
 * the plugin takes or an account code is in the chart is the caller's check
 * (api_scenarios.c), and applying them to a run's inputs is scenario_apply.c's.
 *
 * Pure: no I/O; thread-safe.
 */
#ifndef BURSAR_SCENARIO_H
#define BURSAR_SCENARIO_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "forecast.h"
#include "problem.h"

#define SCENARIO_MAX_POINTS FORECAST_MAX_HORIZON    /* years base+1 .. base+10 */
#define SCENARIO_MAX_SCHOOLS 2000
#define SCENARIO_BP_MAX 100000                      /* +1000% */
#define SCENARIO_RATE_MAX INT64_C(100000000)        /* £1m a place */
#define SCENARIO_PUPILS_MAX 100000
#define SCENARIO_PLACES_MAX 10000
#define SCENARIO_MAX_PLUGINS 16                     /* plugins with setting overrides */
#define SCENARIO_MAX_SETTINGS 64                    /* settings overridden per plugin */
#define SCENARIO_NAME_MAX 64                        /* a plugin's name, a setting's key */
#define SCENARIO_VALUE_MAX 200                      /* a setting's value, characters */
#define SCENARIO_MAX_ACTIONS 200
#define SCENARIO_ACTION_PENCE_MAX INT64_C(100000000000)   /* ±£1bn a year */
#define SCENARIO_NOTE_MAX 200                       /* characters */
#define SCENARIO_CODE_MAX 8                         /* an account code */

struct scenario_series {
	size_t n;
	int year[SCENARIO_MAX_POINTS];           /* ascending */
	int64_t v[SCENARIO_MAX_POINTS];
};

struct scenario_index {
	char name[FORECAST_INDEX_MAX + 1];
	struct scenario_series s;
};

struct scenario_school {
	char urn[7];
	struct scenario_series s;
};

/* overrides.finance_model: a school's finance model for the scenario's runs. */
struct scenario_model {
	char urn[7];
	char model[SCENARIO_NAME_MAX + 1];
};

struct scenario_setting {
	char key[SCENARIO_NAME_MAX + 1];
	char value[SCENARIO_VALUE_MAX * 4 + 1];      /* UTF-8 */
};

/* overrides.plugin_settings: one plugin's settings, merged over its configured ones. */
struct scenario_plugin {
	char name[SCENARIO_NAME_MAX + 1];
	size_t n;
	struct scenario_setting *items;          /* sorted by key; owned */
};

enum scenario_action_type {
	SCENARIO_ACTION_LINE,                    /* a dated change of a line */
	SCENARIO_ACTION_POST_END,                /* a post ends the day before from */
	SCENARIO_ACTION_POST_FTE,                /* a post's FTE from a date */
	SCENARIO_ACTION_POST_START,              /* a new post from a date */
};

#define SCENARIO_REF_MAX 40                  /* a post's reference, characters */
#define SCENARIO_TITLE_MAX 120
#define SCENARIO_POINT_MAX 8
#define SCENARIO_ALLOWANCE_MAX INT64_C(100000000)   /* £1m a year */
#define SCENARIO_MAX_RATE_CHANGES 100

/* post_start's post: the fields POST /schools/{urn}/posts takes (not id,
 * version or holder_name). Strings as given; whether the scale has the point is
 * the run's check (scenario_apply.c). */
struct scenario_post {
	char reference[SCENARIO_REF_MAX * 4 + 1];
	char title[SCENARIO_TITLE_MAX * 4 + 1];
	char role[24];                           /* staff_role names: teacher .. other_support */
	char code[SCENARIO_CODE_MAX + 1];        /* account_code */
	char scale[SCENARIO_NAME_MAX + 1];
	char point[SCENARIO_POINT_MAX + 1];
	char top_point[SCENARIO_POINT_MAX + 1];  /* "": the scale's top */
	int point_year;                          /* academic year */
	int32_t fte_h;                           /* 1..100 */
	int32_t paid_weeks_h;                    /* 0: all year; else 1..5214 */
	int64_t tlr_pence, sen_pence, fringe_pence, other_allowance_pence;
	char pension[5];                         /* tps, lgps, none */
	char ni_category;                        /* 'A', 'M', 'H' */
	int32_t starts_on, ends_on;              /* FORECAST_NO_DATE: none */
	int vacant;
	int32_t periods_taught;                  /* -1: not given */
};

/* A management action (scenario_actions.c): "line", a dated change of
 * annual_pence a year on an entity's account code; "post_end", "post_fte" and
 * "post_start", a change to the entity's posts from a date (applied to a copy
 * of the posts for the run: scenario_apply.c). */
struct scenario_action {
	enum scenario_action_type type;
	char urn[8];                             /* six digits or "central" */
	char code[SCENARIO_CODE_MAX + 1];        /* line */
	int32_t from, to;                        /* days; to FORECAST_NO_DATE: open-ended (line) */
	int64_t annual_pence;                    /* line */
	char post_ref[SCENARIO_REF_MAX * 4 + 1]; /* post_end, post_fte: the post's reference */
	int32_t fte_h;                           /* post_fte: 1..100 */
	struct scenario_post *post;              /* post_start; owned */
	char note[SCENARIO_NOTE_MAX * 4 + 1];
};

/* assumptions.staff_rate_changes: an employer pension rate from the first day of
 * a month (core/staffing.h's struct staff_rate_change, as the scenario gives it). */
struct scenario_rate_change {
	int lgps;                                /* 0: tps, 1: lgps */
	char urn[8];                             /* lgps: the entity, "" every entity; tps: "" */
	int32_t from;                            /* days: the 1st of the month */
	int32_t rate_bp;                         /* 0..10000 */
};

/* overrides.staff_by_post: whether an entity plans its staff by post in the scenario's runs. */
struct scenario_flag {
	char urn[8];                             /* six digits or "central" */
	int on;
};

struct scenario {
	int base_year;
	struct scenario_series funding, place_rate, teacher_pay, support_pay, teacher_oncost, support_oncost, retender;
	size_t nindices;
	struct scenario_index indices[FORECAST_MAX_INDICES];
	int32_t base_support_pay, base_teacher_oncost, base_support_oncost;
	int32_t base_teacher_oncost_unbudgeted, base_support_oncost_unbudgeted;   /* not in the base budgets */
	size_t npupils, nplaces;
	struct scenario_school *pupils, *places;    /* sorted by URN; owned */
	size_t nmodels, nplugins, nactions;
	struct scenario_model *models;           /* sorted by URN; owned */
	struct scenario_plugin *plugins;         /* sorted by name; owned */
	struct scenario_action *actions;         /* in the order given; owned */
	size_t nrate_changes, nstaff_by_post;
	struct scenario_rate_change *rate_changes;   /* in the order given (later wins); owned */
	struct scenario_flag *staff_by_post;     /* sorted by URN; owned */
};

/*
 * Parse the body's "assumptions", "pupils" and "places" (each may be NULL:
 * none given) for a scenario whose base year is base_year: year keys are
 * forecast years base_year+1 .. base_year+10; rates are bp of at least -10000
 * (-100%); counts are not negative; URNs are six digits (the central team has
 * no pupils). Adds field errors to p ("/assumptions/teacher_pay_bp/2027-28")
 * and returns their number; s is usable only when 0 (free it either way).
 * Does not check that the schools exist (the caller's).
 */
size_t scenario_parse(const cJSON *assumptions, const cJSON *pupils, const cJSON *places, int base_year,
		      struct scenario *s, struct problem *p);
void scenario_free(struct scenario *s);      /* NULL ok; leaves it empty */

/*
 * Parse the body's "overrides" and "actions" (each may be NULL: none) into s,
 * after scenario_parse. overrides: {"finance_model": {"<URN>": "<plugin>"},
 * "plugin_settings": {"<plugin>": {"<key>": "<value>" | integer}},
 * "staff_by_post": {"<URN>" or "central": true | false}} (an integer setting is
 * kept as its decimal text); actions: [{"type": "line", "entity": URN or
 * "central", "account_code", "from": date, "to": date or null (open-ended; not
 * before from), "annual_pence": within ±£1bn, "note": 1..200 characters},
 * {"type": "post_end", "entity", "post": reference, "from", "note"},
 * {"type": "post_fte", "entity", "post", "from", "fte_h": 1..100, "note"},
 * {"type": "post_start", "entity", "from", "note", "post": {a post's fields}}]
 * (scenario_actions.c). Unknown members are errors. Adds field errors to p
 * ("/overrides/finance_model/159907", "/actions/0/to") and returns their number.
 */
size_t scenario_parse_whatif(const cJSON *overrides, const cJSON *actions, struct scenario *s, struct problem *p);

/* The override of urn's finance model, or NULL. */
const char *scenario_model_of(const struct scenario *s, const char *urn);
/* The staff_by_post override of urn: 1 or 0, or -1 when the scenario has none. */
int scenario_staff_by_post_of(const struct scenario *s, const char *urn);
/* The setting overrides of plugin name, or NULL. */
const struct scenario_plugin *scenario_plugin_of(const struct scenario *s, const char *name);

/*
 * What POST /api/v1/scenarios makes of {"copy_from": id, ...}: a new body with
 * source's members (its representation: description, base_year, horizon,
 * assumptions, pupils, places, overrides, actions; not its name, id, version or
 * timestamps) and each member of body but copy_from over them. A member given
 * replaces the source's, except "assumptions" (merged assumption by assumption,
 * and inflation_bp index by index; staff_rate_changes is one assumption, replaced
 * whole), "overrides.finance_model" and "overrides.staff_by_post" (school by
 * school) and "overrides.plugin_settings" (plugin by plugin, then setting by
 * setting); "actions" is replaced whole: a
 * key given replaces the source's, a key given as null removes it. Anything that
 * is not an object where an object is merged replaces (and is refused later by
 * the parse). NULL: no memory.
 */
cJSON *scenario_merge(const cJSON *source, const cJSON *body);

/* {"assumptions": {every key, maps sorted by year, "staff_rate_changes": [...] when
 * there are any}, "pupils": {...}, "places": {...}, "overrides": {"finance_model":
 * {by URN}, "plugin_settings": {by plugin, by key}, "staff_by_post": {by URN} when
 * there are any},
 * "actions": [...every member]}: the stored form, and what GET returns. NULL: no memory. */
cJSON *scenario_spec_json(const struct scenario *s);

/* The values for a run from base_year over horizon years ([0] is base_year itself). */
void scenario_resolve(const struct scenario *s, int base_year, int horizon, struct forecast_assumptions *a);

/* The projection given for a school and year exactly, or FORECAST_NO_DATA. */
int32_t scenario_projection(const struct scenario_school *list, size_t n, const char *urn, int year);

/* The projections of s over the n entities' census for a run from base_year:
 * pupils[k] and places[k] (year base_year - 2 + k) become the projection given
 * for that school and year, where there is one; the rest is left as it is. */
void scenario_project(const struct scenario *s, int base_year, struct forecast_entity_in *e, size_t n);

#endif
