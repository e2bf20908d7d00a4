//! The plan's JSON API under /api/v1: goals, KPI values (also from a
//! business system's token), tasks, deployment, progress, and the views.
use crate::extract::{ApiJson, Auth};
use crate::ApiError;
use axum::extract::{FromRequestParts, Path, Query};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use tongpin_core::audit::Actor;
use tongpin_core::auth::Power;
use tongpin_core::plan::values::{self, Enterer};
use tongpin_core::plan::{
    board, deploy, fusion, goals, matrix, progress, tasks, text_or_number, tokens, NewGoal, NewTask, Source,
};
use tongpin_core::Error;

type Api<T> = Result<T, ApiError>;

#[derive(Deserialize)]
pub struct YearQuery {
    year: Option<i64>,
}

fn year(a: &Auth, q: &YearQuery) -> i64 {
    q.year.unwrap_or_else(|| {
        i64::from(chrono::Datelike::year(
            &tongpin_core::clock::beijing(a.now()).date_naive(),
        ))
    })
}

/// GET /api/v1/orgs/{id}/plan?year= → the board: goals with KPIs and serving tasks.
pub async fn board(a: Auth, Path(id): Path<String>, Query(q): Query<YearQuery>) -> Api<Json<Value>> {
    let scope = a.require(Power::ViewPlan).await?;
    let b = board::board(&a.state.db, &scope, &id, year(&a, &q), a.now()).await?;
    let task = |t: &board::TaskRow| {
        json!({ "id": t.task.id, "title": t.task.title, "deadline": t.task.deadline, "progress": t.progress,
            "overdue": t.overdue, "accepted": t.task.accepted_at.is_some(), "deployed": t.deployed, "assignees": t.assignees })
    };
    let card = |c: &board::GoalCard| {
        json!({ "id": c.goal.id, "org_id": c.goal.org_id, "title": c.goal.title, "difficult": c.goal.difficult,
            "attainment_bp": c.attainment_bp, "flagged": c.flagged, "owners": c.owners,
            "kpis": c.kpis.iter().map(|k| json!({ "id": k.kpi.id, "name": k.kpi.name, "unit": k.kpi.unit,
                "baseline": tongpin_core::plan::figure_text(k.kpi.baseline), "target": tongpin_core::plan::figure_text(k.kpi.target),
                "direction": k.kpi.direction, "period": k.kpi.period_kind,
                "latest": k.status.latest.as_ref().map(|(p, v)| json!({ "period": p, "value": tongpin_core::plan::figure_text(*v) })),
                "attainment_bp": k.status.attainment_bp, "missing": k.status.missing })).collect::<Vec<_>>(),
            "tasks": c.tasks.iter().map(task).collect::<Vec<_>>(), "tasks_below": c.below })
    };
    Ok(Json(json!({
        "org_id": b.org.id, "year": b.year,
        "goals": b.goals.iter().map(card).collect::<Vec<_>>(),
        "superior_goals": b.superior_goals.iter().map(card).collect::<Vec<_>>(),
        "standing": b.standing.iter().map(task).collect::<Vec<_>>(),
        "pending": b.pending.iter().map(task).collect::<Vec<_>>(),
    })))
}

/// GET /api/v1/orgs/{id}/fusion?year=
pub async fn fusion(a: Auth, Path(id): Path<String>, Query(q): Query<YearQuery>) -> Api<Json<Value>> {
    let scope = a.require(Power::ViewPlan).await?;
    let f = fusion::fusion(&a.state.db, &scope, &id, year(&a, &q), a.now()).await?;
    Ok(Json(json!({
        "org_id": f.org_id, "year": f.year, "tasks_total": f.tasks_total, "tasks_linked": f.tasks_linked,
        "tasks_standing": f.tasks_standing, "goals_total": f.goals_total,
        "goals_without_tasks": f.goals_without_tasks.iter().map(|g| &g.id).collect::<Vec<_>>(),
        "difficult_goals": f.difficult.iter().map(|d| json!({ "id": d.goal.id, "title": d.goal.title,
            "attainment_bp": d.attainment_bp, "tasks": d.tasks })).collect::<Vec<_>>(),
        "difficult_goals_without_tasks": f.difficult_goals_without_tasks,
        "linked_goals": f.linked_goals, "linked_attainment_bp": f.linked_attainment_bp,
        "unlinked_goals": f.unlinked_goals, "unlinked_attainment_bp": f.unlinked_attainment_bp,
    })))
}

/// GET /api/v1/orgs/{id}/matrix?year=
pub async fn matrix(a: Auth, Path(id): Path<String>, Query(q): Query<YearQuery>) -> Api<Json<Value>> {
    let scope = a.require(Power::ViewPlan).await?;
    let m = matrix::matrix(&a.state.db, &scope, &id, year(&a, &q), a.now()).await?;
    Ok(Json(json!({
        "goals": m.goals.iter().map(|g| json!({ "id": g.id, "title": g.title, "difficult": g.difficult })).collect::<Vec<_>>(),
        "orgs": m.columns,
    })))
}

/// POST /api/v1/goals → 201 {"id", "kpis": [{"id"}]}.
pub async fn create_goal(a: Auth, ApiJson(g): ApiJson<NewGoal>) -> Api<(StatusCode, Json<Value>)> {
    let scope = a.require(Power::ManagePlan).await?;
    let (id, kpis) = goals::create(&a.state.db, a.now(), &a.actor(), &scope, g).await?;
    let kpis: Vec<Value> = kpis.into_iter().map(|k| json!({ "id": k })).collect();
    Ok((StatusCode::CREATED, Json(json!({ "id": id, "kpis": kpis }))))
}

pub async fn goal(a: Auth, Path(id): Path<String>) -> Api<Json<Value>> {
    let scope = a.require(Power::ViewPlan).await?;
    let g = goals::get(&a.state.db, &scope, &id).await?;
    let kpis = goals::kpis_of(&a.state.db, std::slice::from_ref(&g.id)).await?;
    Ok(Json(json!({ "goal": g, "kpis": kpis })))
}

pub async fn update_goal(a: Auth, Path(id): Path<String>, ApiJson(g): ApiJson<NewGoal>) -> Api<StatusCode> {
    let scope = a.require(Power::ManagePlan).await?;
    goals::update(&a.state.db, a.now(), &a.actor(), &scope, &id, g).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn delete_goal(a: Auth, Path(id): Path<String>) -> Api<StatusCode> {
    let scope = a.require(Power::ManagePlan).await?;
    goals::delete(&a.state.db, a.now(), &a.actor(), &scope, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrgIds {
    org_ids: Vec<String>,
}

/// POST /api/v1/goals/{id}/deploy {"org_ids"} → {"deployed": n}.
pub async fn deploy_goal(a: Auth, Path(id): Path<String>, ApiJson(b): ApiJson<OrgIds>) -> Api<Json<Value>> {
    let scope = a.require(Power::ManagePlan).await?;
    let n = deploy::goal(&a.state.db, a.now(), &a.actor(), &scope, &id, &b.org_ids).await?;
    Ok(Json(json!({ "deployed": n })))
}

/// Who sends a KPI value: a logged-in caller, or a business system's KPI token.
pub enum KpiCaller {
    Session(Auth),
    Token {
        org_id: String,
        actor: Actor,
        state: crate::AppState,
    },
}

impl FromRequestParts<crate::AppState> for KpiCaller {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &crate::AppState) -> Result<Self, Response> {
        match crate::extract::bearer_token(&parts.headers) {
            Some(t) if t.starts_with(tokens::PREFIX) => match tokens::authenticate(&state.db, state.now(), &t).await {
                Ok(Some((org_id, name))) => Ok(KpiCaller::Token {
                    org_id,
                    actor: Actor::anonymous(&format!("接口令牌：{name}"), &crate::extract::client_addr(parts)),
                    state: state.clone(),
                }),
                Ok(None) => Err(
                    ApiError(Error::Unauthorized("令牌无效或已吊销，请联系党务管理员重新签发".into())).into_response(),
                ),
                Err(e) => Err(ApiError(e).into_response()),
            },
            _ => Auth::from_request_parts(parts, state).await.map(KpiCaller::Session),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValueBody {
    period: String,
    #[serde(deserialize_with = "text_or_number")]
    value: String,
    #[serde(default)]
    unit: Option<String>,
}

/// POST /api/v1/kpis/{id}/values {"period", "value", "unit"?} → 201 {"kpi_id", "period", "value"}.
pub async fn record_value(
    c: KpiCaller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<ValueBody>,
) -> Api<(StatusCode, Json<Value>)> {
    let period = match &c {
        KpiCaller::Session(a) => {
            let scope = a.require(Power::EnterKpi).await?;
            values::record(
                &a.state.db,
                a.now(),
                &a.actor(),
                Enterer::Scope(&scope),
                &id,
                &b.period,
                &b.value,
                b.unit.as_deref(),
                Source::Manual,
            )
            .await?
        }
        KpiCaller::Token { org_id, actor, state } => {
            let who = Enterer::Token { org_id };
            values::record(
                &state.db,
                state.now(),
                actor,
                who,
                &id,
                &b.period,
                &b.value,
                b.unit.as_deref(),
                Source::Api,
            )
            .await?
        }
    };
    Ok((
        StatusCode::CREATED,
        Json(json!({ "kpi_id": id, "period": period, "value": b.value.trim() })),
    ))
}

/// GET /api/v1/kpis/{id}/values → {"kpi", "values"}.
pub async fn values(a: Auth, Path(id): Path<String>) -> Api<Json<Value>> {
    let scope = a.require(Power::ViewPlan).await?;
    let (k, vals) = values::kpi(&a.state.db, &scope, &id).await?;
    let vals: Vec<Value> = vals
        .iter()
        .map(|v| {
            json!({ "period": v.period, "value": tongpin_core::plan::figure_text(v.value), "source": v.source,
            "entered_by": v.entered_by, "entered_at": v.entered_at })
        })
        .collect();
    Ok(Json(
        json!({ "kpi": k.kpi, "goal_title": k.goal_title, "year": k.year, "values": vals }),
    ))
}

/// POST /api/v1/tasks → 201 {"id"}.
pub async fn create_task(a: Auth, ApiJson(t): ApiJson<NewTask>) -> Api<(StatusCode, Json<Value>)> {
    let scope = a.require(Power::ManagePlan).await?;
    let id = tasks::create(&a.state.db, a.now(), &a.actor(), &scope, t).await?;
    Ok((StatusCode::CREATED, Json(json!({ "id": id }))))
}

pub async fn task(a: Auth, Path(id): Path<String>) -> Api<Json<Value>> {
    let scope = a.require(Power::ViewPlan).await?;
    let db = &a.state.db;
    let t = tasks::get(db, &scope, &id).await?;
    let goal_ids: Vec<String> = tasks::links_of(db, std::slice::from_ref(&t.id))
        .await?
        .into_iter()
        .map(|(_, g)| g)
        .collect();
    let milestones = tasks::milestones_of(db, std::slice::from_ref(&t.id)).await?;
    Ok(Json(
        json!({ "task": t, "goal_ids": goal_ids, "milestones": milestones }),
    ))
}

pub async fn update_task(a: Auth, Path(id): Path<String>, ApiJson(t): ApiJson<NewTask>) -> Api<StatusCode> {
    let scope = a.require(Power::ManagePlan).await?;
    tasks::update(&a.state.db, a.now(), &a.actor(), &scope, &id, t).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn delete_task(a: Auth, Path(id): Path<String>) -> Api<StatusCode> {
    let scope = a.require(Power::ManagePlan).await?;
    tasks::delete(&a.state.db, a.now(), &a.actor(), &scope, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn deploy_task(a: Auth, Path(id): Path<String>, ApiJson(b): ApiJson<OrgIds>) -> Api<Json<Value>> {
    let scope = a.require(Power::ManagePlan).await?;
    let n = deploy::task(&a.state.db, a.now(), &a.actor(), &scope, &id, &b.org_ids).await?;
    Ok(Json(json!({ "deployed": n })))
}

pub async fn accept_task(a: Auth, Path(id): Path<String>) -> Api<StatusCode> {
    let scope = a.require(Power::ManagePlan).await?;
    deploy::accept(&a.state.db, a.now(), &a.actor(), &scope, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProgressBody {
    percent: i64,
    note: String,
}

/// POST /api/v1/tasks/{id}/progress {"percent", "note"} → 201 {"id"}. Evidence
/// files are uploaded through the page form (multipart).
pub async fn report_progress(
    a: Auth,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<ProgressBody>,
) -> Api<(StatusCode, Json<Value>)> {
    let scope = a.require_or_linked(Power::ReportProgress).await?;
    let who = progress::Reporter {
        scope: scope.as_ref(),
        person_id: a.who.person_id.as_deref(),
    };
    let p = progress::NewProgress {
        percent: b.percent,
        note: b.note,
    };
    let rid = progress::report(&a.state.db, a.now(), &a.actor(), who, &id, p, Vec::new()).await?;
    Ok((StatusCode::CREATED, Json(json!({ "id": rid }))))
}

pub async fn progress(a: Auth, Path(id): Path<String>) -> Api<Json<Value>> {
    let scope = a.require(Power::ViewPlan).await?;
    let reports = progress::of_task(&a.state.db, &scope, &id).await?;
    Ok(Json(json!({ "items": reports })))
}
