-- 040_budgets: a draft budget for 2026-27 for every school of the demo trust and for the
-- central team (DESIGN.md "The demo trust"; sizes, incomes and reserves in the comment at the
-- top of 020_trust.sql). Every figure is INVENTED. Amounts in pence, positive in the direction
-- of the account's kind; the one negative line is a credit (a solar export credit against
-- Wagtail Fields' energy).
--
-- How the figures were set:
-- * GAG is lagged on the October 2025 census: Newham primaries £6,640-6,920 a pupil (the
--   smaller schools more, for the lump sum), Southend £5,450-5,600. Pupil premium at £1,515
--   for 23-40% of pupils; UIFSM, the PE and sport premium (£16,000 + £10 a pupil), early-years
--   and high-needs top-up income from the local authority, lettings, meals and trips.
-- * Lapwing Bridge (special): 120 places x £10,000 (I01P) and £2.41m of top-ups (I03),
--   staff 85-88% of costs. Everywhere else staff are 75-85% of spend and energy 2-3%.
-- * Rates (E17) are flagged excluded_from_central: they stay out of the top-slice and
--   pooling bases.
-- * No budget types an internal code (INT01-INT06): the finance-rules plugins compute them
--   from these budgets whenever a budget is read (README "Computed lines").
-- * Pooled schools (finance_model central: the five Newham primaries) budget their own GAG
--   (I01: pupils x a rate in whole pounds, £20,040,740 in all). The `central` plugin pools it
--   less rates (INT03; the central team's INT04), retains 6% (central retention_bp = 600 in
--   etc/bursard.conf) and allocates the rest back as a £50,000 lump sum plus a share by
--   funded pupils x need (Teal Basin's need factor 1.15): INT05, the central team's INT06.
--   A pooled school's totals net the pass-through, so its income reads as its allocation
--   plus its rates and its other income. Its teachers (E01) were sized against that
--   allocation, so the in-year balances below hold.
-- * Top-sliced schools (local: Lapwing Bridge and the three Southend schools) budget their
--   GAG (I01, or I01P for the special school); the `local` plugin charges them 5% of GAG less
--   rates (topslice_bp = 500: INT01) and the central team receives it (INT02).
-- * The central team keeps its 6% retention (£1,195,352.40) and the top-slice (£403,358.50)
--   and spends them on about 22 FTE and central costs (about £1.59m): a small surplus.
-- * Sandpiper Green and Teal Basin, with falling rolls, budget in-year deficits (about
--   £118k and £142k); the others small surpluses. With the internal codes dropped the
--   trust's income is about £36.5m.
-- Generated once by a script that checked those ranges; edit by hand from here on.

-- 159901 Kingfisher Wharf
INSERT INTO budgets (school_id, year, status) VALUES ((SELECT id FROM schools WHERE urn = '159901'), 2026, 'draft');
INSERT INTO budget_lines (budget_id, line_no, account_id, description, amount_pence, driver, excluded_from_central) VALUES
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159901' AND b.year = 2026), 1, (SELECT id FROM accounts WHERE code = 'I01'), 'GAG: 688 pupils (October 2025 census) at £6,650', 457520000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159901' AND b.year = 2026), 2, (SELECT id FROM accounts WHERE code = 'I05'), 'Pupil premium: 248 pupils at £1,515', 37572000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159901' AND b.year = 2026), 3, (SELECT id FROM accounts WHERE code = 'I06'), 'Universal infant free school meals', 11850000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159901' AND b.year = 2026), 4, (SELECT id FROM accounts WHERE code = 'I06'), 'PE and sport premium (£16,000 + £10 a pupil)', 2290000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159901' AND b.year = 2026), 5, (SELECT id FROM accounts WHERE code = 'I07'), 'Early years funding from Newham (nursery)', 18500000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159901' AND b.year = 2026), 6, (SELECT id FROM accounts WHERE code = 'I03'), 'High-needs top-ups from Newham (EHCPs)', 21000000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159901' AND b.year = 2026), 7, (SELECT id FROM accounts WHERE code = 'I08'), 'Lettings: halls and pitches', 3800000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159901' AND b.year = 2026), 8, (SELECT id FROM accounts WHERE code = 'I09'), 'Paid school meals', 5200000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159901' AND b.year = 2026), 9, (SELECT id FROM accounts WHERE code = 'I12'), 'Contributions to trips and visits', 2100000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159901' AND b.year = 2026), 10, (SELECT id FROM accounts WHERE code = 'E01'), 'Teachers incl. leadership, with on-costs (Inner London)', 235858618, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159901' AND b.year = 2026), 11, (SELECT id FROM accounts WHERE code = 'E03'), 'Teaching assistants and learning support', 124285100, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159901' AND b.year = 2026), 12, (SELECT id FROM accounts WHERE code = 'E02'), 'Supply teachers on the payroll', 4485000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159901' AND b.year = 2026), 13, (SELECT id FROM accounts WHERE code = 'E26'), 'Agency supply teachers', 6900000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159901' AND b.year = 2026), 14, (SELECT id FROM accounts WHERE code = 'E04'), 'Site staff: site manager and caretakers', 9800000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159901' AND b.year = 2026), 15, (SELECT id FROM accounts WHERE code = 'E05'), 'Office and administration staff', 28490000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159901' AND b.year = 2026), 16, (SELECT id FROM accounts WHERE code = 'E07'), 'Other staff: family support, lunchtime supervisors', 4220000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159901' AND b.year = 2026), 17, (SELECT id FROM accounts WHERE code = 'E08'), 'Indirect employee costs: recruitment, DBS, occupational health', 2800000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159901' AND b.year = 2026), 18, (SELECT id FROM accounts WHERE code = 'E09'), 'Staff development and training', 3450000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159901' AND b.year = 2026), 19, (SELECT id FROM accounts WHERE code = 'E10'), 'Supply teacher absence insurance', 2622000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159901' AND b.year = 2026), 20, (SELECT id FROM accounts WHERE code = 'E12'), 'Building maintenance and repairs', 9600000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159901' AND b.year = 2026), 21, (SELECT id FROM accounts WHERE code = 'E13'), 'Grounds maintenance contract', 2600000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159901' AND b.year = 2026), 22, (SELECT id FROM accounts WHERE code = 'E14'), 'Cleaning contract', 9800000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159901' AND b.year = 2026), 23, (SELECT id FROM accounts WHERE code = 'E15'), 'Water and sewerage', 1166000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159901' AND b.year = 2026), 24, (SELECT id FROM accounts WHERE code = 'E16'), 'Energy: gas and electricity', 12800000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159901' AND b.year = 2026), 25, (SELECT id FROM accounts WHERE code = 'E17'), 'Business rates (after charitable relief)', 2640000, NULL, 1),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159901' AND b.year = 2026), 26, (SELECT id FROM accounts WHERE code = 'E18'), 'Other occupation costs: waste, security, compliance', 2356000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159901' AND b.year = 2026), 27, (SELECT id FROM accounts WHERE code = 'E19'), 'Learning resources and books', 9660000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159901' AND b.year = 2026), 28, (SELECT id FROM accounts WHERE code = 'E20'), 'ICT: devices, licences and support', 4140000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159901' AND b.year = 2026), 29, (SELECT id FROM accounts WHERE code = 'E22'), 'Administrative supplies, printing and postage', 3105000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159901' AND b.year = 2026), 30, (SELECT id FROM accounts WHERE code = 'E23'), 'Risk protection arrangement and other insurance', 1651000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159901' AND b.year = 2026), 31, (SELECT id FROM accounts WHERE code = 'E25'), 'Catering contract: meals', 26500000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159901' AND b.year = 2026), 32, (SELECT id FROM accounts WHERE code = 'E27'), 'Curriculum services: music, sport coaching', 3450000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159901' AND b.year = 2026), 33, (SELECT id FROM accounts WHERE code = 'E28a'), 'Professional services: payroll and HR, legal, advisers', 4760000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159901' AND b.year = 2026), 34, (SELECT id FROM accounts WHERE code = 'CON01'), 'Contingency', 5500000, NULL, 0);

-- 159902 Cormorant Dock
INSERT INTO budgets (school_id, year, status) VALUES ((SELECT id FROM schools WHERE urn = '159902'), 2026, 'draft');
INSERT INTO budget_lines (budget_id, line_no, account_id, description, amount_pence, driver, excluded_from_central) VALUES
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159902' AND b.year = 2026), 1, (SELECT id FROM accounts WHERE code = 'I01'), 'GAG: 631 pupils (October 2025 census) at £6,700', 422770000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159902' AND b.year = 2026), 2, (SELECT id FROM accounts WHERE code = 'I05'), 'Pupil premium: 220 pupils at £1,515', 33330000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159902' AND b.year = 2026), 3, (SELECT id FROM accounts WHERE code = 'I06'), 'Universal infant free school meals', 10800000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159902' AND b.year = 2026), 4, (SELECT id FROM accounts WHERE code = 'I06'), 'PE and sport premium (£16,000 + £10 a pupil)', 2230000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159902' AND b.year = 2026), 5, (SELECT id FROM accounts WHERE code = 'I07'), 'Early years funding from Newham (nursery)', 16000000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159902' AND b.year = 2026), 6, (SELECT id FROM accounts WHERE code = 'I03'), 'High-needs top-ups from Newham (EHCPs)', 18000000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159902' AND b.year = 2026), 7, (SELECT id FROM accounts WHERE code = 'I08'), 'Lettings: halls and pitches', 3000000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159902' AND b.year = 2026), 8, (SELECT id FROM accounts WHERE code = 'I09'), 'Paid school meals', 4500000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159902' AND b.year = 2026), 9, (SELECT id FROM accounts WHERE code = 'I12'), 'Contributions to trips and visits', 1500000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159902' AND b.year = 2026), 10, (SELECT id FROM accounts WHERE code = 'E01'), 'Teachers incl. leadership, with on-costs (Inner London)', 214244783, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159902' AND b.year = 2026), 11, (SELECT id FROM accounts WHERE code = 'E03'), 'Teaching assistants and learning support', 114244900, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159902' AND b.year = 2026), 12, (SELECT id FROM accounts WHERE code = 'E02'), 'Supply teachers on the payroll', 4095000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159902' AND b.year = 2026), 13, (SELECT id FROM accounts WHERE code = 'E26'), 'Agency supply teachers', 6300000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159902' AND b.year = 2026), 14, (SELECT id FROM accounts WHERE code = 'E04'), 'Site staff: site manager and caretakers', 8960000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159902' AND b.year = 2026), 15, (SELECT id FROM accounts WHERE code = 'E05'), 'Office and administration staff', 26030000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159902' AND b.year = 2026), 16, (SELECT id FROM accounts WHERE code = 'E07'), 'Other staff: family support, lunchtime supervisors', 3860000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159902' AND b.year = 2026), 17, (SELECT id FROM accounts WHERE code = 'E08'), 'Indirect employee costs: recruitment, DBS, occupational health', 2560000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159902' AND b.year = 2026), 18, (SELECT id FROM accounts WHERE code = 'E09'), 'Staff development and training', 3150000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159902' AND b.year = 2026), 19, (SELECT id FROM accounts WHERE code = 'E10'), 'Supply teacher absence insurance', 2394000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159902' AND b.year = 2026), 20, (SELECT id FROM accounts WHERE code = 'E12'), 'Building maintenance and repairs', 8800000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159902' AND b.year = 2026), 21, (SELECT id FROM accounts WHERE code = 'E13'), 'Grounds maintenance contract', 2408600, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159902' AND b.year = 2026), 22, (SELECT id FROM accounts WHERE code = 'E14'), 'Cleaning contract', 8800000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159902' AND b.year = 2026), 23, (SELECT id FROM accounts WHERE code = 'E15'), 'Water and sewerage', 1082000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159902' AND b.year = 2026), 24, (SELECT id FROM accounts WHERE code = 'E16'), 'Energy: gas and electricity', 11800000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159902' AND b.year = 2026), 25, (SELECT id FROM accounts WHERE code = 'E17'), 'Business rates (after charitable relief)', 2400000, NULL, 1),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159902' AND b.year = 2026), 26, (SELECT id FROM accounts WHERE code = 'E18'), 'Other occupation costs: waste, security, compliance', 2212000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159902' AND b.year = 2026), 27, (SELECT id FROM accounts WHERE code = 'E19'), 'Learning resources and books', 8820000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159902' AND b.year = 2026), 28, (SELECT id FROM accounts WHERE code = 'E20'), 'ICT: devices, licences and support', 3780000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159902' AND b.year = 2026), 29, (SELECT id FROM accounts WHERE code = 'E22'), 'Administrative supplies, printing and postage', 2835000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159902' AND b.year = 2026), 30, (SELECT id FROM accounts WHERE code = 'E23'), 'Risk protection arrangement and other insurance', 1537000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159902' AND b.year = 2026), 31, (SELECT id FROM accounts WHERE code = 'E25'), 'Catering contract: meals', 24200000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159902' AND b.year = 2026), 32, (SELECT id FROM accounts WHERE code = 'E27'), 'Curriculum services: music, sport coaching', 3150000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159902' AND b.year = 2026), 33, (SELECT id FROM accounts WHERE code = 'E28a'), 'Professional services: payroll and HR, legal, advisers', 4520000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159902' AND b.year = 2026), 34, (SELECT id FROM accounts WHERE code = 'CON01'), 'Contingency', 5000000, NULL, 0);

-- 159903 Wagtail Fields
INSERT INTO budgets (school_id, year, status) VALUES ((SELECT id FROM schools WHERE urn = '159903'), 2026, 'draft');
INSERT INTO budget_lines (budget_id, line_no, account_id, description, amount_pence, driver, excluded_from_central) VALUES
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159903' AND b.year = 2026), 1, (SELECT id FROM accounts WHERE code = 'I01'), 'GAG: 659 pupils (October 2025 census) at £6,640', 437576000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159903' AND b.year = 2026), 2, (SELECT id FROM accounts WHERE code = 'I05'), 'Pupil premium: 224 pupils at £1,515', 33936000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159903' AND b.year = 2026), 3, (SELECT id FROM accounts WHERE code = 'I06'), 'Universal infant free school meals', 11200000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159903' AND b.year = 2026), 4, (SELECT id FROM accounts WHERE code = 'I06'), 'PE and sport premium (£16,000 + £10 a pupil)', 2260000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159903' AND b.year = 2026), 5, (SELECT id FROM accounts WHERE code = 'I07'), 'Early years funding from Newham (nursery)', 17200000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159903' AND b.year = 2026), 6, (SELECT id FROM accounts WHERE code = 'I03'), 'High-needs top-ups from Newham (EHCPs)', 19500000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159903' AND b.year = 2026), 7, (SELECT id FROM accounts WHERE code = 'I08'), 'Lettings: halls and pitches', 3400000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159903' AND b.year = 2026), 8, (SELECT id FROM accounts WHERE code = 'I09'), 'Paid school meals', 4700000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159903' AND b.year = 2026), 9, (SELECT id FROM accounts WHERE code = 'I12'), 'Contributions to trips and visits', 1800000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159903' AND b.year = 2026), 10, (SELECT id FROM accounts WHERE code = 'E01'), 'Teachers incl. leadership, with on-costs (Inner London)', 226401213, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159903' AND b.year = 2026), 11, (SELECT id FROM accounts WHERE code = 'E03'), 'Teaching assistants and learning support', 118872300, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159903' AND b.year = 2026), 12, (SELECT id FROM accounts WHERE code = 'E02'), 'Supply teachers on the payroll', 4290000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159903' AND b.year = 2026), 13, (SELECT id FROM accounts WHERE code = 'E26'), 'Agency supply teachers', 6600000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159903' AND b.year = 2026), 14, (SELECT id FROM accounts WHERE code = 'E04'), 'Site staff: site manager and caretakers', 9380000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159903' AND b.year = 2026), 15, (SELECT id FROM accounts WHERE code = 'E05'), 'Office and administration staff', 27260000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159903' AND b.year = 2026), 16, (SELECT id FROM accounts WHERE code = 'E07'), 'Other staff: family support, lunchtime supervisors', 4040000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159903' AND b.year = 2026), 17, (SELECT id FROM accounts WHERE code = 'E08'), 'Indirect employee costs: recruitment, DBS, occupational health', 2680000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159903' AND b.year = 2026), 18, (SELECT id FROM accounts WHERE code = 'E09'), 'Staff development and training', 3300000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159903' AND b.year = 2026), 19, (SELECT id FROM accounts WHERE code = 'E10'), 'Supply teacher absence insurance', 2508000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159903' AND b.year = 2026), 20, (SELECT id FROM accounts WHERE code = 'E12'), 'Building maintenance and repairs', 9400000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159903' AND b.year = 2026), 21, (SELECT id FROM accounts WHERE code = 'E13'), 'Grounds maintenance contract', 2504300, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159903' AND b.year = 2026), 22, (SELECT id FROM accounts WHERE code = 'E14'), 'Cleaning contract', 9200000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159903' AND b.year = 2026), 23, (SELECT id FROM accounts WHERE code = 'E15'), 'Water and sewerage', 1124000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159903' AND b.year = 2026), 24, (SELECT id FROM accounts WHERE code = 'E16'), 'Energy: gas and electricity', 12600000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159903' AND b.year = 2026), 25, (SELECT id FROM accounts WHERE code = 'E16'), 'Energy: solar export credit', -350000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159903' AND b.year = 2026), 26, (SELECT id FROM accounts WHERE code = 'E17'), 'Business rates (after charitable relief)', 2520000, NULL, 1),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159903' AND b.year = 2026), 27, (SELECT id FROM accounts WHERE code = 'E18'), 'Other occupation costs: waste, security, compliance', 2284000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159903' AND b.year = 2026), 28, (SELECT id FROM accounts WHERE code = 'E19'), 'Learning resources and books', 9240000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159903' AND b.year = 2026), 29, (SELECT id FROM accounts WHERE code = 'E20'), 'ICT: devices, licences and support', 3960000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159903' AND b.year = 2026), 30, (SELECT id FROM accounts WHERE code = 'E22'), 'Administrative supplies, printing and postage', 2970000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159903' AND b.year = 2026), 31, (SELECT id FROM accounts WHERE code = 'E23'), 'Risk protection arrangement and other insurance', 1594000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159903' AND b.year = 2026), 32, (SELECT id FROM accounts WHERE code = 'E25'), 'Catering contract: meals', 25200000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159903' AND b.year = 2026), 33, (SELECT id FROM accounts WHERE code = 'E27'), 'Curriculum services: music, sport coaching', 3300000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159903' AND b.year = 2026), 34, (SELECT id FROM accounts WHERE code = 'E28a'), 'Professional services: payroll and HR, legal, advisers', 4640000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159903' AND b.year = 2026), 35, (SELECT id FROM accounts WHERE code = 'CON01'), 'Contingency', 5000000, NULL, 0);

-- 159904 Sandpiper Green
INSERT INTO budgets (school_id, year, status) VALUES ((SELECT id FROM schools WHERE urn = '159904'), 2026, 'draft');
INSERT INTO budget_lines (budget_id, line_no, account_id, description, amount_pence, driver, excluded_from_central) VALUES
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159904' AND b.year = 2026), 1, (SELECT id FROM accounts WHERE code = 'I01'), 'GAG: 562 pupils (October 2025 census) at £6,780', 381036000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159904' AND b.year = 2026), 2, (SELECT id FROM accounts WHERE code = 'I05'), 'Pupil premium: 209 pupils at £1,515', 31663500, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159904' AND b.year = 2026), 3, (SELECT id FROM accounts WHERE code = 'I06'), 'Universal infant free school meals', 9600000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159904' AND b.year = 2026), 4, (SELECT id FROM accounts WHERE code = 'I06'), 'PE and sport premium (£16,000 + £10 a pupil)', 2122000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159904' AND b.year = 2026), 5, (SELECT id FROM accounts WHERE code = 'I07'), 'Early years funding from Newham (nursery)', 12000000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159904' AND b.year = 2026), 6, (SELECT id FROM accounts WHERE code = 'I03'), 'High-needs top-ups from Newham (EHCPs)', 16500000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159904' AND b.year = 2026), 7, (SELECT id FROM accounts WHERE code = 'I08'), 'Lettings: halls and pitches', 2600000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159904' AND b.year = 2026), 8, (SELECT id FROM accounts WHERE code = 'I09'), 'Paid school meals', 3600000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159904' AND b.year = 2026), 9, (SELECT id FROM accounts WHERE code = 'I12'), 'Contributions to trips and visits', 1200000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159904' AND b.year = 2026), 10, (SELECT id FROM accounts WHERE code = 'E01'), 'Teachers incl. leadership, with on-costs (Inner London)', 202043536, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159904' AND b.year = 2026), 11, (SELECT id FROM accounts WHERE code = 'E03'), 'Teaching assistants and learning support', 109362000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159904' AND b.year = 2026), 12, (SELECT id FROM accounts WHERE code = 'E02'), 'Supply teachers on the payroll', 3393000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159904' AND b.year = 2026), 13, (SELECT id FROM accounts WHERE code = 'E26'), 'Agency supply teachers', 5220000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159904' AND b.year = 2026), 14, (SELECT id FROM accounts WHERE code = 'E04'), 'Site staff: site manager and caretakers', 7448000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159904' AND b.year = 2026), 15, (SELECT id FROM accounts WHERE code = 'E05'), 'Office and administration staff', 21602000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159904' AND b.year = 2026), 16, (SELECT id FROM accounts WHERE code = 'E07'), 'Other staff: family support, lunchtime supervisors', 3212000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159904' AND b.year = 2026), 17, (SELECT id FROM accounts WHERE code = 'E08'), 'Indirect employee costs: recruitment, DBS, occupational health', 2128000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159904' AND b.year = 2026), 18, (SELECT id FROM accounts WHERE code = 'E09'), 'Staff development and training', 2610000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159904' AND b.year = 2026), 19, (SELECT id FROM accounts WHERE code = 'E10'), 'Supply teacher absence insurance', 1983600, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159904' AND b.year = 2026), 20, (SELECT id FROM accounts WHERE code = 'E12'), 'Building maintenance and repairs', 9000000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159904' AND b.year = 2026), 21, (SELECT id FROM accounts WHERE code = 'E13'), 'Grounds maintenance contract', 2064300, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159904' AND b.year = 2026), 22, (SELECT id FROM accounts WHERE code = 'E14'), 'Cleaning contract', 8400000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159904' AND b.year = 2026), 23, (SELECT id FROM accounts WHERE code = 'E15'), 'Water and sewerage', 930800, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159904' AND b.year = 2026), 24, (SELECT id FROM accounts WHERE code = 'E16'), 'Energy: gas and electricity', 11200000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159904' AND b.year = 2026), 25, (SELECT id FROM accounts WHERE code = 'E17'), 'Business rates (after charitable relief)', 2280000, NULL, 1),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159904' AND b.year = 2026), 26, (SELECT id FROM accounts WHERE code = 'E18'), 'Other occupation costs: waste, security, compliance', 1952800, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159904' AND b.year = 2026), 27, (SELECT id FROM accounts WHERE code = 'E19'), 'Learning resources and books', 7308000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159904' AND b.year = 2026), 28, (SELECT id FROM accounts WHERE code = 'E20'), 'ICT: devices, licences and support', 3132000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159904' AND b.year = 2026), 29, (SELECT id FROM accounts WHERE code = 'E22'), 'Administrative supplies, printing and postage', 2349000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159904' AND b.year = 2026), 30, (SELECT id FROM accounts WHERE code = 'E23'), 'Risk protection arrangement and other insurance', 1331800, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159904' AND b.year = 2026), 31, (SELECT id FROM accounts WHERE code = 'E25'), 'Catering contract: meals', 20500000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159904' AND b.year = 2026), 32, (SELECT id FROM accounts WHERE code = 'E27'), 'Curriculum services: music, sport coaching', 2610000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159904' AND b.year = 2026), 33, (SELECT id FROM accounts WHERE code = 'E28a'), 'Professional services: payroll and HR, legal, advisers', 4088000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159904' AND b.year = 2026), 34, (SELECT id FROM accounts WHERE code = 'CON01'), 'Contingency', 3000000, NULL, 0);

-- 159905 Teal Basin
INSERT INTO budgets (school_id, year, status) VALUES ((SELECT id FROM schools WHERE urn = '159905'), 2026, 'draft');
INSERT INTO budget_lines (budget_id, line_no, account_id, description, amount_pence, driver, excluded_from_central) VALUES
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159905' AND b.year = 2026), 1, (SELECT id FROM accounts WHERE code = 'I01'), 'GAG: 441 pupils (October 2025 census) at £6,920', 305172000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159905' AND b.year = 2026), 2, (SELECT id FROM accounts WHERE code = 'I05'), 'Pupil premium: 155 pupils at £1,515', 23482500, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159905' AND b.year = 2026), 3, (SELECT id FROM accounts WHERE code = 'I06'), 'Universal infant free school meals', 7400000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159905' AND b.year = 2026), 4, (SELECT id FROM accounts WHERE code = 'I06'), 'PE and sport premium (£16,000 + £10 a pupil)', 2009000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159905' AND b.year = 2026), 5, (SELECT id FROM accounts WHERE code = 'I07'), 'Early years funding from Newham (nursery)', 10000000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159905' AND b.year = 2026), 6, (SELECT id FROM accounts WHERE code = 'I03'), 'High-needs top-ups from Newham (EHCPs)', 14000000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159905' AND b.year = 2026), 7, (SELECT id FROM accounts WHERE code = 'I08'), 'Lettings: halls and pitches', 1800000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159905' AND b.year = 2026), 8, (SELECT id FROM accounts WHERE code = 'I09'), 'Paid school meals', 2700000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159905' AND b.year = 2026), 9, (SELECT id FROM accounts WHERE code = 'I12'), 'Contributions to trips and visits', 900000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159905' AND b.year = 2026), 10, (SELECT id FROM accounts WHERE code = 'E01'), 'Teachers incl. leadership, with on-costs (Inner London)', 199269910, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159905' AND b.year = 2026), 11, (SELECT id FROM accounts WHERE code = 'E03'), 'Teaching assistants and learning support', 88475700, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159905' AND b.year = 2026), 12, (SELECT id FROM accounts WHERE code = 'E02'), 'Supply teachers on the payroll', 2658500, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159905' AND b.year = 2026), 13, (SELECT id FROM accounts WHERE code = 'E26'), 'Agency supply teachers', 4090000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159905' AND b.year = 2026), 14, (SELECT id FROM accounts WHERE code = 'E04'), 'Site staff: site manager and caretakers', 5866000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159905' AND b.year = 2026), 15, (SELECT id FROM accounts WHERE code = 'E05'), 'Office and administration staff', 16969000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159905' AND b.year = 2026), 16, (SELECT id FROM accounts WHERE code = 'E07'), 'Other staff: family support, lunchtime supervisors', 2534000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159905' AND b.year = 2026), 17, (SELECT id FROM accounts WHERE code = 'E08'), 'Indirect employee costs: recruitment, DBS, occupational health', 1676000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159905' AND b.year = 2026), 18, (SELECT id FROM accounts WHERE code = 'E09'), 'Staff development and training', 2045000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159905' AND b.year = 2026), 19, (SELECT id FROM accounts WHERE code = 'E10'), 'Supply teacher absence insurance', 1554200, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159905' AND b.year = 2026), 20, (SELECT id FROM accounts WHERE code = 'E12'), 'Building maintenance and repairs', 7800000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159905' AND b.year = 2026), 21, (SELECT id FROM accounts WHERE code = 'E13'), 'Grounds maintenance contract', 1704000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159905' AND b.year = 2026), 22, (SELECT id FROM accounts WHERE code = 'E14'), 'Cleaning contract', 7000000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159905' AND b.year = 2026), 23, (SELECT id FROM accounts WHERE code = 'E15'), 'Water and sewerage', 772600, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159905' AND b.year = 2026), 24, (SELECT id FROM accounts WHERE code = 'E16'), 'Energy: gas and electricity', 9600000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159905' AND b.year = 2026), 25, (SELECT id FROM accounts WHERE code = 'E17'), 'Business rates (after charitable relief)', 1980000, NULL, 1),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159905' AND b.year = 2026), 26, (SELECT id FROM accounts WHERE code = 'E18'), 'Other occupation costs: waste, security, compliance', 1681600, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159905' AND b.year = 2026), 27, (SELECT id FROM accounts WHERE code = 'E19'), 'Learning resources and books', 5726000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159905' AND b.year = 2026), 28, (SELECT id FROM accounts WHERE code = 'E20'), 'ICT: devices, licences and support', 2454000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159905' AND b.year = 2026), 29, (SELECT id FROM accounts WHERE code = 'E22'), 'Administrative supplies, printing and postage', 1840500, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159905' AND b.year = 2026), 30, (SELECT id FROM accounts WHERE code = 'E23'), 'Risk protection arrangement and other insurance', 1117100, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159905' AND b.year = 2026), 31, (SELECT id FROM accounts WHERE code = 'E25'), 'Catering contract: meals', 16000000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159905' AND b.year = 2026), 32, (SELECT id FROM accounts WHERE code = 'E27'), 'Curriculum services: music, sport coaching', 2045000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159905' AND b.year = 2026), 33, (SELECT id FROM accounts WHERE code = 'E28a'), 'Professional services: payroll and HR, legal, advisers', 3636000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159905' AND b.year = 2026), 34, (SELECT id FROM accounts WHERE code = 'CON01'), 'Contingency', 2500000, NULL, 0);

-- 159906 Lapwing Bridge
INSERT INTO budgets (school_id, year, status) VALUES ((SELECT id FROM schools WHERE urn = '159906'), 2026, 'draft');
INSERT INTO budget_lines (budget_id, line_no, account_id, description, amount_pence, driver, excluded_from_central) VALUES
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159906' AND b.year = 2026), 1, (SELECT id FROM accounts WHERE code = 'I01P'), 'Place funding: 120 places at £10,000', 120000000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159906' AND b.year = 2026), 2, (SELECT id FROM accounts WHERE code = 'I03'), 'High-needs top-ups: Newham and neighbouring LAs (118 pupils)', 241200000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159906' AND b.year = 2026), 3, (SELECT id FROM accounts WHERE code = 'I05'), 'Pupil premium: 41 pupils at £1,515', 6211500, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159906' AND b.year = 2026), 4, (SELECT id FROM accounts WHERE code = 'I06'), 'PE and sport premium, other DfE grants', 2300000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159906' AND b.year = 2026), 5, (SELECT id FROM accounts WHERE code = 'I08'), 'Lettings: hydrotherapy pool', 1800000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159906' AND b.year = 2026), 6, (SELECT id FROM accounts WHERE code = 'I13'), 'Donations from the friends association', 1200000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159906' AND b.year = 2026), 7, (SELECT id FROM accounts WHERE code = 'E01'), 'Teachers incl. leadership, with on-costs', 137147200, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159906' AND b.year = 2026), 8, (SELECT id FROM accounts WHERE code = 'E03'), 'Teaching assistants and learning support (1:1 and small groups)', 137147300, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159906' AND b.year = 2026), 9, (SELECT id FROM accounts WHERE code = 'E02'), 'Supply teachers on the payroll', 2000000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159906' AND b.year = 2026), 10, (SELECT id FROM accounts WHERE code = 'E26'), 'Agency supply teachers', 3000000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159906' AND b.year = 2026), 11, (SELECT id FROM accounts WHERE code = 'E04'), 'Site staff', 6200000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159906' AND b.year = 2026), 12, (SELECT id FROM accounts WHERE code = 'E05'), 'Office and administration staff', 16500000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159906' AND b.year = 2026), 13, (SELECT id FROM accounts WHERE code = 'E07'), 'Other staff: therapists, nurse, family liaison', 8800000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159906' AND b.year = 2026), 14, (SELECT id FROM accounts WHERE code = 'E08'), 'Indirect employee costs', 1800000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159906' AND b.year = 2026), 15, (SELECT id FROM accounts WHERE code = 'E09'), 'Staff development and training', 2600000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159906' AND b.year = 2026), 16, (SELECT id FROM accounts WHERE code = 'E10'), 'Supply teacher absence insurance', 1200000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159906' AND b.year = 2026), 17, (SELECT id FROM accounts WHERE code = 'E12'), 'Building maintenance and repairs', 4500000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159906' AND b.year = 2026), 18, (SELECT id FROM accounts WHERE code = 'E13'), 'Grounds maintenance', 1400000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159906' AND b.year = 2026), 19, (SELECT id FROM accounts WHERE code = 'E14'), 'Cleaning contract', 5200000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159906' AND b.year = 2026), 20, (SELECT id FROM accounts WHERE code = 'E15'), 'Water and sewerage', 1700000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159906' AND b.year = 2026), 21, (SELECT id FROM accounts WHERE code = 'E16'), 'Energy: gas and electricity (incl. hydrotherapy pool)', 8200000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159906' AND b.year = 2026), 22, (SELECT id FROM accounts WHERE code = 'E17'), 'Business rates (after charitable relief)', 1860000, NULL, 1),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159906' AND b.year = 2026), 23, (SELECT id FROM accounts WHERE code = 'E18'), 'Other occupation costs', 1600000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159906' AND b.year = 2026), 24, (SELECT id FROM accounts WHERE code = 'E19'), 'Learning resources and sensory equipment', 3000000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159906' AND b.year = 2026), 25, (SELECT id FROM accounts WHERE code = 'E20'), 'ICT and assistive technology', 2600000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159906' AND b.year = 2026), 26, (SELECT id FROM accounts WHERE code = 'E22'), 'Administrative supplies', 1800000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159906' AND b.year = 2026), 27, (SELECT id FROM accounts WHERE code = 'E23'), 'Risk protection arrangement and minibus insurance', 950000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159906' AND b.year = 2026), 28, (SELECT id FROM accounts WHERE code = 'E24'), 'Special facilities: specialist seating, hoists', 2800000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159906' AND b.year = 2026), 29, (SELECT id FROM accounts WHERE code = 'E25'), 'Catering contract: meals', 3200000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159906' AND b.year = 2026), 30, (SELECT id FROM accounts WHERE code = 'E27'), 'Therapies bought in: speech and language, occupational', 2800000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159906' AND b.year = 2026), 31, (SELECT id FROM accounts WHERE code = 'E28a'), 'Professional services: payroll and HR, advisers', 3200000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159906' AND b.year = 2026), 32, (SELECT id FROM accounts WHERE code = 'CON01'), 'Contingency', 4000000, NULL, 0);

-- 159907 Samphire Infant
INSERT INTO budgets (school_id, year, status) VALUES ((SELECT id FROM schools WHERE urn = '159907'), 2026, 'draft');
INSERT INTO budget_lines (budget_id, line_no, account_id, description, amount_pence, driver, excluded_from_central) VALUES
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159907' AND b.year = 2026), 1, (SELECT id FROM accounts WHERE code = 'I01'), 'GAG: 356 pupils (October 2025 census) at £5,600', 199360000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159907' AND b.year = 2026), 2, (SELECT id FROM accounts WHERE code = 'I05'), 'Pupil premium: 86 pupils at £1,515', 13029000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159907' AND b.year = 2026), 3, (SELECT id FROM accounts WHERE code = 'I06'), 'Universal infant free school meals (every pupil)', 15750000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159907' AND b.year = 2026), 4, (SELECT id FROM accounts WHERE code = 'I06'), 'PE and sport premium (£16,000 + £10 a pupil)', 1957000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159907' AND b.year = 2026), 5, (SELECT id FROM accounts WHERE code = 'I07'), 'Early years funding from Southend (nursery)', 14000000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159907' AND b.year = 2026), 6, (SELECT id FROM accounts WHERE code = 'I03'), 'High-needs top-ups from Southend (EHCPs)', 7200000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159907' AND b.year = 2026), 7, (SELECT id FROM accounts WHERE code = 'I08'), 'Lettings', 1200000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159907' AND b.year = 2026), 8, (SELECT id FROM accounts WHERE code = 'I12'), 'Contributions to trips and visits', 900000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159907' AND b.year = 2026), 9, (SELECT id FROM accounts WHERE code = 'E01'), 'Teachers incl. leadership, with on-costs', 106015500, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159907' AND b.year = 2026), 10, (SELECT id FROM accounts WHERE code = 'E03'), 'Teaching assistants and learning support', 59633800, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159907' AND b.year = 2026), 11, (SELECT id FROM accounts WHERE code = 'E02'), 'Supply teachers on the payroll', 1785000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159907' AND b.year = 2026), 12, (SELECT id FROM accounts WHERE code = 'E26'), 'Agency supply teachers', 2499000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159907' AND b.year = 2026), 13, (SELECT id FROM accounts WHERE code = 'E04'), 'Site staff', 4884000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159907' AND b.year = 2026), 14, (SELECT id FROM accounts WHERE code = 'E05'), 'Office and administration staff', 12781000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159907' AND b.year = 2026), 15, (SELECT id FROM accounts WHERE code = 'E07'), 'Other staff: lunchtime supervisors', 1963500, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159907' AND b.year = 2026), 16, (SELECT id FROM accounts WHERE code = 'E08'), 'Indirect employee costs', 1071000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159907' AND b.year = 2026), 17, (SELECT id FROM accounts WHERE code = 'E09'), 'Staff development and training', 1428000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159907' AND b.year = 2026), 18, (SELECT id FROM accounts WHERE code = 'E10'), 'Supply teacher absence insurance', 1142400, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159907' AND b.year = 2026), 19, (SELECT id FROM accounts WHERE code = 'E12'), 'Building maintenance and repairs', 5200000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159907' AND b.year = 2026), 20, (SELECT id FROM accounts WHERE code = 'E13'), 'Grounds maintenance contract', 1071000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159907' AND b.year = 2026), 21, (SELECT id FROM accounts WHERE code = 'E14'), 'Cleaning contract', 6400000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159907' AND b.year = 2026), 22, (SELECT id FROM accounts WHERE code = 'E15'), 'Water and sewerage', 614100, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159907' AND b.year = 2026), 23, (SELECT id FROM accounts WHERE code = 'E16'), 'Energy: gas and electricity', 6000000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159907' AND b.year = 2026), 24, (SELECT id FROM accounts WHERE code = 'E17'), 'Business rates (after charitable relief)', 1280000, NULL, 1),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159907' AND b.year = 2026), 25, (SELECT id FROM accounts WHERE code = 'E18'), 'Other occupation costs: waste, security, compliance', 1185400, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159907' AND b.year = 2026), 26, (SELECT id FROM accounts WHERE code = 'E19'), 'Learning resources and books', 4284000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159907' AND b.year = 2026), 27, (SELECT id FROM accounts WHERE code = 'E20'), 'ICT: devices, licences and support', 2320500, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159907' AND b.year = 2026), 28, (SELECT id FROM accounts WHERE code = 'E22'), 'Administrative supplies', 1428000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159907' AND b.year = 2026), 29, (SELECT id FROM accounts WHERE code = 'E23'), 'Risk protection arrangement and other insurance', 928300, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159907' AND b.year = 2026), 30, (SELECT id FROM accounts WHERE code = 'E25'), 'Catering contract: meals', 11800000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159907' AND b.year = 2026), 31, (SELECT id FROM accounts WHERE code = 'E27'), 'Curriculum services', 1428000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159907' AND b.year = 2026), 32, (SELECT id FROM accounts WHERE code = 'E28a'), 'Professional services: payroll and HR, advisers', 2449500, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159907' AND b.year = 2026), 33, (SELECT id FROM accounts WHERE code = 'CON01'), 'Contingency', 3000000, NULL, 0);

-- 159908 Samphire Junior
INSERT INTO budgets (school_id, year, status) VALUES ((SELECT id FROM schools WHERE urn = '159908'), 2026, 'draft');
INSERT INTO budget_lines (budget_id, line_no, account_id, description, amount_pence, driver, excluded_from_central) VALUES
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159908' AND b.year = 2026), 1, (SELECT id FROM accounts WHERE code = 'I01'), 'GAG: 479 pupils (October 2025 census) at £5,450', 261055000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159908' AND b.year = 2026), 2, (SELECT id FROM accounts WHERE code = 'I05'), 'Pupil premium: 124 pupils at £1,515', 18786000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159908' AND b.year = 2026), 3, (SELECT id FROM accounts WHERE code = 'I06'), 'PE and sport premium (£16,000 + £10 a pupil)', 2078000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159908' AND b.year = 2026), 4, (SELECT id FROM accounts WHERE code = 'I03'), 'High-needs top-ups from Southend (EHCPs)', 9500000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159908' AND b.year = 2026), 5, (SELECT id FROM accounts WHERE code = 'I08'), 'Lettings', 1400000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159908' AND b.year = 2026), 6, (SELECT id FROM accounts WHERE code = 'I09'), 'Paid school meals', 2600000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159908' AND b.year = 2026), 7, (SELECT id FROM accounts WHERE code = 'I12'), 'Contributions to trips and visits', 1800000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159908' AND b.year = 2026), 8, (SELECT id FROM accounts WHERE code = 'E01'), 'Teachers incl. leadership, with on-costs', 122610200, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159908' AND b.year = 2026), 9, (SELECT id FROM accounts WHERE code = 'E03'), 'Teaching assistants and learning support', 68968250, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159908' AND b.year = 2026), 10, (SELECT id FROM accounts WHERE code = 'E02'), 'Supply teachers on the payroll', 2390000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159908' AND b.year = 2026), 11, (SELECT id FROM accounts WHERE code = 'E26'), 'Agency supply teachers', 3346000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159908' AND b.year = 2026), 12, (SELECT id FROM accounts WHERE code = 'E04'), 'Site staff', 6336000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159908' AND b.year = 2026), 13, (SELECT id FROM accounts WHERE code = 'E05'), 'Office and administration staff', 16774000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159908' AND b.year = 2026), 14, (SELECT id FROM accounts WHERE code = 'E07'), 'Other staff: lunchtime supervisors', 2629000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159908' AND b.year = 2026), 15, (SELECT id FROM accounts WHERE code = 'E08'), 'Indirect employee costs', 1434000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159908' AND b.year = 2026), 16, (SELECT id FROM accounts WHERE code = 'E09'), 'Staff development and training', 1912000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159908' AND b.year = 2026), 17, (SELECT id FROM accounts WHERE code = 'E10'), 'Supply teacher absence insurance', 1529600, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159908' AND b.year = 2026), 18, (SELECT id FROM accounts WHERE code = 'E12'), 'Building maintenance and repairs', 6200000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159908' AND b.year = 2026), 19, (SELECT id FROM accounts WHERE code = 'E13'), 'Grounds maintenance contract', 1434000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159908' AND b.year = 2026), 20, (SELECT id FROM accounts WHERE code = 'E14'), 'Cleaning contract', 7600000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159908' AND b.year = 2026), 21, (SELECT id FROM accounts WHERE code = 'E15'), 'Water and sewerage', 771400, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159908' AND b.year = 2026), 22, (SELECT id FROM accounts WHERE code = 'E16'), 'Energy: gas and electricity', 7200000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159908' AND b.year = 2026), 23, (SELECT id FROM accounts WHERE code = 'E17'), 'Business rates (after charitable relief)', 1560000, NULL, 1),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159908' AND b.year = 2026), 24, (SELECT id FROM accounts WHERE code = 'E18'), 'Other occupation costs: waste, security, compliance', 1451600, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159908' AND b.year = 2026), 25, (SELECT id FROM accounts WHERE code = 'E19'), 'Learning resources and books', 5736000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159908' AND b.year = 2026), 26, (SELECT id FROM accounts WHERE code = 'E20'), 'ICT: devices, licences and support', 3107000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159908' AND b.year = 2026), 27, (SELECT id FROM accounts WHERE code = 'E22'), 'Administrative supplies', 1912000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159908' AND b.year = 2026), 28, (SELECT id FROM accounts WHERE code = 'E23'), 'Risk protection arrangement and other insurance', 1158200, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159908' AND b.year = 2026), 29, (SELECT id FROM accounts WHERE code = 'E25'), 'Catering contract: meals', 9500000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159908' AND b.year = 2026), 30, (SELECT id FROM accounts WHERE code = 'E27'), 'Curriculum services', 1912000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159908' AND b.year = 2026), 31, (SELECT id FROM accounts WHERE code = 'E28a'), 'Professional services: payroll and HR, advisers', 2873000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159908' AND b.year = 2026), 32, (SELECT id FROM accounts WHERE code = 'CON01'), 'Contingency', 3500000, NULL, 0);

-- 159909 Oystercatcher
INSERT INTO budgets (school_id, year, status) VALUES ((SELECT id FROM schools WHERE urn = '159909'), 2026, 'draft');
INSERT INTO budget_lines (budget_id, line_no, account_id, description, amount_pence, driver, excluded_from_central) VALUES
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159909' AND b.year = 2026), 1, (SELECT id FROM accounts WHERE code = 'I01'), 'GAG: 421 pupils (October 2025 census) at £5,520', 232392000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159909' AND b.year = 2026), 2, (SELECT id FROM accounts WHERE code = 'I05'), 'Pupil premium: 97 pupils at £1,515', 14695500, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159909' AND b.year = 2026), 3, (SELECT id FROM accounts WHERE code = 'I06'), 'Universal infant free school meals', 6200000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159909' AND b.year = 2026), 4, (SELECT id FROM accounts WHERE code = 'I06'), 'PE and sport premium (£16,000 + £10 a pupil)', 2020000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159909' AND b.year = 2026), 5, (SELECT id FROM accounts WHERE code = 'I07'), 'Early years funding from Southend (nursery)', 11500000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159909' AND b.year = 2026), 6, (SELECT id FROM accounts WHERE code = 'I03'), 'High-needs top-ups from Southend (EHCPs)', 8800000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159909' AND b.year = 2026), 7, (SELECT id FROM accounts WHERE code = 'I08'), 'Lettings: hall and field', 2400000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159909' AND b.year = 2026), 8, (SELECT id FROM accounts WHERE code = 'I09'), 'Paid school meals', 3000000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159909' AND b.year = 2026), 9, (SELECT id FROM accounts WHERE code = 'I12'), 'Contributions to trips and visits', 1400000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159909' AND b.year = 2026), 10, (SELECT id FROM accounts WHERE code = 'I13'), 'Donations from the parents association', 600000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159909' AND b.year = 2026), 11, (SELECT id FROM accounts WHERE code = 'E01'), 'Teachers incl. leadership, with on-costs', 115267400, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159909' AND b.year = 2026), 12, (SELECT id FROM accounts WHERE code = 'E03'), 'Teaching assistants and learning support', 64838000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159909' AND b.year = 2026), 13, (SELECT id FROM accounts WHERE code = 'E02'), 'Supply teachers on the payroll', 2100000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159909' AND b.year = 2026), 14, (SELECT id FROM accounts WHERE code = 'E26'), 'Agency supply teachers', 2940000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159909' AND b.year = 2026), 15, (SELECT id FROM accounts WHERE code = 'E04'), 'Site staff', 5640000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159909' AND b.year = 2026), 16, (SELECT id FROM accounts WHERE code = 'E05'), 'Office and administration staff', 14860000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159909' AND b.year = 2026), 17, (SELECT id FROM accounts WHERE code = 'E07'), 'Other staff: lunchtime supervisors', 2310000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159909' AND b.year = 2026), 18, (SELECT id FROM accounts WHERE code = 'E08'), 'Indirect employee costs', 1260000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159909' AND b.year = 2026), 19, (SELECT id FROM accounts WHERE code = 'E09'), 'Staff development and training', 1680000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159909' AND b.year = 2026), 20, (SELECT id FROM accounts WHERE code = 'E10'), 'Supply teacher absence insurance', 1344000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159909' AND b.year = 2026), 21, (SELECT id FROM accounts WHERE code = 'E12'), 'Building maintenance and repairs', 5800000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159909' AND b.year = 2026), 22, (SELECT id FROM accounts WHERE code = 'E13'), 'Grounds maintenance contract', 1260000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159909' AND b.year = 2026), 23, (SELECT id FROM accounts WHERE code = 'E14'), 'Cleaning contract', 7000000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159909' AND b.year = 2026), 24, (SELECT id FROM accounts WHERE code = 'E15'), 'Water and sewerage', 696000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159909' AND b.year = 2026), 25, (SELECT id FROM accounts WHERE code = 'E16'), 'Energy: gas and electricity', 6600000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159909' AND b.year = 2026), 26, (SELECT id FROM accounts WHERE code = 'E17'), 'Business rates (after charitable relief)', 1390000, NULL, 1),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159909' AND b.year = 2026), 27, (SELECT id FROM accounts WHERE code = 'E18'), 'Other occupation costs: waste, security, compliance', 1324000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159909' AND b.year = 2026), 28, (SELECT id FROM accounts WHERE code = 'E19'), 'Learning resources and books', 5040000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159909' AND b.year = 2026), 29, (SELECT id FROM accounts WHERE code = 'E20'), 'ICT: devices, licences and support', 2730000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159909' AND b.year = 2026), 30, (SELECT id FROM accounts WHERE code = 'E22'), 'Administrative supplies', 1680000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159909' AND b.year = 2026), 31, (SELECT id FROM accounts WHERE code = 'E23'), 'Risk protection arrangement and other insurance', 1048000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159909' AND b.year = 2026), 32, (SELECT id FROM accounts WHERE code = 'E25'), 'Catering contract: meals', 14000000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159909' AND b.year = 2026), 33, (SELECT id FROM accounts WHERE code = 'E27'), 'Curriculum services (fixed-price three-year agreement)', 1680000, 'fixed', 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159909' AND b.year = 2026), 34, (SELECT id FROM accounts WHERE code = 'E28a'), 'Professional services: payroll and HR, advisers', 2670000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = '159909' AND b.year = 2026), 35, (SELECT id FROM accounts WHERE code = 'CON01'), 'Contingency', 3500000, NULL, 0);

-- central central team
INSERT INTO budgets (school_id, year, status) VALUES ((SELECT id FROM schools WHERE urn = 'central'), 2026, 'draft');
INSERT INTO budget_lines (budget_id, line_no, account_id, description, amount_pence, driver, excluded_from_central) VALUES
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = 'central' AND b.year = 2026), 1, (SELECT id FROM accounts WHERE code = 'I08'), 'Training and governance services sold to schools outside the trust', 4500000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = 'central' AND b.year = 2026), 2, (SELECT id FROM accounts WHERE code = 'E05'), 'Central team: finance, HR, estates, ICT and governance staff', 83071250, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = 'central' AND b.year = 2026), 3, (SELECT id FROM accounts WHERE code = 'E07'), 'Executive leadership and school improvement', 43000000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = 'central' AND b.year = 2026), 4, (SELECT id FROM accounts WHERE code = 'E04'), 'Estates manager', 5800000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = 'central' AND b.year = 2026), 5, (SELECT id FROM accounts WHERE code = 'E08'), 'Indirect employee costs: recruitment, DBS', 1200000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = 'central' AND b.year = 2026), 6, (SELECT id FROM accounts WHERE code = 'E09'), 'Staff development and trust-wide training', 2400000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = 'central' AND b.year = 2026), 7, (SELECT id FROM accounts WHERE code = 'E16'), 'Energy: central office', 900000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = 'central' AND b.year = 2026), 8, (SELECT id FROM accounts WHERE code = 'E18'), 'Central office rent and service charge', 4800000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = 'central' AND b.year = 2026), 9, (SELECT id FROM accounts WHERE code = 'E20'), 'Trust systems: finance, HR and MIS licences', 6200000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = 'central' AND b.year = 2026), 10, (SELECT id FROM accounts WHERE code = 'E22'), 'Administrative supplies', 1400000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = 'central' AND b.year = 2026), 11, (SELECT id FROM accounts WHERE code = 'E23'), 'Trustee and officer insurance', 1200000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = 'central' AND b.year = 2026), 12, (SELECT id FROM accounts WHERE code = 'E27'), 'School improvement consultancy', 4200000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = 'central' AND b.year = 2026), 13, (SELECT id FROM accounts WHERE code = 'E28a'), 'External audit (trust-wide)', 3400000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = 'central' AND b.year = 2026), 14, (SELECT id FROM accounts WHERE code = 'E28a'), 'Legal and HR advice', 2600000, NULL, 0),
((SELECT b.id FROM budgets b JOIN schools s ON s.id = b.school_id WHERE s.urn = 'central' AND b.year = 2026), 15, (SELECT id FROM accounts WHERE code = 'CON01'), 'Contingency', 3000000, NULL, 0);
