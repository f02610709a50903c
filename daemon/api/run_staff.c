/* run_staff.c - see run_staff.h */
#include "run_staff.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "date.h"
#include "jsonout.h"
#include "log.h"
#include "staff_lines.h"

static const struct staff_scale *rs_scale(const void *arg, const char *name)
{
	return staff_cost_scale(arg, name);
}

/* Whether urn plans its staff by post in this run. */
static int rs_planning(const struct run_staff *st, const struct scenario *s, const char *urn)
{
	const struct staff_cost_entity *e = staff_cost_entity(&st->sc, urn);
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

/* What the posts were costed from, one line a post (the figures are in the items). NULL: no memory. */
static char *rs_basis(const struct run_staff *st)
{
	size_t cap = 256 + st->nposts * 200, o = 0;
	char *b = malloc(cap);

	if (b == NULL)
		return NULL;
	o += (size_t)snprintf(b + o, cap - o, "posts %zu changes %zu\n", st->nposts, st->env.nchanges);
	for (size_t i = 0; i < st->nposts && o < cap; i++) {
		const struct staff_post *q = &st->posts[i];

		o += (size_t)snprintf(b + o, cap - o, "%s|%s|%s|%s|%zu|%zu|%d|%d|%d|%lld|%d|%c|%ld|%ld|%zu\n", q->urn,
				      q->reference, q->code, q->scale->name, q->point, q->top, q->point_year,
				      (int)q->fte_h, (int)q->paid_weeks_h, (long long)q->allowances_pence, (int)q->pension,
				      q->ni_category, (long)q->start, (long)q->end, q->nfte_changes);
		for (size_t k = 0; k < q->nfte_changes && o < cap; k++)
			o += (size_t)snprintf(b + o, cap - o, " fte %ld %d\n", (long)q->fte_changes[k].from,
					      (int)q->fte_changes[k].fte_h);
	}
	return b;
}

/* Posts (pointers into one array) by urn, then their place in the array. */
static int rs_order_cmp(const void *a, const void *b)
{
	const struct staff_post *x = *(const struct staff_post *const *)a, *y = *(const struct staff_post *const *)b;
	int c = strcmp(x->urn, y->urn);

	return c != 0 ? c : (x > y) - (x < y);
}

int run_staff_load(struct req *r, const struct scenario *s, const struct forecast_assumptions *a,
		   struct run_staff *st, struct problem *p)
{
	struct staff_cost *costs = NULL;
	size_t cap = 0, nany = 0;
	char err[400], y[8];
	int rc = -1;

	memset(st, 0, sizeof(*st));
	if (staff_cost_read(r->db, NULL, a->base_year, &st->sc, p) != 0 ||
	    scenario_apply_posts(s, st->sc.posts, st->sc.nposts, rs_scale, &st->sc, &st->sp, p) != 0)
		return -1;
	for (size_t i = 0; i < st->sc.nents; i++)
		nany += rs_planning(st, s, st->sc.ents[i].urn) != 0;
	if (nany == 0)
		return 0;
	if ((st->posts = calloc(st->sp.n + 1, sizeof(*st->posts))) == NULL ||
	    (st->changes = calloc(s->nrate_changes + 1, sizeof(*st->changes))) == NULL ||
	    (costs = calloc(st->sp.n + 1, sizeof(*costs))) == NULL)
		goto nomem;
	for (size_t i = 0; i < st->sp.n; i++)
		if (rs_planning(st, s, st->sp.posts[i].urn))
			st->posts[st->nposts++] = st->sp.posts[i];
	st->horizon = a->horizon;
	if ((st->yc = calloc(st->nposts * (size_t)(a->horizon + 1) + 1, sizeof(*st->yc))) == NULL ||
	    (st->order = calloc(st->nposts + 1, sizeof(*st->order))) == NULL)
		goto nomem;
	for (size_t i = 0; i < st->nposts; i++)
		st->order[i] = &st->posts[i];
	qsort(st->order, st->nposts, sizeof(*st->order), rs_order_cmp);
	for (size_t i = 0; i < s->nrate_changes; i++) {
		const struct scenario_rate_change *c = &s->rate_changes[i];

		st->changes[i] = (struct staff_rate_change){ .scheme = c->lgps ? SP_LGPS : SP_TPS, .from = c->from,
							     .rate_bp = c->rate_bp };
		snprintf(st->changes[i].urn, sizeof(st->changes[i].urn), "%s", c->urn);
	}
	rs_awards(a, &st->aw);
	st->env = *staff_cost_env(&st->sc);
	st->env.changes = st->changes;
	st->env.nchanges = s->nrate_changes;
	st->env.awards = &st->aw;
	if (st->env.nrates == 0 && st->nposts > 0) {
		problem_set(p, 422, "validation", "Validation failed", "the posts of the entities planning by post cannot "
			    "be costed: there are no staff rates (on-costs by tax year)");
		goto out;
	}
	for (int k = 0; k <= a->horizon && st->nposts > 0; k++) {
		struct staff_trust_year ty;

		if (staff_cost_trust_posts(st->posts, st->nposts, &st->env, a->base_year + k, costs, &ty, err,
					   sizeof(err)) != 0) {
			staff_trust_year_free(&ty);
			acyear_format(a->base_year + k, y, sizeof(y));
			problem_set(p, 422, "validation", "Validation failed", "the posts cannot be costed for %s: %s", y, err);
			goto out;
		}
		for (size_t i = 0; i < st->nposts; i++)
			st->yc[(size_t)k * st->nposts + i] = (struct run_staff_year){ .total = costs[i].total,
				.fte_h = costs[i].fte_h, .active_months = costs[i].active_months };
		for (size_t i = 0; i < ty.nlines; i++) {
			const struct staff_line *l = &ty.lines[i];
			struct forecast_staff *it = rs_item(st, &cap, l->urn, l->code);

			if (it == NULL) {
				staff_trust_year_free(&ty);
				goto nomem;
			}
			it->pence[k] = l->total;
			it->pay[k] = l->pay;
			it->ni[k] = l->ni;
			it->pension[k] = l->pension;
			it->posts[k] = l->posts;
			it->fte_h[k] = l->fte_h;
		}
		staff_trust_year_free(&ty);
	}
	rs_link(st);
	if ((st->basis = rs_basis(st)) == NULL)
		goto nomem;
	rc = 0;
	goto out;
nomem:
	problem_internal(p);
out:
	free(costs);
	return rc;
}

void run_staff_free(struct run_staff *st)
{
	if (st == NULL)
		return;
	staff_cost_free(&st->sc);
	scenario_apply_posts_free(&st->sp);
	free(st->posts);
	free(st->changes);
	free(st->items);
	free(st->keys);
	free(st->basis);
	free(st->yc);
	free(st->order);
	memset(st, 0, sizeof(*st));
}

int run_staff_metrics(const struct run_staff *st, const char *urn, int k, int32_t pupils, int64_t expenditure,
		      struct staff_metrics *m)
{
	const struct staff_cost_entity *e = staff_cost_entity(&st->sc, urn);
	struct staff_post *posts;
	struct staff_cost *costs;
	size_t lo = 0, hi = st->nposts, n = 0;

	if (st->yc == NULL || k < 0 || k > st->horizon)
		return 0;
	while (lo < hi) {                        /* the first of urn's posts in order */
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(st->order[mid]->urn, urn) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	while (lo + n < st->nposts && strcmp(st->order[lo + n]->urn, urn) == 0)
		n++;
	if (n == 0)
		return 0;
	posts = calloc(n, sizeof(*posts));
	costs = calloc(n, sizeof(*costs));
	if (posts == NULL || costs == NULL) {
		free(posts);
		free(costs);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		size_t j = (size_t)(st->order[lo + i] - st->posts);
		const struct run_staff_year *y = &st->yc[(size_t)k * st->nposts + j];

		posts[i] = st->posts[j];
		costs[i].total = y->total;
		costs[i].fte_h = y->fte_h;
		costs[i].active_months = y->active_months;
	}
	staff_metrics_compute(posts, costs, n, pupils >= 0 ? pupils : FORECAST_NO_DATA,
			      e != NULL ? e->periods_per_cycle : -1, expenditure, m);
	free(posts);
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
