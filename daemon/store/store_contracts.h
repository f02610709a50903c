/*
 * store_contracts.h - the contract register's rows: a contract as its
 * representation (with the derived fields and the procurement check against
 * the rest of the register), the list with its filters and sorts, the writes
 * (create, replace, delete, a workflow move; each audited in the caller's
 * transaction, through store.h's versioned write), the renewal alerts' and the
 * OCDS package's rows, and the decoding of a contract row for the core
 * (contract.h, procure.h).
 *
 * Thread: as db.h. Strings of decoded structs point into the rows.
 */
#ifndef BURSAR_STORE_CONTRACTS_H
#define BURSAR_STORE_CONTRACTS_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "contract.h"
#include "contract_flow.h"
#include "identity.h"
#include "procure.h"
#include "store.h"

/* The columns every contract query selects (contracts c, suppliers s, schools sc). */
#define CONTRACT_COLS \
	"c.id, c.reference, c.title, c.supplier_id, s.name AS supplier_name, c.category, c.contract_type, " \
	"sc.urn AS school, c.route, c.procurement_started_on, c.start_date, c.end_date, c.options_used, " \
	"c.notice_period, c.notice_unit, c.auto_renew, c.annual_value_pence, c.vat_pence, c.indexation, " \
	"c.indexation_index, c.indexation_bp, c.status, c.status_reason, c.status_changed_at, c.terminated_on, c.version, " \
	"c.created_at, c.updated_at, c.evidence_json AS _evidence, c.extension_options AS _options, " \
	"c.school_id AS _school_id, s.related_party AS _related_party, c.approved_level AS _approved_level, " \
	"c.board_minute AS _board_minute, c.approved_at AS _approved_at, c.approved_by AS _approved_by, " \
	"c.exception_kind AS _exception_kind, c.exception_reason AS _exception_reason, " \
	"c.exception_at AS _exception_at, c.exception_by AS _exception_by"
#define CONTRACT_FROM \
	"contracts c JOIN suppliers s ON s.id = c.supplier_id LEFT JOIN schools sc ON sc.id = c.school_id"

/*
 * The notice date procure_notice_date gives, in SQL, over contracts c and a row td
 * holding today; CONTRACT_FROM_TODAY is CONTRACT_FROM with it as c._notice_by
 * (today bound once, as the query's first parameter, "YYYY-MM-DD"):
 * the stored notice_by (current end less the notice period) when the contract
 * has an end; auto-renewing with no end, its next renewal (the first
 * anniversary of its start after today: whole years by TIMESTAMPDIFF, which
 * never counts one too many, then one more when the month-end clamp of a 29
 * February start left that one on or before today) less the notice period.
 * INTERVAL n MONTH clamps the day to the month's end, as date_add_months does.
 */
#define CONTRACT_NEXT_RENEWAL_YEARS(k) \
	"c.start_date + INTERVAL (GREATEST(0, TIMESTAMPDIFF(YEAR, c.start_date, td.today)) + " k ") * 12 MONTH"
#define CONTRACT_NEXT_RENEWAL \
	"IF(" CONTRACT_NEXT_RENEWAL_YEARS("1") " > td.today, " CONTRACT_NEXT_RENEWAL_YEARS("1") ", " \
	CONTRACT_NEXT_RENEWAL_YEARS("2") ")"
#define CONTRACT_NOTICE_BY \
	"IF(c.end_date IS NOT NULL, c.notice_by, IF(c.notice_unit = 'months', " \
	CONTRACT_NEXT_RENEWAL " - INTERVAL c.notice_period MONTH, " CONTRACT_NEXT_RENEWAL " - INTERVAL c.notice_period DAY))"
#define CONTRACT_FROM_TODAY \
	"(SELECT c.*, " CONTRACT_NOTICE_BY " AS _notice_by FROM (SELECT CAST(? AS DATE) AS today) td " \
	"CROSS JOIN contracts c) c JOIN suppliers s ON s.id = c.supplier_id LEFT JOIN schools sc ON sc.id = c.school_id"

/* What a peer needs (procure_peer): every contract of the register, cheaply. */
#define CONTRACT_PEER_COLS \
	"c.id, c.reference, c.category, c.supplier_id, c.procurement_started_on, c.start_date, c.end_date, " \
	"c.extension_options AS _options, c.options_used, c.notice_period, c.notice_unit, c.auto_renew, " \
	"c.annual_value_pence, c.vat_pence, c.indexation, c.indexation_bp, c.status"

/* The terms of row i of a result with the terms' columns (CONTRACT_COLS,
 * CONTRACT_PEER_COLS or the like). 0, or -1 when a stored value does not parse. */
int store_contract_terms(const struct db_rows *rows, size_t i, struct procure_terms *t)
	__attribute__((warn_unused_result));

/* Row i of a CONTRACT_COLS result as the core's contract (contract_row_free).
 * 0, or -1 when a stored value does not parse (logged by the caller). */
int store_contract_decode(const struct db_rows *rows, size_t i, struct contract_row *c)
	__attribute__((warn_unused_result));

/* What a contract's representation is computed with. */
struct store_contract_view {
	const struct procure_rules *rules;       /* the configuration's */
	int32_t today;                           /* days_to_notice, a legacy contract */
	const struct identity *scope;            /* 403 for another school's contract; NULL: every one */
};

/* One contract as JSON (the caller's) and its version; 404, 403. chk (optional)
 * gets its procurement check. */
cJSON *store_contract_get(struct db *db, const struct store_contract_view *v, int64_t id, int64_t *version,
			  struct procure_result *chk, struct problem *p);

/* The sorts of a list besides the default (updated_at, id), NULL-terminated:
 * reference, -reference, title, -title, end, -end, notice_by, -notice_by, value, -value. */
extern const char *const store_contracts_sorts[];
/* Whether a sort's key is a number (its cursor's key must be one). */
int store_contracts_sort_numeric(int sort);

struct store_contracts_filter {
	int sort;                                /* -1: (updated_at, id) paged by pg's after; else a sort */
	int has_key;                             /* a sort's cursor: the key and the id after which to go on */
	const char *key;
	int64_t key_id;
	struct store_scope scope;                /* scoped: trust-wide contracts and the scope's schools' only */
	const char *status, *category, *q;       /* NULL: any */
	int64_t supplier;                        /* 0: any */
	int has_school;
	int64_t school_id;                       /* with has_school: 0 for trust-wide */
	const char *expiring_from, *expiring_to; /* "YYYY-MM-DD" or NULL */
	const char *notice_from, *notice_to;     /* on CONTRACT_NOTICE_BY */
	const char *today;                       /* "YYYY-MM-DD": the notice dates' today (required) */
};

/* A page of contracts (CONTRACT_COLS, and `_sortkey` with a sort), one row more
 * than pg->limit when there is a next page. *rows is the caller's. */
int store_contracts_list(struct db *db, const struct page *pg, const struct store_contracts_filter *f,
			 struct db_rows **rows, struct problem *p) __attribute__((warn_unused_result));

/* rows[0..n) of a CONTRACT_COLS result as their representations, in a new array
 * (the caller's). NULL with the problem set. */
cJSON *store_contracts_images(struct db *db, const struct store_contract_view *v, const struct db_rows *rows,
			      size_t n, struct problem *p);

/*
 * Every contract f selects (in f's sort, or by (updated_at, id)), whatever pg's
 * limit and after say (pg's updated_since applies), in one snapshot of the
 * register (a read transaction): each(arg, rows, i, c, chk) gets row i of a
 * CONTRACT_COLS page, the contract decoded and its procurement check, in order.
 * The rows are read batch (1..PAGE_MAX_LIMIT) at a time, so memory holds one page
 * and the register's peers, never the whole selection. each returns 0 to go on,
 * or -1 (its problem set, else 500). 0, or -1 with the problem set (403: a row
 * outside v's scope).
 */
typedef int (*store_contracts_each_fn)(void *arg, const struct db_rows *rows, size_t i, const struct contract_row *c,
				       const struct procure_result *chk);
int store_contracts_each(struct db *db, const struct store_contract_view *v, const struct page *pg,
			 const struct store_contracts_filter *f, size_t batch, store_contracts_each_fn each, void *arg,
			 struct problem *p) __attribute__((warn_unused_result));

/*
 * The writes, in a transaction. A body's supplier and school must exist (422:
 * school_id is the school the body names, 0 for none, < 0 when no school has
 * its URN), its reference be free (409). An update keeps the status and, once approved,
 * the terms (contract_flow.h); a delete takes a draft only. *after (not for a
 * delete) is the new representation, the caller's.
 */
int store_contract_create(struct db *db, const struct audit_actor *who, const struct store_contract_view *v,
			  const struct contract_body *b, int64_t school_id, int64_t *id, cJSON **after,
			  struct problem *p)
	__attribute__((warn_unused_result));
int store_contract_update(struct db *db, const struct audit_actor *who, const struct store_contract_view *v,
			  int64_t id, int64_t want_version, const struct contract_body *b, int64_t school_id,
			  cJSON **after, struct problem *p) __attribute__((warn_unused_result));
int store_contract_delete(struct db *db, const struct audit_actor *who, const struct store_contract_view *v,
			  int64_t id, int64_t want_version, struct problem *p) __attribute__((warn_unused_result));

/*
 * The procurement check of a body that is not saved (POST
 * /api/v1/contracts/compliance-check): the supplier's related-party flag and the
 * register as peers (id: the contract the body would replace, left out of the
 * peers; 0 for a new one). Reads only. 0, or -1 with the problem set: 422 when
 * the supplier or the school (school_id < 0) does not exist.
 */
int store_contract_check_body(struct db *db, const struct store_contract_view *v, const struct contract_body *b,
			      int64_t id, int64_t school_id, struct procure_result *chk, struct problem *p)
	__attribute__((warn_unused_result));

/*
 * A workflow move (contract_flow_move decides, by the role and token of who
 * acts): the new status, the approval or exception it records, audited as
 * "transition". want_version < 0: no If-Match (any version).
 */
int store_contract_move(struct db *db, const struct audit_actor *who, unsigned role,
			const struct store_contract_view *v, int64_t id, int64_t want_version,
			const struct contract_move *m, cJSON **after, struct problem *p)
	__attribute__((warn_unused_result));

/* The active contracts whose notice date or current end falls in [from, to]
 * ("YYYY-MM-DD"), by id (CONTRACT_COLS); scope as in the filter. */
int store_contracts_due(struct db *db, const struct store_scope *scope, const char *from, const char *to,
			struct db_rows **rows, struct problem *p) __attribute__((warn_unused_result));

/* The approved contracts (active, expired, terminated), changed since since_ts
 * (database form; NULL: all), by id: CONTRACT_COLS, `_crn` (the supplier's
 * Companies House number) and `_school_name`. */
int store_contracts_published(struct db *db, const char *since_ts, struct db_rows **rows, struct problem *p)
	__attribute__((warn_unused_result));

/* The central team's name ("" when there is none) into buf. */
int store_contracts_buyer(struct db *db, char *buf, size_t len, struct problem *p)
	__attribute__((warn_unused_result));

#endif
