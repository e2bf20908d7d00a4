-- Transfers of membership (组织关系转接, PostgreSQL): to another organization in the
-- system (the receiving side accepts or returns), out of the system (an
-- introduction letter), and in from outside.

-- The day a person's membership left the system; such a person is off the
-- roster but their record stays readable for the organization they left.
ALTER TABLE people ADD COLUMN left_on TEXT;
-- The roster (those who have not left) by subtree and pinyin: counts and
-- pages of a subtree read this index alone (left_on listed so it covers the count).
CREATE INDEX people_roster ON people(org_path, name_pinyin, left_on) WHERE left_on IS NULL;

CREATE TABLE transfers (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES people(id),
    kind TEXT NOT NULL CHECK (kind IN ('internal', 'out', 'in')),
    -- NULL for a transfer in from outside.
    from_org_id TEXT REFERENCES orgs(id),
    -- NULL for a transfer out of the system.
    to_org_id TEXT REFERENCES orgs(id),
    -- The outside organization's name (out, in); empty for internal.
    outside_org TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'accepted', 'returned', 'done', 'cancelled')),
    reason TEXT NOT NULL,
    -- 介绍信编号: ours for out (机党转〔2026〕12号), the sender's for in.
    letter_no TEXT NOT NULL,
    valid_until TEXT,
    requested_by TEXT NOT NULL,
    decided_by TEXT,
    decision_note TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    decided_at BIGINT
);
CREATE INDEX transfers_person ON transfers(person_id);
CREATE INDEX transfers_from ON transfers(from_org_id, created_at);
CREATE INDEX transfers_to ON transfers(to_org_id, status, created_at);
-- A person has at most one open transfer.
CREATE UNIQUE INDEX transfers_one_open ON transfers(person_id) WHERE status = 'pending';
-- Our letter numbers are never issued twice.
CREATE UNIQUE INDEX transfers_letter_no ON transfers(letter_no) WHERE kind = 'out';

-- The last letter number issued per year (numbered from 1 each year).
CREATE TABLE transfer_letter_seq (
    year BIGINT PRIMARY KEY,
    last_seq BIGINT NOT NULL
);
