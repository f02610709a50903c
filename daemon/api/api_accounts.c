/* api_accounts.c - the chart of accounts: read by the trust roles and business managers; of an
 * account the finance director sets only its default monthly profile and its BFR line (issue 17,
 * README "Profiles"), with If-Match. */
#include <string.h>

#include "api.h"
#include "jsonv.h"
#include "profile.h"
#include "store_accounts.h"

int api_accounts_list(struct req *r, struct problem *p)
{
	static const char *const also[] = { "kind", NULL };
	const char *kind = http_query(r, "kind");
	struct db_rows *rows = NULL;
	struct page pg;
	int rc;

	if (kind != NULL && strcmp(kind, "income") != 0 && strcmp(kind, "expenditure") != 0)
		problem_field(p, "query:kind", "must be income or expenditure");
	if (api_page_query(r, also, &pg, p) != 0 || store_accounts_list(r->db, &pg, kind, &rows, p) != 0)
		return -1;
	rc = api_reply_page(r, rows, &pg, NULL, p);
	db_rows_free(rows);
	return rc;
}

/* The {code} of the path: 404 when it cannot be an account's code. */
static const char *account_path_code(struct req *r, struct problem *p)
{
	const char *code = http_param(r, "code");
	size_t n = code != NULL ? strlen(code) : 0;

	for (size_t i = 0; i < n; i++)
		if (!((code[i] >= 'A' && code[i] <= 'Z') || (code[i] >= 'a' && code[i] <= 'z') ||
		      (code[i] >= '0' && code[i] <= '9')))
			n = 0;
	if (n == 0 || n > 8) {
		problem_not_found(p, "no account with code %s", code != NULL ? code : "");
		return NULL;
	}
	return code;
}

int api_account_get(struct req *r, struct problem *p)
{
	const char *code;
	int64_t version;
	cJSON *o;
	int rc;

	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0 || (code = account_path_code(r, p)) == NULL ||
	    (o = store_account_get(r->db, code, &version, p)) == NULL)
		return -1;
	rc = api_reply_versioned(r, 200, o, NULL);
	cJSON_Delete(o);
	return rc;
}

static const char *account_check_profile(const char *s)
{
	return profile_name_valid(s) ? NULL : "is not a profile name ([a-z][a-z0-9_]{0,31})";
}

enum { AF_PROFILE, AF_BFR, AF__N };

static const struct jv_field account_fields[AF__N] = {
	[AF_PROFILE] = { "default_profile", JV_STRING, JV_NULLABLE, 1, PROFILE_NAME_MAX, NULL, account_check_profile },
	[AF_BFR] = { "bfr_line", JV_INT, JV_NULLABLE, 1, 65535, NULL, NULL },
};

struct account_write {
	struct req *r;
	const char *code;
	int64_t want_version;
	struct account_in in;
	cJSON *after;
};

static int account_put_txn(struct db *db, void *arg, struct problem *p)
{
	struct account_write *aw = arg;
	struct audit_actor who = api_actor(aw->r);

	cJSON_Delete(aw->after);
	aw->after = NULL;
	return store_account_update(db, &who, aw->code, aw->want_version, &aw->in, &aw->after, p);
}

int api_account_put(struct req *r, struct problem *p)
{
	struct account_write aw = { .r = r };
	struct jv_value v[AF__N];
	cJSON *in = NULL;
	int rc = -1;

	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0 ||
	    (aw.code = account_path_code(r, p)) == NULL || http_if_match(r, &aw.want_version, p) != 0 ||
	    (in = http_read_json(r, p)) == NULL)
		goto out;
	jsonv_object(in, "", account_fields, AF__N, v, p);
	aw.in = (struct account_in){
		.set_profile = v[AF_PROFILE].present, .set_bfr = v[AF_BFR].present,
		.default_profile = v[AF_PROFILE].present && !v[AF_PROFILE].is_null ? v[AF_PROFILE].s : NULL,
		.bfr_line = v[AF_BFR].present && !v[AF_BFR].is_null ? v[AF_BFR].i : -1,
	};
	if (problem_validation_done(p) != 0 || api_txn(r, account_put_txn, &aw, p) != 0)
		goto out;
	rc = api_reply_versioned(r, 200, aw.after, NULL);
out:
	cJSON_Delete(aw.after);
	cJSON_Delete(in);
	return rc;
}
