/* forecast.c - see forecast.h */
#include "forecast.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "forecast_digest.h"
#include "forecast_drivers.h"
#include "forecast_report.h"
#include "money.h"

#define FC_BLOCK 65536                       /* int64 slots per memory block */

/* ---- the result's memory: blocks of zeroed int64 slots, freed together ---- */

struct forecast_mem {
	struct forecast_mem *next;
	size_t used, cap;
	int64_t data[];
};

static void *fc_alloc(struct forecast_result *r, size_t bytes)
{
	size_t n = (bytes + sizeof(int64_t) - 1) / sizeof(int64_t);
	struct forecast_mem *m = r->mem;
	void *p;

	if (m == NULL || m->cap - m->used < n) {
		size_t cap = n > FC_BLOCK ? n : FC_BLOCK;

		if ((m = calloc(1, sizeof(*m) + cap * sizeof(int64_t))) == NULL)
			return NULL;
		m->cap = cap;
		m->next = r->mem;
		r->mem = m;
	}
	p = &m->data[m->used];
	m->used += n;
	return p;
}

static char *fc_strdup(struct forecast_result *r, const char *s)
{
	size_t n = strlen(s != NULL ? s : "");
	char *d = fc_alloc(r, n + 1);

	if (d != NULL && n > 0)
		memcpy(d, s, n);
	return d;
}

void forecast_result_free(struct forecast_result *r)
{
	struct forecast_mem *m, *next;

	if (r == NULL)
		return;
	for (size_t i = 0; i < r->nentities; i++)
		free(r->entities[i].lines);
	free(r->entities);
	free(r->trust_lines);
	free(r->warnings);
	for (m = r->mem; m != NULL; m = next) {
		next = m->next;
		free(m);
	}
	memset(r, 0, sizeof(*r));
}

/* ---- drivers and indices ---- */

static const char *const fc_driver_names[] = {
	[FD_FIXED] = "fixed", [FD_FUNDING] = "funding", [FD_PUPILS] = "pupils",
	[FD_PUPILS_CURRENT] = "pupils_current", [FD_PLACES] = "places", [FD_INFLATION] = "inflation",
	[FD_TEACHER_PAY] = "teacher_pay", [FD_SUPPORT_PAY] = "support_pay", [FD_SERVICES] = "services",
	[FD_RULES] = "rules",
};

const char *forecast_driver_name(enum forecast_driver d)
{
	return (size_t)d < sizeof(fc_driver_names) / sizeof(fc_driver_names[0]) ? fc_driver_names[d] : "?";
}

int forecast_driver_parse(const char *s, enum forecast_driver *d, char *index)
{
	size_t n;

	if (s == NULL)
		return -1;
	if (strncmp(s, "inflation:", 10) == 0) {
		n = strlen(s + 10);
		if (n == 0 || n > FORECAST_INDEX_MAX)
			return -1;
		for (const char *c = s + 10; *c != '\0'; c++)
			if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_'))
				return -1;
		*d = FD_INFLATION;
		if (index != NULL)
			memcpy(index, s + 10, n + 1);
		return 0;
	}
	for (int i = FD_FIXED; i <= FD_SERVICES; i++) {
		if (i != FD_INFLATION && strcmp(s, fc_driver_names[i]) == 0) {
			*d = (enum forecast_driver)i;
			if (index != NULL)
				index[0] = '\0';
			return 0;
		}
	}
	return -1;
}

int forecast_index_slot(const struct forecast_assumptions *a, const char *name)
{
	for (size_t i = 0; i < a->nindices; i++)
		if (strcmp(a->indices[i].name, name) == 0)
			return (int)i;
	return -1;
}

/* ---- the run's working state ---- */

enum { AC_INCOME = 1, AC_INTERNAL = 2 };

struct fc_code {
	const char *code;
	size_t i;
};

struct fc {
	const struct forecast_input *in;
	const struct forecast_assumptions *a;
	struct forecast_result *r;
	int H;
	unsigned *acls;                          /* per account: AC_* */
	int32_t *astream;                        /* per account: enum bursar_stream */
	struct fc_code *aord;                    /* the accounts sorted by code */
	enum forecast_driver *adrv;              /* per account: its default driver parsed, */
	char (*aix)[FORECAST_INDEX_MAX + 1];     /* and its index; adrv_ok: parsed */
	int *adrv_ok;
	int cpi;                                 /* the slot of "cpi", or -1 */
	int32_t (*cn)[FORECAST_NC];              /* every input entity's census, resolved */
	int *pooled;                             /* per input entity: a pooled school */
	const struct forecast_account ***bacc;   /* per input entity: each base line's account */
	size_t central_i;                        /* the central team's input index */
	int64_t *pool_w, pool_W;                 /* per input entity: its weight in the split */
	int64_t **pool_share;                    /* per central GAG line: each input entity's share */
	size_t npool_lines;
	const struct forecast_entity_in *central;
	const char **models;                     /* the finance models of the selected schools */
	size_t nmodels;
	int *emodel;                             /* per selected entity: its model, or -1 */
	enum forecast_error kind;
	char *err;
	size_t errlen;
	char warned_index[FORECAST_MAX_INDICES][FORECAST_INDEX_MAX + 1];
	size_t nwarned_index;
};

struct forecast_sink {
	struct fc *c;
	int k;
	const char *model;
};

static int __attribute__((format(printf, 3, 4))) fc_fail(struct fc *c, enum forecast_error kind, const char *fmt, ...)
{
	va_list ap;

	if (c->kind == 0) {
		c->kind = kind;
		va_start(ap, fmt);
		vsnprintf(c->err, c->errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static int fc_nomem(struct fc *c)
{
	return fc_fail(c, FORECAST_ERR_NOMEM, "out of memory");
}

static int fc_range(struct fc *c, const char *urn)
{
	return fc_fail(c, FORECAST_ERR_INPUT, "%s: amounts out of range", urn);
}

#define fc_warn(c, ...) \
	((void)(forecast_warn((c)->r, __VA_ARGS__) != 0 && fc_nomem(c)))

/* ---- accounts ---- */

static int fc_code_cmp(const void *x, const void *y)
{
	return strcmp(((const struct fc_code *)x)->code, ((const struct fc_code *)y)->code);
}

static const struct forecast_account *fc_account(const struct fc *c, const char *code)
{
	size_t lo = 0, hi = c->in->naccounts;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int d = strcmp(c->aord[mid].code, code);

		if (d == 0)
			return &c->in->accounts[c->aord[mid].i];
		if (d < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static size_t fc_acc_index(const struct fc *c, const struct forecast_account *a)
{
	return (size_t)(a - c->in->accounts);
}

static int32_t fc_stream_of(const struct forecast_account *a)
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

static int fc_accounts(struct fc *c)
{
	const struct forecast_input *in = c->in;
	size_t n = in->naccounts;

	if ((c->adrv = calloc(n + 1, sizeof(*c->adrv))) == NULL || (c->aix = calloc(n + 1, sizeof(*c->aix))) == NULL ||
	    (c->adrv_ok = calloc(n + 1, sizeof(*c->adrv_ok))) == NULL || (c->acls = calloc(n + 1, sizeof(*c->acls))) == NULL ||
	    (c->astream = calloc(n + 1, sizeof(*c->astream))) == NULL ||
	    (c->aord = calloc(n + 1, sizeof(*c->aord))) == NULL)
		return fc_nomem(c);
	for (size_t i = 0; i < n; i++) {
		const struct forecast_account *a = &in->accounts[i];
		unsigned f = 0;

		if (a->code == NULL || a->group == NULL || a->driver == NULL)
			return fc_fail(c, FORECAST_ERR_INPUT, "account %zu is incomplete", i);
		if (a->is_income)
			f |= AC_INCOME;
		if (a->is_internal)
			f |= AC_INTERNAL;
		c->acls[i] = f;
		c->astream[i] = fc_stream_of(a);
		c->adrv_ok[i] = forecast_driver_parse(a->driver, &c->adrv[i], c->aix[i]) == 0;
		c->aord[i] = (struct fc_code){ a->code, i };
	}
	if (n > 1)
		qsort(c->aord, n, sizeof(*c->aord), fc_code_cmp);
	for (size_t i = 1; i < n; i++)
		if (strcmp(c->aord[i - 1].code, c->aord[i].code) == 0)
			return fc_fail(c, FORECAST_ERR_INPUT, "account %s is in the chart twice", c->aord[i].code);
	return 0;
}

/* ---- entities ---- */

/* The latest value at or before each year: a projection counts for its year,
 * the last census is carried forward; FORECAST_NO_DATA only before any. */
static void fc_carry(const int32_t *in, int32_t *out)
{
	int32_t last = FORECAST_NO_DATA;

	for (int i = 0; i < FORECAST_NC; i++) {
		if (in[i] >= 0)
			last = in[i];
		out[i] = last;
	}
}

/* The selected entity with this URN (they are sorted by URN), or NULL. */
static struct forecast_entity *fc_entity(const struct fc *c, const char *urn)
{
	size_t lo = 0, hi = c->r->nentities;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int d = strcmp(c->r->entities[mid].in->urn, urn);

		if (d == 0)
			return &c->r->entities[mid];
		if (d < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static struct forecast_line *fc_line_add(struct fc *c, struct forecast_entity *e)
{
	struct forecast_line *l;

	if (e->nlines == e->cap) {
		size_t cap = e->cap ? e->cap * 2 : 16;
		struct forecast_line *nl = realloc(e->lines, cap * sizeof(*nl));

		if (nl == NULL) {
			fc_nomem(c);
			return NULL;
		}
		e->lines = nl;
		e->cap = cap;
	}
	l = &e->lines[e->nlines++];
	memset(l, 0, sizeof(*l));
	l->index = -1;
	if ((l->a = fc_alloc(c->r, (size_t)(c->H + 1) * sizeof(int64_t))) == NULL) {
		e->nlines--;
		fc_nomem(c);
		return NULL;
	}
	return l;
}

/* A pooled school: its base budget has the pool allocation and no GAG income. */
static int fc_is_pooled(const struct fc *c, size_t i)
{
	const struct forecast_entity_in *ei = &c->in->entities[i];
	int alloc = 0;

	if (ei->is_central)
		return 0;
	for (size_t j = 0; j < ei->nlines; j++) {
		const struct forecast_account *a = c->bacc[i][j];

		if (strcmp(a->code, BURSAR_ACC_ALLOCATION) == 0)
			alloc = 1;
		else if (a->is_gag && a->is_income && ei->lines[j].amount_pence > 0)
			return 0;
	}
	return alloc;
}

struct fc_rem {
	int64_t rem;
	size_t i;
};

static int fc_rem_cmp(const void *x, const void *y)
{
	const struct fc_rem *a = x, *b = y;

	if (a->rem != b->rem)
		return a->rem > b->rem ? -1 : 1;
	return a->i < b->i ? -1 : (a->i > b->i);
}

/*
 * Split total by weights exactly (DESIGN.md "Allocation"): floor(|total| x w / W)
 * each, then a penny each to the largest remainders, ties to the earlier (lower
 * URN); a negative total is split as its magnitude and negated. 0, or -1.
 */
static int fc_split(int64_t total, const int64_t *w, size_t n, int64_t W, int64_t *out)
{
	struct fc_rem *rs;
	int64_t t = total < 0 ? -total : total, given = 0;

	if (total == INT64_MIN || W <= 0 || (rs = calloc(n ? n : 1, sizeof(*rs))) == NULL)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (money_muldiv_floor(t, w[i], W, &out[i], &rs[i].rem) != 0) {
			free(rs);
			return -1;
		}
		rs[i].i = i;
		given += out[i];
	}
	if (n > 1)
		qsort(rs, n, sizeof(*rs), fc_rem_cmp);
	for (size_t j = 0; given < t && j < n; j++, given++)
		out[rs[j].i]++;
	free(rs);
	if (total < 0)
		for (size_t i = 0; i < n; i++)
			out[i] = -out[i];
	return 0;
}

/*
 * Pooled GAG: each GAG income line of the central team split between the pooled
 * schools by funded pupils (census of Y0-1, else Y0; equal when none has any).
 */
static int fc_pool_split(struct fc *c, const struct forecast_entity_in *central)
{
	const struct forecast_input *in = c->in;
	int64_t *w = NULL, *share = NULL;
	size_t np = 0;
	int rc = -1;

	for (size_t j = 0; j < central->nlines; j++) {
		const struct forecast_account *a = c->bacc[c->central_i][j];

		c->npool_lines += a->is_gag && a->is_income;
	}
	if ((c->pool_w = calloc(in->nentities, sizeof(*c->pool_w))) == NULL ||
	    (c->pool_share = calloc(c->npool_lines + 1, sizeof(*c->pool_share))) == NULL ||
	    (w = calloc(in->nentities, sizeof(*w))) == NULL || (share = calloc(in->nentities, sizeof(*share))) == NULL)
		goto nomem;
	for (size_t i = 0; i < in->nentities; i++) {
		if (!c->pooled[i])
			continue;
		c->pool_w[i] = c->cn[i][1] >= 0 ? c->cn[i][1] : (c->cn[i][2] >= 0 ? c->cn[i][2] : 0);
		c->pool_W += c->pool_w[i];
		np++;
	}
	if (c->pool_W == 0)
		for (size_t i = 0; i < in->nentities; i++)
			if (c->pooled[i])
				c->pool_w[i] = 1, c->pool_W++;
	for (size_t i = 0, k = 0; i < in->nentities; i++)
		if (c->pooled[i])
			w[k++] = c->pool_w[i];
	for (size_t j = 0, g = 0; j < central->nlines; j++) {
		const struct forecast_account *a = c->bacc[c->central_i][j];

		if (!a->is_gag || !a->is_income)
			continue;
		if ((c->pool_share[g] = calloc(in->nentities, sizeof(int64_t))) == NULL)
			goto nomem;
		if (fc_split(central->lines[j].amount_pence, w, np, c->pool_W, share) != 0) {
			fc_range(c, central->urn);
			goto out;
		}
		for (size_t i = 0, k = 0; i < in->nentities; i++)
			if (c->pooled[i])
				c->pool_share[g][i] = share[k++];
		g++;
	}
	rc = 0;
	goto out;
nomem:
	fc_nomem(c);
out:
	free(w);
	free(share);
	return rc;
}

/* The driver of a line: its own, or its account's. */
static int fc_line_driver(struct fc *c, struct forecast_line *l, const char *drv, const char *urn)
{
	const char *s = drv != NULL && drv[0] != '\0' ? drv : l->account->driver;
	size_t ai = (size_t)(l->account - c->in->accounts);

	if (s == l->account->driver && c->adrv_ok[ai]) {
		l->driver = c->adrv[ai];
		memcpy(l->index_name, c->aix[ai], sizeof(l->index_name));
	} else if (forecast_driver_parse(s, &l->driver, l->index_name) != 0) {
		return fc_fail(c, FORECAST_ERR_INPUT, "%s: %s: \"%s\" is not a forecast driver", urn, l->account->code, s);
	}
	if (l->driver == FD_INFLATION) {
		l->index = forecast_index_slot(c->a, l->index_name);
		if (l->index < 0) {
			size_t i;

			for (i = 0; i < c->nwarned_index && strcmp(c->warned_index[i], l->index_name) != 0; i++)
				;
			if (i == c->nwarned_index && i < FORECAST_MAX_INDICES) {
				memcpy(c->warned_index[c->nwarned_index++], l->index_name, sizeof(l->index_name));
				fc_warn(c, "", 0, "index_missing", "the scenario gives no inflation_bp for \"%s\": 0%% a year",
					l->index_name);
			}
		}
	} else if (l->driver == FD_PUPILS_CURRENT) {
		l->index = c->cpi;
		memcpy(l->index_name, "cpi", 4);
	}
	return 0;
}

/* Staff lines: E[Y0] from the base year's amount (forecast_drivers_staff_base). */
static int fc_staff_base(struct fc *c, struct forecast_line *l, const char *urn)
{
	if ((l->m = fc_alloc(c->r, (size_t)(c->H + 1) * sizeof(int64_t))) == NULL ||
	    (l->e = fc_alloc(c->r, (size_t)(c->H + 1) * sizeof(int64_t))) == NULL)
		return fc_nomem(c);
	if (forecast_drivers_staff_base(c->a, l) != 0)
		return fc_range(c, urn);
	return 0;
}

/* The entity's cost for a code from the services input, or NULL. */
static const struct forecast_service *fc_service(const struct fc *c, const char *urn, const char *code)
{
	for (size_t i = 0; i < c->in->nservices; i++) {
		const struct forecast_service *s = &c->in->services[i];

		if (strcmp(s->urn, urn) == 0 && strcmp(s->code, code) == 0)
			return s;
	}
	return NULL;
}

/* The services lines of an entity: share each code's cost, or fall back to CPI. */
static int fc_services_setup(struct fc *c, struct forecast_entity *e)
{
	const char *urn = e->in->urn;

	for (size_t i = 0; i < e->nlines; i++) {
		struct forecast_line *l = &e->lines[i];
		int64_t den = 0;
		size_t last = i, first = i;

		if (l->driver != FD_SERVICES || l->service != NULL || l->fallback)
			continue;
		if (c->in->have_services)
			l->service = fc_service(c, urn, l->account->code);
		if (l->service == NULL) {
			l->fallback = 1;
			l->index = c->cpi;
			memcpy(l->index_name, "cpi", 4);
			if (c->in->have_services)
				fc_warn(c, urn, 0, "services_fallback",
					"%s (%s): no service is booked to %s for this entity: it follows CPI", l->account->code,
					l->description, l->account->code);
			continue;
		}
		/* every services line of the entity on this code shares the cost */
		for (size_t j = i; j < e->nlines; j++) {
			struct forecast_line *o = &e->lines[j];

			if (o->driver != FD_SERVICES || o->account != l->account)
				continue;
			o->service = l->service;
			if (money_add(den, o->a[0] > 0 ? o->a[0] : 0, &den) != 0)
				return fc_range(c, urn);
			last = j;
		}
		for (size_t j = i; j <= last; j++) {
			struct forecast_line *o = &e->lines[j];

			if (o->service != l->service || o->driver != FD_SERVICES)
				continue;
			o->service_num = den > 0 ? (o->a[0] > 0 ? o->a[0] : 0) : (j == first);
			o->service_den = den > 0 ? den : 1;
			o->service_rest = j == last && j != first;
		}
	}
	return 0;
}

/* Services with a cost for the entity and no line on the code at all: a line of their own. */
static int fc_services_extra(struct fc *c, struct forecast_entity *e)
{
	for (size_t i = 0; c->in->have_services && i < c->in->nservices; i++) {
		const struct forecast_service *s = &c->in->services[i];
		const struct forecast_account *a;
		struct forecast_line *l;
		size_t j;

		if (strcmp(s->urn, e->in->urn) != 0)
			continue;
		if ((a = fc_account(c, s->code)) == NULL)
			return fc_fail(c, FORECAST_ERR_INPUT, "%s: a service is booked to %s, which is not an account code",
				       e->in->urn, s->code);
		for (j = 0; j < e->nlines && e->lines[j].account != a; j++)
			;
		if (j < e->nlines)
			continue;                        /* the entity budgets this code itself */
		if ((l = fc_line_add(c, e)) == NULL)
			return -1;
		l->origin = FO_SERVICE;
		l->account = a;
		l->description = s->label != NULL ? s->label : "";
		l->driver = FD_SERVICES;
		l->service = s;
		l->service_num = 1;
		l->service_den = 1;
	}
	return 0;
}

/* One selected entity's projected lines: pooled GAG first, the base lines, service lines. */
static int fc_entity_setup(struct fc *c, struct forecast_entity *e, size_t ei_index, int have_pooled)
{
	const struct forecast_entity_in *ei = e->in;
	const struct forecast_entity_in *central = c->central;
	int any_places = 0;

	fc_carry(ei->pupils, e->n);
	fc_carry(ei->places, e->places);
	for (int i = 0; i < FORECAST_NC; i++)
		any_places |= e->places[i] >= 0;
	if (c->pooled[ei_index] && central != NULL) {
		for (size_t j = 0, g = 0; j < central->nlines; j++) {
			const struct forecast_line_in *li = &central->lines[j];
			const struct forecast_account *a = c->bacc[c->central_i][j];
			struct forecast_line *l;

			if (!a->is_gag || !a->is_income)
				continue;
			if ((l = fc_line_add(c, e)) == NULL)
				return -1;
			l->origin = FO_POOLED_GAG;
			l->account = a;
			l->description = li->description != NULL ? li->description : "";
			l->excluded = li->excluded;
			l->a[0] = c->pool_share[g++][ei_index];
			l->pool_total = li->amount_pence;
			l->pool_weight = c->pool_w[ei_index];
			l->pool_weights = c->pool_W;
			if (fc_line_driver(c, l, li->driver, ei->urn) != 0)
				return -1;
		}
	}
	e->base_accounts = c->bacc[ei_index];
	for (size_t j = 0; j < ei->nlines; j++) {
		const struct forecast_line_in *li = &ei->lines[j];
		const struct forecast_account *a = e->base_accounts[j];
		struct forecast_line *l;

		if (a->is_internal)
			continue;                        /* the finance rules post these afresh */
		if (ei->is_central && have_pooled && a->is_gag && a->is_income)
			continue;                        /* handed to the pooled schools */
		if ((l = fc_line_add(c, e)) == NULL)
			return -1;
		l->origin = FO_BUDGET;
		l->account = a;
		l->description = li->description != NULL ? li->description : "";
		l->excluded = li->excluded;
		l->a[0] = li->amount_pence;
		if (fc_line_driver(c, l, li->driver, ei->urn) != 0)
			return -1;
		if (l->driver == FD_PLACES && !any_places) {
			l->fallback = 1;
			fc_warn(c, ei->urn, 0, "places_fallback", "%s (%s): no high-needs places are known: the line is held "
				"at its base amount", a->code, l->description);
		}
	}
	if (fc_services_setup(c, e) != 0 || fc_services_extra(c, e) != 0)
		return -1;
	for (size_t i = 0; i < e->nlines; i++) {
		struct forecast_line *l = &e->lines[i];

		if ((l->driver == FD_TEACHER_PAY || l->driver == FD_SUPPORT_PAY) && fc_staff_base(c, l, ei->urn) != 0)
			return -1;
	}
	return 0;
}

/* ---- the finance rules ---- */

static struct forecast_line *fc_post_line(struct fc *c, struct forecast_entity *e, const struct forecast_account *a,
					  int k, int64_t amount)
{
	struct forecast_line *l = fc_line_add(c, e);

	if (l == NULL)
		return NULL;
	l->origin = FO_POSTING;
	l->account = a;
	l->driver = FD_RULES;
	l->k = k;
	l->a[k] = amount;
	return l;
}

int forecast_sink_post(struct forecast_sink *s, const struct forecast_posting *p)
{
	struct fc *c = s->c;
	struct forecast_entity *payer, *payee;
	const struct forecast_account *pa, *ra;
	struct forecast_line *l;
	char *basis, *text;

	if (p->payer == NULL || p->payee == NULL || p->payer_account == NULL || p->payee_account == NULL)
		return fc_fail(c, FORECAST_ERR_INPUT, "%s: a posting without its entities or accounts", s->model);
	if ((payer = fc_entity(c, p->payer)) == NULL || (payee = fc_entity(c, p->payee)) == NULL)
		return fc_fail(c, FORECAST_ERR_INPUT, "%s: a posting from %s to %s, which is not in the forecast", s->model,
			       p->payer, p->payee);
	if (payer == payee || p->amount_pence < 0)
		return fc_fail(c, FORECAST_ERR_INPUT, "%s: a posting from %s to itself or of a negative amount", s->model,
			       p->payer);
	pa = fc_account(c, p->payer_account);
	ra = fc_account(c, p->payee_account);
	if (pa == NULL || ra == NULL || pa->is_income || !ra->is_income)
		return fc_fail(c, FORECAST_ERR_INPUT, "%s: a posting must be an expenditure code for the payer and an "
			       "income code for the payee, not %s and %s", s->model, p->payer_account, p->payee_account);
	if ((basis = fc_strdup(c->r, p->basis)) == NULL || (text = fc_strdup(c->r, p->explanation)) == NULL)
		return fc_nomem(c);
	if ((l = fc_post_line(c, payer, pa, s->k, p->amount_pence)) == NULL)
		return -1;
	l->plugin = (char *)s->model;
	l->basis = basis;
	l->text = text;
	l->description = text;
	l->counterparty = (char *)payee->in->urn;
	l->base_pence = p->base_pence;
	l->rate_bp = p->rate_bp;
	if ((l = fc_post_line(c, payee, ra, s->k, p->amount_pence)) == NULL)
		return -1;
	l->plugin = (char *)s->model;
	l->basis = basis;
	l->text = text;
	l->description = text;
	l->counterparty = (char *)payer->in->urn;
	l->base_pence = p->base_pence;
	l->rate_bp = p->rate_bp;
	return 0;
}

void forecast_sink_warn(struct forecast_sink *s, const char *message)
{
	fc_warn(s->c, "", s->c->a->base_year + s->k, "rules", "%s: %s", s->model, message != NULL ? message : "");
}

/* Scratch for the plugins' view of one year. */
struct fc_view {
	struct bursar_entity *ents;
	struct bursar_line *lines;
	size_t nlines_cap;
};

/* One entity's figures in year k, as a plugin sees them. */
static int fc_view_entity(const struct fc *c, const struct forecast_entity *e, int k, struct bursar_entity *be,
			  struct bursar_line *xl, size_t *nx)
{
	memset(be, 0, sizeof(*be));
	be->urn = e->in->urn;
	be->name = e->in->name != NULL ? e->in->name : "";
	be->pupils = e->n[k + 1] > 0 ? e->n[k + 1] : 0;          /* funded: last October's census */
	be->places = e->places[k + 2] > 0 ? e->places[k + 2] : 0;
	be->excluded = xl;
	be->excluded_size = sizeof(struct bursar_line);
	for (size_t i = 0; i < e->nlines; i++) {
		const struct forecast_line *l = &e->lines[i];
		size_t ai = fc_acc_index(c, l->account);
		int64_t v = l->a[k], *t;

		if (l->origin == FO_POSTING || (c->acls[ai] & AC_INTERNAL))
			continue;
		switch (c->astream[ai]) {
		case BURSAR_STREAM_GAG: t = &be->gag_pence; break;
		case BURSAR_STREAM_DFE_OTHER: t = &be->dfe_other_pence; break;
		case BURSAR_STREAM_LA: t = &be->la_pence; break;
		case BURSAR_STREAM_SELF: t = &be->self_generated_pence; break;
		default: t = &be->expenditure_pence; break;
		}
		if (money_add(*t, v, t) != 0)
			return -1;
		if (l->excluded) {
			xl[be->nexcluded++] = (struct bursar_line){
				.account = l->account->code, .description = l->description,
				.stream = c->astream[ai], .excluded = 1, .is_income = l->account->is_income,
				.index = -1, .amount_pence = v,
			};
		}
	}
	*nx += be->nexcluded;
	return 0;
}

/* Every model's rules for year k, over the selected schools under it. */
static int fc_rules_year(struct fc *c, struct fc_view *v, int k)
{
	struct forecast_result *r = c->r;
	const struct forecast_rules *rules = c->in->rules;
	char err[512];

	for (size_t m = 0; m < c->nmodels; m++) {
		const char *model = c->models[m];
		struct bursar_year y = { .size = sizeof(y), .year = c->a->base_year + k,
					 .entity_size = sizeof(struct bursar_entity), .entities = v->ents };
		struct forecast_sink sink = { .c = c, .k = k, .model = model };
		size_t nx = 0;

		for (size_t i = 0; i < r->nentities; i++) {
			const struct forecast_entity *e = &r->entities[i];

			if (c->emodel[i] != (int)m)
				continue;
			if (fc_view_entity(c, e, k, &v->ents[y.nentities++], v->lines + nx, &nx) != 0)
				return fc_range(c, e->in->urn);
		}
		if (rules == NULL || rules->apply_year == NULL)
			continue;
		err[0] = '\0';
		if (rules->apply_year(rules->arg, model, &y, &sink, err, sizeof(err)) != 0) {
			if (c->kind != 0)
				return -1;
			return fc_fail(c, FORECAST_ERR_INPUT, "finance rules \"%s\" failed for %d-%02d: %s", model,
				       y.year, (y.year + 1) % 100, err[0] != '\0' ? err : "no reason given");
		}
		if (c->kind != 0)
			return -1;
	}
	return 0;
}

/* ---- the run ---- */

static int fc_check_input(struct fc *c)
{
	const struct forecast_input *in = c->in;
	size_t ncentral = 0;

	if (c->a == NULL || c->H < 1 || c->H > FORECAST_MAX_HORIZON)
		return fc_fail(c, FORECAST_ERR_INPUT, "the horizon must be 1 to %d years", FORECAST_MAX_HORIZON);
	for (size_t i = 0; i < in->nentities; i++) {
		const struct forecast_entity_in *e = &in->entities[i];

		if (e->urn == NULL || (i > 0 && strcmp(in->entities[i - 1].urn, e->urn) >= 0))
			return fc_fail(c, FORECAST_ERR_INPUT, "the entities must be sorted by URN, each once");
		ncentral += e->is_central != 0;
	}
	if (ncentral != 1)
		return fc_fail(c, FORECAST_ERR_INPUT, "the forecast needs the central team, once");
	for (size_t i = 0; i < in->nservices; i++)
		if (in->services[i].urn == NULL || in->services[i].code == NULL)
			return fc_fail(c, FORECAST_ERR_INPUT, "a service cost without its entity or code");
	return 0;
}

/* Selected entities, their models, the pooled schools and their share of the central team's GAG. */
static int fc_prepare(struct fc *c)
{
	const struct forecast_input *in = c->in;
	struct forecast_result *r = c->r;
	size_t nsel = 0;
	int have_pooled = 0;

	c->cpi = forecast_index_slot(c->a, "cpi");
	if ((c->cn = calloc(in->nentities, sizeof(*c->cn))) == NULL ||
	    (c->pooled = calloc(in->nentities, sizeof(*c->pooled))) == NULL ||
	    (c->bacc = fc_alloc(r, (in->nentities + 1) * sizeof(*c->bacc))) == NULL ||
	    (r->entities = calloc(in->nentities, sizeof(*r->entities))) == NULL ||
	    (c->emodel = calloc(in->nentities, sizeof(*c->emodel))) == NULL ||
	    (c->models = calloc(in->nentities, sizeof(*c->models))) == NULL)
		return fc_nomem(c);
	for (size_t i = 0; i < in->nentities; i++) {
		const struct forecast_entity_in *e = &in->entities[i];

		fc_carry(e->pupils, c->cn[i]);
		if (e->is_central) {
			c->central = e;
			c->central_i = i;
		}
		if ((c->bacc[i] = fc_alloc(r, (e->nlines + 1) * sizeof(*c->bacc[i]))) == NULL)
			return fc_nomem(c);
		for (size_t j = 0; j < e->nlines; j++)
			if ((c->bacc[i][j] = fc_account(c, e->lines[j].code)) == NULL)
				return fc_fail(c, FORECAST_ERR_INPUT, "%s: line %zu: %s is not an account code", e->urn, j + 1,
					       e->lines[j].code != NULL ? e->lines[j].code : "(none)");
	}
	for (size_t i = 0; i < in->nentities; i++)
		have_pooled |= c->pooled[i] = fc_is_pooled(c, i);
	if (have_pooled && fc_pool_split(c, c->central) != 0)
		return -1;
	for (size_t i = 0; i < in->nentities; i++) {
		const struct forecast_entity_in *e = &in->entities[i];
		struct forecast_entity *fe;
		size_t m;

		if (!e->selected && !e->is_central)
			continue;
		fe = &r->entities[nsel];
		fe->in = e;
		c->emodel[nsel] = -1;
		r->nentities = ++nsel;
		if (!e->is_central && e->model != NULL && e->model[0] != '\0') {
			for (m = 0; m < c->nmodels && strcmp(c->models[m], e->model) != 0; m++)
				;
			if (m == c->nmodels)
				c->models[c->nmodels++] = e->model;
			c->emodel[nsel - 1] = (int)m;
		}
		if (e->budget_status != NULL && strcmp(e->budget_status, "approved") != 0)
			fc_warn(c, e->urn, c->a->base_year, "budget_not_approved", "the base budget is %s, not approved",
				e->budget_status);
		if (!e->has_opening)
			fc_warn(c, e->urn, c->a->base_year, "no_opening_reserves",
				"no opening reserves are recorded for the base year: 0 assumed");
		if (fc_entity_setup(c, fe, i, have_pooled) != 0)
			return -1;
	}
	if (!in->have_services) {
		for (size_t i = 0; i < r->nentities; i++)
			for (size_t j = 0; j < r->entities[i].nlines; j++)
				if (r->entities[i].lines[j].driver == FD_SERVICES) {
					fc_warn(c, "", 0, "services_unavailable", "shared services and subscriptions are not "
						"available: lines with the services driver follow CPI");
					return c->kind ? -1 : 0;
				}
	}
	return c->kind ? -1 : 0;
}

/* The run; base_only: only the finance rules over the base year (k = 0), no
 * projection, no digest, no report (forecast_rules_base). */
static int fc_run(const struct forecast_input *in, struct forecast_result *r, enum forecast_error *kind, char *err,
		  size_t errlen, int base_only)
{
	struct fc c = { .in = in, .a = in->a, .r = r, .H = in->a != NULL ? in->a->horizon : 0, .err = err,
			.errlen = errlen };
	struct fc_view v = { 0 };
	size_t nx = 0;
	int rc = -1;

	memset(r, 0, sizeof(*r));
	if (errlen > 0)
		err[0] = '\0';
	if (fc_check_input(&c) != 0 || fc_accounts(&c) != 0)
		goto out;
	r->base_year = in->a->base_year;
	r->horizon = c.H;
	r->a = in->a;
	if (!base_only && forecast_digest(in, r->digest) != 0) {
		fc_nomem(&c);
		goto out;
	}
	if (fc_prepare(&c) != 0)
		goto out;
	for (size_t i = 0; i < r->nentities; i++)
		for (size_t j = 0; j < r->entities[i].nlines; j++)
			nx += r->entities[i].lines[j].excluded;
	if ((v.ents = calloc(r->nentities + 1, sizeof(*v.ents))) == NULL ||
	    (v.lines = calloc(nx + 1, sizeof(*v.lines))) == NULL) {
		fc_nomem(&c);
		goto out;
	}
	if (base_only) {
		rc = fc_rules_year(&c, &v, 0) != 0 || c.kind != 0 ? -1 : 0;
		goto out;
	}
	for (int k = 1; k <= c.H; k++) {
		for (size_t i = 0; i < r->nentities; i++) {
			struct forecast_entity *e = &r->entities[i];
			size_t n = e->nlines;            /* postings of earlier years are not projected */

			for (size_t j = 0; j < n; j++) {
				struct forecast_line *l = &e->lines[j];

				if (l->origin != FO_POSTING && forecast_drivers_project(c.a, c.cpi, e, l, k) != 0) {
					fc_range(&c, e->in->urn);
					goto out;
				}
			}
		}
		if (fc_rules_year(&c, &v, k) != 0)
			goto out;
	}
	if (c.kind != 0 || forecast_report(in, r, &c.kind, err, errlen) != 0)
		goto out;
	rc = 0;
out:
	free(v.ents);
	free(v.lines);
	free(c.acls);
	free(c.adrv);
	free(c.aix);
	free(c.adrv_ok);
	free(c.astream);
	free(c.aord);
	free(c.cn);
	free(c.pooled);
	free(c.pool_w);
	for (size_t g = 0; c.pool_share != NULL && g < c.npool_lines; g++)
		free(c.pool_share[g]);
	free(c.pool_share);
	free(c.emodel);
	free(c.models);
	if (rc != 0) {
		if (kind != NULL)
			*kind = c.kind ? c.kind : FORECAST_ERR_NOMEM;
		forecast_result_free(r);
	}
	return rc;
}

int forecast_run(const struct forecast_input *in, struct forecast_result *r, enum forecast_error *kind, char *err,
		 size_t errlen)
{
	return fc_run(in, r, kind, err, errlen, 0);
}

int forecast_rules_base(const struct forecast_input *in, enum forecast_error *kind, char *err, size_t errlen)
{
	struct forecast_result r;

	if (fc_run(in, &r, kind, err, errlen, 1) != 0)
		return -1;
	forecast_result_free(&r);
	return 0;
}
