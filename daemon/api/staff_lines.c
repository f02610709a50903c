/* staff_lines.c - see staff_lines.h */
#include "staff_lines.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bursar_plugin.h"
#include "date.h"
#include "money.h"

/* What a staff code's generated line is called (the chart's names). */
static const struct {
	const char *code, *name;
} staff_names[] = {
	{ "E01", "Teaching staff" }, { "E02", "Supply teaching staff" }, { "E03", "Education support staff" },
	{ "E04", "Premises staff" }, { "E05", "Administrative and clerical staff" }, { "E06", "Catering staff" },
	{ "E07", "Other staff" }, { "E31", "Community-focused school staff" },
};

static const char *staff_lines_name(const char *code)
{
	for (size_t i = 0; i < sizeof(staff_names) / sizeof(staff_names[0]); i++)
		if (strcmp(staff_names[i].code, code) == 0)
			return staff_names[i].name;
	return "Staff";
}

/* "27.40" */
static void staff_lines_fte(int32_t fte_h, char *buf, size_t len)
{
	snprintf(buf, len, "%d.%02d", (int)(fte_h / 100), (int)(fte_h % 100));
}

static const char LEVY_DESC[] = "Apprenticeship levy (from posts)";
static const char ALLOWANCE_DESC[] = "Employment allowance (from posts)";

/* urn's entity when it plans by post and its costing worked, else NULL. */
static const struct staff_cost_entity *staff_lines_planned(const struct staff_costing *sc, const char *urn)
{
	const struct staff_cost_entity *e;

	if (sc == NULL || staff_cost_failure(sc, urn) != NULL || (e = staff_cost_entity(sc, urn)) == NULL ||
	    !e->staff_by_post)
		return NULL;
	return e;
}

/* The pension schemes of urn's posts on code, for the explanation: "TPS", "LGPS",
 * "TPS and LGPS", "" (none). */
static const char *staff_lines_schemes(const struct staff_costing *sc, const struct staff_cost_entity *e,
				       const char *code)
{
	int tps = 0, lgps = 0;

	for (size_t i = e->first; i < e->first + e->n; i++)
		if (strcmp(sc->posts[i].code, code) == 0) {
			tps |= sc->posts[i].pension == SP_TPS;
			lgps |= sc->posts[i].pension == SP_LGPS;
		}
	return tps && lgps ? "TPS and LGPS" : tps ? "TPS" : lgps ? "LGPS" : "";
}

static struct budget_line *staff_lines_add(struct budget *b, const char *code, const char *desc, int64_t amount,
					   const char *expl)
{
	struct budget_line *l = budget_add_computed_line(b, code, desc, amount);

	return l == NULL || (l->explanation = strdup(expl)) == NULL ? NULL : l;
}

int staff_lines_append(const struct staff_costing *sc, const char *urn, struct budget *b)
{
	const struct staff_cost_entity *e = staff_lines_planned(sc, urn);
	char desc[200], expl[600], fte[16], pay[40], ni[40], pen[40], tot[40], ys[16];

	if (e == NULL)
		return 0;
	acyear_format(sc->year, ys, sizeof(ys));
	for (size_t i = 0; i < sc->ty.nlines; i++) {
		const struct staff_line *sl = &sc->ty.lines[i];
		struct budget_line *l;
		const char *schemes;

		if (strcmp(sl->urn, urn) != 0 || (sl->posts == 0 && sl->total == 0))
			continue;
		staff_lines_fte(sl->fte_h, fte, sizeof(fte));
		snprintf(desc, sizeof(desc), "%s: %d post%s, %s FTE (from posts)", staff_lines_name(sl->code),
			 (int)sl->posts, sl->posts == 1 ? "" : "s", fte);
		money_format_human(sl->pay, pay, sizeof(pay));
		money_format_human(sl->ni, ni, sizeof(ni));
		money_format_human(sl->pension, pen, sizeof(pen));
		money_format_human(sl->total, tot, sizeof(tot));
		schemes = staff_lines_schemes(sc, e, sl->code);
		snprintf(expl, sizeof(expl), "%s in %s from %d post%s (%s FTE on 1 September), costed month by month: "
			 "pay %s + employer NI %s + employer pension %s%s%s%s = %s", sl->code, ys, (int)sl->posts,
			 sl->posts == 1 ? "" : "s", fte, pay, ni, pen, schemes[0] != '\0' ? " (" : "", schemes,
			 schemes[0] != '\0' ? ")" : "", tot);
		if ((l = staff_lines_add(b, sl->code, desc, sl->total, expl)) == NULL)
			return -1;
		l->has_staff = 1;
		l->staff = (struct budget_line_staff){ sl->pay, sl->ni, sl->pension, sl->posts, sl->fte_h };
	}
	if (strcmp(urn, BURSAR_CENTRAL) != 0)
		return 0;
	money_format_human(sc->ty.pay_bill, pay, sizeof(pay));
	if (sc->ty.levy != 0) {
		money_format_human(sc->ty.levy, tot, sizeof(tot));
		snprintf(expl, sizeof(expl), "The trust's apprenticeship levy in %s: 0.5%% of its pay from posts (%s "
			 "in the year) less the levy allowance, month by month within each tax year = %s", ys, pay, tot);
		if (staff_lines_add(b, STAFF_LINES_LEVY_CODE, LEVY_DESC, sc->ty.levy, expl) == NULL)
			return -1;
	}
	if (sc->ty.employment_allowance != 0) {
		money_format_human(sc->ty.employment_allowance, tot, sizeof(tot));
		snprintf(expl, sizeof(expl), "The trust's employment allowance in %s, set against its employer NI "
			 "from April until the tax year's allowance is used = %s", ys, tot);
		if (staff_lines_add(b, STAFF_LINES_LEVY_CODE, ALLOWANCE_DESC, sc->ty.employment_allowance, expl) == NULL)
			return -1;
	}
	return 0;
}

/* out = m when the twelve sum to want: 1, else 0. */
static int staff_lines_take(const int64_t m[STAFF_MONTHS], int64_t want, int64_t out[STAFF_MONTHS])
{
	int64_t sum = 0;

	for (int i = 0; i < STAFF_MONTHS; i++)
		if (__builtin_add_overflow(sum, m[i], &sum))
			return 0;
	if (sum != want)
		return 0;
	memcpy(out, m, STAFF_MONTHS * sizeof(*out));
	return 1;
}

int staff_lines_months(const struct staff_costing *sc, const char *urn, const struct budget_line *l,
		       int64_t out[STAFF_MONTHS])
{
	int64_t m[STAFF_MONTHS];

	if (sc == NULL || !l->computed || staff_lines_planned(sc, urn) == NULL)
		return 0;
	if (strcmp(urn, BURSAR_CENTRAL) == 0 && strcmp(l->code, STAFF_LINES_LEVY_CODE) == 0 && !l->has_staff) {
		if (strcmp(l->description, LEVY_DESC) == 0)
			return staff_lines_take(sc->ty.levy_m, l->amount_pence, out);
		if (strcmp(l->description, ALLOWANCE_DESC) == 0)
			return staff_lines_take(sc->ty.allowance_m, l->amount_pence, out);
	}
	for (size_t i = 0; i < sc->ty.nlines; i++) {
		const struct staff_line *sl = &sc->ty.lines[i];

		if (strcmp(sl->urn, urn) != 0 || strcmp(sl->code, l->code) != 0)
			continue;
		for (int k = 0; k < STAFF_MONTHS; k++)
			if (__builtin_add_overflow(sl->m[k].pay, sl->m[k].ni, &m[k]) ||
			    __builtin_add_overflow(m[k], sl->m[k].pension, &m[k]))
				return 0;
		return staff_lines_take(m, l->amount_pence, out);
	}
	return 0;
}

int staff_lines_covers(const struct staff_costing *sc, const char *urn, const char *code)
{
	const struct staff_cost_entity *e = sc != NULL ? staff_cost_entity(sc, urn) : NULL;

	if (e == NULL || !e->staff_by_post)
		return 0;
	for (size_t i = e->first; i < e->first + e->n; i++)
		if (strcasecmp(sc->posts[i].code, code) == 0)
			return 1;
	return 0;
}

int staff_lines_covers_any(const struct staff_costing *sc, const char *urn)
{
	const struct staff_cost_entity *e = sc != NULL ? staff_cost_entity(sc, urn) : NULL;

	return e != NULL && e->staff_by_post && e->n > 0;
}

size_t staff_lines_refuse(const struct staff_costing *sc, const char *urn, const struct budget *b, const char *at,
			  struct problem *p)
{
	size_t n = 0;
	char ptr[64];

	for (size_t i = 0; i < b->nlines; i++) {
		const struct budget_line *l = &b->lines[i];
		const char *code = l->account != NULL ? l->account->code : l->code;

		if (l->computed || !staff_lines_covers(sc, urn, code))
			continue;
		if (at != NULL)
			snprintf(ptr, sizeof(ptr), "%s", at);
		else if (l->row > 0)                 /* read from a spreadsheet: its row, as the import's own errors */
			snprintf(ptr, sizeof(ptr), "row %zu, code", l->row);
		else
			snprintf(ptr, sizeof(ptr), "/lines/%zu/account_code", i);
		problem_field(p, ptr, "%s is planned by post at %s: change its posts (the budget's %s line is "
			      "generated from them)", code, strcmp(urn, BURSAR_CENTRAL) == 0 ? "the central team" :
			      "this school", code);
		n++;
	}
	return n;
}

int staff_lines_line_json(const struct budget_line *l, cJSON *o)
{
	int internal = l->account != NULL && l->account->is_internal;
	cJSON *s;

	if (cJSON_AddStringToObject(o, "source", !l->computed ? "typed" : internal ? "rules" : "posts") == NULL)
		return -1;
	if (!l->has_staff)
		return cJSON_AddNullToObject(o, "staff") == NULL ? -1 : 0;
	if ((s = cJSON_AddObjectToObject(o, "staff")) == NULL ||
	    cJSON_AddNumberToObject(s, "pay_pence", (double)l->staff.pay) == NULL ||
	    cJSON_AddNumberToObject(s, "ni_pence", (double)l->staff.ni) == NULL ||
	    cJSON_AddNumberToObject(s, "pension_pence", (double)l->staff.pension) == NULL ||
	    cJSON_AddNumberToObject(s, "posts", l->staff.posts) == NULL ||
	    cJSON_AddNumberToObject(s, "fte_h", l->staff.fte_h) == NULL)
		return -1;
	return 0;
}

/* n under k, or null when n < 0 (not applicable). */
static int staff_lines_opt(cJSON *o, const char *k, int64_t n)
{
	return (n < 0 ? cJSON_AddNullToObject(o, k) : cJSON_AddNumberToObject(o, k, (double)n)) == NULL ? -1 : 0;
}

cJSON *staff_lines_metrics_object(const struct staff_metrics *m)
{
	cJSON *o = cJSON_CreateObject();

	if (o == NULL || cJSON_AddNumberToObject(o, "teacher_fte_h", m->teacher_fte_h) == NULL ||
	    cJSON_AddNumberToObject(o, "adult_fte_h", m->adult_fte_h) == NULL ||
	    staff_lines_opt(o, "pupils", m->pupils == FORECAST_NO_DATA ? -1 : m->pupils) != 0 ||
	    staff_lines_opt(o, "pupil_teacher_ratio_h", m->pupil_teacher_ratio_h) != 0 ||
	    staff_lines_opt(o, "pupil_adult_ratio_h", m->pupil_adult_ratio_h) != 0 ||
	    staff_lines_opt(o, "average_teacher_cost_pence", m->average_teacher_cost_pence) != 0 ||
	    staff_lines_opt(o, "teaching_cost_bp", m->teaching_cost_bp) != 0 ||
	    staff_lines_opt(o, "leadership_cost_bp", m->leadership_cost_bp) != 0 ||
	    staff_lines_opt(o, "contact_ratio_bp", m->contact_ratio_bp) != 0) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

cJSON *staff_lines_metrics_json(const struct staff_costing *sc, const char *urn, int64_t expenditure)
{
	struct staff_metrics m;

	if (sc == NULL || !staff_cost_metrics(sc, urn, expenditure, &m))
		return cJSON_CreateNull();
	return staff_lines_metrics_object(&m);
}

cJSON *staff_lines_derived_json(const struct staff_costing *sc, const char *urn)
{
	const struct staff_cost_entity *e = sc != NULL ? staff_cost_entity(sc, urn) : NULL;
	const char *why = staff_cost_failure(sc, urn);
	cJSON *a = cJSON_CreateArray(), *x;

	if (a == NULL)
		return NULL;
	if (why != NULL && cJSON_AddItemToArray(a, cJSON_CreateString(why)) == 0)
		goto oom;
	if (e == NULL || why != NULL)
		return a;
	if ((x = cJSON_CreateIntArray((const int[]){ e->staff_by_post, e->pupils, e->periods_per_cycle }, 3)) == NULL ||
	    !cJSON_AddItemToArray(a, x))
		goto oom;
	for (size_t i = e->first; i < e->first + e->n; i++) {
		const struct staff_post *q = &sc->posts[i];
		char v[128];                     /* exact integers as text: no double on a cost */

		snprintf(v, sizeof(v), "%lld|%d|%ld|%lld|%ld", (long long)sc->post_ids[i], (int)q->role,
			 (long)sc->costs[i].fte_h, (long long)sc->costs[i].total, (long)q->periods_taught);
		if ((x = cJSON_CreateString(v)) == NULL || !cJSON_AddItemToArray(a, x))
			goto oom;
	}
	return a;
oom:
	cJSON_Delete(a);
	return NULL;
}
