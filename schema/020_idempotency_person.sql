-- 020_idempotency_person: Idempotency-Key per person as well as per token. A person signed in
-- with a session cookie has no token (token_id 0), so every person's keys shared one namespace:
-- one person's key, sent by another with the same request, replayed the first person's answer
-- without the handler's checks (a business manager's school among them). A key now belongs to
-- its token (user_id 0) or to its person (token_id 0).
-- One statement per step; every statement ends with ';' at the end of a line.

ALTER TABLE idempotency_keys
	ADD COLUMN user_id INT UNSIGNED NOT NULL DEFAULT 0 AFTER token_id,
	DROP PRIMARY KEY,
	ADD PRIMARY KEY (token_id, user_id, idem_key);
