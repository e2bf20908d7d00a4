//! Business goals (业务目标) and their KPIs: create, edit, delete, read.
use super::model::{Goal, Kpi, NewGoal, NewKpi};
use super::rules::{attainment_bp, parse_figure, Direction, PeriodKind};
use super::{people, plan_org, year_of};
use crate::audit::{self, Actor, Event, Outcome};
use crate::db::{Db, Tx};
use crate::org::Scope;
use crate::sql::{Param, Where};
use crate::text::{check, TextKind};
use crate::{bind_all, ids, with_db, with_tx, Error, Result};

pub(super) const SELECT: &str = "SELECT g.id, g.org_id, o.name AS org_name, o.path AS org_path, g.year, g.parent_id, \
     g.title, g.description, g.difficult, g.seq FROM goals g JOIN orgs o ON o.id = g.org_id";

/// A KPI whose every field was checked.
#[derive(Clone)]
pub(super) struct ValidKpi {
    name: String,
    unit: String,
    baseline: i64,
    target: i64,
    direction: Direction,
    kind: PeriodKind,
}

pub(super) fn validate_kpi(k: &NewKpi, n: usize) -> Result<ValidKpi> {
    let f = |name: &str| format!("指标{n}{name}");
    let name = check(&f("名称"), &k.name, 60, TextKind::Free)?;
    crate::rules::formalism::check(&f("名称"), "指标", &name)?;
    let unit = if k.unit.trim().is_empty() {
        String::new()
    } else {
        check(&f("单位"), &k.unit, 10, TextKind::Name)?
    };
    let baseline = parse_figure(&f("基准值"), &k.baseline)?;
    let target = parse_figure(&f("目标值"), &k.target)?;
    let direction = Direction::parse(&k.direction)
        .ok_or_else(|| Error::invalid(&f("方向"), "应为“越高越好”(higher) 或“越低越好”(lower)"))?;
    let kind = match k.period.trim() {
        "" => PeriodKind::Month,
        p => PeriodKind::parse(p).ok_or_else(|| Error::invalid(&f("报送周期"), "应为月度、季度或年度"))?,
    };
    // The formula refuses a target that measures nothing or points the wrong way.
    attainment_bp(direction, baseline, target, baseline).map_err(|e| match e {
        Error::Invalid { message, .. } => Error::invalid(&f("目标值"), message),
        e => e,
    })?;
    Ok(ValidKpi {
        name,
        unit,
        baseline,
        target,
        direction,
        kind,
    })
}

pub(super) async fn insert_kpi(tx: &mut Tx, now: i64, goal_id: &str, seq: usize, k: &ValidKpi) -> Result<String> {
    let id = ids::new_id();
    with_tx!(tx, |c| sqlx::query(
        "INSERT INTO kpis (id, goal_id, seq, name, unit, baseline, target, direction, period_kind, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
    )
    .bind(&id)
    .bind(goal_id)
    .bind(seq as i64)
    .bind(&k.name)
    .bind(&k.unit)
    .bind(k.baseline)
    .bind(k.target)
    .bind(match k.direction {
        Direction::Higher => "higher",
        Direction::Lower => "lower",
    })
    .bind(k.kind.code())
    .bind(now)
    .execute(c)
    .await?
    .rows_affected());
    Ok(id)
}

pub(super) async fn next_seq(tx: &mut Tx, table: &str, org_id: &str, year: i64) -> Result<i64> {
    let sql = format!("SELECT COALESCE(MAX(seq), 0) + 1 FROM {table} WHERE org_id = $1 AND year = $2");
    Ok(with_tx!(tx, |c| sqlx::query_scalar(&sql)
        .bind(org_id)
        .bind(year)
        .fetch_one(c)
        .await?))
}

/// A goal with its KPIs; answers the goal's id and its KPIs' ids in order.
pub async fn create(db: &Db, now: i64, actor: &Actor, scope: &Scope, new: NewGoal) -> Result<(String, Vec<String>)> {
    let org = plan_org(db, scope, &new.org_id).await?;
    let year = year_of(new.year)?;
    let title = check("目标名称", &new.title, 80, TextKind::Free)?;
    let description = crate::text::check_optional("目标说明", Some(&new.description), 1000, TextKind::Free)?;
    let kpis: Vec<ValidKpi> = new
        .kpis
        .iter()
        .enumerate()
        .map(|(i, k)| validate_kpi(k, i + 1))
        .collect::<Result<_>>()?;
    let owners = people::resolve(db, "责任人", &org.path, &new.owners).await?;
    let difficult = new.difficult;
    let actor_name = actor.name.clone();
    db.transaction(move |tx| {
        let (org, title, description, kpis, owners, actor_name, actor) = (
            org.clone(),
            title.clone(),
            description.clone(),
            kpis.clone(),
            owners.clone(),
            actor_name.clone(),
            actor.clone(),
        );
        Box::pin(async move {
            let id = ids::new_id();
            let seq = next_seq(tx, "goals", &org.id, i64::from(year)).await?;
            insert(
                tx,
                now,
                &id,
                &org.id,
                i64::from(year),
                None,
                &title,
                description.as_deref().unwrap_or(""),
                difficult,
                seq,
                &actor_name,
            )
            .await?;
            let mut kpi_ids = Vec::new();
            for (i, k) in kpis.iter().enumerate() {
                kpi_ids.push(insert_kpi(tx, now, &id, i + 1, k).await?);
            }
            people::replace(tx, &id, &owners).await?;
            let ev = Event::new("goal.create", format!("{title}（{}，{year}年）", org.name), Outcome::Ok).detail(
                format!("{} 个指标{}", kpis.len(), if difficult { "，业务难点" } else { "" }),
            );
            audit::append(tx, now, &actor, &ev).await?;
            Ok((id, kpi_ids))
        })
    })
    .await
}

#[allow(clippy::too_many_arguments)]
pub(super) async fn insert(
    tx: &mut Tx,
    now: i64,
    id: &str,
    org_id: &str,
    year: i64,
    parent_id: Option<&str>,
    title: &str,
    description: &str,
    difficult: bool,
    seq: i64,
    created_by: &str,
) -> Result<()> {
    with_tx!(tx, |c| sqlx::query(
        "INSERT INTO goals (id, org_id, year, parent_id, title, description, difficult, seq, created_by, created_at, \
         updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)"
    )
    .bind(id)
    .bind(org_id)
    .bind(year)
    .bind(parent_id)
    .bind(title)
    .bind(description)
    .bind(difficult)
    .bind(seq)
    .bind(created_by)
    .bind(now)
    .execute(c)
    .await?
    .rows_affected());
    Ok(())
}

/// Edits a goal's title, description, difficulty and owners, and adds KPIs.
pub async fn update(db: &Db, now: i64, actor: &Actor, scope: &Scope, id: &str, new: NewGoal) -> Result<()> {
    let goal = get(db, scope, id).await?;
    let title = check("目标名称", &new.title, 80, TextKind::Free)?;
    let description = crate::text::check_optional("目标说明", Some(&new.description), 1000, TextKind::Free)?;
    let existing = kpis_of(db, std::slice::from_ref(&goal.id)).await?.len();
    let kpis: Vec<ValidKpi> = new
        .kpis
        .iter()
        .enumerate()
        .map(|(i, k)| validate_kpi(k, existing + i + 1))
        .collect::<Result<_>>()?;
    let owners = people::resolve(db, "责任人", &goal.org_path, &new.owners).await?;
    let difficult = new.difficult;
    db.transaction(move |tx| {
        let (goal, title, description, kpis, owners, actor) = (
            goal.clone(),
            title.clone(),
            description.clone(),
            kpis.clone(),
            owners.clone(),
            actor.clone(),
        );
        Box::pin(async move {
            with_tx!(tx, |c| sqlx::query(
                "UPDATE goals SET title = $1, description = $2, difficult = $3, updated_at = $4 WHERE id = $5"
            )
            .bind(&title)
            .bind(description.as_deref().unwrap_or(""))
            .bind(difficult)
            .bind(now)
            .bind(&goal.id)
            .execute(c)
            .await?
            .rows_affected());
            for (i, k) in kpis.iter().enumerate() {
                insert_kpi(tx, now, &goal.id, existing + i + 1, k).await?;
            }
            people::replace(tx, &goal.id, &owners).await?;
            let ev = Event::new("goal.update", format!("{title}（{}）", goal.org_name), Outcome::Ok);
            audit::append(tx, now, &actor, &ev).await?;
            Ok(())
        })
    })
    .await
}

/// Deletes a goal, its KPIs and their values, and the links tasks had to it.
/// A goal already broken down to branches keeps its place until they drop theirs.
pub async fn delete(db: &Db, now: i64, actor: &Actor, scope: &Scope, id: &str) -> Result<()> {
    let goal = get(db, scope, id).await?;
    db.transaction(move |tx| {
        let (goal, actor) = (goal.clone(), actor.clone());
        Box::pin(async move {
            let children: i64 = with_tx!(tx, |c| sqlx::query_scalar(
                "SELECT COUNT(*) FROM goals WHERE parent_id = $1"
            )
            .bind(&goal.id)
            .fetch_one(c)
            .await?);
            if children > 0 {
                return Err(Error::Conflict(format!(
                    "该目标已分解到 {children} 个下级组织，请先由下级删除分解目标"
                )));
            }
            for sql in [
                "DELETE FROM kpi_values WHERE kpi_id IN (SELECT id FROM kpis WHERE goal_id = $1)",
                "DELETE FROM kpis WHERE goal_id = $1",
                "DELETE FROM task_goals WHERE goal_id = $1",
                "DELETE FROM plan_people WHERE item_id = $1",
                "DELETE FROM goals WHERE id = $1",
            ] {
                with_tx!(tx, |c| sqlx::query(sql)
                    .bind(&goal.id)
                    .execute(c)
                    .await?
                    .rows_affected());
            }
            let ev = Event::new(
                "goal.delete",
                format!("{}（{}，{}年）", goal.title, goal.org_name, goal.year),
                Outcome::Ok,
            );
            audit::append(tx, now, &actor, &ev).await?;
            Ok(())
        })
    })
    .await
}

pub(super) async fn get_any(db: &Db, id: &str) -> Result<Option<Goal>> {
    let sql = format!("{SELECT} WHERE g.id = $1");
    Ok(with_db!(db, |p| sqlx::query_as(&sql)
        .bind(id)
        .fetch_optional(p)
        .await?))
}

/// One goal, if its organization lies in the scope.
pub async fn get(db: &Db, scope: &Scope, id: &str) -> Result<Goal> {
    match get_any(db, id.trim()).await? {
        Some(g) if scope.contains_path(&g.org_path) => Ok(g),
        _ => Err(Error::NotFound("业务目标不存在或不在您的管理范围内".into())),
    }
}

/// The goals of an organization in the scope for a year, in plan order; an
/// organization outside it answers as missing.
pub async fn of_org(db: &Db, scope: &Scope, org_id: &str, year: i64) -> Result<Vec<Goal>> {
    let org = crate::org::get(db, scope, org_id.trim()).await?;
    of_org_any(db, &org.id, year).await
}

/// An organization's goals for a year, whatever the organization.
/// Crate-private: for an organization the caller has read in scope (the
/// board, the matrix, the sheets, a copy) or one above it (the superior's
/// goals an import may name), and the seed code.
pub(crate) async fn of_org_any(db: &Db, org_id: &str, year: i64) -> Result<Vec<Goal>> {
    let sql = format!("{SELECT} WHERE g.org_id = $1 AND g.year = $2 ORDER BY g.seq, g.id");
    Ok(with_db!(db, |p| sqlx::query_as(&sql)
        .bind(org_id)
        .bind(year)
        .fetch_all(p)
        .await?))
}

/// Goals by id (any organization; the caller decides what may be shown).
pub(super) async fn by_ids(db: &Db, ids: &[String]) -> Result<Vec<Goal>> {
    let mut out = Vec::new();
    for chunk in ids.chunks(500) {
        let mut w = Where::default();
        let phs = w.in_list(chunk);
        let sql = format!("{SELECT} WHERE g.id IN ({})", phs);
        let rows: Vec<Goal> = with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params()).fetch_all(p).await?);
        out.extend(rows);
    }
    Ok(out)
}

/// The KPIs of some goals, in goal then KPI order.
pub async fn kpis_of(db: &Db, goal_ids: &[String]) -> Result<Vec<Kpi>> {
    let mut out = Vec::new();
    for chunk in goal_ids.chunks(500) {
        let mut w = Where::default();
        let phs = w.in_list(chunk);
        let sql = format!(
            "SELECT id, goal_id, seq, name, unit, baseline, target, direction, period_kind, created_at FROM kpis \
             WHERE goal_id IN ({}) ORDER BY goal_id, seq",
            phs
        );
        let rows: Vec<Kpi> = with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params()).fetch_all(p).await?);
        out.extend(rows);
    }
    Ok(out)
}

/// The goals a task of an organization may serve: its own and its
/// superiors' goals of the year (the organization's path names them all).
pub async fn linkable(db: &Db, org_path: &str, year: i64) -> Result<Vec<Goal>> {
    let ids: Vec<String> = org_path
        .split('/')
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut w = Where::default();
    let phs = w.in_list(&ids);
    let y = w.param(Param::I(year));
    let sql = format!(
        "{SELECT} WHERE g.org_id IN ({}) AND g.year = {y} ORDER BY o.path, g.seq",
        phs
    );
    Ok(with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params())
        .fetch_all(p)
        .await?))
}
