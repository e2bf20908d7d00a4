//! The plan's to-dos: tasks past their deadline (for the branch and for the
//! people responsible), tasks deployed and not yet accepted, and KPI figures
//! due and not entered.
use super::rules::{Period, PeriodKind};
use super::today;
use crate::db::Db;
use crate::org::Scope;
use crate::sql::{Param, Where};
use crate::todo::Todo;
use crate::{bind_all, with_db, Result};
use chrono::Datelike;

const LIMIT: i64 = 200;

fn task_todo(id: &str, title: &str, org: &str, deadline: &str, accepted: bool, overdue: bool) -> Todo {
    let href = format!("/plan/tasks/{id}");
    if !accepted {
        return Todo {
            kind: "plan",
            title: format!("接收任务：{title}（{org}）"),
            detail: "上级部署的党建任务，接收后纳入本组织计划并报告进展".into(),
            due: Some(deadline.to_string()),
            from: None,
            overdue,
            href,
        };
    }
    Todo {
        kind: "plan",
        title: format!("任务逾期：{title}（{org}）"),
        detail: format!("截止日期 {deadline} 已过仍未完成，请督促落实并报告进展"),
        due: Some(deadline.to_string()),
        from: None,
        overdue: true,
        href,
    }
}

/// Overdue and unaccepted tasks of the organizations in the scope.
pub async fn todos(db: &Db, scope: &Scope, now: i64) -> Result<Vec<Todo>> {
    let today = today(now).to_string();
    let mut w = Where::default();
    w.push_raw("t.done_on IS NULL".into());
    let a = w.param(Param::S(today.clone()));
    w.push_raw(format!("(t.deadline < {a} OR t.accepted_at IS NULL)"));
    scope.restrict(&mut w, "o.path");
    let lim = w.param(Param::I(LIMIT));
    let (cond, _) = w.sql();
    let sql = format!(
        "SELECT t.id, t.title, o.name, t.deadline, t.accepted_at FROM tasks t JOIN orgs o ON o.id = t.org_id {cond} \
         ORDER BY t.deadline, t.id LIMIT {lim}"
    );
    let rows: Vec<(String, String, String, String, Option<i64>)> =
        with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params()).fetch_all(p).await?);
    Ok(rows
        .into_iter()
        .map(|(id, title, org, deadline, acc)| {
            let overdue = deadline < today;
            task_todo(&id, &title, &org, &deadline, acc.is_some(), overdue)
        })
        .collect())
}

/// Overdue tasks a person is responsible for.
pub async fn of_person(db: &Db, person_id: &str, now: i64) -> Result<Vec<Todo>> {
    let today = today(now).to_string();
    let rows: Vec<(String, String, String, String)> = with_db!(db, |p| sqlx::query_as(
        "SELECT t.id, t.title, o.name, t.deadline FROM plan_people pp JOIN tasks t ON t.id = pp.item_id \
         JOIN orgs o ON o.id = t.org_id WHERE pp.person_id = $1 AND t.done_on IS NULL AND t.deadline < $2 \
         AND t.accepted_at IS NOT NULL ORDER BY t.deadline LIMIT 50"
    )
    .bind(person_id)
    .bind(&today)
    .fetch_all(p)
    .await?);
    Ok(rows
        .into_iter()
        .map(|(id, title, org, deadline)| task_todo(&id, &title, &org, &deadline, true, true))
        .collect())
}

/// The latest ended period of a kind, as of today.
fn last_ended(kind: PeriodKind, today: chrono::NaiveDate) -> Period {
    let y = today.year();
    let (year, part) = match kind {
        PeriodKind::Month if today.month() == 1 => (y - 1, 12),
        PeriodKind::Month => (y, today.month() - 1),
        PeriodKind::Quarter if today.month() <= 3 => (y - 1, 4),
        PeriodKind::Quarter => (y, (today.month() - 1) / 3),
        PeriodKind::Year => (y - 1, 0),
    };
    Period { year, kind, part }
}

/// The first instant (ms) after a day ends in Beijing: a KPI created before
/// it existed on that day.
fn day_after_ms(d: chrono::NaiveDate) -> i64 {
    use chrono::TimeZone;
    let next = d.succ_opt().unwrap_or(d).and_hms_opt(0, 0, 0).unwrap_or_default();
    crate::clock::beijing_offset()
        .from_local_datetime(&next)
        .single()
        .map(|t| t.timestamp_millis())
        .unwrap_or(i64::MAX)
}

/// KPIs in the scope whose latest ended period has no figure yet (待填报).
pub async fn kpi_todos(db: &Db, scope: &Scope, now: i64) -> Result<Vec<Todo>> {
    let today = today(now);
    let mut w = Where::default();
    let mut ors = Vec::new();
    for kind in [PeriodKind::Month, PeriodKind::Quarter, PeriodKind::Year] {
        let p = last_ended(kind, today);
        let y = w.param(Param::I(i64::from(p.year)));
        let k = w.param(Param::S(kind.code().into()));
        let c = w.param(Param::S(p.code()));
        // Owed only by a KPI that existed on the period's first day (Period::is_due).
        let by = w.param(Param::I(day_after_ms(p.first_day())));
        ors.push(format!(
            "(g.year = {y} AND k.period_kind = {k} AND k.created_at < {by} AND NOT EXISTS \
             (SELECT 1 FROM kpi_values v WHERE v.kpi_id = k.id AND v.period = {c}))"
        ));
    }
    w.push_raw(format!("({})", ors.join(" OR ")));
    scope.restrict(&mut w, "o.path");
    let lim = w.param(Param::I(LIMIT));
    let (cond, _) = w.sql();
    let sql = format!(
        "SELECT k.id, k.name, k.period_kind, g.title, o.name FROM kpis k JOIN goals g ON g.id = k.goal_id \
         JOIN orgs o ON o.id = g.org_id {cond} ORDER BY o.path, g.seq, k.seq LIMIT {lim}"
    );
    let rows: Vec<(String, String, String, String, String)> =
        with_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.params()).fetch_all(p).await?);
    Ok(rows
        .into_iter()
        .map(|(id, name, kind, goal, org)| {
            let p = last_ended(PeriodKind::parse(&kind).unwrap_or(PeriodKind::Month), today);
            Todo {
                kind: "plan",
                title: format!("填报指标：{goal}／{name}（{}）", p.title()),
                detail: format!("{org}：该期已结束，请填报指标值（每个数值只填一次，各处共用）"),
                due: None,
                from: None,
                overdue: false,
                href: format!("/plan/kpis/{id}"),
            }
        })
        .collect())
}
