/* minimal.c - a flat central services fee per school: the smallest useful plugin. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bursar_plugin.h"

struct minimal_state {
	long long fee_pence;
};

static int minimal_init(const struct bursar_settings *s, void **state, char *err, size_t errlen)
{
	struct minimal_state *st = calloc(1, sizeof(*st));

	if (st == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	st->fee_pence = 100000;                  /* default £1,000.00 */
	for (size_t i = 0; i < s->n; i++) {
		const struct bursar_setting *kv = BURSAR_AT(struct bursar_setting, s->items, s->item_size, i);
		char *end;

		if (strcmp(kv->key, "fee_pence") != 0) {
			snprintf(err, errlen, "unknown setting \"%s\"", kv->key);
			goto fail;
		}
		st->fee_pence = strtoll(kv->value, &end, 10);
		if (kv->value[0] == '\0' || *end != '\0' || st->fee_pence < 0) {
			snprintf(err, errlen, "fee_pence: must be whole pence >= 0, not \"%s\"", kv->value);
			goto fail;
		}
	}
	*state = st;
	return 0;
fail:
	free(st);
	return -1;
}

/* Each school of the model pays the fee to the central team: one posting, a pair that nets to zero. */
static int minimal_apply_year(const void *state, const struct bursar_year *y, struct bursar_ctx *ctx)
{
	const struct minimal_state *st = state;

	for (size_t i = 0; i < y->nentities; i++) {
		const struct bursar_entity *e = BURSAR_AT(struct bursar_entity, y->entities, y->entity_size, i);
		struct bursar_posting p = {
			.size = sizeof(p), .payer = e->urn, .payer_account = BURSAR_ACC_CHARGE,
			.payee = BURSAR_CENTRAL, .payee_account = BURSAR_ACC_CHARGE_RECEIVED,
			.amount_pence = st->fee_pence, .basis = "flat_fee", .rate_bp = -1,
			.explanation = "flat central services fee",
		};

		if (ctx->post(ctx, &p) != 0)     /* the daemon copies it */
			return -1;
	}
	return 0;
}

static void minimal_fini(void *state)
{
	free(state);
}

const struct bursar_rules bursar_rules_entry = {
	.abi = BURSAR_RULES_ABI,
	.size = sizeof(struct bursar_rules),
	.name = "minimal",                       /* loaded from <paths.plugins>/minimal.so */
	.version = "1.0.0",
	.description = "A flat central services fee per school",
	.init = minimal_init,
	.apply_year = minimal_apply_year,
	.fini = minimal_fini,
};
