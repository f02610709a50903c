/*
 * idemkey.h - the form of an Idempotency-Key header value (api/idem.c checks it
 * before any database work). Pure; thread-safe.
 */
#ifndef BURSAR_IDEMKEY_H
#define BURSAR_IDEMKEY_H

#define IDEMKEY_MAX 200                      /* characters */

/* 1 when key (NULL: none given) is 1..IDEMKEY_MAX printable ASCII characters
 * ('!'..'~', so no spaces or control characters), else 0. */
int idemkey_valid(const char *key);

#endif
