-- 003_budgets: a budget per entity (school or the central team) and academic year, and its
-- lines. One statement per step (DDL auto-commits); every statement ends with ';' at the end
-- of a line. Money is BIGINT pence; times are UTC DATETIME(6).
--
-- One ETag covers a budget and its lines: every line write bumps budgets.version. Lines are
-- part of the budget's representation (never synced one by one with updated_since), so a
-- deleted line is deleted, not kept as a tombstone; the audit log keeps what it was.

CREATE TABLE budgets (
	id               INT UNSIGNED NOT NULL AUTO_INCREMENT,
	school_id        INT UNSIGNED NOT NULL,
	year             SMALLINT UNSIGNED NOT NULL,      -- start year: 2026 is 2026-27
	status           ENUM('draft','submitted','approved') NOT NULL DEFAULT 'draft',
	findings_json    MEDIUMTEXT   NULL,               -- the warnings found at the last submit (a JSON array)
	submitted_at     DATETIME(6)  NULL,
	approved_at      DATETIME(6)  NULL,
	board_minute_ref VARCHAR(100) NULL,               -- the board minute that approved it
	return_reason    VARCHAR(500) NULL,               -- why the finance director returned it (last time)
	reopen_reason    VARCHAR(500) NULL,               -- why an approved budget was reopened (last time)
	version          INT UNSIGNED NOT NULL DEFAULT 1,
	created_at       DATETIME(6)  NOT NULL DEFAULT UTC_TIMESTAMP(6),
	updated_at       DATETIME(6)  NOT NULL DEFAULT UTC_TIMESTAMP(6),
	PRIMARY KEY (id),
	UNIQUE KEY uq_budgets_school_year (school_id, year),
	KEY ix_budgets_year (year, school_id),
	KEY ix_budgets_updated (updated_at, id),
	CONSTRAINT fk_budgets_school FOREIGN KEY (school_id) REFERENCES schools (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- amount_pence: positive in the direction of the account's kind (income received, cost
-- incurred); negative only as a credit against that account (a rebate, a clawback).
CREATE TABLE budget_lines (
	id                    BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
	budget_id             INT UNSIGNED NOT NULL,
	line_no               INT UNSIGNED NOT NULL,      -- position in the budget (1, 2, ...)
	account_id            INT UNSIGNED NOT NULL,
	description           VARCHAR(200) NOT NULL DEFAULT '',
	amount_pence          BIGINT       NOT NULL,
	driver                VARCHAR(32)  NULL,          -- forecast driver override; NULL: the account's default
	excluded_from_central TINYINT(1)   NOT NULL DEFAULT 0,  -- rates, PFI: out of top-slice and pooling bases
	version               INT UNSIGNED NOT NULL DEFAULT 1,
	created_at            DATETIME(6)  NOT NULL DEFAULT UTC_TIMESTAMP(6),
	updated_at            DATETIME(6)  NOT NULL DEFAULT UTC_TIMESTAMP(6),
	PRIMARY KEY (id),
	KEY ix_budget_lines_budget (budget_id, line_no),
	KEY ix_budget_lines_updated (updated_at, id),
	CONSTRAINT fk_budget_lines_budget FOREIGN KEY (budget_id) REFERENCES budgets (id),
	CONSTRAINT fk_budget_lines_account FOREIGN KEY (account_id) REFERENCES accounts (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
