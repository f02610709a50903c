/* scenario_apply.c - see scenario_apply.h */
#include "scenario_apply.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonv.h"

/* The overrides of s as the registry takes them: *over and *kv (free both). */
static int sa_overrides(const struct scenario *s, struct plugin_override **over, struct bursar_setting **kv)
{
	size_t n = 0;

	*over = NULL;
	*kv = NULL;
	for (size_t i = 0; i < s->nplugins; i++)
		n += s->plugins[i].n;
	if ((*over = calloc(s->nplugins + 1, sizeof(**over))) == NULL || (*kv = calloc(n + 1, sizeof(**kv))) == NULL)
		return -1;
	n = 0;
	for (size_t i = 0; i < s->nplugins; i++) {
		(*over)[i] = (struct plugin_override){ s->plugins[i].name, s->plugins[i].n, *kv + n };
		for (size_t j = 0; j < s->plugins[i].n; j++)
			(*kv)[n++] = (struct bursar_setting){ s->plugins[i].items[j].key, s->plugins[i].items[j].value };
	}
	return 0;
}

/* ps with s's settings: *run (NULL when s overrides none). 0, 1 with the refusal in
 * err and the plugin's name in *which, or -1 out of memory. */
static int sa_registry(const struct plugins *ps, const struct scenario *s, struct plugins **run, const char **which,
		       char *err, size_t errlen)
{
	struct plugin_override *over;
	struct bursar_setting *kv;
	size_t bad = 0;
	int rc = 0;

	*run = NULL;
	if (s->nplugins == 0)
		return 0;
	if (sa_overrides(s, &over, &kv) != 0) {
		rc = -1;
	} else if ((*run = plugin_registry_with(ps, over, s->nplugins, &bad, err, errlen)) == NULL) {
		*which = s->plugins[bad].name;
		rc = strcmp(err, "out of memory") == 0 ? -1 : 1;
	}
	free(over);
	free(kv);
	return rc;
}

/* The plugin's refusal of its settings as a field error at /overrides/plugin_settings/<plugin>. */
static void sa_refused(struct problem *p, const char *plugin, const char *err)
{
	char field[128];
	size_t o = (size_t)snprintf(field, sizeof(field), "/overrides/plugin_settings");

	jsonv_ptr_append(field, sizeof(field), o < sizeof(field) ? o : sizeof(field) - 1, plugin);
	problem_field(p, field, "%s", err);
}

int scenario_apply_begin(const struct plugins *ps, const struct scenario *s, struct scenario_apply *ap,
			 struct problem *p)
{
	const char *which = "";
	char err[300];
	int rc;

	memset(ap, 0, sizeof(*ap));
	ap->plugins = ps;
	if ((rc = sa_registry(ps, s, &ap->own, &which, err, sizeof(err))) < 0)
		return problem_internal(p);
	if (rc > 0) {
		sa_refused(p, which, err);
		return problem_set(p, 422, "validation", "Validation failed",
				   "the scenario's settings for the plugin %s are refused: %s", which, err);
	}
	if (ap->own != NULL)
		ap->plugins = ap->own;
	if (s->nactions > 0 && (ap->actions = calloc(s->nactions, sizeof(*ap->actions))) == NULL)
		return problem_internal(p);
	/* line actions are the engine's; post actions change the posts costed for the run */
	for (size_t i = 0; i < s->nactions; i++) {
		const struct scenario_action *a = &s->actions[i];

		if (a->type == SCENARIO_ACTION_LINE)
			ap->actions[ap->nactions++] = (struct forecast_action){ .urn = a->urn, .code = a->code,
				.from = a->from, .to = a->to, .annual_pence = a->annual_pence, .note = a->note };
	}
	return 0;
}

void scenario_apply_free(struct scenario_apply *ap)
{
	if (ap == NULL)
		return;
	plugin_registry_free(ap->own);
	free(ap->actions);
	memset(ap, 0, sizeof(*ap));
}

void scenario_apply_models(const struct scenario *s, struct forecast_entity_in *e, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *m = e[i].is_central ? NULL : scenario_model_of(s, e[i].urn);

		if (m != NULL)
			e[i].model = m;
	}
}

int scenario_apply_check(const struct plugins *ps, const struct scenario *s, struct problem *p)
{
	int errors = 0;

	/* one plugin at a time, so each refused one gets its own message */
	for (size_t i = 0; i < s->nplugins; i++) {
		struct scenario one = { .nplugins = 1, .plugins = &s->plugins[i] };
		struct plugins *run = NULL;
		const char *which = "";
		char err[300];
		int rc = sa_registry(ps, &one, &run, &which, err, sizeof(err));

		plugin_registry_free(run);
		if (rc < 0)
			return problem_internal(p);
		if (rc > 0) {
			sa_refused(p, which, err);
			errors++;
		}
	}
	return errors;
}

/* ---- staffing actions on a copy of the posts ---- */

/* The post of urn with this reference among out's, or -1. */
static long sa_post_find(const struct scenario_posts *out, const char *urn, const char *ref)
{
	for (size_t i = 0; i < out->n; i++)
		if (strcmp(out->posts[i].urn, urn) == 0 && strcmp(out->posts[i].reference, ref) == 0)
			return (long)i;
	return -1;
}

/* post_start's post as core's struct: 0, or the field errors added. */
static int sa_post_new(const struct scenario_action *a, size_t idx, scenario_scale_of scale_of, const void *arg,
		       struct staff_post *q, struct problem *p)
{
	const struct scenario_post *in = a->post;
	const struct staff_scale *sc = scale_of(arg, in->scale);
	char f[64];
	int pt, top, errors = 0;

	memset(q, 0, sizeof(*q));
	if (sc == NULL) {
		snprintf(f, sizeof(f), "/actions/%zu/post/scale", idx);
		problem_field(p, f, "no pay scale has this name");
		return 1;
	}
	if ((pt = staff_scale_point(sc, in->point)) < 0) {
		snprintf(f, sizeof(f), "/actions/%zu/post/point", idx);
		problem_field(p, f, "is not a point of %s", in->scale);
		errors++;
	}
	top = in->top_point[0] != '\0' ? staff_scale_point(sc, in->top_point) : (int)sc->npoints - 1;
	if (top < 0 || (pt >= 0 && top < pt)) {
		snprintf(f, sizeof(f), "/actions/%zu/post/top_point", idx);
		problem_field(p, f, top < 0 ? "is not a point of the scale" : "is below the post's point");
		errors++;
	}
	if (errors != 0 || staff_role_parse(in->role, &q->role) != 0 || staff_pension_parse(in->pension, &q->pension) != 0)
		return errors != 0 ? errors : 1;
	q->urn = a->urn;
	q->reference = in->reference;
	q->code = in->code;
	q->scale = sc;
	q->point = (size_t)pt;
	q->top = (size_t)top;
	q->point_year = in->point_year;
	q->fte_h = in->fte_h;
	q->paid_weeks_h = in->paid_weeks_h;
	q->allowances_pence = in->tlr_pence + in->sen_pence + in->fringe_pence + in->other_allowance_pence;
	q->ni_category = in->ni_category;
	q->start = in->starts_on != FORECAST_NO_DATE && in->starts_on > a->from ? in->starts_on : a->from;
	q->end = in->ends_on;
	q->vacant = in->vacant;
	q->periods_taught = in->periods_taught;
	return 0;
}

int scenario_apply_posts(const struct scenario *s, const struct staff_post *live, size_t nlive,
			 scenario_scale_of scale_of, const void *arg, struct scenario_posts *out, struct problem *p)
{
	size_t nstart = 0, nfte = 0, used = 0;
	char f[48];

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < s->nactions; i++) {
		nstart += s->actions[i].type == SCENARIO_ACTION_POST_START;
		nfte += s->actions[i].type == SCENARIO_ACTION_POST_FTE;
	}
	/* room for each post's changes moved to the end as often as another post's come between:
	 * at most 1 + 2 + ... + nfte (nfte <= SCENARIO_MAX_ACTIONS) */
	if ((out->posts = calloc(nlive + nstart + 1, sizeof(*out->posts))) == NULL ||
	    (out->fte = calloc(nfte * (nfte + 1) / 2 + 1, sizeof(*out->fte))) == NULL)
		return problem_internal(p);
	if (nlive > 0)
		memcpy(out->posts, live, nlive * sizeof(*live));
	out->n = nlive;
	for (size_t i = 0; i < s->nactions; i++) {
		const struct scenario_action *a = &s->actions[i];
		long j;

		if (a->type == SCENARIO_ACTION_LINE)
			continue;
		if (a->type == SCENARIO_ACTION_POST_START) {
			if (sa_post_new(a, i, scale_of, arg, &out->posts[out->n], p) == 0)
				out->n++;
			continue;
		}
		if ((j = sa_post_find(out, a->urn, a->post_ref)) < 0) {
			snprintf(f, sizeof(f), "/actions/%zu/post", i);
			problem_field(p, f, "%s has no live post with the reference %s", a->urn, a->post_ref);
			continue;
		}
		if (a->type == SCENARIO_ACTION_POST_END) {
			if (out->posts[j].end == FORECAST_NO_DATE || out->posts[j].end > a->from - 1)
				out->posts[j].end = a->from - 1;
			continue;
		}
		/* post_fte: the post's changes kept together in fte[], by date (a later action wins on the same date) */
		{
			struct staff_post *q = &out->posts[j];
			struct staff_fte_change *c;
			size_t k;

			if (q->nfte_changes == 0) {
				q->fte_changes = &out->fte[used];
			} else if (q->fte_changes + q->nfte_changes != &out->fte[used]) {
				/* another post's changes came since: move this post's to the end */
				memmove(&out->fte[used], q->fte_changes, q->nfte_changes * sizeof(*c));
				q->fte_changes = &out->fte[used];
			}
			c = (struct staff_fte_change *)q->fte_changes;
			for (k = 0; k < q->nfte_changes && c[k].from != a->from; k++)
				;
			if (k < q->nfte_changes) {
				c[k].fte_h = a->fte_h;           /* the same date: the later action's */
			} else {
				for (k = q->nfte_changes; k > 0 && c[k - 1].from > a->from; k--)
					c[k] = c[k - 1];
				c[k] = (struct staff_fte_change){ a->from, a->fte_h };
				q->nfte_changes++;
			}
			used = (size_t)(c + q->nfte_changes - out->fte);
		}
	}
	return problem_validation_done(p) != 0 ? -1 : 0;
}

void scenario_apply_posts_free(struct scenario_posts *out)
{
	if (out == NULL)
		return;
	free(out->posts);
	free(out->fte);
	memset(out, 0, sizeof(*out));
}
