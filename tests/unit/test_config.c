/*
 * test_config.c - cfg_load: defaults, a full file, the shipped configs, and every kind
 * of error with its exact "file:line: setting: reason" message. Config files are
 * written to a temporary directory; run from the repo root (etc/ is read from there).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "config.h"
#include "date.h"

static char tmpdir[] = "/tmp/bursar-test-config.XXXXXX";
static char errbuf[1024];

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int group_setup(void **state)
{
	(void)state;
	return mkdtemp(tmpdir) == NULL ? -1 : 0;
}

static int group_teardown(void **state)
{
	(void)state;
	return nftw(tmpdir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* tmpdir/name; the result lives until the next call. */
static const char *tmp_path(const char *name)
{
	static char buf[2][512];
	static int which;

	which ^= 1;
	snprintf(buf[which], sizeof(buf[which]), "%s/%s", tmpdir, name);
	return buf[which];
}

static const char *write_file(const char *name, const char *text)
{
	const char *path = tmp_path(name);
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
	return path;
}

__attribute__((noinline)) static char *read_all(const char *path)
{
	FILE *f = fopen(path, "r");
	char *text = NULL;
	size_t cap = 0;

	assert_non_null(f);
	assert_true(getdelim(&text, &cap, '\0', f) > 0);
	fclose(f);
	return text;
}

static struct cfg *load_ok(const char *path)
{
	struct cfg *c = cfg_load(path, errbuf, sizeof(errbuf));

	if (c == NULL)
		fail_msg("cfg_load(%s): %s", path, errbuf);
	assert_int_equal(c->refs, 1);
	return c;
}

static struct cfg *load_text(const char *name, const char *text)
{
	return load_ok(write_file(name, text));
}

/* The file must be refused with exactly "<its path><suffix>". */
static void expect_err(const char *name, const char *text, const char *suffix)
{
	const char *path = write_file(name, text);
	struct cfg *c = cfg_load(path, errbuf, sizeof(errbuf));
	char want[1024];

	if (c != NULL) {
		cfg_unref(c);
		fail_msg("%s loaded, expected error %s", name, suffix);
	}
	snprintf(want, sizeof(want), "%s%s", path, suffix);
	assert_string_equal(errbuf, want);
}

static void assert_contains(const char *s, const char *part)
{
	if (strstr(s, part) == NULL)
		fail_msg("\"%s\" does not contain \"%s\"", s, part);
}

/* What every file must hold (cfg_required): the database, paths, plugins, the OCDS prefix. */
#define REQ_DB    "database = { socket = \"/run/mysqld/mysqld.sock\"; user = \"bursar\"; name = \"bursar\"; };\n"
#define REQ_PATHS "paths = { schema = \"schema\"; openapi = \"daemon/openapi.json\"; plugins = \"plugins\"; };\n"
#define REQ_PROC  "procurement = { ocds_prefix = \"ocds-xxxxxx-bursar\"; };\n"
#define REQUIRED  REQ_DB REQ_PATHS "plugins = ();\n" REQ_PROC

static int32_t day(const char *s)
{
	int32_t d = -1;

	assert_int_equal(date_parse(s, &d), 0);
	return d;
}

/* c's thresholds are the built-in ones, row for row (the files write them out). */
static void same_thresholds_as_built_in(const struct cfg *c)
{
	struct cfg *d = load_text("builtin.conf", REQUIRED);

	assert_int_equal(c->procurement.nthresholds, 22);
	assert_int_equal(d->procurement.nthresholds, c->procurement.nthresholds);
	for (size_t i = 0; i < d->procurement.nthresholds; i++) {
		const struct procure_threshold *a = &c->procurement.thresholds[i], *b = &d->procurement.thresholds[i];

		assert_string_equal(a->contract_type, b->contract_type);
		assert_int_equal(a->from_date, b->from_date);
		assert_true(a->pence == b->pence);
		assert_string_equal(a->regime, b->regime);
		assert_int_equal(a->net_of_vat, b->net_of_vat);
	}
	cfg_unref(d);
}

static void test_defaults(void **state)
{
	struct cfg *c;

	(void)state;
	c = load_text("defaults.conf", REQUIRED);
	assert_string_equal(c->path, tmp_path("defaults.conf"));
	assert_string_equal(c->http_address, "127.0.0.1");
	assert_int_equal(c->http_port, 8080);
	assert_int_equal(c->http_workers, 4);
	assert_int_equal(c->http_max_body, 1048576);
	assert_int_equal(c->http_max_csv_body, 16777216);
	assert_int_equal(c->http_max_headers, 16384);
	assert_int_equal(c->http_timeout_s, 30);
	assert_int_equal(c->http_drain_s, 10);
	assert_int_equal(c->http_backlog, 1024);
	assert_string_equal(c->http_trusted_proxies, "");
	assert_string_equal(c->ops_address, "");
	assert_int_equal(c->ops_port, 9090);
	assert_string_equal(c->db_socket, "/run/mysqld/mysqld.sock");
	assert_string_equal(c->db_host, "");
	assert_int_equal(c->db_port, 3306);
	assert_string_equal(c->db_user, "bursar");
	assert_string_equal(c->db_password, "");
	assert_string_equal(c->db_name, "bursar");
	assert_int_equal(c->db_auto_migrate, 0);
	assert_int_equal(c->db_connect_timeout_s, 5);
	assert_int_equal(c->db_rw_timeout_s, 10);
	assert_int_equal(c->db_lock_wait_s, 5);
	assert_int_equal(c->db_deadlock_retries, 3);
	assert_string_equal(c->schema_dir, "schema");
	assert_string_equal(c->openapi_path, "daemon/openapi.json");
	assert_string_equal(c->plugin_dir, "plugins");
	assert_string_equal(c->web_dir, "daemon/web/dist");
	assert_int_equal(c->nplugins, 0);
	assert_null(cfg_plugin_find(c, "local"));
	/* built-in scheme of delegation and statutory thresholds */
	assert_int_equal(c->procurement.nbands, 4);
	assert_int_equal(c->procurement.bands[0].from_pence, 0);
	assert_int_equal(c->procurement.bands[0].to_pence, 1000000);
	assert_string_equal(c->procurement.bands[0].route, "single_quote");
	assert_string_equal(c->procurement.bands[0].approver, "business_manager");
	assert_int_equal(c->procurement.bands[3].from_pence, 20772000);
	assert_true(c->procurement.bands[3].to_pence == INT64_MAX);
	assert_string_equal(c->procurement.bands[3].approver, "board");
	/* the history from 1 Jan 2020 (domain.md section 8): 22 rows */
	assert_int_equal(c->procurement.nthresholds, 22);
	assert_string_equal(c->procurement.thresholds[0].contract_type, "goods_services");
	assert_int_equal(c->procurement.thresholds[0].from_date, day("2020-01-01"));
	assert_int_equal(c->procurement.thresholds[0].pence, 18933000);
	assert_int_equal(c->procurement.thresholds[0].net_of_vat, 1);       /* £189,330 net of VAT */
	assert_string_equal(c->procurement.thresholds[0].regime, "PCR2015");
	assert_int_equal(c->procurement.thresholds[1].from_date, day("2022-01-01"));
	assert_int_equal(c->procurement.thresholds[1].pence, 21347700);
	assert_int_equal(c->procurement.thresholds[1].net_of_vat, 0);
	assert_string_equal(c->procurement.thresholds[4].contract_type, "goods_services");
	assert_int_equal(c->procurement.thresholds[4].from_date, day("2026-01-01"));
	assert_int_equal(c->procurement.thresholds[4].pence, 20772000);
	assert_string_equal(c->procurement.thresholds[4].regime, "PA2023");
	assert_string_equal(c->procurement.thresholds[21].contract_type, "light_touch_concession");
	assert_int_equal(c->procurement.thresholds[21].pence, 537260900);
	assert_string_equal(c->procurement.thresholds[21].regime, "PA2023");
	assert_int_equal(c->procurement.indexation_bp, 300);
	assert_int_equal(c->vat_recoverable_bp, 10000);
	assert_string_equal(c->ocds_prefix, "ocds-xxxxxx-bursar");
	assert_int_equal(c->log_level, LOG_INFO);
	assert_int_equal(c->log_access, 1);
	assert_int_equal(c->cache_refresh_ms, 250);
	assert_int_equal(c->clock_today, -1);
	assert_int_equal(c->auth_negative_ttl_s, 60);
	assert_int_equal(c->auth_failure_limit, 50);
	assert_int_equal(c->auth_failure_window_s, 60);
	cfg_unref(c);

	/* an empty group is the same as no group */
	c = load_text("empty-groups.conf", "http = {};\nlog = {};\n" REQUIRED);
	assert_int_equal(c->http_port, 8080);
	assert_int_equal(c->nplugins, 0);
	cfg_unref(c);
}

/* An empty or truncated file is refused, naming every required setting it lacks
 * (it used to run on built-in defaults: another database, another OCDS prefix). */
static void test_required(void **state)
{
	(void)state;
	expect_err("empty.conf", "# nothing but a comment\n",
		   ": required settings missing: database.socket or database.host, database.user, "
		   "database.name, paths.schema, paths.openapi, paths.plugins, plugins (a list; () for none), "
		   "procurement.ocds_prefix");
	expect_err("empty0.conf", "",
		   ": required settings missing: database.socket or database.host, database.user, "
		   "database.name, paths.schema, paths.openapi, paths.plugins, plugins (a list; () for none), "
		   "procurement.ocds_prefix");
	expect_err("empty-groups2.conf", "http = {};\ndatabase = {};\nplugins = ();\n",
		   ": required settings missing: database.socket or database.host, database.user, "
		   "database.name, paths.schema, paths.openapi, paths.plugins, procurement.ocds_prefix");
	/* the dev config cut off after its database group */
	expect_err("truncated.conf", "http = { port = 8080; };\n" REQ_DB,
		   ": required settings missing: paths.schema, paths.openapi, paths.plugins, "
		   "plugins (a list; () for none), procurement.ocds_prefix");
	expect_err("noproc.conf", REQ_DB REQ_PATHS "plugins = ();\n",
		   ": required setting missing: procurement.ocds_prefix");
	expect_err("nosock.conf", "database = { user = \"u\"; name = \"n\"; };\n" REQ_PATHS "plugins = ();\n" REQ_PROC,
		   ": required setting missing: database.socket or database.host");
	/* host alone (even empty: Connector/C's default socket) is enough */
	cfg_unref(load_text("host.conf", "database = { host = \"\"; user = \"u\"; name = \"n\"; };\n"
			    REQ_PATHS "plugins = ();\n" REQ_PROC));
}

/* Timeouts: a lock wait ends before the client library gives up, and both before
 * the HTTP deadline; trusted proxies and the ops listener are addresses. */
#define DB_WITH(extra) "database = { socket = \"/s\"; user = \"u\"; name = \"n\";\n  " extra " };\n" \
	REQ_PATHS "plugins = ();\n" REQ_PROC

static void test_timeouts_and_addresses(void **state)
{
	struct cfg *c;

	(void)state;
	expect_err("lock.conf", DB_WITH("rw_timeout_s = 10; lock_wait_timeout_s = 10;"),
		   ":2: database.lock_wait_timeout_s: must be less than database.rw_timeout_s (10), "
		   "so a lock wait ends before the client library gives up");
	expect_err("lock2.conf", DB_WITH("rw_timeout_s = 5;"),
		   ": database.lock_wait_timeout_s: must be less than database.rw_timeout_s (5), "
		   "so a lock wait ends before the client library gives up");
	expect_err("rw.conf", "http = { timeout_s = 15; };\n" DB_WITH("rw_timeout_s = 10;"),
		   ":3: database.rw_timeout_s: database.connect_timeout_s + database.rw_timeout_s (15) "
		   "must be less than http.timeout_s (15), so a slow database is answered with 503 "
		   "before the client's connection times out");
	expect_err("rw2.conf", "http = { timeout_s = 10; };\n" REQUIRED,
		   ": database.rw_timeout_s: database.connect_timeout_s + database.rw_timeout_s (15) "
		   "must be less than http.timeout_s (10), so a slow database is answered with 503 "
		   "before the client's connection times out");
	expect_err("proxy.conf", "http = {\n  trusted_proxies = \"10.0.0.1, proxy.example\";\n};\n" REQUIRED,
		   ":2: http.trusted_proxies: must be a comma-separated list of IP addresses (\"127.0.0.1, ::1\")");
	expect_err("proxy2.conf", "http = {\n  trusted_proxies = \"10.0.0.1,\";\n};\n" REQUIRED,
		   ":2: http.trusted_proxies: must be a comma-separated list of IP addresses (\"127.0.0.1, ::1\")");
	expect_err("ops.conf", "ops = {\n  address = \"localhost\";\n};\n" REQUIRED,
		   ":2: ops.address: must be one IP address (or empty: no ops listener)");
	expect_err("ops2.conf", "http = { port = 9000; };\nops = {\n  address = \"::1\";\n  port = 9000;\n};\n" REQUIRED,
		   ":4: ops.port: must differ from http.port");
	expect_err("auth.conf", "auth = {\n  failure_window_s = 0;\n};\n" REQUIRED,
		   ":2: auth.failure_window_s: must be 1..86400");
	c = load_text("ok.conf", "http = { timeout_s = 16; trusted_proxies = \"10.0.0.1, ::1,192.168.1.2\"; };\n"
		      "ops = { address = \"::1\"; port = 0; };\n"
		      "auth = { negative_ttl_s = 0; failure_limit = 0; failure_window_s = 1; };\n"
		      DB_WITH("connect_timeout_s = 5; rw_timeout_s = 10; lock_wait_timeout_s = 9;"));
	assert_string_equal(c->http_trusted_proxies, "10.0.0.1, ::1,192.168.1.2");
	assert_string_equal(c->ops_address, "::1");
	assert_int_equal(c->ops_port, 0);
	assert_int_equal(c->db_lock_wait_s, 9);
	assert_int_equal(c->auth_failure_limit, 0);
	assert_int_equal(c->auth_negative_ttl_s, 0);
	cfg_unref(c);
}

static void test_full(void **state)
{
	char text[4096];
	const char *pw = write_file("pw", "s3cret\r\nsecond line ignored\n");
	const struct cfg_plugin *p;
	struct cfg *c;

	(void)state;
	snprintf(text, sizeof(text),
		 "http = { address = \"0.0.0.0\"; port = 0; workers = 64; max_body_bytes = 2048;\n"
		 "  max_csv_body_bytes = 4096; max_header_bytes = 8192; timeout_s = 12;\n"
		 "  drain_timeout_s = 3; backlog = 16; };\n"
		 "database = { socket = \"\"; host = \"db.example\"; port = 3307; user = \"u\";\n"
		 "  password_file = \"%s\"; name = \"n\"; auto_migrate = true;\n"
		 "  connect_timeout_s = 2; rw_timeout_s = 9; lock_wait_timeout_s = 8; deadlock_retries = 0; };\n"
		 "paths = { schema = \"/s\"; openapi = \"/o.json\"; plugins = \"/p\"; web = \"/w\"; };\n"
		 "plugins = (\n"
		 "  { name = \"local\"; settings = { topslice_bp = \"500\"; n = 7; on = true;\n"
		 "      big = 5000000000L; neg = -3; hex = 0x10; }; },\n"
		 "  { name = \"central_2\"; },\n"
		 "  { name = \"x\"; settings = {}; }\n"
		 ");\n"
		 "procurement = { indexation_bp = 0; vat_recoverable_bp = 0; ocds_prefix = \"ocds-b5fd17\";\n"
		 "  bands = (\n"
		 "    { approver = \"finance_director\"; route = \"a\"; to_pence = 3000000000L; from_pence = 0; },\n"
		 "    { from_pence = 3000000000L; to_pence = 9000000000L; route = \"b_2\"; approver = \"board\"; },\n"
		 "    { from_pence = 9000000000L; route = \"c\"; approver = \"business_manager\"; }\n"
		 "  );\n"
		 "  thresholds = (\n"
		 "    { contract_type = \"works\"; from = \"2024-02-29\"; pence = 7000000000L; regime = \"PCR2015\";\n"
		 "      vat = \"net\"; },\n"
		 "    { contract_type = \"works\"; from = \"2026-01-01\"; pence = 1; regime = \"PA2023\"; },\n"
		 "    { contract_type = \"light_touch\"; from = \"2026-01-01\"; pence = 66354000; regime = \"PA2023\"; }\n"
		 "  );\n"
		 "};\n"
		 "log = { level = \"debug\"; access = false; };\n"
		 "cache = { refresh_ms = 0; };\n"
		 "clock = { today = \"2026-11-22\"; };\n",
		 pw);
	c = load_text("full.conf", text);
	assert_string_equal(c->http_address, "0.0.0.0");
	assert_int_equal(c->http_port, 0);
	assert_int_equal(c->http_workers, 64);
	assert_int_equal(c->http_max_body, 2048);
	assert_int_equal(c->http_max_csv_body, 4096);
	assert_int_equal(c->http_max_headers, 8192);
	assert_int_equal(c->http_timeout_s, 12);
	assert_int_equal(c->http_drain_s, 3);
	assert_int_equal(c->http_backlog, 16);
	assert_string_equal(c->db_socket, "");
	assert_string_equal(c->db_host, "db.example");
	assert_int_equal(c->db_port, 3307);
	assert_string_equal(c->db_user, "u");
	assert_string_equal(c->db_password, "s3cret");
	assert_string_equal(c->db_name, "n");
	assert_int_equal(c->db_auto_migrate, 1);
	assert_int_equal(c->db_connect_timeout_s, 2);
	assert_int_equal(c->db_rw_timeout_s, 9);
	assert_int_equal(c->db_deadlock_retries, 0);
	assert_string_equal(c->schema_dir, "/s");
	assert_string_equal(c->openapi_path, "/o.json");
	assert_string_equal(c->plugin_dir, "/p");
	assert_string_equal(c->web_dir, "/w");

	assert_int_equal(c->nplugins, 3);
	p = cfg_plugin_find(c, "local");
	assert_ptr_equal(p, &c->plugins[0]);
	assert_int_equal(p->nsettings, 6);
	assert_string_equal(p->settings[0].key, "topslice_bp");
	assert_string_equal(p->settings[0].value, "500");
	assert_string_equal(p->settings[1].key, "n");
	assert_string_equal(p->settings[1].value, "7");
	assert_string_equal(p->settings[2].value, "true");
	assert_string_equal(p->settings[3].value, "5000000000");
	assert_string_equal(p->settings[4].value, "-3");
	assert_string_equal(p->settings[5].value, "16");
	assert_int_equal(cfg_plugin_find(c, "central_2")->nsettings, 0);
	assert_int_equal(cfg_plugin_find(c, "x")->nsettings, 0);
	assert_null(cfg_plugin_find(c, "central"));

	assert_int_equal(c->procurement.indexation_bp, 0);
	assert_int_equal(c->vat_recoverable_bp, 0);
	assert_string_equal(c->ocds_prefix, "ocds-b5fd17");
	assert_int_equal(c->procurement.nbands, 3);
	assert_true(c->procurement.bands[0].to_pence == 3000000000LL);
	assert_string_equal(c->procurement.bands[0].route, "a");
	assert_string_equal(c->procurement.bands[0].approver, "finance_director");
	assert_true(c->procurement.bands[1].from_pence == 3000000000LL);
	assert_true(c->procurement.bands[1].to_pence == 9000000000LL);
	assert_true(c->procurement.bands[2].to_pence == INT64_MAX);
	assert_string_equal(c->procurement.bands[2].approver, "business_manager");
	assert_int_equal(c->procurement.nthresholds, 3);
	assert_int_equal(c->procurement.thresholds[0].from_date, day("2024-02-29"));
	assert_true(c->procurement.thresholds[0].pence == 7000000000LL);
	assert_string_equal(c->procurement.thresholds[0].regime, "PCR2015");
	assert_int_equal(c->procurement.thresholds[0].net_of_vat, 1);
	assert_int_equal(c->procurement.thresholds[1].net_of_vat, 0);       /* vat left out: incl. VAT */
	assert_int_equal(c->procurement.thresholds[1].pence, 1);
	assert_string_equal(c->procurement.thresholds[2].contract_type, "light_touch");

	assert_int_equal(c->log_level, LOG_DEBUG);
	assert_int_equal(c->log_access, 0);
	assert_int_equal(c->cache_refresh_ms, 0);
	assert_int_equal(c->clock_today, day("2026-11-22"));
	cfg_unref(c);
}

static void test_dev_config(void **state)
{
	struct cfg *c;
	const struct cfg_plugin *p;

	(void)state;
	c = load_ok("etc/bursard.conf");
	assert_string_equal(c->http_address, "127.0.0.1");
	assert_int_equal(c->http_port, 8080);
	assert_string_equal(c->db_socket, "var/db/run/mysqld.sock");
	assert_string_equal(c->db_user, "root");
	assert_string_equal(c->db_password, "");
	assert_string_equal(c->db_name, "bursar");
	assert_int_equal(c->db_auto_migrate, 1);
	assert_int_equal(c->nplugins, 2);
	p = cfg_plugin_find(c, "local");
	assert_non_null(p);
	assert_int_equal(p->nsettings, 1);
	assert_string_equal(p->settings[0].key, "topslice_bp");
	assert_string_equal(p->settings[0].value, "500");
	p = cfg_plugin_find(c, "central");
	assert_non_null(p);
	assert_string_equal(p->settings[0].key, "retention_bp");
	assert_string_equal(p->settings[0].value, "600");
	assert_int_equal(c->procurement.nbands, 4);
	assert_int_equal(c->procurement.bands[2].to_pence, 20772000);
	assert_string_equal(c->procurement.bands[3].route, "find_a_tender_or_framework");
	assert_true(c->procurement.bands[3].to_pence == INT64_MAX);
	same_thresholds_as_built_in(c);
	assert_int_equal(c->procurement.thresholds[12].pence, 519300000);
	assert_string_equal(c->ocds_prefix, "ocds-b5fd17-bursar");
	assert_int_equal(c->clock_today, -1);
	cfg_unref(c);
}

/*
 * The production example names /etc/bursar/db-password, which a test machine does
 * not have: it must fail on exactly that setting. With the file pointed at a
 * readable one, everything else in it must load.
 */
static void test_example_config(void **state)
{
	const char *example = "etc/bursard.conf.example";
	const char *secret = "/etc/bursar/db-password";
	char *text = read_all(example), *at, *copy;
	char want[256];
	const char *pw;
	struct cfg *c;
	int line = 1;
	size_t n;

	(void)state;
	at = strstr(text, "password_file = \"/etc/bursar/db-password\"");
	assert_non_null(at);
	for (const char *q = text; q < at; q++)
		line += *q == '\n';
	if (access(secret, R_OK) != 0) {
		c = cfg_load(example, errbuf, sizeof(errbuf));
		assert_null(c);
		snprintf(want, sizeof(want), "%s:%d: database.password_file: cannot read %s: ",
			 example, line, secret);
		assert_contains(errbuf, want);
	}

	pw = write_file("db-password", "hunter2\n");
	at = strstr(text, secret);
	n = strlen(text) + strlen(pw) + 1;
	copy = malloc(n);
	assert_non_null(copy);
	snprintf(copy, n, "%.*s%s%s", (int)(at - text), text, pw, at + strlen(secret));
	c = load_text("example.conf", copy);
	assert_string_equal(c->db_password, "hunter2");
	assert_int_equal(c->db_auto_migrate, 0);
	assert_string_equal(c->db_socket, "/run/mysqld/mysqld.sock");
	assert_int_equal(c->schema_dir[0], '/');
	assert_int_equal(c->openapi_path[0], '/');
	assert_int_equal(c->plugin_dir[0], '/');
	assert_int_equal(c->nplugins, 2);
	assert_int_equal(c->procurement.nbands, 4);
	same_thresholds_as_built_in(c);
	assert_int_equal(c->clock_today, -1);
	cfg_unref(c);
	free(copy);
	free(text);
}

static void test_missing_file(void **state)
{
	(void)state;
	assert_null(cfg_load("/nonexistent/bursard.conf", errbuf, sizeof(errbuf)));
	assert_string_equal(errbuf, "/nonexistent/bursard.conf: cannot read: No such file or directory");
}

static void test_syntax_error(void **state)
{
	(void)state;
	expect_err("syntax.conf", "http = {\n  port = 8080;\n  workers 2;\n};\n", ":3: syntax error");
	expect_err("syntax2.conf", "http = {\n  port = 8080;\n", ":3: syntax error");
	expect_err("dup.conf", "http = {\n  port = 1;\n  port = 2;\n};\n", ":3: duplicate setting name");
}

static void test_range(void **state)
{
	(void)state;
	expect_err("port.conf", "# ports\nhttp = {\n  port = 65536;\n};\n", ":3: http.port: must be 0..65535");
	expect_err("port2.conf", "http = { port = -1; };\n", ":1: http.port: must be 0..65535");
	expect_err("workers.conf", "http = {\n  workers = 0;\n};\n", ":2: http.workers: must be 1..64");
	expect_err("workers2.conf", "http = {\n  workers = 65;\n};\n", ":2: http.workers: must be 1..64");
	expect_err("timeout.conf", "database = {\n  rw_timeout_s = 0;\n};\n",
		   ":2: database.rw_timeout_s: must be 1..3600");
	expect_err("dbport.conf", "database = {\n  port = 0;\n};\n", ":2: database.port: must be 1..65535");
	expect_err("vat.conf", "procurement = {\n  vat_recoverable_bp = 10001;\n};\n",
		   ":2: procurement.vat_recoverable_bp: must be 0..10000");
	expect_err("body.conf", "http = {\n  max_body_bytes = 20000000;\n};\n",
		   ":2: http.max_body_bytes: http.max_body_bytes (20000000) must not exceed "
		   "http.max_csv_body_bytes (16777216)");
	expect_err("user.conf", "database = {\n  user = \"\";\n};\n", ":2: database.user: must not be empty");
	expect_err("level.conf", "log = {\n  level = \"loud\";\n};\n",
		   ":2: log.level: must be one of err, warning, notice, info, debug");
	expect_err("today.conf", "clock = {\n  today = \"2026-02-29\";\n};\n",
		   ":2: clock.today: must be a date, YYYY-MM-DD");
	expect_err("ocds.conf", "procurement = {\n  ocds_prefix = \"ocds-abc\";\n};\n",
		   ":2: procurement.ocds_prefix: must be \"ocds-\", the 6-character publisher prefix "
		   "(a-z, 0-9) and optionally \"-suffix\"");
	expect_err("socket.conf",
		   "database = {\n  socket = \"/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		   "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.sock\";\n};\n",
		   ":2: database.socket: must be at most 107 bytes (the Unix socket path limit)");
}

static void test_wrong_type(void **state)
{
	(void)state;
	expect_err("type1.conf", "http = {\n  port = \"8080\";\n};\n",
		   ":2: http.port: must be an integer, not a string");
	expect_err("type2.conf", "http = {\n  workers = 2.0;\n};\n",
		   ":2: http.workers: must be an integer, not a float");
	expect_err("type3.conf", "database = {\n  auto_migrate = 1;\n};\n",
		   ":2: database.auto_migrate: must be true or false, not an integer");
	expect_err("type4.conf", "database = {\n  user = 5;\n};\n",
		   ":2: database.user: must be a string, not an integer");
	expect_err("type5.conf", "http = 8080;\n", ":1: http: must be a group { ... }, not an integer");
	expect_err("type6.conf", "plugins = { name = \"local\"; };\n",
		   ":1: plugins: must be a list ( { ... }, ... ), not a group");
	expect_err("type7.conf", "procurement = {\n  bands = { from_pence = 0; };\n};\n",
		   ":2: procurement.bands: must be a list ( { ... }, ... ), not a group");
	expect_err("type9.conf", "http = {\n  workers = 1e10;\n};\n",
		   ":2: http.workers: must be an integer, not a float");
	expect_err("type8.conf", "clock = {\n  today = 20261122;\n};\n",
		   ":2: clock.today: must be a string, not an integer");
}

static void test_unknown_setting(void **state)
{
	(void)state;
	expect_err("unknown1.conf", "http = {\n  port = 8080;\n  prot = 8081;\n};\n",
		   ":3: http.prot: unknown setting");
	expect_err("unknown2.conf", "\nhtp = {\n  port = 8080;\n};\n", ":2: htp: unknown setting");
	expect_err("unknown3.conf",
		   "plugins = (\n  { name = \"local\"; setings = { a = 1; }; }\n);\n",
		   ":2: plugins[0].setings: unknown setting");
	expect_err("unknown4.conf",
		   "procurement = {\n  bands = (\n"
		   "    { from_pence = 0; route = \"r\"; approver = \"board\"; aprover = \"board\"; }\n"
		   "  );\n};\n",
		   ":3: procurement.bands[0].aprover: unknown setting");
}

static void test_plugins(void **state)
{
	(void)state;
	expect_err("plug1.conf",
		   "plugins = (\n  { name = \"local\"; },\n  { name = \"central\"; },\n  { name = \"local\"; }\n);\n",
		   ":4: plugins[2].name: duplicate plugin \"local\" (also plugins[0])");
	expect_err("plug2.conf", "plugins = (\n  { name = \"Local\"; }\n);\n",
		   ":2: plugins[0].name: must be 1..64 of a-z, 0-9 and _");
	expect_err("plug3.conf", "plugins = (\n  { name = \"../evil\"; }\n);\n",
		   ":2: plugins[0].name: must be 1..64 of a-z, 0-9 and _");
	expect_err("plug4.conf", "plugins = (\n  { settings = {}; }\n);\n", ":2: plugins[0].name: is required");
	expect_err("plug5.conf", "plugins = (\n  { name = \"a\";\n    settings = { rate = 0.5; }; }\n);\n",
		   ":3: plugins[0].settings.rate: must be a string, an integer or a boolean, not a float");
	expect_err("plug6.conf", "plugins = (\n  { name = \"a\"; settings = 5; }\n);\n",
		   ":2: plugins[0].settings: must be a group { key = value; ... }, not an integer");
	expect_err("plug7.conf", "plugins = (\n  \"local\" );\n",
		   ":2: plugins[0]: must be a group { name = \"...\"; settings = { ... }; }");
}

static void test_too_many_plugins(void **state)
{
	char text[2048] = "plugins = (\n";
	size_t n = strlen(text);

	(void)state;
	for (int i = 0; i <= CFG_MAX_PLUGINS; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "%s{ name = \"p%d\"; }", i ? ", " : "", i);
	snprintf(text + n, sizeof(text) - n, "\n);\n");
	expect_err("many.conf", text, ":1: plugins: at most 16 plugins");
}

#define BANDS_HEAD "procurement = {\n  bands = (\n"
#define BANDS_TAIL "  );\n};\n"

static void test_bands(void **state)
{
	(void)state;
	/* a gap between 1000000 and 1000001 */
	expect_err("bands1.conf", BANDS_HEAD
		   "    { from_pence = 0; to_pence = 1000000; route = \"a\"; approver = \"board\"; },\n"
		   "    { from_pence = 1000001; route = \"b\"; approver = \"board\"; }\n" BANDS_TAIL,
		   ":4: procurement.bands[1].from_pence: must be 1000000, the previous band's to_pence "
		   "(bands are sorted and contiguous)");
	/* out of order */
	expect_err("bands2.conf", BANDS_HEAD
		   "    { from_pence = 0; to_pence = 500; route = \"a\"; approver = \"board\"; },\n"
		   "    { from_pence = 1000; to_pence = 2000; route = \"b\"; approver = \"board\"; },\n"
		   "    { from_pence = 500; route = \"c\"; approver = \"board\"; }\n" BANDS_TAIL,
		   ":4: procurement.bands[1].from_pence: must be 500, the previous band's to_pence "
		   "(bands are sorted and contiguous)");
	expect_err("bands3.conf", BANDS_HEAD
		   "    { from_pence = 1; route = \"a\"; approver = \"board\"; }\n" BANDS_TAIL,
		   ":3: procurement.bands[0].from_pence: must be 0: the first band starts at zero");
	expect_err("bands4.conf", BANDS_HEAD
		   "    { from_pence = 0; to_pence = 100; route = \"a\"; approver = \"board\"; }\n" BANDS_TAIL,
		   ":3: procurement.bands[0].to_pence: the last band must be unbounded: leave to_pence out");
	expect_err("bands5.conf", BANDS_HEAD
		   "    { from_pence = 0; route = \"a\"; approver = \"board\"; },\n"
		   "    { from_pence = 100; route = \"b\"; approver = \"board\"; }\n" BANDS_TAIL,
		   ":3: procurement.bands[0].to_pence: is required: only the last band is unbounded");
	expect_err("bands6.conf", BANDS_HEAD
		   "    { from_pence = 0; to_pence = 0; route = \"a\"; approver = \"board\"; },\n"
		   "    { from_pence = 0; route = \"b\"; approver = \"board\"; }\n" BANDS_TAIL,
		   ":3: procurement.bands[0].to_pence: must be more than from_pence (0)");
	expect_err("bands7.conf", BANDS_HEAD
		   "    { from_pence = 0; route = \"a\"; approver = \"headteacher\"; }\n" BANDS_TAIL,
		   ":3: procurement.bands[0].approver: must be one of business_manager, finance_director, board");
	expect_err("bands8.conf", BANDS_HEAD
		   "    { from_pence = 0; route = \"\"; approver = \"board\"; }\n" BANDS_TAIL,
		   ":3: procurement.bands[0].route: must be a non-empty name of a-z, 0-9 and _");
	expect_err("bands9.conf", BANDS_HEAD
		   "    { from_pence = 0;\n      approver = \"board\"; }\n" BANDS_TAIL,
		   ":3: procurement.bands[0].route: is required");
	expect_err("bands10.conf", "procurement = {\n  bands = ();\n};\n",
		   ":2: procurement.bands: must not be empty (leave it out for the built-in defaults)");
	expect_err("bands11.conf", BANDS_HEAD
		   "    { from_pence = \"0\"; route = \"a\"; approver = \"board\"; }\n" BANDS_TAIL,
		   ":3: procurement.bands[0].from_pence: must be an integer, not a string");
}

#define THR_HEAD "procurement = {\n  thresholds = (\n"
#define THR_TAIL "  );\n};\n"

static void test_thresholds(void **state)
{
	(void)state;
	expect_err("thr1.conf", THR_HEAD
		   "    { contract_type = \"works\"; from = \"2025-02-30\"; pence = 1; regime = \"PA2023\"; }\n"
		   THR_TAIL, ":3: procurement.thresholds[0].from: must be a date, YYYY-MM-DD");
	expect_err("thr2.conf", THR_HEAD
		   "    { contract_type = \"works\"; from = \"1 Jan 2026\"; pence = 1; regime = \"PA2023\"; }\n"
		   THR_TAIL, ":3: procurement.thresholds[0].from: must be a date, YYYY-MM-DD");
	expect_err("thr3.conf", THR_HEAD
		   "    { contract_type = \"goods\"; from = \"2026-01-01\"; pence = 1; regime = \"PA2023\"; }\n"
		   THR_TAIL, ":3: procurement.thresholds[0].contract_type: must be one of goods_services, "
		   "light_touch, works, concession, light_touch_concession");
	expect_err("thr4.conf", THR_HEAD
		   "    { contract_type = \"works\"; from = \"2026-01-01\"; pence = 0; regime = \"PA2023\"; }\n"
		   THR_TAIL, ":3: procurement.thresholds[0].pence: must be more than 0");
	expect_err("thr5.conf", THR_HEAD
		   "    { contract_type = \"works\"; from = \"2026-01-01\"; pence = 1; regime = \"PA2024\"; }\n"
		   THR_TAIL, ":3: procurement.thresholds[0].regime: must be one of PA2023, PCR2015");
	expect_err("thr6.conf", THR_HEAD
		   "    { contract_type = \"works\"; from = \"2026-01-01\"; pence = 1; regime = \"PA2023\"; },\n"
		   "    { contract_type = \"works\"; from = \"2026-01-01\"; pence = 2; regime = \"PA2023\"; }\n"
		   THR_TAIL, ":4: procurement.thresholds[1].from: works from 2026-01-01 overlaps "
		   "procurement.thresholds[0], which starts on the same day");
	/* each type's rows in date order; other types may come between them */
	expect_err("thr8.conf", THR_HEAD
		   "    { contract_type = \"works\"; from = \"2026-01-01\"; pence = 1; regime = \"PA2023\"; },\n"
		   "    { contract_type = \"light_touch\"; from = \"2020-01-01\"; pence = 2; regime = \"PCR2015\"; },\n"
		   "    { contract_type = \"works\"; from = \"2025-12-31\"; pence = 2; regime = \"PA2023\"; }\n"
		   THR_TAIL, ":5: procurement.thresholds[2].from: works from 2025-12-31 comes after "
		   "procurement.thresholds[0] from 2026-01-01: list each contract type's rows in date order");
	/* the regime follows the date: the Act from 24 Feb 2025, PCR 2015 before */
	expect_err("thr9.conf", THR_HEAD
		   "    { contract_type = \"works\"; from = \"2025-02-23\"; pence = 1; regime = \"PA2023\"; }\n"
		   THR_TAIL, ":3: procurement.thresholds[0].regime: PA2023 from 2025-02-23: the Procurement Act "
		   "2023 applies to procurements started from 2025-02-24 (PCR2015 before)");
	expect_err("thr10.conf", THR_HEAD
		   "    { contract_type = \"works\"; from = \"2025-02-24\"; pence = 1; regime = \"PCR2015\"; }\n"
		   THR_TAIL, ":3: procurement.thresholds[0].regime: PCR2015 from 2025-02-24: procurements started "
		   "from 2025-02-24 fall under the Procurement Act 2023 (PA2023)");
	expect_err("thr11.conf", THR_HEAD
		   "    { contract_type = \"works\"; from = \"2020-01-01\"; pence = 1; regime = \"PCR2015\";\n"
		   "      vat = \"excl\"; }\n"
		   THR_TAIL, ":4: procurement.thresholds[0].vat: must be one of incl, net");
	expect_err("thr7.conf", THR_HEAD
		   "    { contract_type = \"works\"; pence = 1; regime = \"PA2023\"; }\n"
		   THR_TAIL, ":3: procurement.thresholds[0].from: is required");
}

/* libconfig 1.5 silently truncates integers without L to 32 bits: we refuse them. */
static void test_int64_suffix(void **state)
{
	struct cfg *c;

	(void)state;
	expect_err("big1.conf", BANDS_HEAD
		   "    { from_pence = 0; to_pence = 3000000000; route = \"a\"; approver = \"board\"; },\n"
		   "    { from_pence = 3000000000L; route = \"b\"; approver = \"board\"; }\n" BANDS_TAIL,
		   ":3: procurement.bands[0].to_pence: 3000000000 does not fit in 32 bits: write 3000000000L");
	/* two integers on the line: the message names the one that was truncated */
	expect_err("big2.conf", THR_HEAD
		   "    { contract_type = \"works\"; pence = 5372609000; from = \"2026-01-01\"; regime = \"PA2023\"; }\n"
		   THR_TAIL, ":3: procurement.thresholds[0].pence: 5372609000 does not fit in 32 bits: "
		   "write 5372609000L");
	expect_err("big3.conf", "http = { workers = 1; port = -2147483649; };\n",
		   ":1: http.port: -2147483649 does not fit in 32 bits: write -2147483649L");
	expect_err("big4.conf", "http = {\n  port = 0x100000000;\n};\n",
		   ":2: http.port: 0x100000000 does not fit in 32 bits: write 0x100000000L");
	expect_err("big5.conf", "http = {\n  port = 99999999999999999999L;\n};\n",
		   ":2: http.port: 99999999999999999999L is out of range");
	/* big numbers in comments, strings and names are not integers */
	c = load_text("big6.conf",
		      "# 99999999999999999999\n/* 5000000000\n 6000000000 */\n"
		      "plugins = ( { name = \"a1\"; settings = { id = \"12345678901\"; x9999999999 = 1;"
		      " }; } );\n" REQ_DB REQ_PATHS REQ_PROC);
	cfg_unref(c);
}

static void test_password_file(void **state)
{
	char text[1024], want[1024], dir[256], empty[256];

	(void)state;
	/* copies: tmp_path's buffers are reused by later calls */
	snprintf(dir, sizeof(dir), "%s", tmp_path(""));
	snprintf(empty, sizeof(empty), "%s", write_file("pw-empty", "\n"));
	expect_err("pw1.conf", "database = {\n  user = \"u\";\n  password_file = \"/nonexistent/pw\";\n};\n",
		   ":3: database.password_file: cannot read /nonexistent/pw: No such file or directory");
	snprintf(text, sizeof(text), "database = {\n  password_file = \"%s\";\n};\n", empty);
	snprintf(want, sizeof(want), ":2: database.password_file: the first line of %s is empty", empty);
	expect_err("pw2.conf", text, want);
	snprintf(text, sizeof(text), "database = {\n  password_file = \"%s\";\n};\n", dir);
	assert_null(cfg_load(write_file("pw3.conf", text), errbuf, sizeof(errbuf)));
	assert_contains(errbuf, ":2: database.password_file: cannot read ");
	assert_contains(errbuf, "Is a directory");
}

static void test_refs(void **state)
{
	struct cfg *c;

	(void)state;
	c = load_text("refs.conf", "http = { port = 1; };\n" REQUIRED);
	assert_ptr_equal(cfg_ref(c), c);
	assert_int_equal(c->refs, 2);
	cfg_unref(c);
	assert_int_equal(c->refs, 1);
	assert_int_equal(c->http_port, 1);
	cfg_unref(c);            /* freed: ASan would report a leak otherwise */
	assert_null(cfg_ref(NULL));
	cfg_unref(NULL);
}

static void test_small_err_buffer(void **state)
{
	char small[8];

	(void)state;
	memset(small, 'x', sizeof(small));
	assert_null(cfg_load(write_file("small.conf", "http = { port = 70000; };\n"), small, sizeof(small)));
	assert_int_equal(strlen(small), sizeof(small) - 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_required),
		cmocka_unit_test(test_timeouts_and_addresses),
		cmocka_unit_test(test_full),
		cmocka_unit_test(test_dev_config),
		cmocka_unit_test(test_example_config),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_syntax_error),
		cmocka_unit_test(test_range),
		cmocka_unit_test(test_wrong_type),
		cmocka_unit_test(test_unknown_setting),
		cmocka_unit_test(test_plugins),
		cmocka_unit_test(test_too_many_plugins),
		cmocka_unit_test(test_bands),
		cmocka_unit_test(test_thresholds),
		cmocka_unit_test(test_int64_suffix),
		cmocka_unit_test(test_password_file),
		cmocka_unit_test(test_refs),
		cmocka_unit_test(test_small_err_buffer),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
