/*
 * token.h - bearer tokens: 32 random bytes (RAND_bytes) written as "bt_" and
 * base64url, stored only as their SHA-256 (EVP_Digest). Pure apart from the
 * random source. Thread-safe.
 */
#ifndef BURSAR_TOKEN_H
#define BURSAR_TOKEN_H

#include <stddef.h>
#include <stdint.h>

#define TOKEN_LEN       46                   /* "bt_" + 43 base64url characters */
#define TOKEN_HASH_LEN  32

/* A new random token into buf (>= TOKEN_LEN + 1). 0 ok, -1 if no randomness. */
int token_generate(char *buf, size_t len) __attribute__((warn_unused_result));

/* SHA-256 of the token text. 0 ok, -1 on a libcrypto failure. */
int token_hash(const char *token, size_t len, uint8_t out[TOKEN_HASH_LEN])
	__attribute__((warn_unused_result));

/*
 * The token of an Authorization header value: "Bearer <token>" (scheme
 * case-insensitive, one or more spaces). Returns a pointer into header and its
 * length, or NULL when the header is not a well-formed bearer token.
 */
const char *token_from_header(const char *header, size_t *len);

/* Constant-time comparison of two hashes (CRYPTO_memcmp). 1 equal, 0 not. */
int token_hash_equal(const uint8_t a[TOKEN_HASH_LEN], const uint8_t b[TOKEN_HASH_LEN]);

#endif
