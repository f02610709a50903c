/* api_accounts.c - the chart of accounts (read-only through the API). */
#include <string.h>

#include "api.h"
#include "store_accounts.h"

int api_accounts_list(struct req *r, struct problem *p)
{
	static const char *const also[] = { "kind", NULL };
	const char *kind = http_query(r, "kind");
	struct db_rows *rows = NULL;
	struct page pg;
	int rc;

	if (kind != NULL && strcmp(kind, "income") != 0 && strcmp(kind, "expenditure") != 0)
		problem_field(p, "query:kind", "must be income or expenditure");
	if (api_page_query(r, also, &pg, p) != 0 || store_accounts_list(r->db, &pg, kind, &rows, p) != 0)
		return -1;
	rc = api_reply_page(r, rows, &pg, NULL, p);
	db_rows_free(rows);
	return rc;
}
