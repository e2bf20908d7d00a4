-- Business units (业务单元) belong to the organization whose admins created
-- them; NULL marks the whole system's units, created by an admin of the
-- whole tree. A sub-tree admin sees the system's units and those of the
-- organizations in their scope, never another sub-tree's.
ALTER TABLE business_units ADD COLUMN owner_org_id TEXT;
CREATE INDEX business_units_owner ON business_units(owner_org_id);

-- Who uploaded which evidence file (佐证材料): each account's uploads count
-- against its storage quota (上传配额, a security-policy setting) for as
-- long as their contents are stored.
CREATE TABLE file_uploads (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL,
    hash TEXT NOT NULL,
    size BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX file_uploads_account ON file_uploads(account_id, hash);
-- One row per uploading account, written first in each upload's
-- transaction so that one account's parallel uploads queue up and cannot
-- all fit under the quota on the same reading.
CREATE TABLE upload_locks (
    account_id TEXT PRIMARY KEY,
    touched_at BIGINT NOT NULL
);
