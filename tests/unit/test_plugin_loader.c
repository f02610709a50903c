/*
 * test_plugin_loader.c - daemon/plugin.c: loading plugins the test suite builds
 * from tests/unit/plugins/ (one .c each) (several deliberately broken), each against
 * plugins/bursar_plugin.h alone, and the copying callbacks' checks.
 * Run from the repository root (tests/run.sh does).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "config.h"
#include "log.h"
#include "plugin.h"

#define DIR "tests/unit/plugins"

static struct cfg *C;
static char err[512];

/* Each test builds a configuration as cfg_load would: add() a plugin, then its settings. */
static int setup(void **state)
{
	(void)state;
	log_set_level(LOG_ERR);                      /* keep the loader's notices out of the TAP output */
	C = calloc(1, sizeof(*C));
	C->plugin_dir = DIR;
	err[0] = '\0';
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(C);
	return 0;
}

static void add(const char *name)
{
	C->plugins[C->nplugins++].name = (char *)name;
}

static void add_setting(const char *key, const char *value)
{
	struct cfg_plugin *p = &C->plugins[C->nplugins - 1];

	p->settings[p->nsettings++] = (struct cfg_setting){ .key = (char *)key, .value = (char *)value };
}

/* Loading must fail with a message containing each of the needles. */
static void expect_refused(const char *n1, const char *n2)
{
	struct plugins *ps = plugin_registry_load(C, err, sizeof(err));

	if (ps != NULL) {
		plugin_registry_free(ps);
		fail_msg("loaded, but should have been refused");
	}
	if (strstr(err, n1) == NULL || (n2 != NULL && strstr(err, n2) == NULL))
		fail_msg("message \"%s\" does not say \"%s\" and \"%s\"", err, n1, n2 != NULL ? n2 : "");
}

static int loaded(const char *file)
{
	void *h = dlopen(file, RTLD_NOW | RTLD_NOLOAD);

	if (h != NULL)
		dlclose(h);
	return h != NULL;
}

/* Built against bursar_plugin.h only (-Iplugins): loads, and is called through the ABI. */
static void test_minimal_loads_and_runs(void **state)
{
	struct bursar_entity e[2] = { { .urn = "100001" }, { .urn = "100002" } };
	struct bursar_year y = { .size = sizeof(y), .year = 2026, .entities = e, .nentities = 2,
				 .entity_size = sizeof(e[0]) };
	struct plugin_result res = { 0 };
	const struct plugin *p;
	struct plugins *ps;

	(void)state;
	add("minimal");
	add_setting("fee_pence", "250000");
	ps = plugin_registry_load(C, err, sizeof(err));
	if (ps == NULL)
		fail_msg("%s", err);
	assert_int_equal(plugin_count(ps), 1);
	assert_true(loaded(DIR "/minimal.so"));
	p = plugin_find(ps, "minimal");
	assert_ptr_equal(p, plugin_at(ps, 0));
	assert_null(plugin_find(ps, "local"));
	assert_null(plugin_at(ps, 1));
	assert_string_equal(plugin_name(p), "minimal");
	assert_string_equal(plugin_version(p), "1.0.0");
	assert_string_equal(plugin_description(p), "A flat central services fee per school");
	assert_string_equal(plugin_path(p), DIR "/minimal.so");
	assert_int_equal(plugin_settings(p)->n, 1);
	assert_string_equal(plugin_settings(p)->items[0].key, "fee_pence");
	/* the registry keeps its own copy of the settings */
	assert_ptr_not_equal(plugin_settings(p)->items[0].value, C->plugins[0].settings[0].value);
	assert_true(plugin_registry_matches(ps, C));

	assert_int_equal(plugin_apply_year(p, &y, &res), 0);
	assert_int_equal(res.nposts, 2);
	assert_null(res.refused);
	assert_string_equal(res.posts[1].payer, "100002");
	assert_string_equal(res.posts[1].payer_account, "INT01");
	assert_string_equal(res.posts[1].payee, "central");
	assert_string_equal(res.posts[1].payee_account, "INT02");
	assert_true(res.posts[1].amount_pence == 250000);
	assert_string_equal(res.posts[1].basis, "flat_fee");
	assert_int_equal(res.posts[1].rate_bp, -1);
	assert_string_equal(res.posts[1].explanation, "flat central services fee");
	plugin_result_free(&res);
	assert_int_equal(res.nposts, 0);
	/* no validate_budget: nothing found */
	struct bursar_budget b = { .size = sizeof(b), .year = 2026, .urn = "100001" };
	assert_int_equal(plugin_validate_budget(p, &b, &res), 0);
	assert_int_equal(res.nfindings, 0);
	plugin_result_free(&res);

	plugin_registry_free(ps);
	assert_false(loaded(DIR "/minimal.so"));          /* dlclosed */
}

/* A run's registry (plugin_registry_with): a private instance with the config's
 * settings and the scenario's merged over them; the process's registry untouched. */
static long long run_fee(const struct plugins *ps)
{
	struct bursar_entity e[1] = { { .urn = "100001" } };
	struct bursar_year y = { .size = sizeof(y), .year = 2026, .entities = e, .nentities = 1,
				 .entity_size = sizeof(e[0]) };
	struct plugin_result res = { 0 };
	long long fee;

	assert_int_equal(plugin_apply_year(plugin_find(ps, "minimal"), &y, &res), 0);
	assert_int_equal(res.nposts, 1);
	fee = res.posts[0].amount_pence;
	plugin_result_free(&res);
	return fee;
}

struct run_arg {
	const struct plugins *ps;
	const char *fee;
	int ok;
};

static void *run_thread(void *v)
{
	struct run_arg *a = v;
	char e[256];

	for (int i = 0; i < 200; i++) {
		struct bursar_setting kv = { "fee_pence", a->fee };
		struct plugin_override o = { "minimal", 1, &kv };
		size_t bad;
		struct plugins *run = plugin_registry_with(a->ps, &o, 1, &bad, e, sizeof(e));
		const struct plugin *p = run != NULL ? plugin_find(run, "minimal") : NULL;

		a->ok += run != NULL && p != NULL && strcmp(plugin_settings(p)->items[0].value, a->fee) == 0 &&
			 strcmp(plugin_settings(plugin_find(a->ps, "minimal"))->items[0].value, "250000") == 0;
		plugin_registry_free(run);
	}
	return NULL;
}

static void test_registry_with_overrides(void **state)
{
	struct bursar_setting kv[2] = { { "fee_pence", "9900" }, { "colour", "red" } };
	struct plugin_override o = { "minimal", 1, kv };
	struct plugins *ps, *run;
	size_t bad = 9;
	pthread_t t[3];
	struct run_arg a[3] = { { .fee = "1" }, { .fee = "22" }, { .fee = "333" } };

	(void)state;
	add("minimal");
	add_setting("fee_pence", "250000");
	if ((ps = plugin_registry_load(C, err, sizeof(err))) == NULL)
		fail_msg("%s", err);
	assert_non_null(run = plugin_registry_with(ps, &o, 1, &bad, err, sizeof(err)));
	assert_int_equal(plugin_count(run), 1);
	assert_ptr_not_equal(plugin_find(run, "minimal"), plugin_find(ps, "minimal"));
	assert_int_equal(plugin_settings(plugin_find(run, "minimal"))->n, 1);
	assert_string_equal(plugin_settings(plugin_find(run, "minimal"))->items[0].value, "9900");
	assert_int_equal(run_fee(run), 9900);
	assert_int_equal(run_fee(ps), 250000);
	plugin_registry_free(run);
	/* still loaded, and the process's instance still works: a run's free closes nothing */
	assert_true(loaded(DIR "/minimal.so"));
	assert_int_equal(run_fee(ps), 250000);
	assert_string_equal(plugin_settings(plugin_find(ps, "minimal"))->items[0].value, "250000");

	/* no override: every plugin shared */
	assert_non_null(run = plugin_registry_with(ps, NULL, 0, &bad, err, sizeof(err)));
	assert_ptr_not_equal(plugin_find(run, "minimal"), NULL);
	assert_int_equal(run_fee(run), 250000);
	plugin_registry_free(run);
	assert_int_equal(run_fee(ps), 250000);

	/* the plugin's own init refuses: its message, the override's index */
	o.n = 2;
	assert_null(plugin_registry_with(ps, &o, 1, &bad, err, sizeof(err)));
	assert_string_equal(err, "unknown setting \"colour\"");
	assert_int_equal(bad, 0);
	kv[0].value = "-5";
	o.n = 1;
	assert_null(plugin_registry_with(ps, &o, 1, &bad, err, sizeof(err)));
	assert_string_equal(err, "fee_pence: must be whole pence >= 0, not \"-5\"");
	o.name = "nosuch";
	assert_null(plugin_registry_with(ps, &o, 1, &bad, err, sizeof(err)));
	assert_string_equal(err, "no plugin of this name is loaded");

	/* workers at once, each its own settings: none sees another's, the registry unchanged */
	for (int i = 0; i < 3; i++) {
		a[i].ps = ps;
		assert_int_equal(pthread_create(&t[i], NULL, run_thread, &a[i]), 0);
	}
	for (int i = 0; i < 3; i++) {
		assert_int_equal(pthread_join(t[i], NULL), 0);
		assert_int_equal(a[i].ok, 200);
	}
	assert_int_equal(run_fee(ps), 250000);
	plugin_registry_free(ps);
	assert_false(loaded(DIR "/minimal.so"));
}

static void test_registry_matches(void **state)
{
	struct plugins *ps;

	(void)state;
	add("minimal");
	add_setting("fee_pence", "250000");
	assert_non_null(ps = plugin_registry_load(C, err, sizeof(err)));
	C->plugins[0].settings[0].value = "250001";
	assert_false(plugin_registry_matches(ps, C));
	C->plugins[0].settings[0].value = "250000";
	add("bad_post");
	assert_false(plugin_registry_matches(ps, C));
	plugin_registry_free(ps);
	/* an empty configuration: an empty registry */
	C->nplugins = 0;
	assert_non_null(ps = plugin_registry_load(C, err, sizeof(err)));
	assert_int_equal(plugin_count(ps), 0);
	assert_true(plugin_registry_matches(ps, C));
	plugin_registry_free(ps);
	assert_int_equal(plugin_count(NULL), 0);
	plugin_registry_free(NULL);
}

static void test_missing_file(void **state)
{
	(void)state;
	add("nothere");
	expect_refused(DIR "/nothere.so", "no such file");
}

static void test_wrong_abi(void **state)
{
	(void)state;
	add("bad_abi");
	expect_refused(DIR "/bad_abi.so", "built for plugin ABI 99, but this bursard has ABI 1");
	assert_false(loaded(DIR "/bad_abi.so"));
}

static void test_short_struct(void **state)
{
	(void)state;
	add("short_struct");
	expect_refused(DIR "/short_struct.so", "shorter than");
	assert_false(loaded(DIR "/short_struct.so"));
}

static void test_no_symbol(void **state)
{
	(void)state;
	add("no_symbol");
	expect_refused(DIR "/no_symbol.so", "does not export the symbol bursar_rules_entry");
	assert_false(loaded(DIR "/no_symbol.so"));
}

static void test_failing_init(void **state)
{
	(void)state;
	add("failing_init");
	add_setting("other", "1");
	expect_refused(DIR "/failing_init.so", "init failed: rate_bp is required (1 settings given)");
	assert_false(loaded(DIR "/failing_init.so"));
}

static void test_wrong_name(void **state)
{
	(void)state;
	add("wrong_name");
	expect_refused(DIR "/wrong_name.so", "calls itself \"local\", not \"wrong_name\"");
}

static void test_duplicate_name(void **state)
{
	(void)state;
	add("minimal");
	add("minimal");
	expect_refused(DIR "/minimal.so", "two plugins with the name \"minimal\"");
	assert_false(loaded(DIR "/minimal.so"));          /* the first one was unloaded again */
}

static void test_settings_without_init(void **state)
{
	(void)state;
	add("bad_post");
	add_setting("rate_bp", "5");
	expect_refused(DIR "/bad_post.so", "takes no settings");
}

/* A good plugin before a broken one: nothing stays loaded. */
static void test_all_or_nothing(void **state)
{
	(void)state;
	add("minimal");
	add("bad_abi");
	expect_refused(DIR "/bad_abi.so", "ABI 99");
	assert_false(loaded(DIR "/minimal.so"));
}

/* The copying callbacks refuse what would break the books. */
static void test_callbacks_refuse(void **state)
{
	static const struct {
		int year;
		const char *why;
	} cases[] = {
		{ 1, "not an entity of this model" },
		{ 2, "a negative posting" },
		{ 3, "to itself" },
		{ 4, "without its accounts" },
		{ 6, "unknown severity" },
	};
	struct bursar_entity e[1] = { { .urn = "100001" } };
	struct bursar_year y = { .size = sizeof(y), .entities = e, .nentities = 1, .entity_size = sizeof(e[0]) };
	struct bursar_budget b = { .size = sizeof(b), .year = 2026, .urn = "100001" };
	struct plugin_result res = { 0 };
	const struct plugin *p;
	struct plugins *ps;

	(void)state;
	add("bad_post");
	if ((ps = plugin_registry_load(C, err, sizeof(err))) == NULL)
		fail_msg("%s", err);
	p = plugin_find(ps, "bad_post");
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		y.year = cases[i].year;
		assert_int_equal(plugin_apply_year(p, &y, &res), -1);
		assert_int_equal(res.nposts, 0);
		assert_non_null(res.refused);
		if (strstr(res.refused, cases[i].why) == NULL)
			fail_msg("year %d: \"%s\" does not say \"%s\"", cases[i].year, res.refused, cases[i].why);
		plugin_result_free(&res);
	}
	/* a valid posting, then an older and shorter posting struct: the missing fields read as none */
	y.year = 0;
	assert_int_equal(plugin_apply_year(p, &y, &res), 0);
	assert_int_equal(res.posts[0].rate_bp, 500);
	assert_string_equal(res.posts[0].explanation, "five per cent");
	plugin_result_free(&res);
	y.year = 5;
	assert_int_equal(plugin_apply_year(p, &y, &res), 0);
	assert_int_equal(res.nposts, 1);
	assert_true(res.posts[0].amount_pence == 100);
	assert_true(res.posts[0].base_pence == 2000);
	assert_int_equal(res.posts[0].rate_bp, -1);
	assert_string_equal(res.posts[0].explanation, "");
	plugin_result_free(&res);
	/* the plugin's own failure after a finding: -1, the finding kept, nothing refused */
	y.year = 7;
	assert_int_equal(plugin_apply_year(p, &y, &res), -1);
	assert_int_equal(res.nfindings, 1);
	assert_int_equal(res.findings[0].severity, BURSAR_WARNING);
	assert_string_equal(res.findings[0].message, "note");
	assert_null(res.refused);
	plugin_result_free(&res);
	/* no postings while validating a budget */
	assert_int_equal(plugin_validate_budget(p, &b, &res), -1);
	assert_non_null(strstr(res.refused, "posted while validating"));
	plugin_result_free(&res);
	plugin_result_free(NULL);
	plugin_registry_free(ps);
}

/* Many entities (sorted by URN, as struct bursar_year says): every school's
 * posting is known (a binary search), the first, last and middle included. */
static void test_many_entities(void **state)
{
	enum { N = 5000 };
	static char urns[N][8];
	static struct bursar_entity e[N];
	struct bursar_year y = { .size = sizeof(y), .year = 2026, .entities = e, .nentities = N,
				 .entity_size = sizeof(e[0]) };
	struct plugin_result res = { 0 };
	const struct plugin *p;
	struct plugins *ps;

	(void)state;
	for (size_t i = 0; i < N; i++) {
		snprintf(urns[i], sizeof(urns[i]), "%06zu", 100000 + i * 3);
		e[i] = (struct bursar_entity){ .urn = urns[i] };
	}
	add("minimal");
	add_setting("fee_pence", "100");
	if ((ps = plugin_registry_load(C, err, sizeof(err))) == NULL)
		fail_msg("%s", err);
	p = plugin_find(ps, "minimal");
	assert_int_equal(plugin_apply_year(p, &y, &res), 0);
	assert_null(res.refused);
	assert_int_equal(res.nposts, N);
	assert_string_equal(res.posts[0].payer, "100000");
	assert_string_equal(res.posts[N - 1].payer, "114997");
	assert_string_equal(res.posts[N / 2].payee, "central");
	plugin_result_free(&res);
	plugin_registry_free(ps);
}

/* Why a call failed: the refusal first, then the first error finding, then a general message. */
static void test_failure_reason(void **state)
{
	struct plugin_finding f[3] = {
		{ BURSAR_WARNING, "", "only a warning" },
		{ BURSAR_ERROR, "/lines/2", "INT05 is missing" },
		{ BURSAR_ERROR, "", "a later error" },
	};
	struct plugin_result res = { .findings = f, .nfindings = 3 };

	(void)state;
	assert_string_equal(plugin_failure(&res), "INT05 is missing");
	res.refused = "a posting to itself";
	assert_string_equal(plugin_failure(&res), "a posting to itself");
	res.refused = NULL;
	res.nfindings = 1;
	assert_string_equal(plugin_failure(&res), "the plugin reported a failure");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_minimal_loads_and_runs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_registry_with_overrides, setup, teardown),
		cmocka_unit_test_setup_teardown(test_registry_matches, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wrong_abi, setup, teardown),
		cmocka_unit_test_setup_teardown(test_short_struct, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_symbol, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failing_init, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wrong_name, setup, teardown),
		cmocka_unit_test_setup_teardown(test_duplicate_name, setup, teardown),
		cmocka_unit_test_setup_teardown(test_settings_without_init, setup, teardown),
		cmocka_unit_test_setup_teardown(test_all_or_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_callbacks_refuse, setup, teardown),
		cmocka_unit_test_setup_teardown(test_many_entities, setup, teardown),
		cmocka_unit_test(test_failure_reason),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
