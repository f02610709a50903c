-- 055_indices: the demo trust's index history (issue 15; schema/009_indices.sql): the rate applied
-- at a contract's anniversary falling in each academic year, 2020-21 to 2026-27. A year's value is
-- the figure known when the year starts: for CPI the ONS 12-month rate for September of that year
-- (published in October), for the NLW the April rise of that calendar year (the one in force on
-- 1 September), so a contract whose anniversary falls in 2026-27 rises by the NLW of April 2026.
-- 2026-27's CPI is not in the domain brief: 3.00% is chosen, the expected scenario's CPI and the
-- configured procurement.indexation_bp. Energy is INVENTED (the trust's framework price changes).
-- Years after 2026-27 come from a forecast's scenario, or procurement.indexation_bp.

INSERT INTO indices (name, description) VALUES
('cpi', 'Consumer prices index, 12-month rate for September (ONS)'),
('nlw', 'National Living Wage, the April rise'),
('energy', 'The trust''s energy framework price change (invented)');

INSERT INTO index_values (index_name, year, bp, note) VALUES
('cpi', 2020, 50, 'ONS CPI September 2020: 0.5%'),
('cpi', 2021, 310, 'ONS CPI September 2021: 3.1%'),
('cpi', 2022, 1010, 'ONS CPI September 2022: 10.1%'),
('cpi', 2023, 670, 'ONS CPI September 2023: 6.7%'),
('cpi', 2024, 170, 'ONS CPI September 2024: 1.7%'),
('cpi', 2025, 380, 'ONS CPI September 2025: 3.8%'),
('cpi', 2026, 300, 'September 2026: the expected scenario''s 3.0% (chosen for the demo)'),
('nlw', 2020, 620, 'NLW April 2020: £8.72 (+6.2%)'),
('nlw', 2021, 220, 'NLW April 2021: £8.91 (+2.2%)'),
('nlw', 2022, 660, 'NLW April 2022: £9.50 (+6.6%)'),
('nlw', 2023, 970, 'NLW April 2023: £10.42 (+9.7%)'),
('nlw', 2024, 980, 'NLW April 2024: £11.44 (+9.8%)'),
('nlw', 2025, 670, 'NLW April 2025: £12.21 (+6.7%)'),
('nlw', 2026, 410, 'NLW April 2026: £12.71 (+4.1%)'),
('energy', 2020, 0, 'invented'),
('energy', 2021, 1500, 'invented'),
('energy', 2022, 6000, 'invented'),
('energy', 2023, 2000, 'invented'),
('energy', 2024, -1500, 'invented'),
('energy', 2025, -500, 'invented'),
('energy', 2026, 300, 'invented');
