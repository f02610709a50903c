/* staff_cost.c - see staff_cost.h */
#include "staff_cost.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bursar_plugin.h"
#include "log.h"
#include "store_staff_cost.h"

/* What the structs point into. */
struct staff_cost_keep {
	struct store_staff_set set;
	struct staff_env env;
	struct db_rows *ents;
};

void staff_cost_free(struct staff_costing *sc)
{
	struct staff_cost_keep *k;

	if (sc == NULL)
		return;
	if ((k = sc->keep) != NULL) {
		store_staff_set_free(&k->set);
		db_rows_free(k->ents);
		free(k);
	}
	staff_trust_year_free(&sc->ty);
	free(sc->ents);
	free(sc->post_ids);
	free(sc->costs);
	free(sc->posts);
	memset(sc, 0, sizeof(*sc));
}

static int staff_cost_ent_cmp(const void *a, const void *b)
{
	return strcmp(((const struct staff_cost_entity *)a)->urn, ((const struct staff_cost_entity *)b)->urn);
}

const struct staff_cost_entity *staff_cost_entity(const struct staff_costing *sc, const char *urn)
{
	struct staff_cost_entity key = { 0 };

	if (sc == NULL || sc->nents == 0 || urn == NULL || strlen(urn) >= sizeof(key.urn))
		return NULL;
	snprintf(key.urn, sizeof(key.urn), "%s", urn);
	return bsearch(&key, sc->ents, sc->nents, sizeof(*sc->ents), staff_cost_ent_cmp);
}

long staff_cost_post_index(const struct staff_costing *sc, int64_t id)
{
	for (size_t i = 0; i < sc->nposts; i++)
		if (sc->post_ids[i] == id)
			return (long)i;
	return -1;
}

/* The entities (store_staff_cost_entities) into sc->ents, sorted by URN. */
static int staff_cost_entities(struct db *db, struct staff_costing *sc, struct staff_cost_keep *k, struct problem *p)
{
	enum { E_URN, E_BY_POST, E_PERIODS, E_PUPILS, E__N };
	static const char *const names[E__N] = { "urn", "staff_by_post", "periods_per_cycle", "pupils" };
	size_t ix[E__N];

	if (store_staff_cost_entities(db, sc->year, &k->ents, p) != 0 || db_columns(k->ents, names, E__N, ix, p) != 0)
		return -1;
	if ((sc->ents = calloc(k->ents->nrows + 1, sizeof(*sc->ents))) == NULL)
		return problem_internal(p);
	for (size_t i = 0; i < k->ents->nrows; i++) {
		struct staff_cost_entity *e = &sc->ents[sc->nents];
		const char *urn = db_cell(k->ents, i, ix[E_URN]);

		if (urn == NULL || strlen(urn) >= sizeof(e->urn))
			continue;
		snprintf(e->urn, sizeof(e->urn), "%s", urn);
		e->staff_by_post = db_cell_i64(k->ents, i, ix[E_BY_POST]) != 0;
		e->periods_per_cycle = db_cell(k->ents, i, ix[E_PERIODS]) != NULL ?
				       (int32_t)db_cell_i64(k->ents, i, ix[E_PERIODS]) : -1;
		e->pupils = db_cell(k->ents, i, ix[E_PUPILS]) != NULL ? (int32_t)db_cell_i64(k->ents, i, ix[E_PUPILS]) :
			    FORECAST_NO_DATA;
		sc->nents++;
	}
	qsort(sc->ents, sc->nents, sizeof(*sc->ents), staff_cost_ent_cmp);
	return 0;
}

struct staff_cost_order {
	struct staff_post post;
	int64_t id;
	int bad;
};

static int staff_cost_order_cmp(const void *a, const void *b)
{
	const struct staff_cost_order *x = a, *y = b;
	int c = strcmp(x->post.urn, y->post.urn);

	return c != 0 ? c : strcmp(x->post.reference, y->post.reference);
}

/* posts[0..n) (ids[], bad[]) copied into sc in URN then reference order, each entity's
 * range set (and unreadable, with why, when one of its posts is bad). */
static int staff_cost_posts(struct staff_costing *sc, const struct staff_post *posts, const int64_t *ids,
			    const unsigned char *bad, size_t n, struct problem *p)
{
	struct staff_cost_order *o = calloc(n + 1, sizeof(*o));

	if (o == NULL || (sc->posts = calloc(n + 1, sizeof(*sc->posts))) == NULL ||
	    (sc->post_ids = calloc(n + 1, sizeof(*sc->post_ids))) == NULL ||
	    (sc->costs = calloc(n + 1, sizeof(*sc->costs))) == NULL) {
		free(o);
		return problem_internal(p);
	}
	for (size_t i = 0; i < n; i++)
		o[i] = (struct staff_cost_order){ posts[i], ids[i], bad[i] };
	qsort(o, n, sizeof(*o), staff_cost_order_cmp);
	for (size_t i = 0; i < n; i++) {
		struct staff_cost_entity *e;

		sc->posts[i] = o[i].post;
		sc->post_ids[i] = o[i].id;
		if ((e = (struct staff_cost_entity *)staff_cost_entity(sc, o[i].post.urn)) == NULL)
			continue;                /* cannot be: a post's entity is a row of schools */
		if (e->n == 0)
			e->first = i;
		e->n++;
		if (o[i].bad && !e->unreadable) {
			e->unreadable = 1;
			snprintf(e->err, sizeof(e->err), "post %s: its point or top point is not on its pay scale %s",
				 o[i].post.reference, o[i].post.scale != NULL ? o[i].post.scale->name : "");
		}
	}
	sc->nposts = n;
	free(o);
	return 0;
}

int staff_cost_read(struct db *db, const char *urn, int year, struct staff_costing *sc, struct problem *p)
{
	struct staff_cost_keep *k;

	memset(sc, 0, sizeof(*sc));
	sc->year = year;
	if (urn != NULL && strcmp(urn, BURSAR_CENTRAL) == 0)
		urn = NULL;                      /* the levy needs every entity's */
	if ((k = sc->keep = calloc(1, sizeof(*k))) == NULL)
		return problem_internal(p);
	if (staff_cost_entities(db, sc, k, p) != 0 || store_staff_cost_load(db, urn, &k->set, p) != 0 ||
	    staff_cost_posts(sc, k->set.posts, k->set.post_ids, k->set.bad, k->set.nposts, p) != 0)
		return -1;
	k->env = (struct staff_env){ .rates = k->set.rates, .nrates = k->set.nrates, .lgps = k->set.lgps,
				     .nlgps = k->set.nlgps };
	return 0;
}

const struct staff_scale *staff_cost_scale(const struct staff_costing *sc, const char *name)
{
	const struct staff_cost_keep *k = sc->keep;

	for (size_t i = 0; k != NULL && i < k->set.nscales; i++)
		if (strcmp(k->set.scales[i].name, name) == 0)
			return &k->set.scales[i];
	return NULL;
}

const struct staff_env *staff_cost_env(const struct staff_costing *sc)
{
	return &((const struct staff_cost_keep *)sc->keep)->env;
}

const char *staff_cost_failure(const struct staff_costing *sc, const char *urn)
{
	const struct staff_cost_entity *e;

	if (sc == NULL)
		return NULL;
	if (sc->failed)
		return sc->err;
	return (e = staff_cost_entity(sc, urn)) != NULL && e->failed ? e->err : NULL;
}

/*
 * The trust's costing failed: each entity's posts costed alone to find the ones
 * that fail (failed, err), then every other entity's together (the levy over
 * theirs), their costs put back in place. 0, or -1 (out of memory, or the rest
 * failing too: sc->err).
 */
static int staff_cost_isolate(struct staff_costing *sc, const struct staff_env *env, int year)
{
	struct staff_post *ok = calloc(sc->nposts + 1, sizeof(*ok));
	struct staff_cost *okc = calloc(sc->nposts + 1, sizeof(*okc));
	size_t *at = calloc(sc->nposts + 1, sizeof(*at)), n = 0;
	struct staff_trust_year t;
	int rc = -1;

	if (ok == NULL || okc == NULL || at == NULL) {
		snprintf(sc->err, sizeof(sc->err), "out of memory");
		goto out;
	}
	for (size_t i = 0; i < sc->nents; i++) {
		struct staff_cost_entity *e = &sc->ents[i];

		if (e->n == 0 || e->failed)      /* none, or unreadable */
			continue;
		memset(&t, 0, sizeof(t));
		e->failed = staff_cost_trust_posts(sc->posts + e->first, e->n, env, year, sc->costs + e->first, &t,
						   e->err, sizeof(e->err)) != 0;
		staff_trust_year_free(&t);
		if (e->failed) {
			log_warn("staffing: the posts of %s cannot be costed for %d: %s", e->urn, year, e->err);
			memset(sc->costs + e->first, 0, e->n * sizeof(*sc->costs));
			continue;
		}
		for (size_t k = e->first; k < e->first + e->n; k++) {
			at[n] = k;
			ok[n++] = sc->posts[k];
		}
	}
	if (n > 0 && staff_cost_trust_posts(ok, n, env, year, okc, &sc->ty, sc->err, sizeof(sc->err)) != 0)
		goto out;
	for (size_t k = 0; k < n; k++)
		sc->costs[at[k]] = okc[k];
	rc = 0;
out:
	free(ok);
	free(okc);
	free(at);
	return rc;
}

int staff_cost_run(struct staff_costing *sc, const struct staff_env *env, int year)
{
	const struct staff_cost_keep *k = sc->keep;
	int unreadable = 0;

	sc->year = year;
	sc->failed = 0;
	sc->err[0] = '\0';
	staff_trust_year_free(&sc->ty);
	if (sc->nposts > 0)
		memset(sc->costs, 0, sc->nposts * sizeof(*sc->costs));
	if (env == NULL)
		env = &k->env;
	if (sc->nposts == 0)
		return 0;
	for (size_t i = 0; i < sc->nents; i++) {
		sc->ents[i].failed = sc->ents[i].unreadable;
		unreadable |= sc->ents[i].unreadable;
	}
	if (env->nrates == 0)
		snprintf(sc->err, sizeof(sc->err), "there are no staff rates (on-costs by tax year): the finance "
			 "director sets them under staff rates");
	else if (!unreadable && staff_cost_trust_posts(sc->posts, sc->nposts, env, year, sc->costs, &sc->ty, sc->err,
						       sizeof(sc->err)) == 0)
		return 0;
	else if ((staff_trust_year_free(&sc->ty), staff_cost_isolate(sc, env, year)) == 0)
		return 0;
	log_warn("staffing: the posts cannot be costed for %d: %s", year, sc->err);
	sc->failed = 1;
	staff_trust_year_free(&sc->ty);
	return -1;
}

int staff_cost_load(struct db *db, const char *urn, int year, struct staff_costing *sc, struct problem *p)
{
	if (staff_cost_read(db, urn, year, sc, p) != 0)
		return -1;
	(void)staff_cost_run(sc, NULL, year);   /* a failure is sc->failed */
	return 0;
}

int staff_cost_metrics(const struct staff_costing *sc, const char *urn, int64_t expenditure,
		       struct staff_metrics *m)
{
	const struct staff_cost_entity *e = staff_cost_entity(sc, urn);

	if (e == NULL || e->n == 0 || staff_cost_failure(sc, urn) != NULL)
		return 0;
	staff_metrics_compute(sc->posts + e->first, sc->costs + e->first, e->n, e->pupils, e->periods_per_cycle,
			      expenditure, m);
	return 1;
}
