//! The task form (党建任务): the goals it serves (结合点) or a standing
//! requirement, deadline, people responsible, milestones.
use super::{focus, FocusQuery};
use crate::extract::Fields;
use crate::extract::{Auth, Form};
use crate::redirect::Redirect;
use crate::shell::{render, Shell};
use crate::PageError;
use askama::Template;
use axum::extract::{Path, Query};
use axum::response::{Html, IntoResponse, Response};
use tongpin_core::auth::Power;
use tongpin_core::plan::{goals, people::split_names, tasks, Goal, NewMilestone, NewTask, Task};
use tongpin_core::{org, Error};

const MILESTONE_ROWS: usize = 3;

#[derive(Template)]
#[template(path = "plan/task_form.html")]
struct Page {
    shell: Shell,
    org_id: String,
    org_name: String,
    year: i64,
    task: Option<Task>,
    t: NewTask,
    choices: Vec<Goal>,
    milestones: Vec<NewMilestone>,
    /// 责任人 chosen with the person picker (id, name), and names typed.
    picked: Vec<(String, String)>,
    typed: String,
    error: Option<String>,
}

impl Page {
    fn linked(&self, id: &str) -> bool {
        self.t.goal_ids.iter().any(|g| g == id)
    }
}

fn task_of(f: &Fields) -> NewTask {
    NewTask {
        org_id: f.get("org_id").into(),
        year: f.get("year").trim().parse().unwrap_or(0),
        title: f.get("title").into(),
        description: f.get("description").into(),
        goal_ids: f.all("goal_id"),
        standing: f.on("standing"),
        deadline: f.get("deadline").into(),
        // Person ids from the picker's chips, or names typed without it.
        assignees: f.all("assignees").iter().flat_map(|v| split_names(v)).collect(),
        milestones: (1..=MILESTONE_ROWS)
            .map(|i| NewMilestone {
                title: f.get(&format!("m{i}_title")).into(),
                due_on: f.get(&format!("m{i}_due")).into(),
            })
            .filter(|m| !(m.title.trim().is_empty() && m.due_on.trim().is_empty()))
            .collect(),
    }
}

async fn form(a: &Auth, task: Option<Task>, t: NewTask, error: Option<String>) -> Result<Html<String>, Error> {
    let scope = a.require(Power::ManagePlan).await?;
    let db = &a.state.db;
    let org_id = task
        .as_ref()
        .map(|x| x.org_id.clone())
        .unwrap_or_else(|| t.org_id.clone());
    let year = task.as_ref().map(|x| x.year).unwrap_or(t.year);
    let o = org::get(db, &scope, &org_id).await?;
    let choices = goals::linkable(db, &o.path, year).await?;
    let (picked, typed) = tongpin_core::plan::people::chips(db, &t.assignees).await?;
    let mut milestones = t.milestones.clone();
    milestones.resize(MILESTONE_ROWS.max(milestones.len()), NewMilestone::default());
    let crumb = if task.is_some() {
        "编辑党建任务"
    } else {
        "新增党建任务"
    };
    Ok(Html(render(&Page {
        shell: Shell::new(a, "/plan", &["同谋划", "年度计划", crumb]),
        org_id: o.id,
        org_name: o.name,
        year,
        task,
        t,
        choices,
        milestones,
        picked,
        typed: typed.join("、"),
        error,
    })))
}

pub async fn new_page(a: Auth, Query(q): Query<FocusQuery>) -> Result<Html<String>, PageError> {
    let f = focus(&a, Power::ManagePlan, &q).await?;
    let t = NewTask {
        org_id: f.org_id,
        year: f.year,
        goal_ids: q.goal.into_iter().collect(),
        deadline: format!("{}-12-31", f.year),
        ..NewTask::default()
    };
    Ok(form(&a, None, t, None).await?)
}

pub async fn create(a: Auth, Form(f): Form<Vec<(String, String)>>) -> Response {
    let f = Fields(f);
    let scope = match a.require(Power::ManagePlan).await {
        Ok(s) => s,
        Err(e) => return PageError(e).into_response(),
    };
    let t = task_of(&f);
    match tasks::create(&a.state.db, a.now(), &a.actor(), &scope, t.clone()).await {
        Ok(id) => Redirect::to(&format!("/plan/tasks/{id}?done=created")).into_response(),
        Err(e) => {
            let msg = e.to_string();
            crate::error::refused(e, form(&a, None, t, Some(msg))).await
        }
    }
}

pub async fn edit_page(a: Auth, Path(id): Path<String>) -> Result<Html<String>, PageError> {
    let scope = a.require(Power::ManagePlan).await?;
    let db = &a.state.db;
    let task = tasks::get(db, &scope, &id).await?;
    let t = NewTask {
        org_id: task.org_id.clone(),
        year: task.year,
        title: task.title.clone(),
        description: task.description.clone(),
        goal_ids: tasks::links_of(db, std::slice::from_ref(&task.id))
            .await?
            .into_iter()
            .map(|(_, g)| g)
            .collect(),
        standing: task.standing,
        deadline: task.deadline.clone(),
        assignees: tongpin_core::plan::people::of_item(db, &task.id)
            .await?
            .into_iter()
            .map(|(id, _)| id)
            .collect(),
        milestones: Vec::new(),
    };
    Ok(form(&a, Some(task), t, None).await?)
}

pub async fn update(a: Auth, Path(id): Path<String>, Form(f): Form<Vec<(String, String)>>) -> Response {
    let f = Fields(f);
    let scope = match a.require(Power::ManagePlan).await {
        Ok(s) => s,
        Err(e) => return PageError(e).into_response(),
    };
    let db = &a.state.db;
    let task = match tasks::get(db, &scope, &id).await {
        Ok(t) => t,
        Err(e) => return PageError(e).into_response(),
    };
    let t = task_of(&f);
    match tasks::update(db, a.now(), &a.actor(), &scope, &id, t.clone()).await {
        Ok(()) => Redirect::to(&format!("/plan/tasks/{id}?done=saved")).into_response(),
        Err(e) => {
            let msg = e.to_string();
            crate::error::refused(e, form(&a, Some(task), t, Some(msg))).await
        }
    }
}
