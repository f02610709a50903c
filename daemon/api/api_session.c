/*
 * api_session.c - people signing in to the web app (DESIGN.md "People and sign-in"):
 * POST /api/v1/session signs in (a session cookie, HttpOnly, SameSite=Strict),
 * DELETE /api/v1/session signs out, GET /api/v1/me says who is asking (a person or
 * a token) and gives a session its CSRF token.
 *
 * Failed sign-ins are counted per account (the e-mail as typed, whether or not an
 * account has it, so the answers tell nothing) and per client address: after
 * session.throttle_after failures each further attempt waits twice as long as
 * the last (429 + Retry-After, at most session.max_delay_s); session.lock_after
 * failures lock the account until an admin lifts it. Every failure gets the same
 * 401 and an audit row saying why; a success clears both counts.
 */
#include <stdio.h>
#include <string.h>

#include <event2/http.h>
#include <openssl/crypto.h>

#include "api.h"
#include "bearer.h"
#include "config.h"
#include "jsonv.h"
#include "log.h"
#include "password.h"
#include "session.h"
#include "store_schools.h"
#include "store_sessions.h"
#include "store_users.h"

#define SESSION_GENERIC "the e-mail address or password is not right, or the account is disabled or locked " \
	"(your trust's administrator can unlock it)"

/* ---- who is asking ---- */

/* {kind, id, name, email, role, schools: [{urn, name}], csrf_token} of r->id. */
static cJSON *session_me_json(struct req *r, struct problem *p)
{
	struct db_rows *rows = NULL;
	cJSON *o = cJSON_CreateObject(), *schools, *user = NULL;
	const char *email = NULL, *name = r->id.name;
	int64_t version;

	if (o == NULL)
		goto oom;
	if (r->id.user_id != 0) {
		if ((user = store_user_get(r->db, r->id.user_id, &version, p)) == NULL)
			goto fail;
		email = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(user, "email"));
		name = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(user, "display_name"));
	} else if (strncmp(name, "token: ", 7) == 0) {
		name += 7;
	}
	if (cJSON_AddStringToObject(o, "kind", r->id.user_id != 0 ? "user" : "token") == NULL ||
	    cJSON_AddNumberToObject(o, "id", (double)(r->id.user_id != 0 ? r->id.user_id : r->id.token_id)) == NULL ||
	    cJSON_AddStringToObject(o, "name", name != NULL ? name : "") == NULL ||
	    (email != NULL ? cJSON_AddStringToObject(o, "email", email) : cJSON_AddNullToObject(o, "email")) == NULL ||
	    cJSON_AddStringToObject(o, "role", identity_role_name(r->id.role)) == NULL ||
	    (schools = cJSON_AddArrayToObject(o, "schools")) == NULL)
		goto oom;
	if (r->id.nschools > 0) {
		if (store_schools_named(r->db, r->id.schools, r->id.nschools, &rows, p) != 0)
			goto fail;
		for (size_t i = 0; i < rows->nrows; i++) {
			cJSON *s = db_row_to_json(rows, i);

			if (s == NULL || !cJSON_AddItemToArray(schools, s)) {
				cJSON_Delete(s);
				goto oom;
			}
		}
	}
	if ((r->id.session_id != 0 ? cJSON_AddStringToObject(o, "csrf_token", r->id.csrf)
				   : cJSON_AddNullToObject(o, "csrf_token")) == NULL)
		goto oom;
	db_rows_free(rows);
	cJSON_Delete(user);
	return o;
oom:
	problem_internal(p);
fail:
	db_rows_free(rows);
	cJSON_Delete(user);
	cJSON_Delete(o);
	return NULL;
}

int api_me(struct req *r, struct problem *p)
{
	cJSON *o;
	int rc;

	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0 || (o = session_me_json(r, p)) == NULL)
		return -1;
	evhttp_add_header(evhttp_request_get_output_headers(r->ev), "Cache-Control", "no-store");
	rc = http_reply_json(r, 200, o, NULL);
	cJSON_Delete(o);
	return rc;
}

/* ---- signing in ---- */

enum { SF_EMAIL, SF_PASSWORD, SF__N };

static const struct jv_field signin_fields[SF__N] = {
	[SF_EMAIL] = { "email", JV_STRING, JV_REQUIRED | JV_LINE, 1, 254, NULL, NULL },
	[SF_PASSWORD] = { "password", JV_STRING, JV_REQUIRED | JV_SECRET, 1, PASSWORD_MAX_BYTES, NULL, NULL },
};

struct signin {
	struct req *r;
	char email[256];
	char account_key[300], address_key[80];
	struct user_signin user;
	int found;
	const char *why;                         /* a failure's reason, for the audit row */
	char cookie[BEARER_LEN + 1];
	int64_t session_id;
};

/* Seconds key must still wait before another attempt (0: none). */
static int signin_wait(struct db *db, const struct cfg *cfg, const char *key, struct problem *p)
{
	int64_t n, since, delay;

	if (store_signin_failures(db, key, &n, &since, p) != 0)
		return -1;
	if (n < cfg->signin_throttle_after)
		return 0;
	delay = n - cfg->signin_throttle_after >= 30 ? cfg->signin_max_delay_s
						    : INT64_C(1) << (n - cfg->signin_throttle_after);
	if (delay > cfg->signin_max_delay_s)
		delay = cfg->signin_max_delay_s;
	return since >= delay ? 0 : (int)(delay - since);
}

static int signin_failed_txn(struct db *db, void *arg, struct problem *p)
{
	struct signin *s = arg;
	struct audit_actor who = { .role = "anonymous", .request_id = s->r->request_id };
	char name[360];
	cJSON *after = cJSON_CreateObject();
	int64_t n_account, n_address;
	int rc = -1;

	snprintf(name, sizeof(name), "sign-in as %s from %s", s->email, s->r->client);
	who.name = name;
	if (after == NULL || cJSON_AddStringToObject(after, "email", s->email) == NULL ||
	    cJSON_AddStringToObject(after, "client", s->r->client) == NULL ||
	    cJSON_AddStringToObject(after, "reason", s->why) == NULL) {
		problem_internal(p);
		goto out;
	}
	if (store_signin_failed(db, s->account_key, &n_account, p) != 0 ||
	    store_signin_failed(db, s->address_key, &n_address, p) != 0 ||
	    cJSON_AddNumberToObject(after, "failures", (double)n_account) == NULL)
		goto out;
	if (audit_write(db, &who, "signin_failed", "session", "signin", NULL, after, p) != 0)
		goto out;
	if (s->found && !s->user.locked && n_account >= s->r->cfg->signin_lock_after) {
		log_notice("session: account %lld locked after %lld failed sign-ins", (long long)s->user.id,
			   (long long)n_account);
		rc = store_user_lock(db, &who, s->user.id, p);
		goto out;
	}
	rc = 0;
out:
	cJSON_Delete(after);
	return rc;
}

static int signin_ok_txn(struct db *db, void *arg, struct problem *p)
{
	struct signin *s = arg;
	struct audit_actor who = { .user_id = s->user.id, .role = identity_role_name(s->user.role),
				   .name = s->user.name, .request_id = s->r->request_id };
	uint8_t hash[BEARER_HASH_LEN];
	char csrf[BEARER_LEN + 1], eid[24];
	cJSON *after = cJSON_CreateObject();
	int rc = -1;

	/* a session cookie "bs_..." and its CSRF token: 32 random bytes each */
	if (after == NULL || bearer_generate(s->cookie, sizeof(s->cookie)) != 0 ||
	    bearer_generate(csrf, sizeof(csrf)) != 0) {
		problem_internal(p);
		goto out;
	}
	s->cookie[1] = 's';
	if (bearer_hash(s->cookie, BEARER_LEN, hash) != 0) {
		problem_internal(p);
		goto out;
	}
	if (store_signin_clear(db, s->account_key, p) != 0 || store_signin_clear(db, s->address_key, p) != 0 ||
	    store_session_create(db, s->user.id, hash, csrf + 3, s->r->client, s->r->cfg->session_lifetime_s,
				 &s->session_id, p) != 0)
		goto out;
	if (cJSON_AddNumberToObject(after, "session", (double)s->session_id) == NULL ||
	    cJSON_AddStringToObject(after, "client", s->r->client) == NULL) {
		problem_internal(p);
		goto out;
	}
	snprintf(eid, sizeof(eid), "%lld", (long long)s->user.id);
	rc = audit_write(db, &who, "signin", "user", eid, NULL, after, p);
out:
	OPENSSL_cleanse(csrf, sizeof(csrf));
	cJSON_Delete(after);
	return rc;
}

static void session_set_cookie(struct req *r, const char *value, int max_age)
{
	char c[256];

	snprintf(c, sizeof(c), "%s=%s; Path=/; Max-Age=%d; HttpOnly; SameSite=Strict%s", SESSION_COOKIE, value,
		 max_age, r->cfg->cookie_secure ? "; Secure" : "");
	evhttp_add_header(evhttp_request_get_output_headers(r->ev), "Set-Cookie", c);
}

/* The attempt's keys and whether either must wait (429). */
static int signin_throttle(struct signin *s, struct problem *p)
{
	int wa, wb;

	snprintf(s->account_key, sizeof(s->account_key), "account:%s", s->email);
	snprintf(s->address_key, sizeof(s->address_key), "address:%s", s->r->client);
	if ((wa = signin_wait(s->r->db, s->r->cfg, s->account_key, p)) < 0 ||
	    (wb = signin_wait(s->r->db, s->r->cfg, s->address_key, p)) < 0)
		return -1;
	if (wa > 0 || wb > 0) {
		problem_set(p, 429, "too-many-attempts", "Too many failed sign-ins",
			    "too many failed sign-ins: wait %d second%s before trying again", wa > wb ? wa : wb,
			    (wa > wb ? wa : wb) == 1 ? "" : "s");
		p->retry_after = wa > wb ? wa : wb;
		return -1;
	}
	return 0;
}

int api_session_create(struct req *r, struct problem *p)
{
	struct signin s = { .r = r };
	struct jv_value v[SF__N];
	cJSON *in = NULL, *me = NULL;
	int rc = -1, ok;

	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0)
		return -1;
	/* a page of another site must not sign a browser in to its attacker's account */
	if (http_header(r, "Origin") != NULL && !session_same_origin(r))
		return problem_set(p, 403, "csrf", "Forbidden", "sign in from bursar's own pages (the Origin header)");
	if ((in = http_read_json(r, p)) == NULL)
		return -1;
	jsonv_object(in, "", signin_fields, SF__N, v, p);
	if (problem_validation_done(p) != 0)
		goto out;
	for (size_t i = 0; v[SF_EMAIL].s[i] != '\0' && i + 1 < sizeof(s.email); i++)
		s.email[i] = (char)(v[SF_EMAIL].s[i] >= 'A' && v[SF_EMAIL].s[i] <= 'Z' ? v[SF_EMAIL].s[i] + 32
											: v[SF_EMAIL].s[i]);
	if (signin_throttle(&s, p) != 0 || (s.found = store_user_find(r->db, s.email, &s.user, p)) < 0)
		goto out;
	/* the same work whether or not the account exists */
	ok = password_matches(s.found ? s.user.hash : NULL, v[SF_PASSWORD].s);
	OPENSSL_cleanse(s.user.hash, sizeof(s.user.hash));
	s.why = !s.found ? "no such account" : !ok ? "wrong password" : s.user.disabled ? "account disabled"
	       : s.user.locked ? "account locked" : NULL;
	if (s.why != NULL) {
		log_notice("session: failed sign-in from %s (%s)", r->client, s.why);
		if (api_txn(r, signin_failed_txn, &s, p) != 0)
			goto out;
		problem_set(p, 401, "signin-failed", "Sign-in failed", "%s", SESSION_GENERIC);
		goto out;
	}
	if (api_txn(r, signin_ok_txn, &s, p) != 0)
		goto out;
	if (session_identify_cookie(r, s.cookie, p) != 0 || (me = session_me_json(r, p)) == NULL)
		goto out;
	session_set_cookie(r, s.cookie, r->cfg->session_lifetime_s);
	evhttp_add_header(evhttp_request_get_output_headers(r->ev), "Cache-Control", "no-store");
	rc = http_reply_json(r, 201, me, NULL);
out:
	OPENSSL_cleanse(s.cookie, sizeof(s.cookie));
	cJSON_Delete(me);
	cJSON_Delete(in);
	return rc;
}

/* ---- signing out ---- */

static int signout_txn(struct db *db, void *arg, struct problem *p)
{
	struct req *r = arg;
	struct audit_actor who = api_actor(r);
	char eid[24];

	snprintf(eid, sizeof(eid), "%lld", (long long)r->id.user_id);
	if (store_session_end(db, r->id.session_id, p) != 0)
		return -1;
	return audit_write(db, &who, "signout", "user", eid, NULL, NULL, p);
}

int api_session_delete(struct req *r, struct problem *p)
{
	if (http_query_allow(r, (const char *const[]){ NULL }, p) != 0)
		return -1;
	if (r->id.session_id == 0)
		return problem_conflict(p, "this request is made with a token, not a session: there is nothing to sign "
					"out of (an admin revokes tokens)");
	if (api_txn(r, signout_txn, r, p) != 0)
		return -1;
	session_set_cookie(r, "", 0);
	return http_reply_empty(r, 204, NULL);
}
