/*
 * identity.h - who is asking: a role and, for school-scoped roles, the schools.
 *
 * Pure: no I/O. A request's identity comes from api/auth.c (a bearer token) or
 * api/session.c (a person signed in to the web app); the command line acts with none.
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
#define IDENTITY_NAME_MAX 304                    /* "Name (e-mail)" or "token: label", with NUL */
#define IDENTITY_CSRF_LEN 43                     /* 32 bytes, base64url */

struct identity {
	int64_t token_id;                        /* 0: none (a person, operations endpoints, CLI) */
	int64_t user_id;                         /* 0: not a person */
	int64_t session_id;                      /* the person's session (0: none) */
	char name[IDENTITY_NAME_MAX];            /* who, as the audit log names them ("" : nobody) */
	char csrf[IDENTITY_CSRF_LEN + 1];        /* a session's CSRF token ("" for tokens) */
	unsigned role;                           /* one ROLE_* */
	size_t nschools;                         /* business_manager, school_system */
	uint32_t schools[IDENTITY_MAX_SCHOOLS];      /* schools.id */
};

const char *identity_role_name(unsigned role);   /* "finance_director", ... */
unsigned identity_role_parse(const char *name);  /* 0 if unknown */

/* Fill id->schools from a comma-separated list of school ids ("3,7,12", as
 * GROUP_CONCAT gives them; NULL or "" for none), at most IDENTITY_MAX_SCHOOLS. */
void identity_schools_parse(struct identity *id, const char *list);

/* Trust-wide roles see every school; the others only their own. */
int identity_school_allowed(const struct identity *id, uint32_t school_id);

#endif
