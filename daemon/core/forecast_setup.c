/* forecast_setup.c - see forecast_setup.h */
#include "forecast_setup.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "forecast_drivers.h"
#include "forecast_mem.h"
#include "money.h"

/* ---- the state's errors ---- */

int forecast_setup_fail(struct forecast_setup *c, enum forecast_error kind, const char *fmt, ...)
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

int forecast_setup_nomem(struct forecast_setup *c)
{
	return forecast_setup_fail(c, FORECAST_ERR_NOMEM, "out of memory");
}

int forecast_setup_range(struct forecast_setup *c, const char *urn)
{
	return forecast_setup_fail(c, FORECAST_ERR_INPUT, "%s: amounts out of range", urn);
}

/* ---- accounts ---- */

static int fs_key_cmp(const void *x, const void *y)
{
	return strcmp(((const struct forecast_setup_key *)x)->key, ((const struct forecast_setup_key *)y)->key);
}

/* FNV-1a of a code, for the account index. */
static size_t fs_hash(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

const struct forecast_account *forecast_setup_account(const struct forecast_setup *c, const char *code)
{
	if (code == NULL)
		return NULL;
	for (size_t i = fs_hash(code) & c->amask; c->ahash[i] != NULL; i = (i + 1) & c->amask)
		if (strcmp(c->ahash[i]->code, code) == 0)
			return c->ahash[i];
	return NULL;
}

int forecast_setup_accounts(struct forecast_setup *c)
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
		return forecast_setup_nomem(c);
	for (size_t i = 0; i < n; i++) {
		const struct forecast_account *a = &in->accounts[i];

		if (a->code == NULL || a->group == NULL || a->driver == NULL)
			return forecast_setup_fail(c, FORECAST_ERR_INPUT, "account %zu is incomplete", i);
		c->adrv_ok[i] = forecast_driver_parse(a->driver, &c->adrv[i], c->aix[i]) == 0;
		c->aslot[i] = c->adrv_ok[i] && c->adrv[i] == FD_INFLATION ? forecast_index_slot(c->a, c->aix[i]) : -1;
		c->aord[i] = (struct forecast_setup_key){ a->code, i };
	}
	if (n > 1)
		qsort(c->aord, n, sizeof(*c->aord), fs_key_cmp);
	for (size_t i = 1; i < n; i++)
		if (strcmp(c->aord[i - 1].key, c->aord[i].key) == 0)
			return forecast_setup_fail(c, FORECAST_ERR_INPUT, "account %s is in the chart twice",
						   c->aord[i].key);
	for (size_t i = 0; i < n; i++) {
		size_t h = fs_hash(in->accounts[i].code) & c->amask;

		while (c->ahash[h] != NULL)
			h = (h + 1) & c->amask;
		c->ahash[h] = &in->accounts[i];
	}
	return 0;
}

/* ---- an entity's lines ---- */

/* The latest value at or before each year: a projection counts for its year,
 * the last census is carried forward; FORECAST_NO_DATA only before any. */
void forecast_setup_carry(const int32_t *in, int32_t *out)
{
	int32_t last = FORECAST_NO_DATA;

	for (int i = 0; i < FORECAST_NC; i++) {
		if (in[i] >= 0)
			last = in[i];
		out[i] = last;
	}
}

static struct forecast_line *fs_line_add(struct forecast_setup *c, struct forecast_entity *e)
{
	struct forecast_line *l;

	if (e->nlines == e->cap) {
		size_t cap = e->cap ? e->cap * 2 : 16;
		struct forecast_line *nl = forecast_mem_alloc(c->r, cap * sizeof(*nl));

		if (nl == NULL) {
			forecast_setup_nomem(c);
			return NULL;
		}
		if (e->nlines > 0)
			memcpy(nl, e->lines, e->nlines * sizeof(*nl));     /* the old array stays in r's memory */
		e->lines = nl;
		e->cap = cap;
	}
	l = &e->lines[e->nlines++];
	memset(l, 0, sizeof(*l));
	l->index = -1;
	l->index_name = "";
	if ((l->a = forecast_mem_alloc(c->r, (size_t)(c->H + 1) * sizeof(int64_t))) == NULL) {
		e->nlines--;
		forecast_setup_nomem(c);
		return NULL;
	}
	return l;
}

/* The line's side record (struct forecast_line_x), made when it has none. 0 or -1. */
static int fs_x(struct forecast_setup *c, struct forecast_line *l)
{
	if (l->x == NULL && (l->x = forecast_mem_alloc(c->r, sizeof(*l->x))) == NULL)
		return forecast_setup_nomem(c);
	return 0;
}

/* The driver of a line: its own, or its account's. */
static int fs_line_driver(struct forecast_setup *c, struct forecast_line *l, const char *drv, const char *urn)
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
		return forecast_setup_fail(c, FORECAST_ERR_INPUT, "%s: %s: \"%s\" is not a forecast driver", urn,
					   l->account->code, s);
	} else {
		l->driver = d;
		slot = d == FD_INFLATION ? forecast_index_slot(c->a, ix) : -1;
		/* the name kept where the result can point: the assumptions' (borrowed) or its own */
		if (slot >= 0)
			l->index_name = c->a->indices[slot].name;
		else if (ix[0] != '\0' && (l->index_name = forecast_mem_strdup(c->r, ix)) == NULL)
			return forecast_setup_nomem(c);
	}
	if (l->driver == FD_INFLATION) {
		l->index = (int16_t)slot;
		if (l->index < 0) {
			size_t i;

			for (i = 0; i < c->nwarned_index && strcmp(c->warned_index[i], l->index_name) != 0; i++)
				;
			if (i == c->nwarned_index && i < FORECAST_MAX_INDICES) {
				snprintf(c->warned_index[c->nwarned_index++], sizeof(c->warned_index[0]), "%s", l->index_name);
				forecast_setup_warn(c, "", 0, "index_missing",
						    "the scenario gives no inflation_bp for \"%s\": 0%% a year", l->index_name);
			}
		}
	} else if (l->driver == FD_PUPILS_CURRENT) {
		l->index = (int16_t)c->cpi;
		l->index_name = "cpi";
	}
	return 0;
}

/* Staff lines: E[Y0] from the base year's amount (forecast_drivers_staff_base). */
static int fs_staff_base(struct forecast_setup *c, struct forecast_line *l, const char *urn, int64_t *unbudgeted)
{
	int64_t u;

	if ((l->m = forecast_mem_alloc(c->r, 2 * (size_t)(c->H + 1) * sizeof(int64_t))) == NULL)
		return forecast_setup_nomem(c);
	l->e = l->m + c->H + 1;
	if (forecast_drivers_staff_base(c->a, l, &u) != 0 || money_add(*unbudgeted, u, unbudgeted) != 0)
		return forecast_setup_range(c, urn);
	return 0;
}

/* "<what>+1.41%" into buf. */
static void fs_bp_text(int32_t bp, const char *what, char *buf, size_t len)
{
	int32_t a = bp < 0 ? -bp : bp;

	snprintf(buf, len, "%s%c%d.%02d%%", what, bp < 0 ? '-' : '+', (int)(a / 100), (int)(a % 100));
}

/* The base year's April changes its budget does not include: what they cost the entity. */
static void fs_unbudgeted_warn(struct forecast_setup *c, const char *urn, int64_t pence)
{
	char amount[32], changes[96] = "";
	const struct forecast_assumptions *a = c->a;

	if (pence == 0)
		return;
	money_format_human(pence < 0 ? -pence : pence, amount, sizeof(amount));
	if (a->base_teacher_oncost_unbudgeted_bp != 0)
		fs_bp_text(a->base_teacher_oncost_unbudgeted_bp, "teachers' on-costs ", changes, sizeof(changes));
	if (a->base_support_oncost_unbudgeted_bp != 0)
		fs_bp_text(a->base_support_oncost_unbudgeted_bp, changes[0] ? ", support staff's on-costs " :
			   "support staff's on-costs ", changes + strlen(changes), sizeof(changes) - strlen(changes));
	forecast_setup_warn(c, urn, a->base_year, "unbudgeted_base_change",
		"the scenario's April %d change (%s) is not in the %d-%02d budget: it %s %s from April to August %d; "
		"the base year shows the budget as set, the forecast years include it",
		a->base_year + 1, changes, a->base_year, (a->base_year + 1) % 100, pence > 0 ? "costs" : "saves", amount,
		a->base_year + 1);
}

static int fs_urn_pos_cmp(const void *x, const void *y)
{
	const struct forecast_setup_key *a = x, *b = y;
	int d = strcmp(a->key, b->key);

	return d != 0 ? d : (a->i > b->i) - (a->i < b->i);
}

/* The services indexed by URN (each URN's in input order), so an entity finds its
 * own without a scan of every service: linear in entities x their services. */
int forecast_setup_services_index(struct forecast_setup *c)
{
	const struct forecast_input *in = c->in;
	int sorted = 1;

	if ((c->sord = calloc(in->nservices + 1, sizeof(*c->sord))) == NULL)
		return forecast_setup_nomem(c);
	for (size_t i = 0; i < in->nservices; i++) {
		c->sord[i] = (struct forecast_setup_key){ in->services[i].urn, i };
		if (i > 0 && strcmp(c->sord[i - 1].key, c->sord[i].key) > 0)
			sorted = 0;
	}
	if (!sorted)
		qsort(c->sord, in->nservices, sizeof(*c->sord), fs_urn_pos_cmp);
	return 0;
}

/* The staff costs indexed by URN, as the services. */
int forecast_setup_staff_index(struct forecast_setup *c)
{
	const struct forecast_input *in = c->in;

	if (in->nstaff == 0)
		return 0;
	if ((c->tord = calloc(in->nstaff + 1, sizeof(*c->tord))) == NULL)
		return forecast_setup_nomem(c);
	for (size_t i = 0; i < in->nstaff; i++)
		c->tord[i] = (struct forecast_setup_key){ in->staff[i].urn, i };
	if (in->nstaff > 1)
		qsort(c->tord, in->nstaff, sizeof(*c->tord), fs_urn_pos_cmp);
	return 0;
}

/* An entity's keys in ord[0..n) sorted by URN: ord[*lo .. *hi). */
static void fs_keys_of(const struct forecast_setup_key *ord, size_t n, const char *urn, size_t *lo, size_t *hi)
{
	size_t l = 0, h = n;

	while (l < h) {
		size_t mid = l + (h - l) / 2;

		if (strcmp(ord[mid].key, urn) < 0)
			l = mid + 1;
		else
			h = mid;
	}
	*lo = l;
	for (h = l; h < n && strcmp(ord[h].key, urn) == 0; h++)
		;
	*hi = h;
}

/* The entity's cost for a code (the first given), from its services sord[lo .. hi), or NULL. */
static const struct forecast_service *fs_service(const struct forecast_setup *c, size_t lo, size_t hi,
						  const char *code)
{
	for (size_t i = lo; i < hi; i++) {
		const struct forecast_service *s = &c->in->services[c->sord[i].i];

		if (strcmp(s->code, code) == 0)
			return s;
	}
	return NULL;
}

/* The services lines of an entity: share each code's cost, or fall back to CPI. */
static int fs_services_setup(struct forecast_setup *c, struct forecast_entity *e, size_t lo, size_t hi)
{
	const char *urn = e->in->urn;

	for (size_t i = 0; i < e->nlines; i++) {
		struct forecast_line *l = &e->lines[i];
		const struct forecast_service *svc = NULL;
		int64_t den = 0;
		size_t last = i, first = i;

		if (l->driver != FD_SERVICES || forecast_line_service(l) != NULL || l->fallback)
			continue;
		if (c->in->have_services)
			svc = fs_service(c, lo, hi, l->account->code);
		if (svc == NULL) {
			l->fallback = 1;
			l->index = (int16_t)c->cpi;
			l->index_name = "cpi";
			if (c->in->have_services)
				forecast_setup_warn(c, urn, 0, "services_fallback",
					"%s (%s): no service is booked to %s for this entity: it follows CPI", l->account->code,
					l->description, l->account->code);
			continue;
		}
		/* every services line of the entity on this code shares the cost */
		for (size_t j = i; j < e->nlines; j++) {
			struct forecast_line *o = &e->lines[j];

			if (o->driver != FD_SERVICES || o->account != l->account)
				continue;
			if (fs_x(c, o) != 0)
				return -1;
			o->x->service = svc;
			if (money_add(den, o->a[0] > 0 ? o->a[0] : 0, &den) != 0)
				return forecast_setup_range(c, urn);
			last = j;
		}
		for (size_t j = i; j <= last; j++) {
			struct forecast_line *o = &e->lines[j];

			if (o->driver != FD_SERVICES || forecast_line_service(o) != svc)
				continue;
			o->x->service_num = den > 0 ? (o->a[0] > 0 ? o->a[0] : 0) : (j == first);
			o->x->service_den = den > 0 ? den : 1;
			o->x->service_rest = j == last && j != first;
		}
	}
	return 0;
}

/* Services with a cost for the entity and no line on the code at all: a line of their own. */
static int fs_services_extra(struct forecast_setup *c, struct forecast_entity *e, size_t lo, size_t hi)
{
	for (size_t i = lo; c->in->have_services && i < hi; i++) {
		const struct forecast_service *s = &c->in->services[c->sord[i].i];
		const struct forecast_account *a;
		struct forecast_line *l;
		size_t j;

		if ((a = forecast_setup_account(c, s->code)) == NULL)
			return forecast_setup_fail(c, FORECAST_ERR_INPUT,
						   "%s: a service is booked to %s, which is not an account code", e->in->urn,
						   s->code);
		for (j = 0; j < e->nlines && e->lines[j].account != a; j++)
			;
		if (j < e->nlines)
			continue;                        /* the entity budgets this code itself */
		if ((l = fs_line_add(c, e)) == NULL)
			return -1;
		l->origin = FO_SERVICE;
		l->account = a;
		l->description = s->label != NULL ? s->label : "";
		l->driver = FD_SERVICES;
		if (fs_x(c, l) != 0)
			return -1;
		l->x->service = s;
		l->x->service_num = 1;
		l->x->service_den = 1;
	}
	return 0;
}

/* A services line's base year: its part of the cost and the rest of the line (R[0]). */
static int fs_services_base(struct forecast_setup *c, struct forecast_entity *e, struct forecast_line *l)
{
	if ((l->m = forecast_mem_alloc(c->r, 2 * (size_t)(c->H + 1) * sizeof(int64_t))) == NULL)
		return forecast_setup_nomem(c);
	l->e = l->m + c->H + 1;
	if (forecast_drivers_services_base(e, l) != 0)
		return forecast_setup_range(c, e->in->urn);
	return 0;
}

/* One services_short warning per service an entity's base budget is short of. */
static void fs_services_short(struct forecast_setup *c, const struct forecast_entity *e)
{
	for (size_t i = 0; i < e->nlines; i++) {
		const struct forecast_line *l = &e->lines[i];
		const struct forecast_service *svc = forecast_line_service(l);
		int64_t base = 0, cost = 0, short_pence = 0;
		const char *desc = NULL;
		char y[8], m1[40], m2[40], m3[40];
		size_t j;

		if (l->driver != FD_SERVICES || svc == NULL)
			continue;
		for (j = 0; j < i && !(e->lines[j].driver == FD_SERVICES && forecast_line_service(&e->lines[j]) == svc); j++)
			;
		if (j < i)
			continue;                        /* said with the service's first line */
		for (j = i; j < e->nlines; j++) {
			const struct forecast_line *o = &e->lines[j];

			if (o->driver != FD_SERVICES || forecast_line_service(o) != svc)
				continue;
			cost += o->e[0];
			if (o->e[0] <= 0)
				continue;                /* a credit beside the recharge: not short */
			desc = desc == NULL ? o->description : "";
			base += o->a[0];
			short_pence += o->x->short_pence;
		}
		if (short_pence <= 0)
			continue;
		acyear_format(c->a->base_year, y, sizeof(y));
		money_format_human(base, m1, sizeof(m1));
		money_format_human(cost, m2, sizeof(m2));
		money_format_human(short_pence, m3, sizeof(m3));
		forecast_setup_warn(c, e->in->urn, c->a->base_year, "services_short",
			"%s%s%s%s: the %s base budget has %s on %s for services that cost %s (%s): it is %s short. "
			"The rest of the line is taken as \xc2\xa3" "0.00, so the forecast years carry the services alone; budget at "
			"least the recharge", l->account->code, desc != NULL && desc[0] != '\0' ? " (" : "",
			desc != NULL ? desc : "", desc != NULL && desc[0] != '\0' ? ")" : "", y, m1, l->account->code, m2,
			svc->label != NULL ? svc->label : "", m3);
	}
}

/* ---- staff from posts ---- */

/* Whether entity ei has a base line generated from posts on code. */
static int fs_staff_generated(const struct forecast_entity_in *ei, const char *code)
{
	for (size_t j = 0; ei->from_posts != NULL && j < ei->nlines; j++)
		if (ei->from_posts[j] && strcmp(ei->lines[j].code, code) == 0)
			return 1;
	return 0;
}

/* Base line l (ei's line j) on a code with staff costed from posts (the entity's tord[lo .. hi)):
 * driver posts when it is generated from posts, or when the entity has no generated line on
 * the code and the cost is not the levy (forecast.h); the first such line carries the cost.
 * 0 or -1. */
static int fs_staff_line(struct forecast_setup *c, const struct forecast_entity_in *ei, size_t j,
			 struct forecast_line *l, size_t lo, size_t hi)
{
	const struct forecast_staff *s = NULL;

	for (size_t i = lo; i < hi && s == NULL; i++)
		if (strcmp(c->in->staff[c->tord[i].i].code, l->account->code) == 0)
			s = &c->in->staff[c->tord[i].i];
	if (s == NULL)
		return 0;
	if ((ei->from_posts == NULL || !ei->from_posts[j]) && (s->levy || fs_staff_generated(ei, l->account->code)))
		return 0;                        /* a typed line beside generated ones keeps its driver */
	if (fs_x(c, l) != 0)
		return -1;
	l->driver = FD_POSTS;
	l->index = -1;
	l->index_name = "";
	l->x->staff = s;
	return 0;
}

/* Each costed code: its first line carries the cost, the base lines' sum kept (staff_base);
 * a costed code with no base line gets a line of its own. 0 or -1. */
static int fs_staff_extra(struct forecast_setup *c, struct forecast_entity *e, size_t lo, size_t hi)
{
	for (size_t i = lo; i < hi; i++) {
		const struct forecast_staff *s = &c->in->staff[c->tord[i].i];
		struct forecast_line *first = NULL, *l;
		const struct forecast_account *a;
		int64_t base = 0;

		if ((a = forecast_setup_account(c, s->code)) == NULL || a->is_internal)
			return forecast_setup_fail(c, FORECAST_ERR_INPUT, "%s: staff are costed on %s, which is %s",
						   e->in->urn, s->code, a == NULL ? "not an account code" : "an internal code");
		for (size_t j = 0; j < e->nlines; j++) {
			l = &e->lines[j];
			if (l->driver != FD_POSTS || l->x->staff != s)
				continue;
			if (first == NULL)
				first = l;
			if (money_add(base, l->a[0], &base) != 0)
				return forecast_setup_range(c, e->in->urn);
		}
		if (first == NULL) {
			if ((l = fs_line_add(c, e)) == NULL || fs_x(c, l) != 0)
				return -1;
			l->origin = FO_STAFF;
			l->account = a;
			l->description = s->levy ? "Apprenticeship levy and employment allowance (from posts)" :
						   "Staff costed from posts";
			l->driver = FD_POSTS;
			l->x->staff = s;
			first = l;
		}
		first->x->staff_first = 1;
		first->x->staff_base = base;
	}
	return 0;
}

/* One staff_base_differs warning per costed code whose base lines are not its posts' base-year cost. */
static void fs_staff_differs(struct forecast_setup *c, const struct forecast_entity *e)
{
	for (size_t i = 0; i < e->nlines; i++) {
		const struct forecast_line *l = &e->lines[i];
		const struct forecast_line_x *x = l->x;
		int64_t d;
		char y[8], m1[40], m2[40], m3[40];

		if (l->driver != FD_POSTS || !x->staff_first || x->staff_base == x->staff->pence[0])
			continue;
		d = x->staff->pence[0] - x->staff_base;
		acyear_format(c->a->base_year, y, sizeof(y));
		money_format_human(x->staff_base, m1, sizeof(m1));
		money_format_human(x->staff->pence[0], m2, sizeof(m2));
		money_format_human(d < 0 ? -d : d, m3, sizeof(m3));
		if (x->staff->levy)
			forecast_setup_warn(c, e->in->urn, c->a->base_year, "staff_base_differs",
				"%s: the %s budget has %s for the apprenticeship levy and employment allowance; from the "
				"posts they come to %s in %s (%s %s): the base year shows the budget, the forecast years the "
				"posts", l->account->code, y, m1, m2, y, m3, d > 0 ? "more" : "less");
		else
			forecast_setup_warn(c, e->in->urn, c->a->base_year, "staff_base_differs",
				"%s: the %s budget has %s; the posts cost %s in %s (%s %s): the base year shows the budget, "
				"the forecast years the posts", l->account->code, y, m1, m2, y, m3, d > 0 ? "more" : "less");
	}
}

/* The management actions of input entity ei: a line each, in the scenario's order. */
static int fs_actions_lines(struct forecast_setup *c, struct forecast_entity *e, size_t ei)
{
	static const char prefix[] = "Management action: ";

	for (size_t x = c->act_head != NULL ? c->act_head[ei] : 0; x != 0; x = c->act_next[x - 1]) {
		const struct forecast_action *act = &c->in->actions[x - 1];
		const char *note = act->note != NULL ? act->note : "";
		size_t n = strlen(note);
		struct forecast_line *l;
		char *d;

		if ((l = fs_line_add(c, e)) == NULL)
			return -1;
		if ((d = forecast_mem_alloc(c->r, sizeof(prefix) + n)) == NULL)
			return forecast_setup_nomem(c);
		memcpy(d, prefix, sizeof(prefix) - 1);
		memcpy(d + sizeof(prefix) - 1, note, n + 1);
		l->origin = FO_ACTION;
		l->driver = FD_ACTION;
		l->account = forecast_setup_account(c, act->code);
		l->description = d;
		l->action = act;
	}
	return 0;
}

/* One selected entity's projected lines: pooled GAG first, the base lines, service lines;
 * room for `posts` posting lines after them. */
int forecast_setup_entity(struct forecast_setup *c, struct forecast_entity *e, size_t ei_index, size_t posts)
{
	const struct forecast_entity_in *ei = e->in;
	const struct forecast_entity_in *central = c->central;
	int any_places = 0;
	int64_t unbudgeted = 0;
	size_t lo = 0, hi = 0, tlo = 0, thi = 0;

	forecast_setup_carry(ei->pupils, e->n);
	forecast_setup_carry(ei->places, e->places);
	for (int i = 0; i < FORECAST_NC; i++)
		any_places |= e->places[i] >= 0;
	if (c->in->have_services)
		fs_keys_of(c->sord, c->in->nservices, ei->urn, &lo, &hi);
	if (c->tord != NULL)
		fs_keys_of(c->tord, c->in->nstaff, ei->urn, &tlo, &thi);
	/* room for every line at once: pooled GAG, the base lines, a line per service, the actions, the postings */
	e->cap = (c->pooled[ei_index] ? c->npool_lines : 0) + ei->nlines + (hi - lo) + (thi - tlo) +
		 (c->act_n != NULL ? c->act_n[ei_index] : 0) + posts;
	if ((e->lines = forecast_mem_alloc(c->r, (e->cap + 1) * sizeof(*e->lines))) == NULL)
		return forecast_setup_nomem(c);
	if (c->pooled[ei_index] && central != NULL) {
		for (size_t j = 0, g = 0; j < central->nlines; j++) {
			const struct forecast_line_in *li = &central->lines[j];
			const struct forecast_account *a = c->bacc[c->central_i][j];
			struct forecast_line *l;

			if (!a->is_gag || !a->is_income)
				continue;
			if ((l = fs_line_add(c, e)) == NULL)
				return -1;
			l->origin = FO_POOLED_GAG;
			l->account = a;
			l->description = li->description != NULL ? li->description : "";
			l->excluded = li->excluded;
			l->a[0] = c->pool_share[g++][ei_index];
			if (fs_x(c, l) != 0)
				return -1;
			l->x->pool_total = li->amount_pence;
			l->x->pool_weight = (int32_t)c->pool_w[ei_index];
			l->x->pool_weights = (int32_t)c->pool_W;
			if (fs_line_driver(c, l, li->driver, ei->urn) != 0)
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
		if (ei->is_central && c->have_pooled && a->is_gag && a->is_income)
			continue;                        /* handed to the pooled schools */
		if ((l = fs_line_add(c, e)) == NULL)
			return -1;
		l->origin = FO_BUDGET;
		l->account = a;
		l->description = li->description != NULL ? li->description : "";
		l->excluded = li->excluded;
		l->a[0] = li->amount_pence;
		if (fs_line_driver(c, l, li->driver, ei->urn) != 0 || fs_staff_line(c, ei, j, l, tlo, thi) != 0)
			return -1;
		if (l->driver == FD_PLACES && !any_places) {
			l->fallback = 1;
			forecast_setup_warn(c, ei->urn, 0, "places_fallback",
					    "%s (%s): no high-needs places are known: the line is held at its base amount",
					    a->code, l->description);
		}
	}
	if (fs_staff_extra(c, e, tlo, thi) != 0 || fs_services_setup(c, e, lo, hi) != 0 ||
	    fs_services_extra(c, e, lo, hi) != 0 || fs_actions_lines(c, e, ei_index) != 0)
		return -1;
	for (size_t i = 0; i < e->nlines; i++) {
		struct forecast_line *l = &e->lines[i];

		if ((l->driver == FD_TEACHER_PAY || l->driver == FD_SUPPORT_PAY) &&
		    fs_staff_base(c, l, ei->urn, &unbudgeted) != 0)
			return -1;
		if (l->driver == FD_SERVICES && forecast_line_service(l) != NULL && fs_services_base(c, e, l) != 0)
			return -1;
	}
	fs_services_short(c, e);
	fs_staff_differs(c, e);
	fs_unbudgeted_warn(c, ei->urn, unbudgeted);
	return c->kind ? -1 : 0;
}
