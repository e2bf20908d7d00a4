//! Rounds (整改轮次): a failed acceptance, a move back (动态调整) or a
//! rectification of a weak organization opens the next round — the
//! standing back to open, no grade, and the problems the superior lists.
use super::catalog;
use super::model::{Source, Stage, Standard};
use super::problems::{self, Found, Valid};
use super::{check_direct_superior, history, subject};
use crate::audit::{self, Actor, Event, Outcome};
use crate::db::{Db, Tx};
use crate::org::{Org, Scope};
use crate::text::{check, TextKind};
use crate::{with_tx, Error, Result};

/// Checks the problems a superior lists for `org` on `standard`.
pub(super) async fn check_found(
    db: &Db,
    standard: &Standard,
    org: &Org,
    found: &[Found],
    now: i64,
) -> Result<Vec<(String, Valid)>> {
    let items = catalog::items_of(db, &standard.id).await?;
    let mut out = Vec::with_capacity(found.len());
    for (i, f) in found.iter().enumerate() {
        let code = f.item_code.trim();
        if !items.iter().any(|it| it.code == code) {
            return Err(Error::invalid(
                &format!("第{}个问题项目编号", i + 1),
                format!("“{code}”不在“{}”中", standard.display()),
            ));
        }
        let v = problems::validate(db, org, &f.fields, super::today(now), Some(i + 1)).await?;
        out.push((code.to_string(), v));
    }
    Ok(out)
}

/// Opens the next round in the caller's transaction: the standing back to
/// open (no grade) and the problems listed. Answers the new round.
#[allow(clippy::too_many_arguments)]
pub(super) async fn next_round(
    tx: &mut Tx,
    now: i64,
    standard_id: &str,
    org_id: &str,
    round: i64,
    source: Source,
    source_id: Option<&str>,
    found: &[(String, Valid)],
    by: &str,
) -> Result<i64> {
    let next = round + 1;
    history::set_stage(tx, now, standard_id, org_id, Stage::Open, None, next).await?;
    for (code, v) in found {
        problems::insert(tx, now, standard_id, org_id, code, next, source, source_id, v, by).await?;
    }
    Ok(next)
}

/// Dynamic management: the direct superior moves an accepted organization
/// back to not met, with the reason; the next round begins.
#[allow(clippy::too_many_arguments)]
pub async fn move_back(
    db: &Db,
    now: i64,
    actor: &Actor,
    scope: &Scope,
    org_id: &str,
    standard_id: &str,
    reason: &str,
) -> Result<()> {
    let standard = catalog::get(db, scope, standard_id).await?;
    let org = subject(db, scope, &standard, org_id).await?;
    check_direct_superior(db, scope, &org, "动态调整").await?;
    if reason.trim().is_empty() {
        return Err(Error::invalid("调整理由", "动态调整为未达标须说明理由"));
    }
    let reason = check("调整理由", reason, 500, TextKind::Free)?;
    db.transaction(move |tx| {
        let (standard, org, reason, actor) = (standard.clone(), org.clone(), reason.clone(), actor.clone());
        Box::pin(async move {
            let (stage, round) = history::lock(tx, now, &standard.id, &org.id).await?;
            if stage != Stage::Accepted {
                return Err(Error::Conflict(format!("{}尚未通过验收，无需动态调整", org.name)));
            }
            let next = next_round(
                tx,
                now,
                &standard.id,
                &org.id,
                round,
                Source::Acceptance,
                None,
                &[],
                &actor.name,
            )
            .await?;
            with_tx!(tx, |c| sqlx::query(
                "UPDATE standard_orgs SET recheck_reason = $1 WHERE standard_id = $2 AND org_id = $3"
            )
            .bind(&reason)
            .bind(&standard.id)
            .bind(&org.id)
            .execute(c)
            .await?
            .rows_affected());
            let detail = format!("由已验收调整为未达标：{reason}；进入第{next}轮");
            history::record(tx, now, &standard.id, &org.id, "moved_back", &detail, &actor.name).await?;
            let ev = Event::new(
                "standard.move_back",
                format!("{}：{}", org.name, standard.display()),
                Outcome::Ok,
            )
            .detail(detail);
            audit::append(tx, now, &actor, &ev).await?;
            Ok(())
        })
    })
    .await
}

/// A weak organization's rectification round (软弱涣散整顿): the direct
/// superior gives a flagged organization problems to rectify; an accepted
/// one goes back to open, as after a failed acceptance.
#[allow(clippy::too_many_arguments)]
pub async fn rectify(
    db: &Db,
    now: i64,
    actor: &Actor,
    scope: &Scope,
    org_id: &str,
    standard_id: &str,
    reason: &str,
    found: Vec<Found>,
) -> Result<()> {
    let standard = catalog::get(db, scope, standard_id).await?;
    let org = subject(db, scope, &standard, org_id).await?;
    check_direct_superior(db, scope, &org, "整顿").await?;
    let flags = super::warnings::flags_of(db, scope, &org.id, now).await?;
    if flags.is_empty() {
        return Err(Error::Conflict(format!("{}当前没有软弱涣散预警，无需整顿", org.name)));
    }
    if reason.trim().is_empty() {
        return Err(Error::invalid("整顿原因", "请说明整顿的原因和要求"));
    }
    let reason = check("整顿原因", reason, 500, TextKind::Free)?;
    if found.is_empty() {
        return Err(Error::invalid(
            "问题清单",
            "整顿须列出问题清单，明确整改事项、责任人和时限",
        ));
    }
    let found = check_found(db, &standard, &org, &found, now).await?;
    let labels: Vec<&str> = flags.iter().map(|f| f.label).collect();
    let detail = format!("{reason}（预警：{}）", labels.join("、"));
    db.transaction(move |tx| {
        let (standard, org, found, detail, actor) = (
            standard.clone(),
            org.clone(),
            found.clone(),
            detail.clone(),
            actor.clone(),
        );
        Box::pin(async move {
            let (stage, round) = history::lock(tx, now, &standard.id, &org.id).await?;
            if stage == Stage::Applied {
                return Err(Error::Conflict(format!("{}正在申报验收，请先作出验收决定", org.name)));
            }
            let next = next_round(
                tx,
                now,
                &standard.id,
                &org.id,
                round,
                Source::Warning,
                None,
                &found,
                &actor.name,
            )
            .await?;
            let detail = format!("{detail}；列出问题 {} 个，进入第{next}轮", found.len());
            history::record(tx, now, &standard.id, &org.id, "rectification", &detail, &actor.name).await?;
            let ev = Event::new(
                "standard.rectify",
                format!("{}：{}", org.name, standard.display()),
                Outcome::Ok,
            )
            .detail(detail);
            audit::append(tx, now, &actor, &ev).await?;
            Ok(())
        })
    })
    .await
}
