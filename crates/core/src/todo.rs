//! To-dos (待办): what a rule says someone must do soon or is late with.
//! Each module offers `todos(db, scope, now)`; the work bench and the bell
//! gather them and judge each on the day (`settle`).
use crate::rules::todo::SOON_DAYS;
use chrono::NaiveDate;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Todo {
    /// The module it comes from, e.g. "develop", "dues", "transfer", "org"
    /// (`MODULES` names them).
    pub kind: &'static str,
    /// What to do, in Chinese: "张三：谈话（步骤 2）".
    pub title: String,
    /// Why, with the rule: "入党申请后 1 个月内须谈话".
    pub detail: String,
    /// The deadline (截止), YYYY-MM-DD, Beijing time, when there is one.
    pub due: Option<String>,
    /// The day from which it may be done (起可), YYYY-MM-DD: not a deadline,
    /// never late (e.g. an activist may become a candidate after a year).
    pub from: Option<String>,
    /// Late: past its deadline, or (without one) late by its module's rule.
    pub overdue: bool,
    /// The page where it is done.
    pub href: String,
}

/// Where a to-do stands on a day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// 已逾期: its deadline has passed.
    Overdue,
    /// 即将到期: its deadline is within `rules::todo::SOON_DAYS` days.
    Soon,
    /// 待办理: anything else (a later deadline, a start date, none).
    Open,
}

impl Status {
    pub const ALL: [Status; 3] = [Status::Overdue, Status::Soon, Status::Open];

    pub fn code(self) -> &'static str {
        match self {
            Status::Overdue => "overdue",
            Status::Soon => "soon",
            Status::Open => "open",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::Overdue => "已逾期",
            Status::Soon => "即将到期",
            Status::Open => "待办理",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|x| x.code() == s)
    }
}

/// The modules that give to-dos, in the order the list groups them, with
/// the names their menus use.
pub const MODULES: [(&str, &str); 9] = [
    ("org", "换届"),
    ("develop", "发展党员"),
    ("transfer", "组织关系转接"),
    ("dues", "党费"),
    ("plan", "同谋划"),
    ("life", "组织生活"),
    ("study", "学习"),
    ("standard", "标准化建设"),
    ("assess", "考核评价"),
];

/// A module's name ("发展党员"); "其他" for one not listed.
pub fn module_label(kind: &str) -> &'static str {
    MODULES
        .iter()
        .find(|(k, _)| *k == kind)
        .map_or("其他", |(_, label)| label)
}

fn date(s: &Option<String>) -> Option<NaiveDate> {
    s.as_deref().and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
}

impl Todo {
    /// Where it stands on `today` (a Beijing date): late only once the
    /// deadline has passed (a deadline today is not late); a to-do with no
    /// deadline keeps its module's judgement.
    pub fn status(&self, today: NaiveDate) -> Status {
        match date(&self.due) {
            Some(due) if due < today => Status::Overdue,
            Some(due) if (due - today).num_days() <= SOON_DAYS => Status::Soon,
            Some(_) => Status::Open,
            None if self.overdue => Status::Overdue,
            None => Status::Open,
        }
    }
}

/// Judges every to-do on `today` (`overdue` follows the deadline, so a
/// deadline in the future is never late) and sorts them: late first, then
/// by deadline, then by start date.
pub fn settle(todos: &mut [Todo], today: NaiveDate) {
    for t in todos.iter_mut() {
        t.overdue = t.status(today) == Status::Overdue;
    }
    todos.sort_by(|x, y| {
        y.overdue
            .cmp(&x.overdue)
            .then_with(|| x.due.is_none().cmp(&y.due.is_none()))
            .then_with(|| x.due.cmp(&y.due))
            .then_with(|| x.from.cmp(&y.from))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn todo(due: Option<&str>, from: Option<&str>, overdue: bool) -> Todo {
        Todo {
            kind: "org",
            title: "事项".into(),
            detail: String::new(),
            due: due.map(String::from),
            from: from.map(String::from),
            overdue,
            href: "/".into(),
        }
    }

    #[test]
    fn late_only_after_the_deadline_day() {
        let today = NaiveDate::from_ymd_opt(2026, 9, 21).unwrap();
        assert_eq!(todo(Some("2026-09-20"), None, false).status(today), Status::Overdue);
        assert_eq!(todo(Some("2026-09-21"), None, false).status(today), Status::Soon);
        // A module that called a future deadline late is overruled.
        assert_eq!(todo(Some("2026-09-30"), None, true).status(today), Status::Open);
        let edge = format!("2026-09-{}", 21 + SOON_DAYS);
        assert_eq!(todo(Some(&edge), None, false).status(today), Status::Soon);
        let past = format!("2026-09-{}", 22 + SOON_DAYS);
        assert_eq!(todo(Some(&past), None, false).status(today), Status::Open);
        // A start date is never late, whenever it is.
        assert_eq!(todo(None, Some("2026-09-01"), false).status(today), Status::Open);
        // No deadline: the module's judgement (six months of dues unpaid).
        assert_eq!(todo(None, None, true).status(today), Status::Overdue);
        let mut all = vec![
            todo(None, Some("2026-09-25"), false),
            todo(Some("2026-09-30"), None, true),
            todo(Some("2026-09-01"), None, false),
        ];
        settle(&mut all, today);
        assert_eq!(all[0].due.as_deref(), Some("2026-09-01"));
        assert!(all[0].overdue && !all[1].overdue);
        assert_eq!(all[2].from.as_deref(), Some("2026-09-25"));
        assert_eq!(module_label("develop"), "发展党员");
        assert_eq!(Status::parse("soon"), Some(Status::Soon));
    }
}
