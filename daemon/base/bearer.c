/* bearer.c - see bearer.h */
#include "bearer.h"

#include <string.h>
#include <strings.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "sha256.h"

static const char token_b64url[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

int bearer_generate(char *buf, size_t len)
{
	uint8_t raw[32];
	size_t n = 0;

	if (len < BEARER_LEN + 1 || RAND_bytes(raw, sizeof(raw)) != 1)
		return -1;
	memcpy(buf, "bt_", 3);
	n = 3;
	/* base64url without padding: 32 bytes -> 43 characters */
	for (size_t i = 0; i < sizeof(raw); i += 3) {
		uint32_t v = (uint32_t)raw[i] << 16;
		size_t left = sizeof(raw) - i;

		if (left > 1)
			v |= (uint32_t)raw[i + 1] << 8;
		if (left > 2)
			v |= raw[i + 2];
		buf[n++] = token_b64url[(v >> 18) & 63];
		buf[n++] = token_b64url[(v >> 12) & 63];
		if (left > 1)
			buf[n++] = token_b64url[(v >> 6) & 63];
		if (left > 2)
			buf[n++] = token_b64url[v & 63];
	}
	buf[n] = '\0';
	OPENSSL_cleanse(raw, sizeof(raw));
	return 0;
}

int bearer_hash(const char *token, size_t len, uint8_t out[BEARER_HASH_LEN])
{
	_Static_assert(BEARER_HASH_LEN == SHA256_LEN, "a bearer hash is a SHA-256");
	return sha256(token, len, out);
}

const char *bearer_from_header(const char *header, size_t *len)
{
	const char *t;
	size_t n;

	if (header == NULL || strncasecmp(header, "Bearer", 6) != 0 || header[6] != ' ')
		return NULL;
	t = header + 6;
	while (*t == ' ')
		t++;
	n = strlen(t);
	while (n > 0 && t[n - 1] == ' ')
		n--;
	if (n == 0 || n > 512)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (t[i] <= ' ' || t[i] > '~')
			return NULL;
	*len = n;
	return t;
}

int bearer_hash_equal(const uint8_t a[BEARER_HASH_LEN], const uint8_t b[BEARER_HASH_LEN])
{
	return CRYPTO_memcmp(a, b, BEARER_HASH_LEN) == 0;
}

const char *bearer_from_cookie(const char *header, const char *name, size_t *len)
{
	size_t nlen = strlen(name);
	const char *c = header;

	while (c != NULL && *c != '\0') {
		while (*c == ' ' || *c == '\t')
			c++;
		if (strncmp(c, name, nlen) == 0 && c[nlen] == '=') {
			const char *v = c + nlen + 1;
			size_t n = strcspn(v, ";");

			while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == '\t'))
				n--;
			if (n == 0)
				return NULL;
			*len = n;
			return v;
		}
		if ((c = strchr(c, ';')) != NULL)
			c++;
	}
	return NULL;
}
