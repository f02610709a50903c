/* jsonout.c - see jsonout.h */
#include "jsonout.h"

#include <stdint.h>
#include <string.h>

#include "jsonv.h"

/* v's decimal digits into buf (>= 21 bytes); returns the length. */
static size_t jsonout_i64(int64_t v, char *buf)
{
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	char tmp[24];
	size_t n = 0, o = 0;

	do {
		tmp[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u > 0);
	if (v < 0)
		buf[o++] = '-';
	while (n > 0)
		buf[o++] = tmp[--n];
	buf[o] = '\0';
	return o;
}

/* A node and its children. 0, or -1 when out of memory. */
static int jsonout_node(cJSON *node)
{
	char buf[24], *s;
	int64_t v;
	size_t n;

	if (!cJSON_IsNumber(node)) {
		for (cJSON *c = node->child; c != NULL; c = c->next)
			if (jsonout_node(c) != 0)
				return -1;
		return 0;
	}
	/* integral and within +-2^53 (the project's one check of a cJSON number);
	 * zero is left to cJSON, which keeps -0's sign */
	if (jsonv_int(node, &v) != 0 || v == 0)
		return 0;
	n = jsonout_i64(v, buf);
	if ((s = cJSON_malloc(n + 1)) == NULL)
		return -1;
	memcpy(s, buf, n + 1);
	node->type = cJSON_Raw | (node->type & cJSON_StringIsConst);
	node->valuestring = s;
	return 0;
}

char *jsonout_print(cJSON *item)
{
	if (item == NULL || jsonout_node(item) != 0)
		return NULL;
	return cJSON_PrintUnformatted(item);
}
