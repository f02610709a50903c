-- 016_forecast_staffing: a forecast year's ICFP measures of an entity planning by post (issue 16;
-- README "Staff from posts"): staffing_json holds the year's staffing_metrics (openapi
-- StaffingMetrics) as the run computed them from its costed posts, the year's pupils and the
-- entity's forecast expenditure, so a saved run reads them back exactly. NULL for the trust's
-- rows, an entity not planning by post, and every run saved before this migration.

ALTER TABLE forecast_years ADD COLUMN staffing_json TEXT NULL AFTER balance_bp;
