/* no_symbol.c - for the loader tests: exports its rules under the wrong name. */
#include "bursar_plugin.h"

__attribute__((visibility("default"))) const struct bursar_rules bursar_rules = {
	.abi = BURSAR_RULES_ABI,
	.size = sizeof(struct bursar_rules),
	.name = "no_symbol",
	.version = "0",
};
