/*
 * main.c - bursard: start-up, signals, and the subcommands.
 *
 * Signals are blocked in every thread and taken here with sigwait: HUP builds
 * and validates a new configuration snapshot and hands it to the workers (a bad
 * file keeps the old one); TERM and INT drain and stop.
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/thread.h>
#include <mysql.h>

#include "auth.h"
#include "cli.h"
#include "config.h"
#include "db.h"
#include "log.h"
#include "password.h"
#include "migrate.h"
#include "ops.h"
#include "plugin.h"
#include "routes.h"
#include "server.h"

#define BURSAR_VERSION "0.1.0"
#define DEFAULT_CONFIG "/etc/bursar/bursard.conf"
#define STARTUP_DB_TRIES 10

static void usage(FILE *f)
{
	fprintf(f,
		"usage: bursard [-c FILE] [--check-config]   serve the API\n"
		"       bursard [-c FILE] migrate            apply pending schema migrations\n"
		"       bursard [-c FILE] seed [--tokens FILE] [--users FILE]\n"
		"                                            load the demo trust (first time only)\n"
		"       bursard [-c FILE] token create --role ROLE [--school URN]... --label TEXT\n"
		"       bursard [-c FILE] token list\n"
		"       bursard [-c FILE] token revoke ID\n"
		"       bursard [-c FILE] user create --email EMAIL --name NAME --role ROLE [--school URN]... [--password-stdin]\n"
		"       bursard [-c FILE] user list\n"
		"       bursard [-c FILE] user disable|enable|reset EMAIL|ID\n"
		"       bursard --version | --routes\n"
		"The configuration file defaults to " DEFAULT_CONFIG ".\n");
}

/* The route table, one "METHOD PATTERN ROLES" line each (the openapi.json check uses it). */
static void print_routes(void)
{
	for (size_t i = 0; i < api_nroutes; i++) {
		printf("%s %s", router_method_name(api_routes[i].method), api_routes[i].pattern);
		for (unsigned r = 1; r <= ROLE_ADMIN; r <<= 1)
			if (api_routes[i].roles & r)
				printf(" %s", identity_role_name(r));
		printf("\n");
	}
}

/* Migrate (database.auto_migrate) or check the schema before serving. A database
 * that is down is waited for briefly; with it still down the daemon starts anyway
 * and answers 503 until it is back, unless it had to migrate. */
static int startup_schema(const struct cfg *cfg)
{
	struct db *db = db_new(cfg);
	struct problem p = { 0 };
	int rc = -1;

	if (db == NULL)
		return -1;
	db_set_batch(db);                        /* a migration may take longer than a request */
	for (int i = 0; i < STARTUP_DB_TRIES; i++) {
		memset(&p, 0, sizeof(p));
		if (db_ensure(db, &p) == 0)
			break;
		sleep(1);
	}
	if (p.status == 503) {
		if (cfg->db_auto_migrate)
			log_err("main: the database is unreachable, so the schema cannot be migrated");
		else {
			log_warn("main: the database is unreachable; serving 503 until it is back");
			rc = 0;
		}
		goto out;
	}
	if (cfg->db_auto_migrate ? migrate_run(db, cfg->schema_dir, &p) : migrate_check(db, cfg->schema_dir, &p)) {
		log_err("main: %s", p.detail);
		goto out;
	}
	rc = 0;
out:
	db_free(db);
	return rc;
}

static void reload(struct server *srv, struct cfg **cfg, const char *path, const struct plugins *plugins)
{
	char err[512];
	struct cfg *next = cfg_load(path, err, sizeof(err));
	struct cfg *cur = *cfg;

	if (next == NULL) {
		log_err("main: reload refused, keeping the running configuration: %s", err);
		return;
	}
	if (strcmp(next->http_address, cur->http_address) != 0 || next->http_port != cur->http_port ||
	    next->http_workers != cur->http_workers)
		log_warn("main: http.address, http.port and http.workers take effect on restart");
	if (strcmp(next->ops_address, cur->ops_address) != 0 || next->ops_port != cur->ops_port)
		log_warn("main: ops.address and ops.port take effect on restart");
	if (strcmp(next->db_socket, cur->db_socket) != 0 || strcmp(next->db_host, cur->db_host) != 0 ||
	    strcmp(next->db_name, cur->db_name) != 0)
		log_notice("main: database settings apply as connections are re-opened");
	if (!plugin_registry_matches(plugins, next))
		log_warn("main: plugins and their settings take effect on restart; the loaded ones stay in use");
	log_set_level(next->log_level);
	server_reload(srv, next);
	cfg_unref(cur);
	*cfg = next;
	log_notice("main: configuration reloaded from %s", path);
}

/* The plugins the configuration names; NULL (logged) when one cannot be loaded. */
static struct plugins *load_plugins(const struct cfg *cfg)
{
	char err[512];
	struct plugins *ps = plugin_registry_load(cfg, err, sizeof(err));

	if (ps == NULL)
		log_err("main: %s", err);
	return ps;
}

static int serve(struct cfg *cfg, const char *path)
{
	sigset_t set;
	struct server *srv;
	struct ops *ops;
	struct plugins *plugins;
	int sig, err;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	/* before the database: a bad plugin stops start-up at once */
	if ((plugins = load_plugins(cfg)) == NULL)
		return 1;
	/* the ops port is bound before the API answers, and served once the workers run */
	if (startup_schema(cfg) != 0 || ((ops = ops_open(cfg, &err)) == NULL && err)) {
		plugin_registry_free(plugins);
		return 1;
	}
	if ((srv = server_start(cfg, plugins)) == NULL) {
		ops_stop(ops);
		plugin_registry_free(plugins);
		return 1;
	}
	if (ops != NULL && ops_run(ops, srv) != 0) {
		ops_stop(ops);
		server_stop(srv);
		plugin_registry_free(plugins);
		return 1;
	}
	for (;;) {
		if (sigwait(&set, &sig) != 0)
			continue;
		if (sig == SIGHUP) {
			reload(srv, &cfg, path, plugins);
			continue;
		}
		log_notice("main: %s received", sig == SIGTERM ? "SIGTERM" : "SIGINT");
		break;
	}
	ops_stop(ops);
	server_stop(srv);                        /* joins the workers */
	plugin_registry_free(plugins);
	cfg_unref(cfg);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' }, { "check-config", no_argument, NULL, 'k' },
		{ "version", no_argument, NULL, 'V' }, { "routes", no_argument, NULL, 'R' }, { "help", no_argument, NULL, 'h' }, { 0 },
	};
	const char *path = DEFAULT_CONFIG;
	int check = 0, c, rc;
	char err[512];
	struct cfg *cfg;
	sigset_t set;

	/* "+": stop at the first non-option, the subcommand parses the rest */
	while ((c = getopt_long(argc, argv, "+c:h", opts, NULL)) != -1) {
		switch (c) {
		case 'c': path = optarg; break;
		case 'k': check = 1; break;
		case 'V': printf("bursard %s\n", BURSAR_VERSION); return 0;
		case 'R': print_routes(); return 0;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	/* Blocked here, before any thread exists, so every thread inherits it. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	if ((cfg = cfg_load(path, err, sizeof(err))) == NULL) {
		fprintf(stderr, "bursard: %s\n", err);
		return 1;
	}
	log_set_level(cfg->log_level);
	if (check) {
		/* the plugins too: a missing or broken one fails the check */
		struct plugins *plugins = plugin_registry_load(cfg, err, sizeof(err));

		if (plugins == NULL) {
			fprintf(stderr, "bursard: %s\n", err);
			cfg_unref(cfg);
			return 1;
		}
		plugin_registry_free(plugins);
		printf("bursard: %s is valid\n", path);
		cfg_unref(cfg);
		return 0;
	}
	if (evthread_use_pthreads() != 0 || mysql_library_init(0, NULL, NULL) != 0 || password_init() != 0) {
		fprintf(stderr, "bursard: cannot initialise libevent threads, the MariaDB client or libsodium\n");
		cfg_unref(cfg);
		return 1;
	}
	if (optind < argc && strcmp(argv[optind], "migrate") == 0)
		rc = cli_migrate(cfg);
	else if (optind < argc && strcmp(argv[optind], "seed") == 0)
		rc = cli_seed(cfg, argc - optind, argv + optind);
	else if (optind < argc && strcmp(argv[optind], "token") == 0)
		rc = cli_token(cfg, argc - optind, argv + optind);
	else if (optind < argc && strcmp(argv[optind], "user") == 0)
		rc = cli_user(cfg, argc - optind, argv + optind);
	else if (optind < argc) {
		usage(stderr);
		rc = 2;
	} else {
		log_notice("main: bursard %s starting with %s", BURSAR_VERSION, path);
		rc = serve(cfg, path);
		cfg = NULL;                      /* serve() released it */
	}
	cfg_unref(cfg);
	mysql_library_end();
	return rc;
}
