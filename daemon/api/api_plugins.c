/* api_plugins.c - the finance-rule plugins this daemon loaded (read-only): what
 * a school's finance_model may name. A per-school setting (`<setting>_<URN>`, as
 * etc/bursard.conf.example writes them) is shown to a business manager only for
 * their own schools. */
#include "api.h"
#include "plugin.h"
#include "worker.h"

/* One plugin: name, version, description and its settings as the plugin got them (strings). */
static cJSON *api_plugin_json(struct req *r, const struct plugin *pl, struct problem *p)
{
	const struct bursar_settings *s = plugin_settings(pl);
	cJSON *o = cJSON_CreateObject(), *set;
	int visible;

	if (o == NULL || cJSON_AddStringToObject(o, "name", plugin_name(pl)) == NULL ||
	    cJSON_AddStringToObject(o, "version", plugin_version(pl)) == NULL ||
	    cJSON_AddStringToObject(o, "description", plugin_description(pl)) == NULL ||
	    (set = cJSON_AddObjectToObject(o, "settings")) == NULL)
		goto oom;
	for (size_t i = 0; i < s->n; i++) {
		if ((visible = api_setting_visible(r, s->items[i].key, p)) < 0)
			goto fail;
		if (visible && cJSON_AddStringToObject(set, s->items[i].key, s->items[i].value) == NULL)
			goto oom;
	}
	return o;
oom:
	problem_internal(p);
fail:
	cJSON_Delete(o);
	return NULL;
}

/* The whole list is small and fixed for the life of the process: no paging. */
int api_plugins_list(struct req *r, struct problem *p)
{
	const struct plugins *ps = r->w->plugins;
	cJSON *items;

	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0)
		return -1;
	if ((items = cJSON_CreateArray()) == NULL)
		return problem_internal(p);
	for (size_t i = 0; i < plugin_count(ps); i++) {
		cJSON *o = api_plugin_json(r, plugin_at(ps, i), p);

		if (o == NULL || !cJSON_AddItemToArray(items, o)) {
			cJSON_Delete(o);
			cJSON_Delete(items);
			return p->status != 0 ? -1 : problem_internal(p);
		}
	}
	return api_reply_list(r, items, NULL, p);
}
