/* test_static.c - unit tests for daemon/http/static.c: the path check, the
 * Accept-Encoding parse, hashed names, content types, and loading a directory
 * (dot-files, symlinks and the compressed copies). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "router.h"
#include "static.h"

static void clean_ok(const char *raw, const char *want)
{
	char out[128];

	if (static_path_clean(raw, out, sizeof(out)) != 0)
		fail_msg("%s refused", raw);
	assert_string_equal(out, want);
}

static void clean_refused(const char *raw)
{
	char out[128];

	if (static_path_clean(raw, out, sizeof(out)) == 0)
		fail_msg("%s accepted as %s", raw, out);
}

static void test_path_clean(void **state)
{
	(void)state;
	clean_ok("/", "/");
	clean_ok("/index.html", "/index.html");
	clean_ok("/assets/main-ABCDEFGH.js", "/assets/main-ABCDEFGH.js");
	clean_ok("/schools/100001/", "/schools/100001/");
	clean_ok("/a%20b", "/a b");
	clean_ok("/..a/b..", "/..a/b..");
	clean_refused("");
	clean_refused("index.html");
	clean_refused("/..");
	clean_refused("/../etc/passwd");
	clean_refused("/assets/../../Makefile");
	clean_refused("/%2e%2e/Makefile");
	clean_refused("/%2E%2e/Makefile");
	clean_refused("/.%2e");
	clean_refused("/..%2fMakefile");
	clean_refused("/assets%2f..%2fx");
	clean_refused("/./index.html");
	clean_refused("/assets/.");
	clean_refused("/a//b");
	clean_refused("/a\\..\\b");
	clean_refused("/a%5c..%5cb");
	clean_refused("/%00");
	clean_refused("/a%0ab");
	clean_refused("/%");
	clean_refused("/%2");
	clean_refused("/%zz");
	{
		char tiny[4];

		assert_int_equal(static_path_clean("/abcdef", tiny, sizeof(tiny)), -1);
	}
}

static void test_accepts(void **state)
{
	(void)state;
	assert_false(static_accepts(NULL, "gzip"));
	assert_false(static_accepts("", "gzip"));
	assert_true(static_accepts("gzip", "gzip"));
	assert_true(static_accepts("gzip, deflate, br", "br"));
	assert_true(static_accepts("GZIP", "gzip"));
	assert_true(static_accepts("br;q=1.0, gzip;q=0.5", "gzip"));
	assert_false(static_accepts("gzip;q=0", "gzip"));
	assert_false(static_accepts("gzip; q=0.000", "gzip"));
	assert_true(static_accepts("gzip;q=0.001", "gzip"));
	assert_false(static_accepts("gzipx, xbr", "gzip"));
	assert_false(static_accepts("gzipx, xbr", "br"));
	assert_true(static_accepts("*", "br"));
	assert_false(static_accepts("*;q=0", "br"));
	assert_false(static_accepts("*, br;q=0", "br"));
	assert_false(static_accepts("identity", "gzip"));
}

static void test_name_hashed(void **state)
{
	(void)state;
	assert_true(static_name_hashed("main-Z7KSZKNJ.js"));
	assert_true(static_name_hashed("chunk-4IN2BHCI.js"));
	assert_true(static_name_hashed("app-7RLGS3OC.css"));
	assert_true(static_name_hashed("my-app-7RLGS3OC.css"));
	assert_false(static_name_hashed("index.html"));
	assert_false(static_name_hashed("main.js"));
	assert_false(static_name_hashed("main-abcdefgh.js"));
	assert_false(static_name_hashed("main-ABC.js"));
	assert_false(static_name_hashed("-ABCDEFGH.js"));
	assert_false(static_name_hashed("ABCDEFGH"));
}

static void test_content_type(void **state)
{
	(void)state;
	assert_string_equal(static_content_type("index.html"), "text/html; charset=utf-8");
	assert_string_equal(static_content_type("main-X.js"), "text/javascript; charset=utf-8");
	assert_string_equal(static_content_type("app.css"), "text/css; charset=utf-8");
	assert_string_equal(static_content_type("logo.svg"), "image/svg+xml");
	assert_string_equal(static_content_type("x.min.js.map"), "application/json");
	assert_string_equal(static_content_type("README"), "application/octet-stream");
	assert_string_equal(static_content_type("x.exe"), "application/octet-stream");
}

static void test_wants(void **state)
{
	(void)state;
	assert_true(static_wants(HM_GET, "/"));
	assert_true(static_wants(HM_HEAD, "/assets/x.js"));
	assert_true(static_wants(HM_GET, "/apiary"));
	assert_false(static_wants(HM_POST, "/"));
	assert_false(static_wants(HM_GET, "/api/v1/nothing"));
	assert_false(static_wants(HM_GET, "/api"));
}

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_load(void **state)
{
	char dir[] = "/tmp/bursar-static-XXXXXX", p[256], q[256];
	struct static_site *s;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(p, sizeof(p), "%s/assets", dir);
	assert_int_equal(mkdir(p, 0700), 0);
	snprintf(p, sizeof(p), "%s/index.html", dir);
	put(p, "<!DOCTYPE html><html></html>");
	snprintf(p, sizeof(p), "%s/index.html.gz", dir);
	put(p, "smaller");
	snprintf(p, sizeof(p), "%s/index.html.br", dir);
	put(p, "a copy that is larger than the file itself: never sent");
	snprintf(p, sizeof(p), "%s/assets/main-ABCDEFGH.js", dir);
	put(p, "export {};");
	snprintf(p, sizeof(p), "%s/.secret", dir);
	put(p, "x");
	snprintf(p, sizeof(p), "%s/link.txt", dir);
	assert_int_equal(symlink("/etc/passwd", p), 0);
	s = static_site_load(dir);
	assert_non_null(s);
	assert_int_equal(static_site_count(s), 2);  /* index.html and main-ABCDEFGH.js */
	assert_ptr_equal(static_site_ref(s), s);
	static_site_unref(s);
	static_site_unref(s);
	/* a missing directory: an empty site, not an error */
	snprintf(q, sizeof(q), "%s/nope", dir);
	s = static_site_load(q);
	assert_non_null(s);
	assert_int_equal(static_site_count(s), 0);
	static_site_unref(s);
	static_site_unref(NULL);
	snprintf(q, sizeof(q), "rm -rf '%s'", dir);
	assert_int_equal(system(q), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_path_clean),
		cmocka_unit_test(test_accepts),
		cmocka_unit_test(test_name_hashed),
		cmocka_unit_test(test_content_type),
		cmocka_unit_test(test_wants),
		cmocka_unit_test(test_load),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
