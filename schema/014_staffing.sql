-- 014_staffing: staffing by post (issue 16; DESIGN.md "Staffing"). The pay scales (teachers' by
-- academic year and pay area, the NJC spine by pay year), the on-cost rates by tax year, each
-- entity's LGPS employer rate, and each entity's posts. One statement per step (DDL
-- auto-commits); every statement ends with ';' at the end of a line. Money is BIGINT pence, rates
-- basis points; times are UTC DATETIME(6). Years: 2026 is 2026-27 (academic, tax or pay year).

-- Whether an entity plans its staff by post (its budget's staff lines are then costed from its
-- posts), and its teaching periods a cycle (for the contact ratio).
ALTER TABLE schools ADD COLUMN staff_by_post TINYINT(1) NOT NULL DEFAULT 0 AFTER floor_area_m2,
	ADD COLUMN periods_per_cycle SMALLINT UNSIGNED NULL AFTER staff_by_post;

-- A pay scale, named [a-z0-9_]{1,40} (the API checks it). teacher: values per academic year,
-- awards in September; support: values per pay year (April to March), awards in April.
CREATE TABLE pay_scales (
	id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
	name        VARCHAR(40)  NOT NULL,
	title       VARCHAR(120) NOT NULL,
	kind        ENUM('teacher','support') NOT NULL,
	area        ENUM('england','fringe','outer_london','inner_london') NULL,   -- teachers' pay area
	version     INT UNSIGNED NOT NULL DEFAULT 1,
	created_at  DATETIME(6)  NOT NULL DEFAULT UTC_TIMESTAMP(6),
	updated_at  DATETIME(6)  NOT NULL DEFAULT UTC_TIMESTAMP(6),
	PRIMARY KEY (id),
	UNIQUE KEY uq_pay_scales_name (name),
	KEY ix_pay_scales_updated (updated_at, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- A point's full-time annual salary in a year (academic year for a teacher scale, pay year for a
-- support scale; a support scale's values include the trust's local weighting when it is the
-- weighted spine). ord orders the points (an increment moves up by ord).
CREATE TABLE pay_scale_points (
	scale_id      BIGINT UNSIGNED NOT NULL,
	year          SMALLINT     NOT NULL,
	point         VARCHAR(8)   NOT NULL,
	ord           SMALLINT     NOT NULL,
	annual_pence  BIGINT       NOT NULL,
	PRIMARY KEY (scale_id, year, point),
	UNIQUE KEY uq_pay_scale_points_ord (scale_id, year, ord),
	CONSTRAINT fk_pay_scale_points_scale FOREIGN KEY (scale_id) REFERENCES pay_scales (id),
	CONSTRAINT ck_pay_scale_points_year CHECK (year BETWEEN 2000 AND 2099),
	CONSTRAINT ck_pay_scale_points_ord CHECK (ord BETWEEN 1 AND 999),
	CONSTRAINT ck_pay_scale_points_annual CHECK (annual_pence BETWEEN 0 AND 100000000)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- The on-costs of a tax year (April to March).
CREATE TABLE staff_rates (
	tax_year                    SMALLINT     NOT NULL,
	ni_bp                       INT          NOT NULL,   -- employer's NI: 1500
	ni_threshold_pence          BIGINT       NOT NULL,   -- secondary threshold a year: 500000
	ni_upper_pence              BIGINT       NOT NULL,   -- upper secondary threshold a year (M, H): 5027000
	tps_bp                      INT          NOT NULL,   -- 2868
	levy_bp                     INT          NOT NULL,   -- apprenticeship levy: 50
	levy_allowance_pence        BIGINT       NOT NULL,   -- 1500000
	employment_allowance_pence  BIGINT       NOT NULL,   -- 1050000
	version                     INT UNSIGNED NOT NULL DEFAULT 1,
	created_at                  DATETIME(6)  NOT NULL DEFAULT UTC_TIMESTAMP(6),
	updated_at                  DATETIME(6)  NOT NULL DEFAULT UTC_TIMESTAMP(6),
	PRIMARY KEY (tax_year),
	CONSTRAINT ck_staff_rates_year CHECK (tax_year BETWEEN 2000 AND 2099),
	CONSTRAINT ck_staff_rates_bp CHECK (ni_bp BETWEEN 0 AND 10000 AND tps_bp BETWEEN 0 AND 10000
		AND levy_bp BETWEEN 0 AND 10000),
	CONSTRAINT ck_staff_rates_pence CHECK (ni_threshold_pence >= 0 AND ni_upper_pence >= 0
		AND levy_allowance_pence >= 0 AND employment_allowance_pence >= 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Each entity's LGPS fund employer rate by tax year.
CREATE TABLE lgps_rates (
	school_id  INT UNSIGNED NOT NULL,
	tax_year   SMALLINT     NOT NULL,
	rate_bp    INT          NOT NULL,
	PRIMARY KEY (school_id, tax_year),
	CONSTRAINT fk_lgps_rates_school FOREIGN KEY (school_id) REFERENCES schools (id),
	CONSTRAINT ck_lgps_rates_year CHECK (tax_year BETWEEN 2000 AND 2099),
	CONSTRAINT ck_lgps_rates_bp CHECK (rate_bp BETWEEN 0 AND 10000)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- The version of an entity's LGPS list (its ETag: a PUT replaces the whole list). No row: version 0.
CREATE TABLE lgps_rate_lists (
	school_id   INT UNSIGNED NOT NULL,
	version     INT UNSIGNED NOT NULL DEFAULT 1,
	updated_at  DATETIME(6)  NOT NULL DEFAULT UTC_TIMESTAMP(6),
	PRIMARY KEY (school_id),
	CONSTRAINT fk_lgps_rate_lists_school FOREIGN KEY (school_id) REFERENCES schools (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- An entity's post. A deleted post stays as a tombstone (deleted_at) so that sync feeds see the
-- deletion; its reference is free again (live_reference is NULL). holder_name is personal data.
CREATE TABLE posts (
	id                     BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
	school_id              INT UNSIGNED NOT NULL,
	reference              VARCHAR(40)  NOT NULL,
	title                  VARCHAR(120) NOT NULL,
	role                   ENUM('teacher','leadership','teaching_assistant','admin','premises','catering',
	                            'other_support') NOT NULL,
	account_id             INT UNSIGNED NOT NULL,          -- E01..E07 or E31
	scale_id               BIGINT UNSIGNED NOT NULL,
	point                  VARCHAR(8)   NOT NULL,
	top_point              VARCHAR(8)   NULL,              -- NULL: the scale's top
	point_year             SMALLINT     NOT NULL,          -- `point` is held at the start of this academic year
	fte_h                  INT          NOT NULL,          -- hundredths, 1..100
	paid_weeks_h           INT          NULL,              -- hundredths of a week, 1..5214; NULL: all year
	tlr_pence              BIGINT       NOT NULL DEFAULT 0,   -- allowances a year
	sen_pence              BIGINT       NOT NULL DEFAULT 0,
	fringe_pence           BIGINT       NOT NULL DEFAULT 0,
	other_allowance_pence  BIGINT       NOT NULL DEFAULT 0,
	pension                ENUM('tps','lgps','none') NOT NULL,
	ni_category            ENUM('A','M','H') NOT NULL DEFAULT 'A',
	starts_on              DATE         NULL,              -- NULL: before any year costed
	ends_on                DATE         NULL,              -- NULL: open-ended
	vacant                 TINYINT(1)   NOT NULL DEFAULT 0,
	holder_name            VARCHAR(120) NULL,              -- personal data; NULL when vacant
	periods_taught         SMALLINT UNSIGNED NULL,         -- a teacher's periods a cycle
	version                INT UNSIGNED NOT NULL DEFAULT 1,
	created_at             DATETIME(6)  NOT NULL DEFAULT UTC_TIMESTAMP(6),
	updated_at             DATETIME(6)  NOT NULL DEFAULT UTC_TIMESTAMP(6),
	deleted_at             DATETIME(6)  NULL,
	live_reference         VARCHAR(40) AS (IF(deleted_at IS NULL, reference, NULL)) PERSISTENT,
	PRIMARY KEY (id),
	UNIQUE KEY uq_posts_live_reference (school_id, live_reference),
	KEY ix_posts_school_updated (school_id, updated_at, id),
	KEY ix_posts_updated (updated_at, id),
	CONSTRAINT fk_posts_school FOREIGN KEY (school_id) REFERENCES schools (id),
	CONSTRAINT fk_posts_account FOREIGN KEY (account_id) REFERENCES accounts (id),
	CONSTRAINT fk_posts_scale FOREIGN KEY (scale_id) REFERENCES pay_scales (id),
	CONSTRAINT ck_posts_fte CHECK (fte_h BETWEEN 1 AND 100),
	CONSTRAINT ck_posts_weeks CHECK (paid_weeks_h IS NULL OR paid_weeks_h BETWEEN 1 AND 5214),
	CONSTRAINT ck_posts_year CHECK (point_year BETWEEN 2000 AND 2099),
	CONSTRAINT ck_posts_allowances CHECK (tlr_pence BETWEEN 0 AND 100000000 AND sen_pence BETWEEN 0 AND 100000000
		AND fringe_pence BETWEEN 0 AND 100000000 AND other_allowance_pence BETWEEN 0 AND 100000000),
	CONSTRAINT ck_posts_dates CHECK (ends_on IS NULL OR starts_on IS NULL OR ends_on >= starts_on),
	CONSTRAINT ck_posts_vacant CHECK (vacant = 0 OR holder_name IS NULL)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
