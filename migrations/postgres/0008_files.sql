-- Evidence files (佐证材料, PostgreSQL): contents once per SHA-256, in pieces of 256 KiB,
-- and the attachments that name them for any record (owner_kind, owner_id).
-- The contents live in the database so backups, `tongpin copy` and several
-- servers on one PostgreSQL all see them.
CREATE TABLE files (
    hash TEXT PRIMARY KEY,
    size BIGINT NOT NULL,
    mime TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX files_created ON files(created_at);

CREATE TABLE file_chunks (
    hash TEXT NOT NULL REFERENCES files(hash),
    seq BIGINT NOT NULL,
    data BYTEA NOT NULL,
    PRIMARY KEY (hash, seq)
);

CREATE TABLE attachments (
    id TEXT PRIMARY KEY,
    owner_kind TEXT NOT NULL,
    owner_id TEXT NOT NULL,
    hash TEXT NOT NULL REFERENCES files(hash),
    name TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX attachments_owner ON attachments(owner_kind, owner_id);
CREATE INDEX attachments_hash ON attachments(hash);
-- Most evidence (PDF, images, Office files, archives) is compressed already:
-- store the pieces out of line without trying to compress them again.
ALTER TABLE file_chunks ALTER COLUMN data SET STORAGE EXTERNAL;
