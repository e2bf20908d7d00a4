//! The 述职 reports a scope reads for a year: its own organizations'
//! drafts and submitted reports, and the submitted ones of the
//! organizations below (the superior reads them once submitted).
use crate::db::Db;
use crate::org::Scope;
use crate::sql::{Param, Where};
use crate::{bind_all, with_db, Result};

#[derive(Clone, Debug, serde::Serialize, sqlx::FromRow)]
pub struct ReportRow {
    pub org_id: String,
    pub org_name: String,
    pub person_id: String,
    pub person_name: String,
    pub year: i64,
    pub submitted: bool,
    pub updated_at: i64,
    pub submitted_at: Option<i64>,
    #[serde(skip)]
    pub org_path: String,
}

/// The reports of a year the scope reads, organizations in tree order.
pub async fn list(db: &Db, scope: &Scope, year: i64) -> Result<Vec<ReportRow>> {
    let mut w = Where::default();
    w.push("r.year = {}", Param::I(year));
    scope.restrict(&mut w, "o.path");
    let (cond, _) = w.sql();
    let sql = format!(
        "SELECT r.org_id, o.name AS org_name, r.person_id, p.name AS person_name, r.year, \
         r.status = 'submitted' AS submitted, r.updated_at, r.submitted_at, o.path AS org_path \
         FROM assessment_reports r JOIN orgs o ON o.id = r.org_id JOIN people p ON p.id = r.person_id {cond} \
         ORDER BY o.path, p.name"
    );
    let rows: Vec<ReportRow> = with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params()).fetch_all(p).await?);
    Ok(rows
        .into_iter()
        .filter(|r| r.submitted || scope.holds_at(&r.org_path))
        .collect())
}
