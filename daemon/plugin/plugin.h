/*
 * plugin.h - the finance-rule plugin registry: loads the plugins the
 * configuration names (plugins/bursar_plugin.h is their ABI), keeps them for the
 * life of the process, and calls them with callbacks that copy their results
 * into daemon-owned memory.
 *
 * Thread: plugin_registry_load and plugin_registry_free run on the main thread,
 * before the workers start and after they are joined. In between the registry
 * is read-only and shared by every worker: the look-ups and the calls
 * (plugin_apply_year, plugin_validate_budget) are safe from any thread at once.
 * A SIGHUP does not reload plugins: their set and settings change on restart.
 */
#ifndef BURSAR_PLUGIN_REGISTRY_H
#define BURSAR_PLUGIN_REGISTRY_H

#include <stddef.h>
#include <stdint.h>

#include "bursar_plugin.h"

struct cfg;
struct plugins;                              /* the registry (plugin.c) */
struct plugin;                               /* one loaded plugin (plugin.c) */

/*
 * Load every plugin of cfg->plugins, in order: <cfg->plugin_dir>/<name>.so with
 * dlopen(RTLD_NOW | RTLD_LOCAL), its one symbol bursar_rules_entry, checks of
 * the ABI version, the struct's size and its name (equal to the configured
 * name), then init() with the plugin's settings. Returns the registry (empty
 * when no plugin is configured), or NULL with a message in err naming the file
 * and the reason (missing file, missing symbol, wrong ABI, short struct, name
 * mismatch, failed init with the plugin's message, a name configured twice);
 * whatever was loaded is unloaded again. The daemon must not start then.
 */
struct plugins *plugin_registry_load(const struct cfg *cfg, char *err, size_t errlen)
	__attribute__((warn_unused_result));

/* fini() each plugin, then dlclose it. Only once no thread uses the registry. NULL ok.
 * A run's registry (plugin_registry_with): fini() of its private instances only. */
void plugin_registry_free(struct plugins *ps);

/* A plugin's settings overridden for one run (strings borrowed). */
struct plugin_override {
	const char *name;
	size_t n;
	const struct bursar_setting *items;
};

/*
 * A run's own registry (DESIGN.md "What-ifs never touch live data"): every
 * plugin of ps in the same order, each one over[0..nover) names as a private
 * instance init'ed afresh with its configured settings and over's merged over
 * them (a key in both: over's value; the plugin's init checks them, as it does
 * the config's), the rest shared with ps as they are. ps is not touched, so no
 * other worker sees anything of it; the result belongs to the calling thread.
 * It shares ps's shared objects: free it with plugin_registry_free (fini of the
 * private instances only, no dlclose) before ps goes. NULL with the reason in
 * err and over's index in *bad: a name ps has not loaded, the plugin's own init
 * message when it refuses the settings, or out of memory.
 */
struct plugins *plugin_registry_with(const struct plugins *ps, const struct plugin_override *over, size_t nover,
				     size_t *bad, char *err, size_t errlen) __attribute__((warn_unused_result));

/* 1 when cfg names the same plugins with the same settings, in the same order. */
int plugin_registry_matches(const struct plugins *ps, const struct cfg *cfg);

/* Loaded plugins in configuration order (NULL registry: none). */
size_t plugin_count(const struct plugins *ps);
const struct plugin *plugin_at(const struct plugins *ps, size_t i);
/* By name, or NULL. */
const struct plugin *plugin_find(const struct plugins *ps, const char *name);

/* What the plugin says about itself, and where it came from (borrowed). */
const char *plugin_name(const struct plugin *p);
const char *plugin_version(const struct plugin *p);
const char *plugin_description(const struct plugin *p);      /* "" when none */
const char *plugin_path(const struct plugin *p);
/* The settings the plugin was given (the registry's copy, as strings). */
const struct bursar_settings *plugin_settings(const struct plugin *p);

/* ---- calling a plugin ---------------------------------------------------------- */

/* A posting as the daemon keeps it: every string is the result's own copy (the six
 * in one allocation, starting at payer: read them, do not free or replace one). */
struct plugin_posting {
	char *payer, *payer_account, *payee, *payee_account;
	int64_t amount_pence;
	char *basis;
	int64_t base_pence;
	int32_t rate_bp;                         /* -1: none */
	char *explanation;
};

struct plugin_finding {
	int severity;                            /* enum bursar_severity */
	char *field;                             /* "" when none */
	char *message;
};

/* What one call produced. Zero-initialise before the call; free with plugin_result_free. */
struct plugin_result {
	struct plugin_posting *posts;
	size_t nposts;
	struct plugin_finding *findings;
	size_t nfindings;
	char *refused;                           /* why a callback refused the plugin, or NULL */
	size_t cap_posts, cap_findings;
};

/*
 * Run the model for one year over y's entities. Postings are checked as they
 * arrive (payer and payee are entities of y or BURSAR_CENTRAL and differ, both
 * accounts are given, amount_pence >= 0) and copied into res. Returns the
 * plugin's result: 0, or -1 (see res->findings and res->refused).
 */
int plugin_apply_year(const struct plugin *p, const struct bursar_year *y, struct plugin_result *res)
	__attribute__((warn_unused_result));

/* Check one budget; findings are copied into res (postings are refused). A
 * plugin without validate_budget finds nothing. 0, or -1 as above. */
int plugin_validate_budget(const struct plugin *p, const struct bursar_budget *b, struct plugin_result *res)
	__attribute__((warn_unused_result));

void plugin_result_free(struct plugin_result *res);        /* NULL ok; leaves it zeroed */

/* Why a plugin_apply_year or plugin_validate_budget that returned -1 failed: the
 * callback's refusal, else the plugin's first error finding, else a general
 * message. Borrowed from res (or static). */
const char *plugin_failure(const struct plugin_result *res);

#endif
