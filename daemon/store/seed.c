/* seed.c - see seed.h */
#include "seed.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "audit.h"
#include "identity.h"
#include "db.h"
#include "log.h"
#include "migrate.h"
#include "password.h"
#include "store_tokens.h"
#include "store_users.h"

#define SEED_NTOKENS 5
#define SEED_NUSERS 4

struct seed_arg {
	const char *dir;
	int32_t today;                           /* days since the epoch, or -1: the real date */
	int want_tokens;
	char tokens[SEED_NTOKENS][BEARER_LEN + 1];
	const char *labels[SEED_NTOKENS];
	unsigned roles[SEED_NTOKENS];
	int want_users;
	char passwords[SEED_NUSERS][PASSWORD_GEN_LEN + 1];
	char hashes[SEED_NUSERS][PASSWORD_HASH_MAX];
};

/* The demo's people: one per role a person has (school systems are machines). */
static const struct {
	unsigned role;
	const char *email, *name;
} seed_people[SEED_NUSERS] = {
	{ ROLE_FINANCE_DIRECTOR, "finance.director@trust.example", "Farah Dixon" },
	{ ROLE_BUSINESS_MANAGER, "business.manager@school.example", "Bea Morgan" },
	{ ROLE_AUDITOR, "auditor@audit.example", "Aled Turner" },
	{ ROLE_ADMIN, "admin@trust.example", "Adi Mensah" },
};

static const char seed_count_sql[] = "SELECT COUNT(*) FROM schools";
/* The session's clock (CURDATE(), UTC_TIMESTAMP()) at the start of a pinned day:
 * the seed's dates are relative to "today", which clock.today may pin (DESIGN.md
 * "Wire format"), and its rows' times are that day's. */
static const char seed_clock_sql[] = "SET @@timestamp = ?";
static const char seed_clock_reset_sql[] = "SET @@timestamp = DEFAULT";
static const char seed_first_school_sql[] =
	"SELECT urn FROM schools WHERE kind = 'school' ORDER BY urn LIMIT 1";

static int seed_txn(struct db *db, void *arg, struct problem *p)
{
	struct seed_arg *a = arg;
	struct audit_actor who = { .token_id = 0, .role = "cli", .request_id = "seed" };
	struct db_rows *rows = NULL;
	char **files = NULL, urn[8] = "";
	int n, rc = -1;

	if (a->today >= 0) {
		struct db_param at = DBP_I64((int64_t)a->today * 86400);

		if (db_exec(db, seed_clock_sql, &at, 1, NULL, NULL, p) != 0)
			return -1;
	}
	if ((n = migrate_list(a->dir, &files)) < 0)
		return problem_set(p, 500, "internal", "Seed failed", "cannot read %s", a->dir);
	if (n == 0) {
		problem_set(p, 500, "internal", "Seed failed", "%s holds no NNN_name.sql files", a->dir);
		goto out;
	}
	for (int i = 0; i < n; i++) {
		char *text = migrate_read_file(files[i], NULL);
		int e;

		if (text == NULL) {
			problem_set(p, 500, "internal", "Seed failed", "cannot read %s", files[i]);
			goto out;
		}
		log_info("seed: loading %s", files[i]);
		e = db_exec_script(db, text, files[i], p);
		free(text);
		if (e != 0)
			goto out;
	}
	if (audit_write(db, &who, "seed", "trust", "demo", NULL, NULL, p) != 0)
		goto out;
	if (!a->want_tokens && !a->want_users) {
		rc = 0;
		goto out;
	}
	if (db_query(db, seed_first_school_sql, NULL, 0, &rows, p) != 0)
		goto out;
	if (rows->nrows == 1)
		snprintf(urn, sizeof(urn), "%s", db_cell(rows, 0, 0));
	for (int i = 0; a->want_tokens && i < SEED_NTOKENS; i++) {
		struct token_new t = { .role = a->roles[i], .label = a->labels[i] };
		int64_t id;

		if (a->roles[i] & (ROLE_BUSINESS_MANAGER | ROLE_SCHOOL_SYSTEM)) {
			t.nurns = 1;
			t.urns[0] = urn;
		}
		if (store_tokens_create_in_txn(db, &who, &t, a->tokens[i], &id, p) != 0)
			goto out;
	}
	for (int i = 0; a->want_users && i < SEED_NUSERS; i++) {
		struct user_in u = { .email = seed_people[i].email, .display_name = seed_people[i].name,
				     .role = seed_people[i].role };
		cJSON *after = NULL;
		int64_t id;

		if (u.role == ROLE_BUSINESS_MANAGER) {
			u.nurns = 1;
			u.urns[0] = urn;
		}
		if (store_user_create(db, &who, &u, a->hashes[i], &id, &after, p) != 0)
			goto out;
		cJSON_Delete(after);
	}
	rc = 0;
out:
	db_rows_free(rows);
	migrate_free_list(files, n);
	return rc;
}

static int seed_write_file(const char *path, const struct seed_arg *a, int users)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	FILE *f;

	if (fd < 0 || fchmod(fd, 0600) != 0 || (f = fdopen(fd, "w")) == NULL) {
		log_err("seed: %s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	for (int i = 0; !users && i < SEED_NTOKENS; i++)
		fprintf(f, "%s\t%s\t%s\n", identity_role_name(a->roles[i]), a->tokens[i], a->labels[i]);
	for (int i = 0; users && i < SEED_NUSERS; i++)
		fprintf(f, "%s\t%s\t%s\n", identity_role_name(seed_people[i].role), seed_people[i].email,
			a->passwords[i]);
	if (fclose(f) != 0) {
		log_err("seed: %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

int seed_run(struct db *db, const char *schema_dir, int32_t today, const char *tokens_path, const char *users_path,
	     struct problem *p)
{
	struct seed_arg a = {
		.today = today,
		.want_tokens = tokens_path != NULL,
		.want_users = users_path != NULL,
		.roles = { ROLE_FINANCE_DIRECTOR, ROLE_BUSINESS_MANAGER, ROLE_SCHOOL_SYSTEM,
			   ROLE_AUDITOR, ROLE_ADMIN },
		.labels = { "demo finance director", "demo business manager (first school)",
			    "demo school system (first school)", "demo auditor", "demo admin" },
	};
	struct db_rows *rows = NULL;
	char dir[4096];
	int64_t count;
	int rc;

	if (db_query(db, seed_count_sql, NULL, 0, &rows, p) != 0)
		return -1;
	count = db_cell_i64(rows, 0, 0);
	db_rows_free(rows);
	if (count > 0) {
		log_notice("seed: the database already holds %lld entities; nothing loaded", (long long)count);
		return 0;
	}
	snprintf(dir, sizeof(dir), "%s/seed", schema_dir);
	a.dir = dir;
	/* hashed before the transaction: Argon2id takes a while and needs no locks */
	for (int i = 0; a.want_users && i < SEED_NUSERS; i++)
		if (password_generate(a.passwords[i], sizeof(a.passwords[i])) != 0 ||
		    password_hash(a.passwords[i], a.hashes[i]) != 0)
			return problem_internal(p);
	rc = db_txn(db, seed_txn, &a, p);
	if (today >= 0) {
		struct problem ignore = { 0 };

		if (db_exec(db, seed_clock_reset_sql, NULL, 0, NULL, NULL, &ignore) != 0)
			log_warn("seed: could not give the session its own clock back");
	}
	if (rc != 0)
		return -1;
	rc = 1;
	if (tokens_path != NULL && seed_write_file(tokens_path, &a, 0) != 0) {
		problem_set(p, 500, "internal", "Seed failed",
			    "the demo trust is loaded but %s could not be written: create tokens "
			    "with `bursard token create`", tokens_path);
		rc = -1;
	}
	if (users_path != NULL && seed_write_file(users_path, &a, 1) != 0) {
		problem_set(p, 500, "internal", "Seed failed",
			    "the demo trust is loaded but %s could not be written: give the accounts new passwords "
			    "with `bursard user reset EMAIL`", users_path);
		rc = -1;
	}
	OPENSSL_cleanse(a.tokens, sizeof(a.tokens));
	OPENSSL_cleanse(a.passwords, sizeof(a.passwords));
	log_notice("seed: the demo trust is loaded");
	return rc;
}
