//! What is coming due in each person's development (the to-do list).
use super::model::{RecordKind, Tracked};
use super::rules::{add_months, date_of, probation_end, APPROVAL, GENERAL_MEETING_ACCEPTS};
use crate::rules::development::{
    ACTIVIST_MIN_MONTHS, ACTIVIST_REPORT_EVERY_MONTHS, ACTIVIST_REVIEW_EVERY_MONTHS, APPROVAL_WITHIN_MONTHS,
    TALK_WITHIN_MONTHS,
};
use chrono::NaiveDate;

/// The to-do list: `(step, date, overdue)` for what is coming due, in step
/// order. Step 2 (the talk), 17 (approval) and 23 (the full-membership
/// discussion, due when probation ends) have deadlines and become overdue
/// after them. Step 7 is the day the activist may become a candidate, never
/// overdue (the reviews and reports are `due_tracked`'s). No extension of
/// probation is assumed.
pub fn due_steps(done: &[(u8, NaiveDate)], today: NaiveDate) -> Vec<(u8, NaiveDate, bool)> {
    due_steps_with_extension(done, today, None)
}

/// `due_steps` for a probation extended by `extension_months`.
pub fn due_steps_with_extension(
    done: &[(u8, NaiveDate)],
    today: NaiveDate,
    extension_months: Option<u32>,
) -> Vec<(u8, NaiveDate, bool)> {
    let has = |no| date_of(done, no);
    let deadline = |no, by: NaiveDate| (no, by, today > by);
    let mut due = Vec::new();
    if let (Some(applied), None) = (has(1), has(2)) {
        due.push(deadline(2, add_months(applied, TALK_WITHIN_MONTHS)));
    }
    if let (Some(activist), None) = (has(3), has(7)) {
        due.push((7, add_months(activist, ACTIVIST_MIN_MONTHS), false));
    }
    if let (Some(accepted), None) = (has(GENERAL_MEETING_ACCEPTS), has(APPROVAL)) {
        due.push(deadline(APPROVAL, add_months(accepted, APPROVAL_WITHIN_MONTHS)));
    }
    if let (Some(_), None, Some(end)) = (has(APPROVAL), has(23), probation_end(done, extension_months)) {
        due.push(deadline(23, end));
    }
    due
}

/// An activist's half-yearly review and quarterly written report, each due
/// a whole period after the last one recorded (or after becoming an
/// activist), again and again until the activist becomes a candidate:
/// `(kind, due, overdue)`, overdue from the day after.
pub fn due_tracked(done: &[(u8, NaiveDate)], t: &Tracked, today: NaiveDate) -> Vec<(RecordKind, NaiveDate, bool)> {
    let (Some(activist), None) = (date_of(done, 3), date_of(done, 7)) else {
        return Vec::new();
    };
    [
        (RecordKind::Review, t.last_review, ACTIVIST_REVIEW_EVERY_MONTHS),
        (RecordKind::Report, t.last_report, ACTIVIST_REPORT_EVERY_MONTHS),
    ]
    .into_iter()
    .map(|(kind, last, every)| {
        let by = add_months(last.map_or(activist, |l| l.max(activist)), every);
        (kind, by, today > by)
    })
    .collect()
}
