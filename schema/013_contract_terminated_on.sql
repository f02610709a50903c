-- 013_contract_terminated_on: the day a terminated contract stopped (issue 15). The termination
-- transition records it ("terminated_on", default today); it may be later than the day the
-- finance director records it (notice given) and is never before the contract's start. Pricing
-- (core/price.c) counts no month after it and assumes no replacement. A contract terminated
-- before this migration stopped on the day its status changed.

ALTER TABLE contracts ADD COLUMN terminated_on DATE NULL AFTER status_changed_at;

UPDATE contracts SET terminated_on = DATE(status_changed_at) WHERE status = 'terminated' AND status_changed_at IS NOT NULL;
