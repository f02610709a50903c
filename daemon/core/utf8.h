/*
 * utf8.h - the two UTF-8 facts the daemon needs about untrusted text: whether
 * it is strictly valid, and how many characters it holds (column limits are in
 * characters). Pure; thread-safe.
 */
#ifndef BURSAR_UTF8_H
#define BURSAR_UTF8_H

#include <stddef.h>

/* Strict UTF-8: no NUL bytes, overlong forms, surrogates, or code points past
 * U+10FFFF. 1 valid, 0 not. */
int utf8_valid(const unsigned char *s, size_t n);

/* Characters (code points) of a NUL-terminated valid UTF-8 string. */
size_t utf8_chars(const char *s);

#endif
