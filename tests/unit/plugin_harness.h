/*
 * plugin_harness.h - for the plugin unit tests: load a built plugin (.so) the
 * way the daemon does (dlopen, the one symbol, init with settings) and call it
 * through the ABI with callbacks that copy postings and findings, as the
 * daemon's do. Run from the repository root (tests/run.sh does).
 */
#ifndef BURSAR_TEST_PLUGIN_HARNESS_H
#define BURSAR_TEST_PLUGIN_HARNESS_H

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#include "../../plugins/bursar_plugin.h"

#define H_UNUSED __attribute__((unused))
#define H_MAX 64

struct h_posting {
	char payer[16], payer_account[16], payee[16], payee_account[16], basis[32];
	int64_t amount_pence, base_pence;
	int32_t rate_bp;
	char explanation[600];
};

struct h_finding {
	int severity;
	char field[64];
	char message[700];
};

struct harness {
	void *handle;
	const struct bursar_rules *rules;
	void *state;
	struct bursar_ctx ctx;
	size_t nposts, nfindings;
	struct h_posting posts[H_MAX];
	struct h_finding findings[H_MAX];
	char err[256];
};

static void h_copy(char *dst, size_t len, const char *src)
{
	snprintf(dst, len, "%s", src != NULL ? src : "(null)");
}

static int h_post(struct bursar_ctx *ctx, const struct bursar_posting *p)
{
	struct harness *h = ctx->daemon;
	struct h_posting *o;

	if (h->nposts == H_MAX)
		return -1;
	o = &h->posts[h->nposts++];
	h_copy(o->payer, sizeof(o->payer), p->payer);
	h_copy(o->payer_account, sizeof(o->payer_account), p->payer_account);
	h_copy(o->payee, sizeof(o->payee), p->payee);
	h_copy(o->payee_account, sizeof(o->payee_account), p->payee_account);
	h_copy(o->basis, sizeof(o->basis), p->basis);
	h_copy(o->explanation, sizeof(o->explanation), p->explanation);
	o->amount_pence = p->amount_pence;
	o->base_pence = p->base_pence;
	o->rate_bp = p->rate_bp;
	return 0;
}

static int h_finding_cb(struct bursar_ctx *ctx, const struct bursar_finding *f)
{
	struct harness *h = ctx->daemon;
	struct h_finding *o;

	if (h->nfindings == H_MAX)
		return -1;
	o = &h->findings[h->nfindings++];
	o->severity = f->severity;
	h_copy(o->field, sizeof(o->field), f->field);
	h_copy(o->message, sizeof(o->message), f->message);
	return 0;
}

/* Load plugins/<name>.so and init it with key/value pairs (NULL-terminated: k, v, k, v, ..., NULL).
 * 0, or -1 with h->err set (a failing init's message). */
H_UNUSED static int h_load(struct harness *h, const char *name, const char *const *kv)
{
	struct bursar_setting items[32];
	struct bursar_settings s = { .size = sizeof(s), .item_size = sizeof(items[0]), .items = items };
	char path[256];

	memset(h, 0, sizeof(*h));
	snprintf(path, sizeof(path), "plugins/%s.so", name);
	if ((h->handle = dlopen(path, RTLD_NOW | RTLD_LOCAL)) == NULL) {
		snprintf(h->err, sizeof(h->err), "%s", dlerror());
		return -1;
	}
	if ((h->rules = dlsym(h->handle, "bursar_rules_entry")) == NULL) {
		snprintf(h->err, sizeof(h->err), "no symbol");
		return -1;
	}
	for (; kv != NULL && kv[0] != NULL && s.n < 32; kv += 2)
		items[s.n++] = (struct bursar_setting){ .key = kv[0], .value = kv[1] };
	h->ctx = (struct bursar_ctx){ .size = sizeof(h->ctx), .daemon = h, .post = h_post, .finding = h_finding_cb };
	return h->rules->init(&s, &h->state, h->err, sizeof(h->err));
}

H_UNUSED static void h_unload(struct harness *h)
{
	if (h->rules != NULL && h->rules->fini != NULL)
		h->rules->fini(h->state);
	if (h->handle != NULL)
		dlclose(h->handle);
	memset(h, 0, sizeof(*h));
}

H_UNUSED static void h_clear(struct harness *h)
{
	h->nposts = 0;
	h->nfindings = 0;
}

H_UNUSED static int h_apply(struct harness *h, const struct bursar_entity *e, size_t n)
{
	struct bursar_year y = { .size = sizeof(y), .year = 2026, .entities = e, .nentities = n,
				 .entity_size = sizeof(*e) };

	h_clear(h);
	return h->rules->apply_year(h->state, &y, &h->ctx);
}

H_UNUSED static int h_validate(struct harness *h, const char *urn, const struct bursar_line *lines, size_t n,
			       const struct bursar_year *context)
{
	struct bursar_budget b = { .size = sizeof(b), .year = 2026, .urn = urn, .lines = lines, .nlines = n,
				   .line_size = sizeof(*lines), .context = context };

	h_clear(h);
	return h->rules->validate_budget(h->state, &b, &h->ctx);
}

/* An excluded or budget line. */
#define H_LINE(acc_, stream_, income_, excl_, idx_, pence_) \
	{ .account = (acc_), .description = "", .stream = (stream_), .excluded = (excl_), \
	  .is_income = (income_), .index = (idx_), .amount_pence = (pence_) }

#endif
