/* session.c - see session.h */
#include "session.h"

#include <string.h>
#include <strings.h>

#include <openssl/crypto.h>

#include "bearer.h"
#include "config.h"
#include "log.h"
#include "store_sessions.h"

int session_present(const struct req *r)
{
	size_t len;

	return http_header(r, "Authorization") == NULL && http_header(r, "Cookie") != NULL &&
	       bearer_from_cookie(http_header(r, "Cookie"), SESSION_COOKIE, &len) != NULL;
}

static int session_identify_len(struct req *r, const char *v, size_t len, struct problem *p)
{
	uint8_t hash[BEARER_HASH_LEN];
	int rc;

	if (v == NULL || len != BEARER_LEN)
		return problem_set(p, 401, "unauthorized", "Unauthorized", "sign in again: your session has ended");
	if (bearer_hash(v, len, hash) != 0)
		return problem_internal(p);
	if ((rc = store_session_identify(r->db, hash, r->cfg->session_idle_s, &r->id, p)) != 0)
		return rc < 0 ? -1 : problem_set(p, 401, "unauthorized", "Unauthorized",
						 "sign in again: your session has ended");
	return 0;
}

int session_identify(struct req *r, struct problem *p)
{
	const char *cookie = http_header(r, "Cookie"), *v = NULL;
	size_t len = 0;

	if (cookie != NULL)
		v = bearer_from_cookie(cookie, SESSION_COOKIE, &len);
	return session_identify_len(r, v, len, p);
}

int session_identify_cookie(struct req *r, const char *value, struct problem *p)
{
	return session_identify_len(r, value, strlen(value), p);
}

int session_same_origin(const struct req *r)
{
	const char *origin = http_header(r, "Origin"), *host = http_header(r, "Host"), *authority;

	if (origin == NULL || host == NULL)
		return 0;
	if (strncasecmp(origin, "https://", 8) == 0)
		authority = origin + 8;
	else if (strncasecmp(origin, "http://", 7) == 0 && !r->cfg->cookie_secure)
		authority = origin + 7;
	else
		return 0;
	return strcasecmp(authority, host) == 0;
}

int session_check_write(const struct req *r, struct problem *p)
{
	const char *tok = http_header(r, "X-CSRF-Token");

	if (tok == NULL || strlen(tok) != IDENTITY_CSRF_LEN || r->id.csrf[0] == '\0' ||
	    CRYPTO_memcmp(tok, r->id.csrf, IDENTITY_CSRF_LEN) != 0) {
		log_notice("session: a write by session %lld without its CSRF token", (long long)r->id.session_id);
		return problem_set(p, 403, "csrf", "Forbidden",
				   "a change made from the web app must carry its X-CSRF-Token (from GET /api/v1/me)");
	}
	if (!session_same_origin(r)) {
		log_notice("session: a write by session %lld from another origin", (long long)r->id.session_id);
		return problem_set(p, 403, "csrf", "Forbidden", "a change made from the web app must come from its own "
				   "origin (the Origin header)");
	}
	return 0;
}
