//! The superior's other views of a standard: year over year (from the
//! stored standings, one GROUP BY), and the overrides of computed items to
//! review.
use super::catalog;
use super::ledger::Grades;
use crate::db::Db;
use crate::org::{self, Scope};
use crate::sql::{Param, Where};
use crate::{bind_all, with_db, Result};
use serde::Serialize;
use std::collections::HashMap;

/// One year of an organization's standards, from the stored standings.
#[derive(Clone, Debug, Serialize)]
pub struct YearFigures {
    pub year: i64,
    pub standard_id: String,
    pub title: String,
    pub applied: i64,
    pub accepted: i64,
    pub grades: Grades,
    pub open_problems: i64,
    pub closed_problems: i64,
}

/// Year over year: the standards `org_id` published, with the stored
/// standings (applied, accepted, grades) and problems of the organizations
/// in the scope, oldest first.
pub async fn trend(db: &Db, scope: &Scope, org_id: &str) -> Result<Vec<YearFigures>> {
    let owner = org::get(db, scope, org_id.trim()).await?;
    let mut w = Where::default();
    w.push("s.org_id = {}", Param::S(owner.id.clone()));
    w.push_raw("s.status <> 'draft'".into());
    scope.restrict(&mut w, "o.path");
    let (cond, _) = w.sql();
    let sql = format!(
        "SELECT s.year, s.id, s.title, \
         COALESCE(SUM(CASE WHEN so.stage = 'applied' THEN 1 ELSE 0 END), 0), \
         COALESCE(SUM(CASE WHEN so.stage = 'accepted' THEN 1 ELSE 0 END), 0), \
         COALESCE(SUM(CASE WHEN so.stage = 'accepted' AND so.grade = 'i' THEN 1 ELSE 0 END), 0), \
         COALESCE(SUM(CASE WHEN so.stage = 'accepted' AND so.grade = 'ii' THEN 1 ELSE 0 END), 0), \
         COALESCE(SUM(CASE WHEN so.stage = 'accepted' AND so.grade = 'iii' THEN 1 ELSE 0 END), 0) \
         FROM standards s JOIN standard_orgs so ON so.standard_id = s.id JOIN orgs o ON o.id = so.org_id {cond} \
         GROUP BY s.year, s.id, s.title ORDER BY s.year, s.id"
    );
    type Row = (i64, String, String, i64, i64, i64, i64, i64);
    let rows: Vec<Row> = with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params()).fetch_all(p).await?);
    let sql = format!(
        "SELECT s.id, COALESCE(SUM(CASE WHEN p.status <> 'closed' THEN 1 ELSE 0 END), 0), \
         COALESCE(SUM(CASE WHEN p.status = 'closed' THEN 1 ELSE 0 END), 0) \
         FROM standards s JOIN standard_problems p ON p.standard_id = s.id JOIN orgs o ON o.id = p.org_id {cond} \
         GROUP BY s.id"
    );
    let problems: Vec<(String, i64, i64)> =
        with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params()).fetch_all(p).await?);
    let problems: HashMap<String, (i64, i64)> = problems.into_iter().map(|(id, o, c)| (id, (o, c))).collect();
    Ok(rows
        .into_iter()
        .map(|(year, id, title, applied, accepted, i, ii, iii)| {
            let (open, closed) = problems.get(&id).copied().unwrap_or((0, 0));
            YearFigures {
                year,
                standard_id: id,
                title,
                applied,
                accepted,
                grades: Grades { i, ii, iii },
                open_problems: open,
                closed_problems: closed,
            }
        })
        .collect())
}

/// A computed item's result overridden by an organization, for the superior to review.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Override {
    pub org_id: String,
    pub org_name: String,
    pub code: String,
    pub item_title: String,
    pub met: bool,
    pub reason: String,
    pub updated_by: String,
    pub updated_at: i64,
}

/// Every override of a computed item on a standard in the scope.
pub async fn overrides(db: &Db, scope: &Scope, standard_id: &str) -> Result<Vec<Override>> {
    let standard = catalog::get(db, scope, standard_id).await?;
    let mut w = Where::default();
    w.push("c.standard_id = {}", Param::S(standard.id.clone()));
    w.push_raw("c.override_reason <> '' AND c.met IS NOT NULL".into());
    scope.restrict(&mut w, "o.path");
    let (cond, _) = w.sql();
    let sql = format!(
        "SELECT c.org_id, o.name AS org_name, c.code, i.title AS item_title, c.met, c.override_reason AS reason, \
         c.updated_by, c.updated_at FROM standard_checks c JOIN orgs o ON o.id = c.org_id \
         JOIN standard_items i ON i.standard_id = c.standard_id AND i.code = c.code {cond} ORDER BY o.path, i.seq LIMIT 2000"
    );
    Ok(with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params())
        .fetch_all(p)
        .await?))
}
