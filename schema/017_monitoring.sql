-- 017_monitoring: profiles, the ledger mapping, actuals and commitments, closed periods,
-- outturns, variance commentary and the BFR's lines (issue 17; DESIGN.md "Monitoring,
-- management accounts and the BFR"). One statement per step (DDL auto-commits); every statement
-- ends with ';' at the end of a line. Money is BIGINT pence in the direction of the account's
-- kind (income received, cost incurred); weights are basis points; months are 1 = September ..
-- 12 = August of the academic year `year` (2026 is 2026-27); times are UTC DATETIME(6).

-- A named monthly profile: twelve weights in basis points, September first, summing to 10000
-- (the API checks both), written as text "834,834,...". Named [a-z][a-z0-9_]{0,31}.
CREATE TABLE profiles (
	id          INT UNSIGNED NOT NULL AUTO_INCREMENT,
	name        VARCHAR(32)  NOT NULL,
	description VARCHAR(200) NOT NULL DEFAULT '',
	weights     VARCHAR(120) NOT NULL,
	version     INT UNSIGNED NOT NULL DEFAULT 1,
	created_at  DATETIME(6)  NOT NULL DEFAULT UTC_TIMESTAMP(6),
	updated_at  DATETIME(6)  NOT NULL DEFAULT UTC_TIMESTAMP(6),
	PRIMARY KEY (id),
	UNIQUE KEY uq_profiles_name (name),
	KEY ix_profiles_updated (updated_at, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Each account's default profile (NULL: `even`) and the BFR line it reports on (NULL: none, for
-- the internal codes, which consolidation drops).
ALTER TABLE accounts ADD COLUMN default_profile VARCHAR(32) NULL AFTER driver,
	ADD COLUMN bfr_line SMALLINT UNSIGNED NULL AFTER default_profile;

-- A budget line's profile: a named one (profile), or its own weights (profile_weights, the same
-- text as profiles.weights), or neither (the account's default). months_pence freezes a line's
-- twelve months as exact pence when they come from elsewhere (a generated staff line's monthly
-- costing, at submit): "123,456,..." summing to amount_pence.
ALTER TABLE budget_lines ADD COLUMN profile VARCHAR(32) NULL AFTER driver,
	ADD COLUMN profile_weights VARCHAR(120) NULL AFTER profile,
	ADD COLUMN months_pence VARCHAR(300) NULL AFTER profile_weights;

-- The trust's finance system: its cost centres (one entity each) and nominal codes (one account
-- each). An actuals row needs both mapped, or it is a row error.
CREATE TABLE ledger_cost_centres (
	id          INT UNSIGNED NOT NULL AUTO_INCREMENT,
	code        VARCHAR(20)  NOT NULL,
	school_id   INT UNSIGNED NOT NULL,
	description VARCHAR(200) NOT NULL DEFAULT '',
	version     INT UNSIGNED NOT NULL DEFAULT 1,
	created_at  DATETIME(6)  NOT NULL DEFAULT UTC_TIMESTAMP(6),
	updated_at  DATETIME(6)  NOT NULL DEFAULT UTC_TIMESTAMP(6),
	PRIMARY KEY (id),
	UNIQUE KEY uq_ledger_cost_centres_code (code),
	KEY ix_ledger_cost_centres_updated (updated_at, id),
	CONSTRAINT fk_ledger_cost_centres_school FOREIGN KEY (school_id) REFERENCES schools (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE ledger_nominals (
	id          INT UNSIGNED NOT NULL AUTO_INCREMENT,
	code        VARCHAR(20)  NOT NULL,
	account_id  INT UNSIGNED NOT NULL,
	description VARCHAR(200) NOT NULL DEFAULT '',
	version     INT UNSIGNED NOT NULL DEFAULT 1,
	created_at  DATETIME(6)  NOT NULL DEFAULT UTC_TIMESTAMP(6),
	updated_at  DATETIME(6)  NOT NULL DEFAULT UTC_TIMESTAMP(6),
	PRIMARY KEY (id),
	UNIQUE KEY uq_ledger_nominals_code (code),
	KEY ix_ledger_nominals_updated (updated_at, id),
	CONSTRAINT fk_ledger_nominals_account FOREIGN KEY (account_id) REFERENCES accounts (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- One import of a ledger export (actuals or commitments): what it replaced and who did it.
CREATE TABLE actual_imports (
	id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
	year        SMALLINT UNSIGNED NOT NULL,
	kind        ENUM('actual','commitment') NOT NULL,
	filename    VARCHAR(200) NOT NULL DEFAULT '',
	months      VARCHAR(40)  NOT NULL,               -- the months it replaced: "1,2,3"
	row_count   INT UNSIGNED NOT NULL,               -- ledger rows read
	actor       VARCHAR(300) NOT NULL DEFAULT '',
	created_at  DATETIME(6)  NOT NULL DEFAULT UTC_TIMESTAMP(6),
	PRIMARY KEY (id),
	KEY ix_actual_imports_year (year, kind, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- The ledger's figures per entity, month and account, summed over the nominal codes that map to
-- the account. Re-importing an entity's month replaces its rows of that kind.
CREATE TABLE actuals (
	id           BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
	school_id    INT UNSIGNED NOT NULL,
	year         SMALLINT UNSIGNED NOT NULL,
	month        TINYINT UNSIGNED NOT NULL,
	kind         ENUM('actual','commitment') NOT NULL,
	account_id   INT UNSIGNED NOT NULL,
	amount_pence BIGINT NOT NULL,
	import_id    BIGINT UNSIGNED NULL,
	PRIMARY KEY (id),
	UNIQUE KEY uq_actuals (school_id, year, month, kind, account_id),
	KEY ix_actuals_year (year, kind, month),
	CONSTRAINT fk_actuals_school FOREIGN KEY (school_id) REFERENCES schools (id),
	CONSTRAINT fk_actuals_account FOREIGN KEY (account_id) REFERENCES accounts (id),
	CONSTRAINT fk_actuals_import FOREIGN KEY (import_id) REFERENCES actual_imports (id),
	CONSTRAINT ck_actuals_month CHECK (month BETWEEN 1 AND 12)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- A trust-wide accounting period (a month of an academic year). No row: open. A closed month's
-- actuals and commitments are locked until a finance director reopens it with a reason.
CREATE TABLE periods (
	id             INT UNSIGNED NOT NULL AUTO_INCREMENT,
	year           SMALLINT UNSIGNED NOT NULL,
	month          TINYINT UNSIGNED NOT NULL,
	closed         TINYINT(1)   NOT NULL DEFAULT 0,
	closed_at      DATETIME(6)  NULL,
	closed_by      VARCHAR(300) NULL,
	reopen_reason  VARCHAR(500) NULL,
	version        INT UNSIGNED NOT NULL DEFAULT 1,
	created_at     DATETIME(6)  NOT NULL DEFAULT UTC_TIMESTAMP(6),
	updated_at     DATETIME(6)  NOT NULL DEFAULT UTC_TIMESTAMP(6),
	PRIMARY KEY (id),
	UNIQUE KEY uq_periods (year, month),
	CONSTRAINT ck_periods_month CHECK (month BETWEEN 1 AND 12)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- A forecast outturn entered for an entity's code and year, with the note that explains it;
-- without one the outturn is the actuals to date plus the rest of the profile.
CREATE TABLE outturns (
	id           INT UNSIGNED NOT NULL AUTO_INCREMENT,
	school_id    INT UNSIGNED NOT NULL,
	year         SMALLINT UNSIGNED NOT NULL,
	account_id   INT UNSIGNED NOT NULL,
	amount_pence BIGINT NOT NULL,
	note         VARCHAR(1000) NOT NULL,
	updated_by   VARCHAR(300) NOT NULL DEFAULT '',
	version      INT UNSIGNED NOT NULL DEFAULT 1,
	created_at   DATETIME(6)  NOT NULL DEFAULT UTC_TIMESTAMP(6),
	updated_at   DATETIME(6)  NOT NULL DEFAULT UTC_TIMESTAMP(6),
	PRIMARY KEY (id),
	UNIQUE KEY uq_outturns (school_id, year, account_id),
	CONSTRAINT fk_outturns_school FOREIGN KEY (school_id) REFERENCES schools (id),
	CONSTRAINT fk_outturns_account FOREIGN KEY (account_id) REFERENCES accounts (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Commentary on an entity's variance for a code in a month (what the management accounts list).
CREATE TABLE variance_comments (
	id           INT UNSIGNED NOT NULL AUTO_INCREMENT,
	school_id    INT UNSIGNED NOT NULL,
	year         SMALLINT UNSIGNED NOT NULL,
	month        TINYINT UNSIGNED NOT NULL,
	account_id   INT UNSIGNED NOT NULL,
	comment      VARCHAR(2000) NOT NULL,
	updated_by   VARCHAR(300) NOT NULL DEFAULT '',
	version      INT UNSIGNED NOT NULL DEFAULT 1,
	created_at   DATETIME(6)  NOT NULL DEFAULT UTC_TIMESTAMP(6),
	updated_at   DATETIME(6)  NOT NULL DEFAULT UTC_TIMESTAMP(6),
	PRIMARY KEY (id),
	UNIQUE KEY uq_variance_comments (school_id, year, month, account_id),
	CONSTRAINT fk_variance_comments_school FOREIGN KEY (school_id) REFERENCES schools (id),
	CONSTRAINT fk_variance_comments_account FOREIGN KEY (account_id) REFERENCES accounts (id),
	CONSTRAINT ck_variance_comments_month CHECK (month BETWEEN 1 AND 12)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The BFR's lines by the DfE's line number (EFALineNo). kind: an account line (accounts map to
-- it), a total of other lines, the balance carried forward, or pupil numbers. published: the
-- number is the DfE's own; 0 for a detail line bursar adds under a published total.
CREATE TABLE bfr_lines (
	line_no     SMALLINT UNSIGNED NOT NULL,
	label       VARCHAR(200) NOT NULL,
	section     ENUM('income','expenditure','balance','pupils') NOT NULL,
	kind        ENUM('line','total','balance','pupils') NOT NULL,
	published   TINYINT(1)   NOT NULL DEFAULT 1,
	sort        SMALLINT UNSIGNED NOT NULL,
	PRIMARY KEY (line_no)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- What the BFR states beside its figures for a budget year, for the trust (scope 'trust') or an
-- entity (its URN or 'central'): why reserves above 20% of income are held and how they will be used.
CREATE TABLE bfr_notes (
	id                    INT UNSIGNED NOT NULL AUTO_INCREMENT,
	year                  SMALLINT UNSIGNED NOT NULL,
	scope                 VARCHAR(7)   NOT NULL,
	reserves_explanation  VARCHAR(4000) NOT NULL DEFAULT '',
	updated_by            VARCHAR(300) NOT NULL DEFAULT '',
	version               INT UNSIGNED NOT NULL DEFAULT 1,
	created_at            DATETIME(6)  NOT NULL DEFAULT UTC_TIMESTAMP(6),
	updated_at            DATETIME(6)  NOT NULL DEFAULT UTC_TIMESTAMP(6),
	PRIMARY KEY (id),
	UNIQUE KEY uq_bfr_notes (year, scope)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
