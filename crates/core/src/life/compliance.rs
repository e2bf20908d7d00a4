//! Compliance (合规): for an organization and a period, each obligation's
//! due and held counts and its standing, computed from the records — never
//! self-declared; and the superior's view of its whole subtree.
use super::frequencies::{self, Table};
use super::model::Kind;
use super::rules::{due_in, standing, windows, Standing};
use crate::db::Db;
use crate::org::Scope;
use crate::plan::{Period, PeriodKind};
use crate::rules::structure::COMMITTEE_REQUIRED_FROM;
use crate::sql::{Param, Where};
use crate::{bind_all, with_db, Result};
use chrono::NaiveDate;
use std::collections::HashMap;

#[derive(Clone, Debug, serde::Serialize)]
pub struct Item {
    pub kind: Kind,
    pub due: i64,
    pub held: i64,
    pub status: Standing,
    /// The duty's own periods judged: (code, due, held).
    pub windows: Vec<(String, i64, i64)>,
}

/// What the judgement needs to know of an organization.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct OrgFacts {
    pub id: String,
    pub name: String,
    pub path: String,
    pub kind: String,
    pub founded_on: String,
    pub created_at: i64,
    pub dissolved_at: Option<i64>,
}

impl OrgFacts {
    fn alive(&self) -> (NaiveDate, Option<NaiveDate>) {
        let day = |ms: i64| crate::clock::beijing(ms).date_naive();
        let from = NaiveDate::parse_from_str(&self.founded_on, "%Y-%m-%d").unwrap_or_else(|_| day(self.created_at));
        (from, self.dissolved_at.map(day))
    }
}

/// Held meetings: (org id, kind, month) → count.
pub type Counts = HashMap<(String, String, String), i64>;

/// Judges one organization's obligations over a requested period.
pub fn judge(
    org: &OrgFacts,
    full_members: i64,
    table: &Table,
    counts: &Counts,
    req: &Period,
    today: NaiveDate,
) -> Vec<Item> {
    let alive = org.alive();
    Kind::ALL
        .into_iter()
        .filter_map(|kind| {
            let f = table.get(&(org.kind.clone(), kind))?;
            // A branch below the committee threshold has no 支委会 to convene.
            let applies =
                !(kind == Kind::CommitteeMeeting && org.kind == "branch" && full_members < COMMITTEE_REQUIRED_FROM);
            let ws: Vec<(Period, i64, i64)> = windows(f.period, req)
                .into_iter()
                .map(|w| {
                    let due = if applies { due_in(f.times, &w, alive) } else { 0 };
                    let held = months_of(&w)
                        .iter()
                        .map(|m| {
                            counts
                                .get(&(org.id.clone(), kind.code().to_string(), m.clone()))
                                .copied()
                                .unwrap_or(0)
                        })
                        .sum();
                    (w, due, held)
                })
                .collect();
            let status = standing(&ws, today);
            Some(Item {
                kind,
                due: ws.iter().map(|w| w.1).sum(),
                held: ws.iter().map(|w| w.2).sum(),
                status,
                windows: ws.iter().map(|(p, d, h)| (p.code(), *d, *h)).collect(),
            })
        })
        .collect()
}

fn months_of(p: &Period) -> Vec<String> {
    Period::all_in(PeriodKind::Month, p.year)
        .into_iter()
        .filter(|m| m.first_day() >= p.first_day() && m.last_day() <= p.last_day())
        .map(|m| m.code())
        .collect()
}

/// The months the judgement of `req` reads: its whole calendar year(s).
fn month_range(req: &Period) -> (String, String) {
    (
        format!("{}-01", req.first_day().format("%Y")),
        format!("{}-12", req.last_day().format("%Y")),
    )
}

const ORG_FACTS: &str = "SELECT id, name, path, kind, founded_on, created_at, dissolved_at FROM orgs";

async fn facts(db: &Db, w: &Where) -> Result<Vec<OrgFacts>> {
    let (cond, _) = w.sql();
    let sql = format!("{ORG_FACTS} {cond} ORDER BY path");
    Ok(with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params())
        .fetch_all(p)
        .await?))
}

/// Held meetings per (org, kind, month) in a subtree and month range.
pub async fn counts(db: &Db, path: &str, from: &str, to: &str) -> Result<Counts> {
    let mut w = Where::default();
    w.prefix("o.path", path);
    w.push("m.month >= {}", Param::S(from.into()));
    w.push("m.month <= {}", Param::S(to.into()));
    w.push_raw("m.status = 'held'".into());
    let (cond, _) = w.sql();
    let sql = format!(
        "SELECT m.org_id, m.kind, m.month, COUNT(*) FROM meetings m JOIN orgs o ON o.id = m.org_id {cond} \
         GROUP BY m.org_id, m.kind, m.month"
    );
    let rows: Vec<(String, String, String, i64)> =
        with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params()).fetch_all(p).await?);
    Ok(rows.into_iter().map(|(o, k, m, n)| ((o, k, m), n)).collect())
}

/// Full members per organization in a subtree.
async fn full_members(db: &Db, path: &str) -> Result<HashMap<String, i64>> {
    let mut w = Where::default();
    w.prefix("org_path", path);
    w.push_raw("status = 'full' AND left_on IS NULL".into());
    let (cond, _) = w.sql();
    let sql = format!("SELECT org_id, COUNT(*) FROM people {cond} GROUP BY org_id");
    let rows: Vec<(String, i64)> = with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params()).fetch_all(p).await?);
    Ok(rows.into_iter().collect())
}

fn today(now: i64) -> NaiveDate {
    crate::clock::beijing(now).date_naive()
}

/// One organization's compliance for a period ("2026-03", "2026-Q1" or "2026").
pub async fn compliance(db: &Db, scope: &Scope, org_id: &str, period: &str, now: i64) -> Result<(OrgFacts, Vec<Item>)> {
    let org = crate::org::get(db, scope, org_id.trim()).await?;
    let req = Period::parse_any(period)?;
    let mut w = Where::default();
    w.push("id = {}", Param::S(org.id.clone()));
    let f = facts(db, &w)
        .await?
        .pop()
        .ok_or_else(|| crate::Error::NotFound("组织不存在".into()))?;
    let (from, to) = month_range(&req);
    let mut c = Where::default();
    c.push("org_id = {}", Param::S(org.id.clone()));
    c.push("month >= {}", Param::S(from));
    c.push("month <= {}", Param::S(to));
    c.push_raw("status = 'held'".into());
    let (cond, _) = c.sql();
    let sql = format!("SELECT org_id, kind, month, COUNT(*) FROM meetings {cond} GROUP BY org_id, kind, month");
    let rows: Vec<(String, String, String, i64)> =
        with_db!(db, |p| bind_all!(sqlx::query_as(&sql), c.params()).fetch_all(p).await?);
    let counts: Counts = rows.into_iter().map(|(o, k, m, n)| ((o, k, m), n)).collect();
    let full = full_members(db, &org.path).await?.get(&org.id).copied().unwrap_or(0);
    let items = judge(&f, full, &frequencies::table(db).await?, &counts, &req, today(now));
    Ok((f, items))
}

/// A subtree organization's compliance, as the superior's view lists it.
#[derive(Clone, Debug)]
pub struct OrgCompliance {
    pub org: OrgFacts,
    pub items: Vec<Item>,
}

impl OrgCompliance {
    pub fn overdue(&self) -> usize {
        self.items.iter().filter(|i| i.status == Standing::Overdue).count()
    }
}

/// Every organization under `org_id` (itself included) with an obligation
/// in the period, in tree order.
pub async fn supervision(db: &Db, scope: &Scope, org_id: &str, period: &str, now: i64) -> Result<Vec<OrgCompliance>> {
    let org = crate::org::get(db, scope, org_id.trim()).await?;
    let req = Period::parse_any(period)?;
    let mut w = Where::default();
    w.prefix("path", &org.path);
    let orgs = facts(db, &w).await?;
    let (from, to) = month_range(&req);
    let counts = counts(db, &org.path, &from, &to).await?;
    let full = full_members(db, &org.path).await?;
    let table = frequencies::table(db).await?;
    let today = today(now);
    Ok(orgs
        .into_iter()
        .filter(|o| scope.contains_path(&o.path))
        .map(|o| {
            let items = judge(&o, full.get(&o.id).copied().unwrap_or(0), &table, &counts, &req, today);
            OrgCompliance { org: o, items }
        })
        .filter(|c| c.items.iter().any(|i| i.status != Standing::NotApplicable))
        .collect())
}
