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
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL
);

CREATE TRIGGER life_mark_meeting_insert AFTER INSERT ON meetings BEGIN
    INSERT INTO life_tally_dirty (path) SELECT path FROM orgs WHERE id = NEW.org_id;
END;
CREATE TRIGGER life_mark_meeting_update AFTER UPDATE ON meetings BEGIN
    INSERT INTO life_tally_dirty (path) SELECT path FROM orgs WHERE id IN (OLD.org_id, NEW.org_id);
END;
CREATE TRIGGER life_mark_meeting_delete AFTER DELETE ON meetings BEGIN
    INSERT INTO life_tally_dirty (path) SELECT path FROM orgs WHERE id = OLD.org_id;
END;

-- A person counts for every organization on their path, and sits on the
-- committees they are officers of.
CREATE TRIGGER life_mark_person_insert AFTER INSERT ON people BEGIN
    INSERT INTO life_tally_dirty (path) VALUES (NEW.org_path);
END;
CREATE TRIGGER life_mark_person_update AFTER UPDATE OF status, org_path, org_id, left_on ON people BEGIN
    INSERT INTO life_tally_dirty (path) VALUES (OLD.org_path);
    INSERT INTO life_tally_dirty (path) VALUES (NEW.org_path);
    INSERT INTO life_tally_dirty (path)
        SELECT o.path FROM org_officers f JOIN orgs o ON o.id = f.org_id WHERE f.person_id = NEW.id;
END;
CREATE TRIGGER life_mark_person_delete AFTER DELETE ON people BEGIN
    INSERT INTO life_tally_dirty (path) VALUES (OLD.org_path);
END;

CREATE TRIGGER life_mark_officer_insert AFTER INSERT ON org_officers BEGIN
    INSERT INTO life_tally_dirty (path) SELECT path FROM orgs WHERE id = NEW.org_id;
END;
CREATE TRIGGER life_mark_officer_update AFTER UPDATE ON org_officers BEGIN
    INSERT INTO life_tally_dirty (path) SELECT path FROM orgs WHERE id IN (OLD.org_id, NEW.org_id);
END;
CREATE TRIGGER life_mark_officer_delete AFTER DELETE ON org_officers BEGIN
    INSERT INTO life_tally_dirty (path) SELECT path FROM orgs WHERE id = OLD.org_id;
END;

CREATE TRIGGER life_mark_org_insert AFTER INSERT ON orgs BEGIN
    INSERT INTO life_tally_dirty (path) VALUES (NEW.path);
END;
CREATE TRIGGER life_mark_org_update AFTER UPDATE OF path, parent_id, kind, founded_on, created_at, dissolved_at ON orgs BEGIN
    INSERT INTO life_tally_dirty (path) VALUES (OLD.path);
    INSERT INTO life_tally_dirty (path) VALUES (NEW.path);
END;
CREATE TRIGGER life_mark_org_delete AFTER DELETE ON orgs BEGIN
    INSERT INTO life_tally_dirty (path) VALUES (OLD.path);
END;

-- A changed frequency changes every organization's lines: the years are built again.
CREATE TRIGGER life_frequency_insert AFTER INSERT ON life_frequencies BEGIN
    DELETE FROM life_tally_years;
END;
CREATE TRIGGER life_frequency_update AFTER UPDATE ON life_frequencies BEGIN
    DELETE FROM life_tally_years;
END;
CREATE TRIGGER life_frequency_delete AFTER DELETE ON life_frequencies BEGIN
    DELETE FROM life_tally_years;
END;
