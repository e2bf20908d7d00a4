//! One page of the pipeline (发展党员队伍), most pressing first: ordered in
//! the database by each person's kept next deadline (`next_due`), so a
//! superior's page reads twenty histories, not everyone in development.
use super::pipeline::{filtered, load, stage_counts, InDevelopment, Only, PipelineFilter, StageCount};
use crate::db::Db;
use crate::org::Scope;
use crate::sql::Param;
use crate::{bind_all, with_db, Result};

/// What the pipeline page shows above its list.
#[derive(Clone, Debug)]
pub struct PipelineSummary {
    /// Every stage, in order, even when none.
    pub counts: Vec<StageCount>,
    /// People the filter lists.
    pub total: i64,
    /// Of them, those with something overdue.
    pub overdue: i64,
}

/// Nothing comes due for a full member (the list of those approved here).
/// `next_deadline` is the earliest date that is late once passed (a step that
/// may be taken from a date never is).
const NO_DEADLINE: &str = "(d.next_on IS NULL OR p.status = 'full')";

/// The counts per stage, and how many people the filter lists and how many
/// of them have something overdue.
pub async fn pipeline_summary(db: &Db, scope: &Scope, f: &PipelineFilter, now: i64) -> Result<PipelineSummary> {
    let day = crate::clock::beijing(now).date_naive().format("%Y-%m-%d").to_string();
    let counts = stage_counts(db, scope, f).await?;
    let w = filtered(db, scope, f).await?;
    let (cond, _) = w.sql();
    let sql = format!("SELECT COUNT(*) FROM people p {cond}");
    let total: i64 = with_db!(db, |p| bind_all!(sqlx::query_scalar(&sql), w.params())
        .fetch_one(p)
        .await?);
    let mut w = filtered(db, scope, f).await?;
    w.push_raw(format!("NOT {NO_DEADLINE}"));
    w.push("d.next_deadline < {}", Param::S(day));
    let (cond, _) = w.sql();
    let sql = format!("SELECT COUNT(*) FROM people p JOIN development_due d ON d.person_id = p.id {cond}");
    let overdue: i64 = with_db!(db, |p| bind_all!(sqlx::query_scalar(&sql), w.params())
        .fetch_one(p)
        .await?);
    Ok(PipelineSummary { counts, total, overdue })
}

/// One page of the filter's people: overdue first (by the earliest
/// deadline), then the rest by their earliest date, then those with nothing
/// due; by name within a day, as `pipeline` orders them.
pub async fn pipeline_people(
    db: &Db,
    scope: &Scope,
    f: &PipelineFilter,
    now: i64,
    offset: i64,
    limit: i64,
) -> Result<Vec<InDevelopment>> {
    let today = crate::clock::beijing(now).date_naive();
    let mut w = filtered(db, scope, f).await?;
    let (cond, _) = w.sql();
    let t = w.param(Param::S(today.format("%Y-%m-%d").to_string()));
    let lim = w.param(Param::I(limit));
    let off = w.param(Param::I(offset));
    let sql = format!(
        "SELECT p.id FROM people p LEFT JOIN development_due d ON d.person_id = p.id {cond} \
         ORDER BY CASE WHEN {NO_DEADLINE} THEN 2 WHEN d.next_deadline < {t} THEN 0 ELSE 1 END, \
         CASE WHEN d.next_deadline < {t} THEN d.next_deadline ELSE d.next_on END, p.name_pinyin, p.id \
         LIMIT {lim} OFFSET {off}"
    );
    let ids: Vec<String> = with_db!(db, |p| bind_all!(sqlx::query_scalar(&sql), w.params())
        .fetch_all(p)
        .await?);
    let loaded = load(db, scope, f, Only::Ids(&ids)).await?;
    let mut rows = loaded.rows(today);
    rows.sort_by_key(|r| ids.iter().position(|id| *id == r.person_id));
    Ok(rows)
}
