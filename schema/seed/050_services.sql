-- 050_services: the demo trust's catalogue of shared services and who takes them in 2026-27
-- (issue 4; DESIGN.md "Allocation of shared costs", domain.md §2). Every name and figure is
-- INVENTED. Services bought through a contract of the register (030_contracts.sql) are linked
-- to it by reference and cost what the contract costs in the year (priced by month, indexed
-- at each anniversary: daemon/service.c); in-house services have an entered annual cost.
-- Since the contracts' dates are relative to the day the demo is seeded, so are those costs
-- (PAY-TRUST-2024 ends within 2026-27, for example: the year's cost counts its months).
--
-- Every allocation basis is used:
--   per_fte      Payroll, pensions and HR (traded; the central team takes it too)
--   per_pupil    Managed ICT service (traded), Managed print (traded), RPA and engineering
--                insurance (core)
--   floor_area   Cleaning by the trust's own team (traded; Teal Basin joins on 1 January
--                2027 after its cleaning contract ended, so it pays for 8 months),
--                Energy (traded), Estates compliance surveys (core)
--   equal        Audit (core), Waste and recycling (traded), Education law advice (core)
--   usage        School meals from the Southend kitchen hub, in meals a year (traded)
--   fixed_share  Grounds maintenance of the Southend sites: Oystercatcher's grounds contract
--                also keeps the Samphire federation's playing field; shares agreed by the
--                heads: 50% / 20% / 30%
-- Core services are paid from the central charge or the pool (their shares are shown, not
-- recharged); traded services are recharged to their subscribers.

INSERT INTO services (name, category, description, contract_id, account_code, funding, basis, usage_unit, annual_cost_pence, annual_vat_pence) VALUES
('Payroll, pensions and HR', 'payroll_hr', 'Monthly payroll, pension returns (TPS, LGPS), HR casework and the HR system, for every school and the central team.', (SELECT id FROM contracts WHERE reference = 'PAY-TRUST-2024'), 'E28a', 'traded', 'per_fte', '', NULL, 0),
('Managed ICT service', 'ict', 'Network, devices, helpdesk and on-site technicians for every school.', (SELECT id FROM contracts WHERE reference = 'ICT-TRUST-2026'), 'E20', 'traded', 'per_pupil', '', NULL, 0),
('Managed print', 'copiers', 'Multifunction devices, toner and servicing.', (SELECT id FROM contracts WHERE reference = 'CPY-TRUST-2022'), 'E22', 'traded', 'per_pupil', '', NULL, 0),
('Risk protection and engineering insurance', 'insurance', 'Engineering insurance and statutory inspections of lifts, boilers and pressure systems; RPA membership is deducted from GAG.', (SELECT id FROM contracts WHERE reference = 'INS-TRUST-2026'), 'E23', 'core', 'per_pupil', '', NULL, 0),
('Cleaning (trust cleaning team)', 'cleaning', 'Daily cleaning by the trust''s own cleaning team, with materials.', NULL, 'E14', 'traded', 'floor_area', '', 29500000, 0),
('Energy', 'energy', 'Electricity and gas for every site, bought through the trust''s framework contract.', (SELECT id FROM contracts WHERE reference = 'NRG-TRUST-2026'), 'E16', 'traded', 'floor_area', '', NULL, 0),
('Estates compliance surveys', 'compliance', 'Water hygiene, fire risk and asbestos surveys on every site.', (SELECT id FROM contracts WHERE reference = 'CMP-TRUST-2025'), 'E18', 'core', 'floor_area', '', NULL, 0),
('Internal and external audit', 'audit', 'The statutory audit of the trust''s accounts and the internal scrutiny programme.', (SELECT id FROM contracts WHERE reference = 'AUD-TRUST-2025'), 'E28a', 'core', 'equal', '', NULL, 0),
('Waste and recycling', 'waste', 'General waste, recycling and food waste collections.', (SELECT id FROM contracts WHERE reference = 'WST-TRUST-2024'), 'E18', 'traded', 'equal', '', NULL, 0),
('Education law advice', 'legal', 'Employment, admissions and SEND advice on call.', (SELECT id FROM contracts WHERE reference = 'LEG-TRUST-2026'), 'E28a', 'core', 'equal', '', NULL, 0),
('School meals (Southend kitchen hub)', 'catering', 'Hot meals cooked at Samphire and delivered to the Southend schools; charged by meals served.', NULL, 'E25', 'traded', 'usage', 'meals', 41300000, 0),
('Grounds maintenance, Southend sites', 'grounds', 'Grass cutting, hedges and playground care at Oystercatcher and on the Samphire federation''s playing field.', (SELECT id FROM contracts WHERE reference = 'GRD-159909-2026'), 'E13', 'traded', 'fixed_share', '', NULL, 0);

-- Subscriptions for 2026-27 (open-ended unless an end is given).

INSERT INTO subscriptions (service_id, school_id, start_date, end_date, level, usage_units, fixed_share_bp)
SELECT sv.id, sc.id, '2026-09-01', NULL, 'standard', NULL, NULL
FROM services sv JOIN schools sc
WHERE sv.name IN ('Payroll, pensions and HR') ORDER BY sc.id;

INSERT INTO subscriptions (service_id, school_id, start_date, end_date, level, usage_units, fixed_share_bp)
SELECT sv.id, sc.id, '2026-09-01', NULL, IF(sc.urn = '159906', 'enhanced', 'standard'), NULL, NULL
FROM services sv JOIN schools sc ON sc.kind = 'school'
WHERE sv.name IN ('Managed ICT service', 'Managed print', 'Risk protection and engineering insurance', 'Energy',
                  'Estates compliance surveys', 'Internal and external audit', 'Waste and recycling',
                  'Education law advice') ORDER BY sv.id, sc.id;

INSERT INTO subscriptions (service_id, school_id, start_date, end_date, level, usage_units, fixed_share_bp)
SELECT sv.id, sc.id, IF(sc.urn = '159905', '2027-01-01', '2026-09-01'), NULL, 'daily', NULL, NULL
FROM services sv JOIN schools sc ON sc.urn IN ('159902', '159903', '159904', '159905', '159906', '159907', '159909')
WHERE sv.name = 'Cleaning (trust cleaning team)' ORDER BY sc.id;

INSERT INTO subscriptions (service_id, school_id, start_date, end_date, level, usage_units, fixed_share_bp) VALUES
((SELECT id FROM services WHERE name = 'School meals (Southend kitchen hub)'), (SELECT id FROM schools WHERE urn = '159907'), '2026-09-01', '2027-08-31', 'hot meals', 61200, NULL),
((SELECT id FROM services WHERE name = 'School meals (Southend kitchen hub)'), (SELECT id FROM schools WHERE urn = '159908'), '2026-09-01', '2027-08-31', 'hot meals', 50400, NULL),
((SELECT id FROM services WHERE name = 'School meals (Southend kitchen hub)'), (SELECT id FROM schools WHERE urn = '159909'), '2026-09-01', '2027-08-31', 'hot meals', 47300, NULL),
((SELECT id FROM services WHERE name = 'Grounds maintenance, Southend sites'), (SELECT id FROM schools WHERE urn = '159909'), '2026-09-01', NULL, 'fortnightly', NULL, 5000),
((SELECT id FROM services WHERE name = 'Grounds maintenance, Southend sites'), (SELECT id FROM schools WHERE urn = '159907'), '2026-09-01', NULL, 'fortnightly', NULL, 2000),
((SELECT id FROM services WHERE name = 'Grounds maintenance, Southend sites'), (SELECT id FROM schools WHERE urn = '159908'), '2026-09-01', NULL, 'fortnightly', NULL, 3000);
