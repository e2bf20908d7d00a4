//! Progress (同落实): reports with a note, a percentage and optional
//! evidence; milestones marked done.
use super::model::{ProgressReport, Task};
use super::tasks;
use crate::audit::{self, Actor, Event, Outcome};
use crate::db::{Db, Tx};
use crate::org::Scope;
use crate::text::{check_optional, TextKind};
use crate::{ids, with_db, with_tx, Error, Result};

/// The owner kind of a progress report's evidence files.
pub const OWNER: &str = "plan_progress";

/// Who reports: someone whose scope holds the task's organization, or a
/// person responsible for the task (through their account's person).
pub struct Reporter<'a> {
    pub scope: Option<&'a Scope>,
    pub person_id: Option<&'a str>,
}

/// The task, if `who` may report on it: checked before an upload for it is
/// read, and again when the report is recorded.
pub async fn may_report(db: &Db, who: &Reporter<'_>, task_id: &str) -> Result<Task> {
    let task = tasks::get_any(db, task_id.trim()).await?;
    let Some(task) = task else {
        return Err(Error::NotFound("党建任务不存在或不在您的管理范围内".into()));
    };
    if who.scope.is_some_and(|s| s.contains_path(&task.org_path)) {
        return Ok(task);
    }
    if let Some(pid) = who.person_id {
        let n: i64 = with_db!(db, |p| sqlx::query_scalar(
            "SELECT COUNT(*) FROM plan_people WHERE item_id = $1 AND person_id = $2"
        )
        .bind(&task.id)
        .bind(pid)
        .fetch_one(p)
        .await?);
        if n > 0 {
            return Ok(task);
        }
    }
    Err(Error::NotFound("党建任务不存在或不在您的管理范围内".into()))
}

#[derive(Clone)]
pub struct NewProgress {
    pub percent: i64,
    pub note: String,
}

/// Records a progress report; at 100% the task is done as of today. Files
/// saved beforehand are attached in the same transaction.
pub async fn report(
    db: &Db,
    now: i64,
    actor: &Actor,
    who: Reporter<'_>,
    task_id: &str,
    new: NewProgress,
    evidence: Vec<crate::files::Stored>,
) -> Result<String> {
    let task = may_report(db, &who, task_id).await?;
    if task.accepted_at.is_none() {
        return Err(Error::Conflict("该任务尚未接收，请先接收任务再报告进展".into()));
    }
    if !(0..=100).contains(&new.percent) {
        return Err(Error::invalid("完成进度", "应为 0 到 100 之间的整数"));
    }
    let note = check_optional("进展情况", Some(&new.note), 1000, TextKind::Free)?.unwrap_or_default();
    if note.is_empty() {
        return Err(Error::invalid("进展情况", "不能为空，请简要说明做了什么、取得什么成效"));
    }
    let today = crate::clock::beijing(now).date_naive().to_string();
    let by = actor.name.clone();
    db.transaction(move |tx| {
        let evidence = evidence.clone();
        let (task, note, by, today, new, actor) = (
            task.clone(),
            note.clone(),
            by.clone(),
            today.clone(),
            new.clone(),
            actor.clone(),
        );
        Box::pin(async move {
            let id = ids::new_id();
            with_tx!(tx, |c| sqlx::query(
                "INSERT INTO task_progress (id, task_id, percent, note, reported_by, reported_at) \
                 VALUES ($1, $2, $3, $4, $5, $6)"
            )
            .bind(&id)
            .bind(&task.id)
            .bind(new.percent)
            .bind(note)
            .bind(&by)
            .bind(now)
            .execute(c)
            .await?
            .rows_affected());
            let done_on = (new.percent == 100).then_some(today.as_str());
            with_tx!(tx, |c| sqlx::query(
                "UPDATE tasks SET progress = $1, done_on = COALESCE(done_on, $2), updated_at = $3 WHERE id = $4"
            )
            .bind(new.percent)
            .bind(done_on)
            .bind(now)
            .bind(&task.id)
            .execute(c)
            .await?
            .rows_affected());
            if new.percent < 100 {
                with_tx!(tx, |c| sqlx::query("UPDATE tasks SET done_on = NULL WHERE id = $1")
                    .bind(&task.id)
                    .execute(c)
                    .await?
                    .rows_affected());
            }
            for f in &evidence {
                crate::files::attach(tx, now, OWNER, &id, f, &by).await?;
            }
            let ev = Event::new(
                "task.progress",
                format!("{}（{}）", task.title, task.org_name),
                Outcome::Ok,
            )
            .detail(format!(
                "进度 {}%{}",
                new.percent,
                if evidence.is_empty() {
                    String::new()
                } else {
                    format!("，佐证材料 {} 份", evidence.len())
                }
            ));
            audit::append(tx, now, &actor, &ev).await?;
            Ok(id)
        })
    })
    .await
}

/// A task's reports, newest first.
pub async fn of_task(db: &Db, scope: &Scope, task_id: &str) -> Result<Vec<ProgressReport>> {
    let task = tasks::get(db, scope, task_id).await?;
    Ok(with_db!(db, |p| sqlx::query_as(
        "SELECT id, task_id, percent, note, reported_by, reported_at FROM task_progress WHERE task_id = $1 \
         ORDER BY reported_at DESC, id DESC"
    )
    .bind(&task.id)
    .fetch_all(p)
    .await?))
}

/// Removes a task's reports and the evidence nothing else refers to.
pub(super) async fn delete_all(tx: &mut Tx, task_id: &str) -> Result<()> {
    let ids: Vec<String> = with_tx!(tx, |c| sqlx::query_scalar(
        "SELECT id FROM task_progress WHERE task_id = $1"
    )
    .bind(task_id)
    .fetch_all(c)
    .await?);
    for id in &ids {
        crate::files::detach_all(tx, OWNER, id).await?;
    }
    with_tx!(tx, |c| sqlx::query("DELETE FROM task_progress WHERE task_id = $1")
        .bind(task_id)
        .execute(c)
        .await?
        .rows_affected());
    Ok(())
}

/// Marks a milestone done today; answers its task's id.
pub async fn milestone_done(db: &Db, now: i64, actor: &Actor, scope: &Scope, milestone_id: &str) -> Result<String> {
    let row: Option<(String, String)> = with_db!(db, |p| sqlx::query_as(
        "SELECT task_id, title FROM task_milestones WHERE id = $1"
    )
    .bind(milestone_id.trim())
    .fetch_optional(p)
    .await?);
    let Some((task_id, title)) = row else {
        return Err(Error::NotFound("里程碑不存在".into()));
    };
    let task = tasks::get(db, scope, &task_id).await?;
    let today = crate::clock::beijing(now).date_naive().to_string();
    db.transaction(move |tx| {
        let (task, title, today, actor) = (task.clone(), title.clone(), today.clone(), actor.clone());
        let id = milestone_id.trim().to_string();
        Box::pin(async move {
            with_tx!(tx, |c| sqlx::query(
                "UPDATE task_milestones SET done_on = $1 WHERE id = $2 AND done_on IS NULL"
            )
            .bind(today)
            .bind(id)
            .execute(c)
            .await?
            .rows_affected());
            let ev = Event::new("milestone.done", format!("{}／{title}", task.title), Outcome::Ok);
            audit::append(tx, now, &actor, &ev).await?;
            Ok(())
        })
    })
    .await?;
    Ok(task_id)
}

/// An evidence file of a progress report, if the scope may read its task;
/// outside the scope it answers as missing.
pub async fn evidence(db: &Db, scope: &Scope, attachment_id: &str) -> Result<crate::files::Attachment> {
    let missing = || Error::NotFound("附件不存在或不在您的管理范围内".into());
    let att = crate::files::get(db, attachment_id.trim())
        .await?
        .filter(|f| f.owner_kind == OWNER)
        .ok_or_else(missing)?;
    match task_of_report(db, scope, &att.owner_id).await {
        Ok(_) => Ok(att),
        Err(Error::NotFound(_)) => Err(missing()),
        Err(e) => Err(e),
    }
}

/// The task a progress report belongs to, if the scope may read it.
pub async fn task_of_report(db: &Db, scope: &Scope, report_id: &str) -> Result<Task> {
    let task_id: Option<String> = with_db!(db, |p| sqlx::query_scalar(
        "SELECT task_id FROM task_progress WHERE id = $1"
    )
    .bind(report_id)
    .fetch_optional(p)
    .await?);
    match task_id {
        Some(t) => tasks::get(db, scope, &t).await,
        None => Err(Error::NotFound("进展报告不存在".into())),
    }
}
