-- 001_foundation: entities, per-year data, chart of accounts, tokens, audit log.
-- One statement per step (DDL auto-commits); every statement ends with ';' at the end of a line.
-- Times are UTC DATETIME(6); money is BIGINT pence; rates are INT basis points.

CREATE TABLE schools (
	id              INT UNSIGNED NOT NULL AUTO_INCREMENT,
	urn             VARCHAR(7)   NOT NULL,          -- 6-digit URN, or 'central' for the trust's central team
	kind            ENUM('school','central') NOT NULL DEFAULT 'school',
	name            VARCHAR(200) NOT NULL,
	phase           ENUM('primary','infant','junior','secondary','special','all-through') NULL,
	local_authority VARCHAR(100) NOT NULL DEFAULT '',
	finance_model   VARCHAR(64)  NOT NULL DEFAULT '',
	floor_area_m2   INT UNSIGNED NULL,
	version         INT UNSIGNED NOT NULL DEFAULT 1,
	created_at      DATETIME(6)  NOT NULL DEFAULT UTC_TIMESTAMP(6),
	updated_at      DATETIME(6)  NOT NULL DEFAULT UTC_TIMESTAMP(6),
	PRIMARY KEY (id),
	UNIQUE KEY uq_schools_urn (urn),
	KEY ix_schools_updated (updated_at, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Per entity and academic year (year = the starting calendar year: 2026 is 2026-27).
CREATE TABLE school_years (
	id                      INT UNSIGNED NOT NULL AUTO_INCREMENT,
	school_id               INT UNSIGNED NOT NULL,
	year                    SMALLINT UNSIGNED NOT NULL,
	pupils                  INT UNSIGNED NULL,      -- October census
	places                  INT UNSIGNED NULL,      -- high-needs places
	fte_hundredths          INT UNSIGNED NULL,      -- staff FTE x 100
	opening_reserves_pence  BIGINT NULL,
	reserves_basis          ENUM('audited','estimated') NULL,
	actual                  TINYINT(1) NOT NULL DEFAULT 1,  -- 1 actual, 0 projected
	version                 INT UNSIGNED NOT NULL DEFAULT 1,
	created_at              DATETIME(6)  NOT NULL DEFAULT UTC_TIMESTAMP(6),
	updated_at              DATETIME(6)  NOT NULL DEFAULT UTC_TIMESTAMP(6),
	PRIMARY KEY (id),
	UNIQUE KEY uq_school_years (school_id, year),
	KEY ix_school_years_updated (updated_at, id),
	CONSTRAINT fk_school_years_school FOREIGN KEY (school_id) REFERENCES schools (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Chart of accounts: CFR codes plus the trust's internal codes (internal = 1).
CREATE TABLE accounts (
	id          INT UNSIGNED NOT NULL AUTO_INCREMENT,
	code        VARCHAR(8)   NOT NULL,
	name        VARCHAR(200) NOT NULL,
	kind        ENUM('income','expenditure') NOT NULL,
	grp         VARCHAR(24)  NOT NULL,              -- reporting group: gag, dfe_grants, la_income, self_generated, teaching_staff, support_staff, other_staff, premises, supplies, ict, services, other, internal
	driver      VARCHAR(32)  NOT NULL,              -- default forecast driver (DESIGN.md "Drivers")
	is_gag      TINYINT(1)   NOT NULL DEFAULT 0,
	is_teacher  TINYINT(1)   NOT NULL DEFAULT 0,
	is_support  TINYINT(1)   NOT NULL DEFAULT 0,
	is_internal TINYINT(1)   NOT NULL DEFAULT 0,
	active      TINYINT(1)   NOT NULL DEFAULT 1,
	version     INT UNSIGNED NOT NULL DEFAULT 1,
	created_at  DATETIME(6)  NOT NULL DEFAULT UTC_TIMESTAMP(6),
	updated_at  DATETIME(6)  NOT NULL DEFAULT UTC_TIMESTAMP(6),
	PRIMARY KEY (id),
	UNIQUE KEY uq_accounts_code (code)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Bearer tokens: only the SHA-256 of a token is stored.
CREATE TABLE api_tokens (
	id          INT UNSIGNED NOT NULL AUTO_INCREMENT,
	token_hash  BINARY(32)   NOT NULL,
	role        ENUM('finance_director','business_manager','school_system','auditor','admin') NOT NULL,
	label       VARCHAR(200) NOT NULL DEFAULT '',
	created_at  DATETIME(6)  NOT NULL DEFAULT UTC_TIMESTAMP(6),
	revoked_at  DATETIME(6)  NULL,
	PRIMARY KEY (id),
	UNIQUE KEY uq_api_tokens_hash (token_hash)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE api_token_schools (
	token_id    INT UNSIGNED NOT NULL,
	school_id   INT UNSIGNED NOT NULL,
	PRIMARY KEY (token_id, school_id),
	CONSTRAINT fk_token_schools_token FOREIGN KEY (token_id) REFERENCES api_tokens (id),
	CONSTRAINT fk_token_schools_school FOREIGN KEY (school_id) REFERENCES schools (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Every write, in the same transaction as the change.
CREATE TABLE audit_log (
	id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
	at          DATETIME(6)  NOT NULL DEFAULT UTC_TIMESTAMP(6),
	token_id    INT UNSIGNED NULL,                  -- NULL: the command line (bursard token ..., seed)
	role        VARCHAR(32)  NOT NULL,
	action      VARCHAR(32)  NOT NULL,              -- create, update, delete, revoke, ...
	entity      VARCHAR(32)  NOT NULL,              -- school, school_year, token, ...
	entity_id   VARCHAR(64)  NOT NULL,
	request_id  VARCHAR(64)  NOT NULL DEFAULT '',
	before_json LONGTEXT     NULL,
	after_json  LONGTEXT     NULL,
	PRIMARY KEY (id),
	KEY ix_audit_entity (entity, entity_id, id),
	KEY ix_audit_at (at, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- POST Idempotency-Key replay store, per token.
CREATE TABLE idempotency_keys (
	token_id     INT UNSIGNED NOT NULL,
	idem_key     VARCHAR(200) NOT NULL,
	request_hash BINARY(32)   NOT NULL,
	status       SMALLINT UNSIGNED NOT NULL,
	location     VARCHAR(500) NOT NULL DEFAULT '',
	response     MEDIUMTEXT   NOT NULL,
	created_at   DATETIME(6)  NOT NULL DEFAULT UTC_TIMESTAMP(6),
	PRIMARY KEY (token_id, idem_key)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
