-- What the to-do rules need to find their few people without reading every
-- member of a subtree (the superior's bell). Both are narrowing only: the
-- rules still judge each person they return.

-- 党费: each person's first base month and latest paid month ('' when none),
-- kept by triggers on every write of a base or a payment.
CREATE TABLE dues_standing (
    person_id TEXT PRIMARY KEY REFERENCES people(id) ON DELETE CASCADE,
    first_base TEXT,
    latest_paid TEXT NOT NULL
);
CREATE INDEX dues_standing_paid ON dues_standing(latest_paid, first_base);

INSERT INTO dues_standing (person_id, first_base, latest_paid)
SELECT p.id,
       (SELECT MIN(b.from_month) FROM dues_bases b WHERE b.person_id = p.id),
       COALESCE((SELECT MAX(x.month) FROM dues_payments x WHERE x.person_id = p.id), '')
FROM people p
WHERE EXISTS (SELECT 1 FROM dues_bases b WHERE b.person_id = p.id)
   OR EXISTS (SELECT 1 FROM dues_payments x WHERE x.person_id = p.id);

-- An insert moves a value one way only, against the row as it stands when
-- the row is locked, so concurrent writes for one person cannot lose one.
-- Corrections and removals (none in the product today) recount the person.
CREATE FUNCTION dues_standing_base() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO dues_standing (person_id, first_base, latest_paid)
        VALUES (NEW.person_id, NEW.from_month,
                COALESCE((SELECT MAX(month) FROM dues_payments WHERE person_id = NEW.person_id), ''))
        ON CONFLICT (person_id) DO UPDATE SET first_base = CASE
            WHEN dues_standing.first_base IS NULL OR excluded.first_base < dues_standing.first_base
            THEN excluded.first_base ELSE dues_standing.first_base END;
        RETURN NULL;
    END IF;
    UPDATE dues_standing SET first_base = (SELECT MIN(from_month) FROM dues_bases b WHERE b.person_id = dues_standing.person_id)
    WHERE person_id = OLD.person_id OR (TG_OP = 'UPDATE' AND person_id = NEW.person_id);
    RETURN NULL;
END $$;
CREATE TRIGGER dues_standing_base AFTER INSERT OR DELETE OR UPDATE OF person_id, from_month ON dues_bases
    FOR EACH ROW EXECUTE FUNCTION dues_standing_base();

CREATE FUNCTION dues_standing_paid() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO dues_standing (person_id, first_base, latest_paid)
        VALUES (NEW.person_id, (SELECT MIN(from_month) FROM dues_bases WHERE person_id = NEW.person_id), NEW.month)
        ON CONFLICT (person_id) DO UPDATE SET latest_paid = CASE
            WHEN excluded.latest_paid > dues_standing.latest_paid
            THEN excluded.latest_paid ELSE dues_standing.latest_paid END;
        RETURN NULL;
    END IF;
    UPDATE dues_standing
    SET latest_paid = COALESCE((SELECT MAX(month) FROM dues_payments x WHERE x.person_id = dues_standing.person_id), '')
    WHERE person_id = OLD.person_id OR (TG_OP = 'UPDATE' AND person_id = NEW.person_id);
    RETURN NULL;
END $$;
CREATE TRIGGER dues_standing_paid AFTER INSERT OR DELETE OR UPDATE OF person_id, month ON dues_payments
    FOR EACH ROW EXECUTE FUNCTION dues_standing_paid();

-- 发展党员: the earliest date anything comes due for a person in development
-- (NULL: nothing), and the earliest deadline (a date from which a step may be
-- taken is never late), written by the code that records a step or a record.
-- '' means not yet worked out: a write by other means (a bulk load, a copy,
-- this migration) marks it so, every rule treats it as due, and the server
-- works it out in the background (`develop::next_due`).
CREATE TABLE development_due (
    person_id TEXT PRIMARY KEY REFERENCES people(id) ON DELETE CASCADE,
    next_on TEXT,
    next_deadline TEXT
);
CREATE INDEX development_due_next ON development_due(next_on);

INSERT INTO development_due (person_id, next_on, next_deadline)
SELECT person_id, '', '' FROM development_steps
UNION SELECT person_id, '', '' FROM development_records;

CREATE FUNCTION development_due_mark() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        UPDATE development_due SET next_on = '', next_deadline = '' WHERE person_id = OLD.person_id;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        INSERT INTO development_due (person_id, next_on, next_deadline) VALUES (NEW.person_id, '', '')
        ON CONFLICT (person_id) DO UPDATE SET next_on = '', next_deadline = '';
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER development_due_step AFTER INSERT OR UPDATE OR DELETE ON development_steps
    FOR EACH ROW EXECUTE FUNCTION development_due_mark();
CREATE TRIGGER development_due_record AFTER INSERT OR UPDATE OR DELETE ON development_records
    FOR EACH ROW EXECUTE FUNCTION development_due_mark();
