/*
 * contract.h - a contract of the register between JSON, the database row and
 * procure.c's structs: the body validator's tables for a contract and its
 * evidence (every field with its JSON Pointer), a row as a struct procure_contract,
 * and the representation with its derived fields (estimated value, dates, options
 * remaining, days to notice, the procurement check).
 *
 * Pure: no I/O (rows are the result sets db.c returns). Thread-safe.
 */
#ifndef BURSAR_CONTRACT_H
#define BURSAR_CONTRACT_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "db.h"
#include "problem.h"
#include "procure.h"

/* The columns every contract query selects (contracts c, suppliers s, schools sc). */
#define CONTRACT_COLS \
	"c.id, c.reference, c.title, c.supplier_id, s.name AS supplier_name, c.category, c.contract_type, " \
	"sc.urn AS school, c.route, c.procurement_started_on, c.start_date, c.end_date, c.options_used, " \
	"c.notice_period, c.notice_unit, c.auto_renew, c.annual_value_pence, c.vat_pence, c.indexation, " \
	"c.indexation_index, c.indexation_bp, c.status, c.status_reason, c.status_changed_at, c.version, " \
	"c.created_at, c.updated_at, c.evidence_json AS _evidence, c.extension_options AS _options, " \
	"c.school_id AS _school_id, s.related_party AS _related_party, c.approved_level AS _approved_level, " \
	"c.board_minute AS _board_minute, c.approved_at AS _approved_at, c.approved_by AS _approved_by, " \
	"c.exception_kind AS _exception_kind, c.exception_reason AS _exception_reason, " \
	"c.exception_at AS _exception_at, c.exception_by AS _exception_by"
#define CONTRACT_FROM \
	"contracts c JOIN suppliers s ON s.id = c.supplier_id LEFT JOIN schools sc ON sc.id = c.school_id"

/* What a peer needs (procure_peer): every contract of the register, cheaply. */
#define CONTRACT_PEER_COLS \
	"c.id, c.reference, c.category, c.supplier_id, c.procurement_started_on, c.start_date, c.end_date, " \
	"c.extension_options AS _options, c.options_used, c.notice_period, c.notice_unit, c.auto_renew, " \
	"c.annual_value_pence, c.vat_pence, c.indexation, c.indexation_bp, c.status"

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

/* A contract loaded from a CONTRACT_COLS row. */
struct contract_row {
	struct procure_contract pc;              /* strings borrowed from the rows and from evidence */
	cJSON *evidence;                         /* parsed evidence, owned */
	const char *status;
	int64_t school_id;                       /* 0: trust-wide */
	int64_t version;
};

/* Fill c from row i of rows (CONTRACT_COLS, or CONTRACT_PEER_COLS for the terms
 * only). 0, or -1 when a stored value does not parse (logged by the caller). */
int contract_from_row(const struct db_rows *rows, size_t i, struct contract_row *c);
void contract_row_free(struct contract_row *c);

/* The terms of a row of either column list. */
int contract_terms_from_row(const struct db_rows *rows, size_t i, struct procure_terms *t);

/* The representation: the row's columns, extension options, evidence, approval,
 * exception and the derived fields. NULL when out of memory. */
cJSON *contract_to_json(const struct db_rows *rows, size_t i, const struct contract_row *c,
			const struct procure_result *chk, int32_t today);

/* The procurement check as JSON (GET .../compliance and "compliance" in a contract). */
cJSON *contract_check_json(const struct procure_result *chk);

/* "YYYY-MM-DD" or null. */
cJSON *contract_date_json(int32_t d);

#endif
