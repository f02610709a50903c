/*
 * local.c - the school-local finance model: each school pays a top-slice of its
 * GAG (less the lines excluded from central charges, such as rates and PFI), or
 * of all its income, to the central team as a central services charge, and buys
 * traded services locally.
 *
 * Settings (the plugin's group in bursard.conf; unknown keys are refused):
 *   topslice_bp        the top-slice in basis points, 0..10000 (default 500 = 5%)
 *   topslice_bp_<URN>  one school's own rate, e.g. topslice_bp_159907 = 400
 *   base               "gag" (default): GAG income; "all_income": all income
 *
 * The base is that income less the lines flagged excluded_from_central, income
 * or expenditure: an excluded income line of the streams in the base (a GAG
 * line, or with all_income any income line), and every excluded expenditure line
 * (rates E17, PFI E28b: costs whose funding is inside GAG, so their amount comes
 * off the top of the GAG before the rate is applied). Excluded income lines of
 * streams outside the base and internal lines (INT..) do not count.
 *
 * Each school, each year: charge = round(base × rate / 10000), half away from
 * zero (bursar_muldiv_round: the daemon's rounding), posted as the school's
 * cost (INT01) and the central team's income (INT02). A negative base
 * (excluded lines larger than the income) charges 0, with a warning. The
 * daemon computes a budget's INT01 from these postings (never typed); the
 * budget's check works the base out the same way from its lines and wants INT01
 * to be the charge, to the penny.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bursar_arith.h"
#include "bursar_plugin.h"
#include "rules.h"

#define LOCAL_DEFAULT_BP 500

struct local_override {
	char urn[7];
	int32_t bp;
};

struct local_state {
	int32_t topslice_bp;
	int all_income;
	size_t noverrides;
	struct local_override overrides[];
};

static int local_init(const struct bursar_settings *s, void **state, char *err, size_t errlen)
{
	struct local_state *st;
	size_t n = s != NULL ? s->n : 0;

	if (s != NULL && (s->size < sizeof(*s) || s->item_size < sizeof(struct bursar_setting))) {
		snprintf(err, errlen, "the daemon passed settings in a layout this plugin does not know");
		return -1;
	}
	if ((st = calloc(1, sizeof(*st) + n * sizeof(st->overrides[0]))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	st->topslice_bp = LOCAL_DEFAULT_BP;
	for (size_t i = 0; i < n; i++) {
		const struct bursar_setting *kv = BURSAR_AT(struct bursar_setting, s->items, s->item_size, i);
		const char *urn = NULL;
		int64_t v;

		if (strcmp(kv->key, "topslice_bp") == 0 || (urn = rules_override_urn(kv->key, "topslice_bp_")) != NULL) {
			if (rules_parse_i64(kv->value, 0, BURSAR_BP_ONE, &v) != 0) {
				snprintf(err, errlen, "%s: must be an integer 0..10000 (basis points; 500 = 5%%), not \"%s\"",
					 kv->key, kv->value);
				goto fail;
			}
			if (strcmp(kv->key, "topslice_bp") == 0) {
				st->topslice_bp = (int32_t)v;
			} else {
				memcpy(st->overrides[st->noverrides].urn, urn, 7);
				st->overrides[st->noverrides++].bp = (int32_t)v;
			}
		} else if (strcmp(kv->key, "base") == 0) {
			if (strcmp(kv->value, "gag") == 0)
				st->all_income = 0;
			else if (strcmp(kv->value, "all_income") == 0)
				st->all_income = 1;
			else {
				snprintf(err, errlen, "base: must be \"gag\" or \"all_income\", not \"%s\"", kv->value);
				goto fail;
			}
		} else {
			snprintf(err, errlen, "unknown setting \"%s\" (known: topslice_bp, topslice_bp_<URN>, base)",
				 kv->key);
			goto fail;
		}
	}
	*state = st;
	return 0;
fail:
	free(st);
	return -1;
}

static void local_fini(void *state)
{
	free(state);
}

/* The school's rate; *own set when it is an override. */
static int32_t local_rate(const struct local_state *st, const char *urn, int *own)
{
	for (size_t i = 0; i < st->noverrides; i++)
		if (strcmp(st->overrides[i].urn, urn) == 0) {
			*own = 1;
			return st->overrides[i].bp;
		}
	*own = 0;
	return st->topslice_bp;
}

/* Whether an income line counts in the base: GAG, or with all_income any external income. */
static int local_income_in_base(const struct local_state *st, const struct bursar_line *l)
{
	return l->is_income && (l->stream == BURSAR_STREAM_GAG ||
				(st->all_income && l->stream >= BURSAR_STREAM_GAG && l->stream <= BURSAR_STREAM_SELF));
}

/* Whether a line comes off the base: it is flagged excluded and is either income
 * counted in the base or any (external) expenditure line. */
static int local_off_base(const struct local_state *st, const struct bursar_line *l)
{
	return l->excluded && (local_income_in_base(st, l) ||
			       (!l->is_income && l->stream == BURSAR_STREAM_EXPENDITURE));
}

/* "5.00% top-slice of £950.00: GAG £1,000.00 less £50.00 excluded from central charges" */
static void local_explain(const struct local_state *st, int32_t bp, int own, int64_t income,
			  int64_t excluded, int64_t base, char *buf, size_t len)
{
	struct rules_buf b;

	rules_buf_init(&b, buf, len);
	rules_buf_percent(&b, bp);
	rules_buf_str(&b, own ? " top-slice (this school's rate) of " : " top-slice of ");
	rules_buf_pounds(&b, base);
	rules_buf_str(&b, st->all_income ? ": all income " : ": GAG ");
	rules_buf_pounds(&b, income);
	rules_buf_str(&b, " less ");
	rules_buf_pounds(&b, excluded);
	rules_buf_str(&b, " excluded from central charges");
}

static int local_fail(struct bursar_ctx *ctx, const char *urn, const char *what)
{
	char msg[160];

	snprintf(msg, sizeof(msg), "local: %s: %s", urn, what);
	rules_finding(ctx, BURSAR_ERROR, "", msg);
	return -1;
}

static int local_apply_year(const void *state, const struct bursar_year *y, struct bursar_ctx *ctx)
{
	const struct local_state *st = state;

	if (y->size < sizeof(*y) || (y->nentities > 0 && y->entity_size < sizeof(struct bursar_entity)))
		return local_fail(ctx, "-", "the daemon passed a year in a layout this plugin does not know");
	for (size_t k = 0; k < y->nentities; k++) {
		const struct bursar_entity *e = BURSAR_AT(struct bursar_entity, y->entities, y->entity_size, k);
		int64_t income = e->gag_pence, excluded = 0, base, charge;
		char expl[400];
		int own;
		int32_t bp = local_rate(st, e->urn, &own);

		if (e->nexcluded > 0 && e->excluded_size < sizeof(struct bursar_line))
			return local_fail(ctx, e->urn, "excluded lines in a layout this plugin does not know");
		if (st->all_income &&
		    (bursar_add(income, e->dfe_other_pence, &income) != 0 ||
		     bursar_add(income, e->la_pence, &income) != 0 ||
		     bursar_add(income, e->self_generated_pence, &income) != 0))
			return local_fail(ctx, e->urn, "income out of range");
		for (size_t j = 0; j < e->nexcluded; j++) {
			const struct bursar_line *l = BURSAR_AT(struct bursar_line, e->excluded, e->excluded_size, j);

			if (local_off_base(st, l) && bursar_add(excluded, l->amount_pence, &excluded) != 0)
				return local_fail(ctx, e->urn, "excluded lines out of range");
		}
		if (bursar_sub(income, excluded, &base) != 0)
			return local_fail(ctx, e->urn, "base out of range");
		if (base < 0) {
			char msg[200], i[40], x[40];

			snprintf(msg, sizeof(msg), "%s: the lines excluded from central charges (%s) exceed its %s (%s): no top-slice",
				 e->urn, rules_pounds(excluded, x, sizeof(x)), st->all_income ? "income" : "GAG",
				 rules_pounds(income, i, sizeof(i)));
			if (rules_finding(ctx, BURSAR_WARNING, "", msg) != 0)
				return -1;
			base = 0;
		}
		if (bursar_muldiv_round(base, bp, BURSAR_BP_ONE, &charge) != 0)
			return local_fail(ctx, e->urn, "charge out of range");
		local_explain(st, bp, own, income, excluded, base, expl, sizeof(expl));
		struct bursar_posting p = {
			.size = sizeof(p), .payer = e->urn, .payer_account = BURSAR_ACC_CHARGE,
			.payee = BURSAR_CENTRAL, .payee_account = BURSAR_ACC_CHARGE_RECEIVED,
			.amount_pence = charge, .basis = "topslice", .base_pence = base, .rate_bp = bp,
			.explanation = expl,
		};
		if (ctx->post(ctx, &p) != 0)
			return -1;
	}
	return 0;
}

/* The school's budget must carry its charge (INT01), to the penny: the base from its
 * own lines (income in the base less the excluded lines, as in apply_year). */
static int local_validate_budget(const void *state, const struct bursar_budget *b, struct bursar_ctx *ctx)
{
	const struct local_state *st = state;
	int64_t income = 0, excluded = 0, base, want, have = 0, diff;
	size_t ncharge = 0;
	int32_t at = -1, bp;
	int own;
	char field[48], msg[600], expl[400], w[40], h[40];

	if (b->size < sizeof(*b) || (b->nlines > 0 && b->line_size < sizeof(struct bursar_line)))
		return local_fail(ctx, "-", "the daemon passed a budget in a layout this plugin does not know");
	bp = local_rate(st, b->urn, &own);
	for (size_t i = 0; i < b->nlines; i++) {
		const struct bursar_line *l = BURSAR_AT(struct bursar_line, b->lines, b->line_size, i);

		if (strcmp(l->account, BURSAR_ACC_CHARGE) == 0) {
			if (bursar_add(have, l->amount_pence, &have) != 0)
				return local_fail(ctx, b->urn, "amounts out of range");
			if (ncharge++ == 0)
				at = l->index >= 0 ? l->index : (int32_t)i;
			continue;
		}
		if (l->stream == BURSAR_STREAM_INTERNAL)
			continue;
		if ((local_income_in_base(st, l) && bursar_add(income, l->amount_pence, &income) != 0) ||
		    (local_off_base(st, l) && bursar_add(excluded, l->amount_pence, &excluded) != 0))
			return local_fail(ctx, b->urn, "amounts out of range");
	}
	if (bursar_sub(income, excluded, &base) != 0)
		return local_fail(ctx, b->urn, "amounts out of range");
	if (base < 0)
		base = 0;
	if (bursar_muldiv_round(base, bp, BURSAR_BP_ONE, &want) != 0 || bursar_sub(have, want, &diff) != 0)
		return local_fail(ctx, b->urn, "amounts out of range");
	if (diff == 0)
		return 0;
	if (ncharge == 1)
		snprintf(field, sizeof(field), "/lines/%d/amount_pence", (int)at);
	else
		snprintf(field, sizeof(field), "/lines");
	local_explain(st, bp, own, income, excluded, base, expl, sizeof(expl));
	snprintf(msg, sizeof(msg), "the central services charge (%s) is computed by the local plugin: it should be %s "
		 "(%s), to the penny; the budget has %s",
		 BURSAR_ACC_CHARGE, rules_pounds(want, w, sizeof(w)), expl, rules_pounds(have, h, sizeof(h)));
	return rules_finding(ctx, BURSAR_ERROR, field, msg);
}

const struct bursar_rules bursar_rules_entry = {
	.abi = BURSAR_RULES_ABI,
	.size = sizeof(struct bursar_rules),
	.name = "local",
	.version = "1.0.0",
	.description = "School-local model: each school pays a top-slice of its GAG (or of all its income) "
		       "to the central team and buys traded services locally",
	.init = local_init,
	.validate_budget = local_validate_budget,
	.apply_year = local_apply_year,
	.fini = local_fini,
};
