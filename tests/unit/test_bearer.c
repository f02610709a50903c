/* test_token.c - unit tests for daemon/token.c */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "bearer.h"

static int b64url_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '_';
}

static void hex(const uint8_t *b, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[b[i] >> 4];
		out[2 * i + 1] = digits[b[i] & 15];
	}
	out[2 * n] = '\0';
}

static void test_generate(void **state)
{
	char a[BEARER_LEN + 1], b[BEARER_LEN + 1];
	int seen[64] = { 0 }, distinct = 0;

	(void)state;
	assert_int_equal(BEARER_LEN, 46);
	assert_int_equal(bearer_generate(a, sizeof(a)), 0);
	assert_int_equal(bearer_generate(b, sizeof(b)), 0);
	assert_int_equal(strlen(a), 46);
	assert_int_equal(strlen(b), 46);
	assert_memory_equal(a, "bt_", 3);
	assert_memory_equal(b, "bt_", 3);
	for (size_t i = 3; i < BEARER_LEN; i++) {
		if (!b64url_char(a[i]) || !b64url_char(b[i]))
			fail_msg("not base64url at %zu: %s / %s\n", i, a, b);
	}
	assert_string_not_equal(a, b);

	/*
	 * 32 bytes = 256 bits into 43 characters: the last carries 4 bits, so
	 * its low two bits are 0 ("AEIMQUYcgkosw048").
	 */
	for (int k = 0; k < 50; k++) {
		const char *p;

		assert_int_equal(bearer_generate(a, sizeof(a)), 0);
		assert_non_null(p = strchr("AEIMQUYcgkosw048", a[BEARER_LEN - 1]));
		for (size_t i = 3; i < BEARER_LEN; i++) {
			const char *c = strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", a[i]);

			assert_non_null(c);
			if (!seen[c - "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"]++)
				distinct++;
		}
	}
	/* 50 * 43 characters from 64: all of them turn up (odds against ~1e-40) */
	assert_int_equal(distinct, 64);
}

static void test_generate_small_buffer(void **state)
{
	char buf[BEARER_LEN + 1];

	(void)state;
	memset(buf, 'x', sizeof(buf));
	assert_int_equal(bearer_generate(buf, BEARER_LEN), -1);
	assert_int_equal(buf[0], 'x');
	assert_int_equal(bearer_generate(buf, 0), -1);
}

static void test_hash(void **state)
{
	uint8_t h[BEARER_HASH_LEN], h2[BEARER_HASH_LEN];
	char text[2 * BEARER_HASH_LEN + 1];

	(void)state;
	/* FIPS 180-2 test vectors */
	assert_int_equal(bearer_hash("abc", 3, h), 0);
	hex(h, sizeof(h), text);
	assert_string_equal(text, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	assert_int_equal(bearer_hash("", 0, h), 0);
	hex(h, sizeof(h), text);
	assert_string_equal(text, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	/* only len bytes are hashed */
	assert_int_equal(bearer_hash("abcdef", 3, h2), 0);
	hex(h2, sizeof(h2), text);
	assert_string_equal(text, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void test_hash_equal(void **state)
{
	uint8_t a[BEARER_HASH_LEN], b[BEARER_HASH_LEN];

	(void)state;
	assert_int_equal(bearer_hash("bt_one", 6, a), 0);
	assert_int_equal(bearer_hash("bt_one", 6, b), 0);
	assert_int_equal(bearer_hash_equal(a, b), 1);
	assert_int_equal(bearer_hash_equal(a, a), 1);
	assert_int_equal(bearer_hash("bt_two", 6, b), 0);
	assert_int_equal(bearer_hash_equal(a, b), 0);
	/* a difference in the first or the last byte only */
	memcpy(b, a, sizeof(a));
	b[0] ^= 1;
	assert_int_equal(bearer_hash_equal(a, b), 0);
	memcpy(b, a, sizeof(a));
	b[BEARER_HASH_LEN - 1] ^= 0x80;
	assert_int_equal(bearer_hash_equal(a, b), 0);
}

static void header_ok(const char *h, const char *want)
{
	size_t len = 9999;
	const char *t = bearer_from_header(h, &len);

	if (t == NULL)
		fail_msg("\"%s\" rejected\n", h);
	if (len != strlen(want) || memcmp(t, want, len) != 0)
		fail_msg("\"%s\" gave \"%.*s\", want \"%s\"\n", h, (int)len, t, want);
	/* a pointer into the header, not a copy */
	assert_true(t >= h && t + len <= h + strlen(h));
}

static void header_bad(const char *h)
{
	size_t len = 9999;
	const char *t = bearer_from_header(h, &len);

	if (t != NULL)
		fail_msg("\"%s\" accepted as \"%.*s\"\n", h, (int)len, t);
	assert_int_equal(len, 9999);
}

static void test_from_header(void **state)
{
	char gen[BEARER_LEN + 1], h[BEARER_LEN + 8];

	(void)state;
	header_ok("Bearer x", "x");
	header_ok("bearer x", "x");
	header_ok("BEARER x", "x");
	header_ok("BeArEr x", "x");
	header_ok("Bearer   x  ", "x");
	header_ok("Bearer bt_abc-DEF_123", "bt_abc-DEF_123");
	header_ok("Bearer abc+/=~.", "abc+/=~.");
	assert_int_equal(bearer_generate(gen, sizeof(gen)), 0);
	snprintf(h, sizeof(h), "Bearer %s", gen);
	header_ok(h, gen);

	header_bad(NULL);
	header_bad("");
	header_bad("Basic x");
	header_bad("Basic dXNlcjpwYXNz");
	header_bad("Bearer");
	header_bad("Bearer ");
	header_bad("Bearer    ");
	header_bad("Bearerx");
	header_bad("Bearer:x");
	header_bad("Bear x");
	header_bad(" Bearer x");
	header_bad("Bearer\tx");
	header_bad("Token x");
	/* one token: no spaces, controls or non-ASCII inside */
	header_bad("Bearer x y");
	header_bad("Bearer x\ty");
	header_bad("Bearer x\t");
	header_bad("Bearer x\r\n");
	header_bad("Bearer x\x01");
	header_bad("Bearer \x7f");
	header_bad("Bearer caf\xc3\xa9");
}

static void test_from_header_length(void **state)
{
	char h[600], want[513];

	(void)state;
	/* 512 characters are the most */
	memset(want, 'a', 512);
	want[512] = '\0';
	snprintf(h, sizeof(h), "Bearer %s", want);
	header_ok(h, want);
	snprintf(h, sizeof(h), "Bearer %s ", want);       /* trailing space is not counted */
	header_ok(h, want);
	snprintf(h, sizeof(h), "Bearer %sa", want);
	header_bad(h);
	memset(h + 7, 'a', 590);
	h[7 + 590] = '\0';
	header_bad(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_generate),
		cmocka_unit_test(test_generate_small_buffer),
		cmocka_unit_test(test_hash),
		cmocka_unit_test(test_hash_equal),
		cmocka_unit_test(test_from_header),
		cmocka_unit_test(test_from_header_length),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
