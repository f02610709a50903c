/* api_forecasts_read.c - GET /api/v1/forecasts/{id} (a saved run as JSON, CSV or
 * XLSX: run_reply.c) and the list of runs. Business managers see published runs
 * only, and of them their own schools only (run_scope.c). */
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "export.h"
#include "run_reply.h"
#include "run_scope.h"
#include "run_view.h"
#include "store_forecasts.h"

int api_forecast_get(struct req *r, struct problem *p)
{
	static const char *const allowed[] = { "explain", "lines", "entity", NULL };
	const char *ex = http_query(r, "explain"), *only = http_query(r, "entity");
	struct run_scope s;
	int64_t id;
	int rc, lines = 1;
	enum export_format fmt = export_format(r);

	if (http_query_allow(r, allowed, p) != 0)
		return -1;
	if (ex != NULL && strcmp(ex, "text") != 0 && strcmp(ex, "data") != 0)
		problem_field(p, "query:explain", "must be text (the default) or data (the stored data as well)");
	if (run_view_lines_param(r, 1, &lines, p) == 0 && !lines && fmt != EXPORT_JSON)
		problem_field(p, "query:lines", "the CSV and XLSX are the table of lines: lines=false is for JSON only");
	if (only != NULL && !api_urn_valid(only) && strcmp(only, "trust") != 0)
		problem_field(p, "query:entity", "must be a school's six-digit URN, \"central\" or \"trust\"");
	if (problem_validation_done(p) != 0)
		return -1;
	if (api_path_id(r, "id", "forecast run", &id, p) != 0 || run_scope_get(r, &s, p) != 0)
		return -1;
	rc = run_reply(r, 200, id, &s, only, fmt, lines, ex != NULL && strcmp(ex, "data") == 0, p);
	run_scope_free(&s);
	return rc;
}

int api_forecasts_list(struct req *r, struct problem *p)
{
	static const char *const also[] = { "scenario", "status", NULL };
	struct run_scope s = { 0 };
	struct store_forecasts_filter f = { 0 };
	struct db_rows *rows = NULL;
	cJSON *urns = NULL;
	char *text = NULL;
	struct page pg;
	int rc = -1;

	if (http_query(r, "scenario") != NULL && api_query_id(r, "scenario", "scenario", &f.scenario_id, p) != 0)
		f.scenario_id = 0;
	f.status = http_query(r, "status");
	if (f.status != NULL && strcmp(f.status, "draft") != 0 && strcmp(f.status, "published") != 0)
		problem_field(p, "query:status", "must be draft or published");
	if (api_page_query(r, also, &pg, p) != 0 || problem_validation_done(p) != 0 || run_scope_get(r, &s, p) != 0)
		return -1;
	if (!s.all) {
		/* a business manager: published runs with one of her schools */
		f.published_only = 1;
		if ((urns = cJSON_CreateArray()) == NULL)
			goto oom;
		for (size_t i = 0; i < s.n; i++)
			if (!cJSON_AddItemToArray(urns, cJSON_CreateString(s.urns[i])))
				goto oom;
		if ((text = cJSON_PrintUnformatted(urns)) == NULL)
			goto oom;
		f.urns_json = text;
	}
	if (store_forecasts_list(r->db, &pg, &f, &rows, p) == 0)
		rc = api_reply_page(r, rows, &pg, NULL, p);
	goto out;
oom:
	problem_internal(p);
out:
	db_rows_free(rows);
	cJSON_free(text);
	cJSON_Delete(urns);
	run_scope_free(&s);
	return rc;
}
