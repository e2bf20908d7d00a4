//! Deployment (同部署): a committee's goals and tasks cascade to the
//! organizations below it; a branch accepts a deployed task and carries it
//! out as its own.
use super::goals::{self, insert_kpi, next_seq, validate_kpi};
use super::model::NewKpi;
use super::rules::figure_text;
use super::tasks::{self, ValidTask};
use crate::audit::{self, Actor, Event, Outcome};
use crate::db::Db;
use crate::org::{self, Org, Scope};
use crate::{ids, with_db, with_tx, Error, Result};

/// The organizations to deploy to: below `from_path`, in the scope, alive.
async fn targets(db: &Db, scope: &Scope, from_path: &str, org_ids: &[String]) -> Result<Vec<Org>> {
    let mut out: Vec<Org> = Vec::new();
    for id in org_ids.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
        let o = match org::get(db, scope, id).await {
            Err(Error::NotFound(_)) => return Err(Error::invalid("下达组织", "所选组织不存在或不在您的管理范围内")),
            r => r?,
        };
        if !o.path.starts_with(from_path) || o.path == from_path {
            return Err(Error::invalid(
                "下达组织",
                format!("{} 不是本组织的下级组织，不能部署", o.name),
            ));
        }
        if o.kind == "group" {
            return Err(Error::invalid(
                "下达组织",
                format!("{} 是党小组，不单独制定计划，请部署到其所在党支部", o.name),
            ));
        }
        if o.dissolved_at.is_some() {
            return Err(Error::invalid("下达组织", format!("{} 已撤销，不能部署", o.name)));
        }
        if !out.iter().any(|x| x.id == o.id) {
            out.push(o);
        }
    }
    if out.is_empty() {
        return Err(Error::invalid("下达组织", "请至少选择一个下级组织"));
    }
    Ok(out)
}

/// Orgs among `orgs` that already hold a copy of `parent` in `table`.
async fn already(db: &Db, table: &str, parent: &str) -> Result<Vec<String>> {
    let sql = format!("SELECT org_id FROM {table} WHERE parent_id = $1");
    Ok(with_db!(db, |p| sqlx::query_scalar(&sql)
        .bind(parent)
        .fetch_all(p)
        .await?))
}

/// Deploys a task to organizations below its own: each gets a copy to
/// accept, serving the same goals. Answers how many were new (a repeated
/// deployment to the same organization is skipped, not duplicated).
pub async fn task(db: &Db, now: i64, actor: &Actor, scope: &Scope, task_id: &str, org_ids: &[String]) -> Result<usize> {
    let t = tasks::get(db, scope, task_id).await?;
    if t.parent_id.is_some() && t.accepted_at.is_none() {
        return Err(Error::Conflict("该任务尚未接收，请先接收再向下部署".into()));
    }
    let to = targets(db, scope, &t.org_path, org_ids).await?;
    let have = already(db, "tasks", &t.id).await?;
    let to: Vec<Org> = to.into_iter().filter(|o| !have.contains(&o.id)).collect();
    let goal_ids: Vec<String> = tasks::links_of(db, std::slice::from_ref(&t.id))
        .await?
        .into_iter()
        .map(|(_, g)| g)
        .collect();
    let deadline = chrono::NaiveDate::parse_from_str(&t.deadline, "%Y-%m-%d")
        .map_err(|_| Error::invalid("截止日期", "原任务的截止日期无效，请先修改"))?;
    let v = ValidTask {
        title: t.title.clone(),
        description: t.description.clone(),
        standing: t.standing,
        deadline,
        goal_ids,
        assignees: Vec::new(),
        milestones: Vec::new(),
    };
    let by = actor.name.clone();
    db.transaction(move |tx| {
        let (t, to, v, by, actor) = (t.clone(), to.clone(), v.clone(), by.clone(), actor.clone());
        Box::pin(async move {
            for o in to.iter() {
                tasks::insert(tx, now, &ids::new_id(), &o.id, t.year, Some(&t.id), false, &v, &by).await?;
            }
            if !to.is_empty() {
                let names: Vec<&str> = to.iter().map(|o| o.name.as_str()).collect();
                let ev = Event::new("task.deploy", format!("{}（{}）", t.title, t.org_name), Outcome::Ok)
                    .detail(format!("部署到：{}", names.join("、")));
                audit::append(tx, now, &actor, &ev).await?;
            }
            Ok(to.len())
        })
    })
    .await
}

/// A branch accepts a deployed task (接收); from then on it reports progress.
pub async fn accept(db: &Db, now: i64, actor: &Actor, scope: &Scope, task_id: &str) -> Result<()> {
    let t = tasks::get(db, scope, task_id).await?;
    if t.parent_id.is_none() {
        return Err(Error::Conflict("这是本组织自己的任务，无需接收".into()));
    }
    if t.accepted_at.is_some() {
        return Ok(());
    }
    db.transaction(move |tx| {
        let (t, actor) = (t.clone(), actor.clone());
        Box::pin(async move {
            with_tx!(tx, |c| sqlx::query(
                "UPDATE tasks SET accepted_at = $1, updated_at = $1 WHERE id = $2 AND accepted_at IS NULL"
            )
            .bind(now)
            .bind(&t.id)
            .execute(c)
            .await?
            .rows_affected());
            let ev = Event::new("task.accept", format!("{}（{}）", t.title, t.org_name), Outcome::Ok);
            audit::append(tx, now, &actor, &ev).await?;
            Ok(())
        })
    })
    .await
}

/// Breaks a goal down (分解下达) to organizations below: each gets the goal
/// with the same KPIs, whose baseline and target it then sets for its share.
pub async fn goal(db: &Db, now: i64, actor: &Actor, scope: &Scope, goal_id: &str, org_ids: &[String]) -> Result<usize> {
    let g = goals::get(db, scope, goal_id).await?;
    let to = targets(db, scope, &g.org_path, org_ids).await?;
    let have = already(db, "goals", &g.id).await?;
    let to: Vec<Org> = to.into_iter().filter(|o| !have.contains(&o.id)).collect();
    let kpis = goals::kpis_of(db, std::slice::from_ref(&g.id)).await?;
    let valid = kpis
        .iter()
        .enumerate()
        .map(|(i, k)| {
            validate_kpi(
                &NewKpi {
                    name: k.name.clone(),
                    unit: k.unit.clone(),
                    baseline: figure_text(k.baseline),
                    target: figure_text(k.target),
                    direction: k.direction.clone(),
                    period: k.period_kind.clone(),
                },
                i + 1,
            )
        })
        .collect::<Result<Vec<_>>>()?;
    let by = actor.name.clone();
    db.transaction(move |tx| {
        let (g, to, valid, by, actor) = (g.clone(), to.clone(), valid.clone(), by.clone(), actor.clone());
        Box::pin(async move {
            for o in to.iter() {
                let id = ids::new_id();
                let seq = next_seq(tx, "goals", &o.id, g.year).await?;
                goals::insert(
                    tx,
                    now,
                    &id,
                    &o.id,
                    g.year,
                    Some(&g.id),
                    &g.title,
                    &g.description,
                    g.difficult,
                    seq,
                    &by,
                )
                .await?;
                for (i, k) in valid.iter().enumerate() {
                    insert_kpi(tx, now, &id, i + 1, k).await?;
                }
            }
            if !to.is_empty() {
                let names: Vec<&str> = to.iter().map(|o| o.name.as_str()).collect();
                let ev = Event::new("goal.deploy", format!("{}（{}）", g.title, g.org_name), Outcome::Ok)
                    .detail(format!("分解到：{}", names.join("、")));
                audit::append(tx, now, &actor, &ev).await?;
            }
            Ok(to.len())
        })
    })
    .await
}
