-- 002_contracts: the contract register (issue 3): suppliers and contracts with their
-- procurement route, evidence, terms, approval and waiver. DESIGN.md "Procurement rules".
-- One statement per step; every statement ends with ';' at the end of a line.

CREATE TABLE suppliers (
	id                      INT UNSIGNED NOT NULL AUTO_INCREMENT,
	name                    VARCHAR(200) NOT NULL,
	companies_house_number  CHAR(8)      NULL,          -- 8 digits, or 2 letters + 6 digits (SC123456)
	vat_number              VARCHAR(14)  NULL,          -- GB + 9 or 12 digits, GBGD/GBHA + 3
	contact_name            VARCHAR(200) NOT NULL DEFAULT '',
	contact_email           VARCHAR(254) NOT NULL DEFAULT '',
	contact_phone           VARCHAR(32)  NOT NULL DEFAULT '',
	related_party           TINYINT(1)   NOT NULL DEFAULT 0,
	version                 INT UNSIGNED NOT NULL DEFAULT 1,
	created_at              DATETIME(6)  NOT NULL DEFAULT UTC_TIMESTAMP(6),
	updated_at              DATETIME(6)  NOT NULL DEFAULT UTC_TIMESTAMP(6),
	PRIMARY KEY (id),
	UNIQUE KEY uq_suppliers_companies_house (companies_house_number),
	KEY ix_suppliers_updated (updated_at, id),
	KEY ix_suppliers_name (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A contract of the trust (school_id NULL) or of one school. The evidence of its
-- procurement is one JSON document validated field by field by the daemon
-- (contract.c). Extension options are a JSON array of months; options_used_months and
-- options_total_months are their sums (used / all), written with them, so that the
-- current end, the final end and the notice date can be generated columns for
-- filters and sorts. Their expressions are procure.c's (procure_extend, notice).
CREATE TABLE contracts (
	id                      INT UNSIGNED NOT NULL AUTO_INCREMENT,
	reference               VARCHAR(40)  NOT NULL,
	title                   VARCHAR(200) NOT NULL,
	supplier_id             INT UNSIGNED NOT NULL,
	category                ENUM('catering','cleaning','ict','payroll_hr','insurance','energy','water','audit',
	                             'legal','grounds','waste','copiers','supply_agency','compliance','other') NOT NULL,
	contract_type           ENUM('goods_services','light_touch','works','concession') NOT NULL,
	school_id               INT UNSIGNED NULL,          -- NULL: trust-wide
	route                   ENUM('direct_award','single_quote','three_quotes','framework','open_tender','waiver') NOT NULL,
	procurement_started_on  DATE         NOT NULL,
	evidence_json           MEDIUMTEXT   NOT NULL,
	start_date              DATE         NOT NULL,
	end_date                DATE         NULL,          -- NULL only when auto_renew
	extension_options       VARCHAR(200) NOT NULL DEFAULT '[]',
	options_used            SMALLINT UNSIGNED NOT NULL DEFAULT 0,
	options_used_months     SMALLINT UNSIGNED NOT NULL DEFAULT 0,
	options_total_months    SMALLINT UNSIGNED NOT NULL DEFAULT 0,
	notice_period           SMALLINT UNSIGNED NOT NULL DEFAULT 0,
	notice_unit             ENUM('days','months') NOT NULL DEFAULT 'days',
	auto_renew              TINYINT(1)   NOT NULL DEFAULT 0,
	annual_value_pence      BIGINT       NOT NULL,      -- net of VAT
	vat_pence               BIGINT       NOT NULL DEFAULT 0,
	indexation              ENUM('none','fixed','index') NOT NULL DEFAULT 'none',
	indexation_index        VARCHAR(16)  NULL,          -- cpi, rpi, nlw, energy
	indexation_bp           INT          NOT NULL DEFAULT 0,
	status                  ENUM('draft','awaiting_approval','active','expired','terminated') NOT NULL DEFAULT 'draft',
	status_reason           VARCHAR(1000) NOT NULL DEFAULT '',
	status_changed_at       DATETIME(6)  NULL,
	approved_level          ENUM('business_manager','finance_director','board') NULL,
	board_minute            VARCHAR(100) NULL,
	approved_at             DATETIME(6)  NULL,
	approved_by             INT UNSIGNED NULL,          -- token id; NULL for the seed
	exception_kind          ENUM('waiver','breach_acknowledgement') NULL,
	exception_reason        VARCHAR(1000) NULL,
	exception_at            DATETIME(6)  NULL,
	exception_by            INT UNSIGNED NULL,
	current_end             DATE AS (end_date + INTERVAL 1 DAY + INTERVAL options_used_months MONTH - INTERVAL 1 DAY) PERSISTENT,
	final_end               DATE AS (end_date + INTERVAL 1 DAY + INTERVAL options_total_months MONTH - INTERVAL 1 DAY) PERSISTENT,
	notice_by               DATE AS (IF(notice_unit = 'months',
	                                    end_date + INTERVAL 1 DAY + INTERVAL options_used_months MONTH - INTERVAL 1 DAY - INTERVAL notice_period MONTH,
	                                    end_date + INTERVAL 1 DAY + INTERVAL options_used_months MONTH - INTERVAL 1 DAY - INTERVAL notice_period DAY)) PERSISTENT,
	version                 INT UNSIGNED NOT NULL DEFAULT 1,
	created_at              DATETIME(6)  NOT NULL DEFAULT UTC_TIMESTAMP(6),
	updated_at              DATETIME(6)  NOT NULL DEFAULT UTC_TIMESTAMP(6),
	PRIMARY KEY (id),
	UNIQUE KEY uq_contracts_reference (reference),
	KEY ix_contracts_updated (updated_at, id),
	KEY ix_contracts_supplier (supplier_id),
	KEY ix_contracts_school (school_id),
	KEY ix_contracts_category (category, procurement_started_on),
	KEY ix_contracts_status (status),
	KEY ix_contracts_current_end (current_end, id),
	KEY ix_contracts_notice_by (notice_by, id),
	CONSTRAINT fk_contracts_supplier FOREIGN KEY (supplier_id) REFERENCES suppliers (id),
	CONSTRAINT fk_contracts_school FOREIGN KEY (school_id) REFERENCES schools (id),
	CONSTRAINT ck_contracts_vat CHECK (vat_pence >= 0 AND vat_pence <= annual_value_pence),
	CONSTRAINT ck_contracts_end CHECK (end_date IS NULL OR end_date >= start_date),
	CONSTRAINT ck_contracts_no_end CHECK (end_date IS NOT NULL OR auto_renew = 1)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
