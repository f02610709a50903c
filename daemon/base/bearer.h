/*
 * bearer.h - bearer tokens: 32 random bytes (RAND_bytes) written as "bt_" and
 * base64url, stored only as their SHA-256 (EVP_Digest). Pure apart from the
 * random source. Thread-safe.
 */
#ifndef BURSAR_BEARER_H
#define BURSAR_BEARER_H

#include <stddef.h>
#include <stdint.h>

#define BEARER_LEN       46                   /* "bt_" + 43 base64url characters */
#define BEARER_HASH_LEN  32

/* A new random token into buf (>= BEARER_LEN + 1). 0 ok, -1 if no randomness. */
int bearer_generate(char *buf, size_t len) __attribute__((warn_unused_result));

/* SHA-256 of the token text. 0 ok, -1 on a libcrypto failure. */
int bearer_hash(const char *token, size_t len, uint8_t out[BEARER_HASH_LEN])
	__attribute__((warn_unused_result));

/*
 * The token of an Authorization header value: "Bearer <token>" (scheme
 * case-insensitive, one or more spaces). Returns a pointer into header and its
 * length, or NULL when the header is not a well-formed bearer token.
 */
const char *bearer_from_header(const char *header, size_t *len);

/*
 * The value of cookie name in a Cookie header value ("a=1; name=value; b=2"), or
 * NULL when it is absent or empty. Returns a pointer into header and its length.
 */
const char *bearer_from_cookie(const char *header, const char *name, size_t *len);

/* Constant-time comparison of two hashes (CRYPTO_memcmp). 1 equal, 0 not. */
int bearer_hash_equal(const uint8_t a[BEARER_HASH_LEN], const uint8_t b[BEARER_HASH_LEN]);

#endif
