/* plugin.c - see plugin.h */
#include "plugin.h"

#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "config.h"
#include "log.h"

#define PLUGIN_SYMBOL "bursar_rules_entry"
#define PLUGIN_INIT_ERRLEN 256

struct plugin {
	char *name;
	char *path;
	void *handle;                            /* dlopen's */
	const struct bursar_rules *rules;        /* inside the shared object */
	void *state;                             /* init's; given back to fini */
	struct bursar_setting *items;            /* our copies of the settings */
	struct bursar_settings settings;
	int inited;
	int shared;                              /* a run registry's copy of the process's: owns nothing */
	int instance;                            /* a run's private instance: owns all but the handle */
};

struct plugins {
	size_t n;
	struct plugin *items;
};

static void plugin_unload(struct plugin *p)
{
	if (p->shared) {
		memset(p, 0, sizeof(*p));
		return;
	}
	if (p->inited && p->rules->fini != NULL)
		p->rules->fini(p->state);
	if (p->handle != NULL)
		dlclose(p->handle);
	for (size_t i = 0; i < p->settings.n; i++) {
		free((char *)p->items[i].key);
		free((char *)p->items[i].value);
	}
	free(p->items);
	free(p->name);
	free(p->path);
	memset(p, 0, sizeof(*p));
}

void plugin_registry_free(struct plugins *ps)
{
	if (ps == NULL)
		return;
	/* in reverse: a plugin loaded later may rely on one loaded before it */
	for (size_t i = ps->n; i > 0; i--) {
		if (!ps->items[i - 1].shared && !ps->items[i - 1].instance)
			log_info("plugin: unloading %s", ps->items[i - 1].name);
		plugin_unload(&ps->items[i - 1]);
	}
	free(ps->items);
	free(ps);
}

static int plugin_copy_settings(struct plugin *p, const struct cfg_plugin *cp)
{
	if (cp->nsettings > 0 && (p->items = calloc(cp->nsettings, sizeof(*p->items))) == NULL)
		return -1;
	p->settings = (struct bursar_settings){ .size = sizeof(struct bursar_settings),
						.item_size = sizeof(struct bursar_setting), .items = p->items };
	for (size_t i = 0; i < cp->nsettings; i++) {
		char *k = strdup(cp->settings[i].key), *v = strdup(cp->settings[i].value);

		if (k == NULL || v == NULL) {
			free(k);
			free(v);
			return -1;
		}
		p->items[i] = (struct bursar_setting){ .key = k, .value = v };
		p->settings.n++;
	}
	return 0;
}

__attribute__((format(printf, 3, 4)))
static int plugin_fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

/* Load one configured plugin into p; on failure p is left empty. */
static int plugin_load_one(struct plugin *p, const struct cfg_plugin *cp, const char *dir, char *err,
			   size_t errlen)
{
	const struct bursar_rules *r;
	char perr[PLUGIN_INIT_ERRLEN] = "";
	struct stat st;
	const char *why;
	size_t n = strlen(dir) + strlen(cp->name) + 5;

	if ((p->name = strdup(cp->name)) == NULL || (p->path = malloc(n)) == NULL) {
		plugin_fail(err, errlen, "plugin %s: out of memory", cp->name);
		goto fail;
	}
	snprintf(p->path, n, "%s/%s.so", dir, cp->name);
	if (stat(p->path, &st) != 0) {
		plugin_fail(err, errlen, "plugin %s: %s: %s", cp->name, p->path,
			    errno == ENOENT ? "no such file (paths.plugins is the directory to look in)" : strerror(errno));
		goto fail;
	}
	if ((p->handle = dlopen(p->path, RTLD_NOW | RTLD_LOCAL)) == NULL) {
		why = dlerror();
		plugin_fail(err, errlen, "plugin %s: %s: cannot load: %s", cp->name, p->path,
			    why != NULL ? why : "unknown error");
		goto fail;
	}
	dlerror();
	if ((r = dlsym(p->handle, PLUGIN_SYMBOL)) == NULL) {
		plugin_fail(err, errlen, "plugin %s: %s: does not export the symbol " PLUGIN_SYMBOL
			    " (not a bursar finance-rules plugin?)", cp->name, p->path);
		goto fail;
	}
	if (r->abi != BURSAR_RULES_ABI) {
		plugin_fail(err, errlen, "plugin %s: %s: built for plugin ABI %u, but this bursard has ABI %d: "
			    "rebuild it against this bursar_plugin.h", cp->name, p->path, (unsigned)r->abi,
			    BURSAR_RULES_ABI);
		goto fail;
	}
	if (r->size < sizeof(struct bursar_rules)) {
		plugin_fail(err, errlen, "plugin %s: %s: struct bursar_rules is %u bytes, shorter than the %zu "
			    "bytes of ABI %d (a mismatched build)", cp->name, p->path, (unsigned)r->size,
			    sizeof(struct bursar_rules), BURSAR_RULES_ABI);
		goto fail;
	}
	if (r->name == NULL || strcmp(r->name, cp->name) != 0) {
		plugin_fail(err, errlen, "plugin %s: %s: the plugin calls itself \"%.64s\", not \"%s\"", cp->name,
			    p->path, r->name != NULL ? r->name : "(no name)", cp->name);
		goto fail;
	}
	if (r->version == NULL || r->apply_year == NULL) {
		plugin_fail(err, errlen, "plugin %s: %s: has no %s", cp->name, p->path,
			    r->version == NULL ? "version" : "apply_year function");
		goto fail;
	}
	if (r->init == NULL && cp->nsettings > 0) {
		plugin_fail(err, errlen, "plugin %s: %s: takes no settings, but %zu are configured", cp->name,
			    p->path, cp->nsettings);
		goto fail;
	}
	p->rules = r;
	if (plugin_copy_settings(p, cp) != 0) {
		plugin_fail(err, errlen, "plugin %s: out of memory", cp->name);
		goto fail;
	}
	if (r->init != NULL && r->init(&p->settings, &p->state, perr, sizeof(perr)) != 0) {
		perr[sizeof(perr) - 1] = '\0';
		plugin_fail(err, errlen, "plugin %s: %s: init failed: %s", cp->name, p->path,
			    perr[0] != '\0' ? perr : "(the plugin gave no reason)");
		goto fail;
	}
	p->inited = 1;
	log_notice("plugin: loaded %s %s from %s", r->name, r->version, p->path);
	return 0;
fail:
	plugin_unload(p);
	return -1;
}

struct plugins *plugin_registry_load(const struct cfg *cfg, char *err, size_t errlen)
{
	struct plugins *ps = calloc(1, sizeof(*ps));

	if (ps == NULL || (cfg->nplugins > 0 && (ps->items = calloc(cfg->nplugins, sizeof(*ps->items))) == NULL)) {
		plugin_fail(err, errlen, "plugins: out of memory");
		free(ps);
		return NULL;
	}
	for (size_t i = 0; i < cfg->nplugins; i++) {
		const struct cfg_plugin *cp = &cfg->plugins[i];

		if (plugin_find(ps, cp->name) != NULL) {
			plugin_fail(err, errlen, "plugin %s: %s/%s.so: two plugins with the name \"%s\" "
				    "(plugins[%zu] repeats it)", cp->name, cfg->plugin_dir, cp->name, cp->name, i);
			goto fail;
		}
		if (plugin_load_one(&ps->items[i], cp, cfg->plugin_dir, err, errlen) != 0)
			goto fail;
		ps->n++;
	}
	return ps;
fail:
	plugin_registry_free(ps);
	return NULL;
}

/* p's settings with over's merged over them, into inst (its own copies). */
static int plugin_merge_settings(struct plugin *inst, const struct plugin *p, const struct plugin_override *over)
{
	size_t cap = p->settings.n + over->n;

	if (cap > 0 && (inst->items = calloc(cap, sizeof(*inst->items))) == NULL)
		return -1;
	inst->settings = (struct bursar_settings){ .size = sizeof(struct bursar_settings),
						   .item_size = sizeof(struct bursar_setting), .items = inst->items };
	for (size_t i = 0; i < p->settings.n + over->n; i++) {
		const struct bursar_setting *kv = i < p->settings.n ? &p->items[i] : &over->items[i - p->settings.n];
		size_t j = 0;
		char *v;

		while (j < inst->settings.n && strcmp(inst->items[j].key, kv->key) != 0)
			j++;
		if ((v = strdup(kv->value)) == NULL)
			return -1;
		if (j < inst->settings.n) {      /* the scenario's value over the configured one */
			free((char *)inst->items[j].value);
			inst->items[j].value = v;
			continue;
		}
		if ((inst->items[j].key = strdup(kv->key)) == NULL) {
			free(v);
			return -1;
		}
		inst->items[j].value = v;
		inst->settings.n++;
	}
	return 0;
}

/* A private instance of p with over's settings merged in, init'ed. 0, or -1 with err. */
static int plugin_instance(struct plugin *inst, const struct plugin *p, const struct plugin_override *over, char *err,
			   size_t errlen)
{
	char perr[PLUGIN_INIT_ERRLEN] = "";

	inst->instance = 1;
	inst->rules = p->rules;
	if ((inst->name = strdup(p->name)) == NULL || (inst->path = strdup(p->path)) == NULL ||
	    plugin_merge_settings(inst, p, over) != 0)
		return plugin_fail(err, errlen, "out of memory");
	if (p->rules->init == NULL)
		return inst->settings.n == 0 ? 0 : plugin_fail(err, errlen, "takes no settings");
	if (p->rules->init(&inst->settings, &inst->state, perr, sizeof(perr)) != 0) {
		perr[sizeof(perr) - 1] = '\0';
		return plugin_fail(err, errlen, "%s", perr[0] != '\0' ? perr : "the plugin refused its settings (it gave no reason)");
	}
	inst->inited = 1;
	return 0;
}

struct plugins *plugin_registry_with(const struct plugins *ps, const struct plugin_override *over, size_t nover,
				     size_t *bad, char *err, size_t errlen)
{
	struct plugins *run = calloc(1, sizeof(*run));
	size_t n = plugin_count(ps);

	*bad = 0;
	if (run == NULL || (n > 0 && (run->items = calloc(n, sizeof(*run->items))) == NULL)) {
		plugin_fail(err, errlen, "out of memory");
		free(run);
		return NULL;
	}
	for (size_t k = 0; k < nover; k++)
		if (plugin_find(ps, over[k].name) == NULL) {
			*bad = k;
			plugin_fail(err, errlen, "no plugin of this name is loaded");
			goto fail;
		}
	for (size_t i = 0; i < n; i++) {
		const struct plugin *p = &ps->items[i];
		size_t k = 0;

		while (k < nover && strcmp(over[k].name, p->name) != 0)
			k++;
		run->n++;                        /* counted now, so plugin_registry_free frees it */
		if (k == nover) {
			run->items[i] = *p;
			run->items[i].shared = 1;
		} else if (plugin_instance(&run->items[i], p, &over[k], err, errlen) != 0) {
			*bad = k;
			goto fail;
		}
	}
	return run;
fail:
	plugin_registry_free(run);
	return NULL;
}

int plugin_registry_matches(const struct plugins *ps, const struct cfg *cfg)
{
	if (plugin_count(ps) != cfg->nplugins)
		return 0;
	for (size_t i = 0; i < cfg->nplugins; i++) {
		const struct plugin *p = &ps->items[i];
		const struct cfg_plugin *cp = &cfg->plugins[i];

		if (strcmp(p->name, cp->name) != 0 || p->settings.n != cp->nsettings)
			return 0;
		for (size_t j = 0; j < cp->nsettings; j++)
			if (strcmp(p->items[j].key, cp->settings[j].key) != 0 ||
			    strcmp(p->items[j].value, cp->settings[j].value) != 0)
				return 0;
	}
	return 1;
}

size_t plugin_count(const struct plugins *ps)
{
	return ps != NULL ? ps->n : 0;
}

const struct plugin *plugin_at(const struct plugins *ps, size_t i)
{
	return i < plugin_count(ps) ? &ps->items[i] : NULL;
}

const struct plugin *plugin_find(const struct plugins *ps, const char *name)
{
	for (size_t i = 0; i < plugin_count(ps); i++)
		if (ps->items[i].name != NULL && strcmp(ps->items[i].name, name) == 0)
			return &ps->items[i];
	return NULL;
}

const char *plugin_name(const struct plugin *p)
{
	return p->name;
}

const char *plugin_version(const struct plugin *p)
{
	return p->rules->version;
}

const char *plugin_description(const struct plugin *p)
{
	return p->rules->description != NULL ? p->rules->description : "";
}

const char *plugin_path(const struct plugin *p)
{
	return p->path;
}

const struct bursar_settings *plugin_settings(const struct plugin *p)
{
	return &p->settings;
}

/* ---- calls ----------------------------------------------------------------------- */

struct plugin_call {
	struct bursar_ctx ctx;                   /* what the plugin sees */
	const struct plugin *p;
	const struct bursar_year *year;          /* apply_year: the entities postings may name */
	int may_post;
	struct plugin_result *res;
};

__attribute__((format(printf, 2, 3)))
static int plugin_refuse(struct plugin_call *c, const char *fmt, ...)
{
	va_list ap;
	char buf[300];

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (c->res->refused == NULL)
		c->res->refused = strdup(buf);       /* the first reason is the one that matters */
	log_warn("plugin: %s: %s", c->p->name, buf);
	return -1;
}

/* bsearch over the year's entities: a NULL URN sorts first (it never matches). */
static int plugin_urn_cmp(const void *key, const void *elem)
{
	const char *urn = ((const struct bursar_entity *)elem)->urn;

	return urn == NULL ? 1 : strcmp(key, urn);
}

/* Whether urn is BURSAR_CENTRAL or one of the year's entities (sorted by URN, per
 * struct bursar_year): a binary search, so a posting costs O(log n), not O(n). */
static int plugin_entity_known(const struct plugin_call *c, const char *urn)
{
	const struct bursar_year *y = c->year;

	if (strcmp(urn, BURSAR_CENTRAL) == 0)
		return 1;
	if (y->entities == NULL || y->nentities == 0 || y->entity_size < sizeof(const char *))
		return 0;
	return bsearch(urn, y->entities, y->nentities, y->entity_size, plugin_urn_cmp) != NULL;
}

static int plugin_grow(void **arr, size_t *cap, size_t n, size_t elem)
{
	size_t want = *cap ? *cap * 2 : 16;
	void *m;

	if (n < *cap)
		return 0;
	if ((m = realloc(*arr, want * elem)) == NULL)
		return -1;
	*arr = m;
	*cap = want;
	return 0;
}

static int plugin_cb_post(struct bursar_ctx *ctx, const struct bursar_posting *in)
{
	struct plugin_call *c = ctx->daemon;
	struct bursar_posting p = { 0 };
	struct plugin_posting *out;

	if (!c->may_post)
		return plugin_refuse(c, "posted while validating a budget");
	if (in == NULL)
		return plugin_refuse(c, "posted nothing (NULL)");
	/* a plugin built against an older header passes a shorter struct: the rest stays zero */
	memcpy(&p, in, in->size < sizeof(p) ? in->size : sizeof(p));
	if (p.payer == NULL || p.payee == NULL || p.payer[0] == '\0' || p.payee[0] == '\0')
		return plugin_refuse(c, "a posting without a payer or payee");
	if (p.payer_account == NULL || p.payee_account == NULL || p.payer_account[0] == '\0' ||
	    p.payee_account[0] == '\0')
		return plugin_refuse(c, "a posting from %.20s to %.20s without its accounts", p.payer, p.payee);
	if (strcmp(p.payer, p.payee) == 0)
		return plugin_refuse(c, "a posting from %.20s to itself", p.payer);
	if (!plugin_entity_known(c, p.payer) || !plugin_entity_known(c, p.payee))
		return plugin_refuse(c, "a posting from %.20s to %.20s: not an entity of this model or \"central\"",
				     p.payer, p.payee);
	if (p.amount_pence < 0)
		return plugin_refuse(c, "a negative posting (%lld pence) from %.20s to %.20s",
				     (long long)p.amount_pence, p.payer, p.payee);
	if (plugin_grow((void **)&c->res->posts, &c->res->cap_posts, c->res->nposts, sizeof(*out)) != 0)
		return plugin_refuse(c, "out of memory");
	{
		/* the six strings in one allocation (payer first: plugin_result_free frees that) */
		const char *src[6] = { p.payer, p.payer_account, p.payee, p.payee_account,
				       p.basis != NULL ? p.basis : "", p.explanation != NULL ? p.explanation : "" };
		size_t len[6], total = 0;
		char *buf, *d[6];

		for (int i = 0; i < 6; i++)
			total += (len[i] = strlen(src[i])) + 1;
		if ((buf = malloc(total)) == NULL)
			return plugin_refuse(c, "out of memory");
		for (int i = 0; i < 6; i++) {
			d[i] = buf;
			memcpy(buf, src[i], len[i] + 1);
			buf += len[i] + 1;
		}
		out = &c->res->posts[c->res->nposts++];
		*out = (struct plugin_posting){
			.payer = d[0], .payer_account = d[1], .payee = d[2], .payee_account = d[3],
			.amount_pence = p.amount_pence, .basis = d[4], .base_pence = p.base_pence,
			.rate_bp = BURSAR_HAS(in->size, struct bursar_posting, rate_bp) ? p.rate_bp : -1,
			.explanation = d[5],
		};
	}
	return 0;
}

static int plugin_cb_finding(struct bursar_ctx *ctx, const struct bursar_finding *in)
{
	struct plugin_call *c = ctx->daemon;
	struct bursar_finding f = { 0 };
	struct plugin_finding *out;

	if (in == NULL)
		return plugin_refuse(c, "reported nothing (NULL)");
	memcpy(&f, in, in->size < sizeof(f) ? in->size : sizeof(f));
	if (f.severity < BURSAR_INFO || f.severity > BURSAR_ERROR)
		return plugin_refuse(c, "a finding of unknown severity %d", (int)f.severity);
	if (f.message == NULL || f.message[0] == '\0')
		return plugin_refuse(c, "a finding without a message");
	if (plugin_grow((void **)&c->res->findings, &c->res->cap_findings, c->res->nfindings, sizeof(*out)) != 0)
		return plugin_refuse(c, "out of memory");
	out = &c->res->findings[c->res->nfindings++];
	*out = (struct plugin_finding){ .severity = f.severity, .field = strdup(f.field != NULL ? f.field : ""),
					.message = strdup(f.message) };
	if (out->field == NULL || out->message == NULL)
		return plugin_refuse(c, "out of memory");
	return 0;
}

static void plugin_call_init(struct plugin_call *c, const struct plugin *p, struct plugin_result *res)
{
	*c = (struct plugin_call){
		.ctx = { .size = sizeof(struct bursar_ctx), .post = plugin_cb_post, .finding = plugin_cb_finding },
		.p = p, .res = res,
	};
	c->ctx.daemon = c;
}

int plugin_apply_year(const struct plugin *p, const struct bursar_year *y, struct plugin_result *res)
{
	struct plugin_call c;
	int rc;

	plugin_call_init(&c, p, res);
	c.year = y;
	c.may_post = 1;
	rc = p->rules->apply_year(p->state, y, &c.ctx);
	return rc == 0 && res->refused == NULL ? 0 : -1;
}

int plugin_validate_budget(const struct plugin *p, const struct bursar_budget *b, struct plugin_result *res)
{
	struct plugin_call c;
	int rc;

	if (p->rules->validate_budget == NULL)
		return 0;
	plugin_call_init(&c, p, res);
	rc = p->rules->validate_budget(p->state, b, &c.ctx);
	return rc == 0 && res->refused == NULL ? 0 : -1;
}

void plugin_result_free(struct plugin_result *res)
{
	if (res == NULL)
		return;
	for (size_t i = 0; i < res->nposts; i++) {
		free(res->posts[i].payer);               /* its strings' one allocation (plugin_cb_post) */
	}
	for (size_t i = 0; i < res->nfindings; i++) {
		free(res->findings[i].field);
		free(res->findings[i].message);
	}
	free(res->posts);
	free(res->findings);
	free(res->refused);
	memset(res, 0, sizeof(*res));
}

const char *plugin_failure(const struct plugin_result *res)
{
	if (res->refused != NULL)
		return res->refused;
	for (size_t i = 0; i < res->nfindings; i++)
		if (res->findings[i].severity == BURSAR_ERROR)
			return res->findings[i].message;
	return "the plugin reported a failure";
}
