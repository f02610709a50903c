/*
 * forecast_explain.h - how each projected figure was obtained, as data (the
 * driver, its inputs and factors: stored with the line) and as text rendered
 * from that data when read, so a finance director can check any figure by hand:
 *
 *   E01: £1,204,330.00 × 1.025 (Sept award +2.50%) = £1,234,438.25 Sep–Mar; ...
 *
 * Pure: no I/O; thread-safe.
 */
#ifndef BURSAR_FORECAST_EXPLAIN_H
#define BURSAR_FORECAST_EXPLAIN_H

#include <stdint.h>

#include <cjson/cJSON.h>

#include "forecast.h"

/*
 * The explanation of line l of entity e in year k (1..H) as a JSON object:
 * {"driver", and the inputs of that driver: "prev_pence", "pupils",
 * "pupils_before", "funding_bp", "index", "index_bp", "places",
 * "place_rate_pence", "e_prev_pence", "m_pence", "e_pence", "pay_bp",
 * "oncost_bp", "base" (the base year's E, in the first year), "cost_pence",
 * "share", "rest", "label", "fallback", "plugin", "basis", "counterparty",
 * "direction", "base_pence", "rate_bp", "text", "pooled"}. A services line with
 * a cost: "cost_pence" (the entity's services cost on the code), "share" or
 * "rest" (this line's part of it: num/den, or what the lines before it left),
 * "service_pence" (that part), "index", "index_bp", "rest_of_line_prev_pence"
 * and "rest_of_line_pence" (R, indexed by CPI), and in the first year "base":
 * {"year", "amount_pence", "cost_pence", "service_pence",
 * "rest_of_line_pence", "short_pence"}. A management action: {"driver":
 * "action", "from", "to" (dates, "to" null when open-ended), "annual_pence",
 * "months"}. Staff from posts: {"driver": "posts", "pay_pence", "ni_pence",
 * "pension_pence", "posts", "fte_h", "cost_pence"} and in the first year "base":
 * {"year", "amount_pence" (the budget's lines on the code), "cost_pence" (the
 * posts' base-year cost)}; a second line on the code: {"driver": "posts",
 * "with_first_line": true}. The central team's levy and employment allowance
 * from posts (E08): {"driver": "posts", "levy": true, "pay_bill_pence",
 * "levy_pence", "employment_allowance_pence", "cost_pence"} and "base" as a
 * staff line's. NULL: no memory.
 */
cJSON *forecast_explain_json(const struct forecast_result *r, const struct forecast_entity *e,
			     const struct forecast_line *l, int k);

/* The text of an explanation (as forecast_explain_json made it, or as stored)
 * for a line on `code` whose amount is `amount`. Caller frees; NULL: no memory. */
char *forecast_explain_text(const char *code, int64_t amount, const cJSON *x);

#endif
