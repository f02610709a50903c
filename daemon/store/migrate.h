/*
 * migrate.h - schema migrations: schema/NNN_name.sql, applied in order, one
 * statement at a time (DDL auto-commits), each recorded with its SHA-256 in
 * schema_migrations, under a lease row in schema_lock so two instances never
 * migrate at once (no GET_LOCK: the same schema runs on Galera).
 */
#ifndef BURSAR_MIGRATE_H
#define BURSAR_MIGRATE_H

#include "problem.h"

struct db;

/* Apply what is pending. Refuses (and changes nothing) when an applied
 * migration's file changed or the database has one this installation does not
 * know. Logs each step. 0 ok, -1 with the problem's detail saying why. */
int migrate_run(struct db *db, const char *schema_dir, struct problem *p)
	__attribute__((warn_unused_result));

/* Check without changing anything: 0 when up to date; -1 when pending,
 * changed, unknown or unreachable (detail says which). */
int migrate_check(struct db *db, const char *schema_dir, struct problem *p)
	__attribute__((warn_unused_result));

/* Files of a directory matching NNN_name.sql, sorted; for seeds as well.
 * Returns the count (paths malloc'ed into *out; migrate_free_list), -1 on error. */
int migrate_list(const char *dir, char ***out) __attribute__((warn_unused_result));
void migrate_free_list(char **list, int n);

/* A whole file, NUL-terminated; caller frees. NULL on error (logged). */
char *migrate_read_file(const char *path, size_t *len);

#endif
