-- Login under attack: when a username's failures were last counted (so rows
-- for names nobody uses expire), and failed logins per client address in
-- one-minute buckets (the credential-stuffing throttle, summed over the
-- security policy's window).
ALTER TABLE login_attempts ADD COLUMN updated_at BIGINT NOT NULL DEFAULT 0;
CREATE INDEX login_attempts_updated ON login_attempts(updated_at);

CREATE TABLE login_throttle (
    addr TEXT NOT NULL,
    minute BIGINT NOT NULL,
    failures BIGINT NOT NULL,
    PRIMARY KEY (addr, minute)
);
CREATE INDEX login_throttle_minute ON login_throttle(minute);
