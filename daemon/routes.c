/* routes.c - the API's route table: every route the daemon serves, the
 * handler, and the roles allowed. daemon/openapi.json describes each one (a test
 * checks that). */
#include "api.h"
#include "auth.h"
#include "router.h"
#include "server.h"

#define R_READ_SCHOOLS (ROLE_FINANCE_DIRECTOR | ROLE_AUDITOR | ROLE_BUSINESS_MANAGER | ROLE_SCHOOL_SYSTEM)

const struct route api_routes[] = {
	{ HM_GET, "/healthz", api_healthz, 0 },
	{ HM_GET, "/readyz", api_readyz, 0 },
	{ HM_GET, "/metrics", api_metrics, 0 },
	{ HM_GET, "/openapi.json", api_openapi, 0 },
	{ HM_GET, "/api/v1/schools", api_schools_list, R_READ_SCHOOLS },
	{ HM_GET, "/api/v1/schools/{urn}", api_school_get, R_READ_SCHOOLS },
	{ HM_PUT, "/api/v1/schools/{urn}", api_school_put, ROLE_FINANCE_DIRECTOR },
	{ HM_GET, "/api/v1/schools/{urn}/years", api_school_years_list, ROLES_TRUST | ROLE_BUSINESS_MANAGER },
	{ HM_GET, "/api/v1/schools/{urn}/years/{year}", api_school_year_get, ROLES_TRUST | ROLE_BUSINESS_MANAGER },
	{ HM_PUT, "/api/v1/schools/{urn}/years/{year}", api_school_year_put, ROLE_FINANCE_DIRECTOR },
	{ HM_GET, "/api/v1/accounts", api_accounts_list, ROLES_TRUST | ROLE_BUSINESS_MANAGER },
	{ HM_GET, "/api/v1/audit", api_audit_list, ROLES_TRUST },
	{ HM_GET, "/api/v1/tokens", api_tokens_list, ROLE_ADMIN },
	{ HM_POST, "/api/v1/tokens", api_token_create, ROLE_ADMIN },
	{ HM_POST, "/api/v1/tokens/{id}/revoke", api_token_revoke, ROLE_ADMIN },
};

const size_t api_nroutes = sizeof(api_routes) / sizeof(api_routes[0]);
