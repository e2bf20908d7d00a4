use crate::rules::dues::{
    Schedule, ARREARS_FINAL_WARNING_MONTHS, ARREARS_FIRST_WARNING_MONTHS, ARREARS_LEAVING_MONTHS, BASIS_POINTS,
    FARMER_MAX_FEN, FARMER_MIN_FEN, LOW_INCOME_FEN, RETIRED, WORKING,
};
use crate::{Error, Result};
use serde::Serialize;

/// Who a member is for dues purposes; decides the rate or the fixed amount.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DuesCategory {
    Working,
    Retired,
    Student,
    Unemployed,
    Subsistence,
    Farmer,
}

impl DuesCategory {
    pub const ALL: [DuesCategory; 6] = [
        DuesCategory::Working,
        DuesCategory::Retired,
        DuesCategory::Student,
        DuesCategory::Unemployed,
        DuesCategory::Subsistence,
        DuesCategory::Farmer,
    ];

    pub fn code(self) -> &'static str {
        match self {
            DuesCategory::Working => "working",
            DuesCategory::Retired => "retired",
            DuesCategory::Student => "student",
            DuesCategory::Unemployed => "unemployed",
            DuesCategory::Subsistence => "subsistence",
            DuesCategory::Farmer => "farmer",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            DuesCategory::Working => "在职",
            DuesCategory::Retired => "离退休",
            DuesCategory::Student => "学生",
            DuesCategory::Unemployed => "失业",
            DuesCategory::Subsistence => "低保",
            DuesCategory::Farmer => "农民",
        }
    }
    pub fn from_code(s: &str) -> Option<DuesCategory> {
        DuesCategory::ALL.into_iter().find(|c| c.code() == s)
    }
}

/// The monthly dues in fen. `base_fen` is the monthly after-tax regular pay
/// (it only matters for working and retired members); `farmer_amount_fen` is
/// the amount a farmer pays (0.2 to 1 yuan) and is ignored for everyone else.
pub fn monthly_dues_fen(category: DuesCategory, base_fen: i64, farmer_amount_fen: Option<i64>) -> Result<i64> {
    if base_fen < 0 {
        return Err(Error::invalid("党费计算基数", "不能为负数"));
    }
    match category {
        DuesCategory::Working => at_rate(base_fen, rate_bp(&WORKING, base_fen)),
        DuesCategory::Retired => at_rate(base_fen, rate_bp(&RETIRED, base_fen)),
        DuesCategory::Student | DuesCategory::Unemployed | DuesCategory::Subsistence => Ok(LOW_INCOME_FEN),
        DuesCategory::Farmer => match farmer_amount_fen {
            Some(fen) if (FARMER_MIN_FEN..=FARMER_MAX_FEN).contains(&fen) => Ok(fen),
            _ => Err(Error::invalid(
                "农民党费",
                format!("每月应交 {} 元至 {} 元", yuan(FARMER_MIN_FEN), yuan(FARMER_MAX_FEN)),
            )),
        },
    }
}

/// 20 → "0.20".
fn yuan(fen: i64) -> String {
    format!("{}.{:02}", fen / 100, fen % 100)
}

fn rate_bp(schedule: &Schedule, base_fen: i64) -> i64 {
    schedule
        .brackets
        .iter()
        .find(|(up_to, _)| base_fen <= *up_to)
        .map_or(schedule.above_rate_bp, |(_, rate)| *rate)
}

/// `base_fen × rate_bp / 10 000`, rounded half-up to the fen (the base is never
/// negative here, so adding half and truncating is half-up).
fn at_rate(base_fen: i64, rate_bp: i64) -> Result<i64> {
    let scale = i128::from(BASIS_POINTS);
    let fen = (i128::from(base_fen) * i128::from(rate_bp) + scale / 2) / scale;
    i64::try_from(fen).map_err(|_| Error::invalid("党费计算基数", "数额过大"))
}

/// "2026-03" as a count of months since year 0, so months compare and subtract.
fn parse_month(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    let digits = |r: &[u8]| r.iter().all(u8::is_ascii_digit);
    if b.len() != 7 || b[4] != b'-' || !digits(&b[..4]) || !digits(&b[5..]) {
        return None;
    }
    let year: i64 = s[..4].parse().ok()?;
    let month: i64 = s[5..].parse().ok()?;
    (1..=12).contains(&month).then_some(year * 12 + month - 1)
}

/// Checks a "YYYY-MM" month as typed or imported.
pub fn validate_month(s: &str) -> Result<()> {
    parse_month(s)
        .map(|_| ())
        .ok_or_else(|| Error::invalid("月份", "格式应为 2026-03"))
}

/// The base in force in `month`: the one that applies from the latest month
/// not after it (a new base applies from the month the new pay starts). Of two
/// bases from the same month the later in the slice wins, so a correction is
/// appended. Malformed months never match; validate them on entry.
pub fn base_for_month(bases: &[(String, i64)], month: &str) -> Option<i64> {
    let month = parse_month(month)?;
    bases
        .iter()
        .filter_map(|(from, fen)| Some((parse_month(from)?, *fen)))
        .filter(|(from, _)| *from <= month)
        .max_by_key(|(from, _)| *from)
        .map(|(_, fen)| fen)
}

/// How many months in a row are unpaid, counting back from `through_month`
/// (included) and stopping at the latest paid month or at `since_month` (the
/// first month dues were owed, included). Malformed months count as nothing:
/// validate them on entry.
pub fn consecutive_unpaid_months(paid_months: &[String], through_month: &str, since_month: &str) -> u32 {
    let (Some(through), Some(since)) = (parse_month(through_month), parse_month(since_month)) else {
        return 0;
    };
    if through < since {
        return 0;
    }
    let latest_paid = paid_months
        .iter()
        .filter_map(|m| parse_month(m))
        .filter(|m| (since..=through).contains(m))
        .max();
    let unpaid = match latest_paid {
        Some(paid) => through - paid,
        None => through - since + 1,
    };
    u32::try_from(unpaid).unwrap_or(u32::MAX)
}

/// 党费交至 (dues paid up to): the last month of the unbroken run of paid
/// months that starts at `from` (the first month the product tracks), or
/// None when `from` itself is unpaid. A gap ends the run, so a member who
/// skipped March and paid April is paid up to February, not April; months
/// paid in advance extend it.
pub fn paid_through(paid_months: &[String], from: &str) -> Option<String> {
    let paid: std::collections::BTreeSet<i64> = paid_months.iter().filter_map(|m| parse_month(m)).collect();
    let mut m = parse_month(from)?;
    if !paid.contains(&m) {
        return None;
    }
    while paid.contains(&(m + 1)) {
        m += 1;
    }
    add_months(from, m - parse_month(from)?)
}

/// The warning for a run of unpaid months: from `ARREARS_FIRST_WARNING_MONTHS`
/// (3), sharper from `ARREARS_FINAL_WARNING_MONTHS` (5), and from
/// `ARREARS_LEAVING_MONTHS` (6) the Party Constitution's art. 9 applies.
pub fn arrears_warning(consecutive: u32) -> Option<String> {
    let (first, leaving) = (ARREARS_FIRST_WARNING_MONTHS, ARREARS_LEAVING_MONTHS);
    if consecutive >= leaving {
        Some(format!(
            "已连续{leaving}个月以上未交纳党费：没有正当理由的，依照党章第九条视为自行脱党，请支部核实情况并按规定处理"
        ))
    } else if consecutive >= ARREARS_FINAL_WARNING_MONTHS {
        Some(format!(
            "已连续{consecutive}个月未交纳党费：连续{leaving}个月不交纳且没有正当理由的，依照党章第九条视为自行脱党，请立即谈话提醒"
        ))
    } else if consecutive >= first {
        Some(format!("已连续{first}个月以上未交纳党费，请及时提醒补交"))
    } else {
        None
    }
}

/// The month `n` months after `month` (before it for a negative `n`), or
/// None for a malformed month.
pub fn add_months(month: &str, n: i64) -> Option<String> {
    let m = parse_month(month)?.checked_add(n)?;
    (0..10_000 * 12)
        .contains(&m)
        .then(|| format!("{:04}-{:02}", m / 12, m % 12 + 1))
}

/// How many months `to` lies after `from` (negative when before), or None
/// when either is malformed.
pub fn months_from(from: &str, to: &str) -> Option<i64> {
    Some(parse_month(to)? - parse_month(from)?)
}

/// The rate as the ledger shows it: "1.5%" for a bracket of pay, "定额" for
/// the fixed amounts.
pub fn rate_label(category: DuesCategory, base_fen: i64) -> String {
    let bp = match category {
        DuesCategory::Working => rate_bp(&WORKING, base_fen),
        DuesCategory::Retired => rate_bp(&RETIRED, base_fen),
        _ => return "定额".into(),
    };
    let hundredths = format!("{:02}", bp % 100);
    match hundredths.trim_end_matches('0') {
        "" => format!("{}%", bp / 100),
        frac => format!("{}.{frac}%", bp / 100),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use DuesCategory::*;

    #[test]
    fn paid_through_stops_at_the_first_gap() {
        let m = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            paid_through(&m(&["2026-01", "2026-02", "2026-03"]), "2026-01").as_deref(),
            Some("2026-03")
        );
        // A gap: March unpaid, April paid.
        assert_eq!(
            paid_through(&m(&["2026-01", "2026-02", "2026-04"]), "2026-01").as_deref(),
            Some("2026-02")
        );
        // Across a year end, any order, paid ahead.
        assert_eq!(
            paid_through(&m(&["2027-01", "2026-12", "2026-11"]), "2026-11").as_deref(),
            Some("2027-01")
        );
        // The first tracked month unpaid: nothing to state.
        assert_eq!(paid_through(&m(&["2026-02"]), "2026-01"), None);
        assert_eq!(paid_through(&[], "2026-01"), None);
    }

    fn working(base_fen: i64) -> i64 {
        monthly_dues_fen(Working, base_fen, None).unwrap()
    }
    fn retired(base_fen: i64) -> i64 {
        monthly_dues_fen(Retired, base_fen, None).unwrap()
    }
    fn invalid_field(r: Result<i64>) -> String {
        match r {
            Err(Error::Invalid { field, .. }) => field,
            other => panic!("expected Invalid, got {other:?}"),
        }
    }
    fn months(ms: &[&str]) -> Vec<String> {
        ms.iter().map(|m| m.to_string()).collect()
    }

    #[test]
    fn working_brackets_include_their_upper_edge() {
        assert_eq!(working(0), 0);
        // 2999.99 yuan at 0.5 % is 1499.995 fen, rounded up.
        assert_eq!(working(299_999), 1_500);
        assert_eq!(working(300_000), 1_500);
        // 3000.01 yuan is in the 1 % bracket: 3000.01 fen.
        assert_eq!(working(300_001), 3_000);
        assert_eq!(working(499_999), 5_000);
        assert_eq!(working(500_000), 5_000);
        assert_eq!(working(500_001), 7_500);
        // 9999.99 yuan at 1.5 % is 14999.985 fen.
        assert_eq!(working(999_999), 15_000);
        assert_eq!(working(1_000_000), 15_000);
        assert_eq!(working(1_000_001), 20_000);
        assert_eq!(working(2_500_000), 50_000);
    }

    #[test]
    fn amounts_round_half_up_to_the_fen() {
        // 0.5 %: 1 yuan gives 0.5 fen, 0.99 yuan gives 0.495 fen.
        assert_eq!(working(100), 1);
        assert_eq!(working(99), 0);
        // 1 %: 3000.50 yuan gives 3000.5 fen, 3000.49 yuan 3000.49 fen.
        assert_eq!(working(300_050), 3_001);
        assert_eq!(working(300_049), 3_000);
        // 1.5 %: 5001.00 yuan gives 7501.5 fen; 5000.99 yuan 7501.485 fen.
        assert_eq!(working(500_100), 7_502);
        assert_eq!(working(500_099), 7_501);
        // 2 %: 10000.25 yuan gives 20000.5 fen; 10000.24 yuan 20000.48 fen.
        assert_eq!(working(1_000_025), 20_001);
        assert_eq!(working(1_000_024), 20_000);
    }

    #[test]
    fn retired_brackets() {
        assert_eq!(retired(0), 0);
        assert_eq!(retired(499_999), 2_500);
        assert_eq!(retired(500_000), 2_500);
        assert_eq!(retired(500_001), 5_000);
        // No higher bracket for retired members.
        assert_eq!(retired(1_000_001), 10_000);
        assert_eq!(retired(500_050), 5_001);
        assert_eq!(retired(500_049), 5_000);
    }

    #[test]
    fn fixed_categories_ignore_the_base() {
        for c in [Student, Unemployed, Subsistence] {
            assert_eq!(monthly_dues_fen(c, 0, None).unwrap(), 20);
            assert_eq!(monthly_dues_fen(c, 800_000, None).unwrap(), 20);
        }
    }

    #[test]
    fn farmers_pay_their_amount_within_limits() {
        assert_eq!(monthly_dues_fen(Farmer, 0, Some(20)).unwrap(), 20);
        assert_eq!(monthly_dues_fen(Farmer, 0, Some(55)).unwrap(), 55);
        assert_eq!(monthly_dues_fen(Farmer, 0, Some(100)).unwrap(), 100);
        for bad in [None, Some(19), Some(101), Some(0), Some(-20)] {
            assert_eq!(invalid_field(monthly_dues_fen(Farmer, 0, bad)), "农民党费");
        }
        let message = monthly_dues_fen(Farmer, 0, Some(101)).unwrap_err().to_string();
        assert_eq!(message, "农民党费：每月应交 0.20 元至 1.00 元");
        // Only farmers use the amount.
        assert_eq!(monthly_dues_fen(Working, 100_000, Some(100)).unwrap(), 500);
    }

    #[test]
    fn negative_base_is_refused_for_everyone() {
        for c in DuesCategory::ALL {
            assert_eq!(invalid_field(monthly_dues_fen(c, -1, Some(50))), "党费计算基数");
        }
    }

    #[test]
    fn huge_bases_do_not_overflow() {
        assert_eq!(working(i64::MAX), (i128::from(i64::MAX) * 2 / 100) as i64);
    }

    #[test]
    fn categories_round_trip_their_codes() {
        for c in DuesCategory::ALL {
            assert_eq!(DuesCategory::from_code(c.code()), Some(c));
        }
        assert_eq!(DuesCategory::from_code("在职"), None);
        let labels: Vec<_> = DuesCategory::ALL.iter().map(|c| c.label()).collect();
        assert_eq!(labels, ["在职", "离退休", "学生", "失业", "低保", "农民"]);
    }

    #[test]
    fn months_are_validated() {
        for ok in ["2026-03", "2025-12", "2026-01"] {
            assert!(validate_month(ok).is_ok(), "{ok}");
        }
        for bad in [
            "2026-3",
            "2026-13",
            "2026-00",
            "26-03",
            "2026/03",
            "2026-03-01",
            "２０２６-03",
            "",
            "2026-+3",
        ] {
            match validate_month(bad) {
                Err(Error::Invalid { field, message }) => {
                    assert_eq!(field, "月份");
                    assert_eq!(message, "格式应为 2026-03");
                }
                other => panic!("{bad}: {other:?}"),
            }
        }
    }

    #[test]
    fn a_new_base_applies_from_its_month() {
        let bases = vec![("2026-01".to_string(), 600_000), ("2025-07".to_string(), 500_000)];
        assert_eq!(base_for_month(&bases, "2025-06"), None);
        assert_eq!(base_for_month(&bases, "2025-07"), Some(500_000));
        assert_eq!(base_for_month(&bases, "2025-12"), Some(500_000));
        assert_eq!(base_for_month(&bases, "2026-01"), Some(600_000));
        assert_eq!(base_for_month(&bases, "2030-05"), Some(600_000));
        assert_eq!(base_for_month(&bases, "2026-1"), None);
    }

    #[test]
    fn a_correction_for_the_same_month_wins_and_bad_entries_are_skipped() {
        let bases = vec![
            ("2026-01".to_string(), 600_000),
            ("2026-01".to_string(), 610_000),
            ("2026-02x".to_string(), 1),
        ];
        assert_eq!(base_for_month(&bases, "2026-03"), Some(610_000));
    }

    #[test]
    fn unpaid_months_count_back_across_the_year_end() {
        let paid = months(&["2025-10", "2025-11"]);
        assert_eq!(consecutive_unpaid_months(&paid, "2026-02", "2020-01"), 3);
        assert_eq!(consecutive_unpaid_months(&paid, "2025-12", "2020-01"), 1);
        assert_eq!(consecutive_unpaid_months(&paid, "2025-11", "2020-01"), 0);
        let paid = months(&["2025-12"]);
        assert_eq!(consecutive_unpaid_months(&paid, "2026-01", "2020-01"), 1);
    }

    #[test]
    fn unpaid_months_stop_at_the_first_owed_month() {
        assert_eq!(consecutive_unpaid_months(&[], "2026-02", "2025-12"), 3);
        assert_eq!(consecutive_unpaid_months(&[], "2025-12", "2025-12"), 1);
        assert_eq!(consecutive_unpaid_months(&[], "2025-11", "2025-12"), 0);
        // Payments outside the window (early prepayment records, future
        // months) do not break the run.
        let paid = months(&["2026-05", "2024-01"]);
        assert_eq!(consecutive_unpaid_months(&paid, "2026-02", "2025-01"), 14);
    }

    #[test]
    fn malformed_months_count_as_nothing() {
        let paid = months(&["2026-1"]);
        assert_eq!(consecutive_unpaid_months(&paid, "2026-01", "2025-12"), 2);
        assert_eq!(consecutive_unpaid_months(&[], "2026-1", "2025-12"), 0);
        assert_eq!(consecutive_unpaid_months(&[], "2026-01", "bad"), 0);
    }

    #[test]
    fn months_add_across_years_and_rates_read_as_percent() {
        assert_eq!(add_months("2026-01", -1).as_deref(), Some("2025-12"));
        assert_eq!(add_months("2025-11", 14).as_deref(), Some("2027-01"));
        assert_eq!(add_months("2026-13", 1), None);
        assert_eq!(months_from("2025-11", "2026-02"), Some(3));
        assert_eq!(months_from("2026-02", "2025-11"), Some(-3));
        assert_eq!(rate_label(Working, 300_000), "0.5%");
        assert_eq!(rate_label(Working, 300_001), "1%");
        assert_eq!(rate_label(Working, 500_001), "1.5%");
        assert_eq!(rate_label(Working, 1_000_001), "2%");
        assert_eq!(rate_label(Retired, 500_001), "1%");
        assert_eq!(rate_label(Student, 500_001), "定额");
        assert_eq!(rate_label(Farmer, 0), "定额");
    }

    #[test]
    fn arrears_warn_at_three_and_five_months() {
        let (first, last) = (ARREARS_FIRST_WARNING_MONTHS, ARREARS_FINAL_WARNING_MONTHS);
        for n in 0..first {
            assert_eq!(arrears_warning(n), None);
        }
        let three = arrears_warning(first).unwrap();
        assert!(three.contains(&format!("{first}个月")), "{three}");
        assert_eq!(arrears_warning(first + 1), Some(three));
        let five = arrears_warning(last).unwrap();
        assert!(
            five.contains(&format!("{last}个月")) && five.contains("党章第九条"),
            "{five}"
        );
        let six = arrears_warning(ARREARS_LEAVING_MONTHS).unwrap();
        assert!(six.contains(&format!("{ARREARS_LEAVING_MONTHS}个月")) && six.contains("自行脱党"));
        assert_eq!(arrears_warning(40), Some(six));
    }
}
