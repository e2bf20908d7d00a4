-- Organizations and people (PostgreSQL): business units, the roster.
ALTER TABLE orgs ADD COLUMN dissolved_into TEXT REFERENCES orgs(id);

CREATE TABLE business_units (
    id TEXT PRIMARY KEY,
    parent_id TEXT REFERENCES business_units(id),
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    path TEXT COLLATE "C" NOT NULL UNIQUE,
    created_at BIGINT NOT NULL
);

CREATE TABLE org_units (
    org_id TEXT NOT NULL REFERENCES orgs(id),
    unit_id TEXT NOT NULL REFERENCES business_units(id),
    PRIMARY KEY (org_id, unit_id)
);

CREATE TABLE people (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES orgs(id),
    org_path TEXT COLLATE "C" NOT NULL,
    name TEXT COLLATE "C" NOT NULL,
    name_pinyin TEXT COLLATE "C" NOT NULL,
    name_initials TEXT COLLATE "C" NOT NULL,
    gender TEXT NOT NULL,
    ethnicity TEXT NOT NULL,
    birth_date TEXT,
    citizen_id TEXT UNIQUE,
    phone TEXT NOT NULL,
    education TEXT NOT NULL,
    status TEXT NOT NULL,
    joined_on TEXT,
    full_on TEXT,
    party_post TEXT NOT NULL,
    admin_post TEXT NOT NULL,
    business_unit_id TEXT REFERENCES business_units(id),
    affairs_worker TEXT NOT NULL,
    backbone BOOLEAN NOT NULL,
    double_high BOOLEAN NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX people_org_path ON people(org_path, name_pinyin);
CREATE INDEX people_pinyin ON people(name_pinyin);
CREATE INDEX people_initials ON people(name_initials);
CREATE INDEX people_name ON people(name);
CREATE INDEX people_status ON people(status);
