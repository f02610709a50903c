-- 007_people: people who sign in to the web app (issue 13; DESIGN.md "People and sign-in").
-- One statement per step (DDL auto-commits); every statement ends with ';' at the end of a line.
-- Times are UTC DATETIME(6).

-- A person's account: the role and school scope a token has (school_system is for machines,
-- so only tokens have it), a libsodium crypto_pwhash_str (Argon2id) hash, never the password.
-- locked: too many failed sign-ins; only an admin (or `bursard user reset`) lifts it.
CREATE TABLE users (
	id            INT UNSIGNED NOT NULL AUTO_INCREMENT,
	email         VARCHAR(254) NOT NULL,
	display_name  VARCHAR(200) NOT NULL,
	role          ENUM('finance_director','business_manager','auditor','admin') NOT NULL,
	password_hash VARCHAR(255) NOT NULL,
	disabled      TINYINT(1)   NOT NULL DEFAULT 0,
	locked        TINYINT(1)   NOT NULL DEFAULT 0,
	version       INT UNSIGNED NOT NULL DEFAULT 1,
	created_at    DATETIME(6)  NOT NULL DEFAULT UTC_TIMESTAMP(6),
	updated_at    DATETIME(6)  NOT NULL DEFAULT UTC_TIMESTAMP(6),
	PRIMARY KEY (id),
	UNIQUE KEY uq_users_email (email),
	KEY ix_users_updated (updated_at, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE user_schools (
	user_id    INT UNSIGNED NOT NULL,
	school_id  INT UNSIGNED NOT NULL,
	PRIMARY KEY (user_id, school_id),
	CONSTRAINT fk_user_schools_user FOREIGN KEY (user_id) REFERENCES users (id),
	CONSTRAINT fk_user_schools_school FOREIGN KEY (school_id) REFERENCES schools (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A signed-in browser: the SHA-256 of its cookie (never the cookie), the CSRF token its
-- writes must carry, its idle clock (last_seen_at) and its absolute end (expires_at).
CREATE TABLE sessions (
	id            BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
	token_hash    BINARY(32)   NOT NULL,
	user_id       INT UNSIGNED NOT NULL,
	csrf_token    CHAR(43)     NOT NULL,
	client        VARCHAR(64)  NOT NULL DEFAULT '',
	created_at    DATETIME(6)  NOT NULL DEFAULT UTC_TIMESTAMP(6),
	last_seen_at  DATETIME(6)  NOT NULL DEFAULT UTC_TIMESTAMP(6),
	expires_at    DATETIME(6)  NOT NULL,
	ended_at      DATETIME(6)  NULL,
	PRIMARY KEY (id),
	UNIQUE KEY uq_sessions_hash (token_hash),
	KEY ix_sessions_user (user_id, id),
	CONSTRAINT fk_sessions_user FOREIGN KEY (user_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Failed sign-ins, per account ('account:' + the e-mail as typed, lower-cased: whether or not
-- such an account exists, so the throttle tells nothing) and per client address ('address:' +
-- the address): the count since the last success and when the last one was.
CREATE TABLE signin_failures (
	k               VARCHAR(300) NOT NULL,
	failures        INT UNSIGNED NOT NULL DEFAULT 0,
	last_failure_at DATETIME(6)  NOT NULL DEFAULT UTC_TIMESTAMP(6),
	PRIMARY KEY (k)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- The audit log names the person or the token's label, not a number.
ALTER TABLE audit_log ADD COLUMN user_id INT UNSIGNED NULL AFTER token_id, ADD COLUMN actor VARCHAR(300) NOT NULL DEFAULT '' AFTER role;

UPDATE audit_log a JOIN api_tokens t ON t.id = a.token_id SET a.actor = CONCAT('token: ', t.label) WHERE a.actor = '';

UPDATE audit_log SET actor = 'command line' WHERE token_id IS NULL AND actor = '';
