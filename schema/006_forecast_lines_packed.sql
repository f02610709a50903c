-- 006_forecast_lines_packed: a forecast's projected lines are kept with their entity and
-- year, in forecast_years.lines_json, instead of one row each in forecast_lines (issue 7's
-- "the demo trust in under 20 ms through the API": saving ~1,900 rows cost ~10-20 ms of the
-- server's time on its own; ~66 rows with their lines packed cost ~2-4 ms). The results keep
-- rows of their own, one per run, entity and year; forecast_lines stays readable in SQL as a
-- view with the same columns, so reports and auditors' queries see one row per line as before.
--
-- lines_json: a JSON array, one element per line in line order:
--   [line_no, account_code, description, driver, amount_pence, explain]
-- where explain is the line's explanation as data (driver, inputs, factors: see
-- daemon/forecast_explain.h), or null for the trust's consolidated lines. NULL for the base
-- year, whose lines are the budgets themselves. One statement per step (DDL auto-commits).

ALTER TABLE forecast_years ADD COLUMN lines_json MEDIUMTEXT NULL AFTER balance_bp;

-- JSON_ARRAYAGG is cut at group_concat_max_len: an entity-year of a large trust can be long.
SET SESSION group_concat_max_len = 1073741824;

-- Runs saved before this migration: their line rows packed into their years, nothing lost.
UPDATE forecast_years y SET y.lines_json = (
	SELECT JSON_ARRAYAGG(JSON_ARRAY(l.line_no, l.account_code, l.description, l.driver, l.amount_pence,
					JSON_EXTRACT(l.explain_json, '$')) ORDER BY l.line_no)
	FROM forecast_lines l WHERE l.run_id = y.run_id AND l.entity = y.entity AND l.year = y.year);

DROP TABLE forecast_lines;

-- One row per line, as the table had (explain_json is the JSON text 'null' for trust lines).
CREATE SQL SECURITY INVOKER VIEW forecast_lines AS
	SELECT y.run_id, y.entity, y.year, j.line_no, j.account_code, j.description, j.driver, j.amount_pence,
	       j.explain_json, y.version, y.created_at, y.updated_at
	FROM forecast_years y, JSON_TABLE(y.lines_json, '$[*]' COLUMNS (
		line_no INT UNSIGNED PATH '$[0]',
		account_code VARCHAR(8) CHARACTER SET utf8mb4 PATH '$[1]',
		description VARCHAR(500) CHARACTER SET utf8mb4 PATH '$[2]',
		driver VARCHAR(32) CHARACTER SET utf8mb4 PATH '$[3]',
		amount_pence BIGINT PATH '$[4]',
		explain_json JSON PATH '$[5]')) AS j;
