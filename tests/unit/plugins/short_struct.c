/* short_struct.c - for the loader tests: claims a struct shorter than ABI 1's. */
#include "bursar_plugin.h"

const struct bursar_rules bursar_rules_entry = {
	.abi = BURSAR_RULES_ABI,
	.size = offsetof(struct bursar_rules, init),
	.name = "short_struct",
	.version = "0",
};
