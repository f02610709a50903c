/* export.c - see export.h */
#include "export.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <event2/buffer.h>

#include "log.h"
#include "xlsx.h"

enum export_format export_format(struct req *r)
{
	const char *a = http_header(r, "Accept");

	evhttp_add_header(evhttp_request_get_output_headers(r->ev), "Vary", "Accept");
	if (a != NULL && strcasestr(a, EXPORT_XLSX_TYPE) != NULL)
		return EXPORT_XLSX;
	if (a != NULL && strcasestr(a, "text/csv") != NULL)
		return EXPORT_CSV;
	return EXPORT_JSON;
}

void export_etag(enum export_format f, char *etag, size_t len)
{
	const char *tail = f == EXPORT_CSV ? ".csv\"" : f == EXPORT_XLSX ? ".xlsx\"" : NULL;
	size_t n = strlen(etag);

	if (tail == NULL || n < 2 || etag[n - 1] != '"' || n - 1 + strlen(tail) + 1 > len)
		return;
	memcpy(etag + n - 1, tail, strlen(tail) + 1);
}

static void export_put(void *ctx, const char *s, size_t n)
{
	struct export *e = ctx;

	if (!e->csv.oom && evbuffer_add(e->b, s, n) != 0)
		e->csv.oom = 1;
}

int export_begin(struct export *e, enum export_format format, unsigned flags, const char *title, struct problem *p)
{
	memset(e, 0, sizeof(*e));
	e->format = format;
	if ((e->b = evbuffer_new()) == NULL)
		return problem_internal(p);
	if (format == EXPORT_XLSX) {
		if ((e->x = xlsx_new(&e->t, title, (flags & EXPORT_STREAM) != 0)) == NULL)
			return problem_internal(p);
		return 0;
	}
	e->csv.put = export_put;
	e->csv.ctx = e;
	table_csv_init(&e->t, &e->csv);
	return 0;
}

int export_reply(struct req *r, struct export *e, const char *stem, const char *etag, struct problem *p)
{
	int xlsx = e->format == EXPORT_XLSX;
	const char *ctype = xlsx ? EXPORT_XLSX_TYPE : EXPORT_CSV_TYPE;
	char disp[160];

	if (table_finish(&e->t) != 0 || (xlsx && xlsx_bytes(e->x, e->b) != 0)) {
		log_err("export: cannot write %s.%s", stem, xlsx ? "xlsx" : "csv");
		return problem_internal(p);
	}
	snprintf(disp, sizeof(disp), "attachment; filename=\"%s.%s\"", stem, xlsx ? "xlsx" : "csv");
	evhttp_add_header(evhttp_request_get_output_headers(r->ev), "Content-Disposition", disp);
	if (etag == NULL)
		return http_reply_buffer(r, 200, ctype, e->b, p);
	return http_reply_evbuffer(r, 200, ctype, e->b, etag);
}

void export_end(struct export *e)
{
	xlsx_free(e->x);
	e->x = NULL;
	if (e->b != NULL)
		evbuffer_free(e->b);
	e->b = NULL;
}
