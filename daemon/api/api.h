/*
 * api.h - what the api_<resource>.c handlers share: the handler declarations
 * (for routes.c), list replies with keyset paging, entity look-up by URN with the
 * role's school scope, and the audit actor of a request.
 */
#ifndef BURSAR_API_H
#define BURSAR_API_H

#include <stddef.h>
#include <stdint.h>

#include "audit.h"
#include "db.h"
#include "http.h"
#include "page.h"
#include "store.h"
#include "textenc.h"

/* Handlers (one file per resource). */
int api_healthz(struct req *r, struct problem *p);
int api_readyz(struct req *r, struct problem *p);
int api_metrics(struct req *r, struct problem *p);
int api_openapi(struct req *r, struct problem *p);
int api_schools_list(struct req *r, struct problem *p);
int api_school_get(struct req *r, struct problem *p);
int api_school_put(struct req *r, struct problem *p);
int api_school_years_list(struct req *r, struct problem *p);
int api_school_year_get(struct req *r, struct problem *p);
int api_school_year_put(struct req *r, struct problem *p);
int api_staffing_get(struct req *r, struct problem *p);          /* api_staffing.c */
int api_accounts_list(struct req *r, struct problem *p);
int api_audit_list(struct req *r, struct problem *p);
int api_tokens_list(struct req *r, struct problem *p);
int api_session_create(struct req *r, struct problem *p);
int api_session_delete(struct req *r, struct problem *p);
int api_me(struct req *r, struct problem *p);
int api_me_password(struct req *r, struct problem *p);
int api_users_list(struct req *r, struct problem *p);
int api_user_create(struct req *r, struct problem *p);
int api_user_get(struct req *r, struct problem *p);
int api_user_put(struct req *r, struct problem *p);
int api_user_password_reset(struct req *r, struct problem *p);
int api_token_create(struct req *r, struct problem *p);
int api_token_revoke(struct req *r, struct problem *p);
/* Monthly profiles (issue 17): api_profiles.c; an account's default profile and BFR line: api_accounts.c. */
int api_profiles_list(struct req *r, struct problem *p);
int api_profile_create(struct req *r, struct problem *p);
int api_profile_get(struct req *r, struct problem *p);
int api_profile_put(struct req *r, struct problem *p);
int api_profile_delete(struct req *r, struct problem *p);
int api_account_get(struct req *r, struct problem *p);
int api_account_put(struct req *r, struct problem *p);

/* The contract register (issue 3): api_suppliers.c, api_contracts.c, api_transitions.c, api_alerts.c. */
int api_suppliers_list(struct req *r, struct problem *p);
int api_supplier_create(struct req *r, struct problem *p);
int api_supplier_get(struct req *r, struct problem *p);
int api_supplier_put(struct req *r, struct problem *p);
int api_supplier_delete(struct req *r, struct problem *p);
int api_contracts_list(struct req *r, struct problem *p);
int api_contract_create(struct req *r, struct problem *p);
int api_contract_get(struct req *r, struct problem *p);
int api_contract_put(struct req *r, struct problem *p);
int api_contract_delete(struct req *r, struct problem *p);
int api_contract_compliance(struct req *r, struct problem *p);
int api_contract_compliance_check(struct req *r, struct problem *p);
int api_contract_transition(struct req *r, struct problem *p);
int api_alerts_renewals(struct req *r, struct problem *p);
/* budgets (api_budgets.c, api_budgets_flow.c) */
int api_budget_get(struct req *r, struct problem *p);
int api_budget_put(struct req *r, struct problem *p);
int api_budget_create(struct req *r, struct problem *p);    /* api_budgets_life.c */
int api_budget_delete(struct req *r, struct problem *p);
int api_budget_line_create(struct req *r, struct problem *p);
int api_budget_line_put(struct req *r, struct problem *p);
int api_budget_line_delete(struct req *r, struct problem *p);
int api_budget_transition(struct req *r, struct problem *p);
int api_budgets_trust(struct req *r, struct problem *p);
int api_plugins_list(struct req *r, struct problem *p);
/* the central services statement (issue 6): api_statement.c */
int api_central_statement(struct req *r, struct problem *p);

/* the index history (issue 15): api_indices.c */
int api_indices_list(struct req *r, struct problem *p);
int api_index_get(struct req *r, struct problem *p);
int api_index_put(struct req *r, struct problem *p);
int api_index_delete(struct req *r, struct problem *p);
/* staffing by post (issue 16): api_posts.c, api_payscales.c, api_staff_rates.c */
int api_posts_list(struct req *r, struct problem *p);
int api_post_create(struct req *r, struct problem *p);
int api_post_get(struct req *r, struct problem *p);
int api_post_put(struct req *r, struct problem *p);
int api_post_delete(struct req *r, struct problem *p);
int api_payscales_list(struct req *r, struct problem *p);
int api_payscale_create(struct req *r, struct problem *p);
int api_payscale_get(struct req *r, struct problem *p);
int api_payscale_put(struct req *r, struct problem *p);
int api_staff_rates_list(struct req *r, struct problem *p);
int api_staff_rates_get(struct req *r, struct problem *p);
int api_staff_rates_put(struct req *r, struct problem *p);
int api_lgps_get(struct req *r, struct problem *p);
int api_lgps_put(struct req *r, struct problem *p);
/* their spreadsheets: api_payscales_io.c */
int api_payscales_csv(struct req *r, struct problem *p);
int api_payscales_xlsx(struct req *r, struct problem *p);
int api_payscales_import(struct req *r, struct problem *p);
int api_posts_csv(struct req *r, struct problem *p);
int api_posts_xlsx(struct req *r, struct problem *p);
int api_posts_import(struct req *r, struct problem *p);
int api_staff_rates_csv(struct req *r, struct problem *p);
int api_staff_rates_xlsx(struct req *r, struct problem *p);
int api_staff_rates_import(struct req *r, struct problem *p);
/* forecasts (issue 7): api_scenarios.c, api_forecasts.c, api_forecasts_read.c */
int api_scenarios_list(struct req *r, struct problem *p);
int api_scenario_create(struct req *r, struct problem *p);
int api_scenario_get(struct req *r, struct problem *p);
int api_scenario_put(struct req *r, struct problem *p);
int api_scenario_delete(struct req *r, struct problem *p);
int api_forecast_create(struct req *r, struct problem *p);
int api_forecasts_list(struct req *r, struct problem *p);
int api_forecasts_compare(struct req *r, struct problem *p);
int api_forecast_get(struct req *r, struct problem *p);
/* issue 15: api_forecasts_life.c, api_forecasts_board.c (the compare: api_forecasts_compare.c) */
int api_forecast_put(struct req *r, struct problem *p);
int api_forecast_delete(struct req *r, struct problem *p);
int api_forecast_transition(struct req *r, struct problem *p);
int api_forecast_summary(struct req *r, struct problem *p);
/* the BFR (issue 17): api_bfr.c */
int api_bfr_get(struct req *r, struct problem *p);
int api_bfr_note_put(struct req *r, struct problem *p);
/* shared services (issue 4): api_services.c, api_subscriptions.c, api_allocations.c, api_feed.c, api_ocds.c */
int api_services_list(struct req *r, struct problem *p);
int api_service_create(struct req *r, struct problem *p);
int api_service_get(struct req *r, struct problem *p);
int api_service_put(struct req *r, struct problem *p);
int api_service_delete(struct req *r, struct problem *p);
int api_subscriptions_list(struct req *r, struct problem *p);
int api_subscription_create(struct req *r, struct problem *p);
int api_subscriptions_replace(struct req *r, struct problem *p);
int api_subscription_get(struct req *r, struct problem *p);
int api_subscription_put(struct req *r, struct problem *p);
int api_subscription_delete(struct req *r, struct problem *p);
int api_service_allocation(struct req *r, struct problem *p);
int api_allocations_matrix(struct req *r, struct problem *p);
int api_school_services(struct req *r, struct problem *p);
int api_school_monitoring(struct req *r, struct problem *p);
int api_trust_monitoring(struct req *r, struct problem *p);
int api_management_accounts(struct req *r, struct problem *p);
int api_outturn_put(struct req *r, struct problem *p);
int api_outturn_delete(struct req *r, struct problem *p);
int api_comment_put(struct req *r, struct problem *p);
int api_comment_delete(struct req *r, struct problem *p);
int api_ocds_release_package(struct req *r, struct problem *p);
/* the ledger, actuals and periods (issue 17): api_ledger.c, api_actuals.c, api_periods.c */
int api_school_actuals_get(struct req *r, struct problem *p);
int api_ledger_cost_centres_list(struct req *r, struct problem *p);
int api_ledger_cost_centre_create(struct req *r, struct problem *p);
int api_ledger_cost_centre_get(struct req *r, struct problem *p);
int api_ledger_cost_centre_put(struct req *r, struct problem *p);
int api_ledger_cost_centre_delete(struct req *r, struct problem *p);
int api_ledger_nominals_list(struct req *r, struct problem *p);
int api_ledger_nominal_create(struct req *r, struct problem *p);
int api_ledger_nominal_get(struct req *r, struct problem *p);
int api_ledger_nominal_put(struct req *r, struct problem *p);
int api_ledger_nominal_delete(struct req *r, struct problem *p);
int api_actuals_import(struct req *r, struct problem *p);
int api_actual_imports_list(struct req *r, struct problem *p);
int api_periods_list(struct req *r, struct problem *p);
int api_period_close(struct req *r, struct problem *p);
int api_period_reopen(struct req *r, struct problem *p);

/*
 * Run a write transaction for a request: db_txn, plus the request's
 * Idempotency-Key (POST) claimed inside the same transaction, so a replay
 * returns the first response and a key reused with another body is 422. Every
 * handler that writes uses this rather than db_txn. With a key, the transaction
 * stays open until the reply, which is stored in it and committed with the
 * write before it is sent (api/idem.h): after api_txn, reply; do not begin
 * another transaction in the same request.
 */
int api_txn(struct req *r, db_txn_fn fn, void *arg, struct problem *p)
	__attribute__((warn_unused_result));

/* The request's actor for audit rows. */
struct audit_actor api_actor(const struct req *r);

/* Whose request (store.h): the token that sent it, else the person signed in (who has none). */
struct store_owner api_owner(const struct req *r);

/* The schools a list is limited to for the caller (store.h): a business manager's or a school
 * system's own, whether by token or signed in; every school for a trust-wide role. */
struct store_scope api_scope(const struct req *r);

/* A row as JSON (db_row_to_json or a resource's own). */
typedef cJSON *(*api_row_fn)(const struct db_rows *rows, size_t i);

/* A row as JSON with the caller's context (a request's rates, year, scope). */
typedef cJSON *(*api_row_arg_fn)(const struct db_rows *rows, size_t i, void *arg);

/*
 * Reply {"items": rows[0..n) through fn (db_row_to_json when NULL), "next": next
 * or null}, with a Link: rel="next" header when there is a next page and an ETag
 * over the body (304 on If-None-Match). Rows stay the caller's.
 */
int api_reply_items(struct req *r, const struct db_rows *rows, size_t n, api_row_fn fn,
		    const char *next, struct problem *p) __attribute__((warn_unused_result));

/*
 * Reply a page of a list whose rows came from store_list: {"items": [...],
 * "next": cursor|null}, each row through fn (db_row_to_json when NULL), with a
 * Link: rel="next" header and an ETag over the body (304 on a match). The one
 * list reply every list uses. Rows stay the caller's.
 */
int api_reply_page(struct req *r, const struct db_rows *rows, const struct page *pg, api_row_fn fn,
		   struct problem *p) __attribute__((warn_unused_result));

/* rows[0..n) through fn as a JSON array; NULL when out of memory (logged). */
cJSON *api_rows_json(const struct db_rows *rows, size_t n, api_row_arg_fn fn, void *arg);

/* A list's body: into body (NULL: a new object; the caller's members come first)
 * "items" (taken, even on failure) and "next" (a cursor or null), with the Link:
 * rel="next" header when there is one. body, or NULL when out of memory (body freed). */
cJSON *api_list_body(struct req *r, cJSON *body, cJSON *items, const char *next);

/* api_reply_items and api_reply_page with a row function given arg. */
int api_reply_rows(struct req *r, const struct db_rows *rows, size_t n, api_row_arg_fn fn, void *arg,
		   const char *next, struct problem *p) __attribute__((warn_unused_result));
int api_reply_page_with(struct req *r, const struct db_rows *rows, const struct page *pg, api_row_arg_fn fn,
			void *arg, struct problem *p) __attribute__((warn_unused_result));

/*
 * The one versioned reply: image (a resource as the store renders it, with its
 * "version") with a strong ETag of that version; for a creation (201) a Location
 * header (location: the new resource's path; NULL for none); for a read (GET,
 * HEAD) a 304 when If-None-Match has that ETag.
 */
int api_reply_versioned(struct req *r, int status, cJSON *image, const char *location);

/* The Link header value for the next page: this path and query with
 * after=cursor. Caller frees; NULL when out of memory. */
char *api_next_link(const struct req *r, const char *cursor);

/* Parse limit/after/updated_since and reject other query parameters except
 * those in also (NULL-terminated, may be NULL). */
int api_page_query(struct req *r, const char *const *also, struct page *pg, struct problem *p)
	__attribute__((warn_unused_result));

/*
 * The entity (school or central team) for a {urn} path parameter: checks the
 * form (400 if not six digits or "central"), existence (404) and the caller's
 * school scope (403). Sets *school_id. Resolved through the worker's map
 * (schoolmap.h): no database round trip for a known URN.
 */
int api_school_lookup(struct req *r, const char *urn, uint32_t *school_id, struct problem *p)
	__attribute__((warn_unused_result));

#define API_ID_MAX INT64_C(9007199254740991)     /* 2^53 - 1: what JSON carries exactly */

/*
 * The one id parser: the path parameter name (an id in 1..API_ID_MAX, digits only,
 * no sign or leading zero) into *id; otherwise 400 naming "path:<name>" and what
 * ("must be a supplier id (a positive integer)").
 */
int api_path_id(struct req *r, const char *name, const char *what, int64_t *id, struct problem *p)
	__attribute__((warn_unused_result));
/* The same for a text that is not a path parameter (a query value); field names it. */
int api_parse_id(const char *s, const char *field, const char *what, int64_t *id, struct problem *p)
	__attribute__((warn_unused_result));
/* The same for the query parameter name (absent is invalid too), as a field error
 * "query:<name>" only: the caller ends validation (422 with the other fields'). */
int api_query_id(struct req *r, const char *name, const char *what, int64_t *id, struct problem *p);

/*
 * The entity with this URN, through the worker's map (schoolmap.h): 1 found
 * (*id; *is_school, when not NULL, 0 for the central team), 0 none, -1 with the
 * problem set. No checks of form or scope: for URNs in request bodies.
 */
int api_school_find(struct req *r, const char *urn, int64_t *id, int *is_school, struct problem *p)
	__attribute__((warn_unused_result));

/*
 * Whether the caller may see a finance-rule plugin's setting key: any but a
 * per-school setting (`<setting>_<URN>`, as etc/bursard.conf.example writes them)
 * of a school outside a business manager's. 1 yes, 0 no, -1 with the problem set
 * (the database failed). GET /plugins and a forecast run's plugins both use it.
 */
int api_setting_visible(struct req *r, const char *key, struct problem *p) __attribute__((warn_unused_result));

/* 400 unless s is a URN (six digits) or "central". */
int api_urn_valid(const char *s);

/* "Today", for everyone: the pinned clock.today of the configuration, or the real
 * UTC date. */
int32_t api_today(const struct req *r);

/*
 * Representations with derived fields (a contract, a service, an allocation)
 * carry the ETag "<version>-h<hash of the representation>": If-None-Match
 * compares all of it, If-Match only the version (what a client edits).
 *
 * api_if_match: the version an update expects, from If-Match with such an ETag
 * or a plain "<version>"; 428 when missing, 412 when it is not one of ours.
 */
int api_if_match(const struct req *r, int64_t *version, struct problem *p) __attribute__((warn_unused_result));

/*
 * Reply with body (borrowed) and its ETag: "<version>-h<hash>" when version > 0,
 * else the hash alone. A 200 honours If-None-Match (304). 0, or -1 when out of
 * memory (problem set).
 */
int api_reply_derived(struct req *r, int status, cJSON *body, int64_t version, struct problem *p)
	__attribute__((warn_unused_result));

/* The academic year from the `year` query parameter (422 when malformed), or the
 * one today falls in. */
int api_year_query(struct req *r, int *year, struct problem *p) __attribute__((warn_unused_result));

/* Reply {"items": items, "next": next|null} with a Link: rel="next" header when
 * there is a next page and an ETag over the body (304 on If-None-Match); takes
 * ownership of items. The one list reply: api_reply_items, api_reply_page and
 * lists that are not rows (the plugins) end here. */
int api_reply_list(struct req *r, cJSON *items, const char *next, struct problem *p)
	__attribute__((warn_unused_result));

/*
 * The budget a .../schools/{urn}/budgets/{year} path names (the budget handlers'):
 * {year} an academic year (400), {urn} with the caller's school scope (as
 * api_school_lookup), and the entity's kind and finance model (store_budget_owner).
 */
struct store_budget_ref;
int api_budget_ref(struct req *r, struct store_budget_ref *ref, struct problem *p)
	__attribute__((warn_unused_result));
/* The If-Match every budget write but a PUT needs: 428 without it, naming the one
 * ETag that covers a budget and its lines (http_if_match_as): "<version>-h<hash>"
 * as a GET gives it (budget_view.h) or a plain "<version>"; the version is compared. */
int api_budget_if_match(struct req *r, int64_t *want, struct problem *p) __attribute__((warn_unused_result));

/* One CSV text cell appended to b, quoted as flags says and never a formula
 * (csvcell_write: every CSV writer's text cells go through it). */
struct evbuffer;
void api_csv_cell(struct evbuffer *b, const char *s, unsigned flags);

/*
 * A spreadsheet import's body (pay scales, staff rates): its kind from Content-Type,
 * text/csv (optional charset, one of textenc_label's, and header=present: *charset,
 * TEXTENC_NONE when none) or the XLSX type; anything else is 415 naming what ("the
 * pay scales"). *buf and *n: the bytes whole, within http.max_csv_body_bytes (413). 0, or -1.
 */
enum api_sheet { API_SHEET_CSV, API_SHEET_XLSX };
int api_sheet_body(struct req *r, const char *what, enum api_sheet *kind, enum textenc *charset, const char **buf,
		   size_t *n, struct problem *p) __attribute__((warn_unused_result));

#endif
