/* failing_init.c - for the loader tests: init refuses its settings. */
#include <stdio.h>

#include "bursar_plugin.h"

static int failing_init_init(const struct bursar_settings *s, void **state, char *err, size_t errlen)
{
	(void)state;
	snprintf(err, errlen, "rate_bp is required (%zu settings given)", s->n);
	return -1;
}

static int failing_init_apply_year(const void *state, const struct bursar_year *y, struct bursar_ctx *ctx)
{
	(void)state;
	(void)y;
	(void)ctx;
	return 0;
}

const struct bursar_rules bursar_rules_entry = {
	.abi = BURSAR_RULES_ABI,
	.size = sizeof(struct bursar_rules),
	.name = "failing_init",
	.version = "0",
	.init = failing_init_init,
	.apply_year = failing_init_apply_year,
};
