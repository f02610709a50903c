/* test_db.c - unit tests for daemon/store/db.c's pure part: the wait before a
 * deadlocked (or, on Galera, certification-failed) transaction is re-run. The
 * re-run itself against a real deadlock is tests/api/test_galera_rules.py's. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "db.h"

/* attempt k's wait lies in [cap/2, cap], cap = 20 ms doubling up to 400 ms */
static void test_backoff_bounds(void **state)
{
	static const unsigned cap[] = { 20, 40, 80, 160, 320, 400, 400, 400 };
	static const uint32_t rnds[] = { 0, 1, 7, 10, 11, 12345, 0x7fffffffu, 0xffffffffu };

	(void)state;
	for (int a = 0; a < 8; a++) {
		for (size_t i = 0; i < sizeof(rnds) / sizeof(rnds[0]); i++) {
			unsigned ms = db_deadlock_backoff_ms(a, rnds[i]);

			assert_in_range(ms, cap[a] / 2, cap[a]);
		}
	}
	/* a large attempt count does not overflow */
	assert_in_range(db_deadlock_backoff_ms(1000, 99), 200, 400);
}

/* the jitter spreads two transactions' waits: many values, both ends reached */
static void test_backoff_jitter(void **state)
{
	unsigned seen[21] = { 0 }, distinct = 0;

	(void)state;
	assert_int_equal(db_deadlock_backoff_ms(0, 0), 10);
	assert_int_equal(db_deadlock_backoff_ms(0, 10), 20);
	for (uint32_t r = 0; r < 1000; r++)
		seen[db_deadlock_backoff_ms(0, r * 2654435761u)]++;
	for (unsigned ms = 10; ms <= 20; ms++)
		distinct += seen[ms] != 0;
	assert_int_equal(distinct, 11);
	/* and the shortest wait grows with the attempt */
	for (int a = 0; a < 4; a++)
		assert_true(db_deadlock_backoff_ms(a + 1, 0) >= db_deadlock_backoff_ms(a, 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_backoff_bounds),
		cmocka_unit_test(test_backoff_jitter),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
