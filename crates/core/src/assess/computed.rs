//! Computed indicators: for every target of an assessment at once, the
//! share a source gives for the period — what was done of what was due —
//! read by aggregate (GROUP BY) queries over the records, never a query per
//! target. A target with nothing due has no share (the line is missing).
use super::lines::Part;
use super::model::{Assessment, Metric, Subject};
use crate::db::Db;
use crate::plan::{Period, PeriodKind};
use crate::sql::Param;
use crate::{bind_all, with_db, Result};
use chrono::{Datelike, NaiveDate};
use std::collections::HashMap;

/// What a source gives one target: done of due, and the figures behind.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Share {
    pub done: i64,
    pub due: i64,
    pub parts: Vec<Part>,
}

/// Shares by target id.
pub type Shares = HashMap<String, Share>;

/// What the queries know of the assessment being computed.
pub(crate) struct Ctx<'a> {
    pub a: &'a Assessment,
    pub period: Period,
    pub today: NaiveDate,
    pub now: i64,
}

impl Ctx<'_> {
    pub fn first(&self) -> String {
        self.period.first_day().to_string()
    }
    pub fn last(&self) -> String {
        self.period.last_day().to_string()
    }
    pub fn today_text(&self) -> String {
        self.today.to_string()
    }
    pub fn orgs(&self) -> bool {
        self.a.subject == Subject::Orgs
    }
}

/// Every target's share on a source.
pub(crate) async fn shares(db: &Db, ctx: &Ctx<'_>, metric: Metric) -> Result<Shares> {
    match metric {
        Metric::LifeCompliance if ctx.orgs() => super::computed_life::orgs(db, ctx).await,
        Metric::LifeCompliance => super::computed_life::members(db, ctx).await,
        Metric::KpiAttainment => super::computed_plan::kpis(db, ctx).await,
        Metric::TaskCompletion => super::computed_plan::tasks(db, ctx).await,
        Metric::StudyCompletion => super::computed_records::study(db, ctx).await,
        Metric::RectificationClosure => super::computed_records::problems(db, ctx).await,
        Metric::DuesOnTime => super::computed_records::dues(db, ctx).await,
    }
}

/// The source's aggregate query as the database answers it alone, the rows
/// fetched and dropped: the benchmark's baseline. Answers the rows read.
pub(crate) async fn raw(db: &Db, ctx: &Ctx<'_>, metric: Metric) -> Result<usize> {
    use super::{computed_life as life, computed_plan as plan, computed_records as records};
    let q = match metric {
        Metric::LifeCompliance if ctx.orgs() => Some(life::orgs_query(ctx)),
        Metric::LifeCompliance => Some(life::members_query(ctx)),
        Metric::KpiAttainment => Some(plan::kpis_query(ctx)),
        Metric::TaskCompletion => Some(plan::tasks_query(ctx)),
        Metric::StudyCompletion => Some(records::study_query(ctx)),
        Metric::RectificationClosure => Some(records::problems_query(ctx)),
        Metric::DuesOnTime => records::dues_query(ctx),
    };
    let Some((sql, params)) = q else {
        return Ok(0);
    };
    Ok(with_db!(db, |p| bind_all!(sqlx::query(&sql), &params)
        .fetch_all(p)
        .await?
        .len()))
}

/// The months of a period, "YYYY-MM".
pub(crate) fn months(p: &Period) -> Vec<String> {
    let (a, b) = (p.first_day(), p.last_day());
    let mut out = Vec::new();
    let (mut y, mut m) = (a.year(), a.month());
    while (y, m) <= (b.year(), b.month()) {
        out.push(format!("{y:04}-{m:02}"));
        (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    }
    out
}

/// The KPI period codes inside a period: its months, its whole quarters and,
/// for a year, the year itself — with the KPI kinds that report in them.
pub(crate) fn value_codes(p: &Period) -> (Vec<String>, Vec<&'static str>) {
    let mut codes = months(p);
    let mut kinds = vec![PeriodKind::Month.code()];
    if p.kind >= PeriodKind::Quarter {
        kinds.push(PeriodKind::Quarter.code());
        for q in Period::all_in(PeriodKind::Quarter, p.year) {
            if q.first_day() >= p.first_day() && q.last_day() <= p.last_day() {
                codes.push(q.code());
            }
        }
    }
    if p.kind == PeriodKind::Year {
        kinds.push(PeriodKind::Year.code());
        codes.push(p.code());
    }
    (codes, kinds)
}

/// The day number (days since 1970-01-01) of a YYYY-MM-DD text column, in
/// integer arithmetic both engines evaluate alike (the civil-to-Julian-day formula).
pub(crate) fn epoch_day_sql(col: &str) -> String {
    let y = format!("CAST(substr({col}, 1, 4) AS BIGINT)");
    let m = format!("CAST(substr({col}, 6, 2) AS BIGINT)");
    let d = format!("CAST(substr({col}, 9, 2) AS BIGINT)");
    let a = format!("((14 - {m}) / 12)");
    let yy = format!("({y} + 4800 - {a})");
    let mm = format!("({m} + 12 * {a} - 3)");
    format!("({d} + (153 * {mm} + 2) / 5 + 365 * {yy} + {yy} / 4 - {yy} / 100 + {yy} / 400 - 32045 - 2440588)")
}

/// The Beijing day number of a Unix-millisecond column.
pub(crate) fn ms_day_sql(col: &str) -> String {
    format!("(({col} + 28800000) / 86400000)")
}

/// Party members still on the roster (`p`: people).
pub(crate) const PARTY_MEMBER: &str = "p.left_on IS NULL AND p.status IN ('full', 'probationary')";

/// Runs a `(target, due, done)` aggregate query into shares.
pub(crate) async fn simple(db: &Db, sql: &str, params: &[Param], parts: fn(i64, i64) -> Vec<Part>) -> Result<Shares> {
    let rows: Vec<(String, i64, i64)> = with_db!(db, |p| bind_all!(sqlx::query_as(sql), params).fetch_all(p).await?);
    Ok(rows
        .into_iter()
        .map(|(t, due, done)| {
            (
                t,
                Share {
                    done,
                    due,
                    parts: parts(due, done),
                },
            )
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_inside_a_period() {
        let q2 = Period::parse_any("2026-Q2").unwrap();
        assert_eq!(months(&q2), ["2026-04", "2026-05", "2026-06"]);
        let (codes, kinds) = value_codes(&q2);
        assert_eq!(codes, ["2026-04", "2026-05", "2026-06", "2026-Q2"]);
        assert_eq!(kinds, ["month", "quarter"]);
        let y = Period::parse_any("2026").unwrap();
        let (codes, kinds) = value_codes(&y);
        assert_eq!(codes.len(), 12 + 4 + 1);
        assert_eq!(kinds.len(), 3);
        let m = Period::parse_any("2026-12").unwrap();
        assert_eq!(value_codes(&m), (vec!["2026-12".to_string()], vec!["month"]));
    }
}
