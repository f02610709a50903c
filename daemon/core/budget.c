/* budget.c - see budget.h */
#include "budget.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "jsonv.h"
#include "money.h"
#include "textenc.h"
#include "utf8.h"

const char *budget_kind_name(enum budget_kind k)
{
	return k == BUDGET_INCOME ? "income" : "expenditure";
}

const char *budget_severity_name(enum budget_severity s)
{
	return s == BUDGET_ERROR ? "error" : "warning";
}

/* ---- the chart ---- */

const struct budget_account *budget_chart_find(const struct budget_chart *c, const char *code)
{
	for (size_t i = 0; c != NULL && code != NULL && i < c->n; i++)
		if (strcasecmp(c->accounts[i].code, code) == 0)
			return &c->accounts[i];
	return NULL;
}

const struct budget_account *budget_chart_by_id(const struct budget_chart *c, int64_t id)
{
	for (size_t i = 0; c != NULL && i < c->n; i++)
		if (c->accounts[i].id == id)
			return &c->accounts[i];
	return NULL;
}

/* ---- lines ---- */

enum budget_entity budget_entity_of(const char *kind, const char *phase)
{
	if (kind != NULL && strcmp(kind, "central") == 0)
		return BUDGET_CENTRAL;
	return phase != NULL && strcmp(phase, "special") == 0 ? BUDGET_SPECIAL : BUDGET_MAINSTREAM;
}

void budget_init(struct budget *b, enum budget_entity entity, const struct budget_chart *chart)
{
	memset(b, 0, sizeof(*b));
	b->entity = entity;
	b->chart = chart;
}

void budget_clear(struct budget *b)
{
	if (b == NULL)
		return;
	for (size_t i = 0; i < b->nlines; i++) {
		free(b->lines[i].description);
		free(b->lines[i].explanation);
	}
	free(b->lines);
	b->lines = NULL;
	b->nlines = b->cap = 0;
}

void budget_strip_computed(struct budget *b)
{
	size_t k = 0;

	for (size_t i = 0; i < b->nlines; i++) {
		if (b->lines[i].computed) {
			free(b->lines[i].description);
			free(b->lines[i].explanation);
			continue;
		}
		b->lines[k++] = b->lines[i];
	}
	b->nlines = k;
}

/* A line appended while b has fewer than most. */
static struct budget_line *budget_add_line_upto(struct budget *b, const char *code, const char *description,
						 int64_t amount_pence, size_t most)
{
	struct budget_line *l;

	if (b->nlines >= most)
		return NULL;
	if (b->nlines == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 64;
		struct budget_line *nl;

		if (cap > most)
			cap = most;
		if ((nl = realloc(b->lines, cap * sizeof(*nl))) == NULL)
			return NULL;
		b->lines = nl;
		b->cap = cap;
	}
	l = &b->lines[b->nlines];
	memset(l, 0, sizeof(*l));
	if ((l->description = strdup(description != NULL ? description : "")) == NULL)
		return NULL;
	snprintf(l->code, sizeof(l->code), "%s", code != NULL ? code : "");
	l->account = budget_chart_find(b->chart, l->code);
	if (l->account != NULL)                  /* the chart's spelling (E28a, not e28A) */
		memcpy(l->code, l->account->code, sizeof(l->code));
	l->amount_pence = amount_pence;
	b->nlines++;
	return l;
}

struct budget_line *budget_add_line(struct budget *b, const char *code, const char *description,
				    int64_t amount_pence)
{
	return budget_add_line_upto(b, code, description, amount_pence, BUDGET_MAX_LINES);
}

struct budget_line *budget_add_computed_line(struct budget *b, const char *code, const char *description,
					     int64_t amount_pence)
{
	struct budget_line *l = budget_add_line_upto(b, code, description, amount_pence,
						     BUDGET_MAX_LINES + BUDGET_MAX_COMPUTED);

	if (l != NULL)
		l->computed = 1;
	return l;
}

/* ---- entry checks ---- */

const char *budget_check_description(const char *s)
{
	static _Thread_local char mojibake[400];  /* the message names what it found */
	const char *why = jsonv_text(s, JV_LINE | JV_NO_FORMULA);

	if (why != NULL)
		return why;
	if (utf8_chars(s) > BUDGET_DESC_MAX)
		return "must be at most 200 characters";
	return textenc_mojibake_message(s, mojibake, sizeof(mojibake));
}

static const char *const budget_drivers[] = {
	"fixed", "funding", "pupils", "pupils_current", "places", "teacher_pay", "support_pay",
	"services", NULL
};

const char *budget_check_driver(const char *s)
{
	static const char msg[] = "must be one of fixed, funding, pupils, pupils_current, places, "
				  "teacher_pay, support_pay, services or inflation:<index> "
				  "(such as inflation:cpi)";
	size_t n;

	for (size_t i = 0; budget_drivers[i] != NULL; i++)
		if (strcmp(s, budget_drivers[i]) == 0)
			return NULL;
	if (strncmp(s, "inflation:", 10) != 0)
		return msg;
	n = strlen(s + 10);
	if (n == 0 || n > 20)
		return msg;
	for (const char *c = s + 10; *c != '\0'; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_'))
			return msg;
	return NULL;
}

const char *budget_check_account(const struct budget_account *a)
{
	if (a == NULL)
		return "is not an account code (see GET /api/v1/accounts)";
	if (!a->active)
		return "is no longer in use: move the line to an active account code";
	if (a->is_internal)
		return "is computed by the finance rules (the entity's finance-model plugin), never typed: "
		       "leave it out (the budget shows it)";
	return NULL;
}

int budget_amount_ok(int64_t pence)
{
	return pence >= -MONEY_LINE_MAX && pence <= MONEY_LINE_MAX;
}

/* ---- totals ---- */

/* The fixed order of the groups in a report; others follow in order of appearance. */
static const char *const budget_group_order[] = {
	"gag", "dfe_grants", "la_income", "self_generated",
	"teaching_staff", "support_staff", "other_staff", "premises", "supplies", "ict", "services",
	"other", "contingency", "internal", NULL
};

static int budget_group_rank(const char *g)
{
	for (int i = 0; budget_group_order[i] != NULL; i++)
		if (strcmp(budget_group_order[i], g) == 0)
			return i;
	return 1000;
}

static int budget_is_staff_group(const char *g)
{
	return strcmp(g, "teaching_staff") == 0 || strcmp(g, "support_staff") == 0 ||
	       strcmp(g, "other_staff") == 0;
}

int budget_is_pass_through_code(const char *code)
{
	return strcmp(code, BUDGET_POOLED_CODE) == 0 || strcmp(code, "INT06") == 0;
}

int budget_net_pass_through(int64_t pass, int64_t *income, int64_t *expenditure, int64_t *internal_income,
			    int64_t *internal_expenditure)
{
	int64_t i, e, ii, ie;

	if (money_sub(*income, pass, &i) != 0 || money_sub(*expenditure, pass, &e) != 0 ||
	    money_sub(*internal_income, pass, &ii) != 0 || money_sub(*internal_expenditure, pass, &ie) != 0)
		return -1;
	*income = i;
	*expenditure = e;
	*internal_income = ii;
	*internal_expenditure = ie;
	return 0;
}

static int budget_group_add(struct budget_totals *t, const struct budget_account *a, int64_t v)
{
	size_t i;

	for (i = 0; i < t->ngroups; i++)
		if (t->groups[i].kind == a->kind && strcmp(t->groups[i].group, a->group) == 0)
			return money_add(t->groups[i].pence, v, &t->groups[i].pence);
	if (t->ngroups == BUDGET_MAX_GROUPS)
		return -1;
	t->groups[i].kind = a->kind;
	memcpy(t->groups[i].group, a->group, sizeof(t->groups[i].group));
	t->groups[i].pence = v;
	t->ngroups++;
	return 0;
}

/* Income before expenditure, then the fixed order; a stable insertion sort. */
static void budget_groups_sort(struct budget_totals *t)
{
	for (size_t i = 1; i < t->ngroups; i++) {
		struct budget_group_total g = t->groups[i];
		int rg = budget_group_rank(g.group);
		size_t j = i;

		while (j > 0) {
			const struct budget_group_total *h = &t->groups[j - 1];

			if (h->kind < g.kind || (h->kind == g.kind && budget_group_rank(h->group) <= rg))
				break;
			t->groups[j] = t->groups[j - 1];
			j--;
		}
		t->groups[j] = g;
	}
}

int budget_totals(const struct budget *b, struct budget_totals *t)
{
	int64_t pass = 0, gag_out = 0;

	memset(t, 0, sizeof(*t));
	for (size_t i = 0; i < b->nlines; i++) {
		const struct budget_line *l = &b->lines[i];
		const struct budget_account *a = l->account;
		int64_t v = l->amount_pence;

		if (a == NULL)
			continue;
		if (budget_group_add(t, a, v) != 0)
			return -1;
		if (a->kind == BUDGET_INCOME) {
			if (money_add(t->income, v, &t->income) != 0 ||
			    (a->is_internal && money_add(t->internal_income, v, &t->internal_income) != 0))
				return -1;
			if ((a->is_gag || strcmp(a->code, BUDGET_POOL_ALLOCATION_CODE) == 0) &&
			    money_add(t->gag, v, &t->gag) != 0)
				return -1;
		} else {
			if (money_add(t->expenditure, v, &t->expenditure) != 0 ||
			    (a->is_internal && money_add(t->internal_expenditure, v, &t->internal_expenditure) != 0))
				return -1;
			if (budget_is_staff_group(a->group) && money_add(t->staff, v, &t->staff) != 0)
				return -1;
			if (strcmp(a->group, "contingency") == 0 && money_add(t->contingency, v, &t->contingency) != 0)
				return -1;
			if (budget_is_pass_through_code(a->code) && money_add(pass, v, &pass) != 0)
				return -1;
			if (strcmp(a->code, BUDGET_POOLED_CODE) == 0 && money_add(gag_out, v, &gag_out) != 0)
				return -1;
		}
	}
	/* the pass-through pairs netted: income and expenditure (and their internal
	 * parts) less the GAG pooled out or allocated on; GAG less what was pooled */
	if (budget_net_pass_through(pass, &t->income, &t->expenditure, &t->internal_income, &t->internal_expenditure) != 0 ||
	    money_sub(t->gag, gag_out, &t->gag) != 0 ||
	    money_sub(t->income, t->expenditure, &t->balance) != 0)
		return -1;
	t->staff_base = t->income;
	if (t->staff_base > 0) {
		if (money_muldiv_round(t->staff, 10000, t->staff_base, &t->staff_bp) != 0)
			return -1;
		t->has_staff_bp = 1;
	}
	budget_groups_sort(t);
	return 0;
}

cJSON *budget_totals_json(const struct budget_totals *t)
{
	cJSON *o = cJSON_CreateObject();

	if (o == NULL ||
	    cJSON_AddNumberToObject(o, "income_pence", t->income) == NULL ||
	    cJSON_AddNumberToObject(o, "expenditure_pence", t->expenditure) == NULL ||
	    cJSON_AddNumberToObject(o, "in_year_balance_pence", t->balance) == NULL ||
	    cJSON_AddNumberToObject(o, "internal_income_pence", t->internal_income) == NULL ||
	    cJSON_AddNumberToObject(o, "internal_expenditure_pence", t->internal_expenditure) == NULL ||
	    cJSON_AddNumberToObject(o, "gag_pence", t->gag) == NULL ||
	    cJSON_AddNumberToObject(o, "staff_costs_pence", t->staff) == NULL ||
	    cJSON_AddNumberToObject(o, "contingency_pence", t->contingency) == NULL ||
	    (t->has_staff_bp ? cJSON_AddNumberToObject(o, "staff_costs_bp", t->staff_bp)
			     : cJSON_AddNullToObject(o, "staff_costs_bp")) == NULL) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

cJSON *budget_groups_json(const struct budget_totals *t)
{
	cJSON *a = cJSON_CreateArray(), *o;

	for (size_t i = 0; a != NULL && i < t->ngroups; i++) {
		if ((o = cJSON_CreateObject()) == NULL || !cJSON_AddItemToArray(a, o) ||
		    cJSON_AddStringToObject(o, "kind", budget_kind_name(t->groups[i].kind)) == NULL ||
		    cJSON_AddStringToObject(o, "group", t->groups[i].group) == NULL ||
		    cJSON_AddNumberToObject(o, "amount_pence", t->groups[i].pence) == NULL) {
			cJSON_Delete(a);
			return NULL;
		}
	}
	return a;
}

/* ---- findings ---- */

void budget_finding_add(struct budget_findings *f, enum budget_severity severity, const char *code,
			const char *field, const char *fmt, ...)
{
	struct budget_finding *x;
	va_list ap;
	int n;

	if (severity == BUDGET_ERROR)
		f->nerrors++;
	else
		f->nwarnings++;
	if (f->n == BUDGET_MAX_FINDINGS) {
		f->dropped++;
		return;
	}
	x = &f->items[f->n++];
	x->severity = severity;
	x->row = 0;
	x->line_id = 0;
	snprintf(x->code, sizeof(x->code), "%s", code);
	snprintf(x->field, sizeof(x->field), "%s", field);
	va_start(ap, fmt);
	n = vsnprintf(x->message, sizeof(x->message), fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof(x->message)) {
		/* cut at a character boundary, not inside a UTF-8 sequence */
		size_t len = sizeof(x->message) - 1, k = len;
		unsigned char lead;

		while (k > 0 && ((unsigned char)x->message[k - 1] & 0xc0) == 0x80)
			k--;
		lead = k > 0 ? (unsigned char)x->message[k - 1] : 0;
		if (lead >= 0xc0 && k - 1 + (lead >= 0xf0 ? 4u : lead >= 0xe0 ? 3u : 2u) > len)
			x->message[k - 1] = '\0';
	}
}

/* "92.40%" from basis points. */
static void budget_fmt_bp(int64_t bp, char *buf, size_t len)
{
	uint64_t a = bp < 0 ? (uint64_t)0 - (uint64_t)bp : (uint64_t)bp;

	snprintf(buf, len, "%s%llu.%02llu%%", bp < 0 ? "-" : "", (unsigned long long)(a / 100),
		 (unsigned long long)(a % 100));
}

/* Lines grouped by account: an account that nets below zero is the wrong kind. */
static int budget_check_signs(const struct budget *b, struct budget_findings *f)
{
	size_t n = b->chart != NULL ? b->chart->n : 0;
	int64_t *sum = NULL;
	size_t *first = NULL, *count = NULL;
	int rc = -1;

	if (n == 0)
		return 0;
	sum = calloc(n, sizeof(*sum));
	first = calloc(n, sizeof(*first));
	count = calloc(n, sizeof(*count));
	if (sum == NULL || first == NULL || count == NULL)
		goto out;
	for (size_t i = 0; i < b->nlines; i++) {
		const struct budget_account *a = b->lines[i].account;
		size_t k;

		if (a == NULL || a < b->chart->accounts || a >= b->chart->accounts + n)
			continue;
		k = (size_t)(a - b->chart->accounts);
		if (count[k]++ == 0)
			first[k] = i;
		if (money_add(sum[k], b->lines[i].amount_pence, &sum[k]) != 0)
			goto out;
	}
	for (size_t k = 0; k < n; k++) {
		const struct budget_account *a = &b->chart->accounts[k];
		char field[64], amount[48];

		if (count[k] == 0 || sum[k] >= 0)
			continue;
		snprintf(field, sizeof(field), "/lines/%zu/amount_pence", first[k]);
		money_format_human(sum[k], amount, sizeof(amount));
		if (a->kind == BUDGET_EXPENDITURE)
			budget_finding_add(f, BUDGET_ERROR, "expenditure_is_income", field,
					   "%s (%zu line%s) nets to %s: an expenditure code cannot be income; "
					   "book the income to an income code (such as I08 lettings or I11 "
					   "insurance receipts)", a->code, count[k], count[k] == 1 ? "" : "s", amount);
		else
			budget_finding_add(f, BUDGET_ERROR, "income_is_expenditure", field,
					   "%s (%zu line%s) nets to %s: an income code cannot be a cost; "
					   "book the cost to an expenditure code", a->code, count[k],
					   count[k] == 1 ? "" : "s", amount);
	}
	rc = 0;
out:
	free(sum);
	free(first);
	free(count);
	return rc;
}

int budget_validate(const struct budget *b, struct budget_findings *f)
{
	struct budget_totals t;
	char field[64], a1[48], a2[48], a3[48], pct[24];
	size_t typed = 0;

	for (size_t i = 0; i < b->nlines; i++)
		typed += !b->lines[i].computed;
	if (typed == 0)                          /* computed lines alone are not a budget */
		budget_finding_add(f, BUDGET_ERROR, "no_lines", "/lines", "the budget has no lines");
	for (size_t i = 0; i < b->nlines; i++) {
		const struct budget_line *l = &b->lines[i];
		const char *why = l->computed && l->account != NULL && l->account->active ? NULL :
				  budget_check_account(l->account);

		if (why != NULL) {
			snprintf(field, sizeof(field), "/lines/%zu/account_code", i);
			budget_finding_add(f, BUDGET_ERROR, l->account == NULL ? "unknown_account" :
					   !l->account->active ? "inactive_account" : "internal_account",
					   field, "%s %s", l->code, why);
		}
		if (!budget_amount_ok(l->amount_pence)) {
			snprintf(field, sizeof(field), "/lines/%zu/amount_pence", i);
			budget_finding_add(f, BUDGET_ERROR, "amount_range", field,
					   "must be between -100000000000 and 100000000000 pence (GBP 1bn)");
		}
	}
	if (budget_check_signs(b, f) != 0 || budget_totals(b, &t) != 0)
		return -1;

	if (b->entity == BUDGET_MAINSTREAM && t.gag <= 0) {
		money_format_human(t.gag, a1, sizeof(a1));
		budget_finding_add(f, BUDGET_ERROR, "no_gag", "/lines",
				   "a mainstream school must budget its GAG (I01; when it pools GAG, what it pools "
				   "and its allocation %s are computed from it); GAG lines total %s",
				   BUDGET_POOL_ALLOCATION_CODE, a1);
	} else if (b->entity == BUDGET_SPECIAL && t.gag <= 0) {
		budget_finding_add(f, BUDGET_WARNING, "no_gag", "/lines",
				   "a special school is funded by places: budget its place funding (I01P)");
	}

	if (t.has_staff_bp && (t.staff_bp < BUDGET_STAFF_LOW_BP || t.staff_bp > BUDGET_STAFF_HIGH_BP)) {
		budget_fmt_bp(t.staff_bp, pct, sizeof(pct));
		money_format_human(t.staff, a1, sizeof(a1));
		money_format_human(t.staff_base, a2, sizeof(a2));
		budget_finding_add(f, BUDGET_WARNING, "staff_costs", "/totals/staff_costs_bp",
				   "staff costs are %s of income (%s of %s), outside 60%%-90%%", pct, a1, a2);
	} else if (!t.has_staff_bp && t.staff > 0) {
		money_format_human(t.staff, a1, sizeof(a1));
		budget_finding_add(f, BUDGET_WARNING, "staff_costs", "/totals/staff_costs_bp",
				   "staff costs of %s with no income to pay them", a1);
	}

	if (t.balance < 0) {
		money_format_human(-t.balance, a1, sizeof(a1));
		money_format_human(t.income, a2, sizeof(a2));
		money_format_human(t.expenditure, a3, sizeof(a3));
		budget_finding_add(f, BUDGET_WARNING, "in_year_deficit", "/totals/in_year_balance_pence",
				   "an in-year deficit of %s (income %s, expenditure %s)", a1, a2, a3);
	}
	return 0;
}

int budget_validate_rules(const struct budget_rules *rules, const struct budget_context *ctx,
			  const struct budget *b, struct budget_findings *f)
{
	struct budget_totals t;

	if (rules == NULL || rules->validate == NULL)
		return 0;
	if (budget_totals(b, &t) != 0)
		return -1;
	return rules->validate(rules->arg, ctx, b, &t, f);
}

void budget_findings_locate(struct budget_findings *f, const struct budget *b)
{
	for (size_t i = 0; i < f->n; i++) {
		struct budget_finding *x = &f->items[i];
		const char *s = x->field;
		size_t n = 0;
		int digits = 0;

		if (strncmp(s, "/lines/", 7) != 0)
			continue;
		for (s += 7; *s >= '0' && *s <= '9' && digits < 9; s++, digits++)
			n = n * 10 + (size_t)(*s - '0');
		if (digits == 0 || (*s != '\0' && *s != '/') || n >= b->nlines || (digits > 1 && x->field[7] == '0'))
			continue;
		x->row = (int64_t)n + 2;
		x->line_id = b->lines[n].id;
	}
}

cJSON *budget_findings_json(const struct budget_findings *f, int all, enum budget_severity severity)
{
	cJSON *a = cJSON_CreateArray(), *o;

	for (size_t i = 0; a != NULL && i < f->n; i++) {
		const struct budget_finding *x = &f->items[i];

		if (!all && x->severity != severity)
			continue;
		if ((o = cJSON_CreateObject()) == NULL || !cJSON_AddItemToArray(a, o) ||
		    cJSON_AddStringToObject(o, "severity", budget_severity_name(x->severity)) == NULL ||
		    cJSON_AddStringToObject(o, "code", x->code) == NULL ||
		    cJSON_AddStringToObject(o, "field", x->field) == NULL ||
		    (x->row > 0 ? cJSON_AddNumberToObject(o, "row", (double)x->row) :
				  cJSON_AddNullToObject(o, "row")) == NULL ||
		    (x->line_id > 0 ? cJSON_AddNumberToObject(o, "line_id", (double)x->line_id) :
				      cJSON_AddNullToObject(o, "line_id")) == NULL ||
		    cJSON_AddStringToObject(o, "message", x->message) == NULL) {
			cJSON_Delete(a);
			return NULL;
		}
	}
	return a;
}
