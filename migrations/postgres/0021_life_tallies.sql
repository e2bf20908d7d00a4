-- Compliance kept on write (合规计数): per organization and year, each
-- obligation's windows (due, held, held without quorum) as one line of text,
-- so the superior's view reads one row per organization. Triggers mark the
-- path of whatever a write touched; the next reader recomputes the
-- organizations on the marked paths (life::tallies). The marks have no key:
-- writers never wait on each other for them.
CREATE TABLE life_tallies (
    org_id TEXT NOT NULL,
    year BIGINT NOT NULL,
    lines TEXT NOT NULL,
    PRIMARY KEY (org_id, year)
);
-- Recounting one organization counts its members by status over its
-- subtree: from this index alone, not from the rows (SQLite reads left_on
-- from the index, so it is listed though the predicate fixes it).
CREATE INDEX people_members ON people(org_path, status, left_on) WHERE left_on IS NULL;

CREATE TABLE life_tally_years (
    year BIGINT PRIMARY KEY,
    version BIGINT NOT NULL,
    built_at BIGINT NOT NULL
);
CREATE TABLE life_tally_dirty (
    id BIGSERIAL PRIMARY KEY,
    path TEXT NOT NULL
);

CREATE FUNCTION life_mark_meeting() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        INSERT INTO life_tally_dirty (path) SELECT path FROM orgs WHERE id = OLD.org_id;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        INSERT INTO life_tally_dirty (path) SELECT path FROM orgs WHERE id = NEW.org_id;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER life_mark_meeting AFTER INSERT OR UPDATE OR DELETE ON meetings
    FOR EACH ROW EXECUTE FUNCTION life_mark_meeting();
CREATE TRIGGER life_mark_officer AFTER INSERT OR UPDATE OR DELETE ON org_officers
    FOR EACH ROW EXECUTE FUNCTION life_mark_meeting();

-- A person counts for every organization on their path, and sits on the
-- committees they are officers of.
CREATE FUNCTION life_mark_person() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        INSERT INTO life_tally_dirty (path) VALUES (OLD.org_path);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        INSERT INTO life_tally_dirty (path) VALUES (NEW.org_path);
    END IF;
    IF TG_OP = 'UPDATE' THEN
        INSERT INTO life_tally_dirty (path)
            SELECT o.path FROM org_officers f JOIN orgs o ON o.id = f.org_id WHERE f.person_id = NEW.id;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER life_mark_person AFTER INSERT OR DELETE OR UPDATE OF status, org_path, org_id, left_on ON people
    FOR EACH ROW EXECUTE FUNCTION life_mark_person();

CREATE FUNCTION life_mark_org() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        INSERT INTO life_tally_dirty (path) VALUES (OLD.path);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        INSERT INTO life_tally_dirty (path) VALUES (NEW.path);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER life_mark_org AFTER INSERT OR DELETE
    OR UPDATE OF path, parent_id, kind, founded_on, created_at, dissolved_at ON orgs
    FOR EACH ROW EXECUTE FUNCTION life_mark_org();

-- A changed frequency changes every organization's lines: the years are built again.
CREATE FUNCTION life_frequency_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM life_tally_years;
    RETURN NULL;
END $$;
CREATE TRIGGER life_frequency_changed AFTER INSERT OR UPDATE OR DELETE ON life_frequencies
    FOR EACH STATEMENT EXECUTE FUNCTION life_frequency_changed();
