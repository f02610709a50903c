/*
 * db.h - one MariaDB connection per worker thread (Connector/C), its cache of
 * prepared statements, transactions with bounded retry, and results as rows of
 * text cells that map straight onto JSON.
 *
 * Thread: a struct db belongs to one thread. SQL text is always a constant
 * string; values are bound as parameters (struct db_param), never formatted in.
 * Statements are prepared once per connection and cached by the address of their
 * SQL text.
 *
 * Errors: functions return 0 or -1. On -1 the problem is set: 503 with
 * Retry-After when the database is unreachable (the connection is dropped and
 * re-opened on a later call, with backoff), 500 otherwise (logged once here).
 * db_errno() then tells a duplicate key (1062) or deadlock (1213) apart, so the
 * caller can answer 409 or retry.
 */
#ifndef BURSAR_DB_H
#define BURSAR_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "problem.h"

struct cfg;
struct db;

#define DB_ER_DUP_ENTRY      1062
#define DB_ER_LOCK_DEADLOCK  1213
#define DB_ER_LOCK_WAIT      1205            /* lock_wait_timeout, innodb_lock_wait_timeout */
#define DB_ER_STATEMENT_TIMEOUT 1969         /* max_statement_time */
#define DB_ER_ROW_REFERENCED 1451

enum db_type { DB_NULL, DB_I64, DB_STR, DB_BLOB };

struct db_param {
	enum db_type type;
	int64_t i;
	const char *s;                           /* DB_STR (NUL-terminated) or DB_BLOB */
	size_t len;                              /* DB_BLOB */
};

#define DBP_NULL        ((struct db_param){ .type = DB_NULL })
#define DBP_I64(v)      ((struct db_param){ .type = DB_I64, .i = (int64_t)(v) })
#define DBP_STR(v)      db_param_str(v)
#define DBP_BLOB(p, n)  ((struct db_param){ .type = DB_BLOB, .s = (const char *)(p), .len = (n) })

/* A string parameter; NULL binds SQL NULL. */
static inline struct db_param db_param_str(const char *s)
{
	return (struct db_param){ .type = s != NULL ? DB_STR : DB_NULL, .s = s };
}

/* Column kinds, from the result metadata, used by db_row_to_json. */
enum db_col { DBC_INT, DBC_BOOL, DBC_TEXT, DBC_DATE, DBC_DATETIME, DBC_JSON, DBC_BLOB };

/* A whole result set, owned by the caller: db_rows_free. */
struct db_rows {
	size_t nrows, ncols;
	char **names;                            /* column names (aliases) */
	enum db_col *cols;
	char **cells;                            /* nrows * ncols; NULL = SQL NULL */
	unsigned long *lens;
};

/* Create; does not connect (the first query does). NULL on allocation failure. */
struct db *db_new(const struct cfg *cfg);
void db_free(struct db *db);                 /* NULL ok */
/* The snapshot whose database settings apply on the next reconnect. Borrowed. */
void db_set_cfg(struct db *db, const struct cfg *cfg);

/*
 * For the command line and start-up (migrate, seed): no request waits, so the
 * connection keeps the server's own lock and statement limits and a read/write
 * timeout of an hour instead of database.rw_timeout_s (a migration's ALTER of a
 * large table may take minutes). Call before the first query.
 */
void db_set_batch(struct db *db);

/* Connect now if not connected (honouring the backoff). */
int db_ensure(struct db *db, struct problem *p) __attribute__((warn_unused_result));
int db_ping(struct db *db, struct problem *p) __attribute__((warn_unused_result));
unsigned db_errno(const struct db *db);      /* of the last failed call; 0 if none */
bool db_conn_lost(const struct db *db);      /* the last failed call lost the connection */
uint64_t db_error_count(const struct db *db);

/* Run a statement; affected rows and the insert id are optional outputs. */
int db_exec(struct db *db, const char *sql, const struct db_param *params, size_t nparams,
	    uint64_t *affected, uint64_t *insert_id, struct problem *p)
	__attribute__((warn_unused_result));

/*
 * Run a statement once for each of nrows rows of ncols parameters (rows is
 * row-major: rows[r * ncols + c]) in one round trip (Connector/C's array
 * binding, MariaDB's bulk execution). A column's non-NULL values must all be of
 * one type. For saving many rows at once: one prepared INSERT, no SQL or JSON
 * for the server to parse per row.
 */
int db_exec_bulk(struct db *db, const char *sql, const struct db_param *rows, size_t ncols, size_t nrows,
		 struct problem *p) __attribute__((warn_unused_result));

/* Run a query and fetch every row. *out is NULL on error. */
int db_query(struct db *db, const char *sql, const struct db_param *params, size_t nparams,
	     struct db_rows **out, struct problem *p) __attribute__((warn_unused_result));
void db_rows_free(struct db_rows *r);        /* NULL ok */

/*
 * Cell access, checked: NULL for SQL NULL. A row or column outside the result is
 * a programming error: logged, and read as NULL (0), never out of bounds.
 */
const char *db_cell(const struct db_rows *r, size_t row, size_t col);
int64_t db_cell_i64(const struct db_rows *r, size_t row, size_t col);   /* 0 for NULL */
int db_col_index(const struct db_rows *r, const char *name);            /* -1 if absent */

/*
 * Read by named column (the SELECT's alias). Resolve the names a decoder needs
 * once per result with db_columns: a name that is not a column of the result (a
 * misspelt alias) is logged and answered 500, never read. db_get/db_get_i64 read
 * one cell by name: an unknown name is logged and reads as NULL (0).
 */
int db_columns(const struct db_rows *r, const char *const *names, size_t n, size_t *ix, struct problem *p)
	__attribute__((warn_unused_result));
const char *db_get(const struct db_rows *r, size_t row, const char *name);
int64_t db_get_i64(const struct db_rows *r, size_t row, const char *name);

/*
 * Row -> JSON object with the column names as keys: integers as numbers,
 * TINYINT as booleans, DATE as "YYYY-MM-DD", DATETIME as RFC 3339 UTC
 * ("2026-11-22T09:53:54.123456Z"), columns named *_json parsed as JSON, text as
 * strings, NULL as null. Columns whose name starts with '_' are left out.
 */
cJSON *db_row_to_json(const struct db_rows *r, size_t row);

/* Transactions. db_txn runs fn between BEGIN and COMMIT, and re-runs the whole
 * transaction on a deadlock (1213: InnoDB's victim, or a Galera certification
 * failure at any statement or at COMMIT) up to database.deadlock_retries times,
 * each after db_deadlock_backoff_ms (logged at info: "re-running the transaction
 * in N ms"). fn returns 0 to commit or -1 (problem set) to roll back; it must
 * leave nothing behind that a re-run would duplicate. A lost reply to COMMIT is
 * 503, never retried. A deadlock after the last re-run is 503 with Retry-After. */
typedef int (*db_txn_fn)(struct db *db, void *arg, struct problem *p);

/* The wait before re-run attempt+1 (attempt 0 is the first re-run): a cap of
 * 20 ms doubling per attempt up to 400 ms, and a wait in [cap/2, cap] chosen by
 * rnd (any 32-bit value). Pure. */
unsigned db_deadlock_backoff_ms(int attempt, uint32_t rnd);
int db_txn(struct db *db, db_txn_fn fn, void *arg, struct problem *p)
	__attribute__((warn_unused_result));
/*
 * db_txn without its COMMIT: on 0 the transaction is still open (its statements
 * re-run on a deadlock as db_txn's), for the caller to add to and end with
 * db_txn_commit or db_txn_rollback. A 1213 at that COMMIT is not re-run. Used by
 * api_txn to store a POST's idempotent reply in the write's own transaction.
 * Beginning a transaction while one is open is refused (500), never nested.
 */
int db_txn_open(struct db *db, db_txn_fn fn, void *arg, struct problem *p) __attribute__((warn_unused_result));
/* COMMIT the open transaction: 0, or -1 with the problem set (503 when the
 * connection was lost: the outcome is then unknown; after a 1213 or any other
 * error the transaction is still open: roll it back). */
int db_txn_commit(struct db *db, struct problem *p) __attribute__((warn_unused_result));
/* Roll back the open transaction, if any (nothing when the connection is gone). */
void db_txn_rollback(struct db *db);

/* Run each statement of a file (statements end with ';' at the end of a line;
 * lines starting with "--" are comments). Used by migrations and seeds. With
 * first_line, reports the line of a failing statement. */
int db_exec_script(struct db *db, const char *text, const char *name, struct problem *p)
	__attribute__((warn_unused_result));

#endif
