/* migrate.c - see migrate.h */
#include "migrate.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/rand.h>

#include "db.h"
#include "log.h"
#include "sha256.h"

#define MIGRATE_LOCK_WAIT_S 120

static const char mig_bootstrap1[] =
	"CREATE TABLE IF NOT EXISTS schema_migrations ("
	" version INT UNSIGNED NOT NULL PRIMARY KEY, name VARCHAR(200) NOT NULL,"
	" checksum CHAR(64) NOT NULL, applied_at DATETIME(6) NOT NULL DEFAULT UTC_TIMESTAMP(6)"
	") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci";
static const char mig_bootstrap2[] =
	"CREATE TABLE IF NOT EXISTS schema_lock ("
	" id TINYINT UNSIGNED NOT NULL PRIMARY KEY, owner VARCHAR(100) NOT NULL,"
	" expires_at DATETIME(6) NOT NULL"
	") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci";
static const char mig_lock_sql[] =
	"INSERT INTO schema_lock (id, owner, expires_at) "
	"VALUES (1, ?, UTC_TIMESTAMP(6) + INTERVAL 15 MINUTE)";
static const char mig_lock_expire_sql[] =
	"DELETE FROM schema_lock WHERE id = 1 AND expires_at < UTC_TIMESTAMP(6)";
static const char mig_unlock_sql[] = "DELETE FROM schema_lock WHERE id = 1 AND owner = ?";
static const char mig_applied_sql[] =
	"SELECT version, name, checksum FROM schema_migrations ORDER BY version";
static const char mig_record_sql[] =
	"INSERT INTO schema_migrations (version, name, checksum) VALUES (?, ?, ?)";
static const char mig_exists_sql[] =
	"SELECT COUNT(*) FROM information_schema.tables "
	"WHERE table_schema = DATABASE() AND table_name = 'schema_migrations'";

static int mig_name_ok(const char *n)
{
	size_t l = strlen(n);

	if (l < 9 || !isdigit((unsigned char)n[0]) || !isdigit((unsigned char)n[1]) ||
	    !isdigit((unsigned char)n[2]) || n[3] != '_' || strcmp(n + l - 4, ".sql") != 0)
		return 0;
	for (size_t i = 4; i < l - 4; i++)
		if (!islower((unsigned char)n[i]) && !isdigit((unsigned char)n[i]) && n[i] != '_')
			return 0;
	return 1;
}

static int mig_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void migrate_free_list(char **list, int n)
{
	for (int i = 0; list != NULL && i < n; i++)
		free(list[i]);
	free(list);
}

int migrate_list(const char *dir, char ***out)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **list = NULL;
	int n = 0, cap = 0;

	*out = NULL;
	if (d == NULL) {
		log_err("migrate: %s: %s", dir, strerror(errno));
		return -1;
	}
	while ((e = readdir(d)) != NULL) {
		size_t len;

		if (!mig_name_ok(e->d_name))
			continue;
		if (n == cap) {
			char **nl = realloc(list, (size_t)(cap = cap ? cap * 2 : 16) * sizeof(*nl));

			if (nl == NULL)
				goto oom;
			list = nl;
		}
		len = strlen(dir) + strlen(e->d_name) + 2;
		if ((list[n] = malloc(len)) == NULL)
			goto oom;
		snprintf(list[n++], len, "%s/%s", dir, e->d_name);
	}
	closedir(d);
	if (n > 0)
		qsort(list, (size_t)n, sizeof(*list), mig_cmp);
	*out = list;
	return n;
oom:
	log_err("migrate: out of memory");
	closedir(d);
	migrate_free_list(list, n);
	return -1;
}

char *migrate_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (f == NULL) {
		log_err("migrate: %s: %s", path, strerror(errno));
		return NULL;
	}
	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0 ||
	    (buf = malloc((size_t)n + 1)) == NULL || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		log_err("migrate: cannot read %s", path);
		free(buf);
		fclose(f);
		return NULL;
	}
	fclose(f);
	buf[n] = '\0';
	if (len != NULL)
		*len = (size_t)n;
	return buf;
}

static void mig_sha256_hex(const char *data, size_t n, char out[65])
{
	unsigned char md[SHA256_LEN];

	if (sha256(data, n, md) != 0)
		memset(md, 0, sizeof(md));
	for (int i = 0; i < SHA256_LEN; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
}

struct mig_file {
	unsigned version;
	const char *path, *base;
	char *text;
	size_t len;
	char checksum[65];
};

/* Compare applied migrations with the files: 0 fine; -1 changed or unknown. */
static int mig_compare(struct db *db, struct mig_file *f, int nf, int *applied, struct problem *p)
{
	struct db_rows *rows = NULL;
	int rc = 0;

	if (db_query(db, mig_applied_sql, NULL, 0, &rows, p) != 0)
		return -1;
	for (size_t i = 0; i < rows->nrows; i++) {
		unsigned v = (unsigned)db_cell_i64(rows, i, 0);
		int k = 0;

		while (k < nf && f[k].version != v)
			k++;
		if (k == nf) {
			problem_set(p, 500, "internal", "Migration refused",
				    "the database has migration %03u (%s), which this bursard does not "
				    "have: the database is newer than this installation", v, db_cell(rows, i, 1));
			rc = -1;
			break;
		}
		if (strcmp(f[k].checksum, db_cell(rows, i, 2)) != 0) {
			problem_set(p, 500, "internal", "Migration refused",
				    "%s was changed after it was applied (checksum %.12s… in the "
				    "database, %.12s… on disk): write a new migration instead",
				    f[k].path, db_cell(rows, i, 2), f[k].checksum);
			rc = -1;
			break;
		}
		applied[k] = 1;
	}
	db_rows_free(rows);
	return rc;
}

static int mig_load(const char *dir, struct mig_file **out, char ***list, int *n, struct problem *p)
{
	struct mig_file *f;

	if ((*n = migrate_list(dir, list)) < 0)
		return problem_set(p, 500, "internal", "Migration refused", "cannot read %s", dir);
	if ((f = calloc((size_t)*n + 1, sizeof(*f))) == NULL)
		return problem_internal(p);
	*out = f;
	for (int i = 0; i < *n; i++) {
		f[i].path = (*list)[i];
		f[i].base = strrchr(f[i].path, '/') + 1;
		f[i].version = (unsigned)atoi(f[i].base);
		if (i > 0 && f[i].version == f[i - 1].version)
			return problem_set(p, 500, "internal", "Migration refused",
					   "two migrations are numbered %03u", f[i].version);
		if ((f[i].text = migrate_read_file(f[i].path, &f[i].len)) == NULL)
			return problem_set(p, 500, "internal", "Migration refused", "cannot read %s", f[i].path);
		mig_sha256_hex(f[i].text, f[i].len, f[i].checksum);
	}
	return 0;
}

static void mig_unload(struct mig_file *f, char **list, int n)
{
	for (int i = 0; f != NULL && i < n; i++)
		free(f[i].text);
	free(f);
	migrate_free_list(list, n);
}

static int mig_lock(struct db *db, const char *owner, struct problem *p)
{
	struct db_param prm = DBP_STR(owner);
	time_t until = time(NULL) + MIGRATE_LOCK_WAIT_S;

	for (;;) {
		if (db_exec(db, mig_lock_sql, &prm, 1, NULL, NULL, p) == 0)
			return 0;
		if (db_errno(db) != DB_ER_DUP_ENTRY)
			return -1;
		problem_reset(p);
		if (db_exec(db, mig_lock_expire_sql, NULL, 0, NULL, NULL, p) != 0)
			return -1;
		if (time(NULL) >= until)
			return problem_set(p, 500, "internal", "Migration refused",
					   "another instance has been migrating for over %d s "
					   "(row id 1 of schema_lock)", MIGRATE_LOCK_WAIT_S);
		log_info("migrate: waiting for another instance to finish migrating");
		usleep(250 * 1000);
	}
}

int migrate_run(struct db *db, const char *schema_dir, struct problem *p)
{
	struct mig_file *f = NULL;
	char **list = NULL, owner[64];
	int n = 0, *applied = NULL, rc = -1, locked = 0, done = 0;
	unsigned char rnd[8] = { 0 };
	struct db_param own = DBP_STR(owner);

	if (RAND_bytes(rnd, sizeof(rnd)) != 1)
		rnd[0] = (unsigned char)getpid();
	snprintf(owner, sizeof(owner), "pid %d %02x%02x%02x%02x%02x%02x%02x%02x", (int)getpid(),
		 rnd[0], rnd[1], rnd[2], rnd[3], rnd[4], rnd[5], rnd[6], rnd[7]);
	if (mig_load(schema_dir, &f, &list, &n, p) != 0)
		goto out;
	if (db_exec(db, mig_bootstrap1, NULL, 0, NULL, NULL, p) != 0 ||
	    db_exec(db, mig_bootstrap2, NULL, 0, NULL, NULL, p) != 0 || mig_lock(db, owner, p) != 0)
		goto out;
	locked = 1;
	if ((applied = calloc((size_t)n + 1, sizeof(*applied))) == NULL) {
		problem_internal(p);
		goto out;
	}
	if (mig_compare(db, f, n, applied, p) != 0)
		goto out;
	for (int i = 0; i < n; i++) {
		struct db_param rec[3] = { DBP_I64(f[i].version), DBP_STR(f[i].base), DBP_STR(f[i].checksum) };

		if (applied[i])
			continue;
		log_notice("migrate: applying %s", f[i].base);
		if (db_exec_script(db, f[i].text, f[i].path, p) != 0 ||
		    db_exec(db, mig_record_sql, rec, 3, NULL, NULL, p) != 0) {
			log_err("migrate: %s failed part-way; statements before the failing one "
				"are applied (DDL cannot be rolled back): fix the database or the "
				"migration, then run migrate again", f[i].base);
			goto out;
		}
		done++;
	}
	log_notice("migrate: %d applied, schema at %03u", done, n > 0 ? f[n - 1].version : 0);
	rc = 0;
out:
	if (locked) {
		struct problem ignore = { 0 };

		if (db_exec(db, mig_unlock_sql, &own, 1, NULL, NULL, &ignore) != 0)
			log_warn("migrate: could not release the lock row; it expires by itself");
	}
	free(applied);
	mig_unload(f, list, n);
	return rc;
}

int migrate_check(struct db *db, const char *schema_dir, struct problem *p)
{
	struct mig_file *f = NULL;
	struct db_rows *rows = NULL;
	char **list = NULL;
	int n = 0, *applied = NULL, rc = -1, pending = 0;

	if (mig_load(schema_dir, &f, &list, &n, p) != 0 ||
	    db_query(db, mig_exists_sql, NULL, 0, &rows, p) != 0)
		goto out;
	if (db_cell_i64(rows, 0, 0) == 0) {
		problem_set(p, 500, "internal", "Not migrated",
			    "the database has no schema yet: run `bursard migrate`");
		goto out;
	}
	if ((applied = calloc((size_t)n + 1, sizeof(*applied))) == NULL) {
		problem_internal(p);
		goto out;
	}
	if (mig_compare(db, f, n, applied, p) != 0)
		goto out;
	for (int i = 0; i < n; i++)
		pending += !applied[i];
	if (pending > 0) {
		problem_set(p, 500, "internal", "Not migrated",
			    "%d migration%s pending: run `bursard migrate`", pending, pending > 1 ? "s" : "");
		goto out;
	}
	rc = 0;
out:
	db_rows_free(rows);
	free(applied);
	mig_unload(f, list, n);
	return rc;
}
