-- 008_budget_computed_lines: a budget's computed lines (issue 14). Every internal code
-- (accounts.is_internal) is posted by the entity's finance-rules plugin, never typed: a draft
-- derives its computed lines whenever it is read; submit and approve freeze them here as rows
-- with computed = 1 and the plugin's explanation, after the typed lines; return and reopen
-- delete them again. One statement per step (DDL auto-commits).

ALTER TABLE budget_lines ADD COLUMN computed TINYINT(1) NOT NULL DEFAULT 0 AFTER excluded_from_central;

ALTER TABLE budget_lines ADD COLUMN explanation VARCHAR(1000) NULL AFTER computed;
