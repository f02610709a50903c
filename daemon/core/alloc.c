/* alloc.c - see alloc.h */
#include "alloc.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "money.h"

const char *const alloc_basis_names[] = { "per_pupil", "per_fte", "floor_area", "equal", "fixed_share", "usage",
					  NULL };

int alloc_basis_parse(const char *name)
{
	for (int i = 0; name != NULL && alloc_basis_names[i] != NULL; i++)
		if (strcmp(alloc_basis_names[i], name) == 0)
			return i;
	return -1;
}

int alloc_split(int64_t total, struct bursar_share *items, size_t n)
{
	return bursar_split(total, items, n);
}

int alloc_net_cost(int64_t net, int64_t vat, int32_t recoverable_bp, int64_t *irrecoverable, int64_t *cost)
{
	int64_t rec, irr, c;

	if (vat < 0 || recoverable_bp < 0 || recoverable_bp > 10000 ||
	    money_muldiv_round(vat, recoverable_bp, 10000, &rec) != 0 || money_sub(vat, rec, &irr) != 0 ||
	    money_add(net, irr, &c) != 0)
		return -1;
	*irrecoverable = irr;
	*cost = c;
	return 0;
}

size_t alloc_format_int(int64_t v, int hundredths, char *buf, size_t len)
{
	char digits[32], tmp[64];
	uint64_t m = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	uint64_t whole = hundredths ? m / 100 : m;
	size_t nd, o = 0;

	nd = (size_t)snprintf(digits, sizeof(digits), "%" PRIu64, whole);
	if (v < 0)
		tmp[o++] = '-';
	for (size_t i = 0; i < nd; i++) {
		if (i > 0 && (nd - i) % 3 == 0)
			tmp[o++] = ',';
		tmp[o++] = digits[i];
	}
	tmp[o] = '\0';
	if (hundredths)
		snprintf(tmp + o, sizeof(tmp) - o, ".%02u", (unsigned)(m % 100));
	return (size_t)snprintf(buf, len, "%s", tmp);
}

/* A basis's label in the prorated form's "(pupils × months)". */
static const char *const alloc_units[ALLOC_NBASES] = { "pupils", "FTE", "m²", "schools", "bp", "units" };

size_t alloc_explain(const struct alloc_explain *e, char *buf, size_t len)
{
	char v[40], t[40], cost[48], what[120];
	const char *unit = e->unit != NULL && e->unit[0] != '\0' ? e->unit : "units";
	int fte = e->basis == ALLOC_PER_FTE;
	size_t n;

	alloc_format_int(e->value, fte, v, sizeof(v));
	/* prorated totals are value × months: FTE hundredths stay hundredths */
	alloc_format_int(e->total, fte, t, sizeof(t));
	money_format_human(e->cost_pence, cost, sizeof(cost));
	if (e->prorated) {
		switch (e->basis) {
		case ALLOC_PER_PUPIL: snprintf(what, sizeof(what), "pupils %s", v); break;
		case ALLOC_PER_FTE: snprintf(what, sizeof(what), "FTE %s", v); break;
		case ALLOC_FLOOR_AREA: snprintf(what, sizeof(what), "floor area %s m²", v); break;
		case ALLOC_EQUAL: snprintf(what, sizeof(what), "%s school", v); break;
		case ALLOC_FIXED_SHARE: snprintf(what, sizeof(what), "fixed share %s bp", v); break;
		case ALLOC_USAGE: snprintf(what, sizeof(what), "%.40s %s", unit, v); break;
		}
		n = (size_t)snprintf(buf, len, "%s × %d month%s of %s (%s × months) × %s", what, e->months,
				     e->months == 1 ? "" : "s", t,
				     e->basis == ALLOC_USAGE ? unit : alloc_units[e->basis], cost);
	} else {
		switch (e->basis) {
		case ALLOC_PER_PUPIL: n = (size_t)snprintf(buf, len, "pupils %s of %s × %s", v, t, cost); break;
		case ALLOC_PER_FTE: n = (size_t)snprintf(buf, len, "FTE %s of %s × %s", v, t, cost); break;
		case ALLOC_FLOOR_AREA:
			n = (size_t)snprintf(buf, len, "floor area %s m² of %s m² × %s", v, t, cost);
			break;
		case ALLOC_EQUAL: n = (size_t)snprintf(buf, len, "%s of %s schools × %s", v, t, cost); break;
		case ALLOC_FIXED_SHARE:
			n = (size_t)snprintf(buf, len, "fixed share %s of %s bp × %s", v, t, cost);
			break;
		case ALLOC_USAGE:
		default:
			n = (size_t)snprintf(buf, len, "%.40s %s of %s × %s", unit, v, t, cost);
			break;
		}
	}
	if (e->extra_penny)
		n += (size_t)snprintf(n < len ? buf + n : NULL, n < len ? len - n : 0, " (+1p remainder)");
	return n;
}
