-- One plan for both (四同步): business goals (业务目标) with KPIs, the Party
-- tasks (党建任务) that serve them, deployment to branches, and progress.

-- The person an account belongs to, so items assigned to a person reach
-- their to-dos.
ALTER TABLE accounts ADD COLUMN person_id TEXT REFERENCES people(id);
CREATE INDEX accounts_person ON accounts(person_id);

CREATE TABLE goals (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES orgs(id),
    year BIGINT NOT NULL,
    -- The superior's goal this one was deployed from (分解下达), if any.
    parent_id TEXT REFERENCES goals(id),
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    -- 业务难点: should attract Party tasks.
    difficult BOOLEAN NOT NULL,
    seq BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX goals_org_year ON goals(org_id, year, seq);
CREATE INDEX goals_parent ON goals(parent_id, org_id);

CREATE TABLE kpis (
    id TEXT PRIMARY KEY,
    goal_id TEXT NOT NULL REFERENCES goals(id),
    seq BIGINT NOT NULL,
    name TEXT NOT NULL,
    unit TEXT NOT NULL,
    -- Fixed-point figures in ten-thousandths (12.5 → 125000).
    baseline BIGINT NOT NULL,
    target BIGINT NOT NULL,
    direction TEXT NOT NULL CHECK (direction IN ('higher', 'lower')),
    period_kind TEXT NOT NULL CHECK (period_kind IN ('month', 'quarter', 'year')),
    created_at BIGINT NOT NULL
);
CREATE INDEX kpis_goal ON kpis(goal_id, seq);

-- One figure per KPI and period, entered once (by hand, import or API) and
-- read by every view; a correction replaces it and the audit log keeps both.
CREATE TABLE kpi_values (
    kpi_id TEXT NOT NULL REFERENCES kpis(id),
    period TEXT NOT NULL,
    value BIGINT NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('manual', 'import', 'api')),
    entered_by TEXT NOT NULL,
    entered_at BIGINT NOT NULL,
    PRIMARY KEY (kpi_id, period)
);

CREATE TABLE tasks (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES orgs(id),
    year BIGINT NOT NULL,
    -- The superior's task this one was deployed from (同部署), if any.
    parent_id TEXT REFERENCES tasks(id),
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    -- 常规党建要求: a standing requirement that serves no particular goal.
    standing BOOLEAN NOT NULL,
    deadline TEXT NOT NULL,
    -- When the branch accepted a deployed task; set at once for its own.
    accepted_at BIGINT,
    -- The latest reported percentage, and the day it reached 100.
    progress BIGINT NOT NULL,
    done_on TEXT,
    seq BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX tasks_org_year ON tasks(org_id, year, seq);
CREATE INDEX tasks_parent ON tasks(parent_id);
-- Overdue to-dos read only the open tasks by deadline.
CREATE INDEX tasks_open_deadline ON tasks(deadline) WHERE done_on IS NULL;

-- A task's 结合点: the goals it serves (its own organization's or a superior's).
CREATE TABLE task_goals (
    task_id TEXT NOT NULL REFERENCES tasks(id),
    goal_id TEXT NOT NULL REFERENCES goals(id),
    PRIMARY KEY (task_id, goal_id)
);
CREATE INDEX task_goals_goal ON task_goals(goal_id);

-- Owners of a goal and people responsible for a task.
CREATE TABLE plan_people (
    item_id TEXT NOT NULL,
    person_id TEXT NOT NULL REFERENCES people(id),
    PRIMARY KEY (item_id, person_id)
);
CREATE INDEX plan_people_person ON plan_people(person_id);

CREATE TABLE task_milestones (
    id TEXT PRIMARY KEY,
    task_id TEXT NOT NULL REFERENCES tasks(id),
    title TEXT NOT NULL,
    due_on TEXT NOT NULL,
    done_on TEXT
);
CREATE INDEX task_milestones_task ON task_milestones(task_id, due_on);

CREATE TABLE task_progress (
    id TEXT PRIMARY KEY,
    task_id TEXT NOT NULL REFERENCES tasks(id),
    percent BIGINT NOT NULL CHECK (percent BETWEEN 0 AND 100),
    note TEXT NOT NULL,
    reported_by TEXT NOT NULL,
    reported_at BIGINT NOT NULL
);
CREATE INDEX task_progress_task ON task_progress(task_id, reported_at);

-- Tokens a business system uses to send one organization's KPI values.
CREATE TABLE kpi_tokens (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES orgs(id),
    name TEXT NOT NULL,
    -- SHA-256 of the token; the token itself is shown once.
    token_hash TEXT NOT NULL UNIQUE,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_used_at BIGINT,
    revoked_at BIGINT
);
CREATE INDEX kpi_tokens_org ON kpi_tokens(org_id);
