/*
 * store_sessions.h - signed-in browsers and failed sign-ins (DESIGN.md "People and
 * sign-in"). A session is found by the SHA-256 of its cookie; it ends when signed
 * out, after idle_s without a request, at its absolute expiry, or when its account
 * is disabled, locked or given a new password. Failed sign-ins are counted per key
 * ("account:<email>", "address:<client>") for the throttle in api/api_session.c.
 *
 * Session bookkeeping (last seen, failure counts) is not audited; signing in and
 * out and failed sign-ins are (by the caller).
 *
 * Thread: as db.h.
 */
#ifndef BURSAR_STORE_SESSIONS_H
#define BURSAR_STORE_SESSIONS_H

#include <stdint.h>

#include "bearer.h"
#include "db.h"
#include "identity.h"
#include "problem.h"

/* A new session for user_id ending lifetime_s from now: *id set. */
int store_session_create(struct db *db, int64_t user_id, const uint8_t hash[BEARER_HASH_LEN], const char *csrf,
			 const char *client, int lifetime_s, int64_t *id, struct problem *p)
	__attribute__((warn_unused_result));

/*
 * The live session whose cookie hashes to hash, as an identity (the account's
 * role, schools and name, the session's id and CSRF token): 0 found (its idle
 * clock restarted, at most once a minute), 1 none (ended, idle, expired, or its
 * account disabled or locked), -1 with the problem set.
 */
int store_session_identify(struct db *db, const uint8_t hash[BEARER_HASH_LEN], int idle_s, struct identity *id,
			   struct problem *p) __attribute__((warn_unused_result));

/* End session id (signing out). */
int store_session_end(struct db *db, int64_t id, struct problem *p) __attribute__((warn_unused_result));

/* End every session of user_id (inside the caller's transaction). */
int store_sessions_end_user(struct db *db, int64_t user_id, struct problem *p) __attribute__((warn_unused_result));

/* The failures counted for key and the seconds since the last (0, 0 when none). */
int store_signin_failures(struct db *db, const char *key, int64_t *failures, int64_t *since_s, struct problem *p)
	__attribute__((warn_unused_result));

/* Count a failure for key; *failures: the count now. */
int store_signin_failed(struct db *db, const char *key, int64_t *failures, struct problem *p)
	__attribute__((warn_unused_result));

/* Forget key's failures (a successful sign-in, an unlocked account). */
int store_signin_clear(struct db *db, const char *key, struct problem *p) __attribute__((warn_unused_result));

#endif
