-- 005_forecasts: forecast scenarios and the saved forecast runs (issue 7; DESIGN.md
-- "Forecasting"). One statement per step (DDL auto-commits); every statement ends with ';'
-- at the end of a line. Money is BIGINT pence, rates INT basis points, times UTC DATETIME(6).

-- A named, versioned set of assumptions. spec_json holds the normalised assumptions, pupil
-- and place projections (scenario.c: every assumption present, years in order). A deleted
-- scenario stays as a tombstone (deleted_at) so that the runs made with it keep their link
-- and a list with updated_since shows it go; name_live keeps live names unique.
CREATE TABLE scenarios (
	id               INT UNSIGNED NOT NULL AUTO_INCREMENT,
	name             VARCHAR(100)  NOT NULL,
	description      VARCHAR(1000) NOT NULL DEFAULT '',
	base_year        SMALLINT UNSIGNED NOT NULL,      -- 2026 is 2026-27
	horizon          SMALLINT UNSIGNED NOT NULL,      -- 1..10 years
	spec_json        MEDIUMTEXT    NOT NULL,
	deleted_at       DATETIME(6)   NULL,
	name_live        VARCHAR(100) AS (IF(deleted_at IS NULL, name, NULL)) PERSISTENT,
	version          INT UNSIGNED NOT NULL DEFAULT 1,
	created_at       DATETIME(6)  NOT NULL DEFAULT UTC_TIMESTAMP(6),
	updated_at       DATETIME(6)  NOT NULL DEFAULT UTC_TIMESTAMP(6),
	PRIMARY KEY (id),
	UNIQUE KEY uq_scenarios_name_live (name_live),
	KEY ix_scenarios_updated (updated_at, id),
	CONSTRAINT ck_scenarios_horizon CHECK (horizon BETWEEN 1 AND 10)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A forecast run: what it was run with and by whom, the SHA-256 of every input (the same
-- inputs give the same digest and the same figures), and inputs_json, a record of them (the
-- scenario as it was, each entity's budget status and version, census, reserves, each
-- plugin's name, version and settings). Its results are rows of their own (below). Runs are
-- never changed or deleted: a published forecast stays reproducible.
CREATE TABLE forecast_runs (
	id               INT UNSIGNED NOT NULL AUTO_INCREMENT,
	scenario_id      INT UNSIGNED NOT NULL,
	scenario_version INT UNSIGNED NOT NULL,
	scenario_name    VARCHAR(100) NOT NULL,
	base_year        SMALLINT UNSIGNED NOT NULL,
	horizon          SMALLINT UNSIGNED NOT NULL,
	entities_json    TEXT         NULL,               -- the URNs asked for; NULL: every entity
	digest           CHAR(64)     NOT NULL,
	inputs_json      MEDIUMTEXT   NOT NULL,
	token_id         INT UNSIGNED NULL,
	role             VARCHAR(32)  NOT NULL,
	duration_us      INT UNSIGNED NOT NULL DEFAULT 0, -- the engine's time
	version          INT UNSIGNED NOT NULL DEFAULT 1,
	created_at       DATETIME(6)  NOT NULL DEFAULT UTC_TIMESTAMP(6),
	updated_at       DATETIME(6)  NOT NULL DEFAULT UTC_TIMESTAMP(6),
	PRIMARY KEY (id),
	KEY ix_forecast_runs_updated (updated_at, id),
	KEY ix_forecast_runs_scenario (scenario_id, id),
	KEY ix_forecast_runs_digest (digest),
	CONSTRAINT fk_forecast_runs_scenario FOREIGN KEY (scenario_id) REFERENCES scenarios (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Per run, entity (a URN, 'central', or 'trust' for the consolidation) and academic year
-- (the base year as budgeted, then each forecast year): totals, reserves and KPIs. The KPI
-- columns are NULL when the entity's income (less pass-through GAG) is not positive.
CREATE TABLE forecast_years (
	id                    BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
	run_id                INT UNSIGNED NOT NULL,
	entity                VARCHAR(7)   NOT NULL,
	year                  SMALLINT UNSIGNED NOT NULL,
	pupils                INT          NULL,
	income_pence          BIGINT       NOT NULL,
	expenditure_pence     BIGINT       NOT NULL,
	internal_income_pence BIGINT       NOT NULL,
	internal_expenditure_pence BIGINT  NOT NULL,
	staff_pence           BIGINT       NOT NULL,
	non_staff_pence       BIGINT       NOT NULL,
	contingency_pence     BIGINT       NOT NULL,
	central_charges_pence BIGINT       NOT NULL,
	kpi_income_pence      BIGINT       NOT NULL,
	balance_pence         BIGINT       NOT NULL,
	opening_pence         BIGINT       NOT NULL,
	closing_pence         BIGINT       NOT NULL,
	staff_bp              INT          NULL,
	reserves_bp           INT          NULL,
	balance_bp            INT          NULL,
	version               INT UNSIGNED NOT NULL DEFAULT 1,
	created_at            DATETIME(6)  NOT NULL DEFAULT UTC_TIMESTAMP(6),
	updated_at            DATETIME(6)  NOT NULL DEFAULT UTC_TIMESTAMP(6),
	PRIMARY KEY (id),
	UNIQUE KEY uq_forecast_years (run_id, entity, year),
	KEY ix_forecast_years_updated (updated_at, id),
	CONSTRAINT fk_forecast_years_run FOREIGN KEY (run_id) REFERENCES forecast_runs (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Every projected line of every entity and forecast year ('trust': the consolidated lines by
-- account), with how it was obtained as data (explain_json: driver, inputs, factors), rendered
-- as text when read. Lines are read by run, never listed or synced on their own, so their key
-- is (run, entity, year, line) and they have no (updated_at, id) index: one index to maintain
-- per row keeps saving a run's thousands of lines fast.
CREATE TABLE forecast_lines (
	run_id           INT UNSIGNED NOT NULL,
	entity           VARCHAR(7)   NOT NULL,
	year             SMALLINT UNSIGNED NOT NULL,
	line_no          INT UNSIGNED NOT NULL,
	account_code     VARCHAR(8)   NOT NULL,
	description      VARCHAR(500) NOT NULL DEFAULT '',
	driver           VARCHAR(32)  NOT NULL,
	amount_pence     BIGINT       NOT NULL,
	explain_json     TEXT         NULL,
	version          INT UNSIGNED NOT NULL DEFAULT 1,
	created_at       DATETIME(6)  NOT NULL DEFAULT UTC_TIMESTAMP(6),
	updated_at       DATETIME(6)  NOT NULL DEFAULT UTC_TIMESTAMP(6),
	PRIMARY KEY (run_id, entity, year, line_no),
	CONSTRAINT fk_forecast_lines_run FOREIGN KEY (run_id) REFERENCES forecast_runs (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The run's warnings, in the engine's order: entity '' for the run as a whole, 'trust' for
-- the consolidation; year 0 when not about one year.
CREATE TABLE forecast_warnings (
	id               BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
	run_id           INT UNSIGNED NOT NULL,
	seq              INT UNSIGNED NOT NULL,
	entity           VARCHAR(7)   NOT NULL,
	year             SMALLINT UNSIGNED NOT NULL,
	code             VARCHAR(32)  NOT NULL,
	message          VARCHAR(500) NOT NULL,
	version          INT UNSIGNED NOT NULL DEFAULT 1,
	created_at       DATETIME(6)  NOT NULL DEFAULT UTC_TIMESTAMP(6),
	updated_at       DATETIME(6)  NOT NULL DEFAULT UTC_TIMESTAMP(6),
	PRIMARY KEY (id),
	KEY ix_forecast_warnings_run (run_id, seq),
	KEY ix_forecast_warnings_updated (updated_at, id),
	CONSTRAINT fk_forecast_warnings_run FOREIGN KEY (run_id) REFERENCES forecast_runs (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
