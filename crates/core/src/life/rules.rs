//! The pure rules of organizational life: meeting times, quorum and votes,
//! appraisal shares, what is due in a period, and months without taking part.
use crate::plan::{Period, PeriodKind};
use crate::rules::life::{COMMITTEE_QUORUM, PASSING, QUORUM};
use crate::{Error, Result};
use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, TimeZone};

/// A meeting time: RFC 3339, or "2026-03-05 14:30" / "2026-03-05T14:30" in
/// Beijing time (what a form's datetime field sends). Answers Unix ms.
pub fn parse_held_at(raw: &str) -> Result<i64> {
    const F: &str = "会议时间";
    let s = crate::people::normalize(raw);
    let s = s.trim();
    if s.is_empty() {
        return Err(Error::invalid(F, "不能为空，请填写召开时间"));
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(t.timestamp_millis());
    }
    let local = NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M"))
        .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S"))
        .map_err(|_| Error::invalid(F, format!("“{raw}”不是有效时间，格式应为 2026-03-05 14:30")))?;
    crate::clock::beijing_offset()
        .from_local_datetime(&local)
        .single()
        .map(|t| t.timestamp_millis())
        .ok_or_else(|| Error::invalid(F, format!("“{raw}”不是有效时间")))
}

/// The Beijing month ("2026-04") of a time: 00:30 on 1 April Beijing is April.
pub fn month_of(ms: i64) -> String {
    crate::clock::beijing(ms).format("%Y-%m").to_string()
}

/// More than `share` of `whole`: n ÷ whole > a ÷ b.
fn more_than(n: i64, whole: i64, (a, b): (i64, i64)) -> bool {
    n * b > whole * a
}

/// A general meeting may decide only with more than half of the voting members present.
pub fn check_quorum(present_voting: i64, voting_members: i64) -> Result<()> {
    if voting_members <= 0 || !more_than(present_voting, voting_members, QUORUM) {
        return Err(Error::invalid(
            "表决",
            format!(
                "到会有表决权的党员 {present_voting} 人，未超过应到会有表决权党员 {voting_members} 人的{}，会议不能作出决议",
                crate::rules::words::share(QUORUM)
            ),
        ));
    }
    Ok(())
}

/// Whether a meeting counts as held: a general meeting with more than half
/// of the voting members present, a committee meeting with more than half of
/// the committee's seats taken by its members; other meetings always.
/// `expected` and `present` are those the quorum counts (None: no quorum).
pub fn quorum_met(kind: super::Kind, expected: i64, present: i64) -> bool {
    let share = if kind == super::Kind::GeneralMeeting {
        QUORUM
    } else if kind.is_committee_meeting() {
        COMMITTEE_QUORUM
    } else {
        return true;
    };
    expected > 0 && more_than(present, expected, share)
}

/// Why a meeting without its quorum does not count.
pub fn quorum_note(expected: i64, present: i64) -> String {
    if expected <= 0 {
        return "未登记委员，无法核定法定人数，不计入召开次数".into();
    }
    format!("未达到法定人数：应到 {expected} 人，实到 {present} 人，不计入召开次数")
}

/// Pairs a yearly 谈心谈话 round must cover: every two committee members,
/// and each committee member with each other member.
pub fn talk_pairs_required(seats: i64, members: i64) -> i64 {
    let (k, n) = (seats.max(0), members.max(seats).max(0));
    k * (k - 1) / 2 + k * (n - k)
}

/// A resolution passes with more than half of all voting members for it.
pub fn passes(votes_for: i64, voting_members: i64) -> bool {
    voting_members > 0 && more_than(votes_for, voting_members, PASSING)
}

/// Votes are counted among those present with the vote.
pub fn check_votes(n: usize, title: &str, f: i64, against: i64, abstain: i64, present_voting: i64) -> Result<()> {
    let field = format!("决议{n}票数");
    if f < 0 || against < 0 || abstain < 0 {
        return Err(Error::invalid(&field, "票数不能为负数"));
    }
    if f + against + abstain > present_voting {
        return Err(Error::invalid(
            &field,
            format!(
                "“{title}”赞成、反对、弃权共 {} 票，超过到会有表决权的党员 {present_voting} 人",
                f + against + abstain
            ),
        ));
    }
    Ok(())
}

/// 优秀 at most `share` of those graded (a third by default,
/// `rules::life::EXCELLENT_MAX_SHARE`; the top organization's setting).
pub fn check_excellent_share(excellent: usize, graded: usize, share: (i64, i64)) -> Result<()> {
    let (a, b) = share;
    if excellent as i64 * b > graded as i64 * a {
        return Err(Error::invalid(
            "评议等次",
            format!(
                "评定为优秀的 {excellent} 人，超过参加评定的 {graded} 人的{}，请复核",
                crate::org::share_label(share)
            ),
        ));
    }
    Ok(())
}

/// How many times an obligation is due in one of its periods, for the part
/// of it the organization existed (from `alive.0` to `alive.1`, inclusive):
/// times × days existed ÷ days in the period, rounded half up. An
/// organization founded on the 20th of a month owes nothing that month; one
/// founded mid-quarter owes its quarterly meeting.
pub fn due_in(times: i64, p: &Period, alive: (NaiveDate, Option<NaiveDate>)) -> i64 {
    let (a, b) = (p.first_day(), p.last_day());
    let from = a.max(alive.0);
    let to = alive.1.map_or(b, |d| d.min(b));
    if from > to || times <= 0 {
        return 0;
    }
    let existed = (to - from).num_days() + 1;
    let len = (b - a).num_days() + 1;
    (2 * times * existed + len) / (2 * len)
}

/// The obligation's own periods a requested period is judged over: those
/// inside it (the months of a quarter for a monthly duty), or, when the
/// request is finer than the duty (a month for a quarterly meeting), the
/// one containing it.
pub fn windows(duty: PeriodKind, req: &Period) -> Vec<Period> {
    if duty >= req.kind {
        return vec![Period::containing(duty, req.first_day())];
    }
    let mut out = Vec::new();
    let mut d = req.first_day();
    while d <= req.last_day() {
        let p = Period::containing(duty, d);
        d = p.last_day().succ_opt().unwrap_or(NaiveDate::MAX);
        out.push(p);
    }
    out
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Standing {
    /// Held as often as due.
    Met,
    /// Not yet held, and the period is still open.
    Due,
    /// A period ended without the meetings due.
    Overdue,
    /// Not an obligation of this organization (its kind, its size, or it did not exist then).
    NotApplicable,
}

impl Standing {
    pub fn code(self) -> &'static str {
        match self {
            Standing::Met => "met",
            Standing::Due => "due",
            Standing::Overdue => "overdue",
            Standing::NotApplicable => "not_applicable",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Standing::Met => "已完成",
            Standing::Due => "待召开",
            Standing::Overdue => "逾期未开",
            Standing::NotApplicable => "不适用",
        }
    }
}

/// Judges windows of (due, held): overdue when an ended window fell short,
/// met when every window is met, due otherwise.
pub fn standing(windows: &[(Period, i64, i64)], today: NaiveDate) -> Standing {
    if windows.iter().all(|(_, due, _)| *due == 0) {
        return Standing::NotApplicable;
    }
    if windows.iter().any(|(p, due, held)| p.last_day() < today && held < due) {
        return Standing::Overdue;
    }
    if windows.iter().all(|(_, due, held)| held >= due) {
        return Standing::Met;
    }
    Standing::Due
}

/// The last month that has ended by `today` ("2026-10" on 2026-11-28).
pub fn last_ended_month(today: NaiveDate) -> String {
    let first = NaiveDate::from_ymd_opt(today.year(), today.month(), 1).unwrap_or(today);
    first.pred_opt().unwrap_or(first).format("%Y-%m").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }
    fn p(s: &str) -> Period {
        Period::parse_any(s).unwrap()
    }

    #[test]
    fn meeting_times_belong_to_beijing_months() {
        let t = parse_held_at("2026-04-01T00:30:00+08:00").unwrap();
        assert_eq!(month_of(t), "2026-04", "00:30 on 1 April Beijing is April");
        let utc = parse_held_at("2026-03-31T16:30:00Z").unwrap();
        assert_eq!(t, utc);
        assert_eq!(month_of(parse_held_at("2026-03-31 23:59").unwrap()), "2026-03");
        assert_eq!(parse_held_at("2026-04-01T00:30").unwrap(), t);
        assert!(parse_held_at("2026-02-30 10:00").is_err());
        assert!(parse_held_at("").is_err());
    }

    #[test]
    fn quorum_and_votes_count_all_voting_members() {
        assert!(check_quorum(5, 10).is_err(), "half is not more than half");
        assert!(check_quorum(6, 10).is_ok());
        assert!(check_quorum(2, 3).is_ok());
        assert!(check_quorum(0, 0).is_err());
        assert!(!passes(5, 10));
        assert!(passes(6, 10));
        assert!(!passes(5, 11) && passes(6, 11));
        assert!(check_votes(1, "x", 4, 2, 1, 7).is_ok());
        assert!(check_votes(1, "x", 4, 2, 2, 7).is_err());
        assert!(check_votes(1, "x", -1, 0, 0, 7).is_err());
    }

    use crate::rules::life::EXCELLENT_MAX_SHARE;

    #[test]
    fn meetings_count_with_more_than_half_present() {
        use crate::life::Kind;
        assert!(!quorum_met(Kind::GeneralMeeting, 9, 4));
        assert!(quorum_met(Kind::GeneralMeeting, 9, 5));
        assert!(!quorum_met(Kind::GeneralMeeting, 10, 5), "half is not more than half");
        assert!(quorum_met(Kind::GeneralMeeting, 10, 6));
        assert!(!quorum_met(Kind::CommitteeMeeting, 5, 2));
        assert!(quorum_met(Kind::CommitteeMeeting, 5, 3));
        assert!(!quorum_met(Kind::PartyCommitteeMeeting, 4, 2));
        assert!(quorum_met(Kind::PartyCommitteeMeeting, 4, 3));
        assert!(!quorum_met(Kind::CommitteeMeeting, 0, 0), "no committee registered");
        assert!(quorum_met(Kind::ThemeDay, 0, 0));
        assert_eq!(
            quorum_note(9, 4),
            "未达到法定人数：应到 9 人，实到 4 人，不计入召开次数"
        );
    }

    #[test]
    fn talk_pairs_cover_the_committee_and_each_member() {
        // 3 committee members among 8: 3 among themselves, 3 × 5 with the others.
        assert_eq!(talk_pairs_required(3, 8), 18);
        assert_eq!(talk_pairs_required(1, 5), 4, "a secretary alone talks with each member");
        assert_eq!(talk_pairs_required(5, 5), 10);
        assert_eq!(talk_pairs_required(0, 9), 0);
    }

    #[test]
    fn excellent_is_at_most_a_third() {
        assert!(check_excellent_share(3, 9, EXCELLENT_MAX_SHARE).is_ok());
        assert!(check_excellent_share(4, 9, EXCELLENT_MAX_SHARE).is_err());
        assert!(check_excellent_share(1, 3, EXCELLENT_MAX_SHARE).is_ok());
        assert!(check_excellent_share(1, 2, EXCELLENT_MAX_SHARE).is_err());
        assert!(check_excellent_share(0, 0, EXCELLENT_MAX_SHARE).is_ok());
    }

    #[test]
    fn what_is_due_follows_the_part_of_the_period_an_organization_existed() {
        let always = (day("2000-01-01"), None);
        assert_eq!(due_in(1, &p("2026-03"), always), 1);
        // Founded on the 20th of a 31-day month: 12 days of 31 owe nothing.
        assert_eq!(due_in(1, &p("2026-03"), (day("2026-03-20"), None)), 0);
        // Founded on the 16th: 16 of 31 days rounds up to one.
        assert_eq!(due_in(1, &p("2026-03"), (day("2026-03-16"), None)), 1);
        // Founded mid-quarter (Q1 2026 has 90 days; from 15 Feb, 45 days): half, rounded up.
        assert_eq!(due_in(1, &p("2026-Q1"), (day("2026-02-15"), None)), 1);
        assert_eq!(due_in(1, &p("2026-Q1"), (day("2026-02-16"), None)), 0);
        // Leap year: Q1 2028 has 91 days; from 15 Feb 2028, 46 days → one.
        assert_eq!(due_in(1, &p("2028-Q1"), (day("2028-02-15"), None)), 1);
        // Dissolved early in the year: the annual meeting is not owed.
        assert_eq!(due_in(1, &p("2026"), (day("2000-01-01"), Some(day("2026-03-31")))), 0);
        assert_eq!(due_in(1, &p("2026"), (day("2000-01-01"), Some(day("2026-07-02")))), 1);
        assert_eq!(
            due_in(1, &p("2026-03"), (day("2026-04-01"), None)),
            0,
            "not yet founded"
        );
    }

    #[test]
    fn windows_split_or_contain_the_request() {
        let codes = |d, r: &str| windows(d, &p(r)).iter().map(Period::code).collect::<Vec<_>>();
        assert_eq!(
            codes(PeriodKind::Month, "2026-Q2"),
            vec!["2026-04", "2026-05", "2026-06"]
        );
        assert_eq!(codes(PeriodKind::Quarter, "2026-03"), vec!["2026-Q1"]);
        assert_eq!(codes(PeriodKind::Quarter, "2026").len(), 4);
        assert_eq!(codes(PeriodKind::Year, "2026-Q4"), vec!["2026"]);
        assert_eq!(codes(PeriodKind::Month, "2026").len(), 12);
    }

    #[test]
    fn standing_at_period_ends() {
        let q1 = p("2026-Q1");
        assert_eq!(
            standing(&[(q1, 1, 0)], day("2026-03-31")),
            Standing::Due,
            "last day still open"
        );
        assert_eq!(standing(&[(q1, 1, 0)], day("2026-04-01")), Standing::Overdue);
        assert_eq!(standing(&[(q1, 1, 1)], day("2026-04-01")), Standing::Met);
        assert_eq!(standing(&[(q1, 0, 0)], day("2026-04-01")), Standing::NotApplicable);
        let y = p("2026");
        assert_eq!(standing(&[(y, 1, 0)], day("2026-12-31")), Standing::Due);
        assert_eq!(standing(&[(y, 1, 0)], day("2027-01-01")), Standing::Overdue, "year end");
        // A month of the quarter missed makes the quarter overdue though later months are met.
        let ms: Vec<_> = windows(PeriodKind::Month, &q1)
            .into_iter()
            .zip([1, 0, 1])
            .map(|(w, h)| (w, 1, h))
            .collect();
        assert_eq!(standing(&ms, day("2026-04-01")), Standing::Overdue);
    }

    #[test]
    fn the_last_ended_month() {
        assert_eq!(last_ended_month(day("2026-01-15")), "2025-12");
        assert_eq!(last_ended_month(day("2026-03-01")), "2026-02");
    }
}
