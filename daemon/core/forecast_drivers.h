/*
 * forecast_drivers.h - one line's amount in each forecast year by its driver
 * (DESIGN.md "Forecasting"): fixed, funding, pupils, pupils_current, places,
 * inflation, teacher_pay and support_pay (the part-year staff model),
 * services (the rest of the line indexed by CPI plus a share of the entity's
 * services cost on the code, or CPI without one) and management actions.
 * forecast_setup.c sets the lines up; forecast.c projects each line over every
 * year at once (no line depends on the finance rules' postings).
 *
 * Pure: no I/O, no allocation; thread-safe.
 */
#ifndef BURSAR_FORECAST_DRIVERS_H
#define BURSAR_FORECAST_DRIVERS_H

#include "forecast.h"

/*
 * A teacher_pay or support_pay line's base: E[Y0] = round(12 x a[Y0] x g x u /
 * (7 + 5 x g)) with the base year's April factor g (part-paid in the budget) and
 * u the April change the budget does not include (1 + base_*_oncost_unbudgeted).
 * l->e has room for [0..H]. *unbudgeted: what that change costs from April to
 * August of the base year, round(5 x (E[Y0] - E[Y0] without u) / 12), 0 when u
 * is 1. 0, or -1 when out of range.
 */
int forecast_drivers_staff_base(const struct forecast_assumptions *a, struct forecast_line *l, int64_t *unbudgeted)
	__attribute__((warn_unused_result));

/*
 * A services line with a cost (l->service; l->m and l->e have room for [0..H]):
 * its part of the base year's cost e[0] (as in every year: num/den of it, or the
 * cost less the lines before it in e on the same service, which must be done
 * already) and the rest of the line m[0] = a[0] - e[0]; when that is below zero
 * and the line carries part of the cost, m[0] = 0 and l->short_pence says by how
 * much a[0] is short. 0, or -1 when out of range.
 */
int forecast_drivers_services_base(const struct forecast_entity *e, struct forecast_line *l)
	__attribute__((warn_unused_result));

/* How many months of year k (Y0+k, September to August) action x is active on
 * the first day of: 0..12. */
int forecast_drivers_action_months(const struct forecast_assumptions *a, const struct forecast_action *x, int k);

/*
 * Line l of entity e in every year 1..H (not postings): l->a[k] (and, for staff
 * lines, l->m[k] and l->e[k]) from year k-1 by l->driver, year by year; cpi is
 * the slot of "cpi" (forecast_index_slot), or -1. A services line with a cost
 * has R[k] = round(R[k-1] x (1 + cpi[k])) in m, its part of the cost in e and
 * a = m + e; one that takes what is left of the cost reads the lines before it
 * in e, which must be projected already (forecast.c projects an entity's lines in order). 0, or the first year
 * k whose amount is out of range (the line's figures from k on are not set).
 */
int forecast_drivers_project(const struct forecast_assumptions *a, int cpi, const struct forecast_entity *e,
			     struct forecast_line *l) __attribute__((warn_unused_result));

#endif
