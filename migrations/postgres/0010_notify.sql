-- Outbound notifications (消息通知, PostgreSQL): channels (DingTalk, WeCom and Feishu group
-- robots, e-mail over SMTP), an outbox a background job sends from with
-- retries, and one row per send attempt (the record of every send).
CREATE TABLE notify_channels (
    id TEXT PRIMARY KEY,
    -- NULL: the whole system; otherwise the organization the channel serves.
    org_id TEXT REFERENCES orgs(id),
    kind TEXT NOT NULL CHECK (kind IN ('dingtalk', 'wecom', 'feishu', 'email')),
    name TEXT NOT NULL,
    -- A robot's webhook URL (or a private edition's host), or SMTP host:port.
    base_url TEXT NOT NULL,
    -- A robot's signing secret (WeCom: the webhook key), or the SMTP password.
    secret TEXT NOT NULL,
    -- JSON: e-mail {from, to, username, starttls, tls}; robots {keyword}.
    settings TEXT NOT NULL,
    enabled BOOLEAN NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX notify_channels_org ON notify_channels(org_id);

CREATE TABLE notify_outbox (
    id TEXT PRIMARY KEY,
    channel_id TEXT NOT NULL REFERENCES notify_channels(id),
    -- The same reminder is queued once per channel.
    dedupe_key TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
    attempts BIGINT NOT NULL,
    next_attempt_at BIGINT NOT NULL,
    last_error TEXT,
    created_at BIGINT NOT NULL,
    sent_at BIGINT,
    UNIQUE (channel_id, dedupe_key)
);
CREATE INDEX notify_outbox_due ON notify_outbox(status, next_attempt_at);
CREATE INDEX notify_outbox_created ON notify_outbox(created_at);

CREATE TABLE notify_attempts (
    id TEXT PRIMARY KEY,
    outbox_id TEXT NOT NULL REFERENCES notify_outbox(id),
    at BIGINT NOT NULL,
    ok BOOLEAN NOT NULL,
    status_code BIGINT,
    -- The receiver's answer, truncated.
    response TEXT NOT NULL,
    error TEXT NOT NULL
);
CREATE INDEX notify_attempts_outbox ON notify_attempts(outbox_id, at);
