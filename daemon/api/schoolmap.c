/* schoolmap.c - see schoolmap.h */
#include "schoolmap.h"

#include <stdlib.h>
#include <string.h>

#include "store_schools.h"

struct schoolmap {
	struct store_school_urn *e;              /* sorted by URN (strcmp) */
	size_t n, cap;
	int loaded;
};

struct schoolmap *schoolmap_new(void)
{
	return calloc(1, sizeof(struct schoolmap));
}

void schoolmap_free(struct schoolmap *m)
{
	if (m == NULL)
		return;
	free(m->e);
	free(m);
}

void schoolmap_clear(struct schoolmap *m)
{
	free(m->e);
	m->e = NULL;
	m->n = m->cap = 0;
	m->loaded = 0;
}

static int schoolmap_cmp(const void *a, const void *b)
{
	return strcmp(((const struct store_school_urn *)a)->urn, ((const struct store_school_urn *)b)->urn);
}

/* The index of urn, or where it would go (*found 0). */
static size_t schoolmap_search(const struct schoolmap *m, const char *urn, int *found)
{
	size_t lo = 0, hi = m->n;

	*found = 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(m->e[mid].urn, urn);

		if (c == 0) {
			*found = 1;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int schoolmap_load(struct schoolmap *m, struct db *db, struct problem *p)
{
	struct store_school_urn *v;
	size_t n;

	if (store_schools_urn_ids(db, &v, &n, p) != 0)
		return -1;
	/* sorted by the store already; sorting again costs nothing and makes the search's
	 * order this file's own (strcmp), whatever the database's collation */
	if (n > 1)
		qsort(v, n, sizeof(*v), schoolmap_cmp);
	free(m->e);
	m->e = v;
	m->n = m->cap = n;
	m->loaded = 1;
	return 0;
}

/* Add e at its place (a lookup that missed). Out of memory: not kept, harmless. */
static void schoolmap_add(struct schoolmap *m, const struct store_school_urn *e)
{
	int found;
	size_t at = schoolmap_search(m, e->urn, &found);

	if (found)
		return;
	if (m->n == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 16;
		struct store_school_urn *v = realloc(m->e, cap * sizeof(*v));

		if (v == NULL)
			return;
		m->e = v;
		m->cap = cap;
	}
	memmove(&m->e[at + 1], &m->e[at], (m->n - at) * sizeof(*m->e));
	m->e[at] = *e;
	m->n++;
}

int schoolmap_find(struct schoolmap *m, struct db *db, const char *urn, int64_t *id, int *is_school,
		   struct problem *p)
{
	struct store_school_urn one;
	const struct store_school_urn *e;
	int found, rc;
	size_t at;

	if (!m->loaded && schoolmap_load(m, db, p) != 0)
		return -1;
	at = schoolmap_search(m, urn, &found);
	if (found) {
		e = &m->e[at];
	} else {
		if ((rc = store_schools_urn_id(db, urn, &one, p)) <= 0)
			return rc;
		schoolmap_add(m, &one);
		e = &one;
	}
	*id = e->id;
	if (is_school != NULL)
		*is_school = e->is_school;
	return 1;
}
