/* budget_view.c - see budget_view.h */
#include "budget_view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "budget_months.h"
#include "computed.h"
#include "config.h"
#include "log.h"
#include "staff_lines.h"
#include "worker.h"

/* The entity's computed lines as the finance rules work them out now, into v->live
 * (or v->failed). 0, or -1 with the problem set. */
static int view_computed(struct req *r, const struct store_budget_ref *ref, struct budget_view *v, struct problem *p)
{
	struct computed_year cy;
	int rc = -1;

	if (computed_year_load_for(r->db, r->w->plugins, ref->year, ref->urn, &cy, p) != 0)
		goto out;
	if (cy.failed)
		snprintf(v->failed, sizeof(v->failed), "%s", cy.err[0] != '\0' ? cy.err : "the finance rules failed");
	if (computed_append(&cy, ref->urn, &v->live) != 0) {   /* the rules' too unless they failed */
		problem_internal(p);
		goto out;
	}
	rc = 0;
out:
	v->staff = cy.staff;                     /* kept for the lines' JSON and the measures */
	memset(&cy.staff, 0, sizeof(cy.staff));
	computed_year_free(&cy);
	return rc;
}

/* What the lines' months follow: every profile's weights and every account's default. */
static int view_profiles_json(const struct budget_view *v, cJSON *o)
{
	cJSON *a = cJSON_AddArrayToObject(o, "profiles"), *x;
	char buf[PROFILE_WEIGHTS_TEXT_MAX + PROFILE_NAME_MAX + 24];

	if (a == NULL)
		return -1;
	for (size_t i = 0; i < v->profiles.n; i++) {
		size_t k = (size_t)snprintf(buf, sizeof(buf), "%s=", v->profiles.p[i].name);

		profile_weights_format(v->profiles.p[i].w, buf + k, sizeof(buf) - k);
		if ((x = cJSON_CreateString(buf)) == NULL || !cJSON_AddItemToArray(a, x))
			return -1;
	}
	for (size_t i = 0; i < v->profiles.nd; i++) {
		snprintf(buf, sizeof(buf), "%lld:%s", (long long)v->profiles.d[i].account_id, v->profiles.d[i].name);
		if ((x = cJSON_CreateString(buf)) == NULL || !cJSON_AddItemToArray(a, x))
			return -1;
	}
	return 0;
}

/* The derived parts as one object: {"recharges": [...], "computed": [...], "computed_failed": "..."}. */
static cJSON *view_derived(const struct budget_view *v)
{
	cJSON *o = cJSON_CreateObject(), *lines;

	if (o == NULL || !cJSON_AddItemToObject(o, "recharges", recharges_json(&v->rc, NULL)) ||
	    (lines = cJSON_AddArrayToObject(o, "computed")) == NULL ||
	    (v->failed[0] != '\0' && cJSON_AddStringToObject(o, "computed_failed", v->failed) == NULL) ||
	    !cJSON_AddItemToObject(o, "staff", staff_lines_derived_json(&v->staff, v->urn)) ||
	    view_profiles_json(v, o) != 0)
		goto oom;
	for (size_t i = 0; i < v->live.nlines; i++) {
		cJSON *l = computed_line_json(&v->live.lines[i]);

		if (l == NULL || !cJSON_AddItemToArray(lines, l)) {
			cJSON_Delete(l);
			goto oom;
		}
	}
	return o;
oom:
	cJSON_Delete(o);
	return NULL;
}

int budget_view_load(struct req *r, const struct store_budget_ref *ref, const struct budget_chart *chart,
		     struct budget_view *v, struct problem *p)
{
	cJSON *derived = NULL;
	char *text = NULL;

	memset(v, 0, sizeof(*v));
	snprintf(v->urn, sizeof(v->urn), "%s", ref->urn);
	budget_init(&v->live, ref->entity, chart);
	if (recharges_load(r->db, svcyear_rates_of(r->cfg), ref->year, ref->sid, &v->rc, p) != 0 ||
	    view_computed(r, ref, v, p) != 0 || store_profiles_book(r->db, &v->profiles, p) != 0)
		return -1;
	if ((derived = view_derived(v)) == NULL || (text = cJSON_PrintUnformatted(derived)) == NULL) {
		cJSON_Delete(derived);
		log_err("budgets: out of memory hashing a budget's derived parts");
		return problem_internal(p);
	}
	http_etag_hash(v->hash, sizeof(v->hash), text, strlen(text));
	cJSON_free(text);
	cJSON_Delete(derived);
	return 0;
}

void budget_view_free(struct budget_view *v)
{
	if (v == NULL)
		return;
	recharges_free(&v->rc);
	budget_clear(&v->live);
	staff_cost_free(&v->staff);
	store_profiles_book_free(&v->profiles);
	memset(v, 0, sizeof(*v));
}

const char *budget_view_etag(const struct budget_view *v, int64_t version, char *buf, size_t len)
{
	snprintf(buf, len, "\"%lld-%s", (long long)version, v->hash[0] == '"' ? v->hash + 1 : "h0\"");
	return buf;
}

int budget_view_complete(struct budget_view *v, struct store_budget *x, struct problem *p)
{
	const char *status = db_get(x->head, 0, "status");

	v->warning[0] = '\0';
	if (v->failed[0] != '\0')
		snprintf(v->warning, sizeof(v->warning), "the computed lines (INT01-INT06) could not be worked out: %s",
			 v->failed);
	else if (staff_lines_covers_any(&v->staff, v->urn) && staff_cost_failure(&v->staff, v->urn) != NULL)
		snprintf(v->warning, sizeof(v->warning), "the staff lines could not be worked out from the posts: %s",
			 staff_cost_failure(&v->staff, v->urn));
	if (status != NULL && strcmp(status, "draft") == 0) {
		/* a draft stores none (return and reopen delete the frozen ones) */
		for (size_t i = 0; i < v->live.nlines; i++) {
			const struct budget_line *s = &v->live.lines[i];
			struct budget_line *l = budget_add_computed_line(&x->b, s->code, s->description, s->amount_pence);

			if (l == NULL || (s->explanation != NULL && (l->explanation = strdup(s->explanation)) == NULL))
				return problem_internal(p);
			l->has_staff = s->has_staff;
			l->staff = s->staff;
		}
		return 0;
	}
	if (v->warning[0] != '\0')
		return 0;
	if (computed_differ(&x->b, &v->live))
		snprintf(v->warning, sizeof(v->warning), "the computed lines are as they were when the budget was %s; "
			 "the finance rules now work them out differently (another school's budget, the census or a "
			 "setting changed): return or reopen the budget to take the new figures",
			 status != NULL ? status : "last changed");
	return 0;
}

/* A line's "profile_source" and "months_pence" (budget_months.h). */
static int view_months_json(const struct budget_view *v, const struct budget_line *l, cJSON *o)
{
	enum budget_months_source src;
	int64_t m[PROFILE_MONTHS];
	cJSON *a;

	if (budget_months_line(&v->profiles, &v->staff, v->urn, l, m, NULL, &src) != 0 ||
	    cJSON_AddStringToObject(o, "profile_source", budget_months_source_name(src)) == NULL ||
	    (a = cJSON_AddArrayToObject(o, "months_pence")) == NULL)
		return -1;
	for (int i = 0; i < PROFILE_MONTHS; i++) {
		cJSON *n = cJSON_CreateNumber((double)m[i]);

		if (n == NULL || !cJSON_AddItemToArray(a, n))
			return -1;
	}
	return 0;
}

/* Each line's "source" and "staff", and the budget's "staffing_metrics" (staff_lines.h). */
static int view_staff_json(const struct budget_view *v, const struct store_budget *x, cJSON *o, cJSON *lines)
{
	struct budget_totals t;
	cJSON *l = lines != NULL ? lines->child : NULL;

	for (size_t i = 0; i < x->b.nlines && l != NULL; i++, l = l->next)
		if (staff_lines_line_json(&x->b.lines[i], l) != 0 || view_months_json(v, &x->b.lines[i], l) != 0)
			return -1;
	if (budget_totals(&x->b, &t) != 0)
		return -1;
	return cJSON_AddItemToObject(o, "staffing_metrics", staff_lines_metrics_json(&v->staff, v->urn, t.expenditure))
		       ? 0 : -1;
}

cJSON *budget_view_json(const struct budget_view *v, const struct store_budget *x, struct problem *p)
{
	cJSON *o = store_budget_json(x, 1, p), *lines, *rc, *f;

	if (o == NULL)
		return NULL;
	lines = cJSON_GetObjectItemCaseSensitive(o, "lines");   /* the derived ones too (id null) */
	if (view_staff_json(v, x, o, lines) != 0)
		goto oom;
	if (v->warning[0] != '\0' &&
	    ((f = cJSON_CreateObject()) == NULL ||
	     !cJSON_AddItemToArray(cJSON_GetObjectItemCaseSensitive(o, "findings"), f) ||
	     cJSON_AddStringToObject(f, "severity", "warning") == NULL ||
	     cJSON_AddStringToObject(f, "code", "computed_lines") == NULL ||
	     cJSON_AddStringToObject(f, "field", "/lines") == NULL ||
	     cJSON_AddStringToObject(f, "message", v->warning) == NULL))
		goto oom;
	if ((rc = recharges_json(&v->rc, lines)) == NULL || !cJSON_AddItemToObject(o, "recharges", rc)) {
		cJSON_Delete(rc);
		goto oom;
	}
	cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(o, "findings")) {
		if ((!cJSON_HasObjectItem(f, "row") && cJSON_AddNullToObject(f, "row") == NULL) ||
		    (!cJSON_HasObjectItem(f, "line_id") && cJSON_AddNullToObject(f, "line_id") == NULL))
			goto oom;
	}
	return o;
oom:
	cJSON_Delete(o);
	problem_internal(p);
	return NULL;
}

int budget_view_reply(struct req *r, const struct store_budget_ref *ref, const struct budget_chart *chart,
		      int status, struct problem *p)
{
	struct store_budget x = { 0 };
	struct budget_view v = { 0 };
	cJSON *o = NULL;
	char etag[64];
	int rc = -1, found = store_budget_read(r->db, ref, &x, p);

	if (found == 0)
		problem_not_found(p, "no budget for %s in %s", ref->urn, ref->year_s);
	if (found > 0 && budget_view_load(r, ref, chart, &v, p) == 0 &&
	    store_budget_read_lines(r->db, ref, chart, &x, p) == 0 && budget_view_complete(&v, &x, p) == 0 &&
	    (o = budget_view_json(&v, &x, p)) != NULL)
		rc = http_reply_json(r, status, o, budget_view_etag(&v, x.version, etag, sizeof(etag)));
	cJSON_Delete(o);
	budget_view_free(&v);
	store_budget_free(&x);
	return rc;
}
