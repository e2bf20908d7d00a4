//! The rule table: every official or policy number the product encodes lives
//! here, with tests at its edges. Later modules add their tables to this file.
use chrono::NaiveDate;

/// Security policy defaults (等保 practice); the security admin may change them.
pub mod security {
    pub const PASSWORD_MIN_LENGTH: i64 = 8;
    /// Of the four classes: lower case, upper case, digits, symbols.
    pub const PASSWORD_MIN_CLASSES: i64 = 3;
    pub const PASSWORD_MAX_AGE_DAYS: i64 = 90;
    pub const PASSWORD_HISTORY: i64 = 5;
    pub const SESSION_IDLE_MINUTES: i64 = 30;
    pub const SESSION_ABSOLUTE_HOURS: i64 = 12;
    pub const LOCKOUT_THRESHOLD: i64 = 5;
    pub const LOCKOUT_MINUTES: i64 = 30;
    /// The last-seen time of a session is written at most this often.
    pub const SESSION_TOUCH_SECONDS: i64 = 60;
    /// Credential stuffing: this many failed logins from one client address
    /// (across all usernames) within THROTTLE_MINUTES answer 429 until the
    /// window moves on. Both are 安全策略 settings; these are the defaults.
    pub const THROTTLE_FAILURES: i64 = 20;
    pub const THROTTLE_MINUTES: i64 = 5;
    /// A username's failure count not touched for this long, and not locked,
    /// is forgotten (rows for names that do not exist do not pile up).
    pub const LOGIN_FAILURES_KEPT_HOURS: i64 = 24;
}

/// The audit chain's anchors (审计链锚点, written outside the database).
pub mod audit {
    /// A serving process writes the chain's head to the anchor file and the
    /// operators' log this often, when it has moved; records appended since the
    /// last anchor are what a cut tail can lose unnoticed.
    pub const ANCHOR_SECONDS: u64 = 60;
}

/// Audit records younger than this many calendar months cannot be purged.
pub const AUDIT_RETENTION_MONTHS: u32 = 6;

/// The earliest instant (ms, UTC) whose records may still be kept, i.e. the
/// purge cutoff may not be later than `now` minus 6 calendar months
/// (in Beijing time, clamped to the month's last day: 31 Aug → 28/29 Feb).
pub fn audit_purge_limit(now_ms: i64) -> i64 {
    use chrono::{Months, TimeZone};
    let local = crate::clock::beijing(now_ms);
    let back = local
        .checked_sub_months(Months::new(AUDIT_RETENTION_MONTHS))
        .unwrap_or(local);
    let tz = *local.offset();
    tz.from_local_datetime(&back.naive_local())
        .single()
        .map(|d| d.timestamp_millis())
        .unwrap_or(now_ms)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{FixedOffset, TimeZone};

    fn bj(y: i32, m: u32, d: u32, h: u32) -> i64 {
        FixedOffset::east_opt(8 * 3600)
            .unwrap()
            .with_ymd_and_hms(y, m, d, h, 0, 0)
            .unwrap()
            .timestamp_millis()
    }

    #[test]
    fn purge_limit_is_six_calendar_months() {
        assert_eq!(audit_purge_limit(bj(2026, 11, 28, 10)), bj(2026, 5, 28, 10));
        // 31 August minus 6 months clamps to the end of February, leap or not.
        assert_eq!(audit_purge_limit(bj(2028, 8, 31, 0)), bj(2028, 2, 29, 0));
        assert_eq!(audit_purge_limit(bj(2027, 8, 31, 0)), bj(2027, 2, 28, 0));
        // Across a year end.
        assert_eq!(audit_purge_limit(bj(2027, 3, 1, 0)), bj(2026, 9, 1, 0));
    }
}

/// An applicant must be at least this old (发展党员工作细则); also checked
/// against a member's joining date on the roster.
pub const MIN_JOINING_AGE: i32 = 18;

/// The day someone born on `birth` turns `years` (周岁): the same day of the
/// month `years` later, or the month's last day where there is none (民法典
/// art. 203), so someone born on 29 February turns a year older on 28
/// February of a common year. The one age rule of the product: the citizen
/// ID check, the roster, development and import all use it.
pub fn birthday(birth: NaiveDate, years: u32) -> NaiveDate {
    birth
        .checked_add_months(chrono::Months::new(years.saturating_mul(12)))
        .unwrap_or(NaiveDate::MAX)
}

/// Age in whole years (周岁) on `on`; negative before birth.
pub fn age_on(birth: NaiveDate, on: NaiveDate) -> i32 {
    use chrono::Datelike;
    let y = on.year() - birth.year();
    match u32::try_from(y) {
        Ok(n) if birthday(birth, n) > on => y - 1,
        Ok(_) => y,
        Err(_) => y,
    }
}

/// Whether someone born on `birth` is at least `MIN_JOINING_AGE` on `on`.
pub fn of_joining_age(birth: NaiveDate, on: NaiveDate) -> bool {
    age_on(birth, on) >= MIN_JOINING_AGE
}

#[cfg(test)]
mod age_tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn eighteen_on_the_birthday_and_29_february_on_the_months_last_day() {
        // An ordinary birthday: 17 the day before, 18 on the day.
        assert_eq!(age_on(d(2008, 3, 15), d(2026, 3, 14)), 17);
        assert_eq!(age_on(d(2008, 3, 15), d(2026, 3, 15)), 18);
        // Born 29 February 2008: 2026 is a common year, so 28 February.
        assert_eq!(age_on(d(2008, 2, 29), d(2026, 2, 27)), 17);
        assert_eq!(age_on(d(2008, 2, 29), d(2026, 2, 28)), 18);
        assert_eq!(age_on(d(2008, 2, 29), d(2026, 3, 1)), 18);
        assert_eq!(birthday(d(2008, 2, 29), 18), d(2026, 2, 28));
        // In a leap year the birthday is 29 February itself.
        assert_eq!(age_on(d(2008, 2, 29), d(2012, 2, 28)), 3);
        assert_eq!(age_on(d(2008, 2, 29), d(2012, 2, 29)), 4);
        // Born 28 February or 1 March, eighteenth year a leap year (2028).
        assert_eq!(age_on(d(2010, 2, 28), d(2028, 2, 27)), 17);
        assert_eq!(age_on(d(2010, 2, 28), d(2028, 2, 28)), 18);
        assert_eq!(age_on(d(2010, 3, 1), d(2028, 2, 29)), 17);
        assert_eq!(age_on(d(2010, 3, 1), d(2028, 3, 1)), 18);
        // Born in a leap year on 28 February / 1 March, eighteenth year common.
        assert_eq!(age_on(d(2008, 2, 28), d(2026, 2, 28)), 18);
        assert_eq!(age_on(d(2008, 3, 1), d(2026, 2, 28)), 17);
        assert_eq!(age_on(d(2008, 3, 1), d(2026, 3, 1)), 18);
        assert!(of_joining_age(d(2008, 2, 29), d(2026, 2, 28)));
        assert!(!of_joining_age(d(2008, 2, 29), d(2026, 2, 27)));
        assert_eq!(age_on(d(2026, 1, 2), d(2026, 1, 1)), -1);
    }
}

/// Membership dues (党费): monthly, on after-tax regular pay. Money is integer
/// fen (分) and rates are basis points (1 bp = 0.01 %), so every amount is exact.
pub mod dues {
    /// Basis points in a whole: a rate of `r` bp takes `r / 10_000` of the base.
    pub const BASIS_POINTS: i64 = 10_000;

    /// A rate schedule: a base pays the rate of the first bracket whose
    /// `up_to_fen` it does not exceed (edges are inclusive: exactly 3000 yuan
    /// is in the lowest bracket), and `above_rate_bp` above them all.
    #[derive(Clone, Copy, Debug)]
    pub struct Schedule {
        /// `(up_to_fen, rate_bp)`, ascending.
        pub brackets: &'static [(i64, i64)],
        pub above_rate_bp: i64,
    }

    /// Members in work: ≤ 3000 yuan 0.5 %, ≤ 5000 1 %, ≤ 10000 1.5 %, above 2 %.
    pub const WORKING: Schedule = Schedule {
        brackets: &[(300_000, 50), (500_000, 100), (1_000_000, 150)],
        above_rate_bp: 200,
    };

    /// Retired members: ≤ 5000 yuan 0.5 %, above 1 %.
    pub const RETIRED: Schedule = Schedule {
        brackets: &[(500_000, 50)],
        above_rate_bp: 100,
    };

    /// Students, the unemployed and those on subsistence allowance: 0.2 yuan.
    pub const LOW_INCOME_FEN: i64 = 20;
    /// Farmers pay from 0.2 to 1 yuan a month.
    pub const FARMER_MIN_FEN: i64 = 20;
    pub const FARMER_MAX_FEN: i64 = 100;

    /// Party Constitution art. 9: six consecutive months unpaid without proper
    /// reason counts as leaving the Party; the product warns at 3 and at 5.
    pub const ARREARS_FIRST_WARNING_MONTHS: u32 = 3;
    pub const ARREARS_FINAL_WARNING_MONTHS: u32 = 5;
    pub const ARREARS_LEAVING_MONTHS: u32 = 6;
}

/// Member development (发展党员工作细则): the timing of the 25 steps, in
/// calendar months unless named otherwise.
pub mod development {
    /// An applicant is at least this many years old when applying.
    pub const MIN_AGE_YEARS: u32 = super::MIN_JOINING_AGE as u32;
    /// The branch talks with an applicant within a month of the application.
    pub const TALK_WITHIN_MONTHS: u32 = 1;
    /// An activist is trained at least a year before becoming a candidate.
    pub const ACTIVIST_MIN_MONTHS: u32 = 12;
    /// The branch reviews each activist every six months.
    pub const ACTIVIST_REVIEW_EVERY_MONTHS: u32 = 6;
    /// Activists report in writing (思想汇报) every quarter.
    pub const ACTIVIST_REPORT_EVERY_MONTHS: u32 = 3;
    /// Concentrated training lasts at least 3 days or 24 class hours.
    pub const TRAINING_MIN_DAYS: u32 = 3;
    pub const TRAINING_MIN_CLASS_HOURS: u32 = 24;
    /// Introducers, each a full member.
    pub const INTRODUCERS: usize = 2;
    /// The superior committee approves within 3 months of the branch general
    /// meeting; in special cases at most 6.
    pub const APPROVAL_WITHIN_MONTHS: u32 = 3;
    pub const APPROVAL_MAX_MONTHS: u32 = 6;
    /// Probation is a year from the general meeting's acceptance.
    pub const PROBATION_MONTHS: u32 = 12;
    /// An extension of probation is at least half a year, at most a year.
    pub const EXTENSION_MIN_MONTHS: u32 = 6;
    pub const EXTENSION_MAX_MONTHS: u32 = 12;
    /// A step with a date shows on the to-do list this many days before it
    /// (product practice, not a Party rule); overdue steps always show.
    pub const REMINDER_DAYS: i64 = 30;
}

/// Branch structure (《中国共产党支部工作条例（试行）》): warnings, not blocks.
pub mod structure {
    /// A branch has at least this many full members.
    pub const BRANCH_MIN_FULL_MEMBERS: i64 = 3;
    /// A branch usually has at most this many members.
    pub const BRANCH_MAX_MEMBERS: i64 = 50;
    /// From this many full members a branch elects a committee (支委会).
    pub const COMMITTEE_REQUIRED_FROM: i64 = 7;
    /// Committee seats: usually 3 to 5, at most 7.
    pub const COMMITTEE_SEATS: (i64, i64) = (3, 5);
    pub const COMMITTEE_MAX_SEATS: i64 = 7;
    /// A term, in years (5 for villages and communities).
    pub const TERM_YEARS: i64 = 3;
    pub const TERM_YEARS_VILLAGE: i64 = 5;
    /// The organization's type (单位性质), code and label; villages and
    /// communities serve 5-year terms.
    pub const ORG_TYPES: [(&str, &str); 6] = [
        ("agency", "机关"),
        ("soe", "国有企业"),
        ("university", "高校"),
        ("village", "村"),
        ("community", "社区"),
        ("other", "其他"),
    ];
    /// The term an organization of `org_type` serves unless set otherwise.
    pub fn term_years_for(org_type: &str) -> i64 {
        match org_type {
            "village" | "community" => TERM_YEARS_VILLAGE,
            _ => TERM_YEARS,
        }
    }

    /// The re-election (换届) is announced this many days ahead.
    pub const REELECTION_WARNING_DAYS: i64 = 90;
    /// A joint branch (联合党支部) covers at most this many units.
    pub const JOINT_BRANCH_MAX_UNITS: usize = 5;

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn villages_and_communities_serve_five_years() {
            assert_eq!(term_years_for("village"), 5);
            assert_eq!(term_years_for("community"), 5);
            for t in ["agency", "soe", "university", "other", ""] {
                assert_eq!(term_years_for(t), 3);
            }
        }
    }
}

/// Transfers of membership (组织关系转接).
pub mod transfer {
    /// An introduction letter (介绍信) is valid for three months from issue.
    pub const LETTER_VALID_MONTHS: u32 = 3;
    /// The receiving organization decides (接收或退回) within 30 days; after
    /// that the pending transfer is shown as overdue.
    pub const DECIDE_WITHIN_DAYS: i64 = 30;
}

/// Evidence files (佐证材料) attached to records.
pub mod evidence {
    /// The largest file by default (20 MiB); the server's `--max-upload-mib` changes it.
    pub const MAX_BYTES: u64 = 20 * 1024 * 1024;
    /// A stored file no attachment refers to (its upload's caller failed) is
    /// collected once it is this old.
    pub const ORPHAN_AFTER_MS: i64 = 60 * 60 * 1000;
    /// Each account's storage quota for its uploads (上传配额) by default, in
    /// MiB; the security admin changes it in the security policy.
    pub const QUOTA_MIB: i64 = 1024;
    /// The range the security policy accepts for the quota (1 MiB to 1 TiB).
    pub const QUOTA_MIB_RANGE: (i64, i64) = (1, 1024 * 1024);
}

/// Organizational life (组织生活, 《中国共产党支部工作条例（试行）》 and practice).
/// The frequencies are defaults; the top organization may change them per
/// organization type (`life::frequencies`), and each change is audited.
/// Reading superior views from a streaming replica (只读副本).
pub mod replica {
    /// A replica further behind than this is not read; the primary answers.
    pub const MAX_LAG_SECONDS: f64 = 60.0;
}

pub mod life {
    /// How often `serve` keeps the current year's compliance counts built and
    /// applies pending marks (a reader applies them too, so this bounds only
    /// how long a reader may have to wait, not staleness).
    pub const KEEP_COUNTS_SECONDS: u64 = 300;
    /// (meeting kind, organization kind, period, times per period): what an
    /// organization of that kind must hold. Kinds not listed for an
    /// organization kind do not apply to it.
    pub const FREQUENCIES: &[(&str, &str, &str, i64)] = &[
        ("general_meeting", "branch", "quarter", 1),
        ("committee_meeting", "branch", "month", 1),
        ("group_meeting", "group", "month", 1),
        ("party_lecture", "branch", "quarter", 1),
        ("theme_day", "branch", "month", 1),
        ("life_meeting", "branch", "year", 1),
        ("appraisal", "branch", "year", 1),
        ("talk", "branch", "year", 1),
        // Committees' own obligations (党委、党总支): the committee meeting
        // monthly; 理论学习中心组学习 quarterly for a 党委 (a 党总支 where the top
        // organization sets it: 0 is not required); 民主生活会 yearly.
        ("party_committee_meeting", "committee", "month", 1),
        ("party_committee_meeting", "general_branch", "month", 1),
        ("theory_study", "committee", "quarter", 1),
        ("theory_study", "general_branch", "quarter", 0),
        ("democratic_life", "committee", "year", 1),
    ];
    /// The branch secretary lectures (讲党课) at least this often a year.
    pub const SECRETARY_LECTURES_PER_YEAR: i64 = 1;
    /// A general meeting is valid with more than half (1/2) of the voting
    /// members present, and a resolution passes with the votes of more than
    /// half of all voting members (not only of those present).
    pub const QUORUM: (i64, i64) = (1, 2);
    pub const PASSING: (i64, i64) = (1, 2);
    /// The committee meeting (支委会, 党委会) needs more than half of its members.
    pub const COMMITTEE_QUORUM: (i64, i64) = (1, 2);
    /// 民主评议: 优秀 usually at most a third of those graded.
    pub const EXCELLENT_MAX_SHARE: (i64, i64) = (1, 3);
    /// Party Constitution art. 9: six consecutive months without organizational
    /// life counts as leaving; the product warns at three and at five.
    pub const ABSENCE_WARNING_MONTHS: [u32; 2] = [3, 5];
    pub const ABSENCE_LEAVING_MONTHS: u32 = 6;
    /// The warnings look back this many ended months (a longer run shows as this many).
    pub const ABSENCE_LOOKBACK_MONTHS: u32 = 12;
    /// The meeting form lists every member up to this many; a larger
    /// organization's form lists its committee and finds the others by name.
    pub const MEETING_FORM_LIST_MAX: i64 = 60;
    /// A meeting planned within this many days is a to-do.
    pub const REMINDER_DAYS: i64 = 7;
}

/// Outbound notifications (消息通知): how the background job retries a send.
pub mod notify {
    use crate::clock::{HOUR_MS, MINUTE_MS};

    /// The wait after the 1st, 2nd, … failed attempt before the next one.
    pub const RETRY_AFTER_MS: [i64; 4] = [MINUTE_MS, 5 * MINUTE_MS, 30 * MINUTE_MS, 2 * HOUR_MS];
    /// After this many failed attempts a message is given up (status failed).
    pub const MAX_ATTEMPTS: i64 = 5;
    /// How long a server holds a message it has taken to send before another
    /// server may take it (a server that died mid-send).
    pub const LEASE_MS: i64 = 2 * MINUTE_MS;
    /// Messages one run of the job takes.
    pub const BATCH: i64 = 50;
    /// The job runs this often.
    pub const POLL_SECONDS: u64 = 30;
    /// A vendor's answer is kept up to this many characters.
    pub const RESPONSE_CHARS: usize = 500;
    /// Connect-and-answer limit of one send.
    pub const TIMEOUT_SECONDS: u64 = 10;

    /// When to try again after `attempts` failed attempts, or `None` when the
    /// message is given up.
    pub fn next_attempt(now_ms: i64, attempts: i64) -> Option<i64> {
        if !(1..MAX_ATTEMPTS).contains(&attempts) {
            return None;
        }
        let i = (attempts - 1) as usize;
        RETRY_AFTER_MS.get(i).map(|d| now_ms + d)
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn backoff_then_give_up() {
            assert_eq!(next_attempt(0, 1), Some(MINUTE_MS));
            assert_eq!(next_attempt(0, 2), Some(5 * MINUTE_MS));
            assert_eq!(next_attempt(0, 3), Some(30 * MINUTE_MS));
            assert_eq!(next_attempt(0, 4), Some(2 * HOUR_MS));
            assert_eq!(next_attempt(0, MAX_ATTEMPTS), None);
            assert_eq!(next_attempt(0, 0), None);
        }
    }
}

/// Current limits on digital Party work (2024 rules on reducing grassroots
/// burden, 2026 rules on government mobile applications): no indicator may
/// score clicks, log-in or online time, likes, reposts, check-ins, points
/// rankings, votes, uploads without need, or minutes spent in an app.
/// Completing a required course, counted in its class hours (学时), may count.
/// Every place that sets up a measure (plan KPIs, Party tasks, later the
/// assessment's indicators) checks it with [`formalism::check`].
pub mod formalism {
    use crate::{Error, Result};

    /// The rule named in every refusal.
    pub const RULE: &str =
        "不得以打卡签到、积分排名、在线时长、点赞转发等作为考核指标（2024年整治形式主义为基层减负若干规定）";

    /// (term found in the text, what it scores). Matched on the text with
    /// spaces removed and full-width letters and digits folded.
    pub const FORBIDDEN: &[(&str, &str)] = &[
        ("点击", "点击量"),
        ("浏览量", "点击量"),
        ("阅读量", "点击量"),
        ("登录", "登录次数或时长"),
        ("登陆", "登录次数或时长"),
        ("在线时长", "在线时长"),
        ("在线时间", "在线时长"),
        ("在线学习", "在线时长"),
        ("学习时长", "应用内学习时长"),
        ("观看时长", "应用内学习时长"),
        ("使用时长", "应用内学习时长"),
        ("停留时长", "应用内学习时长"),
        ("点赞", "点赞"),
        ("转发", "转发"),
        ("打卡", "打卡签到"),
        ("签到", "打卡签到"),
        ("积分排名", "积分排名"),
        ("积分排行", "积分排名"),
        ("积分榜", "积分排名"),
        ("投票数", "投票数"),
        ("上传照片", "照片上传"),
        ("照片数", "照片上传"),
        ("轨迹", "轨迹上传"),
    ];

    /// The first forbidden source a text describes: (term, what it scores).
    pub fn forbidden_in(text: &str) -> Option<(&'static str, &'static str)> {
        let t: String = crate::people::normalize(text)
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        FORBIDDEN.iter().copied().find(|(term, _)| t.contains(term))
    }

    /// Refuses a measure (`what`: 指标, 任务…) that scores a forbidden source,
    /// naming it and the rule; `field` is the form field it came from.
    pub fn check(field: &str, what: &str, text: &str) -> Result<()> {
        match forbidden_in(text) {
            None => Ok(()),
            Some((_, label)) => Err(Error::invalid(
                field,
                format!("{what}“{}”以{label}计分，不符合基层减负规定：{RULE}", text.trim()),
            )),
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn class_hours_of_a_required_course_count_time_in_the_app_does_not() {
            assert!(check("f", "指标", "必修课程学时完成率").is_ok());
            assert!(check("f", "指标", "集中培训学时").is_ok());
            assert!(check("f", "指标", "“三会一课”按期召开率").is_ok());
            assert!(check("f", "指标", "窗口差评件数").is_ok());
            for bad in [
                "在线学习时长",
                "党员学习 时长",
                "学习强国积分排名",
                "每日打卡率",
                "会议签到率",
                "公众号文章点赞数",
                "转发量",
                "平台登录次数",
                "页面点击量",
                "ＡＰＰ在线时长",
            ] {
                let e = check("指标1名称", "指标", bad).unwrap_err().to_string();
                assert!(e.contains("不符合基层减负规定"), "{bad}: {e}");
                assert!(e.contains("2024年整治形式主义为基层减负若干规定"), "{bad}: {e}");
            }
            assert_eq!(forbidden_in("在线学习时长").map(|f| f.1), Some("在线时长"));
        }
    }
}

/// Spreadsheet imports (.xlsx and .csv): bounds that keep any file, however
/// made, from exhausting the server's memory, with room for a roster of
/// 100,000 people in about 40 columns (19 MB as .xlsx, 195 MB inflated).
pub mod import {
    /// Data rows one file may hold (the header row not counted).
    pub const MAX_ROWS: usize = 100_000;
    /// An import writing at least this many rows is a bulk load: it writes
    /// with a bigger page cache (SQLite) and refreshes the planner's
    /// statistics of the table it wrote (ANALYZE) before it answers.
    pub const BULK_FROM_ROWS: usize = 1_000;
    /// Columns a row may reach (a roster exported from elsewhere has about 40;
    /// the templates have at most 16).
    pub const MAX_COLUMNS: usize = 256;
    /// Cells the sheet may hold, the blank ones between filled cells included
    /// (100,001 rows × 40 columns is 4,000,040).
    pub const MAX_CELLS: usize = 5_000_000;
    const _: () = assert!(
        MAX_CELLS >= (MAX_ROWS + 1) * 40,
        "a 100,000-row roster of 40 columns fits"
    );
    /// Characters in one cell (the longest text any import takes is 2,000).
    pub const MAX_CELL_CHARS: usize = 10_000;
    /// Bytes of text (UTF-8) in all cells together.
    pub const MAX_TEXT_BYTES: usize = 128 * 1024 * 1024;
    /// Entries in an .xlsx (a zip); a workbook has a dozen or two.
    pub const MAX_ENTRIES: usize = 1_000;
    /// Bytes all entries of an .xlsx inflate to, together, counted while
    /// inflating (the sizes a zip declares are not trusted).
    pub const MAX_UNCOMPRESSED_BYTES: u64 = 512 * 1024 * 1024;
    /// An entry may inflate to at most this many times its compressed size once
    /// past [`RATIO_FROM_BYTES`]: a workbook's XML inflates about 10 times,
    /// a zip bomb about 1,000.
    pub const MAX_RATIO: u64 = 100;
    /// Below this an entry's ratio is not judged (tiny parts compress oddly).
    pub const RATIO_FROM_BYTES: u64 = 1024 * 1024;
    /// One XML tag, text run or comment of an .xlsx part; the longest a cell
    /// can hold (32,767 characters) is under 100 KiB.
    pub const MAX_XML_EVENT_BYTES: u64 = 1024 * 1024;

    /// Whether a file may hold a cell in `row` (0-based: the header is row 0).
    pub fn row_fits(row: usize) -> bool {
        row <= MAX_ROWS
    }

    /// Whether a file may hold a cell in `column` (0-based: A is 0).
    pub fn column_fits(column: usize) -> bool {
        column < MAX_COLUMNS
    }

    /// Whether an entry that inflated to `inflated` bytes from `compressed`
    /// has passed the ratio a workbook can have.
    pub fn ratio_exceeded(inflated: u64, compressed: u64) -> bool {
        inflated > RATIO_FROM_BYTES && inflated > compressed.max(1).saturating_mul(MAX_RATIO)
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn rows_and_columns_at_their_edges() {
            // The header is row 0, so row 100,000 is the 100,000th data row.
            assert!(row_fits(100_000) && !row_fits(100_001));
            assert!(column_fits(255) && !column_fits(256));
            assert!(row_fits(0) && column_fits(0));
        }

        #[test]
        fn ratio_at_its_edges() {
            let mib = 1024 * 1024;
            assert!(!ratio_exceeded(200 * mib, 2 * mib), "100 times");
            assert!(ratio_exceeded(200 * mib + 1, 2 * mib));
            assert!(!ratio_exceeded(mib, 1), "an entry up to 1 MiB is not judged");
            assert!(ratio_exceeded(mib + 1, 1));
            assert!(ratio_exceeded(mib + 1, 0), "a stored size of 0 counts as 1");
        }
    }
}

/// Standardization (标准化规范化建设): grades, deadlines, weak-organization flags.
pub mod standard;

/// Assessment (考核评价): grades, bonus cap, ballot threshold, appeal window, sources.
pub mod assess;

/// The to-do list (待办).
pub mod todo {
    /// A deadline within this many days reads 即将到期 (product practice).
    pub const SOON_DAYS: i64 = 7;
}

/// The rule table's numbers as Chinese texts read them, so a template or a
/// message that names a number shows the table's value: 一, 十二, 三分之一, 半数.
pub mod words {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];

    /// A count in Chinese numerals up to 99 (一, 十, 十二, 二十三); digits beyond.
    pub fn numeral(n: impl Into<i64>) -> String {
        let n: i64 = n.into();
        let digit = |d: i64| DIGITS.get(d as usize).copied().unwrap_or("");
        match n {
            0..=9 => digit(n).to_string(),
            10..=19 => format!("十{}", if n == 10 { "" } else { digit(n - 10) }),
            20..=99 => format!("{}十{}", digit(n / 10), if n % 10 == 0 { "" } else { digit(n % 10) }),
            _ => n.to_string(),
        }
    }

    /// A share as a fraction: (1, 3) → 三分之一, (2, 5) → 五分之二.
    pub fn fraction((a, b): (i64, i64)) -> String {
        format!("{}分之{}", numeral(b), numeral(a))
    }

    /// A share as a rule sentence names it: 半数 for a half, else the fraction.
    pub fn share(q: (i64, i64)) -> String {
        if q.0 * 2 == q.1 {
            "半数".to_string()
        } else {
            fraction(q)
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn numerals_fractions_and_half() {
            let got: Vec<String> = [0i64, 1, 3, 10, 12, 20, 23, 99, 100].map(numeral).to_vec();
            assert_eq!(got, ["零", "一", "三", "十", "十二", "二十", "二十三", "九十九", "100"]);
            assert_eq!(fraction((1, 3)), "三分之一");
            assert_eq!(fraction((2, 5)), "五分之二");
            assert_eq!(share((1, 2)), "半数");
            assert_eq!(share((2, 4)), "半数");
            assert_eq!(share((2, 3)), "三分之二");
        }
    }
}
