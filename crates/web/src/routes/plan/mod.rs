//! 同谋划: the annual plan (年度计划) — goals, KPIs, Party tasks, deployment,
//! progress — and its views: board, timeline, matrix, fusion.
mod api;
mod board;
mod goal_form;
mod kpi;
mod openapi;
mod sheet;
mod task;
mod task_form;
mod tokens;
mod views;

use super::registry::{Need, Routes};
use crate::extract::Auth;
use axum::http::Method;
use axum::routing::post;
use tongpin_core::auth::Power;
use tongpin_core::org::Scope;
use tongpin_core::plan::{percent_text, Figure};
use tongpin_core::Error;

pub use openapi::openapi;

/// The plan's importer takes the plan (ManagePlan) or KPI figures (EnterKpi).
const IMPORT: &[Power] = &[Power::ManagePlan, Power::EnterKpi];

pub fn routes(config: &crate::Config) -> Routes {
    let (view, manage) = (Need::Power(Power::ViewPlan), Need::Power(Power::ManagePlan));
    let (enter, report) = (Need::Power(Power::EnterKpi), Need::PowerOrLinked(Power::ReportProgress));
    let evidence = crate::upload::evidence_body_limit(config, task::MAX_FILES);
    Routes::new()
        .get("/plan", view, board::page)
        .get("/plan/timeline", view, views::timeline)
        .get("/plan/matrix", view, views::matrix)
        .get("/plan/fusion", view, views::fusion)
        .get("/plan/goals/new", manage, goal_form::new_page)
        .post("/plan/goals/new", manage, goal_form::create)
        .get("/plan/goals/{id}/edit", manage, goal_form::edit_page)
        .post("/plan/goals/{id}/edit", manage, goal_form::update)
        .post("/plan/goals/{id}/delete", manage, goal_form::delete)
        .post("/plan/goals/{id}/deploy", manage, goal_form::deploy)
        .get("/plan/tasks/new", manage, task_form::new_page)
        .post("/plan/tasks/new", manage, task_form::create)
        .get("/plan/tasks/{id}", view, task::page)
        .get("/plan/tasks/{id}/edit", manage, task_form::edit_page)
        .post("/plan/tasks/{id}/edit", manage, task_form::update)
        .post("/plan/tasks/{id}/delete", manage, task::delete)
        .post("/plan/tasks/{id}/deploy", manage, task::deploy)
        .post("/plan/tasks/{id}/accept", manage, task::accept)
        .with(
            Method::POST,
            "/plan/tasks/{id}/progress",
            report,
            post(task::report).layer(evidence),
        )
        .get("/plan/evidence/{id}", view, task::evidence)
        .post("/plan/milestones/{id}/done", manage, task::milestone_done)
        .get("/plan/kpis/{id}", view, kpi::page)
        .post("/plan/kpis/{id}", enter, kpi::save)
        .get("/plan/tokens", manage, tokens::page)
        .post("/plan/tokens", manage, tokens::issue)
        .get("/plan/export", view, sheet::export_plan)
        .get("/plan/import", Need::AnyOf(IMPORT), sheet::import_page)
        .post("/plan/import", Need::AnyOf(IMPORT), sheet::import_submit)
        .get("/plan/values", enter, sheet::values_page)
        .get("/plan/start", manage, sheet::start_page)
        .post("/plan/start", manage, sheet::start)
        .post("/plan/tokens/{id}/revoke", manage, tokens::revoke)
        .get("/api/v1/orgs/{id}/plan", view, api::board)
        .get("/api/v1/orgs/{id}/fusion", view, api::fusion)
        .get("/api/v1/orgs/{id}/matrix", view, api::matrix)
        .post("/api/v1/goals", manage, api::create_goal)
        .get("/api/v1/goals/{id}", view, api::goal)
        .put("/api/v1/goals/{id}", manage, api::update_goal)
        .delete("/api/v1/goals/{id}", manage, api::delete_goal)
        .post("/api/v1/goals/{id}/deploy", manage, api::deploy_goal)
        .get("/api/v1/kpis/{id}/values", view, api::values)
        .post("/api/v1/kpis/{id}/values", Need::KpiToken, api::record_value)
        .post("/api/v1/tasks", manage, api::create_task)
        .get("/api/v1/tasks/{id}", view, api::task)
        .put("/api/v1/tasks/{id}", manage, api::update_task)
        .delete("/api/v1/tasks/{id}", manage, api::delete_task)
        .post("/api/v1/tasks/{id}/deploy", manage, api::deploy_task)
        .post("/api/v1/tasks/{id}/accept", manage, api::accept_task)
        .get("/api/v1/tasks/{id}/progress", view, api::progress)
        .post("/api/v1/tasks/{id}/progress", report, api::report_progress)
}

/// The organization and year a plan page shows: the one asked for, or the
/// caller's own first organization and the current year.
pub struct Focus {
    pub scope: Scope,
    pub org_id: String,
    pub org_name: String,
    pub year: i64,
    /// The chosen organization's name path, shown in the chooser.
    pub org_path: String,
    pub years: Vec<i64>,
}

impl Focus {
    /// The period picker, years only (submitted as `year`).
    pub fn picker(&self) -> crate::period::PeriodPicker {
        crate::period::PeriodPicker::years("year", self.year, &self.years)
    }
}

/// The query every plan page takes. Text fields, parsed leniently: a bad
/// year falls back to this year rather than failing the page.
#[derive(serde::Deserialize, Default, Clone)]
pub struct FocusQuery {
    pub org: Option<String>,
    pub year: Option<String>,
    pub page: Option<String>,
    pub per_page: Option<String>,
    pub done: Option<String>,
    /// The task form's goal to serve; the sheet pages' kind ("plan" or "values").
    pub goal: Option<String>,
    pub kind: Option<String>,
}

impl FocusQuery {
    pub fn num(v: &Option<String>) -> Option<i64> {
        v.as_deref().and_then(|s| s.trim().parse().ok())
    }
}

pub async fn focus(a: &Auth, power: Power, q: &FocusQuery) -> Result<Focus, Error> {
    let scope = a.require(power).await?;
    let db = &a.state.db;
    let (chosen, org_path) = crate::org_choice::chosen(db, &scope, q.org.as_deref()).await?;
    let (org_id, org_name) = (chosen.id, chosen.name);
    let this_year = i64::from(chrono::Datelike::year(
        &tongpin_core::clock::beijing(a.now()).date_naive(),
    ));
    let year = FocusQuery::num(&q.year)
        .filter(|y| (2000..=2100).contains(y))
        .unwrap_or(this_year);
    Ok(Focus {
        scope,
        org_id,
        org_name,
        year,
        org_path,
        years: (this_year - 2..=this_year + 1).collect(),
    })
}

/// "55.0%", or "—" with no figure.
pub fn pct(bp: &Option<i64>) -> String {
    bp.map(percent_text).unwrap_or_else(|| "—".into())
}

/// How a percentage of attainment reads as a colour: met, on the way, behind.
pub fn tone(bp: &Option<i64>) -> &'static str {
    match bp {
        Some(b) if *b >= 10_000 => "green",
        Some(b) if *b >= 6_000 => "gold",
        Some(_) => "red",
        None => "grey",
    }
}

pub fn figure(v: &Figure) -> String {
    tongpin_core::plan::figure_text(*v)
}
