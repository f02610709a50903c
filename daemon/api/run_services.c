/* run_services.c - the shared services' costs for a forecast run; see run_services.h */
#include "run_services.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "date.h"
#include "price.h"
#include "log.h"
#include "money.h"
#include "svcyear.h"

#define FS_LABEL 240

/* One (entity, code) with its strings. */
struct fs_item {
	char urn[8];
	char code[9];
	char label[FS_LABEL];
	int64_t pence[FORECAST_NY];
};

/* The (entity, code) items, found by a hash of both: a trust of 1,000 schools
 * taking a few traded services has thousands of them, looked up for every
 * subscription of every year. */
struct fs_items {
	struct fs_item *v;
	size_t n, cap;
	size_t *slot;                            /* item index + 1; 0: empty (a power of two, > 2n) */
	size_t nslot;
};

static size_t fs_hash(const char *urn, const char *code)
{
	size_t h = 2166136261u;                  /* FNV-1a */

	for (const char *c = urn; *c != '\0'; c++)
		h = (h ^ (unsigned char)*c) * 16777619u;
	h = (h ^ 0xffu) * 16777619u;
	for (const char *c = code; *c != '\0'; c++)
		h = (h ^ (unsigned char)*c) * 16777619u;
	return h;
}

/* The slot where (urn, code) is, or the empty one where it would go. */
static size_t *fs_slot(const struct fs_items *s, const char *urn, const char *code)
{
	size_t mask = s->nslot - 1, h = fs_hash(urn, code) & mask;

	while (s->slot[h] != 0) {
		const struct fs_item *it = &s->v[s->slot[h] - 1];

		if (strcmp(it->urn, urn) == 0 && strcmp(it->code, code) == 0)
			break;
		h = (h + 1) & mask;
	}
	return &s->slot[h];
}

/* Twice the slots, the items placed again. 0, or -1. */
static int fs_grow(struct fs_items *s)
{
	size_t nslot = s->nslot ? s->nslot * 2 : 256, *old = s->slot, oldn = s->nslot;

	if ((s->slot = calloc(nslot, sizeof(*s->slot))) == NULL) {
		s->slot = old;
		return -1;
	}
	s->nslot = nslot;
	for (size_t i = 0; i < oldn; i++)
		if (old[i] != 0)
			*fs_slot(s, s->v[old[i] - 1].urn, s->v[old[i] - 1].code) = old[i];
	free(old);
	return 0;
}

/* The item of (urn, code), added when new, with the service's name in its label. NULL: no memory. */
static struct fs_item *fs_item(struct fs_items *s, const char *urn, const char *code, const char *name)
{
	struct fs_item *it;
	size_t *slot;

	if (2 * (s->n + 1) > s->nslot && fs_grow(s) != 0)
		return NULL;
	slot = fs_slot(s, urn, code);
	if (*slot == 0) {
		if (s->n == s->cap) {
			size_t nc = s->cap ? s->cap * 2 : 64;
			struct fs_item *ni = realloc(s->v, nc * sizeof(*ni));

			if (ni == NULL)
				return NULL;
			s->v = ni;
			s->cap = nc;
		}
		it = &s->v[s->n++];
		memset(it, 0, sizeof(*it));
		snprintf(it->urn, sizeof(it->urn), "%s", urn);
		snprintf(it->code, sizeof(it->code), "%s", code);
		*slot = s->n;
	}
	it = &s->v[*slot - 1];
	if (strstr(it->label, name) == NULL) {
		size_t o = strlen(it->label);

		snprintf(it->label + o, sizeof(it->label) - o, "%s%s", o ? "; " : "", name);
	}
	return it;
}

/* The forecast's pricing basis (price.h): the trust's index history up to the
 * base year, the scenario's indices after it, re-procurement at the scenario's
 * retender change (the years before the first forecast year take the base
 * year's, those after the horizon its last). */
struct fs_basis {
	struct price_series scenario[FORECAST_MAX_INDICES];
	int32_t retender[PRICE_YEARS];
	struct price_basis b;
};

static void fs_basis_init(struct fs_basis *fb, const struct forecast_assumptions *a, const struct svcyear *base,
			  int32_t default_bp)
{
	for (size_t i = 0; i < a->nindices && i < FORECAST_MAX_INDICES; i++) {
		struct price_series *s = &fb->scenario[i];

		snprintf(s->name, sizeof(s->name), "%s", a->indices[i].name);
		for (int y = 0; y < PRICE_YEARS; y++)
			s->bp[y] = PRICE_NO_VALUE;
		for (int k = 1; k <= a->horizon; k++)
			if (a->base_year + k - PRICE_FIRST_YEAR >= 0 && a->base_year + k - PRICE_FIRST_YEAR < PRICE_YEARS)
				s->bp[a->base_year + k - PRICE_FIRST_YEAR] = a->indices[i].bp[k];
	}
	for (int y = 0; y < PRICE_YEARS; y++) {
		int k = PRICE_FIRST_YEAR + y - a->base_year;

		fb->retender[y] = a->retender_bp[k < 0 ? 0 : k > a->horizon ? a->horizon : k];
	}
	fb->b = (struct price_basis){
		.history = base->rates.history != NULL ? base->rates.history->series : NULL,
		.nhistory = base->rates.history != NULL ? base->rates.history->n : 0,
		.history_to = a->base_year, .scenario = fb->scenario, .nscenario = a->nindices,
		.retender_bp = fb->retender, .default_bp = default_bp,
	};
}

/* A service's cost in year k (0: the base year) under the forecast's basis: its
 * contract priced by the one pricing function, or its entered cost (the current
 * academic year's) raised by cpi (price_entered_year), as the register prices
 * them. *ended: the contract was terminated and this year lost months to it. */
static int fs_cost(const struct svcyear_rates *rates, const struct fs_basis *fb, const struct svcyear *sy,
		   const struct svcyear_service *sv, int year, int64_t *cost, int *ended)
{
	const char *net = db_get(sy->srows, sv->row, "annual_cost_pence");
	const char *vat = db_get(sy->srows, sv->row, "annual_vat_pence");
	struct service_cost c;
	int rc;

	*ended = 0;
	if (sv->has_contract) {
		rc = service_contract_cost(&sv->pc, &fb->b, year, rates->vat_recoverable_bp, &c);
		*ended = rc == 0 && sv->pc.end == PRICE_TERMINATED && c.months < 12 &&
			 date_from_ymd(year + 1, 9, 1) - 1 > sv->pc.ended_on;
	} else {
		rc = service_entered_cost(net != NULL ? strtoll(net, NULL, 10) : 0, vat != NULL ? strtoll(vat, NULL, 10) : 0,
					  acyear_of(rates->today), &fb->b, year, rates->vat_recoverable_bp, &c);
	}
	if (rc == 0)
		*cost = c.cost_pence;
	return rc;
}

int run_services_load(struct req *r, const struct forecast_assumptions *a, struct run_services *out,
		      struct problem *p)
{
	struct fs_items items = { 0 };
	struct svcyear span[FORECAST_NY];
	struct fs_basis *fb = NULL;
	int rc = -1, loaded = 0;

	memset(out, 0, sizeof(*out));
	if (a->horizon < 1 || a->horizon > FORECAST_MAX_HORIZON) {
		problem_internal(p);
		goto out;
	}
	/* the base year too: S[Y0], priced the same way (DESIGN.md, services) */
	if (svcyear_load_span(r->db, svcyear_rates_of(r->cfg), a->base_year, a->horizon + 1, span, p) != 0)
		goto out;
	loaded = 1;
	if ((fb = calloc(1, sizeof(*fb))) == NULL)
		goto nomem;
	fs_basis_init(fb, a, &span[0], r->cfg->procurement.indexation_bp);
	for (int k = 0; k <= a->horizon; k++) {
		struct svcyear *sy = &span[k];

		for (size_t v = 0; v < sy->nsvc; v++) {
			struct svcyear_service *sv = &sy->svc[v];
			const char *code = db_get(sy->srows, sv->row, "account_code");
			struct service_alloc al;
			struct fs_item *it;
			int64_t cost;
			int ended;
			char name[FS_LABEL], d[16];

			if (fs_cost(&sy->rates, fb, sy, sv, a->base_year + k, &cost, &ended) != 0) {
				log_err("forecasts: service %lld: its cost overflows", (long long)sv->id);
				problem_internal(p);
				goto out;
			}
			/* a terminated contract: the line's explanation says the cost stops */
			snprintf(name, sizeof(name), "%s", sv->name);
			if (ended) {
				date_format(sv->pc.ended_on, d, sizeof(d));
				snprintf(name, sizeof(name), "%s (contract %s terminated on %s; no replacement recorded)",
					 sv->name, db_get(sy->srows, sv->row, "reference"), d);
			}
			if (sv->core) {
				if ((it = fs_item(&items, BURSAR_CENTRAL, code, name)) == NULL)
					goto nomem;
				it->pence[k] += cost;
				continue;
			}
			if (service_allocate(sv->basis, cost, sy->subs + sv->first, sv->nsubs, a->base_year + k, &al) != 0) {
				problem_internal(p);
				goto out;
			}
			for (size_t j = 0; j < sv->nsubs; j++) {
				const struct service_sub *sub = &sy->subs[sv->first + j];

				if (sub->pence == 0 && sub->months == 0)
					continue;
				if ((it = fs_item(&items, sub->school->urn, code, name)) == NULL)
					goto nomem;
				it->pence[k] += sub->pence;
			}
		}
		out->nservices = sy->nsvc > out->nservices ? sy->nsvc : out->nservices;
	}
	if ((out->items = calloc(items.n + 1, sizeof(*out->items))) == NULL)
		goto nomem;
	out->store = (char *)items.v;
	items.v = NULL;
	for (size_t i = 0; i < items.n; i++) {
		struct fs_item *it = &((struct fs_item *)out->store)[i];

		out->items[i].urn = it->urn;
		out->items[i].code = it->code;
		out->items[i].label = it->label;
		memcpy(out->items[i].pence, it->pence, sizeof(it->pence));
	}
	out->n = items.n;
	rc = 0;
	goto out;
nomem:
	problem_internal(p);
out:
	if (loaded)
		svcyear_span_free(span, a->horizon + 1);
	free(fb);
	free(items.v);
	free(items.slot);
	if (rc != 0)
		run_services_free(out);
	return rc;
}

void run_services_free(struct run_services *s)
{
	free(s->items);
	free(s->store);
	memset(s, 0, sizeof(*s));
}
