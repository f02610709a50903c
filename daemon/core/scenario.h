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

struct scenario {
	int base_year;
	struct scenario_series funding, place_rate, teacher_pay, support_pay, teacher_oncost, support_oncost, retender;
	size_t nindices;
	struct scenario_index indices[FORECAST_MAX_INDICES];
	int32_t base_support_pay, base_teacher_oncost, base_support_oncost;
	size_t npupils, nplaces;
	struct scenario_school *pupils, *places;    /* sorted by URN; owned */
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

/* {"assumptions": {every key, maps sorted by year}, "pupils": {...}, "places": {...}}: the
 * stored form, and what GET returns. NULL: no memory. */
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
