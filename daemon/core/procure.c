/* procure.c - see procure.h */
#include "procure.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "date.h"
#include "money.h"

const char *const procure_route_names[] = { "direct_award", "single_quote", "three_quotes", "framework",
					    "open_tender", "waiver", NULL };

/* How much competition a recorded route shows; a waiver shows none that counts. */
static const int procure_route_rank[] = { 0, 1, 2, 3, 3, -1 };

/*
 * How much competition a band's route (a name from the config) asks for. The
 * names the demo scheme uses are known; any other name (tender_or_framework,
 * find_a_tender_or_framework, open_tender, framework, ...) asks for a tender or
 * a framework call-off, the strictest.
 */
static int procure_band_rank(const char *route)
{
	if (strcmp(route, "direct_award") == 0)
		return 0;
	if (strcmp(route, "single_quote") == 0)
		return 1;
	if (strcmp(route, "three_quotes") == 0)
		return 2;
	return 3;
}

int32_t procure_extend(int32_t end, int months)
{
	return months == 0 ? end : date_add_months(end + 1, months) - 1;
}

int procure_term_months(int32_t start, int32_t end)
{
	int sy, sm, sd, ey, em, ed, k;

	if (end < start)
		return 0;
	date_to_ymd(start, &sy, &sm, &sd);
	date_to_ymd(end, &ey, &em, &ed);
	/* start + (month difference - 1) months lies in the month before end's: below end */
	k = (ey - sy) * 12 + (em - sm) - 1;
	if (k < 0)
		k = 0;
	while (date_add_months(start, k) <= end)
		k++;
	return k;
}

static int32_t procure_notice(const struct procure_terms *t, int32_t end)
{
	return t->notice_unit == PROCURE_MONTHS ? date_add_months(end, -t->notice_period) : end - t->notice_period;
}

void procure_dates(const struct procure_terms *t, struct procure_dates *out)
{
	int used = 0, all = 0;
	size_t n = t->noptions < PROCURE_MAX_OPTIONS ? t->noptions : PROCURE_MAX_OPTIONS;

	memset(out, 0, sizeof(*out));
	if (t->end == PROCURE_NO_DATE) {
		out->current_end = out->final_end = out->notice_by = PROCURE_NO_DATE;
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if ((int)i < t->options_used)
			used += t->option_months[i];
		all += t->option_months[i];
	}
	out->current_end = procure_extend(t->end, used);
	out->final_end = procure_extend(t->end, all);
	out->notice_by = procure_notice(t, out->current_end);
	/* each option runs on from the end before it, counted from the initial end in one step */
	for (size_t i = (size_t)(t->options_used > 0 ? t->options_used : 0); i < n; i++) {
		struct procure_option *o = &out->options[out->noptions++];

		o->index = (int)i + 1;
		o->months = t->option_months[i];
		o->exercise_by = procure_notice(t, procure_extend(t->end, used));
		used += t->option_months[i];
		o->extends_to = procure_extend(t->end, used);
	}
}

void procure_next_renewal(const struct procure_terms *t, const struct procure_dates *d, int32_t today,
			  int32_t *next_renewal, int32_t *notice_by)
{
	int32_t anchor, next;
	int n;

	*next_renewal = *notice_by = PROCURE_NO_DATE;
	if (!t->auto_renew)
		return;
	anchor = d->current_end == PROCURE_NO_DATE ? t->start : d->current_end + 1;
	n = d->current_end == PROCURE_NO_DATE ? 1 : 0;
	/* whole years from the anchor, in one step near today, then forward */
	if (today > anchor) {
		int ay, am, ad, ty, tm, td;

		date_to_ymd(anchor, &ay, &am, &ad);
		date_to_ymd(today, &ty, &tm, &td);
		if (ty - ay - 1 > n)
			n = ty - ay - 1;
	}
	while ((next = date_add_months(anchor, 12 * n)) <= today)
		n++;
	*next_renewal = next;
	*notice_by = procure_notice(t, next);
}

int32_t procure_notice_date(const struct procure_terms *t, const struct procure_dates *d, int32_t today,
			    int32_t *next_renewal)
{
	int32_t renewal, notice;

	procure_next_renewal(t, d, today, &renewal, &notice);
	if (next_renewal != NULL)
		*next_renewal = renewal;
	return d->current_end != PROCURE_NO_DATE ? d->notice_by : notice;
}

int procure_estimate(const struct procure_terms *t, int32_t assumed_index_bp, struct procure_value *out)
{
	struct procure_value v = { 0 };
	int64_t price, net = t->annual_pence, part;
	size_t n = t->noptions < PROCURE_MAX_OPTIONS ? t->noptions : PROCURE_MAX_OPTIONS;

	if (money_add(t->annual_pence, t->vat_pence, &price) != 0)
		return -1;
	if (t->end != PROCURE_NO_DATE)
		v.months = procure_term_months(t->start, t->end);
	for (size_t i = 0; i < n; i++)
		v.months += t->option_months[i];
	if ((t->auto_renew || t->end == PROCURE_NO_DATE) &&
	    (t->end == PROCURE_NO_DATE || v.months < PROCURE_AUTO_RENEW_MONTHS)) {
		v.months = PROCURE_AUTO_RENEW_MONTHS;
		v.auto_renew_48 = 1;
	}
	v.rate_bp = t->ix == PROCURE_IX_NONE ? 0 : t->ix == PROCURE_IX_FIXED ? t->ix_bp : assumed_index_bp + t->ix_bp;
	for (int y = 0; y * 12 < v.months; y++) {
		int m = v.months - y * 12 > 12 ? 12 : v.months - y * 12;

		if (y > 0 && (money_apply_bp(price, v.rate_bp, &price) != 0 || money_apply_bp(net, v.rate_bp, &net) != 0))
			return -1;
		if (money_muldiv_round(price, m, 12, &part) != 0 || money_add(v.pence, part, &v.pence) != 0)
			return -1;
		if (money_muldiv_round(net, m, 12, &part) != 0 || money_add(v.net_pence, part, &v.net_pence) != 0)
			return -1;
	}
	*out = v;
	return 0;
}

const struct procure_threshold *procure_threshold(const struct procure_rules *rules, const char *contract_type,
					      int32_t started_on)
{
	const struct procure_threshold *best = NULL;

	for (size_t i = 0; i < rules->nthresholds; i++) {
		const struct procure_threshold *t = &rules->thresholds[i];

		if (strcmp(t->contract_type, contract_type) == 0 && t->from_date <= started_on &&
		    (best == NULL || t->from_date > best->from_date))
			best = t;
	}
	return best;
}

const struct procure_band *procure_band(const struct procure_rules *rules, int64_t pence)
{
	for (size_t i = 0; i < rules->nbands; i++)
		if (rules->bands[i].from_pence <= pence && pence < rules->bands[i].to_pence)
			return &rules->bands[i];
	return NULL;
}

static void procure_add(struct procure_item *items, size_t *n, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void procure_add(struct procure_item *items, size_t *n, const char *code, const char *fmt, ...)
{
	va_list ap;

	if (*n >= PROCURE_MAX_ITEMS)
		return;
	snprintf(items[*n].code, sizeof(items[*n].code), "%s", code);
	va_start(ap, fmt);
	vsnprintf(items[*n].message, sizeof(items[*n].message), fmt, ap);
	va_end(ap);
	(*n)++;
}

#define MISSING(out, code, ...) procure_add((out)->missing, &(out)->nmissing, code, __VA_ARGS__)
#define WARN(out, code, ...) procure_add((out)->warnings, &(out)->nwarnings, code, __VA_ARGS__)

/* Quote records: need from different suppliers, the chosen one marked, and a
 * reason when the chosen one is not the lowest (when asked). */
static void procure_quotes(const struct procure_evidence *ev, size_t need, int reason_rule, const char *what,
			   struct procure_result *out)
{
	const struct procure_quote *chosen = NULL;
	int64_t lowest = INT64_MAX;
	size_t distinct = 0;
	char a[40], b[40];

	for (size_t i = 0; i < ev->nquotes; i++) {
		size_t j = 0;

		while (j < i && strcmp(ev->quotes[j].supplier, ev->quotes[i].supplier) != 0)
			j++;
		distinct += j == i;
		if (ev->quotes[i].chosen)
			chosen = &ev->quotes[i];
		if (ev->quotes[i].amount_pence < lowest)
			lowest = ev->quotes[i].amount_pence;
	}
	if (distinct < need) {
		if (need == 1)
			MISSING(out, "quotes", "a %s must be recorded (supplier and amount)", what);
		else
			MISSING(out, "quotes", "%zu %ss from different suppliers are needed (%zu recorded)", need,
				what, distinct);
	}
	if (ev->nquotes > 0 && chosen == NULL)
		MISSING(out, "chosen_quote", "mark the %s that was chosen", what);
	if (reason_rule && chosen != NULL && chosen->amount_pence > lowest && !chosen->has_reason) {
		money_format_human(chosen->amount_pence, a, sizeof(a));
		money_format_human(lowest, b, sizeof(b));
		MISSING(out, "quote_reason", "the chosen %s (%s) is not the lowest (%s): record why it was chosen",
			what, a, b);
	}
}

/* The checklist of the recorded route, and above the threshold the statutory items. */
static void procure_evidence_check(const struct procure_contract *c, struct procure_result *out)
{
	const struct procure_evidence *ev = &c->ev;
	char d1[16], d2[16];

	switch (c->route) {
	case PROCURE_DIRECT_AWARD:
		procure_quotes(ev, 1, 0, "quote", out);
		if (ev->direct_award_reason == NULL)
			MISSING(out, "direct_award_reason", "a direct award needs its justification recorded");
		break;
	case PROCURE_SINGLE_QUOTE:
		procure_quotes(ev, 1, 0, "quote", out);
		break;
	case PROCURE_THREE_QUOTES:
		procure_quotes(ev, 3, 1, "quote", out);
		break;
	case PROCURE_FRAMEWORK:
		if (!ev->has_framework)
			MISSING(out, "framework", "the framework, its lot and the call-off method must be recorded");
		break;
	case PROCURE_OPEN_TENDER:
		procure_quotes(ev, 1, 1, "bid", out);
		break;
	case PROCURE_WAIVER:
		break;
	}
	if (!out->above_threshold)
		return;
	if (strcmp(out->threshold->regime, "PA2023") == 0) {
		if (c->route == PROCURE_OPEN_TENDER && ev->tender_notice_id == NULL)
			MISSING(out, "tender_notice", "the tender notice id on Find a Tender");
		if (ev->award_notice_id == NULL)
			MISSING(out, "award_notice", "the contract award notice id on Find a Tender");
	} else {
		if (c->route == PROCURE_OPEN_TENDER && ev->tender_notice_id == NULL)
			MISSING(out, "tender_notice", "the contract notice id on Find a Tender (PCR 2015)");
		if (ev->award_notice_id == NULL)
			MISSING(out, "award_notice", "the contract award notice id on Find a Tender (PCR 2015)");
	}
	if (ev->standstill_ends_on == PROCURE_NO_DATE) {
		MISSING(out, "standstill", "the date the standstill period ended");
	} else if (ev->standstill_ends_on >= c->t.start) {
		date_format(ev->standstill_ends_on, d1, sizeof(d1));
		date_format(c->t.start, d2, sizeof(d2));
		MISSING(out, "standstill", "the standstill period (to %s) must end before the contract starts (%s)",
			d1, d2);
	}
	if (strcmp(out->threshold->regime, "PA2023") != 0)
		return;
	if (ev->contract_details_notice_id == NULL)
		MISSING(out, "contract_details_notice", "the contract details notice id on Find a Tender");
	if (ev->conflicts_checked_on == PROCURE_NO_DATE)
		MISSING(out, "conflicts_assessment", "the date of the conflicts-of-interest assessment");
	if (ev->debarment_checked_on == PROCURE_NO_DATE)
		MISSING(out, "debarment_check", "the date the debarment list was checked");
}

static void procure_route_check(const struct procure_contract *c, struct procure_result *out)
{
	int need = out->band != NULL ? procure_band_rank(out->band->route) : 3;
	char v[40], lo[40], hi[40];

	if (out->above_threshold && need < 3)
		need = 3;
	for (int r = PROCURE_DIRECT_AWARD; r < PROCURE_WAIVER; r++)
		if (procure_route_rank[r] >= need)
			out->allowed[out->nallowed++] = (enum procure_route)r;
	out->route_ok = procure_route_rank[c->route] >= need;
	if (out->route_ok)
		return;
	money_format_human(out->value.pence, v, sizeof(v));
	if (out->band == NULL) {
		MISSING(out, "route", "no band of the scheme of delegation covers %s", v);
		return;
	}
	money_format_human(out->band->from_pence, lo, sizeof(lo));
	if (out->band->to_pence == INT64_MAX)
		snprintf(hi, sizeof(hi), "no limit");
	else
		money_format_human(out->band->to_pence, hi, sizeof(hi));
	if (c->route == PROCURE_WAIVER)
		MISSING(out, "route", "the route is a waiver of the scheme of delegation, whose band for %s "
			"(%s to under %s) needs %s: a finance director must record the waiver with a reason",
			v, lo, hi, out->above_threshold ? "a tender or framework above the threshold" : out->band->route);
	else if (out->above_threshold && procure_band_rank(out->band->route) < 3)
		MISSING(out, "route", "%s is at or above the statutory threshold: %s does not meet it (a tender "
			"or a framework call-off is needed)", v, procure_route_names[c->route]);
	else
		MISSING(out, "route", "%s does not meet the band for %s (%s to under %s), which needs %s",
			procure_route_names[c->route], v, lo, hi, out->band->route);
}

/* Same category, procurement started less than 12 months apart, the trust as one buyer. */
static void procure_aggregation(const struct procure_contract *c, const struct procure_peer *peers, size_t npeers,
				struct procure_result *out)
{
	int32_t lo = date_add_months(c->started_on, -12), hi = date_add_months(c->started_on, 12);
	char refs[120] = "", total[40], th[40];
	size_t o = 0, n = 0;
	int64_t sum = out->value.pence;

	if (out->threshold == NULL || out->above_threshold)
		return;
	for (size_t i = 0; i < npeers; i++) {
		const struct procure_peer *pr = &peers[i];

		if (pr->id == c->id || strcmp(pr->category, c->category) != 0 || pr->started_on <= lo ||
		    pr->started_on >= hi)
			continue;
		if (money_add(sum, pr->estimated_pence, &sum) != 0)
			sum = INT64_MAX;
		if (o < sizeof(refs) - 1)
			o += (size_t)snprintf(refs + o, sizeof(refs) - o, "%s%s", n ? ", " : "", pr->reference);
		n++;
	}
	if (o >= sizeof(refs) - 1)
		memcpy(refs + sizeof(refs) - 4, "...", 4);
	out->aggregate_pence = sum;
	if (n == 0 || sum < out->threshold->pence)
		return;
	money_format_human(sum, total, sizeof(total));
	money_format_human(out->threshold->pence, th, sizeof(th));
	WARN(out, "aggregation", "%s purchases started within 12 months of this one (%s) bring the total to %s, "
	     "at or above the %s threshold of %s: the trust is one contracting authority", c->category, refs,
	     total, c->contract_type, th);
}

static void procure_related(const struct procure_contract *c, const struct procure_peer *peers, size_t npeers,
			    struct procure_result *out)
{
	int64_t year;
	char v[40];

	if (!c->related_party)
		return;
	if (money_add(c->t.annual_pence, c->t.vat_pence, &year) != 0)
		year = INT64_MAX;
	for (size_t i = 0; i < npeers; i++)
		if (peers[i].id != c->id && peers[i].supplier_id == c->supplier_id && peers[i].current &&
		    money_add(year, peers[i].annual_gross_pence, &year) != 0)
			year = INT64_MAX;
	out->related_year_pence = year;
	money_format_human(year, v, sizeof(v));
	if (year > PROCURE_RELATED_PARTY_PENCE)
		WARN(out, "related_party", "the supplier is a related party: declare it to the DfE before the "
		     "contract; %s a year with this supplier is over £40,000 in a year to 31 August, which needs "
		     "the DfE's approval", v);
	else
		WARN(out, "related_party", "the supplier is a related party: declare it to the DfE before the "
		     "contract (%s a year with this supplier; above £40,000 in a year to 31 August the DfE "
		     "must approve)", v);
}

static const char *procure_regime_name(const char *regime)
{
	return strcmp(regime, "PA2023") == 0 ? "the Procurement Act 2023" : "the Public Contracts Regulations 2015";
}

/* The estimated value against the threshold in force, on the row's VAT basis (>=). */
static void procure_threshold_compare(const struct procure_contract *c, struct procure_result *out)
{
	const struct procure_threshold *t = out->threshold;
	const char *basis;
	char v[40], th[40], d[16];

	if (t == NULL)
		return;
	basis = t->net_of_vat ? "net of VAT" : "incl. VAT";
	out->compared_pence = t->net_of_vat ? out->value.net_pence : out->value.pence;
	out->above_threshold = out->compared_pence >= t->pence;
	money_format_human(out->compared_pence, v, sizeof(v));
	money_format_human(t->pence, th, sizeof(th));
	date_format(t->from_date, d, sizeof(d));
	snprintf(out->threshold_note, sizeof(out->threshold_note),
		 "estimated value %s %s against the %s threshold of %s %s for procurements started from %s "
		 "(%s): %s", basis, v, c->contract_type, th, basis, d, procure_regime_name(t->regime),
		 out->above_threshold ? "not less than the threshold, so the statutory rules apply"
				      : "below the threshold");
}

int procure_check(const struct procure_rules *rules, const struct procure_contract *c, const struct procure_peer *peers,
		  size_t npeers, struct procure_result *out)
{
	size_t route_missing;
	char d[16];

	memset(out, 0, sizeof(*out));
	if (procure_estimate(&c->t, rules->indexation_bp, &out->value) != 0)
		return -1;
	out->band = procure_band(rules, out->value.pence);
	out->approver = out->band != NULL ? out->band->approver : "board";
	out->threshold = procure_threshold(rules, c->contract_type, c->started_on);
	procure_threshold_compare(c, out);
	procure_route_check(c, out);
	route_missing = out->nmissing;
	procure_evidence_check(c, out);
	out->evidence_ok = out->nmissing == route_missing;
	out->compliant = out->route_ok && out->evidence_ok;
	if (out->value.auto_renew_48) {
		if (c->t.end == PROCURE_NO_DATE)
			WARN(out, "auto_renew_48_months", "auto-renews with no end: valued over %d months",
			     PROCURE_AUTO_RENEW_MONTHS);
		else
			WARN(out, "auto_renew_48_months", "auto-renews: valued over %d months, longer than its term "
			     "and options", PROCURE_AUTO_RENEW_MONTHS);
	}
	if (out->threshold == NULL) {
		date_format(c->started_on, d, sizeof(d));
		WARN(out, "no_threshold", "no statutory threshold is configured for %s procurements started on %s: "
		     "the statutory check was not made", c->contract_type, d);
	}
	procure_aggregation(c, peers, npeers, out);
	procure_related(c, peers, npeers, out);
	return 0;
}
