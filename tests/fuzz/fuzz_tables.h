/*
 * fuzz_tables.h - the request body tables (jsonv) of the API's handlers, for
 * tests/fuzz/fuzz_bodies.c. The tables are static in their handler files, so
 * tests/fuzz/fuzz_tables.c includes each file in a translation unit of its own,
 * built without instrumentation and linked with --gc-sections: only the tables
 * and what they point to (choices, checks) are kept.
 */
#ifndef BURSAR_FUZZ_TABLES_H
#define BURSAR_FUZZ_TABLES_H

#include <stddef.h>

#include "jsonv.h"

struct fuzz_table {
	const char *name;                        /* "api_schools.c year_fields" */
	const struct jv_field *fields;
	size_t n;
};

/* fuzz_tables_<k>, k = 1..FUZZ_TABLE_FILES, each ending with { NULL, NULL, 0 } */
#define FUZZ_TABLE_FILES 12
extern const struct fuzz_table fuzz_tables_1[], fuzz_tables_2[], fuzz_tables_3[], fuzz_tables_4[],
	fuzz_tables_5[], fuzz_tables_6[], fuzz_tables_7[], fuzz_tables_8[], fuzz_tables_9[], fuzz_tables_10[],
	fuzz_tables_11[], fuzz_tables_12[];

#endif
