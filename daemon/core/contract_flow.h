/*
 * contract_flow.h - a contract's workflow (DESIGN.md "Procurement rules"): the
 * states draft -> awaiting_approval -> active -> expired or terminated (and back
 * from awaiting_approval to draft), and what each move needs.
 *
 * - Only the finance director moves a contract (403 otherwise).
 * - A move the machine does not have is 409, naming the moves there are.
 * - Terminating needs a reason (422), and stops the contract on terminated_on
 *   (default today; later when notice was given; a date given is never before
 *   its start: 422).
 * - Becoming active is the approval, at the approver level of the contract's
 *   band: a board approval is recorded by the finance director with the board
 *   minute reference (422 without it). A contract that fails the procurement
 *   check cannot become active (422 with what is missing) unless the move records,
 *   with a reason, a waiver or, for a legacy contract (one that started before
 *   today), a breach acknowledgement. An exception on a compliant contract is 422.
 * - A board minute or an exception is recorded only with an approval.
 * - Once approved (active, expired, terminated), the terms stay as approved;
 *   only a draft can be deleted.
 *
 * Pure: no I/O. Thread-safe. Strings are borrowed for the call.
 */
#ifndef BURSAR_CONTRACT_FLOW_H
#define BURSAR_CONTRACT_FLOW_H

#include <stdint.h>

#include <cjson/cJSON.h>

#include "contract.h"
#include "problem.h"
#include "procure.h"

/* A requested move: POST .../transitions {"to", "reason", "board_minute", "exception"}. */
struct contract_move {
	const char *to;                          /* a status name */
	const char *reason;                      /* NULL when absent or null */
	const char *minute;                      /* the board minute reference */
	const char *exception;                   /* "waiver", "breach_acknowledgement" */
	int has_terminated_on;                   /* to "terminated": the day it stops is given ... */
	int32_t terminated_on;                   /* ... (otherwise today) */
};

/* The contract as the rules see it. */
struct contract_subject {
	const char *reference;
	const char *status;                      /* the current state */
	int32_t start;                           /* start_date */
};

/* What a move records. */
struct contract_outcome {
	const char *status;                      /* the new state (a static string) */
	const char *level;                       /* the approval level ("finance_director", "board"), or NULL */
	int32_t terminated_on;                   /* terminated: the day it stops (the move's, or today);
						  * PROCURE_NO_DATE otherwise */
};

/* NULL-terminated: the exceptions an approval may record. */
extern const char *const contract_flow_exceptions[];

/*
 * The checks of a move's body that need no contract: a board minute or an
 * exception only with to "active", terminated_on only with to "terminated". Adds
 * field errors to p; returns their number.
 */
size_t contract_flow_body(const struct contract_move *m, struct problem *p);

/*
 * Whether contract c may make move m, by a caller of role (enum role), given chk:
 * the procurement check of c, needed when m->to is "active" (NULL otherwise).
 * today dates a legacy contract. 0 with *out set (the new state, and the
 * approval level when becoming active), or -1 with the reason in p (403, 409, 422).
 */
int contract_flow_move(const struct contract_subject *c, const struct contract_move *m, unsigned role,
		       const struct procure_result *chk, int32_t today, struct contract_outcome *out,
		       struct problem *p) __attribute__((warn_unused_result));

/* Whether a contract's terms may change in this state (a draft or awaiting approval). */
int contract_flow_terms_open(const char *status);

/* A body's read-only "status" (NULL: not sent) must repeat the current one: a
 * field error in p otherwise. */
void contract_flow_status_kept(const cJSON *sent, const char *current, struct problem *p);

/*
 * An approved contract's terms as sent in b against the stored ones in c (with
 * the school the body names resolved to school_id, and the stored notice unit
 * and indexation index): 409 naming what changed. 0 when nothing locked changed.
 */
int contract_flow_locked_terms(const struct contract_row *c, const char *unit, const char *ix_index,
			       const struct contract_body *b, int64_t school_id, struct problem *p);

/* Only a draft can be deleted: 409 otherwise. */
int contract_flow_deletable(const char *reference, const char *status, struct problem *p);

#endif
