/*
 * config.h - the daemon's configuration: one libconfig file, validated into an
 * immutable snapshot.
 *
 * A snapshot is built once (cfg_load), never changed afterwards, and shared
 * read-only by every worker thread. SIGHUP builds a new one; workers switch at a
 * request boundary. Snapshots are reference-counted (cfg_ref/cfg_unref, atomic),
 * so the old one is freed when the last worker lets go of it.
 */
#ifndef BURSAR_CONFIG_H
#define BURSAR_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "procure.h"

#define CFG_MAX_PLUGINS     16
#define CFG_MAX_SETTINGS    64

/* One key/value string pair of a plugin's own config group. */
struct cfg_setting {
	char *key;
	char *value;
};

struct cfg_plugin {
	char *name;                              /* file <directory>/<name>.so */
	size_t nsettings;
	struct cfg_setting settings[CFG_MAX_SETTINGS];
};

struct cfg {
	char *path;                              /* the file it came from */

	/* http */
	char *http_address;                      /* default "127.0.0.1" */
	int http_port;                           /* default 8080, 1..65535 (0 = ephemeral, tests only) */
	int http_workers;                        /* default 2, 1..64 */
	size_t http_max_body;                    /* default 1 MiB */
	size_t http_max_csv_body;                /* default 16 MiB; evhttp's own limit */
	size_t http_max_budget_body;             /* a budget PUT's JSON; default (0): http_max_csv_body */
	size_t http_max_headers;                 /* default 16 KiB */
	int http_timeout_s;                      /* default 30 */
	int cookie_secure;                       /* bool, default 1: the session cookie says Secure */
	int session_idle_s;                      /* a session ends after this long without a request */
	int session_lifetime_s;                  /* ... and this long after signing in, whatever */
	int signin_throttle_after;               /* failed sign-ins (per account, per address) before delays */
	int signin_lock_after;                   /* failed sign-ins that lock an account */
	int signin_max_delay_s;                  /* the longest delay */
	int http_drain_s;                        /* SIGTERM drain deadline, default 10 */
	int http_backlog;                        /* default 1024 */
	char *http_trusted_proxies;              /* comma-separated IPs whose X-Forwarded-For is believed; "" none */

	/* ops listener: /healthz, /readyz, /metrics on their own address, served by their own thread */
	char *ops_address;                       /* "" (default): none, /metrics stays on the API port */
	int ops_port;                            /* default 9090 (0 = ephemeral, tests only) */
	/* the connection guard (http/guard.c) */
	size_t http_max_uri;                     /* request-target bytes, default 8 KiB: 414 beyond */
	int http_max_header_count;               /* header fields, default 100: 431 beyond */
	int http_header_timeout_s;               /* the whole request head, default 10 */
	int http_body_timeout_s;                 /* the whole body from its head, default 60 */
	int http_max_connections;                /* in all, every worker together, default 1024 */
	int http_max_connections_per_address;    /* per client address, default 64; 0: no cap */

	/* database */
	char *db_socket;                         /* Unix socket; empty: use host/port */
	char *db_host;                           /* default "" */
	int db_port;                             /* default 3306 */
	char *db_user;                           /* default "bursar" */
	char *db_password;                       /* read from password_file; "" when none */
	char *db_name;                           /* default "bursar" */
	int db_auto_migrate;                     /* bool, default 0 */
	int db_connect_timeout_s;                /* default 5 */
	int db_rw_timeout_s;                     /* read/write timeout, default 10; connect + rw < http.timeout_s */
	int db_lock_wait_s;                      /* session lock_wait_timeout, innodb_lock_wait_timeout,
						  * max_statement_time; default 5, < rw_timeout_s */
	int db_deadlock_retries;                 /* default 3 */

	/* paths */
	char *schema_dir;                        /* default "schema" */
	char *openapi_path;                      /* default "daemon/openapi.json" */
	char *plugin_dir;                        /* default "plugins" */
	char *web_dir;                           /* the web app's built files, default "daemon/web/dist" */

	/* plugins */
	size_t nplugins;
	struct cfg_plugin plugins[CFG_MAX_PLUGINS];

	/* procurement: the scheme of delegation, thresholds and the assumed indexation */
	struct procure_rules procurement;
	int32_t vat_recoverable_bp;              /* default 10000 */
	char *ocds_prefix;                       /* default "ocds-xxxxxx-bursar" */

	/* monitoring: a variance is listed in the management accounts when it is over both */
	int monitoring_threshold_pence;          /* default 1000000 (GBP 10,000) */
	int32_t monitoring_threshold_bp;         /* of the profile to date, default 1000 (10%) */

	/* misc */
	int log_level;                           /* syslog priority, default LOG_INFO */
	int log_access;                          /* bool, default 1 */
	int cache_refresh_ms;                    /* default 250 */
	int32_t clock_today;                     /* days since epoch; -1 = use the real date */

	/* auth: what an unknown token costs */
	int auth_negative_ttl_s;                 /* unknown token hashes remembered per worker, default 60 (0 off) */
	int auth_failure_limit;                  /* failed authentications per address and window, default 50 (0 off) */
	int auth_failure_window_s;               /* default 60 */

	int refs;                                /* atomic reference count */
};

/*
 * Read and validate the file at path. Returns a new snapshot (refs = 1), or NULL
 * with a message in err naming the file, the line and the setting
 * ("etc/bursard.conf:12: http.port: must be 1..65535"). The database (user, name,
 * socket or host), paths, plugins and procurement.ocds_prefix are required: a file
 * without them is refused, naming every one missing ("f: required settings
 * missing: paths.schema, ...").
 */
struct cfg *cfg_load(const char *path, char *err, size_t errlen)
	__attribute__((warn_unused_result));

struct cfg *cfg_ref(struct cfg *c);          /* returns c; NULL ok */
void cfg_unref(struct cfg *c);               /* frees at zero; NULL ok */

/* The plugin entry by name, or NULL. */
const struct cfg_plugin *cfg_plugin_find(const struct cfg *c, const char *name);

#endif
