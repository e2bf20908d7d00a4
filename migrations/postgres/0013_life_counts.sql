-- Meetings that count (法定人数), talks by pair, the lecturer of a 党课, and
-- the committees' own obligations (党委会, 理论学习中心组学习, 民主生活会).
ALTER TABLE meetings DROP CONSTRAINT meetings_kind_check;
ALTER TABLE meetings ADD CONSTRAINT meetings_kind_check CHECK (kind IN ('general_meeting', 'committee_meeting',
    'group_meeting', 'party_lecture', 'theme_day', 'life_meeting', 'appraisal', 'talk', 'party_committee_meeting',
    'theory_study', 'democratic_life'));
-- 党课: who lectured (the secretary's own yearly lecture is checked).
ALTER TABLE meetings ADD COLUMN lecturer_id TEXT REFERENCES people(id);
-- 谈心谈话: the pair who talked (the smaller id first).
ALTER TABLE meetings ADD COLUMN pair_a TEXT REFERENCES people(id);
ALTER TABLE meetings ADD COLUMN pair_b TEXT REFERENCES people(id);
-- The quorum when it was recorded: those who should attend (voting members;
-- the committee's members) and those of them present.
ALTER TABLE meetings ADD COLUMN quorum_expected BIGINT;
ALTER TABLE meetings ADD COLUMN quorum_present BIGINT;
-- Whether it counts as held (a meeting without its quorum is recorded, not counted).
ALTER TABLE meetings ADD COLUMN counts BOOLEAN NOT NULL DEFAULT TRUE;

-- Existing records: the quorum as it can be read now (full members present
-- at a general meeting; the committee's current members at a committee meeting).
UPDATE meetings SET quorum_expected = voting_members,
    quorum_present = (SELECT COUNT(*) FROM meeting_attendance a JOIN people p ON p.id = a.person_id
        WHERE a.meeting_id = meetings.id AND a.present = TRUE AND p.status = 'full')
WHERE kind = 'general_meeting' AND status = 'held' AND voting_members IS NOT NULL;
UPDATE meetings SET quorum_expected = (SELECT COUNT(DISTINCT f.person_id) FROM org_officers f
        JOIN people p ON p.id = f.person_id WHERE f.org_id = meetings.org_id AND p.left_on IS NULL),
    quorum_present = (SELECT COUNT(DISTINCT a.person_id) FROM meeting_attendance a
        JOIN org_officers f ON f.person_id = a.person_id AND f.org_id = meetings.org_id
        WHERE a.meeting_id = meetings.id AND a.present = TRUE)
WHERE kind = 'committee_meeting' AND status = 'held';
UPDATE meetings SET counts = (quorum_present * 2 > quorum_expected) WHERE quorum_expected IS NOT NULL;
-- A talk with exactly two present is one pair.
UPDATE meetings SET
    pair_a = (SELECT MIN(a.person_id) FROM meeting_attendance a WHERE a.meeting_id = meetings.id AND a.present = TRUE),
    pair_b = (SELECT MAX(a.person_id) FROM meeting_attendance a WHERE a.meeting_id = meetings.id AND a.present = TRUE)
WHERE kind = 'talk'
    AND (SELECT COUNT(*) FROM meeting_attendance a WHERE a.meeting_id = meetings.id AND a.present = TRUE) = 2;
CREATE INDEX meetings_talk_pairs ON meetings(org_id, month) WHERE kind = 'talk' AND pair_a IS NOT NULL;
