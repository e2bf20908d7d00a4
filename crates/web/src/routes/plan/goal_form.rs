//! The goal form (业务目标): title, difficulty, owners and KPIs; edit adds KPIs.
use super::{focus, FocusQuery};
use crate::extract::{Auth, Fields, Form};
use crate::redirect::Redirect;
use crate::shell::{render, Shell};
use crate::PageError;
use askama::Template;
use axum::extract::{Path, Query};
use axum::response::{Html, IntoResponse, Response};
use tongpin_core::auth::Power;
use tongpin_core::plan::{deploy, goals, people::split_names, Goal, Kpi, NewGoal, NewKpi};
use tongpin_core::{org, Error};

pub const KPI_ROWS: usize = 4;

#[derive(Template)]
#[template(path = "plan/goal_form.html")]
struct Page {
    shell: Shell,
    org_id: String,
    org_name: String,
    year: i64,
    /// Some when editing.
    goal: Option<Goal>,
    existing: Vec<Kpi>,
    g: NewGoal,
    rows: Vec<NewKpi>,
    /// The chooser's query of the organizations below, for breaking the goal
    /// down (edit only; None when there is none).
    deploy_for: Option<String>,
    /// 责任人 chosen with the person picker (id, name), and names typed.
    picked: Vec<(String, String)>,
    typed: String,
    error: Option<String>,
}

impl Page {
    fn figure(&self, v: &i64) -> String {
        super::figure(v)
    }
}

fn goal_of(f: &Fields) -> NewGoal {
    let kpis = (1..=KPI_ROWS)
        .map(|i| NewKpi {
            name: f.get(&format!("k{i}_name")).into(),
            unit: f.get(&format!("k{i}_unit")).into(),
            baseline: f.get(&format!("k{i}_baseline")).into(),
            target: f.get(&format!("k{i}_target")).into(),
            direction: f.get(&format!("k{i}_direction")).into(),
            period: f.get(&format!("k{i}_period")).into(),
        })
        .filter(|k| !(k.name.trim().is_empty() && k.baseline.trim().is_empty() && k.target.trim().is_empty()))
        .collect();
    NewGoal {
        org_id: f.get("org_id").into(),
        year: f.get("year").trim().parse().unwrap_or(0),
        title: f.get("title").into(),
        description: f.get("description").into(),
        difficult: f.on("difficult"),
        // Person ids from the picker's chips, or names typed without it.
        owners: f.all("owners").iter().flat_map(|v| split_names(v)).collect(),
        kpis,
    }
}

fn blank_rows(g: &NewGoal) -> Vec<NewKpi> {
    let mut rows = g.kpis.clone();
    while rows.len() < KPI_ROWS {
        rows.push(NewKpi {
            direction: "higher".into(),
            period: "month".into(),
            ..NewKpi::default()
        });
    }
    rows
}

async fn form(a: &Auth, goal: Option<Goal>, g: NewGoal, error: Option<String>) -> Result<Html<String>, Error> {
    let scope = a.require(Power::ManagePlan).await?;
    let db = &a.state.db;
    let org_id = goal
        .as_ref()
        .map(|x| x.org_id.clone())
        .unwrap_or_else(|| g.org_id.clone());
    let o = org::get(db, &scope, &org_id).await?;
    let (existing, deploy_for) = match &goal {
        Some(x) => (
            goals::kpis_of(db, std::slice::from_ref(&x.id)).await?,
            crate::org_choice::below_for(db, &scope, &o, "plan").await?,
        ),
        None => (Vec::new(), None),
    };
    let (picked, typed) = tongpin_core::plan::people::chips(db, &g.owners).await?;
    let crumb = if goal.is_some() {
        "编辑业务目标"
    } else {
        "新增业务目标"
    };
    Ok(Html(render(&Page {
        shell: Shell::new(a, "/plan", &["同谋划", "年度计划", crumb]),
        org_id: o.id,
        org_name: o.name,
        year: goal.as_ref().map(|x| x.year).unwrap_or(g.year),
        rows: blank_rows(&g),
        goal,
        existing,
        picked,
        typed: typed.join("、"),
        g,
        deploy_for,
        error,
    })))
}

pub async fn new_page(a: Auth, Query(q): Query<FocusQuery>) -> Result<Html<String>, PageError> {
    let f = focus(&a, Power::ManagePlan, &q).await?;
    let g = NewGoal {
        org_id: f.org_id,
        year: f.year,
        ..NewGoal::default()
    };
    Ok(form(&a, None, g, None).await?)
}

pub async fn create(a: Auth, Form(f): Form<Vec<(String, String)>>) -> Response {
    let f = Fields(f);
    let scope = match a.require(Power::ManagePlan).await {
        Ok(s) => s,
        Err(e) => return PageError(e).into_response(),
    };
    let g = goal_of(&f);
    match goals::create(&a.state.db, a.now(), &a.actor(), &scope, g.clone()).await {
        Ok(_) => Redirect::to(&format!("/plan?org={}&year={}&done=goal", g.org_id, g.year)).into_response(),
        Err(e) => {
            let msg = e.to_string();
            crate::error::refused(e, form(&a, None, g, Some(msg))).await
        }
    }
}

pub async fn edit_page(a: Auth, Path(id): Path<String>) -> Result<Html<String>, PageError> {
    let scope = a.require(Power::ManagePlan).await?;
    let db = &a.state.db;
    let goal = goals::get(db, &scope, &id).await?;
    let owners: Vec<String> = tongpin_core::plan::people::of_item(db, &goal.id)
        .await?
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    let g = NewGoal {
        org_id: goal.org_id.clone(),
        year: goal.year,
        title: goal.title.clone(),
        description: goal.description.clone(),
        difficult: goal.difficult,
        owners,
        kpis: Vec::new(),
    };
    Ok(form(&a, Some(goal), g, None).await?)
}

pub async fn update(a: Auth, Path(id): Path<String>, Form(f): Form<Vec<(String, String)>>) -> Response {
    let f = Fields(f);
    let scope = match a.require(Power::ManagePlan).await {
        Ok(s) => s,
        Err(e) => return PageError(e).into_response(),
    };
    let db = &a.state.db;
    let goal = match goals::get(db, &scope, &id).await {
        Ok(g) => g,
        Err(e) => return PageError(e).into_response(),
    };
    let g = goal_of(&f);
    match goals::update(db, a.now(), &a.actor(), &scope, &id, g.clone()).await {
        Ok(()) => Redirect::to(&format!("/plan?org={}&year={}&done=goal", goal.org_id, goal.year)).into_response(),
        Err(e) => {
            let msg = e.to_string();
            crate::error::refused(e, form(&a, Some(goal), g, Some(msg))).await
        }
    }
}

pub async fn delete(a: Auth, Path(id): Path<String>) -> Result<Redirect, PageError> {
    let scope = a.require(Power::ManagePlan).await?;
    let db = &a.state.db;
    let goal = goals::get(db, &scope, &id).await?;
    goals::delete(db, a.now(), &a.actor(), &scope, &id).await?;
    Ok(Redirect::to(&format!(
        "/plan?org={}&year={}&done=deleted",
        goal.org_id, goal.year
    )))
}

pub async fn deploy(
    a: Auth,
    Path(id): Path<String>,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Redirect, PageError> {
    let scope = a.require(Power::ManagePlan).await?;
    let db = &a.state.db;
    let goal = goals::get(db, &scope, &id).await?;
    deploy::goal(db, a.now(), &a.actor(), &scope, &id, &Fields(f).all("org_id")).await?;
    Ok(Redirect::to(&format!(
        "/plan?org={}&year={}&done=goal",
        goal.org_id, goal.year
    )))
}
