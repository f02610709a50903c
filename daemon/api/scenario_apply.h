/*
 * scenario_apply.h - a scenario's what-ifs applied to one forecast run's inputs
 * (DESIGN.md "What-ifs never touch live data"): each school's finance model
 * from overrides.finance_model, the plugins with overrides.plugin_settings
 * merged over their configured settings (private instances for the run:
 * plugin_registry_with), and the management actions as the engine's struct
 * forecast_action. Nothing live changes: no school row, no configuration, no
 * registry another worker uses.
 *
 * Thread: the request's worker; the result is the run's alone.
 */
#ifndef BURSAR_SCENARIO_APPLY_H
#define BURSAR_SCENARIO_APPLY_H

#include <stddef.h>

#include "forecast.h"
#include "plugin.h"
#include "problem.h"
#include "scenario.h"

struct scenario_apply {
	struct plugins *own;                     /* the run's registry, or NULL when no setting is overridden */
	const struct plugins *plugins;           /* what the run uses: own, or the process's */
	struct forecast_action *actions;         /* borrow the scenario's strings */
	size_t nactions;
};

/*
 * The plugins a run of s uses, into ap->plugins (the live registry ps when s
 * overrides no setting), and s's actions. 0, or -1 with the problem set: a
 * plugin s overrides that is not loaded or whose init refuses the merged
 * settings is a 422 at /overrides/plugin_settings/<plugin> with the plugin's
 * message; out of memory is a 500. Free with scenario_apply_free either way;
 * keep s alive while ap is used.
 */
int scenario_apply_begin(const struct plugins *ps, const struct scenario *s, struct scenario_apply *ap,
			 struct problem *p) __attribute__((warn_unused_result));
void scenario_apply_free(struct scenario_apply *ap);   /* NULL ok; leaves it empty */

/* Each of e[0..n)'s finance model from s's overrides, where it has one (the
 * strings are s's). The central team has none. */
void scenario_apply_models(const struct scenario *s, struct forecast_entity_in *e, size_t n);

/*
 * Check s's plugin setting overrides against ps as a run would (each plugin's
 * init with the merged settings, then fini), for a scenario being saved. Adds a
 * field error at /overrides/plugin_settings/<plugin> for each refused; returns
 * their number, or -1 when out of memory (the problem set).
 */
int scenario_apply_check(const struct plugins *ps, const struct scenario *s, struct problem *p);

#endif
