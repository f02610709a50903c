/* api_plugins.c - the finance-rule plugins this daemon loaded (read-only): what
 * a school's finance_model may name. */
#include <string.h>

#include "api.h"
#include "log.h"
#include "plugin.h"
#include "worker.h"

/* One plugin: name, version, description and its settings as the plugin got them (strings). */
static cJSON *api_plugin_json(const struct plugin *pl)
{
	const struct bursar_settings *s = plugin_settings(pl);
	cJSON *o = cJSON_CreateObject(), *set;

	if (o == NULL || cJSON_AddStringToObject(o, "name", plugin_name(pl)) == NULL ||
	    cJSON_AddStringToObject(o, "version", plugin_version(pl)) == NULL ||
	    cJSON_AddStringToObject(o, "description", plugin_description(pl)) == NULL ||
	    (set = cJSON_AddObjectToObject(o, "settings")) == NULL)
		goto fail;
	for (size_t i = 0; i < s->n; i++)
		if (cJSON_AddStringToObject(set, s->items[i].key, s->items[i].value) == NULL)
			goto fail;
	return o;
fail:
	cJSON_Delete(o);
	return NULL;
}

/* The whole list is small and fixed for the life of the process: no paging. */
int api_plugins_list(struct req *r, struct problem *p)
{
	const struct plugins *ps = r->w->plugins;
	cJSON *body = NULL, *items;
	int rc = -1;

	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0)
		return -1;
	if ((body = cJSON_CreateObject()) == NULL || (items = cJSON_AddArrayToObject(body, "items")) == NULL)
		goto oom;
	for (size_t i = 0; i < plugin_count(ps); i++) {
		cJSON *o = api_plugin_json(plugin_at(ps, i));

		if (o == NULL || !cJSON_AddItemToArray(items, o)) {
			cJSON_Delete(o);
			goto oom;
		}
	}
	if (cJSON_AddNullToObject(body, "next") == NULL)
		goto oom;
	rc = http_reply_json_hashed(r, body, p);
	goto out;
oom:
	log_err("api: out of memory listing plugins");
	problem_internal(p);
out:
	cJSON_Delete(body);
	return rc;
}
