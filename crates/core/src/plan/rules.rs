//! KPI arithmetic, exact: figures are fixed-point with four decimals, and
//! attainment is in basis points (10,000 = 100%), rounded half away from zero.
use crate::{Error, Result};
use chrono::{Datelike, NaiveDate};

/// A KPI figure in ten-thousandths (12.5 → 125_000), so sums and ratios are exact.
pub type Figure = i64;
const SCALE: i64 = 10_000;

/// Parses "12", "-3.5", "1,234.5678" or full-width digits into a figure.
pub fn parse_figure(field: &str, raw: &str) -> Result<Figure> {
    let s = crate::people::normalize(raw).replace([',', ' '], "");
    let bad = || Error::invalid(field, format!("“{raw}”不是有效数值，最多 4 位小数"));
    let (neg, digits) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s.as_str()),
    };
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    if int.is_empty()
        || !int.chars().all(|c| c.is_ascii_digit())
        || !frac.chars().all(|c| c.is_ascii_digit())
        || frac.len() > 4
    {
        return Err(bad());
    }
    let whole: i64 = int.parse().map_err(|_| bad())?;
    let frac: i64 = format!("{frac:0<4}").parse().map_err(|_| bad())?;
    let v = whole
        .checked_mul(SCALE)
        .and_then(|w| w.checked_add(frac))
        .ok_or_else(bad)?;
    Ok(if neg { -v } else { v })
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// More is better (产值、完成率).
    Higher,
    /// Less is better (能耗、投诉、事故).
    Lower,
}

impl Direction {
    pub fn parse(s: &str) -> Option<Direction> {
        match s.trim() {
            "higher" | "越高越好" => Some(Direction::Higher),
            "lower" | "越低越好" => Some(Direction::Lower),
            _ => None,
        }
    }
}

/// How attained a KPI is: (actual − baseline) ÷ (target − baseline), in
/// basis points. One formula serves both directions (for "lower is better"
/// the target lies below the baseline) and any baseline, zero and negative
/// included, since nothing divides by the baseline. Beyond the target it
/// exceeds 10,000; going the wrong way it is negative. A target equal to the
/// baseline measures nothing and is refused when the KPI is defined.
pub fn attainment_bp(direction: Direction, baseline: Figure, target: Figure, actual: Figure) -> Result<i64> {
    let span = i128::from(target) - i128::from(baseline);
    match direction {
        _ if span == 0 => return Err(Error::invalid("目标值", "不能等于基准值，请设定高于或低于基准的目标")),
        Direction::Higher if span < 0 => return Err(Error::invalid("目标值", "“越高越好”的指标，目标值应高于基准值")),
        Direction::Lower if span > 0 => return Err(Error::invalid("目标值", "“越低越好”的指标，目标值应低于基准值")),
        _ => {}
    }
    let q = div_round((i128::from(actual) - i128::from(baseline)) * 10_000, span);
    i64::try_from(q).map_err(|_| Error::invalid("指标值", "数值过大"))
}

/// n ÷ d rounded half away from zero (d ≠ 0).
fn div_round(n: i128, d: i128) -> i128 {
    let (n, d) = if d < 0 { (-n, -d) } else { (n, d) };
    if n >= 0 {
        (2 * n + d) / (2 * d)
    } else {
        -((-2 * n + d) / (2 * d))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum PeriodKind {
    Month,
    Quarter,
    Year,
}

impl PeriodKind {
    pub fn parse(s: &str) -> Option<PeriodKind> {
        match s.trim() {
            "month" | "月" | "月度" => Some(PeriodKind::Month),
            "quarter" | "季" | "季度" => Some(PeriodKind::Quarter),
            "year" | "年" | "年度" => Some(PeriodKind::Year),
            _ => None,
        }
    }
}

/// A reporting period: "2026-03", "2026-Q1" or "2026".
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Period {
    pub year: i32,
    pub kind: PeriodKind,
    /// Month 1–12, quarter 1–4, or 0 for the year.
    pub part: u32,
}

impl Period {
    /// Parses a period and checks it is of the KPI's kind and in the plan year.
    pub fn parse(raw: &str, kind: PeriodKind, plan_year: i32) -> Result<Period> {
        const F: &str = "期间";
        let s = crate::people::normalize(raw).to_uppercase();
        let want = match kind {
            PeriodKind::Month => "月度，如 2026-03",
            PeriodKind::Quarter => "季度，如 2026-Q1",
            PeriodKind::Year => "年度，如 2026",
        };
        let bad = || Error::invalid(F, format!("“{raw}”不符合该指标的报送周期（{want}）"));
        let (year, part) = match (kind, s.split_once('-')) {
            (PeriodKind::Year, None) => (s.parse::<i32>().map_err(|_| bad())?, 0),
            (PeriodKind::Month, Some((y, m))) if m.len() == 2 => {
                let m: u32 = m.parse().map_err(|_| bad())?;
                ((y.parse::<i32>().map_err(|_| bad())?), m)
            }
            (PeriodKind::Quarter, Some((y, q))) if q.starts_with('Q') => {
                let q: u32 = q[1..].parse().map_err(|_| bad())?;
                ((y.parse::<i32>().map_err(|_| bad())?), q)
            }
            _ => return Err(bad()),
        };
        let max = match kind {
            PeriodKind::Month => 12,
            PeriodKind::Quarter => 4,
            PeriodKind::Year => 0,
        };
        if (kind != PeriodKind::Year && !(1..=max).contains(&part)) || year != plan_year {
            return Err(if year != plan_year {
                Error::invalid(F, format!("应在计划年度 {plan_year} 之内"))
            } else {
                bad()
            });
        }
        Ok(Period { year, kind, part })
    }
}

impl PeriodKind {
    pub fn code(self) -> &'static str {
        match self {
            PeriodKind::Month => "month",
            PeriodKind::Quarter => "quarter",
            PeriodKind::Year => "year",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            PeriodKind::Month => "月度",
            PeriodKind::Quarter => "季度",
            PeriodKind::Year => "年度",
        }
    }
}

impl Period {
    /// "2026-03", "2026-Q1" or "2026": the stored form, which sorts in time order.
    pub fn code(&self) -> String {
        match self.kind {
            PeriodKind::Month => format!("{}-{:02}", self.year, self.part),
            PeriodKind::Quarter => format!("{}-Q{}", self.year, self.part),
            PeriodKind::Year => self.year.to_string(),
        }
    }

    /// "3月", "一季度", "全年".
    pub fn label(&self) -> String {
        match self.kind {
            PeriodKind::Month => format!("{}月", self.part),
            PeriodKind::Quarter => format!("{}季度", ["一", "二", "三", "四"][(self.part as usize).clamp(1, 4) - 1]),
            PeriodKind::Year => "全年".into(),
        }
    }

    /// "2026年3月", "2026年第一季度", "2026年度": how a period reads on screen and in exports.
    pub fn title(&self) -> String {
        match self.kind {
            PeriodKind::Year => format!("{}年度", self.year),
            PeriodKind::Quarter => format!("{}年第{}", self.year, self.label()),
            PeriodKind::Month => format!("{}年{}", self.year, self.label()),
        }
    }

    /// Any stored code ("2026-03", "2026-Q1", "2026") as its title; text that is no period stays as it is.
    pub fn title_of(code: &str) -> String {
        Period::parse_any(code)
            .map(|p| p.title())
            .unwrap_or_else(|_| code.to_string())
    }

    /// The first day of the period.
    pub fn first_day(&self) -> NaiveDate {
        let month = match self.kind {
            PeriodKind::Month => self.part,
            PeriodKind::Quarter => self.part * 3 - 2,
            PeriodKind::Year => 1,
        };
        NaiveDate::from_ymd_opt(self.year, month.max(1), 1).unwrap_or(NaiveDate::MIN)
    }

    /// "2026-03", "2026-Q1" or "2026", whichever kind it is.
    pub fn parse_any(raw: &str) -> Result<Period> {
        let s = crate::people::normalize(raw).to_uppercase();
        let year: i32 = s.get(..4).and_then(|y| y.parse().ok()).unwrap_or(0);
        let kind = if s.contains('Q') {
            PeriodKind::Quarter
        } else if s.len() > 4 {
            PeriodKind::Month
        } else {
            PeriodKind::Year
        };
        Period::parse(raw, kind, year)
            .map_err(|_| Error::invalid("期间", format!("“{raw}”应为 2026-03、2026-Q1 或 2026")))
    }

    /// The period of a kind that contains a day.
    pub fn containing(kind: PeriodKind, d: NaiveDate) -> Period {
        let part = match kind {
            PeriodKind::Month => d.month(),
            PeriodKind::Quarter => (d.month() - 1) / 3 + 1,
            PeriodKind::Year => 0,
        };
        Period {
            year: d.year(),
            kind,
            part,
        }
    }

    /// The last day of the period.
    pub fn last_day(&self) -> NaiveDate {
        let next_month = match self.kind {
            PeriodKind::Month => self.part + 1,
            PeriodKind::Quarter => self.part * 3 + 1,
            PeriodKind::Year => 13,
        };
        let (y, m) = if next_month > 12 {
            (self.year + 1, 1)
        } else {
            (self.year, next_month)
        };
        NaiveDate::from_ymd_opt(y, m, 1)
            .and_then(|d| d.pred_opt())
            .unwrap_or(NaiveDate::MAX)
    }

    /// Every period of a kind in a year, in order.
    pub fn all_in(kind: PeriodKind, year: i32) -> Vec<Period> {
        let parts = match kind {
            PeriodKind::Month => 1..=12,
            PeriodKind::Quarter => 1..=4,
            PeriodKind::Year => 0..=0,
        };
        parts.map(|part| Period { year, kind, part }).collect()
    }
}

/// The day a KPI's reporting starts: the day it was created (Beijing time),
/// or the plan year's first day for one set up before its year began.
pub fn reporting_start(created_at_ms: i64, year: i32) -> NaiveDate {
    let created = crate::clock::beijing(created_at_ms).date_naive();
    let first = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(NaiveDate::MIN);
    created.max(first)
}

impl Period {
    /// Due for a figure: ended by `today`, and begun on or after the KPI's
    /// reporting start, so a KPI created on the 1st owes that month and one
    /// created on the 2nd starts with the next (no 缺报 for a period it did
    /// not exist through).
    pub fn is_due(&self, start: NaiveDate, today: NaiveDate) -> bool {
        self.last_day() < today && self.first_day() >= start
    }
}

/// The periods of a year that are due for a figure by `today` for a KPI
/// whose reporting starts on `start`: March is due from April 1st, the year
/// from the next January 1st, and none that began before `start`.
pub fn due_periods(kind: PeriodKind, year: i32, start: NaiveDate, today: NaiveDate) -> Vec<Period> {
    Period::all_in(kind, year)
        .into_iter()
        .filter(|p| p.is_due(start, today))
        .collect()
}

/// Where a KPI stands: its latest figure and attainment, and the periods
/// that ended without a figure.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KpiStatus {
    /// The latest period with a figure, and the figure.
    pub latest: Option<(String, Figure)>,
    /// Attainment of the latest figure, in basis points.
    pub attainment_bp: Option<i64>,
    /// Ended periods with no figure (缺报), as codes.
    pub missing: Vec<String>,
}

/// `values` are (period code, figure) of one KPI, any order. Attainment reads
/// the latest figure: a KPI reports its year-to-date or current level, not a
/// share to be summed, so a missing month neither counts as zero nor blocks.
#[allow(clippy::too_many_arguments)]
pub fn kpi_status(
    direction: Direction,
    baseline: Figure,
    target: Figure,
    kind: PeriodKind,
    year: i32,
    start: NaiveDate,
    values: &[(String, Figure)],
    today: NaiveDate,
) -> KpiStatus {
    let latest = values.iter().max_by(|a, b| a.0.cmp(&b.0)).cloned();
    let attainment_bp = latest
        .as_ref()
        .and_then(|(_, v)| attainment_bp(direction, baseline, target, *v).ok());
    let missing = due_periods(kind, year, start, today)
        .into_iter()
        .map(|p| p.code())
        .filter(|c| !values.iter().any(|(p, _)| p == c))
        .collect();
    KpiStatus {
        latest,
        attainment_bp,
        missing,
    }
}

/// The mean of some attainments (a goal over its KPIs), half away from zero.
pub fn mean_bp(values: &[i64]) -> Option<i64> {
    if values.is_empty() {
        return None;
    }
    let sum: i128 = values.iter().map(|v| i128::from(*v)).sum();
    i64::try_from(div_round(sum, values.len() as i128)).ok()
}

/// A task's deadline: a date not before its plan year and at most a year after it.
pub fn check_deadline(raw: &str, year: i32) -> Result<NaiveDate> {
    const F: &str = "截止日期";
    let d = crate::people::parse_date(F, raw)?.ok_or_else(|| Error::invalid(F, "不能为空，请填写完成时限"))?;
    if d.year() < year {
        return Err(Error::invalid(
            F,
            format!("{d} 早于计划年度 {year} 年，请填写 {year} 年内的日期"),
        ));
    }
    if d.year() > year + 1 {
        return Err(Error::invalid(
            F,
            format!("{d} 超出计划年度 {year} 年过远，请填写 {year} 年内的日期"),
        ));
    }
    Ok(d)
}

/// "75.0%" from basis points.
pub fn percent_text(bp: i64) -> String {
    let tenths = div_round(i128::from(bp), 10);
    let sign = if tenths < 0 { "-" } else { "" };
    let t = tenths.abs();
    format!("{sign}{}.{}%", t / 10, t % 10)
}

/// A figure as text with no trailing zeros: 125000 → "12.5".
pub fn figure_text(v: Figure) -> String {
    let sign = if v < 0 { "-" } else { "" };
    let a = v.unsigned_abs();
    let (int, frac) = (a / SCALE as u64, a % SCALE as u64);
    if frac == 0 {
        format!("{sign}{int}")
    } else {
        let f = format!("{frac:04}");
        format!("{sign}{int}.{}", f.trim_end_matches('0'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn f(s: &str) -> Figure {
        parse_figure("值", s).unwrap()
    }

    #[test]
    fn figures_are_exact() {
        assert_eq!(f("12.5"), 125_000);
        assert_eq!(f("-3.25"), -32_500);
        assert_eq!(f("1,234.5678"), 12_345_678);
        assert_eq!(f("１２"), 120_000);
        assert!(parse_figure("值", "1.23456").is_err());
        assert!(parse_figure("值", "abc").is_err());
        assert!(parse_figure("值", "").is_err());
    }

    #[test]
    fn attainment_in_both_directions_and_any_baseline() {
        use Direction::*;
        // Higher is better: baseline 100, target 120.
        assert_eq!(attainment_bp(Higher, f("100"), f("120"), f("110")).unwrap(), 5_000);
        assert_eq!(attainment_bp(Higher, f("100"), f("120"), f("130")).unwrap(), 15_000);
        assert_eq!(attainment_bp(Higher, f("100"), f("120"), f("90")).unwrap(), -5_000);
        // Lower is better: baseline 50 complaints, target 30.
        assert_eq!(attainment_bp(Lower, f("50"), f("30"), f("40")).unwrap(), 5_000);
        assert_eq!(attainment_bp(Lower, f("50"), f("30"), f("30")).unwrap(), 10_000);
        assert_eq!(attainment_bp(Lower, f("50"), f("30"), f("60")).unwrap(), -5_000);
        // Zero and negative baselines (a loss to be turned round).
        assert_eq!(attainment_bp(Higher, f("0"), f("8"), f("2")).unwrap(), 2_500);
        assert_eq!(attainment_bp(Higher, f("-200"), f("100"), f("-50")).unwrap(), 5_000);
        // Rounding half away from zero at a third.
        assert_eq!(attainment_bp(Higher, f("0"), f("3"), f("1")).unwrap(), 3_333);
        assert_eq!(attainment_bp(Higher, f("0"), f("3"), f("2")).unwrap(), 6_667);
        assert_eq!(attainment_bp(Lower, f("3"), f("0"), f("2")).unwrap(), 3_333);
    }

    #[test]
    fn targets_that_measure_nothing_are_refused() {
        use Direction::*;
        assert!(attainment_bp(Higher, f("5"), f("5"), f("5")).is_err());
        assert!(attainment_bp(Higher, f("5"), f("4"), f("5")).is_err());
        assert!(attainment_bp(Lower, f("5"), f("6"), f("5")).is_err());
    }

    #[test]
    fn periods_follow_the_kpi_and_the_plan_year() {
        assert_eq!(Period::parse("2026-03", PeriodKind::Month, 2026).unwrap().part, 3);
        assert_eq!(Period::parse("2026-q4", PeriodKind::Quarter, 2026).unwrap().part, 4);
        assert_eq!(Period::parse("2026", PeriodKind::Year, 2026).unwrap().part, 0);
        assert!(Period::parse("2026-13", PeriodKind::Month, 2026).is_err());
        assert!(Period::parse("2026-Q5", PeriodKind::Quarter, 2026).is_err());
        assert!(Period::parse("2026-Q1", PeriodKind::Month, 2026).is_err(), "wrong kind");
        assert!(Period::parse("2025-12", PeriodKind::Month, 2026).is_err(), "other year");
        assert!(Period::parse("2026-3", PeriodKind::Month, 2026).is_err());
    }

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn periods_end_on_their_last_day() {
        let feb = Period::parse("2028-02", PeriodKind::Month, 2028).unwrap();
        assert_eq!(feb.last_day(), day("2028-02-29"), "leap year");
        assert_eq!(
            Period::parse("2026-02", PeriodKind::Month, 2026).unwrap().last_day(),
            day("2026-02-28")
        );
        assert_eq!(
            Period::parse("2026-Q4", PeriodKind::Quarter, 2026).unwrap().last_day(),
            day("2026-12-31")
        );
        assert_eq!(
            Period::parse("2026-12", PeriodKind::Month, 2026).unwrap().code(),
            "2026-12"
        );
        // Due the day after the period ends, not on its last day.
        let codes = |k, d| {
            due_periods(k, 2026, day("2026-01-01"), day(d))
                .iter()
                .map(Period::code)
                .collect::<Vec<_>>()
        };
        assert_eq!(codes(PeriodKind::Quarter, "2026-03-31"), Vec::<String>::new());
        assert_eq!(codes(PeriodKind::Quarter, "2026-04-01"), vec!["2026-Q1"]);
        assert_eq!(codes(PeriodKind::Month, "2026-03-01").len(), 2);
        assert_eq!(codes(PeriodKind::Year, "2026-12-31"), Vec::<String>::new());
        assert_eq!(codes(PeriodKind::Year, "2027-01-01"), vec!["2026"]);
    }

    #[test]
    fn kpi_status_reads_the_latest_figure_and_lists_missing_periods() {
        let vals = vec![("2026-01".to_string(), f("105")), ("2026-03".to_string(), f("110"))];
        let s = kpi_status(
            Direction::Higher,
            f("100"),
            f("120"),
            PeriodKind::Month,
            2026,
            day("2026-01-01"),
            &vals,
            day("2026-05-10"),
        );
        assert_eq!(s.latest, Some(("2026-03".into(), f("110"))));
        assert_eq!(s.attainment_bp, Some(5_000));
        assert_eq!(s.missing, vec!["2026-02", "2026-04"]);
        // Lower is better, nothing reported yet.
        let s = kpi_status(
            Direction::Lower,
            f("8"),
            f("4"),
            PeriodKind::Quarter,
            2026,
            day("2026-01-01"),
            &[],
            day("2026-07-01"),
        );
        assert_eq!((s.latest, s.attainment_bp), (None, None));
        assert_eq!(s.missing, vec!["2026-Q1", "2026-Q2"]);
    }

    #[test]
    fn a_kpi_created_mid_year_owes_no_period_before_it_existed() {
        let codes = |k, start: &str, today: &str| {
            due_periods(k, 2026, day(start), day(today))
                .iter()
                .map(Period::code)
                .collect::<Vec<_>>()
        };
        // Created on the 1st: that month is owed; on the 2nd: it starts with the next.
        assert_eq!(
            codes(PeriodKind::Month, "2026-05-01", "2026-07-10"),
            ["2026-05", "2026-06"]
        );
        assert_eq!(codes(PeriodKind::Month, "2026-05-02", "2026-07-10"), ["2026-06"]);
        // A quarterly KPI created in the last month of a quarter starts with the next quarter;
        // created on the quarter's first day, it owes that quarter.
        assert_eq!(codes(PeriodKind::Quarter, "2026-06-15", "2026-10-01"), ["2026-Q3"]);
        assert_eq!(
            codes(PeriodKind::Quarter, "2026-04-01", "2026-10-01"),
            ["2026-Q2", "2026-Q3"]
        );
        // A yearly KPI created on 2 January owes nothing for that year.
        assert!(codes(PeriodKind::Year, "2026-01-02", "2027-01-05").is_empty());
        // Created before the plan year: every period of the year.
        let dec = chrono::FixedOffset::east_opt(8 * 3600)
            .unwrap()
            .with_ymd_and_hms(2025, 12, 20, 9, 0, 0)
            .unwrap()
            .timestamp_millis();
        assert_eq!(reporting_start(dec, 2026), day("2026-01-01"));
        // Beijing time decides the day: 1 May 00:30 in Beijing is 30 April in UTC.
        let may1 = chrono::FixedOffset::east_opt(8 * 3600)
            .unwrap()
            .with_ymd_and_hms(2026, 5, 1, 0, 30, 0)
            .unwrap()
            .timestamp_millis();
        assert_eq!(reporting_start(may1, 2026), day("2026-05-01"));
    }

    #[test]
    fn means_deadlines_and_texts() {
        assert_eq!(mean_bp(&[10_000, 5_001]), Some(7_501));
        assert_eq!(mean_bp(&[-1, -2]), Some(-2), "half away from zero");
        assert_eq!(mean_bp(&[]), None);
        assert!(check_deadline("2025-12-31", 2026).is_err());
        assert!(check_deadline("2028-01-01", 2026).is_err());
        assert_eq!(check_deadline("2026年1月1日", 2026).unwrap(), day("2026-01-01"));
        assert!(check_deadline("", 2026).is_err());
        assert_eq!(percent_text(7_501), "75.0%");
        assert_eq!(percent_text(-5), "-0.1%");
        assert_eq!(figure_text(f("12.5")), "12.5");
        assert_eq!(figure_text(f("-0.25")), "-0.25");
        assert_eq!(figure_text(f("3")), "3");
    }
}
