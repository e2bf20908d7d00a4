//! Deciding an appeal (申诉处理): the staff of the organization above the
//! assessor (of the assessor itself where it is the top) uphold the result
//! or amend one line; an amendment rewrites the frozen row, ranks every row
//! again, renews the hash, and keeps the before and after on the appeal —
//! all in one transaction with its audit record.
use super::appeals::get_any;
use super::freeze::{combine, digests_tx, lines_json, Frozen};
use super::lines::{render, Amended, Line};
use super::model::{Assessment, Grade, Tier};
use super::read::{indicators, load};
use super::results::line_points;
use super::rules::{parse_points, passes, points_text, ranks, total};
use crate::audit::{self, Actor, Event, Outcome};
use crate::db::{Db, Tx};
use crate::org::Scope;
use crate::text::{check, TextKind};
use crate::{with_db, with_tx, Error, Result};

/// Whether the caller decides the assessment's appeals: staff of the
/// organization above the assessor (or of the assessor at the top).
pub async fn decides(db: &Db, scope: &Scope, a: &Assessment) -> Result<bool> {
    let parent: Option<String> = with_db!(db, |p| sqlx::query_scalar(
        "SELECT po.path FROM orgs o JOIN orgs po ON po.id = o.parent_id WHERE o.id = $1"
    )
    .bind(&a.org_id)
    .fetch_optional(p)
    .await?);
    Ok(scope.contains_path(parent.as_deref().unwrap_or(&a.org_path)))
}

/// The decision on an appeal.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct Decision {
    /// True: the result stands (维持原结果); false: amended with `points`.
    pub upheld: bool,
    pub indicator_code: String,
    pub points: String,
    /// A baseline item's pass or fail, when amended without points.
    pub passed: Option<bool>,
    pub comment: String,
}

/// The result row of a target, in the transaction.
async fn frozen_row(tx: &mut Tx, aid: &str, target: &str) -> Result<Frozen> {
    let row: Option<Frozen> = with_tx!(tx, |c| sqlx::query_as(
        "SELECT target_id, score, grade, rank, vetoed, complete, lines FROM assessment_results \
         WHERE assessment_id = $1 AND target_id = $2"
    )
    .bind(aid)
    .bind(target)
    .fetch_optional(c)
    .await?);
    row.ok_or_else(|| Error::unexpected("封存的考核结果缺少该对象"))
}

/// Ranks every row again after a score changed; updates those that moved.
async fn rerank(tx: &mut Tx, aid: &str) -> Result<()> {
    let rows: Vec<(String, Option<i64>, bool, Option<i64>)> = with_tx!(tx, |c| sqlx::query_as(
        "SELECT target_id, score, vetoed, rank FROM assessment_results WHERE assessment_id = $1"
    )
    .bind(aid)
    .fetch_all(c)
    .await?);
    let new = ranks(&rows.iter().map(|r| (r.1, r.2)).collect::<Vec<_>>());
    for (r, k) in rows.iter().zip(new) {
        if r.3 != k {
            with_tx!(tx, |c| sqlx::query(
                "UPDATE assessment_results SET rank = $1 WHERE assessment_id = $2 AND target_id = $3"
            )
            .bind(k)
            .bind(aid)
            .bind(&r.0)
            .execute(c)
            .await?
            .rows_affected());
        }
    }
    Ok(())
}

/// Decides a pending appeal.
pub async fn decide(db: &Db, now: i64, actor: &Actor, scope: &Scope, appeal_id: &str, d: Decision) -> Result<()> {
    let ap = get_any(db, appeal_id).await?;
    let a = load(db, &ap.assessment_id).await?;
    if !decides(db, scope, &a).await? {
        return Err(Error::Forbidden("申诉由考核组织的上级党组织处理".into()));
    }
    if ap.status != "pending" {
        return Err(Error::Conflict("该申诉已处理".into()));
    }
    let comment = check("处理意见", &d.comment, 1000, TextKind::Free)?;
    let inds = indicators(db, &a.id).await?;
    let change = if d.upheld {
        None
    } else {
        let ind = inds
            .iter()
            .find(|i| i.code == d.indicator_code.trim())
            .cloned()
            .ok_or_else(|| {
                Error::invalid(
                    "指标编码",
                    format!("本考核没有编码为“{}”的指标", d.indicator_code.trim()),
                )
            })?;
        let pass_fail = ind.tier == Tier::Baseline && (d.points.trim().is_empty() || ind.full_points == 0);
        let (points, passed) = match (d.points.trim(), d.passed) {
            (_, Some(p)) if pass_fail => (if p { ind.full_points } else { 0 }, Some(p)),
            (_, None) if pass_fail => return Err(Error::invalid("是否达标", "底线项请选择达标或未达标")),
            (raw, _) => {
                let p = parse_points("分值", raw)?;
                if p > ind.full_points {
                    return Err(Error::invalid(
                        "分值",
                        format!(
                            "{} 分超过该指标满分 {} 分",
                            points_text(p),
                            points_text(ind.full_points)
                        ),
                    ));
                }
                (
                    p,
                    (ind.tier == Tier::Baseline).then(|| passes(ind.full_points, p, None, ind.pass_bp)),
                )
            }
        };
        Some((ind, points, passed))
    };
    db.transaction(move |tx| {
        let (ap, a, inds, change, comment, actor) =
            (ap.clone(), a.clone(), inds.clone(), change.clone(), comment.clone(), actor.clone());
        Box::pin(async move {
            let before = frozen_row(tx, &a.id, &ap.target_id).await?;
            let (mut after, mut points_before, mut points_after, mut hash_after) = (before.clone(), None, None, a.hash.clone());
            if let Some((ind, points, passed)) = &change {
                let mut lines: Vec<Line> =
                    serde_json::from_str(&before.lines).map_err(|e| Error::internal("封存的考核结果无法读取", e))?;
                let line = lines
                    .iter_mut()
                    .find(|l| l.code == ind.code)
                    .ok_or_else(|| Error::unexpected("封存的考核结果缺少该指标"))?;
                points_before = line.points;
                points_after = Some(*points);
                line.amended = Some(Amended {
                    appeal_id: ap.id.clone(),
                    points_before: line.amended.as_ref().map_or(line.points, |x| x.points_before),
                    passed_before: line.amended.as_ref().map_or(line.passed, |x| x.passed_before),
                });
                line.points = Some(*points);
                line.passed = *passed;
                render(line, ind);
                let tot = total(&line_points(&inds, &lines), &a.thresholds, a.bonus_cap);
                with_tx!(tx, |c| sqlx::query(
                    "UPDATE assessment_results SET score = $1, grade = $2, vetoed = $3, complete = $4, lines = $5 \
                     WHERE assessment_id = $6 AND target_id = $7"
                )
                .bind(tot.score)
                .bind(tot.grade.map(Grade::code))
                .bind(tot.vetoed)
                .bind(tot.complete)
                .bind(lines_json(&lines)?)
                .bind(&a.id)
                .bind(&ap.target_id)
                .execute(c)
                .await?
                .rows_affected());
                rerank(tx, &a.id).await?;
                let hash = combine(&a, digests_tx(tx, &a.id).await?);
                with_tx!(tx, |c| sqlx::query("UPDATE assessments SET hash = $1, updated_at = $2 WHERE id = $3")
                    .bind(&hash)
                    .bind(now)
                    .bind(&a.id)
                    .execute(c)
                    .await?
                    .rows_affected());
                after = frozen_row(tx, &a.id, &ap.target_id).await?;
                hash_after = Some(hash);
            }
            let status = if change.is_some() { "amended" } else { "upheld" };
            let n = with_tx!(tx, |c| sqlx::query(
                "UPDATE assessment_appeals SET status = $1, code = $2, comment = $3, points_before = $4, points_after = $5, \
                 score_before = $6, score_after = $7, grade_before = $8, grade_after = $9, rank_before = $10, rank_after = $11, \
                 hash_before = $12, hash_after = $13, decided_by = $14, decided_at = $15 WHERE id = $16 AND status = 'pending'"
            )
            .bind(status)
            .bind(change.as_ref().map(|c| c.0.code.clone()))
            .bind(&comment)
            .bind(points_before)
            .bind(points_after)
            .bind(before.score)
            .bind(after.score)
            .bind(&before.grade)
            .bind(&after.grade)
            .bind(before.rank)
            .bind(after.rank)
            .bind(&a.hash)
            .bind(&hash_after)
            .bind(&actor.name)
            .bind(now)
            .bind(&ap.id)
            .execute(c)
            .await?
            .rows_affected());
            if n == 0 {
                return Err(Error::Conflict("该申诉已处理".into()));
            }
            let detail = match &change {
                None => format!("维持原结果；{comment}"),
                Some((ind, p, _)) => format!(
                    "{} 由 {} 分改为 {} 分；{comment}",
                    ind.code,
                    points_before.map(points_text).unwrap_or_else(|| "无".into()),
                    points_text(*p)
                ),
            };
            let ev = Event::new("assess.appeal.decide", format!("{}：{}", a.title, ap.target_name), Outcome::Ok).detail(detail);
            audit::append(tx, now, &actor, &ev).await?;
            Ok(())
        })
    })
    .await
}
