/*
 * budget_flow.h - the budget workflow: its statuses, its transitions, who may make
 * each, what each must carry, and when lines may change. Pure: no SQL, no HTTP; the
 * handler applies the answer, the store writes it.
 *
 *   draft --submit--> submitted --approve--> approved
 *     ^                  |                      |
 *     +------return------+                      |
 *     +------------------reopen-----------------+
 *
 * Who (DESIGN.md "Roles"): a business manager submits their own schools' drafts (the
 * school scope is the caller's check, not this module's); the finance director makes
 * every transition. Approve carries the board minute reference; return and reopen
 * carry a reason (a reopen is audited with it); nobody else makes any. Only a draft's
 * lines change: a submitted or approved budget is locked.
 */
#ifndef BURSAR_BUDGET_FLOW_H
#define BURSAR_BUDGET_FLOW_H

#include <stddef.h>

#include "problem.h"

enum budget_status { BUDGET_DRAFT, BUDGET_SUBMITTED, BUDGET_APPROVED };
enum budget_action { BUDGET_SUBMIT, BUDGET_APPROVE, BUDGET_RETURN, BUDGET_REOPEN };

/* "draft", "submitted", "approved" (the budgets.status values). */
const char *budget_status_name(enum budget_status s);
/* 0 with *s set, -1 for anything else (NULL included). */
int budget_status_parse(const char *name, enum budget_status *s);

/* "submit", "approve", "return", "reopen": the request's action and the audit row's. */
const char *budget_action_name(enum budget_action a);
int budget_action_parse(const char *name, enum budget_action *a);
/* The action names, NULL-terminated (a jsonv choice list). */
extern const char *const budget_action_names[];

enum budget_flow_verdict {
	BUDGET_FLOW_OK,
	BUDGET_FLOW_FORBIDDEN,                   /* the role may not make this transition at all (403) */
	BUDGET_FLOW_WRONG_STATUS,                /* the budget is not where it starts from (409) */
};

/*
 * May role (one ROLE_* of identity.h) make action, whatever the budget's status?
 * BUDGET_FLOW_OK, or BUDGET_FLOW_FORBIDDEN with why ("only the finance director may
 * approve a budget") in why[len].
 */
enum budget_flow_verdict budget_flow_permitted(enum budget_action action, unsigned role, char *why, size_t len);

/*
 * The transition: action on a budget in status from, made by role. BUDGET_FLOW_OK
 * with *to set; otherwise the verdict with why set and *to untouched. The role is
 * judged first (as budget_flow_permitted), then the status: why then reads after
 * "the budget for <urn> in <year> " ("is approved: submit applies to a draft budget").
 */
enum budget_flow_verdict budget_flow_next(enum budget_status from, enum budget_action action, unsigned role,
					  enum budget_status *to, char *why, size_t len);

/*
 * What a transition's body carries: approve needs the board minute reference and
 * nothing else takes one; return and reopen need a reason and the others take none.
 * One field error per breach into p ("/minute_ref", "/reason"); returns how many.
 */
int budget_flow_check_body(enum budget_action action, int has_minute_ref, int has_reason, struct problem *p);

/*
 * May the budget's lines change in status s? NULL for a draft; otherwise why not,
 * reading after "the budget for <urn> in <year> " ("is submitted: it cannot change
 * until the finance director returns it").
 */
const char *budget_flow_locked(enum budget_status s);

#endif
