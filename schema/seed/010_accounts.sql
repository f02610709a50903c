-- 010_accounts: the chart of accounts - CFR income I01-I18 and expenditure E01-E32
-- (E28 split into E28a/E28b), plus the trust's internal codes. Names follow domain.md §3
-- (the CFR headings, shortened). Loaded by `bursard seed` in one transaction.
--
-- Choices, for a finance director to check:
-- * I14 is left out: domain.md §3 does not list it (what it was is unconfirmed), so the
--   code stays free rather than carry an invented meaning.
-- * I01P is our sub-code of I01 for special-school place funding (£10,000 a place; CFR puts
--   pre-16 place funding in I01). It is GAG (is_gag = 1) but projects by `places`, with no
--   census lag, while I01 (per-pupil GAG) follows the October roll a year late (`pupils`).
-- * is_gag: I01 and I01P only. I02 (16-19 funding) is a separate DfE allocation and none of
--   the demo schools has a sixth form, so it is grouped with the other DfE grants.
-- * is_teacher: E01 teachers and E02 supply teachers on the payroll (teachers' pay awards in
--   September, TPS on-costs). E26 agency supply is an invoice, not payroll: it counts as a
--   teaching-staff cost in the staff KPIs but is not a teacher line, and follows CPI.
-- * is_support: the NJC payroll lines E03-E07 and E31 (April awards, LGPS on-costs).
-- * Staff groups: teaching_staff (E01, E02, E26), support_staff (E03 education support,
--   E05 admin), other_staff (E04 premises, E06 catering, E07 other, E31 community staff and
--   the staff-related costs E08-E11, which DfE benchmarking counts as staff costs).
-- * Drivers: income that follows the roll a year late `pupils` (I01, I02, I04, I05); what
--   follows this year's roll `pupils_current` (I03 top-ups, I09 catering, I12 trips; E19
--   learning resources, E21 exam fees, E25 catering supplies); grants that do not follow the
--   roll `funding` (I06, I07, I18); energy `inflation:energy`; rates, insurance receipts,
--   donations, loan interest and revenue contributions to capital `fixed`; procured services
--   `services` (E14 cleaning, E28a payroll/HR, audit, legal and other bought-in services):
--   forecast.c should fall back to CPI for such a line when no service is booked to its code.
--   Everything else in goods and services follows CPI.
-- * Internal codes (is_internal = 1, grp internal) are pairs that net to zero across the
--   trust and are dropped on consolidation. Their driver is `fixed` only because the column
--   is required: the finance-rule plugins and the allocation post them afresh every year.
-- * CON01 Contingency: an expenditure line of its own group, left out of staff percentages.

INSERT INTO accounts (code, name, kind, grp, driver, is_gag, is_teacher, is_support, is_internal) VALUES
('I01',  'GAG: core funding (per-pupil and lump sum)', 'income', 'gag', 'pupils', 1, 0, 0, 0),
('I01P', 'GAG: high-needs place funding (£10k per place)', 'income', 'gag', 'places', 1, 0, 0, 0),
('I02',  'Funding for sixth-form students (16-19)', 'income', 'dfe_grants', 'pupils', 0, 0, 0, 0),
('I03',  'High-needs top-up funding', 'income', 'la_income', 'pupils_current', 0, 0, 0, 0),
('I04',  'Funding for minority ethnic pupils', 'income', 'la_income', 'pupils', 0, 0, 0, 0),
('I05',  'Pupil premium', 'income', 'dfe_grants', 'pupils', 0, 0, 0, 0),
('I06',  'Other government grants (UIFSM, PE and sport, pay and pension grants)', 'income', 'dfe_grants', 'funding', 0, 0, 0, 0),
('I07',  'Other grants and payments (incl. LA early-years funding)', 'income', 'la_income', 'funding', 0, 0, 0, 0),
('I08',  'Income from facilities and services (lettings)', 'income', 'self_generated', 'inflation:cpi', 0, 0, 0, 0),
('I09',  'Income from catering', 'income', 'self_generated', 'pupils_current', 0, 0, 0, 0),
('I10',  'Receipts from supply teacher insurance claims', 'income', 'self_generated', 'fixed', 0, 0, 0, 0),
('I11',  'Receipts from other insurance claims', 'income', 'self_generated', 'fixed', 0, 0, 0, 0),
('I12',  'Income from contributions to visits and trips', 'income', 'self_generated', 'pupils_current', 0, 0, 0, 0),
('I13',  'Donations and voluntary funds', 'income', 'self_generated', 'fixed', 0, 0, 0, 0),
('I15',  'Pupil-focused extended school funding and grants', 'income', 'la_income', 'fixed', 0, 0, 0, 0),
('I16',  'Community-focused school funding and grants', 'income', 'la_income', 'fixed', 0, 0, 0, 0),
('I17',  'Community-focused school facilities income', 'income', 'self_generated', 'inflation:cpi', 0, 0, 0, 0),
('I18',  'Additional grant for schools', 'income', 'dfe_grants', 'funding', 0, 0, 0, 0);

INSERT INTO accounts (code, name, kind, grp, driver, is_gag, is_teacher, is_support, is_internal) VALUES
('E01',  'Teaching staff', 'expenditure', 'teaching_staff', 'teacher_pay', 0, 1, 0, 0),
('E02',  'Supply teaching staff', 'expenditure', 'teaching_staff', 'teacher_pay', 0, 1, 0, 0),
('E03',  'Education support staff', 'expenditure', 'support_staff', 'support_pay', 0, 0, 1, 0),
('E04',  'Premises staff', 'expenditure', 'other_staff', 'support_pay', 0, 0, 1, 0),
('E05',  'Administrative and clerical staff', 'expenditure', 'support_staff', 'support_pay', 0, 0, 1, 0),
('E06',  'Catering staff', 'expenditure', 'other_staff', 'support_pay', 0, 0, 1, 0),
('E07',  'Cost of other staff', 'expenditure', 'other_staff', 'support_pay', 0, 0, 1, 0),
('E08',  'Indirect employee expenses', 'expenditure', 'other_staff', 'inflation:cpi', 0, 0, 0, 0),
('E09',  'Staff development and training', 'expenditure', 'other_staff', 'inflation:cpi', 0, 0, 0, 0),
('E10',  'Supply teacher insurance', 'expenditure', 'other_staff', 'inflation:cpi', 0, 0, 0, 0),
('E11',  'Staff-related insurance', 'expenditure', 'other_staff', 'inflation:cpi', 0, 0, 0, 0),
('E12',  'Building maintenance and improvement', 'expenditure', 'premises', 'inflation:cpi', 0, 0, 0, 0),
('E13',  'Grounds maintenance and improvement', 'expenditure', 'premises', 'inflation:cpi', 0, 0, 0, 0),
('E14',  'Cleaning and caretaking', 'expenditure', 'premises', 'services', 0, 0, 0, 0),
('E15',  'Water and sewerage', 'expenditure', 'premises', 'inflation:cpi', 0, 0, 0, 0),
('E16',  'Energy', 'expenditure', 'premises', 'inflation:energy', 0, 0, 0, 0),
('E17',  'Rates', 'expenditure', 'premises', 'fixed', 0, 0, 0, 0),
('E18',  'Other occupation costs', 'expenditure', 'premises', 'inflation:cpi', 0, 0, 0, 0),
('E19',  'Learning resources (not ICT equipment)', 'expenditure', 'supplies', 'pupils_current', 0, 0, 0, 0),
('E20',  'ICT learning resources', 'expenditure', 'ict', 'inflation:cpi', 0, 0, 0, 0),
('E21',  'Examination fees', 'expenditure', 'supplies', 'pupils_current', 0, 0, 0, 0),
('E22',  'Administrative supplies', 'expenditure', 'supplies', 'inflation:cpi', 0, 0, 0, 0),
('E23',  'Other insurance premiums (incl. RPA)', 'expenditure', 'other', 'inflation:cpi', 0, 0, 0, 0),
('E24',  'Special facilities', 'expenditure', 'supplies', 'inflation:cpi', 0, 0, 0, 0),
('E25',  'Catering supplies', 'expenditure', 'supplies', 'pupils_current', 0, 0, 0, 0),
('E26',  'Agency supply teaching staff', 'expenditure', 'teaching_staff', 'inflation:cpi', 0, 0, 0, 0),
('E27',  'Bought-in professional services: curriculum', 'expenditure', 'services', 'inflation:cpi', 0, 0, 0, 0),
('E28a', 'Bought-in professional services: other (not PFI)', 'expenditure', 'services', 'services', 0, 0, 0, 0),
('E28b', 'Bought-in professional services: PFI', 'expenditure', 'premises', 'inflation:cpi', 0, 0, 0, 0),
('E29',  'Loan interest', 'expenditure', 'other', 'fixed', 0, 0, 0, 0),
('E30',  'Direct revenue financing (revenue contributions to capital)', 'expenditure', 'other', 'fixed', 0, 0, 0, 0),
('E31',  'Community-focused school staff', 'expenditure', 'other_staff', 'support_pay', 0, 0, 1, 0),
('E32',  'Community-focused school costs', 'expenditure', 'other', 'inflation:cpi', 0, 0, 0, 0);

-- The trust's internal codes: each charge is a cost in one entity and income in another.
INSERT INTO accounts (code, name, kind, grp, driver, is_gag, is_teacher, is_support, is_internal) VALUES
('INT01', 'Central services charge (top-slice)', 'expenditure', 'internal', 'fixed', 0, 0, 0, 1),
('INT02', 'Central services charge received', 'income', 'internal', 'fixed', 0, 0, 0, 1),
('INT03', 'GAG pooled to the trust', 'expenditure', 'internal', 'fixed', 0, 0, 0, 1),
('INT04', 'Pooled GAG received', 'income', 'internal', 'fixed', 0, 0, 0, 1),
('INT05', 'GAG allocation from the pool', 'income', 'internal', 'fixed', 0, 0, 0, 1),
('INT06', 'GAG allocations to schools', 'expenditure', 'internal', 'fixed', 0, 0, 0, 1),
('INT07', 'Traded services recharge', 'expenditure', 'internal', 'fixed', 0, 0, 0, 1),
('INT08', 'Traded services recharges received', 'income', 'internal', 'fixed', 0, 0, 0, 1);

INSERT INTO accounts (code, name, kind, grp, driver, is_gag, is_teacher, is_support, is_internal) VALUES
('CON01', 'Contingency', 'expenditure', 'contingency', 'fixed', 0, 0, 0, 0);
