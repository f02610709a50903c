/* budget_plugin.c - see budget_plugin.h */
#include "budget_plugin.h"

#include <stdlib.h>
#include <string.h>

#include "bursar_plugin.h"
#include "log.h"
#include "plugin.h"
#include "rules_base.h"

/* The ABI's income streams, from the chart's reporting groups. */
static int32_t budget_plugin_stream(const struct budget_account *a)
{
	static const struct {
		const char *group;
		int32_t stream;
	} map[] = {
		{ "gag", BURSAR_STREAM_GAG }, { "dfe_grants", BURSAR_STREAM_DFE_OTHER },
		{ "la_income", BURSAR_STREAM_LA }, { "self_generated", BURSAR_STREAM_SELF },
	};

	if (a->is_internal)
		return BURSAR_STREAM_INTERNAL;
	if (a->kind == BUDGET_EXPENDITURE)
		return BURSAR_STREAM_EXPENDITURE;
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(map[i].group, a->group) == 0)
			return map[i].stream;
	return BURSAR_STREAM_SELF;
}

/* The check, with the year's context from year (NULL: none). */
static int budget_plugin_check(const struct plugins *ps, const struct forecast_input *year,
			       const struct budget_context *ctx, const struct budget *b, struct budget_findings *f)
{
	const struct plugin *pl = ctx->finance_model[0] != '\0' ? plugin_find(ps, ctx->finance_model) : NULL;
	struct plugin_result res = { 0 };
	struct bursar_budget bb = { .size = sizeof(bb) };
	struct bursar_line *lines = NULL;
	size_t n = 0;
	char err[600];
	int rc = -1;

	if (pl == NULL)
		return 0;
	if (b->nlines > 0 && (lines = calloc(b->nlines, sizeof(*lines))) == NULL)
		return -1;
	for (size_t i = 0; i < b->nlines; i++) {
		const struct budget_line *l = &b->lines[i];

		if (l->account == NULL)
			continue;                        /* an unknown code: the core checks report it */
		lines[n++] = (struct bursar_line){
			.account = l->account->code,
			.description = l->description != NULL ? l->description : "",
			.stream = budget_plugin_stream(l->account),
			.excluded = l->excluded_from_central != 0,
			.is_income = l->account->kind == BUDGET_INCOME,
			.index = (int32_t)i,
			.amount_pence = l->amount_pence,
		};
	}
	bb.year = ctx->year;
	bb.urn = ctx->urn;
	bb.pupils = ctx->funded_pupils > 0 ? ctx->funded_pupils : ctx->pupils;
	bb.lines = lines;
	bb.nlines = n;
	bb.line_size = sizeof(*lines);
	bb.context = NULL;                       /* rules_base_validate gives the year's */
	if (year != NULL ? rules_base_validate(ps, year, ctx->finance_model, &bb, &res, err, sizeof(err)) != 0 :
	    plugin_validate_budget(pl, &bb, &res) != 0) {
		log_err("budgets: plugin %s could not check %s %d: %s", plugin_name(pl), ctx->urn,
			ctx->year, year != NULL ? err : plugin_failure(&res));
		goto out;
	}
	for (size_t i = 0; i < res.nfindings; i++) {
		const struct plugin_finding *pf = &res.findings[i];

		if (pf->severity == BURSAR_INFO)
			continue;
		budget_finding_add(f, pf->severity == BURSAR_ERROR ? BUDGET_ERROR : BUDGET_WARNING,
				   plugin_name(pl), pf->field, "%s", pf->message);
	}
	rc = 0;
out:
	plugin_result_free(&res);
	free(lines);
	return rc;
}

int budget_plugin_validate(void *arg, const struct budget_context *ctx, const struct budget *b,
			   const struct budget_totals *t, struct budget_findings *f)
{
	(void)t;
	return budget_plugin_check(arg, NULL, ctx, b, f);
}

int budget_plugin_validate_year(void *arg, const struct budget_context *ctx, const struct budget *b,
				const struct budget_totals *t, struct budget_findings *f)
{
	const struct budget_plugin_year *y = arg;

	(void)t;
	return budget_plugin_check(y->ps, y->in, ctx, b, f);
}
