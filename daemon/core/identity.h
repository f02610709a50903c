/*
 * identity.h - who is asking: a role and, for school-scoped roles, the schools.
 *
 * Pure: no I/O. A request's identity comes from api/auth.c (a bearer token); the
 * command line acts with none.
 */
#ifndef BURSAR_IDENTITY_H
#define BURSAR_IDENTITY_H

#include <stddef.h>
#include <stdint.h>

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

#define IDENTITY_MAX_SCHOOLS 64

struct identity {
	int64_t token_id;                        /* 0: none (operations endpoints, CLI) */
	unsigned role;                           /* one ROLE_* */
	size_t nschools;                         /* business_manager, school_system */
	uint32_t schools[IDENTITY_MAX_SCHOOLS];      /* schools.id */
};

const char *identity_role_name(unsigned role);   /* "finance_director", ... */
unsigned identity_role_parse(const char *name);  /* 0 if unknown */

/* Trust-wide roles see every school; the others only their own. */
int identity_school_allowed(const struct identity *id, uint32_t school_id);

#endif
