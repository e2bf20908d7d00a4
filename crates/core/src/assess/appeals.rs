//! Appeals (申诉): after publication (closing) the assessed organization —
//! or the assessed member — appeals within the assessment's window with a
//! reason; the organization above the assessor (the assessor itself where it
//! is the top) decides: upheld (维持原结果), or amended with an indicator's new
//! points. An amendment changes the frozen line, the score, grade and ranks
//! and renews the hash; the appeal keeps the before and after, which the
//! appellant sees.
use super::model::{Assessment, Subject};
use super::read::{load, target_of};
use super::{scope_cond, today};
use crate::audit::{self, Actor, Event, Outcome};
use crate::db::Db;
use crate::org::Scope;
use crate::sql::{Param, Where};
use crate::text::{check, TextKind};
use crate::{bind_all, ids, with_db, with_tx, Error, Result};

pub use super::appeal_decide::{decide, decides, Decision};

/// The day a closed assessment's appeals end (inclusive).
pub fn appeal_deadline(a: &Assessment) -> Option<chrono::NaiveDate> {
    let closed = crate::clock::beijing(a.closed_at?).date_naive();
    closed.checked_add_days(chrono::Days::new(u64::try_from(a.appeal_days).ok()?))
}

/// Whether the scope's holder acts for the target itself (may appeal its result).
pub fn may_appeal(scope: &Scope, target: &super::model::Target) -> bool {
    scope.holds_at(&target.org_path)
}

/// Who appeals: their ManageAssessment scope (the organizations they act
/// for) and the person they are.
#[derive(Clone, Copy, Debug)]
pub struct Appellant<'a> {
    pub scope: Option<&'a Scope>,
    pub person_id: Option<&'a str>,
}

/// Files an appeal; returns its id.
pub async fn file(
    db: &Db,
    now: i64,
    actor: &Actor,
    who: &Appellant<'_>,
    assessment_id: &str,
    target_id: &str,
    reason: &str,
) -> Result<String> {
    let a = load(db, assessment_id).await?;
    let target = target_of(db, &a.id, target_id).await?;
    let own = who.scope.is_some_and(|s| s.holds_at(&target.org_path))
        || (a.subject == Subject::Members && who.person_id == Some(target.id.as_str()));
    if !own {
        return Err(Error::Forbidden(format!("只有被考核的{}本身可以申诉", target.name)));
    }
    let Some(deadline) = appeal_deadline(&a).filter(|_| a.closed) else {
        return Err(Error::invalid("申诉", "考核结果尚未公布，公布后才能申诉"));
    };
    if today(now) > deadline {
        return Err(Error::invalid(
            "申诉期限",
            format!("已超过申诉期限：结果公布后 {} 天内（截至 {deadline}）", a.appeal_days),
        ));
    }
    let reason = check("申诉理由", reason, 1000, TextKind::Free)?;
    let pending: i64 = with_db!(db, |p| {
        sqlx::query_scalar(
        "SELECT COUNT(*) FROM assessment_appeals WHERE assessment_id = $1 AND target_id = $2 AND status = 'pending'"
    )
    .bind(&a.id)
    .bind(&target.id)
    .fetch_one(p)
    .await?
    });
    if pending > 0 {
        return Err(Error::Conflict("已有尚未处理的申诉，请等待处理结果".into()));
    }
    db.transaction(move |tx| {
        let (a, target, reason, actor) = (a.clone(), target.clone(), reason.clone(), actor.clone());
        Box::pin(async move {
            let id = ids::new_id();
            with_tx!(tx, |c| sqlx::query(
                "INSERT INTO assessment_appeals (id, assessment_id, target_id, reason, status, filed_by, filed_at, comment) \
                 VALUES ($1, $2, $3, $4, 'pending', $5, $6, '')"
            )
            .bind(&id)
            .bind(&a.id)
            .bind(&target.id)
            .bind(&reason)
            .bind(&actor.name)
            .bind(now)
            .execute(c)
            .await?
            .rows_affected());
            let ev = Event::new("assess.appeal", format!("{}：{}", a.title, target.name), Outcome::Ok).detail(reason);
            audit::append(tx, now, &actor, &ev).await?;
            Ok(id)
        })
    })
    .await
}

/// An appeal with its decision.
#[derive(Clone, Debug, serde::Serialize, sqlx::FromRow)]
pub struct Appeal {
    pub id: String,
    pub assessment_id: String,
    pub target_id: String,
    pub target_name: String,
    pub reason: String,
    /// pending, upheld (维持) or amended (改判).
    pub status: String,
    pub filed_by: String,
    pub filed_at: i64,
    pub code: Option<String>,
    pub comment: String,
    pub points_before: Option<i64>,
    pub points_after: Option<i64>,
    pub score_before: Option<i64>,
    pub score_after: Option<i64>,
    pub grade_before: Option<String>,
    pub grade_after: Option<String>,
    pub rank_before: Option<i64>,
    pub rank_after: Option<i64>,
    pub hash_before: Option<String>,
    pub hash_after: Option<String>,
    pub decided_by: Option<String>,
    pub decided_at: Option<i64>,
}

const SELECT: &str = "SELECT x.id, x.assessment_id, x.target_id, COALESCE(p.name, o.name) AS target_name, x.reason, \
     x.status, x.filed_by, x.filed_at, x.code, x.comment, x.points_before, x.points_after, x.score_before, x.score_after, \
     x.grade_before, x.grade_after, x.rank_before, x.rank_after, x.hash_before, x.hash_after, x.decided_by, x.decided_at \
     FROM assessment_appeals x JOIN assessment_targets t ON t.assessment_id = x.assessment_id AND t.target_id = x.target_id \
     JOIN orgs o ON o.id = t.org_id LEFT JOIN people p ON p.id = x.target_id";

/// An assessment's appeals the caller sees: all of them for the assessor
/// and those above it, an organization's own otherwise.
pub async fn list(db: &Db, scope: &Scope, assessment_id: &str) -> Result<Vec<Appeal>> {
    let a = super::read::get(db, scope, assessment_id).await?;
    let mut w = Where::default();
    w.push("x.assessment_id = {}", Param::S(a.id.clone()));
    if !super::is_assessor(scope, &a) {
        let c = scope_cond(scope, &mut w, "o.path");
        w.push_raw(c);
    }
    let (cond, _) = w.sql();
    let sql = format!("{SELECT} {cond} ORDER BY x.filed_at DESC, x.id");
    Ok(with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params())
        .fetch_all(p)
        .await?))
}

pub(super) async fn get_any(db: &Db, id: &str) -> Result<Appeal> {
    let sql = format!("{SELECT} WHERE x.id = $1");
    let row: Option<Appeal> = with_db!(db, |p| sqlx::query_as(&sql).bind(id.trim()).fetch_optional(p).await?);
    row.ok_or_else(|| Error::NotFound("申诉不存在".into()))
}

/// One appeal, if the caller sees it (as in `list`).
pub async fn get(db: &Db, scope: &Scope, id: &str) -> Result<Appeal> {
    let ap = get_any(db, id).await?;
    let seen = list(db, scope, &ap.assessment_id)
        .await
        .map_err(|_| Error::NotFound("申诉不存在".into()))?
        .into_iter()
        .find(|x| x.id == ap.id);
    seen.ok_or_else(|| Error::NotFound("申诉不存在".into()))
}
