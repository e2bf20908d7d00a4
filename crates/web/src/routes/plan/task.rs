//! One task: what it serves, its milestones, the organizations it went to,
//! progress reports with evidence (同落实); accept, deploy, report, delete.
use super::board::task_status;
use crate::extract::Fields;
use crate::extract::{Auth, Form};
use crate::fmt::cn_date;
use crate::redirect::Redirect;
use crate::shell::{render, Shell};
use crate::PageError;
use askama::Template;
use axum::extract::{Multipart, Path, Query};
use axum::response::{Html, Response};
use tongpin_core::auth::Power;
use tongpin_core::clock::format_beijing;
use tongpin_core::plan::board::TaskRow;
use tongpin_core::plan::{board, deploy, goals, people, progress, tasks, Goal, Milestone, ProgressReport};
use tongpin_core::{files, org, Error};

#[derive(Template)]
#[template(path = "plan/task.html")]
struct Page {
    shell: Shell,
    t: TaskRow,
    goals: Vec<Goal>,
    milestones: Vec<Milestone>,
    children: Vec<TaskRow>,
    reports: Vec<ProgressReport>,
    evidence: Vec<files::Attachment>,
    /// The chooser's query of the organizations below to deploy to; None when there is none.
    deploy_for: Option<String>,
    can_manage: bool,
    can_report: bool,
    today: String,
    notice: Option<&'static str>,
}

impl Page {
    fn cn_date(&self, d: &str) -> String {
        cn_date(d)
    }
    fn at(&self, ms: &i64) -> String {
        format_beijing(*ms)
    }
    fn files_of(&self, report_id: &str) -> Vec<&files::Attachment> {
        self.evidence.iter().filter(|f| f.owner_id == report_id).collect()
    }
    fn size(&self, n: &i64) -> String {
        files::size_label(u64::try_from(*n).unwrap_or(0))
    }
    fn status(&self, t: &TaskRow) -> (&'static str, &'static str) {
        task_status(t)
    }
}

#[derive(serde::Deserialize, Default)]
pub struct Done {
    done: Option<String>,
}

pub async fn page(a: Auth, Path(id): Path<String>, Query(q): Query<Done>) -> Result<Html<String>, PageError> {
    let scope = a.require(Power::ViewPlan).await?;
    let db = &a.state.db;
    let now = a.now();
    let task = tasks::get(db, &scope, &id).await?;
    let org = org::get(db, &scope, &task.org_id).await?;
    let t = board::task_rows(db, vec![task.clone()], now)
        .await?
        .pop()
        .ok_or_else(|| Error::NotFound("党建任务不存在".into()))?;
    let links: Vec<String> = tasks::links_of(db, std::slice::from_ref(&task.id))
        .await?
        .into_iter()
        .map(|(_, g)| g)
        .collect();
    let goals = goals::linkable(db, &org.path, task.year)
        .await?
        .into_iter()
        .filter(|g| links.contains(&g.id))
        .collect();
    let children = board::task_rows(db, tasks::children_of(db, std::slice::from_ref(&task.id)).await?, now).await?;
    let reports = progress::of_task(db, &scope, &task.id).await?;
    let manage = a.who.scope(Power::ManagePlan);
    let can_manage = manage.as_ref().is_some_and(|s| s.contains_path(&org.path));
    let deploy_for = match &manage {
        Some(s) if can_manage => crate::org_choice::below_for(db, s, &org, "plan").await?,
        _ => None,
    };
    let assigned = match &a.who.person_id {
        Some(p) => people::is_assigned(db, &task.id, p).await?,
        None => false,
    };
    let can_report = assigned
        || a.who
            .scope(Power::ReportProgress)
            .is_some_and(|s| s.contains_path(&org.path));
    let notice = match q.done.as_deref() {
        Some("created") => Some("党建任务已保存"),
        Some("saved") => Some("已保存"),
        Some("accepted") => Some("已接收，任务纳入本组织年度计划"),
        Some("deployed") => Some("已部署到所选组织，等待其接收"),
        Some("reported") => Some("进展已报告"),
        Some("milestone") => Some("里程碑已完成"),
        _ => None,
    };
    Ok(Html(render(&Page {
        shell: Shell::new(&a, "/plan", &["同谋划", "年度计划", "党建任务"]),
        goals,
        milestones: tasks::milestones_of(db, std::slice::from_ref(&task.id)).await?,
        children,
        evidence: files::list(
            db,
            progress::OWNER,
            &reports.iter().map(|r| r.id.clone()).collect::<Vec<_>>(),
        )
        .await?,
        reports,
        deploy_for,
        can_manage,
        can_report,
        today: tongpin_core::clock::beijing(now).date_naive().to_string(),
        notice,
        t,
    })))
}

pub async fn accept(a: Auth, Path(id): Path<String>) -> Result<Redirect, PageError> {
    let scope = a.require(Power::ManagePlan).await?;
    deploy::accept(&a.state.db, a.now(), &a.actor(), &scope, &id).await?;
    Ok(Redirect::to(&format!("/plan/tasks/{id}?done=accepted")))
}

pub async fn deploy(
    a: Auth,
    Path(id): Path<String>,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Redirect, PageError> {
    let scope = a.require(Power::ManagePlan).await?;
    deploy::task(&a.state.db, a.now(), &a.actor(), &scope, &id, &Fields(f).all("org_id")).await?;
    Ok(Redirect::to(&format!("/plan/tasks/{id}?done=deployed")))
}

pub async fn delete(a: Auth, Path(id): Path<String>) -> Result<Redirect, PageError> {
    let scope = a.require(Power::ManagePlan).await?;
    let db = &a.state.db;
    let t = tasks::get(db, &scope, &id).await?;
    tasks::delete(db, a.now(), &a.actor(), &scope, &id).await?;
    Ok(Redirect::to(&format!(
        "/plan?org={}&year={}&done=deleted",
        t.org_id, t.year
    )))
}

pub async fn milestone_done(a: Auth, Path(id): Path<String>) -> Result<Redirect, PageError> {
    let scope = a.require(Power::ManagePlan).await?;
    let task_id = progress::milestone_done(&a.state.db, a.now(), &a.actor(), &scope, &id).await?;
    Ok(Redirect::to(&format!("/plan/tasks/{task_id}?done=milestone")))
}

/// How many evidence files one progress report may carry.
pub const MAX_FILES: usize = 5;

/// A progress report: percent, note and evidence files (multipart). Whether
/// the caller may report on the task is checked before the body is read;
/// files are then checked and stored, and the report and their attachment
/// are one transaction.
pub async fn report(a: Auth, Path(id): Path<String>, mp: Multipart) -> Result<Redirect, PageError> {
    let scope = a.require_or_linked(Power::ReportProgress).await?;
    let who = progress::Reporter {
        scope: scope.as_ref(),
        person_id: a.who.person_id.as_deref(),
    };
    progress::may_report(&a.state.db, &who, &id).await?;
    let form = crate::upload::evidence_form(mp, &a.state.config, "evidence", MAX_FILES).await?;
    let percent: i64 = form
        .field("percent")
        .unwrap_or_default()
        .trim()
        .parse()
        .map_err(|_| Error::invalid("完成进度", "应为 0 到 100 之间的整数"))?;
    let note = form.field("note").unwrap_or_default().to_string();
    let db = &a.state.db;
    let mut stored = Vec::new();
    for spool in form.files {
        stored.push(files::save(db, a.now(), &a.who.account_id, spool).await?);
    }
    let p = progress::NewProgress { percent, note };
    progress::report(db, a.now(), &a.actor(), who, &id, p, stored).await?;
    Ok(Redirect::to(&format!("/plan/tasks/{id}?done=reported")))
}

/// An evidence file, to whoever may read the task it was reported on.
pub async fn evidence(a: Auth, Path(id): Path<String>) -> Result<Response, PageError> {
    let scope = a.require(Power::ViewPlan).await?;
    let db = &a.state.db;
    let att = progress::evidence(db, &scope, &id).await?;
    Ok(crate::download::stream_attachment(db, &att))
}
