/* router.c - see router.h */
#include "router.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
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

/*
 * Match one pattern; with m, also fills its names and values. 1 on match.
 * Without m nothing is copied: router_match tries every pattern that way and
 * fills the match from the one route it picks.
 */
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
			if (m != NULL) {
				memcpy(m->names[np], pat + 1, nl);
				m->names[np][nl] = '\0';
				memcpy(m->values[np], path, vl);
				m->values[np][vl] = '\0';
			}
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
	if (m != NULL)
		m->nparams = np;
	return 1;
}

int router_match(const struct route *table, size_t n, unsigned method, const char *path,
		 struct route_match *m)
{
	unsigned want = method == HM_HEAD ? HM_GET : method;
	int found = 0;

	m->route = NULL;
	m->allow = 0;
	m->nparams = 0;
	for (size_t i = 0; i < n; i++) {
		if (!router_match_one(table[i].pattern, path, NULL))
			continue;
		found = 1;
		m->allow |= table[i].method;
		if (table[i].method == HM_GET)
			m->allow |= HM_HEAD;
		if (m->route == NULL && table[i].method == want) {
			router_match_one(table[i].pattern, path, m);
			m->route = &table[i];
		}
	}
	if (m->route != NULL)
		return 0;
	return found ? 1 : -1;
}

struct router_seg {
	const char *s;                           /* a literal's text, or a parameter's name */
	size_t len;
	int param;
};

struct router_route {
	size_t nseg;
	struct router_seg seg[ROUTER_MAX_SEGS];
};

struct router {
	const struct route *table;
	size_t n;
	struct router_route r[];
};

/* A path or pattern's segments (after each '/'); -1 when it does not start with '/' or has
 * more than max. */
static int router_split(const char *s, struct router_seg *seg, size_t max)
{
	size_t k = 0;

	if (*s != '/')
		return -1;
	while (*s == '/') {
		const char *e = s + 1 + strcspn(s + 1, "/");

		if (k == max)
			return -1;
		seg[k].s = s + 1;
		seg[k].len = (size_t)(e - s - 1);
		seg[k].param = 0;
		k++;
		s = e;
	}
	return (int)k;
}

struct router *router_new(const struct route *table, size_t n)
{
	struct router *rt = calloc(1, sizeof(*rt) + n * sizeof(rt->r[0]));

	if (rt == NULL)
		return NULL;
	rt->table = table;
	rt->n = n;
	for (size_t i = 0; i < n; i++) {
		struct router_route *r = &rt->r[i];
		int k = router_split(table[i].pattern, r->seg, ROUTER_MAX_SEGS);
		size_t np = 0;

		if (k < 0)
			goto refuse;
		r->nseg = (size_t)k;
		for (size_t j = 0; j < r->nseg; j++) {
			struct router_seg *g = &r->seg[j];
			const char *open = memchr(g->s, '{', g->len), *close = memchr(g->s, '}', g->len);

			if (open == NULL && close == NULL)
				continue;
			/* only "{name}" as a whole segment, as router_match takes it */
			if (open != g->s || close != g->s + g->len - 1 || memchr(g->s + 1, '{', g->len - 1) != NULL ||
			    g->len - 2 >= sizeof(((struct route_match *)0)->names[0]) || np == ROUTER_MAX_PARAMS)
				goto refuse;
			g->s++;
			g->len -= 2;
			g->param = 1;
			np++;
		}
	}
	return rt;
refuse:
	free(rt);
	return NULL;
}

void router_free(struct router *rt)
{
	free(rt);
}

static int router_fits(const struct router_route *r, const struct router_seg *path, size_t nseg)
{
	if (r->nseg != nseg)
		return 0;
	for (size_t j = 0; j < nseg; j++) {
		const struct router_seg *g = &r->seg[j];

		if (g->param ? path[j].len == 0 || path[j].len >= ROUTER_MAX_PARAM_LEN
			     : g->len != path[j].len || memcmp(g->s, path[j].s, g->len) != 0)
			return 0;
	}
	return 1;
}

int router_find(const struct router *rt, unsigned method, const char *path, struct route_match *m)
{
	struct router_seg seg[ROUTER_MAX_SEGS];
	unsigned want = method == HM_HEAD ? HM_GET : method;
	int nseg = router_split(path, seg, ROUTER_MAX_SEGS), found = 0;

	m->route = NULL;
	m->allow = 0;
	m->nparams = 0;
	if (nseg < 0)
		return -1;
	for (size_t i = 0; i < rt->n; i++) {
		const struct router_route *r = &rt->r[i];

		if (!router_fits(r, seg, (size_t)nseg))
			continue;
		found = 1;
		m->allow |= rt->table[i].method;
		if (rt->table[i].method == HM_GET)
			m->allow |= HM_HEAD;
		if (m->route != NULL || rt->table[i].method != want)
			continue;
		m->route = &rt->table[i];
		for (size_t j = 0; j < r->nseg; j++) {
			if (!r->seg[j].param)
				continue;
			memcpy(m->names[m->nparams], r->seg[j].s, r->seg[j].len);
			m->names[m->nparams][r->seg[j].len] = '\0';
			memcpy(m->values[m->nparams], seg[j].s, seg[j].len);
			m->values[m->nparams][seg[j].len] = '\0';
			m->nparams++;
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
