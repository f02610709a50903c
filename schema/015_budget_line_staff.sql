-- 015_budget_line_staff: a generated staff line's breakdown (issue 16; README "Staff from
-- posts"). An entity planning by post has one generated line per code its posts are paid from
-- (computed = 1, like the finance rules' lines); submit freezes it with its posts' pay,
-- employer NI and pension, how many posts and their FTE, so a submitted or approved budget
-- shows them as they were. NULL on every other line. One statement per step.

ALTER TABLE budget_lines ADD COLUMN staff_pay_pence BIGINT NULL AFTER explanation,
	ADD COLUMN staff_ni_pence BIGINT NULL AFTER staff_pay_pence,
	ADD COLUMN staff_pension_pence BIGINT NULL AFTER staff_ni_pence,
	ADD COLUMN staff_posts INT NULL AFTER staff_pension_pence,
	ADD COLUMN staff_fte_h INT NULL AFTER staff_posts;
