/*
 * jsonout.h - print a cJSON tree, fast for integers.
 *
 * cJSON 1.7.15 prints every number with sprintf("%1.15g") and checks the text
 * with sscanf, falling back to "%1.17g" (~1 us a number): saving a forecast's
 * lines, that was most of a run's CPU time. jsonout_print gives what
 * cJSON_PrintUnformatted gives, except that it writes integers itself: each
 * integral number of magnitude 1..2^53 becomes a raw node holding its decimal
 * digits (so 10^15 is "1000000000000000" where cJSON would write "1e+15": the
 * same number), and cJSON prints the rest of the tree.
 *
 * Thread: any (no shared state). The tree is changed: print it last.
 */
#ifndef BURSAR_JSONOUT_H
#define BURSAR_JSONOUT_H

#include <cjson/cJSON.h>

/* item unformatted; NULL when out of memory. Free with cJSON_free. */
char *jsonout_print(cJSON *item);

#endif
