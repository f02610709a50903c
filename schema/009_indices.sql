-- 009_indices: the trust's index history (issue 15; DESIGN.md "Forecasting", Drivers, services).
-- The finance director keeps, for each index a contract may be linked to (cpi, nlw, energy ...),
-- its value for each academic year: the rate applied at a contract's anniversary falling in that
-- year. A year with no value takes procurement.indexation_bp. One statement per step (DDL
-- auto-commits); every statement ends with ';' at the end of a line. Times are UTC DATETIME(6).

-- An index, named [a-z0-9_]{1,20} (the API checks it). A deleted one stays as a tombstone (deleted_at, its values removed) so that the
-- services priced with it see the change (their feed items' updated_at moves); a PUT brings it
-- back with a new version.
CREATE TABLE indices (
	name         VARCHAR(20)  NOT NULL,
	description  VARCHAR(500) NOT NULL DEFAULT '',
	deleted_at   DATETIME(6)  NULL,
	version      INT UNSIGNED NOT NULL DEFAULT 1,
	created_at   DATETIME(6)  NOT NULL DEFAULT UTC_TIMESTAMP(6),
	updated_at   DATETIME(6)  NOT NULL DEFAULT UTC_TIMESTAMP(6),
	PRIMARY KEY (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- An index's value for an academic year (2026 = 2026-27) in basis points, with where it came from.
CREATE TABLE index_values (
	index_name  VARCHAR(20)  NOT NULL,
	year        SMALLINT     NOT NULL,
	bp          INT          NOT NULL,
	note        VARCHAR(200) NOT NULL DEFAULT '',
	PRIMARY KEY (index_name, year),
	CONSTRAINT fk_index_values_index FOREIGN KEY (index_name) REFERENCES indices (name),
	CONSTRAINT ck_index_values_year CHECK (year BETWEEN 2000 AND 2099),
	CONSTRAINT ck_index_values_bp CHECK (bp BETWEEN -10000 AND 100000)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
