/*
 * bursar_arith.h - the exact money arithmetic of the daemon and the plugins:
 * checked add/subtract/multiply, the multiply-divide that rounds (half away from
 * zero) or floors through a 128-bit intermediate, and the largest-remainder split
 * of a shared cost (DESIGN.md "Drivers" and "Allocation of shared costs").
 *
 * Part of the plugin ABI: a plugin may include only bursar_plugin.h and this
 * header (C11, libc; no daemon internals). The daemon's money.c and alloc.c are
 * built on it too, so a plugin's pooling splits and rounds exactly as the
 * daemon's allocations do, to the penny. Everything here is static inline and
 * nothing crosses the plugin boundary: each plugin compiles its own copy, so a
 * change here never breaks a built plugin (no BURSAR_RULES_ABI bump), it only
 * changes what the next build computes.
 *
 * Money is int64_t pence, rates basis points; no floating point. The 128-bit
 * intermediates (written __extension__ __int128, so -std=c11 -Wpedantic stays
 * quiet) live in bursar_muldiv only. Fallible functions return 0, or -1 on
 * overflow or bad input; the arithmetic leaves *out unchanged on -1. Every
 * function is pure and thread-safe (bursar_split allocates and frees a scratch
 * array).
 */
#ifndef BURSAR_ARITH_H
#define BURSAR_ARITH_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define BURSAR_BP_ONE 10000                      /* 100.00% in basis points */

/* a + b, a - b, a × b into *out: 0, or -1 on overflow (*out unchanged). */
__attribute__((warn_unused_result)) static inline int bursar_add(int64_t a, int64_t b, int64_t *out)
{
	int64_t r;                               /* the builtins store the wrapped result */

	if (__builtin_add_overflow(a, b, &r))
		return -1;
	*out = r;
	return 0;
}

__attribute__((warn_unused_result)) static inline int bursar_sub(int64_t a, int64_t b, int64_t *out)
{
	int64_t r;

	if (__builtin_sub_overflow(a, b, &r))
		return -1;
	*out = r;
	return 0;
}

__attribute__((warn_unused_result)) static inline int bursar_mul(int64_t a, int64_t b, int64_t *out)
{
	int64_t r;

	if (__builtin_mul_overflow(a, b, &r))
		return -1;
	*out = r;
	return 0;
}

/*
 * a × num / den, exact: with round, to the nearest penny, half away from zero;
 * without, truncated toward zero, and *rem (may be NULL) gets the remainder
 * (the sign of a × num). den != 0. 0, or -1 when den is 0 or the quotient does
 * not fit in 64 bits.
 *
 * a × num fits in 127 bits for any int64 operands, so the product is exact and
 * only the quotient can overflow. When the product fits in 64 bits (nearly
 * always: pence times a bp factor) the same steps run without the 128-bit
 * division, which is most of a forecast's time; den is then neither -1
 * (INT64_MIN / -1) nor INT64_MIN (no |den|).
 */
__attribute__((warn_unused_result)) static inline int bursar_muldiv(int64_t a, int64_t num, int64_t den, int round,
								   int64_t *out, int64_t *rem)
{
	__extension__ typedef __int128 bursar_wide;
	bursar_wide p, q, r, absr, absd;
	int64_t p64;

	if (den == 0)
		return -1;
	if (!__builtin_mul_overflow(a, num, &p64) && den != -1 && den != INT64_MIN) {
		int64_t q64 = p64 / den, r64 = p64 % den, absr64 = r64 < 0 ? -r64 : r64;
		int64_t absd64 = den < 0 ? -den : den;

		if (round && r64 != 0 && absr64 >= absd64 - absr64)   /* |r| >= |den| / 2 */
			q64 += ((p64 < 0) == (den < 0)) ? 1 : -1;
		*out = q64;
		if (rem != NULL)
			*rem = r64;
		return 0;
	}
	p = (bursar_wide)a * num;
	q = p / den;
	r = p % den;
	if (round && r != 0) {
		absr = r < 0 ? -r : r;
		absd = den < 0 ? -(bursar_wide)den : (bursar_wide)den;
		if (2 * absr >= absd)
			q += ((p < 0) == (den < 0)) ? 1 : -1;
	}
	if (q > INT64_MAX || q < INT64_MIN)
		return -1;
	*out = (int64_t)q;
	if (rem != NULL)
		*rem = (int64_t)r;                  /* |r| < |den|, so it fits */
	return 0;
}

/* round(a × num / den), half away from zero: 2.5 -> 3, -2.5 -> -3. den != 0. */
__attribute__((warn_unused_result)) static inline int bursar_muldiv_round(int64_t a, int64_t num, int64_t den,
									 int64_t *out)
{
	return bursar_muldiv(a, num, den, 1, out, NULL);
}

/* floor(a × num / den) and its remainder (rem may be NULL), for a, num >= 0 and
 * den > 0 (else -1): the step of the split. */
__attribute__((warn_unused_result)) static inline int bursar_muldiv_floor(int64_t a, int64_t num, int64_t den,
									 int64_t *out, int64_t *rem)
{
	if (a < 0 || num < 0 || den <= 0)           /* truncation is floor only for q >= 0 */
		return -1;
	return bursar_muldiv(a, num, den, 0, out, rem);
}

/*
 * The largest-remainder split (DESIGN.md "Allocation of shared costs"). With W
 * the sum of the weights, each share gets floor(total × weight / W) pence; the
 * pence left over (fewer than the shares with a remainder) go one each to the
 * largest remainders (total × weight mod W).
 *
 * The tie rule: equal remainders go to the lower URN first (strcmp; a NULL URN
 * counts as ""), and between equal URNs to the lower tie number (the caller's
 * stable id, e.g. a subscription's; any value when URNs are unique). So the
 * shares always sum to the total and do not depend on the order of the items.
 *
 * The zero-weight rule: when W is 0 (no items, or every weight 0) there is
 * nothing to split by, and no basis is invented: every share is 0, nothing is
 * allocated, and bursar_split returns BURSAR_SPLIT_NO_WEIGHT if total > 0 (0 if
 * total is 0: nothing to allocate). The caller says what that means: the
 * daemon's service allocation leaves the cost unallocated with a warning, the
 * central plugin refuses the pool with an error.
 */
struct bursar_share {
	const char *urn;                         /* in: first tie-break, the lower first */
	int64_t tie;                             /* in: second tie-break, the lower first */
	int64_t weight;                          /* in: >= 0 */
	int64_t pence;                           /* out: the share */
	int64_t remainder;                       /* out: total × weight mod W */
	int extra_penny;                         /* out: 1 when it got one of the pence left over */
};

#define BURSAR_SPLIT_NO_WEIGHT 1

/* Largest remainder first; then the lower URN; then the lower tie number. */
static inline int bursar_split_cmp(const void *a, const void *b)
{
	const struct bursar_share *x = *(const struct bursar_share *const *)a;
	const struct bursar_share *y = *(const struct bursar_share *const *)b;
	int c;

	if (x->remainder != y->remainder)
		return x->remainder > y->remainder ? -1 : 1;
	if ((c = strcmp(x->urn != NULL ? x->urn : "", y->urn != NULL ? y->urn : "")) != 0)
		return c;
	return x->tie < y->tie ? -1 : x->tie > y->tie;
}

/*
 * Split total (>= 0) over s[0..n) by weight, as above. Returns 0, or
 * BURSAR_SPLIT_NO_WEIGHT (every share 0); -1 on bad input (a negative total or
 * weight, weights summing past INT64_MAX; the outputs are then untouched) or
 * out of memory (the outputs are then partly set: not to be used).
 */
__attribute__((warn_unused_result)) static inline int bursar_split(int64_t total, struct bursar_share *s, size_t n)
{
	struct bursar_share **order;
	int64_t w = 0, given = 0, left;

	if (total < 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (s[i].weight < 0 || bursar_add(w, s[i].weight, &w) != 0)
			return -1;
	for (size_t i = 0; i < n; i++) {
		s[i].pence = 0;
		s[i].remainder = 0;
		s[i].extra_penny = 0;
	}
	if (w == 0)
		return total > 0 ? BURSAR_SPLIT_NO_WEIGHT : 0;
	for (size_t i = 0; i < n; i++) {
		if (bursar_muldiv_floor(total, s[i].weight, w, &s[i].pence, &s[i].remainder) != 0)
			return -1;                  /* cannot happen: each share <= total */
		given += s[i].pence;                /* each <= total and they sum <= total */
	}
	/* the remainders sum to left × W and each is < W: left is below the number of
	 * items with a remainder, so the pence go to distinct items */
	if ((left = total - given) == 0)
		return 0;
	if ((order = malloc(n * sizeof(*order))) == NULL)
		return -1;
	for (size_t i = 0; i < n; i++)
		order[i] = &s[i];
	qsort(order, n, sizeof(*order), bursar_split_cmp);
	for (int64_t k = 0; k < left; k++) {
		order[k]->pence++;
		order[k]->extra_penny = 1;
	}
	free(order);
	return 0;
}

#endif
