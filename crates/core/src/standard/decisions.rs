//! 验收: only the direct superior by 隶属关系 decides an application — pass
//! with a grade (suggested from the refined items' share against the
//! standard's thresholds; another grade needs a reason), or fail with a
//! problem list that opens the next round; one by one or as a year-end
//! batch. Dynamic management: an accepted organization can be moved back
//! with a reason.
use super::applications::{get, Application};
use super::catalog;
use super::checks::self_check;
use super::model::{AppStatus, Grade, Source, Stage, Standard};
use super::problems::Found;
use super::rounds::{check_found, next_round};
use super::{check_direct_superior, history};
use crate::audit::{self, Actor, Event, Outcome};
use crate::db::{Db, Tx};
use crate::org::{self, Org, Scope};
use crate::text::{check_optional, TextKind};
use crate::{with_tx, Error, Result};
use serde::Deserialize;

/// A decision as typed.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct Decision {
    pub passed: bool,
    /// i, ii or iii; the suggested grade when None.
    #[serde(default)]
    pub grade: Option<String>,
    /// Required when the grade differs from the suggested one.
    #[serde(default)]
    pub grade_reason: String,
    #[serde(default)]
    pub comment: String,
    /// On a failure: the problems of the next round (at least one).
    #[serde(default)]
    pub problems: Vec<Found>,
}

/// The application, if the caller is its organization's direct superior and it waits.
async fn decidable(db: &Db, scope: &Scope, id: &str) -> Result<(Application, Org, Standard)> {
    let a = get(db, scope, id).await?;
    let org = org::get(db, scope, &a.org_id).await?;
    check_direct_superior(db, scope, &org, "验收").await?;
    if a.status() != AppStatus::Pending {
        return Err(Error::Conflict(format!("该申报{}，不能重复验收", a.status().label())));
    }
    let standard = catalog::get(db, scope, &a.standard_id).await?;
    super::current(&standard)?;
    Ok((a, org, standard))
}

/// What a pass writes: the grade, the suggested one, the share.
#[derive(Clone)]
struct Pass {
    grade: Grade,
    suggested: Grade,
    share_bp: i64,
    reason: String,
}

/// The pass the records allow now: refused while something is missing.
async fn pass_for(
    db: &Db,
    scope: &Scope,
    a: &Application,
    grade: Option<&str>,
    reason: &str,
    now: i64,
) -> Result<Pass> {
    let sc = self_check(db, scope, &a.org_id, &a.standard_id, now).await?;
    if !sc.missing.is_empty() {
        return Err(Error::Conflict(format!(
            "{}申报后情况已变化，尚不达标：{}；请作出未通过的决定并列出问题清单",
            a.org_name,
            sc.missing.join("；")
        )));
    }
    let grade = match grade.map(str::trim).filter(|g| !g.is_empty()) {
        None => sc.suggested_grade,
        Some(g) => Grade::parse(g).ok_or_else(|| Error::invalid("定级", format!("“{g}”无效，应为 i、ii 或 iii")))?,
    };
    let reason = check_optional("定级理由", Some(reason), 500, TextKind::Free)?.unwrap_or_default();
    if grade != sc.suggested_grade && reason.is_empty() {
        return Err(Error::invalid(
            "定级理由",
            format!(
                "定为{}与按提升项得分率（{}%）建议的{}不同，须说明理由",
                grade.label(),
                sc.share_bp / 100,
                sc.suggested_grade.label()
            ),
        ));
    }
    Ok(Pass {
        grade,
        suggested: sc.suggested_grade,
        share_bp: sc.share_bp,
        reason,
    })
}

async fn write_pass(tx: &mut Tx, now: i64, actor: &Actor, a: &Application, p: &Pass, comment: &str) -> Result<()> {
    let (stage, round) = history::lock(tx, now, &a.standard_id, &a.org_id).await?;
    let n = with_tx!(tx, |c| sqlx::query(
        "UPDATE standard_applications SET status = 'passed', grade = $1, suggested_grade = $2, share_bp = $3, \
         grade_reason = $4, comment = $5, decided_by = $6, decided_at = $7 WHERE id = $8 AND status = 'pending'"
    )
    .bind(p.grade.code())
    .bind(p.suggested.code())
    .bind(p.share_bp)
    .bind(&p.reason)
    .bind(comment)
    .bind(&actor.name)
    .bind(now)
    .bind(&a.id)
    .execute(c)
    .await?
    .rows_affected());
    if n == 0 || stage != Stage::Applied {
        return Err(Error::Conflict(format!("{}的申报状态已变化，请刷新后重试", a.org_name)));
    }
    history::set_stage(
        tx,
        now,
        &a.standard_id,
        &a.org_id,
        Stage::Accepted,
        Some(p.grade.code()),
        round,
    )
    .await?;
    let mut detail = format!("验收通过，定为{}", p.grade.label());
    if !p.reason.is_empty() {
        detail.push_str(&format!("（建议{}，理由：{}）", p.suggested.label(), p.reason));
    }
    history::record(tx, now, &a.standard_id, &a.org_id, "passed", &detail, &actor.name).await?;
    let ev = Event::new(
        "standard.accept",
        format!("{}：{}", a.org_name, a.standard_title),
        Outcome::Ok,
    )
    .detail(detail);
    audit::append(tx, now, actor, &ev).await?;
    Ok(())
}

/// The direct superior's decision on one application.
pub async fn decide(db: &Db, now: i64, actor: &Actor, scope: &Scope, id: &str, d: Decision) -> Result<()> {
    let (a, org, standard) = decidable(db, scope, id).await?;
    let comment = check_optional("验收意见", Some(&d.comment), 1000, TextKind::Free)?.unwrap_or_default();
    if d.passed {
        let p = pass_for(db, scope, &a, d.grade.as_deref(), &d.grade_reason, now).await?;
        return db
            .transaction(move |tx| {
                let (a, p, comment, actor) = (a.clone(), p.clone(), comment.clone(), actor.clone());
                Box::pin(async move { write_pass(tx, now, &actor, &a, &p, &comment).await })
            })
            .await;
    }
    if comment.is_empty() {
        return Err(Error::invalid("验收意见", "验收未通过须说明意见"));
    }
    if d.problems.is_empty() {
        return Err(Error::invalid(
            "问题清单",
            "验收未通过须列出问题清单，明确整改事项、责任人和时限",
        ));
    }
    let found = check_found(db, &standard, &org, &d.problems, now).await?;
    db.transaction(move |tx| {
        let (a, found, comment, actor) = (a.clone(), found.clone(), comment.clone(), actor.clone());
        Box::pin(async move {
            let (stage, round) = history::lock(tx, now, &a.standard_id, &a.org_id).await?;
            let n = with_tx!(tx, |c| {
                sqlx::query(
                "UPDATE standard_applications SET status = 'failed', comment = $1, decided_by = $2, decided_at = $3 \
                 WHERE id = $4 AND status = 'pending'"
            )
            .bind(&comment)
            .bind(&actor.name)
            .bind(now)
            .bind(&a.id)
            .execute(c)
            .await?
            .rows_affected()
            });
            if n == 0 || stage != Stage::Applied {
                return Err(Error::Conflict("申报的状态已变化，请刷新后重试".into()));
            }
            let next = next_round(
                tx,
                now,
                &a.standard_id,
                &a.org_id,
                round,
                Source::Acceptance,
                Some(&a.id),
                &found,
                &actor.name,
            )
            .await?;
            let detail = format!("验收未通过：{comment}；列出问题 {} 个，进入第{next}轮整改", found.len());
            history::record(tx, now, &a.standard_id, &a.org_id, "failed", &detail, &actor.name).await?;
            let ev = Event::new(
                "standard.fail",
                format!("{}：{}", a.org_name, a.standard_title),
                Outcome::Ok,
            )
            .detail(detail);
            audit::append(tx, now, &actor, &ev).await?;
            Ok(())
        })
    })
    .await
}

/// The year-end batch: passes every application listed with its suggested
/// grade, all or none; a refusal names the organization. Answers each
/// application with its grade.
pub async fn accept_batch(
    db: &Db,
    now: i64,
    actor: &Actor,
    scope: &Scope,
    ids: &[String],
    comment: &str,
) -> Result<Vec<(String, Grade)>> {
    if ids.is_empty() {
        return Err(Error::invalid("申报", "请至少选择一个待验收的申报"));
    }
    let comment = check_optional("验收意见", Some(comment), 1000, TextKind::Free)?.unwrap_or_default();
    let mut passes: Vec<(Application, Pass)> = Vec::with_capacity(ids.len());
    for (i, id) in ids.iter().enumerate() {
        let named = |e: Error| match e {
            Error::Invalid { field, message } => Error::invalid(&format!("第{}个申报{field}", i + 1), message),
            Error::Forbidden(m) => Error::Forbidden(format!("第{}个申报：{m}", i + 1)),
            Error::Conflict(m) => Error::Conflict(format!("第{}个申报：{m}", i + 1)),
            Error::NotFound(m) => Error::NotFound(format!("第{}个申报：{m}", i + 1)),
            e => e,
        };
        if passes.iter().any(|(a, _)| a.id == id.trim()) {
            return Err(Error::invalid(&format!("第{}个申报", i + 1), "重复选择"));
        }
        let (a, _, _) = decidable(db, scope, id).await.map_err(named)?;
        let p = pass_for(db, scope, &a, None, "", now).await.map_err(named)?;
        passes.push((a, p));
    }
    let out: Vec<(String, Grade)> = passes.iter().map(|(a, p)| (a.id.clone(), p.grade)).collect();
    db.transaction(move |tx| {
        let (passes, comment, actor) = (passes.clone(), comment.clone(), actor.clone());
        Box::pin(async move {
            for (a, p) in &passes {
                write_pass(tx, now, &actor, a, p, &comment).await?;
            }
            Ok(())
        })
    })
    .await?;
    Ok(out)
}
