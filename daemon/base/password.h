/*
 * password.h - people's passwords (DESIGN.md "People and sign-in"): hashed with
 * libsodium's crypto_pwhash_str (Argon2id, the interactive limits), never logged
 * or stored; at least 12 characters, no composition rules, refused when common
 * (NCSC's advice).
 *
 * Thread-safe once password_init has run (call it before starting threads).
 */
#ifndef BURSAR_PASSWORD_H
#define BURSAR_PASSWORD_H

#include <stddef.h>

#define PASSWORD_MIN_CHARS 12
#define PASSWORD_MAX_BYTES 1024
#define PASSWORD_HASH_MAX 128                   /* crypto_pwhash_STRBYTES */
#define PASSWORD_GEN_LEN 24                     /* "xxxx-xxxx-xxxx-xxxx-xxxx" */

/* libsodium's set-up. 0 ok, -1 when it cannot run (logged). */
int password_init(void) __attribute__((warn_unused_result));

/* Why pw may not be a password (a sentence for a person), or NULL when it may.
 * email and name (may be NULL) are the account's: a password equal to either is refused. */
const char *password_refusal(const char *pw, const char *email, const char *name);

/* The Argon2id hash of pw into out. 0 ok, -1 when out of memory (logged). */
int password_hash(const char *pw, char out[PASSWORD_HASH_MAX]) __attribute__((warn_unused_result));

/*
 * Whether pw matches hash: 1 yes, 0 no. hash NULL: checks against a fixed hash so
 * an unknown account costs as much time as a known one (the answer is 0).
 */
int password_matches(const char *hash, const char *pw);

/* A new random password a person can type (PASSWORD_GEN_LEN characters, lower-case
 * letters and digits in groups of four) into buf (>= PASSWORD_GEN_LEN + 1). 0, or -1. */
int password_generate(char *buf, size_t len) __attribute__((warn_unused_result));

/* The sorted, lower-case list of common passwords (password_list.c). */
extern const char *const password_common[];
extern const size_t password_ncommon;

#endif
