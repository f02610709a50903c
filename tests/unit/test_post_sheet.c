/* test_post_sheet.c - unit tests for daemon/core/post_sheet.c: a school's posts
 * sheet read through sheetrows, by hand-written files: the values as the export
 * writes them and as people type them, and every bad row named at once. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "post_sheet.h"
#include "staff_input.h"

static struct problem p;

static int has_field(const char *f)
{
	for (size_t i = 0; i < p.nerrors; i++)
		if (strcmp(p.errors[i].field, f) == 0)
			return 1;
	return 0;
}

static int read_csv(const char *csv, struct post_sheet *s)
{
	problem_reset(&p);
	post_sheet_init(s, &p);
	return post_sheet_csv(csv, strlen(csv), TEXTENC_NONE, s, NULL);
}

static void test_posts(void **state)
{
	/* headers in another order and case; the cost columns ignored; an empty row skipped */
	static const char csv[] =
		"Reference,Title,Role,Account code,Scale,Point,Top point,Point year,FTE,Paid weeks,TLR,Other allowance,"
		"Pension,Starts on,Ends on,Vacant,Holder name,Periods taught,total_cost\r\n"
		"T-1,Class teacher,teacher,E01,main,M3,M6,2026-27,1,,\"£3,436.00\",,tps,2026-09-01,,No,A. Teacher,20,"
		"51234.56\r\n"
		",,,,,,,,,,,,,,,,,,\r\n"
		"TA-1,TA,teaching_assistant,E03,njc,4,,2025-26,0.6,43.6,,12.5,lgps,,46295,yes,,,\r\n";
	struct post_sheet s;

	(void)state;
	assert_int_equal(read_csv(csv, &s), 0);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.posts[0].reference, "T-1");
	assert_string_equal(s.posts[0].top_point, "M6");
	assert_int_equal(s.posts[0].point_year, 2026);
	assert_int_equal(s.posts[0].fte_h, 100);
	assert_int_equal(s.posts[0].paid_weeks_h, 0);
	assert_int_equal(s.posts[0].tlr_pence, 343600);
	assert_string_equal(s.posts[0].ni_category, "A");
	assert_string_equal(s.posts[0].starts_on, "2026-09-01");
	assert_string_equal(s.posts[0].ends_on, "");
	assert_int_equal(s.posts[0].vacant, 0);
	assert_string_equal(s.posts[0].holder_name, "A. Teacher");
	assert_int_equal(s.posts[0].periods_taught, 20);
	assert_int_equal(s.posts[1].row, 4);
	assert_int_equal(s.posts[1].fte_h, 60);
	assert_int_equal(s.posts[1].paid_weeks_h, 4360);
	assert_int_equal(s.posts[1].other_allowance_pence, 1250);
	/* a spreadsheet's date number: 46295 days after 1899-12-30 is 2026-09-30 */
	assert_string_equal(s.posts[1].ends_on, "2026-09-30");
	assert_int_equal(s.posts[1].vacant, 1);
	assert_int_equal(s.posts[1].periods_taught, -1);
	post_sheet_free(&s);
}

static void test_every_bad_row(void **state)
{
	static const char csv[] =
		"reference,title,role,account_code,scale,point,point_year,fte,paid_weeks,pension,vacant,holder_name,"
		"starts_on,ends_on\n"
		"A,T,teacher,E03,main,M1,2026-27,1,,tps,no,,,\n"              /* role and code */
		"B,T,teacher,E01,main,M1,2026-27,1.5,,tps,no,,,\n"            /* fte above 1.00 */
		"C,T,teacher,E01,main,M1,2026-27,0.005,,tps,no,,,\n"          /* three decimals */
		"D,T,admin,E04,njc,5,2026-27,1,52.15,lgps,no,,,\n"            /* weeks above 52.14 */
		"E,T,admin,E04,njc,5,2026-27,1,,lgps,yes,Someone,,\n"         /* holder of a vacancy */
		"F,T,admin,E04,njc,5,2026-27,1,,lgps,no,,2027-01-02,2027-01-01\n"
		"A,T,teacher,E01,main,M1,2026-27,1,,tps,no,,,\n"              /* good, but A is on row 2 (bad) */
		"G,T,admin,E04,njc,5,2026,1,,lgps,maybe,,31/12/2026,\n"       /* year, vacant, date */
		"H,T,admin,E04,Bad Name,5,2026-27,1,,cash,no,,,\n"            /* scale, pension */
		"I,T,admin,E04,njc,5,2026-27,1,,lgps,no,,,\n";                /* good */
	struct post_sheet s;

	(void)state;
	assert_int_equal(read_csv(csv, &s), -1);
	assert_int_equal(p.status, 422);
	assert_true(has_field("row 2, account_code"));
	assert_true(has_field("row 3, fte"));
	assert_true(has_field("row 4, fte"));
	assert_true(has_field("row 5, paid_weeks"));
	assert_true(has_field("row 6, holder_name"));
	assert_true(has_field("row 7, ends_on"));
	assert_true(has_field("row 8, reference"));
	assert_true(has_field("row 9, point_year"));
	assert_true(has_field("row 9, vacant"));
	assert_true(has_field("row 9, starts_on"));
	assert_true(has_field("row 10, scale"));
	assert_true(has_field("row 10, pension"));
	assert_int_equal(p.nerrors, 12);
	/* the good rows are kept for the caller's own checks */
	assert_int_equal(s.n, 1);
	assert_string_equal(s.posts[0].reference, "I");
	assert_int_equal(s.posts[0].row, 11);
	assert_int_equal(s.bad_rows, 9);
	post_sheet_free(&s);
}

static void test_header(void **state)
{
	struct post_sheet s;

	(void)state;
	assert_int_equal(read_csv("reference,title,role\nX,T,teacher\n", &s), -1);
	assert_int_equal(p.status, 422);
	assert_true(has_field("row 1"));
	post_sheet_free(&s);
	assert_int_equal(read_csv("reference,title,role,account_code,scale,point,point_year,fte,pension,colour\n",
				  &s), -1);
	assert_true(has_field("row 1, column 10"));
	post_sheet_free(&s);
	assert_int_equal(read_csv("reference,title,role,account_code,scale,point,point_year,fte,pension\n", &s), -1);
	assert_true(has_field("row 2"));
	post_sheet_free(&s);
	assert_int_equal(read_csv("", &s), -1);
	assert_int_equal(p.status, 400);
	post_sheet_free(&s);
}

static void test_role_code(void **state)
{
	char buf[128];

	(void)state;
	assert_null(staff_input_role_code("teacher", "E01", buf, sizeof(buf)));
	assert_null(staff_input_role_code("leadership", "E02", buf, sizeof(buf)));
	assert_non_null(staff_input_role_code("leadership", "E03", buf, sizeof(buf)));
	assert_null(staff_input_role_code("catering", "E31", buf, sizeof(buf)));
	assert_null(staff_input_role_code("premises", "E04", buf, sizeof(buf)));
	assert_non_null(staff_input_role_code("teaching_assistant", "E01", buf, sizeof(buf)));
	assert_non_null(staff_input_role_code("admin", "E08", buf, sizeof(buf)));
	assert_string_equal(buf, "an admin post is paid from one of E03 to E07 or E31 (support staff)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_posts),
		cmocka_unit_test(test_every_bad_row),
		cmocka_unit_test(test_header),
		cmocka_unit_test(test_role_code),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
