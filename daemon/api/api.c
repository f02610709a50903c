/* api.c - see api.h */
#include "api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <event2/buffer.h>
#include <event2/http.h>
#include <sys/queue.h>

#include <event2/keyvalq_struct.h>

#include "auth.h"
#include "config.h"
#include "csvcell.h"
#include "date.h"
#include "export.h"
#include "idem.h"
#include "log.h"
#include "schoolmap.h"
#include "store_budgets.h"
#include "worker.h"

struct audit_actor api_actor(const struct req *r)
{
	return (struct audit_actor){ .token_id = r->id.token_id, .user_id = r->id.user_id,
				     .role = identity_role_name(r->id.role), .name = r->id.name,
				     .request_id = r->request_id };
}

struct store_owner api_owner(const struct req *r)
{
	return (struct store_owner){ .token_id = r->id.token_id, .user_id = r->id.token_id != 0 ? 0 : r->id.user_id };
}

struct store_scope api_scope(const struct req *r)
{
	return (struct store_scope){ .scoped = r->id.role == ROLE_BUSINESS_MANAGER || r->id.role == ROLE_SCHOOL_SYSTEM,
				     .who = api_owner(r) };
}

struct api_txn_arg {
	struct req *r;
	db_txn_fn fn;
	void *arg;
};

static int api_txn_run(struct db *db, void *arg, struct problem *p)
{
	struct api_txn_arg *a = arg;

	if (idem_claim(a->r, db, p) != 0)
		return -1;
	return a->fn(db, a->arg, p);
}

int api_txn(struct req *r, db_txn_fn fn, void *arg, struct problem *p)
{
	struct api_txn_arg a = { r, fn, arg };

	if (r->idem == NULL || r->idem->key == NULL)
		return db_txn(r->db, api_txn_run, &a, p);
	/* with an Idempotency-Key: committed with the reply (idem_on_reply) */
	if (db_txn_open(r->db, api_txn_run, &a, p) != 0)
		return -1;
	idem_opened(r);
	return 0;
}

/* An id in 1..2^32-1: digits only, no sign or leading zero. 0, or -1 with a field error. */
static int api_id_value(const char *s, const char *field, const char *what, int64_t *id, struct problem *p)
{
	int64_t v = 0;
	size_t n = 0;

	/* ids are BIGINT AUTO_INCREMENT: any that JSON carries exactly (< 2^53) */
	if (s != NULL && *s >= '1' && *s <= '9')
		for (; s[n] >= '0' && s[n] <= '9' && n < 16; n++)
			v = v * 10 + (s[n] - '0');
	if (s == NULL || n == 0 || s[n] != '\0' || v > API_ID_MAX) {
		problem_field(p, field, "must be a %s id (a positive integer)", what);
		return -1;
	}
	*id = v;
	return 0;
}

int api_parse_id(const char *s, const char *field, const char *what, int64_t *id, struct problem *p)
{
	if (api_id_value(s, field, what, id, p) != 0)
		return problem_bad_request(p, "%s is not a %s id", s != NULL ? s : "(nothing)", what);
	return 0;
}

int api_query_id(struct req *r, const char *name, const char *what, int64_t *id, struct problem *p)
{
	char field[48];

	snprintf(field, sizeof(field), "query:%s", name);
	return api_id_value(http_query(r, name), field, what, id, p);
}

int api_path_id(struct req *r, const char *name, const char *what, int64_t *id, struct problem *p)
{
	char field[48];

	snprintf(field, sizeof(field), "path:%s", name);
	return api_parse_id(http_param(r, name), field, what, id, p);
}

int api_urn_valid(const char *s)
{
	if (strcmp(s, "central") == 0)
		return 1;
	for (int i = 0; i < 6; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return s[6] == '\0';
}

int api_school_find(struct req *r, const char *urn, int64_t *id, int *is_school, struct problem *p)
{
	return schoolmap_find(r->w->schools, r->db, urn, id, is_school, p);
}

int api_school_lookup(struct req *r, const char *urn, uint32_t *school_id, struct problem *p)
{
	int64_t id;
	int rc;

	if (!api_urn_valid(urn)) {
		problem_field(p, "path:urn", "must be a six-digit URN or \"central\"");
		return problem_bad_request(p, "%s is not a URN", urn);
	}
	if ((rc = api_school_find(r, urn, &id, NULL, p)) < 0)
		return -1;
	if (rc == 0)
		return problem_not_found(p, "no school with URN %s", urn);
	*school_id = (uint32_t)id;
	if (!identity_school_allowed(&r->id, *school_id))
		return problem_forbidden(p, "your token is not for school %s", urn);
	return 0;
}

int api_page_query(struct req *r, const char *const *also, struct page *pg, struct problem *p)
{
	const struct evkeyval *kv;

	TAILQ_FOREACH(kv, &r->query, next) {
		int known = strcmp(kv->key, "limit") == 0 || strcmp(kv->key, "after") == 0 ||
			    strcmp(kv->key, "updated_since") == 0;

		for (size_t i = 0; !known && also != NULL && also[i] != NULL; i++)
			known = strcmp(kv->key, also[i]) == 0;
		if (!known) {
			char field[128];

			snprintf(field, sizeof(field), "query:%.100s", kv->key);
			problem_field(p, field, "unknown query parameter");
		}
	}
	if (page_parse(http_query(r, "limit"), http_query(r, "after"), http_query(r, "updated_since"),
		       pg, p) != 0 || p->nerrors > 0)
		return problem_validation_done(p);
	return 0;
}

char *api_next_link(const struct req *r, const char *cursor)
{
	struct evbuffer *b = evbuffer_new();
	const struct evkeyval *kv;
	char sep = '?';
	char *enc, *out = NULL;
	size_t n;

	if (b == NULL)
		return NULL;
	evbuffer_add_printf(b, "<%s", r->path);
	TAILQ_FOREACH(kv, &r->query, next) {
		if (strcmp(kv->key, "after") == 0)
			continue;
		if ((enc = evhttp_uriencode(kv->value, -1, 0)) == NULL)
			goto out;
		evbuffer_add_printf(b, "%c%s=%s", sep, kv->key, enc);
		free(enc);
		sep = '&';
	}
	evbuffer_add_printf(b, "%cafter=%s>; rel=\"next\"", sep, cursor);
	n = evbuffer_get_length(b);
	if ((out = malloc(n + 1)) != NULL) {
		evbuffer_remove(b, out, n);
		out[n] = '\0';
	}
out:
	evbuffer_free(b);
	return out;
}

/* api_row_fn through api_row_arg_fn: arg is the function. */
struct api_row_plain {
	api_row_fn fn;
};

static cJSON *api_row_plain(const struct db_rows *rows, size_t i, void *arg)
{
	const struct api_row_plain *f = arg;

	return f->fn != NULL ? f->fn(rows, i) : db_row_to_json(rows, i);
}

cJSON *api_rows_json(const struct db_rows *rows, size_t n, api_row_arg_fn fn, void *arg)
{
	cJSON *items = cJSON_CreateArray();

	for (size_t i = 0; items != NULL && i < n; i++) {
		cJSON *o = fn(rows, i, arg);

		if (o == NULL || !cJSON_AddItemToArray(items, o)) {
			cJSON_Delete(o);
			cJSON_Delete(items);
			items = NULL;
		}
	}
	if (items == NULL)
		log_err("api: out of memory building a list");
	return items;
}

int api_reply_rows(struct req *r, const struct db_rows *rows, size_t n, api_row_arg_fn fn, void *arg,
		   const char *next, struct problem *p)
{
	cJSON *items = api_rows_json(rows, n, fn, arg);

	if (items == NULL)
		return problem_internal(p);
	return api_reply_list(r, items, next, p);
}

int api_reply_items(struct req *r, const struct db_rows *rows, size_t n, api_row_fn fn,
		    const char *next, struct problem *p)
{
	return api_reply_rows(r, rows, n, api_row_plain, &(struct api_row_plain){ fn }, next, p);
}

int api_reply_versioned(struct req *r, int status, cJSON *image, const char *location)
{
	char etag[32];

	http_etag_version(etag, sizeof(etag), store_image_version(image));
	if ((r->method & (HM_GET | HM_HEAD)) != 0 && http_not_modified(r, etag))
		return 0;
	if (location != NULL)
		evhttp_add_header(evhttp_request_get_output_headers(r->ev), "Location", location);
	return http_reply_json(r, status, image, etag);
}

int api_reply_page_with(struct req *r, const struct db_rows *rows, const struct page *pg, api_row_arg_fn fn,
			void *arg, struct problem *p)
{
	char cursor[64];
	size_t shown;

	store_list_next(rows, pg, &shown, cursor, sizeof(cursor));
	return api_reply_rows(r, rows, shown, fn, arg, cursor[0] != '\0' ? cursor : NULL, p);
}

int api_reply_page(struct req *r, const struct db_rows *rows, const struct page *pg, api_row_fn fn,
		   struct problem *p)
{
	return api_reply_page_with(r, rows, pg, api_row_plain, &(struct api_row_plain){ fn }, p);
}

int32_t api_today(const struct req *r)
{
	return r->cfg->clock_today >= 0 ? r->cfg->clock_today : date_today_real();
}

int api_year_query(struct req *r, int *year, struct problem *p)
{
	const char *s = http_query(r, "year");

	if (s == NULL) {
		*year = acyear_of(api_today(r));
		return 0;
	}
	if (acyear_parse(s, year) != 0) {
		problem_field(p, "query:year", "must be an academic year written like 2026-27");
		return problem_validation_done(p);
	}
	return 0;
}

int api_if_match(const struct req *r, int64_t *version, struct problem *p)
{
	return http_if_match_as(r, HTTP_IF_MATCH_HASHED, NULL, version, p);
}

int api_reply_derived(struct req *r, int status, cJSON *body, int64_t version, struct problem *p)
{
	char hash[64], etag[96], *text = cJSON_PrintUnformatted(body);

	if (text == NULL)
		return problem_internal(p);
	http_etag_hash(hash, sizeof(hash), text, strlen(text));
	if (version > 0)
		snprintf(etag, sizeof(etag), "\"%lld-%s", (long long)version, hash + 1);
	else
		snprintf(etag, sizeof(etag), "%s", hash);
	/* a 304 answers a read only: a PUT's 200 always carries the new representation */
	if (status != 200 || (r->method & (HM_GET | HM_HEAD)) == 0 || !http_not_modified(r, etag))
		http_reply_raw(r, status, "application/json; charset=utf-8", text, strlen(text), etag);
	cJSON_free(text);
	return 0;
}

cJSON *api_list_body(struct req *r, cJSON *body, cJSON *items, const char *next)
{
	char *link = NULL;

	if (body == NULL)
		body = cJSON_CreateObject();
	if (body == NULL || !cJSON_AddItemToObject(body, "items", items)) {
		cJSON_Delete(items);
		goto oom;
	}
	if (next != NULL) {
		if (cJSON_AddStringToObject(body, "next", next) == NULL || (link = api_next_link(r, next)) == NULL)
			goto oom;
		evhttp_add_header(evhttp_request_get_output_headers(r->ev), "Link", link);
		free(link);
	} else if (cJSON_AddNullToObject(body, "next") == NULL) {
		goto oom;
	}
	return body;
oom:
	log_err("api: out of memory building a list");
	cJSON_Delete(body);
	return NULL;
}

int api_reply_list(struct req *r, cJSON *items, const char *next, struct problem *p)
{
	cJSON *body = api_list_body(r, NULL, items, next);
	int rc;

	if (body == NULL)
		return problem_internal(p);
	rc = http_reply_json_hashed(r, body, p);
	cJSON_Delete(body);
	return rc;
}

int api_budget_ref(struct req *r, struct store_budget_ref *ref, struct problem *p)
{
	memset(ref, 0, sizeof(*ref));
	ref->urn = http_param(r, "urn");
	ref->year_s = http_param(r, "year");
	if (acyear_parse(ref->year_s, &ref->year) != 0) {
		problem_field(p, "path:year", "must be an academic year written like 2026-27");
		return problem_bad_request(p, "%s is not an academic year", ref->year_s);
	}
	if (api_school_lookup(r, ref->urn, &ref->sid, p) != 0)
		return -1;
	return store_budget_owner(r->db, ref, p);
}

int api_budget_if_match(struct req *r, int64_t *want, struct problem *p)
{
	return http_if_match_as(r, HTTP_IF_MATCH_HASHED, "send If-Match with the budget's ETag from your last GET: one ETag "
				"covers the budget and its lines", want, p);
}

/* The URN of a per-school setting's key ("topslice_bp_159907"), or NULL. */
static const char *api_setting_urn(const char *key)
{
	size_t n = strlen(key);

	if (n < 8 || key[n - 7] != '_')
		return NULL;
	for (size_t i = n - 6; i < n; i++)
		if (key[i] < '0' || key[i] > '9')
			return NULL;
	return key + n - 6;
}

int api_setting_visible(struct req *r, const char *key, struct problem *p)
{
	const char *urn = api_setting_urn(key);
	int64_t id;
	int rc;

	if (urn == NULL || (r->id.role & ROLES_TRUST) != 0)
		return 1;
	if ((rc = api_school_find(r, urn, &id, NULL, p)) <= 0)
		return rc;                               /* a school that does not exist: none of theirs */
	return identity_school_allowed(&r->id, (uint32_t)id);
}

static void api_csv_put(void *b, const char *s, size_t n)
{
	evbuffer_add(b, s, n);
}

void api_csv_cell(struct evbuffer *b, const char *s, unsigned flags)
{
	csvcell_write(s, flags, api_csv_put, b);
}

/* ---- spreadsheet imports ---- */

int api_sheet_body(struct req *r, const char *what, enum api_sheet *kind, enum textenc *charset, const char **buf,
		   size_t *n, struct problem *p)
{
	const char *ct = http_header(r, "Content-Type"), *s = ct, *end;
	struct evbuffer *in = evhttp_request_get_input_buffer(r->ev);
	int e;

	*charset = TEXTENC_NONE;
	if (s == NULL)
		goto unsupported;
	while (*s == ' ')
		s++;
	if (strncasecmp(s, EXPORT_XLSX_TYPE, sizeof(EXPORT_XLSX_TYPE) - 1) == 0 &&
	    strchr("; ", s[sizeof(EXPORT_XLSX_TYPE) - 1]) != NULL) {
		*kind = API_SHEET_XLSX;
	} else if (strncasecmp(s, "text/csv", 8) == 0) {
		*kind = API_SHEET_CSV;
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
							   "a CSV is read as utf-8 or windows-1252 (also cp1252, "
							   "iso-8859-1, latin1); got %s: save the spreadsheet as "
							   "\"CSV UTF-8\"", ct);
				*charset = (enum textenc)e;
			} else if (strncasecmp(s, "header=present", 14) != 0 || s[14 + strspn(s + 14, " ")] != *end) {
				goto unsupported;
			}
			s = end;
		}
	} else {
		goto unsupported;
	}
	*n = evbuffer_get_length(in);
	if (*n > r->cfg->http_max_csv_body)
		return problem_set(p, 413, "payload-too-large", "Payload too large",
				   "the file is %zu bytes; the limit for imports is %zu", *n, r->cfg->http_max_csv_body);
	if ((*buf = (const char *)evbuffer_pullup(in, -1)) == NULL) {
		if (*n > 0)
			return problem_internal(p);
		*buf = "";
	}
	return 0;
unsupported:
	return problem_set(p, 415, "unsupported-media-type", "Unsupported media type",
			   "send %s as text/csv (charset utf-8 or windows-1252) or the workbook as "
			   EXPORT_XLSX_TYPE " (got %s)", what, ct != NULL ? ct : "none");
}
