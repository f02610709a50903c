/*
 * service.h - a shared service for one academic year: its cost (from its
 * contract, or entered), the months a contract or a subscription is active, the
 * fixed-share and overlap rules of subscriptions, and the allocation of the
 * year's cost to the subscribing schools (alloc.c).
 *
 * Cost from a contract: price.c's one pricing function (the monthly price
 * indexed exactly at each anniversary, a year's cost rounded once; options
 * assumed taken after the current end, re-procurement after the last possible
 * end; every assumption named), for the net price and the VAT alike; only the
 * VAT's irrecoverable part (configuration procurement.vat_recoverable_bp) is a
 * cost. A service without a contract has an entered annual cost (and VAT), the
 * current year's, raised by cpi in later years (price_entered_year).
 *
 * Allocation: each subscription's weight is its basis quantity × the months of
 * the year it covers (a month counts when it is active on its first day), so a
 * school that joins in January bears 8/12 of what a whole year would weigh. The
 * year's whole cost is split over the year's subscriptions by alloc_split.
 *
 * Pure: no I/O; thread-safe. Dates are days since 1970-01-01 (date.h);
 * PROCURE_NO_DATE is an absent date.
 */
#ifndef BURSAR_SERVICE_H
#define BURSAR_SERVICE_H

#include <stddef.h>
#include <stdint.h>

#include "alloc.h"
#include "price.h"
#include "procure.h"

enum service_source { SERVICE_ENTERED, SERVICE_CONTRACT };

struct service_cost {
	enum service_source source;
	int year;                                /* 2026 = 2026-27 */
	int months;                              /* months of the year it is active (12 when entered) */
	struct price_year price;                 /* how it was priced, and what it assumed */
	int64_t entered_pence;                   /* entered: the annual cost as entered ... */
	int entered_year;                        /* ... for this year (price_entered_year's from) */
	int64_t net_pence;                       /* the year's net cost */
	int64_t vat_pence;                       /* the year's VAT */
	int64_t irrecoverable_vat_pence;
	int64_t cost_pence;                      /* net + irrecoverable VAT: what is allocated */
};

/* The months of academic year `year` whose first day lies in [start, end]
 * (end PROCURE_NO_DATE: no end). 0..12. */
int service_months(int32_t start, int32_t end, int year);

/* The first day of academic year `year` (1 September) and its last (31 August). */
int32_t service_year_first(int year);
int32_t service_year_last(int year);

/*
 * The year's cost of contract c (its terms, its index's name when it is
 * index-linked, how it stands: price_contract_status) under basis b (price.h).
 * 0, or -1 on overflow.
 */
int service_contract_cost(const struct price_contract *c, const struct price_basis *b, int year,
			  int32_t vat_recoverable_bp, struct service_cost *out) __attribute__((warn_unused_result));

/* The year's cost of an entered annual cost and VAT, entered for academic year
 * `from` (the current one) and raised by cpi after it (price_entered_year). 0, or
 * -1 on bad input or overflow. */
int service_entered_cost(int64_t annual_pence, int64_t annual_vat_pence, int from, const struct price_basis *b,
			 int year, int32_t vat_recoverable_bp, struct service_cost *out)
	__attribute__((warn_unused_result));

/* How the cost was worked out ("contract ICT-TRUST-2026: 4 months at
 * £120,000.00 a year + 8 months at £123,600.00 a year (+300 bp from 1 Jan 2027)
 * = £122,400.00; VAT £24,480.00, all recoverable"). reference may be NULL.
 * Returns the length needed; buf is always NUL-terminated. */
size_t service_cost_explain(const struct service_cost *c, const char *reference, char *buf, size_t len);

/* A period of a subscription (or anything with a start and an optional end). */
struct service_span {
	int32_t start;
	int32_t end;                             /* PROCURE_NO_DATE: open */
	int64_t bp;                              /* fixed share; -1 none */
};

/* Whether two spans share a day. */
int service_overlap(const struct service_span *a, const struct service_span *b);

/*
 * Fixed shares: wherever at least one span is active, the shares of the active
 * spans sum to 10000 (a span with no share counts 0). 0 when they do; -1 with
 * the first day they do not (*day) and their sum there (*total).
 */
int service_shares_check(const struct service_span *s, size_t n, int32_t *day, int64_t *total);

/* A school's (or the central team's) basis data for the year. */
struct service_school {
	int64_t id;
	const char *urn;
	const char *name;
	int64_t pupils;                          /* October census of the year, or the latest before; -1 none */
	int pupils_year;                         /* the census year used */
	int64_t fte_hundredths;                  /* -1 none */
	int fte_year;
	int64_t floor_area;                      /* m²; -1 none */
};

/* One subscription of the service, with its allocation (out). */
struct service_sub {
	int64_t id;
	const struct service_school *school;
	int32_t start, end;                      /* end PROCURE_NO_DATE: open */
	int64_t usage_units;                     /* -1 none */
	int64_t fixed_share_bp;                  /* -1 none */
	/* out */
	int months;                              /* of the year */
	int64_t value;                           /* the basis quantity; -1 when the school lacks it (weight 0) */
	int64_t weight;                          /* value × months (0 when lacking) */
	int64_t pence;                           /* the share */
	int extra_penny;
};

struct service_alloc {
	enum alloc_basis basis;
	int64_t cost_pence;                      /* what was split */
	int prorated;                            /* some subscription has fewer than 12 months */
	int64_t total;                           /* sum of values (of weights when prorated) */
	int64_t weight_total;
	int64_t allocated_pence;
	int64_t unallocated_pence;               /* cost_pence when nothing can be split by */
	size_t nlacking;                         /* subscriptions whose school lacks the basis data */
	int no_weight;                           /* cost > 0 and every weight 0 */
};

/* The quantity a school contributes under a basis (-1 when it lacks it). */
int64_t service_value(enum alloc_basis basis, const struct service_school *s, int64_t usage_units,
		      int64_t fixed_share_bp);

/*
 * Allocate cost (>= 0) over subs[0..n) for the year by basis. Subscriptions with
 * no month in the year get 0. 0, or -1 on overflow or when out of memory.
 */
int service_allocate(enum alloc_basis basis, int64_t cost, struct service_sub *subs, size_t n, int year,
		     struct service_alloc *out) __attribute__((warn_unused_result));

/* The explanation of subs[i]'s share as data (for alloc_explain). */
void service_explain(const struct service_alloc *a, const struct service_sub *s, const char *unit,
		     struct alloc_explain *e);

#endif
