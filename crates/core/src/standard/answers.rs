//! Saving one answer of the self-check: met or not, a note, the evidence
//! kept and added; on a computed item, an override only with its reason.
//! Refused once the organization applied or was accepted; an answer lifts
//! a move back (the organization has checked itself again).
use super::catalog;
use super::checks::rows;
use super::computed::{self, Target};
use super::model::Stage;
use super::{history, subject, CHECK_FILES};
use crate::audit::{self, Actor, Event, Outcome};
use crate::db::Db;
use crate::files::{Attachment, Stored};
use crate::org::Scope;
use crate::text::{check_optional, TextKind};
use crate::{ids, with_tx, Error, Result};
use serde::Deserialize;

/// An answer as typed.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct SetItem {
    /// Met or not; None leaves a declared item unanswered or removes an override.
    #[serde(default)]
    pub met: Option<bool>,
    #[serde(default)]
    pub note: String,
    /// The item's evidence files (attachment ids) to keep; None keeps them all.
    #[serde(default)]
    pub file_ids: Option<Vec<String>>,
    /// Required to set a computed item against its records.
    #[serde(default)]
    pub override_reason: String,
}

/// Saves an organization's answer on one item, with its evidence: the files
/// kept (`file_ids`) and the new ones attached in the same transaction.
#[allow(clippy::too_many_arguments)]
pub async fn set_item(
    db: &Db,
    now: i64,
    actor: &Actor,
    scope: &Scope,
    org_id: &str,
    standard_id: &str,
    code: &str,
    set: SetItem,
    new_files: Vec<Stored>,
) -> Result<()> {
    let standard = catalog::get(db, scope, standard_id).await?;
    let org = subject(db, scope, &standard, org_id).await?;
    let items = catalog::items_of(db, &standard.id).await?;
    let item = items
        .into_iter()
        .find(|i| i.code == code.trim())
        .ok_or_else(|| Error::invalid("项目编号", format!("“{}”不在“{}”中", code.trim(), standard.display())))?;
    let note = check_optional("说明", Some(&set.note), 500, TextKind::Free)?.unwrap_or_default();
    let reason = check_optional("覆盖理由", Some(&set.override_reason), 500, TextKind::Free)?.unwrap_or_default();
    let met = match item.rule() {
        None => {
            if !reason.is_empty() {
                return Err(Error::invalid(
                    "覆盖理由",
                    "只有计算项可以覆盖计算结果，自查项请直接选择是否达标",
                ));
            }
            set.met
        }
        Some(rule) => {
            let e =
                computed::evaluate(db, scope, &[rule], standard.year, &org, &[Target::of(&org)], now, false).await?;
            let by_records = e.get(&org.id).and_then(|m| m.get(&rule)).map(|e| e.met);
            match (set.met, reason.is_empty()) {
                (None, true) => None,
                (None, false) => {
                    return Err(Error::invalid("达标情况", "覆盖计算结果时须选择达标或未达标"));
                }
                (Some(m), true) if Some(m) == by_records => None,
                (Some(_), true) => {
                    return Err(Error::invalid(
                        "覆盖理由",
                        format!("“{}”由业务记录自动计算，改变计算结果须填写覆盖理由", item.title),
                    ));
                }
                (Some(m), false) => Some(m),
            }
        }
    };
    let existing = rows(db, &standard.id, &org.id).await?.remove(&item.code);
    let attached: Vec<Attachment> = match &existing {
        Some(r) => crate::files::list(db, CHECK_FILES, std::slice::from_ref(&r.0)).await?,
        None => Vec::new(),
    };
    let keep: Vec<String> = match &set.file_ids {
        None => attached.iter().map(|a| a.id.clone()).collect(),
        Some(ids) => {
            for id in ids {
                if !attached.iter().any(|a| a.id == id.trim()) {
                    return Err(Error::invalid(
                        "佐证材料",
                        format!("“{}”不是该项已上传的佐证材料", id.trim()),
                    ));
                }
            }
            ids.iter().map(|s| s.trim().to_string()).collect()
        }
    };
    let drop: Vec<String> = attached
        .iter()
        .map(|a| a.id.clone())
        .filter(|id| !keep.contains(id))
        .collect();
    if item.evidence_required && item.rule.is_none() && met == Some(true) && keep.len() + new_files.len() == 0 {
        return Err(Error::invalid(
            "佐证材料",
            format!("“{}”要求提供佐证材料，请上传后再标记为达标", item.title),
        ));
    }
    let row_id = existing.map(|r| r.0);
    db.transaction(move |tx| {
        let (standard, org, item, note, reason, actor) = (
            standard.clone(),
            org.clone(),
            item.clone(),
            note.clone(),
            reason.clone(),
            actor.clone(),
        );
        let (row_id, drop, new_files) = (row_id.clone(), drop.clone(), new_files.clone());
        Box::pin(async move {
            let (stage, _) = history::lock(tx, now, &standard.id, &org.id).await?;
            match stage {
                Stage::Open => {}
                Stage::Applied => {
                    return Err(Error::Conflict(
                        "已申报验收，自查结果已锁定；如需修改请先撤回申报".into(),
                    ));
                }
                Stage::Accepted => {
                    return Err(Error::Conflict(
                        "已通过验收，自查结果已锁定；如情况变化，由上级党组织动态调整后再修改".into(),
                    ));
                }
            }
            with_tx!(tx, |c| sqlx::query(
                "UPDATE standard_orgs SET recheck_reason = NULL WHERE standard_id = $1 AND org_id = $2"
            )
            .bind(&standard.id)
            .bind(&org.id)
            .execute(c)
            .await?
            .rows_affected());
            let id = match &row_id {
                Some(id) => {
                    with_tx!(tx, |c| sqlx::query(
                        "UPDATE standard_checks SET met = $1, note = $2, override_reason = $3, updated_by = $4, \
                         updated_at = $5 WHERE id = $6"
                    )
                    .bind(met)
                    .bind(&note)
                    .bind(&reason)
                    .bind(&actor.name)
                    .bind(now)
                    .bind(id)
                    .execute(c)
                    .await?
                    .rows_affected());
                    id.clone()
                }
                None => {
                    let id = ids::new_id();
                    with_tx!(tx, |c| sqlx::query(
                        "INSERT INTO standard_checks (id, standard_id, org_id, code, met, note, override_reason, \
                         updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
                    )
                    .bind(&id)
                    .bind(&standard.id)
                    .bind(&org.id)
                    .bind(&item.code)
                    .bind(met)
                    .bind(&note)
                    .bind(&reason)
                    .bind(&actor.name)
                    .bind(now)
                    .execute(c)
                    .await?
                    .rows_affected());
                    id
                }
            };
            for a in &drop {
                crate::files::detach(tx, a).await?;
            }
            for f in &new_files {
                crate::files::attach(tx, now, CHECK_FILES, &id, f, &actor.name).await?;
            }
            let answer = match met {
                Some(true) => "达标",
                Some(false) => "未达标",
                None if item.rule.is_some() => "按计算结果",
                None => "未填写",
            };
            let mut detail = format!("{}：{answer}", item.title);
            if !reason.is_empty() {
                detail.push_str(&format!("；覆盖计算结果，理由：{reason}"));
            }
            if !new_files.is_empty() || !drop.is_empty() {
                detail.push_str(&format!(
                    "；佐证材料新增 {} 份、移除 {} 份",
                    new_files.len(),
                    drop.len()
                ));
            }
            let ev = Event::new(
                "standard.check",
                format!("{}：{} {}", org.name, standard.display(), item.code),
                Outcome::Ok,
            )
            .detail(detail);
            audit::append(tx, now, &actor, &ev).await?;
            Ok(())
        })
    })
    .await
}
