//! The assessor's points while the assessment is open: its entries (录入:
//! points, a pass or fail, or a figure, with a note) and its 组织评价, one
//! each per target and indicator, the last one standing (the audit log
//! keeps every one). The peers' and self-ratings are in `ratings`.
use super::is_assessor;
use super::model::{Assessment, Indicator, Kind, Tier};
use super::read::{indicator, load, target_of};
use super::rules::{parse_points, points_text};
use crate::audit::{self, Actor, Event, Outcome};
use crate::db::{Db, Tx};
use crate::org::Scope;
use crate::text::{check_optional, TextKind};
use crate::{with_tx, Error, Result};

/// The refusal of any change to a closed assessment.
pub(crate) fn closed_error() -> Error {
    Error::Conflict("考核已结束并封存，不能再评分或修改；如有异议请在申诉期限内提出申诉".into())
}

/// Takes the assessment for a change, refusing once it is closed (checked in
/// the transaction, so a close that commits first wins).
pub(crate) async fn lock_open(tx: &mut Tx, id: &str, now: i64) -> Result<()> {
    let n = with_tx!(tx, |c| sqlx::query(
        "UPDATE assessments SET updated_at = $1 WHERE id = $2 AND status = 'open'"
    )
    .bind(now)
    .bind(id)
    .execute(c)
    .await?
    .rows_affected());
    if n == 0 {
        return Err(closed_error());
    }
    Ok(())
}

/// An entry by the assessor or its 组织评价 on one indicator for one target.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct ScoreInput {
    pub target_id: String,
    pub indicator_code: String,
    /// Points ("8.5"); for a figure rule, leave empty and give `figure`.
    pub points: String,
    /// A baseline item's pass or fail.
    pub passed: Option<bool>,
    /// The figure of an entered item with a figure rule ("3", "98.5").
    pub figure: String,
    pub note: String,
}

pub(super) fn check_points(field: &str, raw: &str, ind: &Indicator) -> Result<i64> {
    let p = parse_points(field, raw)?;
    if p > ind.full_points {
        return Err(Error::invalid(
            field,
            format!(
                "{} 分超过该指标满分 {} 分",
                points_text(p),
                points_text(ind.full_points)
            ),
        ));
    }
    Ok(p)
}

/// What an entry stores: (points, passed, figure).
fn entry_of(ind: &Indicator, input: &ScoreInput) -> Result<(Option<i64>, Option<bool>, Option<i64>)> {
    if let Some(rule) = &ind.figure {
        let fig = crate::plan::parse_figure("数值", &input.figure)?;
        let dir = crate::plan::Direction::parse(&rule.direction).unwrap_or(crate::plan::Direction::Higher);
        let bp =
            crate::plan::attainment_bp(dir, rule.baseline, rule.target, fig)?.clamp(0, crate::rules::assess::WHOLE_BP);
        let pts = super::rules::share_points(ind.full_points, bp, crate::rules::assess::WHOLE_BP);
        return Ok((pts, None, Some(fig)));
    }
    if ind.tier == Tier::Baseline && (input.points.trim().is_empty() || ind.full_points == 0) {
        let passed = input
            .passed
            .ok_or_else(|| Error::invalid("是否达标", "底线项请选择达标或未达标"))?;
        return Ok((None, Some(passed), None));
    }
    Ok((Some(check_points("分值", &input.points, ind)?), None, None))
}

#[allow(clippy::too_many_arguments)]
pub(super) async fn upsert(
    tx: &mut Tx,
    a: &Assessment,
    target: &str,
    code: &str,
    source: &str,
    rater_key: &str,
    account_id: Option<&str>,
    (points, passed, figure): (Option<i64>, Option<bool>, Option<i64>),
    note: &str,
    by: &str,
    now: i64,
) -> Result<()> {
    with_tx!(tx, |c| {
        sqlx::query(
        "INSERT INTO assessment_scores (assessment_id, target_id, code, source, rater_key, account_id, points, passed, \
         figure, note, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) \
         ON CONFLICT (assessment_id, target_id, code, source, rater_key) DO UPDATE SET account_id = excluded.account_id, \
         points = excluded.points, passed = excluded.passed, figure = excluded.figure, note = excluded.note, \
         updated_by = excluded.updated_by, updated_at = excluded.updated_at"
    )
    .bind(&a.id)
    .bind(target)
    .bind(code)
    .bind(source)
    .bind(rater_key)
    .bind(account_id)
    .bind(points)
    .bind(passed)
    .bind(figure)
    .bind(note)
    .bind(by)
    .bind(now)
    .execute(c)
    .await?
    .rows_affected()
    });
    Ok(())
}

/// Records the assessor's entry (entered items) or its 组织评价 (rated items
/// with a superior weight). Refused once closed (Conflict).
pub async fn score(
    db: &Db,
    now: i64,
    actor: &Actor,
    scope: &Scope,
    account_id: &str,
    assessment_id: &str,
    input: ScoreInput,
) -> Result<()> {
    let a = load(db, assessment_id).await?;
    if !is_assessor(scope, &a) {
        return Err(Error::NotFound("考核不存在或不在您的管理范围内".into()));
    }
    if a.closed {
        return Err(closed_error());
    }
    let target = target_of(db, &a.id, &input.target_id).await?;
    let ind = indicator(db, &a.id, &input.indicator_code).await?;
    let note = check_optional("说明", Some(&input.note), 500, TextKind::Free)?.unwrap_or_default();
    let (source, entry) = match ind.kind {
        Kind::Computed => {
            return Err(Error::invalid(
                "指标编码",
                format!("“{}”按记录计算，不能录入分数", ind.code),
            ))
        }
        Kind::Entered => {
            if note.is_empty() {
                return Err(Error::invalid("说明", "录入项请写明依据"));
            }
            ("entered", entry_of(&ind, &input)?)
        }
        Kind::Rated if ind.weights.superior > 0 => (
            "superior",
            (Some(check_points("分值", &input.points, &ind)?), None, None),
        ),
        Kind::Rated => {
            return Err(Error::invalid(
                "指标编码",
                format!("“{}”没有组织评价，由其他评价主体打分", ind.code),
            ))
        }
    };
    let detail = match entry {
        (Some(p), ..) => format!("{} 分", points_text(p)),
        (None, Some(true), _) => "达标".into(),
        _ => "未达标".into(),
    };
    let account_id = account_id.to_string();
    db.transaction(move |tx| {
        let (a, target, ind, note, actor, detail, account_id) = (
            a.clone(),
            target.clone(),
            ind.clone(),
            note.clone(),
            actor.clone(),
            detail.clone(),
            account_id.clone(),
        );
        Box::pin(async move {
            lock_open(tx, &a.id, now).await?;
            upsert(
                tx,
                &a,
                &target.id,
                &ind.code,
                source,
                "",
                Some(&account_id),
                entry,
                &note,
                &actor.name,
                now,
            )
            .await?;
            let ev = Event::new(
                "assess.score",
                format!("{}：{} {}（{}）", a.title, target.name, ind.code, ind.title),
                Outcome::Ok,
            )
            .detail(detail);
            audit::append(tx, now, &actor, &ev).await?;
            Ok(())
        })
    })
    .await
}
