/* budget_flow.c - see budget_flow.h */
#include "budget_flow.h"

#include <stdio.h>
#include <string.h>

#include "identity.h"

static const char *const status_names[] = { "draft", "submitted", "approved" };

const char *const budget_action_names[] = { "submit", "approve", "return", "reopen", NULL };

/* Each action: the status it starts from, where it leads, and who may make it. */
static const struct {
	enum budget_status from, to;
	unsigned roles;
} steps[] = {
	[BUDGET_SUBMIT] = { BUDGET_DRAFT, BUDGET_SUBMITTED, ROLE_FINANCE_DIRECTOR | ROLE_BUSINESS_MANAGER },
	[BUDGET_APPROVE] = { BUDGET_SUBMITTED, BUDGET_APPROVED, ROLE_FINANCE_DIRECTOR },
	[BUDGET_RETURN] = { BUDGET_SUBMITTED, BUDGET_DRAFT, ROLE_FINANCE_DIRECTOR },
	[BUDGET_REOPEN] = { BUDGET_APPROVED, BUDGET_DRAFT, ROLE_FINANCE_DIRECTOR },
};

const char *budget_status_name(enum budget_status s)
{
	return (unsigned)s < sizeof(status_names) / sizeof(status_names[0]) ? status_names[s] : "?";
}

int budget_status_parse(const char *name, enum budget_status *s)
{
	for (size_t i = 0; name != NULL && i < sizeof(status_names) / sizeof(status_names[0]); i++)
		if (strcmp(name, status_names[i]) == 0) {
			*s = (enum budget_status)i;
			return 0;
		}
	return -1;
}

const char *budget_action_name(enum budget_action a)
{
	return (unsigned)a < sizeof(steps) / sizeof(steps[0]) ? budget_action_names[a] : "?";
}

int budget_action_parse(const char *name, enum budget_action *a)
{
	for (size_t i = 0; name != NULL && budget_action_names[i] != NULL; i++)
		if (strcmp(name, budget_action_names[i]) == 0) {
			*a = (enum budget_action)i;
			return 0;
		}
	return -1;
}

enum budget_flow_verdict budget_flow_permitted(enum budget_action action, unsigned role, char *why, size_t len)
{
	if ((unsigned)action >= sizeof(steps) / sizeof(steps[0])) {
		snprintf(why, len, "there is no such transition");
		return BUDGET_FLOW_FORBIDDEN;
	}
	if (role != 0 && (steps[action].roles & role) == role)
		return BUDGET_FLOW_OK;
	if (steps[action].roles == ROLE_FINANCE_DIRECTOR)
		snprintf(why, len, "only the finance director may %s a budget", budget_action_names[action]);
	else
		snprintf(why, len, "only the finance director or the school's business manager may %s a budget",
			 budget_action_names[action]);
	return BUDGET_FLOW_FORBIDDEN;
}

enum budget_flow_verdict budget_flow_next(enum budget_status from, enum budget_action action, unsigned role,
					  enum budget_status *to, char *why, size_t len)
{
	enum budget_flow_verdict v = budget_flow_permitted(action, role, why, len);

	if (v != BUDGET_FLOW_OK)
		return v;
	if (steps[action].from != from) {
		snprintf(why, len, "is %s: %s applies to a %s budget", budget_status_name(from),
			 budget_action_names[action], status_names[steps[action].from]);
		return BUDGET_FLOW_WRONG_STATUS;
	}
	*to = steps[action].to;
	return BUDGET_FLOW_OK;
}

int budget_flow_check_body(enum budget_action action, int has_minute_ref, int has_reason, struct problem *p)
{
	int n = 0, reasoned = action == BUDGET_RETURN || action == BUDGET_REOPEN;

	if (action == BUDGET_APPROVE && !has_minute_ref)
		n++, problem_field(p, "/minute_ref", "is required to approve: the board minute that approved the budget");
	if (action != BUDGET_APPROVE && has_minute_ref)
		n++, problem_field(p, "/minute_ref", "goes only with approve");
	if (reasoned && !has_reason)
		n++, problem_field(p, "/reason", "is required to %s a budget", budget_action_name(action));
	if (!reasoned && has_reason)
		n++, problem_field(p, "/reason", "goes only with return and reopen");
	return n;
}

const char *budget_flow_locked(enum budget_status s)
{
	switch (s) {
	case BUDGET_DRAFT:
		return NULL;
	case BUDGET_SUBMITTED:
		return "is submitted: it cannot change until the finance director returns it";
	case BUDGET_APPROVED:
		return "is approved and locked: the finance director can reopen it";
	}
	return "is in no known status";
}
