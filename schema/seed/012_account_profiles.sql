-- 012_account_profiles: each demo account's default monthly profile (schema/018_profiles.sql;
-- README "Profiles"). NULL is `even`: salaries, GAG, most costs, the internal codes.
-- * I05 pupil premium: paid quarterly (October, January, April, July).
-- * I08 lettings, I09 catering and I12 trips income; E02 supply, E26 agency supply, E19 learning
--   resources and E25 catering supplies: by school days (term_time).
-- * E16 energy: heating. E23 insurance premiums (the RPA): once, in September.
UPDATE accounts SET default_profile = 'quarterly_grant' WHERE code = 'I05';
UPDATE accounts SET default_profile = 'term_time' WHERE code IN ('I08', 'I09', 'I12', 'E02', 'E26', 'E19', 'E25');
UPDATE accounts SET default_profile = 'heating' WHERE code = 'E16';
UPDATE accounts SET default_profile = 'annual_september' WHERE code = 'E23';
