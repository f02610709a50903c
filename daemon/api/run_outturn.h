/*
 * run_outturn.h - a forecast run from the monitoring's outturn (ISSUE17_CONTRACT section 3, last
 * bullet; README "Forecasts: from the outturn"): POST /api/v1/forecasts with
 * "base_from": {"outturn_month": "2026-11"} takes each entity's base-year lines per code to its
 * monitoring outturn at that month (monitor_view.h) before the run. Not a handler.
 *
 * For each entity and each code of its base lines (internal codes left to the finance rules):
 * the code's lines take the monitoring's full-year variance (outturn - budget), their total
 * becoming lines' total + variance (the outturn itself when the lines are the budget's, as they
 * are but for a computed line's code), split over them in proportion to their amounts exactly
 * (monitoring_split). A code of the monitoring without base lines has nothing to scale and is
 * left out. The lines are changed in place (in the store's array), so the run's digest covers
 * them.
 */
#ifndef BURSAR_RUN_OUTTURN_H
#define BURSAR_RUN_OUTTURN_H

#include <stddef.h>

#include "db.h"
#include "forecast.h"
#include "plugin.h"
#include "problem.h"

/* e[0..ne)'s lines (pointing into li[0..nli)) to year's outturn at month to (1..12). 0, or -1
 * with the problem set. */
int run_outturn_apply(struct db *db, const struct plugins *ps, int year, int to, struct forecast_entity_in *e,
		      size_t ne, struct forecast_line_in *li, size_t nli, struct problem *p)
	__attribute__((warn_unused_result));

#endif
