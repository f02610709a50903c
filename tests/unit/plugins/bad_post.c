/*
 * bad_post.c - for the loader tests: a plugin that loads but misbehaves when
 * called, in the way chosen by the year it is given (a test switch), so the
 * daemon's copying callbacks can be seen refusing it. No init: takes no settings.
 */
#include "bursar_plugin.h"

static int bad_post_apply_year(const void *state, const struct bursar_year *y, struct bursar_ctx *ctx)
{
	const struct bursar_entity *e = BURSAR_AT(struct bursar_entity, y->entities, y->entity_size, 0);
	struct bursar_posting p = {
		.size = sizeof(p), .payer = e->urn, .payer_account = BURSAR_ACC_CHARGE, .payee = BURSAR_CENTRAL,
		.payee_account = BURSAR_ACC_CHARGE_RECEIVED, .amount_pence = 100, .basis = "test",
		.base_pence = 2000, .rate_bp = 500, .explanation = "five per cent",
	};
	struct bursar_finding f = { .size = sizeof(f), .severity = BURSAR_WARNING, .field = "", .message = "note" };

	(void)state;
	switch (y->year) {
	case 1: p.payee = "999999"; break;                      /* not an entity of the year */
	case 2: p.amount_pence = -1; break;                     /* negative */
	case 3: p.payee = e->urn; break;                        /* to itself */
	case 4: p.payee_account = ""; break;                    /* no account */
	case 5: p.size = offsetof(struct bursar_posting, rate_bp); break;   /* an older, shorter struct */
	case 6: f.severity = 7; return ctx->finding(ctx, &f);   /* unknown severity */
	case 7: return ctx->finding(ctx, &f) == 0 ? -1 : 0;     /* reports, then fails by itself */
	default: break;
	}
	return ctx->post(ctx, &p);
}

static int bad_post_validate_budget(const void *state, const struct bursar_budget *b, struct bursar_ctx *ctx)
{
	struct bursar_posting p = {
		.size = sizeof(p), .payer = b->urn, .payer_account = BURSAR_ACC_CHARGE, .payee = BURSAR_CENTRAL,
		.payee_account = BURSAR_ACC_CHARGE_RECEIVED, .amount_pence = 1,
	};

	(void)state;
	return ctx->post(ctx, &p);                              /* not allowed while validating */
}

const struct bursar_rules bursar_rules_entry = {
	.abi = BURSAR_RULES_ABI,
	.size = sizeof(struct bursar_rules),
	.name = "bad_post",
	.version = "0.1",
	.apply_year = bad_post_apply_year,
	.validate_budget = bad_post_validate_budget,
};
