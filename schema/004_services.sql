-- 004_services: shared services (issue 4): the trust's catalogue of services, which school
-- takes which (subscriptions), for the exact allocation of their costs and the school-systems
-- feed. DESIGN.md "Allocation of shared costs". One statement per step; every statement ends
-- with ';' at the end of a line.

-- A service the trust provides or buys for its schools. Its annual cost comes from its
-- contract (priced by month and indexed, daemon/service.c) or, for an in-house service
-- without one, is entered (annual_cost_pence and its VAT). core: paid from the central charge
-- or pool; traded: recharged to the schools that subscribe. A deleted service stays as a
-- tombstone (deleted_at) so that school systems syncing with updated_since see it go;
-- name_live keeps the names of live services unique.
CREATE TABLE services (
	id                  INT UNSIGNED NOT NULL AUTO_INCREMENT,
	name                VARCHAR(200) NOT NULL,
	category            VARCHAR(32)  NOT NULL,
	description         VARCHAR(2000) NOT NULL DEFAULT '',
	contract_id         INT UNSIGNED NULL,
	account_code        VARCHAR(8)   NOT NULL,
	funding             ENUM('core','traded') NOT NULL,
	basis               ENUM('per_pupil','per_fte','floor_area','equal','fixed_share','usage') NOT NULL,
	usage_unit          VARCHAR(40)  NOT NULL DEFAULT '',
	annual_cost_pence   BIGINT       NULL,              -- entered, net of VAT; NULL when from the contract
	annual_vat_pence    BIGINT       NOT NULL DEFAULT 0,
	deleted_at          DATETIME(6)  NULL,
	name_live           VARCHAR(200) AS (IF(deleted_at IS NULL, name, NULL)) PERSISTENT,
	version             INT UNSIGNED NOT NULL DEFAULT 1,
	created_at          DATETIME(6)  NOT NULL DEFAULT UTC_TIMESTAMP(6),
	updated_at          DATETIME(6)  NOT NULL DEFAULT UTC_TIMESTAMP(6),
	PRIMARY KEY (id),
	UNIQUE KEY uq_services_name_live (name_live),
	KEY ix_services_updated (updated_at, id),
	KEY ix_services_contract (contract_id),
	CONSTRAINT fk_services_contract FOREIGN KEY (contract_id) REFERENCES contracts (id),
	CONSTRAINT fk_services_account FOREIGN KEY (account_code) REFERENCES accounts (code),
	CONSTRAINT ck_services_cost CHECK (annual_cost_pence IS NULL OR annual_cost_pence >= 0),
	CONSTRAINT ck_services_vat CHECK (annual_vat_pence >= 0),
	CONSTRAINT ck_services_source CHECK ((contract_id IS NULL) <> (annual_cost_pence IS NULL))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A school (or the central team) taking a service from start_date to end_date (NULL: open),
-- at a level, with its usage units (usage basis) or fixed share in basis points (fixed_share
-- basis). Removed subscriptions stay as tombstones (deleted_at) for the feed's updated_since.
-- Every write to a subscription also bumps its service's version and updated_at: one ETag
-- covers a service and its set of subscriptions, and the service's updated_at moves whenever
-- the allocation among its subscribers may have changed.
CREATE TABLE subscriptions (
	id                  INT UNSIGNED NOT NULL AUTO_INCREMENT,
	service_id          INT UNSIGNED NOT NULL,
	school_id           INT UNSIGNED NOT NULL,
	start_date          DATE         NOT NULL,
	end_date            DATE         NULL,
	level               VARCHAR(40)  NOT NULL DEFAULT '',
	usage_units         BIGINT       NULL,
	fixed_share_bp      INT          NULL,
	deleted_at          DATETIME(6)  NULL,
	version             INT UNSIGNED NOT NULL DEFAULT 1,
	created_at          DATETIME(6)  NOT NULL DEFAULT UTC_TIMESTAMP(6),
	updated_at          DATETIME(6)  NOT NULL DEFAULT UTC_TIMESTAMP(6),
	PRIMARY KEY (id),
	KEY ix_subscriptions_updated (updated_at, id),
	KEY ix_subscriptions_service (service_id, school_id),
	KEY ix_subscriptions_school (school_id, updated_at, id),
	CONSTRAINT fk_subscriptions_service FOREIGN KEY (service_id) REFERENCES services (id),
	CONSTRAINT fk_subscriptions_school FOREIGN KEY (school_id) REFERENCES schools (id),
	CONSTRAINT ck_subscriptions_end CHECK (end_date IS NULL OR end_date >= start_date),
	CONSTRAINT ck_subscriptions_units CHECK (usage_units IS NULL OR usage_units >= 0),
	CONSTRAINT ck_subscriptions_share CHECK (fixed_share_bp IS NULL OR fixed_share_bp BETWEEN 0 AND 10000)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
