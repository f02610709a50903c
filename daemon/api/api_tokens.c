/* api_tokens.c - token administration: the admin role creates (the token is
 * shown once) and revokes the tokens of business managers, school systems and
 * auditors; finance director and admin tokens come from the command line on the
 * server (bursard token create). The list is the admin's, the finance director's
 * and the auditors'. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "api.h"
#include "auth.h"
#include "idem.h"
#include "jsonv.h"
#include "store_tokens.h"

int api_tokens_list(struct req *r, struct problem *p)
{
	cJSON *body, *items;

	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0 ||
	    (items = store_tokens_list(r->db, p)) == NULL)
		return -1;
	if ((body = cJSON_CreateObject()) == NULL) {
		cJSON_Delete(items);
		return problem_internal(p);
	}
	cJSON_AddItemToObject(body, "items", items);
	cJSON_AddNullToObject(body, "next");
	http_reply_json(r, 200, body, NULL);
	cJSON_Delete(body);
	return 0;
}

/* The roles whose tokens the API creates and revokes. */
#define TOKEN_API_ROLES (ROLE_BUSINESS_MANAGER | ROLE_SCHOOL_SYSTEM | ROLE_AUDITOR)

static const char *const token_roles[] = { "finance_director", "business_manager", "school_system",
					   "auditor", "admin", NULL };

enum { TF_ROLE, TF_LABEL, TF_SCHOOLS, TF__N };

static const struct jv_field token_fields[TF__N] = {
	[TF_ROLE] = { "role", JV_STRING, JV_REQUIRED, 1, 32, token_roles, NULL },
	[TF_LABEL] = { "label", JV_STRING, JV_REQUIRED, 1, 200, NULL, NULL },
	[TF_SCHOOLS] = { "schools", JV_ARRAY, 0, 0, 0, NULL, NULL },
};

/* The token and its audit row, with the request's Idempotency-Key claimed (api_txn). */
struct token_write {
	struct audit_actor who;
	struct token_new t;
	char tok[BEARER_LEN + 1];
	int64_t id;
};

static int token_create_txn(struct db *db, void *arg, struct problem *p)
{
	struct token_write *w = arg;

	return store_tokens_create_in_txn(db, &w->who, &w->t, w->tok, &w->id, p);
}

int api_token_create(struct req *r, struct problem *p)
{
	struct jv_value v[TF__N];
	struct token_write w = { .who = api_actor(r) };
	struct token_new *t = &w.t;
	char *tok = w.tok, detail[300];
	const cJSON *it;
	cJSON *in = NULL, *out = NULL;
	size_t i = 0;
	int rc = -1;

	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0 || (in = http_read_json(r, p)) == NULL)
		return -1;
	jsonv_object(in, "", token_fields, TF__N, v, p);
	if (v[TF_SCHOOLS].present && cJSON_IsArray(v[TF_SCHOOLS].item)) {
		cJSON_ArrayForEach(it, v[TF_SCHOOLS].item) {
			char field[32];

			snprintf(field, sizeof(field), "/schools/%zu", i);
			if (!cJSON_IsString(it) || !api_urn_valid(it->valuestring) ||
			    strcmp(it->valuestring, "central") == 0)
				problem_field(p, field, "must be a six-digit URN");
			else if (t->nurns == TOKEN_NEW_MAX_SCHOOLS)
				problem_field(p, field, "a token may cover at most %d schools", TOKEN_NEW_MAX_SCHOOLS);
			else
				t->urns[t->nurns++] = it->valuestring;
			i++;
		}
	}
	if (problem_validation_done(p) != 0)
		goto out;
	t->role = identity_role_parse(v[TF_ROLE].s);
	t->label = v[TF_LABEL].s;
	if ((t->role & TOKEN_API_ROLES) == 0) {
		problem_forbidden(p, "the API creates tokens for business managers, school systems and auditors "
				  "only; a %s token is created on the server: bursard token create --role %s "
				  "--label TEXT", v[TF_ROLE].s, v[TF_ROLE].s);
		goto out;
	}
	if (api_txn(r, token_create_txn, &w, p) != 0)
		goto out;
	if ((out = cJSON_CreateObject()) == NULL || cJSON_AddNumberToObject(out, "id", (int)w.id) == NULL ||
	    cJSON_AddStringToObject(out, "token", tok) == NULL ||
	    cJSON_AddStringToObject(out, "role", v[TF_ROLE].s) == NULL) {
		problem_internal(p);
		goto out;
	}
	/* a replay must not get the token again: it is stored nowhere */
	snprintf(detail, sizeof(detail), "token %lld was created by the first request with this Idempotency-Key; a "
		 "token is shown only once: if its answer was lost, revoke it (POST /api/v1/tokens/%lld/revoke) and "
		 "create another", (long long)w.id, (long long)w.id);
	idem_replay_problem(r, 409, detail);
	evhttp_add_header(evhttp_request_get_output_headers(r->ev), "Cache-Control", "no-store");
	rc = http_reply_json(r, 201, out, NULL);
out:
	OPENSSL_cleanse(w.tok, sizeof(w.tok));
	cJSON_Delete(out);
	cJSON_Delete(in);
	return rc;
}

int api_token_revoke(struct req *r, struct problem *p)
{
	const char *ids = http_param(r, "id");
	struct audit_actor who = api_actor(r);
	char *end;
	long long id = strtoll(ids, &end, 10);

	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0)
		return -1;
	if (*ids < '1' || *ids > '9' || *end != '\0' || id <= 0) {
		problem_field(p, "path:id", "must be a token id");
		return problem_bad_request(p, "%s is not a token id", ids);
	}
	if (store_tokens_revoke_roles(r->db, &who, id, TOKEN_API_ROLES, p) != 0)
		return -1;
	return http_reply_empty(r, 204, NULL);
}
