/* forecast.c - see forecast.h; the run's state and each entity's lines: forecast_setup.c */
#include "forecast.h"

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
#include "forecast_setup.h"
#include "money.h"

/* Room kept for posting lines, a year: for each school under a finance model (the
 * bundled models post one or two) and, for the central team, as many for each of
 * those schools. Booking makes more room if a model posts more. */
#define FC_POSTS_A_YEAR 2

void forecast_result_free(struct forecast_result *r)
{
	if (r == NULL)
		return;
	free(r->trust_lines);
	forecast_mem_free(r->mem);               /* the entities, their lines, the warnings */
	memset(r, 0, sizeof(*r));
}

/* ---- drivers and indices ---- */

static const char *const fc_driver_names[] = {
	[FD_FIXED] = "fixed", [FD_FUNDING] = "funding", [FD_PUPILS] = "pupils",
	[FD_PUPILS_CURRENT] = "pupils_current", [FD_PLACES] = "places", [FD_INFLATION] = "inflation",
	[FD_TEACHER_PAY] = "teacher_pay", [FD_SUPPORT_PAY] = "support_pay", [FD_SERVICES] = "services",
	[FD_RULES] = "rules", [FD_ACTION] = "action", [FD_POSTS] = "posts",
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

/* ---- pooled GAG ---- */

/* A pooled school: its base budget has the pool allocation and no GAG income. */
static int fc_is_pooled(const struct forecast_setup *c, size_t i)
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
static int fc_pool_split(struct forecast_setup *c, const struct forecast_entity_in *central)
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
			forecast_setup_range(c, central->urn);
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
	forecast_setup_nomem(c);
out:
	free(sh);
	return rc;
}

/* ---- the run ---- */

/*
 * What the result's memory will hold, from above (forecast_mem_reserve: only
 * what is used is touched): every line with its amounts, M and E and a side
 * record; a line per service, pooled GAG line and action; the postings
 * booking expects (two lines, their amounts, the record and its text); the
 * warnings' messages; the base lines' accounts and the chart's indexes.
 */
static size_t fc_estimate(const struct forecast_setup *c)
{
	const struct forecast_input *in = c->in;
	size_t ny = (size_t)c->H + 1, lines = in->nservices + in->nactions + in->nstaff, base = 0, schools = 0;
	size_t per_line = sizeof(struct forecast_line) + 3 * ny * sizeof(int64_t) + sizeof(struct forecast_line_x);
	size_t posts, bytes;

	for (size_t i = 0; i < in->nentities; i++) {
		base += in->entities[i].nlines;
		schools += !in->entities[i].is_central;
	}
	lines += base + 2 * schools;                 /* pooled GAG: the central team's GAG lines */
	posts = (size_t)c->H * FC_POSTS_A_YEAR * schools;
	bytes = lines * per_line + posts * (2 * sizeof(struct forecast_line) + ny * sizeof(int64_t) + 320) +
		(in->nentities + 1) * (sizeof(struct forecast_entity) + ny * 2 * (sizeof(struct forecast_warning) + 320)) +
		(base + in->nentities + 1) * sizeof(void *) + in->naccounts * (FORECAST_INDEX_MAX + 1) + 65536;
	return bytes;
}

static int fc_check_input(struct forecast_setup *c)
{
	const struct forecast_input *in = c->in;
	size_t ncentral = 0;

	if (c->a == NULL || c->H < 1 || c->H > FORECAST_MAX_HORIZON)
		return forecast_setup_fail(c, FORECAST_ERR_INPUT, "the horizon must be 1 to %d years", FORECAST_MAX_HORIZON);
	for (size_t i = 0; i < in->nentities; i++) {
		const struct forecast_entity_in *e = &in->entities[i];

		if (e->urn == NULL || (i > 0 && strcmp(in->entities[i - 1].urn, e->urn) >= 0))
			return forecast_setup_fail(c, FORECAST_ERR_INPUT, "the entities must be sorted by URN, each once");
		ncentral += e->is_central != 0;
	}
	if (ncentral != 1)
		return forecast_setup_fail(c, FORECAST_ERR_INPUT, "the forecast needs the central team, once");
	for (size_t i = 0; i < in->nservices; i++)
		if (in->services[i].urn == NULL || in->services[i].code == NULL)
			return forecast_setup_fail(c, FORECAST_ERR_INPUT, "a service cost without its entity or code");
	if (in->nstaff > 0 && in->staff == NULL)
		return forecast_setup_fail(c, FORECAST_ERR_INPUT, "staff costs missing");
	for (size_t i = 0; i < in->nstaff; i++) {
		const struct forecast_staff *s = &in->staff[i];

		if (s->urn == NULL || s->code == NULL)
			return forecast_setup_fail(c, FORECAST_ERR_INPUT, "a staff cost without its entity or code");
		for (int k = 0; k <= c->H; k++)
			if (s->pence[k] > MONEY_LINE_MAX || s->pence[k] < -MONEY_LINE_MAX)
				return forecast_setup_fail(c, FORECAST_ERR_INPUT, "%s: %s: the staff cost is out of range",
							   s->urn, s->code);
	}
	return 0;
}

/* The input entity with this URN (sorted by URN), or -1. */
static ptrdiff_t fc_entity_index(const struct forecast_setup *c, const char *urn)
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
static int fc_actions(struct forecast_setup *c)
{
	const struct forecast_input *in = c->in;

	if (in->nactions == 0)
		return 0;
	if (in->actions == NULL)
		return forecast_setup_fail(c, FORECAST_ERR_INPUT, "management actions missing");
	if ((c->act_head = calloc(in->nentities + 1, sizeof(*c->act_head))) == NULL ||
	    (c->act_n = calloc(in->nentities + 1, sizeof(*c->act_n))) == NULL ||
	    (c->act_next = calloc(in->nactions, sizeof(*c->act_next))) == NULL)
		return forecast_setup_nomem(c);
	for (size_t x = in->nactions; x-- > 0;) {
		const struct forecast_action *act = &in->actions[x];
		const struct forecast_account *a;
		ptrdiff_t ei;
		char d1[16], d2[16];

		if (act->urn == NULL || (ei = fc_entity_index(c, act->urn)) < 0)
			return forecast_setup_fail(c, FORECAST_ERR_INPUT,
						   "management action %zu: %s is not an entity of the trust", x + 1,
						   act->urn != NULL ? act->urn : "(none)");
		if (act->code == NULL || (a = forecast_setup_account(c, act->code)) == NULL)
			return forecast_setup_fail(c, FORECAST_ERR_INPUT, "management action %zu: %s is not an account code",
						   x + 1, act->code != NULL ? act->code : "(none)");
		if (a->is_internal)
			return forecast_setup_fail(c, FORECAST_ERR_INPUT, "management action %zu: %s is an internal code "
						   "(the finance rules post those)", x + 1, act->code);
		if (act->from == FORECAST_NO_DATE)
			return forecast_setup_fail(c, FORECAST_ERR_INPUT, "management action %zu: it has no start date",
						   x + 1);
		if (act->to != FORECAST_NO_DATE && act->to < act->from) {
			date_format(act->from, d1, sizeof(d1));
			date_format(act->to, d2, sizeof(d2));
			return forecast_setup_fail(c, FORECAST_ERR_INPUT,
						   "management action %zu: it ends (%s) before it starts (%s)", x + 1, d2, d1);
		}
		if (act->annual_pence > MONEY_LINE_MAX || act->annual_pence < -MONEY_LINE_MAX)
			return forecast_setup_fail(c, FORECAST_ERR_INPUT, "management action %zu: the amount is out of range",
						   x + 1);
		c->act_next[x] = c->act_head[ei];
		c->act_head[ei] = x + 1;
		c->act_n[ei]++;
	}
	return 0;
}

/* Selected entities, their models, the pooled schools and their share of the central team's GAG. */
static int fc_prepare(struct forecast_setup *c)
{
	const struct forecast_input *in = c->in;
	struct forecast_result *r = c->r;
	size_t nsel = 0;
	int have_pooled = 0;

	c->cpi = forecast_index_slot(c->a, "cpi");
	if ((c->cn = calloc(in->nentities, sizeof(*c->cn))) == NULL ||
	    (c->pooled = calloc(in->nentities, sizeof(*c->pooled))) == NULL ||
	    (c->bacc = forecast_mem_alloc(r, (in->nentities + 1) * sizeof(*c->bacc))) == NULL ||
	    (r->entities = forecast_mem_alloc(r, (in->nentities + 1) * sizeof(*r->entities))) == NULL ||
	    (c->emodel = calloc(in->nentities, sizeof(*c->emodel))) == NULL ||
	    (c->models = calloc(in->nentities, sizeof(*c->models))) == NULL)
		return forecast_setup_nomem(c);
	for (size_t i = 0; i < in->nentities; i++) {
		const struct forecast_entity_in *e = &in->entities[i];

		forecast_setup_carry(e->pupils, c->cn[i]);
		if (e->is_central) {
			c->central = e;
			c->central_i = i;
		}
		if ((c->bacc[i] = forecast_mem_alloc(r, (e->nlines + 1) * sizeof(*c->bacc[i]))) == NULL)
			return forecast_setup_nomem(c);
		for (size_t j = 0; j < e->nlines; j++)
			if ((c->bacc[i][j] = forecast_setup_account(c, e->lines[j].code)) == NULL)
				return forecast_setup_fail(c, FORECAST_ERR_INPUT, "%s: line %zu: %s is not an account code",
							   e->urn, j + 1,
							   e->lines[j].code != NULL ? e->lines[j].code : "(none)");
	}
	for (size_t i = 0; i < in->nentities; i++)
		have_pooled |= c->pooled[i] = fc_is_pooled(c, i);
	if ((have_pooled && fc_pool_split(c, c->central) != 0) ||
	    (in->have_services && forecast_setup_services_index(c) != 0) || forecast_setup_staff_index(c) != 0 ||
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
static int fc_project(struct forecast_setup *c, struct forecast_rules_stage *st, struct forecast_report *rep, size_t i)
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
static int fc_entities(struct forecast_setup *c, struct forecast_rules_stage *st, struct forecast_report *rep)
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
			forecast_setup_warn(c, e->urn, c->a->base_year, "budget_not_approved",
					    "the base budget is %s, not approved", e->budget_status);
		if (!e->has_opening)
			forecast_setup_warn(c, e->urn, c->a->base_year, "no_opening_reserves",
				"no opening reserves are recorded for the base year: 0 assumed");
		if (forecast_setup_entity(c, fe, (size_t)(e - c->in->entities), posts) != 0)
			return -1;
		for (size_t j = 0; !c->in->have_services && !services && j < fe->nlines; j++)
			services = fe->lines[j].driver == FD_SERVICES;
		if (rep != NULL ? fc_project(c, st, rep, i) != 0 : forecast_rules_entity(st, i, 0) != 0)
			return -1;
	}
	if (services)
		forecast_setup_warn(c, "", 0, "services_unavailable", "shared services and subscriptions are not "
			"available: lines with the services driver follow CPI");
	return c->kind ? -1 : 0;
}

/* The run; base_only: only the finance rules over the base year (k = 0), no
 * projection, no digest, no report (forecast_rules_base). */
static int fc_run(const struct forecast_input *in, struct forecast_result *r, enum forecast_error *kind, char *err,
		  size_t errlen, int base_only)
{
	struct forecast_setup c = { .in = in, .a = in->a, .r = r, .H = in->a != NULL ? in->a->horizon : 0, .err = err,
			.errlen = errlen };
	struct forecast_rules_stage *st = NULL;
	struct forecast_report *rep = NULL;
	int rc = -1;

	memset(r, 0, sizeof(*r));
	if (errlen > 0)
		err[0] = '\0';
	if (fc_check_input(&c) != 0)
		goto out;
	/* refused (an estimate beyond what the system will map): blocks are made as they fill */
	(void)forecast_mem_reserve(r, fc_estimate(&c));
	if (forecast_setup_accounts(&c) != 0)
		goto out;
	r->base_year = in->a->base_year;
	r->horizon = c.H;
	r->a = in->a;
	if (!base_only && forecast_digest(in, r->digest) != 0) {
		forecast_setup_nomem(&c);
		goto out;
	}
	if (fc_prepare(&c) != 0)
		goto out;
	if ((st = forecast_rules_new(in, r, c.models, c.nmodels, c.emodel, err, errlen)) == NULL ||
	    (!base_only && (rep = forecast_report_new(in, r)) == NULL)) {
		forecast_setup_nomem(&c);
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
			forecast_setup_range(&c, r->entities[c.ef].in->urn);
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
	free(c.tord);
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
