/*
 * api_budgets.c - budgets per entity (a school or "central") and academic year:
 * the budget with its lines (JSON, or CSV both ways, or XLSX in) and line writes. The
 * workflow and the trust's view are api_budgets_flow.c; the SQL is
 * store/store_budgets.c and store/store_budget_lines.c.
 *
 * One ETag ("<version>") covers a budget and its lines: every write, line writes
 * included, needs If-Match with it and bumps it. Only a draft can change: a
 * submitted or approved budget answers 409 to writes (the finance director returns
 * or reopens it). Every write is one transaction with its audit row (entity
 * "budget", id "<urn>/<year>").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <event2/buffer.h>

#include "api.h"
#include "budget.h"
#include "budget_csv.h"
#include "budget_sheet.h"
#include "budget_view.h"
#include "budget_xlsx.h"
#include "computed.h"
#include "config.h"
#include "export.h"
#include "jsonv.h"
#include "profile.h"
#include "store_profiles.h"
#include "log.h"
#include "money.h"
#include "store_budget_lines.h"
#include "staff_lines.h"
#include "store_budgets.h"
#include "textenc.h"
#include "worker.h"

/* The budget as a spreadsheet (budget_sheet.h): CSV, the Budget sheet (what
 * budget_csv_write writes); XLSX, the Budget, Summary and Accounts sheets. */
static int budget_sheet_reply(struct req *r, enum export_format fmt, const struct store_budget_ref *e,
			      const struct store_budget *x, const char *etag, struct problem *p)
{
	struct export ex;
	struct budget_sheet_about about = {
		.entity = db_get(x->head, 0, "_entity_name"), .urn = e->urn, .year = e->year_s,
		.status = db_get(x->head, 0, "status"), .version = x->version,
	};
	char **names = store_budget_chart_names(r->db, x->b.chart, p);
	char title[96], stem[64];
	int rc = -1;

	if (names == NULL)
		return -1;
	snprintf(title, sizeof(title), "Budget %s %s", e->urn, e->year_s);
	snprintf(stem, sizeof(stem), "budget-%s-%s", e->urn, e->year_s);
	if (export_begin(&ex, fmt, 0, title, p) == 0) {
		if (fmt == EXPORT_CSV)
			budget_sheet_lines(&ex.t, &x->b, (const char *const *)names);
		else if (budget_sheet_workbook(&ex.t, &x->b, (const char *const *)names, &about) != 0)
			log_err("budgets: totals overflow for %s in %s", e->urn, e->year_s);
		rc = export_reply(r, &ex, stem, etag, p);
	}
	export_end(&ex);
	store_budget_chart_names_free(names, x->b.chart->n);
	return rc;
}

int api_budget_get(struct req *r, struct problem *p)
{
	struct store_budget_ref e;
	struct budget_chart chart = { 0 };
	struct store_budget x = { 0 };
	struct budget_view view = { 0 };
	char etag[64];
	cJSON *o = NULL;
	int rc = -1, found;
	enum export_format fmt;

	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0 || api_budget_ref(r, &e, p) != 0 ||
	    (found = store_budget_read(r->db, &e, &x, p)) < 0)
		goto out;
	if (found == 0) {
		problem_not_found(p, "no budget for %s in %s", e.urn, e.year_s);
		goto out;
	}
	/* the ETag before the lines are read: the version and what the budget derives (budget_view.h) */
	if (store_budget_chart(r->db, &chart, p) != 0 || budget_view_load(r, &e, &chart, &view, p) != 0)
		goto out;
	budget_view_etag(&view, x.version, etag, sizeof(etag));
	fmt = export_format(r);
	export_etag(fmt, etag, sizeof(etag));
	if (http_not_modified(r, etag)) {
		rc = 0;
		goto out;
	}
	if (store_budget_read_lines(r->db, &e, &chart, &x, p) != 0 || budget_view_complete(&view, &x, p) != 0)
		goto out;
	if (fmt != EXPORT_JSON) {
		rc = budget_sheet_reply(r, fmt, &e, &x, etag, p);
		goto out;
	}
	if ((o = budget_view_json(&view, &x, p)) == NULL)
		goto out;
	rc = http_reply_json(r, 200, o, etag);
out:
	cJSON_Delete(o);
	store_budget_free(&x);
	budget_view_free(&view);
	free(chart.accounts);
	return rc;
}

/* ---- lines in JSON ---- */

enum { LF_ID, LF_CODE, LF_DESC, LF_AMOUNT, LF_DRIVER, LF_EXCL, LF_KIND, LF_COMPUTED, LF_EXPL, LF_SOURCE, LF_STAFF,
       LF_PROFILE, LF_WEIGHTS, LF_PSOURCE, LF_MONTHS, LF__N };

/* A profile's name: [a-z][a-z0-9_]{0,31} (whether it exists: lines_check_profiles). */
static const char *line_check_profile(const char *s)
{
	return profile_name_valid(s) ? NULL : "is not a profile name ([a-z][a-z0-9_]{0,31})";
}

#define LINE_FIELDS(id_flags) { \
	[LF_ID] = { "id", JV_INT, id_flags, 1, MONEY_JSON_MAX, NULL, NULL }, \
	[LF_CODE] = { "account_code", JV_STRING, JV_REQUIRED, 1, BUDGET_CODE_MAX, NULL, NULL }, \
	[LF_DESC] = { "description", JV_STRING, 0, 0, BUDGET_DESC_MAX, NULL, budget_check_description }, \
	[LF_AMOUNT] = { "amount_pence", JV_INT, JV_REQUIRED, -MONEY_LINE_MAX, MONEY_LINE_MAX, NULL, NULL }, \
	[LF_DRIVER] = { "driver", JV_STRING, JV_NULLABLE, 1, BUDGET_DRIVER_MAX, NULL, budget_check_driver }, \
	[LF_EXCL] = { "excluded_from_central", JV_BOOL, 0, 0, 0, NULL, NULL }, \
	[LF_KIND] = { "kind", JV_STRING, JV_READONLY, 0, 0, NULL, NULL }, \
	[LF_COMPUTED] = { "computed", JV_BOOL, JV_READONLY, 0, 0, NULL, NULL }, \
	[LF_EXPL] = { "explanation", JV_STRING, JV_READONLY | JV_NULLABLE, 0, 0, NULL, NULL }, \
	[LF_SOURCE] = { "source", JV_STRING, JV_READONLY, 0, 0, NULL, NULL }, \
	[LF_STAFF] = { "staff", JV_OBJECT, JV_READONLY | JV_NULLABLE, 0, 0, NULL, NULL }, \
	[LF_PROFILE] = { "profile", JV_STRING, JV_NULLABLE, 1, PROFILE_NAME_MAX, NULL, line_check_profile }, \
	[LF_WEIGHTS] = { "profile_bp", JV_ARRAY, JV_NULLABLE, 0, 0, NULL, NULL }, \
	[LF_PSOURCE] = { "profile_source", JV_STRING, JV_READONLY, 0, 0, NULL, NULL }, \
	[LF_MONTHS] = { "months_pence", JV_ARRAY, JV_READONLY, 0, 0, NULL, NULL }, \
}

/* In a whole budget a line may name its id (kept); alone, the path names it. */
static const struct jv_field line_fields[LF__N] = LINE_FIELDS(0);
static const struct jv_field line_fields_one[LF__N] = LINE_FIELDS(JV_READONLY);

/* Validate one line object at prefix and append it to b (model: the entity's
 * finance model, "" for none). A line sent with "computed": true is one the
 * finance rules post (a GET's body PUT back): skipped when skip_computed. 0 valid
 * (or skipped), 1 not. */
static int line_from_json(const cJSON *item, const char *prefix, const struct jv_field *fields, const char *model,
			  int skip_computed, struct budget *b, struct problem *p)
{
	struct jv_value v[LF__N];
	const struct budget_account *a;
	struct budget_line *l;
	int32_t w[PROFILE_MONTHS];
	const char *why;
	char ptr[96];
	size_t errs;

	if (skip_computed && cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(item, "computed")))
		return 0;                        /* checked no further: its id is null */
	errs = jsonv_object(item, prefix, fields, LF__N, v, p);
	if (v[LF_CODE].present && v[LF_CODE].s != NULL) {
		a = budget_chart_find(b->chart, v[LF_CODE].s);
		if (a != NULL && a->active && a->is_internal) {
			snprintf(ptr, sizeof(ptr), "%s/account_code", prefix);
			if (model[0] != '\0')
				problem_field(p, ptr, "%s is computed by the finance rules (the \"%s\" plugin, this "
					      "school's finance model), never typed: leave it out (the budget shows it)",
					      a->code, model);
			else
				problem_field(p, ptr, "%s is computed by the finance rules (the schools' finance-model "
					      "plugins), never typed: leave it out (the budget shows it)", a->code);
			errs++;
		} else if ((why = budget_check_account(a)) != NULL) {
			snprintf(ptr, sizeof(ptr), "%s/account_code", prefix);
			problem_field(p, ptr, "\"%s\" %s", v[LF_CODE].s, why);
			errs++;
		}
	}
	if (v[LF_WEIGHTS].present && !v[LF_WEIGHTS].is_null) {
		snprintf(ptr, sizeof(ptr), "%s/profile_bp", prefix);
		if (v[LF_PROFILE].present && !v[LF_PROFILE].is_null) {
			problem_field(p, ptr, "give a profile by name or its own weights, not both");
			errs++;
		} else if ((why = profile_weights_from_json(v[LF_WEIGHTS].item, w)) != NULL) {
			problem_field(p, ptr, "%s", why);
			errs++;
		}
	}
	if (errs > 0)
		return 1;
	if ((l = budget_add_line(b, v[LF_CODE].s, v[LF_DESC].present ? v[LF_DESC].s : "",
				 v[LF_AMOUNT].i)) == NULL) {
		problem_internal(p);
		return 1;
	}
	if (v[LF_PROFILE].present && !v[LF_PROFILE].is_null)
		snprintf(l->profile, sizeof(l->profile), "%s", v[LF_PROFILE].s);
	if ((l->has_weights = v[LF_WEIGHTS].present && !v[LF_WEIGHTS].is_null))
		memcpy(l->weights, w, sizeof(w));
	l->id = v[LF_ID].present ? v[LF_ID].i : 0;
	if (v[LF_DRIVER].present && !v[LF_DRIVER].is_null)
		snprintf(l->driver, sizeof(l->driver), "%s", v[LF_DRIVER].s);
	l->excluded_from_central = v[LF_EXCL].present && v[LF_EXCL].i;
	return 0;
}

struct id_at {
	int64_t id;
	size_t at;
};

static int id_at_cmp(const void *a, const void *b)
{
	const struct id_at *x = a, *y = b;

	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return x->at < y->at ? -1 : x->at > y->at;
}

/* Each line id at most once in a body. */
static void lines_unique_ids(const struct budget *b, struct problem *p)
{
	struct id_at *ids = malloc((b->nlines ? b->nlines : 1) * sizeof(*ids));
	size_t n = 0;
	char ptr[64];

	if (ids == NULL) {
		problem_internal(p);
		return;
	}
	for (size_t i = 0; i < b->nlines; i++)
		if (b->lines[i].id != 0)
			ids[n++] = (struct id_at){ b->lines[i].id, i };
	if (n > 1)
		qsort(ids, n, sizeof(*ids), id_at_cmp);
	for (size_t i = 1; i < n; i++) {
		if (ids[i].id != ids[i - 1].id)
			continue;
		snprintf(ptr, sizeof(ptr), "/lines/%zu/id", ids[i].at);
		problem_field(p, ptr, "line %lld is also /lines/%zu: each line once", (long long)ids[i].id,
			      ids[i - 1].at);
	}
	free(ids);
}

/* The typed lines of nb on codes the entity plans by post refused (staff_lines.h):
 * at /lines/N/account_code, or at `at` for one line alone. 0, or -1 with p set. */
static int lines_refuse_staff(struct req *r, const struct store_budget_ref *e, const struct budget *nb,
			      const char *at, struct problem *p)
{
	struct staff_costing sc;
	int rc = staff_cost_load(r->db, e->urn, e->year, &sc, p);

	if (rc == 0)
		staff_lines_refuse(&sc, e->urn, nb, at, p);
	staff_cost_free(&sc);
	return rc != 0 ? -1 : problem_validation_done(p);
}

/* Each line's named profile one there is (GET /profiles): 422 at /lines/N/profile, or at `at`
 * for one line alone. 0, or -1 with p set. */
static int lines_check_profiles(struct req *r, const struct budget *nb, const char *at, struct problem *p)
{
	struct store_profile_book book;
	char ptr[64];
	int named = 0;

	for (size_t i = 0; i < nb->nlines; i++)
		named |= nb->lines[i].profile[0] != '\0';
	if (!named)
		return 0;
	if (store_profiles_book(r->db, &book, p) != 0) {
		store_profiles_book_free(&book);
		return -1;
	}
	for (size_t i = 0; i < nb->nlines; i++) {
		const struct budget_line *l = &nb->lines[i];

		if (l->profile[0] == '\0' || store_profiles_find(&book, l->profile) != NULL)
			continue;
		if (at != NULL)
			snprintf(ptr, sizeof(ptr), "%s", at);
		else
			snprintf(ptr, sizeof(ptr), "/lines/%zu/profile", i);
		problem_field(p, ptr, "there is no profile \"%s\" (GET /api/v1/profiles)", l->profile);
	}
	store_profiles_book_free(&book);
	return problem_validation_done(p);
}

/* ---- PUT: replace every line (JSON or CSV) ---- */

enum { BF_LINES, BF_URN, BF_YEAR, BF_STATUS, BF_VERSION, BF_MINUTE, BF_RETURN, BF_REOPEN,
       BF_SUBMITTED, BF_APPROVED, BF_CREATED, BF_UPDATED, BF_TOTALS, BF_GROUPS, BF_FINDINGS, BF_RECHARGES,
       BF_STAFFING, BF__N };

#define RO(n) { n, JV_STRING, JV_READONLY, 0, 0, NULL, NULL }
static const struct jv_field budget_fields[BF__N] = {
	[BF_LINES] = { "lines", JV_ARRAY, JV_REQUIRED, 0, 0, NULL, NULL },
	[BF_URN] = RO("urn"), [BF_YEAR] = RO("year"), [BF_STATUS] = RO("status"),
	[BF_VERSION] = RO("version"), [BF_MINUTE] = RO("board_minute_ref"),
	[BF_RETURN] = RO("return_reason"), [BF_REOPEN] = RO("reopen_reason"),
	[BF_SUBMITTED] = RO("submitted_at"), [BF_APPROVED] = RO("approved_at"),
	[BF_CREATED] = RO("created_at"), [BF_UPDATED] = RO("updated_at"), [BF_TOTALS] = RO("totals"),
	[BF_GROUPS] = RO("groups"), [BF_FINDINGS] = RO("findings"), [BF_RECHARGES] = RO("recharges"),
	[BF_STAFFING] = RO("staffing_metrics"),
};


struct budget_put {
	struct req *r;
	const struct store_budget_ref *e;
	const struct budget_chart *chart;
	struct budget *nb;                       /* the new lines */
	int has_if_match, csv, created;
	int64_t want_version;
	cJSON *after;
};

/* Create the budget (no If-Match) or replace its lines (If-Match). */
static int budget_put_txn(struct db *db, void *arg, struct problem *p)
{
	struct budget_put *bp = arg;
	struct audit_actor who = api_actor(bp->r);
	int exists;

	cJSON_Delete(bp->after);                 /* db_txn may run this again after a deadlock */
	bp->after = NULL;
	if (store_budget_lock(db, bp->e, &exists, p) != 0)
		return -1;
	bp->created = !exists;
	if (!exists && bp->has_if_match)
		return problem_set(p, 412, "precondition-failed", "Precondition failed",
				   "If-Match was given but there is no budget for %s in %s yet", bp->e->urn,
				   bp->e->year_s);
	if (exists && !bp->has_if_match)
		return problem_set(p, 428, "precondition-required", "Precondition required",
				   "this budget exists: send If-Match with the ETag from your last GET");
	if (!exists)
		return store_budget_create(db, &who, bp->e, bp->chart, bp->nb, &bp->after, p);
	return store_budget_replace(db, &who, bp->e, bp->chart, bp->want_version, bp->nb,
				    bp->csv ? "import" : "update", &bp->after, p);
}

enum { BODY_JSON, BODY_CSV, BODY_XLSX };

#define XLSX_MEDIA_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

/* What a budget import's charset may be, for the 415. */
#define CSV_CHARSETS "utf-8 or windows-1252 (also cp1252, iso-8859-1, latin1)"

/*
 * The kind of a PUT's body from its Content-Type: application/json, text/csv (with
 * optional parameters charset, one of textenc_label's, and header=present), or
 * XLSX; for CSV *charset gets the declared encoding (TEXTENC_NONE: none). -1 with a
 * 415 in p for any other type or charset.
 */
static int body_kind(const char *ct, enum textenc *charset, struct problem *p)
{
	const char *s = ct, *end;
	int kind, e;

	*charset = TEXTENC_NONE;
	if (s == NULL)
		goto unsupported;
	while (*s == ' ')
		s++;
	if (strncasecmp(s, "application/json", 16) == 0)
		return BODY_JSON;
	if (strncasecmp(s, XLSX_MEDIA_TYPE, sizeof(XLSX_MEDIA_TYPE) - 1) == 0 &&
	    strchr("; ", s[sizeof(XLSX_MEDIA_TYPE) - 1]) != NULL)
		return BODY_XLSX;
	if (strncasecmp(s, "text/csv", 8) != 0)
		goto unsupported;
	kind = BODY_CSV;
	for (s += 8; *s == ' '; s++)
		;
	while (*s != '\0') {
		if (*s != ';')
			goto unsupported;
		while (*++s == ' ')
			;
		end = s + strcspn(s, ";");
		if (strncasecmp(s, "charset=", 8) == 0) {
			if ((e = textenc_label(s + 8, (size_t)(end - s - 8))) < 0)
				return problem_set(p, 415, "unsupported-media-type", "Unsupported media type",
						   "a budget CSV is read as %s; got %s: save the spreadsheet as "
						   "\"CSV UTF-8\"", CSV_CHARSETS, ct);
			*charset = (enum textenc)e;
		} else if (strncasecmp(s, "header=present", 14) != 0 || s[14 + strspn(s + 14, " ")] != *end) {
			goto unsupported;
		}
		s = end;
	}
	return kind;
unsupported:
	return problem_set(p, 415, "unsupported-media-type", "Unsupported media type",
			   "send the budget as application/json, the spreadsheet as text/csv (charset %s) or "
			   "the workbook as " XLSX_MEDIA_TYPE " (got %s)", CSV_CHARSETS, ct != NULL ? ct : "none");
}

/* The import's body whole, within the import limit (413). NULL with p set. */
static const char *put_read_body(struct req *r, const char *what, size_t *n, struct problem *p)
{
	struct evbuffer *in = evhttp_request_get_input_buffer(r->ev);
	const char *buf;

	*n = evbuffer_get_length(in);
	if (*n > r->cfg->http_max_csv_body) {
		problem_set(p, 413, "payload-too-large", "Payload too large",
			    "the file is %zu bytes; the limit for %s imports is %zu", *n, what,
			    r->cfg->http_max_csv_body);
		return NULL;
	}
	if ((buf = (const char *)evbuffer_pullup(in, -1)) == NULL) {
		if (*n > 0)
			problem_internal(p);
		return *n > 0 ? NULL : "";
	}
	return buf;
}

/* The CSV body in its charset (budget_csv_parse_as); the response says which
 * encoding it was read in (Import-Encoding: utf-8 or windows-1252). */
static int put_read_csv(struct req *r, enum textenc charset, struct budget *nb, struct problem *p)
{
	enum textenc as = TEXTENC_UTF8;
	const char *buf;
	size_t n;

	if ((buf = put_read_body(r, "CSV", &n, p)) == NULL ||
	    budget_csv_parse_as(buf, n, charset, nb, p, &as) != 0)
		return -1;
	evhttp_add_header(evhttp_request_get_output_headers(r->ev), "Import-Encoding", textenc_name(as));
	return 0;
}

/* The XLSX body (budget_xlsx_parse), inflating at most 4 times the import limit. */
static int put_read_xlsx(struct req *r, struct budget *nb, struct problem *p)
{
	struct xlsx_limits lim = {
		.max_entries = 1000,
		.max_inflated = r->cfg->http_max_csv_body * 4,
		.max_strings = 1000000,
		.max_depth = 32,
	};
	const char *buf;
	size_t n;

	if ((buf = put_read_body(r, "XLSX", &n, p)) == NULL)
		return -1;
	return budget_xlsx_parse(buf, n, &lim, nb, p);
}

/* The JSON body: the budget object with its lines, validated whole. */
static int put_read_json(struct req *r, const struct store_budget_ref *e, struct budget *nb, struct problem *p)
{
	struct jv_value v[BF__N];
	/* its own limit: a GET's body of up to BUDGET_MAX_LINES lines can be PUT back */
	cJSON *in = http_read_json_max(r, r->cfg->http_max_budget_body, p), *item;
	const char *s;
	char ptr[32];
	size_t i = 0;

	if (in == NULL)
		return -1;
	jsonv_object(in, "", budget_fields, BF__N, v, p);
	if (v[BF_URN].item != NULL && ((s = cJSON_GetStringValue(v[BF_URN].item)) == NULL || strcmp(s, e->urn) != 0))
		problem_field(p, "/urn", "does not match the URN in the path");
	if (v[BF_YEAR].item != NULL && ((s = cJSON_GetStringValue(v[BF_YEAR].item)) == NULL ||
					strcmp(s, e->year_s) != 0))
		problem_field(p, "/year", "does not match the year in the path");
	if (v[BF_LINES].present && cJSON_IsArray(v[BF_LINES].item)) {
		size_t typed = 0;

		cJSON_ArrayForEach(item, v[BF_LINES].item)     /* a GET's computed lines come back too */
			typed += !cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(item, "computed"));
		if (typed > BUDGET_MAX_LINES)
			problem_field(p, "/lines", "at most %d lines", BUDGET_MAX_LINES);
		else
			cJSON_ArrayForEach(item, v[BF_LINES].item) {
				snprintf(ptr, sizeof(ptr), "/lines/%zu", i++);
				line_from_json(item, ptr, line_fields, e->model, 1, nb, p);
			}
		lines_unique_ids(nb, p);
	}
	cJSON_Delete(in);
	return problem_validation_done(p);
}


int api_budget_put(struct req *r, struct problem *p)
{
	struct store_budget_ref e;
	struct budget_chart chart = { 0 };
	struct budget nb;
	struct budget_put bp = { .r = r, .e = &e, .chart = &chart, .nb = &nb };
	const char *ct = http_header(r, "Content-Type");
	enum textenc charset;
	int rc = -1, kind;

	budget_init(&nb, BUDGET_MAINSTREAM, &chart);
	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0 || api_budget_ref(r, &e, p) != 0)
		goto out;
	nb.entity = e.entity;
	bp.has_if_match = http_header(r, "If-Match") != NULL;
	if (bp.has_if_match && http_if_match_as(r, HTTP_IF_MATCH_HASHED, NULL, &bp.want_version, p) != 0)
		goto out;
	if ((kind = body_kind(ct, &charset, p)) < 0)
		goto out;
	bp.csv = kind != BODY_JSON;              /* audited as an import */
	if (store_budget_chart(r->db, &chart, p) != 0 ||
	    (kind == BODY_CSV ? put_read_csv(r, charset, &nb, p) :
	     kind == BODY_XLSX ? put_read_xlsx(r, &nb, p) : put_read_json(r, &e, &nb, p)) != 0 ||
	    lines_refuse_staff(r, &e, &nb, NULL, p) != 0 || lines_check_profiles(r, &nb, NULL, p) != 0 ||
	    api_txn(r, budget_put_txn, &bp, p) != 0)
		goto out;
	rc = budget_view_reply(r, &e, &chart, bp.created ? 201 : 200, p);
out:
	cJSON_Delete(bp.after);
	budget_clear(&nb);
	free(chart.accounts);
	return rc;
}

/* ---- one line at a time ---- */

struct line_write {
	struct req *r;
	const struct store_budget_ref *e;
	const struct budget_line *l;             /* POST/PUT: the one new line */
	int64_t want_version, line_id;
	cJSON *after;
};

/* POST, PUT or DELETE of one line, by r->method. */
static int line_write_txn(struct db *db, void *arg, struct problem *p)
{
	struct line_write *lw = arg;
	struct audit_actor who = api_actor(lw->r);

	cJSON_Delete(lw->after);                 /* db_txn may run this again after a deadlock */
	lw->after = NULL;
	if (lw->r->method == HM_POST)
		return store_budget_line_create(db, &who, lw->e, lw->want_version, lw->l, &lw->after, p);
	if (lw->r->method == HM_PUT)
		return store_budget_line_update(db, &who, lw->e, lw->want_version, lw->line_id, lw->l, &lw->after, p);
	return store_budget_line_delete(db, &who, lw->e, lw->want_version, lw->line_id, p);
}

/* POST .../lines, PUT and DELETE .../lines/{id}. */
static int line_write(struct req *r, struct problem *p)
{
	struct store_budget_ref e;
	struct budget_chart chart = { 0 };
	struct budget nb;
	struct line_write lw = { .r = r, .e = &e };
	const char *id_s = http_param(r, "id");
	cJSON *in = NULL;
	char etag[32];
	int rc = -1;

	budget_init(&nb, BUDGET_MAINSTREAM, &chart);
	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0 || api_budget_ref(r, &e, p) != 0)
		goto out;
	if (id_s != NULL && api_path_id(r, "id", "line", &lw.line_id, p) != 0)
		goto out;
	if (api_budget_if_match(r, &lw.want_version, p) != 0)
		goto out;
	if (r->method != HM_DELETE) {
		const cJSON *bid;

		if ((in = http_read_json(r, p)) == NULL || store_budget_chart(r->db, &chart, p) != 0)
			goto out;
		line_from_json(in, "", line_fields_one, e.model, 0, &nb, p);
		bid = cJSON_GetObjectItemCaseSensitive(in, "id");
		if (r->method == HM_PUT && bid != NULL && (!cJSON_IsNumber(bid) || cJSON_GetNumberValue(bid) != lw.line_id))
			problem_field(p, "/id", "does not match the line id in the path");
		if (problem_validation_done(p) != 0 || lines_refuse_staff(r, &e, &nb, "/account_code", p) != 0 ||
		    lines_check_profiles(r, &nb, "/profile", p) != 0)
			goto out;
		lw.l = &nb.lines[0];
	}
	if (api_txn(r, line_write_txn, &lw, p) != 0)
		goto out;
	http_etag_version(etag, sizeof(etag), lw.want_version + 1);
	rc = r->method == HM_DELETE ? http_reply_empty(r, 204, etag) :
	     http_reply_json(r, r->method == HM_POST ? 201 : 200, lw.after, etag);
out:
	cJSON_Delete(lw.after);
	cJSON_Delete(in);
	budget_clear(&nb);
	free(chart.accounts);
	return rc;
}

int api_budget_line_create(struct req *r, struct problem *p)
{
	return line_write(r, p);
}

int api_budget_line_put(struct req *r, struct problem *p)
{
	return line_write(r, p);
}

int api_budget_line_delete(struct req *r, struct problem *p)
{
	return line_write(r, p);
}
