/* staffing_trust.c - see staffing.h: the trust's year by entity and code, the levy and
 * the employment allowance (HMRC's monthly cumulative method). */
#include "staffing.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bursar_arith.h"
#include "money.h"

/* An open-addressing table of (urn, code) -> line index, sized a power of two >= 2n. */
struct staff_keys {
	size_t mask;
	uint32_t *slot;                         /* line index + 1; 0 empty */
};

static uint64_t staff_key_hash(const char *urn, const char *code)
{
	uint64_t h = 1469598103934665603ULL;    /* FNV-1a */

	for (const char *s = urn; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	h = (h ^ 0xff) * 1099511628211ULL;
	for (const char *s = code; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h ^ (h >> 29);
}

static int staff_line_cmp(const void *a, const void *b)
{
	const struct staff_line *x = a, *y = b;
	int c = strcmp(x->urn, y->urn);

	return c != 0 ? c : strcmp(x->code, y->code);
}

static int staff_trust_fail(char *err, size_t errlen, const char *what)
{
	if (err != NULL && errlen > 0)
		snprintf(err, errlen, "%s", what);
	return -1;
}

/* Add a post's months to its line. */
static int staff_line_add(struct staff_line *l, const struct staff_cost *c)
{
	for (int m = 0; m < STAFF_MONTHS; m++)
		if (bursar_add(l->m[m].pay, c->m[m].pay, &l->m[m].pay) != 0 ||
		    bursar_add(l->m[m].ni, c->m[m].ni, &l->m[m].ni) != 0 ||
		    bursar_add(l->m[m].pension, c->m[m].pension, &l->m[m].pension) != 0)
			return -1;
	if (bursar_add(l->pay, c->pay, &l->pay) != 0 || bursar_add(l->ni, c->ni, &l->ni) != 0 ||
	    bursar_add(l->pension, c->pension, &l->pension) != 0 || bursar_add(l->total, c->total, &l->total) != 0)
		return -1;
	if (c->active_months > 0) {
		l->posts++;
		l->fte_h += c->fte_h;
	}
	return 0;
}

/*
 * The levy and the employment allowance over the 17 months April y-1 .. August y+1 that
 * matter: pay[i], ni[i] for i = 0..16, i = 0 April of tax year y (month 7 of year y-1),
 * i = 5 September of year y (its month 0), i = 12 April of tax year y+1 (month 7 of y).
 */
static int staff_levy(const struct staff_env *env, int year, const int64_t pay[17], const int64_t ni[17],
		      struct staff_trust_year *out)
{
	for (int t = 0; t < 2; t++) {           /* tax years y (i 0..11) and y+1 (i 12..16) */
		const struct staff_rates *r = staff_env_rates(env, year + t);
		int i0 = 12 * t, iend = t == 0 ? 12 : 17;
		int64_t cum = 0, prev_levy = 0, left = r->employment_allowance_pence;

		for (int i = i0; i < iend; i++) {
			int k = i - i0 + 1;     /* months of the tax year to date */
			int64_t levy, allow, use;

			if (bursar_add(cum, pay[i], &cum) != 0 || money_muldiv_round(cum, r->levy_bp, 10000, &levy) != 0 ||
			    money_muldiv_round(r->levy_allowance_pence, k, 12, &allow) != 0 ||
			    money_sub(levy, allow, &levy) != 0)
				return -1;
			if (levy < 0)
				levy = 0;
			use = ni[i] > 0 ? (ni[i] < left ? ni[i] : left) : 0;
			if (use < 0)
				use = 0;
			left -= use;
			if (i >= 5) {           /* a month of year y: booked */
				int m = i - 5;

				out->levy_m[m] = levy - prev_levy;
				out->allowance_m[m] = -use;
				if (bursar_add(out->levy, out->levy_m[m], &out->levy) != 0 ||
				    bursar_add(out->employment_allowance, -use, &out->employment_allowance) != 0)
					return -1;
			}
			prev_levy = levy;
		}
	}
	return 0;
}

int staff_cost_trust_posts(const struct staff_post *posts, size_t n, const struct staff_env *env, int year,
			   struct staff_cost *costs, struct staff_trust_year *out, char *err, size_t errlen)
{
	struct staff_keys keys = { 0, NULL };
	size_t cap = 16, nlines = 0, lcap = 16;
	int64_t pay[17] = { 0 }, ni[17] = { 0 };
	struct staff_cost c, prev;
	struct staff_scale_cache *cache = NULL;
	const char *last_urn = NULL, *last_code = NULL;
	size_t last_line = 0;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	out->year = year;
	if (env == NULL || staff_env_rates(env, year) == NULL)
		return staff_trust_fail(err, errlen, "no staff rates");
	if (n > UINT32_MAX / 4)
		return staff_trust_fail(err, errlen, "too many posts");
	while (cap < 2 * n)
		cap *= 2;
	keys.mask = cap - 1;
	keys.slot = calloc(cap, sizeof(*keys.slot));
	cache = staff_scale_cache_new(env->awards);   /* NULL: each value worked out afresh */
	out->lines = calloc(lcap, sizeof(*out->lines));   /* grown as lines appear (at most n) */
	if (keys.slot == NULL || out->lines == NULL) {
		staff_trust_fail(err, errlen, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		const struct staff_post *p = &posts[i];
		size_t h;
		struct staff_line *l;

		if (staff_cost_months_cached(p, env, year, 0, STAFF_MONTHS, cache, &c, err, errlen) != 0)
			goto out;
		/* the tax year to date before the year: a post that cannot be costed there (a scale
		 * with no value in the year before: a point new this year) is left out of it */
		if (staff_cost_months_cached(p, env, year - 1, 7, STAFF_MONTHS, cache, &prev, NULL, 0) != 0) {
			memset(&prev, 0, sizeof(prev));
			out->prior_uncosted++;
		}
		if (costs != NULL)
			costs[i] = c;
		for (int m = 0; m < STAFF_MONTHS; m++) {
			if (bursar_add(pay[m + 5], c.m[m].pay, &pay[m + 5]) != 0 ||
			    bursar_add(ni[m + 5], c.m[m].ni, &ni[m + 5]) != 0)
				goto overflow;
		}
		for (int m = 7; m < STAFF_MONTHS; m++)
			if (bursar_add(pay[m - 7], prev.m[m].pay, &pay[m - 7]) != 0 ||
			    bursar_add(ni[m - 7], prev.m[m].ni, &ni[m - 7]) != 0)
				goto overflow;
		if (bursar_add(out->pay_bill, c.pay, &out->pay_bill) != 0)
			goto overflow;
		/* its line (urn and code checked by staff_cost_year: 1..7 characters): the last
		 * post's when it names the same strings, else through the table */
		if (p->urn == last_urn && p->code == last_code) {
			if (staff_line_add(&out->lines[last_line], &c) != 0)
				goto overflow;
			continue;
		}
		for (h = staff_key_hash(p->urn, p->code) & keys.mask; keys.slot[h] != 0; h = (h + 1) & keys.mask) {
			l = &out->lines[keys.slot[h] - 1];
			if (strcmp(l->urn, p->urn) == 0 && strcmp(l->code, p->code) == 0)
				break;
		}
		if (keys.slot[h] == 0) {
			if (nlines == lcap) {
				struct staff_line *g = realloc(out->lines, 2 * lcap * sizeof(*g));

				if (g == NULL) {
					staff_trust_fail(err, errlen, "out of memory");
					goto out;
				}
				memset(g + lcap, 0, lcap * sizeof(*g));
				out->lines = g;
				lcap *= 2;
			}
			l = &out->lines[nlines];
			snprintf(l->urn, sizeof(l->urn), "%s", p->urn);
			snprintf(l->code, sizeof(l->code), "%s", p->code);
			keys.slot[h] = (uint32_t)++nlines;
		}
		last_line = keys.slot[h] - 1;
		last_urn = p->urn;
		last_code = p->code;
		if (staff_line_add(&out->lines[last_line], &c) != 0)
			goto overflow;
	}
	out->nlines = nlines;
	qsort(out->lines, nlines, sizeof(*out->lines), staff_line_cmp);
	if (staff_levy(env, year, pay, ni, out) != 0)
		goto overflow;
	rc = 0;
	goto out;
overflow:
	staff_trust_fail(err, errlen, "the trust's staff costs overflow");
out:
	free(keys.slot);
	staff_scale_cache_free(cache);
	if (rc != 0)
		staff_trust_year_free(out);
	return rc;
}

int staff_cost_trust(const struct staff_post *posts, size_t n, const struct staff_env *env, int year,
		     struct staff_trust_year *out, char *err, size_t errlen)
{
	return staff_cost_trust_posts(posts, n, env, year, NULL, out, err, errlen);
}

void staff_trust_year_free(struct staff_trust_year *t)
{
	if (t == NULL)
		return;
	free(t->lines);
	memset(t, 0, sizeof(*t));
}
