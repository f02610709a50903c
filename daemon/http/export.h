/*
 * export.h - a spreadsheet reply: a table (core/table.h) rendered as CSV or XLSX,
 * whichever the request's Accept asks for, sent as an attachment.
 *
 *   enum export_format f = export_format(r);      // also sets Vary: Accept
 *   if (f != EXPORT_JSON) {
 *           struct export e;
 *           if (export_begin(&e, f, 0, "Budget 159901 2026-27", p) != 0) ...
 *           table_sheet(&e.t, ...); table_row(&e.t, 0); table_text(&e.t, ...); ...
 *           rc = export_reply(r, &e, "budget-159901-2026-27", NULL, p);
 *           export_end(&e);
 *   }
 *
 * CSV replies carry a UTF-8 byte-order mark (http.c adds it to every text/csv
 * reply, so Excel reads £ as UTF-8). Thread: per request.
 */
#ifndef BURSAR_EXPORT_H
#define BURSAR_EXPORT_H

#include "http.h"
#include "table.h"

#define EXPORT_XLSX_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#define EXPORT_CSV_TYPE "text/csv; charset=utf-8"

enum export_format { EXPORT_JSON, EXPORT_CSV, EXPORT_XLSX };

/* export_begin flags */
enum {
	/* a table that may be large: XLSX rows go to a scratch file as they are written
	 * (libxlsxwriter's constant_memory: rows in order, strings inline), so memory
	 * does not grow with the rows */
	EXPORT_STREAM = 1 << 0,
};

/* What Accept asks for: the XLSX type, text/csv, else JSON. Adds Vary: Accept to the reply. */
enum export_format export_format(struct req *r);

/*
 * A strong ETag names one representation: the CSV and the XLSX of a resource whose
 * JSON has etag get their own, ".csv" or ".xlsx" added inside the quotes
 * ("\"7-h1a2b\"" -> "\"7-h1a2b.csv\""), so a cache never answers one format with
 * another (RFC 9110 8.8.3). etag (len bytes) is changed in place for CSV and XLSX;
 * JSON, or no room, leaves it as it is. If-Match parsers that read the version
 * before "-h" accept either (http_if_match_parse, HTTP_IF_MATCH_HASHED).
 */
void export_etag(enum export_format f, char *etag, size_t len);

struct xlsx;

struct export {
	enum export_format format;
	struct table t;                          /* write the export here */
	struct table_csv csv;
	struct evbuffer *b;
	struct xlsx *x;
};

/* Begin e in format (EXPORT_CSV or EXPORT_XLSX) with flags (EXPORT_*); title names
 * the XLSX document. 0, or -1 with a 500 problem. export_end(e) either way (also on
 * a zeroed e). */
int export_begin(struct export *e, enum export_format format, unsigned flags, const char *title, struct problem *p)
	__attribute__((warn_unused_result));
/*
 * Finish the table and reply 200 with it as the attachment "<stem>.csv" or
 * "<stem>.xlsx". etag: the reply's (the caller has answered If-None-Match), or NULL
 * for a strong one over the bytes (304 when If-None-Match matches). 0, or -1 with
 * the problem set (500: the table could not be written).
 */
int export_reply(struct req *r, struct export *e, const char *stem, const char *etag, struct problem *p)
	__attribute__((warn_unused_result));
/* Free what e holds. */
void export_end(struct export *e);

#endif
