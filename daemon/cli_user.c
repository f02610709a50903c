/*
 * cli_user.c - people's accounts from the command line on the server (`bursard
 * user ...`): the only way to create a finance director's or an admin's account,
 * and the way back in for anyone locked out. Every change is audited as the
 * command line. A generated password is printed once, alone on stdout.
 */
#include "cli.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "config.h"
#include "db.h"
#include "log.h"
#include "migrate.h"
#include "password.h"
#include "problem.h"
#include "store.h"
#include "store_users.h"

static const struct audit_actor cli_user_who = { .role = "cli", .request_id = "" };

/* What one command writes, in a transaction of its own. */
struct cli_user_write {
	const struct user_in *u;
	const char *hash;
	int64_t id;
	cJSON *after;
	int disable;                             /* -1: leave; 0 enable; 1 disable */
};

static int cli_user_create_txn(struct db *db, void *arg, struct problem *p)
{
	struct cli_user_write *w = arg;

	cJSON_Delete(w->after);
	w->after = NULL;
	return store_user_create(db, &cli_user_who, w->u, w->hash, &w->id, &w->after, p);
}

/* A password from stdin's first line (without its newline) into buf. 0, or -1. */
static int cli_user_read_password(char *buf, size_t len)
{
	size_t n;

	if (fgets(buf, (int)len, stdin) == NULL)
		return -1;
	n = strcspn(buf, "\r\n");
	buf[n] = '\0';
	return 0;
}

static int cli_user_create(struct db *db, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "email", required_argument, NULL, 'e' }, { "name", required_argument, NULL, 'n' },
		{ "role", required_argument, NULL, 'r' }, { "school", required_argument, NULL, 's' },
		{ "password-stdin", no_argument, NULL, 'p' }, { 0 },
	};
	struct user_in u = { 0 };
	struct problem p = { 0 };
	char pw[PASSWORD_MAX_BYTES + 2], hash[PASSWORD_HASH_MAX], email[256];
	struct cli_user_write w = { 0 };
	const char *why;
	int64_t id;
	int c, from_stdin = 0, rc = 1;
	size_t i;

	optind = 1;
	while ((c = getopt_long(argc, argv, "e:n:r:s:p", opts, NULL)) != -1) {
		switch (c) {
		case 'e':
			for (i = 0; optarg[i] != '\0' && i + 1 < sizeof(email); i++)
				email[i] = (char)(optarg[i] >= 'A' && optarg[i] <= 'Z' ? optarg[i] + 32 : optarg[i]);
			email[i] = '\0';
			u.email = email;
			break;
		case 'n':
			u.display_name = optarg;
			break;
		case 'r':
			u.role = identity_role_parse(optarg);
			break;
		case 's':
			if (u.nurns == USER_MAX_SCHOOLS) {
				fprintf(stderr, "bursard user create: at most %d schools\n", USER_MAX_SCHOOLS);
				return 2;
			}
			u.urns[u.nurns++] = optarg;
			break;
		case 'p':
			from_stdin = 1;
			break;
		default:
			goto usage;
		}
	}
	if (u.email == NULL || u.display_name == NULL || u.role == 0)
		goto usage;
	if (store_user_validate(&u, &p) != 0)
		return cli_fail("user create", &p);
	if (from_stdin) {
		if (cli_user_read_password(pw, sizeof(pw)) != 0) {
			fprintf(stderr, "bursard user create: no password on stdin\n");
			return 1;
		}
		if ((why = password_refusal(pw, u.email, u.display_name)) != NULL) {
			fprintf(stderr, "bursard user create: the password %s\n", why);
			goto out;
		}
	} else if (password_generate(pw, sizeof(pw)) != 0) {
		goto out;
	}
	if (password_hash(pw, hash) != 0)
		goto out;
	w.u = &u;
	w.hash = hash;
	if (db_txn(db, cli_user_create_txn, &w, &p) != 0) {
		rc = cli_fail("user create", &p);
		goto out;
	}
	id = w.id;
	if (!from_stdin)
		printf("%s\n", pw);
	fprintf(stderr, "account %lld created for %s (%s)%s\n", (long long)id, u.email, identity_role_name(u.role),
		from_stdin ? "" : "; its password is shown only this once");
	rc = 0;
out:
	OPENSSL_cleanse(pw, sizeof(pw));
	OPENSSL_cleanse(hash, sizeof(hash));
	cJSON_Delete(w.after);
	return rc;
usage:
	fprintf(stderr, "usage: bursard user create --email EMAIL --name NAME --role ROLE [--school URN]... "
		"[--password-stdin]\n  roles: finance_director, business_manager (with --school), auditor, admin\n");
	return 2;
}

static int cli_user_list(struct db *db)
{
	struct page pg = { 0 };
	struct problem p = { 0 };
	struct db_rows *rows = NULL;

	if (page_parse("1000", NULL, NULL, &pg, &p) != 0)
		return cli_fail("user list", &p);
	printf("%-5s %-17s %-9s %-36s %s\n", "id", "role", "status", "e-mail", "name (schools)");
	for (;;) {
		char cursor[64];
		size_t shown;

		if (store_users_list(db, &pg, &rows, &p) != 0)
			return cli_fail("user list", &p);
		store_list_next(rows, &pg, &shown, cursor, sizeof(cursor));
		for (size_t i = 0; i < shown; i++) {
			cJSON *o = store_user_render_row(rows, i);
			char *schools = o != NULL ? cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(o, "schools")) : NULL;
			int disabled = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "disabled"));
			int locked = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "locked"));

			char e[1024], n[1024];

			/* text from the database, safe for a terminal (log_escape) */
			if (o != NULL)
				printf("%-5lld %-17s %-9s %-36s %s %s\n",
				       (long long)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(o, "id")),
				       cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "role")),
				       disabled ? "disabled" : locked ? "locked" : "active",
				       log_escape(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "email")), e, sizeof(e)),
				       log_escape(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "display_name")), n,
						  sizeof(n)),
				       schools != NULL ? schools : "");
			cJSON_free(schools);
			cJSON_Delete(o);
		}
		db_rows_free(rows);
		rows = NULL;
		if (cursor[0] == '\0' || page_parse(NULL, cursor, NULL, &pg, &p) != 0)
			break;
	}
	return 0;
}

/* The account an argument names (an e-mail address or an id): its id, or -1 (said). */
static int64_t cli_user_find(struct db *db, const char *what, const char *arg)
{
	struct problem p = { 0 };
	int64_t id = 0;
	int rc = store_user_lookup(db, arg, &id, &p);

	if (rc < 0)
		return cli_fail(what, &p), -1;
	if (rc == 0) {
		fprintf(stderr, "bursard %s: no account %s\n", what, arg);
		return -1;
	}
	return id;
}

static int cli_user_update_txn(struct db *db, void *arg, struct problem *p)
{
	struct cli_user_write *w = arg;
	struct user_in u = { 0 };
	const cJSON *it, *schools;
	int64_t version;
	cJSON *o = store_user_get(db, w->id, &version, p);
	int rc;

	if (o == NULL)
		return -1;
	u.email = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "email"));
	u.display_name = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "display_name"));
	u.role = identity_role_parse(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "role")));
	u.locked = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "locked"));
	u.disabled = w->disable;
	schools = cJSON_GetObjectItemCaseSensitive(o, "schools");
	cJSON_ArrayForEach(it, schools)
		if (u.nurns < USER_MAX_SCHOOLS && cJSON_IsString(it))
			u.urns[u.nurns++] = it->valuestring;
	cJSON_Delete(w->after);
	w->after = NULL;
	rc = store_user_update(db, &cli_user_who, w->id, version, &u, &w->after, p);
	cJSON_Delete(o);
	return rc;
}

static int cli_user_reset_txn(struct db *db, void *arg, struct problem *p)
{
	struct cli_user_write *w = arg;

	cJSON_Delete(w->after);
	w->after = NULL;
	return store_user_set_password(db, &cli_user_who, w->id, w->hash, "reset_password", &w->after, p);
}

/* disable, enable, reset: one account named by e-mail or id. */
static int cli_user_change(struct db *db, const char *verb, int argc, char **argv)
{
	struct cli_user_write w = { .disable = strcmp(verb, "disable") == 0 };
	struct problem p = { 0 };
	char what[32], pw[PASSWORD_GEN_LEN + 1], hash[PASSWORD_HASH_MAX];
	int reset = strcmp(verb, "reset") == 0, rc = 1;

	snprintf(what, sizeof(what), "user %s", verb);
	if (argc != 2) {
		fprintf(stderr, "usage: bursard user %s EMAIL|ID\n", verb);
		return 2;
	}
	if ((w.id = cli_user_find(db, what, argv[1])) < 0)
		return 1;
	if (reset) {
		if (password_generate(pw, sizeof(pw)) != 0 || password_hash(pw, hash) != 0)
			goto out;
		w.hash = hash;
	}
	if (db_txn(db, reset ? cli_user_reset_txn : cli_user_update_txn, &w, &p) != 0) {
		rc = cli_fail(what, &p);
		goto out;
	}
	if (reset) {
		printf("%s\n", pw);
		fprintf(stderr, "account %lld has a new password (shown only this once), is unlocked, and its sessions "
			"have ended\n", (long long)w.id);
	} else {
		fprintf(stderr, "account %lld %s\n", (long long)w.id, w.disable ? "disabled; its sessions have ended"
										: "enabled");
	}
	rc = 0;
out:
	if (reset) {
		OPENSSL_cleanse(pw, sizeof(pw));
		OPENSSL_cleanse(hash, sizeof(hash));
	}
	cJSON_Delete(w.after);
	return rc;
}

int cli_user(const struct cfg *cfg, int argc, char **argv)
{
	static const char usage[] = "usage: bursard user create|list|disable|enable|reset ...\n";
	struct problem p = { 0 };
	struct db *db;
	int rc;

	if (argc < 2) {
		fputs(usage, stderr);
		return 2;
	}
	if ((db = db_new(cfg)) == NULL)
		return 1;
	if (db_ensure(db, &p) != 0 || migrate_check(db, cfg->schema_dir, &p) != 0)
		rc = cli_fail("user", &p);
	else if (strcmp(argv[1], "create") == 0)
		rc = cli_user_create(db, argc - 1, argv + 1);
	else if (strcmp(argv[1], "list") == 0)
		rc = cli_user_list(db);
	else if (strcmp(argv[1], "disable") == 0 || strcmp(argv[1], "enable") == 0 || strcmp(argv[1], "reset") == 0)
		rc = cli_user_change(db, argv[1], argc - 1, argv + 1);
	else {
		fputs(usage, stderr);
		rc = 2;
	}
	db_free(db);
	return rc;
}
