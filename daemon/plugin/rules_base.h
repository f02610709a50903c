/*
 * rules_base.h - the finance rules over one year's budgets, as budgets are
 * read, submitted and disclosed: every finance model's plugin run over the
 * base year of a struct forecast_input (forecast_rules_base builds each model's
 * struct bursar_year exactly as a forecast does), its postings kept. The one
 * computation behind a budget's computed lines (INT01..INT06), the submit
 * check's context and the central services statement, so the three agree to
 * the penny.
 *
 * Thread: any worker (the registry is read-only and plugins are thread-safe).
 */
#ifndef BURSAR_RULES_BASE_H
#define BURSAR_RULES_BASE_H

#include <stddef.h>

#include "forecast.h"
#include "plugin.h"

/* One model's run: its plugin, the URNs it ran over (borrowed from the input)
 * and what it posted, in the order posted. */
struct rules_base_model {
	const struct plugin *pl;
	const char **urns;
	size_t nurns;
	struct plugin_result res;
};

struct rules_base {
	struct rules_base_model *m;              /* by model, in the order the engine ran them */
	size_t n, cap;
};

/*
 * Run every model of in's selected schools over in->a->base_year (in->rules is
 * ignored: the registry's plugins run). 0 with *out filled (free with
 * rules_base_free), or -1 with *kind and a message in err (a model not loaded,
 * a plugin that failed: its first error).
 */
int rules_base_run(const struct plugins *ps, const struct forecast_input *in, struct rules_base *out,
		   enum forecast_error *kind, char *err, size_t errlen) __attribute__((warn_unused_result));
void rules_base_free(struct rules_base *rb);     /* NULL ok; leaves it zeroed */

/*
 * Check one school's budget (b; its context is set here) with its model's
 * validate_budget, the context being that model's year over in's base year as
 * rules_base_run sees it. Findings are copied into res (zeroed first). 0, or -1
 * (err says why: the model is not loaded, the engine failed, the plugin could
 * not check).
 */
int rules_base_validate(const struct plugins *ps, const struct forecast_input *in, const char *model,
			const struct bursar_budget *b, struct plugin_result *res, char *err, size_t errlen)
	__attribute__((warn_unused_result));

#endif
