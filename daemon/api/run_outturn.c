/* run_outturn.c - see run_outturn.h */
#include "run_outturn.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "money.h"
#include "monitor_view.h"
#include "monitoring.h"

/* The monitoring's code of e, or NULL. */
static const struct monitor_code *outturn_code(const struct monitor_entity *me, const char *code)
{
	for (size_t i = 0; me != NULL && i < me->n; i++)
		if (strcasecmp(me->codes[i].account->code, code) == 0)
			return &me->codes[i];
	return NULL;
}

/* The lines of one entity: each code's lines to its outturn. */
static int outturn_entity(const struct monitor_entity *me, struct forecast_line_in *l, size_t n, struct problem *p)
{
	size_t *ix = calloc(n ? n : 1, sizeof(*ix));
	int64_t *w = calloc(n ? n : 1, sizeof(*w)), *out = calloc(n ? n : 1, sizeof(*out));
	unsigned char *done = calloc(n ? n : 1, 1);
	int rc = -1;

	if (ix == NULL || w == NULL || out == NULL || done == NULL)
		goto out;
	for (size_t i = 0; i < n; i++) {
		const struct monitor_code *c;
		int64_t total = 0;
		size_t k = 0;

		if (done[i])
			continue;
		for (size_t j = i; j < n; j++)
			if (!done[j] && strcasecmp(l[j].code, l[i].code) == 0) {
				done[j] = 1;
				ix[k] = j;
				w[k++] = l[j].amount_pence;
				if (money_add(total, l[j].amount_pence, &total) != 0)
					goto out;
			}
		c = outturn_code(me, l[i].code);
		if (c == NULL || c->account->is_internal || c->m.full_year_variance == 0)
			continue;
		if (money_add(total, c->m.full_year_variance, &total) != 0 || monitoring_split(total, w, k, out) != 0)
			goto out;
		for (size_t j = 0; j < k; j++)
			l[ix[j]].amount_pence = out[j];
	}
	rc = 0;
out:
	free(ix);
	free(w);
	free(out);
	free(done);
	if (rc != 0)
		problem_internal(p);
	return rc;
}

int run_outturn_apply(struct db *db, const struct plugins *ps, int year, int to, struct forecast_entity_in *e,
		      size_t ne, struct forecast_line_in *li, size_t nli, struct problem *p)
{
	struct monitor_view v;
	int rc = -1;

	if (monitor_view_load(db, ps, year, to, &v, p) != 0)
		goto out;
	for (size_t i = 0; i < ne; i++) {
		size_t off;

		if (e[i].nlines == 0)
			continue;
		if (e[i].lines < li || e[i].lines >= li + nli || (size_t)(e[i].lines - li) + e[i].nlines > nli) {
			problem_internal(p);
			goto out;
		}
		off = (size_t)(e[i].lines - li);
		if (outturn_entity(monitor_view_entity(&v, e[i].urn), li + off, e[i].nlines, p) != 0)
			goto out;
	}
	rc = 0;
out:
	monitor_view_free(&v);
	return rc;
}
