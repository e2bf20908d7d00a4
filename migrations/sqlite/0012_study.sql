-- Study (学习): each organization's annual study plan (年度学习计划) with its
-- monthly items, filed with (报备) and reviewed by (审核) a superior; the
-- required courses (必修课程) an organization sets for its subtree; and the
-- study members record (学习记录). Hours are class hours as recorded, in
-- tenths of an hour (1.5 学时 → 15), never time measured in the app.

CREATE TABLE study_plans (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES orgs(id),
    year BIGINT NOT NULL,
    title TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'filed', 'approved', 'returned')),
    -- The reviewer's comment: required when returned, kept until refiled.
    review_comment TEXT NOT NULL,
    filed_at BIGINT,
    reviewed_by TEXT,
    reviewed_at BIGINT,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (org_id, year)
);
CREATE INDEX study_plans_year_status ON study_plans(year, status);

CREATE TABLE study_plan_items (
    id TEXT PRIMARY KEY,
    plan_id TEXT NOT NULL REFERENCES study_plans(id),
    month BIGINT NOT NULL CHECK (month BETWEEN 1 AND 12),
    seq BIGINT NOT NULL,
    topic TEXT NOT NULL,
    -- 集中学习, 专题研讨, 党课, 自学, 参观实践, …
    form TEXT NOT NULL,
    hours_planned BIGINT NOT NULL CHECK (hours_planned > 0),
    notes TEXT NOT NULL
);
CREATE INDEX study_plan_items_plan ON study_plan_items(plan_id, month, seq);

-- Required courses: set by an organization for everyone in its subtree.
CREATE TABLE study_courses (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES orgs(id),
    year BIGINT NOT NULL,
    title TEXT NOT NULL,
    hours BIGINT NOT NULL CHECK (hours > 0),
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX study_courses_org_year ON study_courses(org_id, year);

CREATE TABLE study_records (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES people(id),
    -- The person's organization when it was recorded.
    org_id TEXT NOT NULL REFERENCES orgs(id),
    studied_on TEXT NOT NULL,
    topic TEXT NOT NULL,
    hours BIGINT NOT NULL CHECK (hours > 0),
    form TEXT NOT NULL,
    course_id TEXT REFERENCES study_courses(id),
    -- 学习心得.
    notes TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX study_records_person ON study_records(person_id, studied_on);
CREATE INDEX study_records_org ON study_records(org_id, studied_on);
CREATE INDEX study_records_course ON study_records(course_id, person_id);
