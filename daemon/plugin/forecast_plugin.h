/*
 * forecast_plugin.h - the forecast engine's finance rules (struct
 * forecast_rules) through the plugin registry: each year's figures go to the
 * plugin a school's finance_model names (plugin_apply_year), and its postings
 * and warnings come back into the engine's sink.
 *
 * Thread: any worker (the registry is read-only and plugins are thread-safe).
 */
#ifndef BURSAR_FORECAST_PLUGIN_H
#define BURSAR_FORECAST_PLUGIN_H

#include <stddef.h>

#include "forecast.h"

/*
 * A forecast_rules apply_year: arg is the registry (const struct plugins *).
 * A model that is not loaded, or a plugin that fails (its errors, or a posting
 * the registry refused), is -1 with the reason in err. The plugin's warnings
 * become the run's warnings.
 */
int forecast_plugin_apply(void *arg, const char *model, const struct bursar_year *y, struct forecast_sink *sink,
			  char *err, size_t errlen);

#endif
