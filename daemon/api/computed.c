/* computed.c - see computed.h */
#include "computed.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "log.h"
#include "staff_lines.h"
#include "strbuf.h"

void computed_year_free(struct computed_year *cy)
{
	rules_base_free(&cy->rb);
	store_forecasts_inputs_free(&cy->base);
	staff_cost_free(&cy->staff);
	memset(cy, 0, sizeof(*cy));
}

int computed_year_load(struct db *db, const struct plugins *ps, int year, struct computed_year *cy, struct problem *p)
{
	return computed_year_load_for(db, ps, year, NULL, cy, p);
}

int computed_year_load_for(struct db *db, const struct plugins *ps, int year, const char *urn,
			   struct computed_year *cy, struct problem *p)
{
	enum forecast_error kind = 0;
	struct db_rows *before = NULL;
	size_t schools = 0;

	memset(cy, 0, sizeof(*cy));
	cy->year = year;
	cy->ps = ps;
	/* the census Y0-2 .. Y0+1 (funded pupils: Y0-1); no scenario */
	if (store_forecasts_inputs(db, year, 1, &cy->base, p) != 0 ||
	    staff_cost_load(db, urn, year, &cy->staff, p) != 0)
		return -1;
	/* funded pupils are the census of year - 1; a budget drafted before it is known
	 * (years ahead) uses the latest census there is */
	if (store_forecasts_census_before(db, year, &before, p) != 0) {
		db_rows_free(before);
		return -1;
	}
	for (size_t i = 0; i < cy->base.nentities; i++) {
		struct forecast_entity_in *e = &cy->base.entities[i];

		for (size_t k = 0; k < before->nrows; k++)
			if (e->pupils[1] == FORECAST_NO_DATA && strcmp(db_cell(before, k, 0), e->urn) == 0)
				e->pupils[1] = (int32_t)db_cell_i64(before, k, 1);
		e->selected = e->budget_status != NULL;
		schools += e->selected && !e->is_central && e->model != NULL && e->model[0] != '\0';
	}
	db_rows_free(before);
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

/* The rules' computed lines of urn appended to b. 0, or -1 (out of memory). */
static int computed_append_rules(const struct computed_year *cy, const char *urn, struct budget *b)
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
				if ((l = budget_add_computed_line(b, code, desc, q->amount_pence)) == NULL ||
				    (l->explanation = strdup(q->explanation != NULL ? q->explanation : "")) == NULL)
					return -1;
			}
		}
	}
	return 0;
}

int computed_append(const struct computed_year *cy, const char *urn, struct budget *b)
{
	return staff_lines_append(&cy->staff, urn, b) != 0 ? -1 : computed_append_rules(cy, urn, b);
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

void computed_forecast_free(struct computed_forecast *keep)
{
	for (size_t i = 0; i < keep->n; i++) {
		if (keep->b != NULL)
			budget_clear(&keep->b[i]);
		if (keep->li != NULL)
			free(keep->li[i]);
		if (keep->fp != NULL)
			free(keep->fp[i]);
	}
	free(keep->b);
	free(keep->li);
	free(keep->fp);
	memset(keep, 0, sizeof(*keep));
}

int computed_forecast_base(const struct computed_year *cy, struct forecast_entity_in *e, size_t n,
			   struct computed_forecast *keep)
{
	memset(keep, 0, sizeof(*keep));
	if (n == 0)
		return 0;
	if ((keep->b = calloc(n, sizeof(*keep->b))) == NULL || (keep->li = calloc(n, sizeof(*keep->li))) == NULL ||
	    (keep->fp = calloc(n, sizeof(*keep->fp))) == NULL)
		goto oom;
	keep->n = n;
	for (size_t i = 0; i < n; i++) {
		struct budget *b = &keep->b[i];
		struct forecast_line_in *li;
		unsigned char *fp;
		size_t nposts;

		budget_init(b, BUDGET_MAINSTREAM, NULL);
		if (e[i].budget_status == NULL || strcmp(e[i].budget_status, "draft") != 0)
			continue;                        /* none, or its computed lines are frozen rows */
		if (staff_lines_append(&cy->staff, e[i].urn, b) != 0)
			goto oom;
		nposts = b->nlines;              /* the lines generated from posts come first */
		if (computed_append_rules(cy, e[i].urn, b) != 0)
			goto oom;
		if (b->nlines == 0)
			continue;
		if ((li = calloc(e[i].nlines + b->nlines, sizeof(*li))) == NULL)
			goto oom;
		keep->li[i] = li;
		if (e[i].nlines > 0)
			memcpy(li, e[i].lines, e[i].nlines * sizeof(*li));
		for (size_t j = 0; j < b->nlines; j++)
			li[e[i].nlines + j] = (struct forecast_line_in){ .code = b->lines[j].code,
				.description = b->lines[j].description, .amount_pence = b->lines[j].amount_pence };
		if ((fp = calloc(e[i].nlines + b->nlines, 1)) == NULL)
			goto oom;
		keep->fp[i] = fp;
		if (e[i].nlines > 0 && e[i].from_posts != NULL)
			memcpy(fp, e[i].from_posts, e[i].nlines);
		memset(fp + e[i].nlines, 1, nposts);
		e[i].lines = li;
		e[i].from_posts = fp;
		e[i].nlines += b->nlines;
	}
	return 0;
oom:
	computed_forecast_free(keep);
	return -1;
}
