//! Assessment (考核评价): the grades of the annual 述职评议考核, the high-line
//! bonus cap, the ballot threshold that keeps the masses anonymous, the
//! appeal window, and the sources an indicator may be computed from. Grade
//! thresholds, the bonus cap and the appeal window are defaults an
//! assessment may change; the ballot threshold is not.

/// Shares and weights are basis points: 10 000 = 100 %.
pub const WHOLE_BP: i64 = 10_000;
/// Points are kept in hundredths (12.5 points → 1 250).
pub const POINT_SCALE: i64 = 100;

/// 好 from 90 % of the full score, 较好 from 80 %, 一般 from 60 %, 差 below.
pub const GOOD_FROM_BP: i64 = 9_000;
pub const FAIRLY_GOOD_FROM_BP: i64 = 8_000;
pub const FAIR_FROM_BP: i64 = 6_000;

/// High-line (高线) items add at most this many points (hundredths) above the full score.
pub const BONUS_CAP: i64 = 5 * POINT_SCALE;
/// An assessment may set its cap up to this.
pub const BONUS_CAP_MAX: i64 = 20 * POINT_SCALE;

/// A group's tally of anonymous ballots for a target is shown from this many
/// ballots (样本不足 below), so no single ballot can be read back.
pub const MIN_BALLOTS: i64 = 5;

/// An appeal (申诉) may be filed within this many days of publication (closing).
pub const APPEAL_DAYS: i64 = 15;
pub const APPEAL_DAYS_RANGE: (i64, i64) = (1, 90);

/// A baseline (底线) item computed or rated passes from this share of its
/// full points unless the indicator sets its own.
pub const BASELINE_PASS_BP: i64 = WHOLE_BP;

/// Sizes an assessment may take.
pub const MAX_INDICATORS: usize = 100;
pub const MAX_FULL_POINTS: i64 = 100 * POINT_SCALE;
pub const MAX_TARGETS: usize = 100_000;
/// Ballots issued in one request.
pub const MAX_BALLOTS_PER_ISSUE: i64 = 1_000;

/// The sources a computed indicator may read, with what each measures.
/// Anything else is refused with [`super::formalism::RULE`].
pub const METRICS: &[(&str, &str)] = &[
    ("life_compliance", "组织生活按期开展率（应开展的会议中按期召开的比例）"),
    ("kpi_attainment", "业务指标平均完成度（年度计划中各项指标的完成度）"),
    ("task_completion", "党建任务按期完成率"),
    ("study_completion", "必修课程学时完成率"),
    ("rectification_closure", "问题按期整改销号率"),
    ("dues_on_time", "党费按月交纳率"),
];

/// Source names that score what the 2024 rules forbid, as they are spelled
/// in English identifiers (matched on the name with separators removed):
/// (fragment, what it scores).
pub const FORBIDDEN_METRIC_WORDS: &[(&str, &str)] = &[
    ("online", "在线时长"),
    ("login", "登录次数或时长"),
    ("logon", "登录次数或时长"),
    ("signin", "打卡签到"),
    ("checkin", "打卡签到"),
    ("punch", "打卡签到"),
    ("attendancecheck", "打卡签到"),
    ("click", "点击量"),
    ("pageview", "点击量"),
    ("views", "点击量"),
    ("like", "点赞"),
    ("thumb", "点赞"),
    ("repost", "转发"),
    ("forward", "转发"),
    ("share", "转发"),
    ("ranking", "积分排名"),
    ("leaderboard", "积分排名"),
    ("pointsrank", "积分排名"),
    ("minute", "应用内学习时长"),
    ("duration", "应用内学习时长"),
    ("timeinapp", "应用内学习时长"),
    ("apptime", "应用内学习时长"),
    ("screentime", "应用内学习时长"),
    ("studytime", "应用内学习时长"),
    ("vote", "投票数"),
    ("photo", "照片上传"),
    ("track", "轨迹上传"),
];

/// What a forbidden source name scores, if it is one.
pub fn forbidden_metric(name: &str) -> Option<&'static str> {
    let folded: String = crate::people::normalize(name)
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect();
    FORBIDDEN_METRIC_WORDS
        .iter()
        .find(|(w, _)| folded.contains(w))
        .map(|(_, what)| *what)
        .or_else(|| super::formalism::forbidden_in(name).map(|(_, what)| what))
}

/// Whether thresholds are usable: 0 < 一般 < 较好 < 好 ≤ 100 %.
pub fn thresholds_valid(good: i64, fairly_good: i64, fair: i64) -> bool {
    0 < fair && fair < fairly_good && fairly_good < good && good <= WHOLE_BP
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forbidden_names_are_recognised_and_allowed_sources_are_not() {
        for bad in [
            "online_time",
            "clicks",
            "likes",
            "check_ins",
            "Check-In",
            "login_count",
            "reposts",
            "points_ranking",
            "app_minutes",
            "在线时长",
            "点赞数",
        ] {
            assert!(forbidden_metric(bad).is_some(), "{bad}");
        }
        for (ok, _) in METRICS {
            assert_eq!(forbidden_metric(ok), None, "{ok}");
        }
    }

    #[test]
    fn default_thresholds_are_valid_and_ordered() {
        assert!(thresholds_valid(GOOD_FROM_BP, FAIRLY_GOOD_FROM_BP, FAIR_FROM_BP));
        assert!(!thresholds_valid(9_000, 9_000, 6_000));
        assert!(!thresholds_valid(10_001, 8_000, 6_000));
        assert!(!thresholds_valid(9_000, 8_000, 0));
        assert!(thresholds_valid(WHOLE_BP, 2, 1));
        assert_eq!(MIN_BALLOTS, 5);
        assert_eq!(BONUS_CAP, 500);
        assert_eq!(APPEAL_DAYS, 15);
    }
}
