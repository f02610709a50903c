/*
 * alloc.h - exact allocation of a shared cost (DESIGN.md "Allocation of shared
 * costs"): the largest-remainder split, the cost net of recoverable VAT, and the
 * explanation of a share as data rendered to text
 * ("pupils 412 of 3,870 × £48,000.00").
 *
 * The split: with W the sum of the weights, each item gets floor(total × w / W)
 * pence; the pence left over (fewer than the number of items with a weight) go
 * one each to the largest remainders (total × w mod W), ties to the lower URN
 * and then the lower tie number. So the shares always sum to the total, and the
 * result does not depend on the order of the items.
 *
 * Pure: no I/O; thread-safe. Money is int64 pence (money.h does the 128-bit
 * arithmetic).
 */
#ifndef BURSAR_ALLOC_H
#define BURSAR_ALLOC_H

#include <stddef.h>
#include <stdint.h>

/* The bases a service's cost is split by, in the order of alloc_basis_names. */
enum alloc_basis {
	ALLOC_PER_PUPIL,                         /* October-census pupils */
	ALLOC_PER_FTE,                           /* staff FTE (in hundredths) */
	ALLOC_FLOOR_AREA,                        /* floor area in m² */
	ALLOC_EQUAL,                             /* one each */
	ALLOC_FIXED_SHARE,                       /* basis points, summing to 10000 */
	ALLOC_USAGE,                             /* usage units (meals, call-outs ...) */
};
#define ALLOC_NBASES 6

/* "per_pupil", "per_fte", "floor_area", "equal", "fixed_share", "usage", NULL. */
extern const char *const alloc_basis_names[];
/* The basis for a name, or -1. */
int alloc_basis_parse(const char *name);

struct alloc_item {
	const char *urn;                         /* first tie-break: the lower (strcmp) first */
	int64_t tie;                             /* second tie-break: the lower first */
	int64_t weight;                          /* >= 0 */
	int64_t pence;                           /* out: the share */
	int64_t remainder;                       /* out: total × weight mod W */
	int extra_penny;                         /* out: 1 when it got one of the pence left over */
};

#define ALLOC_NO_WEIGHT 1

/*
 * Split total (>= 0) over items[0..n) by weight. Returns 0; ALLOC_NO_WEIGHT
 * when total > 0 and every weight is 0 (nothing to split by: every share is 0);
 * -1 on bad input (a negative total or weight, weights summing past INT64_MAX)
 * or when out of memory. Outputs are set on 0 and ALLOC_NO_WEIGHT only.
 */
int alloc_split(int64_t total, struct alloc_item *items, size_t n) __attribute__((warn_unused_result));

/*
 * A cost net of recoverable VAT: of vat, round(vat × recoverable_bp / 10000)
 * is recovered; the rest (*irrecoverable) is a cost, so *cost = net +
 * irrecoverable. recoverable_bp is 0..10000. 0, or -1 on bad input or overflow.
 */
int alloc_net_cost(int64_t net, int64_t vat, int32_t recoverable_bp, int64_t *irrecoverable, int64_t *cost)
	__attribute__((warn_unused_result));

/* What a share was worked out from, rendered by alloc_explain. */
struct alloc_explain {
	enum alloc_basis basis;
	int64_t value;                           /* the school's quantity: pupils, FTE × 100, m², 1, bp, units */
	int64_t total;                           /* the sum the value is taken of (× months when prorated) */
	int months;                              /* months of the year the school subscribed (1..12) */
	int prorated;                            /* some subscriber had less than 12 months: weights are value × months */
	int64_t cost_pence;                      /* the cost that was split */
	int extra_penny;
	const char *unit;                        /* usage: the unit's name ("meals"); NULL or "": "units" */
};

/*
 * Render an explanation into buf (always NUL-terminated); returns the length
 * it needed. The forms, by basis:
 *   pupils 412 of 3,870 × £48,000.00
 *   FTE 82.40 of 650.10 × £48,000.00
 *   floor area 4,400 m² of 31,000 m² × £48,000.00
 *   1 of 9 schools × £48,000.00
 *   fixed share 2,500 of 10,000 bp × £48,000.00
 *   meals 41,000 of 120,000 × £48,000.00
 * prorated: "pupils 412 × 6 months of 43,218 (pupils × months) × £48,000.00";
 * with an extra penny, " (+1p remainder)" at the end.
 */
size_t alloc_explain(const struct alloc_explain *e, char *buf, size_t len);

/* An integer with thousands separators ("3,870"); with hundredths, two decimals
 * ("650.10"). Returns the length needed; buf is always NUL-terminated. */
size_t alloc_format_int(int64_t v, int hundredths, char *buf, size_t len);

#endif
