-- Organization structure: terms and re-elections (换届), officers (书记、委员).
ALTER TABLE orgs ADD COLUMN term_years BIGINT;
ALTER TABLE orgs ADD COLUMN elected_on TEXT;
-- elected_on plus the term, kept so the re-election to-dos read only what is due.
ALTER TABLE orgs ADD COLUMN term_ends_on TEXT;
CREATE INDEX orgs_term_ends ON orgs(term_ends_on);

CREATE TABLE org_officers (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES orgs(id),
    person_id TEXT NOT NULL REFERENCES people(id),
    post TEXT NOT NULL,
    since TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX org_officers_unique ON org_officers(org_id, person_id, post);
