/*
 * forecast_rules.h - the finance-rules stage of a forecast run (forecast.c
 * drives it): what each finance model's plugin sees of a year (struct
 * bursar_year: the selected schools under the model, their income by stream,
 * external expenditure and the lines excluded from central charges), the sink
 * its postings and warnings come back through (forecast_sink_post and
 * forecast_sink_warn, declared in forecast.h), and the postings booked as lines
 * of the payer and the payee once every year has run.
 *
 * No projected line depends on a posting, so forecast.c projects every line over
 * every year first; forecast_rules_entity then sums an entity's streams for all
 * the years in one pass over its lines, and each year's view is built from
 * those sums (not from the lines). The postings are kept until
 * forecast_rules_book, so no entity's lines move while the rules run; booked,
 * an entity's posting lines follow its other lines in the order posted (year by
 * year, model by model), as forecast.h describes.
 *
 * Pure: no I/O; thread-safe (no shared state).
 */
#ifndef BURSAR_FORECAST_RULES_H
#define BURSAR_FORECAST_RULES_H

#include <stddef.h>

#include "forecast.h"

struct forecast_rules_stage;                 /* defined in forecast_rules.c */

/*
 * A stage for r (its selected entities set up, no postings yet): models are the
 * finance models of the selected schools, emodel[i] selected entity i's model
 * (an index into models) or -1; both are copied. Errors go to err (errlen
 * bytes). NULL: no memory.
 */
struct forecast_rules_stage *forecast_rules_new(const struct forecast_input *in, struct forecast_result *r,
						const char *const *models, size_t nmodels, const int *emodel, char *err,
						size_t errlen);
void forecast_rules_free(struct forecast_rules_stage *s);        /* NULL ok */

/*
 * Selected entity i's figures for the plugins in years 0..last, from its lines
 * as they are now (call it once its lines are projected that far): nothing for
 * an entity without a model. A sum out of range is kept and reported when that
 * year's view is built. 0, or -1 (no memory).
 */
int forecast_rules_entity(struct forecast_rules_stage *s, size_t i, int last) __attribute__((warn_unused_result));

/*
 * Year k's finance rules: each model's year built and in->rules->apply_year
 * called with it (views are built even without rules, so a sum out of range is
 * reported all the same). 0, or -1 with the reason in err.
 */
int forecast_rules_year(struct forecast_rules_stage *s, int k) __attribute__((warn_unused_result));

/* The postings kept so far as lines of their payers and payees. 0, or -1 (no memory). */
int forecast_rules_book(struct forecast_rules_stage *s) __attribute__((warn_unused_result));

/* What failed: 0 when nothing did. */
enum forecast_error forecast_rules_error(const struct forecast_rules_stage *s);

#endif
