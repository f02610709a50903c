/* db.c - see db.h */
#include "db.h"

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <mysql.h>
#include <errmsg.h>

#include "config.h"
#include "log.h"
#include "page.h"

#define DB_STMT_SLOTS   512                  /* power of two; > the number of SQL texts */
#define DB_MAX_PARAMS   64
#define DB_BACKOFF_MIN_MS 100
#define DB_BACKOFF_MAX_MS 5000
#define DB_BATCH_RW_TIMEOUT_S 3600               /* migrations and seeding: a long ALTER is fine */
#define DB_DEADLOCK_BACKOFF_MS 20                /* before the first re-run of a deadlocked transaction */
#define DB_DEADLOCK_BACKOFF_MAX_MS 400

struct db_stmt_slot {
	const char *sql;                         /* the key: address of the constant text */
	MYSQL_STMT *stmt;
};

struct db {
	const struct cfg *cfg;
	MYSQL *my;
	bool connected;
	bool in_txn;
	bool batch;                              /* db_set_batch: no request deadline to keep */
	unsigned last_errno;
	uint64_t errors;
	int64_t retry_at_ms;                     /* no reconnect before this (monotonic) */
	int backoff_ms;
	uint32_t rnd;                            /* xorshift32 state: the deadlock backoff's jitter */
	struct db_stmt_slot slots[DB_STMT_SLOTS];
};

static int64_t db_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct db *db_new(const struct cfg *cfg)
{
	struct db *db = calloc(1, sizeof(*db));

	if (db != NULL) {
		struct timespec ts;

		db->cfg = cfg;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		/* differs per connection and per process: two transactions that deadlocked
		 * each other do not wait the same time and meet again */
		db->rnd = (uint32_t)ts.tv_nsec ^ (uint32_t)(uintptr_t)db ^ 0x9e3779b9u;
		if (db->rnd == 0)
			db->rnd = 1;
	}
	return db;
}

void db_set_cfg(struct db *db, const struct cfg *cfg)
{
	db->cfg = cfg;
}

void db_set_batch(struct db *db)
{
	db->batch = true;
}

static void db_stmts_close(struct db *db)
{
	for (size_t i = 0; i < DB_STMT_SLOTS; i++) {
		if (db->slots[i].stmt != NULL)
			mysql_stmt_close(db->slots[i].stmt);
		db->slots[i].stmt = NULL;
		db->slots[i].sql = NULL;
	}
}

static void db_disconnect(struct db *db)
{
	db_stmts_close(db);
	if (db->my != NULL)
		mysql_close(db->my);
	db->my = NULL;
	db->connected = false;
	db->in_txn = false;
}

void db_free(struct db *db)
{
	if (db == NULL)
		return;
	db_disconnect(db);
	free(db);
}

unsigned db_errno(const struct db *db)
{
	return db->last_errno;
}

uint64_t db_error_count(const struct db *db)
{
	return db->errors;
}

/* Client-side errors (2000..2999) and a killed or shut-down server mean the
 * connection is gone. */
static bool db_is_conn_error(unsigned e)
{
	return (e >= 2000 && e < 3000 && e != CR_NO_DATA && e != CR_NO_PREPARE_STMT &&
		e != CR_PARAMS_NOT_BOUND) ||
	       e == 1053 /* ER_SERVER_SHUTDOWN */ || e == 1927 /* ER_CONNECTION_KILLED */ ||
	       e == 4031 /* ER_CLIENT_INTERACTION_TIMEOUT */;
}

bool db_conn_lost(const struct db *db)
{
	return db_is_conn_error(db->last_errno);
}

static void db_schedule_retry(struct db *db)
{
	db->backoff_ms = db->backoff_ms == 0 ? DB_BACKOFF_MIN_MS : db->backoff_ms * 2;
	if (db->backoff_ms > DB_BACKOFF_MAX_MS)
		db->backoff_ms = DB_BACKOFF_MAX_MS;
	db->retry_at_ms = db_now_ms() + db->backoff_ms;
}

static int db_unavailable(struct db *db, struct problem *p)
{
	int64_t wait = db->retry_at_ms - db_now_ms();
	int secs = wait <= 0 ? 1 : (int)((wait + 999) / 1000);

	db->errors++;
	return problem_unavailable(p, secs);
}

/* Record a failure of the last call on mysql or stmt and fill the problem. */
static int db_fail(struct db *db, unsigned e, const char *msg, const char *what, struct problem *p)
{
	db->last_errno = e;
	if (db_is_conn_error(e)) {
		log_warn("db: %s: lost the connection (%u: %s)", what, e, msg);
		db_disconnect(db);
		/* A connection that worked is reconnected at its next use: the server is
		 * usually there (a killed connection, a proxy's failover to another node).
		 * Only a reconnect that fails waits, doubling (db_connect). */
		db->retry_at_ms = 0;
		return db_unavailable(db, p);
	}
	if (e == DB_ER_LOCK_DEADLOCK || e == DB_ER_LOCK_WAIT || e == DB_ER_STATEMENT_TIMEOUT) {
		log_info("db: %s: %u: %s", what, e, msg);
		problem_set(p, 503, "unavailable", "Service unavailable",
			    "the database was busy; try again");
		p->retry_after = 1;
		return -1;
	}
	if (e == DB_ER_DUP_ENTRY || e == DB_ER_ROW_REFERENCED)
		return problem_conflict(p, "the change conflicts with existing data");
	log_err("db: %s: %u: %s", what, e, msg);
	db->errors++;
	return problem_internal(p);
}

/*
 * Bound what one statement may wait for on the server, below the client's read
 * timeout (database.rw_timeout_s), which is below the HTTP deadline: a row or
 * metadata lock (FLUSH TABLES WITH READ LOCK, a long transaction) ends in 1205 and
 * a slow statement in 1969, both answered 503 + Retry-After while the client still
 * listens, and the connection stays usable. Prepared: SQL text stays constant.
 */
static int db_session_limits(struct db *db)
{
	static const char sql[] = "SET SESSION lock_wait_timeout = ?, innodb_lock_wait_timeout = ?, "
				  "max_statement_time = ?";
	long long lock = db->cfg->db_lock_wait_s;
	long long stmt = db->cfg->db_rw_timeout_s > 1 ? db->cfg->db_rw_timeout_s - 1 : 1;
	MYSQL_BIND b[3];
	MYSQL_STMT *st = mysql_stmt_init(db->my);
	int rc = -1;

	if (st == NULL)
		return -1;
	memset(b, 0, sizeof(b));
	b[0].buffer_type = b[1].buffer_type = b[2].buffer_type = MYSQL_TYPE_LONGLONG;
	b[0].buffer = &lock;
	b[1].buffer = &lock;
	b[2].buffer = &stmt;
	if (mysql_stmt_prepare(st, sql, sizeof(sql) - 1) == 0 && mysql_stmt_bind_param(st, b) == 0 &&
	    mysql_stmt_execute(st) == 0)
		rc = 0;
	else
		log_warn("db: cannot set the session's lock and statement timeouts (%u: %s)",
			 mysql_stmt_errno(st), mysql_stmt_error(st));
	mysql_stmt_close(st);
	return rc;
}

static int db_connect(struct db *db, struct problem *p)
{
	const struct cfg *c = db->cfg;
	unsigned int ct = (unsigned int)c->db_connect_timeout_s;
	unsigned int rw = db->batch ? DB_BATCH_RW_TIMEOUT_S : (unsigned int)c->db_rw_timeout_s;
	my_bool off = 0;
	const char *sock = c->db_socket[0] != '\0' ? c->db_socket : NULL;
	const char *host = sock == NULL && c->db_host[0] != '\0' ? c->db_host : NULL;

	if ((db->my = mysql_init(NULL)) == NULL) {
		log_err("db: mysql_init failed");
		return problem_internal(p);
	}
	mysql_options(db->my, MYSQL_OPT_CONNECT_TIMEOUT, &ct);
	mysql_options(db->my, MYSQL_OPT_READ_TIMEOUT, &rw);
	mysql_options(db->my, MYSQL_OPT_WRITE_TIMEOUT, &rw);
	mysql_options(db->my, MYSQL_OPT_RECONNECT, &off);
	mysql_options(db->my, MYSQL_SET_CHARSET_NAME, "utf8mb4");
	mysql_options(db->my, MYSQL_INIT_COMMAND,
		      "SET time_zone = '+00:00', sql_mode = 'STRICT_ALL_TABLES,NO_ZERO_DATE,"
		      "NO_ZERO_IN_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION'");
	if (mysql_real_connect(db->my, host, c->db_user, c->db_password, c->db_name,
			       (unsigned int)c->db_port, sock, 0) == NULL) {
		unsigned e = mysql_errno(db->my);

		log_warn("db: cannot connect to %s (%u: %s)", sock ? sock : host ? host : "localhost",
			 e, mysql_error(db->my));
		mysql_close(db->my);
		db->my = NULL;
		db->last_errno = e;
		db_schedule_retry(db);
		return db_unavailable(db, p);
	}
	if (!db->batch && db_session_limits(db) != 0) {
		mysql_close(db->my);
		db->my = NULL;
		db->last_errno = 2013;
		db_schedule_retry(db);
		return db_unavailable(db, p);
	}
	if (db->backoff_ms != 0)
		log_notice("db: connected again");
	db->connected = true;
	db->backoff_ms = 0;
	db->retry_at_ms = 0;
	return 0;
}

int db_ensure(struct db *db, struct problem *p)
{
	if (db->connected)
		return 0;
	if (db->retry_at_ms != 0 && db_now_ms() < db->retry_at_ms)
		return db_unavailable(db, p);
	return db_connect(db, p);
}

int db_ping(struct db *db, struct problem *p)
{
	if (db_ensure(db, p) != 0)
		return -1;
	if (mysql_ping(db->my) != 0)
		return db_fail(db, mysql_errno(db->my), mysql_error(db->my), "ping", p);
	return 0;
}

static MYSQL_STMT *db_prepare(struct db *db, const char *sql, struct problem *p)
{
	size_t h = ((uintptr_t)sql >> 3) & (DB_STMT_SLOTS - 1);
	MYSQL_STMT *st;

	for (size_t i = 0; i < DB_STMT_SLOTS; i++, h = (h + 1) & (DB_STMT_SLOTS - 1)) {
		if (db->slots[h].sql == sql)
			return db->slots[h].stmt;
		if (db->slots[h].sql == NULL)
			break;
	}
	if (db->slots[h].sql != NULL) {
		log_err("db: statement cache full");
		problem_internal(p);
		return NULL;
	}
	if ((st = mysql_stmt_init(db->my)) == NULL) {
		db_fail(db, mysql_errno(db->my), mysql_error(db->my), "stmt_init", p);
		return NULL;
	}
	if (mysql_stmt_prepare(st, sql, (unsigned long)strlen(sql)) != 0) {
		unsigned e = mysql_stmt_errno(st);
		char msg[512];

		snprintf(msg, sizeof(msg), "%s [%.200s]", mysql_stmt_error(st), sql);
		mysql_stmt_close(st);
		db_fail(db, e, msg, "prepare", p);
		return NULL;
	}
	db->slots[h].sql = sql;
	db->slots[h].stmt = st;
	return st;
}

static int db_bind_exec(struct db *db, MYSQL_STMT *st, const struct db_param *params,
			size_t n, struct problem *p)
{
	MYSQL_BIND b[DB_MAX_PARAMS];
	my_bool isnull = 1;

	if (n > DB_MAX_PARAMS || n != mysql_stmt_param_count(st)) {
		log_err("db: %zu parameters for a statement that takes %lu", n,
			mysql_stmt_param_count(st));
		return problem_internal(p);
	}
	memset(b, 0, sizeof(b[0]) * (n ? n : 1));
	for (size_t i = 0; i < n; i++) {
		switch (params[i].type) {
		case DB_NULL:
			b[i].buffer_type = MYSQL_TYPE_NULL;
			b[i].is_null = &isnull;
			break;
		case DB_I64:
			b[i].buffer_type = MYSQL_TYPE_LONGLONG;
			b[i].buffer = (void *)&params[i].i;
			break;
		case DB_STR:
			b[i].buffer_type = MYSQL_TYPE_STRING;
			b[i].buffer = (void *)params[i].s;
			b[i].buffer_length = (unsigned long)strlen(params[i].s);
			break;
		case DB_BLOB:
			b[i].buffer_type = MYSQL_TYPE_BLOB;
			b[i].buffer = (void *)params[i].s;
			b[i].buffer_length = (unsigned long)params[i].len;
			break;
		}
	}
	if ((n > 0 && mysql_stmt_bind_param(st, b) != 0) || mysql_stmt_execute(st) != 0)
		return db_fail(db, mysql_stmt_errno(st), mysql_stmt_error(st), "execute", p);
	return 0;
}

/* The columns of a bulk execution: one array of values per parameter. */
struct db_bulk {
	MYSQL_BIND b[DB_MAX_PARAMS];
	int64_t *i64;                            /* ncols * nrows, by column */
	const char **str;
	unsigned long *len;
	char *ind;
};

static void db_bulk_free(struct db_bulk *k)
{
	free(k->i64);
	free(k->str);
	free(k->len);
	free(k->ind);
}

/* Column-wise arrays from row-major params; a column's type is that of its
 * non-NULL values, which must agree. 0, or -1 with the problem set. */
static int db_bulk_bind(struct db_bulk *k, const struct db_param *rows, size_t ncols, size_t nrows, struct problem *p)
{
	size_t cells = ncols * nrows;

	memset(k, 0, sizeof(*k));
	if ((k->i64 = calloc(cells, sizeof(*k->i64))) == NULL || (k->str = calloc(cells, sizeof(*k->str))) == NULL ||
	    (k->len = calloc(cells, sizeof(*k->len))) == NULL || (k->ind = calloc(cells, sizeof(*k->ind))) == NULL)
		return problem_internal(p);
	for (size_t c = 0; c < ncols; c++) {
		enum db_type t = DB_NULL;
		size_t at = c * nrows;

		for (size_t r = 0; r < nrows; r++) {
			const struct db_param *v = &rows[r * ncols + c];

			if (v->type == DB_NULL) {
				k->ind[at + r] = STMT_INDICATOR_NULL;
				continue;
			}
			if (t != DB_NULL && v->type != t) {
				log_err("db: bulk parameter %zu mixes types", c + 1);
				return problem_internal(p);
			}
			t = v->type;
			k->ind[at + r] = STMT_INDICATOR_NONE;
			if (t == DB_I64) {
				k->i64[at + r] = v->i;
			} else {
				k->str[at + r] = v->s;
				k->len[at + r] = (unsigned long)(t == DB_STR ? strlen(v->s) : v->len);
			}
		}
		k->b[c].u.indicator = &k->ind[at];
		if (t == DB_I64) {
			k->b[c].buffer_type = MYSQL_TYPE_LONGLONG;
			k->b[c].buffer = &k->i64[at];
		} else {
			k->b[c].buffer_type = t == DB_BLOB ? MYSQL_TYPE_BLOB : MYSQL_TYPE_STRING;
			k->b[c].buffer = (void *)&k->str[at];
			k->b[c].length = &k->len[at];
		}
	}
	return 0;
}

int db_exec_bulk(struct db *db, const char *sql, const struct db_param *rows, size_t ncols, size_t nrows,
		 struct problem *p)
{
	struct db_bulk k;
	MYSQL_STMT *st;
	unsigned int n = (unsigned int)nrows, none = 0;
	int rc = -1;

	db->last_errno = 0;
	if (nrows == 0)
		return 0;
	if (db_ensure(db, p) != 0 || (st = db_prepare(db, sql, p)) == NULL)
		return -1;
	if (ncols == 0 || ncols > DB_MAX_PARAMS || ncols != mysql_stmt_param_count(st) || nrows > UINT_MAX) {
		log_err("db: a bulk of %zu x %zu parameters for a statement that takes %lu", nrows, ncols,
			mysql_stmt_param_count(st));
		return problem_internal(p);
	}
	if (db_bulk_bind(&k, rows, ncols, nrows, p) == 0) {
		unsigned e = 0;
		char msg[512] = "";
		int failed = mysql_stmt_attr_set(st, STMT_ATTR_ARRAY_SIZE, &n) != 0 ||
			     mysql_stmt_bind_param(st, k.b) != 0 || mysql_stmt_execute(st) != 0;

		if (failed) {
			e = mysql_stmt_errno(st);
			snprintf(msg, sizeof(msg), "%s", mysql_stmt_error(st));
		}
		/* the statement is cached for single executions too: back to one row, before
		 * db_fail, which may close it (a lost connection drops every statement) */
		mysql_stmt_attr_set(st, STMT_ATTR_ARRAY_SIZE, &none);
		mysql_stmt_free_result(st);
		rc = failed ? db_fail(db, e, msg, "bulk execute", p) : 0;
	}
	db_bulk_free(&k);
	return rc;
}

/* Outside a transaction a read may be re-run once on a fresh connection. */
static bool db_should_retry(struct db *db, bool read, int attempt)
{
	return read && attempt == 0 && !db->in_txn && db_is_conn_error(db->last_errno);
}

int db_exec(struct db *db, const char *sql, const struct db_param *params, size_t nparams,
	    uint64_t *affected, uint64_t *insert_id, struct problem *p)
{
	MYSQL_STMT *st;

	db->last_errno = 0;
	if (db_ensure(db, p) != 0 || (st = db_prepare(db, sql, p)) == NULL)
		return -1;
	if (db_bind_exec(db, st, params, nparams, p) != 0)
		return -1;
	if (affected != NULL)
		*affected = mysql_stmt_affected_rows(st);
	if (insert_id != NULL)
		*insert_id = mysql_stmt_insert_id(st);
	mysql_stmt_free_result(st);
	return 0;
}

static enum db_col db_col_kind(const MYSQL_FIELD *f)
{
	size_t len = strlen(f->name);

	if (len > 5 && strcmp(f->name + len - 5, "_json") == 0)
		return DBC_JSON;
	switch (f->type) {
	case MYSQL_TYPE_TINY:
		return DBC_BOOL;
	case MYSQL_TYPE_SHORT: case MYSQL_TYPE_LONG: case MYSQL_TYPE_LONGLONG:
	case MYSQL_TYPE_INT24: case MYSQL_TYPE_YEAR:
		return DBC_INT;
	case MYSQL_TYPE_NEWDECIMAL: case MYSQL_TYPE_DECIMAL:
		return f->decimals == 0 ? DBC_INT : DBC_TEXT;
	case MYSQL_TYPE_DATE:
		return DBC_DATE;
	case MYSQL_TYPE_DATETIME: case MYSQL_TYPE_TIMESTAMP:
		return DBC_DATETIME;
	default:
		return f->charsetnr == 63 && f->type != MYSQL_TYPE_NULL ? DBC_BLOB : DBC_TEXT;
	}
}

void db_rows_free(struct db_rows *r)
{
	if (r == NULL)
		return;
	for (size_t i = 0; i < r->nrows * r->ncols; i++)
		free(r->cells[i]);
	for (size_t i = 0; i < r->ncols; i++)
		free(r->names[i]);
	free(r->cells);
	free(r->lens);
	free(r->names);
	free(r->cols);
	free(r);
}

/* Fetch every row of an executed statement into a struct db_rows. */
static int db_fetch_all(struct db *db, MYSQL_STMT *st, struct db_rows **out, struct problem *p)
{
	MYSQL_RES *meta = mysql_stmt_result_metadata(st);
	MYSQL_BIND *b = NULL;
	unsigned long *len = NULL;
	my_bool *isnull = NULL, *err = NULL, yes = 1;
	char **bufs = NULL;
	struct db_rows *r = NULL;
	MYSQL_FIELD *f;
	size_t nc, cap = 0;
	int rc = -1, frc;

	if (meta == NULL)
		return db_fail(db, mysql_stmt_errno(st), "no result set", "query", p);
	nc = mysql_num_fields(meta);
	f = mysql_fetch_fields(meta);
	mysql_stmt_attr_set(st, STMT_ATTR_UPDATE_MAX_LENGTH, &yes);
	if (mysql_stmt_store_result(st) != 0) {
		db_fail(db, mysql_stmt_errno(st), mysql_stmt_error(st), "store_result", p);
		goto out;
	}
	if ((r = calloc(1, sizeof(*r))) == NULL || (b = calloc(nc, sizeof(*b))) == NULL ||
	    (len = calloc(nc, sizeof(*len))) == NULL || (isnull = calloc(nc, 1)) == NULL ||
	    (err = calloc(nc, 1)) == NULL || (bufs = calloc(nc, sizeof(*bufs))) == NULL ||
	    (r->names = calloc(nc, sizeof(*r->names))) == NULL ||
	    (r->cols = calloc(nc, sizeof(*r->cols))) == NULL)
		goto oom;
	r->ncols = nc;
	for (size_t c = 0; c < nc; c++) {
		size_t sz = f[c].max_length < 64 ? 64 : f[c].max_length;

		if ((r->names[c] = strdup(f[c].name)) == NULL || (bufs[c] = malloc(sz + 1)) == NULL)
			goto oom;
		r->cols[c] = db_col_kind(&f[c]);
		b[c].buffer_type = MYSQL_TYPE_STRING;
		b[c].buffer = bufs[c];
		b[c].buffer_length = (unsigned long)sz;
		b[c].length = &len[c];
		b[c].is_null = &isnull[c];
		b[c].error = &err[c];
	}
	if (mysql_stmt_bind_result(st, b) != 0) {
		db_fail(db, mysql_stmt_errno(st), mysql_stmt_error(st), "bind_result", p);
		goto out;
	}
	while ((frc = mysql_stmt_fetch(st)) == 0 || frc == MYSQL_DATA_TRUNCATED) {
		size_t base = r->nrows * nc;

		if (r->nrows == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			char **cells = realloc(r->cells, ncap * nc * sizeof(*cells) + 1);
			unsigned long *lens;

			if (cells == NULL)
				goto oom;
			r->cells = cells;
			if ((lens = realloc(r->lens, ncap * nc * sizeof(*lens) + 1)) == NULL)
				goto oom;
			r->lens = lens;
			cap = ncap;
		}
		for (size_t c = 0; c < nc; c++)
			r->cells[base + c] = NULL;
		r->nrows++;
		for (size_t c = 0; c < nc; c++) {
			char *cell;

			if (isnull[c])
				continue;
			if ((cell = malloc(len[c] + 1)) == NULL)
				goto oom;
			r->cells[base + c] = cell;
			r->lens[base + c] = len[c];
			if (len[c] > b[c].buffer_length) {
				/* longer than max_length said: fetch the column whole */
				MYSQL_BIND one = b[c];

				one.buffer = cell;
				one.buffer_length = len[c];
				if (mysql_stmt_fetch_column(st, &one, (unsigned int)c, 0) != 0) {
					db_fail(db, mysql_stmt_errno(st), mysql_stmt_error(st), "fetch_column", p);
					goto out;
				}
			} else {
				memcpy(cell, bufs[c], len[c]);
			}
			cell[len[c]] = '\0';
		}
	}
	if (frc != MYSQL_NO_DATA) {
		db_fail(db, mysql_stmt_errno(st), mysql_stmt_error(st), "fetch", p);
		goto out;
	}
	*out = r;
	r = NULL;
	rc = 0;
	goto out;
oom:
	log_err("db: out of memory reading a result");
	problem_internal(p);
out:
	if (bufs != NULL)
		for (size_t c = 0; c < nc; c++)
			free(bufs[c]);
	free(bufs);
	free(b);
	free(len);
	free(isnull);
	free(err);
	db_rows_free(r);
	mysql_free_result(meta);
	if (db->connected)
		mysql_stmt_free_result(st);
	return rc;
}

int db_query(struct db *db, const char *sql, const struct db_param *params, size_t nparams,
	     struct db_rows **out, struct problem *p)
{
	*out = NULL;
	for (int attempt = 0;; attempt++) {
		MYSQL_STMT *st;

		db->last_errno = 0;
		if (db_ensure(db, p) == 0 && (st = db_prepare(db, sql, p)) != NULL &&
		    db_bind_exec(db, st, params, nparams, p) == 0 && db_fetch_all(db, st, out, p) == 0)
			return 0;
		if (!db_should_retry(db, true, attempt))
			return -1;
		/* the connection was found dead: one fresh try, skipping the backoff */
		db->retry_at_ms = 0;
		problem_reset(p);
	}
}

const char *db_cell(const struct db_rows *r, size_t row, size_t col)
{
	if (row >= r->nrows || col >= r->ncols) {
		log_err("db: cell (%zu, %zu) outside a result of %zu rows and %zu columns", row, col,
			r->nrows, r->ncols);
		return NULL;
	}
	return r->cells[row * r->ncols + col];
}

int64_t db_cell_i64(const struct db_rows *r, size_t row, size_t col)
{
	const char *s = db_cell(r, row, col);

	return s == NULL ? 0 : strtoll(s, NULL, 10);
}

int db_col_index(const struct db_rows *r, const char *name)
{
	for (size_t c = 0; c < r->ncols; c++)
		if (strcmp(r->names[c], name) == 0)
			return (int)c;
	return -1;
}

int db_columns(const struct db_rows *r, const char *const *names, size_t n, size_t *ix, struct problem *p)
{
	for (size_t i = 0; i < n; i++) {
		int c = db_col_index(r, names[i]);

		if (c < 0) {
			log_err("db: no column \"%s\" in the result", names[i]);
			return problem_internal(p);
		}
		ix[i] = (size_t)c;
	}
	return 0;
}

const char *db_get(const struct db_rows *r, size_t row, const char *name)
{
	int c = db_col_index(r, name);

	if (c < 0) {
		log_err("db: no column \"%s\" in the result", name);
		return NULL;
	}
	return db_cell(r, row, (size_t)c);
}

int64_t db_get_i64(const struct db_rows *r, size_t row, const char *name)
{
	const char *s = db_get(r, row, name);

	return s == NULL ? 0 : strtoll(s, NULL, 10);
}

static cJSON *db_cell_to_json(const struct db_rows *r, size_t row, size_t c)
{
	const char *s = db_cell(r, row, c);
	char buf[40];

	if (s == NULL)
		return cJSON_CreateNull();
	switch (r->cols[c]) {
	case DBC_INT:
		return cJSON_CreateNumber(strtoll(s, NULL, 10));
	case DBC_BOOL:
		return cJSON_CreateBool(strtol(s, NULL, 10) != 0);
	case DBC_DATE:
		return cJSON_CreateString(s);
	case DBC_DATETIME:
		/* "2026-11-22 09:53:54.123456" -> "2026-11-22T09:53:54.123456Z" */
		ts_rfc3339_from_db(s, buf, sizeof(buf));
		return cJSON_CreateString(buf);
	case DBC_JSON: {
		cJSON *j = cJSON_ParseWithLength(s, r->lens[row * r->ncols + c]);

		return j != NULL ? j : cJSON_CreateNull();
	}
	case DBC_BLOB:
	case DBC_TEXT:
		break;
	}
	return cJSON_CreateString(s);
}

cJSON *db_row_to_json(const struct db_rows *r, size_t row)
{
	cJSON *o = cJSON_CreateObject();

	if (o == NULL)
		return NULL;
	for (size_t c = 0; c < r->ncols; c++) {
		cJSON *v;

		if (r->names[c][0] == '_')
			continue;
		if ((v = db_cell_to_json(r, row, c)) == NULL ||
		    !cJSON_AddItemToObject(o, r->names[c], v)) {
			cJSON_Delete(v);
			cJSON_Delete(o);
			return NULL;
		}
	}
	return o;
}

static int db_simple(struct db *db, const char *sql, struct problem *p)
{
	if (mysql_query(db->my, sql) != 0)
		return db_fail(db, mysql_errno(db->my), mysql_error(db->my), sql, p);
	return 0;
}

unsigned db_deadlock_backoff_ms(int attempt, uint32_t rnd)
{
	unsigned cap = DB_DEADLOCK_BACKOFF_MS;

	for (int i = 0; i < attempt && cap < DB_DEADLOCK_BACKOFF_MAX_MS; i++)
		cap *= 2;
	if (cap > DB_DEADLOCK_BACKOFF_MAX_MS)
		cap = DB_DEADLOCK_BACKOFF_MAX_MS;
	/* "equal jitter": at least half the cap, so the wait always grows with the attempt */
	return cap / 2 + rnd % (cap / 2 + 1);
}

static void db_backoff_sleep(struct db *db, int attempt)
{
	unsigned ms;
	struct timespec ts;

	db->rnd ^= db->rnd << 13;
	db->rnd ^= db->rnd >> 17;
	db->rnd ^= db->rnd << 5;
	ms = db_deadlock_backoff_ms(attempt, db->rnd);
	log_info("db: deadlock or certification failure, re-running the transaction in %u ms (%d of %d)", ms,
		 attempt + 1, db->cfg->db_deadlock_retries);
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (long)(ms % 1000) * 1000000L;
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* db_txn's work: with commit false, the transaction is left open on success (db_txn_open). */
static int db_txn_run(struct db *db, db_txn_fn fn, void *arg, bool commit, struct problem *p)
{
	int retries = db->cfg->db_deadlock_retries;

	if (db->in_txn) {
		/* START TRANSACTION would commit the open one without a word */
		log_err("db: a transaction was begun inside another (held open for its reply)");
		return problem_internal(p);
	}
	for (int attempt = 0;; attempt++) {
		unsigned e;

		db->last_errno = 0;
		if (db_ensure(db, p) != 0)
			return -1;
		if (db_simple(db, "START TRANSACTION", p) != 0) {
			if (attempt == 0 && db_is_conn_error(db->last_errno)) {
				/* a connection that died while idle: nothing was sent yet */
				db->retry_at_ms = 0;
				problem_reset(p);
				continue;
			}
			return -1;
		}
		db->in_txn = true;
		if (fn(db, arg, p) == 0) {
			if (!commit)
				return 0;
			if (db_txn_commit(db, p) == 0)
				return 0;
			if (db_is_conn_error(db->last_errno))
				return -1;
		}
		e = db->last_errno;
		db_txn_rollback(db);
		if (e == DB_ER_LOCK_DEADLOCK && attempt < retries) {
			/* InnoDB's victim, or Galera's certification failure (a write-set
			 * that conflicts with one another node committed first, also 1213): the
			 * whole transaction again, after a short randomised wait that doubles */
			db_backoff_sleep(db, attempt);
			problem_reset(p);
			continue;
		}
		return -1;
	}
}

int db_txn(struct db *db, db_txn_fn fn, void *arg, struct problem *p)
{
	return db_txn_run(db, fn, arg, true, p);
}

int db_txn_open(struct db *db, db_txn_fn fn, void *arg, struct problem *p)
{
	return db_txn_run(db, fn, arg, false, p);
}

int db_txn_commit(struct db *db, struct problem *p)
{
	if (!db->connected || !db->in_txn) {
		log_err("db: COMMIT without an open transaction");
		return problem_internal(p);
	}
	if (mysql_commit(db->my) == 0) {
		db->in_txn = false;
		return 0;
	}
	/* a lost reply to COMMIT leaves the outcome unknown (db_fail disconnects) */
	return db_fail(db, mysql_errno(db->my), mysql_error(db->my), "commit", p);
}

void db_txn_rollback(struct db *db)
{
	if (db->connected && db->in_txn)
		mysql_rollback(db->my);
	db->in_txn = false;
}

/* Next statement of a script: up to a line ending in ';'. Returns its length and
 * the first line number, 0 at the end. */
static size_t db_next_statement(const char **pos, int *line, char *buf, size_t buflen, int *first)
{
	const char *s = *pos;
	size_t n = 0;

	*first = 0;
	while (*s != '\0') {
		const char *eol = strchr(s, '\n');
		size_t l = eol ? (size_t)(eol - s) : strlen(s);
		size_t t = l;
		const char *q = s;
		bool ends;

		while (*q == ' ' || *q == '\t')
			q++;
		(*line)++;
		if (strncmp(q, "--", 2) == 0 || (size_t)(q - s) == l) {
			s += l + (eol ? 1 : 0);
			continue;
		}
		if (*first == 0)
			*first = *line;
		while (t > 0 && (s[t - 1] == ' ' || s[t - 1] == '\t' || s[t - 1] == '\r'))
			t--;
		ends = t > 0 && s[t - 1] == ';';
		if (n + l + 2 >= buflen)
			return (size_t)-1;
		/* the statement's own ';' is not sent (no multi-statements) */
		memcpy(buf + n, s, ends ? t - 1 : l);
		n += ends ? t - 1 : l;
		buf[n++] = '\n';
		s += l + (eol ? 1 : 0);
		if (ends)
			break;
	}
	*pos = s;
	buf[n] = '\0';
	return n;
}

int db_exec_script(struct db *db, const char *text, const char *name, struct problem *p)
{
	size_t cap = strlen(text) + 2, n;
	char *buf = malloc(cap);
	const char *pos = text;
	int line = 0, first, rc = 0;

	if (buf == NULL)
		return problem_internal(p);
	if (db_ensure(db, p) != 0) {
		free(buf);
		return -1;
	}
	while ((n = db_next_statement(&pos, &line, buf, cap, &first)) != 0) {
		if (n == (size_t)-1 || mysql_real_query(db->my, buf, (unsigned long)n) != 0) {
			unsigned e = n == (size_t)-1 ? 0 : mysql_errno(db->my);

			log_err("db: %s:%d: %s", name, first, e ? mysql_error(db->my) : "statement too long");
			db->last_errno = e;
			problem_set(p, 500, "internal", "Internal error", "%s:%d: %s", name, first,
				    e ? mysql_error(db->my) : "statement too long");
			rc = -1;
			break;
		}
		/* a statement may return a result (SELECT in a seed): drain it */
		do {
			MYSQL_RES *res = mysql_store_result(db->my);

			mysql_free_result(res);
		} while (mysql_next_result(db->my) == 0);
	}
	free(buf);
	return rc;
}
