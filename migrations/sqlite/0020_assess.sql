-- Assessment (考核评价, 一表双考): a committee assesses the organizations (or
-- the members: 一考双评) of its subtree for a period on one sheet of Party and
-- business indicators, computed from the records, entered by the assessor or
-- rated by groups (the masses by one-time anonymous ballots). Closing freezes
-- the results under a SHA-256; only an appeal (申诉) changes them afterwards.
-- Plus the secretary's annual report (述职, 一述双报) and the leaders'
-- dual-duty lists (一岗双责).

CREATE TABLE assessments (
    id TEXT PRIMARY KEY,
    -- The assessing organization; its targets lie strictly below it.
    org_id TEXT NOT NULL REFERENCES orgs(id),
    title TEXT NOT NULL,
    -- "2026", "2026-Q1" or "2026-03".
    period TEXT NOT NULL,
    subject TEXT NOT NULL CHECK (subject IN ('orgs', 'members')),
    status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
    -- Grade thresholds in basis points of the full score (好 / 较好 / 一般).
    good_bp BIGINT NOT NULL,
    fairly_good_bp BIGINT NOT NULL,
    fair_bp BIGINT NOT NULL,
    -- High-line bonus cap, in hundredths of a point.
    bonus_cap BIGINT NOT NULL,
    appeal_days BIGINT NOT NULL,
    closed_at BIGINT,
    closed_by TEXT,
    -- SHA-256 over the frozen results' canonical text (set on close, renewed by an amending appeal).
    hash TEXT,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX assessments_org_period ON assessments(org_id, period);

-- Whom an assessment assesses: organizations, or people with the
-- organization they belonged to when it was set up (for scope and appeals).
CREATE TABLE assessment_targets (
    assessment_id TEXT NOT NULL REFERENCES assessments(id),
    target_id TEXT NOT NULL,
    org_id TEXT NOT NULL REFERENCES orgs(id),
    PRIMARY KEY (assessment_id, target_id)
);
CREATE INDEX assessment_targets_org ON assessment_targets(org_id, assessment_id);
CREATE INDEX assessment_targets_target ON assessment_targets(target_id);

CREATE TABLE assessment_indicators (
    assessment_id TEXT NOT NULL REFERENCES assessments(id),
    code TEXT NOT NULL,
    seq BIGINT NOT NULL,
    dimension TEXT NOT NULL,
    side TEXT NOT NULL CHECK (side IN ('party', 'business')),
    title TEXT NOT NULL,
    -- Hundredths of a point.
    full_points BIGINT NOT NULL CHECK (full_points >= 0),
    kind TEXT NOT NULL CHECK (kind IN ('computed', 'entered', 'rated')),
    metric TEXT CHECK (metric IS NULL OR metric IN ('life_compliance', 'kpi_attainment', 'task_completion',
        'study_completion', 'rectification_closure', 'dues_on_time')),
    -- normal, baseline (底线: pass/fail, a failure vetoes) or bonus (高线: added up to the cap).
    tier TEXT NOT NULL CHECK (tier IN ('normal', 'baseline', 'bonus')),
    -- A baseline item passes from this share (basis points).
    pass_bp BIGINT NOT NULL,
    -- An entered item given as a figure: points = full × attainment from baseline to target.
    figure_unit TEXT,
    figure_baseline BIGINT,
    figure_target BIGINT,
    figure_direction TEXT CHECK (figure_direction IS NULL OR figure_direction IN ('higher', 'lower')),
    -- Rated items: each group's weight in basis points, summing to 10 000.
    w_superior BIGINT NOT NULL,
    w_peers BIGINT NOT NULL,
    w_masses BIGINT NOT NULL,
    w_self BIGINT NOT NULL,
    PRIMARY KEY (assessment_id, code)
);

-- Entered items and the ratings given by account: the assessor's entry and
-- 组织评价 (one each, rater_key ''), each peer's (rater_key = account) and
-- the self-rating (rater_key = the target). Never the masses.
CREATE TABLE assessment_scores (
    assessment_id TEXT NOT NULL,
    target_id TEXT NOT NULL,
    code TEXT NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('entered', 'superior', 'peers', 'self')),
    rater_key TEXT NOT NULL,
    account_id TEXT,
    points BIGINT,
    passed BOOLEAN,
    figure BIGINT,
    note TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (assessment_id, target_id, code, source, rater_key),
    FOREIGN KEY (assessment_id, target_id) REFERENCES assessment_targets(assessment_id, target_id),
    FOREIGN KEY (assessment_id, code) REFERENCES assessment_indicators(assessment_id, code)
);

-- One-time anonymous ballots (群众评议): only the SHA-256 of each token, the
-- day it was issued and whether it was used; nothing records who used it,
-- from where or when.
CREATE TABLE assessment_ballot_tokens (
    token_hash TEXT PRIMARY KEY,
    assessment_id TEXT NOT NULL,
    target_id TEXT NOT NULL,
    grp TEXT NOT NULL CHECK (grp = 'masses'),
    issued_on TEXT NOT NULL,
    used BOOLEAN NOT NULL,
    FOREIGN KEY (assessment_id, target_id) REFERENCES assessment_targets(assessment_id, target_id)
);
CREATE INDEX assessment_ballot_tokens_target ON assessment_ballot_tokens(assessment_id, target_id, used);

-- The masses' ballots kept only as running tallies per target and
-- indicator: no row per ballot exists, so none can be read back or ordered.
CREATE TABLE assessment_tallies (
    assessment_id TEXT NOT NULL,
    target_id TEXT NOT NULL,
    code TEXT NOT NULL,
    ballots BIGINT NOT NULL,
    points_sum BIGINT NOT NULL,
    PRIMARY KEY (assessment_id, target_id, code),
    FOREIGN KEY (assessment_id, target_id) REFERENCES assessment_targets(assessment_id, target_id),
    FOREIGN KEY (assessment_id, code) REFERENCES assessment_indicators(assessment_id, code)
);

-- Frozen results of a closed assessment: each target's score, grade and
-- rank and its lines as canonical JSON (what the hash covers).
CREATE TABLE assessment_results (
    assessment_id TEXT NOT NULL,
    target_id TEXT NOT NULL,
    score BIGINT,
    grade TEXT CHECK (grade IS NULL OR grade IN ('good', 'fairly_good', 'fair', 'poor')),
    rank BIGINT,
    vetoed BOOLEAN NOT NULL,
    complete BOOLEAN NOT NULL,
    lines TEXT NOT NULL,
    PRIMARY KEY (assessment_id, target_id),
    FOREIGN KEY (assessment_id, target_id) REFERENCES assessment_targets(assessment_id, target_id)
);
CREATE INDEX assessment_results_grade ON assessment_results(assessment_id, grade);
CREATE INDEX assessment_results_rank ON assessment_results(assessment_id, rank);

CREATE TABLE assessment_appeals (
    id TEXT PRIMARY KEY,
    assessment_id TEXT NOT NULL,
    target_id TEXT NOT NULL,
    reason TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'upheld', 'amended')),
    filed_by TEXT NOT NULL,
    filed_at BIGINT NOT NULL,
    -- The decision: the indicator changed, the line's points and the result before and after.
    code TEXT,
    comment TEXT NOT NULL,
    points_before BIGINT,
    points_after BIGINT,
    score_before BIGINT,
    score_after BIGINT,
    grade_before TEXT,
    grade_after TEXT,
    rank_before BIGINT,
    rank_after BIGINT,
    hash_before TEXT,
    hash_after TEXT,
    decided_by TEXT,
    decided_at BIGINT,
    FOREIGN KEY (assessment_id, target_id) REFERENCES assessment_targets(assessment_id, target_id)
);
CREATE INDEX assessment_appeals_assessment ON assessment_appeals(assessment_id, status);
CREATE UNIQUE INDEX assessment_appeals_pending ON assessment_appeals(assessment_id, target_id) WHERE status = 'pending';

-- The secretary's annual report (述职报告, 一述双报): business, Party-building
-- duty and integrity, assembled from the records, editable until submitted.
CREATE TABLE assessment_reports (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES orgs(id),
    year BIGINT NOT NULL,
    person_id TEXT NOT NULL REFERENCES people(id),
    business TEXT NOT NULL,
    party_building TEXT NOT NULL,
    integrity TEXT NOT NULL,
    -- The figures it was assembled from (JSON), kept as they stood.
    figures TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'submitted')),
    updated_by TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    submitted_by TEXT,
    submitted_at BIGINT,
    UNIQUE (org_id, year, person_id)
);

-- Leaders' dual-duty lists (一岗双责): business duties and Party-building duties.
CREATE TABLE assessment_duties (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES orgs(id),
    year BIGINT NOT NULL,
    person_id TEXT NOT NULL REFERENCES people(id),
    side TEXT NOT NULL CHECK (side IN ('business', 'party')),
    seq BIGINT NOT NULL,
    duty TEXT NOT NULL,
    done_on TEXT,
    note TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX assessment_duties_org ON assessment_duties(org_id, year, person_id, seq);

-- The rectification source reads an organization's problems by deadline.
CREATE INDEX assessment_problems_deadline ON standard_problems(org_id, deadline);
