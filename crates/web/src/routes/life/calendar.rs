//! 三会一课: an organization's month as a calendar, its meetings listed,
//! with links to record one and to the compliance of the month.
use crate::extract::Auth;
use crate::shell::{render, Shell};
use crate::PageError;
use askama::Template;
use axum::extract::Query;
use axum::response::Html;
use chrono::{Datelike, NaiveDate};
use tongpin_core::auth::Power;
use tongpin_core::clock::beijing;
use tongpin_core::life::{store, Meeting};
use tongpin_core::org::Scope;
use tongpin_core::Error;

/// The organization and month a life page shows.
pub struct Pick {
    pub scope: Scope,
    pub org_id: String,
    pub org_name: String,
    /// The chosen organization's name path, shown in the chooser.
    pub org_path: String,
    /// YYYY-MM, or a period ("2026-Q1", "2026") on the compliance pages.
    pub period: String,
    /// The current month ("2026-09"), where the picker's lists end.
    pub this_month: String,
}

impl Pick {
    /// The period picker: months only on the calendar, any kind on the other pages.
    pub fn picker(&self, months_only: bool) -> crate::period::PeriodPicker {
        if months_only {
            crate::period::PeriodPicker::months("month", &self.period, &self.this_month, None)
        } else {
            crate::period::PeriodPicker::any(&self.period, &self.this_month)
        }
    }
}

#[derive(serde::Deserialize, Default)]
pub struct PickQuery {
    pub org: Option<String>,
    pub month: Option<String>,
    pub period: Option<String>,
    /// The supervision list's page and page size.
    pub page: Option<String>,
    pub per_page: Option<String>,
}

pub async fn pick(a: &Auth, power: Power, q: &PickQuery) -> Result<Pick, Error> {
    let scope = a.require(power).await?;
    let (chosen, org_path) = crate::org_choice::chosen(&a.state.db, &scope, q.org.as_deref()).await?;
    let (org_id, org_name) = (chosen.id, chosen.name);
    let month = q
        .month
        .clone()
        .filter(|m| NaiveDate::parse_from_str(&format!("{m}-01"), "%Y-%m-%d").is_ok())
        .unwrap_or_else(|| super::this_month(a.now()));
    let period = q
        .period
        .clone()
        .filter(|p| tongpin_core::plan::Period::parse_any(p).is_ok())
        .unwrap_or_else(|| month.clone());
    Ok(Pick {
        scope,
        org_path,
        org_id,
        org_name,
        period: if q.month.is_some() { month } else { period },
        this_month: super::this_month(a.now()),
    })
}

struct Day {
    date: NaiveDate,
    this_month: bool,
    meetings: Vec<Meeting>,
}

#[derive(Template)]
#[template(path = "life/calendar.html")]
struct Page {
    shell: Shell,
    p: Pick,
    weeks: Vec<Vec<Day>>,
    list: Vec<Meeting>,
    prev: String,
    next: String,
    today: NaiveDate,
    can_manage: bool,
}

impl Page {
    fn time(&self, m: &Meeting) -> String {
        beijing(m.starts_at).format("%H:%M").to_string()
    }
    fn day_text(&self, m: &Meeting) -> String {
        crate::fmt::cn_date(&beijing(m.starts_at).format("%Y-%m-%d").to_string())
    }
    fn month_text(&self) -> String {
        crate::fmt::cn_month(&self.p.period)
    }
}

fn shift(month: &str, by: i32) -> String {
    let d = NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d").unwrap_or_default();
    let n = d.year() * 12 + d.month0() as i32 + by;
    format!("{:04}-{:02}", n.div_euclid(12), n.rem_euclid(12) + 1)
}

pub async fn page(a: Auth, Query(q): Query<PickQuery>) -> Result<Html<String>, PageError> {
    let q = PickQuery {
        month: q.month.or_else(|| Some(super::this_month(a.now()))),
        ..q
    };
    let p = pick(&a, Power::ViewLife, &q).await?;
    let list = store::list(&a.state.db, &p.scope, &p.org_id, &p.period, &p.period, false).await?;
    let first = NaiveDate::parse_from_str(&format!("{}-01", p.period), "%Y-%m-%d").unwrap_or_default();
    // Weeks from Monday.
    let start = first - chrono::Duration::days(i64::from(first.weekday().num_days_from_monday()));
    let mut weeks = Vec::new();
    let mut d = start;
    loop {
        let mut week = Vec::new();
        for _ in 0..7 {
            week.push(Day {
                date: d,
                this_month: d.month() == first.month(),
                meetings: list
                    .iter()
                    .filter(|m| beijing(m.starts_at).date_naive() == d)
                    .cloned()
                    .collect(),
            });
            d = d.succ_opt().unwrap_or(d);
        }
        weeks.push(week);
        if d.month() != first.month() || weeks.len() >= 6 {
            break;
        }
    }
    Ok(Html(render(&Page {
        shell: Shell::new(&a, "/life", &["组织生活", "三会一课"]),
        can_manage: a
            .who
            .scope(Power::ManageLife)
            .is_some_and(|s| list.iter().all(|m| s.contains_path(&m.org_path))),
        prev: shift(&p.period, -1),
        next: shift(&p.period, 1),
        today: beijing(a.now()).date_naive(),
        weeks,
        list,
        p,
    })))
}
