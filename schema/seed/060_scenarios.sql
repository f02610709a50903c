-- 060_scenarios: the demo trust's forecast scenarios for a 2026-27 base over five years
-- (DESIGN.md "The demo trust", domain.md section 8; issues 7 and 15). Every figure is a planning
-- assumption in basis points (300 = 3%) or pence, keyed by the academic year it applies to; a year
-- left out repeats the one before it (daemon/core/scenario.h). The JSON is in the normalised form
-- the API stores (every assumption present, years in order, overrides and actions).
--
-- The 2026-27 base budgets already hold the September 2026 teachers' award (3.5%) and the April
-- 2026 support-staff award (3.3% offered): neither is an assumption. A September award is keyed by
-- its academic year (2027-28: September 2027); an April change by the academic year it falls in, so
-- April 2027 is the base year's own (base_*_bp: read as part-paid in the base budgets, April to
-- August) and April 2028 is 2027-28's.
--
-- expected:   teachers +3% in September 2027 (as announced) then +2.5%; support staff +3.3% in
--             April 2027 then +3% a year; CPI 3% falling to 2%; energy +4% then +3%; NLW +4.1%;
--             funding per pupil +2.1% then +1%; re-procured contracts +5%; the two falling rolls
--             slowing down (Sandpiper Green 522 -> 470, Teal Basin 409 -> 360); Lapwing Bridge
--             122 places. TPS stays at 28.68%.
-- cautious:   teachers +4% a year; support +4%; the TPS employer rate assumed to rise from
--             28.68% to 30.68% of pensionable pay from April 2027, when the current valuation's
--             rate ends (the April 2027 rate is unconfirmed, so it is this scenario's value): with
--             employer NI a teacher line is about 142% of pay, so +2 points of pay is +1.41% of the
--             teachers' lines; the base budgets were set at 28.68%, so the rise is
--             base_teacher_oncost_unbudgeted_bp 141 (not part-paid in them) for the entities planning
--             by budget line, and staff_rate_changes TPS 30.68% from April 2027 for those planning by
--             post (their posts are costed month by month at the new rate); CPI 3.5% falling to 2.5%; energy +8%
--             then +5%; NLW +5%; funding +1% a year; re-procured contracts +10%; rolls falling
--             faster everywhere (Sandpiper Green to 395, Teal Basin to 310 by October 2031).
-- optimistic: teachers +3% (as announced) then +2%; support +3% then +2.5%; CPI 2.5% then 2%;
--             energy +2%; NLW +3.5%; funding +2.5% then +1.5%; re-procurement at the same price;
--             rolls steadier (Sandpiper Green 515, Teal Basin 405); Lapwing Bridge 124 then 126
--             places at £10,250 from 2028-29.
-- expected — Southend pooled too: a what-if (a copy of expected with one change, as
--             POST /api/v1/scenarios {"copy_from"} makes one): the three Southend schools on the
--             `central` model (GAG pooling) for this scenario's runs only. Their school records keep
--             `local`: a run of it changes no live data (DESIGN.md "What-ifs never touch live data").

INSERT INTO scenarios (name, description, base_year, horizon, spec_json) VALUES
('expected', 'The central case: teachers +3% in September 2027 as announced then +2.5%, support staff +3.3% in April 2027 then +3%, CPI 3% falling to 2%, funding +2.1% then +1%, NLW +4.1%, falling rolls at Sandpiper Green and Teal Basin easing.', 2026, 5,
 '{"assumptions":{"funding_per_pupil_bp":{"2027-28":210,"2028-29":100},"place_rate_pence":{"2027-28":1000000},"teacher_pay_bp":{"2027-28":300,"2028-29":250},"support_pay_bp":{"2027-28":300},"teacher_oncost_bp":{},"support_oncost_bp":{},"inflation_bp":{"cpi":{"2027-28":300,"2028-29":250,"2029-30":200},"energy":{"2027-28":400,"2028-29":300},"nlw":{"2027-28":410}},"retender_change_bp":{"2027-28":500},"base_support_pay_bp":330,"base_teacher_oncost_bp":0,"base_support_oncost_bp":0,"base_teacher_oncost_unbudgeted_bp":0,"base_support_oncost_unbudgeted_bp":0},"pupils":{"159904":{"2027-28":500,"2028-29":485,"2029-30":475,"2030-31":470},"159905":{"2027-28":390,"2028-29":375,"2029-30":365,"2030-31":360}},"places":{"159906":{"2027-28":122}},"overrides":{"finance_model":{},"plugin_settings":{}},"actions":[]}'),
('cautious', 'Teachers +4%, support +4%; the TPS employer rate assumed to rise from 28.68% to 30.68% of pay from April 2027 (unconfirmed: +1.41% of the teachers'' lines); funding +1% a year; CPI 3.5% falling to 2.5%; rolls falling faster across the trust.', 2026, 5,
 '{"assumptions":{"funding_per_pupil_bp":{"2027-28":100},"place_rate_pence":{"2027-28":1000000},"teacher_pay_bp":{"2027-28":400},"support_pay_bp":{"2027-28":400},"teacher_oncost_bp":{},"support_oncost_bp":{},"inflation_bp":{"cpi":{"2027-28":350,"2028-29":300,"2029-30":250},"energy":{"2027-28":800,"2028-29":500},"nlw":{"2027-28":500}},"retender_change_bp":{"2027-28":1000},"base_support_pay_bp":400,"base_teacher_oncost_bp":0,"base_support_oncost_bp":0,"base_teacher_oncost_unbudgeted_bp":141,"base_support_oncost_unbudgeted_bp":0,"staff_rate_changes":[{"scheme":"tps","from":"2027-04","rate_bp":3068}]},"pupils":{"159901":{"2027-28":682,"2028-29":672,"2029-30":662,"2030-31":655,"2031-32":650},"159902":{"2027-28":622,"2028-29":612,"2029-30":602,"2030-31":595,"2031-32":590},"159903":{"2027-28":652,"2028-29":644,"2029-30":636,"2030-31":630,"2031-32":625},"159904":{"2027-28":485,"2028-29":455,"2029-30":430,"2030-31":410,"2031-32":395},"159905":{"2027-28":380,"2028-29":355,"2029-30":335,"2030-31":320,"2031-32":310},"159907":{"2027-28":350,"2028-29":344,"2029-30":340,"2030-31":336,"2031-32":333},"159908":{"2027-28":470,"2028-29":462,"2029-30":455,"2030-31":450,"2031-32":446},"159909":{"2027-28":412,"2028-29":405,"2029-30":398,"2030-31":392,"2031-32":388}},"places":{"159906":{"2027-28":120}},"overrides":{"finance_model":{},"plugin_settings":{}},"actions":[]}'),
('optimistic', 'Teachers +3% as announced then +2%, support +3% then +2.5%, lower inflation, funding +2.5% then +1.5%, steadier rolls.', 2026, 5,
 '{"assumptions":{"funding_per_pupil_bp":{"2027-28":250,"2028-29":150},"place_rate_pence":{"2027-28":1000000,"2028-29":1025000},"teacher_pay_bp":{"2027-28":300,"2028-29":200},"support_pay_bp":{"2027-28":250},"teacher_oncost_bp":{},"support_oncost_bp":{},"inflation_bp":{"cpi":{"2027-28":250,"2028-29":200},"energy":{"2027-28":200},"nlw":{"2027-28":350}},"retender_change_bp":{"2027-28":0},"base_support_pay_bp":300,"base_teacher_oncost_bp":0,"base_support_oncost_bp":0,"base_teacher_oncost_unbudgeted_bp":0,"base_support_oncost_unbudgeted_bp":0},"pupils":{"159901":{"2027-28":695},"159904":{"2027-28":515},"159905":{"2027-28":405}},"places":{"159906":{"2027-28":124,"2028-29":126}},"overrides":{"finance_model":{},"plugin_settings":{}},"actions":[]}'),
('expected — Southend pooled too', 'What if: expected, with the three Southend schools (Samphire Infant, Samphire Junior, Oystercatcher) pooled under the central model for this scenario''s runs only. Their school records keep local.', 2026, 5,
 '{"assumptions":{"funding_per_pupil_bp":{"2027-28":210,"2028-29":100},"place_rate_pence":{"2027-28":1000000},"teacher_pay_bp":{"2027-28":300,"2028-29":250},"support_pay_bp":{"2027-28":300},"teacher_oncost_bp":{},"support_oncost_bp":{},"inflation_bp":{"cpi":{"2027-28":300,"2028-29":250,"2029-30":200},"energy":{"2027-28":400,"2028-29":300},"nlw":{"2027-28":410}},"retender_change_bp":{"2027-28":500},"base_support_pay_bp":330,"base_teacher_oncost_bp":0,"base_support_oncost_bp":0,"base_teacher_oncost_unbudgeted_bp":0,"base_support_oncost_unbudgeted_bp":0},"pupils":{"159904":{"2027-28":500,"2028-29":485,"2029-30":475,"2030-31":470},"159905":{"2027-28":390,"2028-29":375,"2029-30":365,"2030-31":360}},"places":{"159906":{"2027-28":122}},"overrides":{"finance_model":{"159907":"central","159908":"central","159909":"central"},"plugin_settings":{}},"actions":[]}');
