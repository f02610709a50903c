-- 018_profiles: the builtin monthly profiles (issue 17; README "Profiles"). Weights in basis
-- points, September first, each profile summing to 10000. A budget line without a profile of
-- its own takes its account's default (accounts.default_profile; NULL is `even`).
--
-- Why these:
-- * even: twelve equal months, the odd 4bp on the first four (834 x 4 + 833 x 8 = 10000).
--   Salaries, GAG (paid monthly by the ESFA) and most costs.
-- * term_time: by school days (190 a year: 18,16,20,15,19,15,20,13,18,20,16,0 from September),
--   each month days x 10000 / 190, rounded, the rounding taken up by October (842 not 842.1) and
--   March (1053). Supply, catering, trips, lettings, learning resources. August has none.
-- * quarterly_grant: a grant paid in October, January, April and July (pupil premium).
-- * april_march_grant: a grant of an April-March year paid at each quarter's end (September,
--   December, March, June).
-- * heating: energy, heaviest December to February.
-- * annual_september: paid once at the start of the year (insurance premiums, licences).
INSERT INTO profiles (name, description, weights) VALUES
('even', 'Twelve equal months (salaries, GAG, most costs)', '834,834,834,834,833,833,833,833,833,833,833,833'),
('term_time', 'By school days, 190 a year, none in August (supply, catering, trips, lettings, resources)', '947,842,1053,790,1000,789,1053,684,947,1053,842,0'),
('quarterly_grant', 'A grant paid in October, January, April and July (pupil premium)', '0,2500,0,0,2500,0,0,2500,0,0,2500,0'),
('april_march_grant', 'A grant of an April-March year paid at each quarter''s end (September, December, March, June)', '2500,0,0,2500,0,0,2500,0,0,2500,0,0'),
('heating', 'Energy: heaviest in winter', '500,800,1100,1200,1300,1200,1000,800,600,500,500,500'),
('annual_september', 'Paid once at the start of the year (insurance, licences)', '10000,0,0,0,0,0,0,0,0,0,0,0');
