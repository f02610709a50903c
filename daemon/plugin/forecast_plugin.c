/* forecast_plugin.c - see forecast_plugin.h */
#include "forecast_plugin.h"

#include <stdio.h>

#include "plugin.h"

int forecast_plugin_apply(void *arg, const char *model, const struct bursar_year *y, struct forecast_sink *sink,
			  char *err, size_t errlen)
{
	const struct plugin *pl = plugin_find(arg, model);
	struct plugin_result res = { 0 };
	int rc = -1;

	if (pl == NULL) {
		snprintf(err, errlen, "the finance model \"%s\" is not loaded", model);
		return -1;
	}
	if (plugin_apply_year(pl, y, &res) != 0) {
		snprintf(err, errlen, "%s", plugin_failure(&res));
		goto out;
	}
	for (size_t i = 0; i < res.nposts; i++) {
		const struct plugin_posting *q = &res.posts[i];
		struct forecast_posting fp = {
			.payer = q->payer, .payer_account = q->payer_account, .payee = q->payee,
			.payee_account = q->payee_account, .amount_pence = q->amount_pence, .basis = q->basis,
			.base_pence = q->base_pence, .rate_bp = q->rate_bp, .explanation = q->explanation,
		};

		if (forecast_sink_post(sink, &fp) != 0)
			goto out;
	}
	for (size_t i = 0; i < res.nfindings; i++)
		if (res.findings[i].severity != BURSAR_INFO)
			forecast_sink_warn(sink, res.findings[i].message);
	rc = 0;
out:
	plugin_result_free(&res);
	return rc;
}
