/* computed.c - see computed.h */
#include "computed.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "log.h"
#include "strbuf.h"

void computed_year_free(struct computed_year *cy)
{
	rules_base_free(&cy->rb);
	store_forecasts_inputs_free(&cy->base);
	memset(cy, 0, sizeof(*cy));
}

int computed_year_load(struct db *db, const struct plugins *ps, int year, struct computed_year *cy, struct problem *p)
{
	enum forecast_error kind = 0;
	size_t schools = 0;

	memset(cy, 0, sizeof(*cy));
	cy->year = year;
	cy->ps = ps;
	/* the census Y0-2 .. Y0+1 (funded pupils: Y0-1); no scenario */
	if (store_forecasts_inputs(db, year, 1, &cy->base, p) != 0)
		return -1;
	for (size_t i = 0; i < cy->base.nentities; i++) {
		struct forecast_entity_in *e = &cy->base.entities[i];

		e->selected = e->budget_status != NULL;
		schools += e->selected && !e->is_central && e->model != NULL && e->model[0] != '\0';
	}
	cy->a.base_year = year;
	cy->a.horizon = 1;
	cy->in = (struct forecast_input){ .a = &cy->a, .accounts = cy->base.accounts, .naccounts = cy->base.naccounts,
					  .entities = cy->base.entities, .nentities = cy->base.nentities };
	if (schools == 0)
		return 0;                        /* no school under a model has a budget: nothing posted */
	if (rules_base_run(ps, &cy->in, &cy->rb, &kind, cy->err, sizeof(cy->err)) != 0) {
		if (kind == FORECAST_ERR_NOMEM)
			return problem_internal(p);
		log_warn("budgets: the finance rules for %d failed: %s", year, cy->err);
		cy->failed = 1;
	}
	return 0;
}

/* The entity's name, or "". */
static const char *computed_name(const struct computed_year *cy, const char *urn)
{
	for (size_t i = 0; i < cy->base.nentities; i++)
		if (strcmp(cy->base.entities[i].urn, urn) == 0)
			return cy->base.entities[i].name != NULL ? cy->base.entities[i].name : "";
	return "";
}

/* What each internal account is called on a computed line; with_other: the
 * account is the central team's, and names the school on the other side. */
static const struct {
	const char *code, *name;
	int with_other;
} computed_names[] = {
	{ BURSAR_ACC_CHARGE, "Central services charge", 0 },
	{ BURSAR_ACC_CHARGE_RECEIVED, "Central services charge received from", 1 },
	{ BURSAR_ACC_POOLED, "GAG pooled to the trust", 0 },
	{ BURSAR_ACC_POOL_RECEIVED, "Pooled GAG received from", 1 },
	{ BURSAR_ACC_ALLOCATION, "GAG allocation from the pool", 0 },
	{ BURSAR_ACC_ALLOCATED, "GAG allocation to", 1 },
};

static void computed_describe(const struct computed_year *cy, const char *code, const char *other,
			      const char *model, char *buf, size_t len)
{
	for (size_t i = 0; i < sizeof(computed_names) / sizeof(computed_names[0]); i++)
		if (strcmp(computed_names[i].code, code) == 0) {
			if (computed_names[i].with_other)
				snprintf(buf, len, "%s %s %s (%s)", computed_names[i].name, other,
					 computed_name(cy, other), model);
			else
				snprintf(buf, len, "%s (%s)", computed_names[i].name, model);
			return;
		}
	snprintf(buf, len, "%s %s %s (%s)", code, strcmp(other, BURSAR_CENTRAL) == 0 ? "with the central team" :
		 "with", strcmp(other, BURSAR_CENTRAL) == 0 ? "" : other, model);
}

/* Cut s to BUDGET_DESC_MAX characters at a character boundary. */
static void computed_cut(char *s)
{
	size_t chars = 0;

	for (char *c = s; *c != '\0'; c++)
		if (((unsigned char)*c & 0xc0) != 0x80 && ++chars > BUDGET_DESC_MAX) {
			*c = '\0';
			return;
		}
}

int computed_append(const struct computed_year *cy, const char *urn, struct budget *b)
{
	char desc[400];

	for (size_t m = 0; m < cy->rb.n; m++) {
		const struct rules_base_model *rm = &cy->rb.m[m];
		const char *model = plugin_name(rm->pl);

		for (size_t i = 0; i < rm->res.nposts; i++) {
			const struct plugin_posting *q = &rm->res.posts[i];

			for (int side = 0; side < 2; side++) {
				const char *who = side == 0 ? q->payer : q->payee;
				const char *code = side == 0 ? q->payer_account : q->payee_account;
				struct budget_line *l;

				if (strcmp(who, urn) != 0)
					continue;
				computed_describe(cy, code, side == 0 ? q->payee : q->payer, model, desc, sizeof(desc));
				computed_cut(desc);
				if ((l = budget_add_line(b, code, desc, q->amount_pence)) == NULL ||
				    (l->explanation = strdup(q->explanation != NULL ? q->explanation : "")) == NULL)
					return -1;
				l->computed = 1;
			}
		}
	}
	return 0;
}

void computed_strip(struct budget *b)
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

size_t computed_typed(const struct budget *b)
{
	size_t i = 0;

	while (i < b->nlines && !b->lines[i].computed)
		i++;
	return i;
}

int computed_differ(const struct budget *a, const struct budget *b)
{
	size_t i = computed_typed(a), j = computed_typed(b);

	for (; i < a->nlines && j < b->nlines; i++, j++) {
		const struct budget_line *x = &a->lines[i], *y = &b->lines[j];

		if (strcmp(x->code, y->code) != 0 || x->amount_pence != y->amount_pence ||
		    strcmp(x->description, y->description) != 0)
			return 1;
	}
	return i < a->nlines || j < b->nlines;
}

const char *computed_etag(char *buf, size_t len, int64_t version, const struct budget *b, const char *extra)
{
	struct strbuf s;
	char hash[64], *text;
	size_t n = 0;

	if (strbuf_init(&s, 256) != 0)
		return http_etag_version(buf, len, version);

	for (size_t i = computed_typed(b); i < b->nlines; i++) {
		const struct budget_line *l = &b->lines[i];

		strbuf_printf(&s, "%s\x1f%lld\x1f%s\x1f%s\x1e", l->code, (long long)l->amount_pence, l->description,
			      l->explanation != NULL ? l->explanation : "");
		n++;
	}
	if (extra != NULL)
		strbuf_printf(&s, "%s", extra);
	if ((text = strbuf_take(&s)) == NULL || (n == 0 && extra == NULL)) {
		free(text);
		return http_etag_version(buf, len, version);
	}
	http_etag_hash(hash, sizeof(hash), text, strlen(text));
	snprintf(buf, len, "\"%lld-%s", (long long)version, hash + 1);
	free(text);
	return buf;
}

cJSON *computed_line_json(const struct budget_line *l)
{
	cJSON *o = cJSON_CreateObject();

	if (o == NULL ||
	    (l->id > 0 ? cJSON_AddNumberToObject(o, "id", (double)l->id) : cJSON_AddNullToObject(o, "id")) == NULL ||
	    cJSON_AddStringToObject(o, "account_code", l->code) == NULL ||
	    cJSON_AddStringToObject(o, "kind", l->account != NULL ? budget_kind_name(l->account->kind) : "income") == NULL ||
	    cJSON_AddStringToObject(o, "description", l->description) == NULL ||
	    cJSON_AddNumberToObject(o, "amount_pence", (double)l->amount_pence) == NULL ||
	    (l->driver[0] != '\0' ? cJSON_AddStringToObject(o, "driver", l->driver) : cJSON_AddNullToObject(o, "driver")) ==
		    NULL ||
	    cJSON_AddBoolToObject(o, "excluded_from_central", l->excluded_from_central) == NULL ||
	    cJSON_AddBoolToObject(o, "computed", l->computed) == NULL ||
	    (l->explanation != NULL ? cJSON_AddStringToObject(o, "explanation", l->explanation) :
				      cJSON_AddNullToObject(o, "explanation")) == NULL) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

/* ---- a budget as every representation shows it ---- */

void computed_budget_free(struct computed_budget *cb)
{
	store_budget_free(&cb->x);
	memset(cb, 0, sizeof(*cb));
}

int computed_budget_read(struct db *db, const struct plugins *ps, const struct store_budget_ref *ref,
			 const struct budget_chart *chart, struct computed_budget *cb, struct problem *p)
{
	struct computed_year cy;
	struct budget live;
	const char *status;
	int found, rc = -1;

	memset(cb, 0, sizeof(*cb));
	if ((found = store_budget_read(db, ref, &cb->x, p)) <= 0)
		return found;
	if (store_budget_read_lines(db, ref, chart, &cb->x, p) != 0)
		return -1;
	status = db_get(cb->x.head, 0, "status");
	cb->draft = status != NULL && strcmp(status, "draft") == 0;
	cb->nstored = cb->x.b.nlines;
	if (computed_year_load(db, ps, ref->year, &cy, p) != 0)
		goto out;
	if (cy.failed) {
		snprintf(cb->warning, sizeof(cb->warning), "the computed lines (INT01-INT06) could not be worked out: %s",
			 cy.err);
		rc = 1;
		goto out;
	}
	if (cb->draft) {
		computed_strip(&cb->x.b);        /* a draft has none stored; in case */
		cb->nstored = cb->x.b.nlines;
		if (computed_append(&cy, ref->urn, &cb->x.b) != 0) {
			problem_internal(p);
			goto out;
		}
		rc = 1;
		goto out;
	}
	budget_init(&live, ref->entity, chart);
	if (computed_append(&cy, ref->urn, &live) != 0) {
		budget_clear(&live);
		problem_internal(p);
		goto out;
	}
	if (computed_differ(&cb->x.b, &live))
		snprintf(cb->warning, sizeof(cb->warning), "the computed lines are as they were when the budget was %s; "
			 "the finance rules now work them out differently (another school's budget, the census or a "
			 "setting changed): return or reopen the budget to take the new figures", status);
	budget_clear(&live);
	rc = 1;
out:
	computed_year_free(&cy);
	return rc;
}

cJSON *computed_budget_json(const struct computed_budget *cb, struct problem *p)
{
	cJSON *o = store_budget_json(&cb->x, 1, p), *lines, *findings, *f;

	if (o == NULL)
		return NULL;
	lines = cJSON_GetObjectItemCaseSensitive(o, "lines");
	for (size_t i = cb->nstored; i < cb->x.b.nlines; i++) {
		cJSON *l = computed_line_json(&cb->x.b.lines[i]);

		if (l == NULL || !cJSON_AddItemToArray(lines, l)) {
			cJSON_Delete(l);
			goto oom;
		}
	}
	if (cb->warning[0] != '\0') {
		findings = cJSON_GetObjectItemCaseSensitive(o, "findings");
		if ((f = cJSON_CreateObject()) == NULL || !cJSON_AddItemToArray(findings, f) ||
		    cJSON_AddStringToObject(f, "severity", "warning") == NULL ||
		    cJSON_AddStringToObject(f, "code", "computed_lines") == NULL ||
		    cJSON_AddStringToObject(f, "field", "/lines") == NULL ||
		    cJSON_AddStringToObject(f, "message", cb->warning) == NULL)
			goto oom;
	}
	return o;
oom:
	cJSON_Delete(o);
	problem_internal(p);
	return NULL;
}

const char *computed_budget_etag(const struct computed_budget *cb, char *buf, size_t len)
{
	return computed_etag(buf, len, cb->x.version, &cb->x.b, cb->warning[0] != '\0' ? cb->warning : NULL);
}
