/*
 * store_svcyear.h - the rows one academic year of shared services is priced and
 * allocated from (api/svcyear.c builds the year from them): the live services
 * with their contracts, the subscriptions active in some month of the years,
 * every entity, and the census / FTE rows up to the last year.
 *
 * Thread: as db.h.
 */
#ifndef BURSAR_STORE_SVCYEAR_H
#define BURSAR_STORE_SVCYEAR_H

#include <stdint.h>

#include "db.h"
#include "problem.h"

/* The columns a service query selects (services sv, contracts c, suppliers sup). */
#define SVCYEAR_COLS \
	"sv.id, sv.name, sv.category, sv.description, sv.contract_id, sv.account_code, sv.funding, sv.basis, " \
	"sv.usage_unit, sv.annual_cost_pence, sv.annual_vat_pence, sv.deleted_at, sv.version, sv.created_at, " \
	"sv.updated_at, c.reference, c.title AS contract_title, c.status AS contract_status, c.school_id AS " \
	"contract_school_id, c.supplier_id, sup.name AS supplier_name, c.updated_at AS contract_updated_at, " \
	"c.start_date, c.end_date, c.extension_options AS _options, c.options_used, c.notice_period, c.notice_unit, " \
	"c.auto_renew, c.annual_value_pence, c.vat_pence, c.indexation, c.indexation_bp, c.indexation_index, " \
	"DATE(c.status_changed_at) AS contract_status_changed_on, c.terminated_on AS contract_terminated_on"
#define SVCYEAR_FROM \
	"services sv LEFT JOIN contracts c ON c.id = sv.contract_id LEFT JOIN suppliers sup ON sup.id = c.supplier_id"

struct store_svcyear_rows {
	struct db_rows *services;                /* SVCYEAR_COLS, by id */
	struct db_rows *subs;                    /* id, service_id, school_id, start_date, end_date, level,
						  * usage_units, fixed_share_bp, version, created_at, updated_at;
						  * by service, then id */
	struct db_rows *schools;                 /* id, urn, name, floor_area_m2, updated_at; by id */
	struct db_rows *years;                   /* school_id, year, pupils, fte_hundredths, updated_at;
						  * by school, then year */
};

/*
 * The rows for the academic years first_year..last_year: service_id > 0 for that
 * service only, school_id > 0 for the services that school takes in the years
 * (with every subscriber of each). 0, or -1 with the problem set (the rows read
 * so far are the caller's to free with store_svcyear_free).
 */
int store_svcyear_load(struct db *db, int first_year, int last_year, int64_t service_id, int64_t school_id,
		       struct store_svcyear_rows *out, struct problem *p) __attribute__((warn_unused_result));
void store_svcyear_free(struct store_svcyear_rows *rows);

#endif
