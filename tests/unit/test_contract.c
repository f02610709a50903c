/* test_contract.c - unit tests for daemon/core/contract.c (a contract body's
 * validation, the stored extension options, the procurement check as JSON) and
 * daemon/core/contract_flow.c (the workflow: every move there is, every one
 * refused, the compliance gate with its exceptions, the board approval, the
 * approved terms). Every expected value is worked out by hand in the test. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "contract.h"
#include "contract_flow.h"
#include "date.h"
#include "identity.h"

static int32_t D(const char *s)
{
	int32_t d = 0;

	if (date_parse(s, &d) != 0)
		fail_msg("bad date %s", s);
	return d;
}

/* The first error's message for a field, or NULL. */
static const char *field_error(const struct problem *p, const char *field)
{
	for (size_t i = 0; i < p->nerrors; i++)
		if (strcmp(p->errors[i].field, field) == 0)
			return p->errors[i].message;
	return NULL;
}

/* ---- the workflow ---- */

static const char *const statuses[] = { "draft", "awaiting_approval", "active", "expired", "terminated" };

/* A check result: compliant or not, with an approver and a value. */
static struct procure_result check(int compliant, const char *approver, int64_t pence)
{
	struct procure_result r;

	memset(&r, 0, sizeof(r));
	r.compliant = r.route_ok = r.evidence_ok = compliant;
	r.approver = approver;
	r.value.pence = pence;
	if (!compliant) {
		r.nmissing = 2;
		snprintf(r.missing[0].code, sizeof(r.missing[0].code), "quotes");
		snprintf(r.missing[0].message, sizeof(r.missing[0].message), "three written quotations");
		snprintf(r.missing[1].code, sizeof(r.missing[1].code), "conflicts_checked_on");
		snprintf(r.missing[1].message, sizeof(r.missing[1].message), "a conflicts-of-interest check");
	}
	return r;
}

static int move(const char *from, const char *to, const char *reason, const char *minute, const char *exception,
		const struct procure_result *chk, int32_t start, struct contract_outcome *out, struct problem *p)
{
	struct contract_subject c = { "CAT-2026", from, start };
	struct contract_move m = { .to = to, .reason = reason, .minute = minute, .exception = exception };

	memset(p, 0, sizeof(*p));
	return contract_flow_move(&c, &m, ROLE_FINANCE_DIRECTOR, chk, D("2026-09-01"), out, p);
}

static void test_every_allowed_move(void **state)
{
	struct procure_result ok = check(1, "finance_director", 2500000);
	struct contract_outcome out;
	struct problem p;

	(void)state;
	assert_int_equal(move("draft", "awaiting_approval", NULL, NULL, NULL, NULL, D("2026-10-01"), &out, &p), 0);
	assert_string_equal(out.status, "awaiting_approval");
	assert_null(out.level);
	assert_int_equal(move("awaiting_approval", "draft", NULL, NULL, NULL, NULL, D("2026-10-01"), &out, &p), 0);
	assert_string_equal(out.status, "draft");
	assert_null(out.level);
	/* the approval: a compliant contract in a finance director's band */
	assert_int_equal(move("awaiting_approval", "active", NULL, NULL, NULL, &ok, D("2026-10-01"), &out, &p), 0);
	assert_string_equal(out.status, "active");
	assert_string_equal(out.level, "finance_director");
	assert_int_equal(move("active", "expired", NULL, NULL, NULL, NULL, D("2026-10-01"), &out, &p), 0);
	assert_string_equal(out.status, "expired");
	assert_int_equal(move("active", "terminated", "supplier went into administration", NULL, NULL, NULL,
			      D("2026-10-01"), &out, &p), 0);
	assert_string_equal(out.status, "terminated");
	assert_null(out.level);
	assert_int_equal(p.status, 0);
}

static void test_every_refused_move(void **state)
{
	/* allowed[from][to], written out from DESIGN.md */
	static const int allowed[5][5] = {
		/* to: draft awaiting active expired terminated */
		{ 0, 1, 0, 0, 0 },               /* from draft */
		{ 1, 0, 1, 0, 0 },               /* from awaiting_approval */
		{ 0, 0, 0, 1, 1 },               /* from active */
		{ 0, 0, 0, 0, 0 },               /* from expired */
		{ 0, 0, 0, 0, 0 },               /* from terminated */
	};
	struct procure_result ok = check(1, "finance_director", 100);
	struct contract_outcome out;
	struct problem p;
	size_t refused = 0;

	(void)state;
	for (int f = 0; f < 5; f++)
		for (int t = 0; t < 5; t++) {
			int rc = move(statuses[f], statuses[t], "a reason", NULL, NULL, &ok, D("2026-10-01"), &out, &p);

			if (allowed[f][t]) {
				assert_int_equal(rc, 0);
				continue;
			}
			assert_int_equal(rc, -1);
			assert_int_equal(p.status, 409);
			assert_null(out.status);
			refused++;
		}
	assert_int_equal(refused, 20);
	move("draft", "active", NULL, NULL, NULL, &ok, D("2026-10-01"), &out, &p);
	assert_string_equal(p.detail, "contract CAT-2026 is draft: it cannot become active (from draft it can go to: "
			    "awaiting_approval)");
	move("awaiting_approval", "expired", NULL, NULL, NULL, NULL, D("2026-10-01"), &out, &p);
	assert_string_equal(p.detail, "contract CAT-2026 is awaiting_approval: it cannot become expired (from "
			    "awaiting_approval it can go to: draft, active)");
	move("terminated", "active", NULL, NULL, NULL, &ok, D("2026-10-01"), &out, &p);
	assert_string_equal(p.detail, "contract CAT-2026 is terminated: it cannot become active (from terminated it "
			    "can go to: nothing, it is closed)");
}

static void test_only_the_finance_director(void **state)
{
	struct contract_subject c = { "CAT-2026", "draft", D("2026-10-01") };
	struct contract_move m = { .to = "awaiting_approval" };
	struct contract_outcome out;
	struct problem p;

	(void)state;
	for (unsigned role = ROLE_BUSINESS_MANAGER; role <= ROLE_ADMIN; role <<= 1) {
		memset(&p, 0, sizeof(p));
		assert_int_equal(contract_flow_move(&c, &m, role, NULL, D("2026-09-01"), &out, &p), -1);
		assert_int_equal(p.status, 403);
	}
}

static void test_terminate_needs_a_reason(void **state)
{
	struct contract_outcome out;
	struct problem p;

	(void)state;
	assert_int_equal(move("active", "terminated", NULL, NULL, NULL, NULL, D("2026-10-01"), &out, &p), -1);
	assert_int_equal(p.status, 422);
	assert_string_equal(field_error(&p, "/reason"), "is required to terminate a contract");
	assert_int_equal(move("active", "terminated", "", NULL, NULL, NULL, D("2026-10-01"), &out, &p), -1);
	assert_int_equal(p.status, 422);
	/* the move itself is checked first: a draft cannot be terminated, reason or not */
	assert_int_equal(move("draft", "terminated", NULL, NULL, NULL, NULL, D("2026-10-01"), &out, &p), -1);
	assert_int_equal(p.status, 409);
}

/* The day a termination stops the contract (issue 15): today (1 Sep 2026) unless the move
 * gives one; a later day when notice was given; never before the contract's start; only with
 * a termination. Other moves record none. */
static void test_terminated_on(void **state)
{
	struct contract_subject c = { "CAT-2026", "active", D("2025-09-01") };
	struct contract_move m = { .to = "terminated", .reason = "notice given" };
	struct contract_outcome out;
	struct problem p;

	(void)state;
	memset(&p, 0, sizeof(p));
	assert_int_equal(contract_flow_move(&c, &m, ROLE_FINANCE_DIRECTOR, NULL, D("2026-09-01"), &out, &p), 0);
	assert_int_equal(out.terminated_on, D("2026-09-01"));
	m.has_terminated_on = 1;
	m.terminated_on = D("2027-01-15");
	assert_int_equal(contract_flow_move(&c, &m, ROLE_FINANCE_DIRECTOR, NULL, D("2026-09-01"), &out, &p), 0);
	assert_int_equal(out.terminated_on, D("2027-01-15"));
	m.terminated_on = D("2025-08-31");
	assert_int_equal(contract_flow_move(&c, &m, ROLE_FINANCE_DIRECTOR, NULL, D("2026-09-01"), &out, &p), -1);
	assert_int_equal(p.status, 422);
	assert_string_equal(field_error(&p, "/terminated_on"), "must be on or after the contract's start (2025-09-01)");
	memset(&p, 0, sizeof(p));
	m.to = "expired";
	assert_int_equal(contract_flow_body(&m, &p), 1);
	assert_string_equal(field_error(&p, "/terminated_on"), "is recorded only with a termination (to \"terminated\")");
	memset(&p, 0, sizeof(p));
	m.has_terminated_on = 0;
	assert_int_equal(contract_flow_move(&c, &m, ROLE_FINANCE_DIRECTOR, NULL, D("2026-09-01"), &out, &p), 0);
	assert_int_equal(out.terminated_on, PROCURE_NO_DATE);
}

static void test_compliance_gate(void **state)
{
	struct procure_result bad = check(0, "finance_director", 2500000), ok = check(1, "finance_director", 2500000);
	struct contract_outcome out;
	struct problem p;

	(void)state;
	/* not compliant, no exception: 422 with each missing item on /to */
	assert_int_equal(move("awaiting_approval", "active", NULL, NULL, NULL, &bad, D("2026-10-01"), &out, &p), -1);
	assert_int_equal(p.status, 422);
	assert_int_equal(p.nerrors, 2);
	assert_string_equal(p.errors[0].field, "/to");
	assert_string_equal(p.errors[0].message, "quotes: three written quotations");
	assert_string_equal(p.errors[1].message, "conflicts_checked_on: a conflicts-of-interest check");
	assert_non_null(strstr(p.detail, "contract CAT-2026 does not meet the procurement rules (2 missing)"));
	assert_null(out.status);
	assert_null(out.level);

	/* a waiver with its reason lets it through, at the band's level */
	assert_int_equal(move("awaiting_approval", "active", "sole supplier of the MIS", NULL, "waiver", &bad,
			      D("2026-10-01"), &out, &p), 0);
	assert_string_equal(out.status, "active");
	assert_string_equal(out.level, "finance_director");

	/* a waiver needs its reason */
	assert_int_equal(move("awaiting_approval", "active", NULL, NULL, "waiver", &bad, D("2026-10-01"), &out, &p),
			 -1);
	assert_string_equal(field_error(&p, "/reason"), "a waiver needs its reason");
	assert_int_equal(move("awaiting_approval", "active", "", NULL, "breach_acknowledgement", &bad, D("2025-09-01"),
			      &out, &p), -1);
	assert_string_equal(field_error(&p, "/reason"), "a breach acknowledgement needs its reason");

	/* nothing to waive on a compliant contract */
	assert_int_equal(move("awaiting_approval", "active", "why not", NULL, "waiver", &ok, D("2026-10-01"), &out, &p),
			 -1);
	assert_string_equal(field_error(&p, "/exception"), "the contract meets the procurement rules: there is "
			    "nothing to waive");

	/* a breach acknowledgement is for a legacy contract: started before today (2026-09-01) */
	assert_int_equal(move("awaiting_approval", "active", "found in the files", NULL, "breach_acknowledgement", &bad,
			      D("2026-08-31"), &out, &p), 0);
	assert_string_equal(out.status, "active");
	assert_int_equal(move("awaiting_approval", "active", "found in the files", NULL, "breach_acknowledgement", &bad,
			      D("2026-09-01"), &out, &p), -1);
	assert_int_equal(p.status, 422);
	assert_string_equal(field_error(&p, "/exception"), "a breach acknowledgement is for a legacy contract, one "
			    "already running (this one starts 2026-09-01): record a waiver instead");

	/* becoming active needs the check */
	assert_int_equal(move("awaiting_approval", "active", NULL, NULL, NULL, NULL, D("2026-10-01"), &out, &p), -1);
	assert_int_equal(p.status, 500);
}

static void test_board_approval(void **state)
{
	struct procure_result board = check(1, "board", 5000000);
	struct contract_outcome out;
	struct problem p;

	(void)state;
	assert_int_equal(move("awaiting_approval", "active", NULL, NULL, NULL, &board, D("2026-10-01"), &out, &p), -1);
	assert_int_equal(p.status, 422);
	assert_string_equal(field_error(&p, "/board_minute"), "the board approves contracts of this value "
			    "(£50,000.00): give the minute reference of its approval");
	assert_int_equal(move("awaiting_approval", "active", NULL, "FB-2026-07 item 4", NULL, &board, D("2026-10-01"),
			      &out, &p), 0);
	assert_string_equal(out.level, "board");
	/* a minute in a finance director's band records the board's approval */
	board.approver = "finance_director";
	assert_int_equal(move("awaiting_approval", "active", NULL, "FB-2026-07 item 4", NULL, &board, D("2026-10-01"),
			      &out, &p), 0);
	assert_string_equal(out.level, "board");
}

static void test_move_body(void **state)
{
	struct contract_move m = { .to = "expired", .minute = "FB-1", .exception = "waiver" };
	struct problem p;

	(void)state;
	memset(&p, 0, sizeof(p));
	assert_int_equal(contract_flow_body(&m, &p), 2);
	assert_string_equal(field_error(&p, "/board_minute"), "is recorded only with an approval (to \"active\")");
	assert_string_equal(field_error(&p, "/exception"), "is recorded only with an approval (to \"active\")");
	memset(&p, 0, sizeof(p));
	m.to = "active";
	assert_int_equal(contract_flow_body(&m, &p), 0);
	m.to = NULL;                             /* missing: the body's own error */
	assert_int_equal(contract_flow_body(&m, &p), 0);
}

static void test_edit_and_delete_by_state(void **state)
{
	struct problem p;
	cJSON *active = cJSON_CreateString("active"), *num = cJSON_CreateNumber(2);

	(void)state;
	assert_true(contract_flow_terms_open("draft"));
	assert_true(contract_flow_terms_open("awaiting_approval"));
	assert_false(contract_flow_terms_open("active"));
	assert_false(contract_flow_terms_open("expired"));
	assert_false(contract_flow_terms_open("terminated"));

	memset(&p, 0, sizeof(p));
	assert_int_equal(contract_flow_deletable("CAT-2026", "draft", &p), 0);
	assert_int_equal(contract_flow_deletable("CAT-2026", "active", &p), -1);
	assert_int_equal(p.status, 409);
	assert_string_equal(p.detail, "contract CAT-2026 is active: only a draft can be deleted (terminate it instead)");
	memset(&p, 0, sizeof(p));
	assert_int_equal(contract_flow_deletable("CAT-2026", "awaiting_approval", &p), -1);

	memset(&p, 0, sizeof(p));
	contract_flow_status_kept(NULL, "draft", &p);
	contract_flow_status_kept(active, "active", &p);
	assert_int_equal(p.nerrors, 0);
	contract_flow_status_kept(active, "draft", &p);
	assert_string_equal(field_error(&p, "/status"), "is draft: change it with POST /api/v1/contracts/{id}/transitions");
	contract_flow_status_kept(num, "draft", &p);
	assert_int_equal(p.nerrors, 2);
	cJSON_Delete(active);
	cJSON_Delete(num);
}

/* ---- bodies ---- */

static const char body_json[] =
	"{\"reference\": \"CAT-2026\", \"title\": \"Catering\", \"supplier_id\": 3, \"category\": \"catering\","
	" \"contract_type\": \"goods_services\", \"school\": null, \"route\": \"three_quotes\","
	" \"procurement_started_on\": \"2026-05-01\", \"start_date\": \"2026-09-01\", \"end_date\": \"2029-08-31\","
	" \"extension_options\": [12, 6], \"options_used\": 1, \"notice_period\": 3, \"notice_unit\": \"months\","
	" \"annual_value_pence\": 1200000, \"vat_pence\": 200000, \"indexation\": \"index\","
	" \"indexation_index\": \"cpi\", \"indexation_bp\": 50}";

/* The tree of the last parse_with (a body borrows its strings). */
static cJSON *tree;

static int teardown(void **state)
{
	(void)state;
	cJSON_Delete(tree);
	tree = NULL;
	return 0;
}

/* Parse body_json with one member replaced (value NULL: removed). */
static size_t parse_with(const char *key, const char *value, struct contract_body *b, struct problem *p)
{
	cJSON_Delete(tree);
	tree = cJSON_Parse(body_json);
	assert_non_null(tree);
	if (key != NULL) {
		cJSON_DeleteItemFromObjectCaseSensitive(tree, key);
		if (value != NULL)
			cJSON_AddItemToObject(tree, key, cJSON_Parse(value));
	}
	memset(p, 0, sizeof(*p));
	return contract_body_parse(tree, b, p);
}

static void test_body_valid(void **state)
{
	struct contract_body b;
	struct problem p;

	(void)state;
	assert_int_equal(parse_with(NULL, NULL, &b, &p), 0);
	assert_string_equal(b.reference, "CAT-2026");
	assert_null(b.school);
	assert_int_equal(b.route, PROCURE_THREE_QUOTES);
	assert_int_equal(b.started_on, D("2026-05-01"));
	assert_int_equal(b.t.start, D("2026-09-01"));
	assert_int_equal(b.t.end, D("2029-08-31"));
	assert_int_equal(b.t.noptions, 2);
	assert_int_equal(b.t.option_months[0], 12);
	assert_int_equal(b.t.option_months[1], 6);
	assert_string_equal(b.options_text, "[12,6]");
	assert_int_equal(b.used_months, 12);
	assert_int_equal(b.total_months, 18);
	assert_int_equal(b.t.notice_unit, PROCURE_MONTHS);
	assert_int_equal(b.t.ix, PROCURE_IX_INDEX);
	assert_string_equal(b.indexation_index, "cpi");
	assert_null(b.status);
	/* no evidence given: every key of it, empty */
	assert_non_null(b.evidence);
	assert_true(cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(b.evidence, "quotes")));
	assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(b.evidence, "framework")));
	contract_body_free(&b);
}

static void test_body_edges(void **state)
{
	struct contract_body b;
	struct problem p;

	(void)state;
	/* end before start */
	assert_int_equal(parse_with("end_date", "\"2026-08-31\"", &b, &p), 1);
	assert_string_equal(field_error(&p, "/end_date"), "must not be before start_date (2026-09-01)");
	contract_body_free(&b);
	/* the same day is a one-day contract */
	assert_int_equal(parse_with("end_date", "\"2026-09-01\"", &b, &p), 0);
	contract_body_free(&b);
	/* no end without auto-renew */
	assert_int_equal(parse_with("end_date", "null", &b, &p), 1);
	assert_string_equal(field_error(&p, "/end_date"), "is required unless the contract auto-renews (auto_renew "
			    "true)");
	contract_body_free(&b);
	/* procurement after the start */
	assert_int_equal(parse_with("procurement_started_on", "\"2026-09-02\"", &b, &p), 1);
	assert_string_equal(field_error(&p, "/procurement_started_on"), "must not be after start_date (2026-09-01)");
	contract_body_free(&b);
	/* VAT above the value it is on; equal is allowed */
	assert_int_equal(parse_with("vat_pence", "1200001", &b, &p), 1);
	assert_string_equal(field_error(&p, "/vat_pence"), "must not be more than annual_value_pence (the VAT on it)");
	contract_body_free(&b);
	assert_int_equal(parse_with("vat_pence", "1200000", &b, &p), 0);
	contract_body_free(&b);
	/* more options used than there are: 2 of 2 is fine, 3 is not */
	assert_int_equal(parse_with("options_used", "2", &b, &p), 0);
	assert_int_equal(b.used_months, 18);
	contract_body_free(&b);
	assert_int_equal(parse_with("options_used", "3", &b, &p), 1);
	assert_string_equal(field_error(&p, "/options_used"), "must be between 0 and the number of extension_options "
			    "(2)");
	contract_body_free(&b);
	/* an option of 0 or 121 months */
	assert_int_equal(parse_with("extension_options", "[12, 0, 121]", &b, &p), 2);
	assert_string_equal(field_error(&p, "/extension_options/1"), "must be a whole number of months from 1 to 120");
	assert_string_equal(field_error(&p, "/extension_options/2"), "must be a whole number of months from 1 to 120");
	contract_body_free(&b);
	/* notice in months: at most 120 */
	assert_int_equal(parse_with("notice_period", "121", &b, &p), 1);
	assert_string_equal(field_error(&p, "/notice_period"), "must be between 0 and 120 months");
	contract_body_free(&b);
	/* indexation "index" needs its index; another kind must not have one */
	assert_int_equal(parse_with("indexation_index", "null", &b, &p), 1);
	assert_string_equal(field_error(&p, "/indexation_index"), "is required with indexation \"index\" (cpi, rpi, "
			    "nlw, energy)");
	contract_body_free(&b);
	assert_int_equal(parse_with("indexation", "\"fixed\"", &b, &p), 1);
	assert_string_equal(field_error(&p, "/indexation_index"), "must be null unless indexation is \"index\"");
	contract_body_free(&b);
	/* a school: a URN, not "central" */
	assert_int_equal(parse_with("school", "\"central\"", &b, &p), 1);
	assert_string_equal(field_error(&p, "/school"), "a contract of the central team is trust-wide: leave school null");
	contract_body_free(&b);
	assert_int_equal(parse_with("school", "\"141414\"", &b, &p), 0);
	assert_string_equal(b.school, "141414");
	contract_body_free(&b);
	/* the reference's characters */
	assert_int_equal(parse_with("reference", "\"-CAT\"", &b, &p), 1);
	assert_string_equal(field_error(&p, "/reference"), "must start with a letter or a digit");
	contract_body_free(&b);
	assert_int_equal(parse_with("reference", "\"CAT 1\"", &b, &p), 1);
	assert_string_equal(field_error(&p, "/reference"), "may hold only letters, digits and . _ / -");
	contract_body_free(&b);
	/* the read-only status is kept for the caller to compare */
	assert_int_equal(parse_with("status", "\"active\"", &b, &p), 0);
	assert_string_equal(cJSON_GetStringValue(b.status), "active");
	contract_body_free(&b);
}

static void test_evidence(void **state)
{
	struct procure_evidence ev;
	struct problem p;
	cJSON *norm = NULL;
	cJSON *in = cJSON_Parse("{\"quotes\": [{\"supplier\": \"A\", \"amount_pence\": 100, \"chosen\": true},"
				" {\"supplier\": \"B\", \"amount_pence\": 90, \"chosen\": true, \"reason\": \"x\"}],"
				" \"notices\": {\"award_notice_id\": \"12345-2026\"}}");

	(void)state;
	memset(&p, 0, sizeof(p));
	assert_int_equal(contract_evidence_parse(in, "/evidence", &ev, &norm, &p), 2);
	assert_string_equal(field_error(&p, "/evidence/quotes/1/chosen"), "only one quote can be the chosen one");
	assert_string_equal(field_error(&p, "/evidence/notices/award_notice_id"),
			    "must be a Find a Tender notice id written like 012345-2026");
	assert_null(norm);
	cJSON_Delete(in);

	in = cJSON_Parse("{\"quotes\": [{\"supplier\": \"A\", \"amount_pence\": 100, \"chosen\": true}],"
			 " \"framework\": {\"name\": \"ESPO\", \"lot\": \"2\", \"call_off\": \"direct_award\"},"
			 " \"notices\": {\"standstill_ends_on\": \"2026-06-10\"}, \"conflicts_checked_on\": \"2026-05-02\"}");
	memset(&p, 0, sizeof(p));
	assert_int_equal(contract_evidence_parse(in, "/evidence", &ev, &norm, &p), 0);
	assert_int_equal(ev.nquotes, 1);
	assert_true(ev.quotes[0].chosen);
	assert_false(ev.quotes[0].has_reason);
	assert_true(ev.has_framework);
	assert_int_equal(ev.standstill_ends_on, D("2026-06-10"));
	assert_int_equal(ev.conflicts_checked_on, D("2026-05-02"));
	assert_int_equal(ev.debarment_checked_on, PROCURE_NO_DATE);
	assert_null(ev.award_notice_id);
	/* the normal form has every key: what was not sent is null */
	assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(norm, "debarment_checked_on")));
	assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(norm, "notices"), "award_notice_id")));
	assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(
		cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(norm, "quotes"), 0), "reason")));
	cJSON_Delete(norm);
	cJSON_Delete(in);
}

static void test_options_text(void **state)
{
	struct procure_terms t;

	(void)state;
	memset(&t, 0, sizeof(t));
	assert_int_equal(contract_options_parse("[36,12]", &t), 0);
	assert_int_equal(t.noptions, 2);
	assert_int_equal(t.option_months[0], 36);
	assert_int_equal(t.option_months[1], 12);
	assert_int_equal(contract_options_parse("[]", &t), 0);
	assert_int_equal(t.noptions, 0);
	assert_int_equal(contract_options_parse(NULL, &t), 0);
	assert_int_equal(contract_options_parse("[121]", &t), -1);
	assert_int_equal(contract_options_parse("[0]", &t), -1);
	assert_int_equal(contract_options_parse("[1,2,3,4,5,6,7,8,9,10,11]", &t), -1);   /* at most 10 */
}

static void test_locked_terms(void **state)
{
	struct contract_body b;
	struct contract_row c;
	struct problem p;

	(void)state;
	assert_int_equal(parse_with(NULL, NULL, &b, &p), 0);
	memset(&c, 0, sizeof(c));
	c.pc.reference = "CAT-2026";
	c.pc.category = "catering";
	c.pc.contract_type = "goods_services";
	c.pc.supplier_id = 3;
	c.pc.route = PROCURE_THREE_QUOTES;
	c.pc.started_on = b.started_on;
	c.pc.t = b.t;
	c.status = "active";
	assert_int_equal(contract_flow_locked_terms(&c, "months", "cpi", &b, 0, &p), 0);
	/* options_used is not a locked term */
	c.pc.t.options_used = 0;
	assert_int_equal(contract_flow_locked_terms(&c, "months", "cpi", &b, 0, &p), 0);
	c.pc.t.annual_pence = 1100000;
	assert_int_equal(contract_flow_locked_terms(&c, "days", "rpi", &b, 141414, &p), -1);
	assert_int_equal(p.status, 409);
	assert_string_equal(p.detail, "contract CAT-2026 is active: its approved terms cannot change (school, notice, "
			    "annual_value_pence, indexation); only title, evidence and options_used can");
	contract_body_free(&b);
}

static void test_check_json(void **state)
{
	static const struct procure_band band = { 1000000, 4000000, "three_quotes", "finance_director" };
	struct procure_result r = check(0, "finance_director", 3600000);
	cJSON *o;
	char *s;

	(void)state;
	r.band = &band;
	r.nallowed = 1;
	r.allowed[0] = PROCURE_THREE_QUOTES;
	r.value.months = 36;
	r.aggregate_pence = 3600000;
	o = contract_check_json(&r);
	s = cJSON_PrintUnformatted(o);
	assert_string_equal(s,
		"{\"estimated_value_pence\":3600000,\"valued_months\":36,\"indexation_bp_assumed\":0,"
		"\"valued_over_48_months\":false,\"band\":{\"from_pence\":1000000,\"to_pence\":4000000,"
		"\"route\":\"three_quotes\",\"approver\":\"finance_director\"},\"route_required\":\"three_quotes\","
		"\"routes_allowed\":[\"three_quotes\"],\"threshold\":null,\"above_threshold\":false,\"route_ok\":false,"
		"\"evidence_ok\":false,\"compliant\":false,\"approver\":\"finance_director\","
		"\"missing\":[{\"item\":\"quotes\",\"message\":\"three written quotations\"},"
		"{\"item\":\"conflicts_checked_on\",\"message\":\"a conflicts-of-interest check\"}],\"warnings\":[],"
		"\"aggregate_pence\":3600000}");
	cJSON_free(s);
	cJSON_Delete(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_allowed_move),
		cmocka_unit_test(test_every_refused_move),
		cmocka_unit_test(test_only_the_finance_director),
		cmocka_unit_test(test_terminate_needs_a_reason),
		cmocka_unit_test(test_compliance_gate),
		cmocka_unit_test(test_terminated_on),
		cmocka_unit_test(test_board_approval),
		cmocka_unit_test(test_move_body),
		cmocka_unit_test(test_edit_and_delete_by_state),
		cmocka_unit_test_teardown(test_body_valid, teardown),
		cmocka_unit_test_teardown(test_body_edges, teardown),
		cmocka_unit_test(test_evidence),
		cmocka_unit_test(test_options_text),
		cmocka_unit_test_teardown(test_locked_terms, teardown),
		cmocka_unit_test(test_check_json),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
