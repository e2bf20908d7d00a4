//! What is coming due in each person's development (the to-do list).
use super::rules::{add_months, date_of, probation_end, APPROVAL, GENERAL_MEETING_ACCEPTS};
use crate::rules::development::{
    ACTIVIST_MIN_MONTHS, ACTIVIST_REVIEW_EVERY_MONTHS, APPROVAL_WITHIN_MONTHS, TALK_WITHIN_MONTHS,
};
use chrono::NaiveDate;

/// The to-do list: `(step, date, overdue)` for what is coming due, in step
/// order. Step 2 (the talk), 17 (approval) and 23 (the full-membership
/// discussion, due when probation ends) have deadlines and become overdue
/// after them. Step 6 is the activist's next half-yearly review and step 7 the
/// day the activist may become a candidate; neither is ever overdue. No
/// extension of probation is assumed.
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
    if let Some(activist) = has(3) {
        if has(6).is_none() {
            due.push((6, next_review(activist, today), false));
        }
        if has(7).is_none() {
            due.push((7, add_months(activist, ACTIVIST_MIN_MONTHS), false));
        }
    }
    if let (Some(accepted), None) = (has(GENERAL_MEETING_ACCEPTS), has(APPROVAL)) {
        due.push(deadline(APPROVAL, add_months(accepted, APPROVAL_WITHIN_MONTHS)));
    }
    if let (Some(_), None, Some(end)) = (has(APPROVAL), has(23), probation_end(done, extension_months)) {
        due.push(deadline(23, end));
    }
    due
}

/// The first half-yearly mark after becoming an activist that is not before
/// `today`. Counted from the start each time, so 31 Aug gives 28 Feb then
/// 31 Aug, not 28 Aug.
fn next_review(activist: NaiveDate, today: NaiveDate) -> NaiveDate {
    (1u32..)
        .map(|k| add_months(activist, k.saturating_mul(ACTIVIST_REVIEW_EVERY_MONTHS)))
        .find(|d| *d >= today)
        .unwrap_or(NaiveDate::MAX)
}
