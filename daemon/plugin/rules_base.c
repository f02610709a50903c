/* rules_base.c - see rules_base.h */
#include "rules_base.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void rules_base_free(struct rules_base *rb)
{
	if (rb == NULL)
		return;
	for (size_t i = 0; i < rb->n; i++) {
		plugin_result_free(&rb->m[i].res);
		free(rb->m[i].urns);
	}
	free(rb->m);
	memset(rb, 0, sizeof(*rb));
}

struct rb_run {
	const struct plugins *ps;
	struct rules_base *out;
};

/* A forecast_rules apply_year: run the model, keep its postings (the sink is not used). */
static int rb_apply(void *arg, const char *model, const struct bursar_year *y, struct forecast_sink *sink, char *err,
		    size_t errlen)
{
	struct rb_run *run = arg;
	struct rules_base *rb = run->out;
	const struct plugin *pl = plugin_find(run->ps, model);
	struct rules_base_model *m;

	(void)sink;
	if (pl == NULL) {
		snprintf(err, errlen, "the finance model \"%s\" is not loaded by this daemon", model);
		return -1;
	}
	if (rb->n == rb->cap) {
		size_t cap = rb->cap ? rb->cap * 2 : 4;
		struct rules_base_model *nm = realloc(rb->m, cap * sizeof(*nm));

		if (nm == NULL) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		rb->m = nm;
		rb->cap = cap;
	}
	m = &rb->m[rb->n];
	memset(m, 0, sizeof(*m));
	m->pl = pl;
	if ((m->urns = calloc(y->nentities + 1, sizeof(*m->urns))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	rb->n++;
	for (size_t i = 0; i < y->nentities; i++)
		m->urns[m->nurns++] = BURSAR_AT(struct bursar_entity, y->entities, y->entity_size, i)->urn;
	if (plugin_apply_year(pl, y, &m->res) != 0) {
		snprintf(err, errlen, "%s", plugin_failure(&m->res));
		return -1;
	}
	return 0;
}

int rules_base_run(const struct plugins *ps, const struct forecast_input *in, struct rules_base *out,
		   enum forecast_error *kind, char *err, size_t errlen)
{
	struct rb_run run = { ps, out };
	struct forecast_rules rules = { rb_apply, &run };
	struct forecast_input x = *in;

	memset(out, 0, sizeof(*out));
	x.rules = &rules;
	if (forecast_rules_base(&x, kind, err, errlen) != 0) {
		rules_base_free(out);
		return -1;
	}
	return 0;
}

struct rb_check {
	const struct plugins *ps;
	const char *model;
	const struct bursar_budget *b;
	struct plugin_result *res;
	int done;
};

/* A forecast_rules apply_year that checks the budget under its model's year. */
static int rb_validate(void *arg, const char *model, const struct bursar_year *y, struct forecast_sink *sink,
		       char *err, size_t errlen)
{
	struct rb_check *c = arg;
	const struct plugin *pl;
	struct bursar_budget b;

	(void)sink;
	if (strcmp(model, c->model) != 0 || c->done)
		return 0;
	if ((pl = plugin_find(c->ps, model)) == NULL) {
		snprintf(err, errlen, "the finance model \"%s\" is not loaded by this daemon", model);
		return -1;
	}
	b = *c->b;
	b.context = y;
	c->done = 1;
	if (plugin_validate_budget(pl, &b, c->res) != 0) {
		snprintf(err, errlen, "%s", plugin_failure(c->res));
		return -1;
	}
	return 0;
}

int rules_base_validate(const struct plugins *ps, const struct forecast_input *in, const char *model,
			const struct bursar_budget *b, struct plugin_result *res, char *err, size_t errlen)
{
	struct rb_check c = { ps, model, b, res, 0 };
	struct forecast_rules rules = { rb_validate, &c };
	struct forecast_input x = *in;
	enum forecast_error kind = 0;
	const struct plugin *pl = plugin_find(ps, model);

	memset(res, 0, sizeof(*res));
	x.rules = &rules;
	if (forecast_rules_base(&x, &kind, err, errlen) != 0)
		return -1;
	if (!c.done) {                           /* the school is not among the model's: no context */
		if (pl == NULL) {
			snprintf(err, errlen, "the finance model \"%s\" is not loaded by this daemon", model);
			return -1;
		}
		if (plugin_validate_budget(pl, b, res) != 0) {
			snprintf(err, errlen, "%s", plugin_failure(res));
			return -1;
		}
	}
	return 0;
}
