-- Member development (发展党员): the steps recorded per person.
CREATE TABLE development_steps (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES people(id),
    step BIGINT NOT NULL,
    done_on TEXT NOT NULL,
    body TEXT NOT NULL,
    responsible TEXT NOT NULL,
    document TEXT NOT NULL,
    note TEXT NOT NULL,
    introducers TEXT NOT NULL,
    training_days BIGINT,
    training_hours BIGINT,
    extension_months BIGINT,
    recorded_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (person_id, step)
);
