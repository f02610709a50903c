/* forecast.c - see forecast.h */
#include "forecast.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bursar_arith.h"
#include "date.h"
#include "forecast_digest.h"
#include "forecast_drivers.h"
#include "forecast_mem.h"
#include "forecast_report.h"
#include "forecast_rules.h"
#include "money.h"

/* Room kept for posting lines, a year: for each school under a finance model (the
 * bundled models post one or two) and, for the central team, as many for each of
 * those schools. Booking makes more room if a model posts more. */
#define FC_POSTS_A_YEAR 2

void forecast_result_free(struct forecast_result *r)
{
	if (r == NULL)
		return;
	for (size_t i = 0; i < r->nentities; i++)
		free(r->entities[i].lines);
	free(r->entities);
	free(r->trust_lines);
	free(r->warnings);
	forecast_mem_free(r->mem);
	memset(r, 0, sizeof(*r));
}

/* ---- drivers and indices ---- */

static const char *const fc_driver_names[] = {
	[FD_FIXED] = "fixed", [FD_FUNDING] = "funding", [FD_PUPILS] = "pupils",
	[FD_PUPILS_CURRENT] = "pupils_current", [FD_PLACES] = "places", [FD_INFLATION] = "inflation",
	[FD_TEACHER_PAY] = "teacher_pay", [FD_SUPPORT_PAY] = "support_pay", [FD_SERVICES] = "services",
	[FD_RULES] = "rules", [FD_ACTION] = "action",
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

/* A key and where it is in the input: an account's code, or a service's URN. */
struct fc_key {
	const char *key;
	size_t i;
};

struct fc {
	const struct forecast_input *in;
	const struct forecast_assumptions *a;
	struct forecast_result *r;
	int H;
	struct fc_key *aord;                    /* the accounts sorted by code */
	const struct forecast_account **ahash;   /* open addressing by code: amask + 1 slots */
	size_t amask;
	enum forecast_driver *adrv;              /* per account: its default driver parsed, */
	char (*aix)[FORECAST_INDEX_MAX + 1];     /* and its index (aslot: its slot); adrv_ok: parsed */
	int *aslot, *adrv_ok;
	struct fc_key *sord;                    /* the services by URN, each URN's in input order */
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
	int have_pooled;
	size_t *act_head, *act_next;             /* per input entity: its actions (index + 1, 0: none) */
	size_t *act_n;                           /* per input entity: how many */
	int kf;                                  /* the first year out of range (fc_project) */
	size_t ef;                               /* and the first entity with it */
	enum forecast_error kind;
	char *err;
	size_t errlen;
	char warned_index[FORECAST_MAX_INDICES][FORECAST_INDEX_MAX + 1];
	size_t nwarned_index;
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

static int fc_key_cmp(const void *x, const void *y)
{
	return strcmp(((const struct fc_key *)x)->key, ((const struct fc_key *)y)->key);
}

/* FNV-1a of a code, for the account index. */
static size_t fc_hash(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static const struct forecast_account *fc_account(const struct fc *c, const char *code)
{
	if (code == NULL)
		return NULL;
	for (size_t i = fc_hash(code) & c->amask; c->ahash[i] != NULL; i = (i + 1) & c->amask)
		if (strcmp(c->ahash[i]->code, code) == 0)
			return c->ahash[i];
	return NULL;
}

static int fc_accounts(struct fc *c)
{
	const struct forecast_input *in = c->in;
	size_t n = in->naccounts, slots = 16;

	while (slots < 2 * n)
		slots *= 2;
	c->amask = slots - 1;
	if ((c->adrv = calloc(n + 1, sizeof(*c->adrv))) == NULL ||
	    (c->aix = forecast_mem_alloc(c->r, (n + 1) * sizeof(*c->aix))) == NULL ||
	    (c->adrv_ok = calloc(n + 1, sizeof(*c->adrv_ok))) == NULL ||
	    (c->aslot = calloc(n + 1, sizeof(*c->aslot))) == NULL || (c->aord = calloc(n + 1, sizeof(*c->aord))) == NULL ||
	    (c->ahash = calloc(slots, sizeof(*c->ahash))) == NULL)
		return fc_nomem(c);
	for (size_t i = 0; i < n; i++) {
		const struct forecast_account *a = &in->accounts[i];

		if (a->code == NULL || a->group == NULL || a->driver == NULL)
			return fc_fail(c, FORECAST_ERR_INPUT, "account %zu is incomplete", i);
		c->adrv_ok[i] = forecast_driver_parse(a->driver, &c->adrv[i], c->aix[i]) == 0;
		c->aslot[i] = c->adrv_ok[i] && c->adrv[i] == FD_INFLATION ? forecast_index_slot(c->a, c->aix[i]) : -1;
		c->aord[i] = (struct fc_key){ a->code, i };
	}
	if (n > 1)
		qsort(c->aord, n, sizeof(*c->aord), fc_key_cmp);
	for (size_t i = 1; i < n; i++)
		if (strcmp(c->aord[i - 1].key, c->aord[i].key) == 0)
			return fc_fail(c, FORECAST_ERR_INPUT, "account %s is in the chart twice", c->aord[i].key);
	for (size_t i = 0; i < n; i++) {
		size_t h = fc_hash(in->accounts[i].code) & c->amask;

		while (c->ahash[h] != NULL)
			h = (h + 1) & c->amask;
		c->ahash[h] = &in->accounts[i];
	}
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
	l->index_name = "";
	if ((l->a = forecast_mem_alloc(c->r, (size_t)(c->H + 1) * sizeof(int64_t))) == NULL) {
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

/*
 * Split total by weights exactly, as allocation does (bursar_split: DESIGN.md
 * "Allocation", ties to the lower URN); a negative total is split as its
 * magnitude and negated. 0, or -1 (also when there is something to split and no
 * share has a weight: fc_pool_split gives every pooled school 1 first).
 */
static int fc_split(int64_t total, struct bursar_share *sh, size_t n)
{
	if (total == INT64_MIN || bursar_split(total < 0 ? -total : total, sh, n) != 0)
		return -1;
	if (total < 0)
		for (size_t i = 0; i < n; i++)
			sh[i].pence = -sh[i].pence;
	return 0;
}

/*
 * Pooled GAG: each GAG income line of the central team split between the pooled
 * schools by funded pupils (census of Y0-1, else Y0; equal when none has any).
 */
static int fc_pool_split(struct fc *c, const struct forecast_entity_in *central)
{
	const struct forecast_input *in = c->in;
	struct bursar_share *sh = NULL;
	size_t np = 0;
	int rc = -1;

	for (size_t j = 0; j < central->nlines; j++) {
		const struct forecast_account *a = c->bacc[c->central_i][j];

		c->npool_lines += a->is_gag && a->is_income;
	}
	if ((c->pool_w = calloc(in->nentities, sizeof(*c->pool_w))) == NULL ||
	    (c->pool_share = calloc(c->npool_lines + 1, sizeof(*c->pool_share))) == NULL ||
	    (sh = calloc(in->nentities, sizeof(*sh))) == NULL)
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
			sh[k++] = (struct bursar_share){ .urn = in->entities[i].urn, .weight = c->pool_w[i] };
	for (size_t j = 0, g = 0; j < central->nlines; j++) {
		const struct forecast_account *a = c->bacc[c->central_i][j];

		if (!a->is_gag || !a->is_income)
			continue;
		if ((c->pool_share[g] = calloc(in->nentities, sizeof(int64_t))) == NULL)
			goto nomem;
		if (fc_split(central->lines[j].amount_pence, sh, np) != 0) {
			fc_range(c, central->urn);
			goto out;
		}
		for (size_t i = 0, k = 0; i < in->nentities; i++)
			if (c->pooled[i])
				c->pool_share[g][i] = sh[k++].pence;
		g++;
	}
	rc = 0;
	goto out;
nomem:
	fc_nomem(c);
out:
	free(sh);
	return rc;
}

/* The driver of a line: its own, or its account's. */
static int fc_line_driver(struct fc *c, struct forecast_line *l, const char *drv, const char *urn)
{
	const char *s = drv != NULL && drv[0] != '\0' ? drv : l->account->driver;
	size_t ai = (size_t)(l->account - c->in->accounts);
	enum forecast_driver d;
	char ix[FORECAST_INDEX_MAX + 1];
	int slot;

	if (s == l->account->driver && c->adrv_ok[ai]) {
		l->driver = c->adrv[ai];
		l->index_name = c->aix[ai];
		slot = c->aslot[ai];
	} else if (forecast_driver_parse(s, &d, ix) != 0) {
		return fc_fail(c, FORECAST_ERR_INPUT, "%s: %s: \"%s\" is not a forecast driver", urn, l->account->code, s);
	} else {
		l->driver = d;
		slot = d == FD_INFLATION ? forecast_index_slot(c->a, ix) : -1;
		/* the name kept where the result can point: the assumptions' (borrowed) or its own */
		if (slot >= 0)
			l->index_name = c->a->indices[slot].name;
		else if (ix[0] != '\0' && (l->index_name = forecast_mem_strdup(c->r, ix)) == NULL)
			return fc_nomem(c);
	}
	if (l->driver == FD_INFLATION) {
		l->index = (int16_t)slot;
		if (l->index < 0) {
			size_t i;

			for (i = 0; i < c->nwarned_index && strcmp(c->warned_index[i], l->index_name) != 0; i++)
				;
			if (i == c->nwarned_index && i < FORECAST_MAX_INDICES) {
				snprintf(c->warned_index[c->nwarned_index++], sizeof(c->warned_index[0]), "%s", l->index_name);
				fc_warn(c, "", 0, "index_missing", "the scenario gives no inflation_bp for \"%s\": 0%% a year",
					l->index_name);
			}
		}
	} else if (l->driver == FD_PUPILS_CURRENT) {
		l->index = (int16_t)c->cpi;
		l->index_name = "cpi";
	}
	return 0;
}

/* Staff lines: E[Y0] from the base year's amount (forecast_drivers_staff_base). */
static int fc_staff_base(struct fc *c, struct forecast_line *l, const char *urn, int64_t *unbudgeted)
{
	int64_t u;

	if ((l->m = forecast_mem_alloc(c->r, 2 * (size_t)(c->H + 1) * sizeof(int64_t))) == NULL)
		return fc_nomem(c);
	l->e = l->m + c->H + 1;
	if (forecast_drivers_staff_base(c->a, l, &u) != 0 || money_add(*unbudgeted, u, unbudgeted) != 0)
		return fc_range(c, urn);
	return 0;
}

/* "<what>+1.41%" into buf. */
static void fc_bp_text(int32_t bp, const char *what, char *buf, size_t len)
{
	int32_t a = bp < 0 ? -bp : bp;

	snprintf(buf, len, "%s%c%d.%02d%%", what, bp < 0 ? '-' : '+', (int)(a / 100), (int)(a % 100));
}

/* The base year's April changes its budget does not include: what they cost the entity. */
static void fc_unbudgeted_warn(struct fc *c, const char *urn, int64_t pence)
{
	char amount[32], changes[96] = "";
	const struct forecast_assumptions *a = c->a;

	if (pence == 0)
		return;
	money_format_human(pence < 0 ? -pence : pence, amount, sizeof(amount));
	if (a->base_teacher_oncost_unbudgeted_bp != 0)
		fc_bp_text(a->base_teacher_oncost_unbudgeted_bp, "teachers' on-costs ", changes, sizeof(changes));
	if (a->base_support_oncost_unbudgeted_bp != 0)
		fc_bp_text(a->base_support_oncost_unbudgeted_bp, changes[0] ? ", support staff's on-costs " :
			   "support staff's on-costs ", changes + strlen(changes), sizeof(changes) - strlen(changes));
	fc_warn(c, urn, a->base_year, "unbudgeted_base_change",
		"the scenario's April %d change (%s) is not in the %d-%02d budget: it %s %s from April to August %d; "
		"the base year shows the budget as set, the forecast years include it",
		a->base_year + 1, changes, a->base_year, (a->base_year + 1) % 100, pence > 0 ? "costs" : "saves", amount,
		a->base_year + 1);
}

static int fc_urn_pos_cmp(const void *x, const void *y)
{
	const struct fc_key *a = x, *b = y;
	int d = strcmp(a->key, b->key);

	return d != 0 ? d : (a->i > b->i) - (a->i < b->i);
}

/* The services indexed by URN (each URN's in input order), so an entity finds its
 * own without a scan of every service: linear in entities x their services. */
static int fc_services_index(struct fc *c)
{
	const struct forecast_input *in = c->in;
	int sorted = 1;

	if ((c->sord = calloc(in->nservices + 1, sizeof(*c->sord))) == NULL)
		return fc_nomem(c);
	for (size_t i = 0; i < in->nservices; i++) {
		c->sord[i] = (struct fc_key){ in->services[i].urn, i };
		if (i > 0 && strcmp(c->sord[i - 1].key, c->sord[i].key) > 0)
			sorted = 0;
	}
	if (!sorted)
		qsort(c->sord, in->nservices, sizeof(*c->sord), fc_urn_pos_cmp);
	return 0;
}

/* An entity's services: sord[*lo .. *hi). */
static void fc_services_of(const struct fc *c, const char *urn, size_t *lo, size_t *hi)
{
	size_t l = 0, h = c->in->nservices;

	while (l < h) {
		size_t mid = l + (h - l) / 2;

		if (strcmp(c->sord[mid].key, urn) < 0)
			l = mid + 1;
		else
			h = mid;
	}
	*lo = l;
	for (h = l; h < c->in->nservices && strcmp(c->sord[h].key, urn) == 0; h++)
		;
	*hi = h;
}

/* The entity's cost for a code (the first given), from its services sord[lo .. hi), or NULL. */
static const struct forecast_service *fc_service(const struct fc *c, size_t lo, size_t hi, const char *code)
{
	for (size_t i = lo; i < hi; i++) {
		const struct forecast_service *s = &c->in->services[c->sord[i].i];

		if (strcmp(s->code, code) == 0)
			return s;
	}
	return NULL;
}

/* The services lines of an entity: share each code's cost, or fall back to CPI. */
static int fc_services_setup(struct fc *c, struct forecast_entity *e, size_t lo, size_t hi)
{
	const char *urn = e->in->urn;

	for (size_t i = 0; i < e->nlines; i++) {
		struct forecast_line *l = &e->lines[i];
		int64_t den = 0;
		size_t last = i, first = i;

		if (l->driver != FD_SERVICES || l->service != NULL || l->fallback)
			continue;
		if (c->in->have_services)
			l->service = fc_service(c, lo, hi, l->account->code);
		if (l->service == NULL) {
			l->fallback = 1;
			l->index = (int16_t)c->cpi;
			l->index_name = "cpi";
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
static int fc_services_extra(struct fc *c, struct forecast_entity *e, size_t lo, size_t hi)
{
	for (size_t i = lo; c->in->have_services && i < hi; i++) {
		const struct forecast_service *s = &c->in->services[c->sord[i].i];
		const struct forecast_account *a;
		struct forecast_line *l;
		size_t j;

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

/* A services line's base year: its part of the cost and the rest of the line (R[0]). */
static int fc_services_base(struct fc *c, struct forecast_entity *e, struct forecast_line *l)
{
	if ((l->m = forecast_mem_alloc(c->r, 2 * (size_t)(c->H + 1) * sizeof(int64_t))) == NULL)
		return fc_nomem(c);
	l->e = l->m + c->H + 1;
	if (forecast_drivers_services_base(e, l) != 0)
		return fc_range(c, e->in->urn);
	return 0;
}

/* One services_short warning per service an entity's base budget is short of. */
static void fc_services_short(struct fc *c, const struct forecast_entity *e)
{
	for (size_t i = 0; i < e->nlines; i++) {
		const struct forecast_line *l = &e->lines[i];
		int64_t base = 0, cost = 0, short_pence = 0;
		const char *desc = NULL;
		char y[8], m1[40], m2[40], m3[40];
		size_t j;

		if (l->driver != FD_SERVICES || l->service == NULL)
			continue;
		for (j = 0; j < i && e->lines[j].service != l->service; j++)
			;
		if (j < i)
			continue;                        /* said with the service's first line */
		for (j = i; j < e->nlines; j++) {
			const struct forecast_line *o = &e->lines[j];

			if (o->driver != FD_SERVICES || o->service != l->service)
				continue;
			cost += o->e[0];
			if (o->e[0] <= 0)
				continue;                /* a credit beside the recharge: not short */
			desc = desc == NULL ? o->description : "";
			base += o->a[0];
			short_pence += o->short_pence;
		}
		if (short_pence <= 0)
			continue;
		acyear_format(c->a->base_year, y, sizeof(y));
		money_format_human(base, m1, sizeof(m1));
		money_format_human(cost, m2, sizeof(m2));
		money_format_human(short_pence, m3, sizeof(m3));
		fc_warn(c, e->in->urn, c->a->base_year, "services_short",
			"%s%s%s%s: the %s base budget has %s on %s for services that cost %s (%s): it is %s short. "
			"The rest of the line is taken as \xc2\xa3" "0.00, so the forecast years carry the services alone; budget at "
			"least the recharge", l->account->code, desc != NULL && desc[0] != '\0' ? " (" : "",
			desc != NULL ? desc : "", desc != NULL && desc[0] != '\0' ? ")" : "", y, m1, l->account->code, m2,
			l->service->label != NULL ? l->service->label : "", m3);
	}
}

/* The management actions of input entity ei: a line each, in the scenario's order. */
static int fc_actions_lines(struct fc *c, struct forecast_entity *e, size_t ei)
{
	static const char prefix[] = "Management action: ";

	for (size_t x = c->act_head != NULL ? c->act_head[ei] : 0; x != 0; x = c->act_next[x - 1]) {
		const struct forecast_action *act = &c->in->actions[x - 1];
		const char *note = act->note != NULL ? act->note : "";
		size_t n = strlen(note);
		struct forecast_line *l;
		char *d;

		if ((l = fc_line_add(c, e)) == NULL)
			return -1;
		if ((d = forecast_mem_alloc(c->r, sizeof(prefix) + n)) == NULL)
			return fc_nomem(c);
		memcpy(d, prefix, sizeof(prefix) - 1);
		memcpy(d + sizeof(prefix) - 1, note, n + 1);
		l->origin = FO_ACTION;
		l->driver = FD_ACTION;
		l->account = fc_account(c, act->code);
		l->description = d;
		l->action = act;
	}
	return 0;
}

/* One selected entity's projected lines: pooled GAG first, the base lines, service lines;
 * room for `posts` posting lines after them. */
static int fc_entity_setup(struct fc *c, struct forecast_entity *e, size_t ei_index, int have_pooled, size_t posts)
{
	const struct forecast_entity_in *ei = e->in;
	const struct forecast_entity_in *central = c->central;
	int any_places = 0;
	int64_t unbudgeted = 0;
	size_t lo = 0, hi = 0;

	fc_carry(ei->pupils, e->n);
	fc_carry(ei->places, e->places);
	for (int i = 0; i < FORECAST_NC; i++)
		any_places |= e->places[i] >= 0;
	if (c->in->have_services)
		fc_services_of(c, ei->urn, &lo, &hi);
	/* room for every line at once: pooled GAG, the base lines, a line per service, the actions, the postings */
	e->cap = (c->pooled[ei_index] ? c->npool_lines : 0) + ei->nlines + (hi - lo) +
		 (c->act_n != NULL ? c->act_n[ei_index] : 0) + posts;
	if ((e->lines = malloc((e->cap + 1) * sizeof(*e->lines))) == NULL)
		return fc_nomem(c);
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
			l->pool_weight = (int32_t)c->pool_w[ei_index];
			l->pool_weights = (int32_t)c->pool_W;
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
	if (fc_services_setup(c, e, lo, hi) != 0 || fc_services_extra(c, e, lo, hi) != 0 ||
	    fc_actions_lines(c, e, ei_index) != 0)
		return -1;
	for (size_t i = 0; i < e->nlines; i++) {
		struct forecast_line *l = &e->lines[i];

		if ((l->driver == FD_TEACHER_PAY || l->driver == FD_SUPPORT_PAY) &&
		    fc_staff_base(c, l, ei->urn, &unbudgeted) != 0)
			return -1;
		if (l->driver == FD_SERVICES && l->service != NULL && fc_services_base(c, e, l) != 0)
			return -1;
	}
	fc_services_short(c, e);
	fc_unbudgeted_warn(c, ei->urn, unbudgeted);
	return c->kind ? -1 : 0;
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

/* The input entity with this URN (sorted by URN), or -1. */
static ptrdiff_t fc_entity_index(const struct fc *c, const char *urn)
{
	size_t lo = 0, hi = c->in->nentities;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int d = strcmp(c->in->entities[mid].urn, urn);

		if (d == 0)
			return (ptrdiff_t)mid;
		if (d < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* The management actions checked and listed by entity, each entity's in the scenario's order. */
static int fc_actions(struct fc *c)
{
	const struct forecast_input *in = c->in;

	if (in->nactions == 0)
		return 0;
	if (in->actions == NULL)
		return fc_fail(c, FORECAST_ERR_INPUT, "management actions missing");
	if ((c->act_head = calloc(in->nentities + 1, sizeof(*c->act_head))) == NULL ||
	    (c->act_n = calloc(in->nentities + 1, sizeof(*c->act_n))) == NULL ||
	    (c->act_next = calloc(in->nactions, sizeof(*c->act_next))) == NULL)
		return fc_nomem(c);
	for (size_t x = in->nactions; x-- > 0;) {
		const struct forecast_action *act = &in->actions[x];
		const struct forecast_account *a;
		ptrdiff_t ei;
		char d1[16], d2[16];

		if (act->urn == NULL || (ei = fc_entity_index(c, act->urn)) < 0)
			return fc_fail(c, FORECAST_ERR_INPUT, "management action %zu: %s is not an entity of the trust", x + 1,
				       act->urn != NULL ? act->urn : "(none)");
		if (act->code == NULL || (a = fc_account(c, act->code)) == NULL)
			return fc_fail(c, FORECAST_ERR_INPUT, "management action %zu: %s is not an account code", x + 1,
				       act->code != NULL ? act->code : "(none)");
		if (a->is_internal)
			return fc_fail(c, FORECAST_ERR_INPUT, "management action %zu: %s is an internal code (the finance "
				       "rules post those)", x + 1, act->code);
		if (act->from == FORECAST_NO_DATE)
			return fc_fail(c, FORECAST_ERR_INPUT, "management action %zu: it has no start date", x + 1);
		if (act->to != FORECAST_NO_DATE && act->to < act->from) {
			date_format(act->from, d1, sizeof(d1));
			date_format(act->to, d2, sizeof(d2));
			return fc_fail(c, FORECAST_ERR_INPUT, "management action %zu: it ends (%s) before it starts (%s)",
				       x + 1, d2, d1);
		}
		if (act->annual_pence > MONEY_LINE_MAX || act->annual_pence < -MONEY_LINE_MAX)
			return fc_fail(c, FORECAST_ERR_INPUT, "management action %zu: the amount is out of range", x + 1);
		c->act_next[x] = c->act_head[ei];
		c->act_head[ei] = x + 1;
		c->act_n[ei]++;
	}
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
	    (c->bacc = forecast_mem_alloc(r, (in->nentities + 1) * sizeof(*c->bacc))) == NULL ||
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
		if ((c->bacc[i] = forecast_mem_alloc(r, (e->nlines + 1) * sizeof(*c->bacc[i]))) == NULL)
			return fc_nomem(c);
		for (size_t j = 0; j < e->nlines; j++)
			if ((c->bacc[i][j] = fc_account(c, e->lines[j].code)) == NULL)
				return fc_fail(c, FORECAST_ERR_INPUT, "%s: line %zu: %s is not an account code", e->urn, j + 1,
					       e->lines[j].code != NULL ? e->lines[j].code : "(none)");
	}
	for (size_t i = 0; i < in->nentities; i++)
		have_pooled |= c->pooled[i] = fc_is_pooled(c, i);
	if ((have_pooled && fc_pool_split(c, c->central) != 0) || (in->have_services && fc_services_index(c) != 0) ||
	    fc_actions(c) != 0)
		return -1;
	c->have_pooled = have_pooled;
	for (size_t i = 0; i < in->nentities; i++) {
		const struct forecast_entity_in *e = &in->entities[i];
		size_t m;

		if (!e->selected && !e->is_central)
			continue;
		r->entities[nsel].in = e;
		c->emodel[nsel] = -1;
		r->nentities = ++nsel;
		if (!e->is_central && e->model != NULL && e->model[0] != '\0') {
			for (m = 0; m < c->nmodels && strcmp(c->models[m], e->model) != 0; m++)
				;
			if (m == c->nmodels)
				c->models[c->nmodels++] = e->model;
			c->emodel[nsel - 1] = (int)m;
		}
	}
	return 0;
}

/*
 * Selected entity i's lines projected over every year, line by line (a line's
 * years at once, the entity's lines in order), then handed to the rules stage
 * (its sums for the plugins) and the report (its totals) while they are in the
 * cache: no line depends on the postings, so the finance rules run afterwards,
 * year by year. c->kf: the first year with an amount out of range (H + 1: none),
 * c->ef the first entity that has it, as projecting year by year would find it.
 */
static int fc_project(struct fc *c, struct forecast_rules_stage *st, struct forecast_report *rep, size_t i)
{
	struct forecast_entity *e = &c->r->entities[i];
	int fail = c->H + 1;

	for (size_t j = 0; j < e->nlines; j++) {
		int k = forecast_drivers_project(c->a, c->cpi, e, &e->lines[j]);

		if (k > 0 && k < fail)
			fail = k;
	}
	if (fail < c->kf) {
		c->kf = fail;
		c->ef = i;
	}
	forecast_report_lines(rep, i);
	return forecast_rules_entity(st, i, c->H);
}

/*
 * Every selected entity's lines (pooled GAG first, the base lines, service lines)
 * and, unless rep is NULL (only the base year's rules), projected (fc_project);
 * with the warnings in the order the entities come.
 */
static int fc_entities(struct fc *c, struct forecast_rules_stage *st, struct forecast_report *rep)
{
	struct forecast_result *r = c->r;
	size_t schools = 0;
	int services = 0;

	c->kf = c->H + 1;
	for (size_t i = 0; i < r->nentities; i++)
		schools += c->emodel[i] >= 0;
	for (size_t i = 0; i < r->nentities; i++) {
		struct forecast_entity *fe = &r->entities[i];
		const struct forecast_entity_in *e = fe->in;
		/* posting lines expected (a guess: booking makes room for more) */
		size_t posts = rep == NULL ? 0 : (size_t)c->H * FC_POSTS_A_YEAR * (c->emodel[i] >= 0 ? 1 :
											  e->is_central ? schools : 0);

		if (e->budget_status != NULL && strcmp(e->budget_status, "approved") != 0)
			fc_warn(c, e->urn, c->a->base_year, "budget_not_approved", "the base budget is %s, not approved",
				e->budget_status);
		if (!e->has_opening)
			fc_warn(c, e->urn, c->a->base_year, "no_opening_reserves",
				"no opening reserves are recorded for the base year: 0 assumed");
		if (fc_entity_setup(c, fe, (size_t)(e - c->in->entities), c->have_pooled, posts) != 0)
			return -1;
		for (size_t j = 0; !c->in->have_services && !services && j < fe->nlines; j++)
			services = fe->lines[j].driver == FD_SERVICES;
		if (rep != NULL ? fc_project(c, st, rep, i) != 0 : forecast_rules_entity(st, i, 0) != 0)
			return -1;
	}
	if (services)
		fc_warn(c, "", 0, "services_unavailable", "shared services and subscriptions are not "
			"available: lines with the services driver follow CPI");
	return c->kind ? -1 : 0;
}

/* The run; base_only: only the finance rules over the base year (k = 0), no
 * projection, no digest, no report (forecast_rules_base). */
static int fc_run(const struct forecast_input *in, struct forecast_result *r, enum forecast_error *kind, char *err,
		  size_t errlen, int base_only)
{
	struct fc c = { .in = in, .a = in->a, .r = r, .H = in->a != NULL ? in->a->horizon : 0, .err = err,
			.errlen = errlen };
	struct forecast_rules_stage *st = NULL;
	struct forecast_report *rep = NULL;
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
	if ((st = forecast_rules_new(in, r, c.models, c.nmodels, c.emodel, err, errlen)) == NULL ||
	    (!base_only && (rep = forecast_report_new(in, r)) == NULL)) {
		fc_nomem(&c);
		goto out;
	}
	if (fc_entities(&c, st, rep) != 0)
		goto out;
	if (base_only) {
		rc = forecast_rules_year(st, 0) != 0 ? -1 : 0;
		goto out;
	}
	for (int k = 1; k <= c.H; k++) {
		if (k == c.kf) {
			fc_range(&c, r->entities[c.ef].in->urn);
			goto out;
		}
		if (forecast_rules_year(st, k) != 0)
			goto out;
	}
	if (forecast_rules_book(st) != 0 || forecast_report_finish(rep, &c.kind, err, errlen) != 0)
		goto out;
	rc = 0;
out:
	if (st != NULL && c.kind == 0)
		c.kind = forecast_rules_error(st);
	forecast_rules_free(st);
	forecast_report_free(rep);
	free(c.adrv);
	free(c.adrv_ok);
	free(c.aslot);
	free(c.aord);
	free(c.ahash);
	free(c.sord);
	free(c.cn);
	free(c.pooled);
	free(c.pool_w);
	for (size_t g = 0; c.pool_share != NULL && g < c.npool_lines; g++)
		free(c.pool_share[g]);
	free(c.pool_share);
	free(c.emodel);
	free(c.models);
	free(c.act_head);
	free(c.act_next);
	free(c.act_n);
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
