use crate::org::{Org, OrgKind};
use crate::rules::transfer::{DECIDE_WITHIN_DAYS, LETTER_VALID_MONTHS};
use crate::text::{check, check_optional, TextKind};
use crate::{Error, Result};
use chrono::{Months, NaiveDate};

/// The field names errors cite (the form's labels).
pub mod field {
    pub const KIND: &str = "转接类型";
    pub const PERSON: &str = "人员";
    pub const TO_ORG: &str = "转入组织";
    pub const OUTSIDE_ORG: &str = "转入单位党组织";
    pub const FROM_OUTSIDE: &str = "原组织";
    pub const REASON: &str = "转接原因";
    pub const LETTER_NO: &str = "介绍信编号";
    pub const RETURN_REASON: &str = "退回原因";
}

/// A receiving organization in the system: a committee, general branch or
/// branch (a Party group holds no membership relations), not dissolved, and
/// not the one the person is in.
pub fn check_target(target: &Org, from_org_id: &str) -> Result<()> {
    if target.id == from_org_id {
        return Err(Error::invalid(
            field::TO_ORG,
            "不能转入本人当前所在的组织，请选择其他组织",
        ));
    }
    if target.dissolved_at.is_some() {
        return Err(Error::invalid(
            field::TO_ORG,
            format!("“{}”已撤销，请选择其他组织", target.name),
        ));
    }
    if OrgKind::from_code(&target.kind) == Some(OrgKind::Group) {
        return Err(Error::invalid(
            field::TO_ORG,
            format!("“{}”是党小组，组织关系应转入党支部、党总支或党委", target.name),
        ));
    }
    Ok(())
}

/// The outside organization's name, e.g. "某某市财政局机关党委".
pub fn check_outside_org(field: &str, raw: &str) -> Result<String> {
    check(field, raw, 60, TextKind::Name)
}

/// An optional reason, at most 200 characters.
pub fn check_reason(raw: &str) -> Result<String> {
    Ok(check_optional(field::REASON, Some(raw), 200, TextKind::Free)?.unwrap_or_default())
}

/// Why the receiving side sends a transfer back: required.
pub fn check_return_reason(raw: &str) -> Result<String> {
    check(field::RETURN_REASON, raw, 200, TextKind::Free)
}

/// An outside letter number as typed, e.g. "京财党转〔2026〕8号".
pub fn check_letter_no(raw: &str) -> Result<String> {
    check(field::LETTER_NO, raw, 40, TextKind::Name)
}

/// The abbreviation letters are numbered under: the top committee's name
/// without "党委", its first character, and "党转" (机关党委 → 机党转).
pub fn letter_prefix(top_name: &str) -> String {
    let base = top_name.trim().trim_end_matches("党委");
    let first = base.chars().next().unwrap_or('党');
    format!("{first}党转")
}

/// 机党转〔2026〕12号: numbered from 1 each year.
pub fn letter_no(prefix: &str, year: i32, seq: i64) -> String {
    format!("{prefix}〔{year}〕{seq}号")
}

/// The last day a letter issued on `issued` is valid.
pub fn valid_until(issued: NaiveDate) -> NaiveDate {
    issued
        .checked_add_months(Months::new(LETTER_VALID_MONTHS))
        .unwrap_or(issued)
}

/// The day by which a pending transfer should be decided, and whether `today`
/// is past it.
pub fn decide_by(requested: NaiveDate, today: NaiveDate) -> (NaiveDate, bool) {
    let due = requested + chrono::Duration::days(DECIDE_WITHIN_DAYS);
    (due, today > due)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn letter_numbers_and_prefixes() {
        assert_eq!(letter_prefix("机关党委"), "机党转");
        assert_eq!(letter_prefix("  华能集团党委 "), "华党转");
        assert_eq!(letter_prefix(""), "党党转");
        assert_eq!(letter_no("机党转", 2026, 12), "机党转〔2026〕12号");
    }

    #[test]
    fn a_letter_is_valid_three_calendar_months() {
        assert_eq!(valid_until(d(2026, 11, 28)), d(2027, 2, 28));
        // 30 November + 3 months clamps to the end of February.
        assert_eq!(valid_until(d(2026, 11, 30)), d(2027, 2, 28));
        assert_eq!(valid_until(d(2027, 11, 30)), d(2028, 2, 29));
    }

    #[test]
    fn overdue_after_thirty_days() {
        let r = d(2026, 11, 1);
        assert_eq!(decide_by(r, d(2026, 12, 1)), (d(2026, 12, 1), false));
        assert_eq!(decide_by(r, d(2026, 12, 2)), (d(2026, 12, 1), true));
    }

    #[test]
    fn reasons_and_names_are_checked() {
        assert_eq!(check_reason("  ").unwrap(), "");
        assert!(check_reason(&"字".repeat(201)).is_err());
        assert!(check_return_reason(" ").is_err());
        assert!(check_outside_org(field::OUTSIDE_ORG, "<b>").is_err());
        assert_eq!(check_letter_no(" 京财党转〔2026〕8号 ").unwrap(), "京财党转〔2026〕8号");
    }
}
