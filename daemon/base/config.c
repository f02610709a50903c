/* config.c - see config.h */
#include "config.h"

#include "config_ints.h"
#include "date.h"
#include "log.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <libconfig.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The longest Unix socket path the kernel accepts (sizeof(sun_path) - 1). */
#define CFG_SOCKET_MAX 107

enum cfg_type {
	CFG_STR,        /* char *, strdup'ed */
	CFG_INT,        /* int */
	CFG_I32,        /* int32_t */
	CFG_SIZE,       /* size_t */
	CFG_BOOL,       /* int, 0 or 1 */
	CFG_LEVEL,      /* int, a syslog priority from log_level_parse */
	CFG_DATE,       /* int32_t days, "YYYY-MM-DD"; absent: def_int */
	CFG_PASSFILE,   /* char *: the first line of the named file; absent or "": "" */
};

#define CFG_NONEMPTY 1u
#define CFG_REQUIRED 2u         /* the file must set it: a file without it is refused (cfg_required) */

/* One scalar setting: where it lives in the file and in struct cfg, its default and range. */
struct cfg_opt {
	const char *name;
	enum cfg_type type;
	size_t off;
	const char *def_str;
	int64_t def_int;
	int64_t min, max;
	unsigned flags;
};

#define OPT_STR(n, f, d, fl) \
	{ .name = n, .type = CFG_STR, .off = offsetof(struct cfg, f), .def_str = d, .flags = fl }
#define OPT_NUM(n, t, f, d, lo, hi) \
	{ .name = n, .type = t, .off = offsetof(struct cfg, f), .def_int = d, .min = lo, .max = hi }
#define OPT_INT(n, f, d, lo, hi)  OPT_NUM(n, CFG_INT, f, d, lo, hi)
#define OPT_I32(n, f, d, lo, hi)  OPT_NUM(n, CFG_I32, f, d, lo, hi)
#define OPT_SIZE(n, f, d, lo, hi) OPT_NUM(n, CFG_SIZE, f, d, lo, hi)
#define OPT_BOOL(n, f, d)         OPT_NUM(n, CFG_BOOL, f, d, 0, 1)

static const struct cfg_opt cfg_opts[] = {
	OPT_STR("http.address", http_address, "127.0.0.1", CFG_NONEMPTY),
	OPT_INT("http.port", http_port, 8080, 0, 65535),
	OPT_INT("http.workers", http_workers, 4, 1, 64),
	OPT_SIZE("http.max_body_bytes", http_max_body, 1 << 20, 1024, 1 << 30),
	OPT_SIZE("http.max_csv_body_bytes", http_max_csv_body, 16 << 20, 1024, 1 << 30),
	OPT_SIZE("http.max_budget_body_bytes", http_max_budget_body, 0, 0, 1 << 30),
	OPT_SIZE("http.max_header_bytes", http_max_headers, 16 << 10, 1024, 1 << 20),
	OPT_INT("http.timeout_s", http_timeout_s, 30, 1, 3600),
	OPT_INT("http.drain_timeout_s", http_drain_s, 10, 1, 3600),
	OPT_INT("http.backlog", http_backlog, 1024, 1, 65535),
	OPT_SIZE("http.max_uri_bytes", http_max_uri, 8 << 10, 256, 1 << 20),
	OPT_INT("http.max_header_count", http_max_header_count, 100, 8, 10000),
	OPT_INT("http.header_timeout_s", http_header_timeout_s, 10, 1, 3600),
	OPT_INT("http.body_timeout_s", http_body_timeout_s, 60, 1, 3600),
	OPT_INT("http.max_connections", http_max_connections, 1024, 1, 1000000),
	OPT_INT("http.max_connections_per_address", http_max_connections_per_address, 64, 0, 1000000),
	OPT_STR("http.trusted_proxies", http_trusted_proxies, "", 0),

	OPT_STR("ops.address", ops_address, "", 0),
	OPT_INT("ops.port", ops_port, 9090, 0, 65535),
	OPT_BOOL("http.cookie_secure", cookie_secure, 1),

	OPT_INT("session.idle_timeout_s", session_idle_s, 1800, 60, 7 * 86400),
	OPT_INT("session.lifetime_s", session_lifetime_s, 43200, 300, 30 * 86400),
	OPT_INT("session.throttle_after", signin_throttle_after, 3, 1, 1000),
	OPT_INT("session.lock_after", signin_lock_after, 10, 2, 1000),
	OPT_INT("session.max_delay_s", signin_max_delay_s, 900, 1, 86400),

	OPT_STR("database.socket", db_socket, "", 0),
	OPT_STR("database.host", db_host, "", 0),
	OPT_INT("database.port", db_port, 3306, 1, 65535),
	OPT_STR("database.user", db_user, "bursar", CFG_NONEMPTY | CFG_REQUIRED),
	{ .name = "database.password_file", .type = CFG_PASSFILE, .off = offsetof(struct cfg, db_password) },
	OPT_STR("database.name", db_name, "bursar", CFG_NONEMPTY | CFG_REQUIRED),
	OPT_BOOL("database.auto_migrate", db_auto_migrate, 0),
	OPT_INT("database.connect_timeout_s", db_connect_timeout_s, 5, 1, 3600),
	OPT_INT("database.rw_timeout_s", db_rw_timeout_s, 10, 1, 3600),
	OPT_INT("database.lock_wait_timeout_s", db_lock_wait_s, 5, 1, 3600),
	OPT_INT("database.deadlock_retries", db_deadlock_retries, 3, 0, 100),

	OPT_STR("paths.schema", schema_dir, "schema", CFG_NONEMPTY | CFG_REQUIRED),
	OPT_STR("paths.openapi", openapi_path, "daemon/openapi.json", CFG_NONEMPTY | CFG_REQUIRED),
	OPT_STR("paths.plugins", plugin_dir, "plugins", CFG_NONEMPTY | CFG_REQUIRED),
	OPT_STR("paths.web", web_dir, "daemon/web/dist", CFG_NONEMPTY),

	OPT_I32("procurement.indexation_bp", procurement.indexation_bp, 300, 0, 10000),
	OPT_I32("procurement.vat_recoverable_bp", vat_recoverable_bp, 10000, 0, 10000),
	OPT_STR("procurement.ocds_prefix", ocds_prefix, "ocds-xxxxxx-bursar", CFG_NONEMPTY | CFG_REQUIRED),

	OPT_INT("monitoring.variance_threshold_pence", monitoring_threshold_pence, 1000000, 0, 2000000000),
	OPT_I32("monitoring.variance_threshold_bp", monitoring_threshold_bp, 1000, 0, 1000000),

	{ .name = "log.level", .type = CFG_LEVEL, .off = offsetof(struct cfg, log_level), .def_str = "info" },
	OPT_BOOL("log.access", log_access, 1),
	OPT_INT("cache.refresh_ms", cache_refresh_ms, 250, 0, 60000),
	OPT_INT("auth.negative_ttl_s", auth_negative_ttl_s, 60, 0, 3600),
	OPT_INT("auth.failure_limit", auth_failure_limit, 50, 0, 1000000),
	OPT_INT("auth.failure_window_s", auth_failure_window_s, 60, 1, 86400),
	{ .name = "clock.today", .type = CFG_DATE, .off = offsetof(struct cfg, clock_today), .def_int = -1 },
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* Top-level groups; each must be a group, except plugins, a list. */
static const char *const cfg_groups[] = {
	"http", "ops", "session", "database", "paths", "plugins", "procurement", "log", "cache", "clock", "auth",
	"monitoring",
};

/* Settings inside known groups that are not in the table: read by their own code below. */
static const char *const cfg_lists[] = { "procurement.bands", "procurement.thresholds" };

static const char *const cfg_approvers[] = { "business_manager", "finance_director", "board" };
static const char *const cfg_contract_types[] = { "goods_services", "light_touch", "works", "concession",
						 "light_touch_concession" };
static const char *const cfg_regimes[] = { "PA2023", "PCR2015" };
static const char *const cfg_vat_bases[] = { "incl", "net" };

/*
 * Built in when the file has no procurement.bands / procurement.thresholds: the demo
 * scheme of delegation and the sub-central statutory thresholds by procurement start
 * date (domain.md section 8): net of VAT from 1 Jan 2020, incl. VAT from 1 Jan 2022,
 * new values from 1 Jan 2024 and 1 Jan 2026; the Public Contracts Regulations 2015
 * before 24 Feb 2025, the Procurement Act 2023 from then. Concessions follow the
 * works values; a light-touch concession has its own threshold under the Act
 * (£5,372,609, kept in 2026) and the concession one before it.
 */
static const struct {
	int64_t from, to;
	const char *route, *approver;
} cfg_default_bands[] = {
	{ 0, 1000000, "single_quote", "business_manager" },
	{ 1000000, 4000000, "three_quotes", "finance_director" },
	{ 4000000, 20772000, "tender_or_framework", "board" },
	{ 20772000, INT64_MAX, "find_a_tender_or_framework", "board" },
};

static const struct {
	const char *type, *from;
	int64_t pence;
	const char *regime;
	int net;
} cfg_default_thresholds[] = {
	{ "goods_services", "2020-01-01", 18933000, "PCR2015", 1 },
	{ "goods_services", "2022-01-01", 21347700, "PCR2015", 0 },
	{ "goods_services", "2024-01-01", 21490400, "PCR2015", 0 },
	{ "goods_services", "2025-02-24", 21490400, "PA2023", 0 },
	{ "goods_services", "2026-01-01", 20772000, "PA2023", 0 },
	{ "light_touch", "2020-01-01", 66354000, "PCR2015", 1 },
	{ "light_touch", "2022-01-01", 66354000, "PCR2015", 0 },
	{ "light_touch", "2025-02-24", 66354000, "PA2023", 0 },
	{ "works", "2020-01-01", 473325200, "PCR2015", 1 },
	{ "works", "2022-01-01", 533693700, "PCR2015", 0 },
	{ "works", "2024-01-01", 537260900, "PCR2015", 0 },
	{ "works", "2025-02-24", 537260900, "PA2023", 0 },
	{ "works", "2026-01-01", 519300000, "PA2023", 0 },
	{ "concession", "2020-01-01", 473325200, "PCR2015", 1 },
	{ "concession", "2022-01-01", 533693700, "PCR2015", 0 },
	{ "concession", "2024-01-01", 537260900, "PCR2015", 0 },
	{ "concession", "2025-02-24", 537260900, "PA2023", 0 },
	{ "concession", "2026-01-01", 519300000, "PA2023", 0 },
	{ "light_touch_concession", "2020-01-01", 473325200, "PCR2015", 1 },
	{ "light_touch_concession", "2022-01-01", 533693700, "PCR2015", 0 },
	{ "light_touch_concession", "2024-01-01", 537260900, "PCR2015", 0 },
	{ "light_touch_concession", "2025-02-24", 537260900, "PA2023", 0 },
};

/* State of one cfg_load: where messages go, the parsed file and the snapshot being built. */
struct cfg_ctx {
	const char *path;
	char *err;
	size_t errlen;
	config_t *lc;
	struct cfg *c;
};

static bool cfg_in(const char *s, const char *const *set, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(s, set[i]) == 0)
			return true;
	return false;
}

static bool cfg_is_ident(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++)
		if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s) || *s == '_'))
			return false;
	return true;
}

static const char *cfg_type_name(int type)
{
	switch (type) {
	case CONFIG_TYPE_GROUP: return "a group";
	case CONFIG_TYPE_INT: return "an integer";
	case CONFIG_TYPE_INT64: return "a 64-bit integer";
	case CONFIG_TYPE_FLOAT: return "a float";
	case CONFIG_TYPE_STRING: return "a string";
	case CONFIG_TYPE_BOOL: return "a boolean";
	case CONFIG_TYPE_ARRAY: return "an array";
	case CONFIG_TYPE_LIST: return "a list";
	default: return "nothing";
	}
}

/* "procurement.bands[2].route": the setting's path from the root. */
static void cfg_path(const config_setting_t *s, char *buf, size_t len)
{
	const config_setting_t *p = config_setting_parent(s);
	size_t n;

	buf[0] = '\0';
	if (p == NULL)
		return;
	cfg_path(p, buf, len);
	n = strlen(buf);
	if (config_setting_is_list(p) || config_setting_is_array(p))
		snprintf(buf + n, len - n, "[%d]", config_setting_index(s));
	else
		snprintf(buf + n, len - n, "%s%s", n > 0 ? "." : "", config_setting_name(s));
}

/*
 * Write "file:line: name: message" into the caller's buffer and return -1. name is
 * where's path, with ".member" appended when member is given (a setting that is
 * missing is reported at its group's line).
 */
__attribute__((format(printf, 6, 0)))
static int cfg_vfail(struct cfg_ctx *x, const char *file, int line, const char *name,
		     const char *member, const char *fmt, va_list ap)
{
	char msg[512], at[16] = "";
	bool named = *name != '\0' || member != NULL;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (line > 0)
		snprintf(at, sizeof(at), ":%d", line);
	snprintf(x->err, x->errlen, "%s%s: %s%s%s%s%s", file != NULL ? file : x->path, at, name,
		 *name != '\0' && member != NULL ? "." : "", member != NULL ? member : "",
		 named ? ": " : "", msg);
	return -1;
}

__attribute__((format(printf, 4, 5)))
static int cfg_fail(struct cfg_ctx *x, const config_setting_t *where, const char *member,
		    const char *fmt, ...)
{
	char name[256] = "";
	const char *file = NULL;
	int line = 0;
	va_list ap;

	if (where != NULL) {
		cfg_path(where, name, sizeof(name));
		file = config_setting_source_file(where);
		line = config_setting_source_line(where);
	}
	va_start(ap, fmt);
	cfg_vfail(x, file, line, name, member, fmt, ap);
	va_end(ap);
	return -1;
}

__attribute__((format(printf, 4, 5)))
static int cfg_fail_at(struct cfg_ctx *x, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cfg_vfail(x, file, line, "", NULL, fmt, ap);
	va_end(ap);
	return -1;
}

/* Frees everything a snapshot owns, complete or half built; NULL ok. */
static void cfg_free(struct cfg *c)
{
	if (c == NULL)
		return;
	if (c->db_password != NULL)
		explicit_bzero(c->db_password, strlen(c->db_password));
	for (size_t i = 0; i < NELEM(cfg_opts); i++)
		if (cfg_opts[i].type == CFG_STR || cfg_opts[i].type == CFG_PASSFILE)
			free(*(char **)((char *)c + cfg_opts[i].off));
	for (size_t i = 0; i < CFG_MAX_PLUGINS; i++) {
		free(c->plugins[i].name);
		for (size_t j = 0; j < CFG_MAX_SETTINGS; j++) {
			free(c->plugins[i].settings[j].key);
			free(c->plugins[i].settings[j].value);
		}
	}
	for (size_t i = 0; i < PROCURE_MAX_BANDS; i++) {
		free(c->procurement.bands[i].route);
		free(c->procurement.bands[i].approver);
	}
	for (size_t i = 0; i < PROCURE_MAX_THRESHOLDS; i++) {
		free(c->procurement.thresholds[i].contract_type);
		free(c->procurement.thresholds[i].regime);
	}
	free(c->path);
	free(c);
}

static int cfg_strdup(struct cfg_ctx *x, const config_setting_t *where, const char *s, char **out)
{
	if ((*out = strdup(s)) == NULL)
		return cfg_fail(x, where, NULL, "out of memory");
	return 0;
}

/* --- typed reads of one setting ------------------------------------------------- */

static int cfg_get_int(struct cfg_ctx *x, const config_setting_t *s, int64_t *v)
{
	int t = config_setting_type(s);

	*v = 0;
	if (t != CONFIG_TYPE_INT && t != CONFIG_TYPE_INT64)
		return cfg_fail(x, s, NULL, "must be an integer, not %s", cfg_type_name(t));
	*v = config_setting_get_int64(s);
	return 0;
}

static int cfg_get_str(struct cfg_ctx *x, const config_setting_t *s, const char **v)
{
	int t = config_setting_type(s);

	*v = "";
	if (t != CONFIG_TYPE_STRING)
		return cfg_fail(x, s, NULL, "must be a string, not %s", cfg_type_name(t));
	*v = config_setting_get_string(s);
	return 0;
}

/* A non-empty string that must be one of set. */
static int cfg_get_enum(struct cfg_ctx *x, const config_setting_t *s, const char *const *set,
			size_t n, const char **v)
{
	char list[256] = "";
	size_t len = 0;

	if (cfg_get_str(x, s, v) != 0)
		return -1;
	if (cfg_in(*v, set, n))
		return 0;
	for (size_t i = 0; i < n && len < sizeof(list); i++)
		len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%s", i > 0 ? ", " : "", set[i]);
	return cfg_fail(x, s, NULL, "must be one of %s", list);
}

/*
 * The first line of a password file, without its line end. A file that cannot be
 * read, or whose first line is empty, is an error: a password_file was asked for.
 */
static int cfg_read_password(struct cfg_ctx *x, const config_setting_t *s, const char *file,
			     char **out)
{
	FILE *f;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int rc = -1;

	if ((f = fopen(file, "re")) == NULL)
		return cfg_fail(x, s, NULL, "cannot read %s: %s", file, strerror(errno));
	errno = 0;
	n = getline(&line, &cap, f);
	if (n < 0) {
		if (ferror(f))
			cfg_fail(x, s, NULL, "cannot read %s: %s", file, strerror(errno));
		else
			cfg_fail(x, s, NULL, "%s is empty", file);
		goto out;
	}
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	if (n == 0) {
		cfg_fail(x, s, NULL, "the first line of %s is empty", file);
		goto out;
	}
	*out = line;
	line = NULL;
	rc = 0;
out:
	if (line != NULL) {
		explicit_bzero(line, cap);
		free(line);
	}
	fclose(f);
	return rc;
}

/* --- structure: known groups, no unknown settings ------------------------------- */

static bool cfg_known(const char *group, const char *name)
{
	char full[256];

	snprintf(full, sizeof(full), "%s.%s", group, name);
	for (size_t i = 0; i < NELEM(cfg_opts); i++)
		if (strcmp(full, cfg_opts[i].name) == 0)
			return true;
	return cfg_in(full, cfg_lists, NELEM(cfg_lists));
}

/* An empty list may be written as () or []. */
static bool cfg_is_list(const config_setting_t *s)
{
	return config_setting_is_list(s) || (config_setting_is_array(s) && config_setting_length(s) == 0);
}

static int cfg_check_structure(struct cfg_ctx *x)
{
	config_setting_t *root = config_root_setting(x->lc);

	for (int i = 0; i < config_setting_length(root); i++) {
		config_setting_t *g = config_setting_get_elem(root, (unsigned)i);
		const char *name = config_setting_name(g);

		if (!cfg_in(name, cfg_groups, NELEM(cfg_groups)))
			return cfg_fail(x, g, NULL, "unknown setting");
		if (strcmp(name, "plugins") == 0) {
			if (!cfg_is_list(g))
				return cfg_fail(x, g, NULL, "must be a list ( { ... }, ... ), not %s",
						cfg_type_name(config_setting_type(g)));
			continue;
		}
		if (!config_setting_is_group(g))
			return cfg_fail(x, g, NULL, "must be a group { ... }, not %s",
					cfg_type_name(config_setting_type(g)));
		for (int j = 0; j < config_setting_length(g); j++) {
			config_setting_t *s = config_setting_get_elem(g, (unsigned)j);

			if (!cfg_known(name, config_setting_name(s)))
				return cfg_fail(x, s, NULL, "unknown setting");
		}
	}
	return 0;
}

/* --- the table ------------------------------------------------------------------ */

static int cfg_apply_opt(struct cfg_ctx *x, const struct cfg_opt *o)
{
	const config_setting_t *s = config_lookup(x->lc, o->name);
	void *field = (char *)x->c + o->off;
	const char *str = o->def_str;
	int64_t v = o->def_int;
	int level;

	switch (o->type) {
	case CFG_STR:
		if (s != NULL && cfg_get_str(x, s, &str) != 0)
			return -1;
		if ((o->flags & CFG_NONEMPTY) && *str == '\0')
			return cfg_fail(x, s, s == NULL ? o->name : NULL, "must not be empty");
		return cfg_strdup(x, s, str, field);
	case CFG_PASSFILE:
		str = "";
		if (s != NULL && cfg_get_str(x, s, &str) != 0)
			return -1;
		if (*str == '\0')
			return cfg_strdup(x, s, "", field);
		return cfg_read_password(x, s, str, field);
	case CFG_LEVEL:
		if (s != NULL && cfg_get_str(x, s, &str) != 0)
			return -1;
		if ((level = log_level_parse(str)) < 0)
			return cfg_fail(x, s, s == NULL ? o->name : NULL,
					"must be one of err, warning, notice, info, debug");
		*(int *)field = level;
		return 0;
	case CFG_DATE:
		if (s != NULL) {
			int32_t d;

			if (cfg_get_str(x, s, &str) != 0)
				return -1;
			if (date_parse(str, &d) != 0)
				return cfg_fail(x, s, NULL, "must be a date, YYYY-MM-DD");
			v = d;
		}
		*(int32_t *)field = (int32_t)v;
		return 0;
	case CFG_BOOL:
		if (s != NULL) {
			if (config_setting_type(s) != CONFIG_TYPE_BOOL)
				return cfg_fail(x, s, NULL, "must be true or false, not %s",
						cfg_type_name(config_setting_type(s)));
			v = config_setting_get_bool(s) ? 1 : 0;
		}
		*(int *)field = (int)v;
		return 0;
	case CFG_INT:
	case CFG_I32:
	case CFG_SIZE:
		if (s != NULL && cfg_get_int(x, s, &v) != 0)
			return -1;
		if (v < o->min || v > o->max)
			return cfg_fail(x, s, s == NULL ? o->name : NULL,
					"must be %" PRId64 "..%" PRId64, o->min, o->max);
		if (o->type == CFG_INT)
			*(int *)field = (int)v;
		else if (o->type == CFG_I32)
			*(int32_t *)field = (int32_t)v;
		else
			*(size_t *)field = (size_t)v;
		return 0;
	}
	return cfg_fail(x, s, o->name, "internal error: unknown type");
}

/* --- plugins -------------------------------------------------------------------- */

static int cfg_plugin_settings(struct cfg_ctx *x, const config_setting_t *g, struct cfg_plugin *p)
{
	int n = config_setting_length(g);

	if (!config_setting_is_group(g))
		return cfg_fail(x, g, NULL, "must be a group { key = value; ... }, not %s",
				cfg_type_name(config_setting_type(g)));
	if (n > CFG_MAX_SETTINGS)
		return cfg_fail(x, g, NULL, "at most %d settings", CFG_MAX_SETTINGS);
	for (int i = 0; i < n; i++) {
		const config_setting_t *s = config_setting_get_elem(g, (unsigned)i);
		struct cfg_setting *kv = &p->settings[i];
		char num[24];
		const char *v;

		switch (config_setting_type(s)) {
		case CONFIG_TYPE_STRING:
			v = config_setting_get_string(s);
			break;
		case CONFIG_TYPE_INT:
		case CONFIG_TYPE_INT64:
			snprintf(num, sizeof(num), "%lld", config_setting_get_int64(s));
			v = num;
			break;
		case CONFIG_TYPE_BOOL:
			v = config_setting_get_bool(s) ? "true" : "false";
			break;
		default:
			return cfg_fail(x, s, NULL, "must be a string, an integer or a boolean, not %s",
					cfg_type_name(config_setting_type(s)));
		}
		if (cfg_strdup(x, s, config_setting_name(s), &kv->key) != 0 ||
		    cfg_strdup(x, s, v, &kv->value) != 0)
			return -1;
		p->nsettings++;
	}
	return 0;
}

static int cfg_plugins(struct cfg_ctx *x)
{
	const config_setting_t *list = config_lookup(x->lc, "plugins");
	int n = list != NULL ? config_setting_length(list) : 0;

	if (n > CFG_MAX_PLUGINS)
		return cfg_fail(x, list, NULL, "at most %d plugins", CFG_MAX_PLUGINS);
	for (int i = 0; i < n; i++) {
		const config_setting_t *g = config_setting_get_elem(list, (unsigned)i);
		const config_setting_t *s;
		struct cfg_plugin *p = &x->c->plugins[i];
		const char *name;

		if (!config_setting_is_group(g))
			return cfg_fail(x, g, NULL, "must be a group { name = \"...\"; settings = { ... }; }");
		for (int j = 0; j < config_setting_length(g); j++) {
			s = config_setting_get_elem(g, (unsigned)j);
			if (strcmp(config_setting_name(s), "name") != 0 &&
			    strcmp(config_setting_name(s), "settings") != 0)
				return cfg_fail(x, s, NULL, "unknown setting");
		}
		if ((s = config_setting_get_member(g, "name")) == NULL)
			return cfg_fail(x, g, "name", "is required");
		if (cfg_get_str(x, s, &name) != 0)
			return -1;
		if (!cfg_is_ident(name) || strlen(name) > 64)
			return cfg_fail(x, s, NULL, "must be 1..64 of a-z, 0-9 and _");
		for (int j = 0; j < i; j++)
			if (strcmp(x->c->plugins[j].name, name) == 0)
				return cfg_fail(x, s, NULL, "duplicate plugin \"%s\" (also plugins[%d])", name, j);
		if (cfg_strdup(x, s, name, &p->name) != 0)
			return -1;
		x->c->nplugins++;
		if ((s = config_setting_get_member(g, "settings")) != NULL &&
		    cfg_plugin_settings(x, s, p) != 0)
			return -1;
	}
	return 0;
}

/* --- procurement bands and thresholds ------------------------------------------- */

/* Each element of a list must be a group with only the given members, all required but optional. */
static int cfg_check_members(struct cfg_ctx *x, const config_setting_t *g, const char *const *names,
			     size_t n, const char *optional)
{
	if (!config_setting_is_group(g))
		return cfg_fail(x, g, NULL, "must be a group { ... }, not %s",
				cfg_type_name(config_setting_type(g)));
	for (int j = 0; j < config_setting_length(g); j++) {
		const config_setting_t *s = config_setting_get_elem(g, (unsigned)j);

		if (!cfg_in(config_setting_name(s), names, n))
			return cfg_fail(x, s, NULL, "unknown setting");
	}
	for (size_t j = 0; j < n; j++)
		if (config_setting_get_member(g, names[j]) == NULL &&
		    (optional == NULL || strcmp(names[j], optional) != 0))
			return cfg_fail(x, g, names[j], "is required");
	return 0;
}

/* A list setting with 1..max elements; *list NULL when absent (use the defaults). */
static int cfg_get_list(struct cfg_ctx *x, const char *name, int max, const config_setting_t **list)
{
	const config_setting_t *s = config_lookup(x->lc, name);

	*list = s;
	if (s == NULL)
		return 0;
	if (!cfg_is_list(s))
		return cfg_fail(x, s, NULL, "must be a list ( { ... }, ... ), not %s",
				cfg_type_name(config_setting_type(s)));
	if (config_setting_length(s) == 0)
		return cfg_fail(x, s, NULL, "must not be empty (leave it out for the built-in defaults)");
	if (config_setting_length(s) > max)
		return cfg_fail(x, s, NULL, "at most %d entries", max);
	return 0;
}

static int cfg_default_bands_copy(struct cfg_ctx *x)
{
	for (size_t i = 0; i < NELEM(cfg_default_bands); i++) {
		struct procure_band *b = &x->c->procurement.bands[i];

		b->from_pence = cfg_default_bands[i].from;
		b->to_pence = cfg_default_bands[i].to;
		if (cfg_strdup(x, NULL, cfg_default_bands[i].route, &b->route) != 0 ||
		    cfg_strdup(x, NULL, cfg_default_bands[i].approver, &b->approver) != 0)
			return -1;
		x->c->procurement.nbands++;
	}
	return 0;
}

/*
 * Bands are half-open [from, to) and must tile 0..unbounded: sorted, contiguous,
 * the first from 0, only the last without to_pence (INT64_MAX).
 */
static int cfg_bands(struct cfg_ctx *x)
{
	static const char *const members[] = { "from_pence", "to_pence", "route", "approver" };
	const config_setting_t *list;
	int n;

	if (cfg_get_list(x, "procurement.bands", PROCURE_MAX_BANDS, &list) != 0)
		return -1;
	if (list == NULL)
		return cfg_default_bands_copy(x);
	n = config_setting_length(list);
	for (int i = 0; i < n; i++) {
		const config_setting_t *g = config_setting_get_elem(list, (unsigned)i);
		const config_setting_t *from, *to, *route, *appr;
		struct procure_band *b = &x->c->procurement.bands[i];
		const char *r, *a;

		if (cfg_check_members(x, g, members, NELEM(members), "to_pence") != 0)
			return -1;
		from = config_setting_get_member(g, "from_pence");
		to = config_setting_get_member(g, "to_pence");
		route = config_setting_get_member(g, "route");
		appr = config_setting_get_member(g, "approver");
		if (cfg_get_int(x, from, &b->from_pence) != 0)
			return -1;
		if (i == 0 && b->from_pence != 0)
			return cfg_fail(x, from, NULL, "must be 0: the first band starts at zero");
		if (i > 0 && b->from_pence != x->c->procurement.bands[i - 1].to_pence)
			return cfg_fail(x, from, NULL, "must be %" PRId64 ", the previous band's to_pence "
					"(bands are sorted and contiguous)", x->c->procurement.bands[i - 1].to_pence);
		b->to_pence = INT64_MAX;
		if (to == NULL && i < n - 1)
			return cfg_fail(x, g, "to_pence", "is required: only the last band is unbounded");
		if (to != NULL) {
			if (cfg_get_int(x, to, &b->to_pence) != 0)
				return -1;
			if (i == n - 1 && b->to_pence != INT64_MAX)
				return cfg_fail(x, to, NULL, "the last band must be unbounded: leave to_pence out");
			if (b->to_pence <= b->from_pence)
				return cfg_fail(x, to, NULL, "must be more than from_pence (%" PRId64 ")",
						b->from_pence);
		}
		if (cfg_get_str(x, route, &r) != 0)
			return -1;
		if (!cfg_is_ident(r))
			return cfg_fail(x, route, NULL, "must be a non-empty name of a-z, 0-9 and _");
		if (cfg_get_enum(x, appr, cfg_approvers, NELEM(cfg_approvers), &a) != 0)
			return -1;
		if (cfg_strdup(x, route, r, &b->route) != 0 || cfg_strdup(x, appr, a, &b->approver) != 0)
			return -1;
		x->c->procurement.nbands++;
	}
	return 0;
}

static int cfg_default_thresholds_copy(struct cfg_ctx *x)
{
	for (size_t i = 0; i < NELEM(cfg_default_thresholds); i++) {
		struct procure_threshold *t = &x->c->procurement.thresholds[i];

		if (date_parse(cfg_default_thresholds[i].from, &t->from_date) != 0)
			return cfg_fail(x, NULL, "procurement.thresholds", "internal error: bad default date");
		t->pence = cfg_default_thresholds[i].pence;
		t->net_of_vat = cfg_default_thresholds[i].net;
		if (cfg_strdup(x, NULL, cfg_default_thresholds[i].type, &t->contract_type) != 0 ||
		    cfg_strdup(x, NULL, cfg_default_thresholds[i].regime, &t->regime) != 0)
			return -1;
		x->c->procurement.nthresholds++;
	}
	return 0;
}

/*
 * Thresholds: each contract type's rows in date order (a later row replaces the one
 * before it from its date: no two rows of a type on one date, none out of order),
 * PCR2015 only before 24 Feb 2025 and PA2023 only from then, vat "incl" (the default)
 * or "net".
 */
static int cfg_thresholds(struct cfg_ctx *x)
{
	static const char *const members[] = { "contract_type", "from", "pence", "regime", "vat" };
	const config_setting_t *list;
	int n;

	if (cfg_get_list(x, "procurement.thresholds", PROCURE_MAX_THRESHOLDS, &list) != 0)
		return -1;
	if (list == NULL)
		return cfg_default_thresholds_copy(x);
	n = config_setting_length(list);
	for (int i = 0; i < n; i++) {
		const config_setting_t *g = config_setting_get_elem(list, (unsigned)i);
		const config_setting_t *type, *from, *pence, *regime, *vat;
		struct procure_threshold *t = &x->c->procurement.thresholds[i];
		const char *ct, *f, *r, *v = "incl";
		char prev[16];

		if (cfg_check_members(x, g, members, NELEM(members), "vat") != 0)
			return -1;
		type = config_setting_get_member(g, "contract_type");
		from = config_setting_get_member(g, "from");
		pence = config_setting_get_member(g, "pence");
		regime = config_setting_get_member(g, "regime");
		vat = config_setting_get_member(g, "vat");
		if (cfg_get_enum(x, type, cfg_contract_types, NELEM(cfg_contract_types), &ct) != 0)
			return -1;
		if (cfg_get_str(x, from, &f) != 0)
			return -1;
		if (date_parse(f, &t->from_date) != 0)
			return cfg_fail(x, from, NULL, "must be a date, YYYY-MM-DD");
		if (cfg_get_int(x, pence, &t->pence) != 0)
			return -1;
		if (t->pence <= 0)
			return cfg_fail(x, pence, NULL, "must be more than 0");
		if (cfg_get_enum(x, regime, cfg_regimes, NELEM(cfg_regimes), &r) != 0)
			return -1;
		if (strcmp(r, "PA2023") == 0 && t->from_date < PROCURE_ACT_FROM_DATE)
			return cfg_fail(x, regime, NULL, "PA2023 from %s: the Procurement Act 2023 applies to "
					"procurements started from 2025-02-24 (PCR2015 before)", f);
		if (strcmp(r, "PCR2015") == 0 && t->from_date >= PROCURE_ACT_FROM_DATE)
			return cfg_fail(x, regime, NULL, "PCR2015 from %s: procurements started from 2025-02-24 "
					"fall under the Procurement Act 2023 (PA2023)", f);
		if (vat != NULL && cfg_get_enum(x, vat, cfg_vat_bases, NELEM(cfg_vat_bases), &v) != 0)
			return -1;
		t->net_of_vat = strcmp(v, "net") == 0;
		for (int j = i - 1; j >= 0; j--) {
			const struct procure_threshold *q = &x->c->procurement.thresholds[j];

			if (strcmp(q->contract_type, ct) != 0)
				continue;
			date_format(q->from_date, prev, sizeof(prev));
			if (q->from_date == t->from_date)
				return cfg_fail(x, from, NULL, "%s from %s overlaps procurement.thresholds[%d], "
						"which starts on the same day", ct, f, j);
			if (q->from_date > t->from_date)
				return cfg_fail(x, from, NULL, "%s from %s comes after procurement.thresholds[%d] "
						"from %s: list each contract type's rows in date order", ct, f, j, prev);
			break;                   /* the type's rows before j were checked against j */
		}
		if (cfg_strdup(x, type, ct, &t->contract_type) != 0 ||
		    cfg_strdup(x, regime, r, &t->regime) != 0)
			return -1;
		x->c->procurement.nthresholds++;
	}
	return 0;
}

/* --- checks across settings ----------------------------------------------------- */

/* A comma-separated list of numeric IPv4 or IPv6 addresses (spaces allowed around
 * commas); one address only unless many. "" is a valid empty list. */
static int cfg_addr_list_ok(const char *s, bool many)
{
	char buf[64];
	unsigned char bin[sizeof(struct in6_addr)];
	int n = 0;

	while (*s != '\0') {
		size_t len;

		while (*s == ' ')
			s++;
		len = strcspn(s, ", ");
		if (len == 0 || len >= sizeof(buf))
			return -1;
		memcpy(buf, s, len);
		buf[len] = '\0';
		if (inet_pton(AF_INET, buf, bin) != 1 && inet_pton(AF_INET6, buf, bin) != 1)
			return -1;
		if (++n > 1 && !many)
			return -1;
		s += len;
		while (*s == ' ')
			s++;
		if (*s == ',' && *++s == '\0')
			return -1;
	}
	return 0;
}

/* "ocds-" + the 6-character publisher prefix, optionally "-" and a suffix of [A-Za-z0-9_-]. */
static bool cfg_ocds_ok(const char *s)
{
	if (strncmp(s, "ocds-", 5) != 0)
		return false;
	s += 5;
	for (int i = 0; i < 6; i++, s++)
		if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s)))
			return false;
	if (*s == '\0')
		return true;
	if (*s++ != '-' || *s == '\0')
		return false;
	for (; *s != '\0'; s++)
		if (!(isalnum((unsigned char)*s) || *s == '_' || *s == '-'))
			return false;
	return true;
}

static int cfg_cross_checks(struct cfg_ctx *x)
{
	const struct cfg *c = x->c;
	const config_setting_t *s;

	if (c->http_max_body > c->http_max_csv_body) {
		s = config_lookup(x->lc, "http.max_body_bytes");
		if (s == NULL)
			s = config_lookup(x->lc, "http.max_csv_body_bytes");
		return cfg_fail(x, s, s == NULL ? "http.max_body_bytes" : NULL,
				"http.max_body_bytes (%zu) must not exceed http.max_csv_body_bytes (%zu)",
				c->http_max_body, c->http_max_csv_body);
	}
	/* a budget the CSV import takes must go back as JSON (GET, edit, PUT): by default its limit */
	if (c->http_max_budget_body == 0)
		x->c->http_max_budget_body = c->http_max_csv_body;
	if (c->http_max_budget_body < c->http_max_body || c->http_max_budget_body > c->http_max_csv_body) {
		s = config_lookup(x->lc, "http.max_budget_body_bytes");
		return cfg_fail(x, s, s == NULL ? "http.max_budget_body_bytes" : NULL,
				"http.max_budget_body_bytes (%zu) must be 0 or from http.max_body_bytes (%zu) to "
				"http.max_csv_body_bytes (%zu)", c->http_max_budget_body, c->http_max_body,
				c->http_max_csv_body);
	}
	if (strlen(c->db_socket) > CFG_SOCKET_MAX) {
		s = config_lookup(x->lc, "database.socket");
		return cfg_fail(x, s, s == NULL ? "database.socket" : NULL,
				"must be at most %d bytes (the Unix socket path limit)", CFG_SOCKET_MAX);
	}
	if (c->db_lock_wait_s >= c->db_rw_timeout_s) {
		s = config_lookup(x->lc, "database.lock_wait_timeout_s");
		return cfg_fail(x, s, s == NULL ? "database.lock_wait_timeout_s" : NULL,
				"must be less than database.rw_timeout_s (%d), so a lock wait ends "
				"before the client library gives up", c->db_rw_timeout_s);
	}
	if (c->db_connect_timeout_s + c->db_rw_timeout_s >= c->http_timeout_s) {
		s = config_lookup(x->lc, "database.rw_timeout_s");
		return cfg_fail(x, s, s == NULL ? "database.rw_timeout_s" : NULL,
				"database.connect_timeout_s + database.rw_timeout_s (%d) must be less "
				"than http.timeout_s (%d), so a slow database is answered with 503 "
				"before the client's connection times out",
				c->db_connect_timeout_s + c->db_rw_timeout_s, c->http_timeout_s);
	}
	if (cfg_addr_list_ok(c->http_trusted_proxies, true) != 0) {
		s = config_lookup(x->lc, "http.trusted_proxies");
		return cfg_fail(x, s, NULL, "must be a comma-separated list of IP addresses "
				"(\"127.0.0.1, ::1\")");
	}
	if (c->ops_address[0] != '\0' && cfg_addr_list_ok(c->ops_address, false) != 0) {
		s = config_lookup(x->lc, "ops.address");
		return cfg_fail(x, s, NULL, "must be one IP address (or empty: no ops listener)");
	}
	if (c->ops_address[0] != '\0' && c->ops_port != 0 && c->ops_port == c->http_port) {
		s = config_lookup(x->lc, "ops.port");
		return cfg_fail(x, s, s == NULL ? "ops.port" : NULL, "must differ from http.port");
	}
	if (!cfg_ocds_ok(c->ocds_prefix)) {
		s = config_lookup(x->lc, "procurement.ocds_prefix");
		return cfg_fail(x, s, s == NULL ? "procurement.ocds_prefix" : NULL,
				"must be \"ocds-\", the 6-character publisher prefix (a-z, 0-9) "
				"and optionally \"-suffix\"");
	}
	return 0;
}

/*
 * Every CFG_REQUIRED setting, the plugins list and one of database.socket and
 * database.host must be in the file: an empty or truncated file would otherwise
 * run on built-in defaults (another database, another OCDS prefix). All the
 * missing ones are named at once.
 */
static int cfg_required(struct cfg_ctx *x)
{
	char missing[512] = "";
	size_t len = 0;
	int n = 0;

#define CFG_MISSING(name) \
	(len += (size_t)snprintf(missing + len, len < sizeof(missing) ? sizeof(missing) - len : 0, \
				 "%s%s", n++ > 0 ? ", " : "", name))
	for (size_t i = 0; i < NELEM(cfg_opts); i++) {
		if ((cfg_opts[i].flags & CFG_REQUIRED) && config_lookup(x->lc, cfg_opts[i].name) == NULL) {
			if (strcmp(cfg_opts[i].name, "database.user") == 0 &&
			    config_lookup(x->lc, "database.socket") == NULL &&
			    config_lookup(x->lc, "database.host") == NULL)
				CFG_MISSING("database.socket or database.host");
			CFG_MISSING(cfg_opts[i].name);
		}
		if (strcmp(cfg_opts[i].name, "paths.plugins") == 0 && config_lookup(x->lc, "plugins") == NULL)
			CFG_MISSING("plugins (a list; () for none)");
	}
	if (config_lookup(x->lc, "database.user") != NULL && config_lookup(x->lc, "database.socket") == NULL &&
	    config_lookup(x->lc, "database.host") == NULL)
		CFG_MISSING("database.socket or database.host");
#undef CFG_MISSING
	if (n == 0)
		return 0;
	return cfg_fail_at(x, x->path, 0, "required setting%s missing: %s", n > 1 ? "s" : "", missing);
}

/* Every integer literal must be what libconfig read (config_ints.c). */
static int cfg_scan_ints(struct cfg_ctx *x)
{
	struct config_ints_bad bad;
	int rc = config_ints_scan(x->lc, &bad);

	if (rc == 0)
		return 0;
	if (rc > 0 && bad.setting != NULL)
		return cfg_fail(x, bad.setting, NULL, "%s", bad.msg);
	return cfg_fail_at(x, bad.file, bad.line, "%s", bad.msg);
}

/* --- the public functions ------------------------------------------------------- */

struct cfg *cfg_load(const char *path, char *err, size_t errlen)
{
	config_t lc;
	struct cfg_ctx x = { .path = path, .err = err, .errlen = errlen, .lc = &lc };
	struct cfg *c = NULL;
	FILE *f;

	if (errlen > 0)
		err[0] = '\0';
	config_init(&lc);
	/* fopen first: libconfig only says "file I/O error" */
	if ((f = fopen(path, "re")) == NULL) {
		cfg_fail_at(&x, path, 0, "cannot read: %s", strerror(errno));
		goto fail;
	}
	fclose(f);
	if (config_read_file(&lc, path) != CONFIG_TRUE) {
		cfg_fail_at(&x, config_error_file(&lc), config_error_line(&lc), "%s",
			    config_error_text(&lc));
		goto fail;
	}
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		cfg_fail_at(&x, path, 0, "out of memory");
		goto fail;
	}
	x.c = c;
	if ((c->path = strdup(path)) == NULL) {
		cfg_fail_at(&x, path, 0, "out of memory");
		goto fail;
	}
	if (cfg_scan_ints(&x) != 0 || cfg_check_structure(&x) != 0)
		goto fail;
	for (size_t i = 0; i < NELEM(cfg_opts); i++)
		if (cfg_apply_opt(&x, &cfg_opts[i]) != 0)
			goto fail;
	if (cfg_plugins(&x) != 0 || cfg_bands(&x) != 0 || cfg_thresholds(&x) != 0 ||
	    cfg_cross_checks(&x) != 0 || cfg_required(&x) != 0)
		goto fail;
	config_destroy(&lc);
	c->refs = 1;
	return c;
fail:
	config_destroy(&lc);
	cfg_free(c);
	return NULL;
}

struct cfg *cfg_ref(struct cfg *c)
{
	if (c != NULL)
		__atomic_add_fetch(&c->refs, 1, __ATOMIC_RELAXED);
	return c;
}

void cfg_unref(struct cfg *c)
{
	/* acq_rel: every thread's last reads happen before the free */
	if (c != NULL && __atomic_sub_fetch(&c->refs, 1, __ATOMIC_ACQ_REL) == 0)
		cfg_free(c);
}

const struct cfg_plugin *cfg_plugin_find(const struct cfg *c, const char *name)
{
	for (size_t i = 0; i < c->nplugins; i++)
		if (strcmp(c->plugins[i].name, name) == 0)
			return &c->plugins[i];
	return NULL;
}
