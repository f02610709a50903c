/* forecast_digest.c - see forecast_digest.h */
#include "forecast_digest.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>

#include "sha256.h"

struct fc_hash {
	EVP_MD_CTX *ctx;
	char buf[8192];
	size_t n;
	int failed;
};

static void fh_flush(struct fc_hash *h)
{
	if (h->n > 0 && !h->failed && EVP_DigestUpdate(h->ctx, h->buf, h->n) != 1)
		h->failed = 1;
	h->n = 0;
}

static void __attribute__((format(printf, 2, 3))) fh_printf(struct fc_hash *h, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (sizeof(h->buf) - h->n < 512)
		fh_flush(h);
	va_start(ap, fmt);
	n = vsnprintf(h->buf + h->n, sizeof(h->buf) - h->n, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(h->buf) - h->n)
		h->failed = 1;
	else
		h->n += (size_t)n;
}

/* " <v>": decimal, by hand (this runs once per line and number: printf would dominate). */
static void fh_int(struct fc_hash *h, int64_t v)
{
	char tmp[24];
	size_t n = 0;
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

	if (sizeof(h->buf) - h->n < 32)
		fh_flush(h);
	do {
		tmp[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u > 0);
	h->buf[h->n++] = ' ';
	if (v < 0)
		h->buf[h->n++] = '-';
	while (n > 0)
		h->buf[h->n++] = tmp[--n];
}

/* A string as " <length>:<bytes>", so no content can fake a field boundary. */
static void fh_str(struct fc_hash *h, const char *s)
{
	size_t n;

	if (s == NULL)
		s = "";                          /* memcpy needs a pointer even for 0 bytes */
	n = strlen(s);
	fh_int(h, (int64_t)n);
	h->buf[h->n++] = ':';                    /* fh_int left room */
	if (n < sizeof(h->buf) - h->n) {
		memcpy(h->buf + h->n, s, n);
		h->n += n;
		return;
	}
	fh_flush(h);
	if (n > 0 && !h->failed && EVP_DigestUpdate(h->ctx, s, n) != 1)
		h->failed = 1;
}

static void fh_series32(struct fc_hash *h, const char *name, const int32_t *v, int n)
{
	fh_printf(h, "\n%s", name);
	for (int i = 0; i < n; i++)
		fh_int(h, v[i]);
}

static void fh_series64(struct fc_hash *h, const char *name, const int64_t *v, int n)
{
	fh_printf(h, "\n%s", name);
	for (int i = 0; i < n; i++)
		fh_int(h, v[i]);
}

int forecast_digest(const struct forecast_input *in, char out[65])
{
	const struct forecast_assumptions *a = in->a;
	struct fc_hash h = { .ctx = EVP_MD_CTX_new() };
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	int H = a->horizon + 1;

	if (h.ctx == NULL || EVP_DigestInit_ex(h.ctx, sha256_md(), NULL) != 1) {
		EVP_MD_CTX_free(h.ctx);
		return -1;
	}
	fh_printf(&h, "%s\nyears %d %d", FORECAST_VERSION, a->base_year, a->horizon);
	fh_series32(&h, "funding", a->funding_bp, H);
	fh_series64(&h, "place_rate", a->place_rate_pence, H);
	fh_series32(&h, "teacher_pay", a->teacher_pay_bp, H);
	fh_series32(&h, "support_pay", a->support_pay_bp, H);
	fh_series32(&h, "teacher_oncost", a->teacher_oncost_bp, H);
	fh_series32(&h, "support_oncost", a->support_oncost_bp, H);
	fh_series32(&h, "retender", a->retender_bp, H);
	for (size_t i = 0; i < a->nindices; i++) {
		fh_printf(&h, "\nindex");
		fh_str(&h, a->indices[i].name);
		fh_series32(&h, "", a->indices[i].bp, H);
	}
	fh_printf(&h, "\nbase %ld %ld %ld unbudgeted %ld %ld", (long)a->base_support_pay_bp,
		  (long)a->base_teacher_oncost_bp, (long)a->base_support_oncost_bp,
		  (long)a->base_teacher_oncost_unbudgeted_bp, (long)a->base_support_oncost_unbudgeted_bp);
	for (size_t i = 0; i < in->naccounts; i++) {
		const struct forecast_account *ac = &in->accounts[i];

		fh_printf(&h, "\naccount");
		fh_str(&h, ac->code);
		fh_str(&h, ac->group);
		fh_str(&h, ac->driver);
		fh_printf(&h, " %d %d %d %d %d", ac->is_income, ac->is_gag, ac->is_teacher, ac->is_support, ac->is_internal);
	}
	for (size_t i = 0; i < in->nentities; i++) {
		const struct forecast_entity_in *e = &in->entities[i];

		fh_printf(&h, "\nentity");
		fh_str(&h, e->urn);
		fh_str(&h, e->name);
		fh_str(&h, e->model);
		fh_str(&h, e->budget_status);
		fh_printf(&h, " %d %d %d %lld", e->is_central, e->selected, e->has_opening, (long long)e->opening_pence);
		fh_series32(&h, "pupils", e->pupils, a->horizon + 3);
		fh_series32(&h, "places", e->places, a->horizon + 3);
		for (size_t j = 0; j < e->nlines; j++) {
			const struct forecast_line_in *l = &e->lines[j];

			fh_printf(&h, "\nline");
			fh_int(&h, l->amount_pence);
			fh_int(&h, l->excluded);
			fh_str(&h, l->code);
			fh_str(&h, l->driver);
			fh_str(&h, l->description);
			if (e->from_posts != NULL && e->from_posts[j])   /* only then: other digests as before */
				fh_printf(&h, " from_posts");
		}
	}
	fh_printf(&h, "\nservices %d", in->have_services);
	for (size_t i = 0; i < in->nservices; i++) {
		fh_printf(&h, "\nservice");
		fh_str(&h, in->services[i].urn);
		fh_str(&h, in->services[i].code);
		fh_str(&h, in->services[i].label);
		fh_series64(&h, "", in->services[i].pence, H);
	}
	for (size_t i = 0; i < in->ncontracts; i++) {
		fh_printf(&h, "\ncontract %ld %d", (long)in->contracts[i].final_end, in->contracts[i].auto_renew);
		fh_str(&h, in->contracts[i].reference);
		fh_str(&h, in->contracts[i].urn);
	}
	for (size_t i = 0; in->actions != NULL && i < in->nactions; i++) {
		const struct forecast_action *x = &in->actions[i];

		fh_printf(&h, "\naction");
		fh_str(&h, x->urn);
		fh_str(&h, x->code);
		fh_int(&h, x->from);
		fh_int(&h, x->to);
		fh_int(&h, x->annual_pence);
		fh_str(&h, x->note);
	}
	for (size_t i = 0; in->staff != NULL && i < in->nstaff; i++) {
		const struct forecast_staff *s = &in->staff[i];

		fh_printf(&h, "\nstaff");
		fh_str(&h, s->urn);
		fh_str(&h, s->code);
		fh_series64(&h, "pence", s->pence, H);
		fh_series64(&h, "pay", s->pay, H);
		fh_series64(&h, "ni", s->ni, H);
		fh_series64(&h, "pension", s->pension, H);
		fh_series32(&h, "posts", s->posts, H);
		fh_series32(&h, "fte_h", s->fte_h, H);
		if (s->levy) {
			fh_series64(&h, "levy", s->levy_pence, H);
			fh_series64(&h, "allowance", s->allowance_pence, H);
		}
	}
	if (in->staff_basis != NULL) {
		fh_printf(&h, "\nstaff_basis");
		fh_str(&h, in->staff_basis);
	}
	for (size_t i = 0; i < in->nplugins; i++) {
		const struct bursar_settings *s = in->plugins[i].settings;

		fh_printf(&h, "\nplugin");
		fh_str(&h, in->plugins[i].name);
		fh_str(&h, in->plugins[i].version);
		for (size_t j = 0; s != NULL && j < s->n; j++) {
			const struct bursar_setting *kv = BURSAR_AT(struct bursar_setting, s->items, s->item_size, j);

			fh_printf(&h, "\nsetting");
			fh_str(&h, kv->key);
			fh_str(&h, kv->value);
		}
	}
	fh_flush(&h);
	if (h.failed || EVP_DigestFinal_ex(h.ctx, md, &mdlen) != 1 || mdlen != 32) {
		EVP_MD_CTX_free(h.ctx);
		return -1;
	}
	EVP_MD_CTX_free(h.ctx);
	for (unsigned i = 0; i < mdlen; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
	return 0;
}

