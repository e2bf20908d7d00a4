//! Believable KPI figures for the demo plan: every ended period of the year
//! (months, or quarters), along a trend that reaches `factor` of the way from
//! the baseline to the target by the year's end, with a little wobble.
use chrono::{Datelike, NaiveDate};

/// How a KPI moves over the year.
#[derive(Clone, Copy, Debug)]
pub enum Shape {
    /// A rate that starts a third of the way and improves steadily (满意度, 办结率).
    Rate,
    /// A year-to-date figure growing from the baseline (投资完成率, 预算执行进度).
    Cumulative,
    /// Events counted per month: none, but one in April (安全、保密事故).
    Incidents,
}

/// (period code, figure text) for each ended period of today's year, for a
/// KPI `k` = (name, unit, baseline, target, direction, period kind, shape).
/// `skip` names months (or quarters) left unreported; 0 is the latest ended.
pub fn figures(
    k: &(&str, &str, f64, f64, &str, &str, Shape),
    today: NaiveDate,
    factor: f64,
    seed: usize,
    skip: &[u32],
) -> Vec<(String, String)> {
    let (_, unit, baseline, target, _, kind, shape) = *k;
    let year = today.year();
    let (per_year, ended) = match kind {
        "quarter" => (4, (today.month() - 1) / 3),
        _ => (12, today.month() - 1),
    };
    let whole = matches!(unit, "个" | "起");
    (1..=ended)
        .filter(|m| {
            let latest_skipped = skip.contains(&0) && *m == ended;
            !skip.contains(m) && !latest_skipped
        })
        .map(|m| {
            let through = f64::from(m) / f64::from(per_year);
            let span = target - baseline;
            let wobble = ((m as usize * 37 + seed * 11) % 5) as f64 - 2.0;
            let v = match shape {
                Shape::Rate => baseline + span * (factor * (0.35 + 0.65 * through) + wobble * 0.015),
                Shape::Cumulative => baseline + span * factor * through + span.abs() * wobble * 0.004,
                Shape::Incidents => f64::from(u8::from(m == 4)),
            };
            let v = v.max(0.0);
            let period = if per_year == 4 {
                format!("{year}-Q{m}")
            } else {
                format!("{year}-{m:02}")
            };
            let text = if whole {
                format!("{}", v.round())
            } else {
                format!("{:.1}", v)
            };
            (period, text)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ended_periods_only_with_gaps() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
        let k = ("群众满意度", "%", 92.0, 98.0, "higher", "month", Shape::Rate);
        let f = figures(&k, today, 1.0, 0, &[]);
        assert_eq!(f.len(), 10);
        assert_eq!(f[0].0, "2026-01");
        assert_eq!(f[9].0, "2026-10");
        let f = figures(&k, today, 1.0, 0, &[5, 0]);
        assert_eq!(f.len(), 8);
        assert!(!f.iter().any(|(p, _)| p == "2026-05" || p == "2026-10"));
        let q = ("占比", "%", 70.0, 90.0, "higher", "quarter", Shape::Rate);
        let f = figures(&q, today, 1.0, 0, &[]);
        assert_eq!(
            f.iter().map(|x| x.0.as_str()).collect::<Vec<_>>(),
            ["2026-Q1", "2026-Q2", "2026-Q3"]
        );
        let z = ("事故", "起", 2.0, 0.0, "lower", "month", Shape::Incidents);
        let f = figures(&z, today, 1.0, 0, &[]);
        assert_eq!(f[3].1, "1");
        assert_eq!(f[9].1, "0");
        let jan = NaiveDate::from_ymd_opt(2026, 1, 5).unwrap();
        assert!(figures(&k, jan, 1.0, 0, &[]).is_empty());
    }
}
