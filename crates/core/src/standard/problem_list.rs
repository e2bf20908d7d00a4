//! The problem list as a whole: listed for a scope (by standard,
//! organization, status, owner, overdue), returned by the direct superior
//! with the reason (退回), and resubmitted by the organization once revised.
use super::catalog;
use super::problems::{Problem, SELECT};
use super::{check_direct_superior, history};
use crate::audit::{self, Actor, Event, Outcome};
use crate::db::Db;
use crate::org::{self, Scope};
use crate::sql::{Param, Where};
use crate::text::{check, TextKind};
use crate::{bind_all, with_db, with_tx, Error, Result};
use serde::Deserialize;

/// Which problems to list.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct ProblemQuery {
    #[serde(default)]
    pub standard_id: Option<String>,
    /// An organization and everything under it.
    #[serde(default)]
    pub org_id: Option<String>,
    /// open, reported or closed.
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub owner_id: Option<String>,
    /// Only open problems past their deadline.
    #[serde(default)]
    pub overdue: bool,
}

/// The problems in the scope the query selects, by organization and item (at most 2000).
pub async fn list(db: &Db, scope: &Scope, q: &ProblemQuery, now: i64) -> Result<Vec<Problem>> {
    let today = super::today(now).to_string();
    let mut w = Where::default();
    scope.restrict(&mut w, "o.path");
    if let Some(s) = q.standard_id.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        w.push("p.standard_id = {}", Param::S(s.into()));
    }
    if let Some(o) = q.org_id.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        let o = org::get(db, scope, o).await?;
        w.prefix("o.path", &o.path);
    }
    if let Some(s) = q.status.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        if super::ProblemStatus::parse(s).is_none() {
            return Err(Error::invalid(
                "状态",
                "应为 open（整改中）、reported（已报告待核验）或 closed（已销号）",
            ));
        }
        w.push("p.status = {}", Param::S(s.into()));
    }
    if let Some(p) = q.owner_id.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        w.push("p.owner_id = {}", Param::S(p.into()));
    }
    if q.overdue {
        w.push("p.deadline < {}", Param::S(today.clone()));
        w.push_raw("p.status = 'open'".into());
    }
    let (cond, _) = w.sql();
    let sql = format!("{SELECT} {cond} ORDER BY o.path, i.seq, p.created_at LIMIT 2000");
    let rows: Vec<Problem> = with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params()).fetch_all(p).await?);
    Ok(rows.into_iter().map(|p| p.judged(&today)).collect())
}

/// The direct superior returns an organization's problem list to be revised.
#[allow(clippy::too_many_arguments)]
pub async fn return_list(
    db: &Db,
    now: i64,
    actor: &Actor,
    scope: &Scope,
    org_id: &str,
    standard_id: &str,
    reason: &str,
) -> Result<()> {
    let standard = catalog::get(db, scope, standard_id).await?;
    let org = super::subject(db, scope, &standard, org_id).await?;
    check_direct_superior(db, scope, &org, "审核问题清单").await?;
    if reason.trim().is_empty() {
        return Err(Error::invalid("退回理由", "退回问题清单须说明需要修改的内容"));
    }
    let reason = check("退回理由", reason, 500, TextKind::Free)?;
    db.transaction(move |tx| {
        let (standard, org, reason, actor) = (standard.clone(), org.clone(), reason.clone(), actor.clone());
        Box::pin(async move {
            history::lock(tx, now, &standard.id, &org.id).await?;
            let open: i64 = with_tx!(tx, |c| sqlx::query_scalar(
                "SELECT COUNT(*) FROM standard_problems WHERE standard_id = $1 AND org_id = $2 AND status = 'open'"
            )
            .bind(&standard.id)
            .bind(&org.id)
            .fetch_one(c)
            .await?);
            if open == 0 {
                return Err(Error::Conflict("问题清单中没有整改中的问题，无需退回".into()));
            }
            with_tx!(tx, |c| sqlx::query(
                "UPDATE standard_orgs SET list_returned_reason = $1, list_returned_by = $2, list_returned_at = $3 \
                 WHERE standard_id = $4 AND org_id = $5"
            )
            .bind(&reason)
            .bind(&actor.name)
            .bind(now)
            .bind(&standard.id)
            .bind(&org.id)
            .execute(c)
            .await?
            .rows_affected());
            history::record(tx, now, &standard.id, &org.id, "list_returned", &reason, &actor.name).await?;
            let ev = Event::new(
                "standard.list.return",
                format!("{}：{}", org.name, standard.display()),
                Outcome::Ok,
            )
            .detail(reason.clone());
            audit::append(tx, now, &actor, &ev).await?;
            Ok(())
        })
    })
    .await
}

/// The organization resubmits its revised problem list after a return.
pub async fn resubmit_list(
    db: &Db,
    now: i64,
    actor: &Actor,
    scope: &Scope,
    org_id: &str,
    standard_id: &str,
) -> Result<()> {
    let standard = catalog::get(db, scope, standard_id).await?;
    let org = super::subject(db, scope, &standard, org_id).await?;
    db.transaction(move |tx| {
        let (standard, org, actor) = (standard.clone(), org.clone(), actor.clone());
        Box::pin(async move {
            history::lock(tx, now, &standard.id, &org.id).await?;
            let n = with_tx!(tx, |c| sqlx::query(
                "UPDATE standard_orgs SET list_returned_reason = NULL, list_returned_by = NULL, list_returned_at = NULL \
                 WHERE standard_id = $1 AND org_id = $2 AND list_returned_at IS NOT NULL"
            )
            .bind(&standard.id)
            .bind(&org.id)
            .execute(c)
            .await?
            .rows_affected());
            if n == 0 {
                return Err(Error::Conflict("问题清单未被退回，无需重新提交".into()));
            }
            history::record(tx, now, &standard.id, &org.id, "list_resubmitted", "已按意见修改", &actor.name).await?;
            let ev = Event::new("standard.list.resubmit", format!("{}：{}", org.name, standard.display()), Outcome::Ok);
            audit::append(tx, now, &actor, &ev).await?;
            Ok(())
        })
    })
    .await
}
