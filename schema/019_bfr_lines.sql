-- 019_bfr_lines: the BFR's lines (issue 17; domain.md section 8, ISSUE17_CONTRACT section 4).
-- The DfE publishes the BFR by line number (EFALineNo): 199, 200, 205, 211, 220 income, 298
-- total revenue income, 335 total staff costs, 336-342 ICT spending, 380 total revenue
-- expenditure, 430 revenue balance carried forward, 999 pupil numbers (published = 1). Under the
-- totals bursar adds detail lines of its own (published = 0) so that every non-internal account
-- of the chart maps to a line (accounts.bfr_line) and each total is the sum of its lines:
-- 350 premises, 360 supplies and services, 370 other costs; and 297 / 379, an entity's internal
-- income and expenditure net of the GAG that only passes through (INT03, INT06), which no
-- account maps to (daemon/core/bfr.c puts the internal codes there) and the trust's BFR drops,
-- so that an entity's 298 and 380 are its income and expenditure as every other view totals
-- them (core/budget.h budget_totals). The ICT range holds one line, 336, as the chart has one
-- ICT account (E20); the DfE's split of 337-342 is not confirmed.
-- One statement per step; every statement ends with ';' at the end of a line.

INSERT INTO bfr_lines (line_no, label, section, kind, published, sort) VALUES
(199, 'Total DfE/ESFA revenue income', 'income', 'line', 1, 10),
(200, 'LA revenue income', 'income', 'line', 1, 20),
(205, 'Other government grants', 'income', 'line', 1, 30),
(211, 'Trading income', 'income', 'line', 1, 40),
(220, 'Other income', 'income', 'line', 1, 50),
(297, 'Internal income net of GAG passed through (an entity''s; dropped in the trust''s)', 'income', 'line', 0, 60),
(298, 'Total revenue income', 'income', 'total', 1, 70),
(335, 'Total staff costs', 'expenditure', 'line', 1, 80),
(336, 'ICT spending: ICT learning resources', 'expenditure', 'line', 1, 90),
(350, 'Premises costs', 'expenditure', 'line', 0, 100),
(360, 'Supplies and services', 'expenditure', 'line', 0, 110),
(370, 'Other costs (insurance, finance, contingency, community)', 'expenditure', 'line', 0, 120),
(379, 'Internal expenditure net of GAG passed through (an entity''s; dropped in the trust''s)', 'expenditure', 'line', 0, 130),
(380, 'Total revenue expenditure', 'expenditure', 'total', 1, 140),
(430, 'Revenue balance carried forward', 'balance', 'balance', 1, 150),
(999, 'Pupil numbers', 'pupils', 'pupils', 1, 160);
