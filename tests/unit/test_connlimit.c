/* test_connlimit.c - unit tests for daemon/http/connlimit.c */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "connlimit.h"

static void key_of(const char *ip4, unsigned char key[16])
{
	struct sockaddr_in in = { .sin_family = AF_INET };

	inet_pton(AF_INET, ip4, &in.sin_addr);
	connlimit_key((struct sockaddr *)&in, key);
}

static void test_caps(void **state)
{
	struct connlimit *cl = connlimit_new(8);
	unsigned char a[16], b[16];

	(void)state;
	assert_non_null(cl);
	key_of("10.0.0.1", a);
	key_of("10.0.0.2", b);
	for (int i = 0; i < 3; i++)
		assert_int_equal(connlimit_acquire(cl, a, 5, 3), CONNLIMIT_OK);
	assert_int_equal(connlimit_acquire(cl, a, 5, 3), CONNLIMIT_PER_ADDRESS);
	assert_int_equal(connlimit_acquire(cl, b, 5, 3), CONNLIMIT_OK);
	assert_int_equal(connlimit_acquire(cl, b, 5, 3), CONNLIMIT_OK);
	assert_int_equal(connlimit_acquire(cl, b, 5, 3), CONNLIMIT_TOTAL);
	assert_int_equal(connlimit_total(cl), 5);
	connlimit_release(cl, a);
	assert_int_equal(connlimit_count(cl, a), 2);
	assert_int_equal(connlimit_acquire(cl, a, 5, 3), CONNLIMIT_OK);
	/* 0: no per-address cap; the table's capacity still holds */
	for (int i = 0; i < 3; i++)
		connlimit_release(cl, a);
	for (int i = 0; i < 2; i++)
		connlimit_release(cl, b);
	assert_int_equal(connlimit_total(cl), 0);
	for (int i = 0; i < 8; i++)
		assert_int_equal(connlimit_acquire(cl, a, 100, 0), CONNLIMIT_OK);
	assert_int_equal(connlimit_acquire(cl, b, 100, 0), CONNLIMIT_TOTAL);
	connlimit_free(cl);
}

/* Many addresses in and out: the probe chains survive deletions. */
static void test_churn(void **state)
{
	struct connlimit *cl = connlimit_new(64);
	unsigned char k[64][16];
	char ip[32];

	(void)state;
	for (int i = 0; i < 64; i++) {
		snprintf(ip, sizeof(ip), "192.168.%d.%d", i / 7, i * 13 % 256);
		key_of(ip, k[i]);
		assert_int_equal(connlimit_acquire(cl, k[i], 64, 1), CONNLIMIT_OK);
	}
	for (int i = 0; i < 64; i += 2)
		connlimit_release(cl, k[i]);
	for (int i = 1; i < 64; i += 2) {
		assert_int_equal(connlimit_count(cl, k[i]), 1);
		assert_int_equal(connlimit_acquire(cl, k[i], 64, 1), CONNLIMIT_PER_ADDRESS);
	}
	for (int i = 0; i < 64; i += 2)
		assert_int_equal(connlimit_count(cl, k[i]), 0);
	assert_int_equal(connlimit_total(cl), 32);
	connlimit_free(cl);
}

static void test_note(void **state)
{
	struct connlimit *cl = connlimit_new(1);
	uint64_t n = 99;

	(void)state;
	assert_int_equal(connlimit_note(cl, 0, 1000, &n), 1);
	assert_int_equal(n, 0);
	assert_int_equal(connlimit_note(cl, 0, 1100, &n), 0);
	assert_int_equal(connlimit_note(cl, 0, 1500, &n), 0);
	assert_int_equal(connlimit_note(cl, 1, 1500, &n), 1);
	assert_int_equal(connlimit_note(cl, 0, 2000, &n), 1);
	assert_int_equal(n, 2);
	connlimit_free(cl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_caps),
		cmocka_unit_test(test_churn),
		cmocka_unit_test(test_note),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
