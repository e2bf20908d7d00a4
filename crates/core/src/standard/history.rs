//! An organization's cycle as it happened (历史记录), kept over the years:
//! problems listed and closed, lists returned, applications and decisions,
//! moves back. And the stored standing every change first locks, so
//! changes to one organization's cycle queue up.
use super::model::Stage;
use crate::db::{Db, Tx};
use crate::org::{self, Scope};
use crate::{ids, with_db, with_tx, Result};
use serde::Serialize;

/// The kinds of event, with their Chinese names.
pub const KINDS: &[(&str, &str)] = &[
    ("problem", "列入问题清单"),
    ("problem_reported", "报告整改完成"),
    ("problem_closed", "问题销号"),
    ("problem_rejected", "整改报告退回"),
    ("list_returned", "问题清单退回"),
    ("list_resubmitted", "问题清单重新提交"),
    ("applied", "申报验收"),
    ("withdrawn", "撤回申报"),
    ("passed", "验收通过"),
    ("failed", "验收未通过"),
    ("moved_back", "动态调整为未达标"),
    ("rectification", "软弱涣散整顿"),
];

pub fn kind_label(kind: &str) -> &'static str {
    KINDS.iter().find(|(k, _)| *k == kind).map_or("其他", |(_, l)| l)
}

#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Event {
    pub id: String,
    pub standard_id: String,
    pub standard_title: String,
    pub year: i64,
    pub org_id: String,
    pub org_name: String,
    pub kind: String,
    pub detail: String,
    pub actor: String,
    pub at: i64,
}

/// Records an event in the caller's transaction.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn record(
    tx: &mut Tx,
    now: i64,
    standard_id: &str,
    org_id: &str,
    kind: &'static str,
    detail: &str,
    actor: &str,
) -> Result<()> {
    with_tx!(tx, |c| {
        sqlx::query(
        "INSERT INTO standard_events (id, standard_id, org_id, kind, detail, actor, at) VALUES ($1, $2, $3, $4, $5, $6, $7)"
    )
    .bind(ids::new_id())
    .bind(standard_id)
    .bind(org_id)
    .bind(kind)
    .bind(detail)
    .bind(actor)
    .bind(now)
    .execute(c)
    .await?
    .rows_affected()
    });
    Ok(())
}

/// An organization's events on every standard, newest first.
pub async fn of_org(db: &Db, scope: &Scope, org_id: &str) -> Result<Vec<Event>> {
    let o = org::get(db, scope, org_id.trim()).await?;
    Ok(with_db!(db, |p| {
        sqlx::query_as(
        "SELECT e.id, e.standard_id, s.title AS standard_title, s.year, e.org_id, o.name AS org_name, e.kind, e.detail, \
         e.actor, e.at FROM standard_events e JOIN standards s ON s.id = e.standard_id JOIN orgs o ON o.id = e.org_id \
         WHERE e.org_id = $1 ORDER BY e.at DESC, e.id DESC LIMIT 1000"
    )
    .bind(&o.id)
    .fetch_all(p)
    .await?
    }))
}

/// Locks the organization's standing on the standard (made open, round 1,
/// when there is none) and answers its stage and round: every change to
/// an organization's cycle takes this row first, so they queue up.
pub(crate) async fn lock(tx: &mut Tx, now: i64, standard_id: &str, org_id: &str) -> Result<(Stage, i64)> {
    with_tx!(tx, |c| sqlx::query(
        "INSERT INTO standard_orgs (standard_id, org_id, stage, round, updated_at) VALUES ($1, $2, 'open', 1, $3) \
         ON CONFLICT (standard_id, org_id) DO NOTHING"
    )
    .bind(standard_id)
    .bind(org_id)
    .bind(now)
    .execute(c)
    .await?
    .rows_affected());
    with_tx!(tx, |c| sqlx::query(
        "UPDATE standard_orgs SET updated_at = $1 WHERE standard_id = $2 AND org_id = $3"
    )
    .bind(now)
    .bind(standard_id)
    .bind(org_id)
    .execute(c)
    .await?
    .rows_affected());
    let (stage, round): (String, i64) = with_tx!(tx, |c| sqlx::query_as(
        "SELECT stage, round FROM standard_orgs WHERE standard_id = $1 AND org_id = $2"
    )
    .bind(standard_id)
    .bind(org_id)
    .fetch_one(c)
    .await?);
    Ok((Stage::parse(&stage).unwrap_or(Stage::Open), round))
}

/// Moves the standing to `stage` (with its grade), as read under the lock.
pub(crate) async fn set_stage(
    tx: &mut Tx,
    now: i64,
    standard_id: &str,
    org_id: &str,
    stage: Stage,
    grade: Option<&str>,
    round: i64,
) -> Result<()> {
    let accepted = (stage == Stage::Accepted).then_some(now);
    with_tx!(tx, |c| sqlx::query(
        "UPDATE standard_orgs SET stage = $1, grade = $2, round = $3, accepted_at = $4, updated_at = $5 \
         WHERE standard_id = $6 AND org_id = $7"
    )
    .bind(stage.code())
    .bind(grade)
    .bind(round)
    .bind(accepted)
    .bind(now)
    .bind(standard_id)
    .bind(org_id)
    .execute(c)
    .await?
    .rows_affected());
    Ok(())
}
