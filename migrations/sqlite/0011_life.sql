-- Organizational life (组织生活): meetings of every obligation kind, recorded
-- once; attendance, resolutions and their votes, appraisal grades, the goals
-- and plan items a meeting served, and the frequency overrides per
-- organization type.
CREATE TABLE meetings (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES orgs(id),
    kind TEXT NOT NULL CHECK (kind IN ('general_meeting', 'committee_meeting', 'group_meeting', 'party_lecture',
        'theme_day', 'life_meeting', 'appraisal', 'talk')),
    status TEXT NOT NULL CHECK (status IN ('planned', 'held', 'cancelled')),
    topic TEXT NOT NULL,
    -- When it is planned or was held (ms), and its Beijing month (YYYY-MM) for
    -- the compliance counts.
    starts_at BIGINT NOT NULL,
    month TEXT NOT NULL,
    place TEXT NOT NULL,
    host TEXT NOT NULL,
    recorder TEXT NOT NULL,
    agenda TEXT NOT NULL,
    minutes TEXT NOT NULL,
    -- General meeting: members with the vote (full members) when it was held.
    voting_members BIGINT,
    -- 领导干部双重组织生活: leading cadres attending as ordinary members.
    dual_life BOOLEAN NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX meetings_org_month ON meetings(org_id, month, kind, status);
CREATE INDEX meetings_planned ON meetings(starts_at) WHERE status = 'planned';
-- The same meeting submitted twice (a double click, a retried call) is one record.
CREATE UNIQUE INDEX meetings_once ON meetings(org_id, kind, starts_at, topic);

CREATE TABLE meeting_attendance (
    meeting_id TEXT NOT NULL REFERENCES meetings(id),
    person_id TEXT NOT NULL REFERENCES people(id),
    present BOOLEAN NOT NULL,
    -- Why an absentee was absent (请假原因).
    reason TEXT NOT NULL,
    PRIMARY KEY (meeting_id, person_id)
);
CREATE INDEX meeting_attendance_person ON meeting_attendance(person_id, present);

CREATE TABLE meeting_resolutions (
    id TEXT PRIMARY KEY,
    meeting_id TEXT NOT NULL REFERENCES meetings(id),
    seq BIGINT NOT NULL,
    title TEXT NOT NULL,
    votes_for BIGINT NOT NULL,
    votes_against BIGINT NOT NULL,
    abstentions BIGINT NOT NULL,
    passed BOOLEAN NOT NULL
);
CREATE INDEX meeting_resolutions_meeting ON meeting_resolutions(meeting_id, seq);

-- The business goals and plan tasks a meeting served (同落实).
CREATE TABLE meeting_links (
    meeting_id TEXT NOT NULL REFERENCES meetings(id),
    item_kind TEXT NOT NULL CHECK (item_kind IN ('goal', 'task')),
    item_id TEXT NOT NULL,
    PRIMARY KEY (meeting_id, item_id)
);
CREATE INDEX meeting_links_item ON meeting_links(item_id);

-- 民主评议党员: each full member's grade.
CREATE TABLE appraisal_grades (
    meeting_id TEXT NOT NULL REFERENCES meetings(id),
    person_id TEXT NOT NULL REFERENCES people(id),
    grade TEXT NOT NULL CHECK (grade IN ('excellent', 'qualified', 'basically_qualified', 'unqualified')),
    PRIMARY KEY (meeting_id, person_id)
);

-- Frequencies the top organization set per organization type, replacing
-- the rule table's defaults (times 0: not required).
CREATE TABLE life_frequencies (
    org_kind TEXT NOT NULL,
    meeting_kind TEXT NOT NULL,
    period TEXT NOT NULL CHECK (period IN ('month', 'quarter', 'year')),
    times BIGINT NOT NULL CHECK (times >= 0),
    updated_by TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (org_kind, meeting_kind)
);
