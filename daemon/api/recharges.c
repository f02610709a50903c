/* recharges.c - see recharges.h */
#include "recharges.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "log.h"
#include "money.h"

/* A finding's message (256 bytes) holds the line (RC_WHAT_TEXT), the figures and the
 * services with their bases (RC_SERVICES_TEXT), so its end ("£14,400.00 short") stays. */
#define RC_WHAT_TEXT 60
#define RC_SERVICES_TEXT 110

void recharges_free(struct recharges *rc)
{
	if (rc == NULL)
		return;
	for (size_t i = 0; i < rc->nservices; i++) {
		free(rc->services[i].name);
		free(rc->services[i].explanation);
	}
	free(rc->services);
	free(rc->codes);
	memset(rc, 0, sizeof(*rc));
}

/* An entry while loading: the service (sv) and its code. */
struct rc_entry {
	const char *code;
	const struct svcyear_service *sv;
	int64_t pence;
	char *explanation;
};

static int rc_entry_cmp(const void *a, const void *b)
{
	const struct rc_entry *x = a, *y = b;
	int c = strcmp(x->code, y->code);

	return c != 0 ? c : (x->sv->id > y->sv->id) - (x->sv->id < y->sv->id);
}

/* s + "; " + t, or t when s is NULL; s freed. NULL when out of memory. */
static char *rc_join(char *s, const char *t)
{
	size_t n = s != NULL ? strlen(s) + 2 : 0, m = strlen(t);
	char *o = malloc(n + m + 1);

	if (o != NULL) {
		if (s != NULL)
			memcpy(o, s, n - 2), memcpy(o + n - 2, "; ", 2);
		memcpy(o + n, t, m + 1);
	}
	free(s);
	return o;
}

/* The entity's share of each traded service of sy, one entry per service. */
static int rc_entries(const struct svcyear *sy, int64_t school_id, struct rc_entry **out, size_t *nout)
{
	struct rc_entry *v = calloc(sy->nsvc + 1, sizeof(*v));
	size_t n = 0;

	if (v == NULL)
		return -1;
	for (size_t i = 0; i < sy->nsvc; i++) {
		const struct svcyear_service *sv = &sy->svc[i];
		const char *code = db_get(sy->srows, sv->row, "account_code");
		struct rc_entry *e = NULL;

		if (sv->core || code == NULL)
			continue;
		for (size_t k = sv->first; k < sv->first + sv->nsubs; k++) {
			const struct service_sub *s = &sy->subs[k];
			/* the share and its explanation exactly as the allocation shows them */
			cJSON *share;
			const char *text;

			if (s->school->id != school_id || s->months == 0)
				continue;
			if ((share = svcyear_share_json(sy, sv, k)) == NULL)
				goto oom;
			text = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(share, "explanation"));
			if (e == NULL) {
				e = &v[n++];
				e->code = code;
				e->sv = sv;
			}
			if (money_add(e->pence, s->pence, &e->pence) != 0 ||
			    (e->explanation = rc_join(e->explanation, text != NULL ? text : "")) == NULL) {
				cJSON_Delete(share);
				goto oom;
			}
			cJSON_Delete(share);
		}
	}
	*out = v;
	*nout = n;
	return 0;
oom:
	for (size_t i = 0; i < n; i++)
		free(v[i].explanation);
	free(v);
	return -1;
}

int recharges_load(struct db *db, struct svcyear_rates rates, int year, int64_t school_id, struct recharges *rc,
		   struct problem *p)
{
	struct svcyear sy;
	struct rc_entry *v = NULL;
	size_t n = 0;

	memset(rc, 0, sizeof(*rc));
	if (svcyear_load(db, rates, year, 0, school_id, &sy, p) != 0)
		return -1;
	if (rc_entries(&sy, school_id, &v, &n) != 0)
		goto oom;
	if (n > 1)
		qsort(v, n, sizeof(*v), rc_entry_cmp);
	if ((rc->services = calloc(n + 1, sizeof(*rc->services))) == NULL ||
	    (rc->codes = calloc(n + 1, sizeof(*rc->codes))) == NULL)
		goto oom;
	for (size_t i = 0; i < n; i++) {
		struct recharge_service *s = &rc->services[rc->nservices++];
		struct recharge_code *c = rc->ncodes > 0 ? &rc->codes[rc->ncodes - 1] : NULL;

		s->service_id = v[i].sv->id;
		s->amount_pence = v[i].pence;
		s->explanation = v[i].explanation;
		v[i].explanation = NULL;
		if ((s->name = strdup(v[i].sv->name != NULL ? v[i].sv->name : "")) == NULL)
			goto oom;
		if (c == NULL || strcmp(c->code, v[i].code) != 0) {
			c = &rc->codes[rc->ncodes++];
			snprintf(c->code, sizeof(c->code), "%s", v[i].code);
			c->first = i;
		}
		c->n++;
		if (money_add(c->recharge_pence, s->amount_pence, &c->recharge_pence) != 0)
			goto oom;
	}
	free(v);
	svcyear_free(&sy);
	return 0;
oom:
	log_err("recharges: out of memory (or out of range) for school %lld in %d", (long long)school_id, year);
	for (size_t i = 0; v != NULL && i < n; i++)
		free(v[i].explanation);
	free(v);
	svcyear_free(&sy);
	recharges_free(rc);
	return problem_internal(p);
}

/* The sum of the amounts of lines (JSON) on code. */
static int64_t rc_budgeted_json(const cJSON *lines, const char *code)
{
	const cJSON *l;
	int64_t sum = 0;

	cJSON_ArrayForEach(l, lines) {
		const char *c = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(l, "account_code"));
		const cJSON *a = cJSON_GetObjectItemCaseSensitive(l, "amount_pence");

		if (c != NULL && cJSON_IsNumber(a) && strcasecmp(c, code) == 0 &&
		    money_add(sum, (int64_t)cJSON_GetNumberValue(a), &sum) != 0)
			return sum;
	}
	return sum;
}

int64_t recharges_budgeted(const struct budget *b, const char *code)
{
	int64_t sum = 0;

	for (size_t i = 0; i < b->nlines; i++)
		if (strcasecmp(b->lines[i].code, code) == 0 && money_add(sum, b->lines[i].amount_pence, &sum) != 0)
			break;
	return sum;
}

static int64_t rc_short(int64_t recharge, int64_t budgeted)
{
	int64_t d;

	return money_sub(recharge, budgeted, &d) == 0 && d > 0 ? d : 0;
}

cJSON *recharges_json(const struct recharges *rc, const cJSON *lines)
{
	cJSON *a = cJSON_CreateArray();

	for (size_t i = 0; a != NULL && i < rc->ncodes; i++) {
		const struct recharge_code *c = &rc->codes[i];
		cJSON *o = cJSON_CreateObject(), *sv;
		int64_t budgeted = lines != NULL ? rc_budgeted_json(lines, c->code) : 0;

		if (o == NULL || !cJSON_AddItemToArray(a, o)) {
			cJSON_Delete(o);
			goto oom;
		}
		if (cJSON_AddStringToObject(o, "account_code", c->code) == NULL ||
		    cJSON_AddNumberToObject(o, "recharge_pence", (double)c->recharge_pence) == NULL)
			goto oom;
		if (lines != NULL && (cJSON_AddNumberToObject(o, "budgeted_pence", (double)budgeted) == NULL ||
				      cJSON_AddNumberToObject(o, "short_pence",
							      (double)rc_short(c->recharge_pence, budgeted)) == NULL))
			goto oom;
		if ((sv = cJSON_AddArrayToObject(o, "services")) == NULL)
			goto oom;
		for (size_t k = c->first; k < c->first + c->n; k++) {
			const struct recharge_service *s = &rc->services[k];
			cJSON *so = cJSON_CreateObject();

			if (so == NULL || !cJSON_AddItemToArray(sv, so)) {
				cJSON_Delete(so);
				goto oom;
			}
			if (cJSON_AddNumberToObject(so, "service_id", (double)s->service_id) == NULL ||
			    cJSON_AddStringToObject(so, "name", s->name) == NULL ||
			    cJSON_AddNumberToObject(so, "amount_pence", (double)s->amount_pence) == NULL ||
			    cJSON_AddStringToObject(so, "explanation", s->explanation) == NULL)
				goto oom;
		}
	}
	return a;
oom:
	cJSON_Delete(a);
	return NULL;
}

/* buf cut back to a whole UTF-8 character when snprintf filled it. */
static void rc_utf8_tail(char *buf, size_t len)
{
	size_t n = strlen(buf), k = n;
	unsigned char lead;

	if (n + 1 < len)
		return;
	while (k > 0 && ((unsigned char)buf[k - 1] & 0xc0) == 0x80)
		k--;
	lead = k > 0 ? (unsigned char)buf[k - 1] : 0;
	if (lead >= 0xc0 && k - 1 + (lead >= 0xf0 ? 4u : lead >= 0xe0 ? 3u : 2u) > n)
		buf[k - 1] = '\0';
}

/* "Cleaning (floor area ...); Energy (...)" cut to fit len with an ellipsis. */
static void rc_services_text(const struct recharges *rc, const struct recharge_code *c, char *buf, size_t len)
{
	size_t o = 0;

	buf[0] = '\0';
	for (size_t k = c->first; k < c->first + c->n && o + 1 < len; k++) {
		const struct recharge_service *s = &rc->services[k];
		int w = snprintf(buf + o, len - o, "%s%s (%s)", k > c->first ? "; " : "", s->name, s->explanation);

		o = w < 0 || (size_t)w >= len - o ? len : o + (size_t)w;
	}
	if (o >= len && len > 4) {
		size_t k = len - 4;               /* room for "…" (3 bytes) and the NUL */

		while (k > 0 && ((unsigned char)buf[k] & 0xc0) == 0x80)
			k--;                              /* not inside a UTF-8 sequence */
		memcpy(buf + k, "\xe2\x80\xa6", 4);
	}
}

void recharges_findings(const struct recharges *rc, const struct budget *b, struct budget_findings *f)
{
	for (size_t i = 0; i < rc->ncodes; i++) {
		const struct recharge_code *c = &rc->codes[i];
		int64_t budgeted = recharges_budgeted(b, c->code), shortfall = rc_short(c->recharge_pence, budgeted);
		char field[64], what[RC_WHAT_TEXT], txt[3][40], services[RC_SERVICES_TEXT];
		size_t at = b->nlines;

		if (shortfall == 0)
			continue;
		for (size_t k = 0; k < b->nlines && at == b->nlines; k++)
			if (strcasecmp(b->lines[k].code, c->code) == 0)
				at = k;
		if (at < b->nlines) {
			snprintf(field, sizeof(field), "/lines/%zu/amount_pence", at);
			snprintf(what, sizeof(what), "%s%s%s", c->code, b->lines[at].description[0] != '\0' ? " " : "",
				 b->lines[at].description);
		} else {
			snprintf(field, sizeof(field), "/recharges/%zu", i);
			snprintf(what, sizeof(what), "%s (no line)", c->code);
		}
		rc_utf8_tail(what, sizeof(what));
		money_format_human(budgeted, txt[0], sizeof(txt[0]));
		money_format_human(c->recharge_pence, txt[1], sizeof(txt[1]));
		money_format_human(shortfall, txt[2], sizeof(txt[2]));
		rc_services_text(rc, c, services, sizeof(services));
		budget_finding_add(f, BUDGET_WARNING, "recharge_short", field,
				   "%s: budgeted %s, recharged %s for %s: %s short", what, txt[0], txt[1], services, txt[2]);
	}
}
