/*
 * config_ints.h - integers libconfig 1.5 would silently truncate.
 *
 * libconfig 1.5 reads an integer without the L suffix into an int: 3000000000
 * becomes -1294967296 and 5372609000 becomes 1077641704, with no error. Money
 * needs 64 bits, so config.c has the file text scanned here (comments and
 * strings skipped) and refuses any such literal, asking for the L suffix.
 *
 * Thread: any (reads the files the parsed config came from).
 */
#ifndef BURSAR_CONFIG_INTS_H
#define BURSAR_CONFIG_INTS_H

#include <libconfig.h>

/* The first literal that is not what libconfig read, or the file that could not be read. */
struct config_ints_bad {
	const config_setting_t *setting;         /* the setting it belongs to; NULL when not found */
	const char *file;                        /* borrowed from lc */
	int line;                                /* 0: the file as a whole */
	char msg[200];                           /* "3000000000 does not fit in 32 bits: write 3000000000L" */
};

/* Every file lc was read from (the main one and any @include): 0 when every
 * integer literal is what libconfig read; 1 when one is not, or -1 when a file
 * cannot be read, with *bad filled. */
int config_ints_scan(const config_t *lc, struct config_ints_bad *bad);

#endif
