-- 012_light_touch_concession: a contract type of its own for a concession whose services are
-- light-touch (a school-meals catering concession, for one). The Procurement Act 2023 gives it its
-- own threshold (£5,372,609, kept in 2026 when other concessions fell to £5,193,000); the
-- thresholds are config, by contract type (procurement.thresholds). Issue 15, item 10.

ALTER TABLE contracts MODIFY contract_type
	ENUM('goods_services','light_touch','works','concession','light_touch_concession') NOT NULL;
