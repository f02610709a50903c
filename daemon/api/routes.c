/* routes.c - the API's route table: every route the daemon serves, the
 * handler, and the roles allowed. daemon/openapi.json describes each one (a test
 * checks that). */
#include <pthread.h>

#include "api.h"
#include "auth.h"
#include "router.h"
#include "routes.h"
#include "worker.h"

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
	{ HM_GET, "/api/v1/accounts/{code}", api_account_get, ROLES_TRUST | ROLE_BUSINESS_MANAGER },
	{ HM_PUT, "/api/v1/accounts/{code}", api_account_put, ROLE_FINANCE_DIRECTOR },
	/* monthly profiles (issue 17): what splits a budget line into its months */
	{ HM_GET, "/api/v1/profiles", api_profiles_list, ROLES_TRUST | ROLE_BUSINESS_MANAGER },
	{ HM_POST, "/api/v1/profiles", api_profile_create, ROLE_FINANCE_DIRECTOR },
	{ HM_GET, "/api/v1/profiles/{name}", api_profile_get, ROLES_TRUST | ROLE_BUSINESS_MANAGER },
	{ HM_PUT, "/api/v1/profiles/{name}", api_profile_put, ROLE_FINANCE_DIRECTOR },
	{ HM_DELETE, "/api/v1/profiles/{name}", api_profile_delete, ROLE_FINANCE_DIRECTOR },
	{ HM_GET, "/api/v1/audit", api_audit_list, ROLES_TRUST },
	/* people (issue 13): signing in and out, who is asking, accounts */
	{ HM_POST, "/api/v1/session", api_session_create, 0 },
	{ HM_DELETE, "/api/v1/session", api_session_delete, ROLES_ALL },
	{ HM_GET, "/api/v1/me", api_me, ROLES_ALL },
	{ HM_PUT, "/api/v1/me/password", api_me_password, ROLES_ALL },
	{ HM_GET, "/api/v1/users", api_users_list, ROLES_TRUST | ROLE_ADMIN },
	{ HM_POST, "/api/v1/users", api_user_create, ROLE_ADMIN },
	{ HM_GET, "/api/v1/users/{id}", api_user_get, ROLES_TRUST | ROLE_ADMIN },
	{ HM_PUT, "/api/v1/users/{id}", api_user_put, ROLE_ADMIN },
	{ HM_POST, "/api/v1/users/{id}/password", api_user_password_reset, ROLE_ADMIN },
	{ HM_GET, "/api/v1/tokens", api_tokens_list, ROLE_ADMIN | ROLES_TRUST },
	{ HM_POST, "/api/v1/tokens", api_token_create, ROLE_ADMIN },
	{ HM_POST, "/api/v1/tokens/{id}/revoke", api_token_revoke, ROLE_ADMIN },
	/* the contract register (issue 3): the finance director writes; business managers read
	 * trust-wide contracts and their own schools'; school systems nothing here */
	{ HM_GET, "/api/v1/suppliers", api_suppliers_list, ROLES_TRUST | ROLE_BUSINESS_MANAGER },
	{ HM_POST, "/api/v1/suppliers", api_supplier_create, ROLE_FINANCE_DIRECTOR },
	{ HM_GET, "/api/v1/suppliers/{id}", api_supplier_get, ROLES_TRUST | ROLE_BUSINESS_MANAGER },
	{ HM_PUT, "/api/v1/suppliers/{id}", api_supplier_put, ROLE_FINANCE_DIRECTOR },
	{ HM_DELETE, "/api/v1/suppliers/{id}", api_supplier_delete, ROLE_FINANCE_DIRECTOR },
	{ HM_GET, "/api/v1/contracts", api_contracts_list, ROLES_TRUST | ROLE_BUSINESS_MANAGER },
	{ HM_POST, "/api/v1/contracts", api_contract_create, ROLE_FINANCE_DIRECTOR },
	{ HM_POST, "/api/v1/contracts/compliance-check", api_contract_compliance_check, ROLES_TRUST | ROLE_BUSINESS_MANAGER },
	{ HM_GET, "/api/v1/contracts/{id}", api_contract_get, ROLES_TRUST | ROLE_BUSINESS_MANAGER },
	{ HM_PUT, "/api/v1/contracts/{id}", api_contract_put, ROLE_FINANCE_DIRECTOR },
	{ HM_DELETE, "/api/v1/contracts/{id}", api_contract_delete, ROLE_FINANCE_DIRECTOR },
	{ HM_GET, "/api/v1/contracts/{id}/compliance", api_contract_compliance, ROLES_TRUST | ROLE_BUSINESS_MANAGER },
	{ HM_POST, "/api/v1/contracts/{id}/transitions", api_contract_transition, ROLE_FINANCE_DIRECTOR },
	{ HM_GET, "/api/v1/alerts/renewals", api_alerts_renewals, ROLES_TRUST | ROLE_BUSINESS_MANAGER },
	/* the index history (issue 15): the finance director keeps it; contracts are priced with it */
	{ HM_GET, "/api/v1/indices", api_indices_list, ROLES_TRUST | ROLE_BUSINESS_MANAGER },
	{ HM_GET, "/api/v1/indices/{name}", api_index_get, ROLES_TRUST | ROLE_BUSINESS_MANAGER },
	{ HM_PUT, "/api/v1/indices/{name}", api_index_put, ROLE_FINANCE_DIRECTOR },
	{ HM_DELETE, "/api/v1/indices/{name}", api_index_delete, ROLE_FINANCE_DIRECTOR },
	/* staffing by post (issue 16): posts name their holders, so only the finance director, the
	 * auditor (reading) and the school's business managers see them; scales and rates every
	 * finance role reads and the finance director writes */
	{ HM_GET, "/api/v1/schools/{urn}/posts", api_posts_list, ROLES_TRUST | ROLE_BUSINESS_MANAGER },
	{ HM_POST, "/api/v1/schools/{urn}/posts", api_post_create, ROLE_FINANCE_DIRECTOR | ROLE_BUSINESS_MANAGER },
	{ HM_GET, "/api/v1/schools/{urn}/posts.csv", api_posts_csv, ROLES_TRUST | ROLE_BUSINESS_MANAGER },
	{ HM_GET, "/api/v1/schools/{urn}/posts.xlsx", api_posts_xlsx, ROLES_TRUST | ROLE_BUSINESS_MANAGER },
	{ HM_POST, "/api/v1/schools/{urn}/posts/import", api_posts_import,
	  ROLE_FINANCE_DIRECTOR | ROLE_BUSINESS_MANAGER | ROUTE_LARGE_BODY },
	{ HM_GET, "/api/v1/schools/{urn}/posts/{id}", api_post_get, ROLES_TRUST | ROLE_BUSINESS_MANAGER },
	{ HM_PUT, "/api/v1/schools/{urn}/posts/{id}", api_post_put, ROLE_FINANCE_DIRECTOR | ROLE_BUSINESS_MANAGER },
	{ HM_DELETE, "/api/v1/schools/{urn}/posts/{id}", api_post_delete, ROLE_FINANCE_DIRECTOR | ROLE_BUSINESS_MANAGER },
	{ HM_GET, "/api/v1/pay-scales", api_payscales_list, ROLES_TRUST | ROLE_BUSINESS_MANAGER },
	{ HM_GET, "/api/v1/pay-scales.csv", api_payscales_csv, ROLES_TRUST | ROLE_BUSINESS_MANAGER },
	{ HM_GET, "/api/v1/pay-scales.xlsx", api_payscales_xlsx, ROLES_TRUST | ROLE_BUSINESS_MANAGER },
	{ HM_POST, "/api/v1/pay-scales/import", api_payscales_import, ROLE_FINANCE_DIRECTOR | ROUTE_LARGE_BODY },
	{ HM_POST, "/api/v1/pay-scales", api_payscale_create, ROLE_FINANCE_DIRECTOR },
	{ HM_GET, "/api/v1/pay-scales/{name}", api_payscale_get, ROLES_TRUST | ROLE_BUSINESS_MANAGER },
	{ HM_PUT, "/api/v1/pay-scales/{name}", api_payscale_put, ROLE_FINANCE_DIRECTOR },
	{ HM_GET, "/api/v1/staff-rates", api_staff_rates_list, ROLES_TRUST | ROLE_BUSINESS_MANAGER },
	{ HM_GET, "/api/v1/staff-rates.csv", api_staff_rates_csv, ROLES_TRUST | ROLE_BUSINESS_MANAGER },
	{ HM_GET, "/api/v1/staff-rates.xlsx", api_staff_rates_xlsx, ROLES_TRUST | ROLE_BUSINESS_MANAGER },
	{ HM_POST, "/api/v1/staff-rates/import", api_staff_rates_import, ROLE_FINANCE_DIRECTOR | ROUTE_LARGE_BODY },
	{ HM_GET, "/api/v1/staff-rates/{tax_year}", api_staff_rates_get, ROLES_TRUST | ROLE_BUSINESS_MANAGER },
	{ HM_PUT, "/api/v1/staff-rates/{tax_year}", api_staff_rates_put, ROLE_FINANCE_DIRECTOR },
	{ HM_GET, "/api/v1/schools/{urn}/lgps-rates", api_lgps_get, ROLES_TRUST | ROLE_BUSINESS_MANAGER },
	{ HM_PUT, "/api/v1/schools/{urn}/lgps-rates", api_lgps_put, ROLE_FINANCE_DIRECTOR },
	/* finance-rule plugins (issue 6): the loaded ones, read-only */
	{ HM_GET, "/api/v1/plugins", api_plugins_list, ROLES_TRUST | ROLE_BUSINESS_MANAGER },
	/* budgets (issue 5): GET also as text/csv; PUT takes application/json or text/csv */
	{ HM_GET, "/api/v1/schools/{urn}/staffing", api_staffing_get, ROLES_TRUST | ROLE_BUSINESS_MANAGER },
	{ HM_GET, "/api/v1/schools/{urn}/budgets/{year}", api_budget_get, R_READ_SCHOOLS },
	{ HM_PUT, "/api/v1/schools/{urn}/budgets/{year}", api_budget_put,
	  ROLE_FINANCE_DIRECTOR | ROLE_BUSINESS_MANAGER | ROUTE_LARGE_BODY },
	/* issue 14: start a year from another year's budget or a forecast run; delete a draft made by mistake */
	{ HM_POST, "/api/v1/schools/{urn}/budgets/{year}", api_budget_create, ROLE_FINANCE_DIRECTOR | ROLE_BUSINESS_MANAGER },
	{ HM_DELETE, "/api/v1/schools/{urn}/budgets/{year}", api_budget_delete, ROLE_FINANCE_DIRECTOR | ROLE_BUSINESS_MANAGER },
	{ HM_POST, "/api/v1/schools/{urn}/budgets/{year}/lines", api_budget_line_create, ROLE_FINANCE_DIRECTOR | ROLE_BUSINESS_MANAGER },
	{ HM_PUT, "/api/v1/schools/{urn}/budgets/{year}/lines/{id}", api_budget_line_put, ROLE_FINANCE_DIRECTOR | ROLE_BUSINESS_MANAGER },
	{ HM_DELETE, "/api/v1/schools/{urn}/budgets/{year}/lines/{id}", api_budget_line_delete, ROLE_FINANCE_DIRECTOR | ROLE_BUSINESS_MANAGER },
	{ HM_POST, "/api/v1/schools/{urn}/budgets/{year}/transitions", api_budget_transition, ROLE_FINANCE_DIRECTOR | ROLE_BUSINESS_MANAGER },
	{ HM_GET, "/api/v1/budgets/{year}", api_budgets_trust, ROLES_TRUST },
	/* the central services statement (issue 6): finance director and auditor; a business manager
	 * her own schools' part (issue 14) */
	{ HM_GET, "/api/v1/central-services-statement", api_central_statement, ROLES_TRUST | ROLE_BUSINESS_MANAGER },
	/* forecasts (issue 7): scenarios and runs; the finance director writes and runs, auditors
	 * read; business managers read the runs of their own schools (filtered) */
	{ HM_GET, "/api/v1/scenarios", api_scenarios_list, ROLES_TRUST },
	{ HM_POST, "/api/v1/scenarios", api_scenario_create, ROLE_FINANCE_DIRECTOR },
	{ HM_GET, "/api/v1/scenarios/{id}", api_scenario_get, ROLES_TRUST },
	{ HM_PUT, "/api/v1/scenarios/{id}", api_scenario_put, ROLE_FINANCE_DIRECTOR },
	{ HM_DELETE, "/api/v1/scenarios/{id}", api_scenario_delete, ROLE_FINANCE_DIRECTOR },
	{ HM_POST, "/api/v1/forecasts", api_forecast_create, ROLE_FINANCE_DIRECTOR },
	{ HM_GET, "/api/v1/forecasts", api_forecasts_list, ROLES_TRUST | ROLE_BUSINESS_MANAGER },
	{ HM_GET, "/api/v1/forecasts/compare", api_forecasts_compare, ROLES_TRUST | ROLE_BUSINESS_MANAGER },
	{ HM_GET, "/api/v1/forecasts/{id}", api_forecast_get, ROLES_TRUST | ROLE_BUSINESS_MANAGER },
	/* issue 15: a run's label and notes, publishing, deleting a draft; its summary for a board */
	{ HM_PUT, "/api/v1/forecasts/{id}", api_forecast_put, ROLE_FINANCE_DIRECTOR },
	{ HM_DELETE, "/api/v1/forecasts/{id}", api_forecast_delete, ROLE_FINANCE_DIRECTOR },
	{ HM_POST, "/api/v1/forecasts/{id}/transitions", api_forecast_transition, ROLE_FINANCE_DIRECTOR },
	{ HM_GET, "/api/v1/forecasts/{id}/summary", api_forecast_summary, ROLES_TRUST | ROLE_BUSINESS_MANAGER },
	{ HM_GET, "/api/v1/bfr/{year}", api_bfr_get, ROLES_TRUST },
	{ HM_PUT, "/api/v1/bfr/{year}/notes/{scope}", api_bfr_note_put, ROLE_FINANCE_DIRECTOR },
	/* shared services (issue 4): the finance director writes; business managers read the catalogue
	 * and their own schools' subscriptions and shares; a school system reads its own school's feed
	 * and subscriptions; the OCDS export is open data for every finance role */
	{ HM_GET, "/api/v1/services", api_services_list, ROLES_TRUST | ROLE_BUSINESS_MANAGER },
	{ HM_POST, "/api/v1/services", api_service_create, ROLE_FINANCE_DIRECTOR },
	{ HM_GET, "/api/v1/services/{id}", api_service_get, ROLES_TRUST | ROLE_BUSINESS_MANAGER },
	{ HM_PUT, "/api/v1/services/{id}", api_service_put, ROLE_FINANCE_DIRECTOR },
	{ HM_DELETE, "/api/v1/services/{id}", api_service_delete, ROLE_FINANCE_DIRECTOR },
	{ HM_GET, "/api/v1/services/{id}/subscriptions", api_subscriptions_list, R_READ_SCHOOLS },
	{ HM_POST, "/api/v1/services/{id}/subscriptions", api_subscription_create, ROLE_FINANCE_DIRECTOR },
	{ HM_PUT, "/api/v1/services/{id}/subscriptions", api_subscriptions_replace, ROLE_FINANCE_DIRECTOR },
	{ HM_GET, "/api/v1/services/{id}/subscriptions/{sid}", api_subscription_get, R_READ_SCHOOLS },
	{ HM_PUT, "/api/v1/services/{id}/subscriptions/{sid}", api_subscription_put, ROLE_FINANCE_DIRECTOR },
	{ HM_DELETE, "/api/v1/services/{id}/subscriptions/{sid}", api_subscription_delete, ROLE_FINANCE_DIRECTOR },
	{ HM_GET, "/api/v1/services/{id}/allocation", api_service_allocation, ROLES_TRUST | ROLE_BUSINESS_MANAGER },
	{ HM_GET, "/api/v1/allocations", api_allocations_matrix, ROLES_TRUST },
	{ HM_GET, "/api/v1/schools/{urn}/services", api_school_services, R_READ_SCHOOLS },
	{ HM_GET, "/api/v1/schools/{urn}/monitoring", api_school_monitoring, ROLES_TRUST | ROLE_BUSINESS_MANAGER },
	{ HM_GET, "/api/v1/monitoring", api_trust_monitoring, ROLES_TRUST },
	{ HM_GET, "/api/v1/management-accounts", api_management_accounts, ROLES_TRUST | ROLE_BUSINESS_MANAGER },
	{ HM_PUT, "/api/v1/schools/{urn}/outturns/{year}/{code}", api_outturn_put, ROLE_FINANCE_DIRECTOR | ROLE_BUSINESS_MANAGER },
	{ HM_DELETE, "/api/v1/schools/{urn}/outturns/{year}/{code}", api_outturn_delete, ROLE_FINANCE_DIRECTOR | ROLE_BUSINESS_MANAGER },
	{ HM_PUT, "/api/v1/schools/{urn}/comments/{month}/{code}", api_comment_put, ROLE_FINANCE_DIRECTOR | ROLE_BUSINESS_MANAGER },
	{ HM_DELETE, "/api/v1/schools/{urn}/comments/{month}/{code}", api_comment_delete, ROLE_FINANCE_DIRECTOR | ROLE_BUSINESS_MANAGER },
	{ HM_GET, "/api/v1/ocds/release-package", api_ocds_release_package, R_READ_SCHOOLS },
	/* the ledger, actuals and periods (issue 17): the finance director writes; trust roles read;
	 * a business manager her schools' actuals and the periods; school systems nothing */
	{ HM_GET, "/api/v1/schools/{urn}/actuals", api_school_actuals_get, ROLES_TRUST | ROLE_BUSINESS_MANAGER },
	{ HM_GET, "/api/v1/ledger/cost-centres", api_ledger_cost_centres_list, ROLES_TRUST },
	{ HM_POST, "/api/v1/ledger/cost-centres", api_ledger_cost_centre_create, ROLE_FINANCE_DIRECTOR },
	{ HM_GET, "/api/v1/ledger/cost-centres/{code}", api_ledger_cost_centre_get, ROLES_TRUST },
	{ HM_PUT, "/api/v1/ledger/cost-centres/{code}", api_ledger_cost_centre_put, ROLE_FINANCE_DIRECTOR },
	{ HM_DELETE, "/api/v1/ledger/cost-centres/{code}", api_ledger_cost_centre_delete, ROLE_FINANCE_DIRECTOR },
	{ HM_GET, "/api/v1/ledger/nominals", api_ledger_nominals_list, ROLES_TRUST },
	{ HM_POST, "/api/v1/ledger/nominals", api_ledger_nominal_create, ROLE_FINANCE_DIRECTOR },
	{ HM_GET, "/api/v1/ledger/nominals/{code}", api_ledger_nominal_get, ROLES_TRUST },
	{ HM_PUT, "/api/v1/ledger/nominals/{code}", api_ledger_nominal_put, ROLE_FINANCE_DIRECTOR },
	{ HM_DELETE, "/api/v1/ledger/nominals/{code}", api_ledger_nominal_delete, ROLE_FINANCE_DIRECTOR },
	{ HM_POST, "/api/v1/actuals/import", api_actuals_import, ROLE_FINANCE_DIRECTOR | ROUTE_LARGE_BODY },
	{ HM_GET, "/api/v1/actuals/imports", api_actual_imports_list, ROLES_TRUST },
	{ HM_GET, "/api/v1/periods", api_periods_list, ROLES_TRUST | ROLE_BUSINESS_MANAGER },
	{ HM_POST, "/api/v1/periods/{month}/close", api_period_close, ROLE_FINANCE_DIRECTOR },
	{ HM_POST, "/api/v1/periods/{month}/reopen", api_period_reopen, ROLE_FINANCE_DIRECTOR },
};

const size_t api_nroutes = sizeof(api_routes) / sizeof(api_routes[0]);

static pthread_once_t api_router_once = PTHREAD_ONCE_INIT;
static struct router *api_router;   /* for the life of the process; NULL: router_match */

static void api_router_build(void)
{
	api_router = router_new(api_routes, api_nroutes);
}

int api_route(unsigned method, const char *path, struct route_match *m)
{
	pthread_once(&api_router_once, api_router_build);
	return api_router != NULL ? router_find(api_router, method, path, m)
				  : router_match(api_routes, api_nroutes, method, path, m);
}
