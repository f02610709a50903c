-- 014_account_bfr: each non-internal account of the demo chart (010_accounts.sql) mapped to the
-- BFR line it reports on (019_bfr_lines.sql); the internal codes stay NULL (core/bfr.c puts an
-- entity's on 297 / 379 and the trust's BFR drops them). Choices, for a finance director to check:
-- * 199 DfE/ESFA income: GAG (I01, I01P place funding) and the DfE's own grants, the groups gag and
--   dfe_grants: 16-19 funding (I02), pupil premium (I05), I06 (UIFSM, PE and sport, pay and pension
--   grants: all paid by the DfE, although the CFR heading says "other government grants") and the
--   additional grant (I18).
-- * 200 LA income: the group la_income: high-needs top-ups (I03), minority ethnic pupils (I04), LA
--   early-years and other LA payments (I07), extended school (I15) and community (I16) funding.
-- * 205 other government grants: no account of the demo chart is a grant from another part of
--   government, so the line reads zero (a trust with one maps it here).
-- * 211 trading income: what the school sells: lettings (I08), catering (I09), trips (I12),
--   community facilities (I17).
-- * 220 other income: insurance receipts (I10, I11) and donations (I13).
-- * 335 total staff costs: the staff groups as the budget's staff costs count them (teaching_staff,
--   support_staff, other_staff: E01-E11, E26 agency supply, E31 community staff), so 335 ties to
--   the budget's and the forecast's staff costs.
-- * 336 ICT: ICT learning resources (E20), the chart's one ICT account.
-- * 350 premises: the premises group (E12-E18) and PFI (E28b, in the premises group).
-- * 360 supplies and services: the supplies group (E19, E21, E22, E24, E25) and bought-in
--   services (E27, E28a).
-- * 370 other costs: insurance premiums (E23), loan interest (E29), revenue contributions to
--   capital (E30), community costs (E32) and the contingency (CON01).

UPDATE accounts SET bfr_line = 199 WHERE code IN ('I01', 'I01P', 'I02', 'I05', 'I06', 'I18');
UPDATE accounts SET bfr_line = 200 WHERE code IN ('I03', 'I04', 'I07', 'I15', 'I16');
UPDATE accounts SET bfr_line = 211 WHERE code IN ('I08', 'I09', 'I12', 'I17');
UPDATE accounts SET bfr_line = 220 WHERE code IN ('I10', 'I11', 'I13');
UPDATE accounts SET bfr_line = 335 WHERE code IN ('E01', 'E02', 'E03', 'E04', 'E05', 'E06', 'E07', 'E08', 'E09', 'E10', 'E11', 'E26', 'E31');
UPDATE accounts SET bfr_line = 336 WHERE code = 'E20';
UPDATE accounts SET bfr_line = 350 WHERE code IN ('E12', 'E13', 'E14', 'E15', 'E16', 'E17', 'E18', 'E28b');
UPDATE accounts SET bfr_line = 360 WHERE code IN ('E19', 'E21', 'E22', 'E24', 'E25', 'E27', 'E28a');
UPDATE accounts SET bfr_line = 370 WHERE code IN ('E23', 'E29', 'E30', 'E32', 'CON01');
