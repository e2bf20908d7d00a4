-- Platform core (PostgreSQL): organizations (minimal tree), accounts, grants, sessions,
-- settings and the hash-chained audit log. Times are Unix milliseconds, UTC.
-- Paths use the "C" collation: subtree ranges compare bytes, as in SQLite.
CREATE TABLE orgs (
    id TEXT PRIMARY KEY,
    parent_id TEXT REFERENCES orgs(id),
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    path TEXT COLLATE "C" NOT NULL UNIQUE,
    founded_on TEXT NOT NULL,
    dissolved_at BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX orgs_parent ON orgs(parent_id);

CREATE TABLE accounts (
    id TEXT PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    must_change_password BOOLEAN NOT NULL DEFAULT FALSE,
    password_changed_at BIGINT NOT NULL,
    disabled BOOLEAN NOT NULL DEFAULT FALSE,
    created_at BIGINT NOT NULL
);

CREATE TABLE password_history (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts(id),
    password_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX password_history_account ON password_history(account_id, created_at);

CREATE TABLE login_attempts (
    username TEXT PRIMARY KEY,
    failures BIGINT NOT NULL,
    locked_until BIGINT
);

CREATE TABLE role_grants (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts(id),
    role TEXT NOT NULL,
    org_id TEXT REFERENCES orgs(id),
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX role_grants_unique ON role_grants(account_id, role, COALESCE(org_id, ''));

CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts(id),
    csrf TEXT NOT NULL,
    client TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL
);
CREATE INDEX sessions_account ON sessions(account_id);

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE audit_log (
    seq BIGINT PRIMARY KEY,
    at BIGINT NOT NULL,
    actor_id TEXT,
    actor_name TEXT NOT NULL,
    scope TEXT NOT NULL,
    action TEXT NOT NULL,
    object TEXT NOT NULL,
    result TEXT NOT NULL,
    client_addr TEXT NOT NULL,
    detail TEXT NOT NULL,
    algo TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_log_at ON audit_log(at);

-- The chain's head: appending locks this row, so appends are serial across servers.
CREATE TABLE audit_head (
    id BIGINT PRIMARY KEY,
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL,
    base_seq BIGINT NOT NULL,
    base_hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash, base_seq, base_hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000', 0,
        '0000000000000000000000000000000000000000000000000000000000000000');
