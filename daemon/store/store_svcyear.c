/* store_svcyear.c - see store_svcyear.h */
#include "store_svcyear.h"

#include <string.h>

#include "date.h"
#include "service.h"

static const char store_svcyear_services_sql[] =
	"SELECT " SVCYEAR_COLS " FROM " SVCYEAR_FROM
	" WHERE sv.deleted_at IS NULL AND (? = 0 OR sv.id = ?)"
	" AND (? = 0 OR sv.id IN (SELECT x.service_id FROM subscriptions x WHERE x.school_id = ?"
	" AND x.deleted_at IS NULL AND x.start_date <= ? AND (x.end_date IS NULL OR x.end_date >= ?)))"
	" ORDER BY sv.id";

static const char store_svcyear_subs_sql[] =
	"SELECT b.id, b.service_id, b.school_id, b.start_date, b.end_date, b.level, b.usage_units, b.fixed_share_bp, "
	"b.version, b.created_at, b.updated_at FROM subscriptions b JOIN services sv ON sv.id = b.service_id"
	" WHERE b.deleted_at IS NULL AND sv.deleted_at IS NULL AND b.start_date <= ?"
	" AND (b.end_date IS NULL OR b.end_date >= ?) AND (? = 0 OR b.service_id = ?)"
	" AND (? = 0 OR b.service_id IN (SELECT x.service_id FROM subscriptions x WHERE x.school_id = ?"
	" AND x.deleted_at IS NULL AND x.start_date <= ? AND (x.end_date IS NULL OR x.end_date >= ?)))"
	" ORDER BY b.service_id, b.id";

static const char store_svcyear_schools_sql[] =
	"SELECT id, urn, name, floor_area_m2, updated_at FROM schools ORDER BY id";

static const char store_svcyear_years_sql[] =
	"SELECT school_id, year, pupils, fte_hundredths, updated_at FROM school_years WHERE year <= ?"
	" ORDER BY school_id, year";

int store_svcyear_load(struct db *db, int first_year, int last_year, int64_t service_id, int64_t school_id,
		       struct store_svcyear_rows *out, struct problem *p)
{
	char first[16], last[16];
	struct db_param sp[6], bp[8], yp;

	memset(out, 0, sizeof(*out));
	date_format(service_year_first(first_year), first, sizeof(first));
	date_format(service_year_last(last_year), last, sizeof(last));
	sp[0] = DBP_I64(service_id);
	sp[1] = DBP_I64(service_id);
	sp[2] = DBP_I64(school_id);
	sp[3] = DBP_I64(school_id);
	sp[4] = DBP_STR(last);
	sp[5] = DBP_STR(first);
	bp[0] = DBP_STR(last);
	bp[1] = DBP_STR(first);
	for (int i = 0; i < 6; i++)
		bp[2 + i] = sp[i];
	yp = DBP_I64(last_year);
	if (db_query(db, store_svcyear_services_sql, sp, 6, &out->services, p) != 0 ||
	    db_query(db, store_svcyear_subs_sql, bp, 8, &out->subs, p) != 0 ||
	    db_query(db, store_svcyear_schools_sql, NULL, 0, &out->schools, p) != 0 ||
	    db_query(db, store_svcyear_years_sql, &yp, 1, &out->years, p) != 0)
		return -1;
	return 0;
}

void store_svcyear_free(struct store_svcyear_rows *rows)
{
	if (rows == NULL)
		return;
	db_rows_free(rows->services);
	db_rows_free(rows->subs);
	db_rows_free(rows->schools);
	db_rows_free(rows->years);
	memset(rows, 0, sizeof(*rows));
}
