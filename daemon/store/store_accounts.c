/* store_accounts.c - see store_accounts.h */
#include "store_accounts.h"

static const char accounts_list_sql[] =
	"SELECT a.id, a.code, a.name, a.kind, a.grp AS `group`, a.driver, a.is_gag AS gag, "
	"a.is_teacher AS teacher, a.is_support AS support, a.is_internal AS internal, a.active, "
	"a.version, a.created_at, a.updated_at FROM accounts a WHERE " STORE_KEYSET_WHERE("a")
	" AND (? IS NULL OR a.kind = ?) ORDER BY a.updated_at, a.id LIMIT ?";

int store_accounts_list(struct db *db, const struct page *pg, const char *kind, struct db_rows **rows,
			struct problem *p)
{
	struct db_param extra[2] = { DBP_STR(kind), DBP_STR(kind) };

	return store_list(db, accounts_list_sql, pg, extra, 2, rows, p);
}
