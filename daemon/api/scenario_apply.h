/*
 * scenario_apply.h - a scenario's what-ifs applied to one forecast run's inputs
 * (DESIGN.md "What-ifs never touch live data"): each school's finance model
 * from overrides.finance_model, the plugins with overrides.plugin_settings
 * merged over their configured settings (private instances for the run:
 * plugin_registry_with), and the management actions as the engine's struct
 * forecast_action. Nothing live changes: no school row, no configuration, no
 * registry another worker uses.
 *
 * Thread: the request's worker; the result is the run's alone.
 */
#ifndef BURSAR_SCENARIO_APPLY_H
#define BURSAR_SCENARIO_APPLY_H

#include <stddef.h>

#include "forecast.h"
#include "plugin.h"
#include "problem.h"
#include "scenario.h"
#include "staffing.h"

struct scenario_apply {
	struct plugins *own;                     /* the run's registry, or NULL when no setting is overridden */
	const struct plugins *plugins;           /* what the run uses: own, or the process's */
	struct forecast_action *actions;         /* borrow the scenario's strings */
	size_t nactions;
};

/*
 * The plugins a run of s uses, into ap->plugins (the live registry ps when s
 * overrides no setting), and s's actions. 0, or -1 with the problem set: a
 * plugin s overrides that is not loaded or whose init refuses the merged
 * settings is a 422 at /overrides/plugin_settings/<plugin> with the plugin's
 * message; out of memory is a 500. Free with scenario_apply_free either way;
 * keep s alive while ap is used.
 */
int scenario_apply_begin(const struct plugins *ps, const struct scenario *s, struct scenario_apply *ap,
			 struct problem *p) __attribute__((warn_unused_result));
void scenario_apply_free(struct scenario_apply *ap);   /* NULL ok; leaves it empty */

/* Each of e[0..n)'s finance model from s's overrides, where it has one (the
 * strings are s's). The central team has none. */
void scenario_apply_models(const struct scenario *s, struct forecast_entity_in *e, size_t n);

/* The run's copy of the posts with the scenario's staffing actions applied. */
struct scenario_posts {
	struct staff_post *posts;                /* the live posts' copies (strings borrowed), then the new ones */
	size_t n;
	struct staff_fte_change *fte;            /* the FTE changes the posts point into */
};

/* A scale by name for a new post (NULL: none). */
typedef const struct staff_scale *(*scenario_scale_of)(const void *arg, const char *name);

/*
 * live[0..nlive) copied into out with s's post_end (end = the day before from,
 * when earlier), post_fte (an FTE change from a date) and post_start (a new post
 * from the later of from and its starts_on, its scale found by scale_of) actions
 * applied in order; an action may name a post an earlier one started. The live
 * posts are not written. 0, or -1 with the problem set: a reference no live post
 * of the entity has is a 422 at /actions/N/post, a new post's unknown scale or
 * point at /actions/N/post/scale or /point. Free with scenario_apply_posts_free
 * either way; keep s and live alive while out is used.
 */
int scenario_apply_posts(const struct scenario *s, const struct staff_post *live, size_t nlive,
			 scenario_scale_of scale_of, const void *arg, struct scenario_posts *out, struct problem *p)
	__attribute__((warn_unused_result));
void scenario_apply_posts_free(struct scenario_posts *out);

/*
 * Check s's plugin setting overrides against ps as a run would (each plugin's
 * init with the merged settings, then fini), for a scenario being saved. Adds a
 * field error at /overrides/plugin_settings/<plugin> for each refused; returns
 * their number, or -1 when out of memory (the problem set).
 */
int scenario_apply_check(const struct plugins *ps, const struct scenario *s, struct problem *p);

#endif
