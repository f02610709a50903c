/*
 * store_profiles.h - the monthly profiles (schema/017 profiles; README "Profiles"): every
 * profile's weights for splitting budgets (api/budget_months.h), and the profiles' list, read
 * and writes, each write audited in the caller's transaction (store.h; entity "profile",
 * id its name). A profile named by an account's default or a budget line cannot be deleted.
 */
#ifndef BURSAR_STORE_PROFILES_H
#define BURSAR_STORE_PROFILES_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "page.h"
#include "profile.h"
#include "store.h"

/* A profile's name and weights (each valid: a row whose text is not is left out, logged). */
struct store_profile {
	char name[PROFILE_NAME_MAX + 1];
	int32_t w[PROFILE_MONTHS];
};

/* An account's default profile (accounts.default_profile). */
struct store_profile_default {
	int64_t account_id;
	char name[PROFILE_NAME_MAX + 1];
};

/* What splits budget lines: every profile by name, every account's default (those that name one,
 * by account id). */
struct store_profile_book {
	struct store_profile *p;
	size_t n;
	struct store_profile_default *d;
	size_t nd;
};

/* Read the book (b zeroed first). 0, or -1 with the problem set; free with
 * store_profiles_book_free either way. */
int store_profiles_book(struct db *db, struct store_profile_book *b, struct problem *p)
	__attribute__((warn_unused_result));
void store_profiles_book_free(struct store_profile_book *b);   /* NULL ok */

/* The profile of this name, or NULL (b NULL too). */
const struct store_profile *store_profiles_find(const struct store_profile_book *b, const char *name);
/* The default profile's name of the account with this id, or NULL (none: even). */
const char *store_profiles_default(const struct store_profile_book *b, int64_t account_id);

/* ---- the profiles as a resource: {"name","description","weights_bp","version","created_at",
 * "updated_at"} ---- */

/* A profile as written: name [a-z][a-z0-9_]{0,31}, description (<= 200 characters), weights valid. */
struct profile_in {
	const char *name;
	const char *description;
	int32_t w[PROFILE_MONTHS];
};

/* Every profile by name, as an array of images (the caller's); NULL with the problem set. */
cJSON *store_profiles_list(struct db *db, struct problem *p);

/* One profile's image (the caller's) and version; NULL with 404 when there is none. */
cJSON *store_profile_get(struct db *db, const char *name, int64_t *version, struct problem *p);

/* In a transaction, audited (entity "profile", id the name). A name another profile has: 409. */
int store_profile_create(struct db *db, const struct audit_actor *who, const struct profile_in *in, cJSON **after,
			 struct problem *p) __attribute__((warn_unused_result));
/* The description and weights of profile in->name at want_version (404, 412). */
int store_profile_update(struct db *db, const struct audit_actor *who, int64_t want_version,
			 const struct profile_in *in, cJSON **after, struct problem *p)
	__attribute__((warn_unused_result));
/* 409 profile-in-use while an account's default or a budget line names it (naming which). */
int store_profile_delete(struct db *db, const struct audit_actor *who, const char *name, int64_t want_version,
			 struct problem *p) __attribute__((warn_unused_result));

#endif
