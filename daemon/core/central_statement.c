/* central_statement.c - see central_statement.h */
#include "central_statement.h"

#include <stdio.h>
#include <string.h>

#include "money.h"

static const struct forecast_account *cs_account(const struct forecast_account *acc, size_t nacc, const char *code)
{
	for (size_t i = 0; i < nacc; i++)
		if (strcmp(acc[i].code, code) == 0)
			return &acc[i];
	return NULL;
}

int central_statement_budget_of(const struct forecast_entity_in *e, const struct forecast_account *acc, size_t nacc,
				struct central_statement_budget *out)
{
	struct central_statement_budget b = { 0 };

	if (e != NULL && e->budget_status != NULL) {
		b.present = 1;
		b.status = e->budget_status;
		for (size_t i = 0; i < e->nlines; i++) {
			const struct forecast_account *a = cs_account(acc, nacc, e->lines[i].code);

			if (a == NULL || a->is_internal)
				continue;
			if (money_add(a->is_income ? b.other_income_pence : b.expenditure_pence, e->lines[i].amount_pence,
				      a->is_income ? &b.other_income_pence : &b.expenditure_pence) != 0)
				return -1;
		}
	}
	*out = b;
	return 0;
}

/* "approved budget", "draft budget (the latest version, not yet approved)" */
static void cs_budget_name(const char *status, char *buf, size_t len)
{
	if (strcmp(status, "approved") == 0)
		snprintf(buf, len, "approved budget");
	else
		snprintf(buf, len, "%s budget (the latest version, not yet approved)", status);
}

/* The charges against the core services in the service catalogue. */
static void cs_core_words(const char *year, int scoped, struct central_statement_cmp *c)
{
	const char *who = scoped ? "Your schools' charges and retentions" : "The schools' charges and retentions";
	char a[40], k[40], d[40];
	char *out = c->explanation;

	money_format_human(c->charges_pence, a, sizeof(a));
	money_format_human(c->cost_pence, k, sizeof(k));
	money_format_human(c->difference_pence < 0 ? -c->difference_pence : c->difference_pence, d, sizeof(d));
	if (c->cost_pence == 0)
		snprintf(out, CENTRAL_STATEMENT_EXPL_MAX, "No core service in the service catalogue is active in %s: "
			 "%s of %s pay for the central team's own staff and running costs.", year,
			 scoped ? "your schools' charges and retentions" : "the schools' charges and retentions", a);
	else if (scoped)
		snprintf(out, CENTRAL_STATEMENT_EXPL_MAX, "%s of %s are %s %s the %s that the trust's core services in "
			 "the service catalogue cost in %s; every school's charge or retention together pays for them "
			 "and for the central team's own staff and running costs.", who, a, d,
			 c->difference_pence < 0 ? "less than" : "more than", k, year);
	else if (c->difference_pence > 0)
		snprintf(out, CENTRAL_STATEMENT_EXPL_MAX, "%s of %s are %s more than the %s that the core services in the "
			 "service catalogue cost in %s. The catalogue holds only the services the trust buys in for its "
			 "schools; the rest pays for the central team's own staff and running costs, which the comparison "
			 "with the central team's budgeted spending covers.", who, a, d, k, year);
	else if (c->difference_pence < 0)
		snprintf(out, CENTRAL_STATEMENT_EXPL_MAX, "%s of %s are %s less than the %s that the core services in the "
			 "service catalogue cost in %s: the central team meets the rest from its other income or the "
			 "trust's reserves.", who, a, d, k, year);
	else
		snprintf(out, CENTRAL_STATEMENT_EXPL_MAX, "%s of %s equal the cost of the core services in the service "
			 "catalogue in %s.", who, a, year);
}

/* The charges against the central team's budgeted spending. */
static int cs_budget_words(const char *year, int scoped, const struct central_statement_budget *b,
			   struct central_statement_cmp *c)
{
	char name[80], a[40], k[40], d[40], o[40], s[40], lead[400];
	int64_t surplus, bp;
	char *out = c->explanation;

	money_format_human(c->charges_pence, a, sizeof(a));
	if (!b->present) {
		snprintf(out, CENTRAL_STATEMENT_EXPL_MAX, "The central team has no budget for %s: %s charges and "
			 "retentions (%s) cannot be set against its spending.", year, scoped ? "your schools'" : "the schools'",
			 a);
		return 0;
	}
	if (money_add(c->charges_pence, b->other_income_pence, &surplus) != 0 ||
	    money_add(surplus, -b->expenditure_pence, &surplus) != 0)
		return -1;
	cs_budget_name(b->status, name, sizeof(name));
	money_format_human(c->cost_pence, k, sizeof(k));
	money_format_human(c->difference_pence < 0 ? -c->difference_pence : c->difference_pence, d, sizeof(d));
	money_format_human(b->other_income_pence, o, sizeof(o));
	money_format_human(surplus < 0 ? -surplus : surplus, s, sizeof(s));
	snprintf(lead, sizeof(lead), "The central team's %s for %s plans %s of spending (staff, premises, supplies, "
		 "services and the contingency; internal charges, pooled GAG and allocations left out).", name, year, k);
	if (scoped) {
		if (c->cost_pence > 0 && c->difference_pence <= 0) {
			if (money_muldiv_round(c->charges_pence, 10000, c->cost_pence, &bp) != 0)
				return -1;
			snprintf(out, CENTRAL_STATEMENT_EXPL_MAX, "%s Your schools' charges and retentions of %s meet "
				 "%lld.%02lld%% of it; the other schools' charges and retentions and the central team's "
				 "other income meet the rest.", lead, a, (long long)(bp / 100), (long long)(bp % 100));
		} else {
			snprintf(out, CENTRAL_STATEMENT_EXPL_MAX, "%s Your schools' charges and retentions of %s are %s "
				 "more than it.", lead, a, d);
		}
		return 0;
	}
	if (c->difference_pence < 0) {
		if (surplus >= 0 && b->other_income_pence > 0)
			snprintf(out, CENTRAL_STATEMENT_EXPL_MAX, "%s The schools' charges and retentions of %s fall %s "
				 "short of it; the central team's other income of %s covers the shortfall and leaves a "
				 "budgeted surplus of %s.", lead, a, d, o, s);
		else if (b->other_income_pence > 0)
			snprintf(out, CENTRAL_STATEMENT_EXPL_MAX, "%s The schools' charges and retentions of %s fall %s "
				 "short of it; the central team's other income of %s covers part of that, leaving a "
				 "budgeted deficit of %s to be met from the trust's reserves.", lead, a, d, o, s);
		else
			snprintf(out, CENTRAL_STATEMENT_EXPL_MAX, "%s The schools' charges and retentions of %s fall %s "
				 "short of it, and the central team has no other income to cover it: a budgeted deficit "
				 "of %s to be met from the trust's reserves.", lead, a, d, s);
	} else if (c->difference_pence > 0 && b->other_income_pence == 0) {
		snprintf(out, CENTRAL_STATEMENT_EXPL_MAX, "%s The schools' charges and retentions of %s exceed it by %s, "
			 "the central team's budgeted surplus, which adds to the trust's reserves.", lead, a, d);
	} else if (c->difference_pence > 0) {
		snprintf(out, CENTRAL_STATEMENT_EXPL_MAX, "%s The schools' charges and retentions of %s exceed it by %s; "
			 "with its other income of %s the central team budgets a surplus of %s, which adds to the "
			 "trust's reserves.", lead, a, d, o, s);
	} else {
		snprintf(out, CENTRAL_STATEMENT_EXPL_MAX, "%s The schools' charges and retentions of %s meet it exactly; "
			 "the central team's other income of %s is its budgeted %s.", lead, a, o,
			 surplus < 0 ? "deficit" : "surplus");
	}
	return 0;
}

int central_statement_compare(const char *year, int scoped, int64_t charges, int64_t core_cost,
			      const struct central_statement_budget *b, struct central_statement_cmp *core,
			      struct central_statement_cmp *budget)
{
	memset(core, 0, sizeof(*core));
	memset(budget, 0, sizeof(*budget));
	core->has_cost = 1;
	core->charges_pence = budget->charges_pence = charges;
	core->cost_pence = core_cost;
	if (money_add(charges, -core_cost, &core->difference_pence) != 0)
		return -1;
	cs_core_words(year, scoped, core);
	if (b->present) {
		budget->has_cost = 1;
		budget->cost_pence = b->expenditure_pence;
		if (money_add(charges, -b->expenditure_pence, &budget->difference_pence) != 0)
			return -1;
	}
	return cs_budget_words(year, scoped, b, budget);
}
