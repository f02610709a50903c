/* api_ops.c - operations endpoints without auth: /healthz, /readyz, /metrics,
 * /openapi.json. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "config.h"
#include "log.h"
#include "metrics.h"
#include "routes.h"
#include "worker.h"

int api_healthz(struct req *r, struct problem *p)
{
	cJSON *o = cJSON_CreateObject();

	if (o == NULL || cJSON_AddStringToObject(o, "status", "ok") == NULL) {
		cJSON_Delete(o);
		return problem_internal(p);
	}
	http_reply_json(r, 200, o, NULL);
	cJSON_Delete(o);
	return 0;
}

int api_readyz(struct req *r, struct problem *p)
{
	cJSON *o;

	if (db_ping(r->db, p) != 0) {
		snprintf(p->detail, sizeof(p->detail), "the database is not reachable");
		return -1;
	}
	if ((o = cJSON_CreateObject()) == NULL || cJSON_AddStringToObject(o, "status", "ready") == NULL) {
		cJSON_Delete(o);
		return problem_internal(p);
	}
	http_reply_json(r, 200, o, NULL);
	cJSON_Delete(o);
	return 0;
}

int api_metrics(struct req *r, struct problem *p)
{
	size_t n;
	struct metrics *const *ms = worker_metrics(r->w, &n);
	char *text;

	/* with an ops listener, the metrics are there only: not on the port the proxy exposes */
	if (r->cfg->ops_address[0] != '\0')
		return problem_not_found(p, "/metrics is served on the ops listener (ops.address)");
	if ((text = metrics_render(ms, n, api_routes, api_nroutes)) == NULL)
		return problem_internal(p);
	http_reply_raw(r, 200, "text/plain; version=0.0.4; charset=utf-8", text, strlen(text), NULL);
	free(text);
	return 0;
}

/* The contract is a file (paths.openapi), read per request: it is small and rarely asked for. */
int api_openapi(struct req *r, struct problem *p)
{
	FILE *f = fopen(r->cfg->openapi_path, "rb");
	char *buf = NULL, etag[64];
	long len;
	int rc = -1;

	if (f == NULL) {
		log_err("api: %s: %s", r->cfg->openapi_path, strerror(errno));
		return problem_internal(p);
	}
	if (fseek(f, 0, SEEK_END) != 0 || (len = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0 ||
	    (buf = malloc((size_t)len + 1)) == NULL || fread(buf, 1, (size_t)len, f) != (size_t)len) {
		log_err("api: cannot read %s", r->cfg->openapi_path);
		problem_internal(p);
		goto out;
	}
	http_etag_hash(etag, sizeof(etag), buf, (size_t)len);
	if (!http_not_modified(r, etag))
		http_reply_raw(r, 200, "application/json; charset=utf-8", buf, (size_t)len, etag);
	rc = 0;
out:
	free(buf);
	fclose(f);
	return rc;
}
