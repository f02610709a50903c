/* router.c - see router.h */
#include "router.h"

#include <stdio.h>
#include <string.h>

static const struct {
	unsigned m;
	const char *name;
} router_methods[] = {
	{ HM_GET, "GET" }, { HM_HEAD, "HEAD" }, { HM_POST, "POST" }, { HM_PUT, "PUT" },
	{ HM_PATCH, "PATCH" }, { HM_DELETE, "DELETE" }, { HM_OPTIONS, "OPTIONS" },
};

unsigned router_method_parse(const char *name)
{
	for (size_t i = 0; i < sizeof(router_methods) / sizeof(router_methods[0]); i++)
		if (strcmp(name, router_methods[i].name) == 0)
			return router_methods[i].m;
	return 0;
}

const char *router_method_name(unsigned method)
{
	for (size_t i = 0; i < sizeof(router_methods) / sizeof(router_methods[0]); i++)
		if (method == router_methods[i].m)
			return router_methods[i].name;
	return "?";
}

size_t router_allow_str(unsigned allow, char *buf, size_t len)
{
	size_t n = 0;

	if (len == 0)
		return 0;
	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(router_methods) / sizeof(router_methods[0]); i++) {
		int w;

		if ((allow & router_methods[i].m) == 0)
			continue;
		w = snprintf(buf + n, len - n, "%s%s", n ? ", " : "", router_methods[i].name);
		if (w < 0 || (size_t)w >= len - n) {
			buf[n] = '\0';                  /* no half-written method name */
			break;
		}
		n += (size_t)w;
	}
	return n;
}

/* Match one pattern; fills names/values. 1 on match. */
static int router_match_one(const char *pat, const char *path, struct route_match *m)
{
	size_t np = 0;

	while (*pat != '\0' && *path != '\0') {
		if (*pat == '{') {
			const char *close = strchr(pat, '}');
			size_t nl = close ? (size_t)(close - pat - 1) : 0, vl = strcspn(path, "/");

			if (close == NULL || np == ROUTER_MAX_PARAMS || nl >= sizeof(m->names[0]) ||
			    vl == 0 || vl >= ROUTER_MAX_PARAM_LEN)
				return 0;
			memcpy(m->names[np], pat + 1, nl);
			m->names[np][nl] = '\0';
			memcpy(m->values[np], path, vl);
			m->values[np][vl] = '\0';
			np++;
			pat = close + 1;
			path += vl;
			continue;
		}
		if (*pat != *path)
			return 0;
		pat++;
		path++;
	}
	if (*pat != '\0' || *path != '\0')
		return 0;
	m->nparams = np;
	return 1;
}

int router_match(const struct route *table, size_t n, unsigned method, const char *path,
		 struct route_match *m)
{
	struct route_match tmp;
	unsigned want = method == HM_HEAD ? HM_GET : method;
	int found = 0;

	memset(m, 0, sizeof(*m));
	for (size_t i = 0; i < n; i++) {
		if (!router_match_one(table[i].pattern, path, &tmp))
			continue;
		found = 1;
		m->allow |= table[i].method;
		if (table[i].method == HM_GET)
			m->allow |= HM_HEAD;
		if (m->route == NULL && table[i].method == want) {
			unsigned allow = m->allow;

			*m = tmp;
			m->allow = allow;
			m->route = &table[i];
		}
	}
	if (m->route != NULL)
		return 0;
	return found ? 1 : -1;
}

const char *router_param(const struct route_match *m, const char *name)
{
	for (size_t i = 0; i < m->nparams; i++)
		if (strcmp(m->names[i], name) == 0)
			return m->values[i];
	return NULL;
}
