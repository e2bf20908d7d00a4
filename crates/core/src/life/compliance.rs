//! Compliance (合规): for an organization and a period, each obligation's
//! due and held counts and its standing, computed from the records — never
//! self-declared; and the superior's view of its whole subtree.
use super::frequencies::{self, Table};
use super::model::Kind;
use super::rules::{due_in, standing, windows, Standing};
use crate::db::Db;
use crate::org::Scope;
use crate::plan::Period;
use crate::rules::structure::COMMITTEE_REQUIRED_FROM;
use crate::sql::{Param, Where};
use crate::{bind_all, with_db, Result};
use chrono::{Datelike, NaiveDate};
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

/// Held meetings: org id → (kind, month index) → count, the month index
/// being year × 12 + month − 1 (no text to build per lookup).
pub type Counts = HashMap<String, HashMap<(Kind, i32), i64>>;

/// "2026-04" → 2026 × 12 + 3.
fn month_index(m: &str) -> Option<i32> {
    let y: i32 = m.get(..4)?.parse().ok()?;
    let mo: i32 = m.get(5..7)?.parse().ok()?;
    Some(y * 12 + mo - 1)
}

fn into_counts(rows: Vec<(String, String, String, i64)>) -> Counts {
    let mut out: Counts = HashMap::new();
    for (org, kind, month, n) in rows {
        if let (Some(k), Some(m)) = (Kind::parse(&kind), month_index(&month)) {
            *out.entry(org).or_default().entry((k, m)).or_insert(0) += n;
        }
    }
    out
}

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
    let held_in = counts.get(&org.id);
    Kind::ALL
        .into_iter()
        .filter_map(|kind| {
            let f = table.get(&(org.kind.clone(), kind))?;
            // A branch below the committee threshold has no 支委会 to convene.
            // An organization with no full member yet (a group still empty) owes no meeting;
            // a branch below the committee threshold has no 支委会 to convene.
            let applies = full_members > 0
                && !(kind == Kind::CommitteeMeeting && org.kind == "branch" && full_members < COMMITTEE_REQUIRED_FROM);
            let ws: Vec<(Period, i64, i64)> = windows(f.period, req)
                .into_iter()
                .map(|w| {
                    let due = if applies { due_in(f.times, &w, alive) } else { 0 };
                    let held = held_in.map_or(0, |h| {
                        months_of(&w).map(|m| h.get(&(kind, m)).copied().unwrap_or(0)).sum()
                    });
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

/// The month indexes of a period's whole months.
fn months_of(p: &Period) -> std::ops::RangeInclusive<i32> {
    let index = |d: NaiveDate| d.year() * 12 + d.month0() as i32;
    let (a, b) = (p.first_day(), p.last_day());
    // A month counts only when the period holds all of it.
    let first = if a.day() == 1 { index(a) } else { index(a) + 1 };
    let last = if b.succ_opt().is_none_or(|n| n.day() == 1) {
        index(b)
    } else {
        index(b) - 1
    };
    first..=last
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
    Ok(into_counts(rows))
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
    let counts = into_counts(rows);
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
