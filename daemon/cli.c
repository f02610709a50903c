/* cli.c - see cli.h */
#include "cli.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "auth.h"
#include "config.h"
#include "db.h"
#include "log.h"
#include "migrate.h"
#include "problem.h"
#include "seed.h"
#include "store_tokens.h"

/* Text from the database or the user, safe for a terminal (log_escape): a token
 * label with ESC must not drive the operator's screen. */
#define CLI_ESC(buf, s) log_escape((s) != NULL ? (s) : "", buf, sizeof(buf))

int cli_fail(const char *what, const struct problem *p)
{
	char a[1024], b[1024];

	fprintf(stderr, "bursard %s: %s\n", what, p->detail[0] ? CLI_ESC(a, p->detail) : "failed (see the log)");
	for (size_t i = 0; i < p->nerrors; i++)
		fprintf(stderr, "  %s: %s\n", CLI_ESC(a, p->errors[i].field), CLI_ESC(b, p->errors[i].message));
	return 1;
}

int cli_migrate(const struct cfg *cfg)
{
	struct db *db = db_new(cfg);
	struct problem p = { 0 };
	int rc;

	if (db == NULL)
		return 1;
	db_set_batch(db);
	rc = db_ensure(db, &p) == 0 && migrate_run(db, cfg->schema_dir, &p) == 0 ? 0 : cli_fail("migrate", &p);
	db_free(db);
	return rc;
}

int cli_seed(const struct cfg *cfg, int argc, char **argv)
{
	static const struct option opts[] = { { "tokens", required_argument, NULL, 't' },
					      { "users", required_argument, NULL, 'u' }, { 0 } };
	const char *tokens = NULL, *users = NULL;
	struct problem p = { 0 };
	struct db *db;
	int c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "t:u:", opts, NULL)) != -1) {
		if (c == 't') {
			tokens = optarg;
		} else if (c == 'u') {
			users = optarg;
		} else {
			fprintf(stderr, "usage: bursard seed [--tokens FILE] [--users FILE]\n");
			return 2;
		}
	}
	if ((db = db_new(cfg)) == NULL)
		return 1;
	db_set_batch(db);
	if (db_ensure(db, &p) != 0 || migrate_check(db, cfg->schema_dir, &p) != 0)
		rc = cli_fail("seed", &p);
	else if ((rc = seed_run(db, cfg->schema_dir, cfg->clock_today, tokens, users, &p)) < 0)
		rc = cli_fail("seed", &p);
	else
		rc = 0;
	db_free(db);
	return rc;
}

static int cli_token_create(struct db *db, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "role", required_argument, NULL, 'r' }, { "school", required_argument, NULL, 's' },
		{ "label", required_argument, NULL, 'l' }, { 0 },
	};
	struct audit_actor who = { .token_id = 0, .role = "cli", .request_id = "" };
	struct token_new t = { 0 };
	struct problem p = { 0 };
	char tok[BEARER_LEN + 1];
	int64_t id;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "r:s:l:", opts, NULL)) != -1) {
		switch (c) {
		case 'r':
			if ((t.role = identity_role_parse(optarg)) == 0) {
				fprintf(stderr, "bursard token create: unknown role %s (finance_director, "
					"business_manager, school_system, auditor, admin)\n", optarg);
				return 2;
			}
			break;
		case 's':
			if (t.nurns == TOKEN_NEW_MAX_SCHOOLS) {
				fprintf(stderr, "bursard token create: at most %d schools\n", TOKEN_NEW_MAX_SCHOOLS);
				return 2;
			}
			t.urns[t.nurns++] = optarg;
			break;
		case 'l':
			t.label = optarg;
			break;
		default:
			goto usage;
		}
	}
	if (t.role == 0 || t.label == NULL)
		goto usage;
	if (store_tokens_create(db, &who, &t, tok, &id, &p) != 0)
		return cli_fail("token create", &p);
	/* the token itself on stdout, alone, so scripts can capture it */
	printf("%s\n", tok);
	fprintf(stderr, "token %lld created for %s; it is shown only this once\n", (long long)id,
		identity_role_name(t.role));
	OPENSSL_cleanse(tok, sizeof(tok));
	return 0;
usage:
	fprintf(stderr, "usage: bursard token create --role ROLE [--school URN]... --label TEXT\n");
	return 2;
}

static int cli_token_list(struct db *db)
{
	struct problem p = { 0 };
	cJSON *arr = store_tokens_list(db, &p), *o;

	if (arr == NULL)
		return cli_fail("token list", &p);
	printf("%-5s %-17s %-28s %-12s %s\n", "id", "role", "created", "status", "label (schools)");
	cJSON_ArrayForEach(o, arr) {
		cJSON *schools = cJSON_GetObjectItemCaseSensitive(o, "schools");
		char *s = cJSON_PrintUnformatted(schools);
		const char *revoked = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "revoked_at"));
		char label[1024];

		printf("%-5d %-17s %-28s %-12s %s %s\n",
		       (int)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(o, "id")),
		       cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "role")),
		       cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "created_at")),
		       revoked != NULL ? "revoked" : "active",
		       CLI_ESC(label, cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "label"))),
		       s ? s : "");
		cJSON_free(s);
	}
	cJSON_Delete(arr);
	return 0;
}

static int cli_token_revoke(struct db *db, int argc, char **argv)
{
	struct audit_actor who = { .token_id = 0, .role = "cli", .request_id = "" };
	struct problem p = { 0 };
	char *end;
	long long id;

	if (argc != 2 || (id = strtoll(argv[1], &end, 10)) <= 0 || *end != '\0') {
		fprintf(stderr, "usage: bursard token revoke ID\n");
		return 2;
	}
	if (store_tokens_revoke(db, &who, id, &p) != 0)
		return cli_fail("token revoke", &p);
	fprintf(stderr, "token %lld revoked\n", id);
	return 0;
}

int cli_token(const struct cfg *cfg, int argc, char **argv)
{
	struct problem p = { 0 };
	struct db *db;
	int rc;

	if (argc < 2) {
		fprintf(stderr, "usage: bursard token create|list|revoke ...\n");
		return 2;
	}
	if ((db = db_new(cfg)) == NULL)
		return 1;
	if (db_ensure(db, &p) != 0 || migrate_check(db, cfg->schema_dir, &p) != 0)
		rc = cli_fail("token", &p);
	else if (strcmp(argv[1], "create") == 0)
		rc = cli_token_create(db, argc - 1, argv + 1);
	else if (strcmp(argv[1], "list") == 0)
		rc = cli_token_list(db);
	else if (strcmp(argv[1], "revoke") == 0)
		rc = cli_token_revoke(db, argc - 1, argv + 1);
	else {
		fprintf(stderr, "usage: bursard token create|list|revoke ...\n");
		rc = 2;
	}
	db_free(db);
	return rc;
}
