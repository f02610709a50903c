/*
 * seed.h - the demo trust: schema/seed/NNN_*.sql (chart of accounts, schools,
 * census history), one token per role and one person's account per role,
 * loaded in one transaction the first time only.
 */
#ifndef BURSAR_SEED_H
#define BURSAR_SEED_H

#include <stdint.h>

#include "problem.h"

struct db;

/*
 * Load the seed files of <schema_dir>/seed when the database has no schools.
 * today (days since the epoch; cfg clock_today) pins the day the seed's dates
 * are relative to (its CURDATE()) and the time of its rows (that day, 00:00
 * UTC); -1: the real date. With tokens_path, creates one token per role and
 * writes them there (mode 0600, lines "role<TAB>token<TAB>label"). With
 * users_path, creates one account per person's role with a generated password
 * and writes them there (mode 0600, lines "role<TAB>email<TAB>password"). Returns 1
 * when it seeded, 0 when the database was already seeded (nothing changed), -1
 * on error.
 */
int seed_run(struct db *db, const char *schema_dir, int32_t today, const char *tokens_path, const char *users_path,
	     struct problem *p)
	__attribute__((warn_unused_result));

#endif
