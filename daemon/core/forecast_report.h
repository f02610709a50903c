/*
 * forecast_report.h - a forecast's figures once its lines are projected
 * (forecast.c calls it): each entity's totals per year (the base year from its
 * budget as budgeted), read as budget.c reads a budget (the pass-through GAG
 * netted: budget_net_pass_through), reserves rolled forward (closing = opening +
 * income - expenditure), the KPIs, the consolidated trust (internal codes
 * dropped), and the warnings, every year from the base year on (in-year
 * deficits; for the schools and the trust negative reserves, else reserves
 * outside 5-20% of income; pupils falling more than 5% a year, contracts ending
 * inside the horizon).
 *
 * Pure: no I/O; thread-safe.
 */
#ifndef BURSAR_FORECAST_REPORT_H
#define BURSAR_FORECAST_REPORT_H

#include <stddef.h>

#include "forecast.h"

/*
 * In steps, so forecast.c can add an entity's lines while they are still in the
 * cache, right after projecting them: forecast_report_new, then
 * forecast_report_lines for every selected entity (its lines projected, no
 * postings yet), then, once the postings are booked (after each entity's own
 * lines), forecast_report_finish: the postings, totals, reserves, KPIs, the
 * trust and the warnings, with sums out of range reported as adding every line
 * of every entity in order would report them.
 */
struct forecast_report;                      /* defined in forecast_report.c */

/* NULL: no memory. */
struct forecast_report *forecast_report_new(const struct forecast_input *in, struct forecast_result *r);
void forecast_report_lines(struct forecast_report *rep, size_t i);
/* Fill r's totals, trust and warnings. 0, or -1 with *kind and a message in err. */
int forecast_report_finish(struct forecast_report *rep, enum forecast_error *kind, char *err, size_t errlen)
	__attribute__((warn_unused_result));
void forecast_report_free(struct forecast_report *rep);      /* NULL ok */

/* Append a warning to r. 0, or -1 when out of memory. */
int forecast_warn(struct forecast_result *r, const char *urn, int year, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 5, 6), warn_unused_result));

#endif
