/*
 * recharges.h - what an entity is recharged in a year for the traded services it
 * subscribes to, by the account code each service is booked to, beside what its
 * budget holds on that code (issue 14; DESIGN.md "Drivers", services).
 *
 * The shares are the allocations' and the school-systems feed's: svcyear_load
 * prices each service for the year (service.c) and splits it between every
 * subscriber (alloc.c); a recharge is the entity's share of every traded service
 * booked to the code, summed. Core services are paid centrally and are not here.
 *
 * A budget's JSON carries them as
 *   "recharges": [{"account_code", "recharge_pence", "budgeted_pence", "short_pence",
 *                  "services": [{"service_id", "name", "amount_pence", "explanation"}]}]
 * one per code, in code order; short_pence = max(0, recharge - budgeted). A line
 * below its recharge is a warning at submit (recharges_findings): the forecast's
 * services driver takes the rest of the line as the school's own spending, and
 * a line short of its recharge leaves none.
 *
 * Thread: as db.h (the caller's connection). A struct recharges owns its strings.
 */
#ifndef BURSAR_RECHARGES_H
#define BURSAR_RECHARGES_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "budget.h"
#include "db.h"
#include "svcyear.h"

struct recharge_service {
	int64_t service_id;
	char *name;
	int64_t amount_pence;
	char *explanation;
};

struct recharge_code {
	char code[BUDGET_CODE_MAX + 1];
	int64_t recharge_pence;
	size_t first, n;                         /* its services: services[first .. first + n) */
};

struct recharges {
	struct recharge_code *codes;             /* in code order */
	size_t ncodes;
	struct recharge_service *services;       /* by code, then service id */
	size_t nservices;
};

/* The recharges of entity school_id (schools.id) for year. 0, or -1 with the problem set. */
int recharges_load(struct db *db, struct svcyear_rates rates, int year, int64_t school_id, struct recharges *rc,
		   struct problem *p) __attribute__((warn_unused_result));
void recharges_free(struct recharges *rc);   /* NULL ok; rc can be loaded again */

/*
 * The "recharges" array. With budget NULL, the part that does not depend on the
 * lines (account_code, recharge_pence, services): what a budget's ETag hashes.
 * Otherwise budgeted_pence and short_pence are filled from budget's lines (an
 * array of line objects with "account_code" and "amount_pence", as the budget's
 * JSON has them). NULL when out of memory.
 */
cJSON *recharges_json(const struct recharges *rc, const cJSON *lines);

/* What the lines of b hold on code (sum of their amounts; overflow saturates). */
int64_t recharges_budgeted(const struct budget *b, const char *code);

/*
 * Submit's check: a warning "recharge_short" for every code whose lines in b sum
 * to less than its recharge, at the first line on the code (/lines/N/amount_pence),
 * or at /recharges/K when no line is on it.
 */
void recharges_findings(const struct recharges *rc, const struct budget *b, struct budget_findings *f);

#endif
