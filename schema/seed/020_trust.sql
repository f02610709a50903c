-- 020_trust: the demo trust (DESIGN.md "The demo trust"). Every name, URN and figure here is
-- INVENTED: the real schools named in domain.md must not carry invented deficits. The URNs
-- 159901-159909 lie above the range GIAS has allocated so far, so they name no real school.
--
-- Lea and Estuary Learning Trust: 9 academies and the central team.
--
-- urn     name                                 LA               phase    model    pupils 24/25/26  approx income 2026-27
-- 159901  Kingfisher Wharf Primary Academy     Newham           primary  central  684/688/690      £5.70m
-- 159902  Cormorant Dock Primary Academy       Newham           primary  central  628/631/630      £5.15m
-- 159903  Wagtail Fields Primary Academy       Newham           primary  central  655/659/660      £5.40m
-- 159904  Sandpiper Green Primary Academy      Newham           primary  central  600/562/522      £4.55m  falling roll, deficit
-- 159905  Teal Basin Primary Academy           Newham           primary  central  472/441/409      £3.60m  falling roll, deficit
-- 159906  Lapwing Bridge School                Newham           special  local    108/114/118      £3.70m  places 112/116/120
-- 159907  Samphire Infant Academy              Southend-on-Sea  infant   local    358/356/357      £2.55m  federated with 159908
-- 159908  Samphire Junior Academy              Southend-on-Sea  junior   local    476/479/478      £2.98m
-- 159909  Oystercatcher Primary Academy        Southend-on-Sea  primary  local    418/421/420      £2.85m  reserves ~15%
-- central Lea and Estuary Learning Trust central team  (no phase, no model)       £1.6-1.9m internal
--
-- How the incomes were sized (2026-27, GAG lagged on the October 2025 census):
-- * Newham primaries (Inner London pay): GAG ~£6,700 a pupil, pupil premium for 34-40% of
--   pupils at £1,515, early-years £100-220k, SEN top-ups £140-230k, UIFSM, PE grant, and
--   £50-100k self-generated. The 630-pupil Cormorant Dock: ~£4.23m GAG, £5.15m in all.
-- * Southend primaries: GAG ~£5,500 a pupil, pupil premium for 22-26%: the 420-pupil
--   Oystercatcher ~£2.32m GAG, £2.85m in all. The infant school has UIFSM for every pupil.
-- * Lapwing Bridge (special): 120 places x £10,000 = £1.20m (I01P) + ~£2.40m top-ups (I03)
--   + ~£0.10m other; staff 85-88% of costs (hence ~96 FTE).
-- * Schools together ~£36.5m, the trust's external income (DESIGN: £36-38m).
-- * Central team ~£1.8m, all internal: 5% top-slice of the `local` schools' GAG (~£8.1m,
--   ~£0.4m) plus ~7% retained from the ~£20m of pooled Newham GAG (~£1.4m); ~22.5 FTE.
--
-- Opening revenue reserves (the audited closing balance of the year before; 2026 estimated):
--                     2024 (audited)   2025 (audited)   2026 (est.)   2026 % of income
-- Kingfisher Wharf       388,145.20       421,873.46      456,300       8.0%
-- Cormorant Dock         330,912.74       352,108.19      365,800       7.1%
-- Wagtail Fields         352,017.66       341,665.02      334,200       6.2%
-- Sandpiper Green        142,650.31        18,412.77      -96,400       deficit
-- Teal Basin              71,804.93       -41,236.58     -152,700       deficit
-- Lapwing Bridge         214,377.08       231,554.90      244,900       6.6%
-- Samphire Infant        159,804.26       168,240.11      176,300       6.9%
-- Samphire Junior        203,118.90       190,733.64      181,500       6.1%
-- Oystercatcher          361,290.47       402,917.35      433,600      15.2%
-- central team           640,225.13       612,380.05      580,000
-- trust                2,864,346.68     2,698,648.91    2,523,500       ~6.9% of ~£36.5m
--
-- finance_model: Newham primaries pool GAG (`central`); the special school and the Southend
-- schools pay a top-slice (`local`); the central team has none ('').

INSERT INTO schools (urn, kind, name, phase, local_authority, finance_model, floor_area_m2) VALUES
('159901', 'school', 'Kingfisher Wharf Primary Academy', 'primary', 'Newham', 'central', 4400),
('159902', 'school', 'Cormorant Dock Primary Academy', 'primary', 'Newham', 'central', 3950),
('159903', 'school', 'Wagtail Fields Primary Academy', 'primary', 'Newham', 'central', 4150),
('159904', 'school', 'Sandpiper Green Primary Academy', 'primary', 'Newham', 'central', 3700),
('159905', 'school', 'Teal Basin Primary Academy', 'primary', 'Newham', 'central', 3100),
('159906', 'school', 'Lapwing Bridge School', 'special', 'Newham', 'local', 3050),
('159907', 'school', 'Samphire Infant Academy', 'infant', 'Southend-on-Sea', 'local', 2600),
('159908', 'school', 'Samphire Junior Academy', 'junior', 'Southend-on-Sea', 'local', 3200),
('159909', 'school', 'Oystercatcher Primary Academy', 'primary', 'Southend-on-Sea', 'local', 2750),
('central', 'central', 'Lea and Estuary Learning Trust central team', NULL, '', '', NULL);

-- school_years: October census pupils, high-needs places, staff FTE x 100, opening revenue
-- reserves in pence. year is the start year (2026 = 2026-27); all are actuals.

INSERT INTO school_years (school_id, year, pupils, places, fte_hundredths, opening_reserves_pence, reserves_basis, actual) VALUES
((SELECT id FROM schools WHERE urn='159901'), 2024, 684, NULL, 8120, 38814520, 'audited', 1),
((SELECT id FROM schools WHERE urn='159901'), 2025, 688, NULL, 8190, 42187346, 'audited', 1),
((SELECT id FROM schools WHERE urn='159901'), 2026, 690, NULL, 8240, 45630000, 'estimated', 1);

INSERT INTO school_years (school_id, year, pupils, places, fte_hundredths, opening_reserves_pence, reserves_basis, actual) VALUES
((SELECT id FROM schools WHERE urn='159902'), 2024, 628, NULL, 7580, 33091274, 'audited', 1),
((SELECT id FROM schools WHERE urn='159902'), 2025, 631, NULL, 7610, 35210819, 'audited', 1),
((SELECT id FROM schools WHERE urn='159902'), 2026, 630, NULL, 7650, 36580000, 'estimated', 1);

INSERT INTO school_years (school_id, year, pupils, places, fte_hundredths, opening_reserves_pence, reserves_basis, actual) VALUES
((SELECT id FROM schools WHERE urn='159903'), 2024, 655, NULL, 7860, 35201766, 'audited', 1),
((SELECT id FROM schools WHERE urn='159903'), 2025, 659, NULL, 7900, 34166502, 'audited', 1),
((SELECT id FROM schools WHERE urn='159903'), 2026, 660, NULL, 7920, 33420000, 'estimated', 1);

INSERT INTO school_years (school_id, year, pupils, places, fte_hundredths, opening_reserves_pence, reserves_basis, actual) VALUES
((SELECT id FROM schools WHERE urn='159904'), 2024, 600, NULL, 7240, 14265031, 'audited', 1),
((SELECT id FROM schools WHERE urn='159904'), 2025, 562, NULL, 7010, 1841277, 'audited', 1),
((SELECT id FROM schools WHERE urn='159904'), 2026, 522, NULL, 6780, -9640000, 'estimated', 1);

INSERT INTO school_years (school_id, year, pupils, places, fte_hundredths, opening_reserves_pence, reserves_basis, actual) VALUES
((SELECT id FROM schools WHERE urn='159905'), 2024, 472, NULL, 5950, 7180493, 'audited', 1),
((SELECT id FROM schools WHERE urn='159905'), 2025, 441, NULL, 5720, -4123658, 'audited', 1),
((SELECT id FROM schools WHERE urn='159905'), 2026, 409, NULL, 5460, -15270000, 'estimated', 1);

INSERT INTO school_years (school_id, year, pupils, places, fte_hundredths, opening_reserves_pence, reserves_basis, actual) VALUES
((SELECT id FROM schools WHERE urn='159906'), 2024, 108, 112, 9180, 21437708, 'audited', 1),
((SELECT id FROM schools WHERE urn='159906'), 2025, 114, 116, 9420, 23155490, 'audited', 1),
((SELECT id FROM schools WHERE urn='159906'), 2026, 118, 120, 9640, 24490000, 'estimated', 1);

INSERT INTO school_years (school_id, year, pupils, places, fte_hundredths, opening_reserves_pence, reserves_basis, actual) VALUES
((SELECT id FROM schools WHERE urn='159907'), 2024, 358, NULL, 4720, 15980426, 'audited', 1),
((SELECT id FROM schools WHERE urn='159907'), 2025, 356, NULL, 4690, 16824011, 'audited', 1),
((SELECT id FROM schools WHERE urn='159907'), 2026, 357, NULL, 4650, 17630000, 'estimated', 1);

INSERT INTO school_years (school_id, year, pupils, places, fte_hundredths, opening_reserves_pence, reserves_basis, actual) VALUES
((SELECT id FROM schools WHERE urn='159908'), 2024, 476, NULL, 5180, 20311890, 'audited', 1),
((SELECT id FROM schools WHERE urn='159908'), 2025, 479, NULL, 5230, 19073364, 'audited', 1),
((SELECT id FROM schools WHERE urn='159908'), 2026, 478, NULL, 5210, 18150000, 'estimated', 1);

INSERT INTO school_years (school_id, year, pupils, places, fte_hundredths, opening_reserves_pence, reserves_basis, actual) VALUES
((SELECT id FROM schools WHERE urn='159909'), 2024, 418, NULL, 5010, 36129047, 'audited', 1),
((SELECT id FROM schools WHERE urn='159909'), 2025, 421, NULL, 5060, 40291735, 'audited', 1),
((SELECT id FROM schools WHERE urn='159909'), 2026, 420, NULL, 5030, 43360000, 'estimated', 1);

INSERT INTO school_years (school_id, year, pupils, places, fte_hundredths, opening_reserves_pence, reserves_basis, actual) VALUES
((SELECT id FROM schools WHERE urn='central'), 2024, NULL, NULL, 1980, 64022513, 'audited', 1),
((SELECT id FROM schools WHERE urn='central'), 2025, NULL, NULL, 2110, 61238005, 'audited', 1),
((SELECT id FROM schools WHERE urn='central'), 2026, NULL, NULL, 2250, 58000000, 'estimated', 1);
