/*
 * store_users.h - people's accounts (DESIGN.md "People and sign-in"): create, read,
 * list, change, set a new password, and find one by e-mail to sign in. Each change
 * is audited in the same transaction; disabling an account or setting its password
 * ends its sessions. Shared by the command line (bursard user ...), the demo seed
 * and the admin API. Passwords arrive here already hashed (base/password.h).
 *
 * An account's image: {id, email, display_name, role, schools: [urn], disabled,
 * locked, version, created_at, updated_at}: never the hash.
 *
 * Thread: as db.h.
 */
#ifndef BURSAR_STORE_USERS_H
#define BURSAR_STORE_USERS_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "audit.h"
#include "db.h"
#include "identity.h"
#include "page.h"
#include "password.h"
#include "problem.h"

#define USER_MAX_SCHOOLS 64

/* An account as written; strings borrowed. */
struct user_in {
	const char *email;                       /* lower-cased by the caller */
	const char *display_name;
	unsigned role;                           /* ROLE_FINANCE_DIRECTOR, _BUSINESS_MANAGER, _AUDITOR, _ADMIN */
	size_t nurns;
	const char *urns[USER_MAX_SCHOOLS];      /* a business manager's schools (at least one); none for the others */
	int disabled, locked;                    /* a change only */
};

/*
 * The rules every account keeps, whoever writes it: 422 naming the field (the
 * JSON Pointer of the API's body: /email, /role, /schools/1 ...) when a role has
 * the wrong schools, a school is listed twice, or an e-mail address is not one.
 */
int store_user_validate(const struct user_in *u, struct problem *p) __attribute__((warn_unused_result));

/* Insert an account (password_hash: crypto_pwhash_str's) inside the caller's
 * transaction: 409 at /email when the address is taken, 422 for an unknown school. */
int store_user_create(struct db *db, const struct audit_actor *who, const struct user_in *u,
		      const char *password_hash, int64_t *id, cJSON **after, struct problem *p)
	__attribute__((warn_unused_result));

/* Account id's image (404 when none). */
cJSON *store_user_get(struct db *db, int64_t id, int64_t *version, struct problem *p);

/* A page of accounts (keyset on updated_at, id); the rows' schools_json is the
 * image's schools (store_user_render turns a row into the image). */
int store_users_list(struct db *db, const struct page *pg, struct db_rows **rows, struct problem *p)
	__attribute__((warn_unused_result));
cJSON *store_user_render_row(const struct db_rows *rows, size_t i);

/* Change account id at want_version (412 when it moved): e-mail, name, role,
 * schools, disabled, locked. Disabling ends its sessions. Inside the caller's transaction. */
int store_user_update(struct db *db, const struct audit_actor *who, int64_t id, int64_t want_version,
		      const struct user_in *u, cJSON **after, struct problem *p) __attribute__((warn_unused_result));

/* Give account id a new password hash whatever its version: unlocks it, ends its
 * sessions, audited as action (e.g. "reset_password", "change_password"). */
int store_user_set_password(struct db *db, const struct audit_actor *who, int64_t id, const char *password_hash,
			    const char *action, cJSON **after, struct problem *p) __attribute__((warn_unused_result));

/* Lock account id after too many failed sign-ins (audited "lock"); nothing when
 * it is already locked. */
int store_user_lock(struct db *db, const struct audit_actor *who, int64_t id, struct problem *p)
	__attribute__((warn_unused_result));

/* What signing in needs of the account with this e-mail. */
struct user_signin {
	int64_t id;
	unsigned role;
	int disabled, locked;
	char hash[PASSWORD_HASH_MAX];
	char name[IDENTITY_NAME_MAX];            /* "Display Name (email)" */
};

/* 1 with *u filled when an account has this e-mail, 0 when none, -1 with the problem. */
int store_user_find(struct db *db, const char *email, struct user_signin *u, struct problem *p)
	__attribute__((warn_unused_result));

/* Account id by e-mail or id text (the command line's argument): 1 found, 0 not, -1. */
int store_user_lookup(struct db *db, const char *email_or_id, int64_t *id, struct problem *p)
	__attribute__((warn_unused_result));

#endif
