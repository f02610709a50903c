/*
 * cli.h - the command-line subcommands that work on the database without
 * serving: migrate, seed, token create/list/revoke, user create/list/disable/
 * enable/reset (cli_user.c). Each returns the process exit status.
 */
#ifndef BURSAR_CLI_H
#define BURSAR_CLI_H

struct cfg;
struct problem;

int cli_migrate(const struct cfg *cfg);
int cli_seed(const struct cfg *cfg, int argc, char **argv);
int cli_token(const struct cfg *cfg, int argc, char **argv);
int cli_user(const struct cfg *cfg, int argc, char **argv);

/* Print what failed (p's detail and field errors) to stderr; returns 1. */
int cli_fail(const char *what, const struct problem *p);

#endif
