/* api_accounts.c - the chart of accounts (read-only through the API). */
#include <string.h>

#include "api.h"

static const char accounts_list_sql[] =
	"SELECT a.id, a.code, a.name, a.kind, a.grp AS `group`, a.driver, a.is_gag AS gag, "
	"a.is_teacher AS teacher, a.is_support AS support, a.is_internal AS internal, a.active, "
	"a.version, a.created_at, a.updated_at FROM accounts a WHERE " API_KEYSET_WHERE("a")
	" AND (? IS NULL OR a.kind = ?) ORDER BY a.updated_at, a.id LIMIT ?";

int api_accounts_list(struct req *r, struct problem *p)
{
	static const char *const also[] = { "kind", NULL };
	const char *kind = http_query(r, "kind");
	struct db_param extra[2] = { DBP_STR(kind), DBP_STR(kind) };
	struct page pg;

	if (kind != NULL && strcmp(kind, "income") != 0 && strcmp(kind, "expenditure") != 0)
		problem_field(p, "query:kind", "must be income or expenditure");
	if (api_page_query(r, also, &pg, p) != 0)
		return -1;
	return api_list_reply(r, accounts_list_sql, &pg, extra, 2, p);
}
