/* forecast_rules.c - see forecast_rules.h */
#include "forecast_rules.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "forecast_mem.h"
#include "forecast_report.h"

#define FR_NSUMS 5                           /* gag, dfe_other, la, self_generated, expenditure */
#define FR_CACHE 8                           /* posting account codes remembered */

/* A line excluded from central charges, as the plugins see it each year (copied
 * while the line is in the cache: the views read only the stage's own memory). */
struct fr_xline {
	const char *account, *description;
	int32_t stream, is_income;
	int64_t a[FORECAST_NY];
};

/* A selected entity's figures for the plugins, every year (kept together: a view
 * reads nothing else of the entity). */
struct fr_ent {
	const char *urn, *name;
	int64_t sum[FORECAST_NY][FR_NSUMS];      /* by enum bursar_stream (GAG .. EXPENDITURE) */
	int32_t pupils[FORECAST_NY], places[FORECAST_NY];
	unsigned bad;                            /* bit k: a sum of year k is out of range */
	size_t x0, nx;                           /* its excluded lines: s->x[x0 .. x0 + nx) */
};

/* A posting, kept until the rules have run for every year, in the result's memory:
 * its lines point at pub (plugin: the model's name, borrowed from the input; basis
 * and text: the result's copies). */
struct fr_post {
	struct forecast_post pub;
	const struct forecast_account *pa, *ra;  /* the payer's and the payee's accounts */
	int64_t amount;
	size_t payer, payee;                     /* selected entities */
	int k;
};

struct fr_acc {
	const char *code;
	const struct forecast_account *a;
};

struct forecast_rules_stage {
	const struct forecast_input *in;
	struct forecast_result *r;
	const char **models;
	size_t nmodels;
	int *emodel;                             /* per selected entity */
	size_t *mord, *mfirst;                   /* model m's entities: mord[mfirst[m] .. mfirst[m + 1]) */
	size_t *vpos;                            /* per selected entity: its place in mord */
	int32_t *astream;                        /* per account: enum bursar_stream */
	const struct forecast_account **aord;    /* the accounts sorted by code */
	struct fr_acc cache[FR_CACHE];
	size_t ncache;
	struct fr_acc last[2];                   /* the payer's and the payee's account found last */
	const char **urns;                       /* per selected entity: its URN */
	struct fr_ent *ents;                     /* per selected entity */
	struct fr_xline *x;
	size_t nx, capx;
	struct bursar_entity *view;              /* one year of one model */
	struct bursar_line *vlines;
	struct fr_post **posts;                  /* in the order posted */
	size_t nposts, capp;
	const char *basis;                       /* the last basis copied */
	size_t central;                          /* the central team, or SIZE_MAX */
	size_t hint;                             /* where in the year's view an entity was found last */
	enum forecast_error kind;
	char *err;
	size_t errlen;
};

struct forecast_sink {
	struct forecast_rules_stage *s;
	int k;
	const char *model;
	size_t m;                                /* the model's index */
};

static int __attribute__((format(printf, 3, 4))) fr_fail(struct forecast_rules_stage *s, enum forecast_error kind,
							  const char *fmt, ...)
{
	va_list ap;

	if (s->kind == 0) {
		s->kind = kind;
		va_start(ap, fmt);
		vsnprintf(s->err, s->errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static int fr_nomem(struct forecast_rules_stage *s)
{
	return fr_fail(s, FORECAST_ERR_NOMEM, "out of memory");
}

static int32_t fr_stream_of(const struct forecast_account *a)
{
	if (a->is_internal)
		return BURSAR_STREAM_INTERNAL;
	if (!a->is_income)
		return BURSAR_STREAM_EXPENDITURE;
	if (strcmp(a->group, "gag") == 0)
		return BURSAR_STREAM_GAG;
	if (strcmp(a->group, "dfe_grants") == 0)
		return BURSAR_STREAM_DFE_OTHER;
	if (strcmp(a->group, "la_income") == 0)
		return BURSAR_STREAM_LA;
	return BURSAR_STREAM_SELF;
}

static int fr_acc_cmp(const void *x, const void *y)
{
	const struct forecast_account *a = *(const struct forecast_account *const *)x;
	const struct forecast_account *b = *(const struct forecast_account *const *)y;

	return strcmp(a->code, b->code);
}

void forecast_rules_free(struct forecast_rules_stage *s)
{
	if (s == NULL)
		return;
	free(s->models);
	free(s->emodel);
	free(s->mord);
	free(s->mfirst);
	free(s->vpos);
	free(s->astream);
	free(s->aord);
	free(s->ents);
	free(s->x);
	free(s->view);
	free(s->vlines);
	free(s->posts);
	free(s->urns);
	free(s);
}

struct forecast_rules_stage *forecast_rules_new(const struct forecast_input *in, struct forecast_result *r,
						const char *const *models, size_t nmodels, const int *emodel, char *err,
						size_t errlen)
{
	struct forecast_rules_stage *s = calloc(1, sizeof(*s));
	size_t n = r->nentities, na = in->naccounts;

	if (s == NULL)
		return NULL;
	s->in = in;
	s->r = r;
	s->err = err;
	s->errlen = errlen;
	s->nmodels = nmodels;
	s->central = SIZE_MAX;
	if ((s->models = calloc(nmodels + 1, sizeof(*s->models))) == NULL ||
	    (s->emodel = calloc(n + 1, sizeof(*s->emodel))) == NULL || (s->mord = calloc(n + 1, sizeof(*s->mord))) == NULL ||
	    (s->mfirst = calloc(nmodels + 2, sizeof(*s->mfirst))) == NULL ||
	    (s->vpos = calloc(n + 1, sizeof(*s->vpos))) == NULL ||
	    (s->astream = calloc(na + 1, sizeof(*s->astream))) == NULL ||
	    (s->aord = calloc(na + 1, sizeof(*s->aord))) == NULL || (s->ents = calloc(n + 1, sizeof(*s->ents))) == NULL ||
	    (s->view = calloc(n + 1, sizeof(*s->view))) == NULL || (s->urns = calloc(n + 1, sizeof(*s->urns))) == NULL) {
		forecast_rules_free(s);
		return NULL;
	}
	if (nmodels > 0)
		memcpy(s->models, models, nmodels * sizeof(*models));
	if (n > 0)
		memcpy(s->emodel, emodel, n * sizeof(*emodel));
	/* the entities by model, each model's in entity order (sorted by URN) */
	for (size_t i = 0; i < n; i++) {
		s->urns[i] = r->entities[i].in->urn;
		if (s->emodel[i] >= 0)
			s->mfirst[s->emodel[i] + 1]++;
		if (r->entities[i].in->is_central && s->central == SIZE_MAX)
			s->central = i;
	}
	for (size_t m = 0; m < nmodels; m++)
		s->mfirst[m + 1] += s->mfirst[m];
	{
		size_t *at = calloc(nmodels + 1, sizeof(*at));

		if (at == NULL) {
			forecast_rules_free(s);
			return NULL;
		}
		for (size_t i = 0; i < n; i++)
			if (s->emodel[i] >= 0) {
				s->vpos[i] = s->mfirst[s->emodel[i]] + at[s->emodel[i]]++;
				s->mord[s->vpos[i]] = i;
			}
		free(at);
	}
	for (size_t i = 0; i < na; i++) {
		s->astream[i] = fr_stream_of(&in->accounts[i]);
		s->aord[i] = &in->accounts[i];
	}
	if (na > 1)
		qsort(s->aord, na, sizeof(*s->aord), fr_acc_cmp);
	return s;
}

enum forecast_error forecast_rules_error(const struct forecast_rules_stage *s)
{
	return s->kind;
}

/* ---- the plugins' view ---- */

int forecast_rules_entity(struct forecast_rules_stage *s, size_t i, int last)
{
	const struct forecast_entity *e = &s->r->entities[i];
	struct fr_ent *fe = &s->ents[i];

	if (s->emodel[i] < 0)
		return 0;
	fe->urn = e->in->urn;
	fe->name = e->in->name != NULL ? e->in->name : "";
	for (int k = 0; k <= last; k++) {
		fe->pupils[k] = e->n[k + 1] > 0 ? e->n[k + 1] : 0;      /* funded: last October's census */
		fe->places[k] = e->places[k + 2] > 0 ? e->places[k + 2] : 0;
	}
	fe->x0 = s->nx;
	for (size_t j = 0; j < e->nlines; j++) {
		const struct forecast_line *l = &e->lines[j];
		int32_t st = s->astream[l->account - s->in->accounts];

		if (l->origin == FO_POSTING || st == BURSAR_STREAM_INTERNAL)
			continue;
		for (int k = 0; k <= last; k++)             /* money_add, inline */
			if (!(fe->bad & (1u << k)) && __builtin_add_overflow(fe->sum[k][st], l->a[k], &fe->sum[k][st]))
				fe->bad |= 1u << k;
		if (!l->excluded)
			continue;
		if (s->nx == s->capx) {
			size_t cap = s->capx ? s->capx * 2 : 64;
			struct fr_xline *nx = realloc(s->x, cap * sizeof(*nx));

			if (nx == NULL)
				return fr_nomem(s);
			s->x = nx;
			s->capx = cap;
		}
		s->x[s->nx] = (struct fr_xline){ .account = l->account->code, .description = l->description,
						 .stream = st, .is_income = l->account->is_income };
		memcpy(s->x[s->nx++].a, l->a, (size_t)(last + 1) * sizeof(l->a[0]));
	}
	fe->nx = s->nx - fe->x0;
	return 0;
}

/* Model m's year k into y: its entities' figures and excluded lines. 0, or -1 (a sum out of range). */
static int fr_view(struct forecast_rules_stage *s, size_t m, int k, struct bursar_year *y)
{
	size_t nx = 0;

	for (size_t o = s->mfirst[m]; o < s->mfirst[m + 1]; o++) {
		const struct fr_ent *fe = &s->ents[s->mord[o]];
		struct bursar_entity *be = &s->view[y->nentities++];

		memset(be, 0, sizeof(*be));
		be->urn = fe->urn;
		be->name = fe->name;
		be->pupils = fe->pupils[k];
		be->places = fe->places[k];
		be->excluded = s->vlines + nx;
		be->excluded_size = sizeof(struct bursar_line);
		if (fe->bad & (1u << k))
			return fr_fail(s, FORECAST_ERR_INPUT, "%s: amounts out of range", fe->urn);
		be->gag_pence = fe->sum[k][BURSAR_STREAM_GAG];
		be->dfe_other_pence = fe->sum[k][BURSAR_STREAM_DFE_OTHER];
		be->la_pence = fe->sum[k][BURSAR_STREAM_LA];
		be->self_generated_pence = fe->sum[k][BURSAR_STREAM_SELF];
		be->expenditure_pence = fe->sum[k][BURSAR_STREAM_EXPENDITURE];
		for (size_t j = fe->x0; j < fe->x0 + fe->nx; j++) {
			const struct fr_xline *x = &s->x[j];

			s->vlines[nx++] = (struct bursar_line){
				.account = x->account, .description = x->description, .stream = x->stream, .excluded = 1,
				.is_income = x->is_income, .index = -1, .amount_pence = x->a[k],
			};
		}
		be->nexcluded = fe->nx;
	}
	return 0;
}

int forecast_rules_year(struct forecast_rules_stage *s, int k)
{
	const struct forecast_rules *rules = s->in->rules;
	char err[512];

	if (s->vlines == NULL && (s->vlines = calloc(s->nx + 1, sizeof(*s->vlines))) == NULL)
		return fr_nomem(s);
	for (size_t m = 0; m < s->nmodels; m++) {
		const char *model = s->models[m];
		struct bursar_year y = { .size = sizeof(y), .year = s->in->a->base_year + k,
					 .entity_size = sizeof(struct bursar_entity), .entities = s->view };
		struct forecast_sink sink = { .s = s, .k = k, .model = model, .m = m };

		if (fr_view(s, m, k, &y) != 0)
			return -1;
		s->hint = s->mfirst[m];
		if (rules == NULL || rules->apply_year == NULL)
			continue;
		err[0] = '\0';
		if (rules->apply_year(rules->arg, model, &y, &sink, err, sizeof(err)) != 0) {
			if (s->kind != 0)
				return -1;
			return fr_fail(s, FORECAST_ERR_INPUT, "finance rules \"%s\" failed for %d-%02d: %s", model,
				       y.year, (y.year + 1) % 100, err[0] != '\0' ? err : "no reason given");
		}
		if (s->kind != 0)
			return -1;
	}
	if (k > 0 && s->nposts > 0) {                /* room for as many a year to the end */
		size_t want = s->nposts / (size_t)k * (size_t)s->r->horizon;
		struct fr_post **np;

		if (want > s->capp) {
			if ((np = realloc(s->posts, want * sizeof(*np))) == NULL)
				return fr_nomem(s);
			s->posts = np;
			s->capp = want;
		}
	}
	return 0;
}

/* ---- the sink ---- */

/* The selected entity with this URN (they are sorted by URN), or SIZE_MAX. Plugins
 * post school by school in the order of their view (model m's), to or from the
 * central team: those are tried first. */
static size_t fr_entity(struct forecast_rules_stage *s, size_t m, const char *urn)
{
	size_t lo = 0, hi = s->r->nentities;

	if (s->central != SIZE_MAX && strcmp(s->urns[s->central], urn) == 0)
		return s->central;
	for (size_t o = s->hint; o < s->hint + 2 && o < s->mfirst[m + 1]; o++)
		if (o >= s->mfirst[m] && strcmp(s->urns[s->mord[o]], urn) == 0) {
			s->hint = o;
			return s->mord[o];
		}
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int d = strcmp(s->urns[mid], urn);

		if (d == 0) {
			if (s->emodel[mid] == (int)m)
				s->hint = s->vpos[mid];
			return mid;
		}
		if (d < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return SIZE_MAX;
}

/* The account of a posting's code (role 0: the payer's, 1: the payee's), or NULL: the
 * code found last for the role, the codes found before, then a binary search. */
static const struct forecast_account *fr_account(struct forecast_rules_stage *s, int role, const char *code)
{
	size_t lo = 0, hi = s->in->naccounts;

	if (s->last[role].code != NULL && strcmp(s->last[role].code, code) == 0)
		return s->last[role].a;
	for (size_t i = 0; i < s->ncache; i++)
		if (strcmp(s->cache[i].code, code) == 0) {
			s->last[role] = s->cache[i];
			return s->cache[i].a;
		}
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int d = strcmp(s->aord[mid]->code, code);

		if (d == 0) {
			s->last[role] = (struct fr_acc){ s->aord[mid]->code, s->aord[mid] };
			if (s->ncache < FR_CACHE)
				s->cache[s->ncache++] = s->last[role];
			return s->aord[mid];
		}
		if (d < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

int forecast_sink_post(struct forecast_sink *k, const struct forecast_posting *p)
{
	struct forecast_rules_stage *s = k->s;
	const struct forecast_account *pa, *ra;
	size_t payer, payee;
	const char *basis, *text;
	struct fr_post *q;

	if (p->payer == NULL || p->payee == NULL || p->payer_account == NULL || p->payee_account == NULL)
		return fr_fail(s, FORECAST_ERR_INPUT, "%s: a posting without its entities or accounts", k->model);
	if ((payer = fr_entity(s, k->m, p->payer)) == SIZE_MAX || (payee = fr_entity(s, k->m, p->payee)) == SIZE_MAX)
		return fr_fail(s, FORECAST_ERR_INPUT, "%s: a posting from %s to %s, which is not in the forecast", k->model,
			       p->payer, p->payee);
	if (payer == payee || p->amount_pence < 0)
		return fr_fail(s, FORECAST_ERR_INPUT, "%s: a posting from %s to itself or of a negative amount", k->model,
			       p->payer);
	pa = fr_account(s, 0, p->payer_account);
	ra = fr_account(s, 1, p->payee_account);
	if (pa == NULL || ra == NULL || pa->is_income || !ra->is_income)
		return fr_fail(s, FORECAST_ERR_INPUT, "%s: a posting must be an expenditure code for the payer and an "
			       "income code for the payee, not %s and %s", k->model, p->payer_account, p->payee_account);
	basis = s->basis;
	if (basis == NULL || strcmp(basis, p->basis != NULL ? p->basis : "") != 0)
		basis = s->basis = forecast_mem_strdup(s->r, p->basis);
	if (basis == NULL || (text = forecast_mem_strdup(s->r, p->explanation)) == NULL ||
	    (q = forecast_mem_alloc(s->r, sizeof(*q))) == NULL)
		return fr_nomem(s);
	if (s->nposts == s->capp) {
		size_t cap = s->capp ? s->capp * 2 : 256;
		struct fr_post **np = realloc(s->posts, cap * sizeof(*np));

		if (np == NULL)
			return fr_nomem(s);
		s->posts = np;
		s->capp = cap;
	}
	*q = (struct fr_post){
		.pub = { .plugin = k->model, .basis = basis, .text = text, .base_pence = p->base_pence,
			 .rate_bp = p->rate_bp },
		.pa = pa, .ra = ra, .amount = p->amount_pence, .payer = payer, .payee = payee, .k = k->k,
	};
	s->posts[s->nposts++] = q;
	return 0;
}

void forecast_sink_warn(struct forecast_sink *k, const char *message)
{
	struct forecast_rules_stage *s = k->s;

	if (forecast_warn(s->r, "", s->in->a->base_year + k->k, "rules", "%s: %s", k->model,
			  message != NULL ? message : "") != 0)
		fr_nomem(s);
}

/* ---- booking ---- */

static void fr_book_line(struct forecast_entity *e, const struct forecast_account *a, const struct fr_post *p,
			 const char *counterparty, int64_t *amounts)
{
	struct forecast_line *l = &e->lines[e->nlines++];

	memset(l, 0, sizeof(*l));
	l->origin = FO_POSTING;
	l->account = a;
	l->driver = FD_RULES;
	l->index = -1;
	l->index_name = "";
	l->k = (int16_t)p->k;
	l->a = amounts;
	amounts[p->k] = p->amount;
	l->description = p->pub.text;
	l->counterparty = counterparty;
	l->post = &p->pub;
}

int forecast_rules_book(struct forecast_rules_stage *s)
{
	struct forecast_result *r = s->r;
	size_t ny = (size_t)r->horizon + 1, *cnt;
	int64_t *amounts;

	if (s->nposts == 0)
		return 0;
	if ((cnt = calloc(r->nentities, sizeof(*cnt))) == NULL ||
	    (amounts = forecast_mem_alloc(r, s->nposts * ny * sizeof(int64_t))) == NULL) {
		free(cnt);
		return fr_nomem(s);
	}
	for (size_t i = 0; i < s->nposts; i++) {
		cnt[s->posts[i]->payer]++;
		cnt[s->posts[i]->payee]++;
	}
	for (size_t i = 0; i < r->nentities; i++) {
		struct forecast_entity *e = &r->entities[i];
		struct forecast_line *nl;

		if (cnt[i] == 0 || e->nlines + cnt[i] <= e->cap)
			continue;
		if ((nl = forecast_mem_alloc(r, (e->nlines + cnt[i]) * sizeof(*nl))) == NULL) {
			free(cnt);
			return fr_nomem(s);
		}
		memcpy(nl, e->lines, e->nlines * sizeof(*nl));     /* the old array stays in r's memory */
		e->lines = nl;
		e->cap = e->nlines + cnt[i];
	}
	free(cnt);
	for (size_t i = 0; i < s->nposts; i++) {
		const struct fr_post *p = s->posts[i];
		struct forecast_entity *payer = &r->entities[p->payer], *payee = &r->entities[p->payee];

		/* the payer's line and the payee's share their amounts: only [k] is set */
		fr_book_line(payer, p->pa, p, payee->in->urn, amounts + i * ny);
		fr_book_line(payee, p->ra, p, payer->in->urn, amounts + i * ny);
	}
	return 0;
}
