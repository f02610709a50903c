/*
 * contract.h - a contract of the register between JSON and procure.c's structs:
 * the body validator's tables for a contract and its evidence (every field with
 * its JSON Pointer), a decoded contract (struct contract_row, filled by the store
 * from its row), and the representation with its derived fields (estimated
 * value, dates, options remaining, days to notice, the procurement check).
 *
 * Pure: no I/O. Thread-safe.
 */
#ifndef BURSAR_CONTRACT_H
#define BURSAR_CONTRACT_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "problem.h"
#include "procure.h"

/* NULL-terminated value lists, as the API spells them. */
extern const char *const contract_categories[];
extern const char *const contract_types[];
extern const char *const contract_statuses[];

#define CONTRACT_MAX_OPTION_MONTHS 120
#define CONTRACT_OPTIONS_TEXT 200

/* A validated POST or PUT body. Strings are borrowed from the request's tree. */
struct contract_body {
	const char *reference, *title, *category, *contract_type, *school;   /* school NULL: trust-wide */
	int64_t supplier_id;
	enum procure_route route;
	int32_t started_on;
	struct procure_terms t;
	const char *notice_unit, *indexation, *indexation_index;             /* indexation_index may be NULL */
	const cJSON *status;                     /* the readonly "status" as sent, or NULL */
	cJSON *evidence;                         /* normalised evidence, owned: contract_body_free */
	char options_text[CONTRACT_OPTIONS_TEXT]; /* "[36,12]" */
	int used_months, total_months;
};

/*
 * Validate a contract body (every field, with pointers; cross-field rules such as
 * end before start or VAT above the value). Adds field errors to p and returns
 * their number; the body is usable only when 0. Does not look anything up (the
 * supplier and the school are the caller's).
 */
size_t contract_body_parse(const cJSON *in, struct contract_body *b, struct problem *p);
void contract_body_free(struct contract_body *b);   /* NULL ok */

/*
 * Validate an evidence object at prefix ("/evidence") into ev (strings borrowed
 * from obj) and, when norm is not NULL, build its normalised form (every key,
 * nulls for what is absent) into *norm (caller frees). Returns the errors added.
 */
size_t contract_evidence_parse(const cJSON *obj, const char *prefix, struct procure_evidence *ev, cJSON **norm,
			       struct problem *p);

/* A route's name as the API spells it; waiver for an unknown one. */
enum procure_route contract_route_parse(const char *s);

/* The extension options as stored ("[36,12]": the months of each) into t's
 * option_months and noptions. 0, or -1 when they do not parse. */
int contract_options_parse(const char *text, struct procure_terms *t);

/* A contract as decoded from its row by the store. Strings are borrowed from the
 * row; absent ones are NULL. */
struct contract_row {
	struct procure_contract pc;              /* strings borrowed (the row, and evidence) */
	cJSON *evidence;                         /* parsed evidence, owned: contract_row_free */
	const char *status;
	int64_t school_id;                       /* 0: trust-wide */
	int64_t version;
	/* the approval (approved_level NULL: none) and the exception (kind NULL: none);
	 * times in the database's form, tokens 0 when none */
	const char *approved_level, *board_minute, *approved_at;
	int64_t approved_by;
	const char *exception_kind, *exception_reason, *exception_at;
	int64_t exception_by;
};
void contract_row_free(struct contract_row *c);   /* NULL ok */

/* The representation: o (the row's own columns, taken: freed on failure) with the
 * extension options, evidence, approval, exception and the derived fields added.
 * NULL when o is NULL or out of memory. */
cJSON *contract_to_json(cJSON *o, const struct contract_row *c, const struct procure_result *chk, int32_t today);

/* The procurement check as JSON (GET .../compliance and "compliance" in a contract). */
cJSON *contract_check_json(const struct procure_result *chk);

/* "YYYY-MM-DD" or null. */
cJSON *contract_date_json(int32_t d);

#endif
