/*
 * forecast_setup.h - a forecast run's working state (struct forecast_setup:
 * forecast.c fills it from the input and drives the run) and what is built
 * from it before any year is projected (forecast_setup.c): the chart's index
 * by code, the services by URN, and each selected entity's lines: the pooled
 * GAG handed to a pooled school, its base lines with their drivers, the
 * services lines (its share of each code's cost, or CPI), a line per
 * management action, the base-year figures the drivers start from (E[Y0] of
 * staff lines, S[Y0] and R[Y0] of services lines) and the warnings they give.
 *
 * Internal to the engine. Every function that fails records why in the
 * state (the first failure only: kind, err) and returns -1.
 * Pure: no I/O; thread-safe (a state per run).
 */
#ifndef BURSAR_FORECAST_SETUP_H
#define BURSAR_FORECAST_SETUP_H

#include <stddef.h>
#include <stdint.h>

#include "forecast.h"
#include "forecast_report.h"

/* A key and where it is in the input: an account's code, or a service's URN. */
struct forecast_setup_key {
	const char *key;
	size_t i;
};

struct forecast_setup {
	const struct forecast_input *in;
	const struct forecast_assumptions *a;
	struct forecast_result *r;
	int H;
	struct forecast_setup_key *aord;         /* the accounts sorted by code */
	const struct forecast_account **ahash;   /* open addressing by code: amask + 1 slots */
	size_t amask;
	enum forecast_driver *adrv;              /* per account: its default driver parsed, */
	char (*aix)[FORECAST_INDEX_MAX + 1];     /* and its index (aslot: its slot); adrv_ok: parsed */
	int *aslot, *adrv_ok;
	struct forecast_setup_key *sord;         /* the services by URN, each URN's in input order */
	struct forecast_setup_key *tord;         /* the staff costs by URN, each URN's in input order */
	int cpi;                                 /* the slot of "cpi", or -1 */
	int32_t (*cn)[FORECAST_NC];              /* every input entity's census, resolved */
	int *pooled;                             /* per input entity: a pooled school */
	const struct forecast_account ***bacc;   /* per input entity: each base line's account */
	size_t central_i;                        /* the central team's input index */
	int64_t *pool_w, pool_W;                 /* per input entity: its weight in the split */
	int64_t **pool_share;                    /* per central GAG line: each input entity's share */
	size_t npool_lines;
	const struct forecast_entity_in *central;
	const char **models;                     /* the finance models of the selected schools */
	size_t nmodels;
	int *emodel;                             /* per selected entity: its model, or -1 */
	int have_pooled;
	size_t *act_head, *act_next;             /* per input entity: its actions (index + 1, 0: none) */
	size_t *act_n;                           /* per input entity: how many */
	int kf;                                  /* the first year out of range (fc_project) */
	size_t ef;                               /* and the first entity with it */
	enum forecast_error kind;
	char *err;
	size_t errlen;
	char warned_index[FORECAST_MAX_INDICES][FORECAST_INDEX_MAX + 1];
	size_t nwarned_index;
};

/* Record the failure (the first one only: kind and the message into err). -1. */
int forecast_setup_fail(struct forecast_setup *c, enum forecast_error kind, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int forecast_setup_nomem(struct forecast_setup *c);                      /* "out of memory": -1 */
int forecast_setup_range(struct forecast_setup *c, const char *urn);     /* "<urn>: amounts out of range": -1 */

/* A warning of the run (forecast_warn); out of memory is recorded as the failure. */
#define forecast_setup_warn(c, ...) \
	((void)(forecast_warn((c)->r, __VA_ARGS__) != 0 && forecast_setup_nomem(c)))

/* The chart indexed by code (each account's default driver parsed): aord, ahash,
 * adrv, aix, aslot, adrv_ok. 0, or -1 (an account incomplete or in it twice). */
int forecast_setup_accounts(struct forecast_setup *c) __attribute__((warn_unused_result));

/* The account with this code (NULL: none, or code NULL). */
const struct forecast_account *forecast_setup_account(const struct forecast_setup *c, const char *code);

/* The services indexed by URN (sord; each URN's in input order). 0 or -1. */
int forecast_setup_services_index(struct forecast_setup *c) __attribute__((warn_unused_result));

/* The staff costs indexed by URN (tord; each URN's in input order). 0 or -1. */
int forecast_setup_staff_index(struct forecast_setup *c) __attribute__((warn_unused_result));

/* The latest value at or before each year of FORECAST_NC: a projection counts
 * for its year, the last census is carried forward; FORECAST_NO_DATA only before any. */
void forecast_setup_carry(const int32_t *in, int32_t *out);

/*
 * Selected entity e's lines (input entity ei_index; the state prepared: pooled
 * schools, pool shares, actions by entity, services index): pooled GAG first,
 * the base lines (those on a code with staff costed from posts: driver
 * `posts`), staff lines of codes with no base line, service lines, action
 * lines, with room for `posts` posting lines after them; the base year of staff
 * and services lines; its places_fallback, services_fallback, services_short,
 * staff_base_differs and unbudgeted_base_change warnings. 0 or -1.
 */
int forecast_setup_entity(struct forecast_setup *c, struct forecast_entity *e, size_t ei_index, size_t posts)
	__attribute__((warn_unused_result));

#endif
