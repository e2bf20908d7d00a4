-- Membership dues (党费, PostgreSQL): monthly bases and payments. The amount due for a
-- month is computed from the base in force (never stored twice); a payment
-- records what was paid.
CREATE TABLE dues_bases (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES people(id),
    from_month TEXT NOT NULL,
    category TEXT NOT NULL,
    base_fen BIGINT NOT NULL,
    farmer_amount_fen BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (person_id, from_month)
);

CREATE TABLE dues_payments (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES people(id),
    month TEXT NOT NULL,
    amount_fen BIGINT NOT NULL,
    paid_on TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (person_id, month)
);
CREATE INDEX dues_payments_month ON dues_payments(month, person_id);
