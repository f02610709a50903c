-- 010_forecast_run_status: forecast runs are named and private until published (issue 15;
-- DESIGN.md "Runs are named and private until published"). A run has a label (1-100
-- characters) and notes (0-2000); it is a draft, which only the finance director and
-- auditors see, until the finance director publishes it (published_at, published_by: the
-- person or token, as the audit log names them); withdrawing it makes it a draft again. A
-- draft may be deleted. One statement per step (DDL auto-commits).

ALTER TABLE forecast_runs ADD COLUMN label VARCHAR(100) NOT NULL DEFAULT '' AFTER scenario_name, ADD COLUMN notes VARCHAR(2000) NOT NULL DEFAULT '' AFTER label, ADD COLUMN status ENUM('draft', 'published') NOT NULL DEFAULT 'draft' AFTER notes, ADD COLUMN published_at DATETIME(6) NULL AFTER status, ADD COLUMN published_by VARCHAR(300) NULL AFTER published_at;

-- Runs saved before this migration were visible to every business manager whose school they
-- held: they stay visible, published when they were run, labelled as a new run would be
-- (the scenario's name and the run's date).
UPDATE forecast_runs SET status = 'published', published_at = created_at, published_by = 'before run status (migration 010)', label = CONCAT(LEFT(scenario_name, 89), ' ', DATE_FORMAT(created_at, '%Y-%m-%d'));

ALTER TABLE forecast_runs ADD KEY ix_forecast_runs_status (status, updated_at, id);
