/* contract_flow.c - see contract_flow.h */
#include "contract_flow.h"

#include <stdio.h>
#include <string.h>

#include "date.h"
#include "identity.h"
#include "money.h"

const char *const contract_flow_exceptions[] = { "waiver", "breach_acknowledgement", NULL };

/* The moves there are: from, to. */
static const struct {
	const char *from, *to;
} contract_flow_moves[] = {
	{ "draft", "awaiting_approval" },
	{ "awaiting_approval", "draft" },
	{ "awaiting_approval", "active" },
	{ "active", "expired" },
	{ "active", "terminated" },
};

#define CONTRACT_FLOW_NMOVES (sizeof(contract_flow_moves) / sizeof(contract_flow_moves[0]))

size_t contract_flow_body(const struct contract_move *m, struct problem *p)
{
	size_t errs = 0;

	if (m->to != NULL && strcmp(m->to, "active") != 0) {
		if (m->minute != NULL) {
			problem_field(p, "/board_minute", "is recorded only with an approval (to \"active\")");
			errs++;
		}
		if (m->exception != NULL) {
			problem_field(p, "/exception", "is recorded only with an approval (to \"active\")");
			errs++;
		}
	}
	if (m->has_terminated_on && (m->to == NULL || strcmp(m->to, "terminated") != 0)) {
		problem_field(p, "/terminated_on", "is recorded only with a termination (to \"terminated\")");
		errs++;
	}
	return errs;
}

static int contract_flow_conflict(const char *ref, const char *from, const char *to, struct problem *p)
{
	char next[80] = "";
	size_t o = 0;

	for (size_t i = 0; i < CONTRACT_FLOW_NMOVES; i++)
		if (strcmp(contract_flow_moves[i].from, from) == 0)
			o += (size_t)snprintf(next + o, sizeof(next) - o, "%s%s", o ? ", " : "", contract_flow_moves[i].to);
	return problem_conflict(p, "contract %s is %s: it cannot become %s (from %s it can go to: %s)", ref, from, to,
				from, o ? next : "nothing, it is closed");
}

/* Becoming active: the procurement check (or an exception with its reason) and the approver level. */
static int contract_flow_approve(const struct contract_subject *c, const struct contract_move *m,
				 const struct procure_result *chk, int32_t today, const char **level, struct problem *p)
{
	char v[40], d[16];

	if (m->exception != NULL) {
		if (m->reason == NULL || m->reason[0] == '\0')
			problem_field(p, "/reason", "a %s needs its reason",
				      strcmp(m->exception, "waiver") == 0 ? "waiver" : "breach acknowledgement");
		if (chk->compliant)
			problem_field(p, "/exception", "the contract meets the procurement rules: there is nothing to "
				      "waive");
		if (strcmp(m->exception, "breach_acknowledgement") == 0 && c->start >= today) {
			date_format(c->start, d, sizeof(d));
			problem_field(p, "/exception", "a breach acknowledgement is for a legacy contract, one already "
				      "running (this one starts %s): record a waiver instead", d);
		}
	} else if (!chk->compliant) {
		for (size_t i = 0; i < chk->nmissing; i++)
			problem_field(p, "/to", "%s: %s", chk->missing[i].code, chk->missing[i].message);
		problem_set(p, 422, "validation", "Validation failed",
			    "contract %s does not meet the procurement rules (%zu missing): record what is missing, or "
			    "approve it with an exception (\"waiver\", or \"breach_acknowledgement\" for a legacy "
			    "contract) and a reason", c->reference, chk->nmissing);
	}
	if (strcmp(chk->approver, "board") == 0 && m->minute == NULL) {
		money_format_human(chk->value.pence, v, sizeof(v));
		problem_field(p, "/board_minute", "the board approves contracts of this value (%s): give the minute "
			      "reference of its approval", v);
	}
	*level = m->minute != NULL ? "board" : "finance_director";
	return problem_validation_done(p);
}

int contract_flow_move(const struct contract_subject *c, const struct contract_move *m, unsigned role,
		       const struct procure_result *chk, int32_t today, struct contract_outcome *out,
		       struct problem *p)
{
	size_t i;

	out->status = NULL;
	out->level = NULL;
	out->terminated_on = PROCURE_NO_DATE;
	if (role != ROLE_FINANCE_DIRECTOR)
		return problem_forbidden(p, "only the finance director moves a contract through its workflow");
	for (i = 0; i < CONTRACT_FLOW_NMOVES; i++)
		if (strcmp(contract_flow_moves[i].from, c->status) == 0 && strcmp(contract_flow_moves[i].to, m->to) == 0)
			break;
	if (i == CONTRACT_FLOW_NMOVES)
		return contract_flow_conflict(c->reference, c->status, m->to, p);
	if (strcmp(m->to, "terminated") == 0) {
		int32_t on = m->has_terminated_on ? m->terminated_on : today;
		char d[16];

		if (m->reason == NULL || m->reason[0] == '\0')
			problem_field(p, "/reason", "is required to terminate a contract");
		if (m->has_terminated_on && on < c->start) {
			date_format(c->start, d, sizeof(d));
			problem_field(p, "/terminated_on", "must be on or after the contract's start (%s)", d);
		}
		if (problem_validation_done(p) != 0)
			return -1;
		out->terminated_on = on;
	}
	if (strcmp(m->to, "active") == 0) {
		if (chk == NULL)
			return problem_internal(p);
		if (contract_flow_approve(c, m, chk, today, &out->level, p) != 0) {
			out->level = NULL;
			return -1;
		}
	}
	out->status = contract_flow_moves[i].to;
	return 0;
}

int contract_flow_terms_open(const char *status)
{
	return strcmp(status, "draft") == 0 || strcmp(status, "awaiting_approval") == 0;
}

void contract_flow_status_kept(const cJSON *sent, const char *current, struct problem *p)
{
	if (sent != NULL && (!cJSON_IsString(sent) || strcmp(sent->valuestring, current) != 0))
		problem_field(p, "/status", "is %s: change it with POST /api/v1/contracts/{id}/transitions", current);
}

int contract_flow_locked_terms(const struct contract_row *c, const char *unit, const char *ix_index,
			       const struct contract_body *b, int64_t school_id, struct problem *p)
{
	const struct procure_terms *o = &c->pc.t, *n = &b->t;
	char changed[400] = "";
	size_t len = 0;

#define LOCKED(cond, name) \
	do { \
		if (cond) \
			len += (size_t)snprintf(changed + len, len < sizeof(changed) ? sizeof(changed) - len : 0, \
						"%s%s", len ? ", " : "", name); \
	} while (0)
	LOCKED(strcmp(c->pc.reference, b->reference) != 0, "reference");
	LOCKED(c->pc.supplier_id != b->supplier_id, "supplier_id");
	LOCKED(strcmp(c->pc.category, b->category) != 0, "category");
	LOCKED(strcmp(c->pc.contract_type, b->contract_type) != 0, "contract_type");
	LOCKED(c->school_id != school_id, "school");
	LOCKED(c->pc.route != b->route, "route");
	LOCKED(c->pc.started_on != b->started_on, "procurement_started_on");
	LOCKED(o->start != n->start, "start_date");
	LOCKED(o->end != n->end, "end_date");
	LOCKED(o->noptions != n->noptions ||
	       memcmp(o->option_months, n->option_months, o->noptions * sizeof(int)) != 0, "extension_options");
	LOCKED(o->notice_period != n->notice_period || strcmp(unit, b->notice_unit) != 0, "notice");
	LOCKED(o->auto_renew != n->auto_renew, "auto_renew");
	LOCKED(o->annual_pence != n->annual_pence, "annual_value_pence");
	LOCKED(o->vat_pence != n->vat_pence, "vat_pence");
	LOCKED(o->ix != n->ix || o->ix_bp != n->ix_bp ||
	       (ix_index == NULL) != (b->indexation_index == NULL) ||
	       (ix_index != NULL && strcmp(ix_index, b->indexation_index) != 0), "indexation");
#undef LOCKED
	if (len > 0)
		return problem_conflict(p, "contract %s is %s: its approved terms cannot change (%s); only title, "
					"evidence and options_used can", c->pc.reference, c->status, changed);
	return 0;
}

int contract_flow_deletable(const char *reference, const char *status, struct problem *p)
{
	if (strcmp(status, "draft") != 0)
		return problem_conflict(p, "contract %s is %s: only a draft can be deleted (terminate it instead)",
					reference, status);
	return 0;
}
