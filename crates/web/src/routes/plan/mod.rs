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

use crate::extract::Auth;
use crate::AppState;
use axum::routing::{get, post};
use axum::Router;
use tongpin_core::auth::Power;
use tongpin_core::org::{self, Scope};
use tongpin_core::plan::{percent_text, Figure};
use tongpin_core::Error;

pub use openapi::openapi;

pub fn routes(config: &crate::Config) -> Router<AppState> {
    Router::new()
        .route("/plan", get(board::page))
        .route("/plan/timeline", get(views::timeline))
        .route("/plan/matrix", get(views::matrix))
        .route("/plan/fusion", get(views::fusion))
        .route("/plan/goals/new", get(goal_form::new_page).post(goal_form::create))
        .route(
            "/plan/goals/{id}/edit",
            get(goal_form::edit_page).post(goal_form::update),
        )
        .route("/plan/goals/{id}/delete", post(goal_form::delete))
        .route("/plan/goals/{id}/deploy", post(goal_form::deploy))
        .route("/plan/tasks/new", get(task_form::new_page).post(task_form::create))
        .route("/plan/tasks/{id}", get(task::page))
        .route(
            "/plan/tasks/{id}/edit",
            get(task_form::edit_page).post(task_form::update),
        )
        .route("/plan/tasks/{id}/delete", post(task::delete))
        .route("/plan/tasks/{id}/deploy", post(task::deploy))
        .route("/plan/tasks/{id}/accept", post(task::accept))
        .route(
            "/plan/tasks/{id}/progress",
            post(task::report).layer(crate::upload::evidence_body_limit(config, task::MAX_FILES)),
        )
        .route("/plan/evidence/{id}", get(task::evidence))
        .route("/plan/milestones/{id}/done", post(task::milestone_done))
        .route("/plan/kpis/{id}", get(kpi::page).post(kpi::save))
        .route("/plan/tokens", get(tokens::page).post(tokens::issue))
        .route("/plan/export", get(sheet::export_plan))
        .route("/plan/import", get(sheet::import_page).post(sheet::import_submit))
        .route("/plan/values", get(sheet::values_page))
        .route("/plan/start", get(sheet::start_page).post(sheet::start))
        .route("/plan/tokens/{id}/revoke", post(tokens::revoke))
        .route("/api/v1/orgs/{id}/plan", get(api::board))
        .route("/api/v1/orgs/{id}/fusion", get(api::fusion))
        .route("/api/v1/orgs/{id}/matrix", get(api::matrix))
        .route("/api/v1/goals", post(api::create_goal))
        .route(
            "/api/v1/goals/{id}",
            get(api::goal).put(api::update_goal).delete(api::delete_goal),
        )
        .route("/api/v1/goals/{id}/deploy", post(api::deploy_goal))
        .route("/api/v1/kpis/{id}/values", get(api::values).post(api::record_value))
        .route("/api/v1/tasks", post(api::create_task))
        .route(
            "/api/v1/tasks/{id}",
            get(api::task).put(api::update_task).delete(api::delete_task),
        )
        .route("/api/v1/tasks/{id}/deploy", post(api::deploy_task))
        .route("/api/v1/tasks/{id}/accept", post(api::accept_task))
        .route(
            "/api/v1/tasks/{id}/progress",
            get(api::progress).post(api::report_progress),
        )
}

/// The organization and year a plan page shows: the one asked for, or the
/// caller's own first organization and the current year.
pub struct Focus {
    pub scope: Scope,
    pub org_id: String,
    pub org_name: String,
    pub year: i64,
    /// Organizations in the scope, as (id, name path), for the picker.
    pub orgs: Vec<(String, String)>,
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
    let paths = org::name_paths(db, &scope).await?;
    let alive: Vec<(String, String)> = paths
        .iter()
        .filter(|(o, _)| o.dissolved_at.is_none())
        .map(|(o, p)| (o.id.clone(), p.clone()))
        .collect();
    let wanted = q.org.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let (org_id, org_name) = match wanted {
        Some(id) => {
            let o = org::get(db, &scope, id).await?;
            (o.id, o.name)
        }
        None => match paths.first() {
            Some((o, _)) => (o.id.clone(), o.name.clone()),
            None => return Err(Error::NotFound("您的管理范围内还没有组织".into())),
        },
    };
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
        orgs: alive,
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
