/*
 * api_users.c - people's accounts (DESIGN.md "People and sign-in"). The admin
 * creates, changes, disables and resets the accounts of business managers and
 * auditors; finance directors' and admins' accounts come from the command line on
 * the server (`bursard user create`), so an admin cannot make anyone a finance
 * director. The finance director and auditors read the list. A person changes
 * their own password with PUT /api/v1/me/password.
 *
 * A password an admin does not give is generated, and shown once in the reply
 * (Cache-Control: no-store); only its Argon2id hash is stored.
 */
#include <stdio.h>
#include <string.h>

#include <event2/http.h>
#include <openssl/crypto.h>

#include "api.h"
#include "idem.h"
#include "jsonv.h"
#include "password.h"
#include "store_users.h"

/* The roles whose accounts the API's admin may write. */
#define USERS_ADMIN_WRITES (ROLE_BUSINESS_MANAGER | ROLE_AUDITOR)

static const char *const user_roles[] = { "finance_director", "business_manager", "auditor", "admin", NULL };

enum { UF_EMAIL, UF_NAME, UF_ROLE, UF_SCHOOLS, UF_PASSWORD, UF_DISABLED, UF_LOCKED, UF_ID, UF_VERSION, UF_CREATED,
       UF_UPDATED, UF__N };

static const struct jv_field user_fields[UF__N] = {
	[UF_EMAIL] = { "email", JV_STRING, JV_REQUIRED | JV_LINE, 3, 254, NULL, NULL },
	[UF_NAME] = { "display_name", JV_STRING, JV_REQUIRED | JV_LINE | JV_NO_FORMULA | JV_NOT_BLANK, 1, 200, NULL,
		      NULL },
	[UF_ROLE] = { "role", JV_STRING, JV_REQUIRED, 1, 32, user_roles, NULL },
	[UF_SCHOOLS] = { "schools", JV_ARRAY, 0, 0, 0, NULL, NULL },
	[UF_PASSWORD] = { "password", JV_STRING, JV_SECRET, 1, PASSWORD_MAX_BYTES, NULL, NULL },
	[UF_DISABLED] = { "disabled", JV_BOOL, 0, 0, 0, NULL, NULL },
	[UF_LOCKED] = { "locked", JV_BOOL, 0, 0, 0, NULL, NULL },
	[UF_ID] = { "id", JV_INT, JV_READONLY, 0, 0, NULL, NULL },
	[UF_VERSION] = { "version", JV_INT, JV_READONLY, 0, 0, NULL, NULL },
	[UF_CREATED] = { "created_at", JV_STRING, JV_READONLY, 0, 0, NULL, NULL },
	[UF_UPDATED] = { "updated_at", JV_STRING, JV_READONLY, 0, 0, NULL, NULL },
};

int api_users_list(struct req *r, struct problem *p)
{
	struct db_rows *rows = NULL;
	struct page pg;
	int rc;

	if (api_page_query(r, NULL, &pg, p) != 0 || store_users_list(r->db, &pg, &rows, p) != 0)
		return -1;
	rc = api_reply_page(r, rows, &pg, store_user_render_row, p);
	db_rows_free(rows);
	return rc;
}

int api_user_get(struct req *r, struct problem *p)
{
	int64_t id, version;
	cJSON *o;
	int rc;

	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0 || api_path_id(r, "id", "user", &id, p) != 0 ||
	    (o = store_user_get(r->db, id, &version, p)) == NULL)
		return -1;
	rc = api_reply_versioned(r, 200, o, NULL);
	cJSON_Delete(o);
	return rc;
}

/* The body into u (strings borrowed from in); the e-mail lower-cased into email. */
static int user_body(struct req *r, cJSON **in, struct jv_value *v, struct user_in *u, char *email, size_t len,
		     struct problem *p)
{
	const cJSON *it;
	size_t i = 0;

	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0 || (*in = http_read_json(r, p)) == NULL)
		return -1;
	if (jsonv_object(*in, "", user_fields, UF__N, v, p) != 0)
		return problem_validation_done(p);
	memset(u, 0, sizeof(*u));
	if (v[UF_SCHOOLS].present) {
		cJSON_ArrayForEach(it, v[UF_SCHOOLS].item) {
			char field[32];

			snprintf(field, sizeof(field), "/schools/%zu", i++);
			if (!cJSON_IsString(it) || !api_urn_valid(it->valuestring) || strcmp(it->valuestring, "central") == 0)
				problem_field(p, field, "must be a six-digit URN");
			else if (u->nurns == USER_MAX_SCHOOLS)
				problem_field(p, field, "an account may cover at most %d schools", USER_MAX_SCHOOLS);
			else
				u->urns[u->nurns++] = it->valuestring;
		}
	}
	for (i = 0; v[UF_EMAIL].s[i] != '\0' && i + 1 < len; i++)
		email[i] = (char)(v[UF_EMAIL].s[i] >= 'A' && v[UF_EMAIL].s[i] <= 'Z' ? v[UF_EMAIL].s[i] + 32
										    : v[UF_EMAIL].s[i]);
	email[i] = '\0';
	u->email = email;
	u->display_name = v[UF_NAME].s;
	u->role = identity_role_parse(v[UF_ROLE].s);
	u->disabled = v[UF_DISABLED].present && v[UF_DISABLED].i;
	u->locked = v[UF_LOCKED].present && v[UF_LOCKED].i;
	if ((u->role & USERS_ADMIN_WRITES) == 0)
		problem_field(p, "/role", "an admin creates business_manager and auditor accounts; a %s's account "
			      "is created on the server with `bursard user create`", v[UF_ROLE].s);
	return problem_validation_done(p);
}

struct user_write {
	struct audit_actor who;
	struct user_in u;
	char hash[PASSWORD_HASH_MAX];
	int64_t id, want_version;
	cJSON *after;
};

static int user_create_txn(struct db *db, void *arg, struct problem *p)
{
	struct user_write *w = arg;

	cJSON_Delete(w->after);
	return store_user_create(db, &w->who, &w->u, w->hash, &w->id, &w->after, p);
}

/* The reply of a write that set a password: the account and, when generated, the password (once). */
static int user_reply_password(struct req *r, int status, cJSON *image, const char *generated, struct problem *p)
{
	char loc[48];

	if (generated != NULL && cJSON_AddStringToObject(image, "password", generated) == NULL)
		return problem_internal(p);
	evhttp_add_header(evhttp_request_get_output_headers(r->ev), "Cache-Control", "no-store");
	snprintf(loc, sizeof(loc), "/api/v1/users/%lld",
		 (long long)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(image, "id")));
	return api_reply_versioned(r, status, image, status == 201 ? loc : NULL);
}

int api_user_create(struct req *r, struct problem *p)
{
	struct user_write w = { .who = api_actor(r) };
	struct jv_value v[UF__N];
	char email[256], pw[PASSWORD_GEN_LEN + 1] = "", detail[300];
	const char *why, *password;
	cJSON *in = NULL;
	int rc = -1;

	if (user_body(r, &in, v, &w.u, email, sizeof(email), p) != 0)
		goto out;
	if (v[UF_DISABLED].present || v[UF_LOCKED].present)
		problem_field(p, v[UF_DISABLED].present ? "/disabled" : "/locked", "a new account is neither");
	if (v[UF_PASSWORD].present) {
		password = v[UF_PASSWORD].s;
		if ((why = password_refusal(password, w.u.email, w.u.display_name)) != NULL)
			problem_field(p, "/password", "%s", why);
	} else if (password_generate(pw, sizeof(pw)) != 0) {
		rc = problem_internal(p);
		goto out;
	} else {
		password = pw;
	}
	if (problem_validation_done(p) != 0 || store_user_validate(&w.u, p) != 0)
		goto out;
	if (password_hash(password, w.hash) != 0) {
		rc = problem_internal(p);
		goto out;
	}
	if (api_txn(r, user_create_txn, &w, p) != 0)
		goto out;
	snprintf(detail, sizeof(detail), "account %lld was created by the first request with this Idempotency-Key; "
		 "a generated password is shown only once: if its answer was lost, give the account a new one with "
		 "POST /api/v1/users/%lld/password", (long long)w.id, (long long)w.id);
	idem_replay_problem(r, 409, detail);
	rc = user_reply_password(r, 201, w.after, pw[0] != '\0' ? pw : NULL, p);
out:
	OPENSSL_cleanse(pw, sizeof(pw));
	OPENSSL_cleanse(w.hash, sizeof(w.hash));
	cJSON_Delete(w.after);
	cJSON_Delete(in);
	return rc;
}

/* The account id as it stands: the admin may write it only when it is a business manager's or auditor's. */
static int user_admin_may(struct db *db, int64_t id, struct problem *p)
{
	int64_t version;
	cJSON *o = store_user_get(db, id, &version, p);
	unsigned role;

	if (o == NULL)
		return -1;
	role = identity_role_parse(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "role")));
	cJSON_Delete(o);
	if ((role & USERS_ADMIN_WRITES) == 0)
		return problem_forbidden(p, "account %lld is a %s's: change it on the server with `bursard user`",
					 (long long)id, identity_role_name(role));
	return 0;
}

static int user_put_txn(struct db *db, void *arg, struct problem *p)
{
	struct user_write *w = arg;

	cJSON_Delete(w->after);
	w->after = NULL;
	if (user_admin_may(db, w->id, p) != 0)
		return -1;
	return store_user_update(db, &w->who, w->id, w->want_version, &w->u, &w->after, p);
}

int api_user_put(struct req *r, struct problem *p)
{
	struct user_write w = { .who = api_actor(r) };
	struct jv_value v[UF__N];
	char email[256];
	cJSON *in = NULL;
	int rc = -1;

	if (api_path_id(r, "id", "user", &w.id, p) != 0 || api_if_match(r, &w.want_version, p) != 0 ||
	    user_body(r, &in, v, &w.u, email, sizeof(email), p) != 0)
		goto out;
	if (v[UF_PASSWORD].present)
		problem_field(p, "/password", "is set with POST /api/v1/users/%lld/password", (long long)w.id);
	if (problem_validation_done(p) != 0 || api_txn(r, user_put_txn, &w, p) != 0)
		goto out;
	rc = api_reply_versioned(r, 200, w.after, NULL);
out:
	cJSON_Delete(w.after);
	cJSON_Delete(in);
	return rc;
}

struct user_password {
	struct audit_actor who;
	int64_t id;
	int admin;                               /* an admin's reset (else the person's own change) */
	char hash[PASSWORD_HASH_MAX];
	cJSON *after;
};

static int user_password_txn(struct db *db, void *arg, struct problem *p)
{
	struct user_password *w = arg;

	cJSON_Delete(w->after);
	w->after = NULL;
	if (w->admin && user_admin_may(db, w->id, p) != 0)
		return -1;
	return store_user_set_password(db, &w->who, w->id, w->hash, w->admin ? "reset_password" : "change_password",
				       &w->after, p);
}

/* POST /api/v1/users/{id}/password: a new generated password (shown once), the
 * account unlocked and its sessions ended. */
int api_user_password_reset(struct req *r, struct problem *p)
{
	struct user_password w = { .who = api_actor(r), .admin = 1 };
	char pw[PASSWORD_GEN_LEN + 1];
	int rc = -1;

	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0 || api_path_id(r, "id", "user", &w.id, p) != 0)
		return -1;
	if (password_generate(pw, sizeof(pw)) != 0 || password_hash(pw, w.hash) != 0) {
		rc = problem_internal(p);
		goto out;
	}
	if (api_txn(r, user_password_txn, &w, p) != 0)
		goto out;
	idem_replay_problem(r, 409, "the account was given a new password by the first request with this "
			    "Idempotency-Key; it is shown only once: if its answer was lost, reset it again");
	rc = user_reply_password(r, 200, w.after, pw, p);
out:
	OPENSSL_cleanse(pw, sizeof(pw));
	OPENSSL_cleanse(w.hash, sizeof(w.hash));
	cJSON_Delete(w.after);
	return rc;
}

enum { MP_CURRENT, MP_NEW, MP__N };

static const struct jv_field me_password_fields[MP__N] = {
	[MP_CURRENT] = { "current_password", JV_STRING, JV_REQUIRED | JV_SECRET, 1, PASSWORD_MAX_BYTES, NULL, NULL },
	[MP_NEW] = { "new_password", JV_STRING, JV_REQUIRED | JV_SECRET, 1, PASSWORD_MAX_BYTES, NULL, NULL },
};

/* PUT /api/v1/me/password: a person changes their own password (every session of
 * theirs ends, this one too: they sign in again with the new one). */
int api_me_password(struct req *r, struct problem *p)
{
	struct user_password w = { .who = api_actor(r), .id = r->id.user_id };
	struct user_signin u;
	struct jv_value v[MP__N];
	cJSON *in = NULL, *me = NULL;
	const char *why;
	int64_t version;
	int rc = -1;

	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0)
		return -1;
	if (r->id.user_id == 0)
		return problem_conflict(p, "a token has no password: sign in as a person to change yours");
	if ((in = http_read_json(r, p)) == NULL)
		return -1;
	jsonv_object(in, "", me_password_fields, MP__N, v, p);
	if (problem_validation_done(p) != 0 || (me = store_user_get(r->db, r->id.user_id, &version, p)) == NULL)
		goto out;
	if (store_user_find(r->db, cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(me, "email")), &u, p) != 1)
		goto out;
	if (!password_matches(u.hash, v[MP_CURRENT].s))
		problem_field(p, "/current_password", "is not your current password");
	else if ((why = password_refusal(v[MP_NEW].s, cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(me, "email")),
					 cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(me, "display_name")))) != NULL)
		problem_field(p, "/new_password", "%s", why);
	OPENSSL_cleanse(u.hash, sizeof(u.hash));
	if (problem_validation_done(p) != 0)
		goto out;
	if (password_hash(v[MP_NEW].s, w.hash) != 0) {
		rc = problem_internal(p);
		goto out;
	}
	if (api_txn(r, user_password_txn, &w, p) != 0)
		goto out;
	rc = http_reply_empty(r, 204, NULL);
out:
	OPENSSL_cleanse(w.hash, sizeof(w.hash));
	cJSON_Delete(w.after);
	cJSON_Delete(me);
	cJSON_Delete(in);
	return rc;
}
