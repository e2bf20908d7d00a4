//! The study rules, pure: class hours in tenths, months, the plan's states
//! and who may review a plan. Hours are what a member or a branch records
//! (the class hours of a course or a session), never time measured in the app.
use crate::{Error, Result};
use chrono::{Datelike, NaiveDate};

/// At most this many items in one month of a plan.
pub const MAX_ITEMS_PER_MONTH: usize = 10;
/// At most this many class hours on one record, plan item or course (999.9).
pub const MAX_TENTHS: i64 = 9_999;

/// "1.5" → 15 tenths of a class hour. One decimal at most, more than zero.
pub fn parse_hours(field: &str, raw: &str) -> Result<i64> {
    let s = raw.trim();
    if s.is_empty() {
        return Err(Error::invalid(field, "不能为空，请填写学时，如 1.5"));
    }
    if s.starts_with('-') {
        return Err(Error::invalid(field, format!("“{s}”为负数，学时应大于 0")));
    }
    let (whole, frac) = match s.split_once('.') {
        Some((w, f)) => (w, f),
        None => (s, ""),
    };
    let digits = |t: &str| t.chars().all(|c| c.is_ascii_digit());
    if whole.is_empty() || !digits(whole) || !digits(frac) || (s.contains('.') && frac.is_empty()) {
        return Err(Error::invalid(
            field,
            format!("“{s}”不是有效学时，应为数字，最多 1 位小数，如 1.5"),
        ));
    }
    if frac.len() > 1 {
        return Err(Error::invalid(field, format!("“{s}”最多保留 1 位小数，如 1.5")));
    }
    let w: i64 = whole
        .parse()
        .ok()
        .filter(|w| *w <= MAX_TENTHS / 10)
        .ok_or_else(|| Error::invalid(field, format!("“{s}”超过上限 999.9 学时")))?;
    let f: i64 = if frac.is_empty() { 0 } else { frac.parse().unwrap_or(0) };
    let tenths = w * 10 + f;
    if tenths == 0 {
        return Err(Error::invalid(field, "学时应大于 0"));
    }
    Ok(tenths)
}

/// 15 → "1.5", 20 → "2".
pub fn hours_text(tenths: i64) -> String {
    let sign = if tenths < 0 { "-" } else { "" };
    let t = tenths.abs();
    if t % 10 == 0 {
        format!("{sign}{}", t / 10)
    } else {
        format!("{sign}{}.{}", t / 10, t % 10)
    }
}

/// A plan item's month, 1–12.
pub fn check_month(field: &str, m: i64) -> Result<i64> {
    if (1..=12).contains(&m) {
        Ok(m)
    } else {
        Err(Error::invalid(field, format!("“{m}”不是有效月份，应为 1 至 12")))
    }
}

/// A plan may be filed with at least one item and at most
/// `MAX_ITEMS_PER_MONTH` in any month.
pub fn check_fileable(months: &[i64]) -> Result<()> {
    if months.is_empty() {
        return Err(Error::invalid(
            "学习安排",
            "学习计划还没有任何月度安排，请至少填写一项后再报备",
        ));
    }
    for m in 1..=12 {
        let n = months.iter().filter(|x| **x == m).count();
        if n > MAX_ITEMS_PER_MONTH {
            return Err(Error::invalid(
                "学习安排",
                format!("{m} 月有 {n} 项安排，每月最多 {MAX_ITEMS_PER_MONTH} 项，请合并或调整"),
            ));
        }
    }
    Ok(())
}

/// A study date: a real date, not in the future.
pub fn check_study_date(raw: &str, today: NaiveDate) -> Result<NaiveDate> {
    let d = NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d")
        .map_err(|_| Error::invalid("学习日期", format!("“{}”不是有效日期，格式应为 2026-03-15", raw.trim())))?;
    if d > today {
        return Err(Error::invalid(
            "学习日期",
            format!("{d} 晚于今天（{today}），只能登记已经参加的学习"),
        ));
    }
    if d.year() < 2000 {
        return Err(Error::invalid("学习日期", format!("{d} 早于 2000 年，请核对")));
    }
    Ok(d)
}

/// Where a plan stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Draft,
    Filed,
    Approved,
    Returned,
}

impl Status {
    pub fn code(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Filed => "filed",
            Status::Approved => "approved",
            Status::Returned => "returned",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Status::Draft => "未报备",
            Status::Filed => "已报备待审核",
            Status::Approved => "审核通过",
            Status::Returned => "已退回",
        }
    }
    pub fn parse(s: &str) -> Option<Status> {
        [Status::Draft, Status::Filed, Status::Approved, Status::Returned]
            .into_iter()
            .find(|x| x.code() == s)
    }
    /// Its items may be changed: before filing, or after a return.
    pub fn editable(self) -> bool {
        matches!(self, Status::Draft | Status::Returned)
    }
}

/// What a plan's organization or its superior does to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    File,
    Approve,
    Return,
}

/// The state a plan moves to, or why it cannot.
pub fn transition(from: Status, action: Action) -> Result<Status> {
    use Status::*;
    match (from, action) {
        (Draft | Returned, Action::File) => Ok(Filed),
        (Filed, Action::Approve) => Ok(Approved),
        (Filed, Action::Return) => Ok(Returned),
        (Filed, Action::File) => Err(Error::Conflict("该学习计划已报备，正在等待上级审核".into())),
        (Approved, Action::File) => Err(Error::Conflict("该学习计划已审核通过，无需再次报备".into())),
        (Approved, _) => Err(Error::Conflict("该学习计划已审核通过，不能重复审核".into())),
        (Draft | Returned, _) => Err(Error::Conflict("该学习计划尚未报备，报备后方可审核".into())),
    }
}

/// Whether an organization at `reviewer_path` is a superior of one at
/// `plan_path`: its path is a strict prefix (the parent or above).
pub fn is_superior(reviewer_path: &str, plan_path: &str) -> bool {
    plan_path.len() > reviewer_path.len() && plan_path.starts_with(reviewer_path)
}

/// A return's comment: required, so the branch knows what to change.
pub fn return_comment(raw: &str) -> Result<String> {
    if raw.trim().is_empty() {
        return Err(Error::invalid("退回意见", "退回时须填写意见，说明需要修改的内容"));
    }
    crate::text::check("退回意见", raw, 500, crate::text::TextKind::Free)
}

/// The day by which a year's plan should be filed: the end of January.
pub fn filing_due(year: i32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, 1, 31)
}

/// A course is completed when the hours recorded against it reach its class hours.
pub fn completed(recorded: i64, required: i64) -> bool {
    recorded >= required
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hours_are_tenths_with_one_decimal() {
        assert_eq!(parse_hours("学时", "1.5").unwrap(), 15);
        assert_eq!(parse_hours("学时", " 2 ").unwrap(), 20);
        assert_eq!(parse_hours("学时", "0.1").unwrap(), 1);
        assert_eq!(parse_hours("学时", "999.9").unwrap(), 9_999);
        for bad in ["", "-1", "0", "0.0", "1.55", "1.", ".5", "abc", "1e3", "1000", "１.5"] {
            assert!(parse_hours("学时", bad).is_err(), "{bad}");
        }
        assert!(parse_hours("学时", "-1").unwrap_err().to_string().contains("负数"));
        assert_eq!(hours_text(15), "1.5");
        assert_eq!(hours_text(20), "2");
        assert_eq!(hours_text(0), "0");
    }

    #[test]
    fn months_and_filing() {
        assert!(check_month("月份", 0).is_err());
        assert!(check_month("月份", 13).unwrap_err().to_string().contains("1 至 12"));
        assert_eq!(check_month("月份", 12).unwrap(), 12);
        assert!(check_fileable(&[]).is_err());
        assert!(check_fileable(&[3]).is_ok());
        assert!(check_fileable(&[5; MAX_ITEMS_PER_MONTH]).is_ok());
        assert!(check_fileable(&[5; MAX_ITEMS_PER_MONTH + 1]).is_err());
    }

    #[test]
    fn transitions_and_superiors() {
        use Action::*;
        use Status::*;
        assert_eq!(transition(Draft, File).unwrap(), Filed);
        assert_eq!(transition(Filed, Return).unwrap(), Returned);
        assert_eq!(transition(Returned, File).unwrap(), Filed);
        assert_eq!(transition(Filed, Approve).unwrap(), Approved);
        assert!(transition(Draft, Approve).is_err());
        assert!(transition(Approved, Return).is_err());
        assert!(transition(Filed, File).is_err());
        assert!(is_superior("/a/", "/a/b/"));
        assert!(is_superior("/a/", "/a/b/c/"));
        assert!(!is_superior("/a/b/", "/a/b/"));
        assert!(!is_superior("/a/c/", "/a/b/"));
        assert!(return_comment("  ").is_err());
        assert_eq!(return_comment(" 请补充专题研讨 ").unwrap(), "请补充专题研讨");
    }

    #[test]
    fn dates_and_completion() {
        let today = NaiveDate::from_ymd_opt(2026, 3, 15).unwrap();
        assert!(check_study_date("2026-03-15", today).is_ok());
        assert!(check_study_date("2026-03-16", today)
            .unwrap_err()
            .to_string()
            .contains("晚于今天"));
        assert!(check_study_date("2026-02-30", today).is_err());
        assert!(completed(30, 30));
        assert!(!completed(29, 30));
        assert_eq!(filing_due(2026), NaiveDate::from_ymd_opt(2026, 1, 31));
    }
}
