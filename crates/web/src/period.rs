//! The one period picker (ui.md: one period picker everywhere): a 月/季度/年 choice and the
//! matching selector, submitting the codes the pages parse ("2026-03", "2026-Q1", "2026").
//! Rendered by templates/partials/period.html; pages taking one kind offer only that kind.
use tongpin_core::plan::{Period, PeriodKind};

/// How many years back the quarter and year lists reach.
const YEARS_BACK: i32 = 4;

pub struct PeriodPicker {
    /// The field the form submits ("period", or "month" where a page takes only months).
    pub name: &'static str,
    /// The kinds offered, in 月, 季度, 年 order.
    pub kinds: Vec<PeriodKind>,
    /// The kind of the value shown.
    pub chosen: PeriodKind,
    /// The month field's value ("2026-03"): the value itself, or the current month.
    pub month: String,
    /// The latest month that may be chosen, if any.
    pub max_month: Option<String>,
    /// (code, "2026年第一季度", selected), latest first.
    pub quarters: Vec<(String, String, bool)>,
    /// (code, "2026年度", selected), latest first.
    pub years: Vec<(String, String, bool)>,
}

impl PeriodPicker {
    /// `value` is the period shown (any code), `this_month` the current month ("2026-09").
    pub fn new(name: &'static str, kinds: &[PeriodKind], value: &str, this_month: &str) -> PeriodPicker {
        let now = Period::parse_any(this_month).ok();
        let this_year = now.map_or(2026, |p| p.year);
        let shown = Period::parse_any(value).ok().filter(|p| kinds.contains(&p.kind));
        let chosen = shown.map_or(kinds.first().copied().unwrap_or(PeriodKind::Month), |p| p.kind);
        let top = shown.map_or(this_year, |p| p.year.max(this_year));
        let bottom = shown.map_or(this_year, |p| p.year.min(this_year)) - YEARS_BACK;
        let is = |p: &Period| shown.as_ref() == Some(p);
        let mut quarters = Vec::new();
        let mut years = Vec::new();
        for year in (bottom..=top).rev() {
            for part in (1..=4).rev() {
                let q = Period {
                    year,
                    kind: PeriodKind::Quarter,
                    part,
                };
                quarters.push((q.code(), q.title(), is(&q)));
            }
            let y = Period {
                year,
                kind: PeriodKind::Year,
                part: 0,
            };
            years.push((y.code(), y.title(), is(&y)));
        }
        PeriodPicker {
            name,
            kinds: kinds.to_vec(),
            chosen,
            month: match shown {
                Some(p) if p.kind == PeriodKind::Month => p.code(),
                _ => this_month.to_string(),
            },
            max_month: None,
            quarters,
            years,
        }
    }

    /// Any kind: 月, 季度 or 年.
    pub fn any(value: &str, this_month: &str) -> PeriodPicker {
        PeriodPicker::new(
            "period",
            &[PeriodKind::Month, PeriodKind::Quarter, PeriodKind::Year],
            value,
            this_month,
        )
    }

    /// Months only, submitted as `name`, up to `max` if given.
    pub fn months(name: &'static str, value: &str, this_month: &str, max: Option<&str>) -> PeriodPicker {
        PeriodPicker {
            max_month: max.map(str::to_string),
            ..PeriodPicker::new(name, &[PeriodKind::Month], value, this_month)
        }
    }

    /// Years only, among `years`, submitted as `name` ("2026").
    pub fn years(name: &'static str, value: i64, years: &[i64]) -> PeriodPicker {
        let mut list: Vec<(String, String, bool)> = years
            .iter()
            .rev()
            .filter_map(|y| i32::try_from(*y).ok())
            .map(|year| {
                let p = Period {
                    year,
                    kind: PeriodKind::Year,
                    part: 0,
                };
                (p.code(), p.title(), i64::from(year) == value)
            })
            .collect();
        if !list.iter().any(|y| y.2) {
            if let Ok(year) = i32::try_from(value) {
                let p = Period {
                    year,
                    kind: PeriodKind::Year,
                    part: 0,
                };
                list.push((p.code(), p.title(), true));
            }
        }
        PeriodPicker {
            name,
            kinds: vec![PeriodKind::Year],
            chosen: PeriodKind::Year,
            month: String::new(),
            max_month: None,
            quarters: Vec::new(),
            years: list,
        }
    }

    pub fn offers(&self, code: &str) -> bool {
        self.kinds.iter().any(|k| k.code() == code)
    }

    pub fn is(&self, code: &str) -> bool {
        self.chosen.code() == code
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quarter_is_chosen_among_quarters_of_recent_years() {
        let p = PeriodPicker::any("2026-Q3", "2026-09");
        assert!(p.is("quarter"));
        assert_eq!(p.quarters.iter().filter(|q| q.2).count(), 1);
        assert!(p.quarters.contains(&("2026-Q3".into(), "2026年第三季度".into(), true)));
        assert_eq!(p.years[0], ("2026".into(), "2026年度".into(), false));
        assert_eq!(p.month, "2026-09");
        let m = PeriodPicker::months("month", "2025-Q1", "2026-09", Some("2026-09"));
        assert!(m.is("month") && !m.offers("quarter") && m.month == "2026-09");
        let y = PeriodPicker::years("year", 2026, &[2024, 2025, 2026, 2027]);
        assert_eq!(y.years[1], ("2026".into(), "2026年度".into(), true));
        assert!(y.is("year") && !y.offers("month") && y.years.len() == 4);
    }
}
