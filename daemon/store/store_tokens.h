/*
 * store_tokens.h - the token store: create, list and revoke API tokens, each change
 * audited in the same transaction. Shared by the command line (bursard token
 * ...), the demo seed and the admin API.
 */
#ifndef BURSAR_STORE_TOKENS_H
#define BURSAR_STORE_TOKENS_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "audit.h"
#include "problem.h"
#include "bearer.h"

struct db;

#define TOKEN_NEW_MAX_SCHOOLS 64

struct token_new {
	unsigned role;                           /* ROLE_* */
	const char *label;
	size_t nurns;
	const char *urns[TOKEN_NEW_MAX_SCHOOLS];    /* schools in scope (URNs) */
};

/*
 * Validate and insert a token inside the caller's transaction. Writes the new
 * token's text (shown once, never stored) to out and its id to *id. A
 * business_manager needs at least one school, a school_system exactly one, the
 * other roles none (422 otherwise); an unknown URN is 422.
 */
int store_tokens_create_in_txn(struct db *db, const struct audit_actor *who, const struct token_new *t,
			 char out[BEARER_LEN + 1], int64_t *id, struct problem *p)
	__attribute__((warn_unused_result));

/* The same in a transaction of its own. */
int store_tokens_create(struct db *db, const struct audit_actor *who, const struct token_new *t,
		  char out[BEARER_LEN + 1], int64_t *id, struct problem *p)
	__attribute__((warn_unused_result));

/* Revoke (404 if unknown, 409 if already revoked), audited. */
int store_tokens_revoke(struct db *db, const struct audit_actor *who, int64_t id, struct problem *p)
	__attribute__((warn_unused_result));
/* The same for a caller that may revoke only the tokens of roles (ROLE_* bits):
 * 403, nothing changed, for another role's token. */
int store_tokens_revoke_roles(struct db *db, const struct audit_actor *who, int64_t id, unsigned roles,
			      struct problem *p) __attribute__((warn_unused_result));

/* Every token as JSON objects {id, role, label, schools: [urn], created_at, revoked_at}. */
cJSON *store_tokens_list(struct db *db, struct problem *p);

/*
 * The live (not revoked) token whose SHA-256 is hash, as an identity (role and
 * schools). 0 when found, 1 when unknown or revoked (nothing set), -1 with the
 * problem set.
 */
struct identity;
int store_tokens_identify(struct db *db, const uint8_t hash[BEARER_HASH_LEN], struct identity *id,
			  struct problem *p) __attribute__((warn_unused_result));

#endif
