/*
 * scenario_actions.h - a scenario's management actions (scenario.h's
 * "actions"): parsed with their field errors and rendered in their stored form.
 * scenario.c calls these; they use scenario.c's helpers declared here. Pure;
 * thread-safe.
 */
#ifndef BURSAR_SCENARIO_ACTIONS_H
#define BURSAR_SCENARIO_ACTIONS_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "problem.h"
#include "scenario.h"

/* The body's "actions" (NULL or null: none) into s->actions; field errors at
 * /actions/N/...; returns their number. */
size_t scenario_actions_parse(const cJSON *arr, struct scenario *s, struct problem *p);

/* s's actions as stored (every member of each). NULL: no memory. */
cJSON *scenario_actions_json(const struct scenario *s);

/* Free what the actions own (post_start's posts) and the array. */
void scenario_actions_free(struct scenario *s);

/* scenario.c's: a school's URN (six digits); room for each member of obj at ptr
 * (0, or 1 with the problem reported: more than max, "<lead> <max> <noun>"). */
int scenario_urn6(const char *u);
int scenario_room(const cJSON *obj, const char *ptr, int max, const char *lead, const char *noun, size_t size,
		  void **room, struct problem *p);

#endif
