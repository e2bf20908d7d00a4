//! Party tasks (党建任务): create, edit, delete, read; each names the goals
//! it serves (结合点) or is a standing requirement (常规党建要求).
use super::goals::{self, next_seq};
use super::model::{Milestone, NewTask, Task};
use super::rules::check_deadline;
use super::{people, plan_org, year_of};
use crate::audit::{self, Actor, Event, Outcome};
use crate::db::{Db, Tx};
use crate::org::{Org, Scope};
use crate::rules::formalism;
use crate::sql::Where;
use crate::text::{check, check_optional, TextKind};
use crate::{bind_all, ids, with_db, with_tx, Error, Result};
use chrono::NaiveDate;

pub(super) const SELECT: &str = "SELECT t.id, t.org_id, o.name AS org_name, o.path AS org_path, t.year, t.parent_id, \
     t.title, t.description, t.standing, t.deadline, t.accepted_at, t.progress, t.done_on, t.seq \
     FROM tasks t JOIN orgs o ON o.id = t.org_id";

/// A task whose fields were checked; `goal_ids` lie in its organization or above.
#[derive(Clone)]
pub(super) struct ValidTask {
    pub title: String,
    pub description: String,
    pub standing: bool,
    pub deadline: NaiveDate,
    pub goal_ids: Vec<String>,
    pub assignees: Vec<String>,
    pub milestones: Vec<(String, NaiveDate)>,
}

/// The goals a task of `org` may serve: its own organization's or a
/// superior's, of the same year. Anything else is refused by name.
pub(crate) async fn check_goals(db: &Db, org: &Org, year: i64, goal_ids: &[String]) -> Result<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for id in goal_ids.iter().map(|g| g.trim()).filter(|g| !g.is_empty()) {
        let goal = goals::get_any(db, id).await?;
        match goal {
            Some(g) if org.path.starts_with(&g.org_path) && g.year == year => {
                if !out.contains(&g.id) {
                    out.push(g.id)
                }
            }
            Some(g) if org.path.starts_with(&g.org_path) => {
                return Err(Error::invalid(
                    "服务的业务目标",
                    format!("“{}”属于 {} 年度计划，与任务的年度不同", g.title, g.year),
                ))
            }
            _ => {
                return Err(Error::invalid(
                    "服务的业务目标",
                    "所选目标不在本组织及上级组织的计划中，超出您的管理范围，不能关联",
                ))
            }
        }
    }
    Ok(out)
}

pub(super) async fn validate(db: &Db, org: &Org, year: i32, new: &NewTask) -> Result<ValidTask> {
    let title = check("任务名称", &new.title, 80, TextKind::Free)?;
    formalism::check("任务名称", "任务", &title)?;
    let description = check_optional("任务说明", Some(&new.description), 1000, TextKind::Free)?.unwrap_or_default();
    let deadline = check_deadline(&new.deadline, year)?;
    let goal_ids = check_goals(db, org, i64::from(year), &new.goal_ids).await?;
    if new.standing && !goal_ids.is_empty() {
        return Err(Error::invalid(
            "常规党建要求",
            "常规党建要求不关联业务目标；如该任务服务某项目标，请取消“常规党建要求”",
        ));
    }
    if !new.standing && goal_ids.is_empty() {
        return Err(Error::invalid(
            "服务的业务目标",
            "请选择该任务服务的业务目标（结合点），或标记为常规党建要求",
        ));
    }
    let mut milestones = Vec::new();
    for (i, m) in new.milestones.iter().enumerate() {
        if m.title.trim().is_empty() && m.due_on.trim().is_empty() {
            continue;
        }
        let f = format!("里程碑{}", i + 1);
        let t = check(&format!("{f}名称"), &m.title, 60, TextKind::Free)?;
        formalism::check(&format!("{f}名称"), "里程碑", &t)?;
        let d = check_deadline(&m.due_on, year)
            .map_err(|_| Error::invalid(&format!("{f}日期"), format!("“{}”应为 {year} 年内的有效日期", m.due_on)))?;
        if d > deadline {
            return Err(Error::invalid(
                &format!("{f}日期"),
                format!("{d} 晚于任务截止日期 {deadline}"),
            ));
        }
        milestones.push((t, d));
    }
    let assignees = people::resolve(db, "责任人", &org.path, &new.assignees).await?;
    Ok(ValidTask {
        title,
        description,
        standing: new.standing,
        deadline,
        goal_ids,
        assignees,
        milestones,
    })
}

/// Writes a task's row, links, people and milestones.
#[allow(clippy::too_many_arguments)]
pub(super) async fn insert(
    tx: &mut Tx,
    now: i64,
    id: &str,
    org_id: &str,
    year: i64,
    parent_id: Option<&str>,
    accepted: bool,
    v: &ValidTask,
    created_by: &str,
) -> Result<()> {
    let seq = next_seq(tx, "tasks", org_id, year).await?;
    with_tx!(tx, |c| {
        sqlx::query(
        "INSERT INTO tasks (id, org_id, year, parent_id, title, description, standing, deadline, accepted_at, progress, \
         done_on, seq, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 0, NULL, $10, $11, $12, $12)"
    )
    .bind(id)
    .bind(org_id)
    .bind(year)
    .bind(parent_id)
    .bind(&v.title)
    .bind(&v.description)
    .bind(v.standing)
    .bind(v.deadline.to_string())
    .bind(accepted.then_some(now))
    .bind(seq)
    .bind(created_by)
    .bind(now)
    .execute(c)
    .await?
    .rows_affected()
    });
    link(tx, id, &v.goal_ids).await?;
    people::replace(tx, id, &v.assignees).await?;
    for (title, due) in &v.milestones {
        with_tx!(tx, |c| sqlx::query(
            "INSERT INTO task_milestones (id, task_id, title, due_on, done_on) VALUES ($1, $2, $3, $4, NULL)"
        )
        .bind(ids::new_id())
        .bind(id)
        .bind(title)
        .bind(due.to_string())
        .execute(c)
        .await?
        .rows_affected());
    }
    Ok(())
}

pub(super) async fn link(tx: &mut Tx, task_id: &str, goal_ids: &[String]) -> Result<()> {
    with_tx!(tx, |c| sqlx::query("DELETE FROM task_goals WHERE task_id = $1")
        .bind(task_id)
        .execute(c)
        .await?
        .rows_affected());
    for g in goal_ids {
        with_tx!(tx, |c| sqlx::query(
            "INSERT INTO task_goals (task_id, goal_id) VALUES ($1, $2)"
        )
        .bind(task_id)
        .bind(g)
        .execute(c)
        .await?
        .rows_affected());
    }
    Ok(())
}

pub async fn create(db: &Db, now: i64, actor: &Actor, scope: &Scope, new: NewTask) -> Result<String> {
    let org = plan_org(db, scope, &new.org_id).await?;
    let year = year_of(new.year)?;
    let v = validate(db, &org, year, &new).await?;
    let by = actor.name.clone();
    db.transaction(move |tx| {
        let (org, v, by, actor) = (org.clone(), v.clone(), by.clone(), actor.clone());
        Box::pin(async move {
            let id = ids::new_id();
            insert(tx, now, &id, &org.id, i64::from(year), None, true, &v, &by).await?;
            let ev = Event::new(
                "task.create",
                format!("{}（{}，{year}年）", v.title, org.name),
                Outcome::Ok,
            )
            .detail(link_text(&v));
            audit::append(tx, now, &actor, &ev).await?;
            Ok(id)
        })
    })
    .await
}

fn link_text(v: &ValidTask) -> String {
    if v.standing {
        format!("常规党建要求，截止 {}", v.deadline)
    } else {
        format!("服务 {} 项业务目标，截止 {}", v.goal_ids.len(), v.deadline)
    }
}

/// Edits a task: title, description, links, deadline, people; milestones given
/// are added.
pub async fn update(db: &Db, now: i64, actor: &Actor, scope: &Scope, id: &str, new: NewTask) -> Result<()> {
    let task = get(db, scope, id).await?;
    let org = crate::org::get(db, scope, &task.org_id).await?;
    let year = year_of(task.year)?;
    let v = validate(db, &org, year, &new).await?;
    db.transaction(move |tx| {
        let (task, v, actor) = (task.clone(), v.clone(), actor.clone());
        Box::pin(async move {
            with_tx!(tx, |c| sqlx::query(
                "UPDATE tasks SET title = $1, description = $2, standing = $3, deadline = $4, updated_at = $5 WHERE id = $6"
            )
            .bind(&v.title)
            .bind(&v.description)
            .bind(v.standing)
            .bind(v.deadline.to_string())
            .bind(now)
            .bind(&task.id)
            .execute(c)
            .await?
            .rows_affected());
            link(tx, &task.id, &v.goal_ids).await?;
            people::replace(tx, &task.id, &v.assignees).await?;
            for (title, due) in &v.milestones {
                with_tx!(tx, |c| sqlx::query(
                    "INSERT INTO task_milestones (id, task_id, title, due_on, done_on) VALUES ($1, $2, $3, $4, NULL)"
                )
                .bind(ids::new_id())
                .bind(&task.id)
                .bind(title)
                .bind(due.to_string())
                .execute(c)
                .await?
                .rows_affected());
            }
            let ev = Event::new("task.update", format!("{}（{}）", v.title, task.org_name), Outcome::Ok).detail(link_text(&v));
            audit::append(tx, now, &actor, &ev).await?;
            Ok(())
        })
    })
    .await
}

/// Deletes a task with its links, milestones, progress and their evidence.
/// A task deployed to branches stays until they have dropped theirs.
pub async fn delete(db: &Db, now: i64, actor: &Actor, scope: &Scope, id: &str) -> Result<()> {
    let task = get(db, scope, id).await?;
    db.transaction(move |tx| {
        let (task, actor) = (task.clone(), actor.clone());
        Box::pin(async move {
            let children: i64 = with_tx!(tx, |c| sqlx::query_scalar(
                "SELECT COUNT(*) FROM tasks WHERE parent_id = $1"
            )
            .bind(&task.id)
            .fetch_one(c)
            .await?);
            if children > 0 {
                return Err(Error::Conflict(format!(
                    "该任务已部署到 {children} 个下级组织，请先由下级删除所部署的任务"
                )));
            }
            super::progress::delete_all(tx, &task.id).await?;
            for sql in [
                "DELETE FROM task_goals WHERE task_id = $1",
                "DELETE FROM task_milestones WHERE task_id = $1",
                "DELETE FROM plan_people WHERE item_id = $1",
                "DELETE FROM tasks WHERE id = $1",
            ] {
                with_tx!(tx, |c| sqlx::query(sql)
                    .bind(&task.id)
                    .execute(c)
                    .await?
                    .rows_affected());
            }
            let ev = Event::new(
                "task.delete",
                format!("{}（{}，{}年）", task.title, task.org_name, task.year),
                Outcome::Ok,
            );
            audit::append(tx, now, &actor, &ev).await?;
            Ok(())
        })
    })
    .await
}

/// A task a record of the organization at `org_path` may name: one of its
/// own line, above it (a committee's task its branch serves) or below it.
pub(crate) async fn in_line_of(db: &Db, org_path: &str, id: &str) -> Result<Option<Task>> {
    Ok(get_any(db, id.trim())
        .await?
        .filter(|t| org_path.starts_with(&t.org_path) || t.org_path.starts_with(org_path)))
}

/// Any task, whatever its organization. Kept to the plan module: `get`
/// checks the scope, `in_line_of` the line of an organization its caller
/// read in scope, `progress::may_report` the reporter's scope or assignment.
pub(super) async fn get_any(db: &Db, id: &str) -> Result<Option<Task>> {
    let sql = format!("{SELECT} WHERE t.id = $1");
    Ok(with_db!(db, |p| sqlx::query_as(&sql)
        .bind(id)
        .fetch_optional(p)
        .await?))
}

/// One task, if its organization lies in the scope.
pub async fn get(db: &Db, scope: &Scope, id: &str) -> Result<Task> {
    match get_any(db, id.trim()).await? {
        Some(t) if scope.contains_path(&t.org_path) => Ok(t),
        _ => Err(Error::NotFound("党建任务不存在或不在您的管理范围内".into())),
    }
}

/// The tasks of an organization in the scope for a year, in plan order; an
/// organization outside it answers as missing.
pub async fn of_org(db: &Db, scope: &Scope, org_id: &str, year: i64) -> Result<Vec<Task>> {
    let org = crate::org::get(db, scope, org_id.trim()).await?;
    of_org_any(db, &org.id, year).await
}

/// An organization's tasks for a year, whatever the organization.
/// Crate-private: for an organization the caller has read in scope (the
/// board, the sheet, a copy) or one above it (an import naming the
/// superior's goals), and the seed code.
pub(crate) async fn of_org_any(db: &Db, org_id: &str, year: i64) -> Result<Vec<Task>> {
    let sql = format!("{SELECT} WHERE t.org_id = $1 AND t.year = $2 ORDER BY t.seq, t.id");
    Ok(with_db!(db, |p| sqlx::query_as(&sql)
        .bind(org_id)
        .bind(year)
        .fetch_all(p)
        .await?))
}

/// Tasks deployed from some tasks (their branches' copies).
pub async fn children_of(db: &Db, task_ids: &[String]) -> Result<Vec<Task>> {
    let mut out = Vec::new();
    for chunk in task_ids.chunks(500) {
        let mut w = Where::default();
        let phs = w.in_list(chunk);
        let sql = format!("{SELECT} WHERE t.parent_id IN ({}) ORDER BY o.path, t.id", phs);
        let rows: Vec<Task> = with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params()).fetch_all(p).await?);
        out.extend(rows);
    }
    Ok(out)
}

/// (task id, goal id) links of some tasks.
pub async fn links_of(db: &Db, task_ids: &[String]) -> Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    for chunk in task_ids.chunks(500) {
        let mut w = Where::default();
        let phs = w.in_list(chunk);
        let sql = format!("SELECT task_id, goal_id FROM task_goals WHERE task_id IN ({})", phs);
        let rows: Vec<(String, String)> =
            with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params()).fetch_all(p).await?);
        out.extend(rows);
    }
    Ok(out)
}

/// The milestones of some tasks, by due date.
pub async fn milestones_of(db: &Db, task_ids: &[String]) -> Result<Vec<Milestone>> {
    let mut out = Vec::new();
    for chunk in task_ids.chunks(500) {
        let mut w = Where::default();
        let phs = w.in_list(chunk);
        let sql = format!(
            "SELECT id, task_id, title, due_on, done_on FROM task_milestones WHERE task_id IN ({}) ORDER BY due_on, id",
            phs
        );
        let rows: Vec<Milestone> = with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params()).fetch_all(p).await?);
        out.extend(rows);
    }
    Ok(out)
}
