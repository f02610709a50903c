/* run_staff.c - see run_staff.h */
#include "run_staff.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bursar_plugin.h"
#include "date.h"
#include "jsonout.h"
#include "log.h"
#include "money.h"
#include "staff_lines.h"
#include "strbuf.h"

static const struct staff_scale *rs_scale(const void *arg, const char *name)
{
	return staff_cost_scale(arg, name);
}

/* Whether urn plans its staff by post in this run. */
static int rs_planning(const struct staff_costing *sc, const struct scenario *s, const char *urn)
{
	const struct staff_cost_entity *e = staff_cost_entity(sc, urn);
	int o = scenario_staff_by_post_of(s, urn);

	return o >= 0 ? o : e != NULL && e->staff_by_post;
}

/* The scenario's awards as core takes them (awards after the scales' data only). */
static void rs_awards(const struct forecast_assumptions *a, struct staff_awards *aw)
{
	memset(aw, 0, sizeof(*aw));
	aw->base_year = a->base_year;
	/* [k]: September Y0+k; [0] is in the base year's data */
	for (int k = 1; k <= a->horizon; k++)
		aw->teacher_bp[k] = a->teacher_pay_bp[k];
	/* [k]: April Y0+k (pay year Y0+k); April Y0+1 is the base year's own April award,
	 * support_pay_bp[k] the April inside academic year Y0+k (April Y0+k+1) */
	aw->support_bp[1] = a->base_support_pay_bp;
	for (int k = 1; k <= a->horizon && k + 1 <= FORECAST_NY; k++)
		aw->support_bp[k + 1] = a->support_pay_bp[k];
}

static int rs_key_cmp(char (*k)[8], const char *urn, const char *code)
{
	int c = strcmp(k[0], urn);

	return c != 0 ? c : strcmp(k[1], code);
}

/* The item of (urn, code), added in its place when new (the items by urn, then code, as
 * the keys; their pointers are set at the end: rs_link). NULL: no memory. */
static struct forecast_staff *rs_item(struct run_staff *st, size_t *cap, const char *urn, const char *code)
{
	size_t lo = 0, hi = st->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = rs_key_cmp(st->keys[mid], urn, code);

		if (c == 0)
			return &st->items[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (st->n == *cap) {
		size_t nc = *cap ? *cap * 2 : 64;
		struct forecast_staff *ni = realloc(st->items, nc * sizeof(*ni));
		char (*nk)[2][8];

		if (ni == NULL)
			return NULL;
		st->items = ni;
		if ((nk = realloc(st->keys, nc * sizeof(*nk))) == NULL)
			return NULL;
		st->keys = nk;
		*cap = nc;
	}
	memmove(&st->items[lo + 1], &st->items[lo], (st->n - lo) * sizeof(st->items[0]));
	memmove(&st->keys[lo + 1], &st->keys[lo], (st->n - lo) * sizeof(st->keys[0]));
	memset(&st->items[lo], 0, sizeof(st->items[0]));
	snprintf(st->keys[lo][0], 8, "%s", urn);
	snprintf(st->keys[lo][1], 8, "%s", code);
	st->n++;
	return &st->items[lo];
}

/* Each item's urn and code pointed at its keys. */
static void rs_link(struct run_staff *st)
{
	for (size_t i = 0; i < st->n; i++) {
		st->items[i].urn = st->keys[i][0];
		st->items[i].code = st->keys[i][1];
	}
}

/* What the posts were costed from: the entities (planning, left out), one line a post
 * of those costed (the figures are in the items and the measures). NULL: no memory. */
static char *rs_basis(const struct run_staff *st)
{
	struct strbuf b;

	if (strbuf_init(&b, 256 + st->nposts * 96) != 0)
		return NULL;
	strbuf_printf(&b, "posts %zu changes %zu\n", st->nposts, st->env.nchanges);
	for (size_t e = 0; e < st->nents; e++) {
		const struct run_staff_entity *x = &st->ents[e];

		strbuf_printf(&b, "entity %s %zu %d %d\n", x->urn, x->n, x->planning, x->failed);
		for (size_t i = x->first; i < x->first + x->n && !x->failed; i++) {
			const struct staff_post *q = &st->posts[i];

			strbuf_printf(&b, "%s|%s|%s|%s|%zu|%zu|%d|%d|%d|%lld|%d|%c|%ld|%ld|%d|%ld|%zu\n", q->urn,
				      q->reference, q->code, q->scale != NULL ? q->scale->name : "", q->point, q->top,
				      q->point_year, (int)q->fte_h, (int)q->paid_weeks_h, (long long)q->allowances_pence,
				      (int)q->pension, q->ni_category, (long)q->start, (long)q->end, (int)q->role,
				      (long)q->periods_taught, q->nfte_changes);
			for (size_t k = 0; k < q->nfte_changes; k++)
				strbuf_printf(&b, " fte %ld %d\n", (long)q->fte_changes[k].from, (int)q->fte_changes[k].fte_h);
		}
	}
	return strbuf_take(&b);
}

/* Posts by urn, then their place in the run's copy (live posts before new ones). */
static int rs_order_cmp(const void *a, const void *b)
{
	const struct staff_post *x = *(const struct staff_post *const *)a, *y = *(const struct staff_post *const *)b;
	int c = strcmp(x->urn, y->urn);

	return c != 0 ? c : (x > y) - (x < y);
}

/* st->posts: the run's copy in urn order, and st->ents: its entities (those of sc;
 * a new post of an entity the trust does not have is not costed). 0, or -1: no memory. */
static int rs_arrange(struct run_staff *st, const struct scenario *s)
{
	const struct staff_post **order = calloc(st->sp.n + 1, sizeof(*order));

	if (order == NULL || (st->posts = calloc(st->sp.n + 1, sizeof(*st->posts))) == NULL ||
	    (st->ents = calloc(st->sp.n + 1, sizeof(*st->ents))) == NULL) {
		free(order);
		return -1;
	}
	for (size_t i = 0; i < st->sp.n; i++)
		order[i] = &st->sp.posts[i];
	qsort(order, st->sp.n, sizeof(*order), rs_order_cmp);
	for (size_t i = 0; i < st->sp.n; i++) {
		const struct staff_cost_entity *live = staff_cost_entity(st->sc, order[i]->urn);
		struct run_staff_entity *e = st->nents > 0 ? &st->ents[st->nents - 1] : NULL;

		if (live == NULL)
			continue;
		if (e == NULL || strcmp(e->urn, live->urn) != 0) {
			e = &st->ents[st->nents++];
			*e = (struct run_staff_entity){ .urn = live->urn, .first = st->nposts, .live = live,
							.planning = rs_planning(st->sc, s, live->urn),
							.failed = live->unreadable };
		}
		st->posts[st->nposts++] = *order[i];
		e->n++;
	}
	free(order);
	return 0;
}

/* The run's entity of urn, or NULL. */
static const struct run_staff_entity *rs_entity(const struct run_staff *st, const char *urn)
{
	size_t lo = 0, hi = st->nents;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(st->ents[mid].urn, urn);

		if (c == 0)
			return &st->ents[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* An entity planning by post whose posts cannot be costed: the run's 422. */
static int rs_refuse(const struct run_staff_entity *e, int year, const char *why, struct problem *p)
{
	char y[8];

	acyear_format(year, y, sizeof(y));
	return problem_set(p, 422, "validation", "Validation failed", "the posts of %s cannot be costed for %s: %s",
			   strcmp(e->urn, BURSAR_CENTRAL) == 0 ? "the central team" : e->urn, y, why);
}

/*
 * Year `year` of every entity not left out, together (the levy and allowance over
 * them all): their costs into costs[] (st->posts' order; 0 for those left out) and
 * *ty. 0; 1 when an entity's posts failed and it is now left out (the caller starts
 * again, so every year leaves out the same entities); -1 with the problem set.
 */
static int rs_cost_year(struct run_staff *st, int year, struct staff_post *buf, size_t *at, struct staff_cost *tmp,
			struct staff_cost *costs, struct staff_trust_year *ty, struct problem *p)
{
	char err[400], y[8];
	size_t n = 0;
	int left_out = 0;

	memset(costs, 0, (st->nposts + 1) * sizeof(*costs));
	for (size_t e = 0; e < st->nents; e++)
		for (size_t i = st->ents[e].first; !st->ents[e].failed && i < st->ents[e].first + st->ents[e].n; i++) {
			at[n] = i;
			buf[n++] = st->posts[i];
		}
	if (staff_cost_trust_posts(buf, n, &st->env, year, tmp, ty, err, sizeof(err)) == 0) {
		for (size_t i = 0; i < n; i++)
			costs[at[i]] = tmp[i];
		return 0;
	}
	/* which entity's posts fail: each alone */
	for (size_t e = 0; e < st->nents; e++) {
		struct run_staff_entity *x = &st->ents[e];
		struct staff_trust_year one;
		char why[400];

		if (x->failed)
			continue;
		if (staff_cost_trust_posts(st->posts + x->first, x->n, &st->env, year, tmp, &one, why, sizeof(why)) == 0)
			continue;
		if (x->planning)
			return rs_refuse(x, year, why, p);
		log_warn("forecasts: the posts of %s cannot be costed for %d (left out of the measures and the levy): %s",
			 x->urn, year, why);
		x->failed = 1;
		left_out = 1;
	}
	if (left_out)
		return 1;
	acyear_format(year, y, sizeof(y));
	return problem_set(p, 422, "validation", "Validation failed", "the posts cannot be costed for %s: %s", y, err);
}

/* Year k's costs into the measures' table and the items (the planning entities' codes,
 * the central team's levy when it plans by post). 0, or -1: no memory. */
static int rs_keep_year(struct run_staff *st, size_t *cap, int k, const struct staff_cost *costs,
			const struct staff_trust_year *ty)
{
	struct forecast_staff *it;

	for (size_t i = 0; i < st->nposts; i++)
		st->yc[(size_t)k * st->nposts + i] = (struct run_staff_year){ .total = costs[i].total,
			.fte_h = costs[i].fte_h, .active_months = costs[i].active_months };
	for (size_t i = 0; i < ty->nlines; i++) {
		const struct staff_line *l = &ty->lines[i];
		const struct run_staff_entity *e = rs_entity(st, l->urn);

		if (e == NULL || !e->planning)
			continue;
		if ((it = rs_item(st, cap, l->urn, l->code)) == NULL)
			return -1;
		it->pence[k] = l->total;
		it->pay[k] = l->pay;
		it->ni[k] = l->ni;
		it->pension[k] = l->pension;
		it->posts[k] = l->posts;
		it->fte_h[k] = l->fte_h;
	}
	if (!st->central_planning)
		return 0;
	if ((it = rs_item(st, cap, BURSAR_CENTRAL, STAFF_LINES_LEVY_CODE)) == NULL)
		return -1;
	it->levy = 1;
	it->levy_pence[k] = ty->levy;
	it->allowance_pence[k] = ty->employment_allowance;
	it->pay[k] = ty->pay_bill;
	return money_add(ty->levy, ty->employment_allowance, &it->pence[k]) != 0 ? -1 : 0;
}

int run_staff_load(const struct staff_costing *sc, const struct scenario *s, const struct forecast_assumptions *a,
		   struct run_staff *st, struct problem *p)
{
	struct staff_cost *costs = NULL, *tmp = NULL;
	struct staff_post *buf = NULL;
	size_t cap = 0, *at = NULL;
	int rc = -1;

	memset(st, 0, sizeof(*st));
	st->sc = sc;
	if (scenario_apply_posts(s, sc->posts, sc->nposts, rs_scale, sc, &st->sp, p) != 0)
		return -1;
	if (rs_arrange(st, s) != 0)
		goto nomem;
	if (st->nposts == 0)
		return 0;
	if ((st->changes = calloc(s->nrate_changes + 1, sizeof(*st->changes))) == NULL)
		goto nomem;
	for (size_t i = 0; i < s->nrate_changes; i++) {
		const struct scenario_rate_change *c = &s->rate_changes[i];

		st->changes[i] = (struct staff_rate_change){ .scheme = c->lgps ? SP_LGPS : SP_TPS, .from = c->from,
							     .rate_bp = c->rate_bp };
		snprintf(st->changes[i].urn, sizeof(st->changes[i].urn), "%s", c->urn);
	}
	rs_awards(a, &st->aw);
	st->env = *staff_cost_env(sc);
	st->env.changes = st->changes;
	st->env.nchanges = s->nrate_changes;
	st->env.awards = &st->aw;
	st->horizon = a->horizon;
	st->central_planning = rs_planning(sc, s, BURSAR_CENTRAL);
	for (size_t e = 0; e < st->nents; e++)
		if (st->ents[e].planning && (st->env.nrates == 0 || st->ents[e].failed))
			return rs_refuse(&st->ents[e], a->base_year, st->env.nrates == 0 ? "there are no staff rates "
					 "(on-costs by tax year)" : st->ents[e].live->err, p);
	if (st->env.nrates == 0)
		return 0;                        /* nothing can be costed: no measures, no entity planning by post */
	if ((st->yc = calloc(st->nposts * (size_t)(a->horizon + 1) + 1, sizeof(*st->yc))) == NULL ||
	    (costs = calloc(st->nposts + 1, sizeof(*costs))) == NULL ||
	    (tmp = calloc(st->nposts + 1, sizeof(*tmp))) == NULL ||
	    (buf = calloc(st->nposts + 1, sizeof(*buf))) == NULL || (at = calloc(st->nposts + 1, sizeof(*at))) == NULL)
		goto nomem;
	for (int k = 0; k <= a->horizon; k++) {
		struct staff_trust_year ty;
		int got = rs_cost_year(st, a->base_year + k, buf, at, tmp, costs, &ty, p);

		if (got < 0)
			goto out;
		if (got > 0) {
			k = -1;                          /* an entity left out: every year again without it */
			continue;
		}
		got = rs_keep_year(st, &cap, k, costs, &ty);
		staff_trust_year_free(&ty);
		if (got != 0)
			goto nomem;
	}
	rs_link(st);
	if ((st->basis = rs_basis(st)) == NULL)
		goto nomem;
	rc = 0;
	goto out;
nomem:
	rc = problem_internal(p);
out:
	free(costs);
	free(tmp);
	free(buf);
	free(at);
	return rc;
}

void run_staff_free(struct run_staff *st)
{
	if (st == NULL)
		return;
	scenario_apply_posts_free(&st->sp);
	free(st->posts);
	free(st->ents);
	free(st->changes);
	free(st->items);
	free(st->keys);
	free(st->basis);
	free(st->yc);
	memset(st, 0, sizeof(*st));
}

int run_staff_metrics(const struct run_staff *st, const char *urn, int k, int32_t pupils, int64_t expenditure,
		      struct staff_metrics *m)
{
	const struct run_staff_entity *e = rs_entity(st, urn);
	struct staff_cost *costs;

	if (st->yc == NULL || k < 0 || k > st->horizon || e == NULL || e->failed || e->n == 0)
		return 0;
	if ((costs = calloc(e->n, sizeof(*costs))) == NULL)
		return -1;
	for (size_t i = 0; i < e->n; i++) {
		const struct run_staff_year *y = &st->yc[(size_t)k * st->nposts + e->first + i];

		costs[i].total = y->total;
		costs[i].fte_h = y->fte_h;
		costs[i].active_months = y->active_months;
	}
	staff_metrics_compute(st->posts + e->first, costs, e->n, pupils >= 0 ? pupils : FORECAST_NO_DATA,
			      e->live->periods_per_cycle, expenditure, m);
	free(costs);
	return 1;
}

void run_staff_measures_free(char **texts, size_t n)
{
	if (texts == NULL)
		return;
	for (size_t i = 0; i < n; i++)
		cJSON_free(texts[i]);
	free(texts);
}

int run_staff_measures(const struct run_staff *st, const struct forecast_result *res, char ***out)
{
	size_t ny = (size_t)res->horizon + 1, n = res->nentities * ny;
	char **t;

	*out = NULL;
	if (st->nposts == 0 || st->yc == NULL)
		return 0;
	if ((t = calloc(n + 1, sizeof(*t))) == NULL)
		return -1;
	for (size_t i = 0; i < res->nentities; i++) {
		const struct forecast_entity *e = &res->entities[i];

		for (int k = 0; k <= res->horizon && k <= st->horizon; k++) {
			struct staff_metrics m;
			cJSON *o;
			int got = run_staff_metrics(st, e->in->urn, k, e->t[k].pupils, e->t[k].expenditure, &m);

			if (got == 0)
				break;
			if (got < 0 || (o = staff_lines_metrics_object(&m)) == NULL)
				goto nomem;
			t[i * ny + (size_t)k] = jsonout_print(o);
			cJSON_Delete(o);
			if (t[i * ny + (size_t)k] == NULL)
				goto nomem;
		}
	}
	*out = t;
	return 0;
nomem:
	run_staff_measures_free(t, n);
	return -1;
}
