/*
 * run_view.h - what every rendering of a forecast run shares: the run's head,
 * an entity's name, the `lines` query parameter, and the POST's reply from the
 * result in memory. The SQL is in store_forecasts.h.
 */
#ifndef BURSAR_API_RUN_VIEW_H
#define BURSAR_API_RUN_VIEW_H

#include <stdint.h>

#include <cjson/cJSON.h>

#include "forecast.h"
#include "http.h"
#include "store_forecasts.h"

/* The run's head: its own columns (STORE_FORECAST_HEAD_COLS), scenario, run_by,
 * engine_us, entities_requested, plugins (a business manager's: without other
 * schools' settings) and services. NULL with the problem set. */
cJSON *run_view_head(struct req *r, const struct store_forecast_rows *x, struct problem *p);

/* An entity's name in run x ("the trust, consolidated" for the trust). */
const char *run_view_name(const struct store_forecast_rows *x, const char *entity);

/*
 * The saved run's summary as GET /api/v1/forecasts/{id}?lines=false renders it
 * (every entity's and the trust's years, the warnings), built from the result in
 * memory (run_view.c): only the run's own row (its version and
 * timestamps) is read back. NULL with the problem set.
 */
cJSON *run_view_saved(struct req *r, const struct store_forecast_run *run, int64_t run_id,
			     struct problem *p) __attribute__((warn_unused_result));

/* The `lines` query parameter (true/false; dflt when absent) into *lines. 0, or
 * -1 with a field error added (the caller ends validation). */
int run_view_lines_param(struct req *r, int dflt, int *lines, struct problem *p)
	__attribute__((warn_unused_result));

#endif
