//! 台账: a superior's ledger of one standard — counts by status and grade,
//! each organization's row (status, grade, open and overdue problems), and
//! the same counts by the organizations right below the ledger's root
//! (sub-committees, general branches). Every figure comes from aggregate
//! queries over the subtree (figures::judge_all); rows are never read one
//! organization at a time.
use super::catalog;
use super::computed::Target;
use super::figures::{judge_all, Sel};
use super::model::{Grade, Standard, StandardStatus, Status};
use crate::db::Db;
use crate::org::{self, Org, Scope};
use crate::sql::Where;
use crate::{bind_all, with_db, Error, Result};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub not_started: i64,
    pub not_met: i64,
    pub met: i64,
    pub applied: i64,
    pub accepted: i64,
}

impl Counts {
    fn add(&mut self, s: Status) {
        match s {
            Status::NotStarted => self.not_started += 1,
            Status::NotMet => self.not_met += 1,
            Status::Met => self.met += 1,
            Status::Applied => self.applied += 1,
            Status::Accepted => self.accepted += 1,
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Grades {
    pub i: i64,
    pub ii: i64,
    pub iii: i64,
}

impl Grades {
    pub(super) fn add(&mut self, g: Option<Grade>) {
        match g {
            Some(Grade::I) => self.i += 1,
            Some(Grade::Ii) => self.ii += 1,
            Some(Grade::Iii) => self.iii += 1,
            None => {}
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct LedgerRow {
    pub org_id: String,
    pub org_name: String,
    /// The organization right below the ledger's root it lies under (itself when it is one).
    pub group_id: String,
    pub status: Status,
    pub grade: Option<Grade>,
    pub round: i64,
    pub open_problems: i64,
    pub overdue_problems: i64,
    pub baseline_unmet: i64,
    /// The refined items' share of points met, basis points.
    pub share_bp: i64,
}

#[derive(Clone, Debug, Serialize)]
pub struct GroupRow {
    pub org_id: String,
    pub org_name: String,
    pub counts: Counts,
    pub grades: Grades,
    pub open_problems: i64,
    pub overdue_problems: i64,
}

#[derive(Clone, Debug, Serialize)]
pub struct Ledger {
    pub standard: Standard,
    pub root_id: String,
    pub root_name: String,
    pub counts: Counts,
    pub grades: Grades,
    pub open_problems: i64,
    pub overdue_problems: i64,
    /// Organizations the standard applies to under the root (before the status filter and limit).
    pub total: usize,
    pub rows: Vec<LedgerRow>,
    pub groups: Vec<GroupRow>,
}

/// What to show.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct LedgerQuery {
    /// The ledger's root; the standard's publisher (or the caller's organization below it) when None.
    #[serde(default)]
    pub org_id: Option<String>,
    /// Only rows of this status (the counts stay whole).
    #[serde(default)]
    pub status: Option<String>,
    /// At most this many rows (all when None).
    #[serde(default)]
    pub limit: Option<usize>,
}

/// The ledger's root and the subtree the standard is judged over.
async fn roots(db: &Db, scope: &Scope, standard: &Standard, org_id: Option<&str>) -> Result<(Org, Org)> {
    let owner = org::anywhere(db, &standard.org_id).await?;
    let root = match org_id.map(str::trim).filter(|s| !s.is_empty()) {
        Some(id) => org::get(db, scope, id).await?,
        None if scope.contains_path(&owner.path) => owner.clone(),
        None => org::scope_roots(db, scope)
            .await?
            .into_iter()
            .find(|o| o.path.starts_with(&owner.path))
            .ok_or_else(|| Error::NotFound("组织不存在或不在您的管理范围内".into()))?,
    };
    let area = if root.path.starts_with(&owner.path) {
        root.clone()
    } else if owner.path.starts_with(&root.path) {
        owner
    } else {
        return Err(Error::invalid(
            "组织",
            format!("“{}”不适用于{}", standard.display(), root.name),
        ));
    };
    Ok((root, area))
}

/// The organizations the standard applies to under `area`, in the scope.
async fn targets(db: &Db, scope: &Scope, standard: &Standard, area: &Org) -> Result<Vec<(Target, String)>> {
    let mut w = Where::default();
    w.prefix("path", &area.path);
    scope.restrict(&mut w, "path");
    let kinds: Vec<String> = standard.kinds().iter().map(|k| k.to_string()).collect();
    let list = w.in_list(&kinds);
    w.push_raw(format!("kind IN ({list}) AND dissolved_at IS NULL"));
    let (cond, _) = w.sql();
    let sql = format!("SELECT id, path, kind, name FROM orgs {cond} ORDER BY path");
    let rows: Vec<(String, String, String, String)> =
        with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params()).fetch_all(p).await?);
    Ok(rows
        .into_iter()
        .filter(|(_, path, kind, _)| standard.applies_to(kind, path))
        .map(|(id, path, kind, name)| (Target { id, path, kind }, name))
        .collect())
}

/// The ledger of a published standard under a root, as of `now`.
pub async fn ledger(db: &Db, scope: &Scope, standard_id: &str, q: &LedgerQuery, now: i64) -> Result<Ledger> {
    let standard = catalog::get(db, scope, standard_id).await?;
    if standard.status() == StandardStatus::Draft {
        return Err(Error::Conflict(format!("“{}”尚未发布，没有台账", standard.display())));
    }
    let only = match q.status.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(
            Status::parse(s)
                .ok_or_else(|| Error::invalid("状态", "应为 not_started、not_met、met、applied 或 accepted"))?,
        ),
    };
    let (root, area) = roots(db, scope, &standard, q.org_id.as_deref()).await?;
    let items = catalog::items_of(db, &standard.id).await?;
    let named = targets(db, scope, &standard, &area).await?;
    let list: Vec<Target> = named.iter().map(|(t, _)| t.clone()).collect();
    let judged = judge_all(db, scope, &standard, &items, &area, &list, Sel::Under(&area.path), now).await?;
    let children: Vec<(String, String)> = with_db!(db, |p| sqlx::query_as(
        "SELECT id, name FROM orgs WHERE parent_id = $1 ORDER BY path"
    )
    .bind(&root.id)
    .fetch_all(p)
    .await?);
    let depth = root.path.matches('/').count() - 1;
    let mut groups: Vec<GroupRow> = children
        .iter()
        .map(|(id, name)| GroupRow {
            org_id: id.clone(),
            org_name: name.clone(),
            counts: Counts::default(),
            grades: Grades::default(),
            open_problems: 0,
            overdue_problems: 0,
        })
        .collect();
    let index: HashMap<String, usize> = groups.iter().enumerate().map(|(i, g)| (g.org_id.clone(), i)).collect();
    let (mut counts, mut grades, mut open, mut overdue) = (Counts::default(), Grades::default(), 0, 0);
    let mut rows = Vec::with_capacity(named.len());
    for (t, name) in &named {
        let Some(j) = judged.get(&t.id) else { continue };
        let group = t
            .path
            .split('/')
            .filter(|s| !s.is_empty())
            .nth(depth)
            .unwrap_or(&t.id)
            .to_string();
        let grade = j.standing.grade.filter(|_| j.judged.status == Status::Accepted);
        counts.add(j.judged.status);
        grades.add(grade);
        open += j.figures.open_problems;
        overdue += j.figures.overdue_problems;
        if let Some(g) = index.get(&group).and_then(|i| groups.get_mut(*i)) {
            g.counts.add(j.judged.status);
            g.grades.add(grade);
            g.open_problems += j.figures.open_problems;
            g.overdue_problems += j.figures.overdue_problems;
        }
        rows.push(LedgerRow {
            org_id: t.id.clone(),
            org_name: name.clone(),
            group_id: group,
            status: j.judged.status,
            grade,
            round: j.standing.round,
            open_problems: j.figures.open_problems,
            overdue_problems: j.figures.overdue_problems,
            baseline_unmet: j.judged.baseline_unmet,
            share_bp: j.judged.share_bp,
        });
    }
    let total = rows.len();
    rows.retain(|r| only.is_none_or(|s| r.status == s));
    if let Some(n) = q.limit {
        rows.truncate(n);
    }
    groups.retain(|g| g.counts != Counts::default());
    Ok(Ledger {
        standard,
        root_id: root.id,
        root_name: root.name,
        counts,
        grades,
        open_problems: open,
        overdue_problems: overdue,
        total,
        rows,
        groups,
    })
}

pub use super::trend::{overrides, trend, Override, YearFigures};
