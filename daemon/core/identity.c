/* identity.c - see identity.h */
#include "identity.h"

#include <stdlib.h>
#include <string.h>

static const struct {
	unsigned role;
	const char *name;
} identity_roles[] = {
	{ ROLE_FINANCE_DIRECTOR, "finance_director" },
	{ ROLE_BUSINESS_MANAGER, "business_manager" },
	{ ROLE_SCHOOL_SYSTEM, "school_system" },
	{ ROLE_AUDITOR, "auditor" },
	{ ROLE_ADMIN, "admin" },
};

const char *identity_role_name(unsigned role)
{
	for (size_t i = 0; i < sizeof(identity_roles) / sizeof(identity_roles[0]); i++)
		if (identity_roles[i].role == role)
			return identity_roles[i].name;
	return "none";
}

unsigned identity_role_parse(const char *name)
{
	for (size_t i = 0; i < sizeof(identity_roles) / sizeof(identity_roles[0]); i++)
		if (strcmp(identity_roles[i].name, name) == 0)
			return identity_roles[i].role;
	return 0;
}

int identity_school_allowed(const struct identity *id, uint32_t school_id)
{
	if (id->role & ROLES_TRUST)
		return 1;
	if ((id->role & (ROLE_BUSINESS_MANAGER | ROLE_SCHOOL_SYSTEM)) == 0)
		return 0;
	for (size_t i = 0; i < id->nschools; i++)
		if (id->schools[i] == school_id)
			return 1;
	return 0;
}

void identity_schools_parse(struct identity *id, const char *list)
{
	id->nschools = 0;
	while (list != NULL && *list != '\0' && id->nschools < IDENTITY_MAX_SCHOOLS) {
		char *end;
		unsigned long v = strtoul(list, &end, 10);

		if (end == list)
			break;
		id->schools[id->nschools++] = (uint32_t)v;
		list = *end == ',' ? end + 1 : end;
	}
}
