//! A problem's rectification: the organization reports it done with
//! evidence; the direct superior closes it (销号) or sends it back.
use super::problems::get;
use super::rules::{problem_transition, ProblemAction};
use super::{check_direct_superior, history, PROBLEM_FILES};
use crate::audit::{self, Actor, Event, Outcome};
use crate::db::Db;
use crate::files::Stored;
use crate::org::{self, Scope};
use crate::text::{check, check_optional, TextKind};
use crate::{with_tx, Error, Result};

/// The organization reports a problem rectified, with a note and evidence.
pub async fn report(
    db: &Db,
    now: i64,
    actor: &Actor,
    scope: &Scope,
    id: &str,
    note: &str,
    evidence: Vec<Stored>,
) -> Result<()> {
    let p = get(db, scope, id).await?;
    problem_transition(p.status(), ProblemAction::Report)?;
    let note = check("整改情况", note, 1000, TextKind::Free)?;
    db.transaction(move |tx| {
        let (p, note, evidence, actor) = (p.clone(), note.clone(), evidence.clone(), actor.clone());
        Box::pin(async move {
            history::lock(tx, now, &p.standard_id, &p.org_id).await?;
            let n = with_tx!(tx, |c| sqlx::query(
                "UPDATE standard_problems SET status = 'reported', report_note = $1, reported_by = $2, reported_at = $3, \
                 updated_at = $3 WHERE id = $4 AND status = 'open'"
            )
            .bind(&note)
            .bind(&actor.name)
            .bind(now)
            .bind(&p.id)
            .execute(c)
            .await?
            .rows_affected());
            if n == 0 {
                return Err(Error::Conflict("问题的状态已变化，请刷新后重试".into()));
            }
            for f in &evidence {
                crate::files::attach(tx, now, PROBLEM_FILES, &p.id, f, &actor.name).await?;
            }
            history::record(tx, now, &p.standard_id, &p.org_id, "problem_reported", &format!("{}：{note}", p.item_code), &actor.name).await?;
            let ev = Event::new("standard.problem.report", format!("{}：{}", p.org_name, p.item_title), Outcome::Ok)
                .detail(format!("{note}；佐证材料 {} 份", evidence.len()));
            audit::append(tx, now, &actor, &ev).await?;
            Ok(())
        })
    })
    .await
}

/// The direct superior verifies a reported problem: closes it (销号), or
/// sends it back open with the reason.
pub async fn verify(
    db: &Db,
    now: i64,
    actor: &Actor,
    scope: &Scope,
    id: &str,
    accepted: bool,
    comment: &str,
) -> Result<()> {
    let p = get(db, scope, id).await?;
    let org = org::get(db, scope, &p.org_id).await?;
    check_direct_superior(db, scope, &org, "核验销号").await?;
    let action = if accepted {
        ProblemAction::Close
    } else {
        ProblemAction::Reject
    };
    problem_transition(p.status(), action)?;
    let comment = if accepted {
        check_optional("核验意见", Some(comment), 500, TextKind::Free)?.unwrap_or_default()
    } else {
        if comment.trim().is_empty() {
            return Err(Error::invalid("退回理由", "退回整改报告须说明理由"));
        }
        check("退回理由", comment, 500, TextKind::Free)?
    };
    db.transaction(move |tx| {
        let (p, comment, actor) = (p.clone(), comment.clone(), actor.clone());
        Box::pin(async move {
            history::lock(tx, now, &p.standard_id, &p.org_id).await?;
            let sql = if accepted {
                "UPDATE standard_problems SET status = 'closed', verify_comment = $1, verified_by = $2, verified_at = $3, \
                 updated_at = $3 WHERE id = $4 AND status = 'reported'"
            } else {
                "UPDATE standard_problems SET status = 'open', verify_comment = $1, verified_by = $2, verified_at = $3, \
                 reopened = reopened + 1, updated_at = $3 WHERE id = $4 AND status = 'reported'"
            };
            let n = with_tx!(tx, |c| sqlx::query(sql)
                .bind(&comment)
                .bind(&actor.name)
                .bind(now)
                .bind(&p.id)
                .execute(c)
                .await?
                .rows_affected());
            if n == 0 {
                return Err(Error::Conflict("问题的状态已变化，请刷新后重试".into()));
            }
            let (kind, action) = if accepted {
                ("problem_closed", "standard.problem.verify")
            } else {
                ("problem_rejected", "standard.problem.reject")
            };
            let detail = format!("{}：{}", p.item_code, if comment.is_empty() { "核验通过" } else { &comment });
            history::record(tx, now, &p.standard_id, &p.org_id, kind, &detail, &actor.name).await?;
            let ev = Event::new(action, format!("{}：{}", p.org_name, p.item_title), Outcome::Ok).detail(detail);
            audit::append(tx, now, &actor, &ev).await?;
            Ok(())
        })
    })
    .await
}
