/* forecast_explain.c - see forecast_explain.h */
#include "forecast_explain.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "forecast_drivers.h"
#include "jsonv.h"
#include "money.h"
#include "strbuf.h"

#define TIMES "\xc3\x97"                    /* × */
#define DASH "\xe2\x80\x93"                 /* – */

/* ---- data ---- */

/* item under key k, a string literal: cJSON keeps the pointer, not a copy (a
 * forecast's save makes these for every line of every year). 1, or 0. */
static int fx_add(cJSON *o, const char *k, cJSON *item)
{
	if (item == NULL || !cJSON_AddItemToObjectCS(o, k, item)) {
		cJSON_Delete(item);
		return 0;
	}
	return 1;
}

static int fx_num(cJSON *o, const char *k, int64_t v)
{
	return fx_add(o, k, cJSON_CreateNumber(v));
}

static int fx_count(cJSON *o, const char *k, int32_t v)
{
	return fx_add(o, k, v >= 0 ? cJSON_CreateNumber(v) : cJSON_CreateNull());
}

static int fx_put_str(cJSON *o, const char *k, const char *v)
{
	return fx_add(o, k, cJSON_CreateString(v));
}

static int fx_date(cJSON *o, const char *k, int32_t d)
{
	char buf[16];

	if (d == FORECAST_NO_DATE)
		return fx_add(o, k, cJSON_CreateNull());
	date_format(d, buf, sizeof(buf));
	return fx_put_str(o, k, buf);
}

/* A services line with a cost: the cost and this line's part of it, the rest of the
 * line indexed by CPI, and in the first year the base year's split. */
static int fx_services(cJSON *o, const struct forecast_result *r, const struct forecast_line *l, int k)
{
	const struct forecast_assumptions *a = r->a;
	const struct forecast_line_x *x = l->x;
	int cpi = forecast_index_slot(a, "cpi");
	cJSON *b;
	int ok;

	ok = fx_num(o, "cost_pence", x->service->pence[k]) &&
	     fx_put_str(o, "label", x->service->label != NULL ? x->service->label : "");
	if (ok && x->service_rest)
		ok = fx_add(o, "rest", cJSON_CreateTrue());
	else if (ok && x->service_num != x->service_den)
		ok = (b = cJSON_AddArrayToObject(o, "share")) != NULL &&
		     cJSON_AddItemToArray(b, cJSON_CreateNumber(x->service_num)) &&
		     cJSON_AddItemToArray(b, cJSON_CreateNumber(x->service_den));
	ok = ok && fx_num(o, "service_pence", l->e[k]) && fx_put_str(o, "index", "cpi") &&
	     fx_num(o, "index_bp", cpi >= 0 ? a->indices[cpi].bp[k] : 0) &&
	     fx_num(o, "rest_of_line_prev_pence", l->m[k - 1]) && fx_num(o, "rest_of_line_pence", l->m[k]);
	if (ok && k == 1)
		ok = (b = cJSON_AddObjectToObject(o, "base")) != NULL && fx_num(b, "year", a->base_year) &&
		     fx_num(b, "amount_pence", l->a[0]) && fx_num(b, "cost_pence", x->service->pence[0]) &&
		     fx_num(b, "service_pence", l->e[0]) && fx_num(b, "rest_of_line_pence", l->m[0]) &&
		     fx_num(b, "short_pence", x->short_pence);
	return ok;
}

cJSON *forecast_explain_json(const struct forecast_result *r, const struct forecast_entity *e,
			     const struct forecast_line *l, int k)
{
	const struct forecast_assumptions *a = r->a;
	cJSON *o = cJSON_CreateObject(), *b;
	int ok;

	if (o == NULL || !fx_put_str(o, "driver", forecast_driver_name(l->driver)))
		goto fail;
	switch (l->driver) {
	case FD_FIXED:
		ok = fx_num(o, "prev_pence", l->a[k - 1]);
		break;
	case FD_FUNDING:
		ok = fx_num(o, "prev_pence", l->a[k - 1]) && fx_num(o, "funding_bp", a->funding_bp[k]);
		break;
	case FD_PUPILS:
		ok = fx_num(o, "prev_pence", l->a[k - 1]) && fx_count(o, "pupils", e->n[k + 1]) &&
		     fx_count(o, "pupils_before", e->n[k]) && fx_num(o, "census_year", a->base_year + k - 1) &&
		     fx_num(o, "funding_bp", a->funding_bp[k]);
		break;
	case FD_PUPILS_CURRENT:
		ok = fx_num(o, "prev_pence", l->a[k - 1]) && fx_count(o, "pupils", e->n[k + 2]) &&
		     fx_count(o, "pupils_before", e->n[k + 1]) && fx_num(o, "census_year", a->base_year + k) &&
		     fx_put_str(o, "index", "cpi") &&
		     fx_num(o, "index_bp", l->index >= 0 ? a->indices[l->index].bp[k] : 0);
		break;
	case FD_PLACES:
		if (l->fallback || e->places[k + 2] < 0)
			ok = fx_put_str(o, "fallback", "fixed") && fx_num(o, "prev_pence", l->a[k - 1]);
		else
			ok = fx_num(o, "places", e->places[k + 2]) && fx_num(o, "place_rate_pence", a->place_rate_pence[k]);
		break;
	case FD_INFLATION:
		ok = fx_put_str(o, "index", l->index_name) && fx_num(o, "prev_pence", l->a[k - 1]) &&
		     fx_num(o, "index_bp", l->index >= 0 ? a->indices[l->index].bp[k] : 0);
		break;
	case FD_TEACHER_PAY:
	case FD_SUPPORT_PAY: {
		int t = l->driver == FD_TEACHER_PAY;

		ok = fx_num(o, "e_prev_pence", l->e[k - 1]) && fx_num(o, "m_pence", l->m[k]) &&
		     fx_num(o, "pay_bp", t ? a->teacher_pay_bp[k] : a->support_pay_bp[k]) &&
		     fx_num(o, "oncost_bp", t ? a->teacher_oncost_bp[k] : a->support_oncost_bp[k]) &&
		     fx_num(o, "e_pence", l->e[k]);
		if (ok && k == 1) {
			ok = (b = cJSON_AddObjectToObject(o, "base")) != NULL && fx_num(b, "year", a->base_year) &&
			     fx_num(b, "amount_pence", l->a[0]) &&
			     (t || fx_num(b, "pay_bp", a->base_support_pay_bp)) &&
			     fx_num(b, "oncost_bp", t ? a->base_teacher_oncost_bp : a->base_support_oncost_bp) &&
			     fx_num(b, "unbudgeted_oncost_bp",
				    t ? a->base_teacher_oncost_unbudgeted_bp : a->base_support_oncost_unbudgeted_bp) &&
			     fx_num(b, "e_pence", l->e[0]);
		}
		break;
	}
	case FD_SERVICES:
		if (forecast_line_service(l) == NULL) {
			ok = fx_put_str(o, "fallback", "inflation:cpi") &&
			     fx_num(o, "prev_pence", l->a[k - 1]) &&
			     fx_num(o, "index_bp", l->index >= 0 ? a->indices[l->index].bp[k] : 0);
			break;
		}
		ok = fx_services(o, r, l, k);
		break;
	case FD_ACTION:
		ok = fx_date(o, "from", l->action->from) && fx_date(o, "to", l->action->to) &&
		     fx_num(o, "annual_pence", l->action->annual_pence) &&
		     fx_num(o, "months", forecast_drivers_action_months(a, l->action, k));
		break;
	case FD_POSTS: {
		const struct forecast_staff *s = l->x->staff;

		if (!l->x->staff_first) {
			ok = fx_add(o, "with_first_line", cJSON_CreateTrue());
			break;
		}
		if (s->levy) {
			ok = fx_add(o, "levy", cJSON_CreateTrue()) && fx_num(o, "pay_bill_pence", s->pay[k]) &&
			     fx_num(o, "levy_pence", s->levy_pence[k]) &&
			     fx_num(o, "employment_allowance_pence", s->allowance_pence[k]) &&
			     fx_num(o, "cost_pence", s->pence[k]);
			if (ok && k == 1)
				ok = (b = cJSON_AddObjectToObject(o, "base")) != NULL && fx_num(b, "year", a->base_year) &&
				     fx_num(b, "amount_pence", l->x->staff_base) && fx_num(b, "cost_pence", s->pence[0]);
			break;
		}
		ok = fx_num(o, "pay_pence", s->pay[k]) && fx_num(o, "ni_pence", s->ni[k]) &&
		     fx_num(o, "pension_pence", s->pension[k]) && fx_num(o, "posts", s->posts[k]) &&
		     fx_num(o, "fte_h", s->fte_h[k]) && fx_num(o, "cost_pence", s->pence[k]);
		if (ok && k == 1)
			ok = (b = cJSON_AddObjectToObject(o, "base")) != NULL && fx_num(b, "year", a->base_year) &&
			     fx_num(b, "amount_pence", l->x->staff_base) && fx_num(b, "cost_pence", s->pence[0]);
		break;
	}
	case FD_RULES:
		ok = fx_put_str(o, "plugin", l->post->plugin) &&
		     fx_put_str(o, "basis", l->post->basis) &&
		     fx_put_str(o, "counterparty", l->counterparty) &&
		     fx_put_str(o, "direction", l->account->is_income ? "from" : "to") &&
		     fx_num(o, "base_pence", l->post->base_pence) && fx_num(o, "rate_bp", l->post->rate_bp) &&
		     fx_put_str(o, "text", l->post->text);
		break;
	default:
		ok = 1;
	}
	if (ok && l->origin == FO_POOLED_GAG && k == 1)
		ok = (b = cJSON_AddObjectToObject(o, "pooled")) != NULL && fx_num(b, "total_pence", l->x->pool_total) &&
		     fx_num(b, "pupils", l->x->pool_weight) && fx_num(b, "of_pupils", l->x->pool_weights) &&
		     fx_num(b, "share_pence", l->a[0]);
	if (!ok)
		goto fail;
	return o;
fail:
	cJSON_Delete(o);
	return NULL;
}

/* ---- text ---- */

static int64_t fx_get(const cJSON *x, const char *k, int64_t dflt)
{
	int64_t v;

	return jsonv_int(cJSON_GetObjectItemCaseSensitive(x, k), &v) == 0 ? v : dflt;
}

static const char *fx_str(const cJSON *x, const char *k)
{
	const char *s = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(x, k));

	return s != NULL ? s : "";
}

/* Slots of formatted text: money and factors, several per line. */
struct fx_fmt {
	char m[6][40];
	char f[4][32];
	char p[4][24];
};

static const char *fx_money(char *buf, int64_t v)
{
	money_format_human(v, buf, 40);
	return buf;
}

/* 250 bp -> "1.025"; -500 -> "0.95"; 0 -> "1". */
static const char *fx_factor(char *buf, int64_t bp)
{
	int64_t f = 10000 + bp;
	uint64_t a = f < 0 ? (uint64_t)0 - (uint64_t)f : (uint64_t)f;
	int n;

	n = snprintf(buf, 32, "%s%llu.%04llu", f < 0 ? "-" : "", (unsigned long long)(a / 10000),
		     (unsigned long long)(a % 10000));
	while (n > 0 && buf[n - 1] == '0')
		buf[--n] = '\0';
	if (n > 0 && buf[n - 1] == '.')
		buf[--n] = '\0';
	return buf;
}

/* 250 bp -> "+2.50%". */
static const char *fx_pct(char *buf, int64_t bp)
{
	uint64_t a = bp < 0 ? (uint64_t)0 - (uint64_t)bp : (uint64_t)bp;

	snprintf(buf, 24, "%s%llu.%02llu%%", bp < 0 ? "-" : "+", (unsigned long long)(a / 100),
		 (unsigned long long)(a % 100));
	return buf;
}

static void fx_ratio(struct strbuf *b, const cJSON *x)
{
	int64_t n1 = fx_get(x, "pupils", -1), n2 = fx_get(x, "pupils_before", -1), y = fx_get(x, "census_year", 0);

	if (n1 < 0 || n2 <= 0)
		strbuf_printf(b, " " TIMES " 1 (no census to compare)");
	else
		strbuf_printf(b, " " TIMES " %lld/%lld pupils (October %lld / %lld census)", (long long)n1, (long long)n2,
			  (long long)y, (long long)y - 1);
}

static void fx_staff(struct strbuf *b, const cJSON *x, int teacher, int64_t amount, struct fx_fmt *t)
{
	const cJSON *base = cJSON_GetObjectItemCaseSensitive(x, "base");
	int64_t m = fx_get(x, "m_pence", 0), e = fx_get(x, "e_pence", 0), pay = fx_get(x, "pay_bp", 0),
		on = fx_get(x, "oncost_bp", 0);

	if (cJSON_IsObject(base)) {
		char y[8];
		int64_t bpay = fx_get(base, "pay_bp", 0), bon = fx_get(base, "oncost_bp", 0),
			unb = fx_get(base, "unbudgeted_oncost_bp", 0);

		acyear_format((int)fx_get(base, "year", 0), y, sizeof(y));
		if (teacher)
			strbuf_printf(b, "%s: E = 12 " TIMES " %s " TIMES " g / (7 + 5 " TIMES " g) with g = %s (April on-costs %s) ",
				  y, fx_money(t->m[0], fx_get(base, "amount_pence", 0)), fx_factor(t->f[0], bon),
				  fx_pct(t->p[0], bon));
		else
			strbuf_printf(b, "%s: E = 12 " TIMES " %s " TIMES " g / (7 + 5 " TIMES " g) with g = %s (April award %s) "
				  TIMES " %s (on-costs %s) ", y, fx_money(t->m[0], fx_get(base, "amount_pence", 0)),
				  fx_factor(t->f[0], bpay), fx_pct(t->p[0], bpay), fx_factor(t->f[1], bon),
				  fx_pct(t->p[1], bon));
		/* an April change the budget does not include multiplies E, not g */
		if (unb != 0)
			strbuf_printf(b, TIMES " %s (April on-costs %s, not in the budget) ", fx_factor(t->f[2], unb),
				      fx_pct(t->p[2], unb));
		strbuf_printf(b, "= %s; ", fx_money(t->m[1], fx_get(base, "e_pence", 0)));
	}
	if (teacher)
		strbuf_printf(b, "%s " TIMES " %s (Sept award %s) = %s Sep" DASH "Mar; " TIMES " %s (April on-costs %s) = %s "
			  "Apr" DASH "Aug; ", fx_money(t->m[2], fx_get(x, "e_prev_pence", 0)), fx_factor(t->f[2], pay),
			  fx_pct(t->p[2], pay), fx_money(t->m[3], m), fx_factor(t->f[3], on), fx_pct(t->p[3], on),
			  fx_money(t->m[4], e));
	else
		strbuf_printf(b, "%s Sep" DASH "Mar (last April's rate); " TIMES " %s (April award %s) " TIMES " %s (on-costs %s) "
			  "= %s Apr" DASH "Aug; ", fx_money(t->m[3], m), fx_factor(t->f[2], pay), fx_pct(t->p[2], pay),
			  fx_factor(t->f[3], on), fx_pct(t->p[3], on), fx_money(t->m[4], e));
	strbuf_printf(b, "(7 " TIMES " %s + 5 " TIMES " %s) / 12 = %s", t->m[3], t->m[4], fx_money(t->m[5], amount));
}

/*
 * services with the rest of the line (DESIGN.md "Drivers"), the total added by
 * the caller: "E14: 2026-27: £60,000.00 budgeted less £50,000.00 of services =
 * £10,000.00 the rest of the line; the rest of the line £10,000.00 × 1.03 (cpi
 * +3.00%) = £10,300.00 + £66,666.67 of services (£100,000.00 booked to E14
 * (Cleaning) × 6000000/9000000, this line's share)".
 */
static void fx_services_text(struct strbuf *b, const char *code, const cJSON *x, struct fx_fmt *t)
{
	const cJSON *base = cJSON_GetObjectItemCaseSensitive(x, "base"), *share = cJSON_GetObjectItemCaseSensitive(x, "share");
	int64_t bp = fx_get(x, "index_bp", 0), num, den;

	if (cJSON_IsObject(base)) {
		char y[8];
		int64_t sh = fx_get(base, "short_pence", 0);

		acyear_format((int)fx_get(base, "year", 0), y, sizeof(y));
		if (sh > 0)
			strbuf_printf(b, "%s: %s budgeted is %s short of its %s of services, so the rest of the line is %s; ", y,
				  fx_money(t->m[0], fx_get(base, "amount_pence", 0)), fx_money(t->m[1], sh),
				  fx_money(t->m[2], fx_get(base, "service_pence", 0)),
				  fx_money(t->m[3], fx_get(base, "rest_of_line_pence", 0)));
		else
			strbuf_printf(b, "%s: %s budgeted less %s of services = %s the rest of the line; ", y,
				  fx_money(t->m[0], fx_get(base, "amount_pence", 0)),
				  fx_money(t->m[1], fx_get(base, "service_pence", 0)),
				  fx_money(t->m[2], fx_get(base, "rest_of_line_pence", 0)));
	}
	strbuf_printf(b, "the rest of the line %s " TIMES " %s (cpi %s) = %s + %s of services (",
		  fx_money(t->m[0], fx_get(x, "rest_of_line_prev_pence", 0)), fx_factor(t->f[0], bp), fx_pct(t->p[0], bp),
		  fx_money(t->m[1], fx_get(x, "rest_of_line_pence", 0)), fx_money(t->m[2], fx_get(x, "service_pence", 0)));
	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(x, "rest")))
		strbuf_printf(b, "%s booked to %s (%s) less this entity's other lines' parts)",
			  fx_money(t->m[3], fx_get(x, "cost_pence", 0)), code, fx_str(x, "label"));
	else if (cJSON_GetArraySize(share) == 2 && jsonv_int(cJSON_GetArrayItem(share, 0), &num) == 0 &&
		 jsonv_int(cJSON_GetArrayItem(share, 1), &den) == 0)
		strbuf_printf(b, "%s booked to %s (%s) " TIMES " %lld/%lld, this line's share)",
			  fx_money(t->m[3], fx_get(x, "cost_pence", 0)), code, fx_str(x, "label"), (long long)num,
			  (long long)den);
	else
		strbuf_printf(b, "booked to %s: %s)", code, fx_str(x, "label"));
}

/* 2740 -> "27.40". */
static const char *fx_fte(char *buf, int64_t h)
{
	snprintf(buf, 24, "%lld.%02lld", (long long)(h / 100), (long long)(h % 100));
	return buf;
}

/* posts: "E01: 28 posts, 27.40 FTE, costed from posts: pay £1,000,000.00 + employer's NI £120,000.00 +
 * employer's pension £286,800.00 = ..." (in the first year, a base year that differs first). */
static void fx_posts(struct strbuf *b, const char *code, const cJSON *x, struct fx_fmt *t)
{
	const cJSON *base = cJSON_GetObjectItemCaseSensitive(x, "base");
	int64_t n = fx_get(x, "posts", 0);

	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(x, "with_first_line"))) {
		strbuf_printf(b, "costed from posts with the first %s line", code);
		return;
	}
	if (cJSON_IsObject(base) && fx_get(base, "amount_pence", 0) != fx_get(base, "cost_pence", 0)) {
		char y[8];

		acyear_format((int)fx_get(base, "year", 0), y, sizeof(y));
		strbuf_printf(b, "%s: budgeted %s, the posts %s %s; ", y, fx_money(t->m[0], fx_get(base, "amount_pence", 0)),
			  cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(x, "levy")) ? "give" : "cost",
			  fx_money(t->m[1], fx_get(base, "cost_pence", 0)));
	}
	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(x, "levy"))) {
		strbuf_printf(b, "the trust's apprenticeship levy %s (its rate on the pay from every entity's posts, %s, "
			  "less the levy allowance, month by month within each tax year) + employment allowance %s (set "
			  "against the trust's employer NI from April), from posts",
			  fx_money(t->m[2], fx_get(x, "levy_pence", 0)), fx_money(t->m[3], fx_get(x, "pay_bill_pence", 0)),
			  fx_money(t->m[4], fx_get(x, "employment_allowance_pence", 0)));
		return;
	}
	strbuf_printf(b, "%lld post%s, %s FTE, costed from posts: pay %s + employer's NI %s + employer's pension %s",
		  (long long)n, n == 1 ? "" : "s", fx_fte(t->p[0], fx_get(x, "fte_h", 0)),
		  fx_money(t->m[2], fx_get(x, "pay_pence", 0)), fx_money(t->m[3], fx_get(x, "ni_pence", 0)),
		  fx_money(t->m[4], fx_get(x, "pension_pence", 0)));
}

char *forecast_explain_text(const char *code, int64_t amount, const cJSON *x)
{
	struct strbuf b;
	struct fx_fmt t;
	const char *d = fx_str(x, "driver"), *fb = fx_str(x, "fallback");
	const cJSON *pooled = cJSON_GetObjectItemCaseSensitive(x, "pooled");
	int64_t prev = fx_get(x, "prev_pence", 0);

	if (strbuf_init(&b, 256) != 0)
		return NULL;
	strbuf_printf(&b, "%s: ", code);
	if (cJSON_IsObject(pooled))
		strbuf_printf(&b, "the trust's GAG for the pooled schools %s " TIMES " %lld/%lld funded pupils = %s held for this "
			  "school; ", fx_money(t.m[0], fx_get(pooled, "total_pence", 0)), (long long)fx_get(pooled, "pupils", 0),
			  (long long)fx_get(pooled, "of_pupils", 0), fx_money(t.m[1], fx_get(pooled, "share_pence", 0)));
	if (strcmp(d, "fixed") == 0) {
		strbuf_printf(&b, "%s held (fixed)", fx_money(t.m[2], prev));
	} else if (strcmp(d, "funding") == 0) {
		int64_t bp = fx_get(x, "funding_bp", 0);

		strbuf_printf(&b, "%s " TIMES " %s (funding %s)", fx_money(t.m[2], prev), fx_factor(t.f[0], bp),
			  fx_pct(t.p[0], bp));
	} else if (strcmp(d, "pupils") == 0) {
		int64_t bp = fx_get(x, "funding_bp", 0);

		strbuf_printf(&b, "%s", fx_money(t.m[2], prev));
		fx_ratio(&b, x);
		strbuf_printf(&b, " " TIMES " %s (funding %s)", fx_factor(t.f[0], bp), fx_pct(t.p[0], bp));
	} else if (strcmp(d, "pupils_current") == 0) {
		int64_t bp = fx_get(x, "index_bp", 0);

		strbuf_printf(&b, "%s", fx_money(t.m[2], prev));
		fx_ratio(&b, x);
		strbuf_printf(&b, " " TIMES " %s (cpi %s)", fx_factor(t.f[0], bp), fx_pct(t.p[0], bp));
	} else if (strcmp(d, "places") == 0) {
		if (fb[0] != '\0')
			strbuf_printf(&b, "%s held: no high-needs places are known", fx_money(t.m[2], prev));
		else
			strbuf_printf(&b, "%lld places " TIMES " %s", (long long)fx_get(x, "places", 0),
				  fx_money(t.m[2], fx_get(x, "place_rate_pence", 0)));
	} else if (strcmp(d, "inflation") == 0) {
		int64_t bp = fx_get(x, "index_bp", 0);

		strbuf_printf(&b, "%s " TIMES " %s (%s %s)", fx_money(t.m[2], prev), fx_factor(t.f[0], bp), fx_str(x, "index"),
			  fx_pct(t.p[0], bp));
	} else if (strcmp(d, "teacher_pay") == 0 || strcmp(d, "support_pay") == 0) {
		fx_staff(&b, x, d[0] == 't', amount, &t);
		goto done;
	} else if (strcmp(d, "services") == 0 && cJSON_GetObjectItemCaseSensitive(x, "rest_of_line_pence") != NULL) {
		fx_services_text(&b, code, x, &t);
	} else if (strcmp(d, "services") == 0) {
		const cJSON *share = cJSON_GetObjectItemCaseSensitive(x, "share");
		int64_t num, den;

		if (fb[0] != '\0') {
			int64_t bp = fx_get(x, "index_bp", 0);

			strbuf_printf(&b, "%s " TIMES " %s (cpi %s: no service is booked to %s)", fx_money(t.m[2], prev),
				  fx_factor(t.f[0], bp), fx_pct(t.p[0], bp), code);
		} else if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(x, "rest"))) {
			strbuf_printf(&b, "%s of services booked to %s (%s) less this entity's other lines on it",
				  fx_money(t.m[2], fx_get(x, "cost_pence", 0)), code, fx_str(x, "label"));
		} else if (cJSON_GetArraySize(share) == 2 && jsonv_int(cJSON_GetArrayItem(share, 0), &num) == 0 &&
			   jsonv_int(cJSON_GetArrayItem(share, 1), &den) == 0) {
			strbuf_printf(&b, "%s of services booked to %s (%s) " TIMES " %lld/%lld (this line's share)",
				  fx_money(t.m[2], fx_get(x, "cost_pence", 0)), code, fx_str(x, "label"), (long long)num,
				  (long long)den);
		} else {
			strbuf_printf(&b, "services booked to %s (%s)", code, fx_str(x, "label"));
		}
	} else if (strcmp(d, "action") == 0) {
		const char *to = fx_str(x, "to");

		strbuf_printf(&b, "management action from %s%s%s: %s a year " TIMES " %lld/12 months", fx_str(x, "from"),
			  to[0] != '\0' ? " to " : " (open-ended)", to, fx_money(t.m[2], fx_get(x, "annual_pence", 0)),
			  (long long)fx_get(x, "months", 0));
	} else if (strcmp(d, "posts") == 0) {
		fx_posts(&b, code, x, &t);
	} else if (strcmp(d, "rules") == 0) {
		strbuf_printf(&b, "%s %s (finance model %s): %s", fx_str(x, "direction"), fx_str(x, "counterparty"),
			  fx_str(x, "plugin"), fx_str(x, "text"));
	}
	strbuf_printf(&b, " = %s", fx_money(t.m[5], amount));
done:
	return strbuf_take(&b);
}
