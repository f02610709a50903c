/*
 * procure.h - the procurement rules (DESIGN.md "Procurement rules"): a contract's
 * estimated whole-life value, its dates (notice by, current and final end, the
 * deadline of each remaining extension option), and the check against the
 * trust's scheme of delegation and the statutory thresholds.
 *
 * Pure: no I/O, no SQL, no HTTP; thread-safe. Dates are days since 1970-01-01
 * (date.h); money is int64 pence; rates are basis points. Strings in the structs
 * are borrowed from the caller for the duration of a call.
 *
 * Terms, as decided here:
 * - A term counts in whole calendar months, a part month counting as a month: the
 *   smallest k with start + k months > end (1 Sep 2026 .. 31 Aug 2029 is 36).
 * - An extension of m months after an end E ends on (E + 1 day) + m months - 1 day,
 *   so month-end terms stay on month ends (31 Aug + 12 months = 31 Aug). The
 *   current end adds the options used, the final end all of them; both add the
 *   months in one step from the initial end (the same expression as the
 *   generated columns in schema/002_contracts.sql).
 * - notice_by = current end - the notice period (days, or calendar months with
 *   the day clamped to the month's end: 31 May - 3 months = 28 Feb).
 * - The deadline to exercise an option is the notice date of the term before it.
 * - Estimated value: the months of the term plus every option (used or not); an
 *   auto-renewing contract is valued over 48 months when it has no end, or when
 *   its term and options are shorter than that (its renewals have no end, and 48
 *   months is what the Act uses for contracts of indefinite length), and is
 *   flagged. The yearly price incl. VAT is indexed on each anniversary
 *   (round(price x (10000 + rate) / 10000)), and each contract year costs
 *   round(price x months in that year / 12). The rate is 0 (none), the contract's
 *   fixed bp, or for an index the configured assumption (procurement.indexation_bp)
 *   plus the contract's margin in bp. The same value net of VAT (the annual value
 *   alone, indexed and counted the same way) is kept for thresholds that exclude VAT.
 * - Thresholds: each row has a VAT basis. A row incl. VAT (from 1 Jan 2022 by law)
 *   is compared with the estimated value incl. VAT; a row net of VAT (before 2022,
 *   e.g. goods and services £189,330 from 1 Jan 2020) with the value net of VAT.
 *   The Act, and the Regulations before it, apply when the value compared is not
 *   less than the threshold (>=).
 */
#ifndef BURSAR_PROCURE_H
#define BURSAR_PROCURE_H

#include <stddef.h>
#include <stdint.h>

#define PROCURE_MAX_BANDS      16
#define PROCURE_MAX_THRESHOLDS 32

/* Scheme of delegation: half-open [from_pence, to_pence) on estimated value incl. VAT. */
struct procure_band {
	int64_t from_pence;
	int64_t to_pence;                        /* INT64_MAX: no upper bound */
	char *route;                             /* single_quote, three_quotes, tender_or_framework, ... */
	char *approver;                          /* business_manager, finance_director, board */
};

/* Statutory threshold for a contract type from a date on (procurement start date). */
struct procure_threshold {
	char *contract_type;                     /* goods_services, light_touch, works, concession,
						  * light_touch_concession */
	int32_t from_date;                       /* days since 1970-01-01 (UTC) */
	int64_t pence;                           /* incl. VAT, or net of VAT when net_of_vat */
	char *regime;                            /* "PA2023" or "PCR2015" */
	int net_of_vat;                          /* 1: compare the value net of VAT (0: incl. VAT) */
};

/* The Procurement Act 2023 applies to procurements started on or after this day
 * (24 Feb 2025); the Public Contracts Regulations 2015 before it. */
#define PROCURE_ACT_FROM_DATE 20143

/* The trust's rules, as configured (procurement.* in the config file). */
struct procure_rules {
	size_t nbands;
	struct procure_band bands[PROCURE_MAX_BANDS];
	size_t nthresholds;
	struct procure_threshold thresholds[PROCURE_MAX_THRESHOLDS];
	int32_t indexation_bp;                   /* assumed yearly indexation, default 300 */
};

#define PROCURE_NO_DATE INT32_MIN                 /* an absent date */
#define PROCURE_MAX_OPTIONS 10
#define PROCURE_MAX_QUOTES 20
#define PROCURE_AUTO_RENEW_MONTHS 48
#define PROCURE_RELATED_PARTY_PENCE INT64_C(4000000)   /* DfE approval over £40,000 a year */
#define PROCURE_MAX_ITEMS 16

/* Recorded procurement routes, in the order of procure_route_names. */
enum procure_route {
	PROCURE_DIRECT_AWARD,
	PROCURE_SINGLE_QUOTE,
	PROCURE_THREE_QUOTES,
	PROCURE_FRAMEWORK,
	PROCURE_OPEN_TENDER,
	PROCURE_WAIVER,
};
/* "direct_award", ... "waiver", NULL: indexed by enum procure_route. */
extern const char *const procure_route_names[];

enum procure_unit { PROCURE_DAYS, PROCURE_MONTHS };
enum procure_ix { PROCURE_IX_NONE, PROCURE_IX_FIXED, PROCURE_IX_INDEX };

/* What the dates and the estimated value depend on. */
struct procure_terms {
	int32_t start;
	int32_t end;                             /* PROCURE_NO_DATE: none (auto-renew only) */
	size_t noptions;
	int option_months[PROCURE_MAX_OPTIONS];  /* each extension option, in order */
	int options_used;                        /* how many of them were exercised */
	int notice_period;
	enum procure_unit notice_unit;
	int auto_renew;
	int64_t annual_pence;                    /* net of VAT */
	int64_t vat_pence;                       /* the VAT on it */
	enum procure_ix ix;
	int32_t ix_bp;                           /* fixed rate, or the margin over the index */
};

struct procure_quote {
	const char *supplier;
	int64_t amount_pence;
	int chosen;
	int has_reason;                          /* why it was chosen (needed when not the lowest) */
};

/* The evidence of the procurement, as recorded. Absent strings are NULL, absent dates PROCURE_NO_DATE. */
struct procure_evidence {
	size_t nquotes;
	struct procure_quote quotes[PROCURE_MAX_QUOTES];
	int has_framework;                       /* framework name, lot and call-off method recorded */
	const char *tender_notice_id;
	const char *award_notice_id;
	const char *contract_details_notice_id;
	int32_t standstill_ends_on;
	int32_t conflicts_checked_on;
	int32_t debarment_checked_on;
	const char *direct_award_reason;
};

struct procure_contract {
	int64_t id;
	const char *reference;
	const char *category;
	const char *contract_type;               /* goods_services, light_touch, works, concession */
	int64_t supplier_id;
	int related_party;                       /* the supplier is a related party */
	enum procure_route route;
	int32_t started_on;                      /* procurement_started_on */
	struct procure_terms t;
	struct procure_evidence ev;
};

/* Another contract of the register, for the warnings. */
struct procure_peer {
	int64_t id;
	const char *reference;
	const char *category;
	int64_t supplier_id;
	int32_t started_on;
	int64_t estimated_pence;                 /* procure_estimate's pence */
	int64_t annual_gross_pence;              /* annual value + VAT */
	int current;                             /* not expired or terminated */
};

struct procure_option {
	int index;                               /* 1-based position in the option list */
	int months;
	int32_t exercise_by;
	int32_t extends_to;
};

struct procure_dates {
	int32_t current_end;                     /* PROCURE_NO_DATE when the contract has no end */
	int32_t final_end;
	int32_t notice_by;
	size_t noptions;                         /* options remaining */
	struct procure_option options[PROCURE_MAX_OPTIONS];
};

struct procure_value {
	int64_t pence;                           /* estimated whole-life value incl. VAT */
	int64_t net_pence;                       /* the same net of VAT */
	int months;                              /* the months it is valued over */
	int auto_renew_48;                       /* valued over 48 months because it auto-renews */
	int32_t rate_bp;                         /* the yearly indexation used */
};

struct procure_item {
	char code[32];
	char message[480];
};

struct procure_result {
	struct procure_value value;
	const struct procure_band *band;             /* NULL only when the bands do not cover the value */
	const struct procure_threshold *threshold;   /* for the type and date; NULL when none applies */
	int above_threshold;                     /* compared_pence >= threshold */
	int64_t compared_pence;                  /* the value compared: net of VAT or incl. VAT, as the
						  * threshold's row says (0 with no threshold) */
	char threshold_note[480];                /* the comparison in words ("" with no threshold) */
	int route_ok;                            /* the recorded route meets the band and the threshold */
	int evidence_ok;                         /* every item of the route's checklist is recorded */
	int compliant;                           /* both */
	const char *approver;                    /* the band's approver */
	size_t nallowed;
	enum procure_route allowed[PROCURE_WAIVER];   /* routes that would meet the rules */
	size_t nmissing;
	struct procure_item missing[PROCURE_MAX_ITEMS];
	size_t nwarnings;
	struct procure_item warnings[PROCURE_MAX_ITEMS];
	int64_t aggregate_pence;                 /* this + same category within 12 months */
	int64_t related_year_pence;              /* a year's value with a related-party supplier */
};

/* The dates derived from the terms. */
void procure_dates(const struct procure_terms *t, struct procure_dates *out);

/*
 * An auto-renewing contract's next renewal after today: with no end, the next
 * anniversary of its start after today; with an end, the day after its current
 * end when that is after today, else the next anniversary of that day after
 * today. *notice_by is the next renewal less the notice period. Both
 * PROCURE_NO_DATE for a contract that does not auto-renew.
 */
void procure_next_renewal(const struct procure_terms *t, const struct procure_dates *d, int32_t today,
			  int32_t *next_renewal, int32_t *notice_by);

/*
 * The notice date a contract shows everywhere (its JSON, the register's filter,
 * sort and export, the services' contract summary, the feed, the alerts): with an
 * end, the current end less the notice period (d->notice_by, the stored column);
 * auto-renewing with no end, its next renewal after today less the notice period
 * (procure_next_renewal; store_contracts.h's CONTRACT_NOTICE_BY is the same in
 * SQL). *next_renewal (may be NULL) gets procure_next_renewal's. PROCURE_NO_DATE
 * when there is none.
 */
int32_t procure_notice_date(const struct procure_terms *t, const struct procure_dates *d, int32_t today,
			    int32_t *next_renewal);

/* The smallest k with start + k months > end (0 when end < start). */
int procure_term_months(int32_t start, int32_t end);

/* The end after m more months: (end + 1 day) + m months - 1 day. */
int32_t procure_extend(int32_t end, int months);

/* The estimated whole-life value incl. VAT (and net of VAT). 0, or -1 on overflow (out unchanged). */
int procure_estimate(const struct procure_terms *t, int32_t assumed_index_bp, struct procure_value *out)
	__attribute__((warn_unused_result));

/* The statutory threshold for a contract type and procurement start date: the
 * entry with the latest "from" not after the date; NULL when none. */
const struct procure_threshold *procure_threshold(const struct procure_rules *rules, const char *contract_type,
					      int32_t started_on);

/* The band whose half-open [from, to) holds the value; NULL if none does. */
const struct procure_band *procure_band(const struct procure_rules *rules, int64_t pence);

/*
 * Check a contract against the rules' bands and thresholds, with the register's other
 * contracts (peers; the contract itself may be among them and is skipped by id)
 * for the warnings. 0, or -1 when the value overflows.
 */
int procure_check(const struct procure_rules *rules, const struct procure_contract *c, const struct procure_peer *peers,
		  size_t npeers, struct procure_result *out) __attribute__((warn_unused_result));

#endif
