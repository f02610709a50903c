/*
 * auth.h - roles, identities and the per-worker token cache.
 *
 * A request's identity comes from its bearer token: the SHA-256 is looked up
 * (unique index), compared in constant time, and cached per worker. The cache is
 * dropped whenever the audit log's highest id moves (every token change is
 * audited), checked at most every cache.refresh_ms, so a revoked token stops
 * working within that bound on every instance.
 */
#ifndef BURSAR_AUTH_H
#define BURSAR_AUTH_H

#include <stddef.h>
#include <stdint.h>

struct db;
struct problem;

enum role {
	ROLE_FINANCE_DIRECTOR = 1 << 0,
	ROLE_BUSINESS_MANAGER = 1 << 1,
	ROLE_SCHOOL_SYSTEM = 1 << 2,
	ROLE_AUDITOR = 1 << 3,
	ROLE_ADMIN = 1 << 4,
};

#define ROLES_FINANCE   (ROLE_FINANCE_DIRECTOR | ROLE_BUSINESS_MANAGER | ROLE_SCHOOL_SYSTEM | ROLE_AUDITOR)
#define ROLES_TRUST     (ROLE_FINANCE_DIRECTOR | ROLE_AUDITOR)
#define ROLES_ALL       (ROLES_FINANCE | ROLE_ADMIN)

#define AUTH_MAX_SCHOOLS 64

struct identity {
	int64_t token_id;                        /* 0: none (operations endpoints, CLI) */
	unsigned role;                           /* one ROLE_* */
	size_t nschools;                         /* business_manager, school_system */
	uint32_t schools[AUTH_MAX_SCHOOLS];      /* schools.id */
};

const char *auth_role_name(unsigned role);   /* "finance_director", ... */
unsigned auth_role_parse(const char *name);  /* 0 if unknown */

/* Trust-wide roles see every school; the others only their own. */
int auth_school_allowed(const struct identity *id, uint32_t school_id);

struct auth_cache;
struct auth_cache *auth_cache_new(void);
void auth_cache_free(struct auth_cache *c);  /* NULL ok */
void auth_cache_clear(struct auth_cache *c);

/*
 * Identify the bearer of header (the Authorization value, may be NULL). 0 with
 * *id filled; -1 with the problem set (401 missing/unknown/revoked, 503).
 */
int auth_identify(struct auth_cache *c, struct db *db, const char *header, struct identity *id,
		  struct problem *p) __attribute__((warn_unused_result));

#endif
