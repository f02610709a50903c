/*
 * bursar_plugin.h - the finance-rules plugin ABI. A plugin includes this header
 * and, for money arithmetic, bursar_arith.h (the daemon's own exact rounding and
 * largest-remainder split, header-only), and nothing else of bursar's. This one
 * depends on nothing but <stdint.h> and <stddef.h>.
 *
 * A plugin is a shared object (built -fPIC -shared -fvisibility=hidden) that
 * exports exactly one symbol, `bursar_rules_entry`, a const struct bursar_rules
 * (declared at the end of this file). bursard loads plugin "x" from <paths.plugins>/x.so
 * with dlopen(RTLD_NOW | RTLD_LOCAL), checks `abi` and `size`, checks that `name`
 * is "x", and calls init() with the settings of the plugin's own config group:
 *
 *     plugins = ( { name = "x"; settings = { rate_bp = 500; rate_bp_159901 = 400; }; } );
 *
 * Versioning. Every struct here that crosses the boundary starts with its own
 * size (or, for array elements, the array carries its element size), and structs
 * only ever grow at the end. Within one BURSAR_RULES_ABI:
 *   - what the daemon passes in may be larger than the plugin was built for (a
 *     newer daemon): step through arrays by the element size given, never by
 *     sizeof, and ignore what you do not know;
 *   - it may be smaller (an older daemon): read a field added later only when
 *     BURSAR_HAS(size, type, field) says the daemon filled it in;
 *   - what the plugin passes back (postings, findings) carries the plugin's own
 *     `size`; the daemon reads what is there and takes the rest as zero.
 * An incompatible change bumps BURSAR_RULES_ABI, and the daemon refuses plugins
 * built for another one.
 *
 * Ownership. Nothing allocated on one side is freed on the other. Everything
 * the daemon passes in (settings, years, budgets, strings) is borrowed for the
 * duration of the call only: copy what you keep (init must copy its settings).
 * Everything a plugin passes to ctx->post and ctx->finding is copied by the
 * daemon before the callback returns, so a plugin may pass stack buffers. State
 * returned by init belongs to the plugin and is given back to fini.
 *
 * Threading. init and fini run once, on the daemon's main thread, before any
 * worker starts and after every worker has stopped. validate_budget and
 * apply_year may run on several worker threads at once, with the same state:
 * the state is read-only after init (no caches, no static buffers, no global
 * mutable data). Callbacks must be called on the thread that called the plugin,
 * before the plugin function returns.
 *
 * Money is int64_t pence, rates int32_t basis points (5% = 500); no floating
 * point: round and split with bursar_arith.h so the figures agree with the
 * daemon's to the penny. Academic years are the year they start in (2026 = "2026-27").
 * Entities are named by URN: six digits for a school, BURSAR_CENTRAL for the
 * trust's central team.
 */
#ifndef BURSAR_PLUGIN_H
#define BURSAR_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#define BURSAR_RULES_ABI 1

/* The central team's identifier wherever a URN may stand. */
#define BURSAR_CENTRAL "central"

/* The trust's internal account codes (a charge is a cost in one entity and the
 * same income in another; consolidation drops them). */
#define BURSAR_ACC_CHARGE          "INT01"   /* expenditure: central services charge (top-slice) */
#define BURSAR_ACC_CHARGE_RECEIVED "INT02"   /* income: central services charge received */
#define BURSAR_ACC_POOLED          "INT03"   /* expenditure: GAG pooled to the trust */
#define BURSAR_ACC_POOL_RECEIVED   "INT04"   /* income: pooled GAG received */
#define BURSAR_ACC_ALLOCATION      "INT05"   /* income: GAG allocation from the pool */
#define BURSAR_ACC_ALLOCATED       "INT06"   /* expenditure: GAG allocations to schools */

/* True when a struct of `size` bytes (as the other side filled it in) holds `field`. */
#define BURSAR_HAS(size, type, field) \
	((size_t)(size) >= offsetof(type, field) + sizeof(((type *)0)->field))

/* Element i of an array whose elements are `elem_size` bytes apart. */
#define BURSAR_AT(type, base, elem_size, i) \
	((const type *)(const void *)((const char *)(base) + (size_t)(i) * (size_t)(elem_size)))

/* ---- settings ----------------------------------------------------------------- */

/* One setting of the plugin's config group. Values arrive as text whatever their
 * type in the file: integers in decimal ("500"), booleans "true"/"false". */
struct bursar_setting {
	const char *key;
	const char *value;
};

struct bursar_settings {
	uint32_t size;                           /* sizeof(struct bursar_settings) */
	uint32_t item_size;                      /* sizeof(struct bursar_setting) */
	size_t n;
	const struct bursar_setting *items;      /* n items, item_size bytes apart */
};

/* ---- what plugins read -------------------------------------------------------- */

/* Income streams and expenditure, as budget lines and entity totals are split. */
enum bursar_stream {
	BURSAR_STREAM_GAG = 0,                   /* income: General Annual Grant */
	BURSAR_STREAM_DFE_OTHER = 1,             /* income: other DfE/ESFA grants (pupil premium...) */
	BURSAR_STREAM_LA = 2,                    /* income: local authority (SEN top-ups...) */
	BURSAR_STREAM_SELF = 3,                  /* income: self-generated (lettings, catering...) */
	BURSAR_STREAM_EXPENDITURE = 4,           /* expenditure */
	BURSAR_STREAM_INTERNAL = 5,              /* an internal code (INT..), income or expenditure */
};

/*
 * One budget line, or one line flagged excluded_from_central. The flag marks
 * lines that come off the top of a central charge's base, income or expenditure
 * alike: usually expenditure whose funding is inside GAG (rates E17, PFI E28b),
 * sometimes an income line. The bundled plugins take off their base (GAG, or
 * all income for local's base = "all_income") every excluded expenditure line
 * and every excluded income line of a stream in that base:
 *     base = income in the base - those excluded lines' amounts.
 * Excluded income lines of other streams and internal lines do not count.
 */
struct bursar_line {
	const char *account;                     /* "I01", "E03", "INT01" */
	const char *description;                 /* "" when none */
	int32_t stream;                          /* enum bursar_stream */
	int32_t excluded;                        /* 1: excluded from central charges and pooling (rates, PFI) */
	int32_t is_income;                       /* 1: an income code, 0: expenditure */
	int32_t index;                           /* position in the budget's lines (for "/lines/N"), or -1 */
	int64_t amount_pence;                    /* income and expenditure both positive */
};

/* One entity's projected figures for one year. */
struct bursar_entity {
	const char *urn;                         /* "159901" */
	const char *name;
	int32_t pupils;                          /* funded pupils (October census); 0 when none */
	int32_t places;                          /* high-needs places; 0 when none */
	int64_t gag_pence;                       /* income by stream, external only */
	int64_t dfe_other_pence;
	int64_t la_pence;
	int64_t self_generated_pence;
	int64_t expenditure_pence;               /* external expenditure */
	/* the lines flagged excluded_from_central (income and expenditure);
	 * they are already included in the totals above, so a plugin subtracts
	 * them from its base (see struct bursar_line) */
	const struct bursar_line *excluded;
	size_t nexcluded;
	size_t excluded_size;                    /* sizeof(struct bursar_line) */
};

/* One year's figures of every school under this plugin's model. The central team
 * is not among them: post to it as BURSAR_CENTRAL. */
struct bursar_year {
	uint32_t size;                           /* sizeof(struct bursar_year) */
	int32_t year;                            /* 2026 = 2026-27 */
	const struct bursar_entity *entities;    /* sorted by URN */
	size_t nentities;
	size_t entity_size;                      /* sizeof(struct bursar_entity) */
};

/* One school's budget for a year, to validate. */
struct bursar_budget {
	uint32_t size;                           /* sizeof(struct bursar_budget) */
	int32_t year;
	const char *urn;
	int32_t pupils;
	const struct bursar_line *lines;         /* in the budget's order: index i is "/lines/i" */
	size_t nlines;
	size_t line_size;                        /* sizeof(struct bursar_line) */
	/* the year's figures of every school under this model (pooling needs the
	 * others to work out this school's allocation), or NULL when not known */
	const struct bursar_year *context;
};

/* ---- what plugins report ------------------------------------------------------ */

/*
 * One internal charge or allocation: `amount_pence` is a cost to `payer` (booked
 * to `payer_account`, an expenditure code) and the same income to `payee`
 * (`payee_account`, an income code). A posting is therefore a pair that nets to
 * zero across the trust. amount_pence >= 0; payer != payee.
 */
struct bursar_posting {
	uint32_t size;                           /* sizeof(struct bursar_posting) */
	const char *payer;                       /* URN or BURSAR_CENTRAL */
	const char *payer_account;
	const char *payee;
	const char *payee_account;
	int64_t amount_pence;
	const char *basis;                       /* short key: "topslice", "pool", "allocation" */
	int64_t base_pence;                      /* the figure a rate was applied to, or 0 */
	int32_t rate_bp;                         /* the rate applied, or -1 when none */
	const char *explanation;                 /* one line of text for people */
};

enum bursar_severity {
	BURSAR_INFO = 0,
	BURSAR_WARNING = 1,
	BURSAR_ERROR = 2,
};

struct bursar_finding {
	uint32_t size;                           /* sizeof(struct bursar_finding) */
	int32_t severity;                        /* enum bursar_severity */
	const char *field;                       /* JSON Pointer into the budget ("/lines/3/amount_pence"), or "" */
	const char *message;
};

/*
 * The daemon's side of a call. Both callbacks copy what they are given and
 * return 0, or -1 when the daemon refuses it (an unknown entity, a negative
 * amount, out of memory): the plugin should then stop and return -1.
 */
struct bursar_ctx {
	uint32_t size;                           /* sizeof(struct bursar_ctx) */
	void *daemon;                            /* the daemon's; do not touch */
	int (*post)(struct bursar_ctx *ctx, const struct bursar_posting *p);
	int (*finding)(struct bursar_ctx *ctx, const struct bursar_finding *f);
};

/* ---- the plugin --------------------------------------------------------------- */

struct bursar_rules {
	uint32_t abi;                            /* BURSAR_RULES_ABI when built */
	uint32_t size;                           /* sizeof(struct bursar_rules) */
	const char *name;                        /* must equal the configured name: a-z, 0-9, _ */
	const char *version;                     /* "1.0.0" */
	const char *description;                 /* one line */
	/*
	 * Check and copy the settings; set *state (may stay NULL). 0, or -1 with a
	 * message in err (errlen bytes, NUL-terminated) naming the setting and the
	 * reason; the daemon then does not start. NULL: the plugin takes no settings.
	 */
	int (*init)(const struct bursar_settings *settings, void **state, char *err, size_t errlen);
	/*
	 * Check one school's budget against the model; report each problem with
	 * ctx->finding: BURSAR_ERROR refuses the budget on submit, BURSAR_WARNING is
	 * stored with it, BURSAR_INFO (e.g. "not checked: no context") is dropped by
	 * the daemon. Name the line in `field` ("/lines/3/amount_pence",
	 * "/lines/3/account_code"), or "/lines" for something missing. 0, or -1 when
	 * it could not check (a callback refused). NULL: nothing to check.
	 */
	int (*validate_budget)(const void *state, const struct bursar_budget *b, struct bursar_ctx *ctx);
	/*
	 * One year of the model: post every internal charge and allocation with
	 * ctx->post. A figure that cannot be worked out is reported with
	 * ctx->finding (BURSAR_ERROR) and the call returns -1. Required.
	 */
	int (*apply_year)(const void *state, const struct bursar_year *y, struct bursar_ctx *ctx);
	void (*fini)(void *state);               /* free the state; NULL: nothing to free */
	/* append only; an incompatible change bumps BURSAR_RULES_ABI */
};

/*
 * The one symbol a plugin exports. Define it in the plugin, at file scope:
 *     const struct bursar_rules bursar_rules_entry = { .abi = BURSAR_RULES_ABI, ... };
 * This declaration gives it default visibility under -fvisibility=hidden.
 */
__attribute__((visibility("default"))) extern const struct bursar_rules bursar_rules_entry;

#endif
