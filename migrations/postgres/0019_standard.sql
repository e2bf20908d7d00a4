-- Standardization (标准化规范化建设): building standards (建设标准) with
-- their items, each organization's self-check (摸底自查), problem lists
-- (问题清单) closed only when the direct superior verifies them (销号),
-- applications and acceptance (申报 / 验收) with grades ⅰ/ⅱ/ⅲ, the history
-- per organization, and the safeguards the texts name: contact points
-- (联系点) with visit logs, 督查调度 reports, secretary training, basic
-- resources. Plus the ends of officers' posts, so a vacant secretary post
-- has a start (软弱涣散).

CREATE TABLE standards (
    id TEXT PRIMARY KEY,
    -- The organization that publishes it; it applies strictly below.
    org_id TEXT NOT NULL REFERENCES orgs(id),
    year BIGINT NOT NULL,
    title TEXT NOT NULL,
    -- Comma-separated organization kinds it applies to ("branch,general_branch").
    org_kinds TEXT NOT NULL,
    version BIGINT NOT NULL,
    -- The version this one replaces (a change to a published standard).
    previous_id TEXT REFERENCES standards(id),
    status TEXT NOT NULL CHECK (status IN ('draft', 'published', 'superseded')),
    -- Grade thresholds in basis points of the refined items' points.
    grade_ii_bp BIGINT NOT NULL,
    grade_iii_bp BIGINT NOT NULL,
    published_at BIGINT,
    published_by TEXT,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX standards_org_year ON standards(org_id, year);
CREATE INDEX standards_year_status ON standards(year, status);
-- A version has at most one successor.
CREATE UNIQUE INDEX standards_successor ON standards(previous_id);

CREATE TABLE standard_items (
    standard_id TEXT NOT NULL REFERENCES standards(id),
    code TEXT NOT NULL,
    seq BIGINT NOT NULL,
    -- 政治建设, 组织建设, 制度落实, 党建业务融合, …
    dimension TEXT NOT NULL,
    title TEXT NOT NULL,
    criteria TEXT NOT NULL,
    evidence_required BOOLEAN NOT NULL,
    points BIGINT NOT NULL CHECK (points >= 0),
    -- baseline 达标项 (every one must be met) or refined 提升项 (scored for the grade).
    tier TEXT NOT NULL CHECK (tier IN ('baseline', 'refined')),
    -- Computed from records instead of declared, when set.
    rule TEXT CHECK (rule IS NULL OR rule IN ('life_compliance', 'study_plan_approved',
        'difficult_goals_supported', 'dues_no_arrears', 'committee_seated')),
    PRIMARY KEY (standard_id, code)
);

-- An organization's standing on a standard: where its cycle is (open:
-- self-checking and rectifying; applied; accepted), its grade, the round
-- (a failed acceptance or a rectification opens the next), a returned
-- problem list, and a move back (动态调整) that stands until the
-- organization checks itself again.
CREATE TABLE standard_orgs (
    standard_id TEXT NOT NULL REFERENCES standards(id),
    org_id TEXT NOT NULL REFERENCES orgs(id),
    stage TEXT NOT NULL CHECK (stage IN ('open', 'applied', 'accepted')),
    grade TEXT CHECK (grade IS NULL OR grade IN ('i', 'ii', 'iii')),
    round BIGINT NOT NULL,
    list_returned_reason TEXT,
    list_returned_by TEXT,
    list_returned_at BIGINT,
    accepted_at BIGINT,
    recheck_reason TEXT,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (standard_id, org_id)
);
CREATE INDEX standard_orgs_org ON standard_orgs(org_id);

-- One self-check answer per organization and item. `met` is the declared
-- answer; on a computed item it is set only with an override reason.
CREATE TABLE standard_checks (
    id TEXT PRIMARY KEY,
    standard_id TEXT NOT NULL,
    org_id TEXT NOT NULL REFERENCES orgs(id),
    code TEXT NOT NULL,
    met BOOLEAN,
    note TEXT NOT NULL,
    override_reason TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    FOREIGN KEY (standard_id, code) REFERENCES standard_items(standard_id, code),
    UNIQUE (standard_id, org_id, code)
);
CREATE INDEX standard_checks_overrides ON standard_checks(standard_id, org_id) WHERE override_reason <> '';

CREATE TABLE standard_problems (
    id TEXT PRIMARY KEY,
    standard_id TEXT NOT NULL,
    org_id TEXT NOT NULL REFERENCES orgs(id),
    item_code TEXT NOT NULL,
    round BIGINT NOT NULL,
    -- Where it came from: the self-check, a failed acceptance, a contact
    -- point's visit, or a weak-organization rectification round.
    source TEXT NOT NULL CHECK (source IN ('self_check', 'acceptance', 'visit', 'warning')),
    source_id TEXT,
    cause TEXT NOT NULL,
    measure TEXT NOT NULL,
    owner_id TEXT NOT NULL REFERENCES people(id),
    deadline TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'reported', 'closed')),
    report_note TEXT NOT NULL,
    reported_by TEXT,
    reported_at BIGINT,
    verify_comment TEXT NOT NULL,
    verified_by TEXT,
    verified_at BIGINT,
    -- Reports the superior sent back.
    reopened BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    FOREIGN KEY (standard_id, item_code) REFERENCES standard_items(standard_id, code)
);
CREATE INDEX standard_problems_org ON standard_problems(standard_id, org_id, status);
CREATE INDEX standard_problems_owner ON standard_problems(owner_id, status);
CREATE INDEX standard_problems_open ON standard_problems(org_id, deadline) WHERE status = 'open';

CREATE TABLE standard_applications (
    id TEXT PRIMARY KEY,
    standard_id TEXT NOT NULL REFERENCES standards(id),
    org_id TEXT NOT NULL REFERENCES orgs(id),
    round BIGINT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'passed', 'failed', 'withdrawn')),
    applied_by TEXT NOT NULL,
    applied_at BIGINT NOT NULL,
    -- The refined items' share of points when it was applied for or decided.
    share_bp BIGINT NOT NULL,
    suggested_grade TEXT,
    grade TEXT CHECK (grade IS NULL OR grade IN ('i', 'ii', 'iii')),
    grade_reason TEXT NOT NULL,
    comment TEXT NOT NULL,
    decided_by TEXT,
    decided_at BIGINT
);
CREATE INDEX standard_applications_standard ON standard_applications(standard_id, status);
CREATE INDEX standard_applications_org ON standard_applications(org_id, applied_at);
CREATE UNIQUE INDEX standard_applications_pending ON standard_applications(standard_id, org_id) WHERE status = 'pending';

-- What happened to an organization in the cycle, over the years.
CREATE TABLE standard_events (
    id TEXT PRIMARY KEY,
    standard_id TEXT NOT NULL REFERENCES standards(id),
    org_id TEXT NOT NULL REFERENCES orgs(id),
    kind TEXT NOT NULL,
    detail TEXT NOT NULL,
    actor TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX standard_events_org ON standard_events(org_id, at);
CREATE INDEX standard_events_standard ON standard_events(standard_id, org_id);

-- Posts that ended (免职, a completed transfer): when a secretary post fell vacant.
CREATE TABLE org_officer_ends (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES orgs(id),
    person_id TEXT NOT NULL REFERENCES people(id),
    post TEXT NOT NULL,
    since TEXT NOT NULL,
    ended_on TEXT NOT NULL,
    ended_at BIGINT NOT NULL
);
CREATE INDEX org_officer_ends_org ON org_officer_ends(org_id, post, ended_on);

-- 联系点: a leader paired with an organization, for the organization above.
CREATE TABLE standard_contacts (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES orgs(id),
    leader_id TEXT NOT NULL REFERENCES people(id),
    superior_org_id TEXT NOT NULL REFERENCES orgs(id),
    since TEXT NOT NULL,
    ended_on TEXT,
    note TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX standard_contacts_org ON standard_contacts(org_id);
CREATE INDEX standard_contacts_leader ON standard_contacts(leader_id);

CREATE TABLE standard_visits (
    id TEXT PRIMARY KEY,
    contact_id TEXT NOT NULL REFERENCES standard_contacts(id),
    visited_on TEXT NOT NULL,
    summary TEXT NOT NULL,
    findings TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX standard_visits_contact ON standard_visits(contact_id, visited_on);

-- 督查调度: a superior asks the organizations below for a progress report by a day.
CREATE TABLE standard_dispatches (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES orgs(id),
    title TEXT NOT NULL,
    request TEXT NOT NULL,
    -- The period reported on: "2026-03", "2026-Q1" or "2026".
    period TEXT NOT NULL,
    due_on TEXT NOT NULL,
    org_kinds TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX standard_dispatches_org ON standard_dispatches(org_id, due_on);

CREATE TABLE standard_dispatch_reports (
    id TEXT PRIMARY KEY,
    dispatch_id TEXT NOT NULL REFERENCES standard_dispatches(id),
    org_id TEXT NOT NULL REFERENCES orgs(id),
    content TEXT NOT NULL,
    reported_by TEXT NOT NULL,
    reported_at BIGINT NOT NULL,
    -- The superior's follow-up (跟踪督办).
    follow_up TEXT NOT NULL,
    followed_by TEXT,
    followed_at BIGINT,
    UNIQUE (dispatch_id, org_id)
);

-- Training a secretary took (书记培训); hours in tenths of a class hour.
CREATE TABLE standard_trainings (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES people(id),
    org_id TEXT NOT NULL REFERENCES orgs(id),
    title TEXT NOT NULL,
    organizer TEXT NOT NULL,
    started_on TEXT NOT NULL,
    ended_on TEXT NOT NULL,
    hours BIGINT NOT NULL CHECK (hours > 0),
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX standard_trainings_org ON standard_trainings(org_id, started_on);
CREATE INDEX standard_trainings_person ON standard_trainings(person_id, started_on);

-- 基础保障: an organization's staff, budget (fen) and venue for a year.
CREATE TABLE standard_resources (
    org_id TEXT NOT NULL REFERENCES orgs(id),
    year BIGINT NOT NULL,
    full_time_staff BIGINT NOT NULL CHECK (full_time_staff >= 0),
    part_time_staff BIGINT NOT NULL CHECK (part_time_staff >= 0),
    budget_fen BIGINT NOT NULL CHECK (budget_fen >= 0),
    venue TEXT NOT NULL,
    venue_area BIGINT NOT NULL CHECK (venue_area >= 0),
    note TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (org_id, year)
);
