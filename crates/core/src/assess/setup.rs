//! Setting up an assessment: the assessor (an organization in the caller's
//! ManageAssessment scope), the period, the subject and its targets (strictly
//! below the assessor), the indicators, and the grade thresholds, bonus cap
//! and appeal window it keeps or changes. Everything is checked before
//! anything is written; the whole set-up is one transaction with its audit record.
use super::indicators::check_indicator;
use super::model::{Indicator, NewAssessment, Subject, Thresholds, Tier};
use super::rules::{parse_points, parse_share, points_text};
use crate::audit::{self, Actor, Event, Outcome};
use crate::db::{Db, Tx};
use crate::org::{self, OrgKind, Scope};
use crate::rules::assess::{self as r, thresholds_valid};
use crate::sql::{Param, Where};
use crate::text::{check, TextKind};
use crate::{bind_all, ids, with_db, with_tx, Error, Result};
use std::collections::HashSet;

const CHUNK: usize = 300;

fn share_or(field: &str, raw: &str, default: i64) -> Result<i64> {
    if raw.trim().is_empty() {
        Ok(default)
    } else {
        parse_share(field, raw)
    }
}

/// The thresholds, cap and window an assessment keeps.
fn settings(new: &NewAssessment) -> Result<(Thresholds, i64, i64)> {
    let th = Thresholds {
        good_bp: share_or("“好”等次分数线", &new.good, r::GOOD_FROM_BP)?,
        fairly_good_bp: share_or("“较好”等次分数线", &new.fairly_good, r::FAIRLY_GOOD_FROM_BP)?,
        fair_bp: share_or("“一般”等次分数线", &new.fair, r::FAIR_FROM_BP)?,
    };
    if !thresholds_valid(th.good_bp, th.fairly_good_bp, th.fair_bp) {
        return Err(Error::invalid("等次分数线", "应满足 0 < 一般 < 较好 < 好 ≤ 100%"));
    }
    let cap = if new.bonus_cap.trim().is_empty() {
        r::BONUS_CAP
    } else {
        parse_points("高线加分上限", &new.bonus_cap)?
    };
    if cap > r::BONUS_CAP_MAX {
        return Err(Error::invalid(
            "高线加分上限",
            format!("不超过 {} 分", points_text(r::BONUS_CAP_MAX)),
        ));
    }
    let days = new.appeal_days.unwrap_or(r::APPEAL_DAYS);
    let (lo, hi) = r::APPEAL_DAYS_RANGE;
    if !(lo..=hi).contains(&days) {
        return Err(Error::invalid("申诉期限", format!("应为 {lo} 至 {hi} 天")));
    }
    Ok((th, cap, days))
}

/// Checks every indicator: codes unique, at least one that scores.
pub(crate) fn check_indicators(raw: &[super::model::NewIndicator]) -> Result<Vec<Indicator>> {
    if raw.is_empty() {
        return Err(Error::invalid("考核指标", "请至少设置一项指标"));
    }
    if raw.len() > r::MAX_INDICATORS {
        return Err(Error::invalid("考核指标", format!("最多 {} 项", r::MAX_INDICATORS)));
    }
    let mut out: Vec<Indicator> = Vec::with_capacity(raw.len());
    for (i, n) in raw.iter().enumerate() {
        let ind = check_indicator(i + 1, n)?;
        if out.iter().any(|o| o.code == ind.code) {
            return Err(Error::invalid(
                &format!("第{}项指标编码", i + 1),
                format!("“{}”与前面的指标重复", ind.code),
            ));
        }
        out.push(ind);
    }
    if !out.iter().any(|i| i.tier != Tier::Bonus && i.full_points > 0) {
        return Err(Error::invalid(
            "考核指标",
            "至少需要一项计分的常规项或底线项（满分大于 0）",
        ));
    }
    Ok(out)
}

/// (target id, its organization) for every target, checked against the assessor.
async fn resolve_targets(db: &Db, subject: Subject, path: &str, new: &NewAssessment) -> Result<Vec<(String, String)>> {
    const F: &str = "考核对象";
    let mut out: Vec<(String, String)> = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    let ids: Vec<String> = new
        .target_ids
        .iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty() && seen.insert(s.clone()))
        .collect();
    if ids.len() > r::MAX_TARGETS {
        return Err(Error::invalid(F, format!("一次考核最多 {} 个对象", r::MAX_TARGETS)));
    }
    let by_ids = !ids.is_empty();
    let rows: Vec<(String, String, String, bool)> = match (subject, by_ids) {
        (Subject::Orgs, true) => {
            let mut rows = Vec::new();
            for chunk in ids.chunks(CHUNK) {
                let mut w = Where::default();
                let list = w.in_list(chunk);
                w.push_raw(format!("id IN ({list})"));
                let (cond, _) = w.sql();
                let sql = format!("SELECT id, id, path, dissolved_at IS NULL FROM orgs {cond}");
                let part: Vec<(String, String, String, bool)> =
                    with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params()).fetch_all(p).await?);
                rows.extend(part);
            }
            rows
        }
        (Subject::Members, true) => {
            let mut rows = Vec::new();
            for chunk in ids.chunks(CHUNK) {
                let mut w = Where::default();
                let list = w.in_list(chunk);
                w.push_raw(format!("id IN ({list})"));
                let (cond, _) = w.sql();
                let sql = format!(
                    "SELECT id, org_id, org_path, left_on IS NULL AND status IN ('full', 'probationary') FROM people {cond}"
                );
                let part: Vec<(String, String, String, bool)> =
                    with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params()).fetch_all(p).await?);
                rows.extend(part);
            }
            rows
        }
        (Subject::Orgs, false) => {
            if new.target_kinds.is_empty() {
                return Err(Error::invalid(F, "请选择考核对象，或选择要考核的组织类型"));
            }
            let mut kinds = Vec::new();
            for k in &new.target_kinds {
                let kind = OrgKind::from_code(k.trim())
                    .or_else(|| OrgKind::ALL.into_iter().find(|x| x.label() == k.trim()))
                    .ok_or_else(|| Error::invalid("组织类型", format!("“{}”不是组织类型", k.trim())))?;
                kinds.push(kind.code().to_string());
            }
            let mut w = Where::default();
            w.prefix("path", path);
            w.push("path <> {}", Param::S(path.into()));
            let list = w.in_list(&kinds);
            w.push_raw(format!("kind IN ({list}) AND dissolved_at IS NULL"));
            let (cond, _) = w.sql();
            let sql = format!("SELECT id, id, path, TRUE FROM orgs {cond} ORDER BY path");
            with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params()).fetch_all(p).await?)
        }
        (Subject::Members, false) => {
            let mut w = Where::default();
            w.prefix("org_path", path);
            w.push_raw("left_on IS NULL AND status IN ('full', 'probationary')".into());
            let (cond, _) = w.sql();
            let sql = format!("SELECT id, org_id, org_path, TRUE FROM people {cond} ORDER BY org_path, id");
            with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params()).fetch_all(p).await?)
        }
    };
    if by_ids {
        let found: HashSet<&str> = rows.iter().map(|r| r.0.as_str()).collect();
        if let Some(missing) = ids.iter().find(|i| !found.contains(i.as_str())) {
            return Err(Error::invalid(F, format!("“{missing}”不存在")));
        }
    }
    for (id, org_id, p, ok) in rows {
        let below = match subject {
            Subject::Orgs => p.len() > path.len() && p.starts_with(path),
            Subject::Members => p.starts_with(path),
        };
        if !below {
            return Err(Error::invalid(F, format!("“{id}”不在考核组织的下级范围内")));
        }
        if !ok {
            let why = match subject {
                Subject::Orgs => "已撤销",
                Subject::Members => "不是在册党员",
            };
            return Err(Error::invalid(F, format!("“{id}”{why}，不能作为考核对象")));
        }
        out.push((id, org_id));
    }
    if out.is_empty() {
        return Err(Error::invalid(F, "没有符合条件的考核对象"));
    }
    if out.len() > r::MAX_TARGETS {
        return Err(Error::invalid(F, format!("一次考核最多 {} 个对象", r::MAX_TARGETS)));
    }
    Ok(out)
}

async fn insert_indicator(tx: &mut Tx, id: &str, i: &Indicator) -> Result<()> {
    let f = i.figure.as_ref();
    with_tx!(tx, |c| {
        sqlx::query(
        "INSERT INTO assessment_indicators (assessment_id, code, seq, dimension, side, title, full_points, kind, metric, \
         tier, pass_bp, figure_unit, figure_baseline, figure_target, figure_direction, w_superior, w_peers, w_masses, \
         w_self) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)"
    )
    .bind(id)
    .bind(&i.code)
    .bind(i.seq)
    .bind(&i.dimension)
    .bind(i.side.code())
    .bind(&i.title)
    .bind(i.full_points)
    .bind(i.kind.code())
    .bind(i.metric.map(|m| m.code()))
    .bind(i.tier.code())
    .bind(i.pass_bp)
    .bind(f.map(|f| f.unit.clone()))
    .bind(f.map(|f| f.baseline))
    .bind(f.map(|f| f.target))
    .bind(f.map(|f| f.direction.clone()))
    .bind(i.weights.superior)
    .bind(i.weights.peers)
    .bind(i.weights.masses)
    .bind(i.weights.self_rating)
    .execute(c)
    .await?
    .rows_affected()
    });
    Ok(())
}

async fn insert_targets(tx: &mut Tx, id: &str, targets: &[(String, String)]) -> Result<()> {
    for chunk in targets.chunks(CHUNK) {
        let mut w = Where::default();
        let rows: Vec<String> = chunk
            .iter()
            .map(|(t, o)| {
                let a = w.param(Param::S(id.into()));
                let b = w.param(Param::S(t.clone()));
                let c = w.param(Param::S(o.clone()));
                format!("({a}, {b}, {c})")
            })
            .collect();
        let sql = format!(
            "INSERT INTO assessment_targets (assessment_id, target_id, org_id) VALUES {}",
            rows.join(", ")
        );
        with_tx!(tx, |c| bind_all!(sqlx::query(&sql), w.params())
            .execute(c)
            .await?
            .rows_affected());
    }
    Ok(())
}

/// Sets up an assessment; returns its id.
pub async fn create(db: &Db, now: i64, actor: &Actor, scope: &Scope, new: NewAssessment) -> Result<String> {
    if new.org_id.trim().is_empty() {
        return Err(Error::invalid("考核组织", "不能为空，请选择考核组织"));
    }
    let org = org::get(db, scope, new.org_id.trim()).await?;
    if org.dissolved_at.is_some() {
        return Err(Error::invalid("考核组织", format!("{} 已撤销", org.name)));
    }
    let title = check("考核名称", &new.title, 80, TextKind::Free)?;
    let period = crate::plan::Period::parse_any(&new.period)?;
    let subject = Subject::parse(&new.subject)
        .ok_or_else(|| Error::invalid("考核对象类型", "应为 orgs（党组织）或 members（党员）"))?;
    let (th, cap, days) = settings(&new)?;
    let indicators = check_indicators(&new.indicators)?;
    let targets = resolve_targets(db, subject, &org.path, &new).await?;
    db.transaction(move |tx| {
        let (org, title, actor, indicators, targets) =
            (org.clone(), title.clone(), actor.clone(), indicators.clone(), targets.clone());
        Box::pin(async move {
            let id = ids::new_id();
            with_tx!(tx, |c| sqlx::query(
                "INSERT INTO assessments (id, org_id, title, period, subject, status, good_bp, fairly_good_bp, fair_bp, \
                 bonus_cap, appeal_days, created_by, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, 'open', $6, $7, $8, $9, $10, $11, $12, $12)"
            )
            .bind(&id)
            .bind(&org.id)
            .bind(&title)
            .bind(period.code())
            .bind(subject.code())
            .bind(th.good_bp)
            .bind(th.fairly_good_bp)
            .bind(th.fair_bp)
            .bind(cap)
            .bind(days)
            .bind(&actor.name)
            .bind(now)
            .execute(c)
            .await?
            .rows_affected());
            for i in &indicators {
                insert_indicator(tx, &id, i).await?;
            }
            insert_targets(tx, &id, &targets).await?;
            let ev = Event::new(
                "assess.create",
                format!("{title}（{}，{}）", org.name, period.title()),
                Outcome::Ok,
            )
            .detail(format!(
                "{} 项指标，{} 个{}",
                indicators.len(),
                targets.len(),
                match subject {
                    Subject::Orgs => "党组织",
                    Subject::Members => "党员",
                }
            ));
            audit::append(tx, now, &actor, &ev).await?;
            Ok(id)
        })
    })
    .await
}
