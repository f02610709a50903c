/* wrong_name.c - for the loader tests: the file is wrong_name.so, the plugin calls itself "local". */
#include "bursar_plugin.h"

static int wrong_name_apply_year(const void *state, const struct bursar_year *y, struct bursar_ctx *ctx)
{
	(void)state;
	(void)y;
	(void)ctx;
	return 0;
}

const struct bursar_rules bursar_rules_entry = {
	.abi = BURSAR_RULES_ABI,
	.size = sizeof(struct bursar_rules),
	.name = "local",
	.version = "0",
	.apply_year = wrong_name_apply_year,
};
