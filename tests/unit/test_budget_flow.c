/* test_budget_flow.c - unit tests for daemon/core/budget_flow.c: every transition from
 * every status by every role, allowed or refused (the table written out by hand from
 * DESIGN.md "Roles" and README "Budgets"), the body each needs, and when lines are locked. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "budget_flow.h"
#include "identity.h"

enum { OK = BUDGET_FLOW_OK, NO = BUDGET_FLOW_FORBIDDEN, WS = BUDGET_FLOW_WRONG_STATUS };
#define D BUDGET_DRAFT
#define S BUDGET_SUBMITTED
#define A BUDGET_APPROVED

/* Every (status, action) for the two roles that write budgets: the verdict, and the
 * status reached when allowed (-1 when not). */
static const struct {
	int from;
	enum budget_action action;
	int fd, fd_to;                           /* finance director */
	int bm, bm_to;                           /* business manager */
	const char *fd_why, *bm_why;
} table[] = {
	{ D, BUDGET_SUBMIT, OK, S, OK, S, NULL, NULL },
	{ S, BUDGET_SUBMIT, WS, -1, WS, -1, "is submitted: submit applies to a draft budget",
	  "is submitted: submit applies to a draft budget" },
	{ A, BUDGET_SUBMIT, WS, -1, WS, -1, "is approved: submit applies to a draft budget",
	  "is approved: submit applies to a draft budget" },
	{ D, BUDGET_APPROVE, WS, -1, NO, -1, "is draft: approve applies to a submitted budget",
	  "only the finance director may approve a budget" },
	{ S, BUDGET_APPROVE, OK, A, NO, -1, NULL, "only the finance director may approve a budget" },
	{ A, BUDGET_APPROVE, WS, -1, NO, -1, "is approved: approve applies to a submitted budget",
	  "only the finance director may approve a budget" },
	{ D, BUDGET_RETURN, WS, -1, NO, -1, "is draft: return applies to a submitted budget",
	  "only the finance director may return a budget" },
	{ S, BUDGET_RETURN, OK, D, NO, -1, NULL, "only the finance director may return a budget" },
	{ A, BUDGET_RETURN, WS, -1, NO, -1, "is approved: return applies to a submitted budget",
	  "only the finance director may return a budget" },
	{ D, BUDGET_REOPEN, WS, -1, NO, -1, "is draft: reopen applies to a approved budget",
	  "only the finance director may reopen a budget" },
	{ S, BUDGET_REOPEN, WS, -1, NO, -1, "is submitted: reopen applies to a approved budget",
	  "only the finance director may reopen a budget" },
	{ A, BUDGET_REOPEN, OK, D, NO, -1, NULL, "only the finance director may reopen a budget" },
};

static void check(enum budget_status from, enum budget_action action, unsigned role, int verdict, int to,
		  const char *why)
{
	enum budget_status got = (enum budget_status)99;
	char buf[160] = "";

	assert_int_equal(budget_flow_next(from, action, role, &got, buf, sizeof(buf)), verdict);
	if (verdict == OK) {
		assert_int_equal(got, to);
	} else {
		assert_int_equal(got, 99);           /* untouched */
		assert_string_equal(buf, why);
	}
}

static void test_every_transition_of_the_writers(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		check((enum budget_status)table[i].from, table[i].action, ROLE_FINANCE_DIRECTOR, table[i].fd, table[i].fd_to, table[i].fd_why);
		check((enum budget_status)table[i].from, table[i].action, ROLE_BUSINESS_MANAGER, table[i].bm, table[i].bm_to, table[i].bm_why);
	}
}

/* Auditors, school systems, admins and nobody make no transition, from any status. */
static void test_the_others_make_none(void **state)
{
	static const unsigned others[] = { ROLE_AUDITOR, ROLE_SCHOOL_SYSTEM, ROLE_ADMIN, 0,
					   ROLE_FINANCE_DIRECTOR | ROLE_AUDITOR };
	static const char *const why[] = {
		"only the finance director or the school's business manager may submit a budget",
		"only the finance director may approve a budget",
		"only the finance director may return a budget",
		"only the finance director may reopen a budget",
	};

	(void)state;
	for (size_t r = 0; r < sizeof(others) / sizeof(others[0]); r++)
		for (int a = BUDGET_SUBMIT; a <= BUDGET_REOPEN; a++)
			for (int s = D; s <= A; s++)
				check((enum budget_status)s, (enum budget_action)a, others[r], NO, -1, why[a]);
}

/* The role alone, before the status is known: the same answer as budget_flow_next. */
static void test_permitted(void **state)
{
	char why[160];

	(void)state;
	assert_int_equal(budget_flow_permitted(BUDGET_SUBMIT, ROLE_FINANCE_DIRECTOR, why, sizeof(why)), OK);
	assert_int_equal(budget_flow_permitted(BUDGET_SUBMIT, ROLE_BUSINESS_MANAGER, why, sizeof(why)), OK);
	assert_int_equal(budget_flow_permitted(BUDGET_APPROVE, ROLE_FINANCE_DIRECTOR, why, sizeof(why)), OK);
	assert_int_equal(budget_flow_permitted(BUDGET_RETURN, ROLE_FINANCE_DIRECTOR, why, sizeof(why)), OK);
	assert_int_equal(budget_flow_permitted(BUDGET_REOPEN, ROLE_FINANCE_DIRECTOR, why, sizeof(why)), OK);
	assert_int_equal(budget_flow_permitted(BUDGET_APPROVE, ROLE_BUSINESS_MANAGER, why, sizeof(why)), NO);
	assert_string_equal(why, "only the finance director may approve a budget");
	assert_int_equal(budget_flow_permitted(BUDGET_REOPEN, ROLE_BUSINESS_MANAGER, why, sizeof(why)), NO);
	assert_string_equal(why, "only the finance director may reopen a budget");
	assert_int_equal(budget_flow_permitted(BUDGET_SUBMIT, ROLE_SCHOOL_SYSTEM, why, sizeof(why)), NO);
	assert_string_equal(why, "only the finance director or the school's business manager may submit a budget");
	assert_int_equal(budget_flow_permitted((enum budget_action)7, ROLE_FINANCE_DIRECTOR, why, sizeof(why)), NO);
}

/* Approve carries the minute; return and reopen a reason; nothing else either. */
static void test_bodies(void **state)
{
	struct problem p;

	(void)state;
	for (int a = BUDGET_SUBMIT; a <= BUDGET_REOPEN; a++) {
		memset(&p, 0, sizeof(p));
		assert_int_equal(budget_flow_check_body((enum budget_action)a, a == BUDGET_APPROVE,
							a == BUDGET_RETURN || a == BUDGET_REOPEN, &p), 0);
		assert_int_equal(p.nerrors, 0);
	}
	memset(&p, 0, sizeof(p));
	assert_int_equal(budget_flow_check_body(BUDGET_APPROVE, 0, 1, &p), 2);
	assert_string_equal(p.errors[0].field, "/minute_ref");
	assert_string_equal(p.errors[0].message, "is required to approve: the board minute that approved the budget");
	assert_string_equal(p.errors[1].field, "/reason");
	assert_string_equal(p.errors[1].message, "goes only with return and reopen");
	memset(&p, 0, sizeof(p));
	assert_int_equal(budget_flow_check_body(BUDGET_REOPEN, 1, 0, &p), 2);
	assert_string_equal(p.errors[0].message, "goes only with approve");
	assert_string_equal(p.errors[1].field, "/reason");
	assert_string_equal(p.errors[1].message, "is required to reopen a budget");
	memset(&p, 0, sizeof(p));
	assert_int_equal(budget_flow_check_body(BUDGET_RETURN, 0, 0, &p), 1);
	assert_string_equal(p.errors[0].message, "is required to return a budget");
	memset(&p, 0, sizeof(p));
	assert_int_equal(budget_flow_check_body(BUDGET_SUBMIT, 1, 1, &p), 2);
	assert_int_equal(p.status, 0);           /* field errors only: the caller finishes */
}

static void test_locked(void **state)
{
	(void)state;
	assert_null(budget_flow_locked(BUDGET_DRAFT));
	assert_string_equal(budget_flow_locked(BUDGET_SUBMITTED),
			    "is submitted: it cannot change until the finance director returns it");
	assert_string_equal(budget_flow_locked(BUDGET_APPROVED),
			    "is approved and locked: the finance director can reopen it");
}

static void test_names(void **state)
{
	enum budget_status s;
	enum budget_action a;

	(void)state;
	assert_int_equal(budget_status_parse("submitted", &s), 0);
	assert_int_equal(s, BUDGET_SUBMITTED);
	assert_string_equal(budget_status_name(BUDGET_APPROVED), "approved");
	assert_int_equal(budget_status_parse("Draft", &s), -1);
	assert_int_equal(budget_status_parse("none", &s), -1);
	assert_int_equal(budget_status_parse(NULL, &s), -1);
	assert_int_equal(budget_action_parse("reopen", &a), 0);
	assert_int_equal(a, BUDGET_REOPEN);
	assert_string_equal(budget_action_name(BUDGET_RETURN), "return");
	assert_int_equal(budget_action_parse("delete", &a), -1);
	assert_string_equal(budget_action_names[0], "submit");
	assert_null(budget_action_names[4]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_transition_of_the_writers),
		cmocka_unit_test(test_the_others_make_none),
		cmocka_unit_test(test_permitted),
		cmocka_unit_test(test_bodies),
		cmocka_unit_test(test_locked),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
