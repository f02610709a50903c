/*
 * sha256.h - SHA-256 through OpenSSL's EVP, the digest fetched from the
 * default provider once per process. EVP_sha256() makes every EVP_Digest and
 * EVP_DigestInit_ex look the implementation up again (an rwlock and a
 * reference count a call): on the read path, where every bearer token and
 * every ETag is hashed, that showed in the profile.
 */
#ifndef BURSAR_SHA256_H
#define BURSAR_SHA256_H

#include <stddef.h>

#include <openssl/evp.h>

#define SHA256_LEN 32

/* The digest for EVP_DigestInit_ex (never NULL; never to be freed). */
const EVP_MD *sha256_md(void);

/* out = SHA-256(data[0..n)); 0, or -1 when OpenSSL fails. */
int sha256(const void *data, size_t n, unsigned char out[SHA256_LEN]);

#endif
