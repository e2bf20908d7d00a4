-- Organizational life records (组织生活记录): the kind of an absence's reason,
-- so that the art. 9 warnings can tell a proper reason (请假、病假、公差) from
-- none; and the host and recorder picked from the roster.

-- leave（请假，已批准）, sick（病假）, official（公差）, other（无正当理由）;
-- '' where no kind was given. The free text stays in `reason` as a note.
ALTER TABLE meeting_attendance ADD COLUMN reason_kind TEXT NOT NULL DEFAULT '';
-- Older absences whose text plainly names a kind (the words of
-- life::ReasonKind::infer, in its order: the first that matches wins).
UPDATE meeting_attendance SET reason_kind = 'sick' WHERE present = FALSE AND reason_kind = '' AND reason LIKE '%病%';
UPDATE meeting_attendance SET reason_kind = 'leave' WHERE present = FALSE AND reason_kind = ''
    AND (reason LIKE '%请假%' OR reason LIKE '%事假%' OR reason LIKE '%公假%');
UPDATE meeting_attendance SET reason_kind = 'official' WHERE present = FALSE AND reason_kind = ''
    AND (reason LIKE '%出差%' OR reason LIKE '%公差%' OR reason LIKE '%公务%' OR reason LIKE '%调训%' OR reason LIKE '%借调%');

-- The host (主持人) and recorder (记录人) as people; `host` and `recorder`
-- keep the names as recorded (the only record in older meetings).
ALTER TABLE meetings ADD COLUMN host_person_id TEXT REFERENCES people(id);
ALTER TABLE meetings ADD COLUMN recorder_person_id TEXT REFERENCES people(id);
