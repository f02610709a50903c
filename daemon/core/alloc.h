/*
 * alloc.h - exact allocation of a shared cost (DESIGN.md "Allocation of shared
 * costs"): the largest-remainder split, the cost net of recoverable VAT, and the
 * explanation of a share as data rendered to text
 * ("pupils 412 of 3,870 × £48,000.00").
 *
 * The split is plugins/bursar_arith.h's bursar_split, the one the plugins use
 * (the central plugin's pooling splits exactly as allocation does): with W the
 * sum of the weights, each item gets floor(total × w / W) pence; the pence left
 * over (fewer than the number of items with a weight) go one each to the
 * largest remainders (total × w mod W), ties to the lower URN and then the
 * lower tie number (services pass the subscription's id). So the shares always
 * sum to the total, and the result does not depend on the order of the items.
 * With no weight at all (W = 0) nothing is split: every share is 0 and the cost
 * stays unallocated (ALLOC_NO_WEIGHT).
 *
 * Pure: no I/O; thread-safe. Money is int64 pence (bursar_arith.h does the
 * 128-bit arithmetic).
 */
#ifndef BURSAR_ALLOC_H
#define BURSAR_ALLOC_H

#include <stddef.h>
#include <stdint.h>

#include "bursar_arith.h"

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

/* An item of the split: struct bursar_share (bursar_arith.h): urn and tie (the
 * tie-breaks, the lower first), weight (>= 0) in; pence, remainder and
 * extra_penny out. */
#define ALLOC_NO_WEIGHT BURSAR_SPLIT_NO_WEIGHT

/*
 * Split total (>= 0) over items[0..n) by weight: bursar_split. Returns 0;
 * ALLOC_NO_WEIGHT when total > 0 and every weight is 0 (nothing to split by:
 * every share is 0); -1 on bad input (a negative total or weight, weights
 * summing past INT64_MAX) or when out of memory. Use the outputs on 0 and
 * ALLOC_NO_WEIGHT only.
 */
int alloc_split(int64_t total, struct bursar_share *items, size_t n) __attribute__((warn_unused_result));

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
