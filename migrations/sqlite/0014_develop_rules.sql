-- Member development beyond the 25 steps: the half-yearly reviews (考察) and
-- quarterly written reports (思想汇报) of activists, and an extension of
-- probation (延长预备期) decided at its end.
CREATE TABLE development_records (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES people(id),
    kind TEXT NOT NULL CHECK (kind IN ('review', 'report', 'extension')),
    done_on TEXT NOT NULL,
    months BIGINT,
    note TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX development_records_person ON development_records(person_id, kind, done_on);

-- The organization's type (机关, 国有企业, 高校, 村, 社区, 其他): the term
-- defaults from it (5 years for villages and communities).
ALTER TABLE orgs ADD COLUMN org_type TEXT NOT NULL DEFAULT 'other';

-- The numbers the rules call "usually" (一般), set by the top organization:
-- the share of 优秀 in the democratic appraisal, the members of a branch,
-- the seats of a committee. One row per top organization.
CREATE TABLE org_rule_settings (
    org_id TEXT PRIMARY KEY REFERENCES orgs(id),
    excellent_num BIGINT NOT NULL CHECK (excellent_num >= 0),
    excellent_den BIGINT NOT NULL CHECK (excellent_den > 0),
    branch_max_members BIGINT NOT NULL CHECK (branch_max_members > 0),
    committee_min_seats BIGINT NOT NULL CHECK (committee_min_seats > 0),
    committee_max_seats BIGINT NOT NULL CHECK (committee_max_seats >= committee_min_seats),
    updated_by TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);
