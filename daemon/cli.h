/*
 * cli.h - the command-line subcommands that work on the database without
 * serving: migrate, seed, token create/list/revoke. Each returns the process
 * exit status.
 */
#ifndef BURSAR_CLI_H
#define BURSAR_CLI_H

struct cfg;

int cli_migrate(const struct cfg *cfg);
int cli_seed(const struct cfg *cfg, int argc, char **argv);
int cli_token(const struct cfg *cfg, int argc, char **argv);

#endif
