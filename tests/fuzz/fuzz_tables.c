/*
 * fuzz_tables.c - built once per handler file (-DFUZZ_T=k, see the Makefile):
 * includes that file and exports its body tables as fuzz_tables_<k> (see
 * fuzz_tables.h). FUZZ_T=0 includes api.c for the helpers the tables' checks call.
 * A table added to a handler belongs in the list here.
 */
#if FUZZ_T == 0
#include "api.c"
#elif FUZZ_T == 1
#include "api_schools.c"
#define FUZZ_LIST X(api_schools.c, school_fields, SF__N) X(api_schools.c, year_fields, YF__N)
#elif FUZZ_T == 2
#include "api_suppliers.c"
#define FUZZ_LIST X(api_suppliers.c, supplier_fields, SF__N)
#elif FUZZ_T == 3
#include "api_budgets.c"
#define FUZZ_LIST X(api_budgets.c, budget_fields, BF__N) X(api_budgets.c, line_fields, LF__N) \
	X(api_budgets.c, line_fields_one, LF__N)
#elif FUZZ_T == 4
#include "api_budgets_flow.c"
#define FUZZ_LIST X(api_budgets_flow.c, flow_fields, TF__N)
#elif FUZZ_T == 5
#include "api_forecasts.c"
#define FUZZ_LIST X(api_forecasts.c, forecast_fields, FF__N)
#elif FUZZ_T == 6
#include "api_scenarios.c"
#define FUZZ_LIST X(api_scenarios.c, scenario_body_fields, SF__N)
#elif FUZZ_T == 7
#include "api_services.c"
#define FUZZ_LIST X(api_services.c, service_fields, SF__N)
#elif FUZZ_T == 8
#include "api_subscriptions.c"
#define FUZZ_LIST X(api_subscriptions.c, sub_fields, BF__N) X(api_subscriptions.c, sub_set_fields, BF__N)
#elif FUZZ_T == 9
#include "api_tokens.c"
#define FUZZ_LIST X(api_tokens.c, token_fields, TF__N)
#elif FUZZ_T == 10
#include "api_transitions.c"
#define FUZZ_LIST X(api_transitions.c, transition_fields, TF__N)
#elif FUZZ_T == 11
#include "api_users.c"
#define FUZZ_LIST X(api_users.c, user_fields, UF__N) X(api_users.c, me_password_fields, MP__N)
#elif FUZZ_T == 12
#include "api_session.c"
#define FUZZ_LIST X(api_session.c, signin_fields, SF__N)
#endif

#if FUZZ_T > 0
#include "fuzz_tables.h"

#define FUZZ_CAT2(a, b) a##b
#define FUZZ_CAT(a, b) FUZZ_CAT2(a, b)
#define X(file, t, n) { #file " " #t, t, n },
const struct fuzz_table FUZZ_CAT(fuzz_tables_, FUZZ_T)[] = { FUZZ_LIST { NULL, NULL, 0 } };
#endif
