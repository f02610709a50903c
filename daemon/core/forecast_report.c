/* forecast_report.c - see forecast_report.h */
#include "forecast_report.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "budget.h"
#include "date.h"
#include "forecast_mem.h"
#include "money.h"

enum { AC_INCOME = 1, AC_INTERNAL = 2, AC_STAFF = 4, AC_CONT = 8, AC_PASS = 16 };

struct forecast_report {
	const struct forecast_input *in;
	const struct forecast_assumptions *a;
	struct forecast_result *r;
	int H;
	unsigned *acls;                          /* per account: AC_* */
	int64_t (*acc)[FORECAST_NY];             /* the trust's lines by account and year */
	int acc_bad;                             /* one of them out of range */
	unsigned char *ebad;                     /* per selected entity: its totals out of range */
	size_t *nlines;                          /* per selected entity: its lines before the postings */
	int nmodels;                             /* selected schools with a finance model */
	enum forecast_error kind;
	char *err;
	size_t errlen;
	char wbuf[FORECAST_WARNING_MAX];         /* a warning's message while it is written */
};

/* Room for n more warnings (in the result's memory: a larger array leaves the old one
 * there). 0, or -1. */
static int fr_reserve(struct forecast_result *r, size_t n)
{
	struct forecast_warning *nw;
	size_t cap;

	if (r->capw - r->nwarnings >= n)
		return 0;
	cap = r->capw ? r->capw * 2 : 32;
	if (cap < r->nwarnings + n)
		cap = r->nwarnings + n;
	if ((nw = forecast_mem_alloc(r, cap * sizeof(*nw))) == NULL)
		return -1;
	if (r->nwarnings > 0)
		memcpy(nw, r->warnings, r->nwarnings * sizeof(*nw));
	r->warnings = nw;
	r->capw = cap;
	return 0;
}

/* s into dst[len], cut to fit (as snprintf "%s" would). */
static void fr_copy(char *dst, size_t len, const char *s)
{
	size_t n = strlen(s);

	if (n >= len)
		n = len - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
}

/* A new warning with an empty message, or NULL (no memory). */
static struct forecast_warning *fr_warning(struct forecast_result *r, const char *urn, int year, const char *code)
{
	struct forecast_warning *w;

	if (fr_reserve(r, 1) != 0)
		return NULL;
	w = &r->warnings[r->nwarnings++];
	fr_copy(w->urn, sizeof(w->urn), urn);
	w->year = year;
	fr_copy(w->code, sizeof(w->code), code);
	w->message = "";
	return w;
}

/* w's message: n bytes of m, copied into the result's memory. 0, or -1. */
static int fr_message(struct forecast_result *r, struct forecast_warning *w, const char *m, size_t n)
{
	char *d = forecast_mem_alloc(r, n + 1);

	if (d == NULL)
		return -1;
	memcpy(d, m, n);
	d[n] = '\0';
	w->message = d;
	return 0;
}

int forecast_warn(struct forecast_result *r, const char *urn, int year, const char *code, const char *fmt, ...)
{
	struct forecast_warning *w = fr_warning(r, urn, year, code);
	char m[FORECAST_WARNING_MAX];
	va_list ap;
	int n;

	if (w == NULL)
		return -1;
	va_start(ap, fmt);
	n = vsnprintf(m, sizeof(m), fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	return fr_message(r, w, m, (size_t)n < sizeof(m) ? (size_t)n : sizeof(m) - 1);
}

/*
 * The warnings of every entity and year are written without printf (there can
 * be one per entity and year): a struct fr_buf writes into a warning's message
 * as snprintf would (cut to fit, always NUL-terminated), money as
 * money_format_human writes it and percentages as "12.34%".
 */
struct fr_buf {
	char *p;
	size_t len, n;                           /* n < len: bytes written */
	struct forecast_warning *w;              /* the warning it is for (fr_warn_end) */
};

static void fr_buf_mem(struct fr_buf *b, const char *s, size_t n)
{
	size_t room = b->len - b->n - 1;

	if (n > room)
		n = room;
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
}

static void fr_buf_str(struct fr_buf *b, const char *s)
{
	fr_buf_mem(b, s, strlen(s));
}

/* The decimal digits of v, written backwards from end; returns where they start. */
static char *fr_digits(uint64_t v, char *end)
{
	do {
		*--end = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0);
	return end;
}

/* "%d" */
static void fr_buf_int(struct fr_buf *b, int64_t v)
{
	char tmp[24], *d = fr_digits(v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v, tmp + sizeof(tmp));

	if (v < 0)
		*--d = '-';
	fr_buf_mem(b, d, (size_t)(tmp + sizeof(tmp) - d));
}

/* "£1,234.56" / "-£0.05" (money_format_human). */
static void fr_buf_money(struct fr_buf *b, int64_t pence)
{
	char tmp[40];

	fr_buf_mem(b, tmp, money_format_human(pence, tmp, sizeof(tmp)));
}

/* 1234 bp -> "12.34%" (-5 -> "-0.05%"). */
static void fr_buf_pct(struct fr_buf *b, int64_t bp)
{
	uint64_t a = bp < 0 ? (uint64_t)0 - (uint64_t)bp : (uint64_t)bp;
	char tmp[32], *d = tmp + sizeof(tmp);

	*--d = '%';
	*--d = (char)('0' + a % 10);
	*--d = (char)('0' + a / 10 % 10);
	*--d = '.';
	d = fr_digits(a / 100, d);
	if (bp < 0)
		*--d = '-';
	fr_buf_mem(b, d, (size_t)(tmp + sizeof(tmp) - d));
}

static int fr_fail(struct forecast_report *c, enum forecast_error kind, const char *what)
{
	if (c->kind == 0) {
		c->kind = kind;
		snprintf(c->err, c->errlen, "%s", what);
	}
	return -1;
}

static int fr_nomem(struct forecast_report *c)
{
	return fr_fail(c, FORECAST_ERR_NOMEM, "out of memory");
}

static int fr_range(struct forecast_report *c, const char *urn)
{
	char msg[64];

	snprintf(msg, sizeof(msg), "%s: amounts out of range", urn);
	return fr_fail(c, FORECAST_ERR_INPUT, msg);
}

#define fr_warn(c, ...) \
	((void)(forecast_warn((c)->r, __VA_ARGS__) != 0 && fr_nomem(c)))

/* A new warning whose message the caller writes through b, then ends with
 * fr_warn_end; 0, or -1 (no memory: noted). */
static int fr_warn_buf(struct forecast_report *c, const char *urn, int year, const char *code, struct fr_buf *b)
{
	struct forecast_warning *w = fr_warning(c->r, urn, year, code);

	if (w == NULL)
		return fr_nomem(c);
	c->wbuf[0] = '\0';
	*b = (struct fr_buf){ .p = c->wbuf, .len = sizeof(c->wbuf), .w = w };
	return 0;
}

/* The message written through b copied to its warning, in the result's memory (exactly its length). */
static void fr_warn_end(struct forecast_report *c, struct fr_buf *b)
{
	if (fr_message(c->r, b->w, b->p, b->n) != 0)
		fr_nomem(c);
}

static void fr_year(int y, char *buf, size_t len)
{
	acyear_format(y, buf, len);
}

static size_t fr_acc_index(const struct forecast_report *c, const struct forecast_account *a)
{
	return (size_t)(a - c->in->accounts);
}

/* The selected entity with this URN (sorted by URN), or NULL. */
static const struct forecast_entity *fr_entity(const struct forecast_report *c, const char *urn)
{
	size_t lo = 0, hi = c->r->nentities;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int d = strcmp(c->r->entities[mid].in->urn, urn);

		if (d == 0)
			return &c->r->entities[mid];
		if (d < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static int fr_is_staff_group(const char *g)
{
	return strcmp(g, "teaching_staff") == 0 || strcmp(g, "support_staff") == 0 || strcmp(g, "other_staff") == 0;
}

/* ---- totals, reserves, KPIs ---- */

/* money_add and money_sub, inline: these run for every line and year. Nonzero: out
 * of range (and *t is then not the sum: the caller gives up). */
static inline int fr_add(int64_t *t, int64_t v)
{
	return __builtin_add_overflow(*t, v, t);
}

static inline int fr_total_add(const struct forecast_report *c, struct forecast_totals *t, size_t ai, int64_t v)
{
	unsigned f = c->acls[ai];

	if (f & AC_INCOME)
		return fr_add(&t->income, v) || ((f & AC_INTERNAL) && fr_add(&t->internal_income, v)) ? -1 : 0;
	if (fr_add(&t->expenditure, v) || ((f & AC_INTERNAL) && fr_add(&t->internal_expenditure, v)) ||
	    ((f & AC_STAFF) && fr_add(&t->staff, v)) || ((f & AC_CONT) && fr_add(&t->contingency, v)) ||
	    ((f & AC_PASS) && fr_add(&t->pass_through, v)))
		return -1;
	return 0;
}

/* The totals as budget.c reads a budget: the pass-through netted (one definition). */
static int fr_total_finish(struct forecast_totals *t)
{
	int64_t ext;

	if (budget_net_pass_through(t->pass_through, &t->income, &t->expenditure, &t->internal_income,
				    &t->internal_expenditure) != 0)
		return -1;
	t->kpi_income = t->income;
	return money_sub(t->income, t->expenditure, &t->balance) != 0 ||
	       money_sub(t->expenditure, t->internal_expenditure, &ext) != 0 ||
	       money_sub(ext, t->staff, &t->non_staff) != 0 ||
	       money_sub(t->internal_expenditure, t->internal_income, &t->central_charges) != 0 ? -1 : 0;
}

static int fr_kpis(struct forecast_totals *t)
{
	if (t->kpi_income <= 0)
		return 0;
	t->has_kpis = 1;
	return money_muldiv_round(t->staff, 10000, t->kpi_income, &t->staff_bp) != 0 ||
	       money_muldiv_round(t->closing, 10000, t->kpi_income, &t->reserves_bp) != 0 ||
	       money_muldiv_round(t->balance, 10000, t->kpi_income, &t->balance_bp) != 0 ? -1 : 0;
}

/*
 * Selected entity i's base amounts into t[0] and its lines (not postings) into
 * t[1..H], and all of them into the trust's lines by account (internal codes
 * dropped). A sum out of range is only noted: the entity's (ebad) is reported
 * when forecast_report_finish reaches the entity, the trust's (acc_bad) after
 * the trust's totals, where adding every line in one pass would report them.
 */
void forecast_report_lines(struct forecast_report *c, size_t i)
{
	struct forecast_entity *e = &c->r->entities[i];
	const struct forecast_entity_in *ei = e->in;
	int64_t (*acc)[FORECAST_NY] = c->acc;

	memset(e->t, 0, sizeof(e->t));
	c->nlines[i] = e->nlines;
	for (size_t j = 0; j < ei->nlines; j++) {
		size_t ai = fr_acc_index(c, e->base_accounts[j]);
		int64_t v = ei->lines[j].amount_pence;

		if (fr_total_add(c, &e->t[0], ai, v) != 0) {
			c->ebad[i] = 1;
			return;
		}
		if (!(c->acls[ai] & AC_INTERNAL) && fr_add(&acc[ai][0], v))
			c->acc_bad = 1;
	}
	for (size_t j = 0; j < e->nlines; j++) {
		const struct forecast_line *l = &e->lines[j];
		size_t ai = fr_acc_index(c, l->account);
		int internal = (c->acls[ai] & AC_INTERNAL) != 0;

		if (l->origin == FO_POSTING)
			continue;
		for (int k = 1; k <= c->H; k++) {
			if (fr_total_add(c, &e->t[k], ai, l->a[k]) != 0) {
				c->ebad[i] = 1;
				return;
			}
			if (!internal && fr_add(&acc[ai][k], l->a[k]))
				c->acc_bad = 1;
		}
	}
}

/*
 * Selected entity i's postings (its last lines, in the order posted: each adds
 * to its own year only) and the totals finished: reserves rolled forward, KPIs.
 * *nonint: a posting on a code that is not internal (the trust's lines then need
 * adding again in one pass, fr_trust_lines_again). 0, or -1.
 */
static int fr_entity_finish(struct forecast_report *c, size_t i, int *nonint)
{
	struct forecast_entity *e = &c->r->entities[i];
	const struct forecast_entity_in *ei = e->in;

	if (c->ebad[i])
		return fr_range(c, ei->urn);
	for (size_t j = c->nlines[i]; j < e->nlines; j++) {
		const struct forecast_line *l = &e->lines[j];
		size_t ai;

		if (l->origin != FO_POSTING)
			continue;
		ai = fr_acc_index(c, l->account);
		if (!(c->acls[ai] & AC_INTERNAL))
			*nonint = 1;
		if (fr_total_add(c, &e->t[l->k], ai, l->a[l->k]) != 0)
			return fr_range(c, ei->urn);
	}
	for (int k = 0; k <= c->H; k++) {
		struct forecast_totals *t = &e->t[k];

		t->pupils = e->n[k + 2];
		t->opening = k == 0 ? (ei->has_opening ? ei->opening_pence : 0) : e->t[k - 1].closing;
		if (fr_total_finish(t) != 0 || money_add(t->opening, t->balance, &t->closing) != 0 || fr_kpis(t) != 0)
			return fr_range(c, ei->urn);
	}
	return 0;
}

/*
 * The trust's lines by account added again, entity by entity, each entity's
 * lines in order (postings in their place): a posting on a code that is not
 * internal makes that the order that decides whether a sum is out of range.
 */
static void fr_trust_lines_again(struct forecast_report *c)
{
	const struct forecast_result *r = c->r;
	int64_t (*acc)[FORECAST_NY] = c->acc;

	memset(acc, 0, (c->in->naccounts + 1) * sizeof(*acc));
	c->acc_bad = 0;
	for (size_t i = 0; i < r->nentities && !c->acc_bad; i++) {
		const struct forecast_entity *e = &r->entities[i];

		for (size_t j = 0; j < e->in->nlines; j++) {
			size_t ai = fr_acc_index(c, e->base_accounts[j]);

			if (!(c->acls[ai] & AC_INTERNAL) && money_add(acc[ai][0], e->in->lines[j].amount_pence, &acc[ai][0]) != 0)
				c->acc_bad = 1;
		}
		for (size_t j = 0; j < e->nlines; j++) {
			const struct forecast_line *l = &e->lines[j];
			size_t ai = fr_acc_index(c, l->account);

			for (int k = 1; k <= c->H && !(c->acls[ai] & AC_INTERNAL); k++)
				if (money_add(acc[ai][k], l->a[k], &acc[ai][k]) != 0)
					c->acc_bad = 1;
		}
	}
}

/* The trust: every selected entity with the internal codes dropped; its lines by
 * account from c->acc. */
static int fr_trust(struct forecast_report *c)
{
	int64_t (*acc)[FORECAST_NY] = c->acc;
	struct forecast_result *r = c->r;
	size_t n = 0;

	memset(r->trust, 0, sizeof(r->trust));
	for (int k = 0; k <= c->H; k++) {
		struct forecast_totals *t = &r->trust[k];
		int any_pupils = 0;

		for (size_t i = 0; i < r->nentities; i++) {
			const struct forecast_totals *et = &r->entities[i].t[k];
			int64_t inc, exp;

			if (money_sub(et->income, et->internal_income, &inc) != 0 ||
			    money_sub(et->expenditure, et->internal_expenditure, &exp) != 0 ||
			    money_add(t->income, inc, &t->income) != 0 || money_add(t->expenditure, exp, &t->expenditure) != 0 ||
			    money_add(t->staff, et->staff, &t->staff) != 0 ||
			    money_add(t->contingency, et->contingency, &t->contingency) != 0 ||
			    money_add(t->opening, et->opening, &t->opening) != 0 ||
			    money_add(t->closing, et->closing, &t->closing) != 0)
				return fr_range(c, "trust");
			if (et->pupils >= 0) {
				t->pupils += et->pupils;
				any_pupils = 1;
			}
		}
		if (!any_pupils)
			t->pupils = FORECAST_NO_DATA;
		if (fr_total_finish(t) != 0 || fr_kpis(t) != 0)
			return fr_range(c, "trust");
	}
	if (c->acc_bad)
		return fr_range(c, "trust");
	for (size_t ai = 0; ai < c->in->naccounts; ai++)
		for (int k = 0; k <= c->H; k++)
			if (acc[ai][k] != 0) {
				n++;
				break;
			}
	if (n > 0 && (r->trust_lines = calloc(n, sizeof(*r->trust_lines))) == NULL)
		return fr_nomem(c);
	for (size_t ai = 0; ai < c->in->naccounts; ai++)
		for (int k = 0; k <= c->H; k++)
			if (acc[ai][k] != 0) {
				r->trust_lines[r->ntrust_lines].account = &c->in->accounts[ai];
				memcpy(r->trust_lines[r->ntrust_lines++].a, acc[ai], sizeof(acc[ai]));
				break;
			}
	return 0;
}

/* ---- warnings ---- */

/* |v| as money: "£1,234.56". */
static void fr_buf_abs(struct fr_buf *b, int64_t v)
{
	fr_buf_money(b, v == INT64_MIN ? INT64_MIN : v < 0 ? -v : v);
}

/*
 * The warnings of one entity's (or the trust's) year, y its name ("2027-28"): an
 * in-year deficit; with reserves set (the schools and the trust), negative closing
 * reserves (a cumulative deficit), else reserves below 5% or above 20% of income.
 */
static void fr_money_warnings(struct forecast_report *c, const char *urn, const struct forecast_totals *t, int year,
			      const char *y, int reserves)
{
	struct fr_buf b;

	if (t->balance < 0 && fr_warn_buf(c, urn, year, "in_year_deficit", &b) == 0) {
		fr_buf_str(&b, y);
		fr_buf_str(&b, ": an in-year deficit of ");
		fr_buf_abs(&b, t->balance);
		fr_buf_str(&b, " (income ");
		fr_buf_money(&b, t->income);
		fr_buf_str(&b, ", expenditure ");
		fr_buf_money(&b, t->expenditure);
		fr_buf_str(&b, "), leaving closing reserves of ");
		fr_buf_money(&b, t->closing);
		fr_buf_str(&b, t->closing >= 0 ? ". Say how the reserves will be used, or find the savings or income that "
				       "balance the year"
					 : ". Find the savings or income that balance the year");
		fr_warn_end(c, &b);
	}
	if (!reserves)
		return;
	if (t->closing < 0) {
		if (fr_warn_buf(c, urn, year, "negative_reserves", &b) != 0)
			return;
		fr_buf_str(&b, y);
		fr_buf_str(&b, ": closing reserves of ");
		fr_buf_money(&b, t->closing);
		fr_buf_str(&b, ", a cumulative deficit of ");
		fr_buf_abs(&b, t->closing);
		fr_buf_str(&b, ". A deficit budget not covered by reserves must be reported to the DfE within 14 days of "
			       "the board approving it, with a recovery plan");
		fr_warn_end(c, &b);
		return;
	}
	if (!t->has_kpis || (t->reserves_bp >= FORECAST_RESERVES_LOW_BP && t->reserves_bp <= FORECAST_RESERVES_HIGH_BP))
		return;
	if (fr_warn_buf(c, urn, year, t->reserves_bp < FORECAST_RESERVES_LOW_BP ? "reserves_low" : "reserves_high", &b) != 0)
		return;
	fr_buf_str(&b, y);
	fr_buf_str(&b, ": closing reserves of ");
	fr_buf_money(&b, t->closing);
	fr_buf_str(&b, " are ");
	fr_buf_pct(&b, t->reserves_bp);
	fr_buf_str(&b, " of income (");
	fr_buf_money(&b, t->kpi_income);
	if (t->reserves_bp < FORECAST_RESERVES_LOW_BP)
		fr_buf_str(&b, "), below 5%: little cover for the unexpected. Plan to rebuild them");
	else
		fr_buf_str(&b, "), above 20%: the BFR asks why. Say what they are held for, or plan to spend them on "
			       "the pupils now");
	fr_warn_end(c, &b);
}

/* Whether the pupils fall more than 5% from was to now. */
static int fr_falling(int32_t was, int32_t now)
{
	return was > 0 && now >= 0 && (int64_t)(was - now) * 10000 > (int64_t)FORECAST_PUPILS_FALL_BP * was;
}

/* At most how many warnings fr_warnings writes: room for them at once. */
static size_t fr_count(const struct forecast_report *c)
{
	const struct forecast_result *r = c->r;
	size_t n = c->in->ncontracts + 1;

	for (size_t i = 0; i <= r->nentities; i++) {
		const struct forecast_entity *e = i < r->nentities ? &r->entities[i] : NULL;

		for (int k = 0; k <= c->H; k++) {
			const struct forecast_totals *t = e != NULL ? &e->t[k] : &r->trust[k];

			n += t->balance < 0;
			n += t->closing < 0 || (t->has_kpis && (t->reserves_bp < FORECAST_RESERVES_LOW_BP ||
								t->reserves_bp > FORECAST_RESERVES_HIGH_BP));
			n += e != NULL && k > 0 && fr_falling(e->n[k + 1], e->n[k + 2]);
		}
	}
	return n;
}

static void fr_warnings(struct forecast_report *c)
{
	struct forecast_result *r = c->r;
	int32_t from = date_from_ymd(c->a->base_year, 9, 1), to = date_from_ymd(c->a->base_year + c->H + 1, 8, 31);
	int64_t net0 = 0;
	char y[8], d[16], m1[40], ys[FORECAST_NY][8];

	if (fr_reserve(r, fr_count(c)) != 0) {
		fr_nomem(c);
		return;
	}
	for (int k = 0; k <= c->H; k++)
		fr_year(c->a->base_year + k, ys[k], sizeof(ys[k]));
	for (size_t i = 0; i < r->nentities; i++) {
		const struct forecast_entity *e = &r->entities[i];

		for (int k = 0; k <= c->H; k++) {
			int32_t was = e->n[k + 1], now = e->n[k + 2];
			struct fr_buf b;

			fr_money_warnings(c, e->in->urn, &e->t[k], c->a->base_year + k, ys[k], !e->in->is_central);
			if (k > 0 && fr_falling(was, now) && fr_warn_buf(c, e->in->urn, c->a->base_year + k, "pupils_falling", &b) == 0) {
				int64_t fall = 0;

				if (money_muldiv_round(was - now, 10000, was, &fall) != 0)
					fall = 0;
				fr_buf_str(&b, ys[k]);
				fr_buf_str(&b, ": pupils fall from ");
				fr_buf_int(&b, was);
				fr_buf_str(&b, " to ");
				fr_buf_int(&b, now);
				fr_buf_str(&b, " (-");
				fr_buf_pct(&b, fall);
				fr_buf_str(&b, "), more than 5% in a year");
				fr_warn_end(c, &b);
			}
		}
		net0 += e->t[0].internal_income - e->t[0].internal_expenditure;
	}
	if (net0 != 0 && c->nmodels > 0) {
		money_format_human(net0, m1, sizeof(m1));
		fr_year(c->a->base_year, y, sizeof(y));
		fr_warn(c, "trust", c->a->base_year, "base_internal_unbalanced",
			"%s: the base budgets' internal charges do not net to zero (%s): the trust's base-year "
			"balance is not the sum of the entities'", y, m1);
	}
	for (int k = 0; k <= c->H; k++)
		fr_money_warnings(c, "trust", &r->trust[k], c->a->base_year + k, ys[k], 1);
	for (size_t i = 0; i < c->in->ncontracts; i++) {
		const struct forecast_contract *ct = &c->in->contracts[i];

		if (ct->auto_renew || ct->final_end == FORECAST_NO_DATE || ct->final_end < from || ct->final_end > to ||
		    ct->urn == NULL || fr_entity(c, ct->urn) == NULL)
			continue;
		date_format(ct->final_end, d, sizeof(d));
		fr_year(acyear_of(ct->final_end), y, sizeof(y));
		fr_warn(c, ct->urn, acyear_of(ct->final_end), "contract_ends",
			"contract %s ends on %s (%s) with every option used: it must be re-procured",
			ct->reference != NULL ? ct->reference : "?", d, y);
	}
}


struct forecast_report *forecast_report_new(const struct forecast_input *in, struct forecast_result *r)
{
	struct forecast_report *c = calloc(1, sizeof(*c));

	if (c == NULL)
		return NULL;
	*c = (struct forecast_report){ .in = in, .a = in->a, .r = r, .H = in->a->horizon };
	if ((c->acls = calloc(in->naccounts + 1, sizeof(*c->acls))) == NULL ||
	    (c->acc = calloc(in->naccounts + 1, sizeof(*c->acc))) == NULL ||
	    (c->ebad = calloc(in->nentities + 1, sizeof(*c->ebad))) == NULL ||
	    (c->nlines = calloc(in->nentities + 1, sizeof(*c->nlines))) == NULL) {
		forecast_report_free(c);
		return NULL;
	}
	for (size_t i = 0; i < in->naccounts; i++) {
		const struct forecast_account *a = &in->accounts[i];

		c->acls[i] = (a->is_income ? AC_INCOME : 0) | (a->is_internal ? AC_INTERNAL : 0) |
			     (!a->is_income && fr_is_staff_group(a->group) ? AC_STAFF : 0) |
			     (!a->is_income && strcmp(a->group, "contingency") == 0 ? AC_CONT : 0) |
			     (!a->is_income && budget_is_pass_through_code(a->code) ? AC_PASS : 0);
	}
	return c;
}

void forecast_report_free(struct forecast_report *c)
{
	if (c == NULL)
		return;
	free(c->acls);
	free(c->acc);
	free(c->ebad);
	free(c->nlines);
	free(c);
}

int forecast_report_finish(struct forecast_report *c, enum forecast_error *kind, char *err, size_t errlen)
{
	struct forecast_result *r = c->r;
	int rc = -1, nonint = 0;

	c->err = err;
	c->errlen = errlen;
	c->kind = 0;
	c->nmodels = 0;
	for (size_t i = 0; i < r->nentities; i++) {
		const struct forecast_entity_in *e = r->entities[i].in;

		c->nmodels += !e->is_central && e->model != NULL && e->model[0] != '\0';
		if (fr_entity_finish(c, i, &nonint) != 0)
			goto out;
	}
	if (nonint)
		fr_trust_lines_again(c);
	if (fr_trust(c) != 0)
		goto out;
	fr_warnings(c);
	rc = c->kind ? -1 : 0;
out:
	if (rc != 0 && kind != NULL)
		*kind = c->kind ? c->kind : FORECAST_ERR_NOMEM;
	return rc;
}
