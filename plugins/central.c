/*
 * central.c - the centralised finance model (GAG pooling): the GAG of every
 * pooled school, less the lines excluded from pooling (PFI must not be pooled;
 * rates), goes to a central pot; the trust retains part of it for central costs
 * and allocates the rest back to the schools by its own formula.
 *
 * The lines excluded from pooling are those flagged excluded_from_central,
 * income or expenditure: an excluded GAG income line, and every excluded
 * expenditure line (rates E17, PFI E28b: costs whose funding is inside GAG, so
 * that much of the GAG stays with the school). Excluded income lines of other
 * streams and internal lines (INT..) do not count.
 *
 * Settings (the plugin's group in bursard.conf; unknown keys are refused):
 *   retention_bp            share of the pot the trust retains, 0..10000 (default 0)
 *   lump_sum_pence          allocated to every pooled school first (default 0)
 *   need_factor_bp          weight per funded pupil, 0..100000 (default 10000 = 1.0)
 *   need_factor_bp_<URN>    one school's need factor (deprivation, SEN, site),
 *                           e.g. need_factor_bp_159905 = 11500
 *
 * Each year, over the pooled schools (those whose finance_model is "central"):
 *   pooled[i]  = GAG[i] - excluded lines[i]   (0 when negative, with a warning)
 *   pot        = sum of pooled[i]
 *   retained   = round(pot × retention_bp / 10000), half away from zero
 *   R          = pot - retained - n × lump_sum   (an error when negative)
 *   share[i]   = R split by weight[i] = pupils[i] × need_factor_bp[i], exactly as
 *                the daemon's allocation (bursar_split, bursar_arith.h):
 *                floor(R × weight[i] / W), then one penny each to the largest
 *                remainders, ties to the lower URN (DESIGN.md "Allocation");
 *                with R > 0 and no funded pupils at all (W = 0) there is nothing
 *                to share by: an error
 *   alloc[i]   = lump_sum + share[i];   sum of alloc[i] + retained = pot, to the penny.
 * Postings: pooled[i] from the school (INT03) to the central team (INT04), and
 * alloc[i] from the central team (INT06) back to the school (INT05).
 *
 * A pooled school budgets its own GAG (I01): it is its income, pooled out
 * (INT03) and partly returned (INT05), both computed by the daemon from this
 * plugin's postings (never typed). validate_budget checks, when the daemon gives
 * the other pooled schools' figures (b->context), that the budget's INT03 is
 * pooled[i] and its INT05 alloc[i], to the penny; without them it says so with a
 * BURSAR_INFO finding.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bursar_arith.h"
#include "bursar_plugin.h"
#include "rules.h"

#define CENTRAL_NEED_DEFAULT 10000
#define CENTRAL_NEED_MAX 100000
#define CENTRAL_LUMP_MAX INT64_C(100000000000)   /* £1bn */

struct central_override {
	char urn[7];
	int32_t need_bp;
};

struct central_state {
	int32_t retention_bp;
	int32_t need_bp;
	int64_t lump_sum_pence;
	size_t noverrides;
	struct central_override overrides[];
};

static int central_init(const struct bursar_settings *s, void **state, char *err, size_t errlen)
{
	struct central_state *st;
	size_t n = s != NULL ? s->n : 0;

	if (s != NULL && (s->size < sizeof(*s) || s->item_size < sizeof(struct bursar_setting))) {
		snprintf(err, errlen, "the daemon passed settings in a layout this plugin does not know");
		return -1;
	}
	if ((st = calloc(1, sizeof(*st) + n * sizeof(st->overrides[0]))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	st->need_bp = CENTRAL_NEED_DEFAULT;
	for (size_t i = 0; i < n; i++) {
		const struct bursar_setting *kv = BURSAR_AT(struct bursar_setting, s->items, s->item_size, i);
		const char *urn = rules_override_urn(kv->key, "need_factor_bp_");
		int64_t v;

		if (strcmp(kv->key, "retention_bp") == 0) {
			if (rules_parse_i64(kv->value, 0, BURSAR_BP_ONE, &v) != 0) {
				snprintf(err, errlen, "retention_bp: must be an integer 0..10000 (basis points; 600 = 6%%), not \"%s\"",
					 kv->value);
				goto fail;
			}
			st->retention_bp = (int32_t)v;
		} else if (strcmp(kv->key, "lump_sum_pence") == 0) {
			if (rules_parse_i64(kv->value, 0, CENTRAL_LUMP_MAX, &v) != 0) {
				snprintf(err, errlen, "lump_sum_pence: must be an integer 0..100000000000 (pence), not \"%s\"",
					 kv->value);
				goto fail;
			}
			st->lump_sum_pence = v;
		} else if (strcmp(kv->key, "need_factor_bp") == 0 || urn != NULL) {
			if (rules_parse_i64(kv->value, 0, CENTRAL_NEED_MAX, &v) != 0) {
				snprintf(err, errlen, "%s: must be an integer 0..100000 (basis points; 10000 = 1.0), not \"%s\"",
					 kv->key, kv->value);
				goto fail;
			}
			if (urn == NULL) {
				st->need_bp = (int32_t)v;
			} else {
				memcpy(st->overrides[st->noverrides].urn, urn, 7);
				st->overrides[st->noverrides++].need_bp = (int32_t)v;
			}
		} else {
			snprintf(err, errlen, "unknown setting \"%s\" (known: retention_bp, lump_sum_pence, "
				 "need_factor_bp, need_factor_bp_<URN>)", kv->key);
			goto fail;
		}
	}
	*state = st;
	return 0;
fail:
	free(st);
	return -1;
}

static void central_fini(void *state)
{
	free(state);
}

static int32_t central_need(const struct central_state *st, const char *urn)
{
	for (size_t i = 0; i < st->noverrides; i++)
		if (strcmp(st->overrides[i].urn, urn) == 0)
			return st->overrides[i].need_bp;
	return st->need_bp;
}

static int central_fail(struct bursar_ctx *ctx, const char *urn, const char *what)
{
	char msg[300];

	snprintf(msg, sizeof(msg), "central: %s: %s", urn, what);
	rules_finding(ctx, BURSAR_ERROR, "", msg);
	return -1;
}

/* Whether a line of an entity's excluded list comes off its pooled GAG: an
 * excluded GAG income line or any excluded (external) expenditure line. */
static int central_off_pool(const struct bursar_line *l)
{
	return l->excluded && ((l->is_income && l->stream == BURSAR_STREAM_GAG) ||
			       (!l->is_income && l->stream == BURSAR_STREAM_EXPENDITURE));
}

/* One year's pool, worked out for every pooled school: share[k] is its part of
 * the rest (weight pupils × need in, pence out), split by bursar_split. */
struct central_pool {
	size_t n;
	int64_t *gag, *excluded, *pooled, *alloc;
	struct bursar_share *share;
	const char **urn;
	int64_t pot, retained, lumps, rest;
};

static void central_pool_free(struct central_pool *c)
{
	free(c->gag);
	free(c->share);
	free(c->urn);
	memset(c, 0, sizeof(*c));
}

static int central_pool(const struct central_state *st, const struct bursar_year *y, int warn,
			struct bursar_ctx *ctx, struct central_pool *c)
{
	size_t n = y->nentities;
	int64_t *mem;
	char msg[300], a[40], b[40];

	memset(c, 0, sizeof(*c));
	if (y->size < sizeof(*y) || (n > 0 && y->entity_size < sizeof(struct bursar_entity)))
		return central_fail(ctx, "-", "the daemon passed a year in a layout this plugin does not know");
	c->n = n;
	if (n == 0)
		return 0;
	c->gag = mem = calloc(4 * n, sizeof(*mem));
	c->urn = calloc(n, sizeof(*c->urn));
	c->share = calloc(n, sizeof(*c->share));
	if (mem == NULL || c->urn == NULL || c->share == NULL) {
		central_pool_free(c);
		return central_fail(ctx, "-", "out of memory");
	}
	c->excluded = mem + n;
	c->pooled = mem + 2 * n;
	c->alloc = mem + 3 * n;
	for (size_t k = 0; k < n; k++) {
		const struct bursar_entity *e = BURSAR_AT(struct bursar_entity, y->entities, y->entity_size, k);

		c->urn[k] = e->urn;
		c->gag[k] = e->gag_pence;
		if (e->nexcluded > 0 && e->excluded_size < sizeof(struct bursar_line)) {
			central_fail(ctx, e->urn, "excluded lines in a layout this plugin does not know");
			goto fail;
		}
		for (size_t j = 0; j < e->nexcluded; j++) {
			const struct bursar_line *l = BURSAR_AT(struct bursar_line, e->excluded, e->excluded_size, j);

			if (central_off_pool(l) && bursar_add(c->excluded[k], l->amount_pence, &c->excluded[k]) != 0)
				goto range;
		}
		if (bursar_sub(c->gag[k], c->excluded[k], &c->pooled[k]) != 0)
			goto range;
		if (c->pooled[k] < 0) {
			snprintf(msg, sizeof(msg), "%s: the lines excluded from pooling (%s) exceed its GAG (%s): nothing pooled",
				 e->urn, rules_pounds(c->excluded[k], a, sizeof(a)), rules_pounds(c->gag[k], b, sizeof(b)));
			if (warn && rules_finding(ctx, BURSAR_WARNING, "", msg) != 0)
				goto fail;
			c->pooled[k] = 0;
		}
		if (e->pupils < 0)
			goto range;
		c->share[k] = (struct bursar_share){ .urn = e->urn, .tie = (int64_t)k,
						     .weight = (int64_t)e->pupils * central_need(st, e->urn) };
		if (bursar_add(c->pot, c->pooled[k], &c->pot) != 0)
			goto range;
	}
	if (bursar_muldiv_round(c->pot, st->retention_bp, BURSAR_BP_ONE, &c->retained) != 0 ||
	    bursar_mul(st->lump_sum_pence, (int64_t)n, &c->lumps) != 0 ||
	    bursar_sub(c->pot, c->retained, &c->rest) != 0 || bursar_sub(c->rest, c->lumps, &c->rest) != 0)
		goto range;
	if (c->rest < 0) {
		char l[40], p[40];

		snprintf(msg, sizeof(msg), "lump sums of %s for %zu schools (%s) exceed the pot after retention (%s)",
			 rules_pounds(st->lump_sum_pence, l, sizeof(l)), n, rules_pounds(c->lumps, a, sizeof(a)),
			 rules_pounds(c->pot - c->retained, p, sizeof(p)));
		central_fail(ctx, "pool", msg);
		central_pool_free(c);
		return -1;
	}
	/* the zero-weight rule is the split's: with no pupils anywhere nothing is
	 * shared, and a pot left unshared cannot be: refused */
	switch (bursar_split(c->rest, c->share, n)) {
	case 0:
		break;
	case BURSAR_SPLIT_NO_WEIGHT:
		central_fail(ctx, "pool", "no pooled school has funded pupils, so there is nothing to share the pool by");
		central_pool_free(c);
		return -1;
	default:
		goto range;
	}
	for (size_t k = 0; k < n; k++)
		c->alloc[k] = st->lump_sum_pence + c->share[k].pence;  /* <= rest + lumps: no overflow */
	return 0;
range:
	central_fail(ctx, "pool", "amounts out of range");
fail:
	central_pool_free(c);
	return -1;
}

static int central_apply_year(const void *state, const struct bursar_year *y, struct bursar_ctx *ctx)
{
	const struct central_state *st = state;
	struct central_pool c;
	struct rules_buf b;
	char expl[500], tail[300];
	size_t lump_len;
	int rc = -1;

	if (central_pool(st, y, 1, ctx, &c) != 0)
		return -1;
	for (size_t k = 0; k < c.n; k++) {
		rules_buf_init(&b, expl, sizeof(expl));
		rules_buf_str(&b, "GAG ");
		rules_buf_pounds(&b, c.gag[k]);
		rules_buf_str(&b, " less ");
		rules_buf_pounds(&b, c.excluded[k]);
		rules_buf_str(&b, " excluded from pooling, pooled to the trust");
		struct bursar_posting pool = {
			.size = sizeof(pool), .payer = c.urn[k], .payer_account = BURSAR_ACC_POOLED,
			.payee = BURSAR_CENTRAL, .payee_account = BURSAR_ACC_POOL_RECEIVED,
			.amount_pence = c.pooled[k], .basis = "pool", .base_pence = c.gag[k], .rate_bp = -1,
			.explanation = expl,
		};
		if (ctx->post(ctx, &pool) != 0)
			goto out;
	}
	/* "lump sum %s + %s for %d pupils × need factor %s of %s shared by pupils × need;
	 * pot %s, %s retained (%s)": the lump sum and the tail are the year's, the same
	 * for every school */
	rules_buf_init(&b, expl, sizeof(expl));
	rules_buf_str(&b, "lump sum ");
	rules_buf_pounds(&b, st->lump_sum_pence);
	rules_buf_str(&b, " + ");
	lump_len = b.n;
	rules_buf_init(&b, tail, sizeof(tail));
	rules_buf_str(&b, " of ");
	rules_buf_pounds(&b, c.rest);
	rules_buf_str(&b, " shared by pupils \xc3\x97 need; pot ");
	rules_buf_pounds(&b, c.pot);
	rules_buf_str(&b, ", ");
	rules_buf_pounds(&b, c.retained);
	rules_buf_str(&b, " retained (");
	rules_buf_percent(&b, st->retention_bp);
	rules_buf_str(&b, ")");
	for (size_t k = 0; k < c.n; k++) {
		const struct bursar_entity *e = BURSAR_AT(struct bursar_entity, y->entities, y->entity_size, k);

		b = (struct rules_buf){ .p = expl, .len = sizeof(expl), .n = lump_len };
		rules_buf_pounds(&b, c.share[k].pence);
		rules_buf_str(&b, " for ");
		rules_buf_int(&b, (int)e->pupils);
		rules_buf_str(&b, " pupils \xc3\x97 need factor ");
		rules_buf_percent(&b, central_need(st, e->urn));
		rules_buf_str(&b, tail);
		struct bursar_posting alloc = {
			.size = sizeof(alloc), .payer = BURSAR_CENTRAL, .payee_account = BURSAR_ACC_ALLOCATION,
			.payee = c.urn[k], .payer_account = BURSAR_ACC_ALLOCATED,
			.amount_pence = c.alloc[k], .basis = "allocation", .base_pence = c.rest, .rate_bp = -1,
			.explanation = expl,
		};
		if (ctx->post(ctx, &alloc) != 0)
			goto out;
	}
	rc = 0;
out:
	central_pool_free(&c);
	return rc;
}

/* The lines of one account: their sum, how many, and the first one's index. */
static int central_sum(const struct bursar_budget *b, const char *account, int64_t *sum, size_t *count,
		       int32_t *first)
{
	*sum = 0;
	*count = 0;
	*first = -1;
	for (size_t i = 0; i < b->nlines; i++) {
		const struct bursar_line *l = BURSAR_AT(struct bursar_line, b->lines, b->line_size, i);

		if (strcmp(l->account, account) != 0)
			continue;
		if (bursar_add(*sum, l->amount_pence, sum) != 0)
			return -1;
		if ((*count)++ == 0)
			*first = l->index >= 0 ? l->index : (int32_t)i;
	}
	return 0;
}

static int central_check(struct bursar_ctx *ctx, const char *account, int64_t want, const char *why,
			 const struct bursar_budget *b)
{
	int64_t have, diff;
	size_t count;
	int32_t first;
	char field[48], msg[700], w[40], h[40];

	if (central_sum(b, account, &have, &count, &first) != 0 || bursar_sub(have, want, &diff) != 0)
		return central_fail(ctx, b->urn, "amounts out of range");
	if (diff == 0)
		return 0;
	if (count == 1)
		snprintf(field, sizeof(field), "/lines/%d/amount_pence", (int)first);
	else
		snprintf(field, sizeof(field), "/lines");
	snprintf(msg, sizeof(msg), "%s (%s) is computed by the central plugin: it should be %s, to the penny; the "
		 "budget has %s", why, account, rules_pounds(want, w, sizeof(w)), rules_pounds(have, h, sizeof(h)));
	return rules_finding(ctx, BURSAR_ERROR, field, msg);
}

/*
 * A pooled school's budget carries its own GAG and, computed, the GAG it pools
 * (INT03) and its allocation (INT05): with the other pooled schools' figures,
 * both to the penny.
 */
static int central_validate_budget(const void *state, const struct bursar_budget *b, struct bursar_ctx *ctx)
{
	const struct central_state *st = state;
	struct central_pool c;
	size_t k;
	int rc;

	if (b->size < sizeof(*b) || (b->nlines > 0 && b->line_size < sizeof(struct bursar_line)))
		return central_fail(ctx, "-", "the daemon passed a budget in a layout this plugin does not know");
	if (b->context == NULL)
		return rules_finding(ctx, BURSAR_INFO, "/lines",
				     "the GAG pooled (INT03) and the allocation from the pool (INT05) were not checked: "
				     "the other pooled schools' figures were not given");
	if (central_pool(st, b->context, 0, ctx, &c) != 0)
		return -1;
	for (k = 0; k < c.n && strcmp(c.urn[k], b->urn) != 0; k++)
		;
	if (k == c.n)
		rc = rules_finding(ctx, BURSAR_INFO, "/lines",
				   "the allocation from the pool (INT05) was not checked: this school is not among the pooled schools");
	else if ((rc = central_check(ctx, BURSAR_ACC_POOLED, c.pooled[k], "the GAG pooled to the trust", b)) == 0)
		rc = central_check(ctx, BURSAR_ACC_ALLOCATION, c.alloc[k], "the allocation from the GAG pool", b);
	central_pool_free(&c);
	return rc;
}

const struct bursar_rules bursar_rules_entry = {
	.abi = BURSAR_RULES_ABI,
	.size = sizeof(struct bursar_rules),
	.name = "central",
	.version = "1.0.0",
	.description = "Centralised model (GAG pooling): pooled GAG less retention is allocated back "
		       "as a lump sum per school plus a share by funded pupils \xc3\x97 need factor",
	.init = central_init,
	.validate_budget = central_validate_budget,
	.apply_year = central_apply_year,
	.fini = central_fini,
};
