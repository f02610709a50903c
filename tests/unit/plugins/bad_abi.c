/* bad_abi.c - for the loader tests: built for an ABI this daemon does not have. */
#include "bursar_plugin.h"

static int bad_abi_apply_year(const void *state, const struct bursar_year *y, struct bursar_ctx *ctx)
{
	(void)state;
	(void)y;
	(void)ctx;
	return 0;
}

const struct bursar_rules bursar_rules_entry = {
	.abi = 99,
	.size = sizeof(struct bursar_rules),
	.name = "bad_abi",
	.version = "0",
	.apply_year = bad_abi_apply_year,
};
