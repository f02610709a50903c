/*
 * api_scenarios.h - what the forecast handlers need from the scenarios
 * (api_scenarios.c): a stored scenario loaded and parsed. The handlers
 * themselves are declared in api.h.
 */
#ifndef BURSAR_API_SCENARIOS_H
#define BURSAR_API_SCENARIOS_H

#include <stdint.h>

#include <cjson/cJSON.h>

#include "db.h"
#include "scenario.h"

/* A live scenario as stored. */
struct api_scenario {
	int64_t id, version;
	char name[101];
	int base_year, horizon;
	struct scenario s;                       /* scenario_free */
	cJSON *json;                             /* its representation (caller frees) */
};

/*
 * Load live scenario id: 0 with *out filled; 1 when there is none (or it was
 * deleted); -1 with the problem set (the database, or a stored spec that no
 * longer parses: 500, logged).
 */
int api_scenarios_load(struct db *db, int64_t id, struct api_scenario *out, struct problem *p)
	__attribute__((warn_unused_result));
void api_scenarios_free(struct api_scenario *sc);   /* NULL ok */

#endif
