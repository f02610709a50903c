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
